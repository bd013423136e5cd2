//! Lines the user shaped: bent through points, or drawn straight. The bends
//! stay where they were put, the segments between them are routed, and every
//! edit that moves, tidies, copies or deletes treats them as part of the line.

use stackdraw::domain::edit::{self, apply, arrange, duplicate, line, Command};
use stackdraw::domain::model::*;
use stackdraw::domain::route::{self, Point};
use stackdraw::domain::scene::{EdgeLine, Scene};
use stackdraw::domain::templates;

fn id(text: &str) -> NodeId {
    NodeId::new(text).unwrap()
}

fn edge_id(text: &str) -> EdgeId {
    EdgeId::new(text).unwrap()
}

fn edge<'a>(diagram: &'a Diagram, id: &str) -> &'a TrafficEdge {
    diagram.edges.iter().find(|e| e.id.as_str() == id).unwrap()
}

fn drawn<'a>(scene: &'a Scene, id: &str) -> &'a EdgeLine {
    scene.edges.iter().find(|e| e.id.as_str() == id).unwrap()
}

/// Whether `point` lies on one of the path's segments.
fn on_path(path: &[Point], (x, y): Point) -> bool {
    path.windows(2).any(|w| {
        let (a, b) = (w[0], w[1]);
        let within = |v: f64, p: f64, q: f64| v >= p.min(q) - 1e-6 && v <= p.max(q) + 1e-6;
        let cross = (b.0 - a.0) * (y - a.1) - (b.1 - a.1) * (x - a.0);
        cross.abs() < 1e-6 && within(x, a.0, b.0) && within(y, a.1, b.1)
    })
}

/// Applies what `make` builds from the diagram as it is; the inverse.
fn change(
    diagram: &mut Diagram,
    make: impl FnOnce(&Diagram) -> Result<Command, String>,
) -> Command {
    let command = make(diagram).unwrap();
    apply(diagram, command).unwrap()
}

fn orthogonal(path: &[Point]) -> bool {
    path.windows(2)
        .all(|w| (w[0].0 - w[1].0).abs() < 1e-6 || (w[0].1 - w[1].1).abs() < 1e-6)
}

fn crosses(rect: &Rect, path: &[Point]) -> bool {
    path.windows(2)
        .any(|w| route::segment_crosses(rect, w[0], w[1]))
}

/// The seed with the bastion's line to the database bent left of the
/// bastion, down past the subnets' texts, then along to the database.
fn bent_seed() -> Diagram {
    let mut diagram = templates::seed();
    let command = line::bend_through(
        &diagram,
        &edge_id("e-bastion-db"),
        &[(423.0, 385.0), (424.0, 862.0)],
    )
    .unwrap();
    apply(&mut diagram, command).unwrap();
    diagram
}

#[test]
fn a_bent_line_passes_through_its_bends_and_is_routed_between_them() {
    let diagram = bent_seed();
    // Bends land on the grid.
    assert_eq!(
        edge(&diagram, "e-bastion-db").bends,
        [Bend { x: 424.0, y: 384.0 }, Bend { x: 424.0, y: 864.0 }]
    );
    let scene = Scene::of(&diagram);
    let bent = drawn(&scene, "e-bastion-db");
    assert_eq!(bent.bends, [(424.0, 384.0), (424.0, 864.0)]);
    for &bend in &bent.bends {
        assert!(on_path(&bent.path, bend), "{bend:?} on {:?}", bent.path);
    }
    assert!(orthogonal(&bent.path), "{:?}", bent.path);
    for glyph in &scene.glyphs {
        if ["bastion", "db"].contains(&glyph.id.as_str()) {
            continue;
        }
        assert!(
            !crosses(&glyph.rect, &bent.path),
            "through {}: {:?}",
            glyph.id,
            bent.path
        );
    }
    for label in scene.labels() {
        assert!(
            !crosses(&label.covers, &bent.path),
            "through {:?}",
            label.text
        );
    }
    // It leaves the bastion's border and ends on the database's.
    let border = |r: &Rect, (x, y): Point| {
        (x - r.x).abs() < 1e-6
            || (x - r.right()).abs() < 1e-6
            || (y - r.y).abs() < 1e-6
            || (y - r.bottom()).abs() < 1e-6
    };
    assert!(border(&diagram.layout[&id("bastion")], bent.path[0]));
    assert!(border(
        &diagram.layout[&id("db")],
        *bent.path.last().unwrap()
    ));
    // Unbent, the same edge takes another way: the bends are what changed it.
    let plain = Scene::of(&templates::seed());
    assert_ne!(drawn(&plain, "e-bastion-db").path, bent.path);
}

#[test]
fn a_node_moved_onto_a_bent_line_is_routed_around_between_the_bends() {
    let before = bent_seed();
    let mut after = before.clone();
    // The NAT gateway, moved onto the line's first run (x = 424).
    let nat = Rect::new(392.0, 504.0, 64.0, 64.0);
    apply(
        &mut after,
        Command::SetRect {
            id: id("nat-a"),
            rect: Some(nat),
        },
    )
    .unwrap();
    let scene = Scene::update(&after, Some(&Scene::of(&before)));
    let bent = drawn(&scene, "e-bastion-db");
    assert!(!crosses(&nat, &bent.path), "{:?}", bent.path);
    for &bend in &bent.bends {
        assert!(on_path(&bent.path, bend), "{bend:?} on {:?}", bent.path);
    }
    assert!(orthogonal(&bent.path));
    // Re-routing what the edit touched gives what routing it all gives.
    assert_eq!(scene, Scene::of(&after));
}

#[test]
fn a_straight_line_runs_from_border_to_bend_to_border() {
    let mut diagram = templates::seed();
    change(&mut diagram, |d| {
        line::set_straight(d, &edge_id("e-operator-bastion"), true)
    });
    let scene = Scene::of(&diagram);
    let straight = drawn(&scene, "e-operator-bastion");
    assert_eq!(straight.path.len(), 2, "{:?}", straight.path);
    let (a, b) = (straight.path[0], straight.path[1]);
    assert!(
        (a.0 - b.0).abs() > 1.0 && (a.1 - b.1).abs() > 1.0,
        "slanted"
    );
    // With a bend, two straight segments meeting at it.
    change(&mut diagram, |d| {
        line::bend_through(d, &edge_id("e-operator-bastion"), &[(72.0, 384.0)])
    });
    let scene = Scene::of(&diagram);
    let bent = drawn(&scene, "e-operator-bastion");
    assert_eq!(bent.path.len(), 3, "{:?}", bent.path);
    assert_eq!(bent.path[1], (72.0, 384.0));
    // Routed again: orthogonal, through the bend.
    change(&mut diagram, |d| {
        line::set_straight(d, &edge_id("e-operator-bastion"), false)
    });
    let scene = Scene::of(&diagram);
    let routed = drawn(&scene, "e-operator-bastion");
    assert!(orthogonal(&routed.path));
    assert!(on_path(&routed.path, (72.0, 384.0)), "{:?}", routed.path);
}

#[test]
fn a_shaped_line_leaves_the_pair_it_shared_a_route_with() {
    // Ports 80 and 443 from the internet to the load balancer share a route,
    // drawn side by side; bending one leaves the other on the shared route,
    // centred again.
    let plain = Scene::of(&templates::seed());
    let mut diagram = templates::seed();
    change(&mut diagram, |d| {
        line::bend_through(d, &edge_id("e-internet-alb-http"), &[(72.0, 560.0)])
    });
    let scene = Scene::of(&diagram);
    let https = drawn(&scene, "e-internet-alb-https");
    let http = drawn(&scene, "e-internet-alb-http");
    assert!(on_path(&http.path, (72.0, 560.0)));
    assert!(!on_path(&https.path, (72.0, 560.0)));
    assert_ne!(https.path, drawn(&plain, "e-internet-alb-https").path);
}

#[test]
fn bending_is_one_step_that_undoes() {
    let original = templates::seed();
    let mut diagram = original.clone();
    let inverse = change(&mut diagram, |d| {
        line::bend_through(d, &edge_id("e-alb-service"), &[(700.0, 600.0)])
    });
    assert_eq!(edge(&diagram, "e-alb-service").bends.len(), 1);
    apply(&mut diagram, inverse).unwrap();
    assert_eq!(diagram, original);
    // Deleting the line and undoing brings its bends back.
    let mut diagram = bent_seed();
    let bent = diagram.clone();
    let inverse = apply(
        &mut diagram,
        Command::RemoveEdge {
            id: edge_id("e-bastion-db"),
        },
    )
    .unwrap();
    apply(&mut diagram, inverse).unwrap();
    assert_eq!(diagram, bent);
    // Refused: an unknown edge, a point off the canvas, too many bends.
    assert!(line::bend_through(&diagram, &edge_id("nope"), &[(0.0, 0.0)]).is_err());
    assert!(line::bend_through(&diagram, &edge_id("e-alb-service"), &[(f64::NAN, 0.0)]).is_err());
    let many: Vec<Point> = (0..=line::MAX_BENDS)
        .map(|i| (i as f64 * 8.0, 0.0))
        .collect();
    let error = line::bend_through(&diagram, &edge_id("e-alb-service"), &many).unwrap_err();
    assert!(error.contains("at most 64"), "{error}");
    // A bend repeating the one before it is one bend.
    let command = line::bend_through(
        &diagram,
        &edge_id("e-alb-service"),
        &[(8.0, 8.0), (9.0, 7.0)],
    )
    .unwrap();
    apply(&mut diagram, command).unwrap();
    assert_eq!(edge(&diagram, "e-alb-service").bends.len(), 1);
}

#[test]
fn bends_move_with_a_line_whose_ends_both_move_and_stay_when_one_does() {
    let diagram = bent_seed();
    // The VPC carries the bastion and the database: the line moves whole.
    let mut moved = diagram.clone();
    let command = arrange::move_nodes(&moved, &[id("vpc-main")], 40.0, 80.0).unwrap();
    apply(&mut moved, command).unwrap();
    assert_eq!(
        edge(&moved, "e-bastion-db").bends,
        [Bend { x: 464.0, y: 464.0 }, Bend { x: 464.0, y: 944.0 }]
    );
    // The internet gateway's line from the internet is not bent; moving
    // only the bastion leaves the bastion-database line's bends in place.
    let mut moved = diagram.clone();
    let command = arrange::move_nodes(&moved, &[id("bastion")], 16.0, 0.0).unwrap();
    apply(&mut moved, command).unwrap();
    assert_eq!(
        edge(&moved, "e-bastion-db").bends,
        edge(&diagram, "e-bastion-db").bends
    );
}

#[test]
fn tidying_a_vpc_straightens_out_the_bends_of_what_it_lays_out() {
    let diagram = bent_seed();
    let mut tidied = diagram.clone();
    apply(
        &mut tidied,
        arrange::tidy(&diagram, &id("vpc-main")).unwrap(),
    )
    .unwrap();
    assert!(edge(&tidied, "e-bastion-db").bends.is_empty());
    // The worker's tidied copy comes back as the same one step.
    let mut applied = diagram.clone();
    apply(&mut applied, arrange::layout_changes(&diagram, &tidied)).unwrap();
    assert_eq!(applied, tidied);
    // A straight line stays straight: that is a choice, not a position.
    let mut straight = diagram.clone();
    apply(
        &mut straight,
        line::set_straight(&diagram, &edge_id("e-bastion-db"), true).unwrap(),
    )
    .unwrap();
    let mut tidied = straight.clone();
    apply(
        &mut tidied,
        arrange::tidy(&straight, &id("vpc-main")).unwrap(),
    )
    .unwrap();
    assert!(edge(&tidied, "e-bastion-db").straight);
}

#[test]
fn a_pasted_copy_keeps_its_lines_shape_beside_the_copied_ends() {
    let diagram = bent_seed();
    let clipboard = duplicate::copy(&diagram, &[id("vpc-main")]);
    let (command, _) = duplicate::paste(&diagram, &clipboard, (2000.0, 0.0)).unwrap();
    let mut pasted = diagram.clone();
    apply(&mut pasted, command).unwrap();
    let copies: Vec<&TrafficEdge> = pasted
        .edges
        .iter()
        .filter(|e| !diagram.edges.iter().any(|d| d.id == e.id) && !e.bends.is_empty())
        .collect();
    assert_eq!(copies.len(), 1);
    assert_eq!(
        copies[0].bends,
        [
            Bend {
                x: 2424.0,
                y: 384.0
            },
            Bend {
                x: 2424.0,
                y: 864.0
            }
        ]
    );
}

#[test]
fn a_new_bend_goes_between_the_bends_around_where_the_line_was_grabbed() {
    let path = [(0.0, 0.0), (100.0, 0.0), (100.0, 100.0), (200.0, 100.0)];
    let bends = [Bend { x: 100.0, y: 0.0 }, Bend { x: 100.0, y: 100.0 }];
    assert_eq!(line::insertion_index(&path, &bends, (50.0, 3.0)), 0);
    assert_eq!(line::insertion_index(&path, &bends, (97.0, 50.0)), 1);
    assert_eq!(line::insertion_index(&path, &bends, (150.0, 104.0)), 2);
    assert_eq!(line::insertion_index(&path, &[], (150.0, 104.0)), 0);
}

#[test]
fn an_edit_reroutes_what_it_touches_and_agrees_with_routing_everything() {
    // Every kind of edit the canvas makes, each checked against a scene
    // computed from nothing.
    let base = bent_seed();
    let mut edits: Vec<(&str, Command)> = vec![
        (
            "move the service",
            arrange::move_nodes(&base, &[id("service")], 0.0, 48.0).unwrap(),
        ),
        (
            "move the VPC",
            arrange::move_nodes(&base, &[id("vpc-main")], -64.0, 16.0).unwrap(),
        ),
        (
            "bend another line",
            line::bend_through(&base, &edge_id("e-alb-service"), &[(760.0, 600.0)]).unwrap(),
        ),
        (
            "unbend",
            line::bend_through(&base, &edge_id("e-bastion-db"), &[]).unwrap(),
        ),
        (
            "straighten",
            line::set_straight(&base, &edge_id("e-bastion-db"), true).unwrap(),
        ),
        (
            "delete the bastion",
            edit::delete::delete_nodes(&base, &[id("bastion")]).unwrap(),
        ),
    ];
    let generated = templates::generated(200);
    let some = generated.layout.keys().nth(40).unwrap().clone();
    for (what, command) in edits.drain(..) {
        let mut after = base.clone();
        apply(&mut after, command).unwrap();
        let before = Scene::of(&base);
        assert_eq!(
            Scene::update(&after, Some(&before)),
            Scene::of(&after),
            "{what}"
        );
    }
    let mut after = generated.clone();
    apply(
        &mut after,
        arrange::move_nodes(&generated, &[some], 96.0, -48.0).unwrap(),
    )
    .unwrap();
    assert_eq!(
        Scene::update(&after, Some(&Scene::of(&generated))),
        Scene::of(&after)
    );
}

#[test]
fn a_bend_off_to_one_side_is_a_corner_the_line_turns_at() {
    // Left of and below the bastion, with the database to the right: the
    // line goes to the bend and turns there towards the database, rather
    // than arriving from the right and going back the way it came.
    for bend in [(248.0, 816.0), (248.0, 560.0), (880.0, 440.0)] {
        let mut diagram = templates::seed();
        change(&mut diagram, |d| {
            line::bend_through(d, &edge_id("e-bastion-db"), &[bend])
        });
        let scene = Scene::of(&diagram);
        let path = &drawn(&scene, "e-bastion-db").path;
        assert!(on_path(path, bend), "{bend:?} on {path:?}");
        assert!(orthogonal(path));
    }
}

#[test]
fn a_line_never_doubles_back_on_itself_at_a_bend() {
    // Straight down from x = 392 would cross the subnets' addresses and
    // titles: the line turns just short of the bend instead of running to
    // it and back over itself.
    let mut diagram = templates::seed();
    change(&mut diagram, |d| {
        line::bend_through(
            d,
            &edge_id("e-bastion-db"),
            &[(392.0, 384.0), (392.0, 864.0)],
        )
    });
    let scene = Scene::of(&diagram);
    let path = &drawn(&scene, "e-bastion-db").path;
    for w in path.windows(3) {
        let first = (w[1].0 - w[0].0, w[1].1 - w[0].1);
        let second = (w[2].0 - w[1].0, w[2].1 - w[1].1);
        let backwards = first.0 * second.0 + first.1 * second.1 < 0.0
            && (first.0 * second.1 - first.1 * second.0).abs() < 1e-6;
        assert!(!backwards, "doubles back at {:?}: {path:?}", w[1]);
    }
    for label in scene.labels() {
        assert!(!crosses(&label.covers, path), "through {:?}", label.text);
    }
}

#[test]
fn a_drag_adds_a_bend_where_the_line_was_grabbed_or_moves_the_one_held() {
    let path = [(0.0, 0.0), (100.0, 0.0), (100.0, 100.0), (200.0, 100.0)];
    let bends = [(100.0, 0.0), (100.0, 100.0)];
    // Grabbed on the last run, dropped below it: a third bend, snapped.
    let (bent, at) = line::dragged(&path, &bends, None, (150.0, 100.0), (151.0, 141.0));
    assert_eq!(at, 2);
    assert_eq!(bent, [(100.0, 0.0), (100.0, 100.0), (152.0, 144.0)]);
    // The first bend held and moved.
    let (bent, at) = line::dragged(&path, &bends, Some(0), (100.0, 0.0), (60.0, -18.0));
    assert_eq!(at, 0);
    assert_eq!(bent, [(64.0, -16.0), (100.0, 100.0)]);
    // A handle that is no longer there makes a new bend instead.
    let (bent, _) = line::dragged(&path, &bends, Some(7), (50.0, 0.0), (48.0, 40.0));
    assert_eq!(bent.len(), 3);
}
