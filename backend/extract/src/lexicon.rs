//! The French tables under `backend/extract/data/fr/`, loaded once into
//! typed values: triggers, actor aliases, markers, claimants, calendar and
//! number words, nationalities, and the small word classes the rules ask
//! about. An analyst extends French by editing the tables, not the code.

use crate::error::Result;
use crate::key::WordKey;
use crate::morphology::{noun_forms, verb_forms, FormKind, Irregular};
use crate::phrases::Phrases;
use crate::token::{AsWord, Token, WordId, WordIndex};
use crate::vocab::{EventType, Subtype};
use gazetteer::normalize::{fold, tokenize};
use gazetteer::table::{Row, Table};
use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};

pub use crate::phrases::{form, Hit};

const TRIGGERS: &str = include_str!("../data/fr/triggers.tsv");
const NOT_TRIGGERS: &str = include_str!("../data/fr/not_triggers.tsv");
const ACTORS: &str = include_str!("../data/fr/actors.tsv");
const CALENDAR: &str = include_str!("../data/fr/calendar.tsv");
const NUMBERS: &str = include_str!("../data/fr/numbers.tsv");
const MARKERS: &str = include_str!("../data/fr/markers.tsv");
const CLAIMANTS: &str = include_str!("../data/fr/claimants.tsv");
const NATIONALITIES: &str = include_str!("../data/fr/nationalities.tsv");
const MILITARY_NOUNS: &str = include_str!("../data/fr/military_nouns.tsv");
const WORDS: &str = include_str!("../data/fr/words.tsv");
const VERBS: &str = include_str!("../data/fr/verbs.tsv");

/// Where the tables live, for error messages.
const DIR: &str = "backend/extract/data/fr";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Voice {
    Active,
    Passive,
    Noun,
    /// The subject lost the place: "les FDS se sont retirées de Ras al-Aïn".
    Loss,
    /// A past participle, read in context: active after avoir ("ont
    /// repris"), passive after être or alone ("reprise par").
    Participle,
    /// A form that is both a participle and a present ("attaque" for
    /// "attaqué" and "attaque", accents folded): active unless être comes
    /// before it.
    ParticipleOrPresent,
}

#[derive(Debug, Clone)]
pub struct Trigger {
    pub event_type: EventType,
    pub subtype: Option<Subtype>,
    pub voice: Voice,
    pub weight: f64,
}

#[derive(Debug, Clone)]
pub struct ActorAlias {
    pub actor: String,
    pub rank: u8,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Calendar {
    Weekday(u32),
    Month(u32),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Marker {
    Killed,
    Injured,
    KillVerb,
    InjureVerb,
    Hypothetical,
    Denial,
    Background,
    Claim,
    Agent,
    Holder,
    Target,
    Repelled,
    Support,
    Victim,
    Related,
    Clause,
}

impl Marker {
    fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "killed" => Marker::Killed,
            "injured" => Marker::Injured,
            "kill_verb" => Marker::KillVerb,
            "injure_verb" => Marker::InjureVerb,
            "hypothetical" => Marker::Hypothetical,
            "denial" => Marker::Denial,
            "background" => Marker::Background,
            "claim" => Marker::Claim,
            "agent" => Marker::Agent,
            "holder" => Marker::Holder,
            "target" => Marker::Target,
            "repelled" => Marker::Repelled,
            "support" => Marker::Support,
            "victim" => Marker::Victim,
            "related" => Marker::Related,
            "clause" => Marker::Clause,
            _ => return None,
        })
    }
}

/// The small word classes of `words.tsv`: what the rules ask of a word.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum WordClass {
    TriggerSkippable,
    SubjectPronoun,
    SameSource,
    Purpose,
    RelativePronoun,
    Since,
    PlaceNounPlural,
    PlaceNounReferring,
    Definite,
    Demonstrative,
    EventNoun,
    PlaceNoun,
    ObjectFiller,
    ReferencePreposition,
    AdjectiveHead,
    Locative,
    SubjectVerb,
    Support,
    Opposed,
    SpeechVerb,
    Part,
    TargetHead,
    Exclusion,
    ListWord,
    ListCloser,
    Unit,
    Abbreviation,
    YearPreposition,
    CountBreak,
    AvoirAux,
    EtreAux,
    AuxSkippable,
    Reflexive,
    Resumable,
    NotPlaceObject,
    ReactionVerb,
    Attempt,
    CivilianNoun,
    SourceNoun,
    RoadNoun,
    Determiner,
    CombatantNoun,
    Origin,
    AdjunctPreposition,
    Duration,
    GenericAttack,
}

impl WordClass {
    const ALL: [(WordClass, &'static str); 46] = [
        (WordClass::TriggerSkippable, "trigger_skippable"),
        (WordClass::SubjectPronoun, "subject_pronoun"),
        (WordClass::SameSource, "same_source"),
        (WordClass::Purpose, "purpose"),
        (WordClass::RelativePronoun, "relative_pronoun"),
        (WordClass::Since, "since"),
        (WordClass::PlaceNounPlural, "place_noun_plural"),
        (WordClass::PlaceNounReferring, "place_noun_referring"),
        (WordClass::Definite, "definite"),
        (WordClass::Demonstrative, "demonstrative"),
        (WordClass::EventNoun, "event_noun"),
        (WordClass::PlaceNoun, "place_noun"),
        (WordClass::ObjectFiller, "object_filler"),
        (WordClass::ReferencePreposition, "reference_preposition"),
        (WordClass::AdjectiveHead, "adjective_head"),
        (WordClass::Locative, "locative"),
        (WordClass::SubjectVerb, "subject_verb"),
        (WordClass::Support, "support"),
        (WordClass::Opposed, "opposed"),
        (WordClass::SpeechVerb, "speech_verb"),
        (WordClass::Part, "part"),
        (WordClass::TargetHead, "target_head"),
        (WordClass::Exclusion, "exclusion"),
        (WordClass::ListWord, "list_word"),
        (WordClass::ListCloser, "list_closer"),
        (WordClass::Unit, "unit"),
        (WordClass::Abbreviation, "abbreviation"),
        (WordClass::YearPreposition, "year_preposition"),
        (WordClass::CountBreak, "count_break"),
        (WordClass::AvoirAux, "avoir_aux"),
        (WordClass::EtreAux, "etre_aux"),
        (WordClass::AuxSkippable, "aux_skippable"),
        (WordClass::Reflexive, "reflexive"),
        (WordClass::Resumable, "resumable"),
        (WordClass::NotPlaceObject, "not_place_object"),
        (WordClass::ReactionVerb, "reaction_verb"),
        (WordClass::Attempt, "attempt"),
        (WordClass::CivilianNoun, "civilian_noun"),
        (WordClass::SourceNoun, "source_noun"),
        (WordClass::RoadNoun, "road_noun"),
        (WordClass::Determiner, "determiner"),
        (WordClass::CombatantNoun, "combatant_noun"),
        (WordClass::Origin, "origin"),
        (WordClass::AdjunctPreposition, "adjunct_preposition"),
        (WordClass::Duration, "duration"),
        (WordClass::GenericAttack, "generic_attack"),
    ];

    fn parse(s: &str) -> Option<Self> {
        Self::ALL.iter().find(|(_, n)| *n == s).map(|(c, _)| *c)
    }

    fn bit(self) -> u64 {
        const _: () = assert!(WordClass::ALL.len() <= 64, "one bit per class");
        1 << (self as u32)
    }
}

/// Word → the classes it is in; prefixes (`soutenu*`) apart.
#[derive(Debug, Clone, Default)]
pub struct WordClasses {
    exact: HashMap<String, u64>,
    prefixes: Vec<(String, u64)>,
    /// `exact` by the words' keys, for the words short enough to have one.
    by_key: HashMap<WordKey, u64>,
    /// `exact` by the words' ids: the rules ask this of almost every token.
    by_id: Vec<u64>,
    /// The classes that have a prefix.
    prefixed: u64,
}

impl WordClasses {
    /// Whether the folded word `w` (a string, or a token's word) is in
    /// `class`.
    pub fn is<W: AsWord + ?Sized>(&self, class: WordClass, w: &W) -> bool {
        let bit = class.bit();
        let classes = match w.id() {
            // Words numbered after these classes were read are in none.
            Some(id) => self.by_id.get(id.index()).copied().unwrap_or(0),
            None => {
                let w = w.text();
                match WordKey::of(w) {
                    Some(k) => self.by_key.get(&k),
                    None => self.exact.get(w),
                }
                .copied()
                .unwrap_or(0)
            }
        };
        classes & bit != 0
            || (self.prefixed & bit != 0
                && self
                    .prefixes
                    .iter()
                    .any(|(p, b)| b & bit != 0 && w.text().starts_with(p.as_str())))
    }

    /// Index the words read (by key and by id, numbered in `index`), and
    /// which classes have prefixes.
    fn index(mut self, index: &mut WordIndex) -> Self {
        self.by_key = self
            .exact
            .iter()
            .filter_map(|(w, &b)| Some((WordKey::of(w)?, b)))
            .collect();
        let ids: Vec<(WordId, u64)> = self
            .exact
            .iter()
            .map(|(w, &b)| (index.intern(w), b))
            .collect();
        self.by_id = vec![0; index.len()];
        for (id, b) in ids {
            self.by_id[id.index()] = b;
        }
        self.prefixed = self.prefixes.iter().fold(0, |acc, (_, b)| acc | b);
        self
    }

    /// The exact words of a class, in no particular order.
    pub fn members(&self, class: WordClass) -> Vec<String> {
        self.exact
            .iter()
            .filter(|(_, b)| *b & class.bit() != 0)
            .map(|(w, _)| w.clone())
            .collect()
    }
}

/// All the French tables.
pub struct Lexicon {
    pub triggers: Phrases<Trigger>,
    pub not_triggers: Phrases<()>,
    pub actors: Phrases<ActorAlias>,
    pub calendar: HashMap<String, Calendar>,
    /// Number phrases; `None` for vague amounts.
    pub numbers: Phrases<Option<u64>>,
    pub markers: Phrases<Vec<Marker>>,
    pub claimants: Phrases<String>,
    /// Nationality adjective → actor ("turcs" → Turkey).
    pub nationalities: HashMap<String, String>,
    /// Nouns of forces and weapons a nationality adjective can follow.
    pub military_nouns: HashSet<String>,
    pub words: WordClasses,
    /// Every word of the phrase tables, word classes and calendar,
    /// numbered: a token's word is looked up here once.
    pub(crate) index: WordIndex,
    /// `calendar` by word id (the dates are looked for at every token).
    calendar_by_id: Vec<Option<Calendar>>,
    /// The trigger of a toll that tells fighting by itself ("12 soldats
    /// tués dans la province de Raqqa").
    pub toll: Trigger,
}

/// The table `file` of `data/fr/`, its header starting with `columns`.
fn table<'a>(file: &str, text: &'a str, columns: &[&str]) -> Result<Table<'a>> {
    // Errors name the file from the repository root.
    Ok(Table::parse(&format!("{DIR}/{file}"), text, columns)?)
}

/// How a word written by lemma was inflected.
#[derive(Debug, Clone, Copy)]
enum Inflected {
    Noun,
    Verb(FormKind),
}

/// The phrases a pattern stands for: itself, or, when one of its words is
/// written by lemma (`prendre:v`, `attaque:n`), one phrase per form of that
/// word.
fn inflect(
    pattern: &str,
    irregular: &Irregular,
) -> std::result::Result<Vec<(String, Option<Inflected>)>, String> {
    let words: Vec<&str> = pattern.split_whitespace().collect();
    let marked: Vec<usize> = (0..words.len())
        .filter(|&i| words[i].ends_with(":v") || words[i].ends_with(":n"))
        .collect();
    let Some(&at) = marked.first() else {
        return Ok(vec![(pattern.to_string(), None)]);
    };
    if marked.len() > 1 {
        return Err("only one word of a pattern may be written by lemma".into());
    }
    let (lemma, pos) = words[at].split_at(words[at].len() - 2);
    let forms: Vec<(String, Inflected)> = if pos == ":n" {
        noun_forms(lemma)
            .into_iter()
            .map(|f| (f, Inflected::Noun))
            .collect()
    } else {
        verb_forms(lemma, irregular)
            .ok_or_else(|| {
                format!("{lemma:?} is neither a regular verb (-er, -ir) nor in verbs.tsv")
            })?
            .into_iter()
            .map(|(f, k)| (f, Inflected::Verb(k)))
            .collect()
    };
    Ok(forms
        .into_iter()
        .map(|(form, kind)| {
            let mut w = words.clone();
            w[at] = &form;
            (w.join(" "), Some(kind))
        })
        .collect())
}

fn read_irregular() -> Result<Irregular> {
    let mut irregular = Irregular::default();
    for row in table("verbs.tsv", VERBS, &["lemma", "participle", "forms"])? {
        let forms: Vec<&str> = row.required("forms")?.split(',').map(str::trim).collect();
        irregular.insert(row.get("lemma"), row.required("participle")?, &forms);
    }
    Ok(irregular)
}

/// Every phrase of triggers.tsv with what it triggers. Rows by lemma come
/// after the rows of single forms, which win a tie.
fn read_triggers(irregular: &Irregular) -> Result<Vec<(String, Trigger)>> {
    let mut triggers = Vec::new();
    let mut inflected = Vec::new();
    for row in table(
        "triggers.tsv",
        TRIGGERS,
        &["pattern", "type", "subtype", "voice", "weight"],
    )? {
        let (event_type, subtype) = trigger_type(&row)?;
        let voice = match row.get("voice") {
            "active" => Some(Voice::Active),
            "passive" => Some(Voice::Passive),
            "noun" => Some(Voice::Noun),
            "loss" => Some(Voice::Loss),
            "auto" => None,
            v => return Err(row.error("voice", format!("unknown voice {v:?}")).into()),
        };
        let weight: f64 = row.parse("weight", "a number")?;
        let pattern = row.get("pattern");
        let forms = inflect(pattern, irregular).map_err(|m| row.error("pattern", m))?;
        let lemma_row = forms.len() > 1 || forms[0].0 != pattern;
        for (phrase, kind) in forms {
            let voice = form_voice(voice, kind).ok_or_else(|| {
                row.error(
                    "voice",
                    "`auto` needs a word written by lemma (`:v`, `:n`)".into(),
                )
            })?;
            let trigger = Trigger {
                event_type,
                subtype,
                voice,
                weight,
            };
            if lemma_row {
                inflected.push((phrase, trigger));
            } else {
                triggers.push((phrase, trigger));
            }
        }
    }
    triggers.extend(inflected);
    Ok(triggers)
}

/// A trigger row's type and subtype, the subtype one of the type's.
fn trigger_type(row: &Row) -> Result<(EventType, Option<Subtype>)> {
    let ty = row.get("type");
    let event_type =
        EventType::parse(ty).ok_or_else(|| row.error("type", format!("unknown type {ty:?}")))?;
    let subtype = match row.get("subtype") {
        "" => None,
        s => Some(
            Subtype::parse(s)
                .filter(|s| event_type.subtypes().contains(s))
                .ok_or_else(|| {
                    row.error("subtype", format!("{s:?} is no subtype of {event_type}"))
                })?,
        ),
    };
    Ok((event_type, subtype))
}

/// The voice of one form: the row's, or with `auto` the form's own.
fn form_voice(row_voice: Option<Voice>, kind: Option<Inflected>) -> Option<Voice> {
    Some(match (row_voice, kind) {
        (Some(v), _) => v,
        (None, Some(Inflected::Noun)) => Voice::Noun,
        (None, Some(Inflected::Verb(FormKind::Participle))) => Voice::Participle,
        (None, Some(Inflected::Verb(FormKind::Both))) => Voice::ParticipleOrPresent,
        (None, Some(Inflected::Verb(FormKind::Other))) => Voice::Active,
        (None, None) => return None,
    })
}

fn read_not_triggers(irregular: &Irregular) -> Result<Vec<(String, ())>> {
    let mut not_triggers = Vec::new();
    for row in table("not_triggers.tsv", NOT_TRIGGERS, &["pattern"])? {
        let forms = inflect(row.get("pattern"), irregular).map_err(|m| row.error("pattern", m))?;
        not_triggers.extend(forms.into_iter().map(|(phrase, _)| (phrase, ())));
    }
    Ok(not_triggers)
}

fn read_actors() -> Result<Vec<(String, ActorAlias)>> {
    let mut actors = Vec::new();
    for row in table("actors.tsv", ACTORS, &["alias", "actor", "rank"])? {
        actors.push((
            row.get("alias").to_string(),
            ActorAlias {
                actor: row.required("actor")?.to_string(),
                rank: row.parse("rank", "1, 2 or 3")?,
            },
        ));
    }
    Ok(actors)
}

fn read_calendar() -> Result<HashMap<String, Calendar>> {
    let mut calendar = HashMap::default();
    for row in table("calendar.tsv", CALENDAR, &["word", "kind", "value"])? {
        let v: u32 = row.parse("value", "a number")?;
        let entry = match row.get("kind") {
            "weekday" => Calendar::Weekday(v),
            "month" => Calendar::Month(v),
            k => return Err(row.error("kind", format!("unknown kind {k:?}")).into()),
        };
        calendar.insert(fold(row.get("word")), entry);
    }
    Ok(calendar)
}

fn read_numbers() -> Result<Vec<(String, Option<u64>)>> {
    let mut numbers = Vec::new();
    for row in table("numbers.tsv", NUMBERS, &["word", "value"])? {
        numbers.push((
            row.get("word").to_string(),
            row.parse_opt("value", "a whole number")?,
        ));
    }
    Ok(numbers)
}

/// markers.tsv: a word may have several roles, one row each.
fn read_markers() -> Result<Vec<(String, Vec<Marker>)>> {
    let mut markers: Vec<(String, Vec<Marker>)> = Vec::new();
    for row in table("markers.tsv", MARKERS, &["word", "role"])? {
        let role = row.get("role");
        let m = Marker::parse(role)
            .ok_or_else(|| row.error("role", format!("unknown role {role:?}")))?;
        let word = row.get("word");
        match markers.iter_mut().find(|(w, _)| w == word) {
            Some((_, roles)) => roles.push(m),
            None => markers.push((word.to_string(), vec![m])),
        }
    }
    Ok(markers)
}

/// A two-column table: the first column's text with the second's value.
fn read_pairs(file: &str, text: &str, [key, value]: [&str; 2]) -> Result<Vec<(String, String)>> {
    let mut pairs = Vec::new();
    for row in table(file, text, &[key, value])? {
        pairs.push((row.get(key).to_string(), row.required(value)?.to_string()));
    }
    Ok(pairs)
}

/// A two-column table keyed by the folded first column.
fn read_map(file: &str, text: &str, columns: [&str; 2]) -> Result<HashMap<String, String>> {
    Ok(read_pairs(file, text, columns)?
        .into_iter()
        .map(|(k, v)| (fold(&k), v))
        .collect())
}

/// words.tsv: word classes by exact folded word, or by prefix (`word*`).
fn read_words(index: &mut WordIndex) -> Result<WordClasses> {
    let mut words = WordClasses::default();
    for row in table("words.tsv", WORDS, &["word", "class"])? {
        let c = row.get("class");
        let class = WordClass::parse(c)
            .ok_or_else(|| row.error("class", format!("unknown class {c:?}")))?;
        let w = row.get("word");
        match w.strip_suffix('*') {
            Some(prefix) => {
                let prefix = fold(prefix);
                match words.prefixes.iter_mut().find(|(p, _)| *p == prefix) {
                    Some((_, b)) => *b |= class.bit(),
                    None => words.prefixes.push((prefix, class.bit())),
                }
            }
            None => *words.exact.entry(fold(w)).or_default() |= class.bit(),
        }
    }
    Ok(words.index(index))
}

impl Lexicon {
    pub fn builtin() -> Result<Self> {
        let irregular = read_irregular()?;
        let mut index = WordIndex::default();
        let words = read_words(&mut index)?;
        let skippable = words.members(WordClass::TriggerSkippable);
        let calendar = read_calendar()?;
        let calendar_ids: Vec<(WordId, Calendar)> = calendar
            .iter()
            .map(|(w, c)| (index.intern(w), *c))
            .collect();
        let mut calendar_by_id = vec![None; index.len()];
        for (id, c) in calendar_ids {
            calendar_by_id[id.index()] = Some(c);
        }
        let i = &mut index;
        Ok(Lexicon {
            nationalities: read_map("nationalities.tsv", NATIONALITIES, ["adjective", "actor"])?,
            military_nouns: table("military_nouns.tsv", MILITARY_NOUNS, &["noun"])?
                .into_iter()
                .map(|row| fold(row.get("noun")))
                .collect(),
            triggers: Phrases::new(read_triggers(&irregular)?, i).skipping(skippable, i),
            not_triggers: Phrases::new(read_not_triggers(&irregular)?, i),
            actors: Phrases::new(read_actors()?, i),
            calendar,
            numbers: Phrases::new(read_numbers()?, i),
            markers: Phrases::new(read_markers()?, i),
            claimants: Phrases::new(
                read_pairs("claimants.tsv", CLAIMANTS, ["alias", "name"])?,
                i,
            ),
            words,
            index,
            calendar_by_id,
            toll: Trigger {
                event_type: EventType::Clash,
                subtype: None,
                voice: Voice::Noun,
                weight: 0.6,
            },
        })
    }

    /// Whether the folded word `w` (a string, or a token's word) is in
    /// `class`.
    pub fn is<W: AsWord + ?Sized>(&self, class: WordClass, w: &W) -> bool {
        self.words.is(class, w)
    }

    /// The calendar word token `t` is (by its form), if any.
    pub fn calendar_of(&self, t: &Token) -> Option<Calendar> {
        // Words numbered after the calendar was read are not in it.
        self.calendar_by_id
            .get(t.form_id.index())
            .copied()
            .flatten()
    }

    /// The gazetteer's tokens as the rules read them, each word looked up
    /// once in the tables' word index.
    pub fn words_of(&self, tokens: Vec<gazetteer::normalize::Token>) -> Vec<Token> {
        tokens
            .into_iter()
            .map(|t| Token::new(t, &self.index))
            .collect()
    }

    /// The tokens of a text, as the rules read them (for tests and callers).
    pub fn tokens(&self, text: &str) -> Vec<Token> {
        self.words_of(tokenize(text))
    }

    /// The voice of a participle at token `at`, from the auxiliary before
    /// it: active after avoir ("ont repris") or a reflexive être ("s'est
    /// emparé"), passive after être ("a été reprise"); `None` without one.
    pub fn auxiliary_voice(&self, tokens: &[Token], at: usize, from: usize) -> Option<Voice> {
        let mut k = at;
        let mut skipped = 0;
        while k > from && skipped <= 3 {
            k -= 1;
            let w = tokens[k].form();
            if self.is(WordClass::AvoirAux, w) {
                return Some(Voice::Active);
            }
            if self.is(WordClass::EtreAux, w) {
                let reflexive = (k.saturating_sub(2).max(from)..k)
                    .any(|j| self.is(WordClass::Reflexive, &tokens[j].norm));
                return Some(if reflexive {
                    Voice::Active
                } else {
                    Voice::Passive
                });
            }
            if !self.is(WordClass::AuxSkippable, w) {
                return None;
            }
            skipped += 1;
        }
        None
    }

    /// Whether the token after a capital makes it the subject of a verb:
    /// "Damas a repris", "Washington affirme": a government, not a place.
    pub fn subject_verb_follows(&self, tokens: &[Token], end: usize) -> bool {
        tokens
            .get(end)
            .is_some_and(|t| self.is(WordClass::SubjectVerb, &t.norm))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_load_and_match_longest_first() {
        let lex = Lexicon::builtin().unwrap();
        let t = lex.tokens("ont pris le contrôle de la ville");
        let hit = lex.triggers.at(&t, 1).unwrap();
        assert_eq!(hit.end - hit.start, 3);
        let t = lex.tokens("les forces du régime syrien");
        let hit = lex.actors.at(&t, 1).unwrap();
        assert_eq!(hit.value.actor, "Syrian government");
        let t = lex.tokens("s'est emparé d'Alep");
        let hits = lex.triggers.find_all(&t);
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].value.event_type, EventType::ControlChange);
    }

    #[test]
    fn word_classes_take_exact_words_and_prefixes() {
        let lex = Lexicon::builtin().unwrap();
        assert!(lex.is(WordClass::Support, "soutenues"));
        assert!(lex.is(WordClass::Support, "allies"));
        assert!(!lex.is(WordClass::Support, "allie_"));
        assert!(lex.is(WordClass::EventNoun, "attaque"));
        assert!(lex.is(WordClass::Locative, "pres") && lex.is(WordClass::ListWord, "de"));
        assert!(!lex.is(WordClass::PlaceNoun, "attaque"));
    }

    #[test]
    fn every_class_has_words() {
        let lex = Lexicon::builtin().unwrap();
        for (class, name) in WordClass::ALL {
            assert!(
                lex.words.exact.values().any(|b| b & class.bit() != 0)
                    || lex.words.prefixes.iter().any(|(_, b)| b & class.bit() != 0),
                "no word in class {name}"
            );
        }
    }
}
