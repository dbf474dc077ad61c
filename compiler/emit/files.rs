use serde::Serialize;
use std::collections::BTreeMap;

/// The files of `out/` by relative path, in path order.
#[derive(Debug, Default)]
pub struct Files {
    files: BTreeMap<String, Vec<u8>>,
    /// Every custom resource added with `object`, checked against its CRD while the object
    /// was at hand, so that the check needs no second serialisation or parse.
    checked: Vec<crate::schema::Checked>,
    /// Where each object is serialised before its bytes are copied out at their exact size:
    /// grown by doubling, a file's own buffer kept on average 80% more than its bytes (76 MB
    /// held for 41 MB of files at 5,000 apps).
    scratch: Vec<u8>,
}

impl Files {
    /// Adds one object as a YAML file.
    pub fn object<T: Serialize>(&mut self, path: String, object: &T) {
        self.scratch.clear();
        // Serialising these types cannot fail: every map key is a string.
        crate::yaml::write(object, &mut self.scratch).expect("objects serialise to YAML");
        if let Some(checked) = crate::schema::check_object(&path, object) {
            self.checked.push(checked);
        }
        self.files.insert(path, self.scratch.as_slice().to_vec());
    }

    /// The custom resources `object` checked against their embedded CRDs, in insertion order.
    pub fn checked(&self) -> &[crate::schema::Checked] {
        &self.checked
    }

    /// Adds a file as bytes (scripts, configurations, the source map), kept at their exact
    /// size: text built by pushing onto a `String` has up to twice its length allocated.
    pub fn insert(&mut self, path: String, mut bytes: Vec<u8>) {
        if bytes.capacity() - bytes.len() > bytes.len() / 8 {
            bytes = bytes.as_slice().to_vec();
        }
        self.files.insert(path, bytes);
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
        self.files.extend(other.files);
        self.checked.extend(other.checked);
    }
}

/// `<folder>/<kind>-<name>.yaml`, the one rule for where an object lives in `out/`.
pub fn object_path(folder: &str, kind: &str, name: &str) -> String {
    format!("{folder}/{}-{name}.yaml", kind.to_ascii_lowercase())
}
