use serde::Serialize;
use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

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
    typed_readers: BTreeMap<String, serde_yaml::Value>,
    /// Paths added as bytes with `insert` (templates, scripts) whose text may name a Secret:
    /// their text is all there is, parsed by `secret_readers`. Only those, not every inserted
    /// path: a set of every path held 6 MB at 5,000 apps.
    raw_readers: BTreeSet<String>,
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
        if std::str::from_utf8(&self.scratch).is_ok_and(crate::secrets::may_name_a_secret) {
            if let Ok(value) = serde_yaml::to_value(object) {
                self.typed_readers.insert(path.clone(), value);
            }
        }
        self.raw_readers.remove(&path);
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
        self.typed_readers.remove(&path);
        if path.ends_with(".yaml")
            && std::str::from_utf8(&bytes).is_ok_and(crate::secrets::may_name_a_secret)
        {
            self.raw_readers.insert(path.clone());
        } else {
            self.raw_readers.remove(&path);
        }
        self.files.insert(path, bytes);
    }

    /// In path order, every YAML file that may name a Secret under one of the keys the
    /// secret coverage check reads (`crate::secrets::may_name_a_secret`), as a value: a typed
    /// object as `object` kept it, a file added as bytes parsed. The others are skipped
    /// without a parse, which is most of them.
    pub fn secret_readers(&self) -> Vec<(&str, Cow<'_, serde_yaml::Value>)> {
        let kept = self
            .typed_readers
            .iter()
            .map(|(path, value)| (path.as_str(), Cow::Borrowed(value)));
        let parsed = self.raw_readers.iter().filter_map(|path| {
            let value = serde_yaml::from_slice(self.files.get(path)?).ok()?;
            Some((path.as_str(), Cow::Owned(value)))
        });
        let mut all: Vec<_> = kept.chain(parsed).collect();
        all.sort_by(|a, b| a.0.cmp(b.0));
        all
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
            self.typed_readers.remove(path);
            self.raw_readers.remove(path);
        }
        self.files.extend(other.files);
        self.checked.extend(other.checked);
        self.typed_readers.extend(other.typed_readers);
        self.raw_readers.extend(other.raw_readers);
    }
}

/// `<folder>/<kind>-<name>.yaml`, the one rule for where an object lives in `out/`.
pub fn object_path(folder: &str, kind: &str, name: &str) -> String {
    format!("{folder}/{}-{name}.yaml", kind.to_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn names(files: &Files) -> Vec<(String, String)> {
        files
            .secret_readers()
            .into_iter()
            .map(|(path, value)| (path.to_string(), serde_json::to_string(&*value).unwrap()))
            .collect()
    }

    /// Typed objects and raw files reach the coverage check alike, in path order; a file
    /// naming no Secret key does not, and a path replaced by the other kind counts once.
    #[test]
    fn secret_readers_sees_objects_and_inserted_files_once_in_path_order() {
        let mut files = Files::default();
        files.object(
            "b/deploy.yaml".into(),
            &json!({"env": [{"valueFrom": {"secretKeyRef": {"name": "db"}}}]}),
        );
        files.insert("a/raw.yaml".into(), b"existingSecret: creds\n".to_vec());
        files.insert("c/plain.yaml".into(), b"name: sealed-secrets\n".to_vec());
        files.object("d/plain.yaml".into(), &json!({"kind": "SealedSecret"}));
        files.insert("e/script.sh".into(), b"secretName: x\n".to_vec());
        assert_eq!(
            names(&files),
            [
                ("a/raw.yaml".into(), r#"{"existingSecret":"creds"}"#.into()),
                (
                    "b/deploy.yaml".into(),
                    r#"{"env":[{"valueFrom":{"secretKeyRef":{"name":"db"}}}]}"#.into()
                ),
            ]
        );
        // replaced by bytes that name nothing: no longer a reader
        files.insert("b/deploy.yaml".into(), b"kind: ConfigMap\n".to_vec());
        let mut other = Files::default();
        other.object("a/raw.yaml".into(), &json!({"secretName": "tls"}));
        files.extend(other);
        assert_eq!(
            names(&files),
            [("a/raw.yaml".into(), r#"{"secretName":"tls"}"#.into())]
        );
    }
}
