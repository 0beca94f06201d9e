//! Reading on SQLite: the R*Tree and FTS5 indexes, and a small planner
//! choosing which index drives a filtered page.

use super::SqliteStore;
use crate::error::Result;
use crate::read::{Bbox, ControlPoint, EventFilter, EventPage, FeaturePage, PlaceHistory};
use crate::review::ReviewFilter;
use crate::{event_field_names, ArticleRow, EventRow, PlaceRow, SourceRow};
use chrono::NaiveDate;
use sqlx::{QueryBuilder, Sqlite};
use std::collections::HashMap;
use std::sync::LazyLock;

/// An event as a GeoJSON Feature (RFC 7946), with the same properties as
/// the single-event view: every field of [`EventFields`](crate::EventFields)
/// in its order, then the evidence spans and the sources.
static FEATURE_JSON: LazyLock<String> = LazyLock::new(|| {
    let fields: Vec<String> = event_field_names()
        .iter()
        .map(|k| format!("'{k}', e.\"{k}\""))
        .collect();
    format!(
        "json_object('type', 'Feature', 'id', e.id, \
         'geometry', json_object('type', 'Point', 'coordinates', json_array(round(e.lon, 6), round(e.lat, 6))), \
         'properties', json_object({}, 'evidence_spans', json(e.evidence_spans), 'sources', json(e.sources)))",
        fields.join(", ")
    )
});

/// Below this many events in the box, the spatial index drives the query;
/// above it, scanning in id order meets enough matches sooner.
const RTREE_CAP: i64 = 20_000;

/// Below this many matches, the filter's most selective index drives the
/// query and the matches are sorted; above it, scanning in id order meets
/// `limit` matches soon. (A filter matching nothing would otherwise scan
/// the whole table in id order.)
const INDEX_CAP: i64 = 20_000;

impl EventFilter {
    /// The conditions that an index answers alone, each a candidate to
    /// drive the query when it matches few events.
    fn drivers(&self) -> Vec<Driver> {
        let mut d = Vec::new();
        if self.min_fatalities.is_some() {
            d.push(Driver::Fatalities);
        }
        if self.place.is_some() {
            d.push(Driver::Place);
        }
        if !self.actors.is_empty() {
            d.push(Driver::Actors);
        }
        if !self.words.is_empty() {
            d.push(Driver::Words);
        }
        if self.from.is_some() || self.to.is_some() {
            d.push(Driver::Dates);
        }
        d
    }
}

/// A condition of a filter and the index that lists its matches. The
/// planner knows only how many rows a value has on average (an absent
/// actor looks as common as the others), so it would rather scan the
/// table; these subqueries name their index, and the one counting the
/// fewest matches is chosen by counting (see `Store::best_driver`).
#[derive(Debug, Clone, Copy, PartialEq)]
enum Driver {
    Fatalities,
    Place,
    Actors,
    Words,
    Dates,
}

/// `SELECT id …`: the ids matching `d`'s condition, each once, from its index.
fn push_driver<'a>(qb: &mut QueryBuilder<'a, Sqlite>, f: &'a EventFilter, d: Driver) {
    let list = |qb: &mut QueryBuilder<'a, Sqlite>| {
        let mut list = qb.separated(", ");
        for v in &f.actors {
            list.push_bind(v.as_str());
        }
        list.push_unseparated(")");
    };
    match d {
        Driver::Fatalities => {
            qb.push("SELECT id FROM events INDEXED BY events_fatalities WHERE fatalities >= ")
                .push_bind(f.min_fatalities);
        }
        Driver::Place => {
            qb.push("SELECT id FROM events INDEXED BY events_place_date WHERE place_id = ")
                .push_bind(f.place.as_deref());
        }
        Driver::Actors => {
            // Targets whose actor is also listed came in the first half.
            qb.push("SELECT id FROM events INDEXED BY events_actor WHERE actor IN (");
            list(qb);
            qb.push(
                " UNION ALL SELECT id FROM events INDEXED BY events_target \
                 WHERE target IN (",
            );
            list(qb);
            qb.push(" AND (actor IS NULL OR actor NOT IN (");
            list(qb);
            qb.push(")");
        }
        Driver::Words => {
            qb.push("SELECT rowid AS id FROM events_fts WHERE events_fts MATCH ")
                .push_bind(fts_query(&f.words));
        }
        Driver::Dates => {
            qb.push("SELECT id FROM events INDEXED BY events_date WHERE 1 = 1");
            if let Some(d) = f.from {
                qb.push(" AND date >= ").push_bind(d.to_string());
            }
            if let Some(d) = f.to {
                qb.push(" AND date <= ").push_bind(d.to_string());
            }
        }
    }
}

/// The words as one FTS5 query: each a quoted phrase, all required.
fn fts_query(words: &[String]) -> String {
    words
        .iter()
        .map(|w| format!("\"{}\"", w.replace('"', "\"\"")))
        .collect::<Vec<_>>()
        .join(" ")
}

fn push_filters<'a>(qb: &mut QueryBuilder<'a, Sqlite>, f: &'a EventFilter) {
    // Every listing goes through here (or through the spatial index,
    // which holds no rejected event): no public output can show one.
    match f.review {
        ReviewFilter::Public => qb.push(" AND e.review <> 'rejected'"),
        ReviewFilter::Checked => qb.push(" AND e.review IN ('accepted', 'edited')"),
    };
    if let Some(b) = f.bbox {
        qb.push(" AND e.lat BETWEEN ")
            .push_bind(b.south)
            .push(" AND ")
            .push_bind(b.north);
        qb.push(" AND e.lon BETWEEN ")
            .push_bind(b.west)
            .push(" AND ")
            .push_bind(b.east);
    }
    let any_of = |qb: &mut QueryBuilder<'a, Sqlite>, column: &str, values: &'a [String]| {
        qb.push(format_args!(" AND {column} IN ("));
        let mut list = qb.separated(", ");
        for v in values {
            list.push_bind(v.as_str());
        }
        list.push_unseparated(")");
    };
    if !f.types.is_empty() {
        any_of(qb, "e.type", &f.types);
    }
    if !f.subtypes.is_empty() {
        any_of(qb, "e.subtype", &f.subtypes);
    }
    if !f.actors.is_empty() {
        qb.push(" AND (e.actor IN (");
        let mut list = qb.separated(", ");
        for v in &f.actors {
            list.push_bind(v.as_str());
        }
        qb.push(") OR e.target IN (");
        let mut list = qb.separated(", ");
        for v in &f.actors {
            list.push_bind(v.as_str());
        }
        qb.push("))");
    }
    if let Some(d) = f.from {
        qb.push(" AND e.date >= ").push_bind(d.to_string());
    }
    if let Some(d) = f.to {
        qb.push(" AND e.date <= ").push_bind(d.to_string());
    }
    if let Some(p) = &f.place {
        qb.push(" AND e.place_id = ").push_bind(p.as_str());
    }
    if let Some(n) = f.min_fatalities {
        qb.push(" AND e.fatalities >= ").push_bind(n);
    }
    if let Some(c) = f.min_confidence {
        qb.push(" AND e.confidence >= ").push_bind(c);
    }
    if !f.words.is_empty() {
        // A test of each candidate row (the index seeks to its rowid),
        // never a list of every match built first: a common word matches
        // most of the table.
        qb.push(" AND EXISTS (SELECT 1 FROM events_fts WHERE events_fts MATCH ")
            .push_bind(fts_query(&f.words))
            .push(" AND events_fts.rowid = e.id)");
    }
    if let Some(a) = f.after {
        qb.push(" AND e.id > ").push_bind(a);
    }
    if !f.ids.is_empty() {
        let list = serde_json::to_string(&f.ids).unwrap_or_else(|_| "[]".into());
        qb.push(" AND e.id IN (SELECT value FROM json_each(")
            .push_bind(list)
            .push("))");
    }
}

impl SqliteStore {
    /// How many events fall in the box, counting at most up to `cap`.
    async fn count_in_box(&self, b: Bbox, cap: i64) -> Result<i64> {
        Ok(sqlx::query_scalar(
            "SELECT count(*) FROM (SELECT 1 FROM events_rtree
               WHERE min_lat >= ? AND max_lat <= ? AND min_lon >= ? AND max_lon <= ? LIMIT ?)",
        )
        .bind(b.south)
        .bind(b.north)
        .bind(b.west)
        .bind(b.east)
        .bind(cap)
        .fetch_one(&self.pool)
        .await?)
    }

    /// The condition of the filter with the fewest matches, when it has
    /// fewer than `cap`: each is counted through its index, at most up to
    /// the fewest found so far.
    async fn best_driver(&self, f: &EventFilter, cap: i64) -> Result<Option<Driver>> {
        let mut best = None;
        let mut fewest = cap;
        for d in f.drivers() {
            let mut qb: QueryBuilder<Sqlite> =
                QueryBuilder::new("SELECT count(*) FROM (SELECT id FROM (");
            push_driver(&mut qb, f, d);
            qb.push(") LIMIT ").push_bind(fewest).push(")");
            let n: i64 = qb.build_query_scalar().fetch_one(&self.pool).await?;
            if n < fewest {
                best = Some(d);
                fewest = n;
            }
            if fewest == 0 {
                break;
            }
        }
        Ok(best)
    }

    /// The ids of a page of events (one more than the limit, to tell
    /// whether another page follows). Small boxes go through the spatial
    /// index; larger ones scan a narrow index in id order, which meets
    /// `limit` matches soon.
    async fn page_ids(&self, f: &EventFilter) -> Result<Vec<i64>> {
        let spatial = match f.bbox {
            Some(b) => self.count_in_box(b, RTREE_CAP).await? < RTREE_CAP,
            None => false,
        };
        let only_box = f.only_box();
        let driver = match spatial {
            true => None,
            false => self.best_driver(f, INDEX_CAP).await?,
        };
        let no_words = EventFilter {
            words: Vec::new(),
            ..f.clone()
        };
        let mut qb: QueryBuilder<Sqlite> = QueryBuilder::new("");
        match f.bbox {
            Some(b) if spatial => {
                // The box's rows come from the R*Tree (with float32 bounds:
                // the exact test is in `page`); CROSS JOIN keeps that order.
                if only_box {
                    qb.push("SELECT r.id FROM events_rtree r WHERE ");
                } else {
                    qb.push(
                        "SELECT e.id FROM events_rtree r CROSS JOIN events e ON e.id = r.id WHERE ",
                    );
                }
                qb.push("r.max_lat >= ")
                    .push_bind(b.south)
                    .push(" AND r.min_lat <= ")
                    .push_bind(b.north)
                    .push(" AND r.max_lon >= ")
                    .push_bind(b.west)
                    .push(" AND r.min_lon <= ")
                    .push_bind(b.east);
                if only_box {
                    if let Some(a) = f.after {
                        qb.push(" AND r.id > ").push_bind(a);
                    }
                    qb.push(" ORDER BY r.id");
                } else {
                    push_filters(&mut qb, f);
                    qb.push(" ORDER BY e.id");
                }
            }
            _ if driver.is_some() => {
                // Few matches: take them from the chosen condition's index
                // (CROSS JOIN keeps that side first), test the rest of the
                // filter on each, then sort those few.
                qb.push("SELECT e.id FROM (");
                if let Some(d) = driver {
                    push_driver(&mut qb, f, d);
                }
                qb.push(") m CROSS JOIN events e ON e.id = m.id WHERE 1 = 1");
                push_filters(&mut qb, f);
                qb.push(" ORDER BY e.id");
            }
            _ if !f.words.is_empty() => {
                // Words: the full-text index yields its matches in rowid
                // order, one at a time; the other filters test each, and
                // the page ends at `limit`.
                qb.push(
                    "SELECT e.id FROM events_fts CROSS JOIN events e ON e.id = events_fts.rowid \
                     WHERE events_fts MATCH ",
                )
                .push_bind(fts_query(&f.words));
                if let Some(a) = f.after {
                    qb.push(" AND events_fts.rowid > ").push_bind(a);
                }
                push_filters(&mut qb, &no_words);
                qb.push(" ORDER BY events_fts.rowid");
            }
            _ => {
                qb.push("SELECT e.id FROM events e WHERE 1 = 1");
                push_filters(&mut qb, f);
                qb.push(" ORDER BY e.id");
            }
        }
        qb.push(" LIMIT ").push_bind(f.limit + 1);
        if let Some(o) = f.offset {
            qb.push(" OFFSET ").push_bind(o);
        }
        Ok(qb.build_query_scalar().fetch_all(&self.pool).await?)
    }

    /// The page's ids, the rows' `columns` for those ids (in id order), and
    /// where the next page starts.
    async fn page<T>(&self, f: &EventFilter, columns: &str) -> Result<(Vec<T>, Option<i64>)>
    where
        T: for<'r> sqlx::FromRow<'r, sqlx::sqlite::SqliteRow> + Send + Unpin,
    {
        let mut ids = self.page_ids(f).await?;
        let more = ids.len() as i64 > f.limit;
        ids.truncate(f.limit.max(0) as usize);
        let next_after = if more { ids.last().copied() } else { None };
        let list = serde_json::to_string(&ids).unwrap_or_else(|_| "[]".into());
        let mut qb: QueryBuilder<Sqlite> = QueryBuilder::new(format!(
            "SELECT {columns} FROM events e WHERE e.id IN (SELECT value FROM json_each("
        ));
        qb.push_bind(list).push("))");
        if let Some(b) = f.bbox {
            qb.push(" AND e.lat BETWEEN ")
                .push_bind(b.south)
                .push(" AND ")
                .push_bind(b.north);
            qb.push(" AND e.lon BETWEEN ")
                .push_bind(b.west)
                .push(" AND ")
                .push_bind(b.east);
        }
        qb.push(" ORDER BY e.id");
        let rows = qb.build_query_as::<T>().fetch_all(&self.pool).await?;
        Ok((rows, next_after))
    }

    /// A page of events matching the filter, in id order (stable paging).
    pub async fn events(&self, f: &EventFilter) -> Result<EventPage> {
        let (events, next_after) = self.page::<EventRow>(f, "e.*").await?;
        Ok(EventPage { events, next_after })
    }

    /// The same page as [`Store::events`], as GeoJSON Features built by
    /// SQLite (the fast path for maps).
    pub async fn event_features(&self, f: &EventFilter) -> Result<FeaturePage> {
        let (rows, next_after) = self
            .page::<(i64, String)>(f, &format!("e.id, {}", *FEATURE_JSON))
            .await?;
        Ok(FeaturePage {
            features: rows.into_iter().map(|r| r.1).collect(),
            next_after,
        })
    }

    /// The events among `ids` that match the filter (its paging ignored),
    /// as `(id, GeoJSON Feature text)`.
    pub async fn features_of(&self, ids: &[i64], f: &EventFilter) -> Result<Vec<(i64, String)>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let f = EventFilter {
            ids: ids.to_vec(),
            after: None,
            offset: None,
            limit: ids.len() as i64,
            ..f.clone()
        };
        Ok(self
            .page::<(i64, String)>(&f, &format!("e.id, {}", *FEATURE_JSON))
            .await?
            .0)
    }

    /// Event changes after sequence number `seq`, oldest first: `(seq,
    /// event id)`.
    pub async fn changes_after(&self, seq: i64, limit: i64) -> Result<Vec<(i64, i64)>> {
        Ok(sqlx::query_as(
            "SELECT seq, event_id FROM event_changes WHERE seq > ? ORDER BY seq LIMIT ?",
        )
        .bind(seq)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?)
    }

    /// Forget all but the latest `keep` event changes. Returns how many
    /// were forgotten.
    pub async fn prune_changes(&self, keep: i64) -> Result<u64> {
        let done = sqlx::query(
            "DELETE FROM event_changes WHERE seq <= (SELECT max(seq) FROM event_changes) - ?",
        )
        .bind(keep)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected())
    }

    /// The sequence number of the latest event change (0 before any).
    pub async fn last_change(&self) -> Result<i64> {
        Ok(
            sqlx::query_scalar("SELECT coalesce(max(seq), 0) FROM event_changes")
                .fetch_one(&self.pool)
                .await?,
        )
    }

    /// A public event (none when rejected).
    pub async fn event(&self, id: i64) -> Result<Option<EventRow>> {
        Ok(
            sqlx::query_as("SELECT * FROM events WHERE id = ? AND review <> 'rejected'")
                .bind(id)
                .fetch_optional(&self.pool)
                .await?,
        )
    }

    /// The sources of each of these events, oldest article first.
    pub async fn sources(&self, event_ids: &[i64]) -> Result<HashMap<i64, Vec<SourceRow>>> {
        let mut out: HashMap<i64, Vec<SourceRow>> = HashMap::new();
        if event_ids.is_empty() {
            return Ok(out);
        }
        let ids = serde_json::to_string(event_ids).unwrap_or_else(|_| "[]".into());
        let rows: Vec<SourceRow> = sqlx::query_as(
            "SELECT s.event_id, s.article_id, a.url, a.title, a.source, a.published, s.actor, s.target,
                    s.fatalities, s.injured, s.claimed_by, s.evidence, s.evidence_spans, s.confidence
             FROM event_sources s JOIN articles a ON a.id = s.article_id
             WHERE s.event_id IN (SELECT value FROM json_each(?))
             ORDER BY s.event_id, s.article_id",
        )
        .bind(ids)
        .fetch_all(&self.pool)
        .await?;
        for r in rows {
            out.entry(r.event_id).or_default().push(r);
        }
        Ok(out)
    }

    /// For every place with an exactly placed control change on or before
    /// `at`, the latest one.
    pub async fn control_at(&self, at: NaiveDate) -> Result<Vec<ControlPoint>> {
        Ok(sqlx::query_as(
            "SELECT p.id AS place_id, p.name AS place, p.kind, p.admin1, p.lat, p.lon,
                    e.id AS event_id, e.actor, e.target, e.date AS since, e.date_precision, e.source_count,
                    (SELECT max(x.date) FROM events x WHERE x.place_id = p.id AND x.date <= ?1
                       AND x.review <> 'rejected') AS last_report
             FROM places p
             JOIN events e ON e.id = (
               SELECT c.id FROM events c
               WHERE c.type = 'control_change' AND c.precision = 'exact' AND c.place_id = p.id AND c.date <= ?1
                 AND c.review <> 'rejected'
               ORDER BY c.date DESC, c.id DESC LIMIT 1)
             ORDER BY p.id",
        )
        .bind(at.to_string())
        .fetch_all(&self.pool)
        .await?)
    }

    pub async fn place(&self, id: &str) -> Result<Option<PlaceRow>> {
        Ok(sqlx::query_as("SELECT * FROM places WHERE id = ?")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?)
    }

    /// A place's control changes in date order and its latest events.
    pub async fn place_history(&self, id: &str, limit: i64) -> Result<PlaceHistory> {
        let place = self.place(id).await?;
        let control = sqlx::query_as(
            "SELECT id AS event_id, date, date_precision, actor, target, source_count, evidence
             FROM events WHERE place_id = ? AND type = 'control_change' AND review <> 'rejected'
             ORDER BY date, id",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        let events = sqlx::query_as(
            "SELECT * FROM events WHERE place_id = ? AND review <> 'rejected'
             ORDER BY date DESC, id DESC LIMIT ?",
        )
        .bind(id)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        let events_total = sqlx::query_scalar(
            "SELECT count(*) FROM events WHERE place_id = ? AND review <> 'rejected'",
        )
        .bind(id)
        .fetch_one(&self.pool)
        .await?;
        Ok(PlaceHistory {
            place,
            control,
            events,
            events_total,
        })
    }

    /// Event counts per place id, for geocoding answers.
    pub async fn event_counts(&self, place_ids: &[&str]) -> Result<HashMap<String, i64>> {
        if place_ids.is_empty() {
            return Ok(HashMap::new());
        }
        let ids = serde_json::to_string(place_ids).unwrap_or_else(|_| "[]".into());
        let rows: Vec<(String, i64)> = sqlx::query_as(
            "SELECT place_id, count(*) FROM events WHERE place_id IN (SELECT value FROM json_each(?))
               AND review <> 'rejected' GROUP BY place_id",
        )
        .bind(ids)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().collect())
    }

    pub async fn article(&self, id: i64) -> Result<Option<ArticleRow>> {
        Ok(sqlx::query_as("SELECT * FROM articles WHERE id = ?")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?)
    }

    /// The public events an article reports, in id order.
    pub async fn article_events(&self, article_id: i64) -> Result<Vec<EventRow>> {
        Ok(sqlx::query_as(
            "SELECT e.* FROM event_sources s JOIN events e ON e.id = s.event_id
             WHERE s.article_id = ? AND e.review <> 'rejected' ORDER BY e.id",
        )
        .bind(article_id)
        .fetch_all(&self.pool)
        .await?)
    }

    /// How many of these content hashes belong to stored articles.
    pub async fn stored_hashes(&self, hashes: &[String]) -> Result<i64> {
        let list = serde_json::to_string(hashes).unwrap_or_else(|_| "[]".into());
        Ok(sqlx::query_scalar(
            "SELECT count(*) FROM articles WHERE content_hash IN (SELECT value FROM json_each(?))",
        )
        .bind(list)
        .fetch_one(&self.pool)
        .await?)
    }

    /// First and last event dates, for the OGC collection's extent.
    pub async fn date_range(&self) -> Result<(Option<String>, Option<String>)> {
        // Through the date index from each end, skipping rejected events.
        Ok(sqlx::query_as(
            "SELECT (SELECT date FROM events WHERE date IS NOT NULL AND review <> 'rejected' ORDER BY date LIMIT 1),
                    (SELECT date FROM events WHERE date IS NOT NULL AND review <> 'rejected' ORDER BY date DESC LIMIT 1)",
        )
            .fetch_one(&self.pool)
            .await?)
    }

    /// A number that changes whenever events or places change (by any
    /// process): a key for caching what is computed from them.
    pub async fn data_version(&self) -> Result<i64> {
        Ok(
            sqlx::query_scalar("SELECT version FROM data_version WHERE id = 1")
                .fetch_one(&self.pool)
                .await?,
        )
    }
}
