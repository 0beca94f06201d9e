-- Review: analysts accept, correct or reject what the extractor proposed.
--
-- `review` is the event's status: `auto` as extracted, `accepted` checked
-- as it is, `edited` corrected by hand, `rejected` not an event (never
-- shown publicly). Human decisions survive re-extraction:
--   * `overrides` (JSON object field -> value, NULL when never edited)
--     holds the human values; recomputing the merged fields from the
--     sources re-applies them last.
--   * `machine` (JSON object, NULL when never edited) keeps what the
--     extractor had for the fields that match a new extraction to this
--     event (type, date, date_precision, lat, lon, place_id, place,
--     subtype, actor), so that an edited event is still found again by
--     the machine's keys.
--   * Reviewed events are never deleted when no article reports them any
--     more.
ALTER TABLE events ADD COLUMN review TEXT NOT NULL DEFAULT 'auto'
    CHECK (review IN ('auto', 'accepted', 'edited', 'rejected'));
ALTER TABLE events ADD COLUMN reviewed_by TEXT;
ALTER TABLE events ADD COLUMN reviewed_at TEXT;
ALTER TABLE events ADD COLUMN overrides TEXT;
ALTER TABLE events ADD COLUMN machine TEXT;

-- Every change a reviewer made, in order: a status change is a row with
-- field `status`; values are JSON texts (NULL: no value).
CREATE TABLE event_reviews (
    id         INTEGER PRIMARY KEY,
    event_id   INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    reviewer   TEXT NOT NULL,
    at         TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    field      TEXT NOT NULL,
    before     TEXT,
    after      TEXT,
    note       TEXT
);
CREATE INDEX event_reviews_event ON event_reviews(event_id, id);

-- The review queue: unreviewed first, least confident first.
CREATE INDEX events_review ON events(review, confidence, source_count);

-- Edited events found again by the machine's keys (few rows: only
-- those a human corrected).
CREATE INDEX events_machine_keys ON events(
    json_extract(machine, '$.type'), json_extract(machine, '$.date'))
    WHERE machine IS NOT NULL;

-- The spatial index lists only public events: a rejected event leaves it
-- (so a query of the box alone, answered by the index, cannot show it),
-- and comes back if a reviewer takes the rejection back.
CREATE TRIGGER events_rtree_reject AFTER UPDATE OF review ON events
WHEN new.review = 'rejected' AND old.review <> 'rejected' BEGIN
    DELETE FROM events_rtree WHERE id = new.id;
END;
CREATE TRIGGER events_rtree_unreject AFTER UPDATE OF review ON events
WHEN old.review = 'rejected' AND new.review <> 'rejected' BEGIN
    INSERT OR REPLACE INTO events_rtree VALUES (new.id, new.lat, new.lat, new.lon, new.lon);
END;

-- The narrow scan index carries the status, so that excluding rejected
-- events does not read the wide rows.
DROP INDEX events_scan;
CREATE INDEX events_scan ON events(id, lat, lon, date, type, subtype, fatalities, review);
