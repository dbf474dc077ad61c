//! Private registries: every pod whose image is on a declared registry names that registry's
//! pull secret, which is declared (a sealing skeleton of type kubernetes.io/dockerconfigjson) in
//! each namespace whose pods pull from it; `labc seal` seals one copy per namespace, and the
//! build places each with its namespace's first consumer. Images on other registries get none.

use crate::secrets::private_key;
use crate::support::{labc, root};
use base64::Engine;
use labc::model::SecretScope;
use labc::secrets::format;
use serde_yaml::Value;
use std::path::Path;

const SITE: &str = r#"site pulls {
    repo "https://git.example.org/me/pulls.git" revision="main" path="out"
    kubernetes "1.31.13" runtime="containerd" runtime-version="2.1.5"
}
node box role="control-plane" address="10.0.0.2" schedulable=#true
layer cni { cilium; }
layer gitops {
    argocd
    sealed-secrets cert="cert.pem"
}
registry "ghcr.io" secret="ghcr-pull"
registry "registry.example.dev:5000" secret="lab-pull"
app api namespace="team-a" image="ghcr.io/me/api:1.0.0" { port 8080; }
app jobs namespace="team-b" image="ghcr.io/me/jobs:1.0.0" { port 8080; }
app lab namespace="team-b" image="registry.example.dev:5000/lab:2.0.0" { port 8080; }
// on a registry no declaration names: public, no pull secret
app web namespace="team-b" image="quay.io/me/web:3.0.0" { port 8080; }
"#;

fn read_yaml(path: &Path) -> Value {
    serde_yaml::from_str(&std::fs::read_to_string(path).unwrap())
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The pod template of the app's workload, whatever its kind.
fn pull_secrets(out: &Path, app: &str) -> Vec<String> {
    let folder = out.join("apps").join(app);
    let workload = std::fs::read_dir(&folder)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| {
            let name = p.file_name().unwrap().to_string_lossy();
            name.starts_with("deployment-") || name.starts_with("rollout-")
        })
        .unwrap_or_else(|| panic!("no workload in {}", folder.display()));
    read_yaml(&workload)["spec"]["template"]["spec"]["imagePullSecrets"]
        .as_sequence()
        .into_iter()
        .flatten()
        .map(|r| r["name"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn pods_on_a_private_registry_pull_with_its_secret_sealed_in_their_namespace() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("site.kdl"), SITE).unwrap();
    std::fs::copy(
        root().join("tests/fixtures/ok/sealed/cert.pem"),
        dir.path().join("cert.pem"),
    )
    .unwrap();
    let build = labc(&["build"], dir.path());
    assert!(
        build.status.success(),
        "{}",
        String::from_utf8_lossy(&build.stderr)
    );
    let out = dir.path().join("out");
    assert_eq!(pull_secrets(&out, "api"), ["ghcr-pull"]);
    assert_eq!(pull_secrets(&out, "jobs"), ["ghcr-pull"]);
    assert_eq!(pull_secrets(&out, "lab"), ["lab-pull"]);
    assert!(pull_secrets(&out, "web").is_empty());
    // a skeleton in each namespace that pulls, none where nothing does
    for (ns, name, exists) in [
        ("team-a", "ghcr-pull", true),
        ("team-b", "ghcr-pull", true),
        ("team-b", "lab-pull", true),
        ("team-a", "lab-pull", false),
    ] {
        let path = out.join(format!("seal/{ns}/secret-{name}.yaml"));
        assert_eq!(path.exists(), exists, "{}", path.display());
        if exists {
            let skeleton = read_yaml(&path);
            assert_eq!(skeleton["type"], "kubernetes.io/dockerconfigjson");
            let keys: Vec<_> = skeleton["stringData"]
                .as_mapping()
                .unwrap()
                .keys()
                .collect();
            assert_eq!(keys, [&Value::from(".dockerconfigjson")]);
        }
    }

    // one `labc seal` seals the credentials for each namespace that pulls from the registry
    let config = r#"{"auths":{"ghcr.io":{"auth":"bWU6dG9rZW4="}}}"#;
    let seal = std::process::Command::new(env!("CARGO_BIN_EXE_labc"))
        .args(["seal", "--env"])
        .current_dir(dir.path())
        .env("NO_COLOR", "1")
        .env("LABC_SEAL_KEY", "11".repeat(32))
        .env("LABC_SECRET_GHCR_PULL__DOCKERCONFIGJSON", config)
        .env("LABC_SECRET_LAB_PULL__DOCKERCONFIGJSON", config)
        .output()
        .unwrap();
    assert!(
        seal.status.success(),
        "{}",
        String::from_utf8_lossy(&seal.stderr)
    );
    for ns in ["team-a", "team-b"] {
        let sealed = read_yaml(&dir.path().join(format!("sealed/{ns}/ghcr-pull.yaml")));
        assert_eq!(
            sealed["spec"]["template"]["type"],
            "kubernetes.io/dockerconfigjson"
        );
        let b64 = sealed["spec"]["encryptedData"][".dockerconfigjson"]
            .as_str()
            .unwrap();
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(b64)
            .unwrap();
        // bound to its own namespace: it opens there and nowhere else
        let open =
            |ns: &str| format::open(&private_key(), SecretScope::Strict, ns, "ghcr-pull", &bytes);
        assert_eq!(open(ns).unwrap(), config.as_bytes());
        let other = if ns == "team-a" { "team-b" } else { "team-a" };
        assert!(open(other).is_err());
    }
    let build = labc(&["build"], dir.path());
    assert!(
        build.status.success(),
        "{}",
        String::from_utf8_lossy(&build.stderr)
    );
    // synced with the namespace's first consumer (same wave: the first folder by name), before it
    for (folder, ns) in [("api", "team-a"), ("jobs", "team-b")] {
        let placed = read_yaml(&out.join(format!("apps/{folder}/sealedsecret-ghcr-pull.yaml")));
        assert_eq!(placed["metadata"]["namespace"], ns);
        assert_eq!(
            placed["metadata"]["annotations"]["argocd.argoproj.io/sync-wave"],
            "-1"
        );
        assert_eq!(
            placed["spec"]["template"]["type"],
            "kubernetes.io/dockerconfigjson"
        );
    }
    assert!(out.join("apps/lab/sealedsecret-lab-pull.yaml").exists());
}
