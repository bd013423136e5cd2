//! Share links and the binary form behind them.

use crate::support::{every_kind, fixture_path, hostile};
use proptest::prelude::*;
use stackdraw::domain::codec::link::{self, decode_link, encode_link, SAFE_LINK_CHARS};
use stackdraw::domain::codec::wire;
use stackdraw::domain::codec::Limits;
use stackdraw::domain::model::*;
use stackdraw::domain::templates;

#[test]
fn the_seed_fits_a_link_that_survives_chat_and_email() {
    let fragment = encode_link(&templates::seed());
    println!("seed link: {} characters", fragment.len() + 1);
    assert!(
        fragment.len() < SAFE_LINK_CHARS,
        "{} characters",
        fragment.len()
    );
    assert_eq!(decode_link(&fragment).unwrap(), templates::seed());
}

#[test]
fn every_template_and_fixture_survives_a_link_exactly() {
    let mut diagrams: Vec<Diagram> = templates::TEMPLATES.iter().map(|t| t.build()).collect();
    diagrams.push(every_kind());
    diagrams.push(hostile());
    diagrams.push(templates::generated(500));
    for diagram in diagrams {
        let fragment = encode_link(&diagram);
        assert_eq!(
            decode_link(&format!("https://stackdraw.example/#{fragment}")).unwrap(),
            diagram
        );
        // The same diagram always makes the same link.
        assert_eq!(encode_link(&diagram), fragment);
    }
}

#[test]
fn links_of_each_past_version_still_open() {
    // v1: written when links were introduced; never rewrite this fixture.
    let v1 = std::fs::read_to_string(fixture_path("links/v1-seed.txt")).unwrap();
    // Templates are laid out anew from time to time; the design is the same.
    use crate::support::without_layout;
    assert_eq!(
        without_layout(&decode_link(&v1).unwrap()),
        without_layout(&templates::seed())
    );
    // Link layout v1 holding schema version 2 (network ACLs), written when
    // that version was introduced; never rewrite it either.
    let schema2 = std::fs::read_to_string(fixture_path("links/v1-schema2-three-tier.txt")).unwrap();
    let three_tier = templates::by_name("three-tier").unwrap().build();
    assert_eq!(
        without_layout(&decode_link(schema2.trim()).unwrap()),
        without_layout(&three_tier)
    );
    // Schema version 3 (shaped lines), written when it was introduced, like
    // the file beside it; never rewrite either.
    let schema3 =
        std::fs::read_to_string(fixture_path("links/v1-schema3-shaped-lines.txt")).unwrap();
    let file = std::fs::read_to_string(fixture_path("earlier/schema-3-shaped-lines.json")).unwrap();
    assert_eq!(
        decode_link(schema3.trim()).unwrap(),
        stackdraw::domain::codec::decode_file(&file).unwrap()
    );
    // Schema version 4 (other resources: an imported template's SNS
    // topic), with the file beside it; never rewrite either.
    let schema4 =
        std::fs::read_to_string(fixture_path("links/v1-schema4-imported-bastion.txt")).unwrap();
    let file =
        std::fs::read_to_string(fixture_path("earlier/schema-4-imported-bastion.json")).unwrap();
    assert_eq!(
        decode_link(schema4.trim()).unwrap(),
        stackdraw::domain::codec::decode_file(&file).unwrap()
    );
    // Schema version 5 (RDS databases, DynamoDB tables and their endpoints,
    // SQS queues), with the file beside it; never rewrite either.
    let schema5 =
        std::fs::read_to_string(fixture_path("links/v1-schema5-data-stores.txt")).unwrap();
    let file = std::fs::read_to_string(fixture_path("earlier/schema-5-data-stores.json")).unwrap();
    assert_eq!(
        decode_link(schema5.trim()).unwrap(),
        stackdraw::domain::codec::decode_file(&file).unwrap()
    );
    // Schema version 6 (SNS topics, their queue subscriptions and SNS
    // endpoints; ElastiCache caches), with the file beside it; never
    // rewrite either.
    let schema6 =
        std::fs::read_to_string(fixture_path("links/v1-schema6-topic-and-cache.txt")).unwrap();
    let file =
        std::fs::read_to_string(fixture_path("earlier/schema-6-topic-and-cache.json")).unwrap();
    assert_eq!(
        decode_link(schema6.trim()).unwrap(),
        stackdraw::domain::codec::decode_file(&file).unwrap()
    );
    // Schema version 7 (Lambda functions, what invokes or triggers them, HTTP
    // APIs, Auto Scaling groups),
    // with the file beside it; never rewrite either.
    let schema7 = std::fs::read_to_string(fixture_path("links/v1-schema7-compute.txt")).unwrap();
    let file = std::fs::read_to_string(fixture_path("earlier/schema-7-compute.json")).unwrap();
    assert_eq!(
        decode_link(schema7.trim()).unwrap(),
        stackdraw::domain::codec::decode_file(&file).unwrap()
    );
    // Schema version 8 (Secrets Manager secrets, one holding a database's
    // credentials; WAF web ACLs; EC2 instances), with the file beside it;
    // never rewrite either.
    let schema8 = std::fs::read_to_string(fixture_path("links/v1-schema8-security.txt")).unwrap();
    let file = std::fs::read_to_string(fixture_path("earlier/schema-8-security.json")).unwrap();
    assert_eq!(
        decode_link(schema8.trim()).unwrap(),
        stackdraw::domain::codec::decode_file(&file).unwrap()
    );
}

#[test]
fn a_diagram_is_written_in_the_lowest_version_that_holds_it() {
    // Nothing new: version 1, which every build reads.
    let seed = templates::seed();
    assert_eq!(seed.written_version(), 1);
    assert_eq!(wire::encode(&seed)[1], 1, "the binary form's schema byte");
    assert!(stackdraw::domain::codec::encode_file(&seed).contains("\"schema_version\": 1,"));
    // A network ACL needs version 2; read back, it is the newest in memory.
    let three_tier = templates::by_name("three-tier").unwrap().build();
    assert_eq!(three_tier.written_version(), 2);
    assert_eq!(wire::encode(&three_tier)[1], 2);
    // A bent or straight line needs version 3, whatever else it holds.
    for shape in [
        |edge: &mut TrafficEdge| edge.bends = vec![Bend { x: 8.0, y: 16.0 }],
        |edge: &mut TrafficEdge| edge.straight = true,
    ] {
        let mut shaped = templates::seed();
        shape(&mut shaped.edges[0]);
        assert_eq!(shaped.written_version(), 3);
        assert_eq!(wire::encode(&shaped)[1], 3);
        assert!(stackdraw::domain::codec::encode_file(&shaped).contains("\"schema_version\": 3,"));
        assert_eq!(decode_link(&encode_link(&shaped)).unwrap(), shaped);
    }
    // An other resource needs version 4.
    let mut other = templates::seed();
    other.nodes.push(Node {
        id: NodeId::new("topic").unwrap(),
        name: "topic".into(),
        kind: NodeKind::OtherResource(OtherResource {
            resource_type: "AWS::Kinesis::Stream".into(),
            source_id: String::new(),
            placeholder: false,
            note: String::new(),
            refers_to: Vec::new(),
        }),
    });
    assert_eq!(other.written_version(), 4);
    assert_eq!(wire::encode(&other)[1], 4);
    assert_eq!(decode_link(&encode_link(&other)).unwrap(), other);
    // An RDS database needs version 5; the link and the file carry it.
    let mut database = templates::seed();
    crate::support::add_orders_database(&mut database, true);
    assert_eq!(database.written_version(), 5);
    assert_eq!(wire::encode(&database)[1], 5);
    assert_eq!(decode_link(&encode_link(&database)).unwrap(), database);
    // An SNS topic needs version 6.
    let mut topic = templates::seed();
    crate::support::add_jobs_queue(&mut topic);
    crate::support::add_events_topic(&mut topic);
    assert_eq!(topic.written_version(), 6);
    assert_eq!(wire::encode(&topic)[1], 6);
    assert_eq!(decode_link(&encode_link(&topic)).unwrap(), topic);
    // A Lambda function, and a target group invoking one, need version 7.
    let mut function = templates::seed();
    crate::support::add_orders_table(&mut function);
    crate::support::add_orders_function(&mut function, LambdaRuntime::Nodejs22);
    assert_eq!(function.written_version(), 7);
    assert_eq!(wire::encode(&function)[1], 7);
    assert_eq!(decode_link(&encode_link(&function)).unwrap(), function);
    let mut target_only = templates::seed();
    if let NodeKind::LoadBalancer(alb) = crate::support::kind_mut(&mut target_only, "alb") {
        alb.target_groups[0].target_type = TargetType::Lambda;
    }
    assert_eq!(target_only.written_version(), 7);
    // A secret, a web ACL or an EC2 instance needs version 8.
    for add in [
        crate::support::add_payments_secret as fn(&mut Diagram),
        |d: &mut Diagram| crate::support::add_firewall(d, WafScope::Regional, &["alb"]),
        crate::support::add_admin_instance,
    ] {
        let mut diagram = templates::seed();
        add(&mut diagram);
        assert_eq!(diagram.written_version(), 8);
    }
    let every_kind = crate::support::every_kind();
    assert_eq!(every_kind.written_version(), 8);
    assert_eq!(wire::encode(&every_kind)[1], 8);
    assert_eq!(decode_link(&encode_link(&every_kind)).unwrap(), every_kind);
    let text = stackdraw::domain::codec::encode_file(&every_kind);
    assert!(text.contains("\"schema_version\": 8,"));
    assert_eq!(
        stackdraw::domain::codec::decode_file(&text).unwrap(),
        every_kind
    );
    let text = stackdraw::domain::codec::encode_file(&three_tier);
    assert!(text.contains("\"schema_version\": 2,"));
    let back = stackdraw::domain::codec::decode_file(&text).unwrap();
    assert_eq!(back.schema_version, SCHEMA_VERSION);
    assert_eq!(back, three_tier);
    // A version 1 file read by this build is migrated: the newest in memory.
    let old =
        stackdraw::domain::codec::decode_file(&crate::support::read_fixture("seed.json")).unwrap();
    assert_eq!(old.schema_version, SCHEMA_VERSION);
    // A version this build does not know is refused with the reason.
    let mut newer = wire::encode(&seed);
    newer[1] = 10;
    let error = wire::decode(&newer, &Limits::default())
        .unwrap_err()
        .to_string();
    assert!(error.contains("newer stackdraw"), "{error}");
}

#[test]
fn broken_links_say_what_is_wrong() {
    let good = encode_link(&templates::seed());
    let truncated = &good[..good.len() / 2];
    let mut tampered = good.clone().into_bytes();
    let middle = tampered.len() / 2;
    tampered[middle] = if tampered[middle] == b'A' { b'B' } else { b'A' };
    let tampered = String::from_utf8(tampered).unwrap();
    let cases: Vec<(String, &str)> = vec![
        (String::new(), "no version"),
        ("hello".into(), "no version"),
        ("v9.AAAA".into(), "link format 9"),
        ("vx.AAAA".into(), "version is unreadable"),
        ("v1.".into(), "cut off"),
        ("v1.@@@@".into(), "damaged"),
        (truncated.to_string(), "damaged"),
        (tampered, "damaged"),
        (
            format!("v1.{}", "A".repeat(link::MAX_LINK_CHARS)),
            "more than",
        ),
    ];
    for (text, expected) in cases {
        let message = decode_link(&text).unwrap_err().to_string();
        assert!(message.contains(expected), "{text:.40}: {message}");
    }
}

#[test]
fn a_decompression_bomb_stops_at_the_limit() {
    // 64 MiB of zeros compress to a few tens of kilobytes.
    let zeros = vec![0u8; 64 * 1024 * 1024];
    let bomb = link::fragment(&miniz_oxide::deflate::compress_to_vec(&zeros, 10));
    assert!(bomb.len() < 200_000, "{}", bomb.len());
    let message = decode_link(&bomb).unwrap_err().to_string();
    assert!(message.contains("unpacks to more than"), "{message}");
}

#[test]
fn the_binary_form_refuses_lengths_beyond_its_data() {
    let bytes = wire::encode(&templates::seed());
    for cut in [1, 2, 10, bytes.len() / 2, bytes.len() - 1] {
        assert!(
            wire::decode(&bytes[..cut], &Limits::default()).is_err(),
            "cut at {cut}"
        );
    }
    // A huge count with nothing behind it is refused before any allocation.
    let mut hostile = vec![wire::WIRE_VERSION, 1, 0, 0];
    hostile.extend_from_slice(&[0xff, 0xff, 0xff, 0xff, 0x0f]);
    let message = wire::decode(&hostile, &Limits::default())
        .unwrap_err()
        .to_string();
    assert!(message.contains("longer than the data"), "{message}");
    let mut trailing = bytes.clone();
    trailing.push(0);
    assert!(wire::decode(&trailing, &Limits::default()).is_err());
}

#[test]
fn base64url_round_trips_every_length() {
    for length in 0..40u8 {
        let bytes: Vec<u8> = (0..length).map(|b| b.wrapping_mul(37)).collect();
        let text = wire::to_base64url(&bytes);
        assert!(text
            .bytes()
            .all(|c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_'));
        assert_eq!(wire::from_base64url(&text).unwrap(), bytes);
    }
}

/// Random valid diagrams: the seed with random names, positions and ports.
fn random_diagram() -> impl Strategy<Value = Diagram> {
    (
        any::<String>(),
        proptest::collection::vec(
            (
                -1.0e6..1.0e6f64,
                -1.0e6..1.0e6f64,
                0u16..=65535,
                ".{0,40}",
                proptest::collection::vec((-1.0e6..1.0e6f64, -1.0e6..1.0e6f64), 0..4),
                any::<bool>(),
            ),
            1..40,
        ),
    )
        .prop_map(|(name, changes)| {
            let mut diagram = templates::seed();
            diagram.name = name.chars().take(200).collect();
            let ids: Vec<NodeId> = diagram.layout.keys().cloned().collect();
            for (at, (x, y, port, label, bends, straight)) in changes.into_iter().enumerate() {
                let id = &ids[at % ids.len()];
                if let Some(rect) = diagram.layout.get_mut(id) {
                    rect.x = x;
                    rect.y = y;
                }
                let edge = at % diagram.edges.len();
                diagram.edges[edge].port = port;
                diagram.edges[edge].label = label;
                diagram.edges[edge].bends = bends.into_iter().map(|(x, y)| Bend { x, y }).collect();
                diagram.edges[edge].straight = straight;
                let node = at % diagram.nodes.len();
                if !diagram.nodes[node].name.is_empty() {
                    diagram.nodes[node].name = format!("n{at} {}", diagram.nodes[node].name);
                }
            }
            diagram
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn random_diagrams_round_trip_through_links(diagram in random_diagram()) {
        let fragment = encode_link(&diagram);
        prop_assert_eq!(decode_link(&fragment).unwrap(), diagram);
    }

    #[test]
    fn random_bytes_never_panic_the_readers(bytes in proptest::collection::vec(any::<u8>(), 0..400)) {
        let _ = wire::decode(&bytes, &Limits::default());
        let _ = decode_link(&link::fragment(&bytes));
        let _ = decode_link(&String::from_utf8_lossy(&bytes));
    }
}

// ---- review links: two versions, the newer against the older ----------

use stackdraw::domain::codec::review;

fn changed_seed() -> Diagram {
    let mut new = templates::seed();
    for node in &mut new.nodes {
        if node.id.as_str() == "sg-db" {
            if let NodeKind::SecurityGroup(group) = &mut node.kind {
                group.ingress.clear();
            }
        }
    }
    new.nodes[0].name = "The internet".into();
    new
}

#[test]
fn a_review_link_holds_both_versions_and_costs_little_more_than_one() {
    let old = templates::seed();
    let new = changed_seed();
    let fragment = review::encode_link(&old, &new);
    assert!(fragment.starts_with("r1."));
    assert!(review::is_review(&format!(
        "https://stackdraw.example/#{fragment}"
    )));
    assert!(!review::is_review(&encode_link(&old)));
    let (back_old, back_new) = review::decode_link(&fragment).unwrap();
    assert_eq!((back_old, back_new), (old.clone(), new.clone()));
    let one = encode_link(&new).len();
    println!(
        "review link {} characters; share link of the newer version {one}",
        fragment.len()
    );
    assert!(
        fragment.len() < one + one / 5,
        "{} vs {one}",
        fragment.len()
    );
    // The newer version is a delta: far smaller than the version itself.
    let payload = review::payload(&old, &new);
    let base = wire::encode(&old).len();
    assert!(
        payload.len() - base < wire::encode(&new).len() / 10,
        "{} bytes",
        payload.len() - base
    );
    // The same two versions always make the same link.
    assert_eq!(review::encode_link(&old, &new), fragment);
    // Every template against every other, and a large diagram against a
    // changed copy, survive exactly.
    let mut big = templates::generated(500);
    let big_old = big.clone();
    for node in big.nodes.iter_mut().step_by(10) {
        node.name.push_str(" v2");
    }
    big.edges.truncate(big.edges.len() / 2);
    let mut pairs: Vec<(Diagram, Diagram)> = vec![(big_old, big), (hostile(), every_kind())];
    for a in templates::TEMPLATES {
        for b in templates::TEMPLATES {
            pairs.push((a.build(), b.build()));
        }
    }
    for (old, new) in pairs {
        let link = review::encode_link(&old, &new);
        assert_eq!(review::decode_link(&link).unwrap(), (old, new));
    }
}

#[test]
fn review_links_of_each_past_layout_still_open() {
    // r1: written when review links were introduced (the seed of the v1
    // link against a version whose database no longer admits the service);
    // never rewrite this fixture.
    let r1 = std::fs::read_to_string(fixture_path("links/r1-seed-review.txt")).unwrap();
    let (old, new) = review::decode_link(r1.trim()).unwrap();
    let v1 = std::fs::read_to_string(fixture_path("links/v1-seed.txt")).unwrap();
    assert_eq!(old, decode_link(&v1).unwrap());
    let diff = stackdraw::domain::diff::diff(&old, &new, Default::default());
    assert_eq!(diff.gate_count(stackdraw::domain::diff::Gate::Blocked), 1);
    assert_eq!(diff.nodes.len(), 2);
}

#[test]
fn broken_review_links_say_what_is_wrong() {
    let good = review::encode_link(&templates::seed(), &changed_seed());
    let cases = [
        ("r1.", "cut off"),
        ("r9.AAAA", "review format 9"),
        ("rx.AAAA", "version is unreadable"),
        ("r1", "no version"),
        ("r1.!!!!", "damaged"),
        (&good[..good.len() / 2], "damaged"),
    ];
    for (text, expected) in cases {
        let error = review::decode_link(text).unwrap_err().to_string();
        assert!(error.contains(expected), "{text}: {error}");
    }
    // Payloads that lie, built by hand: each must be refused as damaged.
    let base = wire::encode(&templates::seed());
    let with = |ops: &[u8], target_len: usize| {
        let mut bytes = Vec::new();
        varint(&mut bytes, base.len());
        bytes.extend_from_slice(&base);
        varint(&mut bytes, target_len);
        bytes.extend_from_slice(ops);
        bytes
    };
    let mut copy_past = vec![1u8];
    varint(&mut copy_past, base.len() - 4);
    varint(&mut copy_past, 8);
    let mut whole = vec![1u8];
    varint(&mut whole, 0);
    varint(&mut whole, base.len());
    let lies: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "a copy past the older version",
            with(&copy_past, 8),
            "reaches past",
        ),
        (
            "an unknown instruction",
            with(&[7, 1, 2], 2),
            "unknown instruction 7",
        ),
        (
            "longer than it says",
            with(&whole, 10),
            "longer than it says",
        ),
        (
            "shorter than it says",
            with(&whole, base.len() + 1),
            "cut off",
        ),
        (
            "an addition cut off",
            with(&[0, 50, 1, 2, 3], 50),
            "cut off",
        ),
        (
            "the older version cut off",
            with(&[], 0)[..20].to_vec(),
            "cut off",
        ),
        (
            "the newer version not a diagram",
            with(&[0, 3, 9, 9, 9], 3),
            "newer version is damaged",
        ),
    ];
    for (what, bytes, expected) in lies {
        let error = review::from_payload(&bytes).unwrap_err().to_string();
        assert!(error.contains(expected), "{what}: {error}");
    }
    // And the honest one reads.
    assert_eq!(
        review::from_payload(&with(&whole, base.len())).unwrap().1,
        templates::seed()
    );
}

fn varint(out: &mut Vec<u8>, mut value: usize) {
    while value >= 0x80 {
        out.push((value as u8 & 0x7f) | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}
