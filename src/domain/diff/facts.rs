//! What changed inside a node: every fact its file form holds, compared
//! field by field. Lists (rules, routes, listeners, subnets) are compared as
//! collections, so one rule added reads as one rule added, not as every rule
//! after it shifting by one.

use super::FactChange;
use serde_json::{Map, Value};

/// How to show a node id found among the facts: its node's name.
pub type Names<'a> = dyn Fn(&str) -> Option<String> + 'a;

/// The facts that differ between two values of the same kind (the older
/// one's references already rewritten to the newer ids).
pub fn compare(before: &Value, after: &Value, names: &Names) -> Vec<FactChange> {
    let mut out = Vec::new();
    walk("", Some(before), Some(after), names, &mut out);
    out
}

fn walk(
    path: &str,
    before: Option<&Value>,
    after: Option<&Value>,
    names: &Names,
    out: &mut Vec<FactChange>,
) {
    match (before, after) {
        (Some(Value::Object(a)), Some(Value::Object(b))) => {
            for (key, value) in a {
                walk(&join(path, key), Some(value), b.get(key), names, out);
            }
            for (key, value) in b {
                if !a.contains_key(key) {
                    walk(&join(path, key), None, Some(value), names, out);
                }
            }
        }
        (a, b) if is_list(a) || is_list(b) => {
            let items = |value: Option<&Value>| -> Vec<String> {
                match value {
                    Some(Value::Array(items)) => items.iter().map(|v| render(v, names)).collect(),
                    Some(other) => vec![render(other, names)],
                    None => Vec::new(),
                }
            };
            let (mut gone, mut came) = (items(a), items(b));
            // Multiset difference: what is in both, as often, is unchanged.
            let mut at = 0;
            while at < gone.len() {
                if let Some(same) = came.iter().position(|item| *item == gone[at]) {
                    came.remove(same);
                    gone.remove(at);
                } else {
                    at += 1;
                }
            }
            let fact = label(path);
            for item in gone {
                out.push(FactChange {
                    fact: fact.clone(),
                    before: Some(item),
                    after: None,
                });
            }
            for item in came {
                out.push(FactChange {
                    fact: fact.clone(),
                    before: None,
                    after: Some(item),
                });
            }
        }
        (a, b) if a != b => out.push(FactChange {
            fact: label(path),
            before: a.map(|v| render(v, names)),
            after: b.map(|v| render(v, names)),
        }),
        _ => {}
    }
}

fn is_list(value: Option<&Value>) -> bool {
    matches!(value, Some(Value::Array(_)))
}

fn join(path: &str, key: &str) -> String {
    if path.is_empty() {
        key.to_string()
    } else {
        format!("{path}.{key}")
    }
}

/// A fact's name as people say it: `cidr` is "CIDR", `ingress` the
/// inbound rules.
pub fn label(path: &str) -> String {
    path.split('.')
        .map(|part| match part {
            "cidr" => "CIDR",
            "secondary_cidrs" => "secondary CIDRs",
            "az" => "zone",
            "ingress" | "inbound" => "inbound rules",
            "egress" | "outbound" => "outbound rules",
            "cpu" => "task CPU",
            "memory" => "task memory",
            "vpc" => "VPC",
            "dns_support" => "DNS support",
            "dns_hostnames" => "DNS hostnames",
            "assign_public_ip" => "public IP",
            other => other,
        })
        .map(|part| part.replace('_', " "))
        .collect::<Vec<_>>()
        .join(" ")
}

/// A value on one line: ids as their nodes' names, a rule's ports as
/// `tcp/5432` or `tcp/1024-65535`.
pub fn render(value: &Value, names: &Names) -> String {
    match value {
        Value::Null => "none".into(),
        Value::Bool(yes) => if *yes { "yes" } else { "no" }.into(),
        Value::Number(number) => number.to_string(),
        Value::String(text) => match names(text) {
            Some(name) => format!("{name:?}"),
            None => text.clone(),
        },
        Value::Array(items) => {
            let items: Vec<String> = items.iter().map(|v| render(v, names)).collect();
            format!("[{}]", items.join(", "))
        }
        Value::Object(fields) => render_object(fields, names),
    }
}

fn render_object(fields: &Map<String, Value>, names: &Names) -> String {
    let mut parts = Vec::new();
    let ports = match (
        fields.get("protocol").and_then(Value::as_str),
        fields.get("from_port").and_then(Value::as_u64),
        fields.get("to_port").and_then(Value::as_u64),
    ) {
        (Some("all"), _, _) => Some("all traffic".to_string()),
        (Some("icmp"), _, _) => Some("ICMP".to_string()),
        (Some(protocol), Some(from), Some(to)) if from == to => Some(format!("{protocol}/{from}")),
        (Some(protocol), Some(from), Some(to)) => Some(format!("{protocol}/{from}-{to}")),
        _ => None,
    };
    if let Some(ports) = &ports {
        parts.push(ports.clone());
    }
    for (key, value) in fields {
        if ports.is_some() && matches!(key.as_str(), "protocol" | "from_port" | "to_port") {
            continue;
        }
        let shown = match value {
            // A one-field object (`{"security_group": "sg"}`) reads as
            // "security group "app"".
            Value::Object(inner) if inner.len() == 1 => {
                let (k, v) = inner
                    .iter()
                    .next()
                    .map_or(("", &Value::Null), |(k, v)| (k, v));
                format!("{} {}", label(k), render(v, names))
            }
            other => render(other, names),
        };
        parts.push(format!("{} {shown}", label(key)));
    }
    parts.join(", ")
}
