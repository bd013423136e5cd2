//! The kinds of node as plain names, and the references each kind holds to
//! other nodes, so that checks, deletion and containment share one list.

use super::node::*;
use super::NodeId;

/// A node's kind without its properties.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum KindTag {
    Vpc,
    Subnet,
    InternetGateway,
    NatGateway,
    RouteTable,
    VpcEndpoint,
    SecurityGroup,
    VpcPeering,
    NetworkAcl,
    LoadBalancer,
    EcsCluster,
    FargateService,
    AuroraCluster,
    RdsInstance,
    ElasticacheCache,
    DynamodbTable,
    SqsQueue,
    SnsTopic,
    LambdaFunction,
    HttpApi,
    AutoScalingGroup,
    Ec2Instance,
    Secret,
    WebAcl,
    Bastion,
    S3Bucket,
    CloudFront,
    Route53Zone,
    AcmCertificate,
    EcrRepository,
    Pipeline,
    Internet,
    ExternalClient,
    OtherResource,
}

/// Where a kind sits in the palette.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Category {
    Network,
    Compute,
    Database,
    Integration,
    Security,
    EdgeAndDns,
    Delivery,
    External,
}

impl Category {
    /// The stylesheet's name for the category (`cat-…` classes).
    pub fn css_class(self) -> &'static str {
        match self {
            Category::Network => "network",
            Category::Compute => "compute",
            Category::Database => "database",
            Category::Integration => "integration",
            Category::Security => "security",
            Category::EdgeAndDns => "edgeanddns",
            Category::Delivery => "delivery",
            Category::External => "external",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Category::Network => "Network",
            Category::Compute => "Compute",
            Category::Database => "Database",
            Category::Integration => "Application integration",
            Category::Security => "Security",
            Category::EdgeAndDns => "Edge and DNS",
            Category::Delivery => "Delivery",
            Category::External => "External",
        }
    }
}

impl KindTag {
    pub const ALL: [KindTag; 34] = [
        KindTag::Vpc,
        KindTag::Subnet,
        KindTag::InternetGateway,
        KindTag::NatGateway,
        KindTag::RouteTable,
        KindTag::VpcEndpoint,
        KindTag::SecurityGroup,
        KindTag::VpcPeering,
        KindTag::NetworkAcl,
        KindTag::LoadBalancer,
        KindTag::EcsCluster,
        KindTag::FargateService,
        KindTag::AuroraCluster,
        KindTag::RdsInstance,
        KindTag::ElasticacheCache,
        KindTag::DynamodbTable,
        KindTag::SqsQueue,
        KindTag::SnsTopic,
        KindTag::LambdaFunction,
        KindTag::HttpApi,
        KindTag::AutoScalingGroup,
        KindTag::Ec2Instance,
        KindTag::Secret,
        KindTag::WebAcl,
        KindTag::Bastion,
        KindTag::S3Bucket,
        KindTag::CloudFront,
        KindTag::Route53Zone,
        KindTag::AcmCertificate,
        KindTag::EcrRepository,
        KindTag::Pipeline,
        KindTag::Internet,
        KindTag::ExternalClient,
        KindTag::OtherResource,
    ];

    /// The name used in files and in `data-kind` attributes.
    pub fn as_str(self) -> &'static str {
        match self {
            KindTag::Vpc => "vpc",
            KindTag::Subnet => "subnet",
            KindTag::InternetGateway => "internet_gateway",
            KindTag::NatGateway => "nat_gateway",
            KindTag::RouteTable => "route_table",
            KindTag::VpcEndpoint => "vpc_endpoint",
            KindTag::SecurityGroup => "security_group",
            KindTag::VpcPeering => "vpc_peering",
            KindTag::NetworkAcl => "network_acl",
            KindTag::LoadBalancer => "load_balancer",
            KindTag::EcsCluster => "ecs_cluster",
            KindTag::FargateService => "fargate_service",
            KindTag::AuroraCluster => "aurora_cluster",
            KindTag::RdsInstance => "rds_instance",
            KindTag::ElasticacheCache => "elasticache_cache",
            KindTag::DynamodbTable => "dynamodb_table",
            KindTag::SqsQueue => "sqs_queue",
            KindTag::SnsTopic => "sns_topic",
            KindTag::LambdaFunction => "lambda_function",
            KindTag::HttpApi => "http_api",
            KindTag::AutoScalingGroup => "auto_scaling_group",
            KindTag::Ec2Instance => "ec2_instance",
            KindTag::Secret => "secret",
            KindTag::WebAcl => "web_acl",
            KindTag::Bastion => "bastion",
            KindTag::S3Bucket => "s3_bucket",
            KindTag::CloudFront => "cloudfront",
            KindTag::Route53Zone => "route53_zone",
            KindTag::AcmCertificate => "acm_certificate",
            KindTag::EcrRepository => "ecr_repository",
            KindTag::Pipeline => "pipeline",
            KindTag::Internet => "internet",
            KindTag::ExternalClient => "external_client",
            KindTag::OtherResource => "other_resource",
        }
    }

    /// The name a person reads.
    pub fn label(self) -> &'static str {
        match self {
            KindTag::Vpc => "VPC",
            KindTag::Subnet => "Subnet",
            KindTag::InternetGateway => "Internet gateway",
            KindTag::NatGateway => "NAT gateway",
            KindTag::RouteTable => "Route table",
            KindTag::VpcEndpoint => "VPC endpoint",
            KindTag::SecurityGroup => "Security group",
            KindTag::VpcPeering => "VPC peering",
            KindTag::NetworkAcl => "Network ACL",
            KindTag::LoadBalancer => "Application Load Balancer",
            KindTag::EcsCluster => "ECS cluster",
            KindTag::FargateService => "Fargate service",
            KindTag::AuroraCluster => "Aurora cluster",
            KindTag::RdsInstance => "RDS database",
            KindTag::ElasticacheCache => "ElastiCache cache",
            KindTag::DynamodbTable => "DynamoDB table",
            KindTag::SqsQueue => "SQS queue",
            KindTag::SnsTopic => "SNS topic",
            KindTag::LambdaFunction => "Lambda function",
            KindTag::HttpApi => "API Gateway HTTP API",
            KindTag::AutoScalingGroup => "EC2 Auto Scaling group",
            KindTag::Ec2Instance => "EC2 instance",
            KindTag::Secret => "Secrets Manager secret",
            KindTag::WebAcl => "WAF web ACL",
            KindTag::Bastion => "Bastion host",
            KindTag::S3Bucket => "S3 bucket",
            KindTag::CloudFront => "CloudFront distribution",
            KindTag::Route53Zone => "Route 53 hosted zone",
            KindTag::AcmCertificate => "ACM certificate",
            KindTag::EcrRepository => "ECR repository",
            KindTag::Pipeline => "CircleCI pipeline",
            KindTag::Internet => "Internet",
            KindTag::ExternalClient => "External client",
            KindTag::OtherResource => "Other resource",
        }
    }

    pub fn category(self) -> Category {
        match self {
            KindTag::Vpc
            | KindTag::Subnet
            | KindTag::InternetGateway
            | KindTag::NatGateway
            | KindTag::RouteTable
            | KindTag::VpcEndpoint
            | KindTag::SecurityGroup
            | KindTag::VpcPeering
            | KindTag::NetworkAcl
            | KindTag::LoadBalancer => Category::Network,
            KindTag::EcsCluster
            | KindTag::FargateService
            | KindTag::LambdaFunction
            | KindTag::AutoScalingGroup
            | KindTag::Ec2Instance
            | KindTag::Bastion => Category::Compute,
            KindTag::SqsQueue | KindTag::SnsTopic | KindTag::HttpApi => Category::Integration,
            KindTag::AuroraCluster
            | KindTag::RdsInstance
            | KindTag::ElasticacheCache
            | KindTag::DynamodbTable => Category::Database,
            KindTag::Secret | KindTag::WebAcl => Category::Security,
            KindTag::S3Bucket
            | KindTag::CloudFront
            | KindTag::Route53Zone
            | KindTag::AcmCertificate => Category::EdgeAndDns,
            KindTag::EcrRepository | KindTag::Pipeline => Category::Delivery,
            KindTag::Internet | KindTag::ExternalClient | KindTag::OtherResource => {
                Category::External
            }
        }
    }

    /// Other words people search the palette with: AWS's own names for the
    /// service, the engines and protocols behind it, common abbreviations.
    pub fn synonyms(self) -> &'static [&'static str] {
        match self {
            KindTag::Vpc => &["network", "virtual private cloud"],
            KindTag::Subnet => &["zone", "az", "cidr"],
            KindTag::InternetGateway => &["igw", "public"],
            KindTag::NatGateway => &["nat", "egress", "outbound"],
            KindTag::RouteTable => &["routes", "routing"],
            KindTag::VpcEndpoint => &["privatelink", "interface", "gateway endpoint"],
            KindTag::SecurityGroup => &["sg", "firewall", "rules"],
            KindTag::VpcPeering => &["peer", "pcx"],
            KindTag::NetworkAcl => &["nacl", "acl", "firewall", "deny", "stateless"],
            KindTag::LoadBalancer => &["lb", "elb", "alb", "balancer", "https", "listener"],
            KindTag::EcsCluster => &["ecs", "container", "cluster"],
            KindTag::FargateService => &["ecs", "container", "docker", "task", "app", "api"],
            KindTag::AuroraCluster => &[
                "rds",
                "database",
                "db",
                "sql",
                "postgres",
                "postgresql",
                "mysql",
            ],
            KindTag::RdsInstance => &[
                "rds",
                "database",
                "db",
                "sql",
                "mysql",
                "postgres",
                "postgresql",
                "mariadb",
                "multi-az",
                "instance",
            ],
            KindTag::SqsQueue => &[
                "sqs", "queue", "messages", "async", "fifo", "worker", "jobs",
            ],
            KindTag::ElasticacheCache => &[
                "redis",
                "valkey",
                "cache",
                "elasticache",
                "sessions",
                "in-memory",
                "key-value",
            ],
            KindTag::SnsTopic => &[
                "sns",
                "topic",
                "notification",
                "pub/sub",
                "fan-out",
                "publish",
                "events",
            ],
            KindTag::LambdaFunction => &[
                "lambda",
                "function",
                "serverless",
                "faas",
                "handler",
                "node",
                "python",
            ],
            KindTag::AutoScalingGroup => &[
                "asg",
                "ec2",
                "instances",
                "autoscaling",
                "scaling",
                "launch template",
                "vm",
                "servers",
            ],
            KindTag::Ec2Instance => &[
                "ec2",
                "instance",
                "server",
                "vm",
                "virtual machine",
                "web server",
                "host",
            ],
            KindTag::HttpApi => &[
                "api",
                "gateway",
                "apigateway",
                "http",
                "rest",
                "endpoint",
                "routes",
                "serverless",
            ],
            KindTag::Secret => &[
                "secrets manager",
                "password",
                "credentials",
                "api key",
                "token",
                "sensitive",
            ],
            KindTag::WebAcl => &[
                "waf",
                "firewall",
                "acl",
                "owasp",
                "rate limit",
                "bot",
                "security",
            ],
            KindTag::DynamodbTable => &["dynamo", "ddb", "nosql", "key-value", "table", "database"],
            KindTag::Bastion => &["ssh", "jump", "ec2", "instance", "vm"],
            KindTag::S3Bucket => &["storage", "object", "files", "static"],
            KindTag::CloudFront => &["cdn", "edge", "distribution", "cache"],
            KindTag::Route53Zone => &["dns", "domain", "records"],
            KindTag::AcmCertificate => &["tls", "ssl", "https", "cert"],
            KindTag::EcrRepository => &["registry", "docker", "image", "container"],
            KindTag::Pipeline => &["ci", "cd", "deploy", "circleci", "build"],
            KindTag::Internet => &["users", "public", "www", "web"],
            KindTag::ExternalClient => &["client", "partner", "on-premises", "office"],
            KindTag::OtherResource => &["imported", "unknown", "placeholder"],
        }
    }

    /// Whether the palette shows this kind for a search: every word typed
    /// must start a word of its label, name, category or synonyms (so "lb"
    /// finds the load balancer, "post" Aurora, "nat gate" the NAT gateway).
    pub fn matches_search(self, query: &str) -> bool {
        let query = query.trim().to_ascii_lowercase();
        let mut words = vec![
            self.label().to_ascii_lowercase(),
            self.as_str().replace('_', " "),
            self.category().label().to_ascii_lowercase(),
        ];
        words.extend(self.synonyms().iter().map(|word| word.to_string()));
        let said: Vec<&str> = words
            .iter()
            .flat_map(|text| text.split([' ', '-']))
            .collect();
        query
            .split_whitespace()
            .all(|typed| said.iter().any(|word| word.starts_with(typed)))
    }

    /// Kinds drawn as boxes that hold other nodes.
    pub fn is_container(self) -> bool {
        matches!(self, KindTag::Vpc | KindTag::Subnet)
    }

    pub fn parse(text: &str) -> Option<KindTag> {
        KindTag::ALL.into_iter().find(|tag| tag.as_str() == text)
    }
}

/// A duty some kinds have no part in (see [`KindTag::no_part_in`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Duty {
    /// A validation rule (VR-n) that names a node of the kind.
    Rules,
    /// A flow the analysis walks from, to or through the kind.
    Flows,
    /// What the CloudFormation and Terraform exports create for it.
    Export,
    /// What an import of CloudFormation or Terraform draws as it.
    Import,
}

impl KindTag {
    /// Why a kind has no part in a duty, for those that have none:
    /// docs/kinds.md shows it where the duty's cell would be empty, and its
    /// test fails when a kind said to have no part in a duty has one, or a
    /// kind has neither.
    pub fn no_part_in(self, duty: Duty) -> Option<&'static str> {
        Some(match (self, duty) {
            (KindTag::EcsCluster, Duty::Rules) => {
                "none of its own: the rules of its services name them"
            }
            (KindTag::EcsCluster, Duty::Flows) => {
                "none: a cluster groups services, whose tasks carry the traffic"
            }
            (KindTag::RouteTable, Duty::Flows) => {
                "decides them: each hop out of a subnet follows its table's routes"
            }
            (KindTag::VpcPeering, Duty::Flows) => {
                "decides them: traffic between the two VPCs follows routes to the peering"
            }
            (KindTag::AcmCertificate, Duty::Flows) => {
                "none: listeners and distributions present it; no traffic reaches it"
            }
            (KindTag::Route53Zone, Duty::Flows) => "none: DNS answers, traffic goes to the target",
            (KindTag::Pipeline, Duty::Flows) => {
                "none: it deploys through AWS's APIs with its role, outside the VPC"
            }
            (KindTag::Pipeline, Duty::Import) => {
                "not imported: CircleCI configuration is not read; its IAM role \
                 imports as an other resource"
            }
            (KindTag::Internet | KindTag::ExternalClient, Duty::Export) => {
                "nothing to create: rules name it by its block (an external \
                 client's block is a parameter)"
            }
            (KindTag::WebAcl, Duty::Flows) => {
                "none of its own: it inspects the requests the network lets \
                 through to what it protects, past the packets the analysis walks"
            }
            (KindTag::OtherResource, Duty::Flows) => {
                "none: the analysis does not look inside what stackdraw does not model"
            }
            (KindTag::OtherResource, Duty::Export) => {
                "left out, and listed in every file's header and the README"
            }
            _ => return None,
        })
    }
}

/// One reference from a node to another, with the kinds it may point at.
#[derive(Debug, Clone, PartialEq)]
pub struct Reference<'a> {
    /// Path of the field inside the node's kind, e.g. `subnets[1]`.
    pub field: String,
    pub target: &'a NodeId,
    pub allowed: &'static [KindTag],
}

/// Collects references while walking a node's properties.
struct Collector<'a>(Vec<Reference<'a>>);

impl<'a> Collector<'a> {
    fn one(&mut self, field: &str, target: &'a NodeId, allowed: &'static [KindTag]) {
        self.0.push(Reference {
            field: field.to_string(),
            target,
            allowed,
        });
    }

    fn maybe(&mut self, field: &str, target: &'a Option<NodeId>, allowed: &'static [KindTag]) {
        if let Some(target) = target {
            self.one(field, target, allowed);
        }
    }

    fn each(&mut self, field: &str, targets: &'a [NodeId], allowed: &'static [KindTag]) {
        for (index, target) in targets.iter().enumerate() {
            self.one(&format!("{field}[{index}]"), target, allowed);
        }
    }
}

const VPC: &[KindTag] = &[KindTag::Vpc];
const SUBNET: &[KindTag] = &[KindTag::Subnet];
const ROUTE_TABLE: &[KindTag] = &[KindTag::RouteTable];
const SECURITY_GROUP: &[KindTag] = &[KindTag::SecurityGroup];
const CERTIFICATE: &[KindTag] = &[KindTag::AcmCertificate];
const QUEUE: &[KindTag] = &[KindTag::SqsQueue];
const ROUTE_TARGETS: &[KindTag] = &[
    KindTag::InternetGateway,
    KindTag::NatGateway,
    KindTag::VpcPeering,
];
const PROTECTED: &[KindTag] = &[KindTag::LoadBalancer, KindTag::CloudFront];
const ORIGINS: &[KindTag] = &[KindTag::S3Bucket, KindTag::LoadBalancer];
const ALIAS_TARGETS: &[KindTag] = &[KindTag::CloudFront, KindTag::LoadBalancer];
const DATABASES: &[KindTag] = &[KindTag::AuroraCluster, KindTag::RdsInstance];
const INVOKERS: &[KindTag] = &[KindTag::LoadBalancer, KindTag::HttpApi];
const API_TARGETS: &[KindTag] = &[KindTag::LambdaFunction, KindTag::LoadBalancer];
const ENDPOINT_SOURCES: &[KindTag] = &[
    KindTag::AuroraCluster,
    KindTag::RdsInstance,
    KindTag::ElasticacheCache,
    KindTag::LoadBalancer,
];
const DEPLOY_TARGETS: &[KindTag] = &[
    KindTag::FargateService,
    KindTag::LambdaFunction,
    KindTag::S3Bucket,
    KindTag::CloudFront,
];

impl NodeKind {
    pub fn tag(&self) -> KindTag {
        match self {
            NodeKind::Vpc(_) => KindTag::Vpc,
            NodeKind::Subnet(_) => KindTag::Subnet,
            NodeKind::InternetGateway(_) => KindTag::InternetGateway,
            NodeKind::NatGateway(_) => KindTag::NatGateway,
            NodeKind::RouteTable(_) => KindTag::RouteTable,
            NodeKind::VpcEndpoint(_) => KindTag::VpcEndpoint,
            NodeKind::SecurityGroup(_) => KindTag::SecurityGroup,
            NodeKind::VpcPeering(_) => KindTag::VpcPeering,
            NodeKind::NetworkAcl(_) => KindTag::NetworkAcl,
            NodeKind::LoadBalancer(_) => KindTag::LoadBalancer,
            NodeKind::EcsCluster(_) => KindTag::EcsCluster,
            NodeKind::FargateService(_) => KindTag::FargateService,
            NodeKind::AuroraCluster(_) => KindTag::AuroraCluster,
            NodeKind::RdsInstance(_) => KindTag::RdsInstance,
            NodeKind::ElasticacheCache(_) => KindTag::ElasticacheCache,
            NodeKind::DynamodbTable(_) => KindTag::DynamodbTable,
            NodeKind::SqsQueue(_) => KindTag::SqsQueue,
            NodeKind::SnsTopic(_) => KindTag::SnsTopic,
            NodeKind::LambdaFunction(_) => KindTag::LambdaFunction,
            NodeKind::HttpApi(_) => KindTag::HttpApi,
            NodeKind::AutoScalingGroup(_) => KindTag::AutoScalingGroup,
            NodeKind::Ec2Instance(_) => KindTag::Ec2Instance,
            NodeKind::Secret(_) => KindTag::Secret,
            NodeKind::WebAcl(_) => KindTag::WebAcl,
            NodeKind::Bastion(_) => KindTag::Bastion,
            NodeKind::S3Bucket(_) => KindTag::S3Bucket,
            NodeKind::CloudFront(_) => KindTag::CloudFront,
            NodeKind::Route53Zone(_) => KindTag::Route53Zone,
            NodeKind::AcmCertificate(_) => KindTag::AcmCertificate,
            NodeKind::EcrRepository(_) => KindTag::EcrRepository,
            NodeKind::Pipeline(_) => KindTag::Pipeline,
            NodeKind::Internet(_) => KindTag::Internet,
            NodeKind::ExternalClient(_) => KindTag::ExternalClient,
            NodeKind::OtherResource(_) => KindTag::OtherResource,
        }
    }

    /// Every id this node refers to, with the field it sits in.
    pub fn references(&self) -> Vec<Reference<'_>> {
        let mut refs = Collector(Vec::new());
        match self {
            NodeKind::Vpc(_)
            | NodeKind::EcsCluster(_)
            | NodeKind::S3Bucket(_)
            | NodeKind::DynamodbTable(_)
            | NodeKind::SqsQueue(_)
            | NodeKind::EcrRepository(_)
            | NodeKind::Internet(_)
            | NodeKind::ExternalClient(_) => {}
            NodeKind::SnsTopic(topic) => {
                for (index, subscription) in topic.subscriptions.iter().enumerate() {
                    refs.one(
                        &format!("subscriptions[{index}].queue"),
                        &subscription.queue,
                        QUEUE,
                    );
                }
            }
            NodeKind::Subnet(subnet) => {
                refs.one("vpc", &subnet.vpc, VPC);
                refs.maybe("route_table", &subnet.route_table, ROUTE_TABLE);
            }
            NodeKind::InternetGateway(igw) => refs.maybe("vpc", &igw.vpc, VPC),
            NodeKind::NatGateway(nat) => refs.one("subnet", &nat.subnet, SUBNET),
            NodeKind::RouteTable(table) => {
                refs.one("vpc", &table.vpc, VPC);
                for (index, route) in table.routes.iter().enumerate() {
                    refs.one(
                        &format!("routes[{index}].target"),
                        &route.target,
                        ROUTE_TARGETS,
                    );
                }
            }
            NodeKind::VpcEndpoint(endpoint) => {
                refs.one("vpc", &endpoint.vpc, VPC);
                refs.each("route_tables", &endpoint.route_tables, ROUTE_TABLE);
                refs.each("subnets", &endpoint.subnets, SUBNET);
                refs.each("security_groups", &endpoint.security_groups, SECURITY_GROUP);
            }
            NodeKind::SecurityGroup(group) => {
                refs.one("vpc", &group.vpc, VPC);
                for (list, rules) in [("ingress", &group.ingress), ("egress", &group.egress)] {
                    for (index, rule) in rules.iter().enumerate() {
                        if let Peer::SecurityGroup(peer) = &rule.peer {
                            refs.one(&format!("{list}[{index}].peer"), peer, SECURITY_GROUP);
                        }
                    }
                }
            }
            NodeKind::VpcPeering(peering) => {
                refs.one("requester", &peering.requester, VPC);
                refs.one("accepter", &peering.accepter, VPC);
            }
            NodeKind::OtherResource(other) => {
                refs.each("refers_to", &other.refers_to, &KindTag::ALL);
            }
            NodeKind::NetworkAcl(acl) => {
                refs.one("vpc", &acl.vpc, VPC);
                refs.each("subnets", &acl.subnets, SUBNET);
            }
            NodeKind::LoadBalancer(alb) => {
                refs.each("subnets", &alb.subnets, SUBNET);
                refs.each("security_groups", &alb.security_groups, SECURITY_GROUP);
                for (index, listener) in alb.listeners.iter().enumerate() {
                    refs.maybe(
                        &format!("listeners[{index}].certificate"),
                        &listener.certificate,
                        CERTIFICATE,
                    );
                }
                for (index, group) in alb.target_groups.iter().enumerate() {
                    if let Some(target) = &group.target {
                        refs.one(
                            &format!("target_groups[{index}].target.service"),
                            &target.service,
                            match group.target_type {
                                TargetType::Lambda => &[KindTag::LambdaFunction],
                                // A service's group of the wrong type is VR-31's to
                                // say, not a broken reference.
                                TargetType::Instance => &[
                                    KindTag::AutoScalingGroup,
                                    KindTag::Ec2Instance,
                                    KindTag::FargateService,
                                ],
                                TargetType::Ip => &[KindTag::FargateService],
                            },
                        );
                    }
                }
            }
            NodeKind::FargateService(service) => {
                refs.maybe("cluster", &service.cluster, &[KindTag::EcsCluster]);
                refs.each("subnets", &service.subnets, SUBNET);
                refs.each("security_groups", &service.security_groups, SECURITY_GROUP);
                for (index, container) in service.containers.iter().enumerate() {
                    if let ContainerImage::Ecr(repository) = &container.image {
                        refs.one(
                            &format!("containers[{index}].image.ecr"),
                            repository,
                            &[KindTag::EcrRepository],
                        );
                    }
                    for (at, secret) in container.secrets.iter().enumerate() {
                        if let SecretSource::DatabasePassword(database) = &secret.from {
                            refs.one(
                                &format!(
                                    "containers[{index}].secrets[{at}].from.database_password"
                                ),
                                database,
                                DATABASES,
                            );
                        }
                    }
                    for (var, variable) in container.environment.iter().enumerate() {
                        if let EnvironmentValue::EndpointOf(target) = &variable.value {
                            refs.one(
                                &format!(
                                    "containers[{index}].environment[{var}].value.endpoint_of"
                                ),
                                target,
                                ENDPOINT_SOURCES,
                            );
                        }
                    }
                }
            }
            NodeKind::AuroraCluster(aurora) => {
                refs.each("subnets", &aurora.subnets, SUBNET);
                refs.each("security_groups", &aurora.security_groups, SECURITY_GROUP);
            }
            NodeKind::RdsInstance(database) => {
                refs.each("subnets", &database.subnets, SUBNET);
                refs.each("security_groups", &database.security_groups, SECURITY_GROUP);
            }
            NodeKind::ElasticacheCache(cache) => {
                refs.each("subnets", &cache.subnets, SUBNET);
                refs.each("security_groups", &cache.security_groups, SECURITY_GROUP);
            }
            NodeKind::LambdaFunction(function) => {
                refs.each("subnets", &function.subnets, SUBNET);
                refs.each("security_groups", &function.security_groups, SECURITY_GROUP);
                refs.each("invokers", &function.invokers, INVOKERS);
                refs.each("event_sources", &function.event_sources, QUEUE);
            }
            NodeKind::AutoScalingGroup(group) => {
                refs.each("subnets", &group.subnets, SUBNET);
                refs.each("security_groups", &group.security_groups, SECURITY_GROUP);
            }
            NodeKind::HttpApi(api) => {
                for (index, route) in api.routes.iter().enumerate() {
                    refs.one(
                        &format!("routes[{index}].target"),
                        &route.target,
                        API_TARGETS,
                    );
                }
                refs.each("vpc_link_subnets", &api.vpc_link_subnets, SUBNET);
                refs.each(
                    "vpc_link_security_groups",
                    &api.vpc_link_security_groups,
                    SECURITY_GROUP,
                );
            }
            NodeKind::Ec2Instance(instance) => {
                refs.one("subnet", &instance.subnet, SUBNET);
                refs.each("security_groups", &instance.security_groups, SECURITY_GROUP);
            }
            NodeKind::Secret(secret) => refs.maybe("database", &secret.database, DATABASES),
            NodeKind::WebAcl(acl) => refs.each("protects", &acl.protects, PROTECTED),
            NodeKind::Bastion(bastion) => {
                refs.one("subnet", &bastion.subnet, SUBNET);
                refs.each("security_groups", &bastion.security_groups, SECURITY_GROUP);
            }
            NodeKind::CloudFront(distribution) => {
                for (index, origin) in distribution.origins.iter().enumerate() {
                    refs.one(&format!("origins[{index}].target"), &origin.target, ORIGINS);
                }
                refs.maybe("certificate", &distribution.certificate, CERTIFICATE);
            }
            NodeKind::Route53Zone(zone) => {
                for (index, record) in zone.records.iter().enumerate() {
                    if let DnsTarget::Alias(target) = &record.target {
                        refs.one(
                            &format!("records[{index}].target.alias"),
                            target,
                            ALIAS_TARGETS,
                        );
                    }
                }
            }
            NodeKind::AcmCertificate(certificate) => {
                refs.maybe(
                    "validation_zone",
                    &certificate.validation_zone,
                    &[KindTag::Route53Zone],
                );
            }
            NodeKind::Pipeline(pipeline) => refs.each("deploys", &pipeline.deploys, DEPLOY_TARGETS),
        }
        refs.0
    }
}
