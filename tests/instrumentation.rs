//! OpenTelemetry auto-instrumentation on the emitted objects: the Instrumentation exports to
//! the tempo component's Service, the pod template names that Instrumentation, and the app's
//! Application syncs after the operator's.

use crate::support::{catalog, compile_objects as objects, find, root};
use serde_yaml::Value;

fn wave(objects: &[Value], application: &str) -> i64 {
    find(objects, "Application", application)["metadata"]["annotations"]
        ["argocd.argoproj.io/sync-wave"]
        .as_str()
        .unwrap()
        .parse()
        .unwrap()
}

#[test]
fn the_seeds_api_exports_to_tempos_service_through_the_instrumentation_its_pods_name() {
    let seed = std::fs::read_to_string(root().join("site.kdl")).unwrap();
    let objects = objects(&seed);
    let instrumentation = find(&objects, "Instrumentation", "was");
    assert_eq!(instrumentation["apiVersion"], "opentelemetry.io/v1alpha1");
    // the endpoint's host is the Service of the tempo release, in the namespace its
    // Application deploys it to
    let tempo = find(&objects, "Application", "tempo");
    let release = tempo["spec"]["source"]["helm"]["releaseName"]
        .as_str()
        .unwrap();
    let namespace = tempo["spec"]["destination"]["namespace"].as_str().unwrap();
    assert_eq!(
        namespace,
        catalog().get("tempo").unwrap().namespace,
        "tempo is deployed to its component's namespace"
    );
    assert_eq!(
        instrumentation["spec"]["exporter"]["endpoint"],
        format!("http://{release}.{namespace}.svc.cluster.local:4318")
    );
    let java_env = &instrumentation["spec"]["java"]["env"][0];
    assert_eq!(java_env["name"], "OTEL_EXPORTER_OTLP_PROTOCOL");
    assert_eq!(java_env["value"], "http/protobuf");
    // the pods ask for that Instrumentation, in their own namespace, for their own container
    let rollout = find(&objects, "Rollout", "was");
    assert_eq!(
        instrumentation["metadata"]["namespace"],
        rollout["metadata"]["namespace"]
    );
    let annotations = &rollout["spec"]["template"]["metadata"]["annotations"];
    assert_eq!(
        annotations["instrumentation.opentelemetry.io/inject-java"],
        instrumentation["metadata"]["name"]
    );
    let container = &rollout["spec"]["template"]["spec"]["containers"][0]["name"];
    assert_eq!(
        annotations["instrumentation.opentelemetry.io/container-names"],
        *container
    );
    // an app without `instrument` has neither
    assert!(!objects
        .iter()
        .any(|o| o["kind"] == "Instrumentation" && o["metadata"]["name"] != "was"));
    let web = find(&objects, "Rollout", "web");
    assert!(web["spec"]["template"]["metadata"]["annotations"]
        .as_mapping()
        .is_none_or(|m| !m.keys().any(|k| k
            .as_str()
            .unwrap()
            .starts_with("instrumentation.opentelemetry.io/"))));
    assert!(wave(&objects, "was") > wave(&objects, "otel"));
}

#[test]
fn an_instrumented_app_syncs_after_the_operator_even_with_nothing_else_ordering_them() {
    // tempo and otel wait for cilium (tempo also for the storage its volume binds to), otel for
    // tempo; the app, but for `instrument`, only for cilium, so it would sync before the
    // operator's CRD exists
    let site = r#"
site lab {
    repo "https://github.com/example/lab"
    kubernetes "1.31.13" runtime="containerd" runtime-version="2.1.5"
}
node cp role="control-plane" address="10.0.0.1"
node w1 role="worker" address="10.0.0.2"
layer cni { cilium; }
layer storage { local-path default=#true; }
layer gitops { argocd; }
layer observability {
    tempo
    otel {
        instrument java
    }
}
app api image="ghcr.io/x/api:1" instrument="java" {
    port 8080
}
app plain image="ghcr.io/x/plain:1" {
    port 8080
}
"#;
    let objects = objects(site);
    assert!(wave(&objects, "api") > wave(&objects, "otel"));
    assert!(wave(&objects, "plain") < wave(&objects, "otel"));
    find(&objects, "Instrumentation", "api");
}
