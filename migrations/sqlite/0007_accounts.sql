-- Accounts of the people who read, review and manage the data
-- (`frontline user add|list|remove|token`), their API tokens and their
-- browser sessions (`/login`). No secret is stored as given: passwords as
-- Argon2id PHC strings, API tokens and session ids as the SHA-256 of the
-- long random value the holder keeps.

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    -- Unique whatever its case: "Alice" and "alice" are one account.
    name          TEXT NOT NULL UNIQUE COLLATE NOCASE,
    role          TEXT NOT NULL CHECK (role IN ('viewer', 'editor', 'admin')),
    password_hash TEXT NOT NULL,
    created_at    TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);

-- One API token per user: `user token NAME` replaces it.
CREATE TABLE api_tokens (
    -- Hex SHA-256 of the token.
    token_hash TEXT PRIMARY KEY,
    user_id    INTEGER NOT NULL UNIQUE REFERENCES users(id) ON DELETE CASCADE,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);

CREATE TABLE sessions (
    -- Hex SHA-256 of the session id the cookie carries.
    id_hash    TEXT PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    -- Sent back by the pages (meta tag, form field); required on every
    -- state-changing request the cookie authenticates.
    csrf       TEXT NOT NULL,
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    -- Same format as created_at, so that text order is time order.
    expires_at TEXT NOT NULL
);

CREATE INDEX sessions_user ON sessions(user_id);
CREATE INDEX sessions_expiry ON sessions(expires_at);
