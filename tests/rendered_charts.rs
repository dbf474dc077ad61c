//! What the platform's charts make of labc's values, read from `labc verify --dump`: the same
//! rendering `labc verify` checks (`helm template` with the emitted values, release name,
//! namespace and the site's Kubernetes version, as Argo CD's repo server renders), so these
//! tests and `verify` cannot disagree about what a chart renders. The contracts between parts
//! (projects, endpoints, addresses…) are `verify`'s own checks, held for every good site in
//! `tests/verify.rs`; here, settings are followed into the chart's configuration.
//!
//! These need `helm` (on `PATH`, or `LABC_HELM`) and the offline chart cache
//! `../shared/reference/charts/<chart>/<version>/`; without either they say so and pass, since
//! a user's clone has neither (CI has both).

use crate::support::{labc, root};
use serde_yaml::Value;
use std::collections::BTreeMap;
use std::path::Path;

/// Each object the site's Application `app` renders to, from `labc verify --dump`; `None`, with
/// a note, when helm or the chart cache is missing.
fn rendered(site: &Path, app: &str) -> Option<Vec<Value>> {
    let charts = root().join("../shared/reference/charts");
    let helm = crate::support::on_path("helm").is_some() || std::env::var_os("LABC_HELM").is_some();
    if !helm || !charts.is_dir() {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must have helm and the chart cache"
        );
        eprintln!(
            "skipped: needs helm and the chart cache {}",
            charts.display()
        );
        return None;
    }
    let tmp = tempfile::tempdir().unwrap();
    let copy = tmp.path().join("site");
    std::fs::create_dir(&copy).unwrap();
    std::fs::copy(site, copy.join("site.kdl")).unwrap();
    let built = labc(&["build"], &copy);
    assert!(
        built.status.success(),
        "{}",
        String::from_utf8_lossy(&built.stderr)
    );
    let dump = tmp.path().join("dump");
    let (charts, dump_arg) = (charts.display().to_string(), dump.display().to_string());
    // the exit code is verify's verdict on the whole site, which these tests do not judge
    labc(
        &[
            "verify",
            "--charts",
            &charts,
            "--offline",
            "--dump",
            &dump_arg,
        ],
        &copy,
    );
    let text = std::fs::read_to_string(dump.join(format!("{app}.yaml")))
        .unwrap_or_else(|e| panic!("no rendering of {app}: {e}"));
    use serde::Deserialize;
    Some(
        serde_yaml::Deserializer::from_str(&text)
            .filter_map(|doc| Value::deserialize(doc).ok())
            .filter(|o| o.get("kind").is_some())
            .collect(),
    )
}

/// The Falcosidekick configuration as its chart hands it to the pod: the Secret's entries.
fn sidekick_config(site: &Path) -> Option<BTreeMap<String, String>> {
    use base64::Engine;
    let made = rendered(site, "falcosidekick")?;
    let secret = made
        .iter()
        .find(|o| o["kind"] == "Secret" && o["metadata"]["name"] == "falcosidekick")
        .expect("the chart's configuration Secret");
    Some(
        secret["data"]
            .as_mapping()
            .unwrap()
            .iter()
            .map(|(k, v)| {
                let bytes = base64::engine::general_purpose::STANDARD
                    .decode(v.as_str().unwrap_or_default())
                    .unwrap();
                (
                    k.as_str().unwrap().to_string(),
                    String::from_utf8(bytes).unwrap(),
                )
            })
            .collect(),
    )
}

/// No outputs: the chart still renders (an empty `config:` would have erased its defaults and
/// failed on `config.tlsserver`) and its defaults survive.
#[test]
fn falcosidekick_without_outputs_keeps_the_charts_configuration() {
    let Some(config) = sidekick_config(&root().join("tests/fixtures/ok/falco_quiet/site.kdl"))
    else {
        return;
    };
    assert_eq!(config["ALERTMANAGER_HOSTPORT"], "");
    assert_eq!(
        config["ALERTMANAGER_ENDPOINT"], "/api/v1/alerts",
        "a chart default"
    );
}

/// The seed sends Falco events to Discord through Alertmanager from `warning` up, at the v2 API
/// Alertmanager 0.27 and later serve; a site can raise the bar.
#[test]
fn falco_chat_alerts_have_a_minimum_priority() {
    let Some(seed) = sidekick_config(&root().join("site.kdl")) else {
        return;
    };
    assert_eq!(seed["ALERTMANAGER_MINIMUMPRIORITY"], "warning");
    assert_eq!(seed["ALERTMANAGER_ENDPOINT"], "/api/v2/alerts");
    let text = std::fs::read_to_string(root().join("site.kdl"))
        .unwrap()
        .replace(
            "falcosidekick {",
            "falcosidekick chat-priority=\"critical\" {",
        );
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("site.kdl");
    std::fs::write(&site, text).unwrap();
    let raised = sidekick_config(&site).unwrap();
    assert_eq!(raised["ALERTMANAGER_MINIMUMPRIORITY"], "critical");
}
