//! The app's requests to its worker, answered natively: each request type,
//! what it answers, and what it says when the request is bad.

use crate::support::id;
use stackdraw::domain::codec::{encode_file, wire, Limits};
use stackdraw::domain::edit::{apply, arrange, fields};
use stackdraw::domain::export::export_all;
use stackdraw::domain::model::{Diagram, KindTag};
use stackdraw::domain::templates;
use stackdraw::domain::validate::analyze;
use stackdraw::worker_protocol::*;

fn diagram_of(answer: Answer) -> Diagram {
    match answer {
        Answer::Wire(bytes) => wire::decode(&bytes, &Limits::default()).unwrap(),
        other => panic!("expected a diagram, got {other:?}"),
    }
}

fn failure(answer: Answer) -> String {
    match answer {
        Answer::Failed(message) => message,
        other => panic!("expected a failure, got {other:?}"),
    }
}

#[test]
fn files_exports_images_and_templates_come_back_as_the_domain_makes_them() {
    let seed = templates::seed();

    assert_eq!(
        answer(&diagram_request(SAVE, &seed)),
        Answer::Text(encode_file(&seed))
    );
    assert_eq!(
        diagram_of(answer(&format!("{OPEN}{}", encode_file(&seed)))),
        seed
    );
    assert_eq!(diagram_of(answer(&format!("{TEMPLATE}seed"))), seed);

    let Answer::Files(files) = answer(&diagram_request(EXPORT, &seed)) else {
        panic!("exports expected");
    };
    let expected = export_all(&seed, &analyze(&seed));
    assert_eq!(files.len(), expected.len());
    for (file, want) in files.iter().zip(&expected) {
        assert_eq!((&file.path, &file.contents), (&want.path, &want.contents));
        assert!(file.html.starts_with("<span class=\"tok-"), "{}", file.path);
    }
    // A file's JSON text without a prefix is answered with its exports too.
    assert!(matches!(answer(&encode_file(&seed)), Answer::Files(f) if f.len() == expected.len()));

    let Answer::Text(svg) = answer(&diagram_request(&format!("{IMAGE}dark:"), &seed)) else {
        panic!("an image expected");
    };
    assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));

    let Answer::Wire(archive) = answer(&diagram_request(&format!("{ZIP}terraform:"), &seed)) else {
        panic!("an archive expected");
    };
    let contains = |needle: &str| {
        archive
            .windows(needle.len())
            .any(|w| w == needle.as_bytes())
    };
    assert!(contains("stackdraw/terraform/versions.tf"));
    assert!(
        contains("stackdraw/terraform/README.md"),
        "the module says how to apply it"
    );
    assert!(
        !contains("stackdraw/.circleci/config.yml"),
        "only the Terraform folder"
    );
}

#[test]
fn tidy_and_properties_answer_what_the_editing_commands_do() {
    let seed = templates::seed();
    let mut tidied = seed.clone();
    apply(&mut tidied, arrange::tidy(&seed, &id("vpc-main")).unwrap()).unwrap();
    assert_eq!(
        diagram_of(answer(&diagram_request(&format!("{TIDY}vpc-main:"), &seed))),
        tidied
    );

    let bastion = seed.node(&id("bastion")).unwrap();
    let kind = wire::to_base64url(&wire::encode_kind(&bastion.kind));
    let json = fields::properties_json(&bastion.kind);
    assert_eq!(
        answer(&format!("{PROPERTIES}{kind}")),
        Answer::Text(json.clone())
    );
    match answer(&format!("{KIND}bastion\n{json}")) {
        Answer::Wire(bytes) => assert_eq!(wire::decode_kind(&bytes).unwrap(), bastion.kind),
        other => panic!("{other:?}"),
    }
}

#[test]
fn bad_requests_say_what_is_wrong() {
    let seed = templates::seed();
    assert!(failure(answer(&format!("{SAVE}not base64 at all!"))).contains("base64"));
    assert!(!failure(answer(&format!("{SAVE}AAAA"))).is_empty());
    assert!(!failure(answer(&format!("{OPEN}{{\"schema_version\": 1"))).is_empty());
    assert!(failure(answer(&format!("{KIND}spaceship\n{{}}"))).contains("spaceship"));
    assert!(failure(answer(&format!("{KIND}bastion\n{{\"unknown\": 1}}"))).contains("properties"));
    assert!(!failure(answer(&diagram_request(&format!("{TIDY}internet:"), &seed))).is_empty());
    assert!(failure(answer(&diagram_request(
        &format!("{TIDY}not an id:"),
        &seed
    )))
    .contains("id"));
    assert!(failure(answer(&format!("{TEMPLATE}nope"))).contains("nope"));
    assert!(!failure(answer("plain words")).is_empty());
    // Replies as posted carry their prefix.
    assert_eq!(
        Answer::Failed("why".into()).to_message().as_deref(),
        Some("failed: why")
    );
    assert_eq!(
        Answer::Text("t".into()).to_message().as_deref(),
        Some("text:t")
    );
}

#[test]
fn an_opened_template_is_imported_with_its_report_and_a_diagram_file_opens_as_before() {
    use stackdraw::domain::import::report::{Outcome, Report};
    use stackdraw::worker_protocol::IMPORT;
    let seed = templates::seed();
    let analysis = stackdraw::domain::validate::analyze(&seed);
    let template = stackdraw::domain::export::bundle(
        &seed,
        &analysis,
        stackdraw::domain::export::Format::CloudFormationYaml,
    )
    .into_iter()
    .find(|f| f.path.starts_with("cloudformation"))
    .unwrap()
    .contents;
    let Answer::Text(text) = answer(&format!("{IMPORT}ap-northeast-1:stack.yaml\n{template}"))
    else {
        panic!("a template is answered as text");
    };
    let (diagram, report) = text.split_once('\n').unwrap();
    let diagram =
        wire::decode(&wire::from_base64url(diagram).unwrap(), &Default::default()).unwrap();
    assert_eq!(diagram.region, "ap-northeast-1");
    assert_eq!(diagram.name, "stack.yaml");
    let report = Report::decode(report);
    assert_eq!(report.items.len(), 56);
    // Each resource drawn (as its kind, or as an other resource) is a node.
    assert_eq!(
        report.count(|o| matches!(o, Outcome::Mapped | Outcome::Other(_))),
        diagram
            .nodes
            .iter()
            .filter(|n| report.items.iter().any(|i| i.logical_id == n.id.as_str()))
            .count()
    );
    assert!(report
        .items
        .iter()
        .any(|i| i.logical_id == "PipelineRole" && matches!(&i.outcome, Outcome::Other(_))));
    // The report survives its own line format.
    assert_eq!(Report::decode(&report.encode()), report);
    // A diagram file through the same door opens as it always did.
    let file = stackdraw::domain::codec::encode_file(&seed);
    assert_eq!(
        diagram_of(answer(&format!("{IMPORT}us-east-1:seed.json\n{file}"))),
        seed
    );
    // A broken template says where.
    let message = failure(answer(&format!(
        "{IMPORT}us-east-1:bad.yaml\nAWSTemplateFormatVersion: x\nResources: [1\n"
    )));
    assert!(message.contains("bad.yaml, line"), "{message}");
}

/// A zip archive written here, with entries that may lie about their
/// size (a bomb) or leave the folder.
fn zip_of(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let owned: Vec<(String, Vec<u8>)> = entries
        .iter()
        .map(|(p, b)| (p.to_string(), b.to_vec()))
        .collect();
    stackdraw::domain::export::zip::archive(&owned)
}

#[test]
fn a_terraform_module_opens_from_its_files_or_a_zip_of_its_folder() {
    use stackdraw::domain::import::report::Report;
    use stackdraw::worker_protocol::{file_entry, IMPORT_FILES};
    let seed = templates::seed();
    let analysis = stackdraw::domain::validate::analyze(&seed);
    let files: Vec<(String, String)> = stackdraw::domain::export::bundle(
        &seed,
        &analysis,
        stackdraw::domain::export::Format::Terraform,
    )
    .into_iter()
    .filter(|f| f.path.ends_with(".tf"))
    .map(|f| (f.path, f.contents))
    .collect();
    let subnets = |text: &str| {
        let (diagram, report) = text.split_once('\n').unwrap();
        let diagram =
            wire::decode(&wire::from_base64url(diagram).unwrap(), &Default::default()).unwrap();
        (
            diagram.nodes_of(KindTag::Subnet).count(),
            Report::decode(report),
        )
    };
    // Its .tf files, as picked or dropped.
    let mut request = format!("{IMPORT_FILES}us-east-1\n");
    for (path, text) in &files {
        let name = path.rsplit('/').next().unwrap();
        request.push_str(&file_entry(name, text, false));
    }
    let Answer::Text(text) = answer(&request) else {
        panic!(
            "a module is answered as text: {:?}",
            failure(answer(&request))
        );
    };
    let (count, report) = subnets(&text);
    assert_eq!(count, 4);
    assert!(report.items.iter().any(|i| i.file == "network.tf"));
    assert_eq!(report.missing_variables.len(), 2);
    // A zip of its folder (the exporter's own archive).
    let entries: Vec<(&str, &[u8])> = files
        .iter()
        .map(|(p, t)| (p.as_str(), t.as_bytes()))
        .collect();
    let zipped = wire::to_base64url(&zip_of(&entries));
    let request = format!(
        "{IMPORT_FILES}us-east-1\n{}",
        file_entry("module.zip", &zipped, true)
    );
    let Answer::Text(text) = answer(&request) else {
        panic!("a zip is answered as text: {:?}", failure(answer(&request)));
    };
    assert_eq!(subnets(&text).0, 4);
    // Hostile archives: refused with the reason.
    let escape = zip_of(&[("../outside.tf", b"resource \"aws_vpc\" \"v\" {}")]);
    let not_zip = b"PK but not an archive".to_vec();
    // A bomb: an entry whose directory claims more than the limit.
    let mut bomb = zip_of(&[("big.tf", b"# small")]);
    let directory = bomb
        .windows(4)
        .position(|w| w == [0x50, 0x4b, 0x01, 0x02])
        .unwrap();
    bomb[directory + 24..directory + 28].copy_from_slice(&(64u32 << 20).to_le_bytes());
    for (what, bytes, expected) in [
        (
            "a path leaving the folder",
            escape,
            "leaves the archive's folder",
        ),
        ("not a zip", not_zip, "not a zip archive"),
        ("a zip bomb", bomb, "more than the"),
    ] {
        let request = format!(
            "{IMPORT_FILES}us-east-1\n{}",
            file_entry("evil.zip", &wire::to_base64url(&bytes), true)
        );
        let message = failure(answer(&request));
        assert!(message.contains(expected), "{what}: {message}");
    }
    // Several CloudFormation templates at once go through the same door.
    let template =
        "Resources:\n  Vpc:\n    Type: AWS::EC2::VPC\n    Properties: { CidrBlock: 10.9.0.0/16 }\n";
    let request = format!(
        "{IMPORT_FILES}us-east-1\n{}{}",
        file_entry("a.yaml", template, false),
        file_entry("b.yaml", template, false)
    );
    let Answer::Text(text) = answer(&request) else {
        panic!("templates are answered as text");
    };
    let (diagram, _) = text.split_once('\n').unwrap();
    let diagram =
        wire::decode(&wire::from_base64url(diagram).unwrap(), &Default::default()).unwrap();
    assert_eq!(diagram.nodes_of(KindTag::Vpc).count(), 2);
    // A request cut short says so.
    let message = failure(answer(&format!(
        "{IMPORT_FILES}us-east-1\nt:999:x.tf\nshort"
    )));
    assert!(message.contains("cut short"), "{message}");
}

#[test]
fn the_worker_compares_two_versions_for_compare_mode() {
    use stackdraw::domain::diff::report::{parse_panel, PanelList};
    let old = templates::seed();
    let mut new = old.clone();
    new.nodes.retain(|n| n.id.as_str() != "nat-a");
    new.layout.remove(&id("nat-a"));
    for node in &mut new.nodes {
        if let stackdraw::domain::model::NodeKind::RouteTable(table) = &mut node.kind {
            table.routes.retain(|r| r.target.as_str() != "nat-a");
        }
    }
    let request = stackdraw::worker_protocol::diff_request(&encoded(&old), &new);
    let text = match answer(&request) {
        Answer::Text(text) => text,
        other => panic!("a diff answers with text, not {other:?}"),
    };
    let panel = parse_panel(&text);
    let direct = stackdraw::domain::diff::diff(&old, &new, Default::default());
    assert_eq!(
        panel.summary,
        stackdraw::domain::diff::report::summary(&direct)
    );
    // Every change is an item, in the diff's order, with what it selects.
    assert_eq!(panel.of(PanelList::Flow).count(), direct.flows.len());
    assert_eq!(panel.of(PanelList::Node).count(), direct.nodes.len());
    let removed = panel
        .of(PanelList::Node)
        .find(|item| item.mark == "removed")
        .unwrap();
    assert_eq!(removed.node.as_ref().map(|n| n.as_str()), Some("nat-a"));
    assert!(removed
        .text
        .starts_with("removed: NAT gateway \"nat-gateway-a\""));
    let pulls = panel
        .of(PanelList::Flow)
        .find(|item| item.text.contains("image pulls"))
        .unwrap();
    assert_eq!(pulls.mark, "worse");
    assert_eq!(pulls.node.as_ref().map(|n| n.as_str()), Some("service"));
    // The same version: no items.
    let Answer::Text(text) = answer(&stackdraw::worker_protocol::diff_request(
        &encoded(&old),
        &old,
    )) else {
        panic!("a diff answers with text");
    };
    let same = parse_panel(&text);
    assert!(same.items.is_empty() && same.summary.starts_with("no changes"));
    // A damaged version is refused, not guessed.
    assert!(matches!(answer("diff:AAAA:BBBB"), Answer::Failed(_)));
    assert!(matches!(answer("diff:"), Answer::Failed(_)));
}

#[test]
fn a_hostile_name_cannot_break_a_panel_line() {
    use stackdraw::domain::diff::report::{panel, parse_panel, PanelList};
    let old = templates::seed();
    let mut new = old.clone();
    for node in &mut new.nodes {
        if node.id.as_str() == "db" {
            node.name = "db\tnode\nsecond line\r\tx".into();
        }
    }
    let diff = stackdraw::domain::diff::diff(&old, &new, Default::default());
    let parsed = parse_panel(&panel(&diff));
    let renamed = parsed.of(PanelList::Node).next().unwrap();
    assert_eq!(renamed.node.as_ref().map(|n| n.as_str()), Some("db"));
    assert_eq!(
        parsed.items.len(),
        diff.nodes.len()
            + diff.flows.len()
            + diff.scopes.len()
            + diff.diagnostics.len()
            + diff.edges.len()
    );
}

/// A large diagram just opened: the app searches only a few lines at once
/// (the rest drawn in simple shapes, counted), and the worker's routes,
/// carried back, draw every line as searching them here would.
#[test]
fn the_worker_routes_a_large_diagram_and_its_routes_draw_what_the_search_would() {
    use stackdraw::domain::route::route_via;
    use stackdraw::domain::scene::{CarriedRoutes, Reuse, Scene};
    let diagram = templates::generated(400);
    let searched = Scene::of(&diagram);
    assert_eq!(searched.unsearched, 0);
    let lines = searched.edges.len() + searched.links.len();
    let few = Scene::update_with(
        &diagram,
        None,
        Some(route_via),
        Some(Reuse::new()),
        None,
        Some(10),
    );
    assert!(few.unsearched > lines / 2, "{} of {lines}", few.unsearched);
    assert!(few.edges != searched.edges, "the others take simple shapes");

    let text = match answer(&diagram_request(ROUTES, &diagram)) {
        Answer::Text(text) => text,
        other => panic!("expected routes, got {other:?}"),
    };
    let carried = CarriedRoutes::decode(&text);
    let arrived = Scene::update_with(
        &diagram,
        Some(&few),
        Some(route_via),
        Some(Reuse::new()),
        Some(&carried),
        Some(10),
    );
    assert_eq!(arrived.unsearched, 0);
    assert!(arrived.edges == searched.edges, "the edges as searched");
    assert!(arrived.links == searched.links, "the links as searched");
    // What does not read is left out, not guessed.
    let CarriedRoutes::Found(kept) = CarriedRoutes::decode(&format!(
        "a b - 1 2 3\nc d - 1 x 3 4\n\u{0} e - 1 2 3 4\nh i - 1 2 3 {nan:x}\nf g - 1 2 3 4",
        nan = f64::NAN.to_bits()
    )) else {
        panic!("found routes")
    };
    assert_eq!(kept.len(), 1);
    assert!(matches!(
        answer(&format!("{ROUTES}not base64")),
        Answer::Failed(_)
    ));
}
