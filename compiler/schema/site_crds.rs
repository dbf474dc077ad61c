//! A site's own `crds/*.yaml`: parsed when the site is built (only sites that override a
//! component's version have any), converted like the embedded ones.

use super::convert::Builder;
use super::crds::SiteCrds;
use crate::diag::{Error, Located, SourceFile};
use serde::Deserialize;

impl SiteCrds {
    /// The CRDs of the given (file name, text), every YAML document one CRD; a later CRD of
    /// the same group and kind replaces an earlier one.
    pub fn from_files<'a>(
        files: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<SiteCrds, Vec<Located>> {
        let mut builder = Builder::default();
        let mut problems = Vec::new();
        for (name, text) in files {
            let file = SourceFile::new(name, text);
            let starts = document_starts(text);
            for (index, document) in serde_yaml::Deserializer::from_str(text).enumerate() {
                let parsed = serde_yaml::Value::deserialize(document);
                // a problem of the CRD is labelled where its document starts; a syntax error
                // where the parser stopped
                let mut offset = starts.get(index).copied().unwrap_or(0);
                let result = match &parsed {
                    Ok(serde_yaml::Value::Null) => continue,
                    Ok(value) => builder.crd(name, value),
                    Err(e) => {
                        offset = e.location().map_or(offset, |l| l.index());
                        Err(e.to_string())
                    }
                };
                if let Err(reason) = result {
                    let span = (offset.min(text.len()), 0).into();
                    problems.push(Located::new(
                        &file,
                        Error::CrdInvalid {
                            file: name.to_string(),
                            reason,
                            span,
                        },
                    ));
                    // after a syntax error the parser cannot find the next document
                    if parsed.is_err() {
                        break;
                    }
                }
            }
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        Ok(SiteCrds::finish(builder))
    }

    /// The CRDs of already parsed CustomResourceDefinition objects (what a chart renders),
    /// each given with the name a violation will cite for it (such as
    /// `argo-cd: applications.argoproj.io`); a later CRD of the same group and kind replaces an
    /// earlier one. Each value that is not a usable CRD is one problem, and then no set is
    /// returned: a CRD the set silently lacked would make its objects "no CRD" rather than
    /// checked.
    pub fn from_values<'a>(
        crds: impl IntoIterator<Item = (&'a str, &'a serde_json::Value)>,
    ) -> Result<SiteCrds, Vec<CrdProblem>> {
        let mut builder = Builder::default();
        let mut problems = Vec::new();
        for (name, value) in crds {
            // the conversion reads serde_yaml values, as build.rs does; a JSON value always
            // converts (YAML is a superset)
            let result = serde_yaml::to_value(value)
                .map_err(|e| e.to_string())
                .and_then(|doc| builder.crd(name, &doc));
            if let Err(reason) = result {
                problems.push(CrdProblem {
                    name: name.to_string(),
                    reason,
                });
            }
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        Ok(SiteCrds::finish(builder))
    }

    /// The converted set, keeping the last CRD of each group and kind.
    fn finish(builder: Builder) -> SiteCrds {
        let (table, mut kinds) = builder.into_table();
        let mut seen = std::collections::BTreeSet::new();
        kinds.reverse();
        kinds.retain(|k| seen.insert((k.group.clone(), k.kind.clone())));
        kinds.reverse();
        SiteCrds { table, kinds }
    }
}

/// A CRD given as a value that labc cannot use, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct CrdProblem {
    /// The name it was given under.
    pub name: String,
    pub reason: String,
}

/// Where each YAML document of `text` starts: the line after each `---` separator, and the
/// start of the file unless it opens with one.
fn document_starts(text: &str) -> Vec<usize> {
    let mut starts = Vec::new();
    let mut line_start = 0;
    for line in text.split_inclusive('\n') {
        let separator = line.trim_end() == "---" || line.starts_with("--- ");
        if separator {
            starts.push(line_start + line.len());
        } else if line_start == 0 {
            starts.push(0);
        }
        line_start += line.len();
    }
    starts
}

#[cfg(test)]
mod tests {
    use super::document_starts;

    #[test]
    fn documents_start_after_their_separators() {
        let text = "a: 1\n---\nb: 2\n---\nc: 3\n";
        assert_eq!(document_starts(text), [0, 9, 18]);
        let text = "---\na: 1\n---\nb: 2\n";
        assert_eq!(document_starts(text), [4, 13]);
    }
}
