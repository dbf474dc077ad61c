//! The site's `exception` declarations as checkov's own skip annotations on the workload's
//! metadata, so a scan of `out/` reports them as skipped with the site's reason.

use crate::model::Exception;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::ObjectMeta;

/// Adds `checkov.io/skip<n>: <check>=<why>`, numbered in the order the site declares them.
pub fn annotate(meta: &mut ObjectMeta, exceptions: &[Exception]) {
    if exceptions.is_empty() {
        return;
    }
    let annotations = meta.annotations.get_or_insert_with(Default::default);
    for (n, e) in exceptions.iter().enumerate() {
        annotations.insert(
            format!("checkov.io/skip{}", n + 1),
            format!("{}={}", e.check.value, e.why.value),
        );
    }
}
