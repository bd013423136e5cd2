//! Evaluated CloudFormation resources as the diagram's nodes: each resource
//! type the exporters write maps back to its kind with the same facts;
//! containment follows `VpcId` and `SubnetId`; traffic edges come from what
//! the security groups admit. Every resource is accounted for in the report:
//! mapped, folded into another node (a route, a rule, an attachment), or not
//! drawn, with the reason.

use super::cfn::{Resource, Template, Val};
use super::report::{Outcome, Report};
use crate::domain::model::*;
use std::collections::{BTreeMap, BTreeSet};

/// The engine of a database instance outside an Aurora cluster that
/// stackdraw draws as an RDS database (Oracle and SQL Server it does not).
fn rds_engine(resource: &Resource) -> Option<RdsEngine> {
    let engine = text(resource.properties.get("Engine"))?;
    RdsEngine::ALL
        .into_iter()
        .find(|known| known.as_str() == engine.to_ascii_lowercase())
}

/// A database instance that is neither in an Aurora cluster nor of an
/// engine stackdraw draws, or a subnet group no database of the template
/// uses, is no part of a node: it is drawn as an other resource.
fn standalone_database(b: &Builder, resource: &Resource) -> Option<String> {
    let used = |kind: &str| {
        b.of_type(kind).any(|database| {
            database
                .properties
                .get("DBSubnetGroupName")
                .and_then(Val::target)
                == Some(&resource.id)
        })
    };
    match resource.kind.as_str() {
        "AWS::RDS::DBInstance" => {
            let cluster = resource
                .properties
                .get("DBClusterIdentifier")
                .and_then(Val::target);
            (cluster.is_none() && rds_engine(resource).is_none()).then(|| {
                "a database instance of an engine other than MySQL, PostgreSQL or MariaDB, outside an Aurora cluster, is not a kind stackdraw draws yet".into()
            })
        }
        "AWS::RDS::DBSubnetGroup"
            if !used("AWS::RDS::DBCluster") && !used("AWS::RDS::DBInstance") =>
        {
            Some("no database of the template uses this subnet group".into())
        }
        _ => None,
    }
}

/// A topic's queues: its inline subscriptions and the subscription
/// resources naming it, of the `sqs` protocol to a queue of the template;
/// each allowed when a queue policy of the queue lets SNS send.
fn queue_subscriptions(b: &Builder, topic: &Resource) -> Vec<QueueSubscription> {
    let mut out: Vec<QueueSubscription> = Vec::new();
    let inline = topic
        .properties
        .get("Subscription")
        .map(Val::items)
        .unwrap_or_default();
    let resources = b
        .of_type("AWS::SNS::Subscription")
        .filter(|s| s.properties.get("TopicArn").and_then(Val::target) == Some(&topic.id))
        .map(|s| &s.properties);
    for properties in inline.iter().chain(resources) {
        if text(properties.get("Protocol")).as_deref() != Some("sqs") {
            continue;
        }
        let Some(queue) = properties
            .get("Endpoint")
            .and_then(Val::target)
            .filter(|id| b.is_of_type(id, "AWS::SQS::Queue"))
        else {
            continue;
        };
        let Some(queue_id) = node_id(queue) else {
            continue;
        };
        if out.iter().any(|s| s.queue == queue_id) {
            continue;
        }
        out.push(QueueSubscription {
            queue: queue_id,
            raw_message_delivery: properties
                .get("RawMessageDelivery")
                .and_then(Val::as_bool)
                .unwrap_or(false),
            queue_policy_allows: queue_policy_lets_topic_send(b, queue, &topic.id),
        });
    }
    out
}

/// Whether a queue policy of `queue` lets SNS send from `topic`: a policy
/// (CloudFormation's `AWS::SQS::QueuePolicy`, Terraform's
/// `aws_sqs_queue_policy`) on the queue that names SNS's service principal
/// (or any principal) and either names the topic or no topic at all. Without
/// one, SQS refuses SNS's deliveries.
fn queue_policy_lets_topic_send(b: &Builder, queue: &str, topic: &str) -> bool {
    let policies = b
        .of_type("AWS::SQS::QueuePolicy")
        .map(|p| {
            (
                p.properties.get("Queues"),
                p.properties.get("PolicyDocument"),
            )
        })
        .chain(
            b.of_type("aws_sqs_queue_policy")
                .map(|p| (p.properties.get("queue_url"), p.properties.get("policy"))),
        );
    for (queues, document) in policies {
        let mut named = Vec::new();
        if let Some(queues) = queues {
            targets(queues, &mut named);
        }
        let Some(document) = document.filter(|_| named.iter().any(|q| q == queue)) else {
            continue;
        };
        let mut refers = Vec::new();
        targets(document, &mut refers);
        let topics: Vec<&String> = refers
            .iter()
            .filter(|id| b.is_of_type(id, "AWS::SNS::Topic"))
            .collect();
        let principal = names_principal(document, &|principal| {
            mentions(principal, "sns.amazonaws.com") || mentions(principal, "*")
        });
        if principal && (topics.is_empty() || topics.iter().any(|t| *t == topic)) {
            return true;
        }
    }
    false
}

/// Whether a `Principal` inside the policy `document` passes `test`.
fn names_principal(document: &Val, test: &dyn Fn(&Val) -> bool) -> bool {
    match document {
        Val::List(items) => items.iter().any(|v| names_principal(v, test)),
        Val::Map(entries) => entries
            .iter()
            .any(|(key, v)| (key == "Principal" && test(v)) || names_principal(v, test)),
        _ => false,
    }
}

/// Whether any text inside `value` is `needle`.
fn mentions(value: &Val, needle: &str) -> bool {
    match value {
        Val::Str(text) => text == needle,
        Val::List(items) => items.iter().any(|v| mentions(v, needle)),
        Val::Map(entries) => entries.iter().any(|(_, v)| mentions(v, needle)),
        _ => false,
    }
}

/// A subscription of another protocol than `sqs` (email, Lambda, HTTPS) is
/// drawn as an other resource; a queue's is its topic's.
fn unfolded_subscription(resource: &Resource) -> Option<String> {
    let protocol = text(resource.properties.get("Protocol"))?;
    (resource.kind == "AWS::SNS::Subscription" && protocol != "sqs").then(|| {
        format!("a subscription of the {protocol} protocol is not drawn yet; queues' subscriptions are their topic's")
    })
}

/// The resource types folded into the node they configure.
const FOLDED: &[(&str, &str)] = &[
    (
        "AWS::Lambda::EventSourceMapping",
        "the queues its function is triggered by",
    ),
    (
        "AWS::EC2::LaunchTemplate",
        "its Auto Scaling group's instance type and groups",
    ),
    ("AWS::ApiGatewayV2::Stage", "its API's default stage"),
    ("AWS::ApiGatewayV2::Route", "its API's routes"),
    (
        "AWS::ApiGatewayV2::Integration",
        "what its API's routes go to",
    ),
    ("AWS::ApiGatewayV2::VpcLink", "its API's VPC link"),
    (
        "AWS::Lambda::Permission",
        "its function's resource policy (who may invoke it)",
    ),
    ("AWS::SNS::Subscription", "its topic's queue subscriptions"),
    (
        "AWS::SecretsManager::SecretTargetAttachment",
        "the database whose credentials its secret holds",
    ),
    (
        "aws_secretsmanager_secret_version",
        "its secret's generated value",
    ),
    ("AWS::WAFv2::WebACLAssociation", "what its web ACL protects"),
    ("AWS::WAFv2::LoggingConfiguration", "its web ACL's logging"),
    ("AWS::ElastiCache::SubnetGroup", "its cache's subnets"),
    (
        "AWS::SQS::QueuePolicy",
        "whether its queue lets the topics subscribed to it send",
    ),
    (
        "aws_sqs_queue_policy",
        "whether its queue lets the topics subscribed to it send",
    ),
    (
        "AWS::EC2::VPCGatewayAttachment",
        "the internet gateway's VPC",
    ),
    ("AWS::EC2::VPCCidrBlock", "the VPC's secondary blocks"),
    (
        "AWS::EC2::SubnetRouteTableAssociation",
        "the subnet's route table",
    ),
    ("AWS::EC2::Route", "its route table's routes"),
    ("AWS::EC2::EIP", "its NAT gateway's Elastic IP"),
    (
        "AWS::EC2::SecurityGroupIngress",
        "its security group's inbound rules",
    ),
    (
        "AWS::EC2::SecurityGroupEgress",
        "its security group's outbound rules",
    ),
    ("AWS::EC2::NetworkAclEntry", "its network ACL's rules"),
    (
        "AWS::EC2::SubnetNetworkAclAssociation",
        "the network ACL's subnets",
    ),
    (
        "AWS::ElasticLoadBalancingV2::Listener",
        "its load balancer's listeners",
    ),
    (
        "AWS::ElasticLoadBalancingV2::TargetGroup",
        "its load balancer's target groups",
    ),
    (
        "AWS::ECS::TaskDefinition",
        "its service's containers and size",
    ),
    ("AWS::RDS::DBSubnetGroup", "its database's subnets"),
    (
        "AWS::RDS::DBInstance",
        "its cluster's instance count and class",
    ),
    (
        "AWS::CloudFront::OriginAccessControl",
        "its distribution's origin access",
    ),
    (
        "AWS::S3::BucketPolicy",
        "its bucket's access from the distribution",
    ),
    ("AWS::Logs::LogGroup", "its service's logs"),
    // Terraform splits into resources of their own what CloudFormation
    // writes as properties (its import keeps their own type names).
    ("aws_s3_bucket_versioning", "its bucket's versioning"),
    (
        "aws_s3_bucket_public_access_block",
        "its bucket's public access block",
    ),
    (
        "aws_s3_bucket_website_configuration",
        "its bucket's website hosting",
    ),
    (
        "aws_s3_bucket_server_side_encryption_configuration",
        "its bucket's encryption",
    ),
    ("aws_s3_bucket_ownership_controls", "its bucket's ownership"),
    (
        "aws_s3_bucket_lifecycle_configuration",
        "its bucket's lifecycle",
    ),
    ("aws_s3_bucket_logging", "its bucket's logging"),
    (
        "aws_s3_bucket_cors_configuration",
        "its bucket's CORS rules",
    ),
    ("aws_s3_bucket_acl", "its bucket's ACL"),
    (
        "aws_acm_certificate_validation",
        "its certificate's validation",
    ),
    (
        "aws_lb_target_group_attachment",
        "its target group's targets",
    ),
    (
        "aws_alb_target_group_attachment",
        "its target group's targets",
    ),
    (
        "aws_vpc_endpoint_route_table_association",
        "its endpoint's route tables",
    ),
    (
        "aws_vpc_endpoint_subnet_association",
        "its endpoint's subnets",
    ),
    (
        "aws_vpc_endpoint_security_group_association",
        "its endpoint's security groups",
    ),
];

/// What the mapping makes of a template.
pub struct Mapped {
    pub diagram: Diagram,
    pub report: Report,
}

fn node_id(logical: &str) -> Option<NodeId> {
    NodeId::new(logical).ok()
}

/// A resource's `Name` tag, or its logical id.
fn name_of(resource: &Resource) -> String {
    let tags = resource.properties.get("Tags");
    // A list of `Key`/`Value` pairs, or (API Gateway's) a map.
    let listed = tags
        .map(Val::items)
        .unwrap_or_default()
        .iter()
        .find(|tag| tag.get("Key").and_then(Val::as_str) == Some("Name"))
        .and_then(|tag| tag.get("Value").and_then(Val::as_str).map(str::to_string));
    let mapped = || match tags {
        Some(Val::Map(_)) => tags?.get("Name").and_then(Val::as_str).map(str::to_string),
        _ => None,
    };
    listed
        .or_else(mapped)
        .filter(|name| !name.trim().is_empty())
        .map_or_else(|| resource.id.clone(), |name| clip(&name))
}

/// Text as a diagram holds it: no longer than a file allows (a template's
/// tags and descriptions can be longer).
fn clip(text: &str) -> String {
    let limit = crate::domain::codec::Limits::default().max_text;
    text.chars().take(limit).collect()
}

fn text(value: Option<&Val>) -> Option<String> {
    match value? {
        Val::Str(text) => Some(clip(text)),
        _ => None,
    }
}

fn number<T: std::str::FromStr>(value: Option<&Val>) -> Option<T> {
    text(value)?.parse().ok()
}

fn protocol_of(value: Option<&Val>) -> Protocol {
    match text(value)
        .as_deref()
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("tcp" | "6") => Protocol::Tcp,
        Some("udp" | "17") => Protocol::Udp,
        Some("icmp" | "1") => Protocol::Icmp,
        _ => Protocol::All,
    }
}

/// A placeholder for part of a resource: a rule, a route.
struct Unknown {
    id: String,
    name: String,
    resource_type: &'static str,
    note: String,
    /// The resource it belongs to, and what it names.
    refers: Vec<String>,
}

struct Builder<'a> {
    template: &'a Template,
    /// The template's resources by type and by logical id: mapping asks
    /// for them per resource, so lookups must not scan (2,000 resources).
    by_kind: BTreeMap<&'a str, Vec<&'a Resource>>,
    by_id: BTreeMap<&'a str, &'a Resource>,
    region: String,
    nodes: Vec<Node>,
    report: Report,
    /// Logical ids of the resources mapped to nodes.
    mapped: BTreeSet<String>,
    /// Rules and routes with a value not known before a deploy, or a
    /// target stackdraw does not model: a placeholder each, drawn so the
    /// analysis says what it cannot know instead of guessing.
    unknowns: Vec<Unknown>,
}

impl<'a> Builder<'a> {
    fn of_type(&self, kind: &str) -> impl Iterator<Item = &'a Resource> + '_ {
        self.by_kind
            .get(kind)
            .into_iter()
            .flatten()
            .copied()
            .filter(|r| r.created)
    }

    fn resource(&self, id: &str) -> Option<&'a Resource> {
        self.by_id.get(id).copied()
    }

    fn is_of_type(&self, id: &str, kind: &str) -> bool {
        self.resource(id).is_some_and(|r| r.kind == kind)
    }

    /// The node a property refers to, if it names a resource.
    fn reference(&self, value: Option<&Val>) -> Option<NodeId> {
        let target = value?.target()?;
        self.resource(target).and_then(|_| node_id(target))
    }

    fn references(&self, value: Option<&Val>) -> Vec<NodeId> {
        value
            .map(Val::items)
            .unwrap_or_default()
            .iter()
            .filter_map(|v| self.reference(Some(v)))
            .collect()
    }

    fn add(&mut self, resource: &Resource, kind: NodeKind) {
        let Some(id) = node_id(&resource.id) else {
            return;
        };
        self.mapped.insert(resource.id.clone());
        self.nodes.push(Node {
            id,
            name: name_of(resource),
            kind,
        });
    }

    fn placeholder(&mut self, resource: &Resource, why: String) {
        self.report.push(
            &resource.id,
            &resource.kind,
            resource.line,
            Outcome::NotDrawn(why),
        );
    }

    fn cidr(&mut self, resource: &Resource, value: Option<&Val>, what: &str) -> Option<Cidr> {
        match value {
            Some(Val::Str(text)) => match Cidr::parse(text) {
                Ok(cidr) => Some(cidr),
                Err(error) => {
                    self.placeholder(
                        resource,
                        format!("its {what} {text:?} is not a block: {error}"),
                    );
                    None
                }
            },
            Some(Val::Unknown(why)) => {
                self.placeholder(resource, format!("its {what} is not known: {why}"));
                None
            }
            _ => {
                self.placeholder(resource, format!("it has no {what}"));
                None
            }
        }
    }
}

pub fn map(template: &Template, region: &str, name: &str) -> Mapped {
    let mut by_kind: BTreeMap<&str, Vec<&Resource>> = BTreeMap::new();
    let mut by_id: BTreeMap<&str, &Resource> = BTreeMap::new();
    for resource in &template.resources {
        by_kind
            .entry(resource.kind.as_str())
            .or_default()
            .push(resource);
        by_id.insert(resource.id.as_str(), resource);
    }
    let mut b = Builder {
        template,
        by_kind,
        by_id,
        region: region.to_string(),
        nodes: Vec::new(),
        report: Report::default(),
        mapped: BTreeSet::new(),
        unknowns: Vec::new(),
    };
    vpcs(&mut b);
    gateways(&mut b);
    route_tables(&mut b);
    subnets(&mut b);
    security_groups(&mut b);
    certificates(&mut b);
    endpoints_and_peerings(&mut b);
    network_acls(&mut b);
    services(&mut b);
    distributions(&mut b);
    hosted_zones(&mut b);
    let mut diagram = Diagram::empty(name, &b.region);
    diagram.nodes = std::mem::take(&mut b.nodes);
    drop_dangling(&mut diagram, &mut b);
    diagram.edges = edges_from_groups(&mut diagram);
    let granted = edges_from_task_roles(&b, &diagram);
    diagram.edges.extend(granted);
    // What the mapping reported already (a value not known, a reference to
    // what is not drawn) keeps that reason.
    let reported: BTreeSet<String> = b
        .report
        .items
        .iter()
        .map(|item| item.logical_id.clone())
        .collect();
    let mut known: BTreeSet<NodeId> = diagram.nodes.iter().map(|n| n.id.clone()).collect();
    for unknown in std::mem::take(&mut b.unknowns) {
        other_node(
            &mut diagram,
            &mut known,
            &Other {
                id: &unknown.id,
                name: &unknown.name,
                resource_type: unknown.resource_type,
                placeholder: true,
                note: &unknown.note,
                refers: &unknown.refers,
            },
        );
    }
    for resource in &template.resources {
        if b.mapped.contains(&resource.id) {
            b.report
                .push(&resource.id, &resource.kind, resource.line, Outcome::Mapped);
            continue;
        }
        if reported.contains(&resource.id) {
            continue;
        }
        let outcome = if !resource.created {
            Outcome::NotDrawn("its condition is false, so CloudFormation does not create it".into())
        } else if let Some(why) = standalone_database(&b, resource) {
            Outcome::Other(why)
        } else if let Some(why) = unfolded_subscription(resource) {
            Outcome::Other(why)
        } else if resource.kind == "AWS::CloudFormation::Stack" {
            if template.nested.contains(&resource.id) {
                Outcome::Folded("its template, imported with this one".into())
            } else {
                Outcome::Other(
                    "a placeholder: its template is not among the files given (give it under the name its TemplateURL ends with)"
                        .into(),
                )
            }
        } else if let Some((_, into)) = FOLDED.iter().find(|(kind, _)| *kind == resource.kind) {
            Outcome::Folded((*into).to_string())
        } else {
            Outcome::Other(format!(
                "{} is not a kind stackdraw draws yet",
                resource.kind
            ))
        };
        if let Outcome::Other(why) = &outcome {
            let placeholder = why.starts_with("a placeholder");
            let note = if placeholder {
                why.trim_start_matches("a placeholder: ").to_string()
            } else {
                String::new()
            };
            let mut refers = Vec::new();
            targets(&resource.properties, &mut refers);
            other_node(
                &mut diagram,
                &mut known,
                &Other {
                    id: &resource.id,
                    name: &name_of(resource),
                    resource_type: &resource.kind,
                    placeholder,
                    note: &note,
                    refers: &refers,
                },
            );
        }
        b.report
            .push(&resource.id, &resource.kind, resource.line, outcome);
    }
    for parameter in &template.missing_parameters {
        b.report.missing_parameter(parameter);
    }
    Mapped {
        diagram,
        report: b.report,
    }
}

/// Every logical id a value names.
pub fn targets(value: &Val, out: &mut Vec<String>) {
    match value {
        Val::Ref(id) | Val::Attr(id, _) => out.push(id.clone()),
        Val::Built { refers, .. } => out.extend(refers.iter().cloned()),
        Val::List(items) => items.iter().for_each(|v| targets(v, out)),
        Val::Map(entries) => entries.iter().for_each(|(_, v)| targets(v, out)),
        _ => {}
    }
}

/// What an other resource node is made from.
pub struct Other<'a> {
    /// Its logical id or address (the node's id when it can be one).
    pub id: &'a str,
    pub name: &'a str,
    pub resource_type: &'a str,
    pub placeholder: bool,
    pub note: &'a str,
    /// The logical ids it names.
    pub refers: &'a [String],
}

/// A node for what stackdraw does not model (or cannot resolve), with the
/// drawn nodes it refers to; none when its id cannot be a node's.
pub fn other_node(diagram: &mut Diagram, known: &mut BTreeSet<NodeId>, other: &Other) {
    let Other {
        id,
        name,
        resource_type,
        placeholder,
        note,
        refers,
    } = *other;
    let Some(node) = node_id(id) else {
        return;
    };
    if !known.insert(node.clone()) {
        return;
    }
    let mut refers_to: Vec<NodeId> = Vec::new();
    for target in refers {
        if let Some(target) = node_id(target) {
            if target != node && known.contains(&target) && !refers_to.contains(&target) {
                refers_to.push(target);
            }
        }
    }
    diagram.nodes.push(Node {
        id: node,
        name: clip(name),
        kind: NodeKind::OtherResource(OtherResource {
            resource_type: clip(resource_type),
            source_id: clip(id),
            placeholder,
            note: clip(note),
            refers_to,
        }),
    });
}

fn vpcs(b: &mut Builder) {
    let vpcs: Vec<Resource> = b.of_type("AWS::EC2::VPC").cloned().collect();
    for vpc in vpcs {
        let Some(cidr) = b.cidr(&vpc, vpc.properties.get("CidrBlock"), "CidrBlock") else {
            continue;
        };
        let secondary: Vec<Cidr> = b
            .of_type("AWS::EC2::VPCCidrBlock")
            .filter(|block| block.properties.get("VpcId").and_then(Val::target) == Some(&vpc.id))
            .filter_map(|block| text(block.properties.get("CidrBlock")))
            .filter_map(|text| Cidr::parse(&text).ok())
            .collect();
        let flag = |key: &str, default: bool| {
            vpc.properties
                .get(key)
                .and_then(Val::as_bool)
                .unwrap_or(default)
        };
        let kind = NodeKind::Vpc(Vpc {
            cidr,
            secondary_cidrs: secondary,
            dns_support: flag("EnableDnsSupport", true),
            dns_hostnames: flag("EnableDnsHostnames", false),
        });
        b.add(&vpc, kind);
    }
}

fn gateways(b: &mut Builder) {
    let gateways: Vec<Resource> = b.of_type("AWS::EC2::InternetGateway").cloned().collect();
    for gateway in gateways {
        // Terraform attaches a gateway by its own `vpc_id`.
        let own = b.reference(gateway.properties.get("VpcId"));
        let vpc = own.or_else(|| {
            b.of_type("AWS::EC2::VPCGatewayAttachment")
                .find(|a| {
                    a.properties.get("InternetGatewayId").and_then(Val::target) == Some(&gateway.id)
                })
                .and_then(|a| b.reference(a.properties.get("VpcId")))
        });
        b.add(&gateway, NodeKind::InternetGateway(InternetGateway { vpc }));
    }
}

/// Why a route is not analysed: what of it is not known, or what it
/// sends traffic to that stackdraw does not model.
fn route_problem(route: &Val) -> String {
    let why = |value: Option<&Val>| match value? {
        Val::Unknown(why) | Val::Built { why, .. } => Some(why.clone()),
        Val::Attr(id, attribute) => Some(format!("{id}.{attribute} is known only after a deploy")),
        _ => None,
    };
    if let Some(reason) = why(route.get("DestinationCidrBlock")) {
        return format!("its destination is not known: {reason}");
    }
    for key in ["DestinationIpv6CidrBlock", "DestinationPrefixListId"] {
        if route.get(key).is_some() {
            return format!("its destination is a {key}, which stackdraw does not analyse");
        }
    }
    for key in [
        "TransitGatewayId",
        "VpcEndpointId",
        "NetworkInterfaceId",
        "InstanceId",
        "EgressOnlyInternetGatewayId",
        "CarrierGatewayId",
        "LocalGatewayId",
        "CoreNetworkArn",
    ] {
        if route.get(key).is_some() {
            return format!("it sends traffic to a {key}, which stackdraw does not model");
        }
    }
    for key in ["GatewayId", "NatGatewayId", "VpcPeeringConnectionId"] {
        if let Some(reason) = why(route.get(key)) {
            return format!("its target is not known: {reason}");
        }
    }
    "its target is not a gateway, NAT gateway or peering of the template".into()
}

fn route_tables(b: &mut Builder) {
    let tables: Vec<Resource> = b.of_type("AWS::EC2::RouteTable").cloned().collect();
    for table in tables {
        let Some(vpc) = b.reference(table.properties.get("VpcId")) else {
            b.placeholder(&table, "its VpcId names no VPC of the template".into());
            continue;
        };
        let mut routes = Vec::new();
        // Routes written inside the table (Terraform's `route` blocks).
        let inline = table
            .properties
            .get("Routes")
            .map(Val::items)
            .unwrap_or_default();
        for (at, route) in inline.iter().enumerate() {
            let target = ["GatewayId", "NatGatewayId", "VpcPeeringConnectionId"]
                .iter()
                .find_map(|key| b.reference(route.get(key)));
            let destination =
                text(route.get("DestinationCidrBlock")).and_then(|t| Cidr::parse(&t).ok());
            match (destination, target) {
                (Some(destination), Some(target)) => routes.push(Route {
                    destination,
                    target,
                }),
                _ => {
                    let mut refers = vec![table.id.clone()];
                    targets(route, &mut refers);
                    b.unknowns.push(Unknown {
                        id: format!("{}.route-{}", table.id, at + 1),
                        name: format!("route {} of {}", at + 1, name_of(&table)),
                        resource_type: "route",
                        note: route_problem(route),
                        refers,
                    });
                }
            }
        }
        let route_resources: Vec<Resource> = b
            .of_type("AWS::EC2::Route")
            .filter(|r| r.properties.get("RouteTableId").and_then(Val::target) == Some(&table.id))
            .cloned()
            .collect();
        for route in route_resources {
            let target = ["GatewayId", "NatGatewayId", "VpcPeeringConnectionId"]
                .iter()
                .find_map(|key| b.reference(route.properties.get(key)));
            let destination = text(route.properties.get("DestinationCidrBlock"))
                .and_then(|t| Cidr::parse(&t).ok());
            match (destination, target) {
                (Some(destination), Some(target)) => routes.push(Route {
                    destination,
                    target,
                }),
                _ => {
                    let note = route_problem(&route.properties);
                    b.report.push(
                        &route.id,
                        &route.kind,
                        route.line,
                        Outcome::Other(format!("a placeholder: {note}")),
                    );
                    let mut refers = vec![table.id.clone()];
                    targets(&route.properties, &mut refers);
                    b.unknowns.push(Unknown {
                        id: route.id.clone(),
                        name: format!("route {} of {}", route.id, name_of(&table)),
                        resource_type: "route",
                        note,
                        refers,
                    });
                }
            }
        }
        b.add(&table, NodeKind::RouteTable(RouteTable { vpc, routes }));
    }
}

fn subnets(b: &mut Builder) {
    let subnets: Vec<Resource> = b.of_type("AWS::EC2::Subnet").cloned().collect();
    for subnet in subnets {
        let Some(vpc) = b.reference(subnet.properties.get("VpcId")) else {
            b.placeholder(&subnet, "its VpcId names no VPC of the template".into());
            continue;
        };
        let Some(cidr) = b.cidr(&subnet, subnet.properties.get("CidrBlock"), "CidrBlock") else {
            continue;
        };
        let given = subnet.properties.get("AvailabilityZone");
        let az = match text(given) {
            Some(az) => az,
            // A zone not known (or left to AWS) is drawn in the region's
            // first, with a placeholder that says it is a stand-in.
            None => {
                let first = crate::domain::validate::regions::zones(&b.region)
                    .into_iter()
                    .next()
                    .unwrap_or_default();
                let why = match given {
                    Some(Val::Unknown(why) | Val::Built { why, .. }) => {
                        format!("its zone is not known: {why}")
                    }
                    Some(Val::Attr(id, attribute)) => {
                        format!("its zone is {id}.{attribute}, known only after a deploy")
                    }
                    _ => "its zone is not given: AWS picks one when it creates the subnet".into(),
                };
                b.unknowns.push(Unknown {
                    id: format!("{}.zone", subnet.id),
                    name: format!("zone of {}", name_of(&subnet)),
                    resource_type: "availability zone",
                    note: format!("{why}; drawn in {first} until it is known"),
                    refers: vec![subnet.id.clone()],
                });
                first
            }
        };
        let route_table = b
            .of_type("AWS::EC2::SubnetRouteTableAssociation")
            .find(|a| a.properties.get("SubnetId").and_then(Val::target) == Some(&subnet.id))
            .and_then(|a| b.reference(a.properties.get("RouteTableId")));
        b.add(
            &subnet,
            NodeKind::Subnet(Subnet {
                vpc,
                cidr,
                az,
                route_table,
            }),
        );
    }
    let nats: Vec<Resource> = b.of_type("AWS::EC2::NatGateway").cloned().collect();
    for nat in nats {
        let Some(subnet) = b.reference(nat.properties.get("SubnetId")) else {
            b.placeholder(&nat, "its SubnetId names no subnet of the template".into());
            continue;
        };
        let private = text(nat.properties.get("ConnectivityType")).as_deref() == Some("private");
        b.add(
            &nat,
            NodeKind::NatGateway(NatGateway {
                subnet,
                connectivity: if private {
                    NatConnectivity::Private
                } else {
                    NatConnectivity::Public
                },
                elastic_ip: nat.properties.get("AllocationId").is_some(),
            }),
        );
    }
}

fn rules(b: &Builder, list: Option<&Val>, peer_key: &str) -> Vec<SecurityGroupRule> {
    list.map(Val::items)
        .unwrap_or_default()
        .iter()
        .flat_map(|rule| rules_of(b, rule, peer_key))
        .filter(|rule| !is_no_egress(rule))
        .collect()
}

/// A rule, or one per block of its `CidrIps` (a Terraform rule lists
/// several blocks; CloudFormation's has one).
fn rules_of(b: &Builder, rule: &Val, peer_key: &str) -> Vec<SecurityGroupRule> {
    match rule.get("CidrIps") {
        Some(Val::List(blocks)) => blocks
            .iter()
            .filter_map(|block| {
                let mut one = rule.clone();
                if let Val::Map(entries) = &mut one {
                    entries.retain(|(k, _)| k != "CidrIps");
                    entries.push(("CidrIp".into(), block.clone()));
                }
                rule_of(b, &one, peer_key)
            })
            .collect(),
        _ => rule_of(b, rule, peer_key).into_iter().collect(),
    }
}

/// All traffic to 127.0.0.1/32: how a template says "no outbound rule"
/// (listing any rule replaces AWS's default allow-all; this one matches
/// nothing that leaves the instance). AWS's CloudFormation reference,
/// AWS::EC2::SecurityGroup, SecurityGroupEgress.
fn is_no_egress(rule: &SecurityGroupRule) -> bool {
    rule.protocol == Protocol::All
        && matches!(&rule.peer, Peer::Cidr(cidr) if cidr.to_string() == "127.0.0.1/32")
}

fn rule_of(b: &Builder, rule: &Val, peer_key: &str) -> Option<SecurityGroupRule> {
    let protocol = protocol_of(rule.get("IpProtocol"));
    let (from_port, to_port) = match protocol {
        Protocol::Tcp | Protocol::Udp => (
            number(rule.get("FromPort")).unwrap_or(0),
            number(rule.get("ToPort")).unwrap_or(65535),
        ),
        _ => (0, 0),
    };
    let peer = match (rule.get("CidrIp"), b.reference(rule.get(peer_key))) {
        (_, Some(group)) => Peer::SecurityGroup(group),
        (Some(Val::Str(cidr)), _) => Peer::Cidr(Cidr::parse(cidr).ok()?),
        _ => return None,
    };
    Some(SecurityGroupRule {
        protocol,
        from_port,
        to_port,
        peer,
        description: text(rule.get("Description")).unwrap_or_default(),
    })
}

/// What of a rule is not known before a deploy, and why: its address
/// block (or one of them), its group, or its ports.
fn unknown_in_rule(rule: &Val, peer_key: &str) -> Option<String> {
    let why = |value: &Val| match value {
        Val::Unknown(why) => Some(why.clone()),
        Val::Built { why, .. } => Some(why.clone()),
        Val::Attr(id, attribute) => Some(format!("{id}.{attribute} is known only after a deploy")),
        _ => None,
    };
    let blocks = rule
        .get("CidrIp")
        .into_iter()
        .chain(rule.get("CidrIps").map(Val::items).unwrap_or_default());
    for block in blocks {
        if let Some(reason) = why(block) {
            return Some(format!("address block is not known: {reason}"));
        }
    }
    if let Some(Val::Unknown(reason) | Val::Built { why: reason, .. }) = rule.get(peer_key) {
        return Some(format!("security group is not known: {reason}"));
    }
    for key in ["FromPort", "ToPort", "IpProtocol"] {
        if let Some(Val::Unknown(reason) | Val::Built { why: reason, .. }) = rule.get(key) {
            return Some(format!("ports are not known: {reason}"));
        }
    }
    None
}

fn security_groups(b: &mut Builder) {
    let groups: Vec<Resource> = b.of_type("AWS::EC2::SecurityGroup").cloned().collect();
    for group in groups {
        let Some(vpc) = b.reference(group.properties.get("VpcId")) else {
            b.placeholder(&group, "its VpcId names no VPC of the template".into());
            continue;
        };
        // Rules whose block, group or ports are not known: placeholders.
        for (list, peer_key, direction) in [
            ("SecurityGroupIngress", "SourceSecurityGroupId", "inbound"),
            (
                "SecurityGroupEgress",
                "DestinationSecurityGroupId",
                "outbound",
            ),
        ] {
            let inline = group
                .properties
                .get(list)
                .map(Val::items)
                .unwrap_or_default();
            for (at, rule) in inline.iter().enumerate() {
                if let Some(why) = unknown_in_rule(rule, peer_key) {
                    b.unknowns.push(Unknown {
                        id: format!("{}.{direction}-rule-{}", group.id, at + 1),
                        name: format!("{direction} rule {} of {}", at + 1, name_of(&group)),
                        resource_type: "security group rule",
                        note: format!("its {why}"),
                        refers: vec![group.id.clone()],
                    });
                }
            }
        }
        for (kind, peer_key) in [
            ("AWS::EC2::SecurityGroupIngress", "SourceSecurityGroupId"),
            (
                "AWS::EC2::SecurityGroupEgress",
                "DestinationSecurityGroupId",
            ),
        ] {
            let unknown: Vec<(Resource, String)> = b
                .of_type(kind)
                .filter(|r| r.properties.get("GroupId").and_then(Val::target) == Some(&group.id))
                .filter_map(|r| Some((r.clone(), unknown_in_rule(&r.properties, peer_key)?)))
                .collect();
            for (rule, why) in unknown {
                let note = format!("its {why}");
                b.report.push(
                    &rule.id,
                    &rule.kind,
                    rule.line,
                    Outcome::Other(format!("a placeholder: {note}")),
                );
                b.unknowns.push(Unknown {
                    id: rule.id.clone(),
                    name: format!("rule {} of {}", rule.id, name_of(&group)),
                    resource_type: "security group rule",
                    note,
                    refers: vec![group.id.clone()],
                });
            }
        }
        let mut ingress = rules(
            b,
            group.properties.get("SecurityGroupIngress"),
            "SourceSecurityGroupId",
        );
        let mut egress = rules(
            b,
            group.properties.get("SecurityGroupEgress"),
            "DestinationSecurityGroupId",
        );
        // Without any egress, a new group allows everything out.
        if group.properties.get("SecurityGroupEgress").is_none() {
            egress.push(SecurityGroupRule::allow_all_egress());
        }
        for (kind, list, peer_key) in [
            (
                "AWS::EC2::SecurityGroupIngress",
                &mut ingress,
                "SourceSecurityGroupId",
            ),
            (
                "AWS::EC2::SecurityGroupEgress",
                &mut egress,
                "DestinationSecurityGroupId",
            ),
        ] {
            let separate: Vec<Val> = b
                .of_type(kind)
                .filter(|r| r.properties.get("GroupId").and_then(Val::target) == Some(&group.id))
                .map(|r| r.properties.clone())
                .collect();
            list.extend(separate.iter().flat_map(|rule| rules_of(b, rule, peer_key)));
        }
        b.add(
            &group,
            NodeKind::SecurityGroup(SecurityGroup {
                vpc,
                description: text(group.properties.get("GroupDescription")).unwrap_or_default(),
                ingress,
                egress,
            }),
        );
    }
}

fn endpoints_and_peerings(b: &mut Builder) {
    let peerings: Vec<Resource> = b
        .of_type("AWS::EC2::VPCPeeringConnection")
        .cloned()
        .collect();
    for peering in peerings {
        let ends = (
            b.reference(peering.properties.get("VpcId")),
            b.reference(peering.properties.get("PeerVpcId")),
        );
        let (Some(requester), Some(accepter)) = ends else {
            b.placeholder(
                &peering,
                "its VPCs are not both VPCs of the template".into(),
            );
            continue;
        };
        b.add(
            &peering,
            NodeKind::VpcPeering(VpcPeering {
                requester,
                accepter,
            }),
        );
    }
    let endpoints: Vec<Resource> = b.of_type("AWS::EC2::VPCEndpoint").cloned().collect();
    for endpoint in endpoints {
        let name = match endpoint.properties.get("ServiceName") {
            Some(Val::Unknown(why)) => format!("(not known: {why})"),
            other => text(other).unwrap_or_default(),
        };
        let service = EndpointService::ALL
            .into_iter()
            .find(|service| name.ends_with(&format!(".{}", service.service_suffix())));
        let (Some(vpc), Some(service)) = (b.reference(endpoint.properties.get("VpcId")), service)
        else {
            b.placeholder(
                &endpoint,
                format!("its service {name:?} or its VPC is not one stackdraw draws yet"),
            );
            continue;
        };
        let kind = NodeKind::VpcEndpoint(VpcEndpoint {
            vpc,
            service,
            route_tables: b.references(endpoint.properties.get("RouteTableIds")),
            subnets: b.references(endpoint.properties.get("SubnetIds")),
            security_groups: b.references(endpoint.properties.get("SecurityGroupIds")),
        });
        b.add(&endpoint, kind);
    }
}

fn network_acls(b: &mut Builder) {
    let acls: Vec<Resource> = b.of_type("AWS::EC2::NetworkAcl").cloned().collect();
    for acl in acls {
        let Some(vpc) = b.reference(acl.properties.get("VpcId")) else {
            b.placeholder(&acl, "its VpcId names no VPC of the template".into());
            continue;
        };
        // Terraform writes subnets and entries inside the ACL too.
        let mut subnets = b.references(acl.properties.get("SubnetIds"));
        subnets.extend(
            b.of_type("AWS::EC2::SubnetNetworkAclAssociation")
                .filter(|a| a.properties.get("NetworkAclId").and_then(Val::target) == Some(&acl.id))
                .filter_map(|a| b.reference(a.properties.get("SubnetId"))),
        );
        let (mut inbound, mut outbound) = (Vec::new(), Vec::new());
        let mut entries: Vec<Resource> = acl
            .properties
            .get("Entries")
            .map(Val::items)
            .unwrap_or_default()
            .iter()
            .map(|entry| Resource {
                properties: entry.clone(),
                ..acl.clone()
            })
            .collect();
        entries.extend(
            b.of_type("AWS::EC2::NetworkAclEntry")
                .filter(|e| e.properties.get("NetworkAclId").and_then(Val::target) == Some(&acl.id))
                .cloned(),
        );
        for entry in entries {
            let p = &entry.properties;
            let cidr = text(p.get("CidrBlock")).and_then(|t| Cidr::parse(&t).ok());
            let (Some(rule_number), Some(cidr)) = (number::<u16>(p.get("RuleNumber")), cidr) else {
                b.report.push(
                    &entry.id,
                    &entry.kind,
                    entry.line,
                    Outcome::NotDrawn("its rule number or IPv4 block is not known".into()),
                );
                continue;
            };
            let protocol = protocol_of(p.get("Protocol"));
            let range = p.get("PortRange");
            let (from_port, to_port) = match protocol {
                Protocol::Tcp | Protocol::Udp => (
                    number(range.and_then(|r| r.get("From"))).unwrap_or(0),
                    number(range.and_then(|r| r.get("To"))).unwrap_or(65535),
                ),
                _ => (0, 0),
            };
            let rule = AclRule {
                number: rule_number,
                action: if text(p.get("RuleAction")).as_deref() == Some("deny") {
                    AclAction::Deny
                } else {
                    AclAction::Allow
                },
                protocol,
                from_port,
                to_port,
                cidr,
            };
            if p.get("Egress").and_then(Val::as_bool).unwrap_or(false) {
                outbound.push(rule);
            } else {
                inbound.push(rule);
            }
        }
        b.add(
            &acl,
            NodeKind::NetworkAcl(NetworkAcl {
                vpc,
                subnets,
                inbound,
                outbound,
            }),
        );
    }
}

fn distributions(b: &mut Builder) {
    let distributions: Vec<Resource> = b
        .of_type("AWS::CloudFront::Distribution")
        .cloned()
        .collect();
    for distribution in distributions {
        let Some(config) = distribution.properties.get("DistributionConfig") else {
            b.placeholder(&distribution, "it has no DistributionConfig".into());
            continue;
        };
        let default_origin = text(
            config
                .get("DefaultCacheBehavior")
                .and_then(|d| d.get("TargetOriginId")),
        );
        let patterns: Vec<(String, String)> = config
            .get("CacheBehaviors")
            .map(Val::items)
            .unwrap_or_default()
            .iter()
            .filter_map(|c| Some((text(c.get("TargetOriginId"))?, text(c.get("PathPattern"))?)))
            .collect();
        let mut origins = Vec::new();
        for origin in config.get("Origins").map(Val::items).unwrap_or_default() {
            let Some(target) = origin.get("DomainName").and_then(Val::target) else {
                continue;
            };
            let Some(target) = node_id(target) else {
                continue;
            };
            let id = text(origin.get("Id")).unwrap_or_default();
            let access = if origin.get("S3OriginConfig").is_some() {
                let oai = text(
                    origin
                        .get("S3OriginConfig")
                        .and_then(|c| c.get("OriginAccessIdentity")),
                )
                .is_some_and(|oai| !oai.is_empty());
                if origin.get("OriginAccessControlId").is_some() {
                    OriginAccess::Oac
                } else if oai {
                    OriginAccess::LegacyOai
                } else {
                    OriginAccess::Public
                }
            } else {
                let policy = text(
                    origin
                        .get("CustomOriginConfig")
                        .and_then(|c| c.get("OriginProtocolPolicy")),
                );
                match policy.as_deref() {
                    Some("http-only") => OriginAccess::HttpOnly,
                    _ if b.is_of_type(target.as_str(), "AWS::S3::Bucket") => OriginAccess::Public,
                    _ => OriginAccess::HttpsOnly,
                }
            };
            let path_pattern = if default_origin.as_deref() == Some(id.as_str()) {
                None
            } else {
                patterns
                    .iter()
                    .find(|(o, _)| *o == id)
                    .map(|(_, p)| p.clone())
            };
            origins.push(CloudFrontOrigin {
                target,
                path_pattern,
                access,
            });
        }
        let price_class = match text(config.get("PriceClass")).as_deref() {
            Some("PriceClass_100") => PriceClass::PriceClass100,
            Some("PriceClass_All") => PriceClass::PriceClassAll,
            _ => PriceClass::PriceClass200,
        };
        let kind = NodeKind::CloudFront(CloudFront {
            origins,
            aliases: config
                .get("Aliases")
                .map(Val::items)
                .unwrap_or_default()
                .iter()
                .filter_map(|a| text(Some(a)))
                .collect(),
            certificate: viewer_certificate(b, &distribution, config),
            default_root_object: text(config.get("DefaultRootObject")).unwrap_or_default(),
            price_class,
        });
        b.add(&distribution, kind);
    }
}

/// A distribution's certificate: one of the template's, or one it is given
/// (it must be in us-east-1, so stacks elsewhere take it as a parameter),
/// drawn as a certificate standing for the one given.
fn viewer_certificate(b: &mut Builder, distribution: &Resource, config: &Val) -> Option<NodeId> {
    let arn = config.get("ViewerCertificate")?.get("AcmCertificateArn")?;
    if let Some(certificate) = b.reference(Some(arn)) {
        return Some(certificate);
    }
    let id = node_id(&format!("{}Certificate", distribution.id))?;
    let domain_name = config
        .get("Aliases")
        .map(Val::items)
        .unwrap_or_default()
        .iter()
        .find_map(|alias| text(Some(alias)))?;
    let given = match arn {
        Val::Str(arn) => format!("the certificate {arn}"),
        Val::Unknown(why) => format!("the certificate the template is given ({why})"),
        _ => "the certificate the template is given".to_string(),
    };
    b.report.stand_in(
        id.as_str(),
        &format!("a certificate for {domain_name} in us-east-1, standing for {given}"),
    );
    b.nodes.push(Node {
        id: id.clone(),
        name: format!("{domain_name} certificate"),
        kind: NodeKind::AcmCertificate(AcmCertificate {
            domain_name,
            subject_alternative_names: Vec::new(),
            region: "us-east-1".into(),
            validation_zone: None,
        }),
    });
    Some(id)
}

/// The hosted zone a `HostedZoneId` names: the template's own, or one it is
/// given, drawn as a stand-in (its node id made from the parameter's name).
fn zone_key(value: Option<&Val>, template: &Template) -> Option<String> {
    match value? {
        Val::Ref(id) | Val::Attr(id, _) => Some(id.clone()),
        Val::Str(given) => Some(given.clone()),
        Val::Unknown(why) => template
            .missing_parameters
            .iter()
            .find(|p| {
                why.contains(&format!("parameter {p} ")) || why.contains(&format!("variable {p} "))
            })
            .cloned(),
        _ => None,
    }
}

/// The longest domain every name ends with, on label boundaries; for one
/// name, the name without its first label.
fn common_domain(names: &[String]) -> Option<String> {
    let mut labels: Vec<&str> = names.first()?.trim_end_matches('.').split('.').collect();
    if names.len() == 1 {
        labels.remove(0);
    }
    for name in &names[1..] {
        let other: Vec<&str> = name.trim_end_matches('.').split('.').collect();
        let shared = labels
            .iter()
            .rev()
            .zip(other.iter().rev())
            .take_while(|(a, b)| a == b)
            .count();
        labels = labels[labels.len() - shared..].to_vec();
    }
    (labels.len() >= 2).then(|| labels.join("."))
}

fn hosted_zones(b: &mut Builder) {
    let records: Vec<Resource> = b.of_type("AWS::Route53::RecordSet").cloned().collect();
    let zones: Vec<Resource> = b.of_type("AWS::Route53::HostedZone").cloned().collect();
    // Zones by what names them: the template's, then those it is given.
    let mut keys: Vec<String> = zones.iter().map(|z| z.id.clone()).collect();
    for record in &records {
        if let Some(key) = zone_key(record.properties.get("HostedZoneId"), b.template) {
            if !keys.contains(&key) {
                keys.push(key);
            }
        }
    }
    for key in keys {
        let mine: Vec<&Resource> = records
            .iter()
            .filter(|r| {
                zone_key(r.properties.get("HostedZoneId"), b.template).as_deref()
                    == Some(key.as_str())
            })
            .collect();
        let names: Vec<String> = mine
            .iter()
            .filter_map(|r| text(r.properties.get("Name")))
            .collect();
        let own = zones.iter().find(|z| z.id == key);
        let domain = own
            .and_then(|z| text(z.properties.get("Name")))
            .map(|d| d.trim_end_matches('.').to_string())
            .or_else(|| common_domain(&names));
        let Some(domain) = domain else {
            for record in mine {
                b.report.push(
                    &record.id,
                    &record.kind,
                    record.line,
                    Outcome::NotDrawn("its zone's domain is not known".into()),
                );
            }
            continue;
        };
        let mut dns_records = Vec::new();
        for record in &mine {
            let name = text(record.properties.get("Name")).unwrap_or_default();
            let name = name.trim_end_matches('.');
            let relative = name
                .strip_suffix(&domain)
                .map(|rest| rest.trim_end_matches('.').to_string())
                .unwrap_or_else(|| name.to_string());
            let record_type = match text(record.properties.get("Type")).as_deref() {
                Some("AAAA") => DnsRecordType::Aaaa,
                Some("CNAME") => DnsRecordType::Cname,
                Some("TXT") => DnsRecordType::Txt,
                _ => DnsRecordType::A,
            };
            let target = match record
                .properties
                .get("AliasTarget")
                .and_then(|a| a.get("DNSName"))
                .and_then(Val::target)
                .and_then(node_id)
            {
                Some(target) => DnsTarget::Alias(target),
                None => DnsTarget::Values(
                    record
                        .properties
                        .get("ResourceRecords")
                        .map(Val::items)
                        .unwrap_or_default()
                        .iter()
                        .filter_map(|v| text(Some(v)))
                        .collect(),
                ),
            };
            dns_records.push(DnsRecord {
                name: relative,
                record_type,
                target,
            });
            b.report.push(
                &record.id,
                &record.kind,
                record.line,
                Outcome::Folded(format!("the records of the zone {domain}")),
            );
        }
        let kind = NodeKind::Route53Zone(Route53Zone {
            domain_name: domain.clone(),
            records: dns_records,
        });
        match own {
            Some(zone) => {
                let zone = zone.clone();
                b.add(&zone, kind);
            }
            None => {
                let Some(id) = node_id(&key.replace(':', "-")) else {
                    continue;
                };
                b.report.stand_in(
                    id.as_str(),
                    &format!("the hosted zone {domain}, which the template is given ({key})"),
                );
                b.nodes.push(Node {
                    id,
                    name: domain,
                    kind,
                });
            }
        }
    }
}

fn certificates(b: &mut Builder) {
    let certificates: Vec<Resource> = b
        .of_type("AWS::CertificateManager::Certificate")
        .cloned()
        .collect();
    for certificate in certificates {
        let Some(domain_name) = text(certificate.properties.get("DomainName")) else {
            b.placeholder(&certificate, "its domain name is not known".into());
            continue;
        };
        let names = certificate
            .properties
            .get("SubjectAlternativeNames")
            .map(Val::items)
            .unwrap_or_default()
            .iter()
            .filter_map(|name| text(Some(name)))
            .collect();
        // Terraform's provider 6 gives a resource its own region.
        let region = text(certificate.properties.get("Region")).unwrap_or_else(|| b.region.clone());
        let validation_zone = certificate
            .properties
            .get("DomainValidationOptions")
            .and_then(|o| o.items().first())
            .and_then(|o| zone_key(o.get("HostedZoneId"), b.template))
            .and_then(|key| node_id(&key.replace(':', "-")));
        b.add(
            &certificate,
            NodeKind::AcmCertificate(AcmCertificate {
                domain_name,
                subject_alternative_names: names,
                region,
                validation_zone,
            }),
        );
    }
}

/// A listener as the model holds it, when its port and action are known.
fn listener_of(b: &Builder, l: &Resource) -> Option<Listener> {
    let action = l.properties.get("DefaultActions")?.items().first()?;
    let action = match text(action.get("Type")).as_deref() {
        Some("forward") => ListenerAction::Forward(
            action
                .get("TargetGroupArn")
                .and_then(Val::target)?
                .to_string(),
        ),
        Some("redirect") => ListenerAction::RedirectToHttps,
        _ => ListenerAction::FixedResponse(
            number(
                action
                    .get("FixedResponseConfig")
                    .and_then(|c| c.get("StatusCode")),
            )
            .unwrap_or(404),
        ),
    };
    Some(Listener {
        port: number(l.properties.get("Port"))?,
        protocol: if text(l.properties.get("Protocol")).as_deref() == Some("HTTPS") {
            ListenerProtocol::Https
        } else {
            ListenerProtocol::Http
        },
        certificate: l
            .properties
            .get("Certificates")
            .and_then(|c| c.items().first())
            .and_then(|c| b.reference(c.get("CertificateArn"))),
        action,
    })
}

fn services(b: &mut Builder) {
    let balancers: Vec<Resource> = b
        .of_type("AWS::ElasticLoadBalancingV2::LoadBalancer")
        .cloned()
        .collect();
    for alb in balancers {
        let target_groups: Vec<Resource> = b
            .of_type("AWS::ElasticLoadBalancingV2::TargetGroup")
            .cloned()
            .collect();
        let mine: Vec<&Resource> = b
            .of_type("AWS::ElasticLoadBalancingV2::Listener")
            .filter(|l| l.properties.get("LoadBalancerArn").and_then(Val::target) == Some(&alb.id))
            .collect();
        let mut listeners = Vec::new();
        let mut dropped = Vec::new();
        for l in mine {
            match listener_of(b, l) {
                Some(listener) => listeners.push(listener),
                None => dropped.push(l.clone()),
            }
        }
        // A listener whose port or action is not known, or that forwards
        // outside the template: a placeholder beside its load balancer.
        for l in dropped {
            let note = match l.properties.get("Port") {
                Some(Val::Unknown(why) | Val::Built { why, .. }) => {
                    format!("its port is not known: {why}")
                }
                _ => "its action is not known or forwards to a target group outside the template"
                    .into(),
            };
            b.report.push(
                &l.id,
                &l.kind,
                l.line,
                Outcome::Other(format!("a placeholder: {note}")),
            );
            b.unknowns.push(Unknown {
                id: l.id.clone(),
                name: format!("listener {} of {}", l.id, name_of(&alb)),
                resource_type: "listener",
                note,
                refers: vec![alb.id.clone()],
            });
        }
        let groups = target_groups
            .iter()
            .filter(|g| {
                listeners
                    .iter()
                    .any(|l| l.action == ListenerAction::Forward(g.id.clone()))
            })
            .map(|g| TargetGroup {
                name: g.id.clone(),
                protocol: ListenerProtocol::Http,
                port: number(g.properties.get("Port")).unwrap_or(80),
                target_type: match text(g.properties.get("TargetType")).as_deref() {
                    Some("ip") => TargetType::Ip,
                    Some("lambda") => TargetType::Lambda,
                    _ => TargetType::Instance,
                },
                health_check: HealthCheck {
                    path: text(g.properties.get("HealthCheckPath")),
                    ..HealthCheck::default()
                },
                target: invoked_function(b, g)
                    .or_else(|| scaled_instances(b, g))
                    .or_else(|| registered_instance(b, g))
                    .or_else(|| {
                        b.of_type("AWS::ECS::Service")
                            .find(|s| {
                                s.properties
                                    .get("LoadBalancers")
                                    .map(Val::items)
                                    .unwrap_or_default()
                                    .iter()
                                    .any(|lb| {
                                        lb.get("TargetGroupArn").and_then(Val::target)
                                            == Some(&g.id)
                                    })
                            })
                            .and_then(|s| {
                                let binding = s.properties.get("LoadBalancers")?.items().first()?;
                                Some(ServiceTarget {
                                    service: node_id(&s.id)?,
                                    container: text(binding.get("ContainerName"))?,
                                })
                            })
                    }),
            })
            .collect();
        let internal = text(alb.properties.get("Scheme")).as_deref() == Some("internal");
        let kind = NodeKind::LoadBalancer(LoadBalancer {
            scheme: if internal {
                LoadBalancerScheme::Internal
            } else {
                LoadBalancerScheme::InternetFacing
            },
            subnets: b.references(alb.properties.get("Subnets")),
            security_groups: b.references(alb.properties.get("SecurityGroups")),
            listeners,
            target_groups: groups,
        });
        b.add(&alb, kind);
    }
    let clusters: Vec<Resource> = b.of_type("AWS::ECS::Cluster").cloned().collect();
    for cluster in clusters {
        b.add(
            &cluster,
            NodeKind::EcsCluster(EcsCluster {
                container_insights: false,
            }),
        );
    }
    let ecs_services: Vec<Resource> = b.of_type("AWS::ECS::Service").cloned().collect();
    for service in ecs_services {
        let network = service
            .properties
            .get("NetworkConfiguration")
            .and_then(|n| n.get("AwsvpcConfiguration"));
        let task = service
            .properties
            .get("TaskDefinition")
            .and_then(Val::target)
            .and_then(|id| b.resource(id));
        let containers: Vec<Container> = task
            .and_then(|t| t.properties.get("ContainerDefinitions"))
            .map(Val::items)
            .unwrap_or_default()
            .iter()
            .filter_map(|c| {
                let repository = match c.get("Image") {
                    Some(Val::Built { refers, .. }) => refers
                        .iter()
                        .find(|id| b.is_of_type(id, "AWS::ECR::Repository")),
                    _ => None,
                };
                let image = match repository.and_then(|id| node_id(id)) {
                    Some(repository) => ContainerImage::Ecr(repository),
                    None => ContainerImage::Registry(
                        text(c.get("Image")).unwrap_or_else(|| "unknown".into()),
                    ),
                };
                let of_kind = |id: &str, kind: &str| b.is_of_type(id, kind);
                let environment = c
                    .get("Environment")
                    .map(Val::items)
                    .unwrap_or_default()
                    .iter()
                    .filter_map(|variable| {
                        let value = match variable.get("Value")? {
                            Val::Str(text) => EnvironmentValue::Text(text.clone()),
                            Val::Attr(id, attribute) if attribute.starts_with("Endpoint") => {
                                EnvironmentValue::EndpointOf(node_id(id)?)
                            }
                            Val::Attr(id, attribute) if attribute == "DNSName" => {
                                EnvironmentValue::EndpointOf(node_id(id)?)
                            }
                            _ => return None,
                        };
                        Some(EnvironmentVariable {
                            name: text(variable.get("Name"))?,
                            value,
                        })
                    })
                    .collect();
                let secrets = c
                    .get("Secrets")
                    .map(Val::items)
                    .unwrap_or_default()
                    .iter()
                    .filter_map(|secret| {
                        let from = match secret.get("ValueFrom")? {
                            Val::Str(name) => SecretSource::SecretsManager(name.clone()),
                            Val::Built { refers, .. } => {
                                // RDS's own secret of a cluster, or a secret
                                // holding a database's credentials.
                                let db = refers
                                    .iter()
                                    .find(|id| of_kind(id, "AWS::RDS::DBCluster"))
                                    .cloned()
                                    .or_else(|| {
                                        refers.iter().find_map(|id| credentials_held_by(b, id))
                                    })?;
                                SecretSource::DatabasePassword(node_id(&db)?)
                            }
                            Val::Attr(id, _) if of_kind(id, "AWS::RDS::DBCluster") => {
                                SecretSource::DatabasePassword(node_id(id)?)
                            }
                            _ => return None,
                        };
                        Some(ContainerSecret {
                            name: text(secret.get("Name"))?,
                            from,
                        })
                    })
                    .collect();
                Some(Container {
                    name: text(c.get("Name"))?,
                    image,
                    port: c
                        .get("PortMappings")
                        .and_then(|p| p.items().first())
                        .and_then(|p| number(p.get("ContainerPort"))),
                    essential: c.get("Essential").and_then(Val::as_bool).unwrap_or(true),
                    environment,
                    secrets,
                })
            })
            .collect();
        let size = |key: &str, default: u32| {
            number(task.and_then(|t| t.properties.get(key))).unwrap_or(default)
        };
        let kind = NodeKind::FargateService(FargateService {
            cluster: b.reference(service.properties.get("Cluster")),
            cpu: size("Cpu", 256),
            memory: size("Memory", 512),
            containers,
            desired_count: number(service.properties.get("DesiredCount")).unwrap_or(1),
            subnets: b.references(network.and_then(|n| n.get("Subnets"))),
            security_groups: b.references(network.and_then(|n| n.get("SecurityGroups"))),
            assign_public_ip: text(network.and_then(|n| n.get("AssignPublicIp"))).as_deref()
                == Some("ENABLED"),
            min_healthy_percent: 100,
            max_percent: 200,
        });
        b.add(&service, kind);
    }
    let databases: Vec<Resource> = b.of_type("AWS::RDS::DBCluster").cloned().collect();
    for db in databases {
        let subnets = db
            .properties
            .get("DBSubnetGroupName")
            .and_then(Val::target)
            .and_then(|id| b.resource(id))
            .map(|group| b.references(group.properties.get("SubnetIds")))
            .unwrap_or_default();
        let instances: Vec<&Resource> = b
            .of_type("AWS::RDS::DBInstance")
            .filter(|i| {
                i.properties
                    .get("DBClusterIdentifier")
                    .and_then(Val::target)
                    == Some(&db.id)
            })
            .collect();
        let postgres = text(db.properties.get("Engine")).as_deref() == Some("aurora-postgresql");
        let kind = NodeKind::AuroraCluster(AuroraCluster {
            engine: if postgres {
                AuroraEngine::AuroraPostgresql
            } else {
                AuroraEngine::AuroraMysql
            },
            engine_version: text(db.properties.get("EngineVersion")).unwrap_or_default(),
            port: number(db.properties.get("Port")).unwrap_or(if postgres { 5432 } else { 3306 }),
            database_name: text(db.properties.get("DatabaseName")).unwrap_or_default(),
            master_username: text(db.properties.get("MasterUsername"))
                .unwrap_or_else(|| "admin".into()),
            manage_master_password: db
                .properties
                .get("ManageMasterUserPassword")
                .and_then(Val::as_bool)
                .unwrap_or(false),
            storage_encrypted: db
                .properties
                .get("StorageEncrypted")
                .and_then(Val::as_bool)
                .unwrap_or(false),
            publicly_accessible: false,
            instance_class: instances
                .first()
                .and_then(|i| text(i.properties.get("DBInstanceClass")))
                .unwrap_or_else(|| "db.t4g.medium".into()),
            instance_count: instances.len().clamp(1, 15) as u8,
            subnets,
            security_groups: b.references(db.properties.get("VpcSecurityGroupIds")),
        });
        b.add(&db, kind);
    }
    // ElastiCache replication groups of Valkey or Redis OSS.
    let caches: Vec<Resource> = b
        .of_type("AWS::ElastiCache::ReplicationGroup")
        .cloned()
        .collect();
    for cache in caches {
        let engine = match text(cache.properties.get("Engine")).as_deref() {
            Some("valkey") => CacheEngine::Valkey,
            _ => CacheEngine::Redis,
        };
        // The subnet group by reference, or by its name (Terraform knows
        // a name given as text before the deploy, and passes it on).
        let named = cache.properties.get("CacheSubnetGroupName");
        let group = named
            .and_then(Val::target)
            .and_then(|id| b.resource(id))
            .or_else(|| {
                let name = text(named)?;
                b.of_type("AWS::ElastiCache::SubnetGroup").find(|group| {
                    text(group.properties.get("CacheSubnetGroupName")).as_deref() == Some(&name)
                })
            });
        let subnets = group
            .map(|group| b.references(group.properties.get("SubnetIds")))
            .unwrap_or_default();
        let flag = |key: &str, default: bool| {
            cache
                .properties
                .get(key)
                .and_then(Val::as_bool)
                .unwrap_or(default)
        };
        // One node when neither a count nor replicas are given.
        let clusters: u8 = number(cache.properties.get("NumCacheClusters"))
            .or_else(|| number::<u8>(cache.properties.get("ReplicasPerNodeGroup")).map(|r| r + 1))
            .unwrap_or(1);
        let kind = NodeKind::ElasticacheCache(ElasticacheCache {
            engine,
            engine_version: text(cache.properties.get("EngineVersion"))
                .unwrap_or_else(|| engine.default_version().into()),
            node_type: text(cache.properties.get("CacheNodeType"))
                .unwrap_or_else(|| "cache.t4g.micro".into()),
            replicas: clusters.clamp(1, 6) - 1,
            multi_az: flag("MultiAZEnabled", false),
            port: number(cache.properties.get("Port")).unwrap_or(6379),
            transit_encryption: flag("TransitEncryptionEnabled", false),
            subnets,
            security_groups: b.references(cache.properties.get("SecurityGroupIds")),
        });
        b.add(&cache, kind);
    }
    // Database instances of their own (no cluster): RDS databases.
    let standalone: Vec<(Resource, RdsEngine)> = b
        .of_type("AWS::RDS::DBInstance")
        .filter(|i| i.properties.get("DBClusterIdentifier").is_none())
        .filter_map(|i| rds_engine(i).map(|engine| (i.clone(), engine)))
        .collect();
    for (db, engine) in standalone {
        let subnets = db
            .properties
            .get("DBSubnetGroupName")
            .and_then(Val::target)
            .and_then(|id| b.resource(id))
            .map(|group| b.references(group.properties.get("SubnetIds")))
            .unwrap_or_default();
        let flag = |key: &str| {
            db.properties
                .get(key)
                .and_then(Val::as_bool)
                .unwrap_or(false)
        };
        // VPC security groups; `DBSecurityGroups` are EC2-Classic's, not drawn.
        let groups = b.references(db.properties.get("VPCSecurityGroups"));
        let kind = NodeKind::RdsInstance(RdsInstance {
            engine,
            engine_version: text(db.properties.get("EngineVersion"))
                .unwrap_or_else(|| engine.default_version().into()),
            instance_class: text(db.properties.get("DBInstanceClass"))
                .unwrap_or_else(|| "db.t4g.micro".into()),
            allocated_storage: number(db.properties.get("AllocatedStorage")).unwrap_or(20),
            multi_az: flag("MultiAZ"),
            port: number(db.properties.get("Port")).unwrap_or(engine.default_port()),
            database_name: text(db.properties.get("DBName")).unwrap_or_default(),
            master_username: text(db.properties.get("MasterUsername"))
                .unwrap_or_else(|| "admin".into()),
            storage_encrypted: flag("StorageEncrypted"),
            publicly_accessible: flag("PubliclyAccessible"),
            subnets,
            security_groups: groups,
        });
        b.add(&db, kind);
    }
    let instances: Vec<Resource> = b.of_type("AWS::EC2::Instance").cloned().collect();
    for instance in instances {
        let interface = instance
            .properties
            .get("NetworkInterfaces")
            .and_then(|n| n.items().first());
        let subnet = b
            .reference(instance.properties.get("SubnetId"))
            .or_else(|| b.reference(interface.and_then(|i| i.get("SubnetId"))));
        let Some(subnet) = subnet else {
            b.placeholder(
                &instance,
                "its subnet is not a subnet of the template".into(),
            );
            continue;
        };
        let mut groups = b.references(instance.properties.get("SecurityGroupIds"));
        groups.extend(b.references(interface.and_then(|i| i.get("GroupSet"))));
        let public_ip = interface
            .and_then(|i| i.get("AssociatePublicIpAddress"))
            .and_then(Val::as_bool)
            .unwrap_or(false);
        // An instance a target group sends to, or one its user data sets up,
        // serves something: an instance. A plain one is a host to log in to.
        let target_port = b
            .of_type("AWS::ElasticLoadBalancingV2::TargetGroup")
            .find(|g| {
                g.properties
                    .get("Targets")
                    .map(Val::items)
                    .unwrap_or_default()
                    .iter()
                    .any(|t| t.get("Id").and_then(Val::target) == Some(instance.id.as_str()))
            })
            .map(|g| number(g.properties.get("Port")).unwrap_or(80));
        if target_port.is_some() || instance.properties.get("UserData").is_some() {
            let kind = NodeKind::Ec2Instance(Ec2Instance {
                instance_type: text(instance.properties.get("InstanceType"))
                    .unwrap_or_else(|| "t3.micro".into()),
                subnet,
                security_groups: groups,
                port: target_port.unwrap_or(80),
                public_ip,
            });
            b.add(&instance, kind);
            continue;
        }
        let kind = NodeKind::Bastion(Bastion {
            instance_type: text(instance.properties.get("InstanceType"))
                .unwrap_or_else(|| "t3.micro".into()),
            subnet,
            security_groups: groups,
            key_pair: text(instance.properties.get("KeyName")),
            public_ip: interface
                .and_then(|i| i.get("AssociatePublicIpAddress"))
                .and_then(Val::as_bool)
                .unwrap_or(false),
        });
        b.add(&instance, kind);
    }
    let buckets: Vec<Resource> = b.of_type("AWS::S3::Bucket").cloned().collect();
    for bucket in buckets {
        let block = bucket.properties.get("PublicAccessBlockConfiguration");
        let kind = NodeKind::S3Bucket(S3Bucket {
            bucket_name: text(bucket.properties.get("BucketName"))
                .unwrap_or_else(|| bucket.id.to_ascii_lowercase()),
            block_public_access: block
                .and_then(|c| c.get("BlockPublicAcls"))
                .and_then(Val::as_bool)
                .unwrap_or(true),
            versioning: text(
                bucket
                    .properties
                    .get("VersioningConfiguration")
                    .and_then(|v| v.get("Status")),
            )
            .as_deref()
                == Some("Enabled"),
            website_hosting: bucket.properties.get("WebsiteConfiguration").is_some(),
        });
        b.add(&bucket, kind);
    }
    let tables: Vec<Resource> = b.of_type("AWS::DynamoDB::Table").cloned().collect();
    for table in tables {
        let definitions = table
            .properties
            .get("AttributeDefinitions")
            .map(Val::items)
            .unwrap_or_default();
        let key = |role: &str| -> Option<KeyAttribute> {
            let schema = table.properties.get("KeySchema")?.items();
            let entry = schema
                .iter()
                .find(|k| text(k.get("KeyType")).as_deref() == Some(role))?;
            let name = text(entry.get("AttributeName"))?;
            let attribute_type = definitions
                .iter()
                .find(|d| text(d.get("AttributeName")).as_deref() == Some(name.as_str()))
                .and_then(|d| text(d.get("AttributeType")))
                .and_then(|letter| KeyType::from_letter(&letter))
                .unwrap_or(KeyType::String);
            Some(KeyAttribute {
                name,
                attribute_type,
            })
        };
        let Some(partition_key) = key("HASH") else {
            b.placeholder(&table, "its key schema is not known before a deploy".into());
            continue;
        };
        let kind = NodeKind::DynamodbTable(DynamodbTable {
            table_name: text(table.properties.get("TableName"))
                .unwrap_or_else(|| table.id.to_ascii_lowercase()),
            partition_key,
            sort_key: key("RANGE"),
            point_in_time_recovery: table
                .properties
                .get("PointInTimeRecoverySpecification")
                .and_then(|p| p.get("PointInTimeRecoveryEnabled"))
                .and_then(Val::as_bool)
                .unwrap_or(false),
        });
        b.add(&table, kind);
    }
    let queues: Vec<Resource> = b.of_type("AWS::SQS::Queue").cloned().collect();
    for queue in queues {
        let fifo = queue
            .properties
            .get("FifoQueue")
            .and_then(Val::as_bool)
            .unwrap_or(false);
        let name = text(queue.properties.get("QueueName"))
            .unwrap_or_else(|| queue.id.to_ascii_lowercase());
        let kind = NodeKind::SqsQueue(SqsQueue {
            queue_name: name.strip_suffix(".fifo").unwrap_or(&name).to_string(),
            fifo,
            // SQS's defaults when the template leaves them out.
            visibility_timeout_seconds: number(queue.properties.get("VisibilityTimeout"))
                .unwrap_or(30),
            message_retention_seconds: number(queue.properties.get("MessageRetentionPeriod"))
                .unwrap_or(345_600),
        });
        b.add(&queue, kind);
    }
    let topics: Vec<Resource> = b.of_type("AWS::SNS::Topic").cloned().collect();
    for topic in topics {
        let fifo = topic
            .properties
            .get("FifoTopic")
            .and_then(Val::as_bool)
            .unwrap_or(false);
        let name = text(topic.properties.get("TopicName"))
            .unwrap_or_else(|| topic.id.to_ascii_lowercase());
        let kind = NodeKind::SnsTopic(SnsTopic {
            topic_name: name.strip_suffix(".fifo").unwrap_or(&name).to_string(),
            fifo,
            subscriptions: queue_subscriptions(b, &topic),
        });
        b.add(&topic, kind);
    }
    let secrets: Vec<Resource> = b.of_type("AWS::SecretsManager::Secret").cloned().collect();
    for secret in secrets {
        let generated = secret.properties.get("GenerateSecretString");
        let kind = NodeKind::Secret(Secret {
            secret_name: text(secret.properties.get("Name"))
                .unwrap_or_else(|| secret.id.to_ascii_lowercase()),
            // Secrets Manager's default length when none is given.
            password_length: generated
                .and_then(|g| number::<u16>(g.get("PasswordLength")))
                .unwrap_or(32)
                .clamp(8, 4096),
            database: credentials_held_by(b, &secret.id).and_then(|db| node_id(&db)),
        });
        b.add(&secret, kind);
    }
    web_acls(b);
    functions(b);
    http_apis(b);
    auto_scaling_groups(b);
    let repositories: Vec<Resource> = b.of_type("AWS::ECR::Repository").cloned().collect();
    for repository in repositories {
        let kind = NodeKind::EcrRepository(EcrRepository {
            repository_name: text(repository.properties.get("RepositoryName"))
                .unwrap_or_else(|| repository.id.to_ascii_lowercase()),
            scan_on_push: repository
                .properties
                .get("ImageScanningConfiguration")
                .and_then(|c| c.get("ScanOnPush"))
                .and_then(Val::as_bool)
                .unwrap_or(false),
            immutable_tags: text(repository.properties.get("ImageTagMutability")).as_deref()
                == Some("IMMUTABLE"),
        });
        b.add(&repository, kind);
    }
}

/// Nodes that refer to a node that is not drawn (a subnet of a VPC whose
/// block was unknown) are not drawn either, with the reason, until every
/// reference lands: the diagram is always whole.
fn drop_dangling(diagram: &mut Diagram, b: &mut Builder) {
    loop {
        let ids: BTreeSet<NodeId> = diagram.nodes.iter().map(|n| n.id.clone()).collect();
        let dangling: Vec<(NodeId, String)> = diagram
            .nodes
            .iter()
            .filter_map(|node| {
                let reference = node
                    .kind
                    .references()
                    .into_iter()
                    .find(|r| !ids.contains(r.target))?;
                Some((node.id.clone(), reference.target.to_string()))
            })
            .collect();
        if dangling.is_empty() {
            return;
        }
        for (id, missing) in dangling {
            diagram.nodes.retain(|n| n.id != id);
            b.mapped.remove(id.as_str());
            if let Some(resource) = b.resource(id.as_str()) {
                b.report.push(
                    &resource.id,
                    &resource.kind,
                    resource.line,
                    Outcome::NotDrawn(format!("it refers to {missing}, which is not drawn")),
                );
            }
        }
    }
}

/// Traffic the security groups admit, as edges: a group admitting another
/// joins what holds the one to what holds the other; an internet-facing
/// load balancer open to anywhere is reached from the internet; any other
/// block is a client of its own. Viewers reach each distribution on 443.
fn edges_from_groups(diagram: &mut Diagram) -> Vec<TrafficEdge> {
    let holders = |diagram: &Diagram, group: &NodeId| -> Vec<NodeId> {
        diagram
            .nodes
            .iter()
            .filter(|n| n.kind.security_groups().contains(group))
            .map(|n| n.id.clone())
            .collect()
    };
    let mut wanted: Vec<(NodeId, NodeId, Protocol, u16)> = Vec::new();
    let mut clients: BTreeMap<Cidr, NodeId> = BTreeMap::new();
    let groups: Vec<(NodeId, Vec<SecurityGroupRule>)> = diagram
        .nodes
        .iter()
        .filter_map(|n| match &n.kind {
            NodeKind::SecurityGroup(group) => Some((n.id.clone(), group.ingress.clone())),
            _ => None,
        })
        .collect();
    for (group, ingress) in groups {
        let targets = holders(diagram, &group);
        for rule in ingress {
            let sources = match &rule.peer {
                Peer::SecurityGroup(source) => holders(diagram, source),
                Peer::Cidr(cidr) if cidr.prefix_len() == 0 => {
                    vec![ensure(
                        diagram,
                        "internet",
                        "Internet",
                        NodeKind::Internet(Internet {}),
                    )]
                }
                Peer::Cidr(cidr) => {
                    let id = match clients.get(cidr) {
                        Some(id) => id.clone(),
                        None => {
                            let id = format!("client-{}", clients.len() + 1);
                            let id = ensure(
                                diagram,
                                &id,
                                &cidr.to_string(),
                                NodeKind::ExternalClient(ExternalClient { cidr: *cidr }),
                            );
                            clients.insert(*cidr, id.clone());
                            id
                        }
                    };
                    vec![id]
                }
            };
            for source in &sources {
                for target in &targets {
                    if source != target {
                        wanted.push((
                            source.clone(),
                            target.clone(),
                            rule.protocol,
                            rule.from_port,
                        ));
                    }
                }
            }
        }
    }
    // A distribution, or an HTTP API, is where clients arrive, from
    // anywhere, over HTTPS.
    let distributions: Vec<NodeId> = diagram
        .nodes
        .iter()
        .filter(|n| matches!(n.tag(), KindTag::CloudFront | KindTag::HttpApi))
        .map(|n| n.id.clone())
        .collect();
    for distribution in distributions {
        let internet = ensure(
            diagram,
            "internet",
            "Internet",
            NodeKind::Internet(Internet {}),
        );
        wanted.push((internet, distribution, Protocol::Tcp, 443));
    }
    let mut edges: Vec<TrafficEdge> = Vec::new();
    for (from, to, protocol, port) in wanted {
        if edges
            .iter()
            .any(|e| e.from == from && e.to == to && e.protocol == protocol && e.port == port)
        {
            continue;
        }
        let Some(id) = edge_id(&from, &to, port, |id| {
            edges.iter().any(|e| e.id.as_str() == id)
        }) else {
            continue;
        };
        edges.push(TrafficEdge {
            id,
            from,
            to,
            protocol,
            port,
            label: String::new(),
            bends: Vec::new(),
            straight: false,
        });
    }
    edges
}

/// The Auto Scaling group that registers its instances with a target group.
/// The EC2 instance a target group registers by its id.
fn registered_instance(b: &Builder, group: &Resource) -> Option<ServiceTarget> {
    let instance = group
        .properties
        .get("Targets")?
        .items()
        .iter()
        .filter_map(|t| t.get("Id").and_then(Val::target))
        .find(|id| b.is_of_type(id, "AWS::EC2::Instance"))?;
    Some(ServiceTarget {
        service: node_id(instance)?,
        container: String::new(),
    })
}

fn scaled_instances(b: &Builder, group: &Resource) -> Option<ServiceTarget> {
    let scaling = b.of_type("AWS::AutoScaling::AutoScalingGroup").find(|s| {
        s.properties
            .get("TargetGroupARNs")
            .map(Val::items)
            .unwrap_or_default()
            .iter()
            .any(|arn| arn.target() == Some(group.id.as_str()))
    })?;
    Some(ServiceTarget {
        service: node_id(&scaling.id)?,
        container: String::new(),
    })
}

/// Auto Scaling groups with their launch template's instance type and
/// groups; the port their instances serve is their target groups'.
fn auto_scaling_groups(b: &mut Builder) {
    let groups: Vec<Resource> = b
        .of_type("AWS::AutoScaling::AutoScalingGroup")
        .cloned()
        .collect();
    for group in groups {
        let template = group
            .properties
            .get("LaunchTemplate")
            .and_then(|t| t.get("LaunchTemplateId"))
            .and_then(Val::target)
            .and_then(|id| b.resource(id))
            .and_then(|t| t.properties.get("LaunchTemplateData"));
        let port = group
            .properties
            .get("TargetGroupARNs")
            .map(Val::items)
            .unwrap_or_default()
            .iter()
            .filter_map(|arn| arn.target().and_then(|id| b.resource(id)))
            .find_map(|target| number(target.properties.get("Port")))
            .unwrap_or(80);
        let size = |key: &str, default: u16| number(group.properties.get(key)).unwrap_or(default);
        let min_size = size("MinSize", 1);
        let kind = NodeKind::AutoScalingGroup(AutoScalingGroup {
            instance_type: template
                .and_then(|t| text(t.get("InstanceType")))
                .unwrap_or_else(|| "t3.micro".into()),
            min_size,
            max_size: size("MaxSize", min_size.max(1)),
            desired_capacity: size("DesiredCapacity", min_size),
            port,
            subnets: b.references(group.properties.get("VPCZoneIdentifier")),
            security_groups: b.references(template.and_then(|t| t.get("SecurityGroupIds"))),
        });
        b.add(&group, kind);
    }
}

/// The function a target group of type `lambda` registers.
fn invoked_function(b: &Builder, group: &Resource) -> Option<ServiceTarget> {
    if text(group.properties.get("TargetType")).as_deref() != Some("lambda") {
        return None;
    }
    let targets = group.properties.get("Targets")?.items();
    let function = targets
        .iter()
        .filter_map(|t| t.get("Id").and_then(Val::target))
        .find(|id| b.is_of_type(id, "AWS::Lambda::Function"))?;
    Some(ServiceTarget {
        service: node_id(function)?,
        container: String::new(),
    })
}

/// Lambda functions, in their subnets or outside the VPCs, and the load
/// balancers their resource policy lets invoke them: a permission for
/// Elastic Load Balancing, for one target group (its `SourceArn`) or any.
fn functions(b: &mut Builder) {
    let functions: Vec<Resource> = b.of_type("AWS::Lambda::Function").cloned().collect();
    for function in functions {
        let runtime = match text(function.properties.get("Runtime")) {
            Some(r) if r.starts_with("python") => LambdaRuntime::Python313,
            _ => LambdaRuntime::Nodejs22,
        };
        let vpc = function.properties.get("VpcConfig");
        let name = text(function.properties.get("FunctionName"))
            .unwrap_or_else(|| function.id.to_ascii_lowercase());
        let Some(id) = node_id(&function.id) else {
            continue;
        };
        let mut invokers = Vec::new();
        for permission in b.of_type("AWS::Lambda::Permission") {
            let p = &permission.properties;
            // By reference, or by its name (Terraform knows a name given
            // as text before the deploy, and passes it on).
            let named = p.get("FunctionName");
            let names_it = named.and_then(Val::target) == Some(function.id.as_str())
                || text(named).is_some_and(|text| text == name);
            let principal = text(p.get("Principal"));
            if !names_it {
                continue;
            }
            // API Gateway: the APIs its source names (a Sub of the API's
            // id), or every HTTP API when it names none.
            if principal.as_deref() == Some("apigateway.amazonaws.com") {
                let mut named = Vec::new();
                if let Some(source) = p.get("SourceArn") {
                    targets(source, &mut named);
                }
                let apis: Vec<&Resource> = b
                    .of_type("AWS::ApiGatewayV2::Api")
                    .filter(|api| {
                        text(api.properties.get("ProtocolType")).as_deref() == Some("HTTP")
                    })
                    .collect();
                for api in apis {
                    if !named.is_empty() && !named.contains(&api.id) {
                        continue;
                    }
                    if let Some(api_id) = node_id(&api.id).filter(|a| !invokers.contains(a)) {
                        invokers.push(api_id);
                    }
                }
                continue;
            }
            if principal.as_deref() != Some("elasticloadbalancing.amazonaws.com") {
                continue;
            }
            let group = p.get("SourceArn").and_then(Val::target);
            for node in &b.nodes {
                let NodeKind::LoadBalancer(alb) = &node.kind else {
                    continue;
                };
                let invokes = alb.target_groups.iter().any(|g| {
                    g.target.as_ref().is_some_and(|t| t.service == id)
                        && group.is_none_or(|group| g.name == group)
                });
                if invokes && !invokers.contains(&node.id) {
                    invokers.push(node.id.clone());
                }
            }
        }
        let event_sources = event_sources(b, &function.id, &name);
        let kind = NodeKind::LambdaFunction(LambdaFunction {
            function_name: name,
            runtime,
            memory_mb: number(function.properties.get("MemorySize"))
                .unwrap_or(128)
                .clamp(128, 10_240),
            timeout_seconds: number(function.properties.get("Timeout"))
                .unwrap_or(3)
                .clamp(1, 900),
            subnets: b.references(vpc.and_then(|v| v.get("SubnetIds"))),
            security_groups: b.references(vpc.and_then(|v| v.get("SecurityGroupIds"))),
            invokers,
            event_sources,
        });
        b.add(&function, kind);
    }
}

/// What a route of an API goes to: the function an integration invokes,
/// or the load balancer whose listener it forwards to.
fn route_target(b: &Builder, route: &Resource) -> Option<NodeId> {
    let mut named = Vec::new();
    targets(route.properties.get("Target")?, &mut named);
    let integration = named
        .iter()
        .find(|id| b.is_of_type(id, "AWS::ApiGatewayV2::Integration"))
        .and_then(|id| b.resource(id))?;
    let uri = integration.properties.get("IntegrationUri")?.target()?;
    let target = match b.resource(uri)?.kind.as_str() {
        "AWS::ElasticLoadBalancingV2::Listener" => b
            .resource(uri)?
            .properties
            .get("LoadBalancerArn")?
            .target()?,
        _ => uri,
    };
    node_id(target)
}

/// HTTP APIs with their routes, and the VPC link their integrations use.
fn http_apis(b: &mut Builder) {
    let apis: Vec<Resource> = b.of_type("AWS::ApiGatewayV2::Api").cloned().collect();
    for api in apis {
        if text(api.properties.get("ProtocolType")).as_deref() != Some("HTTP") {
            continue;
        }
        let belongs =
            |r: &Resource| r.properties.get("ApiId").and_then(Val::target) == Some(api.id.as_str());
        let routes: Vec<ApiRoute> = b
            .of_type("AWS::ApiGatewayV2::Route")
            .filter(|r| belongs(r))
            .filter_map(|r| {
                Some(ApiRoute {
                    route_key: text(r.properties.get("RouteKey"))?,
                    target: route_target(b, r)?,
                })
            })
            .collect();
        let link = b
            .of_type("AWS::ApiGatewayV2::Integration")
            .filter(|i| belongs(i))
            .find_map(|i| i.properties.get("ConnectionId").and_then(Val::target))
            .and_then(|id| b.resource(id));
        let name = text(api.properties.get("Name")).unwrap_or_else(|| api.id.to_ascii_lowercase());
        let kind = NodeKind::HttpApi(HttpApi {
            api_name: name,
            routes,
            vpc_link_subnets: link
                .map(|l| b.references(l.properties.get("SubnetIds")))
                .unwrap_or_default(),
            vpc_link_security_groups: link
                .map(|l| b.references(l.properties.get("SecurityGroupIds")))
                .unwrap_or_default(),
        });
        b.add(&api, kind);
    }
}

/// The database whose master credentials a secret holds: one whose
/// `MasterUserPassword` reads the secret (CloudFormation's dynamic
/// reference, Terraform's secret version), or that a
/// `SecretTargetAttachment` names.
fn credentials_held_by(b: &Builder, secret: &str) -> Option<String> {
    let reads_it = |db: &&Resource| {
        let mut named = Vec::new();
        if let Some(password) = db.properties.get("MasterUserPassword") {
            targets(password, &mut named);
        }
        named.iter().any(|id| id == secret)
    };
    let databases = || {
        b.of_type("AWS::RDS::DBCluster").chain(
            b.of_type("AWS::RDS::DBInstance")
                .filter(|i| i.properties.get("DBClusterIdentifier").is_none()),
        )
    };
    databases()
        .find(reads_it)
        .map(|db| db.id.clone())
        .or_else(|| {
            b.of_type("AWS::SecretsManager::SecretTargetAttachment")
                .filter(|a| a.properties.get("SecretId").and_then(Val::target) == Some(secret))
                .find_map(|a| a.properties.get("TargetId").and_then(Val::target))
                .filter(|db| databases().any(|d| d.id == *db))
                .map(str::to_string)
        })
}

/// WAF web ACLs: their scope, the AWS managed rule groups stackdraw
/// models, a rate limit, and what they protect (load balancers through
/// associations, distributions naming them).
fn web_acls(b: &mut Builder) {
    let acls: Vec<Resource> = b.of_type("AWS::WAFv2::WebACL").cloned().collect();
    for acl in acls {
        let rules = acl
            .properties
            .get("Rules")
            .map(Val::items)
            .unwrap_or_default();
        let statements: Vec<&Val> = rules.iter().filter_map(|r| r.get("Statement")).collect();
        let managed = |group: &str| {
            statements.iter().any(|s| {
                text(
                    s.get("ManagedRuleGroupStatement")
                        .and_then(|m| m.get("Name")),
                )
                .as_deref()
                    == Some(group)
            })
        };
        let rate_limit = statements
            .iter()
            .find_map(|s| number::<u32>(s.get("RateBasedStatement").and_then(|r| r.get("Limit"))));
        let mut protects: Vec<NodeId> = Vec::new();
        for association in b.of_type("AWS::WAFv2::WebACLAssociation") {
            let ours = association
                .properties
                .get("WebACLArn")
                .and_then(Val::target)
                == Some(acl.id.as_str());
            let target = association
                .properties
                .get("ResourceArn")
                .and_then(Val::target)
                .filter(|id| b.is_of_type(id, "AWS::ElasticLoadBalancingV2::LoadBalancer"))
                .and_then(node_id);
            if let Some(target) = target.filter(|t| ours && !protects.contains(t)) {
                protects.push(target);
            }
        }
        for distribution in b.of_type("AWS::CloudFront::Distribution") {
            let named = distribution
                .properties
                .get("DistributionConfig")
                .and_then(|c| c.get("WebACLId"))
                .and_then(Val::target);
            if named == Some(acl.id.as_str()) {
                if let Some(id) = node_id(&distribution.id) {
                    protects.push(id);
                }
            }
        }
        let kind = NodeKind::WebAcl(WebAcl {
            scope: match text(acl.properties.get("Scope")).as_deref() {
                Some("CLOUDFRONT") => WafScope::Cloudfront,
                _ => WafScope::Regional,
            },
            common_rules: managed("AWSManagedRulesCommonRuleSet"),
            known_bad_inputs: managed("AWSManagedRulesKnownBadInputsRuleSet"),
            ip_reputation: managed("AWSManagedRulesAmazonIpReputationList"),
            sql_injection: managed("AWSManagedRulesSQLiRuleSet"),
            rate_limit,
            protects,
        });
        b.add(&acl, kind);
    }
}

/// The SQS queues an event source mapping polls for a function: named by
/// reference, or (as Terraform passes it) by the function's name.
fn event_sources(b: &Builder, function: &str, name: &str) -> Vec<NodeId> {
    let mut queues = Vec::new();
    for mapping in b.of_type("AWS::Lambda::EventSourceMapping") {
        let named = mapping.properties.get("FunctionName");
        let for_it = named.and_then(Val::target) == Some(function)
            || text(named).is_some_and(|text| text == name);
        let queue = mapping
            .properties
            .get("EventSourceArn")
            .and_then(Val::target)
            .filter(|id| b.is_of_type(id, "AWS::SQS::Queue"))
            .and_then(node_id);
        if let Some(queue) = queue.filter(|q| for_it && !queues.contains(q)) {
            queues.push(queue);
        }
    }
    queues
}

/// A service whose tasks' role is granted a DynamoDB table, an SQS queue,
/// an SNS topic or an S3 bucket uses it: a line from the service to it on tcp/443, read from the grant as the
/// exporters write it (the role's own policy, or a policy resource that
/// names the role).
fn edges_from_task_roles(b: &Builder, diagram: &Diagram) -> Vec<TrafficEdge> {
    let drawn = |id: &str| node_id(id).filter(|id| diagram.node(id).is_some());
    let mut edges: Vec<TrafficEdge> = Vec::new();
    let users = b
        .of_type("AWS::ECS::Service")
        .chain(b.of_type("AWS::Lambda::Function"));
    for service in users {
        let Some(from) = drawn(&service.id) else {
            continue;
        };
        // A service's code runs with its task definition's task role, a
        // function's with its own role.
        let role = match service.kind.as_str() {
            "AWS::Lambda::Function" => service.properties.get("Role"),
            _ => service
                .properties
                .get("TaskDefinition")
                .and_then(Val::target)
                .and_then(|id| b.resource(id))
                .and_then(|task| task.properties.get("TaskRoleArn")),
        };
        let mut roles = Vec::new();
        if let Some(role) = role {
            targets(role, &mut roles);
        }
        let polled = match diagram.node(&from).map(|n| &n.kind) {
            Some(NodeKind::LambdaFunction(function)) => function.event_sources.clone(),
            _ => Vec::new(),
        };
        for grant in &b.template.resources {
            let mut named = Vec::new();
            targets(&grant.properties, &mut named);
            if !roles
                .iter()
                .any(|role| *role == grant.id || named.contains(role))
            {
                continue;
            }
            let data = |id: &&String| {
                b.is_of_type(id, "AWS::DynamoDB::Table")
                    || b.is_of_type(id, "AWS::SecretsManager::Secret")
                    || b.is_of_type(id, "AWS::SQS::Queue")
                    || b.is_of_type(id, "AWS::SNS::Topic")
                    || b.is_of_type(id, "AWS::S3::Bucket")
            };
            for table in named.iter().filter(data) {
                let Some(to) = drawn(table) else {
                    continue;
                };
                // A queue Lambda polls for the function is its trigger, not
                // a queue it sends to.
                if polled.contains(&to) {
                    continue;
                }
                let drawn_already = diagram
                    .edges
                    .iter()
                    .chain(&edges)
                    .any(|e| e.from == from && e.to == to && e.port == 443);
                if drawn_already {
                    continue;
                }
                let taken = |id: &str| {
                    diagram
                        .edges
                        .iter()
                        .chain(&edges)
                        .any(|e| e.id.as_str() == id)
                };
                let Some(id) = edge_id(&from, &to, 443, taken) else {
                    continue;
                };
                edges.push(TrafficEdge {
                    id,
                    from: from.clone(),
                    to,
                    protocol: Protocol::Tcp,
                    port: 443,
                    label: String::new(),
                    bends: Vec::new(),
                    straight: false,
                });
            }
        }
    }
    edges
}

/// An imported edge's id: its ends and port, or, when that is longer than
/// an id may be (Terraform's addresses are long), a numbered one, so that
/// no edge is lost to the length of its ends' names.
fn edge_id(from: &NodeId, to: &NodeId, port: u16, taken: impl Fn(&str) -> bool) -> Option<EdgeId> {
    let full = format!("{from}-{to}-{port}");
    if !taken(&full) {
        if let Ok(id) = EdgeId::new(full) {
            return Some(id);
        }
    }
    (1..=100_000)
        .map(|n| format!("imported-edge-{n}"))
        .find(|candidate| !taken(candidate))
        .and_then(|candidate| EdgeId::new(candidate).ok())
}

/// The node with this id, added if missing.
fn ensure(diagram: &mut Diagram, id: &str, name: &str, kind: NodeKind) -> NodeId {
    let id = NodeId::new(id).unwrap_or_else(|_| NodeId::new("outside").expect("a valid id"));
    if diagram.node(&id).is_none() {
        diagram.nodes.push(Node {
            id: id.clone(),
            name: name.to_string(),
            kind,
        });
    }
    id
}
