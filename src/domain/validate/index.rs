//! Lookups built once per analysis, so that rules stay linear in the size of
//! the diagram.

use crate::domain::model::*;
use crate::domain::quick_hash::{QuickMap, QuickSet};

pub struct Index<'a> {
    pub diagram: &'a Diagram,
    nodes: QuickMap<&'a NodeId, &'a Node>,
    /// Subnet ids of each VPC, in diagram order.
    subnets_by_vpc: QuickMap<&'a NodeId, Vec<&'a NodeId>>,
    public: QuickMap<&'a NodeId, bool>,
    demand: QuickMap<&'a NodeId, u64>,
    /// The (first) internet gateway attached to each VPC.
    gateways: QuickMap<&'a NodeId, &'a Node>,
    /// Security groups some resource uses, and those guarding a database.
    attached_groups: QuickSet<&'a NodeId>,
    database_groups: QuickSet<&'a NodeId>,
    /// The endpoint nodes of each VPC.
    endpoints: QuickMap<&'a NodeId, Vec<&'a Node>>,
    /// Peered VPC pairs, in both orders.
    peerings: QuickSet<(&'a NodeId, &'a NodeId)>,
    /// The drawn edges that end at each node, in diagram order.
    edges_to: QuickMap<&'a NodeId, Vec<&'a TrafficEdge>>,
    /// The first route table of each VPC that sends 0.0.0.0/0 to an internet
    /// gateway attached to that VPC.
    public_tables: QuickMap<&'a NodeId, &'a NodeId>,
    /// The network ACL associated with each subnet (the first, when a
    /// diagram wrongly gives a subnet two); absent: the VPC's default ACL.
    acls: QuickMap<&'a NodeId, &'a Node>,
}

impl<'a> Index<'a> {
    pub fn new(diagram: &'a Diagram) -> Index<'a> {
        // Sized up front: growing a map hashes every key again, and reading
        // the ids' text again is most of what hashing costs here.
        let mut nodes: QuickMap<&NodeId, &Node> =
            QuickMap::with_capacity_and_hasher(diagram.nodes.len(), Default::default());
        nodes.extend(diagram.nodes.iter().map(|node| (&node.id, node)));
        let mut subnets_by_vpc: QuickMap<&NodeId, Vec<&NodeId>> = QuickMap::default();
        for node in &diagram.nodes {
            if let NodeKind::Subnet(subnet) = &node.kind {
                subnets_by_vpc
                    .entry(&subnet.vpc)
                    .or_default()
                    .push(&node.id);
            }
        }
        let mut demand: QuickMap<&NodeId, u64> = QuickMap::default();
        let mut gateways: QuickMap<&NodeId, &Node> = QuickMap::default();
        let mut attached_groups = QuickSet::default();
        let mut database_groups = QuickSet::default();
        let mut endpoints: QuickMap<&NodeId, Vec<&Node>> = QuickMap::default();
        let mut peerings = QuickSet::default();
        let mut acls: QuickMap<&NodeId, &Node> = QuickMap::default();
        for node in &diagram.nodes {
            for subnet in node.kind.placement_subnets() {
                *demand.entry(subnet).or_default() += address_demand(&node.kind, subnet);
            }
            attached_groups.extend(node.kind.security_groups());
            match &node.kind {
                NodeKind::AuroraCluster(_)
                | NodeKind::RdsInstance(_)
                | NodeKind::ElasticacheCache(_) => {
                    database_groups.extend(node.kind.security_groups())
                }
                NodeKind::InternetGateway(InternetGateway { vpc: Some(vpc) }) => {
                    gateways.entry(vpc).or_insert(node);
                }
                NodeKind::VpcEndpoint(endpoint) => {
                    endpoints.entry(&endpoint.vpc).or_default().push(node)
                }
                NodeKind::NetworkAcl(acl) => {
                    for subnet in &acl.subnets {
                        if !acls.contains_key(subnet) {
                            acls.insert(subnet, node);
                        }
                    }
                }
                NodeKind::VpcPeering(peering) => {
                    peerings.insert((&peering.requester, &peering.accepter));
                    peerings.insert((&peering.accepter, &peering.requester));
                }
                _ => {}
            }
        }
        let mut public_tables: QuickMap<&NodeId, &NodeId> = QuickMap::default();
        for node in &diagram.nodes {
            if let NodeKind::RouteTable(table) = &node.kind {
                let to_gateway = table.routes.iter().any(|route| {
                    route.destination.prefix_len() == 0
                        && matches!(nodes.get(&route.target).map(|n| &n.kind),
                            Some(NodeKind::InternetGateway(igw)) if igw.vpc.as_ref() == Some(&table.vpc))
                });
                if to_gateway {
                    public_tables.entry(&table.vpc).or_insert(&node.id);
                }
            }
        }
        let mut edges_to: QuickMap<&NodeId, Vec<&TrafficEdge>> =
            QuickMap::with_capacity_and_hasher(diagram.edges.len(), Default::default());
        for edge in &diagram.edges {
            edges_to.entry(&edge.to).or_default().push(edge);
        }
        let mut index = Index {
            diagram,
            edges_to,
            nodes,
            subnets_by_vpc,
            public: QuickMap::default(),
            demand,
            gateways,
            attached_groups,
            database_groups,
            endpoints,
            peerings,
            public_tables,
            acls,
        };
        let public: QuickMap<&NodeId, bool> = diagram
            .nodes
            .iter()
            .filter(|node| node.tag() == KindTag::Subnet)
            .map(|node| (&node.id, index.compute_public(&node.id)))
            .collect();
        index.public = public;
        index
    }

    /// The network ACL that filters a subnet's traffic, with its rules;
    /// `None` for the VPC's default ACL, which allows everything.
    pub fn acl_of(&self, subnet: &NodeId) -> Option<(&'a Node, &'a NetworkAcl)> {
        // Most diagrams have none: no hashing then.
        if self.acls.is_empty() {
            return None;
        }
        let node = self.acls.get(subnet).copied()?;
        match &node.kind {
            NodeKind::NetworkAcl(acl) => Some((node, acl)),
            _ => None,
        }
    }

    pub fn node(&self, id: &NodeId) -> Option<&'a Node> {
        self.nodes.get(id).copied()
    }

    /// The drawn edges that end at a node.
    pub fn edges_to(&self, id: &NodeId) -> &[&'a TrafficEdge] {
        self.edges_to.get(id).map_or(&[], Vec::as_slice)
    }

    pub fn name(&self, id: &NodeId) -> String {
        self.node(id)
            .map(|node| format!("{:?}", node.name))
            .unwrap_or_else(|| id.to_string())
    }

    pub fn kind(&self, id: &NodeId) -> Option<&'a NodeKind> {
        self.node(id).map(|node| &node.kind)
    }

    pub fn tag(&self, id: &NodeId) -> Option<KindTag> {
        self.node(id).map(Node::tag)
    }

    pub fn subnet(&self, id: &NodeId) -> Option<&'a Subnet> {
        match self.kind(id) {
            Some(NodeKind::Subnet(subnet)) => Some(subnet),
            _ => None,
        }
    }

    pub fn vpc(&self, id: &NodeId) -> Option<&'a Vpc> {
        match self.kind(id) {
            Some(NodeKind::Vpc(vpc)) => Some(vpc),
            _ => None,
        }
    }

    pub fn security_group(&self, id: &NodeId) -> Option<&'a SecurityGroup> {
        match self.kind(id) {
            Some(NodeKind::SecurityGroup(group)) => Some(group),
            _ => None,
        }
    }

    pub fn route_table(&self, id: &NodeId) -> Option<&'a RouteTable> {
        match self.kind(id) {
            Some(NodeKind::RouteTable(table)) => Some(table),
            _ => None,
        }
    }

    pub fn nodes(&self) -> impl Iterator<Item = &'a Node> {
        self.diagram.nodes.iter()
    }

    pub fn subnets_of_vpc(&self, vpc: &NodeId) -> &[&'a NodeId] {
        self.subnets_by_vpc.get(vpc).map_or(&[], Vec::as_slice)
    }

    /// Whether a subnet is public (VR-14), computed once per analysis.
    pub fn is_public(&self, subnet: &NodeId) -> bool {
        self.public.get(subnet).copied().unwrap_or(false)
    }

    fn compute_public(&self, subnet_id: &NodeId) -> bool {
        let Some(subnet) = self.subnet(subnet_id) else {
            return false;
        };
        let Some(table) = subnet
            .route_table
            .as_ref()
            .and_then(|id| self.route_table(id))
        else {
            return false;
        };
        table.routes.iter().any(|route| {
            route.destination.prefix_len() == 0
                && matches!(self.kind(&route.target),
                    Some(NodeKind::InternetGateway(igw)) if igw.vpc.as_ref() == Some(&subnet.vpc))
        })
    }

    /// The route table a subnet uses, `None` for the VPC's main table.
    pub fn route_table_of(&self, subnet: &NodeId) -> Option<&'a RouteTable> {
        self.subnet(subnet)?
            .route_table
            .as_ref()
            .and_then(|id| self.route_table(id))
    }

    /// The VPC a node lives in: its own `vpc` field, or that of its subnets.
    pub fn vpc_of(&self, id: &NodeId) -> Option<&'a NodeId> {
        let node = self.node(id)?;
        match &node.kind {
            NodeKind::Vpc(_) => Some(&node.id),
            NodeKind::Subnet(subnet) => Some(&subnet.vpc),
            NodeKind::InternetGateway(igw) => igw.vpc.as_ref(),
            NodeKind::RouteTable(table) => Some(&table.vpc),
            NodeKind::SecurityGroup(group) => Some(&group.vpc),
            NodeKind::VpcEndpoint(endpoint) => Some(&endpoint.vpc),
            kind => kind
                .placement_subnets()
                .first()
                .and_then(|subnet| self.subnet(subnet))
                .map(|subnet| &subnet.vpc),
        }
    }

    /// All IPv4 blocks of a VPC, primary first.
    pub fn vpc_blocks(&self, vpc: &NodeId) -> Vec<Cidr> {
        self.vpc(vpc)
            .map(|vpc| {
                std::iter::once(vpc.cidr)
                    .chain(vpc.secondary_cidrs.iter().copied())
                    .collect()
            })
            .unwrap_or_default()
    }

    /// The internet gateway attached to a VPC.
    pub fn gateway_of(&self, vpc: &NodeId) -> Option<&'a Node> {
        self.gateways.get(vpc).copied()
    }

    /// Whether some resource uses the security group.
    pub fn is_attached(&self, group: &NodeId) -> bool {
        self.attached_groups.contains(group)
    }

    /// Whether the security group is attached to a database.
    pub fn guards_database(&self, group: &NodeId) -> bool {
        self.database_groups.contains(group)
    }

    /// The VPC endpoints of a VPC, with their nodes.
    pub fn endpoints_of(
        &self,
        vpc: &NodeId,
    ) -> impl Iterator<Item = (&'a Node, &'a VpcEndpoint)> + '_ {
        self.endpoints
            .get(vpc)
            .into_iter()
            .flatten()
            .filter_map(|node| match &node.kind {
                NodeKind::VpcEndpoint(endpoint) => Some((*node, endpoint)),
                _ => None,
            })
    }

    /// A route table of the VPC that makes a subnet public, if it has one.
    pub fn public_table_of(&self, vpc: &NodeId) -> Option<&'a NodeId> {
        self.public_tables.get(vpc).copied()
    }

    pub fn are_peered(&self, a: &NodeId, b: &NodeId) -> bool {
        self.peerings.contains(&(a, b))
    }

    /// Addresses the resources placed in a subnet need there (VR-11).
    pub fn demand(&self, subnet: &NodeId) -> u64 {
        self.demand.get(subnet).copied().unwrap_or(0)
    }
}

/// Addresses one resource needs in one subnet. A resource spanning several
/// subnets spreads its interfaces evenly, rounding up.
pub fn address_demand(kind: &NodeKind, subnet: &NodeId) -> u64 {
    let subnets = kind.placement_subnets();
    if !subnets.contains(&subnet) {
        return 0;
    }
    let spread = |total: u64| total.div_ceil(subnets.len().max(1) as u64);
    match kind {
        // AWS asks for at least 8 free addresses in each load balancer subnet.
        NodeKind::LoadBalancer(_) => 8,
        NodeKind::FargateService(service) => spread(peak_tasks(service)),
        NodeKind::AuroraCluster(aurora) => spread(u64::from(aurora.instance_count)),
        // The primary, and a standby in another zone when Multi-AZ.
        NodeKind::RdsInstance(database) => spread(if database.multi_az { 2 } else { 1 }),
        // The primary and each replica.
        NodeKind::ElasticacheCache(cache) => spread(1 + u64::from(cache.replicas)),
        NodeKind::NatGateway(_)
        | NodeKind::Bastion(_)
        | NodeKind::Ec2Instance(_)
        | NodeKind::VpcEndpoint(_) => 1,
        _ => 0,
    }
}

/// Tasks running at once during a deployment: desired count x max percent.
pub fn peak_tasks(service: &FargateService) -> u64 {
    (u64::from(service.desired_count) * u64::from(service.max_percent)).div_ceil(100)
}
