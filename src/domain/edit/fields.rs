//! The inspector's fields, described as data: for each kind, which values a
//! person edits, with their type and choices, and the edit that checks a typed
//! value before it becomes a command. The UI renders these generically, so a
//! new property is one entry here, tested natively.

use super::properties::{rename, set_cidr};
use super::routing::{routing_of, set_routing, Routing};
use super::Command;
use crate::domain::codec::{consistency_problems, Limits};
use crate::domain::model::*;
use crate::domain::validate::regions;
use crate::domain::validate::{fargate_cpu_choices, fargate_memory_choices};

/// How a field is typed in.
#[derive(Clone, Debug, PartialEq)]
pub enum Input {
    Text,
    Number {
        min: u32,
        max: u32,
    },
    /// Value and label of each choice.
    Choice(Vec<(String, String)>),
    Toggle,
    /// Several of these may be on (value, label, on).
    Set(Vec<(String, String, bool)>),
    /// A button that does what its label says (add or remove an item).
    Action,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Field {
    /// Stable key: used by `set_field` and as the field's test id.
    pub key: &'static str,
    pub label: &'static str,
    pub value: String,
    pub input: Input,
    /// Which item of a list (a listener, an origin, a record) it edits.
    pub item: Option<usize>,
    /// The fieldset it is shown in: the item it belongs to.
    pub group: Option<String>,
}

impl Field {
    /// What `set_field` takes: the key, and the item's index after a dot.
    pub fn address(&self) -> String {
        match self.item {
            Some(at) => format!("{}.{at}", self.key),
            None => self.key.to_string(),
        }
    }

    /// The field without what it holds: its control and its choices (a
    /// form drawn from shapes stays while only values change).
    pub fn shape(&self) -> Field {
        let input = match &self.input {
            Input::Set(options) => Input::Set(
                options
                    .iter()
                    .map(|(value, label, _)| (value.clone(), label.clone(), false))
                    .collect(),
            ),
            input => input.clone(),
        };
        Field {
            value: String::new(),
            input,
            ..self.clone()
        }
    }

    /// For a set, whether `option` is on.
    pub fn is_on(&self, option: &str) -> bool {
        match &self.input {
            Input::Set(options) => options.iter().any(|(value, _, on)| value == option && *on),
            _ => false,
        }
    }
}

pub(super) fn field(
    key: &'static str,
    label: &'static str,
    value: impl ToString,
    input: Input,
) -> Field {
    Field {
        key,
        label,
        value: value.to_string(),
        input,
        item: None,
        group: None,
    }
}

fn number(min: u32, max: u32) -> Input {
    Input::Number { min, max }
}

fn choices<T: ToString>(items: impl IntoIterator<Item = T>) -> Input {
    Input::Choice(
        items
            .into_iter()
            .map(|item| (item.to_string(), item.to_string()))
            .collect(),
    )
}

fn on_off(value: bool) -> String {
    if value { "true" } else { "false" }.into()
}

/// The fields of a node, in the order the inspector shows them.
pub fn fields_of(diagram: &Diagram, node: &Node) -> Vec<Field> {
    let mut out = vec![field("name", "Name", &node.name, Input::Text)];
    let subnet_set = |chosen: &[NodeId], vpc: Option<&NodeId>| {
        Input::Set(
            diagram
                .nodes
                .iter()
                .filter_map(|candidate| match &candidate.kind {
                    NodeKind::Subnet(subnet) if vpc.is_none_or(|v| v == &subnet.vpc) => Some((
                        candidate.id.to_string(),
                        format!("{} ({}, {})", candidate.name, subnet.cidr, subnet.az),
                        chosen.contains(&candidate.id),
                    )),
                    _ => None,
                })
                .collect(),
        )
    };
    let vpc_of = |subnets: &[NodeId]| {
        subnets
            .first()
            .and_then(|s| match diagram.node(s).map(|n| &n.kind) {
                Some(NodeKind::Subnet(subnet)) => Some(subnet.vpc.clone()),
                _ => None,
            })
    };
    match &node.kind {
        NodeKind::Vpc(vpc) => {
            out.push(field("cidr", "CIDR block", vpc.cidr, Input::Text));
            out.push(field(
                "dns_hostnames",
                "DNS hostnames",
                on_off(vpc.dns_hostnames),
                Input::Toggle,
            ));
        }
        NodeKind::Subnet(subnet) => {
            out.push(field("cidr", "CIDR block", subnet.cidr, Input::Text));
            let mut zones = regions::zones(&diagram.region);
            if !zones.contains(&subnet.az) {
                zones.insert(0, subnet.az.clone());
            }
            out.push(field("az", "Availability zone", &subnet.az, choices(zones)));
            out.push(field(
                "routing",
                "Routing",
                routing_of(diagram, &node.id).as_str(),
                named_choices(&Routing::ALL, Routing::as_str, Routing::label),
            ));
        }
        NodeKind::NatGateway(nat) => {
            out.push(field(
                "connectivity",
                "Connectivity",
                match nat.connectivity {
                    NatConnectivity::Public => "public",
                    NatConnectivity::Private => "private",
                },
                choices(["public", "private"]),
            ));
        }
        NodeKind::LoadBalancer(alb) => {
            out.push(field(
                "scheme",
                "Scheme",
                match alb.scheme {
                    LoadBalancerScheme::InternetFacing => "internet_facing",
                    LoadBalancerScheme::Internal => "internal",
                },
                Input::Choice(vec![
                    ("internet_facing".into(), "Internet-facing".into()),
                    ("internal".into(), "Internal".into()),
                ]),
            ));
            out.push(field(
                "subnets",
                "Subnets",
                "",
                subnet_set(&alb.subnets, vpc_of(&alb.subnets).as_ref()),
            ));
        }
        NodeKind::FargateService(service) => {
            out.push(field(
                "cpu",
                "Task CPU (units)",
                service.cpu,
                choices(fargate_cpu_choices()),
            ));
            let memory = fargate_memory_choices(service.cpu);
            out.push(field(
                "memory",
                "Task memory (MiB)",
                service.memory,
                if memory.is_empty() {
                    number(512, 122_880)
                } else {
                    choices(memory)
                },
            ));
            out.push(field(
                "desired_count",
                "Tasks",
                service.desired_count,
                number(0, 1_000),
            ));
            out.push(field(
                "subnets",
                "Subnets",
                "",
                subnet_set(&service.subnets, vpc_of(&service.subnets).as_ref()),
            ));
        }
        NodeKind::AuroraCluster(aurora) => {
            out.push(field(
                "engine",
                "Engine",
                match aurora.engine {
                    AuroraEngine::AuroraMysql => "aurora_mysql",
                    AuroraEngine::AuroraPostgresql => "aurora_postgresql",
                },
                Input::Choice(vec![
                    ("aurora_mysql".into(), "Aurora MySQL".into()),
                    ("aurora_postgresql".into(), "Aurora PostgreSQL".into()),
                ]),
            ));
            out.push(field("port", "Port", aurora.port, number(1150, 65_535)));
            out.push(field(
                "instance_class",
                "Instance class",
                &aurora.instance_class,
                Input::Text,
            ));
            out.push(field(
                "instance_count",
                "Instances",
                aurora.instance_count,
                number(1, 16),
            ));
            out.push(field(
                "subnets",
                "Subnets",
                "",
                subnet_set(&aurora.subnets, vpc_of(&aurora.subnets).as_ref()),
            ));
        }
        NodeKind::RdsInstance(database) => {
            out.push(field(
                "engine",
                "Engine",
                database.engine.as_str(),
                named_choices(&RdsEngine::ALL, RdsEngine::as_str, RdsEngine::label),
            ));
            out.push(field(
                "engine_version",
                "Engine version",
                &database.engine_version,
                Input::Text,
            ));
            out.push(field(
                "instance_class",
                "Instance class",
                &database.instance_class,
                Input::Text,
            ));
            out.push(field(
                "allocated_storage",
                "Storage (GiB)",
                database.allocated_storage,
                number(20, 65_536),
            ));
            out.push(field(
                "multi_az",
                "Multi-AZ",
                database.multi_az,
                Input::Toggle,
            ));
            out.push(field("port", "Port", database.port, number(1150, 65_535)));
            out.push(field(
                "storage_encrypted",
                "Encrypted storage",
                database.storage_encrypted,
                Input::Toggle,
            ));
            out.push(field(
                "subnets",
                "Subnets",
                "",
                subnet_set(&database.subnets, vpc_of(&database.subnets).as_ref()),
            ));
        }
        NodeKind::ElasticacheCache(cache) => {
            out.push(field(
                "engine",
                "Engine",
                cache.engine.as_str(),
                named_choices(&CacheEngine::ALL, CacheEngine::as_str, CacheEngine::label),
            ));
            out.push(field(
                "engine_version",
                "Engine version",
                &cache.engine_version,
                Input::Text,
            ));
            out.push(field(
                "node_type",
                "Node type",
                &cache.node_type,
                Input::Text,
            ));
            out.push(field("replicas", "Replicas", cache.replicas, number(0, 5)));
            out.push(field("multi_az", "Multi-AZ", cache.multi_az, Input::Toggle));
            out.push(field("port", "Port", cache.port, number(1024, 65_535)));
            out.push(field(
                "transit_encryption",
                "Encryption in transit (TLS)",
                cache.transit_encryption,
                Input::Toggle,
            ));
            out.push(field(
                "subnets",
                "Subnets",
                "",
                subnet_set(&cache.subnets, vpc_of(&cache.subnets).as_ref()),
            ));
        }
        NodeKind::DynamodbTable(table) => {
            let types = || named_choices(&KeyType::ALL, KeyType::letter, KeyType::label);
            out.push(field(
                "table_name",
                "Table name",
                &table.table_name,
                Input::Text,
            ));
            out.push(field(
                "partition_key",
                "Partition key",
                &table.partition_key.name,
                Input::Text,
            ));
            out.push(field(
                "partition_key_type",
                "Partition key type",
                table.partition_key.attribute_type.letter(),
                types(),
            ));
            out.push(field(
                "sort_key",
                "Sort key (empty: none)",
                table.sort_key.as_ref().map_or("", |key| key.name.as_str()),
                Input::Text,
            ));
            if let Some(sort) = &table.sort_key {
                out.push(field(
                    "sort_key_type",
                    "Sort key type",
                    sort.attribute_type.letter(),
                    types(),
                ));
            }
            out.push(field(
                "point_in_time_recovery",
                "Point-in-time recovery",
                table.point_in_time_recovery,
                Input::Toggle,
            ));
        }
        NodeKind::SqsQueue(queue) => {
            out.push(field(
                "queue_name",
                "Queue name",
                &queue.queue_name,
                Input::Text,
            ));
            out.push(field("fifo", "FIFO", queue.fifo, Input::Toggle));
            out.push(field(
                "visibility_timeout_seconds",
                "Visibility timeout (s)",
                queue.visibility_timeout_seconds,
                number(0, 43_200),
            ));
            out.push(field(
                "message_retention_seconds",
                "Message retention (s)",
                queue.message_retention_seconds,
                number(60, 1_209_600),
            ));
        }
        NodeKind::Secret(secret) => {
            out.push(field(
                "secret_name",
                "Secret name",
                &secret.secret_name,
                Input::Text,
            ));
            out.push(field(
                "password_length",
                "Generated length",
                secret.password_length,
                number(8, 4096),
            ));
        }
        NodeKind::WebAcl(acl) => {
            out.push(field(
                "scope",
                "Scope",
                acl.scope.as_str(),
                named_choices(&WafScope::ALL, WafScope::as_str, WafScope::label),
            ));
            out.push(field(
                "common_rules",
                "Common exploits (OWASP)",
                acl.common_rules,
                Input::Toggle,
            ));
            out.push(field(
                "known_bad_inputs",
                "Known bad inputs (Log4j)",
                acl.known_bad_inputs,
                Input::Toggle,
            ));
            out.push(field(
                "ip_reputation",
                "Amazon IP reputation list",
                acl.ip_reputation,
                Input::Toggle,
            ));
            out.push(field(
                "sql_injection",
                "SQL injection",
                acl.sql_injection,
                Input::Toggle,
            ));
            out.push(field(
                "rate_limit",
                "Requests per address in 5 min (empty: no limit)",
                acl.rate_limit
                    .map(|limit| limit.to_string())
                    .unwrap_or_default(),
                Input::Text,
            ));
        }
        NodeKind::SnsTopic(topic) => {
            out.push(field(
                "topic_name",
                "Topic name",
                &topic.topic_name,
                Input::Text,
            ));
            out.push(field("fifo", "FIFO", topic.fifo, Input::Toggle));
        }
        NodeKind::LambdaFunction(function) => {
            out.push(field(
                "function_name",
                "Function name",
                &function.function_name,
                Input::Text,
            ));
            out.push(field(
                "runtime",
                "Runtime",
                function.runtime.as_str(),
                named_choices(
                    &LambdaRuntime::ALL,
                    LambdaRuntime::as_str,
                    LambdaRuntime::label,
                ),
            ));
            out.push(field(
                "memory_mb",
                "Memory (MB)",
                function.memory_mb,
                number(128, 10_240),
            ));
            out.push(field(
                "timeout_seconds",
                "Timeout (s)",
                function.timeout_seconds,
                number(1, 900),
            ));
            // A function outside the VPCs has no subnets to choose.
            if !function.subnets.is_empty() {
                out.push(field(
                    "subnets",
                    "Subnets",
                    "",
                    subnet_set(&function.subnets, vpc_of(&function.subnets).as_ref()),
                ));
            }
        }
        NodeKind::HttpApi(api) => {
            out.push(field("api_name", "API name", &api.api_name, Input::Text));
        }
        NodeKind::AutoScalingGroup(group) => {
            out.push(field(
                "instance_type",
                "Instance type",
                &group.instance_type,
                Input::Text,
            ));
            out.push(field(
                "min_size",
                "Minimum",
                group.min_size,
                number(0, 1000),
            ));
            out.push(field(
                "desired_capacity",
                "Desired",
                group.desired_capacity,
                number(0, 1000),
            ));
            out.push(field(
                "max_size",
                "Maximum",
                group.max_size,
                number(1, 1000),
            ));
            out.push(field("port", "Port", group.port, number(1, 65_535)));
            out.push(field(
                "subnets",
                "Subnets",
                "",
                subnet_set(&group.subnets, vpc_of(&group.subnets).as_ref()),
            ));
        }
        NodeKind::Ec2Instance(instance) => {
            out.push(field(
                "instance_type",
                "Instance type",
                &instance.instance_type,
                Input::Text,
            ));
            out.push(field("port", "Port", instance.port, number(1, 65_535)));
            out.push(field(
                "public_ip",
                "Public IP",
                instance.public_ip,
                Input::Toggle,
            ));
        }
        NodeKind::Bastion(bastion) => {
            out.push(field(
                "instance_type",
                "Instance type",
                &bastion.instance_type,
                Input::Text,
            ));
        }
        NodeKind::S3Bucket(bucket) => {
            out.push(field(
                "bucket_name",
                "Bucket name",
                &bucket.bucket_name,
                Input::Text,
            ));
            out.push(field(
                "versioning",
                "Versioning",
                on_off(bucket.versioning),
                Input::Toggle,
            ));
        }
        NodeKind::Route53Zone(zone) => {
            out.push(field(
                "domain_name",
                "Domain",
                &zone.domain_name,
                Input::Text,
            ));
        }
        NodeKind::AcmCertificate(certificate) => {
            out.push(field(
                "domain_name",
                "Domain",
                &certificate.domain_name,
                Input::Text,
            ));
            let mut all: Vec<&str> = regions::all().collect();
            crate::domain::sorting::sort(&mut all);
            out.push(field("region", "Region", &certificate.region, choices(all)));
        }
        NodeKind::EcrRepository(repository) => {
            out.push(field(
                "repository_name",
                "Repository",
                &repository.repository_name,
                Input::Text,
            ));
        }
        NodeKind::Pipeline(pipeline) => {
            out.push(field("branch", "Branch", &pipeline.branch, Input::Text));
        }
        NodeKind::ExternalClient(client) => {
            out.push(field("cidr", "CIDR block", client.cidr, Input::Text));
        }
        NodeKind::OtherResource(other) => {
            out.push(field(
                "resource_type",
                "Type",
                &other.resource_type,
                Input::Text,
            ));
            out.push(field("note", "Note", &other.note, Input::Text));
        }
        _ => {}
    }
    out.extend(super::item_fields::item_fields(diagram, node));
    out
}

/// A node's properties as the JSON the inspector's "Edit as JSON" shows: the
/// inside of the kind, which files write as `{"<kind>": {...}}`. The app asks
/// the export worker for it, which keeps the JSON writer out of its module.
pub fn properties_json(kind: &NodeKind) -> String {
    serde_json::to_value(kind)
        .ok()
        .and_then(|value| {
            let inner = value.as_object()?.values().next()?.clone();
            serde_json::to_string_pretty(&inner).ok()
        })
        .unwrap_or_default()
}

/// The command that gives field `key` of `node` the typed `text`, or why the
/// value cannot be held. Nothing changes on a refusal. `key` is a field's
/// `address`: an item's field names its index after a dot.
pub fn set_field(diagram: &Diagram, node: &Node, key: &str, text: &str) -> Result<Command, String> {
    let text_value = text.trim();
    let (key, item) = match key.split_once('.') {
        Some((key, at)) => (key, Some(at.parse::<usize>().map_err(|_| "no such item")?)),
        None => (key, None),
    };
    if let Some(outcome) = super::item_fields::set_item_field(diagram, node, key, item, text_value)
    {
        return outcome;
    }
    let mut changed = node.clone();
    let parse_number = |min: u32, max: u32| -> Result<u32, String> {
        text_value
            .parse::<u32>()
            .ok()
            .filter(|n| (min..=max).contains(n))
            .ok_or_else(|| format!("{text_value:?} is not a whole number from {min} to {max}"))
    };
    let non_empty = || -> Result<String, String> {
        if text_value.is_empty() {
            Err("this must not be empty".into())
        } else if text_value.chars().count() > super::properties::MAX_NAME {
            Err("this is too long".into())
        } else {
            Ok(text_value.to_string())
        }
    };
    let flag = || -> Result<bool, String> {
        match text_value {
            "true" => Ok(true),
            "false" => Ok(false),
            _ => Err("this is on or off".into()),
        }
    };
    match (key, &mut changed.kind) {
        ("name", _) => return rename(node, text),
        ("cidr", _) => return set_cidr(node, text),
        ("routing", NodeKind::Subnet(_)) => {
            let routing = Routing::parse(text_value).ok_or("choose public, private or isolated")?;
            return set_routing(diagram, &node.id, routing);
        }
        ("az", NodeKind::Subnet(subnet)) => {
            if !regions::zones(&diagram.region)
                .iter()
                .any(|z| z == text_value)
            {
                return Err(format!(
                    "{text_value:?} is not a zone of {}",
                    diagram.region
                ));
            }
            subnet.az = text_value.into();
        }
        ("dns_hostnames", NodeKind::Vpc(vpc)) => vpc.dns_hostnames = flag()?,
        ("connectivity", NodeKind::NatGateway(nat)) => {
            nat.connectivity = match text_value {
                "public" => NatConnectivity::Public,
                "private" => NatConnectivity::Private,
                _ => return Err("choose public or private".into()),
            }
        }
        ("scheme", NodeKind::LoadBalancer(alb)) => {
            alb.scheme = match text_value {
                "internet_facing" => LoadBalancerScheme::InternetFacing,
                "internal" => LoadBalancerScheme::Internal,
                _ => return Err("choose internet-facing or internal".into()),
            }
        }
        ("subnets", kind) => {
            let subnet = NodeId::new(text_value)
                .ok()
                .filter(|id| diagram.node(id).map(Node::tag) == Some(KindTag::Subnet))
                .ok_or_else(|| format!("there is no subnet {text_value:?}"))?;
            let list = match kind {
                NodeKind::LoadBalancer(alb) => &mut alb.subnets,
                NodeKind::FargateService(service) => &mut service.subnets,
                NodeKind::AuroraCluster(aurora) => &mut aurora.subnets,
                NodeKind::RdsInstance(database) => &mut database.subnets,
                NodeKind::ElasticacheCache(cache) => &mut cache.subnets,
                NodeKind::AutoScalingGroup(group) => &mut group.subnets,
                NodeKind::LambdaFunction(function) if !function.subnets.is_empty() => {
                    &mut function.subnets
                }
                _ => return Err("this node is not placed in subnets".into()),
            };
            // The value toggles one subnet in or out of the set.
            if let Some(at) = list.iter().position(|s| s == &subnet) {
                if list.len() == 1 {
                    return Err("keep at least one subnet".into());
                }
                list.remove(at);
            } else {
                list.push(subnet);
            }
        }
        ("cpu", NodeKind::FargateService(service)) => {
            let cpu = parse_number(256, 16_384)?;
            let memory = fargate_memory_choices(cpu);
            if memory.is_empty() {
                return Err(format!("Fargate has no {cpu} CPU size"));
            }
            service.cpu = cpu;
            if !memory.contains(&service.memory) {
                // Keep the pair valid: the smallest memory this size allows.
                service.memory = memory[0];
            }
        }
        ("memory", NodeKind::FargateService(service)) => {
            let memory = parse_number(512, 122_880)?;
            if !fargate_memory_choices(service.cpu).contains(&memory) {
                return Err(format!(
                    "{} CPU units do not run with {memory} MiB",
                    service.cpu
                ));
            }
            service.memory = memory;
        }
        ("desired_count", NodeKind::FargateService(service)) => {
            service.desired_count = parse_number(0, 1_000)?
        }
        ("engine", NodeKind::AuroraCluster(aurora)) => {
            let engine = match text_value {
                "aurora_mysql" => AuroraEngine::AuroraMysql,
                "aurora_postgresql" => AuroraEngine::AuroraPostgresql,
                _ => return Err("choose Aurora MySQL or PostgreSQL".into()),
            };
            if engine != aurora.engine {
                // A new engine comes with its own default port and version.
                (aurora.port, aurora.engine_version) = match engine {
                    AuroraEngine::AuroraMysql => (3306, "8.0.mysql_aurora.3.08.0".into()),
                    AuroraEngine::AuroraPostgresql => (5432, "16.4".into()),
                };
                aurora.engine = engine;
            }
        }
        ("port", NodeKind::AuroraCluster(aurora)) => {
            aurora.port = parse_number(1150, 65_535)? as u16
        }
        ("instance_class", NodeKind::AuroraCluster(aurora)) => {
            aurora.instance_class =
                prefixed(non_empty()?, "an instance class", "db.", "db.r6g.large")?
        }
        ("instance_count", NodeKind::AuroraCluster(aurora)) => {
            aurora.instance_count = parse_number(1, 16)? as u8
        }
        ("engine", NodeKind::RdsInstance(database)) => {
            let engine = RdsEngine::ALL
                .into_iter()
                .find(|engine| engine.as_str() == text_value)
                .ok_or("choose MySQL, PostgreSQL or MariaDB")?;
            if engine != database.engine {
                // A new engine comes with its own default port and version.
                database.port = engine.default_port();
                database.engine_version = engine.default_version().into();
                database.engine = engine;
            }
        }
        ("engine_version", NodeKind::RdsInstance(database)) => {
            database.engine_version = engine_version(non_empty()?, "8.4.7 or 17.7")?
        }
        ("instance_class", NodeKind::RdsInstance(database)) => {
            database.instance_class =
                prefixed(non_empty()?, "an instance class", "db.", "db.t4g.micro")?
        }
        ("allocated_storage", NodeKind::RdsInstance(database)) => {
            // gp3 storage for MySQL, PostgreSQL and MariaDB: 20 GiB to 64 TiB.
            database.allocated_storage = parse_number(20, 65_536)?
        }
        ("multi_az", NodeKind::RdsInstance(database)) => database.multi_az = flag()?,
        ("port", NodeKind::RdsInstance(database)) => {
            database.port = parse_number(1150, 65_535)? as u16
        }
        ("storage_encrypted", NodeKind::RdsInstance(database)) => {
            database.storage_encrypted = flag()?
        }
        ("engine", NodeKind::ElasticacheCache(cache)) => {
            let engine = CacheEngine::ALL
                .into_iter()
                .find(|engine| engine.as_str() == text_value)
                .ok_or("choose Valkey or Redis OSS")?;
            if engine != cache.engine {
                cache.engine_version = engine.default_version().into();
                cache.engine = engine;
            }
        }
        ("engine_version", NodeKind::ElasticacheCache(cache)) => {
            cache.engine_version = engine_version(non_empty()?, "8.0 or 7.1")?
        }
        ("node_type", NodeKind::ElasticacheCache(cache)) => {
            cache.node_type = prefixed(non_empty()?, "a node type", "cache.", "cache.t4g.micro")?
        }
        // ElastiCache: up to five read replicas per shard.
        ("replicas", NodeKind::ElasticacheCache(cache)) => {
            cache.replicas = parse_number(0, 5)? as u8
        }
        ("multi_az", NodeKind::ElasticacheCache(cache)) => cache.multi_az = flag()?,
        ("port", NodeKind::ElasticacheCache(cache)) => {
            cache.port = parse_number(1024, 65_535)? as u16
        }
        ("transit_encryption", NodeKind::ElasticacheCache(cache)) => {
            cache.transit_encryption = flag()?
        }
        ("table_name", NodeKind::DynamodbTable(table)) => {
            let name = non_empty()?;
            // DynamoDB's naming rules: 3 to 255 of a-z, A-Z, 0-9, _ - and .
            let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.');
            if !(3..=255).contains(&name.len()) || !name.chars().all(allowed) {
                return Err("a table name has 3 to 255 letters, digits, _, - or .".into());
            }
            table.table_name = name;
        }
        ("partition_key", NodeKind::DynamodbTable(table)) => {
            let name = non_empty()?;
            if table
                .sort_key
                .as_ref()
                .is_some_and(|sort| sort.name == name)
            {
                return Err("the partition key and the sort key need different attributes".into());
            }
            table.partition_key.name = name;
        }
        ("partition_key_type", NodeKind::DynamodbTable(table)) => {
            table.partition_key.attribute_type =
                KeyType::from_letter(text_value).ok_or("choose string, number or binary")?;
        }
        ("sort_key", NodeKind::DynamodbTable(table)) => {
            let name = text_value.trim();
            if name.is_empty() {
                table.sort_key = None;
            } else if name == table.partition_key.name {
                return Err("the partition key and the sort key need different attributes".into());
            } else {
                let attribute_type = table
                    .sort_key
                    .as_ref()
                    .map_or(KeyType::String, |sort| sort.attribute_type);
                table.sort_key = Some(KeyAttribute {
                    name: name.to_string(),
                    attribute_type,
                });
            }
        }
        ("sort_key_type", NodeKind::DynamodbTable(table)) => {
            let sort = table.sort_key.as_mut().ok_or("the table has no sort key")?;
            sort.attribute_type =
                KeyType::from_letter(text_value).ok_or("choose string, number or binary")?;
        }
        ("point_in_time_recovery", NodeKind::DynamodbTable(table)) => {
            table.point_in_time_recovery = flag()?
        }
        ("queue_name", NodeKind::SqsQueue(queue)) => {
            let name = non_empty()?;
            let name = name.strip_suffix(".fifo").unwrap_or(&name).to_string();
            // SQS's naming rules: up to 80 of a-z, A-Z, 0-9, - and _ (a
            // FIFO queue's `.fifo` suffix included).
            let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_');
            if name.len() + 5 > 80 || !name.chars().all(allowed) {
                return Err("a queue name has up to 75 letters, digits, - or _".into());
            }
            queue.queue_name = name;
        }
        ("fifo", NodeKind::SqsQueue(queue)) => queue.fifo = flag()?,
        ("topic_name", NodeKind::SnsTopic(topic)) => {
            let name = non_empty()?;
            let name = name.strip_suffix(".fifo").unwrap_or(&name).to_string();
            // SNS's naming rules: up to 256 of a-z, A-Z, 0-9, - and _ (a
            // FIFO topic's `.fifo` suffix included).
            let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_');
            if name.len() + 5 > 256 || !name.chars().all(allowed) {
                return Err("a topic name has up to 251 letters, digits, - or _".into());
            }
            topic.topic_name = name;
        }
        ("fifo", NodeKind::SnsTopic(topic)) => topic.fifo = flag()?,
        ("secret_name", NodeKind::Secret(secret)) => {
            // Secrets Manager's rules: up to 512 of a-z, A-Z, 0-9 and
            // /_+=.@-; a name ending in a hyphen and six characters is
            // allowed but confuses partial ARNs (VR-62 warns).
            let name = non_empty()?;
            let allowed = |c: char| {
                c.is_ascii_alphanumeric() || matches!(c, '/' | '_' | '+' | '=' | '.' | '@' | '-')
            };
            if name.len() > 512 || !name.chars().all(allowed) {
                return Err(
                    "a secret name has up to 512 letters, digits or any of / _ + = . @ -".into(),
                );
            }
            secret.secret_name = name;
        }
        ("password_length", NodeKind::Secret(secret)) => {
            secret.password_length = parse_number(8, 4096)? as u16
        }
        ("scope", NodeKind::WebAcl(acl)) => {
            acl.scope = WafScope::ALL
                .into_iter()
                .find(|scope| scope.as_str() == text_value)
                .ok_or("choose REGIONAL or CLOUDFRONT")?;
        }
        ("common_rules", NodeKind::WebAcl(acl)) => acl.common_rules = flag()?,
        ("known_bad_inputs", NodeKind::WebAcl(acl)) => acl.known_bad_inputs = flag()?,
        ("ip_reputation", NodeKind::WebAcl(acl)) => acl.ip_reputation = flag()?,
        ("sql_injection", NodeKind::WebAcl(acl)) => acl.sql_injection = flag()?,
        ("rate_limit", NodeKind::WebAcl(acl)) => {
            // WAF's rate-based rules: 10 to 2,000,000,000 requests in the
            // evaluation window.
            acl.rate_limit = match text_value.trim() {
                "" => None,
                typed => Some(
                    typed
                        .replace(',', "")
                        .parse::<u32>()
                        .ok()
                        .filter(|limit| (10..=2_000_000_000).contains(limit))
                        .ok_or("a rate limit is 10 to 2,000,000,000 requests, or empty for none")?,
                ),
            };
        }
        ("function_name", NodeKind::LambdaFunction(function)) => {
            // Lambda's naming rules: up to 64 of a-z, A-Z, 0-9, - and _.
            let name = non_empty()?;
            let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, '-' | '_');
            if name.len() > 64 || !name.chars().all(allowed) {
                return Err("a function name has up to 64 letters, digits, - or _".into());
            }
            function.function_name = name;
        }
        ("instance_type", NodeKind::AutoScalingGroup(group)) => {
            group.instance_type = ec2_instance_type(non_empty()?)?
        }
        ("instance_type", NodeKind::Ec2Instance(instance)) => {
            instance.instance_type = ec2_instance_type(non_empty()?)?
        }
        ("port", NodeKind::Ec2Instance(instance)) => {
            instance.port = parse_number(1, 65_535)? as u16
        }
        ("public_ip", NodeKind::Ec2Instance(instance)) => instance.public_ip = flag()?,
        ("min_size", NodeKind::AutoScalingGroup(group)) => {
            group.min_size = parse_number(0, 1000)? as u16
        }
        ("desired_capacity", NodeKind::AutoScalingGroup(group)) => {
            group.desired_capacity = parse_number(0, 1000)? as u16
        }
        ("max_size", NodeKind::AutoScalingGroup(group)) => {
            group.max_size = parse_number(1, 1000)? as u16
        }
        ("port", NodeKind::AutoScalingGroup(group)) => group.port = parse_number(1, 65_535)? as u16,
        ("api_name", NodeKind::HttpApi(api)) => {
            // API Gateway's limit: 128 characters.
            let name = non_empty()?;
            if name.chars().count() > 128 {
                return Err("an API name has up to 128 characters".into());
            }
            api.api_name = name;
        }
        ("runtime", NodeKind::LambdaFunction(function)) => {
            function.runtime = LambdaRuntime::ALL
                .into_iter()
                .find(|runtime| runtime.as_str() == text_value)
                .ok_or("choose nodejs22.x or python3.13")?;
        }
        ("memory_mb", NodeKind::LambdaFunction(function)) => {
            function.memory_mb = parse_number(128, 10_240)? as u16
        }
        ("timeout_seconds", NodeKind::LambdaFunction(function)) => {
            function.timeout_seconds = parse_number(1, 900)? as u16
        }
        ("visibility_timeout_seconds", NodeKind::SqsQueue(queue)) => {
            // 0 seconds to 12 hours.
            queue.visibility_timeout_seconds = parse_number(0, 43_200)?
        }
        ("message_retention_seconds", NodeKind::SqsQueue(queue)) => {
            // One minute to 14 days.
            queue.message_retention_seconds = parse_number(60, 1_209_600)?
        }
        ("instance_type", NodeKind::Bastion(bastion)) => bastion.instance_type = non_empty()?,
        ("bucket_name", NodeKind::S3Bucket(bucket)) => bucket.bucket_name = non_empty()?,
        ("versioning", NodeKind::S3Bucket(bucket)) => bucket.versioning = flag()?,
        ("domain_name", NodeKind::Route53Zone(zone)) => zone.domain_name = non_empty()?,
        ("domain_name", NodeKind::AcmCertificate(certificate)) => {
            certificate.domain_name = non_empty()?
        }
        ("region", NodeKind::AcmCertificate(certificate)) => {
            if !regions::is_known(text_value) {
                return Err(format!("{text_value:?} is not an AWS region"));
            }
            certificate.region = text_value.into();
        }
        ("repository_name", NodeKind::EcrRepository(repository)) => {
            repository.repository_name = non_empty()?
        }
        ("branch", NodeKind::Pipeline(pipeline)) => pipeline.branch = non_empty()?,
        ("resource_type", NodeKind::OtherResource(other)) => other.resource_type = non_empty()?,
        ("note", NodeKind::OtherResource(other)) => other.note = text_value.into(),
        _ => return Err(format!("{} has no field {key:?}", node.tag().label())),
    }
    replace_kind(diagram, node, changed.kind)
}

/// The node with new properties, if the diagram can hold them: every
/// reference to a node of the right kind, text within the limits.
pub fn replace_kind(diagram: &Diagram, node: &Node, kind: NodeKind) -> Result<Command, String> {
    if kind.tag() != node.tag() {
        return Err(format!(
            "a {} stays a {}",
            node.tag().label(),
            node.tag().label()
        ));
    }
    let changed = Node {
        kind,
        ..node.clone()
    };
    let mut after = diagram.clone();
    super::apply(
        &mut after,
        Command::ReplaceNode {
            node: changed.clone(),
        },
    )
    .map_err(|e| e.to_string())?;
    if let Some(problem) = consistency_problems(&after, &Limits::default())
        .into_iter()
        .find(|p| {
            p.path
                .starts_with(&format!("nodes[{}].", position(diagram, &node.id)))
        })
    {
        return Err(problem.message);
    }
    // New subnets move the icon where the picture says it is placed.
    if changed.kind.placement_subnets() != node.kind.placement_subnets() {
        if let Some(rect) = super::arrange::keep_in_subnets(&after, &changed) {
            return Ok(Command::Batch(vec![
                Command::ReplaceNode { node: changed },
                Command::SetRect {
                    id: node.id.clone(),
                    rect: Some(rect),
                },
            ]));
        }
    }
    Ok(Command::ReplaceNode { node: changed })
}

fn position(diagram: &Diagram, id: &NodeId) -> usize {
    diagram
        .nodes
        .iter()
        .position(|n| &n.id == id)
        .unwrap_or(usize::MAX)
}

/// The properties field (`properties`): the kind's properties typed as JSON,
/// strictly read. The browser app leaves the JSON reading to its worker
/// (`kind_from_json`) and applies the result with `replace_kind`.
pub fn set_properties(diagram: &Diagram, node: &Node, text: &str) -> Result<Command, String> {
    replace_kind(diagram, node, kind_from_json(node.tag(), text)?)
}

/// A kind's properties from JSON; the kind itself cannot change.
pub fn kind_from_json(tag: KindTag, text: &str) -> Result<NodeKind, String> {
    if text.len() > 256 * 1024 {
        return Err("the properties are too long".into());
    }
    let inner: serde_json::Value =
        serde_json::from_str(text).map_err(|e| format!("not valid JSON: {e}"))?;
    let tagged = serde_json::json!({ tag.as_str(): inner });
    serde_json::from_value(tagged).map_err(|e| format!("not valid properties: {e}"))
}

/// An engine's version as AWS writes it: its major number first.
fn engine_version(version: String, examples: &str) -> Result<String, String> {
    if version.starts_with(|c: char| c.is_ascii_digit()) {
        Ok(version)
    } else {
        Err(format!(
            "a version starts with its major number, like {examples}"
        ))
    }
}

/// A size name with its service's prefix (`db.`, `cache.`).
fn prefixed(name: String, what: &str, prefix: &str, example: &str) -> Result<String, String> {
    if name.starts_with(prefix) {
        Ok(name)
    } else {
        Err(format!("{what} starts with {prefix}, like {example}"))
    }
}

/// A choice among a closed set: each value as the file writes it, with its label.
/// An EC2 instance type as EC2 names them: a family, a dot and a size
/// (`t3.micro`); RDS's `db.` and ElastiCache's `cache.` classes refused.
fn ec2_instance_type(name: String) -> Result<String, String> {
    let valid = name.split_once('.').is_some_and(|(family, size)| {
        !family.is_empty()
            && !size.is_empty()
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-')
    });
    if !valid || name.starts_with("db.") || name.starts_with("cache.") {
        return Err(format!(
            "{name:?} is not an EC2 instance type (a family and a size, like t3.micro)"
        ));
    }
    Ok(name)
}

fn named_choices<T: Copy>(
    all: &[T],
    value: fn(T) -> &'static str,
    label: fn(T) -> &'static str,
) -> Input {
    Input::Choice(
        all.iter()
            .map(|&item| (value(item).to_string(), label(item).to_string()))
            .collect(),
    )
}
