//! `labc seal`: seals declared secrets with the controller's public certificate and writes
//! `sealed/<namespace>/<name>.yaml` beside `site.kdl`. Values come from stdin or the
//! environment and go only into the cipher: never to disk, never to the terminal. The sealing
//! itself is `secrets::reseal`; this file reads, asks and writes.

use crate::diag::{Error, Located, Suggestion};
use crate::model::{SettingValue, Site};
use crate::secrets::{cert, digest, reseal, sealed, SealedFile};
use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};

/// The HMAC key for the digests, hex, instead of the key file.
pub const KEY_ENV: &str = "LABC_SEAL_KEY";

#[derive(clap::Args)]
pub struct SealArgs {
    /// The secrets to seal; all declared ones with --env
    pub secrets: Vec<String>,
    /// The site file
    #[arg(long, default_value = "site.kdl")]
    pub site: PathBuf,
    /// Read each value from LABC_SECRET_<SECRET>_<KEY> (upper case, `-` and `.` as `_`)
    /// instead of stdin, where one secret's values are a YAML mapping `key: value`
    #[arg(long)]
    pub env: bool,
    /// Make new values for the secrets labc generates (Wazuh's certificates and passwords);
    /// without it, a generated secret that is already sealed is kept as it is
    #[arg(long)]
    pub rotate: bool,
}

/// Why sealing stopped: diagnostics into `site.kdl`, or a plain message.
pub enum Failure {
    Diagnostics(Vec<Located>),
    Message(String),
}

impl From<String> for Failure {
    fn from(m: String) -> Self {
        Failure::Message(m)
    }
}

/// The environment variable a value is read from with `--env`.
pub fn env_name(secret: &str, key: &str) -> String {
    let up = |s: &str| {
        s.chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() {
                    c.to_ascii_uppercase()
                } else {
                    '_'
                }
            })
            .collect::<String>()
    };
    format!("LABC_SECRET_{}_{}", up(secret), up(key))
}

/// Every sealed file under `sealed/` beside the site, as the build passes them to `compile`.
pub fn read_sealed(site_dir: &Path) -> Result<Vec<SealedFile>, String> {
    fn walk(base: &Path, dir: &Path, out: &mut Vec<SealedFile>) -> Result<(), String> {
        let entries =
            std::fs::read_dir(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
        let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
        paths.sort();
        for path in paths {
            if path.is_dir() {
                walk(base, &path, out)?;
            } else if path.extension().is_some_and(|x| x == "yaml" || x == "yml") {
                let text = std::fs::read_to_string(&path)
                    .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
                let rel = path.strip_prefix(base).unwrap_or(&path);
                let rel = rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy())
                    .collect::<Vec<_>>()
                    .join("/");
                out.push(SealedFile { path: rel, text });
            }
        }
        Ok(())
    }
    let dir = site_dir.join(sealed::SEALED_FOLDER);
    let mut files = Vec::new();
    if dir.is_dir() {
        walk(site_dir, &dir, &mut files)?;
    }
    Ok(files)
}

/// The HMAC key: from `LABC_SEAL_KEY`, or `$XDG_CONFIG_HOME/labc/seal.key` (made on first use,
/// readable by its owner only). Never in the repository: a digest in git with a known key
/// would let anyone test guesses of a weak value.
fn hmac_key() -> Result<Vec<u8>, String> {
    if let Some(hex) = std::env::var_os(KEY_ENV) {
        let hex = hex.to_string_lossy();
        let bytes: Option<Vec<u8>> = (0..hex.len())
            .step_by(2)
            .map(|i| {
                hex.get(i..i + 2)
                    .and_then(|b| u8::from_str_radix(b, 16).ok())
            })
            .collect();
        return match bytes {
            Some(b) if b.len() >= 16 => Ok(b),
            _ => Err(format!("{KEY_ENV} must be at least 32 hex digits")),
        };
    }
    let config = std::env::var_os("XDG_CONFIG_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".config")))
        .ok_or("neither XDG_CONFIG_HOME nor HOME is set; set LABC_SEAL_KEY")?;
    let path = config.join("labc").join("seal.key");
    if let Ok(key) = std::fs::read(&path) {
        return Ok(key);
    }
    let mut key = vec![0u8; digest::KEY_BYTES];
    rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut key);
    std::fs::create_dir_all(path.parent().expect("a file in a folder"))
        .map_err(|e| format!("cannot create {}: {e}", config.display()))?;
    use std::os::unix::fs::OpenOptionsExt;
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(&path)
        .map_err(|e| format!("cannot create {}: {e}", path.display()))?;
    std::io::Write::write_all(&mut file, &key)
        .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
    eprintln!("made a new digest key in {}", path.display());
    Ok(key)
}

/// The values of one secret, every declared key, or a diagnostic naming each missing one.
fn values(
    site: &Site,
    name: &str,
    from_env: bool,
    stdin: &BTreeMap<String, String>,
    file: &std::sync::Arc<crate::diag::SourceFile>,
    problems: &mut Vec<Located>,
) -> BTreeMap<String, Vec<u8>> {
    let secret = site
        .secrets
        .iter()
        .find(|s| s.name.as_str() == name)
        .expect("checked");
    let mut values = BTreeMap::new();
    for key in &secret.keys {
        let value = if from_env {
            std::env::var(env_name(name, &key.value)).ok()
        } else {
            stdin.get(&key.value).cloned()
        };
        match value {
            Some(v) => {
                values.insert(key.value.clone(), v.into_bytes());
            }
            None => problems.push(Located::new(
                file,
                Error::SealMissingValue {
                    secret: name.into(),
                    key: key.value.clone(),
                    how: if from_env {
                        format!("set `{}`", env_name(name, &key.value))
                    } else {
                        format!("give it on stdin as `{}: …` in a YAML mapping", key.value)
                    },
                    span: key.span,
                },
            )),
        }
    }
    values
}

pub fn run(args: &SealArgs, catalog: &crate::stdlib::Catalog) -> Result<(), Failure> {
    let bytes = match crate::cli::read::read_site(&args.site)
        .map_err(|e| format!("cannot read {}: {e}", args.site.display()))?
    {
        crate::cli::read::Site::Bytes(bytes) => bytes,
        crate::cli::read::Site::TooLarge(located) => {
            return Err(Failure::Diagnostics(vec![*located]))
        }
    };
    let site_dir = args
        .site
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    let parsed = crate::syntax::parse(&args.site.display().to_string(), &bytes)
        .map_err(Failure::Diagnostics)?;
    let file = parsed.file;
    let (site, errors) = crate::decode::decode(&parsed.document, catalog);
    let errors: Vec<Located> = errors
        .into_iter()
        .filter(|e| !e.is_warning())
        .map(|e| Located::new(&file, e))
        .collect();
    if !errors.is_empty() {
        return Err(Failure::Diagnostics(errors));
    }
    let whole = miette::SourceSpan::from((0, file.text.len().min(1)));
    let controller = site
        .layers
        .iter()
        .flat_map(|l| &l.components)
        .find(|c| c.name.as_str() == "sealed-secrets");
    let cert_setting = controller.and_then(|c| c.settings.get("cert"));
    let Some((cert_path, cert_span)) = cert_setting.and_then(|s| match &s.value {
        SettingValue::String(p) => Some((p.clone(), s.span)),
        _ => None,
    }) else {
        let span = controller.map_or(whole, |c| c.name.span);
        return Err(Failure::Diagnostics(vec![Located::new(
            &file,
            Error::SealNoCertificate { span },
        )]));
    };
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    let certificate = std::fs::read(site_dir.join(&cert_path))
        .map_err(|e| e.to_string())
        .and_then(|pem| cert::read(&pem, now).map_err(|e| e.to_string()))
        .map_err(|reason| {
            Failure::Diagnostics(vec![Located::new(
                &file,
                Error::SealCertificate {
                    path: cert_path.clone(),
                    reason,
                    span: cert_span,
                },
            )])
        })?;
    let mut names: Vec<String> = if args.secrets.is_empty() && args.env {
        site.secrets.iter().map(|s| s.name.to_string()).collect()
    } else {
        args.secrets.clone()
    };
    // a registry's pull secret is one name in several namespaces: sealed once per namespace
    names.dedup();
    if names.is_empty() {
        return Err("name the secret to seal (`labc seal NAME`), or use --env to seal every declared secret".to_string().into());
    }
    let mut problems = Vec::new();
    for name in &names {
        if !site.secrets.iter().any(|s| s.name.as_str() == name) {
            problems.push(Located::new(
                &file,
                Error::SealUnknownSecret {
                    name: name.clone(),
                    suggestion: Suggestion::new(name, site.secrets.iter().map(|s| s.name.as_str())),
                    span: whole,
                },
            ));
        }
    }
    if !problems.is_empty() {
        return Err(Failure::Diagnostics(problems));
    }
    // the secrets labc makes the values of are never read from stdin or the environment
    let (generated, names): (Vec<String>, Vec<String>) = names
        .into_iter()
        .partition(|n| crate::wazuh::is_generated(n));
    let stdin: BTreeMap<String, String> = if args.env || names.is_empty() {
        BTreeMap::new()
    } else {
        if names.len() != 1 {
            return Err(
                "stdin holds the values of one secret; name one, or use --env"
                    .to_string()
                    .into(),
            );
        }
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| format!("cannot read stdin: {e}"))?;
        // the parser's message may quote the input, which holds values: say only where
        serde_yaml::from_str::<BTreeMap<String, String>>(&text).map_err(|e| {
            let at = e
                .location()
                .map_or(String::new(), |l| format!(" at line {}", l.line()));
            format!("stdin is not a YAML mapping of key to string value{at}")
        })?
    };
    let mut planned = Vec::new();
    for name in &names {
        let values = values(&site, name, args.env, &stdin, &file, &mut problems);
        planned.push((name, values));
    }
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    for name in &generated {
        if let Some(values) =
            crate::wazuh::generate::planned(&site, name, &site_dir, args.rotate, now)
        {
            planned.push((name, values));
        }
    }
    if !problems.is_empty() {
        return Err(Failure::Diagnostics(problems));
    }
    let key = hmac_key()?;
    let mut rng = rand::rngs::OsRng;
    let copies = planned.iter().flat_map(|(name, values)| {
        site.secrets
            .iter()
            .filter(move |s| s.name.as_str() == name.as_str())
            .map(move |secret| (secret, values))
    });
    for (secret, values) in copies {
        let name = secret.name.as_str();
        let rel = sealed::path_of(secret.namespace.as_str(), name);
        let path = site_dir.join(&rel);
        let committed = std::fs::read_to_string(&path).ok();
        let done = reseal::reseal(
            secret,
            values,
            &certificate,
            &key,
            committed.as_deref(),
            &mut rng,
        );
        match done.text {
            None => eprintln!("{rel}: unchanged"),
            Some(text) => {
                std::fs::create_dir_all(path.parent().expect("in a folder"))
                    .map_err(|e| format!("cannot create the folder of {rel}: {e}"))?;
                let tmp = path.with_extension("yaml.tmp");
                std::fs::write(&tmp, text)
                    .and_then(|()| std::fs::rename(&tmp, &path))
                    .map_err(|e| format!("cannot write {rel}: {e}"))?;
                eprintln!(
                    "{rel}: sealed {}{}",
                    done.sealed.join(" "),
                    if done.kept.is_empty() {
                        String::new()
                    } else {
                        format!("; kept {}", done.kept.join(" "))
                    }
                );
            }
        }
    }
    Ok(())
}
