use super::actions;
use super::canvas::Canvas;
use super::export_dialog::ExportDialog;
use super::help::HelpOverlay;
use super::inspector::Inspector;
use super::palette::Palette;
use super::problems::ProblemsPanel;
use super::reachability::ReachabilityPanel;
use super::state::{use_app, AppState};
use crate::domain::codec::{wire, Limits};
use crate::domain::image::Theme;
use crate::domain::scene::Scene;
use crate::domain::templates;
use crate::domain::validate::{analyze, Severity};
use leptos::ev;
use leptos::prelude::*;

/// The app shell: toolbar, canvas, and the side panels.
#[component]
pub fn App() -> impl IntoView {
    let state = AppState::new();
    provide_context(state);
    let scene = Memo::new(move |_| state.diagram.with(Scene::of));
    let analysis = Memo::new(move |_| state.diagram.with(analyze));
    provide_context(analysis);

    match super::bench::requested() {
        Some((kind, nodes)) => super::bench::load_generated(state, &kind, nodes),
        None => super::persist::start(state),
    }
    let exporting = RwSignal::new(false);
    let sharing = RwSignal::new(false);
    let browsing = RwSignal::new(false);
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

    let name = move || state.diagram.with(|diagram| diagram.name.clone());
    let region = move || state.diagram.with(|diagram| diagram.region.clone());
    let count = move |severity| analysis.with(|analysis| analysis.count(severity));

    view! {
        <div class="app">
            <header class="toolbar" data-testid="toolbar">
                <span class="brand">"stackdraw"</span>
                <span class="diagram-name" data-testid="diagram-name" title=move || format!("{} ({})", name(), region())>{name}</span>
                <span class="region" data-testid="diagram-region">{region}</span>
                <span class="spacer"></span>
                <span class="status" data-testid="status">
                    <span class="count error" data-testid="error-count">
                        {move || plural(count(Severity::Error), "error")}
                    </span>
                    <span class="count warning" data-testid="warning-count">
                        {move || plural(count(Severity::Warning), "warning")}
                    </span>
                </span>
                <button data-testid="my-diagrams" title="My diagrams: those kept in this browser" on:click=move |_| browsing.set(true)>
                    "Diagrams"
                </button>
                <TemplatesMenu />
                <button data-testid="save-file" title="Save as a .json file" on:click=move |_| actions::save_file(state)>
                    "Save"
                </button>
                <OpenFile />
                <button data-testid="export" on:click=move |_| exporting.set(true)>
                    "Export"
                </button>
                <ImageMenu />
                <button data-testid="share" title="Share as a link" on:click=move |_| sharing.set(true)>
                    "Share"
                </button>
                {move || state.unsaved.get().map(|reason| view! {
                    <span class="unsaved" data-testid="unsaved" title=format!("Not saved in this browser: {reason}")>
                        "Not saved"
                    </span>
                })}
                <button
                    data-testid="undo"
                    title="Undo (Ctrl+Z)"
                    prop:disabled=move || !state.can_undo()
                    on:click=move |_| state.undo()
                >
                    <span aria-hidden="true">"↶"</span>
                    <span class="visually-hidden">"Undo"</span>
                </button>
                <button
                    data-testid="redo"
                    title="Redo (Ctrl+Shift+Z)"
                    prop:disabled=move || !state.can_redo()
                    on:click=move |_| state.redo()
                >
                    <span aria-hidden="true">"↷"</span>
                    <span class="visually-hidden">"Redo"</span>
                </button>
                <ThemeSwitch />
                <button data-testid="help" title="Keyboard shortcuts (?)" on:click=move |_| state.help_open.set(true)>
                    "?"
                </button>
            </header>
            <div class="workspace">
                <Palette />
                <main
                    class="canvas-main"
                    on:dragover=|event: ev::DragEvent| event.prevent_default()
                    on:drop=move |event: ev::DragEvent| super::persist::dropped_file(state, event)
                >
                    <Canvas scene=scene />
                </main>
                <aside class="sidebar" data-testid="sidebar">
                    <Inspector />
                    <ProblemsPanel />
                    <ReachabilityPanel />
                </aside>
            </div>
            <ExportDialog open=exporting />
            <super::share::ShareDialog open=sharing />
            <super::diagrams::DiagramsDialog open=browsing />
            <super::persist::ConflictBanner />
            <HelpOverlay />
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

/// Opens a template as a new entry. The worker builds it (the builders stay
/// out of the app's module) and answers in binary form.
fn open_template(state: AppState, template: &'static templates::Template) {
    let request = format!("{}{}", crate::worker_protocol::TEMPLATE, template.name);
    super::browser::ask_worker(request, move |reply| {
        let diagram = reply.into_bytes().and_then(|bytes| {
            wire::decode(&bytes, &Limits::default()).map_err(|error| error.to_string())
        });
        match diagram {
            Ok(diagram) => {
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

/// Starts over from a built-in template; the current diagram is one undo away.
#[component]
fn TemplatesMenu() -> impl IntoView {
    let state = use_app();
    view! {
        <select
            data-testid="templates-menu"
            aria-label="Start from a template"
            prop:value=""
            on:change=move |event| {
                let name = event_target_value(&event);
                if let Some(template) = templates::by_name(&name) {
                    open_template(state, template);
                }
            }
        >
            <option value="" disabled selected>"Templates…"</option>
            {templates::TEMPLATES
                .iter()
                .map(|template| {
                    view! {
                        <option value=template.name data-testid=format!("template-{}", template.name) title=template.description>
                            {template.title}
                        </option>
                    }
                })
                .collect_view()}
        </select>
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
    match (command, key.to_ascii_lowercase().as_str()) {
        (true, "z") if event.shift_key() => state.redo(),
        (true, "z") => state.undo(),
        (true, "y") => state.redo(),
        (true, "c") => actions::copy(state),
        (true, "v") => actions::paste(state),
        (true, "d") => actions::duplicate(state),
        (true, "a") => actions::select_all(state),
        (false, "delete" | "backspace") => actions::delete_selection(state),
        (false, "arrowleft") => actions::nudge(state, -step, 0.0),
        (false, "arrowright") => actions::nudge(state, step, 0.0),
        (false, "arrowup") => actions::nudge(state, 0.0, -step),
        (false, "arrowdown") => actions::nudge(state, 0.0, step),
        (false, "?") => state.help_open.update(|open| *open = !*open),
        (false, "t") => actions::tidy_selection(state),
        (false, "+" | "=") => zoom_centre(state, 1.25),
        (false, "-") => zoom_centre(state, 0.8),
        (false, "!") | (false, "0") => state.zoom_to_fit(),
        _ => return false,
    }
    true
}

fn zoom_centre(state: AppState, factor: f64) {
    let (w, h) = state.view_size.get_untracked();
    state
        .camera
        .update(|camera| *camera = camera.zoomed(factor, (w / 2.0, h / 2.0)));
}

/// The diagram as an SVG or PNG picture, light or dark.
#[component]
fn ImageMenu() -> impl IntoView {
    let state = use_app();
    view! {
        <select
            data-testid="image-menu"
            aria-label="Save as image"
            prop:value=""
            on:change=move |event| {
                match event_target_value(&event).as_str() {
                    "svg-light" => actions::export_svg(state, Theme::Light),
                    "svg-dark" => actions::export_svg(state, Theme::Dark),
                    "png-light" => actions::export_png(state, Theme::Light),
                    "png-dark" => actions::export_png(state, Theme::Dark),
                    _ => {}
                }
            }
        >
            <option value="" disabled selected>"Image…"</option>
            <option value="svg-light" data-testid="image-svg-light">"SVG (light)"</option>
            <option value="svg-dark" data-testid="image-svg-dark">"SVG (dark)"</option>
            <option value="png-light" data-testid="image-png-light">"PNG (light)"</option>
            <option value="png-dark" data-testid="image-png-dark">"PNG (dark)"</option>
        </select>
    }
}

/// System, light or dark: written on the root element, which the style
/// sheet's `light-dark()` colours follow.
#[component]
fn ThemeSwitch() -> impl IntoView {
    let choice = RwSignal::new("system".to_string());
    Effect::new(move |_| {
        let value = choice.get();
        if let Some(root) = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
        {
            let _ = if value == "system" {
                root.remove_attribute("data-theme")
            } else {
                root.set_attribute("data-theme", &value)
            };
        }
    });
    view! {
        <select
            data-testid="theme"
            aria-label="Theme"
            on:change=move |event| choice.set(event_target_value(&event))
        >
            <option value="system" selected>"Auto theme"</option>
            <option value="light">"Light"</option>
            <option value="dark">"Dark"</option>
        </select>
    }
}

/// Opens a diagram file chosen by the user.
#[component]
fn OpenFile() -> impl IntoView {
    let state = use_app();
    view! {
        <label class="button-like" title="Open a .json diagram file">
            "Open"
            <input
                class="visually-hidden"
                data-testid="open-file"
                type="file"
                accept=".json,application/json"
                on:change=move |event| {
                    let input: web_sys::HtmlInputElement = event_target(&event);
                    if let Some(file) = input.files().and_then(|files| files.get(0)) {
                        input.set_value("");
                        actions::open_file(state, file);
                    }
                }
            />
        </label>
    }
}
