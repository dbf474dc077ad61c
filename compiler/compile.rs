//! The pipeline from bytes to files, pure: no disk access happens here.

use crate::diag::{Located, SourceFile};
use crate::emit::Files;
use crate::stdlib::Catalog;
use std::sync::Arc;

/// A successful compilation: the files of `out/` and the warnings found on the way.
pub struct Compiled {
    pub files: Files,
    /// Who may talk to whom, as the emitted policies enforce it (`labc flows`).
    pub flows: Vec<crate::flows::Flow>,
    pub warnings: Vec<Located>,
    pub file: Arc<SourceFile>,
    /// The dependency graph the sync waves came from (`labc graph`).
    pub graph: crate::graph::Graph,
}

/// Runs every phase on the site file `name` with contents `bytes`. Any error stops before
/// emission and comes back with all the others found in the same run.
pub fn compile(name: &str, bytes: &[u8], catalog: &Catalog) -> Result<Compiled, Vec<Located>> {
    // compiling the node templates takes as long as parsing a small site: do it meanwhile
    std::thread::spawn(crate::emit::warm_up);
    compile_parsed(crate::syntax::parse(name, bytes), catalog)
}

/// The phases after parsing, for a caller that parsed the site itself (the CLI parses it while
/// the stdlib is parsed on another core).
pub fn compile_parsed(
    parsed: Result<crate::syntax::Parsed, Vec<Located>>,
    catalog: &Catalog,
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
    errors.extend(crate::check::check(&site, catalog));
    let locate = |errors: Vec<crate::diag::Error>| -> Vec<Located> {
        errors.into_iter().map(|e| Located::new(&file, e)).collect()
    };
    // the graph is built even from a site with errors, so that a cycle is reported with them
    let graph = crate::graph::graph(&site, catalog);
    if let Err(cycles) = &graph {
        errors.extend(cycles.iter().cloned());
    }
    let (warnings, errors): (Vec<_>, Vec<_>) = errors.into_iter().partition(|e| e.is_warning());
    let graph = match graph {
        Ok(graph) if errors.is_empty() => graph,
        _ => {
            let mut all = locate(errors);
            all.extend(locate(warnings));
            return Err(all);
        }
    };
    let files = crate::emit::emit(&site, catalog, &graph);
    Ok(Compiled {
        files,
        flows: crate::flows::derive(&site, catalog),
        warnings: locate(warnings),
        file,
        graph,
    })
}
