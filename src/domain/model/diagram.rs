//! The document: nodes, the traffic the user drew between them, and where each
//! node is drawn.

use super::kind::KindTag;
use super::node::{
    AclAction, AclRule, EndpointService, Node, NodeKind, Peer, Protocol, SecurityGroupRule,
    TargetType,
};
use super::{EdgeId, NodeId, ScopeId};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The newest version of the file format, which this build reads and holds
/// in memory. Files and links are written in the lowest version that holds
/// the diagram ([`Diagram::written_version`]), so a diagram that uses nothing
/// new still opens in builds that predate it; older versions are migrated
/// when read (see `codec`).
///
/// 1: the first format. 2: adds the node kind `network_acl`. 3: adds the
/// shape of a traffic edge's line (`bends`, `straight`). 4: adds the node
/// kind `other_resource` (what an import found and stackdraw does not model).
/// 5: adds the node kinds `rds_instance`, `dynamodb_table` and `sqs_queue`,
/// and `dynamodb` and `sqs` endpoints. 6: adds the node kinds `sns_topic`
/// (with its queue subscriptions) and `elasticache_cache`, and `sns`
/// endpoints. 7: adds the node kinds `lambda_function`, `http_api` and
/// `auto_scaling_group`, and target groups of target type `lambda`. 8: adds
/// the node kinds `secret`, `web_acl` and `ec2_instance`.
pub const SCHEMA_VERSION: u32 = 8;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Diagram {
    /// Always [`SCHEMA_VERSION`] in memory.
    pub schema_version: u32,
    pub name: String,
    /// The AWS region everything regional is deployed to, e.g. `ap-northeast-1`.
    pub region: String,
    pub nodes: Vec<Node>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub edges: Vec<TrafficEdge>,
    /// Paths that must not exist, checked besides the built-in ones (no path
    /// from the internet to a database, none to tasks but through the ALB).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub scopes: Vec<AccessScope>,
    /// Where each drawn node sits on the canvas. Nodes without an entry (route
    /// tables, security groups) are edited in the inspector, not drawn.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub layout: BTreeMap<NodeId, Rect>,
    /// Where each node is in `nodes`, built on the first lookup.
    #[serde(skip)]
    #[cfg_attr(not(target_arch = "wasm32"), schemars(skip))]
    pub index: NodeIndex,
}

/// Positions of the nodes by id, so [`Diagram::node`] does not scan the list:
/// a 5,000-node diagram's scene looked nodes up by scanning for half its
/// time. Built lazily from `nodes`; since `nodes` is a public list changed in
/// place, every answer is checked against the list (a stale position falls
/// back to a scan), and a clone or an applied edit starts afresh. It takes no
/// part in equality or the file format.
#[derive(Default)]
pub struct NodeIndex(std::sync::OnceLock<BTreeMap<NodeId, usize>>);

impl Clone for NodeIndex {
    fn clone(&self) -> Self {
        NodeIndex::default()
    }
}

impl PartialEq for NodeIndex {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl std::fmt::Debug for NodeIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NodeIndex")
    }
}

/// Traffic the user wants to flow, from which security-group rules are derived
/// and whose path is checked hop by hop.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct TrafficEdge {
    pub id: EdgeId,
    pub from: NodeId,
    pub to: NodeId,
    pub protocol: Protocol,
    pub port: u16,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub label: String,
    /// Points the user bent the line through, in order from `from` to `to`,
    /// in canvas units. The line is routed from one to the next.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub bends: Vec<Bend>,
    /// Drawn as straight segments (through its bends, if any) instead of
    /// routed around what lies between its ends.
    #[serde(default, skip_serializing_if = "is_false")]
    pub straight: bool,
}

fn is_false(value: &bool) -> bool {
    !*value
}

/// A point a traffic edge's line passes through, in canvas units.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Bend {
    pub x: f64,
    pub y: f64,
}

impl TrafficEdge {
    /// Whether the user shaped its line (what format version 3 added).
    pub fn shaped(&self) -> bool {
        self.straight || !self.bends.is_empty()
    }
}

/// "No traffic from `from` may reach `to`" (on `port`, or on any port).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct AccessScope {
    pub id: ScopeId,
    pub from: NodeId,
    pub to: NodeId,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub port: Option<u16>,
}

/// A node's box on the canvas, in canvas units, top-left origin.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(not(target_arch = "wasm32"), derive(schemars::JsonSchema))]
#[serde(deny_unknown_fields)]
pub struct Rect {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}

impl Rect {
    pub fn new(x: f64, y: f64, w: f64, h: f64) -> Rect {
        Rect { x, y, w, h }
    }

    pub fn center(&self) -> (f64, f64) {
        (self.x + self.w / 2.0, self.y + self.h / 2.0)
    }

    pub fn right(&self) -> f64 {
        self.x + self.w
    }

    pub fn bottom(&self) -> f64 {
        self.y + self.h
    }

    /// The same box grown by `by` on every side.
    pub fn widened(&self, by: f64) -> Rect {
        Rect::new(
            self.x - by,
            self.y - by,
            self.w + 2.0 * by,
            self.h + 2.0 * by,
        )
    }

    /// The box with corners `a` and `b` (for a line segment, the box
    /// around it).
    pub fn spanning(a: (f64, f64), b: (f64, f64)) -> Rect {
        Rect::new(
            a.0.min(b.0),
            a.1.min(b.1),
            (a.0 - b.0).abs(),
            (a.1 - b.1).abs(),
        )
    }

    /// The smallest box holding both.
    pub fn union(&self, other: &Rect) -> Rect {
        let x = self.x.min(other.x);
        let y = self.y.min(other.y);
        Rect::new(
            x,
            y,
            self.right().max(other.right()) - x,
            self.bottom().max(other.bottom()) - y,
        )
    }
}

impl SecurityGroupRule {
    /// The outbound rule a new security group has: everything, anywhere.
    pub fn allow_all_egress() -> SecurityGroupRule {
        SecurityGroupRule {
            protocol: Protocol::All,
            from_port: 0,
            to_port: 0,
            peer: Peer::Cidr(super::Cidr::anywhere()),
            description: String::new(),
        }
    }
}

impl AclAction {
    /// As AWS writes it: `allow` or `deny`.
    pub fn as_str(self) -> &'static str {
        match self {
            AclAction::Allow => "allow",
            AclAction::Deny => "deny",
        }
    }
}

impl AclRule {
    /// What AWS's default ACL holds in each direction: rule 100 allows all.
    pub fn allow_all() -> AclRule {
        AclRule {
            number: 100,
            action: AclAction::Allow,
            protocol: Protocol::All,
            from_port: 0,
            to_port: 0,
            cidr: super::Cidr::anywhere(),
        }
    }

    /// The IANA protocol number AWS takes for the rule (-1: all).
    pub fn protocol_number(&self) -> i16 {
        match self.protocol {
            Protocol::Tcp => 6,
            Protocol::Udp => 17,
            Protocol::Icmp => 1,
            Protocol::All => -1,
        }
    }

    /// The port range, for the protocols that have ports.
    pub fn port_range(&self) -> Option<(u16, u16)> {
        matches!(self.protocol, Protocol::Tcp | Protocol::Udp)
            .then_some((self.from_port, self.to_port))
    }

    /// Whether it allows `port` from anywhere into a subnet: what scanners
    /// flag for administration ports.
    pub fn opens_to_world(&self, port: u16) -> bool {
        self.action == AclAction::Allow
            && self.cidr.prefix_len() == 0
            && self
                .port_range()
                .map_or(self.protocol == Protocol::All, |(from, to)| {
                    from <= port && port <= to
                })
    }
}

impl Node {
    pub fn tag(&self) -> KindTag {
        self.kind.tag()
    }
}

impl NodeKind {
    /// The subnets a node has network interfaces in.
    pub fn placement_subnets(&self) -> Vec<&NodeId> {
        match self {
            NodeKind::NatGateway(nat) => vec![&nat.subnet],
            NodeKind::Bastion(bastion) => vec![&bastion.subnet],
            NodeKind::Ec2Instance(instance) => vec![&instance.subnet],
            NodeKind::LoadBalancer(alb) => alb.subnets.iter().collect(),
            NodeKind::FargateService(service) => service.subnets.iter().collect(),
            NodeKind::AuroraCluster(aurora) => aurora.subnets.iter().collect(),
            NodeKind::RdsInstance(database) => database.subnets.iter().collect(),
            NodeKind::ElasticacheCache(cache) => cache.subnets.iter().collect(),
            NodeKind::LambdaFunction(function) => function.subnets.iter().collect(),
            NodeKind::HttpApi(api) => api.vpc_link_subnets.iter().collect(),
            NodeKind::AutoScalingGroup(group) => group.subnets.iter().collect(),
            NodeKind::VpcEndpoint(endpoint) => endpoint.subnets.iter().collect(),
            _ => Vec::new(),
        }
    }

    /// The port a database (an Aurora cluster, an RDS database) or a cache
    /// listens on; `None` for every other kind.
    pub fn database_port(&self) -> Option<u16> {
        match self {
            NodeKind::AuroraCluster(aurora) => Some(aurora.port),
            NodeKind::RdsInstance(database) => Some(database.port),
            NodeKind::ElasticacheCache(cache) => Some(cache.port),
            _ => None,
        }
    }

    /// The security groups attached to a node's network interfaces.
    pub fn security_groups(&self) -> &[NodeId] {
        match self {
            NodeKind::LoadBalancer(alb) => &alb.security_groups,
            NodeKind::FargateService(service) => &service.security_groups,
            NodeKind::AuroraCluster(aurora) => &aurora.security_groups,
            NodeKind::RdsInstance(database) => &database.security_groups,
            NodeKind::ElasticacheCache(cache) => &cache.security_groups,
            NodeKind::LambdaFunction(function) => &function.security_groups,
            NodeKind::HttpApi(api) => &api.vpc_link_security_groups,
            NodeKind::AutoScalingGroup(group) => &group.security_groups,
            NodeKind::Bastion(bastion) => &bastion.security_groups,
            NodeKind::Ec2Instance(instance) => &instance.security_groups,
            NodeKind::VpcEndpoint(endpoint) => &endpoint.security_groups,
            _ => &[],
        }
    }
}

impl Diagram {
    /// An empty diagram in a region.
    pub fn empty(name: &str, region: &str) -> Diagram {
        Diagram {
            schema_version: SCHEMA_VERSION,
            name: name.to_string(),
            region: region.to_string(),
            nodes: Vec::new(),
            edges: Vec::new(),
            scopes: Vec::new(),
            layout: BTreeMap::new(),
            index: NodeIndex::default(),
        }
    }

    pub fn node(&self, id: &NodeId) -> Option<&Node> {
        let positions = self.index.0.get_or_init(|| {
            let mut positions = BTreeMap::new();
            for (at, node) in self.nodes.iter().enumerate() {
                positions.entry(node.id.clone()).or_insert(at);
            }
            positions
        });
        positions
            .get(id)
            .and_then(|&at| self.nodes.get(at))
            .filter(|node| &node.id == id)
            .or_else(|| self.nodes.iter().find(|node| &node.id == id))
    }

    /// Drops the positions [`Diagram::node`] keeps, after `nodes` changed.
    pub fn reindex(&mut self) {
        self.index = NodeIndex::default();
    }

    /// The lowest file format version that holds this diagram.
    pub fn written_version(&self) -> u32 {
        if self.nodes.iter().any(|node| {
            matches!(
                node.tag(),
                KindTag::Secret | KindTag::WebAcl | KindTag::Ec2Instance
            )
        }) {
            8
        } else if self.nodes.iter().any(|node| match &node.kind {
            NodeKind::LambdaFunction(_) | NodeKind::HttpApi(_) | NodeKind::AutoScalingGroup(_) => {
                true
            }
            NodeKind::LoadBalancer(alb) => alb
                .target_groups
                .iter()
                .any(|group| group.target_type == TargetType::Lambda),
            _ => false,
        }) {
            7
        } else if self.nodes.iter().any(|node| match &node.kind {
            NodeKind::SnsTopic(_) | NodeKind::ElasticacheCache(_) => true,
            NodeKind::VpcEndpoint(endpoint) => endpoint.service == EndpointService::Sns,
            _ => false,
        }) {
            6
        } else if self.nodes.iter().any(|node| match &node.kind {
            NodeKind::RdsInstance(_) | NodeKind::DynamodbTable(_) | NodeKind::SqsQueue(_) => true,
            NodeKind::VpcEndpoint(endpoint) => {
                matches!(
                    endpoint.service,
                    EndpointService::Dynamodb | EndpointService::Sqs
                )
            }
            _ => false,
        }) {
            5
        } else if self
            .nodes
            .iter()
            .any(|node| node.tag() == KindTag::OtherResource)
        {
            4
        } else if self.edges.iter().any(TrafficEdge::shaped) {
            3
        } else if self
            .nodes
            .iter()
            .any(|node| node.tag() == KindTag::NetworkAcl)
        {
            2
        } else {
            1
        }
    }

    pub fn node_by_str(&self, id: &str) -> Option<&Node> {
        self.nodes.iter().find(|node| node.id.as_str() == id)
    }

    pub fn nodes_of(&self, tag: KindTag) -> impl Iterator<Item = &Node> {
        self.nodes.iter().filter(move |node| node.tag() == tag)
    }

    /// The box a node is drawn in, derived from the infrastructure facts so the
    /// two can never disagree: a subnet sits in its VPC; a resource in one subnet
    /// sits in that subnet; a resource spanning subnets sits in their VPC.
    pub fn container_of(&self, id: &NodeId) -> Option<&NodeId> {
        container_in(self.node(id)?, |id| self.node(id))
    }

    /// The nodes drawn directly inside a container.
    pub fn children_of<'a>(&'a self, id: &'a NodeId) -> impl Iterator<Item = &'a Node> + 'a {
        // Each node's container from the node in hand, not looked up again.
        self.nodes
            .iter()
            .filter(move |node| container_in(node, |id| self.node(id)) == Some(id))
    }

    /// Where a subnet's default route (0.0.0.0/0) goes, if it has one: an
    /// internet gateway, a NAT gateway or a peering. Without a route table a
    /// subnet uses the main one, which has none.
    pub fn default_route_target(&self, subnet_id: &NodeId) -> Option<&Node> {
        let NodeKind::Subnet(subnet) = &self.node(subnet_id)?.kind else {
            return None;
        };
        let NodeKind::RouteTable(table) = &self.node(subnet.route_table.as_ref()?)?.kind else {
            return None;
        };
        let route = table
            .routes
            .iter()
            .find(|r| r.destination.prefix_len() == 0)?;
        self.node(&route.target)
    }

    /// A subnet is public only when its route table sends 0.0.0.0/0 to an
    /// internet gateway attached to the subnet's own VPC (VR-14); without a
    /// route table it uses the main one, which routes only inside the VPC.
    pub fn is_public_subnet(&self, subnet_id: &NodeId) -> bool {
        let Some(NodeKind::Subnet(subnet)) = self.node(subnet_id).map(|node| &node.kind) else {
            return false;
        };
        let Some(NodeKind::RouteTable(table)) = subnet
            .route_table
            .as_ref()
            .and_then(|id| self.node(id))
            .map(|node| &node.kind)
        else {
            return false;
        };
        table.routes.iter().any(|route| {
            route.destination.prefix_len() == 0
                && matches!(
                    self.node(&route.target).map(|node| &node.kind),
                    Some(NodeKind::InternetGateway(igw)) if igw.vpc.as_ref() == Some(&subnet.vpc)
                )
        })
    }
}

/// The container of `node` (see [`Diagram::container_of`]), looking other
/// nodes up with `lookup`, so a caller holding an index stays linear.
pub fn container_in<'a>(
    node: &'a Node,
    lookup: impl Fn(&NodeId) -> Option<&'a Node>,
) -> Option<&'a NodeId> {
    let vpc_of_subnet = |subnet: &NodeId| match lookup(subnet).map(|node| &node.kind) {
        Some(NodeKind::Subnet(subnet)) => Some(&subnet.vpc),
        _ => None,
    };
    match &node.kind {
        NodeKind::Subnet(subnet) => Some(&subnet.vpc),
        NodeKind::InternetGateway(igw) => igw.vpc.as_ref(),
        NodeKind::RouteTable(table) => Some(&table.vpc),
        NodeKind::SecurityGroup(group) => Some(&group.vpc),
        NodeKind::NetworkAcl(acl) => Some(&acl.vpc),
        NodeKind::VpcEndpoint(endpoint) if endpoint.subnets.len() != 1 => Some(&endpoint.vpc),
        kind => match kind.placement_subnets().as_slice() {
            [] => None,
            [only] => Some(*only),
            [first, rest @ ..] => {
                let vpc = vpc_of_subnet(first)?;
                rest.iter()
                    .all(|subnet| vpc_of_subnet(subnet) == Some(vpc))
                    .then_some(vpc)
            }
        },
    }
}
