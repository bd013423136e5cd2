//! Every generated `.circleci/config.yml` against the real interfaces of the
//! orbs it pins (tests/schema/orb-manifest.json): the job, command and
//! executor names exist, every parameter passed is declared, every required
//! one is passed, and values have the declared types.

use crate::support::{every_kind, hostile};
use serde_json::Value;
use stackdraw::domain::export::circleci;
use stackdraw::domain::model::{Diagram, NodeKind, PipelineAuth};
use stackdraw::domain::templates;
use stackdraw::domain::validate::analyze;
use std::collections::BTreeMap;

/// Keys a workflow job entry may carry that are not parameters.
const WORKFLOW_KEYS: &[&str] = &[
    "name",
    "requires",
    "context",
    "filters",
    "matrix",
    "type",
    "pre-steps",
    "post-steps",
    "serial-group",
    "override-with",
];

fn manifest() -> Value {
    let path =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/schema/orb-manifest.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

struct Checker {
    manifest: Value,
    /// Orb alias -> pinned `name@version` key of the manifest.
    orbs: BTreeMap<String, String>,
    problems: Vec<String>,
}

impl Checker {
    fn component(&self, reference: &str, section: &str) -> Option<&serde_json::Map<String, Value>> {
        let (alias, name) = reference.split_once('/')?;
        let orb = self.orbs.get(alias)?;
        self.manifest[orb][section][name].as_object()
    }

    fn check_parameters(
        &mut self,
        at: &str,
        declared: &serde_json::Map<String, Value>,
        passed: &serde_json::Map<String, Value>,
        reserved: &[&str],
    ) {
        for (key, value) in passed {
            if reserved.contains(&key.as_str()) {
                continue;
            }
            let Some(parameter) = declared.get(key) else {
                self.problems
                    .push(format!("{at}: `{key}` is not a parameter"));
                continue;
            };
            let expression = value.as_str().is_some_and(|text| {
                text.trim_start().starts_with("<<") && text.trim_end().ends_with(">>")
            });
            let kind = parameter["type"].as_str().unwrap_or("");
            let fits = expression
                || match kind {
                    "boolean" => value.is_boolean(),
                    "integer" => value.is_i64() || value.is_u64(),
                    "string" => value.is_string(),
                    "enum" => parameter["enum"]
                        .as_array()
                        .is_some_and(|choices| choices.contains(value)),
                    "steps" => value.is_array(),
                    "env_var_name" => value.as_str().is_some_and(|text| {
                        text.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
                            && text
                                .chars()
                                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
                    }),
                    "executor" => value.is_string() || value.is_object(),
                    _ => true,
                };
            if !fits {
                self.problems
                    .push(format!("{at}: `{key}` must be a {kind}, not {value}"));
            }
            if kind == "steps" {
                if let Some(steps) = value.as_array() {
                    self.check_steps(&format!("{at}.{key}"), steps);
                }
            }
        }
        for (key, parameter) in declared {
            if parameter["required"] == true && !passed.contains_key(key) {
                self.problems
                    .push(format!("{at}: the required `{key}` is missing"));
            }
        }
    }

    fn check_steps(&mut self, at: &str, steps: &[Value]) {
        for (index, step) in steps.iter().enumerate() {
            let Some(map) = step.as_object() else {
                continue;
            };
            for (name, arguments) in map {
                if matches!(name.as_str(), "when" | "unless") {
                    if let Some(inner) = arguments["steps"].as_array() {
                        self.check_steps(&format!("{at}[{index}].{name}.steps"), inner);
                    }
                    continue;
                }
                if !name.contains('/') {
                    continue;
                }
                let place = format!("{at}[{index}] {name}");
                match self.component(name, "commands").cloned() {
                    None => self.problems.push(format!("{place}: no such orb command")),
                    Some(declared) => {
                        let empty = serde_json::Map::new();
                        self.check_parameters(
                            &place,
                            &declared,
                            arguments.as_object().unwrap_or(&empty),
                            &[],
                        );
                    }
                }
            }
        }
    }
}

fn check(config_text: &str) -> Vec<String> {
    let config: Value = serde_saphyr::from_str(config_text).expect("the config is YAML");
    let mut checker = Checker {
        manifest: manifest(),
        orbs: BTreeMap::new(),
        problems: Vec::new(),
    };
    for (alias, pin) in config["orbs"].as_object().into_iter().flatten() {
        let pin = pin.as_str().unwrap_or_default().to_string();
        if checker.manifest.get(&pin).is_none() {
            checker.problems.push(format!(
                "orbs.{alias}: {pin} is not an exact version in the manifest"
            ));
        }
        checker.orbs.insert(alias.clone(), pin);
    }
    for (name, job) in config["jobs"].as_object().cloned().unwrap_or_default() {
        if let Some(executor) = job["executor"].as_str() {
            if executor.contains('/') && checker.component(executor, "executors").is_none() {
                checker
                    .problems
                    .push(format!("jobs.{name}: no executor {executor}"));
            }
        }
        if let Some(steps) = job["steps"].as_array() {
            checker.check_steps(&format!("jobs.{name}.steps"), steps);
        }
    }
    for (workflow, definition) in config["workflows"].as_object().cloned().unwrap_or_default() {
        for entry in definition["jobs"].as_array().cloned().unwrap_or_default() {
            let (name, arguments) = match &entry {
                Value::String(name) => (name.clone(), Value::Object(Default::default())),
                Value::Object(map) => {
                    let (name, arguments) = map.iter().next().unwrap();
                    (name.clone(), arguments.clone())
                }
                _ => continue,
            };
            if !name.contains('/') {
                if config["jobs"].get(&name).is_none() {
                    checker
                        .problems
                        .push(format!("workflows.{workflow}: no job {name}"));
                }
                continue;
            }
            match checker.component(&name, "jobs").cloned() {
                None => checker
                    .problems
                    .push(format!("workflows.{workflow}: no orb job {name}")),
                Some(declared) => {
                    let empty = serde_json::Map::new();
                    checker.check_parameters(
                        &format!("workflows.{workflow}.{name}"),
                        &declared,
                        arguments.as_object().unwrap_or(&empty),
                        WORKFLOW_KEYS,
                    );
                }
            }
        }
    }
    checker.problems
}

fn config(diagram: &Diagram) -> String {
    circleci::config(diagram, &analyze(diagram)).expect("the diagram has a pipeline")
}

#[test]
fn generated_configs_use_the_orbs_as_they_are_declared() {
    let mut access_keys = templates::seed();
    for node in &mut access_keys.nodes {
        if let NodeKind::Pipeline(pipeline) = &mut node.kind {
            pipeline.auth = PipelineAuth::AccessKeys;
        }
    }
    for (name, diagram) in [
        ("seed", templates::seed()),
        ("every-kind", every_kind()),
        ("hostile", hostile()),
        ("access-keys", access_keys),
    ] {
        let problems = check(&config(&diagram));
        assert!(problems.is_empty(), "{name}:\n{}", problems.join("\n"));
    }
}

#[test]
fn the_seed_pipeline_builds_both_images_deploys_and_syncs_the_front_end() {
    let text = config(&templates::seed());
    let value: Value = serde_saphyr::from_str(&text).unwrap();
    let jobs = value["workflows"]["deploy-pipeline"]["jobs"]
        .as_array()
        .unwrap();
    let names: Vec<String> = jobs
        .iter()
        .map(|job| {
            let (kind, arguments) = job.as_object().unwrap().iter().next().unwrap();
            arguments["name"]
                .as_str()
                .map_or(kind.clone(), str::to_string)
        })
        .collect();
    assert_eq!(
        names,
        [
            "build-ecr-nginx",
            "build-ecr-api",
            "deploy-services",
            "build-frontend",
            "deploy-frontend"
        ]
    );
    assert_eq!(
        jobs[2]["deploy-services"]["requires"],
        serde_json::json!(["build-ecr-nginx", "build-ecr-api"]),
        "services are deployed once every image is pushed"
    );
    // One job, two ways: through the stack's parameters, or (Terraform)
    // through the ECS API, chosen by the pipeline parameter.
    assert_eq!(
        value["parameters"]["infrastructure"]["default"],
        "cloudformation"
    );
    let steps = value["jobs"]["deploy-services"]["steps"]
        .as_array()
        .unwrap();
    let when = |infrastructure: &str| {
        steps
            .iter()
            .find(|step| step["when"]["condition"]["equal"][0] == infrastructure)
            .unwrap_or_else(|| panic!("no {infrastructure} step"))["when"]["steps"]
            .clone()
    };
    let stack = when("cloudformation");
    let script = stack[0]["run"]["command"].as_str().unwrap();
    assert!(script.contains("--use-previous-template"), "{script}");
    assert!(script.contains("ParameterKey=ImageTag,ParameterValue=<< pipeline.git.revision >>"));
    assert!(script.contains("ParameterKey=ServiceDesiredCount,ParameterValue=2"));
    assert!(script.contains("UsePreviousValue=true"));
    let ecs = when("terraform");
    let update = &ecs[0]["aws-ecs/update_service"];
    assert_eq!(update["cluster"], "cluster");
    assert_eq!(update["family"], "service");
    assert_eq!(
        update["container_image_name_updates"],
        "container=nginx,tag=<< pipeline.git.revision >>,container=flask,tag=<< pipeline.git.revision >>"
    );
    assert!(ecs[1]["run"]["command"]
        .as_str()
        .unwrap()
        .contains("--desired-count 2"));
    assert!(
        text.contains("role_arn: \"arn:aws:iam::${AWS_ACCOUNT_ID}:role/myapp-circleci-deploy\"")
    );
    assert!(text.contains("--content-type application/wasm"));
    assert!(text.contains("create-invalidation"));
}

#[test]
fn the_checker_catches_seed_era_mistakes() {
    let bad = r#"
version: 2.1
orbs:
  aws-ecr: circleci/aws-ecr@0.0.2
  aws-ecs: circleci/aws-ecs@8.0.0
  aws-cli: circleci/aws-cli@5.4.1
workflows:
  deploy:
    jobs:
      - aws-ecs/deploy-service-update:
          family: x
      - aws-ecs/deploy_service_update:
          cluster-name: x
          family: x
          verify_revision_is_deployed: "true"
          auth:
            - aws-cli/assume_role_with_web_identity:
                role-arn: x
"#;
    let problems = check(bad).join("\n");
    for expected in [
        "circleci/aws-ecr@0.0.2 is not an exact version",
        "no orb job aws-ecs/deploy-service-update",
        "`cluster-name` is not a parameter",
        "the required `cluster` is missing",
        "`verify_revision_is_deployed` must be a boolean",
        "no such orb command",
    ] {
        assert!(
            problems.contains(expected),
            "missing {expected:?} in:\n{problems}"
        );
    }
}

#[test]
fn the_sites_own_pipeline_and_the_design_review_recipe_use_their_orbs_as_declared() {
    for file in [".circleci/config.yml", "docs/ci/circleci-diff.yml"] {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(file);
        let problems = check(&std::fs::read_to_string(path).unwrap());
        assert!(problems.is_empty(), "{file}: {}", problems.join("\n"));
    }
}
