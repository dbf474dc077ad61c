//! Volume claims that name no StorageClass bind only to the cluster's default one: when a
//! component claims storage that way (Prometheus, Loki, Tempo) and no storage component of the
//! site is the default, the claim stays Pending for ever and the component never starts.
//! kubeadm makes no default class, so labc says so rather than choose one silently.

use super::SiteView;
use crate::diag::Error;
use crate::model::{LayerKind, SettingValue};

/// The setting by which a storage component makes its class the cluster's default.
const DEFAULT_SETTING: &str = "default";

pub fn check(view: &SiteView, errors: &mut Vec<Error>) {
    let providers: Vec<&str> = view
        .components()
        .filter(|c| {
            view.catalog
                .get(c.name.as_str())
                .is_some_and(|d| d.storage_class.is_some())
        })
        .map(|c| c.name.as_str())
        .collect();
    let has_default = providers
        .iter()
        .any(|p| view.setting(p, DEFAULT_SETTING) == Some(SettingValue::Bool(true)));
    if has_default {
        return;
    }
    let storage = view
        .site
        .layers
        .iter()
        .find(|l| l.kind.value == LayerKind::Storage)
        .map(|l| l.kind.span);
    let class_help = match providers.as_slice() {
        [] => ", after adding a storage component".to_string(),
        [one] => format!("; here: `{one} {DEFAULT_SETTING}=#true`"),
        _ => String::new(),
    };
    for used in view.components() {
        let Some(def) = view.catalog.get(used.name.as_str()) else {
            continue;
        };
        for claim in &def.claims_storage {
            errors.push(Error::NoDefaultStorageClass {
                claim: format!("{claim} (`{}`)", def.name),
                class_help: class_help.clone(),
                span: used.name.span,
                storage,
            });
        }
    }
}
