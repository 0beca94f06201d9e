//! Reading on PostgreSQL: one statement per page, whose index PostgreSQL's
//! planner chooses from its statistics (the GiST index on the points for
//! a small box, the GIN index on the evidence for rare words, a B-tree
//! for a selective value, the primary key in id order otherwise).

use super::PgStore;
use crate::error::Result;
use crate::read::{ControlPoint, EventFilter, EventPage, FeaturePage, PlaceHistory};
use crate::review::ReviewFilter;
use crate::{event_field_names, ArticleRow, EventFields, EventRow, PlaceRow, SourceRow};
use chrono::NaiveDate;
use sqlx::postgres::PgRow;
use sqlx::{Postgres, QueryBuilder};
use std::collections::HashMap;
use std::sync::LazyLock;

/// The columns of [`EventRow`] (never `geom` nor `evidence_tsv`, which
/// are PostgreSQL's own), of `events e`.
pub(crate) static EVENT_COLUMNS: LazyLock<String> = LazyLock::new(|| {
    event_field_names()
        .iter()
        .map(String::as_str)
        .chain(["lat", "lon", "evidence_spans", "sources"])
        .map(|k| format!("e.\"{k}\""))
        .collect::<Vec<_>>()
        .join(", ")
});

/// An event as a GeoJSON Feature (RFC 7946), as SQLite's builds it: every
/// field of [`EventFields`] in its order, then the evidence spans and the
/// sources, written compactly (`"key":value`). `row_to_json` keeps the
/// columns' order and writes no spaces (`json_build_object` writes
/// `"key" : value`); floats go through `frontline_json_real` so that a
/// whole number stays a float.
static FEATURE_JSON: LazyLock<String> = LazyLock::new(|| {
    // The fields serde writes as floats (f64), from the struct itself.
    let defaults = serde_json::to_value(EventFields::default()).unwrap_or_default();
    let fields: Vec<String> = event_field_names()
        .iter()
        .map(|k| match defaults[k.as_str()].is_f64() {
            true => format!("frontline_json_real(e.\"{k}\") AS \"{k}\""),
            false => format!("e.\"{k}\" AS \"{k}\""),
        })
        .collect();
    // Rounded to 6 places as SQLite's round(): numeric's text has exactly
    // six decimals, of which trailing zeros go but one (37.0, 37.16).
    let coordinate =
        |c: &str| format!("regexp_replace(round(e.{c}::numeric, 6)::text, '0{{1,5}}$', '')");
    let object = |columns: String| format!("(SELECT row_to_json(o) FROM (SELECT {columns}) o)");
    let geometry = object(format!(
        "'Point' AS type, ('[' || {} || ',' || {} || ']')::json AS coordinates",
        coordinate("lon"),
        coordinate("lat")
    ));
    let properties = object(format!(
        "{}, e.evidence_spans::json AS evidence_spans, e.sources::json AS sources",
        fields.join(", ")
    ));
    format!(
        "{}::text",
        object(format!(
            "'Feature' AS type, e.id AS id, {geometry} AS geometry, {properties} AS properties"
        ))
    )
});

/// One word of a search as a French full-text query (accents folded as
/// the index folds them; several tokens, as in "ez-Zor", are a phrase).
const WORD_QUERY: &str = "phraseto_tsquery('french', frontline_unaccent(";

/// The filter's conditions on `events e`, after a `WHERE`.
fn push_filters<'a>(qb: &mut QueryBuilder<'a, Postgres>, f: &'a EventFilter) {
    // Every listing goes through here: no public output can show a
    // rejected event. (Stated for `Checked` too, so that the planner may
    // use the spatial index, which holds no rejected event.)
    qb.push("e.review <> 'rejected'");
    if f.review == ReviewFilter::Checked {
        qb.push(" AND e.review IN ('accepted', 'edited')");
    }
    if let Some(b) = f.bbox {
        // The index's boxes are floats: the exact test follows.
        qb.push(" AND e.geom && ST_MakeEnvelope(")
            .push_bind(b.west)
            .push(", ")
            .push_bind(b.south)
            .push(", ")
            .push_bind(b.east)
            .push(", ")
            .push_bind(b.north)
            .push(", 4326)");
        qb.push(" AND e.lat BETWEEN ")
            .push_bind(b.south)
            .push(" AND ")
            .push_bind(b.north);
        qb.push(" AND e.lon BETWEEN ")
            .push_bind(b.west)
            .push(" AND ")
            .push_bind(b.east);
    }
    if !f.types.is_empty() {
        qb.push(" AND e.type = ANY(")
            .push_bind(&f.types[..])
            .push(")");
    }
    if !f.subtypes.is_empty() {
        qb.push(" AND e.subtype = ANY(")
            .push_bind(&f.subtypes[..])
            .push(")");
    }
    if !f.actors.is_empty() {
        qb.push(" AND (e.actor = ANY(")
            .push_bind(&f.actors[..])
            .push(") OR e.target = ANY(")
            .push_bind(&f.actors[..])
            .push("))");
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
    for w in &f.words {
        push_word(qb, w);
    }
    if let Some(a) = f.after {
        qb.push(" AND e.id > ").push_bind(a);
    }
    if !f.ids.is_empty() {
        qb.push(" AND e.id = ANY(").push_bind(&f.ids[..]).push(")");
    }
}

/// The condition that `word` occurs in the evidence. The full-text index
/// answers it, except for a word the French configuration drops (a stop
/// word such as "sur", which would match nothing there): that one is
/// looked for as a whole word in the unaccented evidence, as SQLite's
/// FTS5 (which keeps every word) finds it. Each statement is planned with
/// its values (see [`page_query`]), so only one branch remains.
fn push_word<'a>(qb: &mut QueryBuilder<'a, Postgres>, word: &'a str) {
    qb.push(format_args!(" AND (CASE WHEN numnode({WORD_QUERY}"))
        .push_bind(word)
        .push("))) = 0 THEN frontline_unaccent(e.evidence) ~* ")
        .push(r"('\m' || regexp_replace(frontline_unaccent(")
        .push_bind(word)
        .push(r"), '([^[:alnum:]])', '\\\1', 'g') || '\M')")
        .push(format_args!(" ELSE e.evidence_tsv @@ {WORD_QUERY}"))
        .push_bind(word)
        .push(")) END)");
}

/// `{select} FROM events e` with the filter, in id order, one row more
/// than the limit (to tell whether another page follows).
fn page_query<'a>(select: &str, f: &'a EventFilter) -> QueryBuilder<'a, Postgres> {
    let mut qb = QueryBuilder::new(format!("{select} FROM events e WHERE "));
    push_filters(&mut qb, f);
    qb.push(" ORDER BY e.id LIMIT ")
        .push_bind((f.limit + 1).max(0));
    if let Some(o) = f.offset {
        qb.push(" OFFSET ").push_bind(o.max(0));
    }
    qb
}

impl PgStore {
    /// The page's rows and where the next page starts. The statement is
    /// not kept prepared: planned with its values each time, a large box
    /// scans in id order and a small one uses the spatial index (a plan
    /// kept for every value would choose once for all).
    async fn page<T>(
        &self,
        f: &EventFilter,
        columns: &str,
        id_of: impl Fn(&T) -> i64,
    ) -> Result<(Vec<T>, Option<i64>)>
    where
        T: for<'r> sqlx::FromRow<'r, PgRow> + Send + Unpin,
    {
        let mut rows: Vec<T> = page_query(&format!("SELECT {columns}"), f)
            .build_query_as()
            .persistent(false)
            .fetch_all(&self.pool)
            .await?;
        let more = rows.len() as i64 > f.limit;
        rows.truncate(f.limit.max(0) as usize);
        let next_after = if more { rows.last().map(id_of) } else { None };
        Ok((rows, next_after))
    }

    pub async fn events(&self, f: &EventFilter) -> Result<EventPage> {
        let (events, next_after) = self
            .page::<EventRow>(f, &EVENT_COLUMNS, |e| e.fields.id)
            .await?;
        Ok(EventPage { events, next_after })
    }

    pub async fn event_features(&self, f: &EventFilter) -> Result<FeaturePage> {
        let (rows, next_after) = self
            .page::<(i64, String)>(f, &format!("e.id, {}", *FEATURE_JSON), |r| r.0)
            .await?;
        Ok(FeaturePage {
            features: rows.into_iter().map(|r| r.1).collect(),
            next_after,
        })
    }

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
        let columns = format!("e.id, {}", *FEATURE_JSON);
        Ok(self.page::<(i64, String)>(&f, &columns, |r| r.0).await?.0)
    }

    pub async fn changes_after(&self, seq: i64, limit: i64) -> Result<Vec<(i64, i64)>> {
        Ok(sqlx::query_as(
            "SELECT seq, event_id FROM event_changes WHERE seq > $1 ORDER BY seq LIMIT $2",
        )
        .bind(seq)
        .bind(limit.max(0))
        .fetch_all(&self.pool)
        .await?)
    }

    pub async fn prune_changes(&self, keep: i64) -> Result<u64> {
        let done = sqlx::query(
            "DELETE FROM event_changes WHERE seq <= (SELECT max(seq) FROM event_changes) - $1",
        )
        .bind(keep)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected())
    }

    pub async fn last_change(&self) -> Result<i64> {
        Ok(
            sqlx::query_scalar("SELECT coalesce(max(seq), 0) FROM event_changes")
                .fetch_one(&self.pool)
                .await?,
        )
    }

    pub async fn event(&self, id: i64) -> Result<Option<EventRow>> {
        Ok(sqlx::query_as(&format!(
            "SELECT {} FROM events e WHERE e.id = $1 AND e.review <> 'rejected'",
            *EVENT_COLUMNS
        ))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?)
    }

    pub async fn sources(&self, event_ids: &[i64]) -> Result<HashMap<i64, Vec<SourceRow>>> {
        let mut out: HashMap<i64, Vec<SourceRow>> = HashMap::new();
        if event_ids.is_empty() {
            return Ok(out);
        }
        let rows: Vec<SourceRow> = sqlx::query_as(
            "SELECT s.event_id, s.article_id, a.url, a.title, a.source, a.published, s.actor, s.target,
                    s.fatalities, s.injured, s.claimed_by, s.evidence, s.evidence_spans, s.confidence
             FROM event_sources s JOIN articles a ON a.id = s.article_id
             WHERE s.event_id = ANY($1)
             ORDER BY s.event_id, s.article_id",
        )
        .bind(event_ids)
        .fetch_all(&self.pool)
        .await?;
        for r in rows {
            out.entry(r.event_id).or_default().push(r);
        }
        Ok(out)
    }

    /// For each place, its latest exactly placed control change on or
    /// before `at`: one backward step in `events_control` per place.
    pub async fn control_at(&self, at: NaiveDate) -> Result<Vec<ControlPoint>> {
        Ok(sqlx::query_as(
            "SELECT p.id AS place_id, p.name AS place, p.kind, p.admin1, p.lat, p.lon,
                    c.id AS event_id, c.actor, c.target, c.date AS since, c.date_precision, c.source_count,
                    (SELECT max(x.date) FROM events x WHERE x.place_id = p.id AND x.date <= $1
                       AND x.review <> 'rejected') AS last_report
             FROM places p
             CROSS JOIN LATERAL (
               SELECT e.id, e.actor, e.target, e.date, e.date_precision, e.source_count FROM events e
               WHERE e.type = 'control_change' AND e.precision = 'exact' AND e.place_id = p.id
                 AND e.date <= $1 AND e.review <> 'rejected'
               ORDER BY e.date DESC, e.id DESC LIMIT 1) c
             ORDER BY p.id COLLATE \"C\"",
        )
        .bind(at.to_string())
        .fetch_all(&self.pool)
        .await?)
    }

    pub async fn place(&self, id: &str) -> Result<Option<PlaceRow>> {
        Ok(sqlx::query_as(
            "SELECT id, name, name_en, name_ar, kind, admin1, country, lat, lon, geonameid
             FROM places WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await?)
    }

    /// A place's control changes in date order and its latest events
    /// (undated ones first, then last, as SQLite orders NULLs).
    pub async fn place_history(&self, id: &str, limit: i64) -> Result<PlaceHistory> {
        let place = self.place(id).await?;
        let control = sqlx::query_as(
            "SELECT id AS event_id, date, date_precision, actor, target, source_count, evidence
             FROM events WHERE place_id = $1 AND type = 'control_change' AND review <> 'rejected'
             ORDER BY date NULLS FIRST, id",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        let events = sqlx::query_as(&format!(
            "SELECT {} FROM events e WHERE e.place_id = $1 AND e.review <> 'rejected'
             ORDER BY e.date DESC NULLS LAST, e.id DESC LIMIT $2",
            *EVENT_COLUMNS
        ))
        .bind(id)
        .bind(limit.max(0))
        .fetch_all(&self.pool)
        .await?;
        let events_total = sqlx::query_scalar(
            "SELECT count(*) FROM events WHERE place_id = $1 AND review <> 'rejected'",
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

    pub async fn event_counts(&self, place_ids: &[&str]) -> Result<HashMap<String, i64>> {
        if place_ids.is_empty() {
            return Ok(HashMap::new());
        }
        let rows: Vec<(String, i64)> = sqlx::query_as(
            "SELECT place_id, count(*) FROM events WHERE place_id = ANY($1)
               AND review <> 'rejected' GROUP BY place_id",
        )
        .bind(place_ids)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows.into_iter().collect())
    }

    pub async fn article(&self, id: i64) -> Result<Option<ArticleRow>> {
        Ok(sqlx::query_as(
            "SELECT id, name, url, source, title, published, content_hash, ingested_at, text
             FROM articles WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await?)
    }

    pub async fn article_events(&self, article_id: i64) -> Result<Vec<EventRow>> {
        Ok(sqlx::query_as(&format!(
            "SELECT {} FROM event_sources s JOIN events e ON e.id = s.event_id
             WHERE s.article_id = $1 AND e.review <> 'rejected' ORDER BY e.id",
            *EVENT_COLUMNS
        ))
        .bind(article_id)
        .fetch_all(&self.pool)
        .await?)
    }

    pub async fn stored_hashes(&self, hashes: &[String]) -> Result<i64> {
        Ok(
            sqlx::query_scalar("SELECT count(*) FROM articles WHERE content_hash = ANY($1)")
                .bind(hashes)
                .fetch_one(&self.pool)
                .await?,
        )
    }

    pub async fn date_range(&self) -> Result<(Option<String>, Option<String>)> {
        // Through the date index from each end, skipping rejected events.
        Ok(sqlx::query_as(
            "SELECT (SELECT date FROM events WHERE date IS NOT NULL AND review <> 'rejected'
                     ORDER BY date LIMIT 1),
                    (SELECT date FROM events WHERE date IS NOT NULL AND review <> 'rejected'
                     ORDER BY date DESC LIMIT 1)",
        )
        .fetch_one(&self.pool)
        .await?)
    }

    pub async fn data_version(&self) -> Result<i64> {
        Ok(
            sqlx::query_scalar("SELECT version FROM data_version WHERE id = 1")
                .fetch_one(&self.pool)
                .await?,
        )
    }
}

/// Each read method on the same rows (written with plain SQL, so that the
/// write path plays no part) in a SQLite store and a PostgreSQL one: the
/// answers must be the same. Skipped without `FRONTLINE_TEST_POSTGRES`.
#[cfg(test)]
pub(super) mod tests {
    use crate::tests::store;
    use crate::*;
    use chrono::NaiveDate;
    use serde_json::Value;

    const PLACES: [(&str, &str, f64, f64); 6] = [
        ("aleppo", "Alep", 36.2, 37.16),
        ("al-bab", "al-Bab", 36.37, 37.52),
        ("Idlib", "Idlib", 35.93, 36.63),
        ("deir-ez-zor", "Deir ez-Zor", 35.33, 40.14),
        ("homs", "Homs", 34.73, 36.72),
        ("raqqa", "Raqqa", 35.95, 39.0),
    ];
    const TYPES: [&str; 5] = [
        "strike",
        "clash",
        "control_change",
        "explosion",
        "civilian_targeting",
    ];
    const ACTORS: [&str; 4] = ["Russia", "rebels", "Syrian government", "ISIS"];

    fn postgres() -> bool {
        std::env::var("FRONTLINE_TEST_POSTGRES").is_ok_and(|u| !u.is_empty())
    }

    /// SQL text literal, or NULL.
    fn lit(v: Option<String>) -> String {
        v.map_or("NULL".into(), |s| format!("'{}'", s.replace('\'', "''")))
    }

    /// What event `i` says, in words chosen so that French stemming and
    /// FTS5's exact tokens find the same events.
    fn evidence(i: usize, place: &str) -> String {
        match i % 4 {
            0 => format!("Frappe aérienne sur {place} : {i} victimes"),
            1 => format!("Combats à {place} près de l'hôpital"),
            2 => format!("Le régime reprend {place}"),
            _ => format!("Explosion dans la ville de {place}"),
        }
    }

    fn event_insert(i: usize) -> String {
        let (pid, pname, lat, lon) = PLACES[i % PLACES.len()];
        let opt = |cond: bool, v: String| if cond { Some(v) } else { None };
        let date = opt(
            !i.is_multiple_of(17),
            format!("2016-{:02}-{:02}", 1 + i % 12, 1 + i % 28),
        );
        format!(
            "INSERT INTO events (id, type, subtype, place_id, place, lat, lon, precision, radius_km, date,
               date_precision, actor, target, fatalities, injured, claimed_by, evidence, evidence_spans,
               confidence, source_count, sources)
             VALUES ({i}, '{}', {}, '{pid}', '{pname}', {}, {}, '{}', {}, {}, 'day', {}, {}, {}, {}, {},
               {}, '[{{\"text\":\"x\",\"start\":0,\"end\":1}}]', {}, {}, '[{{\"article_id\":1,\"url\":\"https://a.example/1\"}}]');",
            TYPES[i % 5],
            lit(opt(i.is_multiple_of(3), "airstrike".into())),
            lat + (i % 7) as f64 * 0.01,
            lon - (i % 5) as f64 * 0.01,
            ["exact", "near", "region"][i % 3],
            [0.0, 5.0, 2.5][i % 3],
            lit(date),
            lit(opt(i % 5 != 4, ACTORS[i % 4].into())),
            lit(opt(i % 3 == 1, ACTORS[(i + 1) % 4].into())),
            if i % 4 == 1 { "NULL".into() } else { (i % 9).to_string() },
            if i.is_multiple_of(2) { "NULL".into() } else { (i % 6).to_string() },
            lit(opt(i % 10 == 3, "ISIS".into())),
            lit(Some(evidence(i, pname))),
            (i % 11) as f64 / 10.0,
            1 + i % 3,
        )
    }

    /// The rows: places, articles (two with fingerprints and bands), 120
    /// events (some undated, some without actor, whole and fractional
    /// floats), their sources, reviews, and logged changes.
    fn fixture(engine: &str) -> String {
        let mut sql = String::new();
        for (id, name, lat, lon) in PLACES {
            sql += &format!(
                "INSERT INTO places (id, name, name_en, kind, admin1, country, lat, lon, geonameid)
                 VALUES ('{id}', '{name}', '{name}', 'city', 'Alep', 'SY', {lat}, {lon}, NULL);"
            );
        }
        let blob = |hex: &str| match engine {
            "sqlite" => format!("X'{hex}'"),
            _ => format!("'\\x{hex}'::bytea"),
        };
        for a in 1..=4 {
            let fp = match a {
                1..=3 => blob(&format!("0{a}0203")),
                _ => "NULL".into(),
            };
            sql += &format!(
                "INSERT INTO articles (id, content_hash, name, url, source, title, published, text, ingested_at, fingerprint)
                 VALUES ({a}, 'hash{a}', 'a{a}', 'https://a.example/{a}', 'Source', 'Titre {a}', '2016-12-0{a}',
                         'Texte {a}', '2016-12-0{a}T10:00:00Z', {fp});"
            );
        }
        for (band, article) in [(7, 1), (7, 2), (7, 3), (8, 2), (8, 4), (9, 3), (8, 3)] {
            sql += &format!(
                "INSERT INTO article_bands (band, article_id) VALUES ({band}, {article});"
            );
        }
        for i in 1..=120 {
            sql += &event_insert(i);
            for a in 1..=(1 + i % 3).min(4) {
                sql += &format!(
                    "INSERT INTO event_sources (event_id, article_id, actor, fatalities, evidence, confidence)
                     VALUES ({i}, {}, 'rebels', {a}, 'source {a} de {i}', 0.{a});",
                    1 + (i + a) % 4
                );
            }
        }
        // Reviews are updates, as the review path writes them (SQLite's
        // spatial index drops an event when it becomes rejected).
        sql += "UPDATE events SET review = 'rejected', reviewed_at = '2017-01-01T00:00:00Z' WHERE id % 11 = 0;
                UPDATE events SET review = 'accepted', reviewed_at = '2017-01-02T00:00:00Z' WHERE id % 13 = 0;
                UPDATE events SET review = 'edited' WHERE id % 19 = 0;
                INSERT INTO event_changes (event_id) VALUES (5);
                INSERT INTO event_changes (event_id) VALUES (7);
                INSERT INTO event_changes (event_id) VALUES (5);";
        sql
    }

    /// A SQLite store and a PostgreSQL store holding the fixture.
    pub(in crate::postgres) async fn twins() -> Option<(Vec<tempfile::TempDir>, Store, Store)> {
        if !postgres() {
            return None;
        }
        let (pg_dir, pg) = store().await;
        let lite_dir = tempfile::tempdir().unwrap();
        let lite = Store::open(Location::File(lite_dir.path().join("t.db")))
            .await
            .unwrap();
        for s in [&lite, &pg] {
            s.execute_sql(&fixture(s.engine_name())).await.unwrap();
        }
        Some((vec![pg_dir, lite_dir], lite, pg))
    }

    fn json<T: serde::Serialize>(v: &T) -> Value {
        serde_json::to_value(v).unwrap()
    }

    fn features(texts: &[String]) -> Vec<Value> {
        texts
            .iter()
            .map(|t| serde_json::from_str(t).unwrap())
            .collect()
    }

    fn bbox(west: f64, south: f64, east: f64, north: f64) -> Option<Bbox> {
        Some(Bbox {
            west,
            south,
            east,
            north,
        })
    }

    fn filters() -> Vec<EventFilter> {
        let all = EventFilter {
            limit: 500,
            ..EventFilter::default()
        };
        let strings = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        let day = |d: &str| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok();
        let mut out = vec![
            all.clone(),
            EventFilter {
                limit: 7,
                offset: Some(5),
                ..all.clone()
            },
            EventFilter {
                limit: 0,
                ..all.clone()
            },
            EventFilter {
                bbox: bbox(37.0, 36.1, 37.2, 36.3),
                ..all.clone()
            },
            // Edges exactly on points: inclusive.
            EventFilter {
                bbox: bbox(37.12, 36.2, 37.16, 36.22),
                ..all.clone()
            },
            EventFilter {
                bbox: bbox(0.0, 0.0, 1.0, 1.0),
                ..all.clone()
            },
            EventFilter {
                types: strings(&["strike", "clash"]),
                subtypes: strings(&["airstrike"]),
                ..all.clone()
            },
            EventFilter {
                actors: strings(&["Russia"]),
                ..all.clone()
            },
            EventFilter {
                actors: strings(&["ISIS", "Syrian government"]),
                from: day("2016-03-01"),
                to: day("2016-08-15"),
                ..all.clone()
            },
            EventFilter {
                place: Some("Idlib".into()),
                min_fatalities: Some(4),
                ..all.clone()
            },
            EventFilter {
                min_confidence: Some(0.5),
                review: ReviewFilter::Checked,
                ..all.clone()
            },
            EventFilter {
                ids: vec![3, 11, 50, 999],
                after: Some(3),
                ..all.clone()
            },
            EventFilter {
                bbox: bbox(36.0, 35.0, 38.0, 37.0),
                types: strings(&["strike", "explosion"]),
                actors: strings(&["Russia", "rebels"]),
                words: strings(&["victimes"]),
                limit: 3,
                ..all.clone()
            },
        ];
        for words in [
            &["aérienne"][..],
            &["AERIENNE"],
            &["hopital", "combats"],
            &["sur"],
            &["le", "régime"],
            &["ez-Zor"],
            &["de", "la", "ville"],
            &["introuvable"],
        ] {
            out.push(EventFilter {
                words: strings(words),
                ..all.clone()
            });
        }
        out
    }

    #[tokio::test]
    async fn pages_and_features_are_sqlites() {
        let Some((_dirs, lite, pg)) = twins().await else {
            return;
        };
        for f in filters() {
            let (a, b) = (lite.events(&f).await.unwrap(), pg.events(&f).await.unwrap());
            assert_eq!(json(&a.events), json(&b.events), "{f:?}");
            assert_eq!(a.next_after, b.next_after, "{f:?}");
            let (a, b) = (
                lite.event_features(&f).await.unwrap(),
                pg.event_features(&f).await.unwrap(),
            );
            assert_eq!(features(&a.features), features(&b.features), "{f:?}");
            // Even as texts.
            assert_eq!(a.features, b.features, "{f:?}");
            assert_eq!(a.next_after, b.next_after, "{f:?}");
            let ids = [1, 2, 11, 26, 77, 500];
            let (a, b) = (
                lite.features_of(&ids, &f).await.unwrap(),
                pg.features_of(&ids, &f).await.unwrap(),
            );
            type Split = (Vec<i64>, Vec<String>);
            let (a, b): (Split, Split) = (a.into_iter().unzip(), b.into_iter().unzip());
            assert_eq!((&a.0, features(&a.1)), (&b.0, features(&b.1)), "{f:?}");
        }
        // The filters select some events, not all (none: the empty page,
        // the empty box, the missing word).
        let counts: Vec<usize> = page_sizes(&pg).await;
        eprintln!("{counts:?}");
        assert!(
            counts[0] > 100 && counts[1..].iter().all(|&n| n < counts[0]),
            "{counts:?}"
        );
        let empty: Vec<usize> = (0..counts.len()).filter(|&i| counts[i] == 0).collect();
        assert_eq!(empty, [2, 5, counts.len() - 1], "{counts:?}");
    }

    async fn page_sizes(s: &Store) -> Vec<usize> {
        let mut out = Vec::new();
        for f in filters() {
            out.push(s.events(&f).await.unwrap().events.len());
        }
        out
    }

    #[tokio::test]
    async fn keyset_pages_walk_every_event_once() {
        let Some((_dirs, lite, pg)) = twins().await else {
            return;
        };
        let mut pages = Vec::new();
        for s in [&lite, &pg] {
            let mut f = EventFilter {
                limit: 25,
                bbox: bbox(30.0, 30.0, 45.0, 40.0),
                ..EventFilter::default()
            };
            let mut ids = Vec::new();
            loop {
                let page = s.events(&f).await.unwrap();
                ids.extend(page.events.iter().map(|e| e.fields.id));
                match page.next_after {
                    Some(a) => f.after = Some(a),
                    None => break,
                }
            }
            pages.push(ids);
        }
        assert_eq!(pages[0], pages[1]);
        assert_eq!(pages[1].len(), 120 - 120 / 11, "every public event once");
    }

    #[tokio::test]
    async fn features_are_compact_and_keep_whole_floats_as_floats() {
        let Some((_dirs, _lite, pg)) = twins().await else {
            return;
        };
        let f = EventFilter {
            ids: vec![3],
            limit: 1,
            ..EventFilter::default()
        };
        let text = pg.event_features(&f).await.unwrap().features.remove(0);
        // Event 3: radius 0.0, confidence 0.3; its point rounded to 6 places.
        assert!(text.contains("\"radius_km\":0.0,"), "{text}");
        assert!(text.contains("\"confidence\":0.3,"), "{text}");
        assert!(text.contains("\"coordinates\":[40.11,35.36]"), "{text}");
        // A float JSON cannot hold (PostgreSQL stores NaN) is null, not an
        // error for the whole page.
        pg.execute_sql("UPDATE events SET confidence = 'NaN', lon = 40.0 WHERE id = 3")
            .await
            .unwrap();
        let text = pg.event_features(&f).await.unwrap().features.remove(0);
        assert!(text.contains("\"confidence\":null,"), "{text}");
        assert!(text.contains("\"coordinates\":[40.0,35.36]"), "{text}");
    }

    #[tokio::test]
    async fn control_places_and_articles_are_sqlites() {
        let Some((_dirs, lite, pg)) = twins().await else {
            return;
        };
        for d in ["2015-12-31", "2016-03-15", "2016-07-01", "2017-01-01"] {
            let at = NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap();
            let (a, b) = (
                lite.control_at(at).await.unwrap(),
                pg.control_at(at).await.unwrap(),
            );
            assert_eq!(json(&a), json(&b), "{d}");
        }
        let later = NaiveDate::from_ymd_opt(2100, 1, 1).unwrap();
        assert!(!pg.control_at(later).await.unwrap().is_empty());
        for (id, ..) in PLACES.iter().chain([&("nowhere", "", 0.0, 0.0)]) {
            let (a, b) = (
                lite.place_history(id, 4).await.unwrap(),
                pg.place_history(id, 4).await.unwrap(),
            );
            assert_eq!(json(&a), json(&b), "{id}");
        }
        let ids = ["aleppo", "homs", "nowhere"];
        assert_eq!(
            lite.event_counts(&ids).await.unwrap(),
            pg.event_counts(&ids).await.unwrap()
        );
        for a in [1, 4, 9] {
            assert_eq!(
                json(&lite.article(a).await.unwrap()),
                json(&pg.article(a).await.unwrap())
            );
            assert_eq!(
                json(&lite.article_events(a).await.unwrap()),
                json(&pg.article_events(a).await.unwrap())
            );
        }
        for e in [1, 11, 500] {
            assert_eq!(
                json(&lite.event(e).await.unwrap()),
                json(&pg.event(e).await.unwrap())
            );
        }
        let sources = |m: std::collections::HashMap<i64, Vec<SourceRow>>| {
            let mut v: Vec<_> = m.into_iter().collect();
            v.sort_by_key(|p| p.0);
            json(&v)
        };
        let ids = [1, 2, 3, 11, 500];
        assert_eq!(
            sources(lite.sources(&ids).await.unwrap()),
            sources(pg.sources(&ids).await.unwrap())
        );
        let hashes = vec![
            "hash1".to_string(),
            "hash3".into(),
            "hash1".into(),
            "x".into(),
        ];
        assert_eq!(pg.stored_hashes(&hashes).await.unwrap(), 2);
        assert_eq!(
            lite.date_range().await.unwrap(),
            pg.date_range().await.unwrap()
        );
    }

    #[tokio::test]
    async fn changes_and_data_version() {
        let Some((_dirs, lite, pg)) = twins().await else {
            return;
        };
        let changes = pg.changes_after(0, 10).await.unwrap();
        assert_eq!(changes.iter().map(|c| c.1).collect::<Vec<_>>(), [5, 7, 5]);
        assert_eq!(changes, lite.changes_after(0, 10).await.unwrap());
        assert_eq!(
            pg.changes_after(changes[0].0, 1).await.unwrap(),
            [changes[1]]
        );
        assert_eq!(pg.last_change().await.unwrap(), changes[2].0);
        assert_eq!(pg.prune_changes(2).await.unwrap(), 1);
        assert_eq!(pg.changes_after(0, 10).await.unwrap(), changes[1..]);
        let v = pg.data_version().await.unwrap();
        assert_eq!(pg.data_version().await.unwrap(), v);
        pg.execute_sql("UPDATE places SET name_ar = 'x' WHERE id = 'homs'")
            .await
            .unwrap();
        assert!(pg.data_version().await.unwrap() > v);
    }

    /// 100,000 events over a grid of places, as a real table's statistics.
    async fn many_events(s: &Store) {
        s.execute_sql(
            "INSERT INTO places (id, name, kind, country, lat, lon)
               SELECT 'p' || i, 'P' || i, 'city', 'SY', 32.5 + (i % 50) / 10.0, 36.0 + (i / 50) / 10.0
               FROM generate_series(0, 2499) i;
             INSERT INTO events (type, place_id, place, lat, lon, precision, date, date_precision,
                                 actor, target, fatalities, evidence)
               SELECT (ARRAY['strike', 'clash', 'explosion', 'control_change', 'civilian_targeting'])[1 + i % 5],
                      'p' || (i % 2500), 'P', 32.5 + (i % 500) / 100.0, 36.0 + (i % 613) / 100.0, 'exact',
                      to_char(date '2012-01-01' + (i % 4000), 'YYYY-MM-DD'), 'day',
                      (ARRAY['Russia', 'rebels', NULL])[1 + i % 3],
                      CASE WHEN i % 4 = 0 THEN 'Syrian government' END,
                      CASE WHEN i % 1000 = 0 THEN 50 ELSE i % 40 END,
                      'raid synthétique ' || i || CASE WHEN i % 5000 = 0 THEN ' citadelle' ELSE '' END
               FROM generate_series(1, 100000) i;
             ANALYZE;",
        )
        .await
        .unwrap();
    }

    /// The plan PostgreSQL chooses for a page with this filter.
    async fn plan(s: &Store, f: &EventFilter) -> String {
        let crate::Engine::Postgres(pg) = &*s.engine else {
            panic!("not PostgreSQL")
        };
        let rows: Vec<String> = super::page_query("EXPLAIN SELECT e.id", f)
            .build_query_scalar()
            .persistent(false)
            .fetch_all(&pg.pool)
            .await
            .unwrap();
        rows.join("\n")
    }

    #[tokio::test]
    async fn the_planner_takes_the_index_of_the_selective_condition() {
        if !postgres() {
            return;
        }
        let (_dir, s) = store().await;
        many_events(&s).await;
        let page = |f: EventFilter| EventFilter { limit: 1000, ..f };
        let strings = |v: &str| vec![v.to_string()];
        let cases = [
            // About 0.5° square: 1 % of the events.
            (
                page(EventFilter {
                    bbox: bbox(37.0, 34.0, 37.5, 34.5),
                    ..EventFilter::default()
                }),
                "events_geom",
            ),
            (
                page(EventFilter {
                    place: Some("p7".into()),
                    ..EventFilter::default()
                }),
                "events_place_date",
            ),
            (
                page(EventFilter {
                    min_fatalities: Some(45),
                    ..EventFilter::default()
                }),
                "events_fatalities",
            ),
            (
                page(EventFilter {
                    words: strings("citadelle"),
                    ..EventFilter::default()
                }),
                "events_evidence_tsv",
            ),
            (
                page(EventFilter {
                    actors: strings("nobody"),
                    ..EventFilter::default()
                }),
                "events_target",
            ),
            // Common values: the first thousand in id order come soonest.
            (
                page(EventFilter {
                    types: strings("strike"),
                    ..EventFilter::default()
                }),
                "events_pkey",
            ),
        ];
        for (f, index) in cases {
            let plan = plan(&s, &f).await;
            assert!(plan.contains(index), "{index} for {f:?}:\n{plan}");
            assert!(!s.events(&f).await.unwrap().events.is_empty() || f.actors.len() == 1);
        }
    }
}
