//! The CRD schemas of the component versions labc pins, embedded at build time from
//! `stdlib/crds/`, and the check of every custom resource labc writes against them (or
//! against a site's own CRDs from its `crds/` folder) before anything is written; and the same
//! check of an object others render (`check_value`), with the CRDs they install deciding.

mod capture;
mod convert;
mod crds;
mod embedded;
mod report;
mod site_crds;
mod table;
mod validate;
mod value;

pub use capture::{identity, Identity};
pub use crds::{embedded as embedded_schema, Lookup, SiteCrds};
pub use embedded::{FILES as EMBEDDED_FILES, KINDS as EMBEDDED_KINDS};
pub use report::{check_object, diagnostics, Checked};
pub use site_crds::CrdProblem;
pub use validate::{validate, Violation};
pub use value::{check_value, is_built_in, ValueCheck};
