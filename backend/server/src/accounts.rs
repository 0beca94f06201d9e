//! Accounts and their secrets: roles, Argon2id password hashes, API
//! tokens and session ids (random, stored as their SHA-256), logins and
//! their rate limit. No HTTP here: the command line (`frontline user …`)
//! and `http::auth` / `http::login` call these.

use crate::error::{Error, Result};
use argon2::password_hash::rand_core::{OsRng, RngCore};
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use frontline_store::{Store, UserRow};
use sha2::{Digest, Sha256};
use std::collections::{HashMap, VecDeque};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

/// What an account may do, in order: each role can do what the ones
/// before it can (`Role::Editor >= Role::Viewer`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, clap::ValueEnum)]
pub enum Role {
    /// Reads what the public reads, signed in.
    Viewer,
    /// Also reviews events and posts articles.
    Editor,
    /// Also manages users and feeds.
    Admin,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Viewer => "viewer",
            Role::Editor => "editor",
            Role::Admin => "admin",
        }
    }

    /// The role of a stored account; an unknown one is an internal error
    /// (the schema allows only the three).
    pub fn from_stored(s: &str) -> Result<Role> {
        match s {
            "viewer" => Ok(Role::Viewer),
            "editor" => Ok(Role::Editor),
            "admin" => Ok(Role::Admin),
            other => Err(Error::Internal(format!("unknown stored role {other:?}"))),
        }
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Longest password hashed: Argon2's cost grows with the input, and a
/// login must not be a way to make the server work hard.
pub const MAX_PASSWORD: usize = 1024;
pub const MIN_PASSWORD: usize = 8;

/// Account names: 1 to 64 letters, digits and `. _ - @`.
pub fn check_name(name: &str) -> Result<()> {
    let ok_char = |c: char| c.is_alphanumeric() || "._-@".contains(c);
    if name.is_empty() || name.chars().count() > 64 || !name.chars().all(ok_char) {
        return Err(Error::Usage(format!(
            "user name {name:?}: 1 to 64 letters, digits and . _ - @"
        )));
    }
    Ok(())
}

pub fn check_password(password: &str) -> Result<()> {
    if password.is_empty() {
        return Err(Error::Usage("the password is empty".into()));
    }
    let n = password.chars().count();
    if n < MIN_PASSWORD {
        return Err(Error::Usage(format!(
            "the password has {n} characters; at least {MIN_PASSWORD} are needed"
        )));
    }
    if password.len() > MAX_PASSWORD {
        return Err(Error::Usage(format!(
            "the password is longer than {MAX_PASSWORD} bytes"
        )));
    }
    Ok(())
}

/// An Argon2id PHC string (the crate's default parameters: 19 MiB, two
/// passes) with a random salt.
pub fn hash_password(password: &str) -> Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| Error::Internal(format!("hashing a password: {e}")))
}

/// Whether `password` is the one hashed in `phc` (the comparison is the
/// argon2 crate's, in constant time).
pub fn verify_password(phc: &str, password: &str) -> bool {
    if password.len() > MAX_PASSWORD {
        return false;
    }
    PasswordHash::new(phc).is_ok_and(|h| {
        Argon2::default()
            .verify_password(password.as_bytes(), &h)
            .is_ok()
    })
}

/// A hash checked when the name is unknown, so that an unknown name and a
/// wrong password take the same time.
fn decoy_hash() -> &'static str {
    static DECOY: OnceLock<String> = OnceLock::new();
    DECOY.get_or_init(|| {
        let password = new_secret().unwrap_or_else(|_| "decoy-password".into());
        hash_password(&password).unwrap_or_default()
    })
}

/// 32 random bytes from the operating system, as 64 hex digits.
pub fn new_secret() -> Result<String> {
    let mut bytes = [0u8; 32];
    OsRng
        .try_fill_bytes(&mut bytes)
        .map_err(|e| Error::Internal(format!("the system's random source failed: {e}")))?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// A new API token: `fl_` and 256 random bits.
pub fn new_token() -> Result<String> {
    Ok(format!("fl_{}", new_secret()?))
}

/// How tokens and session ids are stored: hex SHA-256. They are long and
/// random, so a fast hash is enough (unlike passwords).
pub fn secret_hash(secret: &str) -> String {
    Sha256::digest(secret.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Compare two strings without stopping at the first difference.
pub fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let mut diff = u8::from(a.len() != b.len());
    for (i, x) in a.iter().enumerate() {
        diff |= x ^ b.get(i).copied().unwrap_or(0);
    }
    diff == 0
}

/// Create an account; returns it with its API token (shown once).
pub async fn add_user(
    store: &Store,
    name: &str,
    role: Role,
    password: &str,
) -> Result<(UserRow, String)> {
    check_name(name)?;
    check_password(password)?;
    let password = password.to_string();
    let hash = tokio::task::spawn_blocking(move || hash_password(&password))
        .await
        .map_err(|e| Error::Internal(format!("hashing a password: {e}")))??;
    let token = new_token()?;
    let user = store
        .add_user(name, role.as_str(), &hash, &secret_hash(&token))
        .await?;
    Ok((user, token))
}

/// A new API token for `name`, the old one revoked.
pub async fn replace_token(store: &Store, name: &str) -> Result<String> {
    let token = new_token()?;
    if !store.replace_token(name, &secret_hash(&token)).await? {
        return Err(Error::NotFound(format!("user {name:?}")));
    }
    Ok(token)
}

/// A session just opened: the id goes into the cookie (only its hash is
/// stored), the CSRF token into the pages.
#[derive(Debug, Clone)]
pub struct NewSession {
    pub id: String,
    pub csrf: String,
    pub name: String,
    pub role: Role,
}

/// Check a name and password and open a session of `lifetime`. Every
/// failure is the same `Unauthorized` (an unknown name costs the same
/// Argon2 check as a wrong password); beyond the rate limit, `TooMany`
/// before any check.
pub async fn login(
    store: &Store,
    limiter: &LoginLimiter,
    name: &str,
    password: &str,
    client: &str,
    lifetime: Duration,
) -> Result<NewSession> {
    let keys = limiter.keys(name, client);
    limiter.check(&keys, Instant::now())?;
    let user = store.user_login(name).await?;
    let phc = user
        .as_ref()
        .map_or_else(|| decoy_hash().to_string(), |u| u.password_hash.clone());
    let presented = password.to_string();
    let good = tokio::task::spawn_blocking(move || verify_password(&phc, &presented))
        .await
        .map_err(|e| Error::Internal(format!("checking a password: {e}")))?;
    let Some(user) = user.filter(|_| good) else {
        limiter.fail(&keys, Instant::now());
        return Err(Error::Unauthorized("wrong user name or password".into()));
    };
    limiter.succeed(&keys[0].0);
    let session = NewSession {
        id: new_secret()?,
        csrf: new_secret()?,
        role: Role::from_stored(&user.role)?,
        name: user.name,
    };
    let secs = i64::try_from(lifetime.as_secs()).unwrap_or(i64::MAX);
    store
        .create_session(user.id, &secret_hash(&session.id), &session.csrf, secs)
        .await?;
    Ok(session)
}

/// Failed logins in the last window, per user name and per client address
/// (in memory: one server process checks its own logins, a restart
/// forgets them, and a failed login costs no database write).
pub struct LoginLimiter {
    /// Failures allowed per name in a window; a client address gets four
    /// times as many (several people may share one, behind a proxy).
    max: usize,
    window: Duration,
    failures: Mutex<HashMap<String, VecDeque<Instant>>>,
}

/// Keys kept before the expired ones are swept out.
const SWEEP_AT: usize = 10_000;

impl LoginLimiter {
    pub fn new(max_failures: u32, window: Duration) -> Self {
        LoginLimiter {
            max: max_failures.max(1) as usize,
            window: window.max(Duration::from_secs(1)),
            failures: Mutex::new(HashMap::new()),
        }
    }

    /// The counters a login from `client` as `name` is held to.
    fn keys(&self, name: &str, client: &str) -> [(String, usize); 2] {
        [
            (format!("name:{}", name.to_lowercase()), self.max),
            (format!("client:{client}"), self.max * 4),
        ]
    }

    /// `TooMany` with the seconds until the oldest failure leaves the
    /// window, when any counter is full.
    fn check(&self, keys: &[(String, usize)], now: Instant) -> Result<()> {
        let failures = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        let mut wait = Duration::ZERO;
        for (key, limit) in keys {
            let Some(times) = failures.get(key) else {
                continue;
            };
            let recent: Vec<&Instant> = times
                .iter()
                .filter(|t| now.duration_since(**t) < self.window)
                .collect();
            if recent.len() >= *limit {
                let oldest = recent[recent.len() - limit];
                wait = wait.max(self.window.saturating_sub(now.duration_since(*oldest)));
            }
        }
        if wait.is_zero() {
            return Ok(());
        }
        Err(Error::TooMany {
            message: format!(
                "too many failed logins; retry in {} minutes",
                wait.as_secs().div_ceil(60)
            ),
            retry_after: wait.as_secs() + 1,
        })
    }

    fn fail(&self, keys: &[(String, usize)], now: Instant) {
        let mut failures = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        if failures.len() >= SWEEP_AT {
            let window = self.window;
            failures.retain(|_, times| {
                times
                    .back()
                    .is_some_and(|t| now.duration_since(*t) < window)
            });
        }
        for (key, limit) in keys {
            let times = failures.entry(key.clone()).or_default();
            times.push_back(now);
            while times.len() > limit * 2 {
                times.pop_front();
            }
        }
    }

    /// A good password clears the name's failures (not the address's).
    fn succeed(&self, name_key: &str) {
        let mut failures = self.failures.lock().unwrap_or_else(|e| e.into_inner());
        failures.remove(name_key);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_are_ordered() {
        assert!(Role::Admin > Role::Editor && Role::Editor > Role::Viewer);
        assert!(Role::Editor >= Role::Viewer);
        assert_eq!(Role::from_stored("editor").unwrap(), Role::Editor);
        assert!(Role::from_stored("root").is_err());
    }

    #[test]
    fn passwords_hash_to_argon2id_and_verify() {
        let h = hash_password("correct horse").unwrap();
        assert!(h.starts_with("$argon2id$"), "{h}");
        assert!(verify_password(&h, "correct horse"));
        assert!(!verify_password(&h, "correct hors"));
        assert!(!verify_password("not a hash", "correct horse"));
        // Two hashes of one password differ (random salts).
        assert_ne!(h, hash_password("correct horse").unwrap());
    }

    #[test]
    fn names_passwords_and_secrets_are_checked() {
        assert!(check_name("lina.k@desk").is_ok());
        assert!(check_name("Élodie").is_ok());
        for bad in ["", "a b", "x;y", "<b>", &"n".repeat(65)] {
            assert!(check_name(bad).is_err(), "{bad:?}");
        }
        assert!(check_password("")
            .unwrap_err()
            .to_string()
            .contains("empty"));
        assert!(check_password("short").is_err());
        assert!(check_password(&"p".repeat(2000)).is_err());
        assert!(check_password("long enough").is_ok());
        let (a, b) = (new_token().unwrap(), new_token().unwrap());
        assert!(a.starts_with("fl_") && a.len() == 67 && a != b);
        assert_eq!(secret_hash("abc").len(), 64);
        assert!(same("abc", "abc") && !same("abc", "abd") && !same("abc", "ab"));
    }

    #[test]
    fn failed_logins_are_limited_per_name_and_per_client() {
        let l = LoginLimiter::new(3, Duration::from_secs(900));
        let t0 = Instant::now();
        let keys = l.keys("Lina", "10.0.0.1");
        for i in 0..3 {
            l.check(&keys, t0).unwrap();
            l.fail(&keys, t0 + Duration::from_secs(i));
        }
        match l.check(&l.keys("lina", "10.0.0.2"), t0 + Duration::from_secs(10)) {
            Err(Error::TooMany { retry_after, .. }) => assert_eq!(retry_after, 891),
            other => panic!("{other:?}"),
        }
        // Another name from the same client is still allowed (3 < 12)…
        l.check(&l.keys("adam", "10.0.0.1"), t0).unwrap();
        // …and the name is free again once the window has passed.
        l.check(&keys, t0 + Duration::from_secs(902)).unwrap();
        // A client failing with many names is stopped at four times the limit.
        for i in 0..12 {
            let k = l.keys(&format!("n{i}"), "10.0.0.9");
            l.fail(&k, t0);
        }
        assert!(l.check(&l.keys("fresh", "10.0.0.9"), t0).is_err());
        // A good password clears the name's count.
        l.succeed(&keys[0].0);
        l.check(&l.keys("lina", "10.0.0.3"), t0).unwrap();
    }
}
