//! `labc why PATH`: where a file of `out/` was declared in the site file, and the stdlib file it
//! was rendered from. It reads `out/sources.tsv` (see `sources/`) instead of compiling, so it
//! answers on any checkout, and refuses a map older than the site file rather than point at
//! lines that have moved.

use crate::sources::{site_hash, Entry, SourceMap, SOURCES_NAME};
use serde::Serialize;
use std::fmt::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// How many lines of a declaration to show; an app's block can be long.
const SNIPPET_LINES: usize = 8;

#[derive(Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum WhyFormat {
    /// The place, the declaration and a snippet of it
    Text,
    /// One object per file, for editors and scripts
    Json,
}

#[derive(clap::Args)]
pub struct Args {
    /// A file of out/ (`out/apps/was/rollout-was.yaml`, or relative to out/), or an object as
    /// `KIND/NAME` or `NAMESPACE/KIND/NAME` (`Rollout/was`, `blog/Service/was`)
    target: String,
    /// The out/ folder whose source map to read
    #[arg(long, default_value = "out")]
    out: PathBuf,
    /// The site file; defaults to the one the map names, beside out/
    #[arg(long)]
    site: Option<PathBuf>,
    /// How to print the answer
    #[arg(long, value_enum, default_value = "text")]
    format: WhyFormat,
}

pub fn run(args: Args) -> ExitCode {
    let map_path = args.out.join(SOURCES_NAME);
    let text = match std::fs::read_to_string(&map_path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            eprintln!(
                "error: {} has no source map ({SOURCES_NAME}); run `labc build` to write it",
                args.out.display()
            );
            return ExitCode::from(1);
        }
        Err(e) => return super::io_error("read", &map_path, e),
    };
    let map = match SourceMap::parse(&text) {
        Ok(map) => map,
        Err(e) => {
            eprintln!(
                "error: {} is not a source map labc wrote ({e}); run `labc build` to rewrite it",
                map_path.display()
            );
            return ExitCode::from(2);
        }
    };
    let site = args.site.clone().unwrap_or_else(|| {
        let parent = args.out.parent().unwrap_or(Path::new(""));
        parent.join(&map.site)
    });
    // the map is only as good as the site it was built from: moved lines would mislead
    // bounded like every read of a site: a site over the limit was never built, so its hash
    // cannot match the map's
    let bytes = super::read::read_site(&site).and_then(|read| match read {
        super::read::Site::Bytes(bytes) => Ok(bytes),
        super::read::Site::TooLarge(located) => {
            Err(std::io::Error::other(located.error.to_string()))
        }
    });
    let source = match bytes {
        Ok(bytes) if site_hash(&bytes) != map.sha256 => {
            eprintln!(
                "error: {} was built from another version of {}; run `labc build` to bring it up \
                 to date",
                map_path.display(),
                site.display()
            );
            return ExitCode::from(1);
        }
        Ok(bytes) => Some(String::from_utf8_lossy(&bytes).into_owned()),
        Err(e) => {
            eprintln!(
                "warning: cannot read {} ({e}), so the map cannot be checked against it",
                site.display()
            );
            None
        }
    };
    let rel = relative(&args.target, &args.out);
    if rel == crate::out::INDEX_NAME || rel == SOURCES_NAME {
        eprintln!(
            "{}/{rel} is labc's own record of every other file of out/; it has no declaration",
            args.out.display()
        );
        return ExitCode::SUCCESS;
    }
    let found: Vec<&Entry> = match map.get(&rel) {
        Some(entry) => vec![entry],
        None => objects(&map, &args.target, &args.out),
    };
    if found.is_empty() {
        eprintln!(
            "error: `{}` is not a file labc wrote in {}{}",
            args.target,
            args.out.display(),
            suggest(&map, &rel, &args.out)
        );
        return ExitCode::from(2);
    }
    match args.format {
        WhyFormat::Json => print!("{}", json(&map, &found, &args.out)),
        WhyFormat::Text => {
            for (i, entry) in found.iter().enumerate() {
                if i > 0 {
                    println!();
                }
                print!("{}", text_answer(&map, entry, &args.out, source.as_deref()));
            }
        }
    }
    ExitCode::SUCCESS
}

/// The target as a path relative to `out/`: `out/x`, `./out/x`, an absolute path into `out/`,
/// or already relative to it.
fn relative(target: &str, out: &Path) -> String {
    let path = Path::new(target);
    let canonical = |p: &Path| std::fs::canonicalize(p).ok();
    let stripped = path
        .strip_prefix(out)
        .ok()
        .map(Path::to_path_buf)
        .or_else(|| {
            let (full, out) = (canonical(path)?, canonical(out)?);
            full.strip_prefix(out).ok().map(Path::to_path_buf)
        });
    let rel = stripped.unwrap_or_else(|| path.to_path_buf());
    let rel = rel.to_string_lossy().replace('\\', "/");
    rel.trim_start_matches("./").to_string()
}

/// `KIND/NAME` or `NAMESPACE/KIND/NAME`: the files named `<kind>-<name>.yaml`, and with a
/// namespace only those whose object is in it.
fn objects<'m>(map: &'m SourceMap, target: &str, out: &Path) -> Vec<&'m Entry> {
    let parts: Vec<&str> = target.split('/').collect();
    let (namespace, kind, name) = match parts[..] {
        [kind, name] => (None, kind, name),
        [namespace, kind, name] => (Some(namespace), kind, name),
        _ => return Vec::new(),
    };
    if kind.is_empty() || name.is_empty() {
        return Vec::new();
    }
    let file = format!("{}-{name}.yaml", kind.to_ascii_lowercase());
    map.entries
        .iter()
        .filter(|e| e.path.rsplit('/').next() == Some(file.as_str()))
        .filter(|e| namespace.is_none_or(|ns| namespace_of(&out.join(&e.path)) == Some(ns.into())))
        .collect()
}

/// `metadata.namespace` of the object in a file of `out/`, if it has one.
fn namespace_of(path: &Path) -> Option<String> {
    let text = std::fs::read_to_string(path).ok()?;
    let value: serde_yaml::Value = serde_yaml::from_str(&text).ok()?;
    Some(
        value
            .get("metadata")?
            .get("namespace")?
            .as_str()?
            .to_string(),
    )
}

fn suggest(map: &SourceMap, rel: &str, out: &Path) -> String {
    let paths = map.entries.iter().map(|e| e.path.as_str());
    if let Some(near) = crate::diag::Suggestion::new(rel, paths).nearest() {
        return format!("; did you mean `{near}`?");
    }
    // an object form with a typo: compare with the `kind/name` of every file
    let objects: Vec<String> = map
        .entries
        .iter()
        .filter_map(|e| {
            let file = e.path.rsplit('/').next()?.strip_suffix(".yaml")?;
            let (kind, name) = file.split_once('-')?;
            Some(format!("{kind}/{name}"))
        })
        .collect();
    let lower = rel.to_ascii_lowercase();
    match crate::diag::Suggestion::new(&lower, objects.iter().map(String::as_str)).nearest() {
        Some(near) => format!("; did you mean `{near}`?"),
        None => format!("; {} lists every file", out.join(SOURCES_NAME).display()),
    }
}

fn text_answer(map: &SourceMap, e: &Entry, out: &Path, source: Option<&str>) -> String {
    let mut text = format!(
        "{}:{}:{}  {}\n  writes {}\n",
        map.site,
        e.line,
        e.column,
        e.declaration,
        out.join(&e.path).display()
    );
    if let Some(origin) = &e.origin {
        let _ = writeln!(text, "  from {origin}");
    }
    if let Some(snippet) = source.and_then(|s| snippet(s, e)) {
        text.push('\n');
        text.push_str(&snippet);
    }
    text
}

/// The lines of the declaration, numbered, underlined when it fits on one line.
fn snippet(source: &str, e: &Entry) -> Option<String> {
    let declared = source.get(e.start..e.end)?;
    let line_start = source[..e.start].rfind('\n').map_or(0, |i| i + 1);
    let first = e.line;
    let lines: Vec<&str> = source[line_start..e.end].trim_end().lines().collect();
    // the map is a file anyone can edit: a line number near usize::MAX must not overflow
    let width = first.saturating_add(lines.len()).to_string().len();
    let mut text = String::new();
    for (i, line) in lines.iter().take(SNIPPET_LINES).enumerate() {
        let _ = writeln!(text, "{:>width$} │ {line}", first.saturating_add(i));
    }
    if lines.len() == 1 && !declared.contains('\n') {
        let pad = source[line_start..e.start].chars().count();
        let mark = declared.chars().count().max(1);
        let _ = writeln!(
            text,
            "{:>width$} │ {}{}",
            "",
            " ".repeat(pad),
            "^".repeat(mark)
        );
    }
    if lines.len() > SNIPPET_LINES {
        let _ = writeln!(
            text,
            "{:>width$} │ … {} more lines",
            "",
            lines.len() - SNIPPET_LINES
        );
    }
    Some(text)
}

#[derive(Serialize)]
struct Answer<'a> {
    path: String,
    site: &'a str,
    line: usize,
    column: usize,
    start: usize,
    end: usize,
    declaration: &'a str,
    origin: Option<&'a str>,
}

fn json(map: &SourceMap, found: &[&Entry], out: &Path) -> String {
    let answers: Vec<Answer> = found
        .iter()
        .map(|e| Answer {
            path: out.join(&e.path).display().to_string(),
            site: &map.site,
            line: e.line,
            column: e.column,
            start: e.start,
            end: e.end,
            declaration: &e.declaration,
            origin: e.origin.as_deref(),
        })
        .collect();
    let mut text = serde_json::to_string_pretty(&answers).unwrap_or_default();
    text.push('\n');
    text
}
