use super::state::use_app;
use crate::domain::validate::{Analysis, Diagnostic, Severity};
use leptos::prelude::*;

/// Every diagnostic, grouped by severity, with its rule id and fix.
#[component]
pub fn ProblemsPanel() -> impl IntoView {
    let analysis = expect_context::<Memo<Analysis>>();
    view! {
        <section class="panel problems" data-testid="problems-panel" aria-label="Problems">
            <h2>"Problems"</h2>
            {move || {
                analysis
                    .with(|analysis| {
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
    Some(view! {
        <div class=format!("group {}", severity.as_str()) data-testid=format!("problems-{}", severity.as_str())>
            <h3>{title} " (" {items.len()} ")"</h3>
            <ul>{items.into_iter().map(problem).collect_view()}</ul>
        </div>
    })
}

fn problem(diagnostic: Diagnostic) -> impl IntoView {
    let state = use_app();
    let culprit = diagnostic.nodes.first().cloned();
    let nodes: Vec<String> = diagnostic.nodes.iter().map(|id| id.to_string()).collect();
    let fix = diagnostic.fix.clone().map(|fix| {
        let label = fix.label.clone();
        view! {
            <button
                class="fix"
                data-testid="problem-fix"
                on:click=move |event| {
                    event.stop_propagation();
                    super::editor::send(state, super::editor::Request::Run(fix.command.clone()));
                }
            >
                {label}
            </button>
        }
    });
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
