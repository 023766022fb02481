//! End-to-end tests of `bulwark audit`, `bulwark detectors` and
//! `bulwark explain`: the real binary on the projects in `tests/fixtures/`
//! (a Foundry layout with a remapped library, tests, scripts and a mock; a
//! Hardhat layout importing from `node_modules`; a single file; a file of
//! suppression comments; `bulwark.toml` variants), and `bulwark serve`
//! killed in the middle of an audit.
//!
//! One test binary with one module per concern, so the suite links once.

mod common;

mod cli_docs;
mod configuration;
mod detectors_command;
mod example_project;
mod exit_codes;
mod fingerprints;
mod input_errors;
mod output_formats;
mod scope;
mod semantic_warnings;
mod service_crash;
mod suppressions;
