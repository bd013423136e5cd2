//! Small helpers that keep template definitions readable.

use crate::domain::model::*;

/// An id from a literal in a template; template ids are fixed and valid.
pub fn id(text: &str) -> NodeId {
    NodeId::new(text).unwrap_or_else(|error| panic!("template id {text:?}: {error}"))
}

pub fn ids(texts: &[&str]) -> Vec<NodeId> {
    texts.iter().map(|text| id(text)).collect()
}

pub fn cidr(text: &str) -> Cidr {
    Cidr::parse(text).unwrap_or_else(|error| panic!("template CIDR {text:?}: {error}"))
}

/// Accumulates nodes, edges and layout in the order they are added.
pub struct Builder {
    pub diagram: Diagram,
}

impl Builder {
    pub fn new(name: &str, region: &str) -> Builder {
        Builder {
            diagram: Diagram::empty(name, region),
        }
    }

    /// Adds a node that is not drawn (a route table, a security group).
    pub fn node(&mut self, node_id: &str, name: &str, kind: NodeKind) -> &mut Self {
        self.diagram.nodes.push(Node {
            id: id(node_id),
            name: name.to_string(),
            kind,
        });
        self
    }

    /// Adds a node drawn in the given box.
    pub fn drawn(&mut self, node_id: &str, name: &str, kind: NodeKind, rect: Rect) -> &mut Self {
        self.node(node_id, name, kind);
        self.diagram.layout.insert(id(node_id), rect);
        self
    }

    pub fn edge(&mut self, edge_id: &str, from: &str, to: &str, port: u16) -> &mut Self {
        self.diagram.edges.push(TrafficEdge {
            id: EdgeId::new(edge_id)
                .unwrap_or_else(|error| panic!("template edge id {edge_id:?}: {error}")),
            from: id(from),
            to: id(to),
            protocol: Protocol::Tcp,
            port,
            label: String::new(),
            bends: Vec::new(),
            straight: false,
        });
        self
    }

    /// Adds the security-group rules every drawn edge needs, as the editor
    /// does when a user draws an edge.
    pub fn derive_rules(&mut self) -> &mut Self {
        for edge in self.diagram.edges.clone() {
            let command = crate::domain::validate::reach::rules_for_edge(&self.diagram, &edge);
            if let Err(error) = crate::domain::edit::apply(&mut self.diagram, command) {
                panic!("template rules for {}: {error}", edge.id);
            }
        }
        self
    }

    /// Lays a VPC out as the editor's Tidy does.
    pub fn tidy(&mut self, vpc: &str) -> &mut Self {
        let command = crate::domain::edit::arrange::tidy(&self.diagram, &id(vpc))
            .unwrap_or_else(|error| panic!("template tidy of {vpc}: {error}"));
        if let Err(error) = crate::domain::edit::apply(&mut self.diagram, command) {
            panic!("template tidy of {vpc}: {error}");
        }
        self
    }

    pub fn finish(&mut self) -> Diagram {
        std::mem::replace(&mut self.diagram, Diagram::empty("", ""))
    }
}

/// A security group with no inbound rules and the default allow-all egress;
/// inbound rules come from the traffic edges.
pub fn security_group(vpc: &str, description: &str) -> NodeKind {
    NodeKind::SecurityGroup(SecurityGroup {
        vpc: id(vpc),
        description: description.to_string(),
        ingress: Vec::new(),
        egress: vec![allow_all_egress()],
    })
}

pub fn allow_all_egress() -> SecurityGroupRule {
    SecurityGroupRule::allow_all_egress()
}

/// A resource icon's box: 64 x 64 at (x, y).
pub fn icon(x: f64, y: f64) -> Rect {
    Rect::new(x, y, 64.0, 64.0)
}

/// An internet-facing load balancer that redirects HTTP to HTTPS and
/// forwards HTTPS (with `certificate`) to one service's container on `port`,
/// checking its health at `/health`.
pub fn https_load_balancer(
    subnets: Vec<NodeId>,
    security_group: &str,
    certificate: &str,
    target_group: &str,
    port: u16,
    target: ServiceTarget,
) -> NodeKind {
    NodeKind::LoadBalancer(LoadBalancer {
        scheme: LoadBalancerScheme::InternetFacing,
        subnets,
        security_groups: ids(&[security_group]),
        listeners: vec![
            Listener {
                port: 80,
                protocol: ListenerProtocol::Http,
                certificate: None,
                action: ListenerAction::RedirectToHttps,
            },
            Listener {
                port: 443,
                protocol: ListenerProtocol::Https,
                certificate: Some(id(certificate)),
                action: ListenerAction::Forward(target_group.into()),
            },
        ],
        target_groups: vec![TargetGroup {
            name: target_group.into(),
            protocol: ListenerProtocol::Http,
            port,
            target_type: TargetType::Ip,
            health_check: HealthCheck {
                path: Some("/health".into()),
                ..HealthCheck::default()
            },
            target: Some(target),
        }],
    })
}
