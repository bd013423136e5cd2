//! The inspector's fields for what a node refers to and for its lists: a
//! service's cluster and containers, a load balancer's listeners, a
//! distribution's origins, a zone's records, an endpoint's subnets or route
//! tables, a peering's VPCs. Every relationship the canvas draws can be set
//! here by typing or choosing, never only as JSON.
//!
//! A field of one item of a list carries the item's index; its address is
//! `key.index` (see `Field::address`).

use super::fields::{field as plain, replace_kind, Field, Input};
use super::Command;
use crate::domain::model::*;

pub(super) fn item_field(
    key: &'static str,
    label: &'static str,
    value: impl ToString,
    input: Input,
    item: usize,
    group: &str,
) -> Field {
    Field {
        item: Some(item),
        group: Some(group.to_string()),
        ..plain(key, label, value, input)
    }
}

fn action(key: &'static str, label: &'static str) -> Field {
    plain(key, label, "", Input::Action)
}

fn pairs(items: impl IntoIterator<Item = (String, String)>) -> Input {
    Input::Choice(items.into_iter().collect())
}

/// The nodes of one kind as choices (id, name), after `first`.
fn nodes_as_choices<'a>(
    diagram: &'a Diagram,
    wanted: impl Fn(&NodeKind) -> bool + 'a,
) -> impl Iterator<Item = (String, String)> + 'a {
    diagram
        .nodes
        .iter()
        .filter(move |n| wanted(&n.kind))
        .map(|n| (n.id.to_string(), n.name.clone()))
}

fn none_and(label: &str, rest: impl Iterator<Item = (String, String)>) -> Input {
    pairs(std::iter::once((String::new(), label.to_string())).chain(rest))
}

/// A registry image reference split at its tag (`name:tag`); a colon of a
/// registry's port (`host:5000/name`) is not a tag.
pub fn split_image(reference: &str) -> (&str, &str) {
    match reference.rsplit_once(':') {
        Some((name, tag)) if !tag.contains('/') => (name, tag),
        _ => (reference, ""),
    }
}

fn access_str(access: OriginAccess) -> &'static str {
    match access {
        OriginAccess::Oac => "oac",
        OriginAccess::LegacyOai => "legacy_oai",
        OriginAccess::Public => "public",
        OriginAccess::HttpsOnly => "https_only",
        OriginAccess::HttpOnly => "http_only",
    }
}

fn record_type_str(kind: DnsRecordType) -> &'static str {
    match kind {
        DnsRecordType::A => "A",
        DnsRecordType::Aaaa => "AAAA",
        DnsRecordType::Cname => "CNAME",
        DnsRecordType::Txt => "TXT",
    }
}

fn action_str(action: &ListenerAction) -> String {
    match action {
        ListenerAction::Forward(group) => format!("forward:{group}"),
        ListenerAction::RedirectToHttps => "redirect".into(),
        ListenerAction::FixedResponse(code) => format!("fixed:{code}"),
    }
}

/// Why API Gateway would refuse a route key: `$default`, or a method (or
/// `ANY`) and a path starting with `/`, whose last segment may be greedy
/// (`{proxy+}`).
fn route_key_problem(key: &str) -> Option<String> {
    if key == "$default" {
        return None;
    }
    const METHODS: [&str; 8] = [
        "ANY", "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS",
    ];
    let Some((method, path)) = key.split_once(' ') else {
        return Some(format!(
            "{key:?} is not a route: write `$default` or a method and a path, like `GET /orders`"
        ));
    };
    if !METHODS.contains(&method) {
        return Some(format!(
            "{method:?} is not a method: use one of {}",
            METHODS.join(", ")
        ));
    }
    let allowed = |c: char| c.is_ascii_alphanumeric() || "/-_.{}+~".contains(c);
    if !path.starts_with('/') || !path.chars().all(allowed) || path.len() > 256 {
        return Some(format!(
            "{path:?} is not a path: it starts with / and holds letters, digits, - _ . ~ and {{parameters}}"
        ));
    }
    None
}

/// The fields of what a node refers to and of its lists, after its own.
pub fn item_fields(diagram: &Diagram, node: &Node) -> Vec<Field> {
    let mut out = Vec::new();
    let certificates = || nodes_as_choices(diagram, |k| matches!(k, NodeKind::AcmCertificate(_)));
    match &node.kind {
        NodeKind::FargateService(service) => {
            out.push(plain(
                "cluster",
                "ECS cluster",
                service
                    .cluster
                    .as_ref()
                    .map(NodeId::to_string)
                    .unwrap_or_default(),
                none_and(
                    "No cluster",
                    nodes_as_choices(diagram, |k| matches!(k, NodeKind::EcsCluster(_))),
                ),
            ));
            for (at, container) in service.containers.iter().enumerate() {
                let group = format!("Container “{}”", container.name);
                let repositories =
                    nodes_as_choices(diagram, |k| matches!(k, NodeKind::EcrRepository(_)))
                        .map(|(id, name)| (format!("ecr:{id}"), format!("ECR repository {name}")));
                let (source, reference) = match &container.image {
                    ContainerImage::Ecr(repository) => (format!("ecr:{repository}"), None),
                    ContainerImage::Registry(reference) => ("registry".into(), Some(reference)),
                };
                out.push(item_field(
                    "image",
                    "Image",
                    source,
                    pairs(repositories.chain([(
                        "registry".to_string(),
                        "An image from a registry".to_string(),
                    )])),
                    at,
                    &group,
                ));
                if let Some(reference) = reference {
                    let (name, tag) = split_image(reference);
                    out.push(item_field(
                        "image_name",
                        "Image name",
                        name,
                        Input::Text,
                        at,
                        &group,
                    ));
                    out.push(item_field("image_tag", "Tag", tag, Input::Text, at, &group));
                }
                out.push(item_field(
                    "container_port",
                    "Port",
                    container.port.map(|p| p.to_string()).unwrap_or_default(),
                    Input::Number {
                        min: 1,
                        max: 65_535,
                    },
                    at,
                    &group,
                ));
                if let Some(path) = health_check_of(diagram, &node.id, &container.name) {
                    out.push(item_field(
                        "health_check_path",
                        "Health check path",
                        path,
                        Input::Text,
                        at,
                        &group,
                    ));
                }
            }
        }
        NodeKind::NetworkAcl(acl) => out.extend(super::acl_fields::acl_fields(diagram, node, acl)),
        NodeKind::LoadBalancer(alb) => {
            for (at, listener) in alb.listeners.iter().enumerate() {
                let group = format!("Listener {}", at + 1);
                out.push(item_field(
                    "listener_port",
                    "Port",
                    listener.port,
                    Input::Number {
                        min: 1,
                        max: 65_535,
                    },
                    at,
                    &group,
                ));
                out.push(item_field(
                    "listener_protocol",
                    "Protocol",
                    match listener.protocol {
                        ListenerProtocol::Http => "http",
                        ListenerProtocol::Https => "https",
                    },
                    pairs([
                        ("http".into(), "HTTP".into()),
                        ("https".into(), "HTTPS".into()),
                    ]),
                    at,
                    &group,
                ));
                if listener.protocol == ListenerProtocol::Https {
                    out.push(item_field(
                        "listener_certificate",
                        "Certificate",
                        listener
                            .certificate
                            .as_ref()
                            .map(NodeId::to_string)
                            .unwrap_or_default(),
                        none_and("None", certificates()),
                        at,
                        &group,
                    ));
                }
                let actions = alb
                    .target_groups
                    .iter()
                    .map(|g| {
                        (
                            format!("forward:{}", g.name),
                            format!("Forward to {}", g.name),
                        )
                    })
                    .chain([
                        ("redirect".to_string(), "Redirect to HTTPS".to_string()),
                        ("fixed:404".to_string(), "Answer 404".to_string()),
                    ]);
                out.push(item_field(
                    "listener_action",
                    "Default action",
                    action_str(&listener.action),
                    pairs(actions),
                    at,
                    &group,
                ));
                out.push(item_field(
                    "listener_remove",
                    "Remove this listener",
                    "",
                    Input::Action,
                    at,
                    &group,
                ));
            }
            out.push(action("listener_add", "Add a listener"));
            for (at, group) in alb.target_groups.iter().enumerate() {
                out.push(item_field(
                    "target_health_path",
                    "Health check path",
                    group.health_check.path.clone().unwrap_or_default(),
                    Input::Text,
                    at,
                    &format!("Target group {}", group.name),
                ));
            }
        }
        NodeKind::HttpApi(api) => {
            for (at, route) in api.routes.iter().enumerate() {
                let target = diagram
                    .node(&route.target)
                    .map_or_else(|| route.target.to_string(), |n| n.name.clone());
                out.push(item_field(
                    "route_key",
                    "Route",
                    &route.route_key,
                    Input::Text,
                    at,
                    &format!("Route to {target}"),
                ));
            }
        }
        NodeKind::CloudFront(distribution) => {
            out.push(plain(
                "viewer_certificate",
                "Certificate (us-east-1)",
                distribution
                    .certificate
                    .as_ref()
                    .map(NodeId::to_string)
                    .unwrap_or_default(),
                none_and("CloudFront's own (*.cloudfront.net)", certificates()),
            ));
            out.push(plain(
                "aliases",
                "Alternate names (comma-separated)",
                distribution.aliases.join(", "),
                Input::Text,
            ));
            let targets: Vec<(String, String)> = nodes_as_choices(diagram, |k| {
                matches!(k, NodeKind::S3Bucket(_) | NodeKind::LoadBalancer(_))
            })
            .collect();
            for (at, origin) in distribution.origins.iter().enumerate() {
                let group = format!("Origin {}", at + 1);
                out.push(item_field(
                    "origin_target",
                    "Origin",
                    &origin.target,
                    pairs(targets.clone()),
                    at,
                    &group,
                ));
                out.push(item_field(
                    "origin_path",
                    "Path pattern (empty: the default)",
                    origin.path_pattern.clone().unwrap_or_default(),
                    Input::Text,
                    at,
                    &group,
                ));
                out.push(item_field(
                    "origin_access",
                    "Access",
                    access_str(origin.access),
                    pairs([
                        ("oac".into(), "S3 through Origin Access Control".into()),
                        ("legacy_oai".into(), "S3 through a legacy identity".into()),
                        ("public".into(), "Public bucket or website".into()),
                        ("https_only".into(), "HTTPS only".into()),
                        ("http_only".into(), "HTTP only".into()),
                    ]),
                    at,
                    &group,
                ));
                out.push(item_field(
                    "origin_remove",
                    "Remove this origin",
                    "",
                    Input::Action,
                    at,
                    &group,
                ));
            }
        }
        NodeKind::Route53Zone(zone) => {
            let aliases: Vec<(String, String)> = nodes_as_choices(diagram, |k| {
                matches!(k, NodeKind::CloudFront(_) | NodeKind::LoadBalancer(_))
            })
            .map(|(id, name)| (format!("alias:{id}"), format!("Alias of {name}")))
            .chain([("values".to_string(), "Values".to_string())])
            .collect();
            for (at, record) in zone.records.iter().enumerate() {
                let group = format!("Record {}", at + 1);
                out.push(item_field(
                    "record_name",
                    "Name (empty: the apex)",
                    &record.name,
                    Input::Text,
                    at,
                    &group,
                ));
                out.push(item_field(
                    "record_type",
                    "Type",
                    record_type_str(record.record_type),
                    pairs(["A", "AAAA", "CNAME", "TXT"].map(|t| (t.to_string(), t.to_string()))),
                    at,
                    &group,
                ));
                let (target, values) = match &record.target {
                    DnsTarget::Alias(id) => (format!("alias:{id}"), None),
                    DnsTarget::Values(values) => ("values".into(), Some(values.join(", "))),
                };
                out.push(item_field(
                    "record_target",
                    "Answers with",
                    target,
                    pairs(aliases.clone()),
                    at,
                    &group,
                ));
                if let Some(values) = values {
                    out.push(item_field(
                        "record_values",
                        "Values (comma-separated)",
                        values,
                        Input::Text,
                        at,
                        &group,
                    ));
                }
                out.push(item_field(
                    "record_remove",
                    "Remove this record",
                    "",
                    Input::Action,
                    at,
                    &group,
                ));
            }
            out.push(action("record_add", "Add a record"));
        }
        NodeKind::AcmCertificate(certificate) => {
            out.push(plain(
                "validation_zone",
                "Validated by DNS in",
                certificate
                    .validation_zone
                    .as_ref()
                    .map(NodeId::to_string)
                    .unwrap_or_default(),
                none_and(
                    "Not validated by this diagram",
                    nodes_as_choices(diagram, |k| matches!(k, NodeKind::Route53Zone(_))),
                ),
            ));
        }
        NodeKind::VpcEndpoint(endpoint) => {
            out.push(plain(
                "endpoint_service",
                "Service",
                endpoint.service.service_suffix(),
                pairs(EndpointService::ALL.map(|s| {
                    let kind = if s.is_gateway() {
                        "gateway"
                    } else {
                        "interface"
                    };
                    (
                        s.service_suffix().to_string(),
                        format!("{} ({kind})", s.service_suffix()),
                    )
                })),
            ));
            let in_vpc = |id: &NodeId| match diagram.node(id).map(|n| &n.kind) {
                Some(NodeKind::Subnet(s)) => s.vpc == endpoint.vpc,
                Some(NodeKind::RouteTable(t)) => t.vpc == endpoint.vpc,
                _ => false,
            };
            if endpoint.service.is_gateway() {
                out.push(plain(
                    "route_tables",
                    "Route tables",
                    "",
                    Input::Set(
                        diagram
                            .nodes_of(KindTag::RouteTable)
                            .filter(|n| in_vpc(&n.id))
                            .map(|n| {
                                (
                                    n.id.to_string(),
                                    n.name.clone(),
                                    endpoint.route_tables.contains(&n.id),
                                )
                            })
                            .collect(),
                    ),
                ));
            } else {
                out.push(plain(
                    "subnets",
                    "Subnets (one per zone)",
                    "",
                    Input::Set(
                        diagram
                            .nodes_of(KindTag::Subnet)
                            .filter(|n| in_vpc(&n.id))
                            .map(|n| {
                                let zone = match &n.kind {
                                    NodeKind::Subnet(s) => s.az.as_str(),
                                    _ => "",
                                };
                                (
                                    n.id.to_string(),
                                    format!("{} ({zone})", n.name),
                                    endpoint.subnets.contains(&n.id),
                                )
                            })
                            .collect(),
                    ),
                ));
            }
        }
        NodeKind::VpcPeering(peering) => {
            let vpcs: Vec<(String, String)> =
                nodes_as_choices(diagram, |k| matches!(k, NodeKind::Vpc(_))).collect();
            out.push(plain(
                "requester",
                "Requester VPC",
                &peering.requester,
                pairs(vpcs.clone()),
            ));
            out.push(plain(
                "accepter",
                "Accepter VPC",
                &peering.accepter,
                pairs(vpcs),
            ));
        }
        NodeKind::Pipeline(pipeline) => {
            out.push(plain(
                "deploys",
                "Deploys",
                "",
                Input::Set(
                    diagram
                        .nodes
                        .iter()
                        .filter(|n| {
                            matches!(
                                n.kind,
                                NodeKind::FargateService(_)
                                    | NodeKind::S3Bucket(_)
                                    | NodeKind::CloudFront(_)
                            )
                        })
                        .map(|n| {
                            (
                                n.id.to_string(),
                                n.name.clone(),
                                pipeline.deploys.contains(&n.id),
                            )
                        })
                        .collect(),
                ),
            ));
        }
        _ => {}
    }
    out
}

/// The health-check path of the target group that sends to `container` of
/// `service`, if one does (`""` when never set).
fn health_check_of(diagram: &Diagram, service: &NodeId, container: &str) -> Option<String> {
    diagram.nodes.iter().find_map(|n| match &n.kind {
        NodeKind::LoadBalancer(alb) => alb
            .target_groups
            .iter()
            .find(|g| {
                g.target
                    .as_ref()
                    .is_some_and(|t| &t.service == service && t.container == container)
            })
            .map(|g| g.health_check.path.clone().unwrap_or_default()),
        _ => None,
    })
}

fn parse_port(text: &str) -> Result<u16, String> {
    text.parse::<u16>()
        .ok()
        .filter(|port| *port > 0)
        .ok_or_else(|| format!("{text:?} is not a port (1 to 65535)"))
}

fn node_of_kind(
    diagram: &Diagram,
    text: &str,
    kinds: &[KindTag],
    what: &str,
) -> Result<NodeId, String> {
    NodeId::new(text)
        .ok()
        .filter(|id| diagram.node(id).is_some_and(|n| kinds.contains(&n.tag())))
        .ok_or_else(|| format!("there is no {what} {text:?}"))
}

fn health_path(text: &str) -> Result<Option<String>, String> {
    if text.is_empty() {
        return Ok(None);
    }
    if !text.starts_with('/') || text.len() > 1024 || text.chars().any(char::is_whitespace) {
        return Err("a health check path starts with / and has no spaces, like /health".into());
    }
    Ok(Some(text.to_string()))
}

fn comma_list(text: &str) -> Vec<String> {
    text.split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// The command for an item field (or a relationship field), `None` when
/// `key` is not one of these.
pub fn set_item_field(
    diagram: &Diagram,
    node: &Node,
    key: &str,
    item: Option<usize>,
    text: &str,
) -> Option<Result<Command, String>> {
    if let Some(outcome) = super::acl_fields::set_acl_field(diagram, node, key, item, text) {
        return Some(outcome);
    }
    let mut changed = node.clone();
    let at = item.unwrap_or(0);
    let missing = || Err::<Command, String>("that item no longer exists".into());
    let outcome: Result<(), String> = match (key, &mut changed.kind) {
        ("cluster", NodeKind::FargateService(service)) => {
            if text.is_empty() {
                service.cluster = None;
                Ok(())
            } else {
                node_of_kind(diagram, text, &[KindTag::EcsCluster], "ECS cluster")
                    .map(|id| service.cluster = Some(id))
            }
        }
        ("route_key", NodeKind::HttpApi(api)) => {
            let key = text.trim();
            match route_key_problem(key) {
                Some(problem) => Err(problem),
                None if api
                    .routes
                    .iter()
                    .enumerate()
                    .any(|(other, r)| other != at && r.route_key == key) =>
                {
                    Err(format!("another route already has the key {key:?}"))
                }
                None => match api.routes.get_mut(at) {
                    Some(route) => {
                        route.route_key = key.to_string();
                        Ok(())
                    }
                    None => return Some(missing()),
                },
            }
        }
        ("health_check_path", NodeKind::FargateService(service)) => {
            let Some(container) = service.containers.get(at) else {
                return Some(missing());
            };
            let path = match health_path(text) {
                Ok(path) => path,
                Err(message) => return Some(Err(message)),
            };
            // The path belongs to the load balancer's target group.
            let Some(owner) = diagram.nodes.iter().find(|n| match &n.kind {
                NodeKind::LoadBalancer(alb) => alb.target_groups.iter().any(|g| {
                    g.target
                        .as_ref()
                        .is_some_and(|t| t.service == node.id && t.container == container.name)
                }),
                _ => false,
            }) else {
                return Some(Err(
                    "no load balancer sends to this container: draw one to the service first"
                        .into(),
                ));
            };
            let mut alb_node = owner.clone();
            if let NodeKind::LoadBalancer(alb) = &mut alb_node.kind {
                for group in &mut alb.target_groups {
                    if group
                        .target
                        .as_ref()
                        .is_some_and(|t| t.service == node.id && t.container == container.name)
                    {
                        group.health_check.path = path.clone();
                    }
                }
            }
            return Some(replace_kind(diagram, owner, alb_node.kind));
        }
        (
            key @ ("image" | "image_name" | "image_tag" | "container_port"),
            NodeKind::FargateService(service),
        ) => {
            let Some(container) = service.containers.get_mut(at) else {
                return Some(missing());
            };
            match key {
                "image" => {
                    if text == "registry" {
                        if !matches!(container.image, ContainerImage::Registry(_)) {
                            container.image = ContainerImage::Registry(
                                "public.ecr.aws/nginx/nginx:stable".into(),
                            );
                        }
                        Ok(())
                    } else {
                        let repository = text.strip_prefix("ecr:").unwrap_or(text);
                        node_of_kind(
                            diagram,
                            repository,
                            &[KindTag::EcrRepository],
                            "ECR repository",
                        )
                        .map(|id| container.image = ContainerImage::Ecr(id))
                    }
                }
                "container_port" => {
                    if text.is_empty() {
                        container.port = None;
                        Ok(())
                    } else {
                        parse_port(text).map(|port| container.port = Some(port))
                    }
                }
                _ => {
                    let ContainerImage::Registry(reference) = &container.image else {
                        return Some(Err(
                            "an ECR image is tagged by the pipeline; choose a registry image to type its name".into(),
                        ));
                    };
                    let (name, tag) = split_image(reference);
                    let (name, tag) = if key == "image_name" {
                        (text, tag)
                    } else {
                        (name, text)
                    };
                    if name.is_empty() || name.chars().any(char::is_whitespace) {
                        Err("an image name has no spaces, like public.ecr.aws/nginx/nginx".into())
                    } else if tag.contains(['/', ':', ' ']) {
                        Err("a tag has no /, : or spaces, like 1.27".into())
                    } else {
                        let reference = if tag.is_empty() {
                            name.to_string()
                        } else {
                            format!("{name}:{tag}")
                        };
                        container.image = ContainerImage::Registry(reference);
                        Ok(())
                    }
                }
            }
        }
        (
            key @ ("listener_port"
            | "listener_protocol"
            | "listener_certificate"
            | "listener_action"
            | "listener_remove"),
            NodeKind::LoadBalancer(alb),
        ) => {
            if at >= alb.listeners.len() {
                return Some(missing());
            }
            let others_use = |port: u16, alb: &LoadBalancer| {
                alb.listeners
                    .iter()
                    .enumerate()
                    .any(|(i, l)| i != at && l.port == port)
            };
            match key {
                "listener_port" => match parse_port(text) {
                    Ok(port) if others_use(port, alb) => {
                        Err(format!("another listener already uses port {port}"))
                    }
                    Ok(port) => {
                        alb.listeners[at].port = port;
                        Ok(())
                    }
                    Err(message) => Err(message),
                },
                "listener_protocol" => match text {
                    "http" => {
                        alb.listeners[at].protocol = ListenerProtocol::Http;
                        alb.listeners[at].certificate = None;
                        Ok(())
                    }
                    "https" => {
                        alb.listeners[at].protocol = ListenerProtocol::Https;
                        if alb.listeners[at].certificate.is_none() {
                            // The first certificate of the load balancer's region.
                            alb.listeners[at].certificate = diagram
                                .nodes
                                .iter()
                                .find(|n| matches!(&n.kind, NodeKind::AcmCertificate(c) if c.region == diagram.region))
                                .map(|n| n.id.clone());
                        }
                        Ok(())
                    }
                    _ => Err("choose HTTP or HTTPS".into()),
                },
                "listener_certificate" => {
                    if text.is_empty() {
                        alb.listeners[at].certificate = None;
                        Ok(())
                    } else {
                        node_of_kind(diagram, text, &[KindTag::AcmCertificate], "certificate")
                            .map(|id| alb.listeners[at].certificate = Some(id))
                    }
                }
                "listener_action" => {
                    let action = if text == "redirect" {
                        Ok(ListenerAction::RedirectToHttps)
                    } else if let Some(group) = text.strip_prefix("forward:") {
                        if alb.target_groups.iter().any(|g| g.name == group) {
                            Ok(ListenerAction::Forward(group.to_string()))
                        } else {
                            Err(format!("there is no target group {group:?}"))
                        }
                    } else if let Some(code) = text.strip_prefix("fixed:") {
                        code.parse::<u16>()
                            .ok()
                            .filter(|c| (200..600).contains(c))
                            .map(ListenerAction::FixedResponse)
                            .ok_or_else(|| format!("{code:?} is not an HTTP status"))
                    } else {
                        Err(format!("{text:?} is not an action"))
                    };
                    match action {
                        Ok(ListenerAction::RedirectToHttps)
                            if alb.listeners[at].protocol == ListenerProtocol::Https =>
                        {
                            Err("an HTTPS listener cannot redirect to itself".into())
                        }
                        Ok(action) => {
                            alb.listeners[at].action = action;
                            Ok(())
                        }
                        Err(message) => Err(message),
                    }
                }
                _ => {
                    alb.listeners.remove(at);
                    Ok(())
                }
            }
        }
        ("listener_add", NodeKind::LoadBalancer(alb)) => {
            let port = alb.free_listener_port();
            let action = alb
                .target_groups
                .first()
                .map(|g| ListenerAction::Forward(g.name.clone()))
                .unwrap_or(ListenerAction::FixedResponse(404));
            alb.listeners.push(Listener {
                port,
                protocol: ListenerProtocol::Http,
                certificate: None,
                action,
            });
            Ok(())
        }
        ("target_health_path", NodeKind::LoadBalancer(alb)) => {
            match alb.target_groups.get_mut(at) {
                Some(group) => health_path(text).map(|path| group.health_check.path = path),
                None => return Some(missing()),
            }
        }
        ("viewer_certificate", NodeKind::CloudFront(distribution)) => {
            if text.is_empty() {
                distribution.certificate = None;
                Ok(())
            } else {
                node_of_kind(diagram, text, &[KindTag::AcmCertificate], "certificate")
                    .map(|id| distribution.certificate = Some(id))
            }
        }
        ("aliases", NodeKind::CloudFront(distribution)) => {
            let aliases = comma_list(text);
            match aliases
                .iter()
                .find(|a| a.chars().any(|c| c.is_whitespace() || c == '/'))
            {
                Some(bad) => Err(format!("{bad:?} is not a domain name")),
                None => {
                    distribution.aliases = aliases;
                    Ok(())
                }
            }
        }
        (
            key @ ("origin_target" | "origin_path" | "origin_access" | "origin_remove"),
            NodeKind::CloudFront(distribution),
        ) => {
            if at >= distribution.origins.len() {
                return Some(missing());
            }
            match key {
                "origin_target" => node_of_kind(
                    diagram,
                    text,
                    &[KindTag::S3Bucket, KindTag::LoadBalancer],
                    "bucket or load balancer",
                )
                .map(|id| distribution.origins[at].target = id),
                "origin_path" => {
                    if text.is_empty() {
                        if distribution
                            .origins
                            .iter()
                            .enumerate()
                            .any(|(i, o)| i != at && o.path_pattern.is_none())
                        {
                            Err("another origin serves the default behaviour; give this one a path pattern like /api/*".into())
                        } else {
                            distribution.origins[at].path_pattern = None;
                            Ok(())
                        }
                    } else if !text.starts_with('/') || text.contains(' ') {
                        Err("a path pattern starts with / and has no spaces, like /api/*".into())
                    } else if distribution.origins[at].path_pattern.is_none() {
                        Err("this origin serves the default behaviour; give another origin the default first".into())
                    } else {
                        distribution.origins[at].path_pattern = Some(text.to_string());
                        Ok(())
                    }
                }
                "origin_access" => {
                    let access = match text {
                        "oac" => Some(OriginAccess::Oac),
                        "legacy_oai" => Some(OriginAccess::LegacyOai),
                        "public" => Some(OriginAccess::Public),
                        "https_only" => Some(OriginAccess::HttpsOnly),
                        "http_only" => Some(OriginAccess::HttpOnly),
                        _ => None,
                    };
                    match access {
                        Some(access) => {
                            distribution.origins[at].access = access;
                            Ok(())
                        }
                        None => Err(format!("{text:?} is not a kind of origin access")),
                    }
                }
                _ => {
                    if distribution.origins.len() == 1 {
                        Err("a distribution needs an origin: add another one before removing its last".into())
                    } else {
                        let removed = distribution.origins.remove(at);
                        if removed.path_pattern.is_none() {
                            distribution.origins[0].path_pattern = None;
                        }
                        Ok(())
                    }
                }
            }
        }
        (
            key @ ("record_name" | "record_type" | "record_target" | "record_values"
            | "record_remove"),
            NodeKind::Route53Zone(zone),
        ) => {
            let Some(record) = zone.records.get_mut(at) else {
                return Some(missing());
            };
            match key {
                "record_name" => {
                    let name = text.trim_end_matches('.');
                    if name.chars().any(|c| c.is_whitespace() || c == '/') || name.len() > 200 {
                        Err(format!("{text:?} is not a record name"))
                    } else {
                        record.name = name.to_string();
                        Ok(())
                    }
                }
                "record_type" => {
                    let kind = match text {
                        "A" => Some(DnsRecordType::A),
                        "AAAA" => Some(DnsRecordType::Aaaa),
                        "CNAME" => Some(DnsRecordType::Cname),
                        "TXT" => Some(DnsRecordType::Txt),
                        _ => None,
                    };
                    match kind {
                        Some(kind) => {
                            record.record_type = kind;
                            Ok(())
                        }
                        None => Err("choose A, AAAA, CNAME or TXT".into()),
                    }
                }
                "record_target" => {
                    if text == "values" {
                        if matches!(record.target, DnsTarget::Alias(_)) {
                            record.target = DnsTarget::Values(Vec::new());
                        }
                        Ok(())
                    } else {
                        let target = text.strip_prefix("alias:").unwrap_or(text);
                        node_of_kind(
                            diagram,
                            target,
                            &[KindTag::CloudFront, KindTag::LoadBalancer],
                            "distribution or load balancer",
                        )
                        .map(|id| record.target = DnsTarget::Alias(id))
                    }
                }
                "record_values" => {
                    let values = comma_list(text);
                    if values.is_empty() {
                        Err("a record answers with at least one value".into())
                    } else {
                        record.target = DnsTarget::Values(values);
                        Ok(())
                    }
                }
                _ => {
                    zone.records.remove(at);
                    Ok(())
                }
            }
        }
        ("record_add", NodeKind::Route53Zone(zone)) => {
            let target = diagram
                .nodes
                .iter()
                .find(|n| matches!(n.kind, NodeKind::CloudFront(_) | NodeKind::LoadBalancer(_)))
                .map(|n| DnsTarget::Alias(n.id.clone()));
            let name = (1..)
                .map(|n| {
                    if n == 1 {
                        "www".to_string()
                    } else {
                        format!("www{n}")
                    }
                })
                .find(|name| zone.records.iter().all(|r| &r.name != name))
                .unwrap_or_default();
            zone.records.push(match target {
                Some(target) => DnsRecord {
                    name,
                    record_type: DnsRecordType::A,
                    target,
                },
                None => DnsRecord {
                    name,
                    record_type: DnsRecordType::Txt,
                    target: DnsTarget::Values(vec!["\"verification\"".into()]),
                },
            });
            Ok(())
        }
        ("validation_zone", NodeKind::AcmCertificate(certificate)) => {
            if text.is_empty() {
                certificate.validation_zone = None;
                Ok(())
            } else {
                node_of_kind(diagram, text, &[KindTag::Route53Zone], "hosted zone")
                    .map(|id| certificate.validation_zone = Some(id))
            }
        }
        ("endpoint_service", NodeKind::VpcEndpoint(endpoint)) => {
            let service = EndpointService::ALL
                .into_iter()
                .find(|s| s.service_suffix() == text);
            match service {
                None => Err(format!("{text:?} is not a service with an endpoint here")),
                Some(service) => {
                    switch_endpoint(diagram, endpoint, service);
                    Ok(())
                }
            }
        }
        ("route_tables", NodeKind::VpcEndpoint(endpoint)) => {
            node_of_kind(diagram, text, &[KindTag::RouteTable], "route table").map(|table| {
                if let Some(at) = endpoint.route_tables.iter().position(|t| t == &table) {
                    endpoint.route_tables.remove(at);
                } else {
                    endpoint.route_tables.push(table);
                }
            })
        }
        ("subnets", NodeKind::VpcEndpoint(endpoint)) => {
            match node_of_kind(diagram, text, &[KindTag::Subnet], "subnet") {
                Err(message) => Err(message),
                Ok(subnet) => {
                    if let Some(at) = endpoint.subnets.iter().position(|s| s == &subnet) {
                        if endpoint.subnets.len() == 1 {
                            Err("keep at least one subnet".into())
                        } else {
                            endpoint.subnets.remove(at);
                            Ok(())
                        }
                    } else {
                        let zone = zone_of(diagram, &subnet);
                        endpoint.subnets.retain(|s| zone_of(diagram, s) != zone);
                        endpoint.subnets.push(subnet);
                        Ok(())
                    }
                }
            }
        }
        (key @ ("requester" | "accepter"), NodeKind::VpcPeering(peering)) => {
            match node_of_kind(diagram, text, &[KindTag::Vpc], "VPC") {
                Err(message) => Err(message),
                Ok(vpc) => {
                    let other = if key == "requester" {
                        &peering.accepter
                    } else {
                        &peering.requester
                    };
                    if &vpc == other {
                        Err("a peering joins two different VPCs".into())
                    } else {
                        if key == "requester" {
                            peering.requester = vpc;
                        } else {
                            peering.accepter = vpc;
                        }
                        Ok(())
                    }
                }
            }
        }
        ("deploys", NodeKind::Pipeline(pipeline)) => node_of_kind(
            diagram,
            text,
            &[
                KindTag::FargateService,
                KindTag::S3Bucket,
                KindTag::CloudFront,
            ],
            "service, bucket or distribution",
        )
        .map(|target| {
            if let Some(at) = pipeline.deploys.iter().position(|d| d == &target) {
                pipeline.deploys.remove(at);
            } else {
                pipeline.deploys.push(target);
            }
        }),
        _ => return None,
    };
    Some(outcome.and_then(|()| replace_kind(diagram, node, changed.kind)))
}

fn zone_of<'a>(diagram: &'a Diagram, subnet: &NodeId) -> Option<&'a str> {
    match diagram.node(subnet).map(|n| &n.kind) {
        Some(NodeKind::Subnet(s)) => Some(s.az.as_str()),
        _ => None,
    }
}

/// A new service for an endpoint: a gateway endpoint joins the route tables
/// of the subnets the interfaces were in, an interface endpoint places one
/// interface per zone in the subnets of the route tables it was on.
fn switch_endpoint(diagram: &Diagram, endpoint: &mut VpcEndpoint, service: EndpointService) {
    let was_gateway = endpoint.service.is_gateway();
    endpoint.service = service;
    if was_gateway == service.is_gateway() {
        return;
    }
    let subnets_of_vpc = diagram.nodes.iter().filter_map(|n| match &n.kind {
        NodeKind::Subnet(s) if s.vpc == endpoint.vpc => Some((n, s)),
        _ => None,
    });
    if service.is_gateway() {
        let mut tables: Vec<NodeId> = Vec::new();
        for subnet in &endpoint.subnets {
            if let Some(NodeKind::Subnet(Subnet {
                route_table: Some(table),
                ..
            })) = diagram.node(subnet).map(|n| &n.kind)
            {
                if !tables.contains(table) {
                    tables.push(table.clone());
                }
            }
        }
        endpoint.route_tables = tables;
        endpoint.subnets.clear();
        endpoint.security_groups.clear();
    } else {
        let mut zones: Vec<&str> = Vec::new();
        let mut subnets = Vec::new();
        for (node, subnet) in subnets_of_vpc {
            let on_table = subnet
                .route_table
                .as_ref()
                .is_some_and(|t| endpoint.route_tables.contains(t));
            if on_table && !zones.contains(&subnet.az.as_str()) {
                zones.push(&subnet.az);
                subnets.push(node.id.clone());
            }
        }
        endpoint.subnets = subnets;
        endpoint.route_tables.clear();
    }
}
