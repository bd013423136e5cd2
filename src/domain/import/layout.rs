//! Where an imported diagram's nodes go, so it reads without touching it:
//! each VPC laid out by Tidy (zone columns, tier rows, every resource in
//! its subnets), one after another from left to right; the internet and
//! clients to their left; what lives outside any VPC in a row above; what
//! stackdraw does not model (other resources, placeholders) in rows below.

use crate::domain::edit::{apply, arrange};
use crate::domain::model::*;

const ICON: f64 = 64.0;
const TOP: f64 = 220.0;
const GAP: f64 = 120.0;
/// Room left of the VPCs for the internet and the clients.
const LEFT: f64 = 40.0 + ICON + GAP;

pub fn lay_out(diagram: &mut Diagram) {
    let vpcs: Vec<NodeId> = diagram
        .nodes_of(KindTag::Vpc)
        .map(|n| n.id.clone())
        .collect();
    // Each drawn node with its container, its VPC and whether it is a
    // subnet, worked out once (a diagram's node lookups are linear).
    let tags: std::collections::BTreeMap<&NodeId, KindTag> =
        diagram.nodes.iter().map(|n| (&n.id, n.tag())).collect();
    let drawn: Vec<Placed> = diagram
        .nodes
        .iter()
        .filter(|n| {
            !matches!(
                n.tag(),
                KindTag::Vpc | KindTag::RouteTable | KindTag::SecurityGroup | KindTag::NetworkAcl
            )
        })
        .map(|n| {
            let container = diagram.container_of(&n.id).cloned();
            let vpc = match container.as_ref().and_then(|c| tags.get(c)) {
                Some(KindTag::Vpc) => container.clone(),
                Some(_) => container
                    .as_ref()
                    .and_then(|c| diagram.container_of(c).cloned()),
                None => None,
            };
            Placed {
                id: n.id.clone(),
                container,
                vpc,
                tag: n.tag(),
            }
        })
        .collect();
    let mut x = LEFT;
    for vpc in &vpcs {
        let area = Rect::new(x, TOP, 1200.0, 900.0);
        diagram.layout.insert(vpc.clone(), area);
        // Provisional boxes inside it, which is all Tidy needs to place
        // each node in its zone and tier: subnets first, then what they
        // (or the VPC itself) hold.
        for subnets_pass in [true, false] {
            for placed in &drawn {
                let is_subnet = placed.tag == KindTag::Subnet;
                if is_subnet != subnets_pass || placed.vpc.as_ref() != Some(vpc) {
                    continue;
                }
                let parent = placed
                    .container
                    .as_ref()
                    .and_then(|c| diagram.layout.get(c).copied())
                    .unwrap_or(area);
                let (w, h) = if is_subnet {
                    (400.0, 300.0)
                } else {
                    (ICON, ICON)
                };
                diagram.layout.insert(
                    placed.id.clone(),
                    Rect::new(parent.x + 40.0, parent.y + 80.0, w, h),
                );
            }
        }
        // Tidy reads the whole diagram it is given; given only this VPC's
        // part, laying out many VPCs stays linear.
        let mut part = vpc_part(diagram, vpc, &drawn);
        if let Ok(command) = arrange::tidy(&part, vpc) {
            if apply(&mut part, command).is_ok() {
                diagram.layout.extend(part.layout);
            }
        }
        let width = diagram.layout.get(vpc).map_or(1200.0, |r| r.w);
        x += width + GAP;
    }
    // Outside any VPC: the internet and clients at the left, the rest in a
    // row above, other resources in rows below everything.
    let bottom = vpcs
        .iter()
        .filter_map(|vpc| diagram.layout.get(vpc))
        .map(Rect::bottom)
        .fold(TOP + 500.0, f64::max);
    let (mut left, mut above, mut below) = (0.0, 0.0, 0usize);
    for placed in &drawn {
        if placed.vpc.is_some() {
            continue;
        }
        let rect = match placed.tag {
            KindTag::Internet | KindTag::ExternalClient => {
                left += 1.0;
                Rect::new(40.0, TOP + 110.0 + (left - 1.0) * 370.0, ICON, ICON)
            }
            KindTag::OtherResource => {
                const PER_ROW: usize = 10;
                let (row, column) = (below / PER_ROW, below % PER_ROW);
                below += 1;
                Rect::new(
                    LEFT + column as f64 * 170.0,
                    bottom + GAP + row as f64 * 160.0,
                    ICON,
                    ICON,
                )
            }
            _ => {
                above += 1.0;
                Rect::new(LEFT + (above - 1.0) * 170.0, 40.0, ICON, ICON)
            }
        };
        diagram.layout.insert(placed.id.clone(), rect);
    }
}

/// The nodes of one VPC (what is drawn in it, and its route tables,
/// gateways and groups, which decide its subnets' tiers and captions) as a
/// diagram of their own.
fn vpc_part(diagram: &Diagram, vpc: &NodeId, drawn: &[Placed]) -> Diagram {
    let inside: std::collections::BTreeSet<&NodeId> = drawn
        .iter()
        .filter(|p| p.vpc.as_ref() == Some(vpc))
        .map(|p| &p.id)
        .collect();
    let mut part = Diagram::empty(&diagram.name, &diagram.region);
    for node in &diagram.nodes {
        let belongs = &node.id == vpc
            || inside.contains(&node.id)
            || match &node.kind {
                NodeKind::RouteTable(table) => &table.vpc == vpc,
                NodeKind::InternetGateway(gateway) => gateway.vpc.as_ref() == Some(vpc),
                NodeKind::SecurityGroup(group) => &group.vpc == vpc,
                NodeKind::NetworkAcl(acl) => &acl.vpc == vpc,
                _ => false,
            };
        if belongs {
            part.nodes.push(node.clone());
            if let Some(rect) = diagram.layout.get(&node.id) {
                part.layout.insert(node.id.clone(), *rect);
            }
        }
    }
    part
}

/// A drawn node and where it belongs.
struct Placed {
    id: NodeId,
    container: Option<NodeId>,
    vpc: Option<NodeId>,
    tag: KindTag,
}
