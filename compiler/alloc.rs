//! How mimalloc (the global allocator, `main.rs`) is told to hold less memory. Measured on a
//! 5,000-app site (45,000 files, 41 MB of output), peak RSS with mimalloc's defaults was 145 MB:
//! - its arenas are advised as transparent huge pages, so a 2 MiB page is resident as soon as
//!   one byte of it is touched: about 24 MB of the peak. The process opts out of THP (the
//!   kernel's `PR_SET_THP_DISABLE`, as mimalloc's own `allow_thp=0` does, but that option is
//!   read before `main`);
//! - freed memory is handed back to the kernel only after a delay (a second, in mimalloc 3),
//!   longer than a phase of a build, so what one phase frees is still resident while the next
//!   allocates: about 12 MB. Purging at once costs page faults (47,000 instead of 31,000 at
//!   5,000 apps) and no more instructions (callgrind counts 0.5% fewer at 1,000 apps).
//!
//! `MIMALLOC_PURGE_DELAY` in the environment still wins, for measuring.
//!
//! Immediate purging costs time, and a small build pays it without needing the memory: on the
//! seed (6 KB of site) it took `labc check` from 6.1 to 7.9 ms (page faults and `madvise`, each
//! several microseconds on a virtual machine), for a peak of 16 MB. So it applies only to a
//! site of at least [`LARGE_SITE`] bytes, decided once the site is read (`fit`). Huge pages stay
//! off for every build (`tune`): they cost the small ones time too.

use std::os::raw::{c_int, c_long};

// the symbols below are in the mimalloc crate's C library; naming the crate links it in
use mimalloc as _;

/// `mi_option_purge_delay` in `mi_option_t` (`include/mimalloc.h`; the same number in mimalloc 2
/// and 3, which `libmimalloc-sys` builds by default); the Rust bindings do not name it. A unit
/// test checks the number against the option's documented default.
const PURGE_DELAY: c_int = 15;

extern "C" {
    fn mi_option_set(option: c_int, value: c_long);
    fn mi_option_get(option: c_int) -> c_long;
}

/// Called first thing in `main`: no transparent huge pages, for any build. A huge page is
/// zeroed whole at its first fault, which also cost a small build time (the seed's check took
/// 8.6 ms with them against 6.1 without).
pub fn tune() {
    // SAFETY: prctl with PR_SET_THP_DISABLE takes integers only and changes only this
    // process's huge page policy; a kernel without it returns an error, which changes nothing.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

/// From this size on (about 2,500 apps of the benchmark's kind; a 1,000-app site is 195 KB)
/// a build's memory, tens of megabytes and more, outweighs the page faults its tuning costs.
pub const LARGE_SITE: usize = 512 * 1024;

/// Called with the size of the site as soon as it is read. Both settings only change how much
/// memory stays resident, never what is allocated.
pub fn fit(site_bytes: usize) {
    if site_bytes < LARGE_SITE {
        return;
    }
    if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
        // SAFETY: mimalloc's option setters take an enum value and a number; options are
        // atomics inside mimalloc, safe to set at any time.
        unsafe { mi_option_set(PURGE_DELAY, 0) };
    }
}

/// The purge delay mimalloc currently uses, in milliseconds.
pub fn purge_delay() -> c_long {
    // SAFETY: reads an option, as above.
    unsafe { mi_option_get(PURGE_DELAY) }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_option_number_is_mimallocs_purge_delay() {
        // mimalloc 3's default is 1000 ms (mimalloc 2's was 10); a wrong number would read
        // another option (most are 0 or 1), so this fails if an upgrade renumbers its options
        if std::env::var_os("MIMALLOC_PURGE_DELAY").is_none() {
            assert_eq!(super::purge_delay(), 1000);
        }
    }
}
