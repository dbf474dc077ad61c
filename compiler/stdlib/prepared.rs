//! The stdlib's handlebars templates as build.rs compiled them (`build/templates.rs`): static
//! data of the shape of `handlebars::template::Template`, turned into a `Template` without
//! parsing. Compiling them at every run was more than half of a small site's build, because
//! handlebars finds each token's line and column by scanning its template from the start.

use handlebars::template::{
    BlockParam as HbBlockParam, DecoratorTemplate, ExpressionSpec, ExpressionSpecBuilder,
    HelperTemplate, Parameter, Subexpression, TemplateElement, TemplateMapping,
};
use handlebars::{Handlebars, JsonValue, Path, PathSeg, Template};
use std::collections::HashMap;
use std::sync::OnceLock;

include!(concat!(env!("OUT_DIR"), "/templates.rs"));

/// A template of the stdlib and what build.rs compiled it to.
pub struct Prepared {
    /// The name it is registered under.
    pub name: &'static str,
    /// The file it comes from, for messages.
    pub file: &'static str,
    pub source: &'static str,
    pub template: Tpl,
}

/// `Template`.
pub struct Tpl {
    pub elements: &'static [El],
    /// Line and column of each element, which render errors report.
    pub mapping: &'static [(usize, usize)],
}

/// `TemplateElement`.
pub enum El {
    Raw(&'static str),
    Comment(&'static str),
    Expression(Helper),
    HtmlExpression(Helper),
    HelperBlock(Helper),
    DecoratorExpression(Decorator),
    DecoratorBlock(Decorator),
    PartialExpression(Decorator),
    PartialBlock(Decorator),
}

/// `HelperTemplate`.
pub struct Helper {
    pub name: Param,
    pub params: &'static [Param],
    pub hash: &'static [(&'static str, Param)],
    pub block_param: Option<BlockParam>,
    pub template: Option<&'static Tpl>,
    pub inverse: Option<&'static Tpl>,
    pub block: bool,
    pub chain: bool,
    pub indent_before_write: bool,
}

/// `DecoratorTemplate` (partials too).
pub struct Decorator {
    pub name: Param,
    pub params: &'static [Param],
    pub hash: &'static [(&'static str, Param)],
    pub template: Option<&'static Tpl>,
    pub indent: Option<&'static str>,
    pub indent_before_write: bool,
}

/// `BlockParam`, whose parameters are always names.
pub enum BlockParam {
    Single(&'static str),
    Pair(&'static str, &'static str),
}

/// `Parameter`; a path is `Path::Relative` or `Path::Local`.
pub enum Param {
    Name(&'static str),
    Relative(&'static [Seg], &'static str),
    Local(usize, &'static str, &'static str),
    /// The JSON text of the literal.
    Literal(&'static str),
    Subexpression(&'static Sub),
}

/// `Subexpression`.
pub struct Sub {
    pub name: Param,
    pub params: &'static [Param],
    pub hash: &'static [(&'static str, Param)],
}

/// `PathSeg`: a name, or one of the grammar's `@root`, `@` and `..`.
pub enum Seg {
    Named(&'static str),
    Root,
    Local,
    Up,
}

/// The values handlebars builds only while parsing: the segments named by its private grammar,
/// and a `TemplateMapping` (whose fields are public but which has no constructor). They are taken
/// once from a template of fifteen bytes.
struct Seeds {
    root: PathSeg,
    local: PathSeg,
    up: PathSeg,
    mapping: TemplateMapping,
}

fn seeds() -> &'static Seeds {
    static SEEDS: OnceLock<Seeds> = OnceLock::new();
    SEEDS.get_or_init(|| {
        let seed = Template::compile("{{@root/@../x}}").expect("the seed template compiles");
        let Some(TemplateElement::Expression(helper)) = seed.elements.first() else {
            panic!("the seed template is one expression: {seed:?}");
        };
        let Parameter::Path(Path::Relative((segs, _))) = &helper.name else {
            panic!("the seed template names a relative path: {seed:?}");
        };
        let [root, local, up, _] = segs.as_slice() else {
            panic!("the seed path has four segments: {seed:?}");
        };
        Seeds {
            root: root.clone(),
            local: local.clone(),
            up: up.clone(),
            mapping: seed.mapping[0].clone(),
        }
    })
}

/// The `Template` that `Handlebars::register_template_string(name, source)` would register.
pub fn template(prepared: &Prepared, name: &str) -> Template {
    let mut template = tpl(&prepared.template, seeds());
    template.name = Some(name.to_string());
    template
}

/// Registers every template of `templates` under its name.
pub fn register(registry: &mut Handlebars, templates: &[Prepared]) {
    for prepared in templates {
        registry.register_template(prepared.name, template(prepared, prepared.name));
    }
}

/// The prepared values template whose text is `source`, if it is one of the stdlib's.
pub fn values_template(source: &str) -> Option<&'static Prepared> {
    static BY_SOURCE: OnceLock<HashMap<&'static str, &'static Prepared>> = OnceLock::new();
    BY_SOURCE
        .get_or_init(|| VALUES_TEMPLATES.iter().map(|p| (p.source, p)).collect())
        .get(source)
        .copied()
}

fn tpl(t: &Tpl, seeds: &Seeds) -> Template {
    let mut template = Template::new();
    template.elements = t.elements.iter().map(|e| element(e, seeds)).collect();
    template.mapping = t
        .mapping
        .iter()
        .map(|&(line, column)| {
            let mut mapping = seeds.mapping.clone();
            mapping.0 = line;
            mapping.1 = column;
            mapping
        })
        .collect();
    template
}

fn element(e: &El, seeds: &Seeds) -> TemplateElement {
    match e {
        El::Raw(text) => TemplateElement::RawString(text.to_string()),
        El::Comment(text) => TemplateElement::Comment(text.to_string()),
        El::Expression(h) => TemplateElement::Expression(Box::new(helper(h, seeds))),
        El::HtmlExpression(h) => TemplateElement::HtmlExpression(Box::new(helper(h, seeds))),
        El::HelperBlock(h) => TemplateElement::HelperBlock(Box::new(helper(h, seeds))),
        El::DecoratorExpression(d) => {
            TemplateElement::DecoratorExpression(Box::new(decorator(d, seeds)))
        }
        El::DecoratorBlock(d) => TemplateElement::DecoratorBlock(Box::new(decorator(d, seeds))),
        El::PartialExpression(d) => {
            TemplateElement::PartialExpression(Box::new(decorator(d, seeds)))
        }
        El::PartialBlock(d) => TemplateElement::PartialBlock(Box::new(decorator(d, seeds))),
    }
}

fn spec(
    name: &Param,
    params: &[Param],
    hash: &[(&str, Param)],
    block_param: Option<&BlockParam>,
    seeds: &Seeds,
) -> ExpressionSpec {
    let mut spec = ExpressionSpecBuilder::default();
    spec.name(param(name, seeds))
        .params(params.iter().map(|p| param(p, seeds)).collect())
        .hash(map(hash, seeds))
        .omit_pre_ws(false)
        .omit_pro_ws(false);
    match block_param {
        Some(BlockParam::Single(a)) => {
            spec.block_param(HbBlockParam::Single(Parameter::Name(a.to_string())));
        }
        Some(BlockParam::Pair(a, b)) => {
            spec.block_param(HbBlockParam::Pair((
                Parameter::Name(a.to_string()),
                Parameter::Name(b.to_string()),
            )));
        }
        None => {}
    }
    spec.build().expect("every field of the expression is set")
}

fn helper(h: &Helper, seeds: &Seeds) -> HelperTemplate {
    let spec = spec(&h.name, h.params, h.hash, h.block_param.as_ref(), seeds);
    let mut helper = HelperTemplate::new(spec, h.block, h.indent_before_write);
    helper.template = h.template.map(|t| tpl(t, seeds));
    helper.inverse = h.inverse.map(|t| tpl(t, seeds));
    helper.chain = h.chain;
    helper
}

fn decorator(d: &Decorator, seeds: &Seeds) -> DecoratorTemplate {
    let spec = spec(&d.name, d.params, d.hash, None, seeds);
    let mut decorator = DecoratorTemplate::new(spec, d.indent_before_write);
    decorator.template = d.template.map(|t| tpl(t, seeds));
    decorator.indent = d.indent.map(str::to_string);
    decorator
}

fn map(hash: &[(&str, Param)], seeds: &Seeds) -> HashMap<String, Parameter> {
    hash.iter()
        .map(|(key, value)| (key.to_string(), param(value, seeds)))
        .collect()
}

fn param(p: &Param, seeds: &Seeds) -> Parameter {
    match p {
        Param::Name(name) => Parameter::Name(name.to_string()),
        Param::Relative(segs, raw) => {
            let segs = segs
                .iter()
                .map(|s| match s {
                    Seg::Named(name) => PathSeg::Named(name.to_string()),
                    Seg::Root => seeds.root.clone(),
                    Seg::Local => seeds.local.clone(),
                    Seg::Up => seeds.up.clone(),
                })
                .collect();
            Parameter::Path(Path::Relative((segs, raw.to_string())))
        }
        Param::Local(level, name, raw) => {
            Parameter::Path(Path::Local((*level, name.to_string(), raw.to_string())))
        }
        Param::Literal(json) => Parameter::Literal(
            serde_json::from_str::<JsonValue>(json).expect("build.rs wrote valid JSON"),
        ),
        Param::Subexpression(sub) => Parameter::Subexpression(Subexpression::new(
            param(&sub.name, seeds),
            sub.params.iter().map(|p| param(p, seeds)).collect(),
            map(sub.hash, seeds),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all() -> impl Iterator<Item = &'static Prepared> {
        NODE_TEMPLATES
            .iter()
            .chain(WAZUH_TEMPLATES)
            .chain(VALUES_TEMPLATES)
            .chain(TEST_TEMPLATES)
    }

    /// The whole structure, line and column of every element included: a template edit or a
    /// handlebars upgrade that build/templates.rs mishandles fails here.
    #[test]
    fn every_prepared_template_is_what_handlebars_compiles_from_its_text() {
        // tests/fixtures/templates/every_construct.hbs has each kind of element, parameter and
        // path segment, so that what the stdlib does not use yet is held to handlebars too
        assert!(NODE_TEMPLATES.len() >= 10 && WAZUH_TEMPLATES.len() >= 5);
        for prepared in all() {
            let compiled = Template::compile_with_name(prepared.source, prepared.name.to_string())
                .unwrap_or_else(|e| panic!("{}: {e}", prepared.file));
            assert!(
                template(prepared, prepared.name) == compiled,
                "{}: the prepared template differs from the compiled one",
                prepared.file
            );
        }
    }

    #[test]
    fn every_values_template_of_the_stdlib_is_prepared() {
        let catalog = crate::stdlib::Catalog::embedded().expect("the stdlib loads");
        let mut count = 0;
        for component in catalog.components() {
            for release in &component.releases {
                if let Some(values) = &release.values {
                    assert!(
                        values_template(values).is_some(),
                        "{}: release {} has a values template build.rs did not find",
                        component.file,
                        release.name
                    );
                    count += 1;
                }
            }
        }
        assert_eq!(count, VALUES_TEMPLATES.len());
    }

    #[test]
    fn the_seed_segments_are_the_grammar_ones() {
        let compiled = Template::compile("{{@root.a}}{{../b}}").unwrap();
        let Some(TemplateElement::Expression(first)) = compiled.elements.first() else {
            panic!("{compiled:?}");
        };
        let Parameter::Path(Path::Relative((segs, _))) = &first.name else {
            panic!("{compiled:?}");
        };
        assert!(segs[0] == seeds().root);
        let Some(TemplateElement::Expression(second)) = compiled.elements.get(1) else {
            panic!("{compiled:?}");
        };
        let Parameter::Path(Path::Relative((segs, _))) = &second.name else {
            panic!("{compiled:?}");
        };
        assert!(segs[0] == seeds().up);
    }
}
