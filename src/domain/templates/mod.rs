//! Built-in diagrams a user can start from.

mod build;
mod generated;
mod seed;
mod static_site;
mod three_tier;

use crate::domain::model::Diagram;

/// A built-in template: its short name (used on the command line) and what it is.
pub struct Template {
    pub name: &'static str,
    pub title: &'static str,
    pub description: &'static str,
    pub build: fn() -> Diagram,
}

pub const TEMPLATES: &[Template] = &[
    Template {
        name: "blank",
        title: "Blank",
        description: "An empty diagram in ap-northeast-1.",
        build: blank,
    },
    Template {
        name: "seed",
        title: "Web service on Fargate",
        description: "Vue on S3 + CloudFront, Flask + nginx on ECS Fargate behind an ALB, \
                      Aurora MySQL, a bastion and a NAT gateway, deployed by CircleCI.",
        build: seed::seed,
    },
    Template {
        name: "static-site",
        title: "Static site",
        description:
            "A private S3 bucket behind CloudFront (Origin Access Control) with a custom domain, \
                      published by CircleCI.",
        build: static_site::static_site,
    },
    Template {
        name: "three-tier",
        title: "Three tiers, three zones",
        description:
            "ALB, Fargate and Aurora PostgreSQL across three zones, with a NAT gateway per zone.",
        build: three_tier::three_tier,
    },
];

pub fn by_name(name: &str) -> Option<&'static Template> {
    TEMPLATES.iter().find(|template| template.name == name)
}

fn blank() -> Diagram {
    Diagram::empty("Untitled", "ap-northeast-1")
}

pub use generated::{crowded_vpc, generated};
pub use seed::seed;
