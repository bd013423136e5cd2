//! The first load carries the seed's analysis as Rust source
//! (src/domain/templates/seed_analysis.rs), so a first visit shows the
//! seed's problems without the checks' code, which comes with the editor's
//! module. This test writes that source from `analyze(&seed())` and keeps it
//! current (`UPDATE_FIXTURES=1` rewrites it).

use crate::support::assert_matches_path;
use stackdraw::domain::edit::{apply, Command};
use stackdraw::domain::model::Diagram;
use stackdraw::domain::route;
use stackdraw::domain::scene::{CarriedRoutes, Reuse, Scene};
use stackdraw::domain::templates;
use stackdraw::domain::validate::{analyze, Analysis, Diagnostic, Fix, Recipe};

fn text(value: &str) -> String {
    format!("{value:?}")
}

fn ids(list: &[impl AsRef<str>]) -> String {
    let items: Vec<String> = list
        .iter()
        .map(|id| format!("id({})", text(id.as_ref())))
        .collect();
    format!("vec![{}]", items.join(", "))
}

fn fix(rule: u8, fix: &Fix) -> String {
    format!("lazy_fix({rule}, {})", text(&fix.label))
}

fn diagnostic(d: &Diagnostic) -> String {
    let edges: Vec<String> = d
        .edges
        .iter()
        .map(|e| format!("edge({})", text(e.as_str())))
        .collect();
    let alternatives: Vec<String> = d.alternatives.iter().map(|f| fix(d.rule, f)).collect();
    format!(
        "        Diagnostic {{\n            rule: {},\n            severity: Severity::{:?},\n            nodes: {},\n            edges: vec![{}],\n            message: {}.into(),\n            fix: {},\n            alternatives: vec![{}],\n        }},\n",
        d.rule,
        d.severity,
        ids(&d.nodes.iter().map(|n| n.as_str()).collect::<Vec<_>>()),
        edges.join(", "),
        text(&d.message),
        d.fix.as_ref().map_or("None".into(), |f| format!("Some({})", fix(d.rule, f))),
        alternatives.join(", "),
    )
}

/// The source of `seed_analysis()`.
fn source(analysis: &Analysis) -> String {
    let mut out = String::from(
        "//! The seed's analysis, as `validate::analyze(&seed())` gives it. The first\n\
         //! load shows the seed's problems with it before the checks, which come\n\
         //! with the editor's module, arrive. Its fixes are built when applied\n\
         //! (`Recipe::Fix`). Written by tests/domain/seed_analysis.rs\n\
         //! (`UPDATE_FIXTURES=1 cargo test --test domain seed_analysis`); do not\n\
         //! edit by hand.\n\n\
         use crate::domain::edit::Command;\n\
         use crate::domain::model::{EdgeId, NodeId, Protocol};\n\
         use crate::domain::validate::*;\n\n\
         fn id(text: &str) -> NodeId {\n    NodeId::new(text).expect(\"the seed's ids are valid\")\n}\n\n\
         fn edge(text: &str) -> EdgeId {\n    EdgeId::new(text).expect(\"the seed's ids are valid\")\n}\n\n\
         /// A hop; an empty node is none.\n\
         fn hop(node: &str, description: &str) -> Hop {\n    Hop {\n        node: (!node.is_empty()).then(|| id(node)),\n        description: description.into(),\n    }\n}\n\n\
         fn lazy_fix(rule: u8, label: &str) -> Fix {\n    Fix {\n        label: label.into(),\n        command: Command::Build(Recipe::Fix {\n            rule,\n            label: label.into(),\n        }),\n    }\n}\n\n\
         /// The seed's diagnostics, flows and scopes.\n\
         pub fn seed_analysis() -> Analysis {\n    let diagnostics = vec![\n",
    );
    for d in &analysis.diagnostics {
        out.push_str(&diagnostic(d));
    }
    out.push_str("    ];\n    let flows = vec![\n");
    for flow in &analysis.flows {
        assert!(
            flow.blocked.is_none() && flow.cut_off.is_empty(),
            "the seed's flows all get through; carry `blocked` here if that changes"
        );
        let hops: Vec<String> = flow
            .hops
            .iter()
            .map(|h| {
                format!(
                    "                hop({}, {}),\n",
                    text(h.node.as_ref().map_or("", |n| n.as_str())),
                    text(&h.description)
                )
            })
            .collect();
        out.push_str(&format!(
            "        FlowVerdict {{\n            kind: FlowKind::{:?},\n            edge: {},\n            from: id({}),\n            to: {},\n            protocol: Protocol::{:?},\n            port: {},\n            description: {}.into(),\n            reachable: {},\n            verdict: Verdict::{:?},\n            hops: vec![\n{}            ],\n            blocked: None,\n            cut_off: Vec::new(),\n        }},\n",
            flow.kind,
            flow.edge.as_ref().map_or("None".into(), |e| format!("Some(edge({}))", text(e.as_str()))),
            text(flow.from.as_str()),
            flow.to.as_ref().map_or("None".into(), |t| format!("Some(id({}))", text(t.as_str()))),
            flow.protocol,
            flow.port,
            text(&flow.description),
            flow.reachable,
            flow.verdict,
            hops.concat(),
        ));
    }
    out.push_str("    ];\n    let scopes = vec![\n");
    for scope in &analysis.scopes {
        assert!(
            scope.holds && scope.path.is_empty(),
            "the seed's scopes all hold"
        );
        out.push_str(&format!(
            "        ScopeVerdict {{\n            id: {}.into(),\n            builtin: {},\n            from: {},\n            to: id({}),\n            port: {:?},\n            description: {}.into(),\n            holds: true,\n            path: Vec::new(),\n        }},\n",
            text(&scope.id),
            scope.builtin,
            scope.from.as_ref().map_or("None".into(), |f| format!("Some(id({}))", text(f.as_str()))),
            text(scope.to.as_str()),
            scope.port,
            text(&scope.description),
        ));
    }
    out.push_str(
        "    ];\n    Analysis {\n        diagnostics,\n        flows,\n        scopes,\n        invocations: Vec::new(),\n        pending: false,\n    }\n}\n",
    );
    out
}

#[test]
fn the_first_load_carries_the_seeds_analysis() {
    let live = analyze(&templates::seed());
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("src/domain/templates/seed_analysis.rs");
    assert_matches_path(&path, &source(&live));
    // What the first load shows is the analysis, fixes aside: theirs are
    // built when applied.
    let carried = templates::seed_analysis();
    assert!(
        live.invocations.is_empty(),
        "the seed draws no invocations; carry them if it does"
    );
    assert_eq!(carried.invocations, live.invocations);
    assert_eq!(carried.flows, live.flows);
    assert_eq!(carried.scopes, live.scopes);
    assert_eq!(carried.diagnostics.len(), live.diagnostics.len());
    for (carried, live) in carried.diagnostics.iter().zip(&live.diagnostics) {
        assert_eq!(
            (
                carried.rule,
                carried.severity,
                &carried.nodes,
                &carried.edges,
                &carried.message
            ),
            (
                live.rule,
                live.severity,
                &live.nodes,
                &live.edges,
                &live.message
            )
        );
        let labels = |d: &Diagnostic| d.fixes().map(|f| f.label.clone()).collect::<Vec<_>>();
        assert_eq!(labels(carried), labels(live));
    }
    assert!(!carried.pending);
}

#[test]
fn a_carried_fix_does_what_the_live_one_does() {
    let seed = templates::seed();
    let live = analyze(&seed);
    let mut tried = 0;
    for (carried, live) in templates::seed_analysis()
        .diagnostics
        .iter()
        .zip(&live.diagnostics)
    {
        for (lazy, real) in carried.fixes().zip(live.fixes()) {
            assert!(matches!(&lazy.command, Command::Build(Recipe::Fix { .. })));
            let (mut by_recipe, mut direct) = (seed.clone(), seed.clone());
            apply(&mut by_recipe, lazy.command.clone()).unwrap();
            apply(&mut direct, real.command.clone()).unwrap();
            assert_eq!(by_recipe, direct, "{}", lazy.label);
            tried += 1;
        }
    }
    assert!(tried > 0, "the seed offers at least one fix");
    // A fix the diagram no longer offers is refused with the reason.
    let gone = Command::Build(Recipe::Fix {
        rule: 18,
        label: "Nothing like this".into(),
    });
    let error = apply(&mut seed.clone(), gone).unwrap_err().to_string();
    assert!(error.contains("no longer offers"), "{error}");
}

/// The source of `seed_routes()`: the routes the search finds for the seed.
fn routes_source(diagram: &Diagram, scene: &Scene) -> String {
    let mut out = String::from(
        "//! The seed's routes, as the search (`route::route_via`) finds them. The\n\
         //! first load draws a first visit's lines with them before the search,\n\
         //! which comes with the editor's module, arrives. Written by\n\
         //! tests/domain/seed_analysis.rs (`UPDATE_FIXTURES=1 cargo test --test\n\
         //! domain seed_analysis`); do not edit by hand.\n\n\
         use crate::domain::scene::CarriedRoutes;\n\n\
         /// The seed's routes, for `Scene::update_with`: each between two nodes,\n\
         /// by their places in the seed's node list.\n\
         #[rustfmt::skip]\n\
         pub fn seed_routes() -> CarriedRoutes {\n    CarriedRoutes::Seed(&[\n",
    );
    let place = |id: &str| {
        diagram
            .nodes
            .iter()
            .position(|node| node.id.as_str() == id)
            .expect("a route joins two of the seed's nodes")
    };
    for (a, b, shaped, path) in CarriedRoutes::of(scene) {
        assert!(
            shaped.is_none(),
            "the seed has no shaped lines; carry them if it does"
        );
        let points: Vec<String> = path
            .iter()
            .map(|(x, y)| format!("({x:?}, {y:?})"))
            .collect();
        out.push_str(&format!(
            "        ({}, {}, &[{}]), // {a} – {b}\n",
            place(a),
            place(b),
            points.join(", ")
        ));
    }
    out.push_str("    ])\n}\n");
    out
}

/// What a scene draws: every line's path and label, every box.
fn drawn(scene: &Scene) -> String {
    format!(
        "{:?}{:?}{:?}{:?}{:?}",
        scene.edges, scene.links, scene.glyphs, scene.containers, scene.zones
    )
}

#[test]
fn the_first_load_carries_the_seeds_routes_and_draws_the_seed_as_the_search_does() {
    let seed = templates::seed();
    let searched = Scene::of(&seed);
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("src/domain/templates/seed_routes.rs");
    assert_matches_path(&path, &routes_source(&seed, &searched));
    assert!(
        CarriedRoutes::of(&searched).len() >= seed.edges.len() / 2,
        "the seed's lines are carried"
    );
    let carried = templates::seed_routes();
    let first_paint = Scene::update_with(&seed, None, None, None, Some(&carried), None);
    assert_eq!(drawn(&first_paint), drawn(&searched));
}

#[test]
fn without_the_search_lines_take_simple_shapes_until_it_arrives() {
    for template in templates::TEMPLATES {
        let diagram = template.build();
        let searched = Scene::of(&diagram);
        let simple = Scene::update_with(&diagram, None, None, None, None, None);
        // Every line is drawn, orthogonal, from end to end.
        assert_eq!(
            simple.edges.len(),
            searched.edges.len(),
            "{}",
            template.name
        );
        assert_eq!(
            simple.links.len(),
            searched.links.len(),
            "{}",
            template.name
        );
        for line in &simple.edges {
            assert!(line.path.len() >= 2, "{}: {}", template.name, line.id);
            for pair in line.path.windows(2) {
                assert!(
                    pair[0].0 == pair[1].0 || pair[0].1 == pair[1].1,
                    "{}: {} has a slanted segment",
                    template.name,
                    line.id
                );
            }
        }
        // When the search arrives, no simple shape is kept.
        let arrived = Scene::update_with(
            &diagram,
            Some(&simple),
            Some(route::route_via),
            Some(Reuse::new()),
            None,
            None,
        );
        assert_eq!(drawn(&arrived), drawn(&searched), "{}", template.name);
        // The carried routes are the seed's: another diagram given them keeps
        // only those whose pair and ends it shares and draws the rest itself.
        if template.name != "seed" {
            let with_seed_routes = Scene::update_with(
                &diagram,
                None,
                None,
                None,
                Some(&templates::seed_routes()),
                None,
            );
            assert_eq!(with_seed_routes.edges.len(), simple.edges.len());
        }
    }
}
