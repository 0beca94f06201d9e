//! Events out of French news text: pure (text in, events out, no database,
//! no HTTP).
//!
//! [`article`] reads inputs (text with a header block, HTML, JSON Lines,
//! corpus JSON). One article goes through these steps, each a module:
//!
//! 1. [`sentences`]: tokens (the gazetteer's tokenizer; [`token`]: each
//!    word looked up once in the tables' word index), sentences, headlines
//!    and datelines; [`gazetteer`] finds and resolves the place mentions.
//! 2. `story`: the article read sentence by sentence, keeping what a
//!    reader keeps (the date and place being told, the actors named, who
//!    says so); each sentence's dates ([`dates`]) and claimant.
//! 3. `events`: one sentence's events, in named phases: triggers kept
//!    (`triggers`), places (`places`), actors and their roles (`actors`),
//!    casualties (`casualties`), anaphora and back-references, one draft
//!    per type and place.
//! 4. `merge`: the same event told in several sentences is one event;
//!    [`same_happening`] is also the rule the store uses across articles.
//!
//! The French words all these steps ask about are tables in `data/fr/`
//! ([`lexicon`]); the event types, subtypes and actors are in
//! `data/vocabulary/` ([`vocab`]). [`eval`] scores the output against gold
//! files.

pub mod article;
pub mod dates;
mod error;
pub mod eval;
mod events;
mod key;
pub mod lexicon;
mod merge;
mod morphology;
pub mod near_dup;
mod phrases;
pub mod sentences;
mod story;
pub mod token;
mod triggers;
pub mod vocab;

mod actors;
mod casualties;
pub mod confidence;
mod places;

pub use error::{Error, Result};
pub use merge::{same_happening, Happening};
pub use vocab::{EventType, Subtype, Vocabulary};

use article::Article;
use confidence::Model;
use dates::DatePrecision;
use gazetteer::normalize::tokenize;
use gazetteer::{Gazetteer, Precision, Resolved};
use lexicon::Lexicon;
use sentences::{dateline, split_sentences, Sentence};
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use token::Token;

/// A place named in the article (schema `toponyms`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Toponym {
    pub surface: String,
    pub name: String,
    pub kind: String,
    pub lat: f64,
    pub lon: f64,
    pub geonameid: Option<u64>,
    pub in_syria: bool,
    /// The gazetteer entry.
    pub place_id: String,
    /// Byte offsets of every mention.
    pub mentions: Vec<(usize, usize)>,
}

/// A sentence that supports an event, with its byte offsets.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    pub text: String,
    pub start: usize,
    pub end: usize,
}

/// One event (schema `events`, plus evidence offsets and confidence).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Event {
    #[serde(rename = "type")]
    pub event_type: EventType,
    pub subtype: Option<Subtype>,
    pub place: String,
    pub place_id: String,
    pub lat: f64,
    pub lon: f64,
    pub precision: Precision,
    /// Uncertainty radius in km.
    pub radius_km: f64,
    pub date: Option<String>,
    pub date_precision: DatePrecision,
    pub actor: Option<String>,
    pub target: Option<String>,
    pub fatalities: Option<u64>,
    pub injured: Option<u64>,
    pub claimed_by: Option<String>,
    /// The first supporting sentence, verbatim.
    pub evidence: String,
    /// Every supporting sentence with offsets, first one first.
    pub evidence_spans: Vec<Evidence>,
    pub confidence: f64,
}

/// What the extractor found in one article.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Extraction {
    pub toponyms: Vec<Toponym>,
    pub events: Vec<Event>,
}

/// The extractor: the gazetteer and the French tables, loaded once.
#[derive(Clone)]
pub struct Extractor {
    gazetteer: Arc<Gazetteer>,
    lexicon: Arc<Lexicon>,
    vocabulary: &'static Vocabulary,
    model: Arc<Model>,
}

/// An extracted event with the features its confidence was computed from,
/// for training the confidence model.
#[derive(Debug, Clone)]
pub struct Candidate {
    pub event: Event,
    /// Named by [`confidence::FEATURES`].
    pub features: Vec<f64>,
}

/// One article as the steps read it: its text cut into tokens and
/// sentences, its place mentions (in text order) and the date its weekdays
/// count back from.
pub(crate) struct Document<'a> {
    pub text: &'a str,
    pub tokens: Vec<Token>,
    pub sentences: Vec<Sentence>,
    pub mentions: Vec<Resolved>,
    /// Publication date, else the dateline's.
    pub reference: Option<chrono::NaiveDate>,
}

impl Document<'_> {
    /// The token where mention `m` starts.
    pub fn token_of(&self, m: usize) -> usize {
        self.tokens
            .partition_point(|t| t.start < self.mentions[m].mention.start)
    }

    /// The token just after mention `m`.
    pub fn token_after(&self, m: usize) -> usize {
        self.tokens
            .partition_point(|t| t.start < self.mentions[m].mention.end)
    }
}

impl Extractor {
    pub fn new(gazetteer: Arc<Gazetteer>) -> Result<Self> {
        Ok(Extractor {
            gazetteer,
            lexicon: Arc::new(Lexicon::builtin()?),
            vocabulary: Vocabulary::builtin(),
            model: Arc::new(Model::builtin()?),
        })
    }

    /// The same extractor with another confidence model (training).
    pub fn with_model(&self, model: Model) -> Self {
        Extractor {
            model: Arc::new(model),
            ..self.clone()
        }
    }

    /// The confidence model in use.
    pub fn model(&self) -> &Model {
        &self.model
    }

    pub fn gazetteer(&self) -> &Gazetteer {
        &self.gazetteer
    }

    /// Extract toponyms and events from one article: the events whose
    /// confidence reaches the model's reporting threshold.
    pub fn extract(&self, article: &Article) -> Extraction {
        let (toponyms, candidates) = self.candidates(article);
        let events = candidates
            .into_iter()
            .map(|c| c.event)
            .filter(|e| e.confidence >= self.model.report_threshold)
            .collect();
        Extraction { toponyms, events }
    }

    /// Every event the rules find in an article, each with its confidence
    /// and the features it was computed from, whatever the threshold.
    pub fn candidates(&self, article: &Article) -> (Vec<Toponym>, Vec<Candidate>) {
        let doc = self.read(article);
        let toponyms = self.toponyms(&doc.mentions);
        let mut story = story::Story::default();
        for si in 0..doc.sentences.len() {
            story.read_sentence(self, &doc, si);
        }
        let drafts = story.finish(self, &doc);
        let candidates = self
            .merge(&doc, drafts)
            .into_iter()
            .map(|m| {
                let features = confidence::features(&m.event, &m.signals);
                let p = self.model.predict(&features);
                Candidate {
                    event: Event {
                        confidence: (p * 100.0).round() / 100.0,
                        ..m.event
                    },
                    features,
                }
            })
            .collect();
        (toponyms, candidates)
    }

    fn read<'a>(&self, article: &'a Article) -> Document<'a> {
        let text = article.text.as_str();
        let tokens = tokenize(text);
        let mentions = self.gazetteer.analyze_tokens(text, &tokens);
        let tokens = self.lexicon.words_of(tokens);
        let sentences = split_sentences(&self.lexicon, text, &tokens);
        let reference = article
            .published
            .or_else(|| dateline(&self.lexicon, &tokens, text));
        Document {
            text,
            tokens,
            sentences,
            mentions,
            reference,
        }
    }
}

#[cfg(test)]
mod tests;
