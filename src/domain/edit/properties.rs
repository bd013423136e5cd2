//! Typed edits of a node's properties, checked before they become commands:
//! a value the model cannot hold is refused with a message and nothing changes.

use super::Command;
use crate::domain::model::{AccessScope, Cidr, Diagram, Node, NodeId, NodeKind, ScopeId};

/// Longest name, in characters (the file format's limit).
pub const MAX_NAME: usize = 1_024;

pub fn rename(node: &Node, text: &str) -> Result<Command, String> {
    let name = text.trim();
    if name.is_empty() {
        return Err("a name must not be empty".into());
    }
    if name.chars().count() > MAX_NAME {
        return Err(format!("a name has at most {MAX_NAME} characters"));
    }
    let mut node = node.clone();
    node.name = name.to_string();
    Ok(Command::ReplaceNode { node })
}

/// Renames the diagram: one undo step; the same limits as a node's name.
pub fn rename_diagram(diagram: &Diagram, text: &str) -> Result<Command, String> {
    let name = text.trim();
    if name.is_empty() {
        return Err("a diagram's name must not be empty".into());
    }
    if name.chars().count() > MAX_NAME {
        return Err(format!("a name has at most {MAX_NAME} characters"));
    }
    if name == diagram.name {
        return Err("that is its name already".into());
    }
    Ok(Command::SetName {
        name: name.to_string(),
    })
}

/// Sets the primary block of a VPC, or the block of a subnet.
pub fn set_cidr(node: &Node, text: &str) -> Result<Command, String> {
    let cidr = Cidr::parse(text).map_err(|error| error.to_string())?;
    let mut node = node.clone();
    match &mut node.kind {
        NodeKind::Vpc(vpc) => vpc.cidr = cidr,
        NodeKind::Subnet(subnet) => subnet.cidr = cidr,
        NodeKind::ExternalClient(client) => client.cidr = cidr,
        _ => return Err("this node has no address block".into()),
    }
    Ok(Command::ReplaceNode { node })
}

/// Moves a subnet to another availability zone.
pub fn set_zone(node: &Node, zone: &str) -> Result<Command, String> {
    let mut node = node.clone();
    match &mut node.kind {
        NodeKind::Subnet(subnet) => subnet.az = zone.to_string(),
        _ => return Err("only subnets have a zone".into()),
    }
    Ok(Command::ReplaceNode { node })
}

/// A "must not exist" scope from typed values: two node ids and an optional
/// port (empty for any port).
pub fn add_scope(diagram: &Diagram, from: &str, to: &str, port: &str) -> Result<Command, String> {
    let node = |text: &str| {
        NodeId::new(text)
            .ok()
            .filter(|id| diagram.node(id).is_some())
            .ok_or_else(|| format!("there is no node {text:?}"))
    };
    let (from, to) = (node(from)?, node(to)?);
    if from == to {
        return Err("a scope joins two different nodes".into());
    }
    let port = match port.trim() {
        "" => None,
        text => Some(
            text.parse::<u16>()
                .map_err(|_| format!("{text:?} is not a port (0 to 65535)"))?,
        ),
    };
    let base = format!("no-{from}-to-{to}");
    let id = (1..1000)
        .map(|n| {
            if n == 1 {
                base.clone()
            } else {
                format!("{base}-{n}")
            }
        })
        .filter_map(|candidate| ScopeId::new(candidate).ok())
        .find(|candidate| diagram.scopes.iter().all(|scope| &scope.id != candidate))
        .ok_or("too many scopes between these nodes")?;
    Ok(Command::AddScope {
        scope: AccessScope { id, from, to, port },
        index: None,
    })
}
