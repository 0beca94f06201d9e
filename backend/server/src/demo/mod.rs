//! The demo: short French dispatches about well-known events of the war,
//! embedded in the binary and run through the real extractor into a
//! database; and synthetic events in bulk for benchmarks.

mod synthetic;

pub use synthetic::{generate, Synthetic};

use crate::error::Result;
use crate::ingest::{Ingester, Summary};
use frontline_extract::article::{self, Article};
use frontline_store::content_hash;
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
            &article::DateBounds::default(),
        )?);
    }
    Ok(out)
}

/// Ingest every demo dispatch not stored yet. Stored ones are found by
/// their text's hash before any extraction, so completing a database that
/// a killed build left part-way costs little.
pub async fn build(ingester: &Ingester) -> Result<Summary> {
    let mut summary = Summary::default();
    for a in dispatches()? {
        let name = a.id.clone();
        summary.record(name, ingester.article(a).await);
    }
    Ok(summary)
}

/// Build or complete the demo database, on every start: a build killed
/// part-way is finished by the next one. A database that holds articles
/// but none of the dispatches is someone's own (`--db`, `FRONTLINE_DB`):
/// it is left as it is and `None` returned.
pub async fn complete(ingester: &Ingester) -> Result<Option<Summary>> {
    let store = ingester.store();
    if store.counts().await?.articles > 0 {
        let hashes: Vec<String> = dispatches()?
            .iter()
            .map(|a| content_hash(&a.text))
            .collect();
        if store.stored_hashes(&hashes).await? == 0 {
            return Ok(None);
        }
    }
    build(ingester).await.map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;
    use frontline_extract::article::Article;
    use frontline_extract::Extractor;
    use frontline_store::{Counts, Store};
    use std::sync::Arc;

    async fn ingester(dir: &tempfile::TempDir, name: &str) -> Ingester {
        let store = Store::open(&dir.path().join(name)).await.unwrap();
        let g = Arc::new(gazetteer::Gazetteer::builtin().unwrap());
        Ingester::new(store, Extractor::new(g).unwrap())
    }

    async fn counts(i: &Ingester) -> Counts {
        i.store().counts().await.unwrap()
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn a_partly_built_demo_database_is_completed_as_a_whole_build() {
        let dir = tempfile::tempdir().unwrap();
        let all = dispatches().unwrap();
        let whole = ingester(&dir, "whole.db").await;
        let built = complete(&whole).await.unwrap().unwrap();
        assert_eq!(
            (built.new, built.unchanged, built.failed),
            (all.len(), 0, 0)
        );

        // A build killed after its first dispatches (one transaction each).
        let part = ingester(&dir, "part.db").await;
        let first = 10;
        for a in all.iter().take(first) {
            part.article(a.clone()).await.unwrap();
        }
        let done = complete(&part).await.unwrap().unwrap();
        assert_eq!(
            (done.new, done.unchanged, done.failed),
            (all.len() - first, first, 0),
            "{:?}",
            done.failures
        );
        assert_eq!(counts(&part).await, counts(&whole).await);

        // Once complete, a start adds nothing.
        let again = complete(&part).await.unwrap().unwrap();
        assert_eq!((again.new, again.unchanged), (0, all.len()));
        assert_eq!(counts(&part).await, counts(&whole).await);
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn a_database_without_the_dispatches_is_left_as_it_is() {
        let dir = tempfile::tempdir().unwrap();
        let own = ingester(&dir, "own.db").await;
        own.article(Article {
            id: "own".into(),
            text: "Des raids aériens ont frappé Alep le 3 mars 2016.".into(),
            ..Article::default()
        })
        .await
        .unwrap();
        let before = counts(&own).await;
        assert!(complete(&own).await.unwrap().is_none());
        assert_eq!(counts(&own).await, before);
    }
}
