use super::vocabulary::*;
use super::{value, Cx, NodeView, Shape};
use crate::diag::Error;
use crate::model::{Secret, SecretScope};
use crate::syntax::Node as KdlNode;

pub fn decode(node: &KdlNode, cx: &mut Cx) -> Option<Secret> {
    let view = NodeView::new(
        node,
        &Shape {
            args: 1,
            args_text: "one name",
            props: SECRET_PROPS,
            block: true,
        },
        cx,
    );
    let Some(e) = view.arg(0) else {
        cx.push(Error::MissingArgument {
            node: "secret".into(),
            what: "a name",
            example: "secret mysql-credentials namespace=\"blog\" { keys \"password\" }",
            span: view.name_span(),
        });
        return None;
    };
    let name = value::name(e, "secret", cx)?;
    // required: a Secret is read only from its own namespace, so guessing one would be wrong
    let namespace = match view.prop("namespace") {
        Some(e) => value::name(e, "namespace", cx)?,
        None => {
            cx.push(Error::MissingProperty {
                node: "secret".into(),
                property: "namespace",
                example: "\"blog\"",
                span: view.name_span(),
            });
            return None;
        }
    };
    let scope = view
        .prop("scope")
        .and_then(|e| value::word(e, "secret scope", SecretScope::ALL, cx))
        .map_or(SecretScope::Strict, |s| s.value);
    let mut keys = Vec::new();
    for child in view.children(SECRET_CHILDREN, cx) {
        let v = NodeView::new(
            child,
            &Shape {
                args: usize::MAX,
                args_text: "key names",
                props: &[],
                block: false,
            },
            cx,
        );
        for e in v.args() {
            let Some(key) = value::string(e, "keys", cx) else {
                continue;
            };
            // reported, and kept: what reads the key is then not also told it is undeclared
            if let Some(reason) = crate::model::secret_key_problem(&key.value) {
                cx.push(Error::SecretKeyInvalid {
                    key: key.value.clone(),
                    reason,
                    span: key.span,
                });
            }
            keys.push(key);
        }
    }
    if keys.is_empty() {
        cx.push(Error::MissingNode {
            parent: format!("secret `{}`", name.value),
            child: "keys",
            example: "keys \"password\"",
            span: view.name_span(),
        });
    }
    Some(Secret {
        name,
        namespace,
        scope,
        keys,
        secret_type: crate::model::secret::OPAQUE,
        span: view.span(),
    })
}
