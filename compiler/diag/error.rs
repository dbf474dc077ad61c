//! The one diagnostic enum of labc. Each variant has a doc comment saying when it is reported,
//! a stable code, a label on the span the user wrote and help. The wording of every message
//! lives here.

use super::Suggestion;
use miette::{Diagnostic, LabeledSpan, SourceSpan};
use thiserror::Error;

#[derive(Debug, Clone, Error, Diagnostic, PartialEq)]
pub enum Error {
    /// A site `alert` names a channel labc cannot deliver to from what the declaration holds.
    ///
    /// `discord` and `slack` take one webhook URL, which Alertmanager (the `prometheus`
    /// component) reads from the alert's secret; Argo Rollouts' notifications and Falco's events
    /// reach them through Alertmanager. E-mail needs more than a secret: a mail server, a
    /// sender and recipients, which the `alert` declaration has no place for, so an `alert
    /// email` would be accepted and deliver nothing. Use a chat channel, or forward Falco's
    /// events to a mail server with the falcosidekick output `smtp`.
    #[error("alerts cannot go to `{channel}`: labc delivers site alerts to discord or slack")]
    #[diagnostic(
        code(labc::alert::unsupported_channel),
        help("write `alert slack secret=\"…\"` or `alert discord secret=\"…\"` with the webhook URL in the secret")
    )]
    AlertChannelUnsupported {
        channel: String,
        #[label("no delivery for this channel")]
        span: SourceSpan,
    },

    /// An app or database has the name of another Argo CD Application of the site: a platform
    /// release's (`loki`, `falco-talon`, `argocd`…) or one labc names after the site
    /// (`<site>-namespaces`, `<site>-mesh`, `<site>-root`).
    ///
    /// Every Application lives in Argo CD's namespace under its name and is written to
    /// `out/argocd/application-<name>.yaml`, so one of the two would silently replace the
    /// other and its objects would never sync. Rename the app or database.
    #[error("{kind} `{name}` has the name of the Argo CD Application of {owner}")]
    #[diagnostic(
        code(labc::name::application_taken),
        help("Argo CD Applications share one namespace and `out/argocd/`; rename the {kind}")
    )]
    ApplicationNameTaken {
        kind: &'static str,
        name: String,
        owner: String,
        #[label("also the Application of {owner}")]
        span: SourceSpan,
    },

    /// A canary's steps pause for less time in all than its analysis needs to measure it: its
    /// `initialDelay` (two scrapes of the app's pods, which `rate` needs, and one `interval`)
    /// and one more `interval` to take the measurement.
    ///
    /// Argo Rollouts runs the analysis in the background while the steps go on; a rollout that
    /// reaches 100% before the first measurement ends the analysis as successful, so the canary
    /// would be promoted without ever being measured.
    #[error("the canary pauses {pauses}s in all, but its analysis needs {needed}s to measure it")]
    #[diagnostic(
        code(labc::canary::analysis_too_short),
        help("give the steps pauses of at least {needed}s in all (e.g. `step 20 pause=\"{needed}s\"`), or a shorter analysis `interval`, so that the canary is measured before it is promoted")
    )]
    CanaryAnalysisTooShort {
        pauses: u64,
        needed: u64,
        #[label("needs {needed}s")]
        span: SourceSpan,
        #[label("the steps")]
        steps_span: SourceSpan,
    },

    /// A canary weight is outside 1..=100.
    #[error("canary weight {weight} is outside 1..=100")]
    #[diagnostic(
        code(labc::canary::weight_range),
        help("a step sets the share of traffic the new version gets, from 1 to 100 percent")
    )]
    CanaryWeightRange {
        weight: i128,
        #[label("this weight")]
        span: SourceSpan,
    },

    /// Canary weights must rise strictly from one step to the next.
    #[error("canary weights must rise: {weight} comes after {previous}")]
    #[diagnostic(
        code(labc::canary::weights_not_rising),
        help("each step sends more traffic to the new version than the last; order the steps by weight")
    )]
    CanaryWeightsNotRising {
        weight: u32,
        previous: u32,
        #[label("this step")]
        span: SourceSpan,
        #[label("after this one")]
        previous_span: SourceSpan,
    },

    /// Two CIDRs of the site overlap.
    #[error("the {what} network {cidr} overlaps the {other_what} network {other}")]
    #[diagnostic(
        code(labc::network::cidr_overlap),
        help("pods, services and nodes each need their own address range; pick ranges that do not overlap")
    )]
    CidrOverlap {
        what: &'static str,
        cidr: String,
        other_what: &'static str,
        other: String,
        #[label("this range")]
        span: SourceSpan,
        #[label("overlaps this one")]
        other_span: SourceSpan,
    },

    /// The site uses a component whose file says it needs work by hand before it runs. The
    /// build goes on: the warning is there so that nobody finds out from a failed sync. Do what
    /// the caveat names and point the component at the result with a `components/<name>.kdl`
    /// of the site's own (which replaces the stdlib file, caveat included).
    ///
    /// No example site: no stdlib component has a caveat today (Wazuh's, the last, is gone:
    /// labc writes its objects), and a one-file fixture cannot bring its own component.
    #[error("`{component}` needs work by hand before it runs: {caveat}")]
    #[diagnostic(
        code(labc::component::caveat),
        severity(Warning),
        help("do what the caveat says, then point `{component}` at the result with a `components/{component}.kdl` of the site's own, which replaces the stdlib file and this warning; see docs/components.md")
    )]
    ComponentCaveat {
        component: String,
        caveat: String,
        #[label("used here")]
        span: SourceSpan,
    },

    /// A stdlib component needs another component the site does not have.
    #[error("`{component}` needs `{needs}`, which the site does not have")]
    #[diagnostic(
        code(labc::component::missing_dependency),
        help("add `{needs}` to `layer {layer}`")
    )]
    ComponentDependencyMissing {
        component: String,
        needs: String,
        layer: String,
        #[label("declared here")]
        span: SourceSpan,
    },

    /// The containerd version is not a 2.x release labc knows.
    #[error("containerd {version} is not a release labc can install")]
    #[diagnostic(
        code(labc::version::containerd_release),
        help("node scripts install containerd 2.x from its release tarballs and write its version 3 configuration; labc knows {known}")
    )]
    ContainerdReleaseUnknown {
        version: String,
        known: String,
        #[label("this version")]
        span: SourceSpan,
    },

    /// The CORS preflight `OPTIONS` is missing from a route that enables CORS.
    #[error("route enables CORS but does not allow OPTIONS")]
    #[diagnostic(
        code(labc::route::cors_without_options),
        help("browsers send an OPTIONS preflight before cross-origin requests; without it the L7 policy answers 403. Add OPTIONS to `methods`")
    )]
    CorsWithoutOptions {
        #[label("these methods")]
        methods_span: SourceSpan,
        #[label("CORS is enabled here")]
        span: SourceSpan,
    },

    /// A CRD file in the site's `crds/` folder cannot be used: it is not YAML, not a
    /// CustomResourceDefinition, or its schema is not one labc can read.
    ///
    /// No example site: the mistake is in a file of the site's `crds/` folder, which a one-file
    /// fixture cannot hold; `tests/schema.rs` snapshots a broken one.
    #[error("{file} is not a usable CRD: {reason}")]
    #[diagnostic(
        code(labc::crd::invalid),
        help("a site's crds/ folder holds the CustomResourceDefinitions of the component versions it pins itself, one or more YAML documents per file, as the component's project publishes them")
    )]
    CrdInvalid {
        file: String,
        reason: String,
        #[label("here")]
        span: SourceSpan,
    },

    /// A custom resource labc is about to write does not match the schema of its CRD (the
    /// embedded one of the pinned component version, or the site's own from `crds/`): a wrong
    /// type, an unknown or missing field, a value outside an enum or a range. The API server
    /// would refuse the object under strict field validation, and Argo CD would fail the sync.
    ///
    /// The label is on the declaration the object was written for (the app, database,
    /// component or gateway), or on the site's name for objects of the whole site.
    ///
    /// No example site: with the embedded CRDs only an emitter bug produces it (every fixture
    /// site validates clean); a site's own CRD needs a `crds/` folder, which a one-file fixture
    /// cannot hold. `tests/schema.rs` snapshots one.
    #[error("{object} in out/{path} does not match its CRD at `{field}`: {problem}")]
    #[diagnostic(
        code(labc::emit::schema),
        help("nothing was written; the schema is {crd}. If the site overrides this component's version, put that version's CRD in crds/ next to site.kdl; otherwise labc wrote a field its pinned version does not accept: report it")
    )]
    CustomResourceSchema {
        object: String,
        path: String,
        field: String,
        problem: String,
        crd: String,
        #[label("written for this")]
        span: SourceSpan,
    },

    /// A database's application user or database has a name its engine keeps for itself (the
    /// administrator `root`, a system schema such as `mysql`) or one longer than the engine
    /// allows. The official image creates them on its first start; with such a name it would
    /// fail, or hand the application the administrator's account or a system schema.
    #[error("database `{database}` cannot create {what} `{name}`: {reason}")]
    #[diagnostic(
        code(labc::database::account_name),
        help("give the {what} another name with `{what}=\"…\"` on the database")
    )]
    DatabaseAccountName {
        database: String,
        what: &'static str,
        name: String,
        reason: String,
        #[label("this {what}")]
        span: SourceSpan,
    },

    /// An app reads a key of a database's secret that the database does not use. The database's
    /// image sets its accounts' passwords from its own keys only (`root-password` for the
    /// administrator of MySQL and MariaDB, and `password-key`, `password` by default, for the
    /// application user), so whatever this key holds opens no account of the database.
    #[error("app `{app}` reads key `{key}` of secret `{secret}`, which database `{database}` does not use")]
    #[diagnostic(
        code(labc::database::unused_key),
        help("database `{database}` sets the password of its user `{user}` from key `{password_key}`; read that key, or write `uses {database} env=\"DB\"` to be given the host, port, database, user and password")
    )]
    DatabaseKeyUnused {
        app: String,
        key: String,
        secret: String,
        database: String,
        user: String,
        password_key: String,
        #[label("a key the database does not use")]
        span: SourceSpan,
        #[label("the database reads this secret")]
        database_span: SourceSpan,
    },

    /// The dependency graph has a cycle, so no order exists in which to install its members.
    #[error("dependency cycle: {path}")]
    #[diagnostic(
        code(labc::graph::cycle),
        help("remove one of these dependencies; a flow that goes back can be declared as a `policy` instead of `uses`")
    )]
    DependencyCycle {
        path: String,
        #[label(collection)]
        members: Vec<LabeledSpan>,
    },

    /// An app's or database's name, with the longest suffix labc adds to it for a name
    /// Kubernetes holds to 63 characters, is longer than that.
    ///
    /// An app with a canary gets two Services, `<name>-stable` and `<name>-canary`, and a
    /// Service name is a DNS-1035 label of at most 63 characters; a database is a StatefulSet,
    /// whose controller labels every pod `controller-revision-hash: <name>-<hash of up to 10
    /// characters>`, and a label value has at most 63 characters. labc holds every app to the
    /// canary's suffix, so that adding a canary later does not force a rename.
    ///
    /// Mirrors k8s.io/apimachinery's `IsDNS1035Label` (Service names) and
    /// `IsValidLabelValue` (the StatefulSet's revision label), both 63 characters at most.
    #[error("{kind} name `{name}` is {len} characters; `{derived}` would be {derived_len}, over Kubernetes' 63")]
    #[diagnostic(
        code(labc::name::derived_too_long),
        help("shorten the {kind}'s name to at most {max} characters")
    )]
    DerivedNameTooLong {
        kind: &'static str,
        name: String,
        len: usize,
        derived: String,
        derived_len: usize,
        max: usize,
        #[label("at most {max} characters")]
        span: SourceSpan,
    },

    /// A property or a node that may appear once appears twice.
    #[error("`{name}` is given twice")]
    #[diagnostic(
        code(labc::decode::duplicate_entry),
        help("keep one of them; KDL would silently take the last")
    )]
    DuplicateEntry {
        name: String,
        #[label("given again here")]
        span: SourceSpan,
        #[label("first given here")]
        first: SourceSpan,
    },

    /// Two declarations of the same kind share a name.
    #[error("{kind} `{name}` is declared twice")]
    #[diagnostic(
        code(labc::name::duplicate),
        help("each {kind} is declared once {scope}; rename or remove one of them")
    )]
    DuplicateName {
        kind: &'static str,
        scope: &'static str,
        name: String,
        #[label("declared again here")]
        span: SourceSpan,
        #[label("first declared here")]
        first: SourceSpan,
    },

    /// A duration is longer than Go's `time.Duration` holds (2^63-1 nanoseconds, about 292
    /// years), so Argo Rollouts, Prometheus and the kubelet could not parse what labc writes.
    ///
    /// Mirrors Go's `time.ParseDuration`, which refuses such a value with "invalid duration".
    #[error("duration `{text}` is longer than Go's durations reach (about 292 years)")]
    #[diagnostic(
        code(labc::value::duration_range),
        help("write a duration under 2562047h (about 292 years); the tools that read it are written in Go and refuse longer ones")
    )]
    DurationOutOfRange {
        text: String,
        #[label("beyond Go's time.Duration")]
        span: SourceSpan,
    },

    /// The file has no content.
    #[error("the site file is empty")]
    #[diagnostic(
        code(labc::syntax::empty_file),
        help("start with `site NAME {{ … }}`; `labc init` writes a starter site")
    )]
    EmptyFile {
        #[label("nothing here")]
        span: SourceSpan,
    },

    /// A component's values template reads an endpoint (`{{endpoint "loki" "push"}}`) of a
    /// component the site does not use, so the address it would write points at no Service.
    ///
    /// No example site: the stdlib's own templates read an endpoint only where the site has its
    /// provider (`{{#if has.loki}}`, or a setting that requires it); the bad-input tests give a
    /// site a component of its own that reads one unguarded.
    #[error(
        "`{component}` reads endpoint `{endpoint}` of `{provider}`, which the site does not use"
    )]
    #[diagnostic(
        code(labc::component::endpoint_provider_missing),
        help("add `{provider}` to `layer {layer}`, or read the endpoint only `{{{{#if has.{provider}}}}}` in the template of `{component}`")
    )]
    EndpointProviderMissing {
        component: String,
        provider: String,
        endpoint: String,
        layer: String,
        #[label("reads an endpoint of `{provider}`")]
        span: SourceSpan,
    },

    /// The file holds a code point KDL forbids anywhere, comments included: a direction
    /// control (U+200E, U+200F, U+202A to U+202E, U+2066 to U+2069), a control character, or a
    /// byte order mark after the start.
    ///
    /// Direction controls reorder how text is shown, so a line can read differently from what
    /// it means ("Trojan Source"): a comment can seem to end before code that it still hides.
    /// Delete the character; inside a quoted string, write it as an escape like `\u{202E}` if
    /// the text really needs it.
    #[error("the file holds {what} ({code_point}), which KDL forbids anywhere in a file")]
    #[diagnostic(
        code(labc::syntax::forbidden_character),
        help("delete it (it may be invisible: your editor can show it with a \"show invisibles\" setting); in a quoted string that needs it, write the escape `\\u{{…}}` instead")
    )]
    ForbiddenCharacter {
        code_point: String,
        what: &'static str,
        #[label("{code_point}")]
        span: SourceSpan,
    },

    /// An app is given an external `https://` URL in a plain `env` value but may not send
    /// HTTPS out of the cluster: no `egress` opens port 443.
    #[error("{app} is given {url} but declares no egress on port 443")]
    #[diagnostic(
        code(labc::egress::https_undeclared),
        help("the app will fetch this URL and its network policy will drop the connection; add `egress world port=443 why=\"…\"` (or the host instead of `world`)")
    )]
    HttpsEgressUndeclared {
        app: String,
        url: String,
        #[label("this variable holds an external HTTPS URL")]
        span: SourceSpan,
    },

    /// An app asks to be auto-instrumented in a language the site's `otel` component does not
    /// list in its `instrument` setting.
    ///
    /// The `instrument` setting says which languages the site means to auto-instrument; an app's
    /// `instrument=` must be one of them, so that a language is turned on in one visible place
    /// and not by any app on its own.
    #[error("`{language}` is not in the `instrument` setting of `otel`")]
    #[diagnostic(
        code(labc::require::instrument_language),
        help("add `{language}` to `otel {{ instrument … }}`; the site instruments {listed}")
    )]
    InstrumentLanguageNotListed {
        language: String,
        listed: String,
        #[label("this language")]
        span: SourceSpan,
    },

    /// A setting of a stdlib component is set to a value of the wrong type.
    #[error("setting `{setting}` of `{component}` expects {expected}: {reason}")]
    #[diagnostic(
        code(labc::component::setting_type),
        help("see the settings of `{component}` in docs/language.md")
    )]
    InvalidSetting {
        component: String,
        setting: String,
        expected: String,
        reason: String,
        #[label("this value")]
        span: SourceSpan,
    },

    /// A value does not have the form its property requires.
    #[error("invalid {kind}: {reason}")]
    #[diagnostic(code(labc::value::invalid), help("{kind} values look like {example}"))]
    InvalidValue {
        kind: &'static str,
        example: &'static str,
        reason: String,
        #[label("this {kind}")]
        span: SourceSpan,
    },

    /// The KDL text does not parse.
    #[error("{message}")]
    #[diagnostic(code(labc::syntax::kdl), help("{help}"))]
    Kdl {
        message: String,
        help: String,
        #[label("{label}")]
        span: SourceSpan,
        label: String,
    },

    /// The file uses KDL v1 syntax that KDL v2 changed: bare `true`, `false` and `null` (now
    /// `#true`, `#false`, `#null`; bare, they would be strings and are refused), or raw strings
    /// written `r"…"` / `r#"…"#` (now `#"…"#`).
    #[error("`{found}` is KDL v1 syntax; labc reads KDL v2")]
    #[diagnostic(code(labc::syntax::kdl_v1), help("write `{write}`"))]
    KdlV1 {
        found: String,
        write: String,
        #[label("KDL v1")]
        span: SourceSpan,
    },

    /// A node's kernel is older than a component that runs on every node supports.
    #[error("`{component}` needs Linux {min} or newer, but node `{node}` runs {kernel}")]
    #[diagnostic(
        code(labc::node::kernel_too_old),
        help("upgrade the kernel of `{node}` (or its OS release), or choose a component or setting that supports {kernel}")
    )]
    KernelTooOld {
        component: String,
        min: String,
        node: String,
        kernel: String,
        #[label("this kernel")]
        span: SourceSpan,
        #[label("needs Linux {min}")]
        component_span: SourceSpan,
    },

    /// A node label is in the `kubernetes.io` or `k8s.io` namespace, which the kubelet refuses
    /// to set through `--node-labels` unless it is one of the labels it owns.
    ///
    /// The kubelet refuses to start when `--node-labels` holds such a label, so the node never
    /// joins. Allowed are
    /// `kubernetes.io/hostname`, `kubernetes.io/arch`, `kubernetes.io/os`,
    /// `node.kubernetes.io/instance-type`, `topology.kubernetes.io/region` and `…/zone`, their
    /// `beta.kubernetes.io/` and `failure-domain.beta.kubernetes.io/` forms, and any key under
    /// `kubelet.kubernetes.io/` or `node.kubernetes.io/`. `node-role.kubernetes.io/…` is not
    /// among them: give roles with `role=`, or a label of the site's own prefix.
    ///
    /// Mirrors the kubelet's check of `--node-labels` (`IsKubeletLabel` in
    /// `k8s.io/kubelet/pkg/apis`).
    #[error("the kubelet refuses to set label `{key}`: `{prefix}` is Kubernetes' own")]
    #[diagnostic(
        code(labc::node::kubelet_label),
        help("use a prefix of your own (e.g. `example.dev/{name}`), or a key under `node.kubernetes.io/`")
    )]
    KubeletLabelRefused {
        key: String,
        prefix: String,
        name: String,
        #[label("refused by the kubelet")]
        span: SourceSpan,
    },

    /// The Kubernetes version is not a patch release of a pkgs.k8s.io series labc knows.
    #[error("Kubernetes {version} is not a release labc can install")]
    #[diagnostic(
        code(labc::version::kubernetes_release),
        help("node scripts pin kubelet, kubeadm and kubectl from pkgs.k8s.io, which serves one repository per minor series; give a full patch release: labc knows {known}")
    )]
    KubernetesReleaseUnknown {
        version: String,
        known: String,
        #[label("this version")]
        span: SourceSpan,
    },

    /// A component's pinned version does not support the site's Kubernetes version.
    #[error("`{component}` (pinned at {version}) supports Kubernetes {range}, not {kubernetes}")]
    #[diagnostic(
        code(labc::component::kubernetes_version),
        help("pin a version of `{component}` that supports Kubernetes {kubernetes}, or change the site's Kubernetes version")
    )]
    KubernetesUnsupported {
        component: String,
        version: String,
        range: String,
        kubernetes: String,
        #[label("used here")]
        span: SourceSpan,
    },

    /// An image is pinned to the moving `latest` tag.
    #[error("image `{image}` uses the `latest` tag")]
    #[diagnostic(
        code(labc::image::latest),
        severity(Warning),
        help("`latest` changes under you and Argo CD cannot see the change; pin a version tag or a digest")
    )]
    LatestTag {
        image: String,
        #[label("this image")]
        span: SourceSpan,
    },

    /// A resource limit is lower than its request.
    #[error("{resource} limit {limit} is below the request {request}")]
    #[diagnostic(code(labc::resources::limit_below_request), help("a container may use up to its limit and is scheduled by its request; the limit must be at least the request"))]
    LimitBelowRequest {
        resource: &'static str,
        limit: String,
        request: String,
        #[label("this limit")]
        span: SourceSpan,
        #[label("this request")]
        request_span: SourceSpan,
    },

    /// Longhorn is asked for more replicas than there are schedulable nodes with storage.
    #[error("longhorn keeps {replicas} replicas but only {nodes} schedulable node(s) have a longhorn disk")]
    #[diagnostic(
        code(labc::capacity::longhorn_replicas),
        help("a replica can only live on a schedulable node with a disk given to longhorn (`disk … longhorn=#true`); lower `replicas` or add storage nodes")
    )]
    LonghornReplicas {
        replicas: i64,
        nodes: usize,
        #[label("asked for here")]
        span: SourceSpan,
    },

    /// A required positional argument is missing.
    #[error("`{node}` needs {what}")]
    #[diagnostic(code(labc::decode::missing_argument), help("write it as `{example}`"))]
    MissingArgument {
        node: String,
        what: &'static str,
        example: &'static str,
        #[label("here")]
        span: SourceSpan,
    },

    /// A required child node is missing.
    #[error("{parent} needs a `{child}`")]
    #[diagnostic(code(labc::decode::missing_node), help("add `{example}`"))]
    MissingNode {
        parent: String,
        child: &'static str,
        example: &'static str,
        #[label("in this block")]
        span: SourceSpan,
    },

    /// A required property is missing.
    #[error("`{node}` needs `{property}=`")]
    #[diagnostic(
        code(labc::decode::missing_property),
        help("add `{property}={example}`")
    )]
    MissingProperty {
        node: String,
        property: &'static str,
        example: &'static str,
        #[label("on this node")]
        span: SourceSpan,
    },

    /// A layer every site needs is missing.
    #[error("the site has no `{layer}` layer")]
    #[diagnostic(
        code(labc::layer::missing_required),
        help("{why}; add `layer {layer} {{ {example} }}`")
    )]
    MissingRequiredLayer {
        layer: &'static str,
        why: &'static str,
        example: &'static str,
        #[label("in this site")]
        span: SourceSpan,
    },

    /// Two disks of one node are mounted at the same path.
    #[error("two disks of `{node}` are mounted at {mount}")]
    #[diagnostic(
        code(labc::node::mount_clash),
        help("give each disk its own `mount=`; a longhorn disk without one is mounted at /var/lib/longhorn")
    )]
    MountClash {
        node: String,
        mount: String,
        #[label("this disk")]
        span: SourceSpan,
        #[label("mounted at the same path as this one")]
        first: SourceSpan,
    },

    /// A disk is mounted over a system path (`/`, `/etc`, `/usr`, `/var`…) or over a folder
    /// that holds one: the node script would format the disk and hide the operating system's
    /// files under it.
    ///
    /// A data disk goes to a folder of its own below one of them, such as `/var/lib/longhorn`
    /// or `/srv/data`. Mirrors the Filesystem Hierarchy Standard's top-level folders, with the
    /// folders where the kubelet, containerd and etcd keep their state.
    #[error("disk mounted at `{mount}` would hide {what}")]
    #[diagnostic(
        code(labc::node::mount_system_path),
        help("mount the disk at a folder of its own, such as `/var/lib/longhorn` or `/srv/data`")
    )]
    MountOverSystemPath {
        mount: String,
        what: String,
        #[label("a system path")]
        span: SourceSpan,
    },

    /// An app's or database's name, which becomes a Service's name, starts with a digit: a
    /// Service name is a DNS-1035 label, which starts with a letter.
    ///
    /// The API server refuses the Service with "a DNS-1035 label must consist of lower case
    /// alphanumeric characters or '-', start with an alphabetic character". Mirrors
    /// k8s.io/apimachinery's `IsDNS1035Label`.
    #[error("{kind} name `{name}` starts with a digit, which a Service name cannot")]
    #[diagnostic(
        code(labc::name::dns1035),
        help("start the name with a letter, e.g. `{suggestion}`")
    )]
    NameNotDns1035 {
        kind: &'static str,
        name: String,
        suggestion: String,
        #[label("becomes a Service name")]
        span: SourceSpan,
    },

    /// Nesting is deeper than labc reads.
    #[error("the file nests blocks {depth} deep; labc reads at most {limit}")]
    #[diagnostic(
        code(labc::syntax::too_deep),
        help("a site needs at most 4 levels of nesting; check for unbalanced braces")
    )]
    NestingTooDeep {
        depth: usize,
        limit: usize,
        #[label("too deep from here")]
        span: SourceSpan,
    },

    /// The site has no control-plane node.
    #[error("the site has no control-plane node")]
    #[diagnostic(
        code(labc::node::no_control_plane),
        help("kubeadm needs one node with `role=control-plane` to initialise the cluster")
    )]
    NoControlPlane {
        #[label("no node, starting with this one, has role=control-plane")]
        span: SourceSpan,
    },

    /// Something claims storage without naming a StorageClass (Prometheus', Loki's and
    /// Tempo's volumes, a database with `storage` and no `class`) while no StorageClass of the
    /// site is the default: the claim would stay Pending for ever.
    #[error("{claim} names no StorageClass and the site has no default one")]
    #[diagnostic(
        code(labc::storage::no_default_class),
        help("make one storage class the default (`longhorn default=#true` or `local-path default=#true` in `layer storage`){class_help}")
    )]
    NoDefaultStorageClass {
        claim: String,
        class_help: String,
        #[label("claims storage with no class")]
        span: SourceSpan,
        #[label("no class here is the default")]
        storage: Option<SourceSpan>,
    },

    /// A node's address is the network or the broadcast address of the site's node network,
    /// which no host can have.
    ///
    /// Mirrors IPv4 addressing (RFC 919, RFC 922): in a network of /30 or wider, the first
    /// address names the network and the last is broadcast. /31 (RFC 3021) and /32 have
    /// neither.
    #[error("{address} is the {which} address of {network}")]
    #[diagnostic(
        code(labc::network::address_reserved),
        help("give the node a host address of {network}, between {first} and {last}")
    )]
    NodeAddressReserved {
        address: String,
        which: &'static str,
        network: String,
        first: String,
        last: String,
        #[label("no host has this address")]
        span: SourceSpan,
    },

    /// The resource requests do not fit on the nodes when any one node is down.
    #[error("{resource} requests of {requested} do not fit with one node down: {available} left after losing `{node}`")]
    #[diagnostic(
        code(labc::capacity::node_failure),
        help("the site should survive one node failure; lower requests or replicas, or add capacity to the schedulable nodes")
    )]
    NodeFailureCapacity {
        resource: &'static str,
        requested: String,
        available: String,
        node: String,
        #[label("the largest node")]
        span: SourceSpan,
    },

    /// A node's address is outside the site's node network.
    #[error("address {address} is outside the node network {network}")]
    #[diagnostic(
        code(labc::network::address_outside),
        help("use an address inside {network}, or widen `network nodes=`")
    )]
    NodeOutsideNetwork {
        address: String,
        network: String,
        #[label("this address")]
        span: SourceSpan,
        #[label("the node network")]
        network_span: SourceSpan,
    },

    /// The site file is not UTF-8.
    #[error("the site file is not valid UTF-8")]
    #[diagnostic(
        code(labc::syntax::not_utf8),
        help("KDL files are UTF-8; re-save the file in that encoding")
    )]
    NotUtf8 {
        #[label("invalid byte here")]
        span: SourceSpan,
    },

    /// A Falcosidekick output that posts to an address with a credential (`slack`, `webhook`,
    /// `teams`, `smtp`…) has nowhere to read them from: the component's `outputs-secret` is
    /// unset, or the secret it names lacks a key the output needs.
    ///
    /// Falcosidekick reads each output's settings from environment variables named
    /// `<OUTPUT>_<KEY>` (`SLACK_WEBHOOKURL`); labc hands the chart the secret as its
    /// `config.existingSecret`, whose keys become those variables. A missing key leaves the
    /// output unconfigured, and Falcosidekick skips it without a word.
    #[error("the falcosidekick output `{output}` cannot be configured: {problem}")]
    #[diagnostic(
        code(labc::component::output_secret),
        help("write {example}, and seal the address and credentials in it")
    )]
    OutputSecret {
        output: String,
        problem: String,
        example: String,
        #[label("needs it")]
        span: SourceSpan,
    },

    /// A name would make a path leave its folder in `out/`.
    #[error("`{name}` would write outside `out/`")]
    #[diagnostic(
        code(labc::name::escapes_out),
        help("names become file names in `out/`; use lowercase letters, digits and `-`")
    )]
    PathEscape {
        name: String,
        #[label("this name")]
        span: SourceSpan,
    },

    /// A value written in `site.kdl` is a credential by meaning: the variable, setting or text
    /// around it names a password, token, key or other credential (`DB_PASSWORD "hunter2"`,
    /// `-Dspring.datasource.password=hunter2`, `AWS_SECRET_ACCESS_KEY=…`), even though the
    /// value itself looks ordinary.
    ///
    /// The value would land in a ConfigMap in git. Values that only describe a credential
    /// pass: lengths, lifetimes and paths (`PASSWORD_MIN_LENGTH`, `TOKEN_TTL`,
    /// `DB_PASSWORD_FILE`), empty values, booleans and references such as `${DB_PASSWORD}`.
    /// The shape-based scan (`labc::secret::plaintext`) still runs first. Mirrors the
    /// keyword rules of secret scanners (gitleaks' generic-api-key, detect-secrets'
    /// KeywordDetector).
    #[error("{what}, written in plain text")]
    #[diagnostic(
        code(labc::secret::credential),
        help("declare `secret NAME namespace=\"…\" {{ keys \"KEY\" }}`, read it with `env {name} secret=NAME key=KEY` (or pass it through a variable set that way), and seal the value with `labc seal NAME`")
    )]
    PlaintextCredential {
        what: String,
        name: String,
        #[label("a credential")]
        span: SourceSpan,
    },

    /// A file labc is about to write holds what looks like a secret value: a bug in a
    /// component or template, since no value from `site.kdl` reaches `out/` unscanned.
    ///
    /// No example site: the scan of what labc writes can only fire if an emitter copied a
    /// secret-shaped value that the scan of `site.kdl` let through; `tests/secrets.rs` exercises it
    /// directly.
    #[error("out/{path} would contain {what}")]
    #[diagnostic(
        code(labc::secret::plaintext_output),
        help("nothing was written; a component or template put a literal value where a Secret reference belongs. Reference a declared secret instead and report the component")
    )]
    PlaintextOutput {
        what: &'static str,
        path: String,
        #[label("this looks like a secret")]
        span: SourceSpan,
    },

    /// A value written in `site.kdl` looks like a secret: a token shape, a private key, a
    /// password in a URL or a long random-looking string.
    #[error("this value looks like {what}")]
    #[diagnostic(
        code(labc::secret::plaintext),
        help("secret values never go in site.kdl: declare `secret NAME namespace=\"…\" {{ keys \"KEY\" }}`, reference it by name (`secret=NAME`), and seal the value with `labc seal NAME` (see docs/secrets.md)")
    )]
    PlaintextSecret {
        what: &'static str,
        #[label("move this value into a sealed secret")]
        span: SourceSpan,
    },

    /// An `allow` and a `deny` policy cover the same flow, so one of them says nothing.
    #[error("policies {allow} and {deny} contradict each other")]
    #[diagnostic(
        code(labc::policy::contradiction),
        help("both name the same source, destination, port, methods and paths; deny wins, so remove one or narrow the deny to what must stay closed")
    )]
    PolicyContradiction {
        allow: String,
        deny: String,
        #[label("this deny")]
        span: SourceSpan,
        #[label("contradicts this allow")]
        allow_span: SourceSpan,
    },

    /// A component a site needs for one of its features is not in any layer.
    #[error("{feature} needs `{component}`, which the site does not have")]
    #[diagnostic(
        code(labc::require::component),
        help("add `{component}` to `layer {layer}`")
    )]
    RequirementMissing {
        feature: String,
        component: &'static str,
        layer: &'static str,
        #[label("needed by this")]
        span: SourceSpan,
    },

    /// An app or database is in a namespace labc does not own: one of Kubernetes' own
    /// (`kube-system`, `kube-public`, `kube-node-lease`, `default`, any `kube-…`) or one a
    /// platform component of the site installs into.
    ///
    /// labc writes a Namespace object for every namespace of the site's apps, with restricted
    /// pod security and mesh injection, and Argo CD applies it with prune and self-heal: it
    /// would take over a namespace whose other tenants never asked for that. `default` counts
    /// as Kubernetes' own: it exists in every cluster, cannot be deleted, and holds whatever
    /// is created without a namespace. To run an app there on purpose, say so with
    /// `foreign-namespace "NAME" why="…"` in `site`; labc then writes no Namespace object for
    /// it (see docs/language.md).
    ///
    /// Mirrors the API server's NamespaceLifecycle admission plugin, whose immortal
    /// namespaces are `default`, `kube-system`, `kube-public` and `kube-node-lease`, and
    /// Kubernetes' reservation of the `kube-` prefix for its own namespaces.
    #[error("`{namespace}` belongs to {owner}, not to the site")]
    #[diagnostic(
        code(labc::namespace::reserved),
        help("put the {kind} in a namespace of its own (e.g. `namespace=\"{kind_name}\"`), or, if it must run there, add `foreign-namespace \"{namespace}\" why=\"…\"` to `site`")
    )]
    ReservedNamespace {
        namespace: String,
        owner: String,
        kind: &'static str,
        kind_name: String,
        #[label("owned by {owner}")]
        span: SourceSpan,
    },

    /// A route's host is not served by its gateway.
    #[error("host `{host}` is not one of gateway `{gateway}`'s hosts")]
    #[diagnostic(
        code(labc::route::host_not_on_gateway),
        help("add `host \"{host}\"` to gateway `{gateway}`, or route a host it serves")
    )]
    RouteHostNotOnGateway {
        host: String,
        gateway: String,
        #[label("this host")]
        span: SourceSpan,
        #[label("the gateway")]
        gateway_span: SourceSpan,
    },

    /// A route's path has an empty segment (`//`), a `.` or `..` segment, a backslash or a
    /// percent-encoded slash: proxies normalise such paths differently, so the route would
    /// match other requests than the ones meant (or, with Gateway API, be refused).
    ///
    /// Mirrors the Gateway API's validation of `HTTPPathMatch` (no `//`, `/./`, `/../`,
    /// `%2f`, `%2F` or `#`, no trailing `/.` or `/..`).
    #[error("route path `{path}` {reason}")]
    #[diagnostic(
        code(labc::route::path),
        help("write the path as the app serves it, starting with `/`, without `//`, `.` or `..` segments, e.g. `/api`")
    )]
    RoutePathUnsafe {
        path: String,
        reason: &'static str,
        #[label("this path")]
        span: SourceSpan,
    },

    /// `labc seal` cannot use the certificate `site.kdl` names.
    ///
    /// No example site: the mistake is in the certificate file `labc seal` reads;
    /// `tests/secrets.rs` snapshots an expired and a non-RSA certificate.
    #[error("cannot seal with the certificate {path}: {reason}")]
    #[diagnostic(
        code(labc::seal::certificate),
        help("fetch the controller's current certificate with `kubeseal --fetch-cert > {path}` and commit it; it is public")
    )]
    SealCertificate {
        path: String,
        reason: String,
        #[label("the certificate")]
        span: SourceSpan,
    },

    /// `labc seal` was asked to seal a secret without a value for one of its keys.
    ///
    /// No example site: the mistake is in the values given to `labc seal`; `tests/secrets.rs`
    /// snapshots it.
    #[error("no value for key `{key}` of secret `{secret}`")]
    #[diagnostic(
        code(labc::seal::missing_value),
        help("{how}; every declared key is sealed at once, so that the sealed file holds exactly the declared keys")
    )]
    SealMissingValue {
        secret: String,
        key: String,
        how: String,
        #[label("this key")]
        span: SourceSpan,
    },

    /// `labc seal` needs the controller's certificate and `site.kdl` does not name one.
    ///
    /// No example site: it is reported by `labc seal`, not by a build; `tests/secrets.rs` covers
    /// it.
    #[error("site.kdl does not name the sealed-secrets controller's certificate")]
    #[diagnostic(
        code(labc::seal::no_certificate),
        help("fetch it with `kubeseal --fetch-cert > sealed-secrets.pem`, commit it beside site.kdl and name it: `sealed-secrets cert=\"sealed-secrets.pem\"`")
    )]
    SealNoCertificate {
        #[label("the controller")]
        span: SourceSpan,
    },

    /// `labc seal` was asked to seal a secret the site does not declare.
    ///
    /// No example site: it is reported by `labc seal` for a name on its command line;
    /// `tests/secrets.rs` snapshots it.
    #[error("secret `{name}` is not declared")]
    #[diagnostic(code(labc::seal::unknown_secret), help("{suggestion}"))]
    SealUnknownSecret {
        name: String,
        suggestion: Suggestion,
        #[label("the site")]
        span: SourceSpan,
    },

    /// A sealed file's key set differs from the secret's declared keys.
    ///
    /// No example site: the mistake is in a sealed file beside the site;
    /// `tests/fixtures/sealed_bad/` holds the examples.
    #[error("sealed secret `{name}` does not hold the declared keys: {problem}")]
    #[diagnostic(
        code(labc::secret::sealed_keys),
        help("reseal it with `labc seal {name}` so that it holds exactly the keys declared in site.kdl")
    )]
    SealedKeys {
        name: String,
        problem: String,
        #[label("these keys")]
        span: SourceSpan,
    },

    /// A sealed file disagrees with its declaration on its place, scope or template metadata.
    ///
    /// No example site: the mistake is in a sealed file beside the site;
    /// `tests/fixtures/sealed_bad/` holds the examples.
    #[error("sealed secret `{name}`: {what} is {found}, but site.kdl declares {expected}")]
    #[diagnostic(
        code(labc::secret::sealed_mismatch),
        help("the controller would refuse or misplace it; reseal it with `labc seal {name}`, or change the declaration")
    )]
    SealedMismatch {
        name: String,
        what: &'static str,
        expected: String,
        found: String,
        #[label("here")]
        span: SourceSpan,
    },

    /// A declared secret has no sealed file beside `site.kdl` yet.
    #[error("secret `{name}` is declared but not sealed yet")]
    #[diagnostic(
        code(labc::secret::not_sealed),
        severity(Warning),
        help("until it is, pods that read it do not start; run `{command}` and commit {path}")
    )]
    SealedMissing {
        name: String,
        command: String,
        path: String,
        #[label("declared here")]
        span: SourceSpan,
    },

    /// A sealed file that no declared secret wants.
    ///
    /// No example site: the mistake is in a sealed file beside the site;
    /// `tests/fixtures/sealed_bad/` holds the examples.
    #[error("sealed file for `{namespace}/{name}`, which site.kdl does not declare")]
    #[diagnostic(
        code(labc::secret::sealed_undeclared),
        help("declare it (`secret {name} namespace=\"{namespace}\" {{ keys … }}`) or delete the file")
    )]
    SealedUndeclared {
        name: String,
        namespace: String,
        #[label("this secret")]
        span: SourceSpan,
    },

    /// A file in the sealed folder is not a SealedSecret labc can read.
    ///
    /// No example site: the mistake is in a sealed file beside the site; `tests/secrets.rs` covers
    /// it.
    #[error("{path} is not a readable SealedSecret: {reason}")]
    #[diagnostic(
        code(labc::secret::sealed_unreadable),
        help("files under sealed/ are `bitnami.com/v1alpha1` SealedSecrets as `labc seal` or `kubeseal --format yaml` write them, one per file")
    )]
    SealedUnreadable {
        path: String,
        reason: String,
        #[label("here")]
        span: SourceSpan,
    },

    /// A secret's key is not a name a Secret's data may have: letters, digits, `-`, `_` and
    /// `.`, at most 253 characters, and neither `.` nor `..`.
    ///
    /// The API server refuses the Secret (and a ConfigMap likewise). Mirrors
    /// k8s.io/apimachinery's `IsConfigMapKey`.
    #[error("secret key `{key}` {reason}")]
    #[diagnostic(
        code(labc::secret::key_invalid),
        help("name the key with letters, digits, `-`, `_` and `.`, as a file name would be, e.g. `password` or `credentials.json`")
    )]
    SecretKeyInvalid {
        key: String,
        reason: &'static str,
        #[label("not a valid key")]
        span: SourceSpan,
    },

    /// A workload reads a Secret from another namespace, which Kubernetes does not allow.
    #[error("secret `{secret}` lives in namespace `{secret_namespace}`, not `{namespace}`")]
    #[diagnostic(code(labc::reference::secret_namespace), help("a pod can only read Secrets of its own namespace; declare the secret with `namespace={namespace}`"))]
    SecretNamespaceMismatch {
        secret: String,
        secret_namespace: String,
        namespace: String,
        #[label("used here")]
        span: SourceSpan,
        #[label("declared here")]
        declared: SourceSpan,
    },

    /// A Secret reference in `out/` that no declared secret of a fitting scope backs.
    ///
    /// The label is on the site's declaration the reference comes from: the component setting
    /// whose value names the Secret (`tunnel-secret="…"`), else the component whose
    /// Application reads it, never a line of a file that is not written.
    #[error("out/{path} reads Secret `{name}` in namespace `{namespace}`, {reason}")]
    #[diagnostic(
        code(labc::secret::uncovered),
        help("point the reference at a declared secret ({suggestion}), or declare `secret {name} namespace=\"{namespace}\" {{ keys … }}` in site.kdl")
    )]
    SecretUncovered {
        name: String,
        namespace: String,
        path: String,
        reason: String,
        /// The declared secrets of that namespace, the nearest first.
        suggestion: Suggestion,
        /// What the label says: which declaration gives the name.
        origin: String,
        #[label("{origin}")]
        span: SourceSpan,
    },

    /// A list setting names an item that only works with a component the site does not have,
    /// e.g. the `wazuh` output of Falcosidekick without the `wazuh` component.
    #[error(
        "`{item}` in `{setting}` of `{component}` needs `{needs}`, which the site does not have"
    )]
    #[diagnostic(
        code(labc::component::setting_needs_component),
        help("add `{needs}` to `layer {layer}`, or remove `{item}` from `{setting}`")
    )]
    SettingNeedsComponent {
        component: String,
        setting: String,
        item: String,
        needs: String,
        layer: String,
        #[label("asks for `{needs}`")]
        span: SourceSpan,
    },

    /// `out/` holds a file its index (`out/index.sha256`) does not list: labc did not write
    /// it, or wrote it under an older index that no longer says so. Reported by
    /// `labc build --check`.
    ///
    /// The root Application syncs whole folders of `out/`, so Argo CD applies such a file like
    /// any other: a stale Application left from an older layout fights the current one over
    /// the same objects. labc never deletes what it did not write (`labc build` keeps the file
    /// and warns); delete it, or move it out of `out/`.
    ///
    /// No example site: the mistake is a file in `out/`, which a one-file fixture cannot hold;
    /// `tests/stray.rs` covers it.
    #[error("{out}/{path} was not written by labc")]
    #[diagnostic(
        code(labc::out::stray_file),
        help("Argo CD syncs every file of the folders the root Application reads, and labc never deletes a file its index does not list; remove it with `git rm {out}/{path}` (or `rm` if it is not committed), or move it out of {out}/")
    )]
    StrayFile {
        out: String,
        path: String,
        #[label("the site whose out/ holds it")]
        span: SourceSpan,
    },

    /// The site file is larger than labc reads.
    ///
    /// labc refuses a file over 16 MiB before reading it, so that a wrong path (a disk image,
    /// a log, `/dev/zero`, a pipe that never ends) fails at once instead of filling memory: a
    /// regular file is refused on the size its metadata gives, anything else (a device, a pipe)
    /// is read one byte past the limit and no further.
    ///
    /// No example site: a 16 MiB fixture would weigh on the repository; the bad-input tests
    /// make one in memory.
    #[error("the site file is at least {size} bytes; labc reads at most {limit}")]
    #[diagnostic(code(labc::syntax::too_large), help("a site of thousands of apps fits well under this limit; check that this is the right file"))]
    TooLarge {
        size: usize,
        limit: usize,
        #[label("the file starts here")]
        span: SourceSpan,
    },

    /// KDL type annotations are not part of the site language.
    #[error("type annotation `({annotation})` is not supported")]
    #[diagnostic(
        code(labc::decode::type_annotation),
        help("labc knows the type of every property; remove the annotation")
    )]
    TypeAnnotation {
        annotation: String,
        #[label("here")]
        span: SourceSpan,
    },

    /// A node has more positional arguments than it takes.
    #[error("`{node}` takes {expected}")]
    #[diagnostic(
        code(labc::decode::unexpected_argument),
        help("remove the extra value, or name it as a property (`key=value`)")
    )]
    UnexpectedArgument {
        node: String,
        expected: &'static str,
        #[label("not expected")]
        span: SourceSpan,
    },

    /// A node that takes no block was given one.
    #[error("`{node}` does not take a block")]
    #[diagnostic(
        code(labc::decode::unexpected_block),
        help("remove the `{{ … }}` after `{node}`")
    )]
    UnexpectedBlock {
        node: String,
        #[label("this block")]
        span: SourceSpan,
    },

    /// The first-line rule every later value relies on: a component name not in the stdlib.
    #[error("unknown component `{name}`")]
    #[diagnostic(code(labc::component::unknown), help("{suggestion}"))]
    UnknownComponent {
        name: String,
        suggestion: Suggestion,
        #[label("not in the stdlib")]
        span: SourceSpan,
    },

    /// A component's values template names an endpoint (`{{endpoint "<component>" "<name>"}}`)
    /// that no component of the catalogue declares with an `endpoint` node.
    ///
    /// No example site: the mistake is in a component file; the bad-input tests give a site a
    /// component of its own that names one.
    #[error("`{component}` reads endpoint `{endpoint}` of `{provider}`, which is not declared")]
    #[diagnostic(
        code(labc::component::unknown_endpoint),
        help("declare it in the file of `{provider}` (`endpoint {endpoint} service=… port=… protocol=…`), or name a declared one: {suggestion}")
    )]
    UnknownEndpoint {
        component: String,
        provider: String,
        endpoint: String,
        suggestion: Suggestion,
        #[label("this template")]
        span: SourceSpan,
    },

    /// A node name is not known in its context.
    #[error("unknown node `{name}` in {context}")]
    #[diagnostic(code(labc::decode::unknown_node), help("{suggestion}"))]
    UnknownNode {
        name: String,
        context: String,
        suggestion: Suggestion,
        #[label("unknown here")]
        span: SourceSpan,
    },

    /// A flow, route, probe or `metrics` names a port its app or database does not expose.
    #[error("`{target}` does not expose port {port}")]
    #[diagnostic(code(labc::reference::unknown_port), help("{target} exposes {ports}"))]
    UnknownPort {
        target: String,
        port: u16,
        ports: String,
        #[label("this port")]
        span: SourceSpan,
    },

    /// A property is not known on its node.
    #[error("unknown property `{name}` on `{node}`")]
    #[diagnostic(code(labc::decode::unknown_property), help("{suggestion}"))]
    UnknownProperty {
        name: String,
        node: String,
        suggestion: Suggestion,
        #[label("unknown property")]
        span: SourceSpan,
    },

    /// A reference names something the site does not declare.
    #[error("{what} `{name}` is not declared")]
    #[diagnostic(code(labc::reference::unknown), help("{suggestion}"))]
    UnknownReference {
        what: &'static str,
        name: String,
        suggestion: Suggestion,
        #[label("referenced here")]
        span: SourceSpan,
    },

    /// An app reads a key its secret does not declare.
    #[error("secret `{secret}` has no key `{key}`")]
    #[diagnostic(code(labc::reference::unknown_secret_key), help("{suggestion}"))]
    UnknownSecretKey {
        secret: String,
        key: String,
        suggestion: Suggestion,
        #[label("this key")]
        span: SourceSpan,
    },

    /// A value is not one of the words its property accepts.
    #[error("`{value}` is not a valid {what}")]
    #[diagnostic(code(labc::decode::unknown_value), help("{suggestion}"))]
    UnknownValue {
        value: String,
        what: &'static str,
        suggestion: Suggestion,
        #[label("this value")]
        span: SourceSpan,
    },

    /// A declared secret no app, database or alert uses.
    #[error("secret `{name}` is declared but never used")]
    #[diagnostic(
        code(labc::secret::unused),
        severity(Warning),
        help("remove it, or reference it from an app (`secret {name}` or `env … secret={name}`)")
    )]
    UnusedSecret {
        name: String,
        #[label("declared here")]
        span: SourceSpan,
    },

    /// A key of a component's values renders to null. Helm reads a null as "remove the chart's
    /// default here": `config:` whose every child is switched off erases the chart's whole
    /// `config` block, and its templates then fail. A bug in a component file.
    ///
    /// No example site: the stdlib's templates write no null; the bad-input tests give a site a
    /// component of its own that does.
    #[error("the Helm values of `{component}` set `{path}` to null, which erases the chart's defaults there")]
    #[diagnostic(
        code(labc::component::values_null),
        help("in the template of `{component}`, leave `{path}` out when it would be empty, or write `{{}}` for an empty map")
    )]
    ValuesNull {
        component: String,
        path: String,
        #[label("this component")]
        span: SourceSpan,
    },

    /// A component's values template does not render for this site: a fact it reads is
    /// missing, or what it renders is not a YAML mapping. A bug in a component file.
    ///
    /// No example site: the mistake is in a component file, not in `site.kdl`; the bad-input
    /// tests give a site its own broken component.
    #[error("the Helm values of `{component}` do not render: {reason}")]
    #[diagnostic(
        code(labc::component::values_template),
        help("the `values` template of `{component}` in its component file is wrong; the facts a template may read are listed in docs/language.md")
    )]
    ValuesTemplate {
        component: String,
        reason: String,
        #[label("this component")]
        span: SourceSpan,
    },

    /// An in-cluster address that a part is given names no Service, or a port its Service does not expose.
    ///
    /// Addresses between components are read from chart values, ConfigMaps, container env and arguments and
    /// analysis providers (`http://name.ns.svc.cluster.local:port`, `name.ns:port`, a `host` beside a
    /// `port`). A consumer whose address resolves to nothing sends into the void: Falcosidekick's
    /// events never reach the SIEM, a canary's analysis never reaches Prometheus. Fix the end that
    /// is wrong, usually the component that names the address.
    ///
    /// No example site: `labc verify` checks what `out/` renders to, not `site.kdl` alone; each
    /// check has a site under `tests/fixtures/verify/` that breaks it, and docs/verify.md shows one.
    #[error("{message}")]
    #[diagnostic(code(labc::verify::address), help("{help}"))]
    VerifyAddress {
        message: String,
        help: String,
        here: String,
        #[label("{here}")]
        span: SourceSpan,
        there: String,
        #[label("{there}")]
        other: Option<SourceSpan>,
    },

    /// A canary's analysis does not observe the canary's own pods.
    ///
    /// An analysis that reads the stable pods' metrics, or metrics nobody scrapes, passes whatever the
    /// new version does: the rollout is never aborted. The query must select the canary's pods and
    /// their metrics must be scraped.
    ///
    /// No example site: `labc verify` checks what `out/` renders to, not `site.kdl` alone; each
    /// check has a site under `tests/fixtures/verify/` that breaks it, and docs/verify.md shows one.
    #[error("{message}")]
    #[diagnostic(code(labc::verify::canary), help("{help}"))]
    VerifyCanary {
        message: String,
        help: String,
        here: String,
        #[label("{here}")]
        span: SourceSpan,
        there: String,
        #[label("{there}")]
        other: Option<SourceSpan>,
    },

    /// A ServiceMonitor or PodMonitor selects nothing, names a port its targets lack, or no Prometheus selects it.
    ///
    /// The metrics it was written for are silently absent, and whatever reads them (an alert, a
    /// canary's analysis) sees nothing. Match the monitor's selector and port to what it monitors
    /// and give it the labels the Prometheus selects monitors by.
    ///
    /// No example site: `labc verify` checks what `out/` renders to, not `site.kdl` alone; each
    /// check has a site under `tests/fixtures/verify/` that breaks it, and docs/verify.md shows one.
    #[error("{message}")]
    #[diagnostic(code(labc::verify::monitor), help("{help}"))]
    VerifyMonitor {
        message: String,
        help: String,
        here: String,
        #[label("{here}")]
        span: SourceSpan,
        there: String,
        #[label("{there}")]
        other: Option<SourceSpan>,
    },

    /// A Secret or ConfigMap is applied in a later sync wave than a pod that reads it.
    ///
    /// Argo CD waits for each sync wave to be healthy before it applies the next; a pod whose Secret
    /// comes later never starts, so the sync waits forever. A Secret belongs in the earliest wave
    /// among the pods that read it.
    ///
    /// No example site: `labc verify` checks what `out/` renders to, not `site.kdl` alone; each
    /// check has a site under `tests/fixtures/verify/` that breaks it, and docs/verify.md shows one.
    #[error("{message}")]
    #[diagnostic(code(labc::verify::sync_order), help("{help}"))]
    VerifyOrder {
        message: String,
        help: String,
        here: String,
        #[label("{here}")]
        span: SourceSpan,
        there: String,
        #[label("{there}")]
        other: Option<SourceSpan>,
    },

    /// The AppProject of an Application does not permit one of the objects its source renders.
    ///
    /// Argo CD refuses to sync an object in a namespace that is not among the project's destinations,
    /// or a cluster-scoped kind that is not in its `clusterResourceWhitelist`, and the Application
    /// never becomes healthy. The project must cover every namespace and kind the pinned chart writes.
    ///
    /// No example site: `labc verify` checks what `out/` renders to, not `site.kdl` alone; each
    /// check has a site under `tests/fixtures/verify/` that breaks it, and docs/verify.md shows one.
    #[error("{message}")]
    #[diagnostic(code(labc::verify::project), help("{help}"))]
    VerifyProject {
        message: String,
        help: String,
        here: String,
        #[label("{here}")]
        span: SourceSpan,
        there: String,
        #[label("{there}")]
        other: Option<SourceSpan>,
    },

    /// A pod reads a Secret or ConfigMap (or a key of one) that nothing in the rendered system provides.
    ///
    /// The pod stays in `CreateContainerConfigError` or `ContainerCreating`. Declare the secret in the
    /// site (and seal it), or correct the name or key the consumer reads.
    ///
    /// No example site: `labc verify` checks what `out/` renders to, not `site.kdl` alone; each
    /// check has a site under `tests/fixtures/verify/` that breaks it, and docs/verify.md shows one.
    #[error("{message}")]
    #[diagnostic(code(labc::verify::missing_reference), help("{help}"))]
    VerifyReference {
        message: String,
        help: String,
        here: String,
        #[label("{here}")]
        span: SourceSpan,
        there: String,
        #[label("{there}")]
        other: Option<SourceSpan>,
    },

    /// An Application's source does not render: a chart that `helm template` refuses with labc's values, a missing chart, or a kustomization that does not build.
    ///
    /// Argo CD shows such an Application as `ComparisonError` and syncs nothing of it. The message
    /// is what Helm or kustomize said.
    ///
    /// No example site: `labc verify` checks what `out/` renders to, not `site.kdl` alone; each
    /// check has a site under `tests/fixtures/verify/` that breaks it, and docs/verify.md shows one.
    #[error("{message}")]
    #[diagnostic(code(labc::verify::render), help("{help}"))]
    VerifyRender {
        message: String,
        help: String,
        here: String,
        #[label("{here}")]
        span: SourceSpan,
        there: String,
        #[label("{there}")]
        other: Option<SourceSpan>,
    },

    /// A rendered custom resource fails the schema of its CRD, or no CRD of the system installs its kind.
    ///
    /// The API server refuses it under strict field validation, and the Application never syncs.
    ///
    /// No example site: `labc verify` checks what `out/` renders to, not `site.kdl` alone; each
    /// check has a site under `tests/fixtures/verify/` that breaks it, and docs/verify.md shows one.
    #[error("{message}")]
    #[diagnostic(code(labc::verify::schema), help("{help}"))]
    VerifySchema {
        message: String,
        help: String,
        here: String,
        #[label("{here}")]
        span: SourceSpan,
        there: String,
        #[label("{there}")]
        other: Option<SourceSpan>,
    },

    /// One object is applied by two Applications.
    ///
    /// Both Applications consider themselves its owner: each overwrites the other's copy, and with
    /// pruning one deletes it when the other applies it. Each object must have one Application.
    ///
    /// No example site: `labc verify` checks what `out/` renders to, not `site.kdl` alone; each
    /// check has a site under `tests/fixtures/verify/` that breaks it, and docs/verify.md shows one.
    #[error("{message}")]
    #[diagnostic(code(labc::verify::shared_object), help("{help}"))]
    VerifyShared {
        message: String,
        help: String,
        here: String,
        #[label("{here}")]
        span: SourceSpan,
        there: String,
        #[label("{there}")]
        other: Option<SourceSpan>,
    },

    /// A volume claim names a StorageClass that nothing makes, or names none while the system has no default class.
    ///
    /// The claim stays `Pending` and its pod never starts. Mark one storage component as the default
    /// (`longhorn default=#true`) or name a class the site has.
    ///
    /// No example site: `labc verify` checks what `out/` renders to, not `site.kdl` alone; each
    /// check has a site under `tests/fixtures/verify/` that breaks it, and docs/verify.md shows one.
    #[error("{message}")]
    #[diagnostic(code(labc::verify::storage_class), help("{help}"))]
    VerifyStorage {
        message: String,
        help: String,
        here: String,
        #[label("{here}")]
        span: SourceSpan,
        there: String,
        #[label("{there}")]
        other: Option<SourceSpan>,
    },

    /// A chart's subchart, or a Service that may be in one, could not be checked because the chart cache lacks the subchart.
    ///
    /// `verify` renders such a chart with the subchart turned off, so the subchart's objects are not
    /// checked. Fill the cache (`helm dependency build` in the chart's folder) to check them.
    ///
    /// No example site: `labc verify` checks what `out/` renders to, not `site.kdl` alone; each
    /// check has a site under `tests/fixtures/verify/` that breaks it, and docs/verify.md shows one.
    #[error("{message}")]
    #[diagnostic(
        code(labc::verify::subchart_missing),
        severity(Warning),
        help("{help}")
    )]
    VerifySubchart {
        message: String,
        help: String,
        here: String,
        #[label("{here}")]
        span: SourceSpan,
        there: String,
        #[label("{there}")]
        other: Option<SourceSpan>,
    },

    /// A pod reads a secret the site declares but has not sealed yet.
    ///
    /// Until it is sealed (`labc seal NAME`) and committed, the pod cannot start. `verify` checks the
    /// rest of the contract as if it were sealed, placed where `labc build` will put it.
    ///
    /// No example site: `labc verify` checks what `out/` renders to, not `site.kdl` alone; each
    /// check has a site under `tests/fixtures/verify/` that breaks it, and docs/verify.md shows one.
    #[error("{message}")]
    #[diagnostic(code(labc::verify::unsealed), severity(Warning), help("{help}"))]
    VerifyUnsealed {
        message: String,
        help: String,
        here: String,
        #[label("{here}")]
        span: SourceSpan,
        there: String,
        #[label("{there}")]
        other: Option<SourceSpan>,
    },

    /// `argocd github-webhook=#true` without the secret Argo CD checks the webhook's events with.
    ///
    /// Argo CD checks each push event GitHub sends to `https://<argocd host>/api/webhook` against
    /// `webhook.github.secret` in its own Secret `argocd-secret`, and reads no other Secret for
    /// it. labc keeps the chart's `argocd-secret` (Argo CD writes its own keys into it) and has
    /// the sealed-secrets controller merge the webhook's key in, so the site declares that secret,
    /// by that name, in Argo CD's namespace, with that key, and seals the value it gives GitHub
    /// (docs/argocd.md).
    #[error("the GitHub webhook of `argocd` needs the secret `argocd-secret` in namespace `argocd` with the key `webhook.github.secret`")]
    #[diagnostic(
        code(labc::secret::webhook_secret),
        help("declare `secret argocd-secret namespace=\"argocd\" {{ keys \"webhook.github.secret\" }}` and seal the webhook's shared secret into it (`labc seal argocd-secret`)")
    )]
    WebhookSecret {
        /// What the site has instead.
        found: String,
        #[label("{found}")]
        span: SourceSpan,
    },

    /// A component is placed in a layer it does not belong to.
    #[error("`{component}` belongs to layer `{expected}`, not `{found}`")]
    #[diagnostic(
        code(labc::layer::wrong_layer),
        help("move `{component}` into `layer {expected}`")
    )]
    WrongLayer {
        component: String,
        expected: String,
        found: String,
        #[label("in the wrong layer")]
        span: SourceSpan,
    },

    /// A value has the wrong KDL type (a string where a number is expected, …).
    #[error("`{name}` expects {expected}, found {found}")]
    #[diagnostic(code(labc::decode::wrong_type), help("write it as {example}"))]
    WrongType {
        name: String,
        expected: &'static str,
        found: &'static str,
        example: &'static str,
        #[label("this value")]
        span: SourceSpan,
    },

    /// A value is zero where zero means nothing: an interval, probe period or canary pause under
    /// one second (which labc used to round up to 1s without a word) or a CPU or memory request
    /// of `0`.
    ///
    /// A request of zero schedules the pod as if it used nothing and makes it the first to be
    /// evicted; an interval of zero is not an interval. Mirrors what the consumers do with a
    /// zero: the API server replaces a probe's `periodSeconds: 0` with its default of 10, Argo
    /// Rollouts and Prometheus take intervals and pauses in whole seconds, and the scheduler
    /// reserves a pod's `resource.Quantity` requests, which at zero reserve nothing.
    #[error("{what} of {value} means nothing")]
    #[diagnostic(code(labc::value::zero), help("{help}"))]
    ZeroValue {
        what: &'static str,
        value: String,
        help: &'static str,
        #[label("zero")]
        span: SourceSpan,
    },
}

impl Error {
    /// The position diagnostics are sorted by: where the first label starts.
    pub fn offset(&self) -> usize {
        self.labels()
            .and_then(|mut labels| labels.next())
            .map_or(0, |label| label.offset())
    }

    pub fn is_warning(&self) -> bool {
        self.severity() == Some(miette::Severity::Warning)
    }

    /// The stable code, such as `labc::name::duplicate`.
    pub fn code_str(&self) -> String {
        self.code().map(|c| c.to_string()).unwrap_or_default()
    }
}
