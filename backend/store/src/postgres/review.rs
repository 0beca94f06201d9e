//! review on PostgreSQL.

#![allow(unused_variables, unused_imports)]

use super::PgStore;
use crate::error::{Error, Result};
use crate::*;
use chrono::NaiveDate;
use frontline_extract::article::Article;
use frontline_extract::Event;
use std::collections::HashMap;

impl PgStore {
    pub async fn review_event(&self, event_id: i64, r: &Review) -> Result<Option<ReviewedEvent>> {
        Err(Error::Inconsistent("not yet on PostgreSQL".into()))
    }

    pub async fn event_history(&self, event_id: i64) -> Result<Vec<HistoryRow>> {
        Err(Error::Inconsistent("not yet on PostgreSQL".into()))
    }

    pub async fn reviewed_event(&self, id: i64) -> Result<Option<ReviewedEvent>> {
        Err(Error::Inconsistent("not yet on PostgreSQL".into()))
    }

    pub async fn review_queue(&self, f: &QueueFilter) -> Result<QueuePage> {
        Err(Error::Inconsistent("not yet on PostgreSQL".into()))
    }

    pub async fn reviewed_article_ids(&self) -> Result<Vec<i64>> {
        Err(Error::Inconsistent("not yet on PostgreSQL".into()))
    }

    pub async fn article_events_reviewed(&self, article_id: i64) -> Result<Vec<ReviewedEvent>> {
        Err(Error::Inconsistent("not yet on PostgreSQL".into()))
    }
}
