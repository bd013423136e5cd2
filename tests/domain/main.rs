//! The one native integration-test binary; a module per area.

mod acl;
mod bends;
mod bootstrap;
mod camera;
mod cidr;
mod circleci_orbs;
mod cli;
mod compute;
mod contrast;
mod deploy;
mod diff;
mod edit;
mod editor;
mod export;
mod file_format;
mod guards;

mod import;
mod import_terraform;
mod item_fields;
mod keyboard;
mod kinds;
mod links;
mod model;
mod parity;
mod reachability;
mod region;
mod relate;
mod routing;
mod rules;
mod scene;
mod seed_analysis;
mod support;
mod terraform_schema;
mod testing_doc;
mod worker;
