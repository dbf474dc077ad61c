//! What `uses TARGET env=PREFIX` gives an app: the target's address and, for a database, the
//! database, user and password that its image creates, read from the same declarations as the
//! database's own container, so that the two ends cannot disagree.

use super::{EnvSource, EnvVar, Site, Spanned, Use};

impl Use {
    /// The variables `env=` adds to the app: `<PREFIX>_HOST` and `_PORT`, and for a database
    /// `_NAME`, `_USER` and `_PASSWORD`; none without `env=` or when the
    /// target is not declared (the checker reports that). A database without a `secret` gives
    /// no password, nor a user when its engine creates none without one.
    pub fn connection(&self, site: &Site) -> Vec<EnvVar> {
        let Some(prefix) = &self.env else {
            return Vec::new();
        };
        let var = |suffix: &str, source: EnvSource| EnvVar {
            name: Spanned::new(format!("{}_{suffix}", prefix.value), prefix.span),
            source,
        };
        let literal = |suffix: &str, value: String| var(suffix, EnvSource::Literal(value));
        let host = |name: &str, ns: &str| format!("{name}.{ns}.svc.cluster.local");
        let target = self.target.as_str();
        if let Some(db) = site.databases.iter().find(|d| d.name.as_str() == target) {
            let port = self.port.map_or(db.engine.port(), |p| p.value);
            let mut vars = vec![
                literal("HOST", host(target, db.namespace.as_str())),
                literal("PORT", port.to_string()),
                literal("NAME", db.database.to_string()),
            ];
            if db.creates_user() {
                vars.push(literal("USER", db.user.to_string()));
            }
            if let Some(secret) = &db.secret {
                // labelled at `env=`: a problem with this read is the app's, not the database's
                vars.push(var(
                    "PASSWORD",
                    EnvSource::Secret {
                        secret: Spanned::new(secret.value.clone(), prefix.span),
                        key: Spanned::new(db.password_key.value.clone(), prefix.span),
                    },
                ));
            }
            return vars;
        }
        let Some(app) = site.apps.iter().find(|a| a.name.as_str() == target) else {
            return Vec::new();
        };
        let port = self
            .port
            .map(|p| p.value)
            .or_else(|| app.ports.first().map(|p| p.number.value));
        let mut vars = vec![literal("HOST", host(target, app.namespace.as_str()))];
        if let Some(port) = port {
            vars.push(literal("PORT", port.to_string()));
        }
        vars
    }
}

impl super::App {
    /// The app's environment: its `env` declarations, then what each `uses … env=` gives.
    pub fn environment(&self, site: &Site) -> Vec<EnvVar> {
        self.env
            .iter()
            .cloned()
            .chain(self.uses.iter().flat_map(|u| u.connection(site)))
            .collect()
    }
}
