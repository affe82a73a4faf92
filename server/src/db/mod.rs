//! The data layer: every SQL statement of the server lives under this module.
//!
//! One code path serves SQLite and PostgreSQL through sqlx's `Any` driver. The SQL is
//! portable: `$n` placeholders (SQLite accepts them), TEXT ids and times, BIGINT numbers
//! and 0/1 booleans; see `migrations/`.

mod alerts;
mod appeals;
mod budget;
mod delivery;
mod hromadas;
mod idempotency;
mod limits;
mod live;
mod media;
mod news;
mod notifications;
mod petitions;
mod polls;
mod services;
mod sessions;
mod throttle;
pub mod transfer;
mod users;

pub use alerts::{AlertKey, AlertWrite, severity_code};
pub use appeals::{
    AppealChange, AppealExpect, AppealFilter, AppealRow, CategoryRow, FileRow, FileWrite,
    NewAppealRow, RatingRow, StepRow, StepWrite,
};
pub use budget::{
    BallotRow, CycleRow, CycleWrite, MilestoneRow, ProjectFilter, ProjectImageRow, ProjectRow,
    ProjectWrite,
};
pub use delivery::{
    AppealDeliveryRow, DeliveryRow, DeliveryWrite, DeviceRow, DeviceWrite, FanOut, SettingRow,
    StaffRecipient, TokenWrite,
};
pub use hromadas::HromadaRow;
pub use idempotency::{Claim, StoredResponse};
pub use live::{CHANNEL as LIVE_CHANNEL, LiveRow};
pub use news::{NewsFilter, NewsRow, NewsWrite};
pub use notifications::{About, NotificationRow, NotificationWrite};
pub use petitions::{
    ListKey, ListOrder, NewPetitionRow, PetitionRow, PublishWrite, SignOutcome, SignerRow,
};
pub use polls::{
    AnswerRows, PollFilter, PollRow, PollWrite, RespondOutcome, ResponseWrite, TallyRows, TextRow,
};
pub use services::{
    AnswerRow, AnswerWrite, CentreRow, ConsultationRow, MessageRow, MessageWrite, QueueOrder,
    ServiceRow, ServiceWrite,
};
pub use users::{NewUser, UserRow};

use sqlx::any::{AnyPoolOptions, AnyRow};
use sqlx::{AnyConnection, AnyPool, Connection, Executor, Row};

/// Which database the server talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    /// The name `GET /health` reports.
    pub fn name(self) -> &'static str {
        match self {
            Self::Sqlite => "sqlite",
            Self::Postgres => "postgres",
        }
    }
}

/// The database: a connection pool and which backend it is.
#[derive(Debug, Clone)]
pub struct Db {
    pool: AnyPool,
    backend: Backend,
    /// On SQLite, the connection of this process's busiest write transactions; see
    /// [`Db::writer`].
    writer: std::sync::Arc<tokio::sync::Mutex<Option<AnyConnection>>>,
    url: std::sync::Arc<str>,
}

/// How long a request waits for a pooled connection (also while the pool tries to
/// reconnect to a database that refuses connections) before it gives up with 503.
pub const ACQUIRE_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(5);

/// How long `GET /health` waits for the database to answer.
const PING_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(3);

/// How every SQLite connection is set up. In WAL mode `synchronous = NORMAL` does not
/// sync the WAL at each commit, only at checkpoints: a committed transaction is in the
/// WAL (written to the OS) before COMMIT returns, so killing the process (even with
/// SIGKILL) never loses it; only a power loss or an OS crash can undo the last commits,
/// never corrupt the database (see `tests/faults.rs`).
const SQLITE_PRAGMAS: [&str; 4] = [
    "PRAGMA foreign_keys = ON",
    "PRAGMA busy_timeout = 10000",
    "PRAGMA journal_mode = WAL",
    "PRAGMA synchronous = NORMAL",
];

struct Migration {
    version: i64,
    description: &'static str,
    sql: &'static str,
}

const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        description: "foundation",
        sql: include_str!("../../migrations/0001_foundation.sql"),
    },
    Migration {
        version: 2,
        description: "news and alerts",
        sql: include_str!("../../migrations/0002_news.sql"),
    },
    Migration {
        version: 3,
        description: "appeals and notifications",
        sql: include_str!("../../migrations/0003_appeals.sql"),
    },
    Migration {
        version: 4,
        description: "petitions",
        sql: include_str!("../../migrations/0004_petitions.sql"),
    },
    Migration {
        version: 5,
        description: "participatory budget",
        sql: include_str!("../../migrations/0005_budget.sql"),
    },
    Migration {
        version: 6,
        description: "polls and surveys",
        sql: include_str!("../../migrations/0006_polls.sql"),
    },
    Migration {
        version: 7,
        description: "public services and consultations",
        sql: include_str!("../../migrations/0007_services.sql"),
    },
    Migration {
        version: 8,
        description: "rate limits of sign-ups and signatures",
        sql: include_str!("../../migrations/0008_limits.sql"),
    },
    Migration {
        version: 9,
        description: "push, email and account recovery",
        sql: include_str!("../../migrations/0009_delivery.sql"),
    },
    Migration {
        version: 10,
        description: "live events shared by every process",
        sql: include_str!("../../migrations/0010_live_events.sql"),
    },
    Migration {
        version: 11,
        description: "the scheduler's marks",
        sql: include_str!("../../migrations/0011_scheduler.sql"),
    },
];

static HROMADAS_CSV: &str = include_str!("../../data/hromadas.csv");

/// How many communities the codifier lists.
pub const HROMADA_COUNT: i64 = 1_774;

impl Db {
    /// Connects to `url` (`sqlite:` or `postgres://`), creating a SQLite file's folder.
    pub async fn connect(url: &str) -> Result<Self, sqlx::Error> {
        sqlx::any::install_default_drivers();
        let backend = if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Backend::Postgres
        } else if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else {
            return Err(sqlx::Error::Configuration(
                "DATABASE_URL must be sqlite: or postgres://".into(),
            ));
        };
        if backend == Backend::Sqlite
            && let Some(dir) = sqlite_dir(url)
        {
            std::fs::create_dir_all(&dir).map_err(sqlx::Error::Io)?;
        }
        let pool = AnyPoolOptions::new()
            .max_connections(if backend == Backend::Sqlite { 8 } else { 16 })
            // A request that cannot get a connection fails fast (503, see
            // `crate::error::is_unavailable`) rather than hanging for sqlx's default 30 s;
            // connections found dead are replaced (`test_before_acquire`, the default),
            // so the API recovers by itself once the database is back.
            .acquire_timeout(ACQUIRE_TIMEOUT)
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        for pragma in SQLITE_PRAGMAS {
                            conn.execute(pragma).await?;
                        }
                    }
                    Ok(())
                })
            })
            .connect(url)
            .await?;
        Ok(Self {
            pool,
            backend,
            writer: std::sync::Arc::default(),
            url: url.into(),
        })
    }

    /// On SQLite, this process's writer: one connection, outside the pool, for the
    /// busiest write transactions (signing a petition), taken in turn. SQLite lets one
    /// connection write at a time anyway; waiting in this queue is cheaper and fairer
    /// than its busy handler, which sleeps and retries (and gives up after
    /// `busy_timeout`), the writer never waits for a pooled connection while others wait
    /// for it, and its page cache stays warm. Other writers (other processes, other
    /// statements) are still kept in order by the busy timeout. `None` on PostgreSQL,
    /// whose row locks order concurrent writers of a row.
    pub(crate) async fn writer(
        &self,
    ) -> Result<Option<tokio::sync::MutexGuard<'_, Option<AnyConnection>>>, sqlx::Error> {
        if self.backend != Backend::Sqlite {
            return Ok(None);
        }
        let mut guard = self.writer.lock().await;
        if guard.is_none() {
            let mut conn = AnyConnection::connect(&self.url).await?;
            for pragma in SQLITE_PRAGMAS {
                conn.execute(pragma).await?;
            }
            *guard = Some(conn);
        }
        Ok(Some(guard))
    }

    /// Which backend this is.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The pool, for tests that check the database directly.
    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// Applies the migrations not yet applied, in one transaction (serialised across
    /// processes on PostgreSQL by an advisory lock).
    pub async fn migrate(&self) -> Result<(), sqlx::Error> {
        let mut conn = self.pool.acquire().await?;
        let mut tx = conn.begin().await?;
        if self.backend == Backend::Postgres {
            sqlx::query("SELECT 1 FROM (SELECT pg_advisory_xact_lock(7270719)) AS l")
                .execute(&mut *tx)
                .await?;
        }
        sqlx::raw_sql(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, description TEXT NOT NULL, applied_at TEXT NOT NULL)",
        )
        .execute(&mut *tx)
        .await?;
        let applied: Vec<i64> = sqlx::query("SELECT version FROM schema_migrations")
            .fetch_all(&mut *tx)
            .await?
            .iter()
            .map(|r| r.try_get::<i64, _>(0))
            .collect::<Result<_, _>>()?;
        for m in MIGRATIONS.iter().filter(|m| !applied.contains(&m.version)) {
            tracing::info!(
                version = m.version,
                description = m.description,
                "applying migration"
            );
            sqlx::raw_sql(m.sql).execute(&mut *tx).await?;
            sqlx::query("INSERT INTO schema_migrations (version, description, applied_at) VALUES ($1, $2, $3)")
                .bind(m.version)
                .bind(m.description)
                .bind(crate::domain::clock::now_rfc3339())
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await
    }

    /// Loads the 1,774 communities from the embedded codifier extract, once. Safe to run
    /// from several processes at once (existing codes are skipped).
    pub async fn load_hromadas(&self) -> Result<u64, sqlx::Error> {
        if self.hromada_count().await? >= HROMADA_COUNT {
            return Ok(0);
        }
        let rows = parse_hromadas_csv(HROMADAS_CSV).map_err(sqlx::Error::Protocol)?;
        let mut tx = self.pool.begin().await?;
        let mut inserted = 0;
        // 90 rows of 9 values stay under SQLite's oldest limit of 999 parameters.
        for chunk in rows.chunks(90) {
            let mut sql = String::from(
                "INSERT INTO hromadas (katottg, name, search_name, sort_key, raion, oblast, oblast_katottg, settlements, cities) VALUES ",
            );
            for (i, _) in chunk.iter().enumerate() {
                let b = i * 9;
                if i > 0 {
                    sql.push(',');
                }
                sql.push('(');
                for j in 1..=9 {
                    if j > 1 {
                        sql.push(',');
                    }
                    sql.push_str(&format!("${}", b + j));
                }
                sql.push(')');
            }
            sql.push_str(" ON CONFLICT (katottg) DO NOTHING");
            let mut q = sqlx::query(&sql);
            for h in chunk {
                q = q
                    .bind(h.katottg.clone())
                    .bind(h.name.clone())
                    .bind(crate::domain::search::search_text(&h.name))
                    .bind(crate::domain::search::sort_key(&h.name))
                    .bind(h.raion.clone())
                    .bind(h.oblast.clone())
                    .bind(h.oblast_katottg.clone())
                    .bind(i64::from(h.settlements))
                    .bind(i64::from(h.cities));
            }
            inserted += q.execute(&mut *tx).await?.rows_affected();
        }
        tx.commit().await?;
        Ok(inserted)
    }

    /// Whether the database answers within [`PING_TIMEOUT`].
    pub async fn ping(&self) -> bool {
        let ping = sqlx::query("SELECT 1").execute(&self.pool);
        matches!(tokio::time::timeout(PING_TIMEOUT, ping).await, Ok(Ok(_)))
    }
}

/// One line of `data/hromadas.csv`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CsvHromada {
    pub katottg: String,
    pub name: String,
    pub raion: String,
    pub oblast: String,
    pub oblast_katottg: String,
    pub settlements: u32,
    pub cities: u32,
}

/// Parses the codifier extract (plain comma-separated, no quoting, one header line).
pub fn parse_hromadas_csv(text: &str) -> Result<Vec<CsvHromada>, String> {
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate().skip(1) {
        if line.trim().is_empty() {
            continue;
        }
        let f: Vec<&str> = line.split(',').map(str::trim).collect();
        let [
            katottg,
            name,
            raion,
            oblast,
            oblast_katottg,
            settlements,
            cities,
        ] = f[..]
        else {
            return Err(format!("hromadas.csv line {}: expected 7 fields", n + 1));
        };
        let num = |s: &str| {
            s.parse::<u32>()
                .map_err(|e| format!("hromadas.csv line {}: {e}", n + 1))
        };
        out.push(CsvHromada {
            katottg: katottg.to_owned(),
            name: name.to_owned(),
            raion: raion.to_owned(),
            oblast: oblast.to_owned(),
            oblast_katottg: oblast_katottg.to_owned(),
            settlements: num(settlements)?,
            cities: num(cities)?,
        });
    }
    Ok(out)
}

/// The folder of a SQLite database file named by `url`, if it has one.
fn sqlite_dir(url: &str) -> Option<std::path::PathBuf> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next()?;
    if path.is_empty() || path == ":memory:" {
        return None;
    }
    let parent = std::path::Path::new(path).parent()?;
    (!parent.as_os_str().is_empty()).then(|| parent.to_path_buf())
}

/// Reads an integer column as `u32` (the schema's CHECKs keep it in range).
fn get_u32(row: &AnyRow, col: &str) -> Result<u32, sqlx::Error> {
    let v: i64 = row.try_get(col)?;
    u32::try_from(v).map_err(|e| sqlx::Error::Decode(Box::new(e)))
}

/// Reads a 0/1 column as `bool`.
fn get_bool(row: &AnyRow, col: &str) -> Result<bool, sqlx::Error> {
    Ok(row.try_get::<i64, _>(col)? != 0)
}

/// Whether an error is a violation of a UNIQUE or PRIMARY KEY constraint.
pub fn is_unique_violation(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(d) if d.is_unique_violation())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_csv_lists_every_community() {
        let rows = parse_hromadas_csv(HROMADAS_CSV).unwrap();
        assert_eq!(rows.len() as i64, HROMADA_COUNT);
        assert!(
            rows.iter()
                .all(|h| hromada_api::validate::is_katottg(&h.katottg))
        );
        let k = rows
            .iter()
            .find(|h| h.katottg == "UA65100150000057191")
            .unwrap();
        assert_eq!(k.name, "Херсонська");
    }

    #[test]
    fn sqlite_folders() {
        assert_eq!(
            sqlite_dir("sqlite://data/h.db?mode=rwc"),
            Some("data".into())
        );
        assert_eq!(sqlite_dir("sqlite:///tmp/h.db"), Some("/tmp".into()));
        assert_eq!(sqlite_dir("sqlite::memory:"), None);
        assert_eq!(sqlite_dir("sqlite://h.db"), None);
    }
}
