//! Line-by-line comparison of text files (node scripts), by longest common subsequence; the
//! same edit script matches the items of unnamed lists. Scripts are a few hundred lines, so
//! the quadratic table costs nothing worth optimising.

/// One line removed (`-`) or added (`+`), with its 1-based number in the old or new file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LineChange {
    Removed { line: usize, text: String },
    Added { line: usize, text: String },
}

pub fn diff(old: &str, new: &str) -> Vec<LineChange> {
    let a: Vec<&str> = old.lines().collect();
    let b: Vec<&str> = new.lines().collect();
    edits(&a, &b)
        .into_iter()
        .map(|edit| match edit {
            Edit::Removed(i) => LineChange::Removed {
                line: i + 1,
                text: a[i].to_string(),
            },
            Edit::Added(j) => LineChange::Added {
                line: j + 1,
                text: b[j].to_string(),
            },
        })
        .collect()
}

/// An item of `a` (by index) that is not in `b`, or one of `b` that is not in `a`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edit {
    Removed(usize),
    Added(usize),
}

/// The shortest list of removals and additions turning `a` into `b`, removals first where
/// both are possible (the way unified diffs read).
pub fn edits<T: PartialEq>(a: &[T], b: &[T]) -> Vec<Edit> {
    // the common prefix and suffix are the usual case, and keep the table small
    let prefix = a.iter().zip(b).take_while(|(x, y)| x == y).count();
    let suffix = a[prefix..]
        .iter()
        .rev()
        .zip(b[prefix..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    let (x, y) = (&a[prefix..a.len() - suffix], &b[prefix..b.len() - suffix]);
    // lcs[i][j]: length of the longest common subsequence of x[i..] and y[j..]
    let mut lcs = vec![vec![0usize; y.len() + 1]; x.len() + 1];
    for i in (0..x.len()).rev() {
        for j in (0..y.len()).rev() {
            lcs[i][j] = if x[i] == y[j] {
                lcs[i + 1][j + 1] + 1
            } else {
                lcs[i + 1][j].max(lcs[i][j + 1])
            };
        }
    }
    let mut edits = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < x.len() || j < y.len() {
        if i < x.len() && j < y.len() && x[i] == y[j] {
            i += 1;
            j += 1;
        } else if i < x.len() && (j == y.len() || lcs[i + 1][j] >= lcs[i][j + 1]) {
            edits.push(Edit::Removed(prefix + i));
            i += 1;
        } else {
            edits.push(Edit::Added(prefix + j));
            j += 1;
        }
    }
    edits
}
