//! Bending lines, drawn over the canvas by the editor: the selected line's
//! bend handles, and the line being bent while the pointer is down. The
//! viewer only records the gesture (`Gesture::Bend`); where the new bend
//! goes is `BendDrag::bent` (`line::dragged`), here and when the drag
//! lands alike.

use super::state::{use_app, Gesture};
use crate::domain::number::decimal;
use leptos::prelude::*;

/// A bend handle's radius on screen, in pixels, whatever the zoom.
const HANDLE_RADIUS: f64 = 6.0;

fn points(points: impl Iterator<Item = (f64, f64)>) -> String {
    points
        .map(|(x, y)| format!("{},{}", decimal(x, 2), decimal(y, 2)))
        .collect::<Vec<_>>()
        .join(" ")
}

#[component]
pub fn LineTools() -> impl IntoView {
    let state = use_app();
    let radius = move || decimal(HANDLE_RADIUS / state.camera.get().zoom, 2);
    move || {
        if let Some(Gesture::Bend {
            drag,
            started: true,
        }) = state.gesture.get()
        {
            let (Some(&from), Some(&to)) = (drag.path.first(), drag.path.last()) else {
                return ().into_any();
            };
            let (bent, index) = drag.bent();
            let dragged = bent[index];
            let through = points(
                std::iter::once(from)
                    .chain(bent.iter().copied())
                    .chain(std::iter::once(to)),
            );
            return view! {
                <polyline class="bend-preview" data-testid="bend-preview" points=through />
                <circle
                    class="bend-handle dragged"
                    cx=decimal(dragged.0, 2)
                    cy=decimal(dragged.1, 2)
                    r=radius
                />
            }
            .into_any();
        }
        let Some(edge) = state.selected_edge.get() else {
            return ().into_any();
        };
        let bends = state.diagram.with(|diagram| {
            diagram
                .edges
                .iter()
                .find(|e| e.id == edge)
                .map(|e| e.bends.clone())
                .unwrap_or_default()
        });
        bends
            .into_iter()
            .enumerate()
            .map(|(at, bend)| {
                view! {
                    <circle
                        class="bend-handle"
                        data-testid="bend-handle"
                        data-edge-id=edge.to_string()
                        data-bend-index=at
                        cx=decimal(bend.x, 2)
                        cy=decimal(bend.y, 2)
                        r=radius
                    >
                        <title>"Drag to move this bend; double-click to remove it"</title>
                    </circle>
                }
            })
            .collect_view()
            .into_any()
    }
}
