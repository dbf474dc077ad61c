//! `labc diff`: what a change to `site.kdl` (or the stdlib, or labc) does to `out/`, object by
//! object, in the terms a reviewer cares about. Pure: both sides come in as maps of relative
//! path -> bytes (`out::read_dir`, `out::read_git` or a fresh build), so that nothing here
//! touches the disk.
//!
//! YAML is compared as values, never as text, so the order of keys and the formatting cannot
//! show as a change; node scripts and other files are compared line by line.

mod fields;
mod lines;
mod object;
mod render;
mod risk;

#[cfg(test)]
mod tests;

use std::collections::{BTreeMap, BTreeSet};

pub use fields::FieldChange;
pub use lines::LineChange;
pub use object::ObjectId;
pub use render::{render, DiffFormat};
pub use risk::Risk;

/// Everything that differs between two `out/` trees, grouped by folder.
#[derive(Debug, Default, PartialEq)]
pub struct Diff {
    /// Folder (`apps/was`, `argocd`, `nodes/cp-1` …) -> its changes, sorted by file.
    pub groups: BTreeMap<String, Vec<Change>>,
}

/// One object (or text file) added, removed or changed.
#[derive(Debug, PartialEq)]
pub struct Change {
    pub id: ObjectId,
    /// The file the object is in: the new one, or the old one for a removal.
    pub file: String,
    pub what: What,
    pub risks: BTreeSet<Risk>,
}

#[derive(Debug, PartialEq)]
pub enum What {
    Added,
    Removed,
    /// A YAML object whose value changed: every field that differs.
    Fields(Vec<FieldChange>),
    /// A text file (a node script) whose lines changed.
    Lines(Vec<LineChange>),
}

/// How many objects were added, changed and removed, and the risky classes touched.
#[derive(Debug, Default, PartialEq)]
pub struct Summary {
    pub added: usize,
    pub changed: usize,
    pub removed: usize,
    pub folders: usize,
    /// Risky class -> how many changes touch it, most risky first.
    pub risks: BTreeMap<Risk, usize>,
}

impl Diff {
    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }

    pub fn summary(&self) -> Summary {
        let mut s = Summary {
            folders: self.groups.len(),
            ..Summary::default()
        };
        for change in self.groups.values().flatten() {
            match change.what {
                What::Added => s.added += 1,
                What::Removed => s.removed += 1,
                What::Fields(_) | What::Lines(_) => s.changed += 1,
            }
            for risk in &change.risks {
                *s.risks.entry(*risk).or_default() += 1;
            }
        }
        s
    }
}

/// Compares two trees. The index is left out: it changes exactly when something else does.
pub fn diff(old: &BTreeMap<String, Vec<u8>>, new: &BTreeMap<String, Vec<u8>>) -> Diff {
    let old = object::split(old);
    let new = object::split(new);
    let mut result = Diff::default();
    let ids: BTreeSet<&ObjectId> = old.keys().chain(new.keys()).collect();
    for id in ids {
        let change = match (old.get(id), new.get(id)) {
            (Some(a), Some(b)) => {
                let what = match (&a.body, &b.body) {
                    (object::Body::Yaml(x), object::Body::Yaml(y)) => {
                        What::Fields(fields::diff(x, y))
                    }
                    (x, y) => What::Lines(lines::diff(&x.text(), &y.text())),
                };
                if matches!(&what, What::Fields(f) if f.is_empty())
                    || matches!(&what, What::Lines(l) if l.is_empty())
                {
                    continue;
                }
                let risks = risk::of_change(id, &b.file, &what);
                Change {
                    id: id.clone(),
                    file: b.file.clone(),
                    what,
                    risks,
                }
            }
            (Some(a), None) => Change {
                id: id.clone(),
                file: a.file.clone(),
                risks: risk::of_object(id, &a.file, &a.body, true),
                what: What::Removed,
            },
            (None, Some(b)) => Change {
                id: id.clone(),
                file: b.file.clone(),
                risks: risk::of_object(id, &b.file, &b.body, false),
                what: What::Added,
            },
            (None, None) => continue,
        };
        let folder = match change.file.rsplit_once('/') {
            Some((folder, _)) => folder.to_string(),
            None => ".".to_string(),
        };
        result.groups.entry(folder).or_default().push(change);
    }
    for changes in result.groups.values_mut() {
        changes.sort_by(|a, b| (&a.file, &a.id).cmp(&(&b.file, &b.id)));
    }
    result
}
