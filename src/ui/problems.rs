use super::state::use_app;
use crate::domain::validate::{Analysis, Diagnostic, Severity};
use leptos::prelude::*;

/// Every diagnostic, grouped by severity, with its rule id and fix.
#[component]
pub fn ProblemsPanel() -> impl IntoView {
    let analysis = expect_context::<Memo<Analysis>>();
    let editor = expect_context::<super::editor::Loaded>();
    view! {
        <section class="panel problems" data-testid="problems-panel" aria-label="Problems">
            <h2>"Problems"</h2>
            {move || {
                analysis
                    .with(|analysis| {
                        if analysis.pending {
                            let text = if editor.failed() {
                                "The checks could not be loaded (is the network down?); reload the page to see the problems."
                            } else {
                                "Checking the design…"
                            };
                            return view! { <p class="empty" data-testid="problems-pending">{text}</p> }.into_any();
                        }
                        if analysis.diagnostics.is_empty() {
                            return view! { <p class="empty">"No problems found."</p> }.into_any();
                        }
                        [Severity::Error, Severity::Warning, Severity::Info]
                            .into_iter()
                            .map(|severity| group(analysis, severity))
                            .collect_view()
                            .into_any()
                    })
            }}
        </section>
    }
}

fn group(analysis: &Analysis, severity: Severity) -> impl IntoView + use<> {
    let items: Vec<Diagnostic> = analysis
        .diagnostics
        .iter()
        .filter(|diagnostic| diagnostic.severity == severity)
        .cloned()
        .collect();
    if items.is_empty() {
        return None;
    }
    let title = match severity {
        Severity::Error => "Errors",
        Severity::Warning => "Warnings",
        Severity::Info => "Information",
    };
    let count = items.len();
    // Warnings and information of one rule collapse into one row: a diagram
    // with many alike (a NAT per zone, say) still reads at a glance.
    let mut rows: Vec<Vec<Diagnostic>> = Vec::new();
    for item in items {
        match rows.last_mut() {
            Some(row) if severity != Severity::Error && row[0].rule == item.rule => row.push(item),
            _ => rows.push(vec![item]),
        }
    }
    Some(view! {
        <div class=format!("group {}", severity.as_str()) data-testid=format!("problems-{}", severity.as_str())>
            <h3>{title} " (" {count} ")"</h3>
            <ul>
                {rows
                    .into_iter()
                    .map(|mut row| {
                        if row.len() == 1 {
                            problem(row.remove(0)).into_any()
                        } else {
                            alike(row).into_any()
                        }
                    })
                    .collect_view()}
            </ul>
        </div>
    })
}

/// Several problems of one rule as one row that opens to show each.
fn alike(row: Vec<Diagnostic>) -> impl IntoView {
    let rule = row[0].rule_id();
    let shown = rule.clone();
    let summary = format!("{} alike, e.g. {}", row.len(), row[0].message);
    view! {
        <li class="problem-group" data-testid="problem-group" data-rule=rule>
            <details>
                <summary>
                    <span class="rule">{shown}</span>
                    <span class="message">{summary}</span>
                </summary>
                <ul>{row.into_iter().map(problem).collect_view()}</ul>
            </details>
        </li>
    }
}

fn problem(diagnostic: Diagnostic) -> impl IntoView {
    let state = use_app();
    let culprit = diagnostic.nodes.first().cloned();
    let nodes: Vec<String> = diagnostic.nodes.iter().map(|id| id.to_string()).collect();
    // The preferred fix first (the secure one), then the others.
    let fix = diagnostic
        .fixes()
        .cloned()
        .enumerate()
        .map(|(at, fix)| {
            let label = fix.label.clone();
            view! {
                <button
                    class=if at == 0 { "fix" } else { "fix alternative" }
                    data-testid=if at == 0 { "problem-fix" } else { "problem-alternative" }
                    on:click=move |event| {
                        event.stop_propagation();
                        super::editor::send(state, super::editor::Request::Run(fix.command.clone()));
                    }
                >
                    {label}
                </button>
            }
        })
        .collect_view();
    view! {
        <li
            class="problem"
            data-testid="problem"
            data-rule=diagnostic.rule_id()
            data-severity=diagnostic.severity.as_str()
            data-nodes=nodes.join(" ")
            on:click=move |_| {
                if let Some(id) = culprit.clone() {
                    state.reveal(id);
                }
            }
        >
            <span class="rule">{diagnostic.rule_id()}</span>
            <span class="message">{diagnostic.message.clone()}</span>
            {fix}
        </li>
    }
}
