//! The SIEM's sources, as flows into Wazuh's syslog listener (`crate::wazuh::SYSLOG_PORT` on
//! the workers): Falco's events through Falcosidekick, from its namespace; the nodes' syslog and
//! the API server's audit log, from the nodes' host network. Each comes from a `sources` item of
//! `wazuh`, and Falco's only when Falcosidekick sends there (its `outputs` has `wazuh`).

use super::{Action, Flow, Origin, Peer};
use crate::model::{SettingValue, Site};
use crate::stdlib::Catalog;

fn list<'s>(site: &'s Site, component: &str, setting: &str) -> Option<&'s [String]> {
    let used = site
        .layers
        .iter()
        .flat_map(|l| &l.components)
        .find(|c| c.name.as_str() == component)?;
    match &used.settings.get(setting)?.value {
        SettingValue::List(items) => Some(items),
        _ => None,
    }
}

pub fn flows(site: &Site, catalog: &Catalog) -> Vec<Flow> {
    let Some(wazuh) = catalog
        .get(crate::wazuh::COMPONENT)
        .filter(|_| site.has_component(crate::wazuh::COMPONENT))
    else {
        return Vec::new();
    };
    let sources = list(site, crate::wazuh::COMPONENT, "sources").unwrap_or_default();
    let has = |s: &str| sources.iter().any(|x| x == s);
    let to = Peer::Namespace {
        name: wazuh.namespace.clone(),
    };
    let flow = |from: Peer, source: &str| Flow {
        action: Action::Allow,
        from,
        to: to.clone(),
        ports: vec![crate::wazuh::SYSLOG_PORT],
        methods: Vec::new(),
        paths: Vec::new(),
        hosts: Vec::new(),
        origin: Origin::Siem {
            source: source.to_string(),
        },
    };
    let mut flows = Vec::new();
    let sidekick_sends = list(site, "falcosidekick", "outputs")
        .is_some_and(|outputs| outputs.iter().any(|o| o == crate::wazuh::COMPONENT));
    if has("falco") && sidekick_sends {
        if let Some(sidekick) = catalog.get("falcosidekick") {
            flows.push(flow(
                Peer::Namespace {
                    name: sidekick.namespace.clone(),
                },
                "falco events",
            ));
        }
    }
    if has("k8s-audit") {
        flows.push(flow(Peer::Nodes, "kubernetes audit log"));
    }
    if has("syslog") {
        flows.push(flow(Peer::Nodes, "node syslog"));
    }
    flows
}
