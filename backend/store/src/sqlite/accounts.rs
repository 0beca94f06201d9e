//! Accounts on SQLite.

use super::SqliteStore;
use crate::accounts::{SessionRow, UserLogin, UserRef, UserRow};
use crate::error::{Error, Result};

/// SQLite's time format of these tables (text order is time order).
const NOW: &str = "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')";

const USER_COLUMNS: &str = "u.id, u.name, u.role, u.created_at,
    (SELECT created_at FROM api_tokens t WHERE t.user_id = u.id) AS token_created_at,
    (SELECT count(*) FROM sessions s WHERE s.user_id = u.id
        AND s.expires_at > strftime('%Y-%m-%dT%H:%M:%SZ', 'now')) AS sessions";

impl SqliteStore {
    /// Create a user with its first API token (both hashed by the caller).
    /// A name already taken (whatever its case) is a conflict naming it.
    pub async fn add_user(
        &self,
        name: &str,
        role: &str,
        password_hash: &str,
        token_hash: &str,
    ) -> Result<UserRow> {
        let mut tx = self.pool.begin().await?;
        let taken: Option<String> = sqlx::query_scalar("SELECT name FROM users WHERE name = ?")
            .bind(name)
            .fetch_optional(&mut *tx)
            .await?;
        if let Some(existing) = taken {
            return Err(Error::Conflict(format!(
                "a user named {existing:?} already exists"
            )));
        }
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO users (name, role, password_hash) VALUES (?, ?, ?) RETURNING id",
        )
        .bind(name)
        .bind(role)
        .bind(password_hash)
        .fetch_one(&mut *tx)
        .await?;
        insert_token(&mut tx, token_hash, id).await?;
        tx.commit().await?;
        self.user(name)
            .await?
            .ok_or_else(|| Error::Inconsistent(format!("user {name:?} vanished")))
    }

    /// One user by name (whatever its case).
    pub async fn user(&self, name: &str) -> Result<Option<UserRow>> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users u WHERE u.name = ?");
        Ok(sqlx::query_as(&sql)
            .bind(name)
            .fetch_optional(&self.pool)
            .await?)
    }

    /// Every user, by name.
    pub async fn users(&self) -> Result<Vec<UserRow>> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users u ORDER BY u.name");
        Ok(sqlx::query_as(&sql).fetch_all(&self.pool).await?)
    }

    /// Remove a user, its token and its sessions; false when there is no
    /// such user.
    pub async fn remove_user(&self, name: &str) -> Result<bool> {
        let done = sqlx::query("DELETE FROM users WHERE name = ?")
            .bind(name)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() > 0)
    }

    /// Give a user a new API token, revoking the old one; false when there
    /// is no such user.
    pub async fn replace_token(&self, name: &str, token_hash: &str) -> Result<bool> {
        let mut tx = self.pool.begin().await?;
        let id: Option<i64> = sqlx::query_scalar("SELECT id FROM users WHERE name = ?")
            .bind(name)
            .fetch_optional(&mut *tx)
            .await?;
        let Some(id) = id else {
            return Ok(false);
        };
        sqlx::query("DELETE FROM api_tokens WHERE user_id = ?")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        insert_token(&mut tx, token_hash, id).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// What a login needs to check a password.
    pub async fn user_login(&self, name: &str) -> Result<Option<UserLogin>> {
        Ok(
            sqlx::query_as("SELECT id, name, role, password_hash FROM users WHERE name = ?")
                .bind(name)
                .fetch_optional(&self.pool)
                .await?,
        )
    }

    /// The user holding the token of this hash.
    pub async fn user_by_token(&self, token_hash: &str) -> Result<Option<UserRef>> {
        Ok(sqlx::query_as(
            "SELECT u.id, u.name, u.role FROM api_tokens t JOIN users u ON u.id = t.user_id
             WHERE t.token_hash = ?",
        )
        .bind(token_hash)
        .fetch_optional(&self.pool)
        .await?)
    }

    /// Open a session for `lifetime_secs` seconds (and drop the expired
    /// ones of every user, so that the table does not grow forever).
    pub async fn create_session(
        &self,
        user_id: i64,
        id_hash: &str,
        csrf: &str,
        lifetime_secs: i64,
    ) -> Result<()> {
        let mut tx = self.pool.begin().await?;
        sqlx::query(&format!("DELETE FROM sessions WHERE expires_at <= {NOW}"))
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO sessions (id_hash, user_id, csrf, expires_at)
             VALUES (?, ?, ?, strftime('%Y-%m-%dT%H:%M:%SZ', 'now', ?))",
        )
        .bind(id_hash)
        .bind(user_id)
        .bind(csrf)
        .bind(format!("+{} seconds", lifetime_secs.max(1)))
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The live (not expired) session of this id hash.
    pub async fn session(&self, id_hash: &str) -> Result<Option<SessionRow>> {
        Ok(sqlx::query_as(&format!(
            "SELECT s.user_id, u.name, u.role, s.csrf, s.expires_at
             FROM sessions s JOIN users u ON u.id = s.user_id
             WHERE s.id_hash = ? AND s.expires_at > {NOW}"
        ))
        .bind(id_hash)
        .fetch_optional(&self.pool)
        .await?)
    }

    /// End a session; false when there was none.
    pub async fn delete_session(&self, id_hash: &str) -> Result<bool> {
        let done = sqlx::query("DELETE FROM sessions WHERE id_hash = ?")
            .bind(id_hash)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() > 0)
    }
}

/// Store the hash of a user's API token.
async fn insert_token(
    conn: &mut sqlx::SqliteConnection,
    token_hash: &str,
    user_id: i64,
) -> Result<()> {
    sqlx::query("INSERT INTO api_tokens (token_hash, user_id) VALUES (?, ?)")
        .bind(token_hash)
        .bind(user_id)
        .execute(conn)
        .await?;
    Ok(())
}
