//! The fields that differ between two versions of one object, as paths a reviewer can read:
//! `spec.template.spec.containers[was].image`. Lists of named things (containers, ports,
//! volumes) are matched by name, so inserting one does not shift every later one.

use super::lines::Edit;
use serde_yaml::Value;

/// One field that differs. `old` is `None` for an added field, `new` for a removed one.
#[derive(Debug, Clone, PartialEq)]
pub struct FieldChange {
    pub path: String,
    pub old: Option<Value>,
    pub new: Option<Value>,
}

pub fn diff(old: &Value, new: &Value) -> Vec<FieldChange> {
    let mut changes = Vec::new();
    walk(&mut String::new(), old, new, &mut changes);
    changes
}

fn change(path: &str, old: Option<&Value>, new: Option<&Value>, out: &mut Vec<FieldChange>) {
    out.push(FieldChange {
        path: if path.is_empty() {
            ".".into()
        } else {
            path.into()
        },
        old: old.cloned(),
        new: new.cloned(),
    });
}

fn walk(path: &mut String, old: &Value, new: &Value, out: &mut Vec<FieldChange>) {
    match (old, new) {
        (Value::Mapping(a), Value::Mapping(b)) => {
            let mut keys: Vec<&Value> = a.keys().chain(b.keys()).collect();
            keys.sort_by_key(|k| key_text(k));
            keys.dedup();
            for key in keys {
                let len = path.len();
                push_key(path, &key_text(key));
                match (a.get(key), b.get(key)) {
                    (Some(x), Some(y)) => walk(path, x, y, out),
                    (x, y) => change(path, x, y, out),
                }
                path.truncate(len);
            }
        }
        (Value::Sequence(a), Value::Sequence(b)) => sequence(path, a, b, out),
        (Value::Tagged(a), Value::Tagged(b)) if a.tag == b.tag => {
            walk(path, &a.value, &b.value, out)
        }
        (a, b) if a == b => {}
        (a, b) => change(path, Some(a), Some(b), out),
    }
}

fn sequence(path: &mut String, a: &[Value], b: &[Value], out: &mut Vec<FieldChange>) {
    if a == b {
        return;
    }
    if let (Some(x), Some(y)) = (names(a), names(b)) {
        let mut all: Vec<&str> = x.iter().chain(&y).map(|(n, _)| *n).collect();
        all.sort_unstable();
        all.dedup();
        for name in all {
            let len = path.len();
            path.push_str(&format!("[{name}]"));
            match (find(&x, name), find(&y, name)) {
                (Some(p), Some(q)) => walk(path, p, q, out),
                (p, q) => change(path, p, q, out),
            }
            path.truncate(len);
        }
        return;
    }
    let scalars = |list: &[Value]| list.iter().all(|v| !v.is_mapping() && !v.is_sequence());
    if a.len() == b.len() && !(scalars(a) && scalars(b)) {
        for (i, (p, q)) in a.iter().zip(b).enumerate() {
            let len = path.len();
            path.push_str(&format!("[{i}]"));
            walk(path, p, q, out);
            path.truncate(len);
        }
        return;
    }
    if scalars(a) && scalars(b) {
        // a list of plain values reads best whole: `methods: [GET] → [GET, OPTIONS]`
        change(
            path,
            Some(&Value::Sequence(a.to_vec())),
            Some(&Value::Sequence(b.to_vec())),
            out,
        );
        return;
    }
    // unnamed items (rules, matches) in lists that grew or shrank: the items that are gone
    // (by their old index) and the new ones (by their new index)
    for edit in super::lines::edits(a, b) {
        let len = path.len();
        match edit {
            Edit::Removed(i) => {
                path.push_str(&format!("[{i}]"));
                change(path, Some(&a[i]), None, out);
            }
            Edit::Added(j) => {
                path.push_str(&format!("[{j}]"));
                change(path, None, Some(&b[j]), out);
            }
        }
        path.truncate(len);
    }
}

fn find<'a>(list: &[(&str, &'a Value)], name: &str) -> Option<&'a Value> {
    list.iter().find(|(n, _)| *n == name).map(|(_, v)| *v)
}

/// The items of a list keyed by their `name`, if every item is a map with a distinct one.
fn names(list: &[Value]) -> Option<Vec<(&str, &Value)>> {
    let mut named = Vec::with_capacity(list.len());
    for item in list {
        let name = item.as_mapping()?.get("name")?.as_str()?;
        if named.iter().any(|(n, _)| *n == name) {
            return None;
        }
        named.push((name, item));
    }
    (!named.is_empty()).then_some(named)
}

fn key_text(key: &Value) -> String {
    match key {
        Value::String(s) => s.clone(),
        other => super::render::inline(other, usize::MAX),
    }
}

/// Appends `.key`, or `["key"]` when the key would not read as one segment
/// (`metadata.annotations["argocd.argoproj.io/sync-wave"]`).
fn push_key(path: &mut String, key: &str) {
    let plain = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if plain {
        if !path.is_empty() {
            path.push('.');
        }
        path.push_str(key);
    } else {
        path.push_str(&format!("[{}]", serde_json::Value::String(key.into())));
    }
}
