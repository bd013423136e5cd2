//! A static web site: a private S3 bucket behind CloudFront with Origin Access
//! Control, a custom domain with its certificate, and a pipeline that builds
//! and publishes it.

use super::build::*;
use crate::domain::model::*;

pub fn static_site() -> Diagram {
    let mut b = Builder::new("Static site on S3 + CloudFront", "us-east-1");
    b.drawn(
        "internet",
        "Internet",
        NodeKind::Internet(Internet {}),
        icon(40.0, 160.0),
    );
    b.drawn(
        "zone",
        "example.com",
        NodeKind::Route53Zone(Route53Zone {
            domain_name: "example.com".into(),
            records: vec![DnsRecord {
                name: "www".into(),
                record_type: DnsRecordType::A,
                target: DnsTarget::Alias(id("cdn")),
            }],
        }),
        icon(220.0, 40.0),
    );
    b.drawn(
        "certificate",
        "www certificate",
        NodeKind::AcmCertificate(AcmCertificate {
            domain_name: "www.example.com".into(),
            subject_alternative_names: Vec::new(),
            region: "us-east-1".into(),
            validation_zone: Some(id("zone")),
        }),
        icon(380.0, 40.0),
    );
    b.drawn(
        "cdn",
        "Site CDN",
        NodeKind::CloudFront(CloudFront {
            origins: vec![CloudFrontOrigin {
                target: id("site"),
                path_pattern: None,
                access: OriginAccess::Oac,
            }],
            aliases: vec!["www.example.com".into()],
            certificate: Some(id("certificate")),
            default_root_object: "index.html".into(),
            price_class: PriceClass::PriceClass100,
        }),
        icon(220.0, 160.0),
    );
    b.drawn(
        "site",
        "Site bucket",
        NodeKind::S3Bucket(S3Bucket {
            bucket_name: "www-example-com-site".into(),
            block_public_access: true,
            versioning: true,
            website_hosting: false,
        }),
        icon(380.0, 160.0),
    );
    b.drawn(
        "pipeline",
        "CircleCI",
        NodeKind::Pipeline(Pipeline {
            branch: "main".into(),
            context: "site-deploy".into(),
            auth: PipelineAuth::OidcRole("site-circleci-deploy".into()),
            deploys: ids(&["site", "cdn"]),
            frontend: Some(FrontendBuild {
                directory: ".".into(),
                build_command: "npm ci && npm run build".into(),
                output_directory: "dist".into(),
            }),
        }),
        icon(540.0, 160.0),
    );
    b.edge("e-visitors", "internet", "cdn", 443)
        .edge("e-origin", "cdn", "site", 443);
    b.finish()
}
