//! Renders an Application's source the way Argo CD's repo server does: `helm template` for a
//! chart (release name, namespace, the site's Kubernetes version, the API versions of the
//! CRDs the site installs, CRDs included), the YAML files of a folder, and `kubectl kustomize`
//! for a kustomization. This is the only part of `verify` that runs other programs.

use super::apps::{documents, folder_files, App, Source};
use super::cache;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The programs and folders rendering needs.
#[derive(Debug, Clone)]
pub struct Tools {
    pub helm: PathBuf,
    /// `kubectl`, for kustomize sources; `None` when it is not installed.
    pub kubectl: Option<PathBuf>,
    pub charts: PathBuf,
    /// Pull missing charts into `charts` with `helm pull`.
    pub pull: bool,
    /// `--kube-version`, the site's Kubernetes version.
    pub kube_version: String,
    /// `--api-versions`: the group/versions (and group/version/Kind) the cluster serves once
    /// the site's CRDs are installed, so charts that test for them render what Argo CD would.
    pub api_versions: Vec<String>,
}

/// What one Application renders to.
#[derive(Debug, Default)]
pub struct Rendered {
    /// Each object with the file of `out/` it was read from (folders) or `None` (charts and
    /// other repositories).
    pub objects: Vec<(Option<String>, Value)>,
    /// Why it could not be rendered.
    pub error: Option<String>,
    /// Subcharts missing from the cache although the values enable them: rendered off.
    pub missing: Vec<cache::Missing>,
}

/// Renders one Application; `out_dir` is `out/` on disk (kustomizations are rendered there).
pub fn render(
    app: &App,
    files: &BTreeMap<String, Vec<u8>>,
    out_dir: &Path,
    tools: &Tools,
) -> Rendered {
    let result = match &app.source {
        Source::Folder { path, recurse } => folder(files, path, *recurse, out_dir, tools),
        Source::Chart {
            repo,
            chart,
            version,
            release,
            values,
        } => cache::chart(&tools.charts, &tools.helm, repo, chart, version, tools.pull)
            .and_then(|dir| helm(&dir, release, &app.namespace, values, tools)),
        Source::Git {
            repo,
            revision,
            path,
            release,
            values,
        } => cache::git(&tools.charts, repo, revision, path, tools.pull).and_then(|dir| {
            if dir.join("Chart.yaml").is_file() {
                helm(&dir, release, &app.namespace, values, tools)
            } else if is_kustomization(&dir) {
                kustomize(&dir, tools).map(|objects| (objects, Vec::new()))
            } else {
                disk_folder(&dir).map(|objects| (objects, Vec::new()))
            }
        }),
    };
    match result {
        Ok((objects, missing)) => Rendered {
            objects,
            error: None,
            missing,
        },
        Err(error) => Rendered {
            error: Some(error),
            ..Rendered::default()
        },
    }
}

type Objects = (Vec<(Option<String>, Value)>, Vec<cache::Missing>);

fn folder(
    files: &BTreeMap<String, Vec<u8>>,
    path: &str,
    recurse: bool,
    out_dir: &Path,
    tools: &Tools,
) -> Result<Objects, String> {
    let kustomization = ["kustomization.yaml", "kustomization.yml", "Kustomization"]
        .iter()
        .any(|k| files.contains_key(&format!("{path}/{k}")));
    if kustomization {
        return kustomize(&out_dir.join(path), tools).map(|objects| (objects, Vec::new()));
    }
    let mut objects = Vec::new();
    for (file, bytes) in folder_files(files, path, recurse) {
        for doc in documents(file, bytes)? {
            objects.push((Some(file.clone()), doc));
        }
    }
    Ok((flatten(objects), Vec::new()))
}

fn disk_folder(dir: &Path) -> Result<Vec<(Option<String>, Value)>, String> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.extension()
                .is_some_and(|x| x == "yaml" || x == "yml" || x == "json")
        })
        .collect();
    paths.sort();
    let mut objects = Vec::new();
    for path in paths {
        let bytes = std::fs::read(&path).map_err(|e| format!("{}: {e}", path.display()))?;
        for doc in documents(&path.display().to_string(), &bytes)? {
            objects.push((None, doc));
        }
    }
    Ok(flatten(objects))
}

/// `kind: List` documents hold their objects in `items`, which Argo CD applies one by one.
fn flatten(objects: Vec<(Option<String>, Value)>) -> Vec<(Option<String>, Value)> {
    let mut out = Vec::with_capacity(objects.len());
    for (file, mut object) in objects {
        super::apps::octal_modes(&mut object);
        match object.get("items").and_then(Value::as_array) {
            Some(items) if object.get("kind").and_then(Value::as_str) == Some("List") => {
                out.extend(items.iter().map(|i| (file.clone(), i.clone())));
            }
            _ => out.push((file, object)),
        }
    }
    out
}

fn is_kustomization(dir: &Path) -> bool {
    ["kustomization.yaml", "kustomization.yml", "Kustomization"]
        .iter()
        .any(|k| dir.join(k).is_file())
}

fn helm(
    dir: &Path,
    release: &str,
    namespace: &str,
    values: &Value,
    tools: &Tools,
) -> Result<Objects, String> {
    let work = TempDir::new()?;
    let missing = cache::missing_dependencies(dir, values)?;
    let chart = if missing.is_empty() {
        dir.to_path_buf()
    } else {
        cache::without(dir, &missing, work.path())?
    };
    let values_file = work.path().join("values.json");
    let values = if values.is_null() {
        Value::Object(Default::default())
    } else {
        values.clone()
    };
    std::fs::write(&values_file, values.to_string()).map_err(|e| e.to_string())?;
    let mut command = Command::new(&tools.helm);
    command
        .arg("template")
        .arg(release)
        .arg(&chart)
        .args([
            "--namespace",
            namespace,
            "--kube-version",
            &tools.kube_version,
            "--include-crds",
        ])
        .arg("-f")
        .arg(&values_file);
    // an enabled subchart the cache lacks is rendered off: the parent chart reads its values
    // and templates, so it cannot render half of it
    let enabled: Vec<_> = missing.iter().filter(|m| m.enabled).cloned().collect();
    if !enabled.is_empty() {
        let chart_yaml = cache::read_yaml(&dir.join("Chart.yaml"))?;
        let mut off = Value::Object(Default::default());
        for dep in chart_yaml
            .get("dependencies")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            let name = dep.get("name").and_then(Value::as_str).unwrap_or("");
            let alias = dep.get("alias").and_then(Value::as_str).unwrap_or(name);
            if !enabled.iter().any(|m| m.name == alias) {
                continue;
            }
            for condition in dep
                .get("condition")
                .and_then(Value::as_str)
                .unwrap_or("")
                .split(',')
            {
                set_false(&mut off, condition.trim());
            }
        }
        let off_file = work.path().join("missing-off.json");
        std::fs::write(&off_file, off.to_string()).map_err(|e| e.to_string())?;
        command.arg("-f").arg(&off_file);
    }
    for api in &tools.api_versions {
        command.args(["--api-versions", api]);
    }
    let output = command
        .output()
        .map_err(|e| format!("cannot run {}: {e}", tools.helm.display()))?;
    if !output.status.success() {
        return Err(format!(
            "`helm template` of {} failed: {}",
            dir.display(),
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    let objects = documents("helm template output", &output.stdout)?
        .into_iter()
        .map(|o| (None, o))
        .collect();
    Ok((flatten(objects), enabled))
}

fn set_false(values: &mut Value, dotted: &str) {
    if dotted.is_empty() {
        return;
    }
    let mut at = values;
    let keys: Vec<&str> = dotted.split('.').collect();
    for key in &keys[..keys.len() - 1] {
        let Value::Object(map) = at else { return };
        at = map
            .entry(key.to_string())
            .or_insert_with(|| Value::Object(Default::default()));
    }
    if let Value::Object(map) = at {
        map.insert(keys[keys.len() - 1].to_string(), Value::Bool(false));
    }
}

/// `kubectl kustomize` of a folder, its remote GitHub resources taken from the chart cache.
pub fn kustomize(dir: &Path, tools: &Tools) -> Result<Vec<(Option<String>, Value)>, String> {
    let Some(kubectl) = &tools.kubectl else {
        return Err(format!(
            "{} is a kustomization and kubectl is not installed (install kubectl, or set LABC_KUBECTL)",
            dir.display()
        ));
    };
    let work = TempDir::new()?;
    let root = remote_free(dir, &tools.charts, work.path())?;
    let output = Command::new(kubectl)
        .arg("kustomize")
        .arg(&root)
        .args(["--load-restrictor", "LoadRestrictionsNone"])
        .output()
        .map_err(|e| format!("cannot run {}: {e}", kubectl.display()))?;
    if !output.status.success() {
        return Err(format!(
            "`kubectl kustomize` of {} failed: {}",
            dir.display(),
            String::from_utf8_lossy(&output.stderr).trim()
        ));
    }
    Ok(flatten(
        documents("kustomize output", &output.stdout)?
            .into_iter()
            .map(|o| (None, o))
            .collect(),
    ))
}

/// The kustomization folder to render: `dir` itself, or, when it names remote GitHub
/// resources, a copy in `work` whose kustomization names their folders in the cache instead
/// (and every other path absolutely, since the copy is elsewhere).
fn remote_free(dir: &Path, cache: &Path, work: &Path) -> Result<PathBuf, String> {
    let file = ["kustomization.yaml", "kustomization.yml", "Kustomization"]
        .iter()
        .map(|k| dir.join(k))
        .find(|p| p.is_file())
        .ok_or_else(|| format!("{}: no kustomization", dir.display()))?;
    let mut kustomization = cache::read_yaml(&file)?;
    let mut remote = false;
    for key in ["resources", "bases", "components"] {
        let Some(items) = kustomization.get_mut(key).and_then(Value::as_array_mut) else {
            continue;
        };
        for item in items.iter_mut() {
            let Some(text) = item.as_str() else { continue };
            if let Some(local) = github_remote(text, cache) {
                *item = Value::String(local.display().to_string());
                remote = true;
            } else if !text.starts_with('/') {
                *item = Value::String(dir.join(text).display().to_string());
            }
        }
    }
    if !remote {
        return Ok(dir.to_path_buf());
    }
    let copy = work.join("kustomization");
    std::fs::create_dir_all(&copy).map_err(|e| e.to_string())?;
    for entry in std::fs::read_dir(dir).map_err(|e| e.to_string())? {
        let entry = entry.map_err(|e| e.to_string())?;
        if entry.path() == file {
            continue;
        }
        let target = std::fs::canonicalize(entry.path()).map_err(|e| e.to_string())?;
        std::os::unix::fs::symlink(target, copy.join(entry.file_name()))
            .map_err(|e| e.to_string())?;
    }
    std::fs::write(copy.join("kustomization.yaml"), kustomization.to_string())
        .map_err(|e| e.to_string())?;
    Ok(copy)
}

/// `https://github.com/<org>/<repo>[/|//]<subpath>?ref=<tag>` (or without the scheme) as
/// `<cache>/<repo>/<tag>/<subpath>`.
fn github_remote(resource: &str, cache: &Path) -> Option<PathBuf> {
    let rest = resource
        .strip_prefix("https://")
        .unwrap_or(resource)
        .strip_prefix("github.com/")?;
    let (path, tag) = rest.split_once("?ref=")?;
    let mut parts = path.splitn(3, '/');
    let _org = parts.next()?;
    let repo = parts.next()?.trim_end_matches(".git");
    let sub = parts.next().unwrap_or("").trim_start_matches('/');
    Some(cache.join(repo).join(tag).join(sub))
}

/// A folder removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> Result<TempDir, String> {
        use std::sync::atomic::{AtomicUsize, Ordering};
        static COUNT: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "labc-verify-{}-{}",
            std::process::id(),
            COUNT.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        Ok(TempDir(dir))
    }

    fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn github_remotes_map_into_the_cache() {
        let cache = Path::new("/c");
        assert_eq!(
            github_remote(
                "https://github.com/wazuh/wazuh-kubernetes/wazuh?ref=v4.14.6",
                cache
            ),
            Some(PathBuf::from("/c/wazuh-kubernetes/v4.14.6/wazuh"))
        );
        assert_eq!(
            github_remote(
                "github.com/wazuh/wazuh-kubernetes.git//envs/local-env?ref=v1",
                cache
            ),
            Some(PathBuf::from("/c/wazuh-kubernetes/v1/envs/local-env"))
        );
        assert_eq!(github_remote("../base", cache), None);
    }

    #[test]
    fn conditions_are_turned_off_by_path() {
        let mut v = serde_json::json!({"grafana": {"x": 1}});
        set_false(&mut v, "grafana.enabled");
        set_false(&mut v, "nodeExporter.enabled");
        assert_eq!(
            v,
            serde_json::json!({"grafana": {"x": 1, "enabled": false}, "nodeExporter": {"enabled": false}})
        );
    }
}
