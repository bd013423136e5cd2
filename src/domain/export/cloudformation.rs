//! A CloudFormation template for the whole diagram, built as a JSON value and
//! written as JSON or YAML. Only long-form intrinsics (`Ref`, `Fn::GetAtt`,
//! `Fn::Sub`) are used, so both serialisations say the same thing.

use super::lookup::Lookup;
use super::names::{aws_description, tag_value, Names};
use crate::domain::model::*;
use crate::domain::validate::Analysis;
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

/// CloudFront's own hosted zone, for alias records (VR-41).
const CLOUDFRONT_ZONE: &str = "Z2FDTNDATAQYW2";
/// AWS managed cache and origin request policies.
const CACHING_OPTIMIZED: &str = "658327ea-f89d-4fab-a63d-7e88639e58f6";
const CACHING_DISABLED: &str = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad";
const ALL_VIEWER_EXCEPT_HOST: &str = "b689b0a8-53d0-40ab-baf2-68738e2966ac";

fn reference(logical: &str) -> Value {
    json!({ "Ref": logical })
}

fn get_att(logical: &str, attribute: &str) -> Value {
    json!({ "Fn::GetAtt": [logical, attribute] })
}

fn sub(text: &str) -> Value {
    json!({ "Fn::Sub": text })
}

/// User text inside an `Fn::Sub` string: `${` must not start a variable.
pub fn sub_literal(text: &str) -> String {
    text.replace("${", "${!")
}

fn name_tag(name: &str) -> Value {
    json!([{ "Key": "Name", "Value": tag_value(name) }])
}

/// User text as a value. Text holding `${` is split at every `$` and joined
/// back with `Fn::Join`, so no piece looks like a variable reference.
fn text(value: &str) -> Value {
    if value.contains("${") {
        json!({ "Fn::Join": ["$", value.split('$').collect::<Vec<_>>()] })
    } else {
        json!(value)
    }
}

/// A checkov suppression, always with the reason it does not apply.
fn skip(id: &str, reason: &str) -> Value {
    json!({ "id": id, "comment": reason })
}

struct Builder<'a> {
    diagram: &'a Diagram,
    lookup: Lookup<'a>,
    names: Names,
    parameters: Map<String, Value>,
    resources: Map<String, Value>,
    outputs: Map<String, Value>,
}

impl<'a> Builder<'a> {
    fn node(&self, id: &NodeId) -> Option<&'a Node> {
        self.lookup.node(id)
    }

    fn id(&self, id: &NodeId) -> String {
        self.names.of(id)
    }

    fn add(&mut self, logical: String, kind: &str, properties: Value) -> &mut Map<String, Value> {
        let resource = json!({ "Type": kind, "Properties": properties });
        let slot = match self.resources.entry(logical) {
            serde_json::map::Entry::Occupied(mut taken) => {
                taken.insert(resource);
                taken.into_mut()
            }
            serde_json::map::Entry::Vacant(free) => free.insert(resource),
        };
        match slot {
            Value::Object(resource) => resource,
            _ => unreachable!("the resource was just inserted"),
        }
    }

    fn parameter(&mut self, name: &str, definition: Value) {
        self.parameters.insert(name.to_string(), definition);
    }

    fn output(&mut self, name: String, description: &str, value: Value) {
        self.outputs
            .insert(name, json!({ "Description": description, "Value": value }));
    }

    /// A domain name, as a reference to the zone's domain parameter when it is
    /// in one of the diagram's zones, so the template deploys to any domain.
    fn domain(&self, name: &str) -> Value {
        match self.lookup.zone_of(name) {
            Some((zone, _, None)) => reference(&format!("{}DomainName", self.id(zone))),
            Some((zone, _, Some(prefix))) => sub(&format!(
                "{}.${{{}DomainName}}",
                sub_literal(prefix),
                self.id(zone)
            )),
            None => Value::String(name.to_string()),
        }
    }

    /// The hosted zone parameter for a name in one of the diagram's zones.
    fn hosted_zone_of(&self, name: &str) -> Option<String> {
        self.lookup
            .zone_of(name)
            .map(|(zone, ..)| format!("{}HostedZoneId", self.id(zone)))
    }

    /// A CIDR as written in rules: the external client's parameter when it is
    /// that client's block, so operators can change it at deploy time.
    fn cidr(&self, cidr: &Cidr) -> Value {
        match self.lookup.client_with_block(cidr) {
            Some(client) => reference(&format!("{}Cidr", self.id(client))),
            None => Value::String(cidr.canonical().to_string()),
        }
    }

    fn ids(&self, ids: &[NodeId]) -> Value {
        Value::Array(ids.iter().map(|id| reference(&self.id(id))).collect())
    }
}

fn builder(diagram: &Diagram) -> Builder<'_> {
    let mut b = Builder {
        diagram,
        lookup: Lookup::new(diagram),
        names: Names::cloudformation(diagram),
        parameters: Map::new(),
        resources: Map::new(),
        outputs: Map::new(),
    };
    declare_parameters(&mut b);
    b
}

/// The resource types each node writes (its security-group rules
/// included), in the diagram's order: what docs/kinds.md lists.
pub fn types_by_node(diagram: &Diagram) -> Vec<(NodeId, Vec<String>)> {
    let mut b = builder(diagram);
    let mut written = Vec::with_capacity(diagram.nodes.len());
    for node in &diagram.nodes {
        let before = b.resources.len();
        add_node(&mut b, node);
        if let NodeKind::SecurityGroup(group) = &node.kind {
            add_group_rules(&mut b, node, group);
        }
        let types = b.resources.values().skip(before);
        let types = types.filter_map(|resource| resource["Type"].as_str());
        written.push((node.id.clone(), types.map(str::to_string).collect()));
    }
    written
}

/// The template as a JSON value.
pub fn template(diagram: &Diagram, analysis: &Analysis) -> Value {
    let mut b = builder(diagram);
    for node in &diagram.nodes {
        add_node(&mut b, node);
    }
    for node in &diagram.nodes {
        if let NodeKind::SecurityGroup(group) = &node.kind {
            add_group_rules(&mut b, node, group);
        }
    }

    let mut root = Map::new();
    root.insert("AWSTemplateFormatVersion".into(), json!("2010-09-09"));
    root.insert(
        "Description".into(),
        Value::String(aws_description(
            &format!("{} (exported by stackdraw)", diagram.name),
            1024,
        )),
    );
    // Metadata: the JSON form has no comments, so what a reader must know
    // (open errors, what is left out) is said here too.
    let errors = super::error_lines(analysis, "");
    let left_out = super::left_out_lines(diagram, "");
    let mut said = Map::new();
    if !errors.is_empty() {
        said.insert("ValidationErrors".into(), json!(errors));
    }
    if !left_out.is_empty() {
        said.insert("LeftOut".into(), json!(left_out));
    }
    if !said.is_empty() {
        root.insert("Metadata".into(), json!({ "stackdraw": said }));
    }
    if !b.parameters.is_empty() {
        root.insert("Parameters".into(), Value::Object(b.parameters));
    }
    if b.resources.is_empty() {
        // A template needs at least one resource; this one does nothing.
        b.resources.insert(
            "EmptyDiagramPlaceholder".into(),
            json!({ "Type": "AWS::CloudFormation::WaitConditionHandle" }),
        );
    }
    root.insert("Resources".into(), Value::Object(b.resources));
    if !b.outputs.is_empty() {
        root.insert("Outputs".into(), Value::Object(b.outputs));
    }
    let mut template = Value::Object(root);
    neutralise_dynamic_references(&mut template, false);
    template
}

/// CloudFormation resolves `{{resolve:ssm:…}}`, `{{resolve:ssm-secure:…}}`
/// and `{{resolve:secretsmanager:…}}` inside any string of a template, so a
/// name or description holding one would fail the stack or quietly read a
/// parameter or secret. Every `{{` that opens one becomes `{ {`, which
/// CloudFormation leaves alone. The one reference the exporter writes itself
/// (an Aurora password from the secret it generates) sits in an `Fn::Sub` and
/// names that secret as `${Logical}`, which user text cannot produce there:
/// [`sub_literal`] turns every `${` of user text into `${!`.
fn neutralise_dynamic_references(value: &mut Value, in_sub: bool) {
    match value {
        Value::String(text) if has_double_brace(text) => *text = neutralised(text, in_sub),
        Value::Array(items) => {
            for item in items {
                neutralise_dynamic_references(item, in_sub);
            }
        }
        Value::Object(map) => {
            for (key, item) in map.iter_mut() {
                neutralise_dynamic_references(item, key == "Fn::Sub");
            }
        }
        _ => {}
    }
}

/// Whether the text holds `{{`: a byte walk, as most strings are short names
/// and a substring search costs more to set up than to run on them.
fn has_double_brace(text: &str) -> bool {
    text.as_bytes()
        .windows(2)
        .any(|pair| pair[0] == b'{' && pair[1] == b'{')
}

/// The text with every dynamic-reference opening broken, except (in an
/// `Fn::Sub`) the exporter's own `{{resolve:secretsmanager:${Logical}`.
pub fn neutralised(text: &str, in_sub: bool) -> String {
    let mut out = String::with_capacity(text.len() + 2);
    let mut rest = text;
    while let Some(at) = rest.find("{{") {
        out.push_str(&rest[..at]);
        let after = &rest[at + 2..];
        let opens_reference = after
            .trim_start()
            .get(..7)
            .is_some_and(|word| word.eq_ignore_ascii_case("resolve"));
        let exporters_own = in_sub
            && after
                .strip_prefix("resolve:secretsmanager:${")
                .is_some_and(|name| name.starts_with(|c: char| c.is_ascii_alphanumeric()));
        // One brace at a time, so `{{{resolve:` is caught at its second brace.
        out.push_str(if opens_reference && !exporters_own {
            "{ "
        } else {
            "{"
        });
        rest = &rest[at + 1..];
    }
    out.push_str(rest);
    out
}

fn declare_parameters(b: &mut Builder) {
    let diagram = b.diagram;
    if diagram
        .nodes
        .iter()
        .any(|n| matches!(&n.kind, NodeKind::FargateService(s) if s.starts_after_first_push()))
    {
        b.parameter(
            IMAGE_TAG,
            json!({
                "Type": "String",
                "Default": BOOTSTRAP_TAG,
                "Description": "Tag of the images to run from the stack's ECR repositories. The pipeline sets it to the commit it pushed; leave it alone when you deploy the template",
                "AllowedPattern": "^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$",
            }),
        );
    }
    if diagram.nodes.iter().any(|n| {
        matches!(
            n.tag(),
            KindTag::AuroraCluster | KindTag::RdsInstance | KindTag::DynamodbTable
        )
    }) {
        b.parameter(
            DELETION_PROTECTION,
            json!({
                "Type": "String",
                "Default": "false",
                "AllowedValues": ["true", "false"],
                "Description": "Deletion protection of the databases. Off for the first deploy, so a failed one rolls back cleanly (a snapshot is kept on delete either way); set it to true once the stack exists",
            }),
        );
    }
    if diagram.nodes.iter().any(|n| {
        matches!(
            n.tag(),
            KindTag::Bastion | KindTag::AutoScalingGroup | KindTag::Ec2Instance
        )
    }) {
        b.parameter(
            "LatestAmiId",
            json!({
                "Type": "AWS::SSM::Parameter::Value<AWS::EC2::Image::Id>",
                "Default": "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64",
                "Description": "Image for bastion hosts, instances and Auto Scaling groups (the latest Amazon Linux 2023, looked up in this region)",
            }),
        );
    }
    if diagram.nodes.iter().any(
        |n| matches!(&n.kind, NodeKind::Pipeline(p) if matches!(p.auth, PipelineAuth::OidcRole(_))),
    ) {
        b.parameter(
            "CircleCiOrganizationId",
            json!({
                "Type": "String",
                "Description": "CircleCI organization id (Organization Settings > Overview): the OIDC audience",
                "AllowedPattern": "^[0-9a-f-]{36}$",
            }),
        );
    }
    for node in &diagram.nodes {
        let logical = b.id(&node.id);
        match &node.kind {
            NodeKind::ExternalClient(client) => b.parameter(
                &format!("{logical}Cidr"),
                json!({
                    "Type": "String",
                    "Default": client.cidr.canonical().to_string(),
                    "Description": aws_description(&format!("Address block of {}", node.name), 200),
                    "AllowedPattern": CIDR_PATTERN,
                }),
            ),
            NodeKind::FargateService(service) if service.starts_after_first_push() => b.parameter(
                &desired_count_parameter(&logical),
                json!({
                    "Type": "Number",
                    "Default": 0,
                    "MinValue": 0,
                    "Description": aws_description(&format!(
                        "Tasks of {} to run: 0 until the pipeline first pushes its images, then the pipeline sets {}",
                        node.name, service.desired_count
                    ), 400),
                }),
            ),
            NodeKind::Bastion(Bastion { key_pair: Some(key), .. }) => b.parameter(
                &format!("{logical}KeyName"),
                json!({
                    "Type": "AWS::EC2::KeyPair::KeyName",
                    "Default": key,
                    "Description": aws_description(&format!("EC2 key pair for SSH to {}", node.name), 200),
                }),
            ),
            NodeKind::Route53Zone(zone) => {
                let domain = format!("{logical}DomainName");
                let hosted = format!("{logical}HostedZoneId");
                b.parameter(
                    &domain,
                    json!({
                        "Type": "String",
                        "Default": zone.domain_name,
                        "Description": "Domain of the hosted zone",
                    }),
                );
                b.parameter(
                    &hosted,
                    json!({
                        "Type": "AWS::Route53::HostedZone::Id",
                        "Description": aws_description(&format!("Id of the existing Route 53 hosted zone for {}", zone.domain_name), 200),
                    }),
                );

            }
            NodeKind::AcmCertificate(certificate) if certificate.region != diagram.region => b.parameter(
                &format!("{logical}Arn"),
                json!({
                    "Type": "String",
                    "Description": aws_description(&format!(
                        "ARN of the certificate for {} issued in {} (a stack cannot create it in another region)",
                        certificate.domain_name, certificate.region
                    ), 400),
                    "AllowedPattern": format!("^arn:aws[a-z-]*:acm:{}:[0-9]{{12}}:certificate/.+$", certificate.region),
                }),
            ),
            NodeKind::WebAcl(acl) if super::lookup::web_acl_elsewhere(diagram, acl) => b.parameter(
                &format!("{logical}Arn"),
                json!({
                    "Type": "String",
                    "Description": aws_description(&format!(
                        "ARN of the web ACL {} (scope CLOUDFRONT, created in us-east-1: a stack in another region cannot create it)",
                        node.name
                    ), 400),
                    "AllowedPattern": "^arn:aws[a-z-]*:wafv2:us-east-1:[0-9]{12}:global/webacl/.+$",
                }),
            ),
            _ => {}
        }
    }
}

/// The parameter the pipeline sets to the commit it pushed.
pub const IMAGE_TAG: &str = "ImageTag";
/// What [`IMAGE_TAG`] holds before the first push: no task runs it.
pub const BOOTSTRAP_TAG: &str = "bootstrap";
/// The parameter that switches the databases' deletion protection.
pub const DELETION_PROTECTION: &str = "DatabaseDeletionProtection";

/// The parameter holding a service's task count, which the pipeline owns.
pub fn desired_count_parameter(service_logical_id: &str) -> String {
    format!("{service_logical_id}DesiredCount")
}

/// The certificate's ARN: the resource this stack creates, or the parameter
/// for one issued in another region.
fn certificate_arn(b: &Builder, id: &NodeId) -> Value {
    match b.node(id).map(|n| &n.kind) {
        Some(NodeKind::AcmCertificate(certificate)) if certificate.region != b.diagram.region => {
            reference(&format!("{}Arn", b.id(id)))
        }
        _ => reference(&b.id(id)),
    }
}

fn add_node(b: &mut Builder, node: &Node) {
    let logical = b.id(&node.id);
    let tags = name_tag(&node.name);
    match &node.kind {
        NodeKind::Vpc(vpc) => {
            b.add(
                logical.clone(),
                "AWS::EC2::VPC",
                json!({
                    "CidrBlock": vpc.cidr.canonical().to_string(),
                    "EnableDnsSupport": vpc.dns_support,
                    "EnableDnsHostnames": vpc.dns_hostnames,
                    "Tags": tags,
                }),
            );
            for (at, block) in vpc.secondary_cidrs.iter().enumerate() {
                b.add(
                    format!("{logical}Cidr{}", at + 2),
                    "AWS::EC2::VPCCidrBlock",
                    json!({ "VpcId": reference(&logical), "CidrBlock": block.canonical().to_string() }),
                );
            }
        }
        NodeKind::Subnet(subnet) => {
            let zone_letter = subnet
                .az
                .strip_prefix(&b.diagram.region)
                .unwrap_or(&subnet.az)
                .to_string();
            let resource = b.add(
                logical.clone(),
                "AWS::EC2::Subnet",
                json!({
                    "VpcId": reference(&b.id(&subnet.vpc)),
                    "CidrBlock": subnet.cidr.canonical().to_string(),
                    "AvailabilityZone": sub(&format!("${{AWS::Region}}{}", sub_literal(&zone_letter))),
                    "MapPublicIpOnLaunch": false,
                    "Tags": tags,
                }),
            );
            let _ = resource;
            // A subnet in a secondary block waits for that block.
            if let Some(NodeKind::Vpc(vpc)) = b.node(&subnet.vpc).map(|n| &n.kind) {
                if let Some(at) = vpc
                    .secondary_cidrs
                    .iter()
                    .position(|block| block.contains(&subnet.cidr))
                {
                    let depends = format!("{}Cidr{}", b.id(&subnet.vpc), at + 2);
                    if let Some(Value::Object(resource)) = b.resources.get_mut(&logical) {
                        resource.insert("DependsOn".into(), json!(depends));
                    }
                }
            }
            if let Some(table) = &subnet.route_table {
                b.add(
                    format!("{logical}RouteTableAssociation"),
                    "AWS::EC2::SubnetRouteTableAssociation",
                    json!({ "SubnetId": reference(&logical), "RouteTableId": reference(&b.id(table)) }),
                );
            }
        }
        NodeKind::InternetGateway(igw) => {
            b.add(
                logical.clone(),
                "AWS::EC2::InternetGateway",
                json!({ "Tags": tags }),
            );
            if let Some(vpc) = &igw.vpc {
                b.add(
                    format!("{logical}Attachment"),
                    "AWS::EC2::VPCGatewayAttachment",
                    json!({ "VpcId": reference(&b.id(vpc)), "InternetGatewayId": reference(&logical) }),
                );
            }
        }
        NodeKind::NatGateway(nat) => {
            let mut properties = json!({
                "SubnetId": reference(&b.id(&nat.subnet)),
                "ConnectivityType": match nat.connectivity {
                    NatConnectivity::Public => "public",
                    NatConnectivity::Private => "private",
                },
                "Tags": tags,
            });
            if nat.connectivity == NatConnectivity::Public && nat.elastic_ip {
                b.add(
                    format!("{logical}Eip"),
                    "AWS::EC2::EIP",
                    json!({ "Domain": "vpc", "Tags": name_tag(&node.name) }),
                );
                properties["AllocationId"] = get_att(&format!("{logical}Eip"), "AllocationId");
            }
            b.add(logical, "AWS::EC2::NatGateway", properties);
        }
        NodeKind::RouteTable(table) => {
            b.add(
                logical.clone(),
                "AWS::EC2::RouteTable",
                json!({ "VpcId": reference(&b.id(&table.vpc)), "Tags": tags }),
            );
            for (at, route) in table.routes.iter().enumerate() {
                let target = b.id(&route.target);
                let (key, depends) = match b.node(&route.target).map(|n| &n.kind) {
                    Some(NodeKind::InternetGateway(_)) => {
                        ("GatewayId", Some(format!("{target}Attachment")))
                    }
                    Some(NodeKind::NatGateway(_)) => ("NatGatewayId", None),
                    _ => ("VpcPeeringConnectionId", None),
                };
                let resource = b.add(
                    format!("{logical}Route{}", at + 1),
                    "AWS::EC2::Route",
                    json!({
                        "RouteTableId": reference(&logical),
                        "DestinationCidrBlock": route.destination.canonical().to_string(),
                        key: reference(&target),
                    }),
                );
                if let Some(depends) = depends {
                    resource.insert("DependsOn".into(), json!(depends));
                }
            }
        }
        NodeKind::VpcEndpoint(endpoint) => {
            let service = endpoint.service.service_suffix();
            let mut properties = json!({
                "VpcId": reference(&b.id(&endpoint.vpc)),
                "ServiceName": sub(&format!("com.amazonaws.${{AWS::Region}}.{service}")),
            });
            if endpoint.service.is_gateway() {
                properties["VpcEndpointType"] = json!("Gateway");
                properties["RouteTableIds"] = b.ids(&endpoint.route_tables);
            } else {
                properties["VpcEndpointType"] = json!("Interface");
                properties["PrivateDnsEnabled"] = json!(true);
                properties["SubnetIds"] = b.ids(&endpoint.subnets);
                properties["SecurityGroupIds"] = b.ids(&endpoint.security_groups);
            }
            b.add(logical, "AWS::EC2::VPCEndpoint", properties);
        }
        NodeKind::SecurityGroup(group) => {
            let description = if group.description.is_empty() {
                &node.name
            } else {
                &group.description
            };
            b.add(
                logical,
                "AWS::EC2::SecurityGroup",
                json!({
                    "GroupDescription": aws_description(description, 255),
                    "VpcId": reference(&b.id(&group.vpc)),
                    // Replaces AWS's default allow-all egress: the egress rules
                    // the diagram holds are separate resources.
                    "SecurityGroupEgress": [{
                        "IpProtocol": "-1",
                        "CidrIp": "127.0.0.1/32",
                        "Description": "Placeholder that removes the default egress rule",
                    }],
                    "Tags": tags,
                }),
            );
        }
        NodeKind::VpcPeering(peering) => {
            b.add(
                logical,
                "AWS::EC2::VPCPeeringConnection",
                json!({
                    "VpcId": reference(&b.id(&peering.requester)),
                    "PeerVpcId": reference(&b.id(&peering.accepter)),
                    "Tags": tags,
                }),
            );
        }
        NodeKind::NetworkAcl(acl) => add_network_acl(b, node, acl),
        NodeKind::LoadBalancer(alb) => add_load_balancer(b, node, alb),
        NodeKind::EcsCluster(cluster) => {
            let resource = b.add(
                logical,
                "AWS::ECS::Cluster",
                json!({
                    "ClusterName": super::names::resource_name(node.id.as_str()),
                    "ClusterSettings": [{
                        "Name": "containerInsights",
                        "Value": if cluster.container_insights { "enabled" } else { "disabled" },
                    }],
                    "Tags": tags,
                }),
            );
            if !cluster.container_insights {
                suppress(
                    resource,
                    vec![skip(
                        "CKV_AWS_65",
                        "Container Insights is off in the diagram",
                    )],
                );
            }
        }
        NodeKind::FargateService(service) => add_service(b, node, service),
        NodeKind::AuroraCluster(aurora) => add_aurora(b, node, aurora),
        NodeKind::RdsInstance(database) => add_rds_instance(b, node, database),
        NodeKind::ElasticacheCache(cache) => add_cache(b, node, cache),
        NodeKind::DynamodbTable(table) => add_table(b, node, table),
        NodeKind::SqsQueue(queue) => add_queue(b, node, queue),
        NodeKind::SnsTopic(topic) => add_topic(b, node, topic),
        NodeKind::LambdaFunction(function) => add_function(b, node, function),
        NodeKind::HttpApi(api) => add_http_api(b, node, api),
        NodeKind::AutoScalingGroup(group) => add_auto_scaling(b, node, group),
        NodeKind::Ec2Instance(instance) => add_instance(b, node, instance),
        NodeKind::Secret(secret) => add_secret(b, node, secret),
        NodeKind::WebAcl(acl) => add_web_acl(b, node, acl),
        NodeKind::Bastion(bastion) => {
            let mut properties = instance_properties(
                b,
                node,
                &bastion.instance_type,
                &bastion.subnet,
                &bastion.security_groups,
                bastion.public_ip,
            );
            if bastion.key_pair.is_some() {
                properties["KeyName"] = reference(&format!("{logical}KeyName"));
            }
            let resource = b.add(logical, "AWS::EC2::Instance", properties);
            if bastion.public_ip {
                suppress(resource, vec![skip("CKV_AWS_88", "A bastion host is reached over SSH from the operators' addresses and needs a public IP")]);
            }
        }
        NodeKind::S3Bucket(bucket) => add_bucket(b, node, bucket),
        NodeKind::CloudFront(distribution) => add_distribution(b, node, distribution),
        NodeKind::Route53Zone(zone) => add_records(b, node, zone),
        NodeKind::AcmCertificate(certificate) if certificate.region == b.diagram.region => {
            let mut properties = json!({
                "DomainName": b.domain(&certificate.domain_name),
                "ValidationMethod": "DNS",
                "Tags": tags,
            });
            if !certificate.subject_alternative_names.is_empty() {
                properties["SubjectAlternativeNames"] = Value::Array(
                    certificate
                        .subject_alternative_names
                        .iter()
                        .map(|name| b.domain(name))
                        .collect(),
                );
            }
            if let Some(hosted) = b.hosted_zone_of(&certificate.domain_name) {
                properties["DomainValidationOptions"] = json!([{
                    "DomainName": b.domain(&certificate.domain_name),
                    "HostedZoneId": reference(&hosted),
                }]);
            }
            b.add(logical, "AWS::CertificateManager::Certificate", properties);
        }
        NodeKind::AcmCertificate(_) => {}
        NodeKind::EcrRepository(repository) => {
            let resource = b.add(
                logical.clone(),
                "AWS::ECR::Repository",
                json!({
                    "RepositoryName": repository.repository_name,
                    "ImageScanningConfiguration": { "ScanOnPush": repository.scan_on_push },
                    "ImageTagMutability": if repository.immutable_tags { "IMMUTABLE" } else { "MUTABLE" },
                    "EncryptionConfiguration": { "EncryptionType": "AES256" },
                    "Tags": tags,
                }),
            );
            let mut skips = vec![skip(
                "CKV_AWS_136",
                "AES256 encryption at rest; a customer managed key is the user's choice",
            )];
            if !repository.scan_on_push {
                skips.push(skip(
                    "CKV_AWS_163",
                    "Scanning on push is off in the diagram",
                ));
            }
            if !repository.immutable_tags {
                skips.push(skip("CKV_AWS_51", "Tags are mutable in the diagram"));
            }
            suppress(resource, skips);
            let uri = sub(&format!(
                "${{AWS::AccountId}}.dkr.ecr.${{AWS::Region}}.amazonaws.com/${{{logical}}}"
            ));
            b.output(format!("{logical}Uri"), "Repository URI", uri);
        }
        NodeKind::Pipeline(pipeline) => add_pipeline_role(b, node, pipeline),
        // Left out, and listed at the top of the template.
        NodeKind::Internet(_) | NodeKind::ExternalClient(_) | NodeKind::OtherResource(_) => {}
    }
}

fn protocol_fields(protocol: Protocol, from: u16, to: u16) -> Map<String, Value> {
    let mut fields = Map::new();
    match protocol {
        Protocol::All => {
            fields.insert("IpProtocol".into(), json!("-1"));
        }
        Protocol::Icmp => {
            fields.insert("IpProtocol".into(), json!("icmp"));
            fields.insert("FromPort".into(), json!(-1));
            fields.insert("ToPort".into(), json!(-1));
        }
        Protocol::Tcp | Protocol::Udp => {
            let name = if protocol == Protocol::Tcp {
                "tcp"
            } else {
                "udp"
            };
            fields.insert("IpProtocol".into(), json!(name));
            fields.insert("FromPort".into(), json!(from));
            fields.insert("ToPort".into(), json!(to));
        }
    }
    fields
}

fn add_group_rules(b: &mut Builder, node: &Node, group: &SecurityGroup) {
    let logical = b.id(&node.id);
    for (direction, rules, kind) in [
        ("Ingress", &group.ingress, "AWS::EC2::SecurityGroupIngress"),
        ("Egress", &group.egress, "AWS::EC2::SecurityGroupEgress"),
    ] {
        for (at, rule) in rules.iter().enumerate() {
            let mut properties = protocol_fields(rule.protocol, rule.from_port, rule.to_port);
            properties.insert("GroupId".into(), reference(&logical));
            let description = if rule.description.is_empty() {
                format!("{} rule {}", direction, at + 1)
            } else {
                rule.description.clone()
            };
            properties.insert(
                "Description".into(),
                json!(aws_description(&description, 255)),
            );
            let peer_key = if direction == "Ingress" {
                "SourceSecurityGroupId"
            } else {
                "DestinationSecurityGroupId"
            };
            match &rule.peer {
                Peer::Cidr(cidr) => {
                    properties.insert("CidrIp".into(), b.cidr(cidr));
                }
                Peer::SecurityGroup(peer) => {
                    properties.insert(peer_key.into(), reference(&b.id(peer)));
                }
            }
            let skips = open_rule_skips(direction, rule);
            let resource = b.add(
                format!("{logical}{direction}{}", at + 1),
                kind,
                Value::Object(properties),
            );
            if !skips.is_empty() {
                suppress(resource, skips);
            }
        }
    }
}

/// Adds checkov suppressions, each with its written reason, to a resource.
/// The ACL, an entry per rule (named by direction and number, so a rule keeps
/// its resource when others are added), and an association per subnet
/// (named by the subnet, which has one ACL).
fn add_network_acl(b: &mut Builder, node: &Node, acl: &NetworkAcl) {
    let logical = b.id(&node.id);
    let resource = b.add(
        logical.clone(),
        "AWS::EC2::NetworkAcl",
        json!({ "VpcId": reference(&b.id(&acl.vpc)), "Tags": name_tag(&node.name) }),
    );
    if acl.subnets.is_empty() {
        suppress(
            resource,
            vec![skip(
                "CKV2_AWS_1",
                "The diagram associates this network ACL with no subnet yet",
            )],
        );
    }
    for (egress, rules) in [(false, &acl.inbound), (true, &acl.outbound)] {
        for rule in rules {
            let mut properties = json!({
                "NetworkAclId": reference(&logical),
                "RuleNumber": rule.number,
                "Protocol": rule.protocol_number(),
                "RuleAction": rule.action.as_str(),
                "Egress": egress,
                "CidrBlock": rule.cidr.canonical().to_string(),
            });
            if let Some((from, to)) = rule.port_range() {
                properties["PortRange"] = json!({ "From": from, "To": to });
            } else if rule.protocol == Protocol::Icmp {
                properties["Icmp"] = json!({ "Code": -1, "Type": -1 });
            }
            let direction = if egress { "Outbound" } else { "Inbound" };
            let entry = b.add(
                format!("{logical}{direction}{}", rule.number),
                "AWS::EC2::NetworkAclEntry",
                properties,
            );
            if !egress {
                suppress(entry, super::names::acl_open_port_skips(rule, skip));
            }
        }
    }
    for subnet in &acl.subnets {
        let subnet_logical = b.id(subnet);
        b.add(
            format!("{subnet_logical}NetworkAclAssociation"),
            "AWS::EC2::SubnetNetworkAclAssociation",
            json!({ "SubnetId": reference(&subnet_logical), "NetworkAclId": reference(&logical) }),
        );
    }
}

fn suppress(resource: &mut Map<String, Value>, skips: Vec<Value>) {
    if skips.is_empty() {
        return;
    }
    let metadata = resource.entry("Metadata").or_insert_with(|| json!({}));
    let list = &mut metadata["checkov"]["skip"];
    if !list.is_array() {
        *list = json!([]);
    }
    if let Value::Array(list) = list {
        list.extend(skips);
    }
}

/// Rules the diagram opens to the whole internet on purpose, with the reason
/// the matching checkov checks do not apply. SSH, RDP and database ports are
/// never excused: validation warns about those instead (VR-26).
fn open_rule_skips(direction: &str, rule: &SecurityGroupRule) -> Vec<Value> {
    let Peer::Cidr(cidr) = &rule.peer else {
        return Vec::new();
    };
    if cidr.prefix_len() != 0 {
        return Vec::new();
    }
    let covers = |port| crate::domain::validate::reach::rule_allows(rule, port);
    let mut skips = Vec::new();
    if direction == "Egress" {
        skips.push(skip(
            "CKV_AWS_382",
            "Outbound to anywhere is the diagram's rule: tasks reach ECR, S3 and CloudWatch Logs through the NAT gateway",
        ));
    } else {
        if covers(80) {
            skips.push(skip(
                "CKV_AWS_260",
                "A public web listener on port 80, as the diagram draws it",
            ));
        }
        if covers(443) && rule.protocol == Protocol::All {
            skips.push(skip(
                "CKV_AWS_277",
                "The diagram opens all traffic from the internet",
            ));
        }
    }
    skips
}

fn add_load_balancer(b: &mut Builder, node: &Node, alb: &LoadBalancer) {
    let logical = b.id(&node.id);
    let resource = b.add(
        logical.clone(),
        "AWS::ElasticLoadBalancingV2::LoadBalancer",
        json!({
            "Type": "application",
            "Scheme": match alb.scheme {
                LoadBalancerScheme::InternetFacing => "internet-facing",
                LoadBalancerScheme::Internal => "internal",
            },
            "Subnets": b.ids(&alb.subnets),
            "SecurityGroups": b.ids(&alb.security_groups),
            "LoadBalancerAttributes": [
                { "Key": "routing.http.drop_invalid_header_fields.enabled", "Value": "true" },
            ],
            "Tags": name_tag(&node.name),
        }),
    );
    suppress(
        resource,
        vec![
            skip(
                "CKV_AWS_91",
                "Access logs need a log bucket the diagram does not have",
            ),
            skip(
                "CKV_AWS_150",
                "Deletion protection is left to the operator so the stack can be torn down",
            ),
        ],
    );
    b.output(
        format!("{logical}DnsName"),
        "Load balancer DNS name",
        get_att(&logical, "DNSName"),
    );

    let vpc = b.lookup.vpc_of_subnets(&alb.subnets).cloned();
    let mut group_ids: BTreeMap<String, String> = BTreeMap::new();
    for (at, group) in alb.target_groups.iter().enumerate() {
        let group_logical = format!("{logical}TargetGroup{}", at + 1);
        group_ids.insert(group.name.clone(), group_logical.clone());
        if group.target_type == TargetType::Lambda {
            add_function_target_group(b, group_logical, &node.id, at, group);
            continue;
        }
        let mut properties = json!({
            "Port": group.port,
            "Protocol": if group.protocol == ListenerProtocol::Https { "HTTPS" } else { "HTTP" },
            "TargetType": if group.target_type == TargetType::Ip { "ip" } else { "instance" },
            "HealthCheckPath": group.health_check.path.as_deref().unwrap_or("/"),
            "HealthCheckIntervalSeconds": group.health_check.interval_seconds,
            "Matcher": { "HttpCode": group.health_check.matcher },
        });
        if let Some(vpc) = &vpc {
            properties["VpcId"] = reference(&b.id(vpc));
        }
        if let Some(port) = group.health_check.port {
            properties["HealthCheckPort"] = json!(port.to_string());
        }
        // An instance is registered by its id (an Auto Scaling group
        // registers its own instances).
        let instance = group
            .target
            .as_ref()
            .filter(|t| b.node(&t.service).map(Node::tag) == Some(KindTag::Ec2Instance));
        if let Some(target) = instance {
            properties["Targets"] =
                json!([{ "Id": reference(&b.id(&target.service)), "Port": group.port }]);
        }
        b.add(
            group_logical,
            "AWS::ElasticLoadBalancingV2::TargetGroup",
            properties,
        );
    }
    add_listeners(b, &logical, alb, &group_ids);
}

/// A target group that invokes a Lambda function with each request: no
/// port, protocol or VPC (Lambda's API is called, no address is), and the
/// function registered once its permission exists. Without the permission
/// (VR-59) the group is created empty: registering would fail the stack.
fn add_function_target_group(
    b: &mut Builder,
    logical: String,
    alb: &NodeId,
    at: usize,
    group: &TargetGroup,
) {
    let mut properties = json!({ "TargetType": "lambda" });
    let mut depends = None;
    if let Some(target) = &group.target {
        let allowed = matches!(b.node(&target.service).map(|n| &n.kind),
            Some(NodeKind::LambdaFunction(f)) if f.invokers.contains(alb));
        if allowed {
            let function = b.id(&target.service);
            depends = Some(invoke_permission(&function, &b.id(alb), at));
            properties["Targets"] = json!([{ "Id": get_att(&function, "Arn") }]);
        }
    }
    let resource = b.add(
        logical,
        "AWS::ElasticLoadBalancingV2::TargetGroup",
        properties,
    );
    if let Some(depends) = depends {
        resource.insert("DependsOn".into(), json!(depends));
    }
}

fn add_listeners(
    b: &mut Builder,
    logical: &str,
    alb: &LoadBalancer,
    group_ids: &BTreeMap<String, String>,
) {
    for listener in &alb.listeners {
        let listener_logical = format!("{logical}Listener{}", listener.port);
        let action = match &listener.action {
            ListenerAction::Forward(group) => match group_ids.get(group) {
                Some(target) => json!({ "Type": "forward", "TargetGroupArn": reference(target) }),
                None => {
                    json!({ "Type": "fixed-response", "FixedResponseConfig": { "StatusCode": "503" } })
                }
            },
            ListenerAction::RedirectToHttps => json!({
                "Type": "redirect",
                "RedirectConfig": { "Protocol": "HTTPS", "Port": "443", "StatusCode": "HTTP_301" },
            }),
            ListenerAction::FixedResponse(status) => json!({
                "Type": "fixed-response",
                "FixedResponseConfig": { "StatusCode": status.to_string() },
            }),
        };
        let mut properties = json!({
            "LoadBalancerArn": reference(logical),
            "Port": listener.port,
            "Protocol": if listener.protocol == ListenerProtocol::Https { "HTTPS" } else { "HTTP" },
            "DefaultActions": [action],
        });
        if listener.protocol == ListenerProtocol::Https {
            properties["SslPolicy"] = json!("ELBSecurityPolicy-TLS13-1-2-2021-06");
            if let Some(certificate) = &listener.certificate {
                properties["Certificates"] =
                    json!([{ "CertificateArn": certificate_arn(b, certificate) }]);
            }
        }
        let resource = b.add(
            listener_logical,
            "AWS::ElasticLoadBalancingV2::Listener",
            properties,
        );
        if listener.protocol == ListenerProtocol::Http
            && listener.action != ListenerAction::RedirectToHttps
        {
            suppress(
                resource,
                vec![
                    skip("CKV_AWS_2", "The diagram asks for a plain HTTP listener"),
                    skip("CKV_AWS_103", "A plain HTTP listener has no TLS policy"),
                ],
            );
        }
    }
}

/// The statements granting what a role's code does with the data stores a
/// node draws lines to: each table (and its indexes), queue, topic and
/// bucket (and its objects).
fn data_statements(b: &Builder, used: &[&Node]) -> Vec<Value> {
    let (mut tables, mut queues, mut topics) = (Vec::new(), Vec::new(), Vec::new());
    let (mut buckets, mut objects, mut secrets) = (Vec::new(), Vec::new(), Vec::new());
    for data in used {
        let id = b.id(&data.id);
        let join = |arn: &Value, tail: &str| json!({ "Fn::Join": ["", [arn, tail]] });
        match data.tag() {
            // A topic's Ref is its ARN.
            KindTag::SnsTopic => topics.push(reference(&id)),
            KindTag::SqsQueue => queues.push(get_att(&id, "Arn")),
            // A secret's Ref is its ARN.
            KindTag::Secret => secrets.push(reference(&id)),
            KindTag::S3Bucket => {
                let arn = get_att(&id, "Arn");
                objects.push(join(&arn, "/*"));
                buckets.push(arn);
            }
            _ => {
                let arn = get_att(&id, "Arn");
                let indexes = join(&arn, "/index/*");
                tables.extend([arn, indexes]);
            }
        }
    }
    use super::lookup::{
        BUCKET_ACTIONS, OBJECT_ACTIONS, QUEUE_ACTIONS, SECRET_ACTIONS, TABLE_ACTIONS, TOPIC_ACTIONS,
    };
    let grants: [(&[&str], Vec<Value>); 6] = [
        (&TABLE_ACTIONS, tables),
        (&QUEUE_ACTIONS, queues),
        (&TOPIC_ACTIONS, topics),
        (&BUCKET_ACTIONS, buckets),
        (&OBJECT_ACTIONS, objects),
        (&SECRET_ACTIONS, secrets),
    ];
    grants
        .into_iter()
        .filter(|(_, resources)| !resources.is_empty())
        .map(|(actions, resources)| json!({ "Effect": "Allow", "Action": actions, "Resource": resources }))
        .collect()
}

/// The trust policy of a role an AWS service assumes: ECS tasks (their
/// execution role, and the role their own code runs with), Lambda.
fn assumed_by(principal: &str) -> Value {
    json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Effect": "Allow",
            "Principal": { "Service": principal },
            "Action": "sts:AssumeRole",
        }],
    })
}

/// A Lambda function with the placeholder handler inline (CloudFormation
/// zips `ZipFile` code as `index`), its log group, and a role that may
/// write logs, attach to its subnets, trace, and use the data stores it
/// draws lines to. The pipeline, or `aws lambda update-function-code`,
/// replaces the code; the stack leaves it alone after that.
fn add_function(b: &mut Builder, node: &Node, function: &LambdaFunction) {
    let logical = b.id(&node.id);
    let log_group = format!("{logical}Logs");
    let role = format!("{logical}Role");
    let resource = b.add(
        log_group.clone(),
        "AWS::Logs::LogGroup",
        json!({
            "LogGroupName": format!("/aws/lambda/{}", function.function_name),
            "RetentionInDays": 365,
        }),
    );
    suppress(resource, vec![skip("CKV_AWS_158", "CloudWatch Logs encrypts at rest by default; a customer managed key is the user's choice")]);
    let in_vpc = !function.subnets.is_empty();
    let mut managed = vec![sub(
        "arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
    )];
    if in_vpc {
        managed.push(sub(
            "arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole",
        ));
    }
    managed.push(sub(
        "arn:${AWS::Partition}:iam::aws:policy/AWSXRayDaemonWriteAccess",
    ));
    let mut role_properties = json!({
        "AssumeRolePolicyDocument": assumed_by("lambda.amazonaws.com"),
        "ManagedPolicyArns": managed,
    });
    let used = super::lookup::data_used_by(b.diagram, &node.id);
    let mut statements = data_statements(b, &used);
    // The queues Lambda polls for it, with the function's role.
    let polled: Vec<Value> = function
        .event_sources
        .iter()
        .map(|queue| get_att(&b.id(queue), "Arn"))
        .collect();
    if !polled.is_empty() {
        statements.push(json!({
            "Effect": "Allow",
            "Action": super::lookup::POLL_ACTIONS,
            "Resource": polled,
        }));
    }
    if !statements.is_empty() {
        role_properties["Policies"] = json!([{
            "PolicyName": "use-data",
            "PolicyDocument": { "Version": "2012-10-17", "Statement": statements },
        }]);
    }
    b.add(role.clone(), "AWS::IAM::Role", role_properties);
    for queue in &function.event_sources {
        let queue_logical = b.id(queue);
        b.add(
            format!("{logical}From{queue_logical}"),
            "AWS::Lambda::EventSourceMapping",
            json!({
                "EventSourceArn": get_att(&queue_logical, "Arn"),
                "FunctionName": reference(&logical),
                "BatchSize": 10,
            }),
        );
    }
    let mut properties = json!({
        "FunctionName": function.function_name,
        "Runtime": function.runtime.as_str(),
        "Handler": "index.handler",
        "MemorySize": function.memory_mb,
        "Timeout": function.timeout_seconds,
        "Role": get_att(&role, "Arn"),
        "Code": { "ZipFile": super::lookup::placeholder_source(function.runtime) },
        "LoggingConfig": { "LogGroup": reference(&log_group) },
        "TracingConfig": { "Mode": "Active" },
        "Tags": name_tag(&node.name),
    });
    if in_vpc {
        properties["VpcConfig"] = json!({
            "SubnetIds": b.ids(&function.subnets),
            "SecurityGroupIds": b.ids(&function.security_groups),
        });
    }
    let mut skips = vec![
        skip("CKV_AWS_115", "Reserved concurrency is taken from the account's pool; a new account's is too small to reserve from, and the deploy would fail"),
        skip("CKV_AWS_116", "Invoked synchronously (by a load balancer or directly); a dead-letter queue applies to asynchronous invocations only"),
        skip("CKV_AWS_173", "No environment variables are set"),
        skip("CKV_AWS_272", "Code signing needs a signing profile the diagram does not have"),
    ];
    if !in_vpc {
        skips.push(skip(
            "CKV_AWS_117",
            "The diagram places the function outside the VPCs; it reaches only AWS's APIs",
        ));
    }
    let resource = b.add(logical.clone(), "AWS::Lambda::Function", properties);
    suppress(resource, skips);
    // The HTTP APIs whose routes invoke it, as its resource policy allows
    // them: from any of the API's routes and stages.
    for invoker in &function.invokers {
        let routed = matches!(b.node(invoker).map(|n| &n.kind),
            Some(NodeKind::HttpApi(api)) if api.routes.iter().any(|r| r.target == node.id));
        if !routed {
            continue;
        }
        let api = b.id(invoker);
        b.add(
            format!("{logical}InvokeBy{api}"),
            "AWS::Lambda::Permission",
            json!({
                "Action": "lambda:InvokeFunction",
                "FunctionName": get_att(&logical, "Arn"),
                "Principal": "apigateway.amazonaws.com",
                "SourceArn": sub(&format!(
                    "arn:${{AWS::Partition}}:execute-api:${{AWS::Region}}:${{AWS::AccountId}}:${{{api}}}/*"
                )),
            }),
        );
    }
    // The load balancers whose target groups invoke it, as its resource
    // policy allows them; a target group registers the function only once
    // the permission exists.
    for (balancer, at) in b.lookup.balancers_of(&node.id).to_vec() {
        if !function.invokers.contains(&balancer.id) {
            continue;
        }
        b.add(
            invoke_permission(&logical, &b.id(&balancer.id), at),
            "AWS::Lambda::Permission",
            json!({
                "Action": "lambda:InvokeFunction",
                "FunctionName": get_att(&logical, "Arn"),
                "Principal": "elasticloadbalancing.amazonaws.com",
                // The target group's ARN would make a cycle with the group
                // waiting for this permission: the account bounds it.
                "SourceAccount": reference("AWS::AccountId"),
            }),
        );
    }
}

/// An Auto Scaling group: a launch template (the region's latest Amazon
/// Linux 2023, a web server on the group's port, IMDSv2, encrypted disk)
/// with an instance profile Systems Manager can manage, the group across
/// its subnets, registered with the target groups that send to it and
/// replacing instances their health checks fail.
fn add_auto_scaling(b: &mut Builder, node: &Node, group: &AutoScalingGroup) {
    let logical = b.id(&node.id);
    let profile = add_instance_profile(b, node);
    let template = format!("{logical}LaunchTemplate");
    let user_data = super::lookup::web_server_user_data(group.port);
    b.add(
        template.clone(),
        "AWS::EC2::LaunchTemplate",
        json!({
            "LaunchTemplateData": {
                "ImageId": reference("LatestAmiId"),
                "InstanceType": group.instance_type,
                "IamInstanceProfile": { "Arn": get_att(&profile, "Arn") },
                "SecurityGroupIds": b.ids(&group.security_groups),
                "MetadataOptions": { "HttpTokens": "required", "HttpEndpoint": "enabled" },
                "Monitoring": { "Enabled": true },
                "EbsOptimized": true,
                "BlockDeviceMappings": [{
                    "DeviceName": "/dev/xvda",
                    "Ebs": { "Encrypted": true, "VolumeType": "gp3", "VolumeSize": 8 },
                }],
                "UserData": { "Fn::Base64": user_data },
                "TagSpecifications": [{ "ResourceType": "instance", "Tags": name_tag(&node.name) }],
            },
        }),
    );
    let mut groups = Vec::new();
    let mut depends = Vec::new();
    for (other, at) in b.lookup.balancers_of(&node.id).to_vec() {
        let NodeKind::LoadBalancer(alb) = &other.kind else {
            continue;
        };
        let alb_logical = b.id(&other.id);
        groups.push(reference(&format!("{alb_logical}TargetGroup{}", at + 1)));
        for listener in &alb.listeners {
            depends.push(json!(format!("{alb_logical}Listener{}", listener.port)));
        }
    }
    let mut properties = json!({
        "MinSize": group.min_size.to_string(),
        "MaxSize": group.max_size.to_string(),
        "DesiredCapacity": group.desired_capacity.to_string(),
        "VPCZoneIdentifier": b.ids(&group.subnets),
        "LaunchTemplate": {
            "LaunchTemplateId": reference(&template),
            "Version": get_att(&template, "LatestVersionNumber"),
        },
        "HealthCheckType": if groups.is_empty() { "EC2" } else { "ELB" },
        "HealthCheckGracePeriod": 300,
        "Tags": [{ "Key": "Name", "Value": super::names::tag_value(&node.name), "PropagateAtLaunch": true }],
    });
    if !groups.is_empty() {
        properties["TargetGroupARNs"] = Value::Array(groups);
    }
    let resource = b.add(logical, "AWS::AutoScaling::AutoScalingGroup", properties);
    if !depends.is_empty() {
        resource.insert("DependsOn".into(), Value::Array(depends));
    }
}

/// The role and instance profile of a node's EC2 instances: Systems
/// Manager may manage them, and their code may use the data stores the
/// node draws lines to. Returns the profile's logical id.
fn add_instance_profile(b: &mut Builder, node: &Node) -> String {
    let logical = b.id(&node.id);
    let role = format!("{logical}InstanceRole");
    let mut role_properties = json!({
        "AssumeRolePolicyDocument": assumed_by("ec2.amazonaws.com"),
        "ManagedPolicyArns": [sub("arn:${AWS::Partition}:iam::aws:policy/AmazonSSMManagedInstanceCore")],
    });
    let used = super::lookup::data_used_by(b.diagram, &node.id);
    if !used.is_empty() {
        role_properties["Policies"] = json!([{
            "PolicyName": "use-data",
            "PolicyDocument": { "Version": "2012-10-17", "Statement": data_statements(b, &used) },
        }]);
    }
    b.add(role.clone(), "AWS::IAM::Role", role_properties);
    let profile = format!("{logical}InstanceProfile");
    b.add(
        profile.clone(),
        "AWS::IAM::InstanceProfile",
        json!({ "Roles": [reference(&role)] }),
    );
    profile
}

/// What every EC2 instance of the export has: the region's latest Amazon
/// Linux 2023, detailed monitoring, IMDSv2, an encrypted gp3 disk, one
/// interface in its subnet with its groups.
fn instance_properties(
    b: &Builder,
    node: &Node,
    instance_type: &str,
    subnet: &NodeId,
    groups: &[NodeId],
    public_ip: bool,
) -> Value {
    json!({
        "ImageId": reference("LatestAmiId"),
        "InstanceType": instance_type,
        "Monitoring": true,
        "EbsOptimized": true,
        "MetadataOptions": { "HttpTokens": "required", "HttpEndpoint": "enabled" },
        "BlockDeviceMappings": [{
            "DeviceName": "/dev/xvda",
            "Ebs": { "Encrypted": true, "VolumeType": "gp3", "VolumeSize": 8 },
        }],
        "NetworkInterfaces": [{
            "DeviceIndex": "0",
            "SubnetId": reference(&b.id(subnet)),
            "GroupSet": b.ids(groups),
            "AssociatePublicIpAddress": public_ip,
        }],
        "Tags": name_tag(&node.name),
    })
}

/// One EC2 instance: the region's latest Amazon Linux 2023, a web server
/// on its port from the first boot, IMDSv2, an encrypted disk and an
/// instance profile Systems Manager can manage it through.
fn add_instance(b: &mut Builder, node: &Node, instance: &Ec2Instance) {
    let logical = b.id(&node.id);
    let profile = add_instance_profile(b, node);
    let mut properties = instance_properties(
        b,
        node,
        &instance.instance_type,
        &instance.subnet,
        &instance.security_groups,
        instance.public_ip,
    );
    // An instance names its profile (the profile's Ref).
    properties["IamInstanceProfile"] = reference(&profile);
    properties["UserData"] =
        json!({ "Fn::Base64": super::lookup::web_server_user_data(instance.port) });
    let resource = b.add(logical.clone(), "AWS::EC2::Instance", properties);
    if instance.public_ip {
        suppress(
            resource,
            vec![skip(
                "CKV_AWS_88",
                "The diagram gives the instance a public IP",
            )],
        );
    }
    b.output(
        format!("{logical}PrivateIp"),
        "Instance private address",
        get_att(&logical, "PrivateIp"),
    );
}

/// An HTTP API: its default stage (deployed on every change, with access
/// logs), a VPC link when it forwards to load balancers, and an
/// integration and a route per route.
fn add_http_api(b: &mut Builder, node: &Node, api: &HttpApi) {
    let logical = b.id(&node.id);
    let logs = format!("{logical}AccessLogs");
    let resource = b.add(
        logs.clone(),
        "AWS::Logs::LogGroup",
        json!({ "RetentionInDays": 365 }),
    );
    suppress(resource, vec![skip("CKV_AWS_158", "CloudWatch Logs encrypts at rest by default; a customer managed key is the user's choice")]);
    b.add(
        logical.clone(),
        "AWS::ApiGatewayV2::Api",
        json!({
            "Name": api.api_name,
            "ProtocolType": "HTTP",
            "Tags": { "Name": super::names::tag_value(&node.name) },
        }),
    );
    b.add(
        format!("{logical}Stage"),
        "AWS::ApiGatewayV2::Stage",
        json!({
            "ApiId": reference(&logical),
            "StageName": "$default",
            "AutoDeploy": true,
            "AccessLogSettings": {
                "DestinationArn": get_att(&logs, "Arn"),
                "Format": super::lookup::API_ACCESS_LOG,
            },
        }),
    );
    let link = format!("{logical}VpcLink");
    if !api.vpc_link_subnets.is_empty() {
        b.add(
            link.clone(),
            "AWS::ApiGatewayV2::VpcLink",
            json!({
                "Name": format!("{}-link", api.api_name),
                "SubnetIds": b.ids(&api.vpc_link_subnets),
                "SecurityGroupIds": b.ids(&api.vpc_link_security_groups),
            }),
        );
    }
    for (at, route) in api.routes.iter().enumerate() {
        let integration = format!("{logical}Integration{}", at + 1);
        let target = b.id(&route.target);
        let properties = match b.node(&route.target).map(|n| &n.kind) {
            Some(NodeKind::LambdaFunction(_)) => json!({
                "ApiId": reference(&logical),
                "IntegrationType": "AWS_PROXY",
                "IntegrationUri": get_att(&target, "Arn"),
                "PayloadFormatVersion": "2.0",
            }),
            Some(NodeKind::LoadBalancer(_)) => {
                let Some((listener, verified)) =
                    super::lookup::integrated_listener(b.diagram, &node.id, &route.target)
                else {
                    continue;
                };
                let mut properties = json!({
                    "ApiId": reference(&logical),
                    "IntegrationType": "HTTP_PROXY",
                    "IntegrationMethod": "ANY",
                    "IntegrationUri": reference(&format!("{target}Listener{}", listener.port)),
                    "ConnectionType": "VPC_LINK",
                    "ConnectionId": reference(&link),
                    "PayloadFormatVersion": "1.0",
                });
                if let Some(name) = verified {
                    properties["TlsConfig"] = json!({ "ServerNameToVerify": b.domain(name) });
                }
                properties
            }
            _ => continue,
        };
        b.add(
            integration.clone(),
            "AWS::ApiGatewayV2::Integration",
            properties,
        );
        let resource = b.add(
            format!("{logical}Route{}", at + 1),
            "AWS::ApiGatewayV2::Route",
            json!({
                "ApiId": reference(&logical),
                "RouteKey": route.route_key,
                "Target": { "Fn::Join": ["/", ["integrations", reference(&integration)]] },
            }),
        );
        suppress(
            resource,
            vec![skip(
                "CKV_AWS_309",
                "A public API: what it routes to decides who may call it",
            )],
        );
    }
    b.output(
        format!("{logical}Url"),
        "HTTP API URL",
        get_att(&logical, "ApiEndpoint"),
    );
}

/// The logical id of the permission letting a load balancer's target group
/// (`at`, from zero) invoke a function.
fn invoke_permission(function: &str, balancer: &str, at: usize) -> String {
    format!("{function}InvokeBy{balancer}TargetGroup{}", at + 1)
}

fn add_service(b: &mut Builder, node: &Node, service: &FargateService) {
    let logical = b.id(&node.id);
    let log_group = format!("{logical}Logs");
    let role = format!("{logical}ExecutionRole");
    let resource = b.add(
        log_group.clone(),
        "AWS::Logs::LogGroup",
        json!({ "RetentionInDays": 365 }),
    );
    suppress(resource, vec![skip("CKV_AWS_158", "CloudWatch Logs encrypts at rest by default; a customer managed key is the user's choice")]);

    let mut secret_arns = Vec::new();
    let containers: Vec<Value> = service
        .containers
        .iter()
        .map(|container| {
            let image = match &container.image {
                ContainerImage::Ecr(repository) => sub(&format!(
                    "${{AWS::AccountId}}.dkr.ecr.${{AWS::Region}}.amazonaws.com/${{{}}}:${{ImageTag}}",
                    b.id(repository)
                )),
                ContainerImage::Registry(image) => json!(image),
            };
            let mut definition = json!({
                "Name": container.name,
                "Image": image,
                "Essential": container.essential,
                "LogConfiguration": {
                    "LogDriver": "awslogs",
                    "Options": {
                        "awslogs-group": reference(&log_group),
                        "awslogs-region": reference("AWS::Region"),
                        "awslogs-stream-prefix": container.name,
                    },
                },
            });
            if let Some(port) = container.port {
                definition["PortMappings"] = json!([{ "ContainerPort": port, "Protocol": "tcp" }]);
            }
            if !container.environment.is_empty() {
                definition["Environment"] = Value::Array(
                    container
                        .environment
                        .iter()
                        .map(|variable| {
                            let value = match &variable.value {
                                EnvironmentValue::Text(value) => text(value),
                                EnvironmentValue::EndpointOf(target) => match b.node(target).map(|n| &n.kind) {
                                    Some(NodeKind::LoadBalancer(_)) => get_att(&b.id(target), "DNSName"),
                                    Some(NodeKind::ElasticacheCache(_)) => {
                                        get_att(&b.id(target), "PrimaryEndPoint.Address")
                                    }
                                    _ => get_att(&b.id(target), "Endpoint.Address"),
                                },
                            };
                            json!({ "Name": variable.name, "Value": value })
                        })
                        .collect(),
                );
            }
            if !container.secrets.is_empty() {
                definition["Secrets"] = Value::Array(
                    container
                        .secrets
                        .iter()
                        .map(|secret| {
                            let (arn, value_from) = match &secret.from {
                                SecretSource::DatabasePassword(database) => {
                                    let arn = match b.lookup.credentials_of(database) {
                                        // A secret's Ref is its ARN.
                                        Some(secret) => reference(&b.id(&secret.id)),
                                        None => get_att(&b.id(database), "MasterUserSecret.SecretArn"),
                                    };
                                    let value_from = json!({ "Fn::Join": ["", [arn.clone(), ":password::"]] });
                                    (arn, value_from)
                                }
                                SecretSource::SecretsManager(name) => {
                                    let (secret_name, key) = name.split_once(':').unwrap_or((name, ""));
                                    let arn = sub(&format!(
                                        "arn:${{AWS::Partition}}:secretsmanager:${{AWS::Region}}:${{AWS::AccountId}}:secret:{}-*",
                                        sub_literal(secret_name)
                                    ));
                                    let value_from = if key.is_empty() {
                                        sub(&format!(
                                            "arn:${{AWS::Partition}}:secretsmanager:${{AWS::Region}}:${{AWS::AccountId}}:secret:{}",
                                            sub_literal(secret_name)
                                        ))
                                    } else {
                                        sub(&format!(
                                            "arn:${{AWS::Partition}}:secretsmanager:${{AWS::Region}}:${{AWS::AccountId}}:secret:{}:{}",
                                            sub_literal(secret_name),
                                            sub_literal(key)
                                        ))
                                    };
                                    (arn, value_from)
                                }
                            };
                            secret_arns.push(arn);
                            json!({ "Name": secret.name, "ValueFrom": value_from })
                        })
                        .collect(),
                );
            }
            definition
        })
        .collect();

    let mut role_properties = json!({
        "AssumeRolePolicyDocument": assumed_by("ecs-tasks.amazonaws.com"),
        "ManagedPolicyArns": [sub("arn:${AWS::Partition}:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy")],
    });
    if !secret_arns.is_empty() {
        role_properties["Policies"] = json!([{
            "PolicyName": "read-secrets",
            "PolicyDocument": {
                "Version": "2012-10-17",
                "Statement": [{
                    "Effect": "Allow",
                    "Action": "secretsmanager:GetSecretValue",
                    "Resource": secret_arns,
                }],
            },
        }]);
    }
    b.add(role.clone(), "AWS::IAM::Role", role_properties);

    // What the tasks' own code may do: the tables, queues, topics and
    // buckets the service draws lines to.
    let used = super::lookup::data_used_by(b.diagram, &node.id);
    let task_role = (!used.is_empty()).then(|| format!("{logical}TaskRole"));
    if let Some(task_role) = &task_role {
        let statements = data_statements(b, &used);
        b.add(
            task_role.clone(),
            "AWS::IAM::Role",
            json!({
                "AssumeRolePolicyDocument": assumed_by("ecs-tasks.amazonaws.com"),
                "Policies": [{
                    "PolicyName": "use-data",
                    "PolicyDocument": {
                        "Version": "2012-10-17",
                        "Statement": statements,
                    },
                }],
            }),
        );
    }

    let task = format!("{logical}TaskDefinition");
    let mut definition = json!({
        "Family": super::names::resource_name(node.id.as_str()),
        "Cpu": service.cpu.to_string(),
        "Memory": service.memory.to_string(),
        "NetworkMode": "awsvpc",
        "RequiresCompatibilities": ["FARGATE"],
        "ExecutionRoleArn": get_att(&role, "Arn"),
        "ContainerDefinitions": containers,
    });
    if let Some(task_role) = &task_role {
        definition["TaskRoleArn"] = get_att(task_role, "Arn");
    }
    b.add(task.clone(), "AWS::ECS::TaskDefinition", definition);

    // Load balancers that send to this service, and the listeners it waits for.
    let mut balancers = Vec::new();
    let mut depends = Vec::new();
    let senders = b.lookup.balancers_of(&node.id).to_vec();
    for (other, at) in senders {
        let NodeKind::LoadBalancer(alb) = &other.kind else {
            continue;
        };
        let Some(target) = alb.target_groups[at].target.as_ref() else {
            continue;
        };
        let port = service.target_port(target, alb.target_groups[at].port);
        let alb_logical = b.id(&other.id);
        balancers.push(json!({
            "ContainerName": target.container,
            "ContainerPort": port,
            "TargetGroupArn": reference(&format!("{alb_logical}TargetGroup{}", at + 1)),
        }));
        for listener in &alb.listeners {
            depends.push(json!(format!("{alb_logical}Listener{}", listener.port)));
        }
    }
    let mut properties = json!({
        "ServiceName": super::names::resource_name(node.id.as_str()),
        "LaunchType": "FARGATE",
        "DesiredCount": if service.starts_after_first_push() {
            reference(&desired_count_parameter(&logical))
        } else {
            json!(service.desired_count)
        },
        "TaskDefinition": reference(&task),
        "DeploymentConfiguration": {
            "MinimumHealthyPercent": service.min_healthy_percent,
            "MaximumPercent": service.max_percent,
            "DeploymentCircuitBreaker": { "Enable": true, "Rollback": true },
        },
        "NetworkConfiguration": {
            "AwsvpcConfiguration": {
                "Subnets": b.ids(&service.subnets),
                "SecurityGroups": b.ids(&service.security_groups),
                "AssignPublicIp": if service.assign_public_ip { "ENABLED" } else { "DISABLED" },
            },
        },
        "Tags": name_tag(&node.name),
    });
    if let Some(cluster) = &service.cluster {
        properties["Cluster"] = reference(&b.id(cluster));
    }
    if !balancers.is_empty() {
        properties["LoadBalancers"] = Value::Array(balancers);
        properties["HealthCheckGracePeriodSeconds"] = json!(60);
    }
    let resource = b.add(logical, "AWS::ECS::Service", properties);
    if !depends.is_empty() {
        resource.insert("DependsOn".into(), Value::Array(depends));
    }
}

/// A database's DB subnet group (named after its logical id).
fn add_subnet_group(b: &mut Builder, node: &Node, subnets: &[NodeId]) -> String {
    let subnet_group = format!("{}SubnetGroup", b.id(&node.id));
    b.add(
        subnet_group.clone(),
        "AWS::RDS::DBSubnetGroup",
        json!({
            "DBSubnetGroupDescription": tag_value(&format!("Subnets of {}", node.name)),
            "SubnetIds": b.ids(subnets),
        }),
    );
    subnet_group
}

/// What every RDS database (an Aurora cluster, an instance) sets alike: a
/// week of backups, tags on snapshots, deletion protection from the
/// parameter, IAM authentication, logs sent to CloudWatch.
fn database_operations(properties: &mut Value, logs: Value) {
    properties["BackupRetentionPeriod"] = json!(7);
    properties["CopyTagsToSnapshot"] = json!(true);
    properties["DeletionProtection"] = reference(DELETION_PROTECTION);
    properties["EnableIAMDatabaseAuthentication"] = json!(true);
    properties["EnableCloudwatchLogsExports"] = logs;
}

fn add_aurora(b: &mut Builder, node: &Node, aurora: &AuroraCluster) {
    let logical = b.id(&node.id);
    let subnet_group = add_subnet_group(b, node, &aurora.subnets);
    let engine = match aurora.engine {
        AuroraEngine::AuroraMysql => "aurora-mysql",
        AuroraEngine::AuroraPostgresql => "aurora-postgresql",
    };
    let logs = match aurora.engine {
        AuroraEngine::AuroraMysql => json!(["audit", "error", "general", "slowquery"]),
        AuroraEngine::AuroraPostgresql => json!(["postgresql"]),
    };
    let mut properties = json!({
        "Engine": engine,
        "EngineVersion": aurora.engine_version,
        "Port": aurora.port,
        "MasterUsername": aurora.master_username,
        "StorageEncrypted": aurora.storage_encrypted,
        "DBSubnetGroupName": reference(&subnet_group),
        "VpcSecurityGroupIds": b.ids(&aurora.security_groups),
    });
    database_operations(&mut properties, logs);
    properties["Tags"] = name_tag(&node.name);
    if !aurora.database_name.is_empty() {
        properties["DatabaseName"] = json!(aurora.database_name);
    }
    let drawn_secret = b.lookup.credentials_of(&node.id).is_some();
    if aurora.manage_master_password || drawn_secret {
        master_password(b, &node.id, &mut properties);
    } else {
        // A generated secret rather than a template parameter: the password
        // never appears in the template or the stack's parameters.
        let secret = format!("{logical}MasterSecret");
        let resource = b.add(
            secret.clone(),
            "AWS::SecretsManager::Secret",
            json!({
                "Description": aws_description(&format!("Master password of {}", node.name), 2048),
                "GenerateSecretString": {
                    "SecretStringTemplate": serde_json::to_string(&json!({ "username": aurora.master_username })).unwrap_or_default(),
                    "GenerateStringKey": "password",
                    "PasswordLength": 32,
                    "ExcludeCharacters": "\"@/\\'",
                },
            }),
        );
        suppress(resource, vec![
            skip("CKV_AWS_149", "Secrets Manager encrypts with its AWS managed key; a customer managed key is the user's choice"),
        ]);
        properties["MasterUserPassword"] = sub(&format!(
            "{{{{resolve:secretsmanager:${{{secret}}}:SecretString:password}}}}"
        ));
    }
    let resource = b.add(logical.clone(), "AWS::RDS::DBCluster", properties);
    let mut skips = Vec::new();
    if !aurora.storage_encrypted {
        skips.push(skip(
            "CKV_AWS_96",
            "Storage encryption is off in the diagram (stackdraw warns: VR-37)",
        ));
    }
    if !aurora.manage_master_password || drawn_secret {
        skips.push(skip(
            "CKV_AWS_162",
            "IAM authentication is on; the password comes from a generated secret",
        ));
    }
    suppress(resource, skips);
    resource.insert("DeletionPolicy".into(), json!("Snapshot"));
    resource.insert("UpdateReplacePolicy".into(), json!("Snapshot"));
    b.output(
        format!("{logical}Endpoint"),
        "Database writer endpoint",
        get_att(&logical, "Endpoint.Address"),
    );
    for n in 1..=aurora.instance_count.max(1) {
        let resource = b.add(
            format!("{logical}Instance{n}"),
            "AWS::RDS::DBInstance",
            json!({
                "Engine": engine,
                "DBClusterIdentifier": reference(&logical),
                "DBInstanceClass": aurora.instance_class,
                "PubliclyAccessible": aurora.publicly_accessible,
                "AutoMinorVersionUpgrade": true,
            }),
        );
        let mut skips = vec![skip(
            "CKV_AWS_118",
            "Enhanced monitoring needs a monitoring role the diagram does not have",
        )];
        if aurora.publicly_accessible {
            skips.push(skip("CKV_AWS_17", "The diagram makes the database publicly accessible (stackdraw checks the paths to it: VR-44)"));
        }
        suppress(resource, skips);
    }
}

/// An RDS database: its subnet group and the instance, with RDS keeping
/// the master password in Secrets Manager (tasks read it from there).
fn add_rds_instance(b: &mut Builder, node: &Node, database: &RdsInstance) {
    let logical = b.id(&node.id);
    let subnet_group = add_subnet_group(b, node, &database.subnets);
    let mut properties = json!({
        "Engine": database.engine.as_str(),
        "EngineVersion": database.engine_version,
        "DBInstanceClass": database.instance_class,
        "AllocatedStorage": database.allocated_storage.to_string(),
        "StorageType": "gp3",
        "MultiAZ": database.multi_az,
        "Port": database.port.to_string(),
        "MasterUsername": database.master_username,
        "StorageEncrypted": database.storage_encrypted,
        "PubliclyAccessible": database.publicly_accessible,
        "DBSubnetGroupName": reference(&subnet_group),
        "VPCSecurityGroups": b.ids(&database.security_groups),
    });
    database_operations(&mut properties, rds_logs(database.engine));
    master_password(b, &node.id, &mut properties);
    properties["AutoMinorVersionUpgrade"] = json!(true);
    properties["Tags"] = name_tag(&node.name);
    if !database.database_name.is_empty() {
        properties["DBName"] = json!(database.database_name);
    }
    let resource = b.add(logical.clone(), "AWS::RDS::DBInstance", properties);
    let mut skips = vec![skip(
        "CKV_AWS_118",
        "Enhanced monitoring needs a monitoring role the diagram does not have",
    )];
    if !database.multi_az {
        skips.push(skip(
            "CKV_AWS_157",
            "The diagram asks for a single-zone database (Multi-AZ is off)",
        ));
    }
    if !database.storage_encrypted {
        skips.push(skip(
            "CKV_AWS_16",
            "Storage encryption is off in the diagram (stackdraw warns: VR-37)",
        ));
    }
    if database.publicly_accessible {
        skips.push(skip("CKV_AWS_17", "The diagram makes the database publicly accessible (stackdraw checks the paths to it: VR-44)"));
    }
    suppress(resource, skips);
    resource.insert("DeletionPolicy".into(), json!("Snapshot"));
    resource.insert("UpdateReplacePolicy".into(), json!("Snapshot"));
    b.output(
        format!("{logical}Endpoint"),
        "Database endpoint",
        get_att(&logical, "Endpoint.Address"),
    );
}

/// An ElastiCache replication group of one shard, in a cache subnet group
/// of its own, encrypted at rest (and in transit unless the diagram says
/// otherwise), keeping a week of daily snapshots.
fn add_cache(b: &mut Builder, node: &Node, cache: &ElasticacheCache) {
    let logical = b.id(&node.id);
    let subnet_group = format!("{logical}SubnetGroup");
    b.add(
        subnet_group.clone(),
        "AWS::ElastiCache::SubnetGroup",
        json!({
            "Description": format!("Subnets of {}", node.name),
            "SubnetIds": b.ids(&cache.subnets),
        }),
    );
    let resource = b.add(
        logical.clone(),
        "AWS::ElastiCache::ReplicationGroup",
        json!({
            "ReplicationGroupDescription": super::lookup::description_of(node),
            "Engine": cache.engine.as_str(),
            "EngineVersion": cache.engine_version,
            "CacheNodeType": cache.node_type,
            "NumCacheClusters": 1 + u32::from(cache.replicas),
            "AutomaticFailoverEnabled": cache.multi_az,
            "MultiAZEnabled": cache.multi_az,
            "Port": cache.port,
            "CacheSubnetGroupName": reference(&subnet_group),
            "SecurityGroupIds": b.ids(&cache.security_groups),
            "AtRestEncryptionEnabled": true,
            "TransitEncryptionEnabled": cache.transit_encryption,
            "SnapshotRetentionLimit": 7,
            "AutoMinorVersionUpgrade": true,
            "Tags": name_tag(&node.name),
        }),
    );
    let mut skips = vec![skip(
        "CKV_AWS_31",
        "Clients are limited to the cache's security group; an AUTH token would be one shared password in every client's configuration",
    )];
    if !cache.transit_encryption {
        skips.push(skip(
            "CKV_AWS_30",
            "The diagram turns encryption in transit off",
        ));
    }
    suppress(resource, skips);
    b.output(
        format!("{logical}Endpoint"),
        "Cache primary endpoint",
        get_att(&logical, "PrimaryEndPoint.Address"),
    );
}

/// A DynamoDB table, billed on demand, encrypted at rest, protected from
/// deletion as the databases are, and kept when the stack is deleted.
fn add_table(b: &mut Builder, node: &Node, table: &DynamodbTable) {
    let logical = b.id(&node.id);
    let mut keys = vec![&table.partition_key];
    keys.extend(&table.sort_key);
    let attributes: Vec<Value> = keys
        .iter()
        .map(|key| json!({ "AttributeName": key.name, "AttributeType": key.attribute_type.letter() }))
        .collect();
    let mut schema = vec![json!({ "AttributeName": table.partition_key.name, "KeyType": "HASH" })];
    if let Some(sort) = &table.sort_key {
        schema.push(json!({ "AttributeName": sort.name, "KeyType": "RANGE" }));
    }
    let resource = b.add(
        logical.clone(),
        "AWS::DynamoDB::Table",
        json!({
            "TableName": table.table_name,
            "BillingMode": "PAY_PER_REQUEST",
            "AttributeDefinitions": attributes,
            "KeySchema": schema,
            "PointInTimeRecoverySpecification": {
                "PointInTimeRecoveryEnabled": table.point_in_time_recovery,
            },
            "SSESpecification": { "SSEEnabled": true },
            "DeletionProtectionEnabled": reference(DELETION_PROTECTION),
            "Tags": name_tag(&node.name),
        }),
    );
    let mut skips = vec![skip(
        "CKV_AWS_119",
        "Encrypted with the AWS managed key for DynamoDB; a customer managed key is the user's choice",
    )];
    if !table.point_in_time_recovery {
        skips.push(skip(
            "CKV_AWS_28",
            "Point-in-time recovery is off in the diagram",
        ));
    }
    suppress(resource, skips);
    resource.insert("DeletionPolicy".into(), json!("Retain"));
    resource.insert("UpdateReplacePolicy".into(), json!("Retain"));
    b.output(format!("{logical}Name"), "Table name", reference(&logical));
}

/// An SQS queue, encrypted with SQS's own keys.
fn add_queue(b: &mut Builder, node: &Node, queue: &SqsQueue) {
    let logical = b.id(&node.id);
    let mut properties = json!({
        "QueueName": queue.full_name(),
        "VisibilityTimeout": queue.visibility_timeout_seconds,
        "MessageRetentionPeriod": queue.message_retention_seconds,
        "SqsManagedSseEnabled": true,
        "Tags": name_tag(&node.name),
    });
    if queue.fifo {
        properties["FifoQueue"] = json!(true);
    }
    let resource = b.add(logical.clone(), "AWS::SQS::Queue", properties);
    suppress(
        resource,
        vec![skip(
            "CKV_AWS_27",
            "Encrypted with SQS's own keys (SqsManagedSseEnabled); the check reads only KmsMasterKeyId",
        )],
    );
    // The topics subscribed to it may send: SNS delivers as its service
    // principal, each topic named by its ARN.
    let topics: Vec<Value> = super::lookup::topics_sending_to(b.diagram, &node.id)
        .iter()
        .map(|topic| reference(&b.id(&topic.id)))
        .collect();
    if !topics.is_empty() {
        b.add(
            format!("{logical}Policy"),
            "AWS::SQS::QueuePolicy",
            json!({
                "Queues": [reference(&logical)],
                "PolicyDocument": {
                    "Version": "2012-10-17",
                    "Statement": [{
                        "Sid": "TopicsSend",
                        "Effect": "Allow",
                        "Principal": { "Service": "sns.amazonaws.com" },
                        "Action": "sqs:SendMessage",
                        "Resource": get_att(&logical, "Arn"),
                        "Condition": { "ArnEquals": { "aws:SourceArn": topics } },
                    }],
                },
            }),
        );
    }
    b.output(format!("{logical}Url"), "Queue URL", reference(&logical));
}

/// A database's master password: from the secret drawn to it (which the
/// database then reads at creation), else kept by RDS in a secret of its own.
fn master_password(b: &Builder, database: &NodeId, properties: &mut Value) {
    match b.lookup.credentials_of(database) {
        Some(secret) => {
            properties["MasterUserPassword"] = sub(&format!(
                "{{{{resolve:secretsmanager:${{{}}}:SecretString:password}}}}",
                b.id(&secret.id)
            ));
        }
        None => properties["ManageMasterUserPassword"] = json!(true),
    }
}

/// A Secrets Manager secret holding a generated value: a database's
/// username and password (attached to it, so the secret also learns its
/// address) or a string of the length asked for, which the user replaces.
fn add_secret(b: &mut Builder, node: &Node, secret: &Secret) {
    let logical = b.id(&node.id);
    let database = secret.database.as_ref().and_then(|id| b.node(id));
    let generated = match database.map(|d| &d.kind) {
        Some(NodeKind::AuroraCluster(AuroraCluster {
            master_username, ..
        }))
        | Some(NodeKind::RdsInstance(RdsInstance {
            master_username, ..
        })) => json!({
            "SecretStringTemplate": serde_json::to_string(&json!({ "username": master_username })).unwrap_or_default(),
            "GenerateStringKey": "password",
            "PasswordLength": secret.password_length,
            "ExcludeCharacters": super::lookup::PASSWORD_EXCLUDED,
        }),
        _ => json!({ "PasswordLength": secret.password_length, "ExcludePunctuation": true }),
    };
    let resource = b.add(
        logical.clone(),
        "AWS::SecretsManager::Secret",
        json!({
            "Name": secret.secret_name,
            "Description": aws_description(&super::lookup::description_of(node), 2048),
            "GenerateSecretString": generated,
            "Tags": name_tag(&node.name),
        }),
    );
    suppress(resource, vec![
        skip("CKV_AWS_149", "Secrets Manager encrypts with its AWS managed key; a customer managed key is the user's choice"),
    ]);
    if let Some(database) = database {
        let target_type = match database.tag() {
            KindTag::AuroraCluster => "AWS::RDS::DBCluster",
            _ => "AWS::RDS::DBInstance",
        };
        b.add(
            format!("{logical}Attachment"),
            "AWS::SecretsManager::SecretTargetAttachment",
            json!({
                "SecretId": reference(&logical),
                "TargetId": reference(&b.id(&database.id)),
                "TargetType": target_type,
            }),
        );
    }
    b.output(format!("{logical}Arn"), "Secret ARN", reference(&logical));
}

/// A WAF web ACL: AWS's managed rule groups and a rate limit in front of
/// what it protects, its requests logged to CloudWatch Logs for a year. A
/// CloudFront one outside us-east-1 is the user's (its ARN a parameter).
fn add_web_acl(b: &mut Builder, node: &Node, acl: &WebAcl) {
    if super::lookup::web_acl_elsewhere(b.diagram, acl) {
        return;
    }
    let logical = b.id(&node.id);
    let visibility = |metric: &str| {
        json!({
            "SampledRequestsEnabled": true,
            "CloudWatchMetricsEnabled": true,
            "MetricName": metric,
        })
    };
    let mut rules: Vec<Value> = acl
        .managed_groups()
        .into_iter()
        .enumerate()
        .map(|(at, group)| {
            json!({
                "Name": group,
                "Priority": at,
                "OverrideAction": { "None": {} },
                "Statement": { "ManagedRuleGroupStatement": { "VendorName": "AWS", "Name": group } },
                "VisibilityConfig": visibility(group),
            })
        })
        .collect();
    if let Some(limit) = acl.rate_limit {
        rules.push(json!({
            "Name": "rate-limit",
            "Priority": rules.len(),
            "Action": { "Block": {} },
            "Statement": { "RateBasedStatement": { "Limit": limit, "AggregateKeyType": "IP" } },
            "VisibilityConfig": visibility("rate-limit"),
        }));
    }
    let resource = b.add(
        logical.clone(),
        "AWS::WAFv2::WebACL",
        json!({
            "Scope": acl.scope.as_str(),
            "DefaultAction": { "Allow": {} },
            "Rules": rules,
            "VisibilityConfig": visibility(&logical),
            "Tags": name_tag(&node.name),
        }),
    );
    if !acl.known_bad_inputs {
        suppress(
            resource,
            vec![skip(
                "CKV_AWS_192",
                "The diagram turns the known-bad-inputs rules (Log4j) off",
            )],
        );
    }
    // WAF writes to log groups whose name starts with `aws-waf-logs-`, named
    // by an ARN without the `:*` that the log group's own Arn ends with.
    let logs = format!("{logical}Logs");
    let resource = b.add(
        logs.clone(),
        "AWS::Logs::LogGroup",
        json!({
            "LogGroupName": sub(&format!("aws-waf-logs-${{AWS::StackName}}-{}", node.id)),
            "RetentionInDays": 365,
        }),
    );
    suppress(resource, vec![skip("CKV_AWS_158", "CloudWatch Logs encrypts at rest by default; a customer managed key is the user's choice")]);
    b.add(
        format!("{logical}Logging"),
        "AWS::WAFv2::LoggingConfiguration",
        json!({
            "ResourceArn": get_att(&logical, "Arn"),
            "LogDestinationConfigs": [sub(&format!(
                "arn:${{AWS::Partition}}:logs:${{AWS::Region}}:${{AWS::AccountId}}:log-group:${{{logs}}}"
            ))],
        }),
    );
    for protected in &acl.protects {
        if b.node(protected).map(Node::tag) != Some(KindTag::LoadBalancer) {
            continue;
        }
        let target = b.id(protected);
        b.add(
            format!("{logical}{target}"),
            "AWS::WAFv2::WebACLAssociation",
            json!({
                // A load balancer's Ref is its ARN.
                "ResourceArn": reference(&target),
                "WebACLArn": get_att(&logical, "Arn"),
            }),
        );
    }
    b.output(
        format!("{logical}Arn"),
        "Web ACL ARN",
        get_att(&logical, "Arn"),
    );
}

/// An SNS topic, encrypted with SNS's AWS-managed key (whose policy lets
/// the account's principals publish through SNS), and its queues'
/// subscriptions.
fn add_topic(b: &mut Builder, node: &Node, topic: &SnsTopic) {
    let logical = b.id(&node.id);
    let mut properties = json!({
        "TopicName": topic.full_name(),
        "KmsMasterKeyId": "alias/aws/sns",
        "Tags": name_tag(&node.name),
    });
    if topic.fifo {
        properties["FifoTopic"] = json!(true);
    }
    b.add(logical.clone(), "AWS::SNS::Topic", properties);
    for subscription in &topic.subscriptions {
        let queue = b.id(&subscription.queue);
        let mut properties = json!({
            "TopicArn": reference(&logical),
            "Protocol": "sqs",
            "Endpoint": get_att(&queue, "Arn"),
        });
        if subscription.raw_message_delivery {
            properties["RawMessageDelivery"] = json!(true);
        }
        b.add(
            format!("{logical}To{queue}"),
            "AWS::SNS::Subscription",
            properties,
        );
    }
    b.output(format!("{logical}Arn"), "Topic ARN", reference(&logical));
}

/// The logs an RDS engine sends to CloudWatch Logs without an option or
/// parameter group of its own (RDS's `ExportableLogTypes`, less MySQL's
/// audit log, which needs an option group).
pub fn rds_logs(engine: RdsEngine) -> Value {
    match engine {
        RdsEngine::Mysql | RdsEngine::Mariadb => json!(["error", "general", "slowquery"]),
        RdsEngine::Postgres => json!(["postgresql", "upgrade"]),
    }
}

fn add_bucket(b: &mut Builder, node: &Node, bucket: &S3Bucket) {
    let logical = b.id(&node.id);
    let mut properties = json!({
        "BucketName": bucket.bucket_name,
        "OwnershipControls": { "Rules": [{ "ObjectOwnership": "BucketOwnerEnforced" }] },
        "BucketEncryption": {
            "ServerSideEncryptionConfiguration": [{
                "ServerSideEncryptionByDefault": { "SSEAlgorithm": "AES256" },
            }],
        },
        "PublicAccessBlockConfiguration": {
            "BlockPublicAcls": bucket.block_public_access,
            "BlockPublicPolicy": bucket.block_public_access,
            "IgnorePublicAcls": bucket.block_public_access,
            "RestrictPublicBuckets": bucket.block_public_access,
        },
        "Tags": name_tag(&node.name),
    });
    if bucket.versioning {
        properties["VersioningConfiguration"] = json!({ "Status": "Enabled" });
    }
    if bucket.website_hosting {
        properties["WebsiteConfiguration"] = json!({ "IndexDocument": "index.html" });
    }
    let mut skips = vec![skip(
        "CKV_AWS_18",
        "Access logs need a log bucket the diagram does not have",
    )];
    if !bucket.versioning {
        skips.push(skip("CKV_AWS_21", "Versioning is off in the diagram"));
    }
    if !bucket.block_public_access {
        for id in ["CKV_AWS_53", "CKV_AWS_54", "CKV_AWS_55", "CKV_AWS_56"] {
            skips.push(skip(id, "The diagram turns public access blocking off for this bucket (stackdraw warns: VR-39)"));
        }
    }
    let resource = b.add(logical.clone(), "AWS::S3::Bucket", properties);
    suppress(resource, skips);

    // CloudFront distributions reading this bucket through OAC.
    let readers: Vec<Value> = b
        .lookup
        .readers_of(&node.id)
        .iter()
        .map(|distribution| {
            sub(&format!(
                "arn:${{AWS::Partition}}:cloudfront::${{AWS::AccountId}}:distribution/${{{}}}",
                b.id(distribution)
            ))
        })
        .collect();
    let mut statements = vec![json!({
        "Sid": "DenyInsecureTransport",
        "Effect": "Deny",
        "Principal": "*",
        "Action": "s3:*",
        "Resource": [get_att(&logical, "Arn"), sub(&format!("${{{logical}.Arn}}/*"))],
        "Condition": { "Bool": { "aws:SecureTransport": "false" } },
    })];
    if !readers.is_empty() {
        statements.push(json!({
            "Sid": "AllowCloudFrontOriginAccessControl",
            "Effect": "Allow",
            "Principal": { "Service": "cloudfront.amazonaws.com" },
            "Action": "s3:GetObject",
            "Resource": sub(&format!("${{{logical}.Arn}}/*")),
            "Condition": { "StringEquals": { "AWS:SourceArn": readers } },
        }));
    }
    b.add(
        format!("{logical}Policy"),
        "AWS::S3::BucketPolicy",
        json!({
            "Bucket": reference(&logical),
            "PolicyDocument": { "Version": "2012-10-17", "Statement": statements },
        }),
    );
}

fn add_distribution(b: &mut Builder, node: &Node, distribution: &CloudFront) {
    let logical = b.id(&node.id);
    let mut origins = Vec::new();
    let mut behaviors = Vec::new();
    let mut default_behavior = None;
    for (at, origin) in distribution.origins.iter().enumerate() {
        let origin_id = format!("origin{}", at + 1);
        let target = b.id(&origin.target);
        let is_bucket = matches!(
            b.node(&origin.target).map(|n| &n.kind),
            Some(NodeKind::S3Bucket(_))
        );
        let definition = if is_bucket {
            let mut definition = json!({
                "Id": origin_id,
                "DomainName": get_att(&target, "RegionalDomainName"),
                "S3OriginConfig": { "OriginAccessIdentity": "" },
            });
            if origin.access == OriginAccess::Oac {
                let control = format!("{logical}Origin{}AccessControl", at + 1);
                b.add(
                    control.clone(),
                    "AWS::CloudFront::OriginAccessControl",
                    json!({
                        "OriginAccessControlConfig": {
                            "Name": sub(&format!("${{AWS::StackName}}-{}-{}", logical, at + 1)),
                            "OriginAccessControlOriginType": "s3",
                            "SigningBehavior": "always",
                            "SigningProtocol": "sigv4",
                        },
                    }),
                );
                definition["OriginAccessControlId"] = get_att(&control, "Id");
            }
            definition
        } else {
            json!({
                "Id": origin_id,
                "DomainName": get_att(&target, "DNSName"),
                "CustomOriginConfig": {
                    "OriginProtocolPolicy": if origin.access == OriginAccess::HttpOnly { "http-only" } else { "https-only" },
                    "OriginSSLProtocols": ["TLSv1.2"],
                },
            })
        };
        origins.push(definition);
        let (cache, request) = if is_bucket {
            (CACHING_OPTIMIZED, None)
        } else {
            (CACHING_DISABLED, Some(ALL_VIEWER_EXCEPT_HOST))
        };
        let mut behavior = json!({
            "TargetOriginId": origin_id,
            "ViewerProtocolPolicy": "redirect-to-https",
            "Compress": true,
            "CachePolicyId": cache,
        });
        if let Some(request) = request {
            behavior["OriginRequestPolicyId"] = json!(request);
            behavior["AllowedMethods"] =
                json!(["GET", "HEAD", "OPTIONS", "PUT", "PATCH", "POST", "DELETE"]);
        }
        match &origin.path_pattern {
            Some(pattern) => {
                behavior["PathPattern"] = json!(pattern);
                behaviors.push(behavior);
            }
            None if default_behavior.is_none() => default_behavior = Some(behavior),
            None => {}
        }
    }
    let default_behavior = default_behavior.unwrap_or_else(|| {
        json!({
            "TargetOriginId": "origin1",
            "ViewerProtocolPolicy": "redirect-to-https",
            "Compress": true,
            "CachePolicyId": CACHING_OPTIMIZED,
        })
    });
    let mut config = json!({
        "Enabled": true,
        "Comment": aws_description(&node.name, 128),
        "HttpVersion": "http2and3",
        "IPV6Enabled": true,
        "PriceClass": match distribution.price_class {
            PriceClass::PriceClass100 => "PriceClass_100",
            PriceClass::PriceClass200 => "PriceClass_200",
            PriceClass::PriceClassAll => "PriceClass_All",
        },
        "Origins": origins,
        "DefaultCacheBehavior": default_behavior,
    });
    if !distribution.default_root_object.is_empty() {
        config["DefaultRootObject"] = json!(distribution.default_root_object);
    }
    if !behaviors.is_empty() {
        config["CacheBehaviors"] = Value::Array(behaviors);
    }
    if !distribution.aliases.is_empty() {
        config["Aliases"] = Value::Array(
            distribution
                .aliases
                .iter()
                .map(|alias| b.domain(alias))
                .collect(),
        );
    }
    config["ViewerCertificate"] = match &distribution.certificate {
        Some(certificate) => json!({
            "AcmCertificateArn": certificate_arn(b, certificate),
            "SslSupportMethod": "sni-only",
            "MinimumProtocolVersion": "TLSv1.2_2021",
        }),
        None => json!({ "CloudFrontDefaultCertificate": true }),
    };
    let protected = b.lookup.web_acl_of(&node.id);
    if let Some((acl_node, acl)) = protected {
        let acl_logical = b.id(&acl_node.id);
        config["WebACLId"] = if super::lookup::web_acl_elsewhere(b.diagram, acl) {
            reference(&format!("{acl_logical}Arn"))
        } else {
            get_att(&acl_logical, "Arn")
        };
    }
    let resource = b.add(
        logical.clone(),
        "AWS::CloudFront::Distribution",
        json!({ "DistributionConfig": config, "Tags": name_tag(&node.name) }),
    );
    if protected.is_none() {
        suppress(
            resource,
            vec![skip(
                "CKV_AWS_68",
                "A web application firewall is a separate purchase the diagram does not include",
            )],
        );
    }
    suppress(
        resource,
        vec![
            skip(
                "CKV_AWS_86",
                "Access logs need a log bucket the diagram does not have",
            ),
            skip(
                "CKV_AWS_310",
                "Origin failover needs a second origin the diagram does not have",
            ),
            skip("CKV_AWS_374", "The site is served worldwide"),
        ],
    );
    if distribution.certificate.is_none() {
        suppress(
            resource,
            vec![skip("CKV_AWS_174", "Without a custom domain CloudFront serves its default certificate, whose TLS policy cannot be set")],
        );
    }
    b.output(
        format!("{logical}DomainName"),
        "CloudFront domain name",
        get_att(&logical, "DomainName"),
    );
    b.output(
        format!("{logical}DistributionId"),
        "CloudFront distribution id (the pipeline invalidates its cache)",
        reference(&logical),
    );
}

fn add_records(b: &mut Builder, node: &Node, zone: &Route53Zone) {
    let logical = b.id(&node.id);
    let domain_parameter = format!("{logical}DomainName");
    let hosted = format!("{logical}HostedZoneId");
    for (at, record) in zone.records.iter().enumerate() {
        let name = if record.name.is_empty() {
            reference(&domain_parameter)
        } else {
            sub(&format!(
                "{}.${{{domain_parameter}}}",
                sub_literal(&record.name)
            ))
        };
        let kind = match record.record_type {
            DnsRecordType::A => "A",
            DnsRecordType::Aaaa => "AAAA",
            DnsRecordType::Cname => "CNAME",
            DnsRecordType::Txt => "TXT",
        };
        let mut properties = json!({
            "HostedZoneId": reference(&hosted),
            "Name": name,
            "Type": kind,
        });
        match &record.target {
            DnsTarget::Alias(target) => {
                let target_logical = b.id(target);
                properties["AliasTarget"] = match b.node(target).map(|n| &n.kind) {
                    Some(NodeKind::CloudFront(_)) => json!({
                        "DNSName": get_att(&target_logical, "DomainName"),
                        "HostedZoneId": CLOUDFRONT_ZONE,
                        "EvaluateTargetHealth": false,
                    }),
                    _ => json!({
                        "DNSName": get_att(&target_logical, "DNSName"),
                        "HostedZoneId": get_att(&target_logical, "CanonicalHostedZoneID"),
                        "EvaluateTargetHealth": true,
                    }),
                };
            }
            DnsTarget::Values(values) => {
                properties["TTL"] = json!("300");
                properties["ResourceRecords"] = json!(values);
            }
        }
        b.add(
            format!("{logical}Record{}", at + 1),
            "AWS::Route53::RecordSet",
            properties,
        );
    }
}

fn add_pipeline_role(b: &mut Builder, node: &Node, pipeline: &Pipeline) {
    let PipelineAuth::OidcRole(role_name) = &pipeline.auth else {
        return;
    };
    let logical = b.id(&node.id);
    let provider = format!("{logical}OidcProvider");
    b.add(
        provider.clone(),
        "AWS::IAM::OIDCProvider",
        json!({
            "Url": sub("https://oidc.circleci.com/org/${CircleCiOrganizationId}"),
            "ClientIdList": [reference("CircleCiOrganizationId")],
        }),
    );
    let mut statements = Vec::new();
    let targets = b.lookup.pipeline_targets(pipeline);
    let repositories: Vec<Value> = targets
        .repositories
        .iter()
        .map(|id| get_att(&b.id(id), "Arn"))
        .collect();
    let services: Vec<Value> = targets
        .services
        .iter()
        .map(|id| reference(&b.id(id)))
        .collect();
    let task_roles: Vec<Value> = targets
        .services
        .iter()
        .map(|id| get_att(&format!("{}ExecutionRole", b.id(id)), "Arn"))
        .collect();
    let buckets: Vec<Value> = targets
        .buckets
        .iter()
        .flat_map(|id| {
            [
                get_att(&b.id(id), "Arn"),
                sub(&format!("${{{}.Arn}}/*", b.id(id))),
            ]
        })
        .collect();
    let distributions: Vec<Value> = targets
        .distributions
        .iter()
        .map(|id| {
            sub(&format!(
                "arn:${{AWS::Partition}}:cloudfront::${{AWS::AccountId}}:distribution/${{{}}}",
                b.id(id)
            ))
        })
        .collect();
    if !repositories.is_empty() {
        statements.push(
            json!({ "Effect": "Allow", "Action": "ecr:GetAuthorizationToken", "Resource": "*" }),
        );
        statements.push(json!({
            "Effect": "Allow",
            "Action": [
                "ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:CompleteLayerUpload",
                "ecr:DescribeImages", "ecr:DescribeRepositories", "ecr:InitiateLayerUpload",
                "ecr:PutImage", "ecr:UploadLayerPart",
            ],
            "Resource": repositories,
        }));
    }
    if !services.is_empty() {
        // The pipeline runs new images through this stack's parameters; the
        // update then registers a task definition revision, deregisters
        // the old one and updates the services with these credentials.
        statements.push(json!({
            "Effect": "Allow",
            "Action": ["cloudformation:DescribeStacks", "cloudformation:UpdateStack"],
            "Resource": sub("arn:${AWS::Partition}:cloudformation:${AWS::Region}:${AWS::AccountId}:stack/${AWS::StackName}/*"),
        }));
        // Every update resolves the template's SSM-typed parameters (the
        // bastion's image) again, with the caller's permissions.
        if b.parameters.values().any(|p| {
            p["Type"]
                .as_str()
                .is_some_and(|kind| kind.starts_with("AWS::SSM::Parameter::Value"))
        }) {
            statements.push(json!({
                "Effect": "Allow",
                "Action": "ssm:GetParameters",
                "Resource": sub("arn:${AWS::Partition}:ssm:${AWS::Region}::parameter/aws/service/*"),
            }));
        }
        statements.push(json!({
            "Effect": "Allow",
            "Action": [
                "ecs:DeregisterTaskDefinition", "ecs:DescribeTaskDefinition",
                "ecs:RegisterTaskDefinition",
            ],
            "Resource": "*",
        }));
        statements.push(json!({
            "Effect": "Allow",
            "Action": ["ecs:UpdateService", "ecs:DescribeServices"],
            "Resource": services,
        }));
        statements.push(json!({
            "Effect": "Allow",
            "Action": "iam:PassRole",
            "Resource": task_roles,
            "Condition": { "StringEquals": { "iam:PassedToService": "ecs-tasks.amazonaws.com" } },
        }));
    }
    if !buckets.is_empty() {
        statements.push(json!({
            "Effect": "Allow",
            "Action": ["s3:ListBucket", "s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
            "Resource": buckets,
        }));
    }
    if !distributions.is_empty() {
        statements.push(json!({
            "Effect": "Allow",
            "Action": "cloudfront:CreateInvalidation",
            "Resource": distributions,
        }));
    }
    let functions: Vec<Value> = targets
        .functions
        .iter()
        .map(|id| get_att(&b.id(id), "Arn"))
        .collect();
    if !functions.is_empty() {
        statements.push(json!({
            "Effect": "Allow",
            "Action": super::lookup::FUNCTION_DEPLOY_ACTIONS,
            "Resource": functions,
        }));
    }
    let role = format!("{logical}Role");
    // Condition keys hold the organization id, and keys cannot contain
    // intrinsic functions: the trust policy is a JSON string inside Fn::Sub.
    let trust = json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Effect": "Allow",
            "Principal": { "Federated": format!("${{{provider}}}") },
            "Action": "sts:AssumeRoleWithWebIdentity",
            "Condition": {
                "StringEquals": {
                    "oidc.circleci.com/org/${CircleCiOrganizationId}:aud": "${CircleCiOrganizationId}",
                },
                "StringLike": {
                    "oidc.circleci.com/org/${CircleCiOrganizationId}:sub": "org/${CircleCiOrganizationId}/project/*",
                },
            },
        }],
    });
    let mut properties = json!({
        "RoleName": role_name,
        "AssumeRolePolicyDocument": sub(&serde_json::to_string(&trust).unwrap_or_default()),
    });
    if !statements.is_empty() {
        properties["Policies"] = json!([{
            "PolicyName": "deploy",
            "PolicyDocument": { "Version": "2012-10-17", "Statement": statements },
        }]);
    }
    b.add(role.clone(), "AWS::IAM::Role", properties);
    b.output(
        format!("{logical}RoleArn"),
        "Role the CircleCI pipeline assumes",
        get_att(&role, "Arn"),
    );
}

/// The template as pretty JSON.
pub fn to_json(template: &Value) -> String {
    let mut text = super::json::pretty(template);
    text.push('\n');
    text
}
