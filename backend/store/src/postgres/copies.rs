//! copies on PostgreSQL.

#![allow(unused_variables, unused_imports)]

use super::PgStore;
use crate::error::{Error, Result};
use crate::*;
use chrono::NaiveDate;
use frontline_extract::article::Article;
use frontline_extract::Event;
use std::collections::HashMap;

impl PgStore {
    pub async fn near_duplicate_candidates(
        &self,
        bands: &[i64],
        limit: i64,
    ) -> Result<Vec<(i64, Vec<u8>)>> {
        Err(Error::Inconsistent("not yet on PostgreSQL".into()))
    }

    pub async fn copy_by_hash(&self, hash: &str) -> Result<Option<i64>> {
        Err(Error::Inconsistent("not yet on PostgreSQL".into()))
    }

    pub async fn add_copy(&self, article_id: i64, copy: &Article, similarity: f64) -> Result<bool> {
        Err(Error::Inconsistent("not yet on PostgreSQL".into()))
    }

    pub async fn copies(&self, article_id: i64) -> Result<Vec<CopyRow>> {
        Err(Error::Inconsistent("not yet on PostgreSQL".into()))
    }
}
