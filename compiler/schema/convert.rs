//! A CustomResourceDefinition document to the compact tables of `table.rs`. `build.rs` runs it
//! over `stdlib/crds/` and writes the result as statics; a site's own `crds/` go through it at
//! run time. Identical subschemas are stored once, which shrinks the embedded tables severalfold
//! (CRDs repeat the same selectors and ports everywhere).

use super::table::{
    Branch, Kind, Literal, Node, Range, Table, Type, ANY, INT32, INT64, INT_OR_STRING, NONE,
    NULLABLE, PRESERVE_UNKNOWN,
};
use serde_yaml::{Mapping, Value};
use std::borrow::Cow;
use std::collections::HashMap;

/// What the API server knows of every object's metadata, whatever its CRD says: custom
/// resources get Kubernetes 1.31's ObjectMeta. labc writes only names, labels and annotations;
/// the rest is there for objects others render (`schema::check_value`), which may carry what
/// the API server accepts and sets itself (`creationTimestamp: null` of generated manifests).
const OBJECT_META: &str = "
type: object
properties:
  name: {type: string}
  generateName: {type: string}
  namespace: {type: string}
  selfLink: {type: string}
  uid: {type: string}
  resourceVersion: {type: string}
  generation: {type: integer, format: int64}
  creationTimestamp: {type: string, nullable: true}
  deletionTimestamp: {type: string, nullable: true}
  deletionGracePeriodSeconds: {type: integer, format: int64}
  labels: {type: object, additionalProperties: {type: string}}
  annotations: {type: object, additionalProperties: {type: string}}
  ownerReferences:
    type: array
    items:
      type: object
      required: [apiVersion, kind, name, uid]
      properties:
        apiVersion: {type: string}
        kind: {type: string}
        name: {type: string}
        uid: {type: string}
        controller: {type: boolean}
        blockOwnerDeletion: {type: boolean}
  finalizers: {type: array, items: {type: string}}
  managedFields: {type: array, items: {type: object, x-kubernetes-preserve-unknown-fields: true}}
";

/// The tables being filled, with what is already in them.
#[derive(Default)]
pub struct Builder {
    pub nodes: Vec<Node>,
    pub props: Vec<(Cow<'static, str>, u32)>,
    pub names: Vec<Cow<'static, str>>,
    pub literals: Vec<Literal>,
    pub branches: Vec<Branch>,
    pub lists: Vec<u32>,
    pub kinds: Vec<Kind>,
    seen_nodes: HashMap<String, u32>,
    seen_ranges: HashMap<String, Range>,
    meta: Option<u32>,
}

impl Builder {
    /// Adds one CRD document; `file` says where it came from.
    pub fn crd(&mut self, file: &str, doc: &Value) -> Result<(), String> {
        if doc.get("kind").and_then(Value::as_str) != Some("CustomResourceDefinition") {
            return Err(
                "not a CustomResourceDefinition (`kind` is not CustomResourceDefinition)".into(),
            );
        }
        let spec = doc.get("spec").ok_or("no `spec`")?;
        let group = text(spec, "group", "spec.group")?;
        let kind = spec
            .get("names")
            .ok_or_else(|| "no `spec.names`".to_string())
            .and_then(|n| text(n, "kind", "spec.names.kind"))?;
        let versions = spec
            .get("versions")
            .and_then(Value::as_sequence)
            .ok_or("no `spec.versions` list")?;
        let mut served = Vec::new();
        for (i, version) in versions.iter().enumerate() {
            if version.get("served").and_then(Value::as_bool) == Some(false) {
                continue;
            }
            let name = text(version, "name", &format!("spec.versions[{i}].name"))?;
            let schema = version
                .get("schema")
                .and_then(|s| s.get("openAPIV3Schema"))
                .ok_or_else(|| format!("no `spec.versions[{i}].schema.openAPIV3Schema`"))?;
            let root = self.root(schema)?;
            served.push((Cow::Owned(name), root));
        }
        if served.is_empty() {
            return Err("no served version".into());
        }
        self.kinds.push(Kind {
            group: Cow::Owned(group),
            kind: Cow::Owned(kind),
            file: Cow::Owned(file.to_string()),
            versions: Cow::Owned(served),
        });
        Ok(())
    }

    pub fn into_table(self) -> (Table, Vec<Kind>) {
        let table = Table {
            nodes: Cow::Owned(self.nodes),
            props: Cow::Owned(self.props),
            names: Cow::Owned(self.names),
            literals: Cow::Owned(self.literals),
            branches: Cow::Owned(self.branches),
            lists: Cow::Owned(self.lists),
        };
        (table, self.kinds)
    }

    /// A version's root: apiVersion, kind and metadata are the API server's, whatever the
    /// schema lists (Istio's list none of them).
    fn root(&mut self, schema: &Value) -> Result<u32, String> {
        let mut extra = vec![
            ("apiVersion".to_string(), self.string()?),
            ("kind".to_string(), self.string()?),
        ];
        extra.push(("metadata".to_string(), self.meta()?));
        self.node(schema, "openAPIV3Schema", &extra)
    }

    fn string(&mut self) -> Result<u32, String> {
        let value: Value = serde_yaml::from_str("type: string").map_err(|e| e.to_string())?;
        self.node(&value, "", &[])
    }

    fn meta(&mut self) -> Result<u32, String> {
        if let Some(meta) = self.meta {
            return Ok(meta);
        }
        let value: Value = serde_yaml::from_str(OBJECT_META).map_err(|e| e.to_string())?;
        let meta = self.node(&value, "metadata", &[])?;
        self.meta = Some(meta);
        Ok(meta)
    }

    /// One schema; `extra` properties replace any of the same name.
    fn node(&mut self, schema: &Value, at: &str, extra: &[(String, u32)]) -> Result<u32, String> {
        let map = schema
            .as_mapping()
            .ok_or_else(|| format!("{at}: a schema must be a mapping"))?;
        let ty = match map.get("type").map(|t| (t, t.as_str())) {
            None => Type::Any,
            Some((_, Some("object"))) => Type::Object,
            Some((_, Some("array"))) => Type::Array,
            Some((_, Some("string"))) => Type::String,
            Some((_, Some("integer"))) => Type::Integer,
            Some((_, Some("number"))) => Type::Number,
            Some((_, Some("boolean"))) => Type::Boolean,
            Some((t, _)) => return Err(format!("{at}: unknown type {}", show(t))),
        };
        let flag = |key: &str, bit: u8| {
            if map.get(key).and_then(Value::as_bool) == Some(true) {
                bit
            } else {
                0
            }
        };
        let mut flags = flag("nullable", NULLABLE)
            | flag("x-kubernetes-preserve-unknown-fields", PRESERVE_UNKNOWN)
            | flag("x-kubernetes-int-or-string", INT_OR_STRING);
        match map.get("format").and_then(Value::as_str) {
            Some("int32") => flags |= INT32,
            Some("int64") => flags |= INT64,
            _ => {}
        }
        let mut props: Vec<(String, u32)> = Vec::new();
        if let Some(properties) = map.get("properties") {
            let properties = properties
                .as_mapping()
                .ok_or_else(|| format!("{at}.properties: must be a mapping"))?;
            for (name, sub) in properties {
                let name = name
                    .as_str()
                    .ok_or_else(|| format!("{at}.properties: a property name must be a string"))?;
                props.push((name.to_string(), self.node(sub, &join(at, name), &[])?));
            }
        }
        let embedded = map
            .get("x-kubernetes-embedded-resource")
            .and_then(Value::as_bool)
            == Some(true);
        let mut extra = extra.to_vec();
        if embedded {
            extra.push(("apiVersion".to_string(), self.string()?));
            extra.push(("kind".to_string(), self.string()?));
            extra.push(("metadata".to_string(), self.meta()?));
        }
        for (name, node) in extra {
            props.retain(|(n, _)| *n != name);
            props.push((name, node));
        }
        props.sort();
        let additional = match map.get("additionalProperties") {
            None | Some(Value::Bool(false)) => NONE,
            Some(Value::Bool(true)) => ANY,
            Some(sub) => self.node(sub, &format!("{at}.additionalProperties"), &[])?,
        };
        let items = match map.get("items") {
            None => NONE,
            Some(sub) => self.node(sub, &format!("{at}.items"), &[])?,
        };
        let mut watched: Vec<String> = Vec::new();
        // the API server fills in a defaulted field before it validates, so a required field
        // with a `default` is never missing
        let defaulted: Vec<&str> = map
            .get("properties")
            .and_then(Value::as_mapping)
            .into_iter()
            .flatten()
            .filter(|(_, sub)| sub.get("default").is_some())
            .filter_map(|(name, _)| name.as_str())
            .collect();
        let required = match map.get("required") {
            // past 64 names the rest go unchecked rather than the CRD refused
            Some(names) => mask(names, &mut watched, &defaulted, &format!("{at}.required"))?.0,
            None => 0,
        };
        let rule = self.rule(map, &mut watched, at)?;
        let enumeration = match map.get("enum").and_then(Value::as_sequence) {
            Some(values) => self.literals(values),
            None => Range::default(),
        };
        // an infinite or NaN bound checks nothing (and would not compile as a static)
        let number = |key: &str| {
            map.get(key)
                .and_then(Value::as_f64)
                .filter(|n| n.is_finite())
        };
        let limit = |key: &str| {
            map.get(key)
                .and_then(Value::as_u64)
                .map_or(NONE, |n| n.min(u64::from(NONE - 1)) as u32)
        };
        let props = self.range_props(props);
        let watched = self.range_names(watched);
        let node = Node {
            ty,
            flags,
            props,
            additional,
            items,
            watched,
            required,
            rule,
            enumeration,
            minimum: number("minimum"),
            maximum: number("maximum"),
            limits: [
                limit("minLength"),
                limit("maxLength"),
                limit("minItems"),
                limit("maxItems"),
                limit("minProperties"),
                limit("maxProperties"),
            ],
        };
        let key = format!("{node:?}");
        if let Some(&index) = self.seen_nodes.get(&key) {
            return Ok(index);
        }
        let index = self.nodes.len() as u32;
        self.nodes.push(node);
        self.seen_nodes.insert(key, index);
        Ok(index)
    }

    /// The node's own combinators as one branch, or `NONE` when they do more than test which
    /// fields are present (int-or-string's `anyOf` of types, or value rules in a branch): those
    /// are left to the API server rather than guessed at.
    fn rule(&mut self, map: &Mapping, watched: &mut Vec<String>, at: &str) -> Result<u32, String> {
        let mut own = Mapping::new();
        for key in ["not", "anyOf", "oneOf", "allOf"] {
            if let Some(value) = map.get(key) {
                own.insert(Value::from(key), value.clone());
            }
        }
        if own.is_empty() {
            return Ok(NONE);
        }
        let mut trial = watched.clone();
        match self.branch(&Value::Mapping(own), &mut trial, at)? {
            Some(branch) if trial.len() <= 64 => {
                *watched = trial;
                Ok(branch)
            }
            _ => Ok(NONE),
        }
    }

    fn branch(
        &mut self,
        value: &Value,
        watched: &mut Vec<String>,
        at: &str,
    ) -> Result<Option<u32>, String> {
        let Some(map) = value.as_mapping() else {
            return Ok(None);
        };
        let mut branch = Branch {
            required: 0,
            not: NONE,
            any_of: Range::default(),
            one_of: Range::default(),
            all_of: Range::default(),
        };
        for (key, value) in map {
            match key.as_str() {
                Some("description") => {}
                Some("required") => match mask(value, watched, &[], &format!("{at}.required"))? {
                    (required, false) => branch.required = required,
                    // a rule on more fields than labc tracks is left to the API server
                    (_, true) => return Ok(None),
                },
                // `properties: {a: {}}` beside `required: [a]` only names the field
                Some("properties") => {
                    let empty = value.as_mapping().is_some_and(|m| {
                        m.values()
                            .all(|v| v.as_mapping().is_some_and(Mapping::is_empty))
                    });
                    if !empty {
                        return Ok(None);
                    }
                }
                Some("not") => match self.branch(value, watched, at)? {
                    Some(not) => branch.not = not,
                    None => return Ok(None),
                },
                Some(list @ ("anyOf" | "oneOf" | "allOf")) => {
                    let Some(items) = value.as_sequence() else {
                        return Ok(None);
                    };
                    let mut indices = Vec::new();
                    for item in items {
                        match self.branch(item, watched, at)? {
                            Some(i) => indices.push(i),
                            None => return Ok(None),
                        }
                    }
                    let start = self.lists.len() as u32;
                    self.lists.extend(&indices);
                    let range = Range {
                        start,
                        len: indices.len() as u32,
                    };
                    match list {
                        "anyOf" => branch.any_of = range,
                        "oneOf" => branch.one_of = range,
                        _ => branch.all_of = range,
                    }
                }
                _ => return Ok(None),
            }
        }
        self.branches.push(branch);
        Ok(Some(self.branches.len() as u32 - 1))
    }

    /// An enum of strings, integers, booleans and null; any other value (a float, an object)
    /// drops the whole enum rather than reject what the API server would accept.
    fn literals(&mut self, values: &[Value]) -> Range {
        let mut literals = Vec::new();
        for value in values {
            literals.push(match value {
                Value::Null => Literal::Null,
                Value::Bool(b) => Literal::Bool(*b),
                Value::String(s) => Literal::Str(Cow::Owned(s.clone())),
                Value::Number(n) => match n.as_i64() {
                    Some(i) => Literal::Int(i),
                    None => return Range::default(),
                },
                _ => return Range::default(),
            });
        }
        let start = self.literals.len() as u32;
        let len = literals.len() as u32;
        self.literals.extend(literals);
        Range { start, len }
    }

    fn range_props(&mut self, props: Vec<(String, u32)>) -> Range {
        let key = format!("p{props:?}");
        if let Some(range) = self.seen_ranges.get(&key) {
            return *range;
        }
        let range = Range {
            start: self.props.len() as u32,
            len: props.len() as u32,
        };
        self.props
            .extend(props.into_iter().map(|(n, i)| (Cow::Owned(n), i)));
        self.seen_ranges.insert(key, range);
        range
    }

    fn range_names(&mut self, names: Vec<String>) -> Range {
        let key = format!("n{names:?}");
        if let Some(range) = self.seen_ranges.get(&key) {
            return *range;
        }
        let range = Range {
            start: self.names.len() as u32,
            len: names.len() as u32,
        };
        self.names.extend(names.into_iter().map(Cow::Owned));
        self.seen_ranges.insert(key, range);
        range
    }
}

/// The bits of `watched` (added to as needed) that a `required` list at `at` names, leaving
/// out the names in `skip`, and whether some name fell past the 64 bits labc tracks per object
/// (those are not in the mask).
fn mask(
    names: &Value,
    watched: &mut Vec<String>,
    skip: &[&str],
    at: &str,
) -> Result<(u64, bool), String> {
    let names = names
        .as_sequence()
        .ok_or_else(|| format!("{at}: must be a list"))?;
    let mut mask = 0u64;
    let mut overflow = false;
    for name in names {
        let name = name
            .as_str()
            .ok_or_else(|| format!("{at}: names must be strings"))?;
        if skip.contains(&name) {
            continue;
        }
        let bit = match watched.iter().position(|w| w == name) {
            Some(bit) => bit,
            None => {
                watched.push(name.to_string());
                watched.len() - 1
            }
        };
        match u32::try_from(bit).ok().and_then(|b| 1u64.checked_shl(b)) {
            Some(b) => mask |= b,
            None => overflow = true,
        }
    }
    Ok((mask, overflow))
}

fn text(value: &Value, key: &str, at: &str) -> Result<String, String> {
    value
        .get(key)
        .and_then(Value::as_str)
        .map(str::to_string)
        .ok_or_else(|| format!("no `{at}` string"))
}

fn join(at: &str, name: &str) -> String {
    if at.is_empty() {
        name.to_string()
    } else {
        format!("{at}.{name}")
    }
}

fn show(value: &Value) -> String {
    serde_yaml::to_string(value).map_or_else(|_| "?".into(), |s| s.trim().to_string())
}
