//! Live events: a broadcast channel per process that handlers publish to when news or an
//! alert changes, and a ticker that announces what time alone changes (a scheduled item
//! whose time came, an alert that started or expired) and does what time alone decides
//! (a petition whose period ended without its number is handed to the appeals inbox).

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::Bytes;

use hromada_api::news::LiveEvent;
use hromada_api::notifications::Notification;
use tokio::sync::broadcast;

use crate::db::Db;
use crate::domain::{clock, news, petitions};

/// How many events a slow listener may fall behind before it misses some.
pub const CAPACITY: usize = 1024;
/// How often the ticker looks for scheduled changes.
pub const TICK: Duration = Duration::from_secs(1);

/// Who an event is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Audience {
    /// Every stream of this hromada.
    Hromada(String),
    /// The streams of this signed-in person, whatever their hromada.
    User(String),
    /// The streams of this hromada read by its staff (or an administrator).
    Staff(String),
}

/// An event for its audience, or (with `event: None`) the signal that the server is
/// shutting down and every stream should end.
#[derive(Debug, Clone)]
pub struct Envelope {
    pub audience: Audience,
    pub event: Option<LiveEvent>,
}

impl Envelope {
    /// Whether a stream of `katottg`, read by `user` (if signed in; `staff` when they
    /// may act for `katottg`), carries this event.
    pub fn reaches(&self, katottg: &str, user: Option<&str>, staff: bool) -> bool {
        match &self.audience {
            Audience::Hromada(k) => k == katottg,
            Audience::User(u) => user == Some(u.as_str()),
            Audience::Staff(k) => staff && k == katottg,
        }
    }
}

/// The process's event channel.
#[derive(Debug, Clone)]
pub struct Live {
    tx: broadcast::Sender<Envelope>,
    /// Public pages of news, kept briefly; emptied by every event.
    pub feed_cache: Arc<FeedCache>,
}

impl Default for Live {
    fn default() -> Self {
        Self::new()
    }
}

impl Live {
    pub fn new() -> Self {
        let (tx, _) = broadcast::channel(CAPACITY);
        Self {
            tx,
            feed_cache: Arc::new(FeedCache::default()),
        }
    }

    /// Sends an event to every listener of `katottg` (nobody listening is fine).
    pub fn publish(&self, katottg: &str, event: LiveEvent) {
        self.feed_cache.invalidate();
        let _ = self.tx.send(Envelope {
            audience: Audience::Hromada(katottg.to_owned()),
            event: Some(event),
        });
    }

    /// Sends a notification to the open streams of one person (nobody listening is fine).
    pub fn notify(&self, user_id: &str, notification: Notification) {
        let _ = self.tx.send(Envelope {
            audience: Audience::User(user_id.to_owned()),
            event: Some(LiveEvent::Notification(notification)),
        });
    }

    /// Sends an event to the streams of `katottg`'s staff only (private matters such as
    /// consultations; the public feed cache is left alone).
    pub fn publish_staff(&self, katottg: &str, event: LiveEvent) {
        let _ = self.tx.send(Envelope {
            audience: Audience::Staff(katottg.to_owned()),
            event: Some(event),
        });
    }

    /// Ends every open stream (at shutdown, so that graceful shutdown does not wait for
    /// clients that never hang up).
    pub fn close(&self) {
        let _ = self.tx.send(Envelope {
            audience: Audience::Hromada(String::new()),
            event: None,
        });
    }

    /// A new listener.
    pub fn subscribe(&self) -> broadcast::Receiver<Envelope> {
        self.tx.subscribe()
    }

    /// Announces what became due in `(since, until]`.
    pub async fn announce_due(&self, db: &Db, since: &str, until: &str) -> Result<(), sqlx::Error> {
        for (k, summary) in news::due(db, since, until).await? {
            self.publish(&k, LiveEvent::News(summary));
        }
        for a in db.alerts_started(since, until).await? {
            self.publish(&a.katottg.clone(), LiveEvent::Alert(a));
        }
        for (k, id) in db.alerts_expired(since, until).await? {
            self.publish(&k, LiveEvent::AlertEnded { id });
        }
        Ok(())
    }

    /// Starts the ticker (on the current Tokio runtime).
    pub fn spawn_ticker(&self, db: Db) {
        let live = self.clone();
        tokio::spawn(async move {
            let mut since = clock::now_rfc3339();
            let mut tick = tokio::time::interval(TICK);
            tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            loop {
                tick.tick().await;
                let now_ms = clock::now_millis();
                let until = clock::rfc3339(now_ms);
                match live.announce_due(&db, &since, &until).await {
                    Ok(()) => since = until,
                    Err(e) => tracing::warn!(error = %e, "live ticker"),
                }
                if let Err(e) = petitions::hand_over_ended(&db, Some(&live), now_ms).await {
                    tracing::warn!(error = %e, "handing over ended petitions");
                }
            }
        });
    }
}

/// How long a public page of news is served from memory at most. Changes made in this
/// process empty the cache at once; this bounds how stale a page can be when another
/// process made the change (or a scheduled item came due between ticks).
pub const FEED_CACHE_TTL: Duration = Duration::from_secs(1);
/// Most pages kept; the cache is emptied when it would grow beyond.
pub const FEED_CACHE_MAX: usize = 2_000;

/// Public feed pages as serialised JSON, keyed by their parameters: most readers ask
/// for the same first page, and it changes only when news is published.
#[derive(Debug, Default)]
pub struct FeedCache {
    generation: AtomicU64,
    pages: Mutex<HashMap<String, (Instant, u64, Bytes)>>,
}

impl FeedCache {
    /// A page still fresh, if there is one.
    pub fn get(&self, key: &str) -> Option<Bytes> {
        let generation = self.generation.load(Ordering::Acquire);
        let pages = self.pages.lock().ok()?;
        let (at, g, body) = pages.get(key)?;
        (*g == generation && at.elapsed() < FEED_CACHE_TTL).then(|| body.clone())
    }

    /// Keeps a page made while the cache was at `generation`.
    pub fn put(&self, key: String, generation: u64, body: Bytes) {
        if let Ok(mut pages) = self.pages.lock() {
            if pages.len() >= FEED_CACHE_MAX {
                pages.clear();
            }
            pages.insert(key, (Instant::now(), generation, body));
        }
    }

    /// The current generation (read before making a page).
    pub fn generation(&self) -> u64 {
        self.generation.load(Ordering::Acquire)
    }

    /// Makes every kept page stale.
    pub fn invalidate(&self) {
        self.generation.fetch_add(1, Ordering::AcqRel);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn feed_cache_forgets_on_events() {
        let live = Live::new();
        let c = &live.feed_cache;
        let g = c.generation();
        c.put("k".into(), g, Bytes::from_static(b"page"));
        assert_eq!(c.get("k").as_deref(), Some(&b"page"[..]));
        live.publish("UA1", LiveEvent::NewsRemoved { id: "x".into() });
        assert!(c.get("k").is_none());
        // A notification is for one person's streams only and leaves the feed alone.
        let mut rx = live.subscribe();
        let g2 = c.generation();
        live.notify(
            "u1",
            Notification {
                id: "n".into(),
                kind: hromada_api::notifications::NotificationKind::AppealAssigned,
                at: "2026-01-01T00:00:00.000Z".into(),
                read: false,
                appeal: Some(hromada_api::notifications::AppealRef {
                    id: "a".into(),
                    number: "ЗВ-2026-000001".into(),
                    subject: "s".into(),
                }),
                petition: None,
                project: None,
                consultation: None,
            },
        );
        let e = rx.try_recv().unwrap();
        assert!(e.reaches("UA1", Some("u1"), false));
        assert!(!e.reaches("UA1", Some("u2"), true));
        assert!(!e.reaches("UA1", None, false));
        assert_eq!(c.generation(), g2);
        // A staff event reaches the staff of its hromada only.
        live.publish_staff(
            "UA1",
            LiveEvent::Consultation {
                id: "c".into(),
                status: hromada_api::services::ConsultationStatus::Waiting,
            },
        );
        let e = rx.try_recv().unwrap();
        assert!(e.reaches("UA1", Some("s"), true));
        assert!(!e.reaches("UA1", Some("s"), false));
        assert!(!e.reaches("UA2", Some("s"), true));
        assert_eq!(c.generation(), g2);
        // A page made before an event is never kept as fresh.
        c.put("k".into(), g, Bytes::from_static(b"old"));
        assert!(c.get("k").is_none());
    }
}
