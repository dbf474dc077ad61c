//! The platform components as they will be installed: every values template renders for this
//! site, and every list item that needs another component (a Falcosidekick output, a Wazuh
//! source) has it.

use super::SiteView;
use crate::diag::Error;
use crate::model::SettingValue;
use crate::stdlib::ValuesError;

pub fn check(view: &SiteView, errors: &mut Vec<Error>) {
    for used in view.components() {
        let Some(def) = view.catalog.get(used.name.as_str()) else {
            continue;
        };
        // a list item that needs a missing component (below) is the cause of its endpoint's
        // missing provider: one diagnostic, not two
        let item_needs_missing = |provider: &str| {
            def.settings.iter().any(|setting| {
                let Some(SettingValue::List(items)) =
                    used.settings.get(&setting.name).map(|w| &w.value)
                else {
                    return false;
                };
                setting
                    .item_requires
                    .iter()
                    .any(|(item, needs)| needs == provider && items.contains(item))
            })
        };
        let instances = view.platform.instances(&def.name).filter(|result| {
            !matches!(result, Err(ValuesError::MissingProvider { provider, .. }) if item_needs_missing(provider))
        });
        if let Some(Err(error)) = instances {
            let component = def.name.clone();
            let span = used.name.span;
            errors.push(match error {
                ValuesError::Template(reason) => Error::ValuesTemplate {
                    component,
                    reason: reason.clone(),
                    span,
                },
                ValuesError::MissingProvider { provider, endpoint } => {
                    Error::EndpointProviderMissing {
                        component,
                        provider: provider.clone(),
                        endpoint: endpoint.clone(),
                        layer: view
                            .catalog
                            .get(provider)
                            .map_or("", |d| d.layer.as_str())
                            .into(),
                        span,
                    }
                }
                ValuesError::Null { path } => Error::ValuesNull {
                    component,
                    path: path.clone(),
                    span,
                },
            });
        }
        for setting in &def.settings {
            let Some(written) = used.settings.get(&setting.name) else {
                continue;
            };
            let SettingValue::List(items) = &written.value else {
                continue;
            };
            for (item, needs) in &setting.item_requires {
                if items.contains(item) && !view.has(needs) {
                    let layer = view.catalog.get(needs).map_or("", |d| d.layer.as_str());
                    errors.push(Error::SettingNeedsComponent {
                        component: def.name.clone(),
                        setting: setting.name.clone(),
                        item: item.clone(),
                        needs: needs.clone(),
                        layer: layer.into(),
                        span: written.span,
                    });
                }
            }
        }
    }
}
