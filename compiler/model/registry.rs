//! Private container registries: the pods that pull from one get its credentials.

use super::value::{ImageRef, Name};
use super::{App, Secret, SecretScope, Span, Spanned};

/// The Secret type of registry credentials, and its one key.
pub const DOCKER_CONFIG_TYPE: &str = "kubernetes.io/dockerconfigjson";
pub const DOCKER_CONFIG_KEY: &str = ".dockerconfigjson";

/// `registry "ghcr.io" secret="ghcr-pull"`: images on `server` need the credentials sealed as
/// `secret`, one copy in each namespace whose pods pull from it.
#[derive(Debug, Clone)]
pub struct Registry {
    /// A host, with a port where it has one (`registry.example.dev:5000`), as images name it.
    pub server: Spanned<String>,
    pub secret: Spanned<Name>,
    pub span: Span,
}

impl Registry {
    /// The registry of `image`, if it is this one: the host part images begin with.
    pub fn serves(&self, image: &ImageRef) -> bool {
        image.registry() == Some(self.server.as_str())
    }
}

/// The pull secret an app's pods need: the `secret` of the registry its image is on.
pub fn pull_secret<'a>(registries: &'a [Registry], app: &App) -> Option<&'a Spanned<Name>> {
    registries
        .iter()
        .find(|r| r.serves(&app.image))
        .map(|r| &r.secret)
}

/// The Secrets registries imply: for each registry, one per namespace whose apps pull from it,
/// declared as if `site.kdl` held them (same name in each namespace, at the registry's span), so
/// that skeletons, sealing, placement and the reference check treat them like any other.
pub fn implied_secrets(registries: &[Registry], apps: &[App]) -> Vec<Secret> {
    let mut out: Vec<Secret> = Vec::new();
    for (i, registry) in registries.iter().enumerate() {
        if registries[..i]
            .iter()
            .any(|r| r.server.value == registry.server.value)
        {
            continue; // declared twice: reported by the name check, pulled with the first
        }
        let mut namespaces: Vec<&Spanned<Name>> = apps
            .iter()
            .filter(|a| registry.serves(&a.image))
            .map(|a| &a.namespace)
            .collect();
        namespaces.sort_by(|a, b| a.as_str().cmp(b.as_str()));
        namespaces.dedup_by(|a, b| a.as_str() == b.as_str());
        for ns in namespaces {
            let span = registry.secret.span;
            out.push(Secret {
                name: registry.secret.clone(),
                namespace: Spanned::new(ns.value.clone(), span),
                scope: SecretScope::Strict,
                keys: vec![Spanned::new(DOCKER_CONFIG_KEY.to_string(), span)],
                secret_type: DOCKER_CONFIG_TYPE,
                span: registry.span,
            });
        }
    }
    out
}
