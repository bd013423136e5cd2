//! A subnet's routing as a person thinks of it: public (through the VPC's
//! internet gateway), private (out through a NAT gateway) or isolated. The
//! route tables that makes true are found or created here.

use super::create::fresh_id;
use super::Command;
use crate::domain::model::*;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Routing {
    Public,
    Private,
    Isolated,
}

impl Routing {
    pub const ALL: [Routing; 3] = [Routing::Public, Routing::Private, Routing::Isolated];

    pub fn as_str(self) -> &'static str {
        match self {
            Routing::Public => "public",
            Routing::Private => "private",
            Routing::Isolated => "isolated",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Routing::Public => "Public (internet gateway)",
            Routing::Private => "Private (out through NAT)",
            Routing::Isolated => "Isolated (inside the VPC only)",
        }
    }

    pub fn parse(text: &str) -> Option<Routing> {
        Routing::ALL.into_iter().find(|r| r.as_str() == text)
    }
}

/// How a subnet routes today.
pub fn routing_of(diagram: &Diagram, subnet_id: &NodeId) -> Routing {
    if diagram.is_public_subnet(subnet_id) {
        return Routing::Public;
    }
    match diagram.default_route_target(subnet_id).map(|n| &n.kind) {
        Some(NodeKind::NatGateway(_)) => Routing::Private,
        _ => Routing::Isolated,
    }
}

/// Makes a subnet route the way asked, reusing a route table of its VPC that
/// already does, or adding one.
pub fn set_routing(
    diagram: &Diagram,
    subnet_id: &NodeId,
    routing: Routing,
) -> Result<Command, String> {
    let node = diagram
        .node(subnet_id)
        .ok_or("that subnet no longer exists")?;
    let NodeKind::Subnet(subnet) = &node.kind else {
        return Err("only a subnet has routing".into());
    };
    let vpc = subnet.vpc.clone();
    let letter = subnet.az.chars().last().unwrap_or('x');
    let table_to = |target: &NodeId| {
        diagram.nodes.iter().find(|n| {
            matches!(&n.kind, NodeKind::RouteTable(t) if t.vpc == vpc
                && t.routes.iter().any(|r| r.destination.prefix_len() == 0 && &r.target == target))
        })
    };
    let mut commands = Vec::new();
    let table = match routing {
        Routing::Isolated => None,
        Routing::Public => {
            let igw = diagram
                .nodes
                .iter()
                .find(|n| matches!(&n.kind, NodeKind::InternetGateway(g) if g.vpc.as_ref() == Some(&vpc)))
                .ok_or("attach an internet gateway to the VPC first: drop one onto it")?;
            Some(match table_to(&igw.id) {
                Some(table) => table.id.clone(),
                None => new_table(
                    diagram,
                    &vpc,
                    "rt-public",
                    "public-route-table",
                    &igw.id,
                    &mut commands,
                )?,
            })
        }
        Routing::Private => {
            let nats: Vec<(&Node, String)> = diagram
                .nodes
                .iter()
                .filter_map(|n| match &n.kind {
                    NodeKind::NatGateway(nat) => match diagram.node(&nat.subnet).map(|s| &s.kind) {
                        Some(NodeKind::Subnet(home)) if home.vpc == vpc => {
                            Some((n, home.az.clone()))
                        }
                        _ => None,
                    },
                    _ => None,
                })
                .collect();
            // A NAT in the subnet's own zone avoids cross-zone traffic (VR-18).
            let nat = nats
                .iter()
                .find(|(_, az)| az == &subnet.az)
                .or_else(|| nats.first())
                .map(|(n, _)| *n)
                .ok_or("add a NAT gateway to a public subnet of the VPC first")?;
            Some(match table_to(&nat.id) {
                Some(table) => table.id.clone(),
                None => new_table(
                    diagram,
                    &vpc,
                    &format!("rt-private-{letter}"),
                    &format!("private-route-table-{letter}"),
                    &nat.id,
                    &mut commands,
                )?,
            })
        }
    };
    let mut changed = node.clone();
    if let NodeKind::Subnet(subnet) = &mut changed.kind {
        subnet.route_table = table;
    }
    commands.push(Command::ReplaceNode { node: changed });
    Ok(Command::Batch(commands))
}

fn new_table(
    diagram: &Diagram,
    vpc: &NodeId,
    base: &str,
    name: &str,
    target: &NodeId,
    commands: &mut Vec<Command>,
) -> Result<NodeId, String> {
    let id = fresh_id(diagram, base).ok_or("too many route tables")?;
    commands.push(Command::AddNode {
        node: Node {
            id: id.clone(),
            name: name.into(),
            kind: NodeKind::RouteTable(RouteTable {
                vpc: vpc.clone(),
                routes: vec![Route {
                    destination: Cidr::anywhere(),
                    target: target.clone(),
                }],
            }),
        },
        rect: None,
        index: None,
    });
    Ok(id)
}
