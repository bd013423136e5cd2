//! Built-in diagrams a user can start from.

mod build;
mod cached_web_app;
mod generated;
mod seed;
mod seed_analysis;
mod seed_routes;
mod serverless_api;
mod static_site;
mod three_tier;

use crate::domain::model::Diagram;

/// A built-in template: its short name (used on the command line) and what it
/// is. The table holds no builders, so listing the templates does not bring
/// their code along (the app lists them; its worker builds them).
pub struct Template {
    pub name: &'static str,
    pub title: &'static str,
    pub description: &'static str,
}

impl Template {
    /// The template's diagram.
    pub fn build(&self) -> Diagram {
        match self.name {
            "seed" => seed::seed(),
            "static-site" => static_site::static_site(),
            "three-tier" => three_tier::three_tier(),
            "serverless-api" => serverless_api::serverless_api(),
            "cached-web-app" => cached_web_app::cached_web_app(),
            _ => blank(),
        }
    }
}

pub const TEMPLATES: &[Template] = &[
    Template {
        name: "blank",
        title: "Blank",
        description: "An empty diagram in ap-northeast-1.",
    },
    Template {
        name: "seed",
        title: "Web service on Fargate",
        description: "Vue on S3 + CloudFront, Flask + nginx on ECS Fargate behind an ALB, \
                      Aurora MySQL, a bastion and a NAT gateway, deployed by CircleCI.",
    },
    Template {
        name: "static-site",
        title: "Static site",
        description:
            "A private S3 bucket behind CloudFront (Origin Access Control) with a custom domain, \
                      published by CircleCI.",
    },
    Template {
        name: "three-tier",
        title: "Three tiers, three zones",
        description:
            "ALB, Fargate and Aurora PostgreSQL across three zones, with a NAT gateway per zone.",
    },
    Template {
        name: "serverless-api",
        title: "Serverless API",
        description: "An API Gateway HTTP API invoking a Lambda function that keeps orders in \
                      DynamoDB and queues jobs in SQS, deployed by CircleCI.",
    },
    Template {
        name: "cached-web-app",
        title: "Cache-backed web app",
        description: "An ALB in front of an EC2 Auto Scaling group, with a Multi-AZ RDS \
                      PostgreSQL database and a Valkey cache across two zones.",
    },
];

pub fn by_name(name: &str) -> Option<&'static Template> {
    TEMPLATES.iter().find(|template| template.name == name)
}

/// An empty diagram.
pub fn blank() -> Diagram {
    Diagram::empty("Untitled", "ap-northeast-1")
}

pub use generated::{crowded_vpc, generated};
pub use seed::seed;
pub use seed_analysis::seed_analysis;
pub use seed_routes::seed_routes;

/// The seed in binary form (`codec::wire`): what the app opens on a first
/// visit. Decoding it takes far less of the app's module than the code that
/// builds it. A test keeps it equal to `seed()`; to write it again:
/// `cargo run -- template seed --wire > src/domain/templates/seed.wire`.
pub const SEED_WIRE: &[u8] = include_bytes!("seed.wire");

/// The diagram a first visit opens: the seed, from its binary form.
pub fn first_visit() -> Diagram {
    crate::domain::codec::wire::decode(SEED_WIRE, &crate::domain::codec::Limits::default())
        .unwrap_or_else(|_| blank())
}
