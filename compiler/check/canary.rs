//! Canary steps send a strictly rising share of traffic to the new version, and pause long
//! enough for the analysis to measure the canary before it is promoted.

use super::SiteView;
use crate::diag::Error;

pub fn check(view: &SiteView, errors: &mut Vec<Error>) {
    for app in &view.site.apps {
        let Some(canary) = &app.canary else {
            continue;
        };
        if let (Some(analysis), Some(needed)) = (
            &canary.analysis,
            crate::emit::analysis_first_measurement(app),
        ) {
            // the background analysis starts at the first pause (or the second step): every
            // pause is spent under analysis
            let pauses: u64 = canary
                .steps
                .iter()
                .filter_map(|s| s.pause.as_ref())
                .map(|p| p.value.as_secs())
                .sum();
            if pauses < needed {
                errors.push(Error::CanaryAnalysisTooShort {
                    pauses,
                    needed,
                    span: analysis.span,
                    steps_span: canary.span,
                });
            }
        }
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
