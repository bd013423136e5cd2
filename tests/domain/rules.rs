//! Every rule of docs/rules.md: a diagram that triggers it and a near miss that
//! does not. The diagrams are checked in under tests/fixtures/rules/ (one file
//! per case, so the command-line tool and people can open them) and are
//! regenerated from the cases below with UPDATE_FIXTURES=1.

use crate::acl::with_acl;
use crate::support::{
    add_admin_instance, add_dynamodb_endpoint, add_events_topic, add_firewall, add_jobs_queue,
    add_jobs_worker, add_orders_api, add_orders_credentials, add_orders_database,
    add_orders_function, add_orders_table, add_payments_secret, add_sessions_cache,
    add_web_instances, assert_matches_file, endpoint_group, fixture_path, id, kind_mut,
    read_fixture, seed_endpoint,
};
use stackdraw::domain::codec::{decode_file, encode_file};
use stackdraw::domain::edit::{apply, History};
use stackdraw::domain::model::*;
use stackdraw::domain::templates;
use stackdraw::domain::validate::{analyze, validate, Severity};

type Mutation = fn(&mut Diagram);

struct Case {
    rule: u8,
    severity: Severity,
    name: &'static str,
    trigger: Mutation,
    near_miss: Mutation,
}

macro_rules! with {
    ($diagram:expr, $node:expr, $variant:ident, |$it:ident| $body:expr) => {
        match kind_mut($diagram, $node) {
            NodeKind::$variant($it) => {
                $body;
            }
            other => panic!("{} is a {:?}", $node, other.tag()),
        }
    };
}

fn cidr(text: &str) -> Cidr {
    Cidr::parse(text).unwrap()
}

fn add(diagram: &mut Diagram, node_id: &str, kind: NodeKind) {
    diagram.nodes.push(Node {
        id: id(node_id),
        name: node_id.to_string(),
        kind,
    });
}

fn second_vpc(diagram: &mut Diagram, block: &str) {
    add(
        diagram,
        "vpc-other",
        NodeKind::Vpc(Vpc {
            cidr: cidr(block),
            secondary_cidrs: vec![],
            dns_support: true,
            dns_hostnames: true,
        }),
    );
}

fn peering(diagram: &mut Diagram) {
    add(
        diagram,
        "peering",
        NodeKind::VpcPeering(VpcPeering {
            requester: id("vpc-main"),
            accepter: id("vpc-other"),
        }),
    );
}

/// A VPC endpoint in the seed's VPC. Interface endpoints get a group that
/// admits HTTPS from the tasks, as AWS needs for the tasks to use them.
fn endpoint(diagram: &mut Diagram, node_id: &str, service: EndpointService) {
    let gateway = service.is_gateway();
    if !gateway
        && !diagram
            .nodes
            .iter()
            .any(|n| n.id.as_str() == "sg-endpoints")
    {
        diagram.nodes.push(crate::support::endpoint_group(443));
    }
    add(diagram, node_id, crate::support::seed_endpoint(service));
}

/// The service also runs in a third zone; with `alb_too`, the load balancer
/// is enabled there as well (through a public subnet of that zone).
fn service_in_zone_d(d: &mut Diagram, alb_too: bool) {
    let subnet = |block: &str, table: &str| {
        NodeKind::Subnet(Subnet {
            vpc: id("vpc-main"),
            cidr: cidr(block),
            az: "ap-northeast-1d".into(),
            route_table: Some(id(table)),
        })
    };
    add(d, "subnet-private-d", subnet("10.2.64.0/20", "rt-private"));
    with!(d, "service", FargateService, |s| s
        .subnets
        .push(id("subnet-private-d")));
    if alb_too {
        add(d, "subnet-public-d", subnet("10.2.80.0/20", "rt-public"));
        with!(d, "alb", LoadBalancer, |alb| alb
            .subnets
            .push(id("subnet-public-d")));
    }
}

/// No NAT route for the private subnets, and the endpoints image pulls need.
fn image_endpoints_only(d: &mut Diagram) {
    with!(d, "rt-private", RouteTable, |t| t.routes.clear());
    endpoint(d, "vpce-s3", EndpointService::S3);
    endpoint(d, "vpce-ecr-api", EndpointService::EcrApi);
    endpoint(d, "vpce-ecr-dkr", EndpointService::EcrDkr);
    endpoint(d, "vpce-logs", EndpointService::Logs);
}

fn ssh_from(diagram: &mut Diagram, block: &str) {
    with!(diagram, "sg-bastion", SecurityGroup, |group| group
        .ingress[0]
        .peer =
        Peer::Cidr(cidr(block)));
}

fn noop(_: &mut Diagram) {}

fn group_in_other_vpc(diagram: &mut Diagram) {
    add(
        diagram,
        "sg-other",
        NodeKind::SecurityGroup(SecurityGroup {
            vpc: id("vpc-other"),
            description: String::new(),
            ingress: vec![],
            egress: vec![],
        }),
    );
}

fn cases() -> Vec<Case> {
    vec![
        Case {
            rule: 1,
            severity: Severity::Error,
            name: "vpc-prefix",
            trigger: |d| with!(d, "vpc-main", Vpc, |vpc| vpc.cidr = cidr("10.2.0.0/15")),
            near_miss: |d| with!(d, "vpc-main", Vpc, |vpc| vpc.cidr = cidr("10.2.0.0/16")),
        },
        Case {
            rule: 2,
            severity: Severity::Warning,
            name: "public-range",
            trigger: |d| {
                with!(d, "vpc-main", Vpc, |vpc| vpc
                    .secondary_cidrs
                    .push(cidr("11.2.0.0/16")))
            },
            near_miss: |d| {
                with!(d, "vpc-main", Vpc, |vpc| vpc
                    .secondary_cidrs
                    .push(cidr("100.64.0.0/16")))
            },
        },
        Case {
            rule: 3,
            severity: Severity::Warning,
            name: "docker-range",
            trigger: |d| with!(d, "vpc-main", Vpc, |vpc| vpc.cidr = cidr("172.17.0.0/16")),
            near_miss: |d| with!(d, "vpc-main", Vpc, |vpc| vpc.cidr = cidr("172.18.0.0/16")),
        },
        Case {
            rule: 4,
            severity: Severity::Error,
            name: "host-bits",
            trigger: |d| {
                with!(d, "subnet-public-a", Subnet, |s| s.cidr =
                    cidr("10.2.0.1/20"))
            },
            near_miss: |d| {
                with!(d, "subnet-public-a", Subnet, |s| s.cidr =
                    cidr("10.2.0.0/20"))
            },
        },
        Case {
            rule: 5,
            severity: Severity::Error,
            name: "secondary-restricted",
            trigger: |d| {
                with!(d, "vpc-main", Vpc, |vpc| vpc
                    .secondary_cidrs
                    .push(cidr("192.168.0.0/16")))
            },
            near_miss: |d| {
                with!(d, "vpc-main", Vpc, |vpc| vpc
                    .secondary_cidrs
                    .push(cidr("10.3.0.0/16")))
            },
        },
        Case {
            rule: 6,
            severity: Severity::Error,
            name: "peering-overlap",
            trigger: |d| {
                second_vpc(d, "10.2.128.0/17");
                peering(d);
            },
            near_miss: |d| {
                second_vpc(d, "10.9.0.0/16");
                peering(d);
            },
        },
        Case {
            rule: 9,
            severity: Severity::Error,
            name: "subnet-outside-vpc",
            trigger: |d| {
                with!(d, "subnet-private-c", Subnet, |s| s.cidr =
                    cidr("10.3.0.0/20"))
            },
            near_miss: |d| {
                with!(d, "subnet-private-c", Subnet, |s| s.cidr =
                    cidr("10.2.64.0/20"))
            },
        },
        Case {
            rule: 10,
            severity: Severity::Error,
            name: "subnet-overlap",
            trigger: |d| {
                with!(d, "subnet-private-c", Subnet, |s| s.cidr =
                    cidr("10.2.40.0/21"))
            },
            near_miss: |d| {
                with!(d, "subnet-private-c", Subnet, |s| s.cidr =
                    cidr("10.2.48.0/21"))
            },
        },
        Case {
            rule: 11,
            severity: Severity::Error,
            name: "subnet-too-small",
            trigger: |d| {
                with!(d, "subnet-private-a", Subnet, |s| s.cidr =
                    cidr("10.2.32.0/28"));
                with!(d, "service", FargateService, |s| s.desired_count = 20);
            },
            near_miss: |d| {
                with!(d, "subnet-private-a", Subnet, |s| s.cidr =
                    cidr("10.2.32.0/28"))
            },
        },
        Case {
            rule: 12,
            severity: Severity::Error,
            name: "unknown-zone",
            trigger: |d| {
                with!(d, "subnet-private-c", Subnet, |s| s.az =
                    "ap-northeast-1b".into())
            },
            near_miss: |d| {
                with!(d, "subnet-private-c", Subnet, |s| s.az =
                    "ap-northeast-1d".into())
            },
        },
        Case {
            rule: 13,
            severity: Severity::Info,
            name: "main-route-table",
            trigger: |d| with!(d, "subnet-private-c", Subnet, |s| s.route_table = None),
            near_miss: noop,
        },
        Case {
            rule: 14,
            severity: Severity::Error,
            name: "route-to-detached-igw",
            trigger: |d| {
                add(
                    d,
                    "igw-spare",
                    NodeKind::InternetGateway(InternetGateway { vpc: None }),
                );
                with!(d, "rt-public", RouteTable, |t| t.routes[0].target =
                    id("igw-spare"));
            },
            near_miss: |d| {
                add(
                    d,
                    "igw-spare",
                    NodeKind::InternetGateway(InternetGateway { vpc: None }),
                )
            },
        },
        Case {
            rule: 15,
            severity: Severity::Error,
            name: "internal-alb-from-internet",
            trigger: |d| {
                with!(d, "alb", LoadBalancer, |alb| alb.scheme =
                    LoadBalancerScheme::Internal)
            },
            near_miss: noop,
        },
        Case {
            rule: 16,
            severity: Severity::Error,
            name: "two-igws",
            trigger: |d| {
                add(
                    d,
                    "igw-2",
                    NodeKind::InternetGateway(InternetGateway {
                        vpc: Some(id("vpc-main")),
                    }),
                )
            },
            near_miss: |d| {
                add(
                    d,
                    "igw-2",
                    NodeKind::InternetGateway(InternetGateway { vpc: None }),
                )
            },
        },
        Case {
            rule: 17,
            severity: Severity::Error,
            name: "nat-in-private-subnet",
            trigger: |d| {
                with!(d, "nat-a", NatGateway, |nat| nat.subnet =
                    id("subnet-private-a"))
            },
            near_miss: |d| {
                with!(d, "nat-a", NatGateway, |nat| nat.subnet =
                    id("subnet-public-c"))
            },
        },
        Case {
            rule: 18,
            severity: Severity::Warning,
            name: "single-nat",
            trigger: noop,
            near_miss: |d| {
                let fix = validate(d)
                    .into_iter()
                    .find(|x| x.rule == 18)
                    .and_then(|x| x.fix)
                    .unwrap();
                apply(d, fix.command).unwrap();
            },
        },
        Case {
            rule: 19,
            severity: Severity::Warning,
            name: "nat-without-endpoints",
            trigger: noop,
            near_miss: |d| endpoint(d, "vpce-s3", EndpointService::S3),
        },
        Case {
            rule: 21,
            severity: Severity::Info,
            name: "no-inbound",
            trigger: |d| with!(d, "sg-bastion", SecurityGroup, |g| g.ingress.clear()),
            near_miss: noop,
        },
        Case {
            rule: 22,
            severity: Severity::Error,
            name: "service-closed-to-alb",
            trigger: |d| {
                d.edges.retain(|e| e.id.as_str() != "e-alb-service");
                with!(d, "sg-service", SecurityGroup, |g| g.ingress.clear());
            },
            near_miss: |d| d.edges.retain(|e| e.id.as_str() != "e-alb-service"),
        },
        Case {
            rule: 23,
            severity: Severity::Error,
            name: "restricted-egress",
            trigger: |d| {
                with!(d, "sg-service", SecurityGroup, |g| {
                    g.egress = vec![SecurityGroupRule {
                        protocol: Protocol::Tcp,
                        from_port: 443,
                        to_port: 443,
                        peer: Peer::Cidr(cidr("0.0.0.0/0")),
                        description: String::new(),
                    }]
                })
            },
            near_miss: |d| {
                with!(d, "sg-service", SecurityGroup, |g| {
                    g.egress = vec![
                        SecurityGroupRule {
                            protocol: Protocol::Tcp,
                            from_port: 443,
                            to_port: 443,
                            peer: Peer::Cidr(cidr("0.0.0.0/0")),
                            description: String::new(),
                        },
                        SecurityGroupRule {
                            protocol: Protocol::Tcp,
                            from_port: 3306,
                            to_port: 3306,
                            peer: Peer::SecurityGroup(id("sg-db")),
                            description: String::new(),
                        },
                    ]
                })
            },
        },
        Case {
            rule: 24,
            severity: Severity::Error,
            name: "group-in-other-vpc",
            trigger: |d| {
                second_vpc(d, "10.9.0.0/16");
                group_in_other_vpc(d);
                with!(d, "sg-db", SecurityGroup, |g| g.ingress[0].peer =
                    Peer::SecurityGroup(id("sg-other")));
            },
            near_miss: |d| {
                second_vpc(d, "10.9.0.0/16");
                peering(d);
                group_in_other_vpc(d);
                with!(d, "sg-db", SecurityGroup, |g| g.ingress.push(
                    SecurityGroupRule {
                        protocol: Protocol::Tcp,
                        from_port: 3306,
                        to_port: 3306,
                        peer: Peer::SecurityGroup(id("sg-other")),
                        description: String::new(),
                    }
                ));
            },
        },
        Case {
            rule: 25,
            severity: Severity::Warning,
            name: "too-many-rules",
            trigger: |d| {
                with!(d, "sg-alb", SecurityGroup, |g| {
                    g.ingress = (0..61)
                        .map(|n| SecurityGroupRule {
                            protocol: Protocol::Tcp,
                            from_port: 8000 + n,
                            to_port: 8000 + n,
                            peer: Peer::Cidr(cidr("10.0.0.0/8")),
                            description: String::new(),
                        })
                        .chain(g.ingress.clone())
                        .collect()
                })
            },
            near_miss: |d| {
                with!(d, "sg-alb", SecurityGroup, |g| {
                    g.ingress = (0..58)
                        .map(|n| SecurityGroupRule {
                            protocol: Protocol::Tcp,
                            from_port: 8000 + n,
                            to_port: 8000 + n,
                            peer: Peer::Cidr(cidr("10.0.0.0/8")),
                            description: String::new(),
                        })
                        .chain(g.ingress.clone())
                        .collect()
                })
            },
        },
        Case {
            rule: 26,
            severity: Severity::Warning,
            name: "ssh-open-to-world",
            trigger: |d| ssh_from(d, "0.0.0.0/0"),
            near_miss: |d| ssh_from(d, "203.0.113.0/24"),
        },
        Case {
            rule: 27,
            severity: Severity::Error,
            name: "alb-one-zone",
            trigger: |d| {
                with!(d, "alb", LoadBalancer, |alb| alb.subnets =
                    vec![id("subnet-public-a")])
            },
            near_miss: noop,
        },
        Case {
            rule: 28,
            severity: Severity::Warning,
            name: "alb-subnet-small",
            trigger: |d| {
                with!(d, "subnet-public-c", Subnet, |s| s.cidr =
                    cidr("10.2.16.0/28"))
            },
            near_miss: |d| {
                with!(d, "subnet-public-c", Subnet, |s| s.cidr =
                    cidr("10.2.16.0/27"))
            },
        },
        Case {
            rule: 29,
            severity: Severity::Warning,
            name: "health-check-default",
            trigger: |d| {
                with!(d, "alb", LoadBalancer, |alb| alb.target_groups[0]
                    .health_check
                    .path = None)
            },
            near_miss: |d| {
                with!(d, "alb", LoadBalancer, |alb| alb.target_groups[0]
                    .health_check
                    .path = Some("/".into()))
            },
        },
        Case {
            rule: 31,
            severity: Severity::Error,
            name: "target-type-instance",
            trigger: |d| {
                with!(d, "alb", LoadBalancer, |alb| alb.target_groups[0]
                    .target_type =
                    TargetType::Instance)
            },
            near_miss: noop,
        },
        Case {
            rule: 32,
            severity: Severity::Error,
            name: "no-way-to-pull-images",
            trigger: |d| with!(d, "rt-private", RouteTable, |t| t.routes.clear()),
            near_miss: image_endpoints_only,
        },
        Case {
            rule: 43,
            severity: Severity::Error,
            name: "alb-misses-a-service-zone",
            trigger: |d| service_in_zone_d(d, false),
            near_miss: |d| service_in_zone_d(d, true),
        },
        Case {
            rule: 46,
            severity: Severity::Error,
            name: "endpoint-private-dns-without-vpc-dns",
            trigger: |d| {
                endpoint(d, "vpce-logs", EndpointService::Logs);
                with!(d, "vpc-main", Vpc, |vpc| vpc.dns_hostnames = false);
            },
            near_miss: |d| {
                endpoint(d, "vpce-s3", EndpointService::S3);
                with!(d, "vpc-main", Vpc, |vpc| vpc.dns_hostnames = false);
            },
        },
        Case {
            rule: 47,
            severity: Severity::Error,
            name: "secrets-unreachable-at-task-start",
            trigger: image_endpoints_only,
            near_miss: |d| {
                image_endpoints_only(d);
                endpoint(d, "vpce-secrets", EndpointService::SecretsManager);
            },
        },
        Case {
            rule: 33,
            severity: Severity::Error,
            name: "public-tasks-without-ip",
            trigger: |d| {
                with!(d, "service", FargateService, |s| s.subnets =
                    vec![id("subnet-public-a"), id("subnet-public-c")])
            },
            near_miss: |d| {
                with!(d, "service", FargateService, |s| {
                    s.subnets = vec![id("subnet-public-a"), id("subnet-public-c")];
                    s.assign_public_ip = true;
                })
            },
        },
        Case {
            rule: 34,
            severity: Severity::Error,
            name: "fargate-size",
            trigger: |d| {
                with!(d, "service", FargateService, |s| {
                    s.cpu = 256;
                    s.memory = 4096;
                })
            },
            near_miss: |d| {
                with!(d, "service", FargateService, |s| {
                    s.cpu = 256;
                    s.memory = 2048;
                })
            },
        },
        Case {
            rule: 35,
            severity: Severity::Warning,
            name: "tasks-do-not-fit",
            trigger: |d| {
                with!(d, "subnet-private-a", Subnet, |s| s.cidr =
                    cidr("10.2.32.0/26"));
                with!(d, "subnet-private-c", Subnet, |s| s.cidr =
                    cidr("10.2.48.0/26"));
                with!(d, "service", FargateService, |s| s.desired_count = 60);
            },
            near_miss: |d| {
                with!(d, "subnet-private-a", Subnet, |s| s.cidr =
                    cidr("10.2.32.0/26"));
                with!(d, "subnet-private-c", Subnet, |s| s.cidr =
                    cidr("10.2.48.0/26"));
                with!(d, "service", FargateService, |s| s.desired_count = 50);
            },
        },
        Case {
            rule: 36,
            severity: Severity::Error,
            name: "db-one-zone",
            trigger: |d| {
                with!(d, "db", AuroraCluster, |a| a.subnets =
                    vec![id("subnet-private-a")])
            },
            near_miss: noop,
        },
        Case {
            rule: 36,
            severity: Severity::Error,
            name: "rds-one-zone",
            trigger: |d| {
                add_orders_database(d, true);
                with!(d, "orders-db", RdsInstance, |r| r.subnets =
                    vec![id("subnet-private-a")])
            },
            near_miss: |d| add_orders_database(d, true),
        },
        Case {
            rule: 37,
            severity: Severity::Warning,
            name: "db-unencrypted",
            trigger: |d| with!(d, "db", AuroraCluster, |a| a.storage_encrypted = false),
            near_miss: noop,
        },
        Case {
            rule: 38,
            severity: Severity::Error,
            name: "bucket-name",
            trigger: |d| {
                with!(d, "frontend", S3Bucket, |b| b.bucket_name =
                    "My_Frontend".into())
            },
            near_miss: |d| {
                with!(d, "frontend", S3Bucket, |b| b.bucket_name =
                    "my-frontend".into())
            },
        },
        Case {
            rule: 48,
            severity: Severity::Warning,
            name: "bucket-name-probably-taken",
            trigger: |d| {
                with!(d, "frontend", S3Bucket, |b| b.bucket_name =
                    "www-example-com-static".into())
            },
            near_miss: |d| {
                with!(d, "frontend", S3Bucket, |b| b.bucket_name =
                    "acme-corp-www-static".into())
            },
        },
        Case {
            rule: 39,
            severity: Severity::Warning,
            name: "legacy-oai",
            trigger: |d| {
                with!(d, "cdn", CloudFront, |c| c.origins[0].access =
                    OriginAccess::LegacyOai)
            },
            near_miss: noop,
        },
        Case {
            rule: 40,
            severity: Severity::Error,
            name: "cdn-cert-region",
            trigger: |d| {
                with!(d, "cert-cdn", AcmCertificate, |c| c.region =
                    "ap-northeast-1".into())
            },
            near_miss: noop,
        },
        Case {
            rule: 41,
            severity: Severity::Info,
            name: "alias-to-cloudfront",
            trigger: noop,
            near_miss: |d| {
                with!(d, "dns", Route53Zone, |z| z
                    .records
                    .retain(|r| r.name != "www"))
            },
        },
        Case {
            rule: 42,
            severity: Severity::Warning,
            name: "bastion-without-public-ip",
            trigger: |d| with!(d, "bastion", Bastion, |b| b.public_ip = false),
            near_miss: noop,
        },
        Case {
            rule: 43,
            severity: Severity::Error,
            name: "db-closed-to-service",
            trigger: |d| {
                with!(d, "sg-db", SecurityGroup, |g| g
                    .ingress
                    .retain(|r| r.peer != Peer::SecurityGroup(id("sg-service"))))
            },
            near_miss: |d| {
                with!(d, "sg-db", SecurityGroup, |g| g
                    .ingress
                    .retain(|r| r.peer != Peer::SecurityGroup(id("sg-bastion"))));
                d.edges.retain(|e| e.id.as_str() != "e-bastion-db");
            },
        },
        Case {
            rule: 44,
            severity: Severity::Error,
            name: "db-open-to-internet",
            trigger: open_database,
            near_miss: |d| {
                open_database(d);
                with!(d, "db", AuroraCluster, |a| a.publicly_accessible = false);
            },
        },
        Case {
            rule: 45,
            severity: Severity::Warning,
            name: "access-keys",
            trigger: |d| {
                with!(d, "pipeline", Pipeline, |p| p.auth =
                    PipelineAuth::AccessKeys)
            },
            near_miss: noop,
        },
        Case {
            rule: 49,
            severity: Severity::Warning,
            name: "acl-replies-denied",
            trigger: |d| acl_on_private(d, vec![allow(100, (443, 443), "0.0.0.0/0")]),
            near_miss: |d| {
                acl_on_private(
                    d,
                    vec![
                        allow(100, (443, 443), "0.0.0.0/0"),
                        allow(110, (1024, 65535), "10.2.0.0/16"),
                    ],
                )
            },
        },
        Case {
            rule: 50,
            severity: Severity::Warning,
            name: "acl-rule-shadowed",
            trigger: |d| shadowed_ssh_deny(d, 200),
            near_miss: |d| shadowed_ssh_deny(d, 90),
        },
        Case {
            rule: 51,
            severity: Severity::Error,
            name: "acl-blocks-flow",
            trigger: |d| {
                with_acl(
                    d,
                    "acl-app",
                    &["subnet-private-a", "subnet-private-c"],
                    vec![
                        allow(100, (3306, 3306), "10.2.0.0/16"),
                        allow(110, (1024, 65535), "0.0.0.0/0"),
                    ],
                    vec![everything(100)],
                )
            },
            near_miss: |d| {
                with_acl(
                    d,
                    "acl-app",
                    &["subnet-private-a", "subnet-private-c"],
                    vec![
                        allow(90, (80, 80), "10.2.0.0/19"),
                        allow(100, (3306, 3306), "10.2.0.0/16"),
                        allow(110, (1024, 65535), "0.0.0.0/0"),
                    ],
                    vec![everything(100)],
                )
            },
        },
        Case {
            rule: 52,
            severity: Severity::Error,
            name: "acl-deny-the-groups-allow",
            trigger: |d| deny_before_all(d, 80),
            near_miss: |d| deny_before_all(d, 8080),
        },
        Case {
            rule: 53,
            severity: Severity::Error,
            name: "acl-subnet-twice",
            trigger: |d| two_acls(d, "subnet-private-a"),
            near_miss: |d| two_acls(d, "subnet-private-c"),
        },
        Case {
            rule: 54,
            severity: Severity::Info,
            name: "other-resource",
            trigger: |d| other_resource(d, "AWS::Kinesis::Stream"),
            // A client outside AWS is modelled: nothing is left unanalysed.
            near_miss: |d| {
                d.nodes.push(Node {
                    id: id("alerts"),
                    name: "alerts".into(),
                    kind: NodeKind::ExternalClient(ExternalClient {
                        cidr: cidr("198.51.100.0/24"),
                    }),
                })
            },
        },
        Case {
            rule: 56,
            severity: Severity::Error,
            name: "dynamodb-without-a-way-out",
            trigger: |d| {
                add_orders_table(d);
                with!(d, "rt-private", RouteTable, |t| t.routes.clear());
            },
            near_miss: |d| {
                add_orders_table(d);
                with!(d, "rt-private", RouteTable, |t| t.routes.clear());
                add_dynamodb_endpoint(d);
            },
        },
        Case {
            rule: 56,
            severity: Severity::Error,
            name: "sqs-without-a-way-out",
            trigger: |d| {
                add_jobs_queue(d);
                with!(d, "rt-private", RouteTable, |t| t.routes.clear());
            },
            near_miss: |d| {
                add_jobs_queue(d);
                with!(d, "rt-private", RouteTable, |t| t.routes.clear());
                d.nodes.push(endpoint_group(443));
                d.nodes.push(Node {
                    id: id("vpce-sqs"),
                    name: "sqs".into(),
                    kind: seed_endpoint(EndpointService::Sqs),
                });
            },
        },
        Case {
            rule: 56,
            severity: Severity::Error,
            name: "sns-without-a-way-out",
            trigger: |d| {
                add_jobs_queue(d);
                add_events_topic(d);
                d.edges.retain(|e| e.id.as_str() != "e-service-jobs-queue");
                with!(d, "rt-private", RouteTable, |t| t.routes.clear());
            },
            near_miss: |d| {
                add_jobs_queue(d);
                add_events_topic(d);
                d.edges.retain(|e| e.id.as_str() != "e-service-jobs-queue");
                with!(d, "rt-private", RouteTable, |t| t.routes.clear());
                d.nodes.push(endpoint_group(443));
                d.nodes.push(Node {
                    id: id("vpce-sns"),
                    name: "sns".into(),
                    kind: seed_endpoint(EndpointService::Sns),
                });
            },
        },
        Case {
            rule: 57,
            severity: Severity::Error,
            name: "queue-policy-refuses-the-topic",
            trigger: |d| {
                add_jobs_queue(d);
                add_events_topic(d);
                with!(d, "events-topic", SnsTopic, |t| t.subscriptions[0]
                    .queue_policy_allows =
                    false);
            },
            near_miss: add_events_topic_after_queue,
        },
        Case {
            rule: 57,
            severity: Severity::Error,
            name: "fifo-queue-on-a-standard-topic",
            trigger: |d| {
                add_jobs_queue(d);
                add_events_topic(d);
                with!(d, "events-topic", SnsTopic, |t| t.fifo = false);
            },
            near_miss: |d| {
                add_jobs_queue(d);
                add_events_topic(d);
                with!(d, "events-topic", SnsTopic, |t| t.fifo = false);
                with!(d, "jobs-queue", SqsQueue, |q| q.fifo = false);
            },
        },
        Case {
            rule: 58,
            severity: Severity::Error,
            name: "multi-az-cache-without-a-replica",
            trigger: |d| {
                add_sessions_cache(d);
                with!(d, "sessions-cache", ElasticacheCache, |c| c.replicas = 0);
            },
            near_miss: |d| {
                add_sessions_cache(d);
                with!(d, "sessions-cache", ElasticacheCache, |c| {
                    c.replicas = 0;
                    c.multi_az = false
                });
            },
        },
        Case {
            rule: 58,
            severity: Severity::Error,
            name: "multi-az-cache-in-one-zone",
            trigger: |d| {
                add_sessions_cache(d);
                with!(d, "sessions-cache", ElasticacheCache, |c| c
                    .subnets
                    .truncate(1));
            },
            near_miss: add_sessions_cache,
        },
        Case {
            rule: 56,
            severity: Severity::Error,
            name: "function-in-a-vpc-without-a-way-out",
            trigger: |d| {
                orders_function_only(d);
                with!(d, "rt-private", RouteTable, |t| t.routes.clear());
            },
            near_miss: |d| {
                orders_function_only(d);
                with!(d, "rt-private", RouteTable, |t| t.routes.clear());
                add_dynamodb_endpoint(d);
            },
        },
        Case {
            rule: 59,
            severity: Severity::Error,
            name: "function-refuses-the-load-balancer",
            trigger: |d| {
                orders_function_only(d);
                with!(d, "orders-fn", LambdaFunction, |f| f.invokers.clear());
            },
            near_miss: orders_function_only,
        },
        Case {
            rule: 59,
            severity: Severity::Error,
            name: "function-refuses-the-api",
            trigger: |d| {
                orders_function_only(d);
                add_orders_api(d);
                with!(d, "orders-fn", LambdaFunction, |f| f
                    .invokers
                    .retain(|i| i.as_str() != "orders-api"));
            },
            near_miss: |d| {
                orders_function_only(d);
                add_orders_api(d);
            },
        },
        Case {
            rule: 43,
            severity: Severity::Error,
            name: "vpc-link-closed-to-the-load-balancer",
            trigger: |d| {
                orders_function_only(d);
                add_orders_api(d);
                with!(d, "sg-vpc-link", SecurityGroup, |g| g.egress.clear());
            },
            near_miss: |d| {
                orders_function_only(d);
                add_orders_api(d);
            },
        },
        Case {
            rule: 61,
            severity: Severity::Error,
            name: "queue-hides-messages-shorter-than-the-function-works",
            trigger: |d| {
                add_jobs_queue(d);
                add_jobs_worker(d);
                with!(d, "jobs-worker", LambdaFunction, |f| f.timeout_seconds =
                    300);
            },
            near_miss: |d| {
                add_jobs_queue(d);
                add_jobs_worker(d);
            },
        },
        Case {
            rule: 60,
            severity: Severity::Error,
            name: "desired-capacity-outside-its-bounds",
            trigger: |d| {
                add_web_instances(d);
                with!(d, "web-asg", AutoScalingGroup, |g| g.desired_capacity = 5);
            },
            near_miss: add_web_instances,
        },
        Case {
            rule: 60,
            severity: Severity::Warning,
            name: "instances-in-one-zone",
            trigger: |d| {
                add_web_instances(d);
                with!(d, "web-asg", AutoScalingGroup, |g| g.subnets.truncate(1));
            },
            near_miss: add_web_instances,
        },
        Case {
            rule: 56,
            severity: Severity::Error,
            name: "secret-without-a-way-out",
            trigger: |d| {
                add_payments_secret(d);
                with!(d, "rt-private", RouteTable, |t| t.routes.clear());
            },
            near_miss: |d| {
                add_payments_secret(d);
                with!(d, "rt-private", RouteTable, |t| t.routes.clear());
                d.nodes.push(endpoint_group(443));
                d.nodes.push(Node {
                    id: id("vpce-secrets"),
                    name: "secretsmanager".into(),
                    kind: seed_endpoint(EndpointService::SecretsManager),
                });
            },
        },
        Case {
            rule: 62,
            severity: Severity::Warning,
            name: "secret-named-like-an-arn-suffix",
            trigger: |d| {
                add_payments_secret(d);
                with!(d, "payments-key", Secret, |s| s.secret_name =
                    "myapp/payments-apikey".into());
            },
            near_miss: add_payments_secret,
        },
        Case {
            rule: 63,
            severity: Severity::Error,
            name: "password-longer-than-the-engine-takes",
            trigger: |d| {
                add_orders_database(d, true);
                add_orders_credentials(d);
                with!(d, "orders-credentials", Secret, |s| s.password_length = 64);
            },
            near_miss: |d| {
                add_orders_database(d, true);
                add_orders_credentials(d);
                with!(d, "orders-credentials", Secret, |s| s.password_length = 41);
            },
        },
        Case {
            rule: 64,
            severity: Severity::Error,
            name: "web-acl-scope-unlike-what-it-protects",
            trigger: |d| add_firewall(d, WafScope::Regional, &["cdn"]),
            near_miss: |d| add_firewall(d, WafScope::Cloudfront, &["cdn"]),
        },
        Case {
            rule: 65,
            severity: Severity::Error,
            name: "target-group-port-unlike-the-instance-s",
            trigger: |d| {
                add_admin_instance(d);
                with!(d, "admin-server", Ec2Instance, |i| i.port = 9000);
            },
            near_miss: add_admin_instance,
        },
        Case {
            rule: 55,
            severity: Severity::Warning,
            name: "rds-single-zone-for-a-spread-service",
            trigger: |d| add_orders_database(d, false),
            near_miss: |d| add_orders_database(d, true),
        },
    ]
}

/// The orders table written by the orders function alone (the service's
/// line to it removed), which the load balancer invokes.
fn orders_function_only(diagram: &mut Diagram) {
    add_orders_table(diagram);
    add_orders_function(diagram, LambdaRuntime::Nodejs22);
    diagram
        .edges
        .retain(|e| e.id.as_str() != "e-service-orders-table");
}

/// The jobs queue and the events topic delivering to it, allowed.
fn add_events_topic_after_queue(diagram: &mut Diagram) {
    add_jobs_queue(diagram);
    add_events_topic(diagram);
}

/// A resource stackdraw does not model, next to the service that would
/// use it.
fn other_resource(diagram: &mut Diagram, kind: &str) {
    diagram.nodes.push(Node {
        id: id("clicks"),
        name: "clicks".into(),
        kind: NodeKind::OtherResource(OtherResource {
            resource_type: kind.into(),
            source_id: "ClickStream".into(),
            placeholder: false,
            note: String::new(),
            refers_to: vec![id("service")],
        }),
    });
}

fn allow(number: u16, ports: (u16, u16), block: &str) -> AclRule {
    crate::acl::rule(number, AclAction::Allow, Protocol::Tcp, ports, block)
}

fn everything(number: u16) -> AclRule {
    crate::acl::rule(number, AclAction::Allow, Protocol::All, (0, 0), "0.0.0.0/0")
}

/// The private tier serves the load balancer and the database port, and
/// calls out on 443 (with what `outbound` allows).
fn acl_on_private(d: &mut Diagram, outbound: Vec<AclRule>) {
    with_acl(
        d,
        "acl-app",
        &["subnet-private-a", "subnet-private-c"],
        vec![
            allow(100, (80, 80), "10.2.0.0/19"),
            allow(110, (3306, 3306), "10.2.0.0/16"),
            allow(120, (1024, 65535), "0.0.0.0/0"),
        ],
        outbound,
    );
}

/// A deny of SSH from anywhere, after (or before) a rule allowing all.
fn shadowed_ssh_deny(d: &mut Diagram, number: u16) {
    with_acl(
        d,
        "acl-public",
        &["subnet-public-a", "subnet-public-c"],
        vec![
            everything(100),
            crate::acl::rule(
                number,
                AclAction::Deny,
                Protocol::Tcp,
                (22, 22),
                "198.51.100.0/24",
            ),
        ],
        vec![everything(100)],
    );
}

/// The private tier denies one port from the VPC first, then allows all.
fn deny_before_all(d: &mut Diagram, port: u16) {
    with_acl(
        d,
        "acl-app",
        &["subnet-private-a", "subnet-private-c"],
        vec![
            crate::acl::rule(
                50,
                AclAction::Deny,
                Protocol::Tcp,
                (port, port),
                "10.2.0.0/16",
            ),
            everything(100),
        ],
        vec![everything(100)],
    );
}

/// Two allow-all ACLs: one on the private subnet of zone a, the other on
/// `second`.
fn two_acls(d: &mut Diagram, second: &str) {
    with_acl(
        d,
        "acl-one",
        &["subnet-private-a"],
        vec![everything(100)],
        vec![everything(100)],
    );
    with_acl(
        d,
        "acl-two",
        &[second],
        vec![everything(100)],
        vec![everything(100)],
    );
}

/// Aurora in the public subnets, publicly accessible, open to 0.0.0.0/0.
fn open_database(diagram: &mut Diagram) {
    with!(diagram, "db", AuroraCluster, |a| {
        a.subnets = vec![id("subnet-public-a"), id("subnet-public-c")];
        a.publicly_accessible = true;
    });
    with!(diagram, "sg-db", SecurityGroup, |g| g.ingress.push(
        SecurityGroupRule {
            protocol: Protocol::Tcp,
            from_port: 3306,
            to_port: 3306,
            peer: Peer::Cidr(cidr("0.0.0.0/0")),
            description: String::new(),
        }
    ));
}

fn fixture_name(case: &Case, variant: &str) -> String {
    format!("rules/VR-{}-{}.{variant}.json", case.rule, case.name)
}

fn has(diagram: &Diagram, rule: u8, severity: Severity) -> bool {
    validate(diagram)
        .iter()
        .any(|d| d.rule == rule && d.severity == severity)
}

#[test]
fn every_rule_has_a_trigger_and_a_near_miss() {
    let cases = cases();
    for case in &cases {
        for (variant, mutation, expected) in [
            ("trigger", case.trigger, true),
            ("near-miss", case.near_miss, false),
        ] {
            let mut diagram = templates::seed();
            diagram.name = format!("VR-{} {} ({variant})", case.rule, case.name);
            mutation(&mut diagram);
            let file = fixture_name(case, variant);
            assert_matches_file(&file, &encode_file(&diagram));
            let diagram =
                decode_file(&read_fixture(&file)).unwrap_or_else(|error| panic!("{file}: {error}"));
            let found = has(&diagram, case.rule, case.severity);
            assert_eq!(
                found,
                expected,
                "{file}: expected VR-{} ({}) to be {}; got {:#?}",
                case.rule,
                case.severity,
                if expected { "reported" } else { "absent" },
                validate(&diagram)
                    .iter()
                    .map(|d| format!("VR-{} {}", d.rule, d.message))
                    .collect::<Vec<_>>()
            );
        }
    }
    // The catalogue in docs/rules.md: every rule id has its case.
    let covered: std::collections::BTreeSet<u8> = cases.iter().map(|case| case.rule).collect();
    let catalogue = [
        1, 2, 3, 4, 5, 6, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 21, 22, 23, 24, 25, 26, 27,
        28, 29, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47, 48, 49, 50, 51,
        52, 53, 54,
    ];
    for rule in catalogue {
        assert!(covered.contains(&rule), "VR-{rule} has no fixture");
    }
}

#[test]
fn no_stale_rule_fixtures() {
    let expected: std::collections::BTreeSet<String> = cases()
        .iter()
        .flat_map(|case| {
            [
                fixture_name(case, "trigger"),
                fixture_name(case, "near-miss"),
            ]
        })
        .map(|name| name.trim_start_matches("rules/").to_string())
        .collect();
    let on_disk: std::collections::BTreeSet<String> = std::fs::read_dir(fixture_path("rules"))
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(on_disk, expected);
}

#[test]
fn every_fix_clears_its_diagnostic_and_undoes_exactly() {
    let mut fixes_tried = 0;
    for case in cases() {
        let mut diagram = templates::seed();
        (case.trigger)(&mut diagram);
        for diagnostic in validate(&diagram)
            .into_iter()
            .filter(|d| d.rule == case.rule)
        {
            for fix in diagnostic.fixes() {
                let mut working = diagram.clone();
                let mut history = History::new();
                history
                    .execute(&mut working, fix.command.clone())
                    .unwrap_or_else(|error| {
                        panic!("VR-{} fix {:?}: {error}", case.rule, fix.label)
                    });
                let after = validate(&working);
                assert!(
                    !after
                        .iter()
                        .any(|d| d.rule == diagnostic.rule && d.message == diagnostic.message),
                    "VR-{}: {:?} did not clear {:?}",
                    case.rule,
                    fix.label,
                    diagnostic.message
                );
                assert!(history.undo(&mut working));
                assert_eq!(
                    working, diagram,
                    "VR-{}: undoing {:?} restores the diagram",
                    case.rule, fix.label
                );
                assert!(history.redo(&mut working));
                assert!(!validate(&working)
                    .iter()
                    .any(|d| d.message == diagnostic.message));
                fixes_tried += 1;
            }
        }
    }
    assert!(fixes_tried >= 15, "only {fixes_tried} fixes were exercised");
}

#[test]
fn the_seed_has_no_errors_and_every_flow_gets_through() {
    let analysis = analyze(&templates::seed());
    let errors: Vec<&str> = analysis
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| d.message.as_str())
        .collect();
    assert!(errors.is_empty(), "{errors:#?}");
    assert_eq!(
        analysis.flows.len(),
        templates::seed().edges.len() + 3,
        "drawn flows + image pull + secrets at task start + CDN origin"
    );
    for flow in &analysis.flows {
        assert!(
            flow.reachable,
            "{} is blocked: {:?}",
            flow.description, flow.blocked
        );
        assert!(flow.hops.len() >= 2);
    }
    assert!(analysis.scopes.iter().all(|scope| scope.holds));
    assert_eq!(analysis.scopes.len(), 2);
}

#[test]
fn diagnostics_are_deterministic_and_sorted_by_severity() {
    let mut diagram = templates::seed();
    (cases()[7].trigger)(&mut diagram);
    let first = validate(&diagram);
    assert_eq!(first, validate(&diagram));
    let severities: Vec<Severity> = first.iter().map(|d| d.severity).collect();
    let mut sorted = severities.clone();
    sorted.sort();
    assert_eq!(severities, sorted);
}

#[test]
fn a_diagram_that_makes_no_sense_still_gets_diagnostics_not_a_panic() {
    // References to nodes of the wrong kind and empty lists are kept out by the
    // file reader, but a diagram built in memory can hold anything.
    let mut diagram = templates::seed();
    for node in &mut diagram.nodes {
        match &mut node.kind {
            NodeKind::Subnet(subnet) => subnet.vpc = id("alb"),
            NodeKind::LoadBalancer(alb) => {
                alb.subnets = vec![id("db"), id("nowhere")];
                alb.listeners.clear();
            }
            NodeKind::FargateService(service) => {
                service.subnets.clear();
                service.cpu = 0;
            }
            NodeKind::RouteTable(table) => table.routes[0].target = id("service"),
            _ => {}
        }
    }
    let analysis = analyze(&diagram);
    assert!(analysis.has_errors());
}

/// A fix label pattern from docs/rules.md: `{…}` stands for any text.
fn label_matches(pattern: &str, label: &str) -> bool {
    let mut parts = Vec::new();
    let mut rest = pattern;
    while let Some(open) = rest.find('{') {
        parts.push(&rest[..open]);
        rest = rest[open..].split_once('}').map_or("", |(_, after)| after);
    }
    parts.push(rest);
    let Some(mut remaining) = label.strip_prefix(parts[0]) else {
        return false;
    };
    if parts.len() == 1 {
        return remaining.is_empty();
    }
    for (at, part) in parts.iter().enumerate().skip(1) {
        let last = at == parts.len() - 1;
        if last {
            return remaining.len() > part.len() && remaining.ends_with(part);
        }
        match remaining.get(1..).and_then(|r| r.find(part)) {
            Some(found) => remaining = &remaining[found + 1 + part.len()..],
            None => return false,
        }
    }
    false
}

#[test]
fn the_fix_column_of_the_rules_matches_what_is_offered() {
    let doc = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/rules.md"),
    )
    .unwrap();
    let mut columns: std::collections::BTreeMap<u8, String> = Default::default();
    for line in doc.lines().filter(|l| l.starts_with("| VR-")) {
        let cells: Vec<&str> = line.trim_matches('|').split(" | ").map(str::trim).collect();
        assert_eq!(cells.len(), 4, "every rule has a fix column: {line}");
        let rule: u8 = cells[0].trim_start_matches("VR-").parse().unwrap();
        assert!(
            !cells[3].is_empty(),
            "VR-{rule}: name its fix, or `none:` and why"
        );
        columns.insert(rule, cells[3].to_string());
    }
    let mut checked = 0;
    for case in cases() {
        let column = &columns[&case.rule];
        let (offered, none) = match column.split_once("none:") {
            Some((before, why)) => {
                assert!(
                    why.trim().len() > 10,
                    "VR-{}: say why there is no fix",
                    case.rule
                );
                (before, true)
            }
            None => (column.as_str(), false),
        };
        let patterns: Vec<&str> = offered.split('`').skip(1).step_by(2).collect();
        let mut diagram = templates::seed();
        (case.trigger)(&mut diagram);
        let diagnostics: Vec<_> = validate(&diagram)
            .into_iter()
            .filter(|d| d.rule == case.rule && d.severity == case.severity)
            .collect();
        for diagnostic in &diagnostics {
            let mut last = None;
            let fixes: Vec<_> = diagnostic.fixes().collect();
            assert!(
                !fixes.is_empty() || none,
                "VR-{}: rules.md names a fix for every case, but {:?} offers none",
                case.rule,
                diagnostic.message
            );
            for fix in fixes {
                let at = patterns
                    .iter()
                    .position(|p| label_matches(p, &fix.label))
                    .unwrap_or_else(|| {
                        panic!(
                            "VR-{}: {:?} is offered but rules.md does not name it ({column})",
                            case.rule, fix.label
                        )
                    });
                assert!(
                    last.is_none_or(|l| l < at),
                    "VR-{}: {:?} comes before a fix rules.md prefers",
                    case.rule,
                    fix.label
                );
                last = Some(at);
                checked += 1;
            }
        }
    }
    assert!(
        checked >= 30,
        "only {checked} offered fixes were held to the column"
    );
    assert!(label_matches("Use {block}", "Use 10.0.0.0/16"));
    assert!(!label_matches("Use {block}", "Use"));
    assert!(label_matches("Make {subnet} public", "Make \"a\" public"));
    assert!(!label_matches("Make {subnet} public", "Make \"a\" private"));
}
