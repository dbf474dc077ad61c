//! Times each phase of the compiler on one site file, for profiling: `cargo run --release --example phases -- SITE`.
use std::time::Instant;
fn main() {
    let path = std::env::args().nth(1).unwrap();
    let bytes = std::fs::read(&path).unwrap();
    let catalog = labc::stdlib::Catalog::embedded().ok().unwrap();
    let t = Instant::now();
    let parsed = labc::syntax::parse("x", &bytes).ok().unwrap();
    eprintln!("parse {:?}", t.elapsed());
    let t = Instant::now();
    let (site, errs) = labc::decode::decode(&parsed.document, &catalog);
    eprintln!("decode {:?} {}", t.elapsed(), errs.len());
    let t = Instant::now();
    let platform = labc::stdlib::Platform::render(&site, &catalog);
    let errs = labc::check::check(&site, &catalog, &platform);
    eprintln!("check {:?} {}", t.elapsed(), errs.len());
    let t = Instant::now();
    let g = labc::graph::graph(&site, &catalog).unwrap();
    eprintln!("graph {:?}", t.elapsed());
    let t = Instant::now();
    let flows = labc::flows::derive(&site, &catalog);
    let files = labc::emit::emit(&site, &catalog, &platform, &flows, &g);
    eprintln!("emit {:?} {}", t.elapsed(), files.len());
    // the custom resources were checked against their CRDs inside emit, as they were added
    let t = Instant::now();
    let invalid = labc::schema::diagnostics(&files, catalog.crds(), &site);
    eprintln!(
        "schema {:?} {} checked {}",
        t.elapsed(),
        files.checked().len(),
        invalid.len()
    );
}
