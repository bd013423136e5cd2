use super::canvas::Canvas;
use super::export_dialog::ExportDialog;
use super::inspector::Inspector;
use super::problems::ProblemsPanel;
use super::reachability::ReachabilityPanel;
use super::state::{use_app, AppState};
use crate::domain::edit::Command;
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

    let exporting = RwSignal::new(false);
    let keys = window_event_listener(ev::keydown, move |event| {
        if event.key() == "Escape" {
            exporting.set(false);
            return;
        }
        let command = event.ctrl_key() || event.meta_key();
        let in_field = event
            .target()
            .and_then(|target| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(target).ok())
            .is_some_and(|element| {
                matches!(element.tag_name().as_str(), "INPUT" | "SELECT" | "TEXTAREA")
            });
        if !command || in_field {
            return;
        }
        match event.key().to_lowercase().as_str() {
            "z" if event.shift_key() => state.redo(),
            "z" => state.undo(),
            "y" => state.redo(),
            _ => return,
        }
        event.prevent_default();
    });
    on_cleanup(move || keys.remove());

    let name = move || state.diagram.with(|diagram| diagram.name.clone());
    let region = move || state.diagram.with(|diagram| diagram.region.clone());
    let count = move |severity| analysis.with(|analysis| analysis.count(severity));

    view! {
        <div class="app">
            <header class="toolbar" data-testid="toolbar">
                <span class="brand">"stackdraw"</span>
                <span class="diagram-name" data-testid="diagram-name">{name}</span>
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
                <TemplatesMenu />
                <button data-testid="export" on:click=move |_| exporting.set(true)>
                    "Export"
                </button>
                <button
                    data-testid="undo"
                    title="Undo (Ctrl+Z)"
                    prop:disabled=move || !state.can_undo()
                    on:click=move |_| state.undo()
                >
                    "Undo"
                </button>
                <button
                    data-testid="redo"
                    title="Redo (Ctrl+Shift+Z)"
                    prop:disabled=move || !state.can_redo()
                    on:click=move |_| state.redo()
                >
                    "Redo"
                </button>
            </header>
            <div class="workspace">
                <main class="canvas-area">
                    <Canvas scene=scene />
                </main>
                <aside class="sidebar" data-testid="sidebar">
                    <Inspector />
                    <ProblemsPanel />
                    <ReachabilityPanel />
                </aside>
            </div>
            <ExportDialog open=exporting />
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
                    if state.run(Command::ReplaceDiagram(Box::new((template.build)()))) {
                        state.selected.set(None);
                        state.notice.set(Some(format!("Opened the template {:?}; Undo brings back your diagram.", template.title)));
                    }
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
