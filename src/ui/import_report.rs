//! The import report beside an imported diagram: what became of each
//! resource of the template. Resources drawn as nodes (and the nodes drawn
//! for what the template is given) select their node; those folded into
//! another node say which; those not drawn say why.

use super::state::use_app;
use crate::domain::import::report::{Outcome, Report};
use crate::domain::model::NodeId;
use leptos::prelude::*;

#[component]
pub fn ImportReport() -> impl IntoView {
    let state = use_app();
    move || {
        let (file, lines) = state.import_report.get()?;
        let report = Report::decode(&lines);
        let drawn = report.count(|o| *o == Outcome::Mapped);
        let folded: Vec<_> = report
            .items
            .iter()
            .filter_map(|item| match &item.outcome {
                Outcome::Folded(into) => Some((item.clone(), into.clone())),
                _ => None,
            })
            .collect();
        let others: Vec<_> = report
            .items
            .iter()
            .filter_map(|item| match &item.outcome {
                Outcome::Other(why) => Some((item.clone(), why.clone())),
                _ => None,
            })
            .collect();
        let not_drawn: Vec<_> = report
            .items
            .iter()
            .filter_map(|item| match &item.outcome {
                Outcome::NotDrawn(why) => Some((item.clone(), why.clone())),
                _ => None,
            })
            .collect();
        let select = move |id: String| {
            if let Ok(id) = NodeId::new(id) {
                state.select_only(id);
            }
        };
        let node_button = move |id: String, label: String| {
            let target = id.clone();
            view! {
                <button class="link-button" data-testid="import-report-node" data-node-id=id on:click=move |_| select(target.clone())>
                    {label}
                </button>
            }
        };
        let summary = format!(
            "{} resources: {drawn} drawn, {} folded into the nodes they configure, {} drawn as other resources (not analysed), {} not drawn.",
            report.items.len(),
            folded.len(),
            others.len(),
            not_drawn.len()
        );
        let drawn_items: Vec<_> = report
            .items
            .iter()
            .filter(|item| item.outcome == Outcome::Mapped)
            .map(|item| {
                view! {
                    <li>
                        {node_button(item.logical_id.clone(), item.logical_id.clone())}
                        {format!(" {} ({})", item.resource_type, item.place())}
                    </li>
                }
            })
            .collect_view();
        Some(view! {
            <section class="panel import-report" data-testid="import-report" aria-label="Import report">
                <h2>{format!("Imported {file}")}</h2>
                <p data-testid="import-report-summary">{summary}</p>
                {(!not_drawn.is_empty()).then(|| view! {
                    <h3>"Not drawn"</h3>
                    <ul data-testid="import-report-not-drawn">
                        {not_drawn.into_iter().map(|(item, why)| view! {
                            <li data-logical-id=item.logical_id.clone()>
                                <strong>{item.logical_id.clone()}</strong>
                                {format!(" {} ({}): {why}", item.resource_type, item.place())}
                            </li>
                        }).collect_view()}
                    </ul>
                })}
                {(!others.is_empty()).then(|| view! {
                    <h3>"Other resources (not analysed)"</h3>
                    <p class="hint">"Types stackdraw does not model, and placeholders for what is not known before a deploy: drawn below the diagram, left out of exports."</p>
                    <ul data-testid="import-report-other">
                        {others.into_iter().map(|(item, why)| view! {
                            <li data-logical-id=item.logical_id.clone()>
                                {node_button(item.logical_id.clone(), item.logical_id.clone())}
                                {format!(" {} ({}): {why}", item.resource_type, item.place())}
                            </li>
                        }).collect_view()}
                    </ul>
                })}
                {(!report.stand_ins.is_empty()).then(|| view! {
                    <h3>"Drawn for what the template is given"</h3>
                    <ul data-testid="import-report-stand-ins">
                        {report.stand_ins.iter().cloned().map(|(node, what)| view! {
                            <li>{node_button(node.clone(), node)}{format!(": {what}")}</li>
                        }).collect_view()}
                    </ul>
                })}
                {(!report.missing_parameters.is_empty()).then(|| view! {
                    <h3>"Parameters without a value"</h3>
                    <p class="hint">"What depends on them is unknown; give them with the command line's --param, or a default in the template."</p>
                    <ul data-testid="import-report-parameters">
                        {report.missing_parameters.iter().cloned().map(|name| view! { <li>{name}</li> }).collect_view()}
                    </ul>
                })}
                {(!report.missing_variables.is_empty()).then(|| view! {
                    <h3>"Variables without a value"</h3>
                    <p class="hint">"What depends on them is unknown; give them with the command line's --var, or a default in the module."</p>
                    <ul data-testid="import-report-variables">
                        {report.missing_variables.iter().cloned().map(|name| view! { <li>{name}</li> }).collect_view()}
                    </ul>
                })}
                <details>
                    <summary>{format!("Drawn ({drawn})")}</summary>
                    <ul data-testid="import-report-drawn">{drawn_items}</ul>
                </details>
                <details>
                    <summary>{format!("Folded into other nodes ({})", folded.len())}</summary>
                    <ul>
                        {folded.into_iter().map(|(item, into)| view! {
                            <li>{format!("{} ({}, {}): {into}", item.logical_id, item.resource_type, item.place())}</li>
                        }).collect_view()}
                    </ul>
                </details>
                <button data-testid="import-report-close" on:click=move |_| state.import_report.set(None)>
                    "Dismiss"
                </button>
            </section>
        })
    }
}
