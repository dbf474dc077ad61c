//! The chart cache: `<cache>/<chart>/<version>/`, one unpacked chart (or git tree) per folder,
//! as `helm pull --untar` leaves it. `--charts DIR` names it; by default it is the user's
//! cache folder, and with network a missing chart is pulled into it.

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The default cache: `$LABC_CHARTS`, else `$XDG_CACHE_HOME/labc/charts`, else
/// `~/.cache/labc/charts`.
pub fn default_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("LABC_CHARTS").filter(|d| !d.is_empty()) {
        return PathBuf::from(dir);
    }
    let base = std::env::var_os("XDG_CACHE_HOME")
        .filter(|d| !d.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))
        .unwrap_or_else(|| PathBuf::from(".cache"));
    base.join("labc").join("charts")
}

/// The folder of a chart at a version, pulled with `helm pull` when it is missing and
/// `pull` is set. `Err` says what is missing and how to get it.
pub fn chart(
    cache: &Path,
    helm: &Path,
    repo: &str,
    chart: &str,
    version: &str,
    pull: bool,
) -> Result<PathBuf, String> {
    let dir = cache.join(chart).join(version);
    if dir.join("Chart.yaml").is_file() {
        return Ok(dir);
    }
    let how = format!("helm pull {chart} --repo {repo} --version {version} --untar --untardir <tmp> and move <tmp>/{chart} to {}", dir.display());
    if !pull {
        return Err(format!(
            "chart {chart} {version} is not in the chart cache {} (get it with `{how}`)",
            cache.display()
        ));
    }
    let mut pull = Command::new(helm);
    pull.args([
        "pull",
        chart,
        "--repo",
        repo,
        "--version",
        version,
        "--untar",
        "--untardir",
    ]);
    let what = format!(
        "chart {chart} {version} is not in the chart cache {} and `helm pull`",
        cache.display()
    );
    // helm unpacks into a folder named after the chart, inside the staging one
    fetch(
        pull,
        &what,
        &cache.join(chart).join(format!(".pull-{version}")),
        Path::new(chart),
        &dir,
    )?;
    Ok(dir)
}

/// The folder of another git repository at a revision: `<cache>/<repo name>/<revision>`
/// holding the tree (then `path` inside it), or holding what `path` holds (a chart kept on
/// its own, as `helm pull` of a git-hosted chart would not give it). Revisions are tried as
/// written and without a leading `v`. With `pull`, a missing one is cloned there with `git`
/// (the revision as a branch or tag, one commit deep).
pub fn git(
    cache: &Path,
    repo: &str,
    revision: &str,
    path: &str,
    pull: bool,
) -> Result<PathBuf, String> {
    let name = repo
        .trim_end_matches('/')
        .trim_end_matches(".git")
        .rsplit('/')
        .next()
        .unwrap_or(repo);
    let revisions = [revision, revision.strip_prefix('v').unwrap_or(revision)];
    for rev in revisions {
        let dir = cache.join(name).join(rev);
        if !dir.is_dir() {
            continue;
        }
        let inside = dir.join(path);
        if !path.is_empty() && inside.is_dir() {
            return Ok(inside);
        }
        return Ok(dir);
    }
    let dir = cache.join(name).join(revision);
    if !pull {
        return Err(format!(
            "{repo} at {revision} is not in the chart cache {} (clone it there as {name}/{revision}/)",
            cache.display()
        ));
    }
    let mut clone = Command::new("git");
    clone.args([
        "clone", "--quiet", "--depth", "1", "--branch", revision, repo,
    ]);
    let what = format!(
        "{repo} at {revision} is not in the chart cache {} and `git clone`",
        cache.display()
    );
    fetch(
        clone,
        &what,
        &cache.join(name).join(format!(".clone-{revision}")),
        Path::new(""),
        &dir,
    )?;
    let inside = dir.join(path);
    Ok(if !path.is_empty() && inside.is_dir() {
        inside
    } else {
        dir
    })
}

/// Runs `command` with a staging folder as its last argument, then moves `inside` of it to
/// `dir`: a fetch that fails or stops halfway leaves the cache as it was. `what` starts the
/// error ("… failed: <stderr>").
fn fetch(
    mut command: Command,
    what: &str,
    staging: &Path,
    inside: &Path,
    dir: &Path,
) -> Result<(), String> {
    let _ = std::fs::remove_dir_all(staging);
    std::fs::create_dir_all(staging).map_err(|e| format!("{}: {e}", staging.display()))?;
    let output = command
        .arg(staging)
        .output()
        .map_err(|e| format!("{what} cannot run: {e}"))?;
    let moved = if output.status.success() {
        std::fs::rename(staging.join(inside), dir).map_err(|e| format!("{}: {e}", dir.display()))
    } else {
        Err(format!(
            "{what} failed: {}",
            String::from_utf8_lossy(&output.stderr).trim()
        ))
    };
    let _ = std::fs::remove_dir_all(staging);
    moved
}

/// A dependency of a chart that its `charts/` folder lacks.
#[derive(Debug, Clone, PartialEq)]
pub struct Missing {
    pub name: String,
    pub version: String,
    /// Whether the values turn it on: its objects would be rendered by Argo CD but cannot be
    /// here.
    pub enabled: bool,
}

/// The dependencies `Chart.yaml` lists that `charts/` does not hold, each with whether
/// `values` (over the chart's defaults) enable it.
pub fn missing_dependencies(dir: &Path, values: &Value) -> Result<Vec<Missing>, String> {
    let chart = read_yaml(&dir.join("Chart.yaml"))?;
    let defaults = read_yaml(&dir.join("values.yaml")).unwrap_or(Value::Null);
    let Some(deps) = chart.get("dependencies").and_then(Value::as_array) else {
        return Ok(Vec::new());
    };
    let present: Vec<String> = std::fs::read_dir(dir.join("charts"))
        .map(|entries| {
            entries
                .filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    let mut missing = Vec::new();
    for dep in deps {
        let name = dep.get("name").and_then(Value::as_str).unwrap_or("");
        let alias = dep.get("alias").and_then(Value::as_str).unwrap_or(name);
        let held = present
            .iter()
            .any(|p| p == name || (p.starts_with(&format!("{name}-")) && p.ends_with(".tgz")));
        if held {
            continue;
        }
        let condition = dep.get("condition").and_then(Value::as_str).unwrap_or("");
        // Helm takes the first path of the condition list that resolves to a boolean;
        // without one the dependency is enabled
        let enabled = condition
            .split(',')
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .find_map(|c| lookup(values, c).or_else(|| lookup(&defaults, c)))
            .unwrap_or(true);
        missing.push(Missing {
            name: alias.to_string(),
            version: dep
                .get("version")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string(),
            enabled,
        });
    }
    Ok(missing)
}

fn lookup(values: &Value, dotted: &str) -> Option<bool> {
    dotted
        .split('.')
        .try_fold(values, |v, key| v.get(key))
        .and_then(Value::as_bool)
}

/// A copy of the chart at `dir` whose `Chart.yaml` lists no dependency named in `drop`, made
/// of links to the original files, so that `helm template` renders it without the missing
/// ones. Helm refuses a chart whose listed dependencies are absent even when they are off.
pub fn without(dir: &Path, drop: &[Missing], into: &Path) -> Result<PathBuf, String> {
    let err = |p: &Path, e: std::io::Error| format!("{}: {e}", p.display());
    let copy = into.join("chart");
    std::fs::create_dir_all(&copy).map_err(|e| err(&copy, e))?;
    for entry in std::fs::read_dir(dir).map_err(|e| err(dir, e))? {
        let entry = entry.map_err(|e| err(dir, e))?;
        let name = entry.file_name();
        if name == "Chart.yaml" || name == "Chart.lock" {
            continue;
        }
        let target = std::fs::canonicalize(entry.path()).map_err(|e| err(&entry.path(), e))?;
        std::os::unix::fs::symlink(&target, copy.join(&name)).map_err(|e| err(&copy, e))?;
    }
    let mut chart = read_yaml(&dir.join("Chart.yaml"))?;
    if let Some(deps) = chart.get_mut("dependencies").and_then(Value::as_array_mut) {
        deps.retain(|d| {
            let name = d.get("name").and_then(Value::as_str).unwrap_or("");
            let alias = d.get("alias").and_then(Value::as_str).unwrap_or(name);
            !drop.iter().any(|m| m.name == alias)
        });
    }
    let text = serde_json::to_string(&chart).map_err(|e| e.to_string())?;
    let path = copy.join("Chart.yaml");
    std::fs::write(&path, text).map_err(|e| err(&path, e))?;
    Ok(copy)
}

pub fn read_yaml(path: &Path) -> Result<Value, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let name = path.display().to_string();
    Ok(super::apps::documents(&name, &bytes)?
        .into_iter()
        .next()
        .unwrap_or(Value::Null))
}
