//! The command line's contract: exit codes, `--check`, `--help`, colour.

use crate::support::{labc, list_files, root};

fn copy_site(to: &std::path::Path) {
    std::fs::copy(root().join("site.kdl"), to.join("site.kdl")).unwrap();
}

#[test]
fn build_then_check_passes_and_a_stale_out_fails_with_1() {
    let tmp = tempfile::tempdir().unwrap();
    copy_site(tmp.path());
    assert_eq!(labc(&["build"], tmp.path()).status.code(), Some(0));
    assert_eq!(
        labc(&["build", "--check"], tmp.path()).status.code(),
        Some(0)
    );
    let victim = tmp.path().join("out/apps/was/rollout-was.yaml");
    std::fs::write(&victim, "edited by hand\n").unwrap();
    let stale = labc(&["build", "--check"], tmp.path());
    assert_eq!(stale.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&stale.stderr);
    assert!(stderr.contains("apps/was/rollout-was.yaml"), "{stderr}");
    assert_eq!(
        std::fs::read_to_string(&victim).unwrap(),
        "edited by hand\n",
        "--check writes nothing"
    );
}

#[test]
fn check_writes_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    copy_site(tmp.path());
    assert_eq!(labc(&["check"], tmp.path()).status.code(), Some(0));
    assert_eq!(list_files(tmp.path()), vec!["site.kdl".to_string()]);
}

#[test]
fn a_missing_site_or_bad_usage_exits_2() {
    let tmp = tempfile::tempdir().unwrap();
    let missing = labc(&["build", "nope.kdl"], tmp.path());
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("cannot read nope.kdl"));
    assert_eq!(
        labc(&["build", "--frobnicate"], tmp.path()).status.code(),
        Some(2)
    );
}

#[test]
fn help_shows_examples() {
    let help = labc(&["build", "--help"], &root());
    assert!(help.status.success());
    assert!(String::from_utf8_lossy(&help.stdout).contains("labc build --check"));
}

#[test]
fn no_colour_when_not_on_a_terminal() {
    let case = root().join("tests/fixtures/bad/unknown_property_near_miss.kdl");
    let output = labc(&["check", case.to_str().unwrap()], &root());
    assert!(
        !output.stderr.contains(&0x1b),
        "escape codes in piped output"
    );
}

#[test]
fn explain_prints_the_example_and_its_diagnostic_and_refuses_unknown_codes() {
    let out = labc(&["explain", "labc::route::cors_without_options"], &root());
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("methods GET"), "{text}");
    assert!(
        text.contains("help: browsers send an OPTIONS preflight"),
        "{text}"
    );
    let list = labc(&["explain"], &root());
    assert_eq!(
        String::from_utf8_lossy(&list.stdout).lines().count(),
        labc::diag::EXPLANATIONS.len()
    );
    assert_eq!(labc(&["explain", "nope"], &root()).status.code(), Some(2));
}

#[test]
fn completions_cover_every_subcommand() {
    let help = String::from_utf8(labc(&["--help"], &root()).stdout).unwrap();
    // the subcommands as `--help` lists them: indented words in the Commands section
    let commands: Vec<&str> = help
        .split("Commands:")
        .nth(1)
        .unwrap()
        .lines()
        .skip(1)
        .take_while(|l| !l.trim().is_empty())
        .filter_map(|l| l.split_whitespace().next())
        .filter(|c| *c != "help")
        .collect();
    assert!(commands.len() >= 10, "{commands:?}");
    for shell in ["bash", "zsh", "fish"] {
        let output = labc(&["completions", shell], &root());
        assert!(output.status.success());
        let script = String::from_utf8(output.stdout).unwrap();
        for command in &commands {
            assert!(
                script.contains(command),
                "{shell} completion lacks `{command}`"
            );
        }
    }
}

/// `labc check /dev/zero` and a pipe that never ends are refused after 16 MiB, as a
/// diagnostic with the too-large code, instead of being read until memory runs out.
#[test]
#[cfg(unix)]
fn endless_input_is_refused_at_the_size_limit() {
    use std::process::{Command, Stdio};
    let zero = labc(&["check", "/dev/zero"], &root());
    assert_eq!(zero.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&zero.stderr);
    assert!(stderr.contains("labc::syntax::too_large"), "{stderr}");
    assert!(stderr.contains("labc reads at most 16777216"), "{stderr}");

    let mut yes = Command::new("yes")
        .arg("node a")
        .stdout(Stdio::piped())
        .spawn()
        .expect("yes runs");
    let pipe = Command::new(env!("CARGO_BIN_EXE_labc"))
        .args(["check", "/dev/stdin"])
        .stdin(yes.stdout.take().unwrap())
        .output()
        .unwrap();
    let _ = yes.kill();
    let _ = yes.wait();
    assert_eq!(pipe.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&pipe.stderr);
    assert!(stderr.contains("labc::syntax::too_large"), "{stderr}");
}

/// Warnings end with a count line; `--quiet` (before or after the subcommand) prints neither
/// the warnings nor their count, and the exit code stays 0. Errors are counted with them.
#[test]
fn warnings_are_counted_and_quiet_silences_them() {
    let case = root().join("tests/fixtures/warn/latest_image_tag.kdl");
    let case = case.to_str().unwrap();
    let loud = labc(&["check", case], &root());
    assert_eq!(loud.status.code(), Some(0));
    let stderr = String::from_utf8_lossy(&loud.stderr);
    assert!(stderr.contains("labc::"), "{stderr}");
    assert!(stderr.contains("\nwarning: 1 warning\n"), "{stderr}");
    for args in [["--quiet", "check", case], ["check", case, "-q"]] {
        let quiet = labc(&args, &root());
        assert_eq!(quiet.status.code(), Some(0));
        let stderr = String::from_utf8_lossy(&quiet.stderr);
        assert!(!stderr.contains("labc::"), "{stderr}");
        assert!(!stderr.contains("warning"), "{stderr}");
        assert!(stderr.contains("no errors"), "{stderr}");
    }
    let bad = root().join("tests/fixtures/bad/more_errors_than_a_screen.kdl");
    let failed = labc(&["check", bad.to_str().unwrap()], &root());
    let stderr = String::from_utf8_lossy(&failed.stderr);
    assert!(
        stderr.contains("error: 30 errors; nothing was written"),
        "{stderr}"
    );
}

/// `name::duplicate` labels the two names, each in its own excerpt: the declarations between
/// them are not printed.
#[test]
fn a_duplicate_shows_the_two_names_not_what_lies_between() {
    let tmp = tempfile::tempdir().unwrap();
    let site =
        std::fs::read_to_string(root().join("tests/fixtures/bad/duplicate_app_name.kdl")).unwrap();
    let between: String = (0..10)
        .map(|i| format!("app filler{i} image=\"ghcr.io/x/f:1\" {{\n    port 8080\n}}\n"))
        .collect();
    let again = "app web image=\"ghcr.io/x/web:2\"";
    let site = site.replace(again, &format!("{between}{again}"));
    std::fs::write(tmp.path().join("site.kdl"), site).unwrap();
    let output = labc(&["check", "--quiet"], tmp.path());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("app or database `web` is declared twice"),
        "{stderr}"
    );
    assert!(stderr.contains("first declared here"), "{stderr}");
    assert!(stderr.contains("declared again here"), "{stderr}");
    assert!(!stderr.contains("filler"), "{stderr}");
}
