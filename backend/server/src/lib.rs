//! Frontline: French news on the war in Syria, turned into mapped events.
//!
//! This crate is the application: the HTTP server (API and pages), the
//! command line and the demo. The stages it joins live in their own crates,
//! so that their one-way dependencies are checked by the compiler:
//! `gazetteer` (places) ← `frontline_extract` (articles in, events out,
//! pure) ← `frontline_store` (SQLite) ← this crate.
//!
//! [`ingest`] runs articles through the extractor into the store; [`api`]
//! (HTTP, GeoJSON, OGC API Features, CSV) and [`web`] (pages) serve them,
//! joined by [`server`]; [`areas`] draws areas of control; [`config`]
//! holds every setting; [`demo`] builds the demo database; [`cli`] wires
//! them to the command line.

pub mod api;
pub mod areas;
pub mod cli;
pub mod config;
pub mod demo;
pub mod error;
pub mod ingest;
pub mod server;
pub mod web;

pub use error::{Error, Result};
