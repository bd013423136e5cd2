//! A Terraform root module evaluated as `terraform plan` would before it
//! creates anything: variables (given, or their defaults), locals, `count`
//! and `for_each` over what is known, references and splats, `dynamic`
//! blocks, templates and heredocs, and the functions real modules use. A
//! resource's attribute that only exists after an apply stays a reference
//! (`Val::Attr`) and anything else not known is an explicit unknown that says
//! why, never a guess. Local modules are expanded when their folder is among
//! the files; so are registry modules that `terraform init` downloaded
//! (`.terraform/modules/modules.json`). Semantics: Terraform's language
//! documentation (developer.hashicorp.com/terraform/language).
//!
//! Parsing is hcl-rs's (its `hcl-edit` parser, which keeps the positions
//! the report's lines come from).

use super::cfn::Val;
use hcl::edit::expr::{BinaryOperator, Expression, ObjectKey, TraversalOperator, UnaryOperator};
use hcl::edit::structure::{Block, BlockLabel, Body, Structure};
use hcl::edit::template::{Directive, Element, Template};
use hcl::edit::Span;
use std::collections::{BTreeMap, BTreeSet};

/// One `.tf` file: its path (folders included) and text.
pub struct SourceFile {
    pub path: String,
    pub text: String,
}

/// Why evaluation stopped: which file, where, and what.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TfError {
    pub file: String,
    pub line: usize,
    pub message: String,
}

/// One resource instance after evaluation.
#[derive(Clone, Debug, PartialEq)]
pub struct Instance {
    /// Its address as an id a diagram accepts: `aws_subnet.private.0`,
    /// `module.vpc.aws_vpc.this`.
    pub id: String,
    /// Its address as Terraform writes it: `aws_subnet.private[0]`.
    pub address: String,
    pub resource_type: String,
    pub file: String,
    pub line: usize,
    /// Its arguments; nested blocks are lists of maps under their name.
    pub attributes: Val,
    /// Whether it is one instance of those the module creates.
    pub expansion: Expansion,
}

/// What a resource's instance stands for.
#[derive(Clone, Debug, PartialEq)]
pub enum Expansion {
    /// One instance the module creates.
    Known,
    /// Its instances are not known before an apply (`count` or `for_each`
    /// of what only an apply knows), and why: the attributes stand for any.
    Unknown(String),
    /// The module creates none (a `count` of 0, an empty `for_each`), and
    /// why: listed all the same.
    NoneCreated(String),
}

/// What a module holds that is not drawn: a data source, or a module that
/// is not expanded; with its inputs.
#[derive(Clone, Debug, PartialEq)]
pub struct Placeholder {
    pub id: String,
    pub kind: String,
    pub file: String,
    pub line: usize,
    pub why: String,
    /// A data source the region answers (its zones, its name): nothing is
    /// left unknown.
    pub resolved: bool,
    /// The instances a module's inputs name.
    pub refers: Vec<String>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Evaluated {
    pub instances: Vec<Instance>,
    pub placeholders: Vec<Placeholder>,
    /// Variables of the root module without a value (given or default).
    pub missing_variables: Vec<String>,
    /// The region evaluated in: the one given, else the `aws` provider's,
    /// else us-east-1.
    pub region: String,
    /// The root module's folder, as the files' paths spell it.
    pub root: String,
    /// The regions of the `aws` provider's aliases (`aws.us_east_1`).
    pub aliases: BTreeMap<String, String>,
}

/// Reference chains and nested expressions deeper than this are refused.
const MAX_NESTING: usize = 96;
/// Bracket nesting refused before parsing (the parser recurses).
const MAX_BRACKETS: usize = 128;
/// Instances one `count` or `for_each` may create.
const MAX_INSTANCES: usize = 4096;
/// Modules calling modules deeper than this are refused (a cycle).
const MAX_MODULE_DEPTH: usize = 8;

/// The line an offset of a file is on, from the offsets of its line breaks
/// (a search, not a scan: a module of thousands of resources asks often).
fn line_of(file: &Parsed, offset: usize) -> usize {
    file.breaks.partition_point(|&at| at < offset) + 1
}

/// The first line where brackets nest deeper than the parser is allowed to
/// go (strings are skipped; comments only roughly, which can only make the
/// count larger).
fn too_deep(text: &str) -> Option<usize> {
    let (mut depth, mut line, mut in_string) = (0usize, 1usize, false);
    let mut escaped = false;
    for c in text.chars() {
        if c == '\n' {
            line += 1;
        }
        if in_string {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => in_string = false,
                '\n' => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => in_string = true,
            '(' | '[' | '{' => {
                depth += 1;
                if depth > MAX_BRACKETS {
                    return Some(line);
                }
            }
            ')' | ']' | '}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

/// A parsed file.
struct Parsed {
    path: String,
    text: String,
    body: Body,
    /// Offsets of its line breaks.
    breaks: Vec<usize>,
}

pub fn parse(file: &SourceFile) -> Result<Body, TfError> {
    let fail = |line: usize, message: String| TfError {
        file: file.path.clone(),
        line,
        message,
    };
    if let Some(line) = too_deep(&file.text) {
        return Err(fail(
            line,
            format!("brackets nest more than {MAX_BRACKETS} deep"),
        ));
    }
    hcl::edit::parser::parse_body(&file.text).map_err(|e| {
        let message = e.message().to_string();
        let message = if message.is_empty() {
            "this is not HCL".to_string()
        } else {
            format!("this is not HCL: {message}")
        };
        fail(e.location().line(), message)
    })
}

/// The folder of a path, without a trailing slash ("" for none).
fn folder(path: &str) -> &str {
    path.rfind(['/', '\\']).map_or("", |at| &path[..at])
}

/// `base` joined with a relative `path` (`./x`, `../x`), normalised.
fn joined(base: &str, path: &str) -> String {
    let mut parts: Vec<&str> = base.split('/').filter(|p| !p.is_empty()).collect();
    for part in path.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            other => parts.push(other),
        }
    }
    parts.join("/")
}

/// A text as a piece of an id a diagram accepts.
fn id_part(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.' {
                c
            } else {
                '-'
            }
        })
        .collect()
}

/// An address as a diagram's id: at most 64 characters (a long one keeps
/// its end and a hash of the whole, so two never meet).
pub fn node_id_of(address: &str) -> String {
    let id = id_part(address);
    if id.len() <= crate::domain::model::MAX_ID_LEN {
        return id;
    }
    let hash = address.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    let tail: String = id[id.len() - 46..].to_string();
    format!("{:016x}-{}", hash, tail.trim_start_matches(['-', '.']))
}

fn number_text(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        format!("{}", value as i64)
    } else {
        format!("{value}")
    }
}

fn num(value: &Val) -> Option<f64> {
    match value {
        Val::Str(text) => text.trim().parse().ok(),
        Val::Bool(_) => None,
        _ => None,
    }
}

/// What an unknown value stands for, for the values built from it.
fn unknown_in(value: &Val) -> Option<Val> {
    match value {
        Val::Unknown(_) => Some(value.clone()),
        Val::Ref(id) | Val::Attr(id, _) => Some(Val::Built {
            refers: vec![id.clone()],
            why: format!("it depends on {id}, known after an apply"),
        }),
        Val::Built { .. } => Some(value.clone()),
        _ => None,
    }
}

/// The first unknown of several values, as the result built from them.
fn first_unknown<'v>(values: impl IntoIterator<Item = &'v Val>) -> Option<Val> {
    let mut refers = Vec::new();
    let mut why = None;
    for value in values {
        match unknown_in(value) {
            Some(Val::Unknown(reason)) => return Some(Val::Unknown(reason)),
            Some(Val::Built { refers: r, why: w }) => {
                refers.extend(r);
                why.get_or_insert(w);
            }
            _ => {}
        }
    }
    why.map(|why| Val::Built { refers, why })
}

/// A value as template text, when it is known.
fn as_text(value: &Val) -> Option<String> {
    match value {
        Val::Str(text) => Some(text.clone()),
        Val::Bool(b) => Some(b.to_string()),
        Val::Null => Some(String::new()),
        _ => None,
    }
}

fn truthy(value: &Val) -> Option<bool> {
    match value {
        Val::Bool(b) => Some(*b),
        Val::Str(text) if text == "true" => Some(true),
        Val::Str(text) if text == "false" => Some(false),
        _ => None,
    }
}

/// JSON text of a known value (`jsonencode`).
fn json_of(value: &Val) -> Option<serde_json::Value> {
    Some(match value {
        Val::Null => serde_json::Value::Null,
        Val::Bool(b) => serde_json::Value::Bool(*b),
        Val::Str(text) => serde_json::Value::String(text.clone()),
        Val::List(items) => {
            serde_json::Value::Array(items.iter().map(json_of).collect::<Option<_>>()?)
        }
        Val::Map(entries) => serde_json::Value::Object(
            entries
                .iter()
                .map(|(k, v)| Some((k.clone(), json_of(v)?)))
                .collect::<Option<_>>()?,
        ),
        _ => return None,
    })
}

/// A JSON document as a value (`jsondecode`, container definitions).
pub fn from_json(value: &serde_json::Value) -> Val {
    match value {
        serde_json::Value::Null => Val::Null,
        serde_json::Value::Bool(b) => Val::Bool(*b),
        serde_json::Value::Number(n) => Val::Str(n.to_string()),
        serde_json::Value::String(s) => Val::Str(s.clone()),
        serde_json::Value::Array(items) => Val::List(items.iter().map(from_json).collect()),
        serde_json::Value::Object(entries) => Val::Map(
            entries
                .iter()
                .map(|(k, v)| (k.clone(), from_json(v)))
                .collect(),
        ),
    }
}

/// What `var.x`, `each.value`, `count.index` and a `for` expression's
/// variables name while one expression is evaluated.
#[derive(Clone, Default)]
struct Scope {
    names: BTreeMap<String, Val>,
}

impl Scope {
    fn with(&self, name: &str, value: Val) -> Scope {
        let mut names = self.names.clone();
        names.insert(name.to_string(), value);
        Scope { names }
    }
}

/// A `resource` (or `data`) block of a module.
struct Declared<'a> {
    file: usize,
    block: &'a Block,
}

/// A `module` block.
struct Call<'a> {
    file: usize,
    block: &'a Block,
}

/// The instances of one resource: their keys (none for a single one) and
/// evaluated arguments.
#[derive(Clone)]
enum Instances {
    Single(Val),
    Counted(Vec<Val>),
    Keyed(Vec<(String, Val)>),
    /// `count` or `for_each` not known: one set of arguments stands for all.
    Unknown(String, Val),
}

/// One module (the root, or one a `module` block calls), evaluated lazily:
/// a local, a resource or a module output is evaluated when first named,
/// so the order of blocks does not matter and a cycle is caught.
struct Module<'a> {
    files: &'a [Parsed],
    /// Files of this module, by index into `files`.
    own: Vec<usize>,
    /// Where this module's resources' ids start (`module.vpc.`).
    prefix: String,
    /// The folder its files are in (for `path.module`, nested sources).
    dir: String,
    /// The root module's folder (`path.root`, `path.cwd`).
    root_dir: String,
    region: String,
    variables: BTreeMap<String, Val>,
    missing: Vec<String>,
    locals: BTreeMap<String, (usize, &'a Expression)>,
    outputs: BTreeMap<String, (usize, &'a Expression)>,
    resources: BTreeMap<(String, String), Declared<'a>>,
    data: BTreeMap<(String, String), Declared<'a>>,
    calls: BTreeMap<String, Call<'a>>,
    /// Module folders `terraform init` downloaded, by module key.
    downloaded: &'a BTreeMap<String, String>,
    /// This module's key in `modules.json` (`vpc`, `vpc.subnets`).
    key: String,
    depth: usize,
    done_locals: BTreeMap<String, Val>,
    /// Shared, so naming a resource a thousand times copies nothing.
    done_resources: BTreeMap<(String, String), std::rc::Rc<Instances>>,
    /// Each resource of this module by the id of its instances' base.
    by_id: BTreeMap<String, (String, String)>,
    children: BTreeMap<String, Result<Vec<(String, Module<'a>)>, String>>,
    busy: BTreeSet<String>,
    placeholders: Vec<Placeholder>,
}

type Eval = Result<Val, TfError>;

impl<'a> Module<'a> {
    #[allow(clippy::too_many_arguments)]
    fn new(
        files: &'a [Parsed],
        own: Vec<usize>,
        prefix: String,
        dir: String,
        region: String,
        key: String,
        depth: usize,
        downloaded: &'a BTreeMap<String, String>,
    ) -> Module<'a> {
        let mut module = Module {
            files,
            own: own.clone(),
            prefix,
            root_dir: dir.clone(),
            dir,
            region,
            variables: BTreeMap::new(),
            missing: Vec::new(),
            locals: BTreeMap::new(),
            outputs: BTreeMap::new(),
            resources: BTreeMap::new(),
            data: BTreeMap::new(),
            calls: BTreeMap::new(),
            downloaded,
            key,
            depth,
            done_locals: BTreeMap::new(),
            done_resources: BTreeMap::new(),
            by_id: BTreeMap::new(),
            children: BTreeMap::new(),
            busy: BTreeSet::new(),
            placeholders: Vec::new(),
        };
        for at in own {
            for structure in files[at].body.iter() {
                let Structure::Block(block) = structure else {
                    continue;
                };
                let labels: Vec<String> = block.labels.iter().map(label_text).collect();
                match (block.ident.as_str(), labels.as_slice()) {
                    ("resource", [kind, name]) => {
                        module
                            .resources
                            .insert((kind.clone(), name.clone()), Declared { file: at, block });
                    }
                    ("data", [kind, name]) => {
                        module
                            .data
                            .insert((kind.clone(), name.clone()), Declared { file: at, block });
                    }
                    ("module", [name]) => {
                        module.calls.insert(name.clone(), Call { file: at, block });
                    }
                    ("locals", []) => {
                        for attribute in block.body.iter().filter_map(Structure::as_attribute) {
                            module
                                .locals
                                .insert(attribute.key.to_string(), (at, &attribute.value));
                        }
                    }
                    ("output", [name]) => {
                        if let Some(value) = attribute(&block.body, "value") {
                            module.outputs.insert(name.clone(), (at, value));
                        }
                    }
                    _ => {}
                }
            }
        }
        module
    }

    fn file_of(&self, at: usize) -> &'a Parsed {
        &self.files[at]
    }

    fn fail<T>(
        &self,
        at: usize,
        span: Option<std::ops::Range<usize>>,
        message: String,
    ) -> Result<T, TfError> {
        let file = self.file_of(at);
        Err(TfError {
            file: file.path.clone(),
            line: span.map_or(1, |s| line_of(file, s.start)),
            message,
        })
    }

    /// The variables' values: given (the root's from the user, a module's
    /// from its call), else their defaults, else unknown.
    fn declare_variables(&mut self, given: &BTreeMap<String, Val>) -> Result<(), TfError> {
        let files = self.files;
        for &at in &self.own.clone() {
            for structure in files[at].body.iter() {
                let Structure::Block(block) = structure else {
                    continue;
                };
                if block.ident.as_str() != "variable" {
                    continue;
                }
                let Some(name) = block.labels.first().map(label_text) else {
                    continue;
                };
                let value = match given.get(&name) {
                    Some(value) => value.clone(),
                    None => match attribute(&block.body, "default") {
                        Some(default) => self.eval(at, default, &Scope::default(), 0)?,
                        None => {
                            self.missing.push(name.clone());
                            Val::Unknown(format!("variable {name} has no value"))
                        }
                    },
                };
                // A list-typed variable given as text on a command line.
                let value = match (&value, type_of(block)) {
                    (Val::Str(text), Some(kind))
                        if kind.starts_with("list") || kind.starts_with("set") =>
                    {
                        serde_json::from_str::<serde_json::Value>(text)
                            .map(|v| from_json(&v))
                            .unwrap_or(value)
                    }
                    _ => value,
                };
                self.variables.insert(name, value);
            }
        }
        Ok(())
    }

    fn nested(&self, depth: usize, at: usize, expr: &Expression) -> Result<usize, TfError> {
        if depth > MAX_NESTING {
            return self.fail(
                at,
                expr.span(),
                format!("expressions or references nest more than {MAX_NESTING} deep"),
            );
        }
        Ok(depth + 1)
    }

    fn eval(&mut self, at: usize, expr: &Expression, scope: &Scope, depth: usize) -> Eval {
        let depth = self.nested(depth, at, expr)?;
        Ok(match expr {
            Expression::Null(_) => Val::Null,
            Expression::Bool(b) => Val::Bool(*b.value()),
            Expression::Number(n) => Val::Str(n.value().to_string()),
            Expression::String(s) => Val::Str(s.value().to_string()),
            Expression::Array(array) => {
                let mut items = Vec::new();
                for item in array.iter() {
                    items.push(self.eval(at, item, scope, depth)?);
                }
                Val::List(items)
            }
            Expression::Object(object) => {
                let mut entries: Vec<(String, Val)> = Vec::new();
                for (key, value) in object.iter() {
                    let key = match key {
                        ObjectKey::Ident(ident) => ident.to_string(),
                        ObjectKey::Expression(e) => {
                            // `(var.name) = ...` and bare words both name a key.
                            let value = match e {
                                Expression::Variable(v) => Val::Str(v.to_string()),
                                other => self.eval(at, other, scope, depth)?,
                            };
                            match as_text(&value) {
                                Some(text) => text,
                                None => continue,
                            }
                        }
                    };
                    let value = self.eval(at, value.expr(), scope, depth)?;
                    entries.retain(|(k, _)| *k != key);
                    entries.push((key, value));
                }
                Val::Map(entries)
            }
            Expression::StringTemplate(template) => self.template(at, template, scope, depth)?,
            Expression::HeredocTemplate(heredoc) => {
                self.template(at, &heredoc.template, scope, depth)?
            }
            Expression::Parenthesis(inner) => self.eval(at, inner.inner(), scope, depth)?,
            Expression::Variable(name) => self.variable(at, expr, name.as_str(), scope, depth)?,
            Expression::Conditional(c) => {
                let condition = self.eval(at, &c.cond_expr, scope, depth)?;
                match truthy(&condition) {
                    Some(true) => self.eval(at, &c.true_expr, scope, depth)?,
                    Some(false) => self.eval(at, &c.false_expr, scope, depth)?,
                    None => first_unknown([&condition])
                        .unwrap_or(Val::Unknown("a condition that is not true or false".into())),
                }
            }
            Expression::FuncCall(call) => {
                let name = call.name.name.to_string();
                let namespaced = !call.name.namespace.is_empty();
                // `try` and `can` catch what fails; their arguments are
                // evaluated one by one.
                if name == "try" || name == "can" {
                    let mut last = Val::Unknown(format!("{name}: no argument evaluates"));
                    for arg in call.args.iter() {
                        match self.eval(at, arg, scope, depth) {
                            Ok(Val::Unknown(why)) => last = Val::Unknown(why),
                            Ok(value) => {
                                return Ok(if name == "can" {
                                    Val::Bool(true)
                                } else {
                                    value
                                })
                            }
                            Err(_) if name == "can" => return Ok(Val::Bool(false)),
                            Err(_) => {}
                        }
                    }
                    return Ok(last);
                }
                let mut args = Vec::new();
                for arg in call.args.iter() {
                    args.push(self.eval(at, arg, scope, depth)?);
                }
                if call.args.expand_final() {
                    if let Some(Val::List(last)) = args.pop() {
                        args.extend(last);
                    }
                }
                if namespaced {
                    Val::Unknown(format!(
                        "the provider function {name} is not evaluated at import"
                    ))
                } else {
                    self.function(at, expr, &name, args)?
                }
            }
            Expression::Traversal(traversal) => self.traversal(
                at,
                expr,
                &traversal.expr,
                &traversal.operators,
                scope,
                depth,
            )?,
            Expression::UnaryOp(op) => {
                let value = self.eval(at, &op.expr, scope, depth)?;
                match op.operator.value() {
                    UnaryOperator::Neg => match num(&value) {
                        Some(n) => Val::Str(number_text(-n)),
                        None => first_unknown([&value])
                            .unwrap_or(Val::Unknown("a negated value that is not a number".into())),
                    },
                    UnaryOperator::Not => match truthy(&value) {
                        Some(b) => Val::Bool(!b),
                        None => first_unknown([&value]).unwrap_or(Val::Unknown(
                            "a negated value that is not true or false".into(),
                        )),
                    },
                }
            }
            Expression::BinaryOp(op) => {
                let left = self.eval(at, &op.lhs_expr, scope, depth)?;
                let right = self.eval(at, &op.rhs_expr, scope, depth)?;
                binary(*op.operator.value(), &left, &right)
            }
            Expression::ForExpr(for_expr) => {
                let collection = self.eval(at, &for_expr.intro.collection_expr, scope, depth)?;
                let Some(pairs) = key_value_pairs(&collection) else {
                    return Ok(first_unknown([&collection]).unwrap_or(Val::Unknown(
                        "a for expression over what is not a collection".into(),
                    )));
                };
                let value_var = for_expr.intro.value_var.to_string();
                let key_var = for_expr.intro.key_var.as_ref().map(|k| k.to_string());
                let mut list = Vec::new();
                let mut map: Vec<(String, Val)> = Vec::new();
                for (key, value) in pairs {
                    let mut inner = scope.with(&value_var, value);
                    if let Some(key_var) = &key_var {
                        inner = inner.with(key_var, key);
                    }
                    if let Some(cond) = &for_expr.cond {
                        let keep = self.eval(at, &cond.expr, &inner, depth)?;
                        match truthy(&keep) {
                            Some(true) => {}
                            Some(false) => continue,
                            None => {
                                return Ok(first_unknown([&keep]).unwrap_or(Val::Unknown(
                                    "a for expression's condition is not known".into(),
                                )))
                            }
                        }
                    }
                    let value = self.eval(at, &for_expr.value_expr, &inner, depth)?;
                    match &for_expr.key_expr {
                        Some(key_expr) => {
                            let key = self.eval(at, key_expr, &inner, depth)?;
                            let Some(key) = as_text(&key) else {
                                return Ok(first_unknown([&key]).unwrap_or(Val::Unknown(
                                    "a for expression's key is not known".into(),
                                )));
                            };
                            if for_expr.grouping {
                                match map.iter_mut().find(|(k, _)| *k == key) {
                                    Some((_, Val::List(group))) => group.push(value),
                                    _ => map.push((key, Val::List(vec![value]))),
                                }
                            } else {
                                map.retain(|(k, _)| *k != key);
                                map.push((key, value));
                            }
                        }
                        None => list.push(value),
                    }
                }
                if for_expr.key_expr.is_some() {
                    Val::Map(map)
                } else {
                    Val::List(list)
                }
            }
        })
    }

    fn template(&mut self, at: usize, template: &Template, scope: &Scope, depth: usize) -> Eval {
        let elements: Vec<&Element> = template.iter().collect();
        // `"${x}"` alone is x itself, whatever its type (the legacy way of
        // writing a reference).
        if let [Element::Interpolation(only)] = elements.as_slice() {
            return self.eval(at, &only.expr, scope, depth);
        }
        let mut text = String::new();
        let mut parts = Vec::new();
        for element in elements {
            match element {
                Element::Literal(literal) => text.push_str(literal.value()),
                Element::Interpolation(interpolation) => {
                    let value = self.eval(at, &interpolation.expr, scope, depth)?;
                    match as_text(&value) {
                        Some(piece) => text.push_str(&piece),
                        None => parts.push(value),
                    }
                }
                Element::Directive(directive) => match directive.as_ref() {
                    Directive::If(d) => {
                        let condition = self.eval(at, &d.if_expr.cond_expr, scope, depth)?;
                        let chosen = match truthy(&condition) {
                            Some(true) => Some(&d.if_expr.template),
                            Some(false) => d.else_expr.as_ref().map(|e| &e.template),
                            None => {
                                parts.push(condition);
                                None
                            }
                        };
                        if let Some(chosen) = chosen {
                            let value = self.template(at, chosen, scope, depth)?;
                            match as_text(&value) {
                                Some(piece) => text.push_str(&piece),
                                None => parts.push(value),
                            }
                        }
                    }
                    Directive::For(d) => {
                        let collection =
                            self.eval(at, &d.for_expr.collection_expr, scope, depth)?;
                        let pairs = key_value_pairs(&collection).unwrap_or_else(|| {
                            parts.push(collection.clone());
                            Vec::new()
                        });
                        for (key, value) in pairs {
                            let mut inner = scope.with(&d.for_expr.value_var.to_string(), value);
                            if let Some(key_var) = &d.for_expr.key_var {
                                inner = inner.with(&key_var.to_string(), key);
                            }
                            let value = self.template(at, &d.for_expr.template, &inner, depth)?;
                            match as_text(&value) {
                                Some(piece) => text.push_str(&piece),
                                None => parts.push(value),
                            }
                        }
                    }
                },
            }
        }
        Ok(first_unknown(&parts).unwrap_or(Val::Str(text)))
    }

    /// A bare name: a `for` variable, `count`/`each` as objects, or a
    /// resource type (whose traversal follows).
    fn variable(
        &mut self,
        at: usize,
        expr: &Expression,
        name: &str,
        scope: &Scope,
        depth: usize,
    ) -> Eval {
        if let Some(value) = scope.names.get(name) {
            return Ok(value.clone());
        }
        self.traversal(at, expr, expr, &[], scope, depth)
    }

    fn traversal(
        &mut self,
        at: usize,
        whole: &Expression,
        root: &Expression,
        operators: &[hcl::edit::Decorated<TraversalOperator>],
        scope: &Scope,
        depth: usize,
    ) -> Eval {
        // Names first: `var.x`, `local.x`, `aws_vpc.main`, `module.x.y`,
        // `data.t.n`, `count.index`, `each.key`, `path.module`.
        let Expression::Variable(root_name) = root else {
            let value = self.eval(at, root, scope, depth)?;
            return self.operate(at, whole, value, operators, scope, depth);
        };
        let root_name = root_name.as_str();
        let attr = |i: usize| -> Option<String> {
            match operators.get(i).map(|o| o.value()) {
                Some(TraversalOperator::GetAttr(name)) => Some(name.to_string()),
                _ => None,
            }
        };
        if let Some(value) = scope.names.get(root_name) {
            let value = value.clone();
            return self.operate(at, whole, value, operators, scope, depth);
        }
        let (value, used) = match root_name {
            "var" => {
                let Some(name) = attr(0) else {
                    return Ok(Val::Unknown("var without a name".into()));
                };
                let value = match self.variables.get(&name) {
                    Some(value) => value.clone(),
                    None => {
                        return self.fail(
                            at,
                            whole.span(),
                            format!("variable {name} is not declared"),
                        )
                    }
                };
                (value, 1)
            }
            "local" => {
                let Some(name) = attr(0) else {
                    return Ok(Val::Unknown("local without a name".into()));
                };
                (self.local(at, whole, &name, depth)?, 1)
            }
            "path" => {
                let dir = if self.dir.is_empty() {
                    ".".to_string()
                } else {
                    self.dir.clone()
                };
                let value = match attr(0).as_deref() {
                    Some("module") => dir,
                    _ => self.root_dir.clone(),
                };
                (Val::Str(value), 1)
            }
            "terraform" => (Val::Str("default".into()), 1),
            "self" => (Val::Unknown("self is known only to provisioners".into()), 1),
            "module" => {
                let (Some(name), Some(output)) = (attr(0), attr(1)) else {
                    return Ok(Val::Unknown("a module without an output".into()));
                };
                (self.module_output(at, whole, &name, &output, depth)?, 2)
            }
            "data" => {
                let (Some(kind), Some(name)) = (attr(0), attr(1)) else {
                    return Ok(Val::Unknown("data without a type and name".into()));
                };
                (
                    self.data_source(at, whole, &kind, &name, operators.get(2), depth)?,
                    2,
                )
            }
            kind => {
                let Some(name) = attr(0) else {
                    return Ok(Val::Unknown(format!(
                        "{kind} is not a name this module declares"
                    )));
                };
                if !self
                    .resources
                    .contains_key(&(kind.to_string(), name.clone()))
                {
                    return self.fail(
                        at,
                        whole.span(),
                        format!("{kind}.{name} is not a resource this module declares"),
                    );
                }
                (self.resource_value(at, whole, kind, &name, depth)?, 1)
            }
        };
        self.operate(at, whole, value, &operators[used..], scope, depth)
    }

    /// Attribute, index and splat operators applied to a value. A resource
    /// instance is a `Ref`: its `id` and `arn` stay the reference, its
    /// arguments are what it was given, anything else is known after an
    /// apply.
    fn operate(
        &mut self,
        at: usize,
        whole: &Expression,
        mut value: Val,
        operators: &[hcl::edit::Decorated<TraversalOperator>],
        scope: &Scope,
        depth: usize,
    ) -> Eval {
        let mut index = 0;
        while index < operators.len() {
            let operator = operators[index].value();
            value = match operator {
                TraversalOperator::GetAttr(name) => {
                    self.get_attr(at, whole, value, name.as_str(), depth)?
                }
                TraversalOperator::Index(key) => {
                    let key = self.eval(at, key, scope, depth)?;
                    index_into(&value, &key)
                }
                TraversalOperator::LegacyIndex(i) => {
                    index_into(&value, &Val::Str(i.value().to_string()))
                }
                TraversalOperator::AttrSplat(_) | TraversalOperator::FullSplat(_) => {
                    let items = match value {
                        Val::List(items) => items,
                        Val::Map(entries) => entries.into_iter().map(|(_, v)| v).collect(),
                        Val::Null => Vec::new(),
                        other => vec![other],
                    };
                    let rest = &operators[index + 1..];
                    let full = matches!(operator, TraversalOperator::FullSplat(_));
                    // An attribute splat applies only the attribute lookups
                    // that follow; a full splat applies all of them.
                    let applied = if full {
                        rest.len()
                    } else {
                        rest.iter()
                            .take_while(|o| matches!(o.value(), TraversalOperator::GetAttr(_)))
                            .count()
                    };
                    let mut out = Vec::new();
                    for item in items {
                        out.push(self.operate(at, whole, item, &rest[..applied], scope, depth)?);
                    }
                    index += applied;
                    Val::List(out)
                }
            };
            index += 1;
        }
        Ok(value)
    }

    fn get_attr(
        &mut self,
        at: usize,
        whole: &Expression,
        value: Val,
        name: &str,
        depth: usize,
    ) -> Eval {
        Ok(match value {
            Val::Ref(id) if name == "id" || name == "arn" => Val::Ref(id),
            // A secret's value is Secrets Manager's, read at apply time: the
            // reference stands for it (a database's password names its
            // secret so).
            Val::Ref(id)
                if name == "secret_string" && id.contains("aws_secretsmanager_secret_version.") =>
            {
                Val::Attr(id, name.to_string())
            }
            Val::Ref(id) => {
                let given = self.instance_attributes(at, whole, &id, depth)?;
                match given.as_ref().and_then(|a| a.get(name)) {
                    // A nested block: its list of maps.
                    Some(found) => found.clone(),
                    None => Val::Attr(id, name.to_string()),
                }
            }
            // A missing attribute is an error to Terraform, which `try`
            // catches: here an unknown, which `try` passes over.
            Val::Map(entries) => entries
                .into_iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v)
                .unwrap_or_else(|| Val::Unknown(format!("the object has no attribute {name}"))),
            Val::Attr(id, attribute) => Val::Attr(id, format!("{attribute}.{name}")),
            Val::List(items) => {
                // `aws_subnet.a[*]` without the splat on the next step: TF
                // refuses, but legacy `.*.` forms reach here per item.
                let mut out = Vec::new();
                for item in items {
                    out.push(self.get_attr(at, whole, item, name, depth)?);
                }
                Val::List(out)
            }
            other @ (Val::Unknown(_) | Val::Built { .. }) => other,
            Val::Null => Val::Null,
            _ => Val::Unknown(format!("{name} of a value that has no attributes")),
        })
    }

    fn local(&mut self, at: usize, whole: &Expression, name: &str, depth: usize) -> Eval {
        if let Some(done) = self.done_locals.get(name) {
            return Ok(done.clone());
        }
        let Some(&(file, expr)) = self.locals.get(name) else {
            return self.fail(at, whole.span(), format!("local.{name} is not declared"));
        };
        let key = format!("local.{name}");
        if !self.busy.insert(key.clone()) {
            return self.fail(
                file,
                expr.span(),
                format!("local.{name} refers to itself through a cycle"),
            );
        }
        let value = self.eval(file, expr, &Scope::default(), depth);
        self.busy.remove(&key);
        let value = value?;
        self.done_locals.insert(name.to_string(), value.clone());
        Ok(value)
    }

    /// A resource as a value: its instance, or a list (`count`) or map
    /// (`for_each`) of them; each instance a `Ref` to its id.
    fn resource_value(
        &mut self,
        at: usize,
        whole: &Expression,
        kind: &str,
        name: &str,
        depth: usize,
    ) -> Eval {
        let instances = self.instances(at, whole, kind, name, depth)?;
        let base = format!("{}{kind}.{name}", self.prefix);
        Ok(match &*instances {
            Instances::Single(_) => Val::Ref(node_id_of(&base)),
            Instances::Counted(list) => Val::List(
                (0..list.len())
                    .map(|i| Val::Ref(node_id_of(&format!("{base}.{i}"))))
                    .collect(),
            ),
            Instances::Keyed(entries) => Val::Map(
                entries
                    .iter()
                    .map(|(k, _)| (k.clone(), Val::Ref(node_id_of(&format!("{base}.{k}")))))
                    .collect(),
            ),
            Instances::Unknown(why, _) => {
                Val::Unknown(format!("the instances of {base} are not known: {why}"))
            }
        })
    }

    /// The arguments an instance (by its id) was given.
    fn instance_attributes(
        &mut self,
        at: usize,
        whole: &Expression,
        id: &str,
        depth: usize,
    ) -> Result<Option<Val>, TfError> {
        // Which of this module's resources the id belongs to: the id
        // itself, or what it is before an instance's key.
        if self.by_id.is_empty() {
            self.by_id = self
                .resources
                .keys()
                .map(|(kind, name)| {
                    (
                        node_id_of(&format!("{}{kind}.{name}", self.prefix)),
                        (kind.clone(), name.clone()),
                    )
                })
                .collect();
        }
        let found = std::iter::once(id.len())
            .chain(id.rmatch_indices('.').map(|(at, _)| at))
            .find_map(|end| self.by_id.get(&id[..end]));
        let Some((kind, name)) = found.cloned() else {
            return Ok(None);
        };
        let instances = self.instances(at, whole, &kind, &name, depth)?;
        let named = |key: &str| node_id_of(&format!("{}{kind}.{name}.{key}", self.prefix)) == id;
        Ok(match &*instances {
            Instances::Single(a) => Some(a.clone()),
            Instances::Counted(list) => list
                .iter()
                .enumerate()
                .find(|(i, _)| named(&i.to_string()))
                .map(|(_, a)| a.clone()),
            Instances::Keyed(entries) => entries
                .iter()
                .find(|(k, _)| named(k))
                .map(|(_, a)| a.clone()),
            Instances::Unknown(..) => None,
        })
    }

    fn instances(
        &mut self,
        at: usize,
        whole: &Expression,
        kind: &str,
        name: &str,
        depth: usize,
    ) -> Result<std::rc::Rc<Instances>, TfError> {
        let key = (kind.to_string(), name.to_string());
        if let Some(done) = self.done_resources.get(&key) {
            return Ok(done.clone());
        }
        let Some(declared) = self.resources.get(&key) else {
            return self.fail(at, whole.span(), format!("{kind}.{name} is not declared"));
        };
        let (file, block) = (declared.file, declared.block);
        let instances =
            std::rc::Rc::new(self.expand_once(&format!("{kind}.{name}"), file, block, depth)?);
        self.done_resources.insert(key, instances.clone());
        Ok(instances)
    }

    /// [`Module::expand`], refused when the block is already being expanded
    /// further up: its references come back to it.
    fn expand_once(
        &mut self,
        what: &str,
        file: usize,
        block: &Block,
        depth: usize,
    ) -> Result<Instances, TfError> {
        if !self.busy.insert(what.to_string()) {
            return self.fail(
                file,
                block.span(),
                format!("{what} refers to itself through a cycle of references"),
            );
        }
        let result = self.expand(file, block, depth);
        self.busy.remove(what);
        result
    }

    /// A block's instances: one, or one per `count` or `for_each` item,
    /// with `count.index` or `each.key`/`each.value` in scope.
    fn expand(&mut self, file: usize, block: &Block, depth: usize) -> Result<Instances, TfError> {
        let root = Scope::default();
        if let Some(count) = attribute(&block.body, "count") {
            let value = self.eval(file, count, &root, depth)?;
            let Some(n) = num(&value) else {
                let why = match first_unknown([&value]) {
                    Some(Val::Unknown(why) | Val::Built { why, .. }) => why,
                    _ => "it is not a number".into(),
                };
                let scope = root.with(
                    "count",
                    Val::Map(vec![(
                        "index".into(),
                        Val::Unknown("count.index of an instance not known".into()),
                    )]),
                );
                let attributes = self.body(file, &block.body, &scope, depth)?;
                return Ok(Instances::Unknown(
                    format!("its count is not known at import: {why}"),
                    attributes,
                ));
            };
            if n < 0.0 || n as usize > MAX_INSTANCES {
                return self.fail(
                    file,
                    count.span(),
                    format!("count is {n}: at most {MAX_INSTANCES} instances are imported"),
                );
            }
            let mut list = Vec::new();
            for i in 0..n as usize {
                let scope = root.with(
                    "count",
                    Val::Map(vec![("index".into(), Val::Str(i.to_string()))]),
                );
                list.push(self.body(file, &block.body, &scope, depth)?);
            }
            return Ok(Instances::Counted(list));
        }
        if let Some(each) = attribute(&block.body, "for_each") {
            let value = self.eval(file, each, &root, depth)?;
            let items: Vec<(String, Val)> = match &value {
                Val::Map(entries) => entries.clone(),
                Val::List(items) if items.iter().all(|i| as_text(i).is_some()) => items
                    .iter()
                    .filter_map(|i| as_text(i).map(|t| (t, i.clone())))
                    .collect(),
                other => {
                    let why = match first_unknown([other]) {
                        Some(Val::Unknown(why) | Val::Built { why, .. }) => why,
                        _ => "it is not a map or a set of strings".into(),
                    };
                    let unknown = Val::Unknown("each of instances not known".into());
                    let scope = root.with(
                        "each",
                        Val::Map(vec![
                            ("key".into(), unknown.clone()),
                            ("value".into(), unknown),
                        ]),
                    );
                    let mut attributes = self.body(file, &block.body, &scope, depth)?;
                    if let Val::Map(entries) = &mut attributes {
                        entries.push(("for_each".into(), value.clone()));
                    }
                    return Ok(Instances::Unknown(
                        format!("its for_each is not known at import: {why}"),
                        attributes,
                    ));
                }
            };
            if items.len() > MAX_INSTANCES {
                return self.fail(
                    file,
                    each.span(),
                    format!(
                        "for_each has {} items: at most {MAX_INSTANCES} instances are imported",
                        items.len()
                    ),
                );
            }
            let mut keyed = Vec::new();
            for (key, value) in items {
                let scope = root.with(
                    "each",
                    Val::Map(vec![
                        ("key".into(), Val::Str(key.clone())),
                        ("value".into(), value),
                    ]),
                );
                keyed.push((key, self.body(file, &block.body, &scope, depth)?));
            }
            return Ok(Instances::Keyed(keyed));
        }
        Ok(Instances::Single(self.body(
            file,
            &block.body,
            &root,
            depth,
        )?))
    }

    /// A block's body as a map: attributes by name, nested blocks as lists
    /// of maps by their type (`dynamic` blocks expanded); meta-arguments left
    /// out.
    fn body(&mut self, file: usize, body: &Body, scope: &Scope, depth: usize) -> Eval {
        let mut entries: Vec<(String, Val)> = Vec::new();
        for structure in body.iter() {
            match structure {
                Structure::Attribute(a) => {
                    let key = a.key.to_string();
                    if matches!(key.as_str(), "count" | "for_each" | "depends_on") {
                        continue;
                    }
                    if key == "provider" {
                        entries.push((key, Val::Str(expression_text(&a.value))));
                        continue;
                    }
                    let value = self.eval(file, &a.value, scope, depth)?;
                    entries.push((key, value));
                }
                Structure::Block(b) => {
                    let ident = b.ident.to_string();
                    if matches!(ident.as_str(), "lifecycle" | "provisioner" | "connection") {
                        continue;
                    }
                    if ident == "dynamic" {
                        let Some(name) = b.labels.first().map(label_text) else {
                            continue;
                        };
                        let iterator = attribute(&b.body, "iterator")
                            .map(expression_text)
                            .unwrap_or_else(|| name.clone());
                        let Some(each) = attribute(&b.body, "for_each") else {
                            continue;
                        };
                        let collection = self.eval(file, each, scope, depth)?;
                        let pairs = key_value_pairs(&collection).unwrap_or_default();
                        let Some(content) = b
                            .body
                            .iter()
                            .find_map(|s| s.as_block().filter(|c| c.ident.as_str() == "content"))
                        else {
                            continue;
                        };
                        for (key, value) in pairs {
                            let inner = scope.with(
                                &iterator,
                                Val::Map(vec![("key".into(), key), ("value".into(), value)]),
                            );
                            let item = self.body(file, &content.body, &inner, depth)?;
                            push_block(&mut entries, &name, item);
                        }
                        continue;
                    }
                    let item = self.body(file, &b.body, scope, depth)?;
                    push_block(&mut entries, &ident, item);
                }
            }
        }
        Ok(Val::Map(entries))
    }

    /// A data source's value where the region knows it (the zones of
    /// `aws_availability_zones`, `aws_region`'s name); otherwise unknown,
    /// and the data source is a placeholder of the report.
    fn data_source(
        &mut self,
        at: usize,
        whole: &Expression,
        kind: &str,
        name: &str,
        next: Option<&hcl::edit::Decorated<TraversalOperator>>,
        _depth: usize,
    ) -> Eval {
        if !self
            .data
            .contains_key(&(kind.to_string(), name.to_string()))
        {
            return self.fail(
                at,
                whole.span(),
                format!("data.{kind}.{name} is not declared"),
            );
        }
        let attribute = match next.map(|o| o.value()) {
            Some(TraversalOperator::GetAttr(a)) => a.to_string(),
            _ => String::new(),
        };
        let zones = || {
            crate::domain::validate::regions::zones(&self.region)
                .into_iter()
                .map(Val::Str)
                .collect::<Vec<_>>()
        };
        Ok(match (kind, attribute.as_str()) {
            ("aws_availability_zones", _) => Val::Map(vec![("names".into(), Val::List(zones()))]),
            ("aws_region", _) => Val::Map(vec![
                ("name".into(), Val::Str(self.region.clone())),
                ("region".into(), Val::Str(self.region.clone())),
                ("id".into(), Val::Str(self.region.clone())),
            ]),
            ("aws_partition", _) => Val::Map(vec![
                ("partition".into(), Val::Str("aws".into())),
                ("dns_suffix".into(), Val::Str("amazonaws.com".into())),
            ]),
            // An endpoint service's name follows from the service asked
            // for: com.amazonaws.<region>.<service>.
            ("aws_vpc_endpoint_service", _) => {
                let Some(declared) = self.data.get(&(kind.to_string(), name.to_string())) else {
                    return Ok(Val::Unknown(format!("data.{kind}.{name} is not declared")));
                };
                let (file, block) = (declared.file, declared.block);
                let expanded =
                    self.expand_once(&format!("data.{kind}.{name}"), file, block, _depth);
                let region = self.region.clone();
                let service = move |a: &Val| -> Val {
                    let name = match a.get("service") {
                        Some(Val::Str(service)) => {
                            Val::Str(format!("com.amazonaws.{region}.{service}"))
                        }
                        _ => a.get("service_name").cloned().unwrap_or(Val::Unknown(
                            "the endpoint service is not known at import".into(),
                        )),
                    };
                    Val::Map(vec![("service_name".into(), name)])
                };
                match expanded? {
                    Instances::Single(a) => service(&a),
                    Instances::Counted(list) => Val::List(list.iter().map(&service).collect()),
                    Instances::Keyed(entries) => Val::Map(
                        entries
                            .iter()
                            .map(|(k, a)| (k.clone(), service(a)))
                            .collect(),
                    ),
                    Instances::Unknown(why, _) => Val::Unknown(why),
                }
            }
            // A password Secrets Manager generates at plan time: stands in
            // as text of its length (what a secret's import reads).
            ("aws_secretsmanager_random_password", _) => {
                let Some(declared) = self.data.get(&(kind.to_string(), name.to_string())) else {
                    return Ok(Val::Unknown(format!("data.{kind}.{name} is not declared")));
                };
                let (file, block) = (declared.file, declared.block);
                let expanded =
                    self.expand_once(&format!("data.{kind}.{name}"), file, block, _depth);
                let generated = |a: &Val| -> Val {
                    let length = a
                        .get("password_length")
                        .and_then(as_text)
                        .and_then(|n| n.parse::<usize>().ok())
                        .unwrap_or(32)
                        .min(4096);
                    Val::Map(vec![(
                        "random_password".into(),
                        Val::Str("*".repeat(length)),
                    )])
                };
                match expanded? {
                    Instances::Single(a) => generated(&a),
                    _ => Val::Unknown(format!("data.{kind}.{name} is generated at plan time")),
                }
            }
            _ => Val::Unknown(format!("data.{kind}.{name} is read from AWS at plan time")),
        })
    }

    /// The module calls of this module, instantiated once each (`count`
    /// and `for_each` give several instances).
    fn child(
        &mut self,
        at: usize,
        whole: &Expression,
        name: &str,
        depth: usize,
    ) -> Result<Result<(), String>, TfError> {
        if self.children.contains_key(name) {
            return Ok(self.children[name]
                .as_ref()
                .map(|_| ())
                .map_err(Clone::clone));
        }
        let Some(call) = self.calls.get(name) else {
            return self.fail(at, whole.span(), format!("module.{name} is not declared"));
        };
        let (file, block) = (call.file, call.block);
        let busy = format!("module.{name}");
        if !self.busy.insert(busy.clone()) {
            return self.fail(
                file,
                block.span(),
                format!("module.{name} refers to itself through a cycle"),
            );
        }
        let made = self.instantiate(file, block, name, depth);
        self.busy.remove(&busy);
        let made = made?;
        let outcome = made.as_ref().map(|_| ()).map_err(Clone::clone);
        self.children.insert(name.to_string(), made);
        Ok(outcome)
    }

    fn instantiate(
        &mut self,
        file: usize,
        block: &Block,
        name: &str,
        depth: usize,
    ) -> Result<Result<Vec<(String, Module<'a>)>, String>, TfError> {
        let source = attribute(&block.body, "source")
            .and_then(|s| s.as_str().map(str::to_string))
            .unwrap_or_default();
        let key = if self.key.is_empty() {
            name.to_string()
        } else {
            format!("{}.{name}", self.key)
        };
        let dir = if source.starts_with("./") || source.starts_with("../") {
            Some(joined(&self.dir, &source))
        } else {
            self.downloaded.get(&key).cloned()
        };
        let own: Vec<usize> = match &dir {
            Some(dir) => (0..self.files.len())
                .filter(|&i| folder(&self.files[i].path) == dir.as_str())
                .collect(),
            None => Vec::new(),
        };
        if own.is_empty() {
            let why = if source.starts_with("./") || source.starts_with("../") {
                format!(
                    "the local module {source} is not among the files given (give its folder too)"
                )
            } else {
                format!("the module {source} is not downloaded (run terraform init, then give the folder with its .terraform)")
            };
            return Ok(Err(why));
        }
        if self.depth + 1 > MAX_MODULE_DEPTH {
            return self.fail(
                file,
                block.span(),
                format!("modules call modules more than {MAX_MODULE_DEPTH} deep"),
            );
        }
        let dir = dir.unwrap_or_default();
        // Instances: one, or one per count / for_each item.
        let root = Scope::default();
        let mut scopes: Vec<(String, Scope)> = Vec::new();
        if let Some(count) = attribute(&block.body, "count") {
            let value = self.eval(file, count, &root, depth)?;
            let Some(n) = num(&value) else {
                return Ok(Err("its count is not known at import".into()));
            };
            for i in 0..(n.max(0.0) as usize).min(MAX_INSTANCES) {
                scopes.push((
                    format!(".{i}"),
                    root.with(
                        "count",
                        Val::Map(vec![("index".into(), Val::Str(i.to_string()))]),
                    ),
                ));
            }
        } else if let Some(each) = attribute(&block.body, "for_each") {
            let value = self.eval(file, each, &root, depth)?;
            let items: Vec<(String, Val)> = match &value {
                Val::Map(entries) => entries.clone(),
                Val::List(items) => items
                    .iter()
                    .filter_map(|i| as_text(i).map(|t| (t, i.clone())))
                    .collect(),
                _ => return Ok(Err("its for_each is not known at import".into())),
            };
            for (k, v) in items.into_iter().take(MAX_INSTANCES) {
                scopes.push((
                    format!(".{k}"),
                    root.with(
                        "each",
                        Val::Map(vec![("key".into(), Val::Str(k)), ("value".into(), v)]),
                    ),
                ));
            }
        } else {
            scopes.push((String::new(), root));
        }
        let mut instances = Vec::new();
        for (suffix, scope) in scopes {
            let mut given = BTreeMap::new();
            for structure in block.body.iter() {
                if let Structure::Attribute(a) = structure {
                    let key = a.key.to_string();
                    if matches!(
                        key.as_str(),
                        "source" | "version" | "count" | "for_each" | "providers" | "depends_on"
                    ) {
                        continue;
                    }
                    given.insert(key, self.eval(file, &a.value, &scope, depth)?);
                }
            }
            let prefix = format!("{}module.{name}{suffix}.", self.prefix);
            let mut child = Module::new(
                self.files,
                own.clone(),
                prefix,
                dir.clone(),
                self.region.clone(),
                key.clone(),
                self.depth + 1,
                self.downloaded,
            );
            child.root_dir = self.root_dir.clone();
            child.declare_variables(&given)?;
            instances.push((suffix, child));
        }
        Ok(Ok(instances))
    }

    fn module_output(
        &mut self,
        at: usize,
        whole: &Expression,
        name: &str,
        output: &str,
        depth: usize,
    ) -> Eval {
        if let Err(why) = self.child(at, whole, name, depth)? {
            return Ok(Val::Unknown(format!(
                "module.{name} is not expanded: {why}"
            )));
        }
        let Some(Ok(instances)) = self.children.get_mut(name) else {
            return Ok(Val::Unknown(format!("module.{name} is not expanded")));
        };
        let single = instances.len() == 1 && instances[0].0.is_empty();
        let mut values = Vec::new();
        for (_, child) in instances.iter_mut() {
            let Some(&(file, expr)) = child.outputs.get(output) else {
                return child.fail(
                    file_of_call(child),
                    None,
                    format!("module.{name} has no output {output}"),
                );
            };
            values.push(child.eval(file, expr, &Scope::default(), depth)?);
        }
        Ok(if single {
            values.pop().unwrap_or(Val::Null)
        } else {
            Val::List(values)
        })
    }

    /// Everything this module and the modules it calls create.
    fn collect(&mut self, out: &mut Evaluated) -> Result<(), TfError> {
        let keys: Vec<(String, String)> = self.resources.keys().cloned().collect();
        for (kind, name) in keys {
            let declared = &self.resources[&(kind.clone(), name.clone())];
            let (file, block) = (declared.file, declared.block);
            let whole_span = block.span();
            let parsed = self.file_of(file);
            let line = whole_span.map_or(1, |s| line_of(parsed, s.start));
            let path = parsed.path.clone();
            let instances = self.instances_of_block(file, block, &kind, &name)?;
            let base = format!("{}{kind}.{name}", self.prefix);
            let mut push = |suffix: Option<String>, attributes: Val, expansion: Expansion| {
                let (id, address) = match &suffix {
                    None => (node_id_of(&base), base.clone()),
                    Some(key) if key.parse::<usize>().is_ok() => (
                        node_id_of(&format!("{base}.{key}")),
                        format!("{base}[{key}]"),
                    ),
                    Some(key) => (
                        node_id_of(&format!("{base}.{key}")),
                        format!("{base}[\"{key}\"]"),
                    ),
                };
                out.instances.push(Instance {
                    id,
                    address,
                    resource_type: kind.clone(),
                    file: path.clone(),
                    line,
                    attributes,
                    expansion,
                });
            };
            match std::rc::Rc::unwrap_or_clone(instances) {
                Instances::Single(a) => push(None, a, Expansion::Known),
                // None created: listed all the same, with why.
                Instances::Counted(list) if list.is_empty() => push(
                    None,
                    Val::Map(Vec::new()),
                    Expansion::NoneCreated("its count is 0, so Terraform creates none".into()),
                ),
                Instances::Keyed(entries) if entries.is_empty() => push(
                    None,
                    Val::Map(Vec::new()),
                    Expansion::NoneCreated(
                        "its for_each is empty, so Terraform creates none".into(),
                    ),
                ),
                Instances::Counted(list) => {
                    for (i, a) in list.into_iter().enumerate() {
                        push(Some(i.to_string()), a, Expansion::Known);
                    }
                }
                Instances::Keyed(entries) => {
                    for (k, a) in entries {
                        push(Some(k), a, Expansion::Known);
                    }
                }
                Instances::Unknown(why, a) => push(None, a, Expansion::Unknown(why)),
            }
        }
        for ((kind, name), declared) in &self.data {
            let parsed = self.file_of(declared.file);
            out.placeholders.push(Placeholder {
                id: format!("{}data.{kind}.{name}", self.prefix),
                kind: format!("data.{kind}"),
                file: parsed.path.clone(),
                line: declared
                    .block
                    .span()
                    .map_or(1, |s| line_of(parsed, s.start)),
                why: match kind.as_str() {
                    "aws_availability_zones"
                    | "aws_region"
                    | "aws_partition"
                    | "aws_vpc_endpoint_service" => {
                        format!("a data source, answered for the region {}", self.region)
                    }
                    "aws_secretsmanager_random_password" => {
                        "a password Secrets Manager generates at plan time, read as its length".into()
                    }
                    _ => "a placeholder: a data source, read from AWS at plan time; what depends on it is unknown"
                        .into(),
                },
                resolved: matches!(
                    kind.as_str(),
                    "aws_availability_zones"
                        | "aws_region"
                        | "aws_partition"
                        | "aws_vpc_endpoint_service"
                        | "aws_secretsmanager_random_password"
                ),
                refers: Vec::new(),
            });
        }
        let names: Vec<String> = self.calls.keys().cloned().collect();
        for name in names {
            let call = &self.calls[&name];
            let (file, block) = (call.file, call.block);
            let whole = block
                .body
                .iter()
                .find_map(|s| s.as_attribute().filter(|a| a.key.as_str() == "source"))
                .map(|a| a.value.clone())
                .unwrap_or(Expression::Null(hcl::edit::Decorated::new(
                    hcl::edit::expr::Null,
                )));
            match self.child(file, &whole, &name, 0)? {
                Ok(()) => {
                    if let Some(Ok(instances)) = self.children.get_mut(&name) {
                        for (_, child) in instances.iter_mut() {
                            child.collect(out)?;
                        }
                    }
                }
                Err(why) => {
                    let parsed = self.file_of(file);
                    let inputs: Vec<String> = block
                        .body
                        .iter()
                        .filter_map(Structure::as_attribute)
                        .filter(|a| {
                            !matches!(
                                a.key.as_str(),
                                "source" | "version" | "providers" | "depends_on"
                            )
                        })
                        .map(|a| {
                            let value = expression_text(&a.value);
                            let value = value.split_whitespace().collect::<Vec<_>>().join(" ");
                            format!("{} = {}", a.key.as_str(), clip_text(&value, 80))
                        })
                        .collect();
                    // What its inputs name, for the placeholder's links.
                    let mut refers = Vec::new();
                    for a in block.body.iter().filter_map(Structure::as_attribute) {
                        if let Ok(value) = self.eval(file, &a.value, &Scope::default(), 0) {
                            super::cfn_map::targets(&value, &mut refers);
                        }
                    }
                    out.placeholders.push(Placeholder {
                        id: format!("{}module.{name}", self.prefix),
                        kind: "module".into(),
                        file: parsed.path.clone(),
                        line: block.span().map_or(1, |s| line_of(parsed, s.start)),
                        why: if inputs.is_empty() {
                            format!("a placeholder: {why}")
                        } else {
                            format!("a placeholder: {why}; its inputs: {}", inputs.join(", "))
                        },
                        resolved: false,
                        refers,
                    });
                }
            }
        }
        Ok(())
    }

    fn instances_of_block(
        &mut self,
        file: usize,
        block: &Block,
        kind: &str,
        name: &str,
    ) -> Result<std::rc::Rc<Instances>, TfError> {
        let whole = Expression::Null(hcl::edit::Decorated::new(hcl::edit::expr::Null));
        let _ = (file, block);
        self.instances(file, &whole, kind, name, 0)
    }
}

fn file_of_call(module: &Module) -> usize {
    module.own.first().copied().unwrap_or(0)
}

fn clip_text(text: &str, limit: usize) -> String {
    if text.chars().count() <= limit {
        text.to_string()
    } else {
        let mut out: String = text.chars().take(limit).collect();
        out.push('…');
        out
    }
}

fn push_block(entries: &mut Vec<(String, Val)>, name: &str, item: Val) {
    match entries.iter_mut().find(|(k, _)| k == name) {
        Some((_, Val::List(items))) => items.push(item),
        _ => entries.push((name.to_string(), Val::List(vec![item]))),
    }
}

fn label_text(label: &BlockLabel) -> String {
    match label {
        BlockLabel::Ident(ident) => ident.to_string(),
        BlockLabel::String(text) => text.value().to_string(),
    }
}

fn attribute<'b>(body: &'b Body, name: &str) -> Option<&'b Expression> {
    body.iter()
        .filter_map(Structure::as_attribute)
        .find(|a| a.key.as_str() == name)
        .map(|a| &a.value)
}

/// An expression as written, trimmed (a provider reference, a module's
/// input in the report).
fn expression_text(expr: &Expression) -> String {
    use hcl::edit::Decorate;
    let mut expr = expr.clone();
    expr.decor_mut().clear();
    expr.to_string().trim().to_string()
}

fn type_of(block: &Block) -> Option<String> {
    attribute(&block.body, "type").map(expression_text)
}

fn index_into(value: &Val, key: &Val) -> Val {
    match (value, key) {
        (Val::List(items), key) => match num(key) {
            Some(i) if i >= 0.0 && (i as usize) < items.len() => items[i as usize].clone(),
            Some(i) => Val::Unknown(format!(
                "index {i} is past the end of a list of {}",
                items.len()
            )),
            None => {
                first_unknown([key]).unwrap_or(Val::Unknown("an index that is not a number".into()))
            }
        },
        (Val::Map(entries), key) => match as_text(key) {
            Some(k) => entries
                .iter()
                .find(|(name, _)| *name == k)
                .map(|(_, v)| v.clone())
                .unwrap_or(Val::Unknown(format!("no key {k:?} in a map"))),
            None => first_unknown([key]).unwrap_or(Val::Unknown("a key that is not known".into())),
        },
        (Val::Attr(id, attribute), key) => Val::Attr(
            id.clone(),
            format!("{attribute}[{}]", as_text(key).unwrap_or_default()),
        ),
        (other, _) => first_unknown([other]).unwrap_or(Val::Unknown(
            "an index into what is not a collection".into(),
        )),
    }
}

fn binary(operator: BinaryOperator, left: &Val, right: &Val) -> Val {
    use BinaryOperator as B;
    match operator {
        B::Eq | B::NotEq => {
            if let Some(unknown) = first_unknown([left, right]) {
                return unknown;
            }
            let equal = match (num(left), num(right)) {
                (Some(a), Some(b)) => a == b,
                _ => left == right,
            };
            Val::Bool(if operator == B::Eq { equal } else { !equal })
        }
        B::And | B::Or => match (truthy(left), truthy(right)) {
            (Some(a), Some(b)) => Val::Bool(if operator == B::And { a && b } else { a || b }),
            (Some(false), None) if operator == B::And => Val::Bool(false),
            (Some(true), None) if operator == B::Or => Val::Bool(true),
            _ => first_unknown([left, right]).unwrap_or(Val::Unknown(
                "a logical operand is not true or false".into(),
            )),
        },
        _ => {
            let (Some(a), Some(b)) = (num(left), num(right)) else {
                return first_unknown([left, right])
                    .unwrap_or(Val::Unknown("arithmetic on what is not a number".into()));
            };
            match operator {
                B::Plus => Val::Str(number_text(a + b)),
                B::Minus => Val::Str(number_text(a - b)),
                B::Mul => Val::Str(number_text(a * b)),
                B::Div if b != 0.0 => Val::Str(number_text(a / b)),
                B::Mod if b != 0.0 => Val::Str(number_text(a % b)),
                B::Div | B::Mod => Val::Unknown("a division by zero".into()),
                B::Less => Val::Bool(a < b),
                B::LessEq => Val::Bool(a <= b),
                B::Greater => Val::Bool(a > b),
                B::GreaterEq => Val::Bool(a >= b),
                _ => Val::Unknown("an operator not evaluated".into()),
            }
        }
    }
}

impl<'a> Module<'a> {
    /// The built-in functions real modules call; the rest are explicit
    /// unknowns naming the function.
    fn function(&mut self, at: usize, whole: &Expression, name: &str, args: Vec<Val>) -> Eval {
        let fail = |module: &Module, message: String| module.fail::<Val>(at, whole.span(), message);
        // Unknown arguments make an unknown result, except for functions
        // that pass values through (they keep references).
        let passes_through = matches!(
            name,
            "concat"
                | "element"
                | "lookup"
                | "merge"
                | "flatten"
                | "compact"
                | "coalesce"
                | "coalescelist"
                | "tolist"
                | "toset"
                | "tomap"
                | "distinct"
                | "one"
                | "values"
                | "zipmap"
                | "jsonencode"
                | "slice"
                | "reverse"
                | "length"
                | "keys"
                | "try"
                | "sort"
                | "tostring"
        );
        if !passes_through {
            if let Some(unknown) = first_unknown(&args) {
                return Ok(unknown);
            }
        }
        let text = |i: usize| args.get(i).and_then(as_text);
        let number = |i: usize| args.get(i).and_then(num);
        let list = |i: usize| match args.get(i) {
            Some(Val::List(items)) => Some(items.clone()),
            _ => None,
        };
        let strings = |items: &[Val]| items.iter().map(as_text).collect::<Option<Vec<String>>>();
        Ok(match name {
            "cidrsubnet" => {
                let (Some(prefix), Some(newbits), Some(netnum)) = (text(0), number(1), number(2))
                else {
                    return fail(
                        self,
                        "cidrsubnet takes a block, new bits and a number".into(),
                    );
                };
                let Ok(net) = prefix.parse::<ipnet::Ipv4Net>() else {
                    return fail(self, format!("cidrsubnet: {prefix:?} is not an IPv4 block"));
                };
                let length = u32::from(net.prefix_len()) + newbits as u32;
                if length > 32 || netnum < 0.0 || netnum >= 2f64.powi(newbits as i32) {
                    return fail(self, format!("cidrsubnet cannot cut network {netnum} of {newbits} more bits from {prefix}"));
                }
                let base = u32::from(net.network());
                let address = base | ((netnum as u32).checked_shl(32 - length).unwrap_or(0));
                Val::Str(format!("{}/{length}", std::net::Ipv4Addr::from(address)))
            }
            "cidrhost" => {
                let (Some(prefix), Some(host)) = (text(0), number(1)) else {
                    return fail(self, "cidrhost takes a block and a host number".into());
                };
                let Ok(net) = prefix.parse::<ipnet::Ipv4Net>() else {
                    return fail(self, format!("cidrhost: {prefix:?} is not an IPv4 block"));
                };
                let size = 2f64.powi(32 - i32::from(net.prefix_len()));
                let host = if host < 0.0 { size + host } else { host };
                if host < 0.0 || host >= size {
                    return fail(self, format!("cidrhost: host {host} is outside {prefix}"));
                }
                Val::Str(
                    std::net::Ipv4Addr::from(u32::from(net.network()) + host as u32).to_string(),
                )
            }
            "cidrnetmask" => match text(0).and_then(|p| p.parse::<ipnet::Ipv4Net>().ok()) {
                Some(net) => Val::Str(net.netmask().to_string()),
                None => return fail(self, "cidrnetmask takes an IPv4 block".into()),
            },
            "element" => match (list(0), number(1)) {
                (Some(items), Some(i)) if !items.is_empty() => {
                    items[(i.max(0.0) as usize) % items.len()].clone()
                }
                (Some(_), Some(_)) => return fail(self, "element of an empty list".into()),
                _ => unknown_of(&args, "element"),
            },
            "concat" => {
                let mut out = Vec::new();
                for arg in &args {
                    match arg {
                        Val::List(items) => out.extend(items.iter().cloned()),
                        Val::Null => {}
                        other => {
                            return Ok(first_unknown([other])
                                .unwrap_or(Val::Unknown("concat of what is not a list".into())))
                        }
                    }
                }
                Val::List(out)
            }
            "lookup" => match (args.first(), text(1)) {
                (Some(Val::Map(entries)), Some(key)) => entries
                    .iter()
                    .find(|(k, _)| *k == key)
                    .map(|(_, v)| v.clone())
                    .or_else(|| args.get(2).cloned())
                    .unwrap_or(Val::Unknown(format!(
                        "lookup: no key {key:?} and no default"
                    ))),
                _ => unknown_of(&args, "lookup"),
            },
            "merge" => {
                let mut out: Vec<(String, Val)> = Vec::new();
                for arg in &args {
                    match arg {
                        Val::Map(entries) => {
                            for (k, v) in entries {
                                out.retain(|(key, _)| key != k);
                                out.push((k.clone(), v.clone()));
                            }
                        }
                        Val::Null => {}
                        other => {
                            return Ok(first_unknown([other])
                                .unwrap_or(Val::Unknown("merge of what is not a map".into())))
                        }
                    }
                }
                Val::Map(out)
            }
            "format" => {
                let Some(spec) = text(0) else {
                    return Ok(unknown_of(&args, "format"));
                };
                match format_text(&spec, &args[1..]) {
                    Some(done) => Val::Str(done),
                    None => first_unknown(&args[1..]).unwrap_or(Val::Unknown(format!(
                        "format {spec:?} is not evaluated at import"
                    ))),
                }
            }
            "formatlist" => {
                let Some(spec) = text(0) else {
                    return Ok(unknown_of(&args, "formatlist"));
                };
                let n = args[1..]
                    .iter()
                    .filter_map(|a| match a {
                        Val::List(i) => Some(i.len()),
                        _ => None,
                    })
                    .max()
                    .unwrap_or(0);
                let mut out = Vec::new();
                for i in 0..n {
                    let row: Vec<Val> = args[1..]
                        .iter()
                        .map(|a| match a {
                            Val::List(items) => items.get(i).cloned().unwrap_or(Val::Null),
                            other => other.clone(),
                        })
                        .collect();
                    match format_text(&spec, &row) {
                        Some(done) => out.push(Val::Str(done)),
                        None => return Ok(Val::Unknown("formatlist of values not known".into())),
                    }
                }
                Val::List(out)
            }
            "jsonencode" => match args.first().and_then(json_of) {
                Some(json) => Val::Str(json.to_string()),
                // With references inside, the structure itself (the task
                // definitions' containers read it).
                None => args.first().cloned().unwrap_or(Val::Null),
            },
            // Another resource's attribute (a secret version's value) is
            // decoded at apply time: the reference stands for it.
            "jsondecode" if matches!(args.first(), Some(Val::Attr(..))) => {
                args.first().cloned().unwrap_or(Val::Null)
            }
            "jsondecode" => {
                match text(0).and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok()) {
                    Some(json) => from_json(&json),
                    None => return fail(self, "jsondecode of text that is not JSON".into()),
                }
            }
            "length" => match args.first() {
                Some(Val::List(items)) => Val::Str(items.len().to_string()),
                Some(Val::Map(entries)) => Val::Str(entries.len().to_string()),
                Some(Val::Str(text)) => Val::Str(text.chars().count().to_string()),
                other => other
                    .and_then(|o| first_unknown([o]))
                    .unwrap_or(Val::Unknown("length of what has none".into())),
            },
            "join" => match (text(0), list(1).as_deref().and_then(strings)) {
                (Some(sep), Some(parts)) => Val::Str(parts.join(&sep)),
                _ => unknown_of(&args, "join"),
            },
            "split" => match (text(0), text(1)) {
                (Some(sep), Some(whole)) => Val::List(
                    whole
                        .split(sep.as_str())
                        .map(|s| Val::Str(s.to_string()))
                        .collect(),
                ),
                _ => unknown_of(&args, "split"),
            },
            "replace" => match (text(0), text(1), text(2)) {
                (Some(whole), Some(from), Some(to))
                    if !(from.starts_with('/') && from.ends_with('/') && from.len() > 1) =>
                {
                    Val::Str(whole.replace(&from, &to))
                }
                _ => Val::Unknown(
                    "replace with a regular expression is not evaluated at import".into(),
                ),
            },
            "lower" => text(0)
                .map(|t| Val::Str(t.to_lowercase()))
                .unwrap_or_else(|| unknown_of(&args, "lower")),
            "upper" => text(0)
                .map(|t| Val::Str(t.to_uppercase()))
                .unwrap_or_else(|| unknown_of(&args, "upper")),
            "title" => text(0)
                .map(|t| {
                    Val::Str(
                        t.split(' ')
                            .map(|w| {
                                let mut c = w.chars();
                                c.next()
                                    .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
                                    .unwrap_or_default()
                            })
                            .collect::<Vec<_>>()
                            .join(" "),
                    )
                })
                .unwrap_or_else(|| unknown_of(&args, "title")),
            "trimspace" => text(0)
                .map(|t| Val::Str(t.trim().to_string()))
                .unwrap_or_else(|| unknown_of(&args, "trimspace")),
            "trimprefix" => match (text(0), text(1)) {
                (Some(t), Some(p)) => {
                    Val::Str(t.strip_prefix(p.as_str()).unwrap_or(&t).to_string())
                }
                _ => unknown_of(&args, "trimprefix"),
            },
            "trimsuffix" => match (text(0), text(1)) {
                (Some(t), Some(s)) => {
                    Val::Str(t.strip_suffix(s.as_str()).unwrap_or(&t).to_string())
                }
                _ => unknown_of(&args, "trimsuffix"),
            },
            "trim" => match (text(0), text(1)) {
                (Some(t), Some(cut)) => Val::Str(t.trim_matches(|c| cut.contains(c)).to_string()),
                _ => unknown_of(&args, "trim"),
            },
            "startswith" => match (text(0), text(1)) {
                (Some(t), Some(p)) => Val::Bool(t.starts_with(&p)),
                _ => unknown_of(&args, "startswith"),
            },
            "endswith" => match (text(0), text(1)) {
                (Some(t), Some(p)) => Val::Bool(t.ends_with(&p)),
                _ => unknown_of(&args, "endswith"),
            },
            "substr" => match (text(0), number(1), number(2)) {
                (Some(t), Some(offset), Some(length)) => {
                    let chars: Vec<char> = t.chars().collect();
                    let start = (offset.max(0.0) as usize).min(chars.len());
                    let end = if length < 0.0 {
                        chars.len()
                    } else {
                        (start + length as usize).min(chars.len())
                    };
                    Val::Str(chars[start..end].iter().collect())
                }
                _ => unknown_of(&args, "substr"),
            },
            "tostring" => match args.first() {
                Some(Val::Str(t)) => Val::Str(t.clone()),
                Some(Val::Bool(b)) => Val::Str(b.to_string()),
                Some(other) => other.clone(),
                None => Val::Null,
            },
            "tonumber" => match number(0) {
                Some(n) => Val::Str(number_text(n)),
                None => return fail(self, "tonumber of what is not a number".into()),
            },
            "tobool" => match args.first().and_then(truthy) {
                Some(b) => Val::Bool(b),
                None => return fail(self, "tobool of what is not true or false".into()),
            },
            "tolist" | "toset" => match args.first() {
                Some(Val::List(items)) if name == "toset" => {
                    let mut out: Vec<Val> = Vec::new();
                    for item in items {
                        if !out.contains(item) {
                            out.push(item.clone());
                        }
                    }
                    // Terraform's sets of strings iterate in order.
                    if out.iter().all(|v| matches!(v, Val::Str(_))) {
                        out.sort_by_key(as_text);
                    }
                    Val::List(out)
                }
                Some(other) => other.clone(),
                None => Val::List(Vec::new()),
            },
            "tomap" => args.first().cloned().unwrap_or(Val::Map(Vec::new())),
            "keys" => match args.first() {
                Some(Val::Map(entries)) => {
                    let mut keys: Vec<String> = entries.iter().map(|(k, _)| k.clone()).collect();
                    keys.sort();
                    Val::List(keys.into_iter().map(Val::Str).collect())
                }
                _ => unknown_of(&args, "keys"),
            },
            "values" => match args.first() {
                Some(Val::Map(entries)) => {
                    let mut sorted = entries.clone();
                    sorted.sort_by(|a, b| a.0.cmp(&b.0));
                    Val::List(sorted.into_iter().map(|(_, v)| v).collect())
                }
                _ => unknown_of(&args, "values"),
            },
            "zipmap" => match (list(0).as_deref().and_then(strings), list(1)) {
                (Some(keys), Some(values)) if keys.len() == values.len() => {
                    Val::Map(keys.into_iter().zip(values).collect())
                }
                _ => unknown_of(&args, "zipmap"),
            },
            "flatten" => {
                fn flat(value: &Val, out: &mut Vec<Val>) {
                    match value {
                        Val::List(items) => items.iter().for_each(|i| flat(i, out)),
                        other => out.push(other.clone()),
                    }
                }
                let mut out = Vec::new();
                match args.first() {
                    Some(v @ Val::List(_)) => flat(v, &mut out),
                    _ => return Ok(unknown_of(&args, "flatten")),
                }
                Val::List(out)
            }
            "distinct" => match args.first() {
                Some(Val::List(items)) => {
                    let mut out: Vec<Val> = Vec::new();
                    for item in items {
                        if !out.contains(item) {
                            out.push(item.clone());
                        }
                    }
                    Val::List(out)
                }
                _ => unknown_of(&args, "distinct"),
            },
            "compact" => match args.first() {
                Some(Val::List(items)) => Val::List(
                    items
                        .iter()
                        .filter(|i| !matches!(i, Val::Null) && as_text(i).as_deref() != Some(""))
                        .cloned()
                        .collect(),
                ),
                _ => unknown_of(&args, "compact"),
            },
            "coalesce" => args
                .iter()
                .find(|a| !matches!(a, Val::Null) && as_text(a).as_deref() != Some(""))
                .cloned()
                .unwrap_or(Val::Null),
            "coalescelist" => args
                .iter()
                .find(|a| matches!(a, Val::List(items) if !items.is_empty()))
                .cloned()
                .unwrap_or(Val::List(Vec::new())),
            "contains" => match (list(0), args.get(1)) {
                (Some(items), Some(value)) => Val::Bool(items.contains(value)),
                _ => unknown_of(&args, "contains"),
            },
            "index" => match (list(0), args.get(1)) {
                (Some(items), Some(value)) => match items.iter().position(|i| i == value) {
                    Some(i) => Val::Str(i.to_string()),
                    None => return fail(self, "index: the value is not in the list".into()),
                },
                _ => unknown_of(&args, "index"),
            },
            "slice" => match (list(0), number(1), number(2)) {
                (Some(items), Some(from), Some(to))
                    if from >= 0.0 && to >= from && (to as usize) <= items.len() =>
                {
                    Val::List(items[from as usize..to as usize].to_vec())
                }
                (Some(_), Some(_), Some(_)) => {
                    return fail(self, "slice: the range is outside the list".into())
                }
                _ => unknown_of(&args, "slice"),
            },
            "reverse" => match list(0) {
                Some(mut items) => {
                    items.reverse();
                    Val::List(items)
                }
                None => unknown_of(&args, "reverse"),
            },
            "sort" => match list(0).as_deref().and_then(strings) {
                Some(mut items) => {
                    items.sort();
                    Val::List(items.into_iter().map(Val::Str).collect())
                }
                None => unknown_of(&args, "sort"),
            },
            "one" => match list(0) {
                Some(items) if items.is_empty() => Val::Null,
                Some(items) if items.len() == 1 => items[0].clone(),
                Some(_) => return fail(self, "one: the list has more than one element".into()),
                None => unknown_of(&args, "one"),
            },
            "range" => {
                let numbers: Option<Vec<f64>> = (0..args.len()).map(number).collect();
                let Some(numbers) = numbers else {
                    return Ok(unknown_of(&args, "range"));
                };
                let (start, end, step) = match numbers.as_slice() {
                    [end] => (0.0, *end, 1.0),
                    [start, end] => (*start, *end, if end >= start { 1.0 } else { -1.0 }),
                    [start, end, step] => (*start, *end, *step),
                    _ => return fail(self, "range takes one to three numbers".into()),
                };
                if step == 0.0 {
                    return fail(self, "range with a step of zero".into());
                }
                let mut out = Vec::new();
                let mut at_value = start;
                while (step > 0.0 && at_value < end) || (step < 0.0 && at_value > end) {
                    if out.len() >= MAX_INSTANCES {
                        return fail(self, format!("range of more than {MAX_INSTANCES} numbers"));
                    }
                    out.push(Val::Str(number_text(at_value)));
                    at_value += step;
                }
                Val::List(out)
            }
            "min" | "max" | "sum" => {
                let values: Option<Vec<f64>> = if name == "sum" {
                    list(0).and_then(|items| items.iter().map(num).collect())
                } else {
                    (0..args.len()).map(number).collect()
                };
                match values {
                    Some(v) if !v.is_empty() => Val::Str(number_text(match name {
                        "min" => v.iter().cloned().fold(f64::INFINITY, f64::min),
                        "max" => v.iter().cloned().fold(f64::NEG_INFINITY, f64::max),
                        _ => v.iter().sum(),
                    })),
                    _ => unknown_of(&args, name),
                }
            }
            "abs" | "ceil" | "floor" | "signum" => match number(0) {
                Some(n) => Val::Str(number_text(match name {
                    "abs" => n.abs(),
                    "ceil" => n.ceil(),
                    "floor" => n.floor(),
                    _ => n.signum(),
                })),
                None => unknown_of(&args, name),
            },
            "pow" => match (number(0), number(1)) {
                (Some(a), Some(b)) => Val::Str(number_text(a.powf(b))),
                _ => unknown_of(&args, name),
            },
            "chunklist" => match (list(0), number(1)) {
                (Some(items), Some(size)) if size >= 1.0 => Val::List(
                    items
                        .chunks(size as usize)
                        .map(|c| Val::List(c.to_vec()))
                        .collect(),
                ),
                _ => unknown_of(&args, name),
            },
            "basename" => match text(0) {
                Some(t) => Val::Str(
                    t.trim_end_matches('/')
                        .rsplit('/')
                        .next()
                        .unwrap_or("")
                        .to_string(),
                ),
                None => unknown_of(&args, name),
            },
            "dirname" => match text(0) {
                Some(t) => Val::Str(folder(&t).to_string()),
                None => unknown_of(&args, name),
            },
            "base64encode" => match text(0) {
                Some(t) => Val::Str(base64(t.as_bytes())),
                None => unknown_of(&args, name),
            },
            "file" | "templatefile" | "fileexists" => {
                let path = text(0).unwrap_or_default();
                let found = self.files.iter().find(|f| {
                    f.path == joined("", &path)
                        || f.path
                            .ends_with(&format!("/{}", path.trim_start_matches("./")))
                });
                match (name, found) {
                    ("fileexists", found) => Val::Bool(found.is_some()),
                    ("file", Some(f)) => Val::Str(f.text.clone()),
                    _ => Val::Unknown(format!(
                        "{name}({path:?}) reads a file that is not among those given"
                    )),
                }
            }
            "regex" | "regexall" => {
                let (Some(pattern), Some(subject)) = (text(0), text(1)) else {
                    return Ok(unknown_of(&args, name));
                };
                match find_all(&pattern, &subject) {
                    None => Val::Unknown(format!(
                        "the function {name} with the pattern {pattern:?} is not evaluated at import"
                    )),
                    Some(found) if name == "regexall" => {
                        Val::List(found.into_iter().map(Val::Str).collect())
                    }
                    Some(found) => match found.into_iter().next() {
                        Some(first) => Val::Str(first),
                        None => return fail(self, format!("regex: {pattern:?} does not match")),
                    },
                }
            }
            "timestamp" | "uuid" | "bcrypt" | "timeadd" | "plantimestamp" => {
                Val::Unknown(format!("{name} changes with every plan"))
            }
            _ => Val::Unknown(format!("the function {name} is not evaluated at import")),
        })
    }
}

/// One element of a pattern: what it matches, and how many times.
struct Piece {
    /// Inclusive ranges of characters, or any character.
    ranges: Option<Vec<(char, char)>>,
    negated: bool,
    min: usize,
    max: usize,
}

impl Piece {
    fn accepts(&self, c: char) -> bool {
        match &self.ranges {
            None => c != '\n',
            Some(ranges) => ranges.iter().any(|(a, b)| (*a..=*b).contains(&c)) != self.negated,
        }
    }
}

/// The small part of RE2 (Terraform's regular expressions) that modules use
/// to tell values apart (`^[a-z]{2}-`, `^arn:`, `\\.json$`): anchors,
/// literals, `.`, classes with ranges, `\\d` `\\w` `\\s`, and the
/// quantifiers `?` `*` `+` `{n}` `{n,m}`. Groups and alternation are not
/// read: `None`, and the caller says so.
fn compile(pattern: &str) -> Option<(bool, Vec<Piece>, bool)> {
    let mut chars = pattern.chars().peekable();
    let start = chars.peek() == Some(&'^');
    if start {
        chars.next();
    }
    let mut pieces: Vec<Piece> = Vec::new();
    let mut end = false;
    let class = |c: char| -> Option<Vec<(char, char)>> {
        Some(match c {
            'd' => vec![('0', '9')],
            'w' => vec![('a', 'z'), ('A', 'Z'), ('0', '9'), ('_', '_')],
            's' => vec![(' ', ' '), ('\t', '\t'), ('\n', '\n'), ('\r', '\r')],
            _ => return None,
        })
    };
    while let Some(c) = chars.next() {
        let (ranges, negated) = match c {
            '$' if chars.peek().is_none() => {
                end = true;
                break;
            }
            '.' => (None, false),
            '\\' => {
                let escaped = chars.next()?;
                match class(escaped) {
                    Some(ranges) => (Some(ranges), false),
                    None if escaped.is_ascii_alphanumeric() => return None,
                    None => (Some(vec![(escaped, escaped)]), false),
                }
            }
            '[' => {
                let negated = chars.peek() == Some(&'^');
                if negated {
                    chars.next();
                }
                let mut ranges = Vec::new();
                loop {
                    let first = chars.next()?;
                    if first == ']' && !ranges.is_empty() {
                        break;
                    }
                    let first = if first == '\\' {
                        let escaped = chars.next()?;
                        if let Some(more) = class(escaped) {
                            ranges.extend(more);
                            continue;
                        }
                        escaped
                    } else {
                        first
                    };
                    if chars.peek() == Some(&'-') {
                        chars.next();
                        match chars.next()? {
                            ']' => {
                                ranges.push((first, first));
                                ranges.push(('-', '-'));
                                break;
                            }
                            last => ranges.push((first, last)),
                        }
                    } else {
                        ranges.push((first, first));
                    }
                }
                (Some(ranges), negated)
            }
            '(' | ')' | '|' | '*' | '+' | '?' | '{' => return None,
            literal => (Some(vec![(literal, literal)]), false),
        };
        let (min, max) = match chars.peek() {
            Some('?') => (0, 1),
            Some('*') => (0, usize::MAX),
            Some('+') => (1, usize::MAX),
            Some('{') => {
                chars.next();
                let spec: String = chars.by_ref().take_while(|c| *c != '}').collect();
                let (low, high) = match spec.split_once(',') {
                    Some((low, "")) => (low.parse().ok()?, usize::MAX),
                    Some((low, high)) => (low.parse().ok()?, high.parse().ok()?),
                    None => (spec.parse().ok()?, spec.parse().ok()?),
                };
                pieces.push(Piece {
                    ranges,
                    negated,
                    min: low,
                    max: high,
                });
                continue;
            }
            _ => (1, 1),
        };
        if (min, max) != (1, 1) {
            chars.next();
        }
        pieces.push(Piece {
            ranges,
            negated,
            min,
            max,
        });
    }
    Some((start, pieces, end))
}

/// Where a match of `pieces` starting at `at` ends (backtracking).
fn match_at(pieces: &[Piece], text: &[char], at: usize, end: bool) -> Option<usize> {
    let Some((piece, rest)) = pieces.split_first() else {
        return (!end || at == text.len()).then_some(at);
    };
    let mut most = 0;
    while most < piece.max && at + most < text.len() && piece.accepts(text[at + most]) {
        most += 1;
    }
    (piece.min..=most)
        .rev()
        .find_map(|count| match_at(rest, text, at + count, end))
}

/// Every match of a pattern in a text, left to right; `None` when the
/// pattern uses what [`compile`] does not read.
fn find_all(pattern: &str, text: &str) -> Option<Vec<String>> {
    let (start, pieces, end) = compile(pattern)?;
    let chars: Vec<char> = text.chars().collect();
    let mut found = Vec::new();
    let mut at = 0;
    while at <= chars.len() {
        match match_at(&pieces, &chars, at, end) {
            Some(stop) => {
                found.push(chars[at..stop].iter().collect());
                at = if stop > at { stop } else { at + 1 };
            }
            None => at += 1,
        }
        if start {
            break;
        }
    }
    Some(found)
}

/// A collection as `for` expressions, template `for` directives and
/// `dynamic` blocks walk it: (index, item) of a list, (key, value) of a
/// map, nothing of null; `None` for what is not a collection.
fn key_value_pairs(collection: &Val) -> Option<Vec<(Val, Val)>> {
    Some(match collection {
        Val::List(items) => items
            .iter()
            .enumerate()
            .map(|(i, v)| (Val::Str(i.to_string()), v.clone()))
            .collect(),
        Val::Map(entries) => entries
            .iter()
            .map(|(k, v)| (Val::Str(k.clone()), v.clone()))
            .collect(),
        Val::Null => Vec::new(),
        _ => return None,
    })
}

fn unknown_of(args: &[Val], name: &str) -> Val {
    first_unknown(args).unwrap_or(Val::Unknown(format!("{name} of values it does not take")))
}

/// `format`'s verbs: `%s`, `%d`, `%v`, `%q`, `%%` (with widths ignored).
fn format_text(spec: &str, args: &[Val]) -> Option<String> {
    let mut out = String::new();
    let mut chars = spec.chars().peekable();
    let mut next = args.iter();
    while let Some(c) = chars.next() {
        if c != '%' {
            out.push(c);
            continue;
        }
        // Flags and width.
        let mut verb = chars.next()?;
        while verb.is_ascii_digit() || matches!(verb, '-' | '+' | '#' | ' ' | '.') {
            verb = chars.next()?;
        }
        match verb {
            '%' => out.push('%'),
            's' | 'v' | 'd' | 'f' | 'g' => out.push_str(&as_text(next.next()?)?),
            'q' => out.push_str(&format!("{:?}", as_text(next.next()?)?)),
            _ => return None,
        }
    }
    Some(out)
}

fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | u32::from(*b) << (16 - 8 * i));
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[(n >> (18 - 6 * i) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Module folders `terraform init` downloaded, from its
/// `.terraform/modules/modules.json`: module key to folder.
fn downloaded_modules(files: &[Parsed], root: &str) -> BTreeMap<String, String> {
    let Some(manifest) = files
        .iter()
        .find(|f| f.path.ends_with(".terraform/modules/modules.json"))
    else {
        return BTreeMap::new();
    };
    let Ok(json) = serde_json::from_str::<serde_json::Value>(&manifest.text) else {
        return BTreeMap::new();
    };
    json.get("Modules")
        .and_then(|m| m.as_array())
        .map(|modules| {
            modules
                .iter()
                .filter_map(|m| {
                    let key = m.get("Key")?.as_str()?;
                    let dir = m.get("Dir")?.as_str()?;
                    (!key.is_empty()).then(|| (key.to_string(), joined(root, dir)))
                })
                .collect()
        })
        .unwrap_or_default()
}

/// A root module's files (`.tf` files of one folder, with the folders of
/// the modules it calls and `.terraform/modules/modules.json`) evaluated.
pub fn evaluate(
    files: &[SourceFile],
    variables: &BTreeMap<String, String>,
    region: Option<&str>,
    root: Option<&str>,
) -> Result<Evaluated, TfError> {
    let mut parsed = Vec::new();
    for file in files {
        let body = if file.path.ends_with(".json") {
            Body::default()
        } else {
            parse(file)?
        };
        parsed.push(Parsed {
            breaks: file
                .text
                .bytes()
                .enumerate()
                .filter(|(_, b)| *b == b'\n')
                .map(|(at, _)| at)
                .collect(),
            path: joined("", &file.path.replace('\\', "/")),
            text: file.text.clone(),
            body,
        });
    }
    // The root is the folder given, else the shallowest holding a `.tf`
    // file.
    let root = match root {
        Some(root) => joined("", &root.replace('\\', "/")),
        None => parsed
            .iter()
            .filter(|f| f.path.ends_with(".tf"))
            .map(|f| folder(&f.path).to_string())
            .min_by_key(|dir| (dir.matches('/').count(), dir.len()))
            .unwrap_or_default(),
    };
    let own: Vec<usize> = (0..parsed.len())
        .filter(|&i| parsed[i].path.ends_with(".tf") && folder(&parsed[i].path) == root)
        .collect();
    let downloaded = downloaded_modules(&parsed, &root);
    // The provider's region, when the module sets one literally or by a
    // variable's default.
    let mut module = Module::new(
        &parsed,
        own,
        String::new(),
        root.clone(),
        region.unwrap_or("us-east-1").to_string(),
        String::new(),
        0,
        &downloaded,
    );
    let given: BTreeMap<String, Val> = variables
        .iter()
        .map(|(k, v)| (k.clone(), Val::Str(v.clone())))
        .collect();
    module.declare_variables(&given)?;
    if region.is_none() {
        if let Some(found) = provider_region(&mut module)? {
            module.region = found;
        }
    }
    let mut out = Evaluated {
        region: module.region.clone(),
        root: root.clone(),
        aliases: provider_aliases(&parsed),
        missing_variables: module.missing.clone(),
        ..Evaluated::default()
    };
    module.collect(&mut out)?;
    out.placeholders.extend(module.placeholders);
    Ok(out)
}

/// The region of the default `aws` provider block, if it is known.
fn provider_region(module: &mut Module) -> Result<Option<String>, TfError> {
    let files = module.files;
    for &at in &module.own.clone() {
        for structure in files[at].body.iter() {
            let Some(block) = structure.as_block() else {
                continue;
            };
            if block.ident.as_str() != "provider"
                || block.labels.first().map(label_text).as_deref() != Some("aws")
            {
                continue;
            }
            if attribute(&block.body, "alias").is_some() {
                continue;
            }
            if let Some(region) = attribute(&block.body, "region") {
                if let Val::Str(region) = module.eval(at, region, &Scope::default(), 0)? {
                    return Ok(Some(region));
                }
            }
        }
    }
    Ok(None)
}

/// The regions of the `aws` provider's aliases (`aws.us_east_1`).
fn provider_aliases(files: &[Parsed]) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for file in files.iter().filter(|f| f.path.ends_with(".tf")) {
        for block in file.body.iter().filter_map(Structure::as_block) {
            if block.ident.as_str() != "provider" {
                continue;
            }
            let (Some(alias), Some(region)) = (
                attribute(&block.body, "alias").and_then(|a| a.as_str().map(str::to_string)),
                attribute(&block.body, "region").and_then(|r| r.as_str().map(str::to_string)),
            ) else {
                continue;
            };
            out.insert(format!("aws.{alias}"), region);
        }
    }
    out
}

/// The folders of the local modules a file calls (`source = "../x"`),
/// relative to the file's own folder: what a reader with a disk reads too.
pub fn local_sources(file: &SourceFile) -> Vec<String> {
    let Ok(body) = parse(file) else {
        return Vec::new();
    };
    let here = folder(&file.path.replace('\\', "/")).to_string();
    body.iter()
        .filter_map(Structure::as_block)
        .filter(|b| b.ident.as_str() == "module")
        .filter_map(|b| attribute(&b.body, "source")?.as_str().map(str::to_string))
        .filter(|source| source.starts_with("./") || source.starts_with("../"))
        .map(|source| {
            if here.is_empty() {
                source
            } else {
                format!("{here}/{source}")
            }
        })
        .collect()
}
