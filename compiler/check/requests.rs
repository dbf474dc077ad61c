//! Requests of zero: the scheduler places such a pod as if it used nothing, and the kubelet
//! evicts it first under pressure.

use super::SiteView;
use crate::diag::Error;
use crate::model::value::Quantity;
use crate::model::{Resources, Spanned};

const HELP: &str = "request what the container needs at rest, e.g. `cpu=\"50m\" memory=\"64Mi\"`; the scheduler reserves it on a node";

fn zero(what: &'static str, quantity: &Spanned<Quantity>, errors: &mut Vec<Error>) {
    if quantity.value.milli() == 0 {
        errors.push(Error::ZeroValue {
            what,
            value: quantity.value.to_string(),
            help: HELP,
            span: quantity.span,
        });
    }
}

fn requests(resources: &Resources, errors: &mut Vec<Error>) {
    zero("a CPU request", &resources.cpu, errors);
    zero("a memory request", &resources.memory, errors);
}

pub fn check(view: &SiteView, errors: &mut Vec<Error>) {
    for app in &view.site.apps {
        requests(&app.resources, errors);
    }
    for db in &view.site.databases {
        requests(&db.resources, errors);
    }
}
