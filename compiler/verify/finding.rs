//! A broken contract between two parts of the rendered system, before it is placed in the site
//! file: each end names the file of `out/` behind it, which the source map turns into the
//! declaration of `site.kdl` to label.

/// Which contract is broken; each is one diagnostic code (`labc::verify::…`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Contract {
    /// An in-cluster address names no Service, or a port the Service does not expose.
    Address,
    /// An object would be applied by two Applications.
    Shared,
    /// A PodMonitor or ServiceMonitor selects nothing, or no Prometheus selects it.
    Monitor,
    /// The AppProject of an Application refuses one of its objects.
    Project,
    /// A Secret or ConfigMap (or a key of one) that a pod reads exists nowhere.
    Reference,
    /// A chart or folder could not be rendered.
    Render,
    /// A custom resource fails the schema of its CRD, or no CRD installs its kind.
    Schema,
    /// A Secret or ConfigMap is applied in a later sync wave than a pod that reads it.
    Order,
    /// A claim names a StorageClass that does not exist, or none with no default class.
    Storage,
    /// A canary's analysis does not observe the canary's pods.
    Canary,
    /// A pod reads a secret the site declares but has not sealed yet (a warning).
    Unsealed,
    /// A subchart is missing from the chart cache, so its objects are not checked (a warning).
    Subchart,
}

/// One end of a broken contract.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct End {
    /// The file of `out/` the end comes from (an Application, or a file of a folder source).
    pub path: String,
    /// What to say at the declaration behind it.
    pub label: String,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub contract: Contract,
    pub message: String,
    pub help: String,
    pub here: End,
    pub there: Option<End>,
}

impl Finding {
    pub fn new(
        contract: Contract,
        message: impl Into<String>,
        help: impl Into<String>,
        here: End,
    ) -> Self {
        Finding {
            contract,
            message: message.into(),
            help: help.into(),
            here,
            there: None,
        }
    }

    pub fn and(mut self, there: End) -> Self {
        if there != self.here {
            self.there = Some(there);
        }
        self
    }
}

impl End {
    pub fn new(path: impl Into<String>, label: impl Into<String>) -> Self {
        End {
            path: path.into(),
            label: label.into(),
        }
    }

    /// The end of an object: its own file in `out/`, or its Application's.
    pub fn object(
        system: &super::System,
        object: &super::Object,
        label: impl Into<String>,
    ) -> Self {
        End::new(
            object
                .file
                .clone()
                .unwrap_or_else(|| system.apps[object.app].file.clone()),
            label,
        )
    }
}

impl Finding {
    /// The diagnostic, its labels on the declarations of `site.kdl` the source map gives for
    /// each end's file (the site's own declaration when a file is not in the map).
    pub fn into_error(self, sources: &crate::sources::SourceMap) -> crate::diag::Error {
        use crate::diag::Error;
        let span = |path: &str| -> miette::SourceSpan {
            sources
                .get(path)
                .map_or((0, 0).into(), |e| (e.start, e.end - e.start).into())
        };
        let message = self.message;
        let help = self.help;
        let here = format!("{} (out/{})", self.here.label, self.here.path);
        let span_here = span(&self.here.path);
        let (there, other) = match self.there {
            Some(end) => {
                let at = span(&end.path);
                // two labels on one span would print twice; say both in one
                if at == span_here {
                    (String::new(), None)
                } else {
                    (format!("{} (out/{})", end.label, end.path), Some(at))
                }
            }
            None => (String::new(), None),
        };
        macro_rules! variant {
            ($name:ident) => {
                Error::$name {
                    message,
                    help,
                    here,
                    span: span_here,
                    there,
                    other,
                }
            };
        }
        match self.contract {
            Contract::Address => variant!(VerifyAddress),
            Contract::Canary => variant!(VerifyCanary),
            Contract::Monitor => variant!(VerifyMonitor),
            Contract::Order => variant!(VerifyOrder),
            Contract::Project => variant!(VerifyProject),
            Contract::Reference => variant!(VerifyReference),
            Contract::Render => variant!(VerifyRender),
            Contract::Schema => variant!(VerifySchema),
            Contract::Shared => variant!(VerifyShared),
            Contract::Storage => variant!(VerifyStorage),
            Contract::Subchart => variant!(VerifySubchart),
            Contract::Unsealed => variant!(VerifyUnsealed),
        }
    }
}
