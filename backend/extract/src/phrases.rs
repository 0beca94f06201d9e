//! A small phrase matcher over gazetteer tokens: the French tables'
//! patterns ("pris le contrôle", "s'empar*"), matched longest first.

use gazetteer::normalize::{fold, Token};
use rustc_hash::FxHashMap as HashMap;

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
    /// Phrases as written in a table (`*` ends a prefix), with their payloads.
    pub fn new(entries: Vec<(String, T)>) -> Self {
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

    /// Words that may stand between a phrase's words.
    pub fn skipping(mut self, words: Vec<String>) -> Self {
        self.skippable = words;
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
        // (words, phrase, end): the most words wins, the first listed on a tie.
        let mut best: Option<(usize, usize, usize)> = None;
        for &p in exact.iter().chain(prefixed.iter()) {
            let words = &self.phrases[p].0;
            if let Some(end) = self.match_at(words, tokens, i) {
                if best.is_none_or(|(len, _, _)| words.len() > len) {
                    best = Some((words.len(), p, end));
                }
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
