//! The keyboard shortcuts, one key away (`?`).

use super::dialog::dialog_frame;
use super::state::use_app;
use leptos::prelude::*;

/// Every shortcut the app answers to, as (keys, what they do).
pub const SHORTCUTS: &[(&str, &str)] = &[
    (
        "Drag from the palette",
        "Add a building block where you drop it",
    ),
    (
        "Drag a node's handle (●)",
        "Draw a line to another node: traffic, or the configuration the pair stands for",
    ),
    (
        "Drag a line, drag its bend",
        "Bend the line through that point, move the bend (double-click removes it)",
    ),
    ("C", "Connect the selection to a node chosen from a list"),
    (
        "Tab to a palette block, Enter",
        "Add it to the selected VPC or subnet, or the middle of the view",
    ),
    (
        "Outline: arrows, Home, End",
        "Move through the diagram; Right and Left go in and out; Enter edits",
    ),
    ("Click, Shift+click", "Select, add to the selection"),
    ("Drag on empty canvas", "Select with a rubber band"),
    ("Space+drag, middle button", "Pan"),
    ("Wheel, + and −", "Zoom"),
    ("0 or Shift+1", "Zoom to fit"),
    ("Arrow keys (Shift: ×10)", "Nudge the selection"),
    ("Delete, Backspace", "Delete the selection"),
    ("Ctrl/⌘+C, Ctrl/⌘+V", "Copy, paste"),
    ("Ctrl/⌘+D", "Duplicate"),
    ("Ctrl/⌘+A", "Select everything"),
    ("Ctrl/⌘+Z", "Undo"),
    ("Ctrl/⌘+Shift+Z, Ctrl+Y", "Redo"),
    ("T", "Tidy the selected VPC: zone columns, tier rows"),
    ("?", "Show or hide this list"),
    ("Escape", "Close dialogs, clear the selection"),
];

#[component]
pub fn HelpOverlay() -> impl IntoView {
    let state = use_app();
    view! {
        {move || state.help_open.get().then(|| dialog_frame(
            state.help_open,
            "help",
            "help-overlay",
            "Keyboard shortcuts",
            (),
            view! {
                <dl class="shortcuts">
                    {SHORTCUTS
                        .iter()
                        .map(|(keys, what)| view! {
                            <dt><kbd>{*keys}</kbd></dt>
                            <dd>{*what}</dd>
                        })
                        .collect_view()}
                </dl>
            },
        ))}
    }
}
