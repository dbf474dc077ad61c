//! Every node and property name of the site language, by construct. The decoders read their
//! shapes from here, and a test checks that `docs/language.md` documents each word, so the
//! reference cannot drift from what is accepted.

pub const TOP_LEVEL: &[&str] = &[
    "app", "database", "layer", "node", "policy", "registry", "secret", "site",
];
pub const REGISTRY_PROPS: &[&str] = &["secret"];

pub const SITE_CHILDREN: &[&str] = &[
    "alert",
    "ci",
    "domain",
    "foreign-namespace",
    "kubernetes",
    "network",
    "repo",
];
pub const FOREIGN_NAMESPACE_PROPS: &[&str] = &["why"];
pub const REPO_PROPS: &[&str] = &["revision", "path"];
pub const KUBERNETES_PROPS: &[&str] = &["runtime", "runtime-version"];
pub const NETWORK_PROPS: &[&str] = &["nodes", "pods", "services"];
pub const ALERT_PROPS: &[&str] = &["secret"];
pub const CI_PROPS: &[&str] = &["labc", "labc-rev", "severity"];

pub const NODE_PROPS: &[&str] = &[
    "address",
    "cpu",
    "kernel",
    "memory",
    "os",
    "role",
    "schedulable",
];
pub const NODE_CHILDREN: &[&str] = &["disk", "label", "nic", "taint"];
pub const TAINT_PROPS: &[&str] = &["effect"];
pub const DISK_PROPS: &[&str] = &["mount", "size", "longhorn"];
pub const NIC_PROPS: &[&str] = &["power-saving", "aspm"];

pub const LAYER_CHILDREN: &[&str] = &["gateway"];
pub const GATEWAY_CHILDREN: &[&str] = &["host"];
pub const GATEWAY_PROPS: &[&str] = &["tls"];

pub const APP_PROPS: &[&str] = &["image", "instrument", "namespace", "replicas", "user"];
pub const APP_CHILDREN: &[&str] = &[
    "canary",
    "egress",
    "env",
    "exception",
    "metrics",
    "nodes",
    "port",
    "probe",
    "resources",
    "route",
    "secret",
    "uses",
];
pub const METRICS_PROPS: &[&str] = &["port", "path", "interval"];
pub const PORT_PROPS: &[&str] = &["name", "protocol"];
pub const ENV_PROPS: &[&str] = &["secret", "key"];
pub const PROBE_PROPS: &[&str] = &["http", "tcp", "port", "period", "delay"];
pub const ROUTE_PROPS: &[&str] = &["gateway", "host", "path", "port"];
pub const ROUTE_CHILDREN: &[&str] = &["cors", "methods"];
pub const USES_PROPS: &[&str] = &["env", "port"];
pub const EXCEPTION_PROPS: &[&str] = &["why"];
pub const EGRESS_PROPS: &[&str] = &["port", "why"];
pub const SECRET_MOUNT_PROPS: &[&str] = &["path"];
pub const RESOURCES_PROPS: &[&str] = &["cpu", "memory", "cpu-limit", "memory-limit"];
pub const CANARY_PROPS: &[&str] = &["traffic"];
pub const CANARY_CHILDREN: &[&str] = &["analysis", "step"];
pub const STEP_PROPS: &[&str] = &["pause"];
pub const ANALYSIS_PROPS: &[&str] = &["success-rate", "latency-p99", "interval", "failure-limit"];

pub const DATABASE_PROPS: &[&str] = &["database", "engine", "namespace", "user", "version"];
pub const DATABASE_SECRET_PROPS: &[&str] = &["password-key"];
pub const DATABASE_CHILDREN: &[&str] = &["exception", "nodes", "resources", "secret", "storage"];
pub const STORAGE_PROPS: &[&str] = &["size", "class"];

pub const SECRET_PROPS: &[&str] = &["namespace", "scope"];
pub const SECRET_CHILDREN: &[&str] = &["keys"];

pub const POLICY_PROPS: &[&str] = &["action", "from", "port", "to"];
pub const POLICY_CHILDREN: &[&str] = &["methods", "paths"];

/// (construct, words) for the documentation test.
pub const VOCABULARY: &[(&str, &[&str])] = &[
    ("top level", TOP_LEVEL),
    ("site", SITE_CHILDREN),
    ("repo", REPO_PROPS),
    ("kubernetes", KUBERNETES_PROPS),
    ("network", NETWORK_PROPS),
    ("alert", ALERT_PROPS),
    ("ci", CI_PROPS),
    ("foreign-namespace", FOREIGN_NAMESPACE_PROPS),
    ("node", NODE_PROPS),
    ("node", NODE_CHILDREN),
    ("taint", TAINT_PROPS),
    ("disk", DISK_PROPS),
    ("nic", NIC_PROPS),
    ("layer", LAYER_CHILDREN),
    ("gateway", GATEWAY_CHILDREN),
    ("gateway", GATEWAY_PROPS),
    ("app", APP_PROPS),
    ("app", APP_CHILDREN),
    ("metrics", METRICS_PROPS),
    ("port", PORT_PROPS),
    ("env", ENV_PROPS),
    ("probe", PROBE_PROPS),
    ("route", ROUTE_PROPS),
    ("route", ROUTE_CHILDREN),
    ("uses", USES_PROPS),
    ("egress", EGRESS_PROPS),
    ("exception", EXCEPTION_PROPS),
    ("secret (in an app)", SECRET_MOUNT_PROPS),
    ("resources", RESOURCES_PROPS),
    ("canary", CANARY_PROPS),
    ("canary", CANARY_CHILDREN),
    ("step", STEP_PROPS),
    ("analysis", ANALYSIS_PROPS),
    ("database", DATABASE_PROPS),
    ("database", DATABASE_CHILDREN),
    ("storage", STORAGE_PROPS),
    ("secret (in a database)", DATABASE_SECRET_PROPS),
    ("secret", SECRET_PROPS),
    ("registry", REGISTRY_PROPS),
    ("secret", SECRET_CHILDREN),
    ("policy", POLICY_PROPS),
    ("policy", POLICY_CHILDREN),
];
