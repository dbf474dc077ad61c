//! `labc diff`, and the summary `labc build --check` prints when `out/` is stale.

use super::{load, Loaded};
use crate::diag::Format;
use crate::diff::{diff, render, DiffFormat};
use crate::out::Staleness;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// The site file; a fresh build of it is the new side unless --to is given
    #[arg(default_value = "site.kdl")]
    site: PathBuf,
    /// The out/ folder; defaults to `out` beside the site file
    #[arg(long)]
    out: Option<PathBuf>,
    /// The old side: a folder, or a git revision whose out/ to read (default: out/ on disk)
    #[arg(long, value_name = "DIR|REV")]
    from: Option<String>,
    /// The new side: a folder, or a git revision whose out/ to read (default: a fresh build)
    #[arg(long, value_name = "DIR|REV")]
    to: Option<String>,
    /// Text for a terminal, Markdown for a pull-request comment
    #[arg(long, value_enum, default_value = "text")]
    format: DiffFormat,
    /// Exit 1 when anything differs, like `git diff --exit-code`
    #[arg(long)]
    exit_code: bool,
}

type Files = BTreeMap<String, Vec<u8>>;

/// A folder if there is one by that name, else a revision of `out_dir` in git.
fn side(spec: &str, out_dir: &Path) -> Result<Files, String> {
    let path = Path::new(spec);
    if path.is_dir() {
        return crate::out::read_dir(path).map_err(|e| e.to_string());
    }
    crate::out::read_git(out_dir, spec)
}

pub fn run(args: Args) -> ExitCode {
    let site_dir = args
        .site
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let out_dir = args.out.clone().unwrap_or_else(|| site_dir.join("out"));
    let new = match &args.to {
        Some(spec) => side(spec, &out_dir),
        None => match load(&args.site, Format::Human) {
            Ok(Loaded { compiled, .. }) => Ok(compiled.files.into_map()),
            Err(code) => return code,
        },
    };
    let old = match &args.from {
        Some(spec) => side(spec, &out_dir),
        None => crate::out::read_dir(&out_dir).map_err(|e| e.to_string()),
    };
    let (old, new) = match (old, new) {
        (Ok(old), Ok(new)) => (old, new),
        (Err(e), _) | (_, Err(e)) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    let found = diff(&old, &new);
    print!("{}", render(&found, args.format));
    if args.exit_code && !found.is_empty() {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// What `build --check` prints under "out/ is stale": the diff of the objects, or, when the
/// objects are the same and only bytes differ (a file reformatted by hand, a missing index),
/// the paths.
pub fn staleness(out_dir: &Path, files: &Files, staleness: &Staleness) -> String {
    if let Ok(old) = crate::out::read_dir(out_dir) {
        let found = diff(&old, files);
        if !found.is_empty() {
            return render(&found, DiffFormat::Text);
        }
    }
    let mut text =
        String::from("no object differs, but these files do not have the bytes labc writes:\n");
    for (sign, paths) in [
        ("+", &staleness.added),
        ("~", &staleness.changed),
        ("-", &staleness.removed),
    ] {
        for path in paths {
            text.push_str(&format!("  {sign} {path}\n"));
        }
    }
    if staleness.index_stale {
        text.push_str(&format!("  ~ {}\n", crate::out::INDEX_NAME));
    }
    if staleness
        .changed
        .iter()
        .any(|p| p == crate::sources::SOURCES_NAME)
    {
        text.push_str(&format!(
            "{} is the source map `labc why` reads: declarations moved in the site file (an \
             edited comment is enough)\n",
            crate::sources::SOURCES_NAME
        ));
    }
    text
}
