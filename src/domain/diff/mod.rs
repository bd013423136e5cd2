//! What a change does: two versions of a design compared, not only as
//! pictures (nodes and edges added, removed, changed, fact by fact) but as
//! verdicts: which flows are now blocked or get through, which must-not-exist
//! scope broke, which problems appeared or cleared, with the hop and the
//! explanation code that decided.
//!
//! Pure and deterministic: the same two diagrams always give the same diff,
//! in the same order (the newer version's order, then what it no longer has).

mod facts;
pub mod matching;
pub mod report;

pub use matching::{match_nodes, Matching, NodeMatch, Strategy};

use crate::domain::codec::wire;
use crate::domain::model::{Diagram, EdgeId, NodeId, TrafficEdge};
use crate::domain::validate::{
    analyze, Analysis, ExplanationCode, FlowKind, FlowVerdict, Hop, ScopeVerdict, Severity, Verdict,
};
use serde::Serialize;
use std::collections::HashMap;

/// Whether an element is new, gone, or there in both with different facts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Change {
    Added,
    Removed,
    Changed,
}

/// One fact that differs. A list's item added has only `after`, one removed
/// only `before`.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FactChange {
    pub fact: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub before: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub after: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct NodeChange {
    pub change: Change,
    /// The newer version's id; for a removed node, the older one's.
    pub id: NodeId,
    /// The older version's id, when it differs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old_id: Option<NodeId>,
    pub name: String,
    pub kind: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub facts: Vec<FactChange>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct EdgeChange {
    pub change: Change,
    pub id: EdgeId,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub old_id: Option<EdgeId>,
    /// `"alb" -> "service" on tcp/8080`.
    pub description: String,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub facts: Vec<FactChange>,
}

/// Where and why a flow stops, in one version.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Cause {
    pub code: ExplanationCode,
    /// The component that stops it, in the version it stops in.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub at: Option<NodeId>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub at_name: Option<String>,
    pub explanation: String,
}

/// A flow whose verdict (or the reason it stops) differs, or that only one
/// version has.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct FlowChange {
    pub kind: FlowKind,
    pub description: String,
    /// Ends and edge in the newer version (the older one's for a flow it
    /// no longer has).
    pub from: NodeId,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to: Option<NodeId>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub edge: Option<EdgeId>,
    /// `None`: the version does not have this flow.
    pub before: Option<Verdict>,
    pub after: Option<Verdict>,
    /// Why it stops now.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cause: Option<Cause>,
    /// Why it stopped before.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub was: Option<Cause>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ScopeChange {
    pub id: String,
    pub builtin: bool,
    pub description: String,
    /// The scope's destination, in the newer version when it has it.
    pub to: NodeId,
    /// Whether it holds; `None`: the version does not have this scope.
    pub before: Option<bool>,
    pub after: Option<bool>,
    /// The path that breaks it now.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub path: Vec<Hop>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Appearance {
    Appeared,
    Cleared,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DiagnosticChange {
    pub status: Appearance,
    pub rule: String,
    pub severity: Severity,
    pub message: String,
    /// In the version it is found in.
    pub nodes: Vec<NodeId>,
}

/// Nodes no partner was found for, by id in their own version.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Unmatched {
    pub old: Vec<NodeId>,
    pub new: Vec<NodeId>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Diff {
    pub matching: Matching,
    pub old_name: String,
    pub new_name: String,
    /// The diagram's own facts (its name, its region).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub diagram: Vec<FactChange>,
    pub nodes: Vec<NodeChange>,
    pub edges: Vec<EdgeChange>,
    pub flows: Vec<FlowChange>,
    pub scopes: Vec<ScopeChange>,
    pub diagnostics: Vec<DiagnosticChange>,
    /// With matching by structure: the nodes listed as removed or added
    /// because no partner was certain.
    pub unmatched: Unmatched,
}

/// What a CI gate can fail on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Gate {
    /// A flow became blocked (or a new flow is).
    Blocked,
    /// A flow became only partially reachable.
    Partial,
    /// A must-not-exist scope broke.
    Scope,
    /// A new error appeared.
    Error,
}

impl Gate {
    pub const ALL: [Gate; 4] = [Gate::Blocked, Gate::Partial, Gate::Scope, Gate::Error];

    pub fn name(self) -> &'static str {
        match self {
            Gate::Blocked => "blocked",
            Gate::Partial => "partial",
            Gate::Scope => "scope",
            Gate::Error => "error",
        }
    }

    pub fn parse(text: &str) -> Option<Gate> {
        Gate::ALL.into_iter().find(|gate| gate.name() == text)
    }
}

impl Diff {
    pub fn is_empty(&self) -> bool {
        self.diagram.is_empty()
            && self.nodes.is_empty()
            && self.edges.is_empty()
            && self.flows.is_empty()
            && self.scopes.is_empty()
            && self.diagnostics.is_empty()
    }

    /// Flows that got worse: blocked or partial now, and not before.
    pub fn worsened(&self, verdict: Verdict) -> impl Iterator<Item = &FlowChange> {
        self.flows
            .iter()
            .filter(move |flow| flow.after == Some(verdict) && flow.before != Some(verdict))
    }

    pub fn broken_scopes(&self) -> impl Iterator<Item = &ScopeChange> {
        self.scopes
            .iter()
            .filter(|scope| scope.after == Some(false) && scope.before != Some(false))
    }

    pub fn new_errors(&self) -> impl Iterator<Item = &DiagnosticChange> {
        self.diagnostics.iter().filter(|diagnostic| {
            diagnostic.status == Appearance::Appeared && diagnostic.severity == Severity::Error
        })
    }

    /// How many findings each gate sees.
    pub fn gate_count(&self, gate: Gate) -> usize {
        match gate {
            Gate::Blocked => self.worsened(Verdict::Blocked).count(),
            Gate::Partial => self.worsened(Verdict::Partial).count(),
            Gate::Scope => self.broken_scopes().count(),
            Gate::Error => self.new_errors().count(),
        }
    }

    pub fn count(&self, change: Change) -> usize {
        self.nodes.iter().filter(|n| n.change == change).count()
    }
}

/// Compares two versions, analysing both. Natively the two analyses run on
/// threads of their own while the nodes are matched and compared: the
/// three are independent.
pub fn diff(old: &Diagram, new: &Diagram, strategy: Strategy) -> Diff {
    #[cfg(not(target_arch = "wasm32"))]
    return std::thread::scope(|scope| {
        let older = scope.spawn(|| analyze(old));
        let newer = scope.spawn(|| analyze(new));
        let structure = structure(old, new, strategy);
        let older = older.join().unwrap_or_else(|_| analyze(old));
        let newer = newer.join().unwrap_or_else(|_| analyze(new));
        with_verdicts(old, new, structure, &older, &newer)
    });
    #[cfg(target_arch = "wasm32")]
    {
        let structure = structure(old, new, strategy);
        with_verdicts(old, new, structure, &analyze(old), &analyze(new))
    }
}

/// Compares two versions whose analyses are at hand.
pub fn diff_analyzed(
    old: &Diagram,
    old_analysis: &Analysis,
    new: &Diagram,
    new_analysis: &Analysis,
    strategy: Strategy,
) -> Diff {
    let structure = structure(old, new, strategy);
    with_verdicts(old, new, structure, old_analysis, new_analysis)
}

/// What the two versions hold, compared without their analyses: the
/// matching, and the diagram's, nodes' and edges' changes.
struct Structure {
    matching: Matching,
    pairs: NodeMatch,
    /// New edge id -> old edge id.
    edge_pairs: HashMap<EdgeId, EdgeId>,
    diagram: Vec<FactChange>,
    nodes: Vec<NodeChange>,
    edges: Vec<EdgeChange>,
}

/// A node's name by its id, in the newer version or else the older.
fn names<'a>(old: &'a Diagram, new: &'a Diagram) -> impl Fn(&str) -> Option<String> + 'a {
    let old_nodes: HashMap<&str, &str> = old
        .nodes
        .iter()
        .map(|n| (n.id.as_str(), n.name.as_str()))
        .collect();
    let new_nodes: HashMap<&str, &str> = new
        .nodes
        .iter()
        .map(|n| (n.id.as_str(), n.name.as_str()))
        .collect();
    move |id: &str| {
        new_nodes
            .get(id)
            .or_else(|| old_nodes.get(id))
            .map(|name| name.to_string())
    }
}

/// An old id in the newer version's terms: its partner, or itself marked
/// as the older version's, so it never meets a newer id.
fn in_new_terms(pairs: &NodeMatch, id: &NodeId) -> String {
    match pairs.old_to_new.get(id) {
        Some(partner) => partner.as_str().to_string(),
        None => format!("old:{id}"),
    }
}

fn structure(old: &Diagram, new: &Diagram, strategy: Strategy) -> Structure {
    let (matching, pairs) = match_nodes(old, new, strategy);
    let renamed = pairs.renamed();
    let old_nodes: HashMap<&NodeId, &crate::domain::model::Node> =
        old.nodes.iter().map(|n| (&n.id, n)).collect();
    let name_of = names(old, new);
    let to_new = |id: &NodeId| in_new_terms(&pairs, id);

    let mut diagram = Vec::new();
    for (fact, a, b) in [
        ("name", &old.name, &new.name),
        ("region", &old.region, &new.region),
    ] {
        if a != b {
            diagram.push(FactChange {
                fact: fact.into(),
                before: Some(a.clone()),
                after: Some(b.clone()),
            });
        }
    }

    // Nodes.
    let mut nodes = Vec::new();
    for node in &new.nodes {
        let partner = pairs
            .new_to_old
            .get(&node.id)
            .and_then(|old_id| old_nodes.get(old_id));
        let Some(before) = partner else {
            nodes.push(NodeChange {
                change: Change::Added,
                id: node.id.clone(),
                old_id: None,
                name: node.name.clone(),
                kind: node.tag().label().to_string(),
                facts: Vec::new(),
            });
            continue;
        };
        let mut changed = Vec::new();
        if before.name != node.name {
            changed.push(FactChange {
                fact: "name".into(),
                before: Some(before.name.clone()),
                after: Some(node.name.clone()),
            });
        }
        let renamed_kind;
        let old_kind = if renamed.is_empty() {
            Some(&before.kind)
        } else {
            renamed_kind = wire::renamed_kind(&before.kind, &renamed).ok();
            renamed_kind.as_ref()
        };
        if old_kind != Some(&node.kind) {
            let value = |kind: &crate::domain::model::NodeKind| {
                serde_json::to_value(kind)
                    .ok()
                    .and_then(|v| match v {
                        serde_json::Value::Object(map) => map.into_iter().next().map(|(_, v)| v),
                        _ => None,
                    })
                    .unwrap_or(serde_json::Value::Null)
            };
            let a = old_kind.map_or(serde_json::Value::Null, value);
            changed.extend(facts::compare(&a, &value(&node.kind), &name_of));
        }
        if !changed.is_empty() {
            nodes.push(NodeChange {
                change: Change::Changed,
                id: node.id.clone(),
                old_id: (before.id != node.id).then(|| before.id.clone()),
                name: node.name.clone(),
                kind: node.tag().label().to_string(),
                facts: changed,
            });
        }
    }
    for node in &old.nodes {
        if !pairs.old_to_new.contains_key(&node.id) {
            nodes.push(NodeChange {
                change: Change::Removed,
                id: node.id.clone(),
                old_id: None,
                name: node.name.clone(),
                kind: node.tag().label().to_string(),
                facts: Vec::new(),
            });
        }
    }

    // Edges: by id, then by their ends and port, then by their ends alone
    // when that pairs one with one.
    let edge_pairs = match_edges(old, new, matching, &to_new);
    let describe_edge = |edge: &TrafficEdge| {
        let name = |id: &NodeId| name_of(id.as_str()).unwrap_or_else(|| id.to_string());
        format!(
            "{:?} -> {:?} on {}",
            name(&edge.from),
            name(&edge.to),
            crate::domain::validate::describe_ports(edge.protocol, edge.port)
        )
    };
    let old_edges: HashMap<&EdgeId, &TrafficEdge> = old.edges.iter().map(|e| (&e.id, e)).collect();
    let mut edges = Vec::new();
    for edge in &new.edges {
        let Some(before) = edge_pairs.get(&edge.id).and_then(|id| old_edges.get(id)) else {
            edges.push(EdgeChange {
                change: Change::Added,
                id: edge.id.clone(),
                old_id: None,
                description: describe_edge(edge),
                facts: Vec::new(),
            });
            continue;
        };
        let mut changed = Vec::new();
        let ends =
            |id: &NodeId| name_of(id.as_str()).map_or_else(|| id.to_string(), |n| format!("{n:?}"));
        if to_new(&before.from) != edge.from.as_str() {
            changed.push(fact("from", ends(&before.from), ends(&edge.from)));
        }
        if to_new(&before.to) != edge.to.as_str() {
            changed.push(fact("to", ends(&before.to), ends(&edge.to)));
        }
        if before.protocol != edge.protocol || before.port != edge.port {
            changed.push(fact(
                "port",
                crate::domain::validate::describe_ports(before.protocol, before.port),
                crate::domain::validate::describe_ports(edge.protocol, edge.port),
            ));
        }
        if before.label != edge.label {
            changed.push(fact("label", before.label.clone(), edge.label.clone()));
        }
        if !changed.is_empty() {
            edges.push(EdgeChange {
                change: Change::Changed,
                id: edge.id.clone(),
                old_id: (before.id != edge.id).then(|| before.id.clone()),
                description: describe_edge(edge),
                facts: changed,
            });
        }
    }
    let matched_old_edges: std::collections::HashSet<&EdgeId> = edge_pairs.values().collect();
    for edge in &old.edges {
        if !matched_old_edges.contains(&edge.id) {
            edges.push(EdgeChange {
                change: Change::Removed,
                id: edge.id.clone(),
                old_id: None,
                description: describe_edge(edge),
                facts: Vec::new(),
            });
        }
    }
    Structure {
        matching,
        pairs,
        edge_pairs,
        diagram,
        nodes,
        edges,
    }
}

/// The structure's changes with the verdicts that changed between the two
/// analyses.
fn with_verdicts(
    old: &Diagram,
    new: &Diagram,
    structure: Structure,
    old_analysis: &Analysis,
    new_analysis: &Analysis,
) -> Diff {
    let Structure {
        matching,
        pairs,
        edge_pairs,
        diagram,
        nodes,
        edges,
    } = structure;
    let name_of = names(old, new);
    let to_new = |id: &NodeId| in_new_terms(&pairs, id);
    let old_edge_to_new: HashMap<&EdgeId, &EdgeId> =
        edge_pairs.iter().map(|(new, old)| (old, new)).collect();
    let flows = flow_changes(
        old_analysis,
        new_analysis,
        &to_new,
        &old_edge_to_new,
        &name_of,
    );
    let scopes = scope_changes(old_analysis, new_analysis, &to_new);
    let diagnostics = diagnostic_changes(old_analysis, new_analysis, &to_new);

    let unmatched = match matching {
        Matching::Id => Unmatched::default(),
        Matching::Structure => Unmatched {
            old: old
                .nodes
                .iter()
                .filter(|n| !pairs.old_to_new.contains_key(&n.id))
                .map(|n| n.id.clone())
                .collect(),
            new: new
                .nodes
                .iter()
                .filter(|n| !pairs.new_to_old.contains_key(&n.id))
                .map(|n| n.id.clone())
                .collect(),
        },
    };

    Diff {
        matching,
        old_name: old.name.clone(),
        new_name: new.name.clone(),
        diagram,
        nodes,
        edges,
        flows,
        scopes,
        diagnostics,
        unmatched,
    }
}

fn fact(name: &str, before: String, after: String) -> FactChange {
    FactChange {
        fact: name.into(),
        before: Some(before),
        after: Some(after),
    }
}

/// New edge id -> old edge id.
fn match_edges(
    old: &Diagram,
    new: &Diagram,
    matching: Matching,
    to_new: &dyn Fn(&NodeId) -> String,
) -> HashMap<EdgeId, EdgeId> {
    let mut pairs: HashMap<EdgeId, EdgeId> = HashMap::new();
    let mut old_left: Vec<&TrafficEdge> = Vec::new();
    let new_ids: HashMap<&EdgeId, &TrafficEdge> = new.edges.iter().map(|e| (&e.id, e)).collect();
    for edge in &old.edges {
        if matching == Matching::Id && new_ids.contains_key(&edge.id) {
            pairs.insert(edge.id.clone(), edge.id.clone());
        } else {
            old_left.push(edge);
        }
    }
    let mut new_left: Vec<&TrafficEdge> = new
        .edges
        .iter()
        .filter(|edge| !pairs.contains_key(&edge.id))
        .collect();
    // The same ends and port: an edge drawn again, or imported again.
    let ends = |edge: &TrafficEdge, renamed: bool| {
        if renamed {
            (to_new(&edge.from), to_new(&edge.to))
        } else {
            (edge.from.to_string(), edge.to.to_string())
        }
    };
    old_left.retain(|old_edge| {
        let wanted = ends(old_edge, true);
        let found = new_left.iter().position(|edge| {
            ends(edge, false) == wanted
                && edge.protocol == old_edge.protocol
                && edge.port == old_edge.port
        });
        match found {
            Some(at) => {
                pairs.insert(new_left.remove(at).id.clone(), old_edge.id.clone());
                false
            }
            None => true,
        }
    });
    // The same ends, once on each side: its port changed.
    for old_edge in old_left {
        let wanted = ends(old_edge, true);
        let olds_alike = old.edges.iter().filter(|e| ends(e, true) == wanted).count();
        let news: Vec<usize> = new_left
            .iter()
            .enumerate()
            .filter(|(_, e)| ends(e, false) == wanted)
            .map(|(at, _)| at)
            .collect();
        if let ([only], 1) = (news.as_slice(), olds_alike) {
            pairs.insert(new_left.remove(*only).id.clone(), old_edge.id.clone());
        }
    }
    pairs
}

/// A flow's identity across versions: its edge, or for an implied flow,
/// its kind, ends and port (with its place among look-alikes).
fn flow_keys<'a>(
    flows: &'a [FlowVerdict],
    node: &dyn Fn(&NodeId) -> String,
    edge: &dyn Fn(&EdgeId) -> String,
) -> Vec<(String, &'a FlowVerdict)> {
    let mut seen: HashMap<String, usize> = HashMap::new();
    flows
        .iter()
        .map(|flow| {
            let base = match &flow.edge {
                Some(id) => format!("edge {}", edge(id)),
                None => format!(
                    "{:?} {} {} {:?} {}",
                    flow.kind,
                    node(&flow.from),
                    flow.to.as_ref().map(node).unwrap_or_default(),
                    flow.protocol,
                    flow.port
                ),
            };
            let count = seen.entry(base.clone()).or_default();
            *count += 1;
            (format!("{base} #{count}"), flow)
        })
        .collect()
}

fn cause(flow: &FlowVerdict, name_of: &dyn Fn(&str) -> Option<String>) -> Option<Cause> {
    if flow.verdict == Verdict::Reachable {
        return None;
    }
    flow.blocked.as_ref().map(|blocked| Cause {
        code: blocked.code,
        at: blocked.node.clone(),
        at_name: blocked.node.as_ref().and_then(|id| name_of(id.as_str())),
        explanation: blocked.explanation.clone(),
    })
}

fn flow_changes(
    old: &Analysis,
    new: &Analysis,
    to_new: &dyn Fn(&NodeId) -> String,
    old_edge_to_new: &HashMap<&EdgeId, &EdgeId>,
    name_of: &dyn Fn(&str) -> Option<String>,
) -> Vec<FlowChange> {
    let old_keys = flow_keys(&old.flows, to_new, &|id| match old_edge_to_new.get(id) {
        Some(new_id) => new_id.to_string(),
        None => format!("old:{id}"),
    });
    let new_keys = flow_keys(&new.flows, &|id| id.to_string(), &|id| id.to_string());
    let mut before: HashMap<&str, &FlowVerdict> = HashMap::new();
    for (key, flow) in &old_keys {
        before.insert(key.as_str(), flow);
    }
    let mut out = Vec::new();
    for (key, flow) in &new_keys {
        let was = before.remove(key.as_str());
        let (now_cause, was_cause) = (cause(flow, name_of), was.and_then(|w| cause(w, name_of)));
        let same = match was {
            Some(was) => {
                was.verdict == flow.verdict
                    && was_cause
                        .as_ref()
                        .map(|c| (c.code, c.at.as_ref().map(to_new)))
                        == now_cause
                            .as_ref()
                            .map(|c| (c.code, c.at.as_ref().map(|id| id.to_string())))
            }
            None => false,
        };
        if same {
            continue;
        }
        out.push(FlowChange {
            kind: flow.kind,
            description: flow.description.clone(),
            from: flow.from.clone(),
            to: flow.to.clone(),
            edge: flow.edge.clone(),
            before: was.map(|w| w.verdict),
            after: Some(flow.verdict),
            cause: now_cause,
            was: was_cause,
        });
    }
    for (key, flow) in &old_keys {
        if before.contains_key(key.as_str()) {
            out.push(FlowChange {
                kind: flow.kind,
                description: flow.description.clone(),
                from: flow.from.clone(),
                to: flow.to.clone(),
                edge: flow.edge.clone(),
                before: Some(flow.verdict),
                after: None,
                cause: None,
                was: cause(flow, name_of),
            });
        }
    }
    out
}

fn scope_key(scope: &ScopeVerdict, node: &dyn Fn(&NodeId) -> String) -> String {
    if scope.builtin {
        format!("builtin {}", node(&scope.to))
    } else {
        format!(
            "{} {} {:?}",
            scope.from.as_ref().map(node).unwrap_or_default(),
            node(&scope.to),
            scope.port
        )
    }
}

fn scope_changes(
    old: &Analysis,
    new: &Analysis,
    to_new: &dyn Fn(&NodeId) -> String,
) -> Vec<ScopeChange> {
    let mut before: HashMap<String, &ScopeVerdict> = HashMap::new();
    for scope in &old.scopes {
        before.insert(scope_key(scope, to_new), scope);
    }
    let mut out = Vec::new();
    for scope in &new.scopes {
        let was = before.remove(&scope_key(scope, &|id| id.to_string()));
        if was.is_some_and(|was| was.holds == scope.holds) {
            continue;
        }
        out.push(ScopeChange {
            id: scope.id.clone(),
            builtin: scope.builtin,
            description: scope.description.clone(),
            to: scope.to.clone(),
            before: was.map(|w| w.holds),
            after: Some(scope.holds),
            path: scope.path.clone(),
        });
    }
    for scope in &old.scopes {
        if before.contains_key(&scope_key(scope, to_new)) {
            out.push(ScopeChange {
                id: scope.id.clone(),
                builtin: scope.builtin,
                description: scope.description.clone(),
                to: scope.to.clone(),
                before: Some(scope.holds),
                after: None,
                path: Vec::new(),
            });
        }
    }
    out
}

/// Diagnostics are the same when their rule, severity and elements are;
/// among those, equal messages pair first, and what is left pairs up when as
/// many are left on each side (a message reworded by a rename).
fn diagnostic_changes(
    old: &Analysis,
    new: &Analysis,
    to_new: &dyn Fn(&NodeId) -> String,
) -> Vec<DiagnosticChange> {
    type Group<'a> = (
        Vec<&'a crate::domain::validate::Diagnostic>,
        Vec<&'a crate::domain::validate::Diagnostic>,
    );
    let key = |d: &crate::domain::validate::Diagnostic, node: &dyn Fn(&NodeId) -> String| {
        let mut nodes: Vec<String> = d.nodes.iter().map(node).collect();
        crate::domain::sorting::sort(&mut nodes);
        (d.rule, d.severity, nodes)
    };
    let mut groups: HashMap<(u8, Severity, Vec<String>), Group> = HashMap::new();
    let mut order: Vec<(u8, Severity, Vec<String>)> = Vec::new();
    for d in &new.diagnostics {
        let k = key(d, &|id| id.to_string());
        if !groups.contains_key(&k) {
            order.push(k.clone());
        }
        groups.entry(k).or_default().1.push(d);
    }
    for d in &old.diagnostics {
        let k = key(d, to_new);
        if !groups.contains_key(&k) {
            order.push(k.clone());
        }
        groups.entry(k).or_default().0.push(d);
    }
    let mut appeared = Vec::new();
    let mut cleared = Vec::new();
    for k in &order {
        let Some((olds, news)) = groups.get(k) else {
            continue;
        };
        let mut olds = olds.clone();
        let mut news = news.clone();
        olds.retain(|o| match news.iter().position(|n| n.message == o.message) {
            Some(at) => {
                news.remove(at);
                false
            }
            None => true,
        });
        if olds.len() == news.len() {
            continue;
        }
        let change = |d: &crate::domain::validate::Diagnostic, status| DiagnosticChange {
            status,
            rule: d.rule_id(),
            severity: d.severity,
            message: d.message.clone(),
            nodes: d.nodes.clone(),
        };
        appeared.extend(news.iter().map(|d| change(d, Appearance::Appeared)));
        cleared.extend(olds.iter().map(|d| change(d, Appearance::Cleared)));
    }
    appeared.extend(cleared);
    appeared
}
