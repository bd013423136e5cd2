//! CIDR, addressing and routing rules: VR-1 to VR-19, and VR-46 (endpoint DNS).

use super::diagnostic::Diagnostic;
use super::index::Index;
use super::regions;
use crate::domain::edit::Command;
use crate::domain::model::*;
use crate::domain::sorting;
use std::collections::{BTreeMap, BTreeSet};

pub fn check(ix: &Index, out: &mut Vec<Diagnostic>) {
    for node in ix.nodes() {
        match &node.kind {
            NodeKind::Vpc(vpc) => check_vpc(node, vpc, out),
            NodeKind::Subnet(subnet) => check_subnet(ix, node, subnet, out),
            NodeKind::RouteTable(table) => check_route_table(ix, node, table, out),
            NodeKind::NatGateway(nat) => check_nat(ix, node, nat, out),
            NodeKind::VpcPeering(peering) => check_peering(ix, node, peering, out),
            NodeKind::VpcEndpoint(endpoint) => check_endpoint_dns(ix, node, endpoint, out),
            NodeKind::SecurityGroup(group) => {
                for (list, rules) in [("inbound", &group.ingress), ("outbound", &group.egress)] {
                    for (at, rule) in rules.iter().enumerate() {
                        if let Peer::Cidr(cidr) = &rule.peer {
                            host_bits(
                                node,
                                *cidr,
                                &format!("{list} rule {}", at + 1),
                                out,
                                |kind, fixed| {
                                    if let NodeKind::SecurityGroup(group) = kind {
                                        let rules = if list == "inbound" {
                                            &mut group.ingress
                                        } else {
                                            &mut group.egress
                                        };
                                        rules[at].peer = Peer::Cidr(fixed);
                                    }
                                },
                            );
                        }
                    }
                }
            }
            NodeKind::ExternalClient(client) => {
                host_bits(node, client.cidr, "address block", out, |kind, fixed| {
                    if let NodeKind::ExternalClient(client) = kind {
                        client.cidr = fixed;
                    }
                });
            }
            _ => {}
        }
    }
    check_subnet_overlaps(ix, out);
    check_gateways_per_vpc(ix, out);
    check_region(ix, out);
}

/// VR-46: an interface endpoint is exported with private DNS (so tasks reach
/// the service by its usual name), which AWS refuses to create in a VPC
/// without both DNS support and DNS hostnames.
fn check_endpoint_dns(ix: &Index, node: &Node, endpoint: &VpcEndpoint, out: &mut Vec<Diagnostic>) {
    if endpoint.service.is_gateway() {
        return;
    }
    let Some(vpc_node) = ix.node(&endpoint.vpc) else {
        return;
    };
    let NodeKind::Vpc(vpc) = &vpc_node.kind else {
        return;
    };
    if vpc.dns_support && vpc.dns_hostnames {
        return;
    }
    let missing = match (vpc.dns_support, vpc.dns_hostnames) {
        (false, false) => "DNS support and DNS hostnames",
        (false, true) => "DNS support",
        _ => "DNS hostnames",
    };
    out.push(
        Diagnostic::error(
            46,
            vec![node.id.clone(), vpc_node.id.clone()],
            format!(
                "interface endpoint {:?} uses private DNS, which AWS refuses in VPC {:?} because its {missing} {} off; without private DNS, tasks would not use the endpoint",
                node.name,
                vpc_node.name,
                if missing.contains(" and ") { "are" } else { "is" }
            ),
        )
        .with_fix(
            format!("Turn on DNS support and hostnames in {:?}", vpc_node.name),
            replace_node(vpc_node, |kind| {
                if let NodeKind::Vpc(vpc) = kind {
                    vpc.dns_support = true;
                    vpc.dns_hostnames = true;
                }
            }),
        ),
    );
}

/// A copy of a node with its kind changed, as a command.
pub fn replace_node(node: &Node, change: impl FnOnce(&mut NodeKind)) -> Command {
    let mut node = node.clone();
    change(&mut node.kind);
    Command::ReplaceNode { node }
}

/// VR-4: a block with host bits set, with the canonical block as the fix.
fn host_bits(
    node: &Node,
    cidr: Cidr,
    what: &str,
    out: &mut Vec<Diagnostic>,
    set: impl FnOnce(&mut NodeKind, Cidr),
) {
    if cidr.is_canonical() {
        return;
    }
    let fixed = cidr.canonical();
    out.push(
        Diagnostic::error(
            4,
            vec![node.id.clone()],
            format!(
                "{:?}: the {what} {cidr} has host bits set; the block it means is {fixed}",
                node.name
            ),
        )
        .with_fix(
            format!("Use {fixed}"),
            replace_node(node, |kind| set(kind, fixed)),
        ),
    );
}

const PRIVATE_RANGES: [&str; 3] = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"];
const SHARED_ADDRESS_SPACE: &str = "100.64.0.0/10";

fn block(text: &str) -> Cidr {
    // Only called with the constant blocks above, which always parse.
    Cidr::parse(text).unwrap_or_else(|_| unreachable!("constant block {text}"))
}

/// Which RFC 1918 range (or other class) a block falls in, for VR-5's table.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum AddressClass {
    Ten,
    OneSevenTwo,
    OneNineTwo,
    OneNineEight,
    Other,
}

fn class_of(cidr: &Cidr) -> AddressClass {
    if block("10.0.0.0/8").contains(cidr) {
        AddressClass::Ten
    } else if block("172.16.0.0/12").contains(cidr) {
        AddressClass::OneSevenTwo
    } else if block("192.168.0.0/16").contains(cidr) {
        AddressClass::OneNineTwo
    } else if block("198.19.0.0/16").contains(cidr) {
        AddressClass::OneNineEight
    } else {
        AddressClass::Other
    }
}

fn check_vpc(node: &Node, vpc: &Vpc, out: &mut Vec<Diagnostic>) {
    let id = vec![node.id.clone()];
    let name = &node.name;
    let link_local = block("169.254.0.0/16");

    // VR-1
    if !(16..=28).contains(&vpc.cidr.prefix_len()) {
        out.push(Diagnostic::error(
            1,
            id.clone(),
            format!(
                "VPC {name:?}: {} is a /{}; a VPC block must be between /16 and /28",
                vpc.cidr,
                vpc.cidr.prefix_len()
            ),
        ));
    }
    if vpc.cidr.overlaps(&link_local) {
        out.push(Diagnostic::error(
            1,
            id.clone(),
            format!(
                "VPC {name:?}: {} overlaps 169.254.0.0/16, the link-local range AWS reserves",
                vpc.cidr
            ),
        ));
    }
    host_bits(node, vpc.cidr, "VPC block", out, |kind, fixed| {
        if let NodeKind::Vpc(vpc) = kind {
            vpc.cidr = fixed;
        }
    });

    let blocks: Vec<Cidr> = std::iter::once(vpc.cidr)
        .chain(vpc.secondary_cidrs.iter().copied())
        .collect();
    for cidr in &blocks {
        // VR-2. A link-local block is not public: VR-1 and VR-5 report it
        // for what it is.
        if cidr.overlaps(&link_local) {
            continue;
        }
        let private = PRIVATE_RANGES
            .iter()
            .any(|range| block(range).contains(cidr))
            || block(SHARED_ADDRESS_SPACE).contains(cidr);
        if !private {
            out.push(Diagnostic::warning(
                2,
                id.clone(),
                format!(
                    "VPC {name:?}: {cidr} is publicly routable; prefer 10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16"
                ),
            ));
        }
        // VR-3
        if cidr.overlaps(&block("172.17.0.0/16")) {
            out.push(Diagnostic::warning(
                3,
                id.clone(),
                format!(
                    "VPC {name:?}: {cidr} overlaps 172.17.0.0/16, which Docker and some AWS services use; containers may fail to reach those addresses"
                ),
            ));
        }
    }

    // VR-5
    if blocks.len() > 5 {
        out.push(Diagnostic::error(
            5,
            id.clone(),
            format!(
                "VPC {name:?} has {} IPv4 blocks; the default quota is 5",
                blocks.len()
            ),
        ));
    }
    let primary_class = class_of(&vpc.cidr);
    for (at, secondary) in vpc.secondary_cidrs.iter().enumerate() {
        host_bits(node, *secondary, "secondary block", out, |kind, fixed| {
            if let NodeKind::Vpc(vpc) = kind {
                vpc.secondary_cidrs[at] = fixed;
            }
        });
        if !(16..=28).contains(&secondary.prefix_len()) {
            out.push(Diagnostic::error(
                5,
                id.clone(),
                format!(
                    "VPC {name:?}: the secondary block {secondary} must be between /16 and /28"
                ),
            ));
        }
        if let Some(other) = blocks
            .iter()
            .enumerate()
            .find(|(other_at, other)| *other_at != at + 1 && other.overlaps(secondary))
        {
            out.push(Diagnostic::error(
                5,
                id.clone(),
                format!(
                    "VPC {name:?}: the secondary block {secondary} overlaps {}",
                    other.1
                ),
            ));
        }
        if secondary.overlaps(&link_local) {
            out.push(Diagnostic::error(
                5,
                id.clone(),
                format!("VPC {name:?}: {secondary} is in 169.254.0.0/16, which can never be added"),
            ));
            continue;
        }
        let restricted = match (primary_class, class_of(secondary)) {
            (_, AddressClass::OneNineEight) if primary_class != AddressClass::OneNineEight => true,
            (AddressClass::Ten, AddressClass::OneSevenTwo | AddressClass::OneNineTwo) => true,
            (AddressClass::OneSevenTwo, AddressClass::Ten | AddressClass::OneNineTwo) => true,
            (AddressClass::OneNineTwo, AddressClass::Ten | AddressClass::OneSevenTwo) => true,
            (
                AddressClass::OneNineEight | AddressClass::Other,
                AddressClass::Ten | AddressClass::OneSevenTwo | AddressClass::OneNineTwo,
            ) => true,
            _ => false,
        };
        if restricted {
            out.push(Diagnostic::error(
                5,
                id.clone(),
                format!(
                    "VPC {name:?}: a VPC whose primary block is {} cannot add {secondary} (AWS's restrictions on secondary blocks)",
                    vpc.cidr
                ),
            ));
        }
    }
}

fn check_peering(ix: &Index, node: &Node, peering: &VpcPeering, out: &mut Vec<Diagnostic>) {
    // VR-6
    let left = ix.vpc_blocks(&peering.requester);
    let right = ix.vpc_blocks(&peering.accepter);
    if peering.requester == peering.accepter {
        out.push(Diagnostic::error(
            6,
            vec![node.id.clone()],
            format!("peering {:?} joins a VPC to itself", node.name),
        ));
        return;
    }
    for a in &left {
        if let Some(b) = right.iter().find(|b| a.overlaps(b)) {
            out.push(Diagnostic::error(
                6,
                vec![
                    node.id.clone(),
                    peering.requester.clone(),
                    peering.accepter.clone(),
                ],
                format!(
                    "peering {:?}: {} and {} overlap; peered VPCs must not share addresses",
                    node.name, a, b
                ),
            ));
        }
    }
}

fn check_subnet(ix: &Index, node: &Node, subnet: &Subnet, out: &mut Vec<Diagnostic>) {
    let id = vec![node.id.clone()];
    let name = &node.name;
    host_bits(node, subnet.cidr, "subnet block", out, |kind, fixed| {
        if let NodeKind::Subnet(subnet) = kind {
            subnet.cidr = fixed;
        }
    });

    // VR-9
    if !(16..=28).contains(&subnet.cidr.prefix_len()) {
        out.push(Diagnostic::error(
            9,
            id.clone(),
            format!(
                "subnet {name:?}: {} is a /{}; a subnet must be between /16 and /28",
                subnet.cidr,
                subnet.cidr.prefix_len()
            ),
        ));
    }
    let blocks = ix.vpc_blocks(&subnet.vpc);
    if !blocks
        .iter()
        .any(|vpc_block| vpc_block.contains(&subnet.cidr))
    {
        let mut diagnostic = Diagnostic::error(
            9,
            vec![node.id.clone(), subnet.vpc.clone()],
            format!(
                "subnet {name:?}: {} is not inside its VPC {} ({})",
                subnet.cidr,
                ix.name(&subnet.vpc),
                blocks
                    .iter()
                    .map(Cidr::to_string)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        );
        if let Some(free) = next_free_for(ix, &subnet.vpc, &node.id, subnet.cidr.prefix_len()) {
            diagnostic = diagnostic.with_fix(
                format!("Use {free}"),
                replace_node(node, |kind| {
                    if let NodeKind::Subnet(subnet) = kind {
                        subnet.cidr = free;
                    }
                }),
            );
        }
        out.push(diagnostic);
    }

    // VR-11: the error only; the capacity itself is shown on the subnet
    // (its caption and tooltip) and in the inspector, not as a problem.
    let usable = subnet.cidr.usable_in_subnet();
    let demand = ix.demand(&node.id);
    if demand > usable {
        out.push(Diagnostic::error(
            11,
            id.clone(),
            format!(
                "subnet {name:?} ({}) has {usable} usable addresses, but what is placed in it needs {demand}",
                subnet.cidr
            ),
        ));
    }

    // VR-12
    if regions::has_zone(&ix.diagram.region, &subnet.az) == Some(false) {
        let zones = regions::zones(&ix.diagram.region);
        let mut diagnostic = Diagnostic::error(
            12,
            id.clone(),
            format!(
                "subnet {name:?} is in {:?}, which is not a zone of {} ({})",
                subnet.az,
                ix.diagram.region,
                zones.join(", ")
            ),
        );
        if let Some(zone) = zones.first() {
            let zone = zone.clone();
            diagnostic = diagnostic.with_fix(
                format!("Move it to {zone}"),
                replace_node(node, |kind| {
                    if let NodeKind::Subnet(subnet) = kind {
                        subnet.az = zone;
                    }
                }),
            );
        }
        out.push(diagnostic);
    }

    // VR-13
    if subnet.route_table.is_none() {
        out.push(Diagnostic::info(
            13,
            id.clone(),
            format!(
                "subnet {name:?} has no route table, so it uses the VPC's main table: traffic stays inside the VPC"
            ),
        ));
    }

    // VR-14: the association must stay in the subnet's VPC.
    if let Some(table_id) = &subnet.route_table {
        if let Some(table) = ix.route_table(table_id) {
            if table.vpc != subnet.vpc {
                out.push(
                    Diagnostic::error(
                        14,
                        vec![node.id.clone(), table_id.clone()],
                        format!(
                            "subnet {name:?} is associated with route table {}, which belongs to another VPC",
                            ix.name(table_id)
                        ),
                    )
                    .with_fix(
                        "Use its own VPC's main route table",
                        replace_node(node, |kind| {
                            if let NodeKind::Subnet(subnet) = kind {
                                subnet.route_table = None;
                            }
                        }),
                    ),
                );
            }
        }
    }
}

/// The next free block of a size in a VPC, leaving out one subnet's own block.
pub fn next_free_for(ix: &Index, vpc: &NodeId, except: &NodeId, prefix_len: u8) -> Option<Cidr> {
    let taken: Vec<Cidr> = ix
        .subnets_of_vpc(vpc)
        .iter()
        .filter(|id| **id != except)
        .filter_map(|id| ix.subnet(id).map(|subnet| subnet.cidr))
        .collect();
    Cidr::next_free(&ix.vpc_blocks(vpc), &taken, prefix_len)
}

fn check_subnet_overlaps(ix: &Index, out: &mut Vec<Diagnostic>) {
    // VR-10: compared pairwise within each VPC after sorting by start address,
    // so only neighbours need comparing.
    let mut vpcs: BTreeSet<&NodeId> = BTreeSet::new();
    for node in ix.nodes() {
        if let NodeKind::Subnet(subnet) = &node.kind {
            vpcs.insert(&subnet.vpc);
        }
    }
    for vpc in vpcs {
        let mut subnets: Vec<(usize, &Node, Cidr)> = ix
            .subnets_of_vpc(vpc)
            .iter()
            .enumerate()
            .filter_map(|(order, id)| {
                let node = ix.node(id)?;
                ix.subnet(id).map(|subnet| (order, node, subnet.cidr))
            })
            .collect();
        sorting::sort_by_key(&mut subnets, |(order, _, cidr)| (cidr.range().0, *order));
        let mut widest: Option<(usize, &Node, Cidr)> = None;
        for current in subnets {
            if let Some(previous) = widest {
                if previous.2.overlaps(&current.2) {
                    // Move the one added later.
                    let (keep, moved) = if previous.0 < current.0 {
                        (previous, current)
                    } else {
                        (current, previous)
                    };
                    let mut diagnostic = Diagnostic::error(
                        10,
                        vec![moved.1.id.clone(), keep.1.id.clone()],
                        format!(
                            "subnets {:?} ({}) and {:?} ({}) overlap",
                            moved.1.name, moved.2, keep.1.name, keep.2
                        ),
                    );
                    if let Some(free) = next_free_for(ix, vpc, &moved.1.id, moved.2.prefix_len()) {
                        diagnostic = diagnostic.with_fix(
                            format!("Move {:?} to {free}", moved.1.name),
                            replace_node(moved.1, |kind| {
                                if let NodeKind::Subnet(subnet) = kind {
                                    subnet.cidr = free;
                                }
                            }),
                        );
                    }
                    out.push(diagnostic);
                }
                if current.2.range().1 > previous.2.range().1 {
                    widest = Some(current);
                }
            } else {
                widest = Some(current);
            }
        }
    }
}

fn check_route_table(ix: &Index, node: &Node, table: &RouteTable, out: &mut Vec<Diagnostic>) {
    for (at, route) in table.routes.iter().enumerate() {
        host_bits(
            node,
            route.destination,
            "route destination",
            out,
            |kind, fixed| {
                if let NodeKind::RouteTable(table) = kind {
                    table.routes[at].destination = fixed;
                }
            },
        );
        match ix.kind(&route.target) {
            // VR-14
            Some(NodeKind::InternetGateway(igw)) if igw.vpc.as_ref() != Some(&table.vpc) => {
                let diagnostic = Diagnostic::error(
                    14,
                    vec![node.id.clone(), route.target.clone()],
                    format!(
                        "route table {:?} sends {} to internet gateway {}, which is not attached to its VPC; the route goes nowhere",
                        node.name,
                        route.destination,
                        ix.name(&route.target)
                    ),
                );
                let fix = match (ix.gateway_of(&table.vpc), ix.node(&route.target)) {
                    (Some(attached), _) => {
                        let to = attached.id.clone();
                        Some((
                            format!("Route it through {:?}, the VPC's gateway", attached.name),
                            replace_node(node, |kind| {
                                if let NodeKind::RouteTable(table) = kind {
                                    table.routes[at].target = to.clone();
                                }
                            }),
                        ))
                    }
                    (None, Some(gateway)) if igw.vpc.is_none() => Some((
                        format!("Attach {:?} to the VPC", gateway.name),
                        replace_node(gateway, |kind| {
                            if let NodeKind::InternetGateway(igw) = kind {
                                igw.vpc = Some(table.vpc.clone());
                            }
                        }),
                    )),
                    _ => None,
                };
                out.push(match fix {
                    Some((label, command)) => diagnostic.with_fix(label, command),
                    None => diagnostic.with_fix("Remove the route", remove_route(node, at)),
                });
            }
            Some(NodeKind::NatGateway(nat)) => {
                let nat_vpc = ix.subnet(&nat.subnet).map(|subnet| &subnet.vpc);
                if nat_vpc != Some(&table.vpc) {
                    out.push(
                        Diagnostic::error(
                            14,
                            vec![node.id.clone(), route.target.clone()],
                            format!(
                                "route table {:?} sends {} to NAT gateway {} in another VPC",
                                node.name,
                                route.destination,
                                ix.name(&route.target)
                            ),
                        )
                        .with_fix("Remove the route", remove_route(node, at)),
                    );
                }
                // VR-17
                if nat.connectivity == NatConnectivity::Private
                    && route.destination.prefix_len() == 0
                {
                    out.push(Diagnostic::error(
                        17,
                        vec![node.id.clone(), route.target.clone()],
                        format!(
                            "route table {:?} sends internet traffic to the private NAT gateway {}, which cannot reach the internet",
                            node.name,
                            ix.name(&route.target)
                        ),
                    ));
                }
            }
            Some(NodeKind::VpcPeering(peering))
                if peering.requester != table.vpc && peering.accepter != table.vpc =>
            {
                out.push(
                    Diagnostic::error(
                        14,
                        vec![node.id.clone(), route.target.clone()],
                        format!(
                            "route table {:?} sends {} to peering {}, which does not involve its VPC",
                            node.name,
                            route.destination,
                            ix.name(&route.target)
                        ),
                    )
                    .with_fix("Remove the route", remove_route(node, at)),
                );
            }
            _ => {}
        }
    }
}

fn check_nat(ix: &Index, node: &Node, nat: &NatGateway, out: &mut Vec<Diagnostic>) {
    if nat.connectivity != NatConnectivity::Public {
        return;
    }
    // VR-17
    if !ix.is_public(&nat.subnet) {
        let mut diagnostic = Diagnostic::error(
            17,
            vec![node.id.clone(), nat.subnet.clone()],
            format!(
                "NAT gateway {:?} is in {}, which is not a public subnet; it cannot reach the internet",
                node.name,
                ix.name(&nat.subnet)
            ),
        );
        if let Some(command) = make_public(ix, &nat.subnet) {
            diagnostic =
                diagnostic.with_fix(format!("Make {} public", ix.name(&nat.subnet)), command);
        }
        out.push(diagnostic);
    }
    if !nat.elastic_ip {
        out.push(
            Diagnostic::error(
                17,
                vec![node.id.clone()],
                format!("public NAT gateway {:?} needs an Elastic IP", node.name),
            )
            .with_fix(
                "Allocate an Elastic IP",
                replace_node(node, |kind| {
                    if let NodeKind::NatGateway(nat) = kind {
                        nat.elastic_ip = true;
                    }
                }),
            ),
        );
    }
}

/// Associates a subnet with a route table of its VPC that routes 0.0.0.0/0 to
/// an attached internet gateway, if there is one.
pub fn make_public(ix: &Index, subnet_id: &NodeId) -> Option<Command> {
    let subnet_node = ix.node(subnet_id)?;
    let subnet = ix.subnet(subnet_id)?;
    // Looked up, not searched: fixes are built for every blocked walk,
    // scopes included.
    let table_id = ix.public_table_of(&subnet.vpc)?.clone();
    Some(replace_node(subnet_node, |kind| {
        if let NodeKind::Subnet(subnet) = kind {
            subnet.route_table = Some(table_id);
        }
    }))
}

fn check_gateways_per_vpc(ix: &Index, out: &mut Vec<Diagnostic>) {
    // VR-16
    let mut igws: BTreeMap<&NodeId, Vec<NodeId>> = BTreeMap::new();
    for node in ix.nodes() {
        if let NodeKind::InternetGateway(InternetGateway { vpc: Some(vpc) }) = &node.kind {
            igws.entry(vpc).or_default().push(node.id.clone());
        }
    }
    for (vpc, gateways) in &igws {
        if gateways.len() > 1 {
            let mut nodes = vec![(*vpc).clone()];
            nodes.extend(gateways.iter().cloned());
            let (kept, extra) = (&gateways[0], &gateways[1..]);
            // Detach the others; routes through them go through the one kept.
            let mut commands: Vec<Command> = extra
                .iter()
                .filter_map(|id| ix.node(id))
                .map(|gateway| {
                    replace_node(gateway, |kind| {
                        if let NodeKind::InternetGateway(igw) = kind {
                            igw.vpc = None;
                        }
                    })
                })
                .collect();
            for table in ix.nodes() {
                if let NodeKind::RouteTable(routes) = &table.kind {
                    if routes.routes.iter().any(|r| extra.contains(&r.target)) {
                        commands.push(replace_node(table, |kind| {
                            if let NodeKind::RouteTable(routes) = kind {
                                for route in &mut routes.routes {
                                    if extra.contains(&route.target) {
                                        route.target = kept.clone();
                                    }
                                }
                            }
                        }));
                    }
                }
            }
            out.push(
                Diagnostic::error(
                    16,
                    nodes,
                    format!(
                        "VPC {} has {} internet gateways attached; a VPC takes at most one",
                        ix.name(vpc),
                        gateways.len()
                    ),
                )
                .with_fix(
                    format!("Keep {} only", ix.name(kept)),
                    Command::Batch(commands),
                ),
            );
        }
    }

    for vpc in ix.nodes().filter(|node| node.tag() == KindTag::Vpc) {
        check_nat_per_az(ix, vpc, out);
        check_endpoints_for_nat(ix, vpc, out);
    }
}

/// The public NAT gateway a subnet's default route uses, if any.
fn default_nat<'a>(ix: &Index<'a>, subnet: &NodeId) -> Option<(&'a NodeId, &'a NatGateway)> {
    let table = ix.route_table_of(subnet)?;
    table
        .routes
        .iter()
        .filter(|route| route.destination.prefix_len() == 0)
        .find_map(|route| match ix.kind(&route.target) {
            Some(NodeKind::NatGateway(nat)) if nat.connectivity == NatConnectivity::Public => {
                Some((&route.target, nat))
            }
            _ => None,
        })
}

/// VR-18: each AZ's private subnets should use a NAT gateway in their own AZ.
fn check_nat_per_az(ix: &Index, vpc: &Node, out: &mut Vec<Diagnostic>) {
    let az_of = |subnet: &NodeId| ix.subnet(subnet).map(|s| s.az.clone());
    let mut crossing: Vec<(&NodeId, &NodeId)> = Vec::new();
    for subnet in ix.subnets_of_vpc(&vpc.id) {
        if let Some((nat_id, nat)) = default_nat(ix, subnet) {
            if az_of(&nat.subnet) != az_of(subnet) {
                crossing.push((subnet, nat_id));
            }
        }
    }
    if crossing.is_empty() {
        return;
    }
    let zones: BTreeSet<String> =
        sorting::set_of(crossing.iter().filter_map(|(subnet, _)| az_of(subnet)));
    let mut nodes: Vec<NodeId> = crossing
        .iter()
        .map(|(subnet, _)| (*subnet).clone())
        .collect();
    nodes.extend(sorting::set_of(
        crossing.iter().map(|(_, nat)| (*nat).clone()),
    ));
    let mut diagnostic = Diagnostic::warning(
        18,
        nodes,
        format!(
            "VPC {:?}: private subnets in {} use a NAT gateway in another zone; one NAT per zone avoids a single point of failure and cross-zone charges",
            vpc.name,
            zones.iter().cloned().collect::<Vec<_>>().join(", ")
        ),
    );
    if let Some(command) = nat_per_az(ix, &vpc.id, &crossing) {
        diagnostic = diagnostic.with_fix("Add a NAT gateway in each zone", command);
    }
    out.push(diagnostic);
}

/// For each zone whose private subnets cross zones to reach a NAT: a new NAT
/// gateway in a public subnet of that zone, a route table through it, and the
/// zone's subnets associated with that table.
fn nat_per_az(ix: &Index, vpc: &NodeId, crossing: &[(&NodeId, &NodeId)]) -> Option<Command> {
    let mut by_zone: BTreeMap<String, Vec<&NodeId>> = BTreeMap::new();
    for (subnet, _) in crossing {
        by_zone
            .entry(ix.subnet(subnet)?.az.clone())
            .or_default()
            .push(subnet);
    }
    let mut added: BTreeSet<String> = BTreeSet::new();
    let mut fresh = |base: &str| {
        let id = fresh_id(base, |candidate| {
            added.contains(candidate)
                || NodeId::new(candidate).is_ok_and(|id| ix.node(&id).is_some())
        })?;
        added.insert(id.to_string());
        Some(id)
    };
    let mut commands = Vec::new();
    for (zone, subnets) in by_zone {
        let public_subnet = ix
            .subnets_of_vpc(vpc)
            .iter()
            .find(|id| ix.is_public(id) && ix.subnet(id).is_some_and(|s| s.az == zone))?;
        let letter = zone.chars().last().unwrap_or('x');
        let nat_id = fresh(&format!("nat-{letter}"))?;
        let table_id = fresh(&format!("rt-private-{letter}"))?;
        let rect = ix
            .diagram
            .layout
            .get(*public_subnet)
            .map(|area| Rect::new(area.right() - 96.0, area.bottom() - 96.0, 64.0, 64.0));
        commands.push(Command::AddNode {
            node: Node {
                id: nat_id.clone(),
                name: format!("nat-gateway-{letter}"),
                kind: NodeKind::NatGateway(NatGateway {
                    subnet: (*public_subnet).clone(),
                    connectivity: NatConnectivity::Public,
                    elastic_ip: true,
                }),
            },
            rect,
            index: None,
        });
        commands.push(Command::AddNode {
            node: Node {
                id: table_id.clone(),
                name: format!("private-route-table-{letter}"),
                kind: NodeKind::RouteTable(RouteTable {
                    vpc: vpc.clone(),
                    routes: vec![Route {
                        destination: block("0.0.0.0/0"),
                        target: nat_id,
                    }],
                }),
            },
            rect: None,
            index: None,
        });
        for subnet in subnets {
            let node = ix.node(subnet)?;
            let table_id = table_id.clone();
            commands.push(replace_node(node, |kind| {
                if let NodeKind::Subnet(subnet) = kind {
                    subnet.route_table = Some(table_id);
                }
            }));
        }
    }
    Some(Command::Batch(commands))
}

/// An id not yet used: `base`, or `base-2`, `base-3`, ...
fn remove_route(table: &Node, at: usize) -> Command {
    replace_node(table, |kind| {
        if let NodeKind::RouteTable(table) = kind {
            if at < table.routes.len() {
                table.routes.remove(at);
            }
        }
    })
}

pub fn fresh_id(base: &str, is_taken: impl Fn(&str) -> bool) -> Option<NodeId> {
    let candidate = (1..1000)
        .map(|n| {
            if n == 1 {
                base.to_string()
            } else {
                format!("{base}-{n}")
            }
        })
        .find(|candidate| !is_taken(candidate))?;
    NodeId::new(candidate).ok()
}

/// VR-19: traffic to S3 and ECR through a NAT gateway is billed per GB.
fn check_endpoints_for_nat(ix: &Index, vpc: &Node, out: &mut Vec<Diagnostic>) {
    let has_nat_route = ix
        .subnets_of_vpc(&vpc.id)
        .iter()
        .any(|subnet| default_nat(ix, subnet).is_some());
    if !has_nat_route {
        return;
    }
    let has_s3_endpoint = ix
        .endpoints_of(&vpc.id)
        .any(|(_, endpoint)| endpoint.service == EndpointService::S3);
    if !has_s3_endpoint {
        out.push(Diagnostic::warning(
            19,
            vec![vpc.id.clone()],
            format!(
                "VPC {:?} sends traffic through NAT gateways, which cost per hour and per GB: an S3 gateway endpoint (free) and ECR interface endpoints keep image pulls off the NAT",
                vpc.name
            ),
        ));
    }
}

fn check_region(ix: &Index, out: &mut Vec<Diagnostic>) {
    if !regions::is_known(&ix.diagram.region) {
        out.push(Diagnostic::warning(
            12,
            Vec::new(),
            format!(
                "the region {:?} is not one stackdraw knows, so availability zones cannot be checked",
                ix.diagram.region
            ),
        ));
    }
}
