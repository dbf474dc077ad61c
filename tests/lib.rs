//! All integration tests in one binary: fixtures in, `out/` or diagnostics out.

mod support;

mod bad_inputs;
mod cli;
#[cfg(feature = "fault-injection")]
mod crash;
mod determinism;
mod docs;
mod flows;
mod good_sites;
mod kubeadm;
mod platform_values;
