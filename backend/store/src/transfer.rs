//! Moving a SQLite database into an empty PostgreSQL one (`frontline db
//! copy`): the one place that knows both engines at once.
//!
//! Every table is copied with its ids, in batches (PostgreSQL's `unnest`
//! of one array per column, so a batch is one statement whatever its
//! width), inside one PostgreSQL transaction: a copy that fails leaves the
//! target as empty as it was. The SQLite side is read in one read
//! transaction, so that what is copied and what is counted at the end are
//! one snapshot even if a server writes to the file meanwhile. The columns
//! of each table are PostgreSQL's (its generated ones left to it), checked
//! against SQLite's, so a column added by a migration to both is copied
//! without a change here, and one missing on either side stops the copy.

use crate::error::{Error, Result};
use crate::postgres::PgStore;
use crate::sqlite::SqliteStore;
use crate::{Location, Options};
use futures_util::TryStreamExt;
use serde::Serialize;
use sqlx::sqlite::SqliteRow;
use sqlx::{PgConnection, Row, SqliteConnection};
use std::path::Path;

/// The tables copied, parents before the rows that refer to them. Left
/// out: what each engine keeps by itself (SQLite's R*Tree and full-text
/// tables, `data_version`, the migrations' own table).
pub const TABLES: &[&str] = &[
    "places",
    "articles",
    "article_bands",
    "article_copies",
    "events",
    "event_sources",
    "event_changes",
    "event_reviews",
    "feeds",
    "skipped_pages",
    "users",
    "api_tokens",
    "sessions",
];

/// Rows per insert statement.
const BATCH: usize = 1000;

/// What a copy reports as it goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CopyProgress<'a> {
    /// A table starts, with the rows it holds.
    Table { name: &'a str, rows: u64 },
    /// This many more rows of the current table were written.
    Rows(u64),
}

/// The rows of each table on both sides, counted once the copy is
/// committed.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct CopyReport {
    pub tables: Vec<TableCount>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TableCount {
    pub table: String,
    pub sqlite: i64,
    pub postgres: i64,
}

impl CopyReport {
    /// Every table holds as many rows in PostgreSQL as in SQLite.
    pub fn counts_match(&self) -> bool {
        self.tables.iter().all(|t| t.sqlite == t.postgres)
    }
}

/// Copy the SQLite database `from` (migrated to the current schema first,
/// as every command does) into the PostgreSQL database `to` (migrated
/// too), which must hold no row in any of [`TABLES`]. Identity sequences
/// continue after the largest id copied.
pub async fn copy_sqlite_to_postgres(
    from: &Path,
    to: &str,
    progress: &mut (dyn FnMut(CopyProgress<'_>) + Send),
) -> Result<CopyReport> {
    let target = to.parse::<Location>().unwrap_or_else(|e| match e {});
    let Location::Postgres(url) = &target else {
        return Err(Error::Inconsistent(format!(
            "the target {to:?} is not a PostgreSQL URL (postgres://user@host/database)"
        )));
    };
    if !from.is_file() {
        return Err(Error::Open {
            location: from.display().to_string(),
            message: "no such SQLite file".into(),
        });
    }
    let options = Options {
        max_connections: Some(2),
        ..Options::default()
    };
    let source = SqliteStore::open(from, options).await?;
    let pg = PgStore::open(url, options).await.map_err(|e| Error::Open {
        location: target.to_string(),
        message: e.to_string(),
    })?;
    let result = copy_between(&source, &pg, progress).await;
    source.close().await;
    pg.close().await;
    result
}

async fn copy_between(
    source: &SqliteStore,
    pg: &PgStore,
    progress: &mut (dyn FnMut(CopyProgress<'_>) + Send),
) -> Result<CopyReport> {
    let mut src = source.pool.acquire().await?;
    // One snapshot of the file for the copy and the counts.
    sqlx::query("BEGIN").execute(&mut *src).await?;
    let mut tx = pg.pool.begin().await?;
    refuse_unless_empty(&mut tx).await?;
    sqlx::query("SET LOCAL maintenance_work_mem = '256MB'")
        .execute(&mut *tx)
        .await?;
    let mut sqlite_counts = Vec::new();
    for &table in TABLES {
        let rows = count_sqlite(&mut src, table).await?;
        progress(CopyProgress::Table {
            name: table,
            rows: u64::try_from(rows).unwrap_or(0),
        });
        let columns = columns(&mut src, &mut tx, table).await?;
        // Building an index once over the rows is several times faster
        // than updating it row by row (the evidence's GIN index above all).
        let indexes = drop_secondary_indexes(&mut tx, table).await?;
        copy_table(&mut src, &mut tx, table, &columns, progress).await?;
        for definition in indexes {
            sqlx::query(&definition).execute(&mut *tx).await?;
        }
        sqlite_counts.push(rows);
    }
    reset_sequences(&mut tx).await?;
    tx.commit().await?;
    sqlx::query("COMMIT").execute(&mut *src).await?;
    // The planner's statistics, for the first queries on the new data.
    sqlx::query("ANALYZE").execute(&pg.pool).await?;
    let mut conn = pg.pool.acquire().await?;
    let mut tables = Vec::new();
    for (&table, sqlite) in TABLES.iter().zip(sqlite_counts) {
        tables.push(TableCount {
            table: table.to_string(),
            sqlite,
            postgres: count_pg(&mut conn, table).await?,
        });
    }
    Ok(CopyReport { tables })
}

/// Rows in a table of the SQLite file (a name from [`TABLES`], never input).
async fn count_sqlite(conn: &mut SqliteConnection, table: &str) -> Result<i64> {
    Ok(
        sqlx::query_scalar(&format!("SELECT count(*) FROM \"{table}\""))
            .fetch_one(conn)
            .await?,
    )
}

/// Rows in a table of the PostgreSQL database.
async fn count_pg(conn: &mut PgConnection, table: &str) -> Result<i64> {
    Ok(
        sqlx::query_scalar(&format!("SELECT count(*) FROM \"{table}\""))
            .fetch_one(conn)
            .await?,
    )
}

/// A target with rows would mix two databases (and clash on ids).
async fn refuse_unless_empty(tx: &mut PgConnection) -> Result<()> {
    let mut held = Vec::new();
    for &table in TABLES {
        let rows = count_pg(&mut *tx, table).await?;
        if rows > 0 {
            held.push(format!("{table} ({rows})"));
        }
    }
    if held.is_empty() {
        return Ok(());
    }
    Err(Error::Conflict(format!(
        "the target database is not empty: it holds rows in {}; \
         db copy fills an empty database only (create a new one, or drop these rows)",
        held.join(", ")
    )))
}

/// How a column's values travel: read from SQLite as this Rust type, sent
/// as a PostgreSQL array of this type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Int,
    Real,
    Text,
    Bytes,
}

impl Kind {
    fn of(table: &str, column: &str, pg_type: &str) -> Result<Kind> {
        Ok(match pg_type {
            "bigint" | "integer" | "smallint" => Kind::Int,
            "double precision" | "real" => Kind::Real,
            "text" => Kind::Text,
            "bytea" => Kind::Bytes,
            other => {
                return Err(Error::Inconsistent(format!(
                    "{table}.{column}: PostgreSQL type {other} is not one db copy knows"
                )))
            }
        })
    }

    fn array(self) -> &'static str {
        match self {
            Kind::Int => "bigint[]",
            Kind::Real => "double precision[]",
            Kind::Text => "text[]",
            Kind::Bytes => "bytea[]",
        }
    }
}

/// The columns PostgreSQL stores for a table (not its generated ones), in
/// its order; an error when SQLite's columns are not the same.
async fn columns(
    src: &mut SqliteConnection,
    tx: &mut PgConnection,
    table: &str,
) -> Result<Vec<(String, Kind)>> {
    let pg: Vec<(String, String)> = sqlx::query_as(
        "SELECT column_name::text, data_type::text FROM information_schema.columns
         WHERE table_schema = current_schema() AND table_name = $1 AND is_generated = 'NEVER'
         ORDER BY ordinal_position",
    )
    .bind(table)
    .fetch_all(&mut *tx)
    .await?;
    let sqlite: Vec<String> = sqlx::query_scalar("SELECT name FROM pragma_table_info(?)")
        .bind(table)
        .fetch_all(&mut *src)
        .await?;
    let only_pg: Vec<&str> = pg
        .iter()
        .map(|(c, _)| c.as_str())
        .filter(|c| !sqlite.iter().any(|s| s == c))
        .collect();
    let only_sqlite: Vec<&str> = sqlite
        .iter()
        .map(String::as_str)
        .filter(|s| !pg.iter().any(|(c, _)| c == s))
        .collect();
    if pg.is_empty() || !only_pg.is_empty() || !only_sqlite.is_empty() {
        return Err(Error::Inconsistent(format!(
            "table {table}: the two schemas differ (only in PostgreSQL: {only_pg:?}; \
             only in SQLite: {only_sqlite:?}); both databases must come from the same \
             version of frontline"
        )));
    }
    pg.into_iter()
        .map(|(name, ty)| Kind::of(table, &name, &ty).map(|k| (name, k)))
        .collect()
}

/// One column's values of a batch.
enum Values {
    Int(Vec<Option<i64>>),
    Real(Vec<Option<f64>>),
    Text(Vec<Option<String>>),
    Bytes(Vec<Option<Vec<u8>>>),
}

impl Values {
    fn new(kind: Kind) -> Values {
        match kind {
            Kind::Int => Values::Int(Vec::with_capacity(BATCH)),
            Kind::Real => Values::Real(Vec::with_capacity(BATCH)),
            Kind::Text => Values::Text(Vec::with_capacity(BATCH)),
            Kind::Bytes => Values::Bytes(Vec::with_capacity(BATCH)),
        }
    }

    fn push(&mut self, row: &SqliteRow, i: usize) -> sqlx::Result<()> {
        match self {
            Values::Int(v) => v.push(row.try_get(i)?),
            Values::Real(v) => v.push(row.try_get(i)?),
            Values::Text(v) => v.push(row.try_get(i)?),
            Values::Bytes(v) => v.push(row.try_get(i)?),
        }
        Ok(())
    }
}

/// Stream a table out of SQLite and into PostgreSQL, [`BATCH`] rows at a
/// time, ids kept (`OVERRIDING SYSTEM VALUE`: some ids are identities
/// PostgreSQL generates `ALWAYS`).
async fn copy_table(
    src: &mut SqliteConnection,
    tx: &mut PgConnection,
    table: &str,
    columns: &[(String, Kind)],
    progress: &mut (dyn FnMut(CopyProgress<'_>) + Send),
) -> Result<()> {
    let names: Vec<String> = columns.iter().map(|(c, _)| format!("\"{c}\"")).collect();
    let select = format!("SELECT {} FROM \"{table}\"", names.join(", "));
    let arrays: Vec<String> = columns
        .iter()
        .enumerate()
        .map(|(i, (_, k))| format!("${}::{}", i + 1, k.array()))
        .collect();
    let insert = format!(
        "INSERT INTO \"{table}\" ({}) OVERRIDING SYSTEM VALUE SELECT * FROM unnest({})",
        names.join(", "),
        arrays.join(", ")
    );
    let fresh = || columns.iter().map(|&(_, k)| Values::new(k)).collect();
    let mut batch: Vec<Values> = fresh();
    let mut held = 0;
    let mut rows = sqlx::query(&select).fetch(&mut *src);
    while let Some(row) = rows.try_next().await? {
        for (i, values) in batch.iter_mut().enumerate() {
            values
                .push(&row, i)
                .map_err(|e| Error::Inconsistent(format!("{table}.{}: {e}", columns[i].0)))?;
        }
        held += 1;
        if held == BATCH {
            insert_batch(&mut *tx, &insert, std::mem::replace(&mut batch, fresh())).await?;
            progress(CopyProgress::Rows(held as u64));
            held = 0;
        }
    }
    if held > 0 {
        insert_batch(&mut *tx, &insert, batch).await?;
        progress(CopyProgress::Rows(held as u64));
    }
    Ok(())
}

async fn insert_batch(tx: &mut PgConnection, insert: &str, batch: Vec<Values>) -> Result<()> {
    let mut q = sqlx::query(insert);
    for values in batch {
        q = match values {
            Values::Int(v) => q.bind(v),
            Values::Real(v) => q.bind(v),
            Values::Text(v) => q.bind(v),
            Values::Bytes(v) => q.bind(v),
        };
    }
    q.execute(tx).await?;
    Ok(())
}

/// Drop a table's indexes that no constraint needs (its primary key and
/// unique constraints stay: references and conflicts use them), and
/// return their definitions, to create them again once it is filled.
async fn drop_secondary_indexes(tx: &mut PgConnection, table: &str) -> Result<Vec<String>> {
    let indexes: Vec<(String, String)> = sqlx::query_as(
        "SELECT i.indexname::text, i.indexdef FROM pg_indexes i
         WHERE i.schemaname = current_schema() AND i.tablename = $1
           AND NOT EXISTS (SELECT 1 FROM pg_constraint c
                           WHERE c.conindid = format('%I.%I', i.schemaname, i.indexname)::regclass)",
    )
    .bind(table)
    .fetch_all(&mut *tx)
    .await?;
    let mut definitions = Vec::new();
    for (name, definition) in indexes {
        sqlx::query(&format!("DROP INDEX \"{name}\""))
            .execute(&mut *tx)
            .await?;
        definitions.push(definition);
    }
    Ok(definitions)
}

/// Every identity continues after the largest id copied.
async fn reset_sequences(tx: &mut PgConnection) -> Result<()> {
    let identities: Vec<(String, String)> = sqlx::query_as(
        "SELECT table_name::text, column_name::text FROM information_schema.columns
         WHERE table_schema = current_schema() AND is_identity = 'YES'",
    )
    .fetch_all(&mut *tx)
    .await?;
    for (table, column) in identities {
        sqlx::query(&format!(
            "SELECT setval(pg_get_serial_sequence($1, $2), coalesce(max(\"{column}\"), 0) + 1, false)
             FROM \"{table}\""
        ))
        .bind(format!("\"{table}\""))
        .bind(&column)
        .execute(&mut *tx)
        .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::feeds::{ItemCounts, PollOutcome, PollRecord};
    use crate::review::{Review, ReviewStatus};
    use crate::{create_database, PlaceRow, Store};
    use chrono::NaiveDate;
    use frontline_extract::article::Article;
    use frontline_extract::dates::DatePrecision;
    use frontline_extract::{Event, EventType};
    use gazetteer::Precision;

    fn sqlite_pool(s: &Store) -> sqlx::SqlitePool {
        match &*s.engine {
            crate::Engine::Sqlite(e) => e.pool.clone(),
            crate::Engine::Postgres(_) => panic!("not SQLite"),
        }
    }

    fn pg_pool(s: &Store) -> sqlx::PgPool {
        match &*s.engine {
            crate::Engine::Postgres(e) => e.pool.clone(),
            crate::Engine::Sqlite(_) => panic!("not PostgreSQL"),
        }
    }

    fn admin_url() -> Option<String> {
        std::env::var("FRONTLINE_TEST_POSTGRES")
            .ok()
            .filter(|v| !v.is_empty())
    }

    async fn empty_pg(admin: &str, n: u32) -> String {
        let name = format!("copy_{}_{n}", std::process::id());
        create_database(admin, &name).await.unwrap()
    }

    fn place(id: &str, lat: f64, lon: f64) -> PlaceRow {
        PlaceRow {
            id: id.into(),
            name: id.into(),
            name_en: id.into(),
            name_ar: String::new(),
            kind: "city".into(),
            admin1: "Idlib".into(),
            country: "SY".into(),
            lat,
            lon,
            geonameid: Some(170_000),
        }
    }

    fn event(t: EventType, p: &PlaceRow, day: &str, dead: Option<u64>) -> (Event, PlaceRow) {
        let e = Event {
            event_type: t,
            subtype: None,
            place: p.name.clone(),
            place_id: p.id.clone(),
            lat: p.lat,
            lon: p.lon,
            precision: Precision::Exact,
            radius_km: 0.0,
            date: Some(day.into()),
            date_precision: DatePrecision::Day,
            actor: Some("rebels".into()),
            target: None,
            fatalities: dead,
            injured: None,
            claimed_by: None,
            evidence: format!("{} près de {} le {day}", t.as_str(), p.name),
            evidence_spans: Vec::new(),
            confidence: 0.625,
        };
        (e, p.clone())
    }

    fn article(n: u32, text: &str) -> Article {
        Article {
            id: format!("a{n}"),
            url: Some(format!("https://news.example/{n}")),
            source: Some("Le Quotidien".into()),
            title: Some(format!("Dépêche {n}")),
            published: NaiveDate::from_ymd_opt(2017, 3, n),
            text: text.into(),
        }
    }

    /// A little of everything, written through the store interface: two
    /// articles (one with a fingerprint and bands, one copy folded into
    /// it), events merged and reviewed, a feed polled, a page skipped,
    /// a user with a token and a session.
    async fn fill(s: &Store) {
        let (idlib, saraqib) = (place("idlib", 35.93, 36.63), place("saraqib", 35.86, 36.8));
        let one = [
            event(EventType::Strike, &idlib, "2017-03-01", Some(4)),
            event(EventType::Clash, &saraqib, "2017-03-02", None),
        ];
        let fp = [7u8, 0, 255, 1];
        let first = s
            .add_article_with(
                &article(1, "Frappes sur Idlib."),
                &one,
                Some((&fp, &[11, -12])),
            )
            .await
            .unwrap();
        s.add_article(&article(2, "Idlib frappée encore."), &one[..1])
            .await
            .unwrap();
        assert!(s
            .add_copy(first.article_id, &article(3, "Frappes sur Idlib !"), 0.9)
            .await
            .unwrap());
        let review = Review {
            reviewer: "lina".into(),
            status: Some(ReviewStatus::Rejected),
            note: Some("doublon".into()),
            ..Review::default()
        };
        s.review_event(first.event_ids[1], &review)
            .await
            .unwrap()
            .unwrap();
        let feed = s
            .add_feed("https://news.example/rss", Some("N"), 600)
            .await
            .unwrap();
        let mut counts = ItemCounts {
            seen: 2,
            new: 2,
            ..ItemCounts::default()
        };
        counts.reasons.insert("no text".into(), 1);
        let poll = PollRecord {
            polled_at: "2026-01-01T10:00:00Z".into(),
            next_poll_at: "2026-01-01T10:10:00Z".into(),
            outcome: PollOutcome::Read {
                etag: Some("\"e\"".into()),
                last_modified: None,
                counts,
            },
        };
        s.record_poll(feed.id, &poll).await.unwrap();
        s.skip_page("https://news.example/en", "not French (English)")
            .await
            .unwrap();
        let u = s
            .add_user("Lina", "editor", "$argon2id$h", "tok")
            .await
            .unwrap();
        s.create_session(u.id, "sid", "csrf", 3600).await.unwrap();
    }

    type EventKey = (
        i64,
        String,
        String,
        Option<String>,
        Option<String>,
        f64,
        String,
    );
    const EVENTS: &str = "SELECT id, type, review, reviewed_by, machine, confidence, sources
                          FROM events ORDER BY id";
    type ArticleKey = (i64, String, Option<Vec<u8>>, String);
    const ARTICLES: &str =
        "SELECT id, content_hash, fingerprint, ingested_at FROM articles ORDER BY id";
    type ReviewKey = (i64, i64, String, Option<String>, Option<String>);
    const REVIEWS: &str = "SELECT id, event_id, field, after, note FROM event_reviews ORDER BY id";

    #[tokio::test]
    async fn a_sqlite_database_moves_whole_into_an_empty_postgres_one() {
        let Some(admin) = admin_url() else { return };
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("from.db");
        let s = Store::open(&file).await.unwrap();
        fill(&s).await;
        let (lite, url) = (sqlite_pool(&s), empty_pg(&admin, 1).await);
        let mut tables = Vec::new();
        let mut rows = 0;
        let report = copy_sqlite_to_postgres(&file, &url, &mut |p| match p {
            CopyProgress::Table { name, .. } => tables.push(name.to_string()),
            CopyProgress::Rows(n) => rows += n,
        })
        .await
        .unwrap();
        assert!(report.counts_match(), "{report:?}");
        assert_eq!(tables, TABLES);
        for t in &report.tables {
            // An empty table would pass unseen.
            assert!(t.sqlite > 0, "{} is empty in the fixture", t.table);
        }
        let total: i64 = report.tables.iter().map(|t| t.sqlite).sum();
        assert_eq!(rows, total as u64);

        let pg = Store::open(Location::Postgres(url.clone())).await.unwrap();
        let pgp = pg_pool(&pg);
        let e1: Vec<EventKey> = sqlx::query_as(EVENTS).fetch_all(&lite).await.unwrap();
        let e2: Vec<EventKey> = sqlx::query_as(EVENTS).fetch_all(&pgp).await.unwrap();
        assert_eq!((e1.len(), &e1), (2, &e2));
        assert_eq!(e2[1].2, "rejected");
        let a1: Vec<ArticleKey> = sqlx::query_as(ARTICLES).fetch_all(&lite).await.unwrap();
        let a2: Vec<ArticleKey> = sqlx::query_as(ARTICLES).fetch_all(&pgp).await.unwrap();
        assert_eq!(a1, a2);
        assert_eq!(a2[0].2.as_deref(), Some(&[7u8, 0, 255, 1][..]));
        let r1: Vec<ReviewKey> = sqlx::query_as(REVIEWS).fetch_all(&lite).await.unwrap();
        let r2: Vec<ReviewKey> = sqlx::query_as(REVIEWS).fetch_all(&pgp).await.unwrap();
        assert_eq!(r1, r2);
        // Through the store interface.
        assert_eq!(pg.feeds().await.unwrap(), s.feeds().await.unwrap());
        assert_eq!(
            pg.user("lina").await.unwrap(),
            s.user("lina").await.unwrap()
        );
        assert_eq!(
            pg.session("sid").await.unwrap(),
            s.session("sid").await.unwrap()
        );
        assert_eq!(pg.user_by_token("tok").await.unwrap().unwrap().name, "Lina");
        assert_eq!(
            pg.skipped_page("https://news.example/en").await.unwrap(),
            Some("not French (English)".into())
        );
        // The indexes dropped for the copy are back, as migrated.
        let fresh = Store::open(Location::Postgres(empty_pg(&admin, 4).await))
            .await
            .unwrap();
        assert_eq!(
            index_definitions(&pg).await,
            index_definitions(&fresh).await
        );
        // New rows continue after the copied ids.
        let max_feed = s.feeds().await.unwrap().last().unwrap().id;
        let next = pg
            .add_feed("https://other.example/rss", None, 60)
            .await
            .unwrap();
        assert_eq!(next.id, max_feed + 1);
        let max_user = s.user("lina").await.unwrap().unwrap().id;
        let adam = pg.add_user("adam", "viewer", "h", "t2").await.unwrap();
        assert_eq!(adam.id, max_user + 1);
        let review_id: i64 = sqlx::query_scalar(
            "INSERT INTO event_reviews (event_id, reviewer, field) VALUES (1, 'x', 'note') RETURNING id",
        )
        .fetch_one(&pgp)
        .await
        .unwrap();
        assert_eq!(review_id, r1.last().unwrap().0 + 1);
        s.close().await;
        pg.close().await;
    }

    async fn index_definitions(s: &Store) -> Vec<String> {
        let defs: Vec<String> = sqlx::query_scalar(
            "SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema() ORDER BY indexname",
        )
        .fetch_all(&pg_pool(s))
        .await
        .unwrap();
        assert!(defs.iter().any(|d| d.contains("evidence_tsv")), "{defs:?}");
        defs
    }

    #[tokio::test]
    async fn a_target_holding_rows_is_refused_and_left_as_it_was() {
        let Some(admin) = admin_url() else { return };
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("from.db");
        let s = Store::open(&file).await.unwrap();
        fill(&s).await;
        s.close().await;
        let url = empty_pg(&admin, 2).await;
        let pg = Store::open(Location::Postgres(url.clone())).await.unwrap();
        pg.add_user("root", "admin", "h", "t").await.unwrap();
        let e = copy_sqlite_to_postgres(&file, &url, &mut |_| {})
            .await
            .unwrap_err();
        assert!(
            matches!(&e, Error::Conflict(m) if m.contains("users (1)") && m.contains("not empty")),
            "{e}"
        );
        assert_eq!(pg.users().await.unwrap().len(), 1);
        assert_eq!(pg.feeds().await.unwrap().len(), 0);
        pg.close().await;
    }

    #[tokio::test]
    async fn a_missing_file_or_a_target_that_is_no_url_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("none.db");
        let e = copy_sqlite_to_postgres(&missing, "postgres://u@127.0.0.1:1/x", &mut |_| {})
            .await
            .unwrap_err();
        assert!(
            e.to_string().contains("none.db") && e.to_string().contains("no such"),
            "{e}"
        );
        assert!(!missing.exists(), "the missing file was created");
        let e = copy_sqlite_to_postgres(&missing, "other.db", &mut |_| {})
            .await
            .unwrap_err();
        assert!(e.to_string().contains("not a PostgreSQL URL"), "{e}");
    }

    /// Every table of both schemas is copied (or kept by its engine).
    #[tokio::test]
    async fn every_table_is_copied_or_kept_by_its_engine() {
        let dir = tempfile::tempdir().unwrap();
        let s = Store::open(dir.path().join("t.db")).await.unwrap();
        let lite: Vec<String> = sqlx::query_scalar(
            "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
             AND name NOT LIKE '_sqlx_%' AND name NOT LIKE 'events_rtree%'
             AND name NOT LIKE 'events_fts%' AND name <> 'data_version' ORDER BY name",
        )
        .fetch_all(&sqlite_pool(&s))
        .await
        .unwrap();
        let mut ours: Vec<&str> = TABLES.to_vec();
        ours.sort_unstable();
        assert_eq!(lite, ours);
        let Some(admin) = admin_url() else { return };
        let pg = Store::open(Location::Postgres(empty_pg(&admin, 3).await))
            .await
            .unwrap();
        let mut tables: Vec<String> = sqlx::query_scalar(
            "SELECT table_name::text FROM information_schema.tables
             WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'
             AND table_name NOT IN ('spatial_ref_sys', '_sqlx_migrations', 'data_version')
             ORDER BY 1",
        )
        .fetch_all(&pg_pool(&pg))
        .await
        .unwrap();
        tables.sort_unstable();
        assert_eq!(tables, ours);
    }
}
