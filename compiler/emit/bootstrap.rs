//! `out/bootstrap/`: what takes a cluster from bare nodes to the app-of-apps. The node scripts
//! install no CNI (and skip kube-proxy when Cilium replaces it), so nothing, Argo CD included,
//! can run before the CNI does; and Argo CD needs the health check of its Application to hold
//! the root Application's sync waves. `install.sh` installs the site's CNI releases, then Argo
//! CD's, with `helm upgrade --install` and exactly the chart, version and values of their
//! Applications in `argocd/` (the values files are written from the same rendered values, so
//! the two cannot drift and Argo CD adopts the releases without a change), then applies the
//! root Application.

use super::files::object_path;
use super::Files;
use crate::model::{LayerKind, Site};
use crate::stdlib::{Catalog, ChartSource, Instance, Platform};
use std::fmt::Write;

const FOLDER: &str = "bootstrap";
/// The component that syncs `out/`; the checker makes every site have it.
const ARGOCD: &str = "argocd";
/// How long `helm --wait` gives a release's pods: images are pulled on bare nodes.
const TIMEOUT: &str = "15m";

/// The path of the values file of the release whose Application is `application`.
fn values_path(application: &str) -> String {
    format!("{FOLDER}/values/{application}.yaml")
}

pub fn emit(site: &Site, catalog: &Catalog, platform: &Platform, files: &mut Files) {
    let mut steps = String::new();
    let mut git = false;
    let mut listed = Vec::new();
    for instance in releases(site, catalog, platform) {
        let values = has_values(instance).then(|| {
            let path = values_path(&instance.application);
            files.insert(path.clone(), values_file(instance));
            path
        });
        git |= matches!(instance.source, ChartSource::Git { .. });
        listed.push(instance.application.as_str());
        step(&mut steps, instance, values.as_deref());
    }
    let root = super::argocd::site_application(site, super::argocd::ROOT);
    let script = script(site, &listed, &steps, git, &root);
    files.insert(format!("{FOLDER}/install.sh"), script.into_bytes());
}

/// The CNI's releases, then Argo CD's, in the order their stdlib files list them.
fn releases<'a>(
    site: &'a Site,
    catalog: &'a Catalog,
    platform: &'a Platform,
) -> impl Iterator<Item = &'a Instance> {
    let used = || site.layers.iter().flat_map(|l| &l.components);
    let cni = used().filter(|c| {
        catalog
            .get(c.name.as_str())
            .is_some_and(|d| d.layer == LayerKind::Cni)
    });
    let argocd = used().filter(|c| c.name.as_str() == ARGOCD);
    cni.chain(argocd)
        .flat_map(|c| match platform.instances(c.name.as_str()) {
            Some(Ok(instances)) => instances.as_slice(),
            _ => &[],
        })
}

/// Whether the Application has a `valuesObject` (`platform::source` leaves an empty one out).
fn has_values(instance: &Instance) -> bool {
    instance.values.as_object().is_some_and(|m| !m.is_empty())
}

fn values_file(instance: &Instance) -> Vec<u8> {
    let mut bytes = format!(
        "# Helm values of release {}: spec.source.helm.valuesObject of out/argocd/application-{}.yaml,\n\
         # which install.sh installs the release with before Argo CD runs. Written by labc.\n",
        instance.name, instance.application
    )
    .into_bytes();
    crate::yaml::write(&instance.values, &mut bytes)
        .expect("rendered values are JSON values, which the writer always writes");
    bytes
}

/// One release's `helm upgrade --install`, as its Application's source says.
fn step(out: &mut String, instance: &Instance, values: Option<&str>) {
    let release = quote(&instance.name);
    let namespace = quote(&instance.namespace);
    let values = values.map_or(String::new(), |path| {
        let file = path.strip_prefix(FOLDER).unwrap_or(path);
        format!(" \\\n  -f \"$here\"{}", quote(file))
    });
    let (what, chart) = match &instance.source {
        ChartSource::Helm {
            repo,
            chart,
            version,
        } => {
            let what = format!("chart {chart} {version} from {repo}");
            // Helm takes an OCI chart by reference; `--repo` is for chart repositories
            let reference = match repo.strip_prefix("oci://") {
                Some(_) => quote(&format!("{}/{chart}", repo.trim_end_matches('/'))),
                None => format!("{} --repo {}", quote(chart), quote(repo)),
            };
            (what, format!("{reference} --version {}", quote(version)))
        }
        ChartSource::Git {
            url,
            path,
            revision,
        } => {
            let what = format!("{path} of {url} at {revision}");
            let _ = writeln!(
                out,
                "checkout {} {} {}",
                quote(url),
                quote(revision),
                quote(&instance.application)
            );
            let dir = format!("\"$work\"/{}/{}", quote(&instance.application), quote(path));
            (what, dir)
        }
        // manifests labc writes itself (Wazuh's) are no Helm release: only Argo CD applies them,
        // and no CNI or Argo CD comes so
        ChartSource::Manifests { .. } => {
            let _ = writeln!(
                out,
                "echo {} >&2",
                quote(&format!(
                    "{}: its manifests are applied by Argo CD, not by this script",
                    instance.name
                ))
            );
            return;
        }
    };
    let _ = writeln!(
        out,
        "echo {}\n\
         helm upgrade --install {release} {chart} \\\n  \
         --namespace {namespace} --create-namespace{values} \\\n  \
         --wait --timeout {TIMEOUT}\n",
        quote(&format!(
            "==> {} ({what}) into namespace {}",
            instance.application, instance.namespace
        )),
    );
}

fn script(site: &Site, listed: &[&str], steps: &str, git: bool, root: &str) -> String {
    let name = &site.settings.name;
    let repo = &site.settings.repo;
    let root_file = object_path(FOLDER, "Application", root);
    let mut text = format!(
        "#!/usr/bin/env bash\n\
         # The bootstrap of site {name}, written by labc: from nodes that have run kubeadm init or\n\
         # join (out/nodes/) to the app-of-apps. The nodes have no CNI yet, so nothing, Argo CD\n\
         # included, can start before it. In order:\n\
         #   1. {releases}, with the chart, version and values of their Applications in\n\
         #      out/argocd/ (values/ holds the same values), so that Argo CD adopts them as they are;\n\
         #   2. the root Application ({root}), which syncs {synced}/ from the site's repository.\n\
         # Run it where kubectl and helm reach the cluster (KUBECONFIG), after out/ is pushed:\n\
         #   bash out/bootstrap/install.sh\n\
         # It is idempotent: run it again to finish an interrupted bootstrap.\n\
         set -euo pipefail\n\
         \n\
         here=\"$(cd \"$(dirname \"${{BASH_SOURCE[0]}}\")\" && pwd)\"\n\
         \n\
         for tool in helm kubectl{git_tool}; do\n  \
         if ! command -v \"$tool\" >/dev/null 2>&1; then\n    \
         echo \"install.sh: $tool is needed on PATH\" >&2\n    \
         exit 1\n  \
         fi\n\
         done\n\n",
        releases = listed.join(", then "),
        git_tool = if git { " git" } else { "" },
        synced = format_args!("{}/{}", repo.path, super::argocd::FOLDER),
    );
    if git {
        text.push_str(
            "# charts kept in git are fetched at their revision, as Argo CD's repo server does\n\
             work=\"$(mktemp -d)\"\n\
             trap 'rm -rf \"$work\"' EXIT\n\
             checkout() {\n  \
             git init --quiet \"$work/$3\"\n  \
             git -C \"$work/$3\" fetch --quiet --depth 1 \"$1\" \"$2\"\n  \
             git -C \"$work/$3\" checkout --quiet FETCH_HEAD\n\
             }\n\n",
        );
    }
    text.push_str(steps);
    let _ = write!(
        text,
        "# the Application CRD comes with Argo CD's chart\n\
         kubectl wait --for=condition=Established crd/applications.argoproj.io --timeout=120s\n\
         echo {}\n\
         kubectl apply -f \"$here\"/{}\n\
         echo {}\n",
        quote(&format!("==> the root Application {root}")),
        quote(
            root_file
                .strip_prefix(&format!("{FOLDER}/"))
                .unwrap_or(&root_file)
        ),
        quote(&format!(
            "Argo CD now syncs {}/{} of {} at {}, wave by wave: kubectl -n {} get applications",
            repo.path,
            super::argocd::FOLDER,
            repo.url.value,
            repo.revision,
            super::application::ARGOCD_NAMESPACE
        )),
    );
    text
}

/// A word for the shell, quoted as the node scripts quote theirs.
fn quote(text: &str) -> String {
    super::nodes::shell(text)
}

#[cfg(test)]
mod tests {
    use super::quote;

    #[test]
    fn quotes_what_the_shell_would_split_or_expand() {
        assert_eq!(quote("https://helm.cilium.io/"), "https://helm.cilium.io/");
        assert_eq!(quote("it's $HOME"), r"'it'\''s $HOME'");
        assert_eq!(quote(""), "''");
    }
}
