//! Every kind of building block, grouped and searchable. A press on an item
//! starts a palette drag; the canvas places the node where it is released.

use super::state::{use_app, Gesture};
use crate::domain::edit::place::drop_hint;
use crate::domain::model::{Category, KindTag};
use crate::domain::number::decimal;
use leptos::ev;
use leptos::prelude::*;

const CATEGORIES: [Category; 8] = [
    Category::Network,
    Category::Compute,
    Category::Database,
    Category::Integration,
    Category::Security,
    Category::EdgeAndDns,
    Category::Delivery,
    Category::External,
];

#[component]
pub fn Palette() -> impl IntoView {
    let state = use_app();
    let query = RwSignal::new(String::new());
    let matches = move |kind: KindTag| query.with(|query| kind.matches_search(query));
    let none_match = move || !KindTag::ALL.into_iter().any(matches);
    view! {
        <nav class="palette" data-testid="palette" aria-label="Building blocks">
            <input
                class="palette-search"
                data-testid="palette-search"
                type="search"
                placeholder="Search blocks"
                aria-label="Search building blocks"
                prop:value=move || query.get()
                on:input=move |event| query.set(event_target_value(&event))
            />
            {move || none_match().then(|| view! {
                <p class="palette-empty" data-testid="palette-empty" role="status">
                    {format!("No building block matches \"{}\".", query.get().trim())}
                </p>
            })}
            {CATEGORIES
                .into_iter()
                .map(|category| {
                    let kinds: Vec<KindTag> = KindTag::ALL
                        .into_iter()
                        .filter(|kind| kind.category() == category)
                        .collect();
                    let any = {
                        let kinds = kinds.clone();
                        move || kinds.iter().any(|kind| matches(*kind))
                    };
                    let slug = category.css_class().to_string();
                    view! {
                        <section class="palette-group" data-testid=format!("palette-group-{slug}") class:hidden=move || !any()>
                            <h3>{category.label()}</h3>
                            <ul>
                                {kinds
                                    .into_iter()
                                    .map(|kind| {
                                        view! {
                                            <li
                                                class=format!("palette-item cat-{slug}")
                                                class:hidden=move || !matches(kind)
                                                data-testid=format!("palette-{}", kind.as_str())
                                                data-kind=kind.as_str()
                                                title=drop_hint(kind)
                                                tabindex="0"
                                                aria-label=format!("Add {}: {}", kind.label(), drop_hint(kind).to_lowercase())
                                                on:keydown=move |event: ev::KeyboardEvent| {
                                                    if event.key() == "Enter" || event.key() == " " {
                                                        event.prevent_default();
                                                        event.stop_propagation();
                                                        super::actions::add_from_keyboard(state, kind);
                                                    }
                                                }
                                                on:pointerdown=move |event: ev::PointerEvent| {
                                                    if event.button() != 0 {
                                                        return;
                                                    }
                                                    event.prevent_default();
                                                    state.gesture.set(Some(Gesture::Palette {
                                                        kind,
                                                        client: (f64::from(event.client_x()), f64::from(event.client_y())),
                                                    }));
                                                }
                                            >
                                                <svg class=icon_class("palette-icon", kind) viewBox="0 0 64 64" aria-hidden="true">
                                                    {icon_art(kind)}
                                                </svg>
                                                <span>{kind.label()}</span>
                                            </li>
                                        }
                                    })
                                    .collect_view()}
                            </ul>
                        </section>
                    }
                })
                .collect_view()}
        </nav>
        <PaletteGhost />
    }
}

/// The item following the pointer during a palette drag.
#[component]
fn PaletteGhost() -> impl IntoView {
    let state = use_app();
    move || match state.gesture.get() {
        Some(Gesture::Palette { kind, client }) => Some(view! {
            <div
                class="palette-ghost"
                data-testid="palette-ghost"
                style:left=format!("{}px", decimal(client.0 - 24.0, 1))
                style:top=format!("{}px", decimal(client.1 - 24.0, 1))
            >
                <svg viewBox="0 0 64 64" width="48" height="48" class=icon_class(&format!("cat-{}", kind.category().css_class()), kind)>
                    {icon_art(kind)}
                </svg>
            </div>
        }),
        _ => None,
    }
}

/// A kind's icon as the canvas draws it: the tile, stackdraw's pictogram,
/// and AWS's icon where it has one; the style sheet shows the chosen style.
fn icon_art(kind: KindTag) -> impl IntoView {
    let official = crate::domain::scene::has_aws_icon(kind).then(|| {
        let inset = crate::domain::canvas::ICON_INSET;
        view! {
            <image
                class="glyph-official"
                href=format!("/aws-icons/{}.svg", kind.as_str())
                x=inset
                y=inset
                width=64.0 - 2.0 * inset
                height=64.0 - 2.0 * inset
            />
        }
    });
    view! {
        <rect class="glyph-icon" width="64" height="64" rx="12" />
        <use class="glyph-art" href=format!("/icons.svg#{}", kind.as_str()) width="64" height="64" />
        {official}
    }
}

/// `base`, and `official` for kinds AWS has an icon for.
fn icon_class(base: &str, kind: KindTag) -> String {
    if crate::domain::scene::has_aws_icon(kind) {
        format!("{base} official")
    } else {
        base.to_string()
    }
}
