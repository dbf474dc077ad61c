//! Phase 4: the dependency graph of components, apps and databases (petgraph). Gives the
//! install order and the Argo CD sync waves, and reports cycles with every member's span.

mod build;
mod cycles;
mod dot;
mod mermaid;
mod picture;

pub use dot::dot;
pub use mermaid::mermaid;

use crate::diag::Error;
use crate::model::{LayerKind, Site, Span};
use crate::stdlib::Catalog;
use petgraph::graph::{DiGraph, NodeIndex};
use std::collections::BTreeMap;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum VertexKind {
    Component,
    Database,
    App,
}

impl VertexKind {
    pub fn as_str(self) -> &'static str {
        match self {
            VertexKind::Component => "component",
            VertexKind::Database => "database",
            VertexKind::App => "app",
        }
    }
}

#[derive(Debug, Clone)]
pub struct Vertex {
    pub kind: VertexKind,
    pub name: String,
    /// The layer a component is declared in (which the checker holds to its stdlib layer);
    /// `None` for apps and databases.
    pub layer: Option<LayerKind>,
    pub span: Span,
}

/// `from` depends on `to`: `to` is installed first, for the reason given.
#[derive(Debug, Clone)]
pub struct Edge {
    pub reason: String,
    pub span: Span,
}

#[derive(Debug)]
pub struct Graph {
    pub graph: DiGraph<Vertex, Edge>,
    /// Vertices in install order: by wave, then kind, then name.
    pub order: Vec<NodeIndex>,
    wave: BTreeMap<(VertexKind, String), u32>,
}

impl Graph {
    /// The sync wave of a vertex: 0 for what depends on nothing, else one more than the
    /// highest wave it depends on.
    pub fn wave(&self, kind: VertexKind, name: &str) -> u32 {
        self.wave
            .get(&(kind, name.to_string()))
            .copied()
            .unwrap_or(0)
    }

    pub fn vertex(&self, index: NodeIndex) -> &Vertex {
        &self.graph[index]
    }
}

/// Builds the graph of a checked site; a cycle is reported as a diagnostic.
pub fn graph(site: &Site, catalog: &Catalog) -> Result<Graph, Vec<Error>> {
    let graph = build::build(site, catalog);
    let cycles = cycles::find(&graph);
    if !cycles.is_empty() {
        return Err(cycles);
    }
    let (order, wave) = build::levels(&graph);
    Ok(Graph { graph, order, wave })
}
