//! `labc verify`: renders every Application of `out/` the way Argo CD's repo server would and
//! checks the contracts between the rendered parts (addresses and the Services behind them,
//! secrets and the waves that need them, monitors and what they select, projects and the
//! namespaces charts write to). Rendering runs `helm` and `kubectl` (`render.rs`); the checks
//! (`checks/`) are pure functions of the rendered system.

mod apps;
mod cache;
mod checks;
mod finding;
mod render;
mod runtime;
mod stand_in;
mod system;

pub use apps::{documents, Source};
pub use cache::default_dir as default_chart_cache;
pub use finding::{Contract, End, Finding};
pub use render::Tools;
pub use stand_in::stand_ins;
pub use system::{Object, System};

use std::collections::BTreeMap;
use std::path::Path;

/// Custom resource kinds whose CRDs an operator installs at run time rather than a chart, and
/// that are cluster-scoped: Cilium's agent registers its own CRDs.
const RUNTIME_CLUSTER_KINDS: &[(&str, &str)] = &[
    ("cilium.io", "CiliumClusterwideNetworkPolicy"),
    ("cilium.io", "CiliumLoadBalancerIPPool"),
    ("cilium.io", "CiliumNode"),
    ("cilium.io", "CiliumIdentity"),
];

/// What `verify` found: the broken contracts, and the rendered system they were found in.
pub struct Verified {
    pub findings: Vec<Finding>,
    pub system: System,
}

/// Renders every Application reachable from the root Application of `files` (the files of
/// `out/`, relative to it; `out_dir` is the same tree on disk) and checks the system, and the
/// `endpoints` the site's components declare against the Services their charts render.
/// `Err` is a tree with no root Application or an Application that cannot be read.
pub fn verify(
    files: &BTreeMap<String, Vec<u8>>,
    out_dir: &Path,
    tools: &Tools,
    endpoints: &[crate::stdlib::SiteEndpoint],
) -> Result<Verified, String> {
    let tree = apps::tree(files)?;
    // helm spends most of its time starting up and in the template engine: one process per
    // Application, all at once, keeps both cores busy
    let rendered: Vec<render::Rendered> = std::thread::scope(|scope| {
        let handles: Vec<_> = tree
            .apps
            .iter()
            .map(|app| scope.spawn(|| render::render(app, files, out_dir, tools)))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .collect()
    });
    let mut findings = Vec::new();
    let mut objects = Vec::with_capacity(rendered.len());
    let mut missing = BTreeMap::new();
    let mut unrendered = std::collections::BTreeSet::new();
    for (index, rendered) in rendered.into_iter().enumerate() {
        let app = &tree.apps[index];
        if let Some(error) = rendered.error {
            unrendered.insert(index);
            findings.push(Finding::new(
                Contract::Render,
                format!("Application `{}` does not render: {error}", app.name),
                "Argo CD would show this Application as ComparisonError and sync nothing of it",
                End::new(&app.file, "this Application"),
            ));
        }
        for m in &rendered.missing {
            findings.push(Finding::new(
                Contract::Subchart,
                format!(
                    "subchart {} {} of Application `{}` is not in the chart cache: rendered with it off, so its objects are not checked",
                    m.name, m.version, app.name
                ),
                "fill the cache with `helm dependency build` in the chart's folder (network needed)",
                End::new(&app.file, "this Application"),
            ));
        }
        if !rendered.missing.is_empty() {
            missing.insert(index, rendered.missing);
        }
        objects.push(rendered.objects);
    }
    let known = RUNTIME_CLUSTER_KINDS
        .iter()
        .map(|(g, k)| (g.to_string(), k.to_string()));
    let mut system = System::new(tree.apps, tree.projects, objects, known);
    system.missing = missing;
    system.unrendered = unrendered;
    findings.extend(checks::all(&system));
    findings.extend(checks::endpoints(&system, endpoints));
    Ok(Verified { findings, system })
}

/// `--api-versions` for `helm template`: every served version of every embedded CRD, as
/// group/version and group/version/Kind, the way Argo CD passes the cluster's API resources.
pub fn api_versions() -> Vec<String> {
    let mut out = Vec::new();
    for kind in crate::schema::EMBEDDED_KINDS {
        for (version, _) in kind.versions.iter() {
            out.push(format!("{}/{}", kind.group, version));
            out.push(format!("{}/{}/{}", kind.group, version, kind.kind));
        }
    }
    out.sort();
    out.dedup();
    out
}
