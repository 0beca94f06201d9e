//! The words that announce an event in a sentence, and the ones kept: a
//! trigger inside a masking phrase ("pris part"), an aim ("pour
//! bombarder"), a hypothetical, background or a reference back to places
//! already reported announces nothing new.

use crate::lexicon::{Hit, Lexicon, Marker, Trigger, Voice, WordClass};
use crate::token::Token;
use crate::vocab::{EventType, Subtype};
use crate::{Document, Extractor};
use std::ops::Range;

/// Triggers weaker than this announce nothing; those above it make
/// candidate events, which the confidence model then weighs.
const MIN_WEIGHT: f64 = 0.4;

/// A trigger found in a sentence: token range and what it announces.
#[derive(Clone, Copy)]
pub(crate) struct Found<'a> {
    pub start: usize,
    pub end: usize,
    pub trigger: &'a Trigger,
    /// What it announces here: the trigger's type, unless the context
    /// says otherwise ("tenter de prendre" is fighting).
    pub event_type: EventType,
    /// The trigger's voice here: a participle's is read from its auxiliary.
    pub voice: Voice,
    /// "des combats entre X et Y": the parties are named after the trigger.
    pub parties_follow: bool,
    /// A noun in an adverbial phrase ("au lendemain de la prise",
    /// "lors des combats"): the clause's subject is not its agent.
    pub adjunct: bool,
}

impl<'a> Found<'a> {
    fn new(lex: &Lexicon, hit: Hit<'a, Trigger>, offset: usize, tokens: &[Token]) -> Self {
        let (start, end) = (hit.start + offset, hit.end + offset);
        let aux = || lex.auxiliary_voice(tokens, start, offset);
        let voice = match hit.value.voice {
            Voice::Participle => aux().unwrap_or(Voice::Passive),
            Voice::ParticipleOrPresent => aux().unwrap_or(Voice::Active),
            v => v,
        };
        Found {
            start,
            end,
            trigger: hit.value,
            event_type: hit.value.event_type,
            voice,
            parties_follow: tokens[end..tokens.len().min(end + 2)]
                .iter()
                .any(|t| t.norm == "entre"),
            adjunct: voice == Voice::Noun && in_adjunct(lex, tokens, start, offset),
        }
    }
}

/// The noun at `at` heads an adverbial phrase: a preposition of time or
/// cause, then a definite determiner ("après le retrait", "au lendemain de
/// la prise", "lors des combats").
fn in_adjunct(lex: &Lexicon, tokens: &[Token], at: usize, from: usize) -> bool {
    let is_prep = |k: usize| lex.is(WordClass::AdjunctPreposition, tokens[k].form());
    let mut k = at;
    if k > from && matches!(tokens[k - 1].form(), "le" | "la" | "les") {
        k -= 1;
        if k > from && is_prep(k - 1) {
            return true;
        }
    }
    k > from + 1
        && matches!(
            tokens[k - 1].form(),
            "de" | "du" | "des" | "a" | "au" | "aux"
        )
        && is_prep(k - 2)
}

/// The word before token `at` (from `from` on), past auxiliaries,
/// adverbs and pronouns: the subject of a verb, the noun a participle
/// qualifies.
fn word_before(lex: &Lexicon, tokens: &[Token], at: usize, from: usize) -> Option<usize> {
    (from..at).rev().take(5).find(|&k| {
        let w = tokens[k].form();
        !(lex.is(WordClass::AuxSkippable, w)
            || lex.is(WordClass::AvoirAux, w)
            || lex.is(WordClass::EtreAux, w)
            || lex.is(WordClass::Reflexive, w))
    })
}

/// A relative pronoun ("qui", "dont") follows token `at`, past at most two
/// adjectives ("l'offensive rebelle qui").
fn relative_follows(lex: &Lexicon, tokens: &[Token], at: usize, to: usize) -> bool {
    for t in &tokens[at..to.min(at + 3)] {
        match t.norm.as_str() {
            "qui" | "dont" => return true,
            w if t.capitalized
                || lex.is(WordClass::Determiner, w)
                || lex.is(WordClass::Locative, w)
                || matches!(w, "de" | "du" | "des" | "contre" | "sur" | "par") =>
            {
                return false
            }
            _ => {}
        }
    }
    false
}

/// The word after token `at` (before `to`), past determiners and numbers:
/// the head of the object.
fn word_after(lex: &Lexicon, tokens: &[Token], at: usize, to: usize) -> Option<usize> {
    (at..to).take(4).find(|&k| {
        let t = &tokens[k];
        !(lex.is(WordClass::Determiner, t.form()) || t.norm.bytes().all(|b| b.is_ascii_digit()))
    })
}

impl<'a> Found<'a> {
    /// A toll standing for its trigger: `tokens` from the number to the
    /// word that counts the dead.
    pub fn toll(trigger: &'a Trigger, tokens: Range<usize>) -> Self {
        Found {
            start: tokens.start,
            end: tokens.end,
            trigger,
            event_type: trigger.event_type,
            voice: trigger.voice,
            parties_follow: false,
            adjunct: false,
        }
    }
}

/// A marker phrase in a sentence: token range and its roles.
pub(crate) type MarkerHit<'a> = (usize, usize, &'a Vec<Marker>);

impl Extractor {
    /// Every trigger of the sentence `range`, in text order.
    pub(crate) fn find_triggers<'a>(
        &'a self,
        doc: &Document,
        range: Range<usize>,
    ) -> Vec<Found<'a>> {
        self.lexicon
            .triggers
            .find_all(&doc.tokens[range.clone()])
            .into_iter()
            .map(|h| Found::new(&self.lexicon, h, range.start, &doc.tokens))
            .collect()
    }

    /// Every marker phrase of the sentence `range`.
    pub(crate) fn find_markers<'a>(
        &'a self,
        doc: &Document,
        range: Range<usize>,
    ) -> Vec<MarkerHit<'a>> {
        self.lexicon
            .markers
            .find_all(&doc.tokens[range.clone()])
            .into_iter()
            .map(|h| (h.start + range.start, h.end + range.start, h.value))
            .collect()
    }

    /// Senses of trigger words that are not the event they usually
    /// announce, and events the context makes another type.
    fn sense(&self, doc: &Document, range: Range<usize>, dated: bool, found: &mut Vec<Found>) {
        let lex = &self.lexicon;
        let tokens = &doc.tokens;
        let is =
            |k: Option<usize>, class: WordClass| k.is_some_and(|k| lex.is(class, &tokens[k].norm));
        found.retain(|f| {
            let before = word_before(lex, tokens, f.start, range.start);
            let after = word_after(lex, tokens, f.end, range.end);
            if f.event_type == EventType::ControlChange {
                // "les combats ont repris", "reprendre les raids": resumed.
                if is(before, WordClass::Resumable) || is(after, WordClass::Resumable) {
                    return false;
                }
                // "les otages libérés", "a capturé deux soldats": people.
                let object = if f.voice == Voice::Passive {
                    before
                } else {
                    after
                };
                // ("Les otages enlevés en mai ont été libérés": the subject
                // of a passive may open the sentence.)
                let subject = (f.voice == Voice::Passive)
                    .then(|| word_after(lex, tokens, range.start, f.start))
                    .flatten();
                if is(object, WordClass::NotPlaceObject) || is(subject, WordClass::NotPlaceObject) {
                    return false;
                }
            }
            // "a dénoncé une attaque", "célèbrent la prise de": a reaction
            // to an event told elsewhere.
            let reaction = tokens[f.start.saturating_sub(4).max(range.start)..f.start]
                .iter()
                .any(|t| lex.is(WordClass::ReactionVerb, &t.norm));
            if reaction && f.voice == Voice::Noun {
                return false;
            }
            // "l'offensive qui a renversé le régime", "l'offensive éclair
            // qui …": a known event described, not reported (unless dated).
            let described = f.voice == Voice::Noun
                && f.start > range.start
                && lex.is(WordClass::Definite, tokens[f.start - 1].form())
                && relative_follows(lex, tokens, f.end, range.end);
            !described || dated
        });
        for f in found.iter_mut() {
            // "tenter de prendre", "une tentative de reprendre": fighting.
            let attempt = tokens[f.start.saturating_sub(3).max(range.start)..f.start]
                .iter()
                .any(|t| lex.is(WordClass::Attempt, &t.norm));
            if attempt && f.event_type == EventType::ControlChange {
                f.event_type = EventType::Clash;
            }
            // "la communauté a été visée par des attaques", "une attaque
            // contre des civils": civilians targeted.
            if f.event_type == EventType::Clash {
                let slice = &tokens[range.clone()];
                let civilians_hit = slice.iter().enumerate().any(|(k, t)| {
                    lex.is(WordClass::CivilianNoun, &t.norm)
                        && ((k >= 1 && slice[k - 1].norm == "contre")
                            || (k >= 2 && slice[k - 2].norm == "contre")
                            || slice[k + 1..slice.len().min(k + 6)]
                                .iter()
                                .any(|t| t.norm.starts_with("vise")))
                });
                if civilians_hit {
                    f.event_type = EventType::CivilianTargeting;
                }
            }
        }
    }

    /// The triggers of a sentence that announce an event.
    pub(crate) fn keep_triggers<'a>(
        &self,
        doc: &Document,
        range: Range<usize>,
        markers: &[MarkerHit],
        dated: bool,
        all: &[Found<'a>],
    ) -> Vec<Found<'a>> {
        let lex = &self.lexicon;
        let tokens = &doc.tokens;
        // Words that cancel a trigger ("pris part") are masked first.
        let masked: Vec<Range<usize>> = lex
            .not_triggers
            .find_all(&tokens[range.clone()])
            .into_iter()
            .map(|h| h.start + range.start..h.end + range.start)
            .collect();
        let mut found: Vec<Found> = all
            .iter()
            .copied()
            .filter(|f| !masked.iter().any(|m| m.start <= f.start && f.start < m.end))
            .filter(|f| f.trigger.weight >= MIN_WEIGHT)
            .collect();
        let has_type = |found: &[Found], types: &[EventType]| {
            found.iter().any(|f| types.contains(&f.event_type))
        };
        // "Un attentat a frappé X": with a bombing in the sentence, a plain
        // "frappe" is the bombing's verb, not a strike.
        if has_type(&found, &[EventType::Explosion]) {
            found.retain(|f| {
                !(f.event_type == EventType::Strike
                    && f.trigger.subtype == Some(Subtype::Unspecified))
            });
        }
        // "pour bombarder", "afin de prendre": a purpose, not a fact.
        found.retain(|f| {
            !(f.start > range.start && lex.is(WordClass::Purpose, &tokens[f.start - 1].norm))
        });
        // "une attaque" in a sentence about a bombing or a strike is that attack.
        if has_type(&found, &[EventType::Explosion, EventType::Strike]) {
            found.retain(|f| !(f.event_type == EventType::Clash && f.trigger.weight < 0.7));
        }
        found.retain(|f| !self.background_cue(doc, &range, dated, f));
        self.sense(doc, range.clone(), dated, &mut found);
        // Hypotheticals just before a trigger cancel it, unless a comma
        // closes their clause first.
        found.retain(|f| {
            !markers.iter().any(|&(ms, me, v)| {
                v.contains(&Marker::Hypothetical)
                    && ms < f.start
                    && f.start - ms <= 10
                    && !doc.text[tokens[me.min(f.start) - 1].end..tokens[f.start].start]
                        .contains(',')
            })
        });
        found
    }

    /// The words before trigger `f` make it background: an undated relative
    /// clause, a participle after a plural place noun, what follows
    /// "depuis".
    fn background_cue(&self, doc: &Document, range: &Range<usize>, dated: bool, f: &Found) -> bool {
        let (lex, tokens) = (&self.lexicon, &doc.tokens);
        let before = |n: usize| &tokens[f.start.saturating_sub(n).max(range.start)..f.start];
        // "les milices kurdes qui ont chassé l'EI de Kobané": an undated
        // relative clause describes who an actor is, not today's news.
        let relative = !dated
            && before(4)
                .iter()
                .any(|t| lex.is(WordClass::RelativePronoun, &t.norm));
        // "les deux localités prises mercredi": a participle after a plural
        // place noun refers back to places already reported.
        let referring = f.event_type == EventType::ControlChange
            && f.start > range.start
            && lex.is(WordClass::PlaceNounReferring, &tokens[f.start - 1].norm);
        // "depuis une offensive …": what follows "depuis" is background.
        // ("depuis dimanche, des combats" is news: a date follows "depuis".)
        let window = before(4);
        let since = window
            .iter()
            .position(|t| lex.is(WordClass::Since, &t.norm))
            .is_some_and(|k| !window[k + 1..].iter().any(|t| lex.calendar_of(t).is_some()));
        // "après deux mois de combats": the span that led up to the news.
        let span = (f.start.saturating_sub(6).max(range.start)..f.start).any(|k| {
            lex.is(WordClass::Duration, &tokens[k].norm)
                && tokens[k + 1].form() == "de"
                && tokens[k.saturating_sub(4).max(range.start)..k]
                    .iter()
                    .any(|t| t.norm == "apres")
        });
        relative || referring || since || span
    }
}
