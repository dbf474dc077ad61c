//! The Applications and AppProjects of `out/`, read from the files labc wrote, as Argo CD
//! reads them: the root Application of `bootstrap/` syncs `argocd/`, whose Applications each
//! point at a chart, a folder of the site repository or another git repository.

use serde_json::Value;
use std::collections::BTreeMap;

/// Where an Application's manifests come from.
#[derive(Debug, Clone, PartialEq)]
pub enum Source {
    /// A Helm chart from a chart repository.
    Chart {
        repo: String,
        chart: String,
        version: String,
        release: String,
        values: Value,
    },
    /// A folder of `out/` (the site repository), relative to `out/`.
    Folder { path: String, recurse: bool },
    /// A folder of another git repository at a revision; a chart there takes `values`.
    Git {
        repo: String,
        revision: String,
        path: String,
        release: String,
        values: Value,
    },
}

/// One Argo CD Application of `out/`.
#[derive(Debug, Clone)]
pub struct App {
    pub name: String,
    /// The file of `out/` that declares it.
    pub file: String,
    /// Its sync wave in the root Application (0 when it has none).
    pub wave: i64,
    pub project: String,
    pub namespace: String,
    pub source: Source,
}

/// One AppProject: where its Applications may deploy and which cluster-scoped kinds.
#[derive(Debug, Clone, Default)]
pub struct Project {
    pub name: String,
    pub file: String,
    /// (server, namespace) globs.
    pub destinations: Vec<(String, String)>,
    /// (group, kind) globs of cluster-scoped resources it may create.
    pub cluster_whitelist: Vec<(String, String)>,
    pub namespace_blacklist: Vec<(String, String)>,
    /// Empty means every namespaced kind.
    pub namespace_whitelist: Vec<(String, String)>,
}

/// Parses every YAML document of a file into JSON values; a document that is not YAML is an
/// error naming the file.
pub fn documents(path: &str, bytes: &[u8]) -> Result<Vec<Value>, String> {
    use serde::Deserialize;
    let text = std::str::from_utf8(bytes).map_err(|_| format!("{path} is not UTF-8"))?;
    let mut out = Vec::new();
    for document in serde_yaml::Deserializer::from_str(text) {
        let value = Value::deserialize(document).map_err(|e| format!("{path}: {e}"))?;
        if !value.is_null() {
            out.push(value);
        }
    }
    Ok(out)
}

/// File modes the way Kubernetes reads them: its YAML reader (YAML 1.1) takes a plain `0400`
/// for the octal number 256, where serde_yaml (YAML 1.2) keeps the string. Charts write modes
/// so (`defaultMode: 0400`); nothing else of theirs is an octal number.
pub fn octal_modes(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for (key, item) in map.iter_mut() {
                if matches!(key.as_str(), "defaultMode" | "mode") {
                    if let Some(n) = item
                        .as_str()
                        .filter(|s| s.len() > 1 && s.starts_with('0'))
                        .and_then(|s| u32::from_str_radix(&s[1..], 8).ok())
                    {
                        *item = Value::from(n);
                        continue;
                    }
                }
                octal_modes(item);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(octal_modes),
        _ => {}
    }
}

pub fn str_at<'a>(value: &'a Value, path: &[&str]) -> &'a str {
    at(value, path).and_then(Value::as_str).unwrap_or("")
}

pub fn at<'a>(value: &'a Value, path: &[&str]) -> Option<&'a Value> {
    path.iter().try_fold(value, |v, key| v.get(key))
}

/// The sync wave of an object (Argo CD's annotation; 0 without one).
pub fn wave_of(object: &Value) -> i64 {
    str_at(
        object,
        &["metadata", "annotations", "argocd.argoproj.io/sync-wave"],
    )
    .trim()
    .parse()
    .unwrap_or(0)
}

/// The site repository's URL and the folder of it that `out/` is, as the root Application
/// names them (it syncs `<path>/argocd`).
#[derive(Debug, Clone)]
pub struct Repo {
    pub url: String,
    pub path: String,
}

/// Reads the Application at `file` (already parsed). `repo` tells a folder of `out/` from
/// another repository.
pub fn app(file: &str, object: &Value, repo: &Repo) -> Result<App, String> {
    let spec = object
        .get("spec")
        .ok_or_else(|| format!("{file}: no spec"))?;
    let source = spec
        .get("source")
        .or_else(|| spec.get("sources").and_then(|s| s.get(0)))
        .ok_or_else(|| format!("{file}: no source"))?;
    let name = str_at(object, &["metadata", "name"]).to_string();
    let helm = |key: &str| at(source, &["helm", key]);
    let release = helm("releaseName")
        .and_then(Value::as_str)
        .unwrap_or(&name)
        .to_string();
    let values = match (helm("valuesObject"), helm("values")) {
        (Some(v), _) => v.clone(),
        (None, Some(Value::String(text))) => documents(file, text.as_bytes())?
            .into_iter()
            .next()
            .unwrap_or(Value::Null),
        _ => Value::Null,
    };
    let url = str_at(source, &["repoURL"]).to_string();
    let revision = str_at(source, &["targetRevision"]).to_string();
    let source = if let Some(chart) = source.get("chart").and_then(Value::as_str) {
        Source::Chart {
            repo: url,
            chart: chart.to_string(),
            version: revision,
            release,
            values,
        }
    } else {
        let path = str_at(source, &["path"]).trim_matches('/').to_string();
        let inside = path
            .strip_prefix(&repo.path)
            .and_then(|rest| rest.strip_prefix('/').or((rest.is_empty()).then_some("")));
        match inside {
            Some(rel) if same_repo(&url, &repo.url) => Source::Folder {
                path: rel.to_string(),
                recurse: at(source, &["directory", "recurse"]).and_then(Value::as_bool)
                    == Some(true),
            },
            _ => Source::Git {
                repo: url,
                revision,
                path,
                release,
                values,
            },
        }
    };
    Ok(App {
        name,
        file: file.to_string(),
        wave: wave_of(object),
        project: str_at(spec, &["project"]).to_string(),
        namespace: str_at(spec, &["destination", "namespace"]).to_string(),
        source,
    })
}

/// Argo CD treats `…/x` and `…/x.git` as one repository.
fn same_repo(a: &str, b: &str) -> bool {
    let norm = |s: &str| {
        s.trim_end_matches('/')
            .trim_end_matches(".git")
            .to_lowercase()
    };
    norm(a) == norm(b)
}

pub fn project(file: &str, object: &Value) -> Project {
    let pairs = |key: &str, a: &str, b: &str| -> Vec<(String, String)> {
        at(object, &["spec", key])
            .and_then(Value::as_array)
            .map(|items| {
                items
                    .iter()
                    .map(|i| (str_at(i, &[a]).to_string(), str_at(i, &[b]).to_string()))
                    .collect()
            })
            .unwrap_or_default()
    };
    Project {
        name: str_at(object, &["metadata", "name"]).to_string(),
        file: file.to_string(),
        destinations: pairs("destinations", "server", "namespace"),
        cluster_whitelist: pairs("clusterResourceWhitelist", "group", "kind"),
        namespace_blacklist: pairs("namespaceResourceBlacklist", "group", "kind"),
        namespace_whitelist: pairs("namespaceResourceWhitelist", "group", "kind"),
    }
}

/// The root Application (in `bootstrap/`), every Application and AppProject it syncs.
pub struct Tree {
    /// The root first, then the others by name.
    pub apps: Vec<App>,
    pub projects: BTreeMap<String, Project>,
}

/// Finds the root Application among `files` (relative to `out/`) and reads the tree.
pub fn tree(files: &BTreeMap<String, Vec<u8>>) -> Result<Tree, String> {
    let is_app = |v: &Value| str_at(v, &["kind"]) == "Application";
    let mut root = None;
    for (path, bytes) in files.range("bootstrap/".to_string()..) {
        if !path.starts_with("bootstrap/") {
            break;
        }
        if !(path.ends_with(".yaml") || path.ends_with(".yml")) {
            continue;
        }
        for doc in documents(path, bytes)? {
            if is_app(&doc) {
                root = Some((path.clone(), doc));
            }
        }
    }
    let (root_file, root) =
        root.ok_or("out/ has no root Application in bootstrap/: nothing would be synced")?;
    let root_path = str_at(&root, &["spec", "source", "path"]).trim_matches('/');
    let repo = Repo {
        url: str_at(&root, &["spec", "source", "repoURL"]).to_string(),
        path: root_path
            .rsplit_once('/')
            .map_or("", |(parent, _)| parent)
            .to_string(),
    };
    let root = app(&root_file, &root, &repo)?;
    let Source::Folder { path: synced, .. } = &root.source else {
        return Err(format!(
            "{root_file}: the root Application does not sync a folder of out/"
        ));
    };
    let synced = synced.clone();
    let mut apps = vec![root];
    let mut projects = BTreeMap::new();
    for (path, bytes) in folder_files(files, &synced, false) {
        for doc in documents(path, bytes)? {
            match str_at(&doc, &["kind"]) {
                "Application" => apps.push(app(path, &doc, &repo)?),
                "AppProject" => {
                    let p = project(path, &doc);
                    projects.insert(p.name.clone(), p);
                }
                _ => {}
            }
        }
    }
    apps[1..].sort_by(|a, b| a.name.cmp(&b.name));
    Ok(Tree { apps, projects })
}

/// The manifest files of a folder of `out/` as Argo CD's directory source reads them: YAML and
/// JSON files directly in it (or below it with `recurse`).
pub fn folder_files<'a>(
    files: &'a BTreeMap<String, Vec<u8>>,
    folder: &str,
    recurse: bool,
) -> impl Iterator<Item = (&'a String, &'a Vec<u8>)> {
    let prefix = if folder.is_empty() {
        String::new()
    } else {
        format!("{folder}/")
    };
    let items: Vec<_> = files
        .range(prefix.clone()..)
        .take_while(|(p, _)| p.starts_with(&prefix))
        .filter(|(p, _)| {
            let rest = &p[prefix.len()..];
            (recurse || !rest.contains('/'))
                && [".yaml", ".yml", ".json"].iter().any(|x| rest.ends_with(x))
        })
        .collect();
    items.into_iter()
}
