//! The command-line tool, run as a user would.

use crate::support::fixture_path;
use std::process::{Command, Output};

fn stackdraw(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_stackdraw"))
        .args(args)
        .output()
        .expect("the stackdraw binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn template_seed_prints_the_seed_fixture() {
    let output = stackdraw(&["template", "seed"]);
    assert!(output.status.success());
    assert_eq!(
        text(&output.stdout),
        crate::support::read_fixture("seed.json")
    );
}

#[test]
fn template_without_a_name_lists_the_templates_and_an_unknown_name_fails() {
    let list = stackdraw(&["template"]);
    assert!(list.status.success());
    assert!(text(&list.stdout).contains("seed"));

    let unknown = stackdraw(&["template", "nope"]);
    assert_eq!(unknown.status.code(), Some(2));
    assert!(text(&unknown.stderr).contains("no template named \"nope\""));
}

#[test]
fn check_accepts_a_good_file() {
    let path = fixture_path("seed.json");
    let output = stackdraw(&["check", path.to_str().unwrap()]);
    assert_eq!(text(&output.stdout), "ok\n");
    assert_eq!(output.status.code(), Some(0));
}

#[test]
fn check_refuses_a_bad_file_with_the_path_of_the_mistake() {
    let path = fixture_path("malformed/dangling-parent.json");
    let output = stackdraw(&["check", path.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    assert!(output.stdout.is_empty());
    let message = text(&output.stderr);
    assert!(message.contains("nodes[5].kind.subnet.vpc"), "{message}");
    assert!(!message.contains("panicked"), "{message}");
}

#[test]
fn check_reports_a_missing_or_binary_file_clearly() {
    let output = stackdraw(&["check", "/no/such/file.json"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(text(&output.stderr).contains("cannot read /no/such/file.json"));

    let binary = std::env::temp_dir().join(format!("stackdraw-binary-{}.json", std::process::id()));
    std::fs::write(&binary, [0xff, 0xfe, 0x00, 0x7b]).unwrap();
    let output = stackdraw(&["check", binary.to_str().unwrap()]);
    std::fs::remove_file(&binary).ok();
    assert_eq!(output.status.code(), Some(1));
    assert!(text(&output.stderr).contains("is not UTF-8"));
}

#[test]
fn check_reads_standard_input() {
    use std::io::Write;
    let mut child = Command::new(env!("CARGO_BIN_EXE_stackdraw"))
        .args(["check", "-"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(b"{\"schema_version\": 1,")
        .unwrap();
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(text(&output.stderr).contains("not valid JSON"));
}

#[test]
fn validate_prints_diagnostics_flows_and_scopes_and_exits_by_errors() {
    let seed = fixture_path("seed.json");
    let output = stackdraw(&["validate", seed.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let report = text(&output.stdout);
    assert!(report.contains("VR-18"), "{report}");
    assert!(report.contains("summary: 0 errors"), "{report}");
    assert!(report.contains("11 of 11 flows reachable"), "{report}");

    let broken = fixture_path("rules/VR-43-db-closed-to-service.trigger.json");
    let output = stackdraw(&["validate", broken.to_str().unwrap(), "--format", "json"]);
    assert_eq!(output.status.code(), Some(1));
    let json: serde_json::Value =
        serde_json::from_slice(&output.stdout).expect("validate --format json prints JSON");
    assert!(json["summary"]["errors"].as_u64().unwrap() >= 1);
    let diagnostic = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["rule"] == "VR-43")
        .expect("a VR-43 diagnostic");
    assert_eq!(diagnostic["severity"], "error");
    assert_eq!(diagnostic["edges"][0], "e-service-db");
    assert!(diagnostic["fix"]
        .as_str()
        .unwrap()
        .starts_with("Allow inbound tcp/3306"));
    let flow = json["flows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["edge"] == "e-service-db")
        .unwrap();
    assert_eq!(flow["reachable"], false);
    assert_eq!(flow["blocked"]["code"], "ENI_SG_RULES_MISMATCH");
    assert_eq!(flow["blocked"]["node"], "sg-db");
}

#[test]
fn validate_lists_invocations_with_the_policy_that_decides() {
    let denied = fixture_path("rules/VR-59-function-refuses-the-api.trigger.json");
    let output = stackdraw(&["validate", denied.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    let report = String::from_utf8(output.stdout).unwrap();
    assert!(report.contains("invocations:"), "{report}");
    assert!(
        report.contains("DENIED     \"orders-api\" invokes \"orders-function\""),
        "{report}"
    );
    let output = stackdraw(&["validate", denied.to_str().unwrap(), "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(json["summary"]["invocations_denied"], 1);
    let invocation = json["invocations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["from"] == "orders-api")
        .expect("the API's invocation");
    assert_eq!(invocation["allowed"], false);
    assert_eq!(invocation["link"], "invokes:orders-api:orders-fn");
    assert!(invocation["reason"]
        .as_str()
        .unwrap()
        .contains("apigateway.amazonaws.com"));
}

#[test]
fn reach_answers_a_question_with_the_path_or_the_reason() {
    let seed = fixture_path("seed.json");
    let output = stackdraw(&["reach", seed.to_str().unwrap(), "internet", "alb", "443"]);
    assert_eq!(output.status.code(), Some(0));
    assert!(text(&output.stdout).starts_with("reachable"));

    let output = stackdraw(&["reach", seed.to_str().unwrap(), "internet", "db", "3306"]);
    assert_eq!(output.status.code(), Some(1));
    assert!(text(&output.stdout).contains("is private"));
    assert!(text(&output.stdout).contains("(CANNOT_ROUTE)"));

    let output = stackdraw(&["reach", seed.to_str().unwrap(), "internet", "ghost", "80"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).contains("no node"));
}

#[test]
fn export_writes_every_format_and_refuses_unknown_ones() {
    let out = std::env::temp_dir().join(format!("stackdraw-export-{}", std::process::id()));
    let seed = fixture_path("seed.json");
    let output = stackdraw(&[
        "export",
        seed.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    for file in [
        "cloudformation.yaml",
        "cloudformation.json",
        "terraform/versions.tf",
        "terraform/network.tf",
        ".circleci/config.yml",
    ] {
        assert!(out.join(file).is_file(), "{file} was not written");
    }
    let only_terraform = out.join("tf-only");
    let output = stackdraw(&[
        "export",
        seed.to_str().unwrap(),
        "--to",
        "terraform",
        "--out",
        only_terraform.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(0));
    assert!(
        only_terraform.join("terraform/main.tf").exists()
            || only_terraform.join("terraform/compute.tf").exists()
    );
    assert!(!only_terraform.join("cloudformation.yaml").exists());

    let output = stackdraw(&[
        "export",
        seed.to_str().unwrap(),
        "--to",
        "pulumi",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(text(&output.stderr).contains("unknown format \"pulumi\""));

    let broken = fixture_path("malformed/truncated.json");
    let output = stackdraw(&[
        "export",
        broken.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(
        output.status.code(),
        Some(2),
        "input the command cannot read is not a finding"
    );
    std::fs::remove_dir_all(&out).ok();
}

#[test]
fn link_encode_and_decode_round_trip_and_a_broken_link_fails_clearly() {
    let seed = fixture_path("seed.json");
    let encoded = stackdraw(&["link", "encode", seed.to_str().unwrap()]);
    assert!(encoded.status.success(), "{}", text(&encoded.stderr));
    let fragment = text(&encoded.stdout).trim().to_string();
    assert!(fragment.starts_with("v1."), "{fragment:.20}");
    let decoded = stackdraw(&[
        "link",
        "decode",
        &format!("https://example.com/#{fragment}"),
    ]);
    assert!(decoded.status.success(), "{}", text(&decoded.stderr));
    assert_eq!(
        text(&decoded.stdout),
        crate::support::read_fixture("seed.json")
    );
    let broken = stackdraw(&["link", "decode", &fragment[..fragment.len() / 2]]);
    assert!(!broken.status.success());
    assert!(
        text(&broken.stderr).contains("damaged"),
        "{}",
        text(&broken.stderr)
    );
}

#[test]
fn reach_prints_json_shaped_like_validates_flows() {
    let seed = fixture_path("seed.json");
    let output = stackdraw(&[
        "reach",
        seed.to_str().unwrap(),
        "internet",
        "alb",
        "443",
        "--format",
        "json",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let flow: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(flow["verdict"], "reachable");
    assert_eq!(flow["reachable"], true);
    assert_eq!(flow["from"], "internet");
    assert_eq!(flow["to"], "alb");
    assert!(flow["hops"].as_array().unwrap().len() >= 3);
    // The same keys as a flow of `validate --format json`.
    let validate = stackdraw(&["validate", seed.to_str().unwrap(), "--format", "json"]);
    let report: serde_json::Value = serde_json::from_slice(&validate.stdout).unwrap();
    let drawn = &report["flows"][0];
    let keys = |value: &serde_json::Value| {
        let mut keys: Vec<String> = value
            .as_object()
            .unwrap()
            .keys()
            .filter(|key| !matches!(key.as_str(), "edge" | "kind"))
            .cloned()
            .collect();
        keys.sort();
        keys
    };
    assert_eq!(keys(&flow), keys(drawn));
    assert_eq!(report["summary"]["flows_partial"], 0);

    // Blocked: exit 1, with the blocking hop.
    let output = stackdraw(&[
        "reach",
        seed.to_str().unwrap(),
        "internet",
        "db",
        "3306",
        "--format",
        "json",
    ]);
    assert_eq!(output.status.code(), Some(1));
    let flow: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(flow["verdict"], "blocked");
    assert!(flow["blocked"]["code"].is_string());
}

#[test]
fn reach_exits_1_for_a_partial_flow_and_names_what_is_cut_off() {
    let fixture = fixture_path("rules/VR-43-alb-misses-a-service-zone.trigger.json");
    let output = stackdraw(&["reach", fixture.to_str().unwrap(), "alb", "service", "80"]);
    assert_eq!(output.status.code(), Some(1), "{}", text(&output.stderr));
    let printed = text(&output.stdout);
    assert!(printed.starts_with("PARTIAL"), "{printed}");
    assert!(printed.contains("cut off: subnet-private-d"), "{printed}");
    assert!(
        printed.contains("ELB_INSTALLED_AZ_RESTRICTION"),
        "{printed}"
    );
    let validate = stackdraw(&["validate", fixture.to_str().unwrap(), "--format", "json"]);
    let report: serde_json::Value = serde_json::from_slice(&validate.stdout).unwrap();
    assert_eq!(report["summary"]["flows_partial"], 1);
    assert_eq!(validate.status.code(), Some(1));
}

#[test]
fn reach_finds_nodes_by_name_and_suggests_close_matches() {
    let seed = fixture_path("seed.json");
    // A unique name works as well as an id.
    let output = stackdraw(&[
        "reach",
        seed.to_str().unwrap(),
        "Internet",
        "myapp-alb",
        "443",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    let output = stackdraw(&["reach", seed.to_str().unwrap(), "internet", "albb", "443"]);
    assert_eq!(output.status.code(), Some(2));
    let message = text(&output.stderr);
    assert!(message.contains("\"albb\""), "{message}");
    assert!(message.contains("did you mean alb"), "{message}");
    let output = stackdraw(&[
        "reach",
        seed.to_str().unwrap(),
        "zzzzzzzzzzzz",
        "alb",
        "443",
    ]);
    assert_eq!(output.status.code(), Some(2));
    let message = text(&output.stderr);
    assert!(
        message.contains("no node with the id or name \"zzzzzzzzzzzz\""),
        "{message}"
    );
}

#[test]
fn export_writes_the_pipeline_alone_with_its_readme() {
    let seed = fixture_path("seed.json");
    let out = std::env::temp_dir().join(format!("stackdraw-circleci-{}", std::process::id()));
    let output = stackdraw(&[
        "export",
        seed.to_str().unwrap(),
        "--to",
        "circleci",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert!(out.join(".circleci/config.yml").exists());
    assert!(out.join(".circleci/README.md").exists());
    assert!(!out.join("cloudformation.yaml").exists());
    std::fs::remove_dir_all(&out).ok();
}

#[test]
fn a_file_with_lines_that_carry_no_traffic_is_settled_and_the_user_is_told() {
    let path = fixture_path("earlier/meaningless-edges.json");
    let path = path.to_str().unwrap();
    let validate = stackdraw(&["validate", path, "--format", "json"]);
    assert_eq!(
        validate.status.code(),
        Some(0),
        "{}",
        text(&validate.stderr)
    );
    let stderr = text(&validate.stderr);
    assert!(stderr.contains("runs in the cluster"), "{stderr}");
    assert!(stderr.contains("it was removed"), "{stderr}");
    let stdout = text(&validate.stdout);
    assert!(
        !stdout.contains("old-cert-alb") && !stdout.contains("old-internet-dns"),
        "{stdout}"
    );
    // What it exports is what today's seed exports: the settled lines are
    // configuration the seed already has, and no traffic rule comes of them.
    let out = std::env::temp_dir().join(format!("stackdraw-settled-{}", std::process::id()));
    let export = stackdraw(&[
        "export",
        path,
        "--to",
        "cloudformation",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(export.status.success(), "{}", text(&export.stderr));
    let template = std::fs::read_to_string(out.join("cloudformation.yaml")).unwrap_or_default();
    let mut seed = stackdraw::domain::templates::seed();
    seed.name = "Drawn before lines meant configuration".into();
    let seed_file = out.join("seed.json");
    std::fs::write(&seed_file, stackdraw::domain::codec::encode_file(&seed)).unwrap();
    let seed_out = out.join("seed");
    let seed_export = stackdraw(&[
        "export",
        seed_file.to_str().unwrap(),
        "--to",
        "cloudformation",
        "--out",
        seed_out.to_str().unwrap(),
    ]);
    assert!(seed_export.status.success());
    let expected = std::fs::read_to_string(seed_out.join("cloudformation.yaml")).unwrap();
    let _ = std::fs::remove_dir_all(&out);
    assert!(
        template == expected,
        "the settled file exports as the seed does"
    );
}

#[test]
fn import_reads_a_template_and_other_commands_take_one_in_place_of_a_diagram() {
    let dir = std::env::temp_dir().join(format!("stackdraw-import-{}", std::process::id()));
    let exported = stackdraw(&[
        "export",
        &fixture_path("seed.json").display().to_string(),
        "--to",
        "cloudformation",
        "--out",
        &dir.display().to_string(),
    ]);
    assert!(exported.status.success(), "{}", text(&exported.stderr));
    let template = dir.join("cloudformation.yaml").display().to_string();

    let imported = stackdraw(&["import", &template, "--region", "ap-northeast-1"]);
    assert_eq!(
        imported.status.code(),
        Some(0),
        "{}",
        text(&imported.stderr)
    );
    let diagram = stackdraw::domain::codec::decode_file(&text(&imported.stdout)).unwrap();
    assert_eq!(diagram.region, "ap-northeast-1");
    let report = text(&imported.stderr);
    assert!(report.contains("imported 56 resources"), "{report}");
    assert!(
        report.contains("other resource: PipelineRole (AWS::IAM::Role"),
        "{report}"
    );
    assert!(
        report.contains("drawn outside the template: DnsHostedZoneId, the hosted zone example.com"),
        "{report}"
    );

    // `validate` takes the template itself (exit 0: no errors once imported
    // in the template's region; here the default region, where the zones
    // still exist).
    let validated = stackdraw(&["validate", &template]);
    assert!(
        text(&validated.stdout).contains("flows:"),
        "{}",
        text(&validated.stdout)
    );
    assert_ne!(validated.status.code(), Some(2));

    // Not a template, or not readable: exit 2 with the line.
    let bad = dir.join("bad.yaml");
    std::fs::write(
        &bad,
        "AWSTemplateFormatVersion: x\nResources:\n  A: [1, 2\n",
    )
    .unwrap();
    let refused = stackdraw(&["import", &bad.display().to_string()]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(
        text(&refused.stderr).contains("line"),
        "{}",
        text(&refused.stderr)
    );
    let refused = stackdraw(&["import", &template, "--param", "novalue"]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(text(&refused.stderr).contains("NAME=VALUE"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn import_reads_a_terraform_folder_with_the_local_modules_it_calls() {
    let dir = std::env::temp_dir().join(format!("stackdraw-import-tf-{}", std::process::id()));
    let exported = stackdraw(&[
        "export",
        &fixture_path("seed.json").display().to_string(),
        "--to",
        "terraform",
        "--out",
        &dir.display().to_string(),
    ]);
    assert!(exported.status.success(), "{}", text(&exported.stderr));
    let module = dir.join("terraform").display().to_string();
    let imported = stackdraw(&["import", &module, "--var", "dns_zone_id=Z123"]);
    assert_eq!(
        imported.status.code(),
        Some(0),
        "{}",
        text(&imported.stderr)
    );
    let diagram = stackdraw::domain::codec::decode_file(&text(&imported.stdout)).unwrap();
    assert_eq!(diagram.region, "ap-northeast-1", "the provider's region");
    let report = text(&imported.stderr);
    assert!(report.contains("imported 68 resources"), "{report}");
    assert!(
        report.contains(
            "other resource: aws_iam_role.pipeline_deploy (aws_iam_role, delivery.tf, line"
        ),
        "{report}"
    );
    assert!(
        report.contains("variable circleci_organization_id has no value"),
        "{report}"
    );
    assert!(
        !report.contains("variable dns_zone_id"),
        "given with --var: {report}"
    );

    // An example calling a module two folders up: the CLI reads it too.
    let corpus = fixture_path("import/terraform/terraform-aws-vpc/examples/simple");
    let imported = stackdraw(&["import", &corpus.display().to_string()]);
    assert_eq!(
        imported.status.code(),
        Some(0),
        "{}",
        text(&imported.stderr)
    );
    let diagram = stackdraw::domain::codec::decode_file(&text(&imported.stdout)).unwrap();
    assert_eq!(diagram.region, "eu-west-1");
    assert_eq!(
        diagram
            .nodes_of(stackdraw::domain::model::KindTag::Subnet)
            .count(),
        3
    );

    // `validate` and `reach` take the folder in place of a diagram file.
    let validated = stackdraw(&["validate", &module]);
    assert!(
        text(&validated.stdout).contains("flows:"),
        "{}",
        text(&validated.stdout)
    );
    assert_ne!(validated.status.code(), Some(2));

    // Broken HCL: exit 2 with the file and line.
    let bad = dir.join("bad");
    std::fs::create_dir_all(&bad).unwrap();
    std::fs::write(
        bad.join("main.tf"),
        "resource \"aws_vpc\" \"v\" {\n  cidr_block =\n",
    )
    .unwrap();
    for command in [vec!["import"], vec!["validate"]] {
        let mut args = command.clone();
        let path = bad.display().to_string();
        args.push(&path);
        let refused = stackdraw(&args);
        assert_eq!(refused.status.code(), Some(2), "{command:?}");
        let message = text(&refused.stderr);
        assert!(message.contains("main.tf, line"), "{message}");
    }
    let refused = stackdraw(&["import", &module, "--var", "novalue"]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(text(&refused.stderr).contains("--var takes NAME=VALUE"));
    let _ = std::fs::remove_dir_all(&dir);
}

/// The seed with the database's group no longer admitting the service.
fn seed_with_closed_database(dir: &std::path::Path) -> (String, String) {
    let old = dir.join("old.json");
    let new = dir.join("new.json");
    let seed = stackdraw::domain::templates::seed();
    std::fs::write(&old, stackdraw::domain::codec::encode_file(&seed)).unwrap();
    let mut changed = seed;
    for node in &mut changed.nodes {
        if let stackdraw::domain::model::NodeKind::SecurityGroup(group) = &mut node.kind {
            if node.id.as_str() == "sg-db" {
                group.ingress.clear();
            }
        }
    }
    std::fs::write(&new, stackdraw::domain::codec::encode_file(&changed)).unwrap();
    (
        old.to_str().unwrap().to_string(),
        new.to_str().unwrap().to_string(),
    )
}

#[test]
fn diff_reports_verdict_changes_and_fails_only_on_the_gates_asked_for() {
    let dir = tempdir("diff");
    let (old, new) = seed_with_closed_database(&dir);

    let plain = stackdraw(&["diff", &old, &new]);
    assert_eq!(plain.status.code(), Some(0), "{}", text(&plain.stderr));
    let out = text(&plain.stdout);
    assert!(
        out.contains("summary: 2 flows blocked; 2 new errors"),
        "{out}"
    );
    assert!(out.contains("\"myapp-service\" -> \"myapp-aurora\" on tcp/3306: reachable -> blocked (ENI_SG_RULES_MISMATCH at \"db-sg\""), "{out}");

    let gated = stackdraw(&["diff", &old, &new, "--fail-on", "blocked,partial"]);
    assert_eq!(gated.status.code(), Some(1));
    assert!(text(&gated.stderr).contains("fails on blocked (2)"));
    let other_gates = stackdraw(&["diff", &old, &new, "--fail-on", "partial,scope"]);
    assert_eq!(other_gates.status.code(), Some(0));
    let errors = stackdraw(&["diff", &old, &new, "--fail-on", "error"]);
    assert_eq!(errors.status.code(), Some(1));
    // The fix passes every gate.
    let back = stackdraw(&["diff", &new, &old, "--fail-on", "all"]);
    assert_eq!(back.status.code(), Some(0), "{}", text(&back.stdout));

    let json = stackdraw(&["diff", &old, &new, "--format", "json"]);
    let value: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(value["summary"]["blocked"], 2);
    assert_eq!(value["flows"][0]["cause"]["code"], "ENI_SG_RULES_MISMATCH");

    let markdown = stackdraw(&["diff", &old, &new, "--format", "markdown"]);
    let first = text(&markdown.stdout)
        .lines()
        .next()
        .unwrap_or("")
        .to_string();
    assert!(
        first.starts_with("**stackdraw diff**: 2 flows blocked"),
        "{first}"
    );
}

#[test]
fn diff_reads_links_templates_and_modules_and_refuses_what_it_cannot_read() {
    let dir = tempdir("diff-inputs");
    let (old, new) = seed_with_closed_database(&dir);
    // A share link against a file.
    let seed_link = format!(
        "https://stackdraw.example/#{}",
        stackdraw::domain::codec::link::encode_link(&stackdraw::domain::templates::seed())
    );
    let linked = stackdraw(&["diff", &seed_link, &new, "--fail-on", "blocked"]);
    assert_eq!(linked.status.code(), Some(1), "{}", text(&linked.stderr));
    let same = stackdraw(&["diff", &seed_link, &old]);
    assert!(text(&same.stdout).contains("no changes"));
    // A review link holds both versions.
    let review = stackdraw(&["link", "review", &old, &new]);
    assert_eq!(review.status.code(), Some(0));
    let review = text(&review.stdout).trim().to_string();
    assert!(review.starts_with("r1."), "{review}");
    let reviewed = stackdraw(&[
        "diff",
        &format!("https://stackdraw.example/#{review}"),
        "--fail-on",
        "blocked",
    ]);
    assert_eq!(reviewed.status.code(), Some(1));
    assert_eq!(
        text(&reviewed.stdout),
        text(&stackdraw(&["diff", &old, &new]).stdout)
    );
    // The file the app offers for a long review link reads the same.
    let saved = dir.join("design.stackdraw-review.txt");
    std::fs::write(&saved, format!("https://stackdraw.example/#{review}\n")).unwrap();
    let from_file = stackdraw(&["diff", saved.to_str().unwrap()]);
    assert_eq!(text(&from_file.stdout), text(&reviewed.stdout));
    let lonely = stackdraw(&["diff", &old]);
    assert_eq!(lonely.status.code(), Some(2));
    assert!(text(&lonely.stderr).contains("give the newer one too"));
    // A template and a module compared with themselves.
    let template = fixture_path("import/bastion.yaml");
    let template = template.to_str().unwrap();
    let unchanged = stackdraw(&["diff", template, template, "--fail-on", "all"]);
    assert_eq!(
        unchanged.status.code(),
        Some(0),
        "{}",
        text(&unchanged.stderr)
    );
    assert!(text(&unchanged.stdout).contains("no changes"));
    let module = fixture_path("import/shop");
    let module = module.to_str().unwrap();
    let unchanged = stackdraw(&["diff", module, module]);
    assert!(
        text(&unchanged.stdout).contains("no changes"),
        "{}",
        text(&unchanged.stderr)
    );

    for args in [
        vec!["diff", "/no/such/file.json", new.as_str()],
        vec!["diff", old.as_str(), "v1.AAAA"],
        vec![
            "diff",
            old.as_str(),
            new.as_str(),
            "--fail-on",
            "everything",
        ],
        vec!["diff", old.as_str(), new.as_str(), "--match", "guess"],
    ] {
        let output = stackdraw(&args);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        assert!(output.stdout.is_empty(), "{args:?}");
        assert!(!text(&output.stderr).contains("panicked"), "{args:?}");
    }
}

fn tempdir(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("stackdraw-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The shell of a recipe's step: the block under the line naming it.
fn recipe_step(recipe: &str, step: &str) -> String {
    let text = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("docs/ci")
            .join(recipe),
    )
    .unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let named = lines
        .iter()
        .position(|l| l.contains(step))
        .unwrap_or_else(|| panic!("{recipe} has no step {step:?}"));
    let start = named
        + 1
        + lines[named + 1..]
            .iter()
            .position(|l| l.trim_end().ends_with('|'))
            .unwrap();
    let indent = |l: &str| l.len() - l.trim_start().len();
    let body = indent(lines[start + 1]);
    lines[start + 1..]
        .iter()
        .take_while(|l| l.trim().is_empty() || indent(l) >= body)
        .map(|l| l.get(body..).unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn the_ci_recipes_compare_a_pull_request_with_its_base_and_gate_on_it() {
    let git_present = Command::new("git").arg("--version").output().is_ok();
    assert!(git_present, "the recipes' test needs git");
    let root = tempdir("recipes");
    let _ = std::fs::remove_dir_all(&root);
    std::fs::create_dir_all(&root).unwrap();
    let origin = root.join("origin");
    let clone = root.join("clone");
    let git = |dir: &std::path::Path, args: &[&str]| {
        let out = Command::new("git")
            .args(["-c", "user.email=ci@example.com", "-c", "user.name=ci"])
            .args(args)
            .current_dir(dir)
            .output()
            .unwrap();
        assert!(out.status.success(), "git {args:?}: {}", text(&out.stderr));
    };
    std::fs::create_dir_all(&origin).unwrap();
    git(&origin, &["init", "-q", "-b", "main"]);
    let (old, new) = seed_with_closed_database(&root);
    std::fs::copy(&old, origin.join("design.json")).unwrap();
    git(&origin, &["add", "design.json"]);
    git(&origin, &["commit", "-qm", "base"]);
    git(&root, &["clone", "-q", origin.to_str().unwrap(), "clone"]);
    git(&clone, &["checkout", "-qb", "change"]);
    std::fs::copy(&new, clone.join("design.json")).unwrap();
    git(&clone, &["commit", "-qam", "close the database"]);

    let bin = std::path::Path::new(env!("CARGO_BIN_EXE_stackdraw"))
        .parent()
        .unwrap();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );

    // CircleCI: the parameters filled in as CircleCI would.
    let base = root.join("circleci-base");
    let step = recipe_step(
        "circleci-diff.yml",
        "name: Compare the design with the base branch",
    )
    .replace("<< pipeline.parameters.design >>", "design.json")
    .replace("<< pipeline.parameters.base_branch >>", "main")
    .replace("/tmp/", &format!("{}/", root.display()))
    .replace(&format!("{}/base", root.display()), base.to_str().unwrap());
    let run = Command::new("bash")
        .args(["-eo", "pipefail", "-c", &step])
        .current_dir(&clone)
        .env("PATH", &path)
        .output()
        .unwrap();
    assert!(run.status.success(), "{}", text(&run.stderr));
    let status = std::fs::read_to_string(root.join("design-diff.status")).unwrap();
    assert_eq!(status.trim(), "1");
    let review = std::fs::read_to_string(root.join("design-diff.md")).unwrap();
    assert!(
        review.starts_with("**stackdraw diff**: 2 flows blocked"),
        "{review}"
    );

    // GitHub Actions: its environment as a runner sets it.
    let runner_temp = root.join("runner");
    std::fs::create_dir_all(&runner_temp).unwrap();
    let output = runner_temp.join("output");
    let summary = runner_temp.join("summary");
    let step = recipe_step(
        "github-actions-diff.yml",
        "name: Compare the design with the base branch",
    );
    let run = Command::new("bash")
        .args(["-e", "-c", &step])
        .current_dir(&clone)
        .env("PATH", &path)
        .env("DESIGN", "design.json")
        .env("BASE_REF", "main")
        .env("RUNNER_TEMP", &runner_temp)
        .env("GITHUB_OUTPUT", &output)
        .env("GITHUB_STEP_SUMMARY", &summary)
        .output()
        .unwrap();
    assert!(run.status.success(), "{}", text(&run.stderr));
    assert_eq!(std::fs::read_to_string(&output).unwrap().trim(), "status=1");
    let summary = std::fs::read_to_string(&summary).unwrap();
    assert!(summary.contains("| reachable | **blocked** |"), "{summary}");
    // Without a site, no review link.
    assert!(!summary.contains("#r1."), "{summary}");
}

#[test]
fn a_template_and_a_module_of_one_design_compare_without_a_verdict_changing() {
    // Two independent imports (CloudFormation and Terraform) share no ids:
    // they are matched by kind, name and containment, and the verdicts agree.
    let out = tempdir("diff-imports");
    let seed = fixture_path("seed.json");
    let export = stackdraw(&[
        "export",
        seed.to_str().unwrap(),
        "--to",
        "all",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(export.status.success(), "{}", text(&export.stderr));
    let template = out.join("cloudformation.yaml");
    let module = out.join("terraform");
    let compared = stackdraw(&[
        "diff",
        template.to_str().unwrap(),
        module.to_str().unwrap(),
        "--region",
        "ap-northeast-1",
        "--fail-on",
        "all",
        "--format",
        "json",
    ]);
    assert_eq!(
        compared.status.code(),
        Some(0),
        "{}",
        text(&compared.stderr)
    );
    let diff: serde_json::Value = serde_json::from_slice(&compared.stdout).unwrap();
    assert_eq!(diff["matching"], "structure");
    assert_eq!(
        diff["flows"],
        serde_json::json!([]),
        "{}",
        text(&compared.stdout)
    );
    assert_eq!(diff["scopes"], serde_json::json!([]));
    // The subnets, gateways, services and database are the same nodes.
    let nodes = diff["nodes"].as_array().unwrap();
    for kind in [
        "Subnet",
        "VPC",
        "NAT gateway",
        "Fargate service",
        "Aurora cluster",
    ] {
        assert!(
            !nodes
                .iter()
                .any(|n| n["kind"] == kind && n["change"] != "changed"),
            "{kind} unmatched: {}",
            text(&compared.stdout)
        );
    }
    // Without the region, the template is imported for us-east-1: its
    // zones differ, and the diff says so.
    let elsewhere = stackdraw(&["diff", template.to_str().unwrap(), module.to_str().unwrap()]);
    assert!(text(&elsewhere.stdout).contains("zone: us-east-1a -> ap-northeast-1a"));
}
