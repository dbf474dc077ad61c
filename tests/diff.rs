//! `labc diff` on pairs of builds: a fixture site and the same site with one edit. Each case
//! snapshots what a reviewer reads, as text and as Markdown; reordering and reformatting must
//! show as no change at all.

use crate::support::{catalog, labc, root};
use labc::diff::{diff, render, Diff, DiffFormat};
use serde_yaml::Value;
use std::collections::BTreeMap;

type Files = BTreeMap<String, Vec<u8>>;

fn build(text: &str) -> Files {
    match labc::compile("site.kdl", text.as_bytes(), &catalog()) {
        Ok(compiled) => compiled.files.into_map(),
        Err(errors) => panic!("{}", labc::cli::render_plain(errors)),
    }
}

fn fixture(name: &str) -> String {
    std::fs::read_to_string(root().join("tests/fixtures/ok").join(name).join("site.kdl")).unwrap()
}

/// The fixture with each `from` replaced by `to`; every `from` must be there.
fn edited(site: &str, edits: &[(&str, &str)]) -> String {
    let mut text = site.to_string();
    for (from, to) in edits {
        assert!(text.contains(from), "{from:?} is not in the site");
        text = text.replacen(from, to, 1);
    }
    text
}

fn both_formats(found: &Diff) -> String {
    format!(
        "--- text\n{}--- markdown\n{}",
        render(found, DiffFormat::Text),
        render(found, DiffFormat::Markdown)
    )
}

fn case(name: &str, fixture_name: &str, edits: &[(&str, &str)]) -> Diff {
    let site = fixture(fixture_name);
    let found = diff(&build(&site), &build(&edited(&site, edits)));
    insta::assert_snapshot!(format!("diff_{name}"), both_formats(&found));
    found
}

#[test]
fn a_new_image_is_one_field_flagged_as_an_image() {
    let found = case("image_bump", "one_node", &[("notes:0.3.1", "notes:0.4.0")]);
    assert!(found
        .summary()
        .risks
        .contains_key(&labc::diff::Risk::Images));
}

#[test]
fn a_new_egress_changes_the_network_policy() {
    let found = case(
        "new_egress",
        "policies",
        &[(
            "    port 7000 name=\"http\"\n",
            "    port 7000 name=\"http\"\n    egress \"reports.example.net\" port=443 why=\"uploads reports\"\n",
        )],
    );
    assert!(found
        .summary()
        .risks
        .contains_key(&labc::diff::Risk::NetworkPolicy));
}

#[test]
fn a_removed_app_removes_its_folder_and_its_flows() {
    let found = case(
        "removed_app",
        "policies",
        &[
            (
                "app batch namespace=\"jobs\" image=\"ghcr.io/x/batch:0.9.0@sha256:2fa3189260cf24b41e6b2be87b1e46a19f3587d43d6a39c5a9e61688d3947326\" {\n    port 7000 name=\"http\"\n}\n",
                "",
            ),
            (
                "policy batch-reads-api from=\"batch\" to=\"api\" port=9000 {\n    methods GET\n    paths \"/reports\"\n}\n",
                "",
            ),
            ("policy front-not-batch action=\"deny\" from=\"front\" to=\"batch\"", ""),
        ],
    );
    let summary = found.summary();
    assert!(summary.removed > 0 && summary.added == 0, "{summary:?}");
    // the app had namespace `jobs` to itself: Kubernetes deletes everything in it
    assert_eq!(
        summary.risks.get(&labc::diff::Risk::NamespaceRemoved),
        Some(&1),
        "{summary:?}"
    );
}

#[test]
fn a_renamed_app_is_removed_under_its_old_name_and_added_under_the_new() {
    let found = case("renamed_app", "one_node", &[("app notes ", "app memo ")]);
    let summary = found.summary();
    assert!(summary.added > 0 && summary.removed > 0, "{summary:?}");
}

#[test]
fn a_node_setting_shows_the_script_lines() {
    case(
        "node_nic",
        "one_node",
        &[(
            "size=\"1Ti\"\n",
            "size=\"1Ti\"\n    nic \"eno1\" power-saving=#false\n",
        )],
    );
}

/// Reverses the order of every map's keys.
fn reversed(value: Value) -> Value {
    match value {
        Value::Mapping(map) => Value::Mapping(
            map.into_iter()
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .map(|(k, v)| (k, reversed(v)))
                .collect(),
        ),
        Value::Sequence(list) => Value::Sequence(list.into_iter().map(reversed).collect()),
        other => other,
    }
}

#[test]
fn reordered_keys_and_other_formatting_are_no_change() {
    for name in ["one_node", "policies", "no_mesh", "shared_namespace"] {
        let files = build(&fixture(name));
        let mut reformatted = files.clone();
        for (path, bytes) in reformatted.iter_mut() {
            if !path.ends_with(".yaml") {
                continue;
            }
            let mut text = String::new();
            for document in serde_yaml::Deserializer::from_slice(bytes) {
                let value: Value = serde::Deserialize::deserialize(document).unwrap();
                // flow style, other quoting and reversed keys: the same objects
                let json = serde_json::to_string(&reversed(value)).unwrap();
                text.push_str("---\n");
                text.push_str(&json);
                text.push('\n');
            }
            *bytes = text.into_bytes();
        }
        assert_ne!(files, reformatted);
        let found = diff(&files, &reformatted);
        assert!(
            found.is_empty(),
            "{name}: {}",
            render(&found, DiffFormat::Text)
        );
    }
}

#[test]
fn reordered_declarations_in_the_site_are_no_change() {
    let site = fixture("one_node");
    let (head, app) = site.split_at(site.find("app notes").unwrap());
    let database_at = head.find("database postgres").unwrap();
    let moved = format!("{}{app}\n{}", &head[..database_at], &head[database_at..]);
    let found = diff(&build(&site), &build(&moved));
    assert!(found.is_empty(), "{}", render(&found, DiffFormat::Text));
}

fn git(dir: &std::path::Path, args: &[&str]) {
    let status = std::process::Command::new("git")
        .args([
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@t",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .current_dir(dir)
        .status()
        .unwrap();
    assert!(status.success(), "git {args:?}");
}

#[test]
fn the_cli_compares_a_build_with_out_a_folder_and_a_git_revision() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let site = fixture("one_node");
    std::fs::write(dir.join("site.kdl"), &site).unwrap();
    assert_eq!(labc(&["build"], dir).status.code(), Some(0));
    let same = labc(&["diff", "--exit-code"], dir);
    assert_eq!(same.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&same.stdout), "no changes\n");

    git(dir, &["init", "-q"]);
    git(dir, &["add", "."]);
    git(dir, &["commit", "-q", "-m", "first"]);
    std::fs::rename(dir.join("out"), dir.join("before")).unwrap();
    std::fs::write(
        dir.join("site.kdl"),
        edited(&site, &[("notes:0.3.1", "notes:0.4.0")]),
    )
    .unwrap();
    assert_eq!(labc(&["build"], dir).status.code(), Some(0));

    let expected = "risky: images (1); 1 changed, 0 added, 0 removed in 1 folder";
    let folders = labc(&["diff", "--from", "before", "--to", "out"], dir);
    let revision = labc(&["diff", "--from", "HEAD", "--exit-code"], dir);
    assert_eq!(revision.status.code(), Some(1), "{revision:?}");
    for output in [folders, revision] {
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(stdout.starts_with(expected), "{stdout}");
        assert!(stdout.contains("containers[notes].image"), "{stdout}");
    }
}

#[test]
fn build_check_prints_the_diff_of_a_stale_out() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let site = fixture("one_node");
    std::fs::write(dir.join("site.kdl"), &site).unwrap();
    assert_eq!(labc(&["build"], dir).status.code(), Some(0));
    std::fs::write(
        dir.join("site.kdl"),
        edited(&site, &[("notes:0.3.1", "notes:0.4.0")]),
    )
    .unwrap();
    let check = labc(&["build", "--check"], dir);
    assert_eq!(check.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&check.stderr);
    assert!(
        stderr.contains("risky: images (1); 1 changed, 0 added, 0 removed in 1 folder"),
        "{stderr}"
    );
    assert!(
        stderr.contains("\"ghcr.io/me/notes:0.3.1@sha256:")
            && stderr.contains("→ \"ghcr.io/me/notes:0.4.0@sha256:"),
        "{stderr}"
    );
}
