-- Every creation or change of an event, in order: `GET /api/events/stream`
-- sends them to open maps, and a client that reconnects resumes after the
-- last sequence number it saw (Last-Event-ID). Written whenever an event's
-- merged fields are recomputed (ingest, re-extraction); not by bulk loads
-- of synthetic data.
CREATE TABLE event_changes (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    event_id   INTEGER NOT NULL,
    changed_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
