use super::app::{names, namespace_of};
use super::resources::{self, quantity};
use super::vocabulary::*;
use super::{first_of, value, Cx, NodeView, Shape};
use crate::diag::Error;
use crate::model::value::{Name, Quantity, Version};
use crate::model::{Database, Engine, Spanned, Storage};
use crate::syntax::Node as KdlNode;

pub fn decode(node: &KdlNode, cx: &mut Cx) -> Option<Database> {
    let view = NodeView::new(
        node,
        &Shape {
            args: 1,
            args_text: "one name",
            props: DATABASE_PROPS,
            block: true,
        },
        cx,
    );
    let Some(name_entry) = view.arg(0) else {
        cx.push(Error::MissingArgument {
            node: "database".into(),
            what: "a name",
            example: "database mysql engine=\"mysql\" version=\"8.0\" { … }",
            span: view.name_span(),
        });
        return None;
    };
    let name = value::name(name_entry, "database", cx)?;
    let namespace = namespace_of(&view, &name, cx);
    let engine = match view.prop("engine") {
        Some(e) => value::word(e, "database engine", Engine::ALL, cx),
        None => {
            cx.push(Error::MissingProperty {
                node: "database".into(),
                property: "engine",
                example: "\"mysql\"",
                span: view.name_span(),
            });
            None
        }
    };
    let version = match view.prop("version") {
        Some(e) => value::parsed(e, "version", "version", "\"8.0\"", Version::parse, cx),
        None => {
            cx.push(Error::MissingProperty {
                node: "database".into(),
                property: "version",
                example: "\"8.0\"",
                span: view.name_span(),
            });
            None
        }
    };
    // the application user and database: `app` unless written, the database named as its user
    let user = view
        .prop("user")
        .and_then(|e| value::name(e, "user", cx))
        .unwrap_or_else(|| {
            Spanned::new(
                Name::parse(Database::DEFAULT_USER).expect("valid"),
                view.name_span(),
            )
        });
    let database = view
        .prop("database")
        .and_then(|e| value::name(e, "database", cx))
        .unwrap_or_else(|| user.clone());
    let mut storage = None;
    let mut db = Database {
        name,
        namespace,
        engine: engine.unwrap_or_else(|| Spanned::new(Engine::Mysql, view.name_span())),
        version: version
            .unwrap_or_else(|| Spanned::new(Version::parse("0").expect("valid"), view.name_span())),
        storage: Storage {
            size: Spanned::new(Quantity::parse("1Gi").expect("valid"), view.name_span()),
            class: Spanned::new(Name::placeholder(), view.name_span()),
        },
        secret: None,
        password_key: Spanned::new(Database::DEFAULT_PASSWORD_KEY.into(), view.name_span()),
        user,
        database,
        resources: resources::defaults(view.name_span()),
        nodes: Vec::new(),
        exceptions: Vec::new(),
        span: view.span(),
    };
    let (mut resources_seen, mut secret_seen, mut nodes_seen) = (None, None, None);
    for child in view.children(DATABASE_CHILDREN, cx) {
        match child.name().value() {
            "storage" if first_of(&mut storage, child, cx) => {
                let v = NodeView::new(
                    child,
                    &Shape {
                        args: 0,
                        args_text: "only properties",
                        props: STORAGE_PROPS,
                        block: false,
                    },
                    cx,
                );
                match (v.prop("size"), v.prop("class")) {
                    (Some(size), Some(class)) => {
                        if let Some(size) = quantity(size, "size", cx) {
                            db.storage.size = size;
                        }
                        if let Some(class) = value::name(class, "class", cx) {
                            db.storage.class = class;
                        }
                    }
                    (size, _) => cx.push(Error::MissingProperty {
                        node: "storage".into(),
                        property: if size.is_none() { "size" } else { "class" },
                        example: if size.is_none() {
                            "\"10Gi\""
                        } else {
                            "\"longhorn\""
                        },
                        span: v.name_span(),
                    }),
                }
            }
            "secret" if first_of(&mut secret_seen, child, cx) => {
                let v = NodeView::new(
                    child,
                    &Shape {
                        args: 1,
                        args_text: "one secret name",
                        props: DATABASE_SECRET_PROPS,
                        block: false,
                    },
                    cx,
                );
                db.secret = v.arg(0).and_then(|e| value::name(e, "secret", cx));
                if let Some(key) = v
                    .prop("password-key")
                    .and_then(|e| value::string(e, "password-key", cx))
                {
                    db.password_key = key;
                } else if let Some(secret) = &db.secret {
                    // unwritten, the default key is the secret's to hold
                    db.password_key.span = secret.span;
                }
            }
            "resources" if first_of(&mut resources_seen, child, cx) => {
                db.resources = resources::decode(child, cx)
            }
            "nodes" if first_of(&mut nodes_seen, child, cx) => db.nodes = names(child, cx),
            "exception" => db.exceptions.extend(super::exception::decode(child, cx)),
            _ => {}
        }
    }
    if storage.is_none() {
        cx.push(Error::MissingNode {
            parent: format!("database `{}`", db.name.value),
            child: "storage",
            example: "storage size=\"10Gi\" class=\"longhorn\"",
            span: view.name_span(),
        });
    }
    Some(db)
}
