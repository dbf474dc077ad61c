//! Every Helm values block labc writes uses only keys its chart knows, checked against copies
//! of the pinned charts' `values.schema.json` and `values.yaml` in `tests/charts/<chart>/`.
//!
//! The rule, per key of our values:
//! - where the chart has a schema and the schema lists the key, the schema decides: descend
//!   into it and check the JSON type it names;
//! - otherwise (no schema, or a schema open at that point) the chart's `values.yaml` decides:
//!   the key must be in the chart's default mapping at that path. A default of `{}` or `~` is an
//!   open map (annotations, env, config files) and anything below it is accepted; a non-empty
//!   default mapping is closed;
//! - a few mappings hold data rather than chart options (a ConfigMap's entries, a whole
//!   Alertmanager configuration) and are listed in `OPEN` with the reason;
//! - a key the chart documents only as a commented-out default (Cilium does this for optional
//!   keys its templates read) is listed in `COMMENTED` with the line it comes from;
//! - lists are not descended into: their items are the application's own data;
//! - where the chart's default is a non-empty map, ours must be a map too: Helm merges maps,
//!   but a null or a scalar replaces the chart's whole default there.
//!
//! Istio's charts keep their defaults under `_internal_defaults_do_not_set`, which users set at
//! the top level, so that wrapper is removed first.

use crate::support::{catalog, root};
use serde_json::Value;

/// (chart, dotted path) of mappings whose keys are data, not chart options.
const OPEN: &[(&str, &str, &str)] = &[
    (
        "argo-cd",
        "configs.cm",
        "entries of the argocd-cm ConfigMap",
    ),
    (
        "argo-cd",
        "configs.params",
        "entries of the argocd-cmd-params-cm ConfigMap",
    ),
    (
        "kube-prometheus-stack",
        "alertmanager.config",
        "an Alertmanager configuration file",
    ),
    (
        "loki",
        "loki.limits_config",
        "Loki's limits_config section, copied into loki.yaml",
    ),
];

/// (chart, dotted path, the commented-out line of values.yaml that documents it).
const COMMENTED: &[(&str, &str, &str)] = &[(
    "cilium",
    "socketLB.hostNamespaceOnly",
    "# hostNamespaceOnly: false",
)];

fn load(chart: &str) -> (Option<Value>, Value) {
    let dir = root().join("tests/charts").join(chart);
    let schema = std::fs::read_to_string(dir.join("values.schema.json"))
        .ok()
        .map(|t| serde_json::from_str(&t).unwrap());
    let text = std::fs::read_to_string(dir.join("values.yaml"))
        .unwrap_or_else(|_| panic!("no tests/charts/{chart}/values.yaml"));
    let mut values: Value = serde_yaml::from_str(&text).unwrap();
    if let Some(inner) = values.get("_internal_defaults_do_not_set").cloned() {
        values = inner;
    }
    (schema, values)
}

fn type_ok(ty: &Value, v: &Value) -> bool {
    let one = |t: &str| match t {
        "object" => v.is_object(),
        "array" => v.is_array(),
        "string" => v.is_string(),
        "boolean" => v.is_boolean(),
        "integer" => v.is_i64() || v.is_u64(),
        "number" => v.is_number(),
        "null" => v.is_null(),
        _ => true,
    };
    match ty {
        Value::String(t) => one(t),
        Value::Array(ts) => ts.iter().filter_map(Value::as_str).any(one),
        _ => true,
    }
}

struct Checker<'a> {
    chart: &'a str,
    problems: Vec<String>,
}

impl Checker<'_> {
    fn check(
        &mut self,
        path: &str,
        ours: &Value,
        schema: Option<&Value>,
        defaults: Option<&Value>,
    ) {
        // Helm merges our map into the chart's, but anything else replaces it whole: a null
        // deletes the chart's defaults under the key, and the templates reading them fail
        if let Some(Value::Object(default)) = defaults {
            if !default.is_empty() && !ours.is_object() {
                self.problems.push(format!(
                    "{}: `{path}` is {ours}, which replaces the chart's default map",
                    self.chart
                ));
                return;
            }
        }
        if let Some(ty) = schema.and_then(|s| s.get("type")) {
            if !type_ok(ty, ours) {
                self.problems
                    .push(format!("{}: `{path}` is not of type {ty}", self.chart));
                return;
            }
        }
        let Value::Object(map) = ours else { return };
        if OPEN.iter().any(|(c, p, _)| *c == self.chart && *p == path) {
            return;
        }
        for (key, value) in map {
            let sub = if path.is_empty() {
                key.clone()
            } else {
                format!("{path}.{key}")
            };
            let sub_schema = schema
                .and_then(|s| s.get("properties"))
                .and_then(|p| p.get(key))
                .or_else(|| {
                    schema
                        .and_then(|s| s.get("additionalProperties"))
                        .filter(|a| a.is_object())
                });
            let closed_schema = schema
                .and_then(|s| s.get("additionalProperties"))
                .is_some_and(|a| a == &Value::Bool(false));
            let sub_default = defaults.and_then(|d| d.get(key));
            let open_default = match defaults {
                None | Some(Value::Null) => true,
                Some(Value::Object(m)) => m.is_empty(),
                _ => false,
            };
            if COMMENTED
                .iter()
                .any(|(c, p, _)| *c == self.chart && *p == sub)
            {
                continue;
            }
            if sub_schema.is_none() && closed_schema {
                self.problems
                    .push(format!("{}: the schema does not allow `{sub}`", self.chart));
            } else if sub_schema.is_none() && sub_default.is_none() && !open_default {
                self.problems
                    .push(format!("{}: values.yaml has no `{sub}`", self.chart));
            } else {
                self.check(
                    &sub,
                    value,
                    sub_schema,
                    sub_default.or(if open_default {
                        None
                    } else {
                        Some(&Value::Null)
                    }),
                );
            }
        }
    }
}

/// (Application file, chart, values) of every Application with Helm values in a compiled site.
fn values_blocks(
    files: &std::collections::BTreeMap<String, Vec<u8>>,
) -> Vec<(String, String, Value)> {
    let mut out = Vec::new();
    for (path, bytes) in files {
        if !path.starts_with("argocd/application-") {
            continue;
        }
        let app: Value = serde_yaml::from_slice(bytes).unwrap();
        let source = &app["spec"]["source"];
        let Some(values) = source["helm"].get("valuesObject") else {
            continue;
        };
        let chart = source["chart"]
            .as_str()
            .or_else(|| source["path"].as_str().and_then(|p| p.rsplit('/').next()))
            .unwrap()
            .to_string();
        out.push((path.clone(), chart, values.clone()));
    }
    out
}

#[test]
fn every_helm_values_block_uses_keys_its_chart_knows() {
    let catalog = catalog();
    let mut sites = vec![root().join("site.kdl")];
    for entry in std::fs::read_dir(root().join("tests/fixtures/ok"))
        .unwrap()
        .flatten()
    {
        sites.push(entry.path().join("site.kdl"));
    }
    let mut checked = 0;
    let mut problems = Vec::new();
    for site in sites {
        let bytes = std::fs::read(&site).unwrap();
        let compiled = labc::compile("site.kdl", &bytes, &catalog)
            .unwrap_or_else(|e| panic!("{}: {}", site.display(), labc::cli::render_plain(e)));
        for (path, chart, values) in values_blocks(compiled.files.as_map()) {
            let (schema, defaults) = load(&chart);
            let mut checker = Checker {
                chart: &chart,
                problems: Vec::new(),
            };
            checker.check("", &values, schema.as_ref(), Some(&defaults));
            problems.extend(checker.problems.into_iter().map(|p| format!("{path}: {p}")));
            checked += 1;
        }
    }
    assert!(checked >= 10, "only {checked} values blocks");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn every_commented_key_is_documented_in_its_chart() {
    for (chart, _, line) in COMMENTED {
        let text =
            std::fs::read_to_string(root().join("tests/charts").join(chart).join("values.yaml"))
                .unwrap();
        assert!(
            text.contains(line),
            "{chart}: `{line}` is not in values.yaml"
        );
    }
}

#[test]
fn the_checker_rejects_a_key_the_chart_does_not_know() {
    let (schema, defaults) = load("falcosidekick");
    let mut checker = Checker {
        chart: "falcosidekick",
        problems: Vec::new(),
    };
    let ours = serde_json::json!({"config": {"loki": {"hostprot": "x"}}});
    checker.check("", &ours, schema.as_ref(), Some(&defaults));
    assert_eq!(
        checker.problems,
        ["falcosidekick: values.yaml has no `config.loki.hostprot`"]
    );
}

#[test]
fn the_checker_rejects_a_null_where_the_chart_has_a_map() {
    let (schema, defaults) = load("falcosidekick");
    let mut checker = Checker {
        chart: "falcosidekick",
        problems: Vec::new(),
    };
    let ours = serde_json::json!({"config": null, "replicaCount": 1});
    checker.check("", &ours, schema.as_ref(), Some(&defaults));
    assert_eq!(
        checker.problems,
        ["falcosidekick: `config` is null, which replaces the chart's default map"]
    );
}
