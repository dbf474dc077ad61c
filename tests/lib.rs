//! All integration tests in one binary: fixtures in, `out/` or diagnostics out.

mod support;

mod annotations;
mod bad_inputs;
mod canary;
mod cli;
#[cfg(feature = "fault-injection")]
mod crash;
mod determinism;
mod diff;
mod docs;
mod flows;
mod fmt;
mod good_sites;
mod graph;
mod init;
mod instrumentation;
mod kubeadm;
mod platform_values;
mod schema;
mod secrets;
mod sources;
mod talon;
mod tutorial;
mod wazuh;
