use super::vocabulary::*;
use super::{value, Cx, NodeView, Shape};
use crate::diag::Error;
use crate::model::value::Quantity;
use crate::model::{Resources, Span, Spanned};
use crate::syntax::{Entry as KdlEntry, Node as KdlNode, Value as KdlValue};

/// A quantity written as a string (`"512Mi"`) or, for whole CPUs only, as a bare number (`2`):
/// a bare `2` for memory would mean two bytes, which is never what was meant.
pub fn quantity(entry: &KdlEntry, what: &str, cx: &mut Cx) -> Option<Spanned<Quantity>> {
    if let KdlValue::Integer(i) = entry.value() {
        if *i >= 0 && what.starts_with("cpu") {
            return Quantity::parse(&i.to_string())
                .ok()
                .map(|q| Spanned::new(q, entry.span()));
        }
    }
    value::parsed(
        entry,
        what,
        "quantity",
        "\"500m\", \"512Mi\" or \"10Gi\"",
        Quantity::parse,
        cx,
    )
}

/// The defaults of `docs/language.md`: a small request, memory limited to the request and CPU
/// allowed to burst to twice the request.
pub fn defaults(span: Span) -> Resources {
    resources_from(None, None, None, None, span)
}

fn resources_from(
    cpu: Option<Spanned<Quantity>>,
    memory: Option<Spanned<Quantity>>,
    cpu_limit: Option<Spanned<Quantity>>,
    memory_limit: Option<Spanned<Quantity>>,
    span: Span,
) -> Resources {
    let default = |text: &str| Spanned::new(Quantity::parse(text).expect("valid default"), span);
    let cpu = cpu.unwrap_or_else(|| default("100m"));
    let memory = memory.unwrap_or_else(|| default("128Mi"));
    let cpu_limit =
        cpu_limit.unwrap_or_else(|| Spanned::new(Quantity::from_milli(cpu.milli() * 2), cpu.span));
    let memory_limit = memory_limit.unwrap_or_else(|| memory.clone());
    Resources {
        cpu,
        memory,
        cpu_limit,
        memory_limit,
    }
}

pub fn decode(node: &KdlNode, cx: &mut Cx) -> Resources {
    let view = NodeView::new(
        node,
        &Shape {
            args: 0,
            args_text: "only properties",
            props: RESOURCES_PROPS,
            block: false,
        },
        cx,
    );
    let get = |key: &str, cx: &mut Cx| view.prop(key).and_then(|e| quantity(e, key, cx));
    let resources = resources_from(
        get("cpu", cx),
        get("memory", cx),
        get("cpu-limit", cx),
        get("memory-limit", cx),
        view.span(),
    );
    for (request, limit, what) in [
        (&resources.cpu, &resources.cpu_limit, "cpu"),
        (&resources.memory, &resources.memory_limit, "memory"),
    ] {
        if limit.milli() < request.milli() {
            cx.push(Error::LimitBelowRequest {
                resource: what,
                limit: limit.to_string(),
                request: request.to_string(),
                span: limit.span,
                request_span: request.span,
            });
        }
    }
    resources
}
