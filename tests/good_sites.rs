//! Sites that compile: the whole `out/` of each is a snapshot, read and judged when accepted.

use crate::support::{catalog, display_name, out_text, root};

fn compile(path: &std::path::Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    let bytes = std::fs::read(path).unwrap();
    let sealed = labc::seal::read_sealed(path.parent().unwrap()).unwrap();
    match labc::compile_with_sealed(&display_name(path), &bytes, &catalog(), &sealed) {
        Ok(mut compiled) => {
            // a secret not sealed yet is the normal state of a site before `labc seal`, and a
            // component's caveat (Wazuh's tree to vendor) of a site before that work is done
            compiled.warnings.retain(|w| {
                !matches!(
                    w.error.code_str().as_str(),
                    "labc::secret::not_sealed" | "labc::component::caveat"
                )
            });
            assert!(
                compiled.warnings.is_empty(),
                "{}",
                labc::cli::render_plain(compiled.warnings)
            );
            compiled.files.into_map()
        }
        Err(errors) => panic!(
            "{} failed:\n{}",
            path.display(),
            labc::cli::render_plain(errors)
        ),
    }
}

#[test]
fn the_seed_site_compiles_to_its_snapshot() {
    let files = compile(&root().join("site.kdl"));
    insta::assert_snapshot!("seed_site_out", out_text(&files));
}

#[test]
fn every_fixture_site_compiles_to_its_snapshot() {
    let dir = root().join("tests/fixtures/ok");
    let mut cases: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    cases.sort();
    assert!(cases.len() >= 3, "at least three fixture sites");
    for case in cases {
        let name = case.file_name().unwrap().to_string_lossy().to_string();
        let files = compile(&case.join("site.kdl"));
        insta::assert_snapshot!(format!("ok_{name}"), out_text(&files));
    }
}

/// The order Argo CD installs the seed site in, wave by wave: the network, then storage and
/// what needs only the network, then the mesh (base, CNI agent, istiod, the gateway, the mesh
/// policy), then what runs in it, then what feeds on that.
#[test]
fn the_seed_site_installs_in_the_order_a_person_would_choose() {
    let files = compile(&root().join("site.kdl"));
    let mut waves: std::collections::BTreeMap<i64, Vec<String>> = Default::default();
    for (path, bytes) in &files {
        if !path.starts_with("argocd/application-") {
            continue;
        }
        let app: serde_json::Value = serde_yaml::from_slice(bytes).unwrap();
        let wave = app["metadata"]["annotations"]["argocd.argoproj.io/sync-wave"]
            .as_str()
            .unwrap()
            .parse()
            .unwrap();
        let name = app["metadata"]["name"].as_str().unwrap().to_string();
        waves.entry(wave).or_default().push(name);
    }
    let order: Vec<String> = waves
        .iter()
        .map(|(wave, names)| format!("{wave}: {}", names.join(" ")))
        .collect();
    assert_eq!(
        order,
        [
            "-1: homelab-namespaces",
            "0: cilium",
            "10: argocd falco local-path longhorn sealed-secrets",
            "20: istio-base kube-prometheus-stack loki tempo wazuh",
            "21: istio-cni",
            "22: istiod",
            "23: gateway-public",
            "29: homelab-mesh",
            "30: argo-rollouts cloudflare falcosidekick mysql otel trivy",
            "40: falco-talon was",
            "50: web",
        ]
    );
}
