//! TLS on gateways: `gateway … tls=` declares the certificate's secret (kubernetes.io/tls) in
//! the gateways' namespace, the Istio Gateway serves it on 443, and port 80 redirects to HTTPS
//! unless a Cloudflare tunnel, which reaches the gateway over plain HTTP, is in front.

use crate::support::{compile_objects, find, root};
use serde_yaml::Value;

fn seed_with_tls(cloudflare: bool) -> String {
    let seed = std::fs::read_to_string(root().join("site.kdl")).unwrap();
    let mut site = seed.replace(
        "    gateway public {\n",
        "    gateway public tls=\"blog-tls\" {\n",
    );
    assert_ne!(site, seed, "the seed's gateway moved");
    if !cloudflare {
        let line = "    cloudflare zone=\"example.dev\" tunnel-secret=\"cloudflare-tunnel\"\n";
        assert!(site.contains(line));
        site = site.replace(line, "");
    }
    site
}

fn servers(objects: &[Value]) -> Vec<Value> {
    find(objects, "Gateway", "public")["spec"]["servers"]
        .as_sequence()
        .unwrap()
        .clone()
}

#[test]
fn a_gateway_with_tls_serves_its_certificate_on_443_and_redirects_80() {
    let objects = compile_objects(&seed_with_tls(false));
    let servers = servers(&objects);
    assert_eq!(servers.len(), 2);
    assert_eq!(servers[0]["port"]["number"], 80);
    assert_eq!(servers[0]["tls"]["httpsRedirect"], true);
    assert_eq!(servers[1]["port"]["number"], 443);
    assert_eq!(servers[1]["port"]["protocol"], "HTTPS");
    assert_eq!(servers[1]["tls"]["mode"], "SIMPLE");
    assert_eq!(servers[1]["tls"]["credentialName"], "blog-tls");
    assert_eq!(servers[0]["hosts"], servers[1]["hosts"]);
    // the certificate's sealing input, in the namespace Istio's gateway reads it from
    let skeleton = objects
        .iter()
        .find(|o| o["kind"] == "Secret" && o["metadata"]["name"] == "blog-tls")
        .expect("the skeleton of blog-tls");
    assert_eq!(skeleton["metadata"]["namespace"], "istio-ingress");
    assert_eq!(skeleton["type"], "kubernetes.io/tls");
    let keys: Vec<&str> = skeleton["stringData"]
        .as_mapping()
        .unwrap()
        .keys()
        .map(|k| k.as_str().unwrap())
        .collect();
    assert_eq!(keys, ["tls.crt", "tls.key"]);
    // the gateway chart's Service exposes the port the Gateway's HTTPS server listens on
    let Some(rendered) = crate::canary::render(&objects, "gateway-public", "gateway_tls") else {
        return;
    };
    let service = rendered
        .iter()
        .find(|o| o["kind"] == "Service")
        .expect("the gateway's Service");
    let ports: Vec<u64> = service["spec"]["ports"]
        .as_sequence()
        .unwrap()
        .iter()
        .filter_map(|p| p["port"].as_u64())
        .collect();
    assert!(ports.contains(&443) && ports.contains(&80), "{ports:?}");
}

#[test]
fn behind_cloudflare_port_80_does_not_redirect() {
    let objects = compile_objects(&seed_with_tls(true));
    let servers = servers(&objects);
    // cloudflared sends plain HTTP to port 80 with the visitor's host: a redirect would loop
    assert!(servers[0]["tls"].is_null(), "{:?}", servers[0]);
    assert_eq!(servers[1]["tls"]["credentialName"], "blog-tls");
    let tunnel =
        &find(&objects, "Application", "cloudflare")["spec"]["source"]["helm"]["valuesObject"];
    let text = serde_yaml::to_string(tunnel).unwrap();
    assert!(
        text.contains(":80"),
        "the tunnel targets the gateway's port 80: {text}"
    );
}
