//! The frame every dialog shares: a backdrop that closes it on a click
//! outside, a labelled modal box, and a header with the title, the dialog's
//! own actions and Close.

use leptos::prelude::*;

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
    view! {
        <div class="dialog-backdrop" on:click=move |_| open.set(false)>
            <div
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
