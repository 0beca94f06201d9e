//! The words that announce an event in a sentence, and the ones kept: a
//! trigger inside a masking phrase ("pris part"), an aim ("pour
//! bombarder"), a hypothetical, background or a reference back to places
//! already reported announces nothing new.

use crate::lexicon::{form, Hit, Marker, Trigger, WordClass};
use crate::vocab::{EventType, Subtype};
use crate::{Document, Extractor};
use gazetteer::normalize::Token;
use std::ops::Range;

/// A trigger found in a sentence: token range and what it announces.
#[derive(Clone, Copy)]
pub(crate) struct Found<'a> {
    pub start: usize,
    pub end: usize,
    pub trigger: &'a Trigger,
    /// "des combats entre X et Y": the parties are named after the trigger.
    pub parties_follow: bool,
}

impl<'a> Found<'a> {
    fn new(hit: Hit<'a, Trigger>, offset: usize, tokens: &[Token]) -> Self {
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
            .map(|h| Found::new(h, range.start, &doc.tokens))
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
            .filter(|f| f.trigger.weight >= 0.6)
            .collect();
        let has_type = |found: &[Found], types: &[EventType]| {
            found.iter().any(|f| types.contains(&f.trigger.event_type))
        };
        // "Un attentat a frappé X": with a bombing in the sentence, a plain
        // "frappe" is the bombing's verb, not a strike.
        if has_type(&found, &[EventType::Explosion]) {
            found.retain(|f| {
                !(f.trigger.event_type == EventType::Strike
                    && f.trigger.subtype == Some(Subtype::Unspecified))
            });
        }
        // "pour bombarder", "afin de prendre": a purpose, not a fact.
        found.retain(|f| {
            !(f.start > range.start && lex.is(WordClass::Purpose, &tokens[f.start - 1].norm))
        });
        // "une attaque" in a sentence about a bombing or a strike is that attack.
        if has_type(&found, &[EventType::Explosion, EventType::Strike]) {
            found.retain(|f| !(f.trigger.event_type == EventType::Clash && f.trigger.weight < 0.7));
        }
        let before =
            |f: &Found, n: usize| &tokens[f.start.saturating_sub(n).max(range.start)..f.start];
        // "les milices kurdes qui ont chassé l'EI de Kobané": an undated
        // relative clause describes who an actor is, not today's news.
        if !dated {
            found.retain(|f| {
                !before(f, 4)
                    .iter()
                    .any(|t| lex.is(WordClass::RelativePronoun, &t.norm))
            });
        }
        // "les deux localités prises mercredi": a participle after a plural
        // place noun refers back to places already reported.
        found.retain(|f| {
            !(f.trigger.event_type == EventType::ControlChange
                && f.start > range.start
                && lex.is(WordClass::PlaceNounReferring, &tokens[f.start - 1].norm))
        });
        // "depuis une offensive …": what follows "depuis" is background.
        // ("depuis dimanche, des combats" is news: a date follows "depuis".)
        found.retain(|f| {
            let window = before(f, 4);
            match window
                .iter()
                .position(|t| lex.is(WordClass::Since, &t.norm))
            {
                Some(k) => window[k + 1..]
                    .iter()
                    .any(|t| lex.calendar.contains_key(form(t))),
                None => true,
            }
        });
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
}
