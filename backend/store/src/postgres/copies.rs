//! Near-duplicate copies on PostgreSQL.

use super::PgStore;
use crate::copies::{CopyRow, BAND_CAP};
use crate::error::Result;
use crate::write::content_hash;
use frontline_extract::article::Article;

impl PgStore {
    /// The `limit` stored articles sharing the most of these band keys
    /// (at least one), with their fingerprints (stored form). Each band
    /// brings at most its [`BAND_CAP`] latest articles (one backward step
    /// in the band's part of the primary key per band), so that a template
    /// shared by thousands of dispatches costs no more than a rare text.
    pub async fn near_duplicate_candidates(
        &self,
        bands: &[i64],
        limit: i64,
    ) -> Result<Vec<(i64, Vec<u8>)>> {
        if bands.is_empty() {
            return Ok(Vec::new());
        }
        Ok(sqlx::query_as(
            "SELECT a.id, a.fingerprint FROM (
               SELECT m.article_id, count(*) AS shared
               FROM unnest($1::bigint[]) AS b(band)
               CROSS JOIN LATERAL (
                 SELECT article_id FROM article_bands WHERE band = b.band
                 ORDER BY article_id DESC LIMIT $2) m
               GROUP BY m.article_id ORDER BY shared DESC, m.article_id DESC LIMIT $3) c
             JOIN articles a ON a.id = c.article_id WHERE a.fingerprint IS NOT NULL
             ORDER BY c.shared DESC, a.id DESC",
        )
        .bind(bands)
        .bind(BAND_CAP)
        .bind(limit.max(0))
        .fetch_all(&self.pool)
        .await?)
    }

    /// The article a copy with this text was folded into, if any.
    pub async fn copy_by_hash(&self, hash: &str) -> Result<Option<i64>> {
        Ok(
            sqlx::query_scalar("SELECT article_id FROM article_copies WHERE content_hash = $1")
                .bind(hash)
                .fetch_optional(&self.pool)
                .await?,
        )
    }

    /// Fold a copy into the stored article it repeats: it becomes another
    /// source of that article and adds no events. False when this text was
    /// folded before (by this process or another: the unique hash decides).
    pub async fn add_copy(&self, article_id: i64, copy: &Article, similarity: f64) -> Result<bool> {
        let done = sqlx::query(
            "INSERT INTO article_copies (article_id, content_hash, name, url, source, title, published, similarity)
             SELECT $1, $2, $3, $4, $5, $6, $7, $8
             WHERE NOT EXISTS (SELECT 1 FROM articles WHERE content_hash = $2)
             ON CONFLICT (content_hash) DO NOTHING",
        )
        .bind(article_id)
        .bind(content_hash(&copy.text))
        .bind(&copy.id)
        .bind(&copy.url)
        .bind(&copy.source)
        .bind(&copy.title)
        .bind(copy.published.map(|d| d.to_string()))
        .bind(similarity)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() > 0)
    }

    /// The copies folded into an article, oldest first.
    pub async fn copies(&self, article_id: i64) -> Result<Vec<CopyRow>> {
        Ok(sqlx::query_as(
            "SELECT url, source, title, published, similarity, added_at FROM article_copies
             WHERE article_id = $1 ORDER BY id",
        )
        .bind(article_id)
        .fetch_all(&self.pool)
        .await?)
    }
}

#[cfg(test)]
mod tests {
    use super::super::read::tests::twins;
    use frontline_extract::article::Article;

    #[tokio::test]
    async fn candidates_and_copies_are_sqlites() {
        let Some((_dirs, lite, pg)) = twins().await else {
            return;
        };
        // Articles 1–3 have fingerprints; 4 (band 8) has none.
        for (bands, limit) in [
            (&[7, 8, 9][..], 10),
            (&[8][..], 10),
            (&[7, 8, 9], 1),
            (&[7, 7], 10),
            (&[42], 10),
        ] {
            let a = lite.near_duplicate_candidates(bands, limit).await.unwrap();
            let b = pg.near_duplicate_candidates(bands, limit).await.unwrap();
            assert_eq!(a, b, "{bands:?} {limit}");
        }
        let shared = pg.near_duplicate_candidates(&[7, 8, 9], 10).await.unwrap();
        assert_eq!(
            shared[0],
            (3, vec![3, 2, 3]),
            "article 3 shares three bands"
        );
        assert!(pg
            .near_duplicate_candidates(&[], 10)
            .await
            .unwrap()
            .is_empty());
        let copy = Article {
            id: "copie".into(),
            text: "Texte 1, repris.".into(),
            url: Some("https://b.example/1".into()),
            ..Article::default()
        };
        let hash = crate::content_hash(&copy.text);
        for s in [&lite, &pg] {
            assert_eq!(s.copy_by_hash(&hash).await.unwrap(), None);
            assert!(s.add_copy(1, &copy, 0.93).await.unwrap());
            assert!(!s.add_copy(2, &copy, 0.5).await.unwrap(), "folded once");
            assert_eq!(s.copy_by_hash(&hash).await.unwrap(), Some(1));
            assert!(s.copies(2).await.unwrap().is_empty());
        }
        let (a, b) = (lite.copies(1).await.unwrap(), pg.copies(1).await.unwrap());
        assert_eq!(b.len(), 1);
        assert_eq!(
            (b[0].url.as_deref(), b[0].similarity),
            (Some("https://b.example/1"), 0.93)
        );
        let strip = |c: &[crate::CopyRow]| {
            c.iter()
                .map(|r| {
                    (
                        r.url.clone(),
                        r.title.clone(),
                        r.similarity,
                        r.added_at.len(),
                    )
                })
                .collect::<Vec<_>>()
        };
        assert_eq!(strip(&a), strip(&b));
    }
}
