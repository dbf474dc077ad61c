//! A database creates the application database and user that its apps log in as. Followed in
//! the emitted objects of the seed and every ok fixture: the StatefulSet's container gives its
//! official image the variables that create them (the image's documented contract: `MYSQL_*`,
//! `MARIADB_*`, `POSTGRES_*`), with each password as a file of the declared secret; every app
//! pod that reads that secret reads the key behind the user's password, and is given the same
//! user, database, and a host and port that reach the database's Service.

use crate::support::{api_objects, catalog, good_sites};
use serde_yaml::Value;
use std::collections::BTreeMap;

/// The variables an official image creates its application user and database from.
struct Image {
    database: &'static str,
    user: &'static str,
    password: &'static str,
}

fn image(reference: &str) -> Image {
    let name = reference.split(':').next().unwrap();
    match name {
        "mysql" => Image {
            database: "MYSQL_DATABASE",
            user: "MYSQL_USER",
            password: "MYSQL_PASSWORD",
        },
        "mariadb" => Image {
            database: "MARIADB_DATABASE",
            user: "MARIADB_USER",
            password: "MARIADB_PASSWORD",
        },
        "postgres" => Image {
            database: "POSTGRES_DB",
            user: "POSTGRES_USER",
            password: "POSTGRES_PASSWORD",
        },
        other => panic!("no known database image {other}"),
    }
}

/// A container's environment with `envFrom` ConfigMaps resolved: name to a literal value, or to
/// the (secret, key) it reads.
#[derive(Debug, PartialEq)]
enum Var {
    Value(String),
    Secret(String, String),
}

fn environment(container: &Value, objects: &[Value], ns: &str) -> BTreeMap<String, Var> {
    let mut vars = BTreeMap::new();
    for from in container["envFrom"].as_sequence().into_iter().flatten() {
        let Some(name) = from["configMapRef"]["name"].as_str() else {
            continue;
        };
        let map = objects
            .iter()
            .find(|o| {
                o["kind"] == "ConfigMap"
                    && o["metadata"]["name"] == name
                    && o["metadata"]["namespace"] == ns
            })
            .unwrap_or_else(|| panic!("no ConfigMap {ns}/{name}"));
        for (k, v) in map["data"].as_mapping().into_iter().flatten() {
            vars.insert(
                k.as_str().unwrap().to_string(),
                Var::Value(v.as_str().unwrap().to_string()),
            );
        }
    }
    for env in container["env"].as_sequence().into_iter().flatten() {
        let name = env["name"].as_str().unwrap().to_string();
        let reference = &env["valueFrom"]["secretKeyRef"];
        let var = match env["value"].as_str() {
            Some(v) => Var::Value(v.to_string()),
            None => Var::Secret(
                reference["name"].as_str().unwrap().to_string(),
                reference["key"].as_str().unwrap().to_string(),
            ),
        };
        vars.insert(name, var);
    }
    vars
}

fn value<'a>(vars: &'a BTreeMap<String, Var>, name: &str, what: &str) -> &'a str {
    match vars.get(name) {
        Some(Var::Value(v)) => v,
        other => panic!("{what}: {name} is {other:?}, not a value"),
    }
}

/// The (secret, key) a `<VAR>_FILE` variable's file comes from, through the container's
/// volume mounts and the pod's secret volumes.
fn file_source(pod: &Value, container: &Value, path: &str) -> (String, String) {
    for mount in container["volumeMounts"]
        .as_sequence()
        .into_iter()
        .flatten()
    {
        let dir = mount["mountPath"].as_str().unwrap();
        let Some(file) = path.strip_prefix(&format!("{dir}/")) else {
            continue;
        };
        let volume = pod["volumes"]
            .as_sequence()
            .unwrap()
            .iter()
            .find(|v| v["name"] == mount["name"])
            .unwrap();
        let secret = &volume["secret"];
        let item = secret["items"]
            .as_sequence()
            .unwrap()
            .iter()
            .find(|i| i["path"] == file)
            .unwrap_or_else(|| panic!("no item of the volume is {file}"));
        return (
            secret["secretName"].as_str().unwrap().to_string(),
            item["key"].as_str().unwrap().to_string(),
        );
    }
    panic!("{path} is on no mounted volume")
}

fn labels_match(selector: &Value, labels: &Value) -> bool {
    selector
        .as_mapping()
        .unwrap()
        .iter()
        .all(|(k, v)| labels.get(k) == Some(v))
}

#[test]
fn databases_create_the_user_and_database_their_apps_log_in_as() {
    let mut apps_followed = 0;
    for site in good_sites() {
        let bytes = std::fs::read(&site).unwrap();
        let compiled = labc::compile("site.kdl", &bytes, &catalog())
            .unwrap_or_else(|e| panic!("{}", labc::cli::render_plain(e)));
        let objects = api_objects(compiled.files.as_map());
        // the site's databases, in their folders of apps/ (Wazuh's StatefulSets are platform)
        let databases: Vec<&str> = compiled
            .files
            .as_map()
            .keys()
            .filter(|p| p.starts_with("apps/"))
            .filter_map(|p| p.rsplit_once("/statefulset-")?.1.strip_suffix(".yaml"))
            .collect();
        let is_database = |o: &&serde_yaml::Value| {
            o["kind"] == "StatefulSet"
                && databases.contains(&o["metadata"]["name"].as_str().unwrap_or_default())
        };
        for set in objects.iter().filter(is_database) {
            let ns = set["metadata"]["namespace"].as_str().unwrap();
            let what = format!(
                "{}: StatefulSet {ns}/{}",
                site.display(),
                set["metadata"]["name"].as_str().unwrap()
            );
            let pod = &set["spec"]["template"]["spec"];
            let container = &pod["containers"][0];
            let image = image(container["image"].as_str().unwrap());
            let vars = environment(container, &objects, ns);
            let user = value(&vars, image.user, &what).to_string();
            let database = value(&vars, image.database, &what).to_string();
            let password_file = format!("{}_FILE", image.password);
            let Some(Var::Value(path)) = vars.get(&password_file) else {
                // no secret: nothing to log in with, so no app to follow
                continue;
            };
            let (secret, key) = file_source(pod, container, path);
            // the Service in front of the database's pods, and its ports
            let labels = &set["spec"]["template"]["metadata"]["labels"];
            let service = objects
                .iter()
                .find(|o| {
                    o["kind"] == "Service"
                        && o["metadata"]["namespace"] == ns
                        && labels_match(&o["spec"]["selector"], labels)
                })
                .unwrap_or_else(|| panic!("{what}: no Service selects its pods"));
            let host = format!(
                "{}.{ns}.svc.cluster.local",
                service["metadata"]["name"].as_str().unwrap()
            );
            let ports: Vec<String> = service["spec"]["ports"]
                .as_sequence()
                .unwrap()
                .iter()
                .map(|p| p["port"].as_u64().unwrap().to_string())
                .collect();
            for app in objects.iter().filter(|o| {
                matches!(o["kind"].as_str(), Some("Deployment" | "Rollout"))
                    && o["metadata"]["namespace"] == ns
            }) {
                let app_pod = &app["spec"]["template"]["spec"];
                let app_what = format!(
                    "{}: {} {}",
                    site.display(),
                    app["kind"].as_str().unwrap(),
                    app["metadata"]["name"].as_str().unwrap()
                );
                let app_vars = environment(&app_pod["containers"][0], &objects, ns);
                for (name, var) in &app_vars {
                    let Var::Secret(read, read_key) = var else {
                        continue;
                    };
                    if *read != secret {
                        continue;
                    }
                    assert_eq!(
                        read_key, &key,
                        "{app_what}: {name} reads key {read_key} of {secret}, but the database sets its user's password from {key}"
                    );
                    let prefix = name.strip_suffix("_PASSWORD").unwrap_or_else(|| {
                        panic!(
                            "{app_what}: {name} reads the database's password under another name"
                        )
                    });
                    assert_eq!(value(&app_vars, &format!("{prefix}_USER"), &app_what), user);
                    assert_eq!(
                        value(&app_vars, &format!("{prefix}_NAME"), &app_what),
                        database
                    );
                    assert_eq!(value(&app_vars, &format!("{prefix}_HOST"), &app_what), host);
                    let port = value(&app_vars, &format!("{prefix}_PORT"), &app_what);
                    assert!(
                        ports.iter().any(|p| p == port),
                        "{app_what}: port {port} not in {ports:?}"
                    );
                    apps_followed += 1;
                }
            }
        }
    }
    // the seed's WAS, the sealed fixture's notes and the shared namespace's api
    assert!(
        apps_followed >= 3,
        "followed only {apps_followed} apps to their database"
    );
}

/// The seed's MySQL in particular creates an application user apart from root.
#[test]
fn the_seeds_mysql_creates_database_and_user_blog() {
    let bytes = std::fs::read(crate::support::root().join("site.kdl")).unwrap();
    let compiled = labc::compile("site.kdl", &bytes, &catalog()).unwrap();
    let objects = api_objects(compiled.files.as_map());
    let set = crate::support::find(&objects, "StatefulSet", "mysql");
    let vars = environment(
        &set["spec"]["template"]["spec"]["containers"][0],
        &objects,
        "blog",
    );
    assert_eq!(value(&vars, "MYSQL_DATABASE", "mysql"), "blog");
    assert_eq!(value(&vars, "MYSQL_USER", "mysql"), "blog");
    assert!(vars.contains_key("MYSQL_ROOT_PASSWORD_FILE"));
    assert!(vars.contains_key("MYSQL_PASSWORD_FILE"));
}
