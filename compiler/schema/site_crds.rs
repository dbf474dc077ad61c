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
            let mut offset = 0;
            for document in serde_yaml::Deserializer::from_str(text) {
                let parsed = serde_yaml::Value::deserialize(document);
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
        let (table, mut kinds) = builder.into_table();
        // later files win: keep the last CRD of each group and kind
        let mut seen = std::collections::BTreeSet::new();
        kinds.reverse();
        kinds.retain(|k| seen.insert((k.group.clone(), k.kind.clone())));
        kinds.reverse();
        Ok(SiteCrds { table, kinds })
    }
}
