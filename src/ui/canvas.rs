//! The diagram as SVG, and the pointer gestures on it: select, move, connect,
//! rubber band, resize, pan and zoom. A move is shown as a CSS offset while
//! the pointer is down and becomes one command when it is released, so a
//! whole drag is one undo step and a frame costs one style change.

use super::state::{use_app, AppState, Camera, Gesture};
use crate::domain::edit::{arrange, connect, place};
use crate::domain::model::{NodeId, Rect};
use crate::domain::scene::{ContainerBox, EdgeLine, Glyph, Scene};
use crate::domain::validate::{Analysis, Severity};
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

#[component]
pub fn Canvas(scene: Memo<Scene>) -> impl IntoView {
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
    // page does not scroll instead.
    Effect::new(move |_| {
        let Some(element) = area.get() else { return };
        let on_wheel = wasm_bindgen::closure::Closure::<dyn Fn(web_sys::WheelEvent)>::new(
            move |event: web_sys::WheelEvent| {
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
        let options = web_sys::AddEventListenerOptions::new();
        options.set_passive(false);
        let _ = element.add_event_listener_with_callback_and_add_event_listener_options(
            "wheel",
            on_wheel.as_ref().unchecked_ref(),
            &options,
        );
        // The canvas lives as long as the app.
        on_wheel.forget();
    });

    // A gesture that ends without a release (Escape) drops its preview.
    Effect::new(move |_| {
        if state.gesture.with(Option::is_none) && !live.moving.with_untracked(BTreeSet::is_empty) {
            live.moving.set(BTreeSet::new());
            live.delta.set((0.0, 0.0));
        }
    });

    let moves = window_event_listener(ev::pointermove, move |event| {
        pointer_moved(state, area, live, client_of(&event));
    });
    let ups = window_event_listener(ev::pointerup, move |event| {
        pointer_released(state, area, live, scene, client_of(&event));
    });
    on_cleanup(move || {
        resize.remove();
        keys_down.remove();
        keys_up.remove();
        moves.remove();
        ups.remove();
    });

    let background_down = move |event: ev::PointerEvent| {
        let client = client_of(&event);
        if event.button() == 1 || space_held.get_value() {
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
            camera.x,
            camera.y,
            w / camera.zoom,
            h / camera.zoom
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
            style:--drag-dx=move || format!("{}px", live.delta.get().0)
            style:--drag-dy=move || format!("{}px", live.delta.get().1)
            on:pointerdown=background_down
            on:auxclick=|event: ev::MouseEvent| event.prevent_default()
        >
            <svg
                class="canvas"
                data-testid="canvas"
                role="img"
                aria-label="Architecture diagram"
                viewBox=view_box
                preserveAspectRatio="xMinYMin meet"
                data-zoom=move || format!("{:.3}", state.camera.get().zoom)
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
                <g class="containers">
                    {move || {
                        scene
                            .with(|scene| {
                                scene
                                    .containers
                                    .iter()
                                    .map(|container| container_view(state, live, area, container))
                                    .collect_view()
                            })
                    }}
                </g>
                <g class="edges">
                    {move || {
                        analysis
                            .with(|verdicts| {
                                scene
                                    .with(|scene| {
                                        scene
                                            .edges
                                            .iter()
                                            .map(|edge| {
                                                let reachable = verdicts
                                                    .flow_of_edge(&edge.id)
                                                    .map(|flow| flow.reachable);
                                                edge_view(state, live, edge, reachable)
                                            })
                                            .collect_view()
                                    })
                            })
                    }}
                </g>
                <g class="edges stretching">{move || stretched_edges(scene, live)}</g>
                <g class="glyphs">
                    {move || {
                        scene
                            .with(|scene| {
                                scene
                                    .glyphs
                                    .iter()
                                    .map(|glyph| glyph_view(state, live, area, glyph))
                                    .collect_view()
                            })
                    }}
                </g>
                <g class="badges">{move || badges(live, scene, analysis)}</g>
                <g class="membership">{move || membership(state, scene)}</g>
                <g class="gesture">{move || gesture_overlay(state)}</g>
            </svg>
            <ZoomControls />
            <FlowTooltip />
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
    };
    state.gesture.set(Some(next));
}

fn pointer_released(
    state: AppState,
    area: NodeRef<html::Div>,
    live: Live,
    scene: Memo<Scene>,
    client: (f64, f64),
) {
    let Some(gesture) = state.gesture.get_untracked() else {
        return;
    };
    state.gesture.set(None);
    let point = to_diagram(state, area, client);
    match gesture {
        Gesture::Move {
            ids,
            delta,
            started: true,
            ..
        } => {
            let outcome = state
                .diagram
                .with_untracked(|diagram| arrange::move_nodes(diagram, &ids, delta.0, delta.1));
            state.attempt(outcome);
        }
        Gesture::Move { .. } | Gesture::Pan { .. } => {}
        Gesture::Connect { from, .. } => {
            let target = scene.with_untracked(|scene| scene.glyph_at(point).map(|g| g.id.clone()));
            match target {
                Some(to) if to != from => {
                    let outcome = state
                        .diagram
                        .with_untracked(|diagram| connect::connect(diagram, &from, &to));
                    match outcome {
                        Ok((command, edge)) => {
                            if state.run(command) {
                                state.selection.set(Vec::new());
                                state.selected_edge.set(Some(edge));
                            }
                        }
                        Err(message) => state.notice.set(Some(message)),
                    }
                }
                _ => {}
            }
        }
        Gesture::Band { start, end, adding } => {
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
        Gesture::Resize { id, preview, .. } => {
            let outcome = state
                .diagram
                .with_untracked(|diagram| arrange::resize(diagram, &id, preview));
            state.attempt(outcome);
        }
        Gesture::Palette { kind, .. } => {
            let Some((left, top, w, h)) = area_box(area) else {
                return;
            };
            let over_canvas =
                client.0 >= left && client.0 <= left + w && client.1 >= top && client.1 <= top + h;
            if over_canvas {
                let at = (arrange::snap(point.0), arrange::snap(point.1));
                let outcome = state
                    .diagram
                    .with_untracked(|diagram| place::place(diagram, kind, at));
                match outcome {
                    Ok((command, id)) => {
                        if state.run(command) {
                            state.select_only(id);
                        }
                    }
                    Err(message) => state.notice.set(Some(message)),
                }
            }
        }
    }
    live.moving.set(BTreeSet::new());
    live.delta.set((0.0, 0.0));
}

/// Starts moving a node (selecting it first unless it already is).
fn press_node(state: AppState, area: NodeRef<html::Div>, id: NodeId) -> impl Fn(ev::PointerEvent) {
    move |event| {
        // Other buttons and Space+drag pan: the canvas handles them.
        if event.button() != 0 || state.space_held.get_value() {
            return;
        }
        event.stop_propagation();
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
            start: to_diagram(state, area, client_of(&event)),
            delta: (0.0, 0.0),
            started: false,
        }));
    }
}

/// A double click renames: it focuses the inspector's name field.
fn rename_in_inspector(_: ev::MouseEvent) {
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

fn selected(state: AppState, id: &NodeId) -> impl Fn() -> bool + use<> {
    let id = id.clone();
    move || state.selection.with(|s| s.contains(&id))
}

/// `data-selected` for automation: "true" or "false".
fn selected_text(state: AppState, id: &NodeId) -> impl Fn() -> &'static str + use<> {
    let is = selected(state, id);
    move || if is() { "true" } else { "false" }
}

fn is_moving(live: Live, id: &NodeId) -> impl Fn() -> bool + use<> {
    let id = id.clone();
    move || live.moving.with(|m| m.contains(&id))
}

fn container_view(
    state: AppState,
    live: Live,
    area: NodeRef<html::Div>,
    container: &ContainerBox,
) -> impl IntoView + use<> {
    let rect = container.rect;
    let class = match container.tier {
        Some(tier) => format!("container {} {tier}", container.kind.as_str()),
        None => format!("container {}", container.kind.as_str()),
    };
    let tier = container.tier.map(|tier| {
        view! {
            <text class="container-tier" x=rect.right() - 12.0 y=rect.y + 22.0 text-anchor="end">
                {tier}
            </text>
        }
    });
    let capacity = container.capacity.clone().map(|capacity| {
        view! {
            <text
                class="container-capacity"
                x=rect.right() - 12.0
                y=rect.bottom() - 10.0
                text-anchor="end"
            >
                {capacity}
            </text>
        }
    });
    let id = container.id.clone();
    let resize_id = id.clone();
    let is_selected = selected(state, &id);
    let show_handle = selected(state, &id);
    view! {
        <g
            class=class
            class:selected=is_selected
            data-selected=selected_text(state, &id)
            class:moving=is_moving(live, &id)
            data-testid=format!("node-{}", container.id)
            data-node-id=container.id.to_string()
            data-kind=container.kind.as_str()
            on:pointerdown=press_node(state, area, id.clone())
            on:dblclick=rename_in_inspector
        >
            <rect class="container-box" x=rect.x y=rect.y width=rect.w height=rect.h rx="8" />
            <rect
                class="selection-outline"
                x=rect.x - 4.0
                y=rect.y - 4.0
                width=rect.w + 8.0
                height=rect.h + 8.0
                rx="10"
            />
            <text class="container-title" x=rect.x + 12.0 y=rect.y + 22.0>
                {container.title.clone()}
            </text>
            <text class="container-subtitle" x=rect.x + 12.0 y=rect.y + 40.0>
                {container.subtitle.clone()}
            </text>
            {tier}
            {capacity}
            <Show when=show_handle>
                <rect
                    class="resize-handle"
                    data-testid=format!("resize-{}", resize_id)
                    x=rect.right() - 7.0
                    y=rect.bottom() - 7.0
                    width="14"
                    height="14"
                    rx="3"
                    on:pointerdown={
                        let id = resize_id.clone();
                        move |event: ev::PointerEvent| {
                            event.stop_propagation();
                            state.gesture.set(Some(Gesture::Resize {
                                id: id.clone(),
                                start: to_diagram(state, area, client_of(&event)),
                                rect,
                                preview: rect,
                            }));
                        }
                    }
                />
            </Show>
        </g>
    }
}

fn glyph_view(
    state: AppState,
    live: Live,
    area: NodeRef<html::Div>,
    glyph: &Glyph,
) -> impl IntoView + use<> {
    let rect = glyph.rect;
    let (cx, cy) = rect.center();
    let category = format!("{:?}", glyph.kind.category()).to_lowercase();
    let id = glyph.id.clone();
    let handle_id = id.clone();
    view! {
        <g
            class=format!("glyph {} cat-{category}", glyph.kind.as_str())
            class:selected=selected(state, &id)
            data-selected=selected_text(state, &id)
            class:moving=is_moving(live, &id)
            data-testid=format!("node-{}", glyph.id)
            data-node-id=glyph.id.to_string()
            data-kind=glyph.kind.as_str()
            on:pointerdown=press_node(state, area, id.clone())
            on:dblclick=rename_in_inspector
        >
            <rect
                class="selection-outline"
                x=rect.x - 4.0
                y=rect.y - 4.0
                width=rect.w + 8.0
                height=rect.h + 8.0
                rx="14"
            />
            <rect class="glyph-icon" x=rect.x y=rect.y width=rect.w height=rect.h rx="12" />
            <use href=format!("/icons.svg#{}", glyph.kind.as_str()) x=rect.x y=rect.y width=rect.w height=rect.h class="glyph-art" />
            <text class="glyph-badge" x=cx y=rect.bottom() - 8.0 text-anchor="middle">
                {glyph.badge}
            </text>
            <text class="glyph-title" x=cx y=rect.bottom() + 16.0 text-anchor="middle">
                {glyph.title.clone()}
            </text>
            <text class="glyph-subtitle" x=cx y=rect.bottom() + 31.0 text-anchor="middle">
                {glyph.subtitle.clone()}
            </text>
            <circle
                class="handle"
                data-testid=format!("handle-{}", handle_id)
                cx=rect.right() + 2.0
                cy=cy
                r="7"
                on:pointerdown={
                    let id = handle_id.clone();
                    move |event: ev::PointerEvent| {
                        if event.button() != 0 {
                            return;
                        }
                        event.stop_propagation();
                        let start = (rect.right(), cy);
                        state.gesture.set(Some(Gesture::Connect {
                            from: id.clone(),
                            start,
                            to: to_diagram(state, area, client_of(&event)),
                        }));
                    }
                }
            />
        </g>
    }
}

fn edge_view(
    state: AppState,
    live: Live,
    edge: &EdgeLine,
    reachable: Option<bool>,
) -> impl IntoView + use<> {
    let (x1, y1) = edge.from;
    let (x2, y2) = edge.to;
    let verdict = match reachable {
        Some(true) => "reachable",
        Some(false) => "blocked",
        None => "unknown",
    };
    let id = edge.id.clone();
    let hover_id = id.clone();
    let click_id = id.clone();
    let (source, target) = (edge.source.clone(), edge.target.clone());
    let (source_2, target_2) = (edge.source.clone(), edge.target.clone());
    let both_moving = move || {
        live.moving
            .with(|m| m.contains(&source) && m.contains(&target))
    };
    let one_moving = move || {
        live.moving
            .with(|m| m.contains(&source_2) != m.contains(&target_2))
    };
    view! {
        <g
            class=format!("edge {verdict}")
            class:moving=both_moving
            class:hidden=one_moving
            class:selected=move || state.selected_edge.get().as_ref() == Some(&id)
            data-testid=format!("edge-{}", edge.id)
            data-edge-id=edge.id.to_string()
            data-verdict=verdict
            on:mouseenter=move |_| state.hovered_edge.set(Some(hover_id.clone()))
            on:mouseleave=move |_| state.hovered_edge.set(None)
            on:pointerdown=move |event: ev::PointerEvent| {
                event.stop_propagation();
                state.selection.set(Vec::new());
                state.selected_edge.set(Some(click_id.clone()));
            }
        >
            <line class="edge-hit" x1=x1 y1=y1 x2=x2 y2=y2 />
            <line class="edge-line" x1=x1 y1=y1 x2=x2 y2=y2 marker-end="url(#arrow)" />
            <text
                class="edge-label"
                x=(x1 + x2) / 2.0
                y=(y1 + y2) / 2.0 - 4.0
                text-anchor="middle"
            >
                {edge.label.clone()}
            </text>
        </g>
    }
}

/// Edges with one end in a drag, drawn to follow it until the drop.
fn stretched_edges(scene: Memo<Scene>, live: Live) -> impl IntoView {
    let (dx, dy) = live.delta.get();
    live.moving.with(|moving| {
        if moving.is_empty() {
            return Vec::new();
        }
        scene.with(|scene| {
            scene
                .edges
                .iter()
                .filter(|e| moving.contains(&e.source) != moving.contains(&e.target))
                .map(|e| {
                    let shift = |p: (f64, f64), end: &NodeId| {
                        if moving.contains(end) {
                            (p.0 + dx, p.1 + dy)
                        } else {
                            p
                        }
                    };
                    let (a, b) = (shift(e.from, &e.source), shift(e.to, &e.target));
                    view! {
                        <line class="edge-line" x1=a.0 y1=a.1 x2=b.0 y2=b.1 marker-end="url(#arrow)" />
                    }
                })
                .collect::<Vec<_>>()
        })
    })
}

/// A marker on every node that a warning or an error names.
fn badges(live: Live, scene: Memo<Scene>, analysis: Memo<Analysis>) -> impl IntoView {
    let worst = analysis.with(Analysis::worst_by_node);
    scene.with(|scene| {
        let boxes = scene
            .containers
            .iter()
            .map(|c| (&c.id, c.rect))
            .chain(scene.glyphs.iter().map(|g| (&g.id, g.rect)));
        boxes
            .filter_map(|(id, rect)| {
                let severity = *worst.get(id)?;
                let class = format!("badge {}", severity.as_str());
                let (x, y) = (rect.right() - 2.0, rect.y + 2.0);
                Some(view! {
                    <g
                        class=class
                        class:moving=is_moving(live, id)
                        data-testid=format!("badge-{id}")
                        data-severity=severity.as_str()
                    >
                        <circle cx=x cy=y r="9" />
                        <text x=x y=y + 4.0 text-anchor="middle">
                            {if severity == Severity::Error { "!" } else { "?" }}
                        </text>
                    </g>
                })
            })
            .collect_view()
    })
}

/// For a selected resource that spans subnets: an outline on each of them.
fn membership(state: AppState, scene: Memo<Scene>) -> impl IntoView {
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
                        x=r.x - 3.0
                        y=r.y - 3.0
                        width=r.w + 6.0
                        height=r.h + 6.0
                        rx="10"
                    />
                }
            })
            .collect_view()
    }))
}

/// What a gesture in progress draws: the edge being connected, the rubber
/// band, the new size of a container.
fn gesture_overlay(state: AppState) -> impl IntoView {
    match state.gesture.get()? {
        Gesture::Connect { start, to, .. } => Some(
            view! {
                <line
                    class="connect-preview"
                    data-testid="connect-preview"
                    x1=start.0
                    y1=start.1
                    x2=to.0
                    y2=to.1
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
                    x=start.0.min(end.0)
                    y=start.1.min(end.1)
                    width=(end.0 - start.0).abs()
                    height=(end.1 - start.1).abs()
                />
            }
            .into_any(),
        ),
        Gesture::Resize { preview, .. } => Some(
            view! {
                <rect
                    class="resize-preview"
                    x=preview.x
                    y=preview.y
                    width=preview.w
                    height=preview.h
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
                {move || format!("{:.0}%", state.camera.get().zoom * 100.0)}
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

/// The hop list of the hovered edge, or why it is blocked.
#[component]
fn FlowTooltip() -> impl IntoView {
    let state = use_app();
    let analysis = expect_context::<Memo<Analysis>>();
    move || {
        let edge = state.hovered_edge.get()?;
        let flow = analysis.with(|analysis| analysis.flow_of_edge(&edge).cloned())?;
        let body = match &flow.blocked {
            Some(stop) => view! {
                <p class="verdict blocked">"Blocked"</p>
                <p>{stop.explanation.clone()}</p>
                <p class="code">{stop.code.as_str()}</p>
            }
            .into_any(),
            None => view! {
                <p class="verdict reachable">"Reachable"</p>
                <ol class="hops">
                    {flow
                        .hops
                        .iter()
                        .map(|hop| view! { <li>{hop.description.clone()}</li> })
                        .collect_view()}
                </ol>
            }
            .into_any(),
        };
        Some(view! {
            <div class="flow-tooltip" data-testid="flow-tooltip" role="tooltip">
                <p class="flow-title">{flow.description.clone()}</p>
                {body}
            </div>
        })
    }
}
