//! The diagram as a tree a keyboard and a screen reader can use in place of
//! the canvas (rows from `domain::outline`). Arrow keys, Home and End move
//! and select, the canvas following; Right and Left go in and out; Enter
//! edits the node in the inspector. Rows are rendered a page at a time as
//! the list scrolls, so a diagram of thousands of nodes opens at once.

use super::app::Checks;
use super::state::use_app;
use crate::domain::outline::{rows, Row};
use crate::domain::validate::Analysis;
use leptos::prelude::*;

/// Rows rendered at first, and added each time the list nears its end.
const PAGE: usize = 200;

#[component]
pub fn Outline() -> impl IntoView {
    let state = use_app();
    let analysis = expect_context::<Memo<Analysis>>();
    // Listed again with the checks: on a large diagram just after the frame
    // that shows an edit.
    let checks = expect_context::<Checks>();
    let all = Memo::new(move |_| {
        checks.track();
        analysis.with(|a| state.diagram.with_untracked(|d| rows(d, a)))
    });
    let shown = RwSignal::new(PAGE);
    let active = RwSignal::new(None::<usize>);
    let tree = NodeRef::<leptos::html::Ul>::new();

    // The canvas's selection is the outline's: a node picked there is the
    // active row here.
    Effect::new(move |_| {
        let Some(id) = state.primary() else {
            return;
        };
        // Tracked: on a large diagram a node just added has its row after
        // the checks.
        let at = all.with(|rows| rows.iter().position(|row| row.id == id));
        if let Some(at) = at {
            if at >= shown.get_untracked() {
                shown.set(at + 1);
            }
            if active.get_untracked() != Some(at) {
                active.set(Some(at));
            }
        }
    });

    let go = move |at: usize| {
        let Some(id) = all.with_untracked(|rows| rows.get(at).map(|row| row.id.clone())) else {
            return;
        };
        if at >= shown.get_untracked() {
            shown.set((at + 1).max(shown.get_untracked() + PAGE));
        }
        active.set(Some(at));
        state.reveal(id.clone());
        // Keep the active row in view inside the list.
        request_animation_frame(move || {
            use wasm_bindgen::JsCast;
            let (Some(list), Some(row)) = (
                tree.get_untracked(),
                document()
                    .get_element_by_id(&row_id(&id))
                    .and_then(|row| row.dyn_into::<web_sys::HtmlElement>().ok()),
            ) else {
                return;
            };
            let (top, bottom) = (row.offset_top(), row.offset_top() + row.offset_height());
            if top < list.scroll_top() {
                list.set_scroll_top(top);
            } else if bottom > list.scroll_top() + list.client_height() {
                list.set_scroll_top(bottom - list.client_height());
            }
        });
    };

    let keydown = move |event: leptos::ev::KeyboardEvent| {
        let count = all.with_untracked(Vec::len);
        if count == 0 {
            return;
        }
        let now = active.get_untracked();
        let target = match event.key().as_str() {
            "ArrowDown" => Some(now.map_or(0, |at| (at + 1).min(count - 1))),
            "ArrowUp" => Some(now.map_or(0, |at| at.saturating_sub(1))),
            "Home" => Some(0),
            "End" => Some(count - 1),
            "ArrowRight" => now.and_then(|at| {
                all.with_untracked(|rows: &Vec<Row>| {
                    rows.get(at + 1)
                        .filter(|row| row.parent == Some(at))
                        .map(|_| at + 1)
                })
            }),
            "ArrowLeft" => now.and_then(|at| all.with_untracked(|rows| rows[at].parent)),
            "Enter" => {
                event.prevent_default();
                event.stop_propagation();
                focus_inspector();
                return;
            }
            _ => return,
        };
        // Arrow keys here move through the outline; they must not also
        // nudge the selection on the canvas.
        event.prevent_default();
        event.stop_propagation();
        if let Some(at) = target {
            go(at);
        }
    };

    let scrolled = move |_| {
        let Some(list) = tree.get() else {
            return;
        };
        let near_end = list.scroll_top() + list.client_height() * 2 >= list.scroll_height();
        let count = all.with_untracked(Vec::len);
        if near_end && shown.get_untracked() < count {
            shown.update(|n| *n += PAGE);
        }
    };

    view! {
        <section class="panel outline" data-testid="outline" aria-label="Outline">
            <h2 id="outline-title">"Outline"</h2>
            <ul
                class="outline-tree"
                role="tree"
                tabindex="0"
                node_ref=tree
                data-testid="outline-tree"
                aria-labelledby="outline-title"
                aria-activedescendant=move || {
                    active.get().and_then(|at| all.with(|rows| rows.get(at).map(|row| row_id(&row.id))))
                }
                on:keydown=keydown
                on:scroll=scrolled
            >
                // Keyed by what each row shows: an edit redraws the rows it
                // changed, not every row shown.
                <For
                    each=move || {
                        let limit = shown.get();
                        all.with(|rows| {
                            rows.iter().take(limit).cloned().enumerate().collect::<Vec<_>>()
                        })
                    }
                    key=|(at, row)| (*at, row.id.clone(), row.label.clone(), row.level)
                    children=move |(at, row)| {
                        let level = row.level;
                        view! {
                            <li
                                role="treeitem"
                                id=row_id(&row.id)
                                data-testid=format!("outline-{}", row.id)
                                prop:ariaLevel=level.to_string()
                                aria-selected=move || (active.get() == Some(at)).to_string()
                                class="outline-row"
                                title=row.label.clone()
                                style:padding-left=format!("{}px", 6 + 14 * u32::from(level.saturating_sub(1)))
                                on:click=move |_| go(at)
                            >
                                {row.label.clone()}
                            </li>
                        }
                    }
                />
            </ul>
            <p class="hint" data-testid="outline-count">
                {move || {
                    let count = all.with(Vec::len);
                    let limit = shown.get().min(count);
                    if limit < count {
                        format!("{limit} of {count} shown; scroll or press End for more")
                    } else {
                        format!("{count} drawn")
                    }
                }}
            </p>
        </section>
    }
}

fn row_id(id: &crate::domain::model::NodeId) -> String {
    format!("outline-row-{id}")
}

/// Enter on a row edits it: the inspector's first field takes the focus.
fn focus_inspector() {
    use wasm_bindgen::JsCast;
    let field = document()
        .query_selector("[data-testid=\"inspector-name\"]")
        .ok()
        .flatten()
        .and_then(|element| element.dyn_into::<web_sys::HtmlElement>().ok());
    if let Some(field) = field {
        let _ = field.focus();
    }
}
