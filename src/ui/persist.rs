//! Never losing work: the diagram, camera and selection autosave to browser
//! storage after every change; the page reopens where it was; a share link
//! opens as a new entry, never over local work; another tab's save is
//! detected and both versions are offered.

use super::links;
use super::state::{AppState, Camera};
use super::storage::{self, Saved};
use crate::domain::model::{Diagram, NodeId};
use crate::domain::templates;
use leptos::ev;
use leptos::prelude::*;

/// Quiet time after a change before it is written.
const SAVE_DELAY_MS: u64 = 300;

/// Picks what to show at start: a shared link, else the diagram open last
/// time, else the reference architecture; then starts autosaving.
pub fn start(state: AppState) {
    let fragment = location_hash();
    restore_last(state);
    open_fragment(state, fragment);
    autosave(state);
    // Another tab saved: follow it when this tab has nothing unsaved,
    // otherwise offer both versions.
    let storage_events = window_event_listener(ev::storage, move |event| {
        let Some(entry) = state.entry.get_untracked() else {
            return;
        };
        if event.key().as_deref() != Some(storage::INDEX) {
            return;
        }
        let Some(theirs) = storage::entry(&entry) else {
            return;
        };
        if theirs.revision == state.entry_revision.get_value() {
            return;
        }
        if state.dirty.get_value() {
            state.conflict.set(true);
        } else if let Ok(diagram) = storage::load(&entry) {
            let camera = state.camera.get_untracked();
            let selection = state.selection.get_untracked();
            state.load(diagram);
            state.entry_revision.set_value(theirs.revision);
            state.dirty.set_value(false);
            state.set_camera(camera);
            state.selection.set(selection);
        }
    });
    let hash_changes = window_event_listener(ev::hashchange, move |_| {
        open_fragment(state, location_hash());
    });
    on_cleanup(move || {
        storage_events.remove();
        hash_changes.remove();
    });
}

/// A share link (`#v…`) opens as a new entry; a review link (`#r…`) opens
/// its newer version compared with its older one, in the editor.
fn open_fragment(state: AppState, fragment: String) {
    if fragment.starts_with("#v") {
        open_link(state, fragment);
    } else if fragment.starts_with("#r") {
        forget_fragment();
        super::editor::send(state, super::editor::Request::OpenReview(fragment));
    }
}

fn location_hash() -> String {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default()
}

/// Removes the fragment from the address, so a reload shows the autosaved
/// entry rather than opening the link again.
fn forget_fragment() {
    if let Some(window) = web_sys::window() {
        let path = window.location().pathname().unwrap_or_else(|_| "/".into());
        if let Ok(history) = window.history() {
            let _ = history.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&path));
        }
    }
}

fn restore_last(state: AppState) {
    let last = storage::current().filter(|id| storage::entry(id).is_some());
    match last {
        Some(id) => match storage::load(&id) {
            Ok(diagram) => show_entry(state, id, diagram),
            Err(reason) => {
                state.notice.set(Some(format!(
                    "Your last diagram could not be read ({reason}); it is kept in storage untouched, and the reference architecture is open instead."
                )));
                open_new_entry(state, templates::first_visit());
            }
        },
        None => {
            open_new_entry(state, templates::first_visit());
            state.example.set(true);
        }
    }
}

/// Shows a stored entry with its saved camera and selection.
pub fn show_entry(state: AppState, id: String, diagram: Diagram) {
    let revision = storage::entry(&id).map_or(0, |e| e.revision);
    state.load(diagram);
    state.dirty.set_value(false);
    state.entry_revision.set_value(revision);
    state.entry.set(Some(id.clone()));
    state.unsaved.set(None);
    state.conflict.set(false);
    storage::set_current(&id);
    match storage::load_view(&id) {
        Some(((x, y, zoom), selection)) => {
            state.set_camera(Camera {
                x,
                y,
                zoom: zoom.clamp(Camera::MIN_ZOOM, Camera::MAX_ZOOM),
            });
            let ids: Vec<NodeId> = state.diagram.with_untracked(|d| {
                selection
                    .iter()
                    .filter_map(|s| NodeId::new(s.as_str()).ok())
                    .filter(|id| d.node(id).is_some())
                    .collect()
            });
            state.selection.set(ids);
        }
        None => state.zoom_to_fit(),
    }
}

/// Keeps `diagram` as a new entry and shows it; without storage it stays in
/// memory and the user is told.
pub fn open_new_entry(state: AppState, diagram: Diagram) {
    match storage::create(&diagram) {
        Ok((id, _)) => show_entry(state, id, diagram),
        Err(reason) => {
            state.load(diagram);
            state.entry.set(None);
            state.zoom_to_fit();
            not_saved(state, reason);
        }
    }
}

/// Opens a share link as a new entry; a broken link is explained and the
/// diagram on screen stays.
fn open_link(state: AppState, fragment: String) {
    wasm_bindgen_futures::spawn_local(async move {
        match links::decode(&fragment).await {
            Ok(diagram) => {
                forget_fragment();
                open_new_entry(state, diagram);
                state.notice.set(Some(
                    "Opened the shared diagram as a new entry in My diagrams; your own diagrams are unchanged.".into(),
                ));
            }
            Err(reason) => {
                forget_fragment();
                state.notice.set(Some(format!(
                    "The link could not be opened: {reason}. Your diagram is unchanged."
                )));
            }
        }
    });
}

/// Writes the diagram and the view a moment after each change.
fn autosave(state: AppState) {
    let generation = StoredValue::new(0u64);
    Effect::new(move |_| {
        state.diagram.track();
        state.camera.track();
        state.selection.track();
        generation.update_value(|g| *g += 1);
        let mine = generation.get_value();
        set_timeout(
            move || {
                if generation.get_value() == mine {
                    save_now(state);
                }
            },
            std::time::Duration::from_millis(SAVE_DELAY_MS),
        );
    });
}

/// Saves at once (also before switching diagrams).
pub fn save_now(state: AppState) {
    if state.conflict.get_untracked() {
        return;
    }
    let Some(id) = state.entry.get_untracked() else {
        // Not kept yet (storage was unavailable): try again.
        let diagram = state.diagram.get_untracked();
        if let Ok((id, revision)) = storage::create(&diagram) {
            state.entry.set(Some(id.clone()));
            state.entry_revision.set_value(revision);
            storage::set_current(&id);
            state.unsaved.set(None);
        }
        return;
    };
    if !state.dirty.get_value() {
        // Only the view changed (or nothing): no new revision, so other tabs
        // are not asked to follow.
        save_view(state, &id);
        return;
    }
    let outcome = state
        .diagram
        .with_untracked(|diagram| storage::save(&id, diagram, state.entry_revision.get_value()));
    match outcome {
        Ok(Saved::Written(revision)) => {
            state.entry_revision.set_value(revision);
            state.dirty.set_value(false);
            save_view(state, &id);
            if state.unsaved.get_untracked().is_some() {
                state.unsaved.set(None);
            }
        }
        Ok(Saved::Conflict) => state.conflict.set(true),
        Err(reason) => {
            if state.unsaved.get_untracked().as_deref() != Some(reason.as_str()) {
                not_saved(state, reason);
            }
        }
    }
}

/// Says, once per reason, that the browser is not keeping the work, and
/// marks the toolbar "Not saved".
fn not_saved(state: AppState, reason: String) {
    state.notice.set(Some(format!(
        "Your work is not being saved: {reason}. It stays here while the page is open; use Save to keep a file."
    )));
    state.unsaved.set(Some(reason));
}

fn save_view(state: AppState, id: &str) {
    let camera = state.camera.get_untracked();
    let selection: Vec<String> = state
        .selection
        .get_untracked()
        .iter()
        .map(|id| id.to_string())
        .collect();
    storage::save_view(id, (camera.x, camera.y, camera.zoom), &selection);
}

/// Another tab saved this diagram: take theirs, or keep ours as a copy.
#[component]
pub fn ConflictBanner() -> impl IntoView {
    let state = super::state::use_app();
    let take_theirs = move |_| {
        let Some(id) = state.entry.get_untracked() else {
            return;
        };
        match storage::load(&id) {
            Ok(diagram) => show_entry(state, id, diagram),
            Err(reason) => state.notice.set(Some(format!(
                "The other tab's version cannot be read: {reason}"
            ))),
        }
    };
    let keep_mine = move |_| {
        let mut diagram = state.diagram.get_untracked();
        diagram.name = format!("{} (from another tab)", diagram.name);
        state.conflict.set(false);
        open_new_entry(state, diagram);
        state.notice.set(Some(
            "Your version is kept as a new entry in My diagrams; the other tab's stays as it was."
                .into(),
        ));
    };
    view! {
        {move || state.conflict.get().then(|| view! {
            <div class="conflict" role="alert" data-testid="conflict">
                <span>"This diagram was also changed in another tab. Which version do you want here?"</span>
                <button data-testid="conflict-theirs" on:click=take_theirs>"The other tab's"</button>
                <button data-testid="conflict-mine" on:click=keep_mine>"Mine, as a copy"</button>
            </div>
        })}
    }
}

/// Opens the files dropped onto the page (several: a Terraform module's
/// `.tf` files, or templates imported together).
pub fn dropped_file(state: AppState, event: web_sys::DragEvent) {
    event.prevent_default();
    let Some(list) = event.data_transfer().and_then(|transfer| transfer.files()) else {
        return;
    };
    let files: Vec<web_sys::File> = (0..list.length()).filter_map(|i| list.get(i)).collect();
    if !files.is_empty() {
        super::editor::send(state, super::editor::Request::OpenFiles(files));
    }
}
