//! The embedded CRD schemas and the check of every custom resource labc writes against them
//! (`compiler/schema/`): what it catches, with which field path, and that real sites pass.

use crate::support::{catalog, display_name, good_sites, root};
use labc::schema::{
    embedded_schema, identity, validate, Lookup, SiteCrds, EMBEDDED_FILES, EMBEDDED_KINDS,
};
use serde_json::json;

/// (field, problem) of every violation of `object` against its embedded CRD.
fn violations(object: &serde_json::Value) -> Vec<(String, String)> {
    let identity = identity(object).expect("an apiVersion and a kind");
    match embedded_schema(&identity) {
        Lookup::Schema { table, root, .. } => validate(table, root, object)
            .into_iter()
            .map(|v| (v.field, v.problem))
            .collect(),
        Lookup::NotServed { .. } => vec![("apiVersion".into(), "not served".into())],
        Lookup::Unknown => panic!("no embedded CRD for {identity:?}"),
    }
}

fn fields(object: &serde_json::Value) -> Vec<String> {
    violations(object).into_iter().map(|(f, _)| f).collect()
}

fn rollout(canary: serde_json::Value) -> serde_json::Value {
    json!({
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "Rollout",
        "metadata": {"name": "web", "namespace": "blog", "labels": {"app": "web"}},
        "spec": {
            "replicas": 2,
            "selector": {"matchLabels": {"app": "web"}},
            "strategy": {"canary": canary},
        }
    })
}

#[test]
fn a_valid_rollout_has_no_violations() {
    let object = rollout(json!({"steps": [{"setWeight": 20}, {"pause": {"duration": "1m"}}]}));
    assert_eq!(violations(&object), vec![]);
}

#[test]
fn a_wrong_type_is_reported_at_its_field_path() {
    let object = rollout(json!({
        "steps": [{"setWeight": 20}, {"pause": {}}, {"setWeight": "fifty"}]
    }));
    assert_eq!(
        violations(&object),
        vec![(
            "spec.strategy.canary.steps[2].setWeight".to_string(),
            "expected an integer, found the string \"fifty\"".to_string()
        )]
    );
}

#[test]
fn an_integer_outside_int32_is_reported() {
    let object = rollout(json!({"steps": [{"setWeight": 5_000_000_000_i64}]}));
    assert_eq!(fields(&object), ["spec.strategy.canary.steps[0].setWeight"]);
}

#[test]
fn an_unknown_field_is_reported_even_deep_down() {
    let object = rollout(json!({"steps": [{"setWeight": 20, "setWieght": 30}]}));
    let found = violations(&object);
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, "spec.strategy.canary.steps[0].setWieght");
    assert!(found[0].1.starts_with("unknown field"), "{}", found[0].1);
}

#[test]
fn an_unknown_metadata_field_is_reported() {
    let mut object = rollout(json!({}));
    object["metadata"]["labelz"] = json!({});
    assert_eq!(fields(&object), ["metadata.labelz"]);
    object["metadata"].as_object_mut().unwrap().remove("labelz");
    object["metadata"]["labels"]["count"] = json!(3);
    assert_eq!(fields(&object), ["metadata.labels[count]"]);
}

#[test]
fn a_missing_required_field_is_reported() {
    let object = json!({
        "apiVersion": "argoproj.io/v1alpha1",
        "kind": "Application",
        "metadata": {"name": "web", "namespace": "argocd"},
        "spec": {"destination": {"namespace": "blog"}}
    });
    assert_eq!(
        violations(&object),
        vec![(
            "spec.project".to_string(),
            "required field missing".to_string()
        )]
    );
}

#[test]
fn a_value_outside_an_enum_is_reported() {
    let object = |mode: &str| {
        json!({
            "apiVersion": "security.istio.io/v1",
            "kind": "PeerAuthentication",
            "metadata": {"name": "default", "namespace": "istio-system"},
            "spec": {"mtls": {"mode": mode}}
        })
    };
    assert_eq!(violations(&object("STRICT")), vec![]);
    let found = violations(&object("strict"));
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].0, "spec.mtls.mode");
    assert!(found[0].1.contains("\"STRICT\""), "{}", found[0].1);
}

#[test]
fn int_or_string_takes_either_and_nothing_else() {
    for surge in [json!(1), json!("25%")] {
        assert_eq!(violations(&rollout(json!({"maxSurge": surge}))), vec![]);
    }
    assert_eq!(
        violations(&rollout(json!({"maxSurge": true}))),
        vec![(
            "spec.strategy.canary.maxSurge".to_string(),
            "expected an integer or a string, found the boolean true".to_string()
        )]
    );
}

#[test]
fn a_version_the_crd_does_not_serve_is_reported() {
    let mut object = rollout(json!({}));
    object["apiVersion"] = json!("argoproj.io/v1beta9");
    let identity = identity(&object).unwrap();
    match embedded_schema(&identity) {
        Lookup::NotServed { served, .. } => assert_eq!(served, ["v1alpha1"]),
        _ => panic!("v1beta9 is not a version of the Rollout CRD"),
    }
}

#[test]
fn presence_rules_of_one_of_are_enforced() {
    // Cilium: a rule selects either endpoints or nodes, never both
    let policy = |spec: serde_json::Value| {
        json!({
            "apiVersion": "cilium.io/v2",
            "kind": "CiliumNetworkPolicy",
            "metadata": {"name": "web", "namespace": "blog"},
            "spec": spec
        })
    };
    let endpoints = json!({"endpointSelector": {}, "ingress": [{}]});
    assert_eq!(violations(&policy(endpoints)), vec![]);
    let both = json!({"endpointSelector": {}, "nodeSelector": {}, "ingress": [{}]});
    assert_eq!(fields(&policy(both)), ["spec"]);
}

/// Every CRD in `stdlib/crds/` is embedded, with the group and kind its file declares: a file
/// the build skipped, or one that was converted under the wrong name, fails here.
#[test]
fn every_crd_file_is_embedded() {
    let dir = root().join("stdlib/crds");
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|n| n.ends_with(".yaml"))
        .collect();
    files.sort();
    assert_eq!(EMBEDDED_FILES, files.as_slice());
    assert!(files.len() >= 10, "the CRDs of the pinned components");
    for file in &files {
        let text = std::fs::read_to_string(dir.join(file)).unwrap();
        let crd: serde_yaml::Value = serde_yaml::from_str(&text).unwrap();
        let group = crd["spec"]["group"].as_str().unwrap();
        let kind = crd["spec"]["names"]["kind"].as_str().unwrap();
        let embedded = EMBEDDED_KINDS
            .iter()
            .find(|k| k.group == group && k.kind == kind)
            .unwrap_or_else(|| panic!("{file}: {group} {kind} is not embedded"));
        assert_eq!(embedded.file, format!("stdlib/crds/{file}"));
        let served: Vec<&str> = crd["spec"]["versions"]
            .as_sequence()
            .unwrap()
            .iter()
            .filter(|v| v["served"].as_bool() != Some(false))
            .map(|v| v["name"].as_str().unwrap())
            .collect();
        let embedded_versions: Vec<&str> =
            embedded.versions.iter().map(|(v, _)| v.as_ref()).collect();
        assert_eq!(embedded_versions, served, "{file}");
    }
}

fn compile_site(
    path: &std::path::Path,
    catalog: &labc::stdlib::Catalog,
) -> Result<labc::Compiled, String> {
    let bytes = std::fs::read(path).unwrap();
    let sealed = labc::seal::read_sealed(path.parent().unwrap()).unwrap();
    labc::compile_with_sealed(&display_name(path), &bytes, catalog, &sealed).map_err(|all| {
        let errors = all.into_iter().filter(|d| !d.error.is_warning()).collect();
        labc::cli::render_plain(errors)
    })
}

/// The seed and every fixture site validate clean, and every custom resource in their output
/// went through the check: a kind without an embedded CRD would escape it.
#[test]
fn every_custom_resource_of_the_good_sites_is_checked_and_valid() {
    let sites = good_sites();
    let catalog = catalog();
    for site in sites {
        let compiled = compile_site(&site, &catalog).unwrap_or_else(|e| panic!("{e}"));
        let checked: Vec<&str> = compiled
            .files
            .checked()
            .iter()
            .map(|c| c.path.as_str())
            .collect();
        for c in compiled.files.checked() {
            assert!(c.violations.is_empty(), "{}: {:?}", c.path, c.violations);
        }
        for (path, bytes) in compiled.files.as_map() {
            if !path.ends_with(".yaml") || path.starts_with("nodes/") {
                continue;
            }
            let text = std::str::from_utf8(bytes).unwrap();
            let Some(api_version) = text.lines().find_map(|l| l.strip_prefix("apiVersion: "))
            else {
                continue;
            };
            let group = api_version.rsplit_once('/').map_or("", |(g, _)| g);
            let custom = group.contains('.') && !group.ends_with("k8s.io");
            assert_eq!(
                custom,
                checked.contains(&path.as_str()),
                "{}: {path}",
                site.display()
            );
        }
        assert!(!checked.is_empty(), "{}", site.display());
    }
}

const ROLLOUT_REPLICAS_AS_STRING: &str = "\
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: rollouts.argoproj.io
spec:
  group: argoproj.io
  names: {kind: Rollout, plural: rollouts}
  scope: Namespaced
  versions:
    - name: v1alpha1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          type: object
          properties:
            spec:
              type: object
              x-kubernetes-preserve-unknown-fields: true
              properties:
                replicas: {type: string}
";

/// A site's own CRD decides for its kind: the seed's Rollouts, valid for the embedded CRD,
/// break one that wants `replicas` as a string.
#[test]
fn a_site_crd_decides_over_the_embedded_one() {
    let crds = SiteCrds::from_files([("crds/rollouts.yaml", ROLLOUT_REPLICAS_AS_STRING)])
        .unwrap_or_else(|e| panic!("{}", labc::cli::render_plain(e)));
    let catalog = catalog().with_crds(crds);
    let Err(rendered) = compile_site(&root().join("site.kdl"), &catalog) else {
        panic!("the site's CRD was not used");
    };
    assert!(rendered.contains("labc::emit::schema"), "{rendered}");
    assert!(
        !rendered.contains("DestinationRule"),
        "only Rollouts break it: {rendered}"
    );
    insta::assert_snapshot!("site_crd_violation", rendered);
}

#[test]
fn a_site_crd_that_serves_the_version_and_allows_the_fields_passes() {
    let open =
        ROLLOUT_REPLICAS_AS_STRING.replace("replicas: {type: string}", "replicas: {type: integer}");
    let crds = SiteCrds::from_files([("crds/rollouts.yaml", open.as_str())]).unwrap();
    let catalog = catalog().with_crds(crds);
    compile_site(&root().join("site.kdl"), &catalog).unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn a_broken_site_crd_is_a_diagnostic() {
    let files = [
        ("crds/not-yaml.yaml", "spec: [unclosed\n"),
        ("crds/configmap.yaml", "apiVersion: v1\nkind: ConfigMap\n"),
        (
            "crds/no-schema.yaml",
            "kind: CustomResourceDefinition\nspec:\n  group: example.org\n  names: {kind: Thing}\n  versions:\n    - name: v1\n",
        ),
    ];
    let errors = SiteCrds::from_files(files).expect_err("three broken files");
    assert_eq!(errors.len(), 3);
    assert!(errors
        .iter()
        .all(|e| e.error.code_str() == "labc::crd::invalid"));
    insta::assert_snapshot!("site_crd_invalid", labc::cli::render_plain(errors));
}

/// The API server fills in defaults before it validates: a required field with a `default` is
/// never missing. A rule naming more fields than labc tracks is left to the API server rather
/// than the CRD refused.
#[test]
fn defaulted_required_fields_and_wide_rules_are_accepted() {
    let anyof: String = (0..70)
        .map(|i| format!("                  - required: [f{i}]\n"))
        .collect();
    let crd = ROLLOUT_REPLICAS_AS_STRING.replace(
        "                replicas: {type: string}\n",
        &format!(
            "                replicas: {{type: integer}}\n                progressDeadlineSeconds: {{type: integer, default: 600}}\n                strategy:\n                  type: object\n                  x-kubernetes-preserve-unknown-fields: true\n                  anyOf:\n{anyof}              required: [progressDeadlineSeconds]\n"
        ),
    );
    let crds = SiteCrds::from_files([("crds/rollouts.yaml", crd.as_str())])
        .unwrap_or_else(|e| panic!("{}", labc::cli::render_plain(e)));
    let catalog = catalog().with_crds(crds);
    compile_site(&root().join("site.kdl"), &catalog).unwrap_or_else(|e| panic!("{e}"));
}

/// The pinned chart that installs each embedded CRD: (chart folder in the offline chart cache,
/// what to render, file names). Cilium's operator installs its CRDs (the chart has none) and no
/// component installs the Gateway API, so those files have no row (stdlib/crds/README.md).
const CHART_CRDS: &[(&str, &str, &[&str])] = &[
    (
        "argo-cd/9.3.7",
        "",
        &[
            "argoproj.io_applications.yaml",
            "argoproj.io_applicationsets.yaml",
            "argoproj.io_appprojects.yaml",
        ],
    ),
    (
        "argo-rollouts/2.41.0",
        "",
        &[
            "argoproj.io_analysisruns.yaml",
            "argoproj.io_analysistemplates.yaml",
            "argoproj.io_clusteranalysistemplates.yaml",
            "argoproj.io_rollouts.yaml",
        ],
    ),
    (
        "base/1.29.6",
        "",
        &[
            "networking.istio.io_destinationrules.yaml",
            "networking.istio.io_gateways.yaml",
            "networking.istio.io_serviceentries.yaml",
            "networking.istio.io_virtualservices.yaml",
            "security.istio.io_authorizationpolicies.yaml",
            "security.istio.io_peerauthentications.yaml",
            "security.istio.io_requestauthentications.yaml",
            "telemetry.istio.io_telemetries.yaml",
        ],
    ),
    (
        "sealed-secrets/2.18.5",
        "",
        &["bitnami.com_sealedsecrets.yaml"],
    ),
    // the parent chart needs subcharts the cache does not hold to render; its CRDs are its
    // `crds` subchart's
    (
        "kube-prometheus-stack/88.5.3",
        "charts/crds",
        &[
            "monitoring.coreos.com_podmonitors.yaml",
            "monitoring.coreos.com_prometheusrules.yaml",
            "monitoring.coreos.com_servicemonitors.yaml",
        ],
    ),
    (
        "opentelemetry-operator/0.122.0",
        "",
        &["opentelemetry.io_instrumentations.yaml"],
    ),
    (
        "trivy-operator/0.34.0",
        "",
        &[
            "aquasecurity.github.io_clustercompliancereports.yaml",
            "aquasecurity.github.io_clusterconfigauditreports.yaml",
            "aquasecurity.github.io_clusterinfraassessmentreports.yaml",
            "aquasecurity.github.io_clusterrbacassessmentreports.yaml",
            "aquasecurity.github.io_clustersbomreports.yaml",
            "aquasecurity.github.io_clustervulnerabilityreports.yaml",
            "aquasecurity.github.io_configauditreports.yaml",
            "aquasecurity.github.io_exposedsecretreports.yaml",
            "aquasecurity.github.io_infraassessmentreports.yaml",
            "aquasecurity.github.io_rbacassessmentreports.yaml",
            "aquasecurity.github.io_sbomreports.yaml",
            "aquasecurity.github.io_vulnerabilityreports.yaml",
        ],
    ),
];

/// Every CRD `helm template --include-crds` renders for a chart folder, as JSON values.
fn rendered_crds(helm: &std::path::Path, chart: &std::path::Path) -> Vec<serde_json::Value> {
    let output = std::process::Command::new(helm)
        .args(["template", "crds"])
        .arg(chart)
        // the site's Kubernetes version: Helm's default is newer
        .args([
            "--namespace",
            "crds",
            "--kube-version",
            "1.31.13",
            "--include-crds",
        ])
        .output()
        .expect("helm runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{}: {stderr}", chart.display());
    let text = String::from_utf8(output.stdout).unwrap();
    serde_yaml::Deserializer::from_str(&text)
        .map(|doc| serde::Deserialize::deserialize(doc).unwrap())
        .filter(|v: &serde_json::Value| v["kind"] == "CustomResourceDefinition")
        .collect()
}

/// The embedded CRDs are the ones the pinned charts install: each file's `spec` equals the one
/// its chart, at the version a stdlib component pins, renders; and every CRD those charts render
/// converts into an extra set (`SiteCrds::from_values`, what `labc verify` builds from a
/// rendered chart). Needs the offline chart cache `../shared/reference/charts` and `helm`; it
/// skips only when one of them is absent.
#[test]
fn every_embedded_crd_is_the_one_its_pinned_chart_installs() {
    let charts = root().join("../shared/reference/charts");
    let (true, Some(helm)) = (charts.is_dir(), crate::support::helm()) else {
        eprintln!("skipped: needs ../shared/reference/charts and helm");
        return;
    };
    let pinned: Vec<String> = catalog()
        .components()
        .flat_map(|c| {
            let Some(labc::stdlib::ChartSource::Helm { chart, version, .. }) = &c.source else {
                return Vec::new();
            };
            let mut names = vec![chart.clone()];
            names.extend(c.releases.iter().filter_map(|r| r.chart.clone()));
            names
                .into_iter()
                .map(|n| format!("{n}/{version}"))
                .collect()
        })
        .collect();
    let mut covered = Vec::new();
    let mut all = Vec::new();
    for (folder, sub, files) in CHART_CRDS {
        assert!(
            pinned.iter().any(|p| p == folder),
            "{folder} is not pinned: {pinned:?}"
        );
        let rendered = rendered_crds(&helm, &charts.join(folder).join(sub));
        for file in *files {
            let text = std::fs::read_to_string(root().join("stdlib/crds").join(file)).unwrap();
            let embedded: serde_json::Value = serde_yaml::from_str(&text).unwrap();
            let name = &embedded["metadata"]["name"];
            let chart_crd = rendered
                .iter()
                .find(|c| &c["metadata"]["name"] == name)
                .unwrap_or_else(|| panic!("{folder} renders no {name}"));
            assert!(
                chart_crd["spec"] == embedded["spec"],
                "stdlib/crds/{file} is not the CRD {folder} installs"
            );
            covered.push(file.to_string());
        }
        all.extend(rendered.into_iter().map(|crd| (folder.to_string(), crd)));
    }
    let mut expected: Vec<String> = EMBEDDED_FILES
        .iter()
        .filter(|f| !f.starts_with("cilium.io_") && !f.starts_with("gateway.networking.k8s.io_"))
        .map(|f| f.to_string())
        .collect();
    expected.sort();
    covered.sort();
    assert_eq!(
        covered, expected,
        "an embedded CRD no pinned chart was compared with"
    );
    let extra = SiteCrds::from_values(all.iter().map(|(folder, crd)| (folder.as_str(), crd)))
        .unwrap_or_else(|problems| panic!("{problems:?}"));
    assert!(!extra.is_empty());
}
