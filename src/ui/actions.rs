//! What buttons and shortcuts do to the selection, in one place so the
//! toolbar, the inspector and the keyboard behave the same.

use super::browser;
use super::state::AppState;
use crate::domain::codec::{wire, Limits};
use crate::domain::edit::{arrange, delete, duplicate, relate};
use crate::domain::image::Theme;
use crate::domain::model::NodeId;
use crate::worker_protocol::{file_entry, IMAGE, IMPORT, IMPORT_FILES, SAVE, TIDY};
use leptos::prelude::*;

/// Where a paste lands relative to what was copied.
const PASTE_OFFSET: f64 = 32.0;

pub fn delete_selection(state: AppState) {
    if let Some(key) = state.selected_link.get_untracked() {
        unrelate(state, &key);
        return;
    }
    if let Some(edge) = state.selected_edge.get_untracked() {
        state.run(crate::domain::edit::Command::RemoveEdge { id: edge });
        return;
    }
    let ids = state.selection.get_untracked();
    if ids.is_empty() {
        return;
    }
    let outcome = state
        .diagram
        .with_untracked(|diagram| delete::delete_nodes(diagram, &ids));
    if state.attempt(outcome) {
        state.clear_selection();
    }
}

/// Enter on a palette block: the block in the selected container, or near
/// the middle of the view, wherever it covers nothing; selected once added.
pub fn add_from_keyboard(state: AppState, kind: crate::domain::model::KindTag) {
    let centre = state.visible_area().center();
    let outcome = state.diagram.with_untracked(|diagram| {
        let container = state
            .primary()
            .filter(|id| diagram.node(id).is_some_and(|n| n.tag().is_container()));
        crate::domain::edit::place::place_near(diagram, kind, container.as_ref(), centre)
    });
    match outcome {
        Ok((command, id)) => {
            if state.run(command) {
                let name = state
                    .diagram
                    .with_untracked(|d| d.node(&id).map(|n| n.name.clone()).unwrap_or_default());
                state.select_only(id);
                state
                    .notice
                    .set(Some(format!("Added {} {name:?}.", kind.label())));
            }
        }
        Err(message) => state.notice.set(Some(message)),
    }
}

/// Removes a relationship (the reference behind a dashed line), or says why
/// it stays.
pub fn unrelate(state: AppState, key: &str) -> Option<String> {
    let outcome = state.diagram.with_untracked(|diagram| {
        relate::Link::parse(key)
            .ok_or_else(|| "that relationship no longer exists".to_string())
            .and_then(|link| relate::unrelate(diagram, &link))
    });
    match outcome {
        Ok(command) => {
            if state.run(command) {
                state.selected_link.set(None);
            }
            None
        }
        Err(message) => {
            state.notice.set(Some(message.clone()));
            Some(message)
        }
    }
}

pub fn copy(state: AppState) {
    let ids = state.selection.get_untracked();
    if ids.is_empty() {
        return;
    }
    let clipboard = state
        .diagram
        .with_untracked(|diagram| duplicate::copy(diagram, &ids));
    state.clipboard.set_value(Some(clipboard));
}

pub fn paste(state: AppState) {
    let Some(clipboard) = state.clipboard.get_value() else {
        return;
    };
    let outcome = state.diagram.with_untracked(|diagram| {
        duplicate::paste(diagram, &clipboard, (PASTE_OFFSET, PASTE_OFFSET))
    });
    match outcome {
        Ok((command, tops)) => {
            if state.run(command) {
                state.clear_selection();
                state.selection.set(tops);
            }
        }
        Err(message) => state.notice.set(Some(message)),
    }
}

pub fn duplicate(state: AppState) {
    copy(state);
    paste(state);
}

pub fn select_all(state: AppState) {
    let all: Vec<NodeId> = state.diagram.with_untracked(|diagram| {
        diagram
            .nodes
            .iter()
            .filter(|node| diagram.layout.contains_key(&node.id))
            .map(|node| node.id.clone())
            .collect()
    });
    state.clear_selection();
    state.selection.set(all);
}

/// Arrow keys: consecutive nudges of one selection undo as one step.
pub fn nudge(state: AppState, dx: f64, dy: f64) {
    let ids = state.selection.get_untracked();
    if ids.is_empty() {
        return;
    }
    let key = format!(
        "nudge:{}",
        ids.iter().map(NodeId::as_str).collect::<Vec<_>>().join(",")
    );
    let outcome = state
        .diagram
        .with_untracked(|diagram| arrange::move_nodes(diagram, &ids, dx, dy));
    match outcome {
        Ok(command) => {
            state.run_merging(command, Some(key));
        }
        Err(message) => state.notice.set(Some(message)),
    }
}

/// Tidies a VPC. The layout is worked out by the worker (its code stays out
/// of the app's module); the boxes that moved land as one undoable step.
pub fn tidy(state: AppState, vpc: &NodeId) {
    let before = state.diagram.get_untracked();
    let request = browser::diagram_request(&format!("{TIDY}{vpc}:"), &before);
    browser::ask_worker(request, move |reply| {
        let tidied = reply.into_bytes().and_then(|bytes| {
            wire::decode(&bytes, &Limits::default()).map_err(|error| error.to_string())
        });
        match tidied {
            Ok(tidied) if state.diagram.with_untracked(|now| *now == before) => {
                state.attempt(Ok(arrange::layout_changes(&before, &tidied)));
            }
            Ok(_) => state.notice.set(Some(
                "The diagram changed while it was being tidied; tidy again".into(),
            )),
            Err(message) => state.notice.set(Some(format!("Tidy failed: {message}"))),
        }
    });
}

/// Tidies the selected VPC, or the VPC holding the selection.
pub fn tidy_selection(state: AppState) {
    let vpc = state.diagram.with_untracked(|diagram| {
        let mut current = state.primary()?;
        for _ in 0..4 {
            if diagram.node(&current)?.tag() == crate::domain::model::KindTag::Vpc {
                return Some(current);
            }
            current = diagram.container_of(&current)?.clone();
        }
        None
    });
    match vpc {
        Some(vpc) => tidy(state, &vpc),
        None => state
            .notice
            .set(Some("Select a VPC (or something in it) to tidy".into())),
    }
}

pub(super) fn file_stem(state: AppState) -> String {
    state
        .diagram
        .with_untracked(|d| crate::domain::export::names::slug(&d.name, 60))
}

/// The standalone SVG image of the diagram, drawn by the worker.
/// `slides`: the presentation picture, with a legend.
fn picture(state: AppState, theme: Theme, slides: bool, then: impl FnOnce(String) + 'static) {
    let theme = match (theme, slides) {
        (Theme::Light, false) => "light",
        (Theme::Dark, false) => "dark",
        (Theme::Light, true) => "light-slides",
        (Theme::Dark, true) => "dark-slides",
    };
    let request = state
        .diagram
        .with_untracked(|diagram| browser::diagram_request(&format!("{IMAGE}{theme}:"), diagram));
    browser::ask_worker(request, move |reply| match reply.into_text() {
        Ok(svg) => then(svg),
        Err(message) => state
            .notice
            .set(Some(format!("The image could not be made: {message}"))),
    });
}

pub fn export_svg(state: AppState, theme: Theme) {
    let name = format!("{}.svg", file_stem(state));
    picture(state, theme, false, move |svg| {
        if let Err(message) = browser::download(&name, "image/svg+xml", svg.as_bytes()) {
            state.notice.set(Some(message));
        }
    });
}

pub fn export_png(state: AppState, theme: Theme, slides: bool) {
    let name = if slides {
        format!("{}-slides.png", file_stem(state))
    } else {
        format!("{}.png", file_stem(state))
    };
    picture(state, theme, slides, move |svg| {
        wasm_bindgen_futures::spawn_local(async move {
            if let Err(message) = browser::download_png(&svg, &name).await {
                state.notice.set(Some(message));
            }
        });
    });
}

/// Saves the diagram in the documented file format, which the worker writes
/// (the app's module has no JSON writer).
pub fn save_file(state: AppState) {
    let name = format!("{}.stackdraw.json", file_stem(state));
    let diagram = state.diagram.get_untracked();
    let request = browser::diagram_request(SAVE, &diagram);
    browser::ask_worker(request, move |reply| {
        let saved = reply
            .into_text()
            .and_then(|text| browser::download(&name, "application/json", text.as_bytes()));
        match saved {
            // Compare mode can show what changed since.
            Ok(()) => keep_baseline(state, "saved", &diagram),
            Err(message) => state
                .notice
                .set(Some(format!("The file could not be saved: {message}"))),
        }
    });
}

/// Keeps the diagram as it was saved or shared, for "Compare with the last
/// saved or shared version"; a full storage only loses that comparison.
pub fn keep_baseline(state: AppState, how: &str, diagram: &crate::domain::model::Diagram) {
    if let Some(entry) = state.entry.get_untracked() {
        let _ = super::storage::save_baseline(&entry, how, diagram);
    }
}

/// Opens a diagram file's text: a file that cannot be read is explained and
/// the current diagram stays; a good one opens as a new entry. The worker
/// reads the JSON, so the app's module carries no JSON reader; it answers in
/// the binary form.
pub fn open_text(state: AppState, file_name: &str, text: &str) {
    let name = file_name.to_string();
    // A review link kept as a file (offered when the link is too long).
    if crate::domain::codec::review::is_review(text) {
        super::compare::open_review(state, text.trim().to_string());
        return;
    }
    // The worker tells a CloudFormation template from a diagram file; a
    // template is imported for the region of the diagram on screen.
    let region = state
        .diagram
        .with_untracked(|diagram| diagram.region.clone());
    let request = format!("{IMPORT}{region}:{name}\n{text}");
    browser::ask_worker(request, move |reply| opened(state, name, reply));
}

/// What the worker made of an opened file or files: the diagram in its
/// binary form, and an import's report (for a template or a module).
pub fn read_reply(
    reply: browser::WorkerReply,
) -> Result<(crate::domain::model::Diagram, Option<String>), String> {
    let (bytes, report) = match reply {
        browser::WorkerReply::Text(text) => {
            let (diagram, report) = text.split_once('\n').unwrap_or((&text, ""));
            (
                wire::from_base64url(diagram).map_err(|e| e.to_string()),
                Some(report.to_string()),
            )
        }
        other => (other.into_bytes(), None),
    };
    let diagram = bytes
        .and_then(|bytes| wire::decode(&bytes, &Limits::default()).map_err(|e| e.to_string()))?;
    Ok((diagram, report))
}

/// What the worker made of opened files: a diagram (with the import
/// report, for a template or a module) opened as a new entry, or why not.
fn opened(state: AppState, name: String, reply: browser::WorkerReply) {
    match read_reply(reply) {
        Ok((diagram, report)) => {
            super::persist::open_new_entry(state, diagram);
            let message = match &report {
                Some(_) => format!(
                    "Imported {name} as a new entry in My diagrams; the import report says what became of each resource."
                ),
                None => format!("Opened {name} as a new entry in My diagrams."),
            };
            state
                .import_report
                .set(report.map(|report| (name.clone(), report)));
            state.notice.set(Some(message));
        }
        Err(error) => state.notice.set(Some(format!(
            "{name} was not opened: {error}. Your diagram is unchanged."
        ))),
    }
}

/// Opens the files a user picked or dropped: one diagram file or template
/// as before; several files, `.tf` files or a `.zip` of a module's folder
/// are imported together in the worker.
pub fn open_files(state: AppState, files: Vec<web_sys::File>) {
    let together = files.len() > 1
        || files
            .iter()
            .any(|f| f.name().ends_with(".tf") || f.name().ends_with(".zip"));
    if !together {
        if let Some(file) = files.into_iter().next() {
            open_file(state, file);
        }
        return;
    }
    let total: f64 = files.iter().map(|f| f.size()).sum();
    let name = match files.as_slice() {
        [only] => only.name(),
        _ => format!("{} files", files.len()),
    };
    if total > 8.0 * 1024.0 * 1024.0 {
        state.notice.set(Some(format!(
            "{name} are larger than 8 MiB together; nothing was opened."
        )));
        return;
    }
    let region = state
        .diagram
        .with_untracked(|diagram| diagram.region.clone());
    wasm_bindgen_futures::spawn_local(async move {
        let mut request = format!("{IMPORT_FILES}{region}\n");
        for file in files {
            let file_name = file.name();
            let blob = gloo_file::Blob::from(file);
            let entry = if file_name.ends_with(".zip") {
                gloo_file::futures::read_as_bytes(&blob)
                    .await
                    .map(|bytes| file_entry(&file_name, &wire::to_base64url(&bytes), true))
            } else {
                gloo_file::futures::read_as_text(&blob)
                    .await
                    .map(|text| file_entry(&file_name, &text, false))
            };
            match entry {
                Ok(entry) => request.push_str(&entry),
                Err(_) => {
                    state.notice.set(Some(format!(
                        "{file_name} could not be read; nothing was opened."
                    )));
                    return;
                }
            }
        }
        browser::ask_worker(request, move |reply| opened(state, name, reply));
    });
}

/// Opens a diagram file the user picked or dropped.
pub fn open_file(state: AppState, file: web_sys::File) {
    let name = file.name();
    if file.size() > 8.0 * 1024.0 * 1024.0 {
        state.notice.set(Some(format!(
            "{name} is larger than 8 MiB; it was not opened."
        )));
        return;
    }
    wasm_bindgen_futures::spawn_local(async move {
        match gloo_file::futures::read_as_text(&gloo_file::Blob::from(file)).await {
            Ok(text) => open_text(state, &name, &text),
            Err(_) => state.notice.set(Some(format!("{name} could not be read."))),
        }
    });
}
