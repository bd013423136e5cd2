//! The inspector's fields of a network ACL: the subnets it filters, and
//! each rule of each direction typed as AWS takes it (number, allow or
//! deny, protocol, ports, block). Values AWS would refuse are refused at
//! the field, with the reason: numbers outside 1-32766 or used twice in a
//! direction, more rules than the quota, ports out of order.

use super::fields::{field as plain, replace_kind, Field, Input};
use super::item_fields::item_field;
use super::relate::release_from_acls;
use super::Command;
use crate::domain::model::*;
use crate::domain::validate::acl::{free_number, MAX_RULE_NUMBER, RULES_PER_DIRECTION};

/// One direction's keys: its rules' fields and its add button.
struct Keys {
    number: &'static str,
    action: &'static str,
    protocol: &'static str,
    ports: &'static str,
    cidr: &'static str,
    remove: &'static str,
    add: &'static str,
    add_label: &'static str,
    title: &'static str,
    peer_label: &'static str,
}

const INBOUND: Keys = Keys {
    number: "inbound_number",
    action: "inbound_action",
    protocol: "inbound_protocol",
    ports: "inbound_ports",
    cidr: "inbound_cidr",
    remove: "inbound_remove",
    add: "inbound_add",
    add_label: "Add an inbound rule",
    title: "Inbound rule",
    peer_label: "Source",
};

const OUTBOUND: Keys = Keys {
    number: "outbound_number",
    action: "outbound_action",
    protocol: "outbound_protocol",
    ports: "outbound_ports",
    cidr: "outbound_cidr",
    remove: "outbound_remove",
    add: "outbound_add",
    add_label: "Add an outbound rule",
    title: "Outbound rule",
    peer_label: "Destination",
};

fn protocol_str(protocol: Protocol) -> &'static str {
    match protocol {
        Protocol::Tcp => "tcp",
        Protocol::Udp => "udp",
        Protocol::Icmp => "icmp",
        Protocol::All => "all",
    }
}

fn ports_str(rule: &AclRule) -> String {
    if rule.from_port == rule.to_port {
        rule.from_port.to_string()
    } else {
        format!("{}-{}", rule.from_port, rule.to_port)
    }
}

fn choices(items: &[(&str, &str)]) -> Input {
    Input::Choice(
        items
            .iter()
            .map(|(value, label)| (value.to_string(), label.to_string()))
            .collect(),
    )
}

/// The fields of an ACL, after its name.
pub fn acl_fields(diagram: &Diagram, node: &Node, acl: &NetworkAcl) -> Vec<Field> {
    let mut out = Vec::new();
    let holder = |subnet: &NodeId| {
        diagram.nodes.iter().find(|n| {
            n.id != node.id
                && matches!(&n.kind, NodeKind::NetworkAcl(other) if other.subnets.contains(subnet))
        })
    };
    out.push(plain(
        "acl_subnets",
        "Subnets it filters",
        "",
        Input::Set(
            diagram
                .nodes
                .iter()
                .filter_map(|n| match &n.kind {
                    NodeKind::Subnet(subnet) if subnet.vpc == acl.vpc => {
                        let mut label = format!("{} ({}, {})", n.name, subnet.cidr, subnet.az);
                        if let Some(other) = holder(&n.id) {
                            label.push_str(&format!(", now filtered by {}", other.name));
                        }
                        Some((n.id.to_string(), label, acl.subnets.contains(&n.id)))
                    }
                    _ => None,
                })
                .collect(),
        ),
    ));
    for (keys, rules) in [(&INBOUND, &acl.inbound), (&OUTBOUND, &acl.outbound)] {
        for (at, rule) in rules.iter().enumerate() {
            let group = format!("{} {}", keys.title, rule.number);
            out.push(item_field(
                keys.number,
                "Rule number",
                rule.number,
                Input::Number {
                    min: 1,
                    max: u32::from(MAX_RULE_NUMBER),
                },
                at,
                &group,
            ));
            out.push(item_field(
                keys.action,
                "Action",
                rule.action.as_str(),
                choices(&[("allow", "Allow"), ("deny", "Deny")]),
                at,
                &group,
            ));
            out.push(item_field(
                keys.protocol,
                "Protocol",
                protocol_str(rule.protocol),
                choices(&[
                    ("tcp", "TCP"),
                    ("udp", "UDP"),
                    ("icmp", "ICMP"),
                    ("all", "All traffic"),
                ]),
                at,
                &group,
            ));
            if rule.port_range().is_some() {
                out.push(item_field(
                    keys.ports,
                    "Ports (443 or 1024-65535)",
                    ports_str(rule),
                    Input::Text,
                    at,
                    &group,
                ));
            }
            out.push(item_field(
                keys.cidr,
                keys.peer_label,
                rule.cidr,
                Input::Text,
                at,
                &group,
            ));
            out.push(item_field(
                keys.remove,
                "Remove this rule",
                "",
                Input::Action,
                at,
                &group,
            ));
        }
        out.push(plain(keys.add, keys.add_label, "", Input::Action));
    }
    out
}

/// `443` or `1024-65535`, in order.
fn parse_ports(text: &str) -> Result<(u16, u16), String> {
    let port = |part: &str| {
        part.trim()
            .parse::<u16>()
            .map_err(|_| format!("{text:?} is not a port or a range: type 443 or 1024-65535"))
    };
    let (from, to) = match text.split_once('-') {
        Some((from, to)) => (port(from)?, port(to)?),
        None => {
            let only = port(text)?;
            (only, only)
        }
    };
    if from > to {
        return Err(format!(
            "a range goes from the lower port to the higher: {to}-{from}"
        ));
    }
    Ok((from, to))
}

/// The command for an ACL field, `None` when `key` is not one of these.
pub fn set_acl_field(
    diagram: &Diagram,
    node: &Node,
    key: &str,
    item: Option<usize>,
    text: &str,
) -> Option<Result<Command, String>> {
    let NodeKind::NetworkAcl(acl) = &node.kind else {
        return None;
    };
    if key == "acl_subnets" {
        return Some(toggle_subnet(diagram, node, acl, text));
    }
    let (keys, inbound) = if key.starts_with("inbound_") {
        (&INBOUND, true)
    } else if key.starts_with("outbound_") {
        (&OUTBOUND, false)
    } else {
        return None;
    };
    let mut changed = acl.clone();
    let rules = if inbound {
        &mut changed.inbound
    } else {
        &mut changed.outbound
    };
    let direction = if inbound { "inbound" } else { "outbound" };
    let outcome = if key == keys.add {
        add_rule(rules, direction)
    } else {
        let Some(at) = item.filter(|at| *at < rules.len()) else {
            return Some(Err("that rule no longer exists".into()));
        };
        edit_rule(rules, at, key, keys, text, direction)
    };
    if let Err(message) = outcome {
        return Some(Err(message));
    }
    // Rules are kept in the order AWS reads them.
    crate::domain::sorting::sort_by(rules, |a, b| a.number.cmp(&b.number));
    Some(replace_kind(diagram, node, NodeKind::NetworkAcl(changed)))
}

fn add_rule(rules: &mut Vec<AclRule>, direction: &str) -> Result<(), String> {
    if rules.len() >= RULES_PER_DIRECTION {
        return Err(format!(
            "AWS allows {RULES_PER_DIRECTION} {direction} rules per network ACL (a quota that can be raised to 40); remove one first"
        ));
    }
    let number = free_number(rules, None).ok_or("every rule number is taken")?;
    rules.push(AclRule {
        number,
        action: AclAction::Allow,
        protocol: Protocol::Tcp,
        from_port: 443,
        to_port: 443,
        cidr: Cidr::anywhere(),
    });
    Ok(())
}

fn edit_rule(
    rules: &mut Vec<AclRule>,
    at: usize,
    key: &str,
    keys: &Keys,
    text: &str,
    direction: &str,
) -> Result<(), String> {
    let text = text.trim();
    if key == keys.remove {
        rules.remove(at);
        return Ok(());
    }
    let others_use = |number: u16, rules: &[AclRule]| {
        rules
            .iter()
            .enumerate()
            .any(|(i, r)| i != at && r.number == number)
    };
    if key == keys.number {
        let number = text
            .parse::<u16>()
            .ok()
            .filter(|n| (1..=MAX_RULE_NUMBER).contains(n))
            .ok_or_else(|| format!("a rule number goes from 1 to {MAX_RULE_NUMBER}"))?;
        if others_use(number, rules) {
            return Err(format!(
                "{direction} rule {number} exists already: a number is used once per direction"
            ));
        }
        rules[at].number = number;
    } else if key == keys.action {
        rules[at].action = match text {
            "allow" => AclAction::Allow,
            "deny" => AclAction::Deny,
            _ => return Err("choose allow or deny".into()),
        };
    } else if key == keys.protocol {
        let protocol = match text {
            "tcp" => Protocol::Tcp,
            "udp" => Protocol::Udp,
            "icmp" => Protocol::Icmp,
            "all" => Protocol::All,
            _ => return Err("choose TCP, UDP, ICMP or all traffic".into()),
        };
        let rule = &mut rules[at];
        let had_ports = rule.port_range().is_some();
        rule.protocol = protocol;
        match (had_ports, rule.port_range().is_some()) {
            (false, true) => (rule.from_port, rule.to_port) = (443, 443),
            (true, false) => (rule.from_port, rule.to_port) = (0, 0),
            _ => {}
        }
    } else if key == keys.ports {
        if rules[at].port_range().is_none() {
            return Err("only TCP and UDP rules have ports".into());
        }
        (rules[at].from_port, rules[at].to_port) = parse_ports(text)?;
    } else if key == keys.cidr {
        rules[at].cidr = Cidr::parse(text).map_err(|error| error.to_string())?;
    } else {
        return Err(format!("a network ACL has no field {key:?}"));
    }
    Ok(())
}

/// Toggles a subnet in or out; a subnet taken in leaves the ACL that held
/// it, since AWS associates a subnet with one ACL.
fn toggle_subnet(
    diagram: &Diagram,
    node: &Node,
    acl: &NetworkAcl,
    text: &str,
) -> Result<Command, String> {
    let subnet = NodeId::new(text)
        .ok()
        .filter(|id| {
            matches!(diagram.node(id).map(|n| &n.kind),
                Some(NodeKind::Subnet(subnet)) if subnet.vpc == acl.vpc)
        })
        .ok_or_else(|| format!("there is no subnet {text:?} in this network ACL's VPC"))?;
    let mut changed = acl.clone();
    if let Some(at) = changed.subnets.iter().position(|s| s == &subnet) {
        changed.subnets.remove(at);
        return replace_kind(diagram, node, NodeKind::NetworkAcl(changed));
    }
    changed.subnets.push(subnet.clone());
    let mut commands = release_from_acls(diagram, &subnet);
    commands.push(replace_kind(diagram, node, NodeKind::NetworkAcl(changed))?);
    Ok(Command::Batch(commands))
}
