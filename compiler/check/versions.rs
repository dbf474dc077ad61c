//! The Kubernetes and containerd versions are releases the node scripts can install: a typo
//! here would otherwise surface as an apt or download failure on the machine.

use super::SiteView;
use crate::diag::Error;
use crate::stdlib::releases::{self, CONTAINERD, KUBERNETES};

pub fn check(view: &SiteView, errors: &mut Vec<Error>) {
    let settings = &view.site.settings;
    // an empty span is the decoder's placeholder for a version already reported
    let kubernetes = &settings.kubernetes;
    if !kubernetes.span.is_empty() && !releases::known(KUBERNETES, kubernetes) {
        errors.push(Error::KubernetesReleaseUnknown {
            version: kubernetes.to_string(),
            known: releases::describe(KUBERNETES),
            span: kubernetes.span,
        });
    }
    let containerd = &settings.runtime_version;
    if !containerd.span.is_empty() && !releases::known(CONTAINERD, containerd) {
        errors.push(Error::ContainerdReleaseUnknown {
            version: containerd.to_string(),
            known: releases::describe(CONTAINERD),
            span: containerd.span,
        });
    }
}
