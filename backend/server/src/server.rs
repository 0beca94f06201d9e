//! Running the HTTP server: logging set-up, listening, the connections'
//! limits, and graceful shutdown. What it serves is [`crate::http::router`].
//!
//! Each connection is served by hyper's HTTP/1.1 server with:
//! - a time limit on reading each request's head (`--header-timeout`),
//!   which also closes a connection that sends nothing, or nothing more
//!   after an answer (keep-alive);
//! - a time limit without any byte read or written (`--idle-timeout`),
//!   for clients that stop reading an answer;
//! - a cap on connections served at once (`--max-connections`, lowered to
//!   fit the process's open-files limit): beyond it a new connection gets
//!   a 503 problem and is closed;
//! - hyper's own answers to requests it cannot parse (400, an over-long
//!   URI's 414, over-large headers' 431) rewritten as problem details.
//!
//! The request body's time limit (`--body-timeout`) is kept where bodies
//! are read (`http::articles`, `http::auth::form_csrf`). Each request
//! carries its connection's peer address (`ConnectInfo`), for the login
//! rate limit.

use crate::error::{Error, Result};
use crate::http::{self, AppState};
use axum::Router;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use std::io;
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::task::{ready, Context, Poll};
use std::time::{Duration, Instant};
use tokio::io::{AsyncRead, AsyncWrite, AsyncWriteExt, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{watch, Semaphore};

/// Structured logs on stderr; `RUST_LOG` overrides `default`.
pub fn init_logs(default: &str) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new(default));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_writer(std::io::stderr)
        .try_init();
}

/// The limits each connection is served under.
#[derive(Debug, Clone, Copy)]
pub struct ConnectionLimits {
    pub header_timeout: Duration,
    pub idle_timeout: Duration,
    pub max_connections: usize,
}

/// File descriptors kept free beside the connections: the database and
/// its WAL files, the listener, logs.
const SPARE_FDS: usize = 64;

/// `wanted` connections, or fewer when the open-files limit cannot hold
/// them (with a warning).
fn fit_to_fd_limit(wanted: usize) -> usize {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit writes into the struct it is given.
    let ok = unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) } == 0;
    if !ok || limit.rlim_cur == libc::RLIM_INFINITY {
        return wanted.max(1);
    }
    let room = usize::try_from(limit.rlim_cur)
        .unwrap_or(usize::MAX)
        .saturating_sub(SPARE_FDS)
        .max(1);
    if wanted > room {
        tracing::warn!(
            "--max-connections {wanted} lowered to {room}: the open-files limit is {} (ulimit -n)",
            limit.rlim_cur
        );
        room
    } else {
        wanted.max(1)
    }
}

/// Serve the application on the configured address until Ctrl-C or
/// SIGTERM.
pub async fn serve(state: AppState) -> Result<()> {
    serve_until(state, stop_signal()).await
}

/// A flag that turns true on Ctrl-C or SIGTERM, for the server and the
/// feed watcher to end cleanly.
pub fn stop_signal() -> watch::Receiver<bool> {
    let (tx, rx) = watch::channel(false);
    tokio::spawn(async move {
        shutdown().await;
        let _ = tx.send(true);
    });
    rx
}

/// Serve the application until `stop` turns true.
pub async fn serve_until(state: AppState, mut stop: watch::Receiver<bool>) -> Result<()> {
    let settings = state.settings.clone();
    let addr = settings.addr;
    tracing::info!(config = %settings, "configuration");
    match &settings.assets {
        Some(dir) => tracing::info!("front end served from {}", dir.display()),
        None => tracing::info!(
            "front end embedded: {} files, {} bytes, version {}",
            crate::frontend::FILES.len(),
            crate::frontend::TOTAL_BYTES,
            crate::frontend::VERSION
        ),
    }
    // On loopback only this machine can send a Host header: no warning.
    if settings.public_base().is_none()
        && settings.allowed_hosts.is_empty()
        && !addr.ip().is_loopback()
    {
        tracing::warn!(
            "neither --public-url nor --allowed-hosts is set: absolute links (next pages, OGC, \
             embeds, oEmbed) follow whatever Host header a request sends; set one of them, as \
             the server listens beyond loopback"
        );
    }
    let limits = ConnectionLimits {
        header_timeout: Duration::from_secs(settings.header_timeout.max(1)),
        idle_timeout: Duration::from_secs(settings.idle_timeout.max(1)),
        max_connections: fit_to_fd_limit(settings.max_connections),
    };
    let listener = TcpListener::bind(addr)
        .await
        .map_err(|e| Error::Internal(format!("cannot listen on {addr}: {e}")))?;
    let local = listener
        .local_addr()
        .map_err(|e| Error::Internal(e.to_string()))?;
    http::check_integrity(&state);
    // Once, whatever RUST_LOG says: the address to open.
    eprintln!("frontline: listening on http://{local}");
    let stopped = async move {
        let _ = stop.wait_for(|s| *s).await;
    };
    run(listener, http::router(state), limits, stopped).await;
    Ok(())
}

/// Accept connections and serve `app` on each until `signal` completes,
/// then let the open ones finish (10 s at most).
pub async fn run(
    listener: TcpListener,
    app: Router,
    limits: ConnectionLimits,
    signal: impl std::future::Future<Output = ()>,
) {
    let slots = Arc::new(Semaphore::new(limits.max_connections));
    let (closing, closed) = watch::channel(false);
    tokio::pin!(signal);
    loop {
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
                Err(e) => {
                    // Out of file descriptors, or a connection reset before
                    // it was accepted: wait a little rather than spin.
                    tracing::warn!(error = %e, "accepting a connection failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            _ = &mut signal => break,
        };
        let _ = stream.set_nodelay(true);
        let Ok(slot) = slots.clone().try_acquire_owned() else {
            tokio::spawn(refuse(stream));
            continue;
        };
        let app = app.clone();
        let closed = closed.clone();
        tokio::spawn(async move {
            connection(stream, peer, app, limits, closed).await;
            drop(slot);
        });
    }
    tracing::info!("shutting down");
    let _ = closing.send(true);
    let all = u32::try_from(limits.max_connections).unwrap_or(u32::MAX);
    let _ = tokio::time::timeout(Duration::from_secs(10), slots.acquire_many(all)).await;
}

/// Serve one connection under its limits.
async fn connection(
    stream: TcpStream,
    peer: std::net::SocketAddr,
    app: Router,
    limits: ConnectionLimits,
    mut closed: watch::Receiver<bool>,
) {
    let activity = Arc::new(Activity::new());
    let io = TokioIo::new(Guarded::new(stream, activity.clone()));
    let conn = hyper::server::conn::http1::Builder::new()
        .timer(TokioTimer::new())
        .header_read_timeout(limits.header_timeout)
        .keep_alive(true)
        .serve_connection(io, TowerToHyperService::new(with_peer(app, peer)));
    tokio::pin!(conn);
    let mut shutting_down = false;
    loop {
        tokio::select! {
            result = conn.as_mut() => {
                if let Err(e) = result {
                    tracing::debug!(error = %e, "connection ended");
                }
                return;
            }
            () = activity.idle_for(limits.idle_timeout) => {
                tracing::debug!("closing a connection idle for {:?}", limits.idle_timeout);
                return;
            }
            changed = closed.changed(), if !shutting_down => {
                shutting_down = true;
                if changed.is_ok() {
                    conn.as_mut().graceful_shutdown();
                }
            }
        }
    }
}

/// The application with the connection's peer address in each request.
fn with_peer(
    app: Router,
    peer: std::net::SocketAddr,
) -> impl tower::Service<
    hyper::Request<hyper::body::Incoming>,
    Response = axum::response::Response,
    Error = std::convert::Infallible,
    Future = impl Send,
> + Clone {
    use tower::ServiceExt;
    app.map_request(move |mut req: hyper::Request<hyper::body::Incoming>| {
        req.extensions_mut()
            .insert(axum::extract::ConnectInfo(peer));
        req
    })
}

/// Answer a connection beyond the cap with a 503 problem and close it.
async fn refuse(mut stream: TcpStream) {
    let body = problem_body(
        503,
        "Service unavailable",
        "the server has as many connections open as it serves; retry later",
    );
    let head = format!(
        "HTTP/1.1 503 Service Unavailable\r\ncontent-type: {}\r\ncontent-length: {}\r\nretry-after: 1\r\nconnection: close\r\n\r\n",
        http::problem::PROBLEM_JSON,
        body.len()
    );
    let write = async {
        stream.write_all(head.as_bytes()).await?;
        stream.write_all(body.as_bytes()).await?;
        stream.shutdown().await
    };
    let _ = tokio::time::timeout(Duration::from_secs(1), write).await;
}

fn problem_body(status: u16, title: &str, detail: &str) -> String {
    serde_json::json!({"type": "about:blank", "title": title, "status": status, "detail": detail})
        .to_string()
}

/// When a connection last read or wrote a byte.
struct Activity {
    start: Instant,
    /// Milliseconds from `start`.
    last: AtomicU64,
}

impl Activity {
    fn new() -> Self {
        Activity {
            start: Instant::now(),
            last: AtomicU64::new(0),
        }
    }

    fn now(&self) -> u64 {
        u64::try_from(self.start.elapsed().as_millis()).unwrap_or(u64::MAX)
    }

    fn touch(&self) {
        self.last.store(self.now(), Ordering::Relaxed);
    }

    /// Completes once nothing has been read or written for `limit`.
    async fn idle_for(&self, limit: Duration) {
        let limit_ms = u64::try_from(limit.as_millis()).unwrap_or(u64::MAX);
        loop {
            let idle = self.now().saturating_sub(self.last.load(Ordering::Relaxed));
            if idle >= limit_ms {
                return;
            }
            tokio::time::sleep(Duration::from_millis(limit_ms - idle)).await;
        }
    }
}

/// A connection's stream that records activity and replaces hyper's
/// empty automatic error answers with problem details.
struct Guarded {
    inner: TcpStream,
    activity: Arc<Activity>,
    /// A replacement being written: its bytes, how many are written, and
    /// how many bytes of hyper's answer it stands for.
    replacing: Option<(Vec<u8>, usize, usize)>,
}

impl Guarded {
    fn new(inner: TcpStream, activity: Arc<Activity>) -> Self {
        activity.touch();
        Guarded {
            inner,
            activity,
            replacing: None,
        }
    }
}

/// hyper's answer to a request it could not parse is a bare head with no
/// body (`HTTP/1.1 431 …`, `content-length: 0`) written alone: the same
/// status as problem details, or `None` for any other write.
fn rewrite_parse_error(buf: &[u8]) -> Option<Vec<u8>> {
    let (status, title, detail) = if buf.starts_with(b"HTTP/1.1 400 ") {
        (
            400,
            "Bad request",
            "the request could not be parsed as HTTP/1.1",
        )
    } else if buf.starts_with(b"HTTP/1.1 414 ") {
        (
            414,
            "URI too long",
            "the request's URI is longer than the server accepts",
        )
    } else if buf.starts_with(b"HTTP/1.1 431 ") {
        (
            431,
            "Request header fields too large",
            "the request's headers are larger than the server accepts",
        )
    } else {
        return None;
    };
    let head_end = buf.windows(4).position(|w| w == b"\r\n\r\n")? + 4;
    let head = std::str::from_utf8(buf.get(..head_end)?).ok()?;
    if head_end != buf.len()
        || !head
            .to_ascii_lowercase()
            .contains("\r\ncontent-length: 0\r\n")
    {
        return None;
    }
    let reason = head.lines().next()?.get(9..)?.to_string();
    let body = problem_body(status, title, detail);
    Some(
        format!(
            "HTTP/1.1 {reason}\r\ncontent-type: {}\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
            http::problem::PROBLEM_JSON,
            body.len()
        )
        .into_bytes(),
    )
}

impl AsyncRead for Guarded {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        let before = buf.filled().len();
        let r = ready!(Pin::new(&mut this.inner).poll_read(cx, buf));
        if buf.filled().len() > before {
            this.activity.touch();
        }
        Poll::Ready(r)
    }
}

impl AsyncWrite for Guarded {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        if this.replacing.is_none() {
            if let Some(bytes) = rewrite_parse_error(buf) {
                this.replacing = Some((bytes, 0, buf.len()));
            }
        }
        if let Some((bytes, written, stands_for)) = &mut this.replacing {
            while *written < bytes.len() {
                let n = ready!(Pin::new(&mut this.inner).poll_write(cx, &bytes[*written..]))?;
                if n == 0 {
                    return Poll::Ready(Err(io::ErrorKind::WriteZero.into()));
                }
                *written += n;
                this.activity.touch();
            }
            let n = *stands_for;
            this.replacing = None;
            return Poll::Ready(Ok(n));
        }
        let n = ready!(Pin::new(&mut this.inner).poll_write(cx, buf))?;
        if n > 0 {
            this.activity.touch();
        }
        Poll::Ready(Ok(n))
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.get_mut().inner).poll_shutdown(cx)
    }
}

async fn shutdown() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = ctrl_c => {},
        _ = term => {},
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_hypers_bare_parse_error_answers_are_rewritten() {
        let bare = b"HTTP/1.1 431 Request Header Fields Too Large\r\ncontent-length: 0\r\ndate: Mon, 07 Dec 2026 10:00:00 GMT\r\n\r\n";
        let out = String::from_utf8(rewrite_parse_error(bare).unwrap()).unwrap();
        assert!(out.starts_with("HTTP/1.1 431 Request Header Fields Too Large\r\n"));
        assert!(out.contains("content-type: application/problem+json\r\n"));
        let body = out.split("\r\n\r\n").nth(1).unwrap();
        let v: serde_json::Value = serde_json::from_str(body).unwrap();
        assert_eq!(v["status"], 431);
        assert!(out.contains(&format!("content-length: {}\r\n", body.len())));
        assert!(
            rewrite_parse_error(b"HTTP/1.1 414 URI Too Long\r\ncontent-length: 0\r\n\r\n")
                .is_some()
        );
        // Answers of the application carry bodies: left alone.
        assert!(rewrite_parse_error(
            b"HTTP/1.1 400 Bad Request\r\ncontent-length: 12\r\n\r\n{\"a\":\"bcd\"}\n"
        )
        .is_none());
        assert!(rewrite_parse_error(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n").is_none());
        assert!(
            rewrite_parse_error(b"HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\n\r\nx")
                .is_none()
        );
    }
}
