//! Security-group rules: VR-21 to VR-26.

use super::diagnostic::Diagnostic;
use super::index::Index;
use super::rules_network::replace_node;
use super::sg::{self, Party};
use crate::domain::model::*;

/// Ports that should never be open to the whole internet (VR-26).
const SENSITIVE_PORTS: &[(u16, &str)] = &[
    (22, "SSH"),
    (3389, "RDP"),
    (3306, "MySQL"),
    (5432, "PostgreSQL"),
    (1433, "SQL Server"),
    (1521, "Oracle"),
    (27017, "MongoDB"),
    (6379, "Redis"),
];

const MAX_RULES_PER_DIRECTION: usize = 60;
const MAX_GROUPS_PER_INTERFACE: usize = 5;

pub fn check(ix: &Index, out: &mut Vec<Diagnostic>) {
    for node in ix.nodes() {
        if let NodeKind::SecurityGroup(group) = &node.kind {
            check_group(ix, node, group, out);
        }
        let groups = node.kind.security_groups();
        // VR-25
        if groups.len() > MAX_GROUPS_PER_INTERFACE {
            out.push(Diagnostic::warning(
                25,
                vec![node.id.clone()],
                format!(
                    "{:?} has {} security groups; a network interface takes at most {MAX_GROUPS_PER_INTERFACE} by default",
                    node.name,
                    groups.len()
                ),
            ));
        }
        if let NodeKind::LoadBalancer(alb) = &node.kind {
            check_load_balancer_chain(ix, node, alb, out);
        }
    }
}

fn check_group(ix: &Index, node: &Node, group: &SecurityGroup, out: &mut Vec<Diagnostic>) {
    let id = vec![node.id.clone()];
    let name = &node.name;

    // VR-21
    if group.ingress.is_empty() && ix.is_attached(&node.id) {
        out.push(Diagnostic::info(
            21,
            id.clone(),
            format!("security group {name:?} allows no inbound traffic (groups are allow-only)"),
        ));
    }

    // VR-25
    for (direction, rules) in [("inbound", &group.ingress), ("outbound", &group.egress)] {
        if rules.len() > MAX_RULES_PER_DIRECTION {
            out.push(Diagnostic::warning(
                25,
                id.clone(),
                format!(
                    "security group {name:?} has {} {direction} rules; the quota is {MAX_RULES_PER_DIRECTION}",
                    rules.len()
                ),
            ));
        }
    }

    let guards_database = ix.guards_database(&node.id);
    for (at, rule) in group.ingress.iter().enumerate() {
        match &rule.peer {
            Peer::Cidr(cidr) if cidr.prefix_len() == 0 => {
                // VR-26
                for (port, service) in SENSITIVE_PORTS {
                    if sg::rule_covers(rule, Protocol::Tcp, *port) {
                        out.push(
                            Diagnostic::warning(
                                26,
                                id.clone(),
                                format!(
                                    "security group {name:?} opens {service} (port {port}) to the whole internet (0.0.0.0/0)"
                                ),
                            )
                            .with_fix(
                                "Remove the rule",
                                replace_node(node, |kind| {
                                    if let NodeKind::SecurityGroup(group) = kind {
                                        group.ingress.remove(at);
                                    }
                                }),
                            ),
                        );
                        break;
                    }
                }
                if guards_database
                    && !SENSITIVE_PORTS
                        .iter()
                        .any(|(port, _)| sg::rule_covers(rule, Protocol::Tcp, *port))
                {
                    out.push(Diagnostic::warning(
                        26,
                        id.clone(),
                        format!("database security group {name:?} admits traffic from 0.0.0.0/0; it should reference only security groups"),
                    ));
                }
            }
            Peer::Cidr(cidr) if guards_database => {
                out.push(Diagnostic::warning(
                    26,
                    id.clone(),
                    format!(
                        "database security group {name:?} admits {cidr}; a database group should reference only security groups"
                    ),
                ));
            }
            Peer::SecurityGroup(peer) => {
                check_peer_vpc(ix, node, group, peer, out);
                check_source_egress(ix, node, &group.vpc, rule, peer, out);
            }
            Peer::Cidr(_) => {}
        }
    }
    for rule in &group.egress {
        if let Peer::SecurityGroup(peer) = &rule.peer {
            check_peer_vpc(ix, node, group, peer, out);
        }
    }
}

/// VR-24: a referenced group must be in the same VPC or a peered one.
fn check_peer_vpc(
    ix: &Index,
    node: &Node,
    group: &SecurityGroup,
    peer: &NodeId,
    out: &mut Vec<Diagnostic>,
) {
    let Some(peer_group) = ix.security_group(peer) else {
        return;
    };
    if peer_group.vpc == group.vpc {
        return;
    }
    let peered = ix.are_peered(&group.vpc, &peer_group.vpc);
    if !peered {
        let other = peer.clone();
        out.push(
            Diagnostic::error(
                24,
                vec![node.id.clone(), peer.clone()],
                format!(
                    "security group {:?} refers to {}, which is in another VPC that is not peered with it",
                    node.name,
                    ix.name(peer)
                ),
            )
            .with_fix(
                format!("Remove its rules that refer to {}", ix.name(peer)),
                replace_node(node, |kind| {
                    if let NodeKind::SecurityGroup(group) = kind {
                        let keep = |rule: &SecurityGroupRule| rule.peer != Peer::SecurityGroup(other.clone());
                        group.ingress.retain(keep);
                        group.egress.retain(keep);
                    }
                }),
            ),
        );
    }
}

/// VR-23: when the source group restricts its egress, it must let the
/// traffic out, or connections time out.
fn check_source_egress(
    ix: &Index,
    node: &Node,
    target_vpc: &NodeId,
    rule: &SecurityGroupRule,
    source: &NodeId,
    out: &mut Vec<Diagnostic>,
) {
    let Some(source_group) = ix.security_group(source) else {
        return;
    };
    let (protocol, port) = (rule.protocol, rule.from_port);
    let target = Party {
        groups: std::slice::from_ref(&node.id),
        blocks: ix.vpc_blocks(target_vpc),
    };
    let allowed = source_group
        .egress
        .iter()
        .any(|egress| sg::rule_covers(egress, protocol, port) && sg::peer_matches(egress, &target));
    if !allowed {
        out.push(
            Diagnostic::error(
                23,
                vec![source.clone(), node.id.clone()],
                format!(
                    "{} may receive {} from {}, but {} does not let it out: connections will time out",
                    ix.name(&node.id),
                    sg::describe_ports(protocol, port),
                    ix.name(source),
                    ix.name(source)
                ),
            )
            .with_fix(
                format!("Allow it out of {}", ix.name(source)),
                match ix.node(source) {
                    Some(source_node) => replace_node(source_node, |kind| {
                        if let NodeKind::SecurityGroup(group) = kind {
                            group.egress.push(sg::rule(
                                protocol,
                                port,
                                Peer::SecurityGroup(node.id.clone()),
                                "",
                            ));
                        }
                    }),
                    None => return,
                },
            ),
        );
    }
}

/// VR-22: the load balancer accepts its listener ports, and its targets
/// accept the load balancer.
fn check_load_balancer_chain(
    ix: &Index,
    node: &Node,
    alb: &LoadBalancer,
    out: &mut Vec<Diagnostic>,
) {
    for listener in &alb.listeners {
        // A drawn edge to this listener is checked hop by hop instead (VR-43).
        let drawn = ix
            .edges_to(&node.id)
            .iter()
            .any(|edge| edge.port == listener.port);
        if drawn {
            continue;
        }
        let open = alb
            .security_groups
            .iter()
            .filter_map(|id| ix.security_group(id))
            .any(|group| {
                group
                    .ingress
                    .iter()
                    .any(|rule| sg::rule_covers(rule, Protocol::Tcp, listener.port))
            });
        if !open {
            let mut diagnostic = Diagnostic::error(
                22,
                vec![node.id.clone()],
                format!(
                    "load balancer {:?} listens on {}, but its security groups allow no traffic to that port",
                    node.name, listener.port
                ),
            );
            if let Some(group) = alb.security_groups.first().and_then(|id| ix.node(id)) {
                let port = listener.port;
                let peer = if alb.scheme == LoadBalancerScheme::InternetFacing {
                    Peer::Cidr(sg::any_address())
                } else {
                    let vpc_block = ix
                        .vpc_of(&node.id)
                        .and_then(|vpc| ix.vpc_blocks(vpc).first().copied());
                    Peer::Cidr(vpc_block.map_or_else(sg::any_address, |block| block.canonical()))
                };
                diagnostic = diagnostic.with_fix(
                    format!("Allow tcp/{port} in {:?}", group.name),
                    replace_node(group, |kind| {
                        if let NodeKind::SecurityGroup(group) = kind {
                            group
                                .ingress
                                .push(sg::rule(Protocol::Tcp, port, peer, "listener"));
                        }
                    }),
                );
            }
            out.push(diagnostic);
        }
    }

    let alb_party = sg::party_of(ix, node);
    for group in &alb.target_groups {
        let Some(target) = &group.target else {
            continue;
        };
        let Some(NodeKind::FargateService(service)) = ix.kind(&target.service) else {
            continue;
        };
        // A drawn edge to the same service is checked hop by hop instead (VR-43).
        let drawn = ix
            .edges_to(&target.service)
            .iter()
            .any(|edge| edge.from == node.id);
        let port = service.target_port(target, group.port);
        let mut ports = vec![port];
        if let Some(health_port) = group.health_check.port {
            if health_port != port {
                ports.push(health_port);
            }
        }
        for (at, port) in ports.into_iter().enumerate() {
            if (at == 0 && drawn)
                || sg::allows_ingress(
                    ix,
                    &service.security_groups,
                    &alb_party,
                    Protocol::Tcp,
                    port,
                )
            {
                continue;
            }
            let (rule, what) = if at == 0 {
                (22, "traffic")
            } else {
                (29, "health checks")
            };
            let message = format!(
                "target group {:?} of {:?} sends {what} to {} on tcp/{port}, but the service's security groups do not allow it from the load balancer",
                group.name,
                node.name,
                ix.name(&target.service)
            );
            let mut diagnostic = if rule == 22 {
                Diagnostic::error(rule, vec![target.service.clone(), node.id.clone()], message)
            } else {
                Diagnostic::warning(rule, vec![target.service.clone(), node.id.clone()], message)
            };
            if let (Some(service_group), Some(alb_group)) = (
                service.security_groups.first().and_then(|id| ix.node(id)),
                alb.security_groups.first(),
            ) {
                let alb_group = alb_group.clone();
                diagnostic = diagnostic.with_fix(
                    format!(
                        "Allow tcp/{port} from the load balancer in {:?}",
                        service_group.name
                    ),
                    replace_node(service_group, |kind| {
                        if let NodeKind::SecurityGroup(group) = kind {
                            group.ingress.push(sg::rule(
                                Protocol::Tcp,
                                port,
                                Peer::SecurityGroup(alb_group),
                                "from the load balancer",
                            ));
                        }
                    }),
                );
            }
            out.push(diagnostic);
        }
    }
}
