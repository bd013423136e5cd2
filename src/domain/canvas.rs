//! The canvas's SVG markup for a scene, as text the browser parses: one
//! piece per drawn thing, keyed, so after an edit the canvas re-parses only
//! the pieces whose markup changed.
//!
//! The markup carries the hooks the editor and its tests use: `data-node-id`,
//! `data-kind`, `data-edge-id`, `data-verdict`, the `node-…`, `edge-…`,
//! `handle-…`, `resize-…` and `badge-…` test ids. What changes without the
//! diagram changing (selection, the nodes a drag moves) is not written here:
//! the canvas marks those elements with classes (`selected`, `moving`,
//! `hidden`) and `data-selected`. Every text and attribute value is escaped,
//! so a hostile name stays text.

use crate::domain::image::escape;
use crate::domain::model::{EdgeId, NodeId, Rect};
use crate::domain::number::decimal;
use crate::domain::route::Point;
use crate::domain::scene::{
    has_aws_icon, ContainerBox, EdgeLine, Glyph, Label, LinkLine, Scene, ZoneColumn,
};

/// Room between an AWS icon and the edge of its tile.
pub const ICON_INSET: f64 = 6.0;
use crate::domain::sorting;
use crate::domain::validate::{Analysis, InvocationVerdict, Severity, Verdict};
use std::collections::BTreeMap;
use std::fmt::Write;
use std::sync::Arc;

/// Canvas coordinates: two decimals are finer than a screen pixel at any zoom.
fn n(value: f64) -> String {
    decimal(value, 2)
}

/// One drawn thing (a node, an edge or a problem badge): a key that stays
/// the same while the thing exists, its markup, a single `<g>` element, and
/// the box it covers. The canvas replaces only the pieces whose markup
/// changed, so an edit on a large diagram does not make the browser parse,
/// style and lay out every element again, and draws only the pieces near
/// the view.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Piece {
    /// Shared like `html`: an edit keeps thousands of pieces.
    pub key: Arc<str>,
    /// Shared with the markup before an edit when unchanged, so that
    /// telling the two apart is a pointer comparison.
    pub html: Arc<str>,
    pub covers: Rect,
}

/// How much the canvas draws of each thing, by zoom. Far out, 11 px
/// captions are under 5 px on screen: they, the ports' labels and the
/// connection handles are not drawn, and containers show their names large
/// with what they hold. Further out still, icons are under 13 px: a
/// resource is a tile in its group's colour, lines lose their arrows and
/// problems are marked in the problems panel only. Each step leaves out most of the elements a page of
/// thousands of resources would otherwise style, lay out and paint.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Detail {
    #[default]
    Full,
    Far,
    Overview,
}

impl Detail {
    /// Below this zoom captions give way (see the stylesheet's `.far`).
    pub const FAR_ZOOM: f64 = 0.45;
    /// Below this zoom icons give way to tiles.
    pub const OVERVIEW_ZOOM: f64 = 0.2;

    pub fn at(zoom: f64) -> Detail {
        if zoom < Detail::OVERVIEW_ZOOM {
            Detail::Overview
        } else if zoom < Detail::FAR_ZOOM {
            Detail::Far
        } else {
            Detail::Full
        }
    }
}

/// The canvas's layers, bottom to top: containers, edges, resources, badges.
/// (The edges a drag stretches are drawn between edges and resources.)
#[derive(Clone, Debug, Default)]
pub struct Markup {
    pub containers: Vec<Piece>,
    pub edges: Vec<Piece>,
    pub glyphs: Vec<Piece>,
    pub badges: Vec<Piece>,
    /// What the pieces were written from (see [`Markup::after`]).
    source: Option<Source>,
}

/// Markups are the same when they draw the same.
impl PartialEq for Markup {
    fn eq(&self, other: &Markup) -> bool {
        self.layers() == other.layers()
    }
}

/// A markup's scene, detail, and what it drew of the analysis: each
/// traffic edge's verdict and each relationship's invocation, in the
/// scene's order.
#[derive(Clone, Debug)]
struct Source {
    scene: Arc<Scene>,
    detail: Detail,
    verdicts: Vec<Option<Verdict>>,
    invocations: Vec<Option<InvocationVerdict>>,
}

impl Markup {
    pub fn layers(&self) -> [&[Piece]; 4] {
        [&self.containers, &self.edges, &self.glyphs, &self.badges]
    }
}

/// One change to a drawn layer (see [`layer_steps`]). Indices are into the
/// pieces the layer shows (its elements, in order) and into the next ones.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LayerStep {
    /// The element goes.
    Remove(usize),
    /// The element stays, its markup written anew from a next piece.
    Replace(usize, usize),
    /// Next pieces `from..to` are parsed in before that element, or at the
    /// end; an insertion comes before any other step on its element.
    Insert {
        before: Option<usize>,
        from: usize,
        to: usize,
    },
}

/// How a layer showing `shown` comes to show `next`, each piece with its
/// place in the layer's whole list: walked together in that order, a piece
/// at the same place with the same key stays (replaced if its markup
/// changed), those that went are removed, and runs of those that came are
/// inserted at once. A pan keeps what stays in view; an edit that shifts
/// the places redraws the view's pieces.
pub fn layer_steps(shown: &[(usize, &Piece)], next: &[(usize, &Piece)]) -> Vec<LayerStep> {
    let mut steps = Vec::new();
    let mut kept = shown.iter().enumerate().peekable();
    let mut arriving: Option<usize> = None;
    for (at, (place, now)) in next.iter().enumerate() {
        while let Some((element, _)) = kept.next_if(|(_, (was, _))| was < place) {
            steps.push(LayerStep::Remove(element));
        }
        match kept.next_if(|(_, (was, piece))| was == place && piece.key == now.key) {
            Some((element, (_, was))) => {
                if let Some(from) = arriving.take() {
                    steps.push(LayerStep::Insert {
                        before: Some(element),
                        from,
                        to: at,
                    });
                }
                if was.html != now.html {
                    steps.push(LayerStep::Replace(element, at));
                }
            }
            None => {
                arriving.get_or_insert(at);
            }
        }
    }
    steps.extend(kept.map(|(element, _)| LayerStep::Remove(element)));
    if let Some(from) = arriving {
        steps.push(LayerStep::Insert {
            before: None,
            from,
            to: next.len(),
        });
    }
    steps
}

fn piece(key: String, covers: Rect, write: impl FnOnce(&mut String)) -> Piece {
    let mut html = String::with_capacity(512);
    write(&mut html);
    Piece {
        key: key.into(),
        html: html.into(),
        covers,
    }
}

/// The box around a line's points and its label.
fn line_covers(path: &[Point], label: &Label) -> Rect {
    path.iter()
        .fold(label.covers, |all, &(x, y)| {
            all.union(&Rect::new(x, y, 0.0, 0.0))
        })
        .widened(8.0)
}

fn container_piece(container: &ContainerBox, zones: &[ZoneColumn], detail: Detail) -> Piece {
    piece(
        format!("n:{}", container.id),
        container.rect.widened(8.0),
        |out| write_container(out, container, zones, detail),
    )
}

fn edge_piece(edge: &EdgeLine, verdict: Option<Verdict>, detail: Detail) -> Piece {
    piece(
        format!("e:{}", edge.id),
        line_covers(&edge.path, &edge.label),
        |out| write_edge(out, edge, verdict, detail),
    )
}

fn link_piece(link: &LinkLine, invocation: Option<&InvocationVerdict>, detail: Detail) -> Piece {
    piece(
        format!("l:{}", link.key),
        line_covers(&link.path, &link.label),
        |out| write_link(out, link, invocation, detail),
    )
}

/// A resource's piece covers its icon, its captions and its strips.
fn glyph_piece(glyph: &Glyph, detail: Detail) -> Piece {
    let covers = glyph
        .labels()
        .iter()
        .fold(glyph.rect.widened(12.0), |all, label| {
            all.union(&label.covers)
        });
    let covers = glyph.band.iter().fold(covers, |all, band| all.union(band));
    piece(format!("n:{}", glyph.id), covers, |out| {
        write_glyph(out, glyph, detail)
    })
}

/// The markup of a scene at a level of detail, every piece written. (The
/// app's first load draws with this; [`Markup::after`], which shares what
/// an edit left unchanged, comes with the editor.)
pub fn markup(scene: &Scene, analysis: &Analysis, detail: Detail) -> Markup {
    let containers = scene
        .containers
        .iter()
        .map(|container| container_piece(container, &scene.zones, detail))
        .collect();
    let edges = scene
        .edges
        .iter()
        .map(|edge| {
            let verdict = analysis.flow_of_edge(&edge.id).map(|flow| flow.verdict);
            edge_piece(edge, verdict, detail)
        })
        .chain(scene.links.iter().map(|link| {
            let invocation = analysis.invocations.iter().find(|v| v.link == link.key);
            link_piece(link, invocation, detail)
        }))
        .collect();
    let glyphs = scene
        .glyphs
        .iter()
        .map(|glyph| glyph_piece(glyph, detail))
        .collect();
    let badges = badge_pieces(scene, analysis, detail);
    Markup {
        containers,
        edges,
        glyphs,
        badges,
        source: None,
    }
}

impl Markup {
    /// The markup of `scene` after `before` (the markup of the scene before
    /// an edit): each piece whose node or line, level of detail and verdict
    /// are as they were is shared with `before`, not written again. An edit
    /// on a large diagram changes a few pieces of thousands.
    pub fn after(
        before: Option<&Markup>,
        scene: &Arc<Scene>,
        analysis: &Analysis,
        detail: Detail,
    ) -> Markup {
        let before = before.and_then(|before| Some((before, before.source.as_ref()?)));
        let before = before.filter(|(_, source)| source.detail == detail);
        let (mut markup, source) = write_markup(scene, analysis, detail, before);
        markup.source = Some(Source {
            scene: Arc::clone(scene),
            ..source
        });
        markup
    }
}

/// The item of `before` with `key`, for the item at `at` now: looked for
/// where it stood shifted as the last one found was (an insertion or a
/// removal shifts what follows it), then through the list.
fn counterpart<'a, T, K: PartialEq + ?Sized>(
    before: &'a [T],
    at: usize,
    key: &K,
    key_of: impl Fn(&T) -> &K,
    shift: &mut isize,
) -> Option<(usize, &'a T)> {
    let guess = at.checked_add_signed(*shift).unwrap_or(at);
    let found = sorting::find_near(before, guess, key, key_of)?;
    *shift = found as isize - at as isize;
    Some((found, &before[found]))
}

/// A source without its scene (the caller's), and the markup.
fn write_markup(
    scene: &Scene,
    analysis: &Analysis,
    detail: Detail,
    before: Option<(&Markup, &Source)>,
) -> (Markup, Source) {
    // Each drawn edge's verdict: its first flow's, found by halving.
    let mut verdict_of: Vec<(&EdgeId, Verdict)> = analysis
        .flows
        .iter()
        .filter_map(|flow| Some((flow.edge.as_ref()?, flow.verdict)))
        .collect();
    sorting::sort_by(&mut verdict_of, |a, b| a.0.cmp(b.0));
    let verdict_of = |id: &EdgeId| {
        let at = verdict_of.partition_point(|(edge, _)| *edge < id);
        verdict_of
            .get(at)
            .filter(|(edge, _)| *edge == id)
            .map(|(_, verdict)| *verdict)
    };
    let zones_as_before = before.is_some_and(|(_, was)| was.scene.zones == scene.zones);

    let mut shift = 0;
    let containers = scene
        .containers
        .iter()
        .enumerate()
        .map(|(at, container)| {
            let kept = before
                .filter(|_| zones_as_before)
                .and_then(|(markup, was)| {
                    let (at, old) = counterpart(
                        &was.scene.containers,
                        at,
                        &container.id,
                        |c| &c.id,
                        &mut shift,
                    )?;
                    (old == container).then(|| markup.containers[at].clone())
                });
            kept.unwrap_or_else(|| container_piece(container, &scene.zones, detail))
        })
        .collect();

    let verdicts: Vec<Option<Verdict>> = scene
        .edges
        .iter()
        .map(|edge| verdict_of(&edge.id))
        .collect();
    let invocations: Vec<Option<InvocationVerdict>> = scene
        .links
        .iter()
        .map(|link| {
            analysis
                .invocations
                .iter()
                .find(|v| v.link == link.key)
                .cloned()
        })
        .collect();
    let mut shift = 0;
    let edges = scene
        .edges
        .iter()
        .zip(&verdicts)
        .enumerate()
        .map(|(at, (edge, verdict))| {
            let kept = before.and_then(|(markup, was)| {
                let (at, old) = counterpart(&was.scene.edges, at, &edge.id, |e| &e.id, &mut shift)?;
                (old == edge && was.verdicts[at] == *verdict).then(|| markup.edges[at].clone())
            });
            kept.unwrap_or_else(|| edge_piece(edge, *verdict, detail))
        });
    let mut shift = 0;
    let edge_count = scene.edges.len();
    let links = scene
        .links
        .iter()
        .zip(&invocations)
        .enumerate()
        .map(|(at, (link, invocation))| {
            let kept = before.and_then(|(markup, was)| {
                let (at, old) = counterpart(
                    &was.scene.links,
                    at,
                    link.key.as_str(),
                    |l| l.key.as_str(),
                    &mut shift,
                )?;
                (old == link && was.invocations[at] == *invocation)
                    .then(|| markup.edges[was.scene.edges.len() + at].clone())
            });
            kept.unwrap_or_else(|| link_piece(link, invocation.as_ref(), detail))
        });
    let mut lines: Vec<Piece> = Vec::with_capacity(edge_count + scene.links.len());
    lines.extend(edges);
    lines.extend(links);

    let mut shift = 0;
    let glyphs = scene
        .glyphs
        .iter()
        .enumerate()
        .map(|(at, glyph)| {
            let kept = before.and_then(|(markup, was)| {
                let (at, old) =
                    counterpart(&was.scene.glyphs, at, &glyph.id, |g| &g.id, &mut shift)?;
                (old == glyph).then(|| markup.glyphs[at].clone())
            });
            kept.unwrap_or_else(|| glyph_piece(glyph, detail))
        })
        .collect();
    let badges = badge_pieces(scene, analysis, detail);
    let markup = Markup {
        containers,
        edges: lines,
        glyphs,
        badges,
        source: None,
    };
    let source = Source {
        scene: Arc::default(),
        detail,
        verdicts,
        invocations,
    };
    (markup, source)
}

/// A badge on each node a problem names (none in the overview).
fn badge_pieces(scene: &Scene, analysis: &Analysis, detail: Detail) -> Vec<Piece> {
    let problems = problems_by_node(analysis);
    let boxes = scene
        .containers
        .iter()
        .map(|c| (&c.id, c.rect))
        .chain(scene.glyphs.iter().map(|g| (&g.id, g.rect)));
    boxes
        .filter(|_| detail != Detail::Overview)
        .filter_map(|(id, rect)| {
            let (severity, messages) = problems.get(id)?;
            let (x, y) = (rect.right() - 2.0, rect.y + 2.0);
            let covers = Rect::new(x - 10.0, y - 10.0, 20.0, 20.0);
            Some(piece(format!("b:{id}"), covers, |out| {
                let _ = write!(
                    out,
                    "<g class=\"badge {severity}\" data-testid=\"badge-{id}\" data-badge-of=\"{id}\" \
                     data-severity=\"{severity}\"><title>{messages}</title><circle cx=\"{x}\" cy=\"{y}\" r=\"9\"></circle>\
                     <text x=\"{x}\" y=\"{ty}\" text-anchor=\"middle\">{mark}</text></g>",
                    severity = severity.as_str(),
                    id = escape(id.as_str()),
                    messages = escape(&messages.join("\n")),
                    x = n(x),
                    y = n(y),
                    ty = n(y + 4.0),
                    mark = if *severity == Severity::Error { "!" } else { "?" },
                );
            }))
        })
        .collect()
}

/// For each node a warning or error names: the worst severity, and the
/// messages, errors first (a badge's tooltip).
fn problems_by_node(analysis: &Analysis) -> BTreeMap<&NodeId, (Severity, Vec<&str>)> {
    let mut by_node: BTreeMap<&NodeId, (Severity, Vec<&str>)> = BTreeMap::new();
    for severity in [Severity::Error, Severity::Warning] {
        for diagnostic in analysis
            .diagnostics
            .iter()
            .filter(|d| d.severity == severity)
        {
            for node in &diagnostic.nodes {
                by_node
                    .entry(node)
                    .or_insert((severity, Vec::new()))
                    .1
                    .push(&diagnostic.message);
            }
        }
    }
    by_node
}

/// What hovering a container says: its name, block and zone, and for a
/// subnet its routing and addresses.
fn container_tooltip(container: &ContainerBox) -> String {
    let mut parts = vec![container.title.clone(), container.subtitle.clone()];
    parts.extend(container.tier.map(str::to_string));
    parts.extend(container.capacity.clone());
    parts.retain(|part| !part.is_empty());
    parts.join("\n")
}

fn write_container(
    out: &mut String,
    container: &ContainerBox,
    zones: &[ZoneColumn],
    detail: Detail,
) {
    let rect = container.rect;
    let id = escape(container.id.as_str());
    let kind = container.kind.as_str();
    let tier = container
        .tier
        .map(|tier| format!(" {tier}"))
        .unwrap_or_default();
    let _ = write!(
        out,
        "<g class=\"container {kind}{tier}\" data-selected=\"false\" data-testid=\"node-{id}\" \
         data-node-id=\"{id}\" data-kind=\"{kind}\"><title>{tooltip}</title>\
         <rect class=\"container-box\" x=\"{x}\" y=\"{y}\" width=\"{w}\" height=\"{h}\" rx=\"8\"></rect>\
         <rect class=\"selection-outline\" x=\"{ox}\" y=\"{oy}\" width=\"{ow}\" height=\"{oh}\" rx=\"10\"></rect>",
        x = n(rect.x),
        y = n(rect.y),
        w = n(rect.w),
        h = n(rect.h),
        ox = n(rect.x - 4.0),
        oy = n(rect.y - 4.0),
        ow = n(rect.w + 8.0),
        oh = n(rect.h + 8.0),
        tooltip = escape(&container_tooltip(container)),
    );
    if detail == Detail::Full {
        for label in container.labels() {
            write_label(out, &label);
        }
    }
    // Far out, when captions are too small to read: the name large, and
    // what the subnet holds.
    if detail != Detail::Full {
        let _ = write!(
            out,
            "<text class=\"container-far-title\" x=\"{x}\" y=\"{y}\">{title}</text>",
            x = n(rect.x + 14.0),
            y = n(rect.y + 34.0),
            title = escape(&container.title),
        );
        if let Some(holds) = container.holds {
            let _ = write!(
                out,
                "<text class=\"container-count\" x=\"{x}\" y=\"{y}\">{holds} {what}</text>",
                x = n(rect.x + 14.0),
                y = n(rect.y + 62.0),
                what = if holds == 1 { "resource" } else { "resources" },
            );
        }
    }
    // A VPC's zones, under its subnets (drawn later, on top).
    let zones = zones.iter().filter(|_| detail != Detail::Overview);
    for zone in zones.filter(|zone| zone.vpc == container.id) {
        let r = zone.rect;
        let _ = write!(
            out,
            "<rect class=\"zone-column\" data-zone=\"{zone}\" x=\"{x}\" y=\"{y}\" width=\"{w}\" height=\"{h}\" rx=\"6\"></rect>",
            zone = escape(&zone.zone),
            x = n(r.x),
            y = n(r.y),
            w = n(r.w),
            h = n(r.h),
        );
        if detail == Detail::Full {
            write_label(out, &zone.label);
        }
    }
    // Shown only while the container is selected (see the stylesheet).
    let _ = write!(
        out,
        "<rect class=\"resize-handle\" data-testid=\"resize-{id}\" x=\"{x}\" y=\"{y}\" \
         width=\"14\" height=\"14\" rx=\"3\"></rect></g>",
        x = n(rect.right() - 7.0),
        y = n(rect.bottom() - 7.0),
    );
}

/// A line of text where the scene put it.
pub fn write_label(out: &mut String, label: &Label) {
    let _ = write!(
        out,
        "<text class=\"{class}\" x=\"{x}\" y=\"{y}\" text-anchor=\"{anchor}\">{text}</text>",
        class = label.class,
        x = n(label.at.0),
        y = n(label.at.1),
        anchor = label.anchor.as_str(),
        text = escape(&label.text),
    );
}

fn write_glyph(out: &mut String, glyph: &Glyph, detail: Detail) {
    let rect = glyph.rect;
    let (cx, cy) = rect.center();
    let id = escape(glyph.id.as_str());
    let kind = glyph.kind.as_str();
    // In the overview, a tile in the colour of the resource's palette group.
    let overview = detail == Detail::Overview;
    let official = has_aws_icon(glyph.kind) && !overview;
    let _ = write!(
        out,
        "<g class=\"glyph {kind} cat-{category}{official_class}\" data-selected=\"false\" data-testid=\"node-{id}\" \
         data-node-id=\"{id}\" data-kind=\"{kind}\">",
        category = glyph.kind.category().css_class(),
        official_class = if official { " official" } else { "" },
    );
    for r in glyph.band.iter().filter(|_| !overview) {
        let _ = write!(
            out,
            "<rect class=\"band\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"8\"></rect>",
            n(r.x),
            n(r.y),
            n(r.w),
            n(r.h)
        );
    }
    let (x, y, w, h) = (n(rect.x), n(rect.y), n(rect.w), n(rect.h));
    let _ = write!(
        out,
        "<rect class=\"selection-outline\" x=\"{ox}\" y=\"{oy}\" width=\"{ow}\" height=\"{oh}\" rx=\"14\"></rect>\
         <rect class=\"glyph-icon\" x=\"{x}\" y=\"{y}\" width=\"{w}\" height=\"{h}\" rx=\"12\"></rect>",
        ox = n(rect.x - 4.0),
        oy = n(rect.y - 4.0),
        ow = n(rect.w + 8.0),
        oh = n(rect.h + 8.0),
    );
    if overview {
        out.push_str("</g>");
        return;
    }
    let _ = write!(
        out,
        "<use href=\"/icons.svg#{kind}\" x=\"{x}\" y=\"{y}\" width=\"{w}\" height=\"{h}\" class=\"glyph-art\"></use>",
    );
    if official {
        // AWS's icon, whole and unmodified, on a neutral tile; the
        // stylesheet shows it or the pictogram (the "simple" style).
        let _ = write!(
            out,
            "<image class=\"glyph-official\" href=\"/aws-icons/{kind}.svg\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"></image>",
            n(rect.x + ICON_INSET),
            n(rect.y + ICON_INSET),
            n(rect.w - 2.0 * ICON_INSET),
            n(rect.h - 2.0 * ICON_INSET)
        );
    }
    let _ = write!(
        out,
        "<text class=\"glyph-badge\" x=\"{cx}\" y=\"{by}\" text-anchor=\"middle\">{badge}</text>",
        cx = n(cx),
        by = n(rect.bottom() - 8.0),
        badge = escape(glyph.badge),
    );
    if detail == Detail::Far {
        out.push_str("</g>");
        return;
    }
    for label in glyph.labels() {
        write_label(out, &label);
    }
    let _ = write!(
        out,
        "<circle class=\"handle\" data-testid=\"handle-{id}\" cx=\"{hx}\" cy=\"{cy}\" r=\"7\"></circle></g>",
        hx = n(rect.right() + 2.0),
        cy = n(cy),
    );
}

/// An orthogonal line as a path whose corners are rounded (a quarter of a
/// curve of `radius`, less where a segment is too short for it).
pub fn rounded_path(points: &[Point], radius: f64) -> String {
    let mut d = String::with_capacity(points.len() * 24);
    let Some(first) = points.first() else {
        return d;
    };
    let _ = write!(d, "M{} {}", n(first.0), n(first.1));
    for i in 1..points.len() {
        let p = points[i];
        if i + 1 == points.len() {
            let _ = write!(d, "L{} {}", n(p.0), n(p.1));
            break;
        }
        let (prev, next) = (points[i - 1], points[i + 1]);
        let length = |a: Point, b: Point| ((b.0 - a.0).powi(2) + (b.1 - a.1).powi(2)).sqrt();
        let (before, after) = (length(prev, p), length(p, next));
        let r = radius.min(before / 2.0).min(after / 2.0);
        if r <= 0.0 {
            let _ = write!(d, "L{} {}", n(p.0), n(p.1));
            continue;
        }
        let towards = |a: Point, b: Point, distance: f64, total: f64| {
            (
                a.0 + (b.0 - a.0) * distance / total,
                a.1 + (b.1 - a.1) * distance / total,
            )
        };
        let enter = towards(p, prev, r, before);
        let leave = towards(p, next, r, after);
        let _ = write!(
            d,
            "L{} {}Q{} {} {} {}",
            n(enter.0),
            n(enter.1),
            n(p.0),
            n(p.1),
            n(leave.0),
            n(leave.1)
        );
    }
    d
}

/// How much a connector's corners are rounded.
pub const CORNER_RADIUS: f64 = 8.0;

fn write_edge(out: &mut String, edge: &EdgeLine, verdict: Option<Verdict>, detail: Detail) {
    let verdict = match verdict {
        Some(Verdict::Reachable) => "reachable",
        Some(Verdict::Partial) => "partial",
        Some(Verdict::Blocked) => "blocked",
        None => "unknown",
    };
    let id = escape(edge.id.as_str());
    let d = rounded_path(&edge.path, CORNER_RADIUS);
    let _ = write!(
        out,
        "<g class=\"edge {verdict}\" data-testid=\"edge-{id}\" data-edge-id=\"{id}\" \
         data-verdict=\"{verdict}\" data-source=\"{source}\" data-target=\"{target}\">\
         <path class=\"edge-hit\" d=\"{d}\"></path>\
         <path class=\"edge-line\" d=\"{d}\"{arrow}></path>",
        source = escape(edge.source.as_str()),
        target = escape(edge.target.as_str()),
        arrow = if detail == Detail::Overview {
            ""
        } else {
            " marker-end=\"url(#arrow)\""
        },
    );
    if detail == Detail::Full {
        write_label(out, &edge.label);
    }
    out.push_str("</g>");
}

/// A relationship: dashed, no arrow, since no packet follows it; grey, or
/// for an invocation (SNS delivering to a queue) coloured by its verdict,
/// with the reason as its tooltip. Only its label takes the pointer: such
/// lines often cross a VPC's or subnet's border, which must stay easy to
/// click.
fn write_link(
    out: &mut String,
    link: &LinkLine,
    invocation: Option<&InvocationVerdict>,
    detail: Detail,
) {
    let key = escape(&link.key);
    // Static pieces: formatting them would cost the first load more.
    let (class, attribute) = match invocation.map(|v| v.allowed) {
        Some(true) => (" allowed", " data-verdict=\"allowed\""),
        Some(false) => (" denied", " data-verdict=\"denied\""),
        None => ("", ""),
    };
    let _ = write!(
        out,
        "<g class=\"link {what}{class}\" data-testid=\"link-{key}\" data-link-id=\"{key}\" \
         data-link-kind=\"{what}\"{attribute} data-source=\"{source}\" data-target=\"{target}\">",
        what = link.what.as_str(),
        source = escape(link.source.as_str()),
        target = escape(link.target.as_str()),
    );
    if let Some(invocation) = invocation {
        let _ = write!(
            out,
            "<title>{}: {}</title>",
            escape(&invocation.description),
            escape(&invocation.reason)
        );
    }
    let _ = write!(
        out,
        "<path class=\"link-line\" d=\"{d}\"></path>",
        d = rounded_path(&link.path, CORNER_RADIUS),
    );
    if detail == Detail::Full {
        write_label(out, &link.label);
    }
    out.push_str("</g>");
}
