//! `labc explain [CODE]`: the long explanation of a diagnostic code, with a site that makes
//! the mistake and what labc says about it (its help is the fix). The site is compiled on the
//! spot, so the example output is always what this labc prints.

use crate::diag::{explanation, Explanation, EXPLANATIONS};
use std::fmt::Write;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct Args {
    /// The code, such as `labc::canary::weight_range` or just `weight_range`; without one,
    /// every code is listed
    code: Option<String>,
}

pub fn run(args: Args) -> ExitCode {
    let Some(code) = args.code else {
        print!("{}", list());
        return ExitCode::SUCCESS;
    };
    match explanation(&code) {
        Some(found) => {
            print!("{}", explain(found));
            ExitCode::SUCCESS
        }
        None => {
            eprintln!("error: no diagnostic has the code `{code}`; `labc explain` lists them all");
            ExitCode::from(2)
        }
    }
}

/// Every code with the first line of its explanation.
pub fn list() -> String {
    let width = EXPLANATIONS.iter().map(|e| e.code.len()).max().unwrap_or(0);
    let mut text = String::new();
    for e in EXPLANATIONS {
        let first = e.doc.lines().next().unwrap_or_default();
        let _ = writeln!(text, "{:width$}  {first}", e.code);
    }
    text
}

/// The whole explanation of one code, as `labc explain CODE` prints it.
pub fn explain(e: &Explanation) -> String {
    let mut text = format!("{}\n\n{}\n", e.code, e.doc);
    let Some((path, bytes)) = e.fixture else {
        return text;
    };
    let site = String::from_utf8_lossy(bytes);
    // the first line names the code for the tests; the reader has just read it
    let body = site.split_once('\n').map_or("", |(_, rest)| rest);
    let _ = writeln!(text, "\nFor example, this site ({path}):\n");
    for line in body.lines() {
        let _ = writeln!(text, "{}", format!("    {line}").trim_end());
    }
    let said = match crate::stdlib::Catalog::embedded() {
        Ok(catalog) => match crate::compile(path, bytes, &catalog) {
            Ok(compiled) => compiled.warnings,
            Err(errors) => errors,
        },
        Err(errors) => errors,
    };
    let said: Vec<_> = said
        .into_iter()
        .filter(|d| d.error.code_str() == e.code)
        .collect();
    let _ = writeln!(text, "\nmakes labc say (the help is the fix):\n");
    for line in super::render_plain(said).lines() {
        let _ = writeln!(text, "{}", format!("    {line}").trim_end());
    }
    text
}

/// `docs/diagnostics.md`: every explanation on one page, sorted by code as `labc explain` lists them. A test
/// keeps the committed page equal to this.
pub fn page() -> String {
    let mut text = String::from(
        "# Diagnostics\n\n<!-- generated from compiler/diag/error.rs and tests/fixtures/{bad,warn}/ \
         by `LABC_BLESS=1 cargo test diagnostics_page`; do not edit -->\n\n\
         Every code labc reports, as `labc explain CODE` prints it.\n",
    );
    for e in EXPLANATIONS {
        let _ = write!(text, "\n## `{}`\n\n```text\n{}```\n", e.code, explain(e));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::list;

    /// The listing is sorted by area, then by name within the area, and has every code once.
    #[test]
    fn codes_are_listed_by_area_then_name() {
        let listed = list();
        let codes: Vec<(&str, &str)> = listed
            .lines()
            .map(|line| {
                let code = line.split_whitespace().next().unwrap_or_default();
                let rest = code.strip_prefix("labc::").expect("a labc:: code");
                rest.split_once("::").expect("area::name")
            })
            .collect();
        assert_eq!(codes.len(), crate::diag::EXPLANATIONS.len());
        let mut sorted = codes.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(codes, sorted);
    }
}
