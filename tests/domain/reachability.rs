//! Reachability scenarios on the seed architecture.

use crate::support::id;
use stackdraw::domain::model::*;
use stackdraw::domain::templates;
use stackdraw::domain::validate::reach::{self, rules_for_edge};
use stackdraw::domain::validate::{analyze, ExplanationCode, FlowKind, Severity};

fn seed_with(change: impl FnOnce(&mut Diagram)) -> Diagram {
    let mut diagram = templates::seed();
    change(&mut diagram);
    diagram
}

fn kind_mut<'a>(diagram: &'a mut Diagram, node: &str) -> &'a mut NodeKind {
    &mut diagram
        .nodes
        .iter_mut()
        .find(|n| n.id.as_str() == node)
        .unwrap()
        .kind
}

#[test]
fn removing_the_nat_gateway_blocks_image_pulls_with_a_reason() {
    let diagram = seed_with(|d| {
        d.nodes.retain(|n| n.id.as_str() != "nat-a");
        d.layout.remove(&id("nat-a"));
        if let NodeKind::RouteTable(table) = kind_mut(d, "rt-private") {
            table.routes.clear();
        }
    });
    let analysis = analyze(&diagram);
    let pull = analysis
        .flows
        .iter()
        .find(|f| f.kind == FlowKind::ImagePull)
        .unwrap();
    assert!(!pull.reachable);
    let stop = pull.blocked.as_ref().unwrap();
    assert_eq!(stop.code, ExplanationCode::CannotRoute);
    assert_eq!(
        stop.node.as_ref().map(NodeId::as_str),
        Some("subnet-private-a")
    );
    assert!(
        stop.explanation.contains("NAT gateway"),
        "{}",
        stop.explanation
    );
    assert!(analysis
        .diagnostics
        .iter()
        .any(|d| d.rule == 32 && d.severity == Severity::Error));
}

#[test]
fn an_internet_facing_alb_in_private_subnets_is_blocked_at_the_gateway_hop() {
    let diagram = seed_with(|d| {
        if let NodeKind::LoadBalancer(alb) = kind_mut(d, "alb") {
            alb.subnets = vec![id("subnet-private-a"), id("subnet-private-c")];
        }
    });
    let verdict = reach::query(&diagram, &id("internet"), &id("alb"), Protocol::Tcp, 443).unwrap();
    let stop = verdict.blocked.unwrap();
    assert_eq!(stop.code, ExplanationCode::CannotRoute);
    assert_eq!(
        stop.node.as_ref().map(NodeId::as_str),
        Some("subnet-private-a")
    );
    // The path got as far as the internet gateway and stopped at the route back.
    assert_eq!(
        verdict
            .hops
            .last()
            .and_then(|h| h.node.as_ref())
            .map(NodeId::as_str),
        Some("igw")
    );
    let analysis = analyze(&diagram);
    assert!(
        analysis.diagnostics.iter().any(|d| d.rule == 27),
        "VR-27 names the private subnets too"
    );
    assert!(analysis.diagnostics.iter().any(|d| d.rule == 15));
}

#[test]
fn a_database_group_without_the_service_blocks_service_to_aurora() {
    let diagram = seed_with(|d| {
        if let NodeKind::SecurityGroup(group) = kind_mut(d, "sg-db") {
            group
                .ingress
                .retain(|rule| rule.peer != Peer::SecurityGroup(id("sg-service")));
        }
    });
    let verdict = reach::query(&diagram, &id("service"), &id("db"), Protocol::Tcp, 3306).unwrap();
    let stop = verdict.blocked.unwrap();
    assert_eq!(stop.code, ExplanationCode::EniSgRulesMismatch);
    assert_eq!(stop.node.as_ref().map(NodeId::as_str), Some("sg-db"));
    // The bastion's path is untouched.
    assert!(
        reach::query(&diagram, &id("bastion"), &id("db"), Protocol::Tcp, 3306)
            .unwrap()
            .reachable
    );
}

#[test]
fn ssh_open_to_the_world_is_flagged() {
    let diagram = seed_with(|d| {
        if let NodeKind::SecurityGroup(group) = kind_mut(d, "sg-bastion") {
            group.ingress[0].peer = Peer::Cidr(Cidr::parse("0.0.0.0/0").unwrap());
        }
    });
    let analysis = analyze(&diagram);
    let rules: Vec<u8> = analysis
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Warning)
        .map(|d| d.rule)
        .collect();
    assert!(rules.contains(&26) && rules.contains(&42), "{rules:?}");
}

#[test]
fn aurora_open_to_the_internet_in_a_public_subnet_breaks_the_default_scope() {
    let diagram = seed_with(|d| {
        if let NodeKind::AuroraCluster(aurora) = kind_mut(d, "db") {
            aurora.subnets = vec![id("subnet-public-a"), id("subnet-public-c")];
            aurora.publicly_accessible = true;
        }
        if let NodeKind::SecurityGroup(group) = kind_mut(d, "sg-db") {
            group.ingress.push(SecurityGroupRule {
                protocol: Protocol::Tcp,
                from_port: 3306,
                to_port: 3306,
                peer: Peer::Cidr(Cidr::parse("0.0.0.0/0").unwrap()),
                description: String::new(),
            });
        }
    });
    let analysis = analyze(&diagram);
    let scope = analysis
        .scopes
        .iter()
        .find(|s| s.id == "internet-to-db")
        .unwrap();
    assert!(!scope.holds);
    assert!(scope
        .path
        .iter()
        .any(|hop| hop.node.as_ref().map(NodeId::as_str) == Some("igw")));
    assert!(analysis.diagnostics.iter().any(|d| d.rule == 44));
    // Any one of the three conditions alone keeps the scope.
    assert!(analyze(&templates::seed()).scopes.iter().all(|s| s.holds));
}

#[test]
fn user_scopes_pass_and_fail() {
    let mut diagram = templates::seed();
    diagram.scopes.push(AccessScope {
        id: ScopeId::new("no-operator-to-service").unwrap(),
        from: id("operator"),
        to: id("service"),
        port: None,
    });
    diagram.scopes.push(AccessScope {
        id: ScopeId::new("no-bastion-to-db").unwrap(),
        from: id("bastion"),
        to: id("db"),
        port: Some(3306),
    });
    let analysis = analyze(&diagram);
    let holds = |scope: &str| {
        analysis
            .scopes
            .iter()
            .find(|s| s.id == scope)
            .unwrap()
            .holds
    };
    assert!(holds("no-operator-to-service"));
    assert!(
        !holds("no-bastion-to-db"),
        "the seed lets the bastion reach the database"
    );
}

#[test]
fn queries_explain_paths_through_the_load_balancer() {
    let diagram = templates::seed();
    let verdict = reach::query(&diagram, &id("alb"), &id("service"), Protocol::Tcp, 80).unwrap();
    assert!(verdict.reachable);
    let described: Vec<&str> = verdict
        .hops
        .iter()
        .map(|h| h.description.as_str())
        .collect();
    assert!(
        described.iter().any(|d| d.contains("target group \"api\"")),
        "{described:?}"
    );

    // A port the listener does not serve.
    let verdict = reach::query(&diagram, &id("internet"), &id("alb"), Protocol::Tcp, 8080).unwrap();
    assert_eq!(
        verdict.blocked.unwrap().code,
        ExplanationCode::Elbv2ListenersMismatch
    );

    // The tasks run in a zone the load balancer is not enabled in.
    let diagram = seed_with(|d| {
        if let NodeKind::LoadBalancer(alb) = kind_mut(d, "alb") {
            alb.subnets = vec![id("subnet-public-a")];
        }
    });
    let verdict = reach::query(&diagram, &id("alb"), &id("service"), Protocol::Tcp, 80).unwrap();
    assert_eq!(
        verdict.blocked.unwrap().code,
        ExplanationCode::ElbInstalledAzRestriction
    );

    // No listener forwards to the service.
    let diagram = seed_with(|d| {
        if let NodeKind::LoadBalancer(alb) = kind_mut(d, "alb") {
            alb.listeners.retain(|l| l.port == 80);
        }
    });
    let verdict = reach::query(&diagram, &id("alb"), &id("service"), Protocol::Tcp, 80).unwrap();
    assert_eq!(
        verdict.blocked.unwrap().code,
        ExplanationCode::Elbv2ListenerHasNoTg
    );

    // Traffic drawn to something without a network interface.
    let verdict = reach::query(
        &diagram,
        &id("internet"),
        &id("subnet-public-a"),
        Protocol::Tcp,
        80,
    )
    .unwrap();
    assert_eq!(
        verdict.blocked.unwrap().code,
        ExplanationCode::NotANetworkEndpoint
    );
}

#[test]
fn vpc_endpoints_replace_the_nat_for_image_pulls() {
    let diagram = seed_with(|d| {
        if let NodeKind::RouteTable(table) = kind_mut(d, "rt-private") {
            table.routes.clear();
        }
        for (node_id, service) in [
            ("vpce-s3", EndpointService::S3),
            ("vpce-api", EndpointService::EcrApi),
            ("vpce-dkr", EndpointService::EcrDkr),
        ] {
            d.nodes.push(Node {
                id: id(node_id),
                name: node_id.into(),
                kind: NodeKind::VpcEndpoint(VpcEndpoint {
                    vpc: id("vpc-main"),
                    service,
                    route_tables: if service.is_gateway() {
                        vec![id("rt-private")]
                    } else {
                        vec![]
                    },
                    subnets: if service.is_gateway() {
                        vec![]
                    } else {
                        vec![id("subnet-private-a"), id("subnet-private-c")]
                    },
                    security_groups: vec![],
                }),
            });
        }
    });
    let pull = analyze(&diagram)
        .flows
        .into_iter()
        .find(|f| f.kind == FlowKind::ImagePull)
        .unwrap();
    let stop = pull
        .blocked
        .expect("without a Logs endpoint the tasks still need a route");
    assert!(
        stop.explanation.contains("CloudWatch Logs"),
        "{}",
        stop.explanation
    );
}

#[test]
fn drawing_an_edge_derives_exactly_the_missing_rules() {
    let mut diagram = templates::seed();
    // A new edge the groups do not allow yet: service -> bastion on 8080.
    let edge = TrafficEdge {
        id: EdgeId::new("e-new").unwrap(),
        from: id("service"),
        to: id("bastion"),
        protocol: Protocol::Tcp,
        port: 8080,
        label: String::new(),
    };
    diagram.edges.push(edge.clone());
    assert!(
        !reach::query(&diagram, &edge.from, &edge.to, edge.protocol, edge.port)
            .unwrap()
            .reachable
    );
    let command = rules_for_edge(&diagram, &edge);
    stackdraw::domain::edit::apply(&mut diagram, command).unwrap();
    assert!(
        reach::query(&diagram, &edge.from, &edge.to, edge.protocol, edge.port)
            .unwrap()
            .reachable
    );
    let NodeKind::SecurityGroup(group) = &diagram.node_by_str("sg-bastion").unwrap().kind else {
        panic!()
    };
    assert_eq!(
        group.ingress.last().unwrap().peer,
        Peer::SecurityGroup(id("sg-service"))
    );

    // An edge that already gets through adds nothing.
    let existing = templates::seed().edges[4].clone();
    assert_eq!(
        rules_for_edge(&templates::seed(), &existing),
        stackdraw::domain::edit::Command::Batch(vec![])
    );
}
