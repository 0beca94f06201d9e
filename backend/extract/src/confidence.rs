//! How likely an extracted event is to be right: a logistic model over
//! what the extractor saw when it made the event (the trigger and its
//! weight, the tense of the sentence, how far the place was, whether the
//! place or date came from the story, how many sentences told it…).
//!
//! The weights are measured, not asserted: `frontline train` fits them on
//! annotated articles with cross-validation and writes
//! `data/confidence.tsv`, which is read here. The same file says which
//! confidence the extractor needs to report an event at all, and which the
//! map shows by default (a precision-first view).

use crate::dates::DatePrecision;
use crate::lexicon::Voice;
use crate::vocab::EventType;
use crate::Event;
use gazetteer::table::Table;
use gazetteer::Precision;

const MODEL: &str = include_str!("../data/confidence.tsv");
const MODEL_FILE: &str = "backend/extract/data/confidence.tsv";

/// What the extractor saw of one draft of an event; an event's signals
/// combine those of its drafts.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Signals {
    /// The strongest trigger's weight in the lexicon.
    pub weight: f64,
    /// How sure the gazetteer is of the place.
    pub place_score: f64,
    pub noun: bool,
    pub passive: bool,
    /// The place came from the story (the sentence names none).
    pub borrowed_place: bool,
    /// The place came from an anaphor ("ce village", "des parties du village").
    pub anaphor: bool,
    pub headline: bool,
    /// The sentence has a date expression of its own.
    pub dated: bool,
    /// Words between the trigger and the place.
    pub distance: usize,
    /// The sentence tells in the imperfect or the pluperfect.
    pub imperfect: bool,
    /// The sentence has a conditional or a modal ("pourrait", "devrait").
    pub conditional: bool,
    /// Inside quotation marks.
    pub quoted: bool,
    /// A negation in the sentence.
    pub negated: bool,
    /// Where the sentence sits in the article, 0 (first) to 1 (last).
    pub position: f64,
    /// Triggers of other types in the sentence.
    pub other_types: usize,
    pub claimed: bool,
}

impl Signals {
    /// The signals of an event told by several drafts: the strongest
    /// evidence of each kind.
    pub fn join(&mut self, other: &Signals) {
        self.weight = self.weight.max(other.weight);
        self.place_score = self.place_score.max(other.place_score);
        self.noun &= other.noun;
        self.passive &= other.passive;
        self.borrowed_place &= other.borrowed_place;
        self.anaphor &= other.anaphor;
        self.headline &= other.headline;
        self.dated |= other.dated;
        self.distance = self.distance.min(other.distance);
        self.imperfect &= other.imperfect;
        self.conditional &= other.conditional;
        self.quoted &= other.quoted;
        self.negated &= other.negated;
        self.position = self.position.min(other.position);
        self.other_types = self.other_types.min(other.other_types);
        self.claimed |= other.claimed;
    }

    pub fn from_voice(voice: Voice) -> (bool, bool) {
        (voice == Voice::Noun, voice == Voice::Passive)
    }
}

/// The names of the model's features, in order.
pub const FEATURES: [&str; 27] = [
    "weight",
    "place_score",
    "noun",
    "passive",
    "borrowed_place",
    "anaphor",
    "headline",
    "dated",
    "log_distance",
    "imperfect",
    "conditional",
    "quoted",
    "negated",
    "position",
    "other_types",
    "claimed",
    "log_sentences",
    "control_change",
    "strike",
    "explosion",
    "clash",
    "place_region",
    "place_near",
    "date_day",
    "date_unknown",
    "has_actor",
    "has_toll",
];

/// The features of an event with its signals, named by [`FEATURES`].
pub fn features(e: &Event, s: &Signals) -> Vec<f64> {
    let b = |x: bool| if x { 1.0 } else { 0.0 };
    vec![
        s.weight,
        s.place_score.min(1.5),
        b(s.noun),
        b(s.passive),
        b(s.borrowed_place),
        b(s.anaphor),
        b(s.headline),
        b(s.dated),
        (1.0 + s.distance as f64).ln(),
        b(s.imperfect),
        b(s.conditional),
        b(s.quoted),
        b(s.negated),
        s.position,
        (s.other_types as f64).min(3.0),
        b(s.claimed),
        (e.evidence_spans.len() as f64).ln(),
        b(e.event_type == EventType::ControlChange),
        b(e.event_type == EventType::Strike),
        b(e.event_type == EventType::Explosion),
        b(e.event_type == EventType::Clash),
        b(e.precision == Precision::Region),
        b(e.precision == Precision::Near),
        b(e.date_precision == DatePrecision::Day),
        b(e.date_precision == DatePrecision::Unknown),
        b(e.actor.is_some()),
        b(e.fatalities.is_some() || e.injured.is_some()),
    ]
}

/// A fitted logistic model and the thresholds chosen with it.
#[derive(Debug, Clone, PartialEq)]
pub struct Model {
    pub intercept: f64,
    /// One weight per feature of [`FEATURES`].
    pub weights: Vec<f64>,
    /// Events below this confidence are not reported at all.
    pub report_threshold: f64,
    /// The map's default `min_confidence`: the precision-first view.
    pub map_threshold: f64,
    /// Lines of `#` comments describing how the model was trained.
    pub notes: Vec<String>,
}

impl Model {
    /// The model in `data/confidence.tsv`.
    pub fn builtin() -> crate::Result<Model> {
        Model::parse(MODEL_FILE, MODEL)
    }

    /// Read a model table: `feature`, `weight` rows, with the rows
    /// `intercept`, `report_threshold` and `map_threshold`. A feature the
    /// table does not name weighs nothing; a row naming no feature is an
    /// error.
    pub fn parse(name: &str, text: &str) -> crate::Result<Model> {
        let mut model = Model {
            intercept: 0.0,
            weights: vec![0.0; FEATURES.len()],
            report_threshold: 0.0,
            map_threshold: 0.0,
            notes: text
                .lines()
                .filter_map(|l| l.strip_prefix("# "))
                .map(String::from)
                .collect(),
        };
        for row in Table::parse(name, text, &["feature", "weight"])? {
            let value: f64 = row.parse("weight", "a number")?;
            match row.get("feature") {
                "intercept" => model.intercept = value,
                "report_threshold" => model.report_threshold = value,
                "map_threshold" => model.map_threshold = value,
                f => match FEATURES.iter().position(|x| *x == f) {
                    Some(i) => model.weights[i] = value,
                    None => {
                        return Err(row
                            .error("feature", format!("unknown feature {f:?}"))
                            .into())
                    }
                },
            }
        }
        Ok(model)
    }

    /// The probability that an event with these features is right.
    pub fn predict(&self, features: &[f64]) -> f64 {
        let z = self.intercept
            + self
                .weights
                .iter()
                .zip(features)
                .map(|(w, x)| w * x)
                .sum::<f64>();
        1.0 / (1.0 + (-z).exp())
    }

    /// The model as the table `parse` reads.
    pub fn to_tsv(&self) -> String {
        let mut out = String::new();
        for n in &self.notes {
            out.push_str(&format!("# {n}\n"));
        }
        out.push_str("feature\tweight\n");
        out.push_str(&format!("intercept\t{:.6}\n", self.intercept));
        for (f, w) in FEATURES.iter().zip(&self.weights) {
            out.push_str(&format!("{f}\t{w:.6}\n"));
        }
        out.push_str(&format!("report_threshold\t{:.3}\n", self.report_threshold));
        out.push_str(&format!("map_threshold\t{:.3}\n", self.map_threshold));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_model_reads_back_what_it_writes() {
        let m = Model {
            intercept: -0.5,
            weights: (0..FEATURES.len()).map(|i| i as f64 / 10.0).collect(),
            report_threshold: 0.2,
            map_threshold: 0.7,
            notes: vec!["trained on nothing".into()],
        };
        assert_eq!(Model::parse("m.tsv", &m.to_tsv()).unwrap(), m);
        let p = m.predict(&vec![0.0; FEATURES.len()]);
        assert!((p - 1.0 / (1.0 + 0.5f64.exp())).abs() < 1e-9);
    }

    #[test]
    fn an_unknown_feature_is_an_error_naming_its_line() {
        let e = Model::parse("m.tsv", "feature\tweight\nintercept\t0\nmoon\t1\n").unwrap_err();
        assert!(e.to_string().contains("m.tsv:3: field `feature`"), "{e}");
    }

    #[test]
    fn the_builtin_model_loads() {
        let m = Model::builtin().unwrap();
        assert!(m.map_threshold >= m.report_threshold);
    }
}
