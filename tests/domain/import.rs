//! Importing CloudFormation: the exporters' own templates come back with
//! the same network, the same traffic verdicts and the same problems; what
//! is not drawn is reported, never dropped; hostile templates are refused
//! with a line, never a panic.

use stackdraw::domain::export::{self, Format};
use stackdraw::domain::import::report::Outcome;
use stackdraw::domain::import::{import_cloudformation, tree, Options};
use stackdraw::domain::model::*;
use stackdraw::domain::templates;
use stackdraw::domain::validate::{analyze, Analysis};
use std::collections::BTreeSet;

/// The kinds the importer draws so far; the rest are reported as not drawn.
const IMPORTED: &[KindTag] = &[
    KindTag::Vpc,
    KindTag::Subnet,
    KindTag::InternetGateway,
    KindTag::NatGateway,
    KindTag::RouteTable,
    KindTag::SecurityGroup,
    KindTag::LoadBalancer,
    KindTag::EcsCluster,
    KindTag::FargateService,
    KindTag::AuroraCluster,
    KindTag::RdsInstance,
    KindTag::Bastion,
    KindTag::S3Bucket,
    KindTag::EcrRepository,
    KindTag::AcmCertificate,
    KindTag::VpcEndpoint,
    KindTag::VpcPeering,
    KindTag::NetworkAcl,
    KindTag::CloudFront,
    KindTag::Route53Zone,
];

fn exported(diagram: &Diagram, format: Format) -> String {
    let analysis = analyze(diagram);
    let files = export::bundle(diagram, &analysis, format);
    let template = files
        .iter()
        .find(|f| f.path.starts_with("cloudformation"))
        .expect("a template");
    template.contents.clone()
}

fn import(
    diagram: &Diagram,
    format: Format,
) -> (Diagram, stackdraw::domain::import::report::Report) {
    let options = Options {
        region: diagram.region.clone(),
        ..Options::default()
    };
    let imported = if format == Format::Terraform {
        let analysis = analyze(diagram);
        let files: Vec<(String, String)> = export::bundle(diagram, &analysis, format)
            .into_iter()
            .filter(|f| f.path.ends_with(".tf"))
            .map(|f| (f.path, f.contents))
            .collect();
        stackdraw::domain::import::import_terraform(&files, &Options::default())
    } else {
        import_cloudformation("template", &exported(diagram, format), &options)
    };
    let imported = imported.unwrap_or_else(|e| panic!("{}: {e}", diagram.name));
    (imported.diagram, imported.report)
}

/// Each subnet's block, zone and whether it is public.
fn subnets(diagram: &Diagram) -> BTreeSet<(String, String, bool)> {
    diagram
        .nodes
        .iter()
        .filter_map(|n| match &n.kind {
            NodeKind::Subnet(s) => Some((
                s.cidr.to_string(),
                s.az.clone(),
                diagram.is_public_subnet(&n.id),
            )),
            _ => None,
        })
        .collect()
}

/// An imported diagram reads without touching it: every icon inside its
/// container (an internet gateway sits on its VPC's border, as AWS draws
/// it: its centre is inside), no two icons on top of each other.
fn laid_out(diagram: &Diagram, what: &str) {
    use stackdraw::domain::scene::intersects;
    let vpcs: Vec<&Rect> = diagram
        .nodes_of(KindTag::Vpc)
        .filter_map(|n| diagram.layout.get(&n.id))
        .collect();
    for (at, a) in vpcs.iter().enumerate() {
        for b in &vpcs[at + 1..] {
            assert!(!intersects(a, b), "{what}: two VPCs overlap");
        }
    }
    let icons: Vec<(&NodeId, &Rect)> = diagram
        .layout
        .iter()
        .filter(|(id, _)| diagram.node(id).is_some_and(|n| !n.tag().is_container()))
        .collect();
    for (at, (id, rect)) in icons.iter().enumerate() {
        if let Some(parent) = diagram.container_of(id).and_then(|p| diagram.layout.get(p)) {
            let (x, y) = rect.center();
            assert!(
                x >= parent.x && x <= parent.right() && y >= parent.y && y <= parent.bottom(),
                "{what}: {id} at {rect:?} outside its container {parent:?}"
            );
        }
        for (other, other_rect) in &icons[at + 1..] {
            assert!(
                !intersects(rect, other_rect),
                "{what}: {id} on top of {other}"
            );
        }
    }
}

/// Each security group's and network ACL's rules, by name: the same
/// packets pass or stop.
fn filters(diagram: &Diagram) -> BTreeSet<String> {
    diagram
        .nodes
        .iter()
        .filter_map(|n| match &n.kind {
            NodeKind::SecurityGroup(g) => {
                let peers = |rules: &[SecurityGroupRule]| {
                    let mut out: Vec<String> = rules
                        .iter()
                        .map(|r| {
                            let peer = match &r.peer {
                                Peer::Cidr(cidr) => cidr.to_string(),
                                Peer::SecurityGroup(id) => {
                                    diagram.node(id).map_or(id.to_string(), |g| g.name.clone())
                                }
                            };
                            format!("{:?} {}-{} {peer}", r.protocol, r.from_port, r.to_port)
                        })
                        .collect();
                    out.sort();
                    out
                };
                Some(format!(
                    "group {}: in {:?} out {:?}",
                    n.name,
                    peers(&g.ingress),
                    peers(&g.egress)
                ))
            }
            NodeKind::NetworkAcl(acl) => Some(format!(
                "acl {}: {} subnets, in {:?}, out {:?}",
                n.name,
                acl.subnets.len(),
                acl.inbound,
                acl.outbound
            )),
            _ => None,
        })
        .collect()
}

/// A node as the verdicts name it: outside nodes by kind (their names are
/// the user's, which a template does not carry), the rest by name.
fn who(diagram: &Diagram, id: &NodeId) -> String {
    match diagram.node(id) {
        Some(node) if node.tag() == KindTag::Internet => "internet".into(),
        Some(node) => match &node.kind {
            NodeKind::ExternalClient(client) => client.cidr.to_string(),
            _ => node.name.clone(),
        },
        None => id.to_string(),
    }
}

/// Every drawn and implied flow's ends, port and verdict.
fn verdicts(diagram: &Diagram, analysis: &Analysis) -> BTreeSet<String> {
    analysis
        .flows
        .iter()
        .map(|flow| {
            format!(
                "{} -> {} {:?}/{}: {:?}",
                who(diagram, &flow.from),
                flow.to.as_ref().map_or("AWS".into(), |to| who(diagram, to)),
                flow.protocol,
                flow.port,
                flow.verdict
            )
        })
        .collect()
}

/// The rules that fire, for the kinds the importer draws.
fn problems(diagram: &Diagram, analysis: &Analysis) -> BTreeSet<u8> {
    analysis
        .diagnostics
        .iter()
        .filter(|d| {
            d.nodes.iter().all(|id| {
                diagram
                    .node(id)
                    .is_some_and(|n| IMPORTED.contains(&n.tag()))
            })
        })
        .map(|d| d.rule)
        .collect()
}

#[test]
fn an_exported_template_imports_as_the_same_network_with_the_same_verdicts() {
    let mut diagrams: Vec<Diagram> = templates::TEMPLATES.iter().map(|t| t.build()).collect();
    diagrams.push(crate::support::network_extras());
    for original in diagrams {
        for format in [
            Format::CloudFormationYaml,
            Format::CloudFormationJson,
            Format::Terraform,
        ] {
            let what = format!("{} ({format:?})", original.name);
            let (imported, report) = import(&original, format);
            for kind in IMPORTED {
                // A CloudFront certificate lives in us-east-1, outside the
                // stack: the template takes it as a parameter.
                // Terraform's module holds it, with its own region.
                let terraform = format == Format::Terraform;
                let in_stack = |d: &Diagram| {
                    d.nodes
                        .iter()
                        .filter(|n| n.tag() == *kind)
                        .filter(|n| terraform || !matches!(&n.kind, NodeKind::AcmCertificate(c) if c.region != d.region))
                        .count()
                };
                assert_eq!(in_stack(&imported), in_stack(&original), "{what}: {kind:?}");
            }
            assert_eq!(subnets(&imported), subnets(&original), "{what}");
            laid_out(&imported, &what);
            assert_eq!(
                filters(&imported),
                filters(&original),
                "{what}: groups and ACLs"
            );
            let (before, after) = (analyze(&original), analyze(&imported));
            let (expected, got) = (verdicts(&original, &before), verdicts(&imported, &after));
            assert!(
                expected.is_subset(&got),
                "{what}: flows lost or changed:\n{:#?}\nimported:\n{:#?}",
                expected.difference(&got).collect::<Vec<_>>(),
                got
            );
            assert_eq!(
                problems(&imported, &after),
                problems(&original, &before),
                "{what}: the rules that fire"
            );
            // Every resource of the template is in the report.
            assert!(report.items.iter().all(|item| !item.logical_id.is_empty()));
            let not_drawn = report.count(|o| matches!(o, Outcome::NotDrawn(_)));
            println!(
                "{what}: {} resources, {not_drawn} not drawn",
                report.items.len()
            );
        }
    }
}

#[test]
fn no_resource_of_a_template_goes_unreported() {
    let seed = templates::seed();
    let text = exported(&seed, Format::CloudFormationYaml);
    let imported = import_cloudformation("seed.yaml", &text, &Options::default()).unwrap();
    // Counted by another YAML reader (the exporter writes long forms,
    // which any YAML reader takes).
    let parsed: serde_json::Value = serde_saphyr::from_str(&text).unwrap();
    let declared = parsed["Resources"].as_object().unwrap().len();
    assert_eq!(imported.report.items.len(), declared);
    let ids: BTreeSet<&str> = imported
        .report
        .items
        .iter()
        .map(|i| i.logical_id.as_str())
        .collect();
    assert_eq!(ids.len(), declared, "each resource once");
}

#[test]
fn parameters_conditions_and_functions_are_evaluated() {
    let template = r#"
AWSTemplateFormatVersion: "2010-09-09"
Parameters:
  Block:
    Type: String
    Default: 10.8.0.0/16
  WithNat:
    Type: String
    Default: "no"
  Missing:
    Type: String
Mappings:
  Sizes:
    small:
      Bits: "8"
Conditions:
  MakeNat: !Equals [!Ref WithNat, "yes"]
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties:
      CidrBlock: !Ref Block
      Tags: [{ Key: Name, Value: !Sub "${AWS::Region}-main" }]
  A:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref Vpc
      CidrBlock: !Select [0, !Cidr [!GetAtt Vpc.CidrBlock, 4, !FindInMap [Sizes, small, Bits]]]
      AvailabilityZone: !Select [1, !GetAZs ""]
  B:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: { "Ref": "Vpc" }
      CidrBlock: { "Fn::Select": ["1", { "Fn::Cidr": ["10.8.0.0/16", "4", "8"] }] }
      AvailabilityZone: !Join ["", [!Ref "AWS::Region", "a"]]
  Nat:
    Type: AWS::EC2::NatGateway
    Condition: MakeNat
    Properties:
      SubnetId: !Ref A
  Stream:
    Type: AWS::Kinesis::Stream
    Properties:
      Name: !Ref Missing
"#;
    let options = Options {
        region: "eu-west-1".into(),
        ..Options::default()
    };
    let imported = import_cloudformation("t.yaml", template, &options).unwrap();
    let d = &imported.diagram;
    let vpc = d.nodes_of(KindTag::Vpc).next().unwrap();
    assert_eq!(vpc.name, "eu-west-1-main");
    let NodeKind::Vpc(facts) = &vpc.kind else {
        unreachable!()
    };
    assert_eq!(facts.cidr.to_string(), "10.8.0.0/16");
    let subnet = |id: &str| match &d.node_by_str(id).unwrap().kind {
        NodeKind::Subnet(s) => (s.cidr.to_string(), s.az.clone()),
        _ => unreachable!(),
    };
    // GetAtt of a VPC's block is the block it was given.
    assert_eq!(subnet("A"), ("10.8.0.0/24".into(), "eu-west-1b".into()));
    assert_eq!(subnet("B"), ("10.8.1.0/24".into(), "eu-west-1a".into()));
    let outcome = |imported: &stackdraw::domain::import::Imported, id: &str| {
        imported
            .report
            .items
            .iter()
            .find(|i| i.logical_id == id)
            .map(|i| i.outcome.clone())
            .unwrap()
    };
    assert!(
        matches!(outcome(&imported, "Nat"), Outcome::NotDrawn(why) if why.contains("condition is false"))
    );
    assert!(
        matches!(outcome(&imported, "Stream"), Outcome::Other(why) if why.contains("AWS::Kinesis::Stream"))
    );
    assert_eq!(imported.report.missing_parameters, ["Missing"]);
    // Given a value, the condition turns and the NAT gateway is drawn.
    let mut with_nat = options.clone();
    with_nat.parameters.insert("WithNat".into(), "yes".into());
    with_nat
        .parameters
        .insert("Block".into(), "10.9.0.0/16".into());
    let imported = import_cloudformation("t.yaml", template, &with_nat).unwrap();
    assert_eq!(outcome(&imported, "Nat"), Outcome::Mapped);
    let NodeKind::NatGateway(nat) = &imported.diagram.node_by_str("Nat").unwrap().kind else {
        unreachable!()
    };
    assert_eq!(nat.subnet.as_str(), "A");
    // What refers to a resource that is not drawn is not drawn either, and
    // says so: the diagram is always whole.
    let broken = template.replace("CidrBlock: !Ref Block", "CidrBlock: !Ref Missing");
    let imported = import_cloudformation("t.yaml", &broken, &with_nat).unwrap();
    // Only the topic stackdraw does not model stays, as an other resource.
    assert!(
        imported
            .diagram
            .nodes
            .iter()
            .all(|n| n.tag() == KindTag::OtherResource),
        "{:?}",
        imported.diagram.nodes
    );
    assert!(matches!(outcome(&imported, "Nat"), Outcome::NotDrawn(why) if why.contains("A")));
    stackdraw::domain::codec::decode_file(&stackdraw::domain::codec::encode_file(
        &imported.diagram,
    ))
    .expect("a whole diagram");
}

#[test]
fn hostile_templates_are_refused_with_a_line() {
    let cases: Vec<(&str, String, &str)> = vec![
        ("broken YAML", "Resources:\n  A: [1, 2\n".into(), "line"),
        ("no resources", "Parameters: {}\n".into(), "Resources section"),
        ("a list", "- 1\n- 2\n".into(), "mapping of sections"),
        (
            "an unknown function",
            "Resources:\n  A:\n    Type: AWS::EC2::VPC\n    Properties:\n      CidrBlock: !Frobnicate x\n".into(),
            "Fn::Frobnicate is not a CloudFormation function",
        ),
        (
            "a condition cycle",
            "Conditions:\n  A: !Condition B\n  B: !Condition A\nResources:\n  X:\n    Type: AWS::EC2::VPC\n".into(),
            "cycle",
        ),
        (
            "deep nesting",
            format!("Resources: {}{}", "[".repeat(500), "]".repeat(500)),
            "nested deeper",
        ),
        (
            "an alias bomb",
            {
                let mut text = String::from("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
                for level in 1..12 {
                    let previous = (b'a' + level - 1) as char;
                    let name = (b'a' + level) as char;
                    text.push_str(&format!("{name}: &{name} [*{previous}, *{previous}, *{previous}, *{previous}, *{previous}, *{previous}, *{previous}, *{previous}, *{previous}, *{previous}]\n"));
                }
                text.push_str("Resources: {}\n");
                text
            },
            "aliases expand it past",
        ),
        ("a duplicate key", "Resources: {}\nResources: {}\n".into(), "appears twice"),
        (
            "too large",
            format!("Resources: {{}}\n#{}\n", "x".repeat(stackdraw::domain::import::MAX_BYTES)),
            "more than the",
        ),
    ];
    for (what, text, expected) in cases {
        let error = import_cloudformation("bad.yaml", &text, &Options::default())
            .err()
            .unwrap_or_else(|| panic!("{what} was accepted"));
        assert!(
            error.to_string().contains(expected) && error.line >= 1,
            "{what}: {error}"
        );
    }
}

#[test]
fn names_too_long_or_blank_still_make_a_diagram_that_opens() {
    let long = "n".repeat(5_000);
    let template = format!(
        "Resources:\n  Vpc:\n    Type: AWS::EC2::VPC\n    Properties:\n      CidrBlock: 10.0.0.0/16\n      Tags: [{{ Key: Name, Value: {long} }}]\n  Other:\n    Type: AWS::EC2::VPC\n    Properties:\n      CidrBlock: 10.1.0.0/16\n      Tags: [{{ Key: Name, Value: '  ' }}]\n"
    );
    let imported = import_cloudformation("t.yaml", &template, &Options::default()).unwrap();
    let text = stackdraw::domain::codec::encode_file(&imported.diagram);
    let back = stackdraw::domain::codec::decode_file(&text).unwrap();
    assert_eq!(back.node_by_str("Vpc").unwrap().name.chars().count(), 1_024);
    assert_eq!(back.node_by_str("Other").unwrap().name, "Other");
}

#[test]
fn yaml_tags_and_lines_are_kept() {
    let root = tree::parse("A: !Ref B\nC:\n  - !Sub 'x-${B}'\n  - 2\n").unwrap();
    let a = root.get("A").unwrap();
    assert_eq!(
        (a.tag.as_deref(), a.as_str(), a.line),
        (Some("!Ref"), Some("B"), 1)
    );
    let c = root.get("C").unwrap().items();
    assert_eq!((c[0].tag.as_deref(), c[0].line), (Some("!Sub"), 3));
    assert_eq!((c[1].tag.as_deref(), c[1].as_str()), (None, Some("2")));
}

/// Real templates written elsewhere (tests/fixtures/import/corpus, with
/// their licence and origin): every resource cfn-lint's reader counts is in
/// the report, once, as drawn, folded or not drawn with a reason; and what
/// is drawn makes a whole diagram.
#[test]
fn no_resource_of_a_real_template_goes_missing() {
    let corpus = crate::support::fixture_path("import/corpus");
    let counts: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(corpus.join("counts.json")).unwrap())
            .unwrap();
    let counts = counts.as_object().unwrap();
    assert!(
        counts.len() >= 8,
        "the corpus has {} templates",
        counts.len()
    );
    for (file, expected) in counts {
        let text = std::fs::read_to_string(corpus.join(file)).unwrap();
        let imported = import_cloudformation(file, &text, &Options::default())
            .unwrap_or_else(|e| panic!("{e}"));
        let mut by_type: std::collections::BTreeMap<String, u64> = Default::default();
        for item in &imported.report.items {
            *by_type.entry(item.resource_type.clone()).or_default() += 1;
        }
        let expected: std::collections::BTreeMap<String, u64> = expected
            .as_object()
            .unwrap()
            .iter()
            .map(|(kind, n)| (kind.clone(), n.as_u64().unwrap()))
            .collect();
        assert_eq!(by_type, expected, "{file}");
        let ids: BTreeSet<&str> = imported
            .report
            .items
            .iter()
            .map(|i| i.logical_id.as_str())
            .collect();
        assert_eq!(
            ids.len(),
            imported.report.items.len(),
            "{file}: each resource once"
        );
        for item in &imported.report.items {
            if let Outcome::NotDrawn(why) = &item.outcome {
                assert!(!why.is_empty(), "{file}: {} has no reason", item.logical_id);
            }
        }
        stackdraw::domain::codec::decode_file(&stackdraw::domain::codec::encode_file(
            &imported.diagram,
        ))
        .unwrap_or_else(|e| panic!("{file}: {e}"));
        let drawn = imported.report.count(|o| *o == Outcome::Mapped);
        println!(
            "{file}: {} resources, {drawn} drawn",
            imported.report.items.len()
        );
    }
}

const NETWORK: &str = r#"
Parameters:
  Block: { Type: String, Default: 10.30.0.0/16 }
Resources:
  Vpc:
    Type: AWS::EC2::VPC
    Properties: { CidrBlock: !Ref Block }
  Subnet:
    Type: AWS::EC2::Subnet
    Properties:
      VpcId: !Ref Vpc
      CidrBlock: !Select [0, !Cidr [!Ref Block, 2, 8]]
      AvailabilityZone: !Sub "${AWS::Region}a"
  Group:
    Type: AWS::EC2::SecurityGroup
    Properties: { VpcId: !Ref Vpc, GroupDescription: network }
Outputs:
  VpcId:
    Value: !Ref Vpc
    Export: { Name: !Sub "${AWS::Region}-vpc" }
  SubnetId:
    Value: !Ref Subnet
    Export: { Name: shared-subnet }
"#;

const APP: &str = r#"
Resources:
  Group:
    Type: AWS::EC2::SecurityGroup
    Properties:
      VpcId: !ImportValue { "Fn::Sub": "${AWS::Region}-vpc" }
      GroupDescription: app
      SecurityGroupIngress: [{ IpProtocol: tcp, FromPort: 22, ToPort: 22, CidrIp: 198.51.100.7/32 }]
  Host:
    Type: AWS::EC2::Instance
    Properties:
      SubnetId: !ImportValue shared-subnet
      SecurityGroupIds: [!Ref Group]
"#;

#[test]
fn several_templates_share_what_they_export_and_keep_their_ids_apart() {
    use stackdraw::domain::import::import_templates;
    let files = vec![
        ("stacks/network.yaml".to_string(), NETWORK.to_string()),
        ("stacks/app.yaml".to_string(), APP.to_string()),
    ];
    let options = Options {
        region: "eu-west-1".into(),
        ..Options::default()
    };
    let imported = import_templates(&files, &options).unwrap();
    let d = &imported.diagram;
    assert_eq!(d.name, "network.yaml + app.yaml");
    // `Group` is in both: each is kept, under its file's name.
    let group = |id: &str| match &d.node_by_str(id).unwrap().kind {
        NodeKind::SecurityGroup(g) => g.description.clone(),
        _ => unreachable!(),
    };
    assert_eq!(group("network.Group"), "network");
    assert_eq!(group("app.Group"), "app");
    // The app's group and host live in the network's VPC and subnet.
    let NodeKind::SecurityGroup(app_group) = &d.node_by_str("app.Group").unwrap().kind else {
        unreachable!()
    };
    assert_eq!(app_group.vpc.as_str(), "Vpc");
    let NodeKind::Bastion(host) = &d.node_by_str("Host").unwrap().kind else {
        unreachable!()
    };
    assert_eq!(host.subnet.as_str(), "Subnet");
    assert_eq!(host.security_groups[0].as_str(), "app.Group");
    // Alone, the app cannot know its VPC: it says so instead of guessing.
    let alone = import_templates(&files[1..], &options).unwrap();
    assert!(alone.diagram.nodes.is_empty());
    assert!(alone
        .report
        .items
        .iter()
        .all(|i| matches!(&i.outcome, Outcome::NotDrawn(_))));
}

#[test]
fn a_nested_stack_is_the_file_its_url_names_with_the_parameters_it_is_passed() {
    use stackdraw::domain::import::import_templates;
    let parent = r#"
Resources:
  Network:
    Type: AWS::CloudFormation::Stack
    Properties:
      TemplateURL: https://example-bucket.s3.amazonaws.com/templates/network.yaml
      Parameters: { Block: 10.44.0.0/16 }
  Web:
    Type: AWS::EC2::SecurityGroup
    Properties:
      VpcId: !GetAtt Network.Outputs.VpcId
      GroupDescription: web
  Missing:
    Type: AWS::CloudFormation::Stack
    Properties:
      TemplateURL: https://example-bucket.s3.amazonaws.com/templates/elsewhere.yaml
"#;
    let files = vec![
        ("parent.yaml".to_string(), parent.to_string()),
        ("network.yaml".to_string(), NETWORK.to_string()),
    ];
    let imported = import_templates(&files, &Options::default()).unwrap();
    let d = &imported.diagram;
    let NodeKind::Vpc(vpc) = &d.node_by_str("Vpc").unwrap().kind else {
        unreachable!()
    };
    assert_eq!(
        vpc.cidr.to_string(),
        "10.44.0.0/16",
        "the parent's parameter"
    );
    let NodeKind::SecurityGroup(web) = &d.node_by_str("Web").unwrap().kind else {
        unreachable!()
    };
    assert_eq!(web.vpc.as_str(), "Vpc", "read from the child's outputs");
    let outcome = |id: &str| {
        imported
            .report
            .items
            .iter()
            .find(|i| i.logical_id == id)
            .unwrap()
            .outcome
            .clone()
    };
    assert!(matches!(outcome("Network"), Outcome::Folded(_)));
    assert!(matches!(outcome("Missing"), Outcome::Other(why) if why.contains("TemplateURL")));
    // A stack that nests itself is refused, not followed forever.
    let looping = vec![(
        "network.yaml".to_string(),
        "Resources:\n  Again:\n    Type: AWS::CloudFormation::Stack\n    Properties:\n      TemplateURL: network.yaml\n".to_string(),
    )];
    let error = import_templates(&looping, &Options::default())
        .err()
        .map(|e| e.to_string());
    assert!(error.is_some_and(|e| e.contains("cycle")));
}
