//! Things that build but are likely mistakes.

use super::SiteView;
use crate::diag::Error;
use crate::model::EnvSource;

pub fn check(view: &SiteView, errors: &mut Vec<Error>) {
    let site = view.site;
    for used in view.components() {
        let caveat = view
            .catalog
            .get(used.name.as_str())
            .and_then(|d| d.caveat.as_ref());
        if let Some(caveat) = caveat {
            errors.push(Error::ComponentCaveat {
                component: used.name.to_string(),
                caveat: caveat.clone(),
                span: used.name.span,
            });
        }
    }
    for app in &site.apps {
        if app.image.tag() == Some("latest") {
            errors.push(Error::LatestTag {
                image: app.image.to_string(),
                span: app.image.span,
            });
        }
    }
    for secret in &site.secrets {
        let name = &secret.name.value;
        let used = site.apps.iter().any(|a| {
            a.secrets.iter().any(|m| m.secret.value == *name)
                || a.env.iter().any(|e| matches!(&e.source, EnvSource::Secret { secret, .. } if secret.value == *name))
        }) || site.databases.iter().any(|d| d.secret.as_ref().is_some_and(|s| s.value == *name))
            || site.settings.alerts.iter().any(|a| a.secret.value == *name)
            || site.layers.iter().flat_map(|l| &l.gateways).any(|g| g.tls.as_ref().is_some_and(|t| t.value == *name))
            || site.apps.iter().any(|a| crate::model::registry::pull_secret(&site.registries, a).is_some_and(|s| s.value == *name))
            || component_settings_name(view, name.as_str())
            // Argo CD's webhook reads its own Secret, which the chart names, not a setting
            || super::webhook::reads(view, secret)
            // the Wazuh objects read the secrets labc declares for them
            || crate::wazuh::is_generated(name.as_str()) && site.has_component(crate::wazuh::COMPONENT);
        if !used {
            errors.push(Error::UnusedSecret {
                name: name.to_string(),
                span: secret.name.span,
            });
        }
    }
}

/// Whether a component setting, as written or by its stdlib default, names the secret.
fn component_settings_name(view: &SiteView, secret: &str) -> bool {
    view.components().any(|used| {
        view.catalog.get(used.name.as_str()).is_some_and(|def| {
            def.settings.iter().any(|setting| {
                matches!(view.setting(used.name.as_str(), &setting.name), Some(crate::model::SettingValue::String(s)) if s == secret)
            })
        })
    })
}
