//! A small phrase matcher over gazetteer tokens: the French tables'
//! patterns ("pris le contrôle", "s'empar*"), matched longest first.

use crate::key::WordKey;
use gazetteer::normalize::{fold, Token};
use rustc_hash::FxHashMap as HashMap;

/// The form a token is matched by: elided particles as their full word
/// (`d'` → `de`), everything else folded.
pub fn form(t: &Token) -> &str {
    t.form()
}

/// A token as the phrases compare it: its form and that form's key.
#[derive(Clone, Copy)]
struct Seen<'t> {
    form: &'t str,
    key: Option<WordKey>,
}

impl<'t> Seen<'t> {
    #[inline]
    fn new(t: &'t Token) -> Self {
        let form = form(t);
        Seen {
            form,
            key: WordKey::of(form),
        }
    }
}

/// The forms that stand for a word of a table: the word itself, or a
/// particle's contracted and plural forms ("de": "du", "des").
#[derive(Debug, Clone)]
struct Forms {
    keys: Vec<WordKey>,
    /// The forms too long for a key.
    long: Vec<String>,
}

impl Forms {
    fn new(forms: &[&str]) -> Self {
        let mut out = Forms {
            keys: Vec::new(),
            long: Vec::new(),
        };
        for f in forms {
            match WordKey::of(f) {
                Some(k) => out.keys.push(k),
                None => out.long.push(f.to_string()),
            }
        }
        out
    }

    #[inline]
    fn contains(&self, t: Seen) -> bool {
        match t.key {
            Some(k) => self.keys.contains(&k),
            None => self.long.iter().any(|w| w == t.form),
        }
    }
}

#[derive(Debug, Clone)]
enum Word {
    Exact(Forms),
    Prefix(String),
}

/// The forms a table's exact word `w` matches.
fn forms_of(w: &str) -> Vec<&str> {
    match w {
        "de" => vec!["de", "du", "des"],
        "le" => vec!["le", "la", "les"],
        "a" => vec!["a", "au", "aux"],
        other => vec![other],
    }
}

impl Word {
    #[inline]
    fn matches(&self, t: Seen) -> bool {
        match self {
            Word::Exact(forms) => forms.contains(t),
            Word::Prefix(p) => t.form.starts_with(p.as_str()),
        }
    }
}

/// Phrases with a payload, matched longest first over a token slice.
#[derive(Debug, Clone)]
pub struct Phrases<T> {
    phrases: Vec<(Vec<Word>, T)>,
    /// First exact word → phrase indices, by the word's key.
    by_first: HashMap<WordKey, Vec<usize>>,
    /// The same for first words too long for a key.
    by_first_long: HashMap<String, Vec<usize>>,
    /// Phrases whose first word is a prefix pattern, by the prefix's first byte.
    prefixed: Vec<Vec<usize>>,
    /// Words that may stand between a phrase's words without breaking it
    /// ("entrer vendredi à", "pris jeudi le contrôle").
    skippable: Forms,
}

/// One match: token range [start, end) and the payload.
#[derive(Debug, Clone, Copy)]
pub struct Hit<'a, T> {
    pub start: usize,
    pub end: usize,
    pub value: &'a T,
}

impl<T> Phrases<T> {
    /// Phrases as written in a table (`*` ends a prefix), with their payloads.
    pub fn new(entries: Vec<(String, T)>) -> Self {
        let mut phrases: Vec<(Vec<(String, bool)>, T)> = entries
            .into_iter()
            .map(|(p, v)| {
                let words = p
                    .split_whitespace()
                    .map(|w| match w.strip_suffix('*') {
                        Some(pre) => (fold(pre).replace(' ', ""), true),
                        // Elided particles are written out: d' is "de", l' is "le".
                        None => (
                            match fold(w).replace(' ', "").as_str() {
                                "d" => "de".to_string(),
                                "l" => "le".to_string(),
                                "qu" => "que".to_string(),
                                other => other.to_string(),
                            },
                            false,
                        ),
                    })
                    .collect();
                (words, v)
            })
            .collect();
        // Longest phrase first so that it wins over its own prefix.
        phrases.sort_by_key(|(w, _)| std::cmp::Reverse(w.len()));
        let mut by_first: HashMap<WordKey, Vec<usize>> = HashMap::default();
        let mut by_first_long: HashMap<String, Vec<usize>> = HashMap::default();
        let mut prefixed = vec![Vec::new(); 256];
        for (i, (words, _)) in phrases.iter().enumerate() {
            match words.first() {
                Some((w, false)) => {
                    for k in forms_of(w) {
                        match WordKey::of(k) {
                            Some(key) => by_first.entry(key).or_default().push(i),
                            None => by_first_long.entry(k.to_string()).or_default().push(i),
                        }
                    }
                }
                Some((p, true)) => prefixed[p.bytes().next().unwrap_or(0) as usize].push(i),
                None => {}
            }
        }
        let phrases = phrases
            .into_iter()
            .map(|(words, v)| {
                let words = words
                    .into_iter()
                    .map(|(w, prefix)| match prefix {
                        true => Word::Prefix(w),
                        false => Word::Exact(Forms::new(&forms_of(&w))),
                    })
                    .collect();
                (words, v)
            })
            .collect();
        Phrases {
            phrases,
            by_first,
            by_first_long,
            prefixed,
            skippable: Forms::new(&[]),
        }
    }

    /// Words that may stand between a phrase's words.
    pub fn skipping(mut self, words: Vec<String>) -> Self {
        let words: Vec<&str> = words.iter().map(String::as_str).collect();
        self.skippable = Forms::new(&words);
        self
    }

    /// Match `words` from token `i` (seen as `first`), skipping skippable
    /// tokens between words; returns the end token.
    fn match_at(&self, words: &[Word], tokens: &[Token], i: usize, first: Seen) -> Option<usize> {
        let (w0, rest) = words.split_first()?;
        if !w0.matches(first) {
            return None;
        }
        let mut k = i + 1;
        for w in rest {
            let mut t = Seen::new(tokens.get(k)?);
            while self.skippable.contains(t) && !w.matches(t) {
                k += 1;
                t = Seen::new(tokens.get(k)?);
            }
            if !w.matches(t) {
                return None;
            }
            k += 1;
        }
        Some(k)
    }

    /// The longest phrase starting at token `i`.
    pub fn at<'a>(&'a self, tokens: &[Token], i: usize) -> Option<Hit<'a, T>> {
        let first = Seen::new(&tokens[i]);
        let exact = match first.key {
            Some(k) => self.by_first.get(&k),
            None => self.by_first_long.get(first.form),
        }
        .map(Vec::as_slice)
        .unwrap_or(&[]);
        let prefixed = &self.prefixed[first.form.bytes().next().unwrap_or(0) as usize];
        // (words, phrase, end): the most words wins, the first listed on a tie.
        let mut best: Option<(usize, usize, usize)> = None;
        for &p in exact.iter().chain(prefixed.iter()) {
            let words = &self.phrases[p].0;
            if best.is_some_and(|(len, _, _)| words.len() <= len) {
                continue;
            }
            if let Some(end) = self.match_at(words, tokens, i, first) {
                best = Some((words.len(), p, end));
            }
        }
        best.map(|(_, p, end)| Hit {
            start: i,
            end,
            value: &self.phrases[p].1,
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
