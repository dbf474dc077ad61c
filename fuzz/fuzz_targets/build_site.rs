//! Valid sites, mutated, through the whole build into a scratch folder: whatever compiles must
//! also write, and writing the same files again must be a no-op (the determinism and
//! ownership guarantees of `labc::out`). Seeded from the fixture sites, so most inputs stay
//! close enough to a valid site to reach the emitters and the writer.

#![no_main]

use labc::stdlib::Catalog;
use libfuzzer_sys::fuzz_target;
use std::path::PathBuf;
use std::sync::OnceLock;

fn catalog() -> &'static Catalog {
    static CATALOG: OnceLock<Catalog> = OnceLock::new();
    CATALOG.get_or_init(|| Catalog::embedded().unwrap_or_else(|_| panic!("embedded stdlib")))
}

/// One folder per fuzzing process, reused: every run writes over the last one's `out/`, which
/// also exercises rewriting a tree that another site produced.
fn scratch() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("labc-fuzz-build-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("scratch folder");
        dir
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(compiled) = labc::compile("site.kdl", data, catalog()) else {
        return;
    };
    let files = compiled.files.into_map();
    let out = scratch().join("out");
    let first = labc::out::write(&out, &files).expect("a compiled site must write");
    assert!(first.cleanup.is_none(), "{:?}", first.cleanup);
    let again = labc::out::write(&out, &files).expect("rewriting must succeed");
    assert!(again.noop, "rewriting the same files changed out/");
    let _ = labc::flows::table(&compiled.flows);
});
