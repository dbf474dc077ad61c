use super::{Action, Flow};

fn list<T: ToString>(items: &[T], empty: &str) -> String {
    if items.is_empty() {
        return empty.to_string();
    }
    items
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(",")
}

/// The flows as an aligned text table, one flow a line, for `labc flows`. Every pair not listed
/// as `allow` is denied.
pub fn table(flows: &[Flow]) -> String {
    let header = [
        "ACTION", "FROM", "TO", "PORTS", "METHODS", "PATHS", "HOSTS", "WHY",
    ];
    let mut rows: Vec<[String; 8]> = vec![header.map(String::from)];
    for flow in flows {
        let methods: Vec<&str> = flow.methods.iter().map(|m| m.as_str()).collect();
        rows.push([
            match flow.action {
                Action::Allow => "allow".into(),
                Action::Deny => "deny".into(),
            },
            flow.from.to_string(),
            flow.to.to_string(),
            list(&flow.ports, "any"),
            list(&methods, "any"),
            list(&flow.paths, "any"),
            list(&flow.hosts, "any"),
            flow.origin.to_string(),
        ]);
    }
    let mut widths = [0usize; 8];
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let mut text = String::new();
    for row in &rows {
        let mut line = String::new();
        for (i, cell) in row.iter().enumerate() {
            if i + 1 == row.len() {
                line.push_str(cell);
            } else {
                line.push_str(&format!("{cell:<width$}  ", width = widths[i]));
            }
        }
        text.push_str(line.trim_end());
        text.push('\n');
    }
    text.push_str("every other flow is denied (default deny in both directions)\n");
    text
}
