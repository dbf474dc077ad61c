//! Violations as diagnostics, with the site's own CRDs deciding for the kinds they cover.

use super::capture::{identity, Identity};
use super::crds::{embedded, Lookup, SiteCrds};
use super::validate::{validate, Violation};
use crate::diag::Error;
use crate::emit::Files;
use crate::model::{Site, Span};

/// A custom resource `Files` checked as it was added: which object, its embedded CRD, and
/// what breaks it.
#[derive(Debug, Clone)]
pub struct Checked {
    pub path: String,
    pub identity: Identity,
    pub crd: &'static str,
    pub violations: Vec<Violation>,
}

/// Checks one object against its embedded CRD; `None` if it is not a custom resource labc
/// has a CRD for.
pub fn check_object<T: serde::Serialize + ?Sized>(path: &str, object: &T) -> Option<Checked> {
    let identity = identity(object)?;
    let (violations, crd) = match embedded(&identity) {
        Lookup::Unknown => return None,
        Lookup::NotServed { served, file } => (vec![not_served(&identity, &served)], file),
        Lookup::Schema { table, root, file } => (validate(table, root, object), file),
    };
    Some(Checked {
        path: path.to_string(),
        identity,
        crd,
        violations,
    })
}

pub(super) fn not_served(identity: &Identity, served: &[&str]) -> Violation {
    Violation {
        field: "apiVersion".to_string(),
        problem: format!(
            "version {} is not served; the CRD serves {}",
            identity.version(),
            served.join(", ")
        ),
    }
}

/// Every violation of what `files` holds, as diagnostics labelled on the declaration that
/// produced the object. Objects of a kind the site brings its own CRD for are checked against
/// that CRD instead, from the YAML written for them (parsed only for such sites).
pub fn diagnostics(files: &Files, site_crds: &SiteCrds, site: &Site) -> Vec<Error> {
    let mut errors = Vec::new();
    for checked in files.checked() {
        let mut crd = checked.crd.to_string();
        let mut violations = &checked.violations;
        let revalidated;
        if site_crds.decides(&checked.identity) {
            let (found, file) = recheck(files, &checked.path, &checked.identity, site_crds);
            revalidated = found;
            violations = &revalidated;
            crd = file;
        }
        if violations.is_empty() {
            continue;
        }
        // looked up only for an object that breaks its schema: the search is by name
        let span = declaration(site, &checked.path);
        errors.extend(violations.iter().map(|v| Error::CustomResourceSchema {
            object: checked.identity.describe(),
            path: checked.path.clone(),
            field: v.field.clone(),
            problem: v.problem.clone(),
            crd: crd.clone(),
            span,
        }));
    }
    errors
}

fn recheck(
    files: &Files,
    path: &str,
    identity: &Identity,
    site_crds: &SiteCrds,
) -> (Vec<Violation>, String) {
    let bytes = files.as_map().get(path).map_or(&[][..], Vec::as_slice);
    let value: serde_yaml::Value = match serde_yaml::from_slice(bytes) {
        Ok(value) => value,
        // labc's own writer produced it: a failure here is a writer bug, shown as a violation
        Err(e) => {
            let problem = format!("cannot be read back: {e}");
            let field = "(the object)".to_string();
            return (vec![Violation { field, problem }], String::new());
        }
    };
    match site_crds.lookup(identity) {
        Lookup::Unknown => (Vec::new(), String::new()),
        Lookup::NotServed { served, file } => {
            (vec![not_served(identity, &served)], file.to_string())
        }
        Lookup::Schema { table, root, file } => (validate(table, root, &value), file.to_string()),
    }
}

/// The span of what an object was written for: the app or database of `apps/<name>/…`, the
/// app, database, component or gateway an Application is named after, else the site's name.
fn declaration(site: &Site, path: &str) -> Span {
    let owner = path
        .strip_prefix("apps/")
        .and_then(|rest| rest.split('/').next())
        .or_else(|| {
            path.strip_prefix("argocd/application-")
                .and_then(|rest| rest.strip_suffix(".yaml"))
        })
        .or_else(|| {
            path.strip_prefix("platform/istio/gateway-")
                .and_then(|rest| rest.strip_suffix(".yaml"))
        })
        .unwrap_or_default();
    let gateway = owner.strip_prefix("gateway-");
    let apps = site.apps.iter().map(|a| &a.name);
    let databases = site.databases.iter().map(|d| &d.name);
    let layers = site.layers.iter();
    let components = layers.clone().flat_map(|l| &l.components).map(|c| &c.name);
    let gateways = layers.flat_map(|l| &l.gateways).map(|g| &g.name);
    apps.chain(databases)
        .chain(components)
        .chain(gateways)
        .find(|name| name.as_str() == owner || Some(name.as_str()) == gateway)
        .map_or(site.settings.name.span, |name| name.span)
}
