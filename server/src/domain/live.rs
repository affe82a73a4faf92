//! Live events: a broadcast channel per process that the open streams read, fed with what
//! handlers publish when news, an alert, a notification or a staff queue changes, and by
//! the scheduler (`domain::scheduler`) with what time alone changes.
//!
//! Once [`Live::spawn_shared`] has run, what is published goes through the database: each
//! event is written down under the next number (`live_events`), and every process reads
//! the events after the last it has seen and sends them to its own streams. On PostgreSQL
//! a process is woken by `NOTIFY` when another has written one, and reads every second
//! anyway, so a process whose listening connection dropped misses nothing; on SQLite (one
//! process) the writer wakes its own reader. A stream that reconnects gives the number of
//! the last event it got (`Last-Event-ID`) and is sent what it missed.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use axum::body::Bytes;

use hromada_api::news::LiveEvent;
use hromada_api::notifications::Notification;
use tokio::sync::{Notify, broadcast, mpsc};

use crate::db::{Backend, Db, LiveRow};
use crate::domain::{clock, news};

/// How many events a slow listener may fall behind before it misses some.
pub const CAPACITY: usize = 1024;
/// How often a process reads the events written down, whether woken or not.
pub const POLL: Duration = Duration::from_secs(1);
/// How long events are kept for streams that reconnect.
pub const KEEP_EVENTS: Duration = Duration::from_secs(3600);
/// Most events read at once.
const READ_BATCH: i64 = 500;

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

impl Audience {
    /// Its kind and target, as written down.
    fn parts(&self) -> (&'static str, &str) {
        match self {
            Self::Hromada(k) => ("hromada", k),
            Self::User(u) => ("user", u),
            Self::Staff(k) => ("staff", k),
        }
    }
}

/// An event for its audience, or (with `event: None`) the signal that the server is
/// shutting down and every stream should end.
#[derive(Debug, Clone)]
pub struct Envelope {
    /// Its number in `live_events`; 0 when it was not written down.
    pub id: i64,
    pub audience: Audience,
    pub event: Option<LiveEvent>,
}

impl Envelope {
    /// The event a row holds; `None` for a row this version cannot read.
    pub fn from_row(row: &LiveRow) -> Option<Self> {
        let audience = match row.audience.as_str() {
            "hromada" => Audience::Hromada(row.target.clone()),
            "user" => Audience::User(row.target.clone()),
            "staff" => Audience::Staff(row.target.clone()),
            _ => return None,
        };
        Some(Self {
            id: row.id,
            audience,
            event: Some(serde_json::from_str(&row.payload).ok()?),
        })
    }

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
    /// Where published events go to be written down, once [`Live::spawn_shared`] ran.
    relay: Arc<OnceLock<mpsc::UnboundedSender<(Audience, LiveEvent)>>>,
    /// Set by [`Live::close`]: streams opened from then on end at once.
    closed: Arc<std::sync::atomic::AtomicBool>,
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
            relay: Arc::default(),
            closed: Arc::default(),
        }
    }

    /// Sends an event to every listener of `katottg` (nobody listening is fine).
    pub fn publish(&self, katottg: &str, event: LiveEvent) {
        self.send(Audience::Hromada(katottg.to_owned()), event);
    }

    /// Sends a notification to the open streams of one person (nobody listening is fine).
    pub fn notify(&self, user_id: &str, notification: Notification) {
        self.send(
            Audience::User(user_id.to_owned()),
            LiveEvent::Notification(notification),
        );
    }

    /// Sends an event to the streams of `katottg`'s staff only (private matters such as
    /// consultations; the public feed cache is left alone).
    pub fn publish_staff(&self, katottg: &str, event: LiveEvent) {
        self.send(Audience::Staff(katottg.to_owned()), event);
    }

    /// Sends an event through the database when it is shared, else to this process's
    /// streams.
    fn send(&self, audience: Audience, event: LiveEvent) {
        let pending = match self.relay.get() {
            Some(relay) => {
                // This process's feed forgets a hromada's pages at once; every process's
                // forgets them again when the event reaches it.
                if matches!(audience, Audience::Hromada(_)) {
                    self.feed_cache.invalidate();
                }
                match relay.send((audience, event)) {
                    Ok(()) => return,
                    Err(mpsc::error::SendError(pending)) => pending,
                }
            }
            None => (audience, event),
        };
        self.deliver(Envelope {
            id: 0,
            audience: pending.0,
            event: Some(pending.1),
        });
    }

    /// Hands an event to this process's streams.
    fn deliver(&self, envelope: Envelope) {
        if matches!(envelope.audience, Audience::Hromada(_)) {
            self.feed_cache.invalidate();
        }
        let _ = self.tx.send(envelope);
    }

    /// Ends every open stream (at shutdown, so that graceful shutdown does not wait for
    /// clients that never hang up).
    pub fn close(&self) {
        self.closed.store(true, Ordering::SeqCst);
        let _ = self.tx.send(Envelope {
            id: 0,
            audience: Audience::Hromada(String::new()),
            event: None,
        });
    }

    /// Shares events with every process on `db` (see the module's documentation): starts
    /// the task that writes published events down and the one that reads what any process
    /// wrote. Once per process; later calls do nothing.
    pub fn spawn_shared(&self, db: Db) {
        let (relay_tx, mut relay_rx) = mpsc::unbounded_channel::<(Audience, LiveEvent)>();
        if self.relay.set(relay_tx).is_err() {
            return;
        }
        let wake = Arc::new(Notify::new());
        {
            let (db, wake, live) = (db.clone(), wake.clone(), self.clone());
            tokio::spawn(async move {
                while let Some((audience, event)) = relay_rx.recv().await {
                    let (kind, target) = audience.parts();
                    let written = match serde_json::to_string(&event) {
                        Ok(payload) => db
                            .insert_live_event(kind, target, &payload, &clock::now_rfc3339())
                            .await
                            .map_err(|e| e.to_string()),
                        Err(e) => Err(e.to_string()),
                    };
                    match written {
                        Ok(_) => wake.notify_one(),
                        Err(error) => {
                            // This process's streams still get it; the others' cannot.
                            tracing::warn!(%error, "writing a live event down");
                            live.deliver(Envelope {
                                id: 0,
                                audience,
                                event: Some(event),
                            });
                        }
                    }
                }
            });
        }
        let live = self.clone();
        tokio::spawn(async move {
            let mut last = loop {
                match db.last_live_event().await {
                    Ok(n) => break n,
                    Err(error) => {
                        tracing::warn!(%error, "reading the last live event");
                        tokio::time::sleep(POLL).await;
                    }
                }
            };
            let mut listener: Option<sqlx::postgres::PgListener> = None;
            loop {
                if db.backend() == Backend::Postgres && listener.is_none() {
                    listener = listen(&db).await;
                }
                tokio::select! {
                    () = wake.notified() => {}
                    woken = next_notification(&mut listener) => {
                        if let Err(error) = woken {
                            tracing::warn!(%error, "listening for live events; reading every second meanwhile");
                            listener = None;
                        }
                    }
                    () = tokio::time::sleep(POLL) => {}
                }
                loop {
                    match db.live_events_after(last, READ_BATCH).await {
                        Ok(rows) => {
                            let more = rows.len() as i64 == READ_BATCH;
                            for row in &rows {
                                last = row.id;
                                if let Some(envelope) = Envelope::from_row(row) {
                                    live.deliver(envelope);
                                }
                            }
                            if !more {
                                break;
                            }
                        }
                        Err(error) => {
                            tracing::warn!(%error, "reading live events");
                            break;
                        }
                    }
                }
            }
        });
    }

    /// A new listener.
    pub fn subscribe(&self) -> broadcast::Receiver<Envelope> {
        self.tx.subscribe()
    }

    /// Whether [`Live::close`] was called (ask after [`Live::subscribe`]: a listener made
    /// before the close hears it, and one made after sees this).
    pub fn is_closed(&self) -> bool {
        self.closed.load(Ordering::SeqCst)
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
}

/// Most events a reconnecting stream is sent.
const MISSED_MAX: i64 = 1_000;

/// The events written after number `after` (what a stream that reconnects with
/// `Last-Event-ID: after` missed), oldest first; none when they cannot be read.
pub async fn missed(db: &Db, after: i64) -> Vec<Envelope> {
    match db.live_events_after(after, MISSED_MAX).await {
        Ok(rows) => rows.iter().filter_map(Envelope::from_row).collect(),
        Err(error) => {
            tracing::warn!(%error, "reading missed live events");
            vec![]
        }
    }
}

/// A listener on PostgreSQL's channel of live events; `None` when it cannot connect.
async fn listen(db: &Db) -> Option<sqlx::postgres::PgListener> {
    let connected = async {
        let mut l = sqlx::postgres::PgListener::connect(db.url()).await?;
        l.listen(crate::db::LIVE_CHANNEL).await?;
        Ok::<_, sqlx::Error>(l)
    };
    match connected.await {
        Ok(l) => Some(l),
        Err(error) => {
            tracing::warn!(%error, "listening for live events; reading every second meanwhile");
            None
        }
    }
}

/// The next notification (its content does not matter: the rows are read); never, without
/// a listener. sqlx reconnects a dropped listener by itself on the next call.
async fn next_notification(
    listener: &mut Option<sqlx::postgres::PgListener>,
) -> Result<(), sqlx::Error> {
    match listener {
        Some(l) => l.recv().await.map(|_| ()),
        None => std::future::pending().await,
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
