//! Test-only fault injection: numbered points in the write path where a test can make labc
//! die by SIGKILL or fail with an I/O error, to prove the guarantees of this module from the
//! outside (`tests/crash.rs`). Compiled in only with the `fault-injection` cargo feature; in
//! every other build `point` is an empty function and the variables below mean nothing.
//!
//! - `LABC_FAULT_AFTER=<n>`: the process sends itself SIGKILL at the n-th point (from 1).
//! - `LABC_FAULT_ERRNO=<n>:<errno>`: the n-th point fails with that OS error (28 is ENOSPC,
//!   a full disk; 30 is EROFS, a read-only filesystem).
//!
//! Points are counted across threads; with parallel staging the files already written when
//! the n-th point is reached vary between runs, which is part of what the test covers.

use std::io;

/// When to die (`LABC_FAULT_AFTER`) and when to fail with which errno (`LABC_FAULT_ERRNO`).
#[cfg(feature = "fault-injection")]
type Plan = (Option<u64>, Option<(u64, i32)>);

#[cfg(feature = "fault-injection")]
pub fn point() -> io::Result<()> {
    use std::sync::atomic::{AtomicU64, Ordering};
    use std::sync::OnceLock;

    static COUNT: AtomicU64 = AtomicU64::new(0);
    static PLAN: OnceLock<Plan> = OnceLock::new();
    let (kill, fail) = PLAN.get_or_init(|| {
        let kill = std::env::var("LABC_FAULT_AFTER")
            .ok()
            .and_then(|v| v.parse().ok());
        let fail = std::env::var("LABC_FAULT_ERRNO").ok().and_then(|v| {
            let (n, errno) = v.split_once(':')?;
            Some((n.parse().ok()?, errno.parse().ok()?))
        });
        (kill, fail)
    });
    let n = COUNT.fetch_add(1, Ordering::SeqCst) + 1;
    if *kill == Some(n) {
        // SAFETY: kill(2) on our own pid has no memory-safety preconditions.
        unsafe {
            libc::kill(libc::getpid(), libc::SIGKILL);
        }
    }
    match fail {
        Some((at, errno)) if *at == n => Err(io::Error::from_raw_os_error(*errno)),
        _ => Ok(()),
    }
}

#[cfg(not(feature = "fault-injection"))]
#[inline(always)]
pub fn point() -> io::Result<()> {
    Ok(())
}
