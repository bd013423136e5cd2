//! Moving a design to another region: zones keep their letters, certificates
//! follow what uses them, and one undo brings it all back.

use stackdraw::domain::edit::region::change_region;
use stackdraw::domain::edit::{apply, Command};
use stackdraw::domain::export::{bundle, Format};
use stackdraw::domain::model::*;
use stackdraw::domain::templates;
use stackdraw::domain::validate::{analyze, Severity};

fn subnet_zones(diagram: &Diagram) -> Vec<(String, String)> {
    diagram
        .nodes
        .iter()
        .filter_map(|node| match &node.kind {
            NodeKind::Subnet(subnet) => Some((node.id.to_string(), subnet.az.clone())),
            _ => None,
        })
        .collect()
}

fn certificate_region(diagram: &Diagram, id: &str) -> String {
    match &diagram.node_by_str(id).expect("certificate").kind {
        NodeKind::AcmCertificate(certificate) => certificate.region.clone(),
        other => panic!("{id} is not a certificate: {other:?}"),
    }
}

fn moved(diagram: &Diagram, region: &str) -> (Diagram, Command, Vec<String>) {
    let change = change_region(diagram, region).expect("the move is allowed");
    let mut after = diagram.clone();
    let inverse = apply(&mut after, change.command).expect("the move applies");
    (after, inverse, change.stays)
}

#[test]
fn subnets_keep_their_zone_letters_in_the_new_region() {
    let seed = templates::seed();
    let (after, _, _) = moved(&seed, "eu-west-1");
    assert_eq!(after.region, "eu-west-1");
    let before = subnet_zones(&seed);
    assert!(!before.is_empty());
    for ((id, old), (same_id, new)) in before.iter().zip(subnet_zones(&after)) {
        assert_eq!(*id, same_id);
        let letter = old.strip_prefix("ap-northeast-1").expect("a seed zone");
        assert_eq!(new, format!("eu-west-1{letter}"), "subnet {id}");
    }
    // The design is as sound there as it was here.
    assert_eq!(
        analyze(&after).count(Severity::Error),
        analyze(&seed).count(Severity::Error)
    );
}

#[test]
fn certificates_follow_what_uses_them() {
    let seed = templates::seed();
    assert_eq!(certificate_region(&seed, "cert-api"), "ap-northeast-1");
    assert_eq!(certificate_region(&seed, "cert-cdn"), "us-east-1");
    let (after, _, stays) = moved(&seed, "eu-west-1");
    // The load balancer's certificate must be in its region.
    assert_eq!(certificate_region(&after, "cert-api"), "eu-west-1");
    // CloudFront only uses certificates in us-east-1, and the user is told.
    assert_eq!(certificate_region(&after, "cert-cdn"), "us-east-1");
    assert_eq!(stays.len(), 1, "{stays:?}");
    assert!(
        stays[0].contains("www certificate") && stays[0].contains("us-east-1"),
        "{}",
        stays[0]
    );
}

#[test]
fn one_undo_brings_the_whole_move_back() {
    let seed = templates::seed();
    let (mut after, inverse, _) = moved(&seed, "us-west-2");
    assert_ne!(after, seed);
    apply(&mut after, inverse).expect("the inverse applies");
    assert_eq!(after, seed);
}

#[test]
fn a_region_without_a_zone_letter_in_use_is_refused_with_the_subnets_to_move() {
    let seed = templates::seed();
    // ca-central-1 has zones a, b and d; the seed uses c.
    let uses_c: Vec<String> = seed
        .nodes
        .iter()
        .filter(|node| matches!(&node.kind, NodeKind::Subnet(s) if s.az.ends_with('c')))
        .map(|node| node.name.clone())
        .collect();
    assert!(!uses_c.is_empty());
    let reason = change_region(&seed, "ca-central-1").expect_err("refused");
    for name in &uses_c {
        assert!(
            reason.contains(&format!("{name:?}")),
            "{reason} names {name}"
        );
    }
    assert!(reason.contains("offers zones a, b, d"), "{reason}");
}

#[test]
fn unknown_and_unchanged_regions_are_refused() {
    let seed = templates::seed();
    assert!(change_region(&seed, "mars-north-1")
        .expect_err("unknown")
        .contains("not a region"));
    assert!(change_region(&seed, "ap-northeast-1")
        .expect_err("unchanged")
        .contains("already in"));
}

#[test]
fn the_exports_follow_the_region() {
    let (after, _, _) = moved(&templates::seed(), "eu-west-1");
    let analysis = analyze(&after);
    // Zones are written relative to the region the stack or module deploys
    // to (`${AWS::Region}a`); the deploy commands and the module's default
    // region name it.
    for format in [Format::CloudFormationYaml, Format::Terraform] {
        let text: String = bundle(&after, &analysis, format)
            .into_iter()
            .map(|file| file.contents)
            .collect();
        assert!(
            text.contains("eu-west-1"),
            "{format:?} names the new region"
        );
        assert!(
            !text.contains("ap-northeast-1"),
            "{format:?} still mentions the old region"
        );
    }
}
