//! Frontline: French news on the war in Syria, turned into mapped events.
//!
//! The data flows through one module per stage:
//! [`article`] (reading inputs) → `gazetteer` (the sibling crate: places) →
//! [`extract`] (events, pure: text in, events out) → [`eval`] (scores
//! against gold files) and [`ingest`] → [`store`] (SQLite) → [`api`] (HTTP,
//! GeoJSON, OGC API Features, CSV) and [`web`] (pages), joined by
//! [`server`]. [`config`] holds every setting; [`demo`] builds the demo
//! database; [`cli`] wires them to the command line.

pub mod api;
pub mod areas;
pub mod article;
pub mod cli;
pub mod config;
pub mod demo;
pub mod error;
pub mod eval;
pub mod extract;
pub mod ingest;
pub mod server;
pub mod store;
pub mod web;

pub use error::{Error, Result};
