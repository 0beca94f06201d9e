//! Ingest: articles from files, folders, JSON Lines or stdin, through the
//! extractor, into the store — one transaction per article.

use crate::error::{Error, Result};
use frontline_extract::article::{self, Article, DateBounds};
use frontline_extract::near_dup::{self, Fingerprint};
use frontline_extract::{Event, Extractor};
use frontline_store::{content_hash, Added, PlaceRow, Replaced, Store};
use gazetteer::Gazetteer;
use indicatif::{ProgressBar, ProgressStyle};
use serde::Serialize;
use std::io::Read;
use std::path::{Path, PathBuf};

/// Extensions read when walking a folder.
const EXTENSIONS: [&str; 6] = ["txt", "html", "htm", "json", "jsonl", "ndjson"];

/// Turns articles into stored events.
#[derive(Clone)]
pub struct Ingester {
    store: Store,
    extractor: Extractor,
    limits: Limits,
}

/// What an article may be: its publication date within `dates`, and at
/// most `max_events` events out of it (a flood of events from one text is
/// refused whole, never stored in part).
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    pub dates: DateBounds,
    pub max_events: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            dates: DateBounds::default(),
            max_events: 200,
        }
    }
}

/// What a run did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Summary {
    pub new: usize,
    pub unchanged: usize,
    pub failed: usize,
    pub events_added: usize,
    pub events_merged: usize,
    /// Near-duplicates of stored articles, folded into them as sources.
    pub near_duplicates: usize,
    /// (where, why) for every failure.
    pub failures: Vec<(String, String)>,
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "articles: {} new, {} unchanged, {} near-duplicates folded into stored articles, {} failed; events: {} added, {} merged into events already reported",
            self.new, self.unchanged, self.near_duplicates, self.failed, self.events_added, self.events_merged
        )
    }
}

impl Summary {
    /// Count what storing one article did; `at` names it in failures.
    pub fn record(&mut self, at: String, result: Result<Added>) {
        match result {
            Ok(added) if added.new => {
                self.new += 1;
                self.events_added += added.events_added;
                self.events_merged += added.events_merged;
            }
            Ok(added) if added.folded => self.near_duplicates += 1,
            Ok(_) => self.unchanged += 1,
            Err(e) => self.fail(at, &e),
        }
    }

    /// Count a failure: where, and why.
    pub fn fail(&mut self, at: String, why: &Error) {
        self.failed += 1;
        self.failures.push((at, why.to_string()));
    }

    /// One line per failure, naming where it happened unless the message
    /// already starts with it.
    pub fn failure_lines(&self) -> impl Iterator<Item = String> + '_ {
        self.failures.iter().map(|(at, why)| {
            if why.starts_with(at.as_str()) {
                format!("error: {why}")
            } else {
                format!("error: {at}: {why}")
            }
        })
    }
}

/// What a re-extraction did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ReextractSummary {
    pub articles: usize,
    pub events_before: usize,
    pub events_after: usize,
    pub events_removed: usize,
    pub events_added: usize,
}

impl Ingester {
    pub fn new(store: Store, extractor: Extractor) -> Self {
        Ingester {
            store,
            extractor,
            limits: Limits::default(),
        }
    }

    /// The same ingester, with these limits.
    pub fn with_limits(self, limits: Limits) -> Self {
        Ingester { limits, ..self }
    }

    pub fn limits(&self) -> &Limits {
        &self.limits
    }

    pub fn store(&self) -> &Store {
        &self.store
    }

    pub fn extractor(&self) -> &Extractor {
        &self.extractor
    }

    /// Extract and store one article. An article already stored (same
    /// text) is not extracted again; a near-duplicate of a stored article
    /// (see [`near_dup`]) is folded into it as another source and adds no
    /// events.
    pub async fn article(&self, article: Article) -> Result<Added> {
        let hash = content_hash(&article.text);
        if let Some(id) = self.store.article_by_hash(&hash).await? {
            return self.unchanged(id, false).await;
        }
        if let Some(id) = self.store.copy_by_hash(&hash).await? {
            return self.unchanged(id, true).await;
        }
        let fingerprint = Fingerprint::of(&article.text);
        if let Some(f) = &fingerprint {
            if let Some((id, similarity)) = self.near_duplicate_of(f, &article.text).await? {
                if !self.store.add_copy(id, &article, similarity).await? {
                    // Another process stored this very text after the
                    // first check: it is that article, not a copy of it.
                    if let Some(stored) = self.store.article_by_hash(&hash).await? {
                        return self.unchanged(stored, false).await;
                    }
                }
                return self.unchanged(id, true).await;
            }
        }
        let (article, events) = self.extract(article).await?;
        if events.len() > self.limits.max_events {
            return Err(Error::Refused(format!(
                "the article yields {} events, more than the {} allowed for one article (--max-events-per-article)",
                events.len(),
                self.limits.max_events
            )));
        }
        let stored = fingerprint.as_ref().map(|f| (f.to_bytes(), f.band_keys()));
        let stored = stored.as_ref().map(|(b, k)| (b.as_slice(), k.as_slice()));
        Ok(self
            .store
            .add_article_with(&article, &events, stored)
            .await?)
    }

    /// What storing an article already there (or folded into one) did.
    async fn unchanged(&self, id: i64, folded: bool) -> Result<Added> {
        let events = self.store.article_events(id).await?;
        Ok(Added {
            article_id: id,
            new: false,
            event_ids: events.iter().map(|e| e.fields.id).collect(),
            folded,
            ..Added::default()
        })
    }

    /// The stored article this text repeats, with their similarity: the
    /// most similar candidate at or above the threshold that tells the
    /// same names and numbers.
    async fn near_duplicate_of(&self, f: &Fingerprint, text: &str) -> Result<Option<(i64, f64)>> {
        // The articles sharing the most bands are the most similar; a
        // template's many look-alikes are not all compared.
        let candidates = self
            .store
            .near_duplicate_candidates(&f.band_keys(), 16)
            .await?;
        let mut similar: Vec<(i64, f64)> = candidates
            .iter()
            .filter_map(|(id, bytes)| Some((*id, f.similarity(&Fingerprint::from_bytes(bytes)?))))
            .filter(|(_, s)| *s >= near_dup::THRESHOLD)
            .collect();
        similar.sort_by(|a, b| b.1.total_cmp(&a.1));
        for (id, similarity) in similar.into_iter().take(4) {
            let Some(row) = self.store.article(id).await? else {
                continue;
            };
            if near_dup::same_facts(text, &row.text) {
                return Ok(Some((id, similarity)));
            }
        }
        Ok(None)
    }

    /// Run the extractor off the async threads and pair each event with its
    /// gazetteer place.
    async fn extract(&self, article: Article) -> Result<(Article, Vec<(Event, PlaceRow)>)> {
        let extractor = self.extractor.clone();
        tokio::task::spawn_blocking(move || {
            let extraction = extractor.extract(&article);
            let events = with_places(extractor.gazetteer(), extraction.events)?;
            Ok((article, events))
        })
        .await
        .map_err(|e| Error::Internal(format!("extraction task: {e}")))?
    }

    /// Ingest files, folders (recursively, by extension) and `-` (stdin).
    /// Failures are counted and reported, not fatal.
    pub async fn paths(&self, inputs: &[PathBuf], progress: bool) -> Summary {
        let mut summary = Summary::default();
        let mut files = Vec::new();
        for input in inputs {
            if let Err(e) = collect(input, &mut files) {
                summary.fail(input.display().to_string(), &e);
            }
        }
        let bar = if progress {
            ProgressBar::new(files.len() as u64)
        } else {
            ProgressBar::hidden()
        };
        bar.set_style(
            ProgressStyle::with_template(
                "{bar:40} {pos}/{len} files, {msg} [{elapsed_precise}, eta {eta}]",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        for file in &files {
            let articles = if file.as_os_str() == "-" {
                read_stdin(&self.limits.dates)
            } else {
                article::read_file_within(file, &self.limits.dates).map_err(Error::from)
            };
            match articles {
                Ok(articles) => {
                    for a in articles {
                        let name = if a.id.is_empty() {
                            file.display().to_string()
                        } else {
                            format!("{} ({})", file.display(), a.id)
                        };
                        summary.record(name, self.article(a).await);
                    }
                }
                Err(e) => summary.fail(file.display().to_string(), &e),
            }
            bar.set_message(format!(
                "{} new, {} events",
                summary.new, summary.events_added
            ));
            bar.inc(1);
        }
        bar.finish_and_clear();
        if summary.new > 1000 {
            // Large loads change the data's shape: refresh planner statistics.
            let _ = self.store.optimize().await;
        }
        summary
    }

    /// Re-run extraction over every stored article.
    pub async fn reextract(&self, progress: bool) -> Result<ReextractSummary> {
        let ids = self.store.article_ids().await?;
        let bar = if progress {
            ProgressBar::new(ids.len() as u64)
        } else {
            ProgressBar::hidden()
        };
        let mut out = ReextractSummary::default();
        for id in ids {
            let Some(row) = self.store.article(id).await? else {
                continue;
            };
            let article = Article {
                id: row.name,
                url: row.url,
                source: row.source,
                title: row.title,
                published: row.published.as_deref().and_then(|d| d.parse().ok()),
                text: row.text,
            };
            let (_, events) = self.extract(article).await?;
            let r: Replaced = self.store.replace_events(id, &events).await?;
            out.articles += 1;
            out.events_before += r.events_before;
            out.events_after += r.events_after;
            out.events_removed += r.events_removed;
            out.events_added += r.events_added;
            bar.inc(1);
        }
        bar.finish_and_clear();
        Ok(out)
    }
}

/// Pair each event with its gazetteer place. An event whose place the
/// gazetteer does not know is an internal error, never dropped.
fn with_places(g: &Gazetteer, events: Vec<Event>) -> Result<Vec<(Event, PlaceRow)>> {
    events
        .into_iter()
        .map(|e| match g.by_id(&e.place_id) {
            Some(id) => {
                let place = PlaceRow::from(g.place(id));
                Ok((e, place))
            }
            None => Err(Error::Internal(format!(
                "event at {:?} has the place id {:?}, which the gazetteer does not know",
                e.place, e.place_id
            ))),
        })
        .collect()
}

/// Expand an input into files: itself, or a folder's article files.
fn collect(input: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    if input.as_os_str() == "-" {
        out.push(input.to_path_buf());
        return Ok(());
    }
    let meta = std::fs::metadata(input).map_err(|e| Error::io(input, e))?;
    if !meta.is_dir() {
        out.push(input.to_path_buf());
        return Ok(());
    }
    let mut entries: Vec<PathBuf> = std::fs::read_dir(input)
        .map_err(|e| Error::io(input, e))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            !p.file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with('.'))
        })
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            collect(&p, out)?;
        } else if p.extension().is_some_and(|e| {
            EXTENSIONS.contains(&e.to_string_lossy().to_ascii_lowercase().as_str())
        }) {
            out.push(p);
        }
    }
    Ok(())
}

/// Articles from stdin: JSON Lines (or one JSON object) when it starts
/// with `{`, plain text otherwise.
fn read_stdin(bounds: &DateBounds) -> Result<Vec<Article>> {
    let path = Path::new("-");
    let mut bytes = Vec::new();
    std::io::stdin()
        .read_to_end(&mut bytes)
        .map_err(|e| Error::io(path, e))?;
    let json = bytes.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{');
    if json {
        // One pretty-printed object spans lines: try it whole first.
        if let Ok(a) = article::parse_bytes(path, "stdin", "json", bytes.clone(), bounds) {
            return Ok(a);
        }
        Ok(article::parse_bytes(path, "stdin", "jsonl", bytes, bounds)?)
    } else {
        Ok(article::parse_bytes(path, "stdin", "txt", bytes, bounds)?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn extraction(g: &Arc<Gazetteer>) -> Vec<Event> {
        let article = Article {
            id: "t".into(),
            text: "Des raids aériens ont frappé Alep le 3 mars 2016, faisant 5 morts.".into(),
            ..Article::default()
        };
        let events = Extractor::new(g.clone()).unwrap().extract(&article).events;
        assert!(!events.is_empty());
        events
    }

    #[test]
    fn a_summary_counts_each_outcome_and_names_failures_once() {
        let mut s = Summary::default();
        let added = |new, events_added, events_merged| Added {
            new,
            events_added,
            events_merged,
            ..Added::default()
        };
        s.record("a".into(), Ok(added(true, 2, 1)));
        s.record("b".into(), Ok(added(false, 0, 0)));
        s.record("c".into(), Err(Error::Internal("boom".into())));
        s.fail(
            "d.txt".into(),
            &Error::File {
                path: "d.txt".into(),
                message: "unreadable".into(),
            },
        );
        assert_eq!(
            (
                s.new,
                s.unchanged,
                s.failed,
                s.events_added,
                s.events_merged
            ),
            (1, 1, 2, 2, 1)
        );
        let lines: Vec<String> = s.failure_lines().collect();
        assert_eq!(lines, ["error: c: boom", "error: d.txt: unreadable"]);
    }

    #[test]
    fn every_event_gets_its_gazetteer_place() {
        let g = Arc::new(Gazetteer::builtin().unwrap());
        let events = extraction(&g);
        let paired = with_places(&g, events.clone()).unwrap();
        assert_eq!(paired.len(), events.len());
        for (e, p) in &paired {
            assert_eq!(e.place_id, p.id);
        }
    }

    #[test]
    fn an_event_of_an_unknown_place_is_an_error_naming_it() {
        let g = Arc::new(Gazetteer::builtin().unwrap());
        let mut events = extraction(&g);
        events[0].place_id = "no-such-place".into();
        let err = with_places(&g, events).unwrap_err();
        assert!(matches!(err, Error::Internal(_)), "{err:?}");
        assert!(err.to_string().contains("\"no-such-place\""), "{err}");
    }
}
