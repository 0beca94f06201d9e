//! One event told several times is one event: within an article (the
//! drafts of its sentences), and across articles ([`same_happening`], the
//! rule the store applies when a second article reports an event).

use crate::actors::compatible;
use crate::confidence::Signals;
use crate::dates::{DatePrecision, When};
use crate::events::Draft;
use crate::vocab::{EventType, Subtype};
use crate::{Document, Event, Evidence, Extractor};
use gazetteer::Precision;

/// Reports from two articles within this distance (and of the same type,
/// day and actor) are one happening.
pub const SAME_EVENT_KM: f64 = 5.0;

/// What deciding whether two reports tell one happening needs of each.
#[derive(Debug, Clone, Copy)]
pub struct Happening<'a> {
    pub event_type: EventType,
    pub subtype: Option<Subtype>,
    pub date: Option<&'a str>,
    pub date_precision: DatePrecision,
    pub lat: f64,
    pub lon: f64,
    pub actor: Option<&'a str>,
}

/// Two reports from different articles tell one happening: the same type,
/// the same known date at the same precision, places within
/// [`SAME_EVENT_KM`], the same actor when both name one, and the same
/// subtype when both know it. Undated reports are never joined: nothing
/// says they are the same day.
pub fn same_happening(a: &Happening, b: &Happening) -> bool {
    fn agree<T: PartialEq>(a: Option<T>, b: Option<T>) -> bool {
        match (a, b) {
            (Some(x), Some(y)) => x == y,
            _ => true,
        }
    }
    let known = |s: Option<Subtype>| s.filter(|s| *s != Subtype::Unspecified);
    a.event_type == b.event_type
        && a.date.is_some()
        && a.date == b.date
        && a.date_precision == b.date_precision
        && gazetteer::distance_km(a.lat, a.lon, b.lat, b.lon) <= SAME_EVENT_KM
        && agree(a.actor, b.actor)
        && agree(known(a.subtype), known(b.subtype))
}

/// Sentences kept as evidence for one event: enough to read, bounded for
/// a very long article that repeats one story.
const MAX_EVIDENCE: usize = 20;

/// How far a province's event may lie from the settlement's it joins.
const REGION_KM: f64 = 50.0;

/// An event being merged: what it will be, what was seen of it, and
/// whether its actor is denied in the text ("l'armée a nié toute
/// implication"), so that the story's actor is not lent to it.
pub(crate) struct Merged {
    pub event: Event,
    pub signals: Signals,
    denied: bool,
    /// Its date as first told.
    when: When,
}

impl Merged {
    /// Take what `other`, the same event told elsewhere, adds.
    fn absorb(&mut self, other: Merged) {
        let (x, e) = (&mut self.event, other.event);
        x.actor = x.actor.take().or(e.actor);
        x.target = x.target.take().or(e.target);
        x.fatalities = x.fatalities.or(e.fatalities);
        x.injured = x.injured.or(e.injured);
        x.claimed_by = x.claimed_by.take().or(e.claimed_by);
        x.evidence_spans.extend(e.evidence_spans);
        x.evidence_spans.truncate(MAX_EVIDENCE);
        self.signals.join(&other.signals);
    }
}

impl Extractor {
    /// Merge drafts into events: the same type at the same place and date
    /// told in several sentences is one event.
    pub(crate) fn merge(&self, doc: &Document, drafts: Vec<Draft>) -> Vec<Merged> {
        let mut events = self.join_drafts(doc, drafts);
        lend_story_actors(&mut events);
        self.fold_regions(&mut events);
        self.fold_assault_clashes(&mut events);
        self.name_generic_groups(doc, &mut events);
        events
    }

    /// One event per type, place and date: drafts told in several
    /// sentences join. Headlines repeat the story: they are read after the
    /// body, so that they join the body's events.
    fn join_drafts(&self, doc: &Document, mut drafts: Vec<Draft>) -> Vec<Merged> {
        let (text, sentences, mentions) = (doc.text, &doc.sentences, &doc.mentions);
        let mut events: Vec<Merged> = Vec::new();
        drafts.sort_by_key(|d| sentences[d.sentence].headline);
        for d in drafts {
            let s = &sentences[d.sentence];
            let m = &mentions[d.mention];
            let p = self.gazetteer.place(m.place);
            let evidence = Evidence {
                text: text[s.bytes.clone()].to_string(),
                start: s.bytes.start,
                end: s.bytes.end,
            };
            let date = d.when.to_schema();
            // Neighbouring villages are distinct places; a headline's place
            // may be the region of the body's.
            let radius = if s.headline { 25.0 } else { 1.0 };
            let same = events.iter().position(|x| {
                let e = &x.event;
                e.event_type == d.event_type
                    && (e.place_id == p.id
                        || gazetteer::distance_km(e.lat, e.lon, m.lat, m.lon) < radius)
                    // (Fighting or shelling that goes on for days at one
                    // place is one event; bombings, killings and captures
                    // on two named days are two.)
                    && (x.when.may_be(d.when)
                        || matches!(e.event_type, EventType::Clash | EventType::Strike))
                    && (e.date == date || e.date.is_none() || date.is_none())
                    && compatible(self, &e.actor, &d.actor)
            });
            match same {
                Some(i) => add_draft(&mut events[i], d, evidence, date),
                None => events.push(self.new_event(doc, d, evidence, date)),
            }
        }
        events
    }

    /// The event a draft starts, at its place, with its evidence.
    fn new_event(
        &self,
        doc: &Document,
        d: Draft,
        evidence: Evidence,
        date: Option<String>,
    ) -> Merged {
        let m = &doc.mentions[d.mention];
        let p = self.gazetteer.place(m.place);
        Merged {
            event: Event {
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
                confidence: 0.0,
            },
            signals: d.signals,
            denied: d.disputed,
            when: d.when,
        }
    }

    /// An event placed only at its province in one sentence and at a
    /// settlement of that province in another is one event. (A city's event
    /// is not folded into one at its neighbourhood or base: measured on dev,
    /// the two are more often distinct events.)
    fn fold_regions(&self, events: &mut Vec<Merged>) {
        let mut i = 0;
        while i < events.len() {
            let e = &events[i].event;
            let into = (e.precision == Precision::Region)
                .then(|| {
                    events.iter().position(|x| {
                        let x = &x.event;
                        x.event_type == e.event_type
                            && x.precision != Precision::Region
                            && x.evidence_spans[0].start != e.evidence_spans[0].start
                            && gazetteer::distance_km(x.lat, x.lon, e.lat, e.lon) < REGION_KM
                            && (x.date == e.date || x.date.is_none() || e.date.is_none())
                            && compatible(self, &x.actor, &e.actor)
                    })
                })
                .flatten();
            match into {
                Some(j) => {
                    let e = events.remove(i);
                    let j = if j > i { j - 1 } else { j };
                    events[j].absorb(e);
                }
                None => i += 1,
            }
        }
    }

    /// One control change per assault: a clash at the same place by the
    /// same side is the fighting of that assault. (A clash whose fighters
    /// are unknown is folded only when told in the same sentence as the
    /// control change.)
    fn fold_assault_clashes(&self, events: &mut Vec<Merged>) {
        let changes: Vec<(String, f64, f64, Option<String>, usize)> = events
            .iter()
            .map(|x| &x.event)
            .filter(|e| e.event_type == EventType::ControlChange)
            .map(|e| {
                (
                    e.place_id.clone(),
                    e.lat,
                    e.lon,
                    e.actor.clone(),
                    e.evidence_spans[0].start,
                )
            })
            .collect();
        events.retain(|x| {
            let e = &x.event;
            e.event_type != EventType::Clash
                || !changes.iter().any(|(p, la, lo, a, sentence)| {
                    (*p == e.place_id || gazetteer::distance_km(*la, *lo, e.lat, e.lon) < 1.0)
                        && compatible(self, a, &e.actor)
                        && (e.actor.is_some()
                            || e.evidence_spans.iter().any(|x| x.start == *sentence))
                })
        });
    }

    /// Generic "jihadistes" are the jihadist group named last before
    /// their sentence, else the one the article names most; generic
    /// "rebelles" who act, in an article that names
    /// one opposition group at least twice and more than any other, are
    /// that group (measured: it helps on held-out articles too).
    fn name_generic_groups(&self, doc: &Document, events: &mut [Merged]) {
        let groups = |pick: fn(&crate::vocab::Actor) -> bool| -> Vec<&str> {
            self.vocabulary
                .actors
                .iter()
                .filter(|a| pick(a))
                .map(|a| a.name.as_str())
                .collect()
        };
        // The article's actor names are counted only when an event needs
        // them (one pass over the whole text).
        let generic = |x: &Merged, name: &str| {
            x.event.actor.as_deref() == Some(name) || x.event.target.as_deref() == Some(name)
        };
        if !events
            .iter()
            .any(|x| generic(x, "jihadists") || generic(x, "rebels"))
        {
            return;
        }
        let all_named = self.lexicon.actors.find_all(&doc.tokens);
        let jihadist_groups = groups(|a| a.jihadist);
        let jihadists = self.dominant_group(&all_named, &jihadist_groups);
        let rebels = self
            .dominant_group(&all_named, &groups(|a| a.opposition))
            .filter(|(_, n)| *n >= 2);
        // Every jihadist group named, by token, in text order.
        let named: Vec<(usize, &str)> = all_named
            .iter()
            .filter_map(|h| {
                jihadist_groups
                    .iter()
                    .find(|g| **g == h.value.actor)
                    .map(|g| (h.start, *g))
            })
            .collect();
        for e in events.iter_mut().map(|x| &mut x.event) {
            // "les jihadistes" are the jihadist group named last before
            // the sentence, as a reader takes them; else the article's.
            let at = doc
                .tokens
                .partition_point(|t| t.start < e.evidence_spans[0].start);
            let last_named = named
                .iter()
                .take_while(|(k, _)| *k < at)
                .last()
                .map(|(_, g)| g.to_string());
            let jihadist = last_named.or(jihadists.as_ref().map(|(g, _)| g.clone()));
            for who in [&mut e.actor, &mut e.target] {
                if who.as_deref() == Some("jihadists") {
                    if let Some(g) = &jihadist {
                        *who = Some(g.clone());
                    }
                }
            }
            if e.actor.as_deref() == Some("rebels") {
                if let Some((g, _)) = &rebels {
                    e.actor = Some(g.clone());
                }
            }
        }
    }
}

/// A sentence that names no actor continues the story: the actor of the
/// article's previous event of the same type nearby (bombers excepted, as
/// unclaimed bombings are common; denied events excepted).
fn lend_story_actors(events: &mut [Merged]) {
    let mut last: Vec<(EventType, String, f64, f64)> = Vec::new();
    for x in events.iter_mut() {
        let e = &mut x.event;
        match &e.actor {
            Some(a) => {
                last.retain(|(t, ..)| *t != e.event_type);
                last.push((e.event_type, a.clone(), e.lat, e.lon));
            }
            None if e.event_type != EventType::Explosion && !x.denied => {
                e.actor = last
                    .iter()
                    .find(|(t, _, la, lo)| {
                        *t == e.event_type && gazetteer::distance_km(*la, *lo, e.lat, e.lon) < 30.0
                    })
                    .map(|(_, a, ..)| a.clone());
            }
            None => {}
        }
    }
}

/// What a draft of the same event adds to it: fields it lacked, its
/// signals, one more evidence span.
fn add_draft(x: &mut Merged, d: Draft, evidence: Evidence, date: Option<String>) {
    x.denied &= d.disputed;
    x.signals.join(&d.signals);
    let e = &mut x.event;
    e.actor = e.actor.take().or(d.actor);
    e.target = e.target.take().or(d.target);
    e.fatalities = e.fatalities.or(d.fatalities);
    e.injured = e.injured.or(d.injured);
    e.claimed_by = e.claimed_by.take().or(d.claimed_by);
    if e.date.is_none() && date.is_some() {
        e.date = date;
        e.date_precision = d.when.precision;
        x.when = d.when;
    }
    // Drafts come in text order: a repeated sentence is the last one.
    if e.evidence_spans
        .last()
        .is_none_or(|x| x.start != evidence.start)
        && e.evidence_spans.len() < MAX_EVIDENCE
    {
        e.evidence_spans.push(evidence);
    }
}
