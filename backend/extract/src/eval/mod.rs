//! Scoring extraction against gold files, with the rules of the corpus
//! `SCHEMA.md`: events match on type, distance (25 km, 50 km when either
//! side is `region`) and, when both have a day, dates within one day;
//! toponyms in Syria match within 10 km (25 km for governorates, districts
//! and regions), over distinct places.

use crate::article::Article;
use crate::error::{Error, Result};
use crate::vocab::EventType;
use crate::{Extraction, Extractor};
use chrono::NaiveDate;
use gazetteer::distance_km;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

#[derive(Debug, Clone, Deserialize)]
pub struct GoldToponym {
    pub surface: String,
    pub name: String,
    pub kind: String,
    pub lat: f64,
    pub lon: f64,
}

#[derive(Debug, Clone, Deserialize)]
pub struct GoldEvent {
    #[serde(rename = "type")]
    pub event_type: String,
    pub place: String,
    pub lat: f64,
    pub lon: f64,
    pub precision: String,
    pub date: Option<String>,
    pub date_precision: String,
    pub actor: Option<String>,
    pub evidence: String,
}

#[derive(Debug, Clone, Deserialize)]
pub struct GoldFile {
    pub id: String,
    pub url: Option<String>,
    pub source: Option<String>,
    pub published: Option<String>,
    pub title: Option<String>,
    pub text: String,
    pub toponyms: Vec<GoldToponym>,
    pub events: Vec<GoldEvent>,
}

/// Precision, recall, F1 from counts.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Prf {
    pub gold: usize,
    pub predicted: usize,
    pub matched: usize,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
}

impl Prf {
    fn new(gold: usize, predicted: usize, matched: usize) -> Self {
        let precision = if predicted == 0 {
            if gold == 0 {
                1.0
            } else {
                0.0
            }
        } else {
            matched as f64 / predicted as f64
        };
        let recall = if gold == 0 {
            1.0
        } else {
            matched as f64 / gold as f64
        };
        let f1 = if precision + recall == 0.0 {
            0.0
        } else {
            2.0 * precision * recall / (precision + recall)
        };
        Prf {
            gold,
            predicted,
            matched,
            precision,
            recall,
            f1,
        }
    }
}

/// One line of the detailed report: what was missed or spurious.
#[derive(Debug, Clone, Serialize)]
pub struct Miss {
    pub file: String,
    pub kind: &'static str,
    /// The likely cause, for events and actors.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub class: Option<&'static str>,
    pub what: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub files: usize,
    pub overall: Prf,
    pub by_type: BTreeMap<String, Prf>,
    /// Share of matched events whose actor is right (both null counts).
    pub actor_accuracy: f64,
    pub toponyms: Prf,
    /// Where points are lost: missed and spurious events and wrong actors,
    /// counted by their likely cause (see [`ErrorClass`]).
    pub errors: BTreeMap<&'static str, usize>,
    /// Predicted confidence against observed precision, by bucket.
    pub reliability: Vec<Bucket>,
    pub misses: Vec<Miss>,
}

/// The likely cause of a missed or spurious event, or of a wrong actor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ErrorClass {
    /// A gold event that no extracted event's evidence touches: no trigger
    /// fired in its sentences (or it was cancelled).
    MissedTrigger,
    /// An extracted event where the gold has none of any type nearby:
    /// background, history, a generic or hypothetical statement, a sense
    /// of the trigger that is not an event.
    Background,
    /// The right story, split or joined wrongly: an extra copy of an event
    /// already found, or two gold events joined into one.
    Merge,
    /// The right sentence and type, at the wrong place.
    Place,
    /// The right place, the wrong type.
    Type,
    /// The right place and type, a date more than a day off.
    Date,
    /// A matched event with the wrong actor.
    Actor,
}

impl ErrorClass {
    pub const ALL: [ErrorClass; 7] = [
        ErrorClass::MissedTrigger,
        ErrorClass::Background,
        ErrorClass::Merge,
        ErrorClass::Place,
        ErrorClass::Type,
        ErrorClass::Date,
        ErrorClass::Actor,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ErrorClass::MissedTrigger => "missed trigger",
            ErrorClass::Background => "background",
            ErrorClass::Merge => "merge",
            ErrorClass::Place => "place",
            ErrorClass::Type => "type",
            ErrorClass::Date => "date",
            ErrorClass::Actor => "actor",
        }
    }
}

/// Extracted events whose confidence falls in `[low, high)`, and how many
/// of them match a gold event.
#[derive(Debug, Clone, Copy, Serialize)]
pub struct Bucket {
    pub low: f64,
    pub high: f64,
    pub predicted: usize,
    pub matched: usize,
    /// Mean confidence of the bucket's events.
    pub mean_confidence: f64,
}

pub fn load_gold(dir: &Path) -> Result<Vec<(PathBuf, GoldFile)>> {
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .map_err(|e| Error::io(dir, e))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    paths.sort();
    if paths.is_empty() {
        return Err(Error::File {
            path: dir.into(),
            message: "no gold .json files".into(),
        });
    }
    paths
        .into_iter()
        .map(|p| {
            let text = std::fs::read_to_string(&p).map_err(|e| Error::io(&p, e))?;
            let gold: GoldFile = serde_json::from_str(&text).map_err(|e| Error::Input {
                path: p.clone(),
                line: e.line(),
                field: "json".into(),
                message: e.to_string(),
            })?;
            Ok((p, gold))
        })
        .collect()
}

impl GoldFile {
    pub fn article(&self) -> Article {
        Article {
            id: self.id.clone(),
            url: self.url.clone(),
            source: self.source.clone(),
            title: self.title.clone(),
            published: self
                .published
                .as_deref()
                .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok()),
            text: self.text.clone(),
        }
    }
}

fn day(date: &Option<String>, precision: &str) -> Option<NaiveDate> {
    if precision != "day" {
        return None;
    }
    date.as_deref()
        .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
}

/// Score every gold file in `dir`.
pub fn evaluate(extractor: &Extractor, dir: &Path) -> Result<Report> {
    evaluate_with(extractor, dir, 0.0)
}

/// Score every gold file in `dir`, keeping only the extracted events whose
/// confidence is at least `min_confidence`.
pub fn evaluate_with(extractor: &Extractor, dir: &Path, min_confidence: f64) -> Result<Report> {
    let files = load_gold(dir)?;
    let mut tally = Tally::default();
    for (_, gold) in &files {
        let mut out = extractor.extract(&gold.article());
        out.events.retain(|e| e.confidence >= min_confidence);
        tally.score(gold, &out);
    }
    Ok(tally.report(files.len()))
}

/// Counts over the files scored so far.
#[derive(Default)]
struct Tally {
    /// Gold, predicted and matched events by type.
    per_type: BTreeMap<String, (usize, usize, usize)>,
    actor_ok: usize,
    matched: usize,
    /// Gold, predicted and matched toponyms.
    toponyms: (usize, usize, usize),
    misses: Vec<Miss>,
    errors: BTreeMap<&'static str, usize>,
    /// Each extracted event's confidence, and whether it was right.
    scored: Vec<(f64, bool)>,
}

impl Tally {
    fn miss(&mut self, file: &str, kind: &'static str, class: ErrorClass, what: String) {
        *self.errors.entry(class.as_str()).or_default() += 1;
        self.misses.push(Miss {
            file: file.to_string(),
            kind,
            class: Some(class.as_str()),
            what,
        });
    }

    /// Match one file's extraction against its gold events and toponyms.
    fn score(&mut self, gold: &GoldFile, out: &Extraction) {
        let pairs = match_events(&gold.events, out);
        for (i, g) in gold.events.iter().enumerate() {
            self.per_type.entry(g.event_type.clone()).or_default().0 += 1;
            if !pairs.iter().any(|&(gi, _)| gi == i) {
                let class = classify_missed(gold, i, out, &pairs);
                let what = format!(
                    "{} at {} ({}) {:?} actor {:?}: {}",
                    g.event_type, g.place, g.precision, g.date, g.actor, g.evidence
                );
                self.miss(&gold.id, "missed", class, what);
            }
        }
        for (j, e) in out.events.iter().enumerate() {
            self.per_type
                .entry(e.event_type.as_str().into())
                .or_default()
                .1 += 1;
            let matched = pairs.iter().any(|&(_, pj)| pj == j);
            self.scored.push((e.confidence, matched));
            if !matched {
                let what = format!(
                    "{} at {} ({:?}) {:?} actor {:?} conf {:.2}: {}",
                    e.event_type.as_str(),
                    e.place,
                    e.precision,
                    e.date,
                    e.actor,
                    e.confidence,
                    e.evidence
                );
                self.miss(&gold.id, "spurious", classify_spurious(gold, out, j), what);
            }
        }
        for &(gi, pj) in &pairs {
            let g = &gold.events[gi];
            self.per_type.entry(g.event_type.clone()).or_default().2 += 1;
            self.matched += 1;
            if g.actor == out.events[pj].actor {
                self.actor_ok += 1;
            } else {
                let what = format!(
                    "{} at {}: gold {:?}, got {:?}: {}",
                    g.event_type, g.place, g.actor, out.events[pj].actor, g.evidence
                );
                self.miss(&gold.id, "actor", ErrorClass::Actor, what);
            }
        }
        let (g, p, m) = match_toponyms(gold, out, &mut self.misses);
        self.toponyms = (
            self.toponyms.0 + g,
            self.toponyms.1 + p,
            self.toponyms.2 + m,
        );
    }

    fn report(mut self, files: usize) -> Report {
        for t in EventType::ALL {
            self.per_type.entry(t.as_str().into()).or_default();
        }
        for c in ErrorClass::ALL {
            self.errors.entry(c.as_str()).or_default();
        }
        let by_type: BTreeMap<String, Prf> = self
            .per_type
            .iter()
            .map(|(k, &(g, p, m))| (k.clone(), Prf::new(g, p, m)))
            .collect();
        let (g, p, m) = self
            .per_type
            .values()
            .fold((0, 0, 0), |a, &(g, p, m)| (a.0 + g, a.1 + p, a.2 + m));
        let (tg, tp, tm) = self.toponyms;
        Report {
            files,
            overall: Prf::new(g, p, m),
            by_type,
            actor_accuracy: if self.matched == 0 {
                0.0
            } else {
                self.actor_ok as f64 / self.matched as f64
            },
            toponyms: Prf::new(tg, tp, tm),
            errors: self.errors,
            reliability: reliability(&self.scored),
            misses: self.misses,
        }
    }
}

/// One extracted event of an annotated article, labelled: the material of
/// the confidence model.
#[derive(Debug, Clone)]
pub struct Example {
    /// The article, so that cross-validation keeps an article's events in
    /// one fold.
    pub article: String,
    pub features: Vec<f64>,
    /// Whether it matches a gold event.
    pub matched: bool,
}

/// Every candidate event of the gold files in `dirs`, labelled, and the
/// number of gold events (what recall is counted against).
pub fn examples(extractor: &Extractor, dirs: &[PathBuf]) -> Result<(Vec<Example>, usize)> {
    let mut out = Vec::new();
    let mut gold_events = 0;
    for dir in dirs {
        for (path, gold) in load_gold(dir)? {
            let (toponyms, candidates) = extractor.candidates(&gold.article());
            let features: Vec<Vec<f64>> = candidates.iter().map(|c| c.features.clone()).collect();
            let extraction = Extraction {
                toponyms,
                events: candidates.into_iter().map(|c| c.event).collect(),
            };
            let pairs = match_events(&gold.events, &extraction);
            gold_events += gold.events.len();
            for (j, f) in features.into_iter().enumerate() {
                out.push(Example {
                    article: path.display().to_string(),
                    features: f,
                    matched: pairs.iter().any(|&(_, pj)| pj == j),
                });
            }
        }
    }
    Ok((out, gold_events))
}

/// Buckets of confidence (0.1 wide) with the share of their events that
/// match a gold event.
pub fn reliability(scored: &[(f64, bool)]) -> Vec<Bucket> {
    (0..10)
        .filter_map(|k| {
            let (low, high) = (k as f64 / 10.0, (k + 1) as f64 / 10.0);
            let inside: Vec<&(f64, bool)> = scored
                .iter()
                .filter(|(c, _)| *c >= low && (*c < high || (k == 9 && *c <= 1.0)))
                .collect();
            (!inside.is_empty()).then(|| Bucket {
                low,
                high,
                predicted: inside.len(),
                matched: inside.iter().filter(|(_, m)| *m).count(),
                mean_confidence: inside.iter().map(|(c, _)| c).sum::<f64>() / inside.len() as f64,
            })
        })
        .collect()
}

/// Byte range of a gold event's evidence in the text, when it is there.
fn gold_span(gold: &GoldFile, g: &GoldEvent) -> Option<std::ops::Range<usize>> {
    let ev = g.evidence.trim();
    if ev.is_empty() {
        return None;
    }
    gold.text.find(ev).map(|start| start..start + ev.len())
}

/// Whether an extracted event's evidence overlaps a byte range.
fn touches(e: &crate::Event, span: &std::ops::Range<usize>) -> bool {
    e.evidence_spans
        .iter()
        .any(|x| x.start < span.end && span.start < x.end)
}

fn near(g: &GoldEvent, e: &crate::Event) -> bool {
    let region = g.precision == "region" || e.precision == gazetteer::Precision::Region;
    distance_km(g.lat, g.lon, e.lat, e.lon) <= if region { 50.0 } else { 25.0 }
}

fn same_day(g: &GoldEvent, e: &crate::Event) -> bool {
    match (
        day(&g.date, &g.date_precision),
        day(&e.date, e.date_precision.as_str()),
    ) {
        (Some(a), Some(b)) => (a - b).num_days().abs() <= 1,
        _ => true,
    }
}

/// Why a gold event found no match.
fn classify_missed(
    gold: &GoldFile,
    i: usize,
    out: &Extraction,
    pairs: &[(usize, usize)],
) -> ErrorClass {
    let g = &gold.events[i];
    let Some(span) = gold_span(gold, g) else {
        return ErrorClass::MissedTrigger;
    };
    let told: Vec<(usize, &crate::Event)> = out
        .events
        .iter()
        .enumerate()
        .filter(|(_, e)| touches(e, &span))
        .collect();
    let same_type = |e: &crate::Event| e.event_type.as_str() == g.event_type;
    if told.is_empty() {
        ErrorClass::MissedTrigger
    } else if told.iter().any(|(j, e)| {
        same_type(e) && near(g, e) && same_day(g, e) && pairs.iter().any(|p| p.1 == *j)
    }) {
        // Its sentence's event matched another gold event: the two were joined.
        ErrorClass::Merge
    } else if told.iter().any(|(_, e)| same_type(e) && near(g, e)) {
        ErrorClass::Date
    } else if told.iter().any(|(_, e)| same_type(e)) {
        ErrorClass::Place
    } else {
        ErrorClass::Type
    }
}

/// Why an extracted event matched no gold event.
fn classify_spurious(gold: &GoldFile, out: &Extraction, j: usize) -> ErrorClass {
    let e = &out.events[j];
    let same_type = |g: &GoldEvent| g.event_type == e.event_type.as_str();
    let spans: Vec<Option<std::ops::Range<usize>>> =
        gold.events.iter().map(|g| gold_span(gold, g)).collect();
    let told = |k: usize| spans[k].as_ref().is_some_and(|s| touches(e, s));
    let events = gold.events.iter().enumerate();
    if events
        .clone()
        .any(|(_, g)| same_type(g) && near(g, e) && same_day(g, e))
    {
        // A gold event it would match is taken by another extracted event.
        ErrorClass::Merge
    } else if events.clone().any(|(k, g)| same_type(g) && told(k)) {
        ErrorClass::Place
    } else if events.clone().any(|(_, g)| same_type(g) && near(g, e)) {
        ErrorClass::Date
    } else if events
        .clone()
        .any(|(k, g)| told(k) || (near(g, e) && same_day(g, e)))
    {
        ErrorClass::Type
    } else {
        ErrorClass::Background
    }
}

/// One-to-one matching, closest pairs first.
fn match_events(gold: &[GoldEvent], out: &Extraction) -> Vec<(usize, usize)> {
    let mut candidates = Vec::new();
    for (i, g) in gold.iter().enumerate() {
        for (j, e) in out.events.iter().enumerate() {
            if g.event_type != e.event_type.as_str() {
                continue;
            }
            let region = g.precision == "region" || e.precision == gazetteer::Precision::Region;
            let d = distance_km(g.lat, g.lon, e.lat, e.lon);
            if d > if region { 50.0 } else { 25.0 } {
                continue;
            }
            if let (Some(a), Some(b)) = (
                day(&g.date, &g.date_precision),
                day(&e.date, e.date_precision.as_str()),
            ) {
                if (a - b).num_days().abs() > 1 {
                    continue;
                }
            }
            // Ties in distance go to the closer date, then the same actor.
            let date_gap = match (g.date.as_deref(), e.date.as_deref()) {
                (Some(a), Some(b)) => common_prefix(a, b),
                _ => 0,
            };
            let same_actor = g.actor == e.actor;
            candidates.push((d, std::cmp::Reverse(date_gap), !same_actor, i, j));
        }
    }
    candidates.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    for (_, _, _, i, j) in candidates {
        if !pairs.iter().any(|&(a, b)| a == i || b == j) {
            pairs.push((i, j));
        }
    }
    pairs
}

/// How many leading characters two dates share ("2016-05-06" and "2016-05" share 7).
fn common_prefix(a: &str, b: &str) -> usize {
    a.chars().zip(b.chars()).take_while(|(x, y)| x == y).count()
}

fn syrian_kind(kind: &str) -> bool {
    !matches!(kind, "country" | "foreign")
}

fn wide(kind: &str) -> bool {
    matches!(kind, "governorate" | "district" | "region")
}

/// Toponyms in Syria: (gold, predicted, matched) over distinct places.
fn match_toponyms(
    gold: &GoldFile,
    out: &Extraction,
    misses: &mut Vec<Miss>,
) -> (usize, usize, usize) {
    let g: Vec<&GoldToponym> = gold
        .toponyms
        .iter()
        .filter(|t| syrian_kind(&t.kind))
        .collect();
    let p: Vec<_> = out
        .toponyms
        .iter()
        .filter(|t| t.in_syria && syrian_kind(&t.kind))
        .collect();
    let mut candidates = Vec::new();
    for (i, gt) in g.iter().enumerate() {
        for (j, pt) in p.iter().enumerate() {
            let d = distance_km(gt.lat, gt.lon, pt.lat, pt.lon);
            if d <= if wide(&gt.kind) || wide(&pt.kind) {
                25.0
            } else {
                10.0
            } {
                candidates.push((d, i, j));
            }
        }
    }
    candidates.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut pairs: Vec<(usize, usize)> = Vec::new();
    for (_, i, j) in candidates {
        if !pairs.iter().any(|&(a, b)| a == i || b == j) {
            pairs.push((i, j));
        }
    }
    for (i, gt) in g.iter().enumerate() {
        if !pairs.iter().any(|&(a, _)| a == i) {
            misses.push(Miss {
                file: gold.id.clone(),
                kind: "toponym missed",
                class: None,
                what: format!(
                    "{} = {} ({}) {:.3},{:.3}",
                    gt.surface, gt.name, gt.kind, gt.lat, gt.lon
                ),
            });
        }
    }
    for (j, pt) in p.iter().enumerate() {
        if !pairs.iter().any(|&(_, b)| b == j) {
            misses.push(Miss {
                file: gold.id.clone(),
                kind: "toponym spurious",
                class: None,
                what: format!(
                    "{} = {} [{}] ({}) {:.3},{:.3}",
                    pt.surface, pt.name, pt.place_id, pt.kind, pt.lat, pt.lon
                ),
            });
        }
    }
    (g.len(), p.len(), pairs.len())
}

/// The report as a table for people.
pub fn table(r: &Report, verbose: bool) -> String {
    use std::fmt::Write as _;
    let mut s = String::new();
    let _ = writeln!(s, "{} files", r.files);
    let _ = writeln!(
        s,
        "{:<20} {:>5} {:>5} {:>5} {:>6} {:>6} {:>6}",
        "events", "gold", "pred", "match", "P", "R", "F1"
    );
    let row = |s: &mut String, name: &str, p: &Prf| {
        let _ = writeln!(
            s,
            "{:<20} {:>5} {:>5} {:>5} {:>6.2} {:>6.2} {:>6.2}",
            name, p.gold, p.predicted, p.matched, p.precision, p.recall, p.f1
        );
    };
    for (k, p) in &r.by_type {
        row(&mut s, k, p);
    }
    row(&mut s, "overall", &r.overall);
    let _ = writeln!(s, "{:<20} {:>32.2}", "actor accuracy", r.actor_accuracy);
    row(&mut s, "toponyms (Syria)", &r.toponyms);
    let _ = writeln!(
        s,
        "errors: {}",
        ErrorClass::ALL
            .iter()
            .map(|c| format!("{} {}", c.as_str(), r.errors.get(c.as_str()).unwrap_or(&0)))
            .collect::<Vec<_>>()
            .join(", ")
    );
    if verbose {
        let _ = writeln!(s, "confidence   events  matched  precision");
        for b in &r.reliability {
            let _ = writeln!(
                s,
                "{:.1}-{:.1}      {:>6}  {:>7}  {:>9.2}",
                b.low,
                b.high,
                b.predicted,
                b.matched,
                b.matched as f64 / b.predicted as f64
            );
        }
        for m in &r.misses {
            match m.class {
                Some(c) => {
                    let _ = writeln!(s, "[{} / {}] {}: {}", m.kind, c, m.file, m.what);
                }
                None => {
                    let _ = writeln!(s, "[{}] {}: {}", m.kind, m.file, m.what);
                }
            }
        }
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    /// The demo dispatches are the project's own French text with gold
    /// annotations: a floor on their score catches regressions in the rules.
    #[test]
    fn the_demo_dispatches_score_above_the_floor() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../server/demo/dispatches");
        let gazetteer = Arc::new(gazetteer::Gazetteer::builtin().unwrap());
        let report = evaluate(&Extractor::new(gazetteer).unwrap(), &dir).unwrap();
        assert!(report.files >= 60, "{} dispatches", report.files);
        assert!(
            report.overall.f1 >= 0.80,
            "event F1 {:.2}",
            report.overall.f1
        );
        assert!(
            report.by_type["control_change"].f1 >= 0.80,
            "{:?}",
            report.by_type["control_change"]
        );
        assert!(
            report.by_type["strike"].f1 >= 0.80,
            "{:?}",
            report.by_type["strike"]
        );
        assert!(report.toponyms.precision >= 0.90, "{:?}", report.toponyms);
        assert!(report.toponyms.recall >= 0.85, "{:?}", report.toponyms);
    }
}
