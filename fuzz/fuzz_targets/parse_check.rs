//! Arbitrary bytes through every phase up to emission: parse, decode, check, graph and, for the
//! rare input that passes, emit. Any panic, stack overflow or runaway allocation is a bug; a
//! diagnostic is the only acceptable way to refuse input. Diagnostics are rendered too, since
//! the renderer slices the source at the spans the phases computed.

#![no_main]

use labc::stdlib::Catalog;
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| Catalog::embedded().unwrap_or_else(|_| panic!("embedded stdlib")))
}

fuzz_target!(|data: &[u8]| {
    match labc::compile("site.kdl", data, catalog()) {
        Ok(compiled) => {
            let _ = labc::cli::render_plain(compiled.warnings);
        }
        Err(diagnostics) => {
            let _ = labc::cli::render_plain(diagnostics);
        }
    }
});
