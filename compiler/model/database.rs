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

    /// The keys the engine's image reads its credentials from, named as the Secret holds them.
    pub fn required_keys(self) -> &'static [&'static str] {
        match self {
            Engine::Mysql | Engine::Mariadb => &["root-password"],
            Engine::Postgres => &["password"],
        }
    }

    pub fn user_id(self) -> i64 {
        999
    }

    pub fn as_str(self) -> &'static str {
        self.image()
    }
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
    pub resources: Resources,
    pub nodes: Vec<Spanned<Name>>,
    /// Scanner checks this database knowingly fails, with the site's reasons.
    pub exceptions: Vec<super::Exception>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct Storage {
    pub size: Spanned<Quantity>,
    pub class: Spanned<Name>,
}
