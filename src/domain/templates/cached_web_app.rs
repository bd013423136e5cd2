//! A cache-backed web application across two availability zones: a load
//! balancer in public subnets, an Auto Scaling group of web servers in
//! private ones, and in isolated data subnets a Multi-AZ RDS PostgreSQL
//! database and a Multi-AZ Valkey cache in front of it. One NAT gateway per
//! zone, so no zone depends on another.

use super::build::*;
use crate::domain::model::*;

const REGION: &str = "ap-northeast-1";
const VPC: &str = "vpc";
const ZONES: [&str; 2] = ["a", "c"];

pub fn cached_web_app() -> Diagram {
    let mut b = Builder::new("Cache-backed web app", REGION);
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
                name: "shop".into(),
                record_type: DnsRecordType::A,
                target: DnsTarget::Alias(id("alb")),
            }],
        }),
        icon(400.0, 40.0),
    );
    b.drawn(
        "certificate",
        "shop certificate",
        NodeKind::AcmCertificate(AcmCertificate {
            domain_name: "shop.example.com".into(),
            subject_alternative_names: Vec::new(),
            region: REGION.into(),
            validation_zone: Some(id("zone")),
        }),
        icon(580.0, 40.0),
    );
    b.drawn(
        VPC,
        "shop-vpc",
        NodeKind::Vpc(Vpc {
            cidr: cidr("10.0.0.0/16"),
            secondary_cidrs: Vec::new(),
            dns_support: true,
            dns_hostnames: true,
        }),
        Rect::new(180.0, 220.0, 960.0, 960.0),
    );
    b.drawn(
        "igw",
        "shop-igw",
        NodeKind::InternetGateway(InternetGateway { vpc: Some(id(VPC)) }),
        icon(148.0, 300.0),
    );
    tiered_subnets(&mut b, VPC, REGION, &ZONES);
    // Package downloads (Amazon Linux's repositories are in S3) stay off the
    // NAT gateways, free.
    b.drawn(
        "vpce-s3",
        "s3-gateway",
        NodeKind::VpcEndpoint(VpcEndpoint {
            vpc: id(VPC),
            service: EndpointService::S3,
            route_tables: ZONES
                .iter()
                .map(|zone| id(&format!("rt-private-{zone}")))
                .collect(),
            subnets: Vec::new(),
            security_groups: Vec::new(),
        }),
        icon(1040.0, 300.0),
    );
    for (group, description) in [
        ("sg-alb", "Load balancer"),
        ("sg-web", "Web servers"),
        ("sg-db", "Database"),
        ("sg-cache", "Cache"),
    ] {
        b.node(group, group, security_group(VPC, description));
    }
    let subnets = |tier: &str| -> Vec<NodeId> {
        ZONES
            .iter()
            .map(|zone| id(&format!("subnet-{tier}-{zone}")))
            .collect()
    };
    let mut alb = https_load_balancer(
        subnets("public"),
        "sg-alb",
        "certificate",
        "web",
        80,
        ServiceTarget {
            service: id("web"),
            container: String::new(),
        },
    );
    // The instances register themselves; a stock web server answers `/`.
    if let NodeKind::LoadBalancer(balancer) = &mut alb {
        for group in &mut balancer.target_groups {
            group.target_type = TargetType::Instance;
            group.health_check.path = Some("/".into());
        }
    }
    b.drawn("alb", "shop-alb", alb, icon(620.0, 340.0));
    b.drawn(
        "web",
        "web servers",
        NodeKind::AutoScalingGroup(AutoScalingGroup {
            instance_type: "t3.small".into(),
            min_size: 2,
            max_size: 6,
            desired_capacity: 2,
            port: 80,
            subnets: subnets("private"),
            security_groups: ids(&["sg-web"]),
        }),
        icon(620.0, 600.0),
    );
    b.drawn(
        "db",
        "shop-db",
        NodeKind::RdsInstance(RdsInstance {
            engine: RdsEngine::Postgres,
            engine_version: RdsEngine::Postgres.default_version().into(),
            instance_class: "db.t4g.medium".into(),
            allocated_storage: 20,
            multi_az: true,
            port: 5432,
            database_name: "shop".into(),
            master_username: "shop_admin".into(),
            storage_encrypted: true,
            publicly_accessible: false,
            subnets: subnets("data"),
            security_groups: ids(&["sg-db"]),
        }),
        icon(480.0, 860.0),
    );
    b.drawn(
        "cache",
        "sessions",
        NodeKind::ElasticacheCache(ElasticacheCache {
            engine: CacheEngine::Valkey,
            engine_version: CacheEngine::Valkey.default_version().into(),
            node_type: "cache.t4g.micro".into(),
            replicas: 1,
            multi_az: true,
            port: 6379,
            transit_encryption: true,
            subnets: subnets("data"),
            security_groups: ids(&["sg-cache"]),
        }),
        icon(760.0, 860.0),
    );
    b.edge("e-web", "internet", "alb", 443)
        .edge("e-web-redirect", "internet", "alb", 80)
        .edge("e-app", "alb", "web", 80)
        .edge("e-db", "web", "db", 5432)
        .edge("e-cache", "web", "cache", 6379);
    b.tidy(VPC).derive_rules().finish()
}
