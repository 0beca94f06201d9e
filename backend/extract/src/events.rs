//! One sentence's events, in named phases over what the sentence holds
//! ([`Clause`]): its triggers, then its places (or the story's), its
//! casualties and actors; the story's actors are recorded; anaphora ("ce
//! village", "a repris des parties du village") and back-references
//! ("l'attaque", told before) are resolved; then one draft per type and
//! place, a capture preferred over fighting at the same place.

use crate::actors::{roles, strike_subtype, ActorHit};
use crate::confidence::Signals;
use crate::dates::{DateMention, When};
use crate::lexicon::{form, Marker, WordClass};
use crate::places::unnamed_object;
use crate::story::StoryActor;
use crate::token::Token;
use crate::triggers::{Found, MarkerHit};
use crate::vocab::{EventType, Subtype};
use crate::{Document, Extractor};
use std::ops::Range;

/// Fighting told in the same sentence as a capture within this distance is
/// the assault that took it.
const ASSAULT_KM: f64 = 10.0;

/// An event being built from one sentence.
pub(crate) struct Draft {
    pub event_type: EventType,
    pub subtype: Option<Subtype>,
    /// The place: an index into the document's mentions.
    pub mention: usize,
    pub when: When,
    pub actor: Option<String>,
    pub target: Option<String>,
    pub fatalities: Option<u64>,
    pub injured: Option<u64>,
    pub claimed_by: Option<String>,
    pub sentence: usize,
    /// What was seen of it, for its confidence.
    pub signals: Signals,
    /// Someone denies acting ("l'armée a nié toute implication"): the
    /// actor stays unknown rather than inherited from the story.
    pub disputed: bool,
}

/// What the story lends a sentence.
pub(crate) struct SentenceContext {
    pub si: usize,
    /// The sentence's place mentions (indices into the document's).
    pub in_sentence: Vec<usize>,
    /// The sentence's date, else the paragraph's, else publication.
    pub when: When,
    pub dates: Vec<DateMention>,
    pub claimed: Option<String>,
    /// The place the story is about.
    pub focus: Option<usize>,
    /// Whether an event was told before this sentence.
    pub told_before: bool,
    /// The last event's date, for a sentence with no date of its own.
    pub focus_when: Option<When>,
    /// The type of the last event told.
    pub told_type: Option<EventType>,
    /// The type of the strongest trigger of the last sentence that had
    /// one, placed or not ("Les frappes de la coalition ont fait leurs
    /// premières victimes.").
    pub last_trigger_type: Option<EventType>,
}

/// What the phases find in one sentence.
struct Clause<'x> {
    range: Range<usize>,
    markers: Vec<MarkerHit<'x>>,
    /// Every trigger, and the ones that announce an event.
    all: Vec<Found<'x>>,
    found: Vec<Found<'x>>,
    /// The places events can be at; the story's when the sentence names none.
    places: Vec<usize>,
    borrowed_place: bool,
    fatalities: Option<u64>,
    injured: Option<u64>,
    actors: Vec<ActorHit>,
    /// What the sentence's wording says of the drafts it makes.
    tone: Signals,
}

impl Clause<'_> {
    fn has(&self, m: Marker) -> bool {
        self.markers.iter().any(|(_, _, v)| v.contains(&m))
    }

    fn slice<'t>(&self, doc: &'t Document) -> &'t [Token] {
        &doc.tokens[self.range.clone()]
    }
}

/// How the sentence's places refer to the story's place.
struct Anaphora {
    /// "ce village ainsi que celui de …": a demonstrative place noun.
    demonstrative: bool,
    /// Triggers (by start token) whose own object is an unnamed place.
    object: Vec<usize>,
}

impl Extractor {
    /// The events sentence `ctx.si` reports, recording the actors it names
    /// for the story's later sentences and the type of its strongest
    /// trigger.
    pub(crate) fn sentence_events(
        &self,
        doc: &Document,
        ctx: &SentenceContext,
        story: &mut Vec<StoryActor>,
        trigger_type: &mut Option<EventType>,
    ) -> Vec<Draft> {
        let range = doc.sentences[ctx.si].tokens.clone();
        // Most sentences announce nothing: look for triggers first. A toll
        // of fighters at a named place tells fighting by itself.
        let mut all = self.find_triggers(doc, range.clone());
        if all.is_empty() {
            let named = !self
                .usable_places(doc, range.clone(), &ctx.in_sentence)
                .is_empty();
            match self.fighters_killed(doc, range.clone()).filter(|_| named) {
                Some(toll) => all.push(toll_of_story(
                    Found::toll(&self.lexicon.toll, toll),
                    ctx.last_trigger_type,
                )),
                None => return Vec::new(),
            }
        }
        let markers = self.find_markers(doc, range.clone());
        let mut c = Clause {
            range,
            markers,
            found: Vec::new(),
            all,
            places: Vec::new(),
            borrowed_place: false,
            fatalities: None,
            injured: None,
            actors: Vec::new(),
            tone: Signals::default(),
        };
        // Habitual actions ("bombardées quasi quotidiennement") are not one event.
        if c.has(Marker::Background) {
            return Vec::new();
        }
        c.found = self.keep_triggers(
            doc,
            c.range.clone(),
            &c.markers,
            !ctx.dates.is_empty(),
            &c.all,
        );
        self.restate_type(doc, ctx, &mut c);
        if let Some(f) = c.found.iter().max_by(|a, b| {
            a.trigger
                .weight
                .total_cmp(&b.trigger.weight)
                .then(b.start.cmp(&a.start))
        }) {
            *trigger_type = Some(f.event_type);
        }
        self.sentence_places(doc, ctx, &mut c);
        c.tone = self.tone(doc, ctx, &c);
        c.actors = self.actors(doc, c.range.clone(), &c.markers, &c.all, &ctx.in_sentence);
        self.record_story_actors(doc, ctx, &c, story);
        if c.places.is_empty() {
            return Vec::new();
        }
        let anaphora = self.anaphora(doc, &c);
        self.drop_back_references(doc, ctx, &mut c);
        if c.found.is_empty() {
            return Vec::new();
        }
        let mut drafts = self.drafts(doc, ctx, &c, &anaphora);
        // A successful assault is one control change: no clash at the
        // same place, or a neighbouring one, in the same sentence ("au
        // terme des combats, al-Nosra a repris des parties du village").
        let controlled: Vec<(f64, f64)> = drafts
            .iter()
            .filter(|d| d.event_type == EventType::ControlChange)
            .map(|d| (doc.mentions[d.mention].lat, doc.mentions[d.mention].lon))
            .collect();
        drafts.retain(|d| {
            let m = &doc.mentions[d.mention];
            !(d.event_type == EventType::Clash
                && controlled.iter().any(|&(lat, lon)| {
                    gazetteer::distance_km(lat, lon, m.lat, m.lon) <= ASSAULT_KM
                }))
        });
        drafts
    }

    /// The sentence's places, its casualties, and whether it continues the
    /// story's place: a sentence that names no place is about the last
    /// event's place when it is concrete (dated, with a toll, or with a
    /// definite event noun: "L'attaque a été entamée par …").
    fn sentence_places(&self, doc: &Document, ctx: &SentenceContext, c: &mut Clause) {
        let places = self.usable_places(doc, c.range.clone(), &ctx.in_sentence);
        let foreign_only = places.is_empty()
            && ctx
                .in_sentence
                .iter()
                .any(|&m| !self.gazetteer.place(doc.mentions[m].place).in_syria());
        (c.fatalities, c.injured) = self.casualties(doc, c.range.clone());
        let lex = &self.lexicon;
        let continuation = c.slice(doc).windows(2).any(|w| {
            lex.is(WordClass::Definite, w[0].form()) && lex.is(WordClass::EventNoun, &w[1].norm)
        });
        let concrete =
            !ctx.dates.is_empty() || c.fatalities.is_some() || c.injured.is_some() || continuation;
        c.borrowed_place = places.is_empty();
        let headline = doc.sentences[ctx.si].headline;
        c.places = match (places.is_empty(), ctx.focus) {
            (true, Some(f)) if concrete && !foreign_only && !headline => vec![f],
            _ => places,
        };
    }

    /// What the sentence's wording says of any event it tells: its tense
    /// and mood, quotes, negation, whether it is a headline and dated, and
    /// where it sits in the article.
    fn tone(&self, doc: &Document, ctx: &SentenceContext, c: &Clause) -> Signals {
        let slice = c.slice(doc);
        let s = &doc.sentences[ctx.si];
        fn w(t: &Token) -> &str {
            t.norm.as_str()
        }
        let imperfect = slice.iter().any(|t| {
            matches!(w(t), "avait" | "avaient" | "etait" | "etaient")
                || (w(t).len() > 6 && w(t).ends_with("aient"))
        });
        let conditional = slice.iter().any(|t| {
            let n = w(t);
            (n.len() > 5 && (n.ends_with("rait") || n.ends_with("raient")))
                || matches!(
                    n,
                    "pourrait" | "devrait" | "pourraient" | "devraient" | "risque"
                )
        });
        let negated = slice.windows(3).any(|x| {
            matches!(w(&x[0]), "ne" | "n")
                && x[1..].iter().any(|t| {
                    matches!(
                        w(t),
                        "pas" | "jamais" | "aucun" | "aucune" | "rien" | "plus"
                    )
                })
        });
        let body = &doc.text[s.bytes.clone()];
        Signals {
            headline: s.headline,
            dated: !ctx.dates.is_empty(),
            imperfect,
            conditional,
            quoted: body.contains(['«', '"', '“']),
            negated,
            position: ctx.si as f64 / doc.sentences.len().max(1) as f64,
            ..Signals::default()
        }
    }

    /// Who acted, even where no place is named: the story's later
    /// sentences inherit it; "l'EI a revendiqué les attentats" names the
    /// bombers.
    fn record_story_actors(
        &self,
        doc: &Document,
        ctx: &SentenceContext,
        c: &Clause,
        story: &mut Vec<StoryActor>,
    ) {
        for ty in EventType::ALL {
            let strongest = c
                .found
                .iter()
                .enumerate()
                .filter(|(_, f)| f.event_type == ty)
                .max_by(|a, b| a.1.trigger.weight.total_cmp(&b.1.trigger.weight))
                .map(|(i, _)| i);
            if let Some((Some(a), _)) = strongest.map(|fi| roles(self, &c.actors, &c.found, fi, ty))
            {
                story.push(StoryActor {
                    event_type: ty,
                    actor: a,
                    sentence: ctx.si,
                    claim: false,
                });
            }
        }
        if let Some(claimer) = self.bombing_claimer(doc, c) {
            story.push(StoryActor {
                event_type: EventType::Explosion,
                actor: claimer,
                sentence: ctx.si,
                claim: true,
            });
        }
    }

    /// "L'EI a revendiqué les attentats", "revendiqué par l'EI": who claims
    /// a bombing.
    fn bombing_claimer(&self, doc: &Document, c: &Clause) -> Option<String> {
        let tokens = &doc.tokens;
        let k = c
            .slice(doc)
            .iter()
            .position(|t| t.norm.starts_with("revendiqu"))?;
        let at = c.range.start + k;
        let claimer = c
            .actors
            .iter()
            .filter(|a| {
                !a.target
                    && ((a.end <= at && at - a.end <= 3)
                        || (a.agent && a.start > at && a.start - at <= 4))
            })
            .max_by_key(|a| a.rank)?;
        // What was claimed: the trigger right after the verb ("a
        // revendiqué les attaques" after bombings claims the bombings).
        let claimed = c.all.iter().find(|f| f.start > at && f.start - at <= 5)?;
        let bombing = match claimed.event_type {
            EventType::Explosion => true,
            EventType::Clash => c
                .all
                .iter()
                .any(|f| f.start > at && tokens[f.start].norm.starts_with("attaque")),
            _ => false,
        };
        bombing.then(|| claimer.actor.clone())
    }

    /// Places the sentence names only by reference to the story's.
    fn anaphora(&self, doc: &Document, c: &Clause) -> Anaphora {
        let lex = &self.lexicon;
        let tokens = &doc.tokens;
        let demonstrative = c.slice(doc).windows(2).any(|w| {
            lex.is(WordClass::Demonstrative, &w[0].norm) && lex.is(WordClass::PlaceNoun, &w[1].norm)
        });
        // "se sont emparés de la cité antique", "a repris des parties du
        // village", "la majeure partie de la ville": a place noun with no
        // name after it, as the trigger's object.
        let object = c
            .found
            .iter()
            .filter(|f| {
                let mut k = f.end;
                while k < c.range.end
                    && k < f.end + 7
                    && lex.is(WordClass::ObjectFiller, form(&tokens[k]))
                {
                    k += 1;
                }
                k < c.range.end
                    && lex.is(WordClass::PlaceNoun, &tokens[k].norm)
                    && !tokens
                        .get(k + 1)
                        .is_some_and(|t| matches!(form(t), "de" | "du"))
                    // Not the head of a name itself ("l'aéroport d'Alep").
                    && !c.places.iter().any(|&m| {
                        let at = doc.token_of(m);
                        let m = &doc.mentions[m].mention;
                        at == k
                            || at == k + 1
                            || (m.start <= tokens[k].start && tokens[k].start < m.end)
                    })
            })
            .map(|f| f.start)
            .collect();
        Anaphora {
            demonstrative,
            object,
        }
    }

    /// "Les attaques ont visé …" after a bombing was told: a definite
    /// generic attack noun restates the story's bombing, strike or killing
    /// and takes its type (it is no fighting).
    fn restate_type(&self, doc: &Document, ctx: &SentenceContext, c: &mut Clause) {
        let Some(told) = ctx.told_type.filter(|t| {
            matches!(
                t,
                EventType::Explosion | EventType::Strike | EventType::CivilianTargeting
            )
        }) else {
            return;
        };
        let (lex, tokens) = (&self.lexicon, &doc.tokens);
        for f in c.found.iter_mut() {
            let definite =
                f.start > c.range.start && lex.is(WordClass::Definite, tokens[f.start - 1].form());
            if f.event_type == EventType::Clash
                && definite
                && lex.is(WordClass::GenericAttack, &tokens[f.start].norm)
            {
                f.event_type = told;
            }
        }
    }

    /// An event noun after a demonstrative ("ces frappes", "cette
    /// attaque"), or a singular definite one with no place of its own or
    /// after a preposition ("en représailles à l'attaque"), refers back to
    /// an event told before: it is no new event.
    fn drop_back_references(&self, doc: &Document, ctx: &SentenceContext, c: &mut Clause) {
        if !ctx.told_before {
            return;
        }
        let lex = &self.lexicon;
        let tokens = &doc.tokens;
        let start = c.range.start;
        let borrowed = c.borrowed_place;
        // "Ces frappes ont tué …", "cette attaque": told before, whatever
        // place the sentence names.
        let demonstrative = |f: &Found| {
            f.start > start
                && matches!(tokens[f.start - 1].form(), "ce" | "cet" | "cette" | "ces")
                && lex.is(WordClass::EventNoun, &tokens[f.start].norm)
        };
        c.found.retain(|f| !demonstrative(f));
        c.found.retain(|f| {
            let head = tokens[f.start].norm.as_str();
            let singular = |w: &str| !w.ends_with('s');
            let definite = f.start > start && {
                let d = tokens[f.start - 1].form();
                lex.is(WordClass::Definite, d) && singular(d)
            };
            let event_noun = lex.is(WordClass::EventNoun, head) && singular(head);
            let after_preposition = f.start > start + 1
                && lex.is(WordClass::ReferencePreposition, tokens[f.start - 2].form());
            !(definite && event_noun && (borrowed || after_preposition))
        });
    }

    /// Each trigger gives events at its places; a type's strongest trigger
    /// gives the subtype and the roles.
    fn drafts(
        &self,
        doc: &Document,
        ctx: &SentenceContext,
        c: &Clause,
        anaphora: &Anaphora,
    ) -> Vec<Draft> {
        let mut drafts: Vec<Draft> = Vec::new();
        for ty in EventType::ALL {
            let mut of_type: Vec<&Found> = c.found.iter().filter(|f| f.event_type == ty).collect();
            if of_type.is_empty() {
                continue;
            }
            of_type.sort_by(|a, b| {
                b.trigger
                    .weight
                    .total_cmp(&a.trigger.weight)
                    .then(a.start.cmp(&b.start))
            });
            let reading = self.type_reading(c, ty, &of_type);
            // A later trigger of the same type with no place after it
            // ("pris le contrôle du passage …, avant d'être délogés") is about
            // the first trigger's places.
            let mut first_targets: Option<Vec<usize>> = None;
            let mut by_position: Vec<&&Found> = of_type.iter().collect();
            by_position.sort_by_key(|f| f.start);
            for f in by_position {
                let Some(targets) = self.trigger_places(doc, c, f, &first_targets) else {
                    continue;
                };
                if first_targets.is_none() && !targets.is_empty() {
                    first_targets = Some(targets.clone());
                }
                let named = targets.clone();
                let targets = self.resolve_anaphora(doc, ctx, c, anaphora, f, targets);
                let when = self.trigger_when(doc, ctx, c, f);
                // Each trigger's own roles: two verbs of one type in one
                // sentence may have two subjects ("X a pris A, tandis que Y
                // prenait B").
                let own = self.own_reading(c, f, &reading);
                for m in targets {
                    let event_type = reading.event_type;
                    if drafts
                        .iter()
                        .any(|d| d.event_type == event_type && d.mention == m)
                    {
                        continue;
                    }
                    let mut draft = draft(doc, ctx, c, f, &own, (m, when));
                    draft.signals.anaphor = !named.contains(&m);
                    drafts.push(draft);
                }
            }
        }
        drafts
    }

    /// What the triggers of type `ty` (strongest first) say of their
    /// events: the type (a repelled capture is fighting), the subtype and
    /// the roles.
    fn type_reading(&self, c: &Clause, ty: EventType, of_type: &[&Found]) -> TypeReading {
        let event_type = if ty == EventType::ControlChange && c.has(Marker::Repelled) {
            EventType::Clash
        } else {
            ty
        };
        let subtype = match ty {
            EventType::Strike => Some(strike_subtype(self, of_type, &c.actors)),
            EventType::Explosion => Some(
                of_type
                    .iter()
                    .filter_map(|f| f.trigger.subtype)
                    .find(|s| *s != Subtype::Unspecified)
                    .unwrap_or(Subtype::Unspecified),
            ),
            _ => None,
        };
        let strongest = c
            .found
            .iter()
            .position(|x| std::ptr::eq(x, of_type[0]))
            .unwrap_or(0);
        let (actor, target) = roles(self, &c.actors, &c.found, strongest, event_type);
        let mut types: Vec<EventType> = c
            .found
            .iter()
            .map(|x| x.event_type)
            .filter(|t| *t != ty)
            .collect();
        types.sort();
        types.dedup();
        TypeReading {
            event_type,
            subtype,
            actor,
            target,
            other_types: types.len(),
        }
    }

    /// The reading of trigger `f` itself: its type's, with the actor and
    /// target its own words give, else the type's.
    fn own_reading(&self, c: &Clause, f: &Found, reading: &TypeReading) -> TypeReading {
        let fi = c.found.iter().position(|x| std::ptr::eq(x, f)).unwrap_or(0);
        let (actor, target) = roles(self, &c.actors, &c.found, fi, reading.event_type);
        // A trigger whose words name no one ("tandis que des obus
        // tombaient sur Y") keeps what the sentence says of its type.
        let (actor, target) = match actor {
            Some(a) => (Some(a), target),
            None => (reading.actor.clone(), target.or(reading.target.clone())),
        };
        TypeReading {
            event_type: reading.event_type,
            subtype: reading.subtype,
            actor,
            target,
            other_types: reading.other_types,
        }
    }

    /// The places trigger `f` is about; `None` when it must wait for the
    /// next sentence to name them ("ont repris deux localités").
    fn trigger_places(
        &self,
        doc: &Document,
        c: &Clause,
        f: &Found,
        first_targets: &Option<Vec<usize>>,
    ) -> Option<Vec<usize>> {
        let unnamed = f.event_type == EventType::ControlChange
            && unnamed_object(&self.lexicon, doc, f, &c.places);
        if unnamed && c.borrowed_place {
            return None;
        }
        Some(if c.borrowed_place {
            c.places.clone()
        } else if unnamed {
            // "prenant des dizaines de localités": the areas named.
            let areas: Vec<usize> = c
                .places
                .iter()
                .copied()
                .filter(|&m| self.gazetteer.place(doc.mentions[m].place).kind.is_area())
                .collect();
            if areas.is_empty() {
                self.places_for(doc, f, &c.places)
            } else {
                areas
            }
        } else {
            let has_after = c.places.iter().any(|&m| doc.token_of(m) >= f.end);
            match first_targets {
                Some(t) if !has_after => t.clone(),
                _ => self.places_for(doc, f, &c.places),
            }
        })
    }

    /// A trigger whose object is an unnamed place is about the story's
    /// place; so are the places of a sentence with a demonstrative.
    fn resolve_anaphora(
        &self,
        doc: &Document,
        ctx: &SentenceContext,
        c: &Clause,
        anaphora: &Anaphora,
        f: &Found,
        mut targets: Vec<usize>,
    ) -> Vec<usize> {
        if anaphora.object.contains(&f.start) {
            if let Some(fo) = ctx.focus.filter(|_| !c.borrowed_place) {
                targets = vec![fo];
            }
        }
        let refers = anaphora.demonstrative || !anaphora.object.is_empty();
        if let Some(fo) = ctx
            .focus
            .filter(|fo| refers && !c.borrowed_place && !targets.contains(fo))
        {
            // Places named only as references ("située au sud-est de
            // Homs") give way to the place the demonstrative means.
            targets.retain(|&m| doc.mentions[m].mention.relative.is_none());
            targets.insert(0, fo);
        }
        targets
    }

    /// The date of trigger `f`: the date nearest it when the sentence has
    /// several; a sentence that continues the story keeps the story's date.
    fn trigger_when(&self, doc: &Document, ctx: &SentenceContext, c: &Clause, f: &Found) -> When {
        let when = match ctx.focus_when {
            Some(w) if c.borrowed_place => w,
            _ => ctx.when,
        };
        let tokens = &doc.tokens;
        ctx.dates
            .iter()
            .filter(|d| !d.year_only)
            .filter(|d| {
                d.at < f.end
                    || !tokens[f.end..d.at]
                        .iter()
                        .any(|t| self.lexicon.is(WordClass::Since, &t.norm))
            })
            .min_by_key(|d| (d.at as i64 - f.start as i64).abs())
            .map(|d| d.when)
            .unwrap_or(when)
    }
}

/// What the triggers of one type in a clause say of their events.
struct TypeReading {
    event_type: EventType,
    subtype: Option<Subtype>,
    actor: Option<String>,
    target: Option<String>,
    /// How many other types the clause's triggers have.
    other_types: usize,
}

/// A toll with no event word ("quinze combattants ont été tués près de
/// X") counts the dead of the attack the article is telling: after strikes
/// or a bombing it is theirs, not fighting of its own.
fn toll_of_story(mut toll: Found, told: Option<EventType>) -> Found {
    if let Some(t @ (EventType::Strike | EventType::Explosion)) = told {
        toll.event_type = t;
    }
    toll
}

/// The event trigger `f` announces at place `m` on `when` (whether the
/// place was named or inferred is set by the caller).
fn draft(
    doc: &Document,
    ctx: &SentenceContext,
    c: &Clause,
    f: &Found,
    reading: &TypeReading,
    (m, when): (usize, When),
) -> Draft {
    let (noun, passive) = Signals::from_voice(f.voice);
    Draft {
        event_type: reading.event_type,
        subtype: reading.subtype,
        mention: m,
        when,
        actor: reading.actor.clone(),
        target: reading.target.clone(),
        fatalities: c.fatalities,
        injured: c.injured,
        claimed_by: ctx.claimed.clone(),
        sentence: ctx.si,
        signals: Signals {
            weight: f.trigger.weight,
            place_score: doc.mentions[m].score,
            noun,
            passive,
            borrowed_place: c.borrowed_place,
            anaphor: false,
            distance: doc.token_of(m).abs_diff(f.start),
            other_types: reading.other_types,
            claimed: ctx.claimed.is_some(),
            ..c.tone
        },
        disputed: c.has(Marker::Denial),
    }
}
