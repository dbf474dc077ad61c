use super::Error;
use std::sync::Arc;

/// A file diagnostics point into: its name as the user should see it, and its text.
#[derive(Debug)]
pub struct SourceFile {
    pub name: String,
    pub text: String,
}

impl SourceFile {
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Arc<Self> {
        Arc::new(SourceFile {
            name: name.into(),
            text: text.into(),
        })
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_column(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let before = &self.text[..floor_char_boundary(&self.text, offset)];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
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
