//! The seed's analysis, as `validate::analyze(&seed())` gives it. The first
//! load shows the seed's problems with it before the checks, which come
//! with the editor's module, arrive. Its fixes are built when applied
//! (`Recipe::Fix`). Written by tests/domain/seed_analysis.rs
//! (`UPDATE_FIXTURES=1 cargo test --test domain seed_analysis`); do not
//! edit by hand.

use crate::domain::edit::Command;
use crate::domain::model::{EdgeId, NodeId, Protocol};
use crate::domain::validate::*;

fn id(text: &str) -> NodeId {
    NodeId::new(text).expect("the seed's ids are valid")
}

fn edge(text: &str) -> EdgeId {
    EdgeId::new(text).expect("the seed's ids are valid")
}

/// A hop; an empty node is none.
fn hop(node: &str, description: &str) -> Hop {
    Hop {
        node: (!node.is_empty()).then(|| id(node)),
        description: description.into(),
    }
}

fn lazy_fix(rule: u8, label: &str) -> Fix {
    Fix {
        label: label.into(),
        command: Command::Build(Recipe::Fix {
            rule,
            label: label.into(),
        }),
    }
}

/// The seed's diagnostics, flows and scopes.
pub fn seed_analysis() -> Analysis {
    let diagnostics = vec![
        Diagnostic {
            rule: 18,
            severity: Severity::Warning,
            nodes: vec![id("subnet-private-c"), id("nat-a")],
            edges: vec![],
            message: "VPC \"myapp-vpc\": private subnets in ap-northeast-1c use a NAT gateway in another zone; one NAT per zone avoids a single point of failure and cross-zone charges".into(),
            fix: Some(lazy_fix(18, "Add a NAT gateway in each zone")),
            alternatives: vec![],
        },
        Diagnostic {
            rule: 19,
            severity: Severity::Warning,
            nodes: vec![id("vpc-main")],
            edges: vec![],
            message: "VPC \"myapp-vpc\" sends traffic through NAT gateways, which cost per hour and per GB: an S3 gateway endpoint (free) and ECR interface endpoints keep image pulls off the NAT".into(),
            fix: None,
            alternatives: vec![],
        },
        Diagnostic {
            rule: 41,
            severity: Severity::Info,
            nodes: vec![id("dns"), id("cdn")],
            edges: vec![],
            message: "www.example.com is an alias to CloudFront \"Front end CDN\": alias records to CloudFront use hosted zone ID Z2FDTNDATAQYW2".into(),
            fix: None,
            alternatives: vec![],
        },
    ];
    let flows = vec![
        FlowVerdict {
            kind: FlowKind::Drawn,
            edge: Some(edge("e-internet-cdn")),
            from: id("internet"),
            to: Some(id("cdn")),
            protocol: Protocol::Tcp,
            port: 443,
            description: "\"Internet\" -> \"Front end CDN\" on tcp/443".into(),
            reachable: true,
            verdict: Verdict::Reachable,
            hops: vec![
                hop("internet", "\"Internet\""),
                hop("cdn", "\"Front end CDN\""),
            ],
            blocked: None,
            cut_off: Vec::new(),
        },
        FlowVerdict {
            kind: FlowKind::Drawn,
            edge: Some(edge("e-cdn-frontend")),
            from: id("cdn"),
            to: Some(id("frontend")),
            protocol: Protocol::Tcp,
            port: 443,
            description: "\"Front end CDN\" -> \"Front end bucket\" on tcp/443".into(),
            reachable: true,
            verdict: Verdict::Reachable,
            hops: vec![
                hop("cdn", "\"Front end CDN\""),
                hop("cdn", "origin for default behaviour"),
                hop("frontend", "bucket policy for the distribution"),
                hop("frontend", "\"Front end bucket\""),
            ],
            blocked: None,
            cut_off: Vec::new(),
        },
        FlowVerdict {
            kind: FlowKind::Drawn,
            edge: Some(edge("e-internet-alb-https")),
            from: id("internet"),
            to: Some(id("alb")),
            protocol: Protocol::Tcp,
            port: 443,
            description: "\"Internet\" -> \"myapp-alb\" on tcp/443".into(),
            reachable: true,
            verdict: Verdict::Reachable,
            hops: vec![
                hop("internet", "\"Internet\""),
                hop("igw", "internet gateway \"myapp-igw\""),
                hop("subnet-public-a", "route table of \"public-subnet-a\": replies to 0.0.0.0/0 go to the internet gateway"),
                hop("alb", "listener on port 443"),
                hop("sg-alb", "security groups of \"myapp-alb\" allow tcp/443 from 0.0.0.0/0"),
                hop("alb", "\"myapp-alb\""),
            ],
            blocked: None,
            cut_off: Vec::new(),
        },
        FlowVerdict {
            kind: FlowKind::Drawn,
            edge: Some(edge("e-internet-alb-http")),
            from: id("internet"),
            to: Some(id("alb")),
            protocol: Protocol::Tcp,
            port: 80,
            description: "\"Internet\" -> \"myapp-alb\" on tcp/80".into(),
            reachable: true,
            verdict: Verdict::Reachable,
            hops: vec![
                hop("internet", "\"Internet\""),
                hop("igw", "internet gateway \"myapp-igw\""),
                hop("subnet-public-a", "route table of \"public-subnet-a\": replies to 0.0.0.0/0 go to the internet gateway"),
                hop("alb", "listener on port 80"),
                hop("sg-alb", "security groups of \"myapp-alb\" allow tcp/80 from 0.0.0.0/0"),
                hop("alb", "\"myapp-alb\""),
            ],
            blocked: None,
            cut_off: Vec::new(),
        },
        FlowVerdict {
            kind: FlowKind::Drawn,
            edge: Some(edge("e-alb-service")),
            from: id("alb"),
            to: Some(id("service")),
            protocol: Protocol::Tcp,
            port: 80,
            description: "\"myapp-alb\" -> \"myapp-service\" on tcp/80".into(),
            reachable: true,
            verdict: Verdict::Reachable,
            hops: vec![
                hop("alb", "\"myapp-alb\""),
                hop("sg-alb", "security groups of \"myapp-alb\" allow tcp/80 out"),
                hop("vpc-main", "local route inside VPC \"myapp-vpc\""),
                hop("alb", "listener -> target group \"api\""),
                hop("sg-service", "security groups of \"myapp-service\" allow tcp/80 from \"myapp-alb\""),
                hop("service", "\"myapp-service\""),
            ],
            blocked: None,
            cut_off: Vec::new(),
        },
        FlowVerdict {
            kind: FlowKind::Drawn,
            edge: Some(edge("e-service-db")),
            from: id("service"),
            to: Some(id("db")),
            protocol: Protocol::Tcp,
            port: 3306,
            description: "\"myapp-service\" -> \"myapp-aurora\" on tcp/3306".into(),
            reachable: true,
            verdict: Verdict::Reachable,
            hops: vec![
                hop("service", "\"myapp-service\""),
                hop("sg-service", "security groups of \"myapp-service\" allow tcp/3306 out"),
                hop("vpc-main", "local route inside VPC \"myapp-vpc\""),
                hop("sg-db", "security groups of \"myapp-aurora\" allow tcp/3306 from \"myapp-service\""),
                hop("db", "\"myapp-aurora\""),
            ],
            blocked: None,
            cut_off: Vec::new(),
        },
        FlowVerdict {
            kind: FlowKind::Drawn,
            edge: Some(edge("e-operator-bastion")),
            from: id("operator"),
            to: Some(id("bastion")),
            protocol: Protocol::Tcp,
            port: 22,
            description: "\"Operator\" -> \"login-server\" on tcp/22".into(),
            reachable: true,
            verdict: Verdict::Reachable,
            hops: vec![
                hop("operator", "\"Operator\""),
                hop("igw", "internet gateway \"myapp-igw\""),
                hop("subnet-public-a", "route table of \"public-subnet-a\": replies to 203.0.113.10/32 go to the internet gateway"),
                hop("sg-bastion", "security groups of \"login-server\" allow tcp/22 from 203.0.113.10/32"),
                hop("bastion", "\"login-server\""),
            ],
            blocked: None,
            cut_off: Vec::new(),
        },
        FlowVerdict {
            kind: FlowKind::Drawn,
            edge: Some(edge("e-bastion-db")),
            from: id("bastion"),
            to: Some(id("db")),
            protocol: Protocol::Tcp,
            port: 3306,
            description: "\"login-server\" -> \"myapp-aurora\" on tcp/3306".into(),
            reachable: true,
            verdict: Verdict::Reachable,
            hops: vec![
                hop("bastion", "\"login-server\""),
                hop("sg-bastion", "security groups of \"login-server\" allow tcp/3306 out"),
                hop("vpc-main", "local route inside VPC \"myapp-vpc\""),
                hop("sg-db", "security groups of \"myapp-aurora\" allow tcp/3306 from \"login-server\""),
                hop("db", "\"myapp-aurora\""),
            ],
            blocked: None,
            cut_off: Vec::new(),
        },
        FlowVerdict {
            kind: FlowKind::Origin,
            edge: None,
            from: id("cdn"),
            to: Some(id("frontend")),
            protocol: Protocol::Tcp,
            port: 443,
            description: "\"Front end CDN\" fetches from origin \"Front end bucket\"".into(),
            reachable: true,
            verdict: Verdict::Reachable,
            hops: vec![
                hop("cdn", "\"Front end CDN\""),
                hop("cdn", "origin for default behaviour"),
                hop("frontend", "bucket policy for the distribution"),
                hop("frontend", "\"Front end bucket\""),
            ],
            blocked: None,
            cut_off: Vec::new(),
        },
        FlowVerdict {
            kind: FlowKind::ImagePull,
            edge: None,
            from: id("service"),
            to: Some(id("ecr-nginx")),
            protocol: Protocol::Tcp,
            port: 443,
            description: "image pulls and logs of \"myapp-service\"".into(),
            reachable: true,
            verdict: Verdict::Reachable,
            hops: vec![
                hop("service", "\"myapp-service\""),
                hop("sg-service", "security groups of \"myapp-service\" allow tcp/443 out"),
                hop("nat-a", "NAT gateway \"nat-gateway-a\""),
                hop("ecr-nginx", "ECR, S3 and CloudWatch Logs"),
            ],
            blocked: None,
            cut_off: Vec::new(),
        },
        FlowVerdict {
            kind: FlowKind::Secrets,
            edge: None,
            from: id("service"),
            to: None,
            protocol: Protocol::Tcp,
            port: 443,
            description: "secrets of \"myapp-service\" read at task start".into(),
            reachable: true,
            verdict: Verdict::Reachable,
            hops: vec![
                hop("service", "\"myapp-service\""),
                hop("sg-service", "security groups of \"myapp-service\" allow tcp/443 out"),
                hop("nat-a", "NAT gateway \"nat-gateway-a\""),
                hop("", "Secrets Manager"),
            ],
            blocked: None,
            cut_off: Vec::new(),
        },
    ];
    let scopes = vec![
        ScopeVerdict {
            id: "internet-to-service".into(),
            builtin: true,
            from: Some(id("internet")),
            to: id("service"),
            port: None,
            description: "no path from the internet to the tasks \"myapp-service\"".into(),
            holds: true,
            path: Vec::new(),
        },
        ScopeVerdict {
            id: "internet-to-db".into(),
            builtin: true,
            from: Some(id("internet")),
            to: id("db"),
            port: None,
            description: "no path from the internet to the database \"myapp-aurora\"".into(),
            holds: true,
            path: Vec::new(),
        },
    ];
    Analysis {
        diagnostics,
        flows,
        scopes,
        invocations: Vec::new(),
        pending: false,
    }
}
