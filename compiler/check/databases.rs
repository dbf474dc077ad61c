//! A database and the apps that connect to it agree: the account its image creates has a name
//! the engine allows, and an app reading the database's secret reads a key the database uses.

use super::SiteView;
use crate::diag::Error;
use crate::model::value::Name;
use crate::model::{Database, Engine, EnvSource, Spanned};

/// The longest user name MySQL accepts; MariaDB allows 80 and Postgres 63, as long as a name.
const MYSQL_USER_LENGTH: usize = 32;

pub fn check(view: &SiteView, errors: &mut Vec<Error>) {
    let site = view.site;
    for db in &site.databases {
        let engine = db.engine.value;
        let (users, databases) = engine.reserved();
        let mut refuse = |what, name: &Spanned<Name>, reason: &str| {
            errors.push(Error::DatabaseAccountName {
                database: db.name.to_string(),
                what,
                name: name.to_string(),
                reason: reason.to_string(),
                span: name.span,
            })
        };
        if users.contains(&db.user.as_str()) {
            refuse("user", &db.user, "the engine's administrator has this name");
        }
        if engine == Engine::Mysql && db.user.as_str().len() > MYSQL_USER_LENGTH {
            refuse(
                "user",
                &db.user,
                "MySQL user names have at most 32 characters",
            );
        }
        if databases.contains(&db.database.as_str()) {
            refuse(
                "database",
                &db.database,
                "the engine keeps a database of this name for itself",
            );
        }
    }
    for app in &site.apps {
        for env in &app.env {
            let EnvSource::Secret { secret, key } = &env.source else {
                continue;
            };
            let reads = |d: &&Database| {
                d.namespace.value == app.namespace.value
                    && d.secret.as_ref().is_some_and(|s| s.value == secret.value)
            };
            for db in site.databases.iter().filter(reads) {
                if db.secret_keys().contains(&key.as_str()) {
                    continue;
                }
                errors.push(Error::DatabaseKeyUnused {
                    app: app.name.to_string(),
                    key: key.value.clone(),
                    secret: secret.to_string(),
                    database: db.name.to_string(),
                    user: db.user.to_string(),
                    password_key: db.password_key.value.clone(),
                    span: key.span,
                    database_span: db.secret.as_ref().map_or(db.name.span, |s| s.span),
                });
            }
        }
    }
}
