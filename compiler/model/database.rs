use super::value::{Name, Quantity, Version};
use super::{Resources, Span, Spanned};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Mysql,
    Mariadb,
    Postgres,
}

impl Engine {
    pub const ALL: &'static [(&'static str, Engine)] = &[
        ("mariadb", Engine::Mariadb),
        ("mysql", Engine::Mysql),
        ("postgres", Engine::Postgres),
    ];

    /// The official image, its client port, its data directory and the unprivileged user the
    /// image is built to run as.
    pub fn image(self) -> &'static str {
        match self {
            Engine::Mysql => "mysql",
            Engine::Mariadb => "mariadb",
            Engine::Postgres => "postgres",
        }
    }

    pub fn port(self) -> u16 {
        match self {
            Engine::Mysql | Engine::Mariadb => 3306,
            Engine::Postgres => 5432,
        }
    }

    pub fn data_dir(self) -> &'static str {
        match self {
            Engine::Mysql | Engine::Mariadb => "/var/lib/mysql",
            Engine::Postgres => "/var/lib/postgresql/data",
        }
    }

    /// The key of the database's secret that holds the administrator's password, for engines
    /// whose image creates an administrator apart from the application user. Postgres' image
    /// makes the application user the superuser, so it has none.
    pub fn root_key(self) -> Option<&'static str> {
        match self {
            Engine::Mysql | Engine::Mariadb => Some("root-password"),
            Engine::Postgres => None,
        }
    }

    /// The variables the official image reads on its first start, with an empty data
    /// directory, to create the administrator, the application database and its user. Each
    /// password variable is read in its `_FILE` form (a path to a file holding it).
    pub fn variables(self) -> Variables {
        match self {
            Engine::Mysql => Variables {
                root_password: Some("MYSQL_ROOT_PASSWORD"),
                database: "MYSQL_DATABASE",
                user: "MYSQL_USER",
                password: "MYSQL_PASSWORD",
            },
            Engine::Mariadb => Variables {
                root_password: Some("MARIADB_ROOT_PASSWORD"),
                database: "MARIADB_DATABASE",
                user: "MARIADB_USER",
                password: "MARIADB_PASSWORD",
            },
            Engine::Postgres => Variables {
                root_password: None,
                database: "POSTGRES_DB",
                user: "POSTGRES_USER",
                password: "POSTGRES_PASSWORD",
            },
        }
    }

    /// Names the image reserves for itself: an application user or database of one of these
    /// names would be the administrator or a system schema.
    pub fn reserved(self) -> (&'static [&'static str], &'static [&'static str]) {
        match self {
            Engine::Mysql | Engine::Mariadb => (
                &["root"],
                &["information_schema", "mysql", "performance_schema", "sys"],
            ),
            Engine::Postgres => (&[], &["template0", "template1"]),
        }
    }

    pub fn user_id(self) -> i64 {
        999
    }

    pub fn as_str(self) -> &'static str {
        self.image()
    }
}

/// The environment variables of an engine's official image, by what they set.
#[derive(Debug, Clone, Copy)]
pub struct Variables {
    pub root_password: Option<&'static str>,
    pub database: &'static str,
    pub user: &'static str,
    pub password: &'static str,
}

/// A stateful database: a StatefulSet with a volume claim on a storage class.
#[derive(Debug, Clone)]
pub struct Database {
    pub name: Spanned<Name>,
    pub namespace: Spanned<Name>,
    pub engine: Spanned<Engine>,
    pub version: Spanned<Version>,
    pub storage: Storage,
    pub secret: Option<Spanned<Name>>,
    /// The key of `secret` holding the application user's password (`password-key=`).
    pub password_key: Spanned<String>,
    /// The application user the image creates (`user=`).
    pub user: Spanned<Name>,
    /// The application database the image creates, owned by `user` (`database=`).
    pub database: Spanned<Name>,
    pub resources: Resources,
    pub nodes: Vec<Spanned<Name>>,
    /// Scanner checks this database knowingly fails, with the site's reasons.
    pub exceptions: Vec<super::Exception>,
    pub span: Span,
}

impl Database {
    pub const DEFAULT_USER: &'static str = "app";
    pub const DEFAULT_PASSWORD_KEY: &'static str = "password";

    /// Whether the image creates the application user: MySQL and MariaDB only with its
    /// password, Postgres always (its user is the superuser).
    pub fn creates_user(&self) -> bool {
        self.secret.is_some() || self.engine.value == Engine::Postgres
    }

    /// Every key of the secret the image reads: the administrator's, then the user's.
    pub fn secret_keys(&self) -> Vec<&str> {
        self.engine
            .value
            .root_key()
            .into_iter()
            .chain([self.password_key.value.as_str()])
            .collect()
    }
}

#[derive(Debug, Clone)]
pub struct Storage {
    pub size: Spanned<Quantity>,
    pub class: Spanned<Name>,
}
