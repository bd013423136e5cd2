//! The one native integration-test binary; a module per area.

mod acl;
mod bootstrap;
mod camera;
mod cidr;
mod circleci_orbs;
mod cli;
mod contrast;
mod deploy;
mod edit;
mod editor;
mod export;
mod file_format;
mod item_fields;
mod keyboard;
mod links;
mod model;
mod parity;
mod reachability;
mod region;
mod relate;
mod rules;
mod scene;
mod support;
mod terraform_schema;
mod testing_doc;
mod worker;
