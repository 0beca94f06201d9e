//! Who acted and who was hit: actor mentions, their roles for a trigger,
//! and the sides of the war.

use crate::casualties::number_at;
use crate::lexicon::{form, ActorAlias, Hit, Marker, Voice, WordClass};
use crate::sentences::text_between_has_punctuation;
use crate::token::Token;
use crate::triggers::{Found, MarkerHit};
use crate::vocab::{EventType, Subtype};
use crate::{Document, Extractor};
use std::ops::Range;

/// An actor named in a sentence and the role its context gives it.
pub(crate) struct ActorHit {
    pub start: usize,
    pub end: usize,
    pub actor: String,
    pub rank: u8,
    /// An explicit agent marker before it ("par", "menée par").
    pub agent: bool,
    /// Where that marker starts.
    pub agent_at: Option<usize>,
    /// "aux mains de", "sous le contrôle de": who holds a place.
    pub holder: bool,
    /// An explicit target marker before it ("contre", "rangs de").
    pub target: bool,
    /// Neither side's actor here: a supporter, a speaker, a denier.
    pub aside: bool,
    /// The trigger it belongs to, by start token and type: the noun it
    /// complements ("raids de l'aviation russe"), the verb before its "par".
    pub owner: Option<(usize, EventType)>,
    /// Rank 0 for a capital named as a place ("Washington", "Damas").
    pub metonym: bool,
    /// The token where its clause ends: it is the subject of no verb
    /// after that.
    pub reach: usize,
}

/// An actor alias found in a sentence: token range (from the sentence's
/// start) and what it names.
type Named = (usize, usize, ActorAlias);

impl Extractor {
    /// The actors named in the sentence `range`, with their roles.
    pub(crate) fn actors(
        &self,
        doc: &Document,
        range: Range<usize>,
        markers: &[MarkerHit],
        found: &[Found],
        in_sentence: &[usize],
    ) -> Vec<ActorHit> {
        let named = self.named_actors(&doc.tokens[range.clone()]);
        let mut out = Vec::new();
        for (k, (h_start, h_end, value)) in named.iter().enumerate() {
            let (start, end) = (h_start + range.start, h_end + range.start);
            let Some(metonym) = self.acts_here(doc, range.clone(), start, end, value, in_sentence)
            else {
                continue;
            };
            // "la coalition dirigée par Washington": the leader of a group
            // named just before is not a side of the event.
            let led = k > 0 && {
                let (_, prev_end, _) = &named[k - 1];
                let verb = start.saturating_sub(3).max(range.start);
                start - (prev_end + range.start) <= 5
                    && doc.tokens[verb..start].iter().any(|t| {
                        ["dirige", "emmene", "conduit", "commande"]
                            .iter()
                            .any(|p| t.norm.starts_with(p))
                    })
            };
            let mut hit = self.actor_role(doc, range.clone(), markers, found, start, end, value);
            hit.rank = if metonym { 0 } else { value.rank };
            hit.metonym = metonym;
            hit.aside |= led;
            hit.reach = self.subject_reach(doc, range.clone(), markers, start, end);
            out.push(hit);
        }
        out
    }

    /// The actor aliases of a sentence, in order, with "des avions de combat
    /// turcs", "la marine américaine": a nationality adjective after a
    /// military noun names that state's forces.
    fn named_actors(&self, slice: &[Token]) -> Vec<Named> {
        let lex = &self.lexicon;
        let mut hits: Vec<Named> = lex
            .actors
            .find_all(slice)
            .into_iter()
            .map(|h| (h.start, h.end, h.value.clone()))
            .collect();
        for (k, t) in slice.iter().enumerate() {
            let Some(actor) = lex.nationalities.get(t.norm.as_str()) else {
                continue;
            };
            // ("des soldats et des rebelles": two actors, not one.)
            // ("une attaque de jihadistes": a noun after "de" is no adjective.)
            let complement = k > 0 && matches!(slice[k - 1].form(), "de" | "du" | "des");
            let military = (k.saturating_sub(3)..k).filter(|_| !complement).find(|&j| {
                lex.military_nouns.contains(slice[j].norm.as_str())
                    && slice[j + 1..k].iter().all(|t| {
                        !matches!(
                            t.form(),
                            "et" | "ou" | "le" | "la" | "les" | "un" | "une" | "des" | "contre"
                        )
                    })
            });
            // A name that includes the adjective stands ("armée syrienne
            // libre"); the words' own readings do not ("soldats" alone is
            // the regime's, "russes" alone a rank-1 mention).
            let in_a_name = hits.iter().any(|(s, e, _)| *s <= k && k < *e && e - s > 1);
            if let (Some(start), false) = (military, in_a_name) {
                hits.retain(|(s, e, _)| !(start <= *s && *e <= k + 1));
                hits.push((
                    start,
                    k + 1,
                    ActorAlias {
                        actor: actor.clone(),
                        rank: 3,
                    },
                ));
            }
        }
        hits.sort_by_key(|(s, _, _)| *s);
        hits
    }

    /// Whether the alias at tokens `start..end` names an actor here, not a
    /// place or an adjective; `Some(true)` for a capital standing for its
    /// government ("Damas a repris").
    fn acts_here(
        &self,
        doc: &Document,
        range: Range<usize>,
        start: usize,
        end: usize,
        value: &ActorAlias,
        in_sentence: &[usize],
    ) -> Option<bool> {
        let (tokens, mentions) = (&doc.tokens[..], &doc.mentions);
        let lex = &self.lexicon;
        // A capital named as a place is not an actor ("à Damas").
        let is_place = in_sentence.iter().any(|&m| {
            let b = tokens[start].start;
            mentions[m].mention.start <= b && b < mentions[m].mention.end
        });
        let metonym = is_place && value.rank == 1;
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
            return None;
        }
        // "le secteur rebelle", "un bastion jihadiste": an adjective.
        if value.rank == 1
            && start > range.start
            && lex.is(WordClass::AdjectiveHead, &tokens[start - 1].norm)
        {
            return None;
        }
        // "frontalière de la Turquie", "en Russie": a country as a place.
        let mut k = start;
        while k > range.start && matches!(form(&tokens[k - 1]), "le" | "la" | "les") {
            k -= 1;
        }
        if is_place && k > range.start && lex.is(WordClass::Locative, form(&tokens[k - 1])) {
            return None;
        }
        // A capital acts only as the subject of a verb: "Damas a repris".
        if metonym && !lex.subject_verb_follows(tokens, end) {
            return None;
        }
        Some(metonym)
    }

    /// The role its context gives the actor named at tokens `start..end`.
    #[allow(clippy::too_many_arguments)]
    fn actor_role(
        &self,
        doc: &Document,
        range: Range<usize>,
        markers: &[MarkerHit],
        found: &[Found],
        start: usize,
        end: usize,
        value: &ActorAlias,
    ) -> ActorHit {
        let tokens = &doc.tokens[..];
        let lex = &self.lexicon;
        let before = &tokens[start.saturating_sub(3)..start];
        let word_before = |class: WordClass| before.iter().any(|t| lex.is(class, &t.norm));
        let prev = |k: usize| (start >= k).then(|| form(&tokens[start - k]));
        let agent_at = markers
            .iter()
            .rev()
            .find(|&&(_, me, v)| v.contains(&Marker::Agent) && me <= start && start - me <= 5)
            .map(|&(ms, _, _)| ms);
        let mut agent = marker_before(tokens, markers, start, Marker::Agent);
        // "les combattants opposés au régime": the other side; "les rangs
        // de l'EI": hit.
        let target = marker_before(tokens, markers, start, Marker::Target)
            || self.counted_dead(doc, range.clone(), start, end)
            || word_before(WordClass::Opposed)
            || (prev(2).is_some_and(|w| lex.is(WordClass::TargetHead, w))
                && matches!(prev(1), Some("de" | "du" | "des")));
        let mut owner = noun_owner(doc, found, start);
        if owner.is_some() && !target {
            agent = true;
        }
        // "délogés par les forces du régime": "par" belongs to the verb
        // before it; "une offensive d'envergure lancée par l'EI": to the
        // event noun its participle qualifies.
        if agent && owner.is_none() {
            if let Some(&(ms, _, _)) = markers.iter().rev().find(|(ms, me, v)| {
                v.contains(&Marker::Agent) && *me <= start && *ms >= range.start
            }) {
                owner = found
                    .iter()
                    .rev()
                    .find(|f| f.end <= ms && ms - f.end <= 1)
                    .or_else(|| {
                        found.iter().rev().find(|f| {
                            f.voice == Voice::Noun
                                && f.end <= ms
                                && ms - f.end <= 3
                                && !text_between_has_punctuation(doc.text, tokens, f.end, ms)
                                && tokens[f.end..ms].iter().all(|t| !t.capitalized)
                        })
                    })
                    .map(|f| (f.start, f.event_type));
            }
        }
        // "Après avoir repris la ville, l'EIIL …": the subject follows;
        // "entre le front al-Nosra et Jaïch al-Islam": the first is the actor.
        let after_infinitive = found.iter().any(|f| {
            f.start >= 2
                && tokens[f.start - 2].norm == "apres"
                && matches!(tokens[f.start - 1].norm.as_str(), "avoir" | "etre")
                && f.end <= start
                && start - f.end <= 12
        });
        // ("un accord conclu entre la Russie et les rebelles": "entre"
        // names the parties of fighting only.)
        let entre = [1, 2].into_iter().find(|&k| prev(k) == Some("entre"));
        let fighting_parties = entre.is_some_and(|k| {
            found
                .iter()
                .any(|f| f.parties_follow && f.end <= start - k && start - k - f.end <= 1)
        });
        if (after_infinitive && !target) || fighting_parties {
            agent = true;
        }
        // Neither side's actor here: a supporter, a speaker, a denier, a
        // part ("des rebelles, dont des jihadistes de l'EIIL").
        let aside = word_before(WordClass::Support)
            || self.speaks_or_denies(tokens, range.clone(), markers, start, end)
            || word_before(WordClass::Part)
            || self.in_apposition(doc, range.clone(), start);
        ActorHit {
            start,
            end,
            actor: value.actor.clone(),
            rank: value.rank,
            agent,
            agent_at,
            holder: marker_before(tokens, markers, start, Marker::Holder),
            target,
            aside,
            owner,
            metonym: false,
            reach: range.end,
        }
    }

    /// The actor at `start..end` is counted in a toll ("sept combattants
    /// proturcs ont été tués", "trois soldats turcs blessés"): a number
    /// before it (past the people it counts), a casualty word after it
    /// (past auxiliaries). Those killed were hit: a target, not the actor.
    fn counted_dead(&self, doc: &Document, range: Range<usize>, start: usize, end: usize) -> bool {
        let (lex, tokens) = (&self.lexicon, &doc.tokens[..]);
        let has = |k: usize, pick: fn(&Marker) -> bool| {
            lex.markers
                .at(std::slice::from_ref(&tokens[k]), 0)
                .is_some_and(|h| h.value.iter().any(pick))
        };
        let mut k = start;
        while k > range.start
            && start - k < 3
            && (has(k - 1, |m| *m == Marker::Victim)
                || matches!(form(&tokens[k - 1]), "de" | "du" | "des"))
        {
            k -= 1;
        }
        // A toll counts people: "une frappe russe a tué" counts no Russians.
        let people = k < start || has(start, |m| *m == Marker::Victim);
        let counted = people
            && (range.start..k).rev().take(2).any(|i| {
                number_at(lex, doc.text, tokens, i, range.end).is_some_and(|(v, next)| {
                    v.is_some() && (next == k || (next < k && !has(next, |m| *m == Marker::Victim)))
                })
            });
        let casualty = |m: &Marker| matches!(m, Marker::Killed | Marker::Injured);
        let mut j = end;
        while j < range.end
            && j < end + 3
            && (lex.is(WordClass::AvoirAux, form(&tokens[j]))
                || lex.is(WordClass::EtreAux, form(&tokens[j])))
        {
            j += 1;
        }
        counted && j < range.end && has(j, casualty)
    }

    /// The actor at `start` is in an apposition that names a part of the
    /// group before it ("les rebelles, dont des jihadistes de l'EI, ont
    /// pris"): the comma nearest before it is followed by "dont",
    /// "notamment" or "parmi".
    fn in_apposition(&self, doc: &Document, range: Range<usize>, start: usize) -> bool {
        let (text, tokens) = (doc.text, &doc.tokens[..]);
        (range.start + 1..=start)
            .rev()
            .find(|&k| text[tokens[k - 1].end..tokens[k].start].contains(','))
            .is_some_and(|k| self.lexicon.is(WordClass::Part, &tokens[k].norm))
    }

    /// Where the clause of the actor at `start..end` ends: at the next word
    /// that opens a clause with a subject of its own ("tandis que", "où"),
    /// or, inside a relative clause set off by a comma ("X, qui regroupe
    /// Y, a pris"), at the comma that closes it.
    fn subject_reach(
        &self,
        doc: &Document,
        range: Range<usize>,
        markers: &[MarkerHit],
        start: usize,
        end: usize,
    ) -> usize {
        let (text, tokens) = (doc.text, &doc.tokens[..]);
        let opener = markers
            .iter()
            .filter(|&&(ms, _, v)| v.contains(&Marker::Clause) && ms >= end)
            // "ou" is "or" unless written "où".
            .filter(|&&(ms, me, _)| {
                me - ms > 1 || tokens[ms].norm != "ou" || {
                    text[tokens[ms].start..tokens[ms].end].contains('ù')
                }
            })
            .map(|&(ms, _, _)| ms)
            .next()
            .unwrap_or(range.end);
        let comma_before =
            |k: usize| k > 0 && text[tokens[k - 1].end..tokens[k].start].contains(',');
        // The comma nearest before it opens the relative clause.
        let relative = (range.start + 1..=start)
            .rev()
            .find(|&k| comma_before(k))
            .is_some_and(|k| self.lexicon.is(WordClass::RelativePronoun, &tokens[k].norm));
        let closing = (end..range.end).find(|&k| comma_before(k));
        match closing {
            Some(c) if relative => c.min(opener),
            _ => opener,
        }
    }

    /// The actor at `start..end` reports or denies: the subject of a speech
    /// verb is a source, not an actor ("l'armée a confirmé que des
    /// combattants étaient entrés" reports someone else's act; "les FDS ont
    /// annoncé la prise de Baghouz" their own).
    fn speaks_or_denies(
        &self,
        tokens: &[Token],
        range: Range<usize>,
        markers: &[MarkerHit],
        start: usize,
        end: usize,
    ) -> bool {
        let after = &tokens[end..tokens.len().min(end + 3).min(range.end)];
        let reported_clause = tokens[end..tokens.len().min(end + 7).min(range.end)]
            .iter()
            .any(|t| t.form() == "que");
        let speech = reported_clause
            && after
                .iter()
                .any(|t| self.lexicon.is(WordClass::SpeechVerb, &t.norm));
        let denies = markers
            .iter()
            .find(|(_, _, v)| v.contains(&Marker::Denial))
            .is_some_and(|&(d, _, _)| d > start && d - start <= 8);
        speech || denies
    }

    /// The group among `groups` (in order of preference) an article names
    /// most, and how often, from the article's actor aliases (`named`: the
    /// actor table's matches over its whole text).
    pub(crate) fn dominant_group(
        &self,
        named: &[Hit<ActorAlias>],
        groups: &[&str],
    ) -> Option<(String, usize)> {
        let mut counts = vec![0usize; groups.len()];
        for h in named {
            if let Some(i) = groups.iter().position(|g| *g == h.value.actor) {
                counts[i] += 1;
            }
        }
        let (i, &n) = counts
            .iter()
            .enumerate()
            .max_by_key(|&(i, n)| (*n, std::cmp::Reverse(i)))?;
        (n > 0).then(|| (groups[i].to_string(), n))
    }
}

/// A marker of `role` ends at most five words before `start`, with no
/// name between ("pris par les forces").
fn marker_before(tokens: &[Token], markers: &[MarkerHit], start: usize, role: Marker) -> bool {
    markers.iter().any(|&(_, me, v)| {
        v.contains(&role)
            && me <= start
            && start - me <= 5
            && !tokens[me..start].iter().any(|t| t.capitalized)
    })
}

/// The trigger noun whose complement the actor at `start` is ("raids de
/// l'aviation russe"), within its noun phrase ("les bombardements aériens
/// et d'artillerie du régime"; the trigger may end with the genitive:
/// "retrait des FDS").
fn noun_owner(doc: &Document, found: &[Found], start: usize) -> Option<(usize, EventType)> {
    let (text, tokens) = (doc.text, &doc.tokens[..]);
    found
        .iter()
        .find(|f| {
            f.voice == Voice::Noun
                && f.end <= start
                && f.start < start
                && start - f.end <= 5
                && matches!(
                    form(&tokens[start - 1]),
                    "de" | "du" | "des" | "le" | "la" | "les"
                )
                && !text_between_has_punctuation(text, tokens, f.end, start)
                && tokens[f.end..start].iter().all(|t| !t.capitalized)
        })
        .map(|f| (f.start, f.event_type))
}

/// Actor and target of the event announced by trigger `f` (index `fi`
/// among the sentence's triggers): explicit markers first, then the
/// subject before an active verb or the complement of a noun.
pub(crate) fn roles(
    x: &Extractor,
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
                .is_none_or(|(start, t)| start == f.start || t == f.event_type)
        })
        .collect();
    let explicit_only = ty == EventType::Explosion;
    // "les combats entre Druzes et tribus bédouines": the parties follow
    // "entre"; the sentence's subject is not one of them.
    let between = f.parties_follow && ty == EventType::Clash;
    let overlaps = |a: &ActorHit| a.start < f.end && a.end > f.start;
    let explicit = |a: &ActorHit| explicit_agent(a, f, found);
    let is_agent = |a: &ActorHit| {
        // "soutenues par l'aviation russe": the supporter's own means are
        // the trigger; it did that strike.
        if overlaps(a) && !a.target {
            return true;
        }
        if a.aside || a.target {
            return false;
        }
        if explicit(a) || (a.holder && ty == EventType::ControlChange) {
            return true;
        }
        if a.agent {
            return false;
        }
        if between && !(a.agent && a.start >= f.end) {
            return false;
        }
        // Bombers are named explicitly ("revendiqué par", "commis par"),
        // except jihadist groups, the usual authors of suicide and car bombs.
        let bomber = x.vocabulary.actor(&a.actor).is_some_and(|v| v.bomber);
        (!explicit_only || bomber)
            && !f.adjunct
            && !a.holder
            && a.end <= f.start
            && f.voice != Voice::Passive
    };
    // A subject named in the trigger's own clause wins over one named
    // before a clause opener or inside a closed relative clause.
    let in_clause = |a: &ActorHit| f.start < a.reach || f.start < a.start;
    let own_clause = mine.iter().any(|a| is_agent(a) && in_clause(a));
    let actor = mine
        .iter()
        .filter(|a| is_agent(a) && (in_clause(a) || !own_clause))
        .max_by_key(|a| {
            // Explicit markers, then rank; the head of a subject list first.
            (
                explicit(a) || overlaps(a) || a.holder,
                a.rank,
                usize::MAX - a.start,
            )
        })
        .map(|a| a.actor.clone());
    if f.voice == Voice::Loss {
        return loss_roles(&mine, f, actor);
    }
    let target = mine
        .iter()
        .filter(|a| !a.aside && !is_agent(a) && !a.metonym && Some(&a.actor) != actor.as_ref())
        .filter(|a| a.target || a.start >= f.end)
        .max_by_key(|a| (a.target, a.rank, usize::MAX - distance(a, f)))
        .map(|a| a.actor.clone());
    (actor, target)
}

/// A withdrawal or a repelled attack: the subject lost the place or was
/// attacked; the other side gained or attacked when a marker names it
/// after the verb ("face à l'armée", "par les forces turques", "aux mains
/// de", "une attaque de Y"), not any name after the verb.
fn loss_roles(
    mine: &[&ActorHit],
    f: &Found,
    actor: Option<String>,
) -> (Option<String>, Option<String>) {
    let gainer = mine
        .iter()
        .filter(|a| !a.aside && a.start >= f.end)
        .filter(|a| a.target || a.holder || a.owner.is_some() || a.agent)
        .max_by_key(|a| (a.rank, usize::MAX - a.start))
        .map(|a| a.actor.clone());
    let loser = mine
        .iter()
        .filter(|a| !a.aside && !a.target && !a.agent && a.end <= f.start)
        .max_by_key(|a| (a.rank, usize::MAX - a.start))
        .map(|a| a.actor.clone())
        .or(actor.filter(|a| gainer.as_ref() != Some(a)));
    (gainer, loser)
}

/// "lancée le 10 septembre par les FDS": a "par" close after the trigger
/// `f` (or owned by it) names its agent; a far one belongs to another verb
/// ("la prise de Tell Abyad, petite ville frontalière, par les rebelles":
/// far, but no other trigger between).
fn explicit_agent(a: &ActorHit, f: &Found, found: &[Found]) -> bool {
    let no_trigger_between = |m: usize| !found.iter().any(|g| g.start >= f.end && g.start < m);
    a.agent
        && (a.owner.is_some_and(|(s, _)| s == f.start)
            || a.agent_at.is_some_and(|m| {
                m >= f.end && (m - f.end <= 8 || (m - f.end <= 16 && no_trigger_between(m)))
            })
            || (a.agent_at.is_none() && a.owner.is_none()))
}

/// Words between the actor and the trigger.
fn distance(a: &ActorHit, f: &Found) -> usize {
    if a.start >= f.end {
        a.start - f.end
    } else {
        f.start.saturating_sub(a.end)
    }
}

/// Two actors of one event: the same, unknown, or on the same side.
pub(crate) fn compatible(x: &Extractor, a: &Option<String>, b: &Option<String>) -> bool {
    match (a, b) {
        (Some(a), Some(b)) => x.vocabulary.side(a) == x.vocabulary.side(b),
        _ => true,
    }
}

/// The strike subtype: the most specific trigger, or the actor's usual
/// weapon (Russian, coalition and Israeli "frappes" are from the air).
pub(crate) fn strike_subtype(x: &Extractor, found: &[&Found], actors: &[ActorHit]) -> Subtype {
    for want in [
        Subtype::Drone,
        Subtype::Missile,
        Subtype::Air,
        Subtype::Artillery,
    ] {
        if found.iter().any(|f| f.trigger.subtype == Some(want)) {
            return want;
        }
    }
    let air_force = |a: &ActorHit| x.vocabulary.actor(&a.actor).is_some_and(|v| v.air_force);
    if actors.iter().any(|a| !a.target && !a.aside && air_force(a)) {
        return Subtype::Air;
    }
    Subtype::Unspecified
}
