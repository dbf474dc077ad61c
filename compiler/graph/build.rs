use super::{Edge, Vertex, VertexKind};
use crate::model::{LayerKind, Site, Span};
use crate::stdlib::Catalog;
use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::Direction;
use std::collections::{BTreeMap, BTreeSet};

struct Builder {
    graph: DiGraph<Vertex, Edge>,
    index: BTreeMap<(VertexKind, String), NodeIndex>,
}

impl Builder {
    fn add(&mut self, kind: VertexKind, name: &str, layer: Option<LayerKind>, span: Span) {
        let key = (kind, name.to_string());
        if !self.index.contains_key(&key) {
            let index = self.graph.add_node(Vertex {
                kind,
                name: name.to_string(),
                layer,
                span,
            });
            self.index.insert(key, index);
        }
    }

    fn find(&self, name: &str) -> Option<NodeIndex> {
        [VertexKind::Component, VertexKind::App, VertexKind::Database]
            .iter()
            .find_map(|k| self.index.get(&(*k, name.to_string())).copied())
    }

    fn edge(&mut self, from: (VertexKind, &str), to: &str, reason: String, span: Span) {
        let (Some(&a), Some(b)) = (self.index.get(&(from.0, from.1.to_string())), self.find(to))
        else {
            return; // an absent optional dependency: nothing to order against
        };
        if !self.graph.contains_edge(a, b) {
            self.graph.add_edge(a, b, Edge { reason, span });
        }
    }
}

pub fn build(site: &Site, catalog: &Catalog) -> DiGraph<Vertex, Edge> {
    let mut b = Builder {
        graph: DiGraph::new(),
        index: BTreeMap::new(),
    };
    for layer in &site.layers {
        for c in &layer.components {
            let kind = Some(layer.kind.value);
            b.add(VertexKind::Component, c.name.as_str(), kind, c.name.span);
        }
    }
    let components: Vec<_> = site.layers.iter().flat_map(|l| &l.components).collect();
    for db in &site.databases {
        b.add(VertexKind::Database, db.name.as_str(), None, db.name.span);
    }
    for app in &site.apps {
        b.add(VertexKind::App, app.name.as_str(), None, app.name.span);
    }
    let has = |name: &str| components.iter().any(|c| c.name.as_str() == name);
    for c in &components {
        let Some(def) = catalog.get(c.name.as_str()) else {
            continue;
        };
        for dep in def.requires.iter().chain(&def.after) {
            b.edge(
                (VertexKind::Component, c.name.as_str()),
                dep,
                format!("stdlib: {} installs after {dep}", def.name),
                c.name.span,
            );
        }
    }
    let cni: Vec<&str> = components
        .iter()
        .filter(|c| {
            catalog
                .get(c.name.as_str())
                .is_some_and(|d| d.layer == LayerKind::Cni)
        })
        .map(|c| c.name.as_str())
        .collect();
    for db in &site.databases {
        let me = (VertexKind::Database, db.name.as_str());
        for net in &cni {
            b.edge(me, net, "pods need the network".into(), db.name.span);
        }
        if let Some(provider) = components.iter().find(|c| {
            catalog
                .get(c.name.as_str())
                .and_then(|d| d.storage_class.as_deref())
                == Some(db.storage.class.as_str())
        }) {
            b.edge(
                me,
                provider.name.as_str(),
                format!("its volume uses storage class {}", db.storage.class),
                db.storage.class.span,
            );
        }
        // its namespace has sidecar injection, so the mesh must be up before its pods start
        if has("istio") {
            b.edge(
                me,
                "istio",
                "its pods get an Istio sidecar".into(),
                db.name.span,
            );
        }
        if db.secret.is_some() && has("sealed-secrets") {
            b.edge(
                me,
                "sealed-secrets",
                "its credentials are sealed secrets".into(),
                db.name.span,
            );
        }
    }
    for app in &site.apps {
        let me = (VertexKind::App, app.name.as_str());
        for net in &cni {
            b.edge(me, net, "pods need the network".into(), app.name.span);
        }
        if has("istio") {
            b.edge(
                me,
                "istio",
                "its pods get an Istio sidecar".into(),
                app.name.span,
            );
        }
        if let Some(canary) = &app.canary {
            b.edge(
                me,
                "argo-rollouts",
                "it is delivered by canary".into(),
                canary.span,
            );
            if let Some(analysis) = &canary.analysis {
                b.edge(
                    me,
                    "prometheus",
                    "its canary analysis queries Prometheus".into(),
                    analysis.span,
                );
            }
        }
        // the Instrumentation is a custom resource of the operator's CRD, and the operator's
        // webhook must be up to inject the agent when the app's pods are created
        if let Some(language) = &app.instrument {
            b.edge(
                me,
                "otel",
                "it is auto-instrumented by the OpenTelemetry operator".into(),
                language.span,
            );
        }
        // `uses … env=` reads the database's secret too
        let uses_secrets = !app.secrets.is_empty()
            || app
                .environment(site)
                .iter()
                .any(|e| matches!(e.source, crate::model::EnvSource::Secret { .. }));
        if uses_secrets && has("sealed-secrets") {
            b.edge(
                me,
                "sealed-secrets",
                "it reads sealed secrets".into(),
                app.name.span,
            );
        }
        for used in &app.uses {
            b.edge(
                me,
                used.target.as_str(),
                format!("{} uses {}", app.name, used.target),
                used.span,
            );
        }
    }
    b.graph
}

/// Install order (Kahn's algorithm, ties broken by kind and name so that the order is stable)
/// and each vertex's wave. The graph must be acyclic.
pub fn levels(
    graph: &DiGraph<Vertex, Edge>,
) -> (Vec<NodeIndex>, BTreeMap<(VertexKind, String), u32>) {
    let key = |i: NodeIndex| (graph[i].kind, graph[i].name.clone(), i);
    let mut pending: BTreeMap<NodeIndex, usize> = graph
        .node_indices()
        .map(|i| (i, graph.neighbors_directed(i, Direction::Outgoing).count()))
        .collect();
    let mut wave: BTreeMap<NodeIndex, u32> = BTreeMap::new();
    let mut ready: BTreeSet<(u32, VertexKind, String, NodeIndex)> = pending
        .iter()
        .filter(|(_, n)| **n == 0)
        .map(|(i, _)| {
            let (k, name, i) = key(*i);
            (0, k, name, i)
        })
        .collect();
    let mut order = Vec::with_capacity(graph.node_count());
    while let Some(next) = ready.pop_first() {
        let (level, _, _, index) = next;
        wave.insert(index, level);
        order.push(index);
        for dependant in graph.neighbors_directed(index, Direction::Incoming) {
            let left = pending
                .get_mut(&dependant)
                .expect("every vertex is counted");
            *left -= 1;
            if *left == 0 {
                let level = graph
                    .neighbors_directed(dependant, Direction::Outgoing)
                    .map(|d| wave[&d] + 1)
                    .max()
                    .unwrap_or(0);
                let (k, name, i) = key(dependant);
                ready.insert((level, k, name, i));
            }
        }
    }
    let waves = wave
        .into_iter()
        .map(|(i, w)| ((graph[i].kind, graph[i].name.clone()), w))
        .collect();
    (order, waves)
}
