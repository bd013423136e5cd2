//! Drawing traffic between two nodes. The port is inferred from what the
//! target serves; the security-group rules the traffic needs come with the
//! edge, and a load balancer drawn to a service starts forwarding to it.

use super::Command;
use crate::domain::model::*;
use crate::domain::validate::reach::rules_for_edge;

/// The port traffic from `from` to `to` most likely uses.
pub fn infer_port(diagram: &Diagram, from: &NodeId, to: &NodeId) -> u16 {
    let kind = |id: &NodeId| diagram.node(id).map(|node| &node.kind);
    match kind(to) {
        Some(NodeKind::LoadBalancer(alb)) => alb
            .listeners
            .iter()
            .find(|l| l.protocol == ListenerProtocol::Https)
            .or_else(|| alb.listeners.first())
            .map_or(443, |l| l.port),
        Some(NodeKind::FargateService(service)) => {
            let forwarded = match kind(from) {
                Some(NodeKind::LoadBalancer(alb)) => alb
                    .target_groups
                    .iter()
                    .filter_map(|group| group.target.as_ref())
                    .find(|target| &target.service == to)
                    .and_then(|target| {
                        service
                            .containers
                            .iter()
                            .find(|c| c.name == target.container)
                    })
                    .and_then(|c| c.port),
                _ => None,
            };
            forwarded
                .or_else(|| service.containers.iter().find_map(|c| c.port))
                .unwrap_or(80)
        }
        Some(
            kind @ (NodeKind::AuroraCluster(_)
            | NodeKind::RdsInstance(_)
            | NodeKind::ElasticacheCache(_)),
        ) => kind.database_port().unwrap_or(443),
        Some(NodeKind::AutoScalingGroup(group)) => group.port,
        Some(NodeKind::Ec2Instance(instance)) => instance.port,
        Some(NodeKind::Bastion(_)) => 22,
        _ => 443,
    }
}

/// A traffic edge from `from` to `to` on the inferred port, with the rules
/// that let it through, as one command.
pub fn connect(diagram: &Diagram, from: &NodeId, to: &NodeId) -> Result<(Command, EdgeId), String> {
    let port = infer_port(diagram, from, to);
    connect_on(diagram, from, to, port)
}

/// Why traffic from `from` to `to` on `port` cannot be drawn again: it is
/// drawn already.
pub fn already_sends(diagram: &Diagram, from: &NodeId, to: &NodeId, port: u16) -> Option<String> {
    if !diagram
        .edges
        .iter()
        .any(|e| &e.from == from && &e.to == to && e.port == port)
    {
        return None;
    }
    let name = |id: &NodeId| {
        diagram
            .node(id)
            .map_or_else(|| id.to_string(), |n| n.name.clone())
    };
    Some(format!(
        "{:?} already sends traffic to {:?} on port {port}",
        name(from),
        name(to)
    ))
}

pub fn connect_on(
    diagram: &Diagram,
    from: &NodeId,
    to: &NodeId,
    port: u16,
) -> Result<(Command, EdgeId), String> {
    let (Some(_), Some(_)) = (diagram.node(from), diagram.node(to)) else {
        return Err("both ends of a connection must be on the canvas".into());
    };
    if from == to {
        return Err("draw traffic between two different nodes".into());
    }
    if let Some(refusal) = already_sends(diagram, from, to, port) {
        return Err(refusal);
    }
    let base = format!("{from}-to-{to}");
    let free = |candidate: &EdgeId| diagram.edges.iter().all(|e| &e.id != candidate);
    let id = (1..10_000)
        .filter_map(|n| EdgeId::new(format!("{base}-{n}")).ok())
        .find(free)
        .or_else(|| {
            (1..100_000)
                .filter_map(|n| EdgeId::new(format!("edge-{n}")).ok())
                .find(free)
        })
        .ok_or("too many edges")?;
    let edge = TrafficEdge {
        id: id.clone(),
        from: from.clone(),
        to: to.clone(),
        protocol: Protocol::Tcp,
        port,
        label: String::new(),
        bends: Vec::new(),
        straight: false,
    };
    let mut commands = vec![Command::AddEdge {
        edge: edge.clone(),
        index: None,
    }];
    let mut after = diagram.clone();
    if let Some(forward) = forward_to_service(&after, from, to) {
        super::apply(&mut after, forward.clone()).map_err(|e| e.to_string())?;
        commands.push(forward);
    }
    super::apply(&mut after, commands[0].clone()).map_err(|e| e.to_string())?;
    commands.push(rules_for_edge(&after, &edge));
    Ok((Command::Batch(commands), id))
}

/// A load balancer drawn to a service: its first target group without a
/// target starts sending to the service's first container with a port.
fn forward_to_service(diagram: &Diagram, from: &NodeId, to: &NodeId) -> Option<Command> {
    let alb_node = diagram.node(from)?;
    let NodeKind::LoadBalancer(alb) = &alb_node.kind else {
        return None;
    };
    match &diagram.node(to)?.kind {
        NodeKind::AutoScalingGroup(instances) => {
            return forward_to_instances(alb_node, alb, to, instances.port)
        }
        NodeKind::Ec2Instance(instance) => {
            return forward_to_instances(alb_node, alb, to, instance.port)
        }
        _ => {}
    }
    let NodeKind::FargateService(service) = &diagram.node(to)?.kind else {
        return None;
    };
    if alb
        .target_groups
        .iter()
        .any(|group| group.target.as_ref().is_some_and(|t| &t.service == to))
    {
        return None;
    }
    let container = service.containers.iter().find(|c| c.port.is_some())?;
    let index = alb.target_groups.iter().position(|g| g.target.is_none())?;
    let mut changed = alb_node.clone();
    if let NodeKind::LoadBalancer(alb) = &mut changed.kind {
        let group = &mut alb.target_groups[index];
        group.port = container.port.unwrap_or(group.port);
        group.target = Some(ServiceTarget {
            service: to.clone(),
            container: container.name.clone(),
        });
        // A stock web server (the palette's default image) answers `/` and
        // nothing at the palette's `/health`, so its health check is moved
        // to `/` and passes as it is; an application's own path is the
        // user's to set (VR-29 asks for it).
        let stock_web_server = matches!(&container.image,
            ContainerImage::Registry(image) if image.contains("/nginx") || image.starts_with("nginx"));
        let untouched = matches!(group.health_check.path.as_deref(), None | Some("/health"));
        if stock_web_server && untouched {
            group.health_check.path = Some("/".into());
        }
    }
    Some(Command::ReplaceNode { node: changed })
}

/// A load balancer drawn to an Auto Scaling group or an instance: its first
/// free target group registers the instances (target type `instance`) on
/// their `port`, checking health at `/`, which a web server answers.
fn forward_to_instances(
    alb_node: &Node,
    alb: &LoadBalancer,
    to: &NodeId,
    port: u16,
) -> Option<Command> {
    if alb
        .target_groups
        .iter()
        .any(|group| group.target.as_ref().is_some_and(|t| &t.service == to))
    {
        return None;
    }
    let mut changed = alb_node.clone();
    if let NodeKind::LoadBalancer(alb) = &mut changed.kind {
        // A free group (a new load balancer's) takes the instances;
        // otherwise they get one of their own, and an HTTP listener on a free
        // port forwarding to it (the existing ones keep their targets).
        let index = match alb.target_groups.iter().position(|g| g.target.is_none()) {
            Some(free) => free,
            None => alb.add_routed_group(to.as_str(), TargetType::Instance, port),
        };
        let group = &mut alb.target_groups[index];
        group.port = port;
        group.target_type = TargetType::Instance;
        group.target = Some(ServiceTarget {
            service: to.clone(),
            container: String::new(),
        });
        if matches!(group.health_check.path.as_deref(), None | Some("/health")) {
            group.health_check.path = Some("/".into());
        }
    }
    Some(Command::ReplaceNode { node: changed })
}

/// Changes the port of a drawn edge; the rules the new port needs come with it.
pub fn set_edge_port(diagram: &Diagram, id: &EdgeId, text: &str) -> Result<Command, String> {
    let port: u16 = text
        .trim()
        .parse()
        .ok()
        .filter(|port| *port > 0)
        .ok_or_else(|| format!("{:?} is not a port (1 to 65535)", text.trim()))?;
    let edge = diagram
        .edges
        .iter()
        .find(|e| &e.id == id)
        .ok_or("that connection no longer exists")?;
    let mut changed = edge.clone();
    changed.port = port;
    let replace = Command::ReplaceEdge {
        edge: changed.clone(),
    };
    let mut after = diagram.clone();
    super::apply(&mut after, replace.clone()).map_err(|e| e.to_string())?;
    Ok(Command::Batch(vec![
        replace,
        rules_for_edge(&after, &changed),
    ]))
}
