//! The view's arithmetic: framing, zooming around a point, and bringing a
//! node into view (a problem clicked while its node is off screen).

use stackdraw::domain::camera::Camera;
use stackdraw::domain::model::Rect;

const VIEW: (f64, f64) = (1000.0, 600.0);

/// The diagram area the camera shows in `VIEW`.
fn shown(camera: Camera) -> Rect {
    Rect::new(
        camera.x,
        camera.y,
        VIEW.0 / camera.zoom,
        VIEW.1 / camera.zoom,
    )
}

fn contains(outer: Rect, inner: Rect) -> bool {
    inner.x >= outer.x
        && inner.y >= outer.y
        && inner.right() <= outer.right()
        && inner.bottom() <= outer.bottom()
}

#[test]
fn a_node_already_in_view_leaves_the_camera_alone() {
    let camera = Camera {
        x: 0.0,
        y: 0.0,
        zoom: 1.0,
    };
    let node = Rect::new(100.0, 100.0, 64.0, 64.0);
    assert_eq!(camera.revealing(node, VIEW), camera);
}

#[test]
fn a_node_off_screen_is_centred_at_the_same_zoom() {
    let camera = Camera {
        x: 0.0,
        y: 0.0,
        zoom: 2.0,
    };
    let node = Rect::new(3000.0, -800.0, 64.0, 64.0);
    let moved = camera.revealing(node, VIEW);
    assert_eq!(moved.zoom, 2.0);
    assert!(contains(shown(moved), node), "{moved:?} shows {node:?}");
    let (cx, cy) = node.center();
    let view = shown(moved);
    assert!((view.center().0 - cx).abs() < 1e-9 && (view.center().1 - cy).abs() < 1e-9);
}

#[test]
fn a_node_half_in_view_counts_as_off_screen() {
    let camera = Camera {
        x: 0.0,
        y: 0.0,
        zoom: 1.0,
    };
    let node = Rect::new(980.0, 100.0, 64.0, 64.0);
    assert_ne!(camera.revealing(node, VIEW), camera);
}

#[test]
fn a_container_larger_than_the_view_is_shown_whole_by_zooming_out() {
    let camera = Camera {
        x: 0.0,
        y: 0.0,
        zoom: 1.5,
    };
    let vpc = Rect::new(5000.0, 5000.0, 2400.0, 1500.0);
    let moved = camera.revealing(vpc, VIEW);
    assert!(moved.zoom < 1.5);
    assert!(contains(shown(moved), vpc), "{moved:?} shows {vpc:?}");
}

#[test]
fn zooming_keeps_the_point_under_the_pointer_and_fitting_shows_everything() {
    let camera = Camera {
        x: 100.0,
        y: 50.0,
        zoom: 1.0,
    };
    let anchor = (300.0, 200.0);
    let zoomed = camera.zoomed(2.0, anchor);
    let before = (
        camera.x + anchor.0 / camera.zoom,
        camera.y + anchor.1 / camera.zoom,
    );
    let after = (
        zoomed.x + anchor.0 / zoomed.zoom,
        zoomed.y + anchor.1 / zoomed.zoom,
    );
    assert!((before.0 - after.0).abs() < 1e-9 && (before.1 - after.1).abs() < 1e-9);
    assert_eq!(camera.zoomed(1000.0, anchor).zoom, Camera::MAX_ZOOM);

    let bounds = Rect::new(-200.0, 40.0, 3000.0, 900.0);
    assert!(contains(shown(Camera::fit(Some(bounds), VIEW)), bounds));
}

#[test]
fn a_pinch_zooms_by_the_fingers_spread_and_keeps_the_point_between_them_under_them() {
    let camera = Camera {
        x: 100.0,
        y: 50.0,
        zoom: 1.0,
    };
    let under = |camera: Camera, at: (f64, f64)| {
        (camera.x + at.0 / camera.zoom, camera.y + at.1 / camera.zoom)
    };
    // Fingers 100 px apart spread to 200 px, their midpoint moving right.
    let from = [(150.0, 200.0), (250.0, 200.0)];
    let to = [(160.0, 220.0), (360.0, 220.0)];
    let pinched = camera.pinched(from, to);
    assert!((pinched.zoom - 2.0).abs() < 1e-9);
    let (before, after) = (
        under(camera, (200.0, 200.0)),
        under(pinched, (260.0, 220.0)),
    );
    assert!((before.0 - after.0).abs() < 1e-9 && (before.1 - after.1).abs() < 1e-9);
    // Fingers that only move together pan; fingers at one point change nothing.
    let panned = camera.pinched(from, [(170.0, 200.0), (270.0, 200.0)]);
    assert_eq!((panned.zoom, panned.x, panned.y), (1.0, 80.0, 50.0));
    assert_eq!(camera.pinched([(5.0, 5.0); 2], [(5.0, 5.0); 2]), camera);
    // Zoom stays within its limits.
    assert_eq!(
        camera.pinched(from, [(0.0, 0.0), (100_000.0, 0.0)]).zoom,
        Camera::MAX_ZOOM
    );
}

/// The canvas draws what the view shows and a margin around it; a pan
/// within the margin keeps the region (nothing is drawn anew), one past it
/// or a zoom far in takes a fresh region around the new view.
#[test]
fn the_drawn_region_holds_the_view_and_is_kept_until_the_view_leaves_it() {
    let camera = Camera {
        x: 0.0,
        y: 0.0,
        zoom: 1.0,
    };
    let region = camera.drawn_region(VIEW, None);
    assert_eq!(camera.shows(VIEW), shown(camera));
    assert!(contains(region, shown(camera)));
    assert!(region.w > shown(camera).w && region.w <= 2.0 * shown(camera).w);
    // A short pan: the same region.
    let panned = Camera { x: 200.0, ..camera };
    assert_eq!(panned.drawn_region(VIEW, Some(region)), region);
    // Past the margin: a fresh region around the new view.
    let far = Camera { x: 400.0, ..camera };
    let moved = far.drawn_region(VIEW, Some(region));
    assert_ne!(moved, region);
    assert!(contains(moved, shown(far)));
    // Zoomed out: a larger region; zoomed back in, that one is dropped.
    let out = camera.zoomed(0.25, (500.0, 300.0));
    let wide = out.drawn_region(VIEW, Some(region));
    assert!(contains(wide, shown(out)) && wide.w > region.w * 3.0);
    let back = out.zoomed(4.0, (500.0, 300.0));
    let narrow = back.drawn_region(VIEW, Some(wide));
    assert!(contains(narrow, shown(back)) && narrow.w < wide.w / 2.0);
}
