//! The inspector's typed fields for relationships and lists: every
//! relationship the canvas draws can be set without JSON.

use crate::support::{every_kind, id};
use stackdraw::domain::edit::apply;
use stackdraw::domain::edit::fields::{fields_of, set_field, Field, Input};
use stackdraw::domain::edit::relate::{links, Link, LinkKind};
use stackdraw::domain::model::*;
use stackdraw::domain::templates;

/// Types `text` into the field at `address` of `node`, as the inspector does.
pub fn typed(diagram: &Diagram, node: &str, address: &str, text: &str) -> Result<Diagram, String> {
    let node = diagram.node(&id(node)).unwrap().clone();
    let command = set_field(diagram, &node, address, text)?;
    let mut after = diagram.clone();
    apply(&mut after, command).map_err(|e| e.to_string())?;
    Ok(after)
}

fn fields(diagram: &Diagram, node: &str) -> Vec<Field> {
    fields_of(diagram, diagram.node(&id(node)).unwrap())
}

fn field<'a>(all: &'a [Field], address: &str) -> &'a Field {
    all.iter()
        .find(|f| f.address() == address)
        .unwrap_or_else(|| panic!("no field {address}"))
}

fn kind<'a>(diagram: &'a Diagram, node: &str) -> &'a NodeKind {
    &diagram.node(&id(node)).unwrap().kind
}

#[test]
fn a_services_cluster_is_picked_and_cleared_in_the_inspector() {
    let seed = templates::seed();
    let picker = fields(&seed, "service");
    let cluster = field(&picker, "cluster");
    assert_eq!(cluster.value, "cluster");
    let Input::Choice(choices) = &cluster.input else {
        panic!("a picker")
    };
    assert_eq!(choices[0], (String::new(), "No cluster".to_string()));
    let cleared = typed(&seed, "service", "cluster", "").unwrap();
    assert!(!links(&cleared).iter().any(|l| l.what == LinkKind::Cluster));
    let again = typed(&cleared, "service", "cluster", "cluster").unwrap();
    assert_eq!(again, seed);
    assert!(typed(&seed, "service", "cluster", "db")
        .unwrap_err()
        .contains("no ECS cluster"));
}

#[test]
fn each_container_has_its_image_tag_port_and_health_check_path() {
    let seed = templates::seed();
    let all = fields(&seed, "service");
    assert_eq!(field(&all, "image.0").value, "ecr:ecr-nginx");
    assert_eq!(field(&all, "image.1").value, "ecr:ecr-api");
    assert_eq!(field(&all, "container_port.1").value, "5000");
    assert_eq!(
        field(&all, "image.0").group.as_deref(),
        Some("Container “nginx”")
    );
    // The health-check path of the target group that sends to nginx.
    let health = field(&all, "health_check_path.0");
    let after = typed(&seed, "service", "health_check_path.0", "/ready").unwrap();
    let NodeKind::LoadBalancer(alb) = kind(&after, "alb") else {
        unreachable!()
    };
    assert_eq!(
        alb.target_groups[0].health_check.path.as_deref(),
        Some("/ready")
    );
    assert_ne!(health.value, "/ready");
    assert!(typed(&seed, "service", "health_check_path.0", "ready").is_err());

    // A registry image: name and tag typed apart.
    let registry = typed(&seed, "service", "image.0", "registry").unwrap();
    let all = fields(&registry, "service");
    let name = field(&all, "image_name.0").value.clone();
    let tagged = typed(&registry, "service", "image_tag.0", "1.27").unwrap();
    let NodeKind::FargateService(service) = kind(&tagged, "service") else {
        unreachable!()
    };
    assert_eq!(
        service.containers[0].image,
        ContainerImage::Registry(format!("{name}:1.27"))
    );
    assert!(!links(&tagged).contains(&Link {
        what: LinkKind::Image,
        from: id("service"),
        to: id("ecr-nginx"),
    }));
    // A registry with a port keeps its colon.
    let renamed = typed(
        &tagged,
        "service",
        "image_name.0",
        "registry.example.com:5000/web",
    )
    .unwrap();
    let NodeKind::FargateService(service) = kind(&renamed, "service") else {
        unreachable!()
    };
    assert_eq!(
        service.containers[0].image,
        ContainerImage::Registry("registry.example.com:5000/web:1.27".into())
    );
    assert!(typed(&tagged, "service", "image_tag.0", "1 27").is_err());
    // Back to the diagram's repository.
    let back = typed(&renamed, "service", "image.0", "ecr:ecr-nginx").unwrap();
    assert_eq!(back, seed);
}

#[test]
fn listeners_are_added_edited_and_removed_with_their_certificate_and_action() {
    let seed = templates::seed();
    let all = fields(&seed, "alb");
    let https = all
        .iter()
        .find(|f| f.key == "listener_protocol" && f.value == "https")
        .unwrap();
    let at = https.item.unwrap();
    assert_eq!(
        field(&all, &format!("listener_certificate.{at}")).value,
        "cert-api"
    );

    let added = typed(&seed, "alb", "listener_add", "").unwrap();
    let NodeKind::LoadBalancer(alb) = kind(&added, "alb") else {
        unreachable!()
    };
    let new = alb.listeners.len() - 1;
    assert_eq!(alb.listeners[new].protocol, ListenerProtocol::Http);
    assert!(alb.listeners[..new]
        .iter()
        .all(|l| l.port != alb.listeners[new].port));
    let moved = typed(&added, "alb", &format!("listener_port.{new}"), "8443").unwrap();
    let secure = typed(&moved, "alb", &format!("listener_protocol.{new}"), "https").unwrap();
    let NodeKind::LoadBalancer(alb) = kind(&secure, "alb") else {
        unreachable!()
    };
    assert_eq!(alb.listeners[new].port, 8443);
    assert_eq!(
        alb.listeners[new].certificate,
        Some(id("cert-api")),
        "HTTPS takes the region's certificate"
    );
    let fixed = typed(
        &secure,
        "alb",
        &format!("listener_action.{new}"),
        "fixed:404",
    )
    .unwrap();
    let NodeKind::LoadBalancer(alb) = kind(&fixed, "alb") else {
        unreachable!()
    };
    assert_eq!(
        alb.listeners[new].action,
        ListenerAction::FixedResponse(404)
    );
    let removed = typed(&fixed, "alb", &format!("listener_remove.{new}"), "").unwrap();
    assert_eq!(removed, seed);
    assert!(typed(&seed, "alb", "listener_action.0", "forward:nope").is_err());
}

#[test]
fn a_distributions_certificate_names_and_origins_are_edited_in_place() {
    let seed = templates::seed();
    let all = fields(&seed, "cdn");
    assert_eq!(field(&all, "viewer_certificate").value, "cert-cdn");
    assert_eq!(field(&all, "aliases").value, "www.example.com");
    assert_eq!(field(&all, "origin_target.0").value, "frontend");
    let names = typed(&seed, "cdn", "aliases", "www.example.com, example.com").unwrap();
    let NodeKind::CloudFront(distribution) = kind(&names, "cdn") else {
        unreachable!()
    };
    assert_eq!(distribution.aliases.len(), 2);
    // A second origin through the relationship, then edited here.
    let relation = stackdraw::domain::edit::relate::relate(&seed, &id("cdn"), &id("alb")).unwrap();
    let mut two = seed.clone();
    apply(&mut two, relation.command).unwrap();
    let pattern = typed(&two, "cdn", "origin_path.1", "/v2/*").unwrap();
    let NodeKind::CloudFront(distribution) = kind(&pattern, "cdn") else {
        unreachable!()
    };
    assert_eq!(
        distribution.origins[1].path_pattern.as_deref(),
        Some("/v2/*")
    );
    assert!(typed(&two, "cdn", "origin_path.1", "")
        .unwrap_err()
        .contains("default"));
    assert!(typed(&two, "cdn", "origin_access.1", "warp").is_err());
    let one = typed(&pattern, "cdn", "origin_remove.0", "").unwrap();
    let NodeKind::CloudFront(distribution) = kind(&one, "cdn") else {
        unreachable!()
    };
    assert_eq!(distribution.origins.len(), 1);
    assert_eq!(
        distribution.origins[0].path_pattern, None,
        "the remaining origin is the default"
    );
    assert!(typed(&one, "cdn", "origin_remove.0", "")
        .unwrap_err()
        .contains("needs an origin"));
}

#[test]
fn a_zones_records_are_added_edited_and_removed() {
    let seed = templates::seed();
    let NodeKind::Route53Zone(zone) = kind(&seed, "dns") else {
        unreachable!()
    };
    let count = zone.records.len();
    let added = typed(&seed, "dns", "record_add", "").unwrap();
    let NodeKind::Route53Zone(zone) = kind(&added, "dns") else {
        unreachable!()
    };
    assert_eq!(zone.records.len(), count + 1);
    let values = typed(&added, "dns", &format!("record_target.{count}"), "values").unwrap();
    let values = typed(&values, "dns", &format!("record_type.{count}"), "TXT").unwrap();
    let values = typed(
        &values,
        "dns",
        &format!("record_values.{count}"),
        "\"a\", \"b\"",
    )
    .unwrap();
    let NodeKind::Route53Zone(zone) = kind(&values, "dns") else {
        unreachable!()
    };
    assert_eq!(
        zone.records[count].target,
        DnsTarget::Values(vec!["\"a\"".into(), "\"b\"".into()])
    );
    let removed = typed(&values, "dns", &format!("record_remove.{count}"), "").unwrap();
    assert_eq!(removed, seed);
    assert!(typed(&seed, "dns", "record_name.0", "a b").is_err());
}

#[test]
fn endpoints_switch_between_gateway_and_interface_and_keep_one_subnet_per_zone() {
    let diagram = every_kind();
    let endpoint = diagram
        .nodes
        .iter()
        .find(|n| matches!(&n.kind, NodeKind::VpcEndpoint(e) if !e.service.is_gateway() && e.subnets.len() > 1))
        .expect("an interface endpoint in two zones")
        .id
        .clone();
    let NodeKind::VpcEndpoint(before) = kind(&diagram, endpoint.as_str()) else {
        unreachable!()
    };
    let gateway = typed(&diagram, endpoint.as_str(), "endpoint_service", "s3");
    {
        let gateway = gateway.as_ref().unwrap();
        let NodeKind::VpcEndpoint(after) = kind(gateway, endpoint.as_str()) else {
            unreachable!()
        };
        assert!(after.subnets.is_empty());
        let back = typed(
            gateway,
            endpoint.as_str(),
            "endpoint_service",
            before.service.service_suffix(),
        )
        .unwrap();
        let NodeKind::VpcEndpoint(back) = kind(&back, endpoint.as_str()) else {
            unreachable!()
        };
        assert_eq!(back.service, before.service);
        assert!(
            back.route_tables.is_empty(),
            "an interface endpoint is on no route table"
        );
        if !after.route_tables.is_empty() {
            assert!(
                !back.subnets.is_empty(),
                "the route tables' subnets take the interfaces"
            );
        }
    }
    // Another subnet of a zone it is in takes that zone's place.
    let zone_of = |d: &Diagram, s: &NodeId| match &d.node(s).unwrap().kind {
        NodeKind::Subnet(subnet) => subnet.az.clone(),
        _ => unreachable!(),
    };
    let vpc = before.vpc.clone();
    let other = diagram
        .nodes
        .iter()
        .find(|n| {
            matches!(&n.kind, NodeKind::Subnet(s) if s.vpc == vpc
                && !before.subnets.contains(&n.id)
                && before.subnets.iter().any(|b| zone_of(&diagram, b) == s.az))
        })
        .expect("another subnet in one of its zones");
    let swapped = typed(&diagram, endpoint.as_str(), "subnets", other.id.as_str()).unwrap();
    let NodeKind::VpcEndpoint(after) = kind(&swapped, endpoint.as_str()) else {
        unreachable!()
    };
    assert_eq!(after.subnets.len(), before.subnets.len());
    assert!(after.subnets.contains(&other.id));
    let mut zones: Vec<String> = after.subnets.iter().map(|s| zone_of(&swapped, s)).collect();
    zones.dedup();
    assert_eq!(zones.len(), after.subnets.len(), "one interface per zone");
}

#[test]
fn a_certificates_validation_zone_and_a_pipelines_targets_are_chosen() {
    let seed = templates::seed();
    let none = typed(&seed, "cert-api", "validation_zone", "").unwrap();
    assert!(!links(&none)
        .iter()
        .any(|l| l.what == LinkKind::Validation && l.from == id("cert-api")));
    assert_eq!(
        typed(&none, "cert-api", "validation_zone", "dns").unwrap(),
        seed
    );
    let NodeKind::Pipeline(pipeline) = kind(&seed, "pipeline") else {
        unreachable!()
    };
    let first = pipeline.deploys[0].clone();
    let fewer = typed(&seed, "pipeline", "deploys", first.as_str()).unwrap();
    let NodeKind::Pipeline(after) = kind(&fewer, "pipeline") else {
        unreachable!()
    };
    assert!(!after.deploys.contains(&first));
    assert!(typed(&seed, "pipeline", "deploys", "db").is_err());
}

/// A field's shape (what the inspector draws once) keeps its control and
/// choices and drops what it holds, so two nodes' values differ only there;
/// `is_on` reads a set's options.
#[test]
fn a_fields_shape_keeps_its_choices_and_drops_its_values() {
    let seed = templates::seed();
    let service = seed.node(&id("service")).expect("the seed's service");
    let fields = fields_of(&seed, service);
    let subnets = fields
        .iter()
        .find(|field| field.key == "subnets")
        .expect("a service's subnets");
    let Input::Set(options) = &subnets.input else {
        panic!("subnets are a set");
    };
    let on: Vec<&str> = options
        .iter()
        .filter(|o| o.2)
        .map(|o| o.0.as_str())
        .collect();
    assert!(!on.is_empty());
    for (value, _, flag) in options {
        assert_eq!(subnets.is_on(value), *flag, "{value}");
    }
    let shape = subnets.shape();
    let Input::Set(shaped) = &shape.input else {
        panic!("still a set");
    };
    assert!(shaped.iter().all(|o| !o.2));
    assert_eq!(
        shaped.iter().map(|o| (&o.0, &o.1)).collect::<Vec<_>>(),
        options.iter().map(|o| (&o.0, &o.1)).collect::<Vec<_>>()
    );
    let name = fields
        .iter()
        .find(|field| field.key == "name")
        .expect("a name");
    assert!(!name.value.is_empty());
    assert_eq!(name.shape().value, "");
    assert_eq!(name.shape().input, name.input);
    assert_eq!(name.shape().address(), name.address());
}
