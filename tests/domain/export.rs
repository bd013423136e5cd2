//! Exports: golden files, determinism, escaping of hostile text, and the
//! agreement of the YAML and JSON CloudFormation templates.

use crate::support::{assert_matches_path, every_kind, hostile, HOSTILE};
use proptest::prelude::*;
use serde_json::Value;
use stackdraw::domain::export::{self, cloudformation, yaml, Format};
use stackdraw::domain::model::*;
use stackdraw::domain::templates;
use stackdraw::domain::validate::analyze;
use std::path::PathBuf;

fn golden(relative: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(relative)
}

fn only(files: Vec<export::ExportFile>) -> String {
    assert_eq!(files.len(), 1);
    files.into_iter().next().unwrap().contents
}

fn parse_yaml(text: &str) -> Value {
    serde_saphyr::from_str(text)
        .unwrap_or_else(|error| panic!("the YAML does not parse: {error}\n{text}"))
}

#[test]
fn seed_exports_match_the_golden_files() {
    // Reviewed by eye once; `UPDATE_FIXTURES=1 cargo test --test domain` rewrites them.
    let seed = templates::seed();
    let files = export::export_all(&seed, &analyze(&seed));
    for file in &files {
        assert_matches_path(&golden(&format!("seed/{}", file.path)), &file.contents);
    }
    let mut on_disk: Vec<String> = walk(&golden("seed"))
        .iter()
        .map(|path| {
            path.strip_prefix(golden("seed"))
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/")
        })
        .collect();
    on_disk.sort();
    let mut expected: Vec<String> = files.iter().map(|file| file.path.clone()).collect();
    expected.sort();
    assert_eq!(
        on_disk, expected,
        "tests/golden/seed holds exactly the seed's exports"
    );
}

fn walk(dir: &std::path::Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            files.extend(walk(&path));
        } else {
            files.push(path);
        }
    }
    files
}

#[test]
fn exports_are_byte_identical_run_to_run() {
    for diagram in [templates::seed(), every_kind(), hostile()] {
        for format in Format::ALL {
            assert_eq!(
                export::export(&diagram, format),
                export::export(&diagram.clone(), format)
            );
        }
    }
}

#[test]
fn yaml_and_json_templates_say_the_same() {
    for diagram in [
        templates::seed(),
        every_kind(),
        hostile(),
        templates::generated(100),
    ] {
        let analysis = analyze(&diagram);
        let template = cloudformation::template(&diagram, &analysis);
        let yaml_text = only(export::export_with(
            &diagram,
            &analysis,
            Format::CloudFormationYaml,
        ));
        let json_text = only(export::export_with(
            &diagram,
            &analysis,
            Format::CloudFormationJson,
        ));
        let from_json: Value = serde_json::from_str(&json_text).unwrap();
        assert_eq!(from_json, template);
        assert_eq!(parse_yaml(&yaml_text), template, "{}", diagram.name);
    }
}

#[test]
fn every_node_kind_becomes_resources() {
    let diagram = every_kind();
    let template = cloudformation::template(&diagram, &analyze(&diagram));
    let types: std::collections::BTreeSet<&str> = template["Resources"]
        .as_object()
        .unwrap()
        .values()
        .map(|resource| resource["Type"].as_str().unwrap())
        .collect();
    for expected in [
        "AWS::EC2::VPC",
        "AWS::EC2::VPCCidrBlock",
        "AWS::EC2::Subnet",
        "AWS::EC2::InternetGateway",
        "AWS::EC2::VPCGatewayAttachment",
        "AWS::EC2::RouteTable",
        "AWS::EC2::Route",
        "AWS::EC2::SubnetRouteTableAssociation",
        "AWS::EC2::EIP",
        "AWS::EC2::NatGateway",
        "AWS::EC2::VPCEndpoint",
        "AWS::EC2::SecurityGroup",
        "AWS::EC2::SecurityGroupIngress",
        "AWS::EC2::SecurityGroupEgress",
        "AWS::EC2::VPCPeeringConnection",
        "AWS::ElasticLoadBalancingV2::LoadBalancer",
        "AWS::ElasticLoadBalancingV2::Listener",
        "AWS::ElasticLoadBalancingV2::TargetGroup",
        "AWS::ECS::Cluster",
        "AWS::ECS::TaskDefinition",
        "AWS::ECS::Service",
        "AWS::IAM::Role",
        "AWS::Logs::LogGroup",
        "AWS::RDS::DBCluster",
        "AWS::RDS::DBInstance",
        "AWS::RDS::DBSubnetGroup",
        "AWS::SecretsManager::Secret",
        "AWS::EC2::Instance",
        "AWS::ECR::Repository",
        "AWS::S3::Bucket",
        "AWS::S3::BucketPolicy",
        "AWS::CloudFront::Distribution",
        "AWS::CloudFront::OriginAccessControl",
        "AWS::Route53::RecordSet",
        "AWS::CertificateManager::Certificate",
        "AWS::IAM::OIDCProvider",
        "AWS::DynamoDB::Table",
        "AWS::SQS::Queue",
        "AWS::SQS::QueuePolicy",
        "AWS::SNS::Topic",
        "AWS::SNS::Subscription",
        "AWS::ElastiCache::SubnetGroup",
        "AWS::ElastiCache::ReplicationGroup",
    ] {
        assert!(types.contains(expected), "no {expected} in the template");
    }
    for output in [
        "AlbDnsName",
        "CdnDomainName",
        "DbEndpoint",
        "EcrApiUri",
        "PipelineRoleArn",
    ] {
        assert!(
            template["Outputs"].get(output).is_some(),
            "no output {output}"
        );
    }
}

#[test]
fn a_container_reads_the_address_of_a_cache_it_names() {
    let diagram = crate::support::network_extras();
    let template = cloudformation::template(&diagram, &analyze(&diagram));
    let task = template["Resources"]
        .as_object()
        .unwrap()
        .values()
        .find(|r| r["Type"] == "AWS::ECS::TaskDefinition")
        .unwrap();
    let variable = task["Properties"]["ContainerDefinitions"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|c| c["Environment"].as_array().cloned().unwrap_or_default())
        .find(|v| v["Name"] == "SESSIONS_HOST")
        .expect("the variable is written");
    assert_eq!(
        variable["Value"],
        serde_json::json!({ "Fn::GetAtt": ["SessionsCache", "PrimaryEndPoint.Address"] })
    );
    let terraform: String = export::export(&diagram, Format::Terraform)
        .into_iter()
        .map(|f| f.contents)
        .collect();
    assert!(terraform.contains(
        "value = aws_elasticache_replication_group.sessions_cache.primary_endpoint_address"
    ));
}

#[test]
fn validation_errors_are_listed_at_the_top_of_the_export() {
    let mut diagram = templates::seed();
    for node in &mut diagram.nodes {
        if let NodeKind::Subnet(subnet) = &mut node.kind {
            subnet.cidr = Cidr::parse("10.2.0.0/20").unwrap();
        }
    }
    let yaml_text = only(export::export(&diagram, Format::CloudFormationYaml));
    assert!(
        yaml_text.contains("# WARNING: the diagram has"),
        "{}",
        &yaml_text[..400]
    );
    assert!(yaml_text.contains("#   VR-10:"));
    let json_text = only(export::export(&diagram, Format::CloudFormationJson));
    let template: Value = serde_json::from_str(&json_text).unwrap();
    assert!(
        template["Metadata"]["stackdraw"]["ValidationErrors"]
            .as_array()
            .unwrap()
            .len()
            >= 3
    );
    assert!(!only(export::export(
        &templates::seed(),
        Format::CloudFormationYaml
    ))
    .contains("WARNING"));
}

#[test]
fn hostile_text_stays_data() {
    let diagram = hostile();
    let template = cloudformation::template(&diagram, &analyze(&diagram));
    let text = serde_json::to_string(&template).unwrap();
    // No user text turns into a CloudFormation variable: every `${` that
    // survives is inside an Fn::Sub the exporter wrote itself.
    assert!(
        !text.contains("${AWS::Region} %{"),
        "hostile text reached a Sub unescaped"
    );
    let yaml_text = only(export::export(&diagram, Format::CloudFormationYaml));
    assert_eq!(parse_yaml(&yaml_text), template);
    // The comment line naming the diagram cannot be broken by a newline.
    assert!(yaml_text
        .lines()
        .next()
        .unwrap()
        .starts_with("# Generated by stackdraw"));
    assert!(
        yaml_text
            .lines()
            .nth(1)
            .unwrap()
            .starts_with("AWSTemplateFormatVersion"),
        "{}",
        &yaml_text[..300]
    );
    assert!(HOSTILE.contains('\n'));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    #[test]
    fn any_name_exports_to_yaml_that_reads_back(name in "\\PC{0,60}", description in "[ -~\\n\\t]{0,40}") {
        let mut diagram = templates::seed();
        diagram.name = name.clone();
        for node in &mut diagram.nodes {
            node.name = format!("{}{}", node.name, name);
            if let NodeKind::SecurityGroup(group) = &mut node.kind {
                group.description = description.clone();
            }
        }
        let analysis = analyze(&diagram);
        let template = cloudformation::template(&diagram, &analysis);
        let yaml_text = only(export::export_with(&diagram, &analysis, Format::CloudFormationYaml));
        prop_assert_eq!(parse_yaml(&yaml_text), template);
    }

    #[test]
    fn yaml_strings_read_back_verbatim(text in "\\PC{0,40}") {
        let document = format!("key: {}\n", yaml::string_text(&text));
        let value: Value = parse_yaml(&document);
        prop_assert_eq!(value["key"].as_str(), Some(text.as_str()));
    }
}

#[test]
fn zip_archives_read_back_with_a_standard_reader() {
    use stackdraw::domain::export::zip;
    assert_eq!(
        zip::crc32(b"123456789"),
        0xCBF4_3926,
        "the CRC-32 check value"
    );
    let seed = templates::seed();
    let files = export::export_all(&seed, &analyze(&seed));
    let entries: Vec<(String, Vec<u8>)> = files
        .iter()
        .map(|file| {
            (
                format!("stackdraw/{}", file.path),
                file.contents.clone().into_bytes(),
            )
        })
        .collect();
    let bytes = zip::archive(&entries);
    assert_eq!(
        bytes,
        zip::archive(&entries),
        "the same files give the same archive"
    );
    let path = std::env::temp_dir().join(format!("stackdraw-{}.zip", std::process::id()));
    std::fs::write(&path, &bytes).unwrap();
    let script = "import sys, zipfile\nz = zipfile.ZipFile(sys.argv[1])\nassert z.testzip() is None\nprint(len(z.namelist()))\nprint(z.read('stackdraw/terraform/versions.tf').decode()[:40])";
    let output = std::process::Command::new("python3")
        .args(["-c", script, path.to_str().unwrap()])
        .output()
        .unwrap();
    std::fs::remove_file(&path).ok();
    let printed = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        printed.starts_with(&format!("{}\n", files.len())),
        "{printed}"
    );
    assert!(printed.contains("# Generated by stackdraw"));
}

#[test]
fn highlighting_keeps_the_text_and_classifies_it() {
    use stackdraw::domain::export::highlight::{highlight, highlight_html, Token};
    let seed = templates::seed();
    for file in export::export_all(&seed, &analyze(&seed)) {
        let runs = highlight(&file.contents);
        let joined: String = runs.iter().map(|(_, text)| text.as_str()).collect();
        assert_eq!(joined, file.contents, "{}", file.path);
    }
    let runs = highlight("# note\nkey: \"value\" 42 true\n");
    let class = |text: &str| {
        runs.iter()
            .find(|(_, t)| t.contains(text))
            .map(|(token, _)| *token)
    };
    assert_eq!(class("# note"), Some(Token::Comment));
    assert_eq!(class("key"), Some(Token::Key));
    assert_eq!(class("\"value\""), Some(Token::String));
    assert_eq!(class("42"), Some(Token::Number));
    assert_eq!(class("true"), Some(Token::Literal));

    // Colons inside a value do not make it a key.
    let runs = highlight(
        "Type: AWS::Route53::HostedZone::Id\nArn: arn:aws:iam::aws:policy/x\nKey:\n  count = 2\n",
    );
    let keys: Vec<&str> = runs
        .iter()
        .filter(|(token, _)| *token == Token::Key)
        .map(|(_, text)| text.as_str())
        .collect();
    assert_eq!(keys, ["Type", "Arn", "Key", "count"]);

    let html = highlight_html("# <b>&\nname: \"x\"\n");
    assert_eq!(
        html,
        "<span class=\"tok-comment\"># &lt;b&gt;&amp;\n</span><span class=\"tok-key\">name</span>\
         <span class=\"tok-plain\">: </span><span class=\"tok-string\">&quot;x&quot;</span>\
         <span class=\"tok-plain\">\n</span>"
    );
}

/// Every string of a template, with whether it sits directly in an `Fn::Sub`.
fn template_strings(value: &Value, in_sub: bool, out: &mut Vec<(String, bool)>) {
    match value {
        Value::String(text) => out.push((text.clone(), in_sub)),
        Value::Array(items) => items
            .iter()
            .for_each(|item| template_strings(item, in_sub, out)),
        Value::Object(map) => map
            .iter()
            .for_each(|(key, item)| template_strings(item, key == "Fn::Sub", out)),
        _ => {}
    }
}

/// The only dynamic reference a template may hold is the exporter's own: an
/// Aurora password read from the secret the template generates.
fn assert_no_user_dynamic_reference(template: &Value) {
    let opening = regex::Regex::new(r"(?i)\{\{\s*resolve").unwrap();
    let exporters_own = regex::Regex::new(
        r"^\{\{resolve:secretsmanager:\$\{[A-Za-z][A-Za-z0-9]*\}:SecretString:password\}\}$",
    )
    .unwrap();
    let mut strings = Vec::new();
    template_strings(template, false, &mut strings);
    for (text, in_sub) in strings {
        if opening.is_match(&text) {
            assert!(
                in_sub && exporters_own.is_match(&text),
                "user text became a dynamic reference: {text:?}"
            );
        }
    }
}

#[test]
fn dynamic_references_in_user_text_are_neutralised() {
    let mut diagram = hostile();
    // Every field that reaches a CloudFormation string, not only names.
    for node in &mut diagram.nodes {
        match &mut node.kind {
            NodeKind::AuroraCluster(aurora) => {
                aurora.manage_master_password = false;
                aurora.database_name = "{{resolve:ssm:/db/name}}".into();
            }
            NodeKind::LoadBalancer(alb) => {
                for group in &mut alb.target_groups {
                    group.health_check.path = Some("/{{resolve:ssm:/health}}".into());
                }
            }
            NodeKind::Route53Zone(zone) => {
                zone.domain_name = "{{resolve:ssm:/zone}}.example.com".into();
            }
            _ => {}
        }
    }
    let template = cloudformation::template(&diagram, &analyze(&diagram));
    assert_no_user_dynamic_reference(&template);
    let text = serde_json::to_string(&template).unwrap();
    // What the user wrote stays readable: only the opening is broken.
    assert!(text.contains("{ {resolve:ssm:x}}"), "the text was dropped");
    assert!(
        text.contains(":SecretString:password}}"),
        "the exporter's own reference to the generated secret must survive"
    );
    // The YAML says the same as the JSON.
    let yaml_text = only(export::export(&diagram, Format::CloudFormationYaml));
    assert_no_user_dynamic_reference(&parse_yaml(&yaml_text));
}

#[test]
fn neutralising_breaks_every_opening_and_nothing_else() {
    use cloudformation::neutralised;
    assert_eq!(
        neutralised("{{resolve:ssm:x}}", false),
        "{ {resolve:ssm:x}}"
    );
    assert_eq!(
        neutralised("{{{resolve:ssm:x}}}", false),
        "{{ {resolve:ssm:x}}}"
    );
    assert_eq!(
        neutralised("{{ Resolve:ssm:x}}", false),
        "{ { Resolve:ssm:x}}"
    );
    assert_eq!(neutralised("{{name}} and {{", false), "{{name}} and {{");
    assert_eq!(
        neutralised(
            "{{resolve:secretsmanager:${Db}:SecretString:password}}",
            true
        ),
        "{{resolve:secretsmanager:${Db}:SecretString:password}}"
    );
    assert_eq!(
        neutralised("{{resolve:secretsmanager:${!Db}:x}}", true),
        "{ {resolve:secretsmanager:${!Db}:x}}"
    );
    assert_eq!(
        neutralised("{{resolve:secretsmanager:${Db}:x}}", false),
        "{ {resolve:secretsmanager:${Db}:x}}",
        "outside an Fn::Sub, `${{Db}}` is literal text a user may have typed"
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]
    #[test]
    fn no_text_becomes_a_dynamic_reference(
        pieces in proptest::collection::vec(
            prop_oneof![
                Just("{"), Just("{{"), Just("}}"), Just("resolve"), Just("RESOLVE"), Just(":"),
                Just("ssm"), Just("ssm-secure"), Just("secretsmanager"), Just("${"), Just("${!"),
                Just("Db}"), Just(" "), Just("x"),
            ],
            0..16,
        )
    ) {
        let text: String = pieces.concat();
        let mut diagram = templates::seed();
        diagram.name = text.clone();
        for node in &mut diagram.nodes {
            node.name = format!("{}{text}", node.name);
            match &mut node.kind {
                NodeKind::SecurityGroup(group) => group.description = text.clone(),
                NodeKind::FargateService(service) => {
                    for container in &mut service.containers {
                        for variable in &mut container.environment {
                            variable.value = EnvironmentValue::Text(text.clone());
                        }
                    }
                }
                _ => {}
            }
        }
        let template = cloudformation::template(&diagram, &analyze(&diagram));
        assert_no_user_dynamic_reference(&template);
    }
}

/// VR-37 says what the exports do with a password RDS does not manage.
#[test]
fn the_password_warning_says_what_the_exports_do() {
    let mut diagram = templates::seed();
    for node in &mut diagram.nodes {
        if let NodeKind::AuroraCluster(aurora) = &mut node.kind {
            aurora.manage_master_password = false;
        }
    }
    let analysis = analyze(&diagram);
    let warning = analysis
        .diagnostics
        .iter()
        .find(|d| d.rule == 37 && d.message.contains("password"))
        .expect("VR-37 on the password");
    let template = cloudformation::template(&diagram, &analysis);
    let secrets: Vec<&Value> = template["Resources"]
        .as_object()
        .unwrap()
        .values()
        .filter(|resource| resource["Type"] == "AWS::SecretsManager::Secret")
        .collect();
    assert_eq!(secrets.len(), 1, "CloudFormation generates the secret");
    assert!(secrets[0]["Properties"]["GenerateSecretString"].is_object());
    assert!(warning
        .message
        .contains("generates it into a Secrets Manager secret"));
    let terraform = export::export_with(&diagram, &analysis, Format::Terraform);
    let variables = terraform
        .iter()
        .find(|file| file.path == "terraform/variables.tf")
        .unwrap();
    assert!(variables.contents.contains("_master_password"));
    assert!(
        variables.contents.contains("sensitive   = true")
            || variables.contents.contains("sensitive = true")
    );
    assert!(warning.message.contains("sensitive variable"));
    assert!(!warning.message.contains("literal"));
}

/// Breaking a dynamic reference lengthens the text: a capped field stays
/// within its AWS limit all the same.
#[test]
fn neutralised_descriptions_keep_their_length_limit() {
    use stackdraw::domain::export::names::aws_description;
    let text = "{{resolve:ssm:x}}".repeat(40);
    let description = aws_description(&text, 255);
    assert!(description.chars().count() <= 255);
    assert!(!description.contains("{{resolve"));
    let template = cloudformation::template(&hostile(), &analyze(&hostile()));
    let mut strings = Vec::new();
    template_strings(&template, false, &mut strings);
    for resource in template["Resources"].as_object().unwrap().values() {
        if let Some(description) = resource["Properties"]["GroupDescription"].as_str() {
            assert!(description.chars().count() <= 255, "{description}");
        }
    }
}

/// An imported diagram's other resources are not exported, and every file
/// says so: the YAML's header, the JSON's metadata, each Terraform file's
/// header, and both READMEs.
#[test]
fn what_an_export_leaves_out_is_listed_in_every_file() {
    let diagram = every_kind();
    let analysis = analyze(&diagram);
    let files = export::export_all(&diagram, &analysis);
    let file = |path: &str| {
        files
            .iter()
            .find(|f| f.path == path)
            .unwrap_or_else(|| panic!("{path}"))
            .contents
            .clone()
    };
    let named = |text: &str, what: &str| {
        assert!(text.contains(export::LEFT_OUT), "{what} lists nothing");
        assert!(
            text.contains(
                "clicks (AWS::Kinesis::Stream, ClickStream): a type stackdraw does not model"
            ),
            "{what}"
        );
        assert!(
            text.contains("module.db (module): a placeholder for what was not known at import"),
            "{what}"
        );
    };
    let yaml = file("cloudformation.yaml");
    let header: String = yaml
        .lines()
        .take_while(|line| line.starts_with('#'))
        .collect::<Vec<_>>()
        .join("\n");
    named(&header, "the YAML's header");
    let json: Value = serde_json::from_str(&file("cloudformation.json")).unwrap();
    let left_out = json["Metadata"]["stackdraw"]["LeftOut"].as_array().unwrap();
    assert_eq!(left_out.len(), 2);
    assert!(
        !file("cloudformation.json").contains("AWS::Kinesis::Stream\","),
        "no stream is created"
    );
    for f in files.iter().filter(|f| f.path.ends_with(".tf")) {
        let header: String = f
            .contents
            .lines()
            .take_while(|line| line.starts_with('#'))
            .collect::<Vec<_>>()
            .join("\n");
        named(&header, &f.path);
    }
    named(&file("README.md"), "the CloudFormation README");
    named(&file("terraform/README.md"), "the Terraform README");
    // Without other resources, nothing is said.
    let seed = templates::seed();
    let files = export::export_all(&seed, &analyze(&seed));
    assert!(files.iter().all(|f| !f.contents.contains(export::LEFT_OUT)));
}
