//! The diagram as SVG, and the pointer gestures on it: select, move, connect,
//! rubber band, resize, pan and zoom. A move is shown as a CSS offset while
//! the pointer is down and becomes one command when it is released, so a
//! whole drag is one undo step and a frame costs one style change.

use super::editor::{self, Finished, Request};
use super::state::{use_app, AppState, BendDrag, Camera, Gesture};
use crate::domain::canvas;
use crate::domain::edit::arrange;
use crate::domain::model::{EdgeId, NodeId, Rect};
use crate::domain::number::decimal;
use crate::domain::scene::{intersects, InDrag, Scene, Segment};
use std::sync::Arc;

/// The most relationship lines drawn stretched during a drag.
const MAX_FOLLOWING_LINKS: usize = 24;
use crate::domain::validate::Analysis;
use leptos::ev;
use leptos::html;
use leptos::prelude::*;
use std::collections::BTreeSet;
use wasm_bindgen::JsCast;

/// How far (in pixels) a pointer travels before a press becomes a drag.
const DRAG_THRESHOLD: f64 = 3.0;

/// What the canvas shares with its node views during a gesture.
#[derive(Clone, Copy)]
struct Live {
    /// Nodes that move with the current drag (the selection and what its
    /// containers hold); set once when the drag starts.
    moving: RwSignal<BTreeSet<NodeId>>,
    /// The drag's offset so far, snapped to the grid.
    delta: RwSignal<(f64, f64)>,
}

/// The canvas element's box on the page.
fn area_box(area: NodeRef<html::Div>) -> Option<(f64, f64, f64, f64)> {
    let element = area.get_untracked()?;
    let rect = element.get_bounding_client_rect();
    Some((rect.left(), rect.top(), rect.width(), rect.height()))
}

/// A pointer position in diagram units.
fn to_diagram(state: AppState, area: NodeRef<html::Div>, client: (f64, f64)) -> (f64, f64) {
    let camera = state.camera.get_untracked();
    let (left, top, ..) = area_box(area).unwrap_or_default();
    (
        camera.x + (client.0 - left) / camera.zoom,
        camera.y + (client.1 - top) / camera.zoom,
    )
}

fn client_of(event: &web_sys::MouseEvent) -> (f64, f64) {
    (f64::from(event.client_x()), f64::from(event.client_y()))
}

/// Where the camera and two fingers were when a pinch began.
type PinchStart = (Camera, [(f64, f64); 2]);

/// The fingers on the canvas (pointer id, position in the view) and, while
/// two are down, where the pinch began.
#[derive(Clone, Copy)]
struct Touch {
    fingers: StoredValue<Vec<(i32, (f64, f64))>>,
    pinch: StoredValue<Option<PinchStart>>,
}

impl Touch {
    fn in_view(area: NodeRef<html::Div>, event: &web_sys::PointerEvent) -> Option<(f64, f64)> {
        let (left, top, ..) = area_box(area)?;
        Some((
            f64::from(event.client_x()) - left,
            f64::from(event.client_y()) - top,
        ))
    }

    fn two(&self) -> Option<[(f64, f64); 2]> {
        self.fingers.with_value(|fingers| match fingers.as_slice() {
            [(_, a), (_, b), ..] => Some([*a, *b]),
            _ => None,
        })
    }

    /// A finger down; true when it makes two, which starts a pinch.
    fn pressed(
        self,
        state: AppState,
        area: NodeRef<html::Div>,
        event: &web_sys::PointerEvent,
    ) -> bool {
        let Some(at) = Self::in_view(area, event) else {
            return false;
        };
        let id = event.pointer_id();
        self.fingers.update_value(|fingers| {
            fingers.retain(|(finger, _)| *finger != id);
            fingers.push((id, at));
        });
        let Some(start) = self.two() else {
            return false;
        };
        state.gesture.set(None);
        self.pinch
            .set_value(Some((state.camera.get_untracked(), start)));
        true
    }

    /// A finger moved; true when a pinch took the move.
    fn moved(
        self,
        state: AppState,
        area: NodeRef<html::Div>,
        event: &web_sys::PointerEvent,
    ) -> bool {
        if event.pointer_type() != "touch" {
            return false;
        }
        let id = event.pointer_id();
        if let Some(at) = Self::in_view(area, event) {
            self.fingers.update_value(|fingers| {
                for finger in fingers.iter_mut().filter(|(finger, _)| *finger == id) {
                    finger.1 = at;
                }
            });
        }
        let (Some((camera, start)), Some(now)) = (self.pinch.get_value(), self.two()) else {
            return false;
        };
        state.camera.set(camera.pinched(start, now));
        true
    }

    /// A finger lifted; true when it ended a pinch.
    fn lifted(self, event: &web_sys::PointerEvent) -> bool {
        if event.pointer_type() != "touch" {
            return false;
        }
        let id = event.pointer_id();
        self.fingers
            .update_value(|fingers| fingers.retain(|(finger, _)| *finger != id));
        let pinching = self.pinch.get_value().is_some();
        if pinching && self.two().is_none() {
            self.pinch.set_value(None);
        }
        pinching
    }
}

#[component]
pub fn Canvas(scene: Memo<Arc<Scene>>, editor: editor::Loaded) -> impl IntoView {
    let state = use_app();
    let analysis = expect_context::<Memo<Analysis>>();
    let area = NodeRef::<html::Div>::new();
    let live = Live {
        moving: RwSignal::new(BTreeSet::new()),
        delta: RwSignal::new((0.0, 0.0)),
    };
    let space_held = state.space_held;
    provide_context(area);

    // Track the view's size, and frame the diagram on first show.
    let measure = move || {
        if let Some((_, _, w, h)) = area_box(area) {
            if w > 0.0 && h > 0.0 {
                state.view_size.set((w, h));
            }
        }
    };
    Effect::new(move |first: Option<()>| {
        if area.get().is_some() && first.is_none() {
            measure();
            state.canvas_measured();
        }
    });
    let resize = window_event_listener(ev::resize, move |_| measure());
    let keys_down = window_event_listener(ev::keydown, move |event| {
        if event.key() == " " && !super::browser::in_text_field(&event) {
            space_held.set_value(true);
        }
    });
    let keys_up = window_event_listener(ev::keyup, move |event| {
        if event.key() == " " {
            space_held.set_value(false);
        }
    });

    // A wheel zooms around the pointer; the listener is not passive so the
    // page does not scroll instead. It goes with the canvas.
    let wheel = StoredValue::new_local(None::<gloo_events::EventListener>);
    Effect::new(move |_| {
        let Some(element) = area.get() else { return };
        let options = gloo_events::EventListenerOptions::enable_prevent_default();
        let listener = gloo_events::EventListener::new_with_options(
            &element,
            "wheel",
            options,
            move |event| {
                let Some(event) = event.dyn_ref::<web_sys::WheelEvent>() else {
                    return;
                };
                event.prevent_default();
                let Some((left, top, ..)) = area_box(area) else {
                    return;
                };
                let anchor = (
                    f64::from(event.client_x()) - left,
                    f64::from(event.client_y()) - top,
                );
                let factor = (-event.delta_y() * 0.0015).exp();
                state
                    .camera
                    .update(|camera| *camera = camera.zoomed(factor, anchor));
            },
        );
        wheel.set_value(Some(listener));
    });
    on_cleanup(move || wheel.set_value(None));

    // A gesture that ends without a release (Escape) drops its preview.
    Effect::new(move |_| {
        if state.gesture.with(Option::is_none) && !live.moving.with_untracked(BTreeSet::is_empty) {
            live.moving.set(BTreeSet::new());
            live.delta.set((0.0, 0.0));
        }
    });

    // Fingers on the canvas, by pointer: one pans, two pinch.
    let touch = Touch {
        fingers: StoredValue::new(Vec::new()),
        pinch: StoredValue::new(None),
    };
    let moves = window_event_listener(ev::pointermove, move |event| {
        if touch.moved(state, area, &event) {
            return;
        }
        pointer_moved(state, area, live, client_of(&event));
    });
    let ups = window_event_listener(ev::pointerup, move |event| {
        if touch.lifted(&event) {
            return;
        }
        pointer_released(state, area, live, scene, client_of(&event));
    });
    let cancels = window_event_listener(ev::pointercancel, move |event| {
        touch.lifted(&event);
        state.gesture.set(None);
    });
    on_cleanup(move || {
        resize.remove();
        keys_down.remove();
        keys_up.remove();
        moves.remove();
        ups.remove();
        cancels.remove();
    });

    // The diagram's markup, written by the domain at the zoom's detail; the
    // selection and a drag's moving nodes are marked on it afterwards (see
    // `mark`). Only the pieces near the view are drawn.
    let detail = Memo::new(move |_| canvas::Detail::at(state.camera.with(|camera| camera.zoom)));
    // Once the editor is here, an edit's markup shares the pieces it left
    // unchanged; the first load writes every piece.
    let markup = Memo::new(move |before: Option<&canvas::Markup>| {
        let detail = detail.get();
        let after = editor.markup_after();
        scene.with(|scene| {
            analysis.with(|analysis| match after {
                Some(after) => after(before, scene, analysis, detail),
                None => canvas::markup(scene, analysis, detail),
            })
        })
    });
    let region = Memo::new(move |before: Option<&Rect>| {
        let size = state.view_size.get();
        state
            .camera
            .with(|camera| camera.drawn_region(size, before.copied()))
    });
    let svg = NodeRef::<leptos::svg::Svg>::new();
    let drag_layer = NodeRef::<leptos::svg::Svg>::new();
    let layers = [(); 4].map(|()| NodeRef::<leptos::svg::G>::new());
    // What each layer shows now, so an edit or a pan replaces only what
    // changed.
    let shown = StoredValue::new_local([(); 4].map(|()| Vec::<(usize, canvas::Piece)>::new()));
    Effect::new(move |_| {
        let selection = state.selection.get();
        let edge = state.selected_edge.get();
        let link = state.selected_link.get();
        let region = region.get();
        let elements = layers.map(|layer| layer.get());
        if elements.iter().any(Option::is_none) {
            return;
        }
        markup.with(|next| {
            shown.update_value(|shown| {
                for ((element, was), all) in elements
                    .iter()
                    .flatten()
                    .zip(shown.iter_mut())
                    .zip(next.layers())
                {
                    let now: Vec<(usize, &canvas::Piece)> = all
                        .iter()
                        .enumerate()
                        .filter(|(_, piece)| intersects(&piece.covers, &region))
                        .collect();
                    // A change of selection alone leaves the markup as it is.
                    let same = was.len() == now.len()
                        && was
                            .iter()
                            .zip(&now)
                            .all(|((a, x), (b, y))| a == b && x == *y);
                    if !same {
                        update_layer(element, was, &now);
                        *was = now
                            .into_iter()
                            .map(|(at, piece)| (at, piece.clone()))
                            .collect();
                    }
                }
            });
            // For the tests and benchmarks: how many nodes the diagram draws
            // (the layers above hold its pieces near the view), and how many
            // lines wait in simple shapes for the worker's routes.
            if let Some(svg) = svg.get_untracked() {
                let (nodes, waiting) = scene.with_untracked(|scene| {
                    (
                        scene.containers.len() + scene.glyphs.len(),
                        scene.unsearched,
                    )
                });
                let _ = svg.set_attribute("data-nodes", &nodes.to_string());
                let _ = svg.set_attribute("data-lines-waiting", &waiting.to_string());
            }
        });
        live.moving.with(|moving| {
            if let Some(svg) = svg.get() {
                scene.with_untracked(|scene| {
                    mark(
                        &svg,
                        scene,
                        &selection,
                        edge.as_ref(),
                        link.as_deref(),
                        moving,
                    );
                    if let Some(layer) = drag_layer.get_untracked() {
                        carry(&svg, &layer, !moving.is_empty());
                    }
                });
            }
        });
    });
    // A drag moves the drag layer as one element: the diagram below is
    // neither restyled nor repainted while it moves.
    Effect::new(move |_| {
        let (dx, dy) = live.delta.get();
        let zoom = state.camera.with_untracked(|camera| camera.zoom);
        if let Some(layer) = drag_layer.get() {
            let _ = layer.style().set_property(
                "transform",
                &format!(
                    "translate({}px, {}px)",
                    decimal(dx * zoom, 2),
                    decimal(dy * zoom, 2)
                ),
            );
        }
    });

    // One handler for the whole canvas: what was pressed decides the gesture.
    let pointer_down = move |event: ev::PointerEvent| {
        let finger = event.pointer_type() == "touch";
        if finger && touch.pressed(state, area, &event) {
            // A second finger: a pinch, whatever the first one started.
            event.prevent_default();
            return;
        }
        if event.button() == 0 && !space_held.get_value() {
            if let Some(node) =
                id_under(&event, "data-badge-of").and_then(|id| NodeId::new(id).ok())
            {
                event.stop_propagation();
                open_problem_of(state, node);
                return;
            }
            if let Some(node) = id_under(&event, "data-node-id").and_then(|id| NodeId::new(id).ok())
            {
                event.stop_propagation();
                if target_of(&event, ".handle").is_some() {
                    start_connect(state, area, scene, node, &event);
                } else if target_of(&event, ".resize-handle").is_some() {
                    start_resize(state, area, node, &event);
                } else {
                    press_node(state, area, node, &event);
                }
                return;
            }
            if let Some(edge) = id_under(&event, "data-edge-id").and_then(|id| EdgeId::new(id).ok())
            {
                event.stop_propagation();
                state.clear_selection();
                state.selected_edge.set(Some(edge.clone()));
                // A mouse or pen drags the line into a new bend, or moves
                // the bend under it; a finger leaves lines as they are.
                if !finger {
                    let handle = id_under(&event, "data-bend-index").and_then(|i| i.parse().ok());
                    start_bend(state, area, scene, edge, handle, &event);
                }
                return;
            }
            if let Some(link) = id_under(&event, "data-link-id") {
                event.stop_propagation();
                state.clear_selection();
                state.selected_link.set(Some(link));
                return;
            }
        }
        let client = client_of(&event);
        // A finger on the empty canvas moves the view (a band needs a mouse).
        if event.button() == 1 || space_held.get_value() || finger {
            event.prevent_default();
            state.gesture.set(Some(Gesture::Pan {
                client,
                camera: state.camera.get_untracked(),
            }));
        } else if event.button() == 0 {
            let point = to_diagram(state, area, client);
            state.gesture.set(Some(Gesture::Band {
                start: point,
                end: point,
                adding: event.shift_key(),
            }));
        }
    };

    let view_box = move || {
        let camera = state.camera.get();
        let (w, h) = state.view_size.get();
        format!(
            "{} {} {} {}",
            decimal(camera.x, 3),
            decimal(camera.y, 3),
            decimal(w / camera.zoom, 3),
            decimal(h / camera.zoom, 3)
        )
    };
    let cursor_class = move || match state.gesture.get() {
        Some(Gesture::Pan { .. }) => "canvas-area panning",
        Some(Gesture::Connect { .. }) => "canvas-area connecting",
        _ => "canvas-area",
    };

    view! {
        <div
            class=cursor_class
            node_ref=area
            data-testid="canvas-area"
            on:pointerdown=pointer_down
            on:auxclick=|event: ev::MouseEvent| event.prevent_default()
            on:dblclick=move |event: ev::MouseEvent| {
                if target_of(&event, "[data-node-id]").is_some() {
                    rename_in_inspector();
                } else if let Some(at) = id_under(&event, "data-bend-index").and_then(|i| i.parse().ok()) {
                    remove_bend(state, at);
                }
            }
            on:pointerover=move |event: ev::PointerEvent| {
                let edge = id_under(&event, "data-edge-id").and_then(|id| EdgeId::new(id).ok());
                if state.hovered_edge.with_untracked(|hovered| *hovered != edge) {
                    state.hovered_edge.set(edge);
                }
            }
        >
            <svg
                class="canvas"
                data-testid="canvas"
                role="img"
                aria-label="Architecture diagram"
                viewBox=view_box
                preserveAspectRatio="xMinYMin meet"
                data-zoom=move || decimal(state.camera.get().zoom, 3)
                // Far out, captions are too small to read: a simplified view
                // takes over (container names large, counts per subnet).
                class:far=move || detail.get() != canvas::Detail::Full
                node_ref=svg
            >
                <defs>
                    <marker
                        id="arrow"
                        viewBox="0 0 10 10"
                        refX="9"
                        refY="5"
                        markerWidth="7"
                        markerHeight="7"
                        orient="auto-start-reverse"
                    >
                        <path d="M 0 0 L 10 5 L 0 10 z" class="arrow-head" />
                    </marker>
                    <pattern id="grid" width="40" height="40" patternUnits="userSpaceOnUse">
                        <path d="M 40 0 L 0 0 0 40" class="grid-line" />
                    </pattern>
                </defs>
                <rect class="grid" x="-100000" y="-100000" width="200000" height="200000" />
                <g class="containers" node_ref=layers[0]></g>
                <g class="edges" node_ref=layers[1]></g>
                <g class="glyphs" node_ref=layers[2]></g>
                <g class="badges" node_ref=layers[3]></g>
                <g class="membership">{move || membership(state, scene)}</g>
                <g class="bends">{editor.show(|views| &views.over_drawing)}</g>
                <g class="gesture">{move || gesture_overlay(state)}</g>
            </svg>
            // Lines with one end in a drag follow it on a layer of their own,
            // so redrawing them repaints none of the diagram.
            <svg
                class="stretch-layer"
                aria-hidden="true"
                viewBox=view_box
                preserveAspectRatio="xMinYMin meet"
            >
                <g class="edges stretching">{move || stretched_edges(scene, live)}</g>
            </svg>
            <svg
                class="drag-layer"
                aria-hidden="true"
                viewBox=view_box
                preserveAspectRatio="xMinYMin meet"
                node_ref=drag_layer
            ></svg>
            <ZoomControls />
            {editor.show(|views| &views.flow_tooltip)}
        </div>
    }
}

/// Where a drag of the selection goes: the raw offset, snapped so the
/// first moving box lands on the grid.
fn snapped_delta(state: AppState, ids: &[NodeId], raw: (f64, f64)) -> (f64, f64) {
    let origin = state.diagram.with_untracked(|diagram| {
        ids.iter()
            .find_map(|id| diagram.layout.get(id).copied())
            .map(|rect| (rect.x, rect.y))
    });
    match origin {
        Some((x, y)) => (arrange::snap(x + raw.0) - x, arrange::snap(y + raw.1) - y),
        None => raw,
    }
}

fn pointer_moved(state: AppState, area: NodeRef<html::Div>, live: Live, client: (f64, f64)) {
    let Some(gesture) = state.gesture.get_untracked() else {
        return;
    };
    let point = to_diagram(state, area, client);
    let next = match gesture {
        Gesture::Move {
            ids,
            start,
            started,
            ..
        } => {
            let raw = (point.0 - start.0, point.1 - start.1);
            let zoom = state.camera.get_untracked().zoom;
            let started = started || raw.0.hypot(raw.1) * zoom > DRAG_THRESHOLD;
            if !started {
                return;
            }
            if live.moving.with_untracked(BTreeSet::is_empty) {
                let all = state
                    .diagram
                    .with_untracked(|diagram| arrange::with_descendants(diagram, &ids));
                live.moving.set(all);
            }
            let delta = snapped_delta(state, &ids, raw);
            if delta != live.delta.get_untracked() {
                live.delta.set(delta);
            }
            Gesture::Move {
                ids,
                start,
                delta,
                started,
            }
        }
        Gesture::Connect { from, start, .. } => Gesture::Connect {
            from,
            start,
            to: point,
        },
        Gesture::Band { start, adding, .. } => Gesture::Band {
            start,
            end: point,
            adding,
        },
        Gesture::Pan {
            client: from,
            camera,
        } => {
            state.camera.set(Camera {
                x: camera.x - (client.0 - from.0) / camera.zoom,
                y: camera.y - (client.1 - from.1) / camera.zoom,
                zoom: camera.zoom,
            });
            Gesture::Pan {
                client: from,
                camera,
            }
        }
        Gesture::Resize {
            id, start, rect, ..
        } => Gesture::Resize {
            id,
            start,
            rect,
            preview: Rect::new(
                rect.x,
                rect.y,
                arrange::snap(rect.w + point.0 - start.0).max(arrange::MIN_CONTAINER.0),
                arrange::snap(rect.h + point.1 - start.1).max(arrange::MIN_CONTAINER.1),
            ),
        },
        Gesture::Palette { kind, .. } => Gesture::Palette { kind, client },
        Gesture::Bend { mut drag, started } => {
            let zoom = state.camera.get_untracked().zoom;
            let moved = (point.0 - drag.start.0).hypot(point.1 - drag.start.1) * zoom;
            drag.at = point;
            Gesture::Bend {
                drag,
                started: started || moved > DRAG_THRESHOLD,
            }
        }
    };
    state.gesture.set(Some(next));
}

fn pointer_released(
    state: AppState,
    area: NodeRef<html::Div>,
    live: Live,
    scene: Memo<Arc<Scene>>,
    client: (f64, f64),
) {
    let Some(gesture) = state.gesture.get_untracked() else {
        return;
    };
    state.gesture.set(None);
    let point = to_diagram(state, area, client);
    let finished = match gesture {
        Gesture::Move {
            ids,
            delta,
            started: true,
            ..
        } => Some(Finished::Move { ids, delta }),
        Gesture::Bend {
            drag,
            started: true,
        } => Some(Finished::Bend(drag)),
        Gesture::Move { .. } | Gesture::Pan { .. } | Gesture::Bend { .. } => None,
        Gesture::Connect { from, .. } => scene
            .with_untracked(|scene| scene.glyph_at(point).map(|g| g.id.clone()))
            .filter(|to| *to != from)
            .map(|to| Finished::Connect { from, to }),
        Gesture::Band { start, end, adding } => {
            select_in_band(state, scene, start, end, adding);
            None
        }
        Gesture::Resize { id, preview, .. } => Some(Finished::Resize { id, rect: preview }),
        Gesture::Palette { kind, .. } => area_box(area)
            .filter(|(left, top, w, h)| {
                client.0 >= *left && client.0 <= left + w && client.1 >= *top && client.1 <= top + h
            })
            .map(|_| Finished::Place {
                kind,
                at: (arrange::snap(point.0), arrange::snap(point.1)),
            }),
    };
    if let Some(finished) = finished {
        editor::send(state, Request::Finish(finished));
    }
    live.moving.set(BTreeSet::new());
    live.delta.set((0.0, 0.0));
}

/// A rubber band selects what it encloses; a click on empty canvas clears
/// the selection (unless Shift adds to it).
fn select_in_band(
    state: AppState,
    scene: Memo<Arc<Scene>>,
    start: (f64, f64),
    end: (f64, f64),
    adding: bool,
) {
    let area_rect = Rect::new(
        start.0.min(end.0),
        start.1.min(end.1),
        (end.0 - start.0).abs(),
        (end.1 - start.1).abs(),
    );
    let zoom = state.camera.get_untracked().zoom;
    if area_rect.w.max(area_rect.h) * zoom < DRAG_THRESHOLD {
        if !adding {
            state.clear_selection();
        }
    } else {
        let inside = scene.with_untracked(|scene| scene.within(&area_rect));
        state.selected_edge.set(None);
        state.selection.update(|selection| {
            if !adding {
                selection.clear();
            }
            for id in inside {
                if !selection.contains(&id) {
                    selection.push(id);
                }
            }
        });
    }
}

/// Coordinates for the overlays the canvas draws itself.
fn n(value: f64) -> String {
    decimal(value, 2)
}

/// The element under the event that matches `selector`, if any.
fn target_of(event: &web_sys::Event, selector: &str) -> Option<web_sys::Element> {
    event
        .target()?
        .dyn_into::<web_sys::Element>()
        .ok()?
        .closest(selector)
        .ok()?
}

/// The `attribute` (an id) of the drawn element under the event, if any.
fn id_under(event: &web_sys::Event, attribute: &str) -> Option<String> {
    target_of(event, &format!("[{attribute}]"))?.get_attribute(attribute)
}

/// Starts moving a node (selecting it first unless it already is).
fn press_node(state: AppState, area: NodeRef<html::Div>, id: NodeId, event: &ev::PointerEvent) {
    state.selected_edge.set(None);
    if event.shift_key() {
        state
            .selection
            .update(|selection| match selection.iter().position(|s| s == &id) {
                Some(at) => {
                    selection.remove(at);
                }
                None => selection.push(id.clone()),
            });
    } else if !state.selection.with_untracked(|s| s.contains(&id)) {
        state.select_only(id.clone());
    }
    let ids = state.selection.get_untracked();
    if ids.is_empty() {
        return;
    }
    state.gesture.set(Some(Gesture::Move {
        ids,
        start: to_diagram(state, area, client_of(event)),
        delta: (0.0, 0.0),
        started: false,
    }));
}

/// Starts drawing traffic from a resource's handle.
fn start_connect(
    state: AppState,
    area: NodeRef<html::Div>,
    scene: Memo<Arc<Scene>>,
    from: NodeId,
    event: &ev::PointerEvent,
) {
    let Some(rect) = scene.with_untracked(|scene| {
        scene
            .glyphs
            .iter()
            .find(|glyph| glyph.id == from)
            .map(|glyph| glyph.rect)
    }) else {
        return;
    };
    state.gesture.set(Some(Gesture::Connect {
        from,
        start: (rect.right(), rect.center().1),
        to: to_diagram(state, area, client_of(event)),
    }));
}

/// Starts resizing a container from its corner handle.
fn start_resize(state: AppState, area: NodeRef<html::Div>, id: NodeId, event: &ev::PointerEvent) {
    let Some(rect) = state
        .diagram
        .with_untracked(|diagram| diagram.layout.get(&id).copied())
    else {
        return;
    };
    state.gesture.set(Some(Gesture::Resize {
        id,
        start: to_diagram(state, area, client_of(event)),
        rect,
        preview: rect,
    }));
}

/// Starts bending a line: a press on one of its bend handles moves that
/// bend; anywhere else on the line, a new bend goes where the line passes.
fn start_bend(
    state: AppState,
    area: NodeRef<html::Div>,
    scene: Memo<Arc<Scene>>,
    edge: EdgeId,
    handle: Option<usize>,
    event: &ev::PointerEvent,
) {
    let start = to_diagram(state, area, client_of(event));
    let Some((path, bends)) = scene.with_untracked(|scene| {
        scene
            .edges
            .iter()
            .find(|line| line.id == edge)
            .map(|line| (line.path.clone(), line.bends.clone()))
    }) else {
        return;
    };
    state.gesture.set(Some(Gesture::Bend {
        drag: BendDrag {
            edge,
            path,
            bends,
            handle,
            start,
            at: start,
        },
        started: false,
    }));
}

/// A double click on a bend handle takes that bend out of the line.
fn remove_bend(state: AppState, at: usize) {
    if let Some(edge) = state.selected_edge.get_untracked() {
        editor::send(state, Request::Finish(Finished::Unbend { edge, at }));
    }
}

/// A badge's click: selects its node and shows its first problem in the
/// problems panel, scrolled into view and marked.
fn open_problem_of(state: AppState, node: NodeId) {
    state.select_only(node.clone());
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    if let Ok(marked) = document.query_selector_all(".problem.opened") {
        for at in 0..marked.length() {
            if let Some(element) = marked
                .item(at)
                .and_then(|n| n.dyn_into::<web_sys::Element>().ok())
            {
                let _ = element.class_list().remove_1("opened");
            }
        }
    }
    // Ids are checked when made (letters, digits, `-`, `_`, `.`), so they can
    // stand in a selector as they are.
    let selector = format!("[data-testid=\"problem\"][data-nodes~=\"{node}\"]");
    if let Ok(Some(problem)) = document.query_selector(&selector) {
        // A problem among others of its rule opens its row first.
        if let Ok(Some(row)) = problem.closest("details") {
            let _ = row.set_attribute("open", "");
        }
        let _ = problem.class_list().add_1("opened");
        problem.scroll_into_view();
    }
}

/// A double click renames: it focuses the inspector's name field.
fn rename_in_inspector() {
    let field = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| {
            d.query_selector("[data-testid=\"inspector-name\"]")
                .ok()
                .flatten()
        })
        .and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok());
    if let Some(field) = field {
        let _ = field.focus();
        field.select();
    }
}

/// Brings one layer from the pieces it shows to the next ones, by the
/// steps `canvas::layer_steps` plans.
fn update_layer(
    layer: &web_sys::Element,
    shown: &[(usize, canvas::Piece)],
    next: &[(usize, &canvas::Piece)],
) {
    let children = layer.children();
    let elements: Vec<web_sys::Element> = (0..children.length())
        .filter_map(|at| children.item(at))
        .collect();
    if elements.len() != shown.len() {
        let html: String = next.iter().map(|(_, piece)| &*piece.html).collect();
        layer.set_inner_html(&html);
        return;
    }
    let shown: Vec<(usize, &canvas::Piece)> =
        shown.iter().map(|(at, piece)| (*at, piece)).collect();
    for step in canvas::layer_steps(&shown, next) {
        match step {
            canvas::LayerStep::Remove(element) => elements[element].remove(),
            canvas::LayerStep::Replace(element, piece) => {
                elements[element].set_outer_html(&next[piece].1.html)
            }
            canvas::LayerStep::Insert { before, from, to } => {
                let html: String = next[from..to]
                    .iter()
                    .map(|(_, piece)| &*piece.html)
                    .collect();
                let _ = match before {
                    Some(element) => elements[element].insert_adjacent_html("beforebegin", &html),
                    None => layer.insert_adjacent_html("beforeend", &html),
                };
            }
        }
    }
}

/// Marks the drawn diagram: `selected` (and `data-selected`) on the
/// selection and the selected edge; `moving` on what a drag carries, with
/// its badges and the edges between two moving nodes; `hidden` on edges
/// with one moving end (they are drawn stretched instead).
fn mark(
    svg: &web_sys::SvgElement,
    scene: &Scene,
    selection: &[NodeId],
    edge: Option<&EdgeId>,
    link: Option<&str>,
    moving: &BTreeSet<NodeId>,
) {
    let each = |selector: &str, action: &dyn Fn(&web_sys::Element)| {
        if let Ok(found) = svg.query_selector_all(selector) {
            for at in 0..found.length() {
                if let Some(element) = found.item(at).and_then(|n| n.dyn_into().ok()) {
                    action(&element);
                }
            }
        }
    };
    let one = |selector: String, action: &dyn Fn(&web_sys::Element)| {
        if let Ok(Some(element)) = svg.query_selector(&selector) {
            action(&element);
        }
    };
    let add = |class: &'static str| {
        move |element: &web_sys::Element| {
            let _ = element.class_list().add_1(class);
        }
    };
    each(".selected, .moving, .hidden", &|element| {
        let _ = element
            .class_list()
            .remove_3("selected", "moving", "hidden");
    });
    each("[data-selected=\"true\"]", &|element| {
        let _ = element.set_attribute("data-selected", "false");
    });
    for id in selection {
        one(format!("[data-node-id=\"{id}\"]"), &|element| {
            let _ = element.class_list().add_1("selected");
            let _ = element.set_attribute("data-selected", "true");
        });
    }
    if let Some(id) = edge {
        one(format!("[data-edge-id=\"{id}\"]"), &add("selected"));
    }
    if let Some(key) = link {
        one(format!("[data-link-id=\"{key}\"]"), &add("selected"));
    }
    if moving.is_empty() {
        return;
    }
    for id in moving {
        one(format!("[data-node-id=\"{id}\"]"), &add("moving"));
        one(format!("[data-badge-of=\"{id}\"]"), &add("moving"));
    }
    let lines = scene
        .edges
        .iter()
        .map(|line| {
            (
                line as &dyn Segment,
                format!("[data-edge-id=\"{}\"]", line.id),
            )
        })
        .chain(scene.links.iter().map(|line| {
            (
                line as &dyn Segment,
                format!("[data-link-id=\"{}\"]", line.key),
            )
        }));
    for (line, selector) in lines {
        let class = match line.in_drag(moving) {
            InDrag::Still => continue,
            InDrag::Carried => "moving",
            InDrag::Stretched => "hidden",
        };
        one(selector, &add(class));
    }
}

/// Fills the drag layer with copies of what a drag carries (the elements
/// `mark` made `moving`, outermost only) and hides the originals until the
/// drop; empties it when nothing moves. Moving 500 services' own elements
/// restyled and repainted the whole drawing each frame (bench/editor.mjs);
/// the layer is one element the browser moves without either.
fn carry(svg: &web_sys::SvgElement, layer: &web_sys::SvgElement, moving: bool) {
    layer.set_inner_html("");
    if !moving {
        // The next drag starts where its copies are drawn; one refilled
        // mid-drag (a selection changed) keeps its offset.
        let _ = layer.style().remove_property("transform");
        let _ = svg.class_list().remove_1("dragging");
        return;
    }
    // The layer draws as the canvas does (the far-out view included).
    let classes: Vec<String> = svg
        .get_attribute("class")
        .unwrap_or_default()
        .split_whitespace()
        .filter(|class| *class != "dragging")
        .map(str::to_string)
        .collect();
    let _ = layer.set_attribute("class", &format!("{} drag-layer", classes.join(" ")));
    if let Ok(found) = svg.query_selector_all(".moving") {
        for at in 0..found.length() {
            let Some(element) = found
                .item(at)
                .and_then(|n| n.dyn_into::<web_sys::Element>().ok())
            else {
                continue;
            };
            let carried_by_another = element
                .parent_element()
                .and_then(|parent| parent.closest(".moving").ok().flatten())
                .is_some();
            if carried_by_another {
                continue;
            }
            if let Ok(copy) = element.clone_node_with_deep(true) {
                let _ = layer.append_child(&copy);
            }
        }
    }
    // The copies are pictures: the tests and the keyboard find the originals.
    if let Ok(named) = layer.query_selector_all("[data-testid], [id]") {
        for at in 0..named.length() {
            if let Some(element) = named
                .item(at)
                .and_then(|n| n.dyn_into::<web_sys::Element>().ok())
            {
                let _ = element.remove_attribute("data-testid");
                let _ = element.remove_attribute("id");
            }
        }
    }
    let _ = svg.class_list().add_1("dragging");
}

/// Edges with one end in a drag, drawn to follow it until the drop.
fn stretched_edges(scene: Memo<Arc<Scene>>, live: Live) -> impl IntoView {
    let delta = live.delta.get();
    live.moving.with(|moving| {
        if moving.is_empty() {
            return Vec::new();
        }
        scene.with(|scene| {
            let stretched = |line: &dyn Segment| {
                (line.in_drag(moving) == InDrag::Stretched).then(|| line.dragged_ends(moving, delta))
            };
            let edges = scene.edges.iter().filter_map(|e| stretched(e)).map(|(a, b)| {
                view! {
                    <line class="edge-line" x1={n(a.0)} y1={n(a.1)} x2={n(b.0)} y2={n(b.1)} marker-end="url(#arrow)" />
                }
                .into_any()
            });
            // Relationship lines follow a drag only while they are few: a
            // VPC of 200 services dragged away from their cluster would
            // redraw 200 long dashed lines each frame (50 ms frames in
            // bench/editor.mjs). They are back, routed, on the drop.
            let following = scene
                .links
                .iter()
                .filter(|l| l.in_drag(moving) == InDrag::Stretched)
                .count();
            let shown = if following <= MAX_FOLLOWING_LINKS { scene.links.as_slice() } else { &[] };
            let links = shown.iter().filter_map(|l| stretched(l)).map(|(a, b)| {
                view! {
                    <line class="link-line" x1={n(a.0)} y1={n(a.1)} x2={n(b.0)} y2={n(b.1)} />
                }
                .into_any()
            });
            edges.chain(links).collect::<Vec<_>>()
        })
    })
}

/// For a selected resource that spans subnets: an outline on each of them.
fn membership(state: AppState, scene: Memo<Arc<Scene>>) -> impl IntoView {
    let id = state.primary()?;
    let subnets: Vec<NodeId> = state.diagram.with(|diagram| {
        diagram
            .node(&id)
            .map(|node| node.kind.placement_subnets().into_iter().cloned().collect())
            .unwrap_or_default()
    });
    if subnets.len() < 2 {
        return None;
    }
    Some(scene.with(|scene| {
        scene
            .containers
            .iter()
            .filter(|c| subnets.contains(&c.id))
            .map(|c| {
                let r = c.rect;
                view! {
                    <rect
                        class="member-outline"
                        data-testid=format!("member-{}", c.id)
                        x={n(r.x - 3.0)}
                        y={n(r.y - 3.0)}
                        width={n(r.w + 6.0)}
                        height={n(r.h + 6.0)}
                        rx="10"
                    />
                }
            })
            .collect_view()
    }))
}

/// What a gesture in progress draws: the edge being connected, the rubber
/// band, the new size of a container. (A line being bent is the editor's
/// to draw: `Views::over_drawing`.)
fn gesture_overlay(state: AppState) -> impl IntoView {
    match state.gesture.get()? {
        Gesture::Connect { start, to, .. } => Some(
            view! {
                <line
                    class="connect-preview"
                    data-testid="connect-preview"
                    x1={n(start.0)}
                    y1={n(start.1)}
                    x2={n(to.0)}
                    y2={n(to.1)}
                    marker-end="url(#arrow)"
                />
            }
            .into_any(),
        ),
        Gesture::Band { start, end, .. } => Some(
            view! {
                <rect
                    class="band"
                    data-testid="rubber-band"
                    x={n(start.0.min(end.0))}
                    y={n(start.1.min(end.1))}
                    width={n((end.0 - start.0).abs())}
                    height={n((end.1 - start.1).abs())}
                />
            }
            .into_any(),
        ),
        Gesture::Resize { preview, .. } => Some(
            view! {
                <rect
                    class="resize-preview"
                    x={n(preview.x)}
                    y={n(preview.y)}
                    width={n(preview.w)}
                    height={n(preview.h)}
                    rx="8"
                />
            }
            .into_any(),
        ),
        _ => None,
    }
}

#[component]
fn ZoomControls() -> impl IntoView {
    let state = use_app();
    let zoom_by = move |factor: f64| {
        let (w, h) = state.view_size.get_untracked();
        state
            .camera
            .update(|camera| *camera = camera.zoomed(factor, (w / 2.0, h / 2.0)));
    };
    view! {
        <div class="zoom-controls" data-testid="zoom-controls" on:pointerdown=|event: ev::PointerEvent| event.stop_propagation()>
            <button data-testid="zoom-out" title="Zoom out (-)" on:click=move |_| zoom_by(1.0 / 1.25)>
                "−"
            </button>
            <span class="zoom-level" data-testid="zoom-level">
                {move || format!("{}%", decimal(state.camera.get().zoom * 100.0, 0))}
            </span>
            <button data-testid="zoom-in" title="Zoom in (+)" on:click=move |_| zoom_by(1.25)>
                "+"
            </button>
            <button data-testid="zoom-fit" title="Zoom to fit (Shift+1)" on:click=move |_| state.zoom_to_fit()>
                "Fit"
            </button>
        </div>
    }
}
