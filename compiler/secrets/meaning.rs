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

/// Whether a variable, setting or property of this name holds a credential.
pub fn credential_name(name: &str) -> bool {
    let words = words(name);
    let credential = words.iter().enumerate().any(|(i, w)| {
        CREDENTIAL_WORDS.contains(&w.as_str())
            || (w == "key" && i > 0 && KEY_QUALIFIERS.contains(&words[i - 1].as_str()))
            || matches!(
                w.as_str(),
                "apikey" | "privatekey" | "accesskey" | "secretkey"
            )
    });
    credential && !words.iter().any(|w| DESCRIBING_WORDS.contains(&w.as_str()))
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

/// The first assignment of a credential in a text (`password=hunter2`,
/// `-Dspring.datasource.password=hunter2`, `token: abc`, `AWS_SECRET_ACCESS_KEY=…`), as the
/// name assigned to.
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
        let key_start = text[..i]
            .trim_end()
            .rfind(|ch: char| !(ch.is_ascii_alphanumeric() || matches!(ch, '_' | '-' | '.')))
            .map_or(0, |p| p + 1);
        let key = text[key_start..i].trim_end();
        if key.is_empty() || !credential_name(key) {
            continue;
        }
        let rest = text[i + 1..].trim_start();
        let value_end = rest
            .find(|ch: char| ch.is_whitespace() || matches!(ch, ',' | ';' | '&' | '"' | '\''))
            .unwrap_or(rest.len());
        let value = &rest[..value_end];
        if !holds_nothing(value) {
            let key = key.trim_start_matches('-');
            let key = key
                .strip_prefix('D')
                .filter(|k| k.contains('.'))
                .unwrap_or(key);
            return Some(format!("`{key}` is given a credential"));
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

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
        assert!(assigned("password_min_length=12").is_none());
        assert!(assigned("https://example.com/token").is_none());
        assert!(assigned("Spring Boot reads the database password from DB_PASSWORD").is_none());
    }
}
