//! Drawing a line between two nodes: traffic where packets flow, the
//! configuration the pair stands for otherwise, a refusal with the reason
//! when the pair means nothing; relationship lines read from the nodes'
//! own references; old files' meaningless edges settled on read.

use crate::support::{id, kind_mut, network_extras};
use stackdraw::domain::edit::apply;
use stackdraw::domain::edit::relate::{
    carries_traffic, links, needs_settling, relate, settle, unrelate, Link, LinkKind,
};
use stackdraw::domain::model::*;
use stackdraw::domain::templates;
use stackdraw::domain::validate::{analyze, Verdict};

fn related(diagram: &Diagram, from: &str, to: &str) -> Diagram {
    let relation = relate(diagram, &id(from), &id(to))
        .unwrap_or_else(|message| panic!("{from} -> {to}: {message}"));
    let mut after = diagram.clone();
    apply(&mut after, relation.command).unwrap();
    after
}

fn kind_of<'a>(diagram: &'a Diagram, node: &str) -> &'a NodeKind {
    &diagram.node(&id(node)).unwrap().kind
}

fn has_link(diagram: &Diagram, what: LinkKind, from: &str, to: &str) -> bool {
    links(diagram).contains(&Link {
        what,
        from: id(from),
        to: id(to),
    })
}

fn templates_and_fixtures() -> Vec<Diagram> {
    let mut all: Vec<Diagram> = templates::TEMPLATES.iter().map(|t| t.build()).collect();
    all.push(network_extras());
    all
}

fn assets_bucket() -> NodeKind {
    NodeKind::S3Bucket(S3Bucket {
        bucket_name: "myapp-assets-example-com".into(),
        block_public_access: true,
        versioning: false,
        website_hosting: false,
    })
}

/// A node dropped next to the seed's, drawn so its relationships show.
fn with_node(mut diagram: Diagram, node_id: &str, kind: NodeKind) -> Diagram {
    diagram.nodes.push(Node {
        id: id(node_id),
        name: node_id.into(),
        kind,
    });
    diagram
        .layout
        .insert(id(node_id), Rect::new(2000.0, 2000.0, 64.0, 64.0));
    diagram
}

#[test]
fn a_service_drawn_to_a_cluster_runs_in_it_either_way_round() {
    let mut seed = templates::seed();
    let NodeKind::FargateService(service) = kind_mut(&mut seed, "service") else {
        unreachable!()
    };
    service.cluster = None;
    assert!(!has_link(&seed, LinkKind::Cluster, "service", "cluster"));
    for (from, to) in [("service", "cluster"), ("cluster", "service")] {
        let after = related(&seed, from, to);
        let NodeKind::FargateService(service) = kind_of(&after, "service") else {
            unreachable!()
        };
        assert_eq!(service.cluster, Some(id("cluster")));
        assert_eq!(after.edges, seed.edges, "membership is no traffic");
        assert!(has_link(&after, LinkKind::Cluster, "service", "cluster"));
        let again = relate(&after, &id(from), &id(to)).unwrap_err();
        assert!(again.contains("already"), "{again}");
    }
}

#[test]
fn a_certificate_drawn_to_a_load_balancer_makes_an_https_listener_its_clients_reach() {
    let mut seed = templates::seed();
    // The seed's load balancer without HTTPS: plain HTTP forwarding.
    let NodeKind::LoadBalancer(alb) = kind_mut(&mut seed, "alb") else {
        unreachable!()
    };
    alb.listeners
        .retain(|l| l.protocol == ListenerProtocol::Http);
    let forward = ListenerAction::Forward(alb.target_groups[0].name.clone());
    alb.listeners[0].action = forward.clone();
    seed.edges.retain(|e| !(e.to == id("alb") && e.port == 443));

    let after = related(&seed, "cert-api", "alb");
    let NodeKind::LoadBalancer(alb) = kind_of(&after, "alb") else {
        unreachable!()
    };
    let https = alb
        .listeners
        .iter()
        .find(|l| l.protocol == ListenerProtocol::Https)
        .expect("an HTTPS listener");
    assert_eq!(
        (https.port, https.certificate.clone()),
        (443, Some(id("cert-api")))
    );
    assert_eq!(https.action, forward, "HTTPS forwards where plain HTTP did");
    let plain = alb.listeners.iter().find(|l| l.port == 80).unwrap();
    assert_eq!(plain.action, ListenerAction::RedirectToHttps);
    // The internet, drawn on 80, is drawn on 443 too, and gets through.
    let edge = after
        .edges
        .iter()
        .find(|e| e.from == id("internet") && e.to == id("alb") && e.port == 443)
        .expect("the internet is drawn to the HTTPS listener");
    let analysis = analyze(&after);
    assert_eq!(
        analysis.flow_of_edge(&edge.id).map(|f| f.verdict),
        Some(Verdict::Reachable)
    );
    assert!(has_link(
        &after,
        LinkKind::ListenerCertificate,
        "alb",
        "cert-api"
    ));
    // No traffic edge to the certificate.
    assert!(after
        .edges
        .iter()
        .all(|e| e.from != id("cert-api") && e.to != id("cert-api")));
}

#[test]
fn a_certificate_of_another_region_is_refused_for_a_load_balancer() {
    let seed = templates::seed();
    let message = relate(&seed, &id("alb"), &id("cert-cdn")).unwrap_err();
    assert!(
        message.contains("us-east-1") && message.contains(&seed.region),
        "{message}"
    );
}

#[test]
fn cloudfront_drawn_to_a_bucket_or_load_balancer_gets_an_origin_and_fetches_from_it() {
    let seed = with_node(templates::seed(), "assets", assets_bucket());
    let after = related(&seed, "assets", "cdn");
    let NodeKind::CloudFront(distribution) = kind_of(&after, "cdn") else {
        unreachable!()
    };
    let origin = distribution
        .origins
        .iter()
        .find(|o| o.target == id("assets"))
        .unwrap();
    assert_eq!(origin.access, OriginAccess::Oac);
    assert_eq!(
        origin.path_pattern.as_deref(),
        Some("/static/*"),
        "the default stays with the first"
    );
    let fetch = after
        .edges
        .iter()
        .find(|e| e.from == id("cdn") && e.to == id("assets"))
        .expect("the origin fetch is drawn as traffic");
    assert_eq!(fetch.port, 443);
    assert!(analyze(&after).flow_of_edge(&fetch.id).is_some());
    assert!(has_link(&after, LinkKind::Origin, "cdn", "assets"));

    let after = related(&after, "cdn", "alb");
    let NodeKind::CloudFront(distribution) = kind_of(&after, "cdn") else {
        unreachable!()
    };
    let origin = distribution
        .origins
        .iter()
        .find(|o| o.target == id("alb"))
        .unwrap();
    assert_eq!(
        origin.access,
        OriginAccess::HttpsOnly,
        "the load balancer serves HTTPS"
    );
    assert_eq!(origin.path_pattern.as_deref(), Some("/api/*"));
    assert!(after
        .edges
        .iter()
        .any(|e| e.from == id("cdn") && e.to == id("alb") && e.port == 443));
}

#[test]
fn a_certificate_drawn_to_cloudfront_becomes_its_viewer_certificate_with_its_names() {
    let mut seed = with_node(
        templates::seed(),
        "cert-shop",
        NodeKind::AcmCertificate(AcmCertificate {
            domain_name: "shop.example.com".into(),
            subject_alternative_names: vec!["*.shop.example.com".into()],
            region: "us-east-1".into(),
            validation_zone: None,
        }),
    );
    let NodeKind::CloudFront(distribution) = kind_mut(&mut seed, "cdn") else {
        unreachable!()
    };
    distribution.certificate = None;
    distribution.aliases.clear();
    let after = related(&seed, "cert-shop", "cdn");
    let NodeKind::CloudFront(distribution) = kind_of(&after, "cdn") else {
        unreachable!()
    };
    assert_eq!(distribution.certificate, Some(id("cert-shop")));
    assert_eq!(distribution.aliases, vec!["shop.example.com".to_string()]);
    assert!(has_link(
        &after,
        LinkKind::ViewerCertificate,
        "cdn",
        "cert-shop"
    ));

    // And a zone drawn to it gets an alias record under that name.
    let after = with_node(
        after,
        "zone-shop",
        NodeKind::Route53Zone(Route53Zone {
            domain_name: "example.com".into(),
            records: Vec::new(),
        }),
    );
    let after = related(&after, "cdn", "zone-shop");
    let NodeKind::Route53Zone(zone) = kind_of(&after, "zone-shop") else {
        unreachable!()
    };
    assert_eq!(zone.records.len(), 1);
    assert_eq!(zone.records[0].name, "shop");
    assert_eq!(zone.records[0].target, DnsTarget::Alias(id("cdn")));
    assert!(has_link(&after, LinkKind::Alias, "zone-shop", "cdn"));
    // A load balancer drawn to the same zone gets a name of its own.
    let after = related(&after, "zone-shop", "alb");
    let NodeKind::Route53Zone(zone) = kind_of(&after, "zone-shop") else {
        unreachable!()
    };
    assert_eq!(zone.records[1].name, "api");

    // The zone validates the certificate when drawn to it.
    let after = related(&after, "zone-shop", "cert-shop");
    let NodeKind::AcmCertificate(certificate) = kind_of(&after, "cert-shop") else {
        unreachable!()
    };
    assert_eq!(certificate.validation_zone, Some(id("zone-shop")));
}

#[test]
fn cloudfront_refuses_a_certificate_outside_us_east_1() {
    let seed = templates::seed();
    let message = relate(&seed, &id("cdn"), &id("cert-api")).unwrap_err();
    assert!(message.contains("us-east-1"), "{message}");
}

#[test]
fn a_repository_drawn_to_a_service_becomes_its_image_and_a_pipeline_deploys_what_it_is_drawn_to() {
    let mut seed = templates::seed();
    let NodeKind::FargateService(service) = kind_mut(&mut seed, "service") else {
        unreachable!()
    };
    service.containers.truncate(1);
    service.containers[0].image =
        ContainerImage::Registry("public.ecr.aws/nginx/nginx:1.27".into());
    let after = related(&seed, "ecr-api", "service");
    let NodeKind::FargateService(service) = kind_of(&after, "service") else {
        unreachable!()
    };
    assert_eq!(
        service.containers[0].image,
        ContainerImage::Ecr(id("ecr-api"))
    );
    assert!(service.starts_after_first_push());
    assert!(has_link(&after, LinkKind::Image, "service", "ecr-api"));

    let after = with_node(after, "assets", assets_bucket());
    let after = related(&after, "assets", "pipeline");
    let NodeKind::Pipeline(pipeline) = kind_of(&after, "pipeline") else {
        unreachable!()
    };
    assert!(pipeline.deploys.contains(&id("assets")));
    assert!(has_link(&after, LinkKind::Deploys, "pipeline", "assets"));
}

#[test]
fn endpoints_and_peerings_drawn_to_subnets_change_what_the_subnets_route() {
    let mut extras = network_extras();
    // Drawn, so their relationships show as lines.
    let undrawn: Vec<NodeId> = extras
        .nodes
        .iter()
        .filter(|n| matches!(n.tag(), KindTag::VpcPeering | KindTag::VpcEndpoint))
        .map(|n| n.id.clone())
        .collect();
    for (at, node) in undrawn.into_iter().enumerate() {
        let rect = Rect::new(2000.0 + 100.0 * at as f64, 2000.0, 64.0, 64.0);
        extras.layout.entry(node).or_insert(rect);
    }
    for link in links(&extras).into_iter().filter(|l| {
        matches!(
            l.what,
            LinkKind::EndpointSubnet | LinkKind::EndpointRouteTable | LinkKind::PeeringRoute
        )
    }) {
        let mut without = extras.clone();
        apply(&mut without, unrelate(&extras, &link).unwrap()).unwrap();
        assert!(!links(&without).contains(&link), "{link:?} is undone");
        let again = related(&without, link.to.as_str(), link.from.as_str());
        assert!(links(&again).contains(&link), "{link:?} drawn again");
    }
    for what in [
        LinkKind::PeeringRoute,
        LinkKind::EndpointSubnet,
        LinkKind::EndpointRouteTable,
    ] {
        assert!(
            links(&extras).iter().any(|l| l.what == what),
            "the fixture has a {what:?} to test"
        );
    }
}

#[test]
fn a_pair_that_means_nothing_is_refused_with_what_to_draw_instead() {
    let seed = templates::seed();
    for (from, to, hint) in [
        ("cert-api", "internet", "load balancer"),
        ("internet", "dns", "alias record"),
        ("cluster", "db", "service"),
        ("pipeline", "db", "deploys"),
        ("subnet-public-a", "db", "resources inside"),
        ("igw", "alb", "route tables"),
    ] {
        let message = relate(&seed, &id(from), &id(to)).unwrap_err();
        assert!(
            message.contains("means nothing"),
            "{from} -> {to}: {message}"
        );
        assert!(message.contains(hint), "{from} -> {to}: {message}");
    }
}

#[test]
fn a_pair_that_exchanges_packets_is_traffic_with_its_rules() {
    let mut seed = templates::seed();
    seed.edges.retain(|e| e.id.as_str() != "e-service-db");
    let relation = relate(&seed, &id("service"), &id("db")).unwrap();
    let edge = relation.edge.clone().unwrap();
    assert!(relation.summary.contains("3306"), "{}", relation.summary);
    let mut after = seed.clone();
    apply(&mut after, relation.command).unwrap();
    assert_eq!(
        analyze(&after).flow_of_edge(&edge).map(|f| f.verdict),
        Some(Verdict::Reachable)
    );
}

#[test]
fn every_relationship_of_every_template_undoes_and_is_drawn_again() {
    for diagram in templates_and_fixtures() {
        let all = links(&diagram);
        for link in &all {
            assert!(diagram.node(&link.from).is_some() && diagram.node(&link.to).is_some());
            assert_eq!(Link::parse(&link.key()).as_ref(), Some(link));
            match unrelate(&diagram, link) {
                Ok(command) => {
                    let mut without = diagram.clone();
                    let inverse = apply(&mut without, command).unwrap();
                    assert!(
                        !links(&without).contains(link),
                        "{}: {link:?}",
                        diagram.name
                    );
                    let mut undone = without.clone();
                    apply(&mut undone, inverse).unwrap();
                    assert_eq!(undone, diagram, "one undo step restores {link:?}");
                    let again = related(&without, link.from.as_str(), link.to.as_str());
                    assert!(
                        links(&again).contains(link),
                        "{}: {link:?} drawn again",
                        diagram.name
                    );
                }
                Err(message) => assert!(
                    matches!(
                        link.what,
                        LinkKind::Image | LinkKind::Origin | LinkKind::EndpointSubnet
                    ),
                    "{}: {link:?} refused: {message}",
                    diagram.name
                ),
            }
        }
    }
}

#[test]
fn removing_a_distributions_last_origin_or_a_containers_image_is_refused_with_the_reason() {
    let seed = templates::seed();
    let origin = Link {
        what: LinkKind::Origin,
        from: id("cdn"),
        to: id("frontend"),
    };
    assert!(unrelate(&seed, &origin)
        .unwrap_err()
        .contains("needs an origin"));
    let image = Link {
        what: LinkKind::Image,
        from: id("service"),
        to: id("ecr-api"),
    };
    assert!(unrelate(&seed, &image)
        .unwrap_err()
        .contains("always runs an image"));
}

#[test]
fn templates_draw_no_traffic_to_what_carries_none() {
    for diagram in templates_and_fixtures() {
        assert!(!needs_settling(&diagram), "{}", diagram.name);
        for edge in &diagram.edges {
            for end in [&edge.from, &edge.to] {
                assert!(
                    carries_traffic(&diagram.node(end).unwrap().kind),
                    "{}: {end}",
                    diagram.name
                );
            }
        }
    }
}

#[test]
fn old_edges_that_stood_for_configuration_are_settled_and_the_user_is_told() {
    let mut seed = templates::seed();
    // As an older version drew them: a certificate "sending traffic" to the
    // load balancer whose listener already holds it, a service to a
    // cluster it is not in yet, and traffic to a hosted zone.
    let NodeKind::FargateService(service) = kind_mut(&mut seed, "service") else {
        unreachable!()
    };
    service.cluster = None;
    for (edge_id, from, to) in [
        ("old-cert", "cert-api", "alb"),
        ("old-cluster", "service", "cluster"),
        ("old-dns", "internet", "dns"),
    ] {
        seed.edges.push(TrafficEdge {
            id: EdgeId::new(edge_id).unwrap(),
            from: id(from),
            to: id(to),
            protocol: Protocol::Tcp,
            port: 80,
            label: String::new(),
            bends: Vec::new(),
            straight: false,
        });
    }
    assert!(needs_settling(&seed));
    let (settled, said) = settle(&seed);
    assert!(!needs_settling(&settled));
    assert_eq!(settled.edges.len(), templates::seed().edges.len());
    let NodeKind::FargateService(service) = kind_of(&settled, "service") else {
        unreachable!()
    };
    assert_eq!(service.cluster, Some(id("cluster")));
    assert_eq!(said.len(), 3, "{said:#?}");
    assert!(said[0].contains("already holds"), "{}", said[0]);
    assert!(said[1].contains("runs in the cluster"), "{}", said[1]);
    assert!(said[2].contains("removed"), "{}", said[2]);
    // Settling twice changes nothing more.
    assert_eq!(settle(&settled), (settled.clone(), Vec::new()));
}

/// A file and a link written before lines meant configuration (frozen:
/// never rewrite them). Both open, and settle into the same diagram.
#[test]
fn files_and_links_with_meaningless_edges_still_open_and_settle() {
    use stackdraw::domain::codec::{decode_file, link::decode_link};
    let file = decode_file(&crate::support::read_fixture(
        "earlier/meaningless-edges.json",
    ))
    .unwrap();
    let link =
        decode_link(crate::support::read_fixture("links/v1-meaningless-edges.txt").trim()).unwrap();
    assert_eq!(file, link, "the link was written from the file");
    assert!(needs_settling(&file));
    let (settled, said) = settle(&file);
    assert_eq!(said.len(), 3);
    let mut expected = templates::seed();
    expected.name = file.name.clone();
    assert_eq!(
        crate::support::without_layout(&settled),
        crate::support::without_layout(&expected),
        "settled, the old seed is today's seed (laid out as it was then)"
    );
}

#[test]
fn the_connect_list_offers_what_drawing_would_do_and_nothing_else() {
    let seed = with_node(
        templates::seed(),
        "cert-new",
        NodeKind::AcmCertificate(AcmCertificate {
            domain_name: "api2.example.com".into(),
            subject_alternative_names: Vec::new(),
            region: "ap-northeast-1".into(),
            validation_zone: None,
        }),
    );
    let offered = stackdraw::domain::edit::relate::candidates(&seed, &id("cert-new"));
    let targets: Vec<&str> = offered.iter().map(|(to, _)| to.as_str()).collect();
    assert_eq!(
        targets,
        ["dns", "alb"],
        "the zone validates it, the load balancer serves it"
    );
    for (to, summary) in &offered {
        let relation = relate(&seed, &id("cert-new"), to).unwrap();
        assert_eq!(
            &relation.summary, summary,
            "the list says what drawing does"
        );
    }
    let from_internet = stackdraw::domain::edit::relate::candidates(&seed, &id("internet"));
    assert!(from_internet
        .iter()
        .any(|(to, s)| to == &id("bastion") && s.contains("port 22")));
    // Already drawn traffic is not offered again.
    assert!(!from_internet.iter().any(|(to, _)| to == &id("alb")));
}
