//! Large, realistic diagrams for benchmarks: many copies of a two-zone web
//! service, each in its own VPC, all reached from one internet node.

use super::build::{allow_all_egress, cidr, icon, id, ids, Builder};
use crate::domain::model::*;

/// Nodes one service unit adds (VPC, gateway, 2 route tables, 4 subnets,
/// 4 security groups, NAT, bastion, ECR, cluster, ALB, service, Aurora).
const UNIT_NODES: usize = 19;

/// A diagram of about `nodes` nodes (whole units of 19 nodes each).
pub fn generated(nodes: usize) -> Diagram {
    let units = (nodes.saturating_sub(2) / UNIT_NODES).max(1);
    let mut b = Builder::new(&format!("Generated ({units} services)"), "us-east-1");
    add_outside(&mut b);
    let outside = b.diagram.nodes.len();
    for unit in 0..units {
        // Each unit is built, given its rules and tidied on its own beside
        // the outside nodes it is reached from, then moved in: the rules and
        // the tidy read the whole diagram, so building in place grew with
        // the square of the units (5 s for 5,000 nodes).
        let mut own = Builder::new("", "us-east-1");
        add_outside(&mut own);
        add_unit(&mut own, unit);
        own.tidy(&format!("u{unit}-vpc"));
        let part = own.finish();
        b.diagram.nodes.extend(part.nodes.into_iter().skip(outside));
        b.diagram.edges.extend(part.edges);
        for (id, rect) in part.layout {
            b.diagram.layout.entry(id).or_insert(rect);
        }
    }
    b.finish()
}

/// The internet and the operator's network, outside every unit.
fn add_outside(b: &mut Builder) {
    b.drawn(
        "internet",
        "Internet",
        NodeKind::Internet(Internet {}),
        icon(0.0, 0.0),
    );
    b.drawn(
        "operator",
        "Operator",
        NodeKind::ExternalClient(ExternalClient {
            cidr: cidr("198.51.100.0/28"),
        }),
        icon(0.0, 200.0),
    );
}

fn add_unit(b: &mut Builder, unit: usize) {
    // 10.0.0.0/8 holds 256 /16s; further units use 172.16.0.0/12 (16 /16s)
    // and then wrap, which is fine for timing (they are separate VPCs).
    let block = if unit < 256 {
        format!("10.{unit}")
    } else {
        format!("172.{}", 16 + (unit - 256) % 16)
    };
    let n = |name: &str| format!("u{unit}-{name}");
    let x0 = 200.0 + (unit % 10) as f64 * 900.0;
    let y0 = 400.0 + (unit / 10) as f64 * 1100.0;
    let vpc = n("vpc");

    b.drawn(
        &vpc,
        &vpc,
        NodeKind::Vpc(Vpc {
            cidr: cidr(&format!("{block}.0.0/16")),
            secondary_cidrs: vec![],
            dns_support: true,
            dns_hostnames: true,
        }),
        Rect::new(x0, y0, 860.0, 640.0),
    );
    b.drawn(
        &n("igw"),
        &n("igw"),
        NodeKind::InternetGateway(InternetGateway {
            vpc: Some(id(&vpc)),
        }),
        icon(x0 - 32.0, y0 + 100.0),
    );
    for (table, target) in [("rt-public", n("igw")), ("rt-private", n("nat"))] {
        b.node(
            &n(table),
            &n(table),
            NodeKind::RouteTable(RouteTable {
                vpc: id(&vpc),
                routes: vec![Route {
                    destination: cidr("0.0.0.0/0"),
                    target: id(&target),
                }],
            }),
        );
    }
    let subnets = [
        ("public-a", 0, "a", "rt-public"),
        ("public-b", 16, "b", "rt-public"),
        ("private-a", 32, "a", "rt-private"),
        ("private-b", 48, "b", "rt-private"),
    ];
    for (at, (name, third, zone, table)) in subnets.into_iter().enumerate() {
        b.drawn(
            &n(name),
            &n(name),
            NodeKind::Subnet(Subnet {
                vpc: id(&vpc),
                cidr: cidr(&format!("{block}.{third}.0/20")),
                az: format!("us-east-1{zone}"),
                route_table: Some(id(&n(table))),
            }),
            Rect::new(
                x0 + 20.0 + (at % 2) as f64 * 420.0,
                y0 + 60.0 + (at / 2) as f64 * 290.0,
                400.0,
                270.0,
            ),
        );
    }
    for group in ["sg-alb", "sg-service", "sg-db", "sg-bastion"] {
        b.node(
            &n(group),
            &n(group),
            NodeKind::SecurityGroup(SecurityGroup {
                vpc: id(&vpc),
                description: String::new(),
                ingress: vec![],
                egress: vec![allow_all_egress()],
            }),
        );
    }
    b.drawn(
        &n("nat"),
        &n("nat"),
        NodeKind::NatGateway(NatGateway {
            subnet: id(&n("public-a")),
            connectivity: NatConnectivity::Public,
            elastic_ip: true,
        }),
        icon(x0 + 60.0, y0 + 160.0),
    );
    b.drawn(
        &n("bastion"),
        &n("bastion"),
        NodeKind::Bastion(Bastion {
            instance_type: "t3.micro".into(),
            subnet: id(&n("public-a")),
            security_groups: vec![id(&n("sg-bastion"))],
            key_pair: None,
            public_ip: true,
        }),
        icon(x0 + 200.0, y0 + 160.0),
    );
    b.drawn(
        &n("ecr"),
        &n("ecr"),
        NodeKind::EcrRepository(EcrRepository {
            repository_name: n("api"),
            scan_on_push: true,
            immutable_tags: false,
        }),
        icon(x0 + 700.0, y0 - 100.0),
    );
    b.drawn(
        &n("cluster"),
        &n("cluster"),
        NodeKind::EcsCluster(EcsCluster {
            container_insights: false,
        }),
        icon(x0 + 600.0, y0 - 100.0),
    );
    b.drawn(
        &n("alb"),
        &n("alb"),
        NodeKind::LoadBalancer(LoadBalancer {
            scheme: LoadBalancerScheme::InternetFacing,
            subnets: ids(&[&n("public-a"), &n("public-b")]),
            security_groups: vec![id(&n("sg-alb"))],
            listeners: vec![Listener {
                port: 80,
                protocol: ListenerProtocol::Http,
                certificate: None,
                action: ListenerAction::Forward("api".into()),
            }],
            target_groups: vec![TargetGroup {
                name: "api".into(),
                protocol: ListenerProtocol::Http,
                port: 8080,
                target_type: TargetType::Ip,
                health_check: HealthCheck {
                    path: Some("/health".into()),
                    ..HealthCheck::default()
                },
                target: Some(ServiceTarget {
                    service: id(&n("service")),
                    container: "api".into(),
                }),
            }],
        }),
        icon(x0 + 400.0, y0 + 200.0),
    );
    b.drawn(
        &n("service"),
        &n("service"),
        NodeKind::FargateService(FargateService {
            cluster: Some(id(&n("cluster"))),
            cpu: 256,
            memory: 512,
            containers: vec![Container {
                name: "api".into(),
                image: ContainerImage::Ecr(id(&n("ecr"))),
                port: Some(8080),
                essential: true,
                environment: vec![],
                secrets: vec![],
            }],
            desired_count: 2,
            subnets: ids(&[&n("private-a"), &n("private-b")]),
            security_groups: vec![id(&n("sg-service"))],
            assign_public_ip: false,
            min_healthy_percent: 100,
            max_percent: 200,
        }),
        icon(x0 + 400.0, y0 + 420.0),
    );
    b.drawn(
        &n("db"),
        &n("db"),
        NodeKind::AuroraCluster(AuroraCluster {
            engine: AuroraEngine::AuroraPostgresql,
            engine_version: "17.7".into(),
            port: 5432,
            database_name: "app".into(),
            master_username: "app".into(),
            manage_master_password: true,
            storage_encrypted: true,
            publicly_accessible: false,
            instance_class: "db.t4g.medium".into(),
            instance_count: 2,
            subnets: ids(&[&n("private-a"), &n("private-b")]),
            security_groups: vec![id(&n("sg-db"))],
        }),
        icon(x0 + 400.0, y0 + 540.0),
    );
    b.edge(&n("e-web"), "internet", &n("alb"), 80)
        .edge(&n("e-app"), &n("alb"), &n("service"), 8080)
        .edge(&n("e-db"), &n("service"), &n("db"), 5432)
        .edge(&n("e-ssh"), "operator", &n("bastion"), 22)
        .edge(&n("e-admin"), &n("bastion"), &n("db"), 5432);
    for edge in b
        .diagram
        .edges
        .iter()
        .rev()
        .take(5)
        .cloned()
        .collect::<Vec<_>>()
    {
        let command = crate::domain::validate::reach::rules_for_edge(&b.diagram, &edge);
        if let Err(error) = crate::domain::edit::apply(&mut b.diagram, command) {
            panic!("generated rules for {}: {error}", edge.id);
        }
    }
}

/// One VPC holding `resources` Fargate services spread over four subnets,
/// with traffic from the internet to a few of them: what dragging a crowded
/// VPC costs is measured on this.
pub fn crowded_vpc(resources: usize) -> Diagram {
    const COLUMNS: usize = 10;
    const CELL: f64 = 96.0;
    let per_subnet = resources.div_ceil(4).max(1);
    let rows = per_subnet.div_ceil(COLUMNS);
    let subnet_w = COLUMNS as f64 * CELL + 48.0;
    let subnet_h = rows as f64 * (CELL + 16.0) + 80.0;
    let mut b = Builder::new(&format!("One VPC with {resources} services"), "us-east-1");
    b.drawn(
        "internet",
        "Internet",
        NodeKind::Internet(Internet {}),
        icon(-200.0, 200.0),
    );
    b.drawn(
        "vpc",
        "crowded-vpc",
        NodeKind::Vpc(Vpc {
            cidr: cidr("10.0.0.0/16"),
            secondary_cidrs: vec![],
            dns_support: true,
            dns_hostnames: true,
        }),
        Rect::new(0.0, 0.0, 2.0 * subnet_w + 72.0, 2.0 * subnet_h + 112.0),
    );
    b.node(
        "sg",
        "services",
        NodeKind::SecurityGroup(SecurityGroup {
            vpc: id("vpc"),
            description: String::new(),
            ingress: vec![],
            egress: vec![allow_all_egress()],
        }),
    );
    b.drawn(
        "cluster",
        "cluster",
        NodeKind::EcsCluster(EcsCluster {
            container_insights: false,
        }),
        icon(-200.0, 400.0),
    );
    for subnet in 0..4 {
        let (column, row) = ((subnet % 2) as f64, (subnet / 2) as f64);
        let area = Rect::new(
            24.0 + column * (subnet_w + 24.0),
            60.0 + row * (subnet_h + 24.0),
            subnet_w,
            subnet_h,
        );
        let subnet_id = format!("subnet-{subnet}");
        b.drawn(
            &subnet_id,
            &subnet_id,
            NodeKind::Subnet(Subnet {
                vpc: id("vpc"),
                cidr: cidr(&format!("10.0.{}.0/20", subnet * 16)),
                az: format!("us-east-1{}", ['a', 'b'][subnet % 2]),
                route_table: None,
            }),
            area,
        );
        for at in 0..per_subnet.min(resources.saturating_sub(subnet * per_subnet)) {
            let name = format!("svc-{subnet}-{at}");
            b.drawn(
                &name,
                &name,
                NodeKind::FargateService(FargateService {
                    cluster: Some(id("cluster")),
                    cpu: 256,
                    memory: 512,
                    containers: vec![Container {
                        name: "app".into(),
                        image: ContainerImage::Registry("nginx:stable".into()),
                        port: Some(80),
                        essential: true,
                        environment: vec![],
                        secrets: vec![],
                    }],
                    desired_count: 1,
                    subnets: vec![id(&subnet_id)],
                    security_groups: vec![id("sg")],
                    assign_public_ip: false,
                    min_healthy_percent: 100,
                    max_percent: 200,
                }),
                icon(
                    area.x + 24.0 + (at % COLUMNS) as f64 * CELL,
                    area.y + 56.0 + (at / COLUMNS) as f64 * (CELL + 16.0),
                ),
            );
            if at < 4 {
                b.edge(&format!("e-{name}"), "internet", &name, 80);
            }
        }
    }
    b.finish()
}
