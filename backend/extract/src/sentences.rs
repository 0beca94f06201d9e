//! Sentences, headlines and datelines.

use crate::dates::{self, DatePrecision};
use crate::lexicon::{Lexicon, WordClass};
use crate::token::Token;
use chrono::NaiveDate;
use std::ops::Range;

/// A sentence of the article.
#[derive(Debug, Clone)]
pub struct Sentence {
    pub tokens: Range<usize>,
    pub bytes: Range<usize>,
    /// Starts a paragraph.
    pub paragraph: bool,
    /// A title or subtitle line: a short paragraph without final punctuation.
    pub headline: bool,
}

/// Sentences with token and byte ranges.
pub fn split_sentences(lex: &Lexicon, text: &str, tokens: &[Token]) -> Vec<Sentence> {
    let mut out = Vec::new();
    if tokens.is_empty() {
        return out;
    }
    let mut start = 0;
    let mut paragraph = true;
    for i in 0..tokens.len() {
        let last = i + 1 == tokens.len();
        let gap_end = if last {
            text.len()
        } else {
            tokens[i + 1].start
        };
        let gap = &text[tokens[i].end..gap_end];
        // Most gaps are one space, which ends nothing: the searches below
        // (and the tests of the words around a stop) are skipped for them.
        let space = gap == " ";
        let newline = !space && gap.contains('\n');
        let stop = !space && gap.contains(['.', '!', '?', '…']);
        let next_cap = !last && tokens[i + 1].capitalized;
        let abbreviation = || {
            tokens[i].norm.len() == 1 && tokens[i].capitalized
                || lex.is(WordClass::Abbreviation, &tokens[i].norm)
        };
        let numeric = || {
            !last
                && tokens[i].norm.bytes().all(|b| b.is_ascii_digit())
                && tokens[i + 1].norm.bytes().all(|b| b.is_ascii_digit())
                && !gap.contains(' ')
        };
        let boundary = last
            || newline
            || (stop && next_cap && !abbreviation() && !numeric())
            || (stop && gap.contains(['»', '"', '”']) && next_cap);
        if boundary {
            // The sentence keeps its closing punctuation and quotes.
            let mut end = tokens[i].end;
            let tail: usize = gap
                .char_indices()
                .take_while(|(_, c)| !c.is_whitespace() || *c == '\u{a0}' || *c == '\u{202f}')
                .map(|(k, c)| k + c.len_utf8())
                .last()
                .unwrap_or(0);
            end += tail;
            let body = text[tokens[start].start..end].trim_end();
            let headline = paragraph
                && (newline || last)
                && body.len() < 250
                && !body.ends_with(['.', '!', '?', '»', '"', '”', ')']);
            out.push(Sentence {
                tokens: start..i + 1,
                bytes: tokens[start].start..end,
                paragraph,
                headline,
            });
            paragraph = newline;
            start = i + 1;
        }
    }
    out
}

/// A date in a dateline at the start of the text ("Beyrouth, 19 août 2015
/// (AFP)"), used as the reference when the publication date is unknown.
pub fn dateline(lex: &Lexicon, tokens: &[Token], text: &str) -> Option<NaiveDate> {
    let head = tokens
        .iter()
        .take_while(|t| t.start < 200.min(text.len()))
        .count();
    dates::find(lex, tokens, 0..head, None)
        .into_iter()
        .find(|d| d.when.precision == DatePrecision::Day)
        .and_then(|d| d.when.date)
}

/// "Beyrouth, 19 août 2015 (AFP) —", "Damas, 1er mars 2012 —": a place at
/// the start of a line followed by a comma and a date.
pub fn is_dateline(text: &str, m: &gazetteer::Mention) -> bool {
    // What follows first: it rules out almost every mention at once, before
    // the line is searched back to its start.
    let rest = &text[m.end..];
    let head = &rest[..rest.char_indices().nth(40).map_or(rest.len(), |(i, _)| i)];
    let dated = head.starts_with(',')
        && head.contains(|c: char| c.is_ascii_digit())
        && head.contains(['—', '-', '(']);
    if !dated {
        return false;
    }
    let line_start = text[..m.start].rfind('\n').map_or(0, |i| i + 1);
    let before = text[line_start..m.start].trim_start();
    before.is_empty() || before.starts_with('(')
}

/// Punctuation between tokens `a` and `b` (a clause boundary).
pub fn text_between_has_punctuation(text: &str, tokens: &[Token], a: usize, b: usize) -> bool {
    a < b
        && b < tokens.len()
        && a > 0
        && text[tokens[a - 1].end..tokens[b].start]
            .contains([',', ';', ':', '.', '(', ')', '«', '»'])
}
