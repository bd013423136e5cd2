//! Dropping a new building block on the canvas. Where it lands decides what
//! it belongs to: a subnet dropped in a VPC joins that VPC with the next free
//! block and zone; a resource dropped in a subnet is placed in it. A drop
//! where the kind cannot live is refused with the reason.

use super::create::{add_subnet, fresh_id};
use super::Command;
use crate::domain::export::names::slug;
use crate::domain::model::*;

/// Side of a resource icon.
pub const ICON: f64 = 64.0;
/// Default size of a new VPC and of a new subnet.
pub const VPC_SIZE: (f64, f64) = (720.0, 460.0);
pub const SUBNET_SIZE: (f64, f64) = (300.0, 170.0);
/// Space kept between a container's border and what it holds.
pub const PADDING: f64 = 24.0;
/// Room for a container's title and subtitle above its contents.
pub const HEADER: f64 = 52.0;

/// The innermost container (a subnet before its VPC) whose box holds `point`.
pub fn container_at(diagram: &Diagram, point: (f64, f64)) -> Option<&Node> {
    let inside = |node: &&Node| {
        diagram
            .layout
            .get(&node.id)
            .is_some_and(|rect| contains(rect, point))
    };
    diagram
        .nodes_of(KindTag::Subnet)
        .filter(inside)
        .last()
        .or_else(|| diagram.nodes_of(KindTag::Vpc).filter(inside).last())
}

pub fn contains(rect: &Rect, (x, y): (f64, f64)) -> bool {
    x >= rect.x && x <= rect.right() && y >= rect.y && y <= rect.bottom()
}

/// Where a drop landed, resolved to the VPC and subnet under it.
struct Landing<'a> {
    vpc: Option<&'a Node>,
    subnet: Option<&'a Node>,
}

fn landing(diagram: &Diagram, point: (f64, f64)) -> Landing<'_> {
    match container_at(diagram, point) {
        Some(node) => match &node.kind {
            NodeKind::Subnet(subnet) => Landing {
                vpc: diagram.node(&subnet.vpc),
                subnet: Some(node),
            },
            _ => Landing {
                vpc: Some(node),
                subnet: None,
            },
        },
        None => Landing {
            vpc: None,
            subnet: None,
        },
    }
}

/// Where each kind is meant to be dropped: the palette item's hint. What
/// [`place`] refuses elsewhere says why.
pub fn drop_hint(kind: KindTag) -> &'static str {
    match kind {
        KindTag::Vpc => "Drop on the canvas",
        KindTag::Subnet => "Drop inside a VPC",
        KindTag::InternetGateway
        | KindTag::RouteTable
        | KindTag::VpcEndpoint
        | KindTag::SecurityGroup => "Drop onto a VPC",
        KindTag::NatGateway
        | KindTag::LoadBalancer
        | KindTag::FargateService
        | KindTag::AuroraCluster
        | KindTag::RdsInstance
        | KindTag::ElasticacheCache
        | KindTag::AutoScalingGroup
        | KindTag::Ec2Instance
        | KindTag::Bastion => "Drop inside a subnet",
        KindTag::VpcPeering => "Drop between two VPCs",
        KindTag::NetworkAcl => "Drop onto the subnet it filters",
        KindTag::LambdaFunction => {
            "Drop outside the VPCs, or inside a subnet to reach its resources"
        }
        _ => "Drop outside the VPCs",
    }
}

/// A new node of `kind` dropped with its centre at `point`, as one command
/// (the node, plus the security group a networked resource needs). Returns
/// the new node's id with the command.
pub fn place(
    diagram: &Diagram,
    kind: KindTag,
    point: (f64, f64),
) -> Result<(Command, NodeId), String> {
    let land = landing(diagram, point);
    let label = kind.label();
    let icon = Rect::new(point.0 - ICON / 2.0, point.1 - ICON / 2.0, ICON, ICON);
    let outside_vpcs = || -> Result<(), String> {
        match land.vpc {
            Some(vpc) => Err(format!(
                "{label} is not part of a VPC; drop it on the canvas outside {:?}",
                vpc.name
            )),
            None => Ok(()),
        }
    };
    let in_subnet = || -> Result<(&Node, &Node), String> {
        match (land.vpc, land.subnet) {
            (Some(vpc), Some(subnet)) => Ok((vpc, subnet)),
            _ => Err(format!("{label} must be dropped inside a subnet")),
        }
    };
    let in_vpc = || -> Result<&Node, String> {
        land.vpc
            .ok_or_else(|| format!("{label} must be dropped inside a VPC"))
    };
    let base = base_id(kind);
    let id = fresh_id(diagram, base).ok_or("too many nodes of this kind")?;
    let mut extra = Vec::new();
    let mut rect = icon;
    let node_kind = match kind {
        KindTag::Vpc => {
            if let Some(vpc) = land.vpc {
                return Err(format!(
                    "a VPC cannot sit inside another VPC ({:?}); drop it on the bare canvas",
                    vpc.name
                ));
            }
            rect = Rect::new(
                point.0 - VPC_SIZE.0 / 2.0,
                point.1 - HEADER,
                VPC_SIZE.0,
                VPC_SIZE.1,
            );
            NodeKind::Vpc(Vpc {
                cidr: next_vpc_block(diagram).ok_or("every 10.x.0.0/16 block is taken")?,
                secondary_cidrs: Vec::new(),
                dns_support: true,
                dns_hostnames: true,
            })
        }
        KindTag::Subnet => {
            let vpc = in_vpc().map_err(|_| "a subnet must be dropped inside a VPC".to_string())?;
            let rect = Rect::new(
                point.0 - SUBNET_SIZE.0 / 2.0,
                point.1 - HEADER / 2.0,
                SUBNET_SIZE.0,
                SUBNET_SIZE.1,
            );
            let command = add_subnet(diagram, &vpc.id, rect)?;
            let id = match &command {
                Command::AddNode { node, .. } => node.id.clone(),
                _ => return Err("unexpected subnet command".into()),
            };
            let mut after = diagram.clone();
            super::apply(&mut after, command.clone()).map_err(|e| e.to_string())?;
            let mut commands = vec![command];
            commands.extend(super::arrange::grow_containers(
                &after,
                std::iter::once(&id),
            ));
            return Ok((Command::Batch(commands), id));
        }
        KindTag::InternetGateway => {
            let vpc = in_vpc()
                .map_err(|_| "drop an internet gateway onto the VPC it serves".to_string())?;
            if let Some(existing) = diagram.nodes.iter().find(|node| {
                matches!(&node.kind, NodeKind::InternetGateway(igw) if igw.vpc.as_ref() == Some(&vpc.id))
            }) {
                return Err(format!(
                    "VPC {:?} already has an internet gateway ({:?}); a VPC takes one",
                    vpc.name, existing.name
                ));
            }
            NodeKind::InternetGateway(InternetGateway {
                vpc: Some(vpc.id.clone()),
            })
        }
        KindTag::NatGateway => {
            let (_, subnet) = in_subnet()?;
            NodeKind::NatGateway(NatGateway {
                subnet: subnet.id.clone(),
                connectivity: NatConnectivity::Public,
                elastic_ip: true,
            })
        }
        KindTag::RouteTable => NodeKind::RouteTable(RouteTable {
            vpc: in_vpc()?.id.clone(),
            routes: Vec::new(),
        }),
        KindTag::VpcEndpoint => NodeKind::VpcEndpoint(VpcEndpoint {
            vpc: in_vpc()?.id.clone(),
            service: EndpointService::S3,
            route_tables: route_tables_of(diagram, &in_vpc()?.id),
            subnets: Vec::new(),
            security_groups: Vec::new(),
        }),
        KindTag::SecurityGroup => NodeKind::SecurityGroup(SecurityGroup {
            vpc: in_vpc()?.id.clone(),
            description: "Security group".into(),
            ingress: Vec::new(),
            egress: vec![SecurityGroupRule::allow_all_egress()],
        }),
        KindTag::NetworkAcl => {
            // Dropped onto a subnet, it takes that subnet from whichever ACL
            // held it. It starts as AWS's default ACL does, allowing all, so
            // adding one blocks nothing until its rules are narrowed.
            let vpc = in_vpc()?;
            let subnets = land.subnet.map(|subnet| subnet.id.clone());
            if let Some(subnet) = &subnets {
                extra.extend(super::relate::release_from_acls(diagram, subnet));
            }
            NodeKind::NetworkAcl(NetworkAcl {
                vpc: vpc.id.clone(),
                subnets: subnets.into_iter().collect(),
                inbound: vec![AclRule::allow_all()],
                outbound: vec![AclRule::allow_all()],
            })
        }
        KindTag::VpcPeering => {
            outside_vpcs()?;
            let mut vpcs: Vec<(&Node, f64)> = diagram
                .nodes_of(KindTag::Vpc)
                .map(|vpc| (vpc, distance_to(diagram, &vpc.id, point)))
                .collect();
            if vpcs.len() < 2 {
                return Err("a peering joins two VPCs; draw a second VPC first".into());
            }
            crate::domain::sorting::sort_by(&mut vpcs, |a, b| a.1.total_cmp(&b.1));
            NodeKind::VpcPeering(VpcPeering {
                requester: vpcs[0].0.id.clone(),
                accepter: vpcs[1].0.id.clone(),
            })
        }
        KindTag::LoadBalancer => {
            let (vpc, subnet) = in_subnet()?;
            let public = diagram.is_public_subnet(&subnet.id);
            let group = security_group_for(diagram, &id, vpc, &mut extra)?;
            NodeKind::LoadBalancer(LoadBalancer {
                scheme: if public {
                    LoadBalancerScheme::InternetFacing
                } else {
                    LoadBalancerScheme::Internal
                },
                subnets: one_per_zone(diagram, vpc, subnet),
                security_groups: vec![group],
                listeners: vec![Listener {
                    port: 80,
                    protocol: ListenerProtocol::Http,
                    certificate: None,
                    action: ListenerAction::Forward("app".into()),
                }],
                target_groups: vec![TargetGroup {
                    name: "app".into(),
                    protocol: ListenerProtocol::Http,
                    port: 80,
                    target_type: TargetType::Ip,
                    health_check: HealthCheck {
                        path: Some("/health".into()),
                        ..HealthCheck::default()
                    },
                    target: None,
                }],
            })
        }
        KindTag::EcsCluster => {
            outside_vpcs()?;
            NodeKind::EcsCluster(EcsCluster {
                container_insights: true,
            })
        }
        KindTag::FargateService => {
            let (vpc, subnet) = in_subnet()?;
            let group = security_group_for(diagram, &id, vpc, &mut extra)?;
            NodeKind::FargateService(FargateService {
                cluster: diagram
                    .nodes_of(KindTag::EcsCluster)
                    .next()
                    .map(|c| c.id.clone()),
                cpu: 256,
                memory: 512,
                containers: vec![Container {
                    name: "app".into(),
                    image: ContainerImage::Registry("public.ecr.aws/nginx/nginx:stable".into()),
                    port: Some(80),
                    essential: true,
                    environment: Vec::new(),
                    secrets: Vec::new(),
                }],
                desired_count: 2,
                subnets: one_per_zone(diagram, vpc, subnet),
                security_groups: vec![group],
                assign_public_ip: false,
                min_healthy_percent: 100,
                max_percent: 200,
            })
        }
        KindTag::AuroraCluster => {
            let (vpc, subnet) = in_subnet()?;
            let group = security_group_for(diagram, &id, vpc, &mut extra)?;
            NodeKind::AuroraCluster(AuroraCluster {
                engine: AuroraEngine::AuroraMysql,
                engine_version: "8.0.mysql_aurora.3.08.0".into(),
                port: 3306,
                database_name: "app".into(),
                master_username: "admin".into(),
                manage_master_password: true,
                storage_encrypted: true,
                publicly_accessible: false,
                instance_class: "db.t4g.medium".into(),
                instance_count: 2,
                subnets: one_per_zone(diagram, vpc, subnet),
                security_groups: vec![group],
            })
        }
        KindTag::RdsInstance => {
            // Multi-AZ, as AWS's production template starts; the subnet
            // group takes a subnet of this tier in each zone.
            let (vpc, subnet) = in_subnet()?;
            let group = security_group_for(diagram, &id, vpc, &mut extra)?;
            NodeKind::RdsInstance(RdsInstance {
                engine: RdsEngine::Postgres,
                engine_version: RdsEngine::Postgres.default_version().into(),
                instance_class: "db.t4g.micro".into(),
                allocated_storage: 20,
                multi_az: true,
                port: 5432,
                database_name: "app".into(),
                master_username: "app_admin".into(),
                storage_encrypted: true,
                publicly_accessible: false,
                subnets: one_per_zone(diagram, vpc, subnet),
                security_groups: vec![group],
            })
        }
        KindTag::ElasticacheCache => {
            // A primary and a replica in another zone, failing over
            // automatically; the subnet group takes a subnet of this tier
            // in each zone.
            let (vpc, subnet) = in_subnet()?;
            let group = security_group_for(diagram, &id, vpc, &mut extra)?;
            NodeKind::ElasticacheCache(ElasticacheCache {
                engine: CacheEngine::Valkey,
                engine_version: CacheEngine::Valkey.default_version().into(),
                node_type: "cache.t4g.micro".into(),
                replicas: 1,
                multi_az: true,
                port: 6379,
                transit_encryption: true,
                subnets: one_per_zone(diagram, vpc, subnet),
                security_groups: vec![group],
            })
        }
        KindTag::LambdaFunction => {
            // Outside the VPCs it reaches AWS's APIs and the internet
            // directly; in a subnet it gets interfaces in that tier's subnet
            // of each zone and a group of its own, as a service does.
            let (subnets, security_groups) = match (land.vpc, land.subnet) {
                (None, _) => (Vec::new(), Vec::new()),
                (Some(vpc), Some(subnet)) => (
                    one_per_zone(diagram, vpc, subnet),
                    vec![security_group_for(diagram, &id, vpc, &mut extra)?],
                ),
                (Some(vpc), None) => {
                    return Err(format!(
                        "{label} attaches to subnets: drop it inside a subnet of {:?} to reach what is in the VPC, or on the canvas outside the VPCs",
                        vpc.name
                    ))
                }
            };
            NodeKind::LambdaFunction(LambdaFunction {
                function_name: format!("{}-{}", slug(&diagram.name, 40), id),
                runtime: LambdaRuntime::Nodejs22,
                memory_mb: 512,
                timeout_seconds: 30,
                subnets,
                security_groups,
                invokers: Vec::new(),
                event_sources: Vec::new(),
            })
        }
        KindTag::AutoScalingGroup => {
            // Two instances across that tier's subnet in each zone, able
            // to grow to four: a web server on port 80.
            let (vpc, subnet) = in_subnet()?;
            let group = security_group_for(diagram, &id, vpc, &mut extra)?;
            NodeKind::AutoScalingGroup(AutoScalingGroup {
                instance_type: "t3.micro".into(),
                min_size: 2,
                max_size: 4,
                desired_capacity: 2,
                port: 80,
                subnets: one_per_zone(diagram, vpc, subnet),
                security_groups: vec![group],
            })
        }
        KindTag::Ec2Instance => {
            // A web server on port 80 in the subnet it is dropped in.
            let (vpc, subnet) = in_subnet()?;
            let group = security_group_for(diagram, &id, vpc, &mut extra)?;
            NodeKind::Ec2Instance(Ec2Instance {
                instance_type: "t3.micro".into(),
                subnet: subnet.id.clone(),
                security_groups: vec![group],
                port: 80,
                public_ip: false,
            })
        }
        KindTag::Bastion => {
            let (vpc, subnet) = in_subnet()?;
            let group = security_group_for(diagram, &id, vpc, &mut extra)?;
            NodeKind::Bastion(Bastion {
                instance_type: "t3.micro".into(),
                subnet: subnet.id.clone(),
                security_groups: vec![group],
                key_pair: None,
                public_ip: true,
            })
        }
        KindTag::S3Bucket => {
            outside_vpcs()?;
            NodeKind::S3Bucket(S3Bucket {
                bucket_name: format!("{}-{}", slug(&diagram.name, 30), id),
                block_public_access: true,
                versioning: true,
                website_hosting: false,
            })
        }
        KindTag::DynamodbTable => {
            outside_vpcs()?;
            NodeKind::DynamodbTable(DynamodbTable {
                table_name: format!("{}-{}", slug(&diagram.name, 30), id),
                partition_key: KeyAttribute {
                    name: "id".into(),
                    attribute_type: KeyType::String,
                },
                sort_key: None,
                point_in_time_recovery: true,
            })
        }
        KindTag::SqsQueue => {
            outside_vpcs()?;
            // SQS's defaults: 30 s hidden after a receive, kept four days.
            NodeKind::SqsQueue(SqsQueue {
                queue_name: format!("{}-{}", slug(&diagram.name, 30), id),
                fifo: false,
                visibility_timeout_seconds: 30,
                message_retention_seconds: 345_600,
            })
        }
        KindTag::HttpApi => {
            outside_vpcs()?;
            NodeKind::HttpApi(HttpApi {
                api_name: format!("{}-{}", slug(&diagram.name, 40), id),
                routes: Vec::new(),
                vpc_link_subnets: Vec::new(),
                vpc_link_security_groups: Vec::new(),
            })
        }
        KindTag::SnsTopic => {
            outside_vpcs()?;
            NodeKind::SnsTopic(SnsTopic {
                topic_name: format!("{}-{}", slug(&diagram.name, 30), id),
                fifo: false,
                subscriptions: Vec::new(),
            })
        }
        KindTag::Secret => {
            outside_vpcs()?;
            NodeKind::Secret(Secret {
                secret_name: format!("{}/{}", slug(&diagram.name, 30), id),
                password_length: 32,
                database: None,
            })
        }
        KindTag::WebAcl => {
            outside_vpcs()?;
            // AWS's baseline: the common rules, known bad inputs and the IP
            // reputation list, and 2,000 requests per address in 5 minutes.
            NodeKind::WebAcl(WebAcl {
                scope: WafScope::Regional,
                common_rules: true,
                known_bad_inputs: true,
                ip_reputation: true,
                sql_injection: false,
                rate_limit: Some(2000),
                protects: Vec::new(),
            })
        }
        KindTag::CloudFront => {
            outside_vpcs()?;
            NodeKind::CloudFront(CloudFront {
                origins: diagram
                    .nodes_of(KindTag::S3Bucket)
                    .next()
                    .map(|bucket| CloudFrontOrigin {
                        target: bucket.id.clone(),
                        path_pattern: None,
                        access: OriginAccess::Oac,
                    })
                    .into_iter()
                    .collect(),
                aliases: Vec::new(),
                certificate: None,
                default_root_object: "index.html".into(),
                price_class: PriceClass::default(),
            })
        }
        KindTag::Route53Zone => {
            outside_vpcs()?;
            NodeKind::Route53Zone(Route53Zone {
                domain_name: "example.com".into(),
                records: Vec::new(),
            })
        }
        KindTag::AcmCertificate => {
            outside_vpcs()?;
            NodeKind::AcmCertificate(AcmCertificate {
                domain_name: "example.com".into(),
                subject_alternative_names: Vec::new(),
                region: diagram.region.clone(),
                validation_zone: diagram
                    .nodes_of(KindTag::Route53Zone)
                    .next()
                    .map(|z| z.id.clone()),
            })
        }
        KindTag::EcrRepository => {
            outside_vpcs()?;
            NodeKind::EcrRepository(EcrRepository {
                repository_name: id.to_string(),
                scan_on_push: true,
                immutable_tags: true,
            })
        }
        KindTag::Pipeline => {
            outside_vpcs()?;
            NodeKind::Pipeline(Pipeline {
                branch: "main".into(),
                context: "aws-deploy".into(),
                auth: PipelineAuth::OidcRole(format!("{}-deploy", slug(&diagram.name, 30))),
                deploys: Vec::new(),
                frontend: None,
            })
        }
        KindTag::Internet => {
            outside_vpcs()?;
            NodeKind::Internet(Internet {})
        }
        KindTag::ExternalClient => {
            outside_vpcs()?;
            NodeKind::ExternalClient(ExternalClient {
                // TEST-NET-3 (RFC 5737): a placeholder nobody owns.
                cidr: Cidr::parse("203.0.113.10/32").map_err(|e| e.to_string())?,
            })
        }
        // A service stackdraw does not model yet, sketched: drawn and
        // listed by the exports, not analysed.
        KindTag::OtherResource => {
            outside_vpcs()?;
            NodeKind::OtherResource(OtherResource {
                resource_type: "AWS::SNS::Topic".into(),
                source_id: String::new(),
                placeholder: false,
                note: String::new(),
                refers_to: Vec::new(),
            })
        }
    };
    let node = Node {
        id: id.clone(),
        name: id.to_string(),
        kind: node_kind,
    };
    let mut commands = extra;
    let add = Command::AddNode {
        node,
        rect: Some(rect),
        index: None,
    };
    commands.push(add.clone());
    let mut after = diagram.clone();
    super::apply(&mut after, Command::Batch(commands.clone())).map_err(|e| e.to_string())?;
    // What is dropped near a border stays inside its container.
    commands.extend(super::arrange::grow_containers(
        &after,
        std::iter::once(&id),
    ));
    Ok((Command::Batch(commands), id))
}

/// The stem of a new node's id and name.
pub fn base_id(kind: KindTag) -> &'static str {
    match kind {
        KindTag::Vpc => "vpc",
        KindTag::Subnet => "subnet",
        KindTag::InternetGateway => "igw",
        KindTag::NatGateway => "nat",
        KindTag::RouteTable => "rt",
        KindTag::VpcEndpoint => "endpoint",
        KindTag::SecurityGroup => "sg",
        KindTag::VpcPeering => "peering",
        KindTag::NetworkAcl => "acl",
        KindTag::LoadBalancer => "alb",
        KindTag::EcsCluster => "cluster",
        KindTag::FargateService => "service",
        KindTag::AuroraCluster => "aurora",
        KindTag::RdsInstance => "database",
        KindTag::ElasticacheCache => "cache",
        KindTag::DynamodbTable => "table",
        KindTag::SqsQueue => "queue",
        KindTag::SnsTopic => "topic",
        KindTag::LambdaFunction => "function",
        KindTag::HttpApi => "api",
        KindTag::AutoScalingGroup => "asg",
        KindTag::Ec2Instance => "instance",
        KindTag::Secret => "secret",
        KindTag::WebAcl => "waf",
        KindTag::Bastion => "bastion",
        KindTag::S3Bucket => "bucket",
        KindTag::CloudFront => "cdn",
        KindTag::Route53Zone => "zone",
        KindTag::AcmCertificate => "cert",
        KindTag::EcrRepository => "ecr",
        KindTag::Pipeline => "pipeline",
        KindTag::Internet => "internet",
        KindTag::ExternalClient => "client",
        KindTag::OtherResource => "resource",
    }
}

/// The first 10.x.0.0/16 no VPC of the diagram overlaps.
fn next_vpc_block(diagram: &Diagram) -> Option<Cidr> {
    let taken: Vec<Cidr> = diagram
        .nodes
        .iter()
        .filter_map(|node| match &node.kind {
            NodeKind::Vpc(vpc) => Some(vpc.cidr),
            _ => None,
        })
        .collect();
    (0..=255u8)
        .filter_map(|second| Cidr::new(std::net::Ipv4Addr::new(10, second, 0, 0), 16).ok())
        .find(|block| taken.iter().all(|other| !other.overlaps(block)))
}

/// The drop subnet and, for each other zone, the first subnet of the VPC with
/// the same routing (public or not): load balancers, services and databases
/// span zones, and a person dropping one into a public subnet means "the
/// public tier".
fn one_per_zone(diagram: &Diagram, vpc: &Node, dropped: &Node) -> Vec<NodeId> {
    let public = diagram.is_public_subnet(&dropped.id);
    let mut zones = Vec::new();
    let mut chosen = vec![dropped.id.clone()];
    if let NodeKind::Subnet(subnet) = &dropped.kind {
        zones.push(subnet.az.clone());
    }
    for node in diagram.nodes_of(KindTag::Subnet) {
        if let NodeKind::Subnet(subnet) = &node.kind {
            if subnet.vpc == vpc.id
                && !zones.contains(&subnet.az)
                && diagram.is_public_subnet(&node.id) == public
            {
                zones.push(subnet.az.clone());
                chosen.push(node.id.clone());
            }
        }
    }
    chosen
}

/// Adds (to `extra`) a security group of its own for a new resource; drawn
/// edges later add the rules it needs.
pub(super) fn security_group_for(
    diagram: &Diagram,
    owner: &NodeId,
    vpc: &Node,
    extra: &mut Vec<Command>,
) -> Result<NodeId, String> {
    let id = fresh_id(diagram, &format!("{owner}-sg")).ok_or("too many security groups")?;
    extra.push(Command::AddNode {
        node: Node {
            id: id.clone(),
            name: format!("{owner}-sg"),
            kind: NodeKind::SecurityGroup(SecurityGroup {
                vpc: vpc.id.clone(),
                description: format!("Traffic of {owner}"),
                ingress: Vec::new(),
                egress: vec![SecurityGroupRule::allow_all_egress()],
            }),
        },
        rect: None,
        index: None,
    });
    Ok(id)
}

fn route_tables_of(diagram: &Diagram, vpc: &NodeId) -> Vec<NodeId> {
    diagram
        .nodes
        .iter()
        .filter(|node| matches!(&node.kind, NodeKind::RouteTable(table) if &table.vpc == vpc))
        .map(|node| node.id.clone())
        .collect()
}

fn distance_to(diagram: &Diagram, id: &NodeId, (x, y): (f64, f64)) -> f64 {
    diagram.layout.get(id).map_or(f64::INFINITY, |rect| {
        let (cx, cy) = rect.center();
        (cx - x).hypot(cy - y)
    })
}

/// A block added from the keyboard: in the selected container (at its
/// centre, or the nearest free spot in it), else near `centre` (the middle
/// of the view), wherever it lands without covering another block. The
/// same rules as a drop apply; the first refusal is the reason given when
/// no spot will do.
pub fn place_near(
    diagram: &Diagram,
    kind: KindTag,
    container: Option<&NodeId>,
    centre: (f64, f64),
) -> Result<(Command, NodeId), String> {
    let inside = container.and_then(|id| diagram.layout.get(id).map(|rect| (id, *rect)));
    let origin = inside.map_or(centre, |(_, rect)| rect.center());
    let mut first_refusal = None;
    // A square spiral of grid steps around the origin.
    let step = 40.0;
    let (mut x, mut y, mut dx, mut dy) = (0i32, 0i32, 0i32, -1i32);
    for _ in 0..1600 {
        let point = (
            super::arrange::snap(origin.0 + f64::from(x) * step),
            super::arrange::snap(origin.1 + f64::from(y) * step),
        );
        let in_bounds = inside.is_none_or(|(_, rect)| contains(&rect, point));
        if in_bounds {
            match place(diagram, kind, point) {
                Ok((command, id)) => {
                    let mut after = diagram.clone();
                    if super::apply(&mut after, command.clone()).is_ok()
                        && lands_clear(&after, &id, inside)
                    {
                        return Ok((command, id));
                    }
                }
                Err(message) => {
                    first_refusal.get_or_insert(message);
                }
            }
        }
        if x == y || (x < 0 && x == -y) || (x > 0 && x == 1 - y) {
            (dx, dy) = (-dy, dx);
        }
        (x, y) = (x + dx, y + dy);
    }
    Err(first_refusal.unwrap_or_else(|| format!("there is no free room for a {}", kind.label())))
}

/// Whether a newly placed node covers no other block, and stays in the
/// container it was added to.
fn lands_clear(diagram: &Diagram, id: &NodeId, inside: Option<(&NodeId, Rect)>) -> bool {
    let Some(rect) = diagram.layout.get(id) else {
        return true;
    };
    if let Some((_, area)) = inside {
        if rect.x < area.x
            || rect.y < area.y
            || rect.right() > area.right()
            || rect.bottom() > area.bottom()
        {
            return false;
        }
    }
    let overlaps = |other: &Rect| {
        rect.x < other.right()
            && other.x < rect.right()
            && rect.y < other.bottom()
            && other.y < rect.bottom()
    };
    let is_container = |node: &Node| node.tag().is_container();
    let mine = diagram.node(id).is_some_and(is_container);
    diagram.nodes.iter().filter(|n| &n.id != id).all(|other| {
        let Some(other_rect) = diagram.layout.get(&other.id) else {
            return true;
        };
        if is_container(other) {
            // A container may hold it; another container of its own kind
            // must not be covered.
            !(mine
                && other.tag() == diagram.node(id).map_or(KindTag::Vpc, Node::tag)
                && overlaps(other_rect))
        } else {
            !overlaps(other_rect)
        }
    })
}

/// A drop near the edge of the view (next to the palette, say) moves in
/// until the new block shows whole, when the block fits the view and it can
/// live there too; otherwise it lands where it was dropped.
pub fn place_in_view(
    diagram: &Diagram,
    kind: KindTag,
    point: (f64, f64),
    view: Rect,
) -> Result<(Command, NodeId), String> {
    let placed = place(diagram, kind, point)?;
    let mut after = diagram.clone();
    if super::apply(&mut after, placed.0.clone()).is_err() {
        return Ok(placed);
    }
    let Some(rect) = after.layout.get(&placed.1).copied() else {
        return Ok(placed);
    };
    const MARGIN: f64 = 8.0;
    let shift = |start: f64, size: f64, low: f64, high: f64| {
        if size + 2.0 * MARGIN > high - low {
            0.0
        } else if start < low + MARGIN {
            low + MARGIN - start
        } else if start + size > high - MARGIN {
            high - MARGIN - (start + size)
        } else {
            0.0
        }
    };
    let dx = shift(rect.x, rect.w, view.x, view.right());
    let dy = shift(rect.y, rect.h, view.y, view.bottom());
    if dx == 0.0 && dy == 0.0 {
        return Ok(placed);
    }
    let moved = (
        super::arrange::snap(point.0 + dx + dx.signum() * 10.0),
        super::arrange::snap(point.1 + dy + dy.signum() * 10.0),
    );
    Ok(place(diagram, kind, moved).unwrap_or(placed))
}
