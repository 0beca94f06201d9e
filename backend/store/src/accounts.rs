//! Accounts: users with a role and a password hash, their API token and
//! their browser sessions. The store keeps what it is given: hashing the
//! passwords, tokens and session ids is the caller's work, so that no
//! secret ever reaches this crate in the clear.

use super::Store;
use crate::error::{Error, Result};
use serde::Serialize;

/// SQLite's time format of these tables (text order is time order).
const NOW: &str = "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')";

/// A user as listed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, sqlx::FromRow)]
pub struct UserRow {
    pub id: i64,
    pub name: String,
    /// `viewer`, `editor` or `admin`.
    pub role: String,
    pub created_at: String,
    /// When the current API token was made (none after a failed creation).
    pub token_created_at: Option<String>,
    /// Browser sessions not yet expired.
    pub sessions: i64,
}

/// What a login checks: the user and the hash of the password.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct UserLogin {
    pub id: i64,
    pub name: String,
    pub role: String,
    pub password_hash: String,
}

/// The user behind a token or a session.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct UserRef {
    pub id: i64,
    pub name: String,
    pub role: String,
}

/// A live browser session.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct SessionRow {
    pub user_id: i64,
    pub name: String,
    pub role: String,
    pub csrf: String,
    pub expires_at: String,
}

const USER_COLUMNS: &str = "u.id, u.name, u.role, u.created_at,
    (SELECT created_at FROM api_tokens t WHERE t.user_id = u.id) AS token_created_at,
    (SELECT count(*) FROM sessions s WHERE s.user_id = u.id
        AND s.expires_at > strftime('%Y-%m-%dT%H:%M:%SZ', 'now')) AS sessions";

impl Store {
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
        sqlx::query("INSERT INTO api_tokens (token_hash, user_id) VALUES (?, ?)")
            .bind(token_hash)
            .bind(id)
            .execute(&mut *tx)
            .await?;
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
        sqlx::query("INSERT INTO api_tokens (token_hash, user_id) VALUES (?, ?)")
            .bind(token_hash)
            .bind(id)
            .execute(&mut *tx)
            .await?;
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

#[cfg(test)]
mod tests {
    use super::*;

    async fn store() -> (tempfile::TempDir, Store) {
        let dir = tempfile::tempdir().unwrap();
        let s = Store::open(&dir.path().join("a.db")).await.unwrap();
        (dir, s)
    }

    #[tokio::test]
    async fn users_are_unique_whatever_their_case_and_listed_by_name() {
        let (_d, s) = store().await;
        let u = s
            .add_user("Lina", "editor", "$argon2id$x", "t1")
            .await
            .unwrap();
        assert_eq!((u.name.as_str(), u.role.as_str()), ("Lina", "editor"));
        assert!(u.token_created_at.is_some());
        match s.add_user("lina", "viewer", "$argon2id$y", "t2").await {
            Err(Error::Conflict(m)) => assert!(m.contains("\"Lina\""), "{m}"),
            other => panic!("{other:?}"),
        }
        s.add_user("adam", "admin", "$argon2id$z", "t3")
            .await
            .unwrap();
        let names: Vec<String> = s
            .users()
            .await
            .unwrap()
            .into_iter()
            .map(|u| u.name)
            .collect();
        assert_eq!(names, ["adam", "Lina"]);
        // An unknown role is refused by the schema.
        assert!(s.add_user("x", "root", "h", "t4").await.is_err());
    }

    #[tokio::test]
    async fn a_new_token_revokes_the_old_one() {
        let (_d, s) = store().await;
        s.add_user("lina", "editor", "h", "old").await.unwrap();
        assert_eq!(s.user_by_token("old").await.unwrap().unwrap().name, "lina");
        assert!(s.replace_token("LINA", "new").await.unwrap());
        assert!(s.user_by_token("old").await.unwrap().is_none());
        assert_eq!(
            s.user_by_token("new").await.unwrap().unwrap().role,
            "editor"
        );
        assert!(!s.replace_token("nobody", "x").await.unwrap());
    }

    #[tokio::test]
    async fn sessions_live_until_they_expire_or_end() {
        let (_d, s) = store().await;
        let u = s.add_user("lina", "viewer", "h", "t").await.unwrap();
        s.create_session(u.id, "live", "c1", 3600).await.unwrap();
        let live = s.session("live").await.unwrap().unwrap();
        assert_eq!((live.name.as_str(), live.csrf.as_str()), ("lina", "c1"));
        assert_eq!(s.user("lina").await.unwrap().unwrap().sessions, 1);
        // A session past its expiry is not found, and the next login
        // drops it.
        sqlx::query(
            "UPDATE sessions SET expires_at = '2000-01-01T00:00:00Z' WHERE id_hash = 'live'",
        )
        .execute(&s.pool)
        .await
        .unwrap();
        assert!(s.session("live").await.unwrap().is_none());
        s.create_session(u.id, "next", "c2", 3600).await.unwrap();
        let left: i64 = sqlx::query_scalar("SELECT count(*) FROM sessions")
            .fetch_one(&s.pool)
            .await
            .unwrap();
        assert_eq!(left, 1);
        assert!(s.delete_session("next").await.unwrap());
        assert!(s.session("next").await.unwrap().is_none());
        assert!(!s.delete_session("next").await.unwrap());
    }

    #[tokio::test]
    async fn removing_a_user_removes_its_token_and_sessions() {
        let (_d, s) = store().await;
        let u = s.add_user("lina", "admin", "h", "t").await.unwrap();
        s.create_session(u.id, "sid", "c", 3600).await.unwrap();
        assert!(s.remove_user("lina").await.unwrap());
        assert!(s.user_by_token("t").await.unwrap().is_none());
        assert!(s.session("sid").await.unwrap().is_none());
        assert!(!s.remove_user("lina").await.unwrap());
        assert!(s.user_login("lina").await.unwrap().is_none());
    }
}
