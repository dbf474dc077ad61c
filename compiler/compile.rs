//! The pipeline from bytes to files, pure: no disk access happens here.

use crate::diag::{Located, SourceFile};
use crate::emit::Files;
use crate::secrets::SealedFile;
use crate::stdlib::Catalog;
use std::sync::Arc;

/// A successful compilation: the files of `out/` and the warnings found on the way.
pub struct Compiled {
    pub files: Files,
    /// Who may talk to whom, as the emitted policies enforce it (`labc flows`).
    pub flows: Vec<crate::flows::Flow>,
    /// Whether pods Falco Talon labels are cut off by quarantine policies (`emit/quarantine.rs`),
    /// which `labc flows` says under its table.
    pub quarantine: bool,
    /// What `labc flows` says of each namespace the site owns: how it starts from deny
    /// (`emit/default_deny.rs`).
    pub default_deny: Vec<String>,
    pub warnings: Vec<Located>,
    pub file: Arc<SourceFile>,
    /// The site's name in `file`: where diagnostics about `out/` as a whole point.
    pub site_span: miette::SourceSpan,
    /// The dependency graph the sync waves came from (`labc graph`).
    pub graph: crate::graph::Graph,
    /// Where each file was declared; also in `files` as `sources.tsv` (`labc why`).
    pub sources: crate::sources::SourceMap,
    /// The site's Kubernetes version, which `labc verify` renders charts for.
    pub kubernetes: String,
    /// The endpoints the site's components declare, which `labc verify` holds to the Services
    /// their charts render.
    pub endpoints: Vec<crate::stdlib::SiteEndpoint>,
    /// Files of the site's repository outside `out/` (its CI pipelines), by their path from the
    /// repository's root (`crate::ci`).
    pub repo_files: std::collections::BTreeMap<String, Vec<u8>>,
    /// Where `out/` is in the repository (`repo path=`): how the CLI finds the repository's root.
    pub repo_path: String,
}

/// Runs every phase on the site file `name` with contents `bytes`. Any error stops before
/// emission and comes back with all the others found in the same run.
pub fn compile(name: &str, bytes: &[u8], catalog: &Catalog) -> Result<Compiled, Vec<Located>> {
    compile_parsed(crate::syntax::parse(name, bytes), catalog, &[])
}

/// `compile`, given the sealed files committed beside the site (`sealed/…`, read by the CLI):
/// they are checked against the declared secrets and the good ones emitted where Argo CD syncs
/// them. What labc would write is scanned for secret values and Secret references last.
pub fn compile_with_sealed(
    name: &str,
    bytes: &[u8],
    catalog: &Catalog,
    sealed: &[SealedFile],
) -> Result<Compiled, Vec<Located>> {
    compile_parsed(crate::syntax::parse(name, bytes), catalog, sealed)
}

/// The phases after parsing, for a caller that parsed the site itself (the CLI parses it while
/// the stdlib is parsed on another core).
pub fn compile_parsed(
    parsed: Result<crate::syntax::Parsed, Vec<Located>>,
    catalog: &Catalog,
    sealed: &[SealedFile],
) -> Result<Compiled, Vec<Located>> {
    let parsed = parsed?;
    let file = parsed.file;
    if parsed.document.nodes().is_empty() {
        // only comments: one clear message instead of every missing piece
        let span = miette::SourceSpan::from((0, file.text.len()));
        return Err(vec![Located::new(
            &file,
            crate::diag::Error::EmptyFile { span },
        )]);
    }
    let (site, mut errors) = crate::decode::decode(&parsed.document, catalog);
    let platform = crate::stdlib::Platform::render(&site, catalog);
    errors.extend(crate::check::check(&site, catalog, &platform));
    errors.extend(crate::secrets::scan_document(&parsed.document));
    let (sealed_found, accepted) = crate::secrets::check_sealed(&site, &file, sealed);
    let (sealed_warnings, sealed_errors): (Vec<_>, Vec<_>) =
        sealed_found.into_iter().partition(|d| d.error.is_warning());
    let locate = |errors: Vec<crate::diag::Error>| -> Vec<Located> {
        errors.into_iter().map(|e| Located::new(&file, e)).collect()
    };
    // the graph is built even from a site with errors, so that a cycle is reported with them
    let graph = crate::graph::graph(&site, catalog);
    if let Err(cycles) = &graph {
        errors.extend(cycles.iter().cloned());
    }
    let (warnings, errors): (Vec<_>, Vec<_>) = errors.into_iter().partition(|e| e.is_warning());
    let mut warnings = locate(warnings);
    warnings.extend(sealed_warnings);
    let graph = match graph {
        Ok(graph) if errors.is_empty() && sealed_errors.is_empty() => graph,
        _ => {
            let mut all = locate(errors);
            all.extend(sealed_errors);
            all.extend(warnings);
            return Err(all);
        }
    };
    // derived once: the policies are written from them, and `labc flows` prints them
    let flows = crate::flows::derive(&site, catalog);
    let mut files = crate::emit::emit(&site, catalog, &platform, &flows, &graph);
    crate::emit::secrets::emit(&site, &graph, &accepted, &mut files);
    // custom resources the API server would refuse fail the build here, not Argo CD's sync
    let invalid = crate::schema::diagnostics(&files, catalog.crds(), &site);
    if !invalid.is_empty() {
        let mut all = locate(invalid);
        all.extend(warnings);
        return Err(all);
    }
    // the last line of defence: what would be written is held to the same rules as site.kdl
    let mut unsafe_output = crate::secrets::coverage(&site, &file, &files);
    unsafe_output.extend(crate::secrets::scan_files(&files));
    if !unsafe_output.is_empty() {
        unsafe_output.extend(warnings);
        return Err(unsafe_output);
    }
    // last, so that it maps every other file; it holds only names and places, nothing to scan
    let sources = crate::sources::map(
        &parsed.document,
        &site,
        catalog,
        &platform,
        &file,
        files.as_map().keys().map(String::as_str),
    );
    files.insert(
        crate::sources::SOURCES_NAME.to_string(),
        sources.render().into_bytes(),
    );
    Ok(Compiled {
        files,
        sources,
        flows,
        quarantine: site.has_component("talon") && site.has_component("cilium"),
        default_deny: crate::emit::default_deny_lines(&site),
        kubernetes: site.settings.kubernetes.value.to_string(),
        endpoints: crate::stdlib::site_endpoints(&site, catalog),
        repo_files: crate::ci::files(&site),
        repo_path: site.settings.repo.path.clone(),
        warnings,
        file,
        site_span: site.settings.name.span,
        graph,
    })
}
