//! Running the HTTP server: logging set-up, listening, and graceful
//! shutdown. What it serves is [`crate::http::router`].

use crate::error::{Error, Result};
use crate::http::{self, AppState};

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

/// Serve the application on the configured address until Ctrl-C or
/// SIGTERM.
pub async fn serve(state: AppState) -> Result<()> {
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
    // Once, whatever RUST_LOG says: the address to open.
    eprintln!("frontline: listening on http://{local}");
    axum::serve(listener, http::router(state))
        .with_graceful_shutdown(shutdown())
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
