//! How `stackdraw validate` prints an analysis.

use stackdraw::domain::model::Diagram;
use stackdraw::domain::validate::{Analysis, FlowVerdict, Severity};
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
            if let Some(fix) = &diagnostic.fix {
                let _ = writeln!(out, "         fix: {}", fix.label);
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
    let holding = analysis.scopes.iter().filter(|scope| scope.holds).count();
    let _ = writeln!(
        out,
        "\nsummary: {} errors, {} warnings, {} info; {reachable} of {} flows reachable; {holding} of {} scopes hold",
        analysis.count(Severity::Error),
        analysis.count(Severity::Warning),
        analysis.count(Severity::Info),
        analysis.flows.len(),
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

/// One flow: its verdict, then its path or where it stops.
pub fn flow_line(flow: &FlowVerdict) -> String {
    match &flow.blocked {
        None => {
            let path: Vec<&str> = flow
                .hops
                .iter()
                .map(|hop| hop.description.as_str())
                .collect();
            format!(
                "reachable  {}\n             {}\n",
                flow.description,
                path.join(" -> ")
            )
        }
        Some(stop) => format!(
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
            "flows_blocked": analysis.flows.iter().filter(|flow| !flow.reachable).count(),
            "scopes": analysis.scopes.len(),
            "scopes_broken": analysis.scopes.iter().filter(|scope| !scope.holds).count(),
        },
        "diagnostics": analysis.diagnostics,
        "flows": analysis.flows,
        "scopes": analysis.scopes,
    });
    let mut text = serde_json::to_string_pretty(&value)
        .unwrap_or_else(|error| unreachable!("plain data serialises: {error}"));
    text.push('\n');
    text
}
