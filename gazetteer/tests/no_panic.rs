//! Property tests: scanning, analysing and looking up never panic, whatever
//! the input, and every mention points at a valid slice of the text.
//!
//! The generated texts mix arbitrary Unicode with the things the tokenizer
//! treats specially: apostrophes, hyphens, digits, Arabic letters, combining
//! marks, elided particles, Arabic articles, cue words and place names.

use gazetteer::{Gazetteer, Mention};
use proptest::prelude::*;
use std::sync::OnceLock;

fn gaz() -> &'static Gazetteer {
    static G: OnceLock<Gazetteer> = OnceLock::new();
    G.get_or_init(|| Gazetteer::builtin().expect("built-in gazetteer loads"))
}

/// Words and fragments that exercise names, cues, articles and relative
/// locations, plus awkward characters.
const PIECES: &[&str] = &[
    "Alep",
    "d'Alep",
    "l’Idleb",
    "Idleb",
    "Khan",
    "Toumane",
    "Khan Cheikhoun",
    "Cheikhoun",
    "Deir",
    "ez",
    "ez-Zor",
    "Zor",
    "al",
    "al-",
    "Bab",
    "al-Bab",
    "el",
    "ach-",
    "Choughour",
    "Jisr",
    "Maaret",
    "Noomane",
    "Ma'arrat",
    "Ras",
    "Aïn",
    "Soueïda",
    "Lattaquié",
    "Hmeimim",
    "Moscou",
    "Genève",
    "province",
    "ville",
    "village",
    "quartier",
    "base",
    "aérienne",
    "aéroport",
    "de",
    "du",
    "des",
    "la",
    "le",
    "les",
    "et",
    "à",
    "km",
    "10",
    "80",
    "une",
    "trentaine",
    "kilomètres",
    "au",
    "sud",
    "nord-est",
    "sud-ouest",
    "est",
    "ouest",
    "près",
    "périphérie",
    "dans",
    "partie",
    "qu'",
    "jusqu'",
    "d'",
    "l'",
    "'",
    "’",
    "‘",
    "`",
    "ʿ",
    "ʾ",
    "-",
    "‐",
    "‑",
    "–",
    "—",
    " ",
    "  ",
    "\u{a0}",
    "\u{202f}",
    "\n",
    "\t",
    ".",
    ",",
    ";",
    ":",
    "!",
    "?",
    "(",
    ")",
    "«",
    "»",
    "\"",
    "…",
    "0",
    "1.700",
    "2016",
    "حلب",
    "إدلب",
    "دير الزور",
    "ال",
    "\u{0301}",
    "\u{0308}",
    "\u{064E}",
    "\u{0651}",
    "\u{0670}",
    "e\u{0301}",
    "A\u{0300}",
    "ǅ",
    "İ",
    "ß",
    "Œ",
    "ﬁ",
    "🙂",
    "\u{200d}",
    "\u{feff}",
    "\u{0}",
    "\u{fffd}",
    "ΑΘΗΝΑ",
    "Москва",
];

/// A character drawn from the ranges the tokenizer cares about.
fn tricky_char() -> impl Strategy<Value = char> {
    prop_oneof![
        any::<char>(),
        prop::char::range('a', 'z'),
        prop::char::range('A', 'Z'),
        prop::char::range('0', '9'),
        prop::char::range('\u{00c0}', '\u{017f}'),
        prop::char::range('\u{0300}', '\u{036f}'),
        prop::char::range('\u{0600}', '\u{06ff}'),
        prop::sample::select(vec![
            '\'', '’', '‘', '`', 'ʿ', 'ʾ', 'ʼ', '´', '′', '-', '‐', '‑', '–', ' ', '.', '\n'
        ]),
    ]
}

/// Texts: arbitrary strings, strings of tricky characters, and sequences of
/// pieces glued with or without spaces.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        prop::collection::vec(tricky_char(), 0..120).prop_map(|v| v.into_iter().collect()),
        prop::collection::vec((prop::sample::select(PIECES), any::<bool>()), 0..40).prop_map(|v| {
            let mut s = String::new();
            for (p, space) in v {
                s.push_str(p);
                if space {
                    s.push(' ');
                }
            }
            s
        }),
    ]
}

fn check_mentions(text: &str, mentions: &[&Mention]) -> Result<(), TestCaseError> {
    let mut previous_end = 0;
    for m in mentions {
        prop_assert!(m.start < m.end, "empty mention {:?} in {:?}", m, text);
        prop_assert!(
            m.end <= text.len(),
            "mention past the end {:?} in {:?}",
            m,
            text
        );
        prop_assert!(
            text.is_char_boundary(m.start) && text.is_char_boundary(m.end),
            "{:?} in {:?}",
            m,
            text
        );
        prop_assert_eq!(&text[m.start..m.end], m.surface.as_str());
        prop_assert!(
            m.start >= previous_end,
            "overlapping mentions in {:?}",
            text
        );
        previous_end = m.end;
        prop_assert!(
            !m.candidates.is_empty(),
            "mention without candidates {:?}",
            m
        );
        for c in &m.candidates {
            prop_assert!((c.place as usize) < gaz().places().len());
            prop_assert!(c.score.is_finite());
        }
        if let Some(r) = &m.relative {
            prop_assert!(
                r.start <= m.start && text.is_char_boundary(r.start),
                "{:?} in {:?}",
                r,
                text
            );
        }
    }
    Ok(())
}

proptest! {
    // No regression files are written: a failure prints its minimal input.
    #![proptest_config(ProptestConfig { failure_persistence: None, ..ProptestConfig::with_cases(256) })]

    #[test]
    fn scan_never_panics_and_offsets_are_valid(text in text()) {
        let mentions = gaz().scan(&text);
        check_mentions(&text, &mentions.iter().collect::<Vec<_>>())?;
    }

    #[test]
    fn analyze_never_panics_and_points_are_finite(text in text()) {
        let resolved = gaz().analyze(&text);
        check_mentions(&text, &resolved.iter().map(|r| &r.mention).collect::<Vec<_>>())?;
        for r in &resolved {
            prop_assert!((r.place as usize) < gaz().places().len());
            prop_assert!(r.lat.is_finite() && r.lon.is_finite(), "{:?}", r);
            prop_assert!((-90.0..=90.0).contains(&r.lat), "{:?}", r);
            prop_assert!(r.radius_km.is_finite() && r.radius_km > 0.0, "{:?}", r);
            prop_assert!(r.score.is_finite());
        }
    }

    #[test]
    fn lookup_never_panics(query in text()) {
        for c in gaz().lookup(&query) {
            prop_assert!((c.place as usize) < gaz().places().len());
            prop_assert!(c.score.is_finite());
        }
    }
}

#[test]
fn empty_and_separator_only_inputs_give_nothing() {
    for text in [
        "", " ", "\n\n", "-", "'", "’’", "- ' -", "\u{0301}", "al-", "d'",
    ] {
        assert!(gaz().scan(text).is_empty(), "{text:?}");
        assert!(gaz().analyze(text).is_empty(), "{text:?}");
        assert!(gaz().lookup(text).is_empty(), "{text:?}");
    }
}
