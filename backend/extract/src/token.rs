//! The article's tokens as the rules read them: the gazetteer's tokens,
//! each word looked up once in the lexicon's word index. The rules ask a
//! dozen questions of every token (its word classes, whether a phrase of
//! each table starts there); with the word's index entry at hand they are
//! array reads, where hashing the word's string for each was over a third
//! of extraction time.

use crate::key::WordKey;
use compact_str::CompactString;
use rustc_hash::FxHashMap as HashMap;
use std::fmt;
use std::ops::Deref;

/// A word of the French tables, by its place in the lexicon's word
/// index; [`WordId::NONE`] for a word no table names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct WordId(u32);

impl WordId {
    /// A word that no table names.
    pub const NONE: WordId = WordId(0);

    pub(crate) fn index(self) -> usize {
        self.0 as usize
    }
}

/// Every word the French tables name (folded), numbered.
#[derive(Debug, Clone, Default)]
pub(crate) struct WordIndex {
    by_key: HashMap<WordKey, WordId>,
    /// The words too long for a key.
    long: HashMap<String, WordId>,
    count: u32,
}

impl WordIndex {
    /// The id of folded word `w`, numbering it if it is new.
    pub fn intern(&mut self, w: &str) -> WordId {
        if let Some(id) = self.lookup(w) {
            return id;
        }
        self.count += 1;
        let id = WordId(self.count);
        match WordKey::of(w) {
            Some(k) => self.by_key.insert(k, id),
            None => self.long.insert(w.to_string(), id),
        };
        id
    }

    fn lookup(&self, w: &str) -> Option<WordId> {
        match WordKey::of(w) {
            Some(k) => self.by_key.get(&k).copied(),
            None => self.long.get(w).copied(),
        }
    }

    /// The id of folded word `w`; [`WordId::NONE`] if no table names it.
    pub fn get(&self, w: &str) -> WordId {
        self.lookup(w).unwrap_or(WordId::NONE)
    }

    /// One more than the largest id: the size of a table indexed by id.
    pub fn len(&self) -> usize {
        self.count as usize + 1
    }
}

/// A token's folded word (the gazetteer's `norm`) with its index entry.
/// It reads as a `str`.
#[derive(Clone, PartialEq, Eq)]
pub struct Norm {
    text: CompactString,
    pub(crate) id: WordId,
}

impl Norm {
    pub fn as_str(&self) -> &str {
        self.text.as_str()
    }
}

impl Deref for Norm {
    type Target = str;
    fn deref(&self) -> &str {
        self.text.as_str()
    }
}

impl PartialEq<str> for Norm {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for Norm {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl fmt::Debug for Norm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for Norm {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A word as the tables are asked about it: a string, or a token's word
/// whose index entry is known.
pub trait AsWord {
    fn text(&self) -> &str;
    /// The word's index entry, when it was looked up already.
    fn id(&self) -> Option<WordId> {
        None
    }
}

impl AsWord for str {
    fn text(&self) -> &str {
        self
    }
}

impl AsWord for String {
    fn text(&self) -> &str {
        self
    }
}

impl AsWord for Norm {
    fn text(&self) -> &str {
        self.as_str()
    }
    fn id(&self) -> Option<WordId> {
        Some(self.id)
    }
}

/// One token of the article.
#[derive(Debug, Clone)]
pub struct Token {
    /// Byte offsets into the original text.
    pub start: usize,
    pub end: usize,
    pub norm: Norm,
    /// An elided French particle (`d'`, `l'`, `qu'`).
    pub elided: bool,
    /// First letter is uppercase in the original text.
    pub capitalized: bool,
    /// The index entry of [`Token::form`].
    pub(crate) form_id: WordId,
    /// The first two bytes of [`Token::form`] (0 for none).
    pub(crate) lead: [u8; 2],
}

impl Token {
    /// The gazetteer's token `t`, its word and form looked up in `index`.
    pub(crate) fn new(t: gazetteer::normalize::Token, index: &WordIndex) -> Self {
        let form_id = index.get(t.form());
        let form = t.form().as_bytes();
        let lead = [0, 1].map(|k| form.get(k).copied().unwrap_or(0));
        let norm = Norm {
            id: if t.elided {
                index.get(&t.norm)
            } else {
                form_id
            },
            text: t.norm,
        };
        Token {
            start: t.start,
            end: t.end,
            norm,
            elided: t.elided,
            capitalized: t.capitalized,
            form_id,
            lead,
        }
    }

    /// The word as grammar sees it: an elided particle as its full form
    /// (`d'` → `de`, `l'` → `le`), any other word folded (as the
    /// gazetteer's `Token::form`).
    pub fn form(&self) -> &str {
        gazetteer::normalize::grammatical_form(self.elided, &self.norm)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_read_as_the_gazetteers_with_their_words_numbered() {
        let mut index = WordIndex::default();
        let de = index.intern("de");
        let prise = index.intern("prise");
        let text = "la prise d'Alep, qu'ils";
        let raw = gazetteer::normalize::tokenize(text);
        let tokens: Vec<Token> = raw.iter().cloned().map(|t| Token::new(t, &index)).collect();
        assert_eq!(tokens.len(), raw.len());
        for (t, r) in tokens.iter().zip(&raw) {
            assert_eq!(
                (t.start, t.end, t.norm.as_str()),
                (r.start, r.end, &*r.norm)
            );
            assert_eq!(t.form(), r.form());
            assert_eq!(t.lead[0], t.form().as_bytes()[0]);
            assert_eq!((t.elided, t.capitalized), (r.elided, r.capitalized));
        }
        assert_eq!(tokens[1].norm.id, prise);
        assert_eq!(tokens[1].form_id, prise);
        // "d'": its form is "de", its norm "d", a word of no table.
        assert_eq!((tokens[2].form_id, tokens[2].norm.id), (de, WordId::NONE));
        assert_eq!(tokens[3].norm.id, WordId::NONE);
        assert_eq!(index.get("alep"), WordId::NONE);
        assert_eq!(index.intern("prise"), prise);
        assert_eq!(index.len(), 3);
    }
}
