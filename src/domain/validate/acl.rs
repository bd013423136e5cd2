//! Network ACLs as AWS evaluates them (VPC User Guide, "Control subnet
//! traffic with network access control lists"): per direction, rules in
//! ascending number; the first rule that matches a packet decides; the
//! final `*` rule denies what none matched. ACLs are stateless, so a reply
//! is a packet of its own, judged on the client's ephemeral port.
//!
//! A flow's end is a block of addresses (a subnet, the internet), not one
//! address: as AWS's Reachability Analyzer does, a flow gets through when
//! some address of the block does. A flow is one port, but its replies go
//! to whichever ephemeral port the client picked, so every port of the
//! client's range must get through.

use super::diagnostic::{Diagnostic, Fix};
use super::index::Index;
use super::reach::{blocked, reaches, AclDeny, Blocked, ExplanationCode, FlowVerdict};
use super::rules_network::replace_node;
use crate::domain::edit::Command;
use crate::domain::model::{
    AclAction, AclRule, Cidr, KindTag, NetworkAcl, Node, NodeId, NodeKind, Protocol,
};

/// A packet's way through a subnet's edge.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Way {
    In,
    Out,
}

impl Way {
    pub fn word(self) -> &'static str {
        match self {
            Way::In => "inbound",
            Way::Out => "outbound",
        }
    }
}

/// What an ACL makes of some traffic.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decision {
    /// The rule that lets it through; `whole` when every address of the
    /// other end gets through, not only some.
    Allowed { rule: u16, whole: bool },
    /// The rule that denies it: `None` is the final `*` rule, which denies
    /// what no numbered rule matched.
    Denied { rule: Option<u16> },
}

/// The ports a client sends from, which its replies must reach. AWS's
/// guidance on ephemeral ports: Linux kernels (Amazon Linux, Fargate tasks)
/// use 32768-60999; Elastic Load Balancing, NAT gateways and clients of
/// unknown systems (the internet) 1024-65535.
pub const LINUX_EPHEMERAL: (u16, u16) = (32768, 60999);
pub const ANY_EPHEMERAL: (u16, u16) = (1024, 65535);

/// AWS's limits: rule numbers 1 to 32766; 20 rules per direction by
/// default (a quota that can be raised to 40).
pub const MAX_RULE_NUMBER: u16 = 32766;
pub const RULES_PER_DIRECTION: usize = 20;

fn has_ports(protocol: Protocol) -> bool {
    matches!(protocol, Protocol::Tcp | Protocol::Udp)
}

/// Whether a rule can match traffic of `protocol` on `port`, and whether
/// it then covers all of it. Traffic of every protocol is only wholly
/// matched by a rule for every protocol.
fn matches(rule: &AclRule, protocol: Protocol, port: u16) -> Option<bool> {
    if rule.protocol == Protocol::All {
        return Some(true);
    }
    if protocol == Protocol::All {
        return Some(false);
    }
    if rule.protocol != protocol {
        return None;
    }
    match rule.port_range() {
        Some((from, to)) if has_ports(protocol) => (from <= port && port <= to).then_some(true),
        _ => Some(true),
    }
}

/// Rules in the order AWS evaluates them.
pub fn in_order(rules: &[AclRule]) -> Vec<&AclRule> {
    let mut sorted: Vec<&AclRule> = rules.iter().collect();
    crate::domain::sorting::sort_by(&mut sorted, |a, b| a.number.cmp(&b.number));
    sorted
}

/// Addresses of `block` not covered by `removed` (blocks inside it).
fn left_of(block: &Cidr, removed: &[Cidr]) -> u64 {
    if removed.iter().any(|r| r.contains(block)) {
        return 0;
    }
    let mut inside: Vec<&Cidr> = Vec::new();
    for r in removed.iter().filter(|r| block.contains(r)) {
        if !inside.contains(&r) {
            inside.push(r);
        }
    }
    // Blocks nest or are apart: count only the outermost of each nest.
    let outermost = inside
        .iter()
        .filter(|r| !inside.iter().any(|o| o.size() > r.size() && o.contains(r)))
        .map(|r| r.size());
    block.size().saturating_sub(outermost.sum())
}

/// One port's decision (every rule either holds the whole segment the port
/// stands for or none of it).
fn decide_port(sorted: &[&AclRule], protocol: Protocol, port: u16, peer: Cidr) -> Decision {
    let peer = peer.canonical();
    let mut denied: Vec<Cidr> = Vec::new();
    let mut last_deny = None;
    for rule in sorted {
        let Some(whole_match) = matches(rule, protocol, port) else {
            continue;
        };
        let block = rule.cidr.canonical();
        if !block.overlaps(&peer) {
            continue;
        }
        match rule.action {
            // A rule for one protocol lets through only part of traffic of
            // every protocol: it decides nothing for all of it.
            AclAction::Allow if !whole_match => {}
            AclAction::Allow => {
                let (region, whole) = if block.contains(&peer) {
                    (peer, denied.is_empty())
                } else {
                    (block, false)
                };
                if left_of(&region, &denied) > 0 {
                    return Decision::Allowed {
                        rule: rule.number,
                        whole,
                    };
                }
            }
            AclAction::Deny => {
                if block.contains(&peer) {
                    return Decision::Denied {
                        rule: Some(rule.number),
                    };
                }
                denied.push(block);
                last_deny = Some(rule.number);
            }
        }
    }
    Decision::Denied {
        rule: last_deny.filter(|_| left_of(&peer, &denied) == 0),
    }
}

/// The decision for traffic of `protocol` to every port of `ports`, from
/// or to some address of `peer`: allowed when every port is; else the
/// first port's denial.
pub fn decide(rules: &[AclRule], protocol: Protocol, ports: (u16, u16), peer: Cidr) -> Decision {
    let sorted = in_order(rules);
    if !has_ports(protocol) || ports.0 >= ports.1 {
        return decide_port(&sorted, protocol, ports.0, peer);
    }
    // Every rule's range starts or ends a segment of ports that all rules
    // treat alike: one port per segment stands for it.
    let mut starts = vec![ports.0];
    for rule in &sorted {
        if let Some((from, to)) = rule.port_range() {
            for edge in [Some(from), to.checked_add(1)].into_iter().flatten() {
                if edge > ports.0 && edge <= ports.1 {
                    starts.push(edge);
                }
            }
        }
    }
    crate::domain::sorting::sort(&mut starts);
    starts.dedup();
    let mut allowed = None;
    for start in starts {
        match decide_port(&sorted, protocol, start, peer) {
            Decision::Allowed { rule, whole } => {
                let (first, all_whole) = allowed.unwrap_or((rule, true));
                allowed = Some((first, all_whole && whole));
            }
            denied => return denied,
        }
    }
    let (rule, whole) = allowed.unwrap_or((0, false));
    Decision::Allowed { rule, whole }
}

/// The smallest block holding all of `blocks`: one rule for every subnet
/// of a flow's other end.
pub fn cover(blocks: impl IntoIterator<Item = Cidr>) -> Option<Cidr> {
    let mut blocks = blocks.into_iter().map(|b| b.canonical());
    let first = blocks.next()?;
    let (mut low, mut high) = first.range();
    for block in blocks {
        let (l, h) = block.range();
        low = low.min(l);
        high = high.max(h);
    }
    let common = (low ^ high).leading_zeros().min(32) as u8;
    Cidr::new(std::net::Ipv4Addr::from(low), common)
        .ok()
        .map(|c| c.canonical())
}

/// `tcp/443`, `tcp 1024-65535`, `udp`, `all traffic`.
pub fn describe(protocol: Protocol, ports: (u16, u16)) -> String {
    if ports.0 == ports.1 || !has_ports(protocol) {
        return super::sg::describe_ports(protocol, ports.0);
    }
    let name = match protocol {
        Protocol::Udp => "udp",
        _ => "tcp",
    };
    format!("{name} {}-{}", ports.0, ports.1)
}

/// A free rule number that comes before `before` (or after every rule when
/// `None`): AWS convention numbers rules in steps of 10 or 100, leaving room
/// to insert.
pub fn free_number(rules: &[AclRule], before: Option<u16>) -> Option<u16> {
    let taken = |n: u16| rules.iter().any(|r| r.number == n);
    match before {
        Some(limit) => {
            let step_back = limit.saturating_sub(10).max(1);
            std::iter::once(step_back)
                .chain((1..limit).rev())
                .find(|n| *n < limit && !taken(*n))
        }
        None => {
            let highest = rules.iter().map(|r| r.number).max().unwrap_or(0);
            let next = (highest / 100 + 1).saturating_mul(100);
            std::iter::once(next)
                .chain(highest.saturating_add(1)..=MAX_RULE_NUMBER)
                .find(|n| *n <= MAX_RULE_NUMBER && !taken(*n))
        }
    }
}

/// Whether an earlier rule matches everything `later` does, so `later`
/// never decides anything: the earlier rule, if one does.
pub fn shadowing<'r>(rules: &'r [AclRule], later: &AclRule) -> Option<&'r AclRule> {
    rules
        .iter()
        .filter(|r| r.number < later.number)
        .find(|earlier| {
            let protocol = earlier.protocol == Protocol::All || earlier.protocol == later.protocol;
            let ports = match (earlier.port_range(), later.port_range()) {
                (Some((from, to)), Some((later_from, later_to))) => {
                    from <= later_from && later_to <= to
                }
                (Some(_), None) => false,
                (None, _) => true,
            };
            protocol && ports && earlier.cidr.canonical().contains(&later.cidr.canonical())
        })
}

/// Whether some port of `ports` gets through (for some address of `peer`).
fn allows_some(rules: &[AclRule], protocol: Protocol, ports: (u16, u16), peer: Cidr) -> bool {
    let sorted = in_order(rules);
    let mut starts = vec![ports.0];
    for rule in &sorted {
        if let Some((from, to)) = rule.port_range() {
            starts.extend(
                [Some(from), to.checked_add(1)]
                    .into_iter()
                    .flatten()
                    .filter(|edge| *edge > ports.0 && *edge <= ports.1),
            );
        }
    }
    starts.into_iter().any(|port| {
        matches!(
            decide_port(&sorted, protocol, port, peer),
            Decision::Allowed { .. }
        )
    })
}

/// A rule that stands for one service's port (or a few), not a range of
/// ephemeral ports kept open for replies.
fn is_service_rule(rule: &AclRule) -> bool {
    rule.action == AclAction::Allow
        && rule
            .port_range()
            .is_some_and(|(from, to)| from < 1024 || to.saturating_sub(from) < 1000)
}

fn way_rules(acl: &NetworkAcl, way: Way) -> &[AclRule] {
    match way {
        Way::In => &acl.inbound,
        Way::Out => &acl.outbound,
    }
}

/// The ACL with one direction's rules changed.
fn changed(node: &Node, way: Way, change: impl FnOnce(&mut Vec<AclRule>)) -> Command {
    replace_node(node, |kind| {
        if let NodeKind::NetworkAcl(acl) = kind {
            change(match way {
                Way::In => &mut acl.inbound,
                Way::Out => &mut acl.outbound,
            });
        }
    })
}

fn toward(way: Way) -> &'static str {
    match way {
        Way::In => "in from",
        Way::Out => "out to",
    }
}

/// VR-49, VR-50 and VR-53: the classic mistakes an ACL holds on its own,
/// before any flow is drawn through it.
pub(super) fn check(ix: &Index, out: &mut Vec<Diagnostic>) {
    let mut held_by: crate::domain::quick_hash::QuickMap<&NodeId, &Node> = Default::default();
    for node in ix.nodes() {
        let NodeKind::NetworkAcl(acl) = &node.kind else {
            continue;
        };
        let ids = || vec![node.id.clone()];
        for subnet in &acl.subnets {
            if let Some(subnet_info) = ix.subnet(subnet) {
                if subnet_info.vpc != acl.vpc {
                    out.push(
                        Diagnostic::error(
                            53,
                            vec![node.id.clone(), subnet.clone()],
                            format!(
                                "network ACL {:?} is in VPC {} but is associated with subnet {} of VPC {}; an ACL only filters subnets of its own VPC",
                                node.name,
                                ix.name(&acl.vpc),
                                ix.name(subnet),
                                ix.name(&subnet_info.vpc)
                            ),
                        )
                        .with_fix(
                            format!("Remove {} from {:?}", ix.name(subnet), node.name),
                            replace_node(node, |kind| {
                                if let NodeKind::NetworkAcl(acl) = kind {
                                    acl.subnets.retain(|s| s != subnet);
                                }
                            }),
                        ),
                    );
                }
            }
            if let Some(first) = held_by.get(subnet) {
                out.push(
                    Diagnostic::error(
                        53,
                        vec![node.id.clone(), subnet.clone(), first.id.clone()],
                        format!(
                            "subnet {} is associated with network ACLs {:?} and {:?}; AWS associates a subnet with exactly one, so the last deployed would win",
                            ix.name(subnet),
                            first.name,
                            node.name
                        ),
                    )
                    .with_fix(
                        format!("Leave {} to {:?}", ix.name(subnet), first.name),
                        replace_node(node, |kind| {
                            if let NodeKind::NetworkAcl(acl) = kind {
                                acl.subnets.retain(|s| s != subnet);
                            }
                        }),
                    ),
                );
            } else {
                held_by.insert(subnet, node);
            }
        }
        for way in [Way::In, Way::Out] {
            let rules = way_rules(acl, way);
            if rules.len() > RULES_PER_DIRECTION {
                out.push(Diagnostic::error(
                    53,
                    ids(),
                    format!(
                        "network ACL {:?} has {} {} rules; AWS allows {RULES_PER_DIRECTION} per direction (a quota that can be raised to 40)",
                        node.name,
                        rules.len(),
                        way.word()
                    ),
                ));
            }
            let mut seen: Vec<u16> = Vec::new();
            for rule in rules {
                let label = format!("{} rule {}", way.word(), rule.number);
                if rule.number == 0 || rule.number > MAX_RULE_NUMBER {
                    out.push(Diagnostic::error(
                        53,
                        ids(),
                        format!(
                            "{label} of network ACL {:?} is out of range: rule numbers go from 1 to {MAX_RULE_NUMBER}",
                            node.name
                        ),
                    ));
                } else if seen.contains(&rule.number) {
                    out.push(Diagnostic::error(
                        53,
                        ids(),
                        format!(
                            "network ACL {:?} has two {} rules numbered {}; AWS refuses the second",
                            node.name,
                            way.word(),
                            rule.number
                        ),
                    ));
                }
                seen.push(rule.number);
                if rule.port_range().is_some_and(|(from, to)| from > to) {
                    out.push(Diagnostic::error(
                        53,
                        ids(),
                        format!(
                            "{label} of network ACL {:?} has its ports backwards ({} to {})",
                            node.name, rule.from_port, rule.to_port
                        ),
                    ));
                }
                if let Some(earlier) = shadowing(rules, rule) {
                    if earlier.action != rule.action {
                        let mut diagnostic = Diagnostic::warning(
                            50,
                            ids(),
                            format!(
                                "{label} of network ACL {:?} never applies: rule {} {}s everything it matches before it ({} {} {})",
                                node.name,
                                earlier.number,
                                earlier.action.as_str(),
                                describe(earlier.protocol, (earlier.from_port, earlier.to_port)),
                                toward(way),
                                earlier.cidr
                            ),
                        );
                        if let Some(number) = free_number(rules, Some(earlier.number)) {
                            let moved = rule.number;
                            diagnostic = diagnostic.with_fix(
                                format!("Renumber rule {moved} of {:?} to {number}", node.name),
                                changed(node, way, |list| {
                                    for r in list.iter_mut().filter(|r| r.number == moved) {
                                        r.number = number;
                                    }
                                }),
                            );
                        }
                        out.push(diagnostic);
                    }
                }
            }
        }
        return_traffic(node, acl, out);
    }
}

/// VR-49: a rule that lets connections in (or out) whose replies cannot
/// go back, because no rule of the other direction allows any of the
/// ephemeral ports clients answer on.
fn return_traffic(node: &Node, acl: &NetworkAcl, out: &mut Vec<Diagnostic>) {
    for way in [Way::In, Way::Out] {
        let (reply_way, reply_rules) = match way {
            Way::In => (Way::Out, &acl.outbound),
            Way::Out => (Way::In, &acl.inbound),
        };
        let mut reported: Vec<(Protocol, Cidr)> = Vec::new();
        for rule in way_rules(acl, way).iter().filter(|r| is_service_rule(r)) {
            let peer = rule.cidr.canonical();
            if reported.contains(&(rule.protocol, peer))
                || allows_some(reply_rules, rule.protocol, ANY_EPHEMERAL, peer)
            {
                continue;
            }
            reported.push((rule.protocol, peer));
            let what = describe(rule.protocol, (rule.from_port, rule.to_port));
            let mut diagnostic = Diagnostic::warning(
                49,
                vec![node.id.clone()],
                format!(
                    "network ACL {:?} lets {what} {} {peer} (rule {}) but no {} rule lets the replies {} {peer}: ACLs keep no state, and replies go to the ephemeral ports the client picked (1024-65535 for load balancers, NAT gateways and unknown clients; 32768-60999 for Linux)",
                    node.name,
                    toward(way),
                    rule.number,
                    reply_way.word(),
                    toward(reply_way)
                ),
            );
            if reply_rules.len() < RULES_PER_DIRECTION {
                if let Some(number) = free_number(reply_rules, None) {
                    let reply = AclRule {
                        number,
                        action: AclAction::Allow,
                        protocol: rule.protocol,
                        from_port: ANY_EPHEMERAL.0,
                        to_port: ANY_EPHEMERAL.1,
                        cidr: peer,
                    };
                    diagnostic = diagnostic.with_fix(
                        format!(
                            "Allow {} {} {peer} in {:?} (rule {number})",
                            describe(rule.protocol, ANY_EPHEMERAL),
                            toward(reply_way),
                            node.name
                        ),
                        changed(node, reply_way, |list| list.push(reply)),
                    );
                }
            }
            out.push(diagnostic);
        }
    }
}

/// The other end of a packet crossing a subnet's edge.
#[derive(Clone, Copy)]
pub enum Other<'o> {
    /// Addresses outside the VPC.
    Block(Cidr),
    /// A subnet of an end that spans these subnets: a fix's rule names them
    /// all, so that one rule lets the whole flow through.
    Subnet(&'o NodeId, &'o [&'o NodeId]),
}

/// A packet crossing a subnet's edge, with its reply.
pub struct Crossing<'c> {
    pub subnet: &'c NodeId,
    pub way: Way,
    pub other: Other<'c>,
    /// The client's ephemeral ports, where the reply goes.
    pub client: (u16, u16),
    pub protocol: Protocol,
    pub port: u16,
}

/// The request and its reply through the ACL of the subnet crossed: the
/// hop's description when both get through, else where and why they stop,
/// with a fix that inserts the allowing rule before what denies.
pub(super) fn cross(
    ix: &Index,
    node: &Node,
    acl: &NetworkAcl,
    c: &Crossing,
) -> Result<String, Box<Blocked>> {
    let block_of = |subnet: &NodeId| ix.subnet(subnet).map(|s| s.cidr.canonical());
    let (peer, fix_peer) = match c.other {
        Other::Block(block) => (block.canonical(), block.canonical()),
        Other::Subnet(one, all) => {
            let Some(peer) = block_of(one) else {
                return Ok(String::new());
            };
            let every = cover(all.iter().filter_map(|s| block_of(s)));
            (peer, every.unwrap_or(peer))
        }
    };
    let reply_way = match c.way {
        Way::In => Way::Out,
        Way::Out => Way::In,
    };
    let request_ports = (c.port, c.port);
    let request = decide(way_rules(acl, c.way), c.protocol, request_ports, peer);
    let reply = decide(way_rules(acl, reply_way), c.protocol, c.client, peer);
    let refused = match (request, reply) {
        (Decision::Denied { rule }, _) => Some((c.way, request_ports, rule, false)),
        (_, Decision::Denied { rule }) => Some((reply_way, c.client, rule, true)),
        _ => None,
    };
    let Some((denied_way, ports, rule, is_reply)) = refused else {
        let rule_of = |decision| match decision {
            Decision::Allowed { rule, .. } => rule,
            Decision::Denied { .. } => 0,
        };
        return Ok(format!(
            "network ACL {:?} allows {} {} {} (rule {}) and the replies (rule {})",
            node.name,
            describe(c.protocol, request_ports),
            toward(c.way),
            peer,
            rule_of(request),
            rule_of(reply)
        ));
    };
    let what = describe(c.protocol, ports);
    let denying = rule.and_then(|n| way_rules(acl, denied_way).iter().find(|r| r.number == n));
    let reason = match denying {
        Some(denying) => {
            let theirs = describe(denying.protocol, (denying.from_port, denying.to_port));
            let part = if theirs == what {
                String::new()
            } else {
                format!(", part of {what}")
            };
            format!(
                "its rule {} denies {theirs} {} {}{part}",
                denying.number,
                toward(denied_way),
                denying.cidr
            )
        }
        None => format!(
            "no {} rule allows {what} {} {}, so its final * rule denies it",
            denied_way.word(),
            toward(denied_way),
            peer
        ),
    };
    let explanation = if is_reply {
        format!(
            "network ACL {:?} of subnet {} lets the traffic through but not its replies, which go to the client's ephemeral ports: {reason}",
            node.name,
            ix.name(c.subnet)
        )
    } else {
        format!(
            "network ACL {:?} of subnet {}: {reason}",
            node.name,
            ix.name(c.subnet)
        )
    };
    let mut stop = blocked(
        Some(node.id.clone()),
        ExplanationCode::SubnetAclRestriction,
        explanation,
    );
    stop.denied_by = rule.map(|number| AclDeny {
        acl: node.id.clone(),
        inbound: denied_way == Way::In,
        rule: number,
    });
    let fix_ports = if is_reply { ANY_EPHEMERAL } else { ports };
    stop.fix = allow_fix(
        node,
        acl,
        denied_way,
        (c.protocol, fix_ports),
        fix_peer,
        rule,
    );
    Err(stop)
}

/// A fix that inserts an allowing rule into an ACL, before the rule that
/// denies (or after every rule when the final `*` rule denies).
fn allow_fix(
    node: &Node,
    acl: &NetworkAcl,
    way: Way,
    (protocol, ports): (Protocol, (u16, u16)),
    peer: Cidr,
    denied_by: Option<u16>,
) -> Option<Fix> {
    let rules = way_rules(acl, way);
    if rules.len() >= RULES_PER_DIRECTION {
        return None;
    }
    let number = free_number(rules, denied_by)?;
    let rule = AclRule {
        number,
        action: AclAction::Allow,
        protocol,
        from_port: ports.0,
        to_port: ports.1,
        cidr: peer,
    };
    let label = format!(
        "Allow {} {} {peer} in {:?} (rule {number})",
        describe(protocol, ports),
        toward(way),
        node.name
    );
    let command = changed(node, way, |list| {
        let at = list
            .iter()
            .position(|r| r.number > number)
            .unwrap_or(list.len());
        list.insert(at, rule);
    });
    Some(Fix { label, command })
}

/// How a blocked flow is reported when an ACL stops it: VR-52 when a
/// numbered deny stops traffic the security groups (and all else) allow,
/// with its own message; VR-51 otherwise. A numbered deny is offered for
/// removal too.
pub struct Finding {
    pub rule: u8,
    pub message: Option<String>,
    pub alternative: Option<Fix>,
}

/// `open` is the diagram's index without its network ACLs, built once per
/// analysis by the caller when a first flow needs it.
pub(super) fn classify<'o>(
    ix: &Index,
    flow: &FlowVerdict,
    stop: &Blocked,
    open: impl FnOnce() -> &'o Index<'o>,
) -> Finding {
    let deny = stop.denied_by.as_ref();
    let node = deny.and_then(|deny| ix.node(&deny.acl));
    let alternative = deny.zip(node).map(|(deny, node)| Fix {
        label: format!(
            "Remove {} rule {} from {:?}",
            if deny.inbound { "inbound" } else { "outbound" },
            deny.rule,
            node.name
        ),
        command: changed(
            node,
            if deny.inbound { Way::In } else { Way::Out },
            |list| list.retain(|r| r.number != deny.rule),
        ),
    });
    let groups_allow = deny.is_some()
        && flow
            .to
            .as_ref()
            .is_some_and(|to| reaches(open(), &flow.from, to, flow.protocol, flow.port));
    Finding {
        rule: if groups_allow { 52 } else { 51 },
        message: groups_allow.then(|| {
            format!(
                "{} is blocked by a network ACL although its security groups allow it: {} ({})",
                flow.description,
                stop.explanation,
                stop.code.as_str()
            )
        }),
        alternative,
    }
}

/// The diagram as it would be without network ACLs: a flow that gets
/// through there is blocked by an ACL alone.
pub(super) fn without_acls(
    diagram: &crate::domain::model::Diagram,
) -> crate::domain::model::Diagram {
    let mut open = diagram.clone();
    open.nodes.retain(|node| node.tag() != KindTag::NetworkAcl);
    open
}
