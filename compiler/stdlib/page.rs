//! `docs/components.md`: every component of the embedded stdlib, written from the catalog itself
//! so that the reference cannot disagree with what labc installs. `tests/docs.rs` fails when
//! the committed page differs; `LABC_BLESS=1 cargo test components_page` rewrites it.

use super::context::setting_json;
use super::{Catalog, ChartSource, Component, Each};
use serde_json::Value;
use std::fmt::Write;

/// Longer notes for a component's section: why it is built the way it is.
const NOTES: &[(&str, &str)] = &[("trivy", include_str!("../../stdlib/notes/trivy.md"))];

pub fn page(catalog: &Catalog) -> String {
    let mut components: Vec<&Component> = catalog.components().collect();
    // bottom layer first, as a site declares them; by name within a layer
    components.sort_by(|a, b| (a.layer, &a.name).cmp(&(b.layer, &b.name)));
    let mut text = String::from(
        "# Components\n\n<!-- generated from stdlib/components/*.kdl by \
         `LABC_BLESS=1 cargo test components_page`; do not edit -->\n\n\
         Every platform component labc knows, as its stdlib file defines it. A site uses one by \
         naming it in a `layer` block, with settings as properties (`loki retention=\"7d\"`) or, \
         for lists, as a child node (`outputs loki discord`); a setting left out takes its \
         default. A site can add or replace components with its own `components/<name>.kdl` \
         beside `site.kdl` (see [architecture.md](architecture.md#the-stdlib)); that is also \
         how a site points a component whose row \"before it runs\" asks for work by hand at \
         the vendored result.\n\n\
         | component | layer | namespace | chart or source | version |\n\
         | --- | --- | --- | --- | --- |\n",
    );
    for c in &components {
        let (source, version) = match &c.source {
            Some(ChartSource::Helm { chart, .. }) => (format!("Helm chart `{chart}`"), c.version()),
            Some(ChartSource::Git { path, .. }) => (format!("git `{path}`"), c.version()),
            Some(ChartSource::Manifests { .. }) => ("written by labc".to_string(), c.version()),
            None => ("installed by another component".to_string(), None),
        };
        let _ = writeln!(
            text,
            "| [`{name}`](#{name}) | `{}` | `{}` | {source} | {} |",
            c.layer.as_str(),
            c.namespace,
            version.map_or("".into(), |v| format!("`{v}`")),
            name = c.name,
        );
    }
    for c in &components {
        component(&mut text, c);
    }
    text
}

fn component(text: &mut String, c: &Component) {
    let _ = write!(
        text,
        "\n## {}\n\n{}\n\n| | |\n| --- | --- |\n| layer | `{}` |\n| namespace | `{}` |\n",
        c.name,
        sentence(&c.description),
        c.layer.as_str(),
        c.namespace
    );
    match &c.source {
        Some(ChartSource::Helm {
            repo,
            chart,
            version,
        }) => {
            let _ = writeln!(text, "| chart | `{chart}` `{version}` from <{repo}> |");
        }
        Some(ChartSource::Git {
            url,
            path,
            revision,
        }) => {
            let _ = writeln!(text, "| source | `{path}` at `{revision}` in <{url}> |");
        }
        Some(ChartSource::Manifests { upstream, revision }) => {
            let _ = writeln!(
                text,
                "| source | written by labc into `platform/{}/`, from <{upstream}> at `{revision}` |",
                c.name
            );
        }
        None => {
            let _ = writeln!(text, "| source | none: another component installs it |");
        }
    }
    let kubernetes = match (&c.kubernetes_min, &c.kubernetes_max) {
        (Some(min), Some(max)) => format!("{min} to {max}"),
        (Some(min), None) => format!("{min} or newer"),
        (None, Some(max)) => format!("up to {max}"),
        (None, None) => "no range stated upstream".into(),
    };
    let _ = writeln!(text, "| Kubernetes | {kubernetes} |");
    if let Some(kernel) = &c.kernel {
        let when = kernel
            .when
            .as_ref()
            .map_or(String::new(), |(k, v)| format!(" when `{k}` is `{v}`"));
        let _ = writeln!(text, "| Linux kernel | {} or newer{when} |", kernel.min);
    }
    for (label, names) in [("requires", &c.requires), ("installed after", &c.after)] {
        if !names.is_empty() {
            let _ = writeln!(text, "| {label} | {} |", words(names));
        }
    }
    if let Some(class) = &c.storage_class {
        let _ = writeln!(text, "| StorageClass | `{class}` |");
    }
    if !c.endpoints.is_empty() {
        let _ = writeln!(text, "| endpoints | {} |", endpoints(c));
    }
    if !c.writes_to.is_empty() {
        let _ = writeln!(text, "| also writes to | {} |", words(&c.writes_to));
    }
    if !c.claims_storage.is_empty() {
        let _ = writeln!(
            text,
            "| claims storage with no class | {} |",
            c.claims_storage.join(", ")
        );
    }
    if c.source.is_some() && !c.releases.is_empty() {
        let releases: Vec<String> = c
            .releases
            .iter()
            .map(|r| {
                let mut release = match r.each {
                    Some(Each::Gateway) => format!("`{}-<gateway>` (one per gateway)", r.name),
                    None => format!("`{}`", r.name),
                };
                if let Some(chart) = &r.chart {
                    let _ = write!(release, " chart `{chart}`");
                }
                if let Some(ns) = &r.namespace {
                    let _ = write!(release, " in `{ns}`");
                }
                release
            })
            .collect();
        let _ = writeln!(text, "| Argo CD Applications | {} |", releases.join(", "));
    }
    if !c.sync_options.is_empty() {
        let _ = writeln!(text, "| sync options | {} |", words(&c.sync_options));
    }
    let _ = writeln!(text, "| defined in | `{}` |", c.file);
    if c.name == crate::wazuh::COMPONENT && matches!(c.source, Some(ChartSource::Manifests { .. }))
    {
        text.push_str(crate::wazuh::NOTES);
    }
    if let Some((_, notes)) = NOTES.iter().find(|(name, _)| *name == c.name) {
        text.push_str(notes);
    }
    if let Some(caveat) = &c.caveat {
        // a warning on every site that uses it (`labc::component::caveat`)
        let _ = writeln!(text, "| before it runs | {} |", caveat.replace('|', "\\|"));
    }
    if c.settings.is_empty() {
        let _ = writeln!(text, "\nNo settings.");
        return;
    }
    let _ = write!(
        text,
        "\n| setting | type | default | description |\n| --- | --- | --- | --- |\n"
    );
    for s in &c.settings {
        let default = s
            .default
            .as_ref()
            .map_or("none".into(), |d| format!("`{}`", shown(&setting_json(d))));
        let mut doc = s.doc.replace('|', "\\|");
        for (item, component) in &s.item_requires {
            let _ = write!(doc, "; `{item}` needs `{component}`");
        }
        let _ = writeln!(
            text,
            "| `{}` | {} | {default} | {doc} |",
            s.name,
            s.ty.describe().replace('|', "\\|")
        );
    }
}

/// `` `gateway`: Service `loki-gateway` port 80 (http) ``, per endpoint, with the release's
/// namespace where it is not the component's.
fn endpoints(c: &Component) -> String {
    c.endpoints
        .iter()
        .map(|e| {
            let release = e.release_in(&c.releases);
            let service = match &e.service {
                Some(service) => format!("Service `{service}`"),
                None => "the Service of each gateway".to_string(),
            };
            let namespace = release
                .and_then(|r| r.namespace.as_deref())
                .map_or(String::new(), |ns| format!(" in `{ns}`"));
            format!(
                "`{}`: {service}{namespace} port {}{} ({})",
                e.name,
                e.port,
                e.path,
                e.protocol.as_str()
            )
        })
        .collect::<Vec<_>>()
        .join("; ")
}

fn words(names: &[String]) -> String {
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn shown(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Array(items) => items.iter().map(shown).collect::<Vec<_>>().join(" "),
        other => other.to_string(),
    }
}

/// As written (`eBPF` must stay as it is), closed with a full stop.
fn sentence(text: &str) -> String {
    let text = text.trim().to_string();
    match text.chars().last() {
        None => "No description.".into(),
        Some('.') => text,
        Some(_) => format!("{text}."),
    }
}
