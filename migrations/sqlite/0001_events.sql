-- Frontline storage: articles, the places events are tied to, events, and
-- the link from an event to every article that reports it.

CREATE TABLE articles (
    id           INTEGER PRIMARY KEY,
    -- SHA-256 of the text: the same article ingested twice is stored once.
    content_hash TEXT NOT NULL UNIQUE,
    -- The corpus id or file name it came with.
    name         TEXT NOT NULL DEFAULT '',
    url          TEXT,
    source       TEXT,
    title        TEXT,
    published    TEXT,
    text         TEXT NOT NULL,
    ingested_at  TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);

-- The gazetteer entries events are tied to, as they were when stored.
CREATE TABLE places (
    id        TEXT PRIMARY KEY,
    name      TEXT NOT NULL,
    name_en   TEXT NOT NULL DEFAULT '',
    name_ar   TEXT NOT NULL DEFAULT '',
    kind      TEXT NOT NULL,
    admin1    TEXT NOT NULL DEFAULT '',
    country   TEXT NOT NULL,
    lat       REAL NOT NULL,
    lon       REAL NOT NULL,
    geonameid INTEGER
);

CREATE TABLE events (
    id             INTEGER PRIMARY KEY,
    type           TEXT NOT NULL,
    subtype        TEXT,
    place_id       TEXT NOT NULL REFERENCES places(id),
    -- The place as the extractor named it.
    place          TEXT NOT NULL,
    lat            REAL NOT NULL,
    lon            REAL NOT NULL,
    precision      TEXT NOT NULL,
    radius_km      REAL NOT NULL DEFAULT 0,
    -- YYYY-MM-DD; the first day of the month or year for coarser precisions.
    date           TEXT,
    date_precision TEXT NOT NULL,
    actor          TEXT,
    target         TEXT,
    fatalities     INTEGER,
    injured        INTEGER,
    claimed_by     TEXT,
    -- The first source's evidence sentence and its spans (JSON array of
    -- {text, start, end}).
    evidence       TEXT NOT NULL,
    evidence_spans TEXT NOT NULL DEFAULT '[]',
    confidence     REAL NOT NULL DEFAULT 0,
    source_count   INTEGER NOT NULL DEFAULT 0,
    -- The sources as listed with the event (JSON array of {article_id,
    -- url, title, source, published}), kept up to date from event_sources
    -- so that listing events needs no join.
    sources        TEXT NOT NULL DEFAULT '[]'
);

-- What each article said about an event it reports.
CREATE TABLE event_sources (
    event_id       INTEGER NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    article_id     INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    subtype        TEXT,
    actor          TEXT,
    target         TEXT,
    fatalities     INTEGER,
    injured        INTEGER,
    claimed_by     TEXT,
    evidence       TEXT NOT NULL,
    evidence_spans TEXT NOT NULL DEFAULT '[]',
    confidence     REAL NOT NULL DEFAULT 0,
    PRIMARY KEY (event_id, article_id)
) WITHOUT ROWID;

CREATE INDEX event_sources_article ON event_sources(article_id, event_id);
CREATE INDEX events_date ON events(date, id);
-- Type and date with the position: merging on ingest, and filtered map
-- queries, read only this index.
CREATE INDEX events_type_date ON events(type, date, lat, lon);
-- Scanning events in id order (stable paging) while testing the position
-- and the usual filters reads this narrow index instead of the wide rows.
CREATE INDEX events_scan ON events(id, lat, lon, date, type, subtype, fatalities);
CREATE INDEX events_place_date ON events(place_id, date);
CREATE INDEX events_actor ON events(actor);
CREATE INDEX events_target ON events(target);
-- The latest controller of each place as of a date: one seek per place.
CREATE INDEX events_control ON events(place_id, date, id)
    WHERE type = 'control_change' AND precision = 'exact';

-- Spatial index: bounding-box queries without scanning the table.
CREATE VIRTUAL TABLE events_rtree USING rtree(id, min_lat, max_lat, min_lon, max_lon);

CREATE TRIGGER events_rtree_insert AFTER INSERT ON events BEGIN
    INSERT INTO events_rtree VALUES (new.id, new.lat, new.lat, new.lon, new.lon);
END;
CREATE TRIGGER events_rtree_update AFTER UPDATE OF lat, lon ON events
WHEN old.lat IS NOT new.lat OR old.lon IS NOT new.lon BEGIN
    UPDATE events_rtree SET min_lat = new.lat, max_lat = new.lat, min_lon = new.lon, max_lon = new.lon
    WHERE id = new.id;
END;
CREATE TRIGGER events_rtree_delete AFTER DELETE ON events BEGIN
    DELETE FROM events_rtree WHERE id = old.id;
END;

-- Full-text search over the evidence (accents and case folded).
CREATE VIRTUAL TABLE events_fts USING fts5(
    evidence, content = 'events', content_rowid = 'id',
    tokenize = 'unicode61 remove_diacritics 2'
);

CREATE TRIGGER events_fts_insert AFTER INSERT ON events BEGIN
    INSERT INTO events_fts(rowid, evidence) VALUES (new.id, new.evidence);
END;
CREATE TRIGGER events_fts_update AFTER UPDATE OF evidence ON events
WHEN old.evidence IS NOT new.evidence BEGIN
    INSERT INTO events_fts(events_fts, rowid, evidence) VALUES ('delete', old.id, old.evidence);
    INSERT INTO events_fts(rowid, evidence) VALUES (new.id, new.evidence);
END;
CREATE TRIGGER events_fts_delete AFTER DELETE ON events BEGIN
    INSERT INTO events_fts(events_fts, rowid, evidence) VALUES ('delete', old.id, old.evidence);
END;
