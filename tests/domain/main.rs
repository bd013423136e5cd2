//! The one native integration-test binary; a module per area.

mod cli;
mod file_format;
mod model;
mod scene;
mod support;
