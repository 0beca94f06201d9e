//! Frontline: French news on the war in Syria, turned into mapped events.
//!
//! This crate is the application: the HTTP server (API and pages), the
//! command line and the demo. The stages it joins live in their own crates,
//! so that their one-way dependencies are checked by the compiler:
//! `gazetteer` (places) ← `frontline_extract` (articles in, events out,
//! pure) ← `frontline_store` (SQLite) ← this crate.
//!
//! Within it, dependencies point one way too: [`cli`] builds everything
//! (gazetteer, extractor, store, map data) from [`config`]'s plain
//! settings and hands it to [`server`], which serves [`http`]'s router;
//! [`http`] translates requests for the domain modules: [`accounts`]
//! (users, roles, passwords, tokens, sessions, the login limit), [`ingest`]
//! (articles through the extractor into the store), [`feeds`] (news feeds
//! polled into the ingester), [`live`] (new and changed events sent to
//! open maps), [`areas`] (areas of control and front lines, pure),
//! [`control`] (those per date, cached per data version), [`review`]
//! (reviewers' corrections checked against the vocabulary), [`basemap`]
//! (Syria's outline, admin boundaries, capitals);
//! [`demo`] builds the demo database; [`frontend`] holds the front end's
//! files, embedded at build time. Nothing below [`http`] knows HTTP,
//! and [`config`] knows none of them.

pub mod accounts;
pub mod areas;
pub mod basemap;
pub mod cli;
pub mod config;
pub mod control;
pub mod demo;
pub mod error;
pub mod feeds;
pub mod frontend;
pub mod http;
pub mod ingest;
pub mod live;
pub mod render;
pub mod review;
pub mod review_export;
pub mod server;
pub mod train;

pub use error::{Error, Result};
