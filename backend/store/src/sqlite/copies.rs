//! Near-duplicate copies on SQLite.

use super::SqliteStore;
use crate::copies::{CopyRow, BAND_CAP};
use crate::error::Result;
use crate::write::content_hash;
use frontline_extract::article::Article;
use sqlx::{QueryBuilder, Sqlite};

impl SqliteStore {
    /// The `limit` stored articles sharing the most of these band keys
    /// (at least one), with their fingerprints (stored form). Each band
    /// brings at most its [`BAND_CAP`] latest articles, so that a template
    /// shared by thousands of dispatches costs no more than a rare text.
    pub async fn near_duplicate_candidates(
        &self,
        bands: &[i64],
        limit: i64,
    ) -> Result<Vec<(i64, Vec<u8>)>> {
        if bands.is_empty() {
            return Ok(Vec::new());
        }
        let mut qb: QueryBuilder<Sqlite> = QueryBuilder::new(
            "SELECT a.id, a.fingerprint FROM (SELECT article_id, count(*) AS shared FROM (",
        );
        for (i, b) in bands.iter().enumerate() {
            if i > 0 {
                qb.push(" UNION ALL ");
            }
            qb.push("SELECT * FROM (SELECT article_id FROM article_bands WHERE band = ");
            qb.push_bind(*b);
            qb.push(" ORDER BY article_id DESC LIMIT ");
            qb.push_bind(BAND_CAP);
            qb.push(")");
        }
        qb.push(") GROUP BY article_id ORDER BY shared DESC, article_id DESC LIMIT ");
        qb.push_bind(limit);
        qb.push(
            ") c JOIN articles a ON a.id = c.article_id WHERE a.fingerprint IS NOT NULL
             ORDER BY c.shared DESC, a.id DESC",
        );
        Ok(qb.build_query_as().fetch_all(&self.pool).await?)
    }

    /// The article a copy with this text was folded into, if any.
    pub async fn copy_by_hash(&self, hash: &str) -> Result<Option<i64>> {
        Ok(
            sqlx::query_scalar("SELECT article_id FROM article_copies WHERE content_hash = ?")
                .bind(hash)
                .fetch_optional(&self.pool)
                .await?,
        )
    }

    /// Fold a copy into the stored article it repeats: it becomes another
    /// source of that article and adds no events. False when this text was
    /// folded before.
    pub async fn add_copy(&self, article_id: i64, copy: &Article, similarity: f64) -> Result<bool> {
        let done = sqlx::query(
            "INSERT INTO article_copies (article_id, content_hash, name, url, source, title, published, similarity)
             SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8
             WHERE NOT EXISTS (SELECT 1 FROM articles WHERE content_hash = ?2)
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
             WHERE article_id = ? ORDER BY id",
        )
        .bind(article_id)
        .fetch_all(&self.pool)
        .await?)
    }
}
