//! `labc fmt [SITE] [--check]`: rewrites the site file in its canonical layout
//! (`syntax::format`), keeping every comment; `--check` only says whether it already is.

use crate::diag::Format;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// The site file
    #[arg(default_value = "site.kdl")]
    site: PathBuf,
    /// Write nothing; exit 1 if the file is not formatted
    #[arg(long)]
    check: bool,
}

pub fn run(args: Args) -> ExitCode {
    let site = &args.site;
    let bytes = match super::read::read_site(site) {
        Ok(super::read::Site::Bytes(bytes)) => bytes,
        Ok(super::read::Site::TooLarge(located)) => {
            super::report(vec![*located], Format::Human);
            return ExitCode::from(1);
        }
        Err(e) => return super::io_error("read", site, e),
    };
    let name = site.display().to_string();
    // the guarded parse reports syntax errors as `labc check` does; a file that passes it is
    // parsed again whole, so that the formatting information is the file's own
    if let Err(diagnostics) = crate::syntax::parse(&name, &bytes) {
        super::report(diagnostics, Format::Human);
        return ExitCode::from(1);
    }
    let text = String::from_utf8_lossy(&bytes);
    let document: kdl::KdlDocument = match text.parse() {
        Ok(document) => document,
        Err(e) => {
            eprintln!("error: cannot parse {name}: {e}");
            return ExitCode::from(1);
        }
    };
    let formatted = crate::syntax::format(&document);
    if formatted == text {
        if args.check {
            eprintln!("{name} is formatted");
        }
        return ExitCode::SUCCESS;
    }
    if args.check {
        eprintln!("error: {name} is not formatted; run `labc fmt {name}`");
        return ExitCode::from(1);
    }
    // written beside and renamed over, so that an interrupted fmt never leaves half a site
    let staging = site.with_extension("kdl.labc-fmt");
    let written =
        std::fs::write(&staging, &formatted).and_then(|()| std::fs::rename(&staging, site));
    if let Err(e) = written {
        let _ = std::fs::remove_file(&staging);
        return super::io_error("write", site, e);
    }
    eprintln!("formatted {name}");
    ExitCode::SUCCESS
}
