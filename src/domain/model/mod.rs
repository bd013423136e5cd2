//! The diagram model: a typed document for everything a user can draw.
//!
//! Infrastructure facts ([`Node`], [`TrafficEdge`]) are kept apart from canvas
//! geometry ([`Rect`] in [`Diagram::layout`]); which box a node is drawn in is
//! derived from the facts ([`Diagram::container_of`]).

mod cidr;
mod diagram;
mod ids;
mod kind;
mod node;

pub use cidr::{Cidr, CidrError, CIDR_PATTERN};
pub use diagram::{container_in, AccessScope, Bend, Diagram, Rect, TrafficEdge, SCHEMA_VERSION};
pub use ids::{EdgeId, InvalidId, NodeId, ScopeId, MAX_ID_LEN};
pub use kind::{Category, Duty, KindTag, Reference};
pub use node::*;
