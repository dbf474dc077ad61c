//! Who a file of `out/` belongs to, from its path: the layout of `out/` (docs/architecture.md)
//! names the owner in the folder (`apps/<app>/`, `nodes/<node>/`, `seal/<namespace>/`) or the
//! file name (`argocd/application-<release>.yaml`). Deriving it here keeps the emitters free of
//! bookkeeping; a path no rule knows is reported in `SourceMap::unmapped`.

use crate::model::{NodeRole, Site, Span};
use crate::stdlib::{Catalog, Platform};
use std::collections::BTreeMap;

/// What a rule found.
pub struct Owner {
    /// A span inside the declaration (its name), or the exact entry when `whole_node` is false.
    pub span: Span,
    /// Widen `span` to the KDL node around it.
    pub whole_node: bool,
    pub declaration: String,
    pub origin: Option<String>,
}

/// A declared component as a file's owner: the layer it is in and its definition's file.
struct Used {
    span: Span,
    declaration: String,
    origin: Option<String>,
}

/// Everything the rules look names up in, built once per site.
pub struct Owners<'a> {
    site: &'a Site,
    /// Apps and databases by name.
    workloads: BTreeMap<&'a str, (Span, String, &'a str)>,
    components: BTreeMap<&'a str, Used>,
    /// Argo CD Application name of every platform release -> (component, gateway).
    releases: BTreeMap<String, (&'a str, Option<&'a str>)>,
}

impl<'a> Owners<'a> {
    pub fn new(site: &'a Site, catalog: &'a Catalog, platform: &'a Platform) -> Self {
        let mut workloads = BTreeMap::new();
        for app in &site.apps {
            let declaration = format!("app \"{}\"", app.name);
            workloads.insert(
                app.name.as_str(),
                (app.name.span, declaration, app.namespace.as_str()),
            );
        }
        for db in &site.databases {
            let declaration = format!("database \"{}\"", db.name);
            workloads.insert(
                db.name.as_str(),
                (db.name.span, declaration, db.namespace.as_str()),
            );
        }
        let mut components = BTreeMap::new();
        let mut releases = BTreeMap::new();
        for layer in &site.layers {
            for used in &layer.components {
                let def = catalog.get(used.name.as_str());
                components.insert(
                    used.name.as_str(),
                    Used {
                        span: used.name.span,
                        declaration: format!(
                            "layer \"{}\" / component \"{}\"",
                            layer.kind.as_str(),
                            used.name
                        ),
                        origin: def.map(|d| origin(&d.file)),
                    },
                );
                // the releases the emitter wrote Applications for, so the two agree
                let Some(Ok(instances)) = platform.instances(used.name.as_str()) else {
                    continue;
                };
                for instance in instances {
                    // a release repeated per gateway is named after its gateway, and only its
                    // Application name differs from its own
                    let gateway =
                        (instance.application != instance.name).then_some(instance.name.as_str());
                    releases.insert(instance.application.clone(), (used.name.as_str(), gateway));
                }
            }
        }
        Owners {
            site,
            workloads,
            components,
            releases,
        }
    }

    /// The `site` node: what everything site-wide (projects, the root Application) comes from.
    pub fn site(&self) -> Owner {
        let name = &self.site.settings.name;
        Owner {
            span: name.span,
            whole_node: true,
            declaration: format!("site \"{name}\""),
            origin: None,
        }
    }

    pub fn owner(&self, path: &str) -> Option<Owner> {
        let parts: Vec<&str> = path.split('/').collect();
        let site = self.site.settings.name.as_str();
        match parts.as_slice() {
            ["apps", owner, file] => match object(file, "sealedsecret") {
                Some(secret) => {
                    let namespace = self.workloads.get(owner).map(|w| w.2);
                    self.secret(namespace, secret)
                }
                None => self.workload(owner),
            },
            ["argocd", file] => {
                if let Some(name) = object(file, "application") {
                    self.application(name)
                } else {
                    let project = object(file, "appproject")?;
                    [format!("{site}-apps"), format!("{site}-platform")]
                        .contains(&project.to_string())
                        .then(|| self.site())
                }
            }
            ["bootstrap", "install.sh"] => Some(self.site()),
            ["bootstrap", "values", file] => self.application(file.strip_suffix(".yaml")?),
            ["bootstrap", file] => (object(file, "application")?
                == format!("{site}-{}", crate::emit::ROOT))
            .then(|| self.site()),
            ["namespaces", file] => match object(file, "networkpolicy") {
                // the namespace-wide deny (`emit/default_deny.rs`): declared with the namespace
                Some(deny) => self.namespace(deny.strip_suffix("-default-deny")?),
                None => self.namespace(object(file, "namespace")?),
            },
            ["nodes", node, file] => self.node(node, file),
            ["platform", "istio", file] => match object(file, "gateway") {
                Some(gateway) => self.gateway(gateway, "istio"),
                None => self.component("istio"),
            },
            ["platform", component, _] if *component == crate::wazuh::COMPONENT => {
                self.component(component)
            }
            ["platform", "secrets", file] => self.secret(None, object(file, "sealedsecret")?),
            ["seal", "README.md"] => Some(self.site()),
            ["seal", namespace, file] => self.secret(Some(namespace), object(file, "secret")?),
            _ => None,
        }
    }

    fn workload(&self, name: &str) -> Option<Owner> {
        let (span, declaration, _) = self.workloads.get(name)?;
        Some(Owner {
            span: *span,
            whole_node: true,
            declaration: declaration.clone(),
            origin: None,
        })
    }

    fn component(&self, name: &str) -> Option<Owner> {
        let used = self.components.get(name)?;
        Some(Owner {
            span: used.span,
            whole_node: true,
            declaration: used.declaration.clone(),
            origin: used.origin.clone(),
        })
    }

    fn gateway(&self, name: &str, component: &str) -> Option<Owner> {
        let (layer, gateway) = self.site.layers.iter().find_map(|l| {
            l.gateways
                .iter()
                .find(|g| g.name.as_str() == name)
                .map(|g| (l.kind.as_str(), g))
        })?;
        Some(Owner {
            span: gateway.name.span,
            whole_node: true,
            declaration: format!("layer \"{layer}\" / gateway \"{name}\""),
            origin: self
                .components
                .get(component)
                .and_then(|c| c.origin.clone()),
        })
    }

    /// `application-<name>.yaml`: an app's or database's, a platform release's, or one of the
    /// site-wide ones.
    fn application(&self, name: &str) -> Option<Owner> {
        if let Some(owner) = self.workload(name) {
            return Some(owner);
        }
        if let Some((component, gateway)) = self.releases.get(name) {
            return match gateway {
                Some(gateway) => self.gateway(gateway, component),
                None => self.component(component),
            };
        }
        let site = self.site.settings.name.as_str();
        let rest = name.strip_prefix(site)?.strip_prefix('-')?;
        use crate::emit::{MESH, NAMESPACES, PLATFORM_SECRETS};
        match rest {
            NAMESPACES => Some(self.site()),
            MESH => self.component("istio"),
            // the sealed files no app or database reads, installed after the controller
            PLATFORM_SECRETS => self.component("sealed-secrets").or(Some(self.site())),
            _ => None,
        }
    }

    /// A namespace is declared by the `namespace=` of the first app or database in it.
    fn namespace(&self, name: &str) -> Option<Owner> {
        let apps = self
            .site
            .apps
            .iter()
            .map(|a| ("app", &a.name, &a.namespace));
        let dbs = self
            .site
            .databases
            .iter()
            .map(|d| ("database", &d.name, &d.namespace));
        let (kind, owner, namespace) = apps.chain(dbs).find(|(_, _, ns)| ns.as_str() == name)?;
        // an app without `namespace=` is in its own: the declaration is then the whole app
        let defaulted = namespace.span == owner.span;
        Some(Owner {
            span: namespace.span,
            whole_node: defaulted,
            declaration: format!("{kind} \"{owner}\" / namespace \"{name}\""),
            origin: None,
        })
    }

    fn node(&self, name: &str, file: &str) -> Option<Owner> {
        let node = self.site.nodes.iter().find(|n| n.name.as_str() == name)?;
        let template = match file {
            "provision.sh" => "provision.sh",
            "kubeadm.yaml" => {
                // the first control-plane node runs `kubeadm init`, as emit/nodes decides it
                let first = self
                    .site
                    .nodes
                    .iter()
                    .find(|n| n.role == NodeRole::ControlPlane);
                if first.is_some_and(|f| std::ptr::eq(f, node)) {
                    "kubeadm-init.yaml"
                } else {
                    "kubeadm-join.yaml"
                }
            }
            _ => return None,
        };
        Some(Owner {
            span: node.name.span,
            whole_node: true,
            declaration: format!("node \"{name}\""),
            origin: Some(format!("stdlib/nodes/{template}.hbs")),
        })
    }

    /// A declared secret, preferring the one in `namespace` when names repeat across namespaces.
    fn secret(&self, namespace: Option<&str>, name: &str) -> Option<Owner> {
        let named = || self.site.secrets.iter().filter(|s| s.name.as_str() == name);
        let secret = named()
            .find(|s| namespace.is_none_or(|ns| s.namespace.as_str() == ns))
            .or_else(|| named().next())?;
        // a secret labc declares for Wazuh stands at the component that implies it
        let implied = self
            .site
            .layers
            .iter()
            .flat_map(|l| &l.components)
            .any(|c| c.name.as_str() == crate::wazuh::COMPONENT && c.name.span == secret.span);
        if implied {
            return self.component(crate::wazuh::COMPONENT);
        }
        // a registry's pull secret stands at the registry, a gateway's certificate at the gateway
        if let Some(registry) = self.site.registries.iter().find(|r| r.span == secret.span) {
            return Some(Owner {
                span: registry.span,
                whole_node: true,
                declaration: format!("registry \"{}\"", registry.server.as_str()),
                origin: None,
            });
        }
        let gateway = self
            .site
            .layers
            .iter()
            .flat_map(|l| &l.gateways)
            .find(|g| g.tls.as_ref().is_some_and(|t| t.span == secret.span));
        if let Some(gateway) = gateway {
            return Some(Owner {
                span: gateway.span,
                whole_node: true,
                declaration: format!("gateway \"{}\"", gateway.name.as_str()),
                origin: None,
            });
        }
        Some(Owner {
            span: secret.name.span,
            whole_node: true,
            declaration: format!("secret \"{name}\""),
            origin: None,
        })
    }
}

/// `<kind>-<name>.yaml` -> `name`, for the lowercase kind given.
fn object<'p>(file: &'p str, kind: &str) -> Option<&'p str> {
    file.strip_suffix(".yaml")?
        .strip_prefix(kind)?
        .strip_prefix('-')
}

/// A component file's name as the map records it: stdlib files as they are embedded, the site's
/// own as `components/<file>` (relative to the site file, never an absolute path).
fn origin(file: &str) -> String {
    if file.starts_with("stdlib/") {
        return file.to_string();
    }
    let base = std::path::Path::new(file)
        .file_name()
        .map_or_else(|| file.to_string(), |n| n.to_string_lossy().into_owned());
    format!("components/{base}")
}
