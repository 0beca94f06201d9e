//! write on PostgreSQL.

#![allow(unused_variables, unused_imports)]

use super::PgStore;
use crate::error::{Error, Result};
use crate::*;
use chrono::NaiveDate;
use frontline_extract::article::Article;
use frontline_extract::Event;
use std::collections::HashMap;

impl PgStore {
    pub async fn article_by_hash(&self, hash: &str) -> Result<Option<i64>> {
        Err(Error::Inconsistent("not yet on PostgreSQL".into()))
    }

    pub async fn add_article(
        &self,
        article: &Article,
        events: &[(Event, PlaceRow)],
    ) -> Result<Added> {
        Err(Error::Inconsistent("not yet on PostgreSQL".into()))
    }

    pub async fn add_article_with(
        &self,
        article: &Article,
        events: &[(Event, PlaceRow)],
        fingerprint: Option<(&[u8], &[i64])>,
    ) -> Result<Added> {
        Err(Error::Inconsistent("not yet on PostgreSQL".into()))
    }

    pub async fn article_ids(&self) -> Result<Vec<i64>> {
        Err(Error::Inconsistent("not yet on PostgreSQL".into()))
    }

    pub async fn replace_events(
        &self,
        article_id: i64,
        events: &[(Event, PlaceRow)],
    ) -> Result<Replaced> {
        Err(Error::Inconsistent("not yet on PostgreSQL".into()))
    }

    pub async fn add_bulk(&self, articles: &[Article], events: &[BulkEvent]) -> Result<usize> {
        Err(Error::Inconsistent("not yet on PostgreSQL".into()))
    }
}
