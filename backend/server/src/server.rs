//! Running the HTTP server: logging set-up, listening, and graceful
//! shutdown. What it serves is [`crate::http::router`].

use crate::error::{Error, Result};
use crate::http::{self, AppState};
use tokio::sync::watch;

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

/// Serve the application on the configured address until Ctrl-C or
/// SIGTERM.
pub async fn serve(state: AppState) -> Result<()> {
    serve_until(state, stop_signal()).await
}

/// Serve the application until `stop` turns true.
pub async fn serve_until(state: AppState, mut stop: watch::Receiver<bool>) -> Result<()> {
    let addr = state.settings.addr;
    tracing::info!(config = %state.settings, "configuration");
    match &state.settings.assets {
        Some(dir) => tracing::info!("front end served from {}", dir.display()),
        None => tracing::info!(
            "front end embedded: {} files, {} bytes, version {}",
            crate::frontend::FILES.len(),
            crate::frontend::TOTAL_BYTES,
            crate::frontend::VERSION
        ),
    }
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| Error::Internal(format!("cannot listen on {addr}: {e}")))?;
    let local = listener
        .local_addr()
        .map_err(|e| Error::Internal(e.to_string()))?;
    tracing::info!("listening on http://{local}");
    eprintln!("frontline: listening on http://{local}");
    axum::serve(listener, http::router(state))
        .with_graceful_shutdown(async move {
            let _ = stop.wait_for(|s| *s).await;
        })
        .await
        .map_err(|e| Error::Internal(format!("server: {e}")))
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
    tracing::info!("shutting down");
}
