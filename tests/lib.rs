//! All integration tests in one binary: fixtures in, `out/` or diagnostics out.

mod support;

mod alerts;
mod annotations;
mod bad_inputs;
mod bootstrap;
mod canary;
mod ci;
mod cli;
#[cfg(feature = "fault-injection")]
mod crash;
mod cve_scan;
mod databases;
mod determinism;
mod diff;
mod docs;
mod endpoints;
mod flows;
mod fmt;
mod gateway_tls;
mod good_sites;
mod graph;
mod init;
mod instrumentation;
mod kdl_spec;
mod kubeadm;
mod namespaces;
mod noop;
mod platform_values;
mod registry;
mod rendered_charts;
mod scan_corpus;
mod schema;
mod secret_waves;
mod secrets;
mod sources;
mod stray;
mod talon;
mod tutorial;
mod verify;
mod wazuh;
mod webhook;
