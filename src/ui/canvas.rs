use super::state::{use_app, AppState};
use crate::domain::model::Rect;
use crate::domain::scene::{ContainerBox, EdgeLine, Glyph, Scene};
use crate::domain::validate::{Analysis, Severity};
use leptos::prelude::*;

/// Space left around the drawing when fitting it into the view.
const MARGIN: f64 = 40.0;

fn view_box(bounds: Option<Rect>) -> String {
    match bounds {
        Some(b) => format!(
            "{} {} {} {}",
            b.x - MARGIN,
            b.y - MARGIN,
            b.w + 2.0 * MARGIN,
            b.h + 2.0 * MARGIN
        ),
        None => "0 0 1280 720".to_string(),
    }
}

/// The diagram as SVG: containers under traffic under resources, then the
/// problem badges and the selection on top.
#[component]
pub fn Canvas(scene: Memo<Scene>) -> impl IntoView {
    let state = use_app();
    let analysis = expect_context::<Memo<Analysis>>();
    view! {
        <svg
            class="canvas"
            data-testid="canvas"
            role="img"
            aria-label="Architecture diagram"
            viewBox=move || scene.with(|scene| view_box(scene.bounds))
            preserveAspectRatio="xMidYMid meet"
            on:click=move |_| state.selected.set(None)
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
            </defs>
            <g class="containers">
                {move || {
                    scene
                        .with(|scene| {
                            scene
                                .containers
                                .iter()
                                .map(|container| container_view(state, container))
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
                                            edge_view(state, edge, reachable)
                                        })
                                        .collect_view()
                                })
                        })
                }}
            </g>
            <g class="glyphs">
                {move || {
                    scene
                        .with(|scene| {
                            scene.glyphs.iter().map(|glyph| glyph_view(state, glyph)).collect_view()
                        })
                }}
            </g>
            <g class="badges">{move || badges(scene, analysis)}</g>
            <g class="selection">
                {move || {
                    let selected = state.selected.get()?;
                    let rect = scene
                        .with(|scene| {
                            scene
                                .containers
                                .iter()
                                .find(|c| c.id == selected)
                                .map(|c| c.rect)
                                .or_else(|| {
                                    scene.glyphs.iter().find(|g| g.id == selected).map(|g| g.rect)
                                })
                        })?;
                    Some(
                        view! {
                            <rect
                                class="selection-outline"
                                data-testid="selection"
                                data-node-id=selected.to_string()
                                x=rect.x - 4.0
                                y=rect.y - 4.0
                                width=rect.w + 8.0
                                height=rect.h + 8.0
                                rx="10"
                            />
                        },
                    )
                }}
            </g>
        </svg>
        <FlowTooltip />
    }
}

/// A marker on every node that a warning or an error names.
fn badges(scene: Memo<Scene>, analysis: Memo<Analysis>) -> impl IntoView {
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
                    <g class=class data-testid=format!("badge-{id}") data-severity=severity.as_str()>
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

fn select(state: AppState, id: String) -> impl Fn(leptos::ev::MouseEvent) {
    move |event| {
        event.stop_propagation();
        if let Ok(id) = crate::domain::model::NodeId::new(id.clone()) {
            state.selected.set(Some(id));
        }
    }
}

fn container_view(state: AppState, container: &ContainerBox) -> impl IntoView + use<> {
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
                y=rect.y + 40.0
                text-anchor="end"
            >
                {capacity}
            </text>
        }
    });
    view! {
        <g
            class=class
            data-testid=format!("node-{}", container.id)
            data-node-id=container.id.to_string()
            data-kind=container.kind.as_str()
            on:click=select(state, container.id.to_string())
        >
            <rect class="container-box" x=rect.x y=rect.y width=rect.w height=rect.h rx="8" />
            <text class="container-title" x=rect.x + 12.0 y=rect.y + 22.0>
                {container.title.clone()}
            </text>
            <text class="container-subtitle" x=rect.x + 12.0 y=rect.y + 40.0>
                {container.subtitle.clone()}
            </text>
            {tier}
            {capacity}
        </g>
    }
}

fn glyph_view(state: AppState, glyph: &Glyph) -> impl IntoView + use<> {
    let rect = glyph.rect;
    let (cx, cy) = rect.center();
    let category = format!("{:?}", glyph.kind.category()).to_lowercase();
    view! {
        <g
            class=format!("glyph {} cat-{category}", glyph.kind.as_str())
            data-testid=format!("node-{}", glyph.id)
            data-node-id=glyph.id.to_string()
            data-kind=glyph.kind.as_str()
            on:click=select(state, glyph.id.to_string())
        >
            <rect class="glyph-icon" x=rect.x y=rect.y width=rect.w height=rect.h rx="12" />
            <text class="glyph-badge" x=cx y=cy + 5.0 text-anchor="middle">
                {glyph.badge}
            </text>
            <text class="glyph-title" x=cx y=rect.bottom() + 16.0 text-anchor="middle">
                {glyph.title.clone()}
            </text>
            <text class="glyph-subtitle" x=cx y=rect.bottom() + 31.0 text-anchor="middle">
                {glyph.subtitle.clone()}
            </text>
        </g>
    }
}

fn edge_view(state: AppState, edge: &EdgeLine, reachable: Option<bool>) -> impl IntoView + use<> {
    let (x1, y1) = edge.from;
    let (x2, y2) = edge.to;
    let verdict = match reachable {
        Some(true) => "reachable",
        Some(false) => "blocked",
        None => "unknown",
    };
    let id = edge.id.clone();
    view! {
        <g
            class=format!("edge {verdict}")
            data-testid=format!("edge-{}", edge.id)
            data-edge-id=edge.id.to_string()
            data-verdict=verdict
            on:mouseenter=move |_| state.hovered_edge.set(Some(id.clone()))
            on:mouseleave=move |_| state.hovered_edge.set(None)
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
