//! Where an imported diagram's nodes go, so it reads without touching it:
//! each VPC laid out by Tidy (zone columns, tier rows, every resource in
//! its subnets), side by side; what lives outside a VPC in a row above.

use crate::domain::edit::{apply, arrange};
use crate::domain::model::*;

const ICON: f64 = 64.0;
const TOP: f64 = 220.0;
const GAP: f64 = 120.0;

pub fn lay_out(diagram: &mut Diagram) {
    // Provisional boxes: every drawn node somewhere inside its container,
    // which is all Tidy needs to find it.
    let mut x = 40.0 + 2.0 * GAP;
    let vpcs: Vec<NodeId> = diagram
        .nodes_of(KindTag::Vpc)
        .map(|n| n.id.clone())
        .collect();
    for vpc in &vpcs {
        diagram
            .layout
            .insert(vpc.clone(), Rect::new(x, TOP, 1200.0, 900.0));
        x += 1200.0 + GAP;
    }
    let drawn: Vec<(NodeId, Option<NodeId>)> = diagram
        .nodes
        .iter()
        .filter(|n| {
            !matches!(
                n.tag(),
                KindTag::Vpc | KindTag::RouteTable | KindTag::SecurityGroup | KindTag::NetworkAcl
            )
        })
        .map(|n| (n.id.clone(), diagram.container_of(&n.id).cloned()))
        .collect();
    let mut outside = 0.0;
    for (id, container) in drawn {
        let rect = match container.and_then(|c| diagram.layout.get(&c).copied()) {
            Some(parent) => Rect::new(parent.x + 40.0, parent.y + 80.0, ICON, ICON),
            None => {
                outside += 1.0;
                Rect::new(outside * 170.0 - 130.0, 40.0, ICON, ICON)
            }
        };
        let rect = if diagram.node(&id).map(Node::tag) == Some(KindTag::Subnet) {
            Rect::new(rect.x, rect.y, 400.0, 300.0)
        } else {
            rect
        };
        diagram.layout.insert(id, rect);
    }
    // Internet and clients left of the VPCs, level with their top.
    let mut left = 0.0;
    for node in &diagram.nodes {
        if matches!(node.tag(), KindTag::Internet | KindTag::ExternalClient) {
            diagram.layout.insert(
                node.id.clone(),
                Rect::new(40.0, TOP + 110.0 + left, ICON, ICON),
            );
            left += 370.0;
        }
    }
    for vpc in vpcs {
        if let Ok(command) = arrange::tidy(diagram, &vpc) {
            let _ = apply(diagram, command);
        }
    }
}
