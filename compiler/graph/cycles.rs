use super::{Edge, Vertex};
use crate::diag::Error;
use miette::LabeledSpan;
use petgraph::algo::tarjan_scc;
use petgraph::graph::{DiGraph, NodeIndex};
use std::collections::BTreeSet;

/// One diagnostic per strongly connected component that contains a cycle, naming its members
/// in cycle order, each edge labelled where the site declared it.
pub fn find(graph: &DiGraph<Vertex, Edge>) -> Vec<Error> {
    let mut errors = Vec::new();
    for scc in tarjan_scc(graph) {
        let members: BTreeSet<NodeIndex> = scc.iter().copied().collect();
        let self_loop = scc.len() == 1 && graph.contains_edge(scc[0], scc[0]);
        if scc.len() < 2 && !self_loop {
            continue;
        }
        // start from the smallest name so that the message is stable
        let start = *scc
            .iter()
            .min_by_key(|i| &graph[**i].name)
            .expect("non-empty");
        let path = walk(graph, start, &members);
        let mut labels = Vec::new();
        let mut names = Vec::new();
        for pair in path.windows(2) {
            let edge = graph
                .find_edge(pair[0], pair[1])
                .expect("walked along edges");
            names.push(graph[pair[0]].name.clone());
            labels.push(LabeledSpan::new_with_span(
                Some(graph[edge].reason.clone()),
                graph[edge].span,
            ));
        }
        names.push(graph[start].name.clone());
        errors.push(Error::DependencyCycle {
            path: names.join(" → "),
            members: labels,
        });
    }
    errors
}

/// A closed walk from `start` back to it inside the component (depth-first, smallest names
/// first), as a vertex list that begins and ends with `start`.
fn walk(
    graph: &DiGraph<Vertex, Edge>,
    start: NodeIndex,
    members: &BTreeSet<NodeIndex>,
) -> Vec<NodeIndex> {
    let mut path = vec![start];
    let mut seen = BTreeSet::from([start]);
    fn dfs(
        graph: &DiGraph<Vertex, Edge>,
        at: NodeIndex,
        start: NodeIndex,
        members: &BTreeSet<NodeIndex>,
        path: &mut Vec<NodeIndex>,
        seen: &mut BTreeSet<NodeIndex>,
    ) -> bool {
        let mut next: Vec<NodeIndex> = graph
            .neighbors(at)
            .filter(|n| members.contains(n))
            .collect();
        next.sort_by_key(|n| graph[*n].name.clone());
        for n in next {
            if n == start {
                path.push(n);
                return true;
            }
            if seen.insert(n) {
                path.push(n);
                if dfs(graph, n, start, members, path, seen) {
                    return true;
                }
                path.pop();
            }
        }
        false
    }
    dfs(graph, start, start, members, &mut path, &mut seen);
    path
}
