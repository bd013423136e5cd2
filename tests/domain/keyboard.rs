//! Building without a pointer: blocks added where they fit, and the outline
//! that reads the diagram in place of the canvas.

use stackdraw::domain::edit::apply;
use stackdraw::domain::edit::place::place_near;
use stackdraw::domain::model::*;
use stackdraw::domain::outline::rows;
use stackdraw::domain::templates;
use stackdraw::domain::validate::analyze;

fn add(diagram: &mut Diagram, kind: KindTag, into: Option<&NodeId>) -> NodeId {
    let (command, id) = place_near(diagram, kind, into, (600.0, 400.0))
        .unwrap_or_else(|message| panic!("{kind:?}: {message}"));
    apply(diagram, command).unwrap();
    id
}

fn overlap(a: &Rect, b: &Rect) -> bool {
    a.x < b.right() && b.x < a.right() && a.y < b.bottom() && b.y < a.bottom()
}

#[test]
fn blocks_added_from_the_keyboard_land_in_the_selected_container_without_covering_others() {
    let mut diagram = templates::blank();
    let vpc = add(&mut diagram, KindTag::Vpc, None);
    let first = add(&mut diagram, KindTag::Subnet, Some(&vpc));
    let second = add(&mut diagram, KindTag::Subnet, Some(&vpc));
    let (a, b) = (diagram.layout[&first], diagram.layout[&second]);
    assert!(!overlap(&a, &b), "two subnets side by side: {a:?} {b:?}");
    for subnet in [&first, &second] {
        let NodeKind::Subnet(s) = &diagram.node(subnet).unwrap().kind else {
            panic!()
        };
        assert_eq!(&s.vpc, &vpc);
    }
    let service = add(&mut diagram, KindTag::FargateService, Some(&first));
    let bastion = add(&mut diagram, KindTag::Bastion, Some(&first));
    assert!(
        diagram
            .node(&service)
            .unwrap()
            .kind
            .placement_subnets()
            .contains(&&first),
        "the service runs in the subnet it was added to"
    );
    assert_eq!(diagram.container_of(&bastion), Some(&first));
    assert!(!overlap(
        &diagram.layout[&service],
        &diagram.layout[&bastion]
    ));
    // Something that lives outside VPCs, with nothing selected, lands in the
    // open near the centre.
    let internet = add(&mut diagram, KindTag::Internet, None);
    assert_eq!(diagram.container_of(&internet), None);
    for (id, rect) in &diagram.layout {
        if diagram.node(id).unwrap().tag().is_container() || id == &internet {
            continue;
        }
        assert!(
            !overlap(rect, &diagram.layout[&internet]),
            "{id} is covered"
        );
    }
    // A kind that cannot live where asked is refused with the drop's reason.
    let message = place_near(&diagram, KindTag::LoadBalancer, None, (-5000.0, -5000.0))
        .map(|_| ())
        .unwrap_err();
    assert!(message.contains("subnet"), "{message}");
}

#[test]
fn the_outline_reads_vpcs_subnets_and_what_they_hold_then_the_outside() {
    let seed = templates::seed();
    let analysis = analyze(&seed);
    let outline = rows(&seed, &analysis);
    let drawn = seed.layout.len();
    assert_eq!(outline.len(), drawn, "every drawn node once");
    let at = |id: &str| outline.iter().position(|r| r.id.as_str() == id).unwrap();
    assert_eq!(at("vpc-main"), 0, "the VPC first");
    assert!(at("subnet-public-a") < at("alb") || at("subnet-public-c") < at("alb"));
    assert_eq!(outline[at("subnet-public-a")].parent, Some(at("vpc-main")));
    assert_eq!(outline[at("bastion")].parent, Some(at("subnet-public-a")));
    assert_eq!(outline[at("bastion")].level, 3);
    assert_eq!(
        outline[at("alb")].parent,
        Some(at("vpc-main")),
        "across subnets: in the VPC"
    );
    assert_eq!(outline[at("internet")].level, 1);
    assert!(at("internet") > at("db"), "the outside after the VPC");
    let subnet = &outline[at("subnet-private-a")].label;
    assert!(
        subnet.starts_with("Subnet private-subnet-a, 10."),
        "{subnet}"
    );
    assert!(
        subnet.contains("ap-northeast-1a") && subnet.contains("private"),
        "{subnet}"
    );
    for row in &outline {
        assert!(row
            .parent
            .is_none_or(|p| p < outline.iter().position(|r| r == row).unwrap()));
    }
    // Problems in words.
    let mut broken = seed.clone();
    broken.edges.retain(|e| e.id.as_str() != "e-service-db");
    let NodeKind::FargateService(service) = &mut broken
        .nodes
        .iter_mut()
        .find(|n| n.id.as_str() == "service")
        .unwrap()
        .kind
    else {
        panic!()
    };
    service.cluster = None;
    let outline = rows(&broken, &analyze(&broken));
    let service = outline.iter().find(|r| r.id.as_str() == "service").unwrap();
    assert!(service.label.contains("1 error: "), "{}", service.label);
    assert!(
        service.label.contains("no ECS cluster"),
        "{}",
        service.label
    );
}

#[test]
fn the_outline_of_a_generated_diagram_holds_every_drawn_node_at_its_depth() {
    let big = templates::generated(1000);
    let analysis = analyze(&big);
    let outline = rows(&big, &analysis);
    assert_eq!(outline.len(), big.layout.len());
    let mut levels = std::collections::BTreeSet::new();
    for row in &outline {
        levels.insert(row.level);
    }
    assert!(
        levels.contains(&1) && levels.contains(&2) && levels.contains(&3),
        "{levels:?}"
    );
}

#[test]
fn a_drop_at_the_edge_of_the_view_moves_in_until_the_block_shows_whole() {
    use stackdraw::domain::edit::place::place_in_view;
    let diagram = templates::blank();
    let view = Rect::new(0.0, 0.0, 1000.0, 700.0);
    // Dropped right at the left edge, next to the palette.
    let (command, id) = place_in_view(&diagram, KindTag::Internet, (2.0, 300.0), view).unwrap();
    let mut after = diagram.clone();
    apply(&mut after, command).unwrap();
    let rect = after.layout[&id];
    assert!(rect.x >= view.x && rect.right() <= view.right(), "{rect:?}");
    assert!(
        rect.y >= view.y && rect.bottom() <= view.bottom(),
        "{rect:?}"
    );
    // A VPC dropped near the bottom right comes up and left to show whole.
    let (command, id) = place_in_view(&diagram, KindTag::Vpc, (990.0, 690.0), view).unwrap();
    let mut after = diagram.clone();
    apply(&mut after, command).unwrap();
    let rect = after.layout[&id];
    assert!(
        rect.right() <= view.right() && rect.bottom() <= view.bottom(),
        "{rect:?}"
    );
    // Well inside, it lands where it was dropped.
    let (inside, _) = place_in_view(&diagram, KindTag::Internet, (500.0, 300.0), view).unwrap();
    let (plain, _) =
        stackdraw::domain::edit::place::place(&diagram, KindTag::Internet, (500.0, 300.0)).unwrap();
    assert_eq!(inside, plain);
}

#[test]
fn a_dropped_service_behind_a_dropped_load_balancer_passes_its_own_health_check() {
    let mut diagram = templates::blank();
    let vpc = add(&mut diagram, KindTag::Vpc, None);
    let first = add(&mut diagram, KindTag::Subnet, Some(&vpc));
    add(&mut diagram, KindTag::Subnet, Some(&vpc));
    let alb = add(&mut diagram, KindTag::LoadBalancer, Some(&first));
    let service = add(&mut diagram, KindTag::FargateService, Some(&first));
    let (command, _) = stackdraw::domain::edit::connect::connect(&diagram, &alb, &service).unwrap();
    apply(&mut diagram, command).unwrap();
    let NodeKind::LoadBalancer(lb) = &diagram.node(&alb).unwrap().kind else {
        panic!()
    };
    let group = lb
        .target_groups
        .iter()
        .find(|g| g.target.as_ref().is_some_and(|t| t.service == service))
        .expect("the load balancer forwards to the service");
    assert_eq!(
        group.health_check.path.as_deref(),
        Some("/"),
        "nginx answers /"
    );
    assert!(
        !analyze(&diagram).diagnostics.iter().any(|d| d.rule == 29),
        "no health-check warning for the defaults"
    );
}
