use stackdraw::domain::model::KindTag;
use stackdraw::domain::scene::{Scene, Segment};
use stackdraw::domain::templates;

#[test]
fn seed_scene_draws_the_vpc_its_subnets_and_resources_with_labels() {
    let scene = Scene::of(&templates::seed());
    assert_eq!(
        scene.containers[0].id.as_str(),
        "vpc-main",
        "the VPC is drawn first, under its subnets"
    );
    assert_eq!(scene.containers[0].subtitle, "10.2.0.0/16");

    let subnets: Vec<(&str, &str, Option<&str>)> = scene
        .containers
        .iter()
        .filter(|c| c.kind == KindTag::Subnet)
        .map(|c| (c.title.as_str(), c.subtitle.as_str(), c.tier))
        .collect();
    assert_eq!(
        subnets,
        vec![
            (
                "public-subnet-a",
                "10.2.0.0/20 · ap-northeast-1a",
                Some("public")
            ),
            (
                "public-subnet-c",
                "10.2.16.0/20 · ap-northeast-1c",
                Some("public")
            ),
            (
                "private-subnet-a",
                "10.2.32.0/20 · ap-northeast-1a",
                Some("private")
            ),
            (
                "private-subnet-c",
                "10.2.48.0/20 · ap-northeast-1c",
                Some("private")
            ),
        ]
    );

    let glyph = |id: &str| scene.glyphs.iter().find(|g| g.id.as_str() == id).unwrap();
    assert_eq!(glyph("alb").subtitle, "listeners 80, 443");
    assert_eq!(glyph("service").subtitle, "2 × nginx:80 + flask:5000");
    assert_eq!(glyph("db").subtitle, "Aurora MySQL :3306");
    assert_eq!(glyph("operator").subtitle, "203.0.113.10/32");

    // Route tables and security groups have no box: they are not drawn.
    assert!(scene
        .glyphs
        .iter()
        .all(|g| g.kind != KindTag::SecurityGroup && g.kind != KindTag::RouteTable));
    assert_eq!(scene.edges.len(), templates::seed().edges.len());
}

#[test]
fn every_drawn_node_lies_inside_the_box_it_belongs_to() {
    let seed = templates::seed();
    for node in &seed.nodes {
        let (Some(rect), Some(parent)) = (seed.layout.get(&node.id), seed.container_of(&node.id))
        else {
            continue;
        };
        let outer = seed.layout[parent];
        // The internet gateway straddles the VPC's border, as AWS diagrams draw it.
        if node.tag() == KindTag::InternetGateway {
            assert!(rect.x < outer.x && rect.right() > outer.x);
            continue;
        }
        assert!(
            outer.x <= rect.x
                && rect.right() <= outer.right()
                && outer.y <= rect.y
                && rect.bottom() <= outer.bottom(),
            "{} is drawn outside {}",
            node.id,
            parent
        );
    }
}

#[test]
fn edges_start_and_end_on_box_borders_and_parallel_edges_fan_out() {
    let seed = templates::seed();
    let scene = Scene::of(&seed);
    // Parallel edges are shifted sideways by up to half their spread.
    let tolerance = 12.0;
    for (edge, line) in seed.edges.iter().zip(&scene.edges) {
        for (end, point) in [(&edge.from, line.from), (&edge.to, line.to)] {
            let rect = seed.layout[end];
            let near = |a: f64, b: f64| (a - b).abs() <= tolerance;
            let within_x = rect.x - tolerance <= point.0 && point.0 <= rect.right() + tolerance;
            let within_y = rect.y - tolerance <= point.1 && point.1 <= rect.bottom() + tolerance;
            let on_side = (near(point.0, rect.x) || near(point.0, rect.right())) && within_y;
            let on_top_or_bottom =
                (near(point.1, rect.y) || near(point.1, rect.bottom())) && within_x;
            assert!(
                on_side || on_top_or_bottom,
                "edge {} does not touch {}",
                edge.id,
                end
            );
        }
    }
    let line = |id: &str| scene.edges.iter().find(|e| e.id.as_str() == id).unwrap();
    let https = line("e-internet-alb-https");
    let http = line("e-internet-alb-http");
    assert_ne!(
        https.from, http.from,
        "two edges between the same nodes do not overlap"
    );
    let apart = (https.from.0 - http.from.0)
        .abs()
        .max((https.from.1 - http.from.1).abs());
    assert!(apart >= 10.0, "{apart}");
}

#[test]
fn an_empty_diagram_has_an_empty_scene() {
    let scene = Scene::of(&templates::by_name("blank").unwrap().build());
    assert_eq!(scene, Scene::default());
}

/// The canvas's markup: every node and edge with its hooks, each as one keyed
/// piece; hostile text kept as text; the same markup for the same diagram.
#[test]
fn canvas_markup_draws_every_node_and_edge_and_keeps_names_as_text() {
    use crate::support::{hostile, HOSTILE};
    use stackdraw::domain::canvas::{markup, Detail};
    use stackdraw::domain::validate::analyze;

    let diagram = hostile();
    let scene = Scene::of(&diagram);
    let analysis = analyze(&diagram);
    let drawn = markup(&scene, &analysis, Detail::Full);
    let pieces: Vec<_> = drawn.layers().into_iter().flatten().collect();
    let all: String = pieces.iter().map(|piece| &*piece.html).collect();
    for container in &scene.containers {
        assert!(all.contains(&format!("data-testid=\"node-{}\"", container.id)));
        assert!(all.contains(&format!("data-testid=\"resize-{}\"", container.id)));
    }
    for glyph in &scene.glyphs {
        assert!(all.contains(&format!("data-testid=\"node-{}\"", glyph.id)));
        assert!(all.contains(&format!("data-testid=\"handle-{}\"", glyph.id)));
    }
    for edge in &scene.edges {
        let verdict = match analysis.flow_of_edge(&edge.id).map(|f| f.reachable) {
            Some(true) => "reachable",
            Some(false) => "blocked",
            None => "unknown",
        };
        assert!(all.contains(&format!(
            "data-edge-id=\"{}\" data-verdict=\"{verdict}\"",
            edge.id
        )));
    }
    assert_eq!(drawn.containers.len(), scene.containers.len());
    for link in &scene.links {
        assert!(all.contains(&format!(
            "data-link-id=\"{}\" data-link-kind=\"{}\"",
            link.key,
            link.what.as_str()
        )));
    }
    assert!(!scene.links.is_empty(), "the seed draws relationships");
    assert_eq!(drawn.edges.len(), scene.edges.len() + scene.links.len());
    assert_eq!(drawn.glyphs.len(), scene.glyphs.len());
    assert!(!drawn.badges.is_empty(), "the hostile seed has warnings");
    // Names are escaped: no markup of their own survives.
    assert!(
        !all.contains("<b>"),
        "a name's markup was written as markup"
    );
    assert!(all.contains("&lt;b&gt;bold&lt;/b&gt;"));
    assert!(!all.contains(HOSTILE));
    // Each piece is one element, its tags in balance, its key its own: the
    // canvas replaces a piece by position when only its markup changed.
    let mut keys = std::collections::BTreeSet::new();
    for piece in &pieces {
        assert!(keys.insert(&*piece.key), "duplicate key {}", piece.key);
        assert!(
            piece.html.starts_with("<g ") && piece.html.ends_with("</g>"),
            "{}",
            piece.key
        );
        for tag in ["g", "text", "rect", "line", "circle", "use"] {
            let opened = piece.html.matches(&format!("<{tag} ")).count()
                + piece.html.matches(&format!("<{tag}>")).count();
            assert_eq!(
                opened,
                piece.html.matches(&format!("</{tag}>")).count(),
                "<{tag}> in {}",
                piece.key
            );
        }
    }
    assert_eq!(
        markup(&scene, &analysis, Detail::Full),
        drawn,
        "deterministic"
    );
}

/// Far out the canvas leaves out what would be too small to read, and in
/// the overview what would be too small to see, keeping every node and line
/// (with the hooks the editor presses) and each piece's box around what it
/// draws, by which the canvas leaves out what is off screen.
#[test]
fn far_out_the_markup_keeps_every_thing_and_leaves_out_the_unreadable() {
    use stackdraw::domain::canvas::{markup, Detail, Piece};
    use stackdraw::domain::validate::analyze;

    assert_eq!(Detail::at(1.0), Detail::Full);
    assert_eq!(Detail::at(Detail::FAR_ZOOM), Detail::Full);
    assert_eq!(Detail::at(0.3), Detail::Far);
    assert_eq!(Detail::at(Detail::OVERVIEW_ZOOM - 0.01), Detail::Overview);
    let diagram = templates::seed();
    let (scene, analysis) = (Scene::of(&diagram), analyze(&diagram));
    let elements = |pieces: &[&Piece]| -> usize {
        pieces
            .iter()
            .map(|piece| piece.html.matches("</").count())
            .sum()
    };
    let mut counts = Vec::new();
    for detail in [Detail::Full, Detail::Far, Detail::Overview] {
        let drawn = markup(&scene, &analysis, detail);
        let pieces: Vec<&Piece> = drawn.layers().into_iter().flatten().collect();
        let all: String = pieces.iter().map(|piece| &*piece.html).collect();
        for id in scene
            .containers
            .iter()
            .map(|c| &c.id)
            .chain(scene.glyphs.iter().map(|g| &g.id))
        {
            assert!(
                all.contains(&format!("data-node-id=\"{id}\"")),
                "{detail:?} {id}"
            );
        }
        for edge in &scene.edges {
            assert!(
                all.contains(&format!("data-edge-id=\"{}\"", edge.id)),
                "{detail:?}"
            );
        }
        assert_eq!(drawn.edges.len(), scene.edges.len() + scene.links.len());
        let far = detail != Detail::Full;
        assert_eq!(all.contains("class=\"glyph-title\""), !far, "{detail:?}");
        assert_eq!(all.contains("class=\"edge-label\""), !far, "{detail:?}");
        assert_eq!(all.contains("class=\"handle\""), !far, "{detail:?}");
        assert_eq!(
            all.contains("class=\"container-far-title\""),
            far,
            "{detail:?}"
        );
        let overview = detail == Detail::Overview;
        assert_eq!(all.contains("<use "), !overview, "{detail:?}");
        assert_eq!(all.contains("marker-end"), !overview, "{detail:?}");
        assert_eq!(drawn.badges.is_empty(), overview, "{detail:?}");
        for piece in &pieces {
            assert!(piece.html.starts_with("<g ") && piece.html.ends_with("</g>"));
            assert_eq!(
                piece.html.matches("<g ").count(),
                piece.html.matches("</g>").count(),
                "{}",
                piece.key
            );
        }
        // Each piece's box holds what it draws.
        let covers = |key: String| pieces.iter().find(|p| *p.key == key).unwrap().covers;
        let holds = |outer: stackdraw::domain::model::Rect, x: f64, y: f64| {
            x >= outer.x && x <= outer.right() && y >= outer.y && y <= outer.bottom()
        };
        for glyph in &scene.glyphs {
            let outer = covers(format!("n:{}", glyph.id));
            let r = glyph.rect;
            assert!(holds(outer, r.x, r.y) && holds(outer, r.right(), r.bottom()));
            for label in glyph.labels() {
                let c = label.covers;
                assert!(holds(outer, c.x, c.y) && holds(outer, c.right(), c.bottom()));
            }
        }
        for edge in &scene.edges {
            let outer = covers(format!("e:{}", edge.id));
            assert!(
                edge.path.iter().all(|&(x, y)| holds(outer, x, y)),
                "{}",
                edge.id
            );
        }
        counts.push(elements(&pieces));
    }
    assert!(
        counts[0] > counts[1] && counts[1] > counts[2] && counts[0] > counts[2] * 2,
        "each step out draws far fewer elements: {counts:?}"
    );
}

#[test]
fn moving_one_node_changes_only_its_own_pieces_its_edges_and_lines_routed_near_it() {
    use stackdraw::domain::canvas::{markup, Detail};
    use stackdraw::domain::edit::{apply, arrange};
    use stackdraw::domain::validate::analyze;

    let before = templates::seed();
    let mut after = before.clone();
    let bastion = crate::support::id("bastion");
    apply(
        &mut after,
        arrange::move_nodes(&before, std::slice::from_ref(&bastion), 8.0, 0.0).unwrap(),
    )
    .unwrap();
    let (old, new) = (
        markup(&Scene::of(&before), &analyze(&before), Detail::Full),
        markup(&Scene::of(&after), &analyze(&after), Detail::Full),
    );
    let mut changed = Vec::new();
    for (was, now) in old.layers().into_iter().zip(new.layers()) {
        let keys = |pieces: &[stackdraw::domain::canvas::Piece]| -> Vec<String> {
            pieces.iter().map(|p| p.key.to_string()).collect()
        };
        assert_eq!(
            keys(was),
            keys(now),
            "a move keeps every piece in its place"
        );
        changed.extend(
            was.iter()
                .zip(now)
                .filter(|(a, b)| a.html != b.html)
                .map(|(_, b)| b.key.to_string()),
        );
    }
    // The bastion, its traffic, the boxes that grow to keep it inside (with
    // their badges), and lines routed near it; nothing else is redrawn.
    // What lines keep clear of and moved: the bastion, and the texts of the
    // boxes that grew.
    let moved_boxes: Vec<stackdraw::domain::model::Rect> = {
        let (was, now) = (Scene::of(&before), Scene::of(&after));
        let mut boxes = vec![before.layout[&bastion], after.layout[&bastion]];
        for scene in [&was, &now] {
            for container in &scene.containers {
                boxes.extend(container.labels().iter().map(|label| label.covers));
            }
        }
        boxes.retain(|rect| {
            !was.labels().iter().any(|l| l.covers == *rect)
                || !now.labels().iter().any(|l| l.covers == *rect)
        });
        boxes.extend([before.layout[&bastion], after.layout[&bastion]]);
        boxes
    };
    let near_bastion = |key: &str| {
        let Some(edge) = before.edges.iter().find(|e| format!("e:{}", e.id) == key) else {
            return false;
        };
        let corridor = stackdraw::domain::route::corridor(
            &before.layout[&edge.from],
            &before.layout[&edge.to],
        );
        moved_boxes
            .iter()
            .any(|rect| stackdraw::domain::scene::intersects(&corridor, rect))
    };
    let allowed = [
        "n:bastion",
        "n:subnet-public-a",
        "n:vpc-main",
        "b:bastion",
        "b:subnet-public-a",
        "b:vpc-main",
    ];
    assert!(changed.contains(&"n:bastion".to_string()), "{changed:?}");
    assert!(
        changed.iter().all(|key| allowed.contains(&key.as_str())
            || key.starts_with("e:e-") && key.contains("bastion")
            || near_bastion(key)),
        "{changed:?}"
    );
    assert!(changed.len() < new.layers().iter().map(|l| l.len()).sum::<usize>() / 4);
}

#[test]
fn a_drag_carries_edges_between_moving_nodes_and_stretches_those_with_one_end() {
    use stackdraw::domain::scene::InDrag;
    use std::collections::BTreeSet;

    let scene = Scene::of(&templates::seed());
    let moving: BTreeSet<_> = [crate::support::id("bastion"), crate::support::id("db")].into();
    let mut stretched = 0;
    for edge in &scene.edges {
        let ends = (moving.contains(&edge.source), moving.contains(&edge.target));
        let (from, to) = edge.dragged_ends(&moving, (10.0, -4.0));
        match edge.in_drag(&moving) {
            InDrag::Still => assert_eq!((from, to), (edge.from, edge.to)),
            InDrag::Carried => {
                assert_eq!(ends, (true, true));
                assert_eq!(from, (edge.from.0 + 10.0, edge.from.1 - 4.0));
                assert_eq!(to, (edge.to.0 + 10.0, edge.to.1 - 4.0));
            }
            InDrag::Stretched => {
                stretched += 1;
                assert_ne!(ends.0, ends.1);
                assert_eq!(from == edge.from, !ends.0, "{}", edge.id);
                assert_eq!(to == edge.to, !ends.1, "{}", edge.id);
            }
        }
    }
    assert!(
        stretched > 0,
        "the operator's edge to the bastion stretches"
    );
}

/// A subnet that routes inside its VPC only is labelled isolated, in the
/// canvas markup and in images, never private.
#[test]
fn isolated_subnets_are_labelled_isolated_everywhere() {
    use stackdraw::domain::edit::routing::{routing_of, Routing};
    let diagram = templates::by_name("three-tier").unwrap().build();
    let scene = Scene::of(&diagram);
    let mut seen = std::collections::BTreeSet::new();
    for container in scene
        .containers
        .iter()
        .filter(|c| c.kind == KindTag::Subnet)
    {
        let routing = routing_of(&diagram, &container.id);
        assert_eq!(container.tier, Some(routing.as_str()), "{}", container.id);
        seen.insert(routing.as_str());
    }
    assert!(
        seen.contains("isolated"),
        "three-tier has isolated data subnets: {seen:?}"
    );
    let analysis = stackdraw::domain::validate::analyze(&diagram);
    let markup: String = stackdraw::domain::canvas::markup(
        &scene,
        &analysis,
        stackdraw::domain::canvas::Detail::Full,
    )
    .containers
    .iter()
    .map(|piece| &*piece.html)
    .collect();
    assert!(
        markup.contains("container subnet isolated"),
        "the canvas marks them"
    );
    assert!(markup.contains(">isolated</text>"), "and says so");
    let image =
        stackdraw::domain::image::svg(&scene, &analysis, stackdraw::domain::image::Theme::Light);
    assert!(
        image.contains("#687078"),
        "the image draws them in the isolated colour"
    );
    assert_eq!(Routing::Isolated.as_str(), "isolated");
}

/// The steps that bring a drawn layer from the pieces it shows to the next
/// ones, carried out on a list as the canvas carries them out on the page:
/// the result is always the next pieces in order, and what stays in view
/// is neither removed nor written again.
#[test]
fn a_layer_comes_to_show_the_next_pieces_keeping_those_that_stay() {
    use stackdraw::domain::canvas::{layer_steps, LayerStep, Piece};
    let piece = |key: &str, html: &str| Piece {
        key: key.into(),
        html: html.into(),
        covers: Default::default(),
    };
    let all: Vec<Piece> = (0..12)
        .map(|i| piece(&format!("n:{i}"), &format!("<g>{i}</g>")))
        .collect();
    let places =
        |range: &[usize]| -> Vec<(usize, &Piece)> { range.iter().map(|&i| (i, &all[i])).collect() };
    // Carries the steps out on the shown markup; says how many kept
    // elements were written again.
    let carry = |shown: &[(usize, &Piece)], next: &[(usize, &Piece)]| -> (Vec<String>, usize) {
        let mut elements: Vec<Option<String>> = shown
            .iter()
            .map(|(_, p)| Some(p.html.to_string()))
            .collect();
        let mut before: Vec<Vec<String>> = vec![Vec::new(); shown.len()];
        let (mut end, mut rewritten) = (Vec::new(), 0);
        for step in layer_steps(shown, next) {
            match step {
                LayerStep::Remove(at) => elements[at] = None,
                LayerStep::Replace(at, from) => {
                    elements[at] = Some(next[from].1.html.to_string());
                    rewritten += 1;
                }
                LayerStep::Insert {
                    before: Some(at),
                    from,
                    to,
                } => before[at].extend(next[from..to].iter().map(|(_, p)| p.html.to_string())),
                LayerStep::Insert {
                    before: None,
                    from,
                    to,
                } => end.extend(next[from..to].iter().map(|(_, p)| p.html.to_string())),
            }
        }
        let mut out = Vec::new();
        for (inserted, element) in before.into_iter().zip(elements) {
            out.extend(inserted);
            out.extend(element);
        }
        out.extend(end);
        (out, rewritten)
    };
    let html = |next: &[(usize, &Piece)]| -> Vec<String> {
        next.iter().map(|(_, p)| p.html.to_string()).collect()
    };
    // A pan: some leave at the start, others come at the end and between.
    let (shown, next) = (places(&[0, 1, 2, 4, 5]), places(&[2, 3, 4, 5, 6, 7]));
    let (drawn, rewritten) = carry(&shown, &next);
    assert_eq!(drawn, html(&next));
    assert_eq!(rewritten, 0, "what stays is not written again");
    let steps = layer_steps(&shown, &next);
    assert_eq!(
        steps
            .iter()
            .filter(|s| matches!(s, LayerStep::Remove(_)))
            .count(),
        2
    );
    assert_eq!(
        steps
            .iter()
            .filter(|s| matches!(s, LayerStep::Insert { .. }))
            .count(),
        2,
        "{steps:?}"
    );
    // From nothing, to nothing, and the same again.
    assert_eq!(carry(&[], &next).0, html(&next));
    assert!(carry(&next, &[]).0.is_empty());
    assert!(layer_steps(&next, &next).is_empty());
    // An edit: one piece's markup changed, one piece added (places shift).
    let changed = piece("n:4", "<g>moved</g>");
    let edited: Vec<(usize, &Piece)> =
        vec![(2, &all[2]), (3, &all[3]), (4, &changed), (5, &all[5])];
    let (drawn, rewritten) = carry(&places(&[2, 3, 4, 5]), &edited);
    assert_eq!(drawn, html(&edited));
    assert_eq!(rewritten, 1);
    let added = piece("n:new", "<g>new</g>");
    let shifted: Vec<(usize, &Piece)> = vec![(2, &added), (3, &all[2]), (4, &all[3])];
    assert_eq!(carry(&places(&[2, 3]), &shifted).0, html(&shifted));
    // Another order altogether.
    let reversed: Vec<(usize, &Piece)> = vec![(0, &all[5]), (1, &all[4]), (2, &all[3])];
    assert_eq!(carry(&places(&[3, 4, 5]), &reversed).0, html(&reversed));
}

/// After an edit the markup writes only what changed: every piece whose
/// node or line, level of detail and verdict are as they were is shared
/// with the markup before, and the whole is exactly what writing the new
/// scene afresh gives, whatever changed (the layout, a verdict, the
/// level of detail).
#[test]
fn markup_after_an_edit_shares_what_did_not_change_and_equals_a_fresh_one() {
    use stackdraw::domain::canvas::{markup, Detail, Markup};
    use stackdraw::domain::edit::{apply, arrange};
    use stackdraw::domain::model::NodeId;
    use stackdraw::domain::validate::{analyze, Verdict};
    use std::sync::Arc;

    let shared = |a: &Markup, b: &Markup| {
        let before: Vec<_> = a.layers().into_iter().flatten().collect();
        b.layers()
            .into_iter()
            .flatten()
            .filter(|piece| before.iter().any(|was| Arc::ptr_eq(&was.html, &piece.html)))
            .count()
    };
    let mut diagram = templates::seed();
    let scene = Arc::new(Scene::of(&diagram));
    let analysis = analyze(&diagram);
    let first = Markup::after(None, &scene, &analysis, Detail::Full);
    assert_eq!(first, markup(&scene, &analysis, Detail::Full));

    // A nudge of the load balancer: its piece and its lines' are written
    // again, most of the rest shared.
    let alb = NodeId::new("alb").expect("an id");
    let command = arrange::move_nodes(&diagram, std::slice::from_ref(&alb), 16.0, 0.0)
        .expect("the ALB moves");
    apply(&mut diagram, command).expect("applies");
    let moved = Arc::new(Scene::update(&diagram, Some(&scene)));
    let analysis = analyze(&diagram);
    let second = Markup::after(Some(&first), &moved, &analysis, Detail::Full);
    assert_eq!(second, markup(&moved, &analysis, Detail::Full));
    let pieces = second
        .layers()
        .iter()
        .map(|layer| layer.len())
        .sum::<usize>();
    let kept = shared(&first, &second);
    assert!(kept > pieces / 2, "{kept} of {pieces} pieces shared");
    assert!(kept < pieces, "the moved ALB's piece is written again");
    let alb_piece = second
        .glyphs
        .iter()
        .find(|p| &*p.key == "n:alb")
        .expect("drawn");
    assert!(!first
        .glyphs
        .iter()
        .any(|p| Arc::ptr_eq(&p.html, &alb_piece.html)));

    // The same scene with a verdict changed: that line is written again.
    let mut blocked = analysis.clone();
    let flow = blocked
        .flows
        .iter_mut()
        .find(|flow| flow.edge.is_some() && flow.verdict != Verdict::Blocked)
        .expect("a drawn flow that gets through");
    flow.verdict = Verdict::Blocked;
    let third = Markup::after(Some(&second), &moved, &blocked, Detail::Full);
    assert_eq!(third, markup(&moved, &blocked, Detail::Full));
    assert_ne!(third, second);

    // Another level of detail: everything is written for it.
    let far = Markup::after(Some(&third), &moved, &blocked, Detail::Far);
    assert_eq!(far, markup(&moved, &blocked, Detail::Far));
    assert_eq!(shared(&third, &far), 0);
}
