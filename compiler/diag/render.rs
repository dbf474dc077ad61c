//! One renderer per output format. Diagnostics are sorted by file and position first, so that
//! the order is the reading order of the site, whatever order the phases found them in.

use super::Located;
use miette::{Diagnostic, GraphicalReportHandler, GraphicalTheme, NamedSource};
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// Source excerpts with labels, for people.
    Human,
    /// One JSON array, for tools.
    Json,
    /// GitHub Actions workflow commands, which show as annotations on the pull request.
    Github,
}

/// How many diagnostics `Format::Human` prints before it summarises the rest as "and K more".
/// A typo in a shared name can cascade into hundreds of errors; past a screenful the first
/// ones are what to fix, and the rest scroll them out of sight. JSON lists every one.
pub const HUMAN_LIMIT: usize = 20;

/// Rendered diagnostics and the counts the caller reports and decides the exit code on.
pub struct Rendered {
    pub text: String,
    pub errors: usize,
    pub warnings: usize,
}

#[derive(Serialize)]
struct JsonDiagnostic<'a> {
    file: &'a str,
    line: usize,
    column: usize,
    end_line: usize,
    end_column: usize,
    code: String,
    severity: &'static str,
    message: String,
    help: Option<String>,
}

/// Renders all diagnostics. `color` selects the coloured theme; `width` wraps the text.
pub fn render(diagnostics: &mut [Located], format: Format, color: bool, width: usize) -> Rendered {
    diagnostics.sort_by(|a, b| {
        (a.file.name.as_str(), a.error.offset(), a.error.to_string()).cmp(&(
            b.file.name.as_str(),
            b.error.offset(),
            b.error.to_string(),
        ))
    });
    let warnings = diagnostics.iter().filter(|d| d.error.is_warning()).count();
    let errors = diagnostics.len() - warnings;
    let text = match format {
        Format::Human => human(diagnostics, color, width),
        Format::Json => json(diagnostics),
        Format::Github => github(diagnostics),
    };
    Rendered {
        text,
        errors,
        warnings,
    }
}

fn human(diagnostics: &[Located], color: bool, width: usize) -> String {
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(width)
        .with_links(false)
        .with_word_separator(textwrap::WordSeparator::Custom(super::wrap::words))
        .with_word_splitter(textwrap::WordSplitter::NoHyphenation)
        .with_break_words(false);
    let mut out = String::new();
    for located in diagnostics.iter().take(HUMAN_LIMIT) {
        let source = NamedSource::new(located.file.name.clone(), located.file.text.clone());
        let report = miette::Report::new(located.error.clone()).with_source_code(source);
        let diagnostic: &dyn Diagnostic = report.as_ref();
        if handler.render_report(&mut out, diagnostic).is_err() {
            out.push_str(&located.error.to_string());
        }
        out.push('\n');
    }
    if let Some(rest) = diagnostics
        .len()
        .checked_sub(HUMAN_LIMIT)
        .filter(|&n| n > 0)
    {
        out.push_str(&format!(
            "… and {rest} more, not shown (the first {HUMAN_LIMIT} are above; `--format json` lists all)\n"
        ));
    }
    out
}

/// Where the first label of a diagnostic starts and ends: 1-based line and column of each.
fn position(d: &Located) -> ((usize, usize), (usize, usize)) {
    let first = d.error.labels().and_then(|mut l| l.next());
    let (start, end) = first.map_or((0, 0), |l| (l.offset(), l.offset() + l.len()));
    (d.file.line_column(start), d.file.line_column(end))
}

fn json(diagnostics: &[Located]) -> String {
    let items: Vec<JsonDiagnostic> = diagnostics
        .iter()
        .map(|d| {
            let ((line, column), (end_line, end_column)) = position(d);
            JsonDiagnostic {
                file: &d.file.name,
                line,
                column,
                end_line,
                end_column,
                code: d.error.code_str(),
                severity: if d.error.is_warning() {
                    "warning"
                } else {
                    "error"
                },
                message: d.error.to_string(),
                help: d.error.help().map(|h| h.to_string()),
            }
        })
        .collect();
    let mut text = serde_json::to_string_pretty(&items).unwrap_or_else(|_| "[]".into());
    text.push('\n');
    text
}

/// One `::error` or `::warning` workflow command per diagnostic; the help goes on the second
/// line of the message, since an annotation has no field of its own for it.
fn github(diagnostics: &[Located]) -> String {
    let mut out = String::new();
    for d in diagnostics {
        let ((line, col), (end_line, end_column)) = position(d);
        let level = if d.error.is_warning() {
            "warning"
        } else {
            "error"
        };
        let mut message = d.error.to_string();
        if let Some(help) = d.error.help() {
            message.push_str(&format!("\nhelp: {help}"));
        }
        out.push_str(&format!(
            "::{level} file={},line={line},col={col},endLine={end_line},endColumn={end_column},title={}::{}\n",
            github_property(&d.file.name),
            github_property(&d.error.code_str()),
            github_data(&message),
        ));
    }
    out
}

/// The message of a workflow command: the runner decodes `%25`, `%0D` and `%0A`, so these
/// three must be encoded or a newline would end the command.
fn github_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A property value: as the message, and `:` and `,` too, which would end the value.
fn github_property(text: &str) -> String {
    github_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::{github_data, github_property};
    use crate::diag::{Error, Located, SourceFile};

    /// A help longer than the width, with a command and a path in it: every line break falls at
    /// a space outside backticks, so the command and the path can be copied from one line.
    #[test]
    fn help_breaks_only_between_words_outside_code() {
        let file = SourceFile::new("site.kdl", "secret db-credentials-for-the-shop-frontend\n");
        let error = Error::SealedMissing {
            name: "db-credentials-for-the-shop-frontend".into(),
            command: "labc seal db-credentials-for-the-shop-frontend".into(),
            path: "sealed/shop-frontend-with-a-long-namespace/db-credentials-for-the-shop-frontend.yaml".into(),
            span: (7, 36).into(),
        };
        let mut diagnostics = vec![Located::new(&file, error)];
        let text = super::render(&mut diagnostics, super::Format::Human, false, 60).text;
        let help: String = text
            .split_once("help: ")
            .expect("a help")
            .1
            .lines()
            .map(str::trim)
            .collect::<Vec<_>>()
            .join("\n");
        assert!(
            help.contains("`labc seal db-credentials-for-the-shop-frontend`"),
            "{text}"
        );
        assert!(
            help.contains("sealed/shop-frontend-with-a-long-namespace/db-credentials-for-the-shop-frontend.yaml"),
            "{text}"
        );
        assert!(help.lines().count() > 1, "the help wraps at all: {text}");
    }

    #[test]
    fn workflow_commands_escape_what_would_end_them() {
        assert_eq!(github_data("50% of\r\nit: a, b"), "50%25 of%0D%0Ait: a, b");
        assert_eq!(github_property("labc::a,b%\n"), "labc%3A%3Aa%2Cb%25%0A");
    }
}
