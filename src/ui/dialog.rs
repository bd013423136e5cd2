//! The frame every dialog shares: a backdrop that closes it on a click
//! outside, a labelled modal box, and a header with the title, the dialog's
//! own actions and Close.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

const FOCUSABLE: &str =
    "button, [href], input, select, textarea, [tabindex]:not([tabindex=\"-1\"])";

fn focusables(boxed: &web_sys::Element) -> Vec<web_sys::HtmlElement> {
    let Ok(found) = boxed.query_selector_all(FOCUSABLE) else {
        return Vec::new();
    };
    (0..found.length())
        .filter_map(|at| found.item(at))
        .filter_map(|node| node.dyn_into::<web_sys::HtmlElement>().ok())
        .collect()
}

/// Tab and Shift+Tab go round the dialog's controls, never behind it.
fn keep_focus_inside(event: &leptos::ev::KeyboardEvent, boxed: &web_sys::Element) {
    if event.key() != "Tab" {
        return;
    }
    let controls = focusables(boxed);
    let (Some(first), Some(last)) = (controls.first(), controls.last()) else {
        return;
    };
    let active = document().active_element();
    let at_first = active.as_ref() == Some(first.unchecked_ref::<web_sys::Element>());
    let at_last = active.as_ref() == Some(last.unchecked_ref::<web_sys::Element>());
    let outside = active.as_ref().is_none_or(|a| !boxed.contains(Some(a)));
    if event.shift_key() && (at_first || outside) {
        event.prevent_default();
        let _ = last.focus();
    } else if !event.shift_key() && (at_last || outside) {
        event.prevent_default();
        let _ = first.focus();
    }
}

/// `name` gives the box its class (`{name}-dialog`) and the Close button its
/// test id (`{name}-close`); `testid` is the box's test id.
pub fn dialog_frame(
    open: RwSignal<bool>,
    name: &'static str,
    testid: &'static str,
    title: &'static str,
    actions: impl IntoView,
    body: impl IntoView,
) -> impl IntoView {
    // The control that opened the dialog gets the focus back when it closes.
    let opener = document()
        .active_element()
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
    let opener = StoredValue::new_local(opener);
    on_cleanup(move || {
        if let Some(opener) = opener.get_value() {
            let _ = opener.focus();
        }
    });
    let frame = NodeRef::<leptos::html::Div>::new();
    // The dialog's first control takes the focus when it opens.
    request_animation_frame(move || {
        if let Some(boxed) = frame.get_untracked() {
            if let Some(first) = focusables(&boxed).first() {
                let _ = first.focus();
            }
        }
    });
    view! {
        <div class="dialog-backdrop" on:click=move |_| open.set(false)>
            <div
                node_ref=frame
                on:keydown=move |event| {
                    if let Some(boxed) = frame.get_untracked() {
                        keep_focus_inside(&event, &boxed);
                    }
                }
                class=format!("dialog {name}-dialog")
                role="dialog"
                aria-modal="true"
                aria-label=title
                data-testid=testid
                on:click=|event| event.stop_propagation()
            >
                <header>
                    <h2>{title}</h2>
                    {actions}
                    <button data-testid=format!("{name}-close") on:click=move |_| open.set(false)>
                        "Close"
                    </button>
                </header>
                {body}
            </div>
        </div>
    }
}
