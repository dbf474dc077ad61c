use crate::decode::{value, Cx};
use crate::diag::Error;
use crate::model::value::{Duration, Percent, Quantity};
use crate::model::{SettingValue, Spanned};
use crate::syntax::{Entry as KdlEntry, Node as KdlNode, Value as KdlValue};

/// The type of a component setting, declared in its stdlib file.
#[derive(Debug, Clone, PartialEq)]
pub enum SettingType {
    Bool,
    Int {
        min: i64,
        max: i64,
    },
    String,
    Duration,
    Quantity,
    Percent,
    Enum(Vec<String>),
    /// Several words, written as a child node: `outputs loki discord`.
    List(Vec<String>),
}

impl SettingType {
    pub fn describe(&self) -> String {
        match self {
            SettingType::Bool => "a boolean".into(),
            SettingType::Int { min, max } => format!("an integer from {min} to {max}"),
            SettingType::String => "a string".into(),
            SettingType::Duration => "a duration like \"15d\"".into(),
            SettingType::Quantity => "a quantity like \"10Gi\"".into(),
            SettingType::Percent => "a percentage like \"99%\"".into(),
            SettingType::Enum(words) => format!("one of {}", words.join(", ")),
            SettingType::List(words) if words.is_empty() => "a list of words".into(),
            SettingType::List(words) => format!("some of {}", words.join(", ")),
        }
    }

    pub fn is_list(&self) -> bool {
        matches!(self, SettingType::List(_))
    }
}

#[derive(Debug, Clone)]
pub struct SettingDef {
    pub name: String,
    pub ty: SettingType,
    pub default: Option<SettingValue>,
    /// List items that need a component: (item, component).
    pub item_requires: Vec<(String, String)>,
    pub doc: String,
}

impl SettingDef {
    /// Types a scalar setting written as a property of the component node.
    pub fn read_scalar(
        &self,
        component: &str,
        entry: &KdlEntry,
        cx: &mut Cx,
    ) -> Option<Spanned<SettingValue>> {
        let span = entry.span();
        let bad = |reason: String, cx: &mut Cx| {
            cx.push(Error::InvalidSetting {
                component: component.to_string(),
                setting: self.name.clone(),
                expected: self.ty.describe(),
                reason,
                span,
            });
            None
        };
        let typed = match (&self.ty, entry.value()) {
            (SettingType::Bool, KdlValue::Bool(b)) => SettingValue::Bool(*b),
            (SettingType::Int { min, max }, KdlValue::Integer(i)) => {
                if i128::from(*min) <= *i && *i <= i128::from(*max) {
                    SettingValue::Int(*i as i64)
                } else {
                    return bad(format!("{i} is out of range"), cx);
                }
            }
            (SettingType::String, KdlValue::String(s)) => SettingValue::String(s.clone()),
            (SettingType::Duration, KdlValue::String(s)) => match Duration::parse(s) {
                Ok(d) if !d.fits_go() => {
                    cx.push(Error::DurationOutOfRange {
                        text: s.clone(),
                        span,
                    });
                    return None;
                }
                Ok(d) => SettingValue::Duration(d),
                Err(reason) => return bad(reason, cx),
            },
            (SettingType::Quantity, KdlValue::String(s)) => match Quantity::parse(s) {
                Ok(q) => SettingValue::Quantity(q),
                Err(reason) => return bad(reason, cx),
            },
            (SettingType::Percent, KdlValue::String(s)) => match Percent::parse(s) {
                Ok(p) => SettingValue::Percent(p),
                Err(reason) => return bad(reason, cx),
            },
            (SettingType::Enum(words), KdlValue::String(s)) => {
                if words.contains(s) {
                    SettingValue::String(s.clone())
                } else {
                    cx.push(Error::UnknownValue {
                        value: s.clone(),
                        what: "setting value",
                        suggestion: crate::diag::Suggestion::new(
                            s,
                            words.iter().map(String::as_str),
                        ),
                        span,
                    });
                    return None;
                }
            }
            (SettingType::List(_), _) => {
                return bad(
                    format!("write it as a child node: `{} a b c`", self.name),
                    cx,
                )
            }
            (_, other) => return bad(format!("found {}", kind_of(other)), cx),
        };
        Some(Spanned::new(typed, span))
    }

    /// Types a list setting written as a child node with one argument per item.
    pub fn read_list(
        &self,
        component: &str,
        node: &KdlNode,
        cx: &mut Cx,
    ) -> Option<Spanned<SettingValue>> {
        let SettingType::List(words) = &self.ty else {
            cx.push(Error::InvalidSetting {
                component: component.to_string(),
                setting: self.name.clone(),
                expected: self.ty.describe(),
                reason: format!("write it as a property: `{}=…`", self.name),
                span: node.span(),
            });
            return None;
        };
        let mut items = Vec::new();
        for entry in node.entries() {
            let Some(item) = value::string(entry, &self.name, cx) else {
                continue;
            };
            if !words.is_empty() && !words.contains(&item.value) {
                cx.push(Error::UnknownValue {
                    value: item.value.clone(),
                    what: "list item",
                    suggestion: crate::diag::Suggestion::new(
                        &item.value,
                        words.iter().map(String::as_str),
                    ),
                    span: item.span,
                });
                continue;
            }
            items.push(item.value);
        }
        Some(Spanned::new(SettingValue::List(items), node.span()))
    }
}

fn kind_of(value: &KdlValue) -> &'static str {
    match value {
        KdlValue::String(_) => "a string",
        KdlValue::Integer(_) => "an integer",
        KdlValue::Float(_) => "a decimal number",
        KdlValue::Bool(_) => "a boolean",
        KdlValue::Null => "#null",
    }
}
