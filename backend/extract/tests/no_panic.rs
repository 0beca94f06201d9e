//! Property tests: extraction never panics, with or without a published
//! date, and every event's evidence offsets slice the text to exactly the
//! evidence text. Also a 10 MB article (see `a_ten_megabyte_article`).
//!
//! Every sentence here was written for these tests.

use chrono::{Days, NaiveDate};
use frontline_extract::article::Article;
use frontline_extract::{Extraction, Extractor};
use gazetteer::Gazetteer;
use proptest::prelude::*;
use std::sync::{Arc, OnceLock};

fn extractor() -> &'static Extractor {
    static E: OnceLock<Extractor> = OnceLock::new();
    E.get_or_init(|| {
        Extractor::new(Arc::new(
            Gazetteer::builtin().expect("built-in gazetteer loads"),
        ))
        .expect("extractor loads")
    })
}

/// Words and fragments that exercise triggers, actors, dates, numbers,
/// claims, negation, places and relative locations, plus awkward characters.
const PIECES: &[&str] = &[
    "Les",
    "les",
    "forces",
    "gouvernementales",
    "régime",
    "armée",
    "syrienne",
    "rebelles",
    "HTS",
    "Hayat",
    "Tahrir",
    "al-Cham",
    "EI",
    "Daech",
    "État",
    "islamique",
    "FDS",
    "YPG",
    "ASL",
    "Hezbollah",
    "aviation",
    "russe",
    "coalition",
    "ont",
    "a",
    "pris",
    "prise",
    "repris",
    "s'est",
    "emparé",
    "emparées",
    "se",
    "sont",
    "retirés",
    "tombé",
    "aux",
    "mains",
    "contrôle",
    "désormais",
    "raid",
    "raids",
    "aériens",
    "frappe",
    "frappes",
    "drone",
    "bombardé",
    "pilonné",
    "tirs",
    "d'artillerie",
    "roquettes",
    "missiles",
    "voiture",
    "piégée",
    "attentat",
    "kamikaze",
    "explosion",
    "combats",
    "affrontements",
    "offensive",
    "assaut",
    "repoussée",
    "exécuté",
    "enlevé",
    "massacre",
    "nié",
    "toute",
    "implication",
    "seraient",
    "sur",
    "le",
    "point",
    "de",
    "selon",
    "l'OSDH",
    "OSDH",
    "au",
    "moins",
    "16",
    "morts",
    "et",
    "20",
    "blessés",
    "plus",
    "70",
    "tués",
    "1.700",
    "dix",
    "une",
    "quinzaine",
    "des",
    "dizaines",
    "jeudi",
    "dimanche",
    "soir",
    "mardi",
    "samedi",
    "30",
    "novembre",
    "le",
    "29",
    "avril",
    "8",
    "décembre",
    "2024",
    "2012",
    "la",
    "veille",
    "semaine",
    "passée",
    "en",
    "dernier",
    "depuis",
    "années",
    "Alep",
    "d'Alep",
    "l’Idleb",
    "Idleb",
    "Khan",
    "Toumane",
    "Cheikhoun",
    "Deir",
    "ez-Zor",
    "al-Bab",
    "Saraqeb",
    "Raqqa",
    "Deraa",
    "Homs",
    "Hama",
    "Damas",
    "Soueïda",
    "Hmeimim",
    "Moscou",
    "Genève",
    "province",
    "ville",
    "village",
    "quartier",
    "base",
    "aérienne",
    "à",
    "km",
    "10",
    "80",
    "kilomètres",
    "sud",
    "nord-est",
    "sud-ouest",
    "près",
    "périphérie",
    "dans",
    "qu'",
    "jusqu'",
    "d'",
    "l'",
    "'",
    "’",
    "-",
    "–",
    "—",
    " ",
    "  ",
    "\u{a0}",
    "\n",
    "\n\n",
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
    "حلب",
    "إدلب",
    "\u{0301}",
    "\u{0308}",
    "\u{064E}",
    "e\u{0301}",
    "ǅ",
    "İ",
    "ß",
    "Œ",
    "🙂",
    "\u{200d}",
    "\u{feff}",
    "\u{0}",
    "\u{fffd}",
    "\r\n",
];

fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        prop::collection::vec((prop::sample::select(PIECES), any::<bool>()), 0..80).prop_map(|v| {
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

/// No date, or any day a `published:` header can give: the header parser
/// accepts every date chrono can represent (`-262143-01-01` included).
fn published() -> impl Strategy<Value = Option<NaiveDate>> {
    let first = NaiveDate::from_ymd_opt(1, 1, 1).unwrap();
    let last = NaiveDate::from_ymd_opt(9999, 12, 31).unwrap();
    let span = (last - first).num_days() as u64;
    prop_oneof![
        Just(None),
        Just(Some(NaiveDate::MIN)),
        Just(Some(NaiveDate::MAX)),
        Just(Some(first)),
        Just(Some(last)),
        (0..=span).prop_map(move |d| first.checked_add_days(Days::new(d))),
        (0u64..5000).prop_map(|d| NaiveDate::from_ymd_opt(2011, 3, 15)
            .unwrap()
            .checked_add_days(Days::new(d))),
    ]
}

fn check(text: &str, x: &Extraction) -> Result<(), TestCaseError> {
    for e in &x.events {
        prop_assert!(
            !e.evidence_spans.is_empty(),
            "event without evidence: {:?}",
            e
        );
        prop_assert_eq!(&e.evidence, &e.evidence_spans[0].text);
        for ev in &e.evidence_spans {
            prop_assert!(ev.start < ev.end, "empty evidence {:?} in {:?}", ev, text);
            prop_assert_eq!(
                text.get(ev.start..ev.end),
                Some(ev.text.as_str()),
                "evidence offsets {}..{} do not slice {:?} out of {:?}",
                ev.start,
                ev.end,
                ev.text,
                text
            );
        }
        prop_assert!(e.lat.is_finite() && e.lon.is_finite(), "{:?}", e);
        prop_assert!(e.confidence.is_finite(), "{:?}", e);
    }
    for t in &x.toponyms {
        for &(start, end) in &t.mentions {
            prop_assert!(
                start < end && text.get(start..end).is_some(),
                "toponym {:?} in {:?}",
                t,
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
    fn extraction_never_panics_and_evidence_slices_the_text(text in text(), published in published()) {
        let article = Article { id: "prop".into(), text: text.clone(), published, ..Article::default() };
        let x = extractor().extract(&article);
        check(&text, &x)?;
    }
}

#[test]
fn empty_and_blank_articles_give_nothing() {
    for text in ["", " ", "\n\n", ".", "\u{feff}"] {
        let a = Article {
            text: text.into(),
            ..Article::default()
        };
        assert!(extractor().extract(&a).events.is_empty(), "{text:?}");
    }
}

/// Sentences written for this test, repeated to about 10 MB.
const BIG_PARAGRAPH: &str = "\
Les forces gouvernementales ont repris jeudi le contrôle de Khan Toumane, à une quinzaine \
de kilomètres au sud-ouest d'Alep, selon l'OSDH. Au moins 16 combattants ont été tués.
Des raids aériens russes ont frappé mardi soir Saraqeb, dans la province d'Idleb, faisant \
9 morts et une vingtaine de blessés.
Une voiture piégée a explosé près d'un poste de contrôle à Deraa ; l'attentat n'a pas été revendiqué.

";

fn big_article() -> Article {
    let copies = 10_000_000 / BIG_PARAGRAPH.len() + 1;
    Article {
        id: "big".into(),
        published: NaiveDate::from_ymd_opt(2016, 5, 6),
        text: BIG_PARAGRAPH.repeat(copies),
        ..Article::default()
    }
}

/// A 10 MB article is processed without panic. Slow in a debug build (it
/// takes minutes there), hence ignored by default; run it with
/// `cargo test --release -p frontline --test no_panic -- --ignored`.
#[test]
#[ignore]
fn a_ten_megabyte_article() {
    let a = big_article();
    assert!(a.text.len() >= 10_000_000);
    let x = extractor().extract(&a);
    assert!(!x.events.is_empty());
    for e in &x.events {
        for ev in &e.evidence_spans {
            assert_eq!(a.text.get(ev.start..ev.end), Some(ev.text.as_str()));
        }
    }
}
