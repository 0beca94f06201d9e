//! The article read sentence by sentence, keeping what a reader keeps: the
//! date being told, the place the story is about, the actors named so far
//! and who says so. Each sentence's events are drafted by [`crate::events`]
//! with this context; at the end, events that name no actor take the
//! story's.

use crate::dates::{self, DateMention, DatePrecision, When};
use crate::events::{Draft, SentenceContext};
use crate::lexicon::{Marker, WordClass};
use crate::places::MainPlace;
use crate::vocab::EventType;
use crate::{Document, Extractor};
use chrono::Datelike;
use std::ops::Range;

/// An actor a sentence names for a type of event, kept for the sentences
/// after it that name none.
pub(crate) struct StoryActor {
    pub event_type: EventType,
    pub actor: String,
    pub sentence: usize,
    /// From a claim of responsibility ("a revendiqué").
    pub claim: bool,
}

/// What the story has told so far.
#[derive(Default)]
pub(crate) struct Story {
    /// The date the current paragraph is telling.
    previous_when: Option<When>,
    /// The place the article is talking about: the last event's place.
    focus: Option<usize>,
    pub actors: Vec<StoryActor>,
    main_place: MainPlace,
    last_claimant: Option<String>,
    drafts: Vec<Draft>,
    /// The type of the last sentence's strongest trigger.
    last_trigger_type: Option<EventType>,
}

impl Story {
    /// Read sentence `si`: its date, its claimant, then its events.
    pub fn read_sentence(&mut self, x: &Extractor, doc: &Document, si: usize) {
        let s = &doc.sentences[si];
        if s.paragraph {
            self.previous_when = None;
        }
        let tokens = &doc.tokens;
        let (dates, specific, background) = self.sentence_dates(x, doc, si);
        let sentence_when = specific.map(|d| d.when);
        let when = sentence_when
            .or(self.previous_when)
            .unwrap_or(doc.reference.map(When::day).unwrap_or(When::UNKNOWN));
        if let Some(w) = sentence_when {
            self.previous_when = Some(w);
        }
        let claimed = self.claimant(x, doc, s.tokens.clone());
        // "Lire aussi : …": the title of another article.
        let related = x
            .lexicon
            .markers
            .at(tokens, s.tokens.start)
            .is_some_and(|h| h.value.contains(&Marker::Related));
        if background || related {
            return;
        }
        // Mentions are in text order: the sentence's are a slice.
        let mentions = &doc.mentions;
        let first = mentions.partition_point(|m| m.mention.start < s.bytes.start);
        let last = mentions.partition_point(|m| m.mention.start < s.bytes.end);
        let in_sentence: Vec<usize> = (first..last)
            .filter(|&i| mentions[i].mention.end <= s.bytes.end)
            .collect();
        // Before any event, the story is about the place named most so far.
        self.main_place.advance(&x.gazetteer, &mentions[..first]);
        let ctx = SentenceContext {
            si,
            in_sentence,
            when,
            dates,
            claimed,
            focus: self.focus.or(self.main_place.best()),
            told_before: !self.drafts.is_empty(),
            told_type: self.drafts.last().map(|d| d.event_type),
            last_trigger_type: self.last_trigger_type,
            focus_when: self
                .drafts
                .last()
                .map(|d| d.when)
                .filter(|_| sentence_when.is_none()),
        };
        let new = x.sentence_events(doc, &ctx, &mut self.actors, &mut self.last_trigger_type);
        if let Some(d) = new.last() {
            self.focus = Some(d.mention);
        }
        self.drafts.extend(new);
    }

    /// The dates sentence `si` names (days counted from the story's day
    /// resolved), the first that dates its news, and whether it names only
    /// years before the publication's: history.
    fn sentence_dates(
        &self,
        x: &Extractor,
        doc: &Document,
        si: usize,
    ) -> (Vec<DateMention>, Option<DateMention>, bool) {
        let (s, tokens) = (&doc.sentences[si], &doc.tokens);
        // Days counted from the story's day ("le lendemain") are counted
        // from the date the paragraph tells, else from publication.
        let story_day = self
            .previous_when
            .filter(|w| w.precision == DatePrecision::Day || w.hint.is_some())
            .or(doc.reference.map(When::day))
            .unwrap_or(When::UNKNOWN);
        let mut dates = dates::find(&x.lexicon, tokens, s.tokens.clone(), doc.reference);
        for d in &mut dates {
            if let Some(days) = d.relative {
                d.when = story_day.shifted(days);
            }
        }
        // "depuis mars 2011", "depuis le 19 juin": the start of a span,
        // not the date of the news.
        let since = |d: &DateMention| {
            tokens[d.at.saturating_sub(3).max(s.tokens.start)..d.at]
                .iter()
                .any(|t| x.lexicon.is(WordClass::Since, &t.norm))
        };
        let specific: Vec<&DateMention> =
            dates.iter().filter(|d| !d.year_only && !since(d)).collect();
        let background = !dates.is_empty()
            && specific.is_empty()
            && dates.iter().any(|d| {
                d.when
                    .date
                    .is_some_and(|y| doc.reference.is_none_or(|r| y.year() < r.year()))
            });
        let first = specific.first().map(|d| **d);
        (dates, first, background)
    }

    /// Who the sentence says it comes from: "selon l'OSDH". A named source,
    /// or "selon la même source / ONG" (the last named one); either counts
    /// only after a claim verb or "selon".
    fn claimant(&mut self, x: &Extractor, doc: &Document, range: Range<usize>) -> Option<String> {
        let slice = &doc.tokens[range];
        let lex = &x.lexicon;
        let named = lex
            .claimants
            .find_all(slice)
            .first()
            .map(|h| h.value.clone());
        let same = slice
            .windows(2)
            .any(|w| w[0].norm == "meme" && lex.is(WordClass::SameSource, &w[1].norm));
        if named.is_none() && !same {
            return None;
        }
        let has_claim = lex
            .markers
            .find_all(slice)
            .iter()
            .any(|h| h.value.contains(&Marker::Claim));
        if !has_claim {
            return None;
        }
        match named {
            Some(n) => {
                self.last_claimant = Some(n.clone());
                Some(n)
            }
            None => self.last_claimant.clone(),
        }
    }

    /// The drafts, each event that names no actor given the story's: the
    /// last actor of that type named before it, or for a subject pronoun
    /// the last actor named; a bombing takes its claimant. Drafts and story
    /// actors are both in text order, so one pass suffices.
    pub fn finish(mut self, x: &Extractor, doc: &Document) -> Vec<Draft> {
        let story = &self.actors;
        let claims: Vec<&StoryActor> = story.iter().filter(|a| a.claim).collect();
        let mut last_of_type: Vec<(EventType, &str)> = Vec::new();
        let mut last_any: Option<&str> = None;
        let mut read = 0;
        for d in self.drafts.iter_mut() {
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
            let first = &doc.tokens[doc.sentences[d.sentence].tokens.start];
            if x.lexicon.is(WordClass::SubjectPronoun, &first.norm) && last_any.is_some() {
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
        self.drafts
    }
}
