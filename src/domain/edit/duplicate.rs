//! Copies of what is selected (duplicate, copy and paste). A container is
//! copied with what it holds; references between copied nodes point at the
//! copies, references to anything else are kept; a copied subnet whose VPC is
//! not copied takes the next free block of that VPC.

use super::create::fresh_id;
use super::Command;
use crate::domain::model::*;
use std::collections::BTreeMap;

/// Nodes to copy, as they were when copied (a clipboard survives edits).
#[derive(Clone, Debug, PartialEq)]
pub struct Clipboard {
    pub nodes: Vec<(Node, Option<Rect>)>,
    pub edges: Vec<TrafficEdge>,
}

/// What `ids` (with everything their containers hold) copy as.
pub fn copy(diagram: &Diagram, ids: &[NodeId]) -> Clipboard {
    let all = super::arrange::with_descendants(diagram, ids);
    Clipboard {
        nodes: diagram
            .nodes
            .iter()
            .filter(|node| all.contains(&node.id))
            .map(|node| (node.clone(), diagram.layout.get(&node.id).copied()))
            .collect(),
        edges: diagram
            .edges
            .iter()
            .filter(|edge| all.contains(&edge.from) && all.contains(&edge.to))
            .cloned()
            .collect(),
    }
}

/// The clipboard pasted into `diagram`, moved by `offset`: one command and the
/// ids of the new top-level nodes (to select them).
pub fn paste(
    diagram: &Diagram,
    clipboard: &Clipboard,
    offset: (f64, f64),
) -> Result<(Command, Vec<NodeId>), String> {
    if clipboard.nodes.is_empty() {
        return Err("nothing to paste".into());
    }
    // New ids first, so references between copies can be rewritten.
    let mut working = diagram.clone();
    let mut renamed: BTreeMap<NodeId, NodeId> = BTreeMap::new();
    for (node, _) in &clipboard.nodes {
        let base = node
            .id
            .as_str()
            .trim_end_matches(|c: char| c.is_ascii_digit() || c == '-');
        let base = if base.is_empty() { "node" } else { base };
        let id = fresh_id(&working, &format!("{base}-copy")).ok_or("too many copies")?;
        // Reserve the id so the next fresh one differs.
        working.nodes.push(Node {
            id: id.clone(),
            name: String::new(),
            kind: NodeKind::Internet(Internet {}),
        });
        renamed.insert(node.id.clone(), id);
    }
    let mut commands = Vec::new();
    let mut after = diagram.clone();
    let mut tops = Vec::new();
    for (node, rect) in &clipboard.nodes {
        let mut copy = remap(node, &renamed)?;
        copy.id = renamed[&node.id].clone();
        copy.name = format!("{} copy", node.name);
        match &mut copy.kind {
            NodeKind::Subnet(subnet) if !renamed.values().any(|id| id == &subnet.vpc) => {
                subnet.cidr = free_block(&after, &subnet.vpc, subnet.cidr.prefix_len())?;
            }
            // A subnet has one network ACL: a copied ACL filters only the
            // subnets copied with it, never the original's.
            NodeKind::NetworkAcl(acl) => acl
                .subnets
                .retain(|subnet| renamed.values().any(|id| id == subnet)),
            _ => {}
        }
        let rect = rect.map(|r| Rect::new(r.x + offset.0, r.y + offset.1, r.w, r.h));
        let command = Command::AddNode {
            node: copy,
            rect,
            index: None,
        };
        super::apply(&mut after, command.clone()).map_err(|e| e.to_string())?;
        commands.push(command);
    }
    for (node, _) in &clipboard.nodes {
        let copy = &renamed[&node.id];
        let parent = after.container_of(copy);
        if !parent.is_some_and(|p| renamed.values().any(|id| id == p)) {
            tops.push(copy.clone());
        }
    }
    for edge in &clipboard.edges {
        let (Some(from), Some(to)) = (renamed.get(&edge.from), renamed.get(&edge.to)) else {
            continue;
        };
        let id = (1..100_000)
            .filter_map(|n| EdgeId::new(format!("{from}-to-{to}-{n}")).ok())
            .find(|id| after.edges.iter().all(|e| &e.id != id))
            .ok_or("too many edges")?;
        let command = Command::AddEdge {
            edge: TrafficEdge {
                id,
                from: from.clone(),
                to: to.clone(),
                // The copy's line keeps its shape beside the copied ends.
                bends: edge
                    .bends
                    .iter()
                    .map(|bend| Bend {
                        x: bend.x + offset.0,
                        y: bend.y + offset.1,
                    })
                    .collect(),
                ..edge.clone()
            },
            index: None,
        };
        super::apply(&mut after, command.clone()).map_err(|e| e.to_string())?;
        commands.push(command);
    }
    Ok((Command::Batch(commands), tops))
}

/// A copy of `node` whose references to renamed nodes point at the copies.
/// The binary form visits every reference, so a new kind of reference is
/// remapped as soon as it is written there.
fn remap(node: &Node, renamed: &BTreeMap<NodeId, NodeId>) -> Result<Node, String> {
    let kind =
        crate::domain::codec::wire::renamed_kind(&node.kind, renamed).map_err(|e| e.to_string())?;
    Ok(Node {
        kind,
        ..node.clone()
    })
}

fn free_block(diagram: &Diagram, vpc_id: &NodeId, prefix: u8) -> Result<Cidr, String> {
    super::create::free_block(diagram, vpc_id, prefix)
        .ok_or_else(|| format!("the VPC has no free /{prefix} block left for a copy of the subnet"))
}
