//! OpenTelemetry auto-instrumentation of an app that declares `instrument=`: an
//! `Instrumentation` (the OpenTelemetry operator's custom resource) named after the app, in its
//! folder, and the pod template annotations that ask the operator's webhook to inject the
//! language's agent into the app's container with that Instrumentation.
//!
//! The agent exports to Tempo's OTLP receiver over HTTP (`wiring.tempo_otlp`, port 4318) and the
//! protocol is written out as `http/protobuf` so that the port and the protocol agree whatever
//! the agent's own default is. The object is checked against the pinned operator's CRD
//! (`stdlib/crds/opentelemetry.io_instrumentations.yaml`).

use super::files::object_path;
use super::wiring::Wiring;
use super::{workload, Files};
use crate::model::{App, Language, Site};
use serde::Serialize;

type Instrumentation = super::custom_resource::CustomResource<Spec>;

/// The environment variable that sets the OTLP exporter's protocol in every OpenTelemetry SDK.
const PROTOCOL: (&str, &str) = ("OTEL_EXPORTER_OTLP_PROTOCOL", "http/protobuf");

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Spec {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    env: Vec<Env>,
    exporter: Exporter,
    #[serde(skip_serializing_if = "Option::is_none")]
    java: Option<Java>,
    propagators: Vec<&'static str>,
    sampler: Sampler,
}

#[derive(Serialize)]
struct Exporter {
    endpoint: String,
}

#[derive(Serialize)]
struct Sampler {
    #[serde(rename = "type")]
    kind: &'static str,
}

#[derive(Serialize)]
struct Java {
    env: Vec<Env>,
}

#[derive(Serialize)]
struct Env {
    name: &'static str,
    value: &'static str,
}

/// The pod template annotations of an instrumented app: inject this language's agent with the
/// app's own Instrumentation (a bare name is looked up in the pod's namespace), into the app's
/// container only, never into a sidecar another webhook adds.
pub fn annotations(app: &App) -> Vec<(String, String)> {
    let Some(language) = &app.instrument else {
        return Vec::new();
    };
    let name = app.name.as_str();
    vec![
        (
            "instrumentation.opentelemetry.io/container-names".into(),
            name.to_string(),
        ),
        (
            format!(
                "instrumentation.opentelemetry.io/inject-{}",
                language.value.as_str()
            ),
            name.to_string(),
        ),
    ]
}

/// The Instrumentation of one app, when it declares `instrument=`.
pub fn emit(site: &Site, app: &App, wiring: &Wiring, files: &mut Files) {
    let Some(language) = &app.instrument else {
        return;
    };
    let name = app.name.as_str();
    let protocol = || {
        vec![Env {
            name: PROTOCOL.0,
            value: PROTOCOL.1,
        }]
    };
    // Java's agent reads the variables of `java.env`; the other languages have no documented
    // section of their own, so theirs go in the common `env`.
    let (env, java) = match language.value {
        Language::Java => (Vec::new(), Some(Java { env: protocol() })),
        _ => (protocol(), None),
    };
    let instrumentation = Instrumentation {
        api_version: "opentelemetry.io/v1alpha1",
        kind: "Instrumentation",
        metadata: workload::meta(name, app.namespace.as_str(), name, site),
        spec: Spec {
            env,
            exporter: Exporter {
                endpoint: wiring.tempo_otlp.clone(),
            },
            java,
            propagators: vec!["tracecontext", "baggage"],
            sampler: Sampler {
                kind: "parentbased_always_on",
            },
        },
    };
    files.object(
        object_path(&workload::folder(name), "Instrumentation", name),
        &instrumentation,
    );
}
