//! Text normalisation shared by indexing and scanning.
//!
//! A text is cut into [`Token`]s: runs of letters and digits. Apostrophes
//! inside a word are dropped (`Dar'a`, `Ma'arrat`) except after a French
//! elided particle (`d'Alep`, `l'Idleb`, `qu'Alep`), where they end the
//! particle. Hyphens and spaces separate tokens but keep them *joinable*, so
//! that `Deir ez-Zor` and `Khan-Cheikhoun` can match a multi-word name.
//!
//! Each token gets two forms:
//! - `norm`: lowercase ASCII-folded letters (`Lattaquié` → `lattaquie`);
//! - `key`: a transliteration-aware key (`Lattaquié`, `Latakia`, `Lattakia`
//!   → `latak`) that folds the spelling differences of French, English and
//!   Arabic transliterations: `ou`/`u`, `ch`/`sh`, `q`/`k`, doubled letters,
//!   vowel quality, final vowels and `h`.

use compact_str::CompactString;
use unicode_normalization::char::decompose_canonical;

/// Arabic definite article forms, dropped from names and text when they
/// precede a word (`al-Bab`, `ez-Zor`, `ach-Choughour`).
const ARTICLES: &[&str] = &[
    "al", "el", "il", "ul", "ad", "ed", "ar", "er", "as", "es", "at", "et", "az", "ez", "an", "en",
    "ash", "esh", "ach", "ech", "ath", "eth", "adh", "edh", "ag", "ech", "ul",
];

/// Articles that stand as a separate word ("Ras al Ain", "Tell el Hawa"):
/// only these, because French `en`, `et`, `es` are ordinary words.
const SPACED_ARTICLES: &[&str] = &["al", "el"];

/// French particles that elide before a vowel: `d'Alep`, `l'Idleb`.
const ELIDED: &[&str] = &[
    "d", "l", "qu", "j", "n", "s", "c", "m", "t", "jusqu", "lorsqu", "puisqu", "presqu", "quoiqu",
];

/// How a token is separated from the next one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Joint {
    /// Only spaces, hyphens or an elision apostrophe: a place name may span it.
    Join,
    /// Punctuation or a line break: a name never spans it.
    Break,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// Byte offsets into the original text.
    pub start: usize,
    pub end: usize,
    /// Short strings stay inline: no allocation for almost every word.
    pub norm: CompactString,
    pub key: CompactString,
    /// First letter is uppercase in the original text.
    pub capitalized: bool,
    /// An Arabic article (`al`, `ez`…) attached to the following word.
    pub article: bool,
    /// Separation from the next token.
    pub joint: Joint,
    /// The token follows a sentence end (or starts the text).
    pub sentence_start: bool,
}

impl Token {
    /// The word as grammar sees it: an elided particle as its full form
    /// (`d'` → `de`, `l'` → `le`), any other word folded.
    pub fn form(&self) -> &str {
        if self.norm.len() < self.key.len() && matches!(self.key.as_str(), "de" | "le" | "que") {
            &self.key
        } else {
            &self.norm
        }
    }
}

/// Where folded letters go: a `String` or an inline `CompactString`.
pub trait FoldTarget {
    fn push(&mut self, c: char);
    fn push_str(&mut self, s: &str);
}

impl FoldTarget for String {
    fn push(&mut self, c: char) {
        String::push(self, c)
    }
    fn push_str(&mut self, s: &str) {
        String::push_str(self, s)
    }
}

impl FoldTarget for CompactString {
    fn push(&mut self, c: char) {
        CompactString::push(self, c)
    }
    fn push_str(&mut self, s: &str) {
        CompactString::push_str(self, s)
    }
}

/// Lowercase and strip diacritics, keeping only what [`Token::norm`] keeps
/// for one word: letters and digits.
pub fn fold_char(c: char, out: &mut impl FoldTarget) {
    if c.is_ascii() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        }
        return;
    }
    match c {
        'œ' | 'Œ' => out.push_str("oe"),
        'æ' | 'Æ' => out.push_str("ae"),
        'ß' => out.push_str("ss"),
        'ı' => out.push('i'),
        'ł' | 'Ł' => out.push('l'),
        'ø' | 'Ø' => out.push('o'),
        'đ' | 'Đ' => out.push('d'),
        _ => decompose_canonical(c, |d| {
            if d.is_ascii_alphanumeric() {
                out.push(d.to_ascii_lowercase());
            } else if d.is_alphabetic() {
                // Non-Latin letters (Arabic, Cyrillic) are kept as they are,
                // lowercased, so Arabic names still index and match.
                for l in d.to_lowercase() {
                    out.push(l);
                }
            }
        }),
    }
}

/// The folded form of a whole string: tokens' `norm`s joined by one space,
/// articles kept. Used for display-independent comparisons.
pub fn fold(text: &str) -> String {
    tokenize(text)
        .iter()
        .map(|t| t.norm.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

fn is_vowel(b: u8) -> bool {
    matches!(b, b'a' | b'e' | b'i' | b'o' | b'u')
}

/// The transliteration key of one folded word (see the module docs).
pub fn word_key(norm: &str, out: &mut String) {
    out.clear();
    let b = norm.as_bytes();
    if !norm.is_ascii() {
        // Arabic script and other alphabets: the folded form is the key.
        out.push_str(norm);
        return;
    }
    // Pass 1: consonant digraphs and letter equivalences.
    // Every rule keeps or shortens the word, so a buffer of its length
    // suffices; short words (nearly all) stay on the stack.
    let mut stack = [0u8; 48];
    let mut heap = Vec::new();
    let buf: &mut [u8] = if b.len() <= stack.len() {
        &mut stack[..]
    } else {
        heap.resize(b.len(), 0);
        &mut heap[..]
    };
    let mut n = 0;
    let mut push = |buf: &mut [u8], c: u8| {
        buf[n] = c;
        n += 1;
    };
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let next = b.get(i + 1).copied();
        match (c, next) {
            (b'o', Some(b'u')) => {
                push(buf, b'u');
                i += 2;
                continue;
            }
            (b's', Some(b'c')) if b.get(i + 2) == Some(&b'h') => {
                push(buf, b's');
                push(buf, b'h');
                i += 3;
                continue;
            }
            (b'c', Some(b'h')) => {
                push(buf, b's');
                push(buf, b'h');
                i += 2;
                continue;
            }
            (b'c', Some(b'k')) => {
                push(buf, b'k');
                i += 2;
                continue;
            }
            (b'd', Some(b'j')) => {
                push(buf, b'j');
                i += 2;
                continue;
            }
            (b'q', Some(b'u')) if b.get(i + 2).is_some_and(|&v| is_vowel(v)) => {
                push(buf, b'k');
                i += 2;
                continue;
            }
            (b'g' | b'p' | b't' | b'd', Some(b'h')) if i + 2 < b.len() || i > 0 => {
                // gh → g, ph → f, th → t, dh → d
                push(buf, if c == b'p' { b'f' } else { c });
                i += 2;
                continue;
            }
            (b'q', _) => push(buf, b'k'),
            (b'c', Some(b'e' | b'i' | b'y')) => push(buf, b's'),
            (b'c', _) => push(buf, b'k'),
            _ => push(buf, c),
        }
        i += 1;
    }
    let s = &buf[..n];
    // Pass 2: vowel runs (y and w count as vowels inside a word) become one
    // `a`; doubled consonants collapse. The bytes are ASCII.
    let mut last = 0u8;
    for (j, &c) in s.iter().enumerate() {
        let vowel = is_vowel(c) || (j > 0 && matches!(c, b'y' | b'w'));
        let c = if vowel { b'a' } else { c };
        if last == c {
            continue;
        }
        last = c;
        out.push(c as char);
    }
    let k = out;
    // Pass 3: a final `h` after a vowel and then a final vowel are silent
    // (Hamah/Hama, Hassaké/Hasakah, Aleppo/Alep) when enough is left.
    if k.len() > 3 && k.ends_with("ah") {
        k.pop();
    }
    if k.len() > 3 && k.ends_with('a') {
        k.pop();
    }
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’' | '‘' | '`' | 'ʿ' | 'ʾ' | 'ʼ' | '´' | '′')
}

fn is_hyphen(c: char) -> bool {
    matches!(c, '-' | '‐' | '‑' | '–')
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || (!c.is_ascii() && unicode_is_mark(c))
}

fn unicode_is_mark(c: char) -> bool {
    // Combining marks (U+0300–U+036F and Arabic harakat) stay inside words.
    matches!(c as u32, 0x0300..=0x036F | 0x064B..=0x065F | 0x0670)
}

/// Cut `text` into tokens (see the module docs).
pub fn tokenize(text: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    tokenize_into(text, &mut tokens);
    tokens
}

/// [`tokenize`] into a reusable buffer.
pub fn tokenize_into(text: &str, tokens: &mut Vec<Token>) {
    tokens.clear();
    let bytes = text.as_bytes();
    let mut pos = 0;
    let mut sentence_start = true;
    let mut key_buf = String::new();
    let char_at = |p: usize| text[p..].chars().next();
    while pos < bytes.len() {
        let b = bytes[pos];
        let c = if b < 0x80 {
            b as char
        } else {
            char_at(pos).unwrap_or(' ')
        };
        if !is_word_char(c) {
            // Separator: decide how it joins the previous token to the next.
            if let Some(last) = tokens.last_mut() {
                if !(c == ' ' || c == '\u{a0}' || c == '\u{202f}' || c == '\t' || is_hyphen(c)) {
                    last.joint = Joint::Break;
                }
            }
            if matches!(
                c,
                '.' | '!' | '?' | '\n' | '…' | ':' | ';' | '«' | '»' | '"' | '“' | '”'
            ) {
                // Capitalisation after these says little about a name.
                sentence_start = true;
            }
            pos += c.len_utf8();
            continue;
        }
        // A word: letters, digits, marks, and apostrophes inside it.
        let start = pos;
        let capitalized = c.is_uppercase() || c.is_ascii_digit();
        // Fast path: a run of ASCII letters and digits ended by plain ASCII
        // punctuation or space (most French words).
        let mut run = pos;
        while run < bytes.len() && bytes[run].is_ascii_alphanumeric() {
            run += 1;
        }
        let plain_end = run > pos
            && (run == bytes.len() || (bytes[run] < 0x80 && !matches!(bytes[run], b'\'' | b'`')));
        let (norm, end, elided, next) = if plain_end {
            let mut norm = CompactString::from(&text[pos..run]);
            norm.make_ascii_lowercase();
            (norm, run, false, run)
        } else {
            word_at(text, pos)
        };
        pos = next;
        let mut key = CompactString::default();
        if elided {
            // d' → de, l' → le, qu' → que: the particle's full form.
            key.push_str(match norm.as_str() {
                "d" => "de",
                "l" => "le",
                "qu" | "jusqu" | "lorsqu" | "puisqu" | "presqu" | "quoiqu" => "que",
                other => other,
            });
        } else {
            word_key(&norm, &mut key_buf);
            key.push_str(&key_buf);
        }
        // An article is attached by a hyphen, or spaced (al/el) before a
        // capitalised word; decided once the next char is known.
        let following = if pos < bytes.len() {
            char_at(pos)
        } else {
            None
        };
        let next_is_hyphen = following.is_some_and(is_hyphen);
        let next_is_space = following == Some(' ');
        let article = !elided
            && ((next_is_hyphen && ARTICLES.contains(&norm.as_str()))
                || (next_is_space && SPACED_ARTICLES.contains(&norm.as_str())));
        tokens.push(Token {
            start,
            end,
            norm,
            key,
            capitalized,
            article,
            joint: Joint::Join,
            sentence_start,
        });
        sentence_start = false;
    }
    // A spaced article must be followed by a joinable word.
    for i in 0..tokens.len() {
        if tokens[i].article && tokens[i].joint == Joint::Break {
            tokens[i].article = false;
        }
        if tokens[i].article && i + 1 == tokens.len() {
            tokens[i].article = false;
        }
    }
}

/// The word starting at byte `start`, char by char (accents, marks,
/// apostrophes): its folded form, where it ends, whether it is an elided
/// particle (`d'`, `l'`), and where reading resumes.
fn word_at(text: &str, start: usize) -> (CompactString, usize, bool, usize) {
    let mut chars = text[start..]
        .char_indices()
        .map(|(i, c)| (i + start, c))
        .peekable();
    let mut norm = CompactString::default();
    let mut end = start;
    let mut next = start;
    while let Some(&(j, d)) = chars.peek() {
        if is_word_char(d) {
            fold_char(d, &mut norm);
            end = j + d.len_utf8();
            next = end;
            chars.next();
        } else if is_apostrophe(d) {
            // Inside a word? Look at what follows the apostrophe.
            let mut ahead = chars.clone();
            ahead.next();
            match ahead.peek() {
                Some(&(k, e)) if is_word_char(e) => {
                    chars.next();
                    next = k;
                    if ELIDED.contains(&norm.as_str()) {
                        return (norm, end, true, next);
                    }
                }
                _ => break,
            }
        } else {
            break;
        }
    }
    (norm, end, false, next)
}

/// The key of a whole name: token keys without articles, joined by spaces.
pub fn name_key(name: &str) -> String {
    let tokens = tokenize(name);
    let keys: Vec<&str> = tokens
        .iter()
        .filter(|t| !t.article)
        .map(|t| t.key.as_str())
        .collect();
    keys.join(" ")
}

/// The folded form of a whole name without articles, for exact matching.
pub fn name_norm(name: &str) -> String {
    let tokens = tokenize(name);
    let norms: Vec<&str> = tokens
        .iter()
        .filter(|t| !t.article)
        .map(|t| {
            if t.key == "de" || t.key == "le" || t.key == "que" {
                t.key.as_str()
            } else {
                t.norm.as_str()
            }
        })
        .collect();
    norms.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn same(a: &str, b: &str) {
        assert_eq!(name_key(a), name_key(b), "{a} vs {b}");
    }

    #[test]
    fn transliteration_pairs_share_a_key() {
        same("Idleb", "Idlib");
        same("Khan Toumane", "Khan Tuman");
        same("Lattaquié", "Latakia");
        same("Lattaquié", "Lattakia");
        same("Deraa", "Daraa");
        same("Deraa", "Dar'a");
        same("Raqqa", "Raqa");
        same("Raqqa", "Rakka");
        same("Qousseir", "Qusayr");
        same("Qousseir", "al-Qusayr");
        same("Khan Cheikhoun", "Khan Shaykhun");
        same("Maaret al-Noomane", "Ma'arrat al-Nu'man");
        same("Jisr al-Choughour", "Jisr ash-Shughur");
        same("Azzaz", "Azaz");
        same("Azzaz", "A'zaz");
        same("Deir ez-Zor", "Dayr az-Zawr");
        same("Soueïda", "Suwayda");
        same("Soueïda", "Sweida");
        same("Alep", "Aleppo");
        same("Hama", "Hamah");
        same("Homs", "Hims");
        same("Ras al-Aïn", "Ras al Ayn");
    }

    #[test]
    fn elision_splits_the_particle() {
        let t = tokenize("d'Alep et l’Idleb");
        let norms: Vec<&str> = t.iter().map(|t| t.norm.as_str()).collect();
        assert_eq!(norms, ["d", "alep", "et", "l", "idleb"]);
        assert_eq!(t[0].key, "de");
        assert!(t[1].capitalized);
        assert!(!t[2].article, "French 'et' is not an article");
    }

    #[test]
    fn apostrophe_inside_a_name_is_dropped() {
        let t = tokenize("Ma'arrat");
        assert_eq!(t.len(), 1);
        assert_eq!(t[0].norm, "maarrat");
    }

    #[test]
    fn offsets_point_into_the_original_text() {
        let text = "À Soueïda, jeudi";
        let t = tokenize(text);
        assert_eq!(&text[t[1].start..t[1].end], "Soueïda");
        assert_eq!(t[1].joint, Joint::Break);
    }

    #[test]
    fn hyphenated_article_is_marked() {
        let t = tokenize("Deir ez-Zor");
        assert!(t[1].article);
        assert!(!t[0].article);
        let t = tokenize("Ras al Ain");
        assert!(t[1].article);
    }

    #[test]
    fn ascii_and_accented_words_tokenize_alike() {
        // The ASCII fast path and the char-by-char path meet mid-word.
        let t = tokenize("Genève, Mare' et qu'Alep Dar`a");
        let norms: Vec<&str> = t.iter().map(|t| t.norm.as_str()).collect();
        assert_eq!(norms, ["geneve", "mare", "et", "qu", "alep", "dara"]);
        assert_eq!(t[0].end, "Genève".len());
        assert_eq!(t[3].key, "que");
        assert_eq!(
            t[1].joint,
            Joint::Break,
            "a trailing apostrophe ends the word"
        );
    }

    #[test]
    fn empty_and_symbol_only_text_gives_no_tokens() {
        assert!(tokenize("").is_empty());
        assert!(tokenize(" -- ... ’ ").is_empty());
    }
}
