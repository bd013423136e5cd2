//! The CloudFormation template and the Terraform module of a diagram declare
//! the same infrastructure: the same resources by kind and count, the same
//! CIDR blocks, and the same security-group rules.

use crate::support::{every_kind, hostile};
use hcl::{BlockLabel, Expression};
use serde_json::Value;
use stackdraw::domain::export::{cloudformation, terraform};
use stackdraw::domain::model::Diagram;
use stackdraw::domain::templates;
use stackdraw::domain::validate::analyze;
use std::collections::BTreeMap;

/// CloudFormation types and the Terraform types that stand for them.
const SAME_KIND: &[(&str, &str)] = &[
    ("AWS::EC2::VPC", "aws_vpc"),
    (
        "AWS::EC2::VPCCidrBlock",
        "aws_vpc_ipv4_cidr_block_association",
    ),
    ("AWS::EC2::Subnet", "aws_subnet"),
    (
        "AWS::EC2::SubnetRouteTableAssociation",
        "aws_route_table_association",
    ),
    ("AWS::EC2::InternetGateway", "aws_internet_gateway"),
    ("AWS::EC2::EIP", "aws_eip"),
    ("AWS::EC2::NatGateway", "aws_nat_gateway"),
    ("AWS::EC2::RouteTable", "aws_route_table"),
    ("AWS::EC2::Route", "aws_route"),
    ("AWS::EC2::VPCEndpoint", "aws_vpc_endpoint"),
    ("AWS::EC2::SecurityGroup", "aws_security_group"),
    (
        "AWS::EC2::SecurityGroupIngress",
        "aws_vpc_security_group_ingress_rule",
    ),
    (
        "AWS::EC2::SecurityGroupEgress",
        "aws_vpc_security_group_egress_rule",
    ),
    (
        "AWS::EC2::VPCPeeringConnection",
        "aws_vpc_peering_connection",
    ),
    ("AWS::EC2::Instance", "aws_instance"),
    ("AWS::ElasticLoadBalancingV2::LoadBalancer", "aws_lb"),
    (
        "AWS::ElasticLoadBalancingV2::TargetGroup",
        "aws_lb_target_group",
    ),
    ("AWS::ElasticLoadBalancingV2::Listener", "aws_lb_listener"),
    ("AWS::ECS::Cluster", "aws_ecs_cluster"),
    ("AWS::ECS::TaskDefinition", "aws_ecs_task_definition"),
    ("AWS::ECS::Service", "aws_ecs_service"),
    ("AWS::Logs::LogGroup", "aws_cloudwatch_log_group"),
    ("AWS::IAM::Role", "aws_iam_role"),
    ("AWS::IAM::OIDCProvider", "aws_iam_openid_connect_provider"),
    ("AWS::RDS::DBSubnetGroup", "aws_db_subnet_group"),
    ("AWS::RDS::DBCluster", "aws_rds_cluster"),
    // A database instance of its own is an aws_db_instance; one in a
    // cluster, an aws_rds_cluster_instance (the default below).
    ("AWS::RDS::DBInstance", "aws_db_instance"),
    ("AWS::RDS::DBInstance", "aws_rds_cluster_instance"),
    ("AWS::ECR::Repository", "aws_ecr_repository"),
    ("AWS::S3::Bucket", "aws_s3_bucket"),
    ("AWS::S3::BucketPolicy", "aws_s3_bucket_policy"),
    (
        "AWS::CloudFront::Distribution",
        "aws_cloudfront_distribution",
    ),
    (
        "AWS::CloudFront::OriginAccessControl",
        "aws_cloudfront_origin_access_control",
    ),
    // Secrets are left out: an Aurora cluster's own password is a generated
    // secret in CloudFormation, a sensitive variable in Terraform.
    ("AWS::WAFv2::WebACL", "aws_wafv2_web_acl"),
    (
        "AWS::WAFv2::WebACLAssociation",
        "aws_wafv2_web_acl_association",
    ),
    (
        "AWS::WAFv2::LoggingConfiguration",
        "aws_wafv2_web_acl_logging_configuration",
    ),
];

/// A rule as both formats can state it: direction, group, protocol, ports, peer.
type Rule = (String, String, String, i64, i64, String);

struct Declared {
    kinds: BTreeMap<String, usize>,
    cidrs: Vec<String>,
    rules: Vec<Rule>,
}

/// Names in both formats come from node ids; compare them without case or separators.
fn normalise(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .collect::<String>()
        .to_lowercase()
}

fn from_cloudformation(diagram: &Diagram) -> Declared {
    let template = cloudformation::template(diagram, &analyze(diagram));
    let parameter_default = |value: &Value| -> String {
        match value {
            Value::String(text) => text.clone(),
            Value::Object(map) if map.contains_key("Ref") => {
                let name = map["Ref"].as_str().unwrap();
                template["Parameters"][name]["Default"]
                    .as_str()
                    .unwrap_or("?")
                    .to_string()
            }
            other => other.to_string(),
        }
    };
    let to_kind: BTreeMap<&str, &str> = SAME_KIND.iter().copied().collect();
    let mut declared = Declared {
        kinds: BTreeMap::new(),
        cidrs: Vec::new(),
        rules: Vec::new(),
    };
    for resource in template["Resources"].as_object().unwrap().values() {
        let kind = resource["Type"].as_str().unwrap();
        let standalone = kind == "AWS::RDS::DBInstance"
            && resource["Properties"].get("DBClusterIdentifier").is_none();
        let tf_kind = if standalone {
            Some(&"aws_db_instance")
        } else {
            to_kind.get(kind)
        };
        if let Some(tf_kind) = tf_kind {
            *declared.kinds.entry(tf_kind.to_string()).or_default() += 1;
        }
        let properties = &resource["Properties"];
        for key in ["CidrBlock", "DestinationCidrBlock", "CidrIp"] {
            if let Some(value) = properties.get(key) {
                declared.cidrs.push(parameter_default(value));
            }
        }
        let direction = match kind {
            "AWS::EC2::SecurityGroupIngress" => "ingress",
            "AWS::EC2::SecurityGroupEgress" => "egress",
            _ => continue,
        };
        let group = normalise(properties["GroupId"]["Ref"].as_str().unwrap());
        let protocol = properties["IpProtocol"].as_str().unwrap().to_string();
        let port = |key: &str| properties.get(key).and_then(Value::as_i64).unwrap_or(0);
        let peer = match properties.get("CidrIp") {
            Some(cidr) => parameter_default(cidr),
            None => {
                let other = properties
                    .get("SourceSecurityGroupId")
                    .or(properties.get("DestinationSecurityGroupId"))
                    .unwrap();
                normalise(other["Ref"].as_str().unwrap())
            }
        };
        declared.rules.push((
            direction.into(),
            group,
            protocol,
            port("FromPort"),
            port("ToPort"),
            peer,
        ));
    }
    declared.cidrs.sort();
    declared.rules.sort();
    declared
}

fn from_terraform(diagram: &Diagram) -> Declared {
    let files = terraform::module(diagram, &analyze(diagram));
    let bodies: Vec<hcl::Body> = files
        .iter()
        .filter(|file| file.path.ends_with(".tf"))
        .map(|file| hcl::parse(&file.contents).unwrap())
        .collect();
    let mut defaults = BTreeMap::new();
    for body in &bodies {
        for block in body
            .blocks()
            .filter(|b| b.identifier.as_str() == "variable")
        {
            let name = match &block.labels[0] {
                BlockLabel::String(text) => text.clone(),
                BlockLabel::Identifier(id) => id.to_string(),
            };
            if let Some(Expression::String(value)) = block
                .body
                .attributes()
                .find(|a| a.key.as_str() == "default")
                .map(|a| &a.expr)
            {
                defaults.insert(format!("var.{name}"), value.clone());
            }
        }
    }
    let text = |expr: &Expression| -> String {
        match expr {
            Expression::String(value) => value.clone(),
            other => {
                let rendered = hcl::format::to_string(other).unwrap();
                defaults.get(&rendered).cloned().unwrap_or(rendered)
            }
        }
    };
    let group_of = |expr: &Expression| -> String {
        // aws_security_group.<name>.id
        let rendered = hcl::format::to_string(expr).unwrap();
        normalise(rendered.split('.').nth(1).unwrap())
    };
    let mut declared = Declared {
        kinds: BTreeMap::new(),
        cidrs: Vec::new(),
        rules: Vec::new(),
    };
    for body in &bodies {
        for block in body
            .blocks()
            .filter(|b| b.identifier.as_str() == "resource")
        {
            let kind = match &block.labels[0] {
                BlockLabel::String(text) => text.clone(),
                BlockLabel::Identifier(id) => id.to_string(),
            };
            let get = |key: &str| {
                block
                    .body
                    .attributes()
                    .find(|a| a.key.as_str() == key)
                    .map(|a| &a.expr)
            };
            let count = match get("count") {
                Some(Expression::Number(n)) => n.as_u64().unwrap() as usize,
                _ => 1,
            };
            // What Terraform makes in another region (the provider's
            // per-resource `region`), a stack cannot: CloudFormation takes
            // its ARN as a parameter instead.
            let elsewhere = get("region").is_some();
            if SAME_KIND.iter().any(|(_, tf)| *tf == kind) && !elsewhere {
                *declared.kinds.entry(kind.clone()).or_default() += count;
            }
            for key in ["cidr_block", "destination_cidr_block", "cidr_ipv4"] {
                if let Some(value) = get(key) {
                    declared.cidrs.push(text(value));
                }
            }
            let direction = match kind.as_str() {
                "aws_vpc_security_group_ingress_rule" => "ingress",
                "aws_vpc_security_group_egress_rule" => "egress",
                _ => continue,
            };
            let port = |key: &str| match get(key) {
                Some(Expression::Number(n)) => n.as_i64().unwrap(),
                _ => 0,
            };
            let peer = match get("cidr_ipv4") {
                Some(cidr) => text(cidr),
                None => group_of(get("referenced_security_group_id").unwrap()),
            };
            declared.rules.push((
                direction.into(),
                group_of(get("security_group_id").unwrap()),
                text(get("ip_protocol").unwrap()),
                port("from_port"),
                port("to_port"),
                peer,
            ));
        }
    }
    declared.cidrs.sort();
    declared.rules.sort();
    declared
}

#[test]
fn cloudformation_and_terraform_declare_the_same_infrastructure() {
    for (name, diagram) in [
        ("seed", templates::seed()),
        ("every-kind", every_kind()),
        ("hostile", hostile()),
        ("generated", templates::generated(100)),
    ]
    .into_iter()
    .chain(templates::TEMPLATES.iter().map(|t| (t.name, t.build())))
    {
        let (cfn, tf) = (from_cloudformation(&diagram), from_terraform(&diagram));
        assert_eq!(cfn.kinds, tf.kinds, "{name}: resources by kind");
        assert_eq!(cfn.cidrs, tf.cidrs, "{name}: CIDR blocks");
        assert_eq!(cfn.rules, tf.rules, "{name}: security-group rules");
        let in_model: usize = diagram
            .nodes
            .iter()
            .map(|node| match &node.kind {
                stackdraw::domain::model::NodeKind::SecurityGroup(group) => {
                    group.ingress.len() + group.egress.len()
                }
                _ => 0,
            })
            .sum();
        assert_eq!(
            cfn.rules.len(),
            in_model,
            "{name}: every rule of the diagram was compared"
        );
    }
}
