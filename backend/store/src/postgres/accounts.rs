//! Accounts on PostgreSQL. Names are one account whatever their case:
//! the unique index is on `lower(name)`, and every look-up compares
//! lowercased names (so that it uses that index).

use super::PgStore;
use crate::accounts::{SessionRow, UserLogin, UserRef, UserRow};
use crate::error::{Error, Result};

const USER_COLUMNS: &str = "u.id, u.name, u.role, u.created_at,
    (SELECT created_at FROM api_tokens t WHERE t.user_id = u.id) AS token_created_at,
    (SELECT count(*) FROM sessions s WHERE s.user_id = u.id
        AND s.expires_at > frontline_now()) AS sessions";

impl PgStore {
    /// Create a user with its first API token (both hashed by the caller).
    /// A name already taken (whatever its case) is a conflict naming it;
    /// two processes adding one name at once: the unique index lets one in.
    pub async fn add_user(
        &self,
        name: &str,
        role: &str,
        password_hash: &str,
        token_hash: &str,
    ) -> Result<UserRow> {
        let mut tx = self.pool.begin().await?;
        let id: Option<i64> = sqlx::query_scalar(
            "INSERT INTO users (name, role, password_hash) VALUES ($1, $2, $3)
             ON CONFLICT ((lower(name))) DO NOTHING RETURNING id",
        )
        .bind(name)
        .bind(role)
        .bind(password_hash)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(id) = id else {
            let existing: String =
                sqlx::query_scalar("SELECT name FROM users WHERE lower(name) = lower($1)")
                    .bind(name)
                    .fetch_optional(&mut *tx)
                    .await?
                    .unwrap_or_else(|| name.to_string());
            return Err(Error::Conflict(format!(
                "a user named {existing:?} already exists"
            )));
        };
        sqlx::query("INSERT INTO api_tokens (token_hash, user_id) VALUES ($1, $2)")
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
        let sql = format!("SELECT {USER_COLUMNS} FROM users u WHERE lower(u.name) = lower($1)");
        Ok(sqlx::query_as(&sql)
            .bind(name)
            .fetch_optional(&self.pool)
            .await?)
    }

    /// Every user, by name (case folded, as SQLite's NOCASE orders them).
    pub async fn users(&self) -> Result<Vec<UserRow>> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users u ORDER BY lower(u.name), u.name");
        Ok(sqlx::query_as(&sql).fetch_all(&self.pool).await?)
    }

    /// Remove a user, its token and its sessions (cascade); false when
    /// there is no such user.
    pub async fn remove_user(&self, name: &str) -> Result<bool> {
        let done = sqlx::query("DELETE FROM users WHERE lower(name) = lower($1)")
            .bind(name)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() > 0)
    }

    /// Give a user a new API token, revoking the old one; false when there
    /// is no such user. The user's row stays locked meanwhile, so that two
    /// renewals at once leave one token.
    pub async fn replace_token(&self, name: &str, token_hash: &str) -> Result<bool> {
        let mut tx = self.pool.begin().await?;
        let id: Option<i64> =
            sqlx::query_scalar("SELECT id FROM users WHERE lower(name) = lower($1) FOR UPDATE")
                .bind(name)
                .fetch_optional(&mut *tx)
                .await?;
        let Some(id) = id else {
            return Ok(false);
        };
        sqlx::query("DELETE FROM api_tokens WHERE user_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("INSERT INTO api_tokens (token_hash, user_id) VALUES ($1, $2)")
            .bind(token_hash)
            .bind(id)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(true)
    }

    /// What a login needs to check a password.
    pub async fn user_login(&self, name: &str) -> Result<Option<UserLogin>> {
        Ok(sqlx::query_as(
            "SELECT id, name, role, password_hash FROM users WHERE lower(name) = lower($1)",
        )
        .bind(name)
        .fetch_optional(&self.pool)
        .await?)
    }

    /// The user holding the token of this hash.
    pub async fn user_by_token(&self, token_hash: &str) -> Result<Option<UserRef>> {
        Ok(sqlx::query_as(
            "SELECT u.id, u.name, u.role FROM api_tokens t JOIN users u ON u.id = t.user_id
             WHERE t.token_hash = $1",
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
        sqlx::query("DELETE FROM sessions WHERE expires_at <= frontline_now()")
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO sessions (id_hash, user_id, csrf, expires_at)
             VALUES ($1, $2, $3, to_char((now() + $4 * interval '1 second') AT TIME ZONE 'UTC',
                                         'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'))",
        )
        .bind(id_hash)
        .bind(user_id)
        .bind(csrf)
        .bind(lifetime_secs.max(1))
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The live (not expired) session of this id hash.
    pub async fn session(&self, id_hash: &str) -> Result<Option<SessionRow>> {
        Ok(sqlx::query_as(
            "SELECT s.user_id, u.name, u.role, s.csrf, s.expires_at
             FROM sessions s JOIN users u ON u.id = s.user_id
             WHERE s.id_hash = $1 AND s.expires_at > frontline_now()",
        )
        .bind(id_hash)
        .fetch_optional(&self.pool)
        .await?)
    }

    /// End a session; false when there was none.
    pub async fn delete_session(&self, id_hash: &str) -> Result<bool> {
        let done = sqlx::query("DELETE FROM sessions WHERE id_hash = $1")
            .bind(id_hash)
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected() > 0)
    }
}

#[cfg(test)]
mod tests {
    use crate::tests::store;
    use crate::Error;

    /// Processes adding "Lina" and "lina" at once: one account, and every
    /// other caller told which name holds it.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn one_name_added_at_once_by_many_is_one_account() {
        if std::env::var("FRONTLINE_TEST_POSTGRES").map_or(true, |v| v.is_empty()) {
            return;
        }
        let (_d, s) = store().await;
        let mut tasks = tokio::task::JoinSet::new();
        for n in 0..8 {
            let s = s.clone();
            let name = if n % 2 == 0 { "Lina" } else { "lina" };
            tasks.spawn(async move { s.add_user(name, "viewer", "h", &format!("t{n}")).await });
        }
        let mut created = Vec::new();
        while let Some(done) = tasks.join_next().await {
            match done.unwrap() {
                Ok(u) => created.push(u.name),
                Err(Error::Conflict(m)) => assert!(m.contains("ina\" already exists"), "{m}"),
                Err(e) => panic!("{e}"),
            }
        }
        assert_eq!(created.len(), 1, "{created:?}");
        let users = s.users().await.unwrap();
        assert_eq!(users.len(), 1);
        assert_eq!(users[0].name, created[0]);
        let tokens = s
            .scalar_sql("SELECT count(*) FROM api_tokens")
            .await
            .unwrap();
        assert_eq!(tokens, 1);
    }
}
