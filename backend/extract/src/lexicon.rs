//! The French tables under `backend/data/fr/`, loaded once, and a small
//! phrase matcher over gazetteer tokens.

use crate::error::{Error, Result};
use gazetteer::normalize::{fold, tokenize, Token};
use rustc_hash::FxHashMap as HashMap;
use std::path::Path;

const TRIGGERS: &str = include_str!("../data/fr/triggers.tsv");
const NOT_TRIGGERS: &str = include_str!("../data/fr/not_triggers.tsv");
const ACTORS: &str = include_str!("../data/fr/actors.tsv");
const CALENDAR: &str = include_str!("../data/fr/calendar.tsv");
const NUMBERS: &str = include_str!("../data/fr/numbers.tsv");
const MARKERS: &str = include_str!("../data/fr/markers.tsv");
const CLAIMANTS: &str = include_str!("../data/fr/claimants.tsv");
const NATIONALITIES: &str = include_str!("../data/fr/nationalities.tsv");
const MILITARY_NOUNS: &str = include_str!("../data/fr/military_nouns.tsv");

/// The form a token is matched by: elided particles as their full word
/// (`d'` → `de`), everything else folded.
pub fn form(t: &Token) -> &str {
    t.form()
}

#[derive(Debug, Clone)]
enum Word {
    Exact(String),
    Prefix(String),
}

impl Word {
    fn matches(&self, f: &str) -> bool {
        match self {
            Word::Exact(w) => match w.as_str() {
                "de" => matches!(f, "de" | "du" | "des"),
                "le" => matches!(f, "le" | "la" | "les"),
                "a" => matches!(f, "a" | "au" | "aux"),
                _ => f == w,
            },
            Word::Prefix(p) => f.starts_with(p.as_str()),
        }
    }
}

/// Phrases with a payload, matched longest first over a token slice.
#[derive(Debug, Clone)]
pub struct Phrases<T> {
    phrases: Vec<(Vec<Word>, T)>,
    /// First exact word → phrase indices.
    by_first: HashMap<String, Vec<usize>>,
    /// Phrases whose first word is a prefix pattern, by the prefix's first byte.
    prefixed: Vec<Vec<usize>>,
    /// Words that may stand between a phrase's words without breaking it
    /// ("entrer vendredi à", "pris jeudi le contrôle").
    skippable: Vec<String>,
}

/// One match: token range [start, end) and the payload.
#[derive(Debug, Clone, Copy)]
pub struct Hit<'a, T> {
    pub start: usize,
    pub end: usize,
    pub value: &'a T,
}

impl<T> Phrases<T> {
    fn new(entries: Vec<(String, T)>) -> Self {
        let mut phrases: Vec<(Vec<Word>, T)> = entries
            .into_iter()
            .map(|(p, v)| {
                let words = p
                    .split_whitespace()
                    .map(|w| match w.strip_suffix('*') {
                        Some(pre) => Word::Prefix(fold(pre).replace(' ', "")),
                        // Elided particles are written out: d' is "de", l' is "le".
                        None => Word::Exact(match fold(w).replace(' ', "").as_str() {
                            "d" => "de".to_string(),
                            "l" => "le".to_string(),
                            "qu" => "que".to_string(),
                            other => other.to_string(),
                        }),
                    })
                    .collect();
                (words, v)
            })
            .collect();
        // Longest phrase first so that it wins over its own prefix.
        phrases.sort_by_key(|(w, _)| std::cmp::Reverse(w.len()));
        let mut by_first: HashMap<String, Vec<usize>> = HashMap::default();
        let mut prefixed = vec![Vec::new(); 256];
        for (i, (words, _)) in phrases.iter().enumerate() {
            match words.first() {
                Some(Word::Exact(w)) => {
                    let keys: &[&str] = match w.as_str() {
                        "de" => &["de", "du", "des"],
                        "le" => &["le", "la", "les"],
                        "a" => &["a", "au", "aux"],
                        other => &[other],
                    };
                    for k in keys {
                        by_first.entry(k.to_string()).or_default().push(i);
                    }
                }
                Some(Word::Prefix(p)) => prefixed[p.bytes().next().unwrap_or(0) as usize].push(i),
                None => {}
            }
        }
        Phrases {
            phrases,
            by_first,
            prefixed,
            skippable: Vec::new(),
        }
    }

    fn skipping(mut self, words: &[&str]) -> Self {
        self.skippable = words.iter().map(|w| w.to_string()).collect();
        self
    }

    /// Match `words` from token `i`, skipping skippable tokens between
    /// words; returns the end token.
    fn match_at(&self, words: &[Word], tokens: &[Token], i: usize) -> Option<usize> {
        let mut k = i;
        for (n, w) in words.iter().enumerate() {
            if n > 0 {
                while k < tokens.len()
                    && self.skippable.iter().any(|s| s == form(&tokens[k]))
                    && !w.matches(form(&tokens[k]))
                {
                    k += 1;
                }
            }
            if k >= tokens.len() || !w.matches(form(&tokens[k])) {
                return None;
            }
            k += 1;
        }
        Some(k)
    }

    /// The longest phrase starting at token `i`.
    pub fn at<'a>(&'a self, tokens: &[Token], i: usize) -> Option<Hit<'a, T>> {
        let f = form(&tokens[i]);
        let exact = self.by_first.get(f).map(Vec::as_slice).unwrap_or(&[]);
        let prefixed = &self.prefixed[f.bytes().next().unwrap_or(0) as usize];
        let mut best: Option<(usize, usize)> = None;
        for &p in exact.iter().chain(prefixed.iter()) {
            let words = &self.phrases[p].0;
            if let Some(end) = self.match_at(words, tokens, i) {
                if best.is_none_or(|(len, _)| words.len() > len) {
                    best = Some((words.len(), p));
                    // Remember where this phrase ended.
                    let _ = end;
                }
            }
        }
        best.and_then(|(_, p)| {
            let end = self.match_at(&self.phrases[p].0, tokens, i)?;
            Some(Hit {
                start: i,
                end,
                value: &self.phrases[p].1,
            })
        })
    }

    /// All non-overlapping matches in `tokens`, left to right.
    pub fn find_all<'a>(&'a self, tokens: &[Token]) -> Vec<Hit<'a, T>> {
        let mut out = Vec::new();
        let mut i = 0;
        while i < tokens.len() {
            match self.at(tokens, i) {
                Some(h) => {
                    i = h.end;
                    out.push(h);
                }
                None => i += 1,
            }
        }
        out
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventType {
    ControlChange,
    Strike,
    Explosion,
    Clash,
    CivilianTargeting,
}

impl EventType {
    pub const ALL: [EventType; 5] = [
        EventType::ControlChange,
        EventType::Strike,
        EventType::Explosion,
        EventType::Clash,
        EventType::CivilianTargeting,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EventType::ControlChange => "control_change",
            EventType::Strike => "strike",
            EventType::Explosion => "explosion",
            EventType::Clash => "clash",
            EventType::CivilianTargeting => "civilian_targeting",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.as_str() == s)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Voice {
    Active,
    Passive,
    Noun,
    /// The subject lost the place: "les FDS se sont retirées de Ras al-Aïn".
    Loss,
}

#[derive(Debug, Clone)]
pub struct Trigger {
    pub event_type: EventType,
    pub subtype: Option<String>,
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
    pub military_nouns: rustc_hash::FxHashSet<String>,
}

fn table<'a>(name: &str, text: &'a str, min: usize) -> Result<Vec<(usize, Vec<&'a str>)>> {
    let mut out = Vec::new();
    let mut header = true;
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        if header {
            header = false;
            continue;
        }
        let f: Vec<&str> = line.split('\t').map(str::trim).collect();
        if f.len() < min || f[0].is_empty() {
            return Err(Error::Input {
                path: Path::new(name).into(),
                line: i + 1,
                field: "row".into(),
                message: format!("expected at least {min} tab-separated fields"),
            });
        }
        out.push((i + 1, f));
    }
    Ok(out)
}

fn bad(name: &str, line: usize, field: &str, message: String) -> Error {
    Error::Input {
        path: Path::new(name).into(),
        line,
        field: field.into(),
        message,
    }
}

impl Lexicon {
    pub fn builtin() -> Result<Self> {
        const T: &str = "backend/extract/data/fr/triggers.tsv";
        let mut triggers = Vec::new();
        for (line, f) in table(T, TRIGGERS, 5)? {
            let event_type = EventType::parse(f[1])
                .ok_or_else(|| bad(T, line, "type", format!("unknown type {:?}", f[1])))?;
            let subtype = Some(f[2].to_string()).filter(|s| !s.is_empty());
            let voice = match f[3] {
                "active" => Voice::Active,
                "passive" => Voice::Passive,
                "noun" => Voice::Noun,
                "loss" => Voice::Loss,
                v => return Err(bad(T, line, "voice", format!("unknown voice {v:?}"))),
            };
            let weight: f64 = f[4]
                .parse()
                .map_err(|_| bad(T, line, "weight", format!("{:?} is not a number", f[4])))?;
            triggers.push((
                f[0].to_string(),
                Trigger {
                    event_type,
                    subtype,
                    voice,
                    weight,
                },
            ));
        }
        let not_triggers = table("backend/extract/data/fr/not_triggers.tsv", NOT_TRIGGERS, 1)?
            .into_iter()
            .map(|(_, f)| (f[0].to_string(), ()))
            .collect();
        const A: &str = "backend/extract/data/fr/actors.tsv";
        let mut actors = Vec::new();
        for (line, f) in table(A, ACTORS, 3)? {
            let rank: u8 = f[2]
                .parse()
                .map_err(|_| bad(A, line, "rank", format!("{:?} is not 1, 2 or 3", f[2])))?;
            actors.push((
                f[0].to_string(),
                ActorAlias {
                    actor: f[1].to_string(),
                    rank,
                },
            ));
        }
        const C: &str = "backend/extract/data/fr/calendar.tsv";
        let mut calendar = HashMap::default();
        for (line, f) in table(C, CALENDAR, 3)? {
            let v: u32 = f[2]
                .parse()
                .map_err(|_| bad(C, line, "value", format!("{:?} is not a number", f[2])))?;
            let entry = match f[1] {
                "weekday" => Calendar::Weekday(v),
                "month" => Calendar::Month(v),
                k => return Err(bad(C, line, "kind", format!("unknown kind {k:?}"))),
            };
            calendar.insert(fold(f[0]), entry);
        }
        const N: &str = "backend/extract/data/fr/numbers.tsv";
        let mut numbers = Vec::new();
        for (line, f) in table(N, NUMBERS, 1)? {
            let value =
                match f.get(1).copied().unwrap_or("") {
                    "" => None,
                    v => Some(v.parse().map_err(|_| {
                        bad(N, line, "value", format!("{v:?} is not a whole number"))
                    })?),
                };
            numbers.push((f[0].to_string(), value));
        }
        const M: &str = "backend/extract/data/fr/markers.tsv";
        let mut markers: Vec<(String, Vec<Marker>)> = Vec::new();
        for (line, f) in table(M, MARKERS, 2)? {
            let m = match f[1] {
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
                r => return Err(bad(M, line, "role", format!("unknown role {r:?}"))),
            };
            match markers.iter_mut().find(|(w, _)| w == f[0]) {
                Some((_, roles)) => roles.push(m),
                None => markers.push((f[0].to_string(), vec![m])),
            }
        }
        let claimants = table("backend/extract/data/fr/claimants.tsv", CLAIMANTS, 2)?
            .into_iter()
            .map(|(_, f)| (f[0].to_string(), f[1].to_string()))
            .collect();
        let nationalities = table(
            "backend/extract/data/fr/nationalities.tsv",
            NATIONALITIES,
            2,
        )?
        .into_iter()
        .map(|(_, f)| (fold(f[0]), f[1].to_string()))
        .collect();
        let military_nouns = table(
            "backend/extract/data/fr/military_nouns.tsv",
            MILITARY_NOUNS,
            1,
        )?
        .into_iter()
        .map(|(_, f)| fold(f[0]))
        .collect();
        Ok(Lexicon {
            nationalities,
            military_nouns,
            triggers: Phrases::new(triggers).skipping(&[
                "lundi",
                "mardi",
                "mercredi",
                "jeudi",
                "vendredi",
                "samedi",
                "dimanche",
                "soir",
                "matin",
                "hier",
                "aussi",
                "egalement",
                "deja",
                "finalement",
                "notamment",
                "brievement",
                "totalement",
                "entierement",
                "completement",
                "partiellement",
                "rapidement",
                "ce",
                "cette",
            ]),
            not_triggers: Phrases::new(not_triggers),
            actors: Phrases::new(actors),
            calendar,
            numbers: Phrases::new(numbers),
            markers: Phrases::new(markers),
            claimants: Phrases::new(claimants),
        })
    }
}

/// Tokens of a phrase, for tests and callers.
pub fn tokens(text: &str) -> Vec<Token> {
    tokenize(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_load_and_match_longest_first() {
        let lex = Lexicon::builtin().unwrap();
        let t = tokens("ont pris le contrôle de la ville");
        let hit = lex.triggers.at(&t, 1).unwrap();
        assert_eq!(hit.end - hit.start, 3);
        let t = tokens("les forces du régime syrien");
        let hit = lex.actors.at(&t, 1).unwrap();
        assert_eq!(hit.value.actor, "Syrian government");
        let t = tokens("s'est emparé d'Alep");
        let hits = lex.triggers.find_all(&t);
        assert_eq!(hits.len(), 1);
        assert_eq!(hits[0].value.event_type, EventType::ControlChange);
    }
}
