//! What the canvas draws, computed from a diagram: boxes for containers, glyphs
//! for resources, lines for traffic. The UI and the SVG export only render a
//! scene; every decision about what to show is made here, natively tested.

use crate::domain::edit::relate::{self, LinkKind};
use crate::domain::model::*;
use crate::domain::sorting;
use std::collections::{BTreeMap, BTreeSet};

/// Distance between parallel edges that join the same two nodes.
const PARALLEL_EDGE_GAP: f64 = 12.0;

/// A container (VPC or subnet) drawn as a labelled box.
#[derive(Clone, Debug, PartialEq)]
pub struct ContainerBox {
    pub id: NodeId,
    pub kind: KindTag,
    pub rect: Rect,
    pub title: String,
    pub subtitle: String,
    /// For subnets: "public", "private" (out through a NAT gateway) or
    /// "isolated" (inside the VPC only), derived from routing.
    pub tier: Option<&'static str>,
    /// For subnets: usable and free addresses.
    pub capacity: Option<String>,
}

/// A resource drawn as an icon with its name under it.
#[derive(Clone, Debug, PartialEq)]
pub struct Glyph {
    pub id: NodeId,
    pub kind: KindTag,
    pub rect: Rect,
    pub title: String,
    pub subtitle: String,
    /// A short mark drawn inside the icon, e.g. "ALB".
    pub badge: &'static str,
}

/// A traffic edge as a line between two box borders.
#[derive(Clone, Debug, PartialEq)]
pub struct EdgeLine {
    pub id: EdgeId,
    pub source: NodeId,
    pub target: NodeId,
    pub from: (f64, f64),
    pub to: (f64, f64),
    pub label: String,
}

/// A configuration relationship (`edit::relate::links`) as a dashed line:
/// a service's cluster, a distribution's origin, a listener's certificate.
#[derive(Clone, Debug, PartialEq)]
pub struct LinkLine {
    /// `Link::key`, the canvas's `data-link-id`.
    pub key: String,
    pub what: LinkKind,
    pub source: NodeId,
    pub target: NodeId,
    pub from: (f64, f64),
    pub to: (f64, f64),
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Scene {
    /// Outer containers first, so inner ones are drawn on top.
    pub containers: Vec<ContainerBox>,
    pub glyphs: Vec<Glyph>,
    pub edges: Vec<EdgeLine>,
    pub links: Vec<LinkLine>,
    /// The box holding everything drawn; `None` for an empty canvas.
    pub bounds: Option<Rect>,
}

/// How a traffic edge takes part in a drag.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InDrag {
    /// Neither end moves.
    Still,
    /// Both ends move: the edge moves with them as it is.
    Carried,
    /// One end moves: the edge is drawn stretched to follow it.
    Stretched,
}

/// A line between two nodes' borders, traffic or relationship: how a drag
/// treats it.
pub trait Segment {
    fn ends(&self) -> [(&NodeId, (f64, f64)); 2];

    fn in_drag(&self, moving: &BTreeSet<NodeId>) -> InDrag {
        let [(source, _), (target, _)] = self.ends();
        match (moving.contains(source), moving.contains(target)) {
            (false, false) => InDrag::Still,
            (true, true) => InDrag::Carried,
            _ => InDrag::Stretched,
        }
    }

    /// Its two ends while the `moving` nodes are offset by `delta`.
    fn dragged_ends(
        &self,
        moving: &BTreeSet<NodeId>,
        (dx, dy): (f64, f64),
    ) -> ((f64, f64), (f64, f64)) {
        let shift = |(end, (x, y)): (&NodeId, (f64, f64))| {
            if moving.contains(end) {
                (x + dx, y + dy)
            } else {
                (x, y)
            }
        };
        let [a, b] = self.ends();
        (shift(a), shift(b))
    }
}

impl Segment for EdgeLine {
    fn ends(&self) -> [(&NodeId, (f64, f64)); 2] {
        [(&self.source, self.from), (&self.target, self.to)]
    }
}

impl Segment for LinkLine {
    fn ends(&self) -> [(&NodeId, (f64, f64)); 2] {
        [(&self.source, self.from), (&self.target, self.to)]
    }
}

impl Scene {
    pub fn of(diagram: &Diagram) -> Scene {
        let capacity = crate::domain::validate::subnet_capacity(diagram);
        let mut scene = Scene::default();
        for node in &diagram.nodes {
            let Some(rect) = diagram.layout.get(&node.id) else {
                continue;
            };
            scene.bounds = Some(match scene.bounds {
                Some(bounds) => bounds.union(rect),
                None => *rect,
            });
            let kind = node.tag();
            if kind.is_container() {
                scene.containers.push(ContainerBox {
                    id: node.id.clone(),
                    kind,
                    rect: *rect,
                    title: node.name.clone(),
                    subtitle: container_subtitle(&node.kind),
                    capacity: capacity.get(&node.id).map(|(usable, planned)| {
                        format!("{usable} usable · {} free", usable.saturating_sub(*planned))
                    }),
                    tier: match &node.kind {
                        NodeKind::Subnet(_) => Some(
                            crate::domain::edit::routing::routing_of(diagram, &node.id).as_str(),
                        ),
                        _ => None,
                    },
                });
            } else {
                scene.glyphs.push(Glyph {
                    id: node.id.clone(),
                    kind,
                    rect: *rect,
                    title: node.name.clone(),
                    subtitle: glyph_subtitle(&node.kind),
                    badge: badge(kind),
                });
            }
        }
        sorting::sort_by_key(&mut scene.containers, |container| {
            container_depth(diagram, &container.id)
        });

        // Lines joining the same two nodes (traffic edges first, then
        // relationships) are drawn side by side, not on top of each other.
        let links = relate::links(diagram);
        let pair = |from: &NodeId, to: &NodeId| {
            let (a, b) = unordered(from, to);
            (a.clone(), b.clone())
        };
        let mut siblings: BTreeMap<(NodeId, NodeId), usize> = BTreeMap::new();
        for (from, to) in diagram
            .edges
            .iter()
            .map(|e| (&e.from, &e.to))
            .chain(links.iter().map(|l| (&l.from, &l.to)))
        {
            *siblings.entry(pair(from, to)).or_default() += 1;
        }
        let mut placed: BTreeMap<(NodeId, NodeId), usize> = BTreeMap::new();
        let mut line = |from: &NodeId, to: &NodeId| {
            let (Some(a), Some(b)) = (diagram.layout.get(from), diagram.layout.get(to)) else {
                return None;
            };
            let key = pair(from, to);
            let count = siblings.get(&key).copied().unwrap_or(1);
            let index = placed.entry(key).or_default();
            let offset = (*index as f64 - (count - 1) as f64 / 2.0) * PARALLEL_EDGE_GAP;
            *index += 1;
            let start = border_point(a, b.center());
            let end = border_point(b, a.center());
            Some(shift_sideways(start, end, offset, from <= to))
        };
        for edge in &diagram.edges {
            if let Some((start, end)) = line(&edge.from, &edge.to) {
                scene.edges.push(EdgeLine {
                    id: edge.id.clone(),
                    source: edge.from.clone(),
                    target: edge.to.clone(),
                    from: start,
                    to: end,
                    label: edge_label(edge),
                });
            }
        }
        for link in links {
            if let Some((start, end)) = line(&link.from, &link.to) {
                scene.links.push(LinkLine {
                    key: link.key(),
                    what: link.what,
                    from: start,
                    to: end,
                    source: link.from,
                    target: link.to,
                });
            }
        }
        scene
    }
}

impl Scene {
    /// The resource drawn at a point, the topmost when icons overlap.
    pub fn glyph_at(&self, (x, y): (f64, f64)) -> Option<&Glyph> {
        self.glyphs.iter().rev().find(|glyph| {
            let r = glyph.rect;
            x >= r.x && x <= r.right() && y >= r.y && y <= r.bottom()
        })
    }

    /// Nodes whose whole box lies inside `area` (a rubber band).
    pub fn within(&self, area: &Rect) -> Vec<NodeId> {
        let inside = |r: &Rect| {
            r.x >= area.x
                && r.y >= area.y
                && r.right() <= area.right()
                && r.bottom() <= area.bottom()
        };
        self.containers
            .iter()
            .filter(|c| inside(&c.rect))
            .map(|c| c.id.clone())
            .chain(
                self.glyphs
                    .iter()
                    .filter(|g| inside(&g.rect))
                    .map(|g| g.id.clone()),
            )
            .collect()
    }
}

/// The box holding everything drawn; `None` when nothing is.
pub fn bounds(diagram: &Diagram) -> Option<Rect> {
    diagram
        .layout
        .values()
        .fold(None, |acc: Option<Rect>, rect| {
            Some(acc.map_or(*rect, |b| b.union(rect)))
        })
}

fn container_depth(diagram: &Diagram, id: &NodeId) -> usize {
    let mut depth = 0;
    let mut current = id;
    // Bounded: containment is at most VPC > subnet, but a hostile file must not loop.
    while let Some(parent) = diagram.container_of(current) {
        depth += 1;
        if depth > 8 {
            break;
        }
        current = parent;
    }
    depth
}

fn container_subtitle(kind: &NodeKind) -> String {
    match kind {
        NodeKind::Vpc(vpc) => {
            let mut blocks = vec![vpc.cidr.to_string()];
            blocks.extend(vpc.secondary_cidrs.iter().map(Cidr::to_string));
            blocks.join(", ")
        }
        NodeKind::Subnet(subnet) => format!("{} · {}", subnet.cidr, subnet.az),
        _ => String::new(),
    }
}

fn glyph_subtitle(kind: &NodeKind) -> String {
    match kind {
        NodeKind::LoadBalancer(alb) => {
            let ports: Vec<String> = alb.listeners.iter().map(|l| l.port.to_string()).collect();
            format!("listeners {}", ports.join(", "))
        }
        NodeKind::FargateService(service) => {
            let containers: Vec<String> = service
                .containers
                .iter()
                .map(|c| match c.port {
                    Some(port) => format!("{}:{port}", c.name),
                    None => c.name.clone(),
                })
                .collect();
            format!("{} × {}", service.desired_count, containers.join(" + "))
        }
        NodeKind::AuroraCluster(aurora) => {
            let engine = match aurora.engine {
                AuroraEngine::AuroraMysql => "MySQL",
                AuroraEngine::AuroraPostgresql => "PostgreSQL",
            };
            format!("Aurora {engine} :{}", aurora.port)
        }
        NodeKind::Bastion(bastion) => bastion.instance_type.clone(),
        NodeKind::ExternalClient(client) => client.cidr.to_string(),
        NodeKind::S3Bucket(bucket) => bucket.bucket_name.clone(),
        NodeKind::AcmCertificate(certificate) => certificate.region.clone(),
        NodeKind::EcrRepository(repository) => repository.repository_name.clone(),
        NodeKind::Pipeline(pipeline) => format!("on {}", pipeline.branch),
        NodeKind::NetworkAcl(acl) => {
            format!("{} in, {} out", acl.inbound.len(), acl.outbound.len())
        }
        _ => String::new(),
    }
}

/// The short mark inside a resource's icon.
pub fn badge(kind: KindTag) -> &'static str {
    match kind {
        KindTag::Vpc => "VPC",
        KindTag::Subnet => "SN",
        KindTag::InternetGateway => "IGW",
        KindTag::NatGateway => "NAT",
        KindTag::RouteTable => "RT",
        KindTag::VpcEndpoint => "VPCE",
        KindTag::SecurityGroup => "SG",
        KindTag::VpcPeering => "PCX",
        KindTag::NetworkAcl => "ACL",
        KindTag::LoadBalancer => "ALB",
        KindTag::EcsCluster => "ECS",
        KindTag::FargateService => "FG",
        KindTag::AuroraCluster => "DB",
        KindTag::Bastion => "EC2",
        KindTag::S3Bucket => "S3",
        KindTag::CloudFront => "CF",
        KindTag::Route53Zone => "R53",
        KindTag::AcmCertificate => "ACM",
        KindTag::EcrRepository => "ECR",
        KindTag::Pipeline => "CI",
        KindTag::Internet => "WWW",
        KindTag::ExternalClient => "USR",
    }
}

fn edge_label(edge: &TrafficEdge) -> String {
    let protocol = match edge.protocol {
        Protocol::Tcp => "",
        Protocol::Udp => "udp/",
        Protocol::Icmp => return "icmp".into(),
        Protocol::All => return "all".into(),
    };
    if edge.label.is_empty() {
        format!("{protocol}{}", edge.port)
    } else {
        format!("{protocol}{} {}", edge.port, edge.label)
    }
}

/// Where the line from a box's centre towards `toward` leaves the box.
fn border_point(rect: &Rect, toward: (f64, f64)) -> (f64, f64) {
    let (cx, cy) = rect.center();
    let (dx, dy) = (toward.0 - cx, toward.1 - cy);
    if dx == 0.0 && dy == 0.0 {
        return (cx, cy);
    }
    let half_w = rect.w / 2.0;
    let half_h = rect.h / 2.0;
    let scale_x = if dx == 0.0 {
        f64::INFINITY
    } else {
        half_w / dx.abs()
    };
    let scale_y = if dy == 0.0 {
        f64::INFINITY
    } else {
        half_h / dy.abs()
    };
    let scale = scale_x.min(scale_y).min(1.0);
    (cx + dx * scale, cy + dy * scale)
}

/// The two ends of a line in a fixed order, so both directions group together.
fn unordered<'a>(from: &'a NodeId, to: &'a NodeId) -> (&'a NodeId, &'a NodeId) {
    if from <= to {
        (from, to)
    } else {
        (to, from)
    }
}

/// Moves a segment `offset` units to its left, measured along the pair's
/// canonical direction so both directions of a pair fan out consistently.
fn shift_sideways(
    start: (f64, f64),
    end: (f64, f64),
    offset: f64,
    canonical: bool,
) -> ((f64, f64), (f64, f64)) {
    let (dx, dy) = if canonical {
        (end.0 - start.0, end.1 - start.1)
    } else {
        (start.0 - end.0, start.1 - end.1)
    };
    let length = (dx * dx + dy * dy).sqrt();
    if offset == 0.0 || length == 0.0 {
        return (start, end);
    }
    let (nx, ny) = (-dy / length * offset, dx / length * offset);
    ((start.0 + nx, start.1 + ny), (end.0 + nx, end.1 + ny))
}
