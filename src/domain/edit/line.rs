//! The shape of a traffic edge's line: the points the user bent it through,
//! and whether it is drawn straight instead of routed. Only the picture
//! reads them; the analysis and the exports never do.

use super::arrange::snap;
use super::Command;
use crate::domain::model::*;
use crate::domain::route::Point;
use std::collections::BTreeSet;

/// Most points one line is bent through (as files allow).
pub const MAX_BENDS: usize = 64;

fn edge<'a>(diagram: &'a Diagram, id: &EdgeId) -> Result<&'a TrafficEdge, String> {
    diagram
        .edges
        .iter()
        .find(|edge| &edge.id == id)
        .ok_or_else(|| format!("there is no edge {id}"))
}

/// Bends the line through `points` (snapped to the grid; a point repeating
/// the one before it is dropped), replacing the bends it had.
pub fn bend_through(diagram: &Diagram, id: &EdgeId, points: &[Point]) -> Result<Command, String> {
    let edge = edge(diagram, id)?;
    let mut bends: Vec<Bend> = Vec::with_capacity(points.len());
    for &(x, y) in points {
        if !(x.is_finite() && y.is_finite()) {
            return Err("a bend must be a point on the canvas".into());
        }
        let bend = Bend {
            x: snap(x),
            y: snap(y),
        };
        if bends.last() != Some(&bend) {
            bends.push(bend);
        }
    }
    if bends.len() > MAX_BENDS {
        return Err(format!("a line is bent through at most {MAX_BENDS} points"));
    }
    Ok(Command::ReplaceEdge {
        edge: TrafficEdge {
            bends,
            ..edge.clone()
        },
    })
}

/// Draws the line straight (through its bends) or routed again.
pub fn set_straight(diagram: &Diagram, id: &EdgeId, straight: bool) -> Result<Command, String> {
    let edge = edge(diagram, id)?;
    Ok(Command::ReplaceEdge {
        edge: TrafficEdge {
            straight,
            ..edge.clone()
        },
    })
}

/// Where a new bend at `at` goes among a line's `bends`, the line being
/// drawn along `path`: after every bend that comes before `at` along it.
pub fn insertion_index(path: &[Point], bends: &[Bend], at: Point) -> usize {
    let along = |point: Point| position_along(path, point);
    let here = along(at);
    bends
        .iter()
        .filter(|bend| along((bend.x, bend.y)) < here)
        .count()
}

/// A line's bends after a drag from `start` to `end`: the bend at `handle`
/// moved there, or, without one, a new bend at `end`, among the others
/// where `start` lies along the line's `path`. Snapped as the drop will be;
/// with the dragged bend's index.
pub fn dragged(
    path: &[Point],
    bends: &[Point],
    handle: Option<usize>,
    start: Point,
    end: Point,
) -> (Vec<Point>, usize) {
    let mut bends = bends.to_vec();
    let end = (snap(end.0), snap(end.1));
    let at = match handle.filter(|&at| at < bends.len()) {
        Some(at) => {
            bends[at] = end;
            at
        }
        None => {
            let as_bends: Vec<Bend> = bends.iter().map(|&(x, y)| Bend { x, y }).collect();
            let at = insertion_index(path, &as_bends, start);
            bends.insert(at, end);
            at
        }
    };
    (bends, at)
}

/// How far along `path` its nearest point to `point` lies.
fn position_along(path: &[Point], point: Point) -> f64 {
    let mut walked = 0.0;
    let mut best = (f64::INFINITY, 0.0);
    for pair in path.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        let (dx, dy) = (b.0 - a.0, b.1 - a.1);
        let length = dx.hypot(dy);
        let t = if length > 0.0 {
            (((point.0 - a.0) * dx + (point.1 - a.1) * dy) / (length * length)).clamp(0.0, 1.0)
        } else {
            0.0
        };
        let nearest = (a.0 + t * dx, a.1 + t * dy);
        let distance = (point.0 - nearest.0).hypot(point.1 - nearest.1);
        if distance < best.0 {
            best = (distance, walked + t * length);
        }
        walked += length;
    }
    best.1
}

/// The lines between two nodes that both move by `(dx, dy)` keep their
/// shape: their bends move along.
pub fn carried(diagram: &Diagram, moving: &BTreeSet<NodeId>, (dx, dy): Point) -> Vec<Command> {
    diagram
        .edges
        .iter()
        .filter(|edge| {
            !edge.bends.is_empty() && moving.contains(&edge.from) && moving.contains(&edge.to)
        })
        .map(|edge| Command::ReplaceEdge {
            edge: TrafficEdge {
                bends: edge
                    .bends
                    .iter()
                    .map(|bend| Bend {
                        x: bend.x + dx,
                        y: bend.y + dy,
                    })
                    .collect(),
                ..edge.clone()
            },
        })
        .collect()
}

/// Lines with an end among `laid_out` lose their bends: after a layout is
/// redone, points placed for the old one would pull them back across it.
pub fn unbent(diagram: &Diagram, laid_out: &BTreeSet<NodeId>) -> Vec<Command> {
    diagram
        .edges
        .iter()
        .filter(|edge| {
            !edge.bends.is_empty() && (laid_out.contains(&edge.from) || laid_out.contains(&edge.to))
        })
        .map(|edge| Command::ReplaceEdge {
            edge: TrafficEdge {
                bends: Vec::new(),
                ..edge.clone()
            },
        })
        .collect()
}
