//! Built-in diagrams a user can start from.

mod build;
mod generated;
mod seed;

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
];

pub fn by_name(name: &str) -> Option<&'static Template> {
    TEMPLATES.iter().find(|template| template.name == name)
}

fn blank() -> Diagram {
    Diagram::empty("Untitled", "ap-northeast-1")
}

pub use generated::generated;
pub use seed::seed;
