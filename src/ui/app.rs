use super::canvas::Canvas;
use crate::domain::scene::Scene;
use crate::domain::templates;
use leptos::prelude::*;

/// The app shell: a toolbar above the canvas.
#[component]
pub fn App() -> impl IntoView {
    let diagram = RwSignal::new(templates::seed());
    let scene = Memo::new(move |_| diagram.with(Scene::of));
    let name = move || diagram.with(|diagram| diagram.name.clone());
    let region = move || diagram.with(|diagram| diagram.region.clone());

    view! {
        <div class="app">
            <header class="toolbar" data-testid="toolbar">
                <span class="brand">"stackdraw"</span>
                <span class="diagram-name" data-testid="diagram-name">{name}</span>
                <span class="region" data-testid="diagram-region">{region}</span>
            </header>
            <main class="workspace">
                <Canvas scene=scene />
            </main>
        </div>
    }
}
