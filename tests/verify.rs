//! `labc verify` on sites that each break one contract (`tests/fixtures/verify/`), and on the
//! seed site with the pinned charts when `../shared/reference/charts` is there. Rendering needs
//! `helm`: without it these tests say so and pass, except in CI (`CI` set), where they fail.

use crate::support::{helm, labc, root};
use std::path::{Path, PathBuf};

fn fixtures() -> PathBuf {
    root().join("tests/fixtures/verify")
}

/// Builds a fixture site (with the fixtures' components) in a temporary folder and verifies it
/// against the fixtures' chart cache; the JSON diagnostics and the exit code.
fn verify_fixture(name: &str) -> (Vec<serde_json::Value>, Option<i32>) {
    let dir = built_fixture(name);
    verify_in(dir.path(), &fixtures().join("charts"))
}

/// A fixture site with the fixtures' components, built in a temporary folder.
fn built_fixture(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        fixtures().join(format!("{name}.kdl")),
        dir.path().join("site.kdl"),
    )
    .unwrap();
    copy(
        &fixtures().join("components"),
        &dir.path().join("components"),
    );
    let built = labc(&["build"], dir.path());
    assert!(
        built.status.success(),
        "{name} does not build: {}",
        String::from_utf8_lossy(&built.stderr)
    );
    dir
}

fn verify_in(dir: &Path, charts: &Path) -> (Vec<serde_json::Value>, Option<i32>) {
    let charts = charts.display().to_string();
    let output = labc(
        &[
            "verify",
            "--charts",
            &charts,
            "--offline",
            "--format",
            "json",
        ],
        dir,
    );
    let diagnostics: Vec<serde_json::Value> = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| {
            panic!(
                "verify printed no JSON ({e}): {}{}",
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            )
        });
    (diagnostics, output.status.code())
}

fn errors(diagnostics: &[serde_json::Value]) -> Vec<(String, String)> {
    diagnostics
        .iter()
        .filter(|d| d["severity"] == "error")
        .map(|d| {
            (
                d["code"].as_str().unwrap().to_string(),
                d["message"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn the_base_fixture_verifies_clean() {
    if helm().is_none() {
        return;
    }
    let (diagnostics, code) = verify_fixture("ok");
    assert_eq!(errors(&diagnostics), Vec::<(String, String)>::new());
    assert_eq!(code, Some(0));
}

#[test]
fn each_contract_fixture_fails_with_its_code_naming_both_ends() {
    if helm().is_none() {
        return;
    }
    // (fixture, what the message must say of each end)
    let cases: &[(&str, &[&str])] = &[
        (
            "address",
            &["echo.echo.svc.cluster.local:9090", "exposes 8080"],
        ),
        ("project", &["elsewhere", "contracts-platform"]),
        ("shared", &["ConfigMap web/web-env", "`echo` and `web`"]),
        ("reference", &["Deployment echo/echo", "echo-missing"]),
        (
            "order",
            &[
                "Secret echo/echo-token",
                "sync wave 2",
                "Deployment echo/echo",
            ],
        ),
        ("storage", &["echo-data", "`fast`"]),
        (
            "monitor",
            &["ServiceMonitor echo/echo", "selects no Service"],
        ),
        ("render", &["`echo` does not render", "the fault `render`"]),
        ("schema", &["Rollout echo/echo-next", "`spec.replica`"]),
    ];
    for (name, says) in cases {
        let text = std::fs::read_to_string(fixtures().join(format!("{name}.kdl"))).unwrap();
        let want = text.lines().next().unwrap().trim_start_matches("//").trim();
        let (diagnostics, code) = verify_fixture(name);
        let errors = errors(&diagnostics);
        let hit = errors.iter().find(|(c, _)| c == want);
        let Some((_, message)) = hit else {
            panic!("{name}: expected {want}, got {errors:?}");
        };
        for part in *says {
            assert!(message.contains(part), "{name}: `{part}` not in: {message}");
        }
        assert_eq!(code, Some(1), "{name}");
        // one broken contract is one diagnostic, not a cascade
        assert!(errors.len() <= 2, "{name}: {errors:?}");
    }
}

#[test]
fn a_broken_contract_is_labelled_at_the_declaration_behind_it() {
    if helm().is_none() {
        return;
    }
    let (diagnostics, _) = verify_fixture("address");
    let d = diagnostics
        .iter()
        .find(|d| d["code"] == "labc::verify::address")
        .unwrap();
    // the app `web` (whose env names the address) is declared on line 21 of the fixture
    let text = std::fs::read_to_string(fixtures().join("address.kdl")).unwrap();
    let line = text.lines().position(|l| l.starts_with("app web")).unwrap() + 1;
    assert_eq!(d["line"].as_u64(), Some(line as u64), "{d}");
}

#[test]
fn a_file_labc_did_not_write_fails_verify_naming_it() {
    if helm().is_none() {
        return;
    }
    let dir = built_fixture("ok");
    // a stale Application of an earlier layout, which the root Application would still sync
    std::fs::write(
        dir.path().join("out/argocd/application-old.yaml"),
        "kind: Application\n",
    )
    .unwrap();
    let (diagnostics, code) = verify_in(dir.path(), &fixtures().join("charts"));
    assert_eq!(code, Some(1));
    let errors = errors(&diagnostics);
    assert!(
        errors.iter().any(|(c, m)| c == "labc::out::stray_file" && m.contains("argocd/application-old.yaml")),
        "{errors:?}"
    );
}

#[test]
fn without_helm_verify_is_an_error_not_a_skip() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(fixtures().join("ok.kdl"), dir.path().join("site.kdl")).unwrap();
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_labc"))
        .args(["verify"])
        .current_dir(dir.path())
        .env("PATH", "")
        .env_remove("LABC_HELM")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("helm"));
}

#[test]
fn a_chart_missing_from_the_cache_is_a_render_error_that_says_how_to_get_it() {
    if helm().is_none() {
        return;
    }
    let dir = built_fixture("ok");
    let empty = tempfile::tempdir().unwrap();
    let (diagnostics, code) = verify_in(dir.path(), empty.path());
    let errors = errors(&diagnostics);
    assert_eq!(code, Some(1));
    assert!(
        errors.iter().all(|(c, _)| c == "labc::verify::render"),
        "{errors:?}"
    );
    assert!(
        errors
            .iter()
            .any(|(_, m)| m
                .contains("helm pull echo --repo https://charts.example.org --version 1.0.0")),
        "{errors:?}"
    );
}

/// A real mistake with the real chart: the site's own prometheus component leaves
/// kube-prometheus-stack's PodMonitor selector at the chart's default, so its Prometheus
/// scrapes no app's PodMonitor and the canary's analysis would see nothing.
#[test]
fn a_canary_whose_metrics_no_prometheus_scrapes_fails_verify() {
    let charts = root().join("../shared/reference/charts");
    if !charts.is_dir() || helm().is_none() {
        eprintln!("no ../shared/reference/charts: checked by .ci/run");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    copy(&fixtures().join("canary_unscraped"), dir.path());
    // the stdlib's component with the one value the chart has by default, made here so that it
    // cannot drift from the stdlib's
    let stdlib = std::fs::read_to_string(root().join("stdlib/components/prometheus.kdl")).unwrap();
    let own = stdlib.replace(
        "podMonitorSelectorNilUsesHelmValues: false",
        "podMonitorSelectorNilUsesHelmValues: true",
    );
    assert_ne!(
        own, stdlib,
        "the stdlib's prometheus no longer sets the selector"
    );
    std::fs::create_dir(dir.path().join("components")).unwrap();
    std::fs::write(dir.path().join("components/prometheus.kdl"), own).unwrap();
    assert!(labc(&["build"], dir.path()).status.success());
    let (diagnostics, code) = verify_in(dir.path(), &charts);
    assert_eq!(code, Some(1));
    let errors = errors(&diagnostics);
    let canary = errors
        .iter()
        .find(|(c, _)| c == "labc::verify::canary")
        .unwrap_or_else(|| panic!("{errors:?}"));
    assert!(
        canary.1.contains("Rollout web/web") && canary.1.contains("rollouts_pod_template_hash"),
        "{canary:?}"
    );
    assert!(
        errors
            .iter()
            .any(|(c, m)| c == "labc::verify::monitor" && m.contains("PodMonitor web/web")),
        "{errors:?}"
    );
}

/// The seed and every good fixture site, rendered with the pinned charts, break no contract:
/// every namespace a chart writes to is permitted, every declared endpoint is a Service its
/// chart renders, every address reaches a port, every secret comes before its pods.
#[test]
fn every_good_site_verifies_with_the_pinned_charts() {
    let charts = root().join("../shared/reference/charts");
    if !charts.is_dir() || helm().is_none() {
        eprintln!("no ../shared/reference/charts: the good sites are verified by .ci/run");
        return;
    }
    let mut broken = Vec::new();
    for site in crate::support::good_sites() {
        let dir = tempfile::tempdir().unwrap();
        let from = site.parent().unwrap();
        for entry in std::fs::read_dir(from).unwrap().flatten() {
            let name = entry.file_name();
            // the site, its certificate, its sealed files and its own components and CRDs
            let path = entry.path();
            let keep = if path.is_dir() {
                ["sealed", "components", "crds"].iter().any(|n| name == *n)
            } else {
                path.extension().is_some_and(|x| x == "kdl" || x == "pem")
            };
            if !keep {
                continue;
            }
            copy(&entry.path(), &dir.path().join(&name));
        }
        assert!(
            labc(&["build"], dir.path()).status.success(),
            "{}",
            site.display()
        );
        let (diagnostics, _) = verify_in(dir.path(), &charts);
        broken.extend(
            errors(&diagnostics)
                .into_iter()
                .map(|e| format!("{}: {e:?}", site.display())),
        );
    }
    assert!(broken.is_empty(), "{}", broken.join("\n"));
}

fn copy(from: &Path, to: &Path) {
    if from.is_dir() {
        std::fs::create_dir_all(to).unwrap();
        for entry in std::fs::read_dir(from).unwrap().flatten() {
            copy(&entry.path(), &to.join(entry.file_name()));
        }
    } else {
        std::fs::copy(from, to).unwrap();
    }
}

/// Without `--offline`, a chart missing from the cache is fetched into it: a chart repository
/// with `helm pull` (here one served on loopback, made with `helm package` and `helm repo
/// index`) and a chart kept in git with `git clone` (here a local repository with a tag).
#[test]
fn missing_charts_are_fetched_into_the_cache() {
    let Some(helm) = helm() else {
        return;
    };
    let work = tempfile::tempdir().unwrap();
    let run = |program: &Path, args: &[&str], dir: &Path| {
        let out = std::process::Command::new(program)
            .args(args)
            .current_dir(dir)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{program:?} {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    // a chart repository holding `echo`, on loopback
    let repo = work.path().join("repo");
    std::fs::create_dir(&repo).unwrap();
    let echo = fixtures().join("charts/echo/1.0.0");
    run(
        &helm,
        &[
            "package",
            echo.to_str().unwrap(),
            "-d",
            repo.to_str().unwrap(),
        ],
        work.path(),
    );
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let url = format!("http://127.0.0.1:{port}");
    run(
        &helm,
        &["repo", "index", repo.to_str().unwrap(), "--url", &url],
        work.path(),
    );
    let server = std::process::Command::new("python3")
        .args([
            "-m",
            "http.server",
            &port.to_string(),
            "--bind",
            "127.0.0.1",
        ])
        .current_dir(&repo)
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn_or_skip();
    let Some(mut server) = server else {
        return;
    };
    // until it listens
    for _ in 0..100 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    // a git repository holding the `gitops` chart at tag v1.0.0
    let git_repo = work.path().join("gitops-charts");
    copy(
        &fixtures().join("charts/gitops/1.0.0"),
        &git_repo.join("chart"),
    );
    let git = Path::new("git");
    run(git, &["init", "-q"], &git_repo);
    run(
        git,
        &["-c", "user.name=t", "-c", "user.email=t@t", "add", "."],
        &git_repo,
    );
    run(
        git,
        &[
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@t",
            "commit",
            "-qm",
            "chart",
        ],
        &git_repo,
    );
    run(git, &["tag", "v1.0.0"], &git_repo);
    // the base fixture with echo from that repository and Argo CD's chart from git
    let dir = built_fixture("ok");
    let components = dir.path().join("components");
    let echo_kdl = std::fs::read_to_string(components.join("echo.kdl"))
        .unwrap()
        .replace("https://charts.example.org", &url);
    std::fs::write(components.join("echo.kdl"), echo_kdl).unwrap();
    let argocd = std::fs::read_to_string(components.join("argocd.kdl"))
        .unwrap()
        .replace(
            r#"chart repo="https://charts.example.org" name=gitops version="1.0.0""#,
            &format!(
                r#"git url="file://{}" path="chart" revision="v1.0.0""#,
                git_repo.display()
            ),
        );
    std::fs::write(components.join("argocd.kdl"), argocd).unwrap();
    assert!(labc(&["build"], dir.path()).status.success());
    // a cache holding only the CNI's chart
    let cache = work.path().join("cache");
    copy(&fixtures().join("charts/cni"), &cache.join("cni"));
    let charts = cache.display().to_string();
    let output = labc(
        &["verify", "--charts", &charts, "--format", "json"],
        dir.path(),
    );
    let _ = server.kill();
    let _ = server.wait();
    let diagnostics: Vec<serde_json::Value> = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(errors(&diagnostics), Vec::<(String, String)>::new());
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        cache.join("echo/1.0.0/Chart.yaml").is_file(),
        "echo was not pulled"
    );
    assert!(
        cache
            .join("gitops-charts/v1.0.0/chart/Chart.yaml")
            .is_file(),
        "the git chart was not cloned"
    );
}

trait SpawnOrSkip {
    /// The child, or `None` with a note when the program is not installed (never in CI).
    fn spawn_or_skip(&mut self) -> Option<std::process::Child>;
}

impl SpawnOrSkip for std::process::Command {
    fn spawn_or_skip(&mut self) -> Option<std::process::Child> {
        match self.spawn() {
            Ok(child) => Some(child),
            Err(e) => {
                assert!(
                    std::env::var_os("CI").is_none(),
                    "{:?}: {e}",
                    self.get_program()
                );
                eprintln!("{:?} cannot run ({e}): skipped", self.get_program());
                None
            }
        }
    }
}
