//! Live events: every creation or change of an event (the store's
//! `event_changes`) sent to whoever follows them, as they happen.
//!
//! One task per server ([`LiveEvents`]) reads new changes twice a second
//! (they may come from this process or from a `frontline watch` or
//! `frontline ingest` beside it, on the same database) and broadcasts them.
//! Each follower ([`follow`]) first catches up from the database after the
//! last change it saw, when it says one, then takes the broadcasts: a
//! changed event that matches its filter is sent whole; one that does not
//! (any more) is sent as removed: rejected by a reviewer, no longer
//! reported by any article, or changed out of the filter. A follower drops
//! it if it shows it, and ignores the id otherwise.

use crate::error::Result;
use frontline_store::{EventFilter, Store};
use std::sync::{Arc, OnceLock};
use std::time::Duration;
use tokio::sync::{broadcast, mpsc};

/// How often the database is asked for new changes.
const POLL: Duration = Duration::from_millis(500);
/// Changes read at once.
const BATCH: i64 = 500;
/// Changes kept for followers that reconnect (older ones are forgotten,
/// once an hour): days of ingest, far more than a reconnection needs.
const KEEP: i64 = 100_000;
const PRUNE_EVERY: Duration = Duration::from_secs(3600);

/// One change: its sequence number and the event.
pub type Change = (i64, i64);

/// What is broadcast: new changes, and the Features of their events
/// (read once for every follower without a filter).
#[derive(Debug, Default)]
pub struct Batch {
    changes: Vec<Change>,
    features: Vec<(i64, String)>,
}

/// The changes broadcast to followers.
#[derive(Clone)]
pub struct LiveEvents {
    store: Store,
    tx: broadcast::Sender<Arc<Batch>>,
    started: Arc<OnceLock<()>>,
}

/// What a follower receives.
#[derive(Debug, Clone, PartialEq)]
pub enum Message {
    /// Following from this sequence number on.
    Ready { last_event_id: i64 },
    /// A new or changed event: its sequence number and GeoJSON Feature.
    Event { seq: i64, feature: String },
    /// An event that changed and is not (or no longer) among those
    /// followed: rejected, deleted, or outside the filter now.
    Removed { seq: i64, id: i64 },
}

impl LiveEvents {
    pub fn new(store: Store) -> Self {
        let (tx, _) = broadcast::channel(256);
        LiveEvents {
            store,
            tx,
            started: Arc::new(OnceLock::new()),
        }
    }

    /// Receive the changes from now on (the reading task starts with the
    /// first follower).
    fn subscribe(&self) -> broadcast::Receiver<Arc<Batch>> {
        let rx = self.tx.subscribe();
        self.started.get_or_init(|| {
            let hub = self.clone();
            tokio::spawn(async move { hub.run().await });
        });
        rx
    }

    async fn run(self) {
        let mut last = self.store.last_change().await.unwrap_or(0);
        let mut tick = tokio::time::interval(POLL);
        let mut pruned = tokio::time::Instant::now();
        loop {
            tick.tick().await;
            if pruned.elapsed() >= PRUNE_EVERY {
                pruned = tokio::time::Instant::now();
                if let Err(e) = self.store.prune_changes(KEEP).await {
                    tracing::warn!("forgetting old event changes: {e}");
                }
            }
            if self.tx.receiver_count() == 0 {
                // Nobody follows: keep up without reading the changes.
                if let Ok(seq) = self.store.last_change().await {
                    last = seq;
                }
                continue;
            }
            match self.store.changes_after(last, BATCH).await {
                Ok(changes) if !changes.is_empty() => {
                    last = changes.last().map_or(last, |c| c.0);
                    let ids: Vec<i64> = latest(&changes).iter().map(|c| c.1).collect();
                    match self.store.features_of(&ids, &EventFilter::default()).await {
                        Ok(features) => {
                            let _ = self.tx.send(Arc::new(Batch { changes, features }));
                        }
                        Err(e) => tracing::warn!("reading changed events: {e}"),
                    }
                }
                Ok(_) => {}
                Err(e) => tracing::warn!("reading event changes: {e}"),
            }
        }
    }
}

/// Follow the events matching `filter`: after `last_event_id` when given
/// (a reconnection: nothing in between is lost), else from now. Messages
/// arrive on the returned channel until the receiver is dropped.
pub fn follow(
    hub: &LiveEvents,
    filter: EventFilter,
    last_event_id: Option<i64>,
) -> mpsc::Receiver<Message> {
    let (tx, rx) = mpsc::channel(64);
    let sub = hub.subscribe();
    let store = hub.store.clone();
    tokio::spawn(async move {
        if let Err(e) = forward(&store, &filter, last_event_id, sub, &tx).await {
            tracing::warn!("live events: {e}");
        }
    });
    rx
}

async fn forward(
    store: &Store,
    filter: &EventFilter,
    last_event_id: Option<i64>,
    mut sub: broadcast::Receiver<Arc<Batch>>,
    tx: &mpsc::Sender<Message>,
) -> Result<()> {
    let mut last = match last_event_id {
        Some(id) => id,
        None => store.last_change().await?,
    };
    if tx
        .send(Message::Ready {
            last_event_id: last,
        })
        .await
        .is_err()
    {
        return Ok(());
    }
    // Catch up from the database (after a reconnection).
    if !catch_up(store, filter, &mut last, tx).await? {
        return Ok(());
    }
    loop {
        match sub.recv().await {
            Ok(batch) => {
                let fresh: Vec<Change> = batch
                    .changes
                    .iter()
                    .copied()
                    .filter(|c| c.0 > last)
                    .collect();
                // Without a filter, the Features read once for all will do.
                let shared = unfiltered(filter).then_some(batch.features.as_slice());
                if !send(store, filter, &fresh, shared, &mut last, tx).await? {
                    return Ok(());
                }
            }
            // Fell behind the broadcast: read what was missed.
            Err(broadcast::error::RecvError::Lagged(_)) => {
                if !catch_up(store, filter, &mut last, tx).await? {
                    return Ok(());
                }
            }
            Err(broadcast::error::RecvError::Closed) => return Ok(()),
        }
    }
}

/// Send every change after `last` from the database. False when the
/// follower has gone.
async fn catch_up(
    store: &Store,
    filter: &EventFilter,
    last: &mut i64,
    tx: &mpsc::Sender<Message>,
) -> Result<bool> {
    loop {
        let changes = store.changes_after(*last, BATCH).await?;
        if changes.is_empty() {
            return Ok(true);
        }
        if !send(store, filter, &changes, None, last, tx).await? {
            return Ok(false);
        }
    }
}

/// Whether a follower's filter keeps every event.
fn unfiltered(f: &EventFilter) -> bool {
    *f == EventFilter {
        limit: f.limit,
        ..EventFilter::default()
    }
}

/// Each changed event once, at its latest change, in order.
fn latest(changes: &[Change]) -> Vec<Change> {
    let mut out: Vec<Change> = Vec::new();
    for &(seq, id) in changes {
        out.retain(|c| c.1 != id);
        out.push((seq, id));
    }
    out
}

/// Send the events of some changes, each once, at its latest change: the
/// matching ones whole (their Features read for this filter, unless
/// `shared` has them), the others as removed; `last` moves past them all.
/// False when the follower has gone.
async fn send(
    store: &Store,
    filter: &EventFilter,
    changes: &[Change],
    shared: Option<&[(i64, String)]>,
    last: &mut i64,
    tx: &mpsc::Sender<Message>,
) -> Result<bool> {
    let Some(&(end, _)) = changes.last() else {
        return Ok(true);
    };
    let latest = latest(changes);
    let ids: Vec<i64> = latest.iter().map(|c| c.1).collect();
    let read;
    let features = match shared {
        Some(f) => f,
        None => {
            read = store.features_of(&ids, filter).await?;
            read.as_slice()
        }
    };
    for (seq, id) in latest {
        let message = match features.iter().find(|f| f.0 == id) {
            Some((_, feature)) => Message::Event {
                seq,
                feature: feature.clone(),
            },
            None => Message::Removed { seq, id },
        };
        if tx.send(message).await.is_err() {
            return Ok(false);
        }
    }
    *last = end;
    Ok(true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_event_is_sent_once_at_its_latest_change() {
        assert_eq!(latest(&[(1, 10), (2, 11), (3, 10)]), [(2, 11), (3, 10)]);
    }

    #[test]
    fn only_a_filter_without_conditions_shares_the_features() {
        assert!(unfiltered(&EventFilter {
            limit: 1,
            ..EventFilter::default()
        }));
        let typed = EventFilter {
            types: vec!["strike".into()],
            ..EventFilter::default()
        };
        assert!(!unfiltered(&typed));
    }
}
