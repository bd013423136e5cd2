//! How `stackdraw validate` prints an analysis.

use stackdraw::domain::model::{Diagram, Node, NodeId};
use stackdraw::domain::validate::{Analysis, FlowVerdict, Severity, Verdict};
use std::fmt::Write;

/// Lines for people: diagnostics by severity, then flows, then scopes.
pub fn text(diagram: &Diagram, analysis: &Analysis) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}  ({})", diagram.name, diagram.region);
    for severity in [Severity::Error, Severity::Warning, Severity::Info] {
        let diagnostics: Vec<_> = analysis
            .diagnostics
            .iter()
            .filter(|d| d.severity == severity)
            .collect();
        if diagnostics.is_empty() {
            continue;
        }
        let _ = writeln!(out, "\n{} ({}):", plural(severity), diagnostics.len());
        for diagnostic in diagnostics {
            let _ = writeln!(out, "  {:<6} {}", diagnostic.rule_id(), diagnostic.message);
            for (at, fix) in diagnostic.fixes().enumerate() {
                let lead = if at == 0 { "fix" } else { " or" };
                let _ = writeln!(out, "         {lead}: {}", fix.label);
            }
        }
    }
    if !analysis.flows.is_empty() {
        let _ = writeln!(out, "\nflows:");
        for flow in &analysis.flows {
            out.push_str("  ");
            out.push_str(&flow_line(flow));
        }
    }
    if !analysis.invocations.is_empty() {
        let _ = writeln!(out, "\ninvocations:");
        for invocation in &analysis.invocations {
            let _ = writeln!(
                out,
                "  {:<9}  {}\n             {}",
                if invocation.allowed {
                    "allowed"
                } else {
                    "DENIED"
                },
                invocation.description,
                invocation.reason
            );
        }
    }
    if !analysis.scopes.is_empty() {
        let _ = writeln!(out, "\nmust-not-exist scopes:");
        for scope in &analysis.scopes {
            let _ = writeln!(
                out,
                "  {:<9} {}",
                if scope.holds { "holds" } else { "BROKEN" },
                scope.description
            );
        }
    }
    let reachable = analysis.flows.iter().filter(|flow| flow.reachable).count();
    let partial = analysis
        .flows
        .iter()
        .filter(|flow| flow.verdict == Verdict::Partial)
        .count();
    let holding = analysis.scopes.iter().filter(|scope| scope.holds).count();
    let _ = writeln!(
        out,
        "\nsummary: {} errors, {} warnings, {} info; {reachable} of {} flows reachable{}; {holding} of {} scopes hold",
        analysis.count(Severity::Error),
        analysis.count(Severity::Warning),
        analysis.count(Severity::Info),
        analysis.flows.len(),
        if partial > 0 {
            format!(" ({partial} partially)")
        } else {
            String::new()
        },
        analysis.scopes.len()
    );
    out
}

fn plural(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "errors",
        Severity::Warning => "warnings",
        Severity::Info => "information",
    }
}

/// One flow: its verdict, then its path, where it stops, or both.
pub fn flow_line(flow: &FlowVerdict) -> String {
    let path = || {
        flow.hops
            .iter()
            .map(|hop| hop.description.as_str())
            .collect::<Vec<_>>()
            .join(" -> ")
    };
    match (flow.verdict, &flow.blocked) {
        (Verdict::Reachable, _) | (_, None) => {
            format!("reachable  {}\n             {}\n", flow.description, path())
        }
        (Verdict::Partial, Some(_)) => {
            let mut text = format!("PARTIAL    {}\n             {}\n", flow.description, path());
            for cut in &flow.cut_off {
                let _ = writeln!(
                    text,
                    "             cut off: {}",
                    cut.describe(cut.subnet.as_str())
                );
            }
            text
        }
        (Verdict::Blocked, Some(stop)) => format!(
            "BLOCKED    {}\n             {} ({})\n",
            flow.description,
            stop.explanation,
            stop.code.as_str()
        ),
    }
}

/// The documented JSON shape (docs/rules.md): diagnostics, flows, scopes and
/// a summary, with rule ids, severities, element ids and explanation codes.
pub fn json(analysis: &Analysis) -> String {
    let value = serde_json::json!({
        "summary": {
            "errors": analysis.count(Severity::Error),
            "warnings": analysis.count(Severity::Warning),
            "info": analysis.count(Severity::Info),
            "flows": analysis.flows.len(),
            // Every flow that does not get through to all its targets,
            // partial ones included, so a gate on it misses nothing.
            "flows_blocked": analysis.flows.iter().filter(|flow| !flow.reachable).count(),
            "flows_partial": analysis.flows.iter().filter(|flow| flow.verdict == Verdict::Partial).count(),
            "scopes": analysis.scopes.len(),
            "scopes_broken": analysis.scopes.iter().filter(|scope| !scope.holds).count(),
            "invocations": analysis.invocations.len(),
            "invocations_denied": analysis.invocations.iter().filter(|i| !i.allowed).count(),
        },
        "diagnostics": analysis.diagnostics,
        "flows": analysis.flows,
        "scopes": analysis.scopes,
        "invocations": analysis.invocations,
    });
    let mut text = serde_json::to_string_pretty(&value)
        .unwrap_or_else(|error| unreachable!("plain data serialises: {error}"));
    text.push('\n');
    text
}

/// One flow as JSON: the same shape as each entry of `flows` in
/// `validate --format json`.
pub fn flow_json(flow: &FlowVerdict) -> String {
    let mut text = serde_json::to_string_pretty(flow)
        .unwrap_or_else(|error| unreachable!("plain data serialises: {error}"));
    text.push('\n');
    text
}

/// The node a command-line argument names: its id, or else its name when
/// exactly one node has it (ignoring case). Otherwise says what was not
/// found and lists the closest ids and names.
pub fn find_node(diagram: &Diagram, wanted: &str) -> Result<NodeId, String> {
    if let Some(node) = diagram.nodes.iter().find(|node| node.id.as_str() == wanted) {
        return Ok(node.id.clone());
    }
    let named: Vec<&Node> = diagram
        .nodes
        .iter()
        .filter(|node| node.name.eq_ignore_ascii_case(wanted))
        .collect();
    match named.as_slice() {
        [only] => return Ok(only.id.clone()),
        [] => {}
        several => {
            let ids: Vec<&str> = several.iter().map(|node| node.id.as_str()).collect();
            return Err(format!(
                "{wanted:?} is the name of {} nodes; give one of their ids: {}",
                several.len(),
                ids.join(", ")
            ));
        }
    }
    let close = close_matches(diagram, wanted);
    if close.is_empty() {
        Err(format!(
            "the diagram has no node with the id or name {wanted:?}"
        ))
    } else {
        Err(format!(
            "the diagram has no node with the id or name {wanted:?}; did you mean {}?",
            close.join(", ")
        ))
    }
}

/// Up to five ids (with their names) closest to what was typed: those that
/// contain it, or are within a few edits of it.
fn close_matches(diagram: &Diagram, wanted: &str) -> Vec<String> {
    let wanted_lower = wanted.to_ascii_lowercase();
    let mut scored: Vec<(usize, String)> = diagram
        .nodes
        .iter()
        .filter_map(|node| {
            let id = node.id.as_str().to_ascii_lowercase();
            let name = node.name.to_ascii_lowercase();
            let distance =
                edit_distance(&wanted_lower, &id).min(edit_distance(&wanted_lower, &name));
            let contains = !wanted_lower.is_empty()
                && (id.contains(&wanted_lower) || name.contains(&wanted_lower));
            let limit = (wanted.chars().count() / 3).max(2);
            (contains || distance <= limit).then(|| {
                (
                    if contains { 0 } else { distance },
                    format!("{} ({:?})", node.id, node.name),
                )
            })
        })
        .collect();
    scored.sort();
    scored.into_iter().take(5).map(|(_, text)| text).collect()
}

/// Levenshtein distance over characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (above + 1)
                .min(row[j] + 1)
                .min(diagonal + usize::from(ca != *cb));
            diagonal = above;
        }
    }
    row[b.len()]
}
