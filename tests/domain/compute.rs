//! The compute kinds beyond Fargate: Lambda functions, the HTTP APIs that
//! invoke them and Auto Scaling groups. Where they land, what a line to or
//! from one means, the verdicts of what invokes a function, what the
//! exports deploy and what the importers read back.

use crate::support::{add_orders_function, add_orders_table, id, imported_both, kind_mut};
use stackdraw::domain::edit::place::place;
use stackdraw::domain::edit::relate::{links, relate, unrelate, Link, LinkKind};
use stackdraw::domain::edit::{apply, Command};
use stackdraw::domain::export::{self, Format};
use stackdraw::domain::model::*;
use stackdraw::domain::templates;
use stackdraw::domain::validate::{analyze, Verdict};

fn centre(diagram: &Diagram, node: &str) -> (f64, f64) {
    let rect = diagram.layout[&id(node)];
    (rect.x + rect.w / 2.0, rect.y + rect.h / 2.0)
}

fn dropped(diagram: &Diagram, point: (f64, f64)) -> Result<(Diagram, NodeId), String> {
    let (command, node) = place(diagram, KindTag::LambdaFunction, point)?;
    let mut after = diagram.clone();
    apply(&mut after, command).unwrap();
    Ok((after, node))
}

fn function<'a>(diagram: &'a Diagram, node: &NodeId) -> &'a LambdaFunction {
    match &diagram.node(node).unwrap().kind {
        NodeKind::LambdaFunction(function) => function,
        other => panic!("{node} is a {:?}", other.tag()),
    }
}

#[test]
fn a_function_lands_outside_the_vpcs_or_in_a_subnet_and_is_refused_between() {
    let seed = templates::seed();
    let (outside, node) = dropped(&seed, (-600.0, -600.0)).unwrap();
    let free = function(&outside, &node);
    assert!(free.subnets.is_empty() && free.security_groups.is_empty());

    let (inside, node) = dropped(&seed, centre(&seed, "subnet-private-a")).unwrap();
    let attached = function(&inside, &node);
    // That tier's subnet in each zone, and a group of its own.
    assert_eq!(
        attached.subnets,
        vec![id("subnet-private-a"), id("subnet-private-c")]
    );
    assert_eq!(attached.security_groups.len(), 1);
    assert!(seed.node(&attached.security_groups[0]).is_none());

    // In the VPC but in no subnet: refused, saying where to drop it.
    let vpc = seed.layout[&id("vpc-main")];
    let refusal = dropped(&seed, (vpc.x + 8.0, vpc.y + vpc.h - 8.0)).unwrap_err();
    assert!(refusal.contains("inside a subnet"), "{refusal}");
}

#[test]
fn a_load_balancer_drawn_to_a_function_invokes_it_and_traffic_to_one_is_refused() {
    let seed = templates::seed();
    let (mut diagram, node) = dropped(&seed, (-600.0, -600.0)).unwrap();
    // A load balancer with a free target group (as a new one has).
    if let NodeKind::LoadBalancer(alb) = kind_mut(&mut diagram, "alb") {
        alb.target_groups.push(TargetGroup {
            name: "fn".into(),
            protocol: ListenerProtocol::Http,
            port: 80,
            target_type: TargetType::Ip,
            health_check: HealthCheck::default(),
            target: None,
        });
    }
    let relation = relate(&diagram, &node, &id("alb")).unwrap();
    assert!(relation.summary.contains("invokes"), "{}", relation.summary);
    assert!(relation.edge.is_none(), "an invocation is not traffic");
    apply(&mut diagram, relation.command).unwrap();
    let NodeKind::LoadBalancer(alb) = &diagram.node(&id("alb")).unwrap().kind else {
        unreachable!()
    };
    let group = alb.target_groups.iter().find(|g| g.name == "fn").unwrap();
    assert_eq!(group.target_type, TargetType::Lambda);
    assert_eq!(group.target.as_ref().unwrap().service, node);
    assert_eq!(function(&diagram, &node).invokers, vec![id("alb")]);
    let link = Link {
        what: LinkKind::Invokes,
        from: id("alb"),
        to: node.clone(),
    };
    assert!(links(&diagram).contains(&link));
    // Again: already so.
    assert!(relate(&diagram, &id("alb"), &node)
        .unwrap_err()
        .contains("already"));
    // The seed's load balancer, whose one group sends to the service: the
    // function gets a group of its own, and is told how requests reach it.
    let (second, other) = dropped(&diagram, (-900.0, -900.0)).unwrap();
    let relation = relate(&second, &id("alb"), &other).unwrap();
    assert!(
        relation.summary.contains("new HTTP listener on port 8080"),
        "{}",
        relation.summary
    );
    let mut after = second.clone();
    apply(&mut after, relation.command).unwrap();
    let NodeKind::LoadBalancer(alb) = &after.node(&id("alb")).unwrap().kind else {
        unreachable!()
    };
    assert_eq!(alb.target_groups.len(), 3);
    assert!(alb
        .listeners
        .iter()
        .any(|l| l.port == 8080 && l.action == ListenerAction::Forward(other.to_string())));
    assert!(
        alb.target_groups
            .iter()
            .any(|g| g.name == other.as_str()
                && g.target.as_ref().is_some_and(|t| t.service == other))
    );

    // Nothing connects to a function.
    let refusal = relate(&diagram, &id("internet"), &node).unwrap_err();
    assert!(refusal.contains("invoked, never connected to"), "{refusal}");

    // Undoing the line frees the group for a service again.
    let mut undone = diagram.clone();
    apply(&mut undone, unrelate(&diagram, &link).unwrap()).unwrap();
    let NodeKind::LoadBalancer(alb) = &undone.node(&id("alb")).unwrap().kind else {
        unreachable!()
    };
    let group = alb.target_groups.iter().find(|g| g.name == "fn").unwrap();
    assert!(group.target.is_none());
    assert_eq!(group.target_type, TargetType::Ip);
    assert_eq!(undone.written_version(), 7, "the function itself is new");
}

#[test]
fn a_function_without_its_permission_is_denied_with_the_fix_that_grants_it() {
    let mut diagram = templates::seed();
    add_orders_table(&mut diagram);
    add_orders_function(&mut diagram, LambdaRuntime::Nodejs22);
    let allowed = analyze(&diagram);
    let verdict = allowed
        .invocations
        .iter()
        .find(|v| v.to == id("orders-fn"))
        .expect("the load balancer's invocation has a verdict");
    assert!(verdict.allowed, "{}", verdict.reason);
    assert_eq!(verdict.from, id("alb"));
    assert!(!allowed.diagnostics.iter().any(|d| d.rule == 59));

    if let NodeKind::LambdaFunction(function) = kind_mut(&mut diagram, "orders-fn") {
        function.invokers.clear();
    }
    let denied = analyze(&diagram);
    let verdict = denied
        .invocations
        .iter()
        .find(|v| v.to == id("orders-fn"))
        .unwrap();
    assert!(!verdict.allowed);
    assert!(
        verdict.reason.contains("resource policy"),
        "{}",
        verdict.reason
    );
    let diagnostic = denied.diagnostics.iter().find(|d| d.rule == 59).unwrap();
    let fix = diagnostic.fix.clone().expect("a fix");
    assert!(fix.label.starts_with("Let "), "{}", fix.label);
    apply(&mut diagram, fix.command).unwrap();
    assert!(!analyze(&diagram).diagnostics.iter().any(|d| d.rule == 59));
}

#[test]
fn a_function_reaches_what_it_calls_from_its_subnets_or_from_outside_the_vpcs() {
    let mut diagram = templates::seed();
    add_orders_table(&mut diagram);
    add_orders_function(&mut diagram, LambdaRuntime::Nodejs22);
    let flow_to_table = |diagram: &Diagram| {
        analyze(diagram)
            .flows
            .into_iter()
            .find(|f| f.from == id("orders-fn") && f.to.as_ref() == Some(&id("orders-table")))
            .expect("a flow from the function to the table")
    };
    // Through the private subnets' NAT route.
    assert_eq!(flow_to_table(&diagram).verdict, Verdict::Reachable);
    // Without it: blocked, VR-56 with the function's endpoint fix.
    if let NodeKind::RouteTable(table) = kind_mut(&mut diagram, "rt-private") {
        table.routes.clear();
    }
    assert_ne!(flow_to_table(&diagram).verdict, Verdict::Reachable);
    let analysis = analyze(&diagram);
    let diagnostic = analysis
        .diagnostics
        .iter()
        .find(|d| d.rule == 56 && d.nodes.contains(&id("orders-fn")))
        .expect("VR-56 for the function");
    let fix = diagnostic.fix.clone().unwrap();
    assert!(fix.label.contains("dynamodb"), "{}", fix.label);
    let mut fixed = diagram.clone();
    let command = match fix.command {
        Command::Build(recipe) => stackdraw::domain::validate::build(&diagram, &recipe).unwrap(),
        command => command,
    };
    apply(&mut fixed, command).unwrap();
    assert_eq!(flow_to_table(&fixed).verdict, Verdict::Reachable);
    // Outside the VPCs it calls the API from Lambda's own network.
    if let NodeKind::LambdaFunction(function) = kind_mut(&mut diagram, "orders-fn") {
        function.subnets.clear();
        function.security_groups.clear();
    }
    assert_eq!(flow_to_table(&diagram).verdict, Verdict::Reachable);
}

#[test]
fn the_exports_deploy_a_placeholder_registered_only_after_its_permission() {
    let mut diagram = templates::seed();
    add_orders_table(&mut diagram);
    add_orders_function(&mut diagram, LambdaRuntime::Python313);
    let analysis = analyze(&diagram);
    let template = stackdraw::domain::export::cloudformation::template(&diagram, &analysis);
    let resources = &template["Resources"];
    let function = &resources["OrdersFn"]["Properties"];
    assert_eq!(function["Runtime"], "python3.13");
    assert_eq!(function["Handler"], "index.handler");
    assert!(function["Code"]["ZipFile"]
        .as_str()
        .unwrap()
        .contains("def handler(event, context)"));
    assert_eq!(
        function["VpcConfig"]["SubnetIds"].as_array().unwrap().len(),
        2
    );
    let group = resources
        .as_object()
        .unwrap()
        .values()
        .find(|r| r["Properties"]["TargetType"] == "lambda")
        .expect("a lambda target group");
    let permission = group["DependsOn"].as_str().expect("waits for a permission");
    assert_eq!(resources[permission]["Type"], "AWS::Lambda::Permission");
    assert_eq!(
        resources[permission]["Properties"]["Principal"],
        "elasticloadbalancing.amazonaws.com"
    );
    // The role may write to the table the function draws a line to.
    let role = function["Role"]["Fn::GetAtt"][0].as_str().unwrap();
    let policy = serde_json::to_string(&resources[role]["Properties"]["Policies"]).unwrap();
    assert!(policy.contains("dynamodb:PutItem"), "{policy}");

    let files = export::export_with(&diagram, &analysis, Format::Terraform);
    let package = files
        .iter()
        .find(|f| f.path == "terraform/functions/orders-fn/index.py")
        .expect("the placeholder package");
    assert!(package.contents.contains("def handler(event, context)"));
    let versions = files
        .iter()
        .find(|f| f.path == "terraform/versions.tf")
        .unwrap();
    assert!(versions.contents.contains("hashicorp/archive"));
    let compute = files
        .iter()
        .find(|f| f.path == "terraform/compute.tf")
        .unwrap();
    assert!(compute
        .contents
        .contains("depends_on       = [aws_lambda_permission."));

    // Without the permission, neither export registers the function.
    if let NodeKind::LambdaFunction(function) = kind_mut(&mut diagram, "orders-fn") {
        function.invokers.clear();
    }
    let analysis = analyze(&diagram);
    let template = stackdraw::domain::export::cloudformation::template(&diagram, &analysis);
    assert!(!serde_json::to_string(&template)
        .unwrap()
        .contains("AWS::Lambda::Permission"));
    let compute = export::export_with(&diagram, &analysis, Format::Terraform)
        .into_iter()
        .find(|f| f.path == "terraform/compute.tf")
        .unwrap();
    assert!(!compute.contents.contains("aws_lb_target_group_attachment"));
}

#[test]
fn both_importers_read_a_function_its_target_group_and_its_permission_back() {
    let mut diagram = templates::seed();
    add_orders_table(&mut diagram);
    add_orders_function(&mut diagram, LambdaRuntime::Nodejs22);
    for imported in imported_both(&diagram) {
        let (node, function) = imported
            .nodes
            .iter()
            .find_map(|n| match &n.kind {
                NodeKind::LambdaFunction(f) => Some((n, f)),
                _ => None,
            })
            .expect("the function imported");
        assert_eq!(function.function_name, "myapp-orders");
        assert_eq!((function.memory_mb, function.timeout_seconds), (256, 30));
        assert_eq!(function.subnets.len(), 2);
        assert_eq!(function.security_groups.len(), 1);
        let (alb, group) = imported
            .nodes
            .iter()
            .find_map(|n| match &n.kind {
                NodeKind::LoadBalancer(alb) => alb
                    .target_groups
                    .iter()
                    .find(|g| g.target_type == TargetType::Lambda)
                    .map(|g| (n, g)),
                _ => None,
            })
            .expect("the lambda target group imported");
        assert_eq!(group.target.as_ref().unwrap().service, node.id);
        assert_eq!(function.invokers, vec![alb.id.clone()]);
        // The role's grant reads back as the line to the table.
        assert!(imported
            .edges
            .iter()
            .any(|e| e.from == node.id && e.port == 443));
    }
}

fn dropped_api(diagram: &Diagram) -> (Diagram, NodeId) {
    let (command, node) = place(diagram, KindTag::HttpApi, (-600.0, 300.0)).unwrap();
    let mut after = diagram.clone();
    apply(&mut after, command).unwrap();
    (after, node)
}

fn related(diagram: &Diagram, from: &NodeId, to: &NodeId) -> (Diagram, String) {
    let relation = relate(diagram, from, to).unwrap_or_else(|e| panic!("{from} -> {to}: {e}"));
    let mut after = diagram.clone();
    apply(&mut after, relation.command).unwrap();
    (after, relation.summary)
}

fn api<'a>(diagram: &'a Diagram, node: &NodeId) -> &'a HttpApi {
    match &diagram.node(node).unwrap().kind {
        NodeKind::HttpApi(api) => api,
        other => panic!("{node} is a {:?}", other.tag()),
    }
}

#[test]
fn an_api_routes_to_a_function_it_may_invoke_and_to_a_load_balancer_through_a_vpc_link() {
    let mut seed = templates::seed();
    add_orders_table(&mut seed);
    add_orders_function(&mut seed, LambdaRuntime::Nodejs22);
    let (diagram, node) = dropped_api(&seed);
    // Inside a VPC it is refused.
    let vpc = seed.layout[&id("vpc-main")];
    assert!(place(&seed, KindTag::HttpApi, (vpc.x + 20.0, vpc.y + 20.0))
        .unwrap_err()
        .contains("not part of a VPC"));

    // To the function: the default route, and the function lets it invoke.
    let (diagram, summary) = related(&diagram, &node, &id("orders-fn"));
    assert!(summary.contains("$default"), "{summary}");
    assert_eq!(api(&diagram, &node).routes[0].target, id("orders-fn"));
    assert!(function(&diagram, &id("orders-fn"))
        .invokers
        .contains(&node));
    let verdict = analyze(&diagram)
        .invocations
        .into_iter()
        .find(|v| v.from == node)
        .expect("a verdict for the API's invocation");
    assert!(verdict.allowed && verdict.reason.contains("apigateway.amazonaws.com"));

    // To the load balancer: a route of its own, a VPC link in the
    // balancer's subnets with a group its groups admit on the listener.
    let (diagram, summary) = related(&diagram, &node, &id("alb"));
    assert!(summary.contains("VPC link"), "{summary}");
    let routed = api(&diagram, &node);
    assert_eq!(routed.routes[1].route_key, "ANY /alb/{proxy+}");
    assert_eq!(
        routed.vpc_link_subnets,
        vec![id("subnet-public-a"), id("subnet-public-c")]
    );
    assert_eq!(routed.vpc_link_security_groups.len(), 1);
    let analysis = analyze(&diagram);
    let forwarded = analysis
        .flows
        .iter()
        .find(|f| f.from == node && f.to.as_ref() == Some(&id("alb")))
        .expect("a flow from the VPC link to the listener");
    assert_eq!(forwarded.verdict, Verdict::Reachable, "{forwarded:?}");
    assert!(links(&diagram).contains(&Link {
        what: LinkKind::Integration,
        from: node.clone(),
        to: id("alb"),
    }));

    // With its VPC link's group closed, the route's flow is blocked (VR-43).
    let mut closed = diagram.clone();
    let group = routed.vpc_link_security_groups[0].clone();
    if let NodeKind::SecurityGroup(g) = kind_mut(&mut closed, group.as_str()) {
        g.egress.clear();
    }
    assert!(analyze(&closed)
        .diagnostics
        .iter()
        .any(|d| d.rule == 43 && d.nodes.contains(&node)));

    // The internet reaches it on 443 only.
    let (mut reached, _) = related(&diagram, &id("internet"), &node);
    let flow = |d: &Diagram| {
        analyze(d)
            .flows
            .into_iter()
            .find(|f| f.from == id("internet") && f.to.as_ref() == Some(&node))
            .unwrap()
    };
    assert_eq!(flow(&reached).verdict, Verdict::Reachable);
    if let Some(edge) = reached.edges.iter_mut().find(|e| e.to == node) {
        edge.port = 80;
    }
    assert_ne!(flow(&reached).verdict, Verdict::Reachable);
}

#[test]
fn an_api_route_key_is_checked_as_api_gateway_does() {
    let mut diagram = templates::seed();
    add_orders_table(&mut diagram);
    add_orders_function(&mut diagram, LambdaRuntime::Nodejs22);
    crate::support::add_orders_api(&mut diagram);
    let node = diagram.node(&id("orders-api")).unwrap().clone();
    let set = |text: &str, at: usize| {
        stackdraw::domain::edit::item_fields::set_item_field(
            &diagram,
            &node,
            "route_key",
            Some(at),
            text,
        )
        .unwrap()
    };
    assert!(set("FETCH /orders", 0)
        .unwrap_err()
        .contains("not a method"));
    assert!(set("GET orders", 0).unwrap_err().contains("not a path"));
    assert!(set("ANY /web/{proxy+}", 0)
        .unwrap_err()
        .contains("already has the key"));
    let mut changed = diagram.clone();
    apply(&mut changed, set("GET /orders/{id}", 0).unwrap()).unwrap();
    assert_eq!(
        api(&changed, &id("orders-api")).routes[0].route_key,
        "GET /orders/{id}"
    );
}

#[test]
fn an_api_exports_deploys_and_imports_back_from_both_formats() {
    let mut diagram = templates::seed();
    add_orders_table(&mut diagram);
    add_orders_function(&mut diagram, LambdaRuntime::Nodejs22);
    crate::support::add_orders_api(&mut diagram);
    let analysis = analyze(&diagram);
    let template = stackdraw::domain::export::cloudformation::template(&diagram, &analysis);
    let resources = template["Resources"].as_object().unwrap();
    let of_type = |kind: &str| {
        resources
            .values()
            .filter(|r| r["Type"] == kind)
            .collect::<Vec<_>>()
    };
    assert_eq!(of_type("AWS::ApiGatewayV2::Route").len(), 2);
    let integrations = of_type("AWS::ApiGatewayV2::Integration");
    assert!(integrations
        .iter()
        .any(|i| i["Properties"]["IntegrationType"] == "AWS_PROXY"));
    let private = integrations
        .iter()
        .find(|i| i["Properties"]["ConnectionType"] == "VPC_LINK")
        .expect("the load balancer's route through the VPC link");
    assert_eq!(
        private["Properties"]["IntegrationUri"]["Ref"],
        "AlbListener443"
    );
    assert!(
        private["Properties"]["TlsConfig"]["ServerNameToVerify"].is_object()
            || private["Properties"]["TlsConfig"]["ServerNameToVerify"].is_string()
    );
    assert!(of_type("AWS::Lambda::Permission")
        .iter()
        .any(|p| p["Properties"]["Principal"] == "apigateway.amazonaws.com"));
    assert_eq!(
        of_type("AWS::ApiGatewayV2::Stage")[0]["Properties"]["AutoDeploy"],
        true
    );

    for imported in imported_both(&diagram) {
        let (node, api) = imported
            .nodes
            .iter()
            .find_map(|n| match &n.kind {
                NodeKind::HttpApi(api) => Some((n, api)),
                _ => None,
            })
            .expect("the API imported");
        assert_eq!(api.api_name, "myapp-orders");
        let keys: Vec<(&str, KindTag)> = api
            .routes
            .iter()
            .map(|r| {
                (
                    r.route_key.as_str(),
                    imported.node(&r.target).unwrap().tag(),
                )
            })
            .collect();
        assert!(
            keys.contains(&("$default", KindTag::LambdaFunction)),
            "{keys:?}"
        );
        assert!(
            keys.contains(&("ANY /web/{proxy+}", KindTag::LoadBalancer)),
            "{keys:?}"
        );
        assert_eq!(api.vpc_link_subnets.len(), 2);
        assert_eq!(api.vpc_link_security_groups.len(), 1);
        let function = imported
            .nodes
            .iter()
            .find_map(|n| match &n.kind {
                NodeKind::LambdaFunction(f) => Some(f),
                _ => None,
            })
            .unwrap();
        assert!(
            function.invokers.contains(&node.id),
            "{:?}",
            function.invokers
        );
    }
}

#[test]
fn an_auto_scaling_group_lands_in_a_tier_and_a_load_balancer_drawn_to_it_registers_its_instances() {
    let seed = templates::seed();
    let (command, node) = place(
        &seed,
        KindTag::AutoScalingGroup,
        centre(&seed, "subnet-private-a"),
    )
    .unwrap();
    let mut diagram = seed.clone();
    apply(&mut diagram, command).unwrap();
    let NodeKind::AutoScalingGroup(group) = &diagram.node(&node).unwrap().kind else {
        unreachable!()
    };
    assert_eq!(
        group.subnets,
        vec![id("subnet-private-a"), id("subnet-private-c")]
    );
    assert_eq!(
        (group.min_size, group.desired_capacity, group.max_size),
        (2, 2, 4)
    );
    assert!(place(&seed, KindTag::AutoScalingGroup, (-500.0, -500.0))
        .unwrap_err()
        .contains("inside a subnet"));

    // With no free target group, the instances get one of their own, and a
    // listener on a free port forwarding to it: the flow gets through.
    let (own, _) = related(&diagram, &id("alb"), &node);
    let NodeKind::LoadBalancer(alb) = &own.node(&id("alb")).unwrap().kind else {
        unreachable!()
    };
    let group = alb
        .target_groups
        .iter()
        .find(|g| g.name == node.as_str())
        .expect("a group named after the instances");
    assert_eq!(group.target_type, TargetType::Instance);
    assert!(alb
        .listeners
        .iter()
        .any(|l| l.port == 8080 && l.action == ListenerAction::Forward(node.to_string())));
    let through = analyze(&own)
        .flows
        .into_iter()
        .find(|f| f.from == id("alb") && f.to.as_ref() == Some(&node))
        .unwrap();
    assert_eq!(through.verdict, Verdict::Reachable, "{through:?}");

    // A free target group on the load balancer takes the instances.
    if let NodeKind::LoadBalancer(alb) = kind_mut(&mut diagram, "alb") {
        alb.target_groups.push(TargetGroup {
            name: "web".into(),
            protocol: ListenerProtocol::Http,
            port: 8080,
            target_type: TargetType::Ip,
            health_check: HealthCheck::default(),
            target: None,
        });
        alb.listeners.push(Listener {
            port: 8081,
            protocol: ListenerProtocol::Http,
            certificate: None,
            action: ListenerAction::Forward("web".into()),
        });
    }
    let (diagram, summary) = related(&diagram, &id("alb"), &node);
    assert!(summary.contains("port 80"), "{summary}");
    let NodeKind::LoadBalancer(alb) = &diagram.node(&id("alb")).unwrap().kind else {
        unreachable!()
    };
    let web = alb.target_groups.iter().find(|g| g.name == "web").unwrap();
    assert_eq!(web.target_type, TargetType::Instance);
    assert_eq!(
        (web.port, web.health_check.path.as_deref()),
        (80, Some("/"))
    );
    assert_eq!(web.target.as_ref().unwrap().service, node);
    let flow = analyze(&diagram)
        .flows
        .into_iter()
        .find(|f| f.from == id("alb") && f.to.as_ref() == Some(&node))
        .unwrap();
    assert_eq!(flow.verdict, Verdict::Reachable, "{flow:?}");
}

#[test]
fn an_auto_scaling_group_out_of_bounds_or_in_one_zone_is_said_with_its_fix() {
    let mut diagram = templates::seed();
    crate::support::add_web_instances(&mut diagram);
    assert!(!analyze(&diagram).diagnostics.iter().any(|d| d.rule == 60));
    if let NodeKind::AutoScalingGroup(group) = kind_mut(&mut diagram, "web-asg") {
        group.desired_capacity = 9;
        group.subnets.truncate(1);
    }
    let analysis = analyze(&diagram);
    let bounds = analysis
        .diagnostics
        .iter()
        .find(|d| d.rule == 60 && d.severity == stackdraw::domain::validate::Severity::Error)
        .expect("desired capacity outside its bounds");
    let zone = analysis
        .diagnostics
        .iter()
        .find(|d| d.rule == 60 && d.severity == stackdraw::domain::validate::Severity::Warning)
        .expect("one zone");
    assert!(
        zone.fix.is_some(),
        "the zone warning offers a subnet of another zone"
    );
    // Each fix replaces the group as it is when offered: one, then the
    // next the analysis offers.
    let mut fixed = diagram.clone();
    apply(&mut fixed, bounds.fix.clone().unwrap().command).unwrap();
    let again = analyze(&fixed);
    let zone = again.diagnostics.iter().find(|d| d.rule == 60).unwrap();
    apply(&mut fixed, zone.fix.clone().unwrap().command).unwrap();
    assert!(!analyze(&fixed).diagnostics.iter().any(|d| d.rule == 60));
    let NodeKind::AutoScalingGroup(group) = &fixed.node(&id("web-asg")).unwrap().kind else {
        unreachable!()
    };
    assert_eq!(
        (group.min_size, group.desired_capacity, group.max_size),
        (2, 9, 9)
    );
    assert_eq!(group.subnets.len(), 2);
}

#[test]
fn an_auto_scaling_group_exports_its_image_lookup_and_web_server_and_imports_back() {
    let mut diagram = templates::seed();
    crate::support::add_web_instances(&mut diagram);
    let analysis = analyze(&diagram);
    let template = stackdraw::domain::export::cloudformation::template(&diagram, &analysis);
    let resources = &template["Resources"];
    assert_eq!(
        template["Parameters"]["LatestAmiId"]["Type"],
        "AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>"
    );
    let data = &resources["WebAsgLaunchTemplate"]["Properties"]["LaunchTemplateData"];
    assert_eq!(data["ImageId"]["Ref"], "LatestAmiId");
    assert_eq!(data["MetadataOptions"]["HttpTokens"], "required");
    assert!(data["UserData"]["Fn::Base64"]
        .as_str()
        .unwrap()
        .contains("systemctl enable --now nginx"));
    let group = &resources["WebAsg"]["Properties"];
    assert_eq!(group["HealthCheckType"], "ELB");
    assert_eq!(group["TargetGroupARNs"][0]["Ref"], "AlbTargetGroup2");

    let terraform = export::export_with(&diagram, &analysis, Format::Terraform);
    assert!(terraform
        .iter()
        .any(|f| f.contents.contains("data.aws_ssm_parameter.al2023.value")));
    for imported in imported_both(&diagram) {
        let (node, group) = imported
            .nodes
            .iter()
            .find_map(|n| match &n.kind {
                NodeKind::AutoScalingGroup(g) => Some((n, g)),
                _ => None,
            })
            .expect("the group imported");
        assert_eq!(node.name, "web-servers");
        assert_eq!(
            (
                group.min_size,
                group.desired_capacity,
                group.max_size,
                group.port
            ),
            (2, 2, 4, 80)
        );
        assert_eq!(group.instance_type, "t3.micro");
        assert_eq!((group.subnets.len(), group.security_groups.len()), (2, 1));
        assert!(imported.nodes.iter().any(|n| matches!(&n.kind,
            NodeKind::LoadBalancer(alb) if alb.target_groups.iter().any(|g|
                g.target_type == TargetType::Instance
                    && g.target.as_ref().is_some_and(|t| t.service == node.id)))));
    }
}

#[test]
fn a_queue_drawn_to_a_function_triggers_it_with_a_verdict_exported_and_imported_back() {
    let mut diagram = templates::seed();
    crate::support::add_jobs_queue(&mut diagram);
    let (mut diagram, worker) = dropped(&diagram, (-600.0, -600.0)).unwrap();
    diagram
        .layout
        .insert(id("jobs-queue"), Rect::new(-800.0, -600.0, 64.0, 64.0));
    // Queue to function: a trigger, no traffic; the other way: traffic.
    let relation = relate(&diagram, &id("jobs-queue"), &worker).unwrap();
    assert!(relation.edge.is_none());
    assert!(
        relation.summary.contains("triggers"),
        "{}",
        relation.summary
    );
    apply(&mut diagram, relation.command).unwrap();
    assert_eq!(
        function(&diagram, &worker).event_sources,
        vec![id("jobs-queue")]
    );
    assert!(links(&diagram).contains(&Link {
        what: LinkKind::EventSource,
        from: id("jobs-queue"),
        to: worker.clone(),
    }));
    assert!(relate(&diagram, &worker, &id("jobs-queue"))
        .unwrap()
        .edge
        .is_some());
    let verdict = |d: &Diagram| {
        analyze(d)
            .invocations
            .into_iter()
            .find(|v| v.to == worker)
            .unwrap()
    };
    assert!(verdict(&diagram).allowed);

    // Working longer than the queue hides a message: Lambda refuses it.
    if let NodeKind::LambdaFunction(f) = kind_mut(&mut diagram, worker.as_str()) {
        f.timeout_seconds = 300;
    }
    let denied = verdict(&diagram);
    assert!(!denied.allowed && denied.reason.contains("visibility timeout"));
    let analysis = analyze(&diagram);
    let diagnostic = analysis.diagnostics.iter().find(|d| d.rule == 61).unwrap();
    let fix = diagnostic.fix.clone().unwrap();
    assert!(fix.label.contains("1800 s"), "{}", fix.label);
    let mut fixed = diagram.clone();
    apply(&mut fixed, fix.command).unwrap();
    assert!(verdict(&fixed).allowed);

    // The exports poll the queue for it, with its role allowed to.
    let analysis = analyze(&fixed);
    let template = stackdraw::domain::export::cloudformation::template(&fixed, &analysis);
    let mapping = template["Resources"]
        .as_object()
        .unwrap()
        .values()
        .find(|r| r["Type"] == "AWS::Lambda::EventSourceMapping")
        .expect("an event source mapping");
    assert_eq!(
        mapping["Properties"]["EventSourceArn"]["Fn::GetAtt"][0],
        "JobsQueue"
    );
    let policies = serde_json::to_string(&template["Resources"]).unwrap();
    assert!(policies.contains("sqs:ReceiveMessage"));

    for imported in imported_both(&fixed) {
        let (node, function) = imported
            .nodes
            .iter()
            .find_map(|n| match &n.kind {
                NodeKind::LambdaFunction(f) => Some((n, f)),
                _ => None,
            })
            .unwrap();
        assert_eq!(function.event_sources.len(), 1);
        let queue = &function.event_sources[0];
        assert_eq!(imported.node(queue).unwrap().tag(), KindTag::SqsQueue);
        // Its role's grant on the queue is the trigger's, not a line.
        assert!(!imported
            .edges
            .iter()
            .any(|e| e.from == node.id && &e.to == queue));
    }
}

#[test]
fn an_instance_lands_in_one_subnet_and_a_load_balancer_drawn_to_it_registers_it_on_its_port() {
    let seed = templates::seed();
    assert!(place(&seed, KindTag::Ec2Instance, (-500.0, -500.0))
        .unwrap_err()
        .contains("inside a subnet"));
    let (command, node) = place(
        &seed,
        KindTag::Ec2Instance,
        centre(&seed, "subnet-private-c"),
    )
    .unwrap();
    let mut diagram = seed.clone();
    apply(&mut diagram, command).unwrap();
    let NodeKind::Ec2Instance(instance) = &diagram.node(&node).unwrap().kind else {
        unreachable!()
    };
    assert_eq!(instance.subnet, id("subnet-private-c"));
    assert_eq!((instance.port, instance.public_ip), (80, false));
    assert_eq!(instance.security_groups.len(), 1);

    // The seed's groups are taken: the instance gets one of its own and a
    // listener forwarding to it, and the flow gets through.
    let (own, summary) = related(&diagram, &id("alb"), &node);
    assert!(summary.contains("port 80"), "{summary}");
    let NodeKind::LoadBalancer(alb) = &own.node(&id("alb")).unwrap().kind else {
        unreachable!()
    };
    let group = alb
        .target_groups
        .iter()
        .find(|g| g.target.as_ref().is_some_and(|t| t.service == node))
        .expect("a group sending to the instance");
    assert_eq!((group.target_type, group.port), (TargetType::Instance, 80));
    let flow = analyze(&own)
        .flows
        .into_iter()
        .find(|f| f.from == id("alb") && f.to.as_ref() == Some(&node))
        .unwrap();
    assert_eq!(flow.verdict, Verdict::Reachable, "{flow:?}");

    // Its web server moved to another port: every health check would fail
    // (VR-65), and the fix sends the group there.
    let instance_node = own.node(&node).unwrap();
    let mut moved = own.clone();
    apply(
        &mut moved,
        stackdraw::domain::edit::fields::set_field(&own, instance_node, "port", "8443").unwrap(),
    )
    .unwrap();
    let problem = analyze(&moved)
        .diagnostics
        .into_iter()
        .find(|d| d.rule == 65)
        .expect("VR-65");
    assert!(problem.message.contains("8443"), "{}", problem.message);
    let mut fixed = moved.clone();
    apply(&mut fixed, problem.fix.unwrap().command).unwrap();
    assert!(!analyze(&fixed).diagnostics.iter().any(|d| d.rule == 65));
    assert!(stackdraw::domain::edit::fields::set_field(
        &own,
        instance_node,
        "instance_type",
        "db.t4g.micro"
    )
    .unwrap_err()
    .contains("not an EC2 instance type"));
}

#[test]
fn an_instance_exports_its_image_lookup_web_server_and_registration_and_imports_back() {
    let mut diagram = templates::seed();
    crate::support::add_admin_instance(&mut diagram);
    let analysis = analyze(&diagram);
    let template = stackdraw::domain::export::cloudformation::template(&diagram, &analysis);
    let resources = &template["Resources"];
    let instance = &resources["AdminServer"]["Properties"];
    assert_eq!(instance["ImageId"]["Ref"], "LatestAmiId");
    assert_eq!(instance["InstanceType"], "t3.small");
    assert_eq!(instance["MetadataOptions"]["HttpTokens"], "required");
    assert_eq!(
        instance["IamInstanceProfile"]["Ref"],
        "AdminServerInstanceProfile"
    );
    assert!(instance["UserData"]["Fn::Base64"]
        .as_str()
        .unwrap()
        .contains("listen       8080;"));
    let registered = resources
        .as_object()
        .unwrap()
        .values()
        .find(|r| {
            r["Type"] == "AWS::ElasticLoadBalancingV2::TargetGroup"
                && r["Properties"]["Targets"][0]["Id"]["Ref"] == "AdminServer"
        })
        .expect("a target group registering the instance");
    assert_eq!(registered["Properties"]["Targets"][0]["Port"], 8080);
    assert_eq!(registered["Properties"]["TargetType"], "instance");

    let text: String = export::export_with(&diagram, &analysis, Format::Terraform)
        .iter()
        .filter(|f| f.path.ends_with(".tf"))
        .map(|f| f.contents.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect();
    assert!(text.contains(r#"resource "aws_instance" "admin_server""#));
    assert!(text.contains("ami = data.aws_ssm_parameter.al2023.value"));
    assert!(
        text.contains("target_id = aws_instance.admin_server.id port = 8080"),
        "{text}"
    );

    for imported in imported_both(&diagram) {
        let (id, instance) = imported
            .nodes
            .iter()
            .find_map(|n| match &n.kind {
                NodeKind::Ec2Instance(instance) => Some((&n.id, instance)),
                _ => None,
            })
            .unwrap_or_else(|| panic!("no instance: {:#?}", imported.nodes));
        assert_eq!(
            (instance.port, instance.instance_type.as_str()),
            (8080, "t3.small")
        );
        // The bastion stays a bastion: a plain instance nobody sends to.
        assert!(imported.nodes.iter().any(|n| n.tag() == KindTag::Bastion));
        let balancer = imported
            .nodes
            .iter()
            .find_map(|n| match &n.kind {
                NodeKind::LoadBalancer(alb) => Some(alb),
                _ => None,
            })
            .unwrap();
        assert!(balancer
            .target_groups
            .iter()
            .any(|g| g.target.as_ref().is_some_and(|t| &t.service == id)));
    }
}
