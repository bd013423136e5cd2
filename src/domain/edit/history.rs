use super::command::{apply, Command, EditError};
use crate::domain::model::Diagram;

/// How many steps undo reaches back.
const DEPTH: usize = 500;

/// Undo and redo stacks of inverse commands. A step may carry a merge key:
/// consecutive steps with the same key (the moves of one drag, say) become one.
#[derive(Clone, Debug, Default)]
pub struct History {
    undo: Vec<Step>,
    redo: Vec<Step>,
}

#[derive(Clone, Debug)]
struct Step {
    inverse: Command,
    merge_key: Option<String>,
}

impl History {
    pub fn new() -> History {
        History::default()
    }

    /// Applies a command as a new undoable step.
    pub fn execute(&mut self, diagram: &mut Diagram, command: Command) -> Result<(), EditError> {
        self.execute_merging(diagram, command, None)
    }

    /// Like [`History::execute`], but folds into the previous step when that
    /// step has the same merge key, so a whole gesture undoes at once.
    pub fn execute_merging(
        &mut self,
        diagram: &mut Diagram,
        command: Command,
        merge_key: Option<String>,
    ) -> Result<(), EditError> {
        let inverse = apply(diagram, command)?;
        self.redo.clear();
        match self.undo.last_mut() {
            Some(last) if merge_key.is_some() && last.merge_key == merge_key => {
                // Undoing the merged step undoes the newest change first.
                let older = std::mem::replace(&mut last.inverse, Command::Batch(Vec::new()));
                last.inverse = Command::Batch(vec![inverse, older]);
            }
            _ => {
                self.undo.push(Step { inverse, merge_key });
                if self.undo.len() > DEPTH {
                    self.undo.remove(0);
                }
            }
        }
        Ok(())
    }

    /// Ends merging: the next step starts fresh even with the same key.
    pub fn seal(&mut self) {
        if let Some(last) = self.undo.last_mut() {
            last.merge_key = None;
        }
    }

    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }

    /// How many steps undo reaches back.
    pub fn undo_depth(&self) -> usize {
        self.undo.len()
    }

    /// The diagram as it was `steps` undoable steps ago, worked out on a
    /// copy: the diagram and the history stay as they are. `None` when the
    /// history does not reach that far back.
    pub fn as_it_was(&self, diagram: &Diagram, steps: usize) -> Option<Diagram> {
        if steps > self.undo.len() {
            return None;
        }
        let mut earlier = diagram.clone();
        for step in self.undo.iter().rev().take(steps) {
            apply(&mut earlier, step.inverse.clone()).ok()?;
        }
        Some(earlier)
    }

    /// Reverts the last step; false when there is nothing to undo.
    pub fn undo(&mut self, diagram: &mut Diagram) -> bool {
        let Some(step) = self.undo.pop() else {
            return false;
        };
        match apply(diagram, step.inverse) {
            Ok(redo) => {
                self.redo.push(Step {
                    inverse: redo,
                    merge_key: None,
                });
                true
            }
            Err(_) => false,
        }
    }

    /// Re-applies the last undone step; false when there is nothing to redo.
    pub fn redo(&mut self, diagram: &mut Diagram) -> bool {
        let Some(step) = self.redo.pop() else {
            return false;
        };
        match apply(diagram, step.inverse) {
            Ok(undo) => {
                self.undo.push(Step {
                    inverse: undo,
                    merge_key: None,
                });
                true
            }
            Err(_) => false,
        }
    }
}
