//! The editor's gestures as domain commands: dropping from the palette,
//! drawing traffic, moving, resizing, tidying, copying and typed fields.

use crate::support::{every_kind, id};
use stackdraw::domain::codec::{consistency_problems, Limits};
use stackdraw::domain::edit::{
    apply, arrange, connect, duplicate, fields, place, routing, Command, History,
};
use stackdraw::domain::model::*;
use stackdraw::domain::templates;
use stackdraw::domain::validate::analyze;

/// Runs a gesture's command as one undoable step and returns the new node.
fn drop_at(diagram: &mut Diagram, history: &mut History, kind: KindTag, at: (f64, f64)) -> NodeId {
    let (command, new) = place::place(diagram, kind, at)
        .unwrap_or_else(|error| panic!("dropping {kind:?} at {at:?}: {error}"));
    history.execute(diagram, command).unwrap();
    new
}

fn centre(diagram: &Diagram, node: &NodeId) -> (f64, f64) {
    diagram.layout[node].center()
}

fn inside(diagram: &Diagram, node: &NodeId, dx: f64, dy: f64) -> (f64, f64) {
    let rect = diagram.layout[node];
    (rect.x + dx, rect.y + dy)
}

fn subnet_of(diagram: &Diagram, node: &NodeId) -> Subnet {
    match &diagram.node(node).unwrap().kind {
        NodeKind::Subnet(subnet) => subnet.clone(),
        other => panic!("{node} is {other:?}"),
    }
}

fn assert_consistent(diagram: &Diagram) {
    let problems = consistency_problems(diagram, &Limits::default());
    assert!(problems.is_empty(), "{problems:#?}");
}

/// Builds the reference architecture's network the way a person does.
struct Built {
    diagram: Diagram,
    history: History,
    vpc: NodeId,
    public: [NodeId; 2],
    private: [NodeId; 2],
}

fn build_network() -> Built {
    let mut diagram = Diagram::empty("Drawn", "ap-northeast-1");
    let mut history = History::new();
    let vpc = drop_at(&mut diagram, &mut history, KindTag::Vpc, (500.0, 100.0));
    let subnets: Vec<NodeId> = [(0.2, 0.3), (0.7, 0.3), (0.2, 0.75), (0.7, 0.75)]
        .into_iter()
        .map(|(fx, fy)| {
            let rect = diagram.layout[&vpc];
            let at = (rect.x + fx * rect.w, rect.y + fy * rect.h);
            drop_at(&mut diagram, &mut history, KindTag::Subnet, at)
        })
        .collect();
    let at = inside(&diagram, &vpc, 40.0, 20.0);
    let igw = drop_at(&mut diagram, &mut history, KindTag::InternetGateway, at);
    assert!(igw.as_str().starts_with("igw"));
    for subnet in &subnets[..2] {
        let command = routing::set_routing(&diagram, subnet, routing::Routing::Public).unwrap();
        history.execute(&mut diagram, command).unwrap();
    }
    Built {
        vpc,
        public: [subnets[0].clone(), subnets[1].clone()],
        private: [subnets[2].clone(), subnets[3].clone()],
        diagram,
        history,
    }
}

#[test]
fn subnets_dropped_in_a_vpc_take_the_next_free_block_and_the_next_zone() {
    let built = build_network();
    let blocks: Vec<String> = [
        &built.public[0],
        &built.public[1],
        &built.private[0],
        &built.private[1],
    ]
    .iter()
    .map(|s| subnet_of(&built.diagram, s).cidr.to_string())
    .collect();
    assert_eq!(
        blocks,
        [
            "10.0.0.0/20",
            "10.0.16.0/20",
            "10.0.32.0/20",
            "10.0.48.0/20"
        ]
    );
    let zones: Vec<String> = [
        &built.public[0],
        &built.public[1],
        &built.private[0],
        &built.private[1],
    ]
    .iter()
    .map(|s| subnet_of(&built.diagram, s).az)
    .collect();
    // The first row takes the region's zones in turn; a subnet dropped under
    // another joins its column's zone.
    assert_eq!(
        zones,
        [
            "ap-northeast-1a",
            "ap-northeast-1c",
            "ap-northeast-1a",
            "ap-northeast-1c"
        ]
    );
    for subnet in built.public.iter().chain(&built.private) {
        assert_eq!(subnet_of(&built.diagram, subnet).vpc, built.vpc);
        assert_eq!(built.diagram.container_of(subnet), Some(&built.vpc));
    }
    assert!(built.diagram.is_public_subnet(&built.public[0]));
    assert!(!built.diagram.is_public_subnet(&built.private[0]));
    assert_consistent(&built.diagram);
}

#[test]
fn a_full_vpc_refuses_another_subnet_and_says_why() {
    let mut diagram = Diagram::empty("Small", "us-east-1");
    let mut history = History::new();
    let vpc = drop_at(&mut diagram, &mut history, KindTag::Vpc, (300.0, 100.0));
    let mut node = diagram.node(&vpc).unwrap().clone();
    if let NodeKind::Vpc(v) = &mut node.kind {
        v.cidr = Cidr::parse("10.9.0.0/28").unwrap();
    }
    history
        .execute(&mut diagram, Command::ReplaceNode { node })
        .unwrap();
    let at = centre(&diagram, &vpc);
    drop_at(&mut diagram, &mut history, KindTag::Subnet, at);
    let before = diagram.clone();
    let error = place::place(&diagram, KindTag::Subnet, at).unwrap_err();
    assert!(error.contains("no free /28 block"), "{error}");
    assert_eq!(diagram, before);
}

#[test]
fn drops_where_a_kind_cannot_live_are_refused() {
    let built = build_network();
    let diagram = &built.diagram;
    let bare = (-400.0, -400.0);
    let in_vpc_only = inside(diagram, &built.vpc, 8.0, 8.0);
    let in_subnet = centre(diagram, &built.private[0]);
    let cases = [
        (KindTag::Subnet, bare, "inside a VPC"),
        (KindTag::AuroraCluster, bare, "inside a subnet"),
        (KindTag::FargateService, in_vpc_only, "inside a subnet"),
        (KindTag::S3Bucket, in_subnet, "not part of a VPC"),
        (KindTag::Vpc, in_subnet, "cannot sit inside another VPC"),
        (
            KindTag::InternetGateway,
            in_vpc_only,
            "already has an internet gateway",
        ),
        (KindTag::VpcPeering, bare, "draw a second VPC first"),
    ];
    for (kind, at, expected) in cases {
        match place::place(diagram, kind, at) {
            Err(message) => assert!(message.contains(expected), "{kind:?}: {message}"),
            Ok(_) => panic!("{kind:?} at {at:?} should be refused"),
        }
    }
}

#[test]
fn every_kind_can_be_dropped_somewhere_and_the_result_is_a_valid_file() {
    let mut built = build_network();
    let diagram = &mut built.diagram;
    let history = &mut built.history;
    let second = drop_at(diagram, history, KindTag::Vpc, (2000.0, 100.0));
    for (index, kind) in KindTag::ALL.into_iter().enumerate() {
        let spots = [
            centre(diagram, &built.public[0]),
            inside(diagram, &built.vpc, 8.0, 8.0),
            centre(diagram, &second),
            (-3000.0 - 1000.0 * index as f64, -3000.0),
        ];
        let placed = spots
            .iter()
            .find_map(|at| place::place(diagram, kind, *at).ok());
        let (command, new) = placed.unwrap_or_else(|| panic!("{kind:?} fits nowhere"));
        history.execute(diagram, command).unwrap();
        assert_eq!(diagram.node(&new).unwrap().tag(), kind);
    }
    assert_consistent(diagram);
}

#[test]
fn resources_span_one_subnet_per_zone_of_the_tier_they_are_dropped_in() {
    let mut built = build_network();
    let at = centre(&built.diagram, &built.public[0]);
    let alb = drop_at(
        &mut built.diagram,
        &mut built.history,
        KindTag::LoadBalancer,
        at,
    );
    let at = centre(&built.diagram, &built.private[1]);
    let db = drop_at(
        &mut built.diagram,
        &mut built.history,
        KindTag::AuroraCluster,
        at,
    );
    let subnets = |node: &NodeId| -> Vec<NodeId> {
        built
            .diagram
            .node(node)
            .unwrap()
            .kind
            .placement_subnets()
            .into_iter()
            .cloned()
            .collect()
    };
    assert_eq!(subnets(&alb), built.public.to_vec());
    assert_eq!(
        subnets(&db),
        vec![built.private[1].clone(), built.private[0].clone()]
    );
    match &built.diagram.node(&alb).unwrap().kind {
        NodeKind::LoadBalancer(lb) => {
            assert_eq!(lb.scheme, LoadBalancerScheme::InternetFacing);
            assert_eq!(lb.security_groups.len(), 1);
            assert!(built.diagram.node(&lb.security_groups[0]).is_some());
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn connecting_infers_the_port_and_opens_the_security_groups() {
    let mut built = build_network();
    let d = &mut built.diagram;
    let h = &mut built.history;
    let internet = drop_at(d, h, KindTag::Internet, (-300.0, 300.0));
    let operator = drop_at(d, h, KindTag::ExternalClient, (-300.0, 600.0));
    let alb = drop_at(d, h, KindTag::LoadBalancer, centre(d, &built.public[0]));
    let bastion = drop_at(
        d,
        h,
        KindTag::Bastion,
        inside(d, &built.public[1], 40.0, 80.0),
    );
    let service = drop_at(d, h, KindTag::FargateService, centre(d, &built.private[0]));
    let db = drop_at(
        d,
        h,
        KindTag::AuroraCluster,
        inside(d, &built.private[1], 200.0, 100.0),
    );
    let pairs = [
        (&internet, &alb, 80),
        (&alb, &service, 80),
        (&service, &db, 3306),
        (&operator, &bastion, 22),
        (&bastion, &db, 3306),
    ];
    for (from, to, port) in pairs {
        assert_eq!(connect::infer_port(d, from, to), port, "{from} -> {to}");
        let (command, edge) = connect::connect(d, from, to).unwrap();
        h.execute(d, command).unwrap();
        let analysis = analyze(d);
        let flow = analysis.flow_of_edge(&edge).unwrap();
        assert!(flow.reachable, "{from} -> {to}: {:?}", flow.blocked);
    }
    // The load balancer now forwards to the service's container.
    match &d.node(&alb).unwrap().kind {
        NodeKind::LoadBalancer(lb) => {
            let target = lb.target_groups[0].target.as_ref().unwrap();
            assert_eq!(target.service, service);
        }
        other => panic!("{other:?}"),
    }
    let again = connect::connect(d, &service, &db).unwrap_err();
    assert!(again.contains("already sends traffic"), "{again}");
    assert!(connect::connect(d, &db, &db).is_err());
    assert!(connect::set_edge_port(d, &d.edges[0].id.clone(), "70000").is_err());
    let command = connect::set_edge_port(d, &d.edges[0].id.clone(), "443").unwrap();
    h.execute(d, command).unwrap();
    assert_eq!(d.edges[0].port, 443);
    assert_consistent(d);
}

#[test]
fn moving_a_container_carries_what_it_holds_and_is_one_undo_step() {
    let mut built = build_network();
    let at = centre(&built.diagram, &built.public[0]);
    let nat = drop_at(
        &mut built.diagram,
        &mut built.history,
        KindTag::NatGateway,
        at,
    );
    let before = built.diagram.clone();
    // A drag: many small moves with one merge key, then sealed.
    for _ in 0..10 {
        let command =
            arrange::move_nodes(&built.diagram, std::slice::from_ref(&built.vpc), 5.0, 3.0)
                .unwrap();
        built
            .history
            .execute_merging(&mut built.diagram, command, Some("drag".into()))
            .unwrap();
    }
    built.history.seal();
    for node in [&built.vpc, &built.public[0], &built.private[1], &nat] {
        let (a, b) = (before.layout[node], built.diagram.layout[node]);
        assert_eq!((b.x - a.x, b.y - a.y), (50.0, 30.0), "{node}");
    }
    assert!(built.history.undo(&mut built.diagram));
    assert_eq!(built.diagram, before);
    assert!(built.history.redo(&mut built.diagram));
    assert_eq!(built.diagram.layout[&nat].x, before.layout[&nat].x + 50.0);
}

#[test]
fn a_resource_moved_into_another_subnet_is_rehomed_and_wrong_moves_are_refused() {
    let mut built = build_network();
    let d = &mut built.diagram;
    let bastion = drop_at(
        d,
        &mut built.history,
        KindTag::Bastion,
        centre(d, &built.public[0]),
    );
    let (from, to) = (centre(d, &bastion), centre(d, &built.public[1]));
    let command = arrange::move_nodes(
        d,
        std::slice::from_ref(&bastion),
        to.0 - from.0,
        to.1 - from.1,
    )
    .unwrap();
    apply(d, command).unwrap();
    match &d.node(&bastion).unwrap().kind {
        NodeKind::Bastion(b) => assert_eq!(b.subnet, built.public[1]),
        other => panic!("{other:?}"),
    }
    // A subnet cannot leave its VPC; a bastion cannot leave the subnets.
    let vpc_rect = d.layout[&built.vpc];
    let out = vpc_rect.w + 400.0;
    let error =
        arrange::move_nodes(d, std::slice::from_ref(&built.public[0]), out, 0.0).unwrap_err();
    assert!(
        error.contains("cannot move a subnet to another VPC"),
        "{error}"
    );
    let error = arrange::move_nodes(d, std::slice::from_ref(&bastion), out, 0.0).unwrap_err();
    assert!(error.contains("lives in a subnet"), "{error}");
    // A resource moved to a subnet's edge grows the subnet and the VPC.
    let subnet = d.layout[&built.public[1]];
    let command =
        arrange::move_nodes(d, std::slice::from_ref(&bastion), 0.0, subnet.h / 2.0 - 8.0).unwrap();
    apply(d, command).unwrap();
    let grown = d.layout[&built.public[1]];
    assert!(
        grown.bottom() >= d.layout[&bastion].bottom() + 24.0,
        "{grown:?}"
    );
    assert!(d.layout[&built.vpc].bottom() >= grown.bottom());
}

#[test]
fn resizing_never_cuts_off_what_a_container_holds() {
    let built = build_network();
    let d = &built.diagram;
    let rect = d.layout[&built.vpc];
    let command = arrange::resize(d, &built.vpc, Rect::new(rect.x, rect.y, 10.0, 10.0)).unwrap();
    let mut after = d.clone();
    apply(&mut after, command).unwrap();
    let resized = after.layout[&built.vpc];
    for subnet in built.public.iter().chain(&built.private) {
        let inner = after.layout[subnet];
        assert!(
            resized.x <= inner.x && resized.right() >= inner.right(),
            "{subnet}"
        );
        assert!(resized.bottom() >= inner.bottom(), "{subnet}");
    }
    let bigger = Rect::new(rect.x, rect.y, rect.w + 200.0, rect.h + 100.0);
    let command = arrange::resize(d, &built.vpc, bigger).unwrap();
    let mut after = d.clone();
    apply(&mut after, command).unwrap();
    assert_eq!(after.layout[&built.vpc], bigger);
}

#[test]
fn tidy_lays_a_vpc_out_as_zone_columns_and_tier_rows() {
    // The seed comes tidied: scatter what its VPC holds first.
    let vpc = id("vpc-main");
    let mut before = templates::seed();
    let inside = arrange::descendants(&before, &vpc);
    for (step, id) in inside.iter().enumerate() {
        if let Some(rect) = before.layout.get_mut(id) {
            rect.x += (step % 3) as f64 * 40.0;
            rect.y -= (step % 4) as f64 * 30.0;
        }
    }
    let tidied = {
        let mut seed = templates::seed();
        apply(&mut seed, arrange::tidy(&before, &vpc).unwrap()).unwrap();
        seed
    };
    assert_eq!(tidied.layout, templates::seed().layout, "the seed is tidy");
    let mut diagram = before.clone();
    apply(&mut diagram, arrange::tidy(&before, &vpc).unwrap()).unwrap();
    // The app applies the worker's tidied layout as one step of box changes.
    let mut from_layout = before.clone();
    let step = arrange::layout_changes(&before, &diagram);
    assert!(matches!(&step, Command::Batch(moves) if !moves.is_empty()));
    apply(&mut from_layout, step).unwrap();
    assert_eq!(from_layout, diagram);
    assert_eq!(
        arrange::layout_changes(&diagram, &diagram),
        Command::Batch(Vec::new())
    );
    let subnets: Vec<(NodeId, Subnet, Rect)> = diagram
        .nodes
        .iter()
        .filter_map(|n| match &n.kind {
            NodeKind::Subnet(s) if s.vpc == vpc => {
                Some((n.id.clone(), s.clone(), diagram.layout[&n.id]))
            }
            _ => None,
        })
        .collect();
    let vpc_rect = diagram.layout[&vpc];
    for (a, sa, ra) in &subnets {
        for (b, sb, rb) in &subnets {
            if a == b {
                continue;
            }
            let apart = ra.right() <= rb.x
                || rb.right() <= ra.x
                || ra.bottom() <= rb.y
                || rb.bottom() <= ra.y;
            assert!(apart, "{a} and {b} overlap");
            if sa.az == sb.az {
                assert_eq!(ra.x, rb.x, "same zone, same column: {a} {b}");
            }
            if diagram.is_public_subnet(a) && !diagram.is_public_subnet(b) {
                assert!(ra.y < rb.y, "public rows above private: {a} {b}");
            }
        }
        assert!(
            vpc_rect.x <= ra.x
                && vpc_rect.right() >= ra.right()
                && vpc_rect.bottom() >= ra.bottom()
        );
    }
    for child in diagram.children_of(&vpc) {
        if let Some(rect) = diagram.layout.get(&child.id) {
            assert!(
                vpc_rect.right() >= rect.right() && vpc_rect.bottom() >= rect.bottom(),
                "{}",
                child.id
            );
        }
    }
    assert!(arrange::tidy(&diagram, &id("internet")).is_err());
}

#[test]
fn pasting_a_vpc_copies_what_it_holds_with_references_pointing_at_the_copies() {
    let diagram = templates::seed();
    let clipboard = duplicate::copy(&diagram, &[id("vpc-main")]);
    let (command, tops) = duplicate::paste(&diagram, &clipboard, (0.0, 2000.0)).unwrap();
    let mut after = diagram.clone();
    apply(&mut after, command).unwrap();
    assert_consistent(&after);
    assert_eq!(tops.len(), 1);
    let copy = &tops[0];
    let held = arrange::descendants(&after, copy);
    let original = arrange::descendants(&diagram, &id("vpc-main"));
    assert_eq!(held.len(), original.len());
    for node in &held {
        for reference in after.node(node).unwrap().kind.references() {
            // Inside the copy, nothing points back into the original VPC.
            assert!(
                !original.contains(reference.target),
                "{node} -> {}",
                reference.target
            );
        }
    }
    // Traffic between copied nodes is copied too.
    let copied_edges = after.edges.len() - diagram.edges.len();
    assert!(copied_edges >= 3, "{copied_edges}");
}

#[test]
fn a_pasted_subnet_takes_a_free_block_of_its_vpc() {
    let diagram = templates::seed();
    let subnet = diagram.nodes_of(KindTag::Subnet).next().unwrap().id.clone();
    let clipboard = duplicate::copy(&diagram, std::slice::from_ref(&subnet));
    let (command, tops) = duplicate::paste(&diagram, &clipboard, (24.0, 24.0)).unwrap();
    let mut after = diagram.clone();
    apply(&mut after, command).unwrap();
    let copy = subnet_of(&after, &tops[0]);
    assert_ne!(copy.cidr, subnet_of(&diagram, &subnet).cidr);
    assert!(
        analyze(&after).diagnostics.iter().all(|d| d.rule != 9),
        "no overlap"
    );
    assert_consistent(&after);
}

/// What the inspector does with a typed value.
fn set(diagram: &Diagram, node: &Node, key: &str, text: &str) -> Result<Command, String> {
    if key == "properties" {
        fields::set_properties(diagram, node, text)
    } else {
        fields::set_field(diagram, node, key, text)
    }
}

#[test]
fn every_field_takes_its_own_value_back_and_refuses_what_the_model_cannot_hold() {
    let diagram = every_kind();
    for node in &diagram.nodes {
        // Everything without a field of its own is edited as JSON.
        let json = fields::properties_json(&node.kind);
        assert!(json.starts_with('{'), "{}: {json}", node.id);
        let command = fields::set_properties(&diagram, node, &json)
            .unwrap_or_else(|error| panic!("{} properties: {error}", node.id));
        let mut after = diagram.clone();
        apply(&mut after, command).unwrap();
        assert_eq!(after.node(&node.id), Some(node), "{} properties", node.id);
        for field in fields::fields_of(&diagram, node) {
            if matches!(field.input, fields::Input::Set(_) | fields::Input::Action) {
                continue;
            }
            let command = set(&diagram, node, &field.address(), &field.value)
                .unwrap_or_else(|error| panic!("{} {}: {error}", node.id, field.key));
            let mut after = diagram.clone();
            apply(&mut after, command).unwrap();
            if field.key != "routing" {
                assert_eq!(
                    after.node(&node.id),
                    Some(node),
                    "{} {}",
                    node.id,
                    field.key
                );
            }
        }
    }
    let node_of = |tag: KindTag| diagram.nodes_of(tag).next().unwrap();
    let refused = [
        (node_of(KindTag::Subnet), "cidr", "10.2.0.0/33"),
        (node_of(KindTag::Vpc), "name", "   "),
        (node_of(KindTag::AuroraCluster), "port", "70000"),
        (node_of(KindTag::FargateService), "memory", "300"),
        (node_of(KindTag::FargateService), "cpu", "100"),
        (node_of(KindTag::FargateService), "container_port.0", "0"),
        (node_of(KindTag::FargateService), "container_port.9", "80"),
        (node_of(KindTag::FargateService), "cluster", "db"),
        (node_of(KindTag::LoadBalancer), "listener_port.0", "443"),
        (
            node_of(KindTag::LoadBalancer),
            "listener_action.1",
            "redirect",
        ),
        (node_of(KindTag::CloudFront), "origin_remove.0", ""),
        (node_of(KindTag::CloudFront), "origin_path.0", "/static/*"),
        (node_of(KindTag::Route53Zone), "record_values.0", " , "),
        (node_of(KindTag::VpcPeering), "accepter", "vpc-main"),
        (node_of(KindTag::Subnet), "az", "mars-1a"),
        (node_of(KindTag::AcmCertificate), "region", "moon"),
        (
            node_of(KindTag::Bastion),
            "properties",
            "{\"subnet\": \"nowhere\", \"instance_type\": \"t3.micro\"}",
        ),
        (node_of(KindTag::Bastion), "properties", "{not json"),
        (node_of(KindTag::Bastion), "properties", "{\"unknown\": 1}"),
    ];
    for (node, key, text) in refused {
        let result = set(&diagram, node, key, text);
        assert!(
            result.is_err(),
            "{} {key}={text:?} should be refused",
            node.id
        );
    }
}

#[test]
fn a_changed_cpu_keeps_the_memory_valid_and_subnet_sets_toggle() {
    let mut built = build_network();
    let at = centre(&built.diagram, &built.private[0]);
    let service = drop_at(
        &mut built.diagram,
        &mut built.history,
        KindTag::FargateService,
        at,
    );
    let node = built.diagram.node(&service).unwrap().clone();
    let command = fields::set_field(&built.diagram, &node, "cpu", "1024").unwrap();
    apply(&mut built.diagram, command).unwrap();
    let node = built.diagram.node(&service).unwrap().clone();
    match &node.kind {
        NodeKind::FargateService(s) => assert_eq!((s.cpu, s.memory), (1024, 2048)),
        other => panic!("{other:?}"),
    }
    let command =
        fields::set_field(&built.diagram, &node, "subnets", built.private[0].as_str()).unwrap();
    apply(&mut built.diagram, command).unwrap();
    let node = built.diagram.node(&service).unwrap().clone();
    assert_eq!(node.kind.placement_subnets(), vec![&built.private[1]]);
    let last =
        fields::set_field(&built.diagram, &node, "subnets", built.private[1].as_str()).unwrap_err();
    assert!(last.contains("at least one"), "{last}");
}

#[test]
fn private_routing_needs_a_nat_and_uses_one_in_the_same_zone() {
    let mut built = build_network();
    let error = routing::set_routing(&built.diagram, &built.private[0], routing::Routing::Private)
        .unwrap_err();
    assert!(error.contains("NAT gateway"), "{error}");
    let zone_of = |d: &Diagram, s: &NodeId| subnet_of(d, s).az;
    // A NAT in the public subnet of the first private subnet's zone.
    let public_same_zone = built
        .public
        .iter()
        .find(|p| zone_of(&built.diagram, p) == zone_of(&built.diagram, &built.private[0]))
        .unwrap()
        .clone();
    let at = centre(&built.diagram, &public_same_zone);
    let nat = drop_at(
        &mut built.diagram,
        &mut built.history,
        KindTag::NatGateway,
        at,
    );
    let command =
        routing::set_routing(&built.diagram, &built.private[0], routing::Routing::Private).unwrap();
    apply(&mut built.diagram, command).unwrap();
    assert_eq!(
        routing::routing_of(&built.diagram, &built.private[0]),
        routing::Routing::Private
    );
    let table = subnet_of(&built.diagram, &built.private[0])
        .route_table
        .unwrap();
    match &built.diagram.node(&table).unwrap().kind {
        NodeKind::RouteTable(t) => assert_eq!(t.routes[0].target, nat),
        other => panic!("{other:?}"),
    }
    assert!(
        analyze(&built.diagram)
            .diagnostics
            .iter()
            .all(|d| d.rule != 17),
        "the NAT's subnet is public"
    );
}

#[test]
fn the_image_export_is_standalone_deterministic_and_keeps_names_as_text() {
    use stackdraw::domain::image::{svg, Theme};
    use stackdraw::domain::scene::Scene;
    let diagram = crate::support::hostile();
    let scene = Scene::of(&diagram);
    let analysis = analyze(&diagram);
    let light = svg(&scene, &analysis, Theme::Light);
    assert_eq!(light, svg(&scene, &analysis, Theme::Light));
    assert_ne!(light, svg(&scene, &analysis, Theme::Dark));
    assert!(light.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
    // Hostile names arrive as text, never as markup.
    assert!(!light.contains("<b>"), "markup from a name leaked");
    assert!(light.contains("&lt;b&gt;bold&lt;/b&gt;"));
    // Every icon it uses is inside the file: AWS's own, embedded whole as
    // data, or stackdraw's pictogram for kinds AWS has none for.
    for glyph in &scene.glyphs {
        let kind = glyph.kind.as_str();
        if stackdraw::domain::scene::has_aws_icon(glyph.kind) {
            let file = std::fs::read(format!(
                "{}/assets/aws-icons/{kind}.svg",
                env!("CARGO_MANIFEST_DIR")
            ))
            .unwrap();
            assert!(!file.is_empty());
            assert!(
                light.contains("href=\"data:image/svg+xml;base64,"),
                "{kind}"
            );
        } else {
            assert!(light.contains(&format!("<symbol id=\"{kind}\"")), "{kind}");
            assert!(light.contains(&format!("href=\"#{kind}\"")), "{kind}");
        }
    }
    assert!(!light.contains("icons.svg") && !light.contains("aws-icons/"));
}
