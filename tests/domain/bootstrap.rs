//! What a first real deploy needs that no linter checks: services whose
//! images the pipeline has not pushed yet start at zero tasks, one owner for
//! the running image, databases that let a failed first deploy roll back,
//! and a README per bundle that says all of it.

use crate::support::{every_kind, hostile, read_fixture};
use serde_json::{json, Value};
use stackdraw::domain::codec::decode_file;
use stackdraw::domain::export::{self, cloudformation, Format};
use stackdraw::domain::model::*;
use stackdraw::domain::templates::TEMPLATES;
use stackdraw::domain::validate::analyze;

/// Every template and the fixtures that export.
fn diagrams() -> Vec<(String, Diagram)> {
    let mut all: Vec<(String, Diagram)> = TEMPLATES
        .iter()
        .map(|template| (template.name.to_string(), template.build()))
        .collect();
    all.push(("every-kind".into(), every_kind()));
    all.push(("hostile".into(), hostile()));
    all
}

fn terraform_blocks(diagram: &Diagram, kind: &str) -> Vec<hcl::Block> {
    let analysis = analyze(diagram);
    export::export_with(diagram, &analysis, Format::Terraform)
        .into_iter()
        .filter(|file| file.path.ends_with(".tf"))
        .flat_map(|file| {
            let body = hcl::parse(&file.contents).unwrap();
            body.into_blocks()
                .filter(|block| {
                    block.identifier() == "resource"
                        && block.labels().first().map(|l| l.as_str()) == Some(kind)
                })
                .collect::<Vec<_>>()
        })
        .collect()
}

fn attribute<'b>(block: &'b hcl::Block, key: &str) -> Option<&'b hcl::Expression> {
    block
        .body()
        .attributes()
        .find(|attribute| attribute.key() == key)
        .map(|attribute| attribute.expr())
}

#[test]
fn services_running_their_own_images_start_at_zero_and_the_pipeline_owns_them() {
    let mut owned = 0;
    for (name, diagram) in diagrams() {
        let template = cloudformation::template(&diagram, &analyze(&diagram));
        let services: Vec<&Node> = diagram
            .nodes
            .iter()
            .filter(|node| node.tag() == KindTag::FargateService)
            .collect();
        let tf_services = terraform_blocks(&diagram, "aws_ecs_service");
        assert_eq!(tf_services.len(), services.len(), "{name}");
        for node in services {
            let NodeKind::FargateService(service) = &node.kind else {
                unreachable!()
            };
            let logical = export::names::Names::cloudformation(&diagram).of(&node.id);
            let count = &template["Resources"][&logical]["Properties"]["DesiredCount"];
            let tf = tf_services
                .iter()
                .find(|block| {
                    block.labels()[1].as_str()
                        == export::names::Names::terraform(&diagram).of(&node.id)
                })
                .unwrap();
            let lifecycle = tf.body().blocks().find(|b| b.identifier() == "lifecycle");
            if service.starts_after_first_push() {
                owned += 1;
                let parameter = cloudformation::desired_count_parameter(&logical);
                assert_eq!(count, &json!({ "Ref": parameter }), "{name}: {logical}");
                assert_eq!(template["Parameters"][&parameter]["Default"], 0, "{name}");
                assert_eq!(template["Parameters"]["ImageTag"]["Default"], "bootstrap");
                assert_eq!(
                    attribute(tf, "desired_count").unwrap().to_string(),
                    "0",
                    "{name}: Terraform starts it at zero"
                );
                let ignored = attribute(lifecycle.expect("a lifecycle block"), "ignore_changes")
                    .unwrap()
                    .to_string();
                assert!(
                    ignored.contains("task_definition") && ignored.contains("desired_count"),
                    "{name}: {ignored}"
                );
            } else {
                assert_eq!(count, &json!(service.desired_count), "{name}: {logical}");
                assert!(
                    lifecycle.is_none(),
                    "{name}: a public image runs from the start"
                );
            }
        }
    }
    assert!(owned >= 2, "the templates exercise the bootstrap ({owned})");
}

#[test]
fn a_failed_first_deploy_rolls_back_and_data_is_kept() {
    let mut databases = 0;
    for (name, diagram) in diagrams() {
        let template = cloudformation::template(&diagram, &analyze(&diagram));
        for (logical, resource) in template["Resources"].as_object().unwrap() {
            if resource["Type"] != "AWS::RDS::DBCluster" {
                continue;
            }
            databases += 1;
            assert_eq!(
                resource["Properties"]["DeletionProtection"],
                json!({ "Ref": "DatabaseDeletionProtection" }),
                "{name}: {logical}"
            );
            assert_eq!(resource["DeletionPolicy"], "Snapshot");
            assert_eq!(resource["UpdateReplacePolicy"], "Snapshot");
            let parameter = &template["Parameters"]["DatabaseDeletionProtection"];
            assert_eq!(
                parameter["Default"], "false",
                "{name}: off for the first deploy"
            );
            assert_eq!(parameter["AllowedValues"], json!(["true", "false"]));
        }
        for cluster in terraform_blocks(&diagram, "aws_rds_cluster") {
            assert_eq!(
                attribute(&cluster, "deletion_protection")
                    .unwrap()
                    .to_string(),
                "var.database_deletion_protection",
                "{name}"
            );
            assert_eq!(
                attribute(&cluster, "skip_final_snapshot")
                    .unwrap()
                    .to_string(),
                "false"
            );
        }
    }
    assert!(databases >= 2, "{databases}");
}

fn file<'f>(files: &'f [export::ExportFile], path: &str) -> &'f str {
    &files
        .iter()
        .find(|file| file.path == path)
        .unwrap_or_else(|| panic!("no {path}"))
        .contents
}

#[test]
fn every_bundle_carries_a_readme_that_says_how_to_deploy_it() {
    for (name, diagram) in diagrams() {
        let analysis = analyze(&diagram);
        let files = export::export_all(&diagram, &analysis);
        assert_eq!(
            files,
            export::export_all(&diagram, &analysis),
            "{name}: deterministic"
        );

        let template = cloudformation::template(&diagram, &analysis);
        let readme = file(&files, "README.md");
        assert!(readme.contains("aws cloudformation deploy"), "{name}");
        assert!(readme.contains("--s3-bucket"), "{name}");
        assert!(readme.contains("51200"), "{name}: says why the bucket");
        for parameter in template["Parameters"]
            .as_object()
            .into_iter()
            .flatten()
            .map(|(k, _)| k)
        {
            assert!(
                readme.contains(&format!("`{parameter}`")),
                "{name}: {parameter} undocumented"
            );
        }
        let capabilities = stackdraw::domain::export::readme::capabilities(&template);
        assert!(readme.contains(capabilities), "{name}");

        let tf_readme = file(&files, "terraform/README.md");
        assert!(tf_readme.contains("terraform init") && tf_readme.contains("terraform apply"));
        let variables = hcl::parse(file(&files, "terraform/variables.tf")).unwrap();
        for variable in variables.blocks() {
            let variable_name = variable.labels()[0].as_str();
            assert!(
                tf_readme.contains(&format!("`{variable_name}`")),
                "{name}: {variable_name}"
            );
        }

        let has_pipeline = diagram.nodes.iter().any(|n| n.tag() == KindTag::Pipeline);
        let pipeline_readme = files.iter().find(|f| f.path == ".circleci/README.md");
        assert_eq!(pipeline_readme.is_some(), has_pipeline, "{name}");
        if let Some(readme) = pipeline_readme.map(|f| f.contents.as_str()) {
            let config = file(&files, ".circleci/config.yml");
            let header = config.lines().nth(1).unwrap();
            // Every variable the config's header asks the context for.
            for variable in header
                .trim_start_matches("# The context holds ")
                .split(';')
                .next()
                .unwrap()
                .split(", ")
            {
                assert!(
                    readme.contains(&format!("`{variable}`")),
                    "{name}: {variable}"
                );
            }
            assert!(readme.contains("infrastructure"), "{name}");
        }
        // Errors are listed wherever the diagram has them.
        let errors = analysis.has_errors();
        for path in ["README.md", "terraform/README.md"] {
            assert_eq!(
                file(&files, path).contains("## Open errors"),
                errors,
                "{name}: {path}"
            );
        }
    }
}

#[test]
fn a_diagram_with_errors_lists_them_in_each_readme() {
    let diagram = decode_file(&read_fixture(
        "rules/VR-43-db-closed-to-service.trigger.json",
    ))
    .unwrap();
    let analysis = analyze(&diagram);
    assert!(analysis.has_errors());
    let files = export::export_all(&diagram, &analysis);
    for path in ["README.md", "terraform/README.md", ".circleci/README.md"] {
        let readme = file(&files, path);
        assert!(readme.contains("## Open errors"), "{path}");
        assert!(readme.contains("VR-43"), "{path}");
    }
    // The command-line tool writes a bundle's README with a single format.
    let bundle = export::bundle(&diagram, &analysis, Format::CloudFormationYaml);
    let paths: Vec<&str> = bundle.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(paths, ["cloudformation.yaml", "README.md"]);
    let bundle = export::bundle(&diagram, &analysis, Format::CircleCi);
    let paths: Vec<&str> = bundle.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(paths, [".circleci/config.yml", ".circleci/README.md"]);
}

#[test]
fn the_pipeline_and_the_stack_name_the_same_parameters() {
    // The parameters the pipeline sets exist in the template it updates.
    let set = regex::Regex::new(r"ParameterKey=([A-Za-z0-9]+),ParameterValue=").unwrap();
    for (name, diagram) in diagrams() {
        let analysis = analyze(&diagram);
        let Some(config) = export::circleci::config(&diagram, &analysis) else {
            continue;
        };
        let template = cloudformation::template(&diagram, &analysis);
        let parsed: Value = serde_saphyr::from_str(&config).unwrap();
        let Some(job) = parsed["jobs"].as_object().and_then(|jobs| {
            jobs.iter()
                .find(|(job, _)| job.ends_with("deploy-services"))
                .map(|(_, job)| job.clone())
        }) else {
            continue;
        };
        let script = job["steps"]
            .as_array()
            .unwrap()
            .iter()
            .find_map(|step| step["when"]["steps"][0]["run"]["command"].as_str())
            .unwrap()
            .to_string();
        let keys: Vec<String> = set
            .captures_iter(&script)
            .map(|c| c[1].to_string())
            .collect();
        assert!(keys.contains(&"ImageTag".to_string()), "{name}");
        for key in keys {
            assert!(
                template["Parameters"].get(&key).is_some(),
                "{name}: the pipeline sets {key}, which the template does not have"
            );
        }
    }
}

/// The pipeline updates the stack with its own role: the role may do what
/// that update does, and no more than the stack it belongs to.
#[test]
fn the_pipeline_role_may_update_its_stack() {
    let mut checked = 0;
    for (name, diagram) in diagrams() {
        let template = cloudformation::template(&diagram, &analyze(&diagram));
        let Some(role) = template["Resources"]
            .as_object()
            .unwrap()
            .iter()
            .find(|(logical, r)| {
                r["Type"] == "AWS::IAM::Role" && logical.ends_with("PipelineRole")
                    || logical.as_str() == "PipelineRole"
            })
            .map(|(_, role)| role.clone())
        else {
            continue;
        };
        let statements = role["Properties"]["Policies"][0]["PolicyDocument"]["Statement"]
            .as_array()
            .unwrap()
            .clone();
        let allows = |action: &str| {
            statements.iter().any(|s| {
                s["Action"] == action
                    || s["Action"]
                        .as_array()
                        .is_some_and(|a| a.iter().any(|x| x == action))
            })
        };
        let deploys_services = diagram
            .nodes
            .iter()
            .any(|n| matches!(&n.kind, NodeKind::FargateService(s) if s.starts_after_first_push()));
        if !deploys_services {
            continue;
        }
        for action in [
            "cloudformation:UpdateStack",
            "cloudformation:DescribeStacks",
            "ecs:RegisterTaskDefinition",
            "ecs:DeregisterTaskDefinition",
            "ecs:UpdateService",
            "iam:PassRole",
        ] {
            assert!(allows(action), "{name}: the pipeline role lacks {action}");
        }
        let stack = statements
            .iter()
            .find(|s| {
                s["Action"]
                    .as_array()
                    .is_some_and(|a| a.iter().any(|x| x == "cloudformation:UpdateStack"))
            })
            .unwrap();
        assert!(
            stack["Resource"].to_string().contains("${AWS::StackName}"),
            "{name}: only its own stack"
        );
        let ssm_typed = template["Parameters"]
            .as_object()
            .unwrap()
            .values()
            .any(|p| {
                p["Type"]
                    .as_str()
                    .unwrap_or_default()
                    .starts_with("AWS::SSM::")
            });
        assert_eq!(allows("ssm:GetParameters"), ssm_typed, "{name}");
        checked += 1;
    }
    assert!(checked >= 2, "{checked} pipelines checked");
}
