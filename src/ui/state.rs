//! The app's state: the diagram, its undo history, and what the user is
//! looking at. Everything here is session state except the diagram itself.

use crate::domain::edit::{Command, History};
use crate::domain::model::{Diagram, EdgeId, NodeId};
use crate::domain::templates;
use leptos::prelude::*;

#[derive(Clone, Copy)]
pub struct AppState {
    pub diagram: RwSignal<Diagram>,
    history: StoredValue<History>,
    /// Bumped on every change so undo/redo availability re-renders.
    revision: RwSignal<u64>,
    pub selected: RwSignal<Option<NodeId>>,
    pub hovered_edge: RwSignal<Option<EdgeId>>,
    /// A short message for the user (a refused edit, an applied fix).
    pub notice: RwSignal<Option<String>>,
}

impl AppState {
    pub fn new() -> AppState {
        AppState {
            diagram: RwSignal::new(templates::seed()),
            history: StoredValue::new(History::new()),
            revision: RwSignal::new(0),
            selected: RwSignal::new(None),
            hovered_edge: RwSignal::new(None),
            notice: RwSignal::new(None),
        }
    }

    /// Applies a command as one undoable step; a refused command leaves the
    /// diagram as it was and says why.
    pub fn run(&self, command: Command) -> bool {
        let mut outcome = Ok(());
        self.diagram.update(|diagram| {
            self.history
                .update_value(|history| outcome = history.execute(diagram, command));
        });
        match outcome {
            Ok(()) => {
                self.revision.update(|n| *n += 1);
                true
            }
            Err(error) => {
                self.notice.set(Some(error.to_string()));
                false
            }
        }
    }

    pub fn undo(&self) {
        let mut done = false;
        self.diagram.update(|diagram| {
            self.history
                .update_value(|history| done = history.undo(diagram))
        });
        if done {
            self.revision.update(|n| *n += 1);
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
        }
    }

    pub fn can_undo(&self) -> bool {
        self.revision.track();
        self.history.with_value(History::can_undo)
    }

    pub fn can_redo(&self) -> bool {
        self.revision.track();
        self.history.with_value(History::can_redo)
    }
}

pub fn use_app() -> AppState {
    expect_context::<AppState>()
}
