//! Frontline: French news on the war in Syria, turned into mapped events.
//!
//! The data flows through one module per stage:
//! [`article`] (reading inputs) → `gazetteer` (the sibling crate: places) →
//! [`extract`] (events, pure: text in, events out) → [`eval`] (scores
//! against gold files). [`cli`] wires them to the command line.

pub mod areas;
pub mod article;
pub mod cli;
pub mod error;
pub mod eval;
pub mod extract;

pub use error::{Error, Result};
