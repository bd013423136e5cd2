//! Everything that is wrong with a diagram, before anything is deployed.
//!
//! [`analyze`] runs every rule of docs/rules.md (VR-n) and the reachability
//! analysis of every traffic flow and access scope. It never fails and never
//! panics: a diagram that cannot be understood gets diagnostics, not errors.

pub mod acl;
mod diagnostic;
mod index;
pub mod invoke;
pub mod reach;
pub mod regions;
mod rules_network;
mod rules_security;
mod rules_services;
mod sg;

pub use rules_services::{fargate_cpu_choices, fargate_memory_choices};
pub use sg::describe_ports;

pub use diagnostic::{Diagnostic, Fix, Severity};
pub use invoke::InvocationVerdict;
pub use reach::Recipe;

/// The command a recipe stands for, built from the diagram as it is now.
pub fn build(diagram: &Diagram, recipe: &Recipe) -> Result<crate::domain::edit::Command, String> {
    reach::build_recipe(&Index::new(diagram), recipe)
}
pub use reach::{
    Blocked, CutOff, ExplanationCode, FlowKind, FlowVerdict, Hop, ScopeVerdict, Verdict,
};

use crate::domain::model::{Diagram, EdgeId, NodeId, NodeKind};
use crate::domain::sorting;
use index::Index;
use std::collections::BTreeMap;

/// The full result of checking a diagram.
#[derive(Clone, Debug, PartialEq)]
pub struct Analysis {
    /// Sorted: errors first, then warnings, then information; by rule within.
    pub diagnostics: Vec<Diagnostic>,
    /// Every drawn and implied flow with its verdict.
    pub flows: Vec<FlowVerdict>,
    /// Every "must not exist" scope, built-in and the user's, with its verdict.
    pub scopes: Vec<ScopeVerdict>,
    /// Every invocation (SNS delivering to a queue) with its verdict, on
    /// its relationship line: permission-checked, not walked as packets.
    pub invocations: Vec<InvocationVerdict>,
    /// Not worked out yet: the browser's first load draws a diagram before
    /// the checks arrive (they come with the editor's module), except the
    /// seed, whose analysis it carries (`templates::seed_analysis`).
    pub pending: bool,
}

impl Analysis {
    /// What is known before the checks have run: nothing.
    pub fn pending() -> Analysis {
        Analysis {
            diagnostics: Vec::new(),
            flows: Vec::new(),
            scopes: Vec::new(),
            invocations: Vec::new(),
            pending: true,
        }
    }

    pub fn count(&self, severity: Severity) -> usize {
        self.diagnostics
            .iter()
            .filter(|diagnostic| diagnostic.severity == severity)
            .count()
    }

    pub fn has_errors(&self) -> bool {
        self.count(Severity::Error) > 0
    }

    /// The verdict of the flow of each drawn edge.
    pub fn flow_of_edge(&self, edge: &EdgeId) -> Option<&FlowVerdict> {
        self.flows
            .iter()
            .find(|flow| flow.edge.as_ref() == Some(edge))
    }
}

/// Usable addresses and addresses planned for each subnet (VR-11), for the
/// canvas to show on subnet boxes.
pub fn subnet_capacity(diagram: &Diagram) -> BTreeMap<NodeId, (u64, u64)> {
    // Summed here rather than read from a whole validation index: the
    // canvas asks on every edit, and the index's code belongs to the
    // checks, which the first load leaves out.
    let mut capacity = sorting::map_of(diagram.nodes.iter().filter_map(|node| match &node.kind {
        NodeKind::Subnet(subnet) => Some((node.id.clone(), (subnet.cidr.usable_in_subnet(), 0))),
        _ => None,
    }));
    for node in &diagram.nodes {
        for subnet in node.kind.placement_subnets() {
            if let Some((_, demand)) = capacity.get_mut(subnet) {
                *demand += index::address_demand(&node.kind, subnet);
            }
        }
    }
    capacity
}

/// One subnet's entry of [`subnet_capacity`], without the others': the
/// inspector shows it for the subnet selected, on every edit.
pub fn capacity_of(diagram: &Diagram, id: &NodeId) -> Option<(u64, u64)> {
    let NodeKind::Subnet(subnet) = &diagram.node(id)?.kind else {
        return None;
    };
    let planned = diagram
        .nodes
        .iter()
        .flat_map(|node| {
            let placed = node.kind.placement_subnets().into_iter();
            placed
                .filter(|placed| *placed == id)
                .map(|placed| index::address_demand(&node.kind, placed))
        })
        .sum();
    Some((subnet.cidr.usable_in_subnet(), planned))
}

/// The diagnostics of a diagram.
pub fn validate(diagram: &Diagram) -> Vec<Diagnostic> {
    analyze(diagram).diagnostics
}

/// Diagnostics, flow verdicts and scope verdicts of a diagram.
pub fn analyze(diagram: &Diagram) -> Analysis {
    let index = Index::new(diagram);
    let mut diagnostics = Vec::new();
    rules_network::check(&index, &mut diagnostics);
    rules_security::check(&index, &mut diagnostics);
    rules_services::check(&index, &mut diagnostics);
    acl::check(&index, &mut diagnostics);
    let flows = reach::evaluate_flows(&index);
    let scopes = reach::evaluate_scopes(&index);
    reach::diagnose(&index, &flows, &scopes, &mut diagnostics);
    let invocations = invoke::evaluate(&index);
    invoke::diagnose(&index, &invocations, &mut diagnostics);
    sorting::sort_by(&mut diagnostics, |a, b| {
        (a.severity, a.rule, &a.nodes, &a.edges, &a.message)
            .cmp(&(b.severity, b.rule, &b.nodes, &b.edges, &b.message))
    });
    diagnostics.dedup_by(|a, b| a.rule == b.rule && a.nodes == b.nodes && a.message == b.message);
    Analysis {
        diagnostics,
        flows,
        scopes,
        invocations,
        pending: false,
    }
}
