//! Every node's kernel is one the components that run on every node support (Cilium's
//! datapath, Falco's eBPF driver). A node without a `kernel` is not checked.

use super::SiteView;
use crate::diag::Error;
use crate::model::SettingValue;

pub fn check(view: &SiteView, errors: &mut Vec<Error>) {
    for used in view.components() {
        let Some(def) = view.catalog.get(used.name.as_str()) else {
            continue;
        };
        let Some(need) = &def.kernel else { continue };
        let applies = need.when.as_ref().is_none_or(|(setting, wanted)| {
            matches!(view.setting(used.name.as_str(), setting), Some(SettingValue::String(s)) if s == *wanted)
        });
        if !applies {
            continue;
        }
        for node in &view.site.nodes {
            let Some(kernel) = &node.kernel else { continue };
            if kernel.value < need.min {
                errors.push(Error::KernelTooOld {
                    component: def.name.clone(),
                    min: need.min.to_string(),
                    node: node.name.to_string(),
                    kernel: kernel.to_string(),
                    span: kernel.span,
                    component_span: used.name.span,
                });
            }
        }
    }
}
