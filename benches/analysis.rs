//! Validation + reachability, and every export, of generated diagrams, timed
//! natively. `cargo bench --bench analysis` prints medians and p95 with the
//! budgets.

use stackdraw::domain::export::export_all;
use stackdraw::domain::templates;
use stackdraw::domain::validate::analyze;
use std::hint::black_box;
use std::time::{Duration, Instant};

/// Full analysis of a 2,000-node diagram must fit in this (README, Performance).
const BUDGET_2000: Duration = Duration::from_millis(5);
/// Validation and reachability of 5,000 nodes, natively (issue: scale).
const BUDGET_5000: Duration = Duration::from_millis(12);
/// Every export of a 2,000-node diagram must fit in this.
const EXPORT_BUDGET_2000: Duration = Duration::from_millis(50);
/// Importing a template of 2,000 resources must fit in this (issue: import).
const IMPORT_BUDGET_2000: Duration = Duration::from_millis(100);
/// Comparing two 2,000-node versions, both analysed, must fit in this
/// (issue: review a change).
const DIFF_BUDGET_2000: Duration = Duration::from_millis(20);
const WARM_UP: usize = 5;
const SAMPLES: usize = 41;

fn percentile(sorted: &[Duration], fraction: f64) -> Duration {
    let at = ((sorted.len() - 1) as f64 * fraction).round() as usize;
    sorted[at]
}

/// Median and p95 of `run`, after warming up.
fn time(mut run: impl FnMut()) -> (Duration, Duration) {
    for _ in 0..WARM_UP {
        run();
    }
    let mut times: Vec<Duration> = (0..SAMPLES)
        .map(|_| {
            let start = Instant::now();
            run();
            start.elapsed()
        })
        .collect();
    times.sort();
    (percentile(&times, 0.5), percentile(&times, 0.95))
}

fn verdict(size: usize, median: Duration, budget: Duration) -> String {
    match (size == 2_000, median <= budget) {
        (false, _) => String::new(),
        (true, true) => format!("ok (<= {budget:?})"),
        (true, false) => format!("OVER ({budget:?})"),
    }
}

/// Results as JSON lines for `bench/run.mjs`: `--json FILE` writes them.
static RESULTS: std::sync::Mutex<Vec<String>> = std::sync::Mutex::new(Vec::new());

fn record(line: String) {
    if let Ok(mut results) = RESULTS.lock() {
        results.push(line);
    }
}

fn main() {
    analysis();
    scenes();
    crossings();
    exports();
    imports();
    diffs();
    links();
    let args: Vec<String> = std::env::args().collect();
    if let Some(at) = args.iter().position(|a| a == "--json") {
        if let (Some(path), Ok(results)) = (args.get(at + 1), RESULTS.lock()) {
            let body = format!("[\n  {}\n]\n", results.join(",\n  "));
            if let Err(error) = std::fs::write(path, body) {
                eprintln!("cannot write {path}: {error}");
            }
        }
    }
}

/// Two versions compared: both analysed, nodes matched, facts, flows,
/// scopes and diagnostics compared. The newer version renames one node in
/// twenty and empties the rules of one security group in ten; matched by id,
/// and by structure with every id changed (and no renames).
fn diffs() {
    use stackdraw::domain::diff::{diff, Strategy};
    use stackdraw::domain::model::{NodeId, NodeKind};
    println!();
    println!("diff of two versions (both analysed), {SAMPLES} samples");
    println!(
        "{:>7} {:>10} {:>12} {:>12}  budget",
        "nodes", "matching", "median", "p95"
    );
    for size in [500, 1_000, 2_000] {
        let old = templates::generated(size);
        let mut new = old.clone();
        let mut groups = 0;
        for (at, node) in new.nodes.iter_mut().enumerate() {
            if at % 20 == 0 {
                node.name.push_str(" v2");
            }
            if let NodeKind::SecurityGroup(group) = &mut node.kind {
                groups += 1;
                if groups % 10 == 0 {
                    group.ingress.clear();
                }
            }
        }
        let renamed: std::collections::BTreeMap<NodeId, NodeId> = new
            .nodes
            .iter()
            .filter_map(|n| Some((n.id.clone(), NodeId::new(format!("x{}", n.id)).ok()?)))
            .collect();
        // An independent import of the newer version: the same names, other
        // ids (renaming a node is a different node to this matching).
        let mut other_ids = new.clone();
        for (old_node, node) in old.nodes.iter().zip(other_ids.nodes.iter_mut()) {
            node.name = old_node.name.clone();
        }
        for node in &mut other_ids.nodes {
            if let Ok(kind) = stackdraw::domain::codec::wire::renamed_kind(&node.kind, &renamed) {
                node.kind = kind;
            }
            node.id = renamed[&node.id].clone();
        }
        for edge in &mut other_ids.edges {
            edge.from = renamed[&edge.from].clone();
            edge.to = renamed[&edge.to].clone();
        }
        other_ids.layout.clear();
        for (matching, newer, strategy) in [
            ("id", &new, Strategy::Id),
            ("structure", &other_ids, Strategy::Structure),
        ] {
            let changes = diff(&old, newer, strategy);
            let (median, p95) = time(|| {
                black_box(diff(black_box(&old), black_box(newer), strategy));
            });
            println!(
                "{:>7} {:>10} {:>12?} {:>12?}  {}  ({} node, {} flow changes)",
                size,
                matching,
                median,
                p95,
                verdict(size, median, DIFF_BUDGET_2000),
                changes.nodes.len(),
                changes.flows.len()
            );
            record(format!(
                "{{\"measure\":\"diff_native\",\"nodes\":{size},\"matching\":\"{matching}\",\"median_ms\":{:.3},\"p95_ms\":{:.3},\"budget_ms\":{},\"node_changes\":{},\"flow_changes\":{}}}",
                median.as_secs_f64() * 1e3,
                p95.as_secs_f64() * 1e3,
                if size == 2_000 { DIFF_BUDGET_2000.as_millis().to_string() } else { "null".into() },
                changes.nodes.len(),
                changes.flows.len()
            ));
        }
    }
}

/// Share-link length of the seed and of a 500-node diagram.
fn links() {
    use stackdraw::domain::codec::link::{encode_link, SAFE_LINK_CHARS};
    println!();
    println!("share links (characters after the #; {SAFE_LINK_CHARS} survive chat and email)");
    for (name, diagram) in [
        ("seed", templates::seed()),
        ("generated-500", templates::generated(500)),
    ] {
        let length = encode_link(&diagram).len();
        println!(
            "{name:>14} {:>6} nodes {length:>8} characters",
            diagram.nodes.len()
        );
        record(format!(
            "{{\"measure\":\"link_length\",\"diagram\":\"{name}\",\"nodes\":{},\"characters\":{length},\"budget\":{SAFE_LINK_CHARS}}}",
            diagram.nodes.len()
        ));
    }
}

/// The scene (boxes, routed connectors, placed labels) of generated diagrams.
fn scenes() {
    use stackdraw::domain::scene::Scene;
    println!();
    println!("scene with routed connectors, {SAMPLES} samples");
    println!(
        "{:>6} {:>6} {:>12} {:>12}",
        "nodes", "lines", "median", "p95"
    );
    for size in [200, 1_000, 2_000] {
        let diagram = templates::generated(size);
        let lines = {
            let scene = Scene::of(&diagram);
            scene.edges.len() + scene.links.len()
        };
        let (median, p95) = time(|| {
            black_box(Scene::of(black_box(&diagram)));
        });
        println!(
            "{:>6} {:>6} {:>12?} {:>12?}",
            diagram.nodes.len(),
            lines,
            median,
            p95
        );
        record(format!(
            "{{\"measure\":\"scene_native\",\"nodes\":{},\"lines\":{lines},\"median_ms\":{:.3},\"p95_ms\":{:.3}}}",
            diagram.nodes.len(),
            median.as_secs_f64() * 1e3,
            p95.as_secs_f64() * 1e3,
        ));
    }
}

/// How many times connectors cross each other in each template: a count to
/// keep from growing.
fn crossings() {
    use stackdraw::domain::scene::Scene;
    println!();
    println!("connector crossings per template");
    for template in templates::TEMPLATES {
        let scene = Scene::of(&template.build());
        let count = scene.crossings();
        println!("{:>14} {count:>4}", template.name);
        record(format!(
            "{{\"measure\":\"crossings\",\"diagram\":\"{}\",\"crossings\":{count}}}",
            template.name
        ));
    }
}

fn exports() {
    println!();
    println!("all exports (CloudFormation YAML and JSON), {SAMPLES} samples");
    println!("{:>6} {:>12} {:>12}  budget", "nodes", "median", "p95");
    for size in [100, 500, 2_000] {
        let diagram = templates::generated(size);
        let analysis = analyze(&diagram);
        let (median, p95) = time(|| {
            black_box(export_all(black_box(&diagram), &analysis));
        });
        println!(
            "{:>6} {:>12?} {:>12?}  {}",
            diagram.nodes.len(),
            median,
            p95,
            verdict(size, median, EXPORT_BUDGET_2000)
        );
        record(format!(
            "{{\"measure\":\"exports_native\",\"nodes\":{},\"median_ms\":{:.3},\"p95_ms\":{:.3},\"budget_ms\":{}}}",
            diagram.nodes.len(),
            median.as_secs_f64() * 1e3,
            p95.as_secs_f64() * 1e3,
            if size == 2_000 { EXPORT_BUDGET_2000.as_millis().to_string() } else { "null".into() }
        ));
    }
}

/// Importing the CloudFormation the exporter writes for generated diagrams:
/// read, evaluated, mapped and laid out. The budget is for 2,000 resources:
/// the row of about that many (870 nodes) is judged; 1,200 nodes (about
/// 2,770 resources) shows how it grows.
fn imports() {
    use stackdraw::domain::export::{bundle, Format};
    use stackdraw::domain::import::{import_cloudformation, Options};
    println!();
    println!(
        "CloudFormation import (YAML, read, evaluated, drawn and laid out), {SAMPLES} samples"
    );
    println!("{:>9} {:>12} {:>12}  budget", "resources", "median", "p95");
    for size in [100, 500, 870, 1_200] {
        let diagram = templates::generated(size);
        let analysis = analyze(&diagram);
        let Some(template) = bundle(&diagram, &analysis, Format::CloudFormationYaml)
            .into_iter()
            .find(|f| f.path.starts_with("cloudformation"))
        else {
            continue;
        };
        let options = Options {
            region: diagram.region.clone(),
            ..Options::default()
        };
        let resources = match import_cloudformation("bench", &template.contents, &options) {
            Ok(imported) => imported.report.items.len(),
            Err(error) => {
                println!("import of {size} nodes failed: {error}");
                continue;
            }
        };
        let (median, p95) = time(|| {
            black_box(import_cloudformation("bench", black_box(&template.contents), &options).ok());
        });
        let judged = (1_800..=2_200).contains(&resources);
        println!(
            "{:>9} {:>12?} {:>12?}  {}",
            resources,
            median,
            p95,
            if judged {
                verdict(2_000, median, IMPORT_BUDGET_2000)
            } else {
                String::new()
            }
        );
        record(format!(
            "{{\"measure\":\"import_native\",\"resources\":{resources},\"median_ms\":{:.3},\"p95_ms\":{:.3},\"budget_ms\":{}}}",
            median.as_secs_f64() * 1e3,
            p95.as_secs_f64() * 1e3,
            if judged { IMPORT_BUDGET_2000.as_millis().to_string() } else { "null".into() }
        ));
    }
    println!();
    println!(
        "Terraform import (the module's .tf files, parsed, evaluated, drawn and laid out), {SAMPLES} samples"
    );
    println!("{:>9} {:>12} {:>12}  budget", "resources", "median", "p95");
    for size in [100, 500, 870, 1_200] {
        let diagram = templates::generated(size);
        let analysis = analyze(&diagram);
        let files: Vec<(String, String)> = bundle(&diagram, &analysis, Format::Terraform)
            .into_iter()
            .filter(|f| f.path.ends_with(".tf"))
            .map(|f| (f.path, f.contents))
            .collect();
        let options = Options::default();
        let resources = match stackdraw::domain::import::import_terraform(&files, &options) {
            Ok(imported) => imported.report.items.len(),
            Err(error) => {
                println!("import of {size} nodes failed: {error}");
                continue;
            }
        };
        let (median, p95) = time(|| {
            black_box(
                stackdraw::domain::import::import_terraform(black_box(&files), &options).ok(),
            );
        });
        let judged = (1_800..=2_200).contains(&resources);
        println!(
            "{:>9} {:>12?} {:>12?}  {}",
            resources,
            median,
            p95,
            if judged {
                verdict(2_000, median, IMPORT_BUDGET_2000)
            } else {
                String::new()
            }
        );
        record(format!(
            "{{\"measure\":\"import_terraform_native\",\"resources\":{resources},\"median_ms\":{:.3},\"p95_ms\":{:.3},\"budget_ms\":{}}}",
            median.as_secs_f64() * 1e3,
            p95.as_secs_f64() * 1e3,
            if judged { IMPORT_BUDGET_2000.as_millis().to_string() } else { "null".into() }
        ));
    }
}

fn analysis() {
    println!("validation + reachability, {SAMPLES} samples after {WARM_UP} warm-up runs");
    println!(
        "{:>6} {:>6} {:>6} {:>12} {:>12}  budget",
        "nodes", "edges", "flows", "median", "p95"
    );
    let mut medians = Vec::new();
    for size in [100, 500, 1_000, 2_000, 5_000] {
        let diagram = templates::generated(size);
        for _ in 0..WARM_UP {
            black_box(analyze(black_box(&diagram)));
        }
        let mut times: Vec<Duration> = (0..SAMPLES)
            .map(|_| {
                let start = Instant::now();
                black_box(analyze(black_box(&diagram)));
                start.elapsed()
            })
            .collect();
        times.sort();
        let median = percentile(&times, 0.5);
        medians.push((size, median));
        let budget = match size {
            2_000 => Some(BUDGET_2000),
            5_000 => Some(BUDGET_5000),
            _ => None,
        };
        let verdict = match budget {
            Some(budget) if median <= budget => format!("ok (<= {budget:?})"),
            Some(budget) => format!("OVER ({budget:?})"),
            None => String::new(),
        };
        let flows = analyze(&diagram).flows.len();
        record(format!(
            "{{\"measure\":\"analysis_native\",\"nodes\":{},\"median_ms\":{:.3},\"p95_ms\":{:.3},\"budget_ms\":{}}}",
            diagram.nodes.len(),
            median.as_secs_f64() * 1e3,
            percentile(&times, 0.95).as_secs_f64() * 1e3,
            budget.map_or("null".into(), |budget| budget.as_millis().to_string())
        ));
        println!(
            "{:>6} {:>6} {:>6} {:>12?} {:>12?}  {verdict}",
            diagram.nodes.len(),
            diagram.edges.len(),
            flows,
            median,
            percentile(&times, 0.95)
        );
    }
    let of = |nodes: usize| {
        medians
            .iter()
            .find(|(size, _)| *size == nodes)
            .map(|(_, m)| m.as_secs_f64())
    };
    if let (Some(small), Some(large)) = (of(1_000), of(5_000)) {
        let growth = large / small;
        println!("growth from 1,000 to 5,000 nodes: x{growth:.1} (at most x6)");
        record(format!("{{\"measure\":\"analysis_growth\",\"from\":1000,\"to\":5000,\"ratio\":{growth:.2},\"budget\":6}}"));
    }
}
