//! Importing Terraform: variables, locals, `count`/`for_each`, functions,
//! modules and the provider's argument names come out as the same nodes a
//! CloudFormation import draws; real modules written elsewhere keep every
//! resource block python-hcl2 counts; hostile modules are refused with a
//! file and a line. (The exporters' own modules come back with the same
//! verdicts: `import::an_exported_template_imports_…`.)

use stackdraw::domain::import::report::Outcome;
use stackdraw::domain::import::{import_terraform, tf, Imported, Options};
use stackdraw::domain::model::*;
use stackdraw::domain::validate::analyze;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

fn import(files: &[(&str, &str)], variables: &[(&str, &str)]) -> Imported {
    let files: Vec<(String, String)> = files
        .iter()
        .map(|(p, t)| (p.to_string(), t.to_string()))
        .collect();
    let options = Options {
        variables: variables
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect(),
        ..Options::default()
    };
    import_terraform(&files, &options).unwrap_or_else(|e| panic!("{e}"))
}

fn node<'d>(diagram: &'d Diagram, name: &str) -> &'d Node {
    diagram
        .nodes
        .iter()
        .find(|n| n.name == name)
        .unwrap_or_else(|| {
            panic!(
                "no node {name}: {:?}",
                diagram.nodes.iter().map(|n| &n.name).collect::<Vec<_>>()
            )
        })
}

const MODULE: &str = r#"
variable "cidr" {
  type    = string
  default = "10.40.0.0/16"
}
variable "zones" {
  type    = list(string)
  default = ["eu-west-1a", "eu-west-1b"]
}
variable "admin" {}

provider "aws" {
  region = "eu-west-1"
}

locals {
  name    = "shop"
  tiers   = { web = 0, app = 1 }
  subnets = { for i, zone in var.zones : zone => cidrsubnet(var.cidr, 8, i) }
}

resource "aws_vpc" "main" {
  cidr_block           = var.cidr
  enable_dns_hostnames = true
  tags = {
    Name = "${local.name}-vpc"
  }
}

resource "aws_internet_gateway" "gw" {
  vpc_id = aws_vpc.main.id
}

resource "aws_subnet" "public" {
  count             = length(var.zones)
  vpc_id            = aws_vpc.main.id
  cidr_block        = cidrsubnet(aws_vpc.main.cidr_block, 8, count.index + 10)
  availability_zone = element(var.zones, count.index)
  tags              = { Name = format("%s-public-%d", local.name, count.index) }
}

resource "aws_subnet" "private" {
  for_each          = local.subnets
  vpc_id            = "${aws_vpc.main.id}"
  cidr_block        = each.value
  availability_zone = each.key
  tags              = { Name = "private-${each.key}" }
}

resource "aws_route_table" "public" {
  vpc_id = aws_vpc.main.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.gw.id
  }
}

resource "aws_route_table_association" "public" {
  count          = length(aws_subnet.public)
  subnet_id      = aws_subnet.public[count.index].id
  route_table_id = aws_route_table.public.id
}

resource "aws_security_group" "alb" {
  name   = "alb"
  vpc_id = aws_vpc.main.id
  dynamic "ingress" {
    for_each = [80, 443]
    content {
      from_port   = ingress.value
      to_port     = ingress.value
      protocol    = "tcp"
      cidr_blocks = ["0.0.0.0/0"]
    }
  }
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = [var.cidr]
  }
}

resource "aws_security_group" "app" {
  name   = "app"
  vpc_id = aws_vpc.main.id
}

resource "aws_security_group_rule" "app_from_alb" {
  type                     = "ingress"
  security_group_id        = aws_security_group.app.id
  from_port                = 8080
  to_port                  = 8080
  protocol                 = "tcp"
  source_security_group_id = aws_security_group.alb.id
}

resource "aws_security_group_rule" "app_admin" {
  type              = "ingress"
  security_group_id = aws_security_group.app.id
  from_port         = 22
  to_port           = 22
  protocol          = "tcp"
  cidr_blocks       = [var.admin, "198.51.100.0/24"]
}

resource "aws_vpc_security_group_ingress_rule" "app_self" {
  security_group_id            = aws_security_group.app.id
  ip_protocol                  = "tcp"
  from_port                    = 9000
  to_port                      = 9000
  referenced_security_group_id = aws_security_group.app.id
}

resource "aws_alb" "web" {
  internal        = false
  subnets         = aws_subnet.public[*].id
  security_groups = [aws_security_group.alb.id]
  tags            = { Name = "web" }
}

resource "aws_alb_target_group" "app" {
  port        = 8080
  protocol    = "HTTP"
  target_type = "ip"
  vpc_id      = aws_vpc.main.id
  health_check {
    path = "/up"
  }
}

resource "aws_alb_listener" "http" {
  load_balancer_arn = aws_alb.web.arn
  port              = 80
  protocol          = "HTTP"
  default_action {
    type             = "forward"
    target_group_arn = aws_alb_target_group.app.arn
  }
}

resource "aws_ecs_cluster" "main" {
  name = "${local.name}-cluster"
}

resource "aws_ecs_task_definition" "app" {
  family                = "app"
  cpu                   = 512
  memory                = 1024
  container_definitions = <<-JSON
    [
      {
        "name": "app",
        "image": "nginx:1.27",
        "portMappings": [{ "containerPort": 8080 }],
        "environment": [{ "name": "MODE", "value": "${upper("live")}" }]
      }
    ]
  JSON
}

resource "aws_ecs_service" "app" {
  name            = "app"
  cluster         = aws_ecs_cluster.main.name
  task_definition = "${aws_ecs_task_definition.app.family}:${aws_ecs_task_definition.app.revision}"
  desired_count   = 2
  network_configuration {
    subnets         = [for s in aws_subnet.private : s.id]
    security_groups = [aws_security_group.app.id]
  }
  load_balancer {
    target_group_arn = aws_alb_target_group.app.arn
    container_name   = "app"
    container_port   = 8080
  }
}

data "aws_ami" "linux" {
  most_recent = true
}

resource "aws_iam_role" "task" {
  name               = "task"
  assume_role_policy = jsonencode({ Version = "2012-10-17", Statement = [] })
}
"#;

#[test]
fn variables_locals_count_for_each_and_functions_are_evaluated() {
    let imported = import(&[("shop/main.tf", MODULE)], &[("admin", "203.0.113.7/32")]);
    let d = &imported.diagram;
    assert_eq!(d.region, "eu-west-1", "the provider's region");
    let NodeKind::Vpc(vpc) = &node(d, "shop-vpc").kind else {
        panic!("a VPC")
    };
    assert_eq!(vpc.cidr.to_string(), "10.40.0.0/16");
    assert!(vpc.dns_hostnames);
    // count: cidrsubnet of another resource's argument, element, format.
    for (i, zone) in ["eu-west-1a", "eu-west-1b"].iter().enumerate() {
        let NodeKind::Subnet(s) = &node(d, &format!("shop-public-{i}")).kind else {
            panic!("a subnet")
        };
        assert_eq!(
            (s.cidr.to_string(), s.az.as_str()),
            (format!("10.40.{}.0/24", 10 + i), *zone)
        );
        assert!(s.route_table.is_some(), "associated by count.index");
        // for_each over a local built by a for expression.
        let NodeKind::Subnet(p) = &node(d, &format!("private-{zone}")).kind else {
            panic!("a subnet")
        };
        assert_eq!(p.cidr.to_string(), format!("10.40.{i}.0/24"));
    }
    assert!(
        d.is_public_subnet(&node(d, "shop-public-0").id),
        "inline route to the gateway"
    );
    // Security groups: dynamic blocks, egress inline, rules as resources
    // (several blocks in one, self).
    let NodeKind::SecurityGroup(alb) = &node(d, "alb").kind else {
        panic!("a group")
    };
    let ports: BTreeSet<u16> = alb.ingress.iter().map(|r| r.from_port).collect();
    assert_eq!(ports, BTreeSet::from([80, 443]));
    assert_eq!(alb.egress.len(), 1);
    assert!(matches!(&alb.egress[0].peer, Peer::Cidr(c) if c.to_string() == "10.40.0.0/16"));
    let NodeKind::SecurityGroup(app) = &node(d, "app").kind else {
        panic!("a group")
    };
    let peers: BTreeSet<String> = app
        .ingress
        .iter()
        .map(|r| match &r.peer {
            Peer::Cidr(c) => format!("{}:{}", c, r.from_port),
            Peer::SecurityGroup(g) => format!("{}:{}", d.node(g).unwrap().name, r.from_port),
        })
        .collect();
    assert_eq!(
        peers,
        BTreeSet::from([
            "alb:8080".to_string(),
            "203.0.113.7/32:22".into(),
            "198.51.100.0/24:22".into(),
            "app:9000".into()
        ])
    );
    assert!(
        app.egress.is_empty(),
        "Terraform removes AWS's default egress rule"
    );
    // The aws_alb aliases, a listener forwarding to the service's group.
    let NodeKind::LoadBalancer(lb) = &node(d, "web").kind else {
        panic!("a load balancer")
    };
    assert_eq!(lb.subnets.len(), 2, "a splat of the counted subnets");
    assert_eq!(lb.listeners.len(), 1);
    assert_eq!(
        lb.target_groups[0].health_check.path.as_deref(),
        Some("/up")
    );
    let service = d
        .nodes_of(KindTag::FargateService)
        .next()
        .expect("the service")
        .id
        .clone();
    let NodeKind::FargateService(f) = &d.node(&service).unwrap().kind else {
        panic!("a service")
    };
    // A task definition named in text, a heredoc of JSON with a function.
    assert_eq!((f.cpu, f.memory, f.desired_count), (512, 1024, 2));
    assert_eq!(f.containers[0].port, Some(8080));
    assert!(
        matches!(&f.containers[0].environment[0].value, EnvironmentValue::Text(t) if t == "LIVE")
    );
    assert_eq!(
        f.subnets.len(),
        2,
        "a for expression over for_each instances"
    );
    assert!(f.cluster.is_some(), "the cluster named by its name");
    assert_eq!(
        lb.target_groups[0]
            .target
            .as_ref()
            .map(|t| t.service.clone()),
        Some(service.clone())
    );
    // Traffic from the groups: the load balancer reaches the service.
    let analysis = analyze(d);
    assert!(analysis
        .flows
        .iter()
        .any(|flow| flow.to.as_ref() == Some(&service) && flow.port == 8080));
    // The report: Terraform's types, data sources and unknown kinds named.
    let outcome = |id: &str| {
        imported
            .report
            .items
            .iter()
            .find(|i| i.logical_id == id)
            .unwrap_or_else(|| panic!("{id} in the report"))
            .clone()
    };
    assert_eq!(outcome("aws_vpc.main").resource_type, "aws_vpc");
    assert!(
        matches!(outcome("aws_iam_role.task").outcome, Outcome::Other(why) if why.contains("aws_iam_role"))
    );
    assert!(
        matches!(outcome("data.aws_ami.linux").outcome, Outcome::Other(why) if why.contains("plan time"))
    );
    assert!(matches!(
        outcome("aws_security_group_rule.app_admin").outcome,
        Outcome::Folded(_)
    ));
    assert_eq!(outcome("aws_subnet.public.1").line, 34, "its block's line");
}

#[test]
fn a_variable_without_a_value_is_unknown_and_reported() {
    let imported = import(&[("main.tf", MODULE)], &[]);
    assert_eq!(imported.report.missing_variables, vec!["admin".to_string()]);
    let text = imported.report.text();
    assert!(text.contains("--var admin=VALUE"), "{text}");
    // The rule with the unknown block keeps its other block.
    let NodeKind::SecurityGroup(app) = &node(&imported.diagram, "app").kind else {
        panic!("a group")
    };
    assert!(app
        .ingress
        .iter()
        .any(|r| matches!(&r.peer, Peer::Cidr(c) if c.to_string() == "198.51.100.0/24")));
    // The rule's unknown block is a placeholder on the canvas, beside its
    // group, and the analysis says what it cannot know instead of guessing.
    let d = &imported.diagram;
    let rule = d
        .node(&NodeId::new("aws_security_group_rule.app_admin").unwrap())
        .expect("a placeholder for the rule");
    let NodeKind::OtherResource(other) = &rule.kind else {
        panic!("an other resource")
    };
    assert!(other.placeholder);
    assert!(
        other.note.contains("variable admin has no value"),
        "{}",
        other.note
    );
    assert_eq!(other.refers_to, vec![node(d, "app").id.clone()]);
    let said = analyze(d)
        .diagnostics
        .into_iter()
        .find(|x| x.rule == 54 && x.nodes[0] == rule.id)
        .expect("VR-54 on the placeholder");
    assert!(
        said.message.contains("variable admin has no value"),
        "{}",
        said.message
    );
    // A list variable given on the command line, as JSON.
    let imported = import(
        &[("main.tf", MODULE)],
        &[
            ("admin", "203.0.113.7/32"),
            ("zones", r#"["eu-west-1a","eu-west-1b","eu-west-1c"]"#),
        ],
    );
    assert_eq!(imported.diagram.nodes_of(KindTag::Subnet).count(), 6);
}

#[test]
fn local_modules_are_expanded_and_registry_modules_are_placeholders() {
    let root = r#"
module "network" {
  source = "./modules/network"
  cidr   = "10.50.0.0/16"
  zones  = ["us-east-1a", "us-east-1b"]
}
module "db" {
  source  = "terraform-aws-modules/rds-aurora/aws"
  version = "9.0.0"
  vpc_id  = module.network.vpc_id
}
resource "aws_security_group" "edge" {
  vpc_id = module.network.vpc_id
  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
}
"#;
    let network = r#"
variable "cidr" {}
variable "zones" {}
resource "aws_vpc" "this" {
  cidr_block = var.cidr
}
resource "aws_subnet" "this" {
  count             = length(var.zones)
  vpc_id            = aws_vpc.this.id
  cidr_block        = cidrsubnet(var.cidr, 4, count.index)
  availability_zone = var.zones[count.index]
}
output "vpc_id" {
  value = aws_vpc.this.id
}
"#;
    let imported = import(
        &[
            ("app/main.tf", root),
            ("app/modules/network/main.tf", network),
        ],
        &[],
    );
    let d = &imported.diagram;
    assert_eq!(d.nodes_of(KindTag::Subnet).count(), 2);
    let vpc = d.nodes_of(KindTag::Vpc).next().expect("the module's VPC");
    assert_eq!(vpc.id.as_str(), "module.network.aws_vpc.this");
    let NodeKind::SecurityGroup(edge) = &node(d, "edge").kind else {
        panic!("a group")
    };
    assert_eq!(edge.vpc, vpc.id, "the module's output");
    let db = imported
        .report
        .items
        .iter()
        .find(|i| i.logical_id == "module.db")
        .expect("the registry module in the report");
    assert!(
        matches!(&db.outcome, Outcome::Other(why) if why.contains("terraform init") && why.contains("vpc_id = module.network.vpc_id")),
        "{db:?}"
    );
    let subnet = imported
        .report
        .items
        .iter()
        .find(|i| i.logical_id == "module.network.aws_subnet.this.1")
        .unwrap();
    assert_eq!(subnet.file, "modules/network/main.tf");
}

#[test]
fn hostile_modules_are_refused_with_a_file_and_a_line() {
    let cases: Vec<(&str, String, &str, usize)> = vec![
        ("broken HCL", "resource \"aws_vpc\" \"a\" {\n  cidr_block = \n".into(), "not HCL", 0),
        (
            "a cycle of locals",
            "locals {\n  a = local.b\n  b = local.a\n}\nresource \"aws_vpc\" \"v\" {\n  cidr_block = local.a\n}\n".into(),
            "cycle",
            0,
        ),
        (
            "a resource referring to itself",
            "resource \"aws_vpc\" \"v\" {\n  cidr_block = aws_vpc.v.cidr_block\n}\n".into(),
            "cycle",
            1,
        ),
        (
            "deep nesting",
            format!("locals {{\n  a = {}1{}\n}}\n", "[".repeat(400), "]".repeat(400)),
            "nest more than",
            2,
        ),
        (
            "an undeclared variable",
            "resource \"aws_vpc\" \"v\" {\n  cidr_block = var.nope\n}\n".into(),
            "variable nope is not declared",
            2,
        ),
        (
            "a huge count",
            "resource \"aws_vpc\" \"v\" {\n  count = 100000\n  cidr_block = \"10.0.0.0/16\"\n}\n".into(),
            "at most",
            2,
        ),
        (
            "a bad cidrsubnet",
            "resource \"aws_subnet\" \"s\" {\n  cidr_block = cidrsubnet(\"10.0.0.0/30\", 8, 1)\n}\n".into(),
            "cidrsubnet",
            2,
        ),
        (
            "too large",
            format!("# {}\n", "x".repeat(stackdraw::domain::import::MAX_BYTES)),
            "more than the",
            1,
        ),
    ];
    for (what, text, expected, line) in cases {
        let files = vec![("bad.tf".to_string(), text)];
        match import_terraform(&files, &Options::default()) {
            Ok(_) => panic!("{what}: imported"),
            Err(error) => {
                assert!(error.message.contains(expected), "{what}: {error}");
                assert_eq!(error.file, "bad.tf", "{what}");
                if line > 0 {
                    assert_eq!(error.line, line, "{what}: {error}");
                } else {
                    assert!(error.line >= 1, "{what}");
                }
            }
        }
    }
}

/// Files of a module's folder and of the local modules it calls, as the
/// CLI reads them.
fn module_files(folder: &Path, out: &mut Vec<(String, String)>) {
    let mut paths: Vec<_> = std::fs::read_dir(folder)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "tf"))
        .collect();
    paths.sort();
    for path in paths {
        let canonical = path.canonicalize().unwrap().display().to_string();
        if out.iter().any(|(p, _)| *p == canonical) {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let sources = tf::local_sources(&tf::SourceFile {
            path: canonical.clone(),
            text: text.clone(),
        });
        out.push((canonical, text));
        for source in sources {
            module_files(Path::new(&source), out);
        }
    }
}

/// Real modules written elsewhere (tests/fixtures/import/terraform, with
/// their licence and origin): every resource block python-hcl2 counts, in
/// the example and the local modules it calls, is evaluated; every
/// instance is in the report; the diagram is whole.
#[test]
fn no_resource_of_a_real_module_goes_missing() {
    let corpus = crate::support::fixture_path("import/terraform");
    let counts: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(corpus.join("counts.json")).unwrap())
            .unwrap();
    let counts = counts.as_object().unwrap();
    assert!(
        counts.len() >= 3,
        "the corpus has {} examples",
        counts.len()
    );
    for (example, expected) in counts {
        let folder = corpus.join(example).canonicalize().unwrap();
        let mut files = Vec::new();
        module_files(&folder, &mut files);
        let root = folder.display().to_string();
        let sources: Vec<tf::SourceFile> = files
            .iter()
            .map(|(path, text)| tf::SourceFile {
                path: path.clone(),
                text: text.clone(),
            })
            .collect();
        let evaluated = tf::evaluate(&sources, &BTreeMap::new(), None, Some(&root))
            .unwrap_or_else(|e| panic!("{example}: {}:{}: {}", e.file, e.line, e.message));
        // Blocks: addresses without their instance keys.
        let mut blocks: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for instance in &evaluated.instances {
            let block = instance
                .address
                .split_once('[')
                .map_or(instance.address.as_str(), |(b, _)| b);
            blocks
                .entry(instance.resource_type.clone())
                .or_default()
                .insert(block.to_string());
        }
        let by_type: BTreeMap<String, u64> = blocks
            .iter()
            .map(|(kind, set)| (kind.clone(), set.len() as u64))
            .collect();
        let expected: BTreeMap<String, u64> = expected
            .as_object()
            .unwrap()
            .iter()
            .map(|(kind, n)| (kind.clone(), n.as_u64().unwrap()))
            .collect();
        assert_eq!(by_type, expected, "{example}");
        let options = Options {
            root: root.clone(),
            ..Options::default()
        };
        let imported = import_terraform(&files, &options).unwrap_or_else(|e| panic!("{e}"));
        let reported: BTreeSet<&str> = imported
            .report
            .items
            .iter()
            .map(|i| i.logical_id.as_str())
            .collect();
        for instance in &evaluated.instances {
            assert!(
                reported.contains(instance.id.as_str()),
                "{example}: {} is not in the report",
                instance.address
            );
        }
        for item in &imported.report.items {
            if let Outcome::NotDrawn(why) = &item.outcome {
                assert!(
                    !why.is_empty(),
                    "{example}: {} has no reason",
                    item.logical_id
                );
            }
        }
        stackdraw::domain::codec::decode_file(&stackdraw::domain::codec::encode_file(
            &imported.diagram,
        ))
        .unwrap_or_else(|e| panic!("{example}: {e}"));
        println!(
            "{example}: {} instances, {} drawn",
            evaluated.instances.len(),
            imported.report.count(|o| *o == Outcome::Mapped)
        );
    }
}

#[test]
fn a_registry_module_terraform_init_downloaded_is_expanded() {
    let root = r#"
module "vpc" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "5.0.0"
  cidr    = "10.9.0.0/16"
}
"#;
    let manifest = r#"{"Modules":[{"Key":"","Source":"","Dir":"."},{"Key":"vpc","Source":"registry.terraform.io/terraform-aws-modules/vpc/aws","Version":"5.0.0","Dir":".terraform/modules/vpc"}]}"#;
    let module = r#"
variable "cidr" {}
resource "aws_vpc" "this" {
  cidr_block = var.cidr
}
"#;
    let imported = import(
        &[
            ("app/main.tf", root),
            ("app/.terraform/modules/modules.json", manifest),
            ("app/.terraform/modules/vpc/main.tf", module),
        ],
        &[],
    );
    let vpc = imported
        .diagram
        .nodes_of(KindTag::Vpc)
        .next()
        .expect("the downloaded module's VPC");
    assert_eq!(vpc.id.as_str(), "module.vpc.aws_vpc.this");
    let NodeKind::Vpc(vpc) = &vpc.kind else {
        unreachable!()
    };
    assert_eq!(
        vpc.cidr.to_string(),
        "10.9.0.0/16",
        "the input the root gives"
    );
    assert!(imported
        .diagram
        .nodes_of(KindTag::OtherResource)
        .next()
        .is_none());
}

/// Routes stackdraw cannot analyse (to a transit gateway, or to a block a
/// variable without a value holds) are placeholders beside their table,
/// not dropped; the routes it can analyse stay routes.
#[test]
fn routes_it_cannot_analyse_are_placeholders_beside_their_table() {
    let module = r#"
variable "office" {}
resource "aws_vpc" "main" {
  cidr_block = "10.70.0.0/16"
}
resource "aws_internet_gateway" "gw" {
  vpc_id = aws_vpc.main.id
}
resource "aws_ec2_transit_gateway" "hub" {}
resource "aws_route_table" "main" {
  vpc_id = aws_vpc.main.id
  route {
    cidr_block = "0.0.0.0/0"
    gateway_id = aws_internet_gateway.gw.id
  }
  route {
    cidr_block         = "10.0.0.0/8"
    transit_gateway_id = aws_ec2_transit_gateway.hub.id
  }
}
resource "aws_route" "office" {
  route_table_id         = aws_route_table.main.id
  destination_cidr_block = var.office
  gateway_id             = aws_internet_gateway.gw.id
}
"#;
    let imported = import(&[("main.tf", module)], &[]);
    let d = &imported.diagram;
    let table = d
        .node(&NodeId::new("aws_route_table.main").unwrap())
        .unwrap();
    let NodeKind::RouteTable(routes) = &table.kind else {
        panic!("the route table")
    };
    assert_eq!(routes.routes.len(), 1, "the route to the gateway");
    let placeholder = |id: &str| match &d.node(&NodeId::new(id).unwrap()).map(|n| &n.kind) {
        Some(NodeKind::OtherResource(other)) => other.clone(),
        other => panic!("{id}: {other:?}"),
    };
    let hub = placeholder("aws_route_table.main.route-2");
    assert!(
        hub.placeholder && hub.note.contains("TransitGatewayId"),
        "{}",
        hub.note
    );
    assert!(hub.refers_to.contains(&table.id));
    let office = placeholder("aws_route.office");
    assert!(
        office.note.contains("variable office has no value"),
        "{}",
        office.note
    );
    let item = imported
        .report
        .items
        .iter()
        .find(|i| i.logical_id == "aws_route.office")
        .unwrap();
    assert!(matches!(&item.outcome, Outcome::Other(why) if why.contains("variable office")));
}

/// The regular expressions modules use to tell values apart are evaluated;
/// a pattern beyond what is read (a group) is an unknown that says so, and
/// the subnet's zone becomes a placeholder instead of a guess.
#[test]
fn simple_regular_expressions_evaluate_and_others_are_said_unknown() {
    let module = r#"
resource "aws_vpc" "main" {
  cidr_block = "10.80.0.0/16"
}
resource "aws_subnet" "by_name" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.80.0.0/24"
  availability_zone = length(regexall("^[a-z]{2}-[a-z]+-\\d$", "eu-west-1")) > 0 ? "eu-west-1b" : "eu-west-1c"
}
resource "aws_subnet" "by_id" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.80.1.0/24"
  availability_zone = can(regex("^use1-az[0-9]+$", "eu-west-1a")) ? "eu-west-1a" : regex("[a-z]+-[a-z]+-1[abc]", "zone eu-west-1c here")
}
resource "aws_subnet" "grouped" {
  vpc_id            = aws_vpc.main.id
  cidr_block        = "10.80.2.0/24"
  availability_zone = regex("(eu|us)-west-1a", "eu-west-1a")
}
"#;
    let imported = import(&[("main.tf", module)], &[]);
    let d = &imported.diagram;
    let zone = |id: &str| match &d.node(&NodeId::new(id).unwrap()).unwrap().kind {
        NodeKind::Subnet(s) => s.az.clone(),
        other => panic!("{other:?}"),
    };
    assert_eq!(zone("aws_subnet.by_name"), "eu-west-1b");
    assert_eq!(zone("aws_subnet.by_id"), "eu-west-1c");
    let placeholder = d
        .node(&NodeId::new("aws_subnet.grouped.zone").unwrap())
        .expect("the zone not known is a placeholder");
    let NodeKind::OtherResource(other) = &placeholder.kind else {
        panic!("an other resource")
    };
    assert!(
        other.note.contains("regex with the pattern"),
        "{}",
        other.note
    );
}
