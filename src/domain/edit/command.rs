use crate::domain::model::{
    AccessScope, Diagram, EdgeId, Node, NodeId, Rect, ScopeId, TrafficEdge,
};
use std::fmt;

/// One change to a diagram. Commands are plain data, so fixes offered by
/// validation, editor gestures and tests all speak the same language.
#[derive(Clone, Debug, PartialEq)]
pub enum Command {
    /// Adds a node (at `index` in the node list, or at the end) and its box.
    AddNode {
        node: Node,
        rect: Option<Rect>,
        index: Option<usize>,
    },
    /// Removes a node nothing else refers to, with its box.
    RemoveNode {
        id: NodeId,
    },
    /// Replaces the node with the same id (a rename, a changed property).
    ReplaceNode {
        node: Node,
    },
    /// Sets or clears a node's box on the canvas.
    SetRect {
        id: NodeId,
        rect: Option<Rect>,
    },
    AddEdge {
        edge: TrafficEdge,
        index: Option<usize>,
    },
    RemoveEdge {
        id: EdgeId,
    },
    ReplaceEdge {
        edge: TrafficEdge,
    },
    /// Adds a "must not exist" scope.
    AddScope {
        scope: AccessScope,
        index: Option<usize>,
    },
    RemoveScope {
        id: ScopeId,
    },
    /// Sets the region everything regional is deployed to (zones and
    /// certificates move with it in the same batch; see `region.rs`).
    SetRegion {
        region: String,
    },
    /// Renames the diagram itself.
    SetName {
        name: String,
    },
    /// Replaces the whole diagram (opening a template, a file or a link).
    ReplaceDiagram(Box<Diagram>),
    /// Several commands as one step: all apply, or none.
    Batch(Vec<Command>),
    /// A fix that is costly to build (new endpoints, a new cluster):
    /// validation offers it by its label, and it is built from the diagram
    /// as it is when applied, in the editor, not on every analysis.
    Build(crate::domain::validate::Recipe),
}

/// Why a command cannot apply; the diagram is left as it was.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum EditError {
    NoSuchNode(NodeId),
    NoSuchEdge(EdgeId),
    NoSuchScope(ScopeId),
    DuplicateId(String),
    /// The node is still referred to by these nodes or edges.
    StillReferenced {
        id: NodeId,
        by: Vec<String>,
    },
    /// A fix that no longer applies to the diagram as it is.
    Stale(String),
}

impl fmt::Display for EditError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            EditError::NoSuchNode(id) => write!(f, "there is no node {id}"),
            EditError::NoSuchEdge(id) => write!(f, "there is no edge {id}"),
            EditError::NoSuchScope(id) => write!(f, "there is no scope {id}"),
            EditError::DuplicateId(id) => write!(f, "the id {id} is already taken"),
            EditError::Stale(why) => write!(f, "that fix no longer applies: {why}"),
            EditError::StillReferenced { id, by } => {
                write!(
                    f,
                    "{id} cannot be removed: {} still refer to it",
                    by.join(", ")
                )
            }
        }
    }
}

impl std::error::Error for EditError {}

/// Applies a command and returns the command that undoes it.
pub fn apply(diagram: &mut Diagram, command: Command) -> Result<Command, EditError> {
    match command {
        Command::Build(recipe) => {
            let built =
                crate::domain::validate::build(diagram, &recipe).map_err(EditError::Stale)?;
            apply(diagram, built)
        }
        Command::AddNode { node, rect, index } => {
            if diagram.node(&node.id).is_some() {
                return Err(EditError::DuplicateId(node.id.to_string()));
            }
            let id = node.id.clone();
            let at = index
                .unwrap_or(diagram.nodes.len())
                .min(diagram.nodes.len());
            diagram.nodes.insert(at, node);
            if at + 1 < diagram.nodes.len() {
                // The nodes after it moved up one.
                diagram.reindex();
            }
            if let Some(rect) = rect {
                diagram.layout.insert(id.clone(), rect);
            }
            Ok(Command::RemoveNode { id })
        }
        Command::RemoveNode { id } => {
            let at = position_of_node(diagram, &id)?;
            let by = referrers(diagram, &id);
            if !by.is_empty() {
                return Err(EditError::StillReferenced { id, by });
            }
            let node = diagram.nodes.remove(at);
            diagram.reindex();
            let rect = diagram.layout.remove(&id);
            Ok(Command::AddNode {
                node,
                rect,
                index: Some(at),
            })
        }
        Command::ReplaceNode { node } => {
            let at = position_of_node(diagram, &node.id)?;
            let old = std::mem::replace(&mut diagram.nodes[at], node);
            Ok(Command::ReplaceNode { node: old })
        }
        Command::SetRect { id, rect } => {
            position_of_node(diagram, &id)?;
            let old = match rect {
                Some(rect) => diagram.layout.insert(id.clone(), rect),
                None => diagram.layout.remove(&id),
            };
            Ok(Command::SetRect { id, rect: old })
        }
        Command::AddEdge { edge, index } => {
            if diagram.edges.iter().any(|e| e.id == edge.id) {
                return Err(EditError::DuplicateId(edge.id.to_string()));
            }
            for end in [&edge.from, &edge.to] {
                position_of_node(diagram, end)?;
            }
            let id = edge.id.clone();
            let at = index
                .unwrap_or(diagram.edges.len())
                .min(diagram.edges.len());
            diagram.edges.insert(at, edge);
            Ok(Command::RemoveEdge { id })
        }
        Command::RemoveEdge { id } => {
            let at = position_of_edge(diagram, &id)?;
            let edge = diagram.edges.remove(at);
            Ok(Command::AddEdge {
                edge,
                index: Some(at),
            })
        }
        Command::ReplaceEdge { edge } => {
            let at = position_of_edge(diagram, &edge.id)?;
            let old = std::mem::replace(&mut diagram.edges[at], edge);
            Ok(Command::ReplaceEdge { edge: old })
        }
        Command::AddScope { scope, index } => {
            if diagram.scopes.iter().any(|s| s.id == scope.id) {
                return Err(EditError::DuplicateId(scope.id.to_string()));
            }
            for end in [&scope.from, &scope.to] {
                position_of_node(diagram, end)?;
            }
            let id = scope.id.clone();
            let at = index
                .unwrap_or(diagram.scopes.len())
                .min(diagram.scopes.len());
            diagram.scopes.insert(at, scope);
            Ok(Command::RemoveScope { id })
        }
        Command::RemoveScope { id } => {
            let at = diagram
                .scopes
                .iter()
                .position(|scope| scope.id == id)
                .ok_or(EditError::NoSuchScope(id))?;
            let scope = diagram.scopes.remove(at);
            Ok(Command::AddScope {
                scope,
                index: Some(at),
            })
        }
        Command::SetRegion { region } => {
            let old = std::mem::replace(&mut diagram.region, region);
            Ok(Command::SetRegion { region: old })
        }
        Command::SetName { name } => {
            let old = std::mem::replace(&mut diagram.name, name);
            Ok(Command::SetName { name: old })
        }
        Command::ReplaceDiagram(replacement) => {
            let old = std::mem::replace(diagram, *replacement);
            Ok(Command::ReplaceDiagram(Box::new(old)))
        }
        Command::Batch(commands) => {
            let mut inverses = Vec::with_capacity(commands.len());
            for command in commands {
                match apply(diagram, command) {
                    Ok(inverse) => inverses.push(inverse),
                    Err(error) => {
                        // Roll back what already applied, newest first.
                        for inverse in inverses.into_iter().rev() {
                            let _ = apply(diagram, inverse);
                        }
                        return Err(error);
                    }
                }
            }
            inverses.reverse();
            Ok(Command::Batch(inverses))
        }
    }
}

fn position_of_node(diagram: &Diagram, id: &NodeId) -> Result<usize, EditError> {
    diagram
        .nodes
        .iter()
        .position(|node| &node.id == id)
        .ok_or_else(|| EditError::NoSuchNode(id.clone()))
}

fn position_of_edge(diagram: &Diagram, id: &EdgeId) -> Result<usize, EditError> {
    diagram
        .edges
        .iter()
        .position(|edge| &edge.id == id)
        .ok_or_else(|| EditError::NoSuchEdge(id.clone()))
}

/// Everything that refers to a node: other nodes, edges and scopes.
pub(crate) fn referrers(diagram: &Diagram, id: &NodeId) -> Vec<String> {
    let mut by: Vec<String> = diagram
        .nodes
        .iter()
        .filter(|node| node.kind.references().iter().any(|r| r.target == id))
        .map(|node| node.id.to_string())
        .collect();
    by.extend(
        diagram
            .edges
            .iter()
            .filter(|edge| &edge.from == id || &edge.to == id)
            .map(|edge| format!("edge {}", edge.id)),
    );
    by.extend(
        diagram
            .scopes
            .iter()
            .filter(|scope| &scope.from == id || &scope.to == id)
            .map(|scope| format!("scope {}", scope.id)),
    );
    by
}
