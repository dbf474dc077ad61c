use super::vocabulary::*;
use super::{first_of, value, Cx, NodeView, Shape};
use crate::diag::Error;
use crate::model::value::{Duration, Percent};
use crate::model::{Analysis, Canary, CanaryStep, Spanned, TrafficRouting};
use crate::syntax::Node as KdlNode;

pub fn decode(node: &KdlNode, cx: &mut Cx) -> Option<Canary> {
    let view = NodeView::new(
        node,
        &Shape {
            args: 0,
            args_text: "only properties",
            props: CANARY_PROPS,
            block: true,
        },
        cx,
    );
    let traffic = view
        .prop("traffic")
        .and_then(|e| value::word(e, "traffic routing", TrafficRouting::ALL, cx))
        .unwrap_or_else(|| Spanned::new(TrafficRouting::Istio, view.name_span()));
    let mut canary = Canary {
        steps: Vec::new(),
        traffic,
        analysis: None,
        span: view.name_span(),
    };
    let mut analysis_seen = None;
    for child in view.children(CANARY_CHILDREN, cx) {
        match child.name().value() {
            "step" => canary.steps.extend(decode_step(child, cx)),
            "analysis" if first_of(&mut analysis_seen, child, cx) => {
                canary.analysis = decode_analysis(child, cx)
            }
            _ => {}
        }
    }
    if !node.iter_children().any(|c| c.name().value() == "step") {
        cx.push(Error::MissingNode {
            parent: "`canary`".into(),
            child: "step",
            example: "step 20 pause=\"1m\"",
            span: view.name_span(),
        });
    }
    Some(canary)
}

fn decode_step(node: &KdlNode, cx: &mut Cx) -> Option<CanaryStep> {
    let v = NodeView::new(
        node,
        &Shape {
            args: 1,
            args_text: "one weight",
            props: STEP_PROPS,
            block: false,
        },
        cx,
    );
    let Some(e) = v.arg(0) else {
        cx.push(Error::MissingArgument {
            node: "step".into(),
            what: "a weight",
            example: "step 20 pause=\"1m\"",
            span: v.name_span(),
        });
        return None;
    };
    let weight = match e.value() {
        crate::syntax::Value::Integer(w) if (1..=100).contains(w) => {
            Spanned::new(*w as u32, e.span())
        }
        crate::syntax::Value::Integer(w) => {
            cx.push(Error::CanaryWeightRange {
                weight: *w,
                span: e.span(),
            });
            return None;
        }
        _ => {
            value::integer(e, "step", 1, 100, cx);
            return None;
        }
    };
    let pause = v
        .prop("pause")
        .and_then(|p| value::interval(p, "pause", "\"1m\" or \"30s\"", PAUSE_HELP, cx));
    Some(CanaryStep { weight, pause })
}

const PAUSE_HELP: &str = "Argo Rollouts pauses in whole seconds; give at least `1s`, or leave `pause=` out to go on at once";

fn decode_analysis(node: &KdlNode, cx: &mut Cx) -> Option<Analysis> {
    let v = NodeView::new(
        node,
        &Shape {
            args: 0,
            args_text: "only properties",
            props: ANALYSIS_PROPS,
            block: false,
        },
        cx,
    );
    let success_rate = match v.prop("success-rate") {
        Some(e) => value::parsed(
            e,
            "success-rate",
            "percentage",
            "\"99%\"",
            Percent::parse,
            cx,
        )?,
        None => {
            cx.push(Error::MissingProperty {
                node: "analysis".into(),
                property: "success-rate",
                example: "\"99%\"",
                span: v.name_span(),
            });
            return None;
        }
    };
    let latency_p99 = v
        .prop("latency-p99")
        .and_then(|e| value::duration(e, "latency-p99", "\"500ms\"", cx));
    let interval = v
        .prop("interval")
        .and_then(|e| value::interval(e, "analysis interval", "\"10s\"", value::INTERVAL_HELP, cx))
        .map_or(Duration::from_millis(10_000), |d| d.value);
    let failure_limit = v
        .prop("failure-limit")
        .and_then(|e| value::integer(e, "failure-limit", 0, 100, cx))
        .map_or(0, |f| f.value as u32);
    Some(Analysis {
        success_rate,
        latency_p99,
        interval,
        failure_limit,
        span: v.name_span(),
    })
}
