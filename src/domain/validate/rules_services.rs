//! Load balancer, Fargate, databases (Aurora, RDS), edge, DNS, bastion and delivery rules:
//! VR-27 to VR-42 and VR-45 (VR-32 comes from the reachability analysis).

use super::diagnostic::Diagnostic;
use super::index::{peak_tasks, Index};
use super::rules_network::{make_public, replace_node};
use crate::domain::model::*;
use crate::domain::sorting;
use std::collections::{BTreeMap, BTreeSet};

pub fn check(ix: &Index, out: &mut Vec<Diagnostic>) {
    for node in ix.nodes() {
        match &node.kind {
            NodeKind::LoadBalancer(alb) => check_load_balancer(ix, node, alb, out),
            NodeKind::FargateService(service) => check_service(ix, node, service, out),
            NodeKind::AuroraCluster(aurora) => check_aurora(ix, node, aurora, out),
            NodeKind::RdsInstance(database) => check_rds_instance(ix, node, database, out),
            NodeKind::ElasticacheCache(cache) => check_cache(ix, node, cache, out),
            NodeKind::AutoScalingGroup(group) => check_auto_scaling(ix, node, group, out),
            NodeKind::Secret(secret) => check_secret(ix, node, secret, out),
            NodeKind::WebAcl(acl) => check_web_acl(ix, node, acl, out),
            NodeKind::S3Bucket(bucket) => {
                check_bucket_name(node, bucket, out);
                check_bucket_is_likely_unique(ix, node, bucket, out);
            }
            NodeKind::CloudFront(distribution) => check_distribution(ix, node, distribution, out),
            NodeKind::Route53Zone(zone) => check_zone(ix, node, zone, out),
            NodeKind::Bastion(bastion) => check_bastion(ix, node, bastion, out),
            NodeKind::Pipeline(pipeline) => check_pipeline(node, pipeline, out),
            NodeKind::OtherResource(other) => check_other(node, other, out),
            _ => {}
        }
    }
}

fn zones_of<'a>(ix: &Index<'a>, subnets: &[NodeId]) -> BTreeMap<&'a str, Vec<NodeId>> {
    let mut zones: BTreeMap<&str, Vec<NodeId>> = BTreeMap::new();
    for id in subnets {
        if let Some(subnet) = ix.subnet(id) {
            zones
                .entry(subnet.az.as_str())
                .or_default()
                .push(id.clone());
        }
    }
    zones
}

fn check_load_balancer(ix: &Index, node: &Node, alb: &LoadBalancer, out: &mut Vec<Diagnostic>) {
    let name = &node.name;
    // VR-27
    let zones = zones_of(ix, &alb.subnets);
    if zones.len() < 2 {
        let public = alb.scheme == LoadBalancerScheme::InternetFacing;
        let diagnostic = Diagnostic::error(
            27,
            vec![node.id.clone()],
            format!(
                "load balancer {name:?} has subnets in {} availability zone{}; it needs subnets in at least two",
                zones.len(),
                if zones.len() == 1 { "" } else { "s" }
            ),
        );
        out.push(add_subnet_of_another_zone(
            ix,
            node,
            &alb.subnets,
            public,
            diagnostic,
        ));
    }
    for (zone, subnets) in &zones {
        if subnets.len() > 1 {
            let mut nodes = vec![node.id.clone()];
            nodes.extend(subnets.iter().cloned());
            let extra: Vec<NodeId> = subnets[1..].to_vec();
            out.push(
                Diagnostic::error(
                    27,
                    nodes,
                    format!(
                        "load balancer {name:?} has {} subnets in {zone}; it takes one subnet per zone",
                        subnets.len()
                    ),
                )
                .with_fix(
                    format!("Keep {} only in {zone}", ix.name(&subnets[0])),
                    replace_node(node, |kind| {
                        if let NodeKind::LoadBalancer(alb) = kind {
                            alb.subnets.retain(|s| !extra.contains(s));
                        }
                    }),
                ),
            );
        }
    }
    if alb.scheme == LoadBalancerScheme::InternetFacing {
        for subnet in alb.subnets.iter().filter(|subnet| !ix.is_public(subnet)) {
            let mut diagnostic = Diagnostic::error(
                27,
                vec![node.id.clone(), subnet.clone()],
                format!(
                    "internet-facing load balancer {name:?} is in {}, which is not a public subnet",
                    ix.name(subnet)
                ),
            );
            if let Some(command) = make_public(ix, subnet) {
                diagnostic =
                    diagnostic.with_fix(format!("Make {} public", ix.name(subnet)), command);
            }
            out.push(diagnostic);
        }
    }

    // VR-28
    for id in &alb.subnets {
        let Some(subnet) = ix.subnet(id) else {
            continue;
        };
        if subnet.cidr.prefix_len() > 27 {
            out.push(Diagnostic::warning(
                28,
                vec![node.id.clone(), id.clone()],
                format!(
                    "load balancer subnet {} is a /{}; AWS asks for at least a /27",
                    ix.name(id),
                    subnet.cidr.prefix_len()
                ),
            ));
        }
        let free = subnet
            .cidr
            .usable_in_subnet()
            .saturating_sub(ix.demand(id).saturating_sub(8));
        if free < 8 {
            out.push(Diagnostic::warning(
                28,
                vec![node.id.clone(), id.clone()],
                format!(
                    "load balancer subnet {} has {free} free addresses; the load balancer needs at least 8",
                    ix.name(id)
                ),
            ));
        }
    }

    for listener in &alb.listeners {
        if listener.protocol == ListenerProtocol::Https {
            match &listener.certificate {
                None => out.push(Diagnostic::error(
                    40,
                    vec![node.id.clone()],
                    format!(
                        "load balancer {name:?}: the HTTPS listener on {} has no certificate",
                        listener.port
                    ),
                )),
                Some(certificate) => {
                    if let Some(NodeKind::AcmCertificate(acm)) = ix.kind(certificate) {
                        if acm.region != ix.diagram.region {
                            out.push(Diagnostic::error(
                                40,
                                vec![node.id.clone(), certificate.clone()],
                                format!(
                                    "load balancer {name:?} uses certificate {} from {}; a load balancer can only use certificates of its own region ({})",
                                    ix.name(certificate),
                                    acm.region,
                                    ix.diagram.region
                                ),
                            ));
                        }
                    }
                }
            }
        }
        if let ListenerAction::Forward(group) = &listener.action {
            if !alb
                .target_groups
                .iter()
                .any(|candidate| &candidate.name == group)
            {
                out.push(Diagnostic::error(
                    43,
                    vec![node.id.clone()],
                    format!(
                        "load balancer {name:?}: the listener on {} forwards to target group {group:?}, which does not exist",
                        listener.port
                    ),
                ));
            }
        }
    }

    let alb_zones: BTreeSet<&str> = sorting::set_of(zones.keys().copied());
    for (at, group) in alb.target_groups.iter().enumerate() {
        // VR-65: instances serve one port; the group must send there.
        let served =
            group
                .target
                .as_ref()
                .and_then(|target| match &ix.node(&target.service)?.kind {
                    NodeKind::Ec2Instance(instance) => Some((target, instance.port)),
                    NodeKind::AutoScalingGroup(group) => Some((target, group.port)),
                    _ => None,
                });
        if let Some((target, port)) = served.filter(|(_, port)| *port != group.port) {
            out.push(
                Diagnostic::error(
                    65,
                    vec![node.id.clone(), target.service.clone()],
                    format!(
                        "target group {:?} of {name:?} sends to port {} of {}, whose web server answers on {port}: every health check fails and the load balancer answers 503",
                        group.name,
                        group.port,
                        ix.name(&target.service)
                    ),
                )
                .with_fix(
                    format!("Send to port {port}"),
                    replace_node(node, |kind| {
                        if let NodeKind::LoadBalancer(alb) = kind {
                            alb.target_groups[at].port = port;
                        }
                    }),
                ),
            );
        }
        // VR-29; Lambda targets are not health-checked unless asked.
        if group.health_check.path.is_none() && group.target_type != TargetType::Lambda {
            out.push(
                Diagnostic::warning(
                    29,
                    vec![node.id.clone()],
                    format!(
                        "target group {:?} of {name:?} checks health at \"/\" (the default, never set); if the service does not answer 200 there, tasks are replaced in a loop",
                        group.name
                    ),
                )
                .with_fix(
                    "Check /health instead",
                    replace_node(node, |kind| {
                        if let NodeKind::LoadBalancer(alb) = kind {
                            alb.target_groups[at].health_check.path = Some("/health".into());
                        }
                    }),
                ),
            );
        }
        let Some(target) = &group.target else {
            continue;
        };
        let Some(NodeKind::FargateService(service)) = ix.kind(&target.service) else {
            continue;
        };
        let service_zones: BTreeSet<&str> =
            sorting::set_of(zones_of(ix, &service.subnets).keys().copied());
        let missing: Vec<&str> = service_zones.difference(&alb_zones).copied().collect();
        if !missing.is_empty() {
            out.push(Diagnostic::warning(
                29,
                vec![node.id.clone(), target.service.clone()],
                format!(
                    "{} runs tasks in {}, which {name:?} does not serve; those tasks get no traffic",
                    ix.name(&target.service),
                    missing.join(", ")
                ),
            ));
        }
        // VR-31
        if group.target_type != TargetType::Ip {
            out.push(
                Diagnostic::error(
                    31,
                    vec![node.id.clone(), target.service.clone()],
                    format!(
                        "target group {:?} sends to Fargate service {}, whose tasks (awsvpc networking) register by IP: the target type must be ip",
                        group.name,
                        ix.name(&target.service)
                    ),
                )
                .with_fix(
                    "Switch the target type to ip",
                    replace_node(node, |kind| {
                        if let NodeKind::LoadBalancer(alb) = kind {
                            alb.target_groups[at].target_type = TargetType::Ip;
                        }
                    }),
                ),
            );
        }
        if !service
            .containers
            .iter()
            .any(|container| container.name == target.container)
        {
            out.push(Diagnostic::error(
                31,
                vec![node.id.clone(), target.service.clone()],
                format!(
                    "target group {:?} sends to container {:?}, which {} does not have",
                    group.name,
                    target.container,
                    ix.name(&target.service)
                ),
            ));
        }
    }
}

/// Valid Fargate task sizes: CPU units and the memory range (MiB) and step.
const FARGATE_SIZES: &[(u32, u32, u32, u32)] = &[
    (256, 512, 2048, 0),
    (512, 1024, 4096, 1024),
    (1024, 2048, 8192, 1024),
    (2048, 4096, 16384, 1024),
    (4096, 8192, 30720, 1024),
    (8192, 16384, 61440, 4096),
    (16384, 32768, 122880, 8192),
];

/// The memory sizes Fargate accepts with a CPU size (empty for an invalid CPU).
pub fn fargate_memory_choices(cpu: u32) -> Vec<u32> {
    match FARGATE_SIZES.iter().find(|(units, ..)| *units == cpu) {
        Some((256, ..)) => vec![512, 1024, 2048],
        Some((_, low, high, step)) => (*low..=*high).step_by(*step as usize).collect(),
        None => Vec::new(),
    }
}

pub fn fargate_cpu_choices() -> Vec<u32> {
    FARGATE_SIZES.iter().map(|(cpu, ..)| *cpu).collect()
}

fn check_service(ix: &Index, node: &Node, service: &FargateService, out: &mut Vec<Diagnostic>) {
    let name = &node.name;
    // VR-34
    let choices = fargate_memory_choices(service.cpu);
    if choices.is_empty() {
        let cpus = fargate_cpu_choices();
        let nearest = cpus
            .iter()
            .copied()
            .min_by_key(|cpu| cpu.abs_diff(service.cpu))
            .unwrap_or(256);
        out.push(
            Diagnostic::error(
                34,
                vec![node.id.clone()],
                format!(
                    "Fargate service {name:?}: {} CPU units is not a Fargate size ({})",
                    service.cpu,
                    cpus.iter()
                        .map(u32::to_string)
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )
            .with_fix(
                format!("Use {nearest} CPU units"),
                replace_node(node, |kind| {
                    if let NodeKind::FargateService(service) = kind {
                        service.cpu = nearest;
                        if !fargate_memory_choices(nearest).contains(&service.memory) {
                            service.memory = nearest_memory(nearest, service.memory);
                        }
                    }
                }),
            ),
        );
    } else if !choices.contains(&service.memory) {
        let nearest = nearest_memory(service.cpu, service.memory);
        out.push(
            Diagnostic::error(
                34,
                vec![node.id.clone()],
                format!(
                    "Fargate service {name:?}: {} MiB is not valid with {} CPU units ({} to {} MiB)",
                    service.memory,
                    service.cpu,
                    choices.first().copied().unwrap_or(0),
                    choices.last().copied().unwrap_or(0)
                ),
            )
            .with_fix(
                format!("Use {nearest} MiB"),
                replace_node(node, |kind| {
                    if let NodeKind::FargateService(service) = kind {
                        service.memory = nearest;
                    }
                }),
            ),
        );
    }

    // VR-33
    for subnet in service.subnets.iter().filter(|subnet| ix.is_public(subnet)) {
        if !service.assign_public_ip {
            out.push(
                Diagnostic::error(
                    33,
                    vec![node.id.clone(), subnet.clone()],
                    format!(
                        "Fargate service {name:?} runs tasks in the public subnet {} without a public IP: they cannot pull images (CannotPullContainerError)",
                        ix.name(subnet)
                    ),
                )
                // The secure repair first: tasks in private subnets, out
                // through NAT, have no address the internet can reach.
                .with_alternative(
                    "Move it to private subnets",
                    private_placement(ix, service).map(|subnets| {
                        replace_node(node, |kind| {
                            if let NodeKind::FargateService(service) = kind {
                                service.subnets = subnets.clone();
                            }
                        })
                    }),
                )
                .with_alternative(
                    "Assign public IPs",
                    Some(replace_node(node, |kind| {
                        if let NodeKind::FargateService(service) = kind {
                            service.assign_public_ip = true;
                        }
                    })),
                ),
            );
            break;
        }
    }

    // VR-35
    let peak = peak_tasks(service);
    let free: u64 = service
        .subnets
        .iter()
        .filter_map(|id| ix.subnet(id).map(|subnet| (id, subnet)))
        .map(|(id, subnet)| {
            let own = super::index::address_demand(&node.kind, id);
            subnet
                .cidr
                .usable_in_subnet()
                .saturating_sub(ix.demand(id).saturating_sub(own))
        })
        .sum();
    if !service.subnets.is_empty() && peak > free {
        out.push(Diagnostic::warning(
            35,
            vec![node.id.clone()],
            format!(
                "Fargate service {name:?} may run {peak} tasks at once during a deployment ({} x {}%), but its subnets have {free} free addresses",
                service.desired_count, service.max_percent
            ),
        ));
    }
    if service.subnets.is_empty() {
        out.push(Diagnostic::error(
            35,
            vec![node.id.clone()],
            format!("Fargate service {name:?} is in no subnet; place it in private subnets"),
        ));
    }
    if !service
        .containers
        .iter()
        .any(|container| container.essential)
    {
        out.push(Diagnostic::error(
            31,
            vec![node.id.clone()],
            format!("Fargate service {name:?}: a task needs at least one essential container"),
        ));
    }
    if service.cluster.is_none() {
        let diagnostic = Diagnostic::error(
            31,
            vec![node.id.clone()],
            format!("Fargate service {name:?} belongs to no ECS cluster"),
        );
        let cluster = ix.nodes().find(|n| n.tag() == KindTag::EcsCluster);
        out.push(match cluster {
            Some(cluster) => {
                let id = cluster.id.clone();
                diagnostic.with_fix(
                    format!("Run it in the cluster {:?}", cluster.name),
                    replace_node(node, |kind| {
                        if let NodeKind::FargateService(service) = kind {
                            service.cluster = Some(id.clone());
                        }
                    }),
                )
            }
            None => match new_cluster(ix, node) {
                Some(command) => {
                    diagnostic.with_fix("Add an ECS cluster and run it there", command)
                }
                None => diagnostic,
            },
        });
    }
}

/// A new ECS cluster, drawn beside the service, with the service in it.
pub(super) fn new_cluster(ix: &Index, service: &Node) -> Option<crate::domain::edit::Command> {
    use crate::domain::edit::Command;
    let taken = |candidate: &str| NodeId::new(candidate).is_ok_and(|id| ix.node(&id).is_some());
    let id = super::rules_network::fresh_id("cluster", taken)?;
    let rect = ix
        .diagram
        .layout
        .get(&service.id)
        .map(|r| Rect::new(r.x, r.y - r.h - 48.0, r.w, r.h));
    let joined = id.clone();
    Some(Command::Batch(vec![
        Command::AddNode {
            node: Node {
                id,
                name: format!("{}-cluster", service.name),
                kind: NodeKind::EcsCluster(EcsCluster {
                    container_insights: false,
                }),
            },
            rect,
            index: None,
        },
        replace_node(service, |kind| {
            if let NodeKind::FargateService(service) = kind {
                service.cluster = Some(joined.clone());
            }
        }),
    ]))
}

/// The service's subnets with each public one swapped for a private subnet
/// (out through a NAT gateway) of the same VPC and zone; `None` when a zone
/// has none.
fn private_placement(ix: &Index, service: &FargateService) -> Option<Vec<NodeId>> {
    let mut placed: Vec<NodeId> = Vec::new();
    for subnet_id in &service.subnets {
        let swapped = if ix.is_public(subnet_id) {
            let subnet = ix.subnet(subnet_id)?;
            ix.subnets_of_vpc(&subnet.vpc)
                .iter()
                .find(|other| {
                    ix.subnet(other).is_some_and(|o| o.az == subnet.az)
                        && crate::domain::edit::routing::routing_of(ix.diagram, other)
                            == crate::domain::edit::routing::Routing::Private
                })
                .map(|other| (*other).clone())?
        } else {
            subnet_id.clone()
        };
        if !placed.contains(&swapped) {
            placed.push(swapped);
        }
    }
    Some(placed)
}

fn nearest_memory(cpu: u32, memory: u32) -> u32 {
    fargate_memory_choices(cpu)
        .into_iter()
        .min_by_key(|choice| choice.abs_diff(memory))
        .unwrap_or(memory)
}

/// VR-36 and VR-37, which every database kind answers: the subnet group
/// spans two zones, private subnets, encrypted storage, a group of its own.
/// `what` names the kind ("Aurora cluster"); `encrypt` turns encryption on.
fn check_database(
    ix: &Index,
    node: &Node,
    what: &str,
    subnets: &[NodeId],
    (encrypted, encrypt): (bool, fn(&mut NodeKind)),
    out: &mut Vec<Diagnostic>,
) {
    let name = &node.name;
    // VR-36
    let zones = zones_of(ix, subnets);
    if zones.len() < 2 {
        let diagnostic = Diagnostic::error(
            36,
            vec![node.id.clone()],
            format!(
                "{what} {name:?}: its DB subnet group covers {} availability zone{}; RDS requires at least two (DBSubnetGroupDoesNotCoverEnoughAZs)",
                zones.len(),
                if zones.len() == 1 { "" } else { "s" }
            ),
        );
        out.push(add_subnet_of_another_zone(
            ix, node, subnets, false, diagnostic,
        ));
    }
    // VR-37
    for subnet in subnets.iter().filter(|subnet| ix.is_public(subnet)) {
        out.push(Diagnostic::warning(
            37,
            vec![node.id.clone(), subnet.clone()],
            format!(
                "{what} {name:?} uses the public subnet {}; databases belong in private subnets",
                ix.name(subnet)
            ),
        ));
    }
    if !encrypted {
        out.push(
            Diagnostic::warning(
                37,
                vec![node.id.clone()],
                format!("{what} {name:?} does not encrypt its storage"),
            )
            .with_fix("Encrypt the storage", replace_node(node, encrypt)),
        );
    }
    if node.kind.security_groups().is_empty() {
        out.push(Diagnostic::warning(
            37,
            vec![node.id.clone()],
            format!("{what} {name:?} has no security group of its own; give it one that admits only the services that use it"),
        ));
    }
}

fn check_aurora(ix: &Index, node: &Node, aurora: &AuroraCluster, out: &mut Vec<Diagnostic>) {
    let encrypt: fn(&mut NodeKind) = |kind| {
        if let NodeKind::AuroraCluster(aurora) = kind {
            aurora.storage_encrypted = true;
        }
    };
    check_database(
        ix,
        node,
        "Aurora cluster",
        &aurora.subnets,
        (aurora.storage_encrypted, encrypt),
        out,
    );
    let name = &node.name;
    if !aurora.manage_master_password {
        out.push(
            Diagnostic::warning(
                37,
                vec![node.id.clone()],
                format!("Aurora cluster {name:?}: RDS does not manage the master password, so nothing rotates it: the CloudFormation export generates it into a Secrets Manager secret of its own, and the Terraform export asks for it as a sensitive variable, which Terraform keeps in its state; let RDS keep it in Secrets Manager"),
            )
            .with_fix(
                "Manage the password in Secrets Manager",
                replace_node(node, |kind| {
                    if let NodeKind::AuroraCluster(aurora) = kind {
                        aurora.manage_master_password = true;
                    }
                }),
            ),
        );
    }
}

fn check_rds_instance(ix: &Index, node: &Node, database: &RdsInstance, out: &mut Vec<Diagnostic>) {
    let encrypt: fn(&mut NodeKind) = |kind| {
        if let NodeKind::RdsInstance(database) = kind {
            database.storage_encrypted = true;
        }
    };
    check_database(
        ix,
        node,
        "RDS database",
        &database.subnets,
        (database.storage_encrypted, encrypt),
        out,
    );
    // VR-55: a service spread over zones that depends on a database in one.
    if database.multi_az {
        return;
    }
    let mut users: Vec<&Node> = Vec::new();
    for edge in ix.edges_to(&node.id) {
        let Some(from) = ix.node(&edge.from) else {
            continue;
        };
        let subnets: Vec<NodeId> = from.kind.placement_subnets().into_iter().cloned().collect();
        if zones_of(ix, &subnets).len() >= 2 && !users.iter().any(|user| user.id == from.id) {
            users.push(from);
        }
    }
    if let Some(first) = users.first() {
        let mut nodes = vec![node.id.clone()];
        nodes.extend(users.iter().map(|user| user.id.clone()));
        let names: Vec<String> = users
            .iter()
            .map(|user| format!("{:?}", user.name))
            .collect();
        out.push(
            Diagnostic::warning(
                55,
                nodes,
                format!(
                    "RDS database {:?} runs in one zone, but {} {} spread over several: if its zone fails, {} stop{} with it; a Multi-AZ database fails over to its standby in another zone",
                    node.name,
                    names.join(", "),
                    if users.len() == 1 { "is" } else { "are" },
                    if users.len() == 1 { first.name.as_str() } else { "they" },
                    if users.len() == 1 { "s" } else { "" },
                ),
            )
            .with_fix(
                "Make it Multi-AZ",
                replace_node(node, |kind| {
                    if let NodeKind::RdsInstance(database) = kind {
                        database.multi_az = true;
                    }
                }),
            ),
        );
    }
}

/// VR-38: the S3 bucket naming rules.
pub fn bucket_name_problem(bucket: &str) -> Option<String> {
    let length = bucket.chars().count();
    if !(3..=63).contains(&length) {
        return Some(format!(
            "is {length} characters long; bucket names have 3 to 63"
        ));
    }
    if let Some(bad) = bucket
        .chars()
        .find(|c| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '.' || *c == '-'))
    {
        return Some(format!(
            "contains {bad:?}; only lowercase letters, digits, dots and hyphens are allowed"
        ));
    }
    let edge_ok = |c: Option<char>| c.is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
    if !edge_ok(bucket.chars().next()) || !edge_ok(bucket.chars().last()) {
        return Some("must start and end with a letter or digit".into());
    }
    if bucket.contains("..") {
        return Some("contains two adjacent dots".into());
    }
    if bucket.parse::<std::net::Ipv4Addr>().is_ok() {
        return Some("looks like an IP address".into());
    }
    for prefix in ["xn--", "sthree-", "amzn-s3-demo-"] {
        if bucket.starts_with(prefix) {
            return Some(format!("starts with the reserved prefix {prefix:?}"));
        }
    }
    for suffix in ["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"] {
        if bucket.ends_with(suffix) {
            return Some(format!("ends with the reserved suffix {suffix:?}"));
        }
    }
    None
}

/// Words so common in bucket names that a name made only of them is most
/// likely someone's already (S3 names are global across all accounts).
const COMMON_BUCKET_WORDS: &[&str] = &[
    "app",
    "application",
    "asset",
    "assets",
    "backend",
    "backup",
    "backups",
    "bucket",
    "cdn",
    "com",
    "content",
    "data",
    "default",
    "demo",
    "dev",
    "diagram",
    "end",
    "example",
    "file",
    "files",
    "front",
    "frontend",
    "image",
    "images",
    "io",
    "log",
    "logs",
    "media",
    "my",
    "net",
    "new",
    "org",
    "private",
    "prod",
    "production",
    "public",
    "s3",
    "sample",
    "site",
    "staging",
    "static",
    "storage",
    "store",
    "test",
    "testing",
    "the",
    "untitled",
    "upload",
    "uploads",
    "web",
    "website",
    "www",
];

/// VR-48: a bucket name made only of common words, or the one the palette
/// gave it, is probably taken: the first deploy fails with
/// BucketAlreadyExists.
fn check_bucket_is_likely_unique(
    ix: &Index,
    node: &Node,
    bucket: &S3Bucket,
    out: &mut Vec<Diagnostic>,
) {
    let name = &bucket.bucket_name;
    let palette_default = format!(
        "{}-{}",
        crate::domain::export::names::slug(&ix.diagram.name, 30),
        node.id
    );
    let why = if *name == palette_default {
        "is the name the palette gave it"
    } else if name.split(['-', '.']).all(|word| {
        word.is_empty()
            || word.bytes().all(|b| b.is_ascii_digit())
            || COMMON_BUCKET_WORDS.contains(&word)
    }) {
        "is made only of common words"
    } else {
        return;
    };
    out.push(Diagnostic::warning(
        48,
        vec![node.id.clone()],
        format!(
            "S3 bucket {:?}: {name:?} {why}, so another account probably owns it already (bucket names are global; the deploy fails with BucketAlreadyExists); add something only yours has, such as your domain",
            node.name
        ),
    ));
}

fn check_bucket_name(node: &Node, bucket: &S3Bucket, out: &mut Vec<Diagnostic>) {
    if let Some(problem) = bucket_name_problem(&bucket.bucket_name) {
        let diagnostic = Diagnostic::error(
            38,
            vec![node.id.clone()],
            format!(
                "S3 bucket {:?}: the name {:?} {problem}",
                node.name, bucket.bucket_name
            ),
        );
        out.push(match valid_bucket_name(&bucket.bucket_name) {
            Some(name) => diagnostic.with_fix(
                format!("Rename the bucket to {name}"),
                replace_node(node, |kind| {
                    if let NodeKind::S3Bucket(bucket) = kind {
                        bucket.bucket_name = name.clone();
                    }
                }),
            ),
            None => diagnostic,
        });
    }
}

/// The nearest name S3 accepts: lower case, `a-z 0-9 . -` only, no `..`,
/// letters or digits at both ends, no reserved prefix or suffix, 3 to 63
/// characters.
fn valid_bucket_name(name: &str) -> Option<String> {
    let mut out = String::new();
    // ASCII only: Unicode case tables would cost the first load kilobytes,
    // and every other character becomes a hyphen anyway.
    for c in name.chars().map(|c| c.to_ascii_lowercase()) {
        let c = if c.is_ascii_lowercase() || c.is_ascii_digit() || c == '.' || c == '-' {
            c
        } else {
            '-'
        };
        if !((c == '.' || c == '-') && (out.ends_with('.') || out.ends_with('-'))) {
            out.push(c);
        }
    }
    for prefix in ["xn--", "sthree-", "amzn-s3-demo-"] {
        while let Some(rest) = out.strip_prefix(prefix) {
            out = rest.to_string();
        }
    }
    for suffix in ["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"] {
        while let Some(rest) = out.strip_suffix(suffix) {
            out = rest.to_string();
        }
    }
    out.truncate(63);
    let mut out = out.trim_matches(|c: char| c == '.' || c == '-').to_string();
    if out.len() < 3 || out.parse::<std::net::Ipv4Addr>().is_ok() || out.split('.').count() == 4 {
        out = format!("bucket-{out}").trim_matches('-').to_string();
        out.truncate(63);
    }
    bucket_name_problem(&out).is_none().then_some(out)
}

/// VR-58: an ElastiCache cache needs a subnet group, and Multi-AZ (its
/// automatic failover) a replica to fail over to, in another zone.
fn check_cache(ix: &Index, node: &Node, cache: &ElasticacheCache, out: &mut Vec<Diagnostic>) {
    let name = &node.name;
    if cache.subnets.is_empty() {
        out.push(Diagnostic::error(
            58,
            vec![node.id.clone()],
            format!("ElastiCache cache {name:?} has no subnet group: ElastiCache places a cache in a VPC only through a cache subnet group of its subnets; draw it inside a subnet"),
        ));
        return;
    }
    // VR-37: a cache holds data as a database does.
    for subnet in cache.subnets.iter().filter(|subnet| ix.is_public(subnet)) {
        out.push(Diagnostic::warning(
            37,
            vec![node.id.clone(), subnet.clone()],
            format!(
                "ElastiCache cache {name:?} uses the public subnet {}; caches belong in private subnets",
                ix.name(subnet)
            ),
        ));
    }
    if !cache.multi_az {
        return;
    }
    if cache.replicas == 0 {
        out.push(
            Diagnostic::error(
                58,
                vec![node.id.clone()],
                format!("ElastiCache cache {name:?} is Multi-AZ with no replica: automatic failover needs a replica to promote, and ElastiCache refuses to create it (InvalidParameterCombination)"),
            )
            .with_fix(
                "Add a replica",
                replace_node(node, |kind| {
                    if let NodeKind::ElasticacheCache(cache) = kind {
                        cache.replicas = 1;
                    }
                }),
            ),
        );
    }
    let zones = zones_of(ix, &cache.subnets);
    if zones.len() < 2 {
        let diagnostic = Diagnostic::error(
            58,
            vec![node.id.clone()],
            format!("ElastiCache cache {name:?} is Multi-AZ, but its subnet group covers one availability zone: its replica cannot be placed in another zone to fail over to"),
        );
        out.push(add_subnet_of_another_zone(
            ix,
            node,
            &cache.subnets,
            false,
            diagnostic,
        ));
    }
}

/// VR-60: an Auto Scaling group's desired capacity lies between its
/// minimum and maximum, and its subnets span zones, so that losing one
/// leaves instances to serve and a zone to replace them in.
fn check_auto_scaling(
    ix: &Index,
    node: &Node,
    group: &AutoScalingGroup,
    out: &mut Vec<Diagnostic>,
) {
    let name = &node.name;
    if group.min_size > group.max_size
        || !(group.min_size..=group.max_size).contains(&group.desired_capacity)
    {
        // The bounds move to the capacity asked for, the last thing set.
        let desired = group.desired_capacity;
        let min = group.min_size.min(group.max_size).min(desired);
        let max = group.max_size.max(group.min_size).max(desired).max(1);
        out.push(
            Diagnostic::error(
                60,
                vec![node.id.clone()],
                format!(
                    "Auto Scaling group {name:?} wants {} instances between a minimum of {} and a maximum of {}: Auto Scaling refuses a desired capacity outside its bounds (ValidationError)",
                    group.desired_capacity, group.min_size, group.max_size
                ),
            )
            .with_fix(
                format!("Run {desired} between {min} and {max}"),
                replace_node(node, |kind| {
                    if let NodeKind::AutoScalingGroup(group) = kind {
                        group.min_size = min;
                        group.max_size = max;
                        group.desired_capacity = desired;
                    }
                }),
            ),
        );
    }
    if !group.subnets.is_empty() && zones_of(ix, &group.subnets).len() < 2 {
        let diagnostic = Diagnostic::warning(
            60,
            vec![node.id.clone()],
            format!("Auto Scaling group {name:?} launches instances in one availability zone: when that zone fails, every instance goes with it and Auto Scaling has no other zone to replace them in"),
        );
        let public = group.subnets.iter().all(|s| ix.is_public(s));
        out.push(add_subnet_of_another_zone(
            ix,
            node,
            &group.subnets,
            public,
            diagnostic,
        ));
    }
}

/// The longest master password a database's engine accepts (RDS
/// `CreateDBInstance`/`CreateDBCluster`, `MasterUserPassword`): 41
/// characters for MySQL, MariaDB and every Aurora cluster, 128 for
/// PostgreSQL.
fn longest_password(kind: &NodeKind) -> Option<u16> {
    match kind {
        NodeKind::AuroraCluster(_) => Some(41),
        NodeKind::RdsInstance(database) => Some(match database.engine {
            RdsEngine::Postgres => 128,
            RdsEngine::Mysql | RdsEngine::Mariadb => 41,
        }),
        _ => None,
    }
}

fn check_secret(ix: &Index, node: &Node, secret: &Secret, out: &mut Vec<Diagnostic>) {
    let name = &node.name;
    // VR-62: Secrets Manager appends a hyphen and six random characters to
    // a secret's ARN; a name ending the same way makes partial ARNs match
    // the wrong secret.
    let tail = secret.secret_name.rsplit_once('-').map(|(_, tail)| tail);
    if tail.is_some_and(|tail| tail.chars().count() == 6) {
        let renamed = {
            let at = secret.secret_name.rfind('-').unwrap_or_default();
            format!(
                "{}_{}",
                &secret.secret_name[..at],
                &secret.secret_name[at + 1..]
            )
        };
        out.push(
            Diagnostic::warning(
                62,
                vec![node.id.clone()],
                format!(
                    "secret {name:?} is named {:?}, ending in a hyphen and six characters as the random suffix of a secret's ARN does: a partial ARN or a name lookup can then find the wrong secret",
                    secret.secret_name
                ),
            )
            .with_fix(
                format!("Name it {renamed}"),
                replace_node(node, |kind| {
                    if let NodeKind::Secret(secret) = kind {
                        secret.secret_name = renamed.clone();
                    }
                }),
            ),
        );
    }
    // VR-63: the database takes its password from the secret, whose
    // generated value must fit the engine.
    let Some(database) = secret.database.as_ref().and_then(|id| ix.node(id)) else {
        return;
    };
    if let Some(longest) = longest_password(&database.kind) {
        if secret.password_length > longest {
            out.push(
                Diagnostic::error(
                    63,
                    vec![node.id.clone(), database.id.clone()],
                    format!(
                        "secret {name:?} generates a password of {} characters for {:?}, whose engine takes at most {longest}: RDS refuses to create the database (InvalidParameterValue)",
                        secret.password_length, database.name
                    ),
                )
                .with_fix(
                    format!("Generate {longest} characters"),
                    replace_node(node, |kind| {
                        if let NodeKind::Secret(secret) = kind {
                            secret.password_length = longest;
                        }
                    }),
                ),
            );
        }
    }
}

fn check_web_acl(ix: &Index, node: &Node, acl: &WebAcl, out: &mut Vec<Diagnostic>) {
    // VR-64: WAF associates a regional web ACL with regional resources and a
    // CloudFront one (kept in us-east-1) with distributions only.
    let wanted = |id: &NodeId| match ix.node(id).map(Node::tag) {
        Some(KindTag::CloudFront) => Some(WafScope::Cloudfront),
        Some(KindTag::LoadBalancer) => Some(WafScope::Regional),
        _ => None,
    };
    let wrong: Vec<&NodeId> = acl
        .protects
        .iter()
        .filter(|id| wanted(id).is_some_and(|scope| scope != acl.scope))
        .collect();
    if wrong.is_empty() {
        return;
    }
    let names: Vec<String> = wrong
        .iter()
        .filter_map(|id| ix.node(id))
        .map(|n| format!("{:?}", n.name))
        .collect();
    let needed = if acl.scope == WafScope::Regional {
        WafScope::Cloudfront
    } else {
        WafScope::Regional
    };
    let mut nodes = vec![node.id.clone()];
    nodes.extend(wrong.iter().map(|id| (*id).clone()));
    let mut diagnostic = Diagnostic::error(
        64,
        nodes,
        format!(
            "web ACL {:?} has scope {} but protects {}, which need{} a {} web ACL: WAF refuses the association (WAFInvalidParameterException; CLOUDFRONT web ACLs live in us-east-1 and protect distributions only)",
            node.name,
            acl.scope.as_str(),
            names.join(", "),
            if names.len() == 1 { "s" } else { "" },
            needed.as_str()
        ),
    );
    // Every protected resource needs the other scope: the scope is wrong.
    if wrong.len() == acl.protects.len() {
        diagnostic = diagnostic.with_fix(
            format!("Make {:?} {}", node.name, needed.as_str()),
            replace_node(node, |kind| {
                if let NodeKind::WebAcl(acl) = kind {
                    acl.scope = needed;
                }
            }),
        );
    }
    out.push(diagnostic);
}

/// `diagnostic`, with a fix that adds a subnet of the same VPC in a zone the
/// resource is not in yet (public ones for an internet-facing load balancer,
/// others otherwise), when the VPC has one.
fn add_subnet_of_another_zone(
    ix: &Index,
    node: &Node,
    subnets: &[NodeId],
    public: bool,
    diagnostic: Diagnostic,
) -> Diagnostic {
    let covered = zones_of(ix, subnets);
    let Some(vpc) = subnets.first().and_then(|s| ix.subnet(s)).map(|s| &s.vpc) else {
        return diagnostic;
    };
    let candidate = ix.subnets_of_vpc(vpc).iter().find(|id| {
        ix.subnet(id)
            .is_some_and(|s| !covered.contains_key(s.az.as_str()) && ix.is_public(id) == public)
    });
    let Some(&candidate) = candidate else {
        return diagnostic;
    };
    let zone = ix
        .subnet(candidate)
        .map(|s| s.az.clone())
        .unwrap_or_default();
    let added = candidate.clone();
    diagnostic.with_fix(
        format!("Add {} ({zone})", ix.name(candidate)),
        replace_node(node, |kind| match kind {
            NodeKind::LoadBalancer(alb) => alb.subnets.push(added.clone()),
            NodeKind::AuroraCluster(aurora) => aurora.subnets.push(added.clone()),
            NodeKind::RdsInstance(database) => database.subnets.push(added.clone()),
            NodeKind::ElasticacheCache(cache) => cache.subnets.push(added.clone()),
            NodeKind::AutoScalingGroup(group) => group.subnets.push(added.clone()),
            _ => {}
        }),
    )
}

fn check_distribution(
    ix: &Index,
    node: &Node,
    distribution: &CloudFront,
    out: &mut Vec<Diagnostic>,
) {
    let name = &node.name;
    let defaults = distribution
        .origins
        .iter()
        .filter(|origin| origin.path_pattern.is_none())
        .count();
    if defaults != 1 {
        out.push(Diagnostic::error(
            43,
            vec![node.id.clone()],
            format!(
                "CloudFront {name:?} has {defaults} origins without a path pattern; exactly one serves the default behaviour"
            ),
        ));
    }
    for (at, origin) in distribution.origins.iter().enumerate() {
        let Some(NodeKind::S3Bucket(bucket)) = ix.kind(&origin.target) else {
            continue;
        };
        // VR-39
        if origin.access != OriginAccess::Oac {
            out.push(
                Diagnostic::warning(
                    39,
                    vec![node.id.clone(), origin.target.clone()],
                    format!(
                        "CloudFront {name:?} reaches bucket {} without Origin Access Control; use OAC and keep the bucket private",
                        ix.name(&origin.target)
                    ),
                )
                .with_fix(
                    "Use Origin Access Control",
                    replace_node(node, |kind| {
                        if let NodeKind::CloudFront(distribution) = kind {
                            distribution.origins[at].access = OriginAccess::Oac;
                        }
                    }),
                ),
            );
        }
        if bucket.website_hosting {
            out.push(Diagnostic::warning(
                39,
                vec![node.id.clone(), origin.target.clone()],
                format!(
                    "bucket {} hosts a website; its website endpoint cannot use Origin Access Control: serve the bucket's REST endpoint through OAC",
                    ix.name(&origin.target)
                ),
            ));
        }
        if origin.access == OriginAccess::Oac && !bucket.block_public_access {
            if let Some(bucket_node) = ix.node(&origin.target) {
                out.push(
                    Diagnostic::warning(
                        39,
                        vec![origin.target.clone()],
                        format!(
                            "bucket {} is served through CloudFront but does not block public access",
                            ix.name(&origin.target)
                        ),
                    )
                    .with_fix(
                        "Block public access",
                        replace_node(bucket_node, |kind| {
                            if let NodeKind::S3Bucket(bucket) = kind {
                                bucket.block_public_access = true;
                            }
                        }),
                    ),
                );
            }
        }
    }
    // VR-40
    if let Some(certificate) = &distribution.certificate {
        if let Some(NodeKind::AcmCertificate(acm)) = ix.kind(certificate) {
            if acm.region != "us-east-1" {
                let mut diagnostic = Diagnostic::error(
                    40,
                    vec![node.id.clone(), certificate.clone()],
                    format!(
                        "CloudFront {name:?} uses certificate {} from {}; CloudFront only uses certificates in us-east-1",
                        ix.name(certificate),
                        acm.region
                    ),
                );
                if let Some(certificate_node) = ix.node(certificate) {
                    diagnostic = diagnostic.with_fix(
                        "Issue it in us-east-1",
                        replace_node(certificate_node, |kind| {
                            if let NodeKind::AcmCertificate(acm) = kind {
                                acm.region = "us-east-1".into();
                            }
                        }),
                    );
                }
                out.push(diagnostic);
            }
        }
    }
    if !distribution.aliases.is_empty() && distribution.certificate.is_none() {
        out.push(Diagnostic::error(
            40,
            vec![node.id.clone()],
            format!("CloudFront {name:?} has custom domain names but no certificate for them"),
        ));
    }
}

fn check_zone(ix: &Index, node: &Node, zone: &Route53Zone, out: &mut Vec<Diagnostic>) {
    for record in &zone.records {
        if let DnsTarget::Alias(target) = &record.target {
            if ix.tag(target) == Some(KindTag::CloudFront) {
                let fqdn = if record.name.is_empty() {
                    zone.domain_name.clone()
                } else {
                    format!("{}.{}", record.name, zone.domain_name)
                };
                // VR-41
                out.push(Diagnostic::info(
                    41,
                    vec![node.id.clone(), target.clone()],
                    format!(
                        "{fqdn} is an alias to CloudFront {}: alias records to CloudFront use hosted zone ID Z2FDTNDATAQYW2",
                        ix.name(target)
                    ),
                ));
            }
        }
    }
}

fn check_bastion(ix: &Index, node: &Node, bastion: &Bastion, out: &mut Vec<Diagnostic>) {
    let name = &node.name;
    // VR-42
    if !ix.is_public(&bastion.subnet) {
        out.push(Diagnostic::warning(
            42,
            vec![node.id.clone(), bastion.subnet.clone()],
            format!(
                "bastion {name:?} is in {}, which is not a public subnet",
                ix.name(&bastion.subnet)
            ),
        ));
    }
    if !bastion.public_ip {
        out.push(
            Diagnostic::warning(
                42,
                vec![node.id.clone()],
                format!("bastion {name:?} has no public IP address"),
            )
            .with_fix(
                "Give it a public IP",
                replace_node(node, |kind| {
                    if let NodeKind::Bastion(bastion) = kind {
                        bastion.public_ip = true;
                    }
                }),
            ),
        );
    }
    for group in bastion
        .security_groups
        .iter()
        .filter_map(|id| ix.security_group(id).map(|g| (id, g)))
    {
        for rule in &group.1.ingress {
            if let Peer::Cidr(cidr) = &rule.peer {
                if super::sg::rule_covers(rule, Protocol::Tcp, 22) && cidr.prefix_len() < 24 {
                    out.push(Diagnostic::warning(
                        42,
                        vec![node.id.clone(), group.0.clone()],
                        format!(
                            "bastion {name:?} accepts SSH from {cidr}; restrict it to the operators' addresses"
                        ),
                    ));
                }
            }
        }
    }
}

fn check_pipeline(node: &Node, pipeline: &Pipeline, out: &mut Vec<Diagnostic>) {
    // VR-45
    if pipeline.auth == PipelineAuth::AccessKeys {
        let role = format!("{}-deploy", node.id);
        out.push(
            Diagnostic::warning(
                45,
                vec![node.id.clone()],
                format!(
                    "pipeline {:?} deploys with long-lived access keys; assume a role through CircleCI's OIDC token instead",
                    node.name
                ),
            )
            .with_fix(
                "Use an OIDC role",
                replace_node(node, |kind| {
                    if let NodeKind::Pipeline(pipeline) = kind {
                        pipeline.auth = PipelineAuth::OidcRole(role);
                    }
                }),
            ),
        );
    }
}

/// VR-54: what the analysis does not look inside, said rather than
/// silently skipped.
fn check_other(node: &Node, other: &OtherResource, out: &mut Vec<Diagnostic>) {
    let name = &node.name;
    let kind = &other.resource_type;
    let message = if other.placeholder {
        format!(
            "{name:?} ({kind}) is a placeholder for what is not known before a deploy{}: what depends on it is unknown, and verdicts that involve it may differ",
            if other.note.is_empty() { String::new() } else { format!(" ({})", other.note) }
        )
    } else {
        format!(
            "{name:?} ({kind}) is a type stackdraw does not model: traffic to, from or through it is not analysed, and the exports leave it out"
        )
    };
    out.push(Diagnostic::info(54, vec![node.id.clone()], message));
}
