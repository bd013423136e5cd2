//! Connectors: orthogonal, clear of every icon but their ends' and of all
//! text, parallel lines apart, labels on their own segment.

use stackdraw::domain::model::{Diagram, Rect};
use stackdraw::domain::route::{self, Point};
use stackdraw::domain::scene::{intersects, Reuse, Scene};
use stackdraw::domain::templates;

fn diagrams() -> Vec<(String, Diagram)> {
    let mut all: Vec<(String, Diagram)> = templates::TEMPLATES
        .iter()
        .map(|t| (t.name.to_string(), t.build()))
        .collect();
    for nodes in [40, 100, 200] {
        all.push((format!("generated({nodes})"), templates::generated(nodes)));
    }
    all
}

/// Every drawn line of a scene: what it is, its ends and its points.
fn lines(scene: &Scene) -> Vec<(String, [String; 2], Vec<Point>)> {
    scene
        .edges
        .iter()
        .map(|e| {
            (
                format!("edge {}", e.id),
                [e.source.to_string(), e.target.to_string()],
                e.path.clone(),
            )
        })
        .chain(scene.links.iter().map(|l| {
            (
                format!("link {}", l.key),
                [l.source.to_string(), l.target.to_string()],
                l.path.clone(),
            )
        }))
        .collect()
}

fn crosses(rect: &Rect, path: &[Point]) -> bool {
    path.windows(2)
        .any(|w| route::segment_crosses(rect, w[0], w[1]))
}

#[test]
fn every_connector_is_orthogonal_and_misses_every_other_icon_and_all_text() {
    for (name, diagram) in diagrams() {
        let scene = Scene::of(&diagram);
        let labels = scene.labels();
        for (what, ends, path) in lines(&scene) {
            assert!(path.len() >= 2, "{name}: {what} has a path");
            for w in path.windows(2) {
                assert!(
                    (w[0].0 - w[1].0).abs() < 1e-6 || (w[0].1 - w[1].1).abs() < 1e-6,
                    "{name}: {what} has a slanted segment {:?}",
                    w
                );
            }
            for glyph in &scene.glyphs {
                if ends.contains(&glyph.id.to_string()) {
                    continue;
                }
                assert!(
                    !crosses(&glyph.rect, &path),
                    "{name}: {what} passes through the icon of {}",
                    glyph.id
                );
            }
            for label in &labels {
                assert!(
                    !crosses(&label.covers, &path),
                    "{name}: {what} passes through the text {:?}",
                    label.text
                );
            }
        }
    }
}

#[test]
fn lines_between_the_same_two_nodes_are_drawn_apart() {
    let diagram = templates::seed();
    let scene = Scene::of(&diagram);
    let between = |a: &str, b: &str| -> Vec<&Vec<Point>> {
        scene
            .edges
            .iter()
            .filter(|e| e.source.as_str() == a && e.target.as_str() == b)
            .map(|e| &e.path)
            .collect()
    };
    let paths = between("internet", "alb");
    assert_eq!(paths.len(), 2, "ports 80 and 443");
    for (p, q) in paths[0].iter().zip(paths[1].iter()) {
        let apart = (p.0 - q.0).abs().max((p.1 - q.1).abs());
        assert!(apart >= 8.0, "points {p:?} and {q:?} are {apart} apart");
    }
}

#[test]
fn a_line_goes_around_an_icon_between_its_ends() {
    use stackdraw::domain::route::Obstacles;
    let from = Rect::new(0.0, 0.0, 64.0, 64.0);
    let to = Rect::new(400.0, 0.0, 64.0, 64.0);
    let wall = Rect::new(200.0, -20.0, 64.0, 104.0);
    let mut obstacles = Obstacles::default();
    obstacles.add(wall, route::CLEARANCE);
    let path = route::route(&from, &to, &obstacles, 0.0).expect("a route");
    assert!(!crosses(&wall, &path), "{path:?}");
    let on_border = |r: &Rect, (x, y): Point| {
        let inside = x >= r.x && x <= r.right() && y >= r.y && y <= r.bottom();
        inside && (x == r.x || x == r.right() || y == r.y || y == r.bottom())
    };
    assert!(
        on_border(&from, path[0]),
        "leaves from the border: {path:?}"
    );
    assert!(
        on_border(&to, path[path.len() - 1]),
        "arrives at the border: {path:?}"
    );
    assert!(path.len() <= 4, "two bends are enough: {path:?}");
    // Straight when nothing is in the way.
    let path = route::route(&from, &to, &Obstacles::default(), 0.0).expect("a route");
    assert_eq!(path, vec![(64.0, 32.0), (400.0, 32.0)]);
}

#[test]
fn labels_sit_on_their_own_line_clear_of_other_text_and_icons() {
    for (name, diagram) in diagrams() {
        let scene = Scene::of(&diagram);
        let mut taken: Vec<(String, Rect)> = Vec::new();
        for glyph in &scene.glyphs {
            taken.push((format!("icon {}", glyph.id), glyph.rect));
        }
        for label in scene.labels() {
            for (what, rect) in &taken {
                assert!(
                    !intersects(rect, &label.covers),
                    "{name}: {:?} overprints {what}",
                    label.text
                );
            }
            taken.push((format!("text {:?}", label.text), label.covers));
        }
    }
}

#[test]
fn tidied_diagrams_keep_every_resource_in_its_subnets_and_nothing_on_top_of_anything() {
    for (name, diagram) in diagrams() {
        let scene = Scene::of(&diagram);
        for glyph in &scene.glyphs {
            let Some(node) = diagram.node(&glyph.id) else {
                continue;
            };
            let subnets: Vec<Rect> = node
                .kind
                .placement_subnets()
                .into_iter()
                .filter_map(|s| diagram.layout.get(s).copied())
                .collect();
            let r = glyph.rect;
            let inside = |outer: &Rect| {
                outer.x <= r.x
                    && r.right() <= outer.right()
                    && outer.y <= r.y
                    && r.bottom() <= outer.bottom()
            };
            match subnets.as_slice() {
                [] => {}
                [only] => assert!(inside(only), "{name}: {} outside its subnet", glyph.id),
                several => {
                    let hull = several.iter().skip(1).fold(several[0], |a, b| a.union(b));
                    assert!(inside(&hull), "{name}: {} outside its subnets", glyph.id);
                    assert_eq!(
                        glyph.band.len(),
                        several.len(),
                        "{name}: {} shows a strip in each of its subnets",
                        glyph.id
                    );
                    for (strip, subnet) in glyph.band.iter().zip(several) {
                        assert!(
                            strip.x >= subnet.x && strip.right() <= subnet.right(),
                            "{name}: {}'s strip leaves its subnet",
                            glyph.id
                        );
                        assert!(
                            strip.y <= r.y && strip.bottom() >= r.bottom(),
                            "{name}: {}'s strip is level with its icon",
                            glyph.id
                        );
                    }
                }
            }
        }
        for (i, a) in scene.glyphs.iter().enumerate() {
            for b in &scene.glyphs[i + 1..] {
                assert!(
                    !intersects(&a.rect, &b.rect),
                    "{name}: {} on {}",
                    a.id,
                    b.id
                );
            }
        }
        let subnets: Vec<_> = scene
            .containers
            .iter()
            .filter(|c| c.tier.is_some())
            .collect();
        for (i, a) in subnets.iter().enumerate() {
            for b in &subnets[i + 1..] {
                assert!(
                    !intersects(&a.rect, &b.rect),
                    "{name}: {} on {}",
                    a.id,
                    b.id
                );
            }
        }
        // Each zone's column holds exactly that zone's subnets.
        for zone in &scene.zones {
            for node in &diagram.nodes {
                let stackdraw::domain::model::NodeKind::Subnet(subnet) = &node.kind else {
                    continue;
                };
                let Some(rect) = diagram.layout.get(&node.id) else {
                    continue;
                };
                if subnet.vpc != zone.vpc {
                    continue;
                }
                let within = zone.rect.x <= rect.x && rect.right() <= zone.rect.right();
                assert_eq!(
                    within,
                    subnet.az == zone.zone,
                    "{name}: subnet {} and the column of {}",
                    node.id,
                    zone.zone
                );
            }
        }
    }
}

#[test]
fn a_resource_in_several_subnets_stays_between_them_and_follows_a_change_of_subnets() {
    use stackdraw::domain::edit::{apply, arrange, fields, Command};
    let seed = templates::seed();
    let alb = crate::support::id("alb");
    let at = seed.layout[&alb];
    // Into a private subnet, away from its public ones: refused, with why.
    let private = seed.layout[&crate::support::id("subnet-private-a")];
    let error = arrange::move_nodes(
        &seed,
        std::slice::from_ref(&alb),
        private.x + 40.0 - at.x,
        private.y + 80.0 - at.y,
    )
    .unwrap_err();
    assert!(
        error.contains("public-subnet-a") && error.contains("public-subnet-c"),
        "{error}"
    );
    // Along its strip, between its subnets: fine.
    assert!(arrange::move_nodes(&seed, std::slice::from_ref(&alb), -80.0, 0.0).is_ok());
    // Taking it out of public-subnet-a moves the icon into public-subnet-c.
    let node = seed.node(&alb).unwrap().clone();
    let command = fields::set_field(&seed, &node, "subnets", "subnet-public-a").unwrap();
    assert!(
        matches!(&command, Command::Batch(steps) if steps.len() == 2),
        "{command:?}"
    );
    let mut after = seed.clone();
    apply(&mut after, command).unwrap();
    let c = after.layout[&crate::support::id("subnet-public-c")];
    let icon = after.layout[&alb];
    assert!(
        c.x <= icon.x && icon.right() <= c.right() && c.y <= icon.y && icon.bottom() <= c.bottom(),
        "{icon:?} in {c:?}"
    );
    assert!(Scene::of(&after)
        .glyphs
        .iter()
        .all(|g| g.band.is_empty() || g.id != alb));
}

#[test]
fn the_presentation_picture_adds_a_legend_and_far_out_subnets_show_counts() {
    use stackdraw::domain::canvas::{markup, Detail};
    use stackdraw::domain::image::{presentation_svg, svg, Theme};
    use stackdraw::domain::validate::analyze;
    let seed = templates::seed();
    let (scene, analysis) = (Scene::of(&seed), analyze(&seed));
    let plain = svg(&scene, &analysis, Theme::Light);
    let slides = presentation_svg(&scene, &analysis, Theme::Dark);
    assert!(!plain.contains("class=\"legend\""));
    for entry in [
        "public subnet",
        "private subnet",
        "isolated subnet",
        "reachable",
        "partly reachable",
        "blocked",
    ] {
        assert!(slides.contains(&format!(">{entry}</text>")), "{entry}");
    }
    // Both draw the same routes as the canvas.
    let first = &scene.edges[0];
    let d = stackdraw::domain::canvas::rounded_path(
        &first.path,
        stackdraw::domain::canvas::CORNER_RADIUS,
    );
    assert!(plain.contains(&d) && slides.contains(&d));
    // The canvas carries each subnet's count in the far-out view (only).
    let drawn = markup(&scene, &analysis, Detail::Far);
    assert!(!markup(&scene, &analysis, Detail::Full).containers[1]
        .html
        .contains("container-count"));
    let public_a = drawn
        .containers
        .iter()
        .find(|p| &*p.key == "n:subnet-public-a")
        .unwrap();
    // A NAT gateway, the bastion, and the load balancer across both.
    assert!(
        public_a.html.contains(">3 resources</text>"),
        "{}",
        public_a.html
    );
}

/// Connector crossings per template, as bench/run.mjs prints them: a change
/// that makes a template's picture more tangled fails here (lower a
/// ceiling when a change untangles one).
#[test]
fn crossings_in_the_templates_do_not_grow() {
    for (template, ceiling) in [
        ("blank", 0),
        ("seed", 6),
        ("static-site", 2),
        ("three-tier", 20),
    ] {
        let scene = Scene::of(&templates::by_name(template).unwrap().build());
        let crossings = scene.crossings();
        assert!(
            crossings <= ceiling,
            "{template}: {crossings} crossings, more than the {ceiling} it had"
        );
    }
    // The count itself: two lines through each other cross once.
    let a = [(0.0, 5.0), (10.0, 5.0)];
    let b = [(5.0, 0.0), (5.0, 10.0)];
    assert_eq!(route::crossings(&a, &b), 1);
    assert_eq!(route::crossings(&a, &[(0.0, 6.0), (10.0, 6.0)]), 0);
}

/// A line whose corridor is too crowded to search has, without a search,
/// exactly the route the search gives it; so an edit in a large diagram
/// leaves waiting for the worker only lines a search would route
/// differently, and draws every other line as the full search does.
#[test]
fn crowded_lines_are_drawn_as_the_search_draws_them_without_waiting() {
    use route::Obstacles;
    use stackdraw::domain::edit::{apply, arrange};
    use stackdraw::domain::model::NodeId;
    // Pairs of icons far apart in a large diagram, against its icons.
    let large = templates::generated(1500);
    let boxes: Vec<Rect> = large
        .nodes
        .iter()
        .filter(|node| !node.tag().is_container())
        .filter_map(|node| large.layout.get(&node.id).copied())
        .collect();
    let mut obstacles = Obstacles::default();
    for rect in &boxes {
        obstacles.add(*rect, route::CLEARANCE);
    }
    let mut crowded = 0;
    for (from, to) in boxes.iter().step_by(37).zip(boxes.iter().rev().step_by(41)) {
        if let Some(simple) = route::crowded_route(from, to, &obstacles, 12.0) {
            crowded += 1;
            assert_eq!(
                Some(simple),
                route::route_via(from, to, &obstacles, 12.0, None, None),
                "{from:?} to {to:?}"
            );
        }
    }
    assert!(crowded > 0, "some corridors are crowded");

    let mut diagram = large;
    let full = Scene::of(&diagram);

    // A nudge of a load balancer, with no search at all: the lines whose
    // corridor it was in must be routed again, but only those a search
    // would route wait for one.
    let moved = NodeId::new("u12-alb").expect("an id");
    let was = diagram.layout.get(&moved).copied().expect("drawn");
    let corridors_met = full
        .edges
        .iter()
        .filter_map(|line| {
            let (a, b) = (
                diagram.layout.get(&line.source)?,
                diagram.layout.get(&line.target)?,
            );
            Some(route::corridor(a, b))
        })
        .filter(|corridor| intersects(corridor, &was.widened(route::CLEARANCE)))
        .count();
    let command = arrange::move_nodes(&diagram, std::slice::from_ref(&moved), 8.0, 0.0)
        .expect("the ALB moves");
    apply(&mut diagram, command).expect("applies");
    let edited = Scene::update_with(
        &diagram,
        Some(&full),
        Some(route::route_via),
        Some(Reuse::new()),
        None,
        Some(0),
    );
    assert!(
        edited.unsearched < corridors_met / 2,
        "{} lines wait of the {corridors_met} whose corridor the ALB was in",
        edited.unsearched
    );
    let searched = Scene::of(&diagram);
    let differing = lines(&edited)
        .iter()
        .zip(lines(&searched))
        .filter(|(drawn, wanted)| **drawn != *wanted)
        .count();
    assert!(
        differing <= edited.unsearched,
        "{differing} lines differ from the search's, {} waiting",
        edited.unsearched
    );
}

/// After an edit, a large diagram's scene keeps the routes and labels the
/// edit could not have changed and works out the rest: the crowded lines
/// whose simple shapes it missed, the labels nothing changed near. What it
/// draws is exactly what drawing the edited diagram afresh draws, after one
/// edit and after several in a row (each scene built on the one before).
#[test]
fn an_edited_large_diagram_is_drawn_as_a_fresh_drawing_of_it() {
    use stackdraw::domain::edit::{apply, arrange};
    use stackdraw::domain::model::NodeId;
    let base = templates::generated(1500);
    let before = Scene::of(&base);
    let nudges = [
        // The hub every unit's lines leave from: hundreds of crowded lines
        // change an end, and the labels of most others stay.
        ("internet", 10.0, 0.0),
        ("internet", 0.0, -16.0),
        // Inside a unit: crowded lines across the unit's VPC keep their
        // shapes unless one of them passes the moved icon.
        ("u12-alb", 8.0, 0.0),
        ("u40-service", 0.0, 24.0),
        ("u3-db", -32.0, 8.0),
    ];
    let mut chained = (base.clone(), before.clone());
    for (id, dx, dy) in nudges {
        let id = NodeId::new(id).expect("an id");
        let command =
            arrange::move_nodes(&base, std::slice::from_ref(&id), dx, dy).expect("the node moves");
        let mut after = base.clone();
        apply(&mut after, command).expect("applies");
        let updated = Scene::update(&after, Some(&before));
        let fresh = Scene::of(&after);
        assert_eq!(lines(&updated), lines(&fresh), "lines after moving {id}");
        assert_eq!(updated.labels(), fresh.labels(), "labels after moving {id}");
        assert_eq!(updated, fresh, "the scene after moving {id}");

        let (diagram, scene) = &mut chained;
        let command = arrange::move_nodes(diagram, std::slice::from_ref(&id), dx, dy)
            .expect("the node moves");
        apply(diagram, command).expect("applies");
        *scene = Scene::update(diagram, Some(scene));
    }
    let (diagram, scene) = chained;
    assert_eq!(scene, Scene::of(&diagram), "after every nudge in a row");
}

/// A crowded line keeps its route after an edit only while nothing
/// changed where its simple shapes look: an icon moved onto the shape it
/// takes makes it take another, one moved inside the crowd does not.
#[test]
fn a_crowded_route_holds_until_an_obstacle_changes_on_its_shapes() {
    use route::Obstacles;
    let from = Rect::new(0.0, 0.0, 40.0, 40.0);
    let to = Rect::new(2000.0, 1000.0, 40.0, 40.0);
    // 300 boxes in the corridor, clear of every simple shape between the
    // two (along y = 20, x = 2020, x = 20, y = 1020, x = 1020, y = 520).
    let crowd: Vec<Rect> = (0..300)
        .map(|i| {
            Rect::new(
                200.0 + (i % 25) as f64 * 24.0,
                600.0 + (i / 25) as f64 * 24.0,
                10.0,
                10.0,
            )
        })
        .collect();
    let obstacles_with = |extra: &[Rect]| {
        let mut obstacles = Obstacles::default();
        for rect in crowd.iter().chain(extra) {
            obstacles.add(*rect, 0.0);
        }
        obstacles
    };
    let changed = |was: &[Rect], now: &[Rect]| route::Changed {
        was: was.to_vec(),
        now: now.to_vec(),
    };
    let spread = 0.0;
    let before = obstacles_with(&[]);
    let route = route::crowded_route(&from, &to, &before, spread).expect("crowded");
    assert_eq!(route, vec![(40.0, 20.0), (2020.0, 20.0), (2020.0, 1000.0)]);

    // An icon arrives on the shape taken: another shape is taken.
    let blocking = Rect::new(1000.0, 10.0, 20.0, 20.0);
    let after = obstacles_with(&[blocking]);
    let rerouted = route::crowded_route(&from, &to, &after, spread).expect("crowded");
    assert_ne!(rerouted, route);
    assert!(!route::crowded_route_holds(
        &from,
        &to,
        &after,
        spread,
        &changed(&[], &[blocking])
    ));

    // An icon of the crowd moves within it: the same route.
    let (was, now) = (
        crowd[7],
        Rect::new(crowd[7].x + 6.0, crowd[7].y, 10.0, 10.0),
    );
    let mut moved = crowd.clone();
    moved[7] = now;
    let mut after = Obstacles::default();
    for rect in &moved {
        after.add(*rect, 0.0);
    }
    assert!(route::crowded_route_holds(
        &from,
        &to,
        &after,
        spread,
        &changed(&[was], &[now])
    ));
    assert_eq!(
        route::crowded_route(&from, &to, &after, spread),
        Some(route.clone())
    );

    // Most of the crowd gone: the corridor can be searched again.
    let thinned: Vec<Rect> = crowd[..100].to_vec();
    let mut after = Obstacles::default();
    for rect in &thinned {
        after.add(*rect, 0.0);
    }
    assert!(!route::crowded_route_holds(
        &from,
        &to,
        &after,
        spread,
        &changed(&crowd[100..], &[])
    ));
    assert_eq!(route::crowded_route(&from, &to, &after, spread), None);
}

/// An update after nodes are deleted, and after they come back, draws what
/// a fresh drawing does: the boxes of the nodes gone count as changed as
/// much as those of nodes moved.
#[test]
fn an_update_after_deleting_nodes_and_bringing_them_back_is_a_fresh_drawing() {
    use stackdraw::domain::edit::{apply, delete};
    use stackdraw::domain::model::NodeId;
    let base = templates::generated(400);
    let before = Scene::of(&base);
    for ids in [&["u3-service"][..], &["u2-db", "u5-alb", "internet"][..]] {
        let ids: Vec<NodeId> = ids
            .iter()
            .map(|id| NodeId::new(*id).expect("an id"))
            .collect();
        let mut after = base.clone();
        apply(
            &mut after,
            delete::delete_nodes(&base, &ids).expect("deletes"),
        )
        .expect("applies");
        assert!(after.nodes.len() < base.nodes.len());
        let updated = Scene::update(&after, Some(&before));
        assert_eq!(updated, Scene::of(&after), "after deleting {ids:?}");
        assert_eq!(Scene::update(&base, Some(&updated)), before, "{ids:?} back");
    }
}
