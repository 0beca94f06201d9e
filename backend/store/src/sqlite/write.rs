//! Writing on SQLite: articles with their events, one transaction per
//! article, and the merging of one event reported by several articles.

use super::SqliteStore;
use crate::error::Result;
use crate::write::{
    bulk_article_ids, bulk_places, bulk_sources_json, content_hash, count_i64, full_date,
    nearest_same_happening, spans_json, Added, BulkEvent, Candidate, Replaced, CANDIDATE_BOX,
};
use crate::PlaceRow;
use frontline_extract::article::Article;
use frontline_extract::{Event, Subtype};
use sqlx::{QueryBuilder, Sqlite, SqliteConnection};

impl SqliteStore {
    /// The stored article with this text, if any.
    pub async fn article_by_hash(&self, hash: &str) -> Result<Option<i64>> {
        Ok(
            sqlx::query_scalar("SELECT id FROM articles WHERE content_hash = ?")
                .bind(hash)
                .fetch_optional(&self.pool)
                .await?,
        )
    }

    /// Store an article and the events extracted from it, in one
    /// transaction. The same text stored twice changes nothing.
    pub async fn add_article(
        &self,
        article: &Article,
        events: &[(Event, PlaceRow)],
    ) -> Result<Added> {
        self.add_article_with(article, events, None).await
    }

    /// [`Store::add_article`], with the text's near-duplicate fingerprint
    /// (stored form and band keys) when it has one.
    pub async fn add_article_with(
        &self,
        article: &Article,
        events: &[(Event, PlaceRow)],
        fingerprint: Option<(&[u8], &[i64])>,
    ) -> Result<Added> {
        let hash = content_hash(&article.text);
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let inserted: Option<i64> = sqlx::query_scalar(
            "INSERT INTO articles (content_hash, name, url, source, title, published, text)
             VALUES (?, ?, ?, ?, ?, ?, ?)
             ON CONFLICT (content_hash) DO NOTHING RETURNING id",
        )
        .bind(&hash)
        .bind(&article.id)
        .bind(&article.url)
        .bind(&article.source)
        .bind(&article.title)
        .bind(article.published.map(|d| d.to_string()))
        .bind(&article.text)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(article_id) = inserted else {
            let article_id: i64 =
                sqlx::query_scalar("SELECT id FROM articles WHERE content_hash = ?")
                    .bind(&hash)
                    .fetch_one(&mut *tx)
                    .await?;
            let event_ids = article_event_ids(&mut tx, article_id).await?;
            tx.commit().await?;
            return Ok(Added {
                article_id,
                new: false,
                event_ids,
                ..Added::default()
            });
        };
        if let Some((bytes, bands)) = fingerprint {
            sqlx::query("UPDATE articles SET fingerprint = ? WHERE id = ?")
                .bind(bytes)
                .bind(article_id)
                .execute(&mut *tx)
                .await?;
            for band in bands {
                sqlx::query("INSERT OR IGNORE INTO article_bands (band, article_id) VALUES (?, ?)")
                    .bind(band)
                    .bind(article_id)
                    .execute(&mut *tx)
                    .await?;
            }
        }
        let mut added = Added {
            article_id,
            new: true,
            ..Added::default()
        };
        for (event, place) in events {
            let (id, created) = link_event(&mut tx, article_id, event, place).await?;
            added.count(id, created);
        }
        tx.commit().await?;
        Ok(added)
    }

    /// Ids of every stored article, oldest first.
    pub async fn article_ids(&self) -> Result<Vec<i64>> {
        Ok(sqlx::query_scalar("SELECT id FROM articles ORDER BY id")
            .fetch_all(&self.pool)
            .await?)
    }

    /// Replace what an article reports with a new extraction (after a
    /// gazetteer or rule change), in one transaction: its old links go,
    /// events no article reports any more go, the new events are merged
    /// as on ingest.
    pub async fn replace_events(
        &self,
        article_id: i64,
        events: &[(Event, PlaceRow)],
    ) -> Result<Replaced> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let old = article_event_ids(&mut tx, article_id).await?;
        sqlx::query("DELETE FROM event_sources WHERE article_id = ?")
            .bind(article_id)
            .execute(&mut *tx)
            .await?;
        let mut out = Replaced {
            events_before: old.len(),
            ..Replaced::default()
        };
        // The new events first, so that an event found again keeps its id.
        let mut ids = Vec::new();
        for (event, place) in events {
            let (id, created) = link_event(&mut tx, article_id, event, place).await?;
            if !ids.contains(&id) {
                ids.push(id);
            }
            out.events_added += created as usize;
        }
        for id in old {
            let left: i64 =
                sqlx::query_scalar("SELECT count(*) FROM event_sources WHERE event_id = ?")
                    .bind(id)
                    .fetch_one(&mut *tx)
                    .await?;
            // A human decision (accepted, edited, rejected) is kept even
            // when no article reports the event any more.
            let reviewed: bool =
                sqlx::query_scalar("SELECT review <> 'auto' FROM events WHERE id = ?")
                    .bind(id)
                    .fetch_one(&mut *tx)
                    .await?;
            if left == 0 && !reviewed {
                sqlx::query("DELETE FROM events WHERE id = ?")
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                // Open maps drop it (the live stream sends it as removed).
                sqlx::query("INSERT INTO event_changes (event_id) VALUES (?)")
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                out.events_removed += 1;
            } else {
                refresh(&mut tx, id).await?;
            }
        }
        out.events_after = ids.len();
        tx.commit().await?;
        Ok(out)
    }

    /// Write prepared articles and events in bulk (benchmarks, copies), in one
    /// transaction. Returns the number of events written.
    pub async fn add_bulk(&self, articles: &[Article], events: &[BulkEvent]) -> Result<usize> {
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let mut article_ids = Vec::with_capacity(articles.len());
        for a in articles {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO articles (content_hash, name, url, source, title, published, text)
                 VALUES (?, ?, ?, ?, ?, ?, ?)
                 ON CONFLICT (content_hash) DO UPDATE SET name = excluded.name RETURNING id",
            )
            .bind(content_hash(&a.text))
            .bind(&a.id)
            .bind(&a.url)
            .bind(&a.source)
            .bind(&a.title)
            .bind(a.published.map(|d| d.to_string()))
            .bind(&a.text)
            .fetch_one(&mut *tx)
            .await?;
            article_ids.push(id);
        }
        let event_articles = bulk_article_ids(events, &article_ids)?;
        for p in bulk_places(events) {
            upsert_place(&mut tx, p).await?;
        }
        let first: i64 = sqlx::query_scalar("SELECT coalesce(max(id), 0) + 1 FROM events")
            .fetch_one(&mut *tx)
            .await?;
        const BATCH: usize = 400;
        for (b, chunk) in events.chunks(BATCH).enumerate() {
            let base = first + (b * BATCH) as i64;
            let mut qb: QueryBuilder<Sqlite> = QueryBuilder::new(
                "INSERT INTO events (id, type, subtype, place_id, place, lat, lon, precision, radius_km, date,
                 date_precision, actor, target, fatalities, injured, claimed_by, evidence, evidence_spans,
                 confidence, source_count, sources) ",
            );
            qb.push_values(chunk.iter().enumerate(), |mut row, (i, s)| {
                let e = &s.event;
                let sources =
                    bulk_sources_json(articles.get(s.article), article_ids.get(s.article).copied());
                row.push_bind(base + i as i64)
                    .push_bind(e.event_type.as_str())
                    .push_bind(e.subtype.map(Subtype::as_str))
                    .push_bind(s.place.id.clone())
                    .push_bind(e.place.clone())
                    .push_bind(e.lat)
                    .push_bind(e.lon)
                    .push_bind(e.precision.as_str())
                    .push_bind(e.radius_km)
                    .push_bind(full_date(e.date.as_deref()))
                    .push_bind(e.date_precision.as_str())
                    .push_bind(e.actor.clone())
                    .push_bind(e.target.clone())
                    .push_bind(count_i64(e.fatalities))
                    .push_bind(count_i64(e.injured))
                    .push_bind(e.claimed_by.clone())
                    .push_bind(e.evidence.clone())
                    .push_bind(spans_json(e))
                    .push_bind(e.confidence)
                    .push_bind(1i64)
                    .push_bind(sources);
            });
            qb.build().execute(&mut *tx).await?;
            let mut qb: QueryBuilder<Sqlite> = QueryBuilder::new(
                "INSERT INTO event_sources (event_id, article_id, subtype, actor, target, fatalities, injured,
                 claimed_by, evidence, evidence_spans, confidence) ",
            );
            let chunk_articles = &event_articles[b * BATCH..];
            qb.push_values(chunk.iter().enumerate(), |mut row, (i, s)| {
                let e = &s.event;
                row.push_bind(base + i as i64)
                    .push_bind(chunk_articles[i])
                    .push_bind(e.subtype.map(Subtype::as_str))
                    .push_bind(e.actor.clone())
                    .push_bind(e.target.clone())
                    .push_bind(count_i64(e.fatalities))
                    .push_bind(count_i64(e.injured))
                    .push_bind(e.claimed_by.clone())
                    .push_bind(e.evidence.clone())
                    .push_bind(spans_json(e))
                    .push_bind(e.confidence);
            });
            qb.build().execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(events.len())
    }
}

async fn article_event_ids(conn: &mut SqliteConnection, article_id: i64) -> Result<Vec<i64>> {
    Ok(sqlx::query_scalar(
        "SELECT event_id FROM event_sources WHERE article_id = ? ORDER BY event_id",
    )
    .bind(article_id)
    .fetch_all(conn)
    .await?)
}

pub(crate) async fn upsert_place(conn: &mut SqliteConnection, p: &PlaceRow) -> Result<()> {
    sqlx::query(
        "INSERT INTO places (id, name, name_en, name_ar, kind, admin1, country, lat, lon, geonameid)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET name = excluded.name, name_en = excluded.name_en,
           name_ar = excluded.name_ar, kind = excluded.kind, admin1 = excluded.admin1,
           country = excluded.country, lat = excluded.lat, lon = excluded.lon, geonameid = excluded.geonameid",
    )
    .bind(&p.id)
    .bind(&p.name)
    .bind(&p.name_en)
    .bind(&p.name_ar)
    .bind(&p.kind)
    .bind(&p.admin1)
    .bind(&p.country)
    .bind(p.lat)
    .bind(p.lon)
    .bind(p.geonameid)
    .execute(conn)
    .await?;
    Ok(())
}

/// The stored events a dated extraction may be another report of: same
/// type, day and precision, within about 5 km, not already reported by
/// this article. Matching uses the machine's values: a human correction
/// of an event's type, date or place (kept in `machine`, see `review`)
/// does not stop the same happening from being found again.
async fn dated_candidates(
    conn: &mut SqliteConnection,
    article_id: i64,
    e: &Event,
    day: &str,
) -> Result<Vec<Candidate>> {
    let (dlat, dlon) = CANDIDATE_BOX;
    let mut out = Vec::new();
    let queries = [
        // Events never edited: their columns are the machine's values.
        "SELECT e.id, e.lat, e.lon, e.actor, e.subtype FROM events e
         WHERE e.type = ?1 AND e.date = ?2 AND e.date_precision = ?3
           AND e.lat BETWEEN ?4 AND ?5 AND e.lon BETWEEN ?6 AND ?7 AND e.machine IS NULL
           AND NOT EXISTS (SELECT 1 FROM event_sources s WHERE s.event_id = e.id AND s.article_id = ?8)",
        // Edited events, by the keys the machine had.
        "SELECT e.id, json_extract(e.machine, '$.lat') AS lat, json_extract(e.machine, '$.lon') AS lon,
                json_extract(e.machine, '$.actor') AS actor, json_extract(e.machine, '$.subtype') AS subtype
         FROM events e
         WHERE e.machine IS NOT NULL AND json_extract(e.machine, '$.type') = ?1
           AND json_extract(e.machine, '$.date') = ?2
           AND json_extract(e.machine, '$.date_precision') = ?3
           AND json_extract(e.machine, '$.lat') BETWEEN ?4 AND ?5
           AND json_extract(e.machine, '$.lon') BETWEEN ?6 AND ?7
           AND NOT EXISTS (SELECT 1 FROM event_sources s WHERE s.event_id = e.id AND s.article_id = ?8)",
    ];
    for sql in queries {
        let found: Vec<Candidate> = sqlx::query_as(sql)
            .bind(e.event_type.as_str())
            .bind(day)
            .bind(e.date_precision.as_str())
            .bind(e.lat - dlat)
            .bind(e.lat + dlat)
            .bind(e.lon - dlon)
            .bind(e.lon + dlon)
            .bind(article_id)
            .fetch_all(&mut *conn)
            .await?;
        out.extend(found);
    }
    Ok(out)
}

/// An undated extraction is never merged across articles; only an event
/// left without sources by re-extraction is found again (by the machine's
/// type and place, also when a human corrected them).
async fn undated_match(
    conn: &mut SqliteConnection,
    e: &Event,
    place: &PlaceRow,
) -> Result<Option<i64>> {
    Ok(sqlx::query_scalar(
        "SELECT e.id FROM events e
         WHERE ((e.machine IS NULL AND e.type = ?1 AND e.date IS NULL AND e.place_id = ?2 AND e.place = ?3)
             OR (e.machine IS NOT NULL AND json_extract(e.machine, '$.type') = ?1
                 AND json_extract(e.machine, '$.date') IS NULL
                 AND json_extract(e.machine, '$.place_id') = ?2 AND json_extract(e.machine, '$.place') = ?3))
           AND NOT EXISTS (SELECT 1 FROM event_sources s WHERE s.event_id = e.id)
         LIMIT 1",
    )
    .bind(e.event_type.as_str())
    .bind(&place.id)
    .bind(&e.place)
    .fetch_optional(conn)
    .await?)
}

/// Tie one extracted event to an article: merged into the same event
/// already reported by another article, or stored as a new one.
/// Returns the event id and whether it was created.
async fn link_event(
    conn: &mut SqliteConnection,
    article_id: i64,
    e: &Event,
    place: &PlaceRow,
) -> Result<(i64, bool)> {
    upsert_place(conn, place).await?;
    let date = full_date(e.date.as_deref());
    let mut found: Option<(i64, f64)> = None;
    if date.is_none() {
        found = undated_match(conn, e, place).await?.map(|id| (id, 0.0));
    }
    if let Some(day) = &date {
        let candidates = dated_candidates(conn, article_id, e, day).await?;
        found = nearest_same_happening(e, day, &candidates);
    }
    let (event_id, created) = match found {
        Some((id, _)) => (id, false),
        None => {
            let id: i64 = sqlx::query_scalar(
                "INSERT INTO events (type, subtype, place_id, place, lat, lon, precision, radius_km, date,
                   date_precision, actor, target, fatalities, injured, claimed_by, evidence, evidence_spans,
                   confidence, source_count)
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0) RETURNING id",
            )
            .bind(e.event_type.as_str())
            .bind(e.subtype.map(Subtype::as_str))
            .bind(&place.id)
            .bind(&e.place)
            .bind(e.lat)
            .bind(e.lon)
            .bind(e.precision.as_str())
            .bind(e.radius_km)
            .bind(&date)
            .bind(e.date_precision.as_str())
            .bind(&e.actor)
            .bind(&e.target)
            .bind(count_i64(e.fatalities))
            .bind(count_i64(e.injured))
            .bind(&e.claimed_by)
            .bind(&e.evidence)
            .bind(spans_json(e))
            .bind(e.confidence)
            .fetch_one(&mut *conn)
            .await?;
            (id, true)
        }
    };
    sqlx::query(
        "INSERT INTO event_sources (event_id, article_id, subtype, actor, target, fatalities, injured,
           claimed_by, evidence, evidence_spans, confidence)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (event_id, article_id) DO NOTHING",
    )
    .bind(event_id)
    .bind(article_id)
    .bind(e.subtype.map(Subtype::as_str))
    .bind(&e.actor)
    .bind(&e.target)
    .bind(count_i64(e.fatalities))
    .bind(count_i64(e.injured))
    .bind(&e.claimed_by)
    .bind(&e.evidence)
    .bind(spans_json(e))
    .bind(e.confidence)
    .execute(&mut *conn)
    .await?;
    refresh(conn, event_id).await?;
    Ok((event_id, created))
}

/// Recompute an event's merged fields from all its sources: the first
/// source's evidence, the first named actor, target and claimant, the
/// most specific subtype, the highest casualty figures and confidence;
/// then re-apply a reviewer's corrections over them. A reviewed event
/// left without sources keeps its last fields.
async fn refresh(conn: &mut SqliteConnection, event_id: i64) -> Result<()> {
    let sources: i64 = sqlx::query_scalar("SELECT count(*) FROM event_sources WHERE event_id = ?")
        .bind(event_id)
        .fetch_one(&mut *conn)
        .await?;
    if sources == 0 {
        sqlx::query("UPDATE events SET source_count = 0, sources = '[]' WHERE id = ?")
            .bind(event_id)
            .execute(&mut *conn)
            .await?;
    } else {
        merge_sources(conn, event_id).await?;
    }
    super::review::apply_overrides(conn, event_id).await?;
    // Open maps learn of it (`event_changes`).
    sqlx::query("INSERT INTO event_changes (event_id) VALUES (?)")
        .bind(event_id)
        .execute(conn)
        .await?;
    Ok(())
}

async fn merge_sources(conn: &mut SqliteConnection, event_id: i64) -> Result<()> {
    sqlx::query(
        "UPDATE events SET
           subtype = coalesce(
             (SELECT subtype FROM event_sources WHERE event_id = ?1 AND subtype IS NOT NULL
                AND subtype <> 'unspecified' ORDER BY article_id LIMIT 1),
             (SELECT subtype FROM event_sources WHERE event_id = ?1 AND subtype IS NOT NULL
                ORDER BY article_id LIMIT 1)),
           actor = (SELECT actor FROM event_sources WHERE event_id = ?1 AND actor IS NOT NULL
                      ORDER BY article_id LIMIT 1),
           target = (SELECT target FROM event_sources WHERE event_id = ?1 AND target IS NOT NULL
                      ORDER BY article_id LIMIT 1),
           claimed_by = (SELECT claimed_by FROM event_sources WHERE event_id = ?1 AND claimed_by IS NOT NULL
                      ORDER BY article_id LIMIT 1),
           fatalities = (SELECT max(fatalities) FROM event_sources WHERE event_id = ?1),
           injured = (SELECT max(injured) FROM event_sources WHERE event_id = ?1),
           confidence = (SELECT max(confidence) FROM event_sources WHERE event_id = ?1),
           source_count = (SELECT count(*) FROM event_sources WHERE event_id = ?1),
           evidence = (SELECT evidence FROM event_sources WHERE event_id = ?1 ORDER BY article_id LIMIT 1),
           evidence_spans = (SELECT evidence_spans FROM event_sources WHERE event_id = ?1
                      ORDER BY article_id LIMIT 1),
           sources = (SELECT json_group_array(json_object('article_id', x.article_id, 'url', x.url,
                        'title', x.title, 'source', x.source, 'published', x.published))
                      FROM (SELECT s.article_id, a.url, a.title, a.source, a.published
                            FROM event_sources s JOIN articles a ON a.id = s.article_id
                            WHERE s.event_id = ?1 ORDER BY s.article_id) x)
         WHERE id = ?1",
    )
    .bind(event_id)
    .execute(conn)
    .await?;
    Ok(())
}
