//! `.circleci/config.yml` for the diagram's pipelines: build and push each
//! container image to its ECR repository tagged with the commit, roll the ECS
//! service onto it, build the front end, sync it to its bucket and invalidate
//! CloudFront. Orb versions are exact pins whose jobs and parameters were
//! checked against the orbs' sources (tests/schema/orb-manifest.json).

use super::cloudformation::{desired_count_parameter, IMAGE_TAG};
use super::names::{resource_name, Names};
use super::yaml;
use crate::domain::model::*;
use crate::domain::validate::Analysis;
use serde_json::{json, Map, Value};

pub const AWS_CLI_ORB: &str = "circleci/aws-cli@5.4.1";
pub const AWS_ECR_ORB: &str = "circleci/aws-ecr@9.8.1";
pub const AWS_ECS_ORB: &str = "circleci/aws-ecs@8.0.0";
/// The image front ends build in.
const NODE_IMAGE: &str = "cimg/node:22.11";
/// The commit being built, resolved when CircleCI compiles the config.
const REVISION: &str = "<< pipeline.git.revision >>";
/// Which export deployed the infrastructure, and so who the pipeline
/// deploys its images through: the CloudFormation stack's parameters, or
/// the ECS API (Terraform leaves the task definition and count to it).
pub const INFRASTRUCTURE: &str = "infrastructure";
/// The context variable naming the CloudFormation stack.
pub const STACK_NAME: &str = "STACK_NAME";
/// The name of the step that deploys through the stack, which the emulator
/// stage runs.
pub const STACK_DEPLOY_STEP: &str = "Run the pushed images through the stack's parameters";

/// A Fargate service the pipeline deploys.
struct Deployed<'a> {
    id: &'a NodeId,
    service: &'a FargateService,
    cluster: &'a NodeId,
    /// `container=NAME,tag=TAG` for each container built here.
    image_updates: Vec<String>,
}

/// A CircleCI job or workflow name: lowercase letters, digits and hyphens.
pub(super) fn job_name(text: &str) -> String {
    let name: String = text
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    name.trim_matches('-').to_string()
}

/// Text placed in a shell command, single-quoted.
fn shell_quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', "'\\''"))
}

/// The environment variable holding a distribution's id (known after deploy).
fn distribution_variable(id: &NodeId) -> String {
    format!(
        "{}_DISTRIBUTION_ID",
        resource_name(id.as_str()).to_uppercase().replace('-', "_")
    )
}

fn auth(pipeline: &Pipeline, region: &str) -> Value {
    match &pipeline.auth {
        PipelineAuth::OidcRole(role) => json!([{ "aws-cli/setup": {
            "role_arn": format!("arn:aws:iam::${{AWS_ACCOUNT_ID}}:role/{role}"),
            "region": region,
        } }]),
        PipelineAuth::AccessKeys => json!([{ "aws-cli/setup": { "region": region } }]),
    }
}

fn branch_filter(pipeline: &Pipeline) -> Value {
    json!({ "branches": { "only": pipeline.branch } })
}

/// The diagram's pipelines, in diagram order.
pub fn pipelines(diagram: &Diagram) -> Vec<(&Node, &Pipeline)> {
    diagram
        .nodes
        .iter()
        .filter_map(|node| match &node.kind {
            NodeKind::Pipeline(pipeline) => Some((node, pipeline)),
            _ => None,
        })
        .collect()
}

/// The config, with a header naming what the context must hold.
pub fn config(diagram: &Diagram, analysis: &Analysis) -> Option<String> {
    let pipelines = pipelines(diagram);
    if pipelines.is_empty() {
        return None;
    }
    let node = |id: &NodeId| diagram.node(id);
    let region = diagram.region.as_str();
    let logical = Names::cloudformation(diagram);
    let mut jobs = Map::new();
    let mut workflows = Map::new();
    let mut variables = vec!["AWS_ACCOUNT_ID".to_string()];

    for (pipeline_node, pipeline) in &pipelines {
        let prefix = if pipelines.len() > 1 {
            format!("{}-", job_name(pipeline_node.id.as_str()))
        } else {
            String::new()
        };
        let mut workflow_jobs: Vec<Value> = Vec::new();
        let mut built: Vec<String> = Vec::new();
        let mut deployed: Vec<Deployed> = Vec::new();
        let mut frontend_bucket = None;
        let mut distributions = Vec::new();

        for target in &pipeline.deploys {
            match node(target).map(|n| &n.kind) {
                Some(NodeKind::FargateService(service)) => {
                    let mut updates = Vec::new();
                    for container in &service.containers {
                        let ContainerImage::Ecr(repository_id) = &container.image else {
                            continue;
                        };
                        let Some(NodeKind::EcrRepository(repository)) =
                            node(repository_id).map(|n| &n.kind)
                        else {
                            continue;
                        };
                        let build = format!("{prefix}build-{}", job_name(repository_id.as_str()));
                        if !built.contains(&build) {
                            built.push(build.clone());
                            workflow_jobs.push(json!({ "aws-ecr/build_and_push_image": {
                                "name": build,
                                "context": pipeline.context,
                                "auth": auth(pipeline, region),
                                "account_id": "${AWS_ACCOUNT_ID}",
                                "region": region,
                                "repo": repository.repository_name,
                                "tag": REVISION,
                                "path": format!("./{}", job_name(&container.name)),
                                "build_path": format!("./{}", job_name(&container.name)),
                                "dockerfile": "Dockerfile",
                                "platform": "linux/amd64",
                                "filters": branch_filter(pipeline),
                            } }));
                        }
                        updates.push(format!("container={},tag={REVISION}", container.name));
                    }
                    let Some(cluster) = &service.cluster else {
                        continue;
                    };
                    if !updates.is_empty() {
                        deployed.push(Deployed {
                            id: target,
                            service,
                            cluster,
                            image_updates: updates,
                        });
                    }
                }
                Some(NodeKind::S3Bucket(bucket)) => {
                    frontend_bucket = Some(bucket.bucket_name.clone())
                }
                Some(NodeKind::CloudFront(_)) => distributions.push(target.clone()),
                Some(NodeKind::LambdaFunction(function)) => {
                    let job = format!("{prefix}deploy-function-{}", job_name(target.as_str()));
                    jobs.insert(
                        job.clone(),
                        deploy_function_job(pipeline, region, target, function),
                    );
                    workflow_jobs.push(json!({ job: {
                        "context": pipeline.context,
                        "filters": branch_filter(pipeline),
                    } }));
                }
                _ => {}
            }
        }

        if !deployed.is_empty() {
            let job = format!("{prefix}deploy-services");
            jobs.insert(
                job.clone(),
                deploy_services_job(pipeline, region, &deployed, &logical),
            );
            workflow_jobs.push(json!({ job: {
                "requires": built.clone(),
                "context": pipeline.context,
                "filters": branch_filter(pipeline),
            } }));
            if !variables.iter().any(|v| v == STACK_NAME) {
                variables.push(STACK_NAME.into());
            }
        }

        if let (Some(bucket), Some(frontend)) = (&frontend_bucket, &pipeline.frontend) {
            let build = format!("{prefix}build-frontend");
            let deploy = format!("{prefix}deploy-frontend");
            let directory = if frontend.directory.is_empty() {
                "."
            } else {
                frontend.directory.as_str()
            };
            let output = format!(
                "{}/{}",
                directory.trim_end_matches('/'),
                frontend.output_directory.trim_matches('/')
            );
            jobs.insert(
                build.clone(),
                json!({
                    "docker": [{ "image": NODE_IMAGE }],
                    "steps": [
                        "checkout",
                        { "run": {
                            "name": "Build the front end",
                            "working_directory": directory,
                            "command": frontend.build_command,
                        } },
                        { "persist_to_workspace": { "root": ".", "paths": [output] } },
                    ],
                }),
            );
            let target = format!("s3://{bucket}");
            let mut steps = vec![
                json!({ "attach_workspace": { "at": "." } }),
                auth(pipeline, region)[0].clone(),
                json!({ "run": {
                    "name": "Upload hashed assets with a long cache life",
                    "command": format!(
                        "aws s3 sync {} {} --exclude index.html --exclude '*.wasm' --cache-control 'public, max-age=31536000, immutable'",
                        shell_quote(&format!("{output}/")), shell_quote(&format!("{target}/"))
                    ),
                } }),
                json!({ "run": {
                    "name": "Upload WebAssembly with its content type",
                    "command": format!(
                        "aws s3 sync {} {} --exclude '*' --include '*.wasm' --content-type application/wasm --cache-control 'public, max-age=31536000, immutable'",
                        shell_quote(&format!("{output}/")), shell_quote(&format!("{target}/"))
                    ),
                } }),
                json!({ "run": {
                    "name": "Upload index.html last, revalidated on every visit",
                    "command": format!(
                        "aws s3 cp {} {} --content-type 'text/html; charset=utf-8' --cache-control no-cache",
                        shell_quote(&format!("{output}/index.html")), shell_quote(&format!("{target}/index.html"))
                    ),
                } }),
                json!({ "run": {
                    "name": "Delete files the new build no longer has",
                    "command": format!(
                        "aws s3 sync {} {} --delete --size-only",
                        shell_quote(&format!("{output}/")), shell_quote(&format!("{target}/"))
                    ),
                } }),
            ];
            for distribution in &distributions {
                let variable = distribution_variable(distribution);
                steps.push(json!({ "run": {
                    "name": "Invalidate the CloudFront cache",
                    "command": format!("aws cloudfront create-invalidation --distribution-id \"${{{variable}}}\" --paths '/index.html' '/'"),
                } }));
                if !variables.contains(&variable) {
                    variables.push(variable);
                }
            }
            jobs.insert(
                deploy.clone(),
                json!({ "executor": "aws-cli/default", "steps": steps }),
            );
            workflow_jobs.push(json!({ build.clone(): { "filters": branch_filter(pipeline) } }));
            workflow_jobs.push(json!({ deploy: {
                "requires": [build],
                "context": pipeline.context,
                "filters": branch_filter(pipeline),
            } }));
        }
        if !workflow_jobs.is_empty() {
            workflows.insert(
                job_name(&format!("deploy-{}", pipeline_node.id)),
                json!({ "jobs": workflow_jobs }),
            );
        }
    }
    if pipelines
        .iter()
        .any(|(_, p)| p.auth == PipelineAuth::AccessKeys)
    {
        variables.push("AWS_ACCESS_KEY_ID".into());
        variables.push("AWS_SECRET_ACCESS_KEY".into());
    }

    let mut root = Map::new();
    root.insert("version".into(), json!(2.1));
    root.insert(
        "parameters".into(),
        json!({ INFRASTRUCTURE: {
            "type": "enum",
            "enum": ["cloudformation", "terraform"],
            "default": "cloudformation",
            "description": "How the infrastructure was deployed: the pipeline runs new images through the CloudFormation stack's parameters, or (Terraform) through the ECS API",
        } }),
    );
    root.insert(
        "orbs".into(),
        json!({ "aws-cli": AWS_CLI_ORB, "aws-ecr": AWS_ECR_ORB, "aws-ecs": AWS_ECS_ORB }),
    );
    let deploys_functions = jobs.keys().any(|job| job.contains("deploy-function-"));
    if !jobs.is_empty() {
        root.insert("jobs".into(), Value::Object(jobs));
    }
    if workflows.is_empty() {
        workflows.insert("deploy".into(), json!({ "jobs": [] }));
    }
    root.insert("workflows".into(), Value::Object(workflows));

    let errors = super::error_lines(analysis, "#   ");
    let mut header = String::from("# Generated by stackdraw.\n");
    header.push_str(&format!(
        "# The context holds {}; each image builds from ./<container>/Dockerfile.\n",
        variables.join(", ")
    ));
    if deploys_functions {
        header.push_str(
            "# Each function's code is zipped from ./functions/<node id>/, with its handler in index.js or index.py (`index.handler`).\n",
        );
    }
    header.push_str(&format!(
        "# Set the `{INFRASTRUCTURE}` parameter below to `terraform` if the infrastructure was applied with Terraform (see README.md).\n"
    ));
    if !errors.is_empty() {
        header.push_str(&format!(
            "# WARNING: the diagram has {} validation error{}; the pipeline will not deploy as is:\n{}\n",
            errors.len(),
            if errors.len() == 1 { "" } else { "s" },
            errors.join("\n")
        ));
    }
    Some(format!("{header}{}", yaml::to_yaml(&Value::Object(root))))
}

/// The job that replaces a Lambda function's placeholder with the code in
/// `functions/<id>/` of the repository (the folder the Terraform export
/// writes its placeholder in), zipped as Lambda takes it; the update is
/// finished when the job ends. Neither export touches the code again.
fn deploy_function_job(
    pipeline: &Pipeline,
    region: &str,
    id: &NodeId,
    function: &LambdaFunction,
) -> Value {
    let name = shell_quote(&function.function_name);
    let package = format!("{}.zip", id);
    json!({
        "executor": "aws-cli/default",
        "steps": [
            "checkout",
            auth(pipeline, region)[0].clone(),
            { "run": {
                "name": format!("Deploy the code of {}", function.function_name),
                "command": format!(
                    "set -euo pipefail\n(cd {folder} && zip -qr \"$OLDPWD/{package}\" .)\naws lambda update-function-code --region {region} --function-name {name} --zip-file fileb://{package} > /dev/null\naws lambda wait function-updated-v2 --region {region} --function-name {name}\n",
                    folder = shell_quote(&format!("functions/{id}")),
                ),
            } },
        ],
    })
}

/// The job that puts the pushed images into service, through whichever
/// export owns the infrastructure (the `infrastructure` pipeline parameter):
/// - CloudFormation: an update of the stack with its previous template,
///   setting the image tag and each service's task count and keeping every
///   other parameter, so the stack stays the one owner of what runs and a
///   later `aws cloudformation deploy` keeps those values;
/// - Terraform, which ignores the services' task definition and count: a new
///   task definition revision per service and its count, through ECS.
fn deploy_services_job(
    pipeline: &Pipeline,
    region: &str,
    deployed: &[Deployed],
    logical: &Names,
) -> Value {
    let when = |infrastructure: &str, steps: Vec<Value>| {
        json!({ "when": {
            "condition": { "equal": [infrastructure, format!("<< pipeline.parameters.{INFRASTRUCTURE} >>")] },
            "steps": steps,
        } })
    };
    let mut ecs_steps = Vec::new();
    for service in deployed {
        let name = resource_name(service.id.as_str());
        let cluster = resource_name(service.cluster.as_str());
        ecs_steps.push(json!({ "aws-ecs/update_service": {
            "family": name,
            "cluster": cluster,
            "service_name": name,
            "container_image_name_updates": service.image_updates.join(","),
        } }));
        ecs_steps.push(json!({ "run": {
            "name": format!("Run {} tasks of {name}", service.service.desired_count),
            "command": format!(
                "aws ecs update-service --region {region} --cluster {cluster} --service {name} --desired-count {} > /dev/null\naws ecs wait services-stable --region {region} --cluster {cluster} --services {name}",
                service.service.desired_count
            ),
        } }));
    }
    json!({
        "executor": "aws-ecs/default",
        "steps": [
            auth(pipeline, region)[0].clone(),
            when("cloudformation", vec![json!({ "run": {
                "name": STACK_DEPLOY_STEP,
                "command": stack_deploy_script(region, deployed, logical),
            } })]),
            when("terraform", ecs_steps),
        ],
    })
}

/// The shell script of the CloudFormation path. Every parameter it does not
/// set keeps its value (`UsePreviousValue`), read from the stack itself so a
/// parameter added later is kept too; "no updates" (a re-run) is success.
fn stack_deploy_script(region: &str, deployed: &[Deployed], logical: &Names) -> String {
    let mut owned = vec![(IMAGE_TAG.to_string(), REVISION.to_string())];
    for service in deployed {
        owned.push((
            desired_count_parameter(&logical.of(service.id)),
            service.service.desired_count.to_string(),
        ));
    }
    let settings: Vec<String> = owned
        .iter()
        .map(|(key, value)| format!("  \"ParameterKey={key},ParameterValue={value}\""))
        .collect();
    let keys: Vec<&str> = owned.iter().map(|(key, _)| key.as_str()).collect();
    format!(
        r#"set -euo pipefail
: "${{{STACK_NAME}:?set {STACK_NAME} in the context to the name of the stack created from cloudformation.yaml}}"
parameters=(
{settings}
)
for key in $(aws cloudformation describe-stacks --region {region} --stack-name "${STACK_NAME}" --query 'Stacks[0].Parameters[].ParameterKey' --output text); do
  case "$key" in
    {owned_keys}) ;;
    *) parameters+=("ParameterKey=$key,UsePreviousValue=true") ;;
  esac
done
if ! output=$(aws cloudformation update-stack --region {region} --stack-name "${STACK_NAME}" --use-previous-template --capabilities CAPABILITY_IAM CAPABILITY_NAMED_IAM --parameters "${{parameters[@]}}" 2>&1); then
  case "$output" in
    *"No updates are to be performed"*) echo "The stack already runs this version." ; exit 0 ;;
    *) echo "$output" >&2 ; exit 1 ;;
  esac
fi
aws cloudformation wait stack-update-complete --region {region} --stack-name "${STACK_NAME}"
"#,
        settings = settings.join("\n"),
        owned_keys = keys.join("|"),
    )
}
