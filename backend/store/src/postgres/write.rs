//! Writing on PostgreSQL: articles with their events, one transaction per
//! article, the merging of one event reported by several articles, and
//! bulk loads through arrays (`unnest`).
//!
//! Several processes may write at once. Articles are unique by their
//! content hash (`ON CONFLICT DO NOTHING`, then the stored id is read).
//! Every transaction that writes events or places first takes one
//! transaction-scoped advisory lock, [`lock_writes`], so that two reports
//! of one happening ingested at once are merged one after the other: the
//! second sees the first's event (each statement of a READ COMMITTED
//! transaction sees what was committed before it began, and the first
//! commits before its lock is released).

use super::PgStore;
use crate::error::{Error, Result};
use crate::write::{
    bulk_article_ids, bulk_places, bulk_sources_json, content_hash, count_i64, full_date,
    nearest_same_happening, sources_json, spans_json, Added, BulkEvent, Candidate, Replaced,
    SourceRef, CANDIDATE_BOX,
};
use crate::PlaceRow;
use frontline_extract::article::Article;
use frontline_extract::{Event, Subtype};
use sqlx::PgConnection;
use std::collections::HashMap;

/// The advisory lock every writer of events and places takes first, as
/// the two keys `(namespace, key)` (a key space apart from the one-bigint
/// locks sqlx's migrations take).
///
/// Why one key for the whole merge step rather than one per happening
/// (type and day): the schema's `data_version` is one row that a trigger
/// updates after every statement writing events or places, so writers are
/// already serialised from their first such write until they commit. A
/// lock per happening would add no concurrency, and would allow deadlocks:
/// a transaction holding a place's row while waiting for `data_version`,
/// another holding `data_version` and wanting that place. Taking this one
/// lock before any row lock orders every writer the same way.
const WRITE_LOCK: (i32, i32) = (0x4652_4c4e, 1);

pub(crate) async fn lock_writes(conn: &mut PgConnection) -> Result<()> {
    sqlx::query("SELECT pg_advisory_xact_lock($1, $2)")
        .bind(WRITE_LOCK.0)
        .bind(WRITE_LOCK.1)
        .execute(conn)
        .await?;
    Ok(())
}

/// Events written per `INSERT … SELECT FROM unnest(…)` statement of a bulk
/// load.
const BULK_CHUNK: usize = 10_000;

impl PgStore {
    pub async fn article_by_hash(&self, hash: &str) -> Result<Option<i64>> {
        Ok(
            sqlx::query_scalar("SELECT id FROM articles WHERE content_hash = $1")
                .bind(hash)
                .fetch_optional(&self.pool)
                .await?,
        )
    }

    pub async fn add_article(
        &self,
        article: &Article,
        events: &[(Event, PlaceRow)],
    ) -> Result<Added> {
        self.add_article_with(article, events, None).await
    }

    /// Store an article and its events in one transaction (see
    /// `Store::add_article_with`); the same text stored by another process
    /// at the same time is stored once.
    pub async fn add_article_with(
        &self,
        article: &Article,
        events: &[(Event, PlaceRow)],
        fingerprint: Option<(&[u8], &[i64])>,
    ) -> Result<Added> {
        let hash = content_hash(&article.text);
        let mut tx = self.pool.begin().await?;
        lock_writes(&mut tx).await?;
        let inserted: Option<i64> = sqlx::query_scalar(
            "INSERT INTO articles (content_hash, name, url, source, title, published, text)
             VALUES ($1, $2, $3, $4, $5, $6, $7)
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
                sqlx::query_scalar("SELECT id FROM articles WHERE content_hash = $1")
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
            store_fingerprint(&mut tx, article_id, bytes, bands).await?;
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

    pub async fn article_ids(&self) -> Result<Vec<i64>> {
        Ok(sqlx::query_scalar("SELECT id FROM articles ORDER BY id")
            .fetch_all(&self.pool)
            .await?)
    }

    /// Replace what an article reports with a new extraction, in one
    /// transaction: its old links go, events no article reports any more
    /// go (unless reviewed), the new events are merged as on ingest.
    pub async fn replace_events(
        &self,
        article_id: i64,
        events: &[(Event, PlaceRow)],
    ) -> Result<Replaced> {
        let mut tx = self.pool.begin().await?;
        lock_writes(&mut tx).await?;
        let old = article_event_ids(&mut tx, article_id).await?;
        sqlx::query("DELETE FROM event_sources WHERE article_id = $1")
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
            // A human decision (accepted, edited, rejected) is kept even
            // when no article reports the event any more.
            let gone: bool = sqlx::query_scalar(
                "SELECT review = 'auto'
                        AND NOT EXISTS (SELECT 1 FROM event_sources WHERE event_id = $1)
                 FROM events WHERE id = $1",
            )
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
            if gone {
                sqlx::query("DELETE FROM events WHERE id = $1")
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                // Open maps drop it (the live stream sends it as removed).
                log_change(&mut tx, id).await?;
                out.events_removed += 1;
            } else {
                refresh(&mut tx, id).await?;
            }
        }
        out.events_after = ids.len();
        tx.commit().await?;
        Ok(out)
    }

    /// Write prepared articles and events in bulk (benchmarks, demo data),
    /// in one transaction, through arrays: a few statements per
    /// [`BULK_CHUNK`] events. No merging, no change log. Returns the
    /// number of events written.
    pub async fn add_bulk(&self, articles: &[Article], events: &[BulkEvent]) -> Result<usize> {
        let mut tx = self.pool.begin().await?;
        lock_writes(&mut tx).await?;
        let article_ids = bulk_articles(&mut tx, articles).await?;
        let event_articles = bulk_article_ids(events, &article_ids)?;
        upsert_places(&mut tx, &bulk_places(events)).await?;
        // Ids drawn from the table's own sequence: explicit, so that each
        // event's source row names it, and never reused by a later insert.
        let ids: Vec<i64> = sqlx::query_scalar(
            "SELECT nextval(pg_get_serial_sequence('events', 'id')) FROM generate_series(1, $1)",
        )
        .bind(events.len() as i64)
        .fetch_all(&mut *tx)
        .await?;
        for (c, chunk) in events.chunks(BULK_CHUNK).enumerate() {
            let at = c * BULK_CHUNK;
            let ids = &ids[at..at + chunk.len()];
            let chunk_articles = &event_articles[at..at + chunk.len()];
            bulk_events(&mut tx, ids, chunk, articles, chunk_articles).await?;
            bulk_sources(&mut tx, ids, chunk, chunk_articles).await?;
        }
        tx.commit().await?;
        Ok(events.len())
    }
}

async fn store_fingerprint(
    conn: &mut PgConnection,
    article_id: i64,
    bytes: &[u8],
    bands: &[i64],
) -> Result<()> {
    sqlx::query("UPDATE articles SET fingerprint = $1 WHERE id = $2")
        .bind(bytes)
        .bind(article_id)
        .execute(&mut *conn)
        .await?;
    sqlx::query(
        "INSERT INTO article_bands (band, article_id) SELECT unnest($1::bigint[]), $2
         ON CONFLICT DO NOTHING",
    )
    .bind(bands)
    .bind(article_id)
    .execute(conn)
    .await?;
    Ok(())
}

async fn article_event_ids(conn: &mut PgConnection, article_id: i64) -> Result<Vec<i64>> {
    Ok(sqlx::query_scalar(
        "SELECT event_id FROM event_sources WHERE article_id = $1 ORDER BY event_id",
    )
    .bind(article_id)
    .fetch_all(conn)
    .await?)
}

/// `INSERT … ON CONFLICT (id) DO UPDATE` of places, from arrays.
const UPSERT_PLACES: &str = "INSERT INTO places (id, name, name_en, name_ar, kind, admin1, country, lat, lon, geonameid)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[],
                          $7::text[], $8::float8[], $9::float8[], $10::bigint[])
     ON CONFLICT (id) DO UPDATE SET name = excluded.name, name_en = excluded.name_en,
       name_ar = excluded.name_ar, kind = excluded.kind, admin1 = excluded.admin1,
       country = excluded.country, lat = excluded.lat, lon = excluded.lon, geonameid = excluded.geonameid";

/// Store places (distinct ids), updating the stored ones.
pub(crate) async fn upsert_places(conn: &mut PgConnection, places: &[&PlaceRow]) -> Result<()> {
    let col = |f: fn(&PlaceRow) -> &String| places.iter().map(|p| f(p).clone()).collect::<Vec<_>>();
    sqlx::query(UPSERT_PLACES)
        .bind(col(|p| &p.id))
        .bind(col(|p| &p.name))
        .bind(col(|p| &p.name_en))
        .bind(col(|p| &p.name_ar))
        .bind(col(|p| &p.kind))
        .bind(col(|p| &p.admin1))
        .bind(col(|p| &p.country))
        .bind(places.iter().map(|p| p.lat).collect::<Vec<_>>())
        .bind(places.iter().map(|p| p.lon).collect::<Vec<_>>())
        .bind(places.iter().map(|p| p.geonameid).collect::<Vec<_>>())
        .execute(conn)
        .await?;
    Ok(())
}

/// Store one place, updating it when stored.
pub(crate) async fn upsert_place(conn: &mut PgConnection, p: &PlaceRow) -> Result<()> {
    upsert_places(conn, &[p]).await
}

/// Store a bulk batch's articles (one text stored once: the last name
/// given to it wins, as on SQLite) and return their ids, in batch order.
async fn bulk_articles(conn: &mut PgConnection, articles: &[Article]) -> Result<Vec<i64>> {
    let hashes: Vec<String> = articles.iter().map(|a| content_hash(&a.text)).collect();
    let mut last: HashMap<&str, usize> = HashMap::new();
    for (i, h) in hashes.iter().enumerate() {
        last.insert(h, i);
    }
    let mut first: Vec<usize> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for (i, h) in hashes.iter().enumerate() {
        if seen.insert(h.as_str()) {
            first.push(i);
        }
    }
    let text = |f: fn(&Article) -> Option<String>| -> Vec<Option<String>> {
        first.iter().map(|&i| f(&articles[i])).collect()
    };
    let rows: Vec<(i64, String)> = sqlx::query_as(
        "INSERT INTO articles (content_hash, name, url, source, title, published, text)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[],
                              $6::text[], $7::text[])
         ON CONFLICT (content_hash) DO UPDATE SET name = excluded.name
         RETURNING id, content_hash",
    )
    .bind(first.iter().map(|&i| hashes[i].clone()).collect::<Vec<_>>())
    .bind(
        first
            .iter()
            .map(|&i| articles[last[hashes[i].as_str()]].id.clone())
            .collect::<Vec<_>>(),
    )
    .bind(text(|a| a.url.clone()))
    .bind(text(|a| a.source.clone()))
    .bind(text(|a| a.title.clone()))
    .bind(text(|a| a.published.map(|d| d.to_string())))
    .bind(
        first
            .iter()
            .map(|&i| articles[i].text.clone())
            .collect::<Vec<_>>(),
    )
    .fetch_all(&mut *conn)
    .await?;
    let by_hash: HashMap<String, i64> = rows.into_iter().map(|(id, h)| (h, id)).collect();
    hashes
        .iter()
        .map(|h| {
            by_hash
                .get(h)
                .copied()
                .ok_or_else(|| Error::Inconsistent(format!("bulk article {h} was not stored")))
        })
        .collect()
}

/// One chunk of bulk events, with the ids drawn for them.
async fn bulk_events(
    conn: &mut PgConnection,
    ids: &[i64],
    chunk: &[BulkEvent],
    articles: &[Article],
    article_ids: &[i64],
) -> Result<()> {
    let text = |f: &dyn Fn(&BulkEvent) -> Option<String>| -> Vec<Option<String>> {
        chunk.iter().map(f).collect()
    };
    let real = |f: fn(&Event) -> f64| -> Vec<f64> { chunk.iter().map(|s| f(&s.event)).collect() };
    let count = |f: fn(&Event) -> Option<u64>| -> Vec<Option<i64>> {
        chunk.iter().map(|s| count_i64(f(&s.event))).collect()
    };
    sqlx::query(
        "INSERT INTO events (id, type, subtype, place_id, place, lat, lon, precision, radius_km, date,
           date_precision, actor, target, fatalities, injured, claimed_by, evidence, evidence_spans,
           confidence, source_count, sources)
         SELECT id, type, subtype, place_id, place, lat, lon, precision, radius_km, date,
           date_precision, actor, target, fatalities, injured, claimed_by, evidence, evidence_spans,
           confidence, 1, sources
         FROM unnest($1::bigint[], $2::text[], $3::text[], $4::text[], $5::text[], $6::float8[],
           $7::float8[], $8::text[], $9::float8[], $10::text[], $11::text[], $12::text[], $13::text[],
           $14::bigint[], $15::bigint[], $16::text[], $17::text[], $18::text[], $19::float8[],
           $20::text[])
           AS t(id, type, subtype, place_id, place, lat, lon, precision, radius_km, date,
             date_precision, actor, target, fatalities, injured, claimed_by, evidence,
             evidence_spans, confidence, sources)",
    )
    .bind(ids)
    .bind(text(&|s| Some(s.event.event_type.as_str().to_string())))
    .bind(text(&|s| s.event.subtype.map(|t| Subtype::as_str(t).to_string())))
    .bind(text(&|s| Some(s.place.id.clone())))
    .bind(text(&|s| Some(s.event.place.clone())))
    .bind(real(|e| e.lat))
    .bind(real(|e| e.lon))
    .bind(text(&|s| Some(s.event.precision.as_str().to_string())))
    .bind(real(|e| e.radius_km))
    .bind(text(&|s| full_date(s.event.date.as_deref())))
    .bind(text(&|s| Some(s.event.date_precision.as_str().to_string())))
    .bind(text(&|s| s.event.actor.clone()))
    .bind(text(&|s| s.event.target.clone()))
    .bind(count(|e| e.fatalities))
    .bind(count(|e| e.injured))
    .bind(text(&|s| s.event.claimed_by.clone()))
    .bind(text(&|s| Some(s.event.evidence.clone())))
    .bind(text(&|s| Some(spans_json(&s.event))))
    .bind(real(|e| e.confidence))
    .bind(
        chunk
            .iter()
            .zip(article_ids)
            .map(|(s, &id)| bulk_sources_json(articles.get(s.article), Some(id)))
            .collect::<Vec<_>>(),
    )
    .execute(conn)
    .await?;
    Ok(())
}

/// The source rows of one chunk of bulk events.
async fn bulk_sources(
    conn: &mut PgConnection,
    ids: &[i64],
    chunk: &[BulkEvent],
    article_ids: &[i64],
) -> Result<()> {
    let text = |f: &dyn Fn(&Event) -> Option<String>| -> Vec<Option<String>> {
        chunk.iter().map(|s| f(&s.event)).collect()
    };
    sqlx::query(
        "INSERT INTO event_sources (event_id, article_id, subtype, actor, target, fatalities, injured,
           claimed_by, evidence, evidence_spans, confidence)
         SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::text[],
           $6::bigint[], $7::bigint[], $8::text[], $9::text[], $10::text[], $11::float8[])",
    )
    .bind(ids)
    .bind(article_ids)
    .bind(text(&|e| e.subtype.map(|t| Subtype::as_str(t).to_string())))
    .bind(text(&|e| e.actor.clone()))
    .bind(text(&|e| e.target.clone()))
    .bind(
        chunk
            .iter()
            .map(|s| count_i64(s.event.fatalities))
            .collect::<Vec<_>>(),
    )
    .bind(
        chunk
            .iter()
            .map(|s| count_i64(s.event.injured))
            .collect::<Vec<_>>(),
    )
    .bind(text(&|e| e.claimed_by.clone()))
    .bind(text(&|e| Some(e.evidence.clone())))
    .bind(text(&|e| Some(spans_json(e))))
    .bind(chunk.iter().map(|s| s.event.confidence).collect::<Vec<_>>())
    .execute(conn)
    .await?;
    Ok(())
}

/// The stored events a dated extraction may be another report of: same
/// type, day and precision, within about 5 km, not already reported by
/// this article. Edited events are matched by the keys the machine had
/// (`machine`, see `review`), through the `events_machine_keys` index.
async fn dated_candidates(
    conn: &mut PgConnection,
    article_id: i64,
    e: &Event,
    day: &str,
) -> Result<Vec<Candidate>> {
    let (dlat, dlon) = CANDIDATE_BOX;
    Ok(sqlx::query_as(
        "SELECT id, lat, lon, actor, subtype FROM (
           SELECT 0 AS edited, e.id, e.lat, e.lon, e.actor, e.subtype FROM events e
           WHERE e.type = $1 AND e.date = $2 AND e.date_precision = $3
             AND e.lat BETWEEN $4 AND $5 AND e.lon BETWEEN $6 AND $7 AND e.machine IS NULL
             AND NOT EXISTS (SELECT 1 FROM event_sources s WHERE s.event_id = e.id AND s.article_id = $8)
           UNION ALL
           SELECT 1, e.id, (m ->> 'lat')::float8, (m ->> 'lon')::float8, m ->> 'actor', m ->> 'subtype'
           FROM events e CROSS JOIN LATERAL (SELECT e.machine::jsonb AS m) k
           WHERE e.machine IS NOT NULL AND (e.machine::jsonb ->> 'type') = $1
             AND (e.machine::jsonb ->> 'date') = $2 AND m ->> 'date_precision' = $3
             AND (m ->> 'lat')::float8 BETWEEN $4 AND $5 AND (m ->> 'lon')::float8 BETWEEN $6 AND $7
             AND NOT EXISTS (SELECT 1 FROM event_sources s WHERE s.event_id = e.id AND s.article_id = $8)
         ) c ORDER BY edited, id",
    )
    .bind(e.event_type.as_str())
    .bind(day)
    .bind(e.date_precision.as_str())
    .bind(e.lat - dlat)
    .bind(e.lat + dlat)
    .bind(e.lon - dlon)
    .bind(e.lon + dlon)
    .bind(article_id)
    .fetch_all(conn)
    .await?)
}

/// An undated extraction is never merged across articles; only an event
/// left without sources by re-extraction is found again (by the machine's
/// type and place, also when a human corrected them).
async fn undated_match(
    conn: &mut PgConnection,
    e: &Event,
    place: &PlaceRow,
) -> Result<Option<i64>> {
    Ok(sqlx::query_scalar(
        "SELECT id FROM (
           SELECT e.id FROM events e
           WHERE e.machine IS NULL AND e.type = $1 AND e.date IS NULL AND e.place_id = $2 AND e.place = $3
           UNION ALL
           SELECT e.id FROM events e
           WHERE e.machine IS NOT NULL AND (e.machine::jsonb ->> 'type') = $1
             AND (e.machine::jsonb ->> 'date') IS NULL
             AND e.machine::jsonb ->> 'place_id' = $2 AND e.machine::jsonb ->> 'place' = $3
         ) c
         WHERE NOT EXISTS (SELECT 1 FROM event_sources s WHERE s.event_id = c.id)
         ORDER BY id LIMIT 1",
    )
    .bind(e.event_type.as_str())
    .bind(&place.id)
    .bind(&e.place)
    .fetch_optional(conn)
    .await?)
}

/// Tie one extracted event to an article: merged into the same event
/// already reported by another article, or stored as a new one (the
/// caller holds [`lock_writes`]). Returns the event id and whether it was
/// created.
async fn link_event(
    conn: &mut PgConnection,
    article_id: i64,
    e: &Event,
    place: &PlaceRow,
) -> Result<(i64, bool)> {
    upsert_place(conn, place).await?;
    let date = full_date(e.date.as_deref());
    let found = match &date {
        None => undated_match(conn, e, place).await?,
        Some(day) => {
            let candidates = dated_candidates(conn, article_id, e, day).await?;
            nearest_same_happening(e, day, &candidates).map(|(id, _)| id)
        }
    };
    let (event_id, created) = match found {
        Some(id) => (id, false),
        None => (insert_event(conn, e, place, date.as_deref()).await?, true),
    };
    sqlx::query(
        "INSERT INTO event_sources (event_id, article_id, subtype, actor, target, fatalities, injured,
           claimed_by, evidence, evidence_spans, confidence)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
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

async fn insert_event(
    conn: &mut PgConnection,
    e: &Event,
    place: &PlaceRow,
    date: Option<&str>,
) -> Result<i64> {
    Ok(sqlx::query_scalar(
        "INSERT INTO events (type, subtype, place_id, place, lat, lon, precision, radius_km, date,
           date_precision, actor, target, fatalities, injured, claimed_by, evidence, evidence_spans,
           confidence, source_count)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, 0)
         RETURNING id",
    )
    .bind(e.event_type.as_str())
    .bind(e.subtype.map(Subtype::as_str))
    .bind(&place.id)
    .bind(&e.place)
    .bind(e.lat)
    .bind(e.lon)
    .bind(e.precision.as_str())
    .bind(e.radius_km)
    .bind(date)
    .bind(e.date_precision.as_str())
    .bind(&e.actor)
    .bind(&e.target)
    .bind(count_i64(e.fatalities))
    .bind(count_i64(e.injured))
    .bind(&e.claimed_by)
    .bind(&e.evidence)
    .bind(spans_json(e))
    .bind(e.confidence)
    .fetch_one(conn)
    .await?)
}

/// Open maps learn that an event changed or went (`event_changes`).
pub(crate) async fn log_change(conn: &mut PgConnection, event_id: i64) -> Result<()> {
    sqlx::query("INSERT INTO event_changes (event_id) VALUES ($1)")
        .bind(event_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// Recompute an event's merged fields from all its sources (as SQLite's
/// `refresh`), re-apply a reviewer's corrections over them, and log the
/// change. A reviewed event left without sources keeps its last fields.
async fn refresh(conn: &mut PgConnection, event_id: i64) -> Result<()> {
    let sources: Vec<SourceRef> = sqlx::query_as(
        "SELECT s.article_id, a.url, a.title, a.source, a.published
         FROM event_sources s JOIN articles a ON a.id = s.article_id
         WHERE s.event_id = $1 ORDER BY s.article_id",
    )
    .bind(event_id)
    .fetch_all(&mut *conn)
    .await?;
    if sources.is_empty() {
        sqlx::query("UPDATE events SET source_count = 0, sources = '[]' WHERE id = $1")
            .bind(event_id)
            .execute(&mut *conn)
            .await?;
    } else {
        merge_sources(conn, event_id, &sources_json(&sources)).await?;
    }
    super::review::apply_overrides(conn, event_id).await?;
    log_change(conn, event_id).await
}

/// The first source's evidence, the first named actor, target and
/// claimant, the most specific subtype, the highest casualty figures and
/// confidence, the count of sources; `sources` is their JSON text.
async fn merge_sources(conn: &mut PgConnection, event_id: i64, sources: &str) -> Result<()> {
    sqlx::query(
        "UPDATE events SET
           subtype = coalesce(
             (SELECT subtype FROM event_sources WHERE event_id = $1 AND subtype IS NOT NULL
                AND subtype <> 'unspecified' ORDER BY article_id LIMIT 1),
             (SELECT subtype FROM event_sources WHERE event_id = $1 AND subtype IS NOT NULL
                ORDER BY article_id LIMIT 1)),
           actor = (SELECT actor FROM event_sources WHERE event_id = $1 AND actor IS NOT NULL
                      ORDER BY article_id LIMIT 1),
           target = (SELECT target FROM event_sources WHERE event_id = $1 AND target IS NOT NULL
                      ORDER BY article_id LIMIT 1),
           claimed_by = (SELECT claimed_by FROM event_sources WHERE event_id = $1
                      AND claimed_by IS NOT NULL ORDER BY article_id LIMIT 1),
           fatalities = (SELECT max(fatalities) FROM event_sources WHERE event_id = $1),
           injured = (SELECT max(injured) FROM event_sources WHERE event_id = $1),
           confidence = (SELECT max(confidence) FROM event_sources WHERE event_id = $1),
           source_count = (SELECT count(*) FROM event_sources WHERE event_id = $1),
           evidence = (SELECT evidence FROM event_sources WHERE event_id = $1
                      ORDER BY article_id LIMIT 1),
           evidence_spans = (SELECT evidence_spans FROM event_sources WHERE event_id = $1
                      ORDER BY article_id LIMIT 1),
           sources = $2
         WHERE id = $1",
    )
    .bind(event_id)
    .bind(sources)
    .execute(conn)
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use crate::tests::store;
    use crate::{PlaceRow, Store};
    use chrono::NaiveDate;
    use frontline_extract::article::Article;
    use frontline_extract::dates::DatePrecision;
    use frontline_extract::{Event, EventType};
    use gazetteer::Precision;
    use std::sync::Arc;
    use tokio::sync::Barrier;

    /// Processes writing at once: one store (its own pool) each.
    const WRITERS: usize = 4;

    fn on_postgres() -> bool {
        std::env::var("FRONTLINE_TEST_POSTGRES").is_ok_and(|u| !u.is_empty())
    }

    fn strike(lat: f64, lon: f64, day: &str, dead: u64) -> (Event, PlaceRow) {
        let place = PlaceRow {
            id: format!("p{lat}-{lon}"),
            name: "Alep-Est".into(),
            name_en: "East Aleppo".into(),
            name_ar: String::new(),
            kind: "neighbourhood".into(),
            admin1: "Aleppo".into(),
            country: "SY".into(),
            lat,
            lon,
            geonameid: None,
        };
        let event = Event {
            event_type: EventType::Strike,
            subtype: None,
            place: place.name.clone(),
            place_id: place.id.clone(),
            lat,
            lon,
            precision: Precision::Exact,
            radius_km: 0.0,
            date: Some(day.into()),
            date_precision: DatePrecision::Day,
            actor: None,
            target: None,
            fatalities: Some(dead),
            injured: None,
            claimed_by: None,
            evidence: format!("Un raid a frappé Alep-Est le {day}."),
            evidence_spans: Vec::new(),
            confidence: 0.6,
        };
        (event, place)
    }

    fn article(text: String) -> Article {
        Article {
            id: "concurrent".into(),
            text,
            published: NaiveDate::from_ymd_opt(2016, 12, 22),
            ..Article::default()
        }
    }

    /// Run `WRITERS` ingestions at once, each on its own store, released
    /// together; the `Added` of each.
    async fn at_once(
        stores: &[Store],
        job: impl Fn(usize) -> (Article, Vec<(Event, PlaceRow)>),
    ) -> Vec<crate::Added> {
        let barrier = Arc::new(Barrier::new(stores.len()));
        let tasks: Vec<_> = stores
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let (s, barrier, (a, events)) = (s.clone(), barrier.clone(), job(i));
                tokio::spawn(async move {
                    barrier.wait().await;
                    s.add_article(&a, &events).await
                })
            })
            .collect();
        let mut out = Vec::new();
        for t in tasks {
            out.push(t.await.unwrap().unwrap());
        }
        out
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn processes_ingesting_at_once_never_duplicate_an_article_or_an_event() {
        if !on_postgres() {
            return;
        }
        let (_d, s) = store().await;
        let mut stores = Vec::new();
        for _ in 0..WRITERS {
            stores.push(Store::open(s.location().clone()).await.unwrap());
        }
        for round in 0..5 {
            let day = format!("2016-12-{:02}", 10 + round);
            // The same article, posted to every process at once.
            let same = at_once(&stores, |_| {
                (
                    article(format!("Texte {day}.")),
                    vec![strike(36.2, 37.16, &day, 3)],
                )
            })
            .await;
            assert_eq!(same.iter().filter(|a| a.new).count(), 1, "{same:?}");
            assert!(same
                .iter()
                .all(|a| a.article_id == same[0].article_id && a.event_ids == same[0].event_ids));
            // Four articles reporting one strike (a few hundred metres
            // apart, different tolls), at once: one event, four more sources.
            let reports = at_once(&stores, |i| {
                let lat = 36.2 + 0.001 * i as f64;
                (
                    article(format!("Rapport {i} du {day}.")),
                    vec![strike(lat, 37.16, &day, 3 + i as u64)],
                )
            })
            .await;
            assert!(
                reports.iter().all(|a| a.event_ids == same[0].event_ids),
                "{reports:?}"
            );
            assert_eq!(
                reports.iter().map(|a| a.events_merged).sum::<usize>(),
                WRITERS
            );
            let e = s
                .reviewed_event(same[0].event_ids[0])
                .await
                .unwrap()
                .unwrap();
            assert_eq!(e.event.fields.source_count, 1 + WRITERS as i64);
            assert_eq!(e.event.fields.fatalities, Some(3 + WRITERS as i64 - 1));
        }
        let c = s.counts().await.unwrap();
        assert_eq!(
            (c.articles, c.events, c.sources),
            (5 * (1 + WRITERS as i64), 5, 5 * (1 + WRITERS as i64))
        );
        for st in stores {
            st.close().await;
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn articles_sharing_places_in_any_order_are_merged_without_deadlock() {
        if !on_postgres() {
            return;
        }
        let (_d, s) = store().await;
        let mut stores = Vec::new();
        for _ in 0..WRITERS {
            stores.push(Store::open(s.location().clone()).await.unwrap());
        }
        // Writer i reports strikes at places i and i+1 (20 km apart), in
        // that order: each place is written by two writers, in opposite
        // orders around the ring.
        let at = |k: usize| strike(36.0 + 0.2 * (k % WRITERS) as f64, 37.16, "2016-11-30", 1);
        for round in 0..5 {
            let added = at_once(&stores, |i| {
                (
                    article(format!("Deux raids, {round}-{i}.")),
                    vec![at(i), at(i + 1)],
                )
            })
            .await;
            assert!(added.iter().all(|a| a.event_ids.len() == 2), "{added:?}");
        }
        let c = s.counts().await.unwrap();
        let articles = 5 * WRITERS as i64;
        assert_eq!(
            (c.articles, c.events, c.sources),
            (articles, 4, 2 * articles)
        );
    }

    #[tokio::test]
    async fn an_ingestion_waits_for_the_write_lock() {
        if !on_postgres() {
            return;
        }
        use sqlx::{Connection, PgConnection};
        let (_d, s) = store().await;
        let crate::Location::Postgres(url) = s.location().clone() else {
            panic!("not a PostgreSQL store")
        };
        // Another process holds the lock, in a transaction of its own.
        let mut other = PgConnection::connect(&url).await.unwrap();
        let mut tx = other.begin().await.unwrap();
        super::lock_writes(&mut tx).await.unwrap();
        let writer = s.clone();
        let ingest = tokio::spawn(async move {
            let (a, events) = (
                article("Un texte.".into()),
                vec![strike(36.2, 37.16, "2016-12-01", 1)],
            );
            writer.add_article(&a, &events).await
        });
        tokio::time::sleep(std::time::Duration::from_millis(500)).await;
        assert!(
            !ingest.is_finished(),
            "stored while another process held the lock"
        );
        assert_eq!(s.counts().await.unwrap().articles, 0);
        tx.commit().await.unwrap();
        let added = ingest.await.unwrap().unwrap();
        assert!(added.new && added.events_added == 1);
    }
}
