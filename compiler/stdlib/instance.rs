//! A component as the site installs it: its releases with their names, charts, namespaces and
//! rendered values. The checker renders them to report template errors; the emitter renders them
//! again to write Applications, so emitting cannot fail.

use super::context::setting_json;
use super::{ChartSource, Component, Each, Release, ValuesError};
use crate::model::{ComponentUse, Site};
use serde_json::{json, Map, Value};

#[derive(Debug, Clone)]
pub struct Instance {
    /// The Helm release name.
    pub name: String,
    /// The name of its Argo CD Application: the release name, or `<release>-<gateway>` for a
    /// release repeated per gateway, so that `argocd/` says what each one is.
    pub application: String,
    pub source: ChartSource,
    pub namespace: String,
    pub values: Value,
    pub namespace_labels: Vec<(String, String)>,
}

/// Every release of `used`, in the order its stdlib file lists them (the order they install in).
/// `site_context` is `super::site_context(site, catalog)`, computed once per site.
pub fn instances(
    site: &Site,
    site_context: &Value,
    def: &Component,
    used: &ComponentUse,
) -> Result<Vec<Instance>, ValuesError> {
    let Some(source) = &def.source else {
        return Ok(Vec::new());
    };
    let settings: Map<String, Value> = def
        .settings
        .iter()
        .map(|s| {
            let value = used
                .settings
                .get(&s.name)
                .map(|v| &v.value)
                .or(s.default.as_ref());
            (s.name.clone(), value.map_or(Value::Null, setting_json))
        })
        .collect();
    let mut out = Vec::new();
    for release in &def.releases {
        match release.each {
            None => out.push(instance(
                def,
                source,
                release,
                &release.name,
                None,
                &settings,
                site_context,
            )?),
            Some(Each::Gateway) => {
                for gateway in site.layers.iter().flat_map(|l| &l.gateways) {
                    let g = json!({
                        "name": gateway.name.as_str(),
                        "hosts": gateway.hosts.iter().map(|h| h.as_str()).collect::<Vec<_>>(),
                    });
                    out.push(instance(
                        def,
                        source,
                        release,
                        gateway.name.as_str(),
                        Some(g),
                        &settings,
                        site_context,
                    )?);
                }
            }
        }
    }
    Ok(out)
}

fn instance(
    def: &Component,
    source: &ChartSource,
    release: &Release,
    name: &str,
    gateway: Option<Value>,
    settings: &Map<String, Value>,
    site_context: &Value,
) -> Result<Instance, ValuesError> {
    let namespace = release
        .namespace
        .clone()
        .unwrap_or_else(|| def.namespace.clone());
    let source = match (source, &release.chart) {
        (ChartSource::Helm { repo, version, .. }, Some(chart)) => ChartSource::Helm {
            repo: repo.clone(),
            chart: chart.clone(),
            version: version.clone(),
        },
        _ => source.clone(),
    };
    let values = match &release.values {
        None => Value::Object(Map::new()),
        Some(template) => {
            let mut context = site_context.clone();
            let map = context.as_object_mut().expect("the site context is a map");
            map.insert("settings".into(), Value::Object(settings.clone()));
            map.insert(
                "release".into(),
                json!({"name": name, "namespace": namespace}),
            );
            if let Some(g) = gateway {
                map.insert("gateway".into(), g);
            }
            super::render(template, &context).map_err(|e| match e {
                ValuesError::Template(reason) => {
                    ValuesError::Template(format!("release `{name}`: {reason}"))
                }
                other => other,
            })?
        }
    };
    let application = match release.each {
        Some(Each::Gateway) => format!("{}-{name}", release.name),
        None => name.to_string(),
    };
    Ok(Instance {
        name: name.to_string(),
        application,
        source,
        namespace,
        values,
        namespace_labels: release.namespace_labels.clone(),
    })
}
