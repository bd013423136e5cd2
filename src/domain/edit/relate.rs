//! What a line drawn between two nodes means.
//!
//! Between two things that exchange packets it is traffic (`connect`). Between
//! most other pairs it stands for a piece of configuration: a service runs in
//! a cluster, CloudFront fetches from an origin, a certificate serves an HTTPS
//! listener, a zone holds an alias record, and so on. Drawing sets that
//! configuration; the canvas then draws the pair's relationship from the
//! nodes' own references (`links`), so the picture is never a second list
//! that could disagree with the design. A pair that means nothing in AWS is
//! refused with the reason.

use super::{connect, Command};
use crate::domain::model::*;

/// What drawing a line did, for the notice and the selection.
#[derive(Clone, Debug, PartialEq)]
pub struct Relation {
    pub command: Command,
    /// One sentence: what the line now means.
    pub summary: String,
    /// The traffic edge drawn, if the line is (or comes with) traffic.
    pub edge: Option<EdgeId>,
}

/// Whether packets can start or end at a node of this kind: a resource with a
/// network interface, an AWS service reached over its endpoint, or a source
/// outside AWS. Containers, gateways, tables, certificates, zones, clusters
/// and pipelines carry none of their own.
pub fn carries_traffic(kind: &NodeKind) -> bool {
    match kind {
        NodeKind::VpcEndpoint(endpoint) => !endpoint.service.is_gateway(),
        _ => matches!(
            kind.tag(),
            KindTag::LoadBalancer
                | KindTag::FargateService
                | KindTag::AuroraCluster
                | KindTag::RdsInstance
                | KindTag::ElasticacheCache
                | KindTag::DynamodbTable
                | KindTag::SqsQueue
                | KindTag::SnsTopic
                | KindTag::Secret
                | KindTag::LambdaFunction
                | KindTag::HttpApi
                | KindTag::AutoScalingGroup
                | KindTag::Ec2Instance
                | KindTag::Bastion
                | KindTag::S3Bucket
                | KindTag::CloudFront
                | KindTag::EcrRepository
                | KindTag::Internet
                | KindTag::ExternalClient
        ),
    }
}

/// The meaning of a line drawn from `from` to `to`, as one command.
pub fn relate(diagram: &Diagram, from: &NodeId, to: &NodeId) -> Result<Relation, String> {
    let (a, b) = ends(diagram, from, to)?;
    // A queue drawn to a function triggers it; a function drawn to a queue
    // sends to it (traffic to SQS's API).
    if let Some(outcome) = triggers(a, b) {
        return outcome;
    }
    // A configuration pair means the same drawn either way round.
    if let Some(outcome) = configure(diagram, a, b).or_else(|| configure(diagram, b, a)) {
        return outcome;
    }
    if let Some(refusal) = invoked_only(a, b) {
        return Err(refusal);
    }
    if carries_traffic(&a.kind) && carries_traffic(&b.kind) {
        let port = connect::infer_port(diagram, from, to);
        let (command, edge) = connect::connect_on(diagram, from, to, port)?;
        return Ok(Relation {
            command,
            summary: format!("{:?} sends traffic to {:?} on port {port}", a.name, b.name),
            edge: Some(edge),
        });
    }
    let silent = if carries_traffic(&a.kind) { b } else { a };
    Err(no_meaning(silent, if silent.id == a.id { b } else { a }))
}

/// What a line from `from` to `to` would mean, without building it: the
/// summary `relate` would give, or why it would be refused. Cheap enough to
/// ask for every node when a keyboard user chooses what to connect to.
pub fn preview(diagram: &Diagram, from: &NodeId, to: &NodeId) -> Result<String, String> {
    let (a, b) = ends(diagram, from, to)?;
    if let Some(outcome) = triggers(a, b) {
        return outcome.map(|relation| relation.summary);
    }
    if let Some(outcome) = configure(diagram, a, b).or_else(|| configure(diagram, b, a)) {
        return outcome.map(|relation| relation.summary);
    }
    if let Some(refusal) = invoked_only(a, b) {
        return Err(refusal);
    }
    if carries_traffic(&a.kind) && carries_traffic(&b.kind) {
        let port = connect::infer_port(diagram, from, to);
        if diagram
            .edges
            .iter()
            .any(|e| &e.from == from && &e.to == to && e.port == port)
        {
            return Err(format!(
                "{:?} already sends traffic to {:?} on port {port}",
                a.name, b.name
            ));
        }
        return Ok(format!(
            "{:?} sends traffic to {:?} on port {port}",
            a.name, b.name
        ));
    }
    let silent = if carries_traffic(&a.kind) { b } else { a };
    Err(no_meaning(silent, if silent.id == a.id { b } else { a }))
}

/// Every drawn node a line from `from` would mean something to, with what
/// it would mean, in the diagram's order.
pub fn candidates(diagram: &Diagram, from: &NodeId) -> Vec<(NodeId, String)> {
    diagram
        .nodes
        .iter()
        .filter(|n| &n.id != from && diagram.layout.contains_key(&n.id))
        .filter_map(|n| {
            preview(diagram, from, &n.id)
                .ok()
                .map(|summary| (n.id.clone(), summary))
        })
        .collect()
}

/// The two nodes a line joins, when it can join them.
fn ends<'a>(
    diagram: &'a Diagram,
    from: &NodeId,
    to: &NodeId,
) -> Result<(&'a Node, &'a Node), String> {
    let (Some(a), Some(b)) = (diagram.node(from), diagram.node(to)) else {
        return Err("both ends of a connection must be on the canvas".into());
    };
    if from == to {
        return Err("draw the line between two different nodes".into());
    }
    Ok((a, b))
}

/// The key of a new route of an API to `target`: everything (`$default`)
/// for the first, `ANY /<target>/{proxy+}` after that.
fn next_route_key(api: &HttpApi, target: &Node) -> String {
    if api.routes.iter().all(|r| r.route_key != "$default") {
        return "$default".into();
    }
    let base = target.id.to_string();
    (1..)
        .map(|n| match n {
            1 => format!("ANY /{base}/{{proxy+}}"),
            n => format!("ANY /{base}-{n}/{{proxy+}}"),
        })
        .find(|key| api.routes.iter().all(|r| &r.route_key != key))
        .unwrap_or_default()
}

/// An API forwarding a route to a load balancer: through its VPC link,
/// which takes the balancer's subnets and a group of its own the first
/// time, with the rules that let its interfaces reach the listener.
fn integrate(
    diagram: &Diagram,
    owner: &Node,
    api: &HttpApi,
    other: &Node,
    alb: &LoadBalancer,
) -> Result<Relation, String> {
    let mut commands = Vec::new();
    let mut changed = owner.clone();
    let NodeKind::HttpApi(changed_api) = &mut changed.kind else {
        return Err("that API is gone".into());
    };
    if api.vpc_link_subnets.is_empty() {
        let vpc = alb
            .subnets
            .first()
            .and_then(|s| match diagram.node(s).map(|n| &n.kind) {
                Some(NodeKind::Subnet(subnet)) => diagram.node(&subnet.vpc),
                _ => None,
            })
            .ok_or_else(|| format!("{:?} is in no subnet", other.name))?;
        let group = super::place::security_group_for(
            diagram,
            &NodeId::new(format!("{}-vpc-link", owner.id)).map_err(|e| e.to_string())?,
            vpc,
            &mut commands,
        )?;
        changed_api.vpc_link_subnets = alb.subnets.clone();
        changed_api.vpc_link_security_groups = vec![group];
    }
    let route_key = next_route_key(api, other);
    changed_api.routes.push(ApiRoute {
        route_key: route_key.clone(),
        target: other.id.clone(),
    });
    commands.push(Command::ReplaceNode { node: changed });
    let mut after = diagram.clone();
    super::apply(&mut after, Command::Batch(commands.clone())).map_err(|e| e.to_string())?;
    let port = connect::infer_port(&after, &owner.id, &other.id);
    let forwarded = TrafficEdge {
        id: EdgeId::new("vpc-link").map_err(|e| e.to_string())?,
        from: owner.id.clone(),
        to: other.id.clone(),
        protocol: Protocol::Tcp,
        port,
        label: String::new(),
        bends: Vec::new(),
        straight: false,
    };
    commands.push(crate::domain::validate::reach::rules_for_edge(
        &after, &forwarded,
    ));
    Ok(Relation {
        command: Command::Batch(commands),
        summary: format!(
            "{:?} forwards {route_key} to {:?} on port {port} through its VPC link, in the balancer's subnets",
            owner.name, other.name
        ),
        edge: None,
    })
}

/// A queue drawn to a function: an event source mapping, Lambda polling
/// the queue for the function.
fn triggers(queue: &Node, function: &Node) -> Option<Result<Relation, String>> {
    let (NodeKind::SqsQueue(_), NodeKind::LambdaFunction(lambda)) = (&queue.kind, &function.kind)
    else {
        return None;
    };
    if lambda.event_sources.contains(&queue.id) {
        return Some(Err(format!(
            "{:?} triggers {:?} already",
            queue.name, function.name
        )));
    }
    let mut changed = function.clone();
    if let NodeKind::LambdaFunction(lambda) = &mut changed.kind {
        lambda.event_sources.push(queue.id.clone());
    }
    Some(Ok(Relation {
        command: Command::ReplaceNode { node: changed },
        summary: format!(
            "{:?} triggers {:?}: Lambda polls it and invokes the function with batches of its messages; the function's role may receive and delete them",
            queue.name, function.name
        ),
        edge: None,
    }))
}

/// Why traffic cannot be drawn to a Lambda function: its interfaces only
/// start connections; it is invoked through Lambda's API.
fn invoked_only(from: &Node, to: &Node) -> Option<String> {
    (to.tag() == KindTag::LambdaFunction).then(|| {
        format!(
            "{:?} cannot connect to {:?}: a Lambda function is invoked, never connected to; draw a load balancer to it to make it a target, and lines from it to what it calls",
            from.name, to.name
        )
    })
}

/// Why a line to or from `silent` means nothing, with what to draw instead.
fn no_meaning(silent: &Node, other: &Node) -> String {
    let hint = match silent.tag() {
        KindTag::AcmCertificate => {
            "a certificate carries no traffic: draw it to a load balancer for an HTTPS listener, to CloudFront for its viewer certificate, or to a hosted zone for DNS validation"
        }
        KindTag::Route53Zone => {
            "a hosted zone carries no traffic: draw it to CloudFront or a load balancer for an alias record, or to a certificate to validate it"
        }
        KindTag::EcsCluster => "a cluster carries no traffic: draw it to a service to run the service in it",
        KindTag::Pipeline => {
            "a pipeline carries no traffic: draw it to a service, a bucket or a distribution it deploys"
        }
        KindTag::VpcEndpoint => {
            "a gateway endpoint carries no traffic of its own: draw it to a subnet to add the subnet's route table"
        }
        KindTag::VpcPeering => "a peering carries no traffic of its own: draw it to a subnet to route that subnet to the other VPC",
        KindTag::WebAcl => {
            "a web ACL carries no traffic of its own: draw it to a load balancer or a CloudFront distribution to filter their requests"
        }
        KindTag::NetworkAcl => {
            "a network ACL carries no traffic: draw it to a subnet to filter what enters and leaves that subnet"
        }
        KindTag::Vpc | KindTag::Subnet => {
            "a container carries no traffic: draw traffic to the resources inside it"
        }
        KindTag::InternetGateway | KindTag::NatGateway => {
            "traffic passes a gateway on its way, following the route tables: draw it between the resources at both ends"
        }
        _ => "this kind carries no traffic",
    };
    format!(
        "a line between {:?} and {:?} means nothing in AWS; {hint}",
        silent.name, other.name
    )
}

/// The configuration `owner` takes on when drawn to `other`, if the pair has
/// one: `None` when it does not, `Some(Err)` when it does but cannot be set.
fn configure(diagram: &Diagram, owner: &Node, other: &Node) -> Option<Result<Relation, String>> {
    let already = |what: &str| {
        Some(Err(format!(
            "{:?} {what} {:?} already",
            owner.name, other.name
        )))
    };
    let mut changed = owner.clone();
    let summary;
    let mut extra: Vec<Command> = Vec::new();
    let mut traffic: Option<u16> = None;
    match (&mut changed.kind, &other.kind) {
        (NodeKind::FargateService(service), NodeKind::EcsCluster(_)) => {
            if service.cluster.as_ref() == Some(&other.id) {
                return already("runs in");
            }
            service.cluster = Some(other.id.clone());
            summary = format!("{:?} runs in the cluster {:?}", owner.name, other.name);
        }
        (NodeKind::CloudFront(distribution), NodeKind::S3Bucket(_) | NodeKind::LoadBalancer(_)) => {
            if distribution.origins.iter().any(|o| o.target == other.id) {
                return already("fetches from");
            }
            let (access, pattern) = match &other.kind {
                NodeKind::LoadBalancer(alb) => {
                    let https = alb
                        .listeners
                        .iter()
                        .any(|l| l.protocol == ListenerProtocol::Https);
                    traffic = Some(connect::infer_port(diagram, &owner.id, &other.id));
                    (
                        if https {
                            OriginAccess::HttpsOnly
                        } else {
                            OriginAccess::HttpOnly
                        },
                        "/api/*",
                    )
                }
                _ => {
                    traffic = Some(443);
                    (OriginAccess::Oac, "/static/*")
                }
            };
            let has_default = distribution
                .origins
                .iter()
                .any(|o| o.path_pattern.is_none());
            let path_pattern = has_default.then(|| pattern.to_string());
            summary = match &path_pattern {
                None => format!(
                    "{:?} serves {:?} as its default origin",
                    owner.name, other.name
                ),
                Some(p) => format!("{:?} serves {p} from {:?}", owner.name, other.name),
            };
            distribution.origins.push(CloudFrontOrigin {
                target: other.id.clone(),
                path_pattern,
                access,
            });
        }
        (NodeKind::LoadBalancer(alb), NodeKind::AcmCertificate(certificate)) => {
            if certificate.region != diagram.region {
                return Some(Err(format!(
                    "{:?} is issued in {}; a load balancer in {} needs a certificate of its own region",
                    other.name, certificate.region, diagram.region
                )));
            }
            summary = https_listener(alb, owner, other);
            if summary.is_empty() {
                return already("serves HTTPS with");
            }
            extra = https_for_clients(diagram, &owner.id);
        }
        (NodeKind::CloudFront(distribution), NodeKind::AcmCertificate(certificate)) => {
            if distribution.certificate.as_ref() == Some(&other.id) {
                return already("serves HTTPS with");
            }
            if certificate.region != "us-east-1" {
                return Some(Err(format!(
                    "CloudFront uses certificates issued in us-east-1 only, and {:?} is in {}; set its region to us-east-1 first",
                    other.name, certificate.region
                )));
            }
            distribution.certificate = Some(other.id.clone());
            for name in std::iter::once(&certificate.domain_name)
                .chain(&certificate.subject_alternative_names)
            {
                if !name.starts_with('*') && !distribution.aliases.contains(name) {
                    distribution.aliases.push(name.clone());
                }
            }
            summary = format!(
                "{:?} serves HTTPS as {} with {:?}",
                owner.name,
                distribution.aliases.join(", "),
                other.name
            );
        }
        (NodeKind::Route53Zone(zone), NodeKind::CloudFront(_) | NodeKind::LoadBalancer(_)) => {
            if zone
                .records
                .iter()
                .any(|r| r.target == DnsTarget::Alias(other.id.clone()))
            {
                return already("has an alias record to");
            }
            let name = alias_name(zone, other);
            let shown = if name.is_empty() {
                zone.domain_name.clone()
            } else {
                format!("{name}.{}", zone.domain_name)
            };
            zone.records.push(DnsRecord {
                name,
                record_type: DnsRecordType::A,
                target: DnsTarget::Alias(other.id.clone()),
            });
            summary = format!("{shown} is an alias of {:?}", other.name);
        }
        (NodeKind::AcmCertificate(certificate), NodeKind::Route53Zone(_)) => {
            if certificate.validation_zone.as_ref() == Some(&other.id) {
                return already("is validated through");
            }
            certificate.validation_zone = Some(other.id.clone());
            summary = format!("{:?} is validated by DNS in {:?}", owner.name, other.name);
        }
        (NodeKind::FargateService(service), NodeKind::EcrRepository(_)) => {
            let image = ContainerImage::Ecr(other.id.clone());
            if service.containers.iter().any(|c| c.image == image) {
                return already("runs the image of");
            }
            let Some(container) = service.containers.first_mut() else {
                return Some(Err(format!(
                    "{:?} has no container to run the image in",
                    owner.name
                )));
            };
            container.image = image;
            summary = format!(
                "the container {:?} of {:?} runs the image the pipeline pushes to {:?}; the service starts after the first push",
                container.name, owner.name, other.name
            );
        }
        (
            NodeKind::Pipeline(pipeline),
            NodeKind::FargateService(_)
            | NodeKind::LambdaFunction(_)
            | NodeKind::S3Bucket(_)
            | NodeKind::CloudFront(_),
        ) => {
            if pipeline.deploys.contains(&other.id) {
                return already("deploys");
            }
            pipeline.deploys.push(other.id.clone());
            summary = format!("{:?} deploys {:?}", owner.name, other.name);
        }
        (NodeKind::LoadBalancer(alb), NodeKind::LambdaFunction(function)) => {
            let invokes = |g: &TargetGroup| {
                g.target_type == TargetType::Lambda
                    && g.target.as_ref().is_some_and(|t| t.service == other.id)
            };
            if alb.target_groups.iter().any(invokes) {
                return already("invokes");
            }
            // A free target group (a new load balancer's) takes the
            // function; otherwise it gets one of its own, with an HTTP
            // listener on a free port forwarding to it.
            let free = alb.target_groups.iter().position(|g| g.target.is_none());
            let mut new_listener = None;
            let routed = free.is_some_and(|at| {
                let name = &alb.target_groups[at].name;
                alb.listeners
                    .iter()
                    .any(|l| l.action == ListenerAction::Forward(name.clone()))
            });
            let at = free.unwrap_or_else(|| {
                let at = alb.add_routed_group(other.id.as_str(), TargetType::Lambda, 80);
                new_listener = alb.listeners.last().map(|l| l.port);
                at
            });
            let group = &mut alb.target_groups[at];
            group.target_type = TargetType::Lambda;
            group.target = Some(ServiceTarget {
                service: other.id.clone(),
                container: String::new(),
            });
            let group_name = group.name.clone();
            // The function's resource policy lets the load balancer
            // invoke it, as the exports write it.
            if !function.invokers.contains(&owner.id) {
                let mut invoked = other.clone();
                if let NodeKind::LambdaFunction(function) = &mut invoked.kind {
                    function.invokers.push(owner.id.clone());
                }
                extra.push(Command::ReplaceNode { node: invoked });
            }
            summary = if let Some(port) = new_listener {
                format!(
                    "{:?} invokes {:?} with the requests of its new HTTP listener on port {port} (target group {group_name:?}); the function's resource policy lets it",
                    owner.name, other.name
                )
            } else if routed {
                format!(
                    "{:?} invokes {:?} with the requests its target group {group_name:?} receives; the function's resource policy lets it",
                    owner.name, other.name
                )
            } else {
                format!(
                    "{:?} invokes {:?} with the requests its target group {group_name:?} receives, once a listener forwards to it (a listener's default action, in its properties); the function's resource policy lets it",
                    owner.name, other.name
                )
            };
        }
        (NodeKind::HttpApi(api), NodeKind::LambdaFunction(function)) => {
            if api.routes.iter().any(|r| r.target == other.id) {
                return already("routes to");
            }
            let route_key = next_route_key(api, other);
            summary = format!(
                "{:?} invokes {:?} for {route_key}; the function's resource policy lets API Gateway invoke it",
                owner.name, other.name
            );
            api.routes.push(ApiRoute {
                route_key,
                target: other.id.clone(),
            });
            if !function.invokers.contains(&owner.id) {
                let mut invoked = other.clone();
                if let NodeKind::LambdaFunction(function) = &mut invoked.kind {
                    function.invokers.push(owner.id.clone());
                }
                extra.push(Command::ReplaceNode { node: invoked });
            }
        }
        (NodeKind::HttpApi(api), NodeKind::LoadBalancer(alb)) => {
            if api.routes.iter().any(|r| r.target == other.id) {
                return already("routes to");
            }
            return Some(integrate(diagram, owner, api, other, alb));
        }
        (NodeKind::Secret(secret), NodeKind::AuroraCluster(_) | NodeKind::RdsInstance(_)) => {
            if secret.database.as_ref() == Some(&other.id) {
                return already("holds the credentials of");
            }
            if let Some(holder) = diagram.nodes.iter().find(|n| {
                matches!(&n.kind, NodeKind::Secret(s) if s.database.as_ref() == Some(&other.id))
            }) {
                return Some(Err(format!(
                    "{:?} holds the credentials of {:?} already; a database has one master password",
                    holder.name, other.name
                )));
            }
            secret.database = Some(other.id.clone());
            // The password now comes from the secret: RDS stops managing one.
            if let NodeKind::AuroraCluster(aurora) = &other.kind {
                if aurora.manage_master_password {
                    let mut database = other.clone();
                    if let NodeKind::AuroraCluster(aurora) = &mut database.kind {
                        aurora.manage_master_password = false;
                    }
                    extra.push(Command::ReplaceNode { node: database });
                }
            }
            summary = format!(
                "{:?} holds the master credentials of {:?} (username and a generated password), which the database's password comes from",
                owner.name, other.name
            );
        }
        (NodeKind::WebAcl(acl), NodeKind::LoadBalancer(_) | NodeKind::CloudFront(_)) => {
            if acl.protects.contains(&other.id) {
                return already("protects");
            }
            if let Some(guard) = diagram
                .nodes
                .iter()
                .find(|n| matches!(&n.kind, NodeKind::WebAcl(a) if a.protects.contains(&other.id)))
            {
                return Some(Err(format!(
                    "{:?} is protected by {:?} already; a resource has one web ACL",
                    other.name, guard.name
                )));
            }
            let wanted = match other.tag() {
                KindTag::CloudFront => WafScope::Cloudfront,
                _ => WafScope::Regional,
            };
            if acl.scope != wanted {
                if !acl.protects.is_empty() {
                    return Some(Err(format!(
                        "{:?} is a {} web ACL and {:?} needs a {} one; one web ACL cannot protect both a load balancer and a distribution, so draw a second web ACL",
                        owner.name,
                        acl.scope.as_str(),
                        other.name,
                        wanted.as_str()
                    )));
                }
                acl.scope = wanted;
            }
            acl.protects.push(other.id.clone());
            summary = format!(
                "{:?} filters the requests to {:?} ({} scope) before they reach it",
                owner.name,
                other.name,
                acl.scope.as_str()
            );
        }
        (NodeKind::WebAcl(_), NodeKind::HttpApi(_)) => {
            return Some(Err(format!(
                "WAF protects API Gateway's REST APIs, not HTTP APIs like {:?}; put a CloudFront distribution in front of it, or protect the load balancer behind it",
                other.name
            )));
        }
        (NodeKind::SnsTopic(topic), NodeKind::SqsQueue(queue)) => {
            if topic.subscriptions.iter().any(|s| s.queue == other.id) {
                return already("delivers to");
            }
            if queue.fifo && !topic.fifo {
                return Some(Err(format!(
                    "{:?} is a FIFO queue, which takes messages from FIFO topics only; make {:?} FIFO first",
                    other.name, owner.name
                )));
            }
            topic.subscriptions.push(QueueSubscription {
                queue: other.id.clone(),
                raw_message_delivery: false,
                queue_policy_allows: true,
            });
            summary = format!(
                "{:?} delivers every message to {:?}; the queue's policy lets the topic send",
                owner.name, other.name
            );
        }
        (NodeKind::VpcEndpoint(endpoint), NodeKind::Subnet(subnet)) => {
            if subnet.vpc != endpoint.vpc {
                return Some(Err(format!(
                    "{:?} is in another VPC than {:?}",
                    other.name, owner.name
                )));
            }
            if endpoint.service.is_gateway() {
                let Some(table) = subnet.route_table.clone() else {
                    return Some(Err(format!(
                        "{:?} uses its VPC's main route table; give it a route table (its routing in the inspector) first",
                        other.name
                    )));
                };
                if endpoint.route_tables.contains(&table) {
                    return already("is on the route table of");
                }
                endpoint.route_tables.push(table);
                summary = format!(
                    "{:?} is on the route table of {:?} (and of every subnet sharing it)",
                    owner.name, other.name
                );
            } else {
                if endpoint.subnets.contains(&other.id) {
                    return already("has an interface in");
                }
                // One interface per zone: a subnet of a zone the endpoint is
                // already in takes that zone's place.
                endpoint.subnets.retain(|s| {
                    !matches!(diagram.node(s).map(|n| &n.kind),
                        Some(NodeKind::Subnet(other_subnet)) if other_subnet.az == subnet.az)
                });
                endpoint.subnets.push(other.id.clone());
                summary = format!("{:?} has an interface in {:?}", owner.name, other.name);
            }
        }
        (NodeKind::NetworkAcl(acl), NodeKind::Subnet(subnet)) => {
            if subnet.vpc != acl.vpc {
                return Some(Err(format!(
                    "{:?} is in another VPC than {:?}",
                    other.name, owner.name
                )));
            }
            if acl.subnets.contains(&other.id) {
                return already("filters");
            }
            acl.subnets.push(other.id.clone());
            extra = release_from_acls(diagram, &other.id);
            let previous: Vec<String> = diagram
                .nodes
                .iter()
                .filter(
                    |n| matches!(&n.kind, NodeKind::NetworkAcl(a) if a.subnets.contains(&other.id)),
                )
                .map(|n| format!("{:?}", n.name))
                .collect();
            summary = if previous.is_empty() {
                format!(
                    "{:?} filters what enters and leaves {:?}",
                    owner.name, other.name
                )
            } else {
                format!(
                    "{:?} filters what enters and leaves {:?}, in place of {}",
                    owner.name,
                    other.name,
                    previous.join(", ")
                )
            };
        }
        (NodeKind::Subnet(subnet), NodeKind::VpcPeering(peering)) => {
            let far = if peering.requester == subnet.vpc {
                &peering.accepter
            } else if peering.accepter == subnet.vpc {
                &peering.requester
            } else {
                return Some(Err(format!(
                    "{:?} is in neither VPC that {:?} joins",
                    owner.name, other.name
                )));
            };
            let Some(NodeKind::Vpc(far_vpc)) = diagram.node(far).map(|n| &n.kind) else {
                return Some(Err(format!(
                    "{:?} joins a VPC that is not on the canvas",
                    other.name
                )));
            };
            let Some(table_id) = subnet.route_table.clone() else {
                return Some(Err(format!(
                    "{:?} uses its VPC's main route table; give it a route table (its routing in the inspector) first",
                    owner.name
                )));
            };
            let Some(table_node) = diagram.node(&table_id) else {
                return Some(Err(format!(
                    "the route table of {:?} is missing",
                    owner.name
                )));
            };
            let mut table = table_node.clone();
            let NodeKind::RouteTable(routes) = &mut table.kind else {
                return Some(Err(format!(
                    "the route table of {:?} is missing",
                    owner.name
                )));
            };
            let destination = far_vpc.cidr;
            if routes.routes.iter().any(|r| r.destination == destination) {
                return Some(Err(format!(
                    "the route table of {:?} already routes {destination}",
                    owner.name
                )));
            }
            routes.routes.push(Route {
                destination,
                target: other.id.clone(),
            });
            return Some(Ok(Relation {
                command: Command::ReplaceNode { node: table },
                summary: format!(
                    "{:?} routes {destination} through {:?} (so does every subnet sharing its route table)",
                    owner.name, other.name
                ),
                edge: None,
            }));
        }
        _ => return None,
    }
    let mut commands = vec![Command::ReplaceNode { node: changed }];
    commands.extend(extra);
    let mut edge = None;
    if let Some(port) = traffic {
        // The origin fetch is traffic too, with a verdict of its own.
        let mut after = diagram.clone();
        if let Err(error) = super::apply(&mut after, Command::Batch(commands.clone())) {
            return Some(Err(error.to_string()));
        }
        if !after
            .edges
            .iter()
            .any(|e| e.from == owner.id && e.to == other.id)
        {
            match connect::connect_on(&after, &owner.id, &other.id, port) {
                Ok((command, id)) => {
                    commands.push(command);
                    edge = Some(id);
                }
                Err(message) => return Some(Err(message)),
            }
        }
    }
    Some(Ok(Relation {
        command: Command::Batch(commands),
        summary,
        edge,
    }))
}

/// Takes a subnet from every network ACL that holds it: AWS associates a
/// subnet with one ACL, so a new association replaces the old.
pub fn release_from_acls(diagram: &Diagram, subnet: &NodeId) -> Vec<Command> {
    diagram
        .nodes
        .iter()
        .filter_map(|node| match &node.kind {
            NodeKind::NetworkAcl(acl) if acl.subnets.contains(subnet) => {
                let mut changed = node.clone();
                if let NodeKind::NetworkAcl(acl) = &mut changed.kind {
                    acl.subnets.retain(|s| s != subnet);
                }
                Some(Command::ReplaceNode { node: changed })
            }
            _ => None,
        })
        .collect()
}

/// Gives the load balancer an HTTPS listener with `certificate`: the HTTPS
/// listener it has, or a new one on 443 forwarding where plain HTTP did, plain
/// HTTP then redirecting to it. Empty when it already serves that certificate.
fn https_listener(alb: &mut LoadBalancer, owner: &Node, certificate: &Node) -> String {
    if let Some(listener) = alb
        .listeners
        .iter_mut()
        .find(|l| l.protocol == ListenerProtocol::Https)
    {
        if listener.certificate.as_ref() == Some(&certificate.id) {
            return String::new();
        }
        listener.certificate = Some(certificate.id.clone());
        return format!(
            "the HTTPS listener of {:?} on port {} serves {:?}",
            owner.name, listener.port, certificate.name
        );
    }
    let plain = alb
        .listeners
        .iter()
        .position(|l| l.protocol == ListenerProtocol::Http);
    let action = plain
        .map(|at| alb.listeners[at].action.clone())
        .filter(|action| *action != ListenerAction::RedirectToHttps)
        .or_else(|| {
            alb.target_groups
                .first()
                .map(|group| ListenerAction::Forward(group.name.clone()))
        })
        .unwrap_or(ListenerAction::FixedResponse(404));
    alb.listeners.push(Listener {
        port: 443,
        protocol: ListenerProtocol::Https,
        certificate: Some(certificate.id.clone()),
        action,
    });
    match plain {
        Some(at) => {
            alb.listeners[at].action = ListenerAction::RedirectToHttps;
            format!(
                "{:?} serves HTTPS on 443 with {:?}; plain HTTP on {} now redirects to it",
                owner.name, certificate.name, alb.listeners[at].port
            )
        }
        None => format!(
            "{:?} serves HTTPS on 443 with {:?}",
            owner.name, certificate.name
        ),
    }
}

/// Every client drawn to the load balancer on plain HTTP is drawn on 443
/// too, with the rules it needs, so the new listener is reachable.
fn https_for_clients(diagram: &Diagram, alb: &NodeId) -> Vec<Command> {
    let mut commands = Vec::new();
    let mut after = diagram.clone();
    let plain: Vec<&TrafficEdge> = diagram
        .edges
        .iter()
        .filter(|e| &e.to == alb && e.port == 80)
        .collect();
    for edge in plain {
        if after
            .edges
            .iter()
            .any(|e| e.from == edge.from && &e.to == alb && e.port == 443)
        {
            continue;
        }
        if let Ok((command, _)) = connect::connect_on(&after, &edge.from, alb, 443) {
            if super::apply(&mut after, command.clone()).is_ok() {
                commands.push(command);
            }
        }
    }
    commands
}

/// The record name an alias to `target` gets in `zone`: the name the
/// distribution answers to inside the zone, else the apex, else `www` (or
/// `api` for a load balancer), else a numbered one.
fn alias_name(zone: &Route53Zone, target: &Node) -> String {
    let taken = |name: &str| zone.records.iter().any(|r| r.name == name);
    let domain = zone.domain_name.trim_end_matches('.');
    if let NodeKind::CloudFront(distribution) = &target.kind {
        for alias in &distribution.aliases {
            let relative = if alias == domain {
                Some(String::new())
            } else {
                alias
                    .strip_suffix(domain)
                    .and_then(|head| head.strip_suffix('.'))
                    .map(str::to_string)
            };
            if let Some(name) = relative.filter(|name| !taken(name)) {
                return name;
            }
        }
    }
    let preferred: &[&str] = match target.kind {
        NodeKind::LoadBalancer(_) => &["api", "app"],
        _ => &["", "www"],
    };
    if let Some(name) = preferred.iter().find(|name| !taken(name)) {
        return name.to_string();
    }
    let stem = preferred[preferred.len() - 1];
    (2..)
        .map(|n| format!("{stem}{n}"))
        .find(|name| !taken(name))
        .unwrap_or_default()
}

/// A configuration relationship the canvas draws as a dashed line.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Link {
    pub what: LinkKind,
    /// The node whose property holds the reference (or, for a peering route,
    /// the subnet whose table does).
    pub from: NodeId,
    pub to: NodeId,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum LinkKind {
    Cluster,
    Origin,
    ListenerCertificate,
    ViewerCertificate,
    Alias,
    Validation,
    Image,
    Deploys,
    EndpointSubnet,
    EndpointRouteTable,
    PeeringRoute,
    AclSubnet,
    Subscription,
    Invokes,
    Integration,
    EventSource,
    Credentials,
    Protects,
}

impl LinkKind {
    pub fn as_str(self) -> &'static str {
        match self {
            LinkKind::Cluster => "cluster",
            LinkKind::Origin => "origin",
            LinkKind::ListenerCertificate => "listener-certificate",
            LinkKind::ViewerCertificate => "viewer-certificate",
            LinkKind::Alias => "alias",
            LinkKind::Validation => "validation",
            LinkKind::Image => "image",
            LinkKind::Deploys => "deploys",
            LinkKind::EndpointSubnet => "endpoint-subnet",
            LinkKind::EndpointRouteTable => "endpoint-route-table",
            LinkKind::PeeringRoute => "peering-route",
            LinkKind::AclSubnet => "acl-subnet",
            LinkKind::Subscription => "subscription",
            LinkKind::Invokes => "invokes",
            LinkKind::Integration => "integration",
            LinkKind::EventSource => "event-source",
            LinkKind::Credentials => "credentials",
            LinkKind::Protects => "protects",
        }
    }

    const ALL: [LinkKind; 18] = [
        LinkKind::Cluster,
        LinkKind::Origin,
        LinkKind::ListenerCertificate,
        LinkKind::ViewerCertificate,
        LinkKind::Alias,
        LinkKind::Validation,
        LinkKind::Image,
        LinkKind::Deploys,
        LinkKind::EndpointSubnet,
        LinkKind::EndpointRouteTable,
        LinkKind::PeeringRoute,
        LinkKind::AclSubnet,
        LinkKind::Subscription,
        LinkKind::Invokes,
        LinkKind::Integration,
        LinkKind::EventSource,
        LinkKind::Credentials,
        LinkKind::Protects,
    ];

    /// The words the canvas writes on the line.
    pub fn label(self) -> &'static str {
        match self {
            LinkKind::Cluster => "runs in",
            LinkKind::Origin => "origin",
            LinkKind::ListenerCertificate | LinkKind::ViewerCertificate => "certificate",
            LinkKind::Alias => "alias",
            LinkKind::Validation => "validates",
            LinkKind::Image => "image",
            LinkKind::Deploys => "deploys",
            LinkKind::EndpointSubnet => "interface",
            LinkKind::EndpointRouteTable => "route table",
            LinkKind::PeeringRoute => "route",
            LinkKind::AclSubnet => "filters",
            LinkKind::Subscription => "delivers to",
            LinkKind::Invokes => "invokes",
            LinkKind::Integration => "forwards to",
            LinkKind::EventSource => "triggers",
            LinkKind::Credentials => "credentials of",
            LinkKind::Protects => "protects",
        }
    }
}

impl Link {
    /// A stable key, also the canvas's `data-link-id`.
    pub fn key(&self) -> String {
        format!("{}:{}:{}", self.what.as_str(), self.from, self.to)
    }

    pub fn parse(key: &str) -> Option<Link> {
        let mut parts = key.splitn(3, ':');
        let what = parts.next()?;
        let what = LinkKind::ALL.into_iter().find(|k| k.as_str() == what)?;
        let from = NodeId::new(parts.next()?).ok()?;
        let to = NodeId::new(parts.next()?).ok()?;
        Some(Link { what, from, to })
    }

    /// What the relationship is, as a sentence for the inspector.
    pub fn describe(&self, diagram: &Diagram) -> String {
        let name = |id: &NodeId| {
            diagram
                .node(id)
                .map_or_else(|| id.to_string(), |n| format!("{:?}", n.name))
        };
        let (from, to) = (name(&self.from), name(&self.to));
        match self.what {
            LinkKind::Cluster => format!("{from} runs in the ECS cluster {to}."),
            LinkKind::Origin => format!("{from} fetches from its origin {to}."),
            LinkKind::ListenerCertificate => {
                format!("The HTTPS listener of {from} serves the certificate {to}.")
            }
            LinkKind::ViewerCertificate => {
                format!("{from} serves HTTPS with the certificate {to}.")
            }
            LinkKind::Alias => format!("{from} has an alias record to {to}."),
            LinkKind::Validation => format!("{from} is validated by DNS records in {to}."),
            LinkKind::Image => format!("{from} runs the image the pipeline pushes to {to}."),
            LinkKind::Deploys => format!("{from} deploys {to}."),
            LinkKind::EndpointSubnet => format!("{from} has a network interface in {to}."),
            LinkKind::EndpointRouteTable => {
                format!("{from} is a route in the route table of {to}.")
            }
            LinkKind::PeeringRoute => {
                format!("The route table of {from} routes the other VPC through {to}.")
            }
            LinkKind::AclSubnet => format!(
                "The network ACL {from} filters what enters and leaves {to}; without it the subnet uses its VPC's default ACL, which allows everything."
            ),
            LinkKind::Subscription => format!(
                "{to} is subscribed to the topic {from}: SNS sends it every message published, if the queue's policy lets the topic send."
            ),
            LinkKind::Invokes => format!(
                "{from} invokes the Lambda function {to} with each request routed to it, if the function's resource policy lets it."
            ),
            LinkKind::Integration => format!(
                "{from} forwards the requests of a route to {to} through its VPC link, whose interfaces the load balancer's groups must admit."
            ),
            LinkKind::EventSource => format!(
                "Lambda polls {from} and invokes {to} with batches of its messages, deleting them once the function succeeds."
            ),
            LinkKind::Credentials => format!(
                "{from} holds the master username and password of {to}; the database's password is read from it when it is created."
            ),
            LinkKind::Protects => format!(
                "The web ACL {from} inspects every request to {to} and blocks what its rules match."
            ),
        }
    }
}

/// Every configuration relationship between drawn nodes, read from the
/// nodes' own references, sorted and without repeats.
pub fn links(diagram: &Diagram) -> Vec<Link> {
    let mut out = Vec::new();
    let drawn = |id: &NodeId| diagram.layout.contains_key(id);
    let mut push = |what: LinkKind, from: &NodeId, to: &NodeId| {
        if drawn(from) && drawn(to) {
            out.push(Link {
                what,
                from: from.clone(),
                to: to.clone(),
            });
        }
    };
    // Subnets by the route table they use, for gateway endpoints and peerings.
    let mut by_table: std::collections::BTreeMap<&NodeId, Vec<&NodeId>> = Default::default();
    for node in &diagram.nodes {
        if let NodeKind::Subnet(Subnet {
            route_table: Some(table),
            ..
        }) = &node.kind
        {
            by_table.entry(table).or_default().push(&node.id);
        }
    }
    for node in &diagram.nodes {
        let id = &node.id;
        match &node.kind {
            NodeKind::FargateService(service) => {
                if let Some(cluster) = &service.cluster {
                    push(LinkKind::Cluster, id, cluster);
                }
                for container in &service.containers {
                    if let ContainerImage::Ecr(repository) = &container.image {
                        push(LinkKind::Image, id, repository);
                    }
                }
            }
            NodeKind::CloudFront(distribution) => {
                for origin in &distribution.origins {
                    push(LinkKind::Origin, id, &origin.target);
                }
                if let Some(certificate) = &distribution.certificate {
                    push(LinkKind::ViewerCertificate, id, certificate);
                }
            }
            NodeKind::LoadBalancer(alb) => {
                for certificate in alb.listeners.iter().filter_map(|l| l.certificate.as_ref()) {
                    push(LinkKind::ListenerCertificate, id, certificate);
                }
                for group in alb
                    .target_groups
                    .iter()
                    .filter(|g| g.target_type == TargetType::Lambda)
                {
                    if let Some(target) = &group.target {
                        push(LinkKind::Invokes, id, &target.service);
                    }
                }
            }
            NodeKind::Route53Zone(zone) => {
                for record in &zone.records {
                    if let DnsTarget::Alias(target) = &record.target {
                        push(LinkKind::Alias, id, target);
                    }
                }
            }
            NodeKind::AcmCertificate(certificate) => {
                if let Some(zone) = &certificate.validation_zone {
                    push(LinkKind::Validation, id, zone);
                }
            }
            NodeKind::Pipeline(pipeline) => {
                for target in &pipeline.deploys {
                    push(LinkKind::Deploys, id, target);
                }
            }
            NodeKind::VpcEndpoint(endpoint) => {
                for subnet in &endpoint.subnets {
                    push(LinkKind::EndpointSubnet, id, subnet);
                }
                for table in &endpoint.route_tables {
                    for subnet in by_table.get(table).into_iter().flatten() {
                        push(LinkKind::EndpointRouteTable, id, subnet);
                    }
                }
            }
            NodeKind::NetworkAcl(acl) => {
                for subnet in &acl.subnets {
                    push(LinkKind::AclSubnet, id, subnet);
                }
            }
            NodeKind::SnsTopic(topic) => {
                for subscription in &topic.subscriptions {
                    push(LinkKind::Subscription, id, &subscription.queue);
                }
            }
            NodeKind::Secret(secret) => {
                if let Some(database) = &secret.database {
                    push(LinkKind::Credentials, id, database);
                }
            }
            NodeKind::WebAcl(acl) => {
                for protected in &acl.protects {
                    push(LinkKind::Protects, id, protected);
                }
            }
            NodeKind::LambdaFunction(function) => {
                for queue in &function.event_sources {
                    push(LinkKind::EventSource, queue, id);
                }
            }
            NodeKind::HttpApi(api) => {
                for route in &api.routes {
                    let balancer =
                        diagram.node(&route.target).map(Node::tag) == Some(KindTag::LoadBalancer);
                    let what = if balancer {
                        LinkKind::Integration
                    } else {
                        LinkKind::Invokes
                    };
                    push(what, id, &route.target);
                }
            }
            NodeKind::RouteTable(table) => {
                for route in &table.routes {
                    let is_peering =
                        diagram.node(&route.target).map(Node::tag) == Some(KindTag::VpcPeering);
                    if is_peering {
                        for subnet in by_table.get(id).into_iter().flatten() {
                            push(LinkKind::PeeringRoute, subnet, &route.target);
                        }
                    }
                }
            }
            _ => {}
        }
    }
    crate::domain::sorting::sort(&mut out);
    out.dedup();
    out
}

/// The command that undoes a relationship, or why it cannot be undone alone.
pub fn unrelate(diagram: &Diagram, link: &Link) -> Result<Command, String> {
    let owner_id = match link.what {
        LinkKind::PeeringRoute => match diagram.node(&link.from).map(|n| &n.kind) {
            Some(NodeKind::Subnet(subnet)) => subnet
                .route_table
                .clone()
                .ok_or("that subnet has no route table")?,
            _ => return Err("that relationship no longer exists".into()),
        },
        // The function holds its event sources.
        LinkKind::EventSource => link.to.clone(),
        _ => link.from.clone(),
    };
    let owner = diagram
        .node(&owner_id)
        .ok_or("that relationship no longer exists")?;
    let mut changed = owner.clone();
    let target = &link.to;
    let removed = match (&mut changed.kind, link.what) {
        (NodeKind::FargateService(service), LinkKind::Cluster) => service.cluster.take().is_some(),
        (NodeKind::FargateService(_), LinkKind::Image) => {
            return Err(
                "a container always runs an image: choose another one for it in the inspector"
                    .into(),
            )
        }
        (NodeKind::CloudFront(distribution), LinkKind::Origin) => {
            let before = distribution.origins.len();
            distribution.origins.retain(|o| &o.target != target);
            if distribution.origins.is_empty() {
                return Err(format!(
                    "{:?} needs an origin: draw another one before removing its last",
                    owner.name
                ));
            }
            if !distribution
                .origins
                .iter()
                .any(|o| o.path_pattern.is_none())
            {
                // The first remaining origin takes over the default behaviour.
                distribution.origins[0].path_pattern = None;
            }
            distribution.origins.len() != before
        }
        (NodeKind::CloudFront(distribution), LinkKind::ViewerCertificate) => {
            distribution.aliases.clear();
            distribution.certificate.take().is_some()
        }
        (NodeKind::LoadBalancer(alb), LinkKind::ListenerCertificate) => {
            let before = alb.listeners.len();
            alb.listeners
                .retain(|l| l.certificate.as_ref() != Some(target));
            // Plain HTTP that redirected to the removed listener serves again.
            if !alb
                .listeners
                .iter()
                .any(|l| l.protocol == ListenerProtocol::Https)
            {
                let forward = alb
                    .target_groups
                    .first()
                    .map(|g| ListenerAction::Forward(g.name.clone()));
                for listener in &mut alb.listeners {
                    if listener.action == ListenerAction::RedirectToHttps {
                        if let Some(forward) = &forward {
                            listener.action = forward.clone();
                        }
                    }
                }
            }
            alb.listeners.len() != before
        }
        (NodeKind::Route53Zone(zone), LinkKind::Alias) => {
            let before = zone.records.len();
            zone.records
                .retain(|r| r.target != DnsTarget::Alias(target.clone()));
            zone.records.len() != before
        }
        (NodeKind::AcmCertificate(certificate), LinkKind::Validation) => {
            certificate.validation_zone.take().is_some()
        }
        (NodeKind::Pipeline(pipeline), LinkKind::Deploys) => {
            let before = pipeline.deploys.len();
            pipeline.deploys.retain(|d| d != target);
            pipeline.deploys.len() != before
        }
        (NodeKind::VpcEndpoint(endpoint), LinkKind::EndpointSubnet) => {
            let before = endpoint.subnets.len();
            endpoint.subnets.retain(|s| s != target);
            if endpoint.subnets.is_empty() {
                return Err(format!(
                    "{:?} needs an interface in at least one subnet",
                    owner.name
                ));
            }
            endpoint.subnets.len() != before
        }
        (NodeKind::VpcEndpoint(endpoint), LinkKind::EndpointRouteTable) => {
            let table = match diagram.node(target).map(|n| &n.kind) {
                Some(NodeKind::Subnet(subnet)) => subnet.route_table.clone(),
                _ => None,
            };
            let before = endpoint.route_tables.len();
            endpoint.route_tables.retain(|t| Some(t) != table.as_ref());
            endpoint.route_tables.len() != before
        }
        (NodeKind::LoadBalancer(alb), LinkKind::Invokes) => {
            let mut removed = false;
            for group in &mut alb.target_groups {
                if group.target_type == TargetType::Lambda
                    && group.target.as_ref().is_some_and(|t| &t.service == target)
                {
                    group.target = None;
                    group.target_type = TargetType::Ip;
                    removed = true;
                }
            }
            removed
        }
        (NodeKind::LambdaFunction(function), LinkKind::EventSource) => {
            let before = function.event_sources.len();
            function.event_sources.retain(|queue| queue != &link.from);
            function.event_sources.len() != before
        }
        (NodeKind::HttpApi(api), LinkKind::Invokes | LinkKind::Integration) => {
            let before = api.routes.len();
            api.routes.retain(|route| &route.target != target);
            api.routes.len() != before
        }
        (NodeKind::Secret(secret), LinkKind::Credentials) => secret.database.take().is_some(),
        (NodeKind::WebAcl(acl), LinkKind::Protects) => {
            let before = acl.protects.len();
            acl.protects.retain(|p| p != target);
            acl.protects.len() != before
        }
        (NodeKind::SnsTopic(topic), LinkKind::Subscription) => {
            let before = topic.subscriptions.len();
            topic.subscriptions.retain(|s| &s.queue != target);
            topic.subscriptions.len() != before
        }
        (NodeKind::NetworkAcl(acl), LinkKind::AclSubnet) => {
            let before = acl.subnets.len();
            acl.subnets.retain(|s| s != target);
            acl.subnets.len() != before
        }
        (NodeKind::RouteTable(table), LinkKind::PeeringRoute) => {
            let before = table.routes.len();
            table.routes.retain(|r| &r.target != target);
            table.routes.len() != before
        }
        _ => false,
    };
    if !removed {
        return Err("that relationship no longer exists".into());
    }
    Ok(Command::ReplaceNode { node: changed })
}

/// Edges of files written before drawing meant configuration: a traffic edge
/// with an end that carries no traffic. Cheap, for the first load to ask.
pub fn needs_settling(diagram: &Diagram) -> bool {
    // A search of the nodes per edge, quadratic on large diagrams, but no set
    // of ids for the first load to carry (0.8 kB gzip); `settle` below, in the
    // editor's module, looks them up once.
    let carries = |id: &NodeId| diagram.node(id).is_some_and(|n| carries_traffic(&n.kind));
    diagram
        .edges
        .iter()
        .any(|edge| !(carries(&edge.from) && carries(&edge.to)))
}

/// The nodes packets can start or end at, looked up once: a search of the
/// nodes per edge was quadratic on large diagrams.
fn carrying(diagram: &Diagram) -> std::collections::BTreeSet<&NodeId> {
    // Built by inserting: `collect` would bring a sort into the first load.
    crate::domain::sorting::set_of(
        diagram
            .nodes
            .iter()
            .filter(|node| carries_traffic(&node.kind))
            .map(|node| &node.id),
    )
}

fn is_traffic(carrying: &std::collections::BTreeSet<&NodeId>, edge: &TrafficEdge) -> bool {
    carrying.contains(&edge.from) && carrying.contains(&edge.to)
}

/// Turns every edge that stands for no traffic into what it means, or drops
/// it, and says what happened to each, for the user to read.
pub fn settle(diagram: &Diagram) -> (Diagram, Vec<String>) {
    let mut settled = diagram.clone();
    let mut said = Vec::new();
    let carrying = carrying(diagram);
    let stale: Vec<TrafficEdge> = diagram
        .edges
        .iter()
        .filter(|edge| !is_traffic(&carrying, edge))
        .cloned()
        .collect();
    for edge in stale {
        settled.edges.retain(|e| e.id != edge.id);
        let names = |id: &NodeId| {
            settled
                .node(id)
                .map_or_else(|| id.to_string(), |n| format!("{:?}", n.name))
        };
        let pair = format!("{} → {}", names(&edge.from), names(&edge.to));
        let held = links(&settled).into_iter().any(|link| {
            (link.from == edge.from && link.to == edge.to)
                || (link.from == edge.to && link.to == edge.from)
        });
        if held {
            said.push(format!(
                "The line {pair} stood for configuration the design already holds; it is drawn as a relationship now."
            ));
            continue;
        }
        let mut tried = settled.clone();
        let meaning = relate(&settled, &edge.from, &edge.to).and_then(|relation| {
            super::apply(&mut tried, relation.command)
                .map(|_| relation.summary)
                .map_err(|e| e.to_string())
        });
        match meaning {
            Ok(summary) => {
                settled = tried;
                said.push(format!(
                    "The line {pair} now means what it stands for: {summary}."
                ));
            }
            Err(_) => said.push(format!(
                "The line {pair} carried no traffic and meant nothing in AWS; it was removed."
            )),
        }
    }
    (settled, said)
}
