//! Share: a link that holds the whole diagram in its fragment. The dialog
//! shows the link's length; one too long for chat and email is offered as a
//! file instead.

use super::dialog::dialog_frame;
use super::state::use_app;
use super::{actions, browser, links};
use crate::domain::codec::link::SAFE_LINK_CHARS;
use leptos::prelude::*;

#[component]
pub fn ShareDialog(open: RwSignal<bool>) -> impl IntoView {
    let state = use_app();
    let link = RwSignal::new(None::<Result<String, String>>);
    let copied = RwSignal::new(false);
    Effect::new(move |_| {
        if !open.get() {
            return;
        }
        link.set(None);
        copied.set(false);
        let diagram = state.diagram.get_untracked();
        wasm_bindgen_futures::spawn_local(async move {
            let result = links::encode(&diagram).await.map(|fragment| {
                actions::keep_baseline(state, "shared", &diagram);
                format!("{}#{fragment}", links::page_address())
            });
            link.set(Some(result));
        });
    });
    let copy = move |_| {
        if let Some(Ok(text)) = link.get_untracked() {
            wasm_bindgen_futures::spawn_local(async move {
                match browser::copy_text(text).await {
                    Ok(()) => copied.set(true),
                    Err(message) => state.notice.set(Some(message)),
                }
            });
        }
    };
    view! {
        {move || open.get().then(|| dialog_frame(
            open,
            "share",
            "share-dialog",
            "Share this diagram",
            (),
            view! {
                <div class="share-body">
                    <p>
                        "The link holds the whole diagram after its #, which browsers never send to a server. Whoever opens it gets their own copy."
                    </p>
                    {move || match link.get() {
                        None => view! { <p data-testid="share-status">"Making the link…"</p> }.into_any(),
                        Some(Err(message)) => view! { <p class="field-error" data-testid="share-status">{message}</p> }.into_any(),
                        Some(Ok(text)) => {
                            let length = text.chars().count();
                            let long = length > SAFE_LINK_CHARS;
                            view! {
                                <textarea class="share-link" data-testid="share-link" readonly rows="4" prop:value=text.clone()></textarea>
                                <p data-testid="share-length" data-length=length.to_string() class:warning=long>
                                    {format!("{length} characters")}
                                    {long.then(|| format!(" — longer than the {SAFE_LINK_CHARS} that chat apps and email keep intact; send the file instead."))}
                                </p>
                                <div class="actions">
                                    <button data-testid="share-copy" on:click=copy>
                                        {move || if copied.get() { "Copied" } else { "Copy link" }}
                                    </button>
                                    <button data-testid="share-file" on:click=move |_| actions::save_file(state)>
                                        "Download as a file"
                                    </button>
                                </div>
                            }
                            .into_any()
                        }
                    }}
                </div>
            },
        ))}
    }
}
