//! The editor's half of the seam in `editor.rs`: its views and what each
//! request does. Nothing in the viewer calls into this file except through
//! the split functions there, which keeps it, the palette, the inspector,
//! the dialogs, the commands and the history out of the first load.

use super::actions;
use super::app::Dialogs;
use super::diagrams::DiagramsDialog;
use super::editor::{EditKey, Finished, Request, Views};
use super::export_dialog::ExportDialog;
use super::help::HelpOverlay;
use super::inspector::Inspector;
use super::reachability::ReachabilityPanel;
use super::share::ShareDialog;
use super::state::AppState;
use crate::domain::codec::{wire, Limits};
use crate::domain::edit::{arrange, line, place, relate};
use crate::domain::model::NodeId;
use crate::domain::templates;
use leptos::prelude::*;

pub fn views(dialogs: Dialogs) -> Views {
    Views {
        inspector: Box::new(|| view! { <Inspector /> }.into_any()),
        reachability: Box::new(|| view! { <ReachabilityPanel /> }.into_any()),
        conflict: Box::new(|| view! { <super::persist::ConflictBanner /> }.into_any()),
        tools: Box::new(move || view! { <super::toolbar::Tools dialogs /> }.into_any()),
        region: Box::new(|| view! { <super::toolbar::RegionPicker /> }.into_any()),
        palette: Box::new(|| view! { <super::palette::Palette /> }.into_any()),
        outline: Box::new(|| view! { <super::outline::Outline /> }.into_any()),
        rename: Box::new(|| view! { <super::toolbar::Rename /> }.into_any()),
        guide: Box::new(move || view! { <Guide dialogs /> }.into_any()),
        over_drawing: Box::new(|| {
            view! {
                <super::compare::CompareMarks />
                <super::line_tools::LineTools />
            }
            .into_any()
        }),
        flow_tooltip: Box::new(|| view! { <super::reachability::FlowTooltip /> }.into_any()),
        reports: Box::new(|| {
            view! {
                <super::compare::ComparePanel />
                <super::import_report::ImportReport />
            }
            .into_any()
        }),
        analyze: crate::domain::validate::analyze,
        search: crate::domain::route::route_via,
        reuse: crate::domain::scene::Reuse::new(),
        markup_after: crate::domain::canvas::Markup::after,
        dialogs: Box::new(move || {
            view! {
                <ExportDialog open=dialogs.exporting />
                <ShareDialog open=dialogs.sharing />
                <DiagramsDialog open=dialogs.browsing />
                <super::compare::CompareDialog />
                <HelpOverlay />
            }
            .into_any()
        }),
    }
}

/// The benchmark page's one view (in the inspector's place).
pub fn bench_views(kind: String, nodes: usize) -> Views {
    let nothing = || Box::new(|| ().into_any()) as super::editor::ViewFn;
    Views {
        inspector: Box::new(move || {
            let kind = kind.clone();
            view! { <super::bench::Bench kind nodes /> }.into_any()
        }),
        reachability: nothing(),
        dialogs: nothing(),
        conflict: nothing(),
        tools: nothing(),
        region: nothing(),
        palette: nothing(),
        outline: nothing(),
        rename: nothing(),
        guide: nothing(),
        over_drawing: nothing(),
        flow_tooltip: nothing(),
        reports: nothing(),
        analyze: crate::domain::validate::analyze,
        search: crate::domain::route::route_via,
        reuse: crate::domain::scene::Reuse::new(),
        markup_after: crate::domain::canvas::Markup::after,
    }
}

pub fn handle(state: AppState, request: Request) {
    match request {
        Request::Key(key) => edit_key(state, key),
        Request::Finish(finished) => finish(state, finished),
        Request::Run(command) => {
            state.run(command);
        }
        Request::OpenFiles(files) => actions::open_files(state, files),
        Request::OpenReview(fragment) => super::compare::open_review(state, fragment),
        Request::Settle => settle(state),
        Request::OpenGenerated { kind, nodes } => super::bench::load_generated(state, &kind, nodes),
        Request::RouteLines => route_lines(state),
    }
}

thread_local! {
    /// Whether a `routes:` request is with the worker.
    static ROUTING: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Asks the worker for every line's route of the diagram as it is now, one
/// request at a time; the routes are drawn if the diagram has not changed
/// meanwhile, and asked for again if it has. If the worker fails, the lines
/// keep their simple shapes.
fn route_lines(state: AppState) {
    if ROUTING.with(|routing| routing.replace(true)) {
        return;
    }
    let revision = state.revision_untracked();
    let request = state.diagram.with_untracked(|diagram| {
        crate::worker_protocol::diagram_request(crate::worker_protocol::ROUTES, diagram)
    });
    super::browser::ask_worker(request, move |reply| {
        ROUTING.with(|routing| routing.set(false));
        let super::browser::WorkerReply::Text(text) = reply else {
            return;
        };
        if state.revision_untracked() == revision {
            let routes = crate::domain::scene::CarriedRoutes::decode(&text);
            state
                .routes
                .set(Some((revision, std::sync::Arc::new(routes))));
        } else {
            route_lines(state);
        }
    });
}

fn edit_key(state: AppState, key: EditKey) {
    match key {
        EditKey::Undo => state.undo(),
        EditKey::Redo => state.redo(),
        EditKey::Copy => actions::copy(state),
        EditKey::Paste => actions::paste(state),
        EditKey::Duplicate => actions::duplicate(state),
        EditKey::Delete => actions::delete_selection(state),
        EditKey::Nudge(dx, dy) => actions::nudge(state, dx, dy),
        EditKey::Tidy => actions::tidy_selection(state),
        EditKey::Connect => {
            if state.primary().is_some() {
                state.connect_open.set(true);
            }
        }
    }
}

/// Lands a gesture: the command it makes, or the reason it was refused.
fn finish(state: AppState, finished: Finished) {
    match finished {
        Finished::Move { ids, delta } => {
            let outcome = state
                .diagram
                .with_untracked(|diagram| arrange::move_nodes(diagram, &ids, delta.0, delta.1));
            state.attempt(outcome);
        }
        Finished::Connect { from, to } => connect_pair(state, &from, &to),
        Finished::Bend(drag) => {
            let (bent, _) = drag.bent();
            let outcome = state
                .diagram
                .with_untracked(|diagram| line::bend_through(diagram, &drag.edge, &bent));
            state.attempt(outcome);
        }
        Finished::Unbend { edge, at } => {
            let outcome = state.diagram.with_untracked(|diagram| {
                let mut bends: Vec<(f64, f64)> = diagram
                    .edges
                    .iter()
                    .find(|e| e.id == edge)
                    .map(|e| e.bends.iter().map(|b| (b.x, b.y)).collect())
                    .unwrap_or_default();
                if at < bends.len() {
                    bends.remove(at);
                }
                line::bend_through(diagram, &edge, &bends)
            });
            state.attempt(outcome);
        }
        Finished::Resize { id, rect } => {
            let outcome = state
                .diagram
                .with_untracked(|diagram| arrange::resize(diagram, &id, rect));
            state.attempt(outcome);
        }
        Finished::Place { kind, at } => {
            let view = state.visible_area();
            let outcome = state
                .diagram
                .with_untracked(|diagram| place::place_in_view(diagram, kind, at, view));
            match outcome {
                Ok((command, id)) => {
                    if state.run(command) {
                        state.select_only(id);
                    }
                }
                Err(message) => state.notice.set(Some(message)),
            }
        }
    }
}

fn settle(state: AppState) {
    let (settled, said) = state.diagram.with_untracked(relate::settle);
    if said.is_empty() {
        return;
    }
    state.settled(settled);
    let before = state
        .notice
        .get_untracked()
        .map(|n| n + " ")
        .unwrap_or_default();
    state.notice.set(Some(format!(
        "{before}This diagram was drawn by an older version: {}",
        said.join(" ")
    )));
}

/// Draws a line between two nodes: traffic, or the configuration the pair
/// stands for (`relate`), said in a notice; a pair that means nothing is
/// refused with the reason.
pub fn connect_pair(state: AppState, from: &NodeId, to: &NodeId) {
    let outcome = state
        .diagram
        .with_untracked(|diagram| relate::relate(diagram, from, to));
    match outcome {
        Ok(relation) => {
            if state.run(relation.command) {
                state.clear_selection();
                match relation.edge {
                    Some(edge) => state.selected_edge.set(Some(edge)),
                    None => state.select_only(from.clone()),
                }
                state
                    .notice
                    .set(Some(format!("{}.", capitalised(&relation.summary))));
            }
        }
        Err(message) => state.notice.set(Some(capitalised(&message))),
    }
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_ascii_uppercase().to_string() + chars.as_str(),
        None => String::new(),
    }
}

/// Opens a template as a new entry. The worker builds it (the builders stay
/// out of the app's module) and answers in binary form.
pub fn open_template(state: AppState, template: &'static templates::Template) {
    let request = format!("{}{}", crate::worker_protocol::TEMPLATE, template.name);
    super::browser::ask_worker(request, move |reply| {
        let diagram = reply.into_bytes().and_then(|bytes| {
            wire::decode(&bytes, &Limits::default()).map_err(|error| error.to_string())
        });
        match diagram {
            Ok(mut diagram) => {
                if template.name == "blank" {
                    diagram.region = super::toolbar::blank().region;
                }
                super::persist::save_now(state);
                super::persist::open_new_entry(state, diagram);
                state.notice.set(Some(format!(
                    "Started a new diagram from {:?}; your previous one is in My diagrams.",
                    template.title
                )));
            }
            Err(message) => state.notice.set(Some(format!(
                "The template {:?} could not be opened: {message}",
                template.title
            ))),
        }
    });
}

/// What a newcomer sees over the canvas: on a first visit, that the diagram
/// is an example (until the first edit); on an empty canvas, what to do.
#[component]
fn Guide(dialogs: Dialogs) -> impl IntoView {
    let state = super::state::use_app();
    let empty = move || state.diagram.with(|d| d.layout.is_empty());
    view! {
        {move || state.example.get().then(|| view! {
            <div class="example-banner" data-testid="example-banner" role="note">
                <span>
                    "This is an example: a web service on Fargate behind a load balancer, with Aurora, CloudFront and a pipeline. Edit it freely, or start from "
                </span>
                <button data-testid="example-blank" on:click=move |_| open_template(state, templates::by_name("blank").unwrap_or(&templates::TEMPLATES[0]))>
                    "a blank canvas"
                </button>
                <button data-testid="example-dismiss" aria-label="Dismiss" on:click=move |_| state.example.set(false)>"×"</button>
            </div>
        })}
        {move || empty().then(|| view! {
            <div class="empty-hint" data-testid="empty-hint" role="note">
                <p><strong>"An empty canvas."</strong></p>
                <p>"Drag a VPC from the palette on the left, then subnets into it, then what runs in them; or Tab to a block and press Enter."</p>
                <p>"Draw a line from a block's handle (●) to another block: traffic, or the configuration the pair stands for."</p>
                <p>
                    "Or open a ready-made design from Templates, or a file from "
                    <button data-testid="empty-my-diagrams" on:click=move |_| dialogs.browsing.set(true)>"My diagrams"</button>
                    "."
                </p>
            </div>
        })}
    }
}
