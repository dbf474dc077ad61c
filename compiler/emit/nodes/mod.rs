//! Node provisioning: for every node, `nodes/<node>/provision.sh` and `nodes/<node>/kubeadm.yaml`,
//! rendered from the handlebars templates in `stdlib/nodes/`.

mod context;
mod templates;

use super::Files;
use crate::model::Site;
use crate::stdlib::Catalog;
pub use context::shell;
use context::NodeContext;

pub fn emit(site: &Site, catalog: &Catalog, files: &mut Files) {
    let registry = templates::registry();
    for node in &site.nodes {
        let cx = NodeContext::new(site, catalog, node);
        let kubeadm = if cx.init {
            "kubeadm-init.yaml"
        } else {
            "kubeadm-join.yaml"
        };
        let dir = format!("nodes/{}", node.name.as_str());
        files.insert(
            format!("{dir}/provision.sh"),
            templates::render(registry, "provision.sh", &cx),
        );
        files.insert(
            format!("{dir}/kubeadm.yaml"),
            templates::render(registry, kubeadm, &cx),
        );
    }
}
