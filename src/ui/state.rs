//! The app's state: the diagram, its undo history, and what the user is
//! looking at. Everything here is session state except the diagram itself.

/// The camera is domain math (tested natively); the app holds one.
pub use crate::domain::camera::Camera;
use crate::domain::edit::duplicate::Clipboard;
use crate::domain::edit::{Command, History};
use crate::domain::model::{Diagram, EdgeId, KindTag, NodeId, Rect};
use crate::domain::scene::CarriedRoutes;
use crate::domain::templates;
use leptos::prelude::*;

/// A pointer gesture in progress. Positions are in diagram units.
#[derive(Clone, Debug, PartialEq)]
pub enum Gesture {
    /// Moving the selection: shown as an offset until the pointer is released,
    /// then applied as one command.
    Move {
        ids: Vec<NodeId>,
        start: (f64, f64),
        delta: (f64, f64),
        started: bool,
    },
    Connect {
        from: NodeId,
        start: (f64, f64),
        to: (f64, f64),
    },
    Band {
        start: (f64, f64),
        end: (f64, f64),
        adding: bool,
    },
    Pan {
        client: (f64, f64),
        camera: Camera,
    },
    Resize {
        id: NodeId,
        start: (f64, f64),
        rect: Rect,
        preview: Rect,
    },
    /// Bending a traffic edge's line; `started` once the pointer has
    /// travelled far enough to be a drag.
    Bend {
        drag: BendDrag,
        started: bool,
    },
    /// Dragging a kind from the palette; `client` is the pointer in pixels.
    Palette {
        kind: KindTag,
        client: (f64, f64),
    },
}

/// A line dragged from `start` to `at`: the bend at `handle` moves, or a
/// new one is made. `path` and `bends` are the line's when the press began.
#[derive(Clone, Debug, PartialEq)]
pub struct BendDrag {
    pub edge: EdgeId,
    pub path: Vec<(f64, f64)>,
    pub bends: Vec<(f64, f64)>,
    pub handle: Option<usize>,
    pub start: (f64, f64),
    pub at: (f64, f64),
}

impl BendDrag {
    /// The line's bends as the drag leaves them, and the dragged one's index.
    pub fn bent(&self) -> (Vec<(f64, f64)>, usize) {
        crate::domain::edit::line::dragged(
            &self.path,
            &self.bends,
            self.handle,
            self.start,
            self.at,
        )
    }
}

#[derive(Clone, Copy)]
pub struct AppState {
    pub diagram: RwSignal<Diagram>,
    history: StoredValue<History>,
    /// Bumped on every change so undo/redo availability re-renders.
    revision: RwSignal<u64>,
    /// Selected nodes, in the order they were picked.
    pub selection: RwSignal<Vec<NodeId>>,
    pub selected_edge: RwSignal<Option<EdgeId>>,
    /// A selected relationship line (`relate::Link::key`).
    pub selected_link: RwSignal<Option<String>>,
    pub hovered_edge: RwSignal<Option<EdgeId>>,
    /// A short message for the user (a refused edit, an applied fix).
    pub notice: RwSignal<Option<String>>,
    pub camera: RwSignal<Camera>,
    /// The canvas's size in pixels.
    pub view_size: RwSignal<(f64, f64)>,
    pub gesture: RwSignal<Option<Gesture>>,
    pub clipboard: StoredValue<Option<Clipboard>>,
    pub help_open: RwSignal<bool>,
    /// The inspector's "Connect to" list is open (C, or its button).
    pub connect_open: RwSignal<bool>,
    /// A first visit's example is on screen, not yet edited.
    pub example: RwSignal<bool>,
    /// Space is held: a drag pans instead of selecting or moving.
    pub space_held: StoredValue<bool>,
    /// The browser-storage entry this diagram autosaves to, if any.
    pub entry: RwSignal<Option<String>>,
    /// The entry's revision as this tab last read or wrote it.
    pub entry_revision: StoredValue<u32>,
    /// Why the latest change is not in browser storage; `None` when it is.
    pub unsaved: RwSignal<Option<String>>,
    /// Another tab saved this diagram too: both versions are offered.
    pub conflict: RwSignal<bool>,
    /// The diagram changed since it was last written to browser storage.
    pub dirty: StoredValue<bool>,
    /// The canvas has measured itself; until then a fit waits for it.
    pub measured: StoredValue<bool>,
    fit_pending: StoredValue<bool>,
    /// What an import made of each resource of the template now on screen
    /// (the file's name and `Report::encode`'s lines), until dismissed or
    /// another diagram opens.
    pub import_report: RwSignal<Option<(String, String)>>,
    /// Routes the worker found for the diagram at a revision: the lines
    /// the canvas left in simple shapes rather than search them all here.
    pub routes: RwSignal<Option<(u64, std::sync::Arc<CarriedRoutes>)>>,
}

impl AppState {
    pub fn new() -> AppState {
        AppState {
            diagram: RwSignal::new(templates::first_visit()),
            history: StoredValue::new(History::new()),
            revision: RwSignal::new(0),
            selection: RwSignal::new(Vec::new()),
            selected_edge: RwSignal::new(None),
            selected_link: RwSignal::new(None),
            hovered_edge: RwSignal::new(None),
            notice: RwSignal::new(None),
            camera: RwSignal::new(Camera {
                x: 0.0,
                y: 0.0,
                zoom: 1.0,
            }),
            view_size: RwSignal::new((1280.0, 720.0)),
            gesture: RwSignal::new(None),
            clipboard: StoredValue::new(None),
            help_open: RwSignal::new(false),
            import_report: RwSignal::new(None),
            routes: RwSignal::new(None),
            connect_open: RwSignal::new(false),
            example: RwSignal::new(false),
            space_held: StoredValue::new(false),
            entry: RwSignal::new(None),
            entry_revision: StoredValue::new(0),
            unsaved: RwSignal::new(None),
            conflict: RwSignal::new(false),
            dirty: StoredValue::new(false),
            measured: StoredValue::new(false),
            fit_pending: StoredValue::new(true),
        }
    }

    /// Applies a command as one undoable step; a refused command leaves the
    /// diagram as it was and says why.
    pub fn run(&self, command: Command) -> bool {
        self.run_merging(command, None)
    }

    /// Like `run`, but folds into the previous step when it carries the same
    /// merge key (arrow-key nudges of one selection, say).
    pub fn run_merging(&self, command: Command, merge_key: Option<String>) -> bool {
        let mut outcome = Ok(());
        self.diagram.update(|diagram| {
            self.history.update_value(|history| {
                outcome = history.execute_merging(diagram, command, merge_key)
            });
        });
        match outcome {
            Ok(()) => {
                self.revision.update(|n| *n += 1);
                self.dirty.set_value(true);
                self.forget_missing();
                if self.example.get_untracked() {
                    self.example.set(false);
                }
                // Someone editing will likely save or export: have the worker
                // ready (and cached) before they ask, so those are quick and
                // work even if the network drops later.
                super::browser::warm_worker();
                true
            }
            Err(error) => {
                self.notice.set(Some(error.to_string()));
                false
            }
        }
    }

    /// Runs a gesture's outcome: the command, or the reason it was refused.
    pub fn attempt(&self, outcome: Result<Command, String>) -> bool {
        match outcome {
            Ok(command) => self.run(command),
            Err(message) => {
                self.notice.set(Some(message));
                false
            }
        }
    }

    /// Shows another diagram with a fresh history (opening an entry or a
    /// link): undo does not reach into a different diagram.
    pub fn load(&self, diagram: Diagram) {
        // Lines an older version drew where no traffic flows are settled by
        // the editor into what they mean; the first load only asks.
        let settle = crate::domain::edit::relate::needs_settling(&diagram);
        self.gesture.set(None);
        self.import_report.set(None);
        // The first visit's "this is an example" banner is about the seed;
        // whatever opens next is the user's (the first visit sets it again
        // after opening the seed).
        self.example.set(false);
        self.history.set_value(History::new());
        self.diagram.set(diagram);
        self.revision.update(|n| *n += 1);
        self.clear_selection();
        if settle {
            super::editor::send(*self, super::editor::Request::Settle);
        }
    }

    /// The diagram as its lines are settled on reading: part of opening it,
    /// so no undo step, but saved like an edit.
    pub fn settled(&self, diagram: Diagram) {
        self.diagram.set(diagram);
        self.revision.update(|n| *n += 1);
        self.dirty.set_value(true);
        self.forget_missing();
    }

    pub fn undo(&self) {
        let mut done = false;
        self.diagram.update(|diagram| {
            self.history
                .update_value(|history| done = history.undo(diagram))
        });
        if done {
            self.revision.update(|n| *n += 1);
            self.dirty.set_value(true);
            self.forget_missing();
        }
    }

    pub fn redo(&self) {
        let mut done = false;
        self.diagram.update(|diagram| {
            self.history
                .update_value(|history| done = history.redo(diagram))
        });
        if done {
            self.revision.update(|n| *n += 1);
            self.dirty.set_value(true);
            self.forget_missing();
        }
    }

    /// A number every change of the diagram increases (tracked).
    pub fn revision(&self) -> u64 {
        self.revision.get()
    }

    pub fn revision_untracked(&self) -> u64 {
        self.revision.get_untracked()
    }

    /// How many changes of this session undo reaches back.
    pub fn undo_depth(&self) -> usize {
        self.revision.track();
        self.history.with_value(History::undo_depth)
    }

    /// The diagram as it was `steps` changes ago; nothing is undone.
    pub fn as_it_was(&self, steps: usize) -> Option<Diagram> {
        self.diagram.with_untracked(|diagram| {
            self.history
                .with_value(|history| history.as_it_was(diagram, steps))
        })
    }

    pub fn can_undo(&self) -> bool {
        self.revision.track();
        self.history.with_value(History::can_undo)
    }

    pub fn can_redo(&self) -> bool {
        self.revision.track();
        self.history.with_value(History::can_redo)
    }

    /// Drops selected things an edit or an undo removed.
    fn forget_missing(&self) {
        let (nodes, edge) = self.diagram.with_untracked(|diagram| {
            let nodes: Vec<NodeId> = self
                .selection
                .get_untracked()
                .into_iter()
                .filter(|id| diagram.node(id).is_some())
                .collect();
            let edge = self
                .selected_edge
                .get_untracked()
                .filter(|id| diagram.edges.iter().any(|e| &e.id == id));
            (nodes, edge)
        });
        if nodes != self.selection.get_untracked() {
            self.selection.set(nodes);
        }
        if edge != self.selected_edge.get_untracked() {
            self.selected_edge.set(edge);
        }
        if let Some(key) = self.selected_link.get_untracked() {
            let held = self.diagram.with_untracked(|diagram| {
                crate::domain::edit::relate::Link::parse(&key)
                    .is_some_and(|link| crate::domain::edit::relate::links(diagram).contains(&link))
            });
            if !held {
                self.selected_link.set(None);
            }
        }
    }

    pub fn select_only(&self, id: NodeId) {
        self.selected_edge.set(None);
        self.selected_link.set(None);
        self.connect_open.set(false);
        self.selection.set(vec![id]);
    }

    pub fn clear_selection(&self) {
        self.selected_edge.set(None);
        self.selected_link.set(None);
        self.connect_open.set(false);
        self.selection.set(Vec::new());
    }

    /// The part of the diagram the canvas shows, in diagram units.
    pub fn visible_area(&self) -> Rect {
        let camera = self.camera.get_untracked();
        let (w, h) = self.view_size.get_untracked();
        Rect::new(camera.x, camera.y, w / camera.zoom, h / camera.zoom)
    }

    /// The one selected node, when exactly one is.
    pub fn primary(&self) -> Option<NodeId> {
        self.selection.with(|s| match s.as_slice() {
            [only] => Some(only.clone()),
            _ => None,
        })
    }

    /// Shows exactly this part of the diagram (a restored view).
    pub fn set_camera(&self, camera: Camera) {
        self.fit_pending.set_value(false);
        self.camera.set(camera);
    }

    /// Called once the canvas knows its size: a fit asked for earlier happens now.
    pub fn canvas_measured(&self) {
        self.measured.set_value(true);
        if self.fit_pending.get_value() {
            self.zoom_to_fit();
        }
    }

    /// Selects a node and brings it into view (a problem or a search result
    /// pointing at it).
    pub fn reveal(&self, id: NodeId) {
        let rect = self
            .diagram
            .with_untracked(|diagram| diagram.layout.get(&id).copied());
        self.select_only(id);
        if let Some(rect) = rect {
            let camera = self
                .camera
                .get_untracked()
                .revealing(rect, self.view_size.get_untracked());
            self.set_camera(camera);
        }
    }

    /// Frames the whole diagram.
    pub fn zoom_to_fit(&self) {
        self.fit_pending.set_value(!self.measured.get_value());
        let bounds = self.diagram.with_untracked(crate::domain::scene::bounds);
        self.camera
            .set(Camera::fit(bounds, self.view_size.get_untracked()));
    }
}

pub fn use_app() -> AppState {
    expect_context::<AppState>()
}
