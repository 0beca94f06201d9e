//! French words the gazetteer reads around place names, loaded from the
//! tables under `data/fr/` so that an analyst can extend them.

use crate::error::Result;
use crate::normalize::{tokenize, Token};
use crate::place::Kind;
use crate::table::Table;
use compact_str::CompactString;
use std::collections::HashSet;

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
    /// The last word (key) of every cue → the cues it ends, longest
    /// first: most words end none and are rejected at once.
    cues_by_last_word: rustc_hash::FxHashMap<String, Vec<usize>>,
    /// Folded compass word or pair ("sud ouest") → bearing in degrees.
    directions: rustc_hash::FxHashMap<String, f64>,
    stop_names: HashSet<String>,
    stop_words: HashSet<String>,
    not_place_cues: HashSet<String>,
}

/// The cue table (see `data/fr/cues.tsv`), longest phrases first.
fn cues(name: &str, text: &str) -> Result<Vec<Cue>> {
    let mut cues = Vec::new();
    for row in Table::parse(name, text, &["cue", "kinds"])? {
        let kinds = row
            .required("kinds")?
            .split(',')
            .map(|k| k.parse::<Kind>())
            .collect::<std::result::Result<Vec<_>, _>>()
            .map_err(|m| row.error("kinds", m))?;
        let cue = row.get("cue");
        let keys: Vec<String> = tokenize(cue)
            .into_iter()
            .map(|t| t.key().to_string())
            .collect();
        if keys.is_empty() {
            // A cue of no word would announce its kinds before any name.
            return Err(row.error("cue", format!("{cue:?} has no word")));
        }
        cues.push(Cue { keys, kinds });
    }
    cues.sort_by_key(|c| std::cmp::Reverse(c.keys.len()));
    Ok(cues)
}

impl Lexicon {
    pub fn builtin() -> Result<Self> {
        let cues = cues("gazetteer/data/fr/cues.tsv", CUES)?;
        let mut directions = rustc_hash::FxHashMap::default();
        for row in Table::parse(
            "gazetteer/data/fr/directions.tsv",
            DIRECTIONS,
            &["word", "bearing"],
        )? {
            let bearing: f64 = row.parse("bearing", "a number")?;
            directions.insert(crate::normalize::fold(row.get("word")), bearing);
        }
        let words = |name, text, column| -> Result<HashSet<String>> {
            Ok(Table::parse(name, text, &[column])?
                .into_iter()
                .map(|row| crate::normalize::fold(row.get(column)))
                .collect())
        };
        let stop_names = words("gazetteer/data/fr/stopnames.tsv", STOP_NAMES, "name")?;
        let stop_words = words("gazetteer/data/fr/stopwords.tsv", STOP_WORDS, "word")?;
        let not_place_cues = words(
            "gazetteer/data/fr/not_place_cues.tsv",
            NOT_PLACE_CUES,
            "word",
        )?;
        let mut cues_by_last_word = rustc_hash::FxHashMap::<String, Vec<usize>>::default();
        for (i, cue) in cues.iter().enumerate() {
            if let Some(last) = cue.keys.last() {
                cues_by_last_word.entry(last.clone()).or_default().push(i);
            }
        }
        Ok(Lexicon {
            cues_by_last_word,
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

    /// A cue phrase ending exactly at token `end` (exclusive): its kinds
    /// and first token. Most words end none: a caller scanning many words
    /// can check [`Lexicon::ends_cue`] on the last one first and remember
    /// the answer.
    pub fn cue_ending_at(&self, tokens: &[Token], end: usize) -> Option<(&[Kind], usize)> {
        let last = tokens.get(end.checked_sub(1)?)?;
        let ending = last.with_key(|key| self.cues_by_last_word.get(key))?;
        // Longest first, as the cues are sorted.
        ending.iter().find_map(|&c| {
            let cue = &self.cues[c];
            let first = end.checked_sub(cue.keys.len())?;
            tokens[first..end - 1]
                .iter()
                .zip(&cue.keys)
                .all(|(t, k)| t.with_key(|key| key == k))
                .then_some((cue.kinds.as_slice(), first))
        })
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
        self.cues_by_last_word.contains_key(key)
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

    #[test]
    fn a_cue_of_no_word_is_an_error_naming_its_line() {
        let table = "cue\tkinds\nville\tcity\n« »\tcity\n";
        let err = cues("cues.tsv", table).unwrap_err().to_string();
        assert!(err.contains("cues.tsv") && err.contains('3'), "{err}");
        assert!(err.contains("no word"), "{err}");
        let err = cues("cues.tsv", "cue\tkinds\nville\tcitadel\n").unwrap_err();
        assert!(err.to_string().contains("kinds"), "{err}");
    }

    #[test]
    fn cues_end_where_their_last_word_is() {
        let l = Lexicon::builtin().unwrap();
        let t = tokenize("sur la base aérienne Hmeimim");
        let (kinds, first) = l.cue_ending_at(&t, 4).unwrap();
        assert_eq!((kinds, first), (&[Kind::Base][..], 2), "the longest cue");
        assert!(l.cue_ending_at(&t, 2).is_none());
        assert!(l.cue_ending_at(&t, 0).is_none());
    }
}
