//! A diff for people: lines for a terminal, markdown for a pull request's
//! comment (a one-line summary, then tables, long detail folded), and the
//! JSON tools read.

use super::{Appearance, Cause, Change, Diff, FactChange, FlowChange, Gate, ScopeChange};
use crate::domain::validate::{Hop, Verdict};
use std::fmt::Write;

/// The verdict words: `none` when a version does not have the flow.
pub fn verdict_word(verdict: Option<Verdict>) -> &'static str {
    verdict.map_or("none", Verdict::as_str)
}

/// `CODE at "name": explanation`.
pub fn describe_cause(cause: &Cause) -> String {
    match &cause.at_name {
        Some(name) => format!("{} at {name:?}: {}", cause.code.as_str(), cause.explanation),
        None => format!("{}: {}", cause.code.as_str(), cause.explanation),
    }
}

/// One flow's change: `"service" -> "aurora" on tcp/5432: reachable ->
/// blocked (ENI_SG_RULES_MISMATCH at "aurora": …)`.
pub fn flow_line(flow: &FlowChange) -> String {
    let why = match (&flow.cause, &flow.was) {
        (Some(now), _) => format!(" ({})", describe_cause(now)),
        (None, Some(was)) => format!(" (was {})", describe_cause(was)),
        (None, None) => String::new(),
    };
    format!(
        "{}: {} -> {}{why}",
        flow.description,
        verdict_word(flow.before),
        verdict_word(flow.after)
    )
}

fn holds_word(holds: Option<bool>) -> &'static str {
    match holds {
        None => "none",
        Some(true) => "holds",
        Some(false) => "broken",
    }
}

pub fn scope_line(scope: &ScopeChange) -> String {
    format!(
        "{}: {} -> {}",
        scope.description,
        holds_word(scope.before),
        holds_word(scope.after)
    )
}

fn path_text(path: &[Hop]) -> String {
    path.iter()
        .map(|hop| hop.description.as_str())
        .collect::<Vec<_>>()
        .join(" -> ")
}

pub fn fact_line(fact: &FactChange) -> String {
    match (&fact.before, &fact.after) {
        (Some(before), Some(after)) => format!("{}: {before} -> {after}", fact.fact),
        (Some(before), None) => format!("{}: - {before}", fact.fact),
        (None, Some(after)) => format!("{}: + {after}", fact.fact),
        (None, None) => fact.fact.clone(),
    }
}

fn plural(count: usize, one: &str, many: &str) -> String {
    format!("{count} {}", if count == 1 { one } else { many })
}

/// The one-line summary: what a reviewer must look at first, then the size
/// of the change.
pub fn summary(diff: &Diff) -> String {
    if diff.is_empty() {
        return format!("no changes (nodes matched {})", diff.matching.describe());
    }
    let mut parts = Vec::new();
    let blocked = diff.gate_count(Gate::Blocked);
    let partial = diff.gate_count(Gate::Partial);
    let opened = diff
        .flows
        .iter()
        .filter(|f| {
            f.after == Some(Verdict::Reachable) && f.before.is_some_and(|b| b != Verdict::Reachable)
        })
        .count();
    let broken = diff.gate_count(Gate::Scope);
    let errors = diff.gate_count(Gate::Error);
    if blocked > 0 {
        parts.push(format!("{} blocked", plural(blocked, "flow", "flows")));
    }
    if partial > 0 {
        parts.push(format!(
            "{} partially reachable",
            plural(partial, "flow", "flows")
        ));
    }
    if broken > 0 {
        parts.push(format!("{} broken", plural(broken, "scope", "scopes")));
    }
    if errors > 0 {
        parts.push(plural(errors, "new error", "new errors"));
    }
    if opened > 0 {
        parts.push(format!("{} now reachable", plural(opened, "flow", "flows")));
    }
    parts.push(format!(
        "{} changed, {} added, {} removed",
        plural(diff.count(Change::Changed), "node", "nodes"),
        diff.count(Change::Added),
        diff.count(Change::Removed)
    ));
    if !diff.edges.is_empty() {
        parts.push(format!(
            "{} changed",
            plural(diff.edges.len(), "edge", "edges")
        ));
    }
    parts.push(format!("nodes matched {}", diff.matching.describe()));
    parts.join("; ")
}

fn mark(change: Change) -> char {
    match change {
        Change::Added => '+',
        Change::Removed => '-',
        Change::Changed => '~',
    }
}

/// Lines for a terminal; `review_link`, when given, opens both versions in
/// the app's compare mode.
pub fn text(diff: &Diff, review_link: Option<&str>) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{:?} -> {:?}", diff.old_name, diff.new_name);
    let _ = writeln!(out, "summary: {}", summary(diff));
    if let Some(link) = review_link {
        let _ = writeln!(out, "review link: {link}");
    }
    if !diff.diagram.is_empty() {
        let _ = writeln!(out, "\ndiagram:");
        for fact in &diff.diagram {
            let _ = writeln!(out, "  {}", fact_line(fact));
        }
    }
    if !diff.flows.is_empty() {
        let _ = writeln!(out, "\nflows:");
        for flow in &diff.flows {
            let _ = writeln!(out, "  {}", flow_line(flow));
        }
    }
    if !diff.scopes.is_empty() {
        let _ = writeln!(out, "\nmust-not-exist scopes:");
        for scope in &diff.scopes {
            let _ = writeln!(out, "  {}", scope_line(scope));
            if !scope.path.is_empty() && scope.after == Some(false) {
                let _ = writeln!(out, "      path: {}", path_text(&scope.path));
            }
        }
    }
    if !diff.diagnostics.is_empty() {
        let _ = writeln!(out, "\nproblems:");
        for d in &diff.diagnostics {
            let sign = if d.status == Appearance::Appeared {
                '+'
            } else {
                '-'
            };
            let _ = writeln!(
                out,
                "  {sign} {:<7} {:<6} {}",
                d.severity.as_str(),
                d.rule,
                d.message
            );
        }
    }
    if !diff.nodes.is_empty() {
        let _ = writeln!(out, "\nnodes:");
        for node in &diff.nodes {
            let _ = writeln!(out, "  {} {} {:?}", mark(node.change), node.kind, node.name);
            for fact in &node.facts {
                let _ = writeln!(out, "      {}", fact_line(fact));
            }
        }
    }
    if !diff.edges.is_empty() {
        let _ = writeln!(out, "\nedges:");
        for edge in &diff.edges {
            let _ = writeln!(out, "  {} {}", mark(edge.change), edge.description);
            for fact in &edge.facts {
                let _ = writeln!(out, "      {}", fact_line(fact));
            }
        }
    }
    if !diff.unmatched.old.is_empty() || !diff.unmatched.new.is_empty() {
        let ids = |ids: &[crate::domain::model::NodeId]| {
            ids.iter()
                .map(|id| id.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        };
        let _ = writeln!(
            out,
            "\nnot matched (listed as removed and added above): older: {}; newer: {}",
            ids(&diff.unmatched.old),
            ids(&diff.unmatched.new)
        );
    }
    out
}

/// Text made safe for a markdown table cell: no cell breaks, no HTML, no
/// line breaks, no formatting a hostile name could smuggle in.
pub fn cell(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '|' => out.push_str("\\|"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '&' => out.push_str("&amp;"),
            '\\' | '`' | '*' | '_' | '[' | ']' | '#' | '~' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' | '\t' => out.push(' '),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Markdown for a pull request's comment; `review_link`, when given, opens
/// both versions in the app's compare mode.
pub fn markdown(diff: &Diff, review_link: Option<&str>) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "**stackdraw diff**: {}\n", cell(&summary(diff)));
    if let Some(link) = review_link {
        // A link stackdraw made: base64url after the site's address, which
        // the caller gave; parentheses and spaces are escaped all the same.
        let link = link
            .replace(' ', "%20")
            .replace('(', "%28")
            .replace(')', "%29");
        let _ = writeln!(
            out,
            "[Open both versions in stackdraw's compare mode]({link})\n"
        );
    }
    if diff.is_empty() {
        return out;
    }
    if !diff.flows.is_empty() {
        let _ = writeln!(out, "#### Flows whose verdict changed\n");
        let _ = writeln!(
            out,
            "| Flow | Before | After | Why |\n| --- | --- | --- | --- |"
        );
        for flow in &diff.flows {
            let why = match (&flow.cause, &flow.was) {
                (Some(now), _) => describe_cause(now),
                (None, Some(was)) => format!("was {}", describe_cause(was)),
                (None, None) => String::new(),
            };
            let after = match flow.after {
                Some(Verdict::Blocked) | Some(Verdict::Partial) => {
                    format!("**{}**", verdict_word(flow.after))
                }
                other => verdict_word(other).to_string(),
            };
            let _ = writeln!(
                out,
                "| {} | {} | {after} | {} |",
                cell(&flow.description),
                verdict_word(flow.before),
                cell(&why)
            );
        }
        out.push('\n');
    }
    if !diff.scopes.is_empty() {
        let _ = writeln!(out, "#### Must-not-exist scopes\n");
        let _ = writeln!(
            out,
            "| Scope | Before | After | Path |\n| --- | --- | --- | --- |"
        );
        for scope in &diff.scopes {
            let after = if scope.after == Some(false) {
                "**broken**".to_string()
            } else {
                holds_word(scope.after).to_string()
            };
            let path = if scope.after == Some(false) {
                path_text(&scope.path)
            } else {
                String::new()
            };
            let _ = writeln!(
                out,
                "| {} | {} | {after} | {} |",
                cell(&scope.description),
                holds_word(scope.before),
                cell(&path)
            );
        }
        out.push('\n');
    }
    if !diff.diagnostics.is_empty() {
        let _ = writeln!(out, "#### Problems\n");
        let _ = writeln!(
            out,
            "| | Severity | Rule | Message |\n| --- | --- | --- | --- |"
        );
        for d in &diff.diagnostics {
            let status = match d.status {
                Appearance::Appeared => "appeared",
                Appearance::Cleared => "cleared",
            };
            let _ = writeln!(
                out,
                "| {status} | {} | {} | {} |",
                d.severity.as_str(),
                d.rule,
                cell(&d.message)
            );
        }
        out.push('\n');
    }
    if !diff.nodes.is_empty() || !diff.diagram.is_empty() {
        let _ = writeln!(
            out,
            "<details><summary>Nodes: {} changed, {} added, {} removed</summary>\n",
            diff.count(Change::Changed),
            diff.count(Change::Added),
            diff.count(Change::Removed)
        );
        let _ = writeln!(
            out,
            "| | Kind | Name | Changes |\n| --- | --- | --- | --- |"
        );
        for fact in &diff.diagram {
            let _ = writeln!(out, "| changed | Diagram | | {} |", cell(&fact_line(fact)));
        }
        for node in &diff.nodes {
            let facts: Vec<String> = node.facts.iter().map(|f| cell(&fact_line(f))).collect();
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} |",
                change_word(node.change),
                cell(&node.kind),
                cell(&node.name),
                facts.join("<br>")
            );
        }
        let _ = writeln!(out, "\n</details>\n");
    }
    if !diff.edges.is_empty() {
        let _ = writeln!(
            out,
            "<details><summary>Edges: {}</summary>\n",
            diff.edges.len()
        );
        let _ = writeln!(out, "| | Edge | Changes |\n| --- | --- | --- |");
        for edge in &diff.edges {
            let facts: Vec<String> = edge.facts.iter().map(|f| cell(&fact_line(f))).collect();
            let _ = writeln!(
                out,
                "| {} | {} | {} |",
                change_word(edge.change),
                cell(&edge.description),
                facts.join("<br>")
            );
        }
        let _ = writeln!(out, "\n</details>\n");
    }
    if !diff.unmatched.old.is_empty() || !diff.unmatched.new.is_empty() {
        let _ = writeln!(
            out,
            "Nodes matched by kind, name and containment; {} of the older and {} of the newer version had no certain partner and are listed as removed and added.",
            diff.unmatched.old.len(),
            diff.unmatched.new.len()
        );
    }
    out
}

fn change_word(change: Change) -> &'static str {
    match change {
        Change::Added => "added",
        Change::Removed => "removed",
        Change::Changed => "changed",
    }
}

/// The JSON shape: the diff itself with a summary of what each gate sees
/// (and `review_link` when one was asked for).
pub fn json(diff: &Diff, review_link: Option<&str>) -> String {
    let mut value = serde_json::to_value(diff).unwrap_or(serde_json::Value::Null);
    if let serde_json::Value::Object(map) = &mut value {
        if let Some(link) = review_link {
            map.insert("review_link".into(), link.into());
        }
        let mut summary = serde_json::Map::new();
        summary.insert("text".into(), summary_value(&self::summary(diff)));
        for gate in Gate::ALL {
            summary.insert(gate.name().into(), diff.gate_count(gate).into());
        }
        summary.insert("nodes_added".into(), diff.count(Change::Added).into());
        summary.insert("nodes_removed".into(), diff.count(Change::Removed).into());
        summary.insert("nodes_changed".into(), diff.count(Change::Changed).into());
        summary.insert("empty".into(), diff.is_empty().into());
        map.insert("summary".into(), serde_json::Value::Object(summary));
    }
    let mut text = serde_json::to_string_pretty(&value).unwrap_or_default();
    text.push('\n');
    text
}

fn summary_value(text: &str) -> serde_json::Value {
    serde_json::Value::String(text.to_string())
}

/// Which list of compare mode's panel an item belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PanelList {
    Flow,
    Scope,
    Problem,
    Node,
    Edge,
}

impl PanelList {
    pub const ALL: [PanelList; 5] = [
        PanelList::Flow,
        PanelList::Scope,
        PanelList::Problem,
        PanelList::Node,
        PanelList::Edge,
    ];

    pub fn name(self) -> &'static str {
        match self {
            PanelList::Flow => "flow",
            PanelList::Scope => "scope",
            PanelList::Problem => "problem",
            PanelList::Node => "node",
            PanelList::Edge => "edge",
        }
    }
}

/// One line of compare mode's panel: what it says, what it selects, and
/// how the canvas marks it.
#[derive(Clone, Debug, PartialEq)]
pub struct PanelItem {
    pub list: PanelList,
    /// `added`, `removed` or `changed` for nodes and edges; `worse` for a
    /// flow that no longer (fully) gets through; empty otherwise.
    pub mark: String,
    pub node: Option<crate::domain::model::NodeId>,
    pub edge: Option<crate::domain::model::EdgeId>,
    pub text: String,
}

/// Compare mode's panel: the summary and every item, in the diff's order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Panel {
    pub summary: String,
    pub items: Vec<PanelItem>,
}

impl Panel {
    pub fn of(&self, list: PanelList) -> impl Iterator<Item = &PanelItem> {
        self.items.iter().filter(move |item| item.list == list)
    }
}

/// A field of a panel line: no tab or line break can break the line apart.
fn field(text: &str) -> String {
    text.replace(['\t', '\n', '\r'], " ")
}

/// The panel as lines (`list \t mark \t node \t edge \t text`), which the
/// export worker computes and the app's editor reads with [`parse_panel`],
/// so the app's module carries neither the diff nor the checks it runs.
pub fn panel(diff: &Diff) -> String {
    let mut out = format!("{}\n", field(&summary(diff)));
    let mut line =
        |list: PanelList, mark: &str, node: Option<&str>, edge: Option<&str>, text: String| {
            let _ = writeln!(
                out,
                "{}\t{mark}\t{}\t{}\t{}",
                list.name(),
                node.unwrap_or(""),
                edge.unwrap_or(""),
                field(&text)
            );
        };
    for flow in &diff.flows {
        let worse = matches!(flow.after, Some(Verdict::Blocked | Verdict::Partial))
            && flow.before != flow.after;
        line(
            PanelList::Flow,
            if worse { "worse" } else { "" },
            Some(flow.from.as_str()),
            flow.edge.as_ref().map(|e| e.as_str()),
            flow_line(flow),
        );
    }
    for scope in &diff.scopes {
        line(
            PanelList::Scope,
            "",
            Some(scope.to.as_str()),
            None,
            scope_line(scope),
        );
    }
    for d in &diff.diagnostics {
        let status = match d.status {
            Appearance::Appeared => "appeared",
            Appearance::Cleared => "cleared",
        };
        line(
            PanelList::Problem,
            "",
            d.nodes.first().map(|n| n.as_str()),
            None,
            format!("{status}: {} {} {}", d.severity.as_str(), d.rule, d.message),
        );
    }
    for node in &diff.nodes {
        let mut text = format!(
            "{}: {} {:?}",
            change_word(node.change),
            node.kind,
            node.name
        );
        for fact in &node.facts {
            text.push_str("; ");
            text.push_str(&fact_line(fact));
        }
        line(
            PanelList::Node,
            change_word(node.change),
            Some(node.id.as_str()),
            None,
            text,
        );
    }
    for edge in &diff.edges {
        let mut text = format!("{}: {}", change_word(edge.change), edge.description);
        for fact in &edge.facts {
            text.push_str("; ");
            text.push_str(&fact_line(fact));
        }
        line(
            PanelList::Edge,
            change_word(edge.change),
            None,
            Some(edge.id.as_str()),
            text,
        );
    }
    out
}

/// Reads [`panel`]'s lines; a line it cannot read is skipped.
pub fn parse_panel(text: &str) -> Panel {
    let mut lines = text.lines();
    let summary = lines.next().unwrap_or("").to_string();
    let items = lines
        .filter_map(|line| {
            let mut fields = line.splitn(5, '\t');
            let list = fields.next()?;
            let list = PanelList::ALL.into_iter().find(|l| l.name() == list)?;
            let mark = fields.next()?.to_string();
            let node = crate::domain::model::NodeId::new(fields.next()?).ok();
            let edge = crate::domain::model::EdgeId::new(fields.next()?).ok();
            let text = fields.next()?.to_string();
            Some(PanelItem {
                list,
                mark,
                node,
                edge,
                text,
            })
        })
        .collect();
    Panel { summary, items }
}
