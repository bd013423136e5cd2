use super::state::use_app;
use crate::domain::edit::properties;
use crate::domain::model::{Node, NodeKind};
use crate::domain::validate::regions;
use leptos::prelude::*;

/// The selected node's properties; typed values are checked before they
/// change anything, and a refused value is explained next to its field.
#[component]
pub fn Inspector() -> impl IntoView {
    let state = use_app();
    let node = Memo::new(move |_| {
        let id = state.selected.get()?;
        state.diagram.with(|diagram| diagram.node(&id).cloned())
    });
    view! {
        <section class="panel inspector" data-testid="inspector" aria-label="Inspector">
            <h2>"Inspector"</h2>
            {move || match node.get() {
                None => view! { <p class="empty">"Select something on the canvas."</p> }.into_any(),
                Some(node) => fields(node).into_any(),
            }}
        </section>
    }
}

fn fields(node: Node) -> impl IntoView {
    let kind = node.tag();
    let cidr = match &node.kind {
        NodeKind::Vpc(vpc) => Some(vpc.cidr.to_string()),
        NodeKind::Subnet(subnet) => Some(subnet.cidr.to_string()),
        NodeKind::ExternalClient(client) => Some(client.cidr.to_string()),
        _ => None,
    };
    let zone = match &node.kind {
        NodeKind::Subnet(subnet) => Some(subnet.az.clone()),
        _ => None,
    };
    let name_field = field(
        "Name",
        "inspector-name",
        node.name.clone(),
        node.clone(),
        properties::rename,
    );
    let cidr_field = cidr.map(|cidr| {
        field(
            "CIDR block",
            "inspector-cidr",
            cidr,
            node.clone(),
            properties::set_cidr,
        )
    });
    let zone_field = zone.map(|zone| zone_select(node.clone(), zone));
    view! {
        <dl class="properties" data-testid="inspector-fields" data-node-id=node.id.to_string()>
            <dt>"Kind"</dt>
            <dd data-testid="inspector-kind">{kind.label()}</dd>
            <dt>"Id"</dt>
            <dd class="mono">{node.id.to_string()}</dd>
        </dl>
        {name_field}
        {cidr_field}
        {zone_field}
    }
}

/// A text field that applies on change (Enter or leaving the field).
fn field(
    label: &'static str,
    testid: &'static str,
    value: String,
    node: Node,
    edit: fn(&Node, &str) -> Result<crate::domain::edit::Command, String>,
) -> impl IntoView {
    let state = use_app();
    let error = RwSignal::new(None::<String>);
    view! {
        <label class="field">
            <span>{label}</span>
            <input
                data-testid=testid
                value=value
                aria-invalid=move || error.get().is_some().to_string()
                on:change=move |event| {
                    let text = event_target_value(&event);
                    match edit(&node, &text) {
                        Ok(command) => {
                            error.set(None);
                            state.run(command);
                        }
                        Err(message) => error.set(Some(message)),
                    }
                }
            />
            {move || {
                error
                    .get()
                    .map(|message| {
                        view! {
                            <span class="field-error" data-testid=format!("{testid}-error")>
                                {message}
                            </span>
                        }
                    })
            }}
        </label>
    }
}

fn zone_select(node: Node, zone: String) -> impl IntoView {
    let state = use_app();
    let region = state
        .diagram
        .with_untracked(|diagram| diagram.region.clone());
    let mut zones = regions::zones(&region);
    if !zones.contains(&zone) {
        zones.insert(0, zone.clone());
    }
    view! {
        <label class="field">
            <span>"Availability zone"</span>
            <select
                data-testid="inspector-zone"
                on:change=move |event| {
                    if let Ok(command) = properties::set_zone(&node, &event_target_value(&event)) {
                        state.run(command);
                    }
                }
            >
                {zones
                    .into_iter()
                    .map(|candidate| {
                        let selected = candidate == zone;
                        view! {
                            <option value=candidate.clone() selected=selected>
                                {candidate.clone()}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
        </label>
    }
}
