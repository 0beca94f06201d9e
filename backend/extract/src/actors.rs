//! Who acted and who was hit: actor mentions, their roles for a trigger, and the sides of the war.

use super::*;

impl Extractor {
    #[allow(clippy::too_many_arguments)]
    pub(super) fn actors(
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
        let mut hits: Vec<(usize, usize, lexicon::ActorAlias)> = self
            .lexicon
            .actors
            .find_all(slice)
            .into_iter()
            .map(|h| (h.start, h.end, h.value.clone()))
            .collect();
        // "des avions de combat turcs", "la marine américaine": a nationality
        // adjective after a military noun names that state's forces.
        for (k, t) in slice.iter().enumerate() {
            let Some(actor) = self.lexicon.nationalities.get(t.norm.as_str()) else {
                continue;
            };
            let military = (k.saturating_sub(3)..k)
                .find(|&j| self.lexicon.military_nouns.contains(slice[j].norm.as_str()));
            // A name that includes the adjective stands ("armée syrienne
            // libre"); the words' own readings do not ("soldats" alone is
            // the regime's, "russes" alone a rank-1 mention).
            let in_a_name = hits.iter().any(|(s, e, _)| *s <= k && k < *e && e - s > 1);
            if let (Some(start), false) = (military, in_a_name) {
                hits.retain(|(s, e, _)| !(start <= *s && *e <= k + 1));
                hits.push((
                    start,
                    k + 1,
                    lexicon::ActorAlias {
                        actor: actor.clone(),
                        rank: 3,
                    },
                ));
            }
        }
        hits.sort_by_key(|(s, _, _)| *s);
        for (h_start, h_end, value) in hits {
            let h = lexicon::Hit {
                start: h_start,
                end: h_end,
                value: &value,
            };
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
                    // (The trigger may end with the genitive: "retrait des FDS".)
                    f.trigger.voice == Voice::Noun
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

    /// The group among `groups` an article names most, and how often.
    pub(super) fn dominant_group(
        &self,
        tokens: &[Token],
        groups: &[&str],
    ) -> Option<(String, usize)> {
        let mut counts = vec![0usize; groups.len()];
        for h in self.lexicon.actors.find_all(tokens) {
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

/// Jihadist groups, which "les jihadistes" of an article may stand for.
pub(super) const JIHADIST_GROUPS: [&str; 4] =
    ["Islamic State", "HTS", "Al-Nusra Front", "Jund al-Aqsa"];

/// Armed opposition groups, which "les rebelles" of an article may stand for.
pub(super) const OPPOSITION_GROUPS: [&str; 9] = [
    "HTS",
    "Al-Nusra Front",
    "Free Syrian Army",
    "Syrian National Army",
    "Ahrar al-Sham",
    "Jaysh al-Islam",
    "Faylaq al-Rahman",
    "Jaysh al-Fatah",
    "Islamic Front",
];

/// Actor and target of the event announced by trigger `f` (index `fi`
/// among the sentence's triggers): explicit markers first, then the
/// subject before an active verb or the complement of a noun.
pub(super) fn roles(
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
    // "les combats entre Druzes et tribus bédouines": the parties follow
    // "entre"; the sentence's subject is not one of them.
    let between = f.parties_follow && ty == EventType::Clash;
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
        if between && !(a.agent && a.start >= f.end) {
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

/// Two actors of one event: the same, unknown, or on the same side.
pub(super) fn compatible(a: &Option<String>, b: &Option<String>) -> bool {
    match (a, b) {
        (Some(x), Some(y)) => side(x) == side(y),
        _ => true,
    }
}

/// The camp an actor fights in, to tell one event told twice from two
/// opposite events at one place.
pub(super) fn side(actor: &str) -> &str {
    match actor {
        "Syrian government" | "Russia" | "Iran" | "Hezbollah" => "government",
        "SDF" | "YPG" | "US-led coalition" | "United States" => "sdf",
        "Islamic State" => "is",
        "Israel" => "israel",
        _ => "opposition",
    }
}

/// The strike subtype: the most specific trigger, or the actor's usual
/// weapon (Russian, coalition and Israeli "frappes" are from the air).
pub(super) fn strike_subtype(found: &[&Found], actors: &[ActorHit]) -> String {
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
