//! The plaintext scanner: finds what looks like a secret value in `site.kdl` strings and in the
//! files labc is about to write. Token shapes are matched exactly; anything else must be long,
//! mix cases and digits and be close to random to count, so that names, hex digests and image
//! references pass.

use crate::diag::{Error, Located, SourceFile};
use crate::emit::Files;
use crate::syntax::Document as KdlDocument;
use memchr::memmem::Finder;
use std::sync::OnceLock;

/// What looks like a secret, where it starts in the scanned text and how long it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub what: &'static str,
    pub start: usize,
    pub len: usize,
}

const WEBHOOKS: &[&str] = &[
    "discord.com/api/webhooks/",
    "discordapp.com/api/webhooks/",
    "hooks.slack.com/services/",
];
/// GitHub's token prefixes and the fewest characters that follow them.
const GITHUB: &[(&str, usize)] = &[
    ("ghp_", 30),
    ("gho_", 30),
    ("ghu_", 30),
    ("ghs_", 30),
    ("ghr_", 30),
    ("github_pat_", 20),
];
const MIN_RANDOM_LEN: usize = 20;

fn token_char(c: u8) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-')
}

fn run(bytes: &[u8], from: usize, ok: impl Fn(u8) -> bool) -> usize {
    bytes[from..].iter().take_while(|c| ok(**c)).count()
}

/// The SIMD substring searchers of the token shapes, built once: every byte of `out/` passes
/// through them, and building a searcher per file and pattern cost more than the search.
struct Finders {
    private_key: Finder<'static>,
    webhooks: Vec<(&'static str, Finder<'static>)>,
    /// `gh`, which starts the short GitHub prefixes, and `github_pat_`; each candidate is then
    /// compared with every prefix.
    github: [Finder<'static>; 2],
    scheme: Finder<'static>,
    /// AWS access key ids: `AKIA` (long-term) or `ASIA` (temporary), then 16 capitals or digits.
    aws: [Finder<'static>; 2],
}

fn finders() -> &'static Finders {
    static FINDERS: OnceLock<Finders> = OnceLock::new();
    FINDERS.get_or_init(|| Finders {
        private_key: Finder::new("-----BEGIN "),
        webhooks: WEBHOOKS.iter().map(|w| (*w, Finder::new(*w))).collect(),
        github: [Finder::new("gh"), Finder::new("github_pat_")],
        scheme: Finder::new("://"),
        aws: [Finder::new("AKIA"), Finder::new("ASIA")],
    })
}

/// Every match of `finder` in `bytes`, as byte offsets.
fn find_all<'a>(finder: &'a Finder<'static>, bytes: &'a [u8]) -> impl Iterator<Item = usize> + 'a {
    finder.find_iter(bytes)
}

/// The bytes a random key or token is made of (base64, base64url, hex…), as a table: the scan
/// for them looks at every byte of `out/`.
const WORD: [bool; 256] = {
    let mut table = [false; 256];
    let mut c = 0;
    while c < 256 {
        let b = c as u8;
        table[c] = b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'=' | b'_' | b'-');
        c += 1;
    }
    table
};

/// Shannon entropy in bits per character.
fn entropy(word: &[u8]) -> f64 {
    let mut counts = [0u32; 256];
    for b in word {
        counts[*b as usize] += 1;
    }
    let n = word.len() as f64;
    counts
        .iter()
        .filter(|c| **c > 0)
        .map(|c| {
            let p = f64::from(*c) / n;
            -p * p.log2()
        })
        .sum()
}

/// Random-looking: long, upper and lower case and at least two digits, no run of lowercase
/// letters as long as a word part (which keeps camelCase keys such as
/// `clusterPoolIPv4PodCIDRList` out), and nearly as varied as random characters of its length
/// would be (which keeps lowercase hex digests out).
fn looks_random(word: &[u8]) -> bool {
    // the length test first: nearly every word of a manifest is short, and this runs on all
    if word.len() < MIN_RANDOM_LEN {
        return false;
    }
    let longest_lower = word
        .split(|c| !c.is_ascii_lowercase())
        .map(<[u8]>::len)
        .max()
        .unwrap_or(0);
    longest_lower < 6
        && word.iter().any(u8::is_ascii_uppercase)
        && word.iter().any(u8::is_ascii_lowercase)
        && word.iter().filter(|c| c.is_ascii_digit()).count() >= 2
        && entropy(word) >= 0.8 * (word.len().min(64) as f64).log2()
}

/// Whether a random-looking word is in fact text or a public key: base64 of printable text
/// (encoded configuration such as `eyJsb2dMZXZlbCI6ICJpbmZvIn0=`, with a space, a brace or a
/// quote in it), or the key of an SSH public key line (`ssh-ed25519 AAAA…`).
fn encoded_text_or_public_key(bytes: &[u8], start: usize, word: &[u8]) -> bool {
    use base64::Engine as _;
    let line_start = bytes[..start]
        .iter()
        .rposition(|c| *c == b'\n')
        .map_or(0, |p| p + 1);
    let before = &bytes[line_start..start];
    let algorithm = before
        .strip_suffix(b" ")
        .map(|b| b.rsplit(|c| *c == b' ' || *c == b'"').next().unwrap_or(b));
    if word.starts_with(b"AAAA")
        && algorithm.is_some_and(|a| a.starts_with(b"ssh-") || a.starts_with(b"ecdsa-"))
    {
        return true;
    }
    let Ok(decoded) = base64::engine::general_purpose::STANDARD.decode(word) else {
        return false;
    };
    std::str::from_utf8(&decoded).is_ok_and(|text| {
        text.chars()
            .all(|c| c.is_ascii_graphic() || c.is_ascii_whitespace())
            && text.contains([' ', '{', '"'])
    })
}

/// Scans one text. `random` turns on the check for random-looking words, which is off for
/// ciphertext, the one place random bytes belong.
pub fn scan_text(text: &str, random: bool) -> Vec<Finding> {
    let bytes = text.as_bytes();
    let finders = finders();
    let mut found = Vec::new();
    for start in find_all(&finders.private_key, bytes) {
        let line_end = memchr::memchr(b'\n', &bytes[start..]).map_or(text.len(), |i| start + i);
        if text[start..line_end].contains("PRIVATE KEY-----") {
            found.push(Finding {
                what: "a private key",
                start,
                len: line_end - start,
            });
        }
    }
    for (hook, finder) in &finders.webhooks {
        for start in find_all(finder, bytes) {
            let token = run(bytes, start + hook.len(), |c| token_char(c) || c == b'/');
            if token >= 8 {
                found.push(Finding {
                    what: "a webhook URL with its token",
                    start,
                    len: hook.len() + token,
                });
            }
        }
    }
    let github = finders.github.iter().flat_map(|f| find_all(f, bytes));
    for start in github {
        for (prefix, min) in GITHUB {
            if !bytes[start..].starts_with(prefix.as_bytes()) {
                continue;
            }
            let before_ok = start == 0 || !token_char(bytes[start - 1]);
            let token = run(bytes, start + prefix.len(), token_char);
            if before_ok && token >= *min {
                found.push(Finding {
                    what: "a GitHub token",
                    start,
                    len: prefix.len() + token,
                });
            }
        }
    }
    for start in finders.aws.iter().flat_map(|f| find_all(f, bytes)) {
        let before_ok = start == 0 || !bytes[start - 1].is_ascii_alphanumeric();
        let id = run(bytes, start + 4, |c| {
            c.is_ascii_uppercase() || c.is_ascii_digit()
        });
        let after_ok = bytes
            .get(start + 4 + id)
            .is_none_or(|c| !c.is_ascii_alphanumeric());
        if before_ok && id == 16 && after_ok {
            found.push(Finding {
                what: "an AWS access key id",
                start,
                len: 20,
            });
        }
    }
    for scheme_end in find_all(&finders.scheme, bytes) {
        let rest = scheme_end + 3;
        let authority = run(bytes, rest, |c| {
            !c.is_ascii_whitespace() && !matches!(c, b'/' | b'"' | b'\'' | b'?' | b'#')
        });
        let userinfo = &text[rest..rest + authority];
        if let Some(at) = userinfo.rfind('@') {
            if userinfo[..at]
                .split_once(':')
                .is_some_and(|(_, p)| !p.is_empty())
            {
                found.push(Finding {
                    what: "a password in a URL",
                    start: rest,
                    len: at,
                });
            }
        }
    }
    if random {
        random_words(bytes, &mut found);
    }
    found.sort_by_key(|f| f.start);
    found
}

/// Adds each random-looking word of `bytes` that no other finding covers. A path or URL is many
/// words, so each part between slashes is judged on its own. Only a part as long as a key can be
/// one, which lets the scan skip ahead: if the byte `MIN_RANDOM_LEN - 1` ahead is not part of a
/// word, no long enough part starts before it, so most of `out/` is looked at one byte in twenty.
fn random_words(bytes: &[u8], found: &mut Vec<Finding>) {
    let shapes = found.len();
    let part = |c: u8| WORD[c as usize] && c != b'/';
    // invariant: `i` is 0 or follows a byte that is not part of a word
    let mut i = 0;
    while i + MIN_RANDOM_LEN <= bytes.len() {
        let probe = i + MIN_RANDOM_LEN - 1;
        if !part(bytes[probe]) {
            i = probe + 1;
            continue;
        }
        let start = bytes[i..probe]
            .iter()
            .rposition(|c| !part(*c))
            .map_or(i, |p| i + p + 1);
        let end = bytes[probe..]
            .iter()
            .position(|c| !part(*c))
            .map_or(bytes.len(), |p| probe + p);
        i = end + 1;
        if end - start < MIN_RANDOM_LEN
            || !looks_random(&bytes[start..end])
            || encoded_text_or_public_key(bytes, start, &bytes[start..end])
        {
            continue;
        }
        // the whole word around the part, slashes included, is what the shapes are compared
        // with
        let word_start = bytes[..start]
            .iter()
            .rposition(|c| !WORD[*c as usize])
            .map_or(0, |p| p + 1);
        let word_end = bytes[end..]
            .iter()
            .position(|c| !WORD[*c as usize])
            .map_or(bytes.len(), |p| end + p);
        let covered = found[..shapes]
            .iter()
            .any(|f| f.start < word_end && word_start < f.start + f.len);
        if !covered {
            found.push(Finding {
                what: "a random key or token",
                start,
                len: end - start,
            });
        }
    }
}

/// What the scan of `site.kdl` finds in one string value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// A secret by shape (`scan_text`): a token, a key, a password in a URL, random text.
    Shape(&'static str),
    /// A credential by meaning: the name it is given to, or the text around it, says so.
    Meaning(String),
}

/// Judges one string value of `site.kdl`; `name` is what it is given to (a property's name, an
/// `env` variable's name), when it has one. Shapes are looked for first.
pub fn judge(name: Option<&str>, value: &str) -> Option<Verdict> {
    if let Some(finding) = scan_text(value, true).first() {
        return Some(Verdict::Shape(finding.what));
    }
    name.and_then(|n| super::meaning::named(n, value))
        .or_else(|| super::meaning::assigned(value))
        .map(Verdict::Meaning)
}

/// Every string value written in `site.kdl`, judged; errors point at the value.
pub fn scan_document(document: &KdlDocument) -> Vec<Error> {
    let mut errors = Vec::new();
    for node in document.nodes() {
        // `env NAME "value"`: the value is given to the variable named by the first argument
        let variable = (node.name().value() == "env")
            .then(|| node.entries().iter().find(|e| e.name().is_none()))
            .flatten()
            .and_then(|e| e.value().as_string());
        let mut positional = 0;
        for entry in node.entries() {
            let name = match entry.name() {
                // `secret=`, `tunnel-secret=`, `key=`, `password-key=` name a declared secret
                // or one of its keys: the value is a name, not the credential
                Some(property) if property.value().ends_with("secret") => None,
                Some(property) if property.value().ends_with("key") => None,
                Some(property) => Some(property.value()),
                None => {
                    positional += 1;
                    variable.filter(|_| positional == 2)
                }
            };
            let Some(text) = entry.value().as_string() else {
                continue;
            };
            // the finding's own offset is inside the unescaped value, which may not map back
            // byte for byte onto the source; the whole value is labelled
            match judge(name, text) {
                Some(Verdict::Shape(what)) => errors.push(Error::PlaintextSecret {
                    what,
                    span: entry.span(),
                }),
                Some(Verdict::Meaning(what)) => errors.push(Error::PlaintextCredential {
                    what,
                    name: name.unwrap_or("NAME").to_string(),
                    span: entry.span(),
                }),
                None => {}
            }
        }
        if let Some(children) = node.children() {
            errors.extend(scan_document(children));
        }
    }
    errors
}

/// Every file labc is about to write, scanned; a finding is labelled in the file itself.
pub fn scan_files(files: &Files) -> Vec<Located> {
    // every byte of out/ is read here, so the files are scanned on all cores
    let files: Vec<(&String, &Vec<u8>)> = files.as_map().iter().collect();
    crate::cores::map(&files, |(p, b)| scan_file(p, b))
        .into_iter()
        .flatten()
        .collect()
}

fn scan_file(path: &str, bytes: &[u8]) -> Vec<Located> {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return Vec::new();
    };
    let random = !path.contains("/sealedsecret-");
    scan_text(text, random)
        .into_iter()
        .map(|finding| {
            let file = SourceFile::new(format!("out/{path}"), text);
            Located::new(
                &file,
                Error::PlaintextOutput {
                    what: finding.what,
                    path: path.to_string(),
                    span: (finding.start, finding.len).into(),
                },
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn what(text: &str) -> Vec<&'static str> {
        scan_text(text, true).into_iter().map(|f| f.what).collect()
    }

    #[test]
    fn token_shapes_are_found() {
        assert_eq!(
            what("https://discord.com/api/webhooks/123456789/abcdefGHIJ_kl-mn"),
            ["a webhook URL with its token"]
        );
        assert_eq!(
            what("ghp_abcdefghijklmnopqrstuvwxyz0123456789"),
            ["a GitHub token"]
        );
        assert_eq!(
            what("github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz"),
            ["a GitHub token"]
        );
        assert_eq!(
            what("-----BEGIN RSA PRIVATE KEY-----\nMIIE"),
            ["a private key"]
        );
        assert_eq!(
            what("mysql://root:hunter2@mysql.blog:3306/db"),
            ["a password in a URL"]
        );
        assert_eq!(what("Zx81qLp0Vb7NwT3yKc5HdR2m"), ["a random key or token"]);
    }

    #[test]
    fn a_random_part_of_a_path_is_found_where_it_is_unless_a_shape_covers_it() {
        let text = "key: /data/Zx81qLp0Vb7NwT3yKc5HdR2m/x\n";
        let found = scan_text(text, true);
        assert_eq!(found.len(), 1);
        assert_eq!(
            &text[found[0].start..found[0].start + found[0].len],
            "Zx81qLp0Vb7NwT3yKc5HdR2m"
        );
        // the token of a webhook is part of the webhook finding, not a second one
        assert_eq!(
            what("https://discord.com/api/webhooks/123456789/Zx81qLp0Vb7NwT3yKc5HdR2m"),
            ["a webhook URL with its token"]
        );
        // at the very end of the text too
        assert_eq!(what("Zx81qLp0Vb7NwT3yKc5HdR2m"), ["a random key or token"]);
        assert!(scan_text("Zx81qLp0Vb7NwT3yKc5HdR2m", false).is_empty());
    }

    /// The skipping scan finds exactly the long parts a byte-by-byte scan finds.
    #[test]
    fn skipping_ahead_misses_no_long_part() {
        let naive = |text: &str| -> Vec<(usize, usize)> {
            let bytes = text.as_bytes();
            let mut out = Vec::new();
            let mut start = 0;
            for i in 0..=bytes.len() {
                let inside = bytes
                    .get(i)
                    .is_some_and(|c| WORD[*c as usize] && *c != b'/');
                if !inside {
                    if i - start >= MIN_RANDOM_LEN && looks_random(&bytes[start..i]) {
                        out.push((start, i - start));
                    }
                    start = i + 1;
                }
            }
            out
        };
        let token = "Zx81qLp0Vb7NwT3yKc5HdR2m";
        let mut texts = vec![
            token.to_string(),
            format!("a/{token}"),
            format!("{token}/b"),
        ];
        // every offset and neighbour, so that probes land everywhere around a token
        for pad in 0..45 {
            for sep in [" ", "/", "\n", ": ", "-"] {
                texts.push(format!(
                    "{}{sep}{token}{sep}{}",
                    "x".repeat(pad),
                    "y".repeat(pad % 7)
                ));
                texts.push(format!("{}{token}{}", "ab ".repeat(pad), sep));
            }
        }
        for text in texts {
            let mut found = Vec::new();
            random_words(text.as_bytes(), &mut found);
            let got: Vec<(usize, usize)> = found.iter().map(|f| (f.start, f.len)).collect();
            assert_eq!(got, naive(&text), "{text:?}");
        }
    }

    #[test]
    fn ordinary_values_pass() {
        for ok in [
            "https://github.com/example/homelab",
            "ghcr.io/example/blog-was:2.7.0",
            "sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
            "/actuator/health/readiness",
            "mysql.blog.svc.cluster.local",
            "https://user@example.com/",
            "-----BEGIN CERTIFICATE-----",
            "SPRING_PROFILES_ACTIVE",
            "kube-prometheus-stack-88.5.3",
            "quay.io/jetstack/cert-manager-controller:v1.14.0",
            "clusterPoolIPv4PodCIDRList",
            "eyJsb2dMZXZlbCI6ICJpbmZvIn0=",
            "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl me@host",
        ] {
            assert!(what(ok).is_empty(), "{ok}: {:?}", what(ok));
        }
    }
}
