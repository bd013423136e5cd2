//! CIDR arithmetic against a brute-force oracle over a small address space.

use proptest::prelude::*;
use stackdraw::domain::model::Cidr;
use std::collections::BTreeSet;
use std::net::Ipv4Addr;

const BASE: u32 = 0x0A00_0000; // 10.0.0.0

/// Blocks inside 10.0.0.0/24 with prefixes /24 to /32, host bits allowed.
fn block() -> impl Strategy<Value = Cidr> {
    (0u32..256, 24u8..=32)
        .prop_map(|(offset, prefix)| Cidr::new(Ipv4Addr::from(BASE + offset), prefix).unwrap())
}

fn addresses(cidr: &Cidr) -> BTreeSet<u32> {
    (0u32..256)
        .map(|offset| BASE + offset)
        .filter(|address| {
            let mask = if cidr.prefix_len() == 0 {
                0
            } else {
                u32::MAX << (32 - u32::from(cidr.prefix_len()))
            };
            address & mask == u32::from(cidr.addr()) & mask
        })
        .collect()
}

proptest! {
    #[test]
    fn containment_and_overlap_match_address_sets(a in block(), b in block()) {
        let (set_a, set_b) = (addresses(&a), addresses(&b));
        prop_assert_eq!(a.contains(&b), set_b.is_subset(&set_a));
        prop_assert_eq!(a.overlaps(&b), !set_a.is_disjoint(&set_b));
        prop_assert_eq!(a.size(), set_a.len() as u64);
        prop_assert_eq!(a.canonical().range().0, *set_a.iter().next().unwrap());
    }

    #[test]
    fn next_free_finds_the_first_aligned_free_block(taken in prop::collection::vec(block(), 0..6), prefix in 24u8..=30) {
        let within = [Cidr::parse("10.0.0.0/24").unwrap()];
        let used: BTreeSet<u32> = taken.iter().flat_map(addresses).collect();
        let step = 1u32 << (32 - u32::from(prefix));
        let oracle = (0..256 / step)
            .map(|n| BASE + n * step)
            .find(|start| (*start..*start + step).all(|address| !used.contains(&address)));
        let found = Cidr::next_free(&within, &taken, prefix);
        prop_assert_eq!(found.map(|c| u32::from(c.addr())), oracle);
        if let Some(found) = found {
            prop_assert!(found.is_canonical());
            prop_assert_eq!(found.prefix_len(), prefix);
        }
    }

    #[test]
    fn usable_addresses_are_the_block_less_five(prefix in 16u8..=28) {
        let block = Cidr::new(Ipv4Addr::from(BASE), prefix).unwrap();
        prop_assert_eq!(block.usable_in_subnet(), (1u64 << (32 - u32::from(prefix))) - 5);
    }
}

#[test]
fn next_free_is_none_when_the_vpc_is_full() {
    let vpc = [Cidr::parse("10.2.0.0/24").unwrap()];
    let taken = [
        Cidr::parse("10.2.0.0/25").unwrap(),
        Cidr::parse("10.2.0.128/25").unwrap(),
    ];
    assert_eq!(Cidr::next_free(&vpc, &taken, 28), None);
    assert_eq!(
        Cidr::next_free(&vpc, &taken[..1], 26).map(|c| c.to_string()),
        Some("10.2.0.128/26".to_string())
    );
}

/// The JSON Schema's pattern never accepts a block the reader refuses.
#[test]
fn schema_pattern_refuses_what_the_reader_refuses() {
    use stackdraw::domain::model::CIDR_PATTERN;
    let pattern = regex::Regex::new(CIDR_PATTERN).unwrap();
    for text in [
        "10.0.0.0/16",
        "0.0.0.0/0",
        "255.255.255.255/32",
        "192.168.1.7/24",
        "256.0.0.0/16",
        "10.0.0.300/24",
        "10.0.0.0/33",
        "10.0.0.0/99",
        "999.999.999.999/99",
        "10.0.0/16",
        "10.0.0.0.0/16",
        "010.0.0.0/16",
        "10.0.0.0/",
        "10.0.0.0",
        "a.b.c.d/16",
        "10.0.0.0/-1",
    ] {
        let schema = pattern.is_match(text);
        let reader = Cidr::parse(text).is_ok();
        assert!(
            !schema || reader,
            "the schema accepts {text:?}, which the reader refuses"
        );
        if !reader {
            assert!(!schema, "{text:?}");
        }
    }
    for refused in ["256.0.0.0/16", "10.0.0.0/33", "999.999.999.999/99"] {
        assert!(!pattern.is_match(refused), "{refused}");
    }
    assert!(pattern.is_match("10.0.0.0/16"));
}

proptest! {
    #[test]
    fn every_written_block_matches_the_schema(a in 0u32.., prefix in 0u8..=32) {
        let pattern = regex::Regex::new(stackdraw::domain::model::CIDR_PATTERN).unwrap();
        let cidr = Cidr::new(Ipv4Addr::from(a), prefix).unwrap();
        prop_assert!(pattern.is_match(&cidr.to_string()));
    }
}

/// The inspector's count for one subnet is the canvas's, worked out for
/// that subnet alone: in the seed, in a generated diagram with subnets
/// shared by balancers, services and databases, and for nodes that are not
/// subnets.
#[test]
fn one_subnets_capacity_is_its_entry_in_every_subnets() {
    use stackdraw::domain::validate::{capacity_of, subnet_capacity};
    for diagram in [
        stackdraw::domain::templates::seed(),
        stackdraw::domain::templates::generated(300),
    ] {
        let all = subnet_capacity(&diagram);
        assert!(all.values().any(|&(_, planned)| planned > 0));
        for node in &diagram.nodes {
            assert_eq!(
                capacity_of(&diagram, &node.id),
                all.get(&node.id).copied(),
                "{}",
                node.id
            );
        }
    }
}
