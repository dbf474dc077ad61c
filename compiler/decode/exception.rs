//! `exception CKV_K8S_43 why="…"` inside an app or database.

use super::vocabulary::EXCEPTION_PROPS;
use super::{value, Cx, NodeView, Shape};
use crate::diag::Error;
use crate::model::Exception;
use crate::syntax::Node as KdlNode;

pub fn decode(node: &KdlNode, cx: &mut Cx) -> Option<Exception> {
    let v = NodeView::new(
        node,
        &Shape {
            args: 1,
            args_text: "one checkov check id",
            props: EXCEPTION_PROPS,
            block: false,
        },
        cx,
    );
    const EXAMPLE: &str = "exception CKV_K8S_43 why=\"our CI pins tags; they are never reused\"";
    let Some(id) = v.arg(0) else {
        cx.push(Error::MissingArgument {
            node: "exception".into(),
            what: "a checkov check id",
            example: EXAMPLE,
            span: v.name_span(),
        });
        return None;
    };
    let check = value::parsed(
        id,
        "exception",
        "check id",
        "\"CKV_K8S_43\"",
        Exception::parse_check,
        cx,
    );
    let why = match v.prop("why") {
        Some(w) => value::parsed(
            w,
            "why",
            "reason",
            "\"our CI never reuses a tag\"",
            Exception::parse_why,
            cx,
        ),
        None => {
            cx.push(Error::MissingProperty {
                node: "exception".into(),
                property: "why",
                example: "\"the image is built by our CI and its tags are never reused\"",
                span: v.name_span(),
            });
            None
        }
    };
    Some(Exception {
        check: check?,
        why: why?,
    })
}
