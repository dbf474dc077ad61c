//! Secrets in `out/`: what sealing takes, and the sealed files Argo CD syncs.
//!
//! `seal/` holds one Secret skeleton per declared secret (names and key names, empty values)
//! and `seal/README.md`, the command that seals each. No Application's path includes `seal/`,
//! so Argo CD never applies a skeleton over the real Secret; `tests/secrets.rs` keeps it so.
//! Accepted sealed files go to the folder of the secret's earliest consumer by sync wave
//! (`secret_place`): an app's or database's, or `platform/secrets/` (its own Application, right
//! after the controller) when a component reads it or nothing does.

use super::application::{application, site_source};
use super::files::object_path;
use super::secret_place::{places, platform, platform_wave, PLATFORM_FOLDER};
use super::{platform, Files};
use crate::graph::Graph;
use crate::model::Site;
use crate::secrets::sealed::{meta_for, path_of, Accepted};
use crate::secrets::{scope_word, SEALED_FOLDER};
use serde::Serialize;
use std::collections::BTreeMap;
use std::fmt::Write;

/// The folder of sealing inputs, outside every Application's path.
pub const SEAL_FOLDER: &str = "seal";
const WAVE: &str = "argocd.argoproj.io/sync-wave";
/// Why a skeleton exists, on the skeleton itself for whoever finds it.
const SKELETON_NOTE: &str = "labc.dev/skeleton";

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Skeleton {
    api_version: &'static str,
    kind: &'static str,
    metadata: crate::secrets::sealed::Meta,
    string_data: BTreeMap<String, String>,
    #[serde(rename = "type")]
    kind_of: &'static str,
}

pub fn emit(
    site: &Site,
    graph: &Graph,
    accepted: &BTreeMap<(String, String), Accepted>,
    files: &mut Files,
) {
    if site.secrets.is_empty() {
        return;
    }
    let mut readme = format!(
        "# Sealing the secrets of site {site}\n\n\
         Nothing in this folder is synced: no Application's path includes `{SEAL_FOLDER}/`. Each\n\
         `secret-<name>.yaml` is the Secret that sealing takes, with its values left empty.\n\
         Seal a secret with the first command (values from stdin or the environment, see\n\
         docs/secrets.md), or fill a copy of its skeleton outside git and run the second.\n\
         Commit the result; `labc build` then places it where Argo CD syncs it.\n\n\
         | secret | namespace | scope | keys | sealed file | synced by (wave) |\n| --- | --- | --- | --- | --- | --- |\n",
        site = site.settings.name
    );
    let places = places(site, graph, files);
    let mut commands = String::new();
    let mut platform_secrets = false;
    for secret in &site.secrets {
        let (ns, name) = (secret.namespace.as_str(), secret.name.as_str());
        let mut metadata = meta_for(secret);
        metadata.annotations.insert(
            SKELETON_NOTE.into(),
            "input for sealing; fill in a copy outside git, never apply".into(),
        );
        let skeleton = Skeleton {
            api_version: "v1",
            kind: "Secret",
            metadata,
            string_data: secret
                .keys
                .iter()
                .map(|k| (k.value.clone(), String::new()))
                .collect(),
            kind_of: secret.secret_type,
        };
        let folder = format!("{SEAL_FOLDER}/{ns}");
        let skeleton_path = object_path(&folder, "Secret", name);
        files.object(skeleton_path.clone(), &skeleton);
        let keys: Vec<&str> = secret.keys.iter().map(|k| k.value.as_str()).collect();
        let sealed_path = path_of(ns, name);
        let place = places
            .get(&(ns.to_string(), name.to_string()))
            .cloned()
            .unwrap_or_else(|| platform(graph));
        let _ = writeln!(
            readme,
            "| `{name}` | `{ns}` | {} | {} | `{sealed_path}` | `{}/` ({}) |",
            scope_word(secret.scope),
            keys.iter()
                .map(|k| format!("`{k}`"))
                .collect::<Vec<_>>()
                .join(" "),
            place.folder,
            place.wave,
        );
        let _ = writeln!(
            commands,
            "labc seal {name}\nkubeseal --controller-namespace kube-system --controller-name sealed-secrets-controller --scope {} --format yaml < FILLED-COPY-OF-{out}/{skeleton_path} > {sealed_path}\n",
            scope_word(secret.scope),
            out = site.settings.repo.path,
        );
        let Some(found) = accepted.get(&(ns.to_string(), name.to_string())) else {
            continue;
        };
        let mut object = found.object.clone();
        if place.workload.is_some() {
            // before the workload in its Application, so that the pod finds its Secret
            object.metadata.annotations.insert(WAVE.into(), "-1".into());
        } else {
            platform_secrets = true;
        }
        files.object(object_path(&place.folder, "SealedSecret", name), &object);
    }
    let _ = write!(readme, "\n## Commands\n\n```sh\n{commands}```\n\nSealed files live in `{SEALED_FOLDER}/<namespace>/<name>.yaml` beside site.kdl.\n");
    files.insert(format!("{SEAL_FOLDER}/README.md"), readme.into_bytes());
    if platform_secrets {
        // after the controller and its CRD; components that read these retry until they exist
        let name = super::argocd::site_application(site, super::argocd::PLATFORM_SECRETS);
        let app = application(
            site,
            &name,
            "kube-system",
            platform::platform_project(site),
            platform_wave(graph),
            site_source(site, PLATFORM_FOLDER),
        );
        files.object(
            object_path(super::argocd::FOLDER, "Application", &name),
            &app,
        );
    }
}
