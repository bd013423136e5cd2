//! The toolbar's tools: files, templates, exports, images, sharing, undo
//! and redo, the theme and help. They are the editor's (see `editor.rs`), so
//! the viewer's toolbar shows the diagram's name and its counts at the first
//! paint, and these join them at the right when the editor has loaded.

use super::actions;
use super::app::Dialogs;
use super::editing;
use super::state::{use_app, AppState};
use crate::domain::edit::region::change_region;
use crate::domain::image::Theme;
use crate::domain::model::Diagram;
use crate::domain::templates;
use crate::domain::validate::regions;
use leptos::prelude::*;

/// A new blank diagram, in the region the user chose last.
pub fn blank() -> Diagram {
    let mut diagram = templates::blank();
    if let Some(region) = super::storage::last_region().filter(|r| regions::is_known(r)) {
        diagram.region = region;
    }
    diagram
}

/// Moves the design to `region` as one undoable step, or says why not.
fn choose_region(state: AppState, region: &str) {
    let change = state
        .diagram
        .with_untracked(|diagram| change_region(diagram, region));
    match change {
        Ok(change) => {
            if state.run(change.command) {
                super::storage::set_last_region(region);
                let mut notice = format!("The design moved to {region}; its exports follow.");
                for stays in change.stays {
                    notice.push(' ');
                    notice.push_str(&stays);
                }
                state.notice.set(Some(notice));
            }
        }
        Err(reason) => state.notice.set(Some(reason)),
    }
}

/// The diagram's region; choosing another moves the design there.
#[component]
pub fn RegionPicker() -> impl IntoView {
    let state = use_app();
    // Its options are written again only when the region changes.
    let current = Memo::new(move |_| state.diagram.with(|diagram| diagram.region.clone()));
    view! {
        <select
            class="region-picker"
            data-testid="region-picker"
            aria-label="Region"
            title="The region everything regional is deployed to"
            prop:value=current
            on:change=move |event| {
                let chosen = event_target_value(&event);
                choose_region(state, &chosen);
                // A refused change leaves the picker on the region that holds.
                let input: web_sys::HtmlSelectElement = event_target(&event);
                input.set_value(&state.diagram.with_untracked(|diagram| diagram.region.clone()));
            }
        >
            {move || {
                let current = current.get();
                let known = regions::is_known(&current);
                let unknown = (!known).then(|| view! { <option value=current.clone()>{current.clone()}</option> });
                view! {
                    {unknown}
                    {regions::all()
                        .map(|region| view! { <option value=region selected=region == current>{region}</option> })
                        .collect_view()}
                }
            }}
        </select>
    }
}

#[component]
pub fn Tools(dialogs: Dialogs) -> impl IntoView {
    let state = use_app();
    view! {
        <span class="tools" data-testid="tools">
            <button data-testid="my-diagrams" title="My diagrams: those kept in this browser" on:click=move |_| dialogs.browsing.set(true)>
                "Diagrams"
            </button>
            <TemplatesMenu />
            <button data-testid="save-file" title="Save as a .json file" on:click=move |_| actions::save_file(state)>
                "Save"
            </button>
            <OpenFile />
            <button data-testid="export" on:click=move |_| dialogs.exporting.set(true)>
                "Export"
            </button>
            <ImageMenu />
            <button data-testid="share" title="Share as a link" on:click=move |_| dialogs.sharing.set(true)>
                "Share"
            </button>
            <button
                data-testid="compare"
                title="Compare with another version: what changed, and which traffic it blocks or lets through"
                on:click=move |_| super::compare::compare().dialog.set(true)
            >
                "Compare…"
            </button>
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
            <IconSwitch />
            <button data-testid="help" title="Keyboard shortcuts (?)" on:click=move |_| state.help_open.set(true)>
                "?"
            </button>
        </span>
    }
}

/// A button that opens a list of actions (ARIA menu button): arrow keys
/// move, Enter or a click acts, Escape or a click elsewhere closes, and the
/// focus comes back to the button. Unlike a select, it keeps no choice.
fn menu_button(
    testid: &'static str,
    item_testid: &'static str,
    label: &'static str,
    title: &'static str,
    items: Vec<(String, String, String)>,
    act: impl Fn(&str) + Clone + Send + Sync + 'static,
) -> impl IntoView {
    use wasm_bindgen::JsCast;
    let open = RwSignal::new(false);
    let button = NodeRef::<leptos::html::Button>::new();
    let list = NodeRef::<leptos::html::Ul>::new();
    let entries = move || -> Vec<web_sys::HtmlElement> {
        let Some(list) = list.get_untracked() else {
            return Vec::new();
        };
        let Ok(found) = list.query_selector_all("[role=\"menuitem\"]") else {
            return Vec::new();
        };
        (0..found.length())
            .filter_map(|at| found.item(at))
            .filter_map(|node| node.dyn_into::<web_sys::HtmlElement>().ok())
            .collect()
    };
    let focus_entry = move |at: usize| {
        if let Some(entry) = entries().get(at) {
            let _ = entry.focus();
        }
    };
    let close = move || {
        open.set(false);
        if let Some(button) = button.get_untracked() {
            let _ = button.focus();
        }
    };
    let open_at = move |at: usize| {
        open.set(true);
        request_animation_frame(move || focus_entry(at));
    };
    let on_list_key = move |event: leptos::ev::KeyboardEvent| {
        let all = entries();
        let now = all
            .iter()
            .position(|e| {
                document().active_element().as_ref() == Some(e.unchecked_ref::<web_sys::Element>())
            })
            .unwrap_or(0);
        match event.key().as_str() {
            "ArrowDown" => focus_entry((now + 1) % all.len().max(1)),
            "ArrowUp" => focus_entry((now + all.len().max(1) - 1) % all.len().max(1)),
            "Home" => focus_entry(0),
            "End" => focus_entry(all.len().saturating_sub(1)),
            "Escape" | "Tab" => close(),
            _ => return,
        }
        event.prevent_default();
        event.stop_propagation();
    };
    view! {
        <div
            class="menu"
            on:focusout=move |event: leptos::ev::FocusEvent| {
                // Closed when the focus leaves the button and its list.
                let inside = event
                    .related_target()
                    .and_then(|t| t.dyn_into::<web_sys::Node>().ok())
                    .zip(event.current_target().and_then(|t| t.dyn_into::<web_sys::Node>().ok()))
                    .is_some_and(|(to, menu)| menu.contains(Some(&to)));
                if !inside {
                    open.set(false);
                }
            }
        >
            <button
                node_ref=button
                data-testid=testid
                title=title
                aria-haspopup="menu"
                attr:aria-expanded=move || open.get().to_string()
                on:click=move |_| {
                    if open.get_untracked() {
                        open.set(false);
                    } else {
                        open_at(0);
                    }
                }
                on:keydown=move |event: leptos::ev::KeyboardEvent| {
                    match event.key().as_str() {
                        "ArrowDown" => open_at(0),
                        "ArrowUp" => open_at(usize::MAX),
                        _ => return,
                    }
                    event.prevent_default();
                    event.stop_propagation();
                }
            >
                {label}
                " ▾"
            </button>
            {move || {
                open.get().then(|| {
                    let act = act.clone();
                    view! {
                        <ul class="menu-list" role="menu" aria-label=label node_ref=list on:keydown=on_list_key>
                            {items
                                .clone()
                                .into_iter()
                                .map(|(value, text, hint)| {
                                    let act = act.clone();
                                    let chosen = value.clone();
                                    let activate = move || {
                                        close();
                                        act(&chosen);
                                    };
                                    let on_enter = activate.clone();
                                    view! {
                                        <li
                                            role="menuitem"
                                            tabindex="-1"
                                            title=hint
                                            data-testid=format!("{item_testid}-{value}")
                                            on:click=move |_| activate()
                                            on:keydown=move |event: leptos::ev::KeyboardEvent| {
                                                if event.key() == "Enter" || event.key() == " " {
                                                    event.prevent_default();
                                                    event.stop_propagation();
                                                    on_enter();
                                                }
                                            }
                                        >
                                            {text}
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ul>
                    }
                })
            }}
        </div>
    }
}

/// Starts over from a built-in template, as a new entry (the current
/// diagram stays in My diagrams).
#[component]
fn TemplatesMenu() -> impl IntoView {
    let state = use_app();
    let items = templates::TEMPLATES
        .iter()
        .map(|t| {
            (
                t.name.to_string(),
                t.title.to_string(),
                t.description.to_string(),
            )
        })
        .collect();
    menu_button(
        "templates-menu",
        "template",
        "Templates",
        "Start a new diagram from a template",
        items,
        move |name| {
            if let Some(template) = templates::by_name(name) {
                editing::open_template(state, template);
            }
        },
    )
}

/// The diagram as an SVG or PNG picture, light or dark.
#[component]
fn ImageMenu() -> impl IntoView {
    let state = use_app();
    let items = [
        ("svg-light", "SVG (light)"),
        ("svg-dark", "SVG (dark)"),
        ("png-light", "PNG (light)"),
        ("png-dark", "PNG (dark)"),
        ("slides-light", "PNG for slides, with a legend (light)"),
        ("slides-dark", "PNG for slides, with a legend (dark)"),
    ]
    .into_iter()
    .map(|(value, text)| (value.to_string(), text.to_string(), String::new()))
    .collect();
    menu_button(
        "image-menu",
        "image",
        "Image",
        "Save the diagram as a picture",
        items,
        move |value| match value {
            "svg-light" => actions::export_svg(state, Theme::Light),
            "svg-dark" => actions::export_svg(state, Theme::Dark),
            "png-light" => actions::export_png(state, Theme::Light, false),
            "png-dark" => actions::export_png(state, Theme::Dark, false),
            "slides-light" => actions::export_png(state, Theme::Light, true),
            "slides-dark" => actions::export_png(state, Theme::Dark, true),
            _ => {}
        },
    )
}

/// System, light or dark: written on the root element, which the style
/// sheet's `light-dark()` colours follow.
#[component]
fn ThemeSwitch() -> impl IntoView {
    let choice = RwSignal::new("system".to_string());
    Effect::new(move |_| {
        let value = choice.get();
        set_root_attribute("data-theme", (value != "system").then_some(value.as_str()));
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

/// Sets (or, with `None`, removes) an attribute of the root element, which
/// the style sheet follows.
fn set_root_attribute(name: &str, value: Option<&str>) {
    if let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    {
        let _ = match value {
            Some(value) => root.set_attribute(name, value),
            None => root.remove_attribute(name),
        };
    }
}

/// AWS's icons (the default) or stackdraw's simple pictograms: written on
/// the root element, which the style sheet follows.
#[component]
fn IconSwitch() -> impl IntoView {
    let choice = RwSignal::new("aws".to_string());
    Effect::new(move |_| {
        let value = choice.get();
        set_root_attribute("data-icons", (value == "simple").then_some("simple"));
    });
    view! {
        <select
            data-testid="icon-style"
            aria-label="Icons"
            on:change=move |event| choice.set(event_target_value(&event))
        >
            <option value="aws" selected>"AWS icons"</option>
            <option value="simple">"Simple icons"</option>
        </select>
    }
}

/// Opens a diagram file chosen by the user.
#[component]
fn OpenFile() -> impl IntoView {
    let state = use_app();
    view! {
        <label class="button-like" title="Open a diagram file (.json), or import CloudFormation templates (.yaml, .yml, .json, .template) or a Terraform module (its .tf files, or a .zip of its folder)">
            "Open"
            <input
                class="visually-hidden"
                data-testid="open-file"
                type="file"
                multiple=true
                accept=".json,.yaml,.yml,.template,.tf,.zip,application/json,application/yaml,application/zip"
                on:change=move |event| {
                    let input: web_sys::HtmlInputElement = event_target(&event);
                    if let Some(list) = input.files() {
                        let files: Vec<web_sys::File> =
                            (0..list.length()).filter_map(|i| list.get(i)).collect();
                        input.set_value("");
                        if !files.is_empty() {
                            actions::open_files(state, files);
                        }
                    }
                }
            />
        </label>
    }
}

/// Renaming the diagram from the toolbar: one undo step; an empty name is
/// refused with the reason and the name stays.
#[component]
pub fn Rename() -> impl IntoView {
    let state = use_app();
    let editing = RwSignal::new(false);
    let error = RwSignal::new(None::<String>);
    let field = NodeRef::<leptos::html::Input>::new();
    Effect::new(move |_| {
        if editing.get() {
            if let Some(input) = field.get() {
                let _ = input.focus();
                input.select();
            }
        }
    });
    let commit = move |text: String| {
        let outcome = state.diagram.with_untracked(|diagram| {
            crate::domain::edit::properties::rename_diagram(diagram, &text)
        });
        match outcome {
            Ok(command) => {
                state.run(command);
                error.set(None);
                editing.set(false);
            }
            Err(message) => error.set(Some(message)),
        }
    };
    view! {
        {move || {
            if editing.get() {
                view! {
                    <input
                        class="diagram-name-input"
                        data-testid="diagram-name-input"
                        aria-label="Diagram name"
                        node_ref=field
                        prop:value=state.diagram.with_untracked(|d| d.name.clone())
                        aria-invalid=move || error.get().is_some().to_string()
                        on:change=move |event| commit(event_target_value(&event))
                        on:keydown=move |event: leptos::ev::KeyboardEvent| {
                            if event.key() == "Escape" {
                                event.stop_propagation();
                                error.set(None);
                                editing.set(false);
                            }
                        }
                    />
                }
                .into_any()
            } else {
                view! {
                    <button
                        class="rename"
                        data-testid="rename"
                        title="Rename the diagram"
                        on:click=move |_| editing.set(true)
                    >
                        "Rename"
                    </button>
                }
                .into_any()
            }
        }}
        {move || error.get().map(|message| view! {
            <span class="field-error" role="alert" data-testid="diagram-name-error">{message}</span>
        })}
    }
}
