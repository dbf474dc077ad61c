//! `labc graph [SITE]`: the dependency graph of a site as DOT or Mermaid, on stdout.

use crate::diag::Format;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Clone, Copy, clap::ValueEnum)]
pub enum Picture {
    /// Graphviz: `labc graph | dot -Tsvg > graph.svg`
    Dot,
    /// A Mermaid flowchart, which GitHub draws in Markdown
    Mermaid,
}

#[derive(clap::Args)]
pub struct Args {
    /// The site file
    #[arg(default_value = "site.kdl")]
    site: PathBuf,
    /// The language of the picture
    #[arg(long, value_enum, default_value = "dot")]
    format: Picture,
}

pub fn run(args: Args) -> ExitCode {
    let loaded = match super::load(&args.site, Format::Human) {
        Ok(loaded) => loaded,
        Err(code) => return code,
    };
    print!("{}", picture(&loaded.compiled.graph, args.format));
    ExitCode::SUCCESS
}

pub fn picture(graph: &crate::graph::Graph, format: Picture) -> String {
    match format {
        Picture::Dot => crate::graph::dot(graph),
        Picture::Mermaid => crate::graph::mermaid(graph),
    }
}
