//! Secrets Manager secrets and WAF web ACLs: where they land, what a line
//! to or from one means, what the exports write for them (and for what
//! refers to them) and what the importers read back.

use crate::support::{
    add_firewall, add_orders_credentials, add_orders_database, add_payments_secret, id,
    imported_both, kind_mut,
};
use stackdraw::domain::edit::apply;
use stackdraw::domain::edit::delete::delete_nodes;
use stackdraw::domain::edit::fields::set_field;
use stackdraw::domain::edit::place::place;
use stackdraw::domain::edit::relate::{links, relate, unrelate, Link, LinkKind};
use stackdraw::domain::export::{self, Format};
use stackdraw::domain::model::*;
use stackdraw::domain::templates;
use stackdraw::domain::validate::{analyze, validate, Verdict};

fn dropped(
    diagram: &Diagram,
    kind: KindTag,
    point: (f64, f64),
) -> Result<(Diagram, NodeId), String> {
    let (command, node) = place(diagram, kind, point)?;
    let mut after = diagram.clone();
    apply(&mut after, command).unwrap();
    Ok((after, node))
}

fn related(diagram: &Diagram, from: &NodeId, to: &NodeId) -> (Diagram, String) {
    let relation = relate(diagram, from, to).unwrap();
    let mut after = diagram.clone();
    apply(&mut after, relation.command).unwrap();
    (after, relation.summary)
}

fn secret<'a>(diagram: &'a Diagram, node: &NodeId) -> &'a Secret {
    match &diagram.node(node).unwrap().kind {
        NodeKind::Secret(secret) => secret,
        other => panic!("{node} is a {:?}", other.tag()),
    }
}

fn web_acl<'a>(diagram: &'a Diagram, node: &NodeId) -> &'a WebAcl {
    match &diagram.node(node).unwrap().kind {
        NodeKind::WebAcl(acl) => acl,
        other => panic!("{node} is a {:?}", other.tag()),
    }
}

fn inside(diagram: &Diagram, node: &str) -> (f64, f64) {
    let rect = diagram.layout[&id(node)];
    (rect.x + 8.0, rect.y + rect.h - 8.0)
}

#[test]
fn a_secret_is_read_by_what_draws_to_it_and_holds_a_database_credentials() {
    let seed = templates::seed();
    let refusal = dropped(&seed, KindTag::Secret, inside(&seed, "vpc-main")).unwrap_err();
    assert!(refusal.contains("not part of a VPC"), "{refusal}");
    let (diagram, node) = dropped(&seed, KindTag::Secret, (-600.0, -600.0)).unwrap();
    assert_eq!(secret(&diagram, &node).password_length, 32);

    // The service reads it: HTTPS to Secrets Manager's API, through the
    // seed's route out.
    let relation = relate(&diagram, &id("service"), &node).unwrap();
    let edge = relation
        .edge
        .clone()
        .expect("a line from a service is traffic");
    let mut diagram = diagram;
    apply(&mut diagram, relation.command).unwrap();
    assert_eq!(
        diagram.edges.iter().find(|e| e.id == edge).unwrap().port,
        443
    );
    let analysis = analyze(&diagram);
    let flow = analysis
        .flows
        .iter()
        .find(|f| f.edge.as_ref() == Some(&edge))
        .unwrap();
    assert_eq!(flow.verdict, Verdict::Reachable, "{flow:?}");

    // Drawn to the seed's Aurora cluster: its master credentials, which RDS
    // then stops managing.
    let (with_db, summary) = related(&diagram, &node, &id("db"));
    assert!(summary.contains("master credentials"), "{summary}");
    assert_eq!(secret(&with_db, &node).database, Some(id("db")));
    let NodeKind::AuroraCluster(aurora) = &with_db.node(&id("db")).unwrap().kind else {
        unreachable!()
    };
    assert!(!aurora.manage_master_password);
    let link = Link {
        what: LinkKind::Credentials,
        from: node.clone(),
        to: id("db"),
    };
    assert!(links(&with_db).contains(&link));
    assert!(relate(&with_db, &id("db"), &node)
        .unwrap_err()
        .contains("already"));
    // A second secret for the same database: refused, one password each.
    let (two, other) = dropped(&with_db, KindTag::Secret, (-900.0, -900.0)).unwrap();
    let refusal = relate(&two, &other, &id("db")).unwrap_err();
    assert!(refusal.contains("one master password"), "{refusal}");

    // Undone by removing the line, or by deleting the database.
    let mut undone = with_db.clone();
    apply(&mut undone, unrelate(&with_db, &link).unwrap()).unwrap();
    assert_eq!(secret(&undone, &node).database, None);
    let mut deleted = with_db.clone();
    apply(&mut deleted, delete_nodes(&with_db, &[id("db")]).unwrap()).unwrap();
    assert_eq!(secret(&deleted, &node).database, None);

    // Its name as Secrets Manager takes it; the generated length in range.
    let holder = with_db.node(&node).unwrap();
    assert!(set_field(&with_db, holder, "secret_name", "my app/key")
        .unwrap_err()
        .contains("up to 512"));
    assert!(set_field(&with_db, holder, "password_length", "4")
        .unwrap_err()
        .contains("8 to 4096"));
    assert!(set_field(&with_db, holder, "secret_name", "prod/db+admin@example.com").is_ok());
}

#[test]
fn a_secret_without_a_way_to_its_api_is_said_with_the_endpoint_that_gives_one() {
    let mut diagram = templates::seed();
    add_payments_secret(&mut diagram);
    if let NodeKind::RouteTable(table) = kind_mut(&mut diagram, "rt-private") {
        table.routes.clear();
    }
    let problems = validate(&diagram);
    let problem = problems
        .iter()
        .find(|p| p.rule == 56 && p.nodes.contains(&id("payments-key")))
        .unwrap_or_else(|| panic!("no VR-56 for the secret: {problems:#?}"));
    let fix = problem.fix.as_ref().expect("a fix");
    assert!(
        fix.label.contains("Secrets Manager") || fix.label.contains("secretsmanager"),
        "{}",
        fix.label
    );
    let mut fixed = diagram.clone();
    apply(&mut fixed, fix.command.clone()).unwrap();
    assert!(!validate(&fixed)
        .iter()
        .any(|p| p.rule == 56 && p.nodes.contains(&id("payments-key"))));
}

#[test]
fn a_web_acl_protects_load_balancers_or_distributions_in_the_scope_each_needs() {
    let seed = templates::seed();
    let refusal = dropped(&seed, KindTag::WebAcl, inside(&seed, "vpc-main")).unwrap_err();
    assert!(refusal.contains("not part of a VPC"), "{refusal}");
    let (diagram, regional) = dropped(&seed, KindTag::WebAcl, (-600.0, -600.0)).unwrap();

    let (diagram, summary) = related(&diagram, &regional, &id("alb"));
    assert!(summary.contains("REGIONAL"), "{summary}");
    assert_eq!(web_acl(&diagram, &regional).protects, vec![id("alb")]);
    assert!(links(&diagram).contains(&Link {
        what: LinkKind::Protects,
        from: regional.clone(),
        to: id("alb"),
    }));
    // The same web ACL cannot also protect a distribution.
    let refusal = relate(&diagram, &regional, &id("cdn")).unwrap_err();
    assert!(refusal.contains("second web ACL"), "{refusal}");

    // A new one drawn to the distribution takes CloudFront's scope.
    let (diagram, edge) = dropped(&diagram, KindTag::WebAcl, (-900.0, -900.0)).unwrap();
    let (diagram, summary) = related(&diagram, &id("cdn"), &edge);
    assert!(summary.contains("CLOUDFRONT"), "{summary}");
    assert_eq!(web_acl(&diagram, &edge).scope, WafScope::Cloudfront);
    // A resource has one web ACL.
    let (three, third) = dropped(&diagram, KindTag::WebAcl, (-1200.0, -1200.0)).unwrap();
    let refusal = relate(&three, &third, &id("alb")).unwrap_err();
    assert!(refusal.contains("one web ACL"), "{refusal}");
    assert!(validate(&diagram).iter().all(|p| p.rule != 64));

    // The scope changed by hand: WAF would refuse the association (VR-64),
    // and the fix puts it back.
    let acl = diagram.node(&edge).unwrap();
    let mut wrong = diagram.clone();
    apply(
        &mut wrong,
        set_field(&diagram, acl, "scope", "REGIONAL").unwrap(),
    )
    .unwrap();
    let problem = validate(&wrong).into_iter().find(|p| p.rule == 64).unwrap();
    assert!(
        problem.message.contains("CLOUDFRONT"),
        "{}",
        problem.message
    );
    let mut fixed = wrong.clone();
    apply(&mut fixed, problem.fix.unwrap().command).unwrap();
    assert_eq!(web_acl(&fixed, &edge).scope, WafScope::Cloudfront);

    // Rate limits as WAF takes them.
    assert!(set_field(&diagram, acl, "rate_limit", "5")
        .unwrap_err()
        .contains("10 to"));
    let mut unlimited = diagram.clone();
    apply(
        &mut unlimited,
        set_field(&diagram, acl, "rate_limit", "").unwrap(),
    )
    .unwrap();
    assert_eq!(web_acl(&unlimited, &edge).rate_limit, None);
}

#[test]
fn waf_does_not_protect_http_apis_and_says_what_does() {
    let mut diagram = templates::seed();
    crate::support::add_orders_table(&mut diagram);
    crate::support::add_orders_function(&mut diagram, LambdaRuntime::Nodejs22);
    crate::support::add_orders_api(&mut diagram);
    let (diagram, acl) = dropped(&diagram, KindTag::WebAcl, (-600.0, -600.0)).unwrap();
    let refusal = relate(&diagram, &acl, &id("orders-api")).unwrap_err();
    assert!(refusal.contains("not HTTP APIs"), "{refusal}");
}

#[test]
fn the_exports_write_secrets_their_readers_grants_and_the_database_passwords_they_hold() {
    let mut diagram = templates::seed();
    add_orders_database(&mut diagram, true);
    add_orders_credentials(&mut diagram);
    add_payments_secret(&mut diagram);
    let analysis = analyze(&diagram);
    let template = export::cloudformation::template(&diagram, &analysis);
    let resources = &template["Resources"];
    let credentials = &resources["OrdersCredentials"];
    assert_eq!(credentials["Type"], "AWS::SecretsManager::Secret");
    assert_eq!(credentials["Properties"]["Name"], "myapp/orders/master");
    let generated = &credentials["Properties"]["GenerateSecretString"];
    assert_eq!(generated["GenerateStringKey"], "password");
    assert_eq!(generated["PasswordLength"], 32);
    assert!(generated["SecretStringTemplate"]
        .as_str()
        .unwrap()
        .contains("orders_admin"));
    let attachment = &resources["OrdersCredentialsAttachment"]["Properties"];
    assert_eq!(attachment["TargetId"]["Ref"], "OrdersDb");
    assert_eq!(attachment["TargetType"], "AWS::RDS::DBInstance");
    let database = &resources["OrdersDb"]["Properties"];
    assert!(database.get("ManageMasterUserPassword").is_none());
    assert_eq!(
        database["MasterUserPassword"]["Fn::Sub"],
        "{{resolve:secretsmanager:${OrdersCredentials}:SecretString:password}}"
    );
    // The tasks read the payments key with their own role.
    let task_role = serde_json::to_string(&resources["ServiceTaskRole"]).unwrap();
    assert!(
        task_role.contains("secretsmanager:GetSecretValue"),
        "{task_role}"
    );
    assert!(
        task_role.contains(r#"{"Ref":"PaymentsKey"}"#),
        "{task_role}"
    );

    let files = export::export_with(&diagram, &analysis, Format::Terraform);
    // Compared with the alignment of `=` left out.
    let text: String = files
        .iter()
        .filter(|f| f.path.ends_with(".tf"))
        .map(|f| f.contents.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect();
    assert!(text.contains(r#"data "aws_secretsmanager_random_password" "orders_credentials""#));
    assert!(text.contains(r#"resource "aws_secretsmanager_secret_version" "orders_credentials""#));
    assert!(text.contains("ignore_changes = [secret_string]"), "{text}");
    assert!(text.contains(
        r#"password = jsondecode(aws_secretsmanager_secret_version.orders_credentials.secret_string)["password"]"#
    ));
    assert!(text.contains("aws_secretsmanager_secret.payments_key.arn"));
    // The README says how the real value replaces the generated one.
    let readme = &files
        .iter()
        .find(|f| f.path.ends_with("README.md"))
        .unwrap()
        .contents;
    assert!(
        readme.contains("aws secretsmanager put-secret-value"),
        "{readme}"
    );
    assert!(
        readme.contains("`myapp/orders/master` (orders-db)"),
        "{readme}"
    );
}

#[test]
fn a_task_reads_a_database_password_from_the_secret_drawn_to_that_database() {
    let mut diagram = templates::seed();
    let (with_secret, node) = dropped(&diagram, KindTag::Secret, (-600.0, -600.0)).unwrap();
    diagram = related(&with_secret, &node, &id("db")).0;
    let analysis = analyze(&diagram);
    let template = export::cloudformation::template(&diagram, &analysis);
    let task = serde_json::to_string(&template["Resources"]["ServiceTaskDefinition"]).unwrap();
    let logical = export::names::Names::cloudformation(&diagram).of(&node);
    assert!(
        task.contains(&format!(
            r#"{{"Fn::Join":["",[{{"Ref":"{logical}"}},":password::"]]}}"#
        )),
        "{task}"
    );
    // Read back, the container's secret is the database's password again.
    for imported in imported_both(&diagram) {
        let service = imported
            .nodes
            .iter()
            .find_map(|n| match &n.kind {
                NodeKind::FargateService(service) => Some(service),
                _ => None,
            })
            .unwrap();
        let secrets: Vec<&ContainerSecret> =
            service.containers.iter().flat_map(|c| &c.secrets).collect();
        assert!(
            secrets
                .iter()
                .any(|s| matches!(&s.from, SecretSource::DatabasePassword(db) if imported.node(db).map(Node::tag) == Some(KindTag::AuroraCluster))),
            "{secrets:?}"
        );
    }
}

#[test]
fn the_exports_put_web_acls_in_front_of_what_they_protect_cloudfront_s_in_us_east_1() {
    let mut diagram = templates::seed();
    add_firewall(&mut diagram, WafScope::Regional, &["alb"]);
    diagram.nodes.push(Node {
        id: id("edge-firewall"),
        name: "edge-firewall".into(),
        kind: NodeKind::WebAcl(WebAcl {
            scope: WafScope::Cloudfront,
            common_rules: true,
            known_bad_inputs: true,
            ip_reputation: false,
            sql_injection: true,
            rate_limit: None,
            protects: vec![id("cdn")],
        }),
    });
    let analysis = analyze(&diagram);
    let template = export::cloudformation::template(&diagram, &analysis);
    let resources = &template["Resources"];
    let acl = &resources["Firewall"]["Properties"];
    assert_eq!(acl["Scope"], "REGIONAL");
    assert_eq!(acl["DefaultAction"], serde_json::json!({ "Allow": {} }));
    let rules = acl["Rules"].as_array().unwrap();
    let names: Vec<&str> = rules.iter().map(|r| r["Name"].as_str().unwrap()).collect();
    assert_eq!(
        names,
        [
            "AWSManagedRulesAmazonIpReputationList",
            "AWSManagedRulesCommonRuleSet",
            "AWSManagedRulesKnownBadInputsRuleSet",
            "rate-limit"
        ]
    );
    assert_eq!(rules[3]["Statement"]["RateBasedStatement"]["Limit"], 2000);
    assert_eq!(
        resources["FirewallAlb"]["Properties"]["ResourceArn"]["Ref"],
        "Alb"
    );
    assert_eq!(
        resources["FirewallLogging"]["Type"],
        "AWS::WAFv2::LoggingConfiguration"
    );
    // CloudFront's web ACL lives in us-east-1: a stack in ap-northeast-1
    // takes its ARN.
    assert!(resources.get("EdgeFirewall").is_none());
    assert!(template["Parameters"]["EdgeFirewallArn"]["AllowedPattern"]
        .as_str()
        .unwrap()
        .contains("wafv2:us-east-1"));
    let distribution = &resources["Cdn"]["Properties"]["DistributionConfig"];
    assert_eq!(distribution["WebACLId"]["Ref"], "EdgeFirewallArn");
    // The README says where to make it.
    let readme = export::bundle(&diagram, &analysis, Format::CloudFormationYaml)
        .into_iter()
        .find(|f| f.path.ends_with("README.md"))
        .unwrap()
        .contents;
    assert!(
        readme.contains("create each in us-east-1 first") && readme.contains("`EdgeFirewallArn`"),
        "{readme}"
    );
    // In us-east-1 the stack makes it.
    let mut east = diagram.clone();
    east.region = "us-east-1".into();
    let template = export::cloudformation::template(&east, &analyze(&east));
    assert_eq!(
        template["Resources"]["EdgeFirewall"]["Properties"]["Scope"],
        "CLOUDFRONT"
    );
    assert_eq!(
        template["Resources"]["Cdn"]["Properties"]["DistributionConfig"]["WebACLId"]["Fn::GetAtt"]
            [0],
        "EdgeFirewall"
    );

    // Terraform makes both, CloudFront's in us-east-1.
    let text: String = export::export_with(&diagram, &analysis, Format::Terraform)
        .iter()
        .filter(|f| f.path.ends_with(".tf"))
        .map(|f| f.contents.clone())
        .collect();
    let edge = text
        .split("resource \"aws_wafv2_web_acl\" \"edge_firewall\"")
        .nth(1)
        .unwrap();
    assert!(edge.contains("region = \"us-east-1\""), "{edge}");
    assert!(
        edge.contains("scope  = \"CLOUDFRONT\"") || edge.contains("scope = \"CLOUDFRONT\""),
        "{edge}"
    );
    assert!(
        text.contains("web_acl_id = aws_wafv2_web_acl.edge_firewall.arn")
            || text.contains("web_acl_id          = aws_wafv2_web_acl.edge_firewall.arn"),
        "{text}"
    );
    assert!(text.contains("resource \"aws_wafv2_web_acl_association\" \"firewall_alb\""));
}

#[test]
fn both_importers_read_secrets_and_web_acls_back() {
    let mut diagram = templates::seed();
    add_orders_database(&mut diagram, true);
    add_orders_credentials(&mut diagram);
    add_payments_secret(&mut diagram);
    add_firewall(&mut diagram, WafScope::Regional, &["alb"]);
    if let NodeKind::WebAcl(acl) = kind_mut(&mut diagram, "firewall") {
        acl.ip_reputation = false;
        acl.sql_injection = true;
        acl.rate_limit = Some(750);
    }
    for imported in imported_both(&diagram) {
        let by_name = |name: &str| {
            imported
                .nodes
                .iter()
                .find(|n| matches!(&n.kind, NodeKind::Secret(s) if s.secret_name == name))
                .unwrap_or_else(|| panic!("no secret {name}: {:#?}", imported.nodes))
        };
        let payments = by_name("myapp/payments-api-key");
        let NodeKind::Secret(key) = &payments.kind else {
            unreachable!()
        };
        assert_eq!(key.password_length, 40);
        assert_eq!(key.database, None);
        // The service's grant reads back as its line to the secret.
        assert!(
            imported
                .edges
                .iter()
                .any(|e| e.to == payments.id && e.port == 443),
            "{:?}",
            imported.edges
        );
        let credentials = by_name("myapp/orders/master");
        let NodeKind::Secret(credentials) = &credentials.kind else {
            unreachable!()
        };
        let database = credentials
            .database
            .as_ref()
            .expect("the database it holds");
        assert_eq!(imported.node(database).unwrap().tag(), KindTag::RdsInstance);

        let acl = imported
            .nodes
            .iter()
            .find_map(|n| match &n.kind {
                NodeKind::WebAcl(acl) => Some(acl),
                _ => None,
            })
            .expect("the web ACL");
        assert_eq!(acl.scope, WafScope::Regional);
        assert!(
            acl.common_rules && acl.known_bad_inputs && acl.sql_injection && !acl.ip_reputation
        );
        assert_eq!(acl.rate_limit, Some(750));
        assert_eq!(acl.protects.len(), 1);
        assert_eq!(
            imported.node(&acl.protects[0]).unwrap().tag(),
            KindTag::LoadBalancer
        );
    }
}

#[test]
fn a_function_drawn_to_a_secret_reads_it_through_its_endpoint_with_its_role() {
    let mut diagram = templates::seed();
    add_payments_secret(&mut diagram);
    crate::support::add_orders_table(&mut diagram);
    crate::support::add_orders_function(&mut diagram, LambdaRuntime::Nodejs22);
    let (diagram, _) = {
        let relation = relate(&diagram, &id("orders-fn"), &id("payments-key")).unwrap();
        let edge = relation
            .edge
            .clone()
            .expect("a function's line to a secret is traffic");
        let mut after = diagram.clone();
        apply(&mut after, relation.command).unwrap();
        (after, edge)
    };
    let analysis = analyze(&diagram);
    let flow = analysis
        .flows
        .iter()
        .find(|f| f.from == id("orders-fn") && f.to.as_ref() == Some(&id("payments-key")))
        .unwrap();
    assert_eq!(flow.verdict, Verdict::Reachable, "{flow:?}");
    let template = export::cloudformation::template(&diagram, &analysis);
    let role = serde_json::to_string(&template["Resources"]["OrdersFnRole"]).unwrap();
    assert!(role.contains("secretsmanager:GetSecretValue"), "{role}");
    assert!(role.contains(r#"{"Ref":"PaymentsKey"}"#), "{role}");
}
