//! Events out of French news text: pure (text in, events out, no database).
//!
//! The pipeline for one article: tokens and sentences → place mentions
//! (gazetteer) → triggers, actors, dates and casualties per sentence →
//! events tied to places → merging of the same event told twice.

pub mod dates;
pub mod lexicon;

use crate::article::Article;
use crate::error::Result;
use chrono::NaiveDate;
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

struct Sentence {
    tokens: Range<usize>,
    bytes: Range<usize>,
    /// Starts a paragraph.
    paragraph: bool,
    /// A title or subtitle line: a short paragraph without final punctuation.
    headline: bool,
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
struct Found<'a> {
    start: usize,
    end: usize,
    trigger: &'a lexicon::Trigger,
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
        let mentions = self.gazetteer.analyze(text);
        let reference = article
            .published
            .or_else(|| dateline(&self.lexicon, &tokens, text));
        let toponyms = self.toponyms(&mentions);

        let mut drafts: Vec<Draft> = Vec::new();
        let mut previous_when: Option<When> = None;
        // The place the article is talking about: the last event's place.
        let mut focus: Option<usize> = None;
        let mut story_actors: Vec<StoryActor> = Vec::new();
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
                    d.when.date.is_some_and(|y| {
                        reference
                            .is_none_or(|r| y.format("%Y").to_string() < r.format("%Y").to_string())
                    })
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
            let sentence_mentions: Vec<usize> = mentions
                .iter()
                .enumerate()
                .filter(|(_, m)| m.mention.start >= s.bytes.start && m.mention.end <= s.bytes.end)
                .map(|(i, _)| i)
                .collect();
            // Before any event, the story is about the place named most so far.
            let story = focus.or_else(|| {
                self.main_place(
                    &mentions[..mentions.partition_point(|m| m.mention.start < s.bytes.start)],
                )
            });
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
        // An event whose sentence names no actor takes the story's: the last
        // actor of that type named before it; a bombing takes its claimant.
        for d in &mut drafts {
            if d.actor.is_some() {
                continue;
            }
            d.actor = if d.event_type == EventType::Explosion {
                story_actors
                    .iter()
                    .filter(|a| a.claim)
                    .min_by_key(|a| a.sentence.abs_diff(d.sentence))
                    .map(|a| a.actor.clone())
            } else {
                story_actors
                    .iter()
                    .rev()
                    .find(|a| !a.claim && a.event_type == d.event_type && a.sentence < d.sentence)
                    .map(|a| a.actor.clone())
            };
        }
        let events = self.finish(text, &sentences, &mentions, drafts);
        Extraction { toponyms, events }
    }

    /// The jihadist group an article names most, if it names one.
    fn dominant_jihadist_group(&self, text: &str) -> Option<String> {
        const GROUPS: [&str; 4] = ["Islamic State", "HTS", "Al-Nusra Front", "Jund al-Aqsa"];
        let tokens = tokenize(text);
        let mut counts = [0usize; 4];
        for h in self.lexicon.actors.find_all(&tokens) {
            if let Some(i) = GROUPS.iter().position(|g| *g == h.value.actor) {
                counts[i] += 1;
            }
        }
        let (i, &n) = counts
            .iter()
            .enumerate()
            .max_by_key(|&(i, n)| (*n, std::cmp::Reverse(i)))?;
        (n > 0).then(|| GROUPS[i].to_string())
    }

    /// The Syrian place an article names most (a settlement before an
    /// area), the subject of sentences that name none.
    fn main_place(&self, mentions: &[Resolved]) -> Option<usize> {
        let mut best: Option<(usize, bool, usize)> = None;
        for (i, m) in mentions.iter().enumerate() {
            let p = self.gazetteer.place(m.place);
            if !p.in_syria() || p.kind == Kind::Country {
                continue;
            }
            let count = mentions.iter().filter(|x| x.place == m.place).count();
            let key = (count, !p.kind.is_area());
            if best.is_none_or(|(c, s, _)| key > (c, s)) {
                best = Some((count, !p.kind.is_area(), i));
            }
        }
        best.map(|(_, _, i)| i)
    }

    fn toponyms(&self, mentions: &[Resolved]) -> Vec<Toponym> {
        // A capital named bare in an article that also names its province
        // ("la province d'Idleb … Idleb") means the province, unless a cue
        // says the city ("la ville d'Idleb").
        let governorates: Vec<&gazetteer::Place> = mentions
            .iter()
            .map(|m| self.gazetteer.place(m.place))
            .filter(|p| p.kind == Kind::Governorate)
            .collect();
        let city_cued = |id: gazetteer::PlaceId| {
            mentions.iter().any(|m| {
                m.place == id
                    && m.mention
                        .cue
                        .iter()
                        .any(|k| matches!(k, Kind::City | Kind::Town))
            })
        };
        let province_of = |m: &Resolved| {
            let p = self.gazetteer.place(m.place);
            if p.kind != Kind::City || city_cued(m.place) {
                return None;
            }
            governorates
                .iter()
                .find(|g| gazetteer::distance_km(g.lat, g.lon, p.lat, p.lon) < 1.0)
                .and_then(|g| self.gazetteer.by_id(&g.id))
        };
        let mut out: Vec<Toponym> = Vec::new();
        for m in mentions {
            let p = self.gazetteer.place(province_of(m).unwrap_or(m.place));
            match out.iter_mut().find(|t| t.place_id == p.id) {
                Some(t) => t.mentions.push((m.mention.start, m.mention.end)),
                None => out.push(Toponym {
                    surface: m.mention.surface.clone(),
                    name: p.name().to_string(),
                    kind: if p.in_syria() || p.kind == Kind::Country {
                        p.kind.as_str().to_string()
                    } else {
                        "foreign".into()
                    },
                    lat: p.lat,
                    lon: p.lon,
                    geonameid: p.geonameid,
                    in_syria: p.in_syria(),
                    place_id: p.id.clone(),
                    mentions: vec![(m.mention.start, m.mention.end)],
                }),
            }
        }
        out
    }

    /// Who the sentence says it comes from: "selon l'OSDH".
    fn claimant(
        &self,
        tokens: &[Token],
        range: Range<usize>,
        last: &mut Option<String>,
    ) -> Option<String> {
        let slice = &tokens[range];
        let has_claim = self
            .lexicon
            .markers
            .find_all(slice)
            .iter()
            .any(|h| h.value.contains(&Marker::Claim));
        if !has_claim {
            return None;
        }
        if let Some(h) = self.lexicon.claimants.find_all(slice).first() {
            *last = Some(h.value.clone());
            return Some(h.value.clone());
        }
        // "selon la même source / ONG": the last named source.
        let same = slice
            .windows(2)
            .any(|w| w[0].norm == "meme" && matches!(w[1].norm.as_str(), "source" | "ong"));
        if same {
            return last.clone();
        }
        None
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
        // Words that cancel a trigger ("pris part") are masked first.
        let masked: Vec<Range<usize>> = lex
            .not_triggers
            .find_all(slice)
            .into_iter()
            .map(|h| h.start + offset..h.end + offset)
            .collect();
        let markers: Vec<(usize, usize, &Vec<Marker>)> = lex
            .markers
            .find_all(slice)
            .into_iter()
            .map(|h| (h.start + offset, h.end + offset, h.value))
            .collect();
        let has = |m: Marker| markers.iter().any(|(_, _, v)| v.contains(&m));
        let mut found: Vec<Found> = lex
            .triggers
            .find_all(slice)
            .into_iter()
            .map(|h| Found {
                start: h.start + offset,
                end: h.end + offset,
                trigger: h.value,
            })
            .filter(|f| !masked.iter().any(|m| m.start <= f.start && f.start < m.end))
            .filter(|f| f.trigger.weight >= 0.6)
            .collect();
        if found.is_empty() {
            return Vec::new();
        }
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
        // Habitual actions ("bombardées quasi quotidiennement") are not one event.
        if has(Marker::Background) {
            return Vec::new();
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
        // "L'attaque survient …", "la frappe américaine", "en représailles à
        // l'attaque chimique": a definite event noun refers to an event
        // already told, not a new one.

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
        // Places usable for an event: Syrian, not the country itself, and
        // not a bare distance from somewhere ("à 120 km de Homs").
        let places: Vec<usize> = in_sentence
            .iter()
            .copied()
            .filter(|&m| {
                let p = self.gazetteer.place(mentions[m].place);
                let vague = mentions[m].mention.relative.as_ref().is_some_and(|r| {
                    r.bearing.is_none() && r.distance_km.is_some_and(|d| d > 25.0)
                });
                p.in_syria() && p.kind != Kind::Country && !vague
            })
            .collect();
        // "Damas a repris …", "Washington avait revendiqué …": a capital as
        // the subject of a verb is a government, not a place.
        let places: Vec<usize> = places
            .into_iter()
            .filter(|&m| {
                let start = tokens.partition_point(|t| t.start < mentions[m].mention.start);
                let end = tokens.partition_point(|t| t.start < mentions[m].mention.end);
                let is_actor = lex
                    .actors
                    .at(tokens, start)
                    .is_some_and(|h| h.value.rank == 1);
                let verb_next = tokens.get(end).is_some_and(|t| {
                    matches!(
                        t.norm.as_str(),
                        "a" | "avait"
                            | "aurait"
                            | "ont"
                            | "va"
                            | "vient"
                            | "accuse"
                            | "affirme"
                            | "dement"
                            | "nie"
                    )
                });
                let located = start > range.start
                    && matches!(
                        form(&tokens[start - 1]),
                        "a" | "de" | "pres" | "vers" | "sur" | "dans"
                    );
                !(is_actor && verb_next && !located)
            })
            .collect();
        // "à l'exception du quartier d'al-Waer", "sauf Idleb": excluded places.
        let places: Vec<usize> = places
            .into_iter()
            .filter(|&m| {
                let start = tokens.partition_point(|t| t.start < mentions[m].mention.start);
                !tokens[start.saturating_sub(5).max(range.start)..start]
                    .iter()
                    .any(|t| matches!(t.norm.as_str(), "exception" | "sauf" | "hormis" | "excepte"))
            })
            .collect();
        // "al-Kiswa, à 13 km au sud de Damas": Damas only locates al-Kiswa.
        let places: Vec<usize> = places
            .iter()
            .copied()
            .filter(|&m| {
                let Some(r) = &mentions[m].mention.relative else {
                    return true;
                };
                !places.iter().any(|&x| {
                    x != m && mentions[x].mention.end <= r.start && {
                        let gap = &text[mentions[x].mention.end..r.start];
                        gap.len() < 40
                            && gap.trim_start().starts_with(',')
                            && !gap.contains(['.', ';'])
                    }
                })
            })
            .collect();
        // "Damas, 1er mars 2012 —": the dateline says where the news was
        // written, not where it happened.
        let places: Vec<usize> = places
            .into_iter()
            .filter(|&m| !is_dateline(text, &mentions[m].mention))
            .collect();
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
        let all_triggers: Vec<Found> = lex
            .triggers
            .find_all(slice)
            .into_iter()
            .map(|h| Found {
                start: h.start + offset,
                end: h.end + offset,
                trigger: h.value,
            })
            .collect();
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
                    && !places.iter().any(|&m| {
                        tokens.partition_point(|t| t.start < mentions[m].mention.start) == k + 1
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
                );
            !(told_before && definite && event_noun && (borrowed_place || after_preposition))
        });
        if found.is_empty() {
            return Vec::new();
        }
        if std::env::var_os("FRONTLINE_DEBUG").is_some() {
            let names: Vec<&str> = places
                .iter()
                .map(|&m| mentions[m].mention.surface.as_str())
                .collect();
            let trig: Vec<String> = found
                .iter()
                .map(|f| format!("{}@{}", f.trigger.event_type.as_str(), f.start))
                .collect();
            eprintln!(
                "sentence {si}: triggers {trig:?} places {names:?} borrowed {borrowed_place}"
            );
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

    /// The places a trigger is about: the nearest Syrian place after it in
    /// the clause (before it for passives), a settlement rather than the
    /// province it lies in, and the places listed with it.
    fn places_for(
        &self,
        text: &str,
        tokens: &[Token],
        f: &Found,
        mentions: &[Resolved],
        places: &[usize],
    ) -> Vec<usize> {
        const WINDOW: usize = 14;
        let tok_of = |m: usize| tokens.partition_point(|t| t.start < mentions[m].mention.start);
        let is_area = |m: usize| self.gazetteer.place(mentions[m].place).kind.is_area();
        let after: Vec<usize> = places
            .iter()
            .copied()
            .filter(|&m| tok_of(m) >= f.end)
            .collect();
        let before: Vec<usize> = places
            .iter()
            .copied()
            .filter(|&m| tok_of(m) < f.start)
            .rev()
            .collect();
        // The nearest place, unless it is a province and a settlement follows
        // within a few words ("des localités de la province de Homs,
        // notamment Rastane"; "al-Arbaïne dans le nord de la province de Hama").
        let pick = |list: &[usize], near: &dyn Fn(usize) -> bool| {
            let close: Vec<usize> = list.iter().copied().filter(|&m| near(m)).collect();
            let first = *close.first()?;
            let inside = |area: usize, m: usize| {
                let (a, p) = (
                    self.gazetteer.place(mentions[area].place),
                    self.gazetteer.place(mentions[m].place),
                );
                a.admin1 == p.admin1 || gazetteer::distance_km(a.lat, a.lon, p.lat, p.lon) < 40.0
            };
            match close.get(1) {
                Some(&next)
                    if is_area(first)
                        && !is_area(next)
                        && tok_of(next).abs_diff(tok_of(first)) <= 10
                        && inside(first, next) =>
                {
                    Some(next)
                }
                _ => Some(first),
            }
        };
        let near_after = pick(&after, &|m| tok_of(m) - f.end <= WINDOW);
        let near_before = pick(&before, &|m| f.start - tok_of(m) <= 2 * WINDOW);
        let (head, backwards) = match f.trigger.voice {
            Voice::Passive => match near_before {
                Some(m) => (Some(m), true),
                None => (near_after, false),
            },
            _ => match near_after {
                Some(m) => (Some(m), false),
                None => (near_before, true),
            },
        };
        let Some(head) = head.or_else(|| after.first().copied()) else {
            return Vec::new();
        };
        // Extend over a list: "al-Hara, Samlin, al-Tiha et Zimrine"; a
        // comma alone is an apposition unless an "et" closes the list.
        let mut out = vec![head];
        let ordered: Vec<usize> = if backwards {
            places
                .iter()
                .rev()
                .copied()
                .filter(|&m| mentions[m].mention.start < mentions[head].mention.start)
                .collect()
        } else {
            places
                .iter()
                .copied()
                .filter(|&m| mentions[m].mention.start > mentions[head].mention.start)
                .collect()
        };
        let mut last = head;
        let mut closed = out.len();
        for m in ordered {
            let (a, b) = if backwards { (m, last) } else { (last, m) };
            let gap = &text[mentions[a].mention.end..mentions[b].mention.start];
            if !is_list_gap(gap) {
                break;
            }
            out.push(m);
            last = m;
            if gap
                .split_whitespace()
                .any(|w| matches!(w, "et" | "ainsi" | "ou"))
            {
                closed = out.len();
            }
        }
        out.truncate(closed);
        out
    }

    #[allow(clippy::too_many_arguments)]
    fn actors(
        &self,
        text: &str,
        tokens: &[Token],
        range: Range<usize>,
        markers: &[(usize, usize, &Vec<Marker>)],
        found: &[Found],
        mentions: &[Resolved],
        in_sentence: &[usize],
    ) -> Vec<ActorHit> {
        let slice = &tokens[range.clone()];
        let denial_at = markers
            .iter()
            .find(|(_, _, v)| v.contains(&Marker::Denial))
            .map(|&(s, _, _)| s);
        let mut out = Vec::new();
        for h in self.lexicon.actors.find_all(slice) {
            let (start, end) = (h.start + range.start, h.end + range.start);
            // A capital named as a place is not an actor ("à Damas").
            let is_place = in_sentence.iter().any(|&m| {
                let b = tokens[start].start;
                mentions[m].mention.start <= b && b < mentions[m].mention.end
            });
            let metonym = is_place && h.value.rank == 1;
            // "une coalition de groupes islamistes" is not the US-led coalition.
            if end - start == 1
                && tokens[start].norm == "coalition"
                && tokens.get(end).is_some_and(|t| {
                    matches!(form(t), "de" | "du" | "des")
                        || t.norm.starts_with("jihad")
                        || t.norm.starts_with("rebel")
                        || t.norm.starts_with("islam")
                })
            {
                continue;
            }
            // "le secteur rebelle", "un bastion jihadiste": an adjective.
            if h.value.rank == 1
                && start > range.start
                && matches!(
                    tokens[start - 1].norm.as_str(),
                    "secteur"
                        | "secteurs"
                        | "bastion"
                        | "quartier"
                        | "quartiers"
                        | "zone"
                        | "zones"
                        | "localite"
                        | "ville"
                        | "fief"
                        | "enclave"
                        | "territoire"
                        | "region"
                        | "province"
                        | "poche"
                        | "groupe"
                        | "groupes"
                        | "factions"
                        | "faction"
                        | "camp"
                        | "position"
                        | "positions"
                )
            {
                continue;
            }
            let before_word = (start > range.start).then(|| form(&tokens[start - 1]));
            // "frontalière de la Turquie", "en Russie": a country as a place.
            let mut k = start;
            while k > range.start && matches!(form(&tokens[k - 1]), "le" | "la" | "les") {
                k -= 1;
            }
            let locative = is_place
                && k > range.start
                && matches!(
                    form(&tokens[k - 1]),
                    "de" | "du"
                        | "des"
                        | "a"
                        | "au"
                        | "aux"
                        | "en"
                        | "vers"
                        | "avec"
                        | "dans"
                        | "sur"
                        | "pres"
                );
            let _ = before_word;
            if locative {
                continue;
            }
            // A capital acts only as the subject of a verb: "Damas a repris".
            let verb_next = tokens.get(end).is_some_and(|t| {
                matches!(
                    t.norm.as_str(),
                    "a" | "avait"
                        | "aurait"
                        | "ont"
                        | "va"
                        | "vient"
                        | "accuse"
                        | "affirme"
                        | "dement"
                        | "nie"
                        | "annonce"
                )
            });
            if metonym && !verb_next {
                continue;
            }
            let marker_before = |role: Marker| {
                markers.iter().any(|&(_, me, v)| {
                    v.contains(&role)
                        && me <= start
                        && start - me <= 5
                        && !tokens[me..start].iter().any(|t| t.capitalized)
                })
            };
            let before = &tokens[start.saturating_sub(3)..start];
            let word_before = |pred: &dyn Fn(&str) -> bool| before.iter().any(|t| pred(&t.norm));
            let support = word_before(&|w| {
                w.starts_with("soutenu")
                    || w.starts_with("appuye")
                    || w.starts_with("aide")
                    || w == "allie"
                    || w == "allies"
                    || w == "appui"
                    || w == "sponsor"
            });
            // "les combattants opposés au régime": the other side.
            let opposed = word_before(&|w| w.starts_with("oppose") || w == "anti");
            // The subject of a speech verb is a source, not an actor.
            let after = &tokens[end..tokens.len().min(end + 3).min(range.end)];
            // "l'armée a confirmé que des combattants étaient entrés": the
            // speaker reports someone else's act; "les FDS ont annoncé la
            // prise de Baghouz" reports its own.
            let reported_clause = tokens[end..tokens.len().min(end + 7).min(range.end)]
                .iter()
                .any(|t| t.form() == "que");
            let speech = reported_clause
                && after.iter().any(|t| {
                    matches!(
                        t.norm.as_str(),
                        "confirme"
                            | "annonce"
                            | "affirme"
                            | "indique"
                            | "declare"
                            | "rapporte"
                            | "assure"
                            | "precise"
                            | "reconnu"
                            | "estime"
                            | "accuse"
                            | "intercepte"
                            | "abattu"
                            | "detruit"
                            | "dementi"
                            | "nie"
                    )
                });
            let denies = denial_at.is_some_and(|d| d > start && d - start <= 8);
            // "des rebelles, dont des jihadistes de l'EIIL": a part, not the head.
            let subordinate = before
                .iter()
                .any(|t| matches!(t.norm.as_str(), "dont" | "notamment"));
            let prev = |k: usize| (start >= k).then(|| form(&tokens[start - k]));
            let agent_at = markers
                .iter()
                .rev()
                .find(|&&(_, me, v)| v.contains(&Marker::Agent) && me <= start && start - me <= 5)
                .map(|&(ms, _, _)| ms);
            let mut agent = marker_before(Marker::Agent);
            let holder = marker_before(Marker::Holder);
            let mut target = marker_before(Marker::Target) || opposed;
            if matches!(
                prev(2),
                Some(
                    "rangs"
                        | "positions"
                        | "combattants"
                        | "membres"
                        | "miliciens"
                        | "fief"
                        | "bastion"
                )
            ) && matches!(prev(1), Some("de" | "du" | "des"))
            {
                target = true;
            }
            // "raids de l'aviation russe": the complement of a trigger noun.
            // "les bombardements aériens et d'artillerie du régime": the
            // genitive after a trigger noun, within its noun phrase.
            let mut owner = found
                .iter()
                .find(|f| {
                    f.trigger.voice == Voice::Noun
                        && f.end < start
                        && start - f.end <= 5
                        && matches!(
                            form(&tokens[start - 1]),
                            "de" | "du" | "des" | "le" | "la" | "les"
                        )
                        && !text_between_has_punctuation(text, tokens, f.end, start)
                        && tokens[f.end..start].iter().all(|t| !t.capitalized)
                })
                .map(|f| (f.start, f.trigger.event_type));
            if owner.is_some() && !target {
                agent = true;
            }
            // "délogés par les forces du régime": "par" belongs to the verb before it.
            if agent && owner.is_none() {
                if let Some(&(ms, _, _)) = markers.iter().rev().find(|(ms, me, v)| {
                    v.contains(&Marker::Agent) && *me <= start && *ms >= range.start
                }) {
                    owner = found
                        .iter()
                        .rev()
                        .find(|f| f.end <= ms && ms - f.end <= 1)
                        .map(|f| (f.start, f.trigger.event_type));
                }
            }
            // "Après avoir repris la ville, l'EIIL …": the subject follows.
            let after_infinitive = found.iter().any(|f| {
                f.start >= 2
                    && tokens[f.start - 2].norm == "apres"
                    && matches!(tokens[f.start - 1].norm.as_str(), "avoir" | "etre")
                    && f.end <= start
                    && start - f.end <= 12
            });
            if after_infinitive && !target {
                agent = true;
            }
            // "entre le front al-Nosra et Jaïch al-Islam": the first is the actor.
            if prev(1) == Some("entre") || prev(2) == Some("entre") {
                agent = true;
            }
            if std::env::var_os("FRONTLINE_DEBUG").is_some() {
                eprintln!(
                    "actor {:?} at {start} agent={agent} target={target} aside={} owner={owner:?}",
                    h.value.actor,
                    support || speech || denies
                );
            }
            out.push(ActorHit {
                start,
                end,
                actor: h.value.actor.clone(),
                rank: if metonym { 0 } else { h.value.rank },
                agent,
                agent_at,
                holder,
                target,
                aside: support || speech || denies || subordinate,
                owner,
                metonym,
            });
        }
        out
    }

    /// Deaths and injuries in a sentence: "au moins 16 morts et 20 blessés",
    /// "tuant quelque 30 combattants", "Cinq civils ont été tués".
    fn casualties(
        &self,
        text: &str,
        tokens: &[Token],
        range: Range<usize>,
    ) -> (Option<u64>, Option<u64>) {
        let lex = &self.lexicon;
        let mut dead: Option<u64> = None;
        let mut hurt: Option<u64> = None;
        let mut i = range.start;
        while i < range.end {
            let (value, next) = match number_at(lex, text, tokens, i, range.end) {
                Some(x) => x,
                None => {
                    i += 1;
                    continue;
                }
            };
            // Years and distances are not tolls.
            let unit = tokens.get(next).map(|t| t.norm.as_str()).unwrap_or("");
            if matches!(
                unit,
                "km" | "kilometres"
                    | "metres"
                    | "ans"
                    | "jours"
                    | "heures"
                    | "semaines"
                    | "mois"
                    | "pour"
                    | "h"
            ) || (1900..=2100).contains(&value.unwrap_or(0)) && tokens[i].norm.len() == 4
            {
                i = next;
                continue;
            }
            // What the number counts: a casualty word within the next few
            // tokens, or a killing verb just before it.
            let mut kind = None;
            for t in tokens.iter().take(range.end.min(next + 7)).skip(next) {
                match lex.markers.at(std::slice::from_ref(t), 0).map(|h| h.value) {
                    Some(v) if v.contains(&Marker::Killed) => {
                        kind = Some(Marker::Killed);
                        break;
                    }
                    Some(v) if v.contains(&Marker::Injured) => {
                        kind = Some(Marker::Injured);
                        break;
                    }
                    _ => {}
                }
                if matches!(t.norm.as_str(), "et" | "dont") {
                    break;
                }
            }
            if kind.is_none() && i > range.start {
                for k in (range.start.max(i.saturating_sub(3))..i).rev() {
                    match lex.markers.at(tokens, k).map(|h| h.value) {
                        Some(v) if v.contains(&Marker::KillVerb) => {
                            kind = Some(Marker::Killed);
                            break;
                        }
                        Some(v) if v.contains(&Marker::InjureVerb) => {
                            kind = Some(Marker::Injured);
                            break;
                        }
                        _ => {}
                    }
                }
            }
            match (kind, value) {
                (Some(Marker::Killed), Some(v)) if dead.is_none() => dead = Some(v),
                (Some(Marker::Injured), Some(v)) if hurt.is_none() => hurt = Some(v),
                _ => {}
            }
            i = next;
        }
        (dead, hurt)
    }

    /// Merge drafts into events: the same type at the same place and date
    /// told in several sentences is one event.
    fn finish(
        &self,
        text: &str,
        sentences: &[Sentence],
        mentions: &[Resolved],
        drafts: Vec<Draft>,
    ) -> Vec<Event> {
        let mut events: Vec<Event> = Vec::new();
        // Headlines repeat the story: read them after the body, so that they
        // join the body's events.
        let mut drafts = drafts;
        drafts.sort_by_key(|d| sentences[d.sentence].headline);
        for d in drafts {
            let headline = sentences[d.sentence].headline;
            let m = &mentions[d.mention];
            let p = self.gazetteer.place(m.place);
            let s = &sentences[d.sentence];
            let evidence = Evidence {
                text: text[s.bytes.clone()].to_string(),
                start: s.bytes.start,
                end: s.bytes.end,
            };
            let date = d.when.to_schema();
            // Neighbouring villages are distinct places; a headline's place
            // may be the region of the body's.
            let radius = if headline { 25.0 } else { 1.0 };
            let same = events.iter_mut().find(|e| {
                e.event_type == d.event_type
                    && (e.place_id == p.id
                        || gazetteer::distance_km(e.lat, e.lon, m.lat, m.lon) < radius)
                    && (e.date == date || e.date.is_none() || date.is_none())
                    && compatible(&e.actor, &d.actor)
            });
            match same {
                Some(e) => {
                    e.actor = e.actor.take().or(d.actor);
                    e.target = e.target.take().or(d.target);
                    e.fatalities = e.fatalities.or(d.fatalities);
                    e.injured = e.injured.or(d.injured);
                    e.claimed_by = e.claimed_by.take().or(d.claimed_by);
                    if e.date.is_none() && date.is_some() {
                        e.date = date;
                        e.date_precision = d.when.precision;
                    }
                    if !e.evidence_spans.iter().any(|x| x.start == evidence.start) {
                        e.evidence_spans.push(evidence);
                    }
                    e.confidence = e.confidence.max(d.confidence);
                }
                None => events.push(Event {
                    event_type: d.event_type,
                    subtype: d.subtype,
                    place: p.name().to_string(),
                    place_id: p.id.clone(),
                    lat: m.lat,
                    lon: m.lon,
                    precision: m.precision,
                    radius_km: m.radius_km,
                    date_precision: if date.is_some() {
                        d.when.precision
                    } else {
                        DatePrecision::Unknown
                    },
                    date,
                    actor: d.actor,
                    target: d.target,
                    fatalities: d.fatalities,
                    injured: d.injured,
                    claimed_by: d.claimed_by,
                    evidence: evidence.text.clone(),
                    evidence_spans: vec![evidence],
                    confidence: (d.confidence * 100.0).round() / 100.0,
                }),
            }
        }
        // A sentence that names no actor continues the story: the actor of
        // the article's previous event of the same type (bombers excepted,
        // as unclaimed bombings are common).
        let mut last: Vec<(EventType, String, f64, f64)> = Vec::new();
        for e in &mut events {
            match &e.actor {
                Some(a) => {
                    last.retain(|(t, ..)| *t != e.event_type);
                    last.push((e.event_type, a.clone(), e.lat, e.lon));
                }
                None if e.event_type != EventType::Explosion => {
                    e.actor = last
                        .iter()
                        .find(|(t, _, la, lo)| {
                            *t == e.event_type
                                && gazetteer::distance_km(*la, *lo, e.lat, e.lon) < 30.0
                        })
                        .map(|(_, a, ..)| a.clone());
                }
                None => {}
            }
        }
        // An event placed only at its province in one sentence and at a
        // settlement of that province in another is one event.
        let mut i = 0;
        while i < events.len() {
            let e = &events[i];
            let into = (e.precision == Precision::Region)
                .then(|| {
                    events.iter().position(|x| {
                        x.event_type == e.event_type
                            && x.precision != Precision::Region
                            && x.evidence_spans[0].start != e.evidence_spans[0].start
                            && gazetteer::distance_km(x.lat, x.lon, e.lat, e.lon) < 50.0
                            && (x.date == e.date || x.date.is_none() || e.date.is_none())
                            && compatible(&x.actor, &e.actor)
                    })
                })
                .flatten();
            match into {
                Some(j) => {
                    let e = events.remove(i);
                    let j = if j > i { j - 1 } else { j };
                    let x = &mut events[j];
                    x.actor = x.actor.take().or(e.actor);
                    x.target = x.target.take().or(e.target);
                    x.fatalities = x.fatalities.or(e.fatalities);
                    x.injured = x.injured.or(e.injured);
                    x.claimed_by = x.claimed_by.take().or(e.claimed_by);
                    x.evidence_spans.extend(e.evidence_spans);
                }
                None => i += 1,
            }
        }
        // One control change per assault: a clash at the same place by the
        // same side is the fighting of that assault.
        let changes: Vec<(String, f64, f64, Option<String>)> = events
            .iter()
            .filter(|e| e.event_type == EventType::ControlChange)
            .map(|e| (e.place_id.clone(), e.lat, e.lon, e.actor.clone()))
            .collect();
        events.retain(|e| {
            e.event_type != EventType::Clash
                || !changes.iter().any(|(p, la, lo, a)| {
                    (*p == e.place_id || gazetteer::distance_km(*la, *lo, e.lat, e.lon) < 1.0)
                        && compatible(a, &e.actor)
                })
        });
        // Generic "jihadistes" in an article about one jihadist group is that group.
        if let Some(group) = self.dominant_jihadist_group(text) {
            for e in &mut events {
                for who in [&mut e.actor, &mut e.target] {
                    if who.as_deref() == Some("jihadists") {
                        *who = Some(group.clone());
                    }
                }
            }
        }
        events
    }
}

/// Two actors of one event: the same, unknown, or on the same side.
fn compatible(a: &Option<String>, b: &Option<String>) -> bool {
    match (a, b) {
        (Some(x), Some(y)) => side(x) == side(y),
        _ => true,
    }
}

/// The camp an actor fights in, to tell one event told twice from two
/// opposite events at one place.
fn side(actor: &str) -> &str {
    match actor {
        "Syrian government" | "Russia" | "Iran" | "Hezbollah" => "government",
        "SDF" | "YPG" | "US-led coalition" | "United States" => "sdf",
        "Islamic State" => "is",
        "Israel" => "israel",
        _ => "opposition",
    }
}

/// Actor and target of the event announced by trigger `f` (index `fi`
/// among the sentence's triggers): explicit markers first, then the
/// subject before an active verb or the complement of a noun.
fn roles(
    actors: &[ActorHit],
    found: &[Found],
    fi: usize,
    ty: EventType,
) -> (Option<String>, Option<String>) {
    let f = &found[fi];
    // Actors that belong to another trigger of another type are not ours.
    let mine: Vec<&ActorHit> = actors
        .iter()
        .filter(|a| {
            a.owner
                .is_none_or(|(start, t)| start == f.start || t == f.trigger.event_type)
        })
        .collect();
    let explicit_only = ty == EventType::Explosion;
    let overlaps = |a: &ActorHit| a.start < f.end && a.end > f.start;
    // "lancée le 10 septembre par les FDS": a "par" close after the trigger
    // (or owned by it) names its agent; a far one belongs to another verb.
    let explicit = |a: &ActorHit| {
        a.agent
            && (a.owner.is_some_and(|(s, _)| s == f.start)
                || a.agent_at.is_some_and(|m| m >= f.end && m - f.end <= 8)
                || (a.agent_at.is_none() && a.owner.is_none()))
    };
    let is_agent = |a: &ActorHit| {
        if a.aside || a.target {
            return false;
        }
        if explicit(a) || overlaps(a) || (a.holder && ty == EventType::ControlChange) {
            return true;
        }
        if a.agent {
            return false;
        }
        // Bombers are named explicitly ("revendiqué par", "commis par"),
        // except jihadist groups, the usual authors of suicide and car bombs.
        let bomber = matches!(
            a.actor.as_str(),
            "Islamic State" | "HTS" | "Al-Nusra Front" | "jihadists" | "Jund al-Aqsa"
        );
        (!explicit_only || bomber)
            && !a.holder
            && a.end <= f.start
            && f.trigger.voice != Voice::Passive
    };
    let distance = |a: &ActorHit| {
        if a.start >= f.end {
            a.start - f.end
        } else {
            f.start.saturating_sub(a.end)
        }
    };
    let actor = mine
        .iter()
        .filter(|a| is_agent(a))
        .max_by_key(|a| {
            // Explicit markers, then rank; the head of a subject list first.
            (
                explicit(a) || overlaps(a) || a.holder,
                a.rank,
                usize::MAX - a.start,
            )
        })
        .map(|a| a.actor.clone());
    let target = mine
        .iter()
        .filter(|a| !a.aside && !is_agent(a) && !a.metonym && Some(&a.actor) != actor.as_ref())
        .filter(|a| a.target || a.start >= f.end)
        .max_by_key(|a| (a.target, a.rank, usize::MAX - distance(a)))
        .map(|a| a.actor.clone());
    if f.trigger.voice == Voice::Loss {
        // The subject of a withdrawal lost the place; whoever it lost it to
        // (if named after the verb) gained it.
        return (target, actor);
    }
    (actor, target)
}

/// The strike subtype: the most specific trigger, or the actor's usual
/// weapon (Russian, coalition and Israeli "frappes" are from the air).
fn strike_subtype(found: &[&Found], actors: &[ActorHit]) -> String {
    for want in ["drone", "missile", "air", "artillery"] {
        if found
            .iter()
            .any(|f| f.trigger.subtype.as_deref() == Some(want))
        {
            return want.into();
        }
    }
    let air_forces = [
        "Russia",
        "US-led coalition",
        "United States",
        "Israel",
        "Turkey",
    ];
    if actors
        .iter()
        .any(|a| !a.target && !a.aside && air_forces.contains(&a.actor.as_str()))
    {
        return "air".into();
    }
    "unspecified".into()
}

/// Punctuation between tokens `a` and `b` (a clause boundary).
fn text_between_has_punctuation(text: &str, tokens: &[Token], a: usize, b: usize) -> bool {
    a < b
        && b <= tokens.len()
        && a > 0
        && text[tokens[a - 1].end..tokens[b].start]
            .contains([',', ';', ':', '.', '(', ')', '«', '»'])
}

/// "Beyrouth, 19 août 2015 (AFP) —", "Damas, 1er mars 2012 —": a place at
/// the start of a line followed by a comma and a date.
fn is_dateline(text: &str, m: &gazetteer::Mention) -> bool {
    let line_start = text[..m.start].rfind('\n').map_or(0, |i| i + 1);
    if !text[line_start..m.start].trim().is_empty()
        && !text[line_start..m.start].trim_start().starts_with('(')
    {
        return false;
    }
    let rest = &text[m.end..];
    let head: String = rest.chars().take(40).collect();
    head.starts_with(',')
        && head.chars().any(|c| c.is_ascii_digit())
        && (head.contains('—')
            || head.contains("(AFP)")
            || head.contains('-')
            || head.contains('('))
}

/// A control trigger whose object is unnamed places: "prenant des dizaines
/// de localités", "reprenant plusieurs villages".
fn unnamed_object(tokens: &[Token], f: &Found, mentions: &[Resolved], places: &[usize]) -> bool {
    let window = &tokens[f.end..tokens.len().min(f.end + 5)];
    let plural = window.iter().any(|t| {
        matches!(
            t.norm.as_str(),
            "localites"
                | "villages"
                | "positions"
                | "secteurs"
                | "zones"
                | "territoires"
                | "quartiers"
                | "villes"
                | "bourgades"
        )
    });
    let named_soon = places.iter().any(|&m| {
        let start = tokens.partition_point(|t| t.start < mentions[m].mention.start);
        start >= f.end && start < f.end + 5
    });
    plural && !named_soon
}

/// Text between two listed places: commas, "et", "ainsi que", "de", cue words.
fn is_list_gap(gap: &str) -> bool {
    let words: Vec<String> = tokenize(gap).into_iter().map(|t| t.norm).collect();
    if words.len() > 10 || gap.contains(['.', ';', ':', '(', '«', '"']) {
        return false;
    }
    let joined = gap.contains(',') || words.iter().any(|w| w == "et" || w == "ainsi");
    joined
        && words.iter().all(|w| {
            matches!(
                w.as_str(),
                "et" | "ainsi"
                    | "que"
                    | "de"
                    | "d"
                    | "du"
                    | "des"
                    | "autres"
                    | "plusieurs"
                    | "la"
                    | "le"
                    | "les"
                    | "l"
                    | "celle"
                    | "celles"
                    | "celui"
                    | "ceux"
                    | "village"
                    | "ville"
                    | "localite"
                    | "localites"
                    | "quartier"
                    | "quartiers"
                    | "province"
                    | "provinces"
                    | "villes"
                    | "villages"
                    | "voisine"
                    | "voisines"
                    | "voisin"
                    | "voisins"
                    | "sud"
                    | "nord"
                    | "est"
                    | "ouest"
            )
        })
}

/// A number at token `i` (digits, "1.700", "3 500", or words) and the token
/// after it.
fn number_at(
    lex: &Lexicon,
    text: &str,
    tokens: &[Token],
    i: usize,
    end: usize,
) -> Option<(Option<u64>, usize)> {
    let t = &tokens[i];
    if t.norm.bytes().all(|b| b.is_ascii_digit()) {
        let mut value: u64 = t.norm.parse().ok()?;
        let mut j = i + 1;
        // Thousands separators: "1.700", "3 500", "300.000".
        while j < end {
            let gap = &text[tokens[j - 1].end..tokens[j].start];
            let next = &tokens[j].norm;
            if matches!(gap, "." | " " | "\u{a0}" | "\u{202f}" | ",")
                && next.len() == 3
                && next.bytes().all(|b| b.is_ascii_digit())
                && gap != ","
            {
                value = value * 1000 + next.parse::<u64>().ok()?;
                j += 1;
            } else {
                break;
            }
        }
        return Some((Some(value), j));
    }
    let hit = lex.numbers.at(&tokens[..end], i)?;
    Some((*hit.value, hit.end))
}

/// Sentences with token and byte ranges.
fn split_sentences(text: &str, tokens: &[Token]) -> Vec<Sentence> {
    let mut out = Vec::new();
    if tokens.is_empty() {
        return out;
    }
    let mut start = 0;
    let mut paragraph = true;
    for i in 0..tokens.len() {
        let last = i + 1 == tokens.len();
        let gap_end = if last {
            text.len()
        } else {
            tokens[i + 1].start
        };
        let gap = &text[tokens[i].end..gap_end];
        let newline = gap.contains('\n');
        let stop = gap.contains(['.', '!', '?', '…']);
        let next_cap = !last && tokens[i + 1].capitalized;
        let abbreviation = tokens[i].norm.len() == 1 && tokens[i].capitalized
            || matches!(
                tokens[i].norm.as_str(),
                "m" | "mm" | "dr" | "st" | "ste" | "mgr" | "gen"
            );
        let numeric = !last
            && tokens[i].norm.bytes().all(|b| b.is_ascii_digit())
            && tokens[i + 1].norm.bytes().all(|b| b.is_ascii_digit())
            && !gap.contains(' ');
        let boundary = last
            || newline
            || (stop && next_cap && !abbreviation && !numeric)
            || (stop && gap.contains(['»', '"', '”']) && next_cap);
        if boundary {
            // The sentence keeps its closing punctuation and quotes.
            let mut end = tokens[i].end;
            let tail: usize = gap
                .char_indices()
                .take_while(|(_, c)| !c.is_whitespace() || *c == '\u{a0}' || *c == '\u{202f}')
                .map(|(k, c)| k + c.len_utf8())
                .last()
                .unwrap_or(0);
            end += tail;
            let body = text[tokens[start].start..end].trim_end();
            let headline = paragraph
                && (newline || last)
                && body.len() < 250
                && !body.ends_with(['.', '!', '?', '»', '"', '”', ')']);
            out.push(Sentence {
                tokens: start..i + 1,
                bytes: tokens[start].start..end,
                paragraph,
                headline,
            });
            paragraph = newline;
            start = i + 1;
        }
    }
    out
}

/// A date in a dateline at the start of the text ("Beyrouth, 19 août 2015
/// (AFP)"), used as the reference when the publication date is unknown.
fn dateline(lex: &Lexicon, tokens: &[Token], text: &str) -> Option<NaiveDate> {
    let head = tokens
        .iter()
        .take_while(|t| t.start < 200.min(text.len()))
        .count();
    dates::find(lex, tokens, 0..head, None)
        .into_iter()
        .find(|d| d.when.precision == DatePrecision::Day)
        .and_then(|d| d.when.date)
}

#[cfg(test)]
mod tests;
