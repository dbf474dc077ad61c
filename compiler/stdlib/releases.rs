//! The releases node provisioning may pin, and how they are packaged. Kept as a table rather
//! than fetched: builds are pure, and a version missing here is a loud diagnostic, not a
//! provisioning script that fails half-way on a machine.
//!
//! Sources: the Kubernetes 1.31 patch series ends at 1.31.14 (the series reached end of life in
//! late 2025); containerd's `releases/v<version>.toml` files name every 2.x release.

use crate::model::value::Version;

/// Inclusive patch ranges of the Kubernetes minor series whose pkgs.k8s.io repository labc
/// knows. pkgs.k8s.io has one apt repository per minor series (`core:/stable:/v1.31/deb/`).
pub const KUBERNETES: &[((u32, u32), u32, u32)] = &[((1, 31), 0, 14)];

/// Inclusive patch ranges of containerd 2.x releases. labc writes containerd's version 3
/// configuration, which 1.x does not read.
pub const CONTAINERD: &[((u32, u32), u32, u32)] = &[((2, 0), 0, 7), ((2, 1), 0, 5), ((2, 2), 0, 1)];

/// The Debian revision pkgs.k8s.io gives its packages: `kubeadm=1.31.13-1.1`.
pub const KUBERNETES_DEB_REVISION: &str = "1.1";

/// The runc installed beside containerd: containerd's release tarball does not carry one, and
/// 1.3.3 is the release with the November 2025 security fixes that containerd 2.1.5 names.
pub const RUNC: &str = "1.3.3";

/// The sandbox image kubeadm 1.31 expects, pinned in containerd's configuration so that
/// containerd and kubelet agree.
pub const PAUSE_IMAGE: &str = "registry.k8s.io/pause:3.10";

/// Whether `version` is a full `major.minor.patch` release in `table`.
pub fn known(table: &[((u32, u32), u32, u32)], version: &Version) -> bool {
    let Some(patch) = version.patch() else {
        return false;
    };
    table
        .iter()
        .any(|(series, lo, hi)| *series == version.minor_series() && (*lo..=*hi).contains(&patch))
}

/// The releases of `table` as people read them: `1.31.0 to 1.31.14`.
pub fn describe(table: &[((u32, u32), u32, u32)]) -> String {
    table
        .iter()
        .map(|((major, minor), lo, hi)| format!("{major}.{minor}.{lo} to {major}.{minor}.{hi}"))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn knows_the_seed_versions_and_no_others() {
        let v = |s| Version::parse(s).unwrap();
        assert!(known(KUBERNETES, &v("1.31.13")));
        assert!(!known(KUBERNETES, &v("1.31.15")));
        assert!(!known(KUBERNETES, &v("1.31")));
        assert!(known(CONTAINERD, &v("2.1.5")));
        assert!(!known(CONTAINERD, &v("1.7.22")));
        assert_eq!(
            describe(CONTAINERD),
            "2.0.0 to 2.0.7, 2.1.0 to 2.1.5, 2.2.0 to 2.2.1"
        );
    }
}
