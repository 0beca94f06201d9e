//! The demo: short French dispatches about well-known events of the war,
//! embedded in the binary and run through the real extractor into a
//! database; and synthetic events in bulk for benchmarks.

mod synthetic;

pub use synthetic::{generate, Synthetic};

use crate::article::{self, Article};
use crate::error::Result;
use crate::ingest::{Ingester, Summary};
use std::path::Path;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/demo_dispatches.rs"));
}

/// The demo dispatches as articles, in file order.
pub fn dispatches() -> Result<Vec<Article>> {
    let mut out = Vec::new();
    for (name, json) in embedded::DISPATCHES {
        let stem = name.trim_end_matches(".json");
        out.extend(article::parse_bytes(
            Path::new(name),
            stem,
            "json",
            json.as_bytes().to_vec(),
        )?);
    }
    Ok(out)
}

/// Ingest every demo dispatch (already stored ones are skipped).
pub async fn build(ingester: &Ingester) -> Result<Summary> {
    let mut summary = Summary::default();
    for a in dispatches()? {
        let name = a.id.clone();
        summary.record(name, ingester.article(a).await);
    }
    Ok(summary)
}
