//! `frontline train`: fit the extractor's confidence model on annotated
//! articles. A logistic regression (linfa) over the features of every
//! candidate event, labelled by whether it matches a gold event; k-fold
//! cross-validation by article gives out-of-fold confidences, from which
//! the regularisation, the reliability table and the two thresholds are
//! chosen (reporting: the best F1; the map's default: the best recall
//! with a precision of at least [`MAP_PRECISION`]); the final model is fitted
//! on every article.

use crate::error::{Error, Result};
use frontline_extract::confidence::{Model, FEATURES};
use frontline_extract::eval::{reliability, Bucket, Example};
use linfa::prelude::*;
use linfa_logistic::LogisticRegression;
use ndarray::{Array1, Array2};

/// The precision the map's default view aims at.
pub const MAP_PRECISION: f64 = 0.90;

/// L2 penalties tried; the one with the best out-of-fold log-loss wins.
const PENALTIES: [f64; 5] = [0.3, 1.0, 3.0, 10.0, 30.0];

/// What training measured, beside the model.
#[derive(Debug, Clone)]
pub struct Training {
    pub model: Model,
    pub examples: usize,
    pub articles: usize,
    pub gold_events: usize,
    pub penalty: f64,
    /// Out-of-fold log-loss of the chosen penalty.
    pub log_loss: f64,
    /// Out-of-fold reliability: confidence buckets and their precision.
    pub reliability: Vec<Bucket>,
    /// Out-of-fold precision and recall at each threshold.
    pub at_report: (f64, f64),
    pub at_map: (f64, f64),
}

/// A fitted logistic regression as (intercept, weights) giving P(matched).
fn fit(examples: &[&Example], penalty: f64) -> Result<(f64, Vec<f64>)> {
    let n = FEATURES.len();
    let positives = examples.iter().filter(|e| e.matched).count();
    if positives == 0 || positives == examples.len() {
        // One class only: the base rate is all there is to learn.
        let rate = (positives as f64 + 0.5) / (examples.len() as f64 + 1.0);
        return Ok(((rate / (1.0 - rate)).ln(), vec![0.0; n]));
    }
    let mut x = Array2::<f64>::zeros((examples.len(), n));
    for (i, e) in examples.iter().enumerate() {
        for (j, v) in e.features.iter().enumerate().take(n) {
            x[[i, j]] = *v;
        }
    }
    let y: Array1<bool> = examples.iter().map(|e| e.matched).collect();
    let fitted = LogisticRegression::default()
        .alpha(penalty)
        .max_iterations(500)
        .fit(&Dataset::new(x, y))
        .map_err(|e| Error::Internal(format!("fitting the confidence model: {e}")))?;
    // linfa models the probability of its "positive" class, the more
    // frequent one: turn it into P(matched).
    let sign = if fitted.labels().pos.class { 1.0 } else { -1.0 };
    Ok((
        sign * fitted.intercept(),
        fitted.params().iter().map(|w| sign * w).collect(),
    ))
}

fn predict(intercept: f64, weights: &[f64], features: &[f64]) -> f64 {
    let z = intercept
        + weights
            .iter()
            .zip(features)
            .map(|(w, x)| w * x)
            .sum::<f64>();
    1.0 / (1.0 + (-z).exp())
}

/// The fold of each example: articles dealt round the folds in name order.
fn folds(examples: &[Example], k: usize) -> Vec<usize> {
    let mut articles: Vec<&str> = examples.iter().map(|e| e.article.as_str()).collect();
    articles.sort_unstable();
    articles.dedup();
    examples
        .iter()
        .map(|e| articles.binary_search(&e.article.as_str()).unwrap_or(0) % k)
        .collect()
}

/// Out-of-fold probabilities with one penalty.
fn out_of_fold(examples: &[Example], fold: &[usize], k: usize, penalty: f64) -> Result<Vec<f64>> {
    let mut p = vec![0.0; examples.len()];
    for f in 0..k {
        let train: Vec<&Example> = examples
            .iter()
            .zip(fold)
            .filter(|(_, &g)| g != f)
            .map(|(e, _)| e)
            .collect();
        let (b, w) = fit(&train, penalty)?;
        for (i, e) in examples.iter().enumerate() {
            if fold[i] == f {
                p[i] = predict(b, &w, &e.features);
            }
        }
    }
    Ok(p)
}

/// (precision, recall) of the events with confidence ≥ `t`.
fn precision_recall(scored: &[(f64, bool)], gold: usize, t: f64) -> (f64, f64) {
    let kept: Vec<&(f64, bool)> = scored.iter().filter(|(p, _)| *p >= t).collect();
    let right = kept.iter().filter(|(_, m)| *m).count() as f64;
    let precision = if kept.is_empty() {
        1.0
    } else {
        right / kept.len() as f64
    };
    (precision, right / gold.max(1) as f64)
}

/// Fit the model on `examples` (from `gold_events` gold events) with
/// `k`-fold cross-validation.
pub fn train(examples: Vec<Example>, gold_events: usize, k: usize) -> Result<Training> {
    let articles = {
        let mut a: Vec<&str> = examples.iter().map(|e| e.article.as_str()).collect();
        a.sort_unstable();
        a.dedup();
        a.len()
    };
    if articles < k || k < 2 {
        return Err(Error::Usage(format!(
            "{articles} annotated articles cannot make {k} folds (at least 2, at most one per article)"
        )));
    }
    let fold = folds(&examples, k);
    let mut best: Option<(f64, f64, Vec<f64>)> = None;
    for penalty in PENALTIES {
        let p = out_of_fold(&examples, &fold, k, penalty)?;
        let loss = examples
            .iter()
            .zip(&p)
            .map(|(e, &p)| {
                let p = p.clamp(1e-6, 1.0 - 1e-6);
                -if e.matched { p.ln() } else { (1.0 - p).ln() }
            })
            .sum::<f64>()
            / examples.len().max(1) as f64;
        if best.as_ref().is_none_or(|(_, l, _)| loss < *l) {
            best = Some((penalty, loss, p));
        }
    }
    let Some((penalty, log_loss, oof)) = best else {
        return Err(Error::Usage("no example to train on".into()));
    };
    let scored: Vec<(f64, bool)> = oof
        .iter()
        .copied()
        .zip(examples.iter().map(|e| e.matched))
        .collect();
    let thresholds: Vec<f64> = (0..=95).map(|i| i as f64 / 100.0).collect();
    let f1 = |t: f64| {
        let (p, r) = precision_recall(&scored, gold_events, t);
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    };
    // The best F1; on a tie, the lower threshold (more recall).
    let report =
        thresholds.iter().copied().fold(
            0.0,
            |best, t| if f1(t) > f1(best) + 1e-9 { t } else { best },
        );
    // The map: the lowest threshold reaching the precision target, else
    // the most precise one.
    let map = thresholds
        .iter()
        .copied()
        .find(|&t| t >= report && precision_recall(&scored, gold_events, t).0 >= MAP_PRECISION)
        .unwrap_or_else(|| {
            thresholds.iter().copied().fold(report, |best, t| {
                let (p, r) = precision_recall(&scored, gold_events, t);
                let (bp, _) = precision_recall(&scored, gold_events, best);
                if p > bp && r > 0.0 {
                    t
                } else {
                    best
                }
            })
        });
    let all: Vec<&Example> = examples.iter().collect();
    let (intercept, weights) = fit(&all, penalty)?;
    let at_report = precision_recall(&scored, gold_events, report);
    let at_map = precision_recall(&scored, gold_events, map);
    let reliability = reliability(&scored);
    let mut notes = vec![
        "The extractor's confidence model, written by `frontline train` (do not edit by hand:".into(),
        "train again). Logistic regression over the features of frontline_extract::confidence.".into(),
        format!(
            "Trained on {} candidate events of {articles} articles ({gold_events} gold events), L2 penalty {penalty}, {k}-fold cross-validation by article.",
            examples.len()
        ),
        format!(
            "Out of fold: log-loss {log_loss:.3}; at report_threshold {report:.2} precision {:.2} recall {:.2}; at map_threshold {map:.2} precision {:.2} recall {:.2}.",
            at_report.0, at_report.1, at_map.0, at_map.1
        ),
        "Reliability out of fold (confidence bucket: events, matched, precision):".into(),
    ];
    for b in &reliability {
        notes.push(format!(
            "  {:.1}-{:.1}: {} events, {} matched, {:.2}",
            b.low,
            b.high,
            b.predicted,
            b.matched,
            b.matched as f64 / b.predicted.max(1) as f64
        ));
    }
    Ok(Training {
        model: Model {
            intercept,
            weights,
            report_threshold: report,
            map_threshold: map,
            notes,
        },
        examples: examples.len(),
        articles,
        gold_events,
        penalty,
        log_loss,
        reliability,
        at_report,
        at_map,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Examples whose first feature decides the label, over 12 articles.
    fn separable() -> Vec<Example> {
        (0..120)
            .map(|i| {
                let matched = i % 3 != 0;
                let mut features = vec![0.0; FEATURES.len()];
                features[0] = if matched { 1.0 } else { 0.0 } + (i % 5) as f64 * 0.01;
                Example {
                    article: format!("a{}", i % 12),
                    features,
                    matched,
                }
            })
            .collect()
    }

    #[test]
    fn the_model_learns_which_way_a_feature_points() {
        let t = train(separable(), 80, 4).unwrap();
        assert!(t.model.weights[0] > 0.5, "{:?}", t.model.weights);
        let mut yes = vec![0.0; FEATURES.len()];
        yes[0] = 1.0;
        assert!(t.model.predict(&yes) > 0.8);
        assert!(t.model.predict(&vec![0.0; FEATURES.len()]) < 0.2);
        assert!(t.at_map.0 >= MAP_PRECISION, "{:?}", t.at_map);
    }

    #[test]
    fn too_few_articles_for_the_folds_is_an_error() {
        let e = train(separable(), 80, 20).unwrap_err();
        assert!(e.to_string().contains("12 annotated articles"), "{e}");
    }
}
