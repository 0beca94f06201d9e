//! Accounts: users with a role and a password hash, their API token and
//! their browser sessions. The store keeps what it is given: hashing the
//! passwords, tokens and session ids is the caller's work, so that no
//! secret ever reaches this crate in the clear.

use serde::Serialize;

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

#[cfg(test)]
mod tests {
    use crate::Error;

    use crate::tests::store;

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
        s.execute_sql(
            "UPDATE sessions SET expires_at = '2000-01-01T00:00:00Z' WHERE id_hash = 'live'",
        )
        .await
        .unwrap();
        assert!(s.session("live").await.unwrap().is_none());
        s.create_session(u.id, "next", "c2", 3600).await.unwrap();
        let left = s.scalar_sql("SELECT count(*) FROM sessions").await.unwrap();
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
