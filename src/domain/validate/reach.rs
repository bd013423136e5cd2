//! Reachability from configuration, in the manner of AWS's Reachability
//! Analyzer: for each flow, follow route tables (longest prefix), gateways,
//! public addressing, load balancer listeners and target groups, and the
//! security groups at both ends; report the path or the first component that
//! blocks it, with an explanation code.
//!
//! Codes are AWS's where AWS has one; the few situations AWS's analyzer does
//! not cover (CloudFront origins, S3 public access, egress without a public
//! address) have codes starting `SD_`, listed in docs/rules.md.

use super::acl::{self, Other, Way, ANY_EPHEMERAL, LINUX_EPHEMERAL};
use super::diagnostic::{Diagnostic, Fix};
use super::index::Index;
use super::rules_network::replace_node;
use super::sg::{self, Party};
use crate::domain::edit::Command;
use crate::domain::model::*;
use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum ExplanationCode {
    #[serde(rename = "CANNOT_ROUTE")]
    CannotRoute,
    #[serde(rename = "ENI_SG_RULES_MISMATCH")]
    EniSgRulesMismatch,
    #[serde(rename = "IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS")]
    IgwPrivateIpAssociationForIngress,
    #[serde(rename = "ELB_INSTALLED_AZ_RESTRICTION")]
    ElbInstalledAzRestriction,
    #[serde(rename = "ELBV2_LISTENER_HAS_NO_TG")]
    Elbv2ListenerHasNoTg,
    #[serde(rename = "ELBV2_LISTENERS_MISMATCH")]
    Elbv2ListenersMismatch,
    #[serde(rename = "SUBNET_ACL_RESTRICTION")]
    SubnetAclRestriction,
    #[serde(rename = "SD_NO_PUBLIC_ADDRESS")]
    NoPublicAddress,
    #[serde(rename = "SD_ORIGIN_NOT_CONFIGURED")]
    OriginNotConfigured,
    #[serde(rename = "SD_BUCKET_NOT_PUBLIC")]
    BucketNotPublic,
    #[serde(rename = "SD_PORT_NOT_SERVED")]
    PortNotServed,
    #[serde(rename = "SD_NOT_A_NETWORK_ENDPOINT")]
    NotANetworkEndpoint,
}

impl ExplanationCode {
    pub fn as_str(self) -> &'static str {
        match self {
            ExplanationCode::CannotRoute => "CANNOT_ROUTE",
            ExplanationCode::EniSgRulesMismatch => "ENI_SG_RULES_MISMATCH",
            ExplanationCode::IgwPrivateIpAssociationForIngress => {
                "IGW_PRIVATE_IP_ASSOCIATION_FOR_INGRESS"
            }
            ExplanationCode::ElbInstalledAzRestriction => "ELB_INSTALLED_AZ_RESTRICTION",
            ExplanationCode::Elbv2ListenerHasNoTg => "ELBV2_LISTENER_HAS_NO_TG",
            ExplanationCode::Elbv2ListenersMismatch => "ELBV2_LISTENERS_MISMATCH",
            ExplanationCode::SubnetAclRestriction => "SUBNET_ACL_RESTRICTION",
            ExplanationCode::NoPublicAddress => "SD_NO_PUBLIC_ADDRESS",
            ExplanationCode::OriginNotConfigured => "SD_ORIGIN_NOT_CONFIGURED",
            ExplanationCode::BucketNotPublic => "SD_BUCKET_NOT_PUBLIC",
            ExplanationCode::PortNotServed => "SD_PORT_NOT_SERVED",
            ExplanationCode::NotANetworkEndpoint => "SD_NOT_A_NETWORK_ENDPOINT",
        }
    }
}

/// One component a flow passes.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Hop {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub node: Option<NodeId>,
    pub description: String,
}

/// Where and why a flow stops.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Blocked {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub node: Option<NodeId>,
    pub code: ExplanationCode,
    pub explanation: String,
    #[serde(skip)]
    pub fix: Option<Fix>,
    /// The numbered rule of a network ACL that denies the flow (`None`
    /// too when its final `*` rule does).
    #[serde(skip)]
    pub denied_by: Option<AclDeny>,
}

/// A network ACL's rule that denies a flow.
#[derive(Clone, Debug, PartialEq)]
pub struct AclDeny {
    pub acl: NodeId,
    /// Whether the rule is one of its inbound rules.
    pub inbound: bool,
    pub rule: u16,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FlowKind {
    /// A traffic edge the user drew.
    Drawn,
    /// Tasks pulling images and sending logs (implied by every Fargate service).
    ImagePull,
    /// Tasks reading their secrets from Secrets Manager when they start
    /// (implied by a container with secrets).
    Secrets,
    /// CloudFront fetching from an origin, or an HTTP API forwarding to a
    /// load balancer (implied by every origin and route to one).
    Origin,
    /// A question asked with [`query`].
    Query,
}

/// Whether a flow gets through: to every target, to some of them, or to none.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Reachable,
    /// It gets through from or to some of an end's subnets, not all: a load
    /// balancer not enabled in one of its service's zones, a subnet whose
    /// route table cuts it off.
    Partial,
    Blocked,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Reachable => "reachable",
            Verdict::Partial => "partially reachable",
            Verdict::Blocked => "blocked",
        }
    }
}

/// A subnet of one end that a partially reachable flow does not get
/// through from or to, and why.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CutOff {
    pub subnet: NodeId,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub zone: String,
    pub blocked: Blocked,
}

impl CutOff {
    /// `subnet (zone): why (CODE)`, with the subnet named as the caller
    /// shows it.
    pub fn describe(&self, subnet: &str) -> String {
        format!(
            "{subnet} ({}): {} ({})",
            self.zone,
            self.blocked.explanation,
            self.blocked.code.as_str()
        )
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FlowVerdict {
    pub kind: FlowKind,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub edge: Option<EdgeId>,
    pub from: NodeId,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to: Option<NodeId>,
    pub protocol: Protocol,
    pub port: u16,
    pub description: String,
    /// True only when the flow gets through to every target.
    pub reachable: bool,
    pub verdict: Verdict,
    /// The path walked: to the destination when some of the flow gets
    /// through, else up to the component that blocks it.
    pub hops: Vec<Hop>,
    /// Why the flow does not get through (for a partial flow, the first
    /// subnet cut off).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub blocked: Option<Blocked>,
    /// For a partial flow, every subnet cut off.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub cut_off: Vec<CutOff>,
}

/// A "must not exist" scope and whether it holds.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ScopeVerdict {
    pub id: String,
    pub builtin: bool,
    pub from: Option<NodeId>,
    pub to: NodeId,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub port: Option<u16>,
    pub description: String,
    pub holds: bool,
    /// The path that breaks the scope, when it does not hold.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub path: Vec<Hop>,
}

/// Where a flow's end sits in the network.
#[derive(Clone, Debug)]
enum Place<'a> {
    /// Outside AWS, with the block its traffic comes from.
    Outside(Cidr),
    /// In a VPC: its subnets, groups and whether it has a public address.
    Vpc {
        vpc: &'a NodeId,
        subnets: Vec<&'a NodeId>,
        groups: &'a [NodeId],
        public_address: bool,
    },
    /// An AWS service reached over its public endpoints (S3, CloudFront, ECR, ...).
    Service,
    /// Not something traffic can reach (a subnet, a cluster) or not placed.
    Nowhere(String),
}

fn place_of<'a>(ix: &Index<'a>, node: &'a Node) -> Place<'a> {
    let in_vpc =
        |subnets: Vec<&'a NodeId>, groups: &'a [NodeId], public_address: bool| match subnets
            .first()
            .and_then(|first| ix.subnet(first))
        {
            Some(subnet) => Place::Vpc {
                vpc: &subnet.vpc,
                subnets,
                groups,
                public_address,
            },
            None => Place::Nowhere(format!("{:?} is not placed in any subnet", node.name)),
        };
    match &node.kind {
        NodeKind::Internet(_) => Place::Outside(sg::any_address()),
        NodeKind::ExternalClient(client) => Place::Outside(client.cidr.canonical()),
        NodeKind::LoadBalancer(alb) => in_vpc(
            alb.subnets.iter().collect(),
            &alb.security_groups,
            alb.scheme == LoadBalancerScheme::InternetFacing,
        ),
        NodeKind::FargateService(service) => in_vpc(
            service.subnets.iter().collect(),
            &service.security_groups,
            service.assign_public_ip,
        ),
        NodeKind::AuroraCluster(aurora) => in_vpc(
            aurora.subnets.iter().collect(),
            &aurora.security_groups,
            aurora.publicly_accessible,
        ),
        NodeKind::RdsInstance(database) => in_vpc(
            database.subnets.iter().collect(),
            &database.security_groups,
            database.publicly_accessible,
        ),
        // ElastiCache gives nodes no public address.
        NodeKind::ElasticacheCache(cache) => in_vpc(
            cache.subnets.iter().collect(),
            &cache.security_groups,
            false,
        ),
        // Lambda gives a function's interfaces no public address; outside
        // a VPC it calls AWS's APIs and the internet from Lambda's own
        // network, as a regional service does.
        NodeKind::LambdaFunction(function) if function.subnets.is_empty() => Place::Service,
        NodeKind::LambdaFunction(function) => in_vpc(
            function.subnets.iter().collect(),
            &function.security_groups,
            false,
        ),
        // As a source, an HTTP API sends from its VPC link's interfaces (as
        // a destination it is always its regional endpoint: see `walk`).
        NodeKind::HttpApi(api) if !api.vpc_link_subnets.is_empty() => in_vpc(
            api.vpc_link_subnets.iter().collect(),
            &api.vpc_link_security_groups,
            false,
        ),
        NodeKind::HttpApi(_) => Place::Service,
        // The launch template gives instances no public address.
        NodeKind::AutoScalingGroup(group) => in_vpc(
            group.subnets.iter().collect(),
            &group.security_groups,
            false,
        ),
        NodeKind::Bastion(bastion) => in_vpc(
            vec![&bastion.subnet],
            &bastion.security_groups,
            bastion.public_ip,
        ),
        NodeKind::Ec2Instance(instance) => in_vpc(
            vec![&instance.subnet],
            &instance.security_groups,
            instance.public_ip,
        ),
        NodeKind::VpcEndpoint(endpoint) if !endpoint.service.is_gateway() => in_vpc(
            endpoint.subnets.iter().collect(),
            &endpoint.security_groups,
            false,
        ),
        NodeKind::S3Bucket(_)
        | NodeKind::DynamodbTable(_)
        | NodeKind::SqsQueue(_)
        | NodeKind::SnsTopic(_)
        | NodeKind::Secret(_)
        | NodeKind::CloudFront(_)
        | NodeKind::EcrRepository(_)
        | NodeKind::Route53Zone(_)
        | NodeKind::AcmCertificate(_) => Place::Service,
        other => Place::Nowhere(format!(
            "{:?} is a {}, which has no network interface; draw traffic to the resources in it",
            node.name,
            other.tag().label().to_ascii_lowercase()
        )),
    }
}

/// A flow's end: a node, or the internet itself for built-in scopes.
struct End<'a> {
    node: Option<&'a Node>,
    name: String,
    place: Place<'a>,
}

impl<'a> End<'a> {
    fn of(ix: &Index<'a>, node: &'a Node) -> End<'a> {
        End {
            node: Some(node),
            name: format!("{:?}", node.name),
            place: place_of(ix, node),
        }
    }

    fn internet() -> End<'a> {
        End {
            node: None,
            name: "the internet".into(),
            place: Place::Outside(sg::any_address()),
        }
    }

    fn id(&self) -> Option<NodeId> {
        self.node.map(|node| node.id.clone())
    }

    /// The subnets the end sits in (none outside a VPC).
    fn subnets(&self) -> &[&'a NodeId] {
        match &self.place {
            Place::Vpc { subnets, .. } => subnets,
            _ => &[],
        }
    }

    /// The same end, as if it sat in one of its subnets only.
    fn in_subnet(&self, subnet: &'a NodeId) -> End<'a> {
        let place = match &self.place {
            Place::Vpc {
                vpc,
                groups,
                public_address,
                ..
            } => Place::Vpc {
                vpc,
                subnets: vec![subnet],
                groups,
                public_address: *public_address,
            },
            other => other.clone(),
        };
        End {
            node: self.node,
            name: self.name.clone(),
            place,
        }
    }
}

/// Hops walked so far; a blocked step ends the walk with `Err`.
struct Trace<'i, 'a> {
    ix: &'i Index<'a>,
    protocol: Protocol,
    port: u16,
    hops: Vec<Hop>,
    /// The network ACLs already described as a hop, each way.
    acls_passed: Vec<(&'a NodeId, Way)>,
    /// Whether a stop comes with the edit that would open it: only what is
    /// shown as a problem needs one, and working one out can copy nodes.
    fixes: bool,
}

/// Boxed: a blocked step carries a fix, which is large next to `()`.
type Step = Result<(), Box<Blocked>>;

pub(super) fn blocked(
    node: Option<NodeId>,
    code: ExplanationCode,
    explanation: String,
) -> Box<Blocked> {
    Box::new(Blocked {
        node,
        code,
        explanation,
        fix: None,
        denied_by: None,
    })
}

impl<'i, 'a> Trace<'i, 'a> {
    fn hop(&mut self, node: Option<&NodeId>, description: String) {
        self.hops.push(Hop {
            node: node.cloned(),
            description,
        });
    }

    fn ports(&self) -> String {
        sg::describe_ports(self.protocol, self.port)
    }

    /// From outside AWS into a VPC through its internet gateway.
    fn ingress_from_outside(&mut self, source: Cidr, source_name: &str, to: &End<'a>) -> Step {
        let ix = self.ix;
        let Place::Vpc {
            vpc,
            subnets,
            groups,
            public_address,
        } = &to.place
        else {
            return Ok(());
        };
        let Some(igw) = attached_gateway(ix, vpc) else {
            return Err(blocked(
                Some((*vpc).clone()),
                ExplanationCode::CannotRoute,
                format!("VPC {} has no internet gateway attached, so no traffic enters from {source_name}", ix.name(vpc)),
            ));
        };
        self.hop(Some(&igw.id), format!("internet gateway {:?}", igw.name));
        for subnet in subnets {
            match lookup(ix, vpc, subnet, source) {
                RouteHit::Target(target) if target == &igw.id => {}
                _ => {
                    let mut stop = blocked(
                        Some((*subnet).clone()),
                        ExplanationCode::CannotRoute,
                        format!(
                            "subnet {} is private: its route table does not send {source} to the internet gateway, so {} cannot answer {source_name}",
                            ix.name(subnet),
                            to.name
                        ),
                    );
                    if self.fixes {
                        stop.fix =
                            super::rules_network::make_public(ix, subnet).map(|command| Fix {
                                label: format!("Make {} public", ix.name(subnet)),
                                command,
                            });
                    }
                    return Err(stop);
                }
            }
        }
        if let Some(first) = subnets.first() {
            self.hop(
                Some(first),
                format!(
                    "route table of {}: replies to {source} go to the internet gateway",
                    ix.name(first)
                ),
            );
        }
        if !public_address {
            let what = match to.node.map(Node::tag) {
                Some(KindTag::LoadBalancer) => "is internal (not internet-facing)",
                _ => "has no public IP address",
            };
            let mut stop = blocked(
                to.id(),
                ExplanationCode::IgwPrivateIpAssociationForIngress,
                format!("{} {what}, so the internet gateway has nothing to send {source_name}'s traffic to", to.name),
            );
            if self.fixes {
                stop.fix = to.node.and_then(public_address_fix);
            }
            return Err(stop);
        }
        for subnet in subnets {
            self.through_acl(subnet, Way::In, Other::Block(source), ANY_EPHEMERAL)?;
        }
        self.listener(to)?;
        self.through_groups(Requirement {
            direction: Direction::Ingress,
            owner: to,
            groups,
            party: &Party {
                groups: &[],
                blocks: vec![source],
            },
            fix_peer: Peer::Cidr(source),
            rule_note: format!("from {}", plain(source_name)),
            blocked_detail: format!("from {source} ({source_name})"),
            hop_detail: format!("from {source}"),
        })?;
        Ok(())
    }

    /// Passes the flow through one end's security groups, or stops it there
    /// with a fix that adds the missing rule to the first group.
    fn through_groups(&mut self, need: Requirement) -> Step {
        let ix = self.ix;
        let ports = self.ports();
        let allowed = match need.direction {
            Direction::Ingress => {
                sg::allows_ingress(ix, need.groups, need.party, self.protocol, self.port)
            }
            Direction::Egress => {
                sg::allows_egress(ix, need.groups, need.party, self.protocol, self.port)
            }
        };
        if !allowed {
            let explanation = match need.direction {
                Direction::Ingress => format!(
                    "no security group of {} allows {ports} {}",
                    need.owner.name, need.blocked_detail
                ),
                Direction::Egress => format!(
                    "no security group of {} lets {ports} out to {}",
                    need.owner.name, need.blocked_detail
                ),
            };
            let mut stop = blocked(
                need.groups.first().cloned().or_else(|| need.owner.id()),
                ExplanationCode::EniSgRulesMismatch,
                explanation,
            );
            if self.fixes {
                stop.fix = add_rule_fix(
                    ix,
                    need.groups,
                    need.direction,
                    (self.protocol, self.port),
                    need.fix_peer,
                    need.rule_note,
                );
            }
            return Err(stop);
        }
        let description = match need.direction {
            Direction::Ingress => format!(
                "security groups of {} allow {ports} {}",
                need.owner.name, need.hop_detail
            ),
            Direction::Egress => {
                format!("security groups of {} allow {ports} out", need.owner.name)
            }
        };
        self.hop(need.groups.first(), description);
        Ok(())
    }

    /// A load balancer only accepts ports it listens on.
    fn listener(&mut self, to: &End<'a>) -> Step {
        if let Some(Node {
            kind: NodeKind::LoadBalancer(alb),
            id,
            ..
        }) = to.node
        {
            if !alb
                .listeners
                .iter()
                .any(|listener| listener.port == self.port)
            {
                return Err(blocked(
                    Some(id.clone()),
                    ExplanationCode::Elbv2ListenersMismatch,
                    format!("{} has no listener on port {}", to.name, self.port),
                ));
            }
            self.hop(Some(id), format!("listener on port {}", self.port));
        }
        Ok(())
    }

    /// Between two resources in VPCs (the same one, or peered ones).
    fn between(&mut self, from: &End<'a>, to: &End<'a>) -> Step {
        let ix = self.ix;
        let (
            Place::Vpc {
                vpc: from_vpc,
                subnets: from_subnets,
                groups: from_groups,
                ..
            },
            Place::Vpc {
                vpc: to_vpc,
                subnets: to_subnets,
                groups: to_groups,
                ..
            },
        ) = (&from.place, &to.place)
        else {
            return Ok(());
        };
        let (Some(from_node), Some(to_node)) = (from.node, to.node) else {
            return Ok(());
        };
        let to_party = sg::party_of(ix, to_node);
        let from_party = sg::party_of(ix, from_node);

        let egress_peer = match (from_vpc == to_vpc, to_groups.first()) {
            (true, Some(group)) => Peer::SecurityGroup(group.clone()),
            _ => Peer::Cidr(sg::any_address()),
        };
        self.through_groups(Requirement {
            direction: Direction::Egress,
            owner: from,
            groups: from_groups,
            party: &to_party,
            fix_peer: egress_peer,
            rule_note: format!("to {}", to_node.name),
            blocked_detail: to.name.clone(),
            hop_detail: String::new(),
        })?;

        if from_vpc == to_vpc {
            self.hop(
                Some(from_vpc),
                format!("local route inside VPC {}", ix.name(from_vpc)),
            );
        } else {
            self.peering_routes(from_vpc, from_subnets, to_vpc, to_subnets)?;
        }
        let client = ephemeral_ports(from_node);
        for from_subnet in from_subnets {
            for to_subnet in to_subnets {
                // Traffic inside one subnet never meets its ACL.
                if from_subnet != to_subnet {
                    let there = Other::Subnet(to_subnet, to_subnets);
                    let back = Other::Subnet(from_subnet, from_subnets);
                    self.through_acl(from_subnet, Way::Out, there, client)?;
                    self.through_acl(to_subnet, Way::In, back, client)?;
                }
            }
        }

        if let NodeKind::LoadBalancer(alb) = &from_node.kind {
            self.load_balancer_to_target(from_node, alb, to_node, to_subnets)?;
        }
        self.listener(to)?;

        let ingress_peer = match (from_vpc == to_vpc, from_groups.first()) {
            (true, Some(group)) => Peer::SecurityGroup(group.clone()),
            _ => Peer::Cidr(
                from_party
                    .blocks
                    .first()
                    .copied()
                    .unwrap_or_else(sg::any_address),
            ),
        };
        self.through_groups(Requirement {
            direction: Direction::Ingress,
            owner: to,
            groups: to_groups,
            party: &from_party,
            fix_peer: ingress_peer,
            rule_note: format!("from {}", from_node.name),
            blocked_detail: format!("from {}", from.name),
            hop_detail: format!("from {}", from.name),
        })?;
        Ok(())
    }

    fn peering_routes(
        &mut self,
        from_vpc: &NodeId,
        from_subnets: &[&NodeId],
        to_vpc: &NodeId,
        to_subnets: &[&NodeId],
    ) -> Step {
        let ix = self.ix;
        let via_peering =
            |vpc: &NodeId, subnet: &NodeId, destination: &NodeId, other_vpc: &NodeId| {
                let block = ix.subnet(destination).map(|s| s.cidr.canonical())?;
                match lookup(ix, vpc, subnet, block) {
                    RouteHit::Target(target) => match ix.kind(target) {
                        Some(NodeKind::VpcPeering(peering))
                            if (peering.requester == *vpc && peering.accepter == *other_vpc)
                                || (peering.accepter == *vpc
                                    && peering.requester == *other_vpc) =>
                        {
                            Some(target)
                        }
                        _ => None,
                    },
                    _ => None,
                }
            };
        let mut used = None;
        for from_subnet in from_subnets {
            for to_subnet in to_subnets {
                let there = via_peering(from_vpc, from_subnet, to_subnet, to_vpc);
                let back = via_peering(to_vpc, to_subnet, from_subnet, from_vpc);
                match (there, back) {
                    (Some(peering), Some(_)) => used = Some(peering),
                    (None, _) => {
                        return Err(blocked(
                            Some((*from_subnet).clone()),
                            ExplanationCode::CannotRoute,
                            format!(
                                "the route table of {} has no route to {} through a peering with VPC {}",
                                ix.name(from_subnet),
                                ix.name(to_subnet),
                                ix.name(to_vpc)
                            ),
                        ))
                    }
                    (_, None) => {
                        return Err(blocked(
                            Some((*to_subnet).clone()),
                            ExplanationCode::CannotRoute,
                            format!(
                                "the route table of {} has no route back to {} through a peering",
                                ix.name(to_subnet),
                                ix.name(from_subnet)
                            ),
                        ))
                    }
                }
            }
        }
        if let Some(peering) = used {
            self.hop(Some(peering), format!("VPC peering {}", ix.name(peering)));
        }
        Ok(())
    }

    /// An ALB reaches a target only through a listener, a target group and
    /// the zones it is enabled in.
    fn load_balancer_to_target(
        &mut self,
        alb_node: &Node,
        alb: &LoadBalancer,
        target: &Node,
        target_subnets: &[&NodeId],
    ) -> Step {
        let ix = self.ix;
        let groups: Vec<&TargetGroup> = alb
            .target_groups
            .iter()
            .filter(|group| {
                group
                    .target
                    .as_ref()
                    .is_some_and(|t| t.service == target.id)
            })
            .collect();
        let forwarded = groups.iter().find(|group| {
            alb.listeners
                .iter()
                .any(|listener| listener.action == ListenerAction::Forward(group.name.clone()))
        });
        let Some(group) = forwarded else {
            return Err(blocked(
                Some(alb_node.id.clone()),
                ExplanationCode::Elbv2ListenerHasNoTg,
                format!(
                    "no listener of {:?} forwards to a target group of {:?}",
                    alb_node.name, target.name
                ),
            ));
        };
        self.hop(
            Some(&alb_node.id),
            format!("listener -> target group {:?}", group.name),
        );
        let alb_zones: Vec<&str> = alb
            .subnets
            .iter()
            .filter_map(|s| ix.subnet(s))
            .map(|s| s.az.as_str())
            .collect();
        for subnet in target_subnets {
            if let Some(subnet) = ix.subnet(subnet) {
                if !alb_zones.contains(&subnet.az.as_str()) {
                    return Err(blocked(
                        Some(alb_node.id.clone()),
                        ExplanationCode::ElbInstalledAzRestriction,
                        format!(
                            "{:?} is not enabled in {}, where {:?} runs",
                            alb_node.name, subnet.az, target.name
                        ),
                    ));
                }
            }
        }
        Ok(())
    }

    /// From a VPC out to an address outside it: security groups, then each
    /// subnet's route (internet gateway with a public address, or NAT).
    fn egress(&mut self, from: &End<'a>, destination: Cidr, destination_name: &str) -> Step {
        let ix = self.ix;
        let Place::Vpc {
            vpc,
            subnets,
            groups,
            public_address,
        } = &from.place
        else {
            return Ok(());
        };
        self.out_of_groups(from, groups, destination, destination_name)?;
        let client = from.node.map_or(ANY_EPHEMERAL, ephemeral_ports);
        let out = Other::Block(destination);
        let mut described = false;
        for subnet in subnets {
            match lookup(ix, vpc, subnet, destination) {
                RouteHit::Target(target) => match ix.kind(target) {
                    Some(NodeKind::InternetGateway(igw)) if igw.vpc.as_ref() == Some(*vpc) => {
                        if !public_address {
                            return Err(blocked(
                                from.id(),
                                ExplanationCode::NoPublicAddress,
                                format!(
                                    "{} sits in the public subnet {} without a public IP, so the internet gateway cannot carry its traffic",
                                    from.name,
                                    ix.name(subnet)
                                ),
                            ));
                        }
                        self.through_acl(subnet, Way::Out, out, client)?;
                        if !described {
                            self.hop(Some(target), format!("internet gateway {}", ix.name(target)));
                        }
                    }
                    Some(NodeKind::NatGateway(nat)) => {
                        self.nat_works(target, nat)?;
                        self.through_acl(subnet, Way::Out, out, client)?;
                        // The NAT's own subnet: the task's packets enter it,
                        // leave it translated, and the replies come back.
                        if &nat.subnet != *subnet {
                            let tasks = Other::Subnet(subnet, subnets);
                            self.through_acl(&nat.subnet, Way::In, tasks, client)?;
                        }
                        self.through_acl(&nat.subnet, Way::Out, out, ANY_EPHEMERAL)?;
                        if !described {
                            self.hop(Some(target), format!("NAT gateway {}", ix.name(target)));
                        }
                    }
                    _ => {
                        return Err(blocked(
                            Some((*subnet).clone()),
                            ExplanationCode::CannotRoute,
                            format!(
                                "the route table of {} sends {destination} to {}, which does not lead to {destination_name}",
                                ix.name(subnet),
                                ix.name(target)
                            ),
                        ))
                    }
                },
                RouteHit::Local | RouteHit::None => {
                    return Err(blocked(
                        Some((*subnet).clone()),
                        ExplanationCode::CannotRoute,
                        format!(
                            "subnet {} has no route to {destination_name}: its route table has neither a NAT gateway nor an internet gateway route for {destination}",
                            ix.name(subnet)
                        ),
                    ))
                }
            }
            described = true;
        }
        Ok(())
    }

    /// The source's groups must let the traffic out to `destination`; the
    /// fix offered opens it to any address.
    fn out_of_groups(
        &mut self,
        from: &End<'a>,
        groups: &[NodeId],
        destination: Cidr,
        destination_name: &str,
    ) -> Step {
        self.through_groups(Requirement {
            direction: Direction::Egress,
            owner: from,
            groups,
            party: &Party {
                groups: &[],
                blocks: vec![destination],
            },
            fix_peer: Peer::Cidr(sg::any_address()),
            rule_note: format!("to {}", plain(destination_name)),
            blocked_detail: destination_name.to_string(),
            hop_detail: String::new(),
        })
    }

    /// A packet crossing a subnet's edge `way`, to or from `other`, and its
    /// reply the other way on the client's ephemeral `client` ports: the
    /// subnet's network ACL must allow both.
    fn through_acl(
        &mut self,
        subnet: &'a NodeId,
        way: Way,
        other: Other,
        client: (u16, u16),
    ) -> Step {
        let ix = self.ix;
        let Some((node, acl)) = ix.acl_of(subnet) else {
            return Ok(());
        };
        let crossing = acl::Crossing {
            subnet,
            way,
            other,
            client,
            protocol: self.protocol,
            port: self.port,
        };
        let description = acl::cross(ix, node, acl, &crossing)?;
        if !description.is_empty() && !self.acls_passed.contains(&(&node.id, way)) {
            self.acls_passed.push((&node.id, way));
            self.hop(Some(&node.id), description);
        }
        Ok(())
    }

    fn nat_works(&mut self, id: &NodeId, nat: &NatGateway) -> Step {
        let ix = self.ix;
        if nat.connectivity == NatConnectivity::Private {
            return Err(blocked(
                Some(id.clone()),
                ExplanationCode::CannotRoute,
                format!(
                    "NAT gateway {} is private and cannot reach the internet",
                    ix.name(id)
                ),
            ));
        }
        if !nat.elastic_ip || !ix.is_public(&nat.subnet) {
            return Err(blocked(
                Some(id.clone()),
                ExplanationCode::CannotRoute,
                format!(
                    "NAT gateway {} cannot reach the internet: it needs an Elastic IP and a public subnet ({} is {})",
                    ix.name(id),
                    ix.name(&nat.subnet),
                    if ix.is_public(&nat.subnet) { "public" } else { "private" }
                ),
            ));
        }
        Ok(())
    }

    /// Tasks calling the APIs of AWS services, one after the other: each
    /// through its VPC endpoint when the VPC has a usable one, else out
    /// through the subnet's route. `hint` says what would give a way out
    /// when neither exists.
    fn apis(&mut self, from: &End<'a>, services: &[EndpointService], hint: &str) -> Step {
        let ix = self.ix;
        let Place::Vpc { vpc, subnets, .. } = &from.place else {
            return Ok(());
        };
        let missing = missing_endpoints(ix, vpc, subnets, services);
        // Every service without an endpoint takes the same way out: walk it once.
        let mut went_out = false;
        for service in services {
            let label = endpoint_name(*service);
            let through_endpoint = !missing.contains(service);
            if !through_endpoint && std::mem::replace(&mut went_out, true) {
                continue;
            }
            self.aws_service(from, *service).map_err(|mut stop| {
                stop.explanation = if through_endpoint {
                    format!("{label} through its VPC endpoint: {}", stop.explanation)
                } else if missing.len() < services.len() {
                    let names: Vec<&str> = missing.iter().map(|s| endpoint_name(*s)).collect();
                    format!(
                        "{label}: {}; the VPC endpoints would also do, but these are missing: {}",
                        stop.explanation,
                        names.join(", ")
                    )
                } else {
                    format!("{label}: {}; {hint}", stop.explanation)
                };
                stop
            })?;
        }
        Ok(())
    }

    /// One AWS service's API, as AWS routes it: an interface endpoint with
    /// private DNS takes the service's name inside the VPC (so its security
    /// groups must admit the caller on tcp/443, and the caller's must let it
    /// out); a gateway endpoint adds a route on the subnet's table (the
    /// caller's groups must let tcp/443 out to the service's addresses);
    /// otherwise the traffic follows the default route to a NAT or internet
    /// gateway.
    fn aws_service(&mut self, from: &End<'a>, service: EndpointService) -> Step {
        let ix = self.ix;
        let Place::Vpc {
            vpc,
            subnets,
            groups,
            ..
        } = &from.place
        else {
            return Ok(());
        };
        let label = endpoint_name(service);
        match usable_endpoint(ix, vpc, subnets, service) {
            Some(endpoint) if service.is_gateway() => {
                // The service's addresses are public ones (a prefix list).
                self.out_of_groups(from, groups, sg::any_address(), label)?;
                let client = from.node.map_or(ANY_EPHEMERAL, ephemeral_ports);
                for subnet in subnets {
                    self.through_acl(subnet, Way::Out, Other::Block(sg::any_address()), client)?;
                }
                self.hop(
                    Some(&endpoint.id),
                    format!("gateway endpoint {:?} for {label}", endpoint.name),
                );
                Ok(())
            }
            Some(endpoint) => {
                self.between(from, &End::of(ix, endpoint))?;
                self.hop(
                    Some(&endpoint.id),
                    format!("interface endpoint {:?} for {label}", endpoint.name),
                );
                Ok(())
            }
            None => self.egress(from, sg::any_address(), label),
        }
    }

    /// From a VPC to an AWS service: a matching VPC endpoint, or the internet.
    fn service_from_vpc(&mut self, from: &End<'a>, to: &End<'a>) -> Step {
        let ix = self.ix;
        let Place::Vpc { vpc, subnets, .. } = &from.place else {
            return Ok(());
        };
        let wanted: &[EndpointService] = match to.node.map(Node::tag) {
            // DynamoDB's API, as tasks call it: its gateway endpoint on the
            // subnet's table, else the route out.
            Some(KindTag::DynamodbTable) => {
                return self.apis(
                    from,
                    &[EndpointService::Dynamodb],
                    "a DynamoDB gateway endpoint on the subnet's route table, or a route out through a NAT gateway, gives one",
                );
            }
            Some(KindTag::SqsQueue) => {
                return self.apis(
                    from,
                    &[EndpointService::Sqs],
                    "an SQS interface endpoint in the service's subnets, or a route out through a NAT gateway, gives one",
                );
            }
            Some(KindTag::SnsTopic) => {
                return self.apis(
                    from,
                    &[EndpointService::Sns],
                    "an SNS interface endpoint in the service's subnets, or a route out through a NAT gateway, gives one",
                );
            }
            Some(KindTag::Secret) => {
                return self.apis(
                    from,
                    &[EndpointService::SecretsManager],
                    "a Secrets Manager interface endpoint in the caller's subnets, or a route out through a NAT gateway, gives one",
                );
            }
            Some(KindTag::S3Bucket) => &[EndpointService::S3],
            Some(KindTag::EcrRepository) => &[
                EndpointService::EcrApi,
                EndpointService::EcrDkr,
                EndpointService::S3,
            ],
            _ => &[],
        };
        if !wanted.is_empty() && missing_endpoints(ix, vpc, subnets, wanted).is_empty() {
            self.hop(None, format!("VPC endpoints for {}", to.name));
            return Ok(());
        }
        self.egress(from, sg::any_address(), &to.name)
    }
}

#[derive(Clone, Copy)]
enum Direction {
    Ingress,
    Egress,
}

/// One end's security groups must admit a flow.
struct Requirement<'r> {
    direction: Direction,
    owner: &'r End<'r>,
    groups: &'r [NodeId],
    /// The other end, as the groups see it.
    party: &'r Party<'r>,
    /// Who the rule offered as a fix would admit.
    fix_peer: Peer,
    /// The fix rule's description.
    rule_note: String,
    /// Ingress: "from X"; egress: the destination's name.
    blocked_detail: String,
    /// Ingress: "from X"; unused for egress.
    hop_detail: String,
}

/// A fix that adds one rule to the first of the groups.
fn add_rule_fix(
    ix: &Index,
    groups: &[NodeId],
    direction: Direction,
    (protocol, port): (Protocol, u16),
    peer: Peer,
    description: String,
) -> Option<Fix> {
    let group = ix.node(groups.first()?)?;
    let label = format!(
        "Allow {} {} in {:?}",
        match direction {
            Direction::Ingress => "inbound",
            Direction::Egress => "outbound",
        },
        sg::describe_ports(protocol, port),
        group.name
    );
    let command = replace_node(group, |kind| {
        if let NodeKind::SecurityGroup(group) = kind {
            let rule = sg::rule(protocol, port, peer, &description);
            match direction {
                Direction::Ingress => group.ingress.push(rule),
                Direction::Egress => group.egress.push(rule),
            }
        }
    });
    Some(Fix { label, command })
}

/// The ports a node's connections leave from, which replies must reach.
fn ephemeral_ports(node: &Node) -> (u16, u16) {
    match node.tag() {
        KindTag::FargateService
        | KindTag::Bastion
        | KindTag::AutoScalingGroup
        | KindTag::Ec2Instance
        | KindTag::AuroraCluster
        | KindTag::RdsInstance
        | KindTag::ElasticacheCache => LINUX_EPHEMERAL,
        _ => ANY_EPHEMERAL,
    }
}

/// A display name without the quotes `{:?}` put around it.
fn plain(name: &str) -> String {
    name.trim_matches('"').to_string()
}

fn attached_gateway<'a>(ix: &Index<'a>, vpc: &NodeId) -> Option<&'a Node> {
    ix.gateway_of(vpc)
}

enum RouteHit<'a> {
    Local,
    Target(&'a NodeId),
    None,
}

/// Longest-prefix match in a subnet's route table; the VPC's own blocks are local.
fn lookup<'a>(ix: &Index<'a>, vpc: &NodeId, subnet: &NodeId, destination: Cidr) -> RouteHit<'a> {
    if ix
        .vpc_blocks(vpc)
        .iter()
        .any(|block| block.canonical().contains(&destination))
    {
        return RouteHit::Local;
    }
    let Some(table) = ix.route_table_of(subnet) else {
        return RouteHit::None;
    };
    table
        .routes
        .iter()
        .filter(|route| route.destination.canonical().contains(&destination))
        .max_by_key(|route| route.destination.prefix_len())
        .map_or(RouteHit::None, |route| RouteHit::Target(&route.target))
}

/// The endpoint that carries a service's traffic from these subnets: a
/// gateway endpoint on every subnet's route table, or an interface endpoint
/// in the VPC when the VPC resolves private DNS (without DNS support and
/// hostnames the service's name never points at the endpoint: VR-46).
fn usable_endpoint<'a>(
    ix: &Index<'a>,
    vpc: &NodeId,
    subnets: &[&NodeId],
    service: EndpointService,
) -> Option<&'a Node> {
    let private_dns = ix
        .vpc(vpc)
        .is_some_and(|vpc| vpc.dns_support && vpc.dns_hostnames);
    ix.endpoints_of(vpc)
        .find(|(_, endpoint)| {
            endpoint.service == service
                && if service.is_gateway() {
                    subnets.iter().all(|subnet| {
                        ix.subnet(subnet)
                            .and_then(|s| s.route_table.as_ref())
                            .is_some_and(|table| endpoint.route_tables.contains(table))
                    })
                } else {
                    private_dns
                }
        })
        .map(|(node, _)| node)
}

/// The services without a usable endpoint for the subnets (empty when every
/// one has one).
fn missing_endpoints(
    ix: &Index,
    vpc: &NodeId,
    subnets: &[&NodeId],
    wanted: &[EndpointService],
) -> Vec<EndpointService> {
    wanted
        .iter()
        .copied()
        .filter(|service| usable_endpoint(ix, vpc, subnets, *service).is_none())
        .collect()
}

/// How a flow travels between its ends.
#[derive(Clone, Copy)]
enum Walk<'w> {
    /// Packets from one end to the other.
    Direct,
    /// The source calling AWS services' APIs, with what would give it a way
    /// out when nothing does.
    Apis(&'w [EndpointService], &'w str),
}

/// A flow's result before it becomes a verdict.
struct Outcome {
    verdict: Verdict,
    hops: Vec<Hop>,
    blocked: Option<Blocked>,
    cut_off: Vec<CutOff>,
}

/// Walks a flow once, from `from` to `to`; `fixes`: whether a stop comes
/// with the edit that would open it.
fn trace_once(
    ix: &Index,
    from: &End,
    to: &End,
    protocol: Protocol,
    port: u16,
    how: Walk,
    fixes: bool,
) -> (Vec<Hop>, Step) {
    let mut trace = Trace {
        ix,
        protocol,
        port,
        hops: Vec::new(),
        acls_passed: Vec::new(),
        fixes,
    };
    trace.hop(from.node.map(|node| &node.id), from.name.clone());
    let result = match how {
        Walk::Direct => walk(&mut trace, from, to),
        Walk::Apis(services, hint) => match &from.place {
            Place::Nowhere(why) => Err(blocked(
                from.id(),
                ExplanationCode::NotANetworkEndpoint,
                why.clone(),
            )),
            _ => trace.apis(from, services, hint),
        },
    };
    if result.is_ok() {
        trace.hop(to.node.map(|node| &node.id), to.name.clone());
    }
    // Several services' calls pass the same groups and gateways: say it once.
    let mut hops: Vec<Hop> = Vec::with_capacity(trace.hops.len());
    for hop in trace.hops {
        if !hops.contains(&hop) {
            hops.push(hop);
        }
    }
    (hops, result)
}

/// Walks a flow; when it is blocked as a whole and one end spans several
/// subnets (the destination first, else the source), walks it from or to each
/// of them alone, so a flow that gets through from or to some is partially
/// reachable, with the others listed as cut off.
fn evaluate(ix: &Index, from: &End, to: &End, protocol: Protocol, port: u16, how: Walk) -> Outcome {
    let (hops, result) = trace_once(ix, from, to, protocol, port, how, true);
    let Err(stop) = result else {
        return Outcome {
            verdict: Verdict::Reachable,
            hops,
            blocked: None,
            cut_off: Vec::new(),
        };
    };
    let whole = Outcome {
        verdict: Verdict::Blocked,
        hops,
        blocked: Some(*stop),
        cut_off: Vec::new(),
    };
    let (by_source, subnets) = split_by(from, to);
    if subnets.len() < 2 {
        return whole;
    }
    let mut through = None;
    let mut cut_off = Vec::new();
    for subnet in subnets {
        let walked = in_part(from, to, by_source, subnet, |source, destination| {
            trace_once(ix, source, destination, protocol, port, how, true)
        });
        match walked {
            (part_hops, Ok(())) => {
                through.get_or_insert(part_hops);
            }
            (_, Err(stop)) => cut_off.push(CutOff {
                subnet: (*subnet).clone(),
                zone: ix.subnet(subnet).map(|s| s.az.clone()).unwrap_or_default(),
                blocked: *stop,
            }),
        }
    }
    match through {
        // Each part alone gets through where the whole did not: the whole's
        // reason stands.
        Some(_) if cut_off.is_empty() => whole,
        Some(hops) => Outcome {
            verdict: Verdict::Partial,
            hops,
            blocked: cut_off.first().map(|cut| cut.blocked.clone()),
            cut_off,
        },
        None => whole,
    }
}

/// Whether `evaluate` could find some of a direct flow getting through,
/// walked part by part without fixes. When no part gets through, neither
/// does the whole (each part is the whole with fewer subnets to pass), so
/// `evaluate` says `Blocked`: most scopes hold, and this spares them the
/// walk of the whole and the fixes nobody is shown.
fn some_part_gets_through(ix: &Index, from: &End, to: &End, protocol: Protocol, port: u16) -> bool {
    let gets_through = |from: &End, to: &End| {
        trace_once(ix, from, to, protocol, port, Walk::Direct, false)
            .1
            .is_ok()
    };
    let (by_source, subnets) = split_by(from, to);
    if subnets.len() < 2 {
        return gets_through(from, to);
    }
    subnets
        .iter()
        .any(|subnet| in_part(from, to, by_source, subnet, gets_through))
}

/// The subnets a flow is judged by part by part: the destination's when it
/// spans several, else the source's (then the first is true).
fn split_by<'e, 'a>(from: &'e End<'a>, to: &'e End<'a>) -> (bool, &'e [&'a NodeId]) {
    let by_source = to.subnets().len() < 2;
    let subnets = if by_source {
        from.subnets()
    } else {
        to.subnets()
    };
    (by_source, subnets)
}

/// `walk` of the flow with its split end in `subnet` alone.
fn in_part<'a, R>(
    from: &End<'a>,
    to: &End<'a>,
    by_source: bool,
    subnet: &'a NodeId,
    walk: impl FnOnce(&End<'a>, &End<'a>) -> R,
) -> R {
    if by_source {
        walk(&from.in_subnet(subnet), to)
    } else {
        walk(from, &to.in_subnet(subnet))
    }
}

fn walk<'a>(trace: &mut Trace<'_, 'a>, from: &End<'a>, to: &End<'a>) -> Step {
    for end in [from, to] {
        if let Place::Nowhere(why) = &end.place {
            return Err(blocked(
                end.id(),
                ExplanationCode::NotANetworkEndpoint,
                why.clone(),
            ));
        }
    }
    // A function's interfaces only start connections: nothing connects to
    // a function, it is invoked through Lambda's API.
    if let Some(function) = to.node.filter(|n| n.tag() == KindTag::LambdaFunction) {
        return Err(blocked(
            Some(function.id.clone()),
            ExplanationCode::NotANetworkEndpoint,
            format!(
                "{} accepts no connections: a Lambda function is invoked through Lambda's API (as a load balancer's target, by API Gateway or by an event source), never connected to",
                to.name
            ),
        ));
    }
    // Requests to an HTTP API reach its regional endpoint, whatever its VPC
    // link.
    if let Some(api) = to.node.filter(|n| n.tag() == KindTag::HttpApi) {
        if !matches!(to.place, Place::Service) {
            let endpoint = End {
                node: Some(api),
                name: to.name.clone(),
                place: Place::Service,
            };
            return walk(trace, from, &endpoint);
        }
    }
    match (&from.place, &to.place) {
        (Place::Outside(source), Place::Vpc { .. }) => {
            trace.ingress_from_outside(*source, &from.name, to)
        }
        (Place::Vpc { .. }, Place::Vpc { .. }) => trace.between(from, to),
        (Place::Vpc { .. }, Place::Outside(destination)) => {
            trace.egress(from, *destination, &to.name)
        }
        (Place::Vpc { .. }, Place::Service) => trace.service_from_vpc(from, to),
        (Place::Outside(_), Place::Service) => reach_service_from_outside(trace, to),
        (Place::Service, Place::Service) => service_to_service(trace, from, to),
        (Place::Service, Place::Vpc { .. }) => {
            if from.node.map(Node::tag) == Some(KindTag::CloudFront) {
                origin_configured(trace, from, to)?;
            }
            trace.ingress_from_outside(sg::any_address(), &from.name, to)
        }
        (Place::Outside(_) | Place::Service, Place::Outside(_)) => Ok(()),
        // Refused above, before any hop.
        (Place::Nowhere(_), _) | (_, Place::Nowhere(_)) => Ok(()),
    }
}

fn reach_service_from_outside(trace: &mut Trace, to: &End) -> Step {
    match to.node.map(|node| &node.kind) {
        Some(NodeKind::CloudFront(_))
            if trace.protocol != Protocol::Tcp || !matches!(trace.port, 80 | 443) =>
        {
            Err(blocked(
                to.id(),
                ExplanationCode::PortNotServed,
                format!("{} serves only tcp/80 and tcp/443", to.name),
            ))
        }
        Some(NodeKind::HttpApi(_)) if trace.protocol != Protocol::Tcp || trace.port != 443 => {
            Err(blocked(
                to.id(),
                ExplanationCode::PortNotServed,
                format!("{} serves only HTTPS, on tcp/443", to.name),
            ))
        }
        Some(NodeKind::S3Bucket(bucket)) if bucket.block_public_access => Err(blocked(
            to.id(),
            ExplanationCode::BucketNotPublic,
            format!(
                "{} blocks public access; serve it through CloudFront with Origin Access Control",
                to.name
            ),
        )),
        _ => Ok(()),
    }
}

fn origin_configured(trace: &mut Trace, from: &End, to: &End) -> Step {
    let Some(NodeKind::CloudFront(distribution)) = from.node.map(|node| &node.kind) else {
        return Ok(());
    };
    let Some(target) = to.node else { return Ok(()) };
    match distribution
        .origins
        .iter()
        .find(|origin| origin.target == target.id)
    {
        Some(origin) => {
            let pattern = origin
                .path_pattern
                .as_deref()
                .unwrap_or("default behaviour");
            trace.hop(from.id().as_ref(), format!("origin for {pattern}"));
            Ok(())
        }
        None => Err(blocked(
            from.id(),
            ExplanationCode::OriginNotConfigured,
            format!("{} has no origin pointing at {}", from.name, to.name),
        )),
    }
}

fn service_to_service(trace: &mut Trace, from: &End, to: &End) -> Step {
    if from.node.map(Node::tag) != Some(KindTag::CloudFront) {
        return Ok(());
    }
    origin_configured(trace, from, to)?;
    let (Some(NodeKind::CloudFront(distribution)), Some(NodeKind::S3Bucket(bucket))) =
        (from.node.map(|n| &n.kind), to.node.map(|n| &n.kind))
    else {
        return Ok(());
    };
    let Some(target) = to.node else { return Ok(()) };
    let access = distribution
        .origins
        .iter()
        .find(|origin| origin.target == target.id)
        .map(|origin| origin.access);
    match access {
        Some(OriginAccess::Oac | OriginAccess::LegacyOai) => {
            trace.hop(to.id().as_ref(), "bucket policy for the distribution".into());
            Ok(())
        }
        _ if bucket.block_public_access => Err(blocked(
            to.id(),
            ExplanationCode::BucketNotPublic,
            format!(
                "{} reaches {} as a public origin, but the bucket blocks public access; use Origin Access Control",
                from.name, to.name
            ),
        )),
        _ => Ok(()),
    }
}

/// What a flow is, apart from its ends and its result.
struct FlowSpec {
    kind: FlowKind,
    edge: Option<EdgeId>,
    protocol: Protocol,
    port: u16,
    description: String,
}

fn verdict(spec: FlowSpec, from: &Node, to: Option<&Node>, outcome: Outcome) -> FlowVerdict {
    FlowVerdict {
        kind: spec.kind,
        edge: spec.edge,
        from: from.id.clone(),
        to: to.map(|node| node.id.clone()),
        protocol: spec.protocol,
        port: spec.port,
        description: spec.description,
        reachable: outcome.verdict == Verdict::Reachable,
        verdict: outcome.verdict,
        hops: outcome.hops,
        blocked: outcome.blocked,
        cut_off: outcome.cut_off,
    }
}

/// Every drawn flow, then the flows the diagram implies.
pub(super) fn evaluate_flows(ix: &Index) -> Vec<FlowVerdict> {
    let mut flows = Vec::new();
    for edge in &ix.diagram.edges {
        let (Some(from), Some(to)) = (ix.node(&edge.from), ix.node(&edge.to)) else {
            continue;
        };
        let result = evaluate(
            ix,
            &End::of(ix, from),
            &End::of(ix, to),
            edge.protocol,
            edge.port,
            Walk::Direct,
        );
        flows.push(verdict(
            FlowSpec {
                kind: FlowKind::Drawn,
                edge: Some(edge.id.clone()),
                protocol: edge.protocol,
                port: edge.port,
                description: format!(
                    "{:?} -> {:?} on {}",
                    from.name,
                    to.name,
                    sg::describe_ports(edge.protocol, edge.port)
                ),
            },
            from,
            Some(to),
            result,
        ));
    }
    for node in ix.nodes() {
        match &node.kind {
            NodeKind::FargateService(service) => {
                flows.push(image_pull(ix, node, service));
                if reads_secrets(service) {
                    flows.push(secrets_at_start(ix, node));
                }
            }
            NodeKind::HttpApi(api) => {
                for route in &api.routes {
                    let Some(target) = ix
                        .node(&route.target)
                        .filter(|t| t.tag() == KindTag::LoadBalancer)
                    else {
                        continue;
                    };
                    flows.push(integration(ix, node, api, target));
                }
            }
            NodeKind::CloudFront(distribution) => {
                for origin in &distribution.origins {
                    let Some(target) = ix.node(&origin.target) else {
                        continue;
                    };
                    let port = if origin.access == OriginAccess::HttpOnly {
                        80
                    } else {
                        443
                    };
                    let result = evaluate(
                        ix,
                        &End::of(ix, node),
                        &End::of(ix, target),
                        Protocol::Tcp,
                        port,
                        Walk::Direct,
                    );
                    let spec = FlowSpec {
                        kind: FlowKind::Origin,
                        edge: None,
                        protocol: Protocol::Tcp,
                        port,
                        description: format!(
                            "{:?} fetches from origin {:?}",
                            node.name, target.name
                        ),
                    };
                    flows.push(verdict(spec, node, Some(target), result));
                }
            }
            _ => {}
        }
    }
    flows
}

/// An HTTP API forwarding a route's requests to a load balancer's listener:
/// from its VPC link's interfaces, through their groups and the balancer's.
fn integration(ix: &Index, node: &Node, api: &HttpApi, target: &Node) -> FlowVerdict {
    let port = crate::domain::edit::connect::infer_port(ix.diagram, &node.id, &target.id);
    let result = if api.vpc_link_subnets.is_empty() {
        Outcome {
            verdict: Verdict::Blocked,
            hops: Vec::new(),
            blocked: Some(*blocked(
                Some(node.id.clone()),
                ExplanationCode::NotANetworkEndpoint,
                format!(
                    "{:?} has no VPC link: API Gateway reaches a load balancer in a VPC only through a VPC link's interfaces in its subnets",
                    node.name
                ),
            )),
            cut_off: Vec::new(),
        }
    } else {
        evaluate(
            ix,
            &End::of(ix, node),
            &End::of(ix, target),
            Protocol::Tcp,
            port,
            Walk::Direct,
        )
    };
    let spec = FlowSpec {
        kind: FlowKind::Origin,
        edge: None,
        protocol: Protocol::Tcp,
        port,
        description: format!(
            "{:?} forwards to {:?} through its VPC link",
            node.name, target.name
        ),
    };
    verdict(spec, node, Some(target), result)
}

/// What tasks call before and while they run: ECR's API and registry, S3
/// (the image layers) and CloudWatch Logs.
const IMAGE_SERVICES: [EndpointService; 4] = [
    EndpointService::EcrApi,
    EndpointService::EcrDkr,
    EndpointService::S3,
    EndpointService::Logs,
];

/// A task calling AWS services' APIs over tcp/443: each through its VPC
/// endpoint (whose groups must admit the task) or out through a NAT or
/// internet gateway; `hint` says what gives a way out when nothing does.
struct ApiCalls<'s> {
    kind: FlowKind,
    description: String,
    /// What the flow is drawn towards, when it is a node of the diagram.
    to: Option<&'s Node>,
    destination: &'s str,
    services: &'s [EndpointService],
    hint: &'s str,
}

fn api_calls(ix: &Index, node: &Node, calls: ApiCalls) -> FlowVerdict {
    let destination = End {
        node: calls.to,
        name: calls.destination.into(),
        place: Place::Service,
    };
    let outcome = evaluate(
        ix,
        &End::of(ix, node),
        &destination,
        Protocol::Tcp,
        443,
        Walk::Apis(calls.services, calls.hint),
    );
    let spec = FlowSpec {
        kind: calls.kind,
        edge: None,
        protocol: Protocol::Tcp,
        port: 443,
        description: calls.description,
    };
    verdict(spec, node, calls.to, outcome)
}

/// Tasks must reach ECR (API and registry), S3 (image layers) and CloudWatch
/// Logs.
fn image_pull(ix: &Index, node: &Node, service: &FargateService) -> FlowVerdict {
    let repository = service
        .containers
        .iter()
        .find_map(|container| match &container.image {
            ContainerImage::Ecr(repository) => ix.node(repository),
            ContainerImage::Registry(_) => None,
        });
    api_calls(
        ix,
        node,
        ApiCalls {
            kind: FlowKind::ImagePull,
            description: format!("image pulls and logs of {:?}", node.name),
            to: repository,
            destination: "ECR, S3 and CloudWatch Logs",
            services: &IMAGE_SERVICES,
            hint: "add a NAT gateway route, or VPC endpoints for ECR API, ECR DKR, S3 and CloudWatch Logs (CannotPullContainerError otherwise)",
        },
    )
}

/// Whether a task definition reads secrets from Secrets Manager at start (a
/// named secret, or a database password RDS keeps there).
pub fn reads_secrets(service: &FargateService) -> bool {
    service
        .containers
        .iter()
        .any(|container| !container.secrets.is_empty())
}

/// A task whose definition has secrets fetches them before its containers
/// start; without a way to Secrets Manager it stops with
/// ResourceInitializationError.
fn secrets_at_start(ix: &Index, node: &Node) -> FlowVerdict {
    api_calls(
        ix,
        node,
        ApiCalls {
            kind: FlowKind::Secrets,
            description: format!("secrets of {:?} read at task start", node.name),
            to: None,
            destination: "Secrets Manager",
            services: &[EndpointService::SecretsManager],
            hint: "add a NAT gateway route or a Secrets Manager VPC endpoint (the task stops with ResourceInitializationError otherwise)",
        },
    )
}

fn endpoint_name(service: EndpointService) -> &'static str {
    match service {
        EndpointService::S3 => "S3 (gateway)",
        EndpointService::EcrApi => "ECR API",
        EndpointService::EcrDkr => "ECR DKR",
        EndpointService::Logs => "CloudWatch Logs",
        EndpointService::SecretsManager => "Secrets Manager",
        EndpointService::Dynamodb => "DynamoDB (gateway)",
        EndpointService::Sqs => "SQS",
        EndpointService::Sns => "SNS",
    }
}

/// The ports a scope without a port checks: what the destination serves.
fn served_ports(node: &Node) -> Vec<u16> {
    match &node.kind {
        NodeKind::LoadBalancer(alb) => alb.listeners.iter().map(|l| l.port).collect(),
        NodeKind::FargateService(service) => {
            service.containers.iter().filter_map(|c| c.port).collect()
        }
        NodeKind::AuroraCluster(_) | NodeKind::RdsInstance(_) | NodeKind::ElasticacheCache(_) => {
            node.kind.database_port().into_iter().collect()
        }
        NodeKind::Bastion(_) => vec![22],
        NodeKind::Ec2Instance(instance) => vec![instance.port],
        _ => vec![443, 80, 22],
    }
}

/// The built-in scopes (nothing from the internet to a database; nothing to
/// tasks except through the load balancer), then the user's.
pub(super) fn evaluate_scopes(ix: &Index) -> Vec<ScopeVerdict> {
    let mut scopes = Vec::new();
    let internet_node = ix.nodes().find(|node| node.tag() == KindTag::Internet);
    let from = match internet_node {
        Some(internet) => End::of(ix, internet),
        None => End::internet(),
    };
    for node in ix.nodes() {
        let (what, ports) = match &node.kind {
            NodeKind::AuroraCluster(_) | NodeKind::RdsInstance(_) => {
                ("database", served_ports(node))
            }
            NodeKind::ElasticacheCache(_) => ("cache", served_ports(node)),
            NodeKind::FargateService(_) => ("tasks", served_ports(node)),
            _ => continue,
        };
        scopes.push(scope_verdict(
            ix,
            format!("internet-to-{}", node.id),
            true,
            &from,
            node,
            None,
            &ports,
            format!("no path from the internet to the {what} {:?}", node.name),
        ));
    }
    for scope in &ix.diagram.scopes {
        let (Some(from), Some(to)) = (ix.node(&scope.from), ix.node(&scope.to)) else {
            continue;
        };
        let ports = scope
            .port
            .map_or_else(|| served_ports(to), |port| vec![port]);
        let on = scope
            .port
            .map_or_else(|| "any port".to_string(), |port| format!("tcp/{port}"));
        scopes.push(scope_verdict(
            ix,
            scope.id.to_string(),
            false,
            &End::of(ix, from),
            to,
            scope.port,
            &ports,
            format!("no path from {:?} to {:?} on {on}", from.name, to.name),
        ));
    }
    scopes
}

#[allow(clippy::too_many_arguments)]
fn scope_verdict(
    ix: &Index,
    id: String,
    builtin: bool,
    from: &End,
    to: &Node,
    port: Option<u16>,
    ports: &[u16],
    description: String,
) -> ScopeVerdict {
    let destination = End::of(ix, to);
    // A path to some of the destination's subnets breaks the scope too.
    let path = ports.iter().find_map(|port| {
        if !some_part_gets_through(ix, from, &destination, Protocol::Tcp, *port) {
            return None;
        }
        let outcome = evaluate(ix, from, &destination, Protocol::Tcp, *port, Walk::Direct);
        (outcome.verdict != Verdict::Blocked).then_some(outcome.hops)
    });
    ScopeVerdict {
        id,
        builtin,
        from: from.id(),
        to: to.id.clone(),
        port,
        description,
        holds: path.is_none(),
        path: path.unwrap_or_default(),
    }
}

/// Turns blocked flows and broken scopes into diagnostics.
pub(super) fn diagnose(
    ix: &Index,
    flows: &[FlowVerdict],
    scopes: &[ScopeVerdict],
    out: &mut Vec<Diagnostic>,
) {
    // The diagram without its network ACLs, for flows an ACL blocks: built
    // once, when the first of them needs it.
    let open_diagram = std::cell::OnceCell::new();
    let open_index = std::cell::OnceCell::new();
    for flow in flows {
        let Some(stop) = &flow.blocked else { continue };
        let from_outside = matches!(
            ix.node(&flow.from).map(|n| place_of(ix, n)),
            Some(Place::Outside(_))
        );
        let acl_finding = (stop.code == ExplanationCode::SubnetAclRestriction).then(|| {
            acl::classify(ix, flow, stop, || {
                open_index.get_or_init(|| {
                    Index::new(open_diagram.get_or_init(|| acl::without_acls(ix.diagram)))
                })
            })
        });
        let rule = match flow.kind {
            FlowKind::ImagePull => 32,
            FlowKind::Secrets => 47,
            FlowKind::Drawn | FlowKind::Origin if acl_finding.is_some() => {
                acl_finding.as_ref().map_or(51, |finding| finding.rule)
            }
            FlowKind::Drawn
                if stop.code == ExplanationCode::CannotRoute
                    && ix.node(&flow.from).is_some_and(|n| {
                        matches!(n.tag(), KindTag::FargateService | KindTag::LambdaFunction)
                    })
                    && flow
                        .to
                        .as_ref()
                        .and_then(|to| ix.node(to))
                        .is_some_and(|to| {
                            matches!(
                                to.tag(),
                                KindTag::DynamodbTable
                                    | KindTag::SqsQueue
                                    | KindTag::SnsTopic
                                    | KindTag::Secret
                            )
                        }) =>
            {
                56
            }
            FlowKind::Drawn
                if from_outside
                    && matches!(
                        stop.code,
                        ExplanationCode::CannotRoute
                            | ExplanationCode::IgwPrivateIpAssociationForIngress
                    ) =>
            {
                15
            }
            _ => 43,
        };
        // The culprit first: what blocks the flow, except for a task's own
        // needs, where the service is the one that fails to start.
        let mut nodes = Vec::new();
        let culprits: Vec<&NodeId> = if flow.kind == FlowKind::Secrets {
            std::iter::once(&flow.from)
                .chain(stop.node.iter())
                .collect()
        } else {
            stop.node
                .iter()
                .chain(std::iter::once(&flow.from))
                .collect()
        };
        for id in culprits.into_iter().chain(flow.to.iter()) {
            if !nodes.contains(id) {
                nodes.push(id.clone());
            }
        }
        let acl_message = acl_finding
            .as_ref()
            .filter(|_| matches!(flow.kind, FlowKind::Drawn | FlowKind::Origin))
            .and_then(|finding| finding.message.clone());
        let message = if let Some(message) = acl_message {
            message
        } else if flow.verdict == Verdict::Partial {
            let cut: Vec<String> = flow
                .cut_off
                .iter()
                .map(|cut| cut.describe(&ix.name(&cut.subnet)))
                .collect();
            format!(
                "{} is only partially reachable; cut off: {}",
                flow.description,
                cut.join("; ")
            )
        } else {
            format!(
                "{} is blocked: {} ({})",
                flow.description,
                stop.explanation,
                stop.code.as_str()
            )
        };
        let mut diagnostic =
            Diagnostic::error(rule, nodes, message).with_edges(flow.edge.iter().cloned().collect());
        diagnostic.fix = stop.fix.clone().or_else(|| match flow.kind {
            FlowKind::Secrets => secrets_endpoint_fix(ix, &flow.from),
            _ => None,
        });
        if let Some(alternative) = acl_finding.and_then(|finding| finding.alternative) {
            diagnostic = diagnostic.with_alternative(alternative.label, Some(alternative.command));
        }
        let to_kind = flow.to.as_ref().and_then(|to| ix.node(to)).map(Node::tag);
        let wanted: &[EndpointService] = match (rule, to_kind) {
            (32, _) => &IMAGE_SERVICES,
            (56, Some(KindTag::SqsQueue)) => &[EndpointService::Sqs],
            (56, Some(KindTag::SnsTopic)) => &[EndpointService::Sns],
            (56, Some(KindTag::Secret)) => &[EndpointService::SecretsManager],
            (56, _) => &[EndpointService::Dynamodb],
            _ => &[],
        };
        if diagnostic.fix.is_none() && !wanted.is_empty() {
            let mut fixes = way_out_fixes(ix, &flow.from, wanted).into_iter();
            diagnostic.fix = fixes.next();
            diagnostic.alternatives = fixes.collect();
        }
        out.push(diagnostic);
    }
    for scope in scopes.iter().filter(|scope| !scope.holds) {
        let path: Vec<&str> = scope
            .path
            .iter()
            .map(|hop| hop.description.as_str())
            .collect();
        let mut nodes = vec![scope.to.clone()];
        nodes.extend(scope.from.iter().cloned());
        out.push(Diagnostic::error(
            44,
            nodes,
            format!(
                "scope {:?} is broken: {}; the path: {}",
                scope.id,
                scope.description,
                path.join(" -> ")
            ),
        ));
    }
}

/// Whether `from` reaches `to` in this index's diagram, every subnet
/// included.
pub(super) fn reaches(
    ix: &Index,
    from: &NodeId,
    to: &NodeId,
    protocol: Protocol,
    port: u16,
) -> bool {
    let (Some(from), Some(to)) = (ix.node(from), ix.node(to)) else {
        return false;
    };
    let outcome = evaluate(
        ix,
        &End::of(ix, from),
        &End::of(ix, to),
        protocol,
        port,
        Walk::Direct,
    );
    outcome.verdict == Verdict::Reachable
}

/// Asks whether `from` reaches `to` on a port, with the path or the reason.
pub fn query(
    diagram: &Diagram,
    from: &NodeId,
    to: &NodeId,
    protocol: Protocol,
    port: u16,
) -> Option<FlowVerdict> {
    let ix = Index::new(diagram);
    let (from_node, to_node) = (ix.node(from)?, ix.node(to)?);
    let result = evaluate(
        &ix,
        &End::of(&ix, from_node),
        &End::of(&ix, to_node),
        protocol,
        port,
        Walk::Direct,
    );
    Some(verdict(
        FlowSpec {
            kind: FlowKind::Query,
            edge: None,
            protocol,
            port,
            description: format!(
                "{:?} -> {:?} on {}",
                from_node.name,
                to_node.name,
                sg::describe_ports(protocol, port)
            ),
        },
        from_node,
        Some(to_node),
        result,
    ))
}

/// The security-group rules that would let an edge's traffic through, as one
/// command (empty batch when nothing is missing). The editor runs this when a
/// user draws an edge, so drawn traffic and configuration agree.
pub fn rules_for_edge(diagram: &Diagram, edge: &TrafficEdge) -> Command {
    let mut working = diagram.clone();
    let mut commands = Vec::new();
    // Each fix opens one security group; a flow may need two (egress, ingress).
    for _ in 0..4 {
        let Some(verdict) = query(&working, &edge.from, &edge.to, edge.protocol, edge.port) else {
            break;
        };
        let Some(Blocked {
            code: ExplanationCode::EniSgRulesMismatch,
            fix: Some(fix),
            ..
        }) = verdict.blocked
        else {
            break;
        };
        if crate::domain::edit::apply(&mut working, fix.command.clone()).is_err() {
            break;
        }
        commands.push(fix.command);
    }
    Command::Batch(commands)
}

/// Whether a security-group rule admits TCP traffic on a port.
pub fn rule_allows(rule: &SecurityGroupRule, port: u16) -> bool {
    sg::rule_covers(rule, Protocol::Tcp, port)
}

/// VR-15's fix where the internet reaches a resource's subnets but the
/// resource has no public address: an internet-facing load balancer, a
/// public IP for tasks or a bastion. A database is never offered one: it
/// belongs behind the application (VR-37, VR-44).
fn public_address_fix(node: &Node) -> Option<Fix> {
    let label = match &node.kind {
        NodeKind::LoadBalancer(_) => "Make it internet-facing",
        NodeKind::FargateService(_) | NodeKind::Bastion(_) | NodeKind::Ec2Instance(_) => {
            "Give it a public IP"
        }
        _ => return None,
    };
    let command = replace_node(node, |kind| match kind {
        NodeKind::LoadBalancer(alb) => alb.scheme = LoadBalancerScheme::InternetFacing,
        NodeKind::FargateService(service) => service.assign_public_ip = true,
        NodeKind::Bastion(bastion) => bastion.public_ip = true,
        NodeKind::Ec2Instance(instance) => instance.public_ip = true,
        _ => {}
    });
    Some(Fix {
        label: label.into(),
        command,
    })
}

/// A fix built when it is applied (see `Command::Build`).
#[derive(Clone, Debug, PartialEq)]
pub enum Recipe {
    /// VPC endpoints for these services, for a Fargate service's tasks.
    Endpoints {
        service: NodeId,
        services: Vec<EndpointService>,
    },
    /// The service's subnets routed out through the VPC's NAT gateway.
    RouteThroughNat { service: NodeId },
    /// A new ECS cluster with the service in it.
    NewCluster { service: NodeId },
    /// The fix with this label of a rule's diagnostic, as the analysis
    /// offers it when applied: what the seed's analysis, carried by the
    /// first load, holds in place of its fixes' commands.
    Fix { rule: u8, label: String },
}

pub(super) fn build_recipe(ix: &Index, recipe: &Recipe) -> Result<Command, String> {
    match recipe {
        Recipe::Endpoints { service, services } => endpoints_for(ix, service, services)
            .ok_or_else(|| "the service's subnets changed".to_string()),
        Recipe::RouteThroughNat { service } => {
            let Some(kind) = ix.kind(service) else {
                return Err("the service is gone".into());
            };
            let routes = kind
                .placement_subnets()
                .into_iter()
                .filter(|subnet| {
                    !ix.is_public(subnet)
                        && crate::domain::edit::routing::routing_of(ix.diagram, subnet)
                            != crate::domain::edit::routing::Routing::Private
                })
                .map(|subnet| {
                    crate::domain::edit::routing::set_routing(
                        ix.diagram,
                        subnet,
                        crate::domain::edit::routing::Routing::Private,
                    )
                })
                .collect::<Result<Vec<Command>, String>>()?;
            Ok(Command::Batch(routes))
        }
        Recipe::Fix { rule, label } => super::analyze(ix.diagram)
            .diagnostics
            .iter()
            .filter(|diagnostic| diagnostic.rule == *rule)
            .flat_map(Diagnostic::fixes)
            .find(|fix| &fix.label == label)
            .map(|fix| fix.command.clone())
            .ok_or_else(|| format!("VR-{rule} no longer offers {label:?}")),
        Recipe::NewCluster { service } => {
            super::rules_services::new_cluster(ix, ix.node(service).ok_or("the service is gone")?)
                .ok_or_else(|| "no id is free for a cluster".to_string())
        }
    }
}

/// VR-47's fix: a Secrets Manager endpoint for the service.
fn secrets_endpoint_fix(ix: &Index, service_id: &NodeId) -> Option<Fix> {
    let node = ix.node(service_id)?;
    endpoints_possible(ix, service_id, &[EndpointService::SecretsManager])?;
    Some(Fix {
        label: format!("Add a Secrets Manager endpoint for {:?}", node.name),
        command: Command::Build(Recipe::Endpoints {
            service: service_id.clone(),
            services: vec![EndpointService::SecretsManager],
        }),
    })
}

/// VR-32's and VR-56's fixes for tasks with no way to AWS APIs they call
/// (ECR, S3 and CloudWatch Logs for their images; DynamoDB or SQS for a
/// table or queue they draw a line to):
/// VPC endpoints first (the traffic never leaves AWS's network and nothing
/// can reach in), else a route through the VPC's NAT gateway.
fn way_out_fixes(ix: &Index, service_id: &NodeId, wanted: &[EndpointService]) -> Vec<Fix> {
    let mut fixes = Vec::new();
    let Some(node) = ix.node(service_id) else {
        return fixes;
    };
    let placement = node.kind.placement_subnets();
    let Some(vpc) = placement.first().and_then(|s| ix.subnet(s)).map(|s| &s.vpc) else {
        return fixes;
    };
    let missing: Vec<EndpointService> = wanted
        .iter()
        .copied()
        .filter(|wanted| ix.endpoints_of(vpc).all(|(_, e)| e.service != *wanted))
        .collect();
    if endpoints_possible(ix, service_id, &missing).is_some() {
        let names: Vec<&str> = missing.iter().map(|s| s.service_suffix()).collect();
        fixes.push(Fix {
            label: format!(
                "Add VPC endpoints ({}) for {:?}",
                names.join(", "),
                node.name
            ),
            command: Command::Build(Recipe::Endpoints {
                service: service_id.clone(),
                services: missing,
            }),
        });
    }
    // A NAT gateway of the VPC to route through, and a subnet to route.
    let has_nat = ix.nodes().any(|n| {
        matches!(&n.kind, NodeKind::NatGateway(nat) if ix.subnet(&nat.subnet).is_some_and(|s| &s.vpc == vpc))
    });
    let routable = placement.iter().any(|subnet| !ix.is_public(subnet));
    if has_nat && routable {
        fixes.push(Fix {
            label: format!("Route {:?} out through a NAT gateway", node.name),
            command: Command::Build(Recipe::RouteThroughNat {
                service: service_id.clone(),
            }),
        });
    }
    fixes
}

/// Whether `endpoints_for` can build: a service in subnets, something to
/// add, and route tables for a gateway endpoint.
fn endpoints_possible(ix: &Index, service_id: &NodeId, services: &[EndpointService]) -> Option<()> {
    let placement = ix.kind(service_id)?.placement_subnets();
    if services.is_empty() || placement.is_empty() {
        return None;
    }
    let gateway = services.iter().any(|s| s.is_gateway());
    placement
        .into_iter()
        .all(|subnet| {
            ix.subnet(subnet)
                .is_some_and(|s| !gateway || s.route_table.is_some())
        })
        .then_some(())
}

/// VPC endpoints for `services` in the VPC of a Fargate service: interface
/// endpoints in its subnets (one per zone) behind one security group that
/// admits tcp/443 from the service's group, with the VPC's DNS turned on so
/// private DNS works; the S3 gateway endpoint on its subnets' route tables
/// (none when a subnet uses the main table, which has no id to attach to).
fn endpoints_for(ix: &Index, service_id: &NodeId, services: &[EndpointService]) -> Option<Command> {
    let node = ix.node(service_id)?;
    let placement = node.kind.placement_subnets();
    if services.is_empty() {
        return None;
    }
    let vpc_id = ix.subnet(placement.first()?)?.vpc.clone();
    let taken = |candidate: &str| NodeId::new(candidate).is_ok_and(|id| ix.node(&id).is_some());
    let mut zones = Vec::new();
    let mut subnets = Vec::new();
    let mut tables = Vec::new();
    for subnet in placement {
        let zone = ix.subnet(subnet).map(|s| s.az.as_str());
        if !zones.contains(&zone) {
            zones.push(zone);
            subnets.push(subnet.clone());
        }
        let table = ix.subnet(subnet).and_then(|s| s.route_table.clone());
        match table {
            Some(table) if !tables.contains(&table) => tables.push(table),
            Some(_) => {}
            None if services.iter().any(|s| s.is_gateway()) => return None,
            None => {}
        }
    }
    let peer = match node.kind.security_groups().first() {
        Some(group) => Peer::SecurityGroup(group.clone()),
        None => Peer::Cidr(ix.vpc(&vpc_id)?.cidr.canonical()),
    };
    // Drawn along the lower edge of the box each belongs to (an endpoint in
    // one subnet is drawn in it), where Tidy can take them from.
    let corner = |container: &NodeId, offset: f64| {
        ix.diagram
            .layout
            .get(container)
            .map(|area| Rect::new(area.right() - offset, area.bottom() - 96.0, 64.0, 64.0))
    };
    let endpoint_box = match subnets.as_slice() {
        [only] => only.clone(),
        _ => vpc_id.clone(),
    };
    let mut commands = Vec::new();
    let interfaces = services.iter().any(|s| !s.is_gateway());
    let (group_base, group_name) = match services {
        [one] => (
            format!("sg-vpce-{}", one.service_suffix().replace('.', "-")),
            format!("{}-endpoint", one.service_suffix().replace('.', "-")),
        ),
        _ => ("sg-vpce".to_string(), "vpc-endpoints".to_string()),
    };
    let group_id = super::rules_network::fresh_id(&group_base, taken)?;
    if interfaces {
        commands.push(Command::AddNode {
            node: Node {
                id: group_id.clone(),
                name: if group_name == "secretsmanager-endpoint" {
                    "secrets-manager-endpoint".into()
                } else {
                    group_name
                },
                kind: NodeKind::SecurityGroup(SecurityGroup {
                    vpc: vpc_id.clone(),
                    description: "HTTPS from the tasks to the VPC endpoints".into(),
                    ingress: vec![sg::rule(
                        Protocol::Tcp,
                        443,
                        peer,
                        &format!("from {}", node.name),
                    )],
                    egress: vec![SecurityGroupRule::allow_all_egress()],
                }),
            },
            rect: corner(&vpc_id, 96.0 + 80.0 * services.len() as f64),
            index: None,
        });
    }
    for (at, wanted) in services.iter().enumerate() {
        let suffix = wanted.service_suffix().replace('.', "-");
        let endpoint_id = super::rules_network::fresh_id(&format!("vpce-{suffix}"), |c| {
            taken(c)
                || commands.iter().any(
                    |cmd| matches!(cmd, Command::AddNode { node, .. } if node.id.as_str() == c),
                )
        })?;
        let gateway = wanted.is_gateway();
        commands.push(Command::AddNode {
            node: Node {
                id: endpoint_id,
                name: if *wanted == EndpointService::SecretsManager {
                    "secrets-manager".into()
                } else {
                    suffix
                },
                kind: NodeKind::VpcEndpoint(VpcEndpoint {
                    vpc: vpc_id.clone(),
                    service: *wanted,
                    route_tables: if gateway { tables.clone() } else { Vec::new() },
                    subnets: if gateway { Vec::new() } else { subnets.clone() },
                    security_groups: if gateway {
                        Vec::new()
                    } else {
                        vec![group_id.clone()]
                    },
                }),
            },
            rect: corner(
                if gateway { &vpc_id } else { &endpoint_box },
                96.0 + 80.0 * at as f64,
            ),
            index: None,
        });
    }
    if let Some(vpc_node) = ix.node(&vpc_id) {
        if interfaces
            && matches!(&vpc_node.kind, NodeKind::Vpc(vpc) if !(vpc.dns_support && vpc.dns_hostnames))
        {
            commands.push(replace_node(vpc_node, |kind| {
                if let NodeKind::Vpc(vpc) = kind {
                    vpc.dns_support = true;
                    vpc.dns_hostnames = true;
                }
            }));
        }
    }
    Some(Command::Batch(commands))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::templates::{generated, TEMPLATES};

    /// Each template, and the same with one subnet at a time moved to its
    /// VPC's main route table: flows into a service of two zones then get
    /// through to one of them only.
    fn diagrams() -> Vec<Diagram> {
        let mut all = Vec::new();
        for base in TEMPLATES
            .iter()
            .map(|template| template.build())
            .chain([generated(60)])
        {
            for (at, node) in base.nodes.iter().enumerate() {
                if let NodeKind::Subnet(subnet) = &node.kind {
                    if subnet.route_table.is_some() {
                        let mut cut = base.clone();
                        if let NodeKind::Subnet(subnet) = &mut cut.nodes[at].kind {
                            subnet.route_table = None;
                        }
                        all.push(cut);
                    }
                }
            }
            all.push(base);
        }
        all
    }

    #[test]
    fn the_walk_part_by_part_judges_as_the_whole_evaluation_does() {
        let mut seen = [0usize; 3];
        for diagram in diagrams() {
            let ix = Index::new(&diagram);
            let ends: Vec<End> = diagram
                .nodes
                .iter()
                .map(|node| End::of(&ix, node))
                .collect();
            for from in &ends {
                for to in &ends {
                    for port in [22, 443, 3306, 8080] {
                        let outcome = evaluate(&ix, from, to, Protocol::Tcp, port, Walk::Direct);
                        seen[outcome.verdict as usize] += 1;
                        assert_eq!(
                            some_part_gets_through(&ix, from, to, Protocol::Tcp, port),
                            outcome.verdict != Verdict::Blocked,
                            "{} to {} on {port} in {:?}: {:?}",
                            from.name,
                            to.name,
                            diagram.name,
                            outcome.verdict
                        );
                    }
                }
            }
        }
        // Every verdict was met, partial ones included.
        assert!(
            seen.iter().all(|&count| count > 0),
            "verdicts met: {seen:?}"
        );
    }
}
