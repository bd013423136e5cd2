//! The seam between the viewer and the editor.
//!
//! The app's module is split in two WebAssembly files. The first load carries
//! the viewer: the shell with the diagram's name and counts, the canvas with
//! its gestures' previews, pan and zoom, and the problems panel, with the
//! seed's analysis as data. Everything else (the checks themselves, the
//! palette, the toolbar's tools and region picker, the inspector, the
//! reachability panel, the dialogs, every command and the undo history) is
//! the editor, split off at the functions marked
//! `#[wasm_split(editor)]` below (its views, its requests, and the benchmark
//! page) by `scripts/split-wasm.mjs` between cargo and wasm-bindgen. The
//! split follows calls: code reached only through these functions leaves the
//! first load, so the viewer reaches the editor through them and nothing
//! else.
//!
//! The editor starts loading as soon as the first paint is done, so it is
//! there before anyone can reach for it; a request made earlier waits for it
//! rather than being dropped, and one that cannot load says so.

use super::app::Dialogs;
use super::state::AppState;
use crate::domain::edit::Command;
use crate::domain::model::{Diagram, EdgeId, KindTag, NodeId, Rect};
use crate::domain::validate::Analysis;
use leptos::prelude::*;
use wasm_split_helpers::wasm_split;

/// What the viewer asks of the editor.
pub enum Request {
    /// A keyboard shortcut that edits (the viewer keeps those that only
    /// look: zoom, fit, help).
    Key(EditKey),
    /// A pointer gesture that ended, to land as one undoable command.
    Finish(Finished),
    /// A command from a viewer button (a problem's fix).
    Run(Command),
    /// A file dropped on the canvas.
    OpenFiles(Vec<web_sys::File>),
    /// A review link's fragment: its newer version opens, compared with
    /// its older one.
    OpenReview(String),
    /// Turn lines an older version drew where no traffic flows into what
    /// they mean (`relate::settle`), and say so.
    Settle,
    /// A generated diagram for the editor's benchmarks (`?bench=drag`).
    OpenGenerated { kind: String, nodes: usize },
    /// Have the worker route the lines the canvas drew in simple shapes.
    RouteLines,
}

/// What a pointer gesture on the canvas or from the palette asks for, in
/// diagram units, snapped as its preview showed it.
pub enum Finished {
    Move {
        ids: Vec<NodeId>,
        delta: (f64, f64),
    },
    Connect {
        from: NodeId,
        to: NodeId,
    },
    Resize {
        id: NodeId,
        rect: Rect,
    },
    Place {
        kind: KindTag,
        at: (f64, f64),
    },
    /// A line dragged into a new bend, or one of its bends moved.
    Bend(super::state::BendDrag),
    /// A double click on a line's bend takes it out.
    Unbend {
        edge: EdgeId,
        at: usize,
    },
}

/// The shortcuts that edit, as the viewer recognised them.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum EditKey {
    Undo,
    Redo,
    Copy,
    Paste,
    Duplicate,
    Delete,
    Nudge(f64, f64),
    Tidy,
    /// Choose what to connect the selection to, from a list.
    Connect,
}

/// Sends a request to the editor, loading it first if it is not there yet.
pub fn send(state: AppState, request: Request) {
    leptos::task::spawn_local(async move {
        if handle(state, request).await.is_err() {
            state.notice.set(Some(LOAD_FAILED.into()));
        }
    });
}

const LOAD_FAILED: &str =
    "The editor could not be loaded (is the network down?). Your diagram is safe; reload the page to edit it.";

/// Why a split function did not run.
pub struct NotLoaded;

impl From<wasm_split_helpers::SplitLoaderError> for NotLoaded {
    fn from(_: wasm_split_helpers::SplitLoaderError) -> NotLoaded {
        NotLoaded
    }
}

/// The editor's views, each drawn where the viewer left room for it.
pub struct Views {
    pub inspector: ViewFn,
    pub reachability: ViewFn,
    pub dialogs: ViewFn,
    /// Offers both versions when another tab saved this diagram too.
    pub conflict: ViewFn,
    /// The toolbar's tools, right of the diagram's name and counts.
    pub tools: ViewFn,
    /// The region picker, in the place of the region's name.
    pub region: ViewFn,
    pub palette: ViewFn,
    /// The diagram as a tree for the keyboard and screen readers.
    pub outline: ViewFn,
    /// Renaming the diagram, beside its name.
    pub rename: ViewFn,
    /// Over the canvas: a first visit's example banner, an empty canvas's hint.
    pub guide: ViewFn,
    /// In the canvas, over the drawing: the selected line's bend handles,
    /// the line being bent, and compare mode's marks (added, changed and
    /// removed nodes and lines).
    pub over_drawing: ViewFn,
    /// Over the canvas: the hovered line's hops, or why it is blocked.
    pub flow_tooltip: ViewFn,
    /// In the sidebar: compare mode's changes and verdicts, and after an
    /// import, what became of each resource.
    pub reports: ViewFn,
    /// The checks (`validate::analyze`): every rule, flow and scope. They
    /// come with this module; until it is here the first load shows the
    /// seed's analysis, which it carries, or says the checks are coming.
    pub analyze: fn(&Diagram) -> Analysis,
    /// The search that routes lines around what lies between their ends;
    /// until it is here lines take simple shapes (the seed's its carried
    /// routes).
    pub search: crate::domain::route::Search,
    /// What a scene update after an edit keeps of the scene before.
    pub reuse: crate::domain::scene::Reuse,
    /// The markup after an edit, sharing the pieces it left unchanged.
    pub markup_after: MarkupAfter,
}

/// [`crate::domain::canvas::Markup::after`], handed over with the editor.
pub type MarkupAfter = fn(
    Option<&crate::domain::canvas::Markup>,
    &std::sync::Arc<crate::domain::scene::Scene>,
    &Analysis,
    crate::domain::canvas::Detail,
) -> crate::domain::canvas::Markup;

pub type ViewFn = Box<dyn Fn() -> AnyView>;

/// The editor's views once loaded; `ready` turns true when they are.
#[derive(Clone, Copy)]
pub struct Loaded {
    views: StoredValue<Option<Views>, LocalStorage>,
    pub ready: RwSignal<bool>,
    failed: RwSignal<bool>,
}

impl Loaded {
    pub fn new() -> Loaded {
        Loaded {
            views: StoredValue::new_local(None),
            ready: RwSignal::new(false),
            failed: RwSignal::new(false),
        }
    }

    /// `loading`, `ready` or `failed`: the sidebar's `data-editor`.
    pub fn status(self) -> &'static str {
        if self.ready.get() {
            "ready"
        } else if self.failed.get() {
            "failed"
        } else {
            "loading"
        }
    }

    /// One of the editor's views, reactively: nothing until it has loaded.
    pub fn show(self, pick: fn(&Views) -> &ViewFn) -> impl Fn() -> Option<AnyView> {
        move || {
            if !self.ready.get() {
                return None;
            }
            self.views
                .with_value(|views| views.as_ref().map(|views| pick(views)()))
        }
    }

    /// Whether loading the editor (and with it the checks) failed.
    pub fn failed(self) -> bool {
        self.failed.get()
    }

    /// The checks of a diagram, once the editor's module is here.
    pub fn analyze(self, diagram: &Diagram) -> Option<Analysis> {
        if !self.ready.get() {
            return None;
        }
        self.views
            .with_value(|views| views.as_ref().map(|views| views.analyze))
            .map(|analyze| analyze(diagram))
    }

    /// The line router's search, once the editor's module is here.
    pub fn search(self) -> Option<crate::domain::route::Search> {
        self.handed_over(|views| views.search)
    }

    /// What a scene update keeps after an edit, once the editor is here.
    pub fn reuse(self) -> Option<crate::domain::scene::Reuse> {
        self.handed_over(|views| views.reuse)
    }

    /// The markup that shares what an edit left unchanged, once the editor
    /// is here.
    pub fn markup_after(self) -> Option<MarkupAfter> {
        self.handed_over(|views| views.markup_after)
    }

    fn handed_over<T>(self, take: impl Fn(&Views) -> T) -> Option<T> {
        if !self.ready.get() {
            return None;
        }
        self.views.with_value(|views| views.as_ref().map(take))
    }

    /// Loads the editor once the browser has painted what the viewer drew.
    pub fn start_after_first_paint(self, state: AppState, dialogs: Dialogs) {
        // The frame callback runs before the first paint; the timeout it
        // queues runs after it.
        request_animation_frame(move || {
            set_timeout(
                move || {
                    leptos::task::spawn_local(async move {
                        match panels(dialogs).await {
                            Ok(views) => {
                                self.views.set_value(Some(views));
                                self.ready.set(true);
                            }
                            Err(NotLoaded) => {
                                self.failed.set(true);
                                state.notice.set(Some(LOAD_FAILED.into()));
                            }
                        }
                    });
                },
                std::time::Duration::ZERO,
            );
        });
    }
}

/// The page of the domain benchmarks (`?bench=analysis&nodes=2000`), which
/// time the worker and draw no diagram.
pub fn bench_page(kind: String, nodes: usize) -> impl IntoView {
    let page: RwSignal<Option<String>> = RwSignal::new(None);
    let loaded = Loaded::new();
    leptos::task::spawn_local(async move {
        match bench_views(kind, nodes).await {
            Ok(views) => {
                loaded.views.set_value(Some(views));
                loaded.ready.set(true);
            }
            Err(NotLoaded) => page.set(Some(LOAD_FAILED.into())),
        }
    });
    view! {
        {loaded.show(|views| &views.inspector)}
        {move || page.get().map(|message| view! { <pre data-testid="bench-result">{message}</pre> })}
    }
}

/// The benchmark page, in the editor's module: it talks to the worker,
/// which the viewer never does.
#[wasm_split(editor, fallible)]
fn bench_views(kind: String, nodes: usize) -> Result<Views, NotLoaded> {
    Ok(super::editing::bench_views(kind, nodes))
}

/// The editor's panels and dialogs.
#[wasm_split(editor, fallible)]
fn panels(dialogs: Dialogs) -> Result<Views, NotLoaded> {
    Ok(super::editing::views(dialogs))
}

/// Carries out one request.
#[wasm_split(editor, fallible)]
fn handle(state: AppState, request: Request) -> Result<(), NotLoaded> {
    super::editing::handle(state, request);
    Ok(())
}
