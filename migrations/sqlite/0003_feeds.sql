-- The news feeds Frontline follows (`frontline feeds add`), with what the
-- poller knows of each: its validators for conditional GET, when it is due,
-- its back-off after errors, and what its last poll found.

CREATE TABLE feeds (
    id               INTEGER PRIMARY KEY,
    url              TEXT NOT NULL UNIQUE,
    name             TEXT,
    -- Seconds between polls.
    every_secs       INTEGER NOT NULL DEFAULT 900 CHECK (every_secs > 0),
    added_at         TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    -- The validators of the last good answer (sent back as If-None-Match
    -- and If-Modified-Since).
    etag             TEXT,
    last_modified    TEXT,
    last_poll_at     TEXT,
    last_success_at  TEXT,
    -- NULL: due now.
    next_poll_at     TEXT,
    -- Consecutive failed polls (the back-off doubles with each).
    failures         INTEGER NOT NULL DEFAULT 0,
    last_error       TEXT,
    -- What the last successful poll found: items listed, articles stored,
    -- items already known, items skipped or failed (JSON object reason →
    -- count), near-duplicates folded into stored articles.
    items_seen       INTEGER NOT NULL DEFAULT 0,
    items_new        INTEGER NOT NULL DEFAULT 0,
    items_known      INTEGER NOT NULL DEFAULT 0,
    items_skipped    INTEGER NOT NULL DEFAULT 0,
    skipped_reasons  TEXT NOT NULL DEFAULT '{}',
    items_failed     INTEGER NOT NULL DEFAULT 0,
    items_folded     INTEGER NOT NULL DEFAULT 0,
    -- Articles stored from this feed since it was added.
    articles_total   INTEGER NOT NULL DEFAULT 0
);

CREATE INDEX feeds_due ON feeds(next_poll_at);

-- A feed item whose page is already stored is not fetched again.
CREATE INDEX articles_url ON articles(url);

-- Pages read and not kept (another language, no text), with why: a feed
-- that lists them again does not have them fetched again.
CREATE TABLE skipped_pages (
    url        TEXT PRIMARY KEY,
    reason     TEXT NOT NULL,
    skipped_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
