//! Typed edits of a node's properties, checked before they become commands:
//! a value the model cannot hold is refused with a message and nothing changes.

use super::Command;
use crate::domain::model::{Cidr, Node, NodeKind};

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
