//! Identifiers chosen by the diagram itself, so exports never depend on a clock
//! or a random source and golden files stay stable.

use serde::{Deserialize, Serialize};
use std::fmt;

/// The longest id a file may carry; ids end up in logical ids and DOM attributes.
pub const MAX_ID_LEN: usize = 64;

/// Why a string cannot be an id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidId(pub String);

impl fmt::Display for InvalidId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

fn check_id(text: &str) -> Result<(), InvalidId> {
    if text.is_empty() {
        return Err(InvalidId("an id must not be empty".into()));
    }
    if text.len() > MAX_ID_LEN {
        return Err(InvalidId(format!(
            "an id must be at most {MAX_ID_LEN} characters, this one has {}",
            text.chars().count()
        )));
    }
    if let Some(bad) = text
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '-' || *c == '_' || *c == '.'))
    {
        return Err(InvalidId(format!(
            "an id may hold only ASCII letters, digits, '-', '_' and '.', not {bad:?}"
        )));
    }
    Ok(())
}

macro_rules! id_type {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            /// An id from text, checked against the id rules.
            pub fn new(text: impl Into<String>) -> Result<Self, InvalidId> {
                let text = text.into();
                check_id(&text)?;
                Ok(Self(text))
            }

            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl TryFrom<String> for $name {
            type Error = InvalidId;
            fn try_from(text: String) -> Result<Self, InvalidId> {
                Self::new(text)
            }
        }

        impl From<$name> for String {
            fn from(id: $name) -> String {
                id.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        #[cfg(not(target_arch = "wasm32"))]
        impl schemars::JsonSchema for $name {
            fn schema_name() -> std::borrow::Cow<'static, str> {
                stringify!($name).into()
            }
            fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
                schemars::json_schema!({
                    "type": "string",
                    "minLength": 1,
                    "maxLength": MAX_ID_LEN,
                    "pattern": "^[A-Za-z0-9._-]+$"
                })
            }
        }
    };
}

id_type!(
    /// The id of a node (a VPC, a subnet, a load balancer, ...), unique in its diagram.
    NodeId
);
id_type!(
    /// The id of a traffic edge, unique in its diagram.
    EdgeId
);
id_type!(
    /// The id of a "must not exist" access scope, unique in its diagram.
    ScopeId
);
