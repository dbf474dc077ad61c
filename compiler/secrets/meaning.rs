//! Credentials found by meaning, not shape: a value whose variable or setting name says it is a
//! password, token or key (`DB_PASSWORD "hunter2"`), or a text that assigns one
//! (`-Dspring.datasource.password=hunter2`, `token: abc`). Only `site.kdl` is judged this way;
//! `out/` holds references such as `password: DB_PASSWORD` that this reading would misjudge.

/// Words that make a name a credential's on their own.
const CREDENTIAL_WORDS: &[&str] = &[
    "password",
    "passwd",
    "pass",
    "pwd",
    "passphrase",
    "secret",
    "token",
    "credential",
    "credentials",
    "apikey",
    "bearer",
    "pw",
    "authorization",
];

/// Words that make `key` a credential's: `API_KEY`, `PRIVATE_KEY`, `ACCESS_KEY`…
const KEY_QUALIFIERS: &[&str] = &[
    "api",
    "private",
    "access",
    "secret",
    "signing",
    "encryption",
    "master",
    "session",
    "auth",
    "client",
    "license",
    "account",
];

/// Words that make a credential's name describe it rather than hold it: its length, lifetime,
/// file, where to fetch it, whether it is required (`PASSWORD_MIN_LENGTH`, `TOKEN_TTL`,
/// `DB_PASSWORD_FILE`, `SECRET_NAME`).
const DESCRIBING_WORDS: &[&str] = &[
    "min",
    "max",
    "length",
    "len",
    "ttl",
    "timeout",
    "expiry",
    "expires",
    "expiration",
    "lifetime",
    "age",
    "file",
    "path",
    "dir",
    "url",
    "uri",
    "endpoint",
    "header",
    "type",
    "name",
    "enabled",
    "enable",
    "required",
    "policy",
    "rotation",
    "algorithm",
    "size",
    "count",
    "limit",
    "mode",
    "ref",
    "id",
    "prefix",
    "format",
    "hash",
    "strength",
    "reset",
    "store",
    "provider",
    "audience",
    "issuer",
];

/// The words of a name, lowercased: split at `_`, `-`, `.`, and where camelCase starts a word.
fn words(name: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut previous_lower = false;
    for c in name.chars() {
        if !c.is_ascii_alphanumeric() {
            if !word.is_empty() {
                words.push(std::mem::take(&mut word));
            }
            previous_lower = false;
            continue;
        }
        if c.is_ascii_uppercase() && previous_lower && !word.is_empty() {
            words.push(std::mem::take(&mut word));
        }
        previous_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        word.push(c.to_ascii_lowercase());
    }
    if !word.is_empty() {
        words.push(word);
    }
    words
}

/// Whether a variable, setting or property of this name holds a credential: a credential's
/// word comes after any describing word (`keyStorePassword` holds one, `SECRET_STORE` and
/// `PASSWORD_MIN_LENGTH` name something about one).
pub fn credential_name(name: &str) -> bool {
    let words = words(name);
    let last_credential = words.iter().enumerate().rposition(|(i, w)| {
        CREDENTIAL_WORDS.contains(&w.as_str())
            // glued: `PGPASSWORD`, `HTPASSWD`
            || w.contains("password")
            || w.contains("passwd")
            || (w == "key" && i > 0 && KEY_QUALIFIERS.contains(&words[i - 1].as_str()))
            || matches!(
                w.as_str(),
                "apikey" | "privatekey" | "accesskey" | "secretkey"
            )
    });
    let last_describing = words
        .iter()
        .rposition(|w| DESCRIBING_WORDS.contains(&w.as_str()));
    match (last_credential, last_describing) {
        (Some(c), Some(d)) => c > d,
        (Some(_), None) => true,
        (None, _) => false,
    }
}

/// Whether a value given to a credential's name holds nothing secret: empty, a boolean, a
/// reference to where the value comes from (`${DB_PASSWORD}`, `$(TOKEN)`, `{{ .token }}`), a
/// path to a file or a masked placeholder.
fn holds_nothing(value: &str) -> bool {
    let value = value.trim();
    let lower = value.to_ascii_lowercase();
    value.is_empty()
        || matches!(
            lower.as_str(),
            "true" | "false" | "yes" | "no" | "on" | "off" | "none" | "null" | "nil"
        )
        || value.starts_with("${")
        || value.starts_with("$(")
        || value.starts_with("{{")
        || value.starts_with('%')
        || (value.starts_with('$')
            && value[1..]
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_'))
        || value.starts_with('/')
        || value.starts_with("file:")
        || value.starts_with("secret:")
        || value.chars().all(|c| c == '*' || c == 'x' || c == 'X')
        || (value.starts_with('<') && value.ends_with('>'))
}

/// Why a value of `name` is a credential, or `None`: the name says so and the value holds one.
pub fn named(name: &str, value: &str) -> Option<String> {
    (credential_name(name) && !holds_nothing(value)).then(|| format!("`{name}` names a credential"))
}

/// How a name assigned to in a text is shown: without a flag's dashes or a JVM property's `-D`.
fn shown(key: &str) -> String {
    let key = key.trim_start_matches('-');
    let key = key
        .strip_prefix('D')
        .filter(|k| k.contains('.'))
        .unwrap_or(key);
    format!("`{key}` is given a credential")
}

fn key_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.')
}

/// The value that starts `rest`: a quoted string, or up to a space or separator; an
/// `Authorization` value's scheme (`Bearer`, `Basic`) is read with its token.
fn value_at(rest: &str) -> &str {
    if let Some(quoted) = rest.strip_prefix('"') {
        return quoted.split('"').next().unwrap_or_default();
    }
    let end = |s: &str| {
        s.find(|ch: char| ch.is_whitespace() || matches!(ch, ',' | ';' | '&' | '"' | '\''))
            .unwrap_or(s.len())
    };
    for scheme in ["Bearer ", "Basic ", "Token "] {
        if let Some(token) = rest.strip_prefix(scheme) {
            return &rest[..scheme.len() + end(token)];
        }
    }
    &rest[..end(rest)]
}

/// The first assignment of a credential in a text (`password=hunter2`,
/// `-Dspring.datasource.password=hunter2`, `token: abc`, `{"password": "abc"}`,
/// `--db-password hunter2`, `AWS_SECRET_ACCESS_KEY=…`), as the name assigned to.
pub fn assigned(text: &str) -> Option<String> {
    let bytes = text.as_bytes();
    for (i, &c) in bytes.iter().enumerate() {
        if c != b'=' && c != b':' {
            continue;
        }
        // `://` is a URL's scheme, which the shape scan reads
        if c == b':' && text[i..].starts_with("://") {
            continue;
        }
        // a quoted key, as in JSON: `"password": "…"`
        let before = text[..i].trim_end();
        let before = before.strip_suffix('"').unwrap_or(before);
        // after the last character that is not part of a key, which may be wider than a byte
        let key_start = before
            .char_indices()
            .rev()
            .find(|(_, ch)| !key_char(*ch))
            .map_or(0, |(p, ch)| p + ch.len_utf8());
        let key = &before[key_start..];
        if key.is_empty() || !credential_name(key) {
            continue;
        }
        if !holds_nothing(value_at(text[i + 1..].trim_start())) {
            return Some(shown(key));
        }
    }
    // a command-line flag followed by its value: `--db-password hunter2`
    let mut words = text.split_whitespace().peekable();
    while let Some(word) = words.next() {
        let is_flag = word.starts_with('-') && !word.contains('=') && word.chars().all(key_char);
        if is_flag && credential_name(word) {
            if let Some(value) = words.peek().filter(|v| !v.starts_with('-')) {
                if !holds_nothing(value) {
                    return Some(shown(word));
                }
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_assignment_after_a_wide_character_is_read_without_panicking() {
        // found by fuzzing: `ڍ` (two bytes) right before a key once cut the text inside it
        assert_eq!(assigned("docker.io/libraryڍedis:7.4.1"), None);
        assert_eq!(
            assigned("ڍpassword=hunter2").as_deref(),
            Some(shown("password").as_str())
        );
    }

    #[test]
    fn names_are_split_into_words() {
        assert_eq!(words("DB_PASSWORD"), ["db", "password"]);
        assert_eq!(words("apiKey"), ["api", "key"]);
        assert_eq!(
            words("spring.datasource.password"),
            ["spring", "datasource", "password"]
        );
        assert_eq!(words("OAuth2ClientSecret"), ["oauth2", "client", "secret"]);
    }

    #[test]
    fn credential_names() {
        for yes in [
            "DB_PASSWORD",
            "MYSQL_ROOT_PASSWORD",
            "AWS_SECRET_ACCESS_KEY",
            "API_KEY",
            "apiKey",
            "GITHUB_TOKEN",
            "PRIVATE_KEY",
            "SMTP_PASS",
            "client-secret",
            "javax.net.ssl.keyStorePassword",
            "AccountKey",
        ] {
            assert!(credential_name(yes), "{yes}");
        }
        for no in [
            "PASSWORD_MIN_LENGTH",
            "TOKEN_TTL",
            "DB_PASSWORD_FILE",
            "SECRET_NAME",
            "LOG_LEVEL",
            "KEY",
            "PRIMARY_KEY_COLUMN",
            "PASSPORT_STRATEGY",
            "AWS_ACCESS_KEY_ID",
            "SECRET_STORE",
            "TOKEN_URL",
        ] {
            assert!(!credential_name(no), "{no}");
        }
    }

    #[test]
    fn references_and_placeholders_hold_nothing() {
        assert!(named("DB_PASSWORD", "hunter2").is_some());
        for nothing in [
            "",
            "${DB_PASSWORD}",
            "$(TOKEN)",
            "$TOKEN",
            "/run/secrets/db",
            "true",
            "****",
        ] {
            assert!(named("DB_PASSWORD", nothing).is_none(), "{nothing}");
        }
    }

    #[test]
    fn assignments_in_text() {
        assert_eq!(
            assigned("-Xmx512m -Dspring.datasource.password=hunter2 -Dfoo=bar").as_deref(),
            Some("`spring.datasource.password` is given a credential")
        );
        assert!(assigned("token: abc123").is_some());
        assert!(assigned("AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI").is_some());
        assert!(assigned("user=admin&password=changeme").is_some());
        assert!(assigned("--password=${DB_PASSWORD}").is_none());
        assert!(assigned(r#"{"user": "app", "password": "hunter2"}"#).is_some());
        assert!(assigned(r#"{"password": ""}"#).is_none());
        assert!(assigned("--db-password hunter2 --verbose").is_some());
        assert!(assigned("--db-password-file /run/secrets/pw").is_none());
        assert!(assigned("Authorization: Bearer abcdef123456").is_some());
        assert!(assigned("password_min_length=12").is_none());
        assert!(assigned("https://example.com/token").is_none());
        assert!(assigned("Spring Boot reads the database password from DB_PASSWORD").is_none());
    }
}
