use crate::support::{assert_matches_file, every_kind, hostile, read_fixture};
use stackdraw::domain::codec::{decode_file, encode_file};
use stackdraw::domain::model::*;
use stackdraw::domain::templates::{self, TEMPLATES};
use std::collections::BTreeSet;

#[test]
fn seed_round_trips_through_the_file_format_unchanged() {
    let seed = templates::seed();
    let text = encode_file(&seed);
    let back = decode_file(&text).expect("the seed reads back");
    assert_eq!(back, seed);
    assert_eq!(
        encode_file(&back),
        text,
        "writing again gives the same bytes"
    );
}

#[test]
fn seed_fixture_is_the_seed_template() {
    assert_matches_file("seed.json", &encode_file(&templates::seed()));
    let fixture = decode_file(&read_fixture("seed.json")).expect("fixture reads");
    assert_eq!(fixture, templates::seed());
}

#[test]
fn every_kind_diagram_round_trips_and_covers_the_whole_model() {
    let diagram = every_kind();
    let text = encode_file(&diagram);
    assert_matches_file("every-kind.json", &text);
    let back = decode_file(&text).unwrap_or_else(|error| panic!("{error}"));
    assert_eq!(back, diagram);

    let kinds: BTreeSet<KindTag> = diagram.nodes.iter().map(Node::tag).collect();
    let missing: Vec<&str> = KindTag::ALL
        .iter()
        .filter(|tag| !kinds.contains(tag))
        .map(|tag| tag.as_str())
        .collect();
    assert!(
        missing.is_empty(),
        "kinds missing from the fixture: {missing:?}"
    );
}

#[test]
fn every_template_builds_a_consistent_diagram() {
    for template in TEMPLATES {
        let diagram = template.build();
        let back = decode_file(&encode_file(&diagram))
            .unwrap_or_else(|error| panic!("template {}: {error}", template.name));
        assert_eq!(back, diagram, "template {}", template.name);
    }
    assert!(templates::by_name("seed").is_some());
    assert!(templates::by_name("no-such-template").is_none());
}

#[test]
fn a_first_visit_opens_the_seed_from_its_stored_binary_form() {
    assert!(
        templates::SEED_WIRE == stackdraw::domain::codec::wire::encode(&templates::seed()),
        "src/domain/templates/seed.wire is out of date: \
         cargo run -- template seed --wire > src/domain/templates/seed.wire"
    );
    assert_eq!(templates::first_visit(), templates::seed());
}

#[test]
fn seed_holds_the_reference_architecture() {
    let seed = templates::seed();
    let count = |tag| seed.nodes_of(tag).count();
    assert_eq!(count(KindTag::Vpc), 1);
    assert_eq!(count(KindTag::Subnet), 4);
    assert_eq!(count(KindTag::InternetGateway), 1);
    assert_eq!(count(KindTag::NatGateway), 1);
    assert_eq!(count(KindTag::LoadBalancer), 1);
    assert_eq!(count(KindTag::FargateService), 1);
    assert_eq!(count(KindTag::AuroraCluster), 1);
    assert_eq!(count(KindTag::Bastion), 1);

    let NodeKind::Vpc(vpc) = &seed.node_by_str("vpc-main").unwrap().kind else {
        panic!("vpc-main is a VPC")
    };
    assert_eq!(vpc.cidr.to_string(), "10.2.0.0/16");

    let subnets: Vec<(String, String, String, bool)> = seed
        .nodes_of(KindTag::Subnet)
        .map(|node| {
            let NodeKind::Subnet(subnet) = &node.kind else {
                unreachable!()
            };
            (
                node.name.clone(),
                subnet.cidr.to_string(),
                subnet.az.clone(),
                seed.is_public_subnet(&node.id),
            )
        })
        .collect();
    let expect = |name: &str, cidr: &str, az: &str, public: bool| {
        (name.to_string(), cidr.to_string(), az.to_string(), public)
    };
    assert_eq!(
        subnets,
        vec![
            expect("public-subnet-a", "10.2.0.0/20", "ap-northeast-1a", true),
            expect("public-subnet-c", "10.2.16.0/20", "ap-northeast-1c", true),
            expect("private-subnet-a", "10.2.32.0/20", "ap-northeast-1a", false),
            expect("private-subnet-c", "10.2.48.0/20", "ap-northeast-1c", false),
        ]
    );

    let NodeKind::FargateService(service) = &seed.node_by_str("service").unwrap().kind else {
        panic!("service is a Fargate service")
    };
    let ports: Vec<(&str, Option<u16>)> = service
        .containers
        .iter()
        .map(|container| (container.name.as_str(), container.port))
        .collect();
    assert_eq!(ports, vec![("nginx", Some(80)), ("flask", Some(5000))]);

    let NodeKind::AuroraCluster(aurora) = &seed.node_by_str("db").unwrap().kind else {
        panic!("db is an Aurora cluster")
    };
    assert_eq!(aurora.engine, AuroraEngine::AuroraMysql);
    assert_eq!(aurora.port, 3306);
}

#[test]
fn containment_is_derived_from_the_infrastructure() {
    let seed = templates::seed();
    let container = |node: &str| {
        seed.container_of(&NodeId::new(node).unwrap())
            .map(|id| id.as_str().to_string())
    };
    assert_eq!(container("subnet-public-a").as_deref(), Some("vpc-main"));
    assert_eq!(container("nat-a").as_deref(), Some("subnet-public-a"));
    assert_eq!(container("bastion").as_deref(), Some("subnet-public-a"));
    // Spanning two subnets of one VPC: drawn in the VPC.
    assert_eq!(container("alb").as_deref(), Some("vpc-main"));
    assert_eq!(container("service").as_deref(), Some("vpc-main"));
    assert_eq!(container("igw").as_deref(), Some("vpc-main"));
    assert_eq!(container("frontend"), None);
    assert_eq!(container("internet"), None);

    let vpc = NodeId::new("vpc-main").unwrap();
    let children: BTreeSet<&str> = seed
        .children_of(&vpc)
        .map(|node| node.id.as_str())
        .collect();
    for expected in [
        "subnet-public-a",
        "subnet-private-c",
        "alb",
        "service",
        "db",
        "igw",
    ] {
        assert!(
            children.contains(expected),
            "{expected} is drawn in the VPC"
        );
    }
    assert!(
        !children.contains("nat-a"),
        "the NAT gateway is drawn in its subnet"
    );
}

#[test]
fn a_subnet_without_an_internet_route_is_private() {
    let mut seed = templates::seed();
    let public_a = NodeId::new("subnet-public-a").unwrap();
    assert!(seed.is_public_subnet(&public_a));

    // Detaching the internet gateway makes every subnet private.
    for node in &mut seed.nodes {
        if let NodeKind::InternetGateway(igw) = &mut node.kind {
            igw.vpc = None;
        }
    }
    assert!(!seed.is_public_subnet(&public_a));

    // So does falling back to the main route table.
    let mut seed = templates::seed();
    for node in &mut seed.nodes {
        if let NodeKind::Subnet(subnet) = &mut node.kind {
            subnet.route_table = None;
        }
    }
    assert!(!seed.is_public_subnet(&public_a));
}

#[test]
fn cidr_blocks_keep_host_bits_and_compare_as_ranges() {
    let typed = Cidr::parse("10.2.0.1/16").unwrap();
    assert!(!typed.is_canonical());
    assert_eq!(typed.to_string(), "10.2.0.1/16");
    assert_eq!(typed.canonical().to_string(), "10.2.0.0/16");
    assert!(typed.canonical().is_canonical());

    let vpc = Cidr::parse("10.2.0.0/16").unwrap();
    let subnet = Cidr::parse("10.2.16.0/20").unwrap();
    let outside = Cidr::parse("10.3.0.0/20").unwrap();
    assert!(vpc.contains(&subnet));
    assert!(!subnet.contains(&vpc));
    assert!(vpc.overlaps(&subnet) && subnet.overlaps(&vpc));
    assert!(!vpc.overlaps(&outside));
    assert_eq!(subnet.size(), 4096);

    for bad in [
        "10.2.0.0/33",
        "10.2.0/16",
        "10.2.0.0",
        "256.0.0.0/8",
        "10.2.0.0/-1",
        "",
    ] {
        assert!(Cidr::parse(bad).is_err(), "{bad:?} must be refused");
    }
}

#[test]
fn ids_refuse_text_that_could_break_exports_or_markup() {
    assert!(NodeId::new("subnet-public-a").is_ok());
    assert!(NodeId::new("a.b_c-1").is_ok());
    for bad in [
        "",
        "has space",
        "<img>",
        "quote\"",
        "ünicode",
        &"x".repeat(65),
    ] {
        assert!(NodeId::new(bad).is_err(), "{bad:?} must be refused");
    }
}

#[test]
fn kind_names_are_unique_and_parse_back() {
    let names: BTreeSet<&str> = KindTag::ALL.iter().map(|tag| tag.as_str()).collect();
    assert_eq!(names.len(), KindTag::ALL.len());
    for tag in KindTag::ALL {
        assert_eq!(KindTag::parse(tag.as_str()), Some(tag));
    }
}

#[test]
fn generated_diagrams_are_consistent_and_clean_at_every_size() {
    for size in [100, 500, 2_000] {
        let diagram = templates::generated(size);
        assert!(
            diagram.nodes.len() <= size && diagram.nodes.len() + 25 > size,
            "{size}: {} nodes",
            diagram.nodes.len()
        );
        let back =
            decode_file(&encode_file(&diagram)).unwrap_or_else(|error| panic!("{size}: {error}"));
        assert_eq!(back, diagram);
        let analysis = stackdraw::domain::validate::analyze(&diagram);
        let errors: Vec<&str> = analysis
            .diagnostics
            .iter()
            .filter(|d| d.severity == stackdraw::domain::validate::Severity::Error)
            .map(|d| d.message.as_str())
            .collect();
        assert!(errors.is_empty(), "{size}: {errors:?}");
        assert!(analysis.flows.iter().all(|flow| flow.reachable));
    }
}

#[test]
fn the_hostile_fixture_is_current_and_round_trips() {
    let diagram = hostile();
    let text = encode_file(&diagram);
    assert_matches_file("hostile.json", &text);
    assert_eq!(decode_file(&text).unwrap(), diagram);
}

#[test]
fn every_template_is_free_of_errors_and_every_flow_gets_through() {
    for template in TEMPLATES {
        let analysis = stackdraw::domain::validate::analyze(&template.build());
        let errors: Vec<&str> = analysis
            .diagnostics
            .iter()
            .filter(|d| d.severity == stackdraw::domain::validate::Severity::Error)
            .map(|d| d.message.as_str())
            .collect();
        assert!(errors.is_empty(), "{}: {errors:#?}", template.name);
        assert!(
            analysis.flows.iter().all(|flow| flow.reachable),
            "{}",
            template.name
        );
        assert!(
            analysis.scopes.iter().all(|scope| scope.holds),
            "{}",
            template.name
        );
    }
    assert!(
        TEMPLATES.len() >= 4,
        "blank, the seed and at least two more"
    );
}

#[test]
fn the_network_extras_fixture_is_current_and_free_of_errors() {
    let diagram = crate::support::network_extras();
    let text = encode_file(&diagram);
    assert_matches_file("network-extras.json", &text);
    assert_eq!(decode_file(&text).unwrap(), diagram);
    let analysis = stackdraw::domain::validate::analyze(&diagram);
    let errors: Vec<&str> = analysis
        .diagnostics
        .iter()
        .filter(|d| d.severity == stackdraw::domain::validate::Severity::Error)
        .map(|d| d.message.as_str())
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    assert!(analysis.flows.iter().all(|flow| flow.reachable));
}

/// The kinds the palette shows for a search.
fn found(query: &str) -> Vec<KindTag> {
    KindTag::ALL
        .into_iter()
        .filter(|kind| kind.matches_search(query))
        .collect()
}

#[test]
fn the_palette_finds_kinds_by_the_words_people_use() {
    for (query, kind) in [
        ("postgres", KindTag::AuroraCluster),
        ("rds", KindTag::AuroraCluster),
        ("mysql", KindTag::AuroraCluster),
        ("lb", KindTag::LoadBalancer),
        ("elb", KindTag::LoadBalancer),
        ("container", KindTag::FargateService),
        ("ecs", KindTag::EcsCluster),
        ("cdn", KindTag::CloudFront),
        ("dns", KindTag::Route53Zone),
        ("ssl", KindTag::AcmCertificate),
        ("firewall", KindTag::SecurityGroup),
        ("NAT Gate", KindTag::NatGateway),
        ("  Aurora ", KindTag::AuroraCluster),
        ("route table", KindTag::RouteTable),
    ] {
        assert!(
            found(query).contains(&kind),
            "{query:?} finds {kind:?}: {:?}",
            found(query)
        );
    }
    // Every word must match: "nat gateway" is not the internet gateway.
    assert_eq!(found("nat gateway"), vec![KindTag::NatGateway]);
    // Words match from their start, so a fragment inside a word does not.
    assert!(found("way").is_empty(), "{:?}", found("way"));
    assert!(found("zzz").is_empty());
    // An empty search shows everything.
    assert_eq!(found("").len(), KindTag::ALL.len());
}
