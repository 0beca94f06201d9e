//! Review on SQLite: decisions and overrides as JSON texts read with
//! SQLite's JSON functions.

use super::write::upsert_place;
use super::SqliteStore;
use crate::error::Result;
use crate::review::{
    check_editable, merged_overrides, plan_review, HistoryRow, QueueFilter, QueuePage, Review,
    ReviewPlan, ReviewStatus, ReviewedEvent, EDITABLE, MACHINE_KEYS,
};
use serde_json::{Map, Value};
use sqlx::{QueryBuilder, Sqlite, SqliteConnection};

/// The order of the queue: unreviewed events first; then the least
/// confident (by tenths, so that among equally doubtful events) the most
/// cited come first; then exact confidence, newest date, id.
pub const QUEUE_ORDER: &str = "CASE e.review WHEN 'auto' THEN 0 ELSE 1 END, \
     round(e.confidence, 1), e.source_count DESC, e.confidence, e.date DESC, e.id";

/// `UPDATE … SET` re-applying the human values of `overrides` over what
/// was recomputed from the sources, and keeping the machine's merged
/// subtype and actor (matching keys) in `machine` first.
fn override_sql() -> String {
    let sets: Vec<String> = EDITABLE
        .iter()
        .map(|c| {
            format!(
                "\"{c}\" = CASE WHEN json_type(overrides, '$.{c}') IS NULL THEN \"{c}\" \
                 ELSE json_extract(overrides, '$.{c}') END"
            )
        })
        .collect();
    format!(
        "UPDATE events SET machine = json_set(machine, '$.subtype', subtype, '$.actor', actor), {} \
         WHERE id = ? AND overrides IS NOT NULL AND machine IS NOT NULL",
        sets.join(", ")
    )
}

/// Re-apply an event's human values (after its merged fields were
/// recomputed from its sources). Nothing for events never edited.
pub(crate) async fn apply_overrides(conn: &mut SqliteConnection, event_id: i64) -> Result<()> {
    sqlx::query(&override_sql())
        .bind(event_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// The current values of the editable fields, and the review state.
#[derive(sqlx::FromRow)]
struct Current {
    review: String,
    values: String,
    overrides: Option<String>,
}

fn json_object_sql(fields: &[&str]) -> String {
    let pairs: Vec<String> = fields.iter().map(|c| format!("'{c}', \"{c}\"")).collect();
    format!("json_object({})", pairs.join(", "))
}

impl SqliteStore {
    /// Apply a review to an event, in one transaction: the changed fields
    /// and the status are written, each recorded in the history, and the
    /// event is announced to open maps. `None` when there is no such event.
    pub async fn review_event(&self, event_id: i64, r: &Review) -> Result<Option<ReviewedEvent>> {
        check_editable(r)?;
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        let current: Option<Current> = sqlx::query_as(&format!(
            "SELECT review, {} AS \"values\", overrides FROM events WHERE id = ?",
            json_object_sql(&EDITABLE)
        ))
        .bind(event_id)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(current) = current else {
            return Ok(None);
        };
        let values: Map<String, Value> = serde_json::from_str(&current.values).unwrap_or_default();
        let plan = plan_review(&values, &current.review, r);
        if !plan.rows.is_empty() {
            if let Some(p) = &r.place {
                upsert_place(&mut tx, p).await?;
            }
            if !plan.changed.is_empty() {
                let overrides = merged_overrides(current.overrides.as_deref(), &plan.changed);
                write_overrides(&mut tx, event_id, &overrides).await?;
            }
            record(&mut tx, event_id, r, &plan).await?;
        }
        let event: Option<ReviewedEvent> = sqlx::query_as("SELECT * FROM events WHERE id = ?")
            .bind(event_id)
            .fetch_optional(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(event)
    }

    /// Every recorded change of an event, oldest first.
    pub async fn event_history(&self, event_id: i64) -> Result<Vec<HistoryRow>> {
        Ok(
            sqlx::query_as("SELECT * FROM event_reviews WHERE event_id = ? ORDER BY id")
                .bind(event_id)
                .fetch_all(&self.pool)
                .await?,
        )
    }

    /// An event whatever its review (editors see rejected ones too).
    pub async fn reviewed_event(&self, id: i64) -> Result<Option<ReviewedEvent>> {
        Ok(sqlx::query_as("SELECT * FROM events WHERE id = ?")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?)
    }

    /// A page of the review queue, in [`QUEUE_ORDER`].
    pub async fn review_queue(&self, f: &QueueFilter) -> Result<QueuePage> {
        let mut qb: QueryBuilder<Sqlite> = QueryBuilder::new("SELECT count(*) FROM events e");
        push_queue_filters(&mut qb, f);
        let total: i64 = qb.build_query_scalar().fetch_one(&self.pool).await?;
        let mut qb: QueryBuilder<Sqlite> = QueryBuilder::new("SELECT e.* FROM events e");
        push_queue_filters(&mut qb, f);
        qb.push(format_args!(" ORDER BY {QUEUE_ORDER} LIMIT "))
            .push_bind(f.limit)
            .push(" OFFSET ")
            .push_bind(f.offset);
        let events = qb.build_query_as().fetch_all(&self.pool).await?;
        Ok(QueuePage { events, total })
    }

    /// The ids of articles with at least one reviewed event (accepted,
    /// edited or rejected), oldest first.
    pub async fn reviewed_article_ids(&self) -> Result<Vec<i64>> {
        Ok(sqlx::query_scalar(
            "SELECT DISTINCT s.article_id FROM event_sources s JOIN events e ON e.id = s.event_id
             WHERE e.review <> 'auto' ORDER BY s.article_id",
        )
        .fetch_all(&self.pool)
        .await?)
    }

    /// Every event an article reports, whatever its review, in id order.
    pub async fn article_events_reviewed(&self, article_id: i64) -> Result<Vec<ReviewedEvent>> {
        Ok(sqlx::query_as(
            "SELECT e.* FROM event_sources s JOIN events e ON e.id = s.event_id
             WHERE s.article_id = ? ORDER BY e.id",
        )
        .bind(article_id)
        .fetch_all(&self.pool)
        .await?)
    }
}

fn push_queue_filters<'a>(qb: &mut QueryBuilder<'a, Sqlite>, f: &'a QueueFilter) {
    qb.push(" WHERE e.review IN (");
    let mut list = qb.separated(", ");
    if f.statuses.is_empty() {
        list.push_bind(ReviewStatus::Auto.as_str());
    }
    for s in &f.statuses {
        list.push_bind(s.as_str());
    }
    list.push_unseparated(")");
    if !f.types.is_empty() {
        qb.push(" AND e.type IN (");
        let mut list = qb.separated(", ");
        for t in &f.types {
            list.push_bind(t.as_str());
        }
        list.push_unseparated(")");
    }
    if let Some(p) = &f.place {
        qb.push(" AND e.place_id = ").push_bind(p.as_str());
    }
    if let Some(d) = f.from {
        qb.push(" AND e.date >= ").push_bind(d.to_string());
    }
    if let Some(d) = f.to {
        qb.push(" AND e.date <= ").push_bind(d.to_string());
    }
    if let Some(s) = &f.source {
        qb.push(
            " AND EXISTS (SELECT 1 FROM event_sources s JOIN articles a ON a.id = s.article_id \
             WHERE s.event_id = e.id AND a.source = ",
        )
        .push_bind(s.as_str())
        .push(")");
    }
}

/// Write the event's merged overrides, keep the machine's keys on the
/// first edit, and write the human values.
async fn write_overrides(
    conn: &mut SqliteConnection,
    event_id: i64,
    overrides: &str,
) -> Result<()> {
    sqlx::query(&format!(
        "UPDATE events SET overrides = ?, machine = coalesce(machine, {}) WHERE id = ?",
        json_object_sql(&MACHINE_KEYS)
    ))
    .bind(overrides)
    .bind(event_id)
    .execute(&mut *conn)
    .await?;
    apply_overrides(conn, event_id).await
}

/// Set the status and reviewer, write the history rows, and announce the
/// change (the data version moves with the update).
async fn record(
    conn: &mut SqliteConnection,
    event_id: i64,
    r: &Review,
    plan: &ReviewPlan<'_>,
) -> Result<()> {
    sqlx::query(
        "UPDATE events SET review = ?, reviewed_by = ?,
           reviewed_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = ?",
    )
    .bind(plan.status.as_str())
    .bind(&r.reviewer)
    .bind(event_id)
    .execute(&mut *conn)
    .await?;
    for (field, before, after) in &plan.rows {
        sqlx::query(
            "INSERT INTO event_reviews (event_id, reviewer, field, before, after, note)
             VALUES (?, ?, ?, ?, ?, ?)",
        )
        .bind(event_id)
        .bind(&r.reviewer)
        .bind(field)
        .bind(before)
        .bind(after)
        .bind(plan.note)
        .execute(&mut *conn)
        .await?;
    }
    sqlx::query("INSERT INTO event_changes (event_id) VALUES (?)")
        .bind(event_id)
        .execute(conn)
        .await?;
    Ok(())
}
