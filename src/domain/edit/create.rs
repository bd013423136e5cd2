//! New nodes placed the way a person expects: a subnet dropped into a VPC
//! gets the next free block of a sensible size and the next zone in turn.

use super::Command;
use crate::domain::model::*;
use crate::domain::validate::regions;

/// An id not yet taken in the diagram: `base-1`, `base-2`, ...
pub fn fresh_id(diagram: &Diagram, base: &str) -> Option<NodeId> {
    (1..100_000)
        .map(|n| format!("{base}-{n}"))
        .filter_map(|candidate| NodeId::new(candidate).ok())
        .find(|candidate| diagram.node(candidate).is_none())
}

/// The block size for new subnets of a VPC: sixteen subnets of a /16 (a /20
/// each), never smaller than a /28.
pub fn default_subnet_prefix(vpc: &Vpc) -> u8 {
    (vpc.cidr.prefix_len() + 4).clamp(16, 28)
}

/// The zone for a new subnet: the region's zone with the fewest subnets of
/// this VPC so far, the first such zone on a tie.
pub fn next_zone(diagram: &Diagram, vpc: &NodeId) -> Option<String> {
    let zones = regions::zones(&diagram.region);
    zones.into_iter().min_by_key(|zone| {
        diagram
            .nodes
            .iter()
            .filter(
                |node| matches!(&node.kind, NodeKind::Subnet(s) if &s.vpc == vpc && &s.az == zone),
            )
            .count()
    })
}

fn subnets_of<'a>(
    diagram: &'a Diagram,
    vpc_id: &'a NodeId,
) -> impl Iterator<Item = &'a Subnet> + 'a {
    diagram
        .nodes
        .iter()
        .filter_map(move |node| match &node.kind {
            NodeKind::Subnet(subnet) if &subnet.vpc == vpc_id => Some(subnet),
            _ => None,
        })
}

/// The first block of `prefix` inside a VPC's blocks that none of its
/// subnets overlaps.
pub fn free_block(diagram: &Diagram, vpc_id: &NodeId, prefix: u8) -> Option<Cidr> {
    let Some(NodeKind::Vpc(vpc)) = diagram.node(vpc_id).map(|n| &n.kind) else {
        return None;
    };
    let blocks: Vec<Cidr> = std::iter::once(vpc.cidr.canonical())
        .chain(vpc.secondary_cidrs.iter().map(Cidr::canonical))
        .collect();
    let taken: Vec<Cidr> = subnets_of(diagram, vpc_id).map(|s| s.cidr).collect();
    Cidr::next_free(&blocks, &taken, prefix)
}

/// The zone of the subnets of this VPC drawn in the same column as `rect`:
/// a VPC reads as one column per zone, so a subnet dropped under another one
/// joins its zone.
pub fn column_zone(diagram: &Diagram, vpc: &NodeId, rect: &Rect) -> Option<String> {
    let (x, _) = rect.center();
    diagram.nodes.iter().find_map(|node| match &node.kind {
        NodeKind::Subnet(subnet) if &subnet.vpc == vpc => diagram
            .layout
            .get(&node.id)
            .filter(|other| other.x <= x && x <= other.right())
            .map(|_| subnet.az.clone()),
        _ => None,
    })
}

/// A subnet in a VPC, drawn in `rect`: the next free block and zone.
/// Refused, with the reason, when the VPC has no free block left.
pub fn add_subnet(diagram: &Diagram, vpc_id: &NodeId, rect: Rect) -> Result<Command, String> {
    let Some(Node {
        kind: NodeKind::Vpc(vpc),
        name: vpc_name,
        ..
    }) = diagram.node(vpc_id)
    else {
        return Err("a subnet must be placed inside a VPC".into());
    };
    let prefix = default_subnet_prefix(vpc);
    let number = subnets_of(diagram, vpc_id).count() + 1;
    let cidr = free_block(diagram, vpc_id, prefix)
        .ok_or_else(|| format!("VPC {vpc_name:?} has no free /{prefix} block left; free a subnet or add a secondary block"))?;
    let az = column_zone(diagram, vpc_id, &rect)
        .or_else(|| next_zone(diagram, vpc_id))
        .ok_or_else(|| {
            format!(
                "the region {:?} is not one stackdraw knows zones for",
                diagram.region
            )
        })?;
    let id = fresh_id(diagram, "subnet").ok_or("too many subnets")?;
    let letter = az.chars().last().unwrap_or('x');
    Ok(Command::AddNode {
        node: Node {
            id,
            name: format!("subnet-{letter}-{number}"),
            kind: NodeKind::Subnet(Subnet {
                vpc: vpc_id.clone(),
                cidr,
                az,
                route_table: None,
            }),
        },
        rect: Some(rect),
        index: None,
    })
}
