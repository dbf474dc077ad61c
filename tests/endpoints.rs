//! Contracts declared in component files: endpoints that values templates read by name, and the
//! namespaces a chart writes to. A site's own `components/` file stands in for a component
//! with a mistake, since the embedded stdlib has none.

use crate::support::{catalog, root};
use labc::stdlib::{Catalog, STDLIB_FILES};

fn with_own(file: &str, text: &str) -> Result<Catalog, Vec<labc::diag::Located>> {
    Catalog::from_files(
        STDLIB_FILES
            .iter()
            .map(|(n, t)| (*n, *t))
            .chain([(file, text)]),
    )
}

fn codes(errors: &[labc::diag::Located]) -> Vec<String> {
    errors.iter().map(|e| e.error.code_str()).collect()
}

const ONE_NODE: &str = "tests/fixtures/ok/one_node/site.kdl";

/// Every address the stdlib's templates write between components comes from a declaration:
/// the seed's Falco sends to the Service its sidekick declares, in the sidekick's namespace.
#[test]
fn templates_write_the_declared_address() {
    let catalog = catalog();
    let site = std::fs::read(root().join("site.kdl")).unwrap();
    let document = labc::syntax::parse("site.kdl", &site).unwrap().document;
    let (parsed, _) = labc::decode::decode(&document, &catalog);
    let endpoints = labc::stdlib::site_endpoints(&parsed, &catalog);
    let sidekick = endpoints
        .iter()
        .find(|e| e.component == "falcosidekick" && e.endpoint == "events")
        .expect("the sidekick declares its events endpoint");
    assert_eq!(
        sidekick.namespace,
        catalog.get("falcosidekick").unwrap().namespace
    );
    let objects = crate::support::compile_objects(std::str::from_utf8(&site).unwrap());
    let falco = crate::support::find(&objects, "Application", "falco");
    assert_eq!(
        falco["spec"]["source"]["helm"]["valuesObject"]["falco"]["http_output"]["url"],
        format!("{}/", sidekick.url()).as_str()
    );
    // one endpoint per gateway, named after it, in the gateway release's namespace
    let gateway = endpoints
        .iter()
        .find(|e| e.component == "istio" && e.gateway.as_deref() == Some("public"))
        .unwrap();
    assert_eq!(
        (gateway.service.as_str(), gateway.namespace.as_str()),
        ("public", "istio-ingress")
    );
}

/// A template naming an endpoint nobody declares is refused when the catalogue loads, on the
/// template in the component file.
#[test]
fn an_undeclared_endpoint_is_refused_in_the_component_file() {
    let text = "component falco {\n    layer runtime-security\n    namespace falco\n    chart repo=\"https://falcosecurity.github.io/charts\" name=falco version=\"9.1.0\"\n    values \"url: {{endpoint \\\"falcosidekick\\\" \\\"event\\\"}}\"\n}\n";
    let errors = with_own("components/falco.kdl", text).expect_err("refused");
    assert_eq!(codes(&errors), ["labc::component::unknown_endpoint"]);
    assert_eq!(errors[0].file.name, "components/falco.kdl");
    let label = miette::Diagnostic::labels(&errors[0].error)
        .and_then(|mut l| l.next())
        .unwrap();
    assert!(text[label.offset()..].starts_with("values \"url"));
    let help = miette::Diagnostic::help(&errors[0].error)
        .unwrap()
        .to_string();
    assert!(
        help.contains("did you mean `falcosidekick events`?"),
        "{help}"
    );
}

/// A template that reads an endpoint of a component the site lacks is refused at build, on the
/// site's use of the consumer, and names the layer the provider belongs to.
#[test]
fn an_endpoint_whose_provider_is_not_in_the_site_is_refused() {
    let text = "component cilium {\n    layer cni\n    namespace kube-system\n    chart repo=\"https://helm.cilium.io/\" name=cilium version=\"1.18.12\"\n    values \"lokiUrl: {{endpoint \\\"loki\\\" \\\"gateway\\\"}}\"\n}\n";
    let catalog = with_own("components/cilium.kdl", text).unwrap();
    let site = std::fs::read(root().join(ONE_NODE)).unwrap();
    let errors = labc::compile("site.kdl", &site, &catalog)
        .err()
        .expect("refused");
    assert_eq!(
        codes(&errors),
        ["labc::component::endpoint_provider_missing"]
    );
    insta::assert_snapshot!("endpoint_provider_missing", labc::cli::render_plain(errors));
}

/// A key that renders to null is refused at build: Helm would delete the chart's defaults there.
#[test]
fn a_values_key_rendering_to_null_is_refused() {
    let text = "component cilium {\n    layer cni\n    namespace kube-system\n    chart repo=\"https://helm.cilium.io/\" name=cilium version=\"1.18.12\"\n    values \"hubble:\\n  {{#if has.loki}}\\n  enabled: true\\n  {{/if}}\\n\"\n}\n";
    let catalog = with_own("components/cilium.kdl", text).unwrap();
    let site = std::fs::read(root().join(ONE_NODE)).unwrap();
    let errors = labc::compile("site.kdl", &site, &catalog)
        .err()
        .expect("refused");
    assert_eq!(codes(&errors), ["labc::component::values_null"]);
    assert!(errors[0].error.to_string().contains("`hubble`"));
}

/// The platform's AppProject permits what each component declares it writes to, and only for
/// the components the site uses.
#[test]
fn the_platform_project_follows_writes_to() {
    let text = std::fs::read_to_string(root().join("stdlib/components/cilium.kdl"))
        .unwrap()
        .replace(
            "writes-to cilium-secrets",
            "writes-to cilium-secrets cilium-extra",
        );
    let catalog = with_own("components/cilium.kdl", &text).unwrap();
    assert!(catalog
        .writes_to()
        .any(|(c, ns)| c == "cilium" && ns == "cilium-extra"));
    let site = std::fs::read(root().join(ONE_NODE)).unwrap();
    let compiled = labc::compile("site.kdl", &site, &catalog).unwrap();
    let objects = crate::support::api_objects(compiled.files.as_map());
    let project = crate::support::find(&objects, "AppProject", "tiny-platform");
    let permitted: Vec<&str> = project["spec"]["destinations"]
        .as_sequence()
        .unwrap()
        .iter()
        .filter_map(|d| d["namespace"].as_str())
        .collect();
    assert!(permitted.contains(&"cilium-extra"), "{permitted:?}");
    assert!(permitted.contains(&"cilium-secrets"), "{permitted:?}");
    // the catalogue says who writes where, for a verifier to prove against the charts
    let kube_system_from: Vec<&str> = catalog
        .writes_to()
        .filter(|(_, ns)| *ns == "kube-system")
        .map(|(c, _)| c)
        .collect();
    assert_eq!(kube_system_from, ["prometheus"]);
}

/// An endpoint must say which Service it is, except one repeated per gateway, which must not;
/// a name is given once per component.
#[test]
fn endpoint_declarations_are_checked() {
    let component = |endpoints: &str| {
        format!("component cache {{\n    layer observability\n    namespace monitoring\n    chart repo=\"https://example.org/charts\" name=cache version=\"1.0.0\"\n{endpoints}}}\n")
    };
    let refused = |endpoints: &str| {
        let text = component(endpoints);
        codes(&with_own("components/cache.kdl", &text).expect_err("refused"))
    };
    assert_eq!(
        refused("    endpoint http port=80 protocol=http\n"),
        ["labc::decode::missing_property"]
    );
    assert_eq!(
        refused("    endpoint http service=cache port=80 protocol=smtp\n"),
        ["labc::decode::unknown_value"]
    );
    assert_eq!(
        refused("    endpoint http service=cache port=80 protocol=http\n    endpoint http service=cache port=81 protocol=http\n"),
        ["labc::name::duplicate"]
    );
    let catalog = with_own(
        "components/cache.kdl",
        &component("    endpoint http service=cache port=80 protocol=http path=\"/api\"\n"),
    )
    .unwrap();
    let (owner, declared) = catalog
        .endpoints()
        .find(|(c, _)| c.name == "cache")
        .unwrap();
    assert_eq!(
        (
            declared.service.as_deref(),
            declared.namespace_in(owner),
            declared.port
        ),
        (Some("cache"), "monitoring", 80)
    );
}
