//! What both pictures of the graph show, in the one order they show it: the clusters (a
//! cluster per stdlib layer, bottom up, then one for apps and databases) and the edges.

use super::{Edge, Graph};
use crate::model::LayerKind;
use petgraph::graph::NodeIndex;
use petgraph::visit::EdgeRef;

/// A group of vertices drawn in one box.
pub struct Cluster {
    /// `cni`, `storage`…, or `apps`: unique, and usable in an identifier.
    pub id: &'static str,
    pub title: String,
    /// In install order.
    pub members: Vec<NodeIndex>,
}

/// The clusters in drawing order; empty layers are left out.
pub fn clusters(graph: &Graph) -> Vec<Cluster> {
    let mut layers: std::collections::BTreeMap<Option<LayerKind>, Vec<NodeIndex>> =
        Default::default();
    for &index in &graph.order {
        layers
            .entry(graph.vertex(index).layer)
            .or_default()
            .push(index);
    }
    let mut clusters: Vec<Cluster> = Vec::new();
    let mut apps = None;
    for (layer, members) in layers {
        match layer {
            Some(kind) => clusters.push(Cluster {
                id: kind.as_str(),
                title: format!("layer {}", kind.as_str()),
                members,
            }),
            None => {
                apps = Some(Cluster {
                    id: "apps",
                    title: "apps and databases".into(),
                    members,
                })
            }
        }
    }
    clusters.extend(apps);
    clusters
}

/// Every edge (`from` depends on `to`), by `from` then `to` in install order, so that the
/// picture does not depend on the order the builder added them in.
pub fn edges(graph: &Graph) -> Vec<(NodeIndex, NodeIndex, &Edge)> {
    let position: std::collections::BTreeMap<NodeIndex, usize> = graph
        .order
        .iter()
        .enumerate()
        .map(|(at, index)| (*index, at))
        .collect();
    let mut edges: Vec<_> = graph
        .graph
        .edge_references()
        .map(|e| (e.source(), e.target(), e.weight()))
        .collect();
    edges.sort_by_key(|(from, to, _)| (position[from], position[to]));
    edges
}

/// The label of a vertex: what it is and its name, then its sync wave. The wave shown is the
/// `argocd.argoproj.io/sync-wave` of its first Application, the number a reader finds in
/// `out/`; its further releases take the next waves of the same ten.
pub fn label_lines(graph: &Graph, index: NodeIndex) -> [String; 2] {
    let v = graph.vertex(index);
    let head = match v.layer {
        Some(_) => v.name.clone(),
        None => format!("{} {}", v.kind.as_str(), v.name),
    };
    let wave = i64::from(graph.wave(v.kind, &v.name)) * crate::emit::WAVES_PER_LEVEL;
    [head, format!("sync wave {wave}")]
}
