use crate::support::id;
use stackdraw::domain::edit::{apply, Command, EditError, History};
use stackdraw::domain::model::*;
use stackdraw::domain::templates;

fn renamed(diagram: &Diagram, node: &str, name: &str) -> Command {
    let mut node = diagram.node_by_str(node).unwrap().clone();
    node.name = name.into();
    Command::ReplaceNode { node }
}

#[test]
fn every_command_returns_its_inverse() {
    let original = templates::seed();
    let commands = vec![
        renamed(&original, "db", "renamed"),
        Command::SetRect {
            id: id("db"),
            rect: Some(Rect::new(1.0, 2.0, 3.0, 4.0)),
        },
        Command::SetRect {
            id: id("db"),
            rect: None,
        },
        Command::RemoveEdge {
            id: EdgeId::new("e-service-db").unwrap(),
        },
        Command::AddNode {
            node: Node {
                id: id("new"),
                name: "new".into(),
                kind: NodeKind::Internet(Internet {}),
            },
            rect: Some(Rect::new(0.0, 0.0, 64.0, 64.0)),
            index: Some(0),
        },
        Command::AddEdge {
            edge: with_id(original.edges[0].clone(), "e-copy"),
            index: None,
        },
        Command::ReplaceEdge {
            edge: TrafficEdge {
                port: 8443,
                ..original.edges[0].clone()
            },
        },
        remove_with_edges(&original, "operator"),
        Command::ReplaceDiagram(Box::new(templates::by_name("three-tier").unwrap().build())),
        Command::AddScope {
            scope: AccessScope {
                id: ScopeId::new("no-operator-to-db").unwrap(),
                from: id("operator"),
                to: id("db"),
                port: Some(3306),
            },
            index: None,
        },
    ];
    for command in commands {
        let mut diagram = original.clone();
        let inverse =
            apply(&mut diagram, command.clone()).unwrap_or_else(|e| panic!("{command:?}: {e}"));
        assert_ne!(diagram, original, "{command:?} changed nothing");
        apply(&mut diagram, inverse).unwrap();
        assert_eq!(
            diagram, original,
            "the inverse of {command:?} restores the diagram"
        );
    }
}

fn with_id(mut edge: TrafficEdge, new_id: &str) -> TrafficEdge {
    edge.id = EdgeId::new(new_id).unwrap();
    edge
}

/// Removing a node takes removing its edges first, as one step.
fn remove_with_edges(diagram: &Diagram, node: &str) -> Command {
    let mut commands: Vec<Command> = diagram
        .edges
        .iter()
        .filter(|e| e.from.as_str() == node || e.to.as_str() == node)
        .map(|e| Command::RemoveEdge { id: e.id.clone() })
        .collect();
    commands.push(Command::RemoveNode { id: id(node) });
    Command::Batch(commands)
}

#[test]
fn a_node_still_referred_to_cannot_be_removed() {
    let mut diagram = templates::seed();
    let error = apply(&mut diagram, Command::RemoveNode { id: id("vpc-main") }).unwrap_err();
    let EditError::StillReferenced { by, .. } = &error else {
        panic!("{error:?}")
    };
    assert!(by.contains(&"subnet-public-a".to_string()));
    assert!(error.to_string().contains("cannot be removed"));
    assert_eq!(diagram, templates::seed());
}

#[test]
fn a_failing_batch_changes_nothing() {
    let original = templates::seed();
    let mut diagram = original.clone();
    let batch = Command::Batch(vec![
        renamed(&original, "db", "first"),
        Command::RemoveNode {
            id: id("no-such-node"),
        },
    ]);
    assert_eq!(
        apply(&mut diagram, batch),
        Err(EditError::NoSuchNode(id("no-such-node")))
    );
    assert_eq!(diagram, original);

    let duplicate = Command::AddNode {
        node: original.nodes[0].clone(),
        rect: None,
        index: None,
    };
    assert!(matches!(
        apply(&mut diagram, duplicate),
        Err(EditError::DuplicateId(_))
    ));
}

#[test]
fn history_undoes_and_redoes_in_order() {
    let original = templates::seed();
    let mut diagram = original.clone();
    let mut history = History::new();
    assert!(!history.can_undo() && !history.undo(&mut diagram));

    history
        .execute(&mut diagram, renamed(&original, "db", "one"))
        .unwrap();
    let after_one = diagram.clone();
    history
        .execute(&mut diagram, renamed(&after_one, "db", "two"))
        .unwrap();
    assert_eq!(diagram.node_by_str("db").unwrap().name, "two");

    assert!(history.undo(&mut diagram));
    assert_eq!(diagram, after_one);
    assert!(history.undo(&mut diagram));
    assert_eq!(diagram, original);
    assert!(history.redo(&mut diagram) && history.redo(&mut diagram));
    assert_eq!(diagram.node_by_str("db").unwrap().name, "two");
    assert!(!history.can_redo());

    // A new change after an undo drops the redo stack.
    history.undo(&mut diagram);
    history
        .execute(&mut diagram, renamed(&after_one, "db", "three"))
        .unwrap();
    assert!(!history.can_redo());
}

#[test]
fn the_diagram_as_it_was_some_steps_ago_leaves_the_history_alone() {
    let original = templates::seed();
    let mut diagram = original.clone();
    let mut history = History::new();
    history
        .execute(&mut diagram, renamed(&original, "db", "one"))
        .unwrap();
    let after_one = diagram.clone();
    history
        .execute(&mut diagram, renamed(&after_one, "db", "two"))
        .unwrap();
    assert_eq!(history.undo_depth(), 2);
    assert_eq!(history.as_it_was(&diagram, 0).as_ref(), Some(&diagram));
    assert_eq!(history.as_it_was(&diagram, 1), Some(after_one));
    assert_eq!(history.as_it_was(&diagram, 2), Some(original));
    assert_eq!(history.as_it_was(&diagram, 3), None);
    // Nothing was undone.
    assert_eq!(diagram.node_by_str("db").unwrap().name, "two");
    assert_eq!(history.undo_depth(), 2);
    assert!(!history.can_redo());
}

#[test]
fn moves_of_one_drag_undo_as_one_step() {
    let original = templates::seed();
    let mut diagram = original.clone();
    let mut history = History::new();
    for step in 1..=20 {
        let rect = Rect::new(728.0 + f64::from(step), 760.0, 64.0, 64.0);
        history
            .execute_merging(
                &mut diagram,
                Command::SetRect {
                    id: id("db"),
                    rect: Some(rect),
                },
                Some("drag-1".into()),
            )
            .unwrap();
    }
    history.seal();
    history
        .execute_merging(
            &mut diagram,
            Command::SetRect {
                id: id("db"),
                rect: Some(Rect::new(0.0, 0.0, 64.0, 64.0)),
            },
            Some("drag-1".into()),
        )
        .unwrap();
    assert!(
        history.undo(&mut diagram),
        "the sealed second drag undoes alone"
    );
    assert_eq!(diagram.layout[&id("db")].x, 748.0);
    assert!(
        history.undo(&mut diagram),
        "the first drag undoes in one step"
    );
    assert_eq!(diagram, original);
    assert!(!history.can_undo());
}

#[test]
fn typed_values_the_model_cannot_hold_are_refused() {
    use stackdraw::domain::edit::properties;
    let seed = templates::seed();
    let subnet = seed.node_by_str("subnet-public-a").unwrap();
    assert_eq!(
        properties::rename(subnet, "   ").unwrap_err(),
        "a name must not be empty"
    );
    assert!(properties::rename(subnet, &"x".repeat(1_025)).is_err());
    assert!(properties::set_cidr(subnet, "10.2.0.0/33")
        .unwrap_err()
        .contains("0 to 32"));
    assert!(properties::set_cidr(seed.node_by_str("alb").unwrap(), "10.0.0.0/16").is_err());
    let Command::ReplaceNode { node } = properties::set_cidr(subnet, " 10.2.0.1/20 ").unwrap()
    else {
        panic!()
    };
    let NodeKind::Subnet(changed) = node.kind else {
        panic!()
    };
    assert_eq!(
        changed.cidr.to_string(),
        "10.2.0.1/20",
        "host bits are kept for VR-4 to point out"
    );

    assert!(properties::add_scope(&seed, "internet", "internet", "").is_err());
    assert!(properties::add_scope(&seed, "internet", "ghost", "")
        .unwrap_err()
        .contains("ghost"));
    assert!(properties::add_scope(&seed, "internet", "db", "70000")
        .unwrap_err()
        .contains("not a port"));
    let mut diagram = seed.clone();
    for expected in ["no-internet-to-db", "no-internet-to-db-2"] {
        let command = properties::add_scope(&diagram, "internet", "db", "").unwrap();
        apply(&mut diagram, command).unwrap();
        assert_eq!(diagram.scopes.last().unwrap().id.as_str(), expected);
    }
}

#[test]
fn a_subnet_dropped_into_a_vpc_gets_the_next_free_block_and_zone() {
    use stackdraw::domain::edit::create::add_subnet;
    let mut diagram = templates::seed();
    let mut made = Vec::new();
    for column in 0..3 {
        // Away from any drawn column, so no column decides the zone.
        let rect = Rect::new(5000.0 + 400.0 * f64::from(column), 300.0, 200.0, 120.0);
        let command = add_subnet(&diagram, &id("vpc-main"), rect).unwrap();
        let Command::AddNode { node, .. } = &command else {
            panic!()
        };
        let NodeKind::Subnet(subnet) = &node.kind else {
            panic!()
        };
        made.push((subnet.cidr.to_string(), subnet.az.clone()));
        apply(&mut diagram, command).unwrap();
    }
    // The seed holds 10.2.0.0/20 to 10.2.48.0/20 in zones a and c; Tokyo has a, c, d.
    assert_eq!(
        made,
        vec![
            ("10.2.64.0/20".to_string(), "ap-northeast-1d".to_string()),
            ("10.2.80.0/20".to_string(), "ap-northeast-1d".to_string()),
            ("10.2.96.0/20".to_string(), "ap-northeast-1a".to_string()),
        ]
    );
    let analysis = stackdraw::domain::validate::analyze(&diagram);
    assert!(!analysis
        .diagnostics
        .iter()
        .any(|d| d.rule == 9 || d.rule == 10 || d.rule == 12));
}

#[test]
fn a_full_vpc_refuses_a_new_subnet_with_a_reason() {
    use stackdraw::domain::edit::create::add_subnet;
    let mut diagram = templates::seed();
    if let Some(Node {
        kind: NodeKind::Vpc(vpc),
        ..
    }) = diagram
        .nodes
        .iter_mut()
        .find(|n| n.id.as_str() == "vpc-main")
    {
        vpc.cidr = Cidr::parse("10.2.0.0/18").unwrap();
    }
    // A /18 takes four /22 subnets... but the seed's /20s already fill it.
    let error = add_subnet(&diagram, &id("vpc-main"), Rect::new(0.0, 0.0, 10.0, 10.0)).unwrap_err();
    assert!(error.contains("no free /22 block left"), "{error}");
    assert!(
        add_subnet(&diagram, &id("alb"), Rect::new(0.0, 0.0, 10.0, 10.0))
            .unwrap_err()
            .contains("inside a VPC")
    );
}

mod deleting {
    use super::*;
    use stackdraw::domain::codec::{decode_file, encode_file};
    use stackdraw::domain::edit::delete::delete_nodes;

    fn delete(diagram: &Diagram, ids: &[&str]) -> Diagram {
        let ids: Vec<NodeId> = ids.iter().map(|i| id(i)).collect();
        let mut after = diagram.clone();
        let mut history = History::new();
        history
            .execute(&mut after, delete_nodes(diagram, &ids).unwrap())
            .unwrap();
        // What is left is a consistent diagram, and one undo restores everything.
        decode_file(&encode_file(&after)).unwrap_or_else(|error| panic!("{error}"));
        let mut undone = after.clone();
        assert!(history.undo(&mut undone));
        assert_eq!(&undone, diagram);
        after
    }

    fn has(diagram: &Diagram, node: &str) -> bool {
        diagram.node_by_str(node).is_some()
    }

    #[test]
    fn deleting_a_vpc_takes_what_lives_in_it_and_releases_the_rest() {
        let seed = templates::seed();
        let after = delete(&seed, &["vpc-main"]);
        for gone in [
            "subnet-public-a",
            "rt-private",
            "sg-db",
            "nat-a",
            "bastion",
            "alb",
            "service",
            "db",
        ] {
            assert!(!has(&after, gone), "{gone} should go with its VPC");
        }
        for kept in [
            "frontend", "cdn", "ecr-api", "cluster", "dns", "internet", "igw",
        ] {
            assert!(has(&after, kept), "{kept} should stay");
        }
        let NodeKind::InternetGateway(igw) = &after.node_by_str("igw").unwrap().kind else {
            panic!()
        };
        assert_eq!(igw.vpc, None, "the gateway is detached, not deleted");
        let NodeKind::Route53Zone(zone) = &after.node_by_str("dns").unwrap().kind else {
            panic!()
        };
        assert_eq!(
            zone.records.len(),
            1,
            "the record pointing at the deleted load balancer goes"
        );
        let NodeKind::Pipeline(pipeline) = &after.node_by_str("pipeline").unwrap().kind else {
            panic!()
        };
        assert_eq!(pipeline.deploys, vec![id("frontend"), id("cdn")]);
        assert!(after
            .edges
            .iter()
            .all(|edge| has(&after, edge.from.as_str()) && has(&after, edge.to.as_str())));
    }

    #[test]
    fn deleting_one_subnet_keeps_resources_that_span_others() {
        let after = delete(&templates::seed(), &["subnet-public-c"]);
        let NodeKind::LoadBalancer(alb) = &after.node_by_str("alb").unwrap().kind else {
            panic!()
        };
        assert_eq!(alb.subnets, vec![id("subnet-public-a")]);
        assert!(
            stackdraw::domain::validate::validate(&after)
                .iter()
                .any(|d| d.rule == 27),
            "and validation says one zone is too few"
        );

        let after = delete(&templates::seed(), &["subnet-public-a"]);
        assert!(
            !has(&after, "nat-a") && !has(&after, "bastion"),
            "resources only in that subnet go"
        );
        let NodeKind::RouteTable(table) = &after.node_by_str("rt-private").unwrap().kind else {
            panic!()
        };
        assert!(
            table.routes.is_empty(),
            "the route through the deleted NAT gateway goes"
        );
    }

    #[test]
    fn deleting_groups_and_repositories_releases_references() {
        let after = delete(&templates::seed(), &["sg-service", "ecr-api"]);
        let NodeKind::SecurityGroup(db) = &after.node_by_str("sg-db").unwrap().kind else {
            panic!()
        };
        assert!(db
            .ingress
            .iter()
            .all(|rule| rule.peer != Peer::SecurityGroup(id("sg-service"))));
        let NodeKind::FargateService(service) = &after.node_by_str("service").unwrap().kind else {
            panic!()
        };
        assert!(service.security_groups.is_empty());
        assert_eq!(
            service.containers[1].image,
            ContainerImage::Registry("myapp:latest".into())
        );
        assert!(delete_nodes(&templates::seed(), &[id("ghost")]).is_err());
    }
}

#[test]
fn renaming_the_diagram_is_one_undo_step_and_refuses_an_empty_name() {
    use stackdraw::domain::edit::properties::rename_diagram;
    let original = templates::seed();
    let mut diagram = original.clone();
    let mut history = History::new();
    let command = rename_diagram(&diagram, "  Payments  ").unwrap();
    history.execute(&mut diagram, command).unwrap();
    assert_eq!(diagram.name, "Payments");
    assert!(history.undo(&mut diagram));
    assert_eq!(diagram, original);
    assert!(rename_diagram(&diagram, "   ").is_err());
    assert!(rename_diagram(&diagram, &"x".repeat(2000)).is_err());
}
