//! accounts on PostgreSQL.

#![allow(unused_variables, unused_imports)]

use super::PgStore;
use crate::error::{Error, Result};
use crate::*;
use chrono::NaiveDate;
use frontline_extract::article::Article;
use frontline_extract::Event;
use std::collections::HashMap;

impl PgStore {
    pub async fn add_user(
        &self,
        name: &str,
        role: &str,
        password_hash: &str,
        token_hash: &str,
    ) -> Result<UserRow> {
        Err(Error::Inconsistent("not yet on PostgreSQL".into()))
    }

    pub async fn user(&self, name: &str) -> Result<Option<UserRow>> {
        Err(Error::Inconsistent("not yet on PostgreSQL".into()))
    }

    pub async fn users(&self) -> Result<Vec<UserRow>> {
        Err(Error::Inconsistent("not yet on PostgreSQL".into()))
    }

    pub async fn remove_user(&self, name: &str) -> Result<bool> {
        Err(Error::Inconsistent("not yet on PostgreSQL".into()))
    }

    pub async fn replace_token(&self, name: &str, token_hash: &str) -> Result<bool> {
        Err(Error::Inconsistent("not yet on PostgreSQL".into()))
    }

    pub async fn user_login(&self, name: &str) -> Result<Option<UserLogin>> {
        Err(Error::Inconsistent("not yet on PostgreSQL".into()))
    }

    pub async fn user_by_token(&self, token_hash: &str) -> Result<Option<UserRef>> {
        Err(Error::Inconsistent("not yet on PostgreSQL".into()))
    }

    pub async fn create_session(
        &self,
        user_id: i64,
        id_hash: &str,
        csrf: &str,
        lifetime_secs: i64,
    ) -> Result<()> {
        Err(Error::Inconsistent("not yet on PostgreSQL".into()))
    }

    pub async fn session(&self, id_hash: &str) -> Result<Option<SessionRow>> {
        Err(Error::Inconsistent("not yet on PostgreSQL".into()))
    }

    pub async fn delete_session(&self, id_hash: &str) -> Result<bool> {
        Err(Error::Inconsistent("not yet on PostgreSQL".into()))
    }
}
