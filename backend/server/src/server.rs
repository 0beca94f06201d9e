//! The HTTP server: the app (API and web routes, one fallback, request
//! tracing), logging set-up, and graceful shutdown.

use crate::api::{self, AppState};
use crate::config::Config;
use crate::error::{Error, Result};
use crate::ingest::Ingester;
use crate::web;
use axum::Router;
use frontline_store::Store;
use std::path::Path;
use tower_http::trace::TraceLayer;

/// The whole application's router.
pub fn app(state: AppState) -> Router {
    let routes = Router::new()
        .merge(api::router(&state.config))
        .merge(web::router(&state.config))
        .fallback(api::not_found);
    web::secure(routes, &state.config)
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}

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

/// Open the database and the extractor, then serve until Ctrl-C or SIGTERM.
pub async fn serve(config: Config, db: &Path) -> Result<()> {
    let store = Store::open(db).await?;
    let ingester = Ingester::new(store.clone(), config.extractor()?);
    serve_with(config, ingester).await?;
    store.close().await;
    Ok(())
}

pub async fn serve_with(config: Config, ingester: Ingester) -> Result<()> {
    let addr = config.addr;
    tracing::info!(%config, "configuration");
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|e| Error::Internal(format!("cannot listen on {addr}: {e}")))?;
    let local = listener
        .local_addr()
        .map_err(|e| Error::Internal(e.to_string()))?;
    tracing::info!("listening on http://{local}");
    eprintln!("frontline: listening on http://{local}");
    axum::serve(listener, app(AppState::new(ingester, config)))
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
