//! A news site for the feed tests, on loopback: feeds and article pages
//! written for the tests, served by a small axum server on its own thread,
//! with conditional GET (ETag), redirects and a log of what was asked.

use axum::body::Body;
use axum::http::{header, HeaderMap, StatusCode, Uri};
use axum::response::Response;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// One path's answer.
#[derive(Clone, Debug)]
pub enum Page {
    /// 200 with this content type and body, and an ETag when given.
    Doc {
        content_type: &'static str,
        body: String,
        etag: Option<String>,
    },
    /// A 302 to this location.
    Redirect(String),
    /// This status with an empty body.
    Status(u16),
}

/// A request the site received.
#[derive(Clone, Debug)]
pub struct Hit {
    pub path: String,
    pub if_none_match: Option<String>,
    pub user_agent: Option<String>,
}

#[derive(Default)]
struct Inner {
    pages: HashMap<String, Page>,
    hits: Vec<Hit>,
}

/// The running site; it stops with the test process.
#[derive(Clone)]
pub struct Site {
    pub base: String,
    inner: Arc<Mutex<Inner>>,
}

impl Site {
    pub fn start() -> Site {
        let inner = Arc::new(Mutex::new(Inner::default()));
        let shared = inner.clone();
        let (tx, rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .expect("runtime");
            rt.block_on(async move {
                let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
                    .await
                    .expect("bind");
                tx.send(listener.local_addr().expect("addr")).expect("send");
                let app = axum::Router::new().fallback(move |uri: Uri, headers: HeaderMap| {
                    let inner = shared.clone();
                    async move { answer(&inner, &uri, &headers) }
                });
                axum::serve(listener, app).await.expect("serve");
            });
        });
        let addr = rx.recv().expect("the site starts");
        Site {
            base: format!("http://{addr}"),
            inner,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub fn put(&self, path: &str, page: Page) {
        self.lock().pages.insert(path.to_string(), page);
    }

    pub fn doc(&self, path: &str, content_type: &'static str, body: &str) {
        self.put(
            path,
            Page::Doc {
                content_type,
                body: body.to_string(),
                etag: None,
            },
        );
    }

    pub fn hits(&self) -> Vec<Hit> {
        self.lock().hits.clone()
    }

    /// How many requests asked for this path.
    pub fn hits_of(&self, path: &str) -> usize {
        self.lock().hits.iter().filter(|h| h.path == path).count()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }
}

fn answer(inner: &Mutex<Inner>, uri: &Uri, headers: &HeaderMap) -> Response {
    let text = |name| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    let path = uri
        .path_and_query()
        .map(|p| p.as_str().to_string())
        .unwrap_or_default();
    let mut inner = inner.lock().unwrap_or_else(|p| p.into_inner());
    inner.hits.push(Hit {
        path: path.clone(),
        if_none_match: text(header::IF_NONE_MATCH),
        user_agent: text(header::USER_AGENT),
    });
    // Pages are found with or without their query string.
    let page = inner
        .pages
        .get(&path)
        .or_else(|| inner.pages.get(uri.path()))
        .cloned();
    let builder = Response::builder();
    match page {
        None => builder.status(StatusCode::NOT_FOUND).body(Body::empty()),
        Some(Page::Status(code)) => builder.status(code).body(Body::empty()),
        Some(Page::Redirect(to)) => builder
            .status(StatusCode::FOUND)
            .header(header::LOCATION, to)
            .body(Body::empty()),
        Some(Page::Doc {
            content_type,
            body,
            etag,
        }) => {
            if etag.is_some() && etag == text(header::IF_NONE_MATCH) {
                return builder
                    .status(StatusCode::NOT_MODIFIED)
                    .body(Body::empty())
                    .unwrap_or_default();
            }
            let mut b = builder.header(header::CONTENT_TYPE, content_type);
            if let Some(e) = etag {
                b = b.header(header::ETAG, e);
            }
            b.body(Body::from(body))
        }
    }
    .unwrap_or_default()
}
