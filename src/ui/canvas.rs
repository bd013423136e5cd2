use crate::domain::model::Rect;
use crate::domain::scene::{ContainerBox, EdgeLine, Glyph, Scene};
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

/// The diagram as SVG: containers under traffic under resources.
#[component]
pub fn Canvas(scene: Memo<Scene>) -> impl IntoView {
    view! {
        <svg
            class="canvas"
            data-testid="canvas"
            role="img"
            aria-label="Architecture diagram"
            viewBox=move || scene.with(|scene| view_box(scene.bounds))
            preserveAspectRatio="xMidYMid meet"
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
                {move || scene.with(|scene| scene.containers.iter().map(container_view).collect_view())}
            </g>
            <g class="edges">
                {move || scene.with(|scene| scene.edges.iter().map(edge_view).collect_view())}
            </g>
            <g class="glyphs">
                {move || scene.with(|scene| scene.glyphs.iter().map(glyph_view).collect_view())}
            </g>
        </svg>
    }
}

fn container_view(container: &ContainerBox) -> impl IntoView + use<> {
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
    view! {
        <g
            class=class
            data-testid=format!("node-{}", container.id)
            data-node-id=container.id.to_string()
            data-kind=container.kind.as_str()
        >
            <rect class="container-box" x=rect.x y=rect.y width=rect.w height=rect.h rx="8" />
            <text class="container-title" x=rect.x + 12.0 y=rect.y + 22.0>
                {container.title.clone()}
            </text>
            <text class="container-subtitle" x=rect.x + 12.0 y=rect.y + 40.0>
                {container.subtitle.clone()}
            </text>
            {tier}
        </g>
    }
}

fn glyph_view(glyph: &Glyph) -> impl IntoView + use<> {
    let rect = glyph.rect;
    let (cx, cy) = rect.center();
    let category = format!("{:?}", glyph.kind.category()).to_lowercase();
    view! {
        <g
            class=format!("glyph {} cat-{category}", glyph.kind.as_str())
            data-testid=format!("node-{}", glyph.id)
            data-node-id=glyph.id.to_string()
            data-kind=glyph.kind.as_str()
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

fn edge_view(edge: &EdgeLine) -> impl IntoView + use<> {
    let (x1, y1) = edge.from;
    let (x2, y2) = edge.to;
    view! {
        <g class="edge" data-testid=format!("edge-{}", edge.id) data-edge-id=edge.id.to_string()>
            <line class="edge-line" x1=x1 y1=y1 x2=x2 y2=y2 marker-end="url(#arrow)" />
            <text class="edge-label" x=(x1 + x2) / 2.0 y=(y1 + y2) / 2.0 - 4.0 text-anchor="middle">
                {edge.label.clone()}
            </text>
        </g>
    }
}
