use super::vocabulary::CI_PROPS;
use super::{value, Cx, NodeView, Shape};
use crate::diag::Error;
use crate::model::{Ci, CiProvider, Severity};
use crate::syntax::Node as KdlNode;
use miette::SourceSpan;

/// `ci github severity="HIGH,CRITICAL" labc="https://…/labc" labc-rev="<commit>"`, inside `site`.
/// `seen` are the providers of the `ci` nodes already read, even broken ones: one per provider.
pub fn decode(node: &KdlNode, seen: &mut Vec<(CiProvider, SourceSpan)>, cx: &mut Cx) -> Option<Ci> {
    let v = NodeView::new(
        node,
        &Shape {
            args: 1,
            args_text: "one provider",
            props: CI_PROPS,
            block: false,
        },
        cx,
    );
    let Some(entry) = v.arg(0) else {
        cx.push(Error::MissingArgument {
            node: "ci".into(),
            what: "a provider",
            example: "ci github labc=\"https://github.com/me/labc\" labc-rev=\"<commit>\"",
            span: v.name_span(),
        });
        return None;
    };
    let provider = value::word(entry, "CI provider", CiProvider::ALL, cx);
    if let Some(p) = provider {
        match seen.iter().find(|(q, _)| *q == p.value) {
            Some((_, first)) => cx.push(Error::DuplicateEntry {
                name: format!("ci {}", entry.value().as_string().unwrap_or_default()),
                span: entry.span(),
                first: *first,
            }),
            None => seen.push((p.value, entry.span())),
        }
    }
    let severities = match v.prop("severity") {
        Some(e) => value::parsed(
            e,
            "severity",
            "list of severities",
            "\"HIGH,CRITICAL\"",
            severities,
            cx,
        )
        .map(|s| s.value),
        None => Some(Severity::DEFAULT.to_vec()),
    };
    let required = |key: &'static str, example: &'static str, cx: &mut Cx| match v.prop(key) {
        Some(e) => Some(e),
        None => {
            cx.push(Error::MissingProperty {
                node: "ci".into(),
                property: key,
                example,
                span: v.name_span(),
            });
            None
        }
    };
    let labc = required("labc", "\"https://github.com/me/labc\"", cx).and_then(|e| {
        value::parsed(
            e,
            "labc",
            "git URL",
            "\"https://github.com/me/labc\"",
            super::site::check_repo_url,
            cx,
        )
    });
    let labc_rev = required("labc-rev", "\"<a commit of labc>\"", cx).and_then(|e| {
        value::parsed(
            e,
            "labc-rev",
            "git revision",
            "a commit, e.g. \"533a649…\", or a tag",
            revision,
            cx,
        )
    });
    Some(Ci {
        provider: provider?,
        severities: severities?,
        labc: labc?,
        labc_rev: labc_rev?,
    })
}

fn severities(text: &str) -> Result<Vec<Severity>, String> {
    let mut found = Vec::new();
    for word in text.split(',').map(str::trim) {
        match Severity::ALL.iter().find(|(w, _)| *w == word) {
            Some((_, s)) => found.push(*s),
            None => {
                return Err(format!(
                    "`{word}` is not a severity: write some of UNKNOWN, LOW, MEDIUM, HIGH, \
                     CRITICAL, separated by commas"
                ))
            }
        }
    }
    found.sort();
    found.dedup();
    Ok(found)
}

fn revision(text: &str) -> Result<String, String> {
    let ok = !text.is_empty()
        && !text.starts_with('-')
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._/-".contains(c));
    if ok {
        Ok(text.to_string())
    } else {
        Err("a commit hash or a tag, of letters, digits, `.`, `_`, `/` and `-`".into())
    }
}
