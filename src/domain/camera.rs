//! What part of the diagram a view shows, and how it moves: framing the
//! whole diagram, zooming around a point, bringing a node into view. Pure
//! arithmetic on diagram units and pixels, so it is tested natively.

use crate::domain::model::Rect;

/// The part of the diagram the canvas shows: its top-left corner in diagram
/// units and how many screen pixels one unit takes.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Camera {
    pub x: f64,
    pub y: f64,
    pub zoom: f64,
}

impl Camera {
    pub const MIN_ZOOM: f64 = 0.1;
    pub const MAX_ZOOM: f64 = 4.0;

    /// The camera that shows `bounds` whole in a view of `size` pixels.
    pub fn fit(bounds: Option<Rect>, size: (f64, f64)) -> Camera {
        let Some(b) = bounds else {
            return Camera {
                x: 0.0,
                y: 0.0,
                zoom: 1.0,
            };
        };
        let margin = 40.0;
        let (w, h) = (b.w + 2.0 * margin, b.h + 2.0 * margin);
        let zoom = (size.0 / w)
            .min(size.1 / h)
            .clamp(Self::MIN_ZOOM, Self::MAX_ZOOM.min(1.5));
        Camera {
            x: b.x - margin - (size.0 / zoom - w) / 2.0,
            y: b.y - margin - (size.1 / zoom - h) / 2.0,
            zoom,
        }
    }

    /// The camera that shows `rect` whole: this one when it already does,
    /// else this zoom centred on it (zoomed out as far as needed to fit).
    pub fn revealing(self, rect: Rect, size: (f64, f64)) -> Camera {
        let margin = 24.0 / self.zoom;
        let (w, h) = (size.0 / self.zoom, size.1 / self.zoom);
        let inside = rect.x - margin >= self.x
            && rect.y - margin >= self.y
            && rect.right() + margin <= self.x + w
            && rect.bottom() + margin <= self.y + h;
        if inside {
            return self;
        }
        let fits = (size.0 / (rect.w + 96.0)).min(size.1 / (rect.h + 96.0));
        let zoom = self.zoom.min(fits).max(Self::MIN_ZOOM);
        let (cx, cy) = rect.center();
        Camera {
            x: cx - size.0 / zoom / 2.0,
            y: cy - size.1 / zoom / 2.0,
            zoom,
        }
    }

    /// Two fingers moved from `from` to `to` (pixels from the view's
    /// top-left): the diagram point under their first midpoint follows their
    /// midpoint, zoomed by how much farther apart they are.
    pub fn pinched(self, from: [(f64, f64); 2], to: [(f64, f64); 2]) -> Camera {
        let apart = |[a, b]: [(f64, f64); 2]| (a.0 - b.0).hypot(a.1 - b.1);
        let middle = |[a, b]: [(f64, f64); 2]| ((a.0 + b.0) / 2.0, (a.1 + b.1) / 2.0);
        let factor = if apart(from) > 0.0 {
            apart(to) / apart(from)
        } else {
            1.0
        };
        let (start, end) = (middle(from), middle(to));
        let zoom = (self.zoom * factor).clamp(Self::MIN_ZOOM, Self::MAX_ZOOM);
        let point = (self.x + start.0 / self.zoom, self.y + start.1 / self.zoom);
        Camera {
            x: point.0 - end.0 / zoom,
            y: point.1 - end.1 / zoom,
            zoom,
        }
    }

    /// What a view of `size` pixels shows, in diagram units.
    pub fn shows(self, size: (f64, f64)) -> Rect {
        Rect::new(self.x, self.y, size.0 / self.zoom, size.1 / self.zoom)
    }

    /// The part of the diagram the canvas draws for a view of `size`
    /// pixels: what it shows and a quarter more on each side. The region
    /// drawn `before` is kept while it still holds the view and is not more
    /// than twice as wide as a fresh one, so a short pan draws nothing new
    /// and zooming in drops what went far off screen.
    pub fn drawn_region(self, size: (f64, f64), before: Option<Rect>) -> Rect {
        let view = self.shows(size);
        let fresh = Rect::new(
            view.x - view.w / 4.0,
            view.y - view.h / 4.0,
            view.w * 1.5,
            view.h * 1.5,
        );
        match before {
            Some(kept)
                if kept.x <= view.x
                    && kept.y <= view.y
                    && kept.right() >= view.right()
                    && kept.bottom() >= view.bottom()
                    && kept.w <= fresh.w * 2.0 =>
            {
                kept
            }
            _ => fresh,
        }
    }

    /// Zooms by `factor` keeping the diagram point under `anchor` (pixels
    /// from the view's top-left) in place.
    pub fn zoomed(self, factor: f64, anchor: (f64, f64)) -> Camera {
        let zoom = (self.zoom * factor).clamp(Self::MIN_ZOOM, Self::MAX_ZOOM);
        let point = (self.x + anchor.0 / self.zoom, self.y + anchor.1 / self.zoom);
        Camera {
            x: point.0 - anchor.0 / zoom,
            y: point.1 - anchor.1 / zoom,
            zoom,
        }
    }
}
