use super::*;
use std::collections::BTreeMap;

fn tree(files: &[(&str, &str)]) -> BTreeMap<String, Vec<u8>> {
    files
        .iter()
        .map(|(p, t)| (p.to_string(), t.as_bytes().to_vec()))
        .collect()
}

fn paths(diff: &Diff) -> Vec<String> {
    diff.groups
        .values()
        .flatten()
        .flat_map(|c| match &c.what {
            What::Fields(f) => f.iter().map(|f| f.path.clone()).collect(),
            _ => vec![],
        })
        .collect()
}

#[test]
fn key_order_quoting_and_flow_style_are_not_changes() {
    let old = tree(&[(
        "apps/a/service-a.yaml",
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: a\n  namespace: n\nspec:\n  ports:\n    - port: 80\n      name: http\n",
    )]);
    let new = tree(&[(
        "apps/a/service-a.yaml",
        "kind: Service\nspec: {ports: [{name: 'http', port: 80}]}\nmetadata: {namespace: \"n\", name: a}\napiVersion: v1\n",
    )]);
    assert!(diff(&old, &new).is_empty());
}

#[test]
fn named_list_items_are_matched_by_name_and_odd_keys_are_quoted() {
    let old = tree(&[(
        "apps/a/deployment-a.yaml",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: a\n  annotations: {a.b/c: x}\nspec:\n  containers:\n    - name: a\n      image: a:1\n",
    )]);
    let new = tree(&[(
        "apps/a/deployment-a.yaml",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: a\n  annotations: {a.b/c: y}\nspec:\n  containers:\n    - name: sidecar\n      image: s:1\n    - name: a\n      image: a:2\n",
    )]);
    let d = diff(&old, &new);
    assert_eq!(
        paths(&d),
        [
            "metadata.annotations[\"a.b/c\"]",
            "spec.containers[a].image",
            "spec.containers[sidecar]"
        ]
    );
    let change = &d.groups["apps/a"][0];
    assert!(change.risks.contains(&Risk::Images));
}

#[test]
fn a_new_api_version_is_a_change_not_a_replacement() {
    let old = tree(&[(
        "x/a.yaml",
        "apiVersion: g.io/v1alpha1\nkind: K\nmetadata: {name: a}\n",
    )]);
    let new = tree(&[(
        "x/a.yaml",
        "apiVersion: g.io/v1\nkind: K\nmetadata: {name: a}\n",
    )]);
    assert_eq!(paths(&diff(&old, &new)), ["apiVersion"]);
}

#[test]
fn scripts_are_compared_by_line() {
    let old = tree(&[("nodes/n/provision.sh", "a\nb\nc\n")]);
    let new = tree(&[("nodes/n/provision.sh", "a\nB\nc\nd\n")]);
    let d = diff(&old, &new);
    let change = &d.groups["nodes/n"][0];
    assert!(change.risks.contains(&Risk::NodeScripts));
    let What::Lines(lines) = &change.what else {
        panic!("{change:?}")
    };
    assert_eq!(
        lines,
        &[
            LineChange::Removed {
                line: 2,
                text: "b".into()
            },
            LineChange::Added {
                line: 2,
                text: "B".into()
            },
            LineChange::Added {
                line: 4,
                text: "d".into()
            },
        ]
    );
}

#[test]
fn the_index_is_not_an_object() {
    let old = tree(&[("index.sha256", "x")]);
    let new = tree(&[("index.sha256", "y")]);
    assert!(diff(&old, &new).is_empty());
}

fn risks_of(old: &str, new: &str) -> BTreeSet<Risk> {
    let d = diff(
        &tree(&[("apps/a/x.yaml", old)]),
        &tree(&[("apps/a/x.yaml", new)]),
    );
    d.groups
        .values()
        .flatten()
        .flat_map(|c| c.risks.iter().copied())
        .collect()
}

const STATEFULSET: &str = "apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: pg, namespace: db}\nspec:\n  serviceName: pg\n  replicas: 1\n  selector: {matchLabels: {app: pg}}\n  template: {spec: {containers: [{name: pg, image: 'pg:16'}]}}\n  volumeClaimTemplates:\n    - metadata: {name: data}\n      spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 10Gi}}}\n";

#[test]
fn a_statefulset_claim_template_or_selector_change_is_flagged_its_replicas_are_not() {
    let bigger = STATEFULSET.replace("storage: 10Gi", "storage: 20Gi");
    assert!(risks_of(STATEFULSET, &bigger).contains(&Risk::Immutable));
    let renamed = STATEFULSET.replace("serviceName: pg", "serviceName: pg-headless");
    assert!(risks_of(STATEFULSET, &renamed).contains(&Risk::Immutable));
    let selector = STATEFULSET.replace("{app: pg}}", "{app: pg, tier: db}}");
    assert!(risks_of(STATEFULSET, &selector).contains(&Risk::Immutable));
    let parallel = STATEFULSET.replace(
        "  replicas: 1\n",
        "  replicas: 1\n  podManagementPolicy: Parallel\n",
    );
    assert!(risks_of(STATEFULSET, &parallel).contains(&Risk::Immutable));
    let scaled = STATEFULSET.replace("replicas: 1", "replicas: 3");
    assert!(risks_of(STATEFULSET, &scaled).is_empty());
    let upgraded = STATEFULSET.replace("pg:16", "pg:17");
    assert_eq!(
        risks_of(STATEFULSET, &upgraded),
        BTreeSet::from([Risk::Images])
    );
}

#[test]
fn deployment_selector_and_job_template_are_flagged() {
    let deployment = "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: a, namespace: n}\nspec:\n  replicas: 1\n  selector: {matchLabels: {app: a}}\n";
    let relabelled = deployment.replace("{app: a}}", "{app: b}}");
    assert!(risks_of(deployment, &relabelled).contains(&Risk::Immutable));
    let scaled = deployment.replace("replicas: 1", "replicas: 2");
    assert!(!risks_of(deployment, &scaled).contains(&Risk::Immutable));
    let job = "apiVersion: batch/v1\nkind: Job\nmetadata: {name: init, namespace: n}\nspec:\n  backoffLimit: 3\n  template: {spec: {restartPolicy: Never, containers: [{name: i, command: [a]}]}}\n";
    let changed = job.replace("command: [a]", "command: [b]");
    assert!(risks_of(job, &changed).contains(&Risk::Immutable));
    let retries = job.replace("backoffLimit: 3", "backoffLimit: 4");
    assert!(!risks_of(job, &retries).contains(&Risk::Immutable));
}

#[test]
fn service_address_and_external_name_moves_are_flagged_a_type_change_is_not() {
    let service = "apiVersion: v1\nkind: Service\nmetadata: {name: a, namespace: n}\nspec:\n  type: ClusterIP\n  ports: [{name: http, port: 80}]\n";
    let headless = service.replace("type: ClusterIP\n", "type: ClusterIP\n  clusterIP: None\n");
    assert!(risks_of(service, &headless).contains(&Risk::Immutable));
    let external = service.replace("type: ClusterIP", "type: ExternalName");
    assert!(risks_of(service, &external).contains(&Risk::Immutable));
    let node_port = service.replace("type: ClusterIP", "type: NodePort");
    assert!(!risks_of(service, &node_port).contains(&Risk::Immutable));
}

#[test]
fn a_claim_may_grow_but_not_shrink_or_change_class() {
    let claim = "apiVersion: v1\nkind: PersistentVolumeClaim\nmetadata: {name: d, namespace: n}\nspec:\n  storageClassName: longhorn\n  resources: {requests: {storage: 10Gi}}\n";
    let grown = claim.replace("10Gi", "20Gi");
    assert!(risks_of(claim, &grown).is_empty());
    let decimal_but_larger = claim.replace("10Gi", "11G");
    assert!(risks_of(claim, &decimal_but_larger).is_empty());
    let shrunk = claim.replace("10Gi", "10G");
    assert!(risks_of(claim, &shrunk).contains(&Risk::Immutable));
    let moved = claim.replace("longhorn", "local-path");
    assert!(risks_of(claim, &moved).contains(&Risk::Immutable));
}

#[test]
fn a_removed_namespace_leads_the_risk_line() {
    let namespace = "apiVersion: v1\nkind: Namespace\nmetadata: {name: blog}\n";
    let old = tree(&[("apps/blog/namespace-blog.yaml", namespace)]);
    let removed = diff(&old, &tree(&[]));
    let change = &removed.groups["apps/blog"][0];
    assert_eq!(change.risks, BTreeSet::from([Risk::NamespaceRemoved]));
    let text = render(&removed, DiffFormat::Text);
    let first = text.lines().next().unwrap_or_default();
    assert!(first.contains("namespace removed (1)"), "{text}");
    let added = diff(&tree(&[]), &old);
    assert!(added.groups["apps/blog"][0].risks.is_empty());
}
