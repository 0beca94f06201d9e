//! Review on PostgreSQL: decisions and overrides as JSON texts, read and
//! merged with the `jsonb` operators.

use super::write::{lock_writes, log_change, upsert_place};
use super::PgStore;
use crate::error::Result;
use crate::review::{
    check_editable, merged_overrides, plan_review, HistoryRow, QueueFilter, QueuePage, Review,
    ReviewPlan, ReviewStatus, ReviewedEvent, EDITABLE, MACHINE_KEYS,
};
use serde_json::{Map, Value};
use sqlx::{PgConnection, Postgres, QueryBuilder};

/// The order of the queue (as SQLite's): unreviewed events first; then
/// the least confident by tenths, the most cited first among equally
/// doubtful ones; then exact confidence, newest date (undated last, where
/// SQLite's order puts NULL), id.
pub const QUEUE_ORDER: &str = "CASE e.review WHEN 'auto' THEN 0 ELSE 1 END, \
     round(e.confidence::numeric, 1), e.source_count DESC, e.confidence, e.date DESC NULLS LAST, e.id";

/// The columns of a [`ReviewedEvent`] (not the derived `geom` and
/// `evidence_tsv`, nor the review's own JSON).
const REVIEWED_COLUMNS: &str = "e.id, e.type, e.subtype, e.place, e.place_id, e.precision, \
     e.radius_km, e.date, e.date_precision, e.actor, e.target, e.fatalities, e.injured, \
     e.claimed_by, e.evidence, e.confidence, e.source_count, e.review, e.reviewed_at, e.lat, \
     e.lon, e.evidence_spans, e.sources, e.reviewed_by";

/// The SQL type an editable column's JSON value is read as.
fn column_cast(column: &str) -> &'static str {
    match column {
        "lat" | "lon" | "radius_km" => "::double precision",
        // A whole number written as 7.0 is 7.
        "fatalities" | "injured" => "::numeric::bigint",
        _ => "",
    }
}

/// `UPDATE … SET` re-applying the human values of `overrides` over what
/// was recomputed from the sources, and keeping the machine's merged
/// subtype and actor (matching keys) in `machine` first. A key present
/// with JSON null clears the column, as on SQLite.
fn override_sql() -> String {
    let sets: Vec<String> = EDITABLE
        .iter()
        .map(|c| {
            format!(
                "\"{c}\" = CASE WHEN overrides::jsonb ? '{c}' \
                 THEN (overrides::jsonb ->> '{c}'){} ELSE \"{c}\" END",
                column_cast(c)
            )
        })
        .collect();
    format!(
        "UPDATE events SET machine = (machine::jsonb \
           || jsonb_build_object('subtype', subtype, 'actor', actor))::text, {} \
         WHERE id = $1 AND overrides IS NOT NULL AND machine IS NOT NULL",
        sets.join(", ")
    )
}

/// Re-apply an event's human values (after its merged fields were
/// recomputed from its sources). Nothing for events never edited.
pub(crate) async fn apply_overrides(conn: &mut PgConnection, event_id: i64) -> Result<()> {
    sqlx::query(&override_sql())
        .bind(event_id)
        .execute(conn)
        .await?;
    Ok(())
}

/// `json_build_object` of these columns, keys in this order.
fn json_object_sql(fields: &[&str]) -> String {
    let pairs: Vec<String> = fields.iter().map(|c| format!("'{c}', \"{c}\"")).collect();
    format!("json_build_object({})::text", pairs.join(", "))
}

/// The current values of the editable fields, and the review state.
#[derive(sqlx::FromRow)]
struct Current {
    review: String,
    values: String,
    overrides: Option<String>,
}

impl PgStore {
    /// Apply a review to an event, in one transaction (see
    /// `Store::review_event`); `None` when there is no such event.
    pub async fn review_event(&self, event_id: i64, r: &Review) -> Result<Option<ReviewedEvent>> {
        check_editable(r)?;
        let mut tx = self.pool.begin().await?;
        // Before any row lock, as every writer of events (see `write`).
        lock_writes(&mut tx).await?;
        let current: Option<Current> = sqlx::query_as(&format!(
            "SELECT review, {} AS \"values\", overrides FROM events WHERE id = $1 FOR UPDATE",
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
        let event = reviewed(&mut tx, event_id).await?;
        tx.commit().await?;
        Ok(event)
    }

    pub async fn event_history(&self, event_id: i64) -> Result<Vec<HistoryRow>> {
        Ok(sqlx::query_as(
            "SELECT id, event_id, reviewer, at, field, before, after, note FROM event_reviews
             WHERE event_id = $1 ORDER BY id",
        )
        .bind(event_id)
        .fetch_all(&self.pool)
        .await?)
    }

    pub async fn reviewed_event(&self, id: i64) -> Result<Option<ReviewedEvent>> {
        let mut conn = self.pool.acquire().await?;
        reviewed(&mut conn, id).await
    }

    /// A page of the review queue, in [`QUEUE_ORDER`].
    pub async fn review_queue(&self, f: &QueueFilter) -> Result<QueuePage> {
        let mut qb: QueryBuilder<Postgres> = QueryBuilder::new("SELECT count(*) FROM events e");
        push_queue_filters(&mut qb, f);
        let total: i64 = qb.build_query_scalar().fetch_one(&self.pool).await?;
        let mut qb: QueryBuilder<Postgres> =
            QueryBuilder::new(format!("SELECT {REVIEWED_COLUMNS} FROM events e"));
        push_queue_filters(&mut qb, f);
        qb.push(format_args!(" ORDER BY {QUEUE_ORDER} LIMIT "))
            .push_bind(f.limit)
            .push(" OFFSET ")
            .push_bind(f.offset);
        let events = qb.build_query_as().fetch_all(&self.pool).await?;
        Ok(QueuePage { events, total })
    }

    pub async fn reviewed_article_ids(&self) -> Result<Vec<i64>> {
        Ok(sqlx::query_scalar(
            "SELECT DISTINCT s.article_id FROM event_sources s JOIN events e ON e.id = s.event_id
             WHERE e.review <> 'auto' ORDER BY s.article_id",
        )
        .fetch_all(&self.pool)
        .await?)
    }

    pub async fn article_events_reviewed(&self, article_id: i64) -> Result<Vec<ReviewedEvent>> {
        Ok(sqlx::query_as(&format!(
            "SELECT {REVIEWED_COLUMNS} FROM event_sources s JOIN events e ON e.id = s.event_id
             WHERE s.article_id = $1 ORDER BY e.id"
        ))
        .bind(article_id)
        .fetch_all(&self.pool)
        .await?)
    }
}

async fn reviewed(conn: &mut PgConnection, id: i64) -> Result<Option<ReviewedEvent>> {
    Ok(sqlx::query_as(&format!(
        "SELECT {REVIEWED_COLUMNS} FROM events e WHERE e.id = $1"
    ))
    .bind(id)
    .fetch_optional(conn)
    .await?)
}

fn push_queue_filters<'a>(qb: &mut QueryBuilder<'a, Postgres>, f: &'a QueueFilter) {
    let statuses: Vec<&str> = if f.statuses.is_empty() {
        vec![ReviewStatus::Auto.as_str()]
    } else {
        f.statuses.iter().map(|s| s.as_str()).collect()
    };
    qb.push(" WHERE e.review = ANY(")
        .push_bind(statuses)
        .push(")");
    if !f.types.is_empty() {
        qb.push(" AND e.type = ANY(").push_bind(&f.types).push(")");
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
async fn write_overrides(conn: &mut PgConnection, event_id: i64, overrides: &str) -> Result<()> {
    sqlx::query(&format!(
        "UPDATE events SET overrides = $1, machine = coalesce(machine, {}) WHERE id = $2",
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
    conn: &mut PgConnection,
    event_id: i64,
    r: &Review,
    plan: &ReviewPlan<'_>,
) -> Result<()> {
    sqlx::query(
        "UPDATE events SET review = $1, reviewed_by = $2, reviewed_at = frontline_now()
         WHERE id = $3",
    )
    .bind(plan.status.as_str())
    .bind(&r.reviewer)
    .bind(event_id)
    .execute(&mut *conn)
    .await?;
    let (fields, befores, afters): (Vec<&str>, Vec<Option<&str>>, Vec<Option<&str>>) = (
        plan.rows.iter().map(|r| r.0.as_str()).collect(),
        plan.rows.iter().map(|r| r.1.as_deref()).collect(),
        plan.rows.iter().map(|r| r.2.as_deref()).collect(),
    );
    sqlx::query(
        "INSERT INTO event_reviews (event_id, reviewer, field, before, after, note)
         SELECT $1, $2, field, before, after, $3
         FROM unnest($4::text[], $5::text[], $6::text[]) WITH ORDINALITY AS t(field, before, after, n)
         ORDER BY n",
    )
    .bind(event_id)
    .bind(&r.reviewer)
    .bind(plan.note)
    .bind(fields)
    .bind(befores)
    .bind(afters)
    .execute(&mut *conn)
    .await?;
    log_change(conn, event_id).await
}

#[cfg(test)]
mod tests {
    use crate::tests::store;
    use crate::{PlaceRow, QueueFilter, Review};
    use chrono::NaiveDate;
    use frontline_extract::article::Article;
    use frontline_extract::dates::DatePrecision;
    use frontline_extract::{Event, EventType};
    use gazetteer::Precision;
    use serde_json::Value;

    fn on_postgres() -> bool {
        std::env::var("FRONTLINE_TEST_POSTGRES").is_ok_and(|u| !u.is_empty())
    }

    fn clash(lat: f64, date: Option<&str>, actor: Option<&str>) -> (Event, PlaceRow) {
        let place = PlaceRow {
            id: format!("q{lat}"),
            name: format!("Q{lat}"),
            name_en: String::new(),
            name_ar: String::new(),
            kind: "village".into(),
            admin1: "Idlib".into(),
            country: "SY".into(),
            lat,
            lon: 36.6,
            geonameid: None,
        };
        let event = Event {
            event_type: EventType::Clash,
            subtype: None,
            place: place.name.clone(),
            place_id: place.id.clone(),
            lat,
            lon: 36.6,
            precision: Precision::Exact,
            radius_km: 0.0,
            date: date.map(String::from),
            date_precision: if date.is_some() {
                DatePrecision::Day
            } else {
                DatePrecision::Unknown
            },
            actor: actor.map(String::from),
            target: None,
            fatalities: Some(2),
            injured: None,
            claimed_by: None,
            evidence: "Des combats ont eu lieu.".into(),
            evidence_spans: Vec::new(),
            confidence: 0.4,
        };
        (event, place)
    }

    fn article(text: &str) -> Article {
        Article {
            id: text.into(),
            text: text.into(),
            published: NaiveDate::from_ymd_opt(2017, 3, 1),
            ..Article::default()
        }
    }

    #[tokio::test]
    async fn undated_events_come_last_among_equals_in_the_queue() {
        if !on_postgres() {
            return;
        }
        let (_d, s) = store().await;
        let a = s
            .add_article(
                &article("a"),
                &[
                    clash(35.0, None, None),
                    clash(36.0, Some("2017-03-01"), None),
                ],
            )
            .await
            .unwrap();
        let page = s
            .review_queue(&QueueFilter {
                limit: 10,
                ..QueueFilter::default()
            })
            .await
            .unwrap();
        let ids: Vec<i64> = page.events.iter().map(|e| e.event.fields.id).collect();
        assert_eq!(ids, vec![a.event_ids[1], a.event_ids[0]]);
    }

    #[tokio::test]
    async fn a_field_cleared_by_a_reviewer_stays_cleared_when_a_source_names_it() {
        if !on_postgres() {
            return;
        }
        let (_d, s) = store().await;
        let first = clash(35.5, Some("2017-03-01"), Some("rebels"));
        let a = s
            .add_article(&article("a"), std::slice::from_ref(&first))
            .await
            .unwrap();
        let id = a.event_ids[0];
        let cleared = Review {
            reviewer: "bob".into(),
            edits: vec![("actor", Value::Null), ("fatalities", 7.0.into())],
            ..Review::default()
        };
        let r = s.review_event(id, &cleared).await.unwrap().unwrap();
        assert_eq!(
            (r.event.fields.actor, r.event.fields.fatalities),
            (None, Some(7))
        );
        // Another report naming the actor, matched by the machine's keys.
        let b = s.add_article(&article("b"), &[first]).await.unwrap();
        assert_eq!(b.event_ids, vec![id]);
        let e = s.reviewed_event(id).await.unwrap().unwrap().event.fields;
        assert_eq!(
            (e.actor, e.fatalities, e.source_count, e.review.as_str()),
            (None, Some(7), 2, "edited")
        );
        let history = s.event_history(id).await.unwrap();
        let fields: Vec<&str> = history.iter().map(|h| h.field.as_str()).collect();
        assert_eq!(fields, ["actor", "fatalities", "status"]);
        assert_eq!(history[0].before.as_deref(), Some("\"rebels\""));
        assert_eq!(history[0].after.as_deref(), Some("null"));
    }
}
