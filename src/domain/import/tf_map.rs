//! Terraform's resources in the shape of the CloudFormation resources they
//! create, so one mapping (`cfn_map`) draws both: `aws_vpc`'s `cidr_block`
//! is `AWS::EC2::VPC`'s `CidrBlock`, a security group's `ingress` blocks its
//! `SecurityGroupIngress`, and what Terraform splits into resources of their
//! own (a bucket's versioning, a certificate's validation records) is
//! merged into the resource it configures. Argument names: the hashicorp/aws
//! provider's documentation (registry.terraform.io/providers/hashicorp/aws).
//! A type without a counterpart keeps its Terraform name, and the report
//! says it is not drawn.

use super::cfn::{Resource, Template, Val};
use super::tf::{Evaluated, Expansion, Instance};
use std::collections::BTreeMap;

/// The CloudFormation type each Terraform type creates (the `aws_alb*`
/// names are older aliases of `aws_lb*`).
const TYPES: &[(&str, &str)] = &[
    ("aws_vpc", "AWS::EC2::VPC"),
    (
        "aws_vpc_ipv4_cidr_block_association",
        "AWS::EC2::VPCCidrBlock",
    ),
    ("aws_internet_gateway", "AWS::EC2::InternetGateway"),
    (
        "aws_internet_gateway_attachment",
        "AWS::EC2::VPCGatewayAttachment",
    ),
    ("aws_nat_gateway", "AWS::EC2::NatGateway"),
    ("aws_eip", "AWS::EC2::EIP"),
    ("aws_route_table", "AWS::EC2::RouteTable"),
    ("aws_route", "AWS::EC2::Route"),
    (
        "aws_route_table_association",
        "AWS::EC2::SubnetRouteTableAssociation",
    ),
    ("aws_subnet", "AWS::EC2::Subnet"),
    ("aws_security_group", "AWS::EC2::SecurityGroup"),
    (
        "aws_vpc_security_group_ingress_rule",
        "AWS::EC2::SecurityGroupIngress",
    ),
    (
        "aws_vpc_security_group_egress_rule",
        "AWS::EC2::SecurityGroupEgress",
    ),
    ("aws_network_acl", "AWS::EC2::NetworkAcl"),
    ("aws_network_acl_rule", "AWS::EC2::NetworkAclEntry"),
    (
        "aws_network_acl_association",
        "AWS::EC2::SubnetNetworkAclAssociation",
    ),
    ("aws_vpc_endpoint", "AWS::EC2::VPCEndpoint"),
    (
        "aws_vpc_peering_connection",
        "AWS::EC2::VPCPeeringConnection",
    ),
    ("aws_lb", "AWS::ElasticLoadBalancingV2::LoadBalancer"),
    ("aws_alb", "AWS::ElasticLoadBalancingV2::LoadBalancer"),
    ("aws_lb_listener", "AWS::ElasticLoadBalancingV2::Listener"),
    ("aws_alb_listener", "AWS::ElasticLoadBalancingV2::Listener"),
    (
        "aws_lb_target_group",
        "AWS::ElasticLoadBalancingV2::TargetGroup",
    ),
    (
        "aws_alb_target_group",
        "AWS::ElasticLoadBalancingV2::TargetGroup",
    ),
    ("aws_ecs_cluster", "AWS::ECS::Cluster"),
    ("aws_ecs_service", "AWS::ECS::Service"),
    ("aws_ecs_task_definition", "AWS::ECS::TaskDefinition"),
    ("aws_rds_cluster", "AWS::RDS::DBCluster"),
    ("aws_rds_cluster_instance", "AWS::RDS::DBInstance"),
    ("aws_db_instance", "AWS::RDS::DBInstance"),
    ("aws_db_subnet_group", "AWS::RDS::DBSubnetGroup"),
    ("aws_instance", "AWS::EC2::Instance"),
    ("aws_s3_bucket", "AWS::S3::Bucket"),
    ("aws_s3_bucket_policy", "AWS::S3::BucketPolicy"),
    ("aws_ecr_repository", "AWS::ECR::Repository"),
    ("aws_dynamodb_table", "AWS::DynamoDB::Table"),
    ("aws_sqs_queue", "AWS::SQS::Queue"),
    ("aws_sns_topic", "AWS::SNS::Topic"),
    ("aws_lambda_function", "AWS::Lambda::Function"),
    ("aws_lambda_permission", "AWS::Lambda::Permission"),
    (
        "aws_lambda_event_source_mapping",
        "AWS::Lambda::EventSourceMapping",
    ),
    ("aws_apigatewayv2_api", "AWS::ApiGatewayV2::Api"),
    (
        "aws_autoscaling_group",
        "AWS::AutoScaling::AutoScalingGroup",
    ),
    ("aws_launch_template", "AWS::EC2::LaunchTemplate"),
    ("aws_apigatewayv2_stage", "AWS::ApiGatewayV2::Stage"),
    ("aws_apigatewayv2_route", "AWS::ApiGatewayV2::Route"),
    (
        "aws_apigatewayv2_integration",
        "AWS::ApiGatewayV2::Integration",
    ),
    ("aws_apigatewayv2_vpc_link", "AWS::ApiGatewayV2::VpcLink"),
    (
        "aws_elasticache_replication_group",
        "AWS::ElastiCache::ReplicationGroup",
    ),
    (
        "aws_elasticache_subnet_group",
        "AWS::ElastiCache::SubnetGroup",
    ),
    ("aws_sns_topic_subscription", "AWS::SNS::Subscription"),
    (
        "aws_acm_certificate",
        "AWS::CertificateManager::Certificate",
    ),
    (
        "aws_cloudfront_distribution",
        "AWS::CloudFront::Distribution",
    ),
    (
        "aws_cloudfront_origin_access_control",
        "AWS::CloudFront::OriginAccessControl",
    ),
    ("aws_route53_zone", "AWS::Route53::HostedZone"),
    ("aws_route53_record", "AWS::Route53::RecordSet"),
    ("aws_cloudwatch_log_group", "AWS::Logs::LogGroup"),
    ("aws_secretsmanager_secret", "AWS::SecretsManager::Secret"),
    ("aws_wafv2_web_acl", "AWS::WAFv2::WebACL"),
    (
        "aws_wafv2_web_acl_association",
        "AWS::WAFv2::WebACLAssociation",
    ),
    (
        "aws_wafv2_web_acl_logging_configuration",
        "AWS::WAFv2::LoggingConfiguration",
    ),
];

/// A CloudFormation-shaped map from (name, value) pairs, leaving out what
/// the resource was not given.
fn props(pairs: Vec<(&str, Option<Val>)>) -> Val {
    Val::Map(
        pairs
            .into_iter()
            .filter_map(|(k, v)| match v {
                None | Some(Val::Null) => None,
                Some(v) => Some((k.to_string(), v)),
            })
            .collect(),
    )
}

fn get(attributes: &Val, key: &str) -> Option<Val> {
    attributes.get(key).cloned().filter(|v| *v != Val::Null)
}

/// The first of a nested block's instances.
fn block<'v>(attributes: &'v Val, key: &str) -> Option<&'v Val> {
    attributes.get(key)?.items().first()
}

/// Tags as CloudFormation lists them: a `tags` map, or (an Auto Scaling
/// group's) `tag` blocks of a key and a value each.
fn tags(attributes: &Val) -> Option<Val> {
    if let Some(blocks) = attributes
        .get("tag")
        .filter(|_| attributes.get("tags").is_none())
    {
        let blocks = match blocks {
            Val::List(items) => items.clone(),
            single => vec![single.clone()],
        };
        let listed = blocks
            .iter()
            .map(|tag| props(vec![("Key", get(tag, "key")), ("Value", get(tag, "value"))]))
            .collect();
        return Some(Val::List(listed));
    }
    match attributes.get("tags")? {
        Val::Map(entries) => Some(Val::List(
            entries
                .iter()
                .map(|(k, v)| {
                    Val::Map(vec![
                        ("Key".into(), Val::Str(k.clone())),
                        ("Value".into(), v.clone()),
                    ])
                })
                .collect(),
        )),
        _ => None,
    }
}

/// Its tags, with a `Name`: its own, else its `name` argument, else the
/// name of its block (`private[0]` of `aws_subnet.private[0]`).
fn named(instance: &Instance) -> Val {
    let mut list = tags(&instance.attributes)
        .map(|t| t.items().to_vec())
        .unwrap_or_default();
    let has_name = list.iter().any(|tag| {
        tag.get("Key").and_then(Val::as_str) == Some("Name")
            && tag
                .get("Value")
                .and_then(Val::as_str)
                .is_some_and(|v| !v.trim().is_empty())
    });
    if !has_name {
        let label = instance
            .address
            .strip_prefix(&format!("{}.", instance.resource_type))
            .or_else(|| {
                instance
                    .address
                    .split_once(&format!(".{}.", instance.resource_type))
                    .map(|(_, rest)| rest)
            })
            .unwrap_or(&instance.address)
            .to_string();
        let name = instance
            .attributes
            .get("name")
            .and_then(Val::as_str)
            .filter(|n| !n.trim().is_empty())
            .map_or(label, str::to_string);
        list.retain(|tag| tag.get("Key").and_then(Val::as_str) != Some("Name"));
        list.push(Val::Map(vec![
            ("Key".into(), Val::Str("Name".into())),
            ("Value".into(), Val::Str(name)),
        ]));
    }
    Val::List(list)
}

/// A reference written inside text (`"${aws_ecs_task_definition.app.family}:${…}"`)
/// as the reference itself.
fn reference(value: Option<Val>) -> Option<Val> {
    match value? {
        Val::Built { refers, .. } if !refers.is_empty() => Some(Val::Ref(refers[0].clone())),
        other => Some(other),
    }
}

fn yes_no(value: Option<Val>) -> Option<Val> {
    value.map(|v| match v {
        Val::Str(text) if text == "true" || text == "false" => Val::Bool(text == "true"),
        other => other,
    })
}

/// A security group's rule blocks: one CloudFormation rule per block,
/// with its blocks of addresses (`CidrIps`) and one more per group it
/// names (or itself, with `self`).
fn group_rules(attributes: &Val, key: &str, own: &str, peer_key: &str) -> Val {
    let mut out = Vec::new();
    for rule in attributes.get(key).map(Val::items).unwrap_or_default() {
        let base = |extra: Vec<(&str, Option<Val>)>| {
            let mut pairs = vec![
                ("IpProtocol", get(rule, "protocol")),
                ("FromPort", get(rule, "from_port")),
                ("ToPort", get(rule, "to_port")),
                ("Description", get(rule, "description")),
            ];
            pairs.extend(extra);
            props(pairs)
        };
        if let Some(Val::List(blocks)) = rule.get("cidr_blocks") {
            if !blocks.is_empty() {
                out.push(base(vec![("CidrIps", Some(Val::List(blocks.clone())))]));
            }
        }
        for group in rule
            .get("security_groups")
            .map(Val::items)
            .unwrap_or_default()
        {
            out.push(base(vec![(peer_key, Some(group.clone()))]));
        }
        if rule.get("self").and_then(Val::as_bool) == Some(true) {
            out.push(base(vec![(peer_key, Some(Val::Ref(own.to_string())))]));
        }
    }
    Val::List(out)
}

/// A task definition's containers: JSON text, or the structure
/// `jsonencode` was given; keys as CloudFormation spells them.
fn containers(value: Option<Val>) -> Option<Val> {
    let value = match value? {
        Val::Str(text) => super::tf::from_json(&serde_json::from_str(&text).ok()?),
        other => other,
    };
    fn pascal(value: &Val) -> Val {
        match value {
            Val::Map(entries) => Val::Map(
                entries
                    .iter()
                    .map(|(k, v)| {
                        let mut chars = k.chars();
                        let key = chars
                            .next()
                            .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
                            .unwrap_or_default();
                        (key, pascal(v))
                    })
                    .collect(),
            ),
            Val::List(items) => Val::List(items.iter().map(pascal).collect()),
            other => other.clone(),
        }
    }
    Some(pascal(&value))
}

/// Attributes CloudFormation names differently, where the mapping reads
/// them (a container's environment naming a database's endpoint).
fn attribute_names(value: &Val) -> Val {
    match value {
        Val::Attr(id, attribute) => Val::Attr(
            id.clone(),
            match attribute.as_str() {
                "endpoint" | "address" => "Endpoint.Address".into(),
                "reader_endpoint" => "ReadEndpoint.Address".into(),
                "port" => "Endpoint.Port".into(),
                "dns_name" => "DNSName".into(),
                other => other.to_string(),
            },
        ),
        Val::List(items) => Val::List(items.iter().map(attribute_names).collect()),
        Val::Map(entries) => Val::Map(
            entries
                .iter()
                .map(|(k, v)| (k.clone(), attribute_names(v)))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// A route, inline or a resource of its own: its destination and its
/// target, whatever kind (those stackdraw does not model are named, so the
/// report can say which).
fn route_props(r: &Val, destination: &str) -> Val {
    let ipv6 = if destination == "cidr_block" {
        "ipv6_cidr_block"
    } else {
        "destination_ipv6_cidr_block"
    };
    props(vec![
        ("DestinationCidrBlock", get(r, destination)),
        ("DestinationIpv6CidrBlock", get(r, ipv6)),
        (
            "DestinationPrefixListId",
            get(r, "destination_prefix_list_id"),
        ),
        ("GatewayId", get(r, "gateway_id")),
        ("NatGatewayId", get(r, "nat_gateway_id")),
        (
            "VpcPeeringConnectionId",
            get(r, "vpc_peering_connection_id"),
        ),
        ("TransitGatewayId", get(r, "transit_gateway_id")),
        ("VpcEndpointId", get(r, "vpc_endpoint_id")),
        ("NetworkInterfaceId", get(r, "network_interface_id")),
        (
            "EgressOnlyInternetGatewayId",
            get(r, "egress_only_gateway_id"),
        ),
        ("CarrierGatewayId", get(r, "carrier_gateway_id")),
        ("LocalGatewayId", get(r, "local_gateway_id")),
        ("CoreNetworkArn", get(r, "core_network_arn")),
    ])
}

fn cfn_properties(instance: &Instance, aliases: &BTreeMap<String, String>) -> Val {
    let a = &instance.attributes;
    let g = |key: &str| get(a, key);
    match instance.resource_type.as_str() {
        "aws_vpc" => props(vec![
            ("CidrBlock", g("cidr_block")),
            ("EnableDnsSupport", yes_no(g("enable_dns_support"))),
            ("EnableDnsHostnames", yes_no(g("enable_dns_hostnames"))),
            ("Tags", tags(a)),
        ]),
        "aws_vpc_ipv4_cidr_block_association" => {
            props(vec![("VpcId", g("vpc_id")), ("CidrBlock", g("cidr_block"))])
        }
        "aws_internet_gateway" => props(vec![("VpcId", g("vpc_id")), ("Tags", tags(a))]),
        "aws_internet_gateway_attachment" => props(vec![
            ("InternetGatewayId", g("internet_gateway_id")),
            ("VpcId", g("vpc_id")),
        ]),
        "aws_nat_gateway" => props(vec![
            ("SubnetId", g("subnet_id")),
            ("ConnectivityType", g("connectivity_type")),
            ("AllocationId", g("allocation_id")),
            ("Tags", tags(a)),
        ]),
        "aws_route_table" => {
            let routes: Vec<Val> = a
                .get("route")
                .map(Val::items)
                .unwrap_or_default()
                .iter()
                .map(|r| route_props(r, "cidr_block"))
                .collect();
            props(vec![
                ("VpcId", g("vpc_id")),
                ("Routes", Some(Val::List(routes))),
                ("Tags", tags(a)),
            ])
        }
        "aws_route" => {
            let mut route = route_props(a, "destination_cidr_block");
            if let Val::Map(entries) = &mut route {
                entries.extend(g("route_table_id").map(|t| ("RouteTableId".to_string(), t)));
            }
            route
        }
        "aws_route_table_association" => props(vec![
            ("SubnetId", g("subnet_id")),
            ("RouteTableId", g("route_table_id")),
        ]),
        "aws_subnet" => props(vec![
            ("VpcId", g("vpc_id")),
            ("CidrBlock", g("cidr_block")),
            ("AvailabilityZone", g("availability_zone")),
            ("MapPublicIpOnLaunch", yes_no(g("map_public_ip_on_launch"))),
            ("Tags", tags(a)),
        ]),
        "aws_security_group" => props(vec![
            ("VpcId", g("vpc_id")),
            ("GroupName", g("name")),
            (
                "GroupDescription",
                g("description").or(Some(Val::Str("Managed by Terraform".into()))),
            ),
            (
                "SecurityGroupIngress",
                Some(group_rules(
                    a,
                    "ingress",
                    &instance.id,
                    "SourceSecurityGroupId",
                )),
            ),
            // Terraform removes the allow-all rule AWS gives a new group:
            // without egress blocks (or rules of their own), nothing leaves.
            (
                "SecurityGroupEgress",
                Some(group_rules(
                    a,
                    "egress",
                    &instance.id,
                    "DestinationSecurityGroupId",
                )),
            ),
            ("Tags", tags(a)),
        ]),
        "aws_security_group_rule" => {
            let egress = g("type").and_then(|t| t.as_str().map(|t| t == "egress")) == Some(true);
            let peer_key = if egress {
                "DestinationSecurityGroupId"
            } else {
                "SourceSecurityGroupId"
            };
            let peer = if a.get("self").and_then(Val::as_bool) == Some(true) {
                g("security_group_id")
            } else {
                g("source_security_group_id")
            };
            props(vec![
                ("GroupId", g("security_group_id")),
                ("IpProtocol", g("protocol")),
                ("FromPort", g("from_port")),
                ("ToPort", g("to_port")),
                ("CidrIps", g("cidr_blocks")),
                (peer_key, peer),
                ("Description", g("description")),
            ])
        }
        "aws_vpc_security_group_ingress_rule" | "aws_vpc_security_group_egress_rule" => {
            let peer_key = if instance.resource_type.ends_with("egress_rule") {
                "DestinationSecurityGroupId"
            } else {
                "SourceSecurityGroupId"
            };
            props(vec![
                ("GroupId", g("security_group_id")),
                ("IpProtocol", g("ip_protocol")),
                ("FromPort", g("from_port")),
                ("ToPort", g("to_port")),
                ("CidrIp", g("cidr_ipv4")),
                (peer_key, g("referenced_security_group_id")),
                ("Description", g("description")),
            ])
        }
        "aws_network_acl" => {
            let mut entries = Vec::new();
            for (key, egress) in [("ingress", false), ("egress", true)] {
                for rule in a.get(key).map(Val::items).unwrap_or_default() {
                    entries.push(props(vec![
                        ("RuleNumber", get(rule, "rule_no")),
                        ("RuleAction", get(rule, "action")),
                        ("Protocol", get(rule, "protocol")),
                        ("CidrBlock", get(rule, "cidr_block")),
                        (
                            "PortRange",
                            Some(props(vec![
                                ("From", get(rule, "from_port")),
                                ("To", get(rule, "to_port")),
                            ])),
                        ),
                        ("Egress", Some(Val::Bool(egress))),
                    ]));
                }
            }
            props(vec![
                ("VpcId", g("vpc_id")),
                ("SubnetIds", g("subnet_ids")),
                ("Entries", Some(Val::List(entries))),
                ("Tags", tags(a)),
            ])
        }
        "aws_network_acl_rule" => props(vec![
            ("NetworkAclId", g("network_acl_id")),
            ("RuleNumber", g("rule_number")),
            ("Egress", yes_no(g("egress"))),
            ("Protocol", g("protocol")),
            ("RuleAction", g("rule_action")),
            ("CidrBlock", g("cidr_block")),
            (
                "PortRange",
                Some(props(vec![("From", g("from_port")), ("To", g("to_port"))])),
            ),
        ]),
        "aws_network_acl_association" => props(vec![
            ("NetworkAclId", g("network_acl_id")),
            ("SubnetId", g("subnet_id")),
        ]),
        "aws_vpc_endpoint" => props(vec![
            ("VpcId", g("vpc_id")),
            ("ServiceName", g("service_name")),
            ("VpcEndpointType", g("vpc_endpoint_type")),
            ("RouteTableIds", g("route_table_ids")),
            ("SubnetIds", g("subnet_ids")),
            ("SecurityGroupIds", g("security_group_ids")),
        ]),
        "aws_vpc_peering_connection" => props(vec![
            ("VpcId", g("vpc_id")),
            ("PeerVpcId", g("peer_vpc_id")),
        ]),
        "aws_lb" | "aws_alb" => {
            let mut subnets = g("subnets").map(|s| s.items().to_vec()).unwrap_or_default();
            for mapping in a.get("subnet_mapping").map(Val::items).unwrap_or_default() {
                subnets.extend(get(mapping, "subnet_id"));
            }
            let internal = g("internal").and_then(|v| v.as_bool()) == Some(true);
            props(vec![
                (
                    "Scheme",
                    Some(Val::Str(
                        if internal {
                            "internal"
                        } else {
                            "internet-facing"
                        }
                        .into(),
                    )),
                ),
                ("Type", g("load_balancer_type")),
                ("Subnets", Some(Val::List(subnets))),
                ("SecurityGroups", g("security_groups")),
                ("Tags", tags(a)),
            ])
        }
        "aws_lb_listener" | "aws_alb_listener" => {
            let actions: Vec<Val> = a
                .get("default_action")
                .map(Val::items)
                .unwrap_or_default()
                .iter()
                .map(|action| {
                    let forwarded = block(action, "forward")
                        .and_then(|f| block(f, "target_group"))
                        .and_then(|t| get(t, "arn"));
                    props(vec![
                        ("Type", get(action, "type")),
                        (
                            "TargetGroupArn",
                            get(action, "target_group_arn").or(forwarded),
                        ),
                        (
                            "FixedResponseConfig",
                            block(action, "fixed_response")
                                .map(|f| props(vec![("StatusCode", get(f, "status_code"))])),
                        ),
                    ])
                })
                .collect();
            props(vec![
                ("LoadBalancerArn", g("load_balancer_arn")),
                ("Port", g("port")),
                ("Protocol", g("protocol")),
                (
                    "Certificates",
                    g("certificate_arn")
                        .map(|arn| Val::List(vec![props(vec![("CertificateArn", Some(arn))])])),
                ),
                ("DefaultActions", Some(Val::List(actions))),
            ])
        }
        "aws_lb_target_group" | "aws_alb_target_group" => props(vec![
            ("Port", g("port")),
            ("Protocol", g("protocol")),
            ("TargetType", g("target_type")),
            ("VpcId", g("vpc_id")),
            (
                "HealthCheckPath",
                block(a, "health_check").and_then(|h| get(h, "path")),
            ),
        ]),
        "aws_ecs_cluster" => props(vec![("ClusterName", g("name")), ("Tags", tags(a))]),
        "aws_ecs_service" => {
            let network = block(a, "network_configuration");
            let public = network
                .and_then(|n| get(n, "assign_public_ip"))
                .and_then(|v| v.as_bool())
                == Some(true);
            let balancers: Vec<Val> = a
                .get("load_balancer")
                .map(Val::items)
                .unwrap_or_default()
                .iter()
                .map(|lb| {
                    props(vec![
                        ("TargetGroupArn", get(lb, "target_group_arn")),
                        ("ContainerName", get(lb, "container_name")),
                        ("ContainerPort", get(lb, "container_port")),
                    ])
                })
                .collect();
            props(vec![
                ("Cluster", reference(g("cluster"))),
                ("TaskDefinition", reference(g("task_definition"))),
                // Terraform's default is no task at all.
                (
                    "DesiredCount",
                    g("desired_count").or(Some(Val::Str("0".into()))),
                ),
                ("LaunchType", g("launch_type")),
                (
                    "NetworkConfiguration",
                    network.map(|n| {
                        props(vec![(
                            "AwsvpcConfiguration",
                            Some(props(vec![
                                ("Subnets", get(n, "subnets")),
                                ("SecurityGroups", get(n, "security_groups")),
                                (
                                    "AssignPublicIp",
                                    Some(Val::Str(
                                        if public { "ENABLED" } else { "DISABLED" }.into(),
                                    )),
                                ),
                            ])),
                        )])
                    }),
                ),
                ("LoadBalancers", Some(Val::List(balancers))),
            ])
        }
        "aws_ecs_task_definition" => props(vec![
            ("Family", g("family")),
            ("TaskRoleArn", g("task_role_arn")),
            ("Cpu", g("cpu")),
            ("Memory", g("memory")),
            (
                "ContainerDefinitions",
                containers(g("container_definitions")).map(|c| attribute_names(&c)),
            ),
        ]),
        "aws_rds_cluster" => props(vec![
            ("Engine", g("engine")),
            ("EngineVersion", g("engine_version")),
            ("Port", g("port")),
            ("DatabaseName", g("database_name")),
            ("MasterUsername", g("master_username")),
            ("MasterUserPassword", g("master_password")),
            (
                "ManageMasterUserPassword",
                yes_no(g("manage_master_user_password")),
            ),
            ("StorageEncrypted", yes_no(g("storage_encrypted"))),
            ("DBSubnetGroupName", reference(g("db_subnet_group_name"))),
            ("VpcSecurityGroupIds", g("vpc_security_group_ids")),
        ]),
        "aws_rds_cluster_instance" => props(vec![
            ("DBClusterIdentifier", reference(g("cluster_identifier"))),
            ("DBInstanceClass", g("instance_class")),
        ]),
        "aws_db_instance" => props(vec![
            ("DBInstanceClass", g("instance_class")),
            ("Engine", g("engine")),
            ("EngineVersion", g("engine_version")),
            ("AllocatedStorage", g("allocated_storage")),
            ("MultiAZ", yes_no(g("multi_az"))),
            ("Port", g("port")),
            ("DBName", g("db_name")),
            ("MasterUsername", g("username")),
            ("MasterUserPassword", g("password")),
            ("StorageEncrypted", yes_no(g("storage_encrypted"))),
            ("PubliclyAccessible", yes_no(g("publicly_accessible"))),
            ("DBSubnetGroupName", reference(g("db_subnet_group_name"))),
            ("VPCSecurityGroups", g("vpc_security_group_ids")),
        ]),
        "aws_elasticache_replication_group" => props(vec![
            ("Engine", g("engine")),
            ("EngineVersion", g("engine_version")),
            ("CacheNodeType", g("node_type")),
            ("NumCacheClusters", g("num_cache_clusters")),
            ("MultiAZEnabled", yes_no(g("multi_az_enabled"))),
            ("Port", g("port")),
            (
                "TransitEncryptionEnabled",
                yes_no(g("transit_encryption_enabled")),
            ),
            ("CacheSubnetGroupName", reference(g("subnet_group_name"))),
            ("SecurityGroupIds", g("security_group_ids")),
        ]),
        "aws_elasticache_subnet_group" => props(vec![
            ("CacheSubnetGroupName", g("name")),
            ("SubnetIds", g("subnet_ids")),
        ]),
        "aws_db_subnet_group" => props(vec![
            ("DBSubnetGroupName", g("name")),
            ("SubnetIds", g("subnet_ids")),
        ]),
        "aws_instance" => props(vec![
            ("InstanceType", g("instance_type")),
            ("UserData", g("user_data").or_else(|| g("user_data_base64"))),
            ("SubnetId", g("subnet_id")),
            ("SecurityGroupIds", g("vpc_security_group_ids")),
            ("KeyName", g("key_name")),
            (
                "NetworkInterfaces",
                Some(Val::List(vec![props(vec![(
                    "AssociatePublicIpAddress",
                    yes_no(g("associate_public_ip_address")),
                )])])),
            ),
            ("Tags", tags(a)),
        ]),
        "aws_s3_bucket" => {
            // The provider's older inline blocks.
            let versioned = block(a, "versioning")
                .and_then(|v| v.get("enabled"))
                .and_then(Val::as_bool)
                == Some(true);
            props(vec![
                ("BucketName", g("bucket")),
                (
                    "VersioningConfiguration",
                    versioned.then(|| props(vec![("Status", Some(Val::Str("Enabled".into())))])),
                ),
                (
                    "WebsiteConfiguration",
                    block(a, "website").map(|_| Val::Map(Vec::new())),
                ),
                ("Tags", tags(a)),
            ])
        }
        "aws_s3_bucket_policy" => props(vec![("Bucket", g("bucket"))]),
        "aws_dynamodb_table" => {
            // hash_key and range_key name attributes; the attribute blocks
            // give their types.
            let attributes = a.get("attribute").map(Val::items).unwrap_or_default();
            let definitions: Vec<Val> = attributes
                .iter()
                .map(|attribute| {
                    props(vec![
                        ("AttributeName", get(attribute, "name")),
                        ("AttributeType", get(attribute, "type")),
                    ])
                })
                .collect();
            let mut schema = Vec::new();
            for (key, role) in [("hash_key", "HASH"), ("range_key", "RANGE")] {
                if let Some(name) = g(key) {
                    schema.push(props(vec![
                        ("AttributeName", Some(name)),
                        ("KeyType", Some(Val::Str(role.into()))),
                    ]));
                }
            }
            props(vec![
                ("TableName", g("name")),
                ("AttributeDefinitions", Some(Val::List(definitions))),
                ("KeySchema", Some(Val::List(schema))),
                (
                    "PointInTimeRecoverySpecification",
                    block(a, "point_in_time_recovery").map(|p| {
                        props(vec![(
                            "PointInTimeRecoveryEnabled",
                            yes_no(get(p, "enabled")),
                        )])
                    }),
                ),
            ])
        }
        "aws_sqs_queue" => props(vec![
            ("QueueName", g("name")),
            ("FifoQueue", yes_no(g("fifo_queue"))),
            ("VisibilityTimeout", g("visibility_timeout_seconds")),
            ("MessageRetentionPeriod", g("message_retention_seconds")),
        ]),
        "aws_lambda_function" => {
            let vpc = block(a, "vpc_config");
            props(vec![
                ("FunctionName", g("function_name")),
                ("Runtime", g("runtime")),
                ("MemorySize", g("memory_size")),
                ("Timeout", g("timeout")),
                ("Role", g("role")),
                (
                    "VpcConfig",
                    vpc.map(|v| {
                        props(vec![
                            ("SubnetIds", get(v, "subnet_ids")),
                            ("SecurityGroupIds", get(v, "security_group_ids")),
                        ])
                    }),
                ),
            ])
        }
        "aws_autoscaling_group" => props(vec![
            ("MinSize", g("min_size")),
            ("MaxSize", g("max_size")),
            ("DesiredCapacity", g("desired_capacity")),
            ("VPCZoneIdentifier", g("vpc_zone_identifier")),
            ("TargetGroupARNs", g("target_group_arns")),
            (
                "LaunchTemplate",
                block(a, "launch_template").map(|t| {
                    props(vec![(
                        "LaunchTemplateId",
                        reference(get(t, "id").or_else(|| get(t, "name"))),
                    )])
                }),
            ),
            ("Tags", tags(a)),
        ]),
        "aws_launch_template" => props(vec![(
            "LaunchTemplateData",
            Some(props(vec![
                ("InstanceType", g("instance_type")),
                ("SecurityGroupIds", g("vpc_security_group_ids")),
            ])),
        )]),
        "aws_apigatewayv2_api" => props(vec![
            ("Name", g("name")),
            ("ProtocolType", g("protocol_type")),
            ("Tags", tags(a)),
        ]),
        "aws_apigatewayv2_stage" => props(vec![
            ("ApiId", reference(g("api_id"))),
            ("StageName", g("name")),
        ]),
        "aws_apigatewayv2_route" => props(vec![
            ("ApiId", reference(g("api_id"))),
            ("RouteKey", g("route_key")),
            ("Target", g("target")),
        ]),
        "aws_apigatewayv2_integration" => props(vec![
            ("ApiId", reference(g("api_id"))),
            ("IntegrationType", g("integration_type")),
            ("IntegrationUri", reference(g("integration_uri"))),
            ("ConnectionType", g("connection_type")),
            ("ConnectionId", reference(g("connection_id"))),
        ]),
        "aws_apigatewayv2_vpc_link" => props(vec![
            ("Name", g("name")),
            ("SubnetIds", g("subnet_ids")),
            ("SecurityGroupIds", g("security_group_ids")),
        ]),
        "aws_lambda_event_source_mapping" => props(vec![
            ("FunctionName", g("function_name")),
            ("EventSourceArn", g("event_source_arn")),
            ("BatchSize", g("batch_size")),
        ]),
        "aws_lambda_permission" => props(vec![
            ("Action", g("action")),
            ("FunctionName", g("function_name")),
            ("Principal", g("principal")),
            ("SourceArn", g("source_arn")),
            ("SourceAccount", g("source_account")),
        ]),
        "aws_sns_topic" => props(vec![
            ("TopicName", g("name")),
            ("FifoTopic", yes_no(g("fifo_topic"))),
        ]),
        "aws_sns_topic_subscription" => props(vec![
            ("TopicArn", g("topic_arn")),
            ("Protocol", g("protocol")),
            ("Endpoint", g("endpoint")),
            ("RawMessageDelivery", yes_no(g("raw_message_delivery"))),
        ]),
        "aws_ecr_repository" => props(vec![
            ("RepositoryName", g("name")),
            ("ImageTagMutability", g("image_tag_mutability")),
            (
                "ImageScanningConfiguration",
                block(a, "image_scanning_configuration")
                    .map(|c| props(vec![("ScanOnPush", yes_no(get(c, "scan_on_push")))])),
            ),
        ]),
        "aws_acm_certificate" => {
            let region = g("region").or_else(|| {
                g("provider")
                    .and_then(|p| p.as_str().and_then(|p| aliases.get(p)).cloned())
                    .map(Val::Str)
            });
            props(vec![
                ("DomainName", g("domain_name")),
                ("SubjectAlternativeNames", g("subject_alternative_names")),
                ("Region", region),
            ])
        }
        "aws_cloudfront_distribution" => {
            let origins: Vec<Val> = a
                .get("origin")
                .map(Val::items)
                .unwrap_or_default()
                .iter()
                .map(|o| {
                    let s3 = block(o, "s3_origin_config");
                    let oac = get(o, "origin_access_control_id");
                    props(vec![
                        ("Id", get(o, "origin_id")),
                        ("DomainName", get(o, "domain_name")),
                        ("OriginAccessControlId", oac.clone()),
                        (
                            "S3OriginConfig",
                            (s3.is_some() || oac.is_some()).then(|| {
                                props(vec![(
                                    "OriginAccessIdentity",
                                    s3.and_then(|s| get(s, "origin_access_identity"))
                                        .or(Some(Val::Str(String::new()))),
                                )])
                            }),
                        ),
                        (
                            "CustomOriginConfig",
                            block(o, "custom_origin_config").map(|c| {
                                props(vec![(
                                    "OriginProtocolPolicy",
                                    get(c, "origin_protocol_policy"),
                                )])
                            }),
                        ),
                    ])
                })
                .collect();
            let behaviors: Vec<Val> = a
                .get("ordered_cache_behavior")
                .map(Val::items)
                .unwrap_or_default()
                .iter()
                .map(|c| {
                    props(vec![
                        ("TargetOriginId", get(c, "target_origin_id")),
                        ("PathPattern", get(c, "path_pattern")),
                    ])
                })
                .collect();
            props(vec![(
                "DistributionConfig",
                Some(props(vec![
                    ("Origins", Some(Val::List(origins))),
                    (
                        "DefaultCacheBehavior",
                        block(a, "default_cache_behavior")
                            .map(|d| props(vec![("TargetOriginId", get(d, "target_origin_id"))])),
                    ),
                    ("CacheBehaviors", Some(Val::List(behaviors))),
                    ("Aliases", g("aliases")),
                    (
                        "ViewerCertificate",
                        block(a, "viewer_certificate").map(|v| {
                            props(vec![("AcmCertificateArn", get(v, "acm_certificate_arn"))])
                        }),
                    ),
                    ("DefaultRootObject", g("default_root_object")),
                    ("PriceClass", g("price_class")),
                    ("WebACLId", g("web_acl_id")),
                ])),
            )])
        }
        "aws_secretsmanager_secret" => props(vec![("Name", g("name"))]),
        // A web ACL's rules: the managed rule groups and rate limits the
        // mapping reads, in CloudFormation's shape.
        "aws_wafv2_web_acl" => {
            let rules: Vec<Val> = a
                .get("rule")
                .map(Val::items)
                .unwrap_or_default()
                .iter()
                .map(|rule| {
                    let statement = block(rule, "statement");
                    let managed = statement.and_then(|s| block(s, "managed_rule_group_statement"));
                    let rate = statement.and_then(|s| block(s, "rate_based_statement"));
                    props(vec![
                        ("Name", get(rule, "name")),
                        (
                            "Statement",
                            Some(props(vec![
                                (
                                    "ManagedRuleGroupStatement",
                                    managed.map(|m| {
                                        props(vec![
                                            ("Name", get(m, "name")),
                                            ("VendorName", get(m, "vendor_name")),
                                        ])
                                    }),
                                ),
                                (
                                    "RateBasedStatement",
                                    rate.map(|r| props(vec![("Limit", get(r, "limit"))])),
                                ),
                            ])),
                        ),
                    ])
                })
                .collect();
            props(vec![
                ("Scope", g("scope")),
                ("Rules", Some(Val::List(rules))),
            ])
        }
        "aws_wafv2_web_acl_association" => props(vec![
            ("ResourceArn", g("resource_arn")),
            ("WebACLArn", g("web_acl_arn")),
        ]),
        "aws_wafv2_web_acl_logging_configuration" => {
            props(vec![("ResourceArn", g("resource_arn"))])
        }
        "aws_route53_zone" => props(vec![("Name", g("name"))]),
        "aws_route53_record" => props(vec![
            ("HostedZoneId", g("zone_id")),
            ("Name", g("name")),
            ("Type", g("type")),
            ("ResourceRecords", g("records")),
            (
                "AliasTarget",
                block(a, "alias").map(|alias| props(vec![("DNSName", get(alias, "name"))])),
            ),
        ]),
        _ => a.clone(),
    }
}

/// What the resources a bucket, an endpoint or a certificate is configured
/// by add to it: (resource to change, property, value).
fn companion(instance: &Instance, all: &[Instance]) -> Option<(String, &'static str, Val)> {
    let a = &instance.attributes;
    let target = |key: &str| a.get(key).and_then(Val::target).map(str::to_string);
    match instance.resource_type.as_str() {
        "aws_s3_bucket_versioning" => {
            let status = block(a, "versioning_configuration").and_then(|v| get(v, "status"))?;
            Some((
                target("bucket")?,
                "VersioningConfiguration",
                props(vec![("Status", Some(status))]),
            ))
        }
        "aws_s3_bucket_public_access_block" => Some((
            target("bucket")?,
            "PublicAccessBlockConfiguration",
            props(vec![
                ("BlockPublicAcls", yes_no(get(a, "block_public_acls"))),
                ("BlockPublicPolicy", yes_no(get(a, "block_public_policy"))),
                ("IgnorePublicAcls", yes_no(get(a, "ignore_public_acls"))),
                (
                    "RestrictPublicBuckets",
                    yes_no(get(a, "restrict_public_buckets")),
                ),
            ]),
        )),
        // A function or an instance registered with a target group (an
        // address would be drawn by its service, not here).
        "aws_lb_target_group_attachment" | "aws_alb_target_group_attachment" => {
            let registered = a.get("target_id").and_then(Val::target)?;
            let kind = all
                .iter()
                .find(|i| i.id == registered)
                .map(|i| i.resource_type.as_str())?;
            let id = match kind {
                "aws_lambda_function" => Val::Attr(registered.to_string(), "arn".into()),
                "aws_instance" => Val::Ref(registered.to_string()),
                _ => return None,
            };
            Some((
                target("target_group_arn")?,
                "Targets",
                Val::List(vec![props(vec![
                    ("Id", Some(id)),
                    ("Port", get(a, "port")),
                ])]),
            ))
        }
        // A secret's first value: the length of what was generated (a
        // database's credentials carry the password under `password`).
        "aws_secretsmanager_secret_version" => {
            let value = a.get("secret_string").and_then(Val::as_str)?;
            let password = serde_json::from_str::<serde_json::Value>(value)
                .ok()
                .and_then(|json| json.get("password")?.as_str().map(str::to_string))
                .unwrap_or_else(|| value.to_string());
            Some((
                target("secret_id")?,
                "GenerateSecretString",
                props(vec![(
                    "PasswordLength",
                    Some(Val::Str(password.chars().count().to_string())),
                )]),
            ))
        }
        "aws_s3_bucket_website_configuration" => Some((
            target("bucket")?,
            "WebsiteConfiguration",
            Val::Map(Vec::new()),
        )),
        // A certificate's DNS validation records: their zone validates it.
        "aws_route53_record" if instance.expansion != Expansion::Known => {
            let over = a.get("for_each")?;
            let certificate = match over {
                Val::Attr(id, attribute) if attribute.starts_with("domain_validation_options") => {
                    id.clone()
                }
                Val::Built { refers, .. } => refers
                    .iter()
                    .find(|id| {
                        all.iter()
                            .any(|i| i.id == **id && i.resource_type == "aws_acm_certificate")
                    })?
                    .clone(),
                _ => return None,
            };
            Some((
                certificate,
                "DomainValidationOptions",
                Val::List(vec![props(vec![("HostedZoneId", get(a, "zone_id"))])]),
            ))
        }
        _ => None,
    }
}

/// A database whose master password is read from a secret's version
/// (`jsondecode(aws_secretsmanager_secret_version.x.secret_string)["password"]`)
/// takes it from that version's secret, as CloudFormation's dynamic
/// reference names the secret itself.
fn passwords_from_secrets(resources: &mut [Resource], all: &[Instance]) {
    let secret_of = |version: &str| {
        all.iter()
            .find(|i| i.id == version && i.resource_type == "aws_secretsmanager_secret_version")
            .and_then(|i| i.attributes.get("secret_id")?.target().map(str::to_string))
    };
    for resource in resources.iter_mut() {
        if !matches!(
            resource.kind.as_str(),
            "AWS::RDS::DBInstance" | "AWS::RDS::DBCluster"
        ) {
            continue;
        }
        if let Val::Map(entries) = &mut resource.properties {
            for (key, value) in entries.iter_mut() {
                if key != "MasterUserPassword" {
                    continue;
                }
                let version = match &*value {
                    Val::Built { refers, .. } => refers.first().map(String::as_str),
                    other => other.target(),
                };
                let secret = version.and_then(&secret_of);
                *value = secret.map_or(Val::Null, Val::Ref);
            }
        }
    }
}

/// Resources named by a literal name where the mapping needs the
/// resource: a cluster, a subnet group or a task family given as text.
fn by_name(resources: &mut [Resource]) {
    let names: Vec<(String, String, String)> = resources
        .iter()
        .filter_map(|r| {
            let key = match r.kind.as_str() {
                "AWS::ECS::Cluster" => "ClusterName",
                "AWS::RDS::DBSubnetGroup" => "DBSubnetGroupName",
                "AWS::ECS::TaskDefinition" => "Family",
                _ => return None,
            };
            Some((
                r.kind.clone(),
                r.properties.get(key)?.as_str()?.to_string(),
                r.id.clone(),
            ))
        })
        .collect();
    let find = |kind: &str, name: &str| {
        names
            .iter()
            .find(|(k, n, _)| k == kind && (n == name || name.starts_with(&format!("{n}:"))))
            .map(|(_, _, id)| Val::Ref(id.clone()))
    };
    for resource in resources.iter_mut() {
        let wanted: &[(&str, &str)] = match resource.kind.as_str() {
            "AWS::ECS::Service" => &[
                ("Cluster", "AWS::ECS::Cluster"),
                ("TaskDefinition", "AWS::ECS::TaskDefinition"),
            ],
            "AWS::RDS::DBCluster" | "AWS::RDS::DBInstance" => {
                &[("DBSubnetGroupName", "AWS::RDS::DBSubnetGroup")]
            }
            _ => continue,
        };
        if let Val::Map(entries) = &mut resource.properties {
            for (key, kind) in wanted {
                if let Some((_, value)) = entries.iter_mut().find(|(k, _)| k == key) {
                    if let Some(found) = value.as_str().and_then(|name| find(kind, name)) {
                        *value = found;
                    }
                }
            }
        }
    }
}

/// What the report says of each instance beyond what the mapping finds.
#[derive(Default)]
pub struct Notes {
    /// Its Terraform type and file, by id.
    pub names: BTreeMap<String, (String, String)>,
    /// Instances merged into the resource they configure, and into what.
    pub folded: BTreeMap<String, String>,
    /// Resources whose instances are not known, or of which none is
    /// created.
    pub unexpanded: Vec<Unexpanded>,
}

/// A resource not drawn as instances of its own.
pub struct Unexpanded {
    pub id: String,
    pub resource_type: String,
    pub file: String,
    pub line: usize,
    pub why: String,
    /// False when the module creates none of it.
    pub created: bool,
}

/// The instances as CloudFormation resources, and what the report needs
/// to name them as Terraform does.
pub fn template(evaluated: &Evaluated, aliases: &BTreeMap<String, String>) -> (Template, Notes) {
    let mut resources: Vec<Resource> = Vec::new();
    let mut notes = Notes::default();
    for instance in &evaluated.instances {
        let egress = instance.attributes.get("type").and_then(Val::as_str) == Some("egress");
        let kind = match instance.resource_type.as_str() {
            "aws_security_group_rule" if egress => "AWS::EC2::SecurityGroupEgress",
            "aws_security_group_rule" => "AWS::EC2::SecurityGroupIngress",
            other => TYPES
                .iter()
                .find(|(tf, _)| *tf == other)
                .map_or(other, |(_, cfn)| cfn),
        };
        notes.names.insert(
            instance.id.clone(),
            (instance.resource_type.clone(), instance.file.clone()),
        );
        let mut properties = cfn_properties(instance, aliases);
        if let Val::Map(entries) = &mut properties {
            entries.retain(|(k, _)| k != "Tags");
            entries.push(("Tags".into(), named(instance)));
        }
        resources.push(Resource {
            id: instance.id.clone(),
            kind: kind.to_string(),
            line: instance.line,
            properties,
            created: true,
        });
    }
    for instance in &evaluated.instances {
        let Some((target, key, value)) = companion(instance, &evaluated.instances) else {
            continue;
        };
        if let Some(Val::Map(entries)) = resources
            .iter_mut()
            .find(|r| r.id == target)
            .map(|r| &mut r.properties)
        {
            entries.retain(|(k, _)| k != key);
            entries.push((key.to_string(), value));
            notes.folded.insert(
                instance.id.clone(),
                match key {
                    "DomainValidationOptions" => "its certificate's DNS validation".into(),
                    _ => format!("{target}'s {key}"),
                },
            );
        }
    }
    // Instances not known are not drawn (their one set of arguments
    // stands for none in particular), unless they configure another.
    let mut kept = Vec::new();
    for (resource, instance) in resources.into_iter().zip(&evaluated.instances) {
        let (why, created) = match &instance.expansion {
            Expansion::Known => {
                kept.push(resource);
                continue;
            }
            Expansion::Unknown(why) => (why, true),
            Expansion::NoneCreated(why) => (why, false),
        };
        if notes.folded.contains_key(&instance.id) {
            kept.push(resource);
        } else {
            notes.unexpanded.push(Unexpanded {
                id: instance.id.clone(),
                resource_type: instance.resource_type.clone(),
                file: instance.file.clone(),
                line: instance.line,
                why: why.clone(),
                created,
            });
        }
    }
    let mut resources = kept;
    by_name(&mut resources);
    passwords_from_secrets(&mut resources, &evaluated.instances);
    let template = Template {
        resources,
        missing_parameters: evaluated.missing_variables.clone(),
        ..Template::default()
    };
    (template, notes)
}
