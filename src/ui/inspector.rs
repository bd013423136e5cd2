//! The selection's properties. Fields come from `domain::edit::fields`; a
//! typed value is checked before it changes anything, and a refused value is
//! explained next to its field while the diagram keeps the previous one.

use super::actions;
use super::browser;
use super::state::{use_app, AppState};
use crate::domain::codec::wire;
use crate::domain::edit::fields::{fields_of, replace_kind, set_field, Field, Input};
use crate::domain::edit::{connect, line, relate};
use crate::domain::model::{KindTag, Node, NodeId, TrafficEdge};
use crate::domain::scene::Scene;
use crate::worker_protocol::{KIND, PROPERTIES};
use leptos::prelude::*;
use std::sync::Arc;

#[component]
pub fn Inspector() -> impl IntoView {
    let state = use_app();
    // Fields depend on more than the node (a subnet's routing, the subnets
    // a service may join), so they follow the whole diagram.
    let node = Memo::new(move |_| {
        let id = state.primary()?;
        state.diagram.with(|diagram| {
            let node = diagram.node(&id)?;
            Some((node.clone(), fields_of(diagram, node)))
        })
    });
    // The form is drawn again only when its fields or their choices change
    // (another node, a subnet added to pick from); a changed value (a
    // rename, a CIDR block) reaches its control alone. Redrawing the form
    // of a service on a large diagram, with every cluster and repository
    // to choose from, cost an edit more than a dozen milliseconds.
    let form = Memo::new(move |_| {
        node.with(|node| {
            let (node, fields) = node.as_ref()?;
            Some((
                node.id.clone(),
                node.tag(),
                fields.iter().map(Field::shape).collect::<Vec<_>>(),
            ))
        })
    });
    let edge = Memo::new(move |_| {
        let id = state.selected_edge.get()?;
        state
            .diagram
            .with(|diagram| diagram.edges.iter().find(|e| e.id == id).cloned())
    });
    let link = Memo::new(move |_| {
        let key = state.selected_link.get()?;
        let link = relate::Link::parse(&key)?;
        state
            .diagram
            .with(|diagram| Some((key, link.describe(diagram))))
    });
    let count = move || state.selection.with(Vec::len);
    // Whether "Edit as JSON" is open; it stays so while the selection changes.
    let json_open = RwSignal::new(false);
    view! {
        <section class="panel inspector" data-testid="inspector" aria-label="Inspector">
            <h2>"Inspector"</h2>
            {move || {
                if let Some((id, kind, fields)) = form.get() {
                    node_fields(id, kind, fields, node, json_open).into_any()
                } else if let Some(edge) = edge.get() {
                    edge_fields(edge).into_any()
                } else if let Some((key, description)) = link.get() {
                    link_fields(key, description).into_any()
                } else if count() > 1 {
                    view! {
                        <p data-testid="inspector-multiple">{format!("{} selected", count())}</p>
                        <div class="actions">
                            <button data-testid="inspector-duplicate" on:click=move |_| actions::duplicate(state)>"Duplicate"</button>
                            <button data-testid="inspector-delete" on:click=move |_| actions::delete_selection(state)>"Delete"</button>
                        </div>
                    }
                    .into_any()
                } else {
                    view! {
                        <p class="empty">
                            "Select something on the canvas, or drag a block from the palette."
                        </p>
                    }
                    .into_any()
                }
            }}
        </section>
    }
}

/// The selected node and its fields, as the inspector's memo holds them.
type Selected = Memo<Option<(Node, Vec<Field>)>>;

/// Reads the selected node's field at `address`, as it is now.
fn read_field<T>(selected: Selected, address: &str, read: impl Fn(&Field) -> T) -> Option<T> {
    selected.with(|selected| {
        let (_, fields) = selected.as_ref()?;
        fields
            .iter()
            .find(|field| field.address() == address)
            .map(read)
    })
}

fn node_fields(
    id: NodeId,
    kind: KindTag,
    fields: Vec<Field>,
    selected: Selected,
    json_open: RwSignal<bool>,
) -> impl IntoView {
    let state = use_app();
    let is_vpc = kind == KindTag::Vpc;
    let addresses = {
        let id = id.clone();
        move || addresses(state, &id)
    };
    let properties_kind = Memo::new_with_compare(
        move |_| selected.with(|selected| selected.as_ref().map(|(node, _)| node.clone())),
        |before, now| {
            let before = before.map(|node| node.as_ref().map(|node| (&node.id, &node.kind)));
            before != now.map(|node| node.as_ref().map(|node| (&node.id, &node.kind)))
        },
    );
    view! {
        <dl class="properties" data-testid="inspector-fields" data-node-id=id.to_string()>
            <dt>"Kind"</dt>
            <dd data-testid="inspector-kind">{kind.label()}</dd>
            <dt>"Id"</dt>
            <dd class="mono">{id.to_string()}</dd>
            {move || {
                addresses()
                    .map(|text| {
                        view! {
                            <dt>"Addresses"</dt>
                            <dd data-testid="inspector-addresses">{text}</dd>
                        }
                    })
            }}
        </dl>
        {grouped(fields)
            .into_iter()
            .map(|(group, fields)| {
                let views = fields
                    .into_iter()
                    .map(|field| field_view(id.clone(), field, selected))
                    .collect_view();
                match group {
                    Some(legend) => view! {
                        <fieldset class="item" data-testid="inspector-group">
                            <legend>{legend}</legend>
                            {views}
                        </fieldset>
                    }
                    .into_any(),
                    None => views.into_any(),
                }
            })
            .collect_view()}
        // Drawn again when the node's properties change, its JSON asked for
        // anew; not on a rename (the name is not among them), which redrew
        // the editor's text box and asked the worker for the same JSON.
        {move || properties_kind.get().map(|node| properties_editor(node, json_open))}
        {relationships(id.clone())}
        {connect_list(id.clone())}
        <div class="actions">
            {is_vpc
                .then(|| {
                    let id = id.clone();
                    view! {
                        <button data-testid="inspector-tidy" title="Zone columns, tier rows (T)" on:click=move |_| actions::tidy(state, &id)>
                            "Tidy"
                        </button>
                    }
                })}
            <button data-testid="inspector-duplicate" title="Duplicate (Ctrl+D)" on:click=move |_| actions::duplicate(state)>
                "Duplicate"
            </button>
            <button data-testid="inspector-delete" title="Delete (Del)" on:click=move |_| actions::delete_selection(state)>
                "Delete"
            </button>
        </div>
    }
}

/// A subnet's capacity (VR-11): usable addresses, what is planned in it,
/// and what is free.
fn addresses(state: AppState, id: &NodeId) -> Option<String> {
    let (usable, planned) = state
        .diagram
        .with(|diagram| crate::domain::validate::capacity_of(diagram, id))?;
    Some(format!(
        "{usable} usable (AWS reserves 5), {planned} planned, {} free",
        usable.saturating_sub(planned)
    ))
}

/// Consecutive fields of one item, gathered under its legend.
fn grouped(fields: Vec<Field>) -> Vec<(Option<String>, Vec<Field>)> {
    let mut out: Vec<(Option<String>, Vec<Field>)> = Vec::new();
    for field in fields {
        match out.last_mut() {
            Some((group, members)) if field.group.is_some() && *group == field.group => {
                members.push(field)
            }
            _ => out.push((field.group.clone(), vec![field])),
        }
    }
    out
}

/// Puts the value that holds back into a control whose typed value was
/// refused, so what it shows is what the diagram has.
fn restore(event: &leptos::ev::Event, value: &str) {
    use wasm_bindgen::JsCast;
    let Some(target) = event.target() else {
        return;
    };
    if let Some(input) = target.dyn_ref::<web_sys::HtmlInputElement>() {
        if input.type_() == "checkbox" {
            input.set_checked(value == "true");
        } else {
            input.set_value(value);
        }
    } else if let Some(select) = target.dyn_ref::<web_sys::HtmlSelectElement>() {
        select.set_value(value);
    }
}

/// One field: typed input, applied on change; a refusal is shown next to it
/// and the control goes back to the value that holds. `field` gives its
/// control and choices; what it holds is read from `selected`, so a change
/// of value updates the control where it is.
fn field_view(id: NodeId, field: Field, selected: Selected) -> impl IntoView {
    let state = use_app();
    let error = RwSignal::new(None::<String>);
    let address = field.address();
    let testid = format!("inspector-{}", address.replace(['_', '.'], "-"));
    let value = {
        let address = address.clone();
        move || read_field(selected, &address, |field| field.value.clone()).unwrap_or_default()
    };
    let apply = {
        let value = value.clone();
        let address = address.clone();
        // `holds`: what the control shows for the value the diagram keeps
        // (by default the field's value now).
        move |event: leptos::ev::Event, text: String, holds: Option<String>| {
            let holds = holds.unwrap_or_else(|| untrack(&value));
            let outcome = state.diagram.with_untracked(|diagram| {
                let node = diagram
                    .node(&id)
                    .ok_or_else(|| "This node is no longer in the diagram.".to_string())?;
                set_field(diagram, node, &address, &text)
            });
            match outcome {
                Ok(command) => {
                    error.set(None);
                    if !state.run(command) {
                        restore(&event, &holds);
                    }
                }
                Err(message) => {
                    restore(&event, &holds);
                    error.set(Some(message));
                }
            }
        }
    };
    let input = match field.input.clone() {
        Input::Text => {
            let apply = apply.clone();
            view! {
                <input
                    data-testid=testid.clone()
                    prop:value=value.clone()
                    aria-invalid=move || error.get().is_some().to_string()
                    on:change=move |event| {
                        let text = event_target_value(&event);
                        apply(event, text, None)
                    }
                />
            }
            .into_any()
        }
        Input::Number { min, max } => {
            let apply = apply.clone();
            view! {
                <input
                    data-testid=testid.clone()
                    type="text"
                    inputmode="numeric"
                    prop:value=value.clone()
                    title=format!("{min} to {max}")
                    aria-invalid=move || error.get().is_some().to_string()
                    on:change=move |event| {
                        let text = event_target_value(&event);
                        apply(event, text, None)
                    }
                />
            }
            .into_any()
        }
        Input::Action => {
            let apply = apply.clone();
            view! {
                <button
                    type="button"
                    data-testid=testid.clone()
                    on:click=move |event: leptos::ev::MouseEvent| apply(event.into(), String::new(), Some(String::new()))
                >
                    {field.label}
                </button>
            }
            .into_any()
        }
        Input::Choice(choices) => {
            let apply = apply.clone();
            let element = NodeRef::<leptos::html::Select>::new();
            // The choice shown follows the value, once the options are in.
            let value = value.clone();
            Effect::new(move |_| {
                let value = value();
                if let Some(select) = element.get() {
                    select.set_value(&value);
                }
            });
            view! {
                <select data-testid=testid.clone() node_ref=element on:change=move |event| {
                    let text = event_target_value(&event);
                    apply(event, text, None)
                }>
                    {choices
                        .into_iter()
                        .map(|(value, label)| view! { <option value=value>{label}</option> })
                        .collect_view()}
                </select>
            }
            .into_any()
        }
        Input::Toggle => {
            let apply = apply.clone();
            let value = value.clone();
            view! {
                <input
                    data-testid=testid.clone()
                    type="checkbox"
                    prop:checked=move || value() == "true"
                    on:change=move |event| {
                        let checked = event_target_checked(&event);
                        apply(event, checked.to_string(), None)
                    }
                />
            }
            .into_any()
        }
        Input::Set(options) => {
            let testid = testid.clone();
            view! {
                <div class="set" data-testid=testid.clone()>
                    {options
                        .into_iter()
                        .map(|(value, label, _)| {
                            let apply = apply.clone();
                            let on = {
                                let address = address.clone();
                                let value = value.clone();
                                move || {
                                    read_field(selected, &address, |field| field.is_on(&value))
                                        .unwrap_or(false)
                                }
                            };
                            let toggled = value.clone();
                            view! {
                                <label class="set-item">
                                    <input
                                        type="checkbox"
                                        data-testid=format!("{testid}-{value}")
                                        prop:checked=on.clone()
                                        on:change=move |event| {
                                            let was = if untrack(&on) { "true" } else { "false" };
                                            apply(event, toggled.clone(), Some(was.to_string()))
                                        }
                                    />
                                    {label}
                                </label>
                            }
                        })
                        .collect_view()}
                </div>
            }
            .into_any()
        }
    };
    let error_testid = format!("{testid}-error");
    let refusal = move || {
        error.get().map(|message| {
            view! {
                <span class="field-error" role="alert" data-testid=error_testid.clone()>
                    {message}
                </span>
            }
        })
    };
    // A button says what it does itself; other controls sit in a label.
    if field.input == Input::Action {
        view! { <div class="field action">{input}{refusal}</div> }.into_any()
    } else {
        view! {
            <label class="field">
                <span>{field.label}</span>
                {input}
                {refusal}
            </label>
        }
        .into_any()
    }
}

/// Every property of the node as JSON, for what has no field of its own. The
/// worker writes and reads the JSON (the app's module has neither), so the
/// text is asked for when the editor opens.
fn properties_editor(node: Node, open: RwSignal<bool>) -> impl IntoView {
    let state = use_app();
    let error = RwSignal::new(None::<String>);
    let text = RwSignal::new(None::<String>);
    let kind = wire::to_base64url(&wire::encode_kind(&node.kind));
    let load = move || {
        if text.get_untracked().is_some() {
            return;
        }
        browser::ask_worker(format!("{PROPERTIES}{kind}"), move |reply| {
            match reply.into_text() {
                Ok(json) => text.set(Some(json)),
                Err(message) => error.set(Some(message)),
            }
        });
    };
    if open.get_untracked() {
        load();
    }
    let (id, tag) = (node.id.clone(), node.tag());
    let apply = move |typed: String| {
        let id = id.clone();
        browser::ask_worker(format!("{KIND}{}\n{typed}", tag.as_str()), move |reply| {
            let outcome = reply
                .into_bytes()
                .and_then(|bytes| wire::decode_kind(&bytes).map_err(|e| e.to_string()))
                .and_then(|kind| {
                    // The node as the diagram holds it now (renamed since
                    // the editor was drawn, say).
                    state.diagram.with_untracked(|diagram| {
                        let node = diagram
                            .node(&id)
                            .ok_or_else(|| format!("{id} is no longer in the diagram"))?;
                        replace_kind(diagram, node, kind)
                    })
                });
            match outcome {
                Ok(command) => {
                    error.set(None);
                    state.run(command);
                }
                Err(message) => error.set(Some(message)),
            }
        });
    };
    view! {
        <div class="field">
            <span>"All properties (JSON)"</span>
            <details
                class="json-field"
                prop:open=open.get_untracked()
                on:toggle=move |event| {
                    let now_open = event
                        .target()
                        .and_then(|details| js_sys::Reflect::get(&details, &"open".into()).ok())
                        .and_then(|open| open.as_bool())
                        .unwrap_or(false);
                    open.set(now_open);
                    if now_open {
                        load();
                    }
                }
            >
                <summary>"Edit as JSON"</summary>
                <textarea
                    data-testid="inspector-properties"
                    spellcheck="false"
                    rows="10"
                    placeholder="Loading…"
                    prop:readOnly=move || text.with(Option::is_none)
                    prop:value=move || text.get().unwrap_or_default()
                    aria-invalid=move || error.get().is_some().to_string()
                    on:change=move |event| apply(event_target_value(&event))
                ></textarea>
            </details>
            {move || {
                error
                    .get()
                    .map(|message| {
                        view! {
                            <span class="field-error" role="alert" data-testid="inspector-properties-error">
                                {message}
                            </span>
                        }
                    })
            }}
        </div>
    }
}

fn edge_fields(edge: TrafficEdge) -> impl IntoView {
    let state = use_app();
    let error = RwSignal::new(None::<String>);
    let name = |id: &NodeId| {
        state.diagram.with_untracked(|diagram| {
            diagram
                .node(id)
                .map_or_else(|| id.to_string(), |node| node.name.clone())
        })
    };
    let id = edge.id.clone();
    let remove_id = edge.id.clone();
    let line_id = edge.id.clone();
    let unbend_id = edge.id.clone();
    let bends = edge.bends.len();
    view! {
        <dl class="properties" data-testid="inspector-edge" data-edge-id=edge.id.to_string()>
            <dt>"Traffic"</dt>
            <dd>{format!("{} → {}", name(&edge.from), name(&edge.to))}</dd>
        </dl>
        <label class="field">
            <span>"Port"</span>
            <input
                data-testid="inspector-edge-port"
                prop:value=edge.port.to_string()
                inputmode="numeric"
                aria-invalid=move || error.get().is_some().to_string()
                on:change=move |event| {
                    let text = event_target_value(&event);
                    let outcome = state
                        .diagram
                        .with_untracked(|diagram| connect::set_edge_port(diagram, &id, &text));
                    match outcome {
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
                            <span class="field-error" role="alert" data-testid="inspector-edge-port-error">
                                {message}
                            </span>
                        }
                    })
            }}
        </label>
        <fieldset class="line-shape" data-testid="inspector-line">
            <legend>"Line"</legend>
            <label class="check">
                <input
                    type="checkbox"
                    data-testid="inspector-edge-straight"
                    prop:checked=edge.straight
                    on:change=move |event| {
                        let straight = event_target_checked(&event);
                        let outcome = state
                            .diagram
                            .with_untracked(|diagram| line::set_straight(diagram, &line_id, straight));
                        state.attempt(outcome);
                    }
                />
                <span>"Straight, not routed around what is between"</span>
            </label>
            <p class="hint">
                {match bends {
                    0 => "Drag the line on the canvas to bend it.".to_string(),
                    1 => "Bent through 1 point: drag its handle to move it, double-click to remove it.".to_string(),
                    n => format!("Bent through {n} points: drag a handle to move one, double-click to remove it."),
                }}
            </p>
            {(bends > 0).then(|| view! {
                <button
                    data-testid="inspector-edge-unbend"
                    on:click=move |_| {
                        let outcome = state
                            .diagram
                            .with_untracked(|diagram| line::bend_through(diagram, &unbend_id, &[]));
                        state.attempt(outcome);
                    }
                >
                    "Remove the bends"
                </button>
            })}
        </fieldset>
        <div class="actions">
            <button
                data-testid="inspector-delete"
                on:click=move |_| {
                    state.run(crate::domain::edit::Command::RemoveEdge { id: remove_id.clone() });
                }
            >
                "Delete"
            </button>
        </div>
    }
}

/// The node's relationships (the dashed lines at it), each with what it
/// stands for and a Remove button: the keyboard's way to what a click on a
/// line's label does.
fn relationships(node: NodeId) -> impl IntoView {
    let state = use_app();
    let error = RwSignal::new(None::<String>);
    // The scene holds every relationship line already; the rows are
    // rebuilt when one at this node changes, not on every edit elsewhere.
    let scene = expect_context::<Memo<Arc<Scene>>>();
    let rows = Memo::new(move |_| {
        scene.with(|scene| {
            state.diagram.with_untracked(|diagram| {
                scene
                    .links
                    .iter()
                    .filter(|line| line.source == node || line.target == node)
                    .filter_map(|line| {
                        let link = relate::Link::parse(&line.key)?;
                        Some((line.key.clone(), link.describe(diagram)))
                    })
                    .collect::<Vec<_>>()
            })
        })
    });
    view! {
        {move || {
            let rows = rows.get();
            (!rows.is_empty()).then(|| view! {
                <div class="field">
                    <span>"Relationships"</span>
                    <ul class="relationships" data-testid="inspector-relationships">
                        {rows
                            .into_iter()
                            .map(|(key, description)| {
                                let remove = key.clone();
                                view! {
                                    <li data-testid="inspector-relationship" data-link-id=key>
                                        <span>{description}</span>
                                        <button
                                            type="button"
                                            data-testid="inspector-relationship-remove"
                                            on:click=move |_| error.set(actions::unrelate(state, &remove))
                                        >
                                            "Remove"
                                        </button>
                                    </li>
                                }
                            })
                            .collect_view()}
                    </ul>
                    {move || error.get().map(|message| view! {
                        <span class="field-error" role="alert" data-testid="inspector-relationships-error">{message}</span>
                    })}
                </div>
            })
        }}
    }
}

/// "Connect to": every node a line from this one would mean something to,
/// with what it would mean; choosing one draws it. Opened with C, too.
fn connect_list(from: NodeId) -> impl IntoView {
    let state = use_app();
    let toggle = move |_| state.connect_open.update(|open| *open = !*open);
    // Opened from the keyboard: the first choice takes the focus.
    Effect::new(move |_| {
        if state.connect_open.get() {
            request_animation_frame(|| {
                use wasm_bindgen::JsCast;
                if let Some(first) = document()
                    .query_selector("[data-testid=\"connect-list\"] button")
                    .ok()
                    .flatten()
                    .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
                {
                    let _ = first.focus();
                }
            });
        }
    });
    let list = move || {
        if !state.connect_open.get() {
            return None;
        }
        let choices = state.diagram.with_untracked(|diagram| {
            relate::candidates(diagram, &from)
                .into_iter()
                .map(|(to, summary)| {
                    let name = diagram
                        .node(&to)
                        .map(|n| n.name.clone())
                        .unwrap_or_default();
                    (to, name, summary)
                })
                .collect::<Vec<_>>()
        });
        let from = from.clone();
        Some(view! {
            <ul class="connect-list" data-testid="connect-list" aria-label="Connect to">
                {if choices.is_empty() {
                    Some(view! { <li class="empty">"Nothing on the canvas can be connected to this."</li> })
                } else {
                    None
                }}
                {choices
                    .into_iter()
                    .map(|(to, name, summary)| {
                        let from = from.clone();
                        let testid = format!("connect-{to}");
                        view! {
                            <li>
                                <button
                                    type="button"
                                    data-testid=testid
                                    on:click=move |_| {
                                        state.connect_open.set(false);
                                        super::editing::connect_pair(state, &from, &to);
                                    }
                                >
                                    <strong>{name}</strong>
                                    <span class="connect-meaning">{summary}</span>
                                </button>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        })
    };
    view! {
        <div class="field">
            <button
                type="button"
                data-testid="inspector-connect"
                title="Connect to… (C)"
                attr:aria-expanded=move || state.connect_open.get().to_string()
                on:click=toggle
            >
                "Connect to…"
            </button>
            {list}
        </div>
    }
}

/// A relationship line: what it stands for, an invocation's verdict, and
/// removing it.
fn link_fields(key: String, description: String) -> impl IntoView {
    let state = use_app();
    let analysis = expect_context::<Memo<crate::domain::validate::Analysis>>();
    let error = RwSignal::new(None::<String>);
    let verdict_key = key.clone();
    let invocation = move || {
        analysis.with(|analysis| {
            analysis
                .invocations
                .iter()
                .find(|v| v.link == verdict_key)
                .map(|v| (v.allowed, v.reason.clone()))
        })
    };
    let has_verdict = {
        let invocation = invocation.clone();
        move || invocation().is_some()
    };
    view! {
        <dl class="properties" data-testid="inspector-link" data-link-id=key.clone()>
            <dt>"Relationship"</dt>
            <dd data-testid="inspector-link-description">{description}</dd>
            {move || invocation().map(|(allowed, reason)| view! {
                <dt>"Invocation"</dt>
                <dd
                    data-testid="inspector-invocation"
                    data-verdict=if allowed { "allowed" } else { "denied" }
                    class=if allowed { "verdict reachable" } else { "verdict blocked" }
                >
                    {if allowed { "Allowed: " } else { "Denied: " }}
                    {reason}
                </dd>
            })}
        </dl>
        <p class="hint">
            {move || if has_verdict() {
                "Permission-checked, not traffic: a policy decides, not a route. Removing it changes the node that holds it."
            } else {
                "Configuration, not traffic: it has no verdict. Removing it changes the node that holds it."
            }}
        </p>
        <div class="actions">
            <button
                data-testid="inspector-delete"
                on:click=move |_| error.set(actions::unrelate(state, &key))
            >
                "Remove"
            </button>
        </div>
        {move || {
            error
                .get()
                .map(|message| {
                    view! {
                        <p class="field-error" role="alert" data-testid="inspector-link-error">
                            {message}
                        </p>
                    }
                })
        }}
    }
}
