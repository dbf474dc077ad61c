//! Renders a release's values template: handlebars in strict mode (a misspelt fact is an error,
//! never an empty string) producing YAML, read back into JSON for `helm.valuesObject`.

use crate::model::value::Duration;
use handlebars::{handlebars_helper, no_escape, Handlebars};
use serde_json::Value;
use std::cell::RefCell;

// `{{json x}}` writes any fact as a JSON literal, which is also valid YAML, so that a string with
// a colon or a list of hosts cannot break the document.
handlebars_helper!(json: |v: Json| serde_json::to_string(v).unwrap_or_default());
// Go's time.ParseDuration (Tempo, Loki) knows no days: `{{hours settings.retention}}` is `360h`.
handlebars_helper!(hours: |text: str| match Duration::parse(text) {
    Ok(d) => format!("{}h", d.as_secs().div_ceil(3600)),
    Err(_) => String::new(),
});
// `{{#if (contains settings.outputs "loki")}}` for list settings.
handlebars_helper!(contains: |list: array, item: str| list.iter().any(|v| v.as_str() == Some(item)));

// One registry per thread: a template is compiled the first time it renders, under its own text
// as its name, so that a release repeated per gateway compiles once; `Platform::render` renders
// components on several threads, which a shared registry behind a lock would serialise.
thread_local! {
    static REGISTRY: RefCell<Handlebars<'static>> = RefCell::new(new_registry());
}

fn new_registry() -> Handlebars<'static> {
    let mut hb = Handlebars::new();
    hb.set_strict_mode(true);
    hb.register_escape_fn(no_escape);
    hb.register_helper("json", Box::new(json));
    hb.register_helper("hours", Box::new(hours));
    hb.register_helper("contains", Box::new(contains));
    hb
}

/// The values a template renders to with `context`; an empty template is no values. The error
/// is a sentence for a diagnostic.
pub fn render(template: &str, context: &Value) -> Result<Value, String> {
    let rendered = REGISTRY.with_borrow_mut(|hb| {
        if !hb.has_template(template) {
            hb.register_template_string(template, template)
                .map_err(|e| format!("the template does not render: {e}"))?;
        }
        Ok::<_, String>(hb.render(template, context))
    })?;
    let text = rendered.map_err(|e| match e.reason() {
        handlebars::RenderErrorReason::MissingVariable(Some(path)) => {
            format!("the template reads `{path}`, which is not a known fact")
        }
        _ => format!("the template does not render: {e}"),
    })?;
    let value: Value = serde_yaml::from_str(&text)
        .map_err(|e| format!("the template renders invalid YAML: {e}"))?;
    match value {
        Value::Null => Ok(Value::Object(Default::default())),
        Value::Object(_) => Ok(value),
        _ => Err("the template must render a YAML mapping".into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn renders_facts_as_yaml_with_helpers() {
        let context = json!({"s": {"r": "7d", "hosts": ["a.dev", "b: c"], "o": ["loki"]}});
        let out = render(
            "a: {{hours s.r}}\nb: {{json s.hosts}}\n{{#if (contains s.o \"loki\")}}c: 1{{/if}}\n",
            &context,
        )
        .unwrap();
        assert_eq!(out, json!({"a": "168h", "b": ["a.dev", "b: c"], "c": 1}));
    }

    #[test]
    fn a_missing_fact_is_an_error() {
        let err = render("a: {{s.nope}}", &json!({"s": {}})).unwrap_err();
        assert!(err.contains("s.nope"), "{err}");
    }
}
