//! Validation + reachability of generated diagrams, timed natively.
//! `cargo bench --bench analysis` prints medians and p95 with the budget.

use stackdraw::domain::templates;
use stackdraw::domain::validate::analyze;
use std::hint::black_box;
use std::time::{Duration, Instant};

/// Full analysis of a 2,000-node diagram must fit in this (docs/performance.md).
const BUDGET_2000: Duration = Duration::from_millis(5);
const WARM_UP: usize = 5;
const SAMPLES: usize = 41;

fn percentile(sorted: &[Duration], fraction: f64) -> Duration {
    let at = ((sorted.len() - 1) as f64 * fraction).round() as usize;
    sorted[at]
}

fn main() {
    println!("validation + reachability, {SAMPLES} samples after {WARM_UP} warm-up runs");
    println!(
        "{:>6} {:>6} {:>6} {:>12} {:>12}  budget",
        "nodes", "edges", "flows", "median", "p95"
    );
    for size in [100, 500, 2_000] {
        let diagram = templates::generated(size);
        for _ in 0..WARM_UP {
            black_box(analyze(black_box(&diagram)));
        }
        let mut times: Vec<Duration> = (0..SAMPLES)
            .map(|_| {
                let start = Instant::now();
                black_box(analyze(black_box(&diagram)));
                start.elapsed()
            })
            .collect();
        times.sort();
        let median = percentile(&times, 0.5);
        let verdict = if size == 2_000 {
            if median <= BUDGET_2000 {
                format!("ok (<= {BUDGET_2000:?})")
            } else {
                format!("OVER ({BUDGET_2000:?})")
            }
        } else {
            String::new()
        };
        let flows = analyze(&diagram).flows.len();
        println!(
            "{:>6} {:>6} {:>6} {:>12?} {:>12?}  {verdict}",
            diagram.nodes.len(),
            diagram.edges.len(),
            flows,
            median,
            percentile(&times, 0.95)
        );
    }
}
