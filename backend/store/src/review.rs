//! Review: the human decisions on events (accept, correct, reject), their
//! history, the queue of events to check, and how decisions survive the
//! recomputation of an event from its sources.
//!
//! An edit writes the human value into the event's column and into its
//! `overrides` (re-applied after every merge, see [`apply_overrides`]);
//! the first edit also keeps the machine's matching keys in `machine`, so
//! that a new extraction of the same happening still finds the event.

use super::{EventRow, PlaceRow};
use chrono::NaiveDate;
use serde::Serialize;
use serde_json::{Map, Value};

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
pub(crate) const MACHINE_KEYS: [&str; 9] = [
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

/// Whether a stored value and an edit are the same (numbers compared as
/// numbers: 3 and 3.0 are one value).
pub(crate) fn same_value(stored: Option<&Value>, edit: &Value) -> bool {
    match (stored.unwrap_or(&Value::Null), edit) {
        (Value::Number(a), Value::Number(b)) => a.as_f64() == b.as_f64(),
        (a, b) => a == b,
    }
}

pub(crate) fn json_text(v: &Value) -> String {
    v.to_string()
}

/// An edit of a field that is not [`EDITABLE`] is refused before the
/// database is touched.
pub(crate) fn check_editable(r: &Review) -> crate::Result<()> {
    match r.edits.iter().find(|(c, _)| !EDITABLE.contains(c)) {
        Some((bad, _)) => Err(crate::Error::Inconsistent(format!(
            "{bad:?} is not an editable field"
        ))),
        None => Ok(()),
    }
}

/// One row of an event's history: the field, its value before and after
/// (JSON texts).
pub(crate) type HistoryEntry = (String, Option<String>, Option<String>);

/// What a review changes, decided from the event's current editable
/// values (a JSON object) and review status.
pub(crate) struct ReviewPlan<'r> {
    /// The edits whose value differs from the stored one.
    pub changed: Vec<&'r (&'static str, Value)>,
    /// The status after the review.
    pub status: ReviewStatus,
    /// The history rows to write (none: the review changes nothing).
    pub rows: Vec<HistoryEntry>,
    /// The reviewer's note, trimmed, when not empty.
    pub note: Option<&'r str>,
}

pub(crate) fn plan_review<'r>(
    values: &Map<String, Value>,
    review: &str,
    r: &'r Review,
) -> ReviewPlan<'r> {
    let changed: Vec<&(&str, Value)> = r
        .edits
        .iter()
        .filter(|(c, v)| !same_value(values.get(*c), v))
        .collect();
    let before = ReviewStatus::parse(review).unwrap_or(ReviewStatus::Auto);
    let status = match (r.status, changed.is_empty()) {
        (Some(ReviewStatus::Rejected), _) => ReviewStatus::Rejected,
        (_, false) => ReviewStatus::Edited,
        // Accepting an edited event keeps its corrections.
        (Some(ReviewStatus::Accepted), true) if before == ReviewStatus::Edited => before,
        (Some(s), true) => s,
        (None, true) => before,
    };
    let mut rows: Vec<HistoryEntry> = changed
        .iter()
        .map(|(c, v)| {
            (
                c.to_string(),
                values.get(*c).map(json_text),
                Some(json_text(v)),
            )
        })
        .collect();
    if status != before {
        rows.push((
            "status".into(),
            Some(json_text(&Value::from(before.as_str()))),
            Some(json_text(&Value::from(status.as_str()))),
        ));
    }
    let note = r.note.as_deref().map(str::trim).filter(|n| !n.is_empty());
    if rows.is_empty() && note.is_some() {
        rows.push(("note".into(), None, None));
    }
    ReviewPlan {
        changed,
        status,
        rows,
        note,
    }
}

/// The event's overrides (a JSON object text, if any) with the changed
/// fields' human values merged in.
pub(crate) fn merged_overrides(overrides: Option<&str>, changed: &[&(&str, Value)]) -> String {
    let mut map: Map<String, Value> = overrides
        .and_then(|o| serde_json::from_str(o).ok())
        .unwrap_or_default();
    for (c, v) in changed {
        map.insert(c.to_string(), v.clone());
    }
    Value::Object(map).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn values() -> Map<String, Value> {
        json!({"type": "strike", "fatalities": 3, "lat": 36.0})
            .as_object()
            .cloned()
            .unwrap_or_default()
    }

    fn review(status: Option<ReviewStatus>, edits: &[(&'static str, Value)]) -> Review {
        Review {
            reviewer: "r".into(),
            status,
            edits: edits.to_vec(),
            note: Some("  ".into()),
            ..Review::default()
        }
    }

    #[test]
    fn an_edit_to_the_same_value_changes_nothing() {
        let r = review(None, &[("fatalities", json!(3.0)), ("lat", json!(36))]);
        let plan = plan_review(&values(), "auto", &r);
        assert!(plan.changed.is_empty() && plan.rows.is_empty());
        assert_eq!((plan.status, plan.note), (ReviewStatus::Auto, None));
    }

    #[test]
    fn accepting_an_edited_event_keeps_it_edited_and_rejecting_wins() {
        let accept = review(Some(ReviewStatus::Accepted), &[]);
        assert_eq!(
            plan_review(&values(), "edited", &accept).status,
            ReviewStatus::Edited
        );
        let reject = review(Some(ReviewStatus::Rejected), &[("type", json!("clash"))]);
        let plan = plan_review(&values(), "auto", &reject);
        assert_eq!(plan.status, ReviewStatus::Rejected);
        let fields: Vec<&str> = plan.rows.iter().map(|r| r.0.as_str()).collect();
        assert_eq!(fields, ["type", "status"]);
        assert_eq!(plan.rows[0].1.as_deref(), Some("\"strike\""));
    }

    #[test]
    fn overrides_keep_earlier_corrections() {
        let edit = ("actor", json!("Russia"));
        let merged = merged_overrides(Some(r#"{"type":"clash"}"#), &[&edit]);
        let v: Value = serde_json::from_str(&merged).unwrap_or_default();
        assert_eq!(v, json!({"type": "clash", "actor": "Russia"}));
        assert!(check_editable(&review(None, &[("evidence", json!("x"))])).is_err());
    }
}
