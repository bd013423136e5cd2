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
    // Where things are once moved, read through the moved boxes rather
    // than from a copy of the diagram: a nudge on a large diagram would
    // copy thousands of nodes. Only a re-homing, which changes the model
    // too, works on a copy, made then.
    let moved_rect = |id: &NodeId| moved.get(id).or_else(|| diagram.layout.get(id)).copied();
    let mut rehomed: Option<Diagram> = None;
    for id in tops {
        let Some(rect) = moved.get(id) else { continue };
        let command = match &rehomed {
            None => rehome(diagram, &moved_rect, id, rect.center(), &moving)?,
            Some(after) => rehome(
                after,
                &|id| after.layout.get(id).copied(),
                id,
                rect.center(),
                &moving,
            )?,
        };
        if let Some(command) = command {
            let after = rehomed.get_or_insert_with(|| {
                let mut after = diagram.clone();
                for (id, rect) in &moved {
                    after.layout.insert(id.clone(), *rect);
                }
                after
            });
            super::apply(after, command.clone()).map_err(|e| e.to_string())?;
            commands.push(command);
        }
    }
    commands.extend(super::line::carried(diagram, &moving, (dx, dy)));
    commands.extend(match &rehomed {
        Some(after) => grow_containers(after, moved.keys()),
        None => grow_containers_in(diagram, moved_rect, moved.keys()),
    });
    Ok(Command::Batch(commands))
}

/// What changes in the model when a node's centre lands at `point`.
fn rehome(
    diagram: &Diagram,
    rect_of: &dyn Fn(&NodeId) -> Option<Rect>,
    id: &NodeId,
    point: (f64, f64),
    moving: &BTreeSet<NodeId>,
) -> Result<Option<Command>, String> {
    let Some(node) = diagram.node(id) else {
        return Ok(None);
    };
    // The container under the point, ignoring what moves along.
    let under = containers_at(diagram, rect_of, point)
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
                    NodeKind::Ec2Instance(instance) => instance.subnet = target_id,
                    NodeKind::LoadBalancer(alb) => alb.subnets = vec![target_id],
                    NodeKind::FargateService(service) => service.subnets = vec![target_id],
                    NodeKind::AuroraCluster(aurora) => aurora.subnets = vec![target_id],
                    NodeKind::RdsInstance(database) => database.subnets = vec![target_id],
                    NodeKind::ElasticacheCache(cache) => cache.subnets = vec![target_id],
                    NodeKind::VpcEndpoint(endpoint) => endpoint.subnets = vec![target_id],
                    _ => return Ok(None),
                }
                Ok(Some(Command::ReplaceNode { node: changed }))
            }
            None => Err(format!("{name:?} lives in a subnet; drop it inside one")),
        },
        kind if kind.placement_subnets().len() > 1 => {
            // Placed in several subnets: drawn between them, on a strip in
            // each; it stays there, or the picture would disagree with
            // where it is placed.
            let subnets: Vec<&Node> = kind
                .placement_subnets()
                .into_iter()
                .filter_map(|id| diagram.node(id))
                .collect();
            let hull = subnets
                .iter()
                .filter_map(|subnet| rect_of(&subnet.id))
                .reduce(|a, b| a.union(&b));
            match hull {
                Some(hull) if super::place::contains(&hull, point) => Ok(None),
                None => Ok(None),
                Some(_) => {
                    let names: Vec<String> =
                        subnets.iter().map(|s| format!("{:?}", s.name)).collect();
                    Err(format!(
                        "{name:?} is placed in {}; it stays across them (change its subnets in the inspector)",
                        names.join(" and ")
                    ))
                }
            }
        }
        _ if current.is_some() => {
            // Belongs to a VPC (a gateway, an ACL): it may move within it.
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
fn containers_at<'a>(
    diagram: &'a Diagram,
    rect_of: &dyn Fn(&NodeId) -> Option<Rect>,
    point: (f64, f64),
) -> Vec<&'a Node> {
    let inside =
        |node: &&Node| rect_of(&node.id).is_some_and(|rect| super::place::contains(&rect, point));
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
    grow_containers_in(diagram, |id| diagram.layout.get(id).copied(), changed)
}

/// [`grow_containers`] with the boxes read through `rect_of`.
fn grow_containers_in<'a>(
    diagram: &Diagram,
    rect_of: impl Fn(&NodeId) -> Option<Rect>,
    changed: impl Iterator<Item = &'a NodeId>,
) -> Vec<Command> {
    let mut grown: BTreeMap<NodeId, Rect> = BTreeMap::new();
    let rect = |grown: &BTreeMap<NodeId, Rect>, id: &NodeId| {
        grown.get(id).copied().or_else(|| rect_of(id))
    };
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
        let (Some(child), Some(outer)) = (rect(&grown, &id), rect(&grown, parent)) else {
            continue;
        };
        let needed = Rect::new(
            child.x - PADDING,
            child.y - HEADER,
            child.w + 2.0 * PADDING,
            child.h + HEADER + PADDING + 24.0,
        );
        let bigger = outer.union(&needed);
        if bigger != outer {
            grown.insert(parent.clone(), bigger);
            commands.push(Command::SetRect {
                id: parent.clone(),
                rect: Some(bigger),
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

/// The one step that takes `before`'s boxes and lines to `after`'s: the app
/// gets a tidied diagram from its worker and applies only what moved.
pub fn layout_changes(before: &Diagram, after: &Diagram) -> Command {
    let mut commands = Vec::new();
    for edge in &after.edges {
        let was = before.edges.iter().find(|was| was.id == edge.id);
        if was.is_some_and(|was| was.bends != edge.bends || was.straight != edge.straight) {
            commands.push(Command::ReplaceEdge { edge: edge.clone() });
        }
    }
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

/// Room above a VPC's subnets for the zone columns' labels.
pub const ZONE_LABEL: f64 = 28.0;
/// Room under a subnet's resources for its addresses line.
const FOOTER: f64 = 30.0;
/// A resource's cell: its icon, its caption, and a gap.
const CELL_H: f64 = 132.0;
const MIN_CELL_W: f64 = 120.0;
const COLUMNS_PER_SUBNET: usize = 3;

/// Where a resource's icon goes when its subnets change, if it must move:
/// into its one subnet, or between its several, so the picture shows where
/// it is placed. `None` when it is already there.
pub fn keep_in_subnets(diagram: &Diagram, node: &Node) -> Option<Rect> {
    let icon = *diagram.layout.get(&node.id)?;
    let hull = node
        .kind
        .placement_subnets()
        .into_iter()
        .filter_map(|id| diagram.layout.get(id))
        .copied()
        .reduce(|a, b| a.union(&b))?;
    let inside = hull.x <= icon.x
        && icon.right() <= hull.right()
        && hull.y <= icon.y
        && icon.bottom() <= hull.bottom();
    if inside {
        return None;
    }
    let clamp = |value: f64, low: f64, high: f64| value.max(low).min(high.max(low));
    Some(Rect::new(
        clamp(icon.x, hull.x + PADDING, hull.right() - PADDING - icon.w),
        clamp(
            icon.y,
            hull.y + HEADER,
            hull.bottom() - PADDING - icon.h - 24.0,
        ),
        icon.w,
        icon.h,
    ))
}

/// Lays a VPC out as a person would: one column per availability zone, one
/// row per tier (public, then private with a way out, then isolated), every
/// resource inside its subnet, those placed in several subnets on a band
/// across them (see `scene::Band`), and what belongs to the VPC itself
/// (gateways, network ACLs, gateway endpoints) in a strip under its title.
/// Cells are as wide as the widest caption, so no text overprints another.
pub fn tidy(diagram: &Diagram, vpc_id: &NodeId) -> Result<Command, String> {
    let vpc_rect = *diagram
        .layout
        .get(vpc_id)
        .ok_or("only a VPC on the canvas can be tidied")?;
    if diagram.node(vpc_id).map(Node::tag) != Some(KindTag::Vpc) {
        return Err("tidy lays out a VPC; select one".into());
    }
    let caption_width = |id: &NodeId| -> f64 {
        match (diagram.node(id), diagram.layout.get(id)) {
            (Some(node), Some(rect)) => crate::domain::scene::glyph(diagram, node, rect)
                .labels()
                .iter()
                .map(|label| label.covers.w)
                .fold(ICON, f64::max),
            _ => ICON,
        }
    };
    let drawn = |id: &NodeId| diagram.layout.contains_key(id);
    let subnets: Vec<(&Node, &Subnet)> = diagram
        .nodes
        .iter()
        .filter(|node| drawn(&node.id))
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
    let zone_of = |id: &NodeId| -> usize {
        subnets
            .iter()
            .find(|(node, _)| &node.id == id)
            .and_then(|(_, s)| zones.iter().position(|z| z == &s.az))
            .unwrap_or(0)
    };
    // Each (tier, zone) cell holds its subnets in the order they were
    // added; the k-th subnets of a tier's cells make its k-th row.
    let mut cells: BTreeMap<(u8, usize), Vec<&NodeId>> = BTreeMap::new();
    for (node, _) in &subnets {
        cells
            .entry((tier(&node.id), zone_of(&node.id)))
            .or_default()
            .push(&node.id);
    }
    let row_of = |subnet: &NodeId| -> Option<(u8, usize)> {
        cells
            .iter()
            .find_map(|((t, _), list)| list.iter().position(|s| *s == subnet).map(|k| (*t, k)))
    };
    // What each subnet holds alone, what spans subnets (by row), and what
    // belongs to the VPC itself.
    let mut alone: BTreeMap<&NodeId, Vec<NodeId>> = BTreeMap::new();
    // By row (tier, k): each spanning resource with its first and last zone.
    type Spans = Vec<(NodeId, usize, usize)>;
    let mut spanning: BTreeMap<(u8, usize), Spans> = BTreeMap::new();
    let mut own: Vec<NodeId> = Vec::new();
    for node in &diagram.nodes {
        if !drawn(&node.id) || node.tag().is_container() {
            continue;
        }
        let placed: Vec<&NodeId> = node
            .kind
            .placement_subnets()
            .into_iter()
            .filter(|s| subnets.iter().any(|(n, _)| &n.id == *s))
            .collect();
        match placed.as_slice() {
            [] if diagram.container_of(&node.id) == Some(vpc_id) => own.push(node.id.clone()),
            [] => {}
            [only] => alone.entry(*only).or_default().push(node.id.clone()),
            [first, ..] => {
                let Some(row) = row_of(first) else { continue };
                let columns: Vec<usize> = placed.iter().map(|s| zone_of(s)).collect();
                let (low, high) = (
                    columns.iter().copied().min().unwrap_or(0),
                    columns.iter().copied().max().unwrap_or(0),
                );
                spanning
                    .entry(row)
                    .or_default()
                    .push((node.id.clone(), low, high));
            }
        }
    }

    let cell_w = alone
        .values()
        .flatten()
        .chain(own.iter())
        .chain(spanning.values().flatten().map(|(id, _, _)| id))
        .map(|id| caption_width(id) + 24.0)
        .fold(MIN_CELL_W, f64::max);
    // Whole grid steps, so every position is a round number.
    let cell_w = (cell_w / GRID).ceil() * GRID;
    let capacity = crate::domain::validate::subnet_capacity(diagram);
    let header_width = |id: &NodeId| -> f64 {
        let (Some(node), Some(rect)) = (diagram.node(id), diagram.layout.get(id)) else {
            return 0.0;
        };
        let labels =
            crate::domain::scene::container_box(diagram, node, rect, &capacity, &BTreeMap::new())
                .labels();
        let width = |class: &str| {
            labels
                .iter()
                .filter(|l| l.class == class)
                .map(|l| l.covers.w)
                .sum::<f64>()
        };
        (width("container-title") + width("container-tier") + 48.0)
            .max(width("container-subtitle") + 36.0)
            .max(width("container-capacity") + 36.0)
    };
    let column_width = subnets
        .iter()
        .map(|(node, _)| {
            let count = alone.get(&node.id).map_or(0, Vec::len);
            let columns = count.clamp(1, COLUMNS_PER_SUBNET) as f64;
            (columns * cell_w + 2.0 * PADDING).max(header_width(&node.id))
        })
        .fold(super::place::SUBNET_SIZE.0, f64::max);
    let column_width = (column_width / GRID).ceil() * GRID;
    let column_x = |zone: usize| vpc_rect.x + PADDING + zone as f64 * (column_width + PADDING);

    let mut commands = Vec::new();
    let mut place = |id: &NodeId, rect: Rect| {
        commands.push(Command::SetRect {
            id: id.clone(),
            rect: Some(rect),
        })
    };
    let mut y = vpc_rect.y + HEADER;
    // An internet gateway straddles the VPC's left border, as AWS's diagrams
    // draw it, level with the public subnets' first resources.
    let (gateways, own): (Vec<NodeId>, Vec<NodeId>) = own
        .into_iter()
        .partition(|id| diagram.node(id).map(Node::tag) == Some(KindTag::InternetGateway));
    // The VPC's other things, in a strip under its title.
    if !own.is_empty() {
        for (index, id) in own.iter().enumerate() {
            let x = vpc_rect.x + PADDING + index as f64 * cell_w + (cell_w - ICON) / 2.0;
            place(id, Rect::new(x, y, ICON, ICON));
        }
        y += CELL_H - 16.0;
    }
    y += ZONE_LABEL;
    for (index, id) in gateways.iter().enumerate() {
        let top = y + HEADER + index as f64 * CELL_H;
        place(id, Rect::new(vpc_rect.x - ICON / 2.0, top, ICON, ICON));
    }
    let rows: BTreeSet<(u8, usize)> = cells
        .iter()
        .flat_map(|((t, _), list)| (0..list.len()).map(move |k| (*t, k)))
        .collect();
    for (tier_index, k) in rows {
        let in_row: Vec<(usize, &NodeId)> = (0..zones.len())
            .filter_map(|zone| {
                cells
                    .get(&(tier_index, zone))
                    .and_then(|list| list.get(k))
                    .map(|id| (zone, *id))
            })
            .collect();
        let grid_rows = in_row
            .iter()
            .map(|(_, id)| {
                alone
                    .get(id)
                    .map_or(0, |list| list.len().div_ceil(COLUMNS_PER_SUBNET))
            })
            .max()
            .unwrap_or(0);
        let lanes = spanning.get(&(tier_index, k)).map_or(0, Vec::len);
        let height = HEADER + ((grid_rows + lanes).max(1)) as f64 * CELL_H + FOOTER - 24.0;
        for (zone, subnet) in &in_row {
            let rect = Rect::new(column_x(*zone), y, column_width, height);
            place(subnet, rect);
            for (index, child) in alone.get(subnet).into_iter().flatten().enumerate() {
                let column = (index % COLUMNS_PER_SUBNET) as f64;
                let row = (index / COLUMNS_PER_SUBNET) as f64;
                place(
                    child,
                    Rect::new(
                        rect.x + PADDING + column * cell_w + (cell_w - ICON) / 2.0,
                        rect.y + HEADER + row * CELL_H,
                        ICON,
                        ICON,
                    ),
                );
            }
        }
        for (lane, (id, low, high)) in spanning
            .get(&(tier_index, k))
            .into_iter()
            .flatten()
            .enumerate()
        {
            let left = column_x(*low);
            let right = column_x(*high) + column_width;
            let x = (left + right) / 2.0 - ICON / 2.0;
            let lane_y = y + HEADER + (grid_rows + lane) as f64 * CELL_H;
            place(id, Rect::new(x, lane_y, ICON, ICON));
        }
        y += height + PADDING;
    }
    let width = PADDING + zones.len().max(1) as f64 * (column_width + PADDING);
    let own_width = PADDING + own.len() as f64 * cell_w + PADDING;
    place(
        vpc_id,
        Rect::new(
            vpc_rect.x,
            vpc_rect.y,
            width.max(own_width).max(MIN_CONTAINER.0),
            (y - vpc_rect.y).max(MIN_CONTAINER.1),
        ),
    );
    let laid_out: BTreeSet<NodeId> = commands
        .iter()
        .filter_map(|command| match command {
            Command::SetRect { id, .. } => Some(id.clone()),
            _ => None,
        })
        .collect();
    commands.extend(super::line::unbent(diagram, &laid_out));
    Ok(Command::Batch(commands))
}
