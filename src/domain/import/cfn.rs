//! A CloudFormation template evaluated as CloudFormation would before it
//! creates anything: parameters (given, or their defaults), mappings,
//! conditions, pseudo parameters and every intrinsic function, in their
//! short (`!Ref`) and long (`Ref:`) forms. What cannot be known before a
//! deploy (an attribute of a resource, a parameter without a value) stays a
//! reference or an explicit unknown that says why, never a guess.
//! Function semantics: AWS's "Intrinsic function reference"
//! (docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/intrinsic-function-reference.html).

use super::tree::{Node, Value};
use std::collections::BTreeMap;

/// A value after evaluation.
#[derive(Clone, Debug, PartialEq)]
pub enum Val {
    Null,
    Bool(bool),
    /// Text, numbers included (CloudFormation passes them as text).
    Str(String),
    List(Vec<Val>),
    Map(Vec<(String, Val)>),
    /// `Ref` to a resource of the template: its logical id.
    Ref(String),
    /// `Fn::GetAtt` of a resource: its logical id and the attribute.
    Attr(String, String),
    /// Not known before a deploy, and why.
    Unknown(String),
    /// Text that `Fn::Sub` builds from resources (their ids) and what is not
    /// known before a deploy: an image address with its repository, say.
    Built {
        refers: Vec<String>,
        why: String,
    },
}

impl Val {
    /// The same value with every logical id it names passed through
    /// `rename` (templates imported together share one set of ids).
    pub fn renamed(&self, rename: &dyn Fn(&str) -> String) -> Val {
        match self {
            Val::List(items) => Val::List(items.iter().map(|v| v.renamed(rename)).collect()),
            Val::Map(entries) => Val::Map(
                entries
                    .iter()
                    .map(|(k, v)| (k.clone(), v.renamed(rename)))
                    .collect(),
            ),
            Val::Ref(id) => Val::Ref(rename(id)),
            Val::Attr(id, attribute) => Val::Attr(rename(id), attribute.clone()),
            Val::Built { refers, why } => Val::Built {
                refers: refers.iter().map(|id| rename(id)).collect(),
                why: why.clone(),
            },
            other => other.clone(),
        }
    }

    /// The same value with each nested stack's `Outputs.X` attribute
    /// replaced by what its template outputs.
    pub fn with_outputs(&self, outputs: &BTreeMap<String, BTreeMap<String, Val>>) -> Val {
        match self {
            Val::List(items) => Val::List(items.iter().map(|v| v.with_outputs(outputs)).collect()),
            Val::Map(entries) => Val::Map(
                entries
                    .iter()
                    .map(|(k, v)| (k.clone(), v.with_outputs(outputs)))
                    .collect(),
            ),
            Val::Attr(id, attribute) => attribute
                .strip_prefix("Outputs.")
                .and_then(|name| outputs.get(id)?.get(name))
                .cloned()
                .unwrap_or_else(|| self.clone()),
            other => other.clone(),
        }
    }

    pub fn get(&self, key: &str) -> Option<&Val> {
        match self {
            Val::Map(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Val::Str(text) => Some(text),
            _ => None,
        }
    }

    pub fn items(&self) -> &[Val] {
        match self {
            Val::List(items) => items,
            _ => &[],
        }
    }

    /// The logical id a `Ref` or `GetAtt` names.
    pub fn target(&self) -> Option<&str> {
        match self {
            Val::Ref(id) | Val::Attr(id, _) => Some(id),
            _ => None,
        }
    }

    /// A yes/no property as CloudFormation accepts it (`true`, `"true"`).
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Val::Bool(value) => Some(*value),
            Val::Str(text) if text.eq_ignore_ascii_case("true") => Some(true),
            Val::Str(text) if text.eq_ignore_ascii_case("false") => Some(false),
            _ => None,
        }
    }
}

/// What evaluating a template needs from outside it.
#[derive(Clone, Debug, Default)]
pub struct Context {
    pub region: String,
    /// Parameter values the user gave, by name.
    pub parameters: BTreeMap<String, String>,
    /// Values other templates export, by export name.
    pub exports: BTreeMap<String, Val>,
    /// Parameter values as evaluated elsewhere (a nested stack's, from its
    /// parent), by name; they win over `parameters`.
    pub values: BTreeMap<String, Val>,
}

/// Why evaluation stopped: where, and what.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EvalError {
    pub line: usize,
    pub message: String,
}

/// One resource after evaluation.
#[derive(Clone, Debug, PartialEq)]
pub struct Resource {
    pub id: String,
    pub kind: String,
    pub line: usize,
    pub properties: Val,
    /// False when its `Condition` is false: CloudFormation would not create it.
    pub created: bool,
}

/// A template after evaluation.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Template {
    pub resources: Vec<Resource>,
    /// Exported outputs, by export name.
    pub exports: BTreeMap<String, Val>,
    /// Every output, by its logical name (what a parent stack reads).
    pub outputs: BTreeMap<String, Val>,
    /// Nested stacks whose templates were imported with this one.
    pub nested: std::collections::BTreeSet<String>,
    /// Parameters that had no value (given or default).
    pub missing_parameters: Vec<String>,
}

struct Evaluator<'a> {
    context: &'a Context,
    parameters: BTreeMap<String, Val>,
    mappings: Option<&'a Node>,
    conditions: BTreeMap<String, bool>,
    condition_nodes: Option<&'a Node>,
    resources: Vec<String>,
    /// Resources evaluated so far, by logical id: their type and properties,
    /// for the attributes that are a property given (a VPC's `CidrBlock`).
    evaluated: BTreeMap<String, (String, Val)>,
}

/// Reference chains and nested functions deeper than this are refused.
const MAX_NESTING: usize = 64;

pub fn evaluate(root: &Node, context: &Context) -> Result<Template, EvalError> {
    let resources_node = root.get("Resources").ok_or(EvalError {
        line: root.line,
        message: "a CloudFormation template needs a Resources section".into(),
    })?;
    let mut evaluator = Evaluator {
        context,
        parameters: BTreeMap::new(),
        mappings: root.get("Mappings"),
        conditions: BTreeMap::new(),
        condition_nodes: root.get("Conditions"),
        resources: resources_node
            .entries()
            .iter()
            .map(|(id, _)| id.clone())
            .collect(),
        evaluated: BTreeMap::new(),
    };
    let mut template = Template::default();
    for (name, declaration) in root.get("Parameters").map_or(&[][..], Node::entries) {
        if let Some(value) = context.values.get(name) {
            evaluator.parameters.insert(name.clone(), value.clone());
            continue;
        }
        let value = match context.parameters.get(name) {
            Some(given) => Some(given.clone()),
            None => declaration.get("Default").and_then(scalar_text),
        };
        let kind = declaration
            .get("Type")
            .and_then(Node::as_str)
            .unwrap_or("String");
        let value = match value {
            Some(text) if kind.starts_with("List<") || kind == "CommaDelimitedList" => Val::List(
                text.split(',')
                    .map(|s| Val::Str(s.trim().to_string()))
                    .collect(),
            ),
            Some(text) => Val::Str(text),
            None => {
                template.missing_parameters.push(name.clone());
                Val::Unknown(format!("parameter {name} has no value"))
            }
        };
        evaluator.parameters.insert(name.clone(), value);
    }
    for (name, _) in evaluator.condition_nodes.map_or(&[][..], Node::entries) {
        let value = evaluator.condition(name, 0)?;
        evaluator.conditions.insert(name.clone(), value);
    }
    for (id, declaration) in resources_node.entries() {
        let kind = declaration
            .get("Type")
            .and_then(Node::as_str)
            .ok_or(EvalError {
                line: declaration.line,
                message: format!("resource {id} has no Type"),
            })?
            .to_string();
        let created = match declaration.get("Condition").and_then(Node::as_str) {
            Some(condition) => evaluator.condition(condition, 0)?,
            None => true,
        };
        let properties = match declaration.get("Properties") {
            Some(properties) => evaluator.eval(properties, 0)?,
            None => Val::Map(Vec::new()),
        };
        evaluator
            .evaluated
            .insert(id.clone(), (kind.clone(), properties.clone()));
        template.resources.push(Resource {
            id: id.clone(),
            kind,
            line: declaration.line,
            properties,
            created,
        });
    }
    for (logical, output) in root.get("Outputs").map_or(&[][..], Node::entries) {
        let Some(value) = output.get("Value") else {
            continue;
        };
        let value = evaluator.eval(value, 0)?;
        template.outputs.insert(logical.clone(), value.clone());
        if let Some(name) = output.get("Export").and_then(|e| e.get("Name")) {
            if let Val::Str(name) = evaluator.eval(name, 0)? {
                template.exports.insert(name, value);
            }
        }
    }
    Ok(template)
}

fn scalar_text(node: &Node) -> Option<String> {
    node.as_str().map(str::to_string)
}

/// A function call: its name (`Ref`, `Fn::Sub`, ...) and argument, from
/// either form.
fn call(node: &Node) -> Option<(String, &Node)> {
    if let Some(tag) = &node.tag {
        let name = tag.trim_start_matches('!');
        let name = match name {
            "Ref" | "Condition" => name.to_string(),
            other => format!("Fn::{other}"),
        };
        return Some((name, node));
    }
    match node.entries() {
        [(key, argument)] if key == "Ref" || key == "Condition" || key.starts_with("Fn::") => {
            Some((key.clone(), argument))
        }
        _ => None,
    }
}

impl Evaluator<'_> {
    fn fail<T>(&self, node: &Node, message: impl Into<String>) -> Result<T, EvalError> {
        Err(EvalError {
            line: node.line,
            message: message.into(),
        })
    }

    /// A tagged node's own value (its tag removed), for short forms.
    fn untagged(node: &Node) -> Node {
        Node {
            tag: None,
            ..node.clone()
        }
    }

    fn eval(&self, node: &Node, depth: usize) -> Result<Val, EvalError> {
        if depth > MAX_NESTING {
            return self.fail(
                node,
                format!("functions or conditions nested more than {MAX_NESTING} deep (a cycle?)"),
            );
        }
        if let Some((name, argument)) = call(node) {
            let argument = if node.tag.is_some() {
                Self::untagged(argument)
            } else {
                argument.clone()
            };
            return self.function(&name, &argument, node, depth + 1);
        }
        Ok(match &node.value {
            Value::Null => Val::Null,
            Value::Scalar { text, plain } => match (plain, text.as_str()) {
                (true, "true") => Val::Bool(true),
                (true, "false") => Val::Bool(false),
                _ => Val::Str(text.clone()),
            },
            Value::Seq(items) => {
                let mut out = Vec::with_capacity(items.len());
                for item in items {
                    match self.eval(item, depth + 1)? {
                        Val::Null if is_no_value(item) => {}
                        value => out.push(value),
                    }
                }
                Val::List(out)
            }
            Value::Map(entries) => {
                let mut out = Vec::with_capacity(entries.len());
                for (key, value) in entries {
                    if is_no_value(value) {
                        continue;
                    }
                    out.push((key.clone(), self.eval(value, depth + 1)?));
                }
                Val::Map(out)
            }
        })
    }

    fn text(&self, node: &Node, depth: usize) -> Result<Val, EvalError> {
        self.eval(node, depth)
    }

    fn function(&self, name: &str, arg: &Node, at: &Node, depth: usize) -> Result<Val, EvalError> {
        match name {
            "Ref" => {
                let target = arg.as_str().ok_or(EvalError {
                    line: at.line,
                    message: "Ref takes a name".into(),
                })?;
                Ok(self.reference(target))
            }
            "Condition" => {
                let name = arg.as_str().unwrap_or_default();
                Ok(Val::Bool(self.condition(name, depth)?))
            }
            "Fn::GetAtt" => {
                let (id, attribute) = match (&arg.value, arg.as_str()) {
                    (_, Some(text)) => match text.split_once('.') {
                        Some((id, attribute)) => (id.to_string(), attribute.to_string()),
                        None => return self.fail(at, "GetAtt takes Resource.Attribute"),
                    },
                    (Value::Seq(items), _) if items.len() == 2 => {
                        let id = items[0].as_str().unwrap_or_default().to_string();
                        let attribute = match self.eval(&items[1], depth)? {
                            Val::Str(text) => text,
                            _ => return Ok(Val::Unknown("an attribute name is not known".into())),
                        };
                        (id, attribute)
                    }
                    _ => return self.fail(at, "GetAtt takes a resource and an attribute"),
                };
                if !self.resources.contains(&id) {
                    return self.fail(
                        at,
                        format!("GetAtt names {id}, which is not a resource of the template"),
                    );
                }
                Ok(self.attribute(id, attribute))
            }
            "Fn::Sub" => self.sub(arg, at, depth),
            "Fn::Join" => {
                let [separator, list] = arg.items() else {
                    return self.fail(at, "Join takes a separator and a list");
                };
                let separator = self.eval(separator, depth)?;
                let list = self.eval(list, depth)?;
                let Val::Str(separator) = separator else {
                    return Ok(Val::Unknown("a Join's separator is not known".into()));
                };
                if !matches!(list, Val::List(_)) {
                    return Ok(unknown_from(&list, "a joined list"));
                }
                let mut parts = Vec::new();
                let mut refers = Vec::new();
                let mut unknown = None;
                for item in list.items() {
                    match item {
                        Val::Str(text) => parts.push(text.clone()),
                        Val::Ref(id) | Val::Attr(id, _) => refers.push(id.clone()),
                        Val::Built { refers: more, .. } => refers.extend(more.iter().cloned()),
                        other => {
                            if let Val::Unknown(why) = unknown_from(other, "a joined value") {
                                unknown.get_or_insert(why);
                            }
                        }
                    }
                }
                Ok(match (refers.is_empty(), unknown) {
                    (true, None) => Val::Str(parts.join(&separator)),
                    (true, Some(why)) => Val::Unknown(why),
                    (false, why) => Val::Built {
                        why: why.unwrap_or_else(|| {
                            format!("it names {}, known when created", refers.join(", "))
                        }),
                        refers,
                    },
                })
            }
            "Fn::Select" => {
                let [index, list] = arg.items() else {
                    return self.fail(at, "Select takes an index and a list");
                };
                let index = self.eval(index, depth)?;
                let list = self.eval(list, depth)?;
                let Some(index) = index.as_str().and_then(|i| i.parse::<usize>().ok()) else {
                    return Ok(Val::Unknown("a Select's index is not known".into()));
                };
                match &list {
                    Val::List(items) => items.get(index).cloned().map_or_else(
                        || {
                            self.fail(
                                at,
                                format!(
                                    "Select {index} is past the end of a list of {}",
                                    items.len()
                                ),
                            )
                        },
                        Ok,
                    ),
                    other => Ok(unknown_from(other, "a selected list")),
                }
            }
            "Fn::Split" => {
                let [separator, text] = arg.items() else {
                    return self.fail(at, "Split takes a separator and a text");
                };
                match (self.eval(separator, depth)?, self.eval(text, depth)?) {
                    (Val::Str(separator), Val::Str(text)) if !separator.is_empty() => {
                        Ok(Val::List(
                            text.split(separator.as_str())
                                .map(|s| Val::Str(s.to_string()))
                                .collect(),
                        ))
                    }
                    (_, other) => Ok(unknown_from(&other, "a split text")),
                }
            }
            "Fn::GetAZs" => {
                let region = match self.eval(arg, depth)? {
                    Val::Str(region) if !region.is_empty() => region,
                    _ => self.context.region.clone(),
                };
                let zones = crate::domain::validate::regions::zones(&region);
                if zones.is_empty() {
                    return Ok(Val::Unknown(format!("the zones of {region} are not known")));
                }
                Ok(Val::List(zones.into_iter().map(Val::Str).collect()))
            }
            "Fn::Cidr" => {
                let [block, count, bits] = arg.items() else {
                    return self.fail(at, "Cidr takes a block, a count and the host bits");
                };
                let (block, count, bits) = (
                    self.eval(block, depth)?,
                    self.eval(count, depth)?,
                    self.eval(bits, depth)?,
                );
                let (Some(block), Some(count), Some(bits)) = (
                    block
                        .as_str()
                        .and_then(|b| b.parse::<ipnet::Ipv4Net>().ok()),
                    count.as_str().and_then(|c| c.parse::<u32>().ok()),
                    bits.as_str().and_then(|b| b.parse::<u8>().ok()),
                ) else {
                    return Ok(unknown_from(&block, "a Cidr's arguments"));
                };
                cidr_blocks(block, count, bits)
                    .map(|blocks| Val::List(blocks.into_iter().map(Val::Str).collect()))
                    .ok_or(EvalError {
                        line: at.line,
                        message: format!(
                            "Cidr cannot cut {count} blocks of {bits} host bits from {block}"
                        ),
                    })
            }
            "Fn::FindInMap" => {
                let [map, first, second, ..] = arg.items() else {
                    return self.fail(at, "FindInMap takes a map and two keys");
                };
                let (Some(map), Val::Str(first), Val::Str(second)) = (
                    map.as_str(),
                    self.eval(first, depth)?,
                    self.eval(second, depth)?,
                ) else {
                    return Ok(Val::Unknown("a FindInMap key is not known".into()));
                };
                let found = self
                    .mappings
                    .and_then(|m| m.get(map))
                    .and_then(|m| m.get(&first))
                    .and_then(|m| m.get(&second));
                match found {
                    Some(value) => self.eval(value, depth),
                    None => self.fail(at, format!("FindInMap finds no {map}.{first}.{second}")),
                }
            }
            "Fn::If" => {
                let [condition, yes, no] = arg.items() else {
                    return self.fail(at, "If takes a condition and two values");
                };
                let name = condition.as_str().unwrap_or_default();
                let chosen = if self.condition(name, depth)? {
                    yes
                } else {
                    no
                };
                if is_no_value(chosen) {
                    return Ok(Val::Null);
                }
                self.eval(chosen, depth)
            }
            "Fn::Equals" | "Fn::And" | "Fn::Or" | "Fn::Not" => {
                Ok(Val::Bool(self.truth(name, arg, at, depth)?))
            }
            "Fn::ImportValue" => match self.eval(arg, depth)? {
                Val::Str(name) => {
                    Ok(self.context.exports.get(&name).cloned().unwrap_or_else(|| {
                        Val::Unknown(format!("no template given exports {name}"))
                    }))
                }
                other => Ok(unknown_from(&other, "an imported value's name")),
            },
            "Fn::Base64" => self.text(arg, depth),
            "Fn::Transform" | "Fn::Length" | "Fn::ToJsonString" | "Fn::ForEach" => {
                Ok(Val::Unknown(format!(
                    "{name} is evaluated by CloudFormation's transforms"
                )))
            }
            other => self.fail(at, format!("{other} is not a CloudFormation function")),
        }
    }

    /// An attribute that is a property the template gave, where known.
    fn attribute(&self, id: String, attribute: String) -> Val {
        let given = match self.evaluated.get(&id) {
            Some((kind, properties)) if kind == "AWS::EC2::VPC" && attribute == "CidrBlock" => {
                properties.get("CidrBlock")
            }
            Some((kind, properties))
                if kind == "AWS::EC2::Subnet" && attribute == "AvailabilityZone" =>
            {
                properties.get("AvailabilityZone")
            }
            _ => None,
        };
        match given {
            Some(value @ Val::Str(_)) => value.clone(),
            _ => Val::Attr(id, attribute),
        }
    }

    fn reference(&self, target: &str) -> Val {
        if let Some(value) = self.parameters.get(target) {
            return value.clone();
        }
        if self.resources.iter().any(|id| id == target) {
            return Val::Ref(target.to_string());
        }
        match target {
            "AWS::Region" => Val::Str(self.context.region.clone()),
            "AWS::Partition" => Val::Str("aws".into()),
            "AWS::URLSuffix" => Val::Str("amazonaws.com".into()),
            "AWS::NoValue" => Val::Null,
            "AWS::AccountId" | "AWS::StackName" | "AWS::StackId" | "AWS::NotificationARNs" => {
                Val::Unknown(format!("{target} is known when the stack is created"))
            }
            other => Val::Unknown(format!("{other} is neither a parameter nor a resource")),
        }
    }

    fn sub(&self, arg: &Node, at: &Node, depth: usize) -> Result<Val, EvalError> {
        let (text, variables) = match (&arg.value, arg.as_str()) {
            (_, Some(text)) => (text.to_string(), Vec::new()),
            (Value::Seq(items), _) if !items.is_empty() => {
                let Some(text) = items[0].as_str() else {
                    return self.fail(at, "Sub takes a text");
                };
                let mut variables = Vec::new();
                for (name, value) in items.get(1).map_or(&[][..], Node::entries) {
                    variables.push((name.clone(), self.eval(value, depth)?));
                }
                (text.to_string(), variables)
            }
            _ => return self.fail(at, "Sub takes a text, or a text and its variables"),
        };
        let mut out = String::new();
        let mut refers: Vec<String> = Vec::new();
        let mut unknown: Option<String> = None;
        let mut rest = text.as_str();
        while let Some(start) = rest.find("${") {
            out.push_str(&rest[..start]);
            let after = &rest[start + 2..];
            // `${!Literal}` writes `${Literal}`.
            if let Some(literal) = after.strip_prefix('!') {
                out.push_str("${");
                rest = literal;
                continue;
            }
            let Some(end) = after.find('}') else {
                return self.fail(at, "a ${ in Sub is not closed");
            };
            let name = &after[..end];
            let value = match variables.iter().find(|(n, _)| n == name) {
                Some((_, value)) => value.clone(),
                None => match name.split_once('.') {
                    Some((id, attribute)) if self.resources.iter().any(|r| r == id) => {
                        self.attribute(id.to_string(), attribute.to_string())
                    }
                    _ => self.reference(name),
                },
            };
            match value {
                Val::Str(text) => out.push_str(&text),
                Val::Ref(id) | Val::Attr(id, _) => refers.push(id),
                other => {
                    if unknown.is_none() {
                        if let Val::Unknown(why) = unknown_from(&other, &format!("${{{name}}}")) {
                            unknown = Some(why);
                        }
                    }
                }
            }
            rest = &after[end + 1..];
        }
        out.push_str(rest);
        Ok(match (refers.is_empty(), unknown) {
            (true, None) => Val::Str(out),
            (true, Some(why)) => Val::Unknown(why),
            (false, why) => Val::Built {
                why: why.unwrap_or_else(|| {
                    format!("it names {}, known when created", refers.join(", "))
                }),
                refers,
            },
        })
    }

    fn condition(&self, name: &str, depth: usize) -> Result<bool, EvalError> {
        if let Some(value) = self.conditions.get(name) {
            return Ok(*value);
        }
        let Some(node) = self.condition_nodes.and_then(|c| c.get(name)) else {
            return Err(EvalError {
                line: 1,
                message: format!("no condition is named {name}"),
            });
        };
        if depth > MAX_NESTING {
            return self.fail(
                node,
                format!("conditions refer to each other more than {MAX_NESTING} deep (a cycle?)"),
            );
        }
        match self.eval(node, depth + 1)? {
            Val::Bool(value) => Ok(value),
            _ => self.fail(node, format!("condition {name} is not true or false")),
        }
    }

    fn truth(&self, name: &str, arg: &Node, at: &Node, depth: usize) -> Result<bool, EvalError> {
        let items = arg.items();
        let each = |node: &Node| -> Result<bool, EvalError> {
            match self.eval(node, depth)? {
                Val::Bool(value) => Ok(value),
                _ => self.fail(node, format!("{name} takes conditions")),
            }
        };
        match name {
            "Fn::Equals" => {
                let [a, b] = items else {
                    return self.fail(at, "Equals takes two values");
                };
                let (a, b) = (self.eval(a, depth)?, self.eval(b, depth)?);
                if let (Val::Unknown(why), _) | (_, Val::Unknown(why)) = (&a, &b) {
                    return self.fail(
                        at,
                        format!("a condition depends on what is not known: {why}"),
                    );
                }
                Ok(a == b)
            }
            "Fn::Not" => match items {
                [one] => Ok(!each(one)?),
                _ => self.fail(at, "Not takes one condition"),
            },
            "Fn::And" => items.iter().try_fold(true, |all, c| Ok(all & each(c)?)),
            _ => items.iter().try_fold(false, |any, c| Ok(any | each(c)?)),
        }
    }
}

fn is_no_value(node: &Node) -> bool {
    call(node)
        .is_some_and(|(name, argument)| name == "Ref" && argument.as_str() == Some("AWS::NoValue"))
}

/// Something built from `value`, which is not known as text.
fn unknown_from(value: &Val, what: &str) -> Val {
    match value {
        Val::Unknown(why) => Val::Unknown(why.clone()),
        Val::Ref(id) | Val::Attr(id, _) => Val::Unknown(format!(
            "{what} depends on resource {id}, known when it is created"
        )),
        Val::Built { why, .. } => Val::Unknown(why.clone()),
        _ => Val::Unknown(format!("{what} is not text")),
    }
}

/// `Fn::Cidr`: the first `count` blocks with `bits` host bits in `block`.
fn cidr_blocks(block: ipnet::Ipv4Net, count: u32, bits: u8) -> Option<Vec<String>> {
    let prefix = 32u8.checked_sub(bits)?;
    if prefix < block.prefix_len() || count == 0 || count > 256 {
        return None;
    }
    let blocks: Vec<String> = block
        .subnets(prefix)
        .ok()?
        .take(count as usize)
        .map(|net| net.to_string())
        .collect();
    (blocks.len() == count as usize).then_some(blocks)
}
