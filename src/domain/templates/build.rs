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

/// A VPC's three tiers across zones, a column per zone: a public subnet
/// routed to the internet gateway `igw`, a private one routed through its
/// zone's NAT gateway, and a data one on the main table (inside the VPC
/// only), each a /20 (public from 10.0.0.0, private from 10.0.64.0, data
/// from 10.0.128.0), with the NAT gateway in the public one.
pub fn tiered_subnets(b: &mut Builder, vpc: &str, region: &str, zones: &[&str]) {
    b.node(
        "rt-public",
        "public",
        NodeKind::RouteTable(RouteTable {
            vpc: id(vpc),
            routes: vec![Route {
                destination: cidr("0.0.0.0/0"),
                target: id("igw"),
            }],
        }),
    );
    // The data tier routes only inside the VPC (the main table).
    for (column, zone) in zones.iter().enumerate() {
        let x = 220.0 + column as f64 * 450.0;
        let tier = |row: f64| Rect::new(x, 200.0 + row * 260.0, 420.0, 230.0);
        b.node(
            &format!("rt-private-{zone}"),
            &format!("private-{zone}"),
            NodeKind::RouteTable(RouteTable {
                vpc: id(vpc),
                routes: vec![Route {
                    destination: cidr("0.0.0.0/0"),
                    target: id(&format!("nat-{zone}")),
                }],
            }),
        );
        for (row, (tier_name, third, table)) in [
            ("public", column * 16, Some("rt-public".to_string())),
            (
                "private",
                64 + column * 16,
                Some(format!("rt-private-{zone}")),
            ),
            ("data", 128 + column * 16, None),
        ]
        .into_iter()
        .enumerate()
        {
            b.drawn(
                &format!("subnet-{tier_name}-{zone}"),
                &format!("{tier_name}-{zone}"),
                NodeKind::Subnet(Subnet {
                    vpc: id(vpc),
                    cidr: cidr(&format!("10.0.{third}.0/20")),
                    az: format!("{region}{zone}"),
                    route_table: table.as_deref().map(id),
                }),
                tier(row as f64),
            );
        }
        b.drawn(
            &format!("nat-{zone}"),
            &format!("nat-{zone}"),
            NodeKind::NatGateway(NatGateway {
                subnet: id(&format!("subnet-public-{zone}")),
                connectivity: NatConnectivity::Public,
                elastic_ip: true,
            }),
            icon(x + 40.0, 290.0),
        );
    }
}
