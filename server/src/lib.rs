//! Hromada's reference JSON backend.
//!
//! [`start`] prepares the database (migrations, the 1,774 communities, demo content) and
//! returns the [`axum::Router`]; `main.rs` binds it to a port. Tests call [`start`] too
//! and drive the router without a network.
//!
//! Layers: [`http`] (routes, extractors, middleware), [`domain`] (rules), [`db`] (SQL).

pub mod config;
pub mod db;
pub mod demo;
pub mod demo_appeals;
pub mod demo_budget;
pub mod demo_news;
pub mod demo_petitions;
pub mod demo_polls;
pub mod demo_services;
pub mod domain;
pub mod error;
pub mod http;
pub mod outbound;

pub use config::Config;

/// What [`start`] prepared.
pub struct Started {
    /// The whole application.
    pub router: axum::Router,
    /// The database it uses.
    pub db: db::Db,
    /// Whether the demo accounts exist (loaded now or before).
    pub demo_present: bool,
    /// The live event channel (its ticker is running).
    pub live: domain::live::Live,
    /// The delivery layer (its worker is running).
    pub outbound: outbound::Outbound,
}

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    #[error("demo content: {0}")]
    Demo(#[from] error::ApiError),
    #[error("delivery: {0}")]
    Outbound(#[from] outbound::OutboundError),
}

/// Connects to the database, migrates it, loads the communities once and (when
/// configured) the demo content, and builds the router.
pub async fn start(config: Config) -> Result<Started, StartError> {
    let db = db::Db::connect(&config.database_url).await?;
    db.migrate().await?;
    let loaded = db.load_hromadas().await?;
    if loaded > 0 {
        tracing::info!(loaded, "communities loaded");
    }
    if config.demo && demo::load(&db, &config.media_dir).await? {
        // The demo people have confirmed addresses, and what the demo's history
        // would have sent is taken as sent long ago.
        db.confirm_all_emails().await?;
        db.settle_all_deliveries(&domain::clock::now_rfc3339())
            .await?;
    }
    let demo_present = demo::present(&db).await?;
    let live = domain::live::Live::new();
    live.spawn_shared(db.clone());
    domain::scheduler::spawn(db.clone(), live.clone());
    let outbound = outbound::Outbound::new(db.clone(), &config).await?;
    if config.delivery_worker {
        outbound.spawn();
    }
    let router = http::router(config, db.clone(), live.clone(), outbound.clone());
    Ok(Started {
        router,
        db,
        demo_present,
        live,
        outbound,
    })
}
