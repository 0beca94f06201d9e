//! Gazetteer speed: scanning French news text (bytes per second) and single
//! lookups (lookups per second).
//!
//! The text is the `text` field of every article in `../shared/corpus/dev`
//! (relative to the repository root) when that folder exists, otherwise a
//! few paragraphs written for this benchmark, repeated to about 200 KB.
//!
//! Times are CPU time of the benchmark thread on Linux (one core, other
//! load on the machine excluded); set `FRONTLINE_BENCH_WALL=1` for
//! wall-clock time.
//!
//! `cargo bench -p gazetteer --bench gazetteer`

mod support;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use gazetteer::Gazetteer;
use std::hint::black_box;
use std::path::PathBuf;
use support::{measure, FALLBACK};
/// The texts to scan and a label saying where they come from.
fn texts() -> (Vec<String>, &'static str) {
    let mut out = Vec::new();
    for path in support::dev_corpus(&PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")) {
        let Ok(raw) = std::fs::read_to_string(&path) else {
            continue;
        };
        let Ok(value) = serde_json::from_str::<serde_json::Value>(&raw) else {
            continue;
        };
        if let Some(text) = value.get("text").and_then(|t| t.as_str()) {
            if !text.trim().is_empty() {
                out.push(text.to_string());
            }
        }
    }
    if out.is_empty() {
        let copies = 200_000 / FALLBACK.len() + 1;
        (vec![FALLBACK.repeat(copies)], "fallback")
    } else {
        (out, "dev-corpus")
    }
}

fn scanning(c: &mut Criterion) {
    let g = Gazetteer::builtin().expect("built-in gazetteer loads");
    let (texts, label) = texts();
    let text = texts.join("\n\n");
    eprintln!("scanning {} bytes of {label} text", text.len());
    let mut group = c.benchmark_group("scan");
    group.throughput(Throughput::Bytes(text.len() as u64));
    // The tokenizer alone: the floor under `scan`.
    group.bench_function(format!("tokenize/{label}"), |b| {
        measure(b, || gazetteer::normalize::tokenize(black_box(&text)).len())
    });
    group.bench_function(format!("scan/{label}"), |b| {
        measure(b, || g.scan(black_box(&text)).len())
    });
    group.bench_function(format!("analyze/{label}"), |b| {
        measure(b, || g.analyze(black_box(&text)).len())
    });
    group.finish();
}

/// Queries as users type them: French, English and transliterated
/// spellings, cues, foreign places, and names the gazetteer does not know.
const QUERIES: &[&str] = &[
    "Khan Tuman",
    "Khan Toumane",
    "Alep",
    "Aleppo",
    "Lattaquié",
    "Latakia",
    "Deir ez-Zor",
    "Dayr az-Zawr",
    "province d'Idleb",
    "ville d'Idleb",
    "Idlib",
    "Hmeimim",
    "base aérienne de Hmeimim",
    "Maaret al-Noomane",
    "Ma'arrat al-Nu'man",
    "Khan Cheikhoun",
    "Jisr al-Choughour",
    "Raqqa",
    "Deraa",
    "Soueïda",
    "Qousseir",
    "al-Bab",
    "Damas",
    "Homs",
    "Ghouta orientale",
    "Tall Rifaat",
    "Moscou",
    "Beyrouth",
    "Xyzzyville",
    "Nulle Part sur Mer",
];

fn lookups(c: &mut Criterion) {
    let g = Gazetteer::builtin().expect("built-in gazetteer loads");
    let mut group = c.benchmark_group("lookup");
    group.throughput(Throughput::Elements(1));
    group.bench_function("rotating", |b| {
        let mut i = 0;
        measure(b, || {
            let q = QUERIES[i % QUERIES.len()];
            i += 1;
            g.lookup(black_box(q)).len()
        })
    });
    group.finish();
}

criterion_group!(benches, scanning, lookups);
criterion_main!(benches);
