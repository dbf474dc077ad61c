//! Every file a build reads besides the labc binary: the site file, the site's own
//! `components/*.kdl` and `crds/*.y{a,}ml`, and its `sealed/**/*.y{a,}ml`. They are read here
//! once, before anything is compiled, so that the key of `labc build`'s no-op shortcut
//! (`noop.rs`) is made from the very bytes the compile goes on to use: nothing the build reads
//! can be left out of it.

use super::{io_error, read, report, Format};
use crate::secrets::SealedFile;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// What a build of one site reads from disk.
pub(crate) struct Inputs {
    /// The site file as the user named it.
    pub site: PathBuf,
    pub site_dir: PathBuf,
    pub bytes: Vec<u8>,
    /// The site's own `components/*.kdl`, (path, text) in path order.
    pub components: Vec<(String, String)>,
    /// The site's own `crds/*.yaml` and `*.yml`, (path, text) in path order.
    pub crds: Vec<(String, String)>,
    /// `sealed/`, or why it could not be read: that is reported only once the components have
    /// loaded, as it always was.
    pub sealed: Result<Vec<SealedFile>, String>,
}

/// Reads everything a build of `site` reads, printing (in `format`) what stops it: a site
/// file that cannot be read or is too large, a component or CRD file that cannot be read.
pub(crate) fn read(site: &Path, format: Format) -> Result<Inputs, ExitCode> {
    let bytes = match read::read_site(site).map_err(|e| io_error("read", site, e))? {
        read::Site::Bytes(bytes) => bytes,
        read::Site::TooLarge(located) => {
            report(vec![*located], format);
            return Err(ExitCode::from(1));
        }
    };
    let site_dir = site.parent().map(Path::to_path_buf).unwrap_or_default();
    let (components, crds) = own_files(&site_dir)?;
    let sealed = crate::seal::read_sealed(&site_dir);
    Ok(Inputs {
        site: site.to_path_buf(),
        site_dir,
        bytes,
        components,
        crds,
        sealed,
    })
}

/// The site's own component and CRD files beside `site_dir`.
pub(crate) type OwnFiles = (Vec<(String, String)>, Vec<(String, String)>);

/// Reads the site's own `components/*.kdl` and `crds/*.y{a,}ml`.
pub(crate) fn own_files(site_dir: &Path) -> Result<OwnFiles, ExitCode> {
    Ok((
        texts(&site_dir.join("components"), &["kdl"])?,
        texts(&site_dir.join("crds"), &["yaml", "yml"])?,
    ))
}

/// (path, text) of every file of `dir` with one of `extensions`, in path order; none when
/// `dir` is not a directory.
fn texts(dir: &Path, extensions: &[&str]) -> Result<Vec<(String, String)>, ExitCode> {
    let mut files = Vec::new();
    if dir.is_dir() {
        let entries = std::fs::read_dir(dir).map_err(|e| io_error("read", dir, e))?;
        let mut paths: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| {
                p.extension()
                    .is_some_and(|x| extensions.iter().any(|e| x == *e))
            })
            .collect();
        paths.sort();
        for path in paths {
            let text = std::fs::read_to_string(&path).map_err(|e| io_error("read", &path, e))?;
            files.push((path.display().to_string(), text));
        }
    }
    Ok(files)
}
