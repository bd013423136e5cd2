//! What the canvas draws, computed from a diagram: boxes for containers, glyphs
//! for resources, lines for traffic. The UI and the SVG export only render a
//! scene; every decision about what to show is made here, natively tested.

use crate::domain::edit::relate::{self, LinkKind};
use crate::domain::model::*;
use crate::domain::route::{self, Obstacles, Point};
use crate::domain::sorting;
use crate::domain::text::{self, Anchor, Style};
use std::collections::{BTreeMap, BTreeSet};

/// Distance between parallel lines that join the same two nodes.
const PARALLEL_EDGE_GAP: f64 = 10.0;
/// How far lines keep from text.
const TEXT_CLEARANCE: f64 = 4.0;

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
    /// For subnets: how many resources are placed in it, which the far-out
    /// view shows instead of their captions.
    pub holds: Option<usize>,
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
    /// For a resource placed in several subnets (a load balancer, a
    /// service, a cluster): a strip across each of them at the icon's
    /// height, so the picture says where it is placed. Empty otherwise.
    pub band: Vec<Rect>,
}

/// An availability zone of a VPC: a dashed, labelled column around the
/// VPC's subnets in that zone.
#[derive(Clone, Debug, PartialEq)]
pub struct ZoneColumn {
    pub vpc: NodeId,
    pub zone: String,
    pub rect: Rect,
    pub label: Label,
}

/// One line of text the canvas draws: its CSS class, where its baseline
/// starts, and the box it covers (see [`text`]).
#[derive(Clone, Debug, PartialEq)]
pub struct Label {
    pub class: &'static str,
    pub text: String,
    pub at: Point,
    pub anchor: Anchor,
    pub covers: Rect,
}

impl Label {
    fn new(class: &'static str, text: &str, style: Style, at: Point, anchor: Anchor) -> Label {
        Label {
            class,
            text: text.to_string(),
            at,
            anchor,
            covers: text::text_box(text, style, at.0, at.1, anchor),
        }
    }
}

/// The canvas's text styles (assets/style.css), by class.
pub const CONTAINER_TITLE: Style = Style::bold(14.0);
pub const CONTAINER_SUBTITLE: Style = Style::plain(12.0);
pub const CONTAINER_TIER: Style = Style {
    size: 11.0,
    bold: false,
    spacing: 0.06,
    uppercase: true,
};
pub const CONTAINER_CAPACITY: Style = Style::plain(11.0);
pub const GLYPH_TITLE: Style = Style::bold(12.0);
pub const GLYPH_SUBTITLE: Style = Style::plain(11.0);
pub const LINE_LABEL: Style = Style::plain(11.0);
pub const ZONE_LABEL: Style = Style::bold(11.0);

impl ContainerBox {
    /// Its title and block at the top left, its routing at the top right and
    /// (subnets) its addresses at the bottom right; empty texts are left out.
    pub fn labels(&self) -> Vec<Label> {
        let r = self.rect;
        let mut labels = vec![
            Label::new(
                "container-title",
                &self.title,
                CONTAINER_TITLE,
                (r.x + 12.0, r.y + 22.0),
                Anchor::Start,
            ),
            Label::new(
                "container-subtitle",
                &self.subtitle,
                CONTAINER_SUBTITLE,
                (r.x + 12.0, r.y + 40.0),
                Anchor::Start,
            ),
        ];
        if let Some(tier) = self.tier {
            labels.push(Label::new(
                "container-tier",
                tier,
                CONTAINER_TIER,
                (r.right() - 12.0, r.y + 22.0),
                Anchor::End,
            ));
        }
        if let Some(capacity) = &self.capacity {
            labels.push(Label::new(
                "container-capacity",
                capacity,
                CONTAINER_CAPACITY,
                (r.right() - 12.0, r.bottom() - 10.0),
                Anchor::End,
            ));
        }
        labels.retain(|label| !label.text.is_empty());
        labels
    }
}

impl Glyph {
    /// Its name and summary, centred under the icon.
    pub fn labels(&self) -> Vec<Label> {
        let r = self.rect;
        let (cx, _) = r.center();
        let mut labels = vec![
            Label::new(
                "glyph-title",
                &self.title,
                GLYPH_TITLE,
                (cx, r.bottom() + 16.0),
                Anchor::Middle,
            ),
            Label::new(
                "glyph-subtitle",
                &self.subtitle,
                GLYPH_SUBTITLE,
                (cx, r.bottom() + 31.0),
                Anchor::Middle,
            ),
        ];
        labels.retain(|label| !label.text.is_empty());
        labels
    }
}

/// A traffic edge as an orthogonal line from one icon's border to the other's.
#[derive(Clone, Debug, PartialEq)]
pub struct EdgeLine {
    pub id: EdgeId,
    pub source: NodeId,
    pub target: NodeId,
    /// The first and last points of `path`.
    pub from: Point,
    pub to: Point,
    /// The line's corners, ends included.
    pub path: Vec<Point>,
    /// The points the user bent it through (handles when it is selected).
    pub bends: Vec<Point>,
    /// The ports, on a segment of the line, clear of other text.
    pub label: Label,
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
    pub from: Point,
    pub to: Point,
    pub path: Vec<Point>,
    pub label: Label,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Scene {
    /// Outer containers first, so inner ones are drawn on top.
    pub containers: Vec<ContainerBox>,
    pub glyphs: Vec<Glyph>,
    pub edges: Vec<EdgeLine>,
    pub links: Vec<LinkLine>,
    /// Each VPC's availability zones, in the order of the VPCs and zones.
    pub zones: Vec<ZoneColumn>,
    /// The box holding everything drawn; `None` for an empty canvas.
    pub bounds: Option<Rect>,
    /// Each pair's route, and each node's boxes that lines keep clear of,
    /// so that the next scene re-routes only the lines an edit touched
    /// ([`Scene::update`]).
    routes: BTreeMap<RouteKey, Routed>,
    keep_clear: BTreeMap<NodeId, Vec<Rect>>,
    /// Lines drawn in a simple shape although the search was given: past
    /// the most an update searches (see [`Scene::update_with`]).
    pub unsearched: usize,
}

/// A route's two nodes (in id order), and for a line the user shaped, its
/// edge: lines between one pair share a route, a shaped one has its own.
type RouteKey = (NodeId, NodeId, Option<EdgeId>);

#[derive(Clone, Debug, PartialEq)]
struct Routed {
    ends: (Rect, Rect),
    spread: f64,
    /// A shaped line's bends and whether it is straight.
    shape: Option<(Vec<Bend>, bool)>,
    path: Vec<Point>,
    /// Whether the search routed it (or it was carried from a search's
    /// result), rather than the simple shapes drawn until the search arrives.
    searched: bool,
    /// Whether its corridor was too crowded to search: the search's answer
    /// is then its simplest shape ([`route::crowded_route`]), which an edit
    /// elsewhere in the corridor seldom changes.
    crowded: bool,
}

/// Routes a search found, carried as data: the seed's, so that a first
/// visit draws its lines as the search would before the search's code has
/// arrived (`templates::seed_routes`, kept equal to the search's result by
/// a test), or those the worker found for a large diagram just opened.
/// Valid only for the diagram they were found for.
#[derive(Clone, Debug, PartialEq)]
pub enum CarriedRoutes {
    /// The seed's, carried in the first load: each between two nodes, by
    /// their places in the seed's node list.
    Seed(&'static [(u16, u16, &'static [Point])]),
    /// What the search found for a diagram elsewhere (the worker), read
    /// with [`CarriedRoutes::decode`].
    Found(BTreeMap<RouteKey, Vec<Point>>),
}

impl CarriedRoutes {
    fn get(&self, diagram: &Diagram, key: &RouteKey) -> Option<Vec<Point>> {
        let id = |at: u16| diagram.nodes.get(usize::from(at)).map(|node| &node.id);
        let seed = match self {
            CarriedRoutes::Found(found) => return found.get(key).cloned(),
            CarriedRoutes::Seed(seed) => seed,
        };
        if key.2.is_some() {
            return None;
        }
        seed.iter()
            .find(|(a, b, _)| id(*a) == Some(&key.0) && id(*b) == Some(&key.1))
            .map(|(_, _, path)| path.to_vec())
    }

    /// The routes a scene's search found, as text: a line per route, with
    /// both ends' ids, the shaped edge's id (or nothing) and the points'
    /// coordinates, separated by spaces (ids hold none).
    pub fn encode(scene: &Scene) -> String {
        let mut out = String::new();
        for (a, b, edge, path) in CarriedRoutes::of(scene) {
            out.push_str(a);
            out.push(' ');
            out.push_str(b);
            out.push(' ');
            out.push_str(edge.unwrap_or("-"));
            // Each coordinate's bits in hex: the routes arrive exactly as
            // found, and reading them needs no decimal parser.
            for (x, y) in path {
                out.push_str(&format!(" {:x} {:x}", x.to_bits(), y.to_bits()));
            }
            out.push('\n');
        }
        out
    }

    /// Routes written by [`CarriedRoutes::encode`]; a line that does not
    /// read is left out (its line is routed here instead).
    pub fn decode(text: &str) -> CarriedRoutes {
        let mut found = BTreeMap::new();
        for line in text.lines() {
            let mut words = line.split(' ');
            let (Some(a), Some(b), Some(edge)) = (words.next(), words.next(), words.next()) else {
                continue;
            };
            let (Ok(a), Ok(b)) = (NodeId::new(a), NodeId::new(b)) else {
                continue;
            };
            let edge = match edge {
                "-" => None,
                id => match EdgeId::new(id) {
                    Ok(id) => Some(id),
                    Err(_) => continue,
                },
            };
            let numbers: Result<Vec<f64>, _> = words
                .map(|word| u64::from_str_radix(word, 16).map(f64::from_bits))
                .collect();
            let Ok(numbers) = numbers else { continue };
            if numbers.len() < 4 || numbers.len() % 2 != 0 || numbers.iter().any(|v| !v.is_finite())
            {
                continue;
            }
            let path = numbers.chunks(2).map(|pair| (pair[0], pair[1])).collect();
            found.insert((a, b, edge), path);
        }
        CarriedRoutes::Found(found)
    }

    /// The routes a scene's search found, in key order: both ends' ids, the
    /// shaped edge's id, the points.
    pub fn of(scene: &Scene) -> Vec<(&str, &str, Option<&str>, &[Point])> {
        scene
            .routes
            .iter()
            .filter(|(_, routed)| routed.searched)
            .map(|((a, b, edge), routed)| {
                (
                    a.as_str(),
                    b.as_str(),
                    edge.as_ref().map(EdgeId::as_str),
                    routed.path.as_slice(),
                )
            })
            .collect()
    }
}

/// Where a shaped line looks for obstacles: around its ends and bends.
fn shaped_corridor(from: &Rect, to: &Rect, bends: &[Bend]) -> Rect {
    bends
        .iter()
        .fold(from.union(to), |all, bend| {
            all.union(&Rect::new(bend.x, bend.y, 0.0, 0.0))
        })
        .widened(route::CORRIDOR)
}

/// A line the user shaped: from `from`'s border through each bend to `to`'s
/// border, straight from point to point, or routed around what lies between.
fn shaped_path(
    from: &Rect,
    to: &Rect,
    edge: &TrafficEdge,
    obstacles: &Obstacles,
    search: Option<route::Search>,
) -> Vec<Point> {
    let mut stops: Vec<Rect> = Vec::with_capacity(edge.bends.len() + 2);
    stops.push(*from);
    stops.extend(
        edge.bends
            .iter()
            .map(|bend| Rect::new(bend.x, bend.y, 0.0, 0.0)),
    );
    stops.push(*to);
    if edge.straight {
        let mut points: Vec<Point> = stops.iter().map(Rect::center).collect();
        let last = points.len() - 1;
        points[0] = border_point(from, points[1]);
        points[last] = border_point(to, points[last - 1]);
        return route::simplify(points);
    }
    // Leg by leg, each going on from where the last one arrived and
    // arriving headed for the next stop, so that every bend is a corner
    // (or a straight passage), never a spike.
    let mut points: Vec<Point> = Vec::new();
    for (at, pair) in stops.windows(2).enumerate() {
        let (a, b) = (&pair[0], &pair[1]);
        let next = stops.get(at + 2).map(Rect::center);
        let leaving = route::last_step(&points);
        let leg = search
            .and_then(|search| search(a, b, obstacles, 0.0, leaving, next))
            .unwrap_or_else(|| route::simple_route(a, b, obstacles, 0.0));
        points.extend(leg);
    }
    route::simplify(points)
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
        Scene::update(diagram, None)
    }

    /// The scene of `diagram`, reusing the routes of `previous` (the scene
    /// before an edit) whose ends and surroundings did not change.
    pub fn update(diagram: &Diagram, previous: Option<&Scene>) -> Scene {
        Scene::update_with(
            diagram,
            previous,
            Some(route::route_via),
            Some(Reuse::new()),
            None,
            None,
        )
    }

    /// [`Scene::update`] with the search given, or without one: lines then
    /// take the simple shapes of [`route::simple_route`], or the `carried`
    /// routes where they hold one for the pair (given only for the diagram
    /// they were found for). A route drawn without the search is not reused
    /// once the search is given. With `most_searched`, lines past that many
    /// searches take the simple shapes too, counted in `unsearched`: the
    /// app searches a few lines an edit touched at once, and has the worker
    /// route a diagram just opened. With `reuse`, more of `previous` is
    /// kept (see [`Reuse`]); the scene is the same either way.
    pub fn update_with(
        diagram: &Diagram,
        previous: Option<&Scene>,
        search: Option<route::Search>,
        reuse: Option<Reuse>,
        carried: Option<&CarriedRoutes>,
        most_searched: Option<usize>,
    ) -> Scene {
        let mut searches_left = most_searched.unwrap_or(usize::MAX);
        let mut unsearched = 0;
        let capacity = crate::domain::validate::subnet_capacity(diagram);
        let holds = placed_in(diagram);
        let mut scene = Scene::default();
        for node in &diagram.nodes {
            let Some(rect) = diagram.layout.get(&node.id) else {
                continue;
            };
            scene.bounds = Some(match scene.bounds {
                Some(bounds) => bounds.union(rect),
                None => *rect,
            });
            if node.tag().is_container() {
                scene
                    .containers
                    .push(container_box(diagram, node, rect, &capacity, &holds));
            } else {
                scene.glyphs.push(glyph(diagram, node, rect));
            }
        }
        scene.zones = zone_columns(diagram);
        sorting::sort_by_key(&mut scene.containers, |container| {
            container_depth(diagram, &container.id)
        });

        // Lines keep clear of every icon but their own ends' and of all
        // text; lines joining the same two nodes (traffic edges first, then
        // relationships) share one route, drawn side by side.
        let mut keep_clear: BTreeMap<NodeId, Vec<Rect>> = BTreeMap::new();
        let mut texts: Vec<Rect> = Vec::new();
        for glyph in &scene.glyphs {
            // The icon, and its caption's lines as one box: a line has no
            // business between them, and fewer boxes are cheaper to route
            // around. (The caption stays apart from the icon so that a line
            // from the icon still keeps clear of its caption.)
            let mut boxes = vec![glyph.rect.widened(route::CLEARANCE)];
            let labels = glyph.labels();
            let caption = labels
                .iter()
                .map(|label| label.covers)
                .reduce(|a, b| a.union(&b));
            boxes.extend(caption.map(|caption| caption.widened(TEXT_CLEARANCE)));
            texts.extend(labels.into_iter().map(|label| label.covers));
            keep_clear.insert(glyph.id.clone(), boxes);
        }
        // Each VPC's zones stand together, in the order of the VPCs' ids
        // (`zone_columns`): runs of them, found by halving.
        let mut runs: Vec<(&NodeId, std::ops::Range<usize>)> = Vec::new();
        for (at, zone) in scene.zones.iter().enumerate() {
            match runs.last_mut() {
                Some((vpc, run)) if *vpc == &zone.vpc => run.end = at + 1,
                _ => runs.push((&zone.vpc, at..at + 1)),
            }
        }
        for container in &scene.containers {
            let mut labels = container.labels();
            if let Ok(found) = runs.binary_search_by(|(vpc, _)| (*vpc).cmp(&container.id)) {
                let zones = &scene.zones[runs[found].1.clone()];
                labels.extend(zones.iter().map(|zone| zone.label.clone()));
            }
            texts.extend(labels.iter().map(|label| label.covers));
            keep_clear.insert(
                container.id.clone(),
                labels
                    .iter()
                    .map(|label| label.covers.widened(TEXT_CLEARANCE))
                    .collect(),
            );
        }
        let obstacles = Obstacles::of(keep_clear.values().flatten().copied(), 0.0);
        // What an edit changed: a route whose corridor none of these meet,
        // between ends that stayed put, is still right.
        // The boxes as they were and as they are, apart: an edit that
        // moves a box within a corridor leaves its count as it was.
        let mut was: Vec<Rect> = Vec::new();
        let mut now: Vec<Rect> = Vec::new();
        if let Some(previous) = previous {
            // Both are in the order of the ids: read side by side, not
            // looked up one by one.
            let mut before = previous.keep_clear.iter().peekable();
            for (id, boxes) in &keep_clear {
                while let Some((_, gone)) = before.next_if(|(old, _)| *old < id) {
                    was.extend(gone.iter().copied());
                }
                match before.next_if(|(old, _)| *old == id) {
                    Some((_, kept)) if kept == boxes => {}
                    found => {
                        now.extend(boxes.iter().copied());
                        was.extend(found.into_iter().flat_map(|(_, old)| old).copied());
                    }
                }
            }
            was.extend(before.flat_map(|(_, gone)| gone).copied());
        }
        let changed = route::Changed { was, now };
        let links = relate::links(diagram);
        // Each pair's lines: how many, and how many placed so far (keyed
        // by the ids borrowed, not copied, for thousands of lines).
        let mut siblings: BTreeMap<(&NodeId, &NodeId), (usize, usize)> = BTreeMap::new();
        for (from, to) in diagram
            .edges
            .iter()
            .filter(|e| !e.shaped())
            .map(|e| (&e.from, &e.to))
            .chain(links.iter().map(|l| (&l.from, &l.to)))
        {
            siblings.entry(unordered(from, to)).or_default().0 += 1;
        }
        let mut routes: BTreeMap<RouteKey, Routed> = BTreeMap::new();
        // A line the user shaped has a route of its own, from its source
        // through its bends to its target.
        let mut line = |from, to, shaped: Option<&TrafficEdge>| {
            let ends = unordered(from, to);
            let (a, b) = match shaped {
                Some(_) => (diagram.layout.get(from)?, diagram.layout.get(to)?),
                None => (diagram.layout.get(ends.0)?, diagram.layout.get(ends.1)?),
            };
            let count = match shaped {
                Some(_) => 1,
                None => siblings.get(&ends).map_or(1, |&(count, _)| count),
            };
            let spread = (count - 1) as f64 / 2.0 * PARALLEL_EDGE_GAP;
            let shape = shaped.map(|edge| (edge.bends.clone(), edge.straight));
            let key = (
                ends.0.clone(),
                ends.1.clone(),
                shaped.map(|edge| edge.id.clone()),
            );
            let base = routes
                .entry(key)
                .or_insert_with_key(|key| {
                    let corridor = match shaped {
                        Some(edge) => shaped_corridor(a, b, &edge.bends),
                        None => route::corridor(a, b),
                    };
                    let known = previous
                        .and_then(|scene| scene.routes.get(key))
                        .filter(|known| {
                            known.ends == (*a, *b)
                                && (known.searched || search.is_none())
                                && known.spread == spread
                                && known.shape == shape
                                && (!changed.iter().any(|rect| intersects(rect, &corridor))
                                    || (known.crowded
                                        && search.is_some()
                                        && reuse.is_some_and(|reuse| {
                                            (reuse.crowded_route_holds)(
                                                a, b, &obstacles, spread, &changed,
                                            )
                                        })))
                        });
                    let mut carried = carried.and_then(|carried| carried.get(diagram, key));
                    // A line across a crowd of obstacles has the route the
                    // search would give it already, without spending one
                    // of the searches (an edit inside a VPC changes the
                    // corridors of hundreds of such lines).
                    let mut crowded = known.is_some_and(|known| known.crowded);
                    if search.is_some() && known.is_none() && carried.is_none() && shaped.is_none()
                    {
                        carried = route::crowded_route(a, b, &obstacles, spread);
                        crowded = carried.is_some();
                    }
                    // Only a line with no route to reuse spends a search.
                    let search = match search {
                        Some(_) if known.is_some() || carried.is_some() => search,
                        Some(_) if searches_left == 0 => {
                            unsearched += 1;
                            None
                        }
                        Some(_) => {
                            searches_left -= 1;
                            search
                        }
                        None => None,
                    };
                    let (path, searched) = match (known, carried, shaped) {
                        (Some(known), _, _) => (known.path.clone(), known.searched),
                        (None, Some(path), _) => (path, true),
                        (None, None, Some(edge)) => (
                            shaped_path(a, b, edge, &obstacles, search),
                            search.is_some(),
                        ),
                        (None, None, None) => match search {
                            Some(search) => (
                                search(a, b, &obstacles, spread, None, None).unwrap_or_else(|| {
                                    vec![border_point(a, b.center()), border_point(b, a.center())]
                                }),
                                true,
                            ),
                            None => (route::simple_route(a, b, &obstacles, spread), false),
                        },
                    };
                    Routed {
                        ends: (*a, *b),
                        spread,
                        shape,
                        path,
                        searched,
                        crowded,
                    }
                })
                .path
                .clone();
            if shaped.is_some() {
                return Some(base);
            }
            let index = match siblings.get_mut(&ends) {
                Some((_, placed)) => {
                    *placed += 1;
                    *placed - 1
                }
                None => 0,
            };
            let offset = (index as f64 - (count - 1) as f64 / 2.0) * PARALLEL_EDGE_GAP;
            let mut path = route::offset(&base, offset);
            if from != ends.0 {
                path.reverse();
            }
            Some(path)
        };
        let mut edge_paths = Vec::new();
        for edge in &diagram.edges {
            if let Some(path) = line(&edge.from, &edge.to, edge.shaped().then_some(edge)) {
                edge_paths.push((edge, path));
            }
        }
        let mut link_paths = Vec::new();
        for link in &links {
            if let Some(path) = line(&link.from, &link.to, None) {
                link_paths.push((link, path));
            }
        }
        let lines = edge_paths
            .iter()
            .map(|(_, path)| path.as_slice())
            .chain(link_paths.iter().map(|(_, path)| path.as_slice()));
        let mut labels = LabelPlacer::new(&texts, &scene.glyphs, lines);
        // Every line's label: its class, its text, the line.
        let link_keys: Vec<String> = link_paths.iter().map(|(link, _)| link.key()).collect();
        let edge_texts: Vec<String> = edge_paths
            .iter()
            .map(|(edge, _)| edge_label(edge))
            .collect();
        let wanted: Vec<(&'static str, &str, &[Point])> = edge_paths
            .iter()
            .zip(&edge_texts)
            .map(|((_, path), text)| ("edge-label", text.as_str(), path.as_slice()))
            .chain(
                link_paths
                    .iter()
                    .map(|(link, path)| ("link-label", link.what.label(), path.as_slice())),
            )
            .collect();
        // After an edit, with what an update keeps handed over, labels stay
        // where they were unless something the edit changed lies where
        // they could go (for the same lines in the same order).
        let same_lines = |previous: &&Scene| {
            previous.edges.len() == edge_paths.len()
                && previous.links.len() == link_paths.len()
                && previous
                    .edges
                    .iter()
                    .zip(&edge_paths)
                    .all(|(was, (edge, _))| was.id == edge.id)
                && previous
                    .links
                    .iter()
                    .zip(&link_keys)
                    .all(|(was, key)| &was.key == key)
        };
        let mut placed = match (reuse, previous.filter(same_lines)) {
            (Some(reuse), Some(before)) => {
                (reuse.place_labels)(&mut labels, &wanted, before, &changed)
            }
            _ => wanted
                .iter()
                .map(|&(class, text, path)| labels.place(class, text, path))
                .collect(),
        }
        .into_iter();
        drop(wanted);
        for ((edge, path), label) in edge_paths.into_iter().zip(placed.by_ref()) {
            scene.edges.push(EdgeLine {
                id: edge.id.clone(),
                source: edge.from.clone(),
                target: edge.to.clone(),
                from: path[0],
                to: path[path.len() - 1],
                path,
                bends: edge.bends.iter().map(|bend| (bend.x, bend.y)).collect(),
                label,
            });
        }
        for (((link, path), key), label) in link_paths.into_iter().zip(link_keys).zip(placed) {
            scene.links.push(LinkLine {
                key,
                what: link.what,
                from: path[0],
                to: path[path.len() - 1],
                path,
                source: link.from.clone(),
                target: link.to.clone(),
                label,
            });
        }
        scene.routes = routes;
        scene.unsearched = unsearched;
        scene.keep_clear = keep_clear;
        scene
    }

    /// How many times two drawn lines cross (lines drawn side by side
    /// between one pair do not).
    pub fn crossings(&self) -> usize {
        let paths: Vec<&[Point]> = self
            .edges
            .iter()
            .map(|e| e.path.as_slice())
            .chain(self.links.iter().map(|l| l.path.as_slice()))
            .collect();
        let mut count = 0;
        for (i, a) in paths.iter().enumerate() {
            for b in &paths[i + 1..] {
                count += route::crossings(a, b);
            }
        }
        count
    }

    /// Every text the scene draws, with the box it covers.
    pub fn labels(&self) -> Vec<Label> {
        let mut all: Vec<Label> = Vec::new();
        for container in &self.containers {
            all.extend(container.labels());
        }
        all.extend(self.zones.iter().map(|zone| zone.label.clone()));
        for glyph in &self.glyphs {
            all.extend(glyph.labels());
        }
        all.extend(self.edges.iter().map(|e| e.label.clone()));
        all.extend(self.links.iter().map(|l| l.label.clone()));
        all.retain(|label| !label.text.is_empty());
        all
    }
}

/// How a container is drawn (`capacity`: each subnet's usable and planned
/// addresses, as `validate::subnet_capacity` counts them; `holds`: how many
/// drawn resources each subnet holds, see [`placed_in`]).
pub fn container_box(
    diagram: &Diagram,
    node: &Node,
    rect: &Rect,
    capacity: &BTreeMap<NodeId, (u64, u64)>,
    holds: &BTreeMap<NodeId, usize>,
) -> ContainerBox {
    ContainerBox {
        id: node.id.clone(),
        kind: node.tag(),
        rect: *rect,
        title: node.name.clone(),
        subtitle: container_subtitle(&node.kind),
        capacity: capacity.get(&node.id).map(|(usable, planned)| {
            format!("{usable} usable · {} free", usable.saturating_sub(*planned))
        }),
        tier: match &node.kind {
            NodeKind::Subnet(_) => {
                Some(crate::domain::edit::routing::routing_of(diagram, &node.id).as_str())
            }
            _ => None,
        },
        holds: matches!(node.kind, NodeKind::Subnet(_))
            .then(|| holds.get(&node.id).copied().unwrap_or(0)),
    }
}

/// How many drawn resources are placed in each subnet.
pub fn placed_in(diagram: &Diagram) -> BTreeMap<NodeId, usize> {
    let mut counts: BTreeMap<NodeId, usize> = BTreeMap::new();
    for node in &diagram.nodes {
        if diagram.layout.contains_key(&node.id) {
            for subnet in node.kind.placement_subnets() {
                *counts.entry(subnet.clone()).or_default() += 1;
            }
        }
    }
    counts
}

/// How a resource is drawn.
pub fn glyph(diagram: &Diagram, node: &Node, rect: &Rect) -> Glyph {
    let kind = node.tag();
    Glyph {
        id: node.id.clone(),
        kind,
        rect: *rect,
        title: node.name.clone(),
        subtitle: glyph_subtitle(&node.kind),
        badge: badge(kind),
        band: band(diagram, rect, &node.kind),
    }
}

/// The strips that show a resource's subnets, when it has several: across
/// each subnet at the icon's height (kept inside the subnet).
fn band(diagram: &Diagram, icon: &Rect, kind: &NodeKind) -> Vec<Rect> {
    let subnets: Vec<&Rect> = kind
        .placement_subnets()
        .into_iter()
        .filter_map(|subnet| diagram.layout.get(subnet))
        .collect();
    if subnets.len() < 2 {
        return Vec::new();
    }
    let (top, bottom) = (icon.y - 10.0, icon.bottom() + 40.0);
    subnets
        .into_iter()
        .filter_map(|subnet| {
            let y0 = top.max(subnet.y + 4.0);
            let y1 = bottom.min(subnet.bottom() - 4.0);
            (y1 - y0 >= 8.0 && subnet.w > 16.0)
                .then(|| Rect::new(subnet.x + 8.0, y0, subnet.w - 16.0, y1 - y0))
        })
        .collect()
}

/// Each VPC's zones as columns around its subnets of that zone, labelled at
/// the top.
fn zone_columns(diagram: &Diagram) -> Vec<ZoneColumn> {
    let mut by_zone: BTreeMap<(NodeId, String), Rect> = BTreeMap::new();
    for node in &diagram.nodes {
        let NodeKind::Subnet(subnet) = &node.kind else {
            continue;
        };
        let (Some(rect), true) = (
            diagram.layout.get(&node.id),
            diagram.layout.contains_key(&subnet.vpc),
        ) else {
            continue;
        };
        by_zone
            .entry((subnet.vpc.clone(), subnet.az.clone()))
            .and_modify(|hull| *hull = hull.union(rect))
            .or_insert(*rect);
    }
    by_zone
        .into_iter()
        .map(|((vpc, zone), hull)| {
            let rect = Rect::new(hull.x - 8.0, hull.y - 26.0, hull.w + 16.0, hull.h + 34.0);
            let label = Label::new(
                "zone-label",
                &zone,
                ZONE_LABEL,
                (rect.x + 8.0, rect.y + 16.0),
                Anchor::Start,
            );
            ZoneColumn {
                vpc,
                zone,
                rect,
                label,
            }
        })
        .collect()
}

/// Puts each line's label on one of its segments where it covers no other
/// text and no icon and no line passes through it, trying the longest
/// segments first.
struct LabelPlacer {
    taken: Obstacles,
    lines: route::Segments,
}

/// What an update after an edit keeps, handed over like the search (the
/// app's first load draws without it, working out every line and label):
/// a crowded line's route while no changed box lies on its simple shapes,
/// a label while nothing changed where it could go. With it or without, a
/// scene is the same (tests/domain/routing.rs holds the two equal).
#[derive(Clone, Copy)]
pub struct Reuse {
    crowded_route_holds: fn(&Rect, &Rect, &Obstacles, f64, &route::Changed) -> bool,
    place_labels: fn(&mut LabelPlacer, &[LabelWanted], &Scene, &route::Changed) -> Vec<Label>,
}

impl Reuse {
    pub fn new() -> Reuse {
        Reuse {
            crowded_route_holds: route::crowded_route_holds,
            place_labels: place_labels_after,
        }
    }
}

impl Default for Reuse {
    fn default() -> Reuse {
        Reuse::new()
    }
}

/// A line's label to place: its class, its text, the line.
type LabelWanted<'a> = (&'static str, &'a str, &'a [Point]);

/// The labels of `wanted` after an edit from `before` (the same lines in
/// the same order), each kept where it was unless what `changed`, a line's
/// moved stretches or a label placed anew before it lie where it could go.
fn place_labels_after(
    labels: &mut LabelPlacer,
    wanted: &[LabelWanted],
    before: &Scene,
    changed: &route::Changed,
) -> Vec<Label> {
    let mut moved = Obstacles::default();
    for rect in changed.iter() {
        moved.add(*rect, 0.0);
    }
    let was: Vec<(&Label, &[Point])> = before
        .edges
        .iter()
        .map(|e| (&e.label, e.path.as_slice()))
        .chain(before.links.iter().map(|l| (&l.label, l.path.as_slice())))
        .collect();
    for (&(_, _, now), &(_, then)) in wanted.iter().zip(&was) {
        if then != now {
            for rect in stretches_apart(then, now)
                .into_iter()
                .chain(stretches_apart(now, then))
            {
                // A label's box that a line passes through overlaps the
                // stretch's box widened a little.
                moved.add(rect.widened(2.0), 0.0);
            }
        }
    }
    wanted
        .iter()
        .zip(&was)
        .map(|(&(class, text, path), &(label, then))| {
            labels.place_again(class, text, path, (label, then == path), &mut moved)
        })
        .collect()
}

/// A line label's places to try, best first, and the box it covers at each.
fn label_candidates(path: &[Point], width: f64) -> Vec<(Point, Anchor, Rect)> {
    let mut segments: Vec<(Point, Point)> = path.windows(2).map(|w| (w[0], w[1])).collect();
    sorting::sort_by(&mut segments, |a, b| {
        route::length(&[b.0, b.1]).total_cmp(&route::length(&[a.0, a.1]))
    });
    let covers = |(x, y): Point, anchor: Anchor| {
        let left = match anchor {
            Anchor::Start => x,
            Anchor::Middle => x - width / 2.0,
            Anchor::End => x - width,
        };
        text::line_box(left, y, width, LINE_LABEL)
    };
    let mut candidates = Vec::with_capacity(segments.len() * 10);
    for (a, b) in &segments {
        let horizontal = (a.1 - b.1).abs() < 1e-6;
        for t in [0.5, 0.3, 0.7, 0.15, 0.85] {
            let (x, y) = (a.0 + (b.0 - a.0) * t, a.1 + (b.1 - a.1) * t);
            let places = if horizontal {
                [
                    ((x, y - 4.0), Anchor::Middle),
                    ((x, y + 13.0), Anchor::Middle),
                ]
            } else {
                [
                    ((x + 5.0, y + 4.0), Anchor::Start),
                    ((x - 5.0, y + 4.0), Anchor::End),
                ]
            };
            candidates.extend(places.map(|(at, anchor)| (at, anchor, covers(at, anchor))));
        }
    }
    candidates
}

impl LabelPlacer {
    fn new<'a>(
        texts: &[Rect],
        glyphs: &[Glyph],
        lines: impl IntoIterator<Item = &'a [Point]>,
    ) -> LabelPlacer {
        let taken = texts.iter().chain(glyphs.iter().map(|g| &g.rect));
        LabelPlacer {
            taken: Obstacles::of(taken.copied(), 0.0),
            lines: route::Segments::of(lines),
        }
    }

    /// The label of a line along `path`, placed as [`LabelPlacer::place`]
    /// would, reusing `before` (the line's label in the scene before an
    /// edit) when the line kept its path (`same_path`) and nothing
    /// `changed` where it could go. `changed` holds every text, icon and
    /// line segment the edit changed, and gains the label's old and new
    /// boxes when it moves, so the labels placed after it (which it may have
    /// kept from a place) are placed anew when it does.
    fn place_again(
        &mut self,
        class: &'static str,
        label: &str,
        path: &[Point],
        (before, same_path): (&Label, bool),
        changed: &mut Obstacles,
    ) -> Label {
        let width = text::width(label, LINE_LABEL);
        if same_path {
            // Every place the label could go lies within its width (and
            // the few pixels it keeps from the line) of one of the line's
            // segments: of a long line that turns, a band along it, not the
            // whole box around it, which would hold most edits.
            let margin = width + LINE_LABEL.size * 2.0 + 8.0;
            let near = |rect: Rect| changed.overlaps_any(&rect.widened(margin));
            let untouched = match path {
                [] => true,
                [point] => !near(Rect::spanning(*point, *point)),
                _ => !path.windows(2).any(|w| near(Rect::spanning(w[0], w[1]))),
            };
            if untouched && before.class == class && before.text == label {
                self.taken.add(before.covers, 0.0);
                return before.clone();
            }
        }
        let candidates = label_candidates(path, width);
        let placed = self.choose(class, label, path, &candidates);
        if before != &placed {
            changed.add(before.covers, 0.0);
            changed.add(placed.covers, 0.0);
        }
        placed
    }

    fn place(&mut self, class: &'static str, label: &str, path: &[Point]) -> Label {
        // The text is measured once; a label is made only for the place
        // chosen (a line tries up to a few dozen).
        let candidates = label_candidates(path, text::width(label, LINE_LABEL));
        self.choose(class, label, path, &candidates)
    }

    fn choose(
        &mut self,
        class: &'static str,
        label: &str,
        path: &[Point],
        candidates: &[(Point, Anchor, Rect)],
    ) -> Label {
        let made = |at: Point, anchor: Anchor, covers: Rect| Label {
            class,
            text: label.to_string(),
            at,
            anchor,
            covers,
        };
        for &(at, anchor, covers) in candidates {
            if !self.taken.overlaps_any(&covers) && !self.lines.cross(&covers) {
                self.taken.add(covers, 0.0);
                return made(at, anchor, covers);
            }
        }
        let fallback = match candidates.first() {
            Some(&(at, anchor, covers)) => made(at, anchor, covers),
            None => {
                let at = path.first().copied().unwrap_or((0.0, 0.0));
                let width = text::width(label, LINE_LABEL);
                let covers = text::line_box(at.0 - width / 2.0, at.1, width, LINE_LABEL);
                made(at, Anchor::Middle, covers)
            }
        };
        self.taken.add(fallback.covers, 0.0);
        fallback
    }
}

/// The stretches of line `one` that line `other` does not run along, as
/// boxes: moving one end of a long line changes the first or last few
/// pixels of its runs, not the whole of them.
fn stretches_apart(one: &[Point], other: &[Point]) -> Vec<Rect> {
    // A run along an axis: which axis, where across it, and its extent.
    let run = |a: Point, b: Point| {
        if a.1 == b.1 {
            Some((true, a.1, a.0.min(b.0), a.0.max(b.0)))
        } else if a.0 == b.0 {
            Some((false, a.0, a.1.min(b.1), a.1.max(b.1)))
        } else {
            None
        }
    };
    let mut out = Vec::new();
    for w in one.windows(2) {
        let Some((horizontal, across, lo, hi)) = run(w[0], w[1]) else {
            out.push(Rect::spanning(w[0], w[1]));
            continue;
        };
        // What is left of the run once every run of `other` along it is
        // taken away.
        let mut left = vec![(lo, hi)];
        for v in other.windows(2) {
            let Some((h, at, from, to)) = run(v[0], v[1]) else {
                continue;
            };
            if h != horizontal || at != across {
                continue;
            }
            let mut rest = Vec::with_capacity(left.len() + 1);
            for (lo, hi) in left {
                if to <= lo || from >= hi {
                    rest.push((lo, hi));
                    continue;
                }
                if from > lo {
                    rest.push((lo, from));
                }
                if hi > to {
                    rest.push((to, hi));
                }
            }
            left = rest;
        }
        for (lo, hi) in left {
            out.push(match horizontal {
                true => Rect::spanning((lo, across), (hi, across)),
                false => Rect::spanning((across, lo), (across, hi)),
            });
        }
    }
    out
}

/// Whether two boxes share some area (touching is not overlapping).
pub fn intersects(a: &Rect, b: &Rect) -> bool {
    a.x < b.right() && b.x < a.right() && a.y < b.bottom() && b.y < a.bottom()
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
        NodeKind::RdsInstance(database) => format!(
            "{} :{}{}",
            database.engine.label(),
            database.port,
            if database.multi_az { " Multi-AZ" } else { "" }
        ),
        NodeKind::DynamodbTable(table) => {
            let key =
                |key: &KeyAttribute| format!("{} ({})", key.name, key.attribute_type.letter());
            match &table.sort_key {
                Some(sort) => format!("{} + {}", key(&table.partition_key), key(sort)),
                None => key(&table.partition_key),
            }
        }
        NodeKind::SqsQueue(queue) => {
            if queue.fifo {
                format!("FIFO · {} s visibility", queue.visibility_timeout_seconds)
            } else {
                format!("{} s visibility", queue.visibility_timeout_seconds)
            }
        }
        NodeKind::ElasticacheCache(cache) => {
            let replicas = match cache.replicas {
                0 => "no replica".to_string(),
                1 => "1 replica".to_string(),
                n => format!("{n} replicas"),
            };
            let multi_az = if cache.multi_az { " Multi-AZ" } else { "" };
            format!(
                "{} :{} · {replicas}{multi_az}",
                cache.engine.label(),
                cache.port
            )
        }
        NodeKind::SnsTopic(topic) => {
            let queues = match topic.subscriptions.len() {
                1 => "1 queue".to_string(),
                n => format!("{n} queues"),
            };
            if topic.fifo {
                format!("FIFO · {queues}")
            } else {
                queues
            }
        }
        NodeKind::LambdaFunction(function) => {
            format!("{} · {} MB", function.runtime.label(), function.memory_mb)
        }
        NodeKind::Ec2Instance(instance) => format!("{} :{}", instance.instance_type, instance.port),
        NodeKind::Secret(secret) => {
            if secret.database.is_some() {
                "database credentials".to_string()
            } else {
                format!("{} characters generated", secret.password_length)
            }
        }
        NodeKind::WebAcl(acl) => {
            let rules = acl.managed_groups().len() + usize::from(acl.rate_limit.is_some());
            let rules = match rules {
                1 => "1 rule".to_string(),
                n => format!("{n} rules"),
            };
            format!("{} · {rules}", acl.scope.as_str())
        }
        NodeKind::AutoScalingGroup(group) => format!(
            "{} × {} ({}–{}) :{}",
            group.desired_capacity, group.instance_type, group.min_size, group.max_size, group.port
        ),
        NodeKind::HttpApi(api) => match api.routes.len() {
            1 => format!("1 route · {}", api.routes[0].route_key),
            n => format!("{n} routes"),
        },
        NodeKind::Bastion(bastion) => bastion.instance_type.clone(),
        NodeKind::ExternalClient(client) => client.cidr.to_string(),
        // A placeholder says so on the canvas.
        NodeKind::OtherResource(other) if other.placeholder => {
            format!("placeholder: {}", other.resource_type)
        }
        NodeKind::OtherResource(other) => other.resource_type.clone(),
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

/// Whether AWS's Architecture Icons have an icon for a kind
/// (`assets/aws-icons/<kind>.svg`); the others keep stackdraw's pictogram.
pub fn has_aws_icon(kind: KindTag) -> bool {
    !matches!(
        kind,
        KindTag::SecurityGroup | KindTag::Pipeline | KindTag::OtherResource
    )
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
        KindTag::RdsInstance => "RDS",
        KindTag::ElasticacheCache => "ELC",
        KindTag::DynamodbTable => "DDB",
        KindTag::SqsQueue => "SQS",
        KindTag::SnsTopic => "SNS",
        KindTag::LambdaFunction => "FN",
        KindTag::HttpApi => "API",
        KindTag::AutoScalingGroup => "ASG",
        KindTag::Ec2Instance => "EC2",
        KindTag::Secret => "SM",
        KindTag::WebAcl => "WAF",
        KindTag::Bastion => "EC2",
        KindTag::S3Bucket => "S3",
        KindTag::CloudFront => "CF",
        KindTag::Route53Zone => "R53",
        KindTag::AcmCertificate => "ACM",
        KindTag::EcrRepository => "ECR",
        KindTag::Pipeline => "CI",
        KindTag::Internet => "WWW",
        KindTag::ExternalClient => "USR",
        KindTag::OtherResource => "RES",
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
