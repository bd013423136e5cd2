//! The compact binary form of a diagram: what share links carry (after
//! compression), what the app keeps in browser storage, and how the export
//! worker hands a decoded file to the app (which then needs no JSON reader).
//!
//! Layout (version 1): the schema version, the name and region, every node
//! id, then each node's name and properties, the edges, the scopes and the
//! layout; from schema version 3, then the shapes of the edges' lines (each
//! shaped edge's position, its bends, whether it is straight). Numbers are
//! LEB128 varints; a reference to a node is its position in the id table
//! (plus one), or 0 and the id itself. Reading checks every
//! length against what is left, so hostile bytes cannot make it allocate or
//! loop more than the input allows; it never panics.

use super::file::{consistency_problems, Limits};
use crate::domain::model::*;
use std::collections::{BTreeMap, HashMap};

/// Why bytes are not a diagram.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WireError(pub String);

impl std::fmt::Display for WireError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

fn error<T>(message: impl Into<String>) -> Result<T, WireError> {
    Err(WireError(message.into()))
}

pub struct Writer {
    out: Vec<u8>,
    index: HashMap<String, usize>,
}

pub struct Reader<'a> {
    data: &'a [u8],
    at: usize,
    ids: Vec<NodeId>,
    /// Ids to replace while reading (a paste gives copies new ids).
    rename: Option<&'a BTreeMap<NodeId, NodeId>>,
    max_text: usize,
}

impl Writer {
    fn byte(&mut self, value: u8) {
        self.out.push(value);
    }

    fn varint(&mut self, mut value: u64) {
        loop {
            let low = (value & 0x7f) as u8;
            value >>= 7;
            if value == 0 {
                self.out.push(low);
                return;
            }
            self.out.push(low | 0x80);
        }
    }

    fn text(&mut self, text: &str) {
        self.varint(text.len() as u64);
        self.out.extend_from_slice(text.as_bytes());
    }
}

impl Reader<'_> {
    fn byte(&mut self) -> Result<u8, WireError> {
        let value = *self
            .data
            .get(self.at)
            .ok_or_else(|| WireError("the data ends too early".into()))?;
        self.at += 1;
        Ok(value)
    }

    fn varint(&mut self) -> Result<u64, WireError> {
        let mut value: u64 = 0;
        for shift in (0..64).step_by(7) {
            let byte = self.byte()?;
            value |= u64::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                return Ok(value);
            }
        }
        error("a number is too long")
    }

    fn remaining(&self) -> usize {
        self.data.len() - self.at
    }

    /// A count of items that each take at least one byte.
    fn count(&mut self) -> Result<usize, WireError> {
        let count = self.varint()?;
        if count > self.remaining() as u64 {
            return error("a list is longer than the data holding it");
        }
        Ok(count as usize)
    }

    fn text(&mut self) -> Result<String, WireError> {
        let length = self.count()?;
        let bytes = &self.data[self.at..self.at + length];
        self.at += length;
        let text = std::str::from_utf8(bytes)
            .map_err(|_| WireError("a text is not valid UTF-8".into()))?;
        if text.chars().count() > self.max_text {
            return error(format!(
                "a text is longer than {} characters",
                self.max_text
            ));
        }
        Ok(text.to_string())
    }
}

/// A value with a binary form.
pub trait Wire: Sized {
    fn put(&self, w: &mut Writer);
    fn take(r: &mut Reader) -> Result<Self, WireError>;
}

impl Wire for bool {
    fn put(&self, w: &mut Writer) {
        w.byte(u8::from(*self));
    }
    fn take(r: &mut Reader) -> Result<Self, WireError> {
        match r.byte()? {
            0 => Ok(false),
            1 => Ok(true),
            _ => error("a yes/no value is neither"),
        }
    }
}

macro_rules! wire_unsigned {
    ($($ty:ty),*) => {$(
        impl Wire for $ty {
            fn put(&self, w: &mut Writer) {
                w.varint(u64::from(*self));
            }
            fn take(r: &mut Reader) -> Result<Self, WireError> {
                <$ty>::try_from(r.varint()?)
                    .map_err(|_| WireError(format!("a number is out of range for {}", stringify!($ty))))
            }
        }
    )*};
}
wire_unsigned!(u8, u16, u32);

impl Wire for String {
    fn put(&self, w: &mut Writer) {
        w.text(self);
    }
    fn take(r: &mut Reader) -> Result<Self, WireError> {
        r.text()
    }
}

/// Coordinates: a multiple of 1/4 as a zig-zag varint (the usual case, a few
/// bytes), anything else as its 8 bytes, so every value survives exactly.
impl Wire for f64 {
    fn put(&self, w: &mut Writer) {
        let scaled = *self * 4.0;
        if scaled.fract() == 0.0
            && scaled.abs() < 9.0e15
            && !(*self == 0.0 && self.is_sign_negative())
        {
            let n = scaled as i64;
            let zigzag = ((n << 1) ^ (n >> 63)) as u64;
            w.varint(zigzag << 1);
        } else {
            w.varint(1);
            w.out.extend_from_slice(&self.to_le_bytes());
        }
    }
    fn take(r: &mut Reader) -> Result<Self, WireError> {
        let head = r.varint()?;
        if head & 1 == 0 {
            let zigzag = head >> 1;
            let n = ((zigzag >> 1) as i64) ^ -((zigzag & 1) as i64);
            Ok(n as f64 / 4.0)
        } else {
            let mut bytes = [0u8; 8];
            for byte in &mut bytes {
                *byte = r.byte()?;
            }
            Ok(f64::from_le_bytes(bytes))
        }
    }
}

impl<T: Wire> Wire for Option<T> {
    fn put(&self, w: &mut Writer) {
        match self {
            None => w.byte(0),
            Some(value) => {
                w.byte(1);
                value.put(w);
            }
        }
    }
    fn take(r: &mut Reader) -> Result<Self, WireError> {
        match r.byte()? {
            0 => Ok(None),
            1 => Ok(Some(T::take(r)?)),
            _ => error("an optional value is malformed"),
        }
    }
}

impl<T: Wire> Wire for Vec<T> {
    fn put(&self, w: &mut Writer) {
        w.varint(self.len() as u64);
        for item in self {
            item.put(w);
        }
    }
    fn take(r: &mut Reader) -> Result<Self, WireError> {
        let count = r.count()?;
        let mut items = Vec::with_capacity(count);
        for _ in 0..count {
            items.push(T::take(r)?);
        }
        Ok(items)
    }
}

impl Wire for Cidr {
    fn put(&self, w: &mut Writer) {
        w.varint(u64::from(u32::from(self.addr())));
        w.byte(self.prefix_len());
    }
    fn take(r: &mut Reader) -> Result<Self, WireError> {
        let addr = u32::try_from(r.varint()?)
            .map_err(|_| WireError("an address is out of range".into()))?;
        let prefix = r.byte()?;
        Cidr::new(std::net::Ipv4Addr::from(addr), prefix).map_err(|e| WireError(e.to_string()))
    }
}

/// A reference to a node: its place in the id table, or the id itself.
impl Wire for NodeId {
    fn put(&self, w: &mut Writer) {
        match w.index.get(self.as_str()) {
            Some(at) => w.varint(*at as u64 + 1),
            None => {
                w.varint(0);
                w.text(self.as_str());
            }
        }
    }
    fn take(r: &mut Reader) -> Result<Self, WireError> {
        let id = match r.varint()? {
            0 => NodeId::new(r.text()?).map_err(|e| WireError(e.to_string()))?,
            n => r
                .ids
                .get((n - 1) as usize)
                .cloned()
                .ok_or_else(|| WireError("a reference points past the node list".into()))?,
        };
        Ok(match r.rename.and_then(|map| map.get(&id)) {
            Some(renamed) => renamed.clone(),
            None => id,
        })
    }
}

macro_rules! wire_text_id {
    ($($ty:ident),*) => {$(
        impl Wire for $ty {
            fn put(&self, w: &mut Writer) {
                w.text(self.as_str());
            }
            fn take(r: &mut Reader) -> Result<Self, WireError> {
                $ty::new(r.text()?).map_err(|e| WireError(e.to_string()))
            }
        }
    )*};
}
wire_text_id!(EdgeId, ScopeId);

/// Structs: their fields in order.
macro_rules! wire_struct {
    ($($ty:ident { $($field:ident),* })*) => {$(
        impl Wire for $ty {
            #[allow(unused_variables)]
            fn put(&self, w: &mut Writer) {
                $( self.$field.put(w); )*
            }
            #[allow(unused_variables)]
            fn take(r: &mut Reader) -> Result<Self, WireError> {
                Ok($ty { $( $field: Wire::take(r)? ),* })
            }
        }
    )*};
}

/// Enums: a tag byte per variant, then the variant's value if it has one.
/// Tags are part of the format: never reuse or renumber one.
macro_rules! wire_enum {
    ($ty:ident { $($tag:literal => $variant:ident $(($inner:ident))?),* $(,)? }) => {
        impl Wire for $ty {
            fn put(&self, w: &mut Writer) {
                match self {
                    $( wire_enum!(@pattern $ty $variant $($inner)?) => {
                        w.byte($tag);
                        wire_enum!(@put w $($inner)?);
                    } )*
                }
            }
            fn take(r: &mut Reader) -> Result<Self, WireError> {
                match r.byte()? {
                    $( $tag => Ok(wire_enum!(@make r $ty $variant $($inner)?)), )*
                    other => error(format!("{} has no variant {other}", stringify!($ty))),
                }
            }
        }
    };
    (@pattern $ty:ident $variant:ident $inner:ident) => { $ty::$variant($inner) };
    (@pattern $ty:ident $variant:ident) => { $ty::$variant };
    (@put $w:ident $inner:ident) => { $inner.put($w) };
    (@put $w:ident) => { () };
    (@make $r:ident $ty:ident $variant:ident $inner:ident) => { $ty::$variant(Wire::take($r)?) };
    (@make $r:ident $ty:ident $variant:ident) => { $ty::$variant };
}

wire_enum!(NatConnectivity { 0 => Public, 1 => Private });
wire_enum!(EndpointService { 0 => S3, 1 => EcrApi, 2 => EcrDkr, 3 => Logs, 4 => SecretsManager, 5 => Dynamodb, 6 => Sqs, 7 => Sns });
wire_enum!(KeyType { 0 => String, 1 => Number, 2 => Binary });
wire_enum!(Protocol { 0 => Tcp, 1 => Udp, 2 => Icmp, 3 => All });
wire_enum!(AclAction { 0 => Allow, 1 => Deny });
wire_enum!(LoadBalancerScheme { 0 => InternetFacing, 1 => Internal });
wire_enum!(ListenerProtocol { 0 => Http, 1 => Https });
wire_enum!(TargetType { 0 => Ip, 1 => Instance, 2 => Lambda });
wire_enum!(AuroraEngine { 0 => AuroraMysql, 1 => AuroraPostgresql });
wire_enum!(RdsEngine { 0 => Mysql, 1 => Postgres, 2 => Mariadb });
wire_enum!(CacheEngine { 0 => Valkey, 1 => Redis });
wire_enum!(LambdaRuntime { 0 => Nodejs22, 1 => Python313 });
wire_enum!(WafScope { 0 => Regional, 1 => Cloudfront });
wire_enum!(OriginAccess { 0 => Oac, 1 => LegacyOai, 2 => Public, 3 => HttpsOnly, 4 => HttpOnly });
wire_enum!(PriceClass { 0 => PriceClass100, 1 => PriceClass200, 2 => PriceClassAll });
wire_enum!(DnsRecordType { 0 => A, 1 => Aaaa, 2 => Cname, 3 => Txt });
wire_enum!(Peer { 0 => Cidr(x), 1 => SecurityGroup(x) });
wire_enum!(ListenerAction { 0 => Forward(x), 1 => RedirectToHttps, 2 => FixedResponse(x) });
wire_enum!(ContainerImage { 0 => Ecr(x), 1 => Registry(x) });
wire_enum!(EnvironmentValue { 0 => Text(x), 1 => EndpointOf(x) });
wire_enum!(SecretSource { 0 => SecretsManager(x), 1 => DatabasePassword(x) });
wire_enum!(DnsTarget { 0 => Alias(x), 1 => Values(x) });
wire_enum!(PipelineAuth { 0 => OidcRole(x), 1 => AccessKeys });
wire_enum!(NodeKind {
    0 => Vpc(x), 1 => Subnet(x), 2 => InternetGateway(x), 3 => NatGateway(x),
    4 => RouteTable(x), 5 => VpcEndpoint(x), 6 => SecurityGroup(x), 7 => VpcPeering(x),
    8 => LoadBalancer(x), 9 => EcsCluster(x), 10 => FargateService(x), 11 => AuroraCluster(x),
    12 => Bastion(x), 13 => S3Bucket(x), 14 => CloudFront(x), 15 => Route53Zone(x),
    16 => AcmCertificate(x), 17 => EcrRepository(x), 18 => Pipeline(x), 19 => Internet(x),
    20 => ExternalClient(x), 21 => NetworkAcl(x), 22 => OtherResource(x), 23 => RdsInstance(x),
    24 => DynamodbTable(x), 25 => SqsQueue(x), 26 => SnsTopic(x), 27 => ElasticacheCache(x),
    28 => LambdaFunction(x), 29 => HttpApi(x), 30 => AutoScalingGroup(x), 31 => Secret(x),
    32 => WebAcl(x), 33 => Ec2Instance(x),
});

wire_struct! {
    Vpc { cidr, secondary_cidrs, dns_support, dns_hostnames }
    Subnet { vpc, cidr, az, route_table }
    InternetGateway { vpc }
    NatGateway { subnet, connectivity, elastic_ip }
    RouteTable { vpc, routes }
    Route { destination, target }
    VpcEndpoint { vpc, service, route_tables, subnets, security_groups }
    SecurityGroup { vpc, description, ingress, egress }
    SecurityGroupRule { protocol, from_port, to_port, peer, description }
    VpcPeering { requester, accepter }
    NetworkAcl { vpc, subnets, inbound, outbound }
    AclRule { number, action, protocol, from_port, to_port, cidr }
    LoadBalancer { scheme, subnets, security_groups, listeners, target_groups }
    Listener { port, protocol, certificate, action }
    TargetGroup { name, protocol, port, target_type, health_check, target }
    ServiceTarget { service, container }
    HealthCheck { path, port, matcher, interval_seconds }
    EcsCluster { container_insights }
    FargateService { cluster, cpu, memory, containers, desired_count, subnets, security_groups, assign_public_ip, min_healthy_percent, max_percent }
    Container { name, image, port, essential, environment, secrets }
    EnvironmentVariable { name, value }
    ContainerSecret { name, from }
    AuroraCluster { engine, engine_version, port, database_name, master_username, manage_master_password, storage_encrypted, publicly_accessible, instance_class, instance_count, subnets, security_groups }
    RdsInstance { engine, engine_version, instance_class, allocated_storage, multi_az, port, database_name, master_username, storage_encrypted, publicly_accessible, subnets, security_groups }
    DynamodbTable { table_name, partition_key, sort_key, point_in_time_recovery }
    KeyAttribute { name, attribute_type }
    SqsQueue { queue_name, fifo, visibility_timeout_seconds, message_retention_seconds }
    SnsTopic { topic_name, fifo, subscriptions }
    ElasticacheCache { engine, engine_version, node_type, replicas, multi_az, port, transit_encryption, subnets, security_groups }
    LambdaFunction { function_name, runtime, memory_mb, timeout_seconds, subnets, security_groups, invokers, event_sources }
    HttpApi { api_name, routes, vpc_link_subnets, vpc_link_security_groups }
    AutoScalingGroup { instance_type, min_size, max_size, desired_capacity, port, subnets, security_groups }
    Ec2Instance { instance_type, subnet, security_groups, port, public_ip }
    Secret { secret_name, password_length, database }
    WebAcl { scope, common_rules, known_bad_inputs, ip_reputation, sql_injection, rate_limit, protects }
    ApiRoute { route_key, target }
    QueueSubscription { queue, raw_message_delivery, queue_policy_allows }
    Bastion { instance_type, subnet, security_groups, key_pair, public_ip }
    S3Bucket { bucket_name, block_public_access, versioning, website_hosting }
    CloudFront { origins, aliases, certificate, default_root_object, price_class }
    CloudFrontOrigin { target, path_pattern, access }
    Route53Zone { domain_name, records }
    DnsRecord { name, record_type, target }
    AcmCertificate { domain_name, subject_alternative_names, region, validation_zone }
    EcrRepository { repository_name, scan_on_push, immutable_tags }
    Pipeline { branch, context, auth, deploys, frontend }
    FrontendBuild { directory, build_command, output_directory }
    Internet { }
    ExternalClient { cidr }
    OtherResource { resource_type, source_id, placeholder, note, refers_to }
    Rect { x, y, w, h }
    Bend { x, y }
    AccessScope { id, from, to, port }
}

/// An edge's fields of format version 1; the shape of its line (version
/// 3) follows the layout, in its own section (see [`encode`]).
impl Wire for TrafficEdge {
    fn put(&self, w: &mut Writer) {
        self.id.put(w);
        self.from.put(w);
        self.to.put(w);
        self.protocol.put(w);
        self.port.put(w);
        self.label.put(w);
    }
    fn take(r: &mut Reader) -> Result<Self, WireError> {
        Ok(TrafficEdge {
            id: Wire::take(r)?,
            from: Wire::take(r)?,
            to: Wire::take(r)?,
            protocol: Wire::take(r)?,
            port: Wire::take(r)?,
            label: Wire::take(r)?,
            bends: Vec::new(),
            straight: false,
        })
    }
}

/// The first byte of every payload: the binary layout's own version.
pub const WIRE_VERSION: u8 = 1;

/// A diagram's binary form.
pub fn encode(diagram: &Diagram) -> Vec<u8> {
    let mut w = Writer {
        out: Vec::new(),
        index: HashMap::new(),
    };
    w.byte(WIRE_VERSION);
    let written = diagram.written_version();
    w.varint(u64::from(written));
    w.text(&diagram.name);
    w.text(&diagram.region);
    w.varint(diagram.nodes.len() as u64);
    for (at, node) in diagram.nodes.iter().enumerate() {
        w.text(node.id.as_str());
        w.index.entry(node.id.to_string()).or_insert(at);
    }
    for node in &diagram.nodes {
        w.text(&node.name);
        node.kind.put(&mut w);
    }
    diagram.edges.put(&mut w);
    diagram.scopes.put(&mut w);
    w.varint(diagram.layout.len() as u64);
    for (id, rect) in &diagram.layout {
        id.put(&mut w);
        rect.put(&mut w);
    }
    // Version 3: the edges whose lines the user shaped, by position.
    if written >= 3 {
        let shaped: Vec<(usize, &TrafficEdge)> = diagram
            .edges
            .iter()
            .enumerate()
            .filter(|(_, edge)| edge.shaped())
            .collect();
        w.varint(shaped.len() as u64);
        for (at, edge) in shaped {
            w.varint(at as u64);
            edge.bends.put(&mut w);
            edge.straight.put(&mut w);
        }
    }
    w.out
}

/// A diagram from its binary form, checked like a file: within the limits,
/// every reference to a node of the right kind.
pub fn decode(bytes: &[u8], limits: &Limits) -> Result<Diagram, WireError> {
    if bytes.len() > limits.max_bytes {
        return error(format!(
            "the diagram is {} bytes, more than the {} allowed",
            bytes.len(),
            limits.max_bytes
        ));
    }
    let mut r = Reader {
        data: bytes,
        at: 0,
        ids: Vec::new(),
        rename: None,
        max_text: limits.max_text.max(64),
    };
    let diagram = read_diagram(&mut r, limits)?;
    if let Some(problem) = consistency_problems(&diagram, limits).into_iter().next() {
        return error(format!("{}: {}", problem.path, problem.message));
    }
    Ok(diagram)
}

fn read_diagram(r: &mut Reader, limits: &Limits) -> Result<Diagram, WireError> {
    match r.byte()? {
        WIRE_VERSION => {}
        other => {
            return error(format!(
                "this diagram was written in format {other}, which this version of stackdraw does not read (it reads {WIRE_VERSION})"
            ))
        }
    }
    let written = u32::take(r)?;
    if written == 0 || written > SCHEMA_VERSION {
        return error(format!(
            "this diagram was written in schema version {written}, by a newer stackdraw; this one reads versions 1 to {SCHEMA_VERSION}"
        ));
    }
    // Every older version reads as it is: each later one only added.
    let schema_version = SCHEMA_VERSION;
    let name = r.text()?;
    let region = r.text()?;
    let count = r.count()?;
    if count > limits.max_nodes {
        return error(format!(
            "{count} nodes, more than the {} allowed",
            limits.max_nodes
        ));
    }
    for _ in 0..count {
        let id = NodeId::new(r.text()?).map_err(|e| WireError(e.to_string()))?;
        r.ids.push(id);
    }
    let mut nodes = Vec::with_capacity(count);
    for at in 0..count {
        let name = r.text()?;
        let kind = NodeKind::take(r)?;
        nodes.push(Node {
            id: r.ids[at].clone(),
            name,
            kind,
        });
    }
    let mut edges: Vec<TrafficEdge> = Wire::take(r)?;
    if edges.len() > limits.max_edges {
        return error(format!(
            "{} edges, more than the {} allowed",
            edges.len(),
            limits.max_edges
        ));
    }
    let scopes: Vec<AccessScope> = Wire::take(r)?;
    let mut layout = BTreeMap::new();
    for _ in 0..r.count()? {
        let id = NodeId::take(r)?;
        let rect = Rect::take(r)?;
        layout.insert(id, rect);
    }
    if written >= 3 {
        for _ in 0..r.count()? {
            let at = r.varint()?;
            let edge = usize::try_from(at)
                .ok()
                .and_then(|at| edges.get_mut(at))
                .ok_or_else(|| WireError("a line's shape names an edge past the list".into()))?;
            edge.bends = Wire::take(r)?;
            edge.straight = Wire::take(r)?;
        }
    }
    if r.remaining() != 0 {
        return error("there are bytes after the end of the diagram");
    }
    Ok(Diagram {
        schema_version,
        name,
        region,
        nodes,
        edges,
        scopes,
        layout,
        index: Default::default(),
    })
}

/// A node's properties with some ids replaced: how a paste points copies at
/// each other. Goes through the binary form, which visits every reference.
pub fn renamed_kind(
    kind: &NodeKind,
    rename: &BTreeMap<NodeId, NodeId>,
) -> Result<NodeKind, WireError> {
    let mut w = Writer {
        out: Vec::new(),
        index: HashMap::new(),
    };
    kind.put(&mut w);
    let mut r = Reader {
        data: &w.out,
        at: 0,
        ids: Vec::new(),
        rename: Some(rename),
        max_text: usize::MAX,
    };
    NodeKind::take(&mut r)
}

/// One node kind's binary form, its references written as ids.
pub fn encode_kind(kind: &NodeKind) -> Vec<u8> {
    let mut w = Writer {
        out: Vec::new(),
        index: HashMap::new(),
    };
    kind.put(&mut w);
    w.out
}

pub fn decode_kind(bytes: &[u8]) -> Result<NodeKind, WireError> {
    let mut r = Reader {
        data: bytes,
        at: 0,
        ids: Vec::new(),
        rename: None,
        max_text: Limits::default().max_text,
    };
    let kind = NodeKind::take(&mut r)?;
    if r.remaining() != 0 {
        return error("there are bytes after the end of the properties");
    }
    Ok(kind)
}

/// Bytes as unpadded base64url (RFC 4648 §5): safe in a URL fragment and in
/// browser storage.
pub fn to_base64url(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |acc, (i, b)| acc | u32::from(*b) << (16 - 8 * i));
        for i in 0..=chunk.len() {
            out.push(ALPHABET[((n >> (18 - 6 * i)) & 0x3f) as usize] as char);
        }
    }
    out
}

pub fn from_base64url(text: &str) -> Result<Vec<u8>, WireError> {
    let value = |c: u8| -> Result<u32, WireError> {
        Ok(match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'-' => 62,
            b'_' => 63,
            _ => return error(format!("{:?} is not a base64url character", c as char)),
        } as u32)
    };
    let bytes = text.as_bytes();
    if bytes.len() % 4 == 1 {
        return error("the encoded data has a stray character at its end");
    }
    let mut out = Vec::with_capacity(bytes.len() * 3 / 4);
    for chunk in bytes.chunks(4) {
        let mut n = 0u32;
        for (i, c) in chunk.iter().enumerate() {
            n |= value(*c)? << (18 - 6 * i);
        }
        for i in 0..chunk.len() - 1 {
            out.push((n >> (16 - 8 * i)) as u8);
        }
    }
    Ok(out)
}
