//! The README.md each export bundle carries: how to deploy it, in order,
//! what each parameter or variable means, what the pipeline owns once it
//! runs, and the diagram's open errors. Written from the diagram and the
//! generated files alone, so the same diagram gives the same text.

use super::circleci::{INFRASTRUCTURE, STACK_NAME};
use super::cloudformation::{desired_count_parameter, DELETION_PROTECTION, IMAGE_TAG};
use super::names::{resource_name, slug, Names};
use crate::domain::model::*;
use crate::domain::validate::Analysis;
use serde_json::Value;
use std::fmt::Write;

/// `create-stack --template-body` takes at most this many bytes; larger
/// templates go through S3 (CloudFormation quotas).
pub const INLINE_TEMPLATE_LIMIT: usize = 51_200;

/// One parameter, variable or output, as the README tables list it.
pub struct Setting {
    pub name: String,
    pub default: Option<String>,
    pub meaning: String,
}

/// Services that start at zero tasks and whose image and count the pipeline
/// owns.
fn pipeline_owned(diagram: &Diagram) -> Vec<(&Node, &FargateService)> {
    diagram
        .nodes
        .iter()
        .filter_map(|node| match &node.kind {
            NodeKind::FargateService(service) if service.starts_after_first_push() => {
                Some((node, service))
            }
            _ => None,
        })
        .collect()
}

/// The diagram's Lambda functions, with their node.
fn functions(diagram: &Diagram) -> Vec<(&Node, &LambdaFunction)> {
    diagram
        .nodes
        .iter()
        .filter_map(|node| match &node.kind {
            NodeKind::LambdaFunction(function) => Some((node, function)),
            _ => None,
        })
        .collect()
}

/// What a first deploy of the functions runs, and how their code replaces
/// it: `packaged` says where the export keeps the placeholder.
fn function_code(diagram: &Diagram, packaged: &str, out: &mut String) {
    let functions = functions(diagram);
    if functions.is_empty() {
        return;
    }
    let names: Vec<String> = functions
        .iter()
        .map(|(node, function)| format!("`{}` ({})", function.function_name, cell(&node.name)))
        .collect();
    let _ = writeln!(
        out,
        "- Lambda functions ({}) are deployed with a placeholder handler ({packaged}) that logs each event and answers 200 \"placeholder\": they work from the first deploy, and a load balancer in front of one answers. Your code replaces it with `aws lambda update-function-code --function-name <name> --zip-file fileb://<package>.zip`, or through the pipeline, which zips `functions/<node id>/` of the repository when the pipeline deploys the function; the export never writes the code again.",
        names.join(", ")
    );
}

/// What the first deploy puts in the secrets, and where CloudFront's web
/// ACLs are made: `cloudformation` for a stack (which cannot create one in
/// another region), else Terraform's module.
fn secrets_and_web_acls(diagram: &Diagram, cloudformation: bool) -> Vec<String> {
    let mut lines = Vec::new();
    let mut values = Vec::new();
    let mut credentials = Vec::new();
    let mut edge_acls = Vec::new();
    for node in &diagram.nodes {
        match &node.kind {
            NodeKind::Secret(secret) => {
                match secret.database.as_ref().and_then(|d| diagram.node(d)) {
                    Some(database) => credentials.push(format!(
                        "`{}` ({})",
                        secret.secret_name,
                        cell(&database.name)
                    )),
                    None => values.push(format!(
                        "`{}` ({} characters)",
                        secret.secret_name, secret.password_length
                    )),
                }
            }
            NodeKind::WebAcl(acl) if super::lookup::web_acl_elsewhere(diagram, acl) => {
                edge_acls.push((node, acl))
            }
            _ => {}
        }
    }
    let kept = if cloudformation {
        "later deploys leave it alone as long as the secret's generated length does not change"
    } else {
        "the module writes only the first version (`lifecycle { ignore_changes = [secret_string] }`), so later applies leave it alone"
    };
    if !values.is_empty() {
        lines.push(format!(
            "- Secrets {} are created holding a random value, so what reads them works from the first deploy. Put the real value with `aws secretsmanager put-secret-value --secret-id <name> --secret-string '<value>'`; {kept}.",
            values.join(", ")
        ));
    }
    if !credentials.is_empty() {
        lines.push(format!(
            "- Database credentials {}: each database's master password is the one Secrets Manager generates in its secret (the username beside it), read when the database is created; the secret is where applications read it. RDS does not rotate it: Secrets Manager's rotation for RDS does, and a new password must reach the database through that rotation, not through this export.",
            credentials.join(", ")
        ));
    }
    let any_secret = !values.is_empty() || !credentials.is_empty();
    if !cloudformation && any_secret {
        lines.push("- The values the secrets are created with, database passwords included, are also in the Terraform state: keep the state where only those who may read the secrets can.".into());
    }
    if !edge_acls.is_empty() {
        let (names, address) = if cloudformation {
            (Names::cloudformation(diagram), "`{}Arn`")
        } else {
            (Names::terraform(diagram), "`aws_wafv2_web_acl.{}`")
        };
        let listed: Vec<String> = edge_acls
            .iter()
            .map(|(node, _)| {
                format!(
                    "{} ({})",
                    address.replace("{}", &names.of(&node.id)),
                    cell(&node.name)
                )
            })
            .collect();
        lines.push(if cloudformation {
            format!(
                "- CloudFront's web ACLs live in us-east-1, where WAF keeps them, and a stack in {} cannot create them: create each in us-east-1 first (scope `CLOUDFRONT`, with the rules the diagram gives it) and pass its ARN as {}.",
                diagram.region,
                listed.join(", ")
            )
        } else {
            format!(
                "- CloudFront's web ACLs {} and their logs are created in us-east-1, where WAF keeps them (the provider's per-resource `region`).",
                listed.join(", ")
            )
        });
    }
    lines
}

fn has_database(diagram: &Diagram) -> bool {
    diagram
        .nodes
        .iter()
        .any(|node| node.tag() == KindTag::AuroraCluster)
}

/// Table cells hold one line, and a `|` would end the cell.
fn cell(text: &str) -> String {
    text.replace(['\n', '\r'], " ").replace('|', "\\|")
}

fn title(diagram: &Diagram, what: &str) -> String {
    let name = diagram.name.replace(['\n', '\r'], " ");
    format!(
        "# {}: {what}\n\nGenerated by stackdraw from the diagram \"{}\" (region {}).\n",
        if name.trim().is_empty() {
            "stackdraw"
        } else {
            name.trim()
        },
        name.trim(),
        diagram.region
    )
}

/// What the bundle leaves out, said before anything else is deployed.
fn left_out(diagram: &Diagram, out: &mut String) {
    let lines = super::left_out_lines(diagram, "- ");
    if !lines.is_empty() {
        let _ = write!(
            out,
            "\n## Left out\n\n{}\n\n{}\n",
            super::LEFT_OUT,
            lines.join("\n")
        );
    }
}

fn open_errors(analysis: &Analysis, out: &mut String) {
    let errors = super::error_lines(analysis, "- ");
    if errors.is_empty() {
        out.push_str("\nThe diagram has no validation errors.\n");
    } else {
        let _ = write!(
            out,
            "\n## Open errors\n\nThe diagram has {} validation error{}; this export will not deploy as is until they are fixed:\n\n{}\n",
            errors.len(),
            if errors.len() == 1 { "" } else { "s" },
            errors.join("\n")
        );
    }
}

fn table(out: &mut String, heading: &str, settings: &[Setting], with_default: bool) {
    if settings.is_empty() {
        return;
    }
    let _ = writeln!(out, "\n## {heading}\n");
    if with_default {
        out.push_str("| name | default | meaning |\n| --- | --- | --- |\n");
    } else {
        out.push_str("| name | meaning |\n| --- | --- |\n");
    }
    for setting in settings {
        if with_default {
            let default = match &setting.default {
                Some(value) if value.is_empty() => "(empty)".to_string(),
                Some(value) => format!("`{}`", cell(value)),
                None => "required".to_string(),
            };
            let _ = writeln!(
                out,
                "| `{}` | {default} | {} |",
                setting.name,
                cell(&setting.meaning)
            );
        } else {
            let _ = writeln!(out, "| `{}` | {} |", setting.name, cell(&setting.meaning));
        }
    }
}

/// The settings of a CloudFormation template's `Parameters` or `Outputs`.
fn template_settings(template: &Value, section: &str) -> Vec<Setting> {
    template[section]
        .as_object()
        .into_iter()
        .flatten()
        .map(|(name, definition)| Setting {
            name: name.clone(),
            default: match &definition["Default"] {
                Value::Null => None,
                Value::String(text) => Some(text.clone()),
                other => Some(other.to_string()),
            },
            meaning: definition["Description"]
                .as_str()
                .unwrap_or_default()
                .to_string(),
        })
        .collect()
}

/// The capabilities a stack of the template must acknowledge.
pub fn capabilities(template: &Value) -> &'static str {
    let mut iam = false;
    for resource in template["Resources"]
        .as_object()
        .into_iter()
        .flat_map(|map| map.values())
    {
        if resource["Type"]
            .as_str()
            .is_some_and(|kind| kind.starts_with("AWS::IAM::"))
        {
            if resource["Properties"]["RoleName"].is_string() {
                return "CAPABILITY_NAMED_IAM";
            }
            iam = true;
        }
    }
    if iam {
        "CAPABILITY_IAM"
    } else {
        ""
    }
}

/// The CloudFormation bundle's README.md; `json_size` is the JSON
/// template's length in bytes (the caller has written it).
pub fn cloudformation(
    diagram: &Diagram,
    analysis: &Analysis,
    template: &Value,
    json_size: usize,
) -> String {
    let mut out = title(diagram, "CloudFormation");
    out.push_str(
        "\n`cloudformation.yaml` and `cloudformation.json` are the same template; use either.\n",
    );
    open_errors(analysis, &mut out);
    left_out(diagram, &mut out);

    let parameters = template_settings(template, "Parameters");
    let size = json_size;
    let stack = slug(&diagram.name, 60);
    let required: Vec<String> = parameters
        .iter()
        .filter(|p| p.default.is_none())
        .map(|p| format!("{}=<value>", p.name))
        .collect();
    let why = if size > INLINE_TEMPLATE_LIMIT {
        format!("The JSON template is {size} bytes, more than the {INLINE_TEMPLATE_LIMIT} bytes `aws cloudformation create-stack --template-body` takes, so it must go through a bucket of yours")
    } else {
        format!("The JSON template is {size} bytes. Deploying through a bucket of yours keeps working once it grows past the {INLINE_TEMPLATE_LIMIT} bytes `aws cloudformation create-stack --template-body` takes")
    };
    let _ = write!(
        out,
        "\n## Deploy\n\n{why}: `aws cloudformation deploy` uploads it there first.\n\n```sh\naws cloudformation deploy --region {region} --stack-name {stack} \\\n  --template-file cloudformation.yaml --s3-bucket <a bucket of yours in {region}>",
        region = diagram.region,
    );
    let capabilities = capabilities(template);
    if !capabilities.is_empty() {
        let _ = write!(out, " \\\n  --capabilities {capabilities}");
    }
    if !required.is_empty() {
        let _ = write!(out, " \\\n  --parameter-overrides {}", required.join(" "));
    }
    out.push_str("\n```\n\nThe first deploy must give every parameter marked required below. Later deploys keep the current value of every parameter they do not override.\n");
    table(&mut out, "Parameters", &parameters, true);

    let owned = pipeline_owned(diagram);
    let guards = secrets_and_web_acls(diagram, true);
    if !owned.is_empty()
        || has_database(diagram)
        || !functions(diagram).is_empty()
        || !guards.is_empty()
    {
        out.push_str("\n## The first deploy, and who owns what runs\n\n");
    }
    function_code(
        diagram,
        "inline in the template, as `Code.ZipFile`; a later deploy of the template leaves the deployed code alone as long as the placeholder is unchanged",
        &mut out,
    );
    for line in guards {
        let _ = writeln!(out, "{line}");
    }
    if !owned.is_empty() {
        let names = Names::cloudformation(diagram);
        let counts: Vec<String> = owned
            .iter()
            .map(|(node, service)| {
                format!(
                    "`{}` ({}: {} tasks)",
                    desired_count_parameter(&names.of(&node.id)),
                    cell(&node.name),
                    service.desired_count
                )
            })
            .collect();
        let _ = write!(
            out,
            "- The stack's ECR repositories are empty until the pipeline first pushes, so the services that run their images start with no task: {counts}. An ECS service whose image does not exist never becomes stable, and CloudFormation would roll the whole stack back.\n\
             - The pipeline owns the running version. After pushing the images tagged with its commit, it updates this stack with its previous template, setting `{IMAGE_TAG}` and each count and keeping every other parameter (see `.circleci/README.md`). Deploying a changed template later with `aws cloudformation deploy` keeps those values, so it leaves the running version and the task counts alone. Override `{IMAGE_TAG}` yourself only to go back to an earlier commit's images.\n\
             - Without the pipeline: push an image tagged `<tag>` to each repository, then deploy with `--parameter-overrides {IMAGE_TAG}=<tag>` and each count.\n",
            counts = counts.join(", "),
        );
    }
    if has_database(diagram) {
        let _ = writeln!(
            out,
            "- Databases: `{DELETION_PROTECTION}` is `false` for the first deploy, so a failed first deploy rolls back cleanly instead of stopping in `ROLLBACK_FAILED`. Each database keeps a final snapshot when it is deleted or replaced (`DeletionPolicy: Snapshot`). Once the stack exists, deploy again with `--parameter-overrides {DELETION_PROTECTION}=true`."
        );
    }
    table(
        &mut out,
        "Outputs",
        &template_settings(template, "Outputs"),
        false,
    );
    out
}

/// The Terraform bundle's README.md.
pub fn terraform(
    diagram: &Diagram,
    analysis: &Analysis,
    variables: &[Setting],
    outputs: &[Setting],
) -> String {
    let mut out = title(diagram, "Terraform");
    let _ = write!(
        out,
        "\nA root module for the hashicorp/aws provider `{}` and Terraform 1.5 or later.\n",
        super::terraform::PROVIDER_CONSTRAINT
    );
    open_errors(analysis, &mut out);
    left_out(diagram, &mut out);
    let required: Vec<String> = variables
        .iter()
        .filter(|v| v.default.is_none())
        .map(|v| format!(" -var {}=<value>", v.name))
        .collect();
    let _ = write!(
        out,
        "\n## Deploy\n\n```sh\ncd terraform\nterraform init\nterraform plan -out plan.tfplan{}\nterraform apply plan.tfplan\n```\n\nThe module declares no backend, so the state stays in `terraform.tfstate` here; add a backend of your own before a team shares it. Every variable marked required below must be given (with `-var` or a `.tfvars` file).\n",
        required.join("")
    );
    table(&mut out, "Variables", variables, true);

    let owned = pipeline_owned(diagram);
    let guards = secrets_and_web_acls(diagram, false);
    if !owned.is_empty()
        || has_database(diagram)
        || !functions(diagram).is_empty()
        || !guards.is_empty()
    {
        out.push_str("\n## The first apply, and who owns what runs\n\n");
    }
    function_code(
        diagram,
        "`functions/<node id>/`, zipped by the hashicorp/archive provider at plan time; the functions ignore later changes to their package (`lifecycle { ignore_changes = [filename, source_code_hash] }`)",
        &mut out,
    );
    for line in guards {
        let _ = writeln!(out, "{line}");
    }
    if !owned.is_empty() {
        let services: Vec<String> = owned
            .iter()
            .map(|(node, service)| {
                format!(
                    "`{}` ({} tasks)",
                    resource_name(node.id.as_str()),
                    service.desired_count
                )
            })
            .collect();
        let _ = write!(
            out,
            "- The module's ECR repositories are empty until the pipeline first pushes, so the services that run their images start with no task: {}. An ECS service whose image does not exist never becomes stable.\n\
             - The pipeline owns each of those services' task definition and task count: every push registers a new task definition revision with the commit's images and sets the count, through the ECS API. The services ignore both (`lifecycle {{ ignore_changes = [task_definition, desired_count] }}`), so a later `terraform apply` leaves the running version alone. A change to a task definition here (CPU, memory, environment) registers a new revision, which the pipeline's next deploy starts from.\n\
             - Set the `{INFRASTRUCTURE}` parameter of `.circleci/config.yml` to `terraform` (see `.circleci/README.md`).\n\
             - Without the pipeline: push an image to each repository, register a revision that uses it, then `aws ecs update-service --cluster <cluster> --service <service> --task-definition <family>:<revision> --desired-count <n>`.\n",
            services.join(", ")
        );
    }
    if has_database(diagram) {
        out.push_str("- Databases: `database_deletion_protection` is `false` for the first apply, so a failed first apply can be destroyed and tried again. Each database writes a final snapshot when destroyed. Once they exist, apply again with `-var database_deletion_protection=true`.\n");
    }
    table(&mut out, "Outputs", outputs, false);
    out
}

/// The CircleCI bundle's README.md, when the diagram has a pipeline.
pub fn circleci(diagram: &Diagram, analysis: &Analysis) -> Option<String> {
    let pipelines = super::circleci::pipelines(diagram);
    if pipelines.is_empty() {
        return None;
    }
    let mut out = title(diagram, "CircleCI pipeline");
    open_errors(analysis, &mut out);
    let owned = pipeline_owned(diagram);
    for (node, pipeline) in &pipelines {
        let _ = write!(
            out,
            "\n## {}\n\nRuns on every push to `{}`, with the context `{}`.\n\n### Before the first push\n\n",
            cell(&node.name),
            pipeline.branch,
            pipeline.context
        );
        match &pipeline.auth {
            PipelineAuth::OidcRole(role) => {
                let _ = writeln!(
                    out,
                    "1. Deploy the infrastructure first (`README.md` for CloudFormation, `terraform/README.md` for Terraform). It creates CircleCI's OIDC provider and the role `{role}`, which the pipeline assumes with its OIDC token: no AWS keys are stored anywhere."
                );
            }
            PipelineAuth::AccessKeys => out.push_str(
                "1. Deploy the infrastructure first (`README.md` for CloudFormation, `terraform/README.md` for Terraform). This pipeline signs in with long-lived access keys (stackdraw warns: VR-45); an OIDC role is safer.\n",
            ),
        }
        let _ = writeln!(
            out,
            "2. In CircleCI, create the context `{}` with these variables:\n",
            pipeline.context
        );
        out.push_str("   | variable | value |\n   | --- | --- |\n");
        out.push_str("   | `AWS_ACCOUNT_ID` | the account the infrastructure is in |\n");
        let deploys_services = pipeline.deploys.iter().any(|target| {
            owned
                .iter()
                .any(|(node, service)| node.id == *target && service.cluster.is_some())
        });
        if deploys_services {
            let _ = writeln!(
                out,
                "   | `{STACK_NAME}` | the name of the CloudFormation stack (CloudFormation only) |"
            );
        }
        for target in &pipeline.deploys {
            if let Some(Node {
                kind: NodeKind::CloudFront(_),
                name,
                ..
            }) = diagram.node(target)
            {
                let _ = writeln!(
                    out,
                    "   | `{}_DISTRIBUTION_ID` | the id of the distribution {} (an output of the stack or module) |",
                    resource_name(target.as_str()).to_uppercase().replace('-', "_"),
                    cell(name)
                );
            }
        }
        if pipeline.auth == PipelineAuth::AccessKeys {
            out.push_str(
                "   | `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY` | the deploy user's keys |\n",
            );
        }
        let _ = write!(
            out,
            "3. If you applied the Terraform module, set the default of the `{INFRASTRUCTURE}` parameter at the top of `config.yml` to `terraform`.\n\n### The first push, and every push after\n\n"
        );
        if deploys_services {
            out.push_str(
                "- Each image is built from `./<container>/Dockerfile` and pushed to its ECR repository, tagged with the commit.\n\
                 - Once every image is pushed, `deploy-services` puts them into service. With CloudFormation it updates the stack with its previous template, setting `ImageTag` to the commit and each service's task count, and keeps every other parameter: the stack stays the one owner of what runs, and deploying the template again later keeps that version. With Terraform it registers a task definition revision with the new images and sets the count through ECS; the module ignores both, so an apply keeps that version.\n\
                 - The first push is what starts the services: until then they run no task.\n",
            );
        }
        for target in &pipeline.deploys {
            if let Some(NodeKind::LambdaFunction(function)) = diagram.node(target).map(|n| &n.kind)
            {
                let _ = writeln!(
                    out,
                    "- `deploy-function-{}` zips `./functions/{target}/` (its handler is `index.handler`: `index.js` or `index.py` at the folder's root) and deploys it as the code of `{}`, then waits until Lambda has finished the update.",
                    super::circleci::job_name(target.as_str()),
                    function.function_name
                );
            }
        }
        if pipeline.frontend.is_some() {
            out.push_str("- The front end is built, synced to its bucket (WebAssembly with its content type, `index.html` last and uncached) and the CloudFront cache is invalidated.\n");
        }
    }
    Some(out)
}
