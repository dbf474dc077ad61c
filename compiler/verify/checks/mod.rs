//! The contracts between the parts of the rendered system, one file per family. Each takes the
//! whole system and returns what breaks; none runs a program or reads the disk.

mod address;
mod canary;
mod endpoints;
mod monitors;
mod project;
mod references;
mod schema;
mod shared;
mod storage;

use super::{Finding, System};

pub use endpoints::check as endpoints;

/// Every check over the system, in a fixed order.
pub fn all(system: &System) -> Vec<Finding> {
    let mut findings = Vec::new();
    findings.extend(schema::check(system));
    findings.extend(project::check(system));
    findings.extend(shared::check(system));
    findings.extend(address::check(system));
    findings.extend(references::check(system));
    findings.extend(storage::check(system));
    findings.extend(monitors::check(system));
    findings.extend(canary::check(system));
    findings
}

/// Argo CD's glob for project fields: `*` matches any run of characters.
pub fn glob(pattern: &str, text: &str) -> bool {
    match pattern.split_once('*') {
        None => pattern == text,
        Some((head, rest)) => {
            let Some(tail) = text.strip_prefix(head) else {
                return false;
            };
            (0..=tail.len())
                .filter(|&i| tail.is_char_boundary(i))
                .any(|i| glob(rest, &tail[i..]))
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn globs_match_like_argo_cd() {
        assert!(super::glob("*", "anything"));
        assert!(super::glob("cilium-*", "cilium-secrets"));
        assert!(!super::glob("cilium", "cilium-secrets"));
        assert!(super::glob("*.k8s.io", "rbac.authorization.k8s.io"));
        assert!(!super::glob("a*b", "ac"));
    }
}
