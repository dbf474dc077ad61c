use super::Error;
use std::sync::{Arc, OnceLock};

/// A file diagnostics point into: its name as the user should see it, and its text.
#[derive(Debug)]
pub struct SourceFile {
    pub name: String,
    pub text: String,
    /// The byte offset where each line starts, made the first time a position is asked for:
    /// the source map asks for one per file of `out/`, which must not cost a scan each.
    line_starts: OnceLock<Vec<usize>>,
}

impl SourceFile {
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Arc<Self> {
        Arc::new(SourceFile {
            name: name.into(),
            text: text.into(),
            line_starts: OnceLock::new(),
        })
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_column(&self, offset: usize) -> (usize, usize) {
        let offset = floor_char_boundary(&self.text, offset.min(self.text.len()));
        let starts = self.line_starts.get_or_init(|| {
            std::iter::once(0)
                .chain(self.text.match_indices('\n').map(|(i, _)| i + 1))
                .collect()
        });
        // the last line starting at or before the offset
        let line = starts.partition_point(|&s| s <= offset);
        let column = self.text[starts[line - 1]..offset].chars().count() + 1;
        (line, column)
    }
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

/// A diagnostic and the file its spans point into.
#[derive(Debug, Clone)]
pub struct Located {
    pub file: Arc<SourceFile>,
    pub error: Error,
}

impl Located {
    pub fn new(file: &Arc<SourceFile>, error: Error) -> Self {
        Located {
            file: Arc::clone(file),
            error,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::SourceFile;

    #[test]
    fn line_and_column_count_lines_and_characters() {
        let file = SourceFile::new("t", "ab\nçd\n\nx");
        assert_eq!(file.line_column(0), (1, 1));
        assert_eq!(file.line_column(2), (1, 3)); // the newline itself
        assert_eq!(file.line_column(3), (2, 1));
        assert_eq!(file.line_column(5), (2, 2)); // after the two-byte ç
        assert_eq!(file.line_column(4), (2, 1)); // inside ç: its start
        assert_eq!(file.line_column(7), (3, 1));
        assert_eq!(file.line_column(8), (4, 1));
        assert_eq!(file.line_column(99), (4, 2)); // past the end: the end
    }
}
