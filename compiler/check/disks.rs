//! Each disk a node script mounts has a mount point of its own on its node.

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
