//! An app's `env`: a plain value, or a key of a declared secret.

use super::vocabulary::*;
use super::{value, Cx, NodeView, Shape};
use crate::diag::Error;
use crate::model::{EnvSource, EnvVar};
use crate::syntax::Node as KdlNode;

/// An environment variable's name (or a prefix of names, in `uses … env=`).
pub fn name(s: &str) -> Result<String, String> {
    let ok = !s.is_empty()
        && !s.starts_with(|c: char| c.is_ascii_digit())
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '.' | '-'));
    if ok {
        Ok(s.to_string())
    } else {
        Err("letters, digits, `_`, `.` and `-`, not starting with a digit".to_string())
    }
}

pub fn decode_env(node: &KdlNode, cx: &mut Cx) -> Option<EnvVar> {
    let v = NodeView::new(
        node,
        &Shape {
            args: 2,
            args_text: "a name and a value",
            props: ENV_PROPS,
            block: false,
        },
        cx,
    );
    let Some(e) = v.arg(0) else {
        cx.push(Error::MissingArgument {
            node: "env".into(),
            what: "a variable name",
            example: "env LOG_LEVEL \"info\"",
            span: v.name_span(),
        });
        return None;
    };
    let name = value::parsed(e, "env", "variable name", "LOG_LEVEL", name, cx)?;
    let source = match (v.arg(1), v.prop("secret"), v.prop("key")) {
        (Some(literal), None, None) => EnvSource::Literal(value::string(literal, "env", cx)?.value),
        (None, Some(secret), Some(key)) => EnvSource::Secret {
            secret: value::name(secret, "secret", cx)?,
            key: value::string(key, "key", cx)?,
        },
        (None, Some(_), None) => {
            cx.push(Error::MissingProperty {
                node: "env".into(),
                property: "key",
                example: "\"password\"",
                span: v.name_span(),
            });
            return None;
        }
        (Some(literal), Some(_), _) | (Some(literal), _, Some(_)) => {
            cx.push(Error::UnexpectedArgument {
                node: "env".into(),
                expected: "either a value or `secret=` and `key=`, not both",
                span: literal.span(),
            });
            return None;
        }
        _ => {
            cx.push(Error::MissingArgument {
                node: "env".into(),
                what: "a value or `secret=` and `key=`",
                example: "env DB_PASSWORD secret=\"mysql-credentials\" key=\"password\"",
                span: v.name_span(),
            });
            return None;
        }
    };
    Some(EnvVar { name, source })
}
