//! `labc init [DIR]`: writes a starter `site.kdl` that builds as it is. It never overwrites:
//! a site is the one file a user cannot regenerate. It also makes sure the folder's
//! `.gitignore` keeps out the stat record `labc build` leaves next to `out/` (a local cache,
//! see docs/architecture.md), adding the one line to a `.gitignore` that lacks it.

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

/// The starter site; `tests/init.rs` builds it, so it cannot rot.
const STARTER: &str = include_str!("starter.kdl");

#[derive(clap::Args)]
pub struct Args {
    /// The folder to write site.kdl into; created if missing
    #[arg(default_value = ".")]
    dir: PathBuf,
}

pub fn run(args: Args) -> ExitCode {
    if let Err(e) = std::fs::create_dir_all(&args.dir) {
        return super::io_error("create", &args.dir, e);
    }
    let path = args.dir.join("site.kdl");
    // create_new: an existing site is refused even if it appears between a check and the write
    let file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path);
    let mut file = match file {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
            eprintln!(
                "error: {} already exists; labc init never overwrites a site",
                path.display()
            );
            return ExitCode::from(2);
        }
        Err(e) => return super::io_error("create", &path, e),
    };
    if let Err(e) = file.write_all(STARTER.as_bytes()) {
        return super::io_error("write", &path, e);
    }
    let ignore = args.dir.join(".gitignore");
    if let Err(e) = ignore_stat_record(&ignore) {
        return super::io_error("write", &ignore, e);
    }
    eprintln!(
        "wrote {}; `labc build {}` compiles it into out/",
        path.display(),
        path.display()
    );
    ExitCode::SUCCESS
}

/// The `.gitignore` line for the stat record (`.out.labc-stat` for `out/`).
const STAT_RECORD: &str = ".*.labc-stat";

fn ignore_stat_record(path: &std::path::Path) -> std::io::Result<()> {
    let existing = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
        Err(e) => return Err(e),
    };
    if existing.lines().any(|l| l.trim() == STAT_RECORD) {
        return Ok(());
    }
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)?;
    let separator = if existing.is_empty() || existing.ends_with('\n') {
        ""
    } else {
        "\n"
    };
    writeln!(
        file,
        "{separator}# labc's stat record of out/, a local cache for no-op rebuilds\n{STAT_RECORD}"
    )
}
