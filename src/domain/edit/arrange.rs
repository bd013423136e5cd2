//! Moving, resizing and tidying what is on the canvas. Containers carry what
//! they hold; a resource moved into another subnet is re-homed there; a move
//! that would put something where it cannot live is refused with the reason.

use super::place::{HEADER, ICON, PADDING};
use super::Command;
use crate::domain::model::*;
use std::collections::{BTreeMap, BTreeSet};

/// Grid step that moves snap to.
pub const GRID: f64 = 8.0;
/// Smallest box a container can be resized to.
pub const MIN_CONTAINER: (f64, f64) = (160.0, 100.0);

pub fn snap(value: f64) -> f64 {
    (value / GRID).round() * GRID
}

/// Everything drawn inside a container, at any depth.
pub fn descendants(diagram: &Diagram, id: &NodeId) -> BTreeSet<NodeId> {
    let mut found = BTreeSet::new();
    let mut queue = vec![id.clone()];
    while let Some(current) = queue.pop() {
        for child in diagram.children_of(&current) {
            if found.insert(child.id.clone()) {
                queue.push(child.id.clone());
            }
        }
    }
    found
}

/// The selection and everything its containers hold, each once.
pub fn with_descendants(diagram: &Diagram, ids: &[NodeId]) -> BTreeSet<NodeId> {
    let mut all: BTreeSet<NodeId> = crate::domain::sorting::set_of(ids.iter().cloned());
    for id in ids {
        all.extend(descendants(diagram, id));
    }
    all
}

/// Moves the selection (and what its containers hold) by `(dx, dy)`. When a
/// single resource lands in another subnet it is re-homed there; when
/// something would leave the only place it can live, the move is refused.
/// Containers grow to keep what they hold inside.
pub fn move_nodes(diagram: &Diagram, ids: &[NodeId], dx: f64, dy: f64) -> Result<Command, String> {
    let moving = with_descendants(diagram, ids);
    let mut commands = Vec::new();
    let mut moved: BTreeMap<NodeId, Rect> = BTreeMap::new();
    for id in &moving {
        if let Some(rect) = diagram.layout.get(id) {
            let rect = Rect::new(rect.x + dx, rect.y + dy, rect.w, rect.h);
            moved.insert(id.clone(), rect);
            commands.push(Command::SetRect {
                id: id.clone(),
                rect: Some(rect),
            });
        }
    }
    // Only the top of what moves can change its container: children travel
    // with theirs.
    let tops: Vec<&NodeId> = ids
        .iter()
        .filter(|id| {
            !diagram
                .container_of(id)
                .is_some_and(|parent| moving.contains(parent))
        })
        .collect();
    let mut after = diagram.clone();
    for (id, rect) in &moved {
        after.layout.insert(id.clone(), *rect);
    }
    for id in tops {
        let Some(rect) = moved.get(id) else { continue };
        if let Some(command) = rehome(&after, id, rect.center(), &moving)? {
            super::apply(&mut after, command.clone()).map_err(|e| e.to_string())?;
            commands.push(command);
        }
    }
    commands.extend(grow_containers(&after, moved.keys()));
    Ok(Command::Batch(commands))
}

/// What changes in the model when a node's centre lands at `point`.
fn rehome(
    diagram: &Diagram,
    id: &NodeId,
    point: (f64, f64),
    moving: &BTreeSet<NodeId>,
) -> Result<Option<Command>, String> {
    let Some(node) = diagram.node(id) else {
        return Ok(None);
    };
    // The container under the point, ignoring what moves along.
    let under = containers_at(diagram, point)
        .into_iter()
        .find(|candidate| !moving.contains(&candidate.id));
    let current = diagram.container_of(id);
    if under.map(|n| &n.id) == current {
        return Ok(None);
    }
    let name = &node.name;
    let under_vpc = under.and_then(|n| match &n.kind {
        NodeKind::Vpc(_) => Some(&n.id),
        NodeKind::Subnet(subnet) => Some(&subnet.vpc),
        _ => None,
    });
    let under_subnet = under.filter(|n| n.tag() == KindTag::Subnet);
    match &node.kind {
        NodeKind::Vpc(_) => match under {
            Some(other) => Err(format!("VPC {name:?} cannot sit inside {:?}", other.name)),
            None => Ok(None),
        },
        NodeKind::Subnet(subnet) => {
            if under_vpc == Some(&subnet.vpc) {
                Ok(None)
            } else {
                Err(format!(
                    "subnet {name:?} belongs to its VPC; AWS cannot move a subnet to another VPC"
                ))
            }
        }
        kind if kind.placement_subnets().len() == 1 => match under_subnet {
            Some(target) => {
                let mut changed = node.clone();
                let target_id = target.id.clone();
                match &mut changed.kind {
                    NodeKind::NatGateway(nat) => nat.subnet = target_id,
                    NodeKind::Bastion(bastion) => bastion.subnet = target_id,
                    NodeKind::LoadBalancer(alb) => alb.subnets = vec![target_id],
                    NodeKind::FargateService(service) => service.subnets = vec![target_id],
                    NodeKind::AuroraCluster(aurora) => aurora.subnets = vec![target_id],
                    NodeKind::VpcEndpoint(endpoint) => endpoint.subnets = vec![target_id],
                    _ => return Ok(None),
                }
                Ok(Some(Command::ReplaceNode { node: changed }))
            }
            None => Err(format!("{name:?} lives in a subnet; drop it inside one")),
        },
        _ if current.is_some() => {
            // Spans subnets, or belongs to a VPC: it may move within its VPC.
            if under_vpc.is_some() && under_vpc == vpc_of(diagram, current) {
                Ok(None)
            } else {
                Err(format!(
                    "{name:?} stays in its VPC; change its subnets in the inspector"
                ))
            }
        }
        _ => match under {
            Some(container) => Err(format!(
                "{name:?} is not part of a VPC; keep it outside {:?}",
                container.name
            )),
            None => Ok(None),
        },
    }
}

fn vpc_of<'a>(diagram: &'a Diagram, container: Option<&'a NodeId>) -> Option<&'a NodeId> {
    let node = diagram.node(container?)?;
    match &node.kind {
        NodeKind::Vpc(_) => Some(&node.id),
        NodeKind::Subnet(subnet) => Some(&subnet.vpc),
        _ => None,
    }
}

/// Containers under a point, innermost first.
fn containers_at(diagram: &Diagram, point: (f64, f64)) -> Vec<&Node> {
    let inside = |node: &&Node| {
        diagram
            .layout
            .get(&node.id)
            .is_some_and(|rect| super::place::contains(rect, point))
    };
    let mut found: Vec<&Node> = diagram.nodes_of(KindTag::Subnet).filter(inside).collect();
    found.reverse();
    let mut vpcs: Vec<&Node> = diagram.nodes_of(KindTag::Vpc).filter(inside).collect();
    vpcs.reverse();
    found.extend(vpcs);
    found
}

/// Commands that grow each container of the given nodes (and theirs) so that
/// everything it holds is inside it with some padding.
pub fn grow_containers<'a>(
    diagram: &Diagram,
    changed: impl Iterator<Item = &'a NodeId>,
) -> Vec<Command> {
    let mut layout = diagram.layout.clone();
    let mut commands = Vec::new();
    let mut pending: Vec<NodeId> = changed.cloned().collect();
    let mut steps = 0;
    while let Some(id) = pending.pop() {
        steps += 1;
        if steps > 10_000 {
            break;
        }
        let Some(parent) = diagram.container_of(&id) else {
            continue;
        };
        let (Some(child), Some(outer)) = (layout.get(&id).copied(), layout.get(parent).copied())
        else {
            continue;
        };
        let needed = Rect::new(
            child.x - PADDING,
            child.y - HEADER,
            child.w + 2.0 * PADDING,
            child.h + HEADER + PADDING + 24.0,
        );
        let grown = outer.union(&needed);
        if grown != outer {
            layout.insert(parent.clone(), grown);
            commands.push(Command::SetRect {
                id: parent.clone(),
                rect: Some(grown),
            });
            pending.push(parent.clone());
        }
    }
    commands
}

/// Resizes a container, never smaller than what it holds needs.
pub fn resize(diagram: &Diagram, id: &NodeId, wanted: Rect) -> Result<Command, String> {
    let node = diagram.node(id).ok_or("nothing to resize")?;
    if !node.tag().is_container() {
        return Err(format!("{:?} keeps its icon size", node.name));
    }
    let mut rect = Rect::new(
        wanted.x,
        wanted.y,
        wanted.w.max(MIN_CONTAINER.0),
        wanted.h.max(MIN_CONTAINER.1),
    );
    for child in descendants(diagram, id) {
        if let Some(inner) = diagram.layout.get(&child) {
            let needed = Rect::new(
                inner.x - PADDING,
                inner.y - HEADER,
                inner.w + 2.0 * PADDING,
                inner.h + HEADER + PADDING + 24.0,
            );
            rect = rect.union(&needed);
        }
    }
    let mut commands = vec![Command::SetRect {
        id: id.clone(),
        rect: Some(rect),
    }];
    let mut after = diagram.clone();
    after.layout.insert(id.clone(), rect);
    commands.extend(grow_containers(&after, std::iter::once(id)));
    Ok(Command::Batch(commands))
}

/// The one step that takes `before`'s boxes to `after`'s: the app gets a
/// tidied diagram from its worker and applies only the boxes that moved.
pub fn layout_changes(before: &Diagram, after: &Diagram) -> Command {
    let mut commands = Vec::new();
    for (id, rect) in &after.layout {
        if before.layout.get(id) != Some(rect) {
            commands.push(Command::SetRect {
                id: id.clone(),
                rect: Some(*rect),
            });
        }
    }
    for id in before.layout.keys() {
        if !after.layout.contains_key(id) {
            commands.push(Command::SetRect {
                id: id.clone(),
                rect: None,
            });
        }
    }
    Command::Batch(commands)
}

/// Lays a VPC out as columns by availability zone and rows by tier (public,
/// private with a way out, isolated); resources sit in a grid inside their
/// subnet, and those spanning subnets in a column on the right.
pub fn tidy(diagram: &Diagram, vpc_id: &NodeId) -> Result<Command, String> {
    let vpc_rect = *diagram
        .layout
        .get(vpc_id)
        .ok_or("only a VPC on the canvas can be tidied")?;
    if diagram.node(vpc_id).map(Node::tag) != Some(KindTag::Vpc) {
        return Err("tidy lays out a VPC; select one".into());
    }
    const CELL: f64 = 112.0;
    const COLUMNS_PER_SUBNET: usize = 3;
    let subnets: Vec<(&Node, &Subnet)> = diagram
        .nodes
        .iter()
        .filter_map(|node| match &node.kind {
            NodeKind::Subnet(subnet) if &subnet.vpc == vpc_id => Some((node, subnet)),
            _ => None,
        })
        .collect();
    let zones: Vec<String> = subnets
        .iter()
        .map(|(_, s)| s.az.clone())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    let tier = |id: &NodeId| -> u8 {
        if diagram.is_public_subnet(id) {
            0
        } else if diagram.default_route_target(id).is_some() {
            1
        } else {
            2
        }
    };
    // Cells: (tier, zone) -> subnets, in the order they were added.
    let mut cells: BTreeMap<(u8, usize), Vec<&Node>> = BTreeMap::new();
    for (node, subnet) in &subnets {
        let zone = zones.iter().position(|z| z == &subnet.az).unwrap_or(0);
        cells.entry((tier(&node.id), zone)).or_default().push(node);
    }
    let children_of = |id: &NodeId| -> Vec<NodeId> {
        diagram
            .children_of(id)
            .filter(|child| diagram.layout.contains_key(&child.id))
            .map(|child| child.id.clone())
            .collect()
    };
    let subnet_size = |id: &NodeId| -> (f64, f64) {
        let count = children_of(id).len().max(1);
        let rows = count.div_ceil(COLUMNS_PER_SUBNET);
        (
            COLUMNS_PER_SUBNET as f64 * CELL + PADDING,
            HEADER + rows as f64 * (CELL + 24.0) + PADDING,
        )
    };
    let column_width = subnets
        .iter()
        .map(|(node, _)| subnet_size(&node.id).0)
        .fold(0.0, f64::max)
        .max(super::place::SUBNET_SIZE.0);
    let tiers: BTreeSet<u8> = cells.keys().map(|(t, _)| *t).collect();
    let mut commands = Vec::new();
    let mut y = vpc_rect.y + HEADER + 8.0;
    let mut tier_rows: BTreeMap<u8, (f64, f64)> = BTreeMap::new();
    for tier_index in tiers {
        let row_top = y;
        let mut row_height: f64 = 0.0;
        for zone in 0..zones.len() {
            let mut cell_y = row_top;
            for node in cells.get(&(tier_index, zone)).into_iter().flatten() {
                let (w, h) = subnet_size(&node.id);
                let x = vpc_rect.x + PADDING + zone as f64 * (column_width + PADDING);
                let rect = Rect::new(x, cell_y, w.max(column_width), h);
                commands.push(Command::SetRect {
                    id: node.id.clone(),
                    rect: Some(rect),
                });
                for (index, child) in children_of(&node.id).iter().enumerate() {
                    let column = (index % COLUMNS_PER_SUBNET) as f64;
                    let row = (index / COLUMNS_PER_SUBNET) as f64;
                    commands.push(Command::SetRect {
                        id: child.clone(),
                        rect: Some(Rect::new(
                            rect.x + PADDING + column * CELL,
                            rect.y + HEADER + row * (CELL + 24.0),
                            ICON,
                            ICON,
                        )),
                    });
                }
                cell_y += h + PADDING;
            }
            row_height = row_height.max(cell_y - row_top);
        }
        tier_rows.insert(tier_index, (row_top, row_height));
        y = row_top + row_height;
    }
    // Resources that span subnets (or sit in the VPC itself): a column on the
    // right, each level with the tier of its subnets.
    let right = vpc_rect.x + PADDING + zones.len() as f64 * (column_width + PADDING);
    let mut next_y: BTreeMap<u8, f64> = BTreeMap::new();
    let mut bottom = y;
    for child in children_of(vpc_id) {
        if diagram.node(&child).map(Node::tag) == Some(KindTag::Subnet) {
            continue;
        }
        let child_tier = diagram
            .node(&child)
            .and_then(|n| n.kind.placement_subnets().first().map(|s| tier(s)))
            .unwrap_or(0);
        let start = tier_rows
            .get(&child_tier)
            .map_or(vpc_rect.y + HEADER, |(top, _)| *top);
        let slot = next_y.entry(child_tier).or_insert(start + 8.0);
        commands.push(Command::SetRect {
            id: child.clone(),
            rect: Some(Rect::new(right + PADDING, *slot, ICON, ICON)),
        });
        *slot += CELL;
        bottom = bottom.max(*slot);
    }
    let has_side = !next_y.is_empty();
    let width = (right - vpc_rect.x) + if has_side { CELL + PADDING } else { 0.0 };
    commands.push(Command::SetRect {
        id: vpc_id.clone(),
        rect: Some(Rect::new(
            vpc_rect.x,
            vpc_rect.y,
            width.max(MIN_CONTAINER.0),
            (bottom - vpc_rect.y + PADDING).max(MIN_CONTAINER.1),
        )),
    });
    Ok(Command::Batch(commands))
}
