//! The dependency graph as a Mermaid flowchart, which GitHub draws in Markdown.

use super::picture::{clusters, edges, label_lines};
use super::Graph;
use petgraph::graph::NodeIndex;
use std::fmt::Write;

/// An arrow points from a vertex to what must be installed before it; `BT` draws the lowest
/// waves at the bottom.
pub fn mermaid(graph: &Graph) -> String {
    let mut text = String::from("flowchart BT\n");
    for cluster in clusters(graph) {
        let _ = writeln!(
            text,
            "    subgraph cluster_{}[\"{}\"]",
            id(cluster.id),
            escape(&cluster.title)
        );
        for index in cluster.members {
            let [head, wave] = label_lines(graph, index);
            let _ = writeln!(
                text,
                "        {}[\"{}<br/>{}\"]",
                vertex_id(graph, index),
                escape(&head),
                escape(&wave)
            );
        }
        text.push_str("    end\n");
    }
    for (from, to, edge) in edges(graph) {
        let _ = writeln!(
            text,
            "    {} -->|\"{}\"| {}",
            vertex_id(graph, from),
            escape(&edge.reason),
            vertex_id(graph, to)
        );
    }
    text
}

/// Names are DNS labels, so `kind_name` with `-` made `_` is unique and a valid Mermaid id;
/// the kind keeps an app apart from a component of the same name.
fn vertex_id(graph: &Graph, index: NodeIndex) -> String {
    let v = graph.vertex(index);
    id(&format!("{}_{}", v.kind.as_str(), v.name))
}

fn id(name: &str) -> String {
    name.replace('-', "_")
}

/// Text inside a quoted Mermaid label: quotes and the characters Mermaid reads as markup
/// become entity codes.
fn escape(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        match c {
            '"' => out.push_str("#quot;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            c => out.push(c),
        }
    }
    out
}
