//! French words the gazetteer reads around place names, loaded from the
//! tables under `data/fr/` so that an analyst can extend them.

use crate::error::{Error, Result};
use crate::normalize::{tokenize, Token};
use crate::place::Kind;
use compact_str::CompactString;
use std::collections::HashSet;
use std::path::Path;

const CUES: &str = include_str!("../data/fr/cues.tsv");
const DIRECTIONS: &str = include_str!("../data/fr/directions.tsv");
const STOP_NAMES: &str = include_str!("../data/fr/stopnames.tsv");
const STOP_WORDS: &str = include_str!("../data/fr/stopwords.tsv");
const NOT_PLACE_CUES: &str = include_str!("../data/fr/not_place_cues.tsv");

/// A cue phrase ("base aérienne") and the kinds it announces.
#[derive(Debug, Clone)]
pub struct Cue {
    /// Token keys of the phrase.
    pub keys: Vec<String>,
    pub kinds: Vec<Kind>,
}

#[derive(Debug, Clone)]
pub struct Lexicon {
    /// Longest phrases first.
    pub cues: Vec<Cue>,
    /// The last word (key) of every cue, to reject most words at once.
    cue_last_words: rustc_hash::FxHashSet<String>,
    /// Folded compass word or pair ("sud ouest") → bearing in degrees.
    directions: rustc_hash::FxHashMap<String, f64>,
    stop_names: HashSet<String>,
    stop_words: HashSet<String>,
    not_place_cues: HashSet<String>,
}

/// Rows of a small table: header skipped, `#` comments skipped, at least
/// `min_fields` fields.
fn rows<'a>(name: &'a str, text: &'a str, min_fields: usize) -> Result<Vec<(usize, Vec<&'a str>)>> {
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
        let f: Vec<&str> = line.split('\t').collect();
        if f.len() < min_fields || f[0].trim().is_empty() {
            return Err(Error::Row {
                path: Path::new(name).into(),
                line: i + 1,
                field: "row".into(),
                message: format!("expected at least {min_fields} fields"),
            });
        }
        out.push((i + 1, f));
    }
    Ok(out)
}

impl Lexicon {
    pub fn builtin() -> Result<Self> {
        let mut cues = Vec::new();
        for (line, f) in rows("gazetteer/data/fr/cues.tsv", CUES, 2)? {
            let kinds = f[1]
                .split(',')
                .map(|k| k.parse::<Kind>())
                .collect::<std::result::Result<Vec<_>, _>>()
                .map_err(|m| Error::Row {
                    path: "gazetteer/data/fr/cues.tsv".into(),
                    line,
                    field: "kinds".into(),
                    message: m,
                })?;
            let keys = tokenize(f[0])
                .into_iter()
                .map(|t| t.key().to_string())
                .collect();
            cues.push(Cue { keys, kinds });
        }
        cues.sort_by_key(|c| std::cmp::Reverse(c.keys.len()));
        let mut directions = rustc_hash::FxHashMap::default();
        for (line, f) in rows("gazetteer/data/fr/directions.tsv", DIRECTIONS, 2)? {
            let bearing: f64 = f[1].trim().parse().map_err(|_| Error::Row {
                path: "gazetteer/data/fr/directions.tsv".into(),
                line,
                field: "bearing".into(),
                message: format!("{:?} is not a number", f[1]),
            })?;
            directions.insert(crate::normalize::fold(f[0]), bearing);
        }
        let stop_names = rows("gazetteer/data/fr/stopnames.tsv", STOP_NAMES, 1)?
            .into_iter()
            .map(|(_, f)| crate::normalize::fold(f[0]))
            .collect();
        let stop_words = rows("gazetteer/data/fr/stopwords.tsv", STOP_WORDS, 1)?
            .into_iter()
            .map(|(_, f)| crate::normalize::fold(f[0]))
            .collect();
        let not_place_cues = rows("gazetteer/data/fr/not_place_cues.tsv", NOT_PLACE_CUES, 1)?
            .into_iter()
            .map(|(_, f)| crate::normalize::fold(f[0]))
            .collect();
        let cue_last_words = cues.iter().filter_map(|c| c.keys.last().cloned()).collect();
        Ok(Lexicon {
            cue_last_words,
            cues,
            directions,
            stop_names,
            stop_words,
            not_place_cues,
        })
    }

    /// A name that must never be indexed.
    pub fn is_stop_name(&self, norm: &str) -> bool {
        self.stop_names.contains(norm)
    }

    /// A capitalised French word that is never a place on its own.
    pub fn is_stop_word(&self, norm: &str) -> bool {
        self.stop_words.contains(norm)
    }

    /// A word after which a name is an organisation, a medium or a person:
    /// "journal", "chaîne", "brigade".
    pub fn is_not_place_cue(&self, norm: &str) -> bool {
        self.not_place_cues.contains(norm)
    }

    /// A cue phrase at the start of `tokens`, with the particle after it:
    /// returns the kinds and how many tokens it used.
    pub fn cue_at_start(&self, tokens: &[Token]) -> Option<(&[Kind], usize)> {
        let keys: Vec<CompactString> = tokens.iter().map(Token::key).collect();
        for cue in &self.cues {
            let n = cue.keys.len();
            if keys.len() >= n && keys.iter().zip(&cue.keys).all(|(t, k)| t == k) {
                let mut used = n;
                while tokens
                    .get(used)
                    .is_some_and(|t| matches!(t.form(), "de" | "du" | "des" | "le" | "la" | "les"))
                {
                    used += 1;
                }
                return Some((&cue.kinds, used));
            }
        }
        None
    }

    /// A cue phrase ending exactly at token `end` (exclusive). Most words
    /// end none: a caller scanning many words checks [`Lexicon::ends_cue`]
    /// on the last one first (and can remember the answer).
    pub fn cue_ending_at(&self, tokens: &[Token], end: usize) -> Option<(&[Kind], usize)> {
        // Cues are sorted longest first.
        let longest = self.cues.first().map_or(0, |c| c.keys.len());
        let keys: Vec<CompactString> = tokens[end.saturating_sub(longest)..end]
            .iter()
            .map(Token::key)
            .collect();
        for cue in &self.cues {
            let n = cue.keys.len();
            if keys.len() >= n
                && keys[keys.len() - n..]
                    .iter()
                    .zip(&cue.keys)
                    .all(|(t, k)| t == k)
            {
                return Some((&cue.kinds, end - n));
            }
        }
        None
    }

    /// The bearing of a folded compass word.
    pub fn bearing(&self, norm: &str) -> Option<f64> {
        self.directions.get(norm).copied()
    }

    /// The bearing of two folded compass words ("sud", "ouest").
    pub fn bearing_of_pair(&self, first: &str, second: &str) -> Option<f64> {
        let mut pair = CompactString::with_capacity(first.len() + second.len() + 1);
        pair.push_str(first);
        pair.push(' ');
        pair.push_str(second);
        self.bearing(&pair)
    }

    /// Whether a word with this key ends some cue phrase: most words end
    /// none, so [`Lexicon::cue_ending_at`] can be skipped for them.
    pub fn ends_cue(&self, key: &str) -> bool {
        self.cue_last_words.contains(key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_tables_load() {
        let l = Lexicon::builtin().unwrap();
        assert!(l.is_stop_name("cham"));
        assert!(l.is_stop_word("selon"));
        assert_eq!(l.bearing("sud ouest"), Some(225.0));
        let t = tokenize("base aérienne de Hmeimim");
        let (kinds, used) = l.cue_at_start(&t).unwrap();
        assert_eq!(kinds, [Kind::Base]);
        assert_eq!(used, 3);
    }
}
