//! `labc verify`: would `out/` run? Compiles the site, holds `out/` to it, renders every
//! Application as Argo CD would and reports each broken contract between the parts.

use super::{io_error, load_keeping_warnings, report_then, stray_files};
use crate::diag::{Format, Located};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

#[derive(clap::Args)]
#[command(after_help = "\
Examples:
  labc verify --charts ../charts     render with the charts of a local cache and check
  labc verify --format github        broken contracts as GitHub Actions annotations
  labc verify --dump /tmp/rendered   also write what each Application renders to")]
pub struct Args {
    /// The site file
    #[arg(default_value = "site.kdl")]
    site: PathBuf,
    /// The out/ folder to verify; defaults to `out` beside the site file
    #[arg(long)]
    out: Option<PathBuf>,
    /// The chart cache, `<chart>/<version>/` folders; defaults to $LABC_CHARTS or
    /// ~/.cache/labc/charts
    #[arg(long)]
    charts: Option<PathBuf>,
    /// Never run `helm pull` for a chart missing from the cache
    #[arg(long)]
    offline: bool,
    /// Write each Application's rendered objects to DIR/<application>.yaml
    #[arg(long, value_name = "DIR")]
    dump: Option<PathBuf>,
    /// How to print diagnostics
    #[arg(long, value_enum, default_value = "human")]
    format: Format,
}

/// A program from `$var`, else the first `name` on PATH.
fn program(var: &str, name: &str) -> Option<PathBuf> {
    if let Some(path) = std::env::var_os(var).filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(path));
    }
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|dir| dir.join(name))
        .find(|p| p.is_file())
}

pub fn run(args: Args) -> ExitCode {
    let Some(helm) = program("LABC_HELM", "helm") else {
        eprintln!(
            "error: `labc verify` renders charts with helm, which is not on PATH (install helm 3, or set LABC_HELM to its path)"
        );
        return ExitCode::from(2);
    };
    let mut loaded = match load_keeping_warnings(&args.site, args.format) {
        Ok(loaded) => loaded,
        Err(code) => return code,
    };
    let out_dir = args
        .out
        .clone()
        .unwrap_or_else(|| loaded.site_dir.join("out"));
    // what Argo CD syncs is what is committed: it must be what the site compiles to
    // Argo CD syncs whole folders: a file labc did not write is synced like the rest
    let mut diagnostics = std::mem::take(&mut loaded.compiled.warnings);
    match crate::out::stray(&out_dir) {
        Ok(strays) => diagnostics.extend(stray_files(
            &loaded.compiled.file,
            loaded.compiled.site_span,
            &out_dir,
            &strays,
        )),
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    }
    let compiled = loaded.compiled;
    let files = compiled.files.as_map();
    match crate::out::check(&out_dir, files) {
        Ok(staleness) if staleness.is_fresh() => {}
        Ok(_) => {
            eprintln!(
                "error: {} is not what {} compiles to; run `labc build` first (`labc build --check` says what differs)",
                out_dir.display(),
                loaded.name
            );
            return ExitCode::from(1);
        }
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    }
    // a declared secret that is not sealed yet is checked where the build will place it
    let stand_ins = crate::verify::stand_ins(files, &loaded.sealed);
    let as_if_sealed;
    let (files, sources) = if stand_ins.is_empty() {
        (files, &compiled.sources)
    } else {
        let mut sealed = loaded.sealed.clone();
        sealed.extend(stand_ins);
        let parsed = crate::syntax::parse(&loaded.name, &loaded.bytes);
        as_if_sealed = match crate::compile_parsed(parsed, &loaded.catalog, &sealed) {
            Ok(compiled) => compiled,
            Err(diagnostics) => {
                report_then(
                    diagnostics,
                    args.format,
                    "the site does not compile with its secrets sealed",
                );
                return ExitCode::from(2);
            }
        };
        (as_if_sealed.files.as_map(), &as_if_sealed.sources)
    };
    let tools = crate::verify::Tools {
        helm,
        kubectl: program("LABC_KUBECTL", "kubectl"),
        charts: args
            .charts
            .clone()
            .unwrap_or_else(crate::verify::default_chart_cache),
        pull: !args.offline,
        kube_version: compiled.kubernetes.clone(),
        api_versions: crate::verify::api_versions(),
    };
    let verified = match crate::verify::verify(files, &out_dir, &tools, &compiled.endpoints) {
        Ok(verified) => verified,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::from(2);
        }
    };
    if let Some(dir) = &args.dump {
        if let Err(code) = dump(dir, &verified.system) {
            return code;
        }
    }
    diagnostics.extend(
        verified
            .findings
            .into_iter()
            .map(|f| Located::new(&compiled.file, f.into_error(sources))),
    );
    let system = &verified.system;
    let errors = report_then(diagnostics, args.format, "out/ would not run as declared");
    if errors {
        return ExitCode::from(1);
    }
    if args.format == Format::Human {
        eprintln!(
            "{}: {} Applications render to {} objects; every contract holds",
            out_dir.display(),
            system.apps.iter().filter(|a| !a.file.is_empty()).count(),
            system.applied().count()
        );
    }
    ExitCode::SUCCESS
}

/// Each Application's objects as one YAML stream, for other validators.
fn dump(dir: &Path, system: &crate::verify::System) -> Result<(), ExitCode> {
    std::fs::create_dir_all(dir).map_err(|e| io_error("create", dir, e))?;
    for (index, app) in system.apps.iter().enumerate() {
        let mut text = String::new();
        for object in system.objects.iter().filter(|o| o.app == index) {
            text.push_str("---\n");
            text.push_str(&crate::yaml::to_string(&object.value).map_err(|e| {
                eprintln!("error: {e:?}");
                ExitCode::from(2)
            })?);
        }
        let path = dir.join(format!("{}.yaml", app.name));
        std::fs::write(&path, text).map_err(|e| io_error("write", &path, e))?;
    }
    Ok(())
}
