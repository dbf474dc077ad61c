//! The command line: argument parsing, reading the site, printing diagnostics and exit codes.
//! Exit codes: 0 success, 1 diagnostics with errors or a stale `out/`, 2 usage or I/O errors.
//! `build`, `check` and `flows` share the path below; every other subcommand lives in its own
//! module under `cli/`, with its arguments.

mod completions;
mod diff;
mod explain;
mod fmt;
mod graph;
mod init;
mod inputs;
mod noop;
pub(crate) mod read;
mod repo;
mod verify;
mod why;

use crate::diag::{render, Format, Located};
use crate::stdlib::Catalog;
use clap::{Parser, Subcommand};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

const EXAMPLES: &str = "\
Examples:
  labc init lab                   write a starter lab/site.kdl that builds as it is
  labc build                      compile ./site.kdl into ./out
  labc build --check              fail if the committed out/ is not what site.kdl compiles to
  labc build sites/lab.kdl --out /tmp/out
  labc check --format json        diagnostics as JSON, for editors and CI
  labc build --check --format github   diagnostics as GitHub Actions annotations
  labc fmt --check                exit 1 if site.kdl is not laid out canonically
  labc flows                      who may talk to whom, as the emitted policies allow it
  labc diff --format markdown     what this change does to out/, for a pull-request comment
  labc diff --from origin/main    compare with out/ as committed on main
  labc explain cors_without_options   what a diagnostic means, with an example
  labc graph --format mermaid     the dependency graph, layers and sync waves, for Markdown
  labc why out/apps/was/rollout-was.yaml   the declaration in site.kdl a file comes from
  labc verify --charts ~/charts   render out/ as Argo CD would and check every contract";

#[derive(Parser)]
#[command(name = "labc", version, about = "Compile a bare-metal Kubernetes site (site.kdl) into a GitOps out/ tree", after_help = EXAMPLES)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Print no warnings, only errors (the exit code never depends on warnings)
    #[arg(long, short, global = true)]
    quiet: bool,
}

/// Set once from `--quiet` before any command runs; `report` drops warnings when it is set.
static QUIET: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

#[derive(Subcommand)]
enum Command {
    /// Check the site and write out/ (atomically; nothing is written on any error)
    #[command(after_help = EXAMPLES)]
    Build {
        /// The site file
        #[arg(default_value = "site.kdl")]
        site: PathBuf,
        /// Where to write; defaults to `out` beside the site file
        #[arg(long)]
        out: Option<PathBuf>,
        /// Write nothing; exit 1 if out/ differs from what the site compiles to
        #[arg(long)]
        check: bool,
        /// How to print diagnostics
        #[arg(long, value_enum, default_value = "human")]
        format: Format,
    },
    /// Check the site and print its diagnostics; writes nothing
    Check {
        /// The site file
        #[arg(default_value = "site.kdl")]
        site: PathBuf,
        /// How to print diagnostics
        #[arg(long, value_enum, default_value = "human")]
        format: Format,
    },
    /// Print who may talk to whom, on which ports, methods and paths; writes nothing
    Flows {
        /// The site file
        #[arg(default_value = "site.kdl")]
        site: PathBuf,
    },
    /// Compare a fresh build (or a folder, or a git revision) with out/, object by object
    Diff(diff::Args),
    /// Explain a diagnostic code, with an example of the mistake and its fix
    Explain(explain::Args),
    /// Seal secret values (from stdin or the environment) into sealed/<namespace>/<name>.yaml
    Seal(crate::seal::SealArgs),
    /// Lay out site.kdl canonically, keeping every comment
    Fmt(fmt::Args),
    /// Print the dependency graph (layers, sync waves, why each edge exists) as DOT or Mermaid
    Graph(graph::Args),
    /// Write a starter site.kdl that builds as it is (never overwrites one)
    Init(init::Args),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell)
    Completions(completions::Args),
    /// Say where a file or object of out/ was declared in site.kdl, and its stdlib origin
    Why(why::Args),
    /// Render every Application of out/ as Argo CD would and check the contracts between them
    Verify(verify::Args),
}

/// What a command does once the site has compiled.
enum Then {
    Write,
    CheckOut,
    Nothing,
    PrintFlows,
}

fn color() -> bool {
    std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stderr().is_terminal()
}

/// A site that compiled, its warnings already printed.
struct Loaded {
    compiled: crate::Compiled,
    /// The site file as the user named it.
    name: String,
    site_dir: PathBuf,
    /// What it was compiled from, for a command that compiles it again (`verify`).
    bytes: Vec<u8>,
    catalog: Catalog,
    sealed: Vec<crate::secrets::SealedFile>,
}

/// Reads and compiles a site with its own components, printing its diagnostics in `format`.
/// On errors, the exit code to return.
fn load(site: &Path, format: Format) -> Result<Loaded, ExitCode> {
    let mut loaded = load_keeping_warnings(site, format)?;
    report(std::mem::take(&mut loaded.compiled.warnings), format);
    Ok(loaded)
}

/// `load`, leaving the warnings in `compiled.warnings` for the caller to print with what it
/// finds itself (`build --check`: the stray files of `out/`; `verify`: the broken contracts), as
/// one list: JSON is one array.
fn load_keeping_warnings(site: &Path, format: Format) -> Result<Loaded, ExitCode> {
    compile_inputs(inputs::read(site, format)?, format)
}

/// Compiles what `inputs::read` read, printing the diagnostics that stop it in `format`;
/// warnings are left in `compiled.warnings`.
fn compile_inputs(inputs: inputs::Inputs, format: Format) -> Result<Loaded, ExitCode> {
    let name = inputs.site.display().to_string();
    // the catalog (the stdlib's components and the site's own) is built while the site is parsed
    let (catalog, parsed) = std::thread::scope(|scope| {
        let catalog = scope.spawn(|| catalog(&inputs.components, &inputs.crds));
        let parsed = crate::syntax::parse(&name, &inputs.bytes);
        let catalog = catalog
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (catalog, parsed)
    });
    let catalog = match catalog {
        Ok(catalog) => catalog,
        Err(diagnostics) => {
            report(diagnostics, format);
            return Err(ExitCode::from(1));
        }
    };
    let sealed = inputs.sealed.map_err(|e| {
        eprintln!("error: {e}");
        ExitCode::from(2)
    })?;
    let compiled = match crate::compile_parsed(parsed, &catalog, &sealed) {
        Ok(compiled) => compiled,
        Err(diagnostics) => {
            report(diagnostics, format);
            return Err(ExitCode::from(1));
        }
    };
    Ok(Loaded {
        compiled,
        name,
        site_dir: inputs.site_dir,
        bytes: inputs.bytes,
        catalog,
        sealed,
    })
}

/// Prints diagnostics; returns whether any was an error.
fn report(diagnostics: Vec<Located>, format: Format) -> bool {
    report_then(diagnostics, format, "nothing was written")
}

/// `report`, saying `outcome` after the count of errors. With `--quiet`, warnings are neither
/// printed nor counted.
fn report_then(diagnostics: Vec<Located>, format: Format, outcome: &str) -> bool {
    let quiet = QUIET.load(std::sync::atomic::Ordering::Relaxed);
    let (printed, errors) = printed(diagnostics, format, color(), quiet, outcome);
    printed.print();
    errors
}

/// What printing diagnostics writes: JSON and the runner's workflow commands go to stdout,
/// what people read to stderr.
#[derive(Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
struct Printed {
    stdout: String,
    stderr: String,
}

impl Printed {
    fn print(&self) {
        print!("{}", self.stdout);
        eprint!("{}", self.stderr);
    }
}

/// `diagnostics` as `report_then` prints them, and whether any is an error.
fn printed(
    mut diagnostics: Vec<Located>,
    format: Format,
    color: bool,
    quiet: bool,
    outcome: &str,
) -> (Printed, bool) {
    if quiet {
        diagnostics.retain(|d| !d.error.is_warning());
    }
    let rendered = render(&mut diagnostics, format, color, 100);
    let mut printed = Printed::default();
    match format {
        Format::Github | Format::Json => printed.stdout = rendered.text,
        Format::Human => printed.stderr = rendered.text,
    }
    if format != Format::Json {
        if let Some(line) = summary(rendered.errors, rendered.warnings, outcome) {
            printed.stderr.push_str(&line);
            printed.stderr.push('\n');
        }
    }
    (printed, rendered.errors > 0)
}

/// The count line after the diagnostics: "3 errors, 1 warning; nothing was written", or
/// "2 warnings" when nothing failed; none when there is nothing to count.
fn summary(errors: usize, warnings: usize, outcome: &str) -> Option<String> {
    let count = |n: usize, what: &str| format!("{n} {what}{}", if n == 1 { "" } else { "s" });
    match (errors, warnings) {
        (0, 0) => None,
        (0, w) => Some(format!("warning: {}", count(w, "warning"))),
        (e, 0) => Some(format!("error: {}; {outcome}", count(e, "error"))),
        (e, w) => Some(format!(
            "error: {}, {}; {outcome}",
            count(e, "error"),
            count(w, "warning")
        )),
    }
}

fn io_error(what: &str, path: &Path, error: impl std::fmt::Display) -> ExitCode {
    eprintln!("error: cannot {what} {}: {error}", path.display());
    ExitCode::from(2)
}

/// The embedded stdlib, overridden by the site's own `components/*.kdl` if it has any, with
/// the site's own `crds/*.yaml` for the component versions it pins itself
/// (`inputs::own_files` reads both).
fn catalog(
    components: &[(String, String)],
    crds: &[(String, String)],
) -> Result<Catalog, Vec<Located>> {
    let own = components.iter().map(|(n, t)| (n.as_str(), t.as_str()));
    let crds = crds.iter().map(|(n, t)| (n.as_str(), t.as_str()));
    let crds = crate::schema::SiteCrds::from_files(crds)?;
    Ok(Catalog::with_own_files(own)?.with_crds(crds))
}

pub fn run() -> ExitCode {
    let cli = Cli::parse();
    QUIET.store(cli.quiet, std::sync::atomic::Ordering::Relaxed);
    let (site, out, then, format) = match cli.command {
        Command::Build {
            site,
            out,
            check,
            format,
        } => (
            site,
            out,
            if check { Then::CheckOut } else { Then::Write },
            format,
        ),
        Command::Check { site, format } => (site, None, Then::Nothing, format),
        Command::Flows { site } => (site, None, Then::PrintFlows, Format::Human),
        Command::Diff(args) => return diff::run(args),
        Command::Explain(args) => return explain::run(args),
        Command::Seal(args) => return seal(&args),
        Command::Fmt(args) => return fmt::run(args),
        Command::Graph(args) => return graph::run(args),
        Command::Init(args) => return init::run(args),
        Command::Completions(args) => return completions::run(args),
        Command::Why(args) => return why::run(args),
        Command::Verify(args) => return verify::run(args),
    };
    let inputs = match inputs::read(&site, format) {
        Ok(inputs) => inputs,
        Err(code) => return code,
    };
    let out_dir = out.unwrap_or_else(|| inputs.site_dir.join("out"));
    // `--check` always compiles: it is the gate that must not trust a cache
    let key = match then {
        Then::Write => noop::key(&inputs, &out_dir),
        _ => None,
    };
    if let Some(code) = key
        .as_ref()
        .and_then(|key| noop::replay(&out_dir, key, format))
    {
        return code;
    }
    let Loaded {
        mut compiled, name, ..
    } = match compile_inputs(inputs, format) {
        Ok(loaded) => loaded,
        Err(code) => return code,
    };
    // `build` binds what it prints to the stat record, to print it again on a no-op; the
    // warnings are rendered for that once, and printed from there
    let replay = key.as_ref().map(|_| noop::Replay::of(&compiled, &out_dir));
    let binding = key.zip(replay.as_ref().and_then(noop::Replay::bytes));
    let warnings = std::mem::take(&mut compiled.warnings);
    match &replay {
        Some(replay) if replay.print_warnings(format) => {}
        _ if matches!(then, Then::CheckOut) => compiled.warnings = warnings,
        _ => {
            report(warnings, format);
        }
    }
    match then {
        Then::Nothing => {
            eprintln!("{name}: no errors");
            return ExitCode::SUCCESS;
        }
        Then::PrintFlows => {
            print!("{}", crate::flows::table(&compiled.flows));
            for line in &compiled.default_deny {
                println!("{line}");
            }
            if compiled.quarantine {
                let (label, value) = crate::emit::QUARANTINE;
                println!(
                    "pods Falco Talon labels {label}={value} may not talk to anything, either way (quarantine policies)"
                );
            }
            return ExitCode::SUCCESS;
        }
        Then::Write | Then::CheckOut => {}
    }
    let site_span = compiled.site_span;
    let files = compiled.files.into_map();
    let (repo_files, repo_path) = (compiled.repo_files, compiled.repo_path);
    if matches!(then, Then::CheckOut) {
        let repo = repo::build(&out_dir, &repo_path, &repo_files, true);
        let checked = crate::out::check(&out_dir, &files);
        let mut diagnostics = compiled.warnings;
        if let Ok(staleness) = &checked {
            let found = &staleness.foreign;
            diagnostics.extend(stray_files(&compiled.file, site_span, &out_dir, found));
        }
        report(diagnostics, format);
        return match checked {
            _ if matches!(repo, repo::Outcome::Failed) => ExitCode::from(2),
            Ok(staleness)
                if staleness.is_fresh()
                    && staleness.foreign.is_empty()
                    && matches!(repo, repo::Outcome::Fresh) =>
            {
                up_to_date(&out_dir, files.len());
                ExitCode::SUCCESS
            }
            Ok(staleness) => {
                if !staleness.is_fresh() {
                    let mut err = std::io::stderr().lock();
                    let _ = writeln!(
                        err,
                        "error: {} is stale; run `labc build` and commit the result",
                        out_dir.display()
                    );
                    let _ = write!(err, "{}", diff::staleness(&out_dir, &files, &staleness));
                }
                ExitCode::from(1)
            }
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::from(2)
            }
        };
    }
    let written = match &binding {
        Some((key, payload)) => {
            let binding = crate::out::Binding {
                key: key.key,
                payload,
            };
            crate::out::write_bound(&out_dir, &files, &binding)
        }
        None => crate::out::write(&out_dir, &files),
    };
    if let Ok(report) = &written {
        warn_foreign(&out_dir, &report.foreign);
        // out/ first: a workflow that checks an out/ that failed to be written would only fail
        if let repo::Outcome::Failed = repo::build(&out_dir, &repo_path, &repo_files, false) {
            return ExitCode::from(2);
        }
    }
    match written {
        Ok(report) if report.noop => {
            up_to_date(&out_dir, files.len());
            ExitCode::SUCCESS
        }
        Ok(report) => {
            if let Some(problem) = &report.cleanup {
                // the new out/ is in place; only the old tree could not be removed
                eprintln!("warning: {problem}; the next build removes it");
            }
            eprintln!(
                "wrote {}: {} files ({} written, {} removed, {} unchanged)",
                out_dir.display(),
                files.len(),
                report.written.len(),
                report.removed.len(),
                report.unchanged
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}; {} was left as it was", out_dir.display());
            ExitCode::from(2)
        }
    }
}

/// What `labc build` says when `out_dir` already held what the site compiles to.
fn up_to_date(out_dir: &Path, files: usize) {
    eprintln!("{} is up to date ({files} files)", out_dir.display());
}

/// `labc::out::stray_file` for each file of `out_dir` that labc did not write.
fn stray_files(
    file: &std::sync::Arc<crate::diag::SourceFile>,
    span: miette::SourceSpan,
    out_dir: &Path,
    paths: &[String],
) -> Vec<Located> {
    let out = out_dir.display().to_string();
    paths
        .iter()
        .map(|path| {
            let error = crate::diag::Error::StrayFile {
                out: out.clone(),
                path: path.clone(),
                span,
            };
            Located::new(file, error)
        })
        .collect()
}

/// `labc build` keeps files it did not write (it never deletes them) but says that Argo CD
/// would sync them; `--check` fails on them.
fn warn_foreign(out_dir: &Path, foreign: &[String]) {
    if QUIET.load(std::sync::atomic::Ordering::Relaxed) {
        return;
    }
    let out = out_dir.display();
    for path in foreign {
        eprintln!(
            "warning: {out}/{path} was not written by labc and was kept; Argo CD syncs it like \
             any other file: remove it (`git rm {out}/{path}`) or move it out of {out}/ \
             (`labc explain stray_file`)"
        );
    }
}

/// The page of every diagnostic code (`docs/diagnostics.md`).
pub fn diagnostics_page() -> String {
    explain::page()
}

fn seal(args: &crate::seal::SealArgs) -> ExitCode {
    let site_dir = args
        .site
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let catalog = match inputs::own_files(&site_dir).map(|(own, crds)| catalog(&own, &crds)) {
        Ok(Ok(catalog)) => catalog,
        Ok(Err(diagnostics)) => {
            report(diagnostics, Format::Human);
            return ExitCode::from(1);
        }
        Err(code) => return code,
    };
    match crate::seal::run(args, &catalog) {
        Ok(()) => ExitCode::SUCCESS,
        Err(crate::seal::Failure::Diagnostics(d)) => {
            report(d, Format::Human);
            ExitCode::from(1)
        }
        Err(crate::seal::Failure::Message(m)) => {
            eprintln!("error: {m}; nothing was written");
            ExitCode::from(2)
        }
    }
}

/// The dependency graph of a compiled site as Mermaid, as `labc graph --format mermaid`
/// prints it (`docs/graph.md` shows the seed site's).
pub fn graph_mermaid(compiled: &crate::Compiled) -> String {
    graph::picture(&compiled.graph, graph::Picture::Mermaid)
}

/// For the tests: render diagnostics exactly as `labc check` prints them without colour.
pub fn render_plain(mut diagnostics: Vec<Located>) -> String {
    render(&mut diagnostics, Format::Human, false, 100).text
}

#[cfg(test)]
mod tests {
    use super::summary;

    #[test]
    fn the_count_line_says_what_there_is_in_words() {
        assert_eq!(summary(0, 0, "x"), None);
        assert_eq!(summary(0, 2, "x").as_deref(), Some("warning: 2 warnings"));
        assert_eq!(summary(0, 1, "x").as_deref(), Some("warning: 1 warning"));
        assert_eq!(
            summary(1, 0, "nothing was written").as_deref(),
            Some("error: 1 error; nothing was written")
        );
        assert_eq!(
            summary(3, 1, "nothing was written").as_deref(),
            Some("error: 3 errors, 1 warning; nothing was written")
        );
    }
}
