use super::Spanned;

/// A scanner check that a workload knowingly fails, and the site's reason. The emitter turns it
/// into checkov's own skip annotation, so the reason travels with the object into `out/` and a
/// scan shows who decided and why instead of a silent pass.
#[derive(Debug, Clone)]
pub struct Exception {
    /// A checkov Kubernetes check id, `CKV_K8S_<n>` or `CKV2_K8S_<n>`.
    pub check: Spanned<String>,
    pub why: Spanned<String>,
}

impl Exception {
    /// checkov splits the annotation value on `=` into exactly an id and a comment, so neither
    /// part may hold one.
    pub fn parse_check(text: &str) -> Result<String, String> {
        let digits = text
            .strip_prefix("CKV_K8S_")
            .or_else(|| text.strip_prefix("CKV2_K8S_"));
        match digits {
            Some(d) if !d.is_empty() && d.len() <= 4 && d.bytes().all(|b| b.is_ascii_digit()) => {
                Ok(text.to_string())
            }
            _ => Err(
                "a checkov Kubernetes check id is `CKV_K8S_<number>` or `CKV2_K8S_<number>`".into(),
            ),
        }
    }

    pub fn parse_why(text: &str) -> Result<String, String> {
        if text.trim().is_empty() {
            Err("say why the check does not hold for this workload".into())
        } else if text.contains('=') || text.contains('\n') {
            Err("checkov reads the reason up to the first `=` and line end: leave both out".into())
        } else {
            Ok(text.to_string())
        }
    }
}
