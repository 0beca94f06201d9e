//! read on PostgreSQL.

#![allow(unused_variables, unused_imports)]

use super::PgStore;
use crate::error::{Error, Result};
use crate::*;
use chrono::NaiveDate;
use frontline_extract::article::Article;
use frontline_extract::Event;
use std::collections::HashMap;

impl PgStore {
    pub async fn events(&self, f: &EventFilter) -> Result<EventPage> {
        Err(Error::Inconsistent("not yet on PostgreSQL".into()))
    }

    pub async fn event_features(&self, f: &EventFilter) -> Result<FeaturePage> {
        Err(Error::Inconsistent("not yet on PostgreSQL".into()))
    }

    pub async fn features_of(&self, ids: &[i64], f: &EventFilter) -> Result<Vec<(i64, String)>> {
        Err(Error::Inconsistent("not yet on PostgreSQL".into()))
    }

    pub async fn changes_after(&self, seq: i64, limit: i64) -> Result<Vec<(i64, i64)>> {
        Err(Error::Inconsistent("not yet on PostgreSQL".into()))
    }

    pub async fn prune_changes(&self, keep: i64) -> Result<u64> {
        Err(Error::Inconsistent("not yet on PostgreSQL".into()))
    }

    pub async fn last_change(&self) -> Result<i64> {
        Err(Error::Inconsistent("not yet on PostgreSQL".into()))
    }

    pub async fn event(&self, id: i64) -> Result<Option<EventRow>> {
        Err(Error::Inconsistent("not yet on PostgreSQL".into()))
    }

    pub async fn sources(&self, event_ids: &[i64]) -> Result<HashMap<i64, Vec<SourceRow>>> {
        Err(Error::Inconsistent("not yet on PostgreSQL".into()))
    }

    pub async fn control_at(&self, at: NaiveDate) -> Result<Vec<ControlPoint>> {
        Err(Error::Inconsistent("not yet on PostgreSQL".into()))
    }

    pub async fn place(&self, id: &str) -> Result<Option<PlaceRow>> {
        Err(Error::Inconsistent("not yet on PostgreSQL".into()))
    }

    pub async fn place_history(&self, id: &str, limit: i64) -> Result<PlaceHistory> {
        Err(Error::Inconsistent("not yet on PostgreSQL".into()))
    }

    pub async fn event_counts(&self, place_ids: &[&str]) -> Result<HashMap<String, i64>> {
        Err(Error::Inconsistent("not yet on PostgreSQL".into()))
    }

    pub async fn article(&self, id: i64) -> Result<Option<ArticleRow>> {
        Err(Error::Inconsistent("not yet on PostgreSQL".into()))
    }

    pub async fn article_events(&self, article_id: i64) -> Result<Vec<EventRow>> {
        Err(Error::Inconsistent("not yet on PostgreSQL".into()))
    }

    pub async fn stored_hashes(&self, hashes: &[String]) -> Result<i64> {
        Err(Error::Inconsistent("not yet on PostgreSQL".into()))
    }

    pub async fn date_range(&self) -> Result<(Option<String>, Option<String>)> {
        Err(Error::Inconsistent("not yet on PostgreSQL".into()))
    }

    pub async fn data_version(&self) -> Result<i64> {
        Err(Error::Inconsistent("not yet on PostgreSQL".into()))
    }
}
