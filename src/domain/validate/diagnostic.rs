use crate::domain::edit::Command;
use crate::domain::model::{EdgeId, NodeId};
use serde::Serialize;
use std::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// The deploy fails, or an AWS hard limit is broken.
    Error,
    /// It deploys, but is risky or against AWS guidance.
    Warning,
    /// Something the user should see.
    Info,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "info",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A one-click repair: a label for the button and the command it runs.
#[derive(Clone, Debug, PartialEq)]
pub struct Fix {
    pub label: String,
    pub command: Command,
}

/// One finding, naming its rule (VR-n), the elements it concerns and, where
/// one exists, a fix.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Diagnostic {
    /// The rule number: `4` is VR-4.
    #[serde(serialize_with = "rule_id")]
    pub rule: u8,
    pub severity: Severity,
    pub nodes: Vec<NodeId>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub edges: Vec<EdgeId>,
    pub message: String,
    #[serde(
        rename = "fix",
        skip_serializing_if = "Option::is_none",
        serialize_with = "fix_label"
    )]
    pub fix: Option<Fix>,
    /// Other ways to repair it, after `fix`, which is the one to prefer
    /// (the secure one first).
    #[serde(skip_serializing_if = "Vec::is_empty", serialize_with = "fix_labels")]
    pub alternatives: Vec<Fix>,
}

fn fix_labels<S: serde::Serializer>(fixes: &[Fix], serializer: S) -> Result<S::Ok, S::Error> {
    serializer.collect_seq(fixes.iter().map(|fix| fix.label.as_str()))
}

fn rule_id<S: serde::Serializer>(rule: &u8, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.collect_str(&format_args!("VR-{rule}"))
}

fn fix_label<S: serde::Serializer>(fix: &Option<Fix>, serializer: S) -> Result<S::Ok, S::Error> {
    match fix {
        Some(fix) => serializer.serialize_str(&fix.label),
        None => serializer.serialize_none(),
    }
}

impl Diagnostic {
    pub fn new(
        rule: u8,
        severity: Severity,
        nodes: Vec<NodeId>,
        message: impl Into<String>,
    ) -> Self {
        Diagnostic {
            rule,
            severity,
            nodes,
            edges: Vec::new(),
            message: message.into(),
            fix: None,
            alternatives: Vec::new(),
        }
    }

    pub fn error(rule: u8, nodes: Vec<NodeId>, message: impl Into<String>) -> Self {
        Diagnostic::new(rule, Severity::Error, nodes, message)
    }

    pub fn warning(rule: u8, nodes: Vec<NodeId>, message: impl Into<String>) -> Self {
        Diagnostic::new(rule, Severity::Warning, nodes, message)
    }

    pub fn info(rule: u8, nodes: Vec<NodeId>, message: impl Into<String>) -> Self {
        Diagnostic::new(rule, Severity::Info, nodes, message)
    }

    pub fn with_fix(mut self, label: impl Into<String>, command: Command) -> Self {
        self.fix = Some(Fix {
            label: label.into(),
            command,
        });
        self
    }

    /// Another fix where one can be built, offered after those before it.
    pub fn with_alternative(mut self, label: impl Into<String>, command: Option<Command>) -> Self {
        let Some(command) = command else {
            return self;
        };
        let fix = Fix {
            label: label.into(),
            command,
        };
        if self.fix.is_none() {
            self.fix = Some(fix);
        } else {
            self.alternatives.push(fix);
        }
        self
    }

    /// Every fix offered, the preferred one first.
    pub fn fixes(&self) -> impl Iterator<Item = &Fix> {
        self.fix.iter().chain(&self.alternatives)
    }

    pub fn with_edges(mut self, edges: Vec<EdgeId>) -> Self {
        self.edges = edges;
        self
    }

    /// `VR-4`.
    pub fn rule_id(&self) -> String {
        format!("VR-{}", self.rule)
    }
}
