//! Splitting a tree of files into objects with an identity, so that an object is compared
//! with itself wherever its file is and whatever order its keys are in.

use serde::Deserialize;
use serde_yaml::Value;
use std::collections::BTreeMap;
use std::fmt;

/// Who an object is. The API group is kept but not the version, so that moving an object to
/// a new API version shows as a change of `apiVersion`, not as a removal and an addition.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct ObjectId {
    pub group: String,
    pub kind: String,
    pub namespace: String,
    /// `metadata.name`, or the file's path for objects without one (kubeadm configurations)
    /// and for text files.
    pub name: String,
}

impl ObjectId {
    /// A text file, or a YAML document without `kind`: known by its path alone.
    fn file(path: &str) -> ObjectId {
        ObjectId {
            group: String::new(),
            kind: String::new(),
            namespace: String::new(),
            name: path.to_string(),
        }
    }
}

impl fmt::Display for ObjectId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.kind.is_empty() {
            return write!(f, "{}", self.name);
        }
        write!(f, "{} ", self.kind)?;
        if !self.namespace.is_empty() {
            write!(f, "{}/", self.namespace)?;
        }
        write!(f, "{}", self.name)
    }
}

pub enum Body {
    Yaml(Value),
    Text(String),
}

impl Body {
    /// The text a body is compared as when one side is not YAML.
    pub fn text(&self) -> String {
        match self {
            Body::Text(text) => text.clone(),
            Body::Yaml(value) => serde_yaml::to_string(value).unwrap_or_default(),
        }
    }
}

pub struct Object {
    pub file: String,
    pub body: Body,
}

/// Every object of a tree by identity. The index is left out: it changes whenever anything
/// else does, and says nothing of its own.
pub fn split(files: &BTreeMap<String, Vec<u8>>) -> BTreeMap<ObjectId, Object> {
    let mut objects = BTreeMap::new();
    for (path, bytes) in files {
        // the source map records where declarations are in site.kdl: moved lines are no
        // change to the cluster, and would bury the changes that are in every review
        if path == crate::out::INDEX_NAME || path == crate::sources::SOURCES_NAME {
            continue;
        }
        let documents = if path.ends_with(".yaml") || path.ends_with(".yml") {
            yaml_documents(bytes)
        } else {
            None
        };
        let Some(documents) = documents else {
            let text = String::from_utf8_lossy(bytes).into_owned();
            objects.insert(
                ObjectId::file(path),
                Object {
                    file: path.clone(),
                    body: Body::Text(text),
                },
            );
            continue;
        };
        for value in documents {
            let mut id = identity(&value, path);
            if objects.contains_key(&id) {
                // the same object twice in one tree: keep both, told apart by file
                id.name = format!("{} ({path})", id.name);
            }
            objects.insert(
                id,
                Object {
                    file: path.clone(),
                    body: Body::Yaml(value),
                },
            );
        }
    }
    objects
}

/// The documents of a YAML file, or `None` if it does not parse (then it is compared as text).
fn yaml_documents(bytes: &[u8]) -> Option<Vec<Value>> {
    let mut documents = Vec::new();
    for document in serde_yaml::Deserializer::from_slice(bytes) {
        match Value::deserialize(document).ok()? {
            Value::Null => {}
            value => documents.push(value),
        }
    }
    Some(documents)
}

fn identity(value: &Value, path: &str) -> ObjectId {
    let text = |v: Option<&Value>| v.and_then(Value::as_str).unwrap_or_default().to_string();
    let kind = text(value.get("kind"));
    let metadata = value.get("metadata");
    let name = text(metadata.and_then(|m| m.get("name")));
    if kind.is_empty() {
        return ObjectId::file(path);
    }
    let api_version = text(value.get("apiVersion"));
    let group = match api_version.rsplit_once('/') {
        Some((group, _)) => group.to_string(),
        None => String::new(), // the core group: `v1`
    };
    ObjectId {
        group,
        kind,
        namespace: text(metadata.and_then(|m| m.get("namespace"))),
        name: if name.is_empty() {
            path.to_string()
        } else {
            name
        },
    }
}
