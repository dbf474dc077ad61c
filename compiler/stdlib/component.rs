use super::endpoint::{self, Endpoint};
use super::release::{self, Release};
use super::{SettingDef, SettingType};
use crate::decode::{first_of, value, Cx, NodeView, Shape};
use crate::diag::Error;
use crate::diag::SourceFile;
use crate::model::value::Version;
use crate::model::{LayerKind, SettingValue};
use crate::syntax::{Node as KdlNode, Value as KdlValue};
use std::sync::Arc;

/// Where a component's manifests come from.
#[derive(Debug, Clone, PartialEq)]
pub enum ChartSource {
    Helm {
        repo: String,
        chart: String,
        version: String,
    },
    Git {
        url: String,
        path: String,
        revision: String,
    },
    /// Objects labc writes itself from the component's templates (`stdlib/<name>/`) into
    /// `platform/<name>/`, derived from `upstream` at `revision`: for a component whose
    /// upstream tree cannot be synced as it is (Wazuh's).
    Manifests { upstream: String, revision: String },
}

/// A platform component as its stdlib file defines it.
#[derive(Debug, Clone)]
pub struct Component {
    pub name: String,
    pub layer: LayerKind,
    pub namespace: String,
    pub description: String,
    pub source: Option<ChartSource>,
    /// The oldest and newest Kubernetes minor versions the pinned version supports; a missing
    /// bound is one upstream does not state.
    pub kubernetes_min: Option<Version>,
    pub kubernetes_max: Option<Version>,
    /// The oldest Linux kernel the component runs on, when upstream states one.
    pub kernel: Option<KernelRequirement>,
    /// Components that must be in the site for this one to work.
    pub requires: Vec<String>,
    /// Components that, when present, are installed before this one.
    pub after: Vec<String>,
    /// The Services it provides to other components, by name (`endpoint` nodes).
    pub endpoints: Vec<Endpoint>,
    /// Namespaces its chart writes objects to beyond those of its releases (Cilium's Roles in
    /// `cilium-secrets`): its AppProject must permit them.
    pub writes_to: Vec<String>,
    /// The volumes its chart claims without naming a StorageClass (`claims-storage "…"`),
    /// which bind only if the site has a default class.
    pub claims_storage: Vec<String>,
    /// The StorageClass this component provides, if it is a storage provider.
    pub storage_class: Option<String>,
    pub settings: Vec<SettingDef>,
    /// What Argo CD installs: one release named after the component unless the file lists
    /// several. Empty for a component another one installs (Grafana comes with Prometheus).
    pub releases: Vec<Release>,
    /// Argo CD sync options beyond the defaults, e.g. `ServerSideApply=true` for huge CRDs.
    pub sync_options: Vec<String>,
    /// What a site using the component must do by hand before it works, said as a warning
    /// wherever the site uses it (Wazuh's upstream tree, for one, cannot sync as it is).
    pub caveat: Option<String>,
    /// The file that defined it as the catalog was given it (`stdlib/components/<name>.kdl`,
    /// or a path to the site's own `components/<name>.kdl`), for `labc why`.
    pub file: String,
    /// That file's text, for diagnostics that point into it.
    pub source_file: Option<Arc<SourceFile>>,
}

impl Component {
    pub fn setting(&self, name: &str) -> Option<&SettingDef> {
        self.settings.iter().find(|s| s.name == name)
    }

    pub fn endpoint(&self, name: &str) -> Option<&Endpoint> {
        self.endpoints.iter().find(|e| e.name == name)
    }

    /// Every namespace its chart writes to: those of its releases and its `writes-to`.
    pub fn namespaces(&self) -> Vec<&str> {
        let mut out: Vec<&str> = vec![self.namespace.as_str()];
        out.extend(self.releases.iter().filter_map(|r| r.namespace.as_deref()));
        out.extend(self.writes_to.iter().map(String::as_str));
        out.sort_unstable();
        out.dedup();
        out
    }

    pub fn version(&self) -> Option<&str> {
        match &self.source {
            Some(ChartSource::Helm { version, .. }) => Some(version),
            Some(ChartSource::Git { revision, .. }) => Some(revision),
            Some(ChartSource::Manifests { revision, .. }) => Some(revision),
            None => None,
        }
    }
}

const CHILDREN: &[&str] = &[
    "after",
    "caveat",
    "chart",
    "claims-storage",
    "description",
    "endpoint",
    "git",
    "kernel",
    "kubernetes",
    "layer",
    "manifests",
    "namespace",
    "release",
    "requires",
    "setting",
    "storage-class",
    "sync-options",
    "values",
    "writes-to",
];

fn one_string(node: &KdlNode, cx: &mut Cx) -> Option<String> {
    let view = NodeView::new(
        node,
        &Shape {
            args: 1,
            args_text: "one value",
            props: &[],
            block: false,
        },
        cx,
    );
    let entry = view.arg(0)?;
    value::string(entry, view.name(), cx).map(|s| s.value)
}

fn words(node: &KdlNode, cx: &mut Cx) -> Vec<String> {
    node.entries()
        .iter()
        .filter_map(|e| value::string(e, node.name().value(), cx).map(|s| s.value))
        .collect()
}

fn prop_string(view: &NodeView, key: &'static str, cx: &mut Cx) -> Option<String> {
    match view.prop(key) {
        Some(entry) => value::string(entry, key, cx).map(|s| s.value),
        None => {
            cx.push(Error::MissingProperty {
                node: view.name().to_string(),
                property: key,
                example: "\"…\"",
                span: view.name_span(),
            });
            None
        }
    }
}

pub fn decode(node: &KdlNode, cx: &mut Cx) -> Option<Component> {
    let view = NodeView::new(
        node,
        &Shape {
            args: 1,
            args_text: "a name",
            props: &[],
            block: true,
        },
        cx,
    );
    if view.name() != "component" {
        cx.push(Error::UnknownNode {
            name: view.name().to_string(),
            context: "a stdlib file".into(),
            suggestion: crate::diag::Suggestion::new(view.name(), ["component"]),
            span: view.name_span(),
        });
        return None;
    }
    let name = value::name(view.arg(0)?, "component", cx)?
        .value
        .to_string();
    let mut component = Component {
        name,
        layer: LayerKind::Cni,
        namespace: String::new(),
        description: String::new(),
        source: None,
        kubernetes_min: None,
        kubernetes_max: None,
        kernel: None,
        requires: Vec::new(),
        after: Vec::new(),
        endpoints: Vec::new(),
        writes_to: Vec::new(),
        claims_storage: Vec::new(),
        storage_class: None,
        settings: Vec::new(),
        releases: Vec::new(),
        sync_options: Vec::new(),
        caveat: None,
        file: String::new(),
        source_file: None,
    };
    let mut values = None;
    let mut values_span = None;
    let (mut layer_seen, mut namespace_seen) = (None, None);
    for child in view.children(CHILDREN, cx) {
        match child.name().value() {
            "layer" if first_of(&mut layer_seen, child, cx) => {
                let v = NodeView::new(
                    child,
                    &Shape {
                        args: 1,
                        args_text: "a layer",
                        props: &[],
                        block: false,
                    },
                    cx,
                );
                if let Some(kind) = v
                    .arg(0)
                    .and_then(|e| value::word(e, "layer", LayerKind::ALL, cx))
                {
                    component.layer = kind.value;
                }
            }
            "namespace" if first_of(&mut namespace_seen, child, cx) => {
                component.namespace = one_string(child, cx).unwrap_or_default();
            }
            "description" => component.description = one_string(child, cx).unwrap_or_default(),
            "storage-class" => component.storage_class = one_string(child, cx),
            "caveat" => component.caveat = one_string(child, cx),
            "requires" => component.requires.extend(words(child, cx)),
            "after" => component.after.extend(words(child, cx)),
            "writes-to" => component.writes_to.extend(words(child, cx)),
            "claims-storage" => component.claims_storage.extend(one_string(child, cx)),
            "endpoint" => component.endpoints.extend(endpoint::decode(child, cx)),
            "chart" => {
                let v = NodeView::new(
                    child,
                    &Shape {
                        args: 0,
                        args_text: "no values",
                        props: &["repo", "name", "version"],
                        block: false,
                    },
                    cx,
                );
                if let (Some(repo), Some(chart), Some(version)) = (
                    prop_string(&v, "repo", cx),
                    prop_string(&v, "name", cx),
                    prop_string(&v, "version", cx),
                ) {
                    component.source = Some(ChartSource::Helm {
                        repo,
                        chart,
                        version,
                    });
                }
            }
            "git" => {
                let v = NodeView::new(
                    child,
                    &Shape {
                        args: 0,
                        args_text: "no values",
                        props: &["url", "path", "revision"],
                        block: false,
                    },
                    cx,
                );
                if let (Some(url), Some(path), Some(revision)) = (
                    prop_string(&v, "url", cx),
                    prop_string(&v, "path", cx),
                    prop_string(&v, "revision", cx),
                ) {
                    component.source = Some(ChartSource::Git {
                        url,
                        path,
                        revision,
                    });
                }
            }
            "manifests" => {
                let v = NodeView::new(
                    child,
                    &Shape {
                        args: 0,
                        args_text: "no values",
                        props: &["upstream", "revision"],
                        block: false,
                    },
                    cx,
                );
                if let (Some(upstream), Some(revision)) = (
                    prop_string(&v, "upstream", cx),
                    prop_string(&v, "revision", cx),
                ) {
                    component.source = Some(ChartSource::Manifests { upstream, revision });
                }
            }
            "kubernetes" => {
                let v = NodeView::new(
                    child,
                    &Shape {
                        args: 0,
                        args_text: "no values",
                        props: &["min", "max"],
                        block: false,
                    },
                    cx,
                );
                let version = |key, cx: &mut Cx| {
                    v.prop(key).and_then(|e| {
                        value::parsed(e, key, "version", "\"1.31\"", Version::parse, cx)
                    })
                };
                component.kubernetes_min = version("min", cx).map(|v| v.value);
                component.kubernetes_max = version("max", cx).map(|v| v.value);
            }
            "kernel" => component.kernel = decode_kernel(child, cx),
            "setting" => {
                if let Some(setting) = decode_setting(child, cx) {
                    component.settings.push(setting);
                }
            }
            "values" => {
                values = release::decode_values(child, cx);
                values_span = Some(child.span());
            }
            "release" => component.releases.extend(release::decode(child, cx)),
            "sync-options" => component.sync_options.extend(words(child, cx)),
            _ => {}
        }
    }
    // values beside explicit releases would belong to none of them: say so rather than drop them
    if let (false, Some(span)) = (component.releases.is_empty(), values_span) {
        cx.push(Error::InvalidValue {
            kind: "values",
            example: "a `values` block inside the `release` it configures",
            reason: "this component declares its releases, so its values go inside one of them"
                .into(),
            span,
        });
    }
    // the usual case: one release named after the component, with the component's values
    if component.releases.is_empty() && component.source.is_some() {
        component
            .releases
            .push(Release::named(&component.name, values));
        component.releases[0].values_span = values_span;
    }
    for (i, e) in component.endpoints.iter().enumerate() {
        endpoint::validate(e, &component.releases, cx);
        if let Some(first) = component.endpoints[..i].iter().find(|f| f.name == e.name) {
            cx.push(Error::DuplicateName {
                kind: "endpoint",
                scope: "in a component",
                name: e.name.clone(),
                span: e.span,
                first: first.span,
            });
        }
    }
    Some(component)
}

fn decode_setting(node: &KdlNode, cx: &mut Cx) -> Option<SettingDef> {
    let view = NodeView::new(
        node,
        &Shape {
            args: 1,
            args_text: "a name",
            props: &["type", "default", "doc", "min", "max"],
            block: true,
        },
        cx,
    );
    let name = value::string(view.arg(0)?, "setting", cx)?.value;
    let ty_word = view
        .prop("type")
        .and_then(|e| value::string(e, "type", cx))?;
    let mut choices: Vec<String> = Vec::new();
    let mut item_requires = Vec::new();
    for child in view.children(&["requires", "values"], cx) {
        if child.name().value() == "values" {
            choices.extend(words(child, cx));
            continue;
        }
        // `requires wazuh=wazuh discord=prometheus`: a list item that only works with a component
        for entry in child.entries() {
            match (entry.name(), value::string(entry, "requires", cx)) {
                (Some(item), Some(component)) => {
                    item_requires.push((item.value().to_string(), component.value))
                }
                (None, _) => cx.push(Error::UnexpectedArgument {
                    node: "requires".into(),
                    expected: "item=component properties",
                    span: entry.span(),
                }),
                _ => {}
            }
        }
    }
    let bound = |key, default, cx: &mut Cx| {
        view.prop(key)
            .and_then(|e| value::integer(e, key, i128::from(i64::MIN), i128::from(i64::MAX), cx))
            .map_or(default, |i| i.value as i64)
    };
    let ty = match ty_word.value.as_str() {
        "bool" => SettingType::Bool,
        "int" => SettingType::Int {
            min: bound("min", 0, cx),
            max: bound("max", i64::MAX, cx),
        },
        "string" => SettingType::String,
        "duration" => SettingType::Duration,
        "quantity" => SettingType::Quantity,
        "percent" => SettingType::Percent,
        "enum" => SettingType::Enum(choices),
        "list" => SettingType::List(choices),
        other => {
            cx.push(Error::UnknownValue {
                value: other.to_string(),
                what: "setting type",
                suggestion: crate::diag::Suggestion::new(
                    other,
                    [
                        "bool", "int", "string", "duration", "quantity", "percent", "enum", "list",
                    ],
                ),
                span: ty_word.span,
            });
            return None;
        }
    };
    let mut setting = SettingDef {
        name,
        ty,
        default: None,
        item_requires,
        doc: view
            .prop("doc")
            .and_then(|e| value::string(e, "doc", cx))
            .map(|s| s.value)
            .unwrap_or_default(),
    };
    if let Some(entry) = view.prop("default") {
        if !matches!(entry.value(), KdlValue::Null) {
            setting.default = setting.read_scalar("stdlib", entry, cx).map(|v| v.value);
        }
    } else if setting.ty.is_list() {
        setting.default = Some(SettingValue::List(Vec::new()));
    }
    Some(setting)
}

/// `kernel min="5.8" when="driver=modern-ebpf"`: the oldest Linux kernel the component runs on,
/// optionally only while one of its settings has a given value (Falco's eBPF driver needs a newer
/// kernel than its kernel module does).
#[derive(Debug, Clone)]
pub struct KernelRequirement {
    pub min: Version,
    pub when: Option<(String, String)>,
}

fn decode_kernel(node: &KdlNode, cx: &mut Cx) -> Option<KernelRequirement> {
    let v = NodeView::new(
        node,
        &Shape {
            args: 0,
            args_text: "no values",
            props: &["min", "when"],
            block: false,
        },
        cx,
    );
    let min = v
        .prop("min")
        .and_then(|e| value::parsed(e, "min", "version", "\"5.8\"", Version::parse, cx))?;
    let when = v
        .prop("when")
        .and_then(|e| value::string(e, "when", cx))
        .and_then(|w| {
            let (setting, value) = w.value.split_once('=')?;
            Some((setting.to_string(), value.to_string()))
        });
    Some(KernelRequirement {
        min: min.value,
        when,
    })
}
