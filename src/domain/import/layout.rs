//! Where an imported diagram's nodes go, so it reads without touching it:
//! each VPC laid out by Tidy (zone columns, tier rows, every resource in
//! its subnets), one after another from left to right; the internet and
//! clients to their left; what lives outside any VPC in a row above.

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
    // The VPC a node is drawn in, through its subnet if it has one.
    let vpc_of = |diagram: &Diagram, container: &Option<NodeId>| -> Option<NodeId> {
        let container = container.as_ref()?;
        match diagram.node(container).map(Node::tag) {
            Some(KindTag::Vpc) => Some(container.clone()),
            _ => diagram.container_of(container).cloned(),
        }
    };
    let mut x = LEFT;
    for vpc in &vpcs {
        let area = Rect::new(x, TOP, 1200.0, 900.0);
        diagram.layout.insert(vpc.clone(), area);
        // Provisional boxes inside it, which is all Tidy needs to place
        // each node in its zone and tier: subnets first, then what they
        // (or the VPC itself) hold.
        for subnets_pass in [true, false] {
            for (id, container) in &drawn {
                let is_subnet = diagram.node(id).map(Node::tag) == Some(KindTag::Subnet);
                if is_subnet != subnets_pass || vpc_of(diagram, container).as_ref() != Some(vpc) {
                    continue;
                }
                let parent = container
                    .as_ref()
                    .and_then(|c| diagram.layout.get(c).copied())
                    .unwrap_or(area);
                let (w, h) = if is_subnet {
                    (400.0, 300.0)
                } else {
                    (ICON, ICON)
                };
                diagram.layout.insert(
                    id.clone(),
                    Rect::new(parent.x + 40.0, parent.y + 80.0, w, h),
                );
            }
        }
        if let Ok(command) = arrange::tidy(diagram, vpc) {
            let _ = apply(diagram, command);
        }
        let width = diagram.layout.get(vpc).map_or(1200.0, |r| r.w);
        x += width + GAP;
    }
    // Outside any VPC: the internet and clients at the left, the rest in a
    // row above.
    let (mut left, mut above) = (0.0, 0.0);
    for (id, container) in &drawn {
        if vpc_of(diagram, container).is_some() {
            continue;
        }
        let rect = match diagram.node(id).map(Node::tag) {
            Some(KindTag::Internet | KindTag::ExternalClient) => {
                left += 1.0;
                Rect::new(40.0, TOP + 110.0 + (left - 1.0) * 370.0, ICON, ICON)
            }
            _ => {
                above += 1.0;
                Rect::new(LEFT + (above - 1.0) * 170.0, 40.0, ICON, ICON)
            }
        };
        diagram.layout.insert(id.clone(), rect);
    }
}
