use super::actions;
use super::canvas::Canvas;
use super::editor::{self, EditKey, Request};
use super::problems::ProblemsPanel;
use super::state::AppState;
use crate::domain::scene::Scene;
use crate::domain::validate::{Analysis, Severity};
use leptos::ev;
use leptos::prelude::*;
use std::sync::Arc;

/// Whether each dialog is open; the viewer's buttons open them, the editor
/// draws them.
#[derive(Clone, Copy)]
pub struct Dialogs {
    pub exporting: RwSignal<bool>,
    pub sharing: RwSignal<bool>,
    pub browsing: RwSignal<bool>,
}

/// The most lines a scene update searches routes for; the worker routes
/// the rest. Two hundred take some 30 ms here.
const MOST_SEARCHED_AT_ONCE: usize = 200;

/// From this many nodes the checks run after the frame that shows an edit.
const CHECKED_AFTER_PAINT_FROM: usize = 400;

/// When the checks of the latest edit are due. On a large diagram an edit
/// is drawn first and checked just after the frame that shows it: the
/// checks take tens of milliseconds there, and the problems may follow a
/// frame later. Smaller diagrams are checked before the frame, as each
/// change lands. What else is worked out from the whole diagram beside the
/// checks (a reachability question) follows them too.
#[derive(Clone, Copy)]
pub struct Checks {
    due: RwSignal<u64>,
    state: AppState,
    editor: editor::Loaded,
}

impl Checks {
    fn after_paint(self) -> bool {
        self.editor.ready.get_untracked()
            && self
                .state
                .diagram
                .with_untracked(|diagram| diagram.nodes.len() >= CHECKED_AFTER_PAINT_FROM)
    }

    /// Subscribes the caller to the checks: it runs again when they are due.
    pub fn track(self) {
        if self.after_paint() {
            self.due.track();
        } else {
            self.state.diagram.track();
        }
    }
}

/// The app shell: toolbar, canvas, and the side panels.
#[component]
pub fn App() -> impl IntoView {
    let state = AppState::new();
    provide_context(state);
    // The checks and the line router's search come with the editor's
    // module, fetched after the first paint. Until then the seed (a first
    // visit's diagram) shows the analysis and the routes the first load
    // carries; any other diagram waits for its checks, and its lines take
    // simple shapes.
    let editor = editor::Loaded::new();
    provide_context(editor);
    let seed = StoredValue::new(crate::domain::templates::first_visit());
    // An edit re-routes only the connectors it touched, searching at most
    // a few hundred lines at once: the rest (a large diagram just opened,
    // a tidy of a crowded VPC) take simple shapes, and the worker routes
    // them off this thread (see below).
    let scene = Memo::new_with_compare(
        move |previous: Option<&Arc<Scene>>| {
            let search = editor.search();
            let revision = state.revision();
            state.diagram.with(|diagram| {
                state.routes.with(|found| {
                    let found = found
                        .as_ref()
                        .filter(|(at, _)| *at == revision)
                        .map(|(_, routes)| routes.as_ref());
                    let carried = (search.is_none() && seed.with_value(|seed| seed == diagram))
                        .then(crate::domain::templates::seed_routes);
                    Arc::new(Scene::update_with(
                        diagram,
                        previous.map(|previous| &**previous),
                        search,
                        editor.reuse(),
                        carried.as_ref().or(found),
                        Some(MOST_SEARCHED_AT_ONCE),
                    ))
                })
            })
        },
        // Each update is a new scene: comparing thousands of nodes to find
        // it unchanged would cost more than the markup it could spare (which
        // shares every unchanged piece anyway).
        |before, now| !matches!((before, now), (Some(a), Some(b)) if Arc::ptr_eq(a, b)),
    );
    Effect::new(move |_| {
        if scene.with(|scene| scene.unsearched > 0) {
            editor::send(state, Request::RouteLines);
        }
    });
    provide_context(scene);
    let checks = Checks {
        due: RwSignal::new(0),
        state,
        editor,
    };
    provide_context(checks);
    Effect::new(move |_| {
        let revision = state.revision();
        if checks.after_paint() {
            request_animation_frame(move || {
                set_timeout(
                    // Edits within one frame are checked once, at the last.
                    move || {
                        if state.revision_untracked() == revision {
                            checks.due.update(|due| *due += 1);
                        }
                    },
                    std::time::Duration::ZERO,
                )
            });
        }
    });
    let analysis = Memo::new(move |_| {
        checks.track();
        state.diagram.with_untracked(|diagram| {
            editor.analyze(diagram).unwrap_or_else(|| {
                if seed.with_value(|seed| seed == diagram) {
                    crate::domain::templates::seed_analysis()
                } else {
                    Analysis::pending()
                }
            })
        })
    });
    provide_context(analysis);

    match super::bench::requested() {
        Some((kind, nodes)) => editor::send(state, Request::OpenGenerated { kind, nodes }),
        None => super::persist::start(state),
    }
    let exporting = RwSignal::new(false);
    let sharing = RwSignal::new(false);
    let browsing = RwSignal::new(false);
    let dialogs = Dialogs {
        exporting,
        sharing,
        browsing,
    };
    editor.start_after_first_paint(state, dialogs);
    let keys = window_event_listener(ev::keydown, move |event| {
        if event.key() == "Escape" {
            exporting.set(false);
            sharing.set(false);
            browsing.set(false);
        }
        if shortcut(state, &event) {
            event.prevent_default();
        }
    });
    on_cleanup(move || keys.remove());

    // Messages fade after a while; a newer one restarts the wait.
    Effect::new(move |_| {
        if let Some(message) = state.notice.get() {
            set_timeout(
                move || {
                    if state.notice.get_untracked().as_deref() == Some(message.as_str()) {
                        state.notice.set(None);
                    }
                },
                std::time::Duration::from_secs(8),
            );
        }
    });

    // On a small screen the palette and the sidebar are drawers over the
    // canvas, one open at a time.
    let drawer = RwSignal::new(None::<&'static str>);
    let workspace_class = move || match drawer.get() {
        Some(open) => format!("workspace drawer-{open}"),
        None => "workspace".to_string(),
    };
    let toggle = move |which: &'static str| {
        drawer.update(|open| {
            *open = if *open == Some(which) {
                None
            } else {
                Some(which)
            }
        })
    };
    let expanded = move |which: &'static str| (drawer.get() == Some(which)).to_string();
    let name = move || state.diagram.with(|diagram| diagram.name.clone());
    let region = move || state.diagram.with(|diagram| diagram.region.clone());
    let count = move |severity| {
        analysis.with(|analysis| (!analysis.pending).then(|| analysis.count(severity)))
    };

    view! {
        <div class="app">
            <header class="toolbar" data-testid="toolbar">
                <span class="brand">"stackdraw"</span>
                <span class="diagram-name" data-testid="diagram-name" title=move || format!("{} ({})", name(), region())>{name}</span>
                {editor.show(|views| &views.rename)}
                {move || {
                    if editor.ready.get() {
                        editor.show(|views| &views.region)()
                    } else {
                        Some(view! { <span class="region" data-testid="diagram-region">{region}</span> }.into_any())
                    }
                }}
                <button class="drawer-toggle" data-testid="drawer-palette" aria-expanded=move || expanded("palette") on:click=move |_| toggle("palette")>
                    "Blocks"
                </button>
                <button class="drawer-toggle" data-testid="drawer-sidebar" aria-expanded=move || expanded("sidebar") on:click=move |_| toggle("sidebar")>
                    "Problems"
                </button>
                <span class="status" data-testid="status">
                    <span class="count error" data-testid="error-count">
                        {move || count(Severity::Error).map_or_else(|| "checking…".to_string(), |n| plural(n, "error"))}
                    </span>
                    <span class="count warning" data-testid="warning-count">
                        {move || count(Severity::Warning).map(|n| plural(n, "warning"))}
                    </span>
                </span>
                {move || state.unsaved.get().map(|reason| view! {
                    <span class="unsaved" data-testid="unsaved" title=format!("Not saved in this browser: {reason}")>
                        "Not saved"
                    </span>
                })}
                <span class="spacer"></span>
                {editor.show(|views| &views.tools)}
            </header>
            <div class=workspace_class>
                {move || {
                    if editor.ready.get() {
                        editor.show(|views| &views.palette)()
                    } else {
                        // The palette's column, kept while its blocks load.
                        Some(view! { <nav class="palette" aria-label="Building blocks" aria-busy="true"></nav> }.into_any())
                    }
                }}
                <main
                    class="canvas-main"
                    on:dragover=|event: ev::DragEvent| event.prevent_default()
                    on:drop=move |event: ev::DragEvent| super::persist::dropped_file(state, event)
                >
                    <Canvas scene=scene editor />
                    {editor.show(|views| &views.guide)}
                </main>
                <aside class="sidebar" data-testid="sidebar" data-editor=move || editor.status()>
                    {editor.show(|views| &views.reports)}
                    {editor.show(|views| &views.inspector)}
                    <ProblemsPanel />
                    {editor.show(|views| &views.outline)}
                    {editor.show(|views| &views.reachability)}
                </aside>
            </div>
            {editor.show(|views| &views.dialogs)}
            {editor.show(|views| &views.conflict)}
            {move || {
                state
                    .notice
                    .get()
                    .map(|message| {
                        view! {
                            <div class="notice" data-testid="notice" role="status">
                                <span>{message}</span>
                                <button on:click=move |_| state.notice.set(None)>"Dismiss"</button>
                            </div>
                        }
                    })
            }}
        </div>
    }
}

fn plural(count: usize, noun: &str) -> String {
    if count == 1 {
        format!("1 {noun}")
    } else {
        format!("{count} {noun}s")
    }
}

/// The keyboard shortcuts (listed in the help overlay); true when the key
/// was used.
fn shortcut(state: AppState, event: &web_sys::KeyboardEvent) -> bool {
    let key = event.key();
    if key == "Escape" {
        state.help_open.set(false);
        state.gesture.set(None);
        state.clear_selection();
        return false;
    }
    if super::browser::in_text_field(event) {
        return false;
    }
    let command = event.ctrl_key() || event.meta_key();
    let step = if event.shift_key() { 10.0 } else { 1.0 };
    let edit = match (command, key.to_ascii_lowercase().as_str()) {
        (true, "z") if event.shift_key() => EditKey::Redo,
        (true, "z") => EditKey::Undo,
        (true, "y") => EditKey::Redo,
        (true, "c") => EditKey::Copy,
        (true, "v") => EditKey::Paste,
        (true, "d") => EditKey::Duplicate,
        (false, "delete" | "backspace") => EditKey::Delete,
        (false, "arrowleft") => EditKey::Nudge(-step, 0.0),
        (false, "arrowright") => EditKey::Nudge(step, 0.0),
        (false, "arrowup") => EditKey::Nudge(0.0, -step),
        (false, "arrowdown") => EditKey::Nudge(0.0, step),
        (false, "t") => EditKey::Tidy,
        (false, "c") => EditKey::Connect,
        (true, "a") => {
            actions::select_all(state);
            return true;
        }
        (false, "?") => {
            state.help_open.update(|open| *open = !*open);
            return true;
        }
        (false, "+" | "=") => {
            zoom_centre(state, 1.25);
            return true;
        }
        (false, "-") => {
            zoom_centre(state, 0.8);
            return true;
        }
        (false, "!") | (false, "0") => {
            state.zoom_to_fit();
            return true;
        }
        _ => return false,
    };
    editor::send(state, Request::Key(edit));
    true
}

fn zoom_centre(state: AppState, factor: f64) {
    let (w, h) = state.view_size.get_untracked();
    state
        .camera
        .update(|camera| *camera = camera.zoomed(factor, (w / 2.0, h / 2.0)));
}
