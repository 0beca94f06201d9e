-- Near-duplicates: the same story republished by several outlets with small
-- changes is stored once; each copy becomes another source of the stored
-- article (its URL and outlet listed) and adds no events.

-- The MinHash fingerprint of the text (see frontline_extract::near_dup);
-- NULL for texts too short to have one, and for articles stored before.
ALTER TABLE articles ADD COLUMN fingerprint BLOB;

-- The LSH band keys of each fingerprint: articles sharing a key are
-- compared.
CREATE TABLE article_bands (
    band       INTEGER NOT NULL,
    article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    PRIMARY KEY (band, article_id)
) WITHOUT ROWID;
CREATE INDEX article_bands_article ON article_bands(article_id);

CREATE TABLE article_copies (
    id           INTEGER PRIMARY KEY,
    article_id   INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    -- SHA-256 of the copy's own text: the same copy ingested twice is
    -- folded once.
    content_hash TEXT NOT NULL UNIQUE,
    name         TEXT NOT NULL DEFAULT '',
    url          TEXT,
    source       TEXT,
    title        TEXT,
    published    TEXT,
    -- The estimated Jaccard similarity with the stored article.
    similarity   REAL NOT NULL,
    added_at     TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE INDEX article_copies_article ON article_copies(article_id);
CREATE INDEX article_copies_url ON article_copies(url);
