//! Reachability scenarios on the seed architecture.

use crate::support::{endpoint_group, id, kind_mut};
use stackdraw::domain::edit::apply;
use stackdraw::domain::model::*;
use stackdraw::domain::templates;
use stackdraw::domain::validate::reach::{self, rules_for_edge};
use stackdraw::domain::validate::{
    analyze, ExplanationCode, FlowKind, FlowVerdict, Severity, Verdict,
};

fn seed_with(change: impl FnOnce(&mut Diagram)) -> Diagram {
    let mut diagram = templates::seed();
    change(&mut diagram);
    diagram
}

/// The seed with no NAT route for the private subnets and every endpoint
/// the tasks need (image pulls, logs and, unless left out, secrets), their
/// group admitting `port` from the tasks.
fn endpoints_only(port: u16, with_secrets: bool) -> Diagram {
    seed_with(|d| {
        if let NodeKind::RouteTable(table) = kind_mut(d, "rt-private") {
            table.routes.clear();
        }
        let mut services = vec![
            EndpointService::S3,
            EndpointService::EcrApi,
            EndpointService::EcrDkr,
            EndpointService::Logs,
        ];
        if with_secrets {
            services.push(EndpointService::SecretsManager);
        }
        for service in services {
            d.nodes.push(Node {
                id: id(&format!(
                    "vpce-{}",
                    service.service_suffix().replace('.', "-")
                )),
                name: service.service_suffix().into(),
                kind: crate::support::seed_endpoint(service),
            });
        }
        d.nodes.push(endpoint_group(port));
    })
}

fn flow_of(diagram: &Diagram, kind: FlowKind) -> FlowVerdict {
    analyze(diagram)
        .flows
        .into_iter()
        .find(|flow| flow.kind == kind)
        .unwrap_or_else(|| panic!("no {kind:?} flow"))
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
                kind: crate::support::seed_endpoint(service),
            });
        }
        d.nodes.push(endpoint_group(443));
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
        bends: Vec::new(),
        straight: false,
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

#[test]
fn implied_flows_through_endpoints_need_their_security_groups() {
    // Every endpoint there, its group admitting the tasks: all gets through
    // without a NAT.
    let open = endpoints_only(443, true);
    let pull = flow_of(&open, FlowKind::ImagePull);
    assert_eq!(pull.verdict, Verdict::Reachable, "{:?}", pull.blocked);
    assert!(pull
        .hops
        .iter()
        .any(|hop| hop.description.contains("interface endpoint")));
    assert!(pull
        .hops
        .iter()
        .any(|hop| hop.description.contains("gateway endpoint")));
    assert!(!pull.hops.iter().any(|hop| hop.description.contains("NAT")));
    assert!(flow_of(&open, FlowKind::Secrets).reachable);

    // The endpoints' group admits another port: blocked at the endpoint's
    // group, with AWS's code and a fix that opens tcp/443.
    let closed = endpoints_only(8443, true);
    let pull = flow_of(&closed, FlowKind::ImagePull);
    assert_eq!(pull.verdict, Verdict::Blocked);
    let stop = pull.blocked.unwrap();
    assert_eq!(stop.code, ExplanationCode::EniSgRulesMismatch);
    assert_eq!(stop.node, Some(id("sg-endpoints")));
    assert!(
        stop.explanation.contains("through its VPC endpoint"),
        "{}",
        stop.explanation
    );
    let mut fixed = closed.clone();
    apply(&mut fixed, stop.fix.expect("a fix").command).unwrap();
    assert!(flow_of(&fixed, FlowKind::ImagePull).reachable);

    // The tasks' own group lets nothing out on 443: blocked at the tasks.
    let mut egress_closed = endpoints_only(443, true);
    if let NodeKind::SecurityGroup(group) = kind_mut(&mut egress_closed, "sg-service") {
        group.egress = vec![SecurityGroupRule {
            protocol: Protocol::Tcp,
            from_port: 3306,
            to_port: 3306,
            peer: Peer::SecurityGroup(id("sg-db")),
            description: String::new(),
        }];
    }
    let stop = flow_of(&egress_closed, FlowKind::ImagePull)
        .blocked
        .unwrap();
    assert_eq!(stop.code, ExplanationCode::EniSgRulesMismatch);
    assert_eq!(stop.node, Some(id("sg-service")));
}

#[test]
fn an_endpoint_without_private_dns_is_not_used() {
    // Without DNS hostnames the service's name never resolves to the
    // endpoint: the traffic needs the route it no longer has.
    let mut diagram = endpoints_only(443, true);
    if let NodeKind::Vpc(vpc) = kind_mut(&mut diagram, "vpc-main") {
        vpc.dns_hostnames = false;
    }
    let pull = flow_of(&diagram, FlowKind::ImagePull);
    assert_eq!(pull.verdict, Verdict::Blocked);
    assert_eq!(pull.blocked.unwrap().code, ExplanationCode::CannotRoute);
    let analysis = analyze(&diagram);
    let dns = analysis
        .diagnostics
        .iter()
        .find(|d| d.rule == 46)
        .expect("VR-46 reports the endpoints AWS refuses");
    let mut fixed = diagram.clone();
    apply(&mut fixed, dns.fix.clone().unwrap().command).unwrap();
    assert!(!analyze(&fixed).diagnostics.iter().any(|d| d.rule == 46));
    assert!(flow_of(&fixed, FlowKind::ImagePull).reachable);
}

#[test]
fn a_task_that_reads_secrets_needs_a_way_to_secrets_manager() {
    // The seed reads the database password: through the NAT, fine.
    assert!(flow_of(&templates::seed(), FlowKind::Secrets).reachable);
    // Endpoints for images and logs only: the task cannot start.
    let diagram = endpoints_only(443, false);
    assert!(flow_of(&diagram, FlowKind::ImagePull).reachable);
    let secrets = flow_of(&diagram, FlowKind::Secrets);
    assert_eq!(secrets.verdict, Verdict::Blocked);
    assert_eq!(
        secrets.blocked.as_ref().unwrap().code,
        ExplanationCode::CannotRoute
    );
    let analysis = analyze(&diagram);
    let diagnostic = analysis
        .diagnostics
        .iter()
        .find(|d| d.rule == 47)
        .expect("VR-47");
    assert_eq!(diagnostic.severity, Severity::Error);
    assert_eq!(
        diagnostic.nodes[0],
        id("service"),
        "the service is the culprit"
    );
    assert!(
        diagnostic.message.contains("ResourceInitializationError"),
        "{}",
        diagnostic.message
    );
    let fix = diagnostic.fix.clone().expect("a fix");
    let mut fixed = diagram.clone();
    apply(&mut fixed, fix.command).unwrap();
    assert!(flow_of(&fixed, FlowKind::Secrets).reachable);
    assert!(!analyze(&fixed).diagnostics.iter().any(|d| d.rule == 47));
    // A service without secrets has no such flow.
    let mut plain = templates::seed();
    if let NodeKind::FargateService(service) = kind_mut(&mut plain, "service") {
        for container in &mut service.containers {
            container.secrets.clear();
        }
    }
    assert!(!analyze(&plain)
        .flows
        .iter()
        .any(|f| f.kind == FlowKind::Secrets));
}

/// The seed with a third private subnet, in zone d, for the service only.
pub(crate) fn service_in_a_third_zone(route_to_nat: bool) -> Diagram {
    seed_with(|d| {
        d.nodes.push(Node {
            id: id("subnet-private-d"),
            name: "private-subnet-d".into(),
            kind: NodeKind::Subnet(Subnet {
                vpc: id("vpc-main"),
                cidr: Cidr::parse("10.2.64.0/20").unwrap(),
                az: "ap-northeast-1d".into(),
                route_table: route_to_nat.then(|| id("rt-private")),
            }),
        });
        if let NodeKind::FargateService(service) = kind_mut(d, "service") {
            service.subnets.push(id("subnet-private-d"));
        }
    })
}

#[test]
fn a_load_balancer_missing_one_of_its_services_zones_is_partially_reachable() {
    let diagram = service_in_a_third_zone(true);
    let analysis = analyze(&diagram);
    let flow = analysis
        .flows
        .iter()
        .find(|f| {
            f.edge
                .as_ref()
                .is_some_and(|e| e.as_str() == "e-alb-service")
        })
        .unwrap();
    assert_eq!(flow.verdict, Verdict::Partial);
    assert!(!flow.reachable);
    assert_eq!(flow.cut_off.len(), 1);
    assert_eq!(flow.cut_off[0].subnet, id("subnet-private-d"));
    assert_eq!(flow.cut_off[0].zone, "ap-northeast-1d");
    assert_eq!(
        flow.cut_off[0].blocked.code,
        ExplanationCode::ElbInstalledAzRestriction
    );
    assert_eq!(
        flow.hops.last().unwrap().node,
        Some(id("service")),
        "the path to the zones it serves"
    );
    let diagnostic = analysis
        .diagnostics
        .iter()
        .find(|d| d.rule == 43 && d.edges.iter().any(|e| e.as_str() == "e-alb-service"))
        .expect("a partial flow is an error");
    assert!(
        diagnostic.message.contains("only partially reachable"),
        "{}",
        diagnostic.message
    );
    assert!(
        diagnostic.message.contains("ap-northeast-1d"),
        "{}",
        diagnostic.message
    );
    // The JSON gains the verdict and the cut-off subnets.
    let json = serde_json::to_value(flow).unwrap();
    assert_eq!(json["verdict"], "partial");
    assert_eq!(json["reachable"], false);
    assert_eq!(json["cut_off"][0]["subnet"], "subnet-private-d");
    assert_eq!(
        json["cut_off"][0]["blocked"]["code"],
        "ELB_INSTALLED_AZ_RESTRICTION"
    );
}

#[test]
fn a_subnet_its_route_table_cuts_off_makes_image_pulls_partial() {
    // The third subnet uses the main route table: no way out from there.
    let diagram = service_in_a_third_zone(false);
    let pull = flow_of(&diagram, FlowKind::ImagePull);
    assert_eq!(pull.verdict, Verdict::Partial);
    assert_eq!(pull.cut_off.len(), 1);
    assert_eq!(pull.cut_off[0].subnet, id("subnet-private-d"));
    assert_eq!(pull.cut_off[0].blocked.code, ExplanationCode::CannotRoute);
    // Blocked everywhere is still blocked, not partial.
    let nowhere = seed_with(|d| {
        if let NodeKind::RouteTable(table) = kind_mut(d, "rt-private") {
            table.routes.clear();
        }
    });
    let pull = flow_of(&nowhere, FlowKind::ImagePull);
    assert_eq!(pull.verdict, Verdict::Blocked);
    assert!(pull.cut_off.is_empty());
}

#[test]
fn a_scope_reached_in_some_subnets_is_broken() {
    // The database sits in a public subnet too, with a public address and a
    // group open to the world on its port: reachable there only.
    let diagram = seed_with(|d| {
        if let NodeKind::AuroraCluster(aurora) = kind_mut(d, "db") {
            aurora.subnets = vec![id("subnet-private-a"), id("subnet-public-c")];
            aurora.publicly_accessible = true;
        }
        if let NodeKind::SecurityGroup(group) = kind_mut(d, "sg-db") {
            group.ingress.push(SecurityGroupRule {
                protocol: Protocol::Tcp,
                from_port: 3306,
                to_port: 3306,
                peer: Peer::Cidr(Cidr::anywhere()),
                description: String::new(),
            });
        }
    });
    let analysis = analyze(&diagram);
    let scope = analysis
        .scopes
        .iter()
        .find(|scope| scope.id == "internet-to-db")
        .unwrap();
    assert!(
        !scope.holds,
        "a path to one of the database's subnets breaks it"
    );
    assert!(!scope.path.is_empty());
}

#[test]
fn the_secrets_fix_draws_what_it_adds_inside_the_vpc() {
    let diagram = endpoints_only(443, false);
    let fix = analyze(&diagram)
        .diagnostics
        .into_iter()
        .find(|d| d.rule == 47)
        .and_then(|d| d.fix)
        .unwrap();
    let mut fixed = diagram.clone();
    apply(&mut fixed, fix.command).unwrap();
    let vpc = fixed.layout[&id("vpc-main")];
    for added in ["vpce-secretsmanager", "sg-vpce-secretsmanager"] {
        let rect = fixed
            .layout
            .get(&id(added))
            .unwrap_or_else(|| panic!("{added} is not drawn"));
        assert!(
            rect.x >= vpc.x
                && rect.right() <= vpc.right()
                && rect.y >= vpc.y
                && rect.bottom() <= vpc.bottom(),
            "{added} lies inside the VPC"
        );
    }
}
