//! The diagram as an outline: what a screen reader or a keyboard reads in
//! place of the canvas. Each VPC, then its subnets with what is placed in
//! each, then what sits in the VPC across subnets, then everything outside
//! the VPCs; every row says its kind, name, block, zone, routing and
//! problems in words.

use crate::domain::model::*;
use crate::domain::validate::{Analysis, Severity};
use std::collections::BTreeMap;

/// One node of the outline.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    pub id: NodeId,
    /// 1 for the top level.
    pub level: u8,
    /// The row of the node it sits in, if any.
    pub parent: Option<usize>,
    /// Everything the canvas shows of it, as one sentence.
    pub label: String,
}

/// The drawn nodes as outline rows, parents before children.
pub fn rows(diagram: &Diagram, analysis: &Analysis) -> Vec<Row> {
    let by_id: BTreeMap<&NodeId, &Node> = diagram.nodes.iter().map(|n| (&n.id, n)).collect();
    let drawn = |id: &NodeId| diagram.layout.contains_key(id);
    let vpc_of = |subnet: &NodeId| match by_id.get(subnet).map(|n| &n.kind) {
        Some(NodeKind::Subnet(s)) => Some(&s.vpc),
        _ => None,
    };
    // The box each node is drawn in, as `Diagram::container_of` derives it,
    // with a lookup table instead of a scan per node.
    let container = |node: &Node| -> Option<NodeId> {
        let found = match &node.kind {
            NodeKind::Subnet(subnet) => Some(&subnet.vpc),
            NodeKind::InternetGateway(igw) => igw.vpc.as_ref(),
            NodeKind::VpcEndpoint(endpoint) if endpoint.subnets.len() != 1 => Some(&endpoint.vpc),
            kind => match kind.placement_subnets().as_slice() {
                [] => None,
                [only] => Some(*only),
                [first, rest @ ..] => {
                    let vpc = vpc_of(first);
                    rest.iter()
                        .all(|s| vpc_of(s) == vpc)
                        .then_some(vpc)
                        .flatten()
                }
            },
        };
        found.filter(|id| drawn(id)).cloned()
    };
    let mut children: BTreeMap<Option<NodeId>, Vec<&Node>> = BTreeMap::new();
    for node in diagram.nodes.iter().filter(|n| drawn(&n.id)) {
        children.entry(container(node)).or_default().push(node);
    }
    // Per node: its errors and warnings, in words.
    let mut problems: BTreeMap<&NodeId, (usize, usize, &str)> = BTreeMap::new();
    for diagnostic in &analysis.diagnostics {
        for node in &diagnostic.nodes {
            let entry = problems
                .entry(node)
                .or_insert((0, 0, diagnostic.message.as_str()));
            match diagnostic.severity {
                Severity::Error => entry.0 += 1,
                Severity::Warning => entry.1 += 1,
                Severity::Info => {}
            }
        }
    }
    let mut out = Vec::new();
    // VPCs first, then the rest of the top level, as the canvas reads.
    let mut top: Vec<&Node> = children.remove(&None).unwrap_or_default();
    crate::domain::sorting::sort_by_key(&mut top, |n| n.tag() != KindTag::Vpc);
    let mut stack: Vec<(&Node, u8, Option<usize>)> =
        top.into_iter().rev().map(|n| (n, 1, None)).collect();
    while let Some((node, level, parent)) = stack.pop() {
        let at = out.len();
        out.push(Row {
            id: node.id.clone(),
            level,
            parent,
            label: describe(diagram, node, problems.get(&node.id).copied()),
        });
        if let Some(mut inside) = children.remove(&Some(node.id.clone())) {
            // Subnets before what spans them.
            crate::domain::sorting::sort_by_key(&mut inside, |n| n.tag() != KindTag::Subnet);
            for child in inside.into_iter().rev() {
                stack.push((child, level.saturating_add(1), Some(at)));
            }
        }
    }
    out
}

fn describe(diagram: &Diagram, node: &Node, problems: Option<(usize, usize, &str)>) -> String {
    let mut parts = vec![format!("{} {}", node.tag().label(), node.name)];
    match &node.kind {
        NodeKind::Vpc(vpc) => parts.push(vpc.cidr.to_string()),
        NodeKind::Subnet(subnet) => {
            parts.push(subnet.cidr.to_string());
            parts.push(subnet.az.clone());
            parts.push(
                crate::domain::edit::routing::routing_of(diagram, &node.id)
                    .as_str()
                    .to_string(),
            );
        }
        NodeKind::ExternalClient(client) => parts.push(client.cidr.to_string()),
        NodeKind::OtherResource(other) => {
            parts.push(other.resource_type.clone());
            parts.push("not analysed".into());
        }
        _ => {}
    }
    match problems {
        Some((errors, warnings, first)) if errors + warnings > 0 => {
            let mut counted = Vec::new();
            if errors > 0 {
                counted.push(plural(errors, "error"));
            }
            if warnings > 0 {
                counted.push(plural(warnings, "warning"));
            }
            parts.push(format!("{}: {first}", counted.join(" and ")));
        }
        _ => parts.push("no problems".into()),
    }
    parts.join(", ")
}

fn plural(count: usize, noun: &str) -> String {
    if count == 1 {
        format!("1 {noun}")
    } else {
        format!("{count} {noun}s")
    }
}
