//! The scheduler: the work that time alone decides, done once whatever the number of
//! server processes. Every second it announces what became due (a scheduled news item
//! whose time came, an alert that started or expired), hands petitions whose period ended
//! without their number to the appeals inbox, once a minute forgets old live events, and
//! once an hour deletes expired sessions.
//!
//! On PostgreSQL only the process holding a session advisory lock ([`LOCK_KEY`]) on a
//! connection of its own does it. When that process dies its connection closes, the lock
//! is released, and another process takes it within a second. How far it had gone is kept
//! in `scheduler_marks`, so the next one goes on from there and misses nothing due in
//! between. On SQLite (one process) that process does it.

use std::time::Duration;

use sqlx::Connection;
use sqlx::postgres::PgConnection;

use crate::db::{Backend, Db};
use crate::domain::live::{KEEP_EVENTS, Live};
use crate::domain::{clock, petitions};

/// How often the scheduler runs.
pub const TICK: Duration = Duration::from_secs(1);
/// The advisory lock held by the process that runs the scheduler.
pub const LOCK_KEY: i64 = 0x0068_726f_6d61_6461; // "hromada"
/// The mark of announcing what became due.
const DUE_MARK: &str = "announce_due";
/// How often old live events are forgotten.
const PRUNE_EVERY: Duration = Duration::from_secs(60);
/// How often expired sessions are deleted.
const SESSIONS_EVERY: Duration = Duration::from_secs(3600);
/// A process that takes over announces at most this far back.
const CATCH_UP_MS: i64 = 3_600_000;

/// Whether this process runs the scheduler now (see the module's documentation).
struct Leadership {
    db: Db,
    /// On PostgreSQL: the connection that holds, or tries for, the lock.
    conn: Option<PgConnection>,
    leader: bool,
}

impl Leadership {
    /// Whether this process holds the scheduler now; tries to take it when nobody does.
    async fn hold(&mut self) -> bool {
        if self.db.backend() != Backend::Postgres {
            return true;
        }
        if self.conn.is_none() {
            self.leader = false;
            match PgConnection::connect(self.db.url()).await {
                Ok(c) => self.conn = Some(c),
                Err(error) => {
                    tracing::warn!(%error, "connecting for the scheduler's lock");
                    return false;
                }
            }
        }
        let Some(conn) = self.conn.as_mut() else {
            return false;
        };
        let held = if self.leader {
            // Still connected means still holding it.
            sqlx::query("SELECT 1")
                .execute(&mut *conn)
                .await
                .map(|_| true)
        } else {
            sqlx::query_scalar::<_, bool>("SELECT pg_try_advisory_lock($1)")
                .bind(LOCK_KEY)
                .fetch_one(&mut *conn)
                .await
        };
        match held {
            Ok(true) => {
                if !self.leader {
                    tracing::info!("this process runs the scheduler");
                }
                self.leader = true;
                true
            }
            Ok(false) => false,
            Err(error) => {
                if self.leader {
                    tracing::warn!(%error, "the scheduler's lock is lost");
                }
                self.conn = None;
                self.leader = false;
                false
            }
        }
    }
}

/// Starts the scheduler (on the current Tokio runtime).
pub fn spawn(db: Db, live: Live) {
    tokio::spawn(async move {
        let mut leadership = Leadership {
            db: db.clone(),
            conn: None,
            leader: false,
        };
        // Where announcing goes on from, once this process holds the scheduler.
        let mut since: Option<String> = None;
        // When this process last did the slower chores (never yet: at once when it leads).
        let mut pruned: Option<std::time::Instant> = None;
        let mut swept: Option<std::time::Instant> = None;
        let mut tick = tokio::time::interval(TICK);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            if !leadership.hold().await {
                since = None;
                continue;
            }
            let now_ms = clock::now_millis();
            let until = clock::rfc3339(now_ms);
            let from = match since.take() {
                Some(s) => s,
                None => start_from(&db, now_ms).await,
            };
            match live.announce_due(&db, &from, &until).await {
                Ok(()) => {
                    if let Err(e) = db.set_scheduler_mark(DUE_MARK, &until).await {
                        tracing::warn!(error = %e, "recording the scheduler's mark");
                    }
                    since = Some(until);
                }
                Err(e) => {
                    tracing::warn!(error = %e, "announcing what became due");
                    since = Some(from);
                }
            }
            if let Err(e) = petitions::hand_over_ended(&db, Some(&live), now_ms).await {
                tracing::warn!(error = %e, "handing over ended petitions");
            }
            if pruned.is_none_or(|t| t.elapsed() >= PRUNE_EVERY) {
                pruned = Some(std::time::Instant::now());
                let before = clock::rfc3339(now_ms - KEEP_EVENTS.as_millis() as i64);
                if let Err(e) = db.prune_live_events(&before).await {
                    tracing::warn!(error = %e, "forgetting old live events");
                }
            }
            if swept.is_none_or(|t| t.elapsed() >= SESSIONS_EVERY) {
                swept = Some(std::time::Instant::now());
                if let Err(e) = db.delete_expired_sessions(&clock::rfc3339(now_ms)).await {
                    tracing::warn!(error = %e, "deleting expired sessions");
                }
            }
        }
    });
}

/// Where a process that has just taken the scheduler starts announcing: from the mark of
/// the one before (at most an hour back), or from now on a first start.
async fn start_from(db: &Db, now_ms: i64) -> String {
    let floor = clock::rfc3339(now_ms - CATCH_UP_MS);
    match db.scheduler_mark(DUE_MARK).await {
        Ok(Some(mark)) if mark > floor => mark,
        Ok(Some(_)) => floor,
        Ok(None) => clock::rfc3339(now_ms),
        Err(e) => {
            tracing::warn!(error = %e, "reading the scheduler's mark");
            clock::rfc3339(now_ms)
        }
    }
}
