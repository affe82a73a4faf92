//! `hromada-server`: serves the API and the built web app. Configured by environment;
//! see [`hromada_server::Config`].

use std::net::SocketAddr;
use std::time::Duration;

use axum::serve::ListenerExt;
use hromada_server::http::drain::{self, Drain};
use hromada_server::{Config, demo};

/// How long a process may take, after SIGTERM, to finish what it started.
const GRACE: Duration = Duration::from_secs(10);

#[tokio::main]
async fn main() {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "hromada_server=info,tower_http=warn".into()),
        )
        .init();
    let args: Vec<String> = std::env::args().skip(1).collect();
    let done = match args.first().map(String::as_str) {
        None => run().await,
        Some("migrate") => migrate(&args[1..]).await,
        Some("-h" | "--help" | "help") => {
            println!("{USAGE}");
            Ok(())
        }
        Some(other) => Err(format!("unknown command {other:?}\n\n{USAGE}").into()),
    };
    if let Err(e) = done {
        eprintln!("hromada-server: {e}");
        std::process::exit(1);
    }
}

const USAGE: &str = "\
usage:
  hromada-server
      serves the API and the web app (configured by the environment; see README)
  hromada-server migrate --from sqlite://data/hromada.db --to postgres://user@host/db
      copies every table of one database into a new, empty PostgreSQL database, one
      transaction per table, and compares the counts of rows at the end";

/// `hromada-server migrate --from URL --to URL`: see [`hromada_server::db::transfer`].
async fn migrate(args: &[String]) -> Result<(), Box<dyn std::error::Error>> {
    let (mut from, mut to) = (None, None);
    let mut it = args.iter();
    while let Some(a) = it.next() {
        let (name, value) = match a.split_once('=') {
            Some((n, v)) => (n, Some(v.to_owned())),
            None => (a.as_str(), it.next().cloned()),
        };
        match (name, value) {
            ("--from", Some(v)) => from = Some(v),
            ("--to", Some(v)) => to = Some(v),
            _ => return Err(format!("migrate: unexpected {a:?}\n\n{USAGE}").into()),
        }
    }
    let (Some(from), Some(to)) = (from, to) else {
        return Err(format!("migrate needs --from and --to\n\n{USAGE}").into());
    };
    if !(to.starts_with("postgres://") || to.starts_with("postgresql://")) {
        return Err(
            format!("--to must be a PostgreSQL database (postgres://…), not {to:?}").into(),
        );
    }
    if let Some(path) = from
        .strip_prefix("sqlite://")
        .or_else(|| from.strip_prefix("sqlite:"))
        .and_then(|rest| rest.split('?').next())
        && !std::path::Path::new(path).is_file()
    {
        return Err(format!("--from: there is no database file at {path}").into());
    }
    let source = hromada_server::db::Db::connect(&from)
        .await
        .map_err(|e| format!("--from {}: {e}", redact(&from)))?;
    let target = hromada_server::db::Db::connect(&to)
        .await
        .map_err(|e| format!("--to {}: {e}", redact(&to)))?;
    let mut first = true;
    let counts = hromada_server::db::transfer::transfer(&source, &target, |c| {
        if std::mem::take(&mut first) {
            println!("{:<28} {:>10} {:>10}", "table", "source", "target");
        }
        println!("{:<28} {:>10} {:>10}", c.table, c.source, c.target);
    })
    .await?;
    let rows: i64 = counts.iter().map(|c| c.target).sum();
    println!(
        "Moved {rows} rows in {} tables; every count matches. Copy the media folder \
         (HROMADA_MEDIA_DIR) too, then start the servers with DATABASE_URL={}",
        counts.len(),
        redact(&to)
    );
    source.pool().close().await;
    target.pool().close().await;
    Ok(())
}

/// A database URL without its password, for printing.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            match creds.split_once(':') {
                Some((user, _)) => format!("{}{user}:…{}", &url[..s + 3], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

async fn run() -> Result<(), Box<dyn std::error::Error>> {
    let config = Config::from_env()?;
    let addr = config.addr;
    let static_dir = config.static_dir.clone();
    let started = hromada_server::start(config).await?;
    let listener = tokio::net::TcpListener::bind(addr).await?;

    println!("Hromada is running at http://{addr}/  (API: http://{addr}/api/v1/health)");
    if !static_dir.join("index.html").exists() {
        println!(
            "Note: no web app in {} — only the API is served.",
            static_dir.display()
        );
    }
    if started.demo_present {
        println!("Demo accounts (password: {}):", demo::DEMO_PASSWORD);
        for (email, what) in demo::DEMO_ACCOUNTS {
            println!("  {email:<24} {what}");
        }
    }

    let pool = started.db.pool().clone();
    let live = started.live.clone();
    let drain = Drain::new();
    let router = started.router.layer(axum::middleware::from_fn_with_state(
        drain.clone(),
        drain::close_when_draining,
    ));

    axum::serve(
        // `tap_io` only so that axum gives handlers the peer's address (`ConnectInfo`) for
        // a listener of our own.
        drain.listener(listener).tap_io(|_| {}),
        router.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(async move {
        let signal = shutdown().await;
        // Hard limit: whatever is still running GRACE after the signal is given up.
        tokio::spawn(async {
            tokio::time::sleep(GRACE).await;
            eprintln!("hromada-server: still busy {GRACE:?} after the signal; stopping anyway");
            std::process::exit(1);
        });
        // Every open event stream ends; the clients reconnect (through the balancer, to
        // another process) with the number of the last event they got.
        live.close();
        if signal == Signal::Terminate {
            // Leave the balancer without failing a request (see `http::drain`).
            drain.start();
            tokio::time::sleep(drain::DRAIN).await;
        }
        // Then the idle connections close, and what was started is finished.
    })
    .await?;
    // Every request has been answered: close the pool's connections cleanly (SQLite then
    // checkpoints its WAL). Nothing depends on it for durability: a commit is in the WAL
    // before it is acknowledged, so even a SIGKILL loses nothing (tests/faults.rs).
    pool.close().await;
    Ok(())
}

/// Which signal asked the process to stop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Signal {
    /// Ctrl-C at a terminal: stop at once.
    Interrupt,
    /// SIGTERM, as a service manager or a rolling restart sends: drain first.
    Terminate,
}

async fn shutdown() -> Signal {
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
    let signal = tokio::select! {
        () = ctrl_c => Signal::Interrupt,
        () = term => Signal::Terminate,
    };
    println!("Shutting down.");
    signal
}
