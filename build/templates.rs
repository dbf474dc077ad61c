//! The stdlib's handlebars templates, compiled here rather than at every run of labc.
//!
//! handlebars parses a template with pest and finds every token's line and column by scanning
//! the text from its start, so compiling the stdlib's templates was more than half of what a
//! small site's build cost. build.rs compiles each template with the very crate labc renders
//! with (handlebars is also a build-dependency; Cargo.lock holds one version of it for both) and
//! writes the result as static data of the shape of `handlebars::template::Template`
//! (`compiler/stdlib/prepared.rs`), which labc turns back into a `Template` without parsing.
//! A syntax error in a template fails the build here, naming the file. The unit tests of
//! `prepared.rs` hold every template's data equal to what `Template::compile` makes of its text,
//! so a handlebars upgrade this generator does not understand fails a test, not a build of a site.

use handlebars::template::{
    BlockParam, DecoratorTemplate, ExpressionSpecBuilder, HelperTemplate, Parameter,
    TemplateElement,
};
use handlebars::{Path, PathSeg, Template};
use std::collections::HashMap;
use std::fmt::Write;

/// `pub static NAME: &[Prepared]` of the templates given as (name, file path, text): each is
/// compiled under `name`, as `Handlebars::register_template_string` would.
pub fn prepare(code: &mut String, static_name: &str, templates: &[(String, String, String)]) {
    writeln!(code, "pub static {static_name}: &[Prepared] = &[").unwrap();
    for (name, path, text) in templates {
        let template = Template::compile_with_name(text, name.clone())
            .unwrap_or_else(|e| panic!("{path} is not a valid handlebars template: {e}"));
        writeln!(
            code,
            "Prepared {{ name: {name:?}, file: {path:?}, source: {text:?}, template: {} }},",
            tpl(&template)
        )
        .unwrap();
    }
    code.push_str("];\n");
}

/// The values template of every `release` (or component) in a stdlib component file: the
/// `values #"""…"""#` strings, undented the way KDL undents a multi-line string. A string this
/// reader gets wrong is only not prepared (labc compiles it when it first renders, as it does a
/// site's own components); `prepared.rs` has a test that every stdlib values template is found.
pub fn values_templates(kdl: &str) -> Vec<String> {
    let mut found = Vec::new();
    let mut lines = kdl.lines();
    while let Some(line) = lines.next() {
        if !line.trim_start().starts_with("values #\"\"\"") || !line.ends_with("#\"\"\"") {
            continue;
        }
        let mut body = Vec::new();
        for line in lines.by_ref() {
            if let Some(indent) = line.strip_suffix("\"\"\"#") {
                if indent.trim().is_empty() {
                    let undented: Vec<&str> = body
                        .iter()
                        .map(|l: &&str| match l.strip_prefix(indent) {
                            Some(rest) if !l.trim().is_empty() => rest,
                            _ => "",
                        })
                        .collect();
                    found.push(undented.join("\n"));
                }
                break;
            }
            body.push(line);
        }
    }
    found
}

fn tpl(t: &Template) -> String {
    let elements: Vec<String> = t.elements.iter().map(element).collect();
    let mapping: Vec<String> = t
        .mapping
        .iter()
        .map(|m| format!("({},{})", m.0, m.1))
        .collect();
    format!(
        "Tpl {{ elements: &[{}], mapping: &[{}] }}",
        elements.join(","),
        mapping.join(",")
    )
}

fn element(e: &TemplateElement) -> String {
    match e {
        TemplateElement::RawString(s) => format!("El::Raw({s:?})"),
        TemplateElement::Comment(s) => format!("El::Comment({s:?})"),
        TemplateElement::Expression(h) => format!("El::Expression({})", helper(h)),
        TemplateElement::HtmlExpression(h) => format!("El::HtmlExpression({})", helper(h)),
        TemplateElement::HelperBlock(h) => format!("El::HelperBlock({})", helper(h)),
        TemplateElement::DecoratorExpression(d) => {
            format!("El::DecoratorExpression({})", decorator(d))
        }
        TemplateElement::DecoratorBlock(d) => format!("El::DecoratorBlock({})", decorator(d)),
        TemplateElement::PartialExpression(d) => {
            format!("El::PartialExpression({})", decorator(d))
        }
        TemplateElement::PartialBlock(d) => format!("El::PartialBlock({})", decorator(d)),
        other => panic!("a handlebars element this generator does not know: {other:?}"),
    }
}

fn optional(t: &Option<Template>) -> String {
    match t {
        Some(t) => format!("Some(&{})", tpl(t)),
        None => "None".into(),
    }
}

fn helper(h: &HelperTemplate) -> String {
    let block_param = match &h.block_param {
        None => "None".to_string(),
        Some(BlockParam::Single(a)) => format!("Some(BlockParam::Single({:?}))", name(a)),
        Some(BlockParam::Pair((a, b))) => {
            format!("Some(BlockParam::Pair({:?},{:?}))", name(a), name(b))
        }
        Some(other) => panic!("a block parameter this generator does not know: {other:?}"),
    };
    format!(
        "Helper {{ name: {}, params: {}, hash: {}, block_param: {block_param}, template: {}, inverse: {}, block: {}, chain: {}, indent_before_write: {} }}",
        param(&h.name),
        params(&h.params),
        hash(&h.hash),
        optional(&h.template),
        optional(&h.inverse),
        h.block,
        h.chain,
        helper_indent(h)
    )
}

fn decorator(d: &DecoratorTemplate) -> String {
    format!(
        "Decorator {{ name: {}, params: {}, hash: {}, template: {}, indent: {:?}, indent_before_write: {} }}",
        param(&d.name),
        params(&d.params),
        hash(&d.hash),
        optional(&d.template),
        d.indent,
        decorator_indent(d)
    )
}

/// `indent_before_write` is private to handlebars: it is found by building the element with
/// `false`, the public fields copied, and comparing.
fn helper_indent(h: &HelperTemplate) -> bool {
    let with = |indent| {
        let spec = spec(&h.name, &h.params, &h.hash, h.block_param.as_ref());
        let mut copy = HelperTemplate::new(spec, h.block, indent);
        copy.template = h.template.clone();
        copy.inverse = h.inverse.clone();
        copy.chain = h.chain;
        copy
    };
    let indent = with(false) != *h;
    assert!(
        with(indent) == *h,
        "a helper element with unknown fields: {h:?}"
    );
    indent
}

fn decorator_indent(d: &DecoratorTemplate) -> bool {
    let with = |indent| {
        let spec = spec(&d.name, &d.params, &d.hash, None);
        let mut copy = DecoratorTemplate::new(spec, indent);
        copy.template = d.template.clone();
        copy.indent = d.indent.clone();
        copy
    };
    let indent = with(false) != *d;
    assert!(
        with(indent) == *d,
        "a decorator element with unknown fields: {d:?}"
    );
    indent
}

fn spec(
    name: &Parameter,
    params: &[Parameter],
    hash: &HashMap<String, Parameter>,
    block_param: Option<&BlockParam>,
) -> handlebars::template::ExpressionSpec {
    let mut spec = ExpressionSpecBuilder::default();
    spec.name(name.clone())
        .params(params.to_vec())
        .hash(hash.clone())
        .omit_pre_ws(false)
        .omit_pro_ws(false);
    if let Some(block_param) = block_param {
        spec.block_param(block_param.clone());
    }
    spec.build().unwrap()
}

fn name(p: &Parameter) -> &str {
    match p {
        Parameter::Name(n) => n,
        other => panic!("a block parameter that is not a name: {other:?}"),
    }
}

fn params(ps: &[Parameter]) -> String {
    let ps: Vec<String> = ps.iter().map(param).collect();
    format!("&[{}]", ps.join(","))
}

/// Sorted by key, so that the generated file does not change from build to build.
fn hash(h: &HashMap<String, Parameter>) -> String {
    let mut pairs: Vec<(&String, &Parameter)> = h.iter().collect();
    pairs.sort_by_key(|(k, _)| *k);
    let pairs: Vec<String> = pairs
        .iter()
        .map(|(k, v)| format!("({k:?},{})", param(v)))
        .collect();
    format!("&[{}]", pairs.join(","))
}

fn param(p: &Parameter) -> String {
    match p {
        Parameter::Name(n) => format!("Param::Name({n:?})"),
        Parameter::Path(Path::Relative((segs, raw))) => {
            let segs: Vec<String> = segs.iter().map(seg).collect();
            format!("Param::Relative(&[{}],{raw:?})", segs.join(","))
        }
        Parameter::Path(Path::Local((level, name, raw))) => {
            format!("Param::Local({level},{name:?},{raw:?})")
        }
        // the JSON text, which labc reads back with serde_json
        Parameter::Literal(json) => format!("Param::Literal({:?})", json.to_string()),
        Parameter::Subexpression(sub) => match sub.as_element() {
            TemplateElement::Expression(h) => format!(
                "Param::Subexpression(&Sub {{ name: {}, params: {}, hash: {} }})",
                param(&h.name),
                params(&h.params),
                hash(&h.hash)
            ),
            other => panic!("a subexpression this generator does not know: {other:?}"),
        },
        other => panic!("a parameter this generator does not know: {other:?}"),
    }
}

/// handlebars' grammar is private: a path's `@root`, `@` and `..` are named by their rule.
fn seg(s: &PathSeg) -> String {
    match s {
        PathSeg::Named(n) => format!("Seg::Named({n:?})"),
        PathSeg::Ruled(rule) => match format!("{rule:?}").as_str() {
            "path_root" => "Seg::Root".into(),
            "path_local" => "Seg::Local".into(),
            "path_up" => "Seg::Up".into(),
            other => panic!("a path segment this generator does not know: {other}"),
        },
        other => panic!("a path segment this generator does not know: {other:?}"),
    }
}
