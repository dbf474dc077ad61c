//! How many threads the parallel phases use: the machine's cores, asked once. The standard
//! library reads the cgroup files anew on every call, and half a dozen phases ask.

use std::sync::OnceLock;

pub fn cores() -> usize {
    static CORES: OnceLock<usize> = OnceLock::new();
    *CORES.get_or_init(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
}
