//! Review: the human decisions on events (accept, correct, reject), their
//! history, the queue of events to check, and how decisions survive the
//! recomputation of an event from its sources.
//!
//! An edit writes the human value into the event's column and into its
//! `overrides` (re-applied after every merge, see [`apply_overrides`]);
//! the first edit also keeps the machine's matching keys in `machine`, so
//! that a new extraction of the same happening still finds the event.

use super::{EventRow, PlaceRow, Store};
use crate::error::{Error, Result};
use crate::write::upsert_place;
use chrono::NaiveDate;
use serde::Serialize;
use serde_json::{Map, Value};
use sqlx::{QueryBuilder, Sqlite, SqliteConnection};

/// An event's review status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ReviewStatus {
    /// As the extractor proposed it.
    Auto,
    /// Checked by a human, as it is.
    Accepted,
    /// Checked and corrected by a human.
    Edited,
    /// Not an event: never shown publicly.
    Rejected,
}

impl ReviewStatus {
    pub const ALL: [ReviewStatus; 4] = [
        ReviewStatus::Auto,
        ReviewStatus::Accepted,
        ReviewStatus::Edited,
        ReviewStatus::Rejected,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ReviewStatus::Auto => "auto",
            ReviewStatus::Accepted => "accepted",
            ReviewStatus::Edited => "edited",
            ReviewStatus::Rejected => "rejected",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

/// Which events a public output shows by their review.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ReviewFilter {
    /// Every event but the rejected ones.
    #[default]
    Public,
    /// Only events a human checked (accepted or edited).
    Checked,
}

/// The fields a reviewer may set, as the columns of `events`. Nothing
/// else reaches the SQL that writes them.
pub const EDITABLE: [&str; 15] = [
    "type",
    "subtype",
    "place_id",
    "place",
    "lat",
    "lon",
    "precision",
    "radius_km",
    "date",
    "date_precision",
    "actor",
    "target",
    "fatalities",
    "injured",
    "claimed_by",
];

/// The fields by which a new extraction is matched to a stored event
/// (see `write::link_event`): kept as the machine had them.
const MACHINE_KEYS: [&str; 9] = [
    "type",
    "date",
    "date_precision",
    "lat",
    "lon",
    "place_id",
    "place",
    "subtype",
    "actor",
];

/// One review of one event, checked by the caller against the vocabulary
/// and the gazetteer.
#[derive(Debug, Clone, Default)]
pub struct Review {
    /// Who decides (the reviewer's account name).
    pub reviewer: String,
    /// `Accepted` or `Rejected`; `None` with edits means `Edited`.
    pub status: Option<ReviewStatus>,
    /// New values of [`EDITABLE`] fields (JSON null clears a field).
    pub edits: Vec<(&'static str, Value)>,
    /// The gazetteer place an edit ties the event to, stored with it.
    pub place: Option<PlaceRow>,
    pub note: Option<String>,
}

/// One recorded change.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct HistoryRow {
    pub id: i64,
    pub event_id: i64,
    pub reviewer: String,
    pub at: String,
    /// `status`, `note`, or the edited field.
    pub field: String,
    /// JSON texts of the values (absent: none).
    pub before: Option<String>,
    pub after: Option<String>,
    pub note: Option<String>,
}

/// What the review queue lists, and which page.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct QueueFilter {
    /// Statuses listed (none: only `auto`).
    pub statuses: Vec<ReviewStatus>,
    pub types: Vec<String>,
    pub place: Option<String>,
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// The outlet of one of its sources (an article's `source`).
    pub source: Option<String>,
    pub offset: i64,
    pub limit: i64,
}

/// A page of the queue.
#[derive(Debug, Clone, Serialize)]
pub struct QueuePage {
    pub events: Vec<ReviewedEvent>,
    /// Events matching the filter, all pages.
    pub total: i64,
}

/// An event with its review, as editors see it.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct ReviewedEvent {
    #[sqlx(flatten)]
    #[serde(flatten)]
    pub event: EventRow,
    pub reviewed_by: Option<String>,
}

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

impl Store {
    /// Apply a review to an event, in one transaction: the changed fields
    /// and the status are written, each recorded in the history, and the
    /// event is announced to open maps. `None` when there is no such event.
    pub async fn review_event(&self, event_id: i64, r: &Review) -> Result<Option<ReviewedEvent>> {
        if let Some((bad, _)) = r.edits.iter().find(|(c, _)| !EDITABLE.contains(c)) {
            return Err(Error::Inconsistent(format!(
                "{bad:?} is not an editable field"
            )));
        }
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
        let changed: Vec<&(&str, Value)> = r
            .edits
            .iter()
            .filter(|(c, v)| !same_value(values.get(*c), v))
            .collect();
        let before = ReviewStatus::parse(&current.review).unwrap_or(ReviewStatus::Auto);
        let after = match (r.status, changed.is_empty()) {
            (Some(ReviewStatus::Rejected), _) => ReviewStatus::Rejected,
            (_, false) => ReviewStatus::Edited,
            // Accepting an edited event keeps its corrections.
            (Some(ReviewStatus::Accepted), true) if before == ReviewStatus::Edited => before,
            (Some(s), true) => s,
            (None, true) => before,
        };
        let mut rows: Vec<(String, Option<String>, Option<String>)> = Vec::new();
        for (c, v) in &changed {
            rows.push((
                c.to_string(),
                values.get(*c).map(json_text),
                Some(json_text(v)),
            ));
        }
        if after != before {
            rows.push((
                "status".into(),
                Some(json_text(&Value::from(before.as_str()))),
                Some(json_text(&Value::from(after.as_str()))),
            ));
        }
        let note = r.note.as_deref().map(str::trim).filter(|n| !n.is_empty());
        if rows.is_empty() && note.is_some() {
            rows.push(("note".into(), None, None));
        }
        if !rows.is_empty() {
            if let Some(p) = &r.place {
                upsert_place(&mut tx, p).await?;
            }
            if !changed.is_empty() {
                write_overrides(&mut tx, event_id, current.overrides.as_deref(), &changed).await?;
            }
            record(&mut tx, event_id, r, after, note, &rows).await?;
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

/// Whether a stored value and an edit are the same (numbers compared as
/// numbers: 3 and 3.0 are one value).
fn same_value(stored: Option<&Value>, edit: &Value) -> bool {
    match (stored.unwrap_or(&Value::Null), edit) {
        (Value::Number(a), Value::Number(b)) => a.as_f64() == b.as_f64(),
        (a, b) => a == b,
    }
}

fn json_text(v: &Value) -> String {
    v.to_string()
}

/// Merge the changed fields into the event's overrides, keep the
/// machine's keys on the first edit, and write the human values.
async fn write_overrides(
    conn: &mut SqliteConnection,
    event_id: i64,
    overrides: Option<&str>,
    changed: &[&(&str, Value)],
) -> Result<()> {
    let mut map: Map<String, Value> = overrides
        .and_then(|o| serde_json::from_str(o).ok())
        .unwrap_or_default();
    for (c, v) in changed {
        map.insert(c.to_string(), v.clone());
    }
    let text = Value::Object(map).to_string();
    sqlx::query(&format!(
        "UPDATE events SET overrides = ?, machine = coalesce(machine, {}) WHERE id = ?",
        json_object_sql(&MACHINE_KEYS)
    ))
    .bind(text)
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
    status: ReviewStatus,
    note: Option<&str>,
    rows: &[(String, Option<String>, Option<String>)],
) -> Result<()> {
    sqlx::query(
        "UPDATE events SET review = ?, reviewed_by = ?,
           reviewed_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = ?",
    )
    .bind(status.as_str())
    .bind(&r.reviewer)
    .bind(event_id)
    .execute(&mut *conn)
    .await?;
    for (field, before, after) in rows {
        sqlx::query(
            "INSERT INTO event_reviews (event_id, reviewer, field, before, after, note)
             VALUES (?, ?, ?, ?, ?, ?)",
        )
        .bind(event_id)
        .bind(&r.reviewer)
        .bind(field)
        .bind(before)
        .bind(after)
        .bind(note)
        .execute(&mut *conn)
        .await?;
    }
    sqlx::query("INSERT INTO event_changes (event_id) VALUES (?)")
        .bind(event_id)
        .execute(conn)
        .await?;
    Ok(())
}
