//! Falcosidekick outputs that need a credential read it from the site's outputs secret, which
//! holds every key those outputs need (`model::falco_outputs`).

use super::SiteView;
use crate::diag::Error;
use crate::model::falco_outputs::secret_output;
use crate::model::SettingValue;

const COMPONENT: &str = "falcosidekick";

pub fn check(view: &SiteView, errors: &mut Vec<Error>) {
    let Some(used) = view.component(COMPONENT) else {
        return;
    };
    let Some(SettingValue::List(outputs)) = view.setting(COMPONENT, "outputs") else {
        return;
    };
    let span = used
        .settings
        .get("outputs")
        .map_or(used.name.span, |s| s.span);
    let needing: Vec<_> = outputs.iter().filter_map(|o| secret_output(o)).collect();
    if needing.is_empty() {
        return;
    }
    let Some(SettingValue::String(secret)) = view.setting(COMPONENT, "outputs-secret") else {
        errors.push(Error::OutputSecret {
            output: needing[0].name.to_string(),
            problem: "no `outputs-secret` names the secret that holds its address".into(),
            example: format!(
                "falcosidekick outputs-secret=\"falco-outputs\" {{ outputs {} }}, and `secret falco-outputs namespace=\"falco\" {{ keys {} }}`",
                needing[0].name,
                needing[0].keys.iter().map(|k| format!("\"{k}\"")).collect::<Vec<_>>().join(" ")
            ),
            span,
        });
        return;
    };
    // a secret that is not declared in the component's namespace is reported by the
    // reference check of `out/` (`existingSecret`)
    let Some(declared) = view
        .site
        .secrets
        .iter()
        .find(|s| s.name.as_str() == secret && s.namespace.as_str() == "falco")
    else {
        return;
    };
    for output in needing {
        for key in output.keys.iter().filter(|k| !declared.has_key(k)) {
            errors.push(Error::OutputSecret {
                output: output.name.to_string(),
                problem: format!("the secret `{secret}` has no key `{key}`"),
                example: format!("keys \"{key}\" in `secret {secret}`"),
                span: declared.name.span,
            });
        }
    }
}
