use crate::support::{every_kind, fixture_path, read_fixture};
use stackdraw::domain::codec::{decode_file, decode_file_with, encode_file, FileError, Limits};
use stackdraw::domain::templates;

/// Each malformed fixture and words its error message must contain.
const MALFORMED: &[(&str, &[&str])] = &[
    ("truncated.json", &["not valid JSON", "line"]),
    ("not-json.json", &["not valid JSON", "line 1"]),
    (
        "top-level-array.json",
        &["not a stackdraw diagram", "object"],
    ),
    ("no-version.json", &["no schema_version"]),
    (
        "future-version.json",
        &["schema_version 9", "newer stackdraw"],
    ),
    ("version-zero.json", &["schema_version 0 does not exist"]),
    (
        "wrong-type.json",
        &["nodes[4].kind.vpc.cidr", "expected a string"],
    ),
    (
        "unknown-kind.json",
        &["nodes[0].kind", "unknown variant `lambda`"],
    ),
    (
        "unknown-field.json",
        &["nodes[0].kind.subnet", "unknown field `colour`"],
    ),
    (
        "bad-cidr.json",
        &["nodes[4].kind.vpc.cidr", "prefix length is 0 to 32, not 33"],
    ),
    ("bad-port.json", &["edges[0].port", "65535"]),
    ("bad-id.json", &["nodes[0].id", "ASCII letters"]),
    (
        "dangling-parent.json",
        &[
            "nodes[5].kind.subnet.vpc",
            "no node has the id \"vpc-gone\"",
        ],
    ),
    (
        "dangling-edge.json",
        &["edges[1].to", "no node has the id \"nowhere\""],
    ),
    (
        "wrong-reference-kind.json",
        &[
            "nodes[5].kind.subnet.vpc",
            "is a Subnet, but this must be a VPC",
        ],
    ),
    (
        "duplicate-id.json",
        &["nodes[1].id", "used by more than one node"],
    ),
    (
        "dangling-layout.json",
        &["layout.ghost", "no node has the id \"ghost\""],
    ),
    ("empty-name.json", &["nodes[0].name", "must not be empty"]),
    (
        "bend-off-canvas.json",
        &["edges[0].bends[1]", "within ±10000000"],
    ),
    (
        "too-many-bends.json",
        &["edges[0].bends", "at most 64 points"],
    ),
];

#[test]
fn malformed_files_are_refused_with_a_message_that_says_where() {
    for (file, expected) in MALFORMED {
        let text = read_fixture(&format!("malformed/{file}"));
        let error = match decode_file(&text) {
            Ok(_) => panic!("{file} must be refused"),
            Err(error) => error.to_string(),
        };
        for words in *expected {
            assert!(
                error.contains(words),
                "{file}: {error:?} should mention {words:?}"
            );
        }
    }
}

#[test]
fn every_malformed_fixture_is_in_the_table() {
    let dir = fixture_path("malformed");
    let mut on_disk: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    on_disk.sort();
    let mut listed: Vec<String> = MALFORMED.iter().map(|(file, _)| file.to_string()).collect();
    listed.sort();
    assert_eq!(on_disk, listed);
}

#[test]
fn every_prefix_of_a_valid_file_is_refused_without_panicking() {
    let text = encode_file(&templates::seed());
    let text = text.trim_end();
    let boundaries: Vec<usize> = (0..text.len())
        .filter(|at| text.is_char_boundary(*at))
        .collect();
    for at in boundaries {
        assert!(
            decode_file(&text[..at]).is_err(),
            "a file cut at byte {at} must be refused"
        );
    }
}

#[test]
fn limits_are_checked_before_the_diagram_is_built() {
    let text = encode_file(&templates::seed());
    let small = Limits {
        max_bytes: 100,
        ..Limits::default()
    };
    assert!(matches!(
        decode_file_with(&text, &small),
        Err(FileError::TooLarge { limit: 100, .. })
    ));

    let few_nodes = Limits {
        max_nodes: 3,
        ..Limits::default()
    };
    let error = decode_file_with(&text, &few_nodes).unwrap_err().to_string();
    assert!(error.contains("at most 3 are supported"), "{error}");

    let mut long_name = templates::seed();
    long_name.nodes[0].name = "n".repeat(1_025);
    let error = decode_file(&encode_file(&long_name))
        .unwrap_err()
        .to_string();
    assert!(
        error.contains("nodes[0].name") && error.contains("1024 characters"),
        "{error}"
    );
}

#[test]
fn hostile_text_survives_a_round_trip_verbatim() {
    let mut diagram = templates::seed();
    let hostile =
        "<img src=x onerror=alert(1)> </script> \"quoted\" ${var} %{x} \n\t# : ünïcødé 🚀";
    diagram.name = hostile.into();
    diagram.nodes[0].name = hostile.into();
    let back = decode_file(&encode_file(&diagram)).unwrap();
    assert_eq!(back.name, hostile);
    assert_eq!(back.nodes[0].name, hostile);
}

#[test]
fn kind_names_in_files_match_the_kind_tags() {
    let diagram = every_kind();
    let value: serde_json::Value = serde_json::from_str(&encode_file(&diagram)).unwrap();
    for (node, json) in diagram.nodes.iter().zip(value["nodes"].as_array().unwrap()) {
        let keys: Vec<&String> = json["kind"].as_object().unwrap().keys().collect();
        assert_eq!(keys, vec![node.tag().as_str()], "node {}", node.id);
    }
}

#[test]
fn omitted_optional_fields_take_their_documented_defaults() {
    let text = r#"{
      "schema_version": 1, "name": "d", "region": "us-east-1",
      "nodes": [
        {"id": "v", "name": "v", "kind": {"vpc": {"cidr": "10.0.0.0/16"}}},
        {"id": "s", "name": "s", "kind": {"subnet": {"vpc": "v", "cidr": "10.0.0.0/24", "az": "us-east-1a"}}},
        {"id": "n", "name": "n", "kind": {"nat_gateway": {"subnet": "s"}}}
      ]
    }"#;
    let diagram = decode_file(text).unwrap_or_else(|error| panic!("{error}"));
    let stackdraw::domain::model::NodeKind::Vpc(vpc) = &diagram.nodes[0].kind else {
        panic!()
    };
    assert!(vpc.dns_support && vpc.dns_hostnames);
    let stackdraw::domain::model::NodeKind::NatGateway(nat) = &diagram.nodes[2].kind else {
        panic!()
    };
    assert!(nat.elastic_ip);
    assert!(diagram.edges.is_empty() && diagram.layout.is_empty());
}

#[test]
fn files_of_each_past_version_still_open() {
    use crate::support::without_layout;
    use stackdraw::domain::model::{Bend, SCHEMA_VERSION};
    // Frozen as each version wrote them; never rewrite these. Templates are
    // laid out anew from time to time, so the design is what must match.
    let open = |name: &str| {
        let diagram = decode_file(&read_fixture(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(diagram.schema_version, SCHEMA_VERSION, "{name} is migrated");
        diagram
    };
    let v1 = open("earlier/schema-1-seed.json");
    assert_eq!(without_layout(&v1), without_layout(&templates::seed()));
    let v2 = open("earlier/schema-2-three-tier.json");
    let three_tier = templates::by_name("three-tier").unwrap().build();
    assert_eq!(without_layout(&v2), without_layout(&three_tier));
    // Version 3: the seed with one line bent twice and one drawn straight.
    let v3 = open("earlier/schema-3-shaped-lines.json");
    let edge = |id: &str| v3.edges.iter().find(|e| e.id.as_str() == id).unwrap();
    assert_eq!(
        edge("e-bastion-db").bends,
        [Bend { x: 392.0, y: 384.0 }, Bend { x: 392.0, y: 862.0 }]
    );
    assert!(edge("e-operator-bastion").straight);
    assert_eq!(v3.edges.iter().filter(|e| e.shaped()).count(), 2);
    let mut unshaped = v3.clone();
    for edge in &mut unshaped.edges {
        edge.bends.clear();
        edge.straight = false;
    }
    unshaped.name = templates::seed().name;
    assert_eq!(unshaped, v1);
    // Version 4: an imported template whose SNS topic stackdraw did not
    // model then, kept as an other resource (as it still opens).
    let v4 = open("earlier/schema-4-imported-bastion.json");
    let topic = v4.nodes.iter().find(|n| n.id.as_str() == "Alerts").unwrap();
    assert!(
        matches!(&topic.kind, stackdraw::domain::model::NodeKind::OtherResource(o) if o.resource_type == "AWS::SNS::Topic")
    );
    assert!(v4
        .nodes
        .iter()
        .any(|n| n.tag() == stackdraw::domain::model::KindTag::Bastion));
    // Version 5: the seed with its network extras and the data stores its
    // service uses: a Multi-AZ RDS database, a DynamoDB table (through a
    // gateway endpoint) and a FIFO queue.
    let v5 = open("earlier/schema-5-data-stores.json");
    let orders = v5
        .nodes
        .iter()
        .find(|n| n.id.as_str() == "orders-db")
        .unwrap();
    assert!(matches!(
        &orders.kind,
        stackdraw::domain::model::NodeKind::RdsInstance(database)
            if database.multi_az && database.port == 3306 && database.subnets.len() == 2
    ));
    let kind_of = |id: &str| {
        v5.nodes
            .iter()
            .find(|n| n.id.as_str() == id)
            .map(|n| &n.kind)
    };
    assert!(matches!(
        kind_of("orders-table"),
        Some(stackdraw::domain::model::NodeKind::DynamodbTable(table))
            if table.sort_key.as_ref().is_some_and(|key| key.name == "placed_at")
    ));
    assert!(matches!(
        kind_of("jobs-queue"),
        Some(stackdraw::domain::model::NodeKind::SqsQueue(queue)) if queue.fifo
    ));
    assert!(matches!(
        kind_of("vpce-dynamodb"),
        Some(stackdraw::domain::model::NodeKind::VpcEndpoint(endpoint))
            if endpoint.service == stackdraw::domain::model::EndpointService::Dynamodb
    ));
    // Version 6: the same with an SNS FIFO topic the service publishes to,
    // delivering to the queue, and a Valkey cache it reaches.
    let v6 = open("earlier/schema-6-topic-and-cache.json");
    let topic = v6
        .nodes
        .iter()
        .find(|n| n.id.as_str() == "events-topic")
        .unwrap();
    assert!(matches!(
        &topic.kind,
        stackdraw::domain::model::NodeKind::SnsTopic(topic)
            if topic.fifo
                && topic.subscriptions.len() == 1
                && topic.subscriptions[0].queue.as_str() == "jobs-queue"
                && topic.subscriptions[0].queue_policy_allows
                && topic.subscriptions[0].raw_message_delivery
    ));
    let cache = v6
        .nodes
        .iter()
        .find(|n| n.id.as_str() == "sessions-cache")
        .unwrap();
    assert!(matches!(
        &cache.kind,
        stackdraw::domain::model::NodeKind::ElasticacheCache(cache)
            if cache.engine == stackdraw::domain::model::CacheEngine::Valkey
                && cache.replicas == 1
                && cache.multi_az
                && cache.subnets.len() == 2
    ));
    // Version 7: the same with a Lambda function in the private subnets,
    // writing the table, that the load balancer and an HTTP API invoke and
    // the pipeline deploys, a worker the jobs queue triggers, and an Auto
    // Scaling group of web servers behind the load balancer.
    let v7 = open("earlier/schema-7-compute.json");
    let kind_of = |id: &str| {
        v7.nodes
            .iter()
            .find(|n| n.id.as_str() == id)
            .map(|n| n.kind.clone())
    };
    assert!(matches!(
        kind_of("orders-fn"),
        Some(stackdraw::domain::model::NodeKind::LambdaFunction(function))
            if function.runtime == stackdraw::domain::model::LambdaRuntime::Nodejs22
                && function.subnets.len() == 2
                && function.invokers.iter().map(|i| i.as_str()).eq(["alb", "orders-api"])
    ));
    assert!(matches!(
        kind_of("alb"),
        Some(stackdraw::domain::model::NodeKind::LoadBalancer(alb))
            if alb.target_groups.iter().any(|g| g.target_type
                == stackdraw::domain::model::TargetType::Lambda
                && g.target.as_ref().is_some_and(|t| t.service.as_str() == "orders-fn"))
    ));
    assert!(matches!(
        kind_of("jobs-worker"),
        Some(stackdraw::domain::model::NodeKind::LambdaFunction(worker))
            if worker.event_sources.iter().map(|q| q.as_str()).eq(["jobs-queue"])
    ));
    assert!(matches!(
        kind_of("orders-api"),
        Some(stackdraw::domain::model::NodeKind::HttpApi(api)) if api.routes.len() == 2
    ));
    assert!(matches!(
        kind_of("web-asg"),
        Some(stackdraw::domain::model::NodeKind::AutoScalingGroup(group))
            if group.desired_capacity == 2 && group.subnets.len() == 2
    ));
    // Version 8: the same with a secret the service reads, one holding the
    // orders database's credentials, a web ACL on the load balancer and an
    // EC2 instance it sends to.
    let v8 = open("earlier/schema-8-security.json");
    let kind_of = |id: &str| {
        v8.nodes
            .iter()
            .find(|n| n.id.as_str() == id)
            .map(|n| n.kind.clone())
    };
    assert!(matches!(
        kind_of("payments-key"),
        Some(stackdraw::domain::model::NodeKind::Secret(secret))
            if secret.secret_name == "myapp/payments-api-key"
                && secret.password_length == 40
                && secret.database.is_none()
    ));
    assert!(matches!(
        kind_of("orders-credentials"),
        Some(stackdraw::domain::model::NodeKind::Secret(secret))
            if secret.database.as_ref().is_some_and(|d| d.as_str() == "orders-db")
    ));
    assert!(matches!(
        kind_of("firewall"),
        Some(stackdraw::domain::model::NodeKind::WebAcl(acl))
            if acl.scope == stackdraw::domain::model::WafScope::Regional
                && acl.rate_limit == Some(2000)
                && acl.protects.iter().map(|p| p.as_str()).eq(["alb"])
    ));
    assert!(matches!(
        kind_of("admin-server"),
        Some(stackdraw::domain::model::NodeKind::Ec2Instance(instance))
            if instance.port == 8080 && instance.subnet.as_str() == "subnet-private-a"
    ));
    assert!(matches!(
        kind_of("alb"),
        Some(stackdraw::domain::model::NodeKind::LoadBalancer(alb))
            if alb.target_groups.iter().any(|g| g.target.as_ref()
                .is_some_and(|t| t.service.as_str() == "admin-server"))
    ));
}

#[test]
fn the_documented_schema_is_current() {
    let generated = stackdraw::domain::schema::file_schema_json() + "\n";
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/diagram.schema.json");
    if std::env::var_os("UPDATE_FIXTURES").is_some() {
        std::fs::write(&path, &generated).unwrap();
    }
    let documented = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        documented == generated,
        "docs/diagram.schema.json is out of date; run `UPDATE_FIXTURES=1 cargo test --test domain`"
    );
}
