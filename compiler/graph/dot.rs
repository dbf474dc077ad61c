//! The dependency graph as Graphviz DOT (`labc graph --format dot | dot -Tsvg`).

use super::picture::{clusters, edges, label_lines};
use super::Graph;
use petgraph::graph::NodeIndex;
use std::fmt::Write;

/// An arrow points from a vertex to what must be installed before it; `rankdir=BT` draws the
/// lowest waves at the bottom, as the layers are stacked in the seed's architecture.
pub fn dot(graph: &Graph) -> String {
    let mut text = String::from(
        "digraph labc {\n    rankdir=BT;\n    node [shape=box, fontname=\"sans-serif\"];\n    \
         edge [fontname=\"sans-serif\", fontsize=10];\n",
    );
    for cluster in clusters(graph) {
        let _ = writeln!(text, "    subgraph cluster_{} {{", id(cluster.id));
        let _ = writeln!(text, "        label={};", quote(&cluster.title));
        for index in cluster.members {
            let [head, wave] = label_lines(graph, index);
            let _ = writeln!(
                text,
                "        {} [label={}];",
                vertex_id(graph, index),
                quote(&format!("{head}\n{wave}"))
            );
        }
        text.push_str("    }\n");
    }
    for (from, to, edge) in edges(graph) {
        let _ = writeln!(
            text,
            "    {} -> {} [label={}];",
            vertex_id(graph, from),
            vertex_id(graph, to),
            quote(&edge.reason)
        );
    }
    text.push_str("}\n");
    text
}

fn vertex_id(graph: &Graph, index: NodeIndex) -> String {
    let v = graph.vertex(index);
    quote(&format!("{}:{}", v.kind.as_str(), v.name))
}

fn id(name: &str) -> String {
    name.replace('-', "_")
}

/// A DOT string: quotes and backslashes escaped, a newline as DOT's centred line break.
fn quote(text: &str) -> String {
    let mut out = String::from("\"");
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}
