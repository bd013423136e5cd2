//! My diagrams: every diagram kept in this browser, to open, rename,
//! duplicate or delete (a delete can be undone).

use super::dialog::dialog_frame;
use super::persist;
use super::state::use_app;
use super::storage::{self, Entry};
use leptos::prelude::*;

#[component]
pub fn DiagramsDialog(open: RwSignal<bool>) -> impl IntoView {
    let state = use_app();
    let list = RwSignal::new(Vec::<Entry>::new());
    let deleted = RwSignal::new(None::<(Entry, String)>);
    let refresh = move || list.set(storage::entries());
    Effect::new(move |_| {
        if open.get() {
            persist::save_now(state);
            deleted.set(None);
            refresh();
        }
    });
    let open_entry = move |id: String| {
        persist::save_now(state);
        match storage::load(&id) {
            Ok(diagram) => {
                persist::show_entry(state, id, diagram);
                open.set(false);
            }
            Err(reason) => state
                .notice
                .set(Some(format!("That diagram cannot be opened: {reason}"))),
        }
    };
    let rename = move |id: String, name: String| {
        let name = name.trim().to_string();
        if name.is_empty() {
            return;
        }
        if state.entry.get_untracked().as_deref() == Some(id.as_str()) {
            let mut diagram = state.diagram.get_untracked();
            diagram.name = name;
            state.run(crate::domain::edit::Command::ReplaceDiagram(Box::new(
                diagram,
            )));
            persist::save_now(state);
        } else if let Ok(mut diagram) = storage::load(&id) {
            diagram.name = name;
            let revision = storage::entry(&id).map_or(0, |e| e.revision);
            if let Err(reason) = storage::save(&id, &diagram, revision) {
                state.notice.set(Some(reason));
            }
        }
        refresh();
    };
    let duplicate = move |id: String| {
        persist::save_now(state);
        match storage::load(&id) {
            Ok(mut diagram) => {
                diagram.name = format!("{} copy", diagram.name);
                if let Err(reason) = storage::create(&diagram) {
                    state.notice.set(Some(reason));
                }
            }
            Err(reason) => state.notice.set(Some(reason)),
        }
        refresh();
    };
    let delete = move |id: String| {
        match storage::remove(&id) {
            Ok(Some(removed)) => deleted.set(Some(removed)),
            Ok(None) => {}
            Err(reason) => state.notice.set(Some(reason)),
        }
        if state.entry.get_untracked().as_deref() == Some(id.as_str()) {
            // The screen never shows a diagram no entry holds: the most
            // recently saved other one opens, or a new blank one. The delete
            // itself can still be undone from this dialog.
            let latest = storage::entries()
                .into_iter()
                .filter(|entry| entry.id != id)
                .max_by(|a, b| a.updated.total_cmp(&b.updated));
            let opened = latest.and_then(|entry| {
                storage::load(&entry.id)
                    .ok()
                    .map(|diagram| persist::show_entry(state, entry.id.clone(), diagram))
            });
            if opened.is_none() {
                persist::open_new_entry(state, super::toolbar::blank());
            }
            state.notice.set(Some(format!(
                "Deleted the open diagram; {:?} is open now.",
                state.diagram.with_untracked(|d| d.name.clone())
            )));
        }
        refresh();
    };
    let undo_delete = move |_| {
        if let Some((entry, data)) = deleted.get_untracked() {
            if let Err(reason) = storage::restore(entry, &data) {
                state.notice.set(Some(reason));
            }
            deleted.set(None);
            refresh();
        }
    };
    let new_blank = move |_| {
        persist::save_now(state);
        persist::open_new_entry(state, super::toolbar::blank());
        open.set(false);
    };
    view! {
        {move || open.get().then(|| dialog_frame(
            open,
            "diagrams",
            "diagrams-dialog",
            "My diagrams",
            view! { <button data-testid="diagrams-new" on:click=new_blank>"New diagram"</button> },
            view! {
                <p class="hint">"Kept in this browser. Save a file or share a link to keep a copy elsewhere."</p>
                {move || deleted.get().map(|(entry, _)| view! {
                    <p class="undo-delete" data-testid="diagrams-deleted">
                        {format!("Deleted {:?}. ", entry.name)}
                        <button data-testid="diagrams-undo-delete" on:click=undo_delete>"Undo"</button>
                    </p>
                })}
                <ul class="diagram-list" data-testid="diagrams-list">
                    {move || {
                        let current = state.entry.get();
                        list.get()
                            .into_iter()
                            .map(|entry| {
                                let is_current = current.as_deref() == Some(entry.id.as_str());
                                let (a, b, c, d) = (entry.id.clone(), entry.id.clone(), entry.id.clone(), entry.id.clone());
                                view! {
                                    <li class="diagram-entry" class:current=is_current data-testid="diagram-entry" data-entry-id=entry.id.clone() data-name=entry.name.clone()>
                                        <input
                                            class="diagram-name-input"
                                            data-testid="diagram-rename"
                                            aria-label="Name"
                                            prop:value=entry.name.clone()
                                            on:change=move |event| rename(a.clone(), event_target_value(&event))
                                        />
                                        <span class="updated">{updated_text(entry.updated)}</span>
                                        <button data-testid="diagram-open" prop:disabled=is_current on:click=move |_| open_entry(b.clone())>
                                            {if is_current { "Open now" } else { "Open" }}
                                        </button>
                                        <button data-testid="diagram-duplicate" on:click=move |_| duplicate(c.clone())>"Duplicate"</button>
                                        <button data-testid="diagram-delete" on:click=move |_| delete(d.clone())>"Delete"</button>
                                    </li>
                                }
                            })
                            .collect_view()
                    }}
                </ul>
            },
        ))}
    }
}

fn updated_text(millis: f64) -> String {
    let date = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(millis));
    date.to_locale_string("default", &wasm_bindgen::JsValue::UNDEFINED)
        .as_string()
        .unwrap_or_default()
}
