//! Network ACLs: evaluated as AWS does (lowest number first, the final `*`
//! rule denies, stateless replies on the client's ephemeral ports, nothing
//! filtered inside one subnet), on the seed's flows.

use crate::support::id;
use proptest::prelude::*;
use stackdraw::domain::edit::History;
use stackdraw::domain::model::*;
use stackdraw::domain::templates;
use stackdraw::domain::validate::acl::{decide, Decision};
use stackdraw::domain::validate::{analyze, ExplanationCode, FlowVerdict, Verdict};

fn cidr(text: &str) -> Cidr {
    Cidr::parse(text).unwrap()
}

pub fn rule(
    number: u16,
    action: AclAction,
    protocol: Protocol,
    ports: (u16, u16),
    block: &str,
) -> AclRule {
    AclRule {
        number,
        action,
        protocol,
        from_port: ports.0,
        to_port: ports.1,
        cidr: cidr(block),
    }
}

fn allow(number: u16, ports: (u16, u16), block: &str) -> AclRule {
    rule(number, AclAction::Allow, Protocol::Tcp, ports, block)
}

fn deny(number: u16, ports: (u16, u16), block: &str) -> AclRule {
    rule(number, AclAction::Deny, Protocol::Tcp, ports, block)
}

/// Adds a network ACL to the seed's VPC for these subnets.
pub fn with_acl(
    diagram: &mut Diagram,
    name: &str,
    subnets: &[&str],
    inbound: Vec<AclRule>,
    outbound: Vec<AclRule>,
) {
    diagram.nodes.push(Node {
        id: id(name),
        name: name.to_string(),
        kind: NodeKind::NetworkAcl(NetworkAcl {
            vpc: id("vpc-main"),
            subnets: subnets.iter().map(|s| id(s)).collect(),
            inbound,
            outbound,
        }),
    });
}

fn flow<'a>(flows: &'a [FlowVerdict], edge: &str) -> &'a FlowVerdict {
    flows
        .iter()
        .find(|f| f.edge.as_ref().map(|e| e.as_str()) == Some(edge))
        .unwrap_or_else(|| panic!("no flow for {edge}"))
}

fn verdict_of(diagram: &Diagram, edge: &str) -> FlowVerdict {
    flow(&analyze(diagram).flows, edge).clone()
}

const PRIVATE: [&str; 2] = ["subnet-private-a", "subnet-private-c"];

/// The seed with its service in one subnet and its database in one.
fn seed_with(service_in: &str, database_in: &str) -> Diagram {
    let mut diagram = templates::seed();
    for node in &mut diagram.nodes {
        match &mut node.kind {
            NodeKind::AuroraCluster(db) => db.subnets = vec![id(database_in)],
            NodeKind::FargateService(service) => service.subnets = vec![id(service_in)],
            _ => {}
        }
    }
    diagram
}
const PUBLIC: [&str; 2] = ["subnet-public-a", "subnet-public-c"];

#[test]
fn the_lowest_numbered_matching_rule_decides() {
    // Deny 3306 from private-a at 90, allow everything from the VPC at 100.
    let mut diagram = templates::seed();
    with_acl(
        &mut diagram,
        "acl-db",
        &["subnet-private-c"],
        vec![
            deny(90, (3306, 3306), "10.2.32.0/20"),
            allow(100, (0, 65535), "10.2.0.0/16"),
        ],
        vec![allow(100, (0, 65535), "0.0.0.0/0")],
    );
    let blocked = verdict_of(&diagram, "e-service-db");
    assert_ne!(blocked.verdict, Verdict::Reachable, "{blocked:#?}");
    let stop = blocked.blocked.as_ref().unwrap();
    assert_eq!(stop.code, ExplanationCode::SubnetAclRestriction);
    assert!(
        stop.explanation.contains("rule 90 denies"),
        "{}",
        stop.explanation
    );
    assert_eq!(stop.node.as_ref().map(|n| n.as_str()), Some("acl-db"));

    // The same two rules numbered the other way round: the allow comes first.
    let mut diagram = templates::seed();
    with_acl(
        &mut diagram,
        "acl-db",
        &["subnet-private-c"],
        vec![
            deny(110, (3306, 3306), "10.2.32.0/20"),
            allow(100, (0, 65535), "10.2.0.0/16"),
        ],
        vec![allow(100, (0, 65535), "0.0.0.0/0")],
    );
    assert_eq!(
        verdict_of(&diagram, "e-service-db").verdict,
        Verdict::Reachable
    );
}

#[test]
fn with_no_matching_rule_the_final_star_rule_denies() {
    let mut diagram = templates::seed();
    with_acl(
        &mut diagram,
        "acl-app",
        &PRIVATE,
        vec![allow(100, (443, 443), "10.2.0.0/16")],
        vec![allow(100, (0, 65535), "0.0.0.0/0")],
    );
    let verdict = verdict_of(&diagram, "e-alb-service");
    assert_eq!(verdict.verdict, Verdict::Blocked);
    let stop = verdict.blocked.unwrap();
    assert!(
        stop.explanation.contains("final * rule"),
        "{}",
        stop.explanation
    );
    assert!(
        stop.explanation.contains("no inbound rule allows tcp/80"),
        "{}",
        stop.explanation
    );
}

#[test]
fn outbound_rules_judge_traffic_leaving_the_source_subnet() {
    // The load balancer's subnets may not send port 80 to the private tier.
    let mut diagram = templates::seed();
    with_acl(
        &mut diagram,
        "acl-public",
        &PUBLIC,
        vec![allow(100, (0, 65535), "0.0.0.0/0")],
        vec![
            deny(50, (80, 80), "10.2.32.0/19"),
            allow(100, (0, 65535), "0.0.0.0/0"),
        ],
    );
    let verdict = verdict_of(&diagram, "e-alb-service");
    assert_eq!(verdict.verdict, Verdict::Blocked);
    let stop = verdict.blocked.unwrap();
    assert!(
        stop.explanation.contains("rule 50 denies tcp/80 out to"),
        "{}",
        stop.explanation
    );
    // The internet still reaches the load balancer on 443.
    assert_eq!(
        verdict_of(&diagram, "e-internet-alb-https").verdict,
        Verdict::Reachable
    );
}

#[test]
fn replies_need_the_clients_ephemeral_ports() {
    let inbound = || vec![allow(100, (80, 80), "10.2.0.0/19")];
    // Only 443 may leave: the replies to the load balancer cannot.
    let mut diagram = templates::seed();
    with_acl(
        &mut diagram,
        "acl-app",
        &PRIVATE,
        inbound(),
        vec![allow(100, (443, 443), "0.0.0.0/0")],
    );
    let verdict = verdict_of(&diagram, "e-alb-service");
    assert_eq!(verdict.verdict, Verdict::Blocked);
    let explanation = verdict.blocked.unwrap().explanation;
    assert!(explanation.contains("not its replies"), "{explanation}");
    assert!(explanation.contains("tcp 1024-65535"), "{explanation}");

    // Linux's range is not enough for a load balancer, which answers from
    // 1024-65535 ...
    let mut diagram = templates::seed();
    with_acl(
        &mut diagram,
        "acl-app",
        &PRIVATE,
        inbound(),
        vec![allow(100, (32768, 60999), "10.2.0.0/19")],
    );
    assert_eq!(
        verdict_of(&diagram, "e-alb-service").verdict,
        Verdict::Blocked
    );

    // ... and the whole range is.
    let mut diagram = templates::seed();
    with_acl(
        &mut diagram,
        "acl-app",
        &PRIVATE,
        inbound(),
        vec![allow(100, (1024, 65535), "10.2.0.0/19")],
    );
    assert_eq!(
        verdict_of(&diagram, "e-alb-service").verdict,
        Verdict::Reachable
    );
}

#[test]
fn a_linux_client_needs_only_its_own_ephemeral_range() {
    // The database only sits in private-c; the service calls it from private-a.
    let mut diagram = seed_with("subnet-private-a", "subnet-private-c");
    with_acl(
        &mut diagram,
        "acl-db",
        &["subnet-private-c"],
        vec![
            allow(100, (3306, 3306), "10.2.32.0/20"),
            allow(110, (3306, 3306), "10.2.0.0/20"),
        ],
        vec![
            allow(100, (32768, 60999), "10.2.32.0/20"),
            allow(110, (32768, 60999), "10.2.0.0/20"),
        ],
    );
    assert_eq!(
        verdict_of(&diagram, "e-service-db").verdict,
        Verdict::Reachable
    );
    // The replies to half the range only: some connections would fail.
    let NodeKind::NetworkAcl(acl) = &mut diagram.nodes.last_mut().unwrap().kind else {
        unreachable!()
    };
    acl.outbound[0].to_port = 49151;
    assert_eq!(
        verdict_of(&diagram, "e-service-db").verdict,
        Verdict::Blocked
    );
}

#[test]
fn traffic_inside_one_subnet_is_not_filtered() {
    let mut diagram = seed_with("subnet-private-a", "subnet-private-a");
    with_acl(
        &mut diagram,
        "acl-closed",
        &["subnet-private-a"],
        vec![],
        vec![],
    );
    assert_eq!(
        verdict_of(&diagram, "e-service-db").verdict,
        Verdict::Reachable
    );
    // The bastion, in a public subnet, crosses the boundary.
    assert_eq!(
        verdict_of(&diagram, "e-bastion-db").verdict,
        Verdict::Blocked
    );
}

#[test]
fn traffic_through_a_nat_gateway_meets_the_acl_of_the_nats_subnet() {
    // The public subnets take nothing in from the private tier: image pulls
    // through the NAT gateway stop there.
    let mut diagram = templates::seed();
    with_acl(
        &mut diagram,
        "acl-public",
        &PUBLIC,
        vec![
            deny(10, (0, 65535), "10.2.32.0/19"),
            allow(100, (0, 65535), "0.0.0.0/0"),
        ],
        vec![allow(100, (0, 65535), "0.0.0.0/0")],
    );
    let analysis = analyze(&diagram);
    let pull = analysis
        .flows
        .iter()
        .find(|f| f.description.contains("image"))
        .or_else(|| {
            analysis
                .flows
                .iter()
                .find(|f| f.kind == stackdraw::domain::validate::FlowKind::ImagePull)
        })
        .unwrap();
    assert_eq!(pull.verdict, Verdict::Blocked, "{pull:#?}");
    let stop = pull.blocked.as_ref().unwrap();
    assert_eq!(stop.code, ExplanationCode::SubnetAclRestriction);
    assert!(stop.explanation.contains("rule 10"), "{}", stop.explanation);
}

#[test]
fn a_reachable_flow_names_the_acl_and_its_rules_as_a_hop() {
    let mut diagram = templates::seed();
    with_acl(
        &mut diagram,
        "acl-app",
        &PRIVATE,
        vec![
            allow(100, (80, 80), "10.2.0.0/19"),
            allow(200, (0, 65535), "10.2.0.0/16"),
        ],
        vec![allow(100, (0, 65535), "0.0.0.0/0")],
    );
    let verdict = verdict_of(&diagram, "e-alb-service");
    assert_eq!(verdict.verdict, Verdict::Reachable, "{:?}", verdict.blocked);
    assert!(
        verdict.hops.iter().any(
            |hop| hop.node.as_ref().map(|n| n.as_str()) == Some("acl-app")
                && hop.description.contains("(rule 100)")
        ),
        "{:#?}",
        verdict.hops
    );
}

#[test]
fn the_fix_of_a_blocked_flow_inserts_the_rule_that_lets_it_through_and_undoes() {
    let cases: Vec<(Vec<AclRule>, Vec<AclRule>)> = vec![
        // Nothing allows the request.
        (vec![], vec![allow(100, (0, 65535), "0.0.0.0/0")]),
        // Nothing allows the replies.
        (vec![allow(100, (0, 65535), "0.0.0.0/0")], vec![]),
        // A deny comes first.
        (
            vec![
                deny(100, (0, 65535), "10.2.0.0/16"),
                allow(200, (0, 65535), "0.0.0.0/0"),
            ],
            vec![allow(100, (0, 65535), "0.0.0.0/0")],
        ),
    ];
    for (inbound, outbound) in cases {
        let mut diagram = templates::seed();
        with_acl(&mut diagram, "acl-app", &PRIVATE, inbound, outbound);
        let before = diagram.clone();
        let analysis = analyze(&diagram);
        let diagnostic = analysis
            .diagnostics
            .iter()
            .find(|d| d.edges.iter().any(|e| e.as_str() == "e-alb-service"))
            .expect("the blocked flow is reported");
        assert!(matches!(diagnostic.rule, 51 | 52), "{diagnostic:?}");
        let fix = diagnostic.fix.clone().expect("a fix is offered");
        let mut history = History::new();
        history.execute(&mut diagram, fix.command).unwrap();
        assert_eq!(
            verdict_of(&diagram, "e-alb-service").verdict,
            Verdict::Reachable,
            "{}",
            fix.label
        );
        assert!(history.undo(&mut diagram));
        assert_eq!(diagram, before);
    }
}

#[test]
fn a_deny_the_security_groups_would_have_allowed_is_the_acls_doing() {
    let mut diagram = templates::seed();
    with_acl(
        &mut diagram,
        "acl-app",
        &PRIVATE,
        vec![
            deny(50, (80, 80), "10.2.0.0/16"),
            allow(100, (0, 65535), "0.0.0.0/0"),
        ],
        vec![allow(100, (0, 65535), "0.0.0.0/0")],
    );
    let analysis = analyze(&diagram);
    let diagnostic = analysis
        .diagnostics
        .iter()
        .find(|d| d.edges.iter().any(|e| e.as_str() == "e-alb-service"))
        .unwrap();
    assert_eq!(diagnostic.rule, 52, "{diagnostic:?}");
    assert!(diagnostic.message.contains("security groups allow it"));
    assert_eq!(diagnostic.nodes[0].as_str(), "acl-app");
    let labels: Vec<&str> = diagnostic.fixes().map(|f| f.label.as_str()).collect();
    assert!(
        labels
            .iter()
            .any(|l| l.starts_with("Remove inbound rule 50")),
        "{labels:?}"
    );

    // When the groups refuse it too, the ACL is not singled out.
    diagram.nodes.iter_mut().for_each(|node| {
        if let NodeKind::SecurityGroup(group) = &mut node.kind {
            if node.id.as_str() == "sg-service" {
                group.ingress.clear();
            }
        }
    });
    let analysis = analyze(&diagram);
    assert!(!analysis.diagnostics.iter().any(|d| d.rule == 52));
}

/// A brute-force reading of the ACL: for each address of the peer block and
/// each port, the first rule by number that matches decides.
fn reference(rules: &[AclRule], ports: (u16, u16), peer: Cidr) -> bool {
    let mut sorted: Vec<&AclRule> = rules.iter().collect();
    sorted.sort_by_key(|r| r.number);
    let (low, high) = peer.canonical().range();
    (ports.0..=ports.1).all(|port| {
        (low..=high).any(|address| {
            let address = std::net::Ipv4Addr::from(address);
            sorted
                .iter()
                .find(|r| {
                    r.cidr.canonical().contains_addr(address)
                        && (r.protocol == Protocol::All
                            || (r.protocol == Protocol::Tcp
                                && r.from_port <= port
                                && port <= r.to_port))
                })
                .is_some_and(|r| r.action == AclAction::Allow)
        })
    })
}

fn small_rule() -> impl Strategy<Value = AclRule> {
    (
        1u16..40,
        any::<bool>(),
        prop::bool::weighted(0.2),
        0u16..16,
        0u16..16,
        0u32..16,
        28u8..=32,
    )
        .prop_map(|(number, allowed, all, a, b, offset, prefix)| AclRule {
            number,
            action: if allowed {
                AclAction::Allow
            } else {
                AclAction::Deny
            },
            protocol: if all { Protocol::All } else { Protocol::Tcp },
            from_port: a.min(b),
            to_port: a.max(b),
            cidr: Cidr::new(std::net::Ipv4Addr::new(10, 0, 0, offset as u8), prefix).unwrap(),
        })
}

proptest! {
    #[test]
    fn decisions_match_a_rule_by_rule_reading(
        mut rules in prop::collection::vec(small_rule(), 0..8),
        ports in (0u16..16, 0u16..16),
        peer in (0u32..16, 28u8..=32),
    ) {
        rules.sort_by_key(|r| r.number);
        rules.dedup_by_key(|r| r.number);
        let ports = (ports.0.min(ports.1), ports.0.max(ports.1));
        let peer = Cidr::new(std::net::Ipv4Addr::new(10, 0, 0, peer.0 as u8), peer.1).unwrap();
        let decided = decide(&rules, Protocol::Tcp, ports, peer);
        prop_assert_eq!(
            matches!(decided, Decision::Allowed { .. }),
            reference(&rules, ports, peer),
            "{:?} on {:?} from {}", rules, ports, peer
        );
    }

    #[test]
    fn an_allow_all_acl_never_changes_a_verdict(
        chosen in prop::collection::vec(any::<bool>(), 4),
        number in 1u16..32766,
        extra in prop::collection::vec((1u16..32766, 0u16..2000), 0..4),
    ) {
        let seed = templates::seed();
        let before = analyze(&seed);
        let subnets: Vec<&str> = PUBLIC.iter().chain(PRIVATE.iter()).copied()
            .zip(&chosen).filter(|(_, on)| **on).map(|(s, _)| s).collect();
        let mut rules = vec![rule(number, AclAction::Allow, Protocol::All, (0, 0), "0.0.0.0/0")];
        // More allow rules change nothing either.
        for (n, port) in extra {
            if rules.iter().all(|r| r.number != n) {
                rules.push(allow(n, (port, port), "10.0.0.0/8"));
            }
        }
        let mut diagram = seed.clone();
        with_acl(&mut diagram, "acl-open", &subnets, rules.clone(), rules);
        let after = analyze(&diagram);
        for (a, b) in before.flows.iter().zip(&after.flows) {
            prop_assert_eq!(a.verdict, b.verdict, "{}", a.description);
        }
        for (a, b) in before.scopes.iter().zip(&after.scopes) {
            prop_assert_eq!(a.holds, b.holds, "{}", a.id);
        }
    }

    #[test]
    fn a_deny_all_acl_blocks_every_flow_that_crosses_its_subnet(at in 0usize..4, explicit in any::<bool>()) {
        let subnet = PUBLIC.iter().chain(PRIVATE.iter()).nth(at).copied().unwrap();
        let mut diagram = templates::seed();
        let rules = if explicit {
            vec![rule(1, AclAction::Deny, Protocol::All, (0, 0), "0.0.0.0/0")]
        } else {
            vec![]
        };
        with_acl(&mut diagram, "acl-closed", &[subnet], rules.clone(), rules);
        let placed = |node: &NodeId| -> Vec<NodeId> {
            diagram.node(node).map(|n| n.kind.placement_subnets().into_iter().cloned().collect()).unwrap_or_default()
        };
        let analysis = analyze(&diagram);
        let mut crossing = 0;
        for flow in analysis.flows.iter().filter(|f| f.edge.is_some()) {
            let from = placed(&flow.from);
            let to = flow.to.as_ref().map(placed).unwrap_or_default();
            let in_it = |ends: &[NodeId]| ends.iter().any(|s| s.as_str() == subnet);
            let only_it = |ends: &[NodeId]| !ends.is_empty() && ends.iter().all(|s| s.as_str() == subnet);
            if (in_it(&from) || in_it(&to)) && !(only_it(&from) && only_it(&to)) {
                crossing += 1;
                prop_assert_ne!(flow.verdict, Verdict::Reachable, "{} crosses {}", flow.description, subnet);
            }
        }
        prop_assert!(crossing > 0);
    }
}

mod editing {
    use super::{allow, with_acl, PRIVATE};
    use crate::item_fields::typed;
    use crate::support::id;
    use stackdraw::domain::edit::delete::delete_nodes;
    use stackdraw::domain::edit::fields::fields_of;
    use stackdraw::domain::edit::relate::{links, relate, unrelate, LinkKind};
    use stackdraw::domain::edit::{apply, place::place};
    use stackdraw::domain::model::*;
    use stackdraw::domain::templates;

    fn acl<'a>(diagram: &'a Diagram, node: &str) -> &'a NetworkAcl {
        match &diagram.node(&id(node)).unwrap().kind {
            NodeKind::NetworkAcl(acl) => acl,
            other => panic!("{node} is a {:?}", other.tag()),
        }
    }

    fn centre(diagram: &Diagram, node: &str) -> (f64, f64) {
        let rect = diagram.layout[&id(node)];
        (rect.x + rect.w / 2.0, rect.y + rect.h / 2.0)
    }

    #[test]
    fn dropped_on_a_subnet_it_filters_that_subnet_and_blocks_nothing_yet() {
        let seed = templates::seed();
        let before = stackdraw::domain::validate::analyze(&seed);
        let (command, new) = place(
            &seed,
            KindTag::NetworkAcl,
            centre(&seed, "subnet-private-a"),
        )
        .unwrap();
        let mut diagram = seed.clone();
        apply(&mut diagram, command).unwrap();
        let placed = acl(&diagram, new.as_str());
        assert_eq!(placed.vpc, id("vpc-main"));
        assert_eq!(placed.subnets, vec![id("subnet-private-a")]);
        let after = stackdraw::domain::validate::analyze(&diagram);
        for (a, b) in before.flows.iter().zip(&after.flows) {
            assert_eq!(a.verdict, b.verdict, "{}", a.description);
        }
        assert!(after
            .diagnostics
            .iter()
            .all(|d| !(49..=53).contains(&d.rule)));
        // Outside every VPC it is refused, with the reason.
        let error = place(&seed, KindTag::NetworkAcl, (-5000.0, -5000.0)).unwrap_err();
        assert!(error.contains("inside a VPC"), "{error}");
    }

    #[test]
    fn rules_are_typed_and_refused_values_are_explained() {
        let mut diagram = templates::seed();
        with_acl(
            &mut diagram,
            "acl-app",
            &PRIVATE,
            vec![
                allow(100, (80, 80), "10.2.0.0/19"),
                allow(200, (443, 443), "0.0.0.0/0"),
            ],
            vec![],
        );
        let addresses: Vec<String> = fields_of(&diagram, diagram.node(&id("acl-app")).unwrap())
            .iter()
            .map(|f| f.address())
            .collect();
        for wanted in [
            "acl_subnets",
            "inbound_number.0",
            "inbound_ports.1",
            "inbound_cidr.0",
            "inbound_add",
            "outbound_add",
        ] {
            assert!(
                addresses.iter().any(|a| a == wanted),
                "{wanted} in {addresses:?}"
            );
        }
        let refused =
            |address: &str, text: &str| typed(&diagram, "acl-app", address, text).unwrap_err();
        assert!(refused("inbound_number.1", "100").contains("exists already"));
        assert!(refused("inbound_number.0", "0").contains("1 to 32766"));
        assert!(refused("inbound_number.0", "40000").contains("1 to 32766"));
        assert!(refused("inbound_ports.0", "90-80").contains("lower port"));
        assert!(refused("inbound_ports.0", "http").contains("443 or 1024-65535"));
        assert!(refused("inbound_cidr.0", "10.2.0.0/33").len() > 5);

        // Renumbered, the rules stay in the order AWS reads them.
        let renumbered = typed(&diagram, "acl-app", "inbound_number.1", "50").unwrap();
        let numbers: Vec<u16> = acl(&renumbered, "acl-app")
            .inbound
            .iter()
            .map(|r| r.number)
            .collect();
        assert_eq!(numbers, vec![50, 100]);
        let ranged = typed(&diagram, "acl-app", "inbound_ports.0", "1024-65535").unwrap();
        assert_eq!(acl(&ranged, "acl-app").inbound[0].from_port, 1024);
        assert_eq!(acl(&ranged, "acl-app").inbound[0].to_port, 65535);
        let all = typed(&diagram, "acl-app", "inbound_protocol.0", "all").unwrap();
        assert_eq!(acl(&all, "acl-app").inbound[0].port_range(), None);
        let denied = typed(&diagram, "acl-app", "inbound_action.0", "deny").unwrap();
        assert_eq!(acl(&denied, "acl-app").inbound[0].action, AclAction::Deny);
        let removed = typed(&diagram, "acl-app", "inbound_remove.0", "").unwrap();
        assert_eq!(acl(&removed, "acl-app").inbound.len(), 1);

        // Twenty rules a direction, AWS's default quota.
        let mut full = diagram.clone();
        for _ in 0..18 {
            full = typed(&full, "acl-app", "outbound_add", "").unwrap();
        }
        assert_eq!(acl(&full, "acl-app").outbound.len(), 18);
        full = typed(&full, "acl-app", "outbound_add", "").unwrap();
        full = typed(&full, "acl-app", "outbound_add", "").unwrap();
        let error = typed(&full, "acl-app", "outbound_add", "").unwrap_err();
        assert!(error.contains("20 outbound rules"), "{error}");
        let numbers: std::collections::BTreeSet<u16> = acl(&full, "acl-app")
            .outbound
            .iter()
            .map(|r| r.number)
            .collect();
        assert_eq!(
            numbers.len(),
            20,
            "every added rule has a number of its own"
        );
    }

    #[test]
    fn a_subnet_belongs_to_one_acl_whether_ticked_or_drawn() {
        let mut diagram = templates::seed();
        with_acl(
            &mut diagram,
            "acl-one",
            &["subnet-private-a"],
            vec![],
            vec![],
        );
        with_acl(&mut diagram, "acl-two", &[], vec![], vec![]);
        diagram
            .layout
            .insert(id("acl-one"), Rect::new(100.0, 100.0, 48.0, 48.0));
        diagram
            .layout
            .insert(id("acl-two"), Rect::new(200.0, 100.0, 48.0, 48.0));

        let ticked = typed(&diagram, "acl-two", "acl_subnets", "subnet-private-a").unwrap();
        assert_eq!(
            acl(&ticked, "acl-two").subnets,
            vec![id("subnet-private-a")]
        );
        assert!(acl(&ticked, "acl-one").subnets.is_empty());
        let unticked = typed(&ticked, "acl-two", "acl_subnets", "subnet-private-a").unwrap();
        assert!(acl(&unticked, "acl-two").subnets.is_empty());
        assert!(typed(&diagram, "acl-two", "acl_subnets", "db").is_err());

        let drawn = relate(&diagram, &id("acl-two"), &id("subnet-private-a")).unwrap();
        assert!(
            drawn.summary.contains("in place of \"acl-one\""),
            "{}",
            drawn.summary
        );
        assert_eq!(drawn.edge, None, "an ACL carries no traffic");
        let mut after = diagram.clone();
        apply(&mut after, drawn.command).unwrap();
        assert_eq!(acl(&after, "acl-two").subnets, vec![id("subnet-private-a")]);
        assert!(acl(&after, "acl-one").subnets.is_empty());
        let line = links(&after)
            .into_iter()
            .find(|l| l.what == LinkKind::AclSubnet)
            .expect("the association is drawn");
        assert_eq!(
            (line.from.as_str(), line.to.as_str()),
            ("acl-two", "subnet-private-a")
        );
        let mut undone = after.clone();
        apply(&mut undone, unrelate(&after, &line).unwrap()).unwrap();
        assert!(acl(&undone, "acl-two").subnets.is_empty());

        // A line to anything that is not a subnet is refused with what to do.
        let error = relate(&diagram, &id("acl-two"), &id("service")).unwrap_err();
        assert!(error.contains("draw it to a subnet"), "{error}");

        // Deleting the subnet leaves the ACL without it.
        let command = delete_nodes(&after, &[id("subnet-private-a")]).unwrap();
        let mut deleted = after.clone();
        apply(&mut deleted, command).unwrap();
        assert!(acl(&deleted, "acl-two").subnets.is_empty());
    }
}

#[test]
fn a_copied_acl_takes_no_subnet_from_the_original() {
    use stackdraw::domain::edit::duplicate::{copy, paste};
    let mut diagram = templates::seed();
    with_acl(&mut diagram, "acl-app", &PRIVATE, vec![], vec![]);
    diagram
        .layout
        .insert(id("acl-app"), Rect::new(300.0, 300.0, 48.0, 48.0));
    // The ACL alone: its copy filters nothing yet.
    let (command, ids) = paste(&diagram, &copy(&diagram, &[id("acl-app")]), (40.0, 40.0)).unwrap();
    let mut after = diagram.clone();
    stackdraw::domain::edit::apply(&mut after, command).unwrap();
    let NodeKind::NetworkAcl(pasted) = &after.node(&ids[0]).unwrap().kind else {
        panic!("the copy is a network ACL")
    };
    assert!(pasted.subnets.is_empty());
    assert!(!analyze(&after).diagnostics.iter().any(|d| d.rule == 53));
}

#[test]
fn an_acl_aws_would_refuse_is_an_error_that_says_why() {
    let messages = |inbound: Vec<AclRule>| -> Vec<String> {
        let mut diagram = templates::seed();
        with_acl(&mut diagram, "acl-app", &PRIVATE, inbound, vec![]);
        analyze(&diagram)
            .diagnostics
            .into_iter()
            .filter(|d| d.rule == 53)
            .map(|d| d.message)
            .collect()
    };
    let said = |inbound: Vec<AclRule>, expected: &str| {
        let found = messages(inbound);
        assert!(
            found.iter().any(|m| m.contains(expected)),
            "{expected:?} in {found:#?}"
        );
    };
    said(
        vec![
            allow(100, (80, 80), "0.0.0.0/0"),
            allow(100, (443, 443), "0.0.0.0/0"),
        ],
        "two inbound rules numbered 100",
    );
    said(vec![allow(0, (80, 80), "0.0.0.0/0")], "from 1 to 32766");
    said(vec![allow(32767, (80, 80), "0.0.0.0/0")], "from 1 to 32766");
    said(vec![allow(100, (443, 80), "0.0.0.0/0")], "ports backwards");
    let many: Vec<AclRule> = (1..=21)
        .map(|n| allow(n * 10, (n, n), "0.0.0.0/0"))
        .collect();
    said(many, "has 21 inbound rules");
    // Twenty is within AWS's default quota.
    let twenty: Vec<AclRule> = (1..=20)
        .map(|n| allow(n * 10, (n, n), "0.0.0.0/0"))
        .collect();
    assert!(messages(twenty).is_empty());
}
