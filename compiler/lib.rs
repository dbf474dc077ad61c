//! labc: a compiler for bare-metal Kubernetes sites.
//!
//! The pipeline, one module per phase, each a pure function of the previous phase's value:
//! `syntax` (bytes → KDL) → `decode` (KDL → typed site) → `check` (diagnostics) → `graph`
//! (dependency order) → `emit` (objects and files) → `out` (the only code that touches disk).

pub mod alloc;
pub mod check;
pub mod ci;
pub mod cli;
mod compile;
mod cores;
pub mod decode;
pub mod diag;
pub mod diff;
pub mod emit;
pub mod flows;
pub mod graph;
pub mod model;
pub mod out;
pub mod schema;
pub mod seal;
pub mod secrets;
pub mod sources;
pub mod stdlib;
pub mod syntax;
pub mod verify;
pub mod wazuh;
pub mod yaml;

pub use compile::{compile, compile_parsed, compile_with_sealed, Compiled};
