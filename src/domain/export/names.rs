//! Identifiers in exports come from node ids, never from names: ids do not
//! change when a node is renamed, so a rename never makes CloudFormation or
//! Terraform replace a resource. Names go into tags and descriptions instead.

use crate::domain::model::{Diagram, NodeId};
use std::collections::{HashMap, HashSet};

/// Unique identifiers for every node in one export format.
pub struct Names {
    by_node: HashMap<NodeId, String>,
}

impl Names {
    /// CloudFormation logical ids: `subnet-public-a` -> `SubnetPublicA`.
    pub fn cloudformation(diagram: &Diagram) -> Names {
        Names::build(diagram, pascal_case)
    }

    /// Terraform resource names: `subnet-public-a` -> `subnet_public_a`.
    pub fn terraform(diagram: &Diagram) -> Names {
        Names::build(diagram, snake_case)
    }

    fn build(diagram: &Diagram, convert: fn(&str) -> String) -> Names {
        let mut taken = HashSet::with_capacity(diagram.nodes.len());
        let mut by_node = HashMap::with_capacity(diagram.nodes.len());
        for node in &diagram.nodes {
            let base = convert(node.id.as_str());
            let mut candidate = base.clone();
            let mut n = 2;
            while taken.contains(&candidate) {
                candidate = format!("{base}{n}");
                n += 1;
            }
            taken.insert(candidate.clone());
            by_node.insert(node.id.clone(), candidate);
        }
        Names { by_node }
    }

    /// The identifier of a node (ids that are not in the diagram get a
    /// converted id, so a dangling reference still produces valid syntax).
    pub fn of(&self, id: &NodeId) -> String {
        self.by_node
            .get(id)
            .cloned()
            .unwrap_or_else(|| pascal_case(id.as_str()))
    }
}

/// Letters and digits only, each word capitalised; never starts with a digit.
pub fn pascal_case(text: &str) -> String {
    let mut out = String::new();
    for word in text
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        let mut chars = word.chars();
        if let Some(first) = chars.next() {
            out.push(first.to_ascii_uppercase());
            out.extend(chars);
        }
    }
    if out.is_empty() || out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, 'N');
    }
    out
}

/// Lowercase letters, digits and single hyphens, at most `max` characters:
/// safe in bucket, role and file names. Never empty.
pub fn slug(text: &str, max: usize) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    let short: String = out.trim_end_matches('-').chars().take(max).collect();
    let short = short.trim_end_matches('-');
    if short.is_empty() {
        "stackdraw".into()
    } else {
        short.into()
    }
}

/// Lowercase letters, digits and underscores; starts with a letter.
pub fn snake_case(text: &str) -> String {
    let mut out: String = text
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .collect();
    if out.is_empty() || !out.starts_with(|c: char| c.is_ascii_alphabetic()) {
        out.insert(0, 'n');
    }
    out
}

/// Text for AWS fields that allow only a limited character set, such as
/// security group descriptions (`a-zA-Z0-9. _-:/()#,@[]+=&;{}!$*`): other
/// characters become spaces, and the length is capped.
pub fn aws_description(text: &str, max: usize) -> String {
    // Dynamic references are broken before the length is capped, so the
    // template-wide pass finds nothing left to lengthen.
    let cleaned: String = super::cloudformation::neutralised(text, false)
        .chars()
        .map(|c| {
            // AWS also allows `$`, left out so no description reads as `${...}`.
            if c.is_ascii_alphanumeric() || " ._-:/()#,@[]+=&;{}!*".contains(c) {
                c
            } else {
                ' '
            }
        })
        .take(max)
        .collect();
    let trimmed = cleaned.trim();
    if trimmed.is_empty() {
        "stackdraw".to_string()
    } else {
        trimmed.to_string()
    }
}

/// A tag value: letters, digits, spaces and `_ . : / = + - @` in any script,
/// at most 255 characters (the strictest limit among the tagged services).
pub fn tag_value(text: &str) -> String {
    let cleaned: String = text
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == ' ' || "_.:/=+-@".contains(c) {
                c
            } else {
                ' '
            }
        })
        .take(255)
        .collect();
    let collapsed = cleaned.split_whitespace().collect::<Vec<_>>().join(" ");
    if collapsed.is_empty() {
        "stackdraw".to_string()
    } else {
        collapsed
    }
}

/// A physical name for ECS clusters, services and task families, the same in
/// every export so the pipeline can name what the templates created: letters,
/// digits, hyphens and underscores.
pub fn resource_name(id: &str) -> String {
    id.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect()
}

/// The checkov checks an inbound network ACL rule trips by allowing an
/// administration port from anywhere (CKV_AWS_229 to 232: FTP 21 and 20,
/// RDP 3389, SSH 22), each as a suppression with its reason. The diagram's
/// own rules (VR-26) judge who reaches those ports, at the security groups.
pub fn acl_open_port_skips<T>(
    rule: &crate::domain::model::AclRule,
    skip: impl Fn(&str, &str) -> T,
) -> Vec<T> {
    [
        ("CKV_AWS_229", 21),
        ("CKV_AWS_230", 20),
        ("CKV_AWS_231", 3389),
        ("CKV_AWS_232", 22),
    ]
    .into_iter()
    .filter(|(_, port)| rule.opens_to_world(*port))
    .map(|(id, port)| {
        skip(
            id,
            &format!(
                "The network ACL admits port {port} from anywhere, as AWS's default ACL does; the security groups decide who reaches it"
            ),
        )
    })
    .collect()
}
