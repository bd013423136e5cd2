//! A three-tier service across three availability zones: a load balancer in
//! public subnets, Fargate tasks in private ones, Aurora PostgreSQL in
//! isolated data subnets, and one NAT gateway per zone so no zone depends on
//! another.

use super::build::*;
use crate::domain::model::*;

const REGION: &str = "us-east-1";
const VPC: &str = "vpc";
const ZONES: [&str; 3] = ["a", "b", "c"];

pub fn three_tier() -> Diagram {
    let mut b = Builder::new("Three tiers across three zones", REGION);
    b.drawn(
        "internet",
        "Internet",
        NodeKind::Internet(Internet {}),
        icon(40.0, 300.0),
    );
    b.drawn(
        "zone",
        "example.com",
        NodeKind::Route53Zone(Route53Zone {
            domain_name: "example.com".into(),
            records: vec![DnsRecord {
                name: "app".into(),
                record_type: DnsRecordType::A,
                target: DnsTarget::Alias(id("alb")),
            }],
        }),
        icon(540.0, 40.0),
    );
    b.drawn(
        "certificate",
        "app certificate",
        NodeKind::AcmCertificate(AcmCertificate {
            domain_name: "app.example.com".into(),
            subject_alternative_names: Vec::new(),
            region: REGION.into(),
            validation_zone: Some(id("zone")),
        }),
        icon(710.0, 40.0),
    );
    b.drawn(
        "ecr",
        "app",
        NodeKind::EcrRepository(EcrRepository {
            repository_name: "app".into(),
            scan_on_push: true,
            immutable_tags: true,
        }),
        icon(200.0, 40.0),
    );
    b.drawn(
        "cluster",
        "app-cluster",
        NodeKind::EcsCluster(EcsCluster {
            container_insights: true,
        }),
        icon(370.0, 40.0),
    );
    b.drawn(
        VPC,
        "app-vpc",
        NodeKind::Vpc(Vpc {
            cidr: cidr("10.0.0.0/16"),
            secondary_cidrs: Vec::new(),
            dns_support: true,
            dns_hostnames: true,
        }),
        Rect::new(180.0, 220.0, 1380.0, 960.0),
    );
    b.drawn(
        "igw",
        "app-igw",
        NodeKind::InternetGateway(InternetGateway { vpc: Some(id(VPC)) }),
        icon(148.0, 300.0),
    );
    tiered_subnets(&mut b, VPC, REGION, &ZONES);
    for (group, description) in [
        ("sg-alb", "Load balancer"),
        ("sg-app", "App tasks"),
        ("sg-db", "Database"),
    ] {
        b.node(group, group, security_group(VPC, description));
    }
    let subnets = |tier: &str| -> Vec<NodeId> {
        ZONES
            .iter()
            .map(|zone| id(&format!("subnet-{tier}-{zone}")))
            .collect()
    };
    b.drawn(
        "alb",
        "app-alb",
        https_load_balancer(
            subnets("public"),
            "sg-alb",
            "certificate",
            "app",
            8080,
            ServiceTarget {
                service: id("app"),
                container: "app".into(),
            },
        ),
        icon(840.0, 340.0),
    );
    b.drawn(
        "app",
        "app",
        NodeKind::FargateService(FargateService {
            cluster: Some(id("cluster")),
            cpu: 512,
            memory: 1024,
            containers: vec![Container {
                name: "app".into(),
                image: ContainerImage::Ecr(id("ecr")),
                port: Some(8080),
                essential: true,
                environment: vec![EnvironmentVariable {
                    name: "DATABASE_HOST".into(),
                    value: EnvironmentValue::EndpointOf(id("db")),
                }],
                secrets: vec![ContainerSecret {
                    name: "DATABASE_PASSWORD".into(),
                    from: SecretSource::DatabasePassword(id("db")),
                }],
            }],
            desired_count: 3,
            subnets: subnets("private"),
            security_groups: ids(&["sg-app"]),
            assign_public_ip: false,
            min_healthy_percent: 100,
            max_percent: 200,
        }),
        icon(840.0, 600.0),
    );
    b.drawn(
        "db",
        "app-db",
        NodeKind::AuroraCluster(AuroraCluster {
            engine: AuroraEngine::AuroraPostgresql,
            engine_version: "17.7".into(),
            port: 5432,
            database_name: "app".into(),
            master_username: "app".into(),
            manage_master_password: true,
            storage_encrypted: true,
            publicly_accessible: false,
            instance_class: "db.r7g.large".into(),
            instance_count: 2,
            subnets: subnets("data"),
            security_groups: ids(&["sg-db"]),
        }),
        icon(840.0, 860.0),
    );
    // The data tier answers the app tier on the database port and talks
    // within itself; nothing else crosses its edge. Replies go to the
    // tasks' Linux ephemeral ports.
    let acl_rule = |number, protocol, ports: (u16, u16), block: &str| AclRule {
        number,
        action: AclAction::Allow,
        protocol,
        from_port: ports.0,
        to_port: ports.1,
        cidr: cidr(block),
    };
    b.drawn(
        "acl-data",
        "data-tier",
        NodeKind::NetworkAcl(NetworkAcl {
            vpc: id(VPC),
            subnets: subnets("data"),
            inbound: vec![
                acl_rule(100, Protocol::Tcp, (5432, 5432), "10.0.64.0/18"),
                acl_rule(200, Protocol::All, (0, 0), "10.0.128.0/18"),
            ],
            outbound: vec![
                acl_rule(100, Protocol::Tcp, (32768, 60999), "10.0.64.0/18"),
                acl_rule(200, Protocol::All, (0, 0), "10.0.128.0/18"),
            ],
        }),
        icon(1080.0, 990.0),
    );
    b.edge("e-web", "internet", "alb", 443)
        .edge("e-web-redirect", "internet", "alb", 80)
        .edge("e-app", "alb", "app", 8080)
        .edge("e-db", "app", "db", 5432);
    b.tidy(VPC).derive_rules().finish()
}
