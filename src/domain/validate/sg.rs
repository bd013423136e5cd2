//! Security-group matching, shared by the rules and the reachability analysis.

use super::index::Index;
use crate::domain::model::*;

/// Who is on the other end of a connection, as a security group sees it.
#[derive(Clone, Debug)]
pub struct Party<'a> {
    /// The groups on the party's interfaces (empty outside a VPC).
    pub groups: &'a [NodeId],
    /// Address blocks the party's traffic comes from (its subnets, or its own
    /// block outside AWS). A CIDR rule must contain all of them.
    pub blocks: Vec<Cidr>,
}

/// Whether a rule's protocol and ports cover a connection.
pub fn rule_covers(rule: &SecurityGroupRule, protocol: Protocol, port: u16) -> bool {
    match (rule.protocol, protocol) {
        (Protocol::All, _) => true,
        (Protocol::Icmp, Protocol::Icmp) => true,
        (ours, theirs) if ours == theirs => rule.from_port <= port && port <= rule.to_port,
        _ => false,
    }
}

/// Whether a rule's peer matches a party.
pub fn peer_matches(rule: &SecurityGroupRule, party: &Party) -> bool {
    match &rule.peer {
        Peer::SecurityGroup(group) => party.groups.contains(group),
        Peer::Cidr(cidr) => {
            !party.blocks.is_empty() && party.blocks.iter().all(|block| cidr.contains(block))
        }
    }
}

/// Whether any of `groups` lets `party` in on the port.
pub fn allows_ingress(
    ix: &Index,
    groups: &[NodeId],
    party: &Party,
    protocol: Protocol,
    port: u16,
) -> bool {
    groups
        .iter()
        .filter_map(|id| ix.security_group(id))
        .any(|group| {
            group
                .ingress
                .iter()
                .any(|rule| rule_covers(rule, protocol, port) && peer_matches(rule, party))
        })
}

/// Whether any of `groups` lets traffic out to `party` on the port.
pub fn allows_egress(
    ix: &Index,
    groups: &[NodeId],
    party: &Party,
    protocol: Protocol,
    port: u16,
) -> bool {
    groups
        .iter()
        .filter_map(|id| ix.security_group(id))
        .any(|group| {
            group
                .egress
                .iter()
                .any(|rule| rule_covers(rule, protocol, port) && peer_matches(rule, party))
        })
}

/// The address blocks of a node's subnets.
pub fn subnet_blocks(ix: &Index, kind: &NodeKind) -> Vec<Cidr> {
    kind.placement_subnets()
        .into_iter()
        .filter_map(|subnet| ix.subnet(subnet).map(|subnet| subnet.cidr.canonical()))
        .collect()
}

/// A node as a party: its groups and its subnets' blocks.
pub fn party_of<'a>(ix: &Index<'a>, node: &'a Node) -> Party<'a> {
    match &node.kind {
        NodeKind::Internet(_) => Party {
            groups: &[],
            blocks: vec![any_address()],
        },
        NodeKind::ExternalClient(client) => Party {
            groups: &[],
            blocks: vec![client.cidr.canonical()],
        },
        kind => Party {
            groups: kind.security_groups(),
            blocks: subnet_blocks(ix, kind),
        },
    }
}

pub fn any_address() -> Cidr {
    Cidr::new(std::net::Ipv4Addr::UNSPECIFIED, 0)
        .unwrap_or_else(|_| unreachable!("0.0.0.0/0 is valid"))
}

/// A single-port rule.
pub fn rule(protocol: Protocol, port: u16, peer: Peer, description: &str) -> SecurityGroupRule {
    let (from_port, to_port) = match protocol {
        Protocol::All | Protocol::Icmp => (0, 0),
        _ => (port, port),
    };
    SecurityGroupRule {
        protocol,
        from_port,
        to_port,
        peer,
        description: description.to_string(),
    }
}

/// Ports as people write them: `tcp/443`, `tcp/8000-8100`, `all`.
pub fn describe_ports(protocol: Protocol, port: u16) -> String {
    match protocol {
        Protocol::All => "all traffic".into(),
        Protocol::Icmp => "ICMP".into(),
        Protocol::Tcp => format!("tcp/{port}"),
        Protocol::Udp => format!("udp/{port}"),
    }
}
