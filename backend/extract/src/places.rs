//! Which places an event happened at, and the toponyms of an article.

use crate::lexicon::Voice;
use crate::lexicon::{form, Lexicon, WordClass};
use crate::sentences::is_dateline;
use crate::triggers::Found;
use crate::{Document, Extractor, Toponym};
use gazetteer::normalize::tokenize;
use gazetteer::{Gazetteer, Kind, Resolved};
use std::ops::Range;

impl Extractor {
    /// Places of a sentence an event can be at: Syrian, not the country
    /// itself, not a bare distance, not a capital standing for its
    /// government, not excluded, not a mere locator of another place, not
    /// where a source is, a road ends or an attack came from, not a
    /// dateline.
    pub(crate) fn usable_places(
        &self,
        doc: &Document,
        range: Range<usize>,
        in_sentence: &[usize],
    ) -> Vec<usize> {
        let places: Vec<usize> = in_sentence
            .iter()
            .copied()
            .filter(|&m| {
                self.syrian_point(doc, m)
                    && !self.capital_as_government(doc, &range, m)
                    && !self.excluded(doc, &range, m)
            })
            .collect();
        drop_locators(doc, places)
            .into_iter()
            .filter(|&m| {
                !self.source_road_or_origin(doc, &range, m)
                    // "Damas, 1er mars 2012 —": the dateline says where the
                    // news was written, not where it happened.
                    && !is_dateline(doc.text, &doc.mentions[m].mention)
            })
            .collect()
    }

    /// Syrian, not the country itself, and not a bare distance from
    /// somewhere ("à 120 km de Homs").
    fn syrian_point(&self, doc: &Document, m: usize) -> bool {
        let mention = &doc.mentions[m];
        let p = self.gazetteer.place(mention.place);
        let vague = mention
            .mention
            .relative
            .as_ref()
            .is_some_and(|r| r.bearing.is_none() && r.distance_km.is_some_and(|d| d > 25.0));
        p.in_syria() && p.kind != Kind::Country && !vague
    }

    /// "Damas a repris …", "Washington avait revendiqué …": a capital as the
    /// subject of a verb is a government, not a place.
    fn capital_as_government(&self, doc: &Document, range: &Range<usize>, m: usize) -> bool {
        let (tokens, lex) = (&doc.tokens, &self.lexicon);
        let (start, end) = (doc.token_of(m), doc.token_after(m));
        let is_actor = lex
            .actors
            .at(tokens, start)
            .is_some_and(|h| h.value.rank == 1);
        let located = start > range.start && lex.is(WordClass::Locative, form(&tokens[start - 1]));
        is_actor && lex.subject_verb_follows(tokens, end) && !located
    }

    /// "à l'exception du quartier d'al-Waer", "sauf Idleb": excluded places.
    fn excluded(&self, doc: &Document, range: &Range<usize>, m: usize) -> bool {
        let start = doc.token_of(m);
        doc.tokens[start.saturating_sub(5).max(range.start)..start]
            .iter()
            .any(|t| self.lexicon.is(WordClass::Exclusion, &t.norm))
    }

    /// "selon une source militaire à Deraa": where the source is; "sur
    /// l'autoroute entre Qamichli et Manbij": a road's ends; "tirés depuis
    /// Idleb", "en provenance de Turquie": where it came from. None is where
    /// it happened.
    fn source_road_or_origin(&self, doc: &Document, range: &Range<usize>, m: usize) -> bool {
        let (tokens, lex) = (&doc.tokens, &self.lexicon);
        let at = doc.token_of(m);
        let from = |back: usize| at.saturating_sub(back).max(range.start);
        let source = tokens[from(4)..at]
            .iter()
            .any(|t| lex.is(WordClass::SourceNoun, &t.norm));
        let road = tokens[from(8)..at]
            .iter()
            .position(|t| t.norm == "entre")
            .is_some_and(|k| {
                let entre = from(8) + k;
                tokens[entre.saturating_sub(3).max(range.start)..entre]
                    .iter()
                    .any(|t| lex.is(WordClass::RoadNoun, &t.norm))
            });
        let origin = tokens[from(3)..at].iter().enumerate().any(|(k, t)| {
            // ("depuis mardi": a date, not a place, follows)
            lex.is(WordClass::Origin, &t.norm)
                && tokens[from(3) + k + 1..at].iter().all(|t| {
                    lex.is(WordClass::Determiner, t.form())
                        || matches!(t.form(), "a" | "au" | "aux" | "de")
                })
        });
        source || road || origin
    }

    /// The places a trigger is about: the nearest Syrian place after it in
    /// the clause (before it for passives), a settlement rather than the
    /// province it lies in, and the places listed with it.
    pub(crate) fn places_for(&self, doc: &Document, f: &Found, places: &[usize]) -> Vec<usize> {
        const WINDOW: usize = 14;
        let tok_of = |m: usize| doc.token_of(m);
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
        let near_after = self.nearest(doc, &after, &|m| tok_of(m) - f.end <= WINDOW);
        let near_before = self.nearest(doc, &before, &|m| f.start - tok_of(m) <= 2 * WINDOW);
        let (head, backwards) = match f.voice {
            Voice::Passive => match near_before {
                Some(m) => (Some(m), true),
                None => (near_after, false),
            },
            _ => match near_after {
                Some(m) => (Some(m), false),
                None => (near_before, true),
            },
        };
        match head.or_else(|| after.first().copied()) {
            Some(head) => self.with_listed(doc, places, head, backwards),
            None => Vec::new(),
        }
    }

    /// The nearest place of `list` (in order of distance) that is `near`,
    /// unless it is a province and a settlement in it follows within a few
    /// words ("des localités de la province de Homs, notamment Rastane";
    /// "Kafr Zita, au nord de la province de Hama").
    fn nearest(
        &self,
        doc: &Document,
        list: &[usize],
        near: &dyn Fn(usize) -> bool,
    ) -> Option<usize> {
        let mentions = &doc.mentions;
        let is_area = |m: usize| self.gazetteer.place(mentions[m].place).kind.is_area();
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
                    && doc.token_of(next).abs_diff(doc.token_of(first)) <= 10
                    && inside(first, next) =>
            {
                Some(next)
            }
            _ => Some(first),
        }
    }

    /// `head` and the places listed with it: "Nawa, Jassem et Inkhil"; a
    /// comma alone is an apposition unless an "et" closes the list.
    fn with_listed(
        &self,
        doc: &Document,
        places: &[usize],
        head: usize,
        backwards: bool,
    ) -> Vec<usize> {
        let (text, mentions) = (doc.text, &doc.mentions);
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
            if !is_list_gap(&self.lexicon, gap) {
                break;
            }
            out.push(m);
            last = m;
            if gap
                .split_whitespace()
                .any(|w| self.lexicon.is(WordClass::ListCloser, w))
            {
                closed = out.len();
            }
        }
        out.truncate(closed);
        out
    }

    /// The article's places (schema `toponyms`), one per place in order of
    /// first mention, each with every span naming it; a bare capital counts
    /// as its province when the article also names the province.
    pub(crate) fn toponyms(&self, mentions: &[Resolved]) -> Vec<Toponym> {
        use rustc_hash::{FxHashMap, FxHashSet};
        // A capital named bare in an article that also names its province
        // ("la province d'Idleb … Idleb") means the province, unless a cue
        // says the city ("la ville d'Idleb", or a name that includes it).
        let mut governorates: Vec<gazetteer::PlaceId> = Vec::new();
        let mut city_cued: FxHashSet<gazetteer::PlaceId> = FxHashSet::default();
        for m in mentions {
            if self.gazetteer.place(m.place).kind == Kind::Governorate
                && !governorates.contains(&m.place)
            {
                governorates.push(m.place);
            }
            if m.mention
                .cue
                .iter()
                .any(|k| matches!(k, Kind::City | Kind::Town))
                || gazetteer::normalize::fold(&m.mention.surface).starts_with("ville ")
            {
                city_cued.insert(m.place);
            }
        }
        let province_of = |id: gazetteer::PlaceId| {
            let p = self.gazetteer.place(id);
            if p.kind != Kind::City || city_cued.contains(&id) {
                return id;
            }
            governorates
                .iter()
                .copied()
                .find(|&g| {
                    let g = self.gazetteer.place(g);
                    gazetteer::distance_km(g.lat, g.lon, p.lat, p.lon) < 1.0
                })
                .unwrap_or(id)
        };
        let mut out: Vec<Toponym> = Vec::new();
        let mut index: FxHashMap<gazetteer::PlaceId, usize> = FxHashMap::default();
        for m in mentions {
            let id = province_of(m.place);
            let span = (m.mention.start, m.mention.end);
            if let Some(&i) = index.get(&id) {
                out[i].mentions.push(span);
                continue;
            }
            let p = self.gazetteer.place(id);
            index.insert(id, out.len());
            out.push(Toponym {
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
                mentions: vec![span],
            });
        }
        out
    }
}

/// A control trigger whose object is unnamed places: "prenant des dizaines
/// de localités", "reprenant plusieurs villages".
pub(crate) fn unnamed_object(lex: &Lexicon, doc: &Document, f: &Found, places: &[usize]) -> bool {
    let tokens = &doc.tokens;
    let window = &tokens[f.end..tokens.len().min(f.end + 5)];
    let plural = window
        .iter()
        .any(|t| lex.is(WordClass::PlaceNounPlural, &t.norm));
    let named_soon = places.iter().any(|&m| {
        let start = doc.token_of(m);
        start >= f.end && start < f.end + 5
    });
    plural && !named_soon
}

/// Text between two listed places: commas, "et", "ainsi que", "de", cue words.
/// "al-Kiswa, à 13 km au sud de Damas": Damas only locates al-Kiswa.
fn drop_locators(doc: &Document, places: Vec<usize>) -> Vec<usize> {
    let (text, mentions) = (doc.text, &doc.mentions);
    places
        .iter()
        .copied()
        .filter(|&m| {
            let Some(r) = &mentions[m].mention.relative else {
                return true;
            };
            !places.iter().any(|&x| {
                x != m && mentions[x].mention.end <= r.start && {
                    let gap = &text[mentions[x].mention.end..r.start];
                    gap.len() < 40 && gap.trim_start().starts_with(',') && !gap.contains(['.', ';'])
                }
            })
        })
        .collect()
}

pub(crate) fn is_list_gap(lex: &Lexicon, gap: &str) -> bool {
    let words: Vec<String> = tokenize(gap)
        .into_iter()
        .map(|t| t.norm.to_string())
        .collect();
    if words.len() > 10 || gap.contains(['.', ';', ':', '(', '«', '"']) {
        return false;
    }
    let joined = gap.contains(',') || words.iter().any(|w| w == "et" || w == "ainsi");
    joined && words.iter().all(|w| lex.is(WordClass::ListWord, w))
}

/// The Syrian place an article names most so far (a settlement before an
/// area), the subject of sentences that name none; counted as the text is
/// read, so that a long article costs one pass.
#[derive(Default)]
pub(crate) struct MainPlace {
    counts: std::collections::HashMap<gazetteer::PlaceId, usize>,
    /// (count, is a settlement, mention index)
    best: Option<(usize, bool, usize)>,
    read: usize,
}

impl MainPlace {
    /// Count the mentions up to `seen.len()`.
    pub(crate) fn advance(&mut self, gazetteer: &Gazetteer, seen: &[Resolved]) {
        for (i, m) in seen.iter().enumerate().skip(self.read) {
            let p = gazetteer.place(m.place);
            if !p.in_syria() || p.kind == Kind::Country {
                continue;
            }
            let count = self.counts.entry(m.place).or_default();
            *count += 1;
            let key = (*count, !p.kind.is_area());
            if self.best.is_none_or(|(c, s, _)| key > (c, s)) {
                self.best = Some((key.0, key.1, i));
            }
        }
        self.read = self.read.max(seen.len());
    }

    pub(crate) fn best(&self) -> Option<usize> {
        self.best.map(|(_, _, i)| i)
    }
}
