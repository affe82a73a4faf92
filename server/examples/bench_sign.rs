//! The signing benchmark (`scripts/bench-sign.sh`), in three steps:
//!
//! ```text
//! bench_sign seed N TOKENS   # DATABASE_URL: N verified residents signed in (their session
//!                            # tokens into TOKENS) and one collecting petition; prints its id
//! bench_sign run ADDR ID TOKENS CONNECTIONS
//!                            # each person signs once, over CONNECTIONS keep-alive
//!                            # connections, as fast as the server answers
//! bench_sign check ID N      # DATABASE_URL: the count equals the rows, and both N + 1
//! bench_sign plan ADDR PLAN CONNECTIONS JSON
//!                            # `make bench`: PLAN has a line "PETITION_ID TOKEN" a
//!                            # signature (made by `bench_seed`), signed as above over
//!                            # many petitions; the figures go to JSON as well
//! ```
//!
//! The driver speaks plain HTTP/1.1 over Tokio's TCP streams, so it needs nothing the
//! server does not already depend on.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use hromada_api::HromadaSettings;
use hromada_api::petitions::{Moderation, NewPetition};
use hromada_server::db::{Db, NewUser};
use hromada_server::demo::DEMO_HROMADA;
use hromada_server::domain::accounts::{self, Account};
use hromada_server::domain::{clock, ids, petitions::seed};
use hromada_server::{Config, start};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

type Error = Box<dyn std::error::Error + Send + Sync>;

#[tokio::main]
async fn main() -> Result<(), Error> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["seed", n, tokens] => seed_all(n.parse()?, tokens).await,
        ["run", addr, id, tokens, conns] => run(addr, id, tokens, conns.parse()?).await,
        ["check", id, n] => check(id, n.parse()?).await,
        ["plan", addr, plan, conns, json] => run_plan(addr, plan, conns.parse()?, json).await,
        _ => Err(
            "usage: bench_sign seed N TOKENS | run ADDR ID TOKENS CONNECTIONS | check ID N \
                  | plan ADDR PLAN CONNECTIONS JSON"
                .into(),
        ),
    }
}

async fn db() -> Result<Db, Error> {
    let config = Config::from_env()?;
    Ok(start(config).await?.db)
}

async fn seed_all(n: usize, tokens: &str) -> Result<(), Error> {
    let db = db().await?;
    // The most the hromada may ask for, so that the petition stays collecting.
    db.update_hromada_settings(
        DEMO_HROMADA,
        &HromadaSettings {
            petition_signatures: 100_000,
            petition_days: 60,
            petition_verified_only: true,
        },
    )
    .await?;
    let now = clock::now_rfc3339();
    let people: Vec<NewUser> = (0..=n)
        .map(|i| NewUser {
            id: ids::new_id(),
            email: format!("bench{i}@bench.example"),
            password_hash: "!".into(),
            full_name: format!("Учасник Навантаження {i}"),
            address: "вул. Соборна, 1, м. Херсон".into(),
            hromada: DEMO_HROMADA.into(),
            created_at: now.clone(),
        })
        .collect();
    for chunk in people.chunks(5_000) {
        db.insert_verified_users(chunk).await?;
    }
    let author = db
        .user_by_id(&people[0].id)
        .await?
        .ok_or("the author is missing")?;
    let author = Account::load(&db, author).await?;
    let now_ms = clock::now_millis();
    let id = seed::submit(
        &db,
        DEMO_HROMADA,
        &author,
        &NewPetition {
            title: "Петиція для вимірювання швидкості підписів".into(),
            text: "Кожен учасник навантаження підписує її один раз.".into(),
        },
        now_ms - 60_000,
    )
    .await?;
    seed::moderate(&db, &id, &Moderation::Publish, now_ms - 30_000, 100_000, 60).await?;
    let mut out = String::new();
    for p in &people[1..] {
        out.push_str(&accounts::start_session(&db, &p.id).await?);
        out.push('\n');
    }
    std::fs::write(tokens, out)?;
    println!("{id}");
    Ok(())
}

/// Reads one response: the status, and the body (by Content-Length or chunked).
async fn response(r: &mut BufReader<TcpStream>) -> Result<u16, Error> {
    let mut line = String::new();
    if r.read_line(&mut line).await? == 0 {
        return Err("connection closed".into());
    }
    let status: u16 = line.split_whitespace().nth(1).ok_or("no status")?.parse()?;
    let (mut length, mut chunked) = (0usize, false);
    loop {
        line.clear();
        r.read_line(&mut line).await?;
        let h = line.trim_end();
        if h.is_empty() {
            break;
        }
        let (name, value) = h.split_once(':').unwrap_or((h, ""));
        if name.eq_ignore_ascii_case("content-length") {
            length = value.trim().parse()?;
        } else if name.eq_ignore_ascii_case("transfer-encoding") && value.contains("chunked") {
            chunked = true;
        }
    }
    if chunked {
        loop {
            line.clear();
            r.read_line(&mut line).await?;
            let size = usize::from_str_radix(line.trim(), 16)?;
            let mut buf = vec![0; size + 2];
            r.read_exact(&mut buf).await?;
            if size == 0 {
                break;
            }
        }
    } else {
        let mut buf = vec![0; length];
        r.read_exact(&mut buf).await?;
    }
    Ok(status)
}

async fn run(addr: &str, id: &str, tokens: &str, conns: usize) -> Result<(), Error> {
    let jobs: Vec<(String, String)> = std::fs::read_to_string(tokens)?
        .lines()
        .map(|t| (id.to_owned(), t.to_owned()))
        .collect();
    let stats = drive(addr, Arc::new(jobs), conns).await?;
    stats.print(conns);
    if stats.accepted != stats.requests {
        return Err(format!(
            "{} of {} signatures accepted",
            stats.accepted, stats.requests
        )
        .into());
    }
    Ok(())
}

async fn run_plan(addr: &str, plan: &str, conns: usize, json: &str) -> Result<(), Error> {
    let jobs: Vec<(String, String)> = std::fs::read_to_string(plan)?
        .lines()
        .filter_map(|l| l.split_once(' '))
        .map(|(id, token)| (id.to_owned(), token.to_owned()))
        .collect();
    let mut petitions: Vec<&str> = jobs.iter().map(|(id, _)| id.as_str()).collect();
    petitions.sort_unstable();
    petitions.dedup();
    println!(
        "bench-sign: {} residents sign {} petitions (POST /api/v1/petitions/{{id}}/signatures)",
        jobs.len(),
        petitions.len()
    );
    let n_petitions = petitions.len();
    let stats = drive(addr, Arc::new(jobs), conns).await?;
    stats.print(conns);
    let out = serde_json::json!({
        "requests": stats.requests,
        "accepted": stats.accepted,
        "petitions": n_petitions,
        "connections": conns,
        "seconds": stats.elapsed.as_secs_f64(),
        "accepted_per_second": stats.accepted as f64 / stats.elapsed.as_secs_f64(),
        "p50_ms": stats.pct(0.50),
        "p99_ms": stats.pct(0.99),
        "max_ms": stats.pct(1.0),
        "other_statuses": stats.others,
    });
    std::fs::write(json, serde_json::to_string_pretty(&out)?)?;
    if stats.accepted != stats.requests {
        return Err(format!(
            "{} of {} signatures accepted",
            stats.accepted, stats.requests
        )
        .into());
    }
    Ok(())
}

/// What a run measured.
struct Stats {
    requests: usize,
    accepted: usize,
    /// The statuses other than 201, each once.
    others: Vec<u16>,
    elapsed: Duration,
    /// Every request's latency, sorted.
    latencies: Vec<Duration>,
}

impl Stats {
    /// The latency at quantile `p` (1.0: the largest), in milliseconds.
    fn pct(&self, p: f64) -> f64 {
        let lat = &self.latencies;
        if lat.is_empty() {
            return 0.0;
        }
        lat[((lat.len() as f64 * p) as usize).min(lat.len() - 1)].as_secs_f64() * 1e3
    }

    fn print(&self, conns: usize) {
        println!(
            "bench-sign: {} requests over {conns} connections in {:.2} s: {} accepted ({:.0} signatures/s); other statuses: {:?}",
            self.requests,
            self.elapsed.as_secs_f64(),
            self.accepted,
            self.accepted as f64 / self.elapsed.as_secs_f64(),
            self.others,
        );
        println!(
            "bench-sign: latency p50 = {:.1} ms, p99 = {:.1} ms, max = {:.1} ms",
            self.pct(0.50),
            self.pct(0.99),
            self.pct(1.0),
        );
    }
}

/// Makes each signature `(petition id, session token)` of `jobs` once, over `conns`
/// keep-alive connections, each taking the next one as soon as its last is answered.
async fn drive(addr: &str, jobs: Arc<Vec<(String, String)>>, conns: usize) -> Result<Stats, Error> {
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..conns {
        let (jobs, next, addr) = (jobs.clone(), next.clone(), addr.to_owned());
        tasks.push(tokio::spawn(async move {
            let stream = TcpStream::connect(&addr).await?;
            stream.set_nodelay(true)?;
            let mut r = BufReader::new(stream);
            let mut out: Vec<(u16, Duration)> = Vec::new();
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some((id, token)) = jobs.get(i) else {
                    break;
                };
                let req = format!(
                    "POST /api/v1/petitions/{id}/signatures HTTP/1.1\r\nHost: {addr}\r\n\
                     Cookie: hromada_session={token}\r\nX-Hromada-Client: bench\r\n\
                     Content-Length: 0\r\n\r\n"
                );
                let t = Instant::now();
                r.get_mut().write_all(req.as_bytes()).await?;
                let status = response(&mut r).await?;
                out.push((status, t.elapsed()));
            }
            Ok::<_, Error>(out)
        }));
    }
    let mut all = Vec::new();
    for t in tasks {
        all.extend(t.await??);
    }
    let elapsed = started.elapsed();
    let accepted = all.iter().filter(|(s, _)| *s == 201).count();
    let mut others: Vec<u16> = all.iter().map(|(s, _)| *s).filter(|s| *s != 201).collect();
    others.sort_unstable();
    others.dedup();
    let mut latencies: Vec<Duration> = all.iter().map(|(_, d)| *d).collect();
    latencies.sort_unstable();
    Ok(Stats {
        requests: all.len(),
        accepted,
        others,
        elapsed,
        latencies,
    })
}

async fn check(id: &str, n: i64) -> Result<(), Error> {
    let db = db().await?;
    let (row, _) = db.petition(id, None).await?.ok_or("no such petition")?;
    let rows = db.petition_signature_rows(id).await?;
    println!(
        "bench-sign: count = {}, signature rows = {rows}, expected {} (with the author's)",
        row.signatures,
        n + 1
    );
    if i64::from(row.signatures) != rows || rows != n + 1 {
        return Err("the count and the rows disagree".into());
    }
    Ok(())
}
