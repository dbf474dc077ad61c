//! Parse throughput on one thread, labc's KDL parser against the `kdl` crate's, for
//! docs/performance.md ("KDL front end"): `cargo run --release --example kdl_throughput -- SITE`.
//! Each parser reads the file repeatedly for about a second; the best round is reported.
use std::time::{Duration, Instant};

// the allocator the labc binary runs with (compiler/main.rs)
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn best(mut parse: impl FnMut()) -> Duration {
    let start = Instant::now();
    let mut best = Duration::MAX;
    while start.elapsed() < Duration::from_secs(1) {
        let t = Instant::now();
        parse();
        best = best.min(t.elapsed());
    }
    best
}

fn main() {
    let path = std::env::args().nth(1).expect("usage: kdl_throughput SITE");
    let text = std::fs::read_to_string(&path).unwrap();
    let mb = text.len() as f64 / 1e6;
    let ours = best(|| {
        labc::syntax::parse_text(&text).ok().unwrap();
    });
    let theirs = best(|| {
        text.parse::<kdl::KdlDocument>().unwrap();
    });
    for (name, t) in [("labc", ours), ("kdl crate", theirs)] {
        println!(
            "{name}: {:.2} ms, {:.1} MB/s ({} bytes)",
            t.as_secs_f64() * 1e3,
            mb / t.as_secs_f64(),
            text.len()
        );
    }
}
