//! Every declared flow is allowed by both ends, and undeclared ones are denied, judged on the
//! emitted CiliumNetworkPolicies and AuthorizationPolicies read back from YAML, with a small
//! evaluator of their semantics, not on the model that produced them.

use crate::support::{api_objects, catalog, root};
use labc::model::{EgressTarget, Endpoint, HttpMethod, PolicyAction, Site};
use serde_yaml::Value;
use std::collections::BTreeMap;

const NS: &str = "k8s:io.kubernetes.pod.namespace";

/// A pod as the policies see it: its labels (with Cilium's namespace label) and identity.
#[derive(Clone)]
struct Pod {
    labels: BTreeMap<String, String>,
    namespace: String,
    principal: String,
    name: String,
}

struct Out {
    objects: Vec<Value>,
}

fn str_of(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        _ => String::new(),
    }
}

fn list<'a>(v: &'a Value, key: &str) -> Vec<&'a Value> {
    v.get(key)
        .and_then(Value::as_sequence)
        .map(|s| s.iter().collect())
        .unwrap_or_default()
}

impl Out {
    fn of<'n>(kind: &'static str, namespace: &'n str) -> impl Fn(&&Value) -> bool + 'n {
        move |o: &&Value| {
            o["kind"].as_str() == Some(kind)
                && o["metadata"]["namespace"].as_str() == Some(namespace)
        }
    }

    fn pods(&self) -> Vec<Pod> {
        let mut pods = Vec::new();
        for o in &self.objects {
            let kind = o["kind"].as_str().unwrap_or_default();
            if !matches!(kind, "Deployment" | "Rollout" | "StatefulSet") {
                continue;
            }
            let ns = str_of(&o["metadata"]["namespace"]);
            let template = &o["spec"]["template"];
            // the site's apps and databases; a platform component's pods (Wazuh's, written by
            // labc too) carry no `app.kubernetes.io/name` and get no labc policy
            if template["metadata"]["labels"]["app.kubernetes.io/name"].is_null() {
                continue;
            }
            let mut labels: BTreeMap<String, String> = template["metadata"]["labels"]
                .as_mapping()
                .unwrap()
                .iter()
                .map(|(k, v)| (str_of(k), str_of(v)))
                .collect();
            labels.insert(NS.into(), ns.clone());
            let sa = str_of(&template["spec"]["serviceAccountName"]);
            pods.push(Pod {
                labels,
                principal: format!("cluster.local/ns/{ns}/sa/{sa}"),
                namespace: ns,
                name: str_of(&o["metadata"]["name"]),
            });
        }
        pods
    }

    /// The CiliumNetworkPolicies selecting `pod`.
    fn cnps(&self, pod: &Pod) -> Vec<&Value> {
        self.objects
            .iter()
            .filter(Out::of("CiliumNetworkPolicy", &pod.namespace))
            .filter(|p| selects(&p["spec"]["endpointSelector"], &pod.labels))
            .collect()
    }

    /// The AuthorizationPolicies of `pod` with `action`: Istio reads a missing action as
    /// ALLOW and a missing selector as every workload of the namespace (`spec: {}`, the
    /// allow-nothing policy).
    fn aps(&self, pod: &Pod, action: &str) -> Vec<&Value> {
        self.objects
            .iter()
            .filter(Out::of("AuthorizationPolicy", &pod.namespace))
            .filter(|p| p["spec"]["action"].as_str().unwrap_or("ALLOW") == action)
            .filter(|p| {
                let selector = &p["spec"]["selector"];
                selector.is_null() || selects(selector, &pod.labels)
            })
            .collect()
    }

    /// The standard NetworkPolicies selecting `pod`; `podSelector: {}` selects every pod.
    fn knps(&self, pod: &Pod) -> Vec<&Value> {
        self.objects
            .iter()
            .filter(Out::of("NetworkPolicy", &pod.namespace))
            .filter(|p| {
                let selector = &p["spec"]["podSelector"];
                selector["matchLabels"].is_null() || selects(selector, &pod.labels)
            })
            .collect()
    }
}

fn selects(selector: &Value, labels: &BTreeMap<String, String>) -> bool {
    selector["matchLabels"].as_mapping().is_some_and(|m| {
        m.iter()
            .all(|(k, v)| labels.get(&str_of(k)) == Some(&str_of(v)))
    })
}

fn port_ok(rule: &Value, port: u16) -> bool {
    let rules = list(rule, "toPorts");
    rules.is_empty()
        || rules.iter().any(|r| {
            list(r, "ports")
                .iter()
                .any(|p| str_of(&p["port"]) == port.to_string())
        })
}

/// The far end of a connection, as Cilium classifies it.
enum Peer<'a> {
    Pod(&'a Pod),
    World,
    Fqdn(&'a str),
}

fn peer_ok(rule: &Value, peer: &Peer, dir: &str) -> bool {
    match peer {
        Peer::Pod(pod) => {
            list(rule, &format!("{dir}Endpoints"))
                .iter()
                .any(|s| selects(s, &pod.labels))
                || list(rule, &format!("{dir}Entities"))
                    .iter()
                    .any(|e| matches!(e.as_str(), Some("cluster" | "all")))
        }
        Peer::World => list(rule, &format!("{dir}Entities"))
            .iter()
            .any(|e| matches!(e.as_str(), Some("world" | "all"))),
        Peer::Fqdn(host) => {
            list(rule, "toFQDNs")
                .iter()
                .any(|f| f["matchName"].as_str() == Some(*host))
                || peer_ok(rule, &Peer::World, dir)
        }
    }
}

/// Whether the CiliumNetworkPolicies of `pod` let the connection through in direction `dir`
/// (`to` for egress, `from` for ingress): some allow rule matches and no deny rule does.
fn cilium(out: &Out, pod: &Pod, peer: &Peer, port: u16, dir: &str) -> bool {
    let (allow, deny) = if dir == "to" {
        ("egress", "egressDeny")
    } else {
        ("ingress", "ingressDeny")
    };
    let policies = out.cnps(pod);
    assert!(
        !policies.is_empty(),
        "{} has no CiliumNetworkPolicy",
        pod.name
    );
    // Cilium allows the union of every policy selecting a pod, standard ones included: labc's
    // (per workload and per namespace) only deny, so they add nothing to the union
    for knp in out.knps(pod) {
        assert!(
            knp["spec"]["ingress"].is_null() && knp["spec"]["egress"].is_null(),
            "a NetworkPolicy selecting {} allows something: {knp:?}",
            pod.name
        );
    }
    let matches = |key| {
        policies.iter().any(|p| {
            list(&p["spec"], key)
                .iter()
                .any(|r| peer_ok(r, peer, dir) && port_ok(r, port))
        })
    };
    matches(allow) && !matches(deny)
}

struct Request<'a> {
    principal: &'a str,
    namespace: &'a str,
    port: u16,
    method: &'a str,
    path: &'a str,
    host: &'a str,
}

fn field_ok(op: &Value, key: &str, value: &str) -> bool {
    let items = list(op, key);
    items.is_empty()
        || items.iter().any(|i| {
            let p = str_of(i);
            match p.strip_suffix('*') {
                Some(prefix) => value.starts_with(prefix),
                None => p == value,
            }
        })
}

fn rule_matches(rule: &Value, r: &Request) -> bool {
    let from = list(rule, "from");
    let from_ok = from.is_empty()
        || from.iter().any(|f| {
            let s = &f["source"];
            let p = list(s, "principals");
            let n = list(s, "namespaces");
            (p.is_empty() || p.iter().any(|x| x.as_str() == Some(r.principal)))
                && (n.is_empty() || n.iter().any(|x| x.as_str() == Some(r.namespace)))
        });
    let to = list(rule, "to");
    let to_ok = to.is_empty()
        || to.iter().any(|t| {
            let op = &t["operation"];
            field_ok(op, "ports", &r.port.to_string())
                && field_ok(op, "methods", r.method)
                && field_ok(op, "paths", r.path)
                && field_ok(op, "hosts", r.host)
        });
    from_ok && to_ok
}

/// Istio's order: any matching DENY denies; else with ALLOW policies one rule must match.
fn istio(out: &Out, pod: &Pod, r: &Request) -> bool {
    let any = |ps: Vec<&Value>| {
        ps.iter().any(|p| {
            list(&p["spec"], "rules")
                .iter()
                .any(|rule| rule_matches(rule, r))
        })
    };
    if any(out.aps(pod, "DENY")) {
        return false;
    }
    let allow = out.aps(pod, "ALLOW");
    assert!(
        !allow.is_empty(),
        "{} has no ALLOW AuthorizationPolicy",
        pod.name
    );
    any(allow)
}

fn compile(path: &str) -> (Site, Out) {
    let path = root().join(path);
    let bytes = std::fs::read(&path).unwrap();
    let catalog = catalog();
    let compiled = labc::compile("site.kdl", &bytes, &catalog)
        .unwrap_or_else(|e| panic!("{}", labc::cli::render_plain(e)));
    let parsed = labc::syntax::parse("site.kdl", &bytes).unwrap_or_else(|_| panic!());
    let (site, _) = labc::decode::decode(&parsed.document, &catalog);
    let objects = api_objects(compiled.files.as_map());
    (site, Out { objects })
}

fn gateway_pod(name: &str) -> Pod {
    Pod {
        labels: BTreeMap::from([
            ("istio".to_string(), name.to_string()),
            (NS.to_string(), "istio-ingress".to_string()),
        ]),
        namespace: "istio-ingress".into(),
        principal: format!("cluster.local/ns/istio-ingress/sa/{name}"),
        name: name.into(),
    }
}

/// Both ends allow `from` → `to` on `port` at L3/L4, and the server at L7 for the request.
fn allowed(out: &Out, from: &Pod, to: &Pod, r: &Request, gateway: bool) -> bool {
    (gateway || cilium(out, from, &Peer::Pod(to), r.port, "to"))
        && cilium(out, to, &Peer::Pod(from), r.port, "from")
        && istio(out, to, r)
}

fn request<'a>(from: &'a Pod, port: u16) -> Request<'a> {
    Request {
        principal: &from.principal,
        namespace: &from.namespace,
        port,
        method: "GET",
        path: "/",
        host: "",
    }
}

fn walk(path: &str) -> (usize, usize) {
    let (site, out) = compile(path);
    let pods = out.pods();
    let pod = |name: &str| pods.iter().find(|p| p.name == name).unwrap();
    let first_port = |name: &str| -> u16 {
        site.apps
            .iter()
            .find(|a| a.name.as_str() == name)
            .and_then(|a| a.ports.first().map(|p| p.number.value))
            .or_else(|| {
                site.databases
                    .iter()
                    .find(|d| d.name.as_str() == name)
                    .map(|d| d.engine.port())
            })
            .unwrap()
    };
    let mut declared = std::collections::BTreeSet::new();
    let mut checked = 0;
    for app in &site.apps {
        let me = pod(app.name.as_str());
        for used in &app.uses {
            let target = used.target.as_str();
            let port = used.port.map_or_else(|| first_port(target), |p| p.value);
            declared.insert((app.name.to_string(), target.to_string()));
            let r = request(me, port);
            assert!(
                allowed(&out, me, pod(target), &r, false),
                "{} uses {target}",
                app.name
            );
            checked += 1;
        }
        for route in &app.routes {
            let gw = gateway_pod(route.gateway.as_str());
            let port = route
                .port
                .map_or_else(|| first_port(app.name.as_str()), |p| p.value);
            let methods: Vec<HttpMethod> = if route.methods.is_empty() {
                vec![HttpMethod::Get]
            } else {
                route.methods.iter().map(|m| m.value).collect()
            };
            let path = format!("{}/x", route.path.as_str().trim_end_matches('/'));
            for method in methods {
                let r = Request {
                    method: method.as_str(),
                    path: &path,
                    host: route.host.as_str(),
                    ..request(&gw, port)
                };
                assert!(
                    allowed(&out, &gw, me, &r, true),
                    "route to {} {}",
                    app.name,
                    method.as_str()
                );
                checked += 1;
            }
            // a method the route does not list is refused at L7
            let r = Request {
                method: "DELETE",
                path: &path,
                host: route.host.as_str(),
                ..request(&gw, port)
            };
            if !route.methods.iter().any(|m| m.value == HttpMethod::Delete) {
                assert!(
                    !istio(&out, me, &r),
                    "DELETE through the route to {}",
                    app.name
                );
            }
            // a path outside the prefix is refused, unless the prefix is `/`
            if route.path.as_str() != "/" {
                let r = Request {
                    path: "/elsewhere",
                    host: route.host.as_str(),
                    ..request(&gw, port)
                };
                assert!(
                    !istio(&out, me, &r),
                    "path outside the route to {}",
                    app.name
                );
            }
        }
        for egress in &app.egress {
            for port in &egress.ports {
                let peer = match &egress.target.value {
                    EgressTarget::World => Peer::World,
                    EgressTarget::Fqdn(h) => Peer::Fqdn(h.as_str()),
                    EgressTarget::Cidr(_) => continue,
                };
                assert!(
                    cilium(&out, me, &peer, port.value, "to"),
                    "{} egress",
                    app.name
                );
                checked += 1;
            }
        }
        // nothing else leaves for the world: port 80 is never declared in these sites
        assert!(
            !cilium(&out, me, &Peer::World, 80, "to"),
            "{} reaches the world on 80",
            app.name
        );
    }
    for policy in site
        .policies
        .iter()
        .filter(|p| p.action == PolicyAction::Allow)
    {
        if let (Endpoint::Named(from), Endpoint::Named(to)) = (&policy.from.value, &policy.to.value)
        {
            declared.insert((from.to_string(), to.to_string()));
            let (from, to) = (pod(from.as_str()), pod(to.as_str()));
            let port = policy
                .ports
                .first()
                .map_or_else(|| first_port(&to.name), |p| p.value);
            let method = policy.methods.first().map_or("GET", |m| m.as_str());
            let path = policy
                .paths
                .first()
                .map_or("/".to_string(), |p| p.to_string());
            let r = Request {
                method,
                path: &path,
                ..request(from, port)
            };
            assert!(allowed(&out, from, to, &r, false), "policy {}", policy.name);
            checked += 1;
            if !policy.methods.is_empty() {
                let r = Request {
                    method: "DELETE",
                    path: &path,
                    ..request(from, port)
                };
                assert!(
                    !istio(&out, to, &r),
                    "policy {} lets DELETE through",
                    policy.name
                );
            }
        }
    }
    let mut denied = 0;
    for from in &pods {
        for to in &pods {
            if from.name == to.name || declared.contains(&(from.name.clone(), to.name.clone())) {
                continue;
            }
            let r = request(from, first_port(&to.name));
            assert!(
                !cilium(&out, from, &Peer::Pod(to), r.port, "to")
                    || !cilium(&out, to, &Peer::Pod(from), r.port, "from"),
                "{} → {} open at L3/L4",
                from.name,
                to.name
            );
            assert!(
                !istio(&out, to, &r),
                "{} → {} open at L7",
                from.name,
                to.name
            );
            denied += 1;
        }
        // no gateway reaches a workload it has no route to
        let gw = gateway_pod("public");
        let routed = site
            .apps
            .iter()
            .any(|a| a.name.as_str() == from.name && !a.routes.is_empty());
        if !routed {
            assert!(
                !cilium(&out, from, &Peer::Pod(&gw), first_port(&from.name), "from"),
                "gateway reaches {}",
                from.name
            );
            denied += 1;
        }
    }
    (checked, denied)
}

#[test]
fn the_seed_sites_declared_flows_are_open_and_the_rest_closed() {
    let (checked, denied) = walk("site.kdl");
    // 2 uses, 4 route methods, 1 egress; 3 workloads give 6 pairs, minus the 2 declared
    assert_eq!((checked, denied), (7, 5));
}

#[test]
fn explicit_policies_open_and_narrow_on_the_emitted_objects() {
    let (site, out) = compile("tests/fixtures/ok/policies/site.kdl");
    let (checked, _) = walk("tests/fixtures/ok/policies/site.kdl");
    assert!(checked >= 5);
    let pods = out.pods();
    let pod = |name: &str| pods.iter().find(|p| p.name == name).unwrap();
    // the L7 deny narrows the route: /admin is refused, the rest of `/` still served
    let gw = gateway_pod("edge");
    let admin = Request {
        path: "/admin/users",
        host: "lab.example.dev",
        ..request(&gw, 8080)
    };
    assert!(!istio(&out, pod("front"), &admin));
    let home = Request {
        path: "/index.html",
        host: "lab.example.dev",
        ..request(&gw, 8080)
    };
    assert!(istio(&out, pod("front"), &home));
    // the L3/L4 deny closes front → batch on both layers
    let r = request(pod("front"), 7000);
    assert!(!cilium(
        &out,
        pod("front"),
        &Peer::Pod(pod("batch")),
        7000,
        "to"
    ));
    assert!(!istio(&out, pod("batch"), &r));
    assert_eq!(site.policies.len(), 3);
}

#[test]
fn a_pod_talon_labels_loses_every_flow_and_its_neighbours_keep_theirs() {
    let (_, out) = compile("site.kdl");
    let pods = out.pods();
    let (key, value) = labc::emit::QUARANTINE;
    // every port any policy names, and HTTPS to the world
    let mut ports: Vec<u16> = out
        .objects
        .iter()
        .filter(|o| o["kind"] == "CiliumNetworkPolicy")
        .flat_map(|o| {
            let spec = &o["spec"];
            let rules: Vec<&Value> = ["egress", "ingress"]
                .iter()
                .flat_map(|k| list(spec, k))
                .collect();
            rules
                .into_iter()
                .flat_map(|r| list(r, "toPorts"))
                .flat_map(|p| list(p, "ports"))
                .filter_map(|p| str_of(&p["port"]).parse().ok())
                .collect::<Vec<u16>>()
        })
        .collect();
    ports.push(443);
    ports.sort_unstable();
    ports.dedup();
    let mut open_before = 0;
    for pod in &pods {
        let mut caught = pod.clone();
        caught.labels.insert(key.into(), value.into());
        for port in &ports {
            let mut peers: Vec<Peer> = pods
                .iter()
                .filter(|p| p.name != pod.name)
                .map(Peer::Pod)
                .collect();
            peers.push(Peer::World);
            for peer in &peers {
                for dir in ["to", "from"] {
                    if cilium(&out, pod, peer, *port, dir) {
                        open_before += 1;
                        assert!(
                            !cilium(&out, &caught, peer, *port, dir),
                            "{} still reaches {dir} a peer on {port} once labelled",
                            pod.name
                        );
                    }
                }
            }
        }
    }
    // the seed's own flows were open before the label: the test looked at real traffic
    assert!(open_before >= 4, "{open_before}");
}

/// Prometheus' pods as kube-prometheus-stack runs them: outside the mesh, so without an Istio
/// identity, in the component's namespace.
fn prometheus_pod() -> Pod {
    Pod {
        labels: BTreeMap::from([
            (
                "app.kubernetes.io/name".to_string(),
                "prometheus".to_string(),
            ),
            (NS.to_string(), "monitoring".to_string()),
        ]),
        namespace: "monitoring".into(),
        principal: String::new(),
        name: "prometheus".into(),
    }
}

/// The port Prometheus connects to for the PodMonitor of app `name`, read from the emitted
/// objects: the container port its endpoint names in the app's pod template, or the port an
/// `__address__` relabelling rewrites the target to (the sidecar's merged metrics in a mesh).
fn scrape_port(out: &Out, name: &str) -> Option<u16> {
    let monitor = out
        .objects
        .iter()
        .find(|o| o["kind"] == "PodMonitor" && o["metadata"]["name"].as_str() == Some(name))?;
    let endpoint = list(&monitor["spec"], "podMetricsEndpoints")
        .into_iter()
        .next()?;
    let rewritten = list(endpoint, "relabelings").into_iter().find_map(|r| {
        (r["targetLabel"].as_str() == Some("__address__"))
            .then(|| str_of(&r["replacement"]).rsplit(':').next()?.parse().ok())
            .flatten()
    });
    if rewritten.is_some() {
        return rewritten;
    }
    let port_name = str_of(&endpoint["port"]);
    out.objects
        .iter()
        .filter(|o| matches!(o["kind"].as_str(), Some("Deployment" | "Rollout")))
        .filter(|o| o["metadata"]["name"].as_str() == Some(name))
        .flat_map(|o| list(&o["spec"]["template"]["spec"], "containers"))
        .flat_map(|c| list(c, "ports"))
        .find(|p| str_of(&p["name"]) == port_name)
        .and_then(|p| p["containerPort"].as_u64())
        .and_then(|p| u16::try_from(p).ok())
}

/// Prometheus may open `port` on `to` at L3/L4 and, in a mesh, at L7 (it has no sidecar, so it
/// is only the target's end: labc writes no policy for platform namespaces).
fn scrape_allowed(out: &Out, to: &Pod, port: u16, mesh: bool) -> bool {
    let prometheus = prometheus_pod();
    cilium(out, to, &Peer::Pod(&prometheus), port, "from")
        && (!mesh || istio(out, to, &request(&prometheus, port)))
}

#[test]
fn prometheus_scrapes_the_seeds_api_through_the_sidecars_merged_metrics_and_nothing_more() {
    let (_, out) = compile("site.kdl");
    let pods = out.pods();
    let pod = |name: &str| pods.iter().find(|p| p.name == name).unwrap();
    // the PodMonitor points at the agent's port, not the app port STRICT mTLS guards
    assert_eq!(scrape_port(&out, "was"), Some(15020));
    assert!(scrape_allowed(&out, pod("was"), 15020, true));
    // the pod template tells the agent where the app's own metrics are
    let rollout = out
        .objects
        .iter()
        .find(|o| o["kind"] == "Rollout" && o["metadata"]["name"] == "was")
        .unwrap();
    let annotations = &rollout["spec"]["template"]["metadata"]["annotations"];
    assert_eq!(annotations["prometheus.io/port"], "8080");
    assert_eq!(annotations["prometheus.io/path"], "/actuator/prometheus");
    // Prometheus reaches no app port; WEB, which declares no metrics, is scraped for its canary
    // analysis through the same port
    for name in ["was", "web", "mysql"] {
        let app_port = if name == "mysql" { 3306 } else { 8080 };
        assert!(
            !cilium(
                &out,
                pod(name),
                &Peer::Pod(&prometheus_pod()),
                app_port,
                "from"
            ),
            "Prometheus reaches {name} on {app_port}"
        );
    }
    assert_eq!(scrape_port(&out, "web"), Some(15020));
    assert!(scrape_allowed(&out, pod("web"), 15020, true));
    assert_eq!(scrape_port(&out, "mysql"), None);
}

#[test]
fn prometheus_scrapes_an_apps_metrics_port_without_a_mesh_and_nothing_more() {
    let (_, out) = compile("tests/fixtures/ok/metrics_no_mesh/site.kdl");
    let pods = out.pods();
    let pod = |name: &str| pods.iter().find(|p| p.name == name).unwrap();
    assert_eq!(scrape_port(&out, "api"), Some(9090));
    assert!(scrape_allowed(&out, pod("api"), 9090, false));
    // not the API port, not the app without metrics, and no other pod on the metrics port
    assert!(!scrape_allowed(&out, pod("api"), 8080, false));
    assert!(!scrape_allowed(&out, pod("front"), 8080, false));
    assert!(!scrape_allowed(&out, pod("front"), 9090, false));
    assert!(!cilium(
        &out,
        pod("api"),
        &Peer::Pod(pod("front")),
        9090,
        "from"
    ));
    assert_eq!(scrape_port(&out, "front"), None);
}

/// Tempo's pods as the tempo chart runs them: outside the mesh, in the component's namespace.
fn tempo_pod() -> Pod {
    Pod {
        labels: BTreeMap::from([
            ("app.kubernetes.io/name".to_string(), "tempo".to_string()),
            (NS.to_string(), "monitoring".to_string()),
        ]),
        namespace: "monitoring".into(),
        principal: String::new(),
        name: "tempo".into(),
    }
}

#[test]
fn an_instrumented_app_may_send_traces_to_tempo_on_otlp_http_and_no_other_app_may() {
    let (site, out) = compile("site.kdl");
    let pods = out.pods();
    let pod = |name: &str| pods.iter().find(|p| p.name == name).unwrap();
    let tempo = tempo_pod();
    assert!(site
        .apps
        .iter()
        .any(|a| a.name.as_str() == "was" && a.instrument.is_some()));
    assert!(cilium(&out, pod("was"), &Peer::Pod(&tempo), 4318, "to"));
    // only the OTLP/HTTP port the Instrumentation names, not gRPC nor Tempo's query API
    assert!(!cilium(&out, pod("was"), &Peer::Pod(&tempo), 4317, "to"));
    assert!(!cilium(&out, pod("was"), &Peer::Pod(&tempo), 3200, "to"));
    // apps without `instrument` (and the database) get no way to Tempo
    for name in ["web", "mysql"] {
        assert!(
            !cilium(&out, pod(name), &Peer::Pod(&tempo), 4318, "to"),
            "{name} reaches Tempo"
        );
    }
    // `labc flows` shows it
    let derived = labc::flows::derive(&site, &catalog());
    assert!(derived
        .iter()
        .any(|f| f.from.workload() == Some(("was", "blog"))
            && f.to
                == labc::flows::Peer::Namespace {
                    name: "monitoring".into()
                }
            && f.ports == [4318]
            && f.origin == labc::flows::Origin::Traces));
}

/// A pod nobody declared, run by hand in a namespace the site owns: no label of the site's.
fn stray_pod(namespace: &str) -> Pod {
    Pod {
        labels: BTreeMap::from([
            ("run".to_string(), "debug".to_string()),
            (NS.to_string(), namespace.to_string()),
        ]),
        namespace: namespace.into(),
        principal: format!("cluster.local/ns/{namespace}/sa/default"),
        name: format!("{namespace}/debug"),
    }
}

/// Every namespace the site owns starts from deny as a whole: a pod run by hand there is
/// selected by the namespace's NetworkPolicy for both directions with no rule (and by no
/// CiliumNetworkPolicy that would open anything), and by an AuthorizationPolicy that admits no
/// request of any of the site's pods or of the gateway; while the declared flows stay open
/// (the seed walk above runs with both namespace-wide policies in place). Every pod template
/// written into such a namespace is selected by a CiliumNetworkPolicy of its own, so that no
/// Job or hook labc writes is left with the namespace's deny and no allow.
#[test]
fn a_pod_run_by_hand_in_an_owned_namespace_may_talk_to_nothing() {
    let (site, out) = compile("site.kdl");
    let owned: std::collections::BTreeSet<&str> = site
        .apps
        .iter()
        .map(|a| a.namespace.as_str())
        .chain(site.databases.iter().map(|d| d.namespace.as_str()))
        .collect();
    assert!(!owned.is_empty());
    let pods = out.pods();
    // beside the namespace-wide deny, every declared pod still resolves names and reaches
    // istiod for its sidecar's configuration (xDS on 15012)
    let system = |labels: [(&str, &str); 1], namespace: &str| Pod {
        labels: labels
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .chain([(NS.to_string(), namespace.to_string())])
            .collect(),
        namespace: namespace.into(),
        principal: String::new(),
        name: labels[0].1.into(),
    };
    let dns = system([("k8s-app", "kube-dns")], "kube-system");
    let istiod = system([("app", "istiod")], "istio-system");
    for pod in &pods {
        assert!(
            cilium(&out, pod, &Peer::Pod(&dns), 53, "to"),
            "{}: no DNS",
            pod.name
        );
        assert!(
            cilium(&out, pod, &Peer::Pod(&istiod), 15012, "to"),
            "{}: no istiod",
            pod.name
        );
    }
    for ns in &owned {
        let stray = stray_pod(ns);
        assert!(
            out.cnps(&stray).is_empty(),
            "a Cilium policy selects {}",
            stray.name
        );
        let knps = out.knps(&stray);
        assert!(
            knps.iter().any(|p| {
                let types: Vec<String> = list(&p["spec"], "policyTypes")
                    .iter()
                    .map(|t| str_of(t))
                    .collect();
                types.contains(&"Ingress".to_string())
                    && types.contains(&"Egress".to_string())
                    && p["spec"]["ingress"].is_null()
                    && p["spec"]["egress"].is_null()
            }),
            "no namespace-wide deny selects {}",
            stray.name
        );
        let gateway = gateway_pod("public");
        for from in pods.iter().chain([&gateway]) {
            for port in [80, 443, 8080, 3306, 9090, 15020] {
                let r = request(from, port);
                assert!(
                    !out.aps(&stray, "ALLOW").is_empty() && !istio(&out, &stray, &r),
                    "{} may call {} on {port}",
                    from.name,
                    stray.name
                );
            }
        }
    }
    for object in &out.objects {
        let ns = str_of(&object["metadata"]["namespace"]);
        let kind = object["kind"].as_str().unwrap_or_default();
        let template = match kind {
            "Deployment" | "Rollout" | "StatefulSet" | "DaemonSet" | "Job" => {
                &object["spec"]["template"]
            }
            "CronJob" => &object["spec"]["jobTemplate"]["spec"]["template"],
            "Pod" => object,
            _ => continue,
        };
        if !owned.contains(ns.as_str()) {
            continue;
        }
        let mut labels: BTreeMap<String, String> = template["metadata"]["labels"]
            .as_mapping()
            .map(|m| m.iter().map(|(k, v)| (str_of(k), str_of(v))).collect())
            .unwrap_or_default();
        labels.insert(NS.into(), ns.clone());
        let pod = Pod {
            labels,
            namespace: ns.clone(),
            principal: String::new(),
            name: format!("{kind} {ns}/{}", str_of(&object["metadata"]["name"])),
        };
        assert!(
            !out.cnps(&pod).is_empty(),
            "{} has no allows of its own",
            pod.name
        );
    }
}

/// `labc flows` prints the table the policies are written from, one row per flow, and says what
/// happens to everything else and to a pod Falco Talon quarantines.
#[test]
fn labc_flows_prints_every_flow_and_what_is_denied() {
    let output = crate::support::labc(&["flows", "site.kdl"], &root());
    assert!(output.status.success());
    let text = String::from_utf8(output.stdout).unwrap();
    let (site, _) = compile("site.kdl");
    let flows = labc::flows::derive(&site, &catalog());
    let rows: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with("allow") || l.starts_with("deny"))
        .collect();
    assert_eq!(rows.len(), flows.len());
    assert!(rows
        .iter()
        .any(|r| r.contains("blog/was") && r.contains("world") && r.contains("443")));
    assert!(text.contains("every other flow is denied"));
    assert!(text.contains("quarantine=true may not talk to anything"));
    assert!(
        text.contains("namespace blog: default deny for every pod (NetworkPolicy labc.default-deny and AuthorizationPolicy labc.allow-nothing)"),
        "{text}"
    );
    // without Talon there is no quarantine to speak of
    let output = crate::support::labc(&["flows", "tests/fixtures/ok/policies/site.kdl"], &root());
    let text = String::from_utf8(output.stdout).unwrap();
    assert!(text.contains("every other flow is denied"));
    assert!(!text.contains("quarantine"));
}
