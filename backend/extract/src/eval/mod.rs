//! Scoring extraction against gold files, with the rules of the corpus
//! `SCHEMA.md`: events match on type, distance (25 km, 50 km when either
//! side is `region`) and, when both have a day, dates within one day;
//! toponyms in Syria match within 10 km (25 km for governorates, districts
//! and regions), over distinct places.

use crate::article::Article;
use crate::error::{Error, Result};
use crate::lexicon::EventType;
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
    pub misses: Vec<Miss>,
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
    let files = load_gold(dir)?;
    let mut per_type: BTreeMap<String, (usize, usize, usize)> = BTreeMap::new();
    for t in EventType::ALL {
        per_type.insert(t.as_str().into(), (0, 0, 0));
    }
    let (mut actor_ok, mut matched_total) = (0usize, 0usize);
    let (mut tg, mut tp, mut tm) = (0, 0, 0);
    let mut misses = Vec::new();
    for (_, gold) in &files {
        let out = extractor.extract(&gold.article());
        let pairs = match_events(&gold.events, &out);
        for (i, g) in gold.events.iter().enumerate() {
            per_type.entry(g.event_type.clone()).or_default().0 += 1;
            if !pairs.iter().any(|&(gi, _)| gi == i) {
                misses.push(Miss {
                    file: gold.id.clone(),
                    kind: "missed",
                    what: format!(
                        "{} at {} ({}) {:?} actor {:?}: {}",
                        g.event_type, g.place, g.precision, g.date, g.actor, g.evidence
                    ),
                });
            }
        }
        for (j, e) in out.events.iter().enumerate() {
            per_type.entry(e.event_type.as_str().into()).or_default().1 += 1;
            if !pairs.iter().any(|&(_, pj)| pj == j) {
                misses.push(Miss {
                    file: gold.id.clone(),
                    kind: "spurious",
                    what: format!(
                        "{} at {} ({:?}) {:?} actor {:?}: {}",
                        e.event_type.as_str(),
                        e.place,
                        e.precision,
                        e.date,
                        e.actor,
                        e.evidence
                    ),
                });
            }
        }
        for &(gi, pj) in &pairs {
            let g = &gold.events[gi];
            per_type.entry(g.event_type.clone()).or_default().2 += 1;
            matched_total += 1;
            if g.actor == out.events[pj].actor {
                actor_ok += 1;
            } else {
                misses.push(Miss {
                    file: gold.id.clone(),
                    kind: "actor",
                    what: format!(
                        "{} at {}: gold {:?}, got {:?}",
                        g.event_type, g.place, g.actor, out.events[pj].actor
                    ),
                });
            }
        }
        let (g, p, m) = match_toponyms(gold, &out, &mut misses);
        tg += g;
        tp += p;
        tm += m;
    }
    let by_type: BTreeMap<String, Prf> = per_type
        .iter()
        .map(|(k, &(g, p, m))| (k.clone(), Prf::new(g, p, m)))
        .collect();
    let (g, p, m) = per_type
        .values()
        .fold((0, 0, 0), |a, &(g, p, m)| (a.0 + g, a.1 + p, a.2 + m));
    Ok(Report {
        files: files.len(),
        overall: Prf::new(g, p, m),
        by_type,
        actor_accuracy: if matched_total == 0 {
            0.0
        } else {
            actor_ok as f64 / matched_total as f64
        },
        toponyms: Prf::new(tg, tp, tm),
        misses,
    })
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
    if verbose {
        for m in &r.misses {
            let _ = writeln!(s, "[{}] {}: {}", m.kind, m.file, m.what);
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
