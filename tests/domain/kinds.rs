//! docs/kinds.md: every kind, and what each of its duties does, read from
//! the code that does it — the palette's entry, the icons, the inspector's
//! fields, where a drop lands or is refused, the rules that name it, the
//! flows it takes part in, what each exporter writes for it, what each
//! importer maps back to it, and its tag in the binary form. A kind with an
//! empty cell fails: adding a kind means filling its row.
//! `UPDATE_FIXTURES=1 cargo test --test domain kinds` rewrites the file.

use crate::support::{assert_matches_path, fixture_path, read_fixture};
use stackdraw::domain::codec::{decode_file, wire};
use stackdraw::domain::edit::fields::fields_of;
use stackdraw::domain::edit::place::{contains, drop_hint, place};
use stackdraw::domain::export::{cloudformation, terraform, Format};
use stackdraw::domain::import::{self, report::Outcome, Options};
use stackdraw::domain::model::*;
use stackdraw::domain::templates;
use stackdraw::domain::validate::{analyze, FlowKind};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// The diagrams the table is read from: every template and the fixture that
/// holds every kind.
fn diagrams() -> Vec<Diagram> {
    let mut diagrams: Vec<Diagram> = templates::TEMPLATES.iter().map(|t| t.build()).collect();
    diagrams.push(decode_file(&read_fixture("every-kind.json")).unwrap());
    diagrams
}

/// The rule fixtures that make each rule fire.
fn triggers() -> Vec<Diagram> {
    let folder = fixture_path("rules");
    let mut names: Vec<String> = std::fs::read_dir(&folder)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".trigger.json"))
        .collect();
    names.sort();
    names
        .iter()
        .map(|name| decode_file(&read_fixture(&format!("rules/{name}"))).unwrap())
        .collect()
}

type Cells = BTreeMap<KindTag, BTreeSet<String>>;

fn add(cells: &mut Cells, kind: KindTag, text: impl Into<String>) {
    cells.entry(kind).or_default().insert(text.into());
}

fn kind_of(diagram: &Diagram, id: &NodeId) -> Option<KindTag> {
    diagram.node(id).map(Node::tag)
}

fn icon_cell(kind: KindTag) -> String {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let sprite = std::fs::read_to_string(root.join("assets/icons.svg")).unwrap();
    let mut parts = Vec::new();
    if sprite.contains(&format!("<symbol id=\"{}\"", kind.as_str())) {
        parts.push(format!("pictogram `icons.svg#{}`", kind.as_str()));
    }
    let official = format!("assets/aws-icons/{}.svg", kind.as_str());
    let has_file = root.join(&official).is_file();
    assert_eq!(
        has_file,
        stackdraw::domain::scene::has_aws_icon(kind),
        "{official} exists exactly when scene::has_aws_icon says so"
    );
    if has_file {
        parts.push(format!("AWS `aws-icons/{}.svg`", kind.as_str()));
    } else if !parts.is_empty() {
        parts.push("(AWS's set has none)".into());
    }
    parts.join(", ")
}

/// Where a drop of each kind lands in the seed: on the bare canvas, on its
/// VPC outside the subnets, in a subnet; a refusal shows its reason.
fn placement_cells() -> BTreeMap<KindTag, String> {
    let seed = templates::by_name("seed").unwrap().build();
    let vpc = seed.nodes_of(KindTag::Vpc).next().unwrap();
    let vpc_rect = seed.layout[&vpc.id];
    let subnets: Vec<Rect> = seed
        .nodes_of(KindTag::Subnet)
        .map(|n| seed.layout[&n.id])
        .collect();
    let subnet = subnets[0];
    let in_subnet = (subnet.x + subnet.w / 2.0, subnet.y + subnet.h / 2.0);
    let on_vpc = (0..200)
        .flat_map(|i| (0..200).map(move |j| (i, j)))
        .map(|(i, j)| {
            (
                vpc_rect.x + 8.0 + i as f64 * 4.0,
                vpc_rect.y + 8.0 + j as f64 * 4.0,
            )
        })
        .find(|point| contains(&vpc_rect, *point) && !subnets.iter().any(|s| contains(s, *point)))
        .expect("the seed's VPC has room outside its subnets");
    let bounds = seed
        .layout
        .values()
        .fold(f64::INFINITY, |left, r| left.min(r.x));
    let on_canvas = (bounds - 400.0, vpc_rect.y);
    KindTag::ALL
        .iter()
        .map(|&kind| {
            let spots = [
                ("canvas", on_canvas),
                ("VPC", on_vpc),
                ("subnet", in_subnet),
            ];
            let outcomes: Vec<String> = spots
                .iter()
                .map(|(spot, point)| match place(&seed, kind, *point) {
                    Ok(_) => format!("{spot}: yes"),
                    Err(reason) => format!("{spot}: refused, \"{reason}\""),
                })
                .collect();
            (
                kind,
                format!("{}. {}", drop_hint(kind), outcomes.join("; ")),
            )
        })
        .collect()
}

fn flow_name(kind: FlowKind) -> &'static str {
    match kind {
        FlowKind::Drawn => "drawn",
        FlowKind::ImagePull => "image pulls",
        FlowKind::Secrets => "secrets",
        FlowKind::Origin => "origins",
        FlowKind::Query => "queries",
    }
}

/// What each importer draws back from the exports of `diagram`: for each
/// kind the export holds and the import draws again, the types of that
/// kind's resources the importer read (mapped or folded in).
fn import_cells(diagram: &Diagram, exported: &[Cells; 2], cells: &mut Cells) {
    let options = Options {
        region: diagram.region.clone(),
        ..Options::default()
    };
    let files = stackdraw::domain::export::export(diagram, Format::CloudFormationYaml);
    let template = &files
        .iter()
        .find(|file| file.path.ends_with(".yaml"))
        .unwrap()
        .contents;
    let cfn = import::import_cloudformation("template.yaml", template, &options).unwrap();
    let module: Vec<(String, String)> =
        stackdraw::domain::export::export(diagram, Format::Terraform)
            .into_iter()
            .filter(|file| file.path.ends_with(".tf"))
            .map(|file| (file.path, file.contents))
            .collect();
    let tf = import::import_terraform(&module, &options).unwrap();
    for (imported, format, exported) in [
        (cfn, "CloudFormation", &exported[0]),
        (tf, "Terraform", &exported[1]),
    ] {
        let read: BTreeSet<String> = imported
            .report
            .items
            .iter()
            .filter(|item| matches!(item.outcome, Outcome::Mapped | Outcome::Folded(_)))
            .map(|item| format!("`{}`", item.resource_type))
            .collect();
        let drawn: BTreeSet<KindTag> = imported.diagram.nodes.iter().map(Node::tag).collect();
        for node in &diagram.nodes {
            let kind = node.tag();
            if !drawn.contains(&kind) {
                continue;
            }
            let types: Vec<&String> = exported
                .get(&kind)
                .into_iter()
                .flatten()
                .filter(|ty| read.contains(*ty))
                .collect();
            if types.is_empty() && exported.get(&kind).is_none() && kind != KindTag::OtherResource {
                // Nothing of its own to read: drawn from what names it.
                add(
                    cells,
                    kind,
                    format!("{format}: drawn from the security-group rules that admit it"),
                );
            }
            for ty in types {
                add(cells, kind, format!("{format}: {ty}"));
            }
        }
        if drawn.contains(&KindTag::OtherResource) {
            add(
                cells,
                KindTag::OtherResource,
                format!("{format}: any type not modelled"),
            );
        }
    }
}

/// The flows of `diagram` each kind starts, ends, lies on or stops.
fn flow_cells(diagram: &Diagram, flows: &mut Cells) {
    for flow in &analyze(diagram).flows {
        let name = flow_name(flow.kind);
        let mut roles = vec![(Some(&flow.from), "from")];
        roles.push((flow.to.as_ref(), "to"));
        roles.extend(
            flow.hops
                .iter()
                .map(|hop| (hop.node.as_ref(), "on the path")),
        );
        roles.push((
            flow.blocked.as_ref().and_then(|b| b.node.as_ref()),
            "stops it",
        ));
        for (node, role) in roles {
            if let Some(kind) = node.and_then(|node| kind_of(diagram, node)) {
                add(flows, kind, format!("{name}: {role}"));
            }
        }
    }
}

fn table() -> String {
    let diagrams = diagrams();
    let mut fields = Cells::new();
    let mut rules = Cells::new();
    let mut flows = Cells::new();
    let mut cfn = Cells::new();
    let mut tf = Cells::new();
    let mut imports = Cells::new();
    for diagram in &diagrams {
        for node in &diagram.nodes {
            for field in fields_of(diagram, node) {
                add(&mut fields, node.tag(), field.label);
            }
        }
        for (id, types) in cloudformation::types_by_node(diagram) {
            let kind = kind_of(diagram, &id).unwrap();
            for ty in types {
                add(&mut cfn, kind, format!("`{ty}`"));
            }
        }
        for (id, types) in terraform::types_by_node(diagram) {
            let kind = kind_of(diagram, &id).unwrap();
            for ty in types {
                add(&mut tf, kind, format!("`{ty}`"));
            }
        }
        flow_cells(diagram, &mut flows);
        import_cells(diagram, &[cfn.clone(), tf.clone()], &mut imports);
    }
    for diagram in triggers() {
        flow_cells(&diagram, &mut flows);
        for diagnostic in analyze(&diagram).diagnostics {
            let rule = format!("VR-{}", diagnostic.rule);
            let mut named: Vec<NodeId> = diagnostic.nodes.clone();
            for edge in &diagnostic.edges {
                if let Some(edge) = diagram.edges.iter().find(|e| &e.id == edge) {
                    named.extend([edge.from.clone(), edge.to.clone()]);
                }
            }
            for id in named {
                if let Some(kind) = kind_of(&diagram, &id) {
                    add(&mut rules, kind, rule.clone());
                }
            }
        }
    }
    let placement = placement_cells();
    let join = |cells: &Cells, kind: KindTag| {
        let mut items: Vec<&String> = cells
            .get(&kind)
            .map(|set| set.iter().collect())
            .unwrap_or_default();
        // VR-2 before VR-10.
        items.sort_by_key(|item| {
            let rule = item.strip_prefix("VR-").and_then(|n| n.parse::<u32>().ok());
            (rule.unwrap_or(0), (*item).clone())
        });
        items
            .iter()
            .map(|item| item.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };

    let mut out = String::from(
        "# Kinds\n\n\
         Generated by `tests/domain/kinds.rs` from the code that does each duty\n\
         (`UPDATE_FIXTURES=1 cargo test --test domain kinds` rewrites it); a\n\
         kind with an empty cell fails the test; a duty a kind has no part in\n\
         says why (`KindTag::no_part_in`), and the test fails if it does take\n\
         part. The columns name where each duty lives:\n\n\
         - **Palette**: `KindTag::category` and `KindTag::synonyms` (`src/domain/model/kind.rs`).\n\
         - **Icon**: `assets/icons.svg` (stackdraw's pictograms) and `assets/aws-icons/`\n  \
           (`scripts/refresh-aws-icons.mjs`, `scene::has_aws_icon`, `image.rs`).\n\
         - **Fields**: `edit::fields::fields_of` and `edit::item_fields` (the inspector).\n\
         - **Placement**: `edit::place::place` and `drop_hint`: a drop on the seed's\n  \
           bare canvas, on its VPC outside the subnets, and in a subnet.\n\
         - **Rules**: the VR ids whose trigger fixture (`tests/fixtures/rules/`) names a\n  \
           node of the kind (docs/rules.md).\n\
         - **Flows**: `validate::reach`: the flows of the templates, of\n  \
           `tests/fixtures/every-kind.json` and of the rule fixtures that the kind\n  \
           starts, ends, lies on or stops.\n\
         - **CloudFormation** and **Terraform**: what `export::cloudformation::add_node`\n  \
           and `export::terraform::add_node` write for one node.\n\
         - **Import**: the types `import::cfn_map` and `import::tf_map` map back to the\n  \
           kind, read from the round trip of those diagrams' exports.\n\
         - **Link format**: the kind's tag in the binary form (`codec/wire.rs`), which\n  \
           share links, review links and browser storage carry, and the file format's\n  \
           `kind` key (`model/node.rs`) with the schema version a file holding it\n  \
           is written in (`Diagram::written_version`).\n\n",
    );
    out.push_str(
        "| kind | palette | icon | fields | placement | rules | flows | CloudFormation | Terraform | import | link format |\n\
         | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n",
    );
    let every_kind = diagrams.last().unwrap();
    let mut empty = Vec::new();
    for &kind in KindTag::ALL.iter() {
        let sample = every_kind
            .nodes
            .iter()
            .find(|node| node.tag() == kind)
            .unwrap_or_else(|| panic!("every-kind.json holds no {}", kind.as_str()));
        let bytes = wire::encode_kind(&sample.kind);
        assert_eq!(
            wire::decode_kind(&bytes).unwrap(),
            sample.kind,
            "{} round-trips",
            kind.as_str()
        );
        let mut alone = every_kind.clone();
        alone.nodes = vec![sample.clone()];
        alone.edges.clear();
        alone.scopes.clear();
        alone.layout.clear();
        let link = format!(
            "tag {} · file `\"{}\"` (written as schema {})",
            bytes[0],
            kind.as_str(),
            alone.written_version()
        );
        let palette = format!(
            "{}: {}",
            kind.category().label(),
            kind.synonyms().join(", ")
        );
        // A duty a kind has no part in shows why, and only when it has none.
        let duty = |cells: &[&Cells], duty: Duty| {
            let text: Vec<String> = cells.iter().map(|cells| join(cells, kind)).collect();
            let found = text.iter().any(|text| !text.is_empty());
            match kind.no_part_in(duty) {
                Some(reason) => {
                    assert!(
                        !found,
                        "{} is said to have no part in {duty:?} ({reason}), but: {text:?}",
                        kind.as_str()
                    );
                    vec![reason.to_string(); cells.len()]
                }
                None => text,
            }
        };
        let exports = duty(&[&cfn, &tf], Duty::Export);
        let row = [
            format!("{} `{}`", kind.label(), kind.as_str()),
            palette,
            icon_cell(kind),
            join(&fields, kind),
            placement[&kind].clone(),
            duty(&[&rules], Duty::Rules).remove(0),
            duty(&[&flows], Duty::Flows).remove(0),
            exports[0].clone(),
            exports[1].clone(),
            duty(&[&imports], Duty::Import).remove(0),
            link,
        ];
        let columns = [
            "kind",
            "palette",
            "icon",
            "fields",
            "placement",
            "rules",
            "flows",
            "CloudFormation",
            "Terraform",
            "import",
            "link format",
        ];
        for (cell, column) in row.iter().zip(columns) {
            if cell.trim().is_empty() {
                empty.push(format!("{}: {column}", kind.as_str()));
            }
        }
        let cells: Vec<String> = row.iter().map(|cell| cell.replace('|', "\\|")).collect();
        out.push_str(&format!("| {} |\n", cells.join(" | ")));
    }
    assert!(
        empty.is_empty(),
        "kinds with an empty duty:\n{}\n\n{out}",
        empty.join("\n")
    );
    out
}

#[test]
fn docs_kinds_lists_every_duty_of_every_kind() {
    let text = table();
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/kinds.md");
    assert_matches_path(&path, &text);
}
