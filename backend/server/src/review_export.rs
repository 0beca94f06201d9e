//! `frontline review export DIR`: the articles analysts reviewed, written
//! as gold files in the corpus format (`SCHEMA.md`), so that
//! `frontline eval DIR` scores the extractor against the human decisions.
//!
//! Gold events are the accepted and edited events of an article, with the
//! values a human left on them; rejected events are left out. An article
//! is written only when every one of its events was reviewed: an `auto`
//! event is the machine's unchecked guess, and writing it as gold would
//! score the extractor against itself (and leaving it out would count a
//! possibly right event as spurious). The skipped articles are reported.

use crate::error::{Error, Result};
use frontline_store::{ArticleRow, PlaceRow, ReviewedEvent, SourceRow, Store};
use serde::Serialize;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

/// What an export wrote and left out.
#[derive(Debug, Default, Serialize)]
pub struct ExportSummary {
    /// Files written (one per article).
    pub written: Vec<PathBuf>,
    /// Gold events written, and rejected events left out, over them.
    pub gold_events: usize,
    pub rejected_events: usize,
    /// Reviewed articles left out: (article id, events still `auto`).
    pub partial: Vec<(i64, usize)>,
}

/// One gold file (the corpus format).
#[derive(Debug, Serialize)]
struct GoldArticle {
    id: String,
    url: Option<String>,
    source: Option<String>,
    published: Option<String>,
    lang: &'static str,
    title: Option<String>,
    text: String,
    toponyms: Vec<GoldToponym>,
    events: Vec<GoldEvent>,
}

#[derive(Debug, Serialize)]
struct GoldToponym {
    surface: String,
    name: String,
    kind: String,
    lat: f64,
    lon: f64,
    geonameid: Option<i64>,
    in_syria: bool,
    coord_source: &'static str,
}

#[derive(Debug, Serialize)]
struct GoldEvent {
    #[serde(rename = "type")]
    event_type: String,
    subtype: Option<String>,
    place: String,
    lat: f64,
    lon: f64,
    precision: String,
    date: Option<String>,
    date_precision: String,
    actor: Option<String>,
    target: Option<String>,
    fatalities: Option<i64>,
    injured: Option<i64>,
    claimed_by: Option<String>,
    evidence: String,
    /// Not in the schema (readers ignore it): `accepted` or `edited`.
    review: String,
}

/// Write every fully reviewed article into `dir` (created if needed).
pub async fn export(store: &Store, dir: &Path) -> Result<ExportSummary> {
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let mut summary = ExportSummary::default();
    let mut names = HashSet::new();
    for article_id in store.reviewed_article_ids().await? {
        let events = store.article_events_reviewed(article_id).await?;
        let unreviewed = events.iter().filter(|e| e.event.fields.review == "auto");
        let unreviewed = unreviewed.count();
        if unreviewed > 0 {
            summary.partial.push((article_id, unreviewed));
            continue;
        }
        let Some(article) = store.article(article_id).await? else {
            continue;
        };
        let gold = gold_article(store, &article, &events).await?;
        summary.gold_events += gold.events.len();
        summary.rejected_events += events.len() - gold.events.len();
        let name = file_stem(&article, &mut names);
        let path = dir.join(format!("{name}.json"));
        let json = serde_json::to_string_pretty(&GoldArticle { id: name, ..gold })
            .map_err(|e| Error::Internal(format!("gold file JSON: {e}")))?;
        std::fs::write(&path, json + "\n").map_err(|e| Error::io(&path, e))?;
        summary.written.push(path);
    }
    Ok(summary)
}

/// The gold file of one article whose events are all reviewed.
async fn gold_article(
    store: &Store,
    article: &ArticleRow,
    events: &[ReviewedEvent],
) -> Result<GoldArticle> {
    let kept: Vec<&ReviewedEvent> = events
        .iter()
        .filter(|e| matches!(e.event.fields.review.as_str(), "accepted" | "edited"))
        .collect();
    let ids: Vec<i64> = kept.iter().map(|e| e.event.fields.id).collect();
    let sources = store.sources(&ids).await?;
    let mut places: HashMap<String, PlaceRow> = HashMap::new();
    let mut gold = Vec::new();
    for e in &kept {
        let f = &e.event.fields;
        if !places.contains_key(&f.place_id) {
            if let Some(p) = store.place(&f.place_id).await? {
                places.insert(f.place_id.clone(), p);
            }
        }
        let evidence = article_evidence(sources.get(&f.id), article.id).unwrap_or(&f.evidence);
        gold.push(gold_event(e, evidence));
    }
    Ok(GoldArticle {
        id: String::new(),
        url: article.url.clone(),
        source: article.source.clone(),
        published: article.published.clone(),
        lang: "fr",
        title: article.title.clone(),
        text: article.text.clone(),
        toponyms: toponyms(&kept, &places),
        events: gold,
    })
}

/// The sentence this article gave for the event (an event merged from
/// several articles keeps the first one's as its own).
fn article_evidence(sources: Option<&Vec<SourceRow>>, article_id: i64) -> Option<&String> {
    sources?
        .iter()
        .find(|s| s.article_id == article_id)
        .map(|s| &s.evidence)
}

fn gold_event(e: &ReviewedEvent, evidence: &str) -> GoldEvent {
    let f = &e.event.fields;
    GoldEvent {
        event_type: f.event_type.clone(),
        subtype: f.subtype.clone(),
        place: f.place.clone(),
        lat: e.event.lat,
        lon: e.event.lon,
        precision: f.precision.clone(),
        date: schema_date(f.date.as_deref(), &f.date_precision),
        date_precision: f.date_precision.clone(),
        actor: f.actor.clone(),
        target: f.target.clone(),
        fatalities: f.fatalities,
        injured: f.injured,
        claimed_by: f.claimed_by.clone(),
        evidence: evidence.to_string(),
        review: f.review.clone(),
    }
}

/// The store keeps the first day of a month or year; the schema writes
/// `YYYY-MM` and `YYYY`.
fn schema_date(date: Option<&str>, precision: &str) -> Option<String> {
    let d = date?;
    let len = match precision {
        "month" => 7,
        "year" => 4,
        "unknown" => return None,
        _ => d.len(),
    };
    Some(d.get(..len).unwrap_or(d).to_string())
}

/// The places of the gold events (the review checks events, not every
/// place name of the text, so only these are vouched for), each once.
fn toponyms(kept: &[&ReviewedEvent], places: &HashMap<String, PlaceRow>) -> Vec<GoldToponym> {
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    for e in kept {
        let Some(p) = places.get(&e.event.fields.place_id) else {
            continue;
        };
        if !seen.insert(p.id.clone()) {
            continue;
        }
        out.push(GoldToponym {
            surface: e.event.fields.place.clone(),
            name: p.name.clone(),
            kind: p.kind.clone(),
            lat: p.lat,
            lon: p.lon,
            geonameid: p.geonameid,
            in_syria: p.country == "SY",
            coord_source: if p.geonameid.is_some() {
                "geonames"
            } else {
                "knowledge"
            },
        });
    }
    out
}

/// The file's name (and the gold `id`): the article's corpus id or file
/// name when it is a plain one and not taken yet, else `article-<id>`.
fn file_stem(article: &ArticleRow, taken: &mut HashSet<String>) -> String {
    let plain = !article.name.is_empty()
        && !article.name.starts_with('.')
        && article.name.len() <= 120
        && article
            .name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    let stem = if plain && !taken.contains(&article.name) {
        article.name.clone()
    } else {
        format!("article-{}", article.id)
    };
    taken.insert(stem.clone());
    stem
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_written_at_their_precision() {
        assert_eq!(
            schema_date(Some("2017-09-01"), "month").as_deref(),
            Some("2017-09")
        );
        assert_eq!(
            schema_date(Some("2017-01-01"), "year").as_deref(),
            Some("2017")
        );
        assert_eq!(
            schema_date(Some("2017-09-06"), "day").as_deref(),
            Some("2017-09-06")
        );
        assert_eq!(schema_date(Some("2017-09-06"), "unknown"), None);
        assert_eq!(schema_date(None, "day"), None);
    }

    fn article(id: i64, name: &str) -> ArticleRow {
        ArticleRow {
            id,
            name: name.into(),
            url: None,
            source: None,
            title: None,
            published: None,
            content_hash: String::new(),
            ingested_at: String::new(),
            text: String::new(),
        }
    }

    #[test]
    fn file_names_are_plain_and_unique() {
        let mut taken = HashSet::new();
        assert_eq!(file_stem(&article(1, "alep-2016"), &mut taken), "alep-2016");
        assert_eq!(file_stem(&article(2, "alep-2016"), &mut taken), "article-2");
        assert_eq!(file_stem(&article(3, "../etc/x"), &mut taken), "article-3");
        assert_eq!(file_stem(&article(4, ""), &mut taken), "article-4");
        assert_eq!(file_stem(&article(5, ".hidden"), &mut taken), "article-5");
    }
}
