//! Deleting nodes the way a person expects: what cannot exist without them
//! goes too (a VPC's subnets, a subnet's NAT gateway, resources placed only
//! there), and everything else that pointed at them lets go (a load balancer
//! keeps its other subnets, a security group drops the rules naming a deleted
//! group). The result is one command, so one undo restores it all.

use super::Command;
use crate::domain::model::*;
use std::collections::BTreeSet;

/// The command that deletes `ids` and what depends on them.
pub fn delete_nodes(diagram: &Diagram, ids: &[NodeId]) -> Result<Command, String> {
    let mut gone: BTreeSet<NodeId> = BTreeSet::new();
    for id in ids {
        if diagram.node(id).is_none() {
            return Err(format!("there is no node {id}"));
        }
        gone.insert(id.clone());
    }
    // Add what cannot stand without a deleted node, until nothing changes.
    loop {
        let before = gone.len();
        for node in &diagram.nodes {
            if !gone.contains(&node.id) && cannot_stand_without(&node.kind, &gone) {
                gone.insert(node.id.clone());
            }
        }
        if gone.len() == before {
            break;
        }
    }

    let mut commands = Vec::new();
    for edge in &diagram.edges {
        if gone.contains(&edge.from) || gone.contains(&edge.to) {
            commands.push(Command::RemoveEdge {
                id: edge.id.clone(),
            });
        }
    }
    for scope in &diagram.scopes {
        if gone.contains(&scope.from) || gone.contains(&scope.to) {
            commands.push(Command::RemoveScope {
                id: scope.id.clone(),
            });
        }
    }
    // Every node, deleted or kept, first lets go of deleted ones where it can;
    // then nodes go, those that others still require last.
    let names = repository_names(diagram);
    for node in &diagram.nodes {
        let mut kind = node.kind.clone();
        release(&mut kind, &gone, &names);
        if kind != node.kind {
            commands.push(Command::ReplaceNode {
                node: Node {
                    kind,
                    ..node.clone()
                },
            });
        }
    }
    let mut order: Vec<&Node> = diagram
        .nodes
        .iter()
        .filter(|node| gone.contains(&node.id))
        .collect();
    crate::domain::sorting::sort_by_key(&mut order, |node| {
        std::cmp::Reverse(depth(diagram, &node.id))
    });
    for node in order {
        commands.push(Command::RemoveNode {
            id: node.id.clone(),
        });
    }
    Ok(Command::Batch(commands))
}

/// How deep a node sits under the things it requires (a subnet under its VPC).
fn depth(diagram: &Diagram, id: &NodeId) -> usize {
    let mut depth = 0;
    let mut current = diagram.node(id);
    while let Some(node) = current {
        let Some(parent) = required_parent(&node.kind) else {
            break;
        };
        depth += 1;
        if depth > 16 {
            break;
        }
        current = diagram.node(parent);
    }
    depth
}

/// The one node a kind cannot exist without, if any.
fn required_parent(kind: &NodeKind) -> Option<&NodeId> {
    match kind {
        NodeKind::Subnet(subnet) => Some(&subnet.vpc),
        NodeKind::NatGateway(nat) => Some(&nat.subnet),
        NodeKind::RouteTable(table) => Some(&table.vpc),
        NodeKind::VpcEndpoint(endpoint) => Some(&endpoint.vpc),
        NodeKind::SecurityGroup(group) => Some(&group.vpc),
        NodeKind::Bastion(bastion) => Some(&bastion.subnet),
        NodeKind::Ec2Instance(instance) => Some(&instance.subnet),
        NodeKind::VpcPeering(peering) => Some(&peering.requester),
        _ => None,
    }
}

fn cannot_stand_without(kind: &NodeKind, gone: &BTreeSet<NodeId>) -> bool {
    if required_parent(kind).is_some_and(|parent| gone.contains(parent)) {
        return true;
    }
    if let NodeKind::VpcPeering(peering) = kind {
        return gone.contains(&peering.accepter);
    }
    // A resource placed only in deleted subnets goes with them.
    let subnets = kind.placement_subnets();
    !subnets.is_empty() && subnets.iter().all(|subnet| gone.contains(*subnet))
}

fn repository_names(diagram: &Diagram) -> Vec<(NodeId, String)> {
    diagram
        .nodes
        .iter()
        .filter_map(|node| match &node.kind {
            NodeKind::EcrRepository(repository) => {
                Some((node.id.clone(), repository.repository_name.clone()))
            }
            _ => None,
        })
        .collect()
}

/// Drops every optional reference to a deleted node.
fn release(kind: &mut NodeKind, gone: &BTreeSet<NodeId>, repositories: &[(NodeId, String)]) {
    let keep = |id: &NodeId| !gone.contains(id);
    let keep_all = |ids: &mut Vec<NodeId>| ids.retain(|id| !gone.contains(id));
    let clear = |id: &mut Option<NodeId>| {
        if id.as_ref().is_some_and(|id| gone.contains(id)) {
            *id = None;
        }
    };
    match kind {
        NodeKind::Subnet(subnet) => clear(&mut subnet.route_table),
        NodeKind::InternetGateway(igw) => clear(&mut igw.vpc),
        NodeKind::RouteTable(table) => table.routes.retain(|route| keep(&route.target)),
        NodeKind::VpcEndpoint(endpoint) => {
            keep_all(&mut endpoint.route_tables);
            keep_all(&mut endpoint.subnets);
            keep_all(&mut endpoint.security_groups);
        }
        NodeKind::NetworkAcl(acl) => keep_all(&mut acl.subnets),
        NodeKind::SecurityGroup(group) => {
            let peer_kept = |rule: &SecurityGroupRule| !matches!(&rule.peer, Peer::SecurityGroup(peer) if gone.contains(peer));
            group.ingress.retain(peer_kept);
            group.egress.retain(peer_kept);
        }
        NodeKind::LoadBalancer(alb) => {
            keep_all(&mut alb.subnets);
            keep_all(&mut alb.security_groups);
            for listener in &mut alb.listeners {
                clear(&mut listener.certificate);
            }
            for group in &mut alb.target_groups {
                if group
                    .target
                    .as_ref()
                    .is_some_and(|target| gone.contains(&target.service))
                {
                    group.target = None;
                    // An empty group forwards to IP targets again, as a
                    // new load balancer's does.
                    if group.target_type == TargetType::Lambda {
                        group.target_type = TargetType::Ip;
                    }
                }
            }
        }
        NodeKind::FargateService(service) => {
            clear(&mut service.cluster);
            keep_all(&mut service.subnets);
            keep_all(&mut service.security_groups);
            for container in &mut service.containers {
                if let ContainerImage::Ecr(repository) = &container.image {
                    if gone.contains(repository) {
                        // The image still exists somewhere; keep its name.
                        let name = repositories
                            .iter()
                            .find(|(id, _)| id == repository)
                            .map_or_else(|| repository.to_string(), |(_, name)| name.clone());
                        container.image = ContainerImage::Registry(format!("{name}:latest"));
                    }
                }
                container.environment.retain(|variable| {
                    !matches!(&variable.value, EnvironmentValue::EndpointOf(target) if gone.contains(target))
                });
                container.secrets.retain(|secret| {
                    !matches!(&secret.from, SecretSource::DatabasePassword(database) if gone.contains(database))
                });
            }
        }
        NodeKind::AuroraCluster(aurora) => {
            keep_all(&mut aurora.subnets);
            keep_all(&mut aurora.security_groups);
        }
        NodeKind::RdsInstance(database) => {
            keep_all(&mut database.subnets);
            keep_all(&mut database.security_groups);
        }
        NodeKind::ElasticacheCache(cache) => {
            keep_all(&mut cache.subnets);
            keep_all(&mut cache.security_groups);
        }
        NodeKind::LambdaFunction(function) => {
            keep_all(&mut function.subnets);
            keep_all(&mut function.security_groups);
            keep_all(&mut function.invokers);
            keep_all(&mut function.event_sources);
            // Without subnets the function leaves the VPC, and its groups
            // with it.
            if function.subnets.is_empty() {
                function.security_groups.clear();
            }
        }
        NodeKind::AutoScalingGroup(group) => {
            keep_all(&mut group.subnets);
            keep_all(&mut group.security_groups);
        }
        NodeKind::HttpApi(api) => {
            api.routes.retain(|route| keep(&route.target));
            keep_all(&mut api.vpc_link_subnets);
            keep_all(&mut api.vpc_link_security_groups);
            if api.vpc_link_subnets.is_empty() {
                api.vpc_link_security_groups.clear();
            }
        }
        NodeKind::Bastion(bastion) => keep_all(&mut bastion.security_groups),
        NodeKind::Ec2Instance(instance) => keep_all(&mut instance.security_groups),
        NodeKind::CloudFront(distribution) => {
            distribution.origins.retain(|origin| keep(&origin.target));
            clear(&mut distribution.certificate);
        }
        NodeKind::Route53Zone(zone) => zone.records.retain(
            |record| !matches!(&record.target, DnsTarget::Alias(target) if gone.contains(target)),
        ),
        NodeKind::AcmCertificate(certificate) => clear(&mut certificate.validation_zone),
        NodeKind::Pipeline(pipeline) => keep_all(&mut pipeline.deploys),
        NodeKind::SnsTopic(topic) => topic
            .subscriptions
            .retain(|subscription| !gone.contains(&subscription.queue)),
        NodeKind::OtherResource(other) => keep_all(&mut other.refers_to),
        NodeKind::Secret(secret) => clear(&mut secret.database),
        NodeKind::WebAcl(acl) => keep_all(&mut acl.protects),
        NodeKind::Vpc(_)
        | NodeKind::NatGateway(_)
        | NodeKind::VpcPeering(_)
        | NodeKind::EcsCluster(_)
        | NodeKind::S3Bucket(_)
        | NodeKind::DynamodbTable(_)
        | NodeKind::SqsQueue(_)
        | NodeKind::EcrRepository(_)
        | NodeKind::Internet(_)
        | NodeKind::ExternalClient(_) => {}
    }
}
