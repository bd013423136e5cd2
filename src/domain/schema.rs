//! The JSON Schema of the file format, generated from the model's types so it
//! cannot drift from what the reader accepts. Native only: the browser build
//! never needs it.

use crate::domain::model::Diagram;

pub fn file_schema_json() -> String {
    let schema = schemars::schema_for!(Diagram);
    serde_json::to_string_pretty(&schema)
        .unwrap_or_else(|error| unreachable!("a schema always serialises: {error}"))
}
