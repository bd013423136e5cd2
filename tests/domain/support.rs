//! Shared fixtures for the native tests.

use stackdraw::domain::model::*;
use stackdraw::domain::templates;
use std::path::PathBuf;

pub fn fixture_path(relative: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(relative)
}

pub fn read_fixture(relative: &str) -> String {
    let path = fixture_path(relative);
    std::fs::read_to_string(&path).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

/// Compares generated text with a checked-in fixture; `UPDATE_FIXTURES=1`
/// rewrites the file instead, for changes that were meant.
pub fn assert_matches_file(relative: &str, actual: &str) {
    assert_matches_path(&fixture_path(relative), actual);
}

pub fn assert_matches_path(path: &std::path::Path, actual: &str) {
    let path = path.to_path_buf();
    if std::env::var_os("UPDATE_FIXTURES").is_some() {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        std::fs::write(&path, actual).unwrap();
        return;
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        expected == actual,
        "{} is out of date; run `UPDATE_FIXTURES=1 cargo test --test domain` and review the diff",
        path.display()
    );
}

pub fn id(text: &str) -> NodeId {
    NodeId::new(text).unwrap()
}

/// An inbound or outbound rule for one TCP port with a block at its other end.
pub fn tcp_rule(port: u16, cidr: &str) -> SecurityGroupRule {
    SecurityGroupRule {
        protocol: Protocol::Tcp,
        from_port: port,
        to_port: port,
        peer: Peer::Cidr(Cidr::parse(cidr).unwrap()),
        description: String::new(),
    }
}

/// The properties of the node with this id, to change in a test.
pub fn kind_mut<'a>(diagram: &'a mut Diagram, node: &str) -> &'a mut NodeKind {
    &mut diagram
        .nodes
        .iter_mut()
        .find(|n| n.id.as_str() == node)
        .unwrap_or_else(|| panic!("no node {node}"))
        .kind
}

/// A line drawn from the seed's service to `to` on tcp/`port`.
fn service_line(diagram: &mut Diagram, to: &str, port: u16) {
    diagram.edges.push(TrafficEdge {
        id: EdgeId::new(format!("e-service-{to}")).unwrap(),
        from: id("service"),
        to: id(to),
        protocol: Protocol::Tcp,
        port,
        label: String::new(),
        bends: Vec::new(),
        straight: false,
    });
}

fn add(diagram: &mut Diagram, node_id: &str, name: &str, kind: NodeKind) {
    diagram.nodes.push(Node {
        id: id(node_id),
        name: name.into(),
        kind,
    });
}

/// A DynamoDB table of orders (customer and time) the seed's service reads
/// and writes: a line drawn from the service.
pub fn add_orders_table(diagram: &mut Diagram) {
    add(
        diagram,
        "orders-table",
        "orders",
        NodeKind::DynamodbTable(DynamodbTable {
            table_name: "myapp-orders".into(),
            partition_key: KeyAttribute {
                name: "customer_id".into(),
                attribute_type: KeyType::String,
            },
            sort_key: Some(KeyAttribute {
                name: "placed_at".into(),
                attribute_type: KeyType::Number,
            }),
            point_in_time_recovery: true,
        }),
    );
    service_line(diagram, "orders-table", 443);
}

/// An SQS queue of jobs the seed's service sends to: a line drawn from the
/// service.
pub fn add_jobs_queue(diagram: &mut Diagram) {
    add(
        diagram,
        "jobs-queue",
        "jobs",
        NodeKind::SqsQueue(SqsQueue {
            queue_name: "myapp-jobs".into(),
            fifo: true,
            visibility_timeout_seconds: 120,
            message_retention_seconds: 345_600,
        }),
    );
    service_line(diagram, "jobs-queue", 443);
}

/// An SNS FIFO topic of events the seed's service publishes (a line drawn
/// from the service), delivered to the jobs queue (`add_jobs_queue` first).
pub fn add_events_topic(diagram: &mut Diagram) {
    add(
        diagram,
        "events-topic",
        "events",
        NodeKind::SnsTopic(SnsTopic {
            topic_name: "myapp-events".into(),
            fifo: true,
            subscriptions: vec![QueueSubscription {
                queue: id("jobs-queue"),
                raw_message_delivery: true,
                queue_policy_allows: true,
            }],
        }),
    );
    service_line(diagram, "events-topic", 443);
}

/// A Valkey cache of sessions in the seed's private subnets, Multi-AZ with
/// one replica, in a group of its own: the service reaches it by a drawn
/// line, whose rules come with it as the editor makes them.
pub fn add_sessions_cache(diagram: &mut Diagram) {
    add(
        diagram,
        "sg-cache",
        "cache-sg",
        NodeKind::SecurityGroup(SecurityGroup {
            vpc: id("vpc-main"),
            description: "Sessions cache".into(),
            ingress: Vec::new(),
            egress: Vec::new(),
        }),
    );
    add(
        diagram,
        "sessions-cache",
        "sessions",
        NodeKind::ElasticacheCache(ElasticacheCache {
            engine: CacheEngine::Valkey,
            engine_version: "8.0".into(),
            node_type: "cache.t4g.micro".into(),
            replicas: 1,
            multi_az: true,
            port: 6379,
            transit_encryption: true,
            subnets: vec![id("subnet-private-a"), id("subnet-private-c")],
            security_groups: vec![id("sg-cache")],
        }),
    );
    let (command, _) =
        stackdraw::domain::edit::connect::connect(diagram, &id("service"), &id("sessions-cache"))
            .unwrap();
    stackdraw::domain::edit::apply(diagram, command).unwrap();
    // The API finds the cache by its primary endpoint's address.
    if let NodeKind::FargateService(service) = kind_mut(diagram, "service") {
        if let Some(api) = service.containers.iter_mut().find(|c| c.name == "flask") {
            api.environment.push(EnvironmentVariable {
                name: "SESSIONS_HOST".into(),
                value: EnvironmentValue::EndpointOf(id("sessions-cache")),
            });
        }
    }
}

/// A bucket of uploads the seed's service reads and writes: a line drawn
/// from the service, which the exports grant its tasks.
pub fn add_uploads_bucket(diagram: &mut Diagram) {
    add(
        diagram,
        "uploads-bucket",
        "uploads",
        NodeKind::S3Bucket(S3Bucket {
            bucket_name: "myapp-uploads-7f3a9c".into(),
            block_public_access: true,
            versioning: true,
            website_hosting: false,
        }),
    );
    service_line(diagram, "uploads-bucket", 443);
}

/// A Lambda function of orders in the seed's private subnets, in a group of
/// its own, writing the orders table (`add_orders_table` first: a drawn
/// line) and invoked by the seed's load balancer on a listener of its own
/// (tcp/8080), as drawing the load balancer to it makes it.
pub fn add_orders_function(diagram: &mut Diagram, runtime: LambdaRuntime) {
    add(
        diagram,
        "sg-function",
        "function-sg",
        NodeKind::SecurityGroup(SecurityGroup {
            vpc: id("vpc-main"),
            description: "Orders function".into(),
            ingress: Vec::new(),
            egress: vec![SecurityGroupRule::allow_all_egress()],
        }),
    );
    add(
        diagram,
        "orders-fn",
        "orders-function",
        NodeKind::LambdaFunction(LambdaFunction {
            function_name: "myapp-orders".into(),
            runtime,
            memory_mb: 256,
            timeout_seconds: 30,
            subnets: vec![id("subnet-private-a"), id("subnet-private-c")],
            security_groups: vec![id("sg-function")],
            invokers: vec![id("alb")],
            event_sources: Vec::new(),
        }),
    );
    if let NodeKind::SecurityGroup(group) = kind_mut(diagram, "sg-alb") {
        group.ingress.push(tcp_rule(8080, "0.0.0.0/0"));
    }
    if let NodeKind::LoadBalancer(alb) = kind_mut(diagram, "alb") {
        alb.target_groups.push(TargetGroup {
            name: "orders-fn".into(),
            protocol: ListenerProtocol::Http,
            port: 80,
            target_type: TargetType::Lambda,
            health_check: HealthCheck::default(),
            target: Some(ServiceTarget {
                service: id("orders-fn"),
                container: String::new(),
            }),
        });
        alb.listeners.push(Listener {
            port: 8080,
            protocol: ListenerProtocol::Http,
            certificate: None,
            action: ListenerAction::Forward("orders-fn".into()),
        });
    }
    if let NodeKind::Pipeline(pipeline) = kind_mut(diagram, "pipeline") {
        pipeline.deploys.push(id("orders-fn"));
    }
    diagram.edges.push(TrafficEdge {
        id: EdgeId::new("e-orders-fn-orders-table").unwrap(),
        from: id("orders-fn"),
        to: id("orders-table"),
        protocol: Protocol::Tcp,
        port: 443,
        label: String::new(),
        bends: Vec::new(),
        straight: false,
    });
}

/// A Lambda function outside the VPCs that the jobs queue triggers
/// (`add_jobs_queue` first), working a minute at most on each batch.
pub fn add_jobs_worker(diagram: &mut Diagram) {
    add(
        diagram,
        "jobs-worker",
        "jobs-worker",
        NodeKind::LambdaFunction(LambdaFunction {
            function_name: "myapp-jobs-worker".into(),
            runtime: LambdaRuntime::Python313,
            memory_mb: 256,
            timeout_seconds: 60,
            subnets: Vec::new(),
            security_groups: Vec::new(),
            invokers: Vec::new(),
            event_sources: vec![id("jobs-queue")],
        }),
    );
}

/// An HTTP API of orders (`add_orders_function` first): its default route
/// invokes the orders function, which lets it, and `/web/*` goes to the
/// seed's load balancer through a VPC link in the public subnets, whose
/// group the balancer's admits on 443.
pub fn add_orders_api(diagram: &mut Diagram) {
    add(
        diagram,
        "sg-vpc-link",
        "vpc-link-sg",
        NodeKind::SecurityGroup(SecurityGroup {
            vpc: id("vpc-main"),
            description: "The orders API's VPC link".into(),
            ingress: Vec::new(),
            egress: vec![SecurityGroupRule::allow_all_egress()],
        }),
    );
    if let NodeKind::SecurityGroup(group) = kind_mut(diagram, "sg-alb") {
        group.ingress.push(SecurityGroupRule {
            protocol: Protocol::Tcp,
            from_port: 443,
            to_port: 443,
            peer: Peer::SecurityGroup(id("sg-vpc-link")),
            description: "from the orders API's VPC link".into(),
        });
    }
    add(
        diagram,
        "orders-api",
        "orders-api",
        NodeKind::HttpApi(HttpApi {
            api_name: "myapp-orders".into(),
            routes: vec![
                ApiRoute {
                    route_key: "$default".into(),
                    target: id("orders-fn"),
                },
                ApiRoute {
                    route_key: "ANY /web/{proxy+}".into(),
                    target: id("alb"),
                },
            ],
            vpc_link_subnets: vec![id("subnet-public-a"), id("subnet-public-c")],
            vpc_link_security_groups: vec![id("sg-vpc-link")],
        }),
    );
    if let NodeKind::LambdaFunction(function) = kind_mut(diagram, "orders-fn") {
        function.invokers.push(id("orders-api"));
    }
}

/// An Auto Scaling group of web servers in the seed's private subnets, in a
/// group of its own, behind the seed's load balancer on a listener of its
/// own (tcp/8081): drawn from the balancer, whose rules come with the line.
pub fn add_web_instances(diagram: &mut Diagram) {
    add(
        diagram,
        "sg-instances",
        "instances-sg",
        NodeKind::SecurityGroup(SecurityGroup {
            vpc: id("vpc-main"),
            description: "Web instances".into(),
            ingress: Vec::new(),
            egress: vec![SecurityGroupRule::allow_all_egress()],
        }),
    );
    add(
        diagram,
        "web-asg",
        "web-servers",
        NodeKind::AutoScalingGroup(AutoScalingGroup {
            instance_type: "t3.micro".into(),
            min_size: 2,
            max_size: 4,
            desired_capacity: 2,
            port: 80,
            subnets: vec![id("subnet-private-a"), id("subnet-private-c")],
            security_groups: vec![id("sg-instances")],
        }),
    );
    if let NodeKind::SecurityGroup(group) = kind_mut(diagram, "sg-alb") {
        group.ingress.push(tcp_rule(8081, "0.0.0.0/0"));
    }
    if let NodeKind::LoadBalancer(alb) = kind_mut(diagram, "alb") {
        alb.target_groups.push(TargetGroup {
            name: "instances".into(),
            protocol: ListenerProtocol::Http,
            port: 80,
            target_type: TargetType::Instance,
            health_check: HealthCheck::default(),
            target: None,
        });
        alb.listeners.push(Listener {
            port: 8081,
            protocol: ListenerProtocol::Http,
            certificate: None,
            action: ListenerAction::Forward("instances".into()),
        });
    }
    let (command, _) =
        stackdraw::domain::edit::connect::connect(diagram, &id("alb"), &id("web-asg")).unwrap();
    stackdraw::domain::edit::apply(diagram, command).unwrap();
}

/// An EC2 instance serving an admin site on 8080 in the seed's first
/// private subnet, in a group of its own, behind the seed's load balancer:
/// a target group of its own and a listener on 8082, as the editor makes
/// them when the balancer is drawn to it.
pub fn add_admin_instance(diagram: &mut Diagram) {
    add(
        diagram,
        "sg-admin",
        "admin-sg",
        NodeKind::SecurityGroup(SecurityGroup {
            vpc: id("vpc-main"),
            description: "Admin server".into(),
            ingress: Vec::new(),
            egress: vec![SecurityGroupRule::allow_all_egress()],
        }),
    );
    add(
        diagram,
        "admin-server",
        "admin-server",
        NodeKind::Ec2Instance(Ec2Instance {
            instance_type: "t3.small".into(),
            subnet: id("subnet-private-a"),
            security_groups: vec![id("sg-admin")],
            port: 8080,
            public_ip: false,
        }),
    );
    if let NodeKind::SecurityGroup(group) = kind_mut(diagram, "sg-alb") {
        group.ingress.push(tcp_rule(8082, "0.0.0.0/0"));
    }
    if let NodeKind::LoadBalancer(alb) = kind_mut(diagram, "alb") {
        alb.target_groups.push(TargetGroup {
            name: "admin".into(),
            protocol: ListenerProtocol::Http,
            port: 8080,
            target_type: TargetType::Instance,
            health_check: HealthCheck::default(),
            target: None,
        });
        alb.listeners.push(Listener {
            port: 8082,
            protocol: ListenerProtocol::Http,
            certificate: None,
            action: ListenerAction::Forward("admin".into()),
        });
    }
    let (command, _) =
        stackdraw::domain::edit::connect::connect(diagram, &id("alb"), &id("admin-server"))
            .unwrap();
    stackdraw::domain::edit::apply(diagram, command).unwrap();
}

/// A DynamoDB gateway endpoint on the seed's private route table.
pub fn add_dynamodb_endpoint(diagram: &mut Diagram) {
    add(
        diagram,
        "vpce-dynamodb",
        "dynamodb-gateway",
        NodeKind::VpcEndpoint(VpcEndpoint {
            vpc: id("vpc-main"),
            service: EndpointService::Dynamodb,
            route_tables: vec![id("rt-private")],
            subnets: vec![],
            security_groups: vec![],
        }),
    );
}

/// An RDS MySQL database beside the seed's Aurora cluster, in its private
/// subnets and group, which the service reaches (a drawn line) and whose
/// address and password (kept by RDS in Secrets Manager) its API reads.
pub fn add_orders_database(diagram: &mut Diagram, multi_az: bool) {
    add(
        diagram,
        "orders-db",
        "orders-db",
        NodeKind::RdsInstance(RdsInstance {
            engine: RdsEngine::Mysql,
            engine_version: "8.4.7".into(),
            instance_class: "db.t4g.micro".into(),
            allocated_storage: 20,
            multi_az,
            port: 3306,
            database_name: "orders".into(),
            master_username: "orders_admin".into(),
            storage_encrypted: true,
            publicly_accessible: false,
            subnets: vec![id("subnet-private-a"), id("subnet-private-c")],
            security_groups: vec![id("sg-db")],
        }),
    );
    if let NodeKind::FargateService(service) = kind_mut(diagram, "service") {
        if let Some(api) = service.containers.iter_mut().find(|c| c.name == "flask") {
            api.environment.push(EnvironmentVariable {
                name: "ORDERS_DB_HOST".into(),
                value: EnvironmentValue::EndpointOf(id("orders-db")),
            });
            api.secrets.push(ContainerSecret {
                name: "ORDERS_DB_PASSWORD".into(),
                from: SecretSource::DatabasePassword(id("orders-db")),
            });
        }
    }
    service_line(diagram, "orders-db", 3306);
}

/// The seed plus one of everything it lacks, so that every node kind and every
/// variant of the model's choices appears in one diagram.
pub fn every_kind() -> Diagram {
    let mut diagram = templates::seed();
    diagram.name = "Every kind".into();

    let NodeKind::Vpc(vpc) = &mut diagram
        .nodes
        .iter_mut()
        .find(|n| n.id.as_str() == "vpc-main")
        .unwrap()
        .kind
    else {
        unreachable!()
    };
    vpc.secondary_cidrs
        .push(Cidr::parse("10.3.0.0/16").unwrap());
    vpc.dns_hostnames = false;

    add(
        &mut diagram,
        "vpc-shared",
        "shared-services",
        NodeKind::Vpc(Vpc {
            cidr: Cidr::parse("10.9.0.0/16").unwrap(),
            secondary_cidrs: vec![],
            dns_support: true,
            dns_hostnames: true,
        }),
    );
    add(
        &mut diagram,
        "peering",
        "main-to-shared",
        NodeKind::VpcPeering(VpcPeering {
            requester: id("vpc-main"),
            accepter: id("vpc-shared"),
        }),
    );
    add(
        &mut diagram,
        "rt-isolated",
        "isolated",
        NodeKind::RouteTable(RouteTable {
            vpc: id("vpc-main"),
            routes: vec![Route {
                destination: Cidr::parse("10.9.0.0/16").unwrap(),
                target: id("peering"),
            }],
        }),
    );
    add(
        &mut diagram,
        "nat-private",
        "private-nat",
        NodeKind::NatGateway(NatGateway {
            subnet: id("subnet-private-a"),
            connectivity: NatConnectivity::Private,
            elastic_ip: false,
        }),
    );
    add(
        &mut diagram,
        "sg-endpoints",
        "endpoints-sg",
        NodeKind::SecurityGroup(SecurityGroup {
            vpc: id("vpc-main"),
            description: "Interface endpoints".into(),
            ingress: vec![
                SecurityGroupRule {
                    protocol: Protocol::Tcp,
                    from_port: 443,
                    to_port: 443,
                    peer: Peer::SecurityGroup(id("sg-service")),
                    description: "tasks".into(),
                },
                SecurityGroupRule {
                    protocol: Protocol::Udp,
                    from_port: 53,
                    to_port: 53,
                    peer: Peer::Cidr(Cidr::parse("10.2.0.0/16").unwrap()),
                    description: String::new(),
                },
                SecurityGroupRule {
                    protocol: Protocol::Icmp,
                    from_port: 0,
                    to_port: 0,
                    peer: Peer::Cidr(Cidr::parse("10.2.0.0/16").unwrap()),
                    description: String::new(),
                },
            ],
            egress: vec![],
        }),
    );
    add(
        &mut diagram,
        "vpce-s3",
        "s3-gateway",
        NodeKind::VpcEndpoint(VpcEndpoint {
            vpc: id("vpc-main"),
            service: EndpointService::S3,
            route_tables: vec![id("rt-private")],
            subnets: vec![],
            security_groups: vec![],
        }),
    );
    for (node_id, service) in [
        ("vpce-ecr-api", EndpointService::EcrApi),
        ("vpce-ecr-dkr", EndpointService::EcrDkr),
        ("vpce-logs", EndpointService::Logs),
        ("vpce-secrets", EndpointService::SecretsManager),
    ] {
        add(
            &mut diagram,
            node_id,
            node_id,
            NodeKind::VpcEndpoint(VpcEndpoint {
                vpc: id("vpc-main"),
                service,
                route_tables: vec![],
                subnets: vec![id("subnet-private-a"), id("subnet-private-c")],
                security_groups: vec![id("sg-endpoints")],
            }),
        );
    }
    add(
        &mut diagram,
        "internal-alb",
        "internal",
        NodeKind::LoadBalancer(LoadBalancer {
            scheme: LoadBalancerScheme::Internal,
            subnets: vec![id("subnet-private-a"), id("subnet-private-c")],
            security_groups: vec![],
            listeners: vec![Listener {
                port: 8080,
                protocol: ListenerProtocol::Http,
                certificate: None,
                action: ListenerAction::FixedResponse(404),
            }],
            target_groups: vec![TargetGroup {
                name: "legacy".into(),
                protocol: ListenerProtocol::Https,
                port: 8443,
                target_type: TargetType::Instance,
                health_check: HealthCheck {
                    path: Some("/ping".into()),
                    port: Some(8081),
                    matcher: "200-299".into(),
                    interval_seconds: 10,
                },
                target: None,
            }],
        }),
    );
    add(
        &mut diagram,
        "worker",
        "worker",
        NodeKind::FargateService(FargateService {
            cluster: None,
            cpu: 256,
            memory: 512,
            containers: vec![Container {
                name: "worker".into(),
                image: ContainerImage::Registry(
                    "public.ecr.aws/docker/library/busybox:1.36".into(),
                ),
                port: None,
                essential: true,
                environment: vec![],
                secrets: vec![ContainerSecret {
                    name: "API_KEY".into(),
                    from: SecretSource::SecretsManager("worker/api:key::".into()),
                }],
            }],
            desired_count: 1,
            subnets: vec![id("subnet-public-c")],
            security_groups: vec![],
            assign_public_ip: true,
            min_healthy_percent: 50,
            max_percent: 100,
        }),
    );
    add(
        &mut diagram,
        "reports-db",
        "reports",
        NodeKind::AuroraCluster(AuroraCluster {
            engine: AuroraEngine::AuroraPostgresql,
            engine_version: "17.7".into(),
            port: 5432,
            database_name: String::new(),
            master_username: "reports".into(),
            manage_master_password: false,
            storage_encrypted: false,
            publicly_accessible: true,
            instance_class: "db.r7g.large".into(),
            instance_count: 1,
            subnets: vec![id("subnet-private-a"), id("subnet-private-c")],
            security_groups: vec![],
        }),
    );
    add_orders_database(&mut diagram, false);
    add_orders_table(&mut diagram);
    add_orders_function(&mut diagram, LambdaRuntime::Python313);
    add_orders_api(&mut diagram);
    add_web_instances(&mut diagram);
    add_dynamodb_endpoint(&mut diagram);
    add_jobs_queue(&mut diagram);
    add_jobs_worker(&mut diagram);
    add_payments_secret(&mut diagram);
    add_orders_credentials(&mut diagram);
    add_admin_instance(&mut diagram);
    add_firewall(&mut diagram, WafScope::Regional, &["alb"]);
    if let NodeKind::WebAcl(acl) = kind_mut(&mut diagram, "firewall") {
        acl.known_bad_inputs = false;
        acl.sql_injection = true;
        acl.rate_limit = None;
    }
    // CloudFront's web ACL, which WAF keeps in us-east-1.
    add(
        &mut diagram,
        "edge-firewall",
        "edge-firewall",
        NodeKind::WebAcl(WebAcl {
            scope: WafScope::Cloudfront,
            common_rules: true,
            known_bad_inputs: true,
            ip_reputation: false,
            sql_injection: false,
            rate_limit: Some(500),
            protects: vec![id("cdn")],
        }),
    );
    add(
        &mut diagram,
        "vpce-sqs",
        "sqs",
        seed_endpoint(EndpointService::Sqs),
    );
    add_events_topic(&mut diagram);
    add_sessions_cache(&mut diagram);
    add(
        &mut diagram,
        "vpce-sns",
        "sns",
        seed_endpoint(EndpointService::Sns),
    );
    add(
        &mut diagram,
        "website",
        "legacy website",
        NodeKind::S3Bucket(S3Bucket {
            bucket_name: "legacy-site.example.com".into(),
            block_public_access: false,
            versioning: false,
            website_hosting: true,
        }),
    );
    add(
        &mut diagram,
        "legacy-cdn",
        "legacy cdn",
        NodeKind::CloudFront(CloudFront {
            origins: vec![
                CloudFrontOrigin {
                    target: id("website"),
                    path_pattern: None,
                    access: OriginAccess::Public,
                },
                CloudFrontOrigin {
                    target: id("frontend"),
                    path_pattern: Some("/assets/*".into()),
                    access: OriginAccess::LegacyOai,
                },
                CloudFrontOrigin {
                    target: id("alb"),
                    path_pattern: Some("/api/*".into()),
                    access: OriginAccess::HttpsOnly,
                },
                CloudFrontOrigin {
                    target: id("internal-alb"),
                    path_pattern: Some("/old/*".into()),
                    access: OriginAccess::HttpOnly,
                },
            ],
            aliases: vec![],
            certificate: None,
            default_root_object: String::new(),
            price_class: PriceClass::PriceClassAll,
        }),
    );
    add(
        &mut diagram,
        "zone-internal",
        "internal zone",
        NodeKind::Route53Zone(Route53Zone {
            domain_name: "corp.example".into(),
            records: vec![
                DnsRecord {
                    name: String::new(),
                    record_type: DnsRecordType::Txt,
                    target: DnsTarget::Values(vec!["\"v=spf1 -all\"".into()]),
                },
                DnsRecord {
                    name: "v6".into(),
                    record_type: DnsRecordType::Aaaa,
                    target: DnsTarget::Alias(id("legacy-cdn")),
                },
                DnsRecord {
                    name: "docs".into(),
                    record_type: DnsRecordType::Cname,
                    target: DnsTarget::Values(vec!["docs.example.net".into()]),
                },
            ],
        }),
    );
    add(
        &mut diagram,
        "legacy-pipeline",
        "legacy pipeline",
        NodeKind::Pipeline(Pipeline {
            branch: "release".into(),
            context: "legacy".into(),
            auth: PipelineAuth::AccessKeys,
            deploys: vec![id("worker")],
            frontend: None,
        }),
    );
    let cdn = diagram
        .nodes
        .iter_mut()
        .find(|n| n.id.as_str() == "cdn")
        .unwrap();
    if let NodeKind::CloudFront(cdn) = &mut cdn.kind {
        cdn.price_class = PriceClass::PriceClass100;
    }
    add(
        &mut diagram,
        "cluster-spare",
        "spare",
        NodeKind::EcsCluster(EcsCluster {
            container_insights: false,
        }),
    );
    add(
        &mut diagram,
        "ecr-immutable",
        "immutable",
        NodeKind::EcrRepository(EcrRepository {
            repository_name: "immutable".into(),
            scan_on_push: false,
            immutable_tags: true,
        }),
    );
    add(
        &mut diagram,
        "igw-detached",
        "spare igw",
        NodeKind::InternetGateway(InternetGateway { vpc: None }),
    );
    diagram.edges.push(TrafficEdge {
        id: EdgeId::new("e-worker-dns").unwrap(),
        from: id("worker"),
        to: id("internet"),
        protocol: Protocol::Udp,
        port: 53,
        label: "dns".into(),
        // A line the user shaped: bent twice (one bend off the grid, which
        // must survive exactly) and drawn straight.
        bends: vec![Bend { x: 96.0, y: 40.0 }, Bend { x: 96.25, y: -3.1 }],
        straight: true,
    });
    diagram.edges.push(TrafficEdge {
        id: EdgeId::new("e-any").unwrap(),
        from: id("bastion"),
        to: id("worker"),
        protocol: Protocol::All,
        port: 0,
        label: String::new(),
        bends: Vec::new(),
        straight: false,
    });
    // The public tier behind a network ACL that lets through what it serves,
    // what the NAT gateway carries for the private tier, and the replies.
    let acl_rule = |number, action, protocol, ports: (u16, u16), block: &str| AclRule {
        number,
        action,
        protocol,
        from_port: ports.0,
        to_port: ports.1,
        cidr: Cidr::parse(block).unwrap(),
    };
    add(
        &mut diagram,
        "acl-public",
        "public tier",
        NodeKind::NetworkAcl(NetworkAcl {
            vpc: id("vpc-main"),
            subnets: vec![id("subnet-public-a"), id("subnet-public-c")],
            inbound: vec![
                acl_rule(
                    90,
                    AclAction::Deny,
                    Protocol::Icmp,
                    (0, 0),
                    "198.51.100.0/24",
                ),
                acl_rule(
                    100,
                    AclAction::Allow,
                    Protocol::Tcp,
                    (443, 443),
                    "0.0.0.0/0",
                ),
                acl_rule(110, AclAction::Allow, Protocol::Tcp, (80, 80), "0.0.0.0/0"),
                acl_rule(
                    120,
                    AclAction::Allow,
                    Protocol::Tcp,
                    (22, 22),
                    "203.0.113.10/32",
                ),
                acl_rule(130, AclAction::Allow, Protocol::All, (0, 0), "10.2.0.0/16"),
                acl_rule(
                    140,
                    AclAction::Allow,
                    Protocol::Tcp,
                    (1024, 65535),
                    "0.0.0.0/0",
                ),
                acl_rule(
                    150,
                    AclAction::Allow,
                    Protocol::Udp,
                    (1024, 65535),
                    "0.0.0.0/0",
                ),
            ],
            outbound: vec![acl_rule(
                100,
                AclAction::Allow,
                Protocol::All,
                (0, 0),
                "0.0.0.0/0",
            )],
        }),
    );
    diagram.scopes.push(AccessScope {
        id: ScopeId::new("no-internet-to-reports").unwrap(),
        from: id("internet"),
        to: id("reports-db"),
        port: Some(5432),
    });
    diagram.scopes.push(AccessScope {
        id: ScopeId::new("no-worker-to-db").unwrap(),
        from: id("worker"),
        to: id("db"),
        port: None,
    });
    // What an import found and stackdraw does not model, and a placeholder.
    add(
        &mut diagram,
        "clicks",
        "clicks",
        NodeKind::OtherResource(OtherResource {
            resource_type: "AWS::Kinesis::Stream".into(),
            source_id: "ClickStream".into(),
            placeholder: false,
            note: String::new(),
            refers_to: vec![id("service")],
        }),
    );
    add(
        &mut diagram,
        "module.db",
        "module.db",
        NodeKind::OtherResource(OtherResource {
            resource_type: "module".into(),
            source_id: "module.db".into(),
            placeholder: true,
            note: "the module terraform-aws-modules/rds-aurora/aws is not downloaded".into(),
            refers_to: Vec::new(),
        }),
    );
    diagram
}

/// Text that breaks naive exporters: quotes, newlines, template syntax of
/// every output format, YAML indicators, unicode and great length.
/// CloudFormation dynamic references of every kind are in it, so an export
/// that let one through would read a parameter or a secret at deploy time.
pub const HOSTILE: &str = "it's \"quoted\" ${AWS::Region} %{ if x } <<EOF #comment: value\n- item & <b>bold</b> ünïcødé 🚀 {{resolve:ssm:x}} {{resolve:ssm-secure:/p:1}} {{{resolve:secretsmanager:${Db}:SecretString:password}}} {{ RESOLVE:ssm:y}} $$ \\ ";

/// The seed with hostile text in every field a user names.
pub fn hostile() -> Diagram {
    let mut diagram = templates::seed();
    let long = format!(
        "{HOSTILE}{}",
        "x".repeat(300 - HOSTILE.chars().count().min(300))
    );
    diagram.name = long.clone();
    for node in &mut diagram.nodes {
        node.name = format!("{} {}", node.name, long);
        match &mut node.kind {
            NodeKind::SecurityGroup(group) => {
                group.description = long.clone();
                for rule in group.ingress.iter_mut().chain(group.egress.iter_mut()) {
                    rule.description = HOSTILE.to_string();
                }
            }
            NodeKind::FargateService(service) => {
                for container in &mut service.containers {
                    for variable in &mut container.environment {
                        if let EnvironmentValue::Text(text) = &mut variable.value {
                            *text = HOSTILE.to_string();
                        }
                    }
                }
            }
            _ => {}
        }
    }
    for edge in &mut diagram.edges {
        edge.label = HOSTILE.to_string();
    }
    diagram
}

/// The seed with the network pieces it lacks, all correct: a secondary block
/// with a subnet in it, VPC endpoints whose group admits the tasks, and a
/// peered VPC with routes both ways, and a Multi-AZ RDS database the service
/// uses. Free of errors, so the emulator stage deploys it too.
pub fn network_extras() -> Diagram {
    let mut diagram = templates::seed();
    diagram.name = "Web service with endpoints, a secondary block and a peering".into();
    let cidr = |text: &str| Cidr::parse(text).unwrap();
    let add = |diagram: &mut Diagram, node_id: &str, name: &str, kind: NodeKind| {
        diagram.nodes.push(Node {
            id: id(node_id),
            name: name.into(),
            kind,
        });
    };
    for node in &mut diagram.nodes {
        match (node.id.as_str(), &mut node.kind) {
            ("vpc-main", NodeKind::Vpc(vpc)) => vpc.secondary_cidrs.push(cidr("10.3.0.0/16")),
            ("rt-private", NodeKind::RouteTable(table)) => table.routes.push(Route {
                destination: cidr("10.9.0.0/16"),
                target: id("peering"),
            }),
            _ => {}
        }
    }
    add(
        &mut diagram,
        "subnet-extra-a",
        "extra-subnet-a",
        NodeKind::Subnet(Subnet {
            vpc: id("vpc-main"),
            cidr: cidr("10.3.0.0/20"),
            az: "ap-northeast-1a".into(),
            route_table: Some(id("rt-private")),
        }),
    );
    diagram.nodes.push(endpoint_group(443));
    add(
        &mut diagram,
        "vpce-s3",
        "s3-endpoint",
        NodeKind::VpcEndpoint(VpcEndpoint {
            vpc: id("vpc-main"),
            service: EndpointService::S3,
            route_tables: vec![id("rt-private")],
            subnets: vec![],
            security_groups: vec![],
        }),
    );
    add(
        &mut diagram,
        "vpce-logs",
        "logs-endpoint",
        NodeKind::VpcEndpoint(VpcEndpoint {
            vpc: id("vpc-main"),
            service: EndpointService::Logs,
            route_tables: vec![],
            subnets: vec![id("subnet-private-a"), id("subnet-private-c")],
            security_groups: vec![id("sg-endpoints")],
        }),
    );
    add(
        &mut diagram,
        "vpc-shared",
        "shared-services-vpc",
        NodeKind::Vpc(Vpc {
            cidr: cidr("10.9.0.0/16"),
            secondary_cidrs: vec![],
            dns_support: true,
            dns_hostnames: true,
        }),
    );
    add(
        &mut diagram,
        "rt-shared",
        "shared-route-table",
        NodeKind::RouteTable(RouteTable {
            vpc: id("vpc-shared"),
            routes: vec![Route {
                destination: cidr("10.2.0.0/16"),
                target: id("peering"),
            }],
        }),
    );
    add(
        &mut diagram,
        "subnet-shared-a",
        "shared-subnet-a",
        NodeKind::Subnet(Subnet {
            vpc: id("vpc-shared"),
            cidr: cidr("10.9.0.0/24"),
            az: "ap-northeast-1a".into(),
            route_table: Some(id("rt-shared")),
        }),
    );
    add(
        &mut diagram,
        "peering",
        "main-to-shared",
        NodeKind::VpcPeering(VpcPeering {
            requester: id("vpc-main"),
            accepter: id("vpc-shared"),
        }),
    );
    add_orders_database(&mut diagram, true);
    add_orders_table(&mut diagram);
    add_orders_function(&mut diagram, LambdaRuntime::Nodejs22);
    add_orders_api(&mut diagram);
    add_web_instances(&mut diagram);
    add_dynamodb_endpoint(&mut diagram);
    add_jobs_queue(&mut diagram);
    add_jobs_worker(&mut diagram);
    add_events_topic(&mut diagram);
    add_sessions_cache(&mut diagram);
    add_uploads_bucket(&mut diagram);
    add_payments_secret(&mut diagram);
    add_orders_credentials(&mut diagram);
    add_firewall(&mut diagram, WafScope::Regional, &["alb"]);
    add_admin_instance(&mut diagram);
    diagram
}

/// A group for VPC endpoints in the seed's VPC admitting `port` from the
/// tasks' group, as AWS needs for the tasks to use them.
pub fn endpoint_group(port: u16) -> Node {
    Node {
        id: id("sg-endpoints"),
        name: "endpoints-sg".into(),
        kind: NodeKind::SecurityGroup(SecurityGroup {
            vpc: id("vpc-main"),
            description: "VPC endpoints".into(),
            ingress: vec![SecurityGroupRule {
                protocol: Protocol::Tcp,
                from_port: port,
                to_port: port,
                peer: Peer::SecurityGroup(id("sg-service")),
                description: "HTTPS from the tasks".into(),
            }],
            egress: vec![SecurityGroupRule::allow_all_egress()],
        }),
    }
}

/// A VPC endpoint in the seed's VPC: a gateway endpoint on the private route
/// table, or an interface endpoint in both private subnets behind
/// [`endpoint_group`].
pub fn seed_endpoint(service: EndpointService) -> NodeKind {
    let gateway = service.is_gateway();
    NodeKind::VpcEndpoint(VpcEndpoint {
        vpc: id("vpc-main"),
        service,
        route_tables: if gateway {
            vec![id("rt-private")]
        } else {
            vec![]
        },
        subnets: if gateway {
            vec![]
        } else {
            vec![id("subnet-private-a"), id("subnet-private-c")]
        },
        security_groups: if gateway {
            vec![]
        } else {
            vec![id("sg-endpoints")]
        },
    })
}

/// The design without where things are drawn: what a frozen fixture of an
/// earlier release still holds after templates were laid out anew.
pub fn without_layout(diagram: &Diagram) -> Diagram {
    let mut design = diagram.clone();
    for rect in design.layout.values_mut() {
        *rect = stackdraw::domain::model::Rect::new(0.0, 0.0, 0.0, 0.0);
    }
    design
}

/// A Secrets Manager secret holding a payment provider's key, which the
/// seed's service reads: a line drawn from the service.
pub fn add_payments_secret(diagram: &mut Diagram) {
    add(
        diagram,
        "payments-key",
        "payments-key",
        NodeKind::Secret(Secret {
            secret_name: "myapp/payments-api-key".into(),
            password_length: 40,
            database: None,
        }),
    );
    service_line(diagram, "payments-key", 443);
}

/// A secret holding the orders database's master credentials
/// (`add_orders_database` first), whose password the database takes.
pub fn add_orders_credentials(diagram: &mut Diagram) {
    add(
        diagram,
        "orders-credentials",
        "orders-credentials",
        NodeKind::Secret(Secret {
            secret_name: "myapp/orders/master".into(),
            password_length: 32,
            database: Some(id("orders-db")),
        }),
    );
}

/// A WAF web ACL of AWS's baseline rules and a rate limit, protecting what
/// it is given (the seed's distribution `cdn` or load balancer `alb`).
pub fn add_firewall(diagram: &mut Diagram, scope: WafScope, protects: &[&str]) {
    add(
        diagram,
        "firewall",
        "firewall",
        NodeKind::WebAcl(WebAcl {
            scope,
            common_rules: true,
            known_bad_inputs: true,
            ip_reputation: true,
            sql_injection: false,
            rate_limit: Some(2000),
            protects: protects.iter().map(|p| id(p)).collect(),
        }),
    );
}

/// The diagram exported as CloudFormation and as Terraform, each imported
/// back.
pub fn imported_both(diagram: &Diagram) -> [Diagram; 2] {
    use stackdraw::domain::export::{self, Format};
    use stackdraw::domain::import::{import_cloudformation, import_terraform, Options};
    let analysis = stackdraw::domain::validate::analyze(diagram);
    let options = Options {
        region: diagram.region.clone(),
        ..Options::default()
    };
    let yaml = export::export_with(diagram, &analysis, Format::CloudFormationYaml);
    let from_cloudformation = import_cloudformation("template", &yaml[0].contents, &options)
        .unwrap()
        .diagram;
    let terraform: Vec<(String, String)> =
        export::export_with(diagram, &analysis, Format::Terraform)
            .into_iter()
            .filter(|f| f.path.ends_with(".tf"))
            .map(|f| (f.path, f.contents))
            .collect();
    let from_terraform = import_terraform(&terraform, &Options::default())
        .unwrap()
        .diagram;
    [from_cloudformation, from_terraform]
}
