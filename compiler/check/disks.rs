//! Each disk a node script mounts has a mount point of its own on its node, and none hides the
//! operating system's files.

use super::SiteView;
use crate::diag::Error;
use std::collections::BTreeMap;

pub fn check(view: &SiteView, errors: &mut Vec<Error>) {
    for node in &view.site.nodes {
        let mut first = BTreeMap::new();
        for disk in &node.disks {
            let Some(mount) = disk.mount_path() else {
                continue;
            };
            if let (Some(written), Some(what)) = (&disk.mount, system_path(mount)) {
                errors.push(Error::MountOverSystemPath {
                    mount: mount.to_string(),
                    what,
                    span: written.span,
                });
            }
            match first.get(mount) {
                Some(span) => errors.push(Error::MountClash {
                    node: node.name.to_string(),
                    mount: mount.to_string(),
                    span: disk.device.span,
                    first: *span,
                }),
                None => {
                    first.insert(mount, disk.device.span);
                }
            }
        }
    }
}

/// The folders of the operating system (the Filesystem Hierarchy Standard's top level, the
/// kernel's own mounts, and where the kubelet, containerd and etcd keep their state) that a
/// data disk must not be mounted over. `/srv`, `/opt`, `/home`, `/mnt` and `/tmp` are not
/// among them: a data disk there hides nothing the node needs.
const SYSTEM_PATHS: &[&str] = &[
    "/bin",
    "/boot",
    "/dev",
    "/etc",
    "/lib",
    "/lib32",
    "/lib64",
    "/libx32",
    "/proc",
    "/root",
    "/run",
    "/sbin",
    "/sys",
    "/usr",
    "/var",
    "/var/lib",
    "/var/log",
    "/var/run",
    "/var/lib/kubelet",
    "/var/lib/containerd",
    "/var/lib/etcd",
    "/etc/kubernetes",
    "/usr/local",
    "/usr/lib",
    "/usr/bin",
];

/// What mounting a disk at `mount` would hide, if it is a system path or a folder holding
/// one: `/` holds everything, `/var` holds `/var/lib/kubelet`.
fn system_path(mount: &str) -> Option<String> {
    let mount = mount.trim_end_matches('/');
    if mount.is_empty() {
        return Some("the whole operating system".to_string());
    }
    if SYSTEM_PATHS.contains(&mount) {
        return Some(format!("the system folder `{mount}`"));
    }
    SYSTEM_PATHS
        .iter()
        .find(|p| p.starts_with(mount) && p[mount.len()..].starts_with('/'))
        .map(|p| format!("the system folder `{p}` below it"))
}

#[cfg(test)]
mod tests {
    use super::system_path;

    #[test]
    fn system_paths_and_their_parents_are_refused_but_folders_below_them_pass() {
        for bad in [
            "/", "/etc", "/usr", "/boot", "/var", "/proc", "/sys", "/dev", "/run", "/bin", "/lib",
            "/var/lib", "/etc/",
        ] {
            assert!(system_path(bad).is_some(), "{bad}");
        }
        for ok in [
            "/var/lib/longhorn",
            "/srv/data",
            "/mnt/disk1",
            "/data",
            "/var/lib/longhorn/",
        ] {
            assert!(system_path(ok).is_none(), "{ok}");
        }
    }
}
