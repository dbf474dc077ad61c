use serde::Serialize;
use std::collections::BTreeMap;

/// The files of `out/` by relative path, in path order.
#[derive(Debug, Default)]
pub struct Files {
    files: BTreeMap<String, Vec<u8>>,
    /// Every custom resource added with `object`, checked against its CRD while the object
    /// was at hand, so that the check needs no second serialisation or parse.
    checked: Vec<crate::schema::Checked>,
    /// Objects added with `object` whose text has a key naming a Secret, as values, so that
    /// the coverage check walks them without parsing their YAML back (a parse costs several
    /// times the conversion).
    secret_readers: BTreeMap<String, serde_yaml::Value>,
}

impl Files {
    /// Adds one object as a YAML file.
    pub fn object<T: Serialize>(&mut self, path: String, object: &T) {
        let mut bytes = Vec::with_capacity(1024);
        // Serialising these types cannot fail: every map key is a string.
        crate::yaml::write(object, &mut bytes).expect("objects serialise to YAML");
        if let Some(checked) = crate::schema::check_object(&path, object) {
            self.checked.push(checked);
        }
        if std::str::from_utf8(&bytes).is_ok_and(crate::secrets::may_name_a_secret) {
            if let Ok(value) = serde_yaml::to_value(object) {
                self.secret_readers.insert(path.clone(), value);
            }
        }
        self.files.insert(path, bytes);
    }

    /// The custom resources `object` checked against their embedded CRDs, in insertion order.
    pub fn checked(&self) -> &[crate::schema::Checked] {
        &self.checked
    }

    pub fn insert(&mut self, path: String, bytes: Vec<u8>) {
        self.secret_readers.remove(&path);
        self.files.insert(path, bytes);
    }

    /// The object at `path` as a value, when it was added with `object` and its text names a
    /// Secret under one of the keys the coverage check reads.
    pub fn secret_reader(&self, path: &str) -> Option<&serde_yaml::Value> {
        self.secret_readers.get(path)
    }

    pub fn into_map(self) -> BTreeMap<String, Vec<u8>> {
        self.files
    }

    pub fn as_map(&self) -> &BTreeMap<String, Vec<u8>> {
        &self.files
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    pub fn extend(&mut self, other: Files) {
        for path in other.files.keys() {
            self.secret_readers.remove(path);
        }
        self.files.extend(other.files);
        self.checked.extend(other.checked);
        self.secret_readers.extend(other.secret_readers);
    }
}

/// `<folder>/<kind>-<name>.yaml`, the one rule for where an object lives in `out/`.
pub fn object_path(folder: &str, kind: &str, name: &str) -> String {
    format!("{folder}/{}-{name}.yaml", kind.to_ascii_lowercase())
}
