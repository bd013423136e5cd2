use super::app::Checks;
use super::state::use_app;
use crate::domain::edit::{properties, Command};
use crate::domain::model::{NodeId, Protocol, ScopeId};
use crate::domain::validate::{reach, Analysis, FlowVerdict, Verdict};
use leptos::prelude::*;

/// Flows listed at first, and added each time "more" is pressed: a large
/// diagram has thousands, and the page would lay out every one.
const FLOWS_PAGE: usize = 100;

/// Every flow and scope with its verdict, and a form to ask about any path.
#[component]
pub fn ReachabilityPanel() -> impl IntoView {
    let state = use_app();
    let analysis = expect_context::<Memo<Analysis>>();
    let listed = RwSignal::new(FLOWS_PAGE);
    // The flows listed and the scopes alone: most edits leave them as they
    // were, and their rows (hundreds) are then not written again.
    let flows = Memo::new(move |_| {
        let listed = listed.get();
        analysis.with(|analysis| {
            analysis
                .flows
                .iter()
                .take(listed)
                .cloned()
                .collect::<Vec<_>>()
        })
    });
    let scopes = Memo::new(move |_| analysis.with(|analysis| analysis.scopes.clone()));
    view! {
        <section class="panel reachability" data-testid="reachability-panel" aria-label="Reachability">
            <h2>"Reachability"</h2>
            <ul class="flows">
                {move || flows.get().into_iter().map(flow_item).collect_view()}
            </ul>
            {move || {
                let count = analysis.with(|analysis| analysis.flows.len());
                let listed_now = listed.get();
                (count > listed_now).then(|| {
                    view! {
                        <button
                            class="more"
                            data-testid="flows-more"
                            on:click=move |_| listed.update(|n| *n += FLOWS_PAGE * 5)
                        >
                            {format!("{listed_now} of {count} flows listed: list more")}
                        </button>
                    }
                })
            }}
            <h3>"Must not exist"</h3>
            <ul class="scopes">
                {move || {
                    scopes
                        .with(|scopes| {
                            scopes
                                .iter()
                                .map(|scope| {
                                    let verdict = if scope.holds { "holds" } else { "broken" };
                                    let remove = (!scope.builtin)
                                        .then(|| ScopeId::new(scope.id.clone()).ok())
                                        .flatten()
                                        .map(|id| {
                                            view! {
                                                <button
                                                    class="remove"
                                                    data-testid="scope-remove"
                                                    on:click=move |_| {
                                                        state.run(Command::RemoveScope { id: id.clone() });
                                                    }
                                                >
                                                    "Remove"
                                                </button>
                                            }
                                        });
                                    view! {
                                        <li
                                            class=format!("scope {verdict}")
                                            data-testid="scope"
                                            data-scope-id=scope.id.clone()
                                            data-verdict=verdict
                                        >
                                            <span class="verdict">{verdict}</span>
                                            <span>{scope.description.clone()}</span>
                                            {remove}
                                        </li>
                                    }
                                })
                                .collect_view()
                        })
                }}
            </ul>
            <QueryForm />
        </section>
    }
}

fn flow_item(flow: FlowVerdict) -> impl IntoView {
    let verdict = match flow.verdict {
        Verdict::Reachable => "reachable",
        Verdict::Partial => "partial",
        Verdict::Blocked => "blocked",
    };
    let detail = flow_detail(&flow);
    view! {
        <li class=format!("flow {verdict}") data-testid="flow" data-verdict=verdict>
            <span class="verdict">{verdict}</span>
            <span class="description">{flow.description.clone()}</span>
            <span class="detail">{detail}</span>
        </li>
    }
}

/// The path of a flow that gets through, where it stops, or both.
fn flow_detail(flow: &FlowVerdict) -> String {
    let path = || {
        flow.hops
            .iter()
            .map(|hop| hop.description.as_str())
            .collect::<Vec<_>>()
            .join(" → ")
    };
    match (flow.verdict, &flow.blocked) {
        (Verdict::Partial, _) => {
            let cut: Vec<String> = flow
                .cut_off
                .iter()
                .map(|cut| cut.describe(cut.subnet.as_str()))
                .collect();
            format!("{}. Cut off: {}", path(), cut.join("; "))
        }
        (_, Some(stop)) => format!("{} ({})", stop.explanation, stop.code.as_str()),
        (_, None) => path(),
    }
}

/// "From X to Y on port P": answered from the configuration, with the path.
#[component]
fn QueryForm() -> impl IntoView {
    let state = use_app();
    let from = RwSignal::new(String::from("internet"));
    let to = RwSignal::new(String::from("alb"));
    let port = RwSignal::new(String::from("443"));
    // Answered with the checks: on a large diagram they follow the frame
    // that shows an edit, and so does this.
    let checks = expect_context::<Checks>();
    let answer = Memo::new(move |_| {
        let port: u16 = port.get().trim().parse().ok()?;
        let (from, to) = (NodeId::new(from.get()).ok()?, NodeId::new(to.get()).ok()?);
        checks.track();
        state
            .diagram
            .with_untracked(|diagram| reach::query(diagram, &from, &to, Protocol::Tcp, port))
    });
    // The drawn nodes by id and name: redrawn when one is added, removed or
    // renamed, not on every move, and not when a choice changes; listed
    // again with the checks.
    let options = Memo::new(move |_| {
        checks.track();
        state.diagram.with_untracked(|diagram| {
            diagram
                .nodes
                .iter()
                .filter(|node| diagram.layout.contains_key(&node.id))
                .map(|node| (node.id.to_string(), node.name.clone()))
                .collect::<Vec<_>>()
        })
    });
    let select = move |value: RwSignal<String>, testid: &'static str| {
        let element = NodeRef::<leptos::html::Select>::new();
        // Keyed by what each option shows: a rename redraws one option,
        // not the thousands of a large diagram.
        let choices = move || {
            view! {
                <For
                    each=move || options.get()
                    key=|choice| choice.clone()
                    children=|(id, name)| view! { <option value=id>{name}</option> }
                />
            }
        };
        // The choice shown, set again when the options come anew (a new
        // list forgets it).
        Effect::new(move |_| {
            options.track();
            let value = value.get();
            if let Some(select) = element.get() {
                select.set_value(&value);
            }
        });
        view! {
            <select
                data-testid=testid
                node_ref=element
                on:change=move |event| value.set(event_target_value(&event))
            >
                {choices}
            </select>
        }
    };
    view! {
        <form class="query" data-testid="query-form" on:submit=|event| event.prevent_default()>
            <h3>"Ask"</h3>
            <label>"From " {select(from, "query-from")}</label>
            <label>"To " {select(to, "query-to")}</label>
            <label>
                "Port "
                <input
                    data-testid="query-port"
                    inputmode="numeric"
                    prop:value=move || port.get()
                    on:input=move |event| port.set(event_target_value(&event))
                />
            </label>
            <button
                type="button"
                data-testid="query-add-scope"
                title="Check from now on that this path does not exist"
                on:click=move |_| {
                    let command = state
                        .diagram
                        .with(|diagram| properties::add_scope(diagram, &from.get(), &to.get(), &port.get()));
                    match command {
                        Ok(command) => {
                            state.run(command);
                        }
                        Err(message) => state.notice.set(Some(message)),
                    }
                }
            >
                "Must not exist"
            </button>
            <p class="answer" data-testid="query-answer">
                {move || match answer.get() {
                    None => "Choose two nodes and a port (0 to 65535).".to_string(),
                    Some(flow) => {
                        let verdict = match flow.verdict {
                            Verdict::Reachable => "Reachable",
                            Verdict::Partial => "Partially reachable",
                            Verdict::Blocked => "Blocked",
                        };
                        format!("{verdict}: {}", flow_detail(&flow))
                    }
                }}
            </p>
        </form>
    }
}

/// The hop list of the hovered edge, or why it is blocked.
#[component]
pub fn FlowTooltip() -> impl IntoView {
    let state = use_app();
    let analysis = expect_context::<Memo<Analysis>>();
    move || {
        let edge = state.hovered_edge.get()?;
        let flow = analysis.with(|analysis| analysis.flow_of_edge(&edge).cloned())?;
        // One shape for every verdict: a label, then the hops, the subnets
        // cut off, or why it is blocked.
        let (class, label, lines): (&str, &str, Vec<String>) = match (flow.verdict, &flow.blocked) {
            (Verdict::Partial, _) => (
                "partial",
                "Partially reachable",
                flow.cut_off
                    .iter()
                    .map(|cut| format!("Cut off in {}", cut.describe(cut.subnet.as_str())))
                    .collect(),
            ),
            (Verdict::Blocked, Some(stop)) => (
                "blocked",
                "Blocked",
                vec![stop.explanation.clone(), stop.code.as_str().to_string()],
            ),
            _ => (
                "reachable",
                "Reachable",
                flow.hops
                    .iter()
                    .map(|hop| hop.description.clone())
                    .collect(),
            ),
        };
        let body = view! {
            <p class=format!("verdict {class}")>{label}</p>
            <ol class="hops">{lines.into_iter().map(|line| view! { <li>{line}</li> }).collect_view()}</ol>
        };
        Some(view! {
            <div class="flow-tooltip" data-testid="flow-tooltip" role="tooltip">
                <p class="flow-title">{flow.description.clone()}</p>
                {body}
            </div>
        })
    }
}
