//! `docs/tutorial.md` is run, step by step, in a scratch folder with the built labc, so that a
//! newcomer following it gets what it says. What the test reads from the page:
//!
//! - ```` ```console ```` blocks: each `$ ` line is run with `sh -c` (labc on `PATH`); it must
//!   exit 0, or N when the line ends with `# exits N`. `cd DIR` changes the folder of the next
//!   commands. Other lines are the output shown to the reader and are not compared.
//! - ```` ```kdl file=PATH ```` writes the whole file; `append=PATH` adds the block at the end;
//!   `replace=PATH` replaces the declaration whose first line is the block's first line, up to
//!   its closing `}` line.
//! - ```` ```sh ```` blocks are shown, never run: they need a cluster. The one that fetches the
//!   sealed-secrets certificate is stood in for by the test certificate of `tests/seal/`.
//! - `labc verify` lines render with the pinned charts of `../shared/reference/charts`
//!   (`LABC_CHARTS`); where that folder or `helm` is missing (a user's clone) they are skipped,
//!   except in CI.
//! - `<!-- tutorial: the seed's objects -->`: here the site must compile to the same objects as
//!   the repository's `out/` (compared as `labc diff` compares them).

use crate::support::root;
use std::path::{Path, PathBuf};
use std::process::Command;

enum Step {
    Run { command: String, exit: i32 },
    Write { path: String, text: String },
    Append { path: String, text: String },
    Replace { path: String, text: String },
    FetchCert { path: String },
    SameAsSeed,
}

fn steps(page: &str) -> Vec<Step> {
    let mut steps = Vec::new();
    let mut lines = page.lines();
    while let Some(line) = lines.next() {
        if line.trim() == "<!-- tutorial: the seed's objects -->" {
            steps.push(Step::SameAsSeed);
            continue;
        }
        let Some(info) = line.strip_prefix("```") else {
            continue;
        };
        let body: Vec<&str> = lines.by_ref().take_while(|l| *l != "```").collect();
        let mut words = info.split_whitespace();
        let language = words.next().unwrap_or_default();
        let target = words.next().and_then(|w| w.split_once('='));
        let text = body.join("\n") + "\n";
        match (language, target) {
            ("console", _) => {
                for command in body.iter().filter_map(|l| l.strip_prefix("$ ")) {
                    let exit = command
                        .split_once("# exits ")
                        .map_or(0, |(_, n)| n.trim().parse().expect("`# exits N`"));
                    steps.push(Step::Run {
                        command: command.to_string(),
                        exit,
                    });
                }
            }
            ("sh", _) if text.contains("kubeseal --fetch-cert >") => {
                let path = text.split("kubeseal --fetch-cert >").nth(1).unwrap();
                let path = path.split_whitespace().next().unwrap().to_string();
                steps.push(Step::FetchCert { path });
            }
            (_, Some(("file", path))) => steps.push(Step::Write {
                path: path.into(),
                text,
            }),
            (_, Some(("append", path))) => steps.push(Step::Append {
                path: path.into(),
                text,
            }),
            (_, Some(("replace", path))) => steps.push(Step::Replace {
                path: path.into(),
                text,
            }),
            _ => {}
        }
    }
    steps
}

/// `text` in place of the declaration in `file` that starts with the same line.
fn replace(file: &str, text: &str) -> Option<String> {
    let first = text.lines().next()?;
    let start = file.lines().position(|l| l == first)?;
    let lines: Vec<&str> = file.lines().collect();
    let end = start + lines[start..].iter().position(|l| *l == "}")?;
    let mut out: Vec<&str> = lines[..start].to_vec();
    out.extend(text.lines());
    out.extend(&lines[end + 1..]);
    Some(out.join("\n") + "\n")
}

fn objects_of(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    labc::out::read_dir(dir).unwrap()
}

#[test]
fn the_tutorial_runs_as_written() {
    let page = std::fs::read_to_string(root().join("docs/tutorial.md")).unwrap();
    let steps = steps(&page);
    assert!(steps.len() > 20, "the tutorial lost its steps");
    let tmp = tempfile::tempdir().unwrap();
    let bin = PathBuf::from(env!("CARGO_BIN_EXE_labc"));
    let path = format!(
        "{}:{}",
        bin.parent().unwrap().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut cwd = tmp.path().to_path_buf();
    let mut compared = false;
    for (i, step) in steps.into_iter().enumerate() {
        match step {
            Step::Run { command, exit } => {
                if let Some(dir) = command.strip_prefix("cd ") {
                    cwd = cwd.join(dir.trim());
                    continue;
                }
                let charts = root().join("../shared/reference/charts");
                if command.starts_with("labc verify") {
                    let helm = crate::support::on_path("helm").is_some();
                    if !charts.is_dir() || !helm {
                        assert!(std::env::var_os("CI").is_none(), "CI must run `{command}`");
                        eprintln!("step {i}: `{command}` skipped: no chart cache or no helm");
                        continue;
                    }
                }
                let output = Command::new("sh")
                    .args(["-c", &command])
                    .env("LABC_CHARTS", &charts)
                    .current_dir(&cwd)
                    .env("PATH", &path)
                    .env("NO_COLOR", "1")
                    .env("HOME", tmp.path())
                    .env("XDG_CONFIG_HOME", tmp.path().join(".config"))
                    .env("LABC_SEAL_KEY", "00112233445566778899aabbccddeeff")
                    .output()
                    .unwrap();
                assert_eq!(
                    output.status.code(),
                    Some(exit),
                    "step {i}: `{command}`\nstdout:\n{}\nstderr:\n{}",
                    String::from_utf8_lossy(&output.stdout),
                    String::from_utf8_lossy(&output.stderr)
                );
            }
            Step::Write { path, text } => std::fs::write(cwd.join(path), text).unwrap(),
            Step::Append { path, text } => {
                let old = std::fs::read_to_string(cwd.join(&path)).unwrap();
                std::fs::write(cwd.join(path), format!("{old}\n{text}")).unwrap();
            }
            Step::Replace { path, text } => {
                let old = std::fs::read_to_string(cwd.join(&path)).unwrap();
                let new = replace(&old, &text).unwrap_or_else(|| {
                    panic!("step {i}: no declaration in {path} starts like\n{text}")
                });
                std::fs::write(cwd.join(path), new).unwrap();
            }
            Step::FetchCert { path } => {
                std::fs::copy(root().join("tests/seal/cert.pem"), cwd.join(path)).unwrap();
            }
            Step::SameAsSeed => {
                let ours = objects_of(&cwd.join("out"));
                let seed = objects_of(&root().join("out"));
                let found = labc::diff::diff(&seed, &ours);
                assert!(
                    found.is_empty(),
                    "the tutorial's site is not the seed's:\n{}",
                    labc::diff::render(&found, labc::diff::DiffFormat::Text)
                );
                compared = true;
            }
        }
    }
    assert!(compared, "the tutorial no longer reaches the seed's site");
}

#[test]
fn replace_swaps_one_declaration() {
    let file = "site a {\n    x\n}\napp b {\n    y\n}\n";
    assert_eq!(
        replace(file, "site a {\n    z\n}\n").as_deref(),
        Some("site a {\n    z\n}\napp b {\n    y\n}\n")
    );
    assert_eq!(replace(file, "app c {\n}\n"), None);
}
