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
