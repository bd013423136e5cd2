//! The reference architecture: a Vue front end on S3 + CloudFront, Flask + nginx
//! on ECS Fargate behind an ALB, Aurora MySQL, a bastion and a NAT gateway in
//! VPC 10.2.0.0/16 (two AZs), deployed by CircleCI.

use super::build::*;
use crate::domain::model::*;

const REGION: &str = "ap-northeast-1";
const VPC: &str = "vpc-main";

fn subnet(cidr_text: &str, az_letter: &str, route_table: &str) -> NodeKind {
    NodeKind::Subnet(Subnet {
        vpc: id(VPC),
        cidr: cidr(cidr_text),
        az: format!("{REGION}{az_letter}"),
        route_table: Some(id(route_table)),
    })
}

fn text_var(name: &str, value: &str) -> EnvironmentVariable {
    EnvironmentVariable {
        name: name.to_string(),
        value: EnvironmentValue::Text(value.to_string()),
    }
}

pub fn seed() -> Diagram {
    let mut b = Builder::new("Web service on Fargate", REGION);

    // Outside AWS.
    b.drawn(
        "internet",
        "Internet",
        NodeKind::Internet(Internet {}),
        icon(40.0, 330.0),
    );
    b.drawn(
        "operator",
        "Operator",
        NodeKind::ExternalClient(ExternalClient {
            cidr: cidr("203.0.113.10/32"),
        }),
        icon(40.0, 700.0),
    );

    // Global and regional services outside the VPC, along the top.
    b.drawn(
        "dns",
        "example.com",
        NodeKind::Route53Zone(Route53Zone {
            domain_name: "example.com".into(),
            records: vec![
                DnsRecord {
                    name: "www".into(),
                    record_type: DnsRecordType::A,
                    target: DnsTarget::Alias(id("cdn")),
                },
                DnsRecord {
                    name: "api".into(),
                    record_type: DnsRecordType::A,
                    target: DnsTarget::Alias(id("alb")),
                },
            ],
        }),
        icon(200.0, 40.0),
    );
    b.drawn(
        "cert-cdn",
        "www certificate",
        NodeKind::AcmCertificate(AcmCertificate {
            domain_name: "www.example.com".into(),
            subject_alternative_names: Vec::new(),
            region: "us-east-1".into(),
            validation_zone: Some(id("dns")),
        }),
        icon(370.0, 40.0),
    );
    b.drawn(
        "cdn",
        "Front end CDN",
        NodeKind::CloudFront(CloudFront {
            origins: vec![CloudFrontOrigin {
                target: id("frontend"),
                path_pattern: None,
                access: OriginAccess::Oac,
            }],
            aliases: vec!["www.example.com".into()],
            certificate: Some(id("cert-cdn")),
            default_root_object: "index.html".into(),
            price_class: PriceClass::PriceClass200,
        }),
        icon(540.0, 40.0),
    );
    b.drawn(
        "frontend",
        "Front end bucket",
        NodeKind::S3Bucket(S3Bucket {
            bucket_name: "myapp-frontend-example-com".into(),
            block_public_access: true,
            versioning: true,
            website_hosting: false,
        }),
        icon(710.0, 40.0),
    );
    b.drawn(
        "cert-api",
        "api certificate",
        NodeKind::AcmCertificate(AcmCertificate {
            domain_name: "api.example.com".into(),
            subject_alternative_names: Vec::new(),
            region: REGION.into(),
            validation_zone: Some(id("dns")),
        }),
        icon(880.0, 40.0),
    );
    b.drawn(
        "ecr-api",
        "myapp",
        NodeKind::EcrRepository(EcrRepository {
            repository_name: "myapp".into(),
            scan_on_push: true,
            immutable_tags: true,
        }),
        icon(1050.0, 40.0),
    );
    b.drawn(
        "ecr-nginx",
        "myapp-nginx",
        NodeKind::EcrRepository(EcrRepository {
            repository_name: "myapp-nginx".into(),
            scan_on_push: true,
            immutable_tags: true,
        }),
        icon(1220.0, 40.0),
    );
    b.drawn(
        "cluster",
        "myapp-cluster",
        NodeKind::EcsCluster(EcsCluster {
            container_insights: true,
        }),
        icon(1390.0, 40.0),
    );
    b.drawn(
        "pipeline",
        "CircleCI",
        NodeKind::Pipeline(Pipeline {
            branch: "main".into(),
            context: "aws-deploy".into(),
            auth: PipelineAuth::OidcRole("myapp-circleci-deploy".into()),
            deploys: ids(&["service", "frontend", "cdn"]),
            frontend: Some(FrontendBuild {
                directory: "frontend".into(),
                build_command: "npm ci && npm run build".into(),
                output_directory: "dist".into(),
            }),
        }),
        icon(1560.0, 40.0),
    );

    // The network.
    b.drawn(
        VPC,
        "myapp-vpc",
        NodeKind::Vpc(Vpc {
            cidr: cidr("10.2.0.0/16"),
            secondary_cidrs: Vec::new(),
            dns_support: true,
            dns_hostnames: true,
        }),
        Rect::new(180.0, 220.0, 1140.0, 720.0),
    );
    b.drawn(
        "igw",
        "myapp-igw",
        NodeKind::InternetGateway(InternetGateway { vpc: Some(id(VPC)) }),
        icon(148.0, 330.0),
    );
    b.node(
        "rt-public",
        "public-route-table",
        NodeKind::RouteTable(RouteTable {
            vpc: id(VPC),
            routes: vec![Route {
                destination: cidr("0.0.0.0/0"),
                target: id("igw"),
            }],
        }),
    );
    b.node(
        "rt-private",
        "private-route-table",
        NodeKind::RouteTable(RouteTable {
            vpc: id(VPC),
            routes: vec![Route {
                destination: cidr("0.0.0.0/0"),
                target: id("nat-a"),
            }],
        }),
    );
    b.drawn(
        "subnet-public-a",
        "public-subnet-a",
        subnet("10.2.0.0/20", "a", "rt-public"),
        Rect::new(240.0, 230.0, 480.0, 270.0),
    );
    b.drawn(
        "subnet-public-c",
        "public-subnet-c",
        subnet("10.2.16.0/20", "c", "rt-public"),
        Rect::new(800.0, 230.0, 480.0, 270.0),
    );
    b.drawn(
        "subnet-private-a",
        "private-subnet-a",
        subnet("10.2.32.0/20", "a", "rt-private"),
        Rect::new(240.0, 540.0, 480.0, 320.0),
    );
    b.drawn(
        "subnet-private-c",
        "private-subnet-c",
        subnet("10.2.48.0/20", "c", "rt-private"),
        Rect::new(800.0, 540.0, 480.0, 320.0),
    );

    // Security groups: no hand-written inbound rules; the traffic edges below
    // are what they must allow.
    b.node("sg-alb", "alb-sg", security_group(VPC, "Load balancer"));
    b.node("sg-service", "service-sg", security_group(VPC, "API tasks"));
    b.node("sg-db", "db-sg", security_group(VPC, "Aurora"));
    b.node(
        "sg-bastion",
        "bastion-sg",
        security_group(VPC, "Bastion host"),
    );

    b.drawn(
        "nat-a",
        "nat-gateway-a",
        NodeKind::NatGateway(NatGateway {
            subnet: id("subnet-public-a"),
            connectivity: NatConnectivity::Public,
            elastic_ip: true,
        }),
        icon(300.0, 410.0),
    );
    b.drawn(
        "bastion",
        "login-server",
        NodeKind::Bastion(Bastion {
            instance_type: "t3.micro".into(),
            subnet: id("subnet-public-a"),
            security_groups: ids(&["sg-bastion"]),
            key_pair: Some("bastion-key".into()),
            public_ip: true,
        }),
        icon(480.0, 410.0),
    );
    b.drawn(
        "alb",
        "myapp-alb",
        https_load_balancer(
            ids(&["subnet-public-a", "subnet-public-c"]),
            "sg-alb",
            "cert-api",
            "api",
            80,
            ServiceTarget {
                service: id("service"),
                container: "nginx".into(),
            },
        ),
        icon(728.0, 330.0),
    );
    b.drawn(
        "service",
        "myapp-service",
        NodeKind::FargateService(FargateService {
            cluster: Some(id("cluster")),
            cpu: 512,
            memory: 1024,
            containers: vec![
                Container {
                    name: "nginx".into(),
                    image: ContainerImage::Ecr(id("ecr-nginx")),
                    port: Some(80),
                    essential: true,
                    environment: Vec::new(),
                    secrets: Vec::new(),
                },
                Container {
                    name: "flask".into(),
                    image: ContainerImage::Ecr(id("ecr-api")),
                    port: Some(5000),
                    essential: true,
                    environment: vec![
                        text_var("DB_NAME", "app"),
                        text_var("DB_USER", "admin"),
                        EnvironmentVariable {
                            name: "HOST".into(),
                            value: EnvironmentValue::EndpointOf(id("db")),
                        },
                    ],
                    secrets: vec![ContainerSecret {
                        name: "PASSWORD".into(),
                        from: SecretSource::DatabasePassword(id("db")),
                    }],
                },
            ],
            desired_count: 2,
            subnets: ids(&["subnet-private-a", "subnet-private-c"]),
            security_groups: ids(&["sg-service"]),
            assign_public_ip: false,
            min_healthy_percent: 100,
            max_percent: 200,
        }),
        icon(728.0, 600.0),
    );
    b.drawn(
        "db",
        "myapp-aurora",
        NodeKind::AuroraCluster(AuroraCluster {
            engine: AuroraEngine::AuroraMysql,
            engine_version: "8.0.mysql_aurora.3.10.3".into(),
            port: 3306,
            database_name: "app".into(),
            master_username: "admin".into(),
            manage_master_password: true,
            storage_encrypted: true,
            publicly_accessible: false,
            instance_class: "db.t4g.medium".into(),
            instance_count: 2,
            subnets: ids(&["subnet-private-a", "subnet-private-c"]),
            security_groups: ids(&["sg-db"]),
        }),
        icon(728.0, 760.0),
    );

    // The traffic that must flow.
    b.edge("e-internet-cdn", "internet", "cdn", 443)
        .edge("e-cdn-frontend", "cdn", "frontend", 443)
        .edge("e-internet-alb-https", "internet", "alb", 443)
        .edge("e-internet-alb-http", "internet", "alb", 80)
        .edge("e-alb-service", "alb", "service", 80)
        .edge("e-service-db", "service", "db", 3306)
        .edge("e-operator-bastion", "operator", "bastion", 22)
        .edge("e-bastion-db", "bastion", "db", 3306);

    b.tidy(VPC).derive_rules().finish()
}
