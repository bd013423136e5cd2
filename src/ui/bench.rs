//! In-browser timing of the domain, for the benchmark suite: opening the app
//! with `?bench=analysis&nodes=2000` times full validation of a generated
//! diagram in WebAssembly and shows the numbers instead of the editor.

use super::browser::now;
use crate::domain::templates;
use crate::domain::validate::analyze;
use leptos::prelude::*;

const WARM_UP: usize = 3;
const SAMPLES: usize = 21;

/// The benchmark asked for in the page's query string, if any.
pub fn requested() -> Option<(String, usize)> {
    let search = web_sys::window()?.location().search().ok()?;
    let mut kind = None;
    let mut nodes = 2_000;
    for pair in search.trim_start_matches('?').split('&') {
        match pair.split_once('=') {
            Some(("bench", value)) => kind = Some(value.to_string()),
            Some(("nodes", value)) => nodes = value.parse().unwrap_or(nodes).clamp(10, 10_000),
            _ => {}
        }
    }
    kind.map(|kind| (kind, nodes))
}

#[component]
pub fn Bench(kind: String, nodes: usize) -> impl IntoView {
    let result = match kind.as_str() {
        "analysis" => {
            let diagram = templates::generated(nodes);
            for _ in 0..WARM_UP {
                std::hint::black_box(analyze(&diagram));
            }
            let mut times: Vec<f64> = (0..SAMPLES)
                .map(|_| {
                    let start = now();
                    std::hint::black_box(analyze(&diagram));
                    now() - start
                })
                .collect();
            times.sort_by(f64::total_cmp);
            format!(
                "{{\"bench\":\"analysis\",\"nodes\":{},\"samples\":{SAMPLES},\"median_ms\":{:.3},\"p95_ms\":{:.3}}}",
                diagram.nodes.len(),
                times[SAMPLES / 2],
                times[(SAMPLES * 95) / 100]
            )
        }
        other => format!("{{\"error\":\"unknown benchmark {other:?}\"}}"),
    };
    view! { <pre data-testid="bench-result">{result}</pre> }
}
