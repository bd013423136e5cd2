//! Comparing two versions of a design: each kind of change, each kind of
//! verdict change, matching without shared ids, and the reports.

use crate::support::{fixture_path, id, kind_mut, read_fixture, tcp_rule};
use stackdraw::domain::codec::{decode_file, link, wire};
use stackdraw::domain::diff::{self, report, Appearance, Change, Diff, Gate, Matching, Strategy};
use stackdraw::domain::model::*;
use stackdraw::domain::templates::{self, TEMPLATES};
use stackdraw::domain::validate::{ExplanationCode, FlowKind, Verdict};
use std::collections::BTreeMap;

fn seed_with(change: impl FnOnce(&mut Diagram)) -> (Diagram, Diagram) {
    let old = templates::seed();
    let mut new = old.clone();
    change(&mut new);
    (old, new)
}

fn compare(old: &Diagram, new: &Diagram) -> Diff {
    diff::diff(old, new, Strategy::Auto)
}

fn changed_facts(diff: &Diff, node: &str) -> Vec<String> {
    diff.nodes
        .iter()
        .find(|n| n.id.as_str() == node && n.change == Change::Changed)
        .unwrap_or_else(|| panic!("{node} is not listed as changed: {:#?}", diff.nodes))
        .facts
        .iter()
        .map(report::fact_line)
        .collect()
}

// ---- the same version -------------------------------------------------

fn every_fixture() -> Vec<(String, Diagram)> {
    let mut out: Vec<(String, Diagram)> = TEMPLATES
        .iter()
        .map(|t| (format!("template {}", t.name), t.build()))
        .collect();
    out.push(("generated(300)".into(), templates::generated(300)));
    out.push(("every kind".into(), crate::support::every_kind()));
    for folder in ["", "rules", "earlier"] {
        let dir = fixture_path(folder);
        let mut paths: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
            .collect();
        paths.sort();
        for path in paths {
            let text = std::fs::read_to_string(&path).unwrap();
            let diagram = decode_file(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            out.push((path.display().to_string(), diagram));
        }
    }
    let mut links: Vec<_> = std::fs::read_dir(fixture_path("links"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    links.sort();
    for path in links {
        let text = std::fs::read_to_string(&path).unwrap();
        if let Ok(diagram) = link::decode_link(&text) {
            out.push((path.display().to_string(), diagram));
        }
    }
    let bastion = read_fixture("import/bastion.yaml");
    let imported = stackdraw::domain::import::import_cloudformation(
        "bastion.yaml",
        &bastion,
        &Default::default(),
    )
    .unwrap();
    out.push(("imported bastion.yaml".into(), imported.diagram));
    // The real templates of the import corpus, and a Terraform module.
    let corpus = fixture_path("import/corpus/aws-cloudformation-templates");
    let mut templates: Vec<_> = std::fs::read_dir(&corpus)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "yaml" || e == "json"))
        .collect();
    templates.sort();
    for path in templates {
        let text = std::fs::read_to_string(&path).unwrap();
        let name = path.display().to_string();
        if let Ok(imported) =
            stackdraw::domain::import::import_cloudformation(&name, &text, &Default::default())
        {
            out.push((name, imported.diagram));
        }
    }
    let shop: Vec<(String, String)> = ["compute.tf", "network.tf"]
        .iter()
        .map(|f| (f.to_string(), read_fixture(&format!("import/shop/{f}"))))
        .collect();
    let imported = stackdraw::domain::import::import_terraform(&shop, &Default::default()).unwrap();
    out.push(("imported shop module".into(), imported.diagram));
    out
}

#[test]
fn a_version_compared_with_itself_has_no_changes_for_every_template_and_fixture() {
    let all = every_fixture();
    assert!(all.len() > 100, "only {} diagrams found", all.len());
    for (name, diagram) in all {
        let diff = compare(&diagram, &diagram);
        assert!(diff.is_empty(), "{name}: {}", report::text(&diff, None));
        assert_eq!(diff.matching, Matching::Id, "{name}");
        assert!(report::summary(&diff).starts_with("no changes"), "{name}");
        // Matched by structure too, nothing differs (or what cannot be told
        // apart is listed, never paired by guess).
        let by_structure = diff::diff(&diagram, &diagram, Strategy::Structure);
        assert!(
            by_structure.flows.is_empty() || !by_structure.unmatched.old.is_empty(),
            "{name}: {}",
            report::text(&by_structure, None)
        );
    }
}

// ---- each kind of change ---------------------------------------------

#[test]
fn an_added_and_a_removed_node_are_listed_with_their_kind_and_name() {
    let (old, new) = seed_with(|d| {
        d.nodes.retain(|n| n.id.as_str() != "bastion");
        d.edges
            .retain(|e| e.from.as_str() != "bastion" && e.to.as_str() != "bastion");
        d.edges.retain(|e| e.to.as_str() != "bastion");
        let mut bucket = d
            .nodes
            .iter()
            .find(|n| n.id.as_str() == "frontend")
            .unwrap()
            .clone();
        bucket.id = id("logs");
        bucket.name = "access-logs".into();
        d.nodes.push(bucket);
    });
    let diff = compare(&old, &new);
    let added: Vec<_> = diff
        .nodes
        .iter()
        .filter(|n| n.change == Change::Added)
        .collect();
    let removed: Vec<_> = diff
        .nodes
        .iter()
        .filter(|n| n.change == Change::Removed)
        .collect();
    assert_eq!(added.len(), 1);
    assert_eq!(
        (added[0].id.as_str(), added[0].kind.as_str()),
        ("logs", "S3 bucket")
    );
    assert_eq!(removed.len(), 1);
    assert_eq!(removed[0].name, "login-server");
    // The bastion's edges went with it.
    assert!(diff
        .edges
        .iter()
        .all(|e| e.change == Change::Removed && e.description.contains("login-server")));
    assert_eq!(diff.edges.len(), 2);
}

#[test]
fn a_renamed_node_and_a_changed_cidr_and_zone_are_facts_of_a_changed_node() {
    let (old, new) = seed_with(|d| {
        d.nodes
            .iter_mut()
            .find(|n| n.id.as_str() == "subnet-private-c")
            .unwrap()
            .name = "private-c".into();
        if let NodeKind::Subnet(subnet) = kind_mut(d, "subnet-private-c") {
            subnet.cidr = Cidr::parse("10.2.96.0/20").unwrap();
            subnet.az = "ap-northeast-1d".into();
        }
    });
    let diff = compare(&old, &new);
    let facts = changed_facts(&diff, "subnet-private-c");
    assert!(
        facts.contains(&"name: private-subnet-c -> private-c".to_string()),
        "{facts:?}"
    );
    assert!(
        facts
            .iter()
            .any(|f| f.starts_with("CIDR: ") && f.ends_with("-> 10.2.96.0/20")),
        "{facts:?}"
    );
    assert!(
        facts.contains(&"zone: ap-northeast-1c -> ap-northeast-1d".to_string()),
        "{facts:?}"
    );
}

#[test]
fn routes_and_security_group_rules_are_compared_as_lists_of_items() {
    let (old, new) = seed_with(|d| {
        if let NodeKind::RouteTable(table) = kind_mut(d, "rt-private") {
            table.routes.clear();
        }
        if let NodeKind::SecurityGroup(group) = kind_mut(d, "sg-db") {
            group.ingress.remove(0);
            group.ingress.push(tcp_rule(3306, "10.2.0.0/16"));
        }
    });
    let diff = compare(&old, &new);
    let routes = changed_facts(&diff, "rt-private");
    assert_eq!(routes.len(), 1, "{routes:?}");
    assert!(
        routes[0] == "routes: - destination 0.0.0.0/0, target \"nat-gateway-a\"",
        "{routes:?}"
    );
    let rules = changed_facts(&diff, "sg-db");
    assert_eq!(rules.len(), 2, "{rules:?}");
    assert!(
        rules[0].starts_with("inbound rules: - tcp/3306, peer security group \"service-sg\""),
        "{rules:?}"
    );
    assert_eq!(rules[1], "inbound rules: + tcp/3306, peer CIDR 10.2.0.0/16");
}

#[test]
fn listener_ports_task_size_and_engine_are_facts_too() {
    let (old, new) = seed_with(|d| {
        if let NodeKind::LoadBalancer(alb) = kind_mut(d, "alb") {
            alb.listeners[0].port = 8443;
        }
        if let NodeKind::FargateService(service) = kind_mut(d, "service") {
            service.cpu = 1024;
            service.memory = 2048;
        }
        if let NodeKind::AuroraCluster(aurora) = kind_mut(d, "db") {
            aurora.engine = AuroraEngine::AuroraPostgresql;
        }
    });
    let diff = compare(&old, &new);
    let listeners = changed_facts(&diff, "alb");
    assert!(
        listeners
            .iter()
            .any(|f| f.starts_with("listeners: - port 80,")),
        "{listeners:?}"
    );
    assert!(
        listeners
            .iter()
            .any(|f| f.starts_with("listeners: + port 8443")),
        "{listeners:?}"
    );
    let task = changed_facts(&diff, "service");
    assert!(
        task.iter()
            .any(|f| f.starts_with("task CPU: ") && f.ends_with("-> 1024")),
        "{task:?}"
    );
    assert!(
        task.iter()
            .any(|f| f.starts_with("task memory: ") && f.ends_with("-> 2048")),
        "{task:?}"
    );
    let engine = changed_facts(&diff, "db");
    assert!(
        engine.contains(&"engine: aurora_mysql -> aurora_postgresql".to_string()),
        "{engine:?}"
    );
}

#[test]
fn an_edge_drawn_again_is_unchanged_and_a_new_port_is_a_changed_edge() {
    let (old, new) = seed_with(|d| {
        // The same traffic drawn again gets a new id: nothing changed.
        let edge = d
            .edges
            .iter_mut()
            .find(|e| e.id.as_str() == "e-operator-bastion")
            .unwrap();
        edge.id = EdgeId::new("e-redrawn").unwrap();
        let edge = d
            .edges
            .iter_mut()
            .find(|e| e.id.as_str() == "e-alb-service")
            .unwrap();
        edge.port = 8080;
        edge.label = "app".into();
    });
    let diff = compare(&old, &new);
    assert_eq!(diff.edges.len(), 1, "{:#?}", diff.edges);
    let edge = &diff.edges[0];
    assert_eq!(edge.change, Change::Changed);
    let facts: Vec<String> = edge.facts.iter().map(report::fact_line).collect();
    assert_eq!(facts, ["port: tcp/80 -> tcp/8080", "label:  -> app"]);
}

#[test]
fn a_region_change_is_a_fact_of_the_diagram() {
    let (old, new) = seed_with(|d| d.region = "eu-west-1".into());
    let diff = compare(&old, &new);
    assert_eq!(
        report::fact_line(&diff.diagram[0]),
        "region: ap-northeast-1 -> eu-west-1"
    );
}

// ---- each kind of verdict change --------------------------------------

#[test]
fn a_flow_that_becomes_blocked_names_the_hop_and_code_and_fails_the_gate() {
    let (old, new) = seed_with(|d| {
        if let NodeKind::SecurityGroup(group) = kind_mut(d, "sg-db") {
            group
                .ingress
                .retain(|rule| rule.peer != Peer::SecurityGroup(id("sg-service")));
        }
    });
    let diff = compare(&old, &new);
    let flow = diff
        .flows
        .iter()
        .find(|f| {
            f.edge
                .as_ref()
                .is_some_and(|e| e.as_str() == "e-service-db")
        })
        .expect("the service's flow to the database changed");
    assert_eq!(
        (flow.before, flow.after),
        (Some(Verdict::Reachable), Some(Verdict::Blocked))
    );
    let cause = flow.cause.as_ref().unwrap();
    assert_eq!(cause.code, ExplanationCode::EniSgRulesMismatch);
    assert_eq!(cause.at_name.as_deref(), Some("db-sg"));
    assert_eq!(
        report::flow_line(flow),
        "\"myapp-service\" -> \"myapp-aurora\" on tcp/3306: reachable -> blocked (ENI_SG_RULES_MISMATCH at \"db-sg\": no security group of \"myapp-aurora\" allows tcp/3306 from \"myapp-service\")"
    );
    assert_eq!(diff.gate_count(Gate::Blocked), 1);
    assert_eq!(diff.gate_count(Gate::Partial), 0);
    // The flow's error appeared.
    assert!(diff
        .diagnostics
        .iter()
        .any(|d| d.status == Appearance::Appeared && d.rule == "VR-43"));
    assert_eq!(diff.gate_count(Gate::Error), 1);
}

#[test]
fn a_flow_that_gets_through_again_says_what_stopped_it_and_fails_no_gate() {
    let (blocked, fixed) = seed_with(|_| {});
    let (_, blocked) = {
        let mut broken = blocked.clone();
        if let NodeKind::SecurityGroup(group) = kind_mut(&mut broken, "sg-db") {
            group.ingress.clear();
        }
        ((), broken)
    };
    let diff = compare(&blocked, &fixed);
    let flows: Vec<_> = diff
        .flows
        .iter()
        .filter(|f| f.after == Some(Verdict::Reachable))
        .collect();
    assert_eq!(flows.len(), 2, "{}", report::text(&diff, None));
    assert!(flows.iter().all(|f| f.before == Some(Verdict::Blocked)
        && f.was
            .as_ref()
            .is_some_and(|w| w.code == ExplanationCode::EniSgRulesMismatch)));
    assert!(report::flow_line(flows[0]).contains("blocked -> reachable (was ENI_SG_RULES_MISMATCH"));
    for gate in Gate::ALL {
        assert_eq!(diff.gate_count(gate), 0, "{}", gate.name());
    }
    assert!(diff
        .diagnostics
        .iter()
        .all(|d| d.status == Appearance::Cleared));
}

#[test]
fn a_flow_that_becomes_partial_fails_the_partial_gate() {
    // A third private subnet, routed through the NAT, for the service only.
    let (old, new) = (
        templates::seed(),
        crate::reachability::service_in_a_third_zone(true),
    );
    let diff = compare(&old, &new);
    let flow = diff
        .flows
        .iter()
        .find(|f| {
            f.edge
                .as_ref()
                .is_some_and(|e| e.as_str() == "e-alb-service")
        })
        .expect("the load balancer's flow changed");
    assert_eq!(flow.after, Some(Verdict::Partial));
    assert_eq!(
        flow.cause.as_ref().unwrap().code,
        ExplanationCode::ElbInstalledAzRestriction
    );
    assert_eq!(diff.gate_count(Gate::Partial), 1);
    assert_eq!(diff.gate_count(Gate::Blocked), 0);
    assert!(report::text(&diff, None)
        .contains("reachable -> partially reachable (ELB_INSTALLED_AZ_RESTRICTION"));
}

#[test]
fn flows_that_appear_or_go_are_listed_and_a_new_blocked_flow_fails_the_gate() {
    let (old, new) = seed_with(|d| {
        d.edges.retain(|e| e.id.as_str() != "e-operator-bastion");
        d.edges.push(TrafficEdge {
            id: EdgeId::new("e-internet-db").unwrap(),
            from: id("internet"),
            to: id("db"),
            protocol: Protocol::Tcp,
            port: 3306,
            label: String::new(),
            bends: Vec::new(),
            straight: false,
        });
    });
    let diff = compare(&old, &new);
    let gone = diff.flows.iter().find(|f| f.after.is_none()).unwrap();
    assert_eq!(gone.before, Some(Verdict::Reachable));
    assert!(gone.description.contains("login-server"));
    let came = diff.flows.iter().find(|f| f.before.is_none()).unwrap();
    assert_eq!(came.after, Some(Verdict::Blocked));
    assert_eq!(diff.gate_count(Gate::Blocked), 1);
    assert!(report::flow_line(came).contains("none -> blocked (CANNOT_ROUTE"));
}

#[test]
fn a_blocked_flow_stopped_elsewhere_is_listed_but_fails_no_gate() {
    // Blocked at the database's group before; at the route table after.
    let (old, new) = seed_with(|d| {
        if let NodeKind::SecurityGroup(group) = kind_mut(d, "sg-db") {
            group.ingress.clear();
        }
    });
    let mut old = old;
    let mut new = new;
    let internet_db = TrafficEdge {
        id: EdgeId::new("e-operator-db").unwrap(),
        from: id("operator"),
        to: id("db"),
        protocol: Protocol::Tcp,
        port: 3306,
        label: String::new(),
        bends: Vec::new(),
        straight: false,
    };
    old.edges.push(internet_db.clone());
    new.edges.push(internet_db);
    if let NodeKind::SecurityGroup(group) = kind_mut(&mut old, "sg-db") {
        group.ingress.push(tcp_rule(3306, "0.0.0.0/0"));
    }
    let old_flow = stackdraw::domain::validate::analyze(&old);
    let before = old_flow
        .flows
        .iter()
        .find(|f| {
            f.edge
                .as_ref()
                .is_some_and(|e| e.as_str() == "e-operator-db")
        })
        .unwrap();
    assert_eq!(before.verdict, Verdict::Blocked);
    let diff = compare(&old, &new);
    let flow = diff.flows.iter().find(|f| {
        f.edge
            .as_ref()
            .is_some_and(|e| e.as_str() == "e-operator-db")
    });
    match flow {
        // Stopped at another hop or for another reason: listed, blocked
        // before and after, so no gate fails for it.
        Some(flow) => {
            assert_eq!(
                (flow.before, flow.after),
                (Some(Verdict::Blocked), Some(Verdict::Blocked))
            );
            assert_ne!(
                flow.was.as_ref().map(|c| (c.code, c.at.clone())),
                flow.cause.as_ref().map(|c| (c.code, c.at.clone()))
            );
            assert!(diff.worsened(Verdict::Blocked).all(|f| f.edge != flow.edge));
        }
        // Stopped where it was stopped: not a change at all.
        None => assert_eq!(
            before.blocked.as_ref().map(|b| b.code),
            Some(ExplanationCode::CannotRoute)
        ),
    }
}

#[test]
fn an_implied_flow_is_compared_too() {
    let (old, new) = seed_with(|d| {
        // No NAT route: tasks can no longer pull their images.
        if let NodeKind::RouteTable(table) = kind_mut(d, "rt-private") {
            table.routes.clear();
        }
    });
    let diff = compare(&old, &new);
    let pull = diff
        .flows
        .iter()
        .find(|f| f.kind == FlowKind::ImagePull)
        .expect("image pulls changed");
    assert_eq!(
        (pull.before, pull.after),
        (Some(Verdict::Reachable), Some(Verdict::Blocked))
    );
}

#[test]
fn a_scope_that_breaks_and_one_that_holds_again() {
    let (old, new) = seed_with(|d| {
        if let NodeKind::FargateService(service) = kind_mut(d, "service") {
            service.subnets = vec![id("subnet-public-a"), id("subnet-public-c")];
            service.assign_public_ip = true;
        }
        if let NodeKind::SecurityGroup(group) = kind_mut(d, "sg-service") {
            group.ingress.push(tcp_rule(80, "0.0.0.0/0"));
        }
    });
    let diff = compare(&old, &new);
    let scope = diff
        .scopes
        .iter()
        .find(|s| s.id == "internet-to-service")
        .unwrap_or_else(|| panic!("{}", report::text(&diff, None)));
    assert_eq!((scope.before, scope.after), (Some(true), Some(false)));
    assert!(!scope.path.is_empty());
    assert_eq!(diff.gate_count(Gate::Scope), 1);
    assert!(report::text(&diff, None)
        .contains("no path from the internet to the tasks \"myapp-service\": holds -> broken"));

    let back = compare(&new, &old);
    let scope = back
        .scopes
        .iter()
        .find(|s| s.id == "internet-to-service")
        .unwrap();
    assert_eq!((scope.before, scope.after), (Some(false), Some(true)));
    assert_eq!(back.gate_count(Gate::Scope), 0);
}

// ---- matching ------------------------------------------------------------

/// The same diagram with every id changed, as a second, independent import
/// would name things.
fn with_other_ids(diagram: &Diagram) -> Diagram {
    let renamed: BTreeMap<NodeId, NodeId> = diagram
        .nodes
        .iter()
        .map(|n| (n.id.clone(), id(&format!("other-{}", n.id))))
        .collect();
    let mut out = diagram.clone();
    for node in &mut out.nodes {
        node.kind = wire::renamed_kind(&node.kind, &renamed).unwrap();
        node.id = renamed[&node.id].clone();
    }
    for edge in &mut out.edges {
        edge.id = EdgeId::new(format!("other-{}", edge.id)).unwrap();
        edge.from = renamed[&edge.from].clone();
        edge.to = renamed[&edge.to].clone();
    }
    for scope in &mut out.scopes {
        scope.from = renamed[&scope.from].clone();
        scope.to = renamed[&scope.to].clone();
    }
    out.layout = out
        .layout
        .iter()
        .map(|(k, v)| (renamed[k].clone(), *v))
        .collect();
    out
}

#[test]
fn without_shared_ids_nodes_are_matched_by_kind_name_and_containment() {
    for template in TEMPLATES {
        let old = template.build();
        if old.nodes.is_empty() {
            continue;
        }
        let new = with_other_ids(&old);
        let diff = compare(&old, &new);
        assert_eq!(diff.matching, Matching::Structure, "{}", template.name);
        assert!(
            diff.is_empty(),
            "{}: {}",
            template.name,
            report::text(&diff, None)
        );
        assert!(report::summary(&diff).contains("by kind, name and containment"));
    }
    // A change still shows, against the newer ids.
    let old = templates::seed();
    let mut new = with_other_ids(&old);
    if let NodeKind::SecurityGroup(group) = kind_mut(&mut new, "other-sg-db") {
        group.ingress.remove(0);
    }
    let diff = compare(&old, &new);
    let changed = &diff.nodes[0];
    assert_eq!(
        (
            changed.id.as_str(),
            changed.old_id.as_ref().map(|i| i.as_str())
        ),
        ("other-sg-db", Some("sg-db"))
    );
    assert_eq!(
        diff.gate_count(Gate::Blocked),
        1,
        "{}",
        report::text(&diff, None)
    );
}

#[test]
fn look_alikes_pair_by_their_block_then_in_file_order_and_the_rest_stay_unmatched() {
    let subnet = |node: &str, cidr: &str| Node {
        id: id(node),
        name: "private".into(),
        kind: NodeKind::Subnet(Subnet {
            vpc: id("vpc"),
            cidr: Cidr::parse(cidr).unwrap(),
            az: "us-east-1a".into(),
            route_table: None,
        }),
    };
    let vpc = |node: &str| Node {
        id: id(node),
        name: "main".into(),
        kind: NodeKind::Vpc(Vpc {
            cidr: Cidr::parse("10.0.0.0/16").unwrap(),
            secondary_cidrs: Vec::new(),
            dns_support: true,
            dns_hostnames: true,
        }),
    };
    let mut old = Diagram::empty("a", "us-east-1");
    old.nodes = vec![
        vpc("vpc"),
        subnet("a1", "10.0.1.0/24"),
        subnet("a2", "10.0.2.0/24"),
    ];
    // Same blocks, other ids and order: paired by block.
    let mut new = Diagram::empty("a", "us-east-1");
    new.nodes = vec![
        vpc("vpc"),
        subnet("b2", "10.0.2.0/24"),
        subnet("b1", "10.0.1.0/24"),
    ];
    let (_, pairs) = diff::match_nodes(&old, &new, Strategy::Structure);
    assert_eq!(pairs.old_to_new[&id("a1")], id("b1"));
    assert_eq!(pairs.old_to_new[&id("a2")], id("b2"));
    // Both blocks changed: as many on each side, paired in file order.
    new.nodes = vec![
        vpc("vpc"),
        subnet("b1", "10.0.3.0/24"),
        subnet("b2", "10.0.4.0/24"),
    ];
    let (_, pairs) = diff::match_nodes(&old, &new, Strategy::Structure);
    assert_eq!(pairs.old_to_new[&id("a1")], id("b1"));
    assert_eq!(pairs.old_to_new[&id("a2")], id("b2"));
    // Three look-alikes for two, none with a known block: no guess.
    new.nodes = vec![
        vpc("vpc"),
        subnet("b1", "10.0.3.0/24"),
        subnet("b2", "10.0.4.0/24"),
        subnet("b3", "10.0.5.0/24"),
    ];
    let diff = diff::diff(&old, &new, Strategy::Structure);
    assert_eq!(diff.unmatched.old, vec![id("a1"), id("a2")]);
    assert_eq!(diff.unmatched.new, vec![id("b1"), id("b2"), id("b3")]);
    assert!(report::text(&diff, None).contains(
        "not matched (listed as removed and added above): older: a1, a2; newer: b1, b2, b3"
    ));
}

#[test]
fn the_same_id_on_another_kind_is_a_removed_and_an_added_node() {
    let (old, new) = seed_with(|d| {
        let repository = d
            .nodes
            .iter()
            .find(|n| n.id.as_str() == "ecr-api")
            .unwrap()
            .kind
            .clone();
        let node = d
            .nodes
            .iter_mut()
            .find(|n| n.id.as_str() == "frontend")
            .unwrap();
        node.kind = repository;
    });
    let diff = diff::diff(&old, &new, Strategy::Id);
    let changes: Vec<(Change, &str)> = diff
        .nodes
        .iter()
        .filter(|n| n.id.as_str() == "frontend")
        .map(|n| (n.change, n.kind.as_str()))
        .collect();
    assert_eq!(
        changes,
        [
            (Change::Added, "ECR repository"),
            (Change::Removed, "S3 bucket")
        ]
    );
}

// ---- reports -------------------------------------------------------------

#[test]
fn markdown_leads_with_a_summary_and_folds_the_detail() {
    let (old, new) = seed_with(|d| {
        if let NodeKind::SecurityGroup(group) = kind_mut(d, "sg-db") {
            group.ingress.clear();
        }
    });
    let markdown = report::markdown(&compare(&old, &new), None);
    let first = markdown.lines().next().unwrap();
    assert_eq!(first, "**stackdraw diff**: 2 flows blocked; 2 new errors; 1 node changed, 0 added, 0 removed; nodes matched by id");
    assert!(markdown.contains("| Flow | Before | After | Why |"));
    assert!(markdown.contains("<details><summary>Nodes: 1 changed, 0 added, 0 removed</summary>"));
    assert!(markdown.contains("| reachable | **blocked** |"));
}

#[test]
fn a_hostile_name_cannot_break_out_of_a_markdown_cell() {
    let (old, new) = seed_with(|d| {
        d.nodes
            .iter_mut()
            .find(|n| n.id.as_str() == "db")
            .unwrap()
            .name = "db | <img src=x onerror=alert(1)> `x` [l](http://e)\n# h".into();
        if let NodeKind::SecurityGroup(group) = kind_mut(d, "sg-db") {
            group.ingress.clear();
        }
    });
    let markdown = report::markdown(&compare(&old, &new), None);
    assert!(!markdown.contains("<img"), "{markdown}");
    assert!(!markdown.contains("\n# h"), "{markdown}");
    for line in markdown
        .lines()
        .filter(|l| l.starts_with("| ") && !l.starts_with("| ---"))
    {
        let cells = line.replace("\\|", "").matches('|').count();
        assert!(cells == 5 || cells == 4, "{line}");
    }
}

#[test]
fn the_json_has_every_change_and_what_each_gate_sees() {
    let (old, new) = seed_with(|d| {
        if let NodeKind::SecurityGroup(group) = kind_mut(d, "sg-db") {
            group.ingress.clear();
        }
    });
    let json: serde_json::Value =
        serde_json::from_str(&report::json(&compare(&old, &new), None)).unwrap();
    assert_eq!(json["matching"], "id");
    assert_eq!(json["summary"]["blocked"], 2);
    assert_eq!(json["summary"]["error"], 2);
    assert_eq!(json["summary"]["scope"], 0);
    assert_eq!(json["summary"]["empty"], false);
    assert_eq!(json["flows"][0]["before"], "reachable");
    assert_eq!(json["flows"][0]["after"], "blocked");
    assert_eq!(json["flows"][0]["cause"]["code"], "ENI_SG_RULES_MISMATCH");
    assert_eq!(json["nodes"][0]["change"], "changed");
    assert_eq!(json["nodes"][0]["facts"][0]["fact"], "inbound rules");
    assert_eq!(json["diagnostics"][0]["status"], "appeared");
}
