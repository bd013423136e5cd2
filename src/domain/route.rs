//! Orthogonal connector routing: a line from one box to another made of
//! horizontal and vertical segments that keeps clear of every obstacle (the
//! other icons and all text), with as few bends as the space allows.
//!
//! The search runs on a sparse grid whose lines are the obstacles' edges (at
//! their clearance) and the two ends' centres, the classic orthogonal
//! visibility graph of connector routers: every shortest rectilinear route
//! around rectangles can be drawn on it. A* finds the cheapest route, where a
//! bend costs as much as [`BEND_COST`] units of length. Only the obstacles
//! near the pair take part, found through a bucket grid, so a route's cost
//! does not grow with the size of the diagram.
//!
//! (`f64::clamp` is avoided on purpose: its check formats floats, which
//! would bring float formatting, some 15 kB, into the first load.)
#![allow(clippy::manual_clamp)]

use crate::domain::model::Rect;
use crate::domain::sorting;
use std::cell::RefCell;
use std::collections::{BTreeMap, BinaryHeap};

pub type Point = (f64, f64);

/// How far a line keeps from an icon.
pub const CLEARANCE: f64 = 12.0;
/// A bend costs as much as this much length: a detour of up to this many
/// units is preferred to one more corner.
const BEND_COST: f64 = 60.0;
/// How far beyond the box holding both ends the obstacles are considered.
pub const CORRIDOR: f64 = 160.0;
/// Side of the buckets that index the obstacles.
const BUCKET: f64 = 256.0;
/// The widest `spread` a route asks for: boxes are indexed this much larger,
/// so a point test finds a box however much a route widens it.
const MAX_SPREAD: f64 = 40.0;
/// Past this many obstacles crossed, simple shapes are told apart by their
/// bends alone (see [`simple_route`]).
const MAX_COUNTED_CROSSINGS: usize = 32;
/// A search that expands this many states gives up (see [`simple_route`]).
const MAX_EXPANSIONS: usize = 20_000;
/// Past this many obstacles between its ends, a line is not searched for
/// but drawn in the simplest shape that crosses the fewest of them: in a
/// diagram that large, such a line runs across whole VPCs, and searching a
/// way through every icon between them would cost seconds.
const MAX_SEARCHED_OBSTACLES: usize = 240;

/// Boxes lines must not cross, indexed by area at three scales: each box
/// sits in the one bucket of the finest scale it fits that holds its
/// top-left corner, so a query looks one bucket further up and left at each
/// scale and finds each box once. Subnets and VPCs fit the coarser scales (a
/// single list of them made routing a 5,000-node diagram read every
/// container for every line); boxes larger still (a hostile file's, mostly)
/// are kept in a list every query reads.
///
/// The boxes known at once (every edit indexes some ten thousand afresh)
/// are one list per scale, sorted by bucket: a map from bucket to list
/// spent two allocations on most of them, and as many frees when the scene
/// was dropped. Those added one at a time after (labels as they are
/// placed) go in such a map.
#[derive(Clone, Debug, Default)]
pub struct Obstacles {
    boxes: Vec<Rect>,
    scales: [Buckets; 3],
    large: Vec<usize>,
}

/// A box's bucket at its scale, and the box.
type Entry = ((i64, i64), u32);

/// One scale's boxes by bucket: those indexed at once as one list, sorted
/// by bucket (boxes in the order added), and those added one at a time
/// since (the labels placed, a few hundred) in a map, as are boxes
/// scattered too far apart to sort by counting.
#[derive(Clone, Debug, Default)]
struct Buckets {
    sorted: Vec<Entry>,
    added: BTreeMap<(i64, i64), Vec<usize>>,
}

impl Buckets {
    fn of(entries: Vec<Entry>) -> Buckets {
        let mut buckets = Buckets::default();
        match sorted_by_bucket(entries) {
            Ok(sorted) => buckets.sorted = sorted,
            // Boxes scattered over a vast area (a hostile file's): by map.
            Err(entries) => {
                for entry in entries {
                    buckets.add(entry);
                }
            }
        }
        buckets
    }

    fn add(&mut self, (bucket, index): Entry) {
        self.added.entry(bucket).or_default().push(index as usize);
    }

    /// The entries in `sorted` of the buckets in column `x`, rows `rows`.
    fn column(&self, x: i64, rows: std::ops::RangeInclusive<i64>) -> &[Entry] {
        let (first, last) = ((x, *rows.start()), (x, *rows.end()));
        let start = self.sorted.partition_point(|entry| entry.0 < first);
        let end = self.sorted.partition_point(|entry| entry.0 <= last);
        self.sorted.get(start..end).unwrap_or_default()
    }
}

/// The entries sorted by bucket, the boxes' order kept within each, by
/// counting (linear): or, when the buckets' span is much larger than the
/// entries, the entries as they were.
fn sorted_by_bucket(entries: Vec<Entry>) -> Result<Vec<Entry>, Vec<Entry>> {
    let Some(&((x, y), _)) = entries.first() else {
        return Ok(entries);
    };
    let (mut x0, mut x1, mut y0, mut y1) = (x, x, y, y);
    for &((x, y), _) in &entries {
        (x0, x1, y0, y1) = (x0.min(x), x1.max(x), y0.min(y), y1.max(y));
    }
    let rows = y1.saturating_sub(y0).saturating_add(1);
    let cells = x1.saturating_sub(x0).saturating_add(1).saturating_mul(rows);
    if cells > 4 * entries.len() as i64 + 1_024 {
        return Err(entries);
    }
    let slot = |(x, y): (i64, i64)| ((x - x0) * rows + (y - y0)) as usize;
    let mut starts = vec![0usize; cells as usize + 1];
    for entry in &entries {
        starts[slot(entry.0) + 1] += 1;
    }
    for at in 1..starts.len() {
        starts[at] += starts[at - 1];
    }
    let mut sorted = vec![((0, 0), 0); entries.len()];
    for &entry in &entries {
        let at = &mut starts[slot(entry.0)];
        sorted[*at] = entry;
        *at += 1;
    }
    Ok(sorted)
}

/// The side of each scale's buckets.
const SCALES: [f64; 3] = [BUCKET, BUCKET * 8.0, BUCKET * 64.0];

fn cell(v: f64, side: f64) -> i64 {
    (v / side).floor() as i64
}

impl Obstacles {
    /// The boxes, each kept `clearance` away from, indexed at once.
    pub fn of(rects: impl IntoIterator<Item = Rect>, clearance: f64) -> Obstacles {
        Obstacles::of_boxes(rects.into_iter().collect(), clearance)
    }

    /// [`Obstacles::of`], written once for every kind of list it is given
    /// (each copy cost the first load some hundreds of bytes).
    #[inline(never)]
    fn of_boxes(rects: Vec<Rect>, clearance: f64) -> Obstacles {
        let mut obstacles = Obstacles::default();
        let mut entries: [Vec<Entry>; 3] = Default::default();
        for rect in rects {
            if let Some((scale, entry)) = obstacles.place(rect, clearance) {
                entries[scale].push(entry);
            }
        }
        let [fine, middle, coarse] = entries;
        obstacles.scales = [Buckets::of(fine), Buckets::of(middle), Buckets::of(coarse)];
        obstacles
    }

    /// Adds a box, kept `clearance` away from.
    pub fn add(&mut self, rect: Rect, clearance: f64) {
        if let Some((scale, entry)) = self.place(rect, clearance) {
            self.scales[scale].add(entry);
        }
    }

    /// Keeps a box and says which scale's bucket holds it (`None` for a
    /// box too large for any, or one not drawn).
    fn place(&mut self, rect: Rect, clearance: f64) -> Option<(usize, Entry)> {
        if !(rect.w.is_finite() && rect.h.is_finite() && rect.x.is_finite() && rect.y.is_finite()) {
            return None;
        }
        let inflated = rect.widened(clearance);
        let index = self.boxes.len();
        self.boxes.push(inflated);
        // Room for the widening a route asks for (`spread`).
        let extent = inflated.w.max(inflated.h) + 2.0 * MAX_SPREAD;
        match SCALES.iter().position(|&side| extent <= side) {
            Some(scale) => {
                let side = SCALES[scale];
                let corner = (
                    cell(inflated.x - MAX_SPREAD, side),
                    cell(inflated.y - MAX_SPREAD, side),
                );
                Some((scale, (corner, index as u32)))
            }
            None => {
                self.large.push(index);
                None
            }
        }
    }

    /// Calls `visit` with each box that may meet `area` (a superset), each
    /// once, until it returns true; says whether one did. (Not generic: one
    /// copy serves every question, which keeps the first load smaller.)
    #[inline(never)]
    fn scan(&self, area: &Rect, visit: &mut dyn FnMut(usize) -> bool) -> bool {
        if self.large.iter().any(|&i| visit(i)) {
            return true;
        }
        for (buckets, &side) in self.scales.iter().zip(&SCALES) {
            let (x0, x1) = (cell(area.x, side) - 1, cell(area.right(), side));
            let (y0, y1) = (cell(area.y, side) - 1, cell(area.bottom(), side));
            let within = |(bx, by): (i64, i64)| (x0..=x1).contains(&bx) && (y0..=y1).contains(&by);
            let span = (x1 - x0 + 1).saturating_mul(y1 - y0 + 1);
            let added = &buckets.added;
            if !added.is_empty() {
                if span > added.len() as i64 {
                    // Fewer buckets exist than the area covers: read them all.
                    if added
                        .iter()
                        .any(|(&key, list)| within(key) && list.iter().any(|&i| visit(i)))
                    {
                        return true;
                    }
                } else {
                    for by in y0..=y1 {
                        for bx in x0..=x1 {
                            if added
                                .get(&(bx, by))
                                .is_some_and(|list| list.iter().any(|&i| visit(i)))
                            {
                                return true;
                            }
                        }
                    }
                }
            }
            if buckets.sorted.is_empty() {
                continue;
            }
            // More columns than boxes: read the boxes.
            if x1 - x0 >= buckets.sorted.len() as i64 {
                if buckets
                    .sorted
                    .iter()
                    .any(|&(key, i)| within(key) && visit(i as usize))
                {
                    return true;
                }
                continue;
            }
            // A column's buckets stand together in the list: one search
            // finds them.
            for bx in x0..=x1 {
                if buckets
                    .column(bx, y0..=y1)
                    .iter()
                    .any(|&(_, i)| visit(i as usize))
                {
                    return true;
                }
            }
        }
        false
    }

    /// The boxes meeting `area` (indices), or `None` as soon as there are
    /// more than `limit`: a long line's corridor can hold most of a large
    /// diagram, and it is only asked whether it holds too many.
    fn near_indices_up_to(&self, area: &Rect, limit: usize) -> Option<Vec<usize>> {
        let mut found = Vec::new();
        let over = self.scan(area, &mut |i| {
            if overlaps(&self.boxes[i], area) {
                found.push(i);
            }
            found.len() > limit
        });
        (!over).then_some(found)
    }

    /// Whether some box meeting `area` satisfies `test`.
    fn any_near(&self, area: &Rect, test: impl Fn(usize) -> bool) -> bool {
        self.scan(area, &mut |i| overlaps(&self.boxes[i], area) && test(i))
    }
}

impl Obstacles {
    /// Whether some box shares area with `area`.
    pub fn overlaps_any(&self, area: &Rect) -> bool {
        self.any_near(area, |_| true)
    }
}

/// Line segments indexed by area, to ask which of them pass through a box.
#[derive(Clone, Debug, Default)]
pub struct Segments {
    segments: Vec<(Point, Point)>,
    index: Obstacles,
}

impl Segments {
    /// The segments of every line, indexed at once.
    pub fn of<'a>(lines: impl IntoIterator<Item = &'a [Point]>) -> Segments {
        let mut segments = Vec::new();
        for points in lines {
            for w in points.windows(2) {
                // Long segments are indexed in pieces that fit the middle
                // scale's buckets: pieces half a small bucket long made
                // eight times the entries to build on every edit, for the
                // same answers (`cross` tests the segments themselves).
                let length = (w[1].0 - w[0].0).abs().max((w[1].1 - w[0].1).abs());
                let pieces = (length / (BUCKET * 4.0)).ceil().max(1.0).min(10_000.0) as usize;
                let at = |t: f64| {
                    (
                        w[0].0 + (w[1].0 - w[0].0) * t,
                        w[0].1 + (w[1].1 - w[0].1) * t,
                    )
                };
                for k in 0..pieces {
                    let (a, b) = (
                        at(k as f64 / pieces as f64),
                        at((k + 1) as f64 / pieces as f64),
                    );
                    // The index leaves out what is not drawn: so do the
                    // segments, each found by its place in the index.
                    if [a.0, a.1, b.0, b.1].iter().all(|v| v.is_finite()) {
                        segments.push((a, b));
                    }
                }
            }
        }
        let index = Obstacles::of(segments.iter().map(|&(a, b)| Rect::spanning(a, b)), 0.0);
        Segments { segments, index }
    }

    /// Whether a segment passes through the inside of `area`.
    pub fn cross(&self, area: &Rect) -> bool {
        self.index.any_near(&area.widened(1.0), |i| {
            let (a, b) = self.segments[i];
            segment_crosses(area, a, b)
        })
    }
}

fn overlaps(a: &Rect, b: &Rect) -> bool {
    a.x < b.right() && b.x < a.right() && a.y < b.bottom() && b.y < a.bottom()
}

fn strictly_inside(rect: &Rect, (x, y): Point) -> bool {
    const EPS: f64 = 1e-6;
    x > rect.x + EPS && x < rect.right() - EPS && y > rect.y + EPS && y < rect.bottom() - EPS
}

/// Whether an axis-parallel segment passes through the inside of `rect`.
pub fn segment_crosses(rect: &Rect, a: Point, b: Point) -> bool {
    const EPS: f64 = 1e-6;
    if (a.1 - b.1).abs() < EPS {
        let (lo, hi) = (a.0.min(b.0), a.0.max(b.0));
        a.1 > rect.y + EPS
            && a.1 < rect.bottom() - EPS
            && lo < rect.right() - EPS
            && hi > rect.x + EPS
    } else if (a.0 - b.0).abs() < EPS {
        let (lo, hi) = (a.1.min(b.1), a.1.max(b.1));
        a.0 > rect.x + EPS
            && a.0 < rect.right() - EPS
            && lo < rect.bottom() - EPS
            && hi > rect.y + EPS
    } else {
        // A diagonal (a fallback line): sample it finely enough for icons.
        let steps = (((b.0 - a.0).abs() + (b.1 - a.1).abs()) / 4.0)
            .ceil()
            .max(1.0) as usize;
        (0..=steps).any(|i| {
            let t = i as f64 / steps as f64;
            strictly_inside(rect, (a.0 + (b.0 - a.0) * t, a.1 + (b.1 - a.1) * t))
        })
    }
}

fn sorted_unique(mut values: Vec<f64>) -> Vec<f64> {
    values.retain(|v| v.is_finite());
    sorting::sort_by(&mut values, |a, b| a.total_cmp(b));
    values.dedup_by(|a, b| (*a - *b).abs() < 1e-6);
    values
}

#[derive(Clone, Copy, PartialEq)]
struct Open {
    /// Cost so far plus the least cost still to come.
    estimate: f64,
    cost: f64,
    state: usize,
}

impl Eq for Open {}

impl PartialOrd for Open {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Open {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        // Lowest estimate first; among equals the one furthest along (which
        // keeps A* from widening over equally good staircases), then by
        // state, so the result never depends on the heap's internals.
        other
            .estimate
            .total_cmp(&self.estimate)
            .then_with(|| self.cost.total_cmp(&other.cost))
            .then_with(|| other.state.cmp(&self.state))
    }
}

const HORIZONTAL: usize = 1;
const VERTICAL: usize = 2;

/// A route from box `from` to box `to`: the points of an orthogonal line
/// from `from`'s border to `to`'s, clear of `obstacles` (a box holding an
/// end's centre, such as the ends' own icons, does not count), each widened
/// by `spread` (room for lines drawn beside this one). `None` when there is
/// no such line nearby, or the ends overlap.
pub fn route(from: &Rect, to: &Rect, obstacles: &Obstacles, spread: f64) -> Option<Vec<Point>> {
    route_via(from, to, obstacles, spread, None, None)
}

/// The search that routes a line around obstacles: [`route_via`] in full.
/// The app's first load draws without it (the scene falls back to
/// [`simple_route`]) and receives it with the editor's module, so that its
/// A* and grid weigh on what arrives after the first paint.
pub type Search =
    fn(&Rect, &Rect, &Obstacles, f64, Option<Step>, Option<Point>) -> Option<Vec<Point>>;

/// A unit step on the grid: `(1, 0)` is rightwards, `(0, -1)` upwards.
pub type Step = (i8, i8);

/// The direction of a line's last segment.
pub fn last_step(points: &[Point]) -> Option<Step> {
    let [.., a, b] = points else { return None };
    let sign = |v: f64| {
        if v > 1e-6 {
            1
        } else if v < -1e-6 {
            -1
        } else {
            0
        }
    };
    Some((sign(b.0 - a.0), sign(b.1 - a.1)))
}

/// The cheapest arrival known at each state of a search, and the state it
/// came from. States are dense indices into the corridor's grid, so one flat
/// table serves every search on this thread: each entry is stamped with the
/// search that wrote it, so a new search starts without clearing anything.
/// (A map keyed by state was a third of the search's time.)
#[derive(Default)]
struct Arrivals {
    entries: Vec<Arrival>,
    search: u32,
}

#[derive(Clone, Copy, Default)]
struct Arrival {
    cost: f64,
    previous: usize,
    search: u32,
}

impl Arrivals {
    fn start(&mut self, states: usize) {
        self.search = self.search.wrapping_add(1);
        if self.search == 0 {
            // After 2^32 searches, stamps would repeat: forget them all.
            self.entries.iter_mut().for_each(|entry| entry.search = 0);
            self.search = 1;
        }
        if self.entries.len() < states {
            self.entries.resize(states, Arrival::default());
        }
    }

    fn get(&self, state: usize) -> Option<(f64, usize)> {
        self.entries
            .get(state)
            .filter(|entry| entry.search == self.search)
            .map(|entry| (entry.cost, entry.previous))
    }

    fn set(&mut self, state: usize, cost: f64, previous: usize) {
        if let Some(entry) = self.entries.get_mut(state) {
            *entry = Arrival {
                cost,
                previous,
                search: self.search,
            };
        }
    }
}

thread_local! {
    static ARRIVALS: RefCell<Arrivals> = RefCell::new(Arrivals::default());
}

/// A route that goes on from a line arriving at `from` in direction
/// `leaving` (it may go straight on or turn, never back over itself), and
/// that arrives at `to` going `toward` the next point where it can: a leg
/// between two bends of a line the user shaped.
pub fn route_via(
    from: &Rect,
    to: &Rect,
    obstacles: &Obstacles,
    spread: f64,
    leaving: Option<Step>,
    toward: Option<Point>,
) -> Option<Vec<Point>> {
    let spread = searched_spread(spread);
    let start = from.center();
    let goal = to.center();
    if overlaps(from, to) {
        return None;
    }
    let corridor = corridor(from, to);
    let Some(near) = searched_obstacles(obstacles, &corridor) else {
        return Some(simple_route(from, to, obstacles, spread));
    };
    let except: Vec<usize> = near
        .iter()
        .copied()
        .filter(|&i| {
            let b = obstacles.boxes[i].widened(spread);
            strictly_inside(&b, start) || strictly_inside(&b, goal)
        })
        .collect();
    let mut xs = vec![
        start.0,
        goal.0,
        (start.0 + goal.0) / 2.0,
        corridor.x,
        corridor.right(),
    ];
    let mut ys = vec![
        start.1,
        goal.1,
        (start.1 + goal.1) / 2.0,
        corridor.y,
        corridor.bottom(),
    ];
    for &i in &near {
        if except.contains(&i) {
            continue;
        }
        let b = obstacles.boxes[i].widened(spread);
        xs.extend([b.x, b.right()]);
        ys.extend([b.y, b.bottom()]);
    }
    // Lines stay inside the corridor, where every obstacle is known.
    xs.retain(|x| *x >= corridor.x && *x <= corridor.right());
    ys.retain(|y| *y >= corridor.y && *y <= corridor.bottom());
    let xs = sorted_unique(xs);
    let ys = sorted_unique(ys);
    let find = |values: &[f64], v: f64| values.iter().position(|x| (x - v).abs() < 1e-6);
    let (sx, sy) = (find(&xs, start.0)?, find(&ys, start.1)?);
    let (gx, gy) = (find(&xs, goal.0)?, find(&ys, goal.1)?);
    let (nx, ny) = (xs.len(), ys.len());
    let local = LocalGrid::new(
        &corridor,
        near.iter()
            .filter(|i| !except.contains(i))
            .map(|&i| obstacles.boxes[i].widened(spread)),
    );
    let blocked = |p: Point| local.blocks(p);

    // A state is a grid point and the direction it was reached in.
    let state_of = |ix: usize, iy: usize, dir: usize| (iy * nx + ix) * 3 + dir;
    let heuristic = |ix: usize, iy: usize, dir: usize| {
        let (dx, dy) = (xs[ix] - goal.0, ys[iy] - goal.1);
        let (off_x, off_y) = (dx.abs() > 1e-6, dy.abs() > 1e-6);
        // A turn is still needed when both coordinates differ, or when the
        // line runs across the axis it must still travel along.
        let turns = (off_x && (off_y || dir == VERTICAL)) || (off_y && dir == HORIZONTAL);
        dx.abs() + dy.abs() + if turns { BEND_COST } else { 0.0 }
    };
    // Arriving away from the next point would make the next leg double
    // back over this one: such an arrival costs as much as two bends.
    let doubling_back = |(dx, dy): (isize, isize)| {
        toward.is_some_and(|next| {
            let (ahead_x, ahead_y) = (next.0 - goal.0, next.1 - goal.1);
            (dx != 0 && (dx as f64) * ahead_x < -1e-6) || (dy != 0 && (dy as f64) * ahead_y < -1e-6)
        })
    };
    ARRIVALS.with_borrow_mut(|arrivals| {
        let best = &mut *arrivals;
        best.start(nx * ny * 3);
        let mut open = BinaryHeap::new();
        let start_dir = match leaving {
            Some((0, 0)) | None => 0,
            Some((_, 0)) => HORIZONTAL,
            Some(_) => VERTICAL,
        };
        let first = state_of(sx, sy, start_dir);
        best.set(first, 0.0, usize::MAX);
        open.push(Open {
            estimate: heuristic(sx, sy, start_dir),
            cost: 0.0,
            state: first,
        });
        let mut expansions = 0;
        let mut reached = None;
        while let Some(Open { cost, state, .. }) = open.pop() {
            if best.get(state).is_some_and(|(known, _)| cost > known) {
                continue;
            }
            let dir = state % 3;
            let cell = state / 3;
            let (ix, iy) = (cell % nx, cell / nx);
            if (ix, iy) == (gx, gy) {
                reached = Some(state);
                break;
            }
            expansions += 1;
            if expansions > MAX_EXPANSIONS {
                return Some(simple_route(from, to, obstacles, spread));
            }
            for (dx, dy, step_dir) in [
                (1, 0, HORIZONTAL),
                (-1, 0, HORIZONTAL),
                (0, 1, VERTICAL),
                (0, -1, VERTICAL),
            ] {
                if state == first
                    && leaving
                        .is_some_and(|(lx, ly)| (isize::from(lx), isize::from(ly)) == (-dx, -dy))
                {
                    continue;
                }
                let (Some(jx), Some(jy)) = (ix.checked_add_signed(dx), iy.checked_add_signed(dy))
                else {
                    continue;
                };
                if jx >= nx || jy >= ny {
                    continue;
                }
                let to_point = (xs[jx], ys[jy]);
                let mid = ((xs[ix] + xs[jx]) / 2.0, (ys[iy] + ys[jy]) / 2.0);
                if blocked(mid) || blocked(to_point) {
                    continue;
                }
                let length = (xs[jx] - xs[ix]).abs() + (ys[jy] - ys[iy]).abs();
                let bend = if dir != 0 && dir != step_dir {
                    BEND_COST
                } else {
                    0.0
                };
                let arrival = if (jx, jy) == (gx, gy) && doubling_back((dx, dy)) {
                    2.0 * BEND_COST
                } else {
                    0.0
                };
                let next_cost = cost + length + bend + arrival;
                let next = state_of(jx, jy, step_dir);
                if best
                    .get(next)
                    .is_none_or(|(known, _)| next_cost < known - 1e-9)
                {
                    best.set(next, next_cost, state);
                    open.push(Open {
                        estimate: next_cost + heuristic(jx, jy, step_dir),
                        cost: next_cost,
                        state: next,
                    });
                }
            }
        }
        let mut state = reached?;
        let mut points = Vec::new();
        loop {
            let cell = state / 3;
            points.push((xs[cell % nx], ys[cell / nx]));
            let (_, previous) = best.get(state)?;
            if previous == usize::MAX {
                break;
            }
            state = previous;
        }
        points.reverse();
        let points = simplify(points);
        Some(clip_ends(points, from, to))
    })
}

/// The route the search gives a line whose corridor holds too many
/// obstacles to search ([`MAX_SEARCHED_OBSTACLES`]): its simplest shape,
/// exactly as [`route_via`] answers it. `None` when the corridor can be
/// searched (or the ends overlap). Cheap: the count stops at the limit.
pub fn crowded_route(
    from: &Rect,
    to: &Rect,
    obstacles: &Obstacles,
    spread: f64,
) -> Option<Vec<Point>> {
    if overlaps(from, to) {
        return None;
    }
    let crowded = searched_obstacles(obstacles, &corridor(from, to)).is_none();
    crowded.then(|| simple_route(from, to, obstacles, searched_spread(spread)))
}

/// The obstacles a search weighs in a corridor, or `None` when there are
/// more than it takes: [`route_via`] and [`crowded_route`] decide alike.
fn searched_obstacles(obstacles: &Obstacles, corridor: &Rect) -> Option<Vec<usize>> {
    obstacles.near_indices_up_to(corridor, MAX_SEARCHED_OBSTACLES)
}

/// The spread a search keeps between parallel lines, at most [`MAX_SPREAD`].
fn searched_spread(spread: f64) -> f64 {
    spread.max(0.0).min(MAX_SPREAD)
}

/// Where a route between two boxes looks for obstacles: while the ends and
/// the obstacles in there stay the same, so does the route.
pub fn corridor(from: &Rect, to: &Rect) -> Rect {
    from.union(to).widened(CORRIDOR)
}

/// One route's obstacles in a dense grid of cells over its corridor, so
/// that the search's many point tests are array lookups.
struct LocalGrid {
    origin: Point,
    columns: usize,
    rows: usize,
    cells: Vec<Vec<u32>>,
    boxes: Vec<Rect>,
}

const LOCAL_CELL: f64 = 96.0;

impl LocalGrid {
    fn new(area: &Rect, boxes: impl Iterator<Item = Rect>) -> LocalGrid {
        let columns = ((area.w / LOCAL_CELL).ceil() as usize).clamp(1, 512);
        let rows = ((area.h / LOCAL_CELL).ceil() as usize).clamp(1, 512);
        let mut grid = LocalGrid {
            origin: (area.x, area.y),
            columns,
            rows,
            cells: vec![Vec::new(); columns * rows],
            boxes: boxes.collect(),
        };
        for (index, b) in grid.boxes.iter().enumerate() {
            let (c0, r0) = grid.cell_of((b.x, b.y));
            let (c1, r1) = grid.cell_of((b.right(), b.bottom()));
            for r in r0..=r1 {
                for c in c0..=c1 {
                    grid.cells[r * columns + c].push(index as u32);
                }
            }
        }
        grid
    }

    /// The cell holding a point, clamped to the grid.
    fn cell_of(&self, (x, y): Point) -> (usize, usize) {
        let column = ((x - self.origin.0) / LOCAL_CELL).floor();
        let row = ((y - self.origin.1) / LOCAL_CELL).floor();
        (
            column.max(0.0).min((self.columns - 1) as f64) as usize,
            row.max(0.0).min((self.rows - 1) as f64) as usize,
        )
    }

    fn blocks(&self, point: Point) -> bool {
        let (c, r) = self.cell_of(point);
        self.cells[r * self.columns + c]
            .iter()
            .any(|&i| strictly_inside(&self.boxes[i as usize], point))
    }
}

/// The one of the four simplest orthogonal shapes (two L's, two Z's) that
/// crosses the fewest obstacles, then has the fewest bends.
pub fn simple_route(from: &Rect, to: &Rect, obstacles: &Obstacles, spread: f64) -> Vec<Point> {
    let mut best: Option<(usize, usize, Vec<Point>)> = None;
    for path in simple_shapes(from, to) {
        // Counting stops once a shape is worse than the best so far, or
        // past a few dozen crossings (a line across a whole large diagram
        // crosses hundreds whichever way it goes; counting them all made
        // drawing 5,000 nodes read every icon for every such line).
        let limit = best
            .as_ref()
            .map_or(MAX_COUNTED_CROSSINGS, |(h, ..)| *h)
            .min(MAX_COUNTED_CROSSINGS);
        let mut hits = 0;
        for w in path.windows(2) {
            let area = scanned_area(w[0], w[1], spread);
            obstacles.scan(&area, &mut |i| {
                if overlaps(&obstacles.boxes[i], &area) {
                    let b = obstacles.boxes[i].widened(spread);
                    if !strictly_inside(&b, from.center())
                        && !strictly_inside(&b, to.center())
                        && segment_crosses(&b, w[0], w[1])
                    {
                        hits += 1;
                    }
                }
                hits > limit
            });
            if hits > limit {
                break;
            }
        }
        let hits = hits.min(MAX_COUNTED_CROSSINGS);
        let bends = path.len();
        if best
            .as_ref()
            .is_none_or(|(h, n, _)| (hits, bends) < (*h, *n))
        {
            best = Some((hits, bends, path));
        }
    }
    best.map(|(_, _, path)| path).unwrap_or_default()
}

/// The shapes [`simple_route`] chooses from: one bend either way, or two
/// through the middle either way, cut at the ends' borders.
fn simple_shapes(from: &Rect, to: &Rect) -> [Vec<Point>; 4] {
    let (a, b) = (from.center(), to.center());
    let mid = ((a.0 + b.0) / 2.0, (a.1 + b.1) / 2.0);
    [
        vec![a, (b.0, a.1), b],
        vec![a, (a.0, b.1), b],
        vec![a, (mid.0, a.1), (mid.0, b.1), b],
        vec![a, (a.0, mid.1), (b.0, mid.1), b],
    ]
    .map(|shape| clip_ends(simplify(shape), from, to))
}

/// Where [`simple_route`] looks for the obstacles a segment crosses.
fn scanned_area(a: Point, b: Point, spread: f64) -> Rect {
    Rect::spanning(a, b).widened(spread + 1.0)
}

/// The obstacles an edit changed: each as it was and as it is.
#[derive(Clone, Debug, Default)]
pub struct Changed {
    pub was: Vec<Rect>,
    pub now: Vec<Rect>,
}

impl Changed {
    pub fn iter(&self) -> impl Iterator<Item = &Rect> {
        self.was.iter().chain(&self.now)
    }
}

/// Whether a crowded line's route ([`crowded_route`]) between boxes that
/// stayed put is still what it was after obstacles `changed`: the
/// corridor is still too crowded to search, and no changed obstacle lies
/// where the simple shapes look, so every shape crosses what it crossed.
/// An edit inside a large VPC meets the corridors of hundreds of such
/// lines and the shapes of a few.
pub fn crowded_route_holds(
    from: &Rect,
    to: &Rect,
    obstacles: &Obstacles,
    spread: f64,
    changed: &Changed,
) -> bool {
    let spread = searched_spread(spread);
    let untouched = simple_shapes(from, to).iter().all(|path| {
        path.windows(2).all(|w| {
            let area = scanned_area(w[0], w[1], spread);
            !changed.iter().any(|rect| overlaps(rect, &area))
        })
    });
    if !untouched || overlaps(from, to) {
        return false;
    }
    // As many changed boxes in the corridor as before (a box moved within
    // it) leave it as crowded as it was; otherwise count again.
    let corridor = corridor(from, to);
    let inside = |boxes: &[Rect]| {
        boxes
            .iter()
            .filter(|rect| overlaps(rect, &corridor))
            .count()
    };
    inside(&changed.now) >= inside(&changed.was)
        || searched_obstacles(obstacles, &corridor).is_none()
}

/// Drops points in the middle of straight runs.
pub fn simplify(points: Vec<Point>) -> Vec<Point> {
    let mut out: Vec<Point> = Vec::with_capacity(points.len());
    for p in points {
        if out.last().is_some_and(|last| same(*last, p)) {
            continue;
        }
        if out.len() >= 2 {
            let a = out[out.len() - 2];
            let b = out[out.len() - 1];
            let collinear = ((a.0 - b.0).abs() < 1e-6 && (b.0 - p.0).abs() < 1e-6)
                || ((a.1 - b.1).abs() < 1e-6 && (b.1 - p.1).abs() < 1e-6);
            if collinear {
                out.pop();
            }
        }
        out.push(p);
    }
    out
}

fn same(a: Point, b: Point) -> bool {
    (a.0 - b.0).abs() < 1e-6 && (a.1 - b.1).abs() < 1e-6
}

fn inside_or_on(rect: &Rect, (x, y): Point) -> bool {
    x >= rect.x - 1e-6
        && x <= rect.right() + 1e-6
        && y >= rect.y - 1e-6
        && y <= rect.bottom() + 1e-6
}

/// Where the segment from `inside` (in the box) to `outside` leaves the box.
fn exit_point(rect: &Rect, inside: Point, outside: Point) -> Point {
    let (dx, dy) = (outside.0 - inside.0, outside.1 - inside.1);
    let mut t: f64 = 1.0;
    if dx > 0.0 {
        t = t.min((rect.right() - inside.0) / dx);
    } else if dx < 0.0 {
        t = t.min((rect.x - inside.0) / dx);
    }
    if dy > 0.0 {
        t = t.min((rect.bottom() - inside.1) / dy);
    } else if dy < 0.0 {
        t = t.min((rect.y - inside.1) / dy);
    }
    let t = t.max(0.0).min(1.0);
    (inside.0 + dx * t, inside.1 + dy * t)
}

/// Cuts a centre-to-centre line at the borders of its two boxes.
pub fn clip_ends(points: Vec<Point>, from: &Rect, to: &Rect) -> Vec<Point> {
    if points.len() < 2 {
        return points;
    }
    // The start: skip the points inside `from`, begin where the line leaves it.
    let leave = points
        .iter()
        .position(|p| !inside_or_on(from, *p))
        .unwrap_or(points.len() - 1)
        .max(1);
    let mut out = vec![exit_point(from, points[leave - 1], points[leave])];
    out.extend_from_slice(&points[leave..]);
    // The end: stop where the line enters `to`.
    let enter = out
        .iter()
        .rposition(|p| !inside_or_on(to, *p))
        .unwrap_or(0)
        .min(out.len() - 2);
    let last = exit_point(to, out[enter + 1], out[enter]);
    out.truncate(enter + 1);
    out.push(last);
    simplify(out)
}

/// The same orthogonal line moved `offset` units to the left of its
/// direction (a right-hand offset when negative), corners kept square, ends
/// kept on the borders they leave from.
pub fn offset(points: &[Point], offset: f64) -> Vec<Point> {
    if offset == 0.0 || points.len() < 2 {
        return points.to_vec();
    }
    let normal = |a: Point, b: Point| {
        let (dx, dy) = (b.0 - a.0, b.1 - a.1);
        let length = (dx * dx + dy * dy).sqrt();
        if length == 0.0 {
            (0.0, 0.0)
        } else {
            (-dy / length * offset, dx / length * offset)
        }
    };
    let shifted: Vec<(Point, Point)> = points
        .windows(2)
        .map(|w| {
            let (nx, ny) = normal(w[0], w[1]);
            ((w[0].0 + nx, w[0].1 + ny), (w[1].0 + nx, w[1].1 + ny))
        })
        .collect();
    let mut out = vec![shifted[0].0];
    for pair in shifted.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        let vertical_first = (a.0 .0 - a.1 .0).abs() < 1e-6;
        // The corner of two perpendicular shifted segments.
        out.push(if vertical_first {
            (a.0 .0, b.0 .1)
        } else {
            (b.0 .0, a.0 .1)
        });
    }
    out.push(shifted[shifted.len() - 1].1);
    out
}

/// Total length of a line.
pub fn length(points: &[Point]) -> f64 {
    points
        .windows(2)
        .map(|w| ((w[1].0 - w[0].0).powi(2) + (w[1].1 - w[0].1).powi(2)).sqrt())
        .sum()
}

/// How many times two lines cross (touching ends do not count).
pub fn crossings(a: &[Point], b: &[Point]) -> usize {
    let mut count = 0;
    for s in a.windows(2) {
        for t in b.windows(2) {
            if proper_intersection(s[0], s[1], t[0], t[1]) {
                count += 1;
            }
        }
    }
    count
}

fn proper_intersection(p1: Point, p2: Point, p3: Point, p4: Point) -> bool {
    let orient = |a: Point, b: Point, c: Point| {
        let v = (b.0 - a.0) * (c.1 - a.1) - (b.1 - a.1) * (c.0 - a.0);
        if v > 1e-9 {
            1
        } else if v < -1e-9 {
            -1
        } else {
            0
        }
    };
    let (d1, d2) = (orient(p3, p4, p1), orient(p3, p4, p2));
    let (d3, d4) = (orient(p1, p2, p3), orient(p1, p2, p4));
    d1 * d2 < 0 && d3 * d4 < 0
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Boxes of every scale, some beyond all of them, in a field `spread`
    /// wide with negative coordinates too.
    fn boxes(spread: u32) -> Vec<Rect> {
        let mut state = 0x9e37_79b9_u32;
        let mut random = move |below: u32| {
            state ^= state << 13;
            state ^= state >> 17;
            state ^= state << 5;
            f64::from(state % below)
        };
        (0..600)
            .map(|i| {
                let side = [30, 400, 3_000, 30_000][i % 4];
                Rect::new(
                    random(spread) - f64::from(spread / 2),
                    random(spread) - f64::from(spread / 2),
                    random(side) + 1.0,
                    random(side) + 1.0,
                )
            })
            .collect()
    }

    /// A line with a point not drawn (a hostile file's) leaves the other
    /// lines found where they are.
    #[test]
    fn a_segment_not_drawn_leaves_the_others_found() {
        let broken: &[Point] = &[(f64::NAN, 0.0), (0.0, 0.0)];
        let drawn: &[Point] = &[(100.0, 50.0), (300.0, 50.0)];
        let segments = Segments::of([broken, drawn]);
        assert!(segments.cross(&Rect::new(180.0, 40.0, 20.0, 20.0)));
        assert!(!segments.cross(&Rect::new(180.0, 140.0, 20.0, 20.0)));
    }

    /// Boxes spread wide are sorted into buckets by comparison, boxes close
    /// together by counting: both ways answer alike.
    #[test]
    fn the_index_finds_what_a_scan_of_every_box_finds_built_at_once_or_box_by_box() {
        for spread in [40_000, 3_000] {
            let all = boxes(spread);
            let at_once = Obstacles::of(all.iter().copied(), 3.0);
            let mut one_by_one = Obstacles::default();
            for rect in &all {
                one_by_one.add(*rect, 3.0);
            }
            for (k, area) in boxes(spread).iter().rev().enumerate() {
                let expected: Vec<usize> = (0..all.len())
                    .filter(|&i| overlaps(&all[i].widened(3.0), area))
                    .collect();
                for index in [&at_once, &one_by_one] {
                    let mut found = index
                        .near_indices_up_to(area, usize::MAX)
                        .unwrap_or_default();
                    found.sort_unstable();
                    assert_eq!(found, expected, "spread {spread}, area {k}");
                    assert_eq!(index.overlaps_any(area), !expected.is_empty());
                }
                // Past the limit, the answer is that there are too many.
                if expected.len() > 2 {
                    assert_eq!(at_once.near_indices_up_to(area, 2), None);
                }
            }
        }
    }
}
