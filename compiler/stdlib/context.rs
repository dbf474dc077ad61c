//! The facts a values template may read. Each is taken from `site.kdl` once; the templates turn
//! them into whatever key each chart wants, so no fact is written twice.
//!
//! ```text
//! site        name, domain, kubernetes, network.{nodes,pods,services}
//! api_server  address (the first control-plane node), port
//! has         component name -> whether the site uses it (every catalogue component is listed)
//! namespace   component name -> its namespace (every catalogue component)
//! gateways    [{name, hosts}] of the ingress layer
//! alerts      channel -> {secret, key} (every channel is listed, #null when absent); key is
//!             the declared secret's first key
//! falco_secret_outputs  the Falcosidekick outputs that read the outputs secret
//! alert_secrets  the alerts' secrets, sorted, each once (what Alertmanager mounts)
//! kube_proxy  whether kube-proxy runs (false when Cilium replaces it)
//! settings    the component's settings, with stdlib defaults, #null when unset
//! release     {name, namespace} of the release being rendered
//! gateway     {name, hosts}, only in a release repeated with each=gateway
//! workloads   {namespaces: [the namespaces of apps and databases, sorted, once each]}
//! quarantine  {label, value}: the pod label each workload's quarantine policy selects
//! endpoints   component -> endpoint -> {url, host, port, service, namespace, protocol} of the
//!             site's components (read with `{{endpoint "loki" "push"}}`, not directly)
//! ```

use super::Catalog;
use crate::model::{AlertChannel, NodeRole, SettingValue, Site};
use serde_json::{json, Map, Value};

/// The part of the context that is the same for every component of a site.
pub fn site_context(site: &Site, catalog: &Catalog) -> Value {
    let s = &site.settings;
    let used: Vec<&str> = site
        .layers
        .iter()
        .flat_map(|l| &l.components)
        .map(|c| c.name.as_str())
        .collect();
    let has: Map<String, Value> = catalog
        .names()
        .map(|n| (n.to_string(), Value::Bool(used.contains(&n))))
        .collect();
    let namespace: Map<String, Value> = catalog
        .components()
        .map(|c| (c.name.clone(), Value::String(c.namespace.clone())))
        .collect();
    let gateways: Vec<Value> = site
        .layers
        .iter()
        .flat_map(|l| &l.gateways)
        .map(|g| {
            json!({
                "name": g.name.as_str(),
                "hosts": g.hosts.iter().map(|h| h.as_str()).collect::<Vec<_>>(),
            })
        })
        .collect();
    let alerts: Map<String, Value> = AlertChannel::ALL
        .iter()
        .map(|(word, channel)| {
            let alert = s.alerts.iter().find(|a| a.channel.value == *channel);
            let value = alert.map_or(Value::Null, |a| {
                let key = site
                    .secrets
                    .iter()
                    .find(|s| s.name.as_str() == a.secret.as_str())
                    .and_then(|s| s.keys.first())
                    .map(|k| k.value.clone());
                json!({"secret": a.secret.as_str(), "key": key})
            });
            (word.to_string(), value)
        })
        .collect();
    let cilium = site
        .layers
        .iter()
        .flat_map(|l| &l.components)
        .find(|c| c.name.as_str() == "cilium");
    let replaced = cilium.is_some_and(|c| {
        let written = c.settings.get("kube-proxy-replacement").map(|v| &v.value);
        let default = catalog
            .get("cilium")
            .and_then(|d| d.setting("kube-proxy-replacement"))
            .and_then(|s| s.default.as_ref());
        written.or(default) == Some(&SettingValue::Bool(true))
    });
    let control_plane = site.nodes.iter().find(|n| n.role == NodeRole::ControlPlane);
    let workload_namespaces: std::collections::BTreeSet<&str> = site
        .apps
        .iter()
        .map(|a| a.namespace.as_str())
        .chain(site.databases.iter().map(|d| d.namespace.as_str()))
        .collect();
    let (label, value) = crate::emit::QUARANTINE;
    json!({
        "site": {
            "name": s.name.as_str(),
            "domain": s.domain.as_ref().map(|d| d.as_str()),
            "kubernetes": s.kubernetes.value.to_string(),
            "network": {
                "nodes": s.network.nodes.as_ref().map(|c| c.value.to_string()),
                "pods": s.network.pods.value.to_string(),
                "services": s.network.services.value.to_string(),
            },
        },
        "api_server": {
            "address": control_plane.map(|n| n.address.value.to_string()),
            "port": 6443,
        },
        "kube_proxy": !replaced,
        "has": has,
        "namespace": namespace,
        "gateways": gateways,
        "alerts": alerts,
        "falco_secret_outputs": crate::model::falco_outputs::SECRET_OUTPUTS
            .iter()
            .map(|o| o.name)
            .collect::<Vec<_>>(),
        "alert_secrets": s
            .alerts
            .iter()
            .map(|a| a.secret.to_string())
            .collect::<std::collections::BTreeSet<_>>(),
        "workloads": {"namespaces": workload_namespaces},
        "quarantine": {"label": label, "value": value},
        "endpoints": super::endpoints::context(site, catalog),
    })
}

/// A setting as a template sees it: durations and quantities as written (`15d`, `10Gi`).
pub fn setting_json(value: &SettingValue) -> Value {
    match value {
        SettingValue::Bool(b) => Value::Bool(*b),
        SettingValue::Int(i) => Value::from(*i),
        SettingValue::String(s) => Value::String(s.clone()),
        SettingValue::Duration(d) => Value::String(d.to_string()),
        SettingValue::Quantity(q) => Value::String(q.to_string()),
        SettingValue::Percent(p) => Value::String(p.to_string()),
        SettingValue::List(items) => json!(items),
    }
}
