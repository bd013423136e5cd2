//! An offline `terraform validate`: every generated .tf file is parsed and
//! walked against the hashicorp/aws 6.19.0 schema in tests/schema/, plus the
//! cross-argument rules the schema cannot express.

use crate::support::{every_kind, hostile};
use hcl::{Block, BlockLabel, Body, Expression, Structure};
use serde_json::Value;
use stackdraw::domain::export::{terraform, ExportFile};
use stackdraw::domain::model::Diagram;
use stackdraw::domain::templates;
use stackdraw::domain::validate::analyze;
use std::collections::BTreeMap;
use std::sync::OnceLock;

fn schemas() -> &'static serde_json::Map<String, Value> {
    static SCHEMAS: OnceLock<serde_json::Map<String, Value>> = OnceLock::new();
    SCHEMAS.get_or_init(|| {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/schema");
        let read = |name: &str| -> Value {
            serde_json::from_str(&std::fs::read_to_string(dir.join(name)).unwrap()).unwrap()
        };
        let subset = read("aws-6.19.0-subset.json");
        let mut schemas = subset["provider_schemas"]["registry.terraform.io/hashicorp/aws"]
            ["resource_schemas"]
            .as_object()
            .unwrap()
            .clone();
        for (kind, schema) in read("addendum.json")["resource_schemas"]
            .as_object()
            .unwrap()
        {
            schemas.insert(kind.clone(), schema.clone());
        }
        schemas
    })
}

const META_ATTRIBUTES: &[&str] = &["count", "for_each", "depends_on", "provider"];
const META_BLOCKS: &[&str] = &["lifecycle", "provisioner", "connection"];

fn label(label: &BlockLabel) -> &str {
    match label {
        BlockLabel::String(text) => text,
        BlockLabel::Identifier(identifier) => identifier.as_str(),
    }
}

/// Every problem of one block body against its schema block.
fn check_body(body: &Body, schema: &Value, path: &str, top: bool, problems: &mut Vec<String>) {
    let attributes = schema["attributes"]
        .as_object()
        .cloned()
        .unwrap_or_default();
    let block_types = schema["block_types"]
        .as_object()
        .cloned()
        .unwrap_or_default();
    let mut seen_blocks: BTreeMap<String, usize> = BTreeMap::new();
    let mut seen_attributes = Vec::new();
    for structure in body.iter() {
        match structure {
            Structure::Attribute(attribute) => {
                let key = attribute.key.as_str();
                seen_attributes.push(key.to_string());
                if top && META_ATTRIBUTES.contains(&key) {
                    continue;
                }
                match attributes.get(key) {
                    None => problems.push(format!("{path}: `{key}` is not an argument here")),
                    Some(definition) => {
                        let computed_only = definition["computed"] == true
                            && definition["optional"] != true
                            && definition["required"] != true;
                        if computed_only || key == "id" || key == "tags_all" {
                            problems
                                .push(format!("{path}: `{key}` is computed and must not be set"));
                        }
                        if definition["deprecated"] == true {
                            problems.push(format!("{path}: `{key}` is deprecated"));
                        }
                    }
                }
            }
            Structure::Block(block) => {
                let name = block.identifier.as_str();
                if top && META_BLOCKS.contains(&name) {
                    continue;
                }
                *seen_blocks.entry(name.to_string()).or_default() += 1;
                match block_types.get(name) {
                    None => problems.push(format!("{path}: `{name} {{}}` is not a block here")),
                    Some(definition) => {
                        if definition["block"]["deprecated"] == true {
                            problems.push(format!("{path}: `{name} {{}}` is deprecated"));
                        }
                        check_body(
                            &block.body,
                            &definition["block"],
                            &format!("{path}.{name}"),
                            false,
                            problems,
                        );
                    }
                }
            }
        }
    }
    for (key, definition) in &attributes {
        if definition["required"] == true && !seen_attributes.contains(key) {
            problems.push(format!("{path}: the required `{key}` is missing"));
        }
    }
    for (name, definition) in &block_types {
        let count = seen_blocks.get(name).copied().unwrap_or(0);
        let min = definition["min_items"].as_u64().unwrap_or(0) as usize;
        let single =
            definition["nesting_mode"] == "single" || definition["nesting_mode"] == "group";
        let max = definition["max_items"]
            .as_u64()
            .map(|m| m as usize)
            .or(single.then_some(1));
        if count < min {
            problems.push(format!(
                "{path}: needs at least {min} `{name}` block(s), has {count}"
            ));
        }
        if let Some(max) = max {
            if count > max {
                problems.push(format!(
                    "{path}: allows at most {max} `{name}` block(s), has {count}"
                ));
            }
        }
    }
}

fn attribute<'a>(block: &'a Block, key: &str) -> Option<&'a Expression> {
    block
        .body
        .attributes()
        .find(|a| a.key.as_str() == key)
        .map(|a| &a.expr)
}

fn present(block: &Block, keys: &[&str]) -> Vec<String> {
    keys.iter()
        .filter(|key| attribute(block, key).is_some())
        .map(|key| key.to_string())
        .collect()
}

/// Rules a plan enforces that the schema does not express.
fn cross_argument_rules(kind: &str, block: &Block, path: &str, problems: &mut Vec<String>) {
    let mut exactly_one = |keys: &[&str], what: &str| {
        let found = present(block, keys);
        if found.len() != 1 {
            problems.push(format!(
                "{path}: needs exactly one {what} ({keys:?}), has {found:?}"
            ));
        }
    };
    match kind {
        "aws_vpc_security_group_ingress_rule" | "aws_vpc_security_group_egress_rule" => {
            exactly_one(
                &[
                    "cidr_ipv4",
                    "cidr_ipv6",
                    "prefix_list_id",
                    "referenced_security_group_id",
                ],
                "peer",
            );
            if let Some(Expression::String(protocol)) = attribute(block, "ip_protocol") {
                if protocol == "-1" && !present(block, &["from_port", "to_port"]).is_empty() {
                    problems.push(format!("{path}: ip_protocol -1 takes no ports"));
                }
            }
        }
        "aws_route" => {
            exactly_one(
                &[
                    "destination_cidr_block",
                    "destination_ipv6_cidr_block",
                    "destination_prefix_list_id",
                ],
                "destination",
            );
            exactly_one(
                &[
                    "gateway_id",
                    "nat_gateway_id",
                    "vpc_endpoint_id",
                    "vpc_peering_connection_id",
                    "transit_gateway_id",
                    "network_interface_id",
                    "egress_only_gateway_id",
                    "carrier_gateway_id",
                    "local_gateway_id",
                    "core_network_arn",
                ],
                "target",
            );
        }
        "aws_route_table_association" => exactly_one(&["subnet_id", "gateway_id"], "association"),
        "aws_rds_cluster"
            if attribute(block, "manage_master_user_password").is_some()
                && !present(block, &["master_password", "master_password_wo"]).is_empty() =>
        {
            problems.push(format!(
                "{path}: master_password conflicts with manage_master_user_password"
            ));
        }
        "aws_lb_target_group" => {
            let lambda = matches!(attribute(block, "target_type"), Some(Expression::String(t)) if t == "lambda");
            if !lambda && present(block, &["port", "protocol", "vpc_id"]).len() != 3 {
                problems.push(format!("{path}: port, protocol and vpc_id are required unless the target type is lambda"));
            }
        }
        "aws_cloudfront_distribution" => {
            for behavior in block
                .body
                .blocks()
                .filter(|b| b.identifier.as_str().ends_with("cache_behavior"))
            {
                if behavior
                    .body
                    .blocks()
                    .any(|b| b.identifier.as_str() == "forwarded_values")
                    && attribute(behavior, "cache_policy_id").is_some()
                {
                    problems.push(format!(
                        "{path}: forwarded_values conflicts with cache_policy_id"
                    ));
                }
            }
        }
        "aws_route53_record" => {
            let alias = block
                .body
                .blocks()
                .any(|b| b.identifier.as_str() == "alias");
            if alias && !present(block, &["records", "ttl"]).is_empty() {
                problems.push(format!("{path}: alias conflicts with records and ttl"));
            }
        }
        "aws_nat_gateway" => {
            let public = !matches!(attribute(block, "connectivity_type"), Some(Expression::String(t)) if t == "private");
            if public && attribute(block, "allocation_id").is_none() {
                problems.push(format!("{path}: a public NAT gateway needs allocation_id"));
            }
        }
        _ => {}
    }
}

fn check_files(files: &[ExportFile]) -> Vec<String> {
    let mut problems = Vec::new();
    let mut versions_pinned = false;
    for file in files.iter().filter(|file| file.path.ends_with(".tf")) {
        let body = hcl::parse(&file.contents)
            .unwrap_or_else(|error| panic!("{} does not parse: {error}", file.path));
        for block in body.blocks() {
            match block.identifier.as_str() {
                "resource" => {
                    let kind = block.labels.first().map(label).unwrap_or_default();
                    let name = block.labels.get(1).map(label).unwrap_or_default();
                    let path = format!("{}: {kind}.{name}", file.path);
                    match schemas().get(kind) {
                        None => problems.push(format!(
                            "{path}: no resource type {kind} in hashicorp/aws 6.19.0"
                        )),
                        Some(schema) => {
                            check_body(&block.body, &schema["block"], &path, true, &mut problems);
                            cross_argument_rules(kind, block, &path, &mut problems);
                        }
                    }
                }
                "terraform" => {
                    for providers in block
                        .body
                        .blocks()
                        .filter(|b| b.identifier.as_str() == "required_providers")
                    {
                        if let Some(Expression::Object(aws)) = attribute(providers, "aws") {
                            let version = aws
                                .iter()
                                .find(|(key, _)| key.to_string() == "version")
                                .map(|(_, v)| v);
                            versions_pinned = matches!(version, Some(Expression::String(v)) if v == terraform::PROVIDER_CONSTRAINT);
                        }
                    }
                }
                "variable" | "output" | "provider" | "data" | "locals" => {}
                other => {
                    problems.push(format!("{}: unexpected top-level block {other}", file.path))
                }
            }
        }
    }
    if !versions_pinned {
        problems.push("versions.tf does not pin hashicorp/aws to ~> 6.19".into());
    }
    problems
}

fn module(diagram: &Diagram) -> Vec<ExportFile> {
    terraform::module(diagram, &analyze(diagram))
}

#[test]
fn every_generated_module_fits_the_provider_schema() {
    for (name, diagram) in [
        ("seed", templates::seed()),
        ("every-kind", every_kind()),
        ("hostile", hostile()),
        ("generated", templates::generated(100)),
    ]
    .into_iter()
    .chain(templates::TEMPLATES.iter().map(|t| (t.name, t.build())))
    {
        let problems = check_files(&module(&diagram));
        assert!(problems.is_empty(), "{name}:\n{}", problems.join("\n"));
    }
}

#[test]
fn the_checker_catches_what_it_claims_to() {
    let mut files = module(&templates::seed());
    let network = files
        .iter_mut()
        .find(|f| f.path.ends_with("network.tf"))
        .unwrap();
    network.contents.push_str(concat!(
        "\nresource \"aws_vpc\" \"bad\" {\n  cidr_blok = \"10.0.0.0/16\"\n  arn = \"x\"\n}\n",
        "\nresource \"aws_route\" \"two_targets\" {\n  route_table_id = \"x\"\n  destination_cidr_block = \"0.0.0.0/0\"\n  gateway_id = \"a\"\n  nat_gateway_id = \"b\"\n}\n",
        "\nresource \"aws_s3_bucket_versioning\" \"missing\" {\n  bucket = \"x\"\n}\n",
        "\nresource \"aws_made_up\" \"x\" {}\n",
    ));
    let problems = check_files(&files).join("\n");
    for expected in [
        "`cidr_blok` is not an argument",
        "`arn` is computed",
        "needs exactly one target",
        "needs at least 1 `versioning_configuration`",
        "no resource type aws_made_up",
    ] {
        assert!(
            problems.contains(expected),
            "missing {expected:?} in:\n{problems}"
        );
    }
}

#[test]
fn the_sites_own_terraform_fits_the_provider_schema() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("deploy/terraform");
    let mut files: Vec<ExportFile> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "tf"))
        .map(|path| ExportFile {
            path: path.file_name().unwrap().to_string_lossy().into_owned(),
            contents: std::fs::read_to_string(&path).unwrap(),
        })
        .collect();
    files.sort_by(|a, b| a.path.cmp(&b.path));
    assert!(files.len() >= 4);
    let problems = check_files(&files);
    assert!(
        problems.is_empty(),
        "deploy/terraform:\n{}",
        problems.join("\n")
    );
}
