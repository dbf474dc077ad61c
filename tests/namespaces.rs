//! Namespaces labc does not own: Kubernetes' own and the platform components' are refused for
//! apps unless `site` declares them with `foreign-namespace`, and then labc writes no Namespace
//! object for them but still lets the apps' project deploy there.

use crate::support::{catalog, compile_objects};

fn site(foreign: &str, namespace: &str) -> String {
    format!(
        r#"site lab {{
    repo "https://github.com/example/lab"
    kubernetes "1.31.13" runtime="containerd" runtime-version="2.1.5"
    {foreign}
}}
node cp role="control-plane" address="10.0.0.1"
node w1 role="worker" address="10.0.0.2"
layer cni {{ cilium; }}
layer gitops {{ argocd; }}
app web namespace="web" image="ghcr.io/x/web:1" {{
    port 8080
}}
app agent namespace="{namespace}" image="ghcr.io/x/agent:1" {{
    port 8080
}}
"#
    )
}

fn errors(text: &str) -> Vec<(String, String)> {
    match labc::compile("site.kdl", text.as_bytes(), &catalog()) {
        Ok(_) => Vec::new(),
        Err(errors) => errors
            .iter()
            .map(|e| (e.error.code_str(), e.error.to_string()))
            .collect(),
    }
}

#[test]
fn kubernetes_and_platform_namespaces_are_refused() {
    for (namespace, owner) in [
        ("kube-system", "Kubernetes"),
        ("default", "Kubernetes"),
        ("kube-node-lease", "Kubernetes"),
        ("argocd", "component `argocd`"),
    ] {
        let found = errors(&site("", namespace));
        assert_eq!(
            found,
            [(
                "labc::namespace::reserved".to_string(),
                format!("`{namespace}` belongs to {owner}, not to the site")
            )],
            "{namespace}"
        );
    }
}

#[test]
fn a_foreign_namespace_is_used_but_not_written() {
    let objects = compile_objects(&site(
        r#"foreign-namespace "default" why="the vendor's operator looks for the agent there""#,
        "default",
    ));
    let namespaces: Vec<&str> = objects
        .iter()
        .filter(|o| o["kind"] == "Namespace")
        .filter_map(|o| o["metadata"]["name"].as_str())
        .collect();
    assert_eq!(namespaces, ["web"]);
    let agent = crate::support::find(&objects, "Deployment", "agent");
    assert_eq!(agent["metadata"]["namespace"], "default");
    let project = crate::support::find(&objects, "AppProject", "lab-apps");
    let destinations: Vec<&str> = project["spec"]["destinations"]
        .as_sequence()
        .unwrap()
        .iter()
        .filter_map(|d| d["namespace"].as_str())
        .collect();
    assert!(destinations.contains(&"default"), "{destinations:?}");
}

#[test]
fn a_foreign_namespace_needs_a_reason() {
    let found = errors(&site(r#"foreign-namespace "default""#, "default"));
    let codes: Vec<&str> = found.iter().map(|(c, _)| c.as_str()).collect();
    assert_eq!(codes, ["labc::decode::missing_property"]);
}
