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
use serde_json::Value;

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
