//! When: date expressions in a sentence, resolved against the publication date.

use crate::lexicon::{form, Calendar, Lexicon, WordClass};
use crate::token::Token;
use chrono::{Datelike, Duration, NaiveDate};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum DatePrecision {
    Day,
    Month,
    Year,
    Unknown,
}

impl DatePrecision {
    pub fn as_str(self) -> &'static str {
        match self {
            DatePrecision::Day => "day",
            DatePrecision::Month => "month",
            DatePrecision::Year => "year",
            DatePrecision::Unknown => "unknown",
        }
    }
}

/// French month names as written, for dates shown to readers (the
/// calendar table holds their folded forms, for reading text).
const FRENCH_MONTHS: [&str; 12] = [
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
];

/// "mai 2016".
pub fn french_month(d: NaiveDate) -> String {
    format!("{} {}", FRENCH_MONTHS[d.month0() as usize], d.year())
}

/// "6 mai 2016".
pub fn french_date(d: NaiveDate) -> String {
    format!("{} {}", d.day(), french_month(d))
}

/// A resolved date: `date` is the first day of the month or year for
/// coarser precisions, and `None` when unknown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct When {
    pub date: Option<NaiveDate>,
    pub precision: DatePrecision,
    /// When the date is unknown (no year to count from), which day the text
    /// still names ("mardi", "le 20 janvier", "deux jours plus tard"), so
    /// that two events on two named days stay two events.
    pub hint: Option<i64>,
}

impl When {
    pub const UNKNOWN: When = When {
        date: None,
        precision: DatePrecision::Unknown,
        hint: None,
    };

    pub fn day(d: NaiveDate) -> Self {
        When {
            date: Some(d),
            precision: DatePrecision::Day,
            hint: None,
        }
    }

    fn month(y: i32, m: u32) -> Self {
        When {
            date: NaiveDate::from_ymd_opt(y, m, 1),
            precision: if NaiveDate::from_ymd_opt(y, m, 1).is_some() {
                DatePrecision::Month
            } else {
                DatePrecision::Unknown
            },
            hint: None,
        }
    }

    /// An unknown date of which the text names the day.
    fn unknown_day(hint: i64) -> Self {
        When {
            hint: Some(hint),
            ..When::UNKNOWN
        }
    }

    /// `offset` days after this date; an unknown date keeps a hint of the
    /// offset.
    pub fn shifted(self, offset: i64) -> When {
        match (self.date, self.precision) {
            (Some(d), DatePrecision::Day) => d
                .checked_add_signed(Duration::days(offset))
                .map(When::day)
                .unwrap_or(When::UNKNOWN),
            _ => When::unknown_day(RELATIVE_HINT + self.hint.unwrap_or(0) + offset),
        }
    }

    /// Whether two dates may be one day: equal, or one unknown, unless
    /// both unknown dates name different days.
    pub fn may_be(self, other: When) -> bool {
        match (self.date, other.date) {
            (Some(_), Some(_)) => self == other,
            (None, None) => match (self.hint, other.hint) {
                (Some(a), Some(b)) => a == b,
                _ => true,
            },
            _ => true,
        }
    }

    /// `YYYY-MM-DD`, `YYYY-MM` or `YYYY` as the schema writes it.
    pub fn to_schema(self) -> Option<String> {
        let d = self.date?;
        Some(match self.precision {
            DatePrecision::Day => d.format("%Y-%m-%d").to_string(),
            DatePrecision::Month => d.format("%Y-%m").to_string(),
            DatePrecision::Year => d.format("%Y").to_string(),
            DatePrecision::Unknown => return None,
        })
    }
}

/// Hints of unknown days counted from another day ("le lendemain").
const RELATIVE_HINT: i64 = 1_000;
/// Hints of unknown days named by day and month ("le 20 janvier").
const MONTH_DAY_HINT: i64 = 100;

/// A date expression found in a sentence.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DateMention {
    /// Token index where it starts.
    pub at: usize,
    pub when: When,
    /// Only a year ("en 2014"): background, not news.
    pub year_only: bool,
    /// Days from the day the story is telling ("la veille" -1, "le
    /// lendemain" +1, "deux jours plus tard" +2): `when` is to be counted
    /// from the story's date.
    pub relative: Option<i64>,
}

impl DateMention {
    fn new(at: usize, when: When) -> Self {
        DateMention {
            at,
            when,
            year_only: false,
            relative: None,
        }
    }
}

fn number(t: &Token) -> Option<u32> {
    let n = t.norm.strip_suffix("er").unwrap_or(&t.norm);
    n.parse().ok()
}

fn year(t: &Token) -> Option<i32> {
    // (Most words are no number: they are told by their first byte.)
    if !matches!(t.lead[0], b'0'..=b'9' | b'+' | b'-') {
        return None;
    }
    let y: i32 = t.norm.parse().ok()?;
    (1900..=2100).contains(&y).then_some(y)
}

/// The last `weekday` (1 = Monday) on or before `reference`.
fn last_weekday(reference: NaiveDate, weekday: u32) -> Option<NaiveDate> {
    let today = reference.weekday().number_from_monday();
    let back = (today + 7 - weekday) % 7;
    reference.checked_sub_signed(Duration::days(back as i64))
}

/// The year of `month` most recently before `reference` (on or before when
/// `strict` is false).
fn year_for_month(reference: NaiveDate, month: u32, strict: bool) -> i32 {
    if month < reference.month() || (!strict && month == reference.month()) {
        reference.year()
    } else {
        reference.year() - 1
    }
}

/// Find date expressions in `tokens[range]`.
pub fn find(
    lex: &Lexicon,
    tokens: &[Token],
    range: std::ops::Range<usize>,
    reference: Option<NaiveDate>,
) -> Vec<DateMention> {
    let mut out = Vec::new();
    let mut i = range.start;
    while i < range.end {
        let found = relative_day(lex, tokens, i, range.end, reference)
            .or_else(|| calendar_date(lex, tokens, i, range.clone(), reference))
            .or_else(|| bare_year(lex, tokens, i, range.start).map(|d| (d, i + 1)));
        match found {
            Some((d, next)) => {
                out.push(d);
                i = next.max(i + 1);
            }
            None => i += 1,
        }
    }
    out
}

/// "hier", "avant-hier", "aujourd'hui" (from publication), "la semaine
/// dernière"; "la veille", "le lendemain", "deux jours plus tard", "trois
/// jours plus tôt" (from the story's day); and the token after it.
fn relative_day(
    lex: &Lexicon,
    tokens: &[Token],
    i: usize,
    end: usize,
    reference: Option<NaiveDate>,
) -> Option<(DateMention, usize)> {
    let next = |k: usize| {
        tokens
            .get(i + k)
            .filter(|_| i + k < end)
            .map(|t| t.norm.as_str())
    };
    let from_publication = |days: i64, len: usize| {
        let d = reference?.checked_sub_signed(Duration::days(days))?;
        Some((DateMention::new(i, When::day(d)), i + len))
    };
    let from_story = |days: i64, len: usize| {
        Some((
            DateMention {
                relative: Some(days),
                ..DateMention::new(i, When::UNKNOWN)
            },
            i + len,
        ))
    };
    match tokens[i].form() {
        "hier" => return from_publication(1, 1),
        "avant" if next(1) == Some("hier") => return from_publication(2, 2),
        "aujourd" if next(1) == Some("hui") => return from_publication(0, 2),
        // "au lendemain de la prise": the capture was the day before;
        // "à la veille de l'assaut": the assault was the day after.
        "veille" | "lendemain" => {
            let of = matches!(
                tokens.get(i + 1).map(|t| t.form()),
                Some("de" | "du" | "des")
            );
            let days = if (tokens[i].form() == "lendemain") != of {
                1
            } else {
                -1
            };
            return from_story(days, 1);
        }
        "semaine" if matches!(next(1), Some("derniere" | "passee")) => {
            let d = reference?.checked_sub_signed(Duration::days(7))?;
            return Some((DateMention::new(i, When::month(d.year(), d.month())), i + 2));
        }
        _ => {}
    }
    // "deux jours plus tard", "4 jours après", "trois jours plus tôt".
    let (n, after) = if tokens[i].norm.bytes().all(|b| b.is_ascii_digit()) {
        (tokens[i].norm.parse::<u64>().ok()?, i + 1)
    } else {
        let hit = lex.numbers.at(&tokens[..end], i)?;
        ((*hit.value)?, hit.end)
    };
    if !matches!(
        tokens.get(after).map(|t| t.norm.as_str()),
        Some("jours" | "jour")
    ) {
        return None;
    }
    let n = i64::try_from(n).ok()?;
    let word = |k: usize| {
        tokens
            .get(after + k)
            .filter(|_| after + k < end)
            .map(|t| t.norm.as_str())
    };
    match (word(1), word(2)) {
        (Some("plus"), Some("tard")) => from_story(n, after + 3 - i),
        (Some("apres"), _) => from_story(n, after + 2 - i),
        (Some("plus"), Some("tot")) => from_story(-n, after + 3 - i),
        (Some("auparavant" | "avant"), _) => from_story(-n, after + 2 - i),
        _ => None,
    }
}

/// A weekday ("jeudi", "jeudi 20 janvier [2022]") or a month ("29 avril
/// [2019]", "juillet 2018", "en décembre dernier"), and the token after it.
fn calendar_date(
    lex: &Lexicon,
    tokens: &[Token],
    i: usize,
    range: std::ops::Range<usize>,
    reference: Option<NaiveDate>,
) -> Option<(DateMention, usize)> {
    let next = |k: usize| tokens.get(i + k).filter(|_| i + k < range.end);
    match lex.calendar_of(&tokens[i])? {
        Calendar::Weekday(wd) => {
            if let (Some(d), Some(Calendar::Month(m))) = (
                next(1).and_then(number),
                next(2).and_then(|t| lex.calendar_of(t)),
            ) {
                return Some((explicit(d, m, next(3).and_then(year), reference, i), i + 3));
            }
            // Without a reference the day is unknown, but the sentence
            // still tells current news, of that weekday.
            let when = reference
                .and_then(|r| last_weekday(r, wd))
                .map(When::day)
                .unwrap_or(When::unknown_day(i64::from(wd)));
            Some((DateMention::new(i, when), i + 1))
        }
        Calendar::Month(m) => {
            let day = (i > range.start)
                .then(|| number(&tokens[i - 1]))
                .flatten()
                .filter(|d| (1..=31).contains(d));
            if let Some(d) = day {
                return Some((
                    explicit(d, m, next(1).and_then(year), reference, i - 1),
                    i + 1,
                ));
            }
            let y = next(1).and_then(year);
            let strict = next(1).is_some_and(|n| n.norm == "dernier");
            let when = match (y, reference) {
                (Some(y), _) => When::month(y, m),
                (None, Some(r)) => When::month(year_for_month(r, m, strict), m),
                (None, None) => When::UNKNOWN,
            };
            Some((DateMention::new(i, when), i + 1))
        }
    }
}

/// A bare year after a preposition: "en 2014", "depuis 2011".
fn bare_year(lex: &Lexicon, tokens: &[Token], i: usize, start: usize) -> Option<DateMention> {
    let y = year(&tokens[i])?;
    let before = (i > start).then(|| form(&tokens[i - 1]))?;
    if !lex.is(WordClass::YearPreposition, before) {
        return None;
    }
    Some(DateMention {
        year_only: true,
        ..DateMention::new(
            i,
            When {
                date: NaiveDate::from_ymd_opt(y, 1, 1),
                precision: DatePrecision::Year,
                hint: None,
            },
        )
    })
}

fn explicit(
    day: u32,
    month: u32,
    year: Option<i32>,
    reference: Option<NaiveDate>,
    at: usize,
) -> DateMention {
    let y = match (year, reference) {
        (Some(y), _) => Some(y),
        (None, Some(r)) => {
            // The most recent such day on or before publication.
            let this = NaiveDate::from_ymd_opt(r.year(), month, day);
            Some(if this.is_some_and(|d| d > r) {
                r.year() - 1
            } else {
                r.year()
            })
        }
        (None, None) => None,
    };
    let when = y
        .and_then(|y| NaiveDate::from_ymd_opt(y, month, day))
        .map(When::day)
        .unwrap_or(When::unknown_day(
            MONTH_DAY_HINT + i64::from(month) * 32 + i64::from(day),
        ));
    DateMention::new(at, when)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn french_dates_are_written_with_accents() {
        let d = NaiveDate::from_ymd_opt(2016, 2, 6).unwrap();
        assert_eq!(french_date(d), "6 février 2016");
        let d = NaiveDate::from_ymd_opt(2013, 8, 1).unwrap();
        assert_eq!(french_month(d), "août 2013");
    }

    fn first(text: &str, published: Option<&str>) -> Option<DateMention> {
        let lex = Lexicon::builtin().unwrap();
        let t = lex.tokens(text);
        let r = published.map(|p| NaiveDate::parse_from_str(p, "%Y-%m-%d").unwrap());
        find(&lex, &t, 0..t.len(), r).into_iter().next()
    }

    #[test]
    fn a_weekday_is_the_last_one_on_or_before_publication() {
        // 2016-05-06 is a Friday.
        let d = first("attaque lancée jeudi soir", Some("2016-05-06")).unwrap();
        assert_eq!(d.when.to_schema().as_deref(), Some("2016-05-05"));
        let d = first("ce vendredi matin", Some("2016-05-06")).unwrap();
        assert_eq!(d.when.to_schema().as_deref(), Some("2016-05-06"));
        let d = first("samedi", Some("2016-05-06")).unwrap();
        assert_eq!(d.when.to_schema().as_deref(), Some("2016-04-30"));
    }

    #[test]
    fn explicit_days_take_the_year_of_publication() {
        let d = first("ce samedi 30 novembre au matin", Some("2024-11-30")).unwrap();
        assert_eq!(d.when.to_schema().as_deref(), Some("2024-11-30"));
        let d = first("le 29 décembre", Some("2025-01-03")).unwrap();
        assert_eq!(d.when.to_schema().as_deref(), Some("2024-12-29"));
        let d = first("le 8 décembre 2024", None).unwrap();
        assert_eq!(d.when.to_schema().as_deref(), Some("2024-12-08"));
    }

    #[test]
    fn without_publication_a_day_without_year_is_unknown_but_named() {
        let d = first("le jeudi 20 janvier", None).unwrap();
        assert_eq!(
            (d.when.date, d.when.precision),
            (None, DatePrecision::Unknown)
        );
        let wednesday = first("mercredi", None).unwrap().when;
        let thursday = first("jeudi", None).unwrap().when;
        assert_eq!(wednesday.to_schema(), None);
        assert!(!wednesday.may_be(thursday), "two named days are two days");
        assert!(wednesday.may_be(When::UNKNOWN));
    }

    #[test]
    fn months_and_years() {
        let d = first("le mois de décembre dernier", Some("2016-05-06")).unwrap();
        assert_eq!(
            (d.when.to_schema().as_deref(), d.when.precision),
            (Some("2015-12"), DatePrecision::Month)
        );
        let d = first("Fin juillet, des attaques", Some("2015-08-19")).unwrap();
        assert_eq!(d.when.to_schema().as_deref(), Some("2015-07"));
        let d = first("en juillet 2018", None).unwrap();
        assert_eq!(d.when.to_schema().as_deref(), Some("2018-07"));
        let d = first("tombée en 2014", None).unwrap();
        assert!(d.year_only);
    }

    #[test]
    fn dates_at_the_edge_of_the_calendar_do_not_overflow() {
        // Found by the property test: "jeudi" against the earliest date panicked.
        let lex = Lexicon::builtin().unwrap();
        let t = lex.tokens("jeudi, la veille, la semaine dernière");
        let found = find(&lex, &t, 0..t.len(), Some(NaiveDate::MIN));
        assert!(found
            .iter()
            .all(|d| d.when.date.is_none_or(|x| x >= NaiveDate::MIN)));
    }

    #[test]
    fn days_counted_from_the_story_s_day() {
        let rel = |text: &str| first(text, Some("2017-04-07")).unwrap().relative;
        assert_eq!(rel("la veille"), Some(-1));
        assert_eq!(rel("le lendemain"), Some(1));
        assert_eq!(rel("au lendemain de la prise"), Some(-1));
        assert_eq!(rel("à la veille de l'assaut"), Some(1));
        assert_eq!(rel("deux jours plus tard"), Some(2));
        assert_eq!(rel("4 jours après"), Some(4));
        assert_eq!(rel("trois jours plus tôt"), Some(-3));
        let day = When::day(NaiveDate::from_ymd_opt(2017, 4, 7).unwrap());
        assert_eq!(day.shifted(-1).to_schema().as_deref(), Some("2017-04-06"));
        let unknown = first("mardi", None).unwrap().when;
        assert!(!unknown.shifted(1).may_be(unknown));
    }
}
