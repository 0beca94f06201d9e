//! How many were killed and injured.

use crate::lexicon::{Calendar, Lexicon, Marker, WordClass};
use crate::token::Token;
use crate::{Document, Extractor};
use std::ops::Range;

impl Extractor {
    /// Deaths and injuries in a sentence: "au moins 16 morts et 20 blessés",
    /// "tuant quelque 30 combattants", "Cinq civils ont été tués".
    pub(crate) fn casualties(
        &self,
        doc: &Document,
        range: Range<usize>,
    ) -> (Option<u64>, Option<u64>) {
        let (text, tokens) = (doc.text, &doc.tokens[..]);
        let lex = &self.lexicon;
        let mut dead: Option<u64> = None;
        let mut hurt: Option<u64> = None;
        let mut i = range.start;
        while i < range.end {
            let Some((value, next)) = number_at(lex, text, tokens, i, range.end) else {
                i += 1;
                continue;
            };
            if !counts_casualties(lex, tokens, i, next, value) {
                i = next;
                continue;
            }
            let kind = counted_after(lex, doc, next, range.end)
                .or_else(|| killed_before(lex, tokens, range.start, i));
            match (kind, value) {
                (Some(Marker::Killed), Some(v)) if dead.is_none() => dead = Some(v),
                (Some(Marker::Injured), Some(v)) if hurt.is_none() => hurt = Some(v),
                _ => {}
            }
            i = next;
        }
        (dead, hurt)
    }
}

/// Whether the number `value` at tokens `i..next` may be a toll. Years,
/// days of the month ("le 30 novembre"), times, ages, distances and other
/// quantities are not; "un"/"une" is a number only before the people it
/// counts ("un civil", "une personne", not "une frappe … a tué").
fn counts_casualties(
    lex: &Lexicon,
    tokens: &[Token],
    i: usize,
    next: usize,
    value: Option<u64>,
) -> bool {
    let unit = tokens.get(next).map(|t| t.form()).unwrap_or("");
    let month = matches!(lex.calendar.get(unit), Some(Calendar::Month(_)));
    let year = (1900..=2100).contains(&value.unwrap_or(0)) && tokens[i].norm.len() == 4;
    if lex.is(WordClass::Unit, unit) || month || year {
        return false;
    }
    let word_one = value == Some(1) && !tokens[i].norm.bytes().all(|b| b.is_ascii_digit());
    let counts_people = tokens.get(next).is_some_and(|t| {
        lex.markers.at(std::slice::from_ref(t), 0).is_some_and(|h| {
            h.value
                .iter()
                .any(|m| matches!(m, Marker::Victim | Marker::Killed | Marker::Injured))
        })
    });
    !word_one || counts_people
}

/// A casualty word within the few tokens after a number (from `next`)
/// says what it counts. (A casualty word after another number counts that
/// number: "le 3, faisant 7 morts".)
fn counted_after(lex: &Lexicon, doc: &Document, next: usize, end: usize) -> Option<Marker> {
    let tokens = &doc.tokens[..];
    for (k, t) in tokens.iter().enumerate().take(end.min(next + 7)).skip(next) {
        if number_at(lex, doc.text, tokens, k, end).is_some_and(|(v, _)| v.is_some()) {
            return None;
        }
        match lex.markers.at(std::slice::from_ref(t), 0).map(|h| h.value) {
            Some(v) if v.contains(&Marker::Killed) => return Some(Marker::Killed),
            Some(v) if v.contains(&Marker::Injured) => return Some(Marker::Injured),
            _ => {}
        }
        if lex.is(WordClass::CountBreak, &t.norm) {
            return None;
        }
    }
    None
}

/// A killing or injuring verb just before the number at `i` ("tuant 30").
fn killed_before(lex: &Lexicon, tokens: &[Token], start: usize, i: usize) -> Option<Marker> {
    if i <= start {
        return None;
    }
    (start.max(i.saturating_sub(3))..i).rev().find_map(|k| {
        match lex.markers.at(tokens, k).map(|h| h.value) {
            Some(v) if v.contains(&Marker::KillVerb) => Some(Marker::Killed),
            Some(v) if v.contains(&Marker::InjureVerb) => Some(Marker::Injured),
            _ => None,
        }
    })
}

impl Extractor {
    /// A toll of fighters in a sentence ("12 soldats tués", "tuant 30
    /// combattants"): the token range from the number to the word that
    /// counts the dead.
    pub(crate) fn fighters_killed(
        &self,
        doc: &Document,
        range: Range<usize>,
    ) -> Option<Range<usize>> {
        let lex = &self.lexicon;
        let tokens = &doc.tokens;
        let killed = |t: &Token| {
            lex.markers
                .at(std::slice::from_ref(t), 0)
                .is_some_and(|h| h.value.contains(&Marker::Killed))
        };
        let mut i = range.start;
        while i < range.end {
            let Some((Some(_), next)) = number_at(lex, doc.text, tokens, i, range.end) else {
                i += 1;
                continue;
            };
            let fighters = tokens
                .get(next)
                .is_some_and(|t| lex.is(WordClass::CombatantNoun, &t.norm));
            let dead = (next..range.end.min(next + 6)).find(|&k| killed(&tokens[k]));
            if let (true, Some(k)) = (fighters, dead) {
                return Some(i..k + 1);
            }
            i = next;
        }
        None
    }
}

/// A number at token `i` (digits, "1.700", "3 500", or words) and the token
/// after it.
pub(crate) fn number_at(
    lex: &Lexicon,
    text: &str,
    tokens: &[Token],
    i: usize,
    end: usize,
) -> Option<(Option<u64>, usize)> {
    let t = &tokens[i];
    if t.norm.bytes().all(|b| b.is_ascii_digit()) {
        let mut value: u64 = t.norm.parse().ok()?;
        let mut j = i + 1;
        // Thousands separators: "1.700", "3 500", "300.000".
        while j < end {
            let gap = &text[tokens[j - 1].end..tokens[j].start];
            let next = &tokens[j].norm;
            if matches!(gap, "." | " " | "\u{a0}" | "\u{202f}" | ",")
                && next.len() == 3
                && next.bytes().all(|b| b.is_ascii_digit())
                && gap != ","
            {
                value = value * 1000 + next.parse::<u64>().ok()?;
                j += 1;
            } else {
                break;
            }
        }
        return Some((Some(value), j));
    }
    let hit = lex.numbers.at(&tokens[..end], i)?;
    Some((*hit.value, hit.end))
}
