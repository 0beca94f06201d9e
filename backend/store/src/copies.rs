//! Near-duplicate copies of stored articles: finding the candidates that
//! share a band key, and folding a copy into the article it repeats.

use serde::Serialize;

/// The most articles one band key brings as candidates (the latest).
pub const BAND_CAP: i64 = 32;

/// A copy of a stored article, as listed with it.
#[derive(Debug, Clone, PartialEq, Serialize, sqlx::FromRow)]
pub struct CopyRow {
    pub url: Option<String>,
    pub source: Option<String>,
    pub title: Option<String>,
    pub published: Option<String>,
    pub similarity: f64,
    pub added_at: String,
}

#[cfg(test)]
mod tests {
    use crate::tests::store;
    use frontline_extract::article::Article;

    #[tokio::test]
    async fn a_stored_articles_own_text_is_never_folded_as_its_copy() {
        // Two processes ingesting one text at once: the second, finding
        // the first's article as a near-duplicate, must not fold the text
        // into itself.
        let (_d, s) = store().await;
        let text = "Des obus sont tombés lundi sur le marché de Douma.";
        let article = Article {
            id: "a".into(),
            text: text.into(),
            ..Article::default()
        };
        let stored = s.add_article(&article, &[]).await.unwrap().article_id;
        assert!(!s.add_copy(stored, &article, 1.0).await.unwrap());
        assert!(s.copies(stored).await.unwrap().is_empty());
        let copy = Article {
            text: format!("{text} (mis à jour)"),
            ..article
        };
        assert!(s.add_copy(stored, &copy, 0.9).await.unwrap());
        assert_eq!(s.copies(stored).await.unwrap().len(), 1);
    }
}
