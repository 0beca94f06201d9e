//! Events out of French news text: pure (text in, events out, no database,
//! no HTTP).
//!
//! [`article`] reads inputs (text with a header block, HTML, JSON Lines,
//! corpus JSON); the pipeline for one article is tokens and sentences →
//! place mentions (the `gazetteer` crate) → triggers, actors, dates and
//! casualties per sentence → events tied to places → merging of the same
//! event told twice; [`eval`] scores it against gold files.

pub mod article;
mod error;
pub mod eval;

pub use error::{Error, Result};

mod actors;
mod casualties;
pub mod dates;
pub mod lexicon;
mod merge;
mod places;
mod sentences;

use actors::{compatible, roles, strike_subtype, JIHADIST_GROUPS, OPPOSITION_GROUPS};
use places::unnamed_object;
use sentences::{dateline, is_dateline, split_sentences, text_between_has_punctuation};

use crate::article::Article;
use chrono::{Datelike, NaiveDate};
use dates::{DatePrecision, When};
use gazetteer::normalize::{tokenize, Token};
use gazetteer::{Gazetteer, Kind, Precision, Resolved};
use lexicon::{form, EventType, Lexicon, Marker, Voice};
use serde::{Deserialize, Serialize};
use std::ops::Range;
use std::sync::Arc;

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
    pub subtype: Option<String>,
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
}

/// An event being built from one sentence.
struct Draft {
    event_type: EventType,
    subtype: Option<String>,
    mention: usize,
    when: When,
    actor: Option<String>,
    target: Option<String>,
    fatalities: Option<u64>,
    injured: Option<u64>,
    claimed_by: Option<String>,
    sentence: usize,
    confidence: f64,
    /// Someone denies acting ("l'armée a nié toute implication"): the
    /// actor stays unknown rather than inherited from the story.
    disputed: bool,
}

struct Sentence {
    tokens: Range<usize>,
    bytes: Range<usize>,
    /// Starts a paragraph.
    paragraph: bool,
    /// A title or subtitle line: a short paragraph without final punctuation.
    headline: bool,
}

/// An actor named in a sentence and the role its context gives it.
struct ActorHit {
    start: usize,
    end: usize,
    actor: String,
    rank: u8,
    /// An explicit agent marker before it ("par", "menée par").
    agent: bool,
    /// Where that marker starts.
    agent_at: Option<usize>,
    /// "aux mains de", "sous le contrôle de": who holds a place.
    holder: bool,
    /// An explicit target marker before it ("contre", "rangs de").
    target: bool,
    /// Neither side's actor here: a supporter, a speaker, a denier.
    aside: bool,
    /// The trigger it belongs to, by start token and type: the noun it
    /// complements ("raids de l'aviation russe"), the verb before its "par".
    owner: Option<(usize, EventType)>,
    /// Rank 0 for a capital named as a place ("Washington", "Damas").
    metonym: bool,
}

/// An actor a sentence names for a type of event, kept for the sentences
/// after it that name none.
struct StoryActor {
    event_type: EventType,
    actor: String,
    sentence: usize,
    /// From a claim of responsibility ("a revendiqué").
    claim: bool,
}

/// Trigger found in a sentence: token range and what it announces.
#[derive(Clone, Copy)]
struct Found<'a> {
    start: usize,
    end: usize,
    trigger: &'a lexicon::Trigger,
    /// "des combats entre X et Y": the parties are named after the trigger.
    parties_follow: bool,
}

impl<'a> Found<'a> {
    fn new(hit: lexicon::Hit<'a, lexicon::Trigger>, offset: usize, tokens: &[Token]) -> Self {
        let (start, end) = (hit.start + offset, hit.end + offset);
        Found {
            start,
            end,
            trigger: hit.value,
            parties_follow: tokens[end..tokens.len().min(end + 2)]
                .iter()
                .any(|t| t.norm == "entre"),
        }
    }
}

impl Extractor {
    pub fn new(gazetteer: Arc<Gazetteer>) -> Result<Self> {
        Ok(Extractor {
            gazetteer,
            lexicon: Arc::new(Lexicon::builtin()?),
        })
    }

    pub fn gazetteer(&self) -> &Gazetteer {
        &self.gazetteer
    }

    /// Extract toponyms and events from one article.
    pub fn extract(&self, article: &Article) -> Extraction {
        let text = article.text.as_str();
        let tokens = tokenize(text);
        let sentences = split_sentences(text, &tokens);
        let mentions = self.gazetteer.analyze_tokens(text, &tokens);
        let reference = article
            .published
            .or_else(|| dateline(&self.lexicon, &tokens, text));
        let toponyms = self.toponyms(&mentions);

        let mut drafts: Vec<Draft> = Vec::new();
        let mut previous_when: Option<When> = None;
        // The place the article is talking about: the last event's place.
        let mut focus: Option<usize> = None;
        let mut story_actors: Vec<StoryActor> = Vec::new();
        let mut main_place = places::MainPlace::default();
        let mut last_claimant: Option<String> = None;
        for (si, s) in sentences.iter().enumerate() {
            if s.paragraph {
                previous_when = None;
            }
            let dates = dates::find(&self.lexicon, &tokens, s.tokens.clone(), reference);
            // "depuis mars 2011", "depuis le 19 juin": the start of a span,
            // not the date of the news.
            let since = |d: &dates::DateMention| {
                tokens[d.at.saturating_sub(3).max(s.tokens.start)..d.at]
                    .iter()
                    .any(|t| t.norm == "depuis")
            };
            let specific: Vec<_> = dates.iter().filter(|d| !d.year_only && !since(d)).collect();
            let background = !dates.is_empty()
                && specific.is_empty()
                && dates.iter().any(|d| {
                    d.when
                        .date
                        .is_some_and(|y| reference.is_none_or(|r| y.year() < r.year()))
                });
            let sentence_when = specific.first().map(|d| d.when);
            let when = sentence_when
                .or(previous_when)
                .unwrap_or(reference.map(When::day).unwrap_or(When::UNKNOWN));
            if let Some(w) = sentence_when {
                previous_when = Some(w);
            }
            let claimed = self.claimant(&tokens, s.tokens.clone(), &mut last_claimant);
            if background {
                continue;
            }
            // Mentions are in text order: the sentence's are a slice.
            let first = mentions.partition_point(|m| m.mention.start < s.bytes.start);
            let last = mentions.partition_point(|m| m.mention.start < s.bytes.end);
            let sentence_mentions: Vec<usize> = (first..last)
                .filter(|&i| mentions[i].mention.end <= s.bytes.end)
                .collect();
            // Before any event, the story is about the place named most so far.
            main_place.advance(&self.gazetteer, &mentions[..first]);
            let story = focus.or(main_place.best());
            let story_when = drafts
                .last()
                .map(|d| d.when)
                .filter(|_| sentence_when.is_none());
            let new = self.sentence_events(
                text,
                &tokens,
                si,
                s,
                &mentions,
                &sentence_mentions,
                when,
                &dates,
                claimed,
                story,
                !drafts.is_empty(),
                story_when,
                &mut story_actors,
            );
            if let Some(d) = new.last() {
                focus = Some(d.mention);
            }
            drafts.extend(new);
        }
        self.inherit_actors(&tokens, &sentences, &story_actors, &mut drafts);
        let events = self.merge(text, &tokens, &sentences, &mentions, drafts);
        Extraction { toponyms, events }
    }

    /// An event whose sentence names no actor takes the story's: the last
    /// actor of that type named before it, or for a subject pronoun the last
    /// actor named; a bombing takes its claimant. Drafts and story actors are
    /// both in text order, so one pass suffices.
    fn inherit_actors(
        &self,
        tokens: &[Token],
        sentences: &[Sentence],
        story: &[StoryActor],
        drafts: &mut [Draft],
    ) {
        let claims: Vec<&StoryActor> = story.iter().filter(|a| a.claim).collect();
        let mut last_of_type: Vec<(EventType, &str)> = Vec::new();
        let mut last_any: Option<&str> = None;
        let mut read = 0;
        for d in drafts.iter_mut() {
            while read < story.len() && story[read].sentence < d.sentence {
                let a = &story[read];
                if !a.claim {
                    last_of_type.retain(|(t, _)| *t != a.event_type);
                    last_of_type.push((a.event_type, &a.actor));
                    last_any = Some(&a.actor);
                }
                read += 1;
            }
            if d.actor.is_some() || d.disputed {
                continue;
            }
            // "Elle a déclenché fin mai son offensive".
            let first = &tokens[sentences[d.sentence].tokens.start];
            if matches!(first.norm.as_str(), "il" | "elle" | "ils" | "elles") && last_any.is_some()
            {
                d.actor = last_any.map(String::from);
                continue;
            }
            d.actor = if d.event_type == EventType::Explosion {
                let at = claims.partition_point(|a| a.sentence < d.sentence);
                [at.checked_sub(1), Some(at)]
                    .into_iter()
                    .flatten()
                    .filter_map(|i| claims.get(i))
                    .min_by_key(|a| a.sentence.abs_diff(d.sentence))
                    .map(|a| a.actor.clone())
            } else {
                last_of_type
                    .iter()
                    .find(|(t, _)| *t == d.event_type)
                    .map(|(_, a)| a.to_string())
            };
        }
    }

    /// Who the sentence says it comes from: "selon l'OSDH".
    fn claimant(
        &self,
        tokens: &[Token],
        range: Range<usize>,
        last: &mut Option<String>,
    ) -> Option<String> {
        let slice = &tokens[range];
        // A named source, or "selon la même source / ONG" (the last named
        // one); either counts only after a claim verb or "selon".
        let named = self
            .lexicon
            .claimants
            .find_all(slice)
            .first()
            .map(|h| h.value.clone());
        let same = slice
            .windows(2)
            .any(|w| w[0].norm == "meme" && matches!(w[1].norm.as_str(), "source" | "ong"));
        if named.is_none() && !same {
            return None;
        }
        let has_claim = self
            .lexicon
            .markers
            .find_all(slice)
            .iter()
            .any(|h| h.value.contains(&Marker::Claim));
        if !has_claim {
            return None;
        }
        match named {
            Some(n) => {
                *last = Some(n.clone());
                Some(n)
            }
            None => last.clone(),
        }
    }

    /// The triggers of a sentence that announce an event: masked phrases
    /// ("pris part"), purposes, hypotheticals and background taken out.
    fn sentence_triggers<'a>(
        &'a self,
        text: &str,
        tokens: &[Token],
        range: Range<usize>,
        markers: &[(usize, usize, &Vec<Marker>)],
        dated: bool,
        all_triggers: &[Found<'a>],
    ) -> Vec<Found<'a>> {
        let lex = &self.lexicon;
        let slice = &tokens[range.clone()];
        let offset = range.start;
        // Words that cancel a trigger ("pris part") are masked first.
        let masked: Vec<Range<usize>> = lex
            .not_triggers
            .find_all(slice)
            .into_iter()
            .map(|h| h.start + offset..h.end + offset)
            .collect();
        let mut found: Vec<Found> = all_triggers
            .iter()
            .copied()
            .filter(|f| !masked.iter().any(|m| m.start <= f.start && f.start < m.end))
            .filter(|f| f.trigger.weight >= 0.6)
            .collect();
        // "Un attentat a frappé X": with a bombing in the sentence, a plain
        // "frappe" is the bombing's verb, not a strike.
        if found
            .iter()
            .any(|f| f.trigger.event_type == EventType::Explosion)
        {
            found.retain(|f| {
                !(f.trigger.event_type == EventType::Strike
                    && f.trigger.subtype.as_deref() == Some("unspecified"))
            });
        }
        // "pour bombarder", "afin de prendre": a purpose, not a fact.
        found.retain(|f| {
            !(f.start > range.start && matches!(tokens[f.start - 1].norm.as_str(), "pour" | "afin"))
        });
        // "une attaque" in a sentence about a bombing or a strike is that attack.
        if found.iter().any(|f| {
            matches!(
                f.trigger.event_type,
                EventType::Explosion | EventType::Strike
            )
        }) {
            found.retain(|f| !(f.trigger.event_type == EventType::Clash && f.trigger.weight < 0.7));
        }
        // "les milices kurdes qui ont chassé l'EI de Kobané": an undated
        // relative clause describes who an actor is, not today's news.
        if !dated {
            found.retain(|f| {
                !tokens[f.start.saturating_sub(4).max(range.start)..f.start]
                    .iter()
                    .any(|t| t.norm == "qui")
            });
        }
        // "les deux localités prises mercredi": a participle after a plural
        // place noun refers back to places already reported.
        found.retain(|f| {
            !(f.trigger.event_type == EventType::ControlChange
                && f.start > range.start
                && matches!(
                    tokens[f.start - 1].norm.as_str(),
                    "localites" | "villes" | "villages" | "positions" | "quartiers" | "zones"
                ))
        });
        // "depuis une offensive …": what follows "depuis" is background.
        // ("depuis dimanche, des combats" is news: a date follows "depuis".)
        found.retain(|f| {
            let window = &tokens[f.start.saturating_sub(4).max(range.start)..f.start];
            match window.iter().position(|t| t.norm == "depuis") {
                Some(k) => window[k + 1..]
                    .iter()
                    .any(|t| lex.calendar.contains_key(form(t))),
                None => true,
            }
        });
        // Hypotheticals just before a trigger cancel it.
        found.retain(|f| {
            !markers.iter().any(|&(ms, me, v)| {
                v.contains(&Marker::Hypothetical)
                    && ms < f.start
                    && f.start - ms <= 10
                    && !text[tokens[me.min(f.start) - 1].end..tokens[f.start].start].contains(',')
            })
        });
        found
    }

    #[allow(clippy::too_many_arguments)]
    fn sentence_events(
        &self,
        text: &str,
        tokens: &[Token],
        si: usize,
        s: &Sentence,
        mentions: &[Resolved],
        in_sentence: &[usize],
        when: When,
        dates: &[dates::DateMention],
        claimed: Option<String>,
        focus: Option<usize>,
        told_before: bool,
        focus_when: Option<When>,
        story: &mut Vec<StoryActor>,
    ) -> Vec<Draft> {
        let lex = &self.lexicon;
        let range = s.tokens.clone();
        let slice = &tokens[range.clone()];
        let offset = range.start;
        // Most sentences announce nothing: look for triggers first.
        let all_triggers: Vec<Found> = lex
            .triggers
            .find_all(slice)
            .into_iter()
            .map(|h| Found::new(h, offset, tokens))
            .collect();
        if all_triggers.is_empty() {
            return Vec::new();
        }
        let markers: Vec<(usize, usize, &Vec<Marker>)> = lex
            .markers
            .find_all(slice)
            .into_iter()
            .map(|h| (h.start + offset, h.end + offset, h.value))
            .collect();
        let has = |m: Marker| markers.iter().any(|(_, _, v)| v.contains(&m));
        // Habitual actions ("bombardées quasi quotidiennement") are not one event.
        if has(Marker::Background) {
            return Vec::new();
        }
        let mut found = self.sentence_triggers(
            text,
            tokens,
            range.clone(),
            &markers,
            !dates.is_empty(),
            &all_triggers,
        );
        let places = self.usable_places(text, tokens, range.clone(), mentions, in_sentence);
        let foreign_only = places.is_empty()
            && in_sentence
                .iter()
                .any(|&m| !self.gazetteer.place(mentions[m].place).in_syria());
        let (fatalities, injured) = self.casualties(text, tokens, range.clone());
        // A sentence that names no place continues the story of the last
        // event's place when it is concrete: dated, or with a toll.
        // "L'attaque a été entamée par …": a definite event noun continues
        // the story just told.
        let continuation = slice.windows(2).any(|w| {
            matches!(w[0].form(), "le" | "la" | "les" | "cette" | "cet" | "ces")
                && matches!(
                    w[1].norm.as_str(),
                    "attaque"
                        | "offensive"
                        | "assaut"
                        | "attentat"
                        | "explosion"
                        | "raid"
                        | "raids"
                        | "frappe"
                        | "frappes"
                        | "combats"
                        | "bombardement"
                        | "bombardements"
                )
        });
        let concrete =
            !dates.is_empty() || fatalities.is_some() || injured.is_some() || continuation;
        let borrowed_place = places.is_empty();
        let places = match (places.is_empty(), focus) {
            (true, Some(f)) if concrete && !foreign_only && !s.headline => vec![f],
            _ => places,
        };
        let actors = self.actors(
            text,
            tokens,
            range.clone(),
            &markers,
            &all_triggers,
            mentions,
            in_sentence,
        );
        // Who acted, even where no place is named: the story's later
        // sentences inherit it; "l'EI a revendiqué les attentats" names the bombers.
        for ty in EventType::ALL {
            let strongest = found
                .iter()
                .enumerate()
                .filter(|(_, f)| f.trigger.event_type == ty)
                .max_by(|a, b| a.1.trigger.weight.total_cmp(&b.1.trigger.weight))
                .map(|(i, _)| i);
            if let Some((Some(a), _)) = strongest.map(|fi| roles(&actors, &found, fi, ty)) {
                story.push(StoryActor {
                    event_type: ty,
                    actor: a,
                    sentence: si,
                    claim: false,
                });
            }
        }
        if let Some(k) = slice.iter().position(|t| t.norm.starts_with("revendiqu")) {
            let at = range.start + k;
            let claimer = actors
                .iter()
                .filter(|a| {
                    !a.target
                        && ((a.end <= at && at - a.end <= 3)
                            || (a.agent && a.start > at && a.start - at <= 4))
                })
                .max_by_key(|a| a.rank);
            // What was claimed: the trigger right after the verb.
            let claimed_type = all_triggers
                .iter()
                .find(|f| f.start > at && f.start - at <= 5)
                .map(|f| f.trigger.event_type);
            // ("a revendiqué les attaques" after bombings claims the bombings.)
            let claimed_type = match claimed_type {
                Some(EventType::Clash)
                    if all_triggers
                        .iter()
                        .any(|f| f.start > at && tokens[f.start].norm.starts_with("attaque")) =>
                {
                    Some(EventType::Explosion)
                }
                other => other,
            };
            if let (Some(a), Some(EventType::Explosion)) = (claimer, claimed_type) {
                story.push(StoryActor {
                    event_type: EventType::Explosion,
                    actor: a.actor.clone(),
                    sentence: si,
                    claim: true,
                });
            }
        }
        if places.is_empty() {
            return Vec::new();
        }
        let repelled = has(Marker::Repelled);

        // "ce village ainsi que celui de Khaliyyé": the demonstrative names
        // the place the story is about.
        let place_noun = |t: &Token| {
            matches!(
                t.norm.as_str(),
                "village"
                    | "localite"
                    | "ville"
                    | "bourgade"
                    | "quartier"
                    | "secteur"
                    | "base"
                    | "aeroport"
                    | "camp"
                    | "prison"
                    | "cite"
                    | "colline"
            )
        };
        let demonstrative = slice
            .windows(2)
            .any(|w| matches!(w[0].norm.as_str(), "ce" | "cette") && place_noun(&w[1]));
        // Triggers whose own object is an unnamed place ("a repris des
        // parties du village"): that place is the story's.
        let object_anaphor: Vec<usize> = found
            .iter()
            .filter(|f| {
                // "se sont emparés de la cité antique": a definite place noun
                // with no name after it.
                // ("a repris des parties du village", "la majeure partie de la ville")
                let mut k = f.end;
                while k < range.end
                    && k < f.end + 7
                    && matches!(
                        form(&tokens[k]),
                        "de" | "du"
                            | "des"
                            | "le"
                            | "la"
                            | "les"
                            | "a"
                            | "au"
                            | "une"
                            | "un"
                            | "partie"
                            | "parties"
                            | "majeure"
                            | "grande"
                            | "centre"
                            | "totalite"
                            | "reste"
                            | "plupart"
                            | "nord"
                            | "sud"
                            | "est"
                            | "ouest"
                            | "controle"
                            | "total"
                            | "totale"
                    )
                {
                    k += 1;
                }
                k < range.end
                    && place_noun(&tokens[k])
                    && !tokens
                        .get(k + 1)
                        .is_some_and(|t| matches!(form(t), "de" | "du"))
                    // Not the head of a name itself ("l'aéroport d'Alep").
                    && !places.iter().any(|&m| {
                        let at = tokens.partition_point(|t| t.start < mentions[m].mention.start);
                        at == k || at == k + 1 || (mentions[m].mention.start <= tokens[k].start && tokens[k].start < mentions[m].mention.end)
                    })
            })
            .map(|f| f.start)
            .collect();
        let anaphor = demonstrative || !object_anaphor.is_empty();
        // A definite event noun with no place of its own, or after a
        // preposition ("en représailles à l'attaque"), refers back.
        found.retain(|f| {
            let head = tokens[f.start].norm.as_str();
            let definite = f.start > range.start
                && matches!(tokens[f.start - 1].form(), "le" | "la" | "cette" | "cet");
            let event_noun = matches!(
                head,
                "attaque"
                    | "offensive"
                    | "assaut"
                    | "attentat"
                    | "explosion"
                    | "frappe"
                    | "raid"
                    | "bombardement"
            );
            let after_preposition = f.start > range.start + 1
                && matches!(
                    tokens[f.start - 2].form(),
                    "a" | "de"
                        | "apres"
                        | "contre"
                        | "suite"
                        | "represailles"
                        | "lendemain"
                        | "depuis"
                        | "par"
                        | "dans"
                        | "lors"
                        | "pendant"
                        | "durant"
                );
            !(told_before && definite && event_noun && (borrowed_place || after_preposition))
        });
        if found.is_empty() {
            return Vec::new();
        }
        // Each trigger gives events at its places; a type's strongest
        // trigger gives the subtype and the roles.
        let mut drafts: Vec<Draft> = Vec::new();
        for ty in EventType::ALL {
            let mut of_type: Vec<&Found> = found
                .iter()
                .filter(|f| f.trigger.event_type == ty)
                .collect();
            if of_type.is_empty() {
                continue;
            }
            of_type.sort_by(|a, b| {
                b.trigger
                    .weight
                    .total_cmp(&a.trigger.weight)
                    .then(a.start.cmp(&b.start))
            });
            let mut event_type = ty;
            if ty == EventType::ControlChange && repelled {
                event_type = EventType::Clash;
            }
            let subtype = match ty {
                EventType::Strike => Some(strike_subtype(&of_type, &actors)),
                EventType::Explosion => Some(
                    of_type
                        .iter()
                        .filter_map(|f| f.trigger.subtype.clone())
                        .find(|s| s != "unspecified")
                        .unwrap_or_else(|| "unspecified".into()),
                ),
                _ => None,
            };
            let strongest = found
                .iter()
                .position(|x| std::ptr::eq(x, of_type[0]))
                .unwrap_or(0);
            let (actor, target) = roles(&actors, &found, strongest, event_type);
            // A later trigger of the same type with no place after it
            // ("pris le contrôle du passage …, avant d'être délogés") is about
            // the first trigger's places.
            let mut first_targets: Option<Vec<usize>> = None;
            let mut by_position: Vec<&&Found> = of_type.iter().collect();
            by_position.sort_by_key(|f| f.start);
            for f in by_position {
                let unnamed =
                    ty == EventType::ControlChange && unnamed_object(tokens, f, mentions, &places);
                // "ont repris deux localités" with no place named: the next
                // sentence names them.
                if unnamed && borrowed_place {
                    continue;
                }
                let targets = if borrowed_place {
                    places.clone()
                } else if unnamed {
                    // "prenant des dizaines de localités": the areas named.
                    let areas: Vec<usize> = places
                        .iter()
                        .copied()
                        .filter(|&m| self.gazetteer.place(mentions[m].place).kind.is_area())
                        .collect();
                    if areas.is_empty() {
                        self.places_for(text, tokens, f, mentions, &places)
                    } else {
                        areas
                    }
                } else {
                    let has_after = places.iter().any(|&m| {
                        tokens.partition_point(|t| t.start < mentions[m].mention.start) >= f.end
                    });
                    match &first_targets {
                        Some(t) if !has_after => t.clone(),
                        _ => self.places_for(text, tokens, f, mentions, &places),
                    }
                };
                if first_targets.is_none() && !targets.is_empty() {
                    first_targets = Some(targets.clone());
                }
                // A sentence that continues the story keeps the story's date.
                let when = match focus_when {
                    Some(w) if borrowed_place => w,
                    _ => when,
                };
                // The date nearest the trigger, when the sentence has several.
                let when = dates
                    .iter()
                    .filter(|d| !d.year_only)
                    .filter(|d| {
                        d.at < f.end || !tokens[f.end..d.at].iter().any(|t| t.norm == "depuis")
                    })
                    .min_by_key(|d| (d.at as i64 - f.start as i64).abs())
                    .map(|d| d.when)
                    .unwrap_or(when);
                let mut targets = targets;
                if object_anaphor.contains(&f.start) {
                    if let Some(fo) = focus.filter(|_| !borrowed_place) {
                        targets = vec![fo];
                    }
                }
                if let Some(f) =
                    focus.filter(|f| anaphor && !borrowed_place && !targets.contains(f))
                {
                    // Places named only as references ("située au sud-est de
                    // Homs") give way to the place the demonstrative means.
                    targets.retain(|&m| mentions[m].mention.relative.is_none());
                    targets.insert(0, f);
                }
                for m in targets {
                    if drafts
                        .iter()
                        .any(|d| d.event_type == event_type && d.mention == m)
                    {
                        continue;
                    }
                    drafts.push(Draft {
                        event_type,
                        subtype: subtype.clone(),
                        mention: m,
                        when,
                        actor: actor.clone(),
                        target: target.clone(),
                        fatalities,
                        injured,
                        claimed_by: claimed.clone(),
                        sentence: si,
                        confidence: f.trigger.weight * mentions[m].score.min(1.0),
                        disputed: has(Marker::Denial),
                    });
                }
            }
        }
        // A successful assault is one control change: no clash for the
        // same place in the same sentence.
        let controlled: Vec<usize> = drafts
            .iter()
            .filter(|d| d.event_type == EventType::ControlChange)
            .map(|d| d.mention)
            .collect();
        drafts.retain(|d| !(d.event_type == EventType::Clash && controlled.contains(&d.mention)));
        drafts
    }
}

#[cfg(test)]
mod tests;
