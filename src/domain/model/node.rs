//! The infrastructure facts of every building block. Geometry lives apart, in
//! [`super::Layout`]; nothing here knows where a node is drawn.

use super::{Cidr, NodeId};
use serde::{Deserialize, Serialize};

/// Declares a model type with the derives and serde settings every one shares:
/// files are strict (an unknown field is an error, not silently dropped).
macro_rules! model {
    ($($item:item)*) => {
        $(
            #[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
            #[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema))]
            #[serde(deny_unknown_fields)]
            $item
        )*
    };
}

/// Declares a closed set of names, written in snake_case in files.
macro_rules! choice {
    ($($item:item)*) => {
        $(
            #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
            #[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema))]
            #[serde(rename_all = "snake_case")]
            $item
        )*
    };
}

fn yes() -> bool {
    true
}

fn is_true(value: &bool) -> bool {
    *value
}

fn is_false(value: &bool) -> bool {
    !*value
}

model! {
    /// One building block: its id, the name the user gave it and what it is.
    pub struct Node {
        pub id: NodeId,
        pub name: String,
        pub kind: NodeKind,
    }

    /// What a node is, with the properties of that kind.
    #[serde(rename_all = "snake_case")]
    pub enum NodeKind {
        Vpc(Vpc),
        Subnet(Subnet),
        InternetGateway(InternetGateway),
        NatGateway(NatGateway),
        RouteTable(RouteTable),
        VpcEndpoint(VpcEndpoint),
        SecurityGroup(SecurityGroup),
        VpcPeering(VpcPeering),
        NetworkAcl(NetworkAcl),
        LoadBalancer(LoadBalancer),
        EcsCluster(EcsCluster),
        FargateService(FargateService),
        AuroraCluster(AuroraCluster),
        RdsInstance(RdsInstance),
        DynamodbTable(DynamodbTable),
        SqsQueue(SqsQueue),
        SnsTopic(SnsTopic),
        ElasticacheCache(ElasticacheCache),
        LambdaFunction(LambdaFunction),
        HttpApi(HttpApi),
        AutoScalingGroup(AutoScalingGroup),
        Ec2Instance(Ec2Instance),
        Secret(Secret),
        WebAcl(WebAcl),
        Bastion(Bastion),
        S3Bucket(S3Bucket),
        #[serde(rename = "cloudfront")]
        CloudFront(CloudFront),
        Route53Zone(Route53Zone),
        AcmCertificate(AcmCertificate),
        EcrRepository(EcrRepository),
        Pipeline(Pipeline),
        Internet(Internet),
        ExternalClient(ExternalClient),
        OtherResource(OtherResource),
    }

    /// A virtual network: a primary IPv4 block and up to four secondary ones.
    pub struct Vpc {
        pub cidr: Cidr,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub secondary_cidrs: Vec<Cidr>,
        #[serde(default = "yes", skip_serializing_if = "is_true")]
        pub dns_support: bool,
        #[serde(default = "yes", skip_serializing_if = "is_true")]
        pub dns_hostnames: bool,
    }

    /// A subnet of one VPC in one availability zone. Without a route table it uses
    /// the VPC's main route table, which only routes inside the VPC.
    pub struct Subnet {
        pub vpc: NodeId,
        pub cidr: Cidr,
        /// The full zone name, e.g. `ap-northeast-1a`.
        pub az: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub route_table: Option<NodeId>,
    }

    pub struct InternetGateway {
        /// The VPC it is attached to; a detached gateway routes nothing.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub vpc: Option<NodeId>,
    }

    pub struct NatGateway {
        pub subnet: NodeId,
        #[serde(default)]
        pub connectivity: NatConnectivity,
        /// A public NAT gateway needs an Elastic IP.
        #[serde(default = "yes")]
        pub elastic_ip: bool,
    }

    /// A route table of one VPC. The local route for the VPC's own blocks is
    /// implied, as in AWS, and never stored.
    pub struct RouteTable {
        pub vpc: NodeId,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub routes: Vec<Route>,
    }

    pub struct Route {
        pub destination: Cidr,
        /// An internet gateway, a NAT gateway or a VPC peering.
        pub target: NodeId,
    }

    /// A private way to an AWS service: a gateway endpoint (S3) is attached to route
    /// tables, an interface endpoint places network interfaces in subnets.
    pub struct VpcEndpoint {
        pub vpc: NodeId,
        pub service: EndpointService,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub route_tables: Vec<NodeId>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub subnets: Vec<NodeId>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub security_groups: Vec<NodeId>,
    }

    /// A stateful, allow-only firewall. Rules derived from traffic edges are added
    /// to these hand-written ones when the diagram is checked or exported.
    pub struct SecurityGroup {
        pub vpc: NodeId,
        #[serde(default, skip_serializing_if = "String::is_empty")]
        pub description: String,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub ingress: Vec<SecurityGroupRule>,
        /// A new group allows all outbound traffic; an empty list allows none.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub egress: Vec<SecurityGroupRule>,
    }

    pub struct SecurityGroupRule {
        pub protocol: Protocol,
        /// Ignored for protocol `all`.
        #[serde(default)]
        pub from_port: u16,
        #[serde(default)]
        pub to_port: u16,
        pub peer: Peer,
        #[serde(default, skip_serializing_if = "String::is_empty")]
        pub description: String,
    }

    /// The other end of a security-group rule.
    #[serde(rename_all = "snake_case")]
    pub enum Peer {
        Cidr(Cidr),
        SecurityGroup(NodeId),
    }

    pub struct VpcPeering {
        pub requester: NodeId,
        pub accepter: NodeId,
    }

    /// A stateless firewall at the edge of the subnets associated with it.
    /// A subnet associated with none uses its VPC's default ACL, which
    /// allows everything. Each direction ends with AWS's `*` rule, which
    /// denies what no numbered rule decided; it is implied, never stored.
    pub struct NetworkAcl {
        pub vpc: NodeId,
        /// A subnet is associated with one network ACL at most.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub subnets: Vec<NodeId>,
        /// Rules for traffic entering the subnets, in the order they are listed.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub inbound: Vec<AclRule>,
        /// Rules for traffic leaving the subnets.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub outbound: Vec<AclRule>,
    }

    /// One numbered rule: the lowest number that matches a packet decides.
    pub struct AclRule {
        /// 1 to 32766, unique within its direction.
        pub number: u16,
        pub action: AclAction,
        pub protocol: Protocol,
        /// Ignored for protocols `all` and `icmp`.
        #[serde(default)]
        pub from_port: u16,
        #[serde(default)]
        pub to_port: u16,
        /// The other end: the source of inbound traffic, the destination of
        /// outbound traffic.
        pub cidr: Cidr,
    }

    /// An Application Load Balancer with its listeners and target groups.
    pub struct LoadBalancer {
        pub scheme: LoadBalancerScheme,
        pub subnets: Vec<NodeId>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub security_groups: Vec<NodeId>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub listeners: Vec<Listener>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub target_groups: Vec<TargetGroup>,
    }

    pub struct Listener {
        pub port: u16,
        pub protocol: ListenerProtocol,
        /// Required for HTTPS: an ACM certificate in the load balancer's region.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub certificate: Option<NodeId>,
        pub action: ListenerAction,
    }

    #[serde(rename_all = "snake_case")]
    pub enum ListenerAction {
        /// Forward to the target group with this name.
        Forward(String),
        RedirectToHttps,
        FixedResponse(u16),
    }

    pub struct TargetGroup {
        /// Unique within its load balancer; listeners refer to it by this name.
        pub name: String,
        pub protocol: ListenerProtocol,
        pub port: u16,
        pub target_type: TargetType,
        #[serde(default)]
        pub health_check: HealthCheck,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub target: Option<ServiceTarget>,
    }

    /// The container of a Fargate service that a target group sends traffic to.
    pub struct ServiceTarget {
        pub service: NodeId,
        pub container: String,
    }

    pub struct HealthCheck {
        /// `None` means never set: AWS then checks `/`, which many APIs do not serve.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub path: Option<String>,
        /// `None` is the traffic port.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub port: Option<u16>,
        #[serde(default = "default_matcher")]
        pub matcher: String,
        #[serde(default = "default_interval")]
        pub interval_seconds: u16,
    }

    pub struct EcsCluster {
        #[serde(default, skip_serializing_if = "is_false")]
        pub container_insights: bool,
    }

    /// An ECS service on Fargate (awsvpc networking: one interface per task).
    pub struct FargateService {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub cluster: Option<NodeId>,
        /// Task CPU units (256 = 0.25 vCPU).
        pub cpu: u32,
        /// Task memory in MiB.
        pub memory: u32,
        pub containers: Vec<Container>,
        pub desired_count: u32,
        pub subnets: Vec<NodeId>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub security_groups: Vec<NodeId>,
        #[serde(default)]
        pub assign_public_ip: bool,
        #[serde(default = "default_min_healthy")]
        pub min_healthy_percent: u16,
        #[serde(default = "default_max_percent")]
        pub max_percent: u16,
    }

    pub struct Container {
        pub name: String,
        pub image: ContainerImage,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub port: Option<u16>,
        #[serde(default = "yes", skip_serializing_if = "is_true")]
        pub essential: bool,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub environment: Vec<EnvironmentVariable>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub secrets: Vec<ContainerSecret>,
    }

    #[serde(rename_all = "snake_case")]
    pub enum ContainerImage {
        /// An image in one of the diagram's ECR repositories; the pipeline tags it.
        Ecr(NodeId),
        /// Any other image reference, e.g. `public.ecr.aws/nginx/nginx:1.27`.
        Registry(String),
    }

    pub struct EnvironmentVariable {
        pub name: String,
        pub value: EnvironmentValue,
    }

    #[serde(rename_all = "snake_case")]
    pub enum EnvironmentValue {
        Text(String),
        /// The endpoint address of a node (an Aurora cluster, a load balancer),
        /// filled in by the export.
        EndpointOf(NodeId),
    }

    /// An environment variable filled from AWS Secrets Manager at task start.
    pub struct ContainerSecret {
        pub name: String,
        pub from: SecretSource,
    }

    #[serde(rename_all = "snake_case")]
    pub enum SecretSource {
        /// A secret's name in Secrets Manager, optionally with `:json-key::`.
        SecretsManager(String),
        /// The master password of an Aurora cluster or RDS database that
        /// lets RDS manage it.
        DatabasePassword(NodeId),
    }

    pub struct AuroraCluster {
        pub engine: AuroraEngine,
        pub engine_version: String,
        pub port: u16,
        #[serde(default, skip_serializing_if = "String::is_empty")]
        pub database_name: String,
        pub master_username: String,
        /// Let RDS keep the master password in Secrets Manager.
        #[serde(default = "yes")]
        pub manage_master_password: bool,
        #[serde(default = "yes")]
        pub storage_encrypted: bool,
        /// Give the instances public addresses (reachable from the internet
        /// when they also sit in public subnets and a security group allows it).
        #[serde(default, skip_serializing_if = "is_false")]
        pub publicly_accessible: bool,
        pub instance_class: String,
        pub instance_count: u8,
        /// The DB subnet group.
        pub subnets: Vec<NodeId>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub security_groups: Vec<NodeId>,
    }

    /// An RDS database instance (MySQL, PostgreSQL or MariaDB), in one zone
    /// or with a standby in another (Multi-AZ). RDS keeps its master
    /// password in Secrets Manager.
    pub struct RdsInstance {
        pub engine: RdsEngine,
        pub engine_version: String,
        pub instance_class: String,
        /// Storage in GiB (gp3).
        pub allocated_storage: u32,
        /// A synchronous standby in another zone, which RDS fails over to.
        #[serde(default, skip_serializing_if = "is_false")]
        pub multi_az: bool,
        pub port: u16,
        #[serde(default, skip_serializing_if = "String::is_empty")]
        pub database_name: String,
        pub master_username: String,
        #[serde(default = "yes")]
        pub storage_encrypted: bool,
        /// A public address (reachable from the internet when it also sits
        /// in public subnets and a security group allows it).
        #[serde(default, skip_serializing_if = "is_false")]
        pub publicly_accessible: bool,
        /// The DB subnet group: AWS asks for subnets in two zones at least.
        pub subnets: Vec<NodeId>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub security_groups: Vec<NodeId>,
    }

    /// A DynamoDB table, billed on demand: regional, reached over HTTPS
    /// through a gateway endpoint on the caller's route table or the route
    /// out; a drawn line from a service grants its tasks the table.
    pub struct DynamodbTable {
        pub table_name: String,
        pub partition_key: KeyAttribute,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub sort_key: Option<KeyAttribute>,
        /// Continuous backups: restore to any second of the last 35 days.
        #[serde(default = "yes")]
        pub point_in_time_recovery: bool,
    }

    /// An SQS queue, encrypted with SQS's own keys: regional, reached over
    /// HTTPS through an interface endpoint or the route out; a drawn line
    /// from a service grants its tasks the queue.
    pub struct SqsQueue {
        /// Without the `.fifo` suffix, which a FIFO queue's name gets.
        pub queue_name: String,
        /// First-in-first-out, exactly once, at a lower throughput.
        #[serde(default, skip_serializing_if = "is_false")]
        pub fifo: bool,
        /// Seconds a received message stays hidden from other consumers.
        pub visibility_timeout_seconds: u32,
        /// Seconds a message is kept before SQS deletes it.
        pub message_retention_seconds: u32,
    }

    /// An ElastiCache cache (Valkey or Redis OSS): one shard, a primary and
    /// its replicas, in a cache subnet group of its own; encrypted at rest.
    pub struct ElasticacheCache {
        pub engine: CacheEngine,
        pub engine_version: String,
        pub node_type: String,
        /// Read replicas beside the primary (0 to 5).
        pub replicas: u8,
        /// Automatic failover to a replica in another zone.
        #[serde(default, skip_serializing_if = "is_false")]
        pub multi_az: bool,
        pub port: u16,
        /// TLS between clients and the cache.
        #[serde(default = "yes")]
        pub transit_encryption: bool,
        /// The cache subnet group.
        pub subnets: Vec<NodeId>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub security_groups: Vec<NodeId>,
    }

    /// An SNS topic, encrypted with SNS's AWS-managed key: regional,
    /// reached over HTTPS through an interface endpoint or the route out; a
    /// drawn line from a service lets its tasks publish, one to a queue
    /// subscribes the queue.
    pub struct SnsTopic {
        /// Without the `.fifo` suffix, which a FIFO topic's name gets.
        pub topic_name: String,
        /// Ordered and deduplicated; delivers to FIFO and standard queues.
        #[serde(default, skip_serializing_if = "is_false")]
        pub fifo: bool,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub subscriptions: Vec<QueueSubscription>,
    }

    /// A Lambda function: outside any VPC (reaching AWS's APIs and the
    /// internet directly) or attached to subnets through its security
    /// groups. Deployed with a placeholder handler that the pipeline, or the
    /// user, replaces with the real package.
    pub struct LambdaFunction {
        pub function_name: String,
        pub runtime: LambdaRuntime,
        /// 128 to 10,240 MB; CPU grows with it.
        pub memory_mb: u16,
        /// 1 to 900 seconds.
        pub timeout_seconds: u16,
        /// Empty: the function runs outside every VPC.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub subnets: Vec<NodeId>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub security_groups: Vec<NodeId>,
        /// The load balancers and HTTP APIs the function's resource policy
        /// lets invoke it (`lambda:InvokeFunction` for
        /// `elasticloadbalancing.amazonaws.com` or `apigateway.amazonaws.com`).
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub invokers: Vec<NodeId>,
        /// The SQS queues Lambda polls for it (event source mappings); its
        /// role may receive and delete their messages.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub event_sources: Vec<NodeId>,
    }

    /// An API Gateway HTTP API with its default stage, deployed on every
    /// change: regional, reached over HTTPS from anywhere. Each route
    /// invokes a Lambda function, or forwards to a load balancer's listener
    /// through the API's VPC link (its interfaces in the VPC's subnets).
    pub struct HttpApi {
        pub api_name: String,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub routes: Vec<ApiRoute>,
        /// The VPC link's subnets; empty without one.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub vpc_link_subnets: Vec<NodeId>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub vpc_link_security_groups: Vec<NodeId>,
    }

    /// An EC2 Auto Scaling group launching Amazon Linux 2023 instances (the
    /// image looked up through SSM's public parameter) from a launch
    /// template: a web server answering on `port`, across its subnets.
    pub struct AutoScalingGroup {
        pub instance_type: String,
        pub min_size: u16,
        pub max_size: u16,
        pub desired_capacity: u16,
        /// The port its instances serve (a load balancer's target port).
        pub port: u16,
        pub subnets: Vec<NodeId>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub security_groups: Vec<NodeId>,
    }

    /// A Secrets Manager secret, encrypted with Secrets Manager's AWS managed
    /// key: regional, read over HTTPS through an interface endpoint or the
    /// route out. It is created holding a generated value (the user puts the
    /// real one); a drawn line from a service or a function grants its role
    /// reading it, one to a database makes it hold that database's master
    /// credentials.
    pub struct Secret {
        pub secret_name: String,
        /// Characters of the generated value: the password, for a database.
        pub password_length: u16,
        /// The Aurora cluster or RDS database whose master credentials it
        /// holds (`username` and `password`): the database's password comes
        /// from it, and RDS does not manage one of its own.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub database: Option<NodeId>,
    }

    /// A WAF web ACL: AWS's managed rule groups and a rate limit, in front of
    /// the load balancers (scope `regional`) or the CloudFront distributions
    /// (scope `cloudfront`, which WAF keeps in us-east-1) it protects.
    /// Requests no rule blocks are allowed.
    pub struct WebAcl {
        pub scope: WafScope,
        /// AWSManagedRulesCommonRuleSet: OWASP's common exploits.
        #[serde(default, skip_serializing_if = "is_false")]
        pub common_rules: bool,
        /// AWSManagedRulesKnownBadInputsRuleSet: request patterns of known
        /// exploits (Log4j among them).
        #[serde(default, skip_serializing_if = "is_false")]
        pub known_bad_inputs: bool,
        /// AWSManagedRulesAmazonIpReputationList: sources Amazon's threat
        /// intelligence lists.
        #[serde(default, skip_serializing_if = "is_false")]
        pub ip_reputation: bool,
        /// AWSManagedRulesSQLiRuleSet: SQL injection.
        #[serde(default, skip_serializing_if = "is_false")]
        pub sql_injection: bool,
        /// Requests one address may send in 5 minutes before it is blocked.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub rate_limit: Option<u32>,
        /// Application Load Balancers (regional) or CloudFront distributions.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub protects: Vec<NodeId>,
    }

    /// One EC2 instance running Amazon Linux 2023 (the image looked up
    /// through SSM's public parameter) in one subnet: a web server
    /// answering on `port`, which a load balancer can send to.
    pub struct Ec2Instance {
        pub instance_type: String,
        pub subnet: NodeId,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub security_groups: Vec<NodeId>,
        /// The port its web server answers (a load balancer's target port).
        pub port: u16,
        /// A public address, reachable from the internet when its subnet
        /// routes there and a group admits it.
        #[serde(default, skip_serializing_if = "is_false")]
        pub public_ip: bool,
    }

    /// A route: requests matching its key go to its target.
    pub struct ApiRoute {
        /// `METHOD /path` (`ANY`, `{proxy+}` allowed) or `$default`.
        pub route_key: String,
        /// A Lambda function, or a load balancer through the VPC link.
        pub target: NodeId,
    }

    /// A queue subscribed to a topic: SNS sends it every message published.
    pub struct QueueSubscription {
        pub queue: NodeId,
        /// The message's body alone, without SNS's JSON envelope.
        #[serde(default, skip_serializing_if = "is_false")]
        pub raw_message_delivery: bool,
        /// Whether the queue's policy lets the topic send to it. The exports
        /// write that policy; an imported queue may lack it, and SNS's
        /// deliveries are then refused.
        #[serde(default = "yes")]
        pub queue_policy_allows: bool,
    }

    /// A key of a DynamoDB table: its attribute's name and type.
    pub struct KeyAttribute {
        pub name: String,
        pub attribute_type: KeyType,
    }

    /// A small EC2 instance in a public subnet to reach private resources over SSH.
    pub struct Bastion {
        pub instance_type: String,
        pub subnet: NodeId,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub security_groups: Vec<NodeId>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub key_pair: Option<String>,
        #[serde(default = "yes")]
        pub public_ip: bool,
    }

    pub struct S3Bucket {
        pub bucket_name: String,
        #[serde(default = "yes")]
        pub block_public_access: bool,
        #[serde(default)]
        pub versioning: bool,
        /// Static website hosting; its endpoint cannot use Origin Access Control.
        #[serde(default, skip_serializing_if = "is_false")]
        pub website_hosting: bool,
    }

    pub struct CloudFront {
        /// Exactly one origin without a path pattern serves the default behaviour.
        pub origins: Vec<CloudFrontOrigin>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub aliases: Vec<String>,
        /// Must be in us-east-1.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub certificate: Option<NodeId>,
        #[serde(default = "default_root_object")]
        pub default_root_object: String,
        #[serde(default)]
        pub price_class: PriceClass,
    }

    pub struct CloudFrontOrigin {
        /// An S3 bucket or a load balancer.
        pub target: NodeId,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub path_pattern: Option<String>,
        pub access: OriginAccess,
    }

    pub struct Route53Zone {
        pub domain_name: String,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub records: Vec<DnsRecord>,
    }

    pub struct DnsRecord {
        /// Relative to the zone; empty for the apex.
        #[serde(default)]
        pub name: String,
        pub record_type: DnsRecordType,
        pub target: DnsTarget,
    }

    #[serde(rename_all = "snake_case")]
    pub enum DnsTarget {
        /// An alias to a CloudFront distribution or a load balancer.
        Alias(NodeId),
        Values(Vec<String>),
    }

    pub struct AcmCertificate {
        pub domain_name: String,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub subject_alternative_names: Vec<String>,
        /// Where the certificate is issued; CloudFront only uses us-east-1.
        pub region: String,
        /// The hosted zone that proves ownership by DNS.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub validation_zone: Option<NodeId>,
    }

    pub struct EcrRepository {
        pub repository_name: String,
        #[serde(default = "yes")]
        pub scan_on_push: bool,
        #[serde(default)]
        pub immutable_tags: bool,
    }

    /// A CircleCI pipeline that builds and deploys the nodes it is linked to.
    pub struct Pipeline {
        pub branch: String,
        pub context: String,
        pub auth: PipelineAuth,
        /// Fargate services, S3 buckets and CloudFront distributions it deploys.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub deploys: Vec<NodeId>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pub frontend: Option<FrontendBuild>,
    }

    #[serde(rename_all = "snake_case")]
    pub enum PipelineAuth {
        /// Assume an IAM role through CircleCI's OIDC token.
        OidcRole(String),
        /// Long-lived keys in the context (flagged: prefer OIDC).
        AccessKeys,
    }

    pub struct FrontendBuild {
        /// Folder of the front-end project in the repository.
        pub directory: String,
        pub build_command: String,
        /// Folder, relative to `directory`, that is synced to the bucket.
        pub output_directory: String,
    }

    /// The public internet as a traffic source.
    pub struct Internet {}

    /// A named client outside AWS, such as an operator's office network.
    pub struct ExternalClient {
        pub cidr: Cidr,
    }

    /// What an import found and stackdraw does not model (a resource type
    /// it has no kind for), or could not resolve (a data source read from
    /// AWS, a module that is not expanded): kept on the canvas so nothing is
    /// dropped silently. The analysis does not look inside it, and says so;
    /// exports leave it out, and say so.
    pub struct OtherResource {
        /// Its type as written: `AWS::SNS::Topic`, `aws_iam_role`,
        /// `data.aws_ami`, `module`.
        pub resource_type: String,
        /// Its logical id or address where it was written.
        #[serde(default, skip_serializing_if = "String::is_empty")]
        pub source_id: String,
        /// True for what is not known until a deploy (a placeholder), false
        /// for a resource of a type stackdraw does not draw.
        #[serde(default, skip_serializing_if = "is_false")]
        pub placeholder: bool,
        /// Why it is here, or what it stands for (a module's inputs).
        #[serde(default, skip_serializing_if = "String::is_empty")]
        pub note: String,
        /// The nodes it refers to.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        pub refers_to: Vec<NodeId>,
    }
}

fn default_matcher() -> String {
    "200".into()
}

fn default_interval() -> u16 {
    30
}

fn default_min_healthy() -> u16 {
    100
}

fn default_max_percent() -> u16 {
    200
}

fn default_root_object() -> String {
    "index.html".into()
}

impl Default for HealthCheck {
    fn default() -> Self {
        HealthCheck {
            path: None,
            port: None,
            matcher: default_matcher(),
            interval_seconds: default_interval(),
        }
    }
}

choice! {
    #[derive(Default)]
    pub enum NatConnectivity {
        #[default]
        Public,
        Private,
    }

    pub enum EndpointService {
        S3,
        EcrApi,
        EcrDkr,
        Logs,
        SecretsManager,
        Dynamodb,
        Sqs,
        Sns,
    }

    pub enum AclAction {
        Allow,
        Deny,
    }

    pub enum Protocol {
        Tcp,
        Udp,
        Icmp,
        All,
    }

    pub enum LoadBalancerScheme {
        InternetFacing,
        Internal,
    }

    pub enum ListenerProtocol {
        Http,
        Https,
    }

    pub enum TargetType {
        Ip,
        Instance,
        /// A Lambda function, invoked by the load balancer with the request.
        Lambda,
    }

    pub enum AuroraEngine {
        AuroraMysql,
        AuroraPostgresql,
    }

    pub enum RdsEngine {
        Mysql,
        Postgres,
        Mariadb,
    }

    /// Lambda's managed runtimes the placeholder handler is written for.
    pub enum LambdaRuntime {
        Nodejs22,
        Python313,
    }

    /// Where a web ACL's resources are: in a region (load balancers) or at
    /// CloudFront's edge.
    pub enum WafScope {
        Regional,
        Cloudfront,
    }

    /// ElastiCache's engines with replication groups.
    pub enum CacheEngine {
        Valkey,
        Redis,
    }

    /// DynamoDB's scalar key types.
    pub enum KeyType {
        String,
        Number,
        Binary,
    }

    pub enum OriginAccess {
        /// S3 through Origin Access Control.
        Oac,
        /// S3 through the legacy Origin Access Identity.
        LegacyOai,
        /// A public S3 bucket or website endpoint.
        Public,
        /// A custom origin (load balancer) over HTTPS.
        HttpsOnly,
        /// A custom origin over plain HTTP.
        HttpOnly,
    }

    #[derive(Default)]
    pub enum PriceClass {
        #[serde(rename = "PriceClass_100")]
        PriceClass100,
        #[default]
        #[serde(rename = "PriceClass_200")]
        PriceClass200,
        #[serde(rename = "PriceClass_All")]
        PriceClassAll,
    }

    pub enum DnsRecordType {
        #[serde(rename = "A")]
        A,
        #[serde(rename = "AAAA")]
        Aaaa,
        #[serde(rename = "CNAME")]
        Cname,
        #[serde(rename = "TXT")]
        Txt,
    }
}

impl EndpointService {
    /// Every service an endpoint can be for, in the order the inspector
    /// lists them.
    pub const ALL: [EndpointService; 8] = [
        EndpointService::S3,
        EndpointService::EcrApi,
        EndpointService::EcrDkr,
        EndpointService::Logs,
        EndpointService::SecretsManager,
        EndpointService::Dynamodb,
        EndpointService::Sqs,
        EndpointService::Sns,
    ];

    /// Gateway endpoints are attached to route tables; the rest place interfaces.
    pub fn is_gateway(self) -> bool {
        matches!(self, EndpointService::S3 | EndpointService::Dynamodb)
    }

    /// The last part of the service name, `com.amazonaws.<region>.<this>`.
    pub fn service_suffix(self) -> &'static str {
        match self {
            EndpointService::S3 => "s3",
            EndpointService::EcrApi => "ecr.api",
            EndpointService::EcrDkr => "ecr.dkr",
            EndpointService::Logs => "logs",
            EndpointService::SecretsManager => "secretsmanager",
            EndpointService::Dynamodb => "dynamodb",
            EndpointService::Sqs => "sqs",
            EndpointService::Sns => "sns",
        }
    }
}

impl LoadBalancer {
    /// A new, empty target group named after `base` (made unique), with an
    /// HTTP listener on a free port forwarding to it, for a target that the
    /// existing groups cannot take; returns the group's index.
    pub fn add_routed_group(&mut self, base: &str, target_type: TargetType, port: u16) -> usize {
        let name = (1..)
            .map(|n| match n {
                1 => base.to_string(),
                n => format!("{base}-{n}"),
            })
            .find(|name| self.target_groups.iter().all(|g| &g.name != name))
            .unwrap_or_else(|| base.to_string());
        self.listeners.push(Listener {
            port: self.free_listener_port(),
            protocol: ListenerProtocol::Http,
            certificate: None,
            action: ListenerAction::Forward(name.clone()),
        });
        self.target_groups.push(TargetGroup {
            name,
            protocol: ListenerProtocol::Http,
            port,
            target_type,
            health_check: HealthCheck::default(),
            target: None,
        });
        self.target_groups.len() - 1
    }

    /// A port no listener of the load balancer uses yet, HTTP's usual ones
    /// first.
    pub fn free_listener_port(&self) -> u16 {
        [80u16, 8080, 8000, 8081, 8888]
            .into_iter()
            .chain(9000..9100)
            .find(|p| self.listeners.iter().all(|l| l.port != *p))
            .unwrap_or(80)
    }
}

impl FargateService {
    /// Whether the service runs images from the diagram's own ECR
    /// repositories. Those are empty until the pipeline's first push, so the
    /// exports start such a service at zero tasks and leave its image and
    /// task count to the pipeline (an ECS service whose image does not exist
    /// never becomes stable, and CloudFormation then rolls the stack back).
    pub fn starts_after_first_push(&self) -> bool {
        self.containers
            .iter()
            .any(|container| matches!(container.image, ContainerImage::Ecr(_)))
    }

    /// The port a target group reaches a container on: the container's own
    /// port, else the target group's.
    pub fn target_port(&self, target: &ServiceTarget, group_port: u16) -> u16 {
        self.containers
            .iter()
            .find(|container| container.name == target.container)
            .and_then(|container| container.port)
            .unwrap_or(group_port)
    }
}

impl RdsEngine {
    pub const ALL: [RdsEngine; 3] = [RdsEngine::Mysql, RdsEngine::Postgres, RdsEngine::Mariadb];

    /// RDS's name for the engine (`Engine`, `engine`), as the file format writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            RdsEngine::Mysql => "mysql",
            RdsEngine::Postgres => "postgres",
            RdsEngine::Mariadb => "mariadb",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            RdsEngine::Mysql => "MySQL",
            RdsEngine::Postgres => "PostgreSQL",
            RdsEngine::Mariadb => "MariaDB",
        }
    }

    /// The port the engine listens on unless told otherwise.
    pub fn default_port(self) -> u16 {
        match self {
            RdsEngine::Postgres => 5432,
            RdsEngine::Mysql | RdsEngine::Mariadb => 3306,
        }
    }

    /// A version RDS offers for new databases (MySQL 8.4 and MariaDB 11.4
    /// are the engines' long-term releases), which minor upgrades then
    /// follow; cfn-lint checks it against RDS's list.
    pub fn default_version(self) -> &'static str {
        match self {
            RdsEngine::Mysql => "8.4.7",
            RdsEngine::Postgres => "17.7",
            RdsEngine::Mariadb => "11.4.9",
        }
    }
}

impl CacheEngine {
    pub const ALL: [CacheEngine; 2] = [CacheEngine::Valkey, CacheEngine::Redis];

    /// ElastiCache's name for the engine (`Engine`, `engine`).
    pub fn as_str(self) -> &'static str {
        match self {
            CacheEngine::Valkey => "valkey",
            CacheEngine::Redis => "redis",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            CacheEngine::Valkey => "Valkey",
            CacheEngine::Redis => "Redis OSS",
        }
    }

    /// A version ElastiCache offers for new caches.
    pub fn default_version(self) -> &'static str {
        match self {
            CacheEngine::Valkey => "8.0",
            CacheEngine::Redis => "7.1",
        }
    }
}

impl LambdaRuntime {
    pub const ALL: [LambdaRuntime; 2] = [LambdaRuntime::Nodejs22, LambdaRuntime::Python313];

    /// Lambda's identifier of the runtime (`Runtime`, `runtime`).
    pub fn as_str(self) -> &'static str {
        match self {
            LambdaRuntime::Nodejs22 => "nodejs22.x",
            LambdaRuntime::Python313 => "python3.13",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            LambdaRuntime::Nodejs22 => "Node.js 22",
            LambdaRuntime::Python313 => "Python 3.13",
        }
    }
}

impl KeyType {
    pub const ALL: [KeyType; 3] = [KeyType::String, KeyType::Number, KeyType::Binary];

    /// DynamoDB's letter for the type (`AttributeType`, `type`).
    pub fn letter(self) -> &'static str {
        match self {
            KeyType::String => "S",
            KeyType::Number => "N",
            KeyType::Binary => "B",
        }
    }

    pub fn from_letter(letter: &str) -> Option<KeyType> {
        KeyType::ALL.into_iter().find(|t| t.letter() == letter)
    }

    pub fn label(self) -> &'static str {
        match self {
            KeyType::String => "string",
            KeyType::Number => "number",
            KeyType::Binary => "binary",
        }
    }
}

impl WafScope {
    pub const ALL: [WafScope; 2] = [WafScope::Regional, WafScope::Cloudfront];

    /// WAF's name for the scope (`Scope`, `scope`).
    pub fn as_str(self) -> &'static str {
        match self {
            WafScope::Regional => "REGIONAL",
            WafScope::Cloudfront => "CLOUDFRONT",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            WafScope::Regional => "Regional (load balancers)",
            WafScope::Cloudfront => "CloudFront (us-east-1)",
        }
    }
}

impl WebAcl {
    /// The AWS managed rule groups it evaluates, by AWS's names, in the
    /// order they run.
    pub fn managed_groups(&self) -> Vec<&'static str> {
        [
            (self.ip_reputation, "AWSManagedRulesAmazonIpReputationList"),
            (self.common_rules, "AWSManagedRulesCommonRuleSet"),
            (
                self.known_bad_inputs,
                "AWSManagedRulesKnownBadInputsRuleSet",
            ),
            (self.sql_injection, "AWSManagedRulesSQLiRuleSet"),
        ]
        .into_iter()
        .filter_map(|(on, name)| on.then_some(name))
        .collect()
    }
}

impl SnsTopic {
    /// The topic's name as SNS knows it: a FIFO topic's ends with `.fifo`.
    pub fn full_name(&self) -> String {
        if self.fifo {
            format!("{}.fifo", self.topic_name)
        } else {
            self.topic_name.clone()
        }
    }
}

impl SqsQueue {
    /// The queue's name as SQS knows it: a FIFO queue's ends with `.fifo`.
    pub fn full_name(&self) -> String {
        if self.fifo {
            format!("{}.fifo", self.queue_name)
        } else {
            self.queue_name.clone()
        }
    }
}
