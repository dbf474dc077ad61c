//! Canary steps send a strictly rising share of traffic to the new version.

use super::SiteView;
use crate::diag::Error;

pub fn check(view: &SiteView, errors: &mut Vec<Error>) {
    for canary in view.site.apps.iter().filter_map(|a| a.canary.as_ref()) {
        for pair in canary.steps.windows(2) {
            let (previous, step) = (&pair[0].weight, &pair[1].weight);
            if step.value <= previous.value {
                errors.push(Error::CanaryWeightsNotRising {
                    weight: step.value,
                    previous: previous.value,
                    span: step.span,
                    previous_span: previous.span,
                });
            }
        }
    }
}
