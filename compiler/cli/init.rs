//! `labc init [DIR]`: writes a starter `site.kdl` that builds as it is. It never overwrites:
//! a site is the one file a user cannot regenerate.

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
    eprintln!(
        "wrote {}; `labc build {}` compiles it into out/",
        path.display(),
        path.display()
    );
    ExitCode::SUCCESS
}
