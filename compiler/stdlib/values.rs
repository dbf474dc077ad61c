//! Renders a release's values template: handlebars in strict mode (a misspelt fact is an error,
//! never an empty string) producing YAML, read back into JSON for `helm.valuesObject`.

use crate::model::value::Duration;
use handlebars::{
    handlebars_helper, no_escape, Context, Handlebars, Helper, HelperDef, RenderContext,
    RenderError, RenderErrorReason, ScopedJson,
};
use serde_json::Value;
use std::cell::RefCell;

/// Why a values template gives no values.
#[derive(Debug, Clone, PartialEq)]
pub enum ValuesError {
    /// A sentence for `labc::component::values_template`.
    Template(String),
    /// `{{endpoint "<provider>" "<endpoint>"}}` for a provider the site does not use.
    MissingProvider { provider: String, endpoint: String },
    /// A key renders to null, which erases the chart's default under it.
    Null { path: String },
}

impl std::fmt::Display for ValuesError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ValuesError::Template(reason) => f.write_str(reason),
            ValuesError::MissingProvider { provider, endpoint } => write!(
                f,
                "it reads endpoint `{endpoint}` of `{provider}`, which the site does not use"
            ),
            ValuesError::Null { path } => write!(f, "`{path}` renders to null"),
        }
    }
}

impl std::error::Error for ValuesError {}

/// Which part of an endpoint a helper writes.
#[derive(Clone, Copy)]
enum Part {
    Url,
    Host,
    Port,
}

/// `{{endpoint "loki" "push"}}` (a URL), `{{endpoint_host …}}`, `{{endpoint_port …}}`: an
/// endpoint that a component of the site declares, read from the `endpoints` fact; a third
/// argument names the gateway of an endpoint repeated per gateway.
struct EndpointHelper(Part);

impl HelperDef for EndpointHelper {
    fn call_inner<'reg: 'rc, 'rc>(
        &self,
        h: &Helper<'rc>,
        _: &'reg Handlebars<'reg>,
        ctx: &'rc Context,
        _: &mut RenderContext<'reg, 'rc>,
    ) -> Result<ScopedJson<'rc>, RenderError> {
        let word = |i: usize| {
            h.param(i)
                .and_then(|p| p.value().as_str())
                .ok_or(RenderErrorReason::ParamNotFoundForIndex("endpoint", i))
        };
        let (provider, name) = (word(0)?, word(1)?);
        let root = ctx.data();
        let Some(mut found) = root
            .get("endpoints")
            .and_then(|e| e.get(provider))
            .and_then(|e| e.get(name))
        else {
            let error = if root["has"].get(provider) == Some(&Value::Bool(false)) {
                ValuesError::MissingProvider {
                    provider: provider.into(),
                    endpoint: name.into(),
                }
            } else {
                ValuesError::Template(format!(
                    "no component of the site declares endpoint `{name}` of `{provider}`"
                ))
            };
            return Err(RenderErrorReason::NestedError(Box::new(error)).into());
        };
        if let Some(gateways) = found.get("gateways") {
            let gateway = word(2)?;
            found = gateways.get(gateway).ok_or_else(|| {
                let error = ValuesError::Template(format!(
                    "endpoint `{name}` of `{provider}` has no gateway `{gateway}`"
                ));
                RenderError::from(RenderErrorReason::NestedError(Box::new(error)))
            })?;
        }
        let key = match self.0 {
            Part::Url => "url",
            Part::Host => "host",
            Part::Port => "port",
        };
        Ok(ScopedJson::Derived(found[key].clone()))
    }
}

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

// One registry per thread: a template is registered the first time it renders, under its own text
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
    hb.register_helper("endpoint", Box::new(EndpointHelper(Part::Url)));
    hb.register_helper("endpoint_host", Box::new(EndpointHelper(Part::Host)));
    hb.register_helper("endpoint_port", Box::new(EndpointHelper(Part::Port)));
    hb
}

/// The values a template renders to with `context`; an empty template is no values.
///
/// A key that renders to null is refused: Helm reads a null as "delete the chart's default
/// here", so `config:` whose every child is behind a false `{{#if}}` would erase the chart's
/// whole `config` block (Falcosidekick's chart then fails to render). A template that means an
/// empty map writes `{}`.
pub fn render(template: &str, context: &Value) -> Result<Value, ValuesError> {
    let rendered = REGISTRY.with_borrow_mut(|hb| {
        if !hb.has_template(template) {
            // the stdlib's templates were compiled by build.rs; a site's own, here
            match super::prepared::values_template(template) {
                Some(prepared) => {
                    hb.register_template(template, super::prepared::template(prepared, template));
                }
                None => hb
                    .register_template_string(template, template)
                    .map_err(|e| {
                        ValuesError::Template(format!("the template does not render: {e}"))
                    })?,
            }
        }
        Ok::<_, ValuesError>(hb.render(template, context))
    })?;
    let text = rendered.map_err(|e| match e.reason() {
        RenderErrorReason::MissingVariable(Some(path)) => ValuesError::Template(format!(
            "the template reads `{path}`, which is not a known fact"
        )),
        RenderErrorReason::NestedError(inner) => match inner.downcast_ref::<ValuesError>() {
            Some(error) => error.clone(),
            None => ValuesError::Template(format!("the template does not render: {e}")),
        },
        _ => ValuesError::Template(format!("the template does not render: {e}")),
    })?;
    let value: Value = serde_yaml::from_str(&text)
        .map_err(|e| ValuesError::Template(format!("the template renders invalid YAML: {e}")))?;
    match value {
        Value::Null => Ok(Value::Object(Default::default())),
        Value::Object(_) => match first_null(&value, "") {
            Some(path) => Err(ValuesError::Null { path }),
            None => Ok(value),
        },
        _ => Err(ValuesError::Template(
            "the template must render a YAML mapping".into(),
        )),
    }
}

/// The dotted path of the first key whose value is null, in key order; lists are the
/// application's data and are not looked into.
fn first_null(value: &Value, path: &str) -> Option<String> {
    let Value::Object(map) = value else {
        return None;
    };
    map.iter().find_map(|(key, v)| {
        let sub = if path.is_empty() {
            key.clone()
        } else {
            format!("{path}.{key}")
        };
        match v {
            Value::Null => Some(sub),
            _ => first_null(v, &sub),
        }
    })
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
        assert!(err.to_string().contains("s.nope"), "{err}");
    }

    #[test]
    fn a_key_left_empty_is_refused_and_an_empty_map_is_not() {
        let template = "config:\n  {{#if s.on}}\n  loki: {}\n  {{/if}}\n";
        assert_eq!(
            render(template, &json!({"s": {"on": false}})),
            Err(ValuesError::Null {
                path: "config".into()
            })
        );
        assert_eq!(
            render("a:\n  b: {}\n  c: [~]\n", &json!({})).unwrap(),
            json!({"a": {"b": {}, "c": [null]}})
        );
    }

    #[test]
    fn endpoints_are_read_from_the_site_and_a_missing_provider_is_named() {
        let context = json!({
            "has": {"loki": true, "tempo": false},
            "endpoints": {
                "loki": {"push": {"url": "http://l.m.svc.cluster.local:80", "host": "l.m.svc.cluster.local", "port": 80}},
                "istio": {"http": {"gateways": {"public": {"url": "http://public.i.svc.cluster.local:80"}}}},
            },
        });
        let out = render(
            "a: {{endpoint \"loki\" \"push\"}}\nb: {{endpoint_port \"loki\" \"push\"}}\nc: {{endpoint \"istio\" \"http\" \"public\"}}",
            &context,
        )
        .unwrap();
        assert_eq!(
            out,
            json!({"a": "http://l.m.svc.cluster.local:80", "b": 80, "c": "http://public.i.svc.cluster.local:80"})
        );
        assert_eq!(
            render("a: {{endpoint \"tempo\" \"otlp\"}}", &context),
            Err(ValuesError::MissingProvider {
                provider: "tempo".into(),
                endpoint: "otlp".into()
            })
        );
    }
}
