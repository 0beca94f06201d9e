//! End-to-end extraction speed (segmentation, gazetteer, events) in bytes of
//! article text per second.
//!
//! The articles are the `*.json` files of `../shared/corpus/dev` (relative
//! to the repository root) when that folder exists, read as `frontline
//! extract` reads them; otherwise a few paragraphs written for this
//! benchmark, repeated to about 200 KB in articles of a few KB each.
//!
//! Times are CPU time of the benchmark thread on Linux (one core, other
//! load on the machine excluded); set `FRONTLINE_BENCH_WALL=1` for
//! wall-clock time.
//!
//! `cargo bench -p frontline-extract --bench extract`

#[path = "../../../gazetteer/benches/support/mod.rs"]
mod support;

use chrono::NaiveDate;
use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use frontline_extract::article::{self, Article};
use frontline_extract::Extractor;
use gazetteer::Gazetteer;
use std::hint::black_box;
use std::path::PathBuf;
use std::sync::Arc;
use support::{measure, FALLBACK};

/// The articles to extract and a label saying where they come from.
fn articles() -> (Vec<Article>, &'static str) {
    let mut out = Vec::new();
    for path in support::dev_corpus(&PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..")) {
        match article::read_file(&path) {
            Ok(articles) => out.extend(articles),
            Err(e) => eprintln!("skipped: {e}"),
        }
    }
    if out.is_empty() {
        let copies = 200_000 / FALLBACK.len() + 1;
        let out = (0..copies)
            .map(|i| Article {
                id: format!("fallback-{i}"),
                published: NaiveDate::from_ymd_opt(2016, 5, 6),
                text: FALLBACK.to_string(),
                ..Article::default()
            })
            .collect();
        (out, "fallback")
    } else {
        (out, "dev-corpus")
    }
}

fn extraction(c: &mut Criterion) {
    let g = Arc::new(Gazetteer::builtin().expect("built-in gazetteer loads"));
    let extractor = Extractor::new(g).expect("extractor loads");
    let (articles, label) = articles();
    let bytes: usize = articles.iter().map(|a| a.text.len()).sum();
    eprintln!(
        "extracting {} articles, {bytes} bytes of {label} text",
        articles.len()
    );
    let mut group = c.benchmark_group("extract");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.bench_function(label, |b| {
        measure(b, || {
            articles
                .iter()
                .map(|a| extractor.extract(black_box(a)).events.len())
                .sum::<usize>()
        })
    });
    group.finish();
}

criterion_group!(benches, extraction);
criterion_main!(benches);
