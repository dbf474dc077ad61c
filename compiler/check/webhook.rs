//! Argo CD's Git webhook (`argocd github-webhook=#true`): Argo CD reads the webhook's shared
//! secret only from `argocd-secret`, so the site declares that secret, in Argo CD's namespace,
//! with the key. The chart keeps writing `argocd-secret`; the sealed one is merged into it
//! (stdlib/components/argocd.kdl, docs/argocd.md).

use super::SiteView;
use crate::diag::Error;
use crate::model::{Secret, SettingValue};

/// Argo CD's own Secret, the only one it reads the webhook's shared secret from.
pub const SECRET: &str = "argocd-secret";
pub const NAMESPACE: &str = "argocd";
/// The key GitHub's shared secret is read from.
pub const KEY: &str = "webhook.github.secret";

/// Whether the site turns the webhook on (`argocd github-webhook=#true`).
pub fn enabled(view: &SiteView) -> bool {
    view.setting("argocd", "github-webhook") == Some(SettingValue::Bool(true))
}

/// Whether `secret` is the one the webhook reads: the warning for unused secrets asks.
pub fn reads(view: &SiteView, secret: &Secret) -> bool {
    enabled(view) && secret.name.as_str() == SECRET && secret.namespace.as_str() == NAMESPACE
}

pub fn check(view: &SiteView, errors: &mut Vec<Error>) {
    if !enabled(view) {
        return;
    }
    let Some(span) = view
        .component("argocd")
        .and_then(|c| c.settings.get("github-webhook"))
        .map(|s| s.span)
    else {
        return;
    };
    let named: Vec<&Secret> = view
        .site
        .secrets
        .iter()
        .filter(|s| s.name.as_str() == SECRET)
        .collect();
    let found = match named.iter().find(|s| s.namespace.as_str() == NAMESPACE) {
        Some(secret) if secret.has_key(KEY) => return,
        Some(_) => format!("`{SECRET}` has no key `{KEY}`"),
        None => match named.first() {
            Some(other) => format!("`{SECRET}` is declared in namespace `{}`", other.namespace),
            None => format!("no secret `{SECRET}` is declared"),
        },
    };
    errors.push(Error::WebhookSecret { found, span });
}
