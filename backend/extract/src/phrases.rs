//! A small phrase matcher over the article's tokens: the French tables'
//! patterns ("pris le contrôle", "empar*"), matched longest first. Words
//! are compared by their [`WordId`], looked up once per token.

use crate::token::{Token, WordId, WordIndex};
use gazetteer::normalize::fold;

/// The form a token is matched by: elided particles as their full word
/// (`d'` → `de`), everything else folded.
pub fn form(t: &Token) -> &str {
    t.form()
}

/// A word of a phrase.
#[derive(Debug, Clone, Copy)]
enum Word {
    /// A word, by the ids of the (up to three) forms that stand for it:
    /// itself, or a particle's contracted and plural forms ("de": "du",
    /// "des"); a single form is repeated.
    Exact([WordId; 3]),
    /// A prefix, by its place in [`Phrases::prefixes`].
    Prefix(u32),
}

/// The forms a table's exact word `w` matches.
fn forms_of(w: &str) -> [&str; 3] {
    match w {
        "de" => ["de", "du", "des"],
        "le" => ["le", "la", "les"],
        "a" => ["a", "au", "aux"],
        other => [other; 3],
    }
}

/// Phrases with a payload, matched longest first over a token slice.
#[derive(Debug, Clone)]
pub struct Phrases<T> {
    /// Every phrase's words, one phrase after another (one allocation, so
    /// that matching reads them from one place).
    words: Vec<Word>,
    prefixes: Vec<String>,
    /// Each phrase's words (start and count in `words`), longest first,
    /// and its payload.
    spans: Vec<(u32, u32)>,
    values: Vec<T>,
    /// First exact word (by id) → phrase indices; ids past its end start
    /// no phrase.
    by_first: Vec<Vec<u32>>,
    /// Phrases whose first word is a prefix pattern, by the prefix's first byte.
    prefixed: Vec<Vec<u32>>,
    /// A bit per word id that starts a phrase, and one per first two bytes
    /// of a prefix (hashed, see [`lead_bit`]): most tokens start none, and
    /// these small sets say so without reading the (larger, seldom cached)
    /// lists above.
    starts: Vec<u64>,
    prefix_leads: [u64; LEAD_BITS / 64],
    /// Words that may stand between a phrase's words without breaking it
    /// ("entrer vendredi à", "pris jeudi le contrôle").
    skippable: Vec<WordId>,
}

/// One match: token range [start, end) and the payload.
#[derive(Debug, Clone, Copy)]
pub struct Hit<'a, T> {
    pub start: usize,
    pub end: usize,
    pub value: &'a T,
}

/// A table's word, before numbering: a prefix (`s'empar*`), or a folded
/// word with its elided particles written out (d' is "de", l' is "le").
enum Written {
    Exact(String),
    Prefix(String),
}

fn written(w: &str) -> Written {
    match w.strip_suffix('*') {
        Some(pre) => Written::Prefix(fold(pre).replace(' ', "")),
        None => Written::Exact(match fold(w).replace(' ', "").as_str() {
            "d" => "de".to_string(),
            "l" => "le".to_string(),
            "qu" => "que".to_string(),
            other => other.to_string(),
        }),
    }
}

/// The size of the set of prefixes' first two bytes.
const LEAD_BITS: usize = 1024;

/// The bit of a word's first two bytes (the second 0 for a word of one
/// byte) in a set of [`LEAD_BITS`] bits: two leads may share one.
fn lead_bit(first: u8, second: u8) -> usize {
    (first as usize * 31 + second as usize) % LEAD_BITS
}

/// Set bit `i` of a bit set.
fn set_bit(bits: &mut [u64], i: usize) {
    bits[i / 64] |= 1 << (i % 64);
}

impl<T> Phrases<T> {
    /// Phrases as written in a table (`*` ends a prefix), with their
    /// payloads; their words are numbered in `index`.
    pub(crate) fn new(entries: Vec<(String, T)>, index: &mut WordIndex) -> Self {
        let mut phrases: Vec<(Vec<Written>, T)> = entries
            .into_iter()
            .map(|(p, v)| (p.split_whitespace().map(written).collect(), v))
            .collect();
        // Longest phrase first so that it wins over its own prefix.
        phrases.sort_by_key(|(w, _)| std::cmp::Reverse(w.len()));
        let mut out = Phrases {
            words: Vec::new(),
            prefixes: Vec::new(),
            spans: Vec::new(),
            values: Vec::new(),
            by_first: Vec::new(),
            prefixed: vec![Vec::new(); 256],
            starts: Vec::new(),
            prefix_leads: [0; LEAD_BITS / 64],
            skippable: Vec::new(),
        };
        let mut first_ids: Vec<(WordId, u32)> = Vec::new();
        for (i, (words, value)) in phrases.into_iter().enumerate() {
            let i = i as u32;
            out.spans.push((out.words.len() as u32, words.len() as u32));
            out.values.push(value);
            for (n, w) in words.into_iter().enumerate() {
                let word = match w {
                    Written::Exact(w) => Word::Exact(forms_of(&w).map(|f| index.intern(f))),
                    Written::Prefix(p) => {
                        out.prefixes.push(p);
                        Word::Prefix(out.prefixes.len() as u32 - 1)
                    }
                };
                match (n, word) {
                    (0, Word::Exact(ids)) => {
                        let mut ids = ids.to_vec();
                        ids.dedup();
                        first_ids.extend(ids.into_iter().map(|id| (id, i)));
                    }
                    (0, Word::Prefix(p)) => {
                        let bytes = out.prefixes[p as usize].as_bytes();
                        let b = bytes.first().copied().unwrap_or(0);
                        out.prefixed[b as usize].push(i);
                        // A prefix of one byte (or none) leads any word
                        // starting with it.
                        match bytes.get(1) {
                            Some(&second) => set_bit(&mut out.prefix_leads, lead_bit(b, second)),
                            None => (0..=255u8)
                                .for_each(|x| set_bit(&mut out.prefix_leads, lead_bit(b, x))),
                        }
                    }
                    _ => {}
                }
                out.words.push(word);
            }
        }
        out.by_first = vec![Vec::new(); index.len()];
        out.starts = vec![0; index.len().div_ceil(64)];
        for (id, i) in first_ids {
            out.by_first[id.index()].push(i);
            set_bit(&mut out.starts, id.index());
        }
        out
    }

    /// Words that may stand between a phrase's words.
    pub(crate) fn skipping(mut self, words: Vec<String>, index: &mut WordIndex) -> Self {
        self.skippable = words.iter().map(|w| index.intern(w)).collect();
        self
    }

    #[inline]
    fn matches(&self, w: Word, t: &Token) -> bool {
        match w {
            Word::Exact(ids) => ids.contains(&t.form_id),
            Word::Prefix(p) => t.form().starts_with(self.prefixes[p as usize].as_str()),
        }
    }

    fn skippable(&self, t: &Token) -> bool {
        self.skippable.contains(&t.form_id)
    }

    /// Match phrase `p` from token `i`, skipping skippable tokens between
    /// words; returns the end token.
    fn match_at(&self, p: usize, tokens: &[Token], i: usize) -> Option<usize> {
        let (start, len) = self.spans[p];
        let words = &self.words[start as usize..(start + len) as usize];
        let (&w0, rest) = words.split_first()?;
        if !self.matches(w0, &tokens[i]) {
            return None;
        }
        let mut k = i + 1;
        for &w in rest {
            while tokens
                .get(k)
                .is_some_and(|t| self.skippable(t) && !self.matches(w, t))
            {
                k += 1;
            }
            if !tokens.get(k).is_some_and(|t| self.matches(w, t)) {
                return None;
            }
            k += 1;
        }
        Some(k)
    }

    /// The longest phrase starting at token `i`.
    #[inline]
    pub fn at<'a>(&'a self, tokens: &[Token], i: usize) -> Option<Hit<'a, T>> {
        // Most tokens start no phrase: two bit tests say so, before any
        // list is read.
        let t = &tokens[i];
        let id = t.form_id.index();
        let exact = self
            .starts
            .get(id / 64)
            .is_some_and(|bits| bits & (1 << (id % 64)) != 0);
        let [first, second] = t.lead;
        let lead = lead_bit(first, second);
        let prefixed = self.prefix_leads[lead / 64] & (1 << (lead % 64)) != 0;
        if !exact && !prefixed {
            return None;
        }
        self.longest_at(tokens, i, exact, prefixed)
    }

    /// [`Phrases::at`] for a token that may start a phrase: with an exact
    /// first word, with a prefix, or both.
    #[inline(never)]
    fn longest_at<'a>(
        &'a self,
        tokens: &[Token],
        i: usize,
        exact: bool,
        prefixed: bool,
    ) -> Option<Hit<'a, T>> {
        let t = &tokens[i];
        let exact: &[u32] = if exact {
            &self.by_first[t.form_id.index()]
        } else {
            &[]
        };
        let prefixed: &[u32] = if prefixed {
            &self.prefixed[t.lead[0] as usize]
        } else {
            &[]
        };
        // (words, phrase, end): the most words wins, the first listed on a
        // tie. Each list is longest first: once a phrase of it matched,
        // the rest of the list cannot win.
        let mut best: Option<(u32, usize, usize)> = None;
        for list in [exact, prefixed] {
            for &p in list {
                let p = p as usize;
                let len = self.spans[p].1;
                if best.is_some_and(|(most, _, _)| len <= most) {
                    break;
                }
                if let Some(end) = self.match_at(p, tokens, i) {
                    best = Some((len, p, end));
                }
            }
        }
        best.map(|(_, p, end)| Hit {
            start: i,
            end,
            value: &self.values[p],
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

#[cfg(test)]
mod tests {
    use super::*;

    /// A table of phrases numbered like the lexicon's, and a text's tokens.
    fn table(entries: &[(&str, u32)], skippable: &[&str]) -> (Phrases<u32>, WordIndex) {
        let mut index = WordIndex::default();
        let entries = entries.iter().map(|(p, v)| (p.to_string(), *v)).collect();
        let skippable = skippable.iter().map(|s| s.to_string()).collect();
        let phrases = Phrases::new(entries, &mut index).skipping(skippable, &mut index);
        (phrases, index)
    }

    fn tokens(text: &str, index: &WordIndex) -> Vec<Token> {
        gazetteer::normalize::tokenize(text)
            .into_iter()
            .map(|t| Token::new(t, index))
            .collect()
    }

    /// (start, end, value) of every match.
    fn hits(p: &Phrases<u32>, tokens: &[Token]) -> Vec<(usize, usize, u32)> {
        p.find_all(tokens)
            .iter()
            .map(|h| (h.start, h.end, *h.value))
            .collect()
    }

    #[test]
    fn the_longest_phrase_wins_and_the_first_listed_on_a_tie() {
        let (p, index) = table(
            &[
                ("pris", 1),
                ("pris le contrôle", 2),
                ("pris le", 3),
                ("pris la", 4),
            ],
            &[],
        );
        let t = tokens(
            "ils ont pris le contrôle puis pris la ville et pris Alep",
            &index,
        );
        assert_eq!(hits(&p, &t), vec![(2, 5, 2), (6, 8, 3), (10, 11, 1)]);
    }

    #[test]
    fn particles_stand_for_their_contracted_and_plural_forms() {
        let (p, index) = table(&[("aux mains d'", 1), ("sous le contrôle de", 2)], &[]);
        let t = tokens(
            "aux mains des rebelles, sous la contrôle du régime, aux mains de l'armée",
            &index,
        );
        assert_eq!(hits(&p, &t), vec![(0, 3, 1), (4, 8, 2), (9, 12, 1)]);
        // "aux" is no form of "de": the phrase needs its own words.
        let t = tokens("aux mains aux rebelles", &index);
        assert!(hits(&p, &t).is_empty());
    }

    #[test]
    fn prefixes_match_any_ending_and_skippable_words_may_stand_between() {
        let (p, index) = table(
            &[("empar*", 1), ("pris le contrôle", 2), ("entré* dans", 3)],
            &["jeudi", "ainsi"],
        );
        let t = tokens("ils se sont emparés de Raqqa", &index);
        assert_eq!(hits(&p, &t), vec![(3, 4, 1)]);
        let t = tokens(
            "ont pris jeudi le contrôle, sont entrés ainsi jeudi dans",
            &index,
        );
        assert_eq!(hits(&p, &t), vec![(1, 5, 2), (6, 10, 3)]);
        // A skippable word that is the next word itself is that word.
        let (p, index) = table(&[("pris ainsi", 1)], &["ainsi"]);
        let t = tokens("pris ainsi", &index);
        assert_eq!(hits(&p, &t), vec![(0, 2, 1)]);
        // Skipping stops at the end of the slice.
        let t = tokens("pris jeudi", &index);
        assert!(hits(&p, &t).is_empty());
    }

    #[test]
    fn words_no_table_names_start_nothing() {
        let (p, index) = table(&[("frappe aérienne", 1)], &[]);
        let t = tokens("une frappe aérienne, des frappes aériennes", &index);
        assert_eq!(hits(&p, &t), vec![(1, 3, 1)]);
        assert_eq!(t[5].form_id, WordId::NONE);
        assert!(p.at(&t, 5).is_none());
    }
}
