//! When: date expressions in a sentence, resolved against the publication date.

use crate::lexicon::{form, Calendar, Lexicon, WordClass};
use chrono::{Datelike, Duration, NaiveDate};
use gazetteer::normalize::Token;
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
}

impl When {
    pub const UNKNOWN: When = When {
        date: None,
        precision: DatePrecision::Unknown,
    };

    pub fn day(d: NaiveDate) -> Self {
        When {
            date: Some(d),
            precision: DatePrecision::Day,
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

/// A date expression found in a sentence.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DateMention {
    /// Token index where it starts.
    pub at: usize,
    pub when: When,
    /// Only a year ("en 2014"): background, not news.
    pub year_only: bool,
}

fn number(t: &Token) -> Option<u32> {
    let n = t.norm.strip_suffix("er").unwrap_or(&t.norm);
    n.parse().ok()
}

fn year(t: &Token) -> Option<i32> {
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
        let t = &tokens[i];
        let f = form(t);
        let next = |k: usize| tokens.get(i + k).filter(|_| i + k < range.end);
        // "la veille", "hier", "avant-hier", "aujourd'hui"
        let relative = match f {
            "veille" => Some(1),
            "hier" => Some(1),
            "avant" if next(1).is_some_and(|n| n.norm == "hier") => Some(2),
            "aujourd" if next(1).is_some_and(|n| n.norm == "hui") => Some(0),
            _ => None,
        };
        if let Some(days) = relative {
            if let Some(r) = reference {
                if let Some(d) = r.checked_sub_signed(Duration::days(days)) {
                    out.push(DateMention {
                        at: i,
                        when: When::day(d),
                        year_only: false,
                    });
                }
            }
            i += 1;
            continue;
        }
        // "la semaine dernière / passée"
        if f == "semaine"
            && next(1).is_some_and(|n| matches!(n.norm.as_str(), "derniere" | "passee"))
        {
            if let Some(d) = reference.and_then(|r| r.checked_sub_signed(Duration::days(7))) {
                out.push(DateMention {
                    at: i,
                    when: When::month(d.year(), d.month()),
                    year_only: false,
                });
            }
            i += 2;
            continue;
        }
        match lex.calendar.get(f) {
            Some(&Calendar::Weekday(wd)) => {
                // "jeudi 20 janvier [2022]" or plain "jeudi".
                if let (Some(d), Some(Calendar::Month(m))) = (
                    next(1).and_then(number),
                    next(2).and_then(|t| lex.calendar.get(form(t))),
                ) {
                    out.push(explicit(d, *m, next(3).and_then(year), reference, i));
                    i += 3;
                    continue;
                }
                // Without a reference the day is unknown, but the sentence
                // still tells current news.
                out.push(DateMention {
                    at: i,
                    when: reference
                        .and_then(|r| last_weekday(r, wd))
                        .map(When::day)
                        .unwrap_or(When::UNKNOWN),
                    year_only: false,
                });
                i += 1;
                continue;
            }
            Some(&Calendar::Month(m)) => {
                // "29 avril [2019]" when preceded by a day number.
                let day = (i > range.start)
                    .then(|| number(&tokens[i - 1]))
                    .flatten()
                    .filter(|d| (1..=31).contains(d));
                if let Some(d) = day {
                    out.push(explicit(d, m, next(1).and_then(year), reference, i - 1));
                    i += 1;
                    continue;
                }
                // "juillet 2018", "en décembre dernier", "fin juillet".
                let y = next(1).and_then(year);
                let strict = next(1).is_some_and(|n| n.norm == "dernier");
                let when = match (y, reference) {
                    (Some(y), _) => When::month(y, m),
                    (None, Some(r)) => When::month(year_for_month(r, m, strict), m),
                    (None, None) => When::UNKNOWN,
                };
                out.push(DateMention {
                    at: i,
                    when,
                    year_only: false,
                });
                i += 1;
                continue;
            }
            None => {}
        }
        // A bare year: "en 2014", "depuis 2011".
        if let Some(y) = year(t) {
            let before = (i > range.start).then(|| form(&tokens[i - 1]));
            if before.is_some_and(|w| lex.is(WordClass::YearPreposition, w)) {
                out.push(DateMention {
                    at: i,
                    when: When {
                        date: NaiveDate::from_ymd_opt(y, 1, 1),
                        precision: DatePrecision::Year,
                    },
                    year_only: true,
                });
            }
        }
        i += 1;
    }
    out
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
        .unwrap_or(When::UNKNOWN);
    DateMention {
        at,
        when,
        year_only: false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use gazetteer::normalize::tokenize;

    #[test]
    fn french_dates_are_written_with_accents() {
        let d = NaiveDate::from_ymd_opt(2016, 2, 6).unwrap();
        assert_eq!(french_date(d), "6 février 2016");
        let d = NaiveDate::from_ymd_opt(2013, 8, 1).unwrap();
        assert_eq!(french_month(d), "août 2013");
    }

    fn first(text: &str, published: Option<&str>) -> Option<DateMention> {
        let lex = Lexicon::builtin().unwrap();
        let t = tokenize(text);
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
    fn without_publication_a_day_without_year_is_unknown() {
        let d = first("le jeudi 20 janvier", None).unwrap();
        assert_eq!(d.when, When::UNKNOWN);
        assert_eq!(first("mercredi", None).unwrap().when, When::UNKNOWN);
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
        let t = tokenize("jeudi, la veille, la semaine dernière");
        let found = find(&lex, &t, 0..t.len(), Some(NaiveDate::MIN));
        assert!(found
            .iter()
            .all(|d| d.when.date.is_none_or(|x| x >= NaiveDate::MIN)));
    }

    #[test]
    fn la_veille_is_the_day_before() {
        let d = first("la veille", Some("2017-04-07")).unwrap();
        assert_eq!(d.when.to_schema().as_deref(), Some("2017-04-06"));
    }
}
