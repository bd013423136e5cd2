//! Lookups both infrastructure exporters need, built once per export so that
//! exporting stays linear in the size of the diagram.

use crate::domain::model::*;
use std::collections::HashMap;

pub struct Lookup<'a> {
    nodes: HashMap<&'a NodeId, &'a Node>,
    /// External clients by their (canonical) block.
    clients: HashMap<Cidr, &'a NodeId>,
    /// Load balancers, with the target group's position, sending to each service.
    balancers: HashMap<&'a NodeId, Vec<(&'a Node, usize)>>,
    /// Distributions reading each bucket through Origin Access Control.
    readers: HashMap<&'a NodeId, Vec<&'a NodeId>>,
    /// The internet gateway attached to each VPC.
    gateways: HashMap<&'a NodeId, &'a NodeId>,
    /// Hosted zones: node id and domain.
    zones: Vec<(&'a NodeId, &'a str)>,
    /// The secret holding each database's master credentials.
    credentials: HashMap<&'a NodeId, &'a Node>,
    /// The web ACL protecting each load balancer or distribution.
    web_acls: HashMap<&'a NodeId, &'a Node>,
}

impl<'a> Lookup<'a> {
    pub fn new(diagram: &'a Diagram) -> Lookup<'a> {
        let mut lookup = Lookup {
            nodes: diagram.nodes.iter().map(|node| (&node.id, node)).collect(),
            clients: HashMap::new(),
            balancers: HashMap::new(),
            readers: HashMap::new(),
            gateways: HashMap::new(),
            zones: Vec::new(),
            credentials: HashMap::new(),
            web_acls: HashMap::new(),
        };
        for node in &diagram.nodes {
            match &node.kind {
                NodeKind::ExternalClient(client) => {
                    lookup
                        .clients
                        .entry(client.cidr.canonical())
                        .or_insert(&node.id);
                }
                NodeKind::LoadBalancer(alb) => {
                    for (at, group) in alb.target_groups.iter().enumerate() {
                        if let Some(target) = &group.target {
                            lookup
                                .balancers
                                .entry(&target.service)
                                .or_default()
                                .push((node, at));
                        }
                    }
                }
                NodeKind::CloudFront(distribution) => {
                    for origin in distribution
                        .origins
                        .iter()
                        .filter(|o| o.access == OriginAccess::Oac)
                    {
                        let list = lookup.readers.entry(&origin.target).or_default();
                        if !list.contains(&&node.id) {
                            list.push(&node.id);
                        }
                    }
                }
                NodeKind::InternetGateway(InternetGateway { vpc: Some(vpc) }) => {
                    lookup.gateways.entry(vpc).or_insert(&node.id);
                }
                NodeKind::Route53Zone(zone) => lookup.zones.push((&node.id, &zone.domain_name)),
                NodeKind::Secret(Secret {
                    database: Some(database),
                    ..
                }) => {
                    lookup.credentials.entry(database).or_insert(node);
                }
                NodeKind::WebAcl(acl) => {
                    for protected in &acl.protects {
                        lookup.web_acls.entry(protected).or_insert(node);
                    }
                }
                _ => {}
            }
        }
        lookup
    }

    pub fn node(&self, id: &NodeId) -> Option<&'a Node> {
        self.nodes.get(id).copied()
    }

    /// The external client whose block this is.
    pub fn client_with_block(&self, cidr: &Cidr) -> Option<&'a NodeId> {
        self.clients.get(&cidr.canonical()).copied()
    }

    pub fn balancers_of(&self, service: &NodeId) -> &[(&'a Node, usize)] {
        self.balancers.get(service).map_or(&[], Vec::as_slice)
    }

    pub fn readers_of(&self, bucket: &NodeId) -> &[&'a NodeId] {
        self.readers.get(bucket).map_or(&[], Vec::as_slice)
    }

    /// The VPC of the first of some subnets.
    pub fn vpc_of_subnets(&self, subnets: &[NodeId]) -> Option<&'a NodeId> {
        match self.node(subnets.first()?).map(|node| &node.kind) {
            Some(NodeKind::Subnet(subnet)) => Some(&subnet.vpc),
            _ => None,
        }
    }

    /// The secret holding a database's master credentials, when one does.
    pub fn credentials_of(&self, database: &NodeId) -> Option<&'a Node> {
        self.credentials.get(database).copied()
    }

    /// The web ACL protecting a load balancer or a distribution.
    pub fn web_acl_of(&self, protected: &NodeId) -> Option<(&'a Node, &'a WebAcl)> {
        let node = self.web_acls.get(protected).copied()?;
        match &node.kind {
            NodeKind::WebAcl(acl) => Some((node, acl)),
            _ => None,
        }
    }

    pub fn gateway_of(&self, vpc: &NodeId) -> Option<&'a NodeId> {
        self.gateways.get(vpc).copied()
    }

    /// The hosted zone a name falls in, and the part of the name before the
    /// zone's domain (`None` for the apex).
    pub fn zone_of<'n>(&self, name: &'n str) -> Option<(&'a NodeId, &'a str, Option<&'n str>)> {
        self.zones.iter().find_map(|(id, domain)| {
            if name == *domain {
                Some((*id, *domain, None))
            } else {
                name.strip_suffix(domain)
                    .and_then(|prefix| prefix.strip_suffix('.'))
                    .map(|prefix| (*id, *domain, Some(prefix)))
            }
        })
    }
}

/// What a pipeline deploys, by kind: the IAM permissions it needs follow
/// from these lists in every export.
#[derive(Default)]
pub struct PipelineTargets<'a> {
    pub services: Vec<&'a NodeId>,
    /// The ECR repositories the services' images come from, each once.
    pub repositories: Vec<&'a NodeId>,
    pub buckets: Vec<&'a NodeId>,
    pub distributions: Vec<&'a NodeId>,
    /// Lambda functions whose code the pipeline packages and deploys.
    pub functions: Vec<&'a NodeId>,
}

impl<'a> Lookup<'a> {
    pub fn pipeline_targets(&self, pipeline: &'a Pipeline) -> PipelineTargets<'a> {
        let mut targets = PipelineTargets::default();
        for target in &pipeline.deploys {
            match self.node(target).map(|node| &node.kind) {
                Some(NodeKind::FargateService(service)) => {
                    targets.services.push(target);
                    for container in &service.containers {
                        if let ContainerImage::Ecr(repository) = &container.image {
                            if !targets.repositories.contains(&repository) {
                                targets.repositories.push(repository);
                            }
                        }
                    }
                }
                Some(NodeKind::S3Bucket(_)) => targets.buckets.push(target),
                Some(NodeKind::CloudFront(_)) => targets.distributions.push(target),
                Some(NodeKind::LambdaFunction(_)) => targets.functions.push(target),
                _ => {}
            }
        }
        targets
    }
}

/// What a service's tasks may do to a table it draws a line to: read and
/// write items, query and scan it and its indexes.
pub const TABLE_ACTIONS: [&str; 10] = [
    "dynamodb:BatchGetItem",
    "dynamodb:BatchWriteItem",
    "dynamodb:ConditionCheckItem",
    "dynamodb:DeleteItem",
    "dynamodb:DescribeTable",
    "dynamodb:GetItem",
    "dynamodb:PutItem",
    "dynamodb:Query",
    "dynamodb:Scan",
    "dynamodb:UpdateItem",
];

/// What a service's tasks may do to a queue it draws a line to: send,
/// receive and delete messages.
pub const QUEUE_ACTIONS: [&str; 6] = [
    "sqs:ChangeMessageVisibility",
    "sqs:DeleteMessage",
    "sqs:GetQueueAttributes",
    "sqs:GetQueueUrl",
    "sqs:ReceiveMessage",
    "sqs:SendMessage",
];

/// A description AWS requires non-empty: the node's name, or its id.
pub fn description_of(node: &Node) -> String {
    let name = node.name.trim();
    if name.is_empty() {
        node.id.to_string()
    } else {
        name.to_string()
    }
}

/// What a service's tasks may do to a bucket it draws a line to: list it,
/// and read, write and delete its objects (`OBJECT_ACTIONS`).
pub const BUCKET_ACTIONS: [&str; 1] = ["s3:ListBucket"];
pub const OBJECT_ACTIONS: [&str; 3] = ["s3:DeleteObject", "s3:GetObject", "s3:PutObject"];

/// What a service's tasks may do to a topic it draws a line to: publish.
pub const TOPIC_ACTIONS: [&str; 1] = ["sns:Publish"];

/// What a node's code may do to a secret it draws a line to: read its
/// value (and the versions' metadata SDK caches ask for).
pub const SECRET_ACTIONS: [&str; 2] = [
    "secretsmanager:DescribeSecret",
    "secretsmanager:GetSecretValue",
];

/// Whether a web ACL lives outside the diagram's region: a CloudFront
/// one, which WAF keeps in us-east-1, exported as an ARN the user
/// supplies when the stack deploys elsewhere.
pub fn web_acl_elsewhere(diagram: &Diagram, acl: &WebAcl) -> bool {
    acl.scope == WafScope::Cloudfront && diagram.region != "us-east-1"
}

/// Why checkov's Log4j checks of a load balancer or a distribution that a
/// web ACL protects (CKV2_AWS_76, CKV2_AWS_47) do not apply: they ask for
/// the anonymous IP list beside the known-bad-inputs rules.
pub fn log4j_check_waived(acl: &WebAcl) -> &'static str {
    if acl.known_bad_inputs {
        "The web ACL runs the known-bad-inputs rules that stop Log4j exploits; the check also asks for the anonymous IP list, which blocks users behind VPNs and proxies, a choice the diagram does not make"
    } else {
        "The diagram turns the web ACL's known-bad-inputs rules (Log4j) off"
    }
}

/// Characters a generated database password leaves out: RDS refuses `/`,
/// `"`, `@` and spaces in master passwords; `'` and `\` break shells.
pub const PASSWORD_EXCLUDED: &str = "\"@/\\' ";

/// The topics whose subscriptions the queue's policy lets send to it, in
/// the diagram's order: what the queue's policy names.
pub fn topics_sending_to<'a>(diagram: &'a Diagram, queue: &NodeId) -> Vec<&'a Node> {
    diagram
        .nodes
        .iter()
        .filter(|node| match &node.kind {
            NodeKind::SnsTopic(topic) => topic
                .subscriptions
                .iter()
                .any(|s| &s.queue == queue && s.queue_policy_allows),
            _ => false,
        })
        .collect()
}

/// The data stores, topics and secrets (DynamoDB tables, SQS queues, SNS
/// topics, S3 buckets, Secrets Manager secrets) a node draws lines to, once each, in the order drawn: what its
/// tasks' role is granted.
pub fn data_used_by<'a>(diagram: &'a Diagram, node: &NodeId) -> Vec<&'a Node> {
    let mut used: Vec<&Node> = Vec::new();
    for edge in diagram.edges.iter().filter(|edge| &edge.from == node) {
        let Some(to) = diagram.node(&edge.to) else {
            continue;
        };
        let data = matches!(
            to.tag(),
            KindTag::DynamodbTable
                | KindTag::SqsQueue
                | KindTag::SnsTopic
                | KindTag::S3Bucket
                | KindTag::Secret
        );
        if data && !used.iter().any(|u| u.id == to.id) {
            used.push(to);
        }
    }
    used
}

/// An HTTP API's access log line: one JSON object per request.
pub const API_ACCESS_LOG: &str = r#"{"requestId":"$context.requestId","ip":"$context.identity.sourceIp","requestTime":"$context.requestTime","httpMethod":"$context.httpMethod","routeKey":"$context.routeKey","status":"$context.status","responseLength":"$context.responseLength","integrationError":"$context.integrationErrorMessage"}"#;

/// The listener an HTTP API forwards a route to on a load balancer (the
/// port a line to it takes), and the name its certificate verifies when
/// the listener is HTTPS.
pub fn integrated_listener<'a>(
    diagram: &'a Diagram,
    api: &NodeId,
    alb_id: &NodeId,
) -> Option<(&'a Listener, Option<&'a str>)> {
    let NodeKind::LoadBalancer(alb) = &diagram.node(alb_id)?.kind else {
        return None;
    };
    let port = crate::domain::edit::connect::infer_port(diagram, api, alb_id);
    let listener = alb.listeners.iter().find(|l| l.port == port)?;
    let verified = listener
        .certificate
        .as_ref()
        .and_then(|c| match diagram.node(c).map(|n| &n.kind) {
            Some(NodeKind::AcmCertificate(certificate)) => Some(certificate.domain_name.as_str()),
            _ => None,
        })
        .filter(|_| listener.protocol == ListenerProtocol::Https);
    Some((listener, verified))
}

/// The first boot of an Auto Scaling group's instances: a web server
/// (nginx from Amazon Linux 2023's own repository) answering on `port`, so
/// a load balancer's health checks pass from the first deploy. The image,
/// or this script, is the user's to replace with the application.
pub fn web_server_user_data(port: u16) -> String {
    let mut script = String::from("#!/bin/bash\nset -euo pipefail\ndnf install -y nginx\n");
    if port != 80 {
        script.push_str(&format!(
            "sed -i 's/listen       80;/listen       {port};/; s/listen       \\[::\\]:80;/listen       [::]:{port};/' /etc/nginx/nginx.conf\n"
        ));
    }
    script.push_str("systemctl enable --now nginx\n");
    script
}

/// What a function's role does to a queue Lambda polls for it.
pub const POLL_ACTIONS: [&str; 4] = [
    "sqs:ChangeMessageVisibility",
    "sqs:DeleteMessage",
    "sqs:GetQueueAttributes",
    "sqs:ReceiveMessage",
];

/// What the pipeline does to a function it deploys: replace its code and
/// wait until the update is done.
pub const FUNCTION_DEPLOY_ACTIONS: [&str; 3] = [
    "lambda:GetFunction",
    "lambda:GetFunctionConfiguration",
    "lambda:UpdateFunctionCode",
];

/// The placeholder's file name in the package; the handler is
/// `index.handler` in both.
pub fn source_file(runtime: LambdaRuntime) -> &'static str {
    match runtime {
        LambdaRuntime::Nodejs22 => "index.js",
        LambdaRuntime::Python313 => "index.py",
    }
}

/// A handler that deploys and answers until the real code replaces it:
/// a 200 a load balancer can pass on, and a log line.
pub fn placeholder_source(runtime: LambdaRuntime) -> &'static str {
    match runtime {
        LambdaRuntime::Nodejs22 => {
            "// Placeholder deployed by stackdraw's export; the pipeline replaces it.\nexports.handler = async (event) => {\n  console.log(JSON.stringify(event));\n  return { statusCode: 200, headers: { \"content-type\": \"text/plain\" }, body: \"placeholder\\n\" };\n};\n"
        }
        LambdaRuntime::Python313 => {
            "# Placeholder deployed by stackdraw's export; the pipeline replaces it.\nimport json\n\n\ndef handler(event, context):\n    print(json.dumps(event))\n    return {\"statusCode\": 200, \"headers\": {\"content-type\": \"text/plain\"}, \"body\": \"placeholder\\n\"}\n"
        }
    }
}
