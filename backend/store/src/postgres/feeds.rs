//! feeds on PostgreSQL.

#![allow(unused_variables, unused_imports)]

use super::PgStore;
use crate::error::{Error, Result};
use crate::*;
use chrono::NaiveDate;
use frontline_extract::article::Article;
use frontline_extract::Event;
use std::collections::HashMap;

impl PgStore {
    pub async fn add_feed(
        &self,
        url: &str,
        name: Option<&str>,
        every_secs: i64,
    ) -> Result<FeedRow> {
        Err(Error::Inconsistent("not yet on PostgreSQL".into()))
    }

    pub async fn feed(&self, id: i64) -> Result<Option<FeedRow>> {
        Err(Error::Inconsistent("not yet on PostgreSQL".into()))
    }

    pub async fn feed_by_url(&self, url: &str) -> Result<Option<FeedRow>> {
        Err(Error::Inconsistent("not yet on PostgreSQL".into()))
    }

    pub async fn feeds(&self) -> Result<Vec<FeedRow>> {
        Err(Error::Inconsistent("not yet on PostgreSQL".into()))
    }

    pub async fn remove_feed(&self, id: i64) -> Result<bool> {
        Err(Error::Inconsistent("not yet on PostgreSQL".into()))
    }

    pub async fn due_feeds(&self, now: &str) -> Result<Vec<FeedRow>> {
        Err(Error::Inconsistent("not yet on PostgreSQL".into()))
    }

    pub async fn next_due(&self) -> Result<Option<String>> {
        Err(Error::Inconsistent("not yet on PostgreSQL".into()))
    }

    pub async fn record_poll(&self, id: i64, poll: &PollRecord) -> Result<()> {
        Err(Error::Inconsistent("not yet on PostgreSQL".into()))
    }

    pub async fn skip_page(&self, url: &str, reason: &str) -> Result<()> {
        Err(Error::Inconsistent("not yet on PostgreSQL".into()))
    }

    pub async fn skipped_page(&self, url: &str) -> Result<Option<String>> {
        Err(Error::Inconsistent("not yet on PostgreSQL".into()))
    }

    pub async fn article_by_url(&self, url: &str) -> Result<Option<i64>> {
        Err(Error::Inconsistent("not yet on PostgreSQL".into()))
    }
}
