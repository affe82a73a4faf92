//! The alert-spike benchmark's load client (`scripts/bench-spike.sh`, run by `make bench`):
//! the sirens sound and a whole city opens the app at once.
//!
//! ```text
//! bench_spike run ADDR KATOTTG N SERVER_PIDS NGINX_PID JSON
//! ```
//!
//! Against nginx at ADDR (in front of the server processes SERVER_PIDS, comma-separated;
//! NGINX_PID is nginx's master, its workers are found by their parent), it
//!
//! 1. signs in as the demo staff and reads the resident memory (VmRSS) of the server
//!    processes and of nginx (master and workers);
//! 2. opens N event streams (`GET /api/v1/hromadas/{KATOTTG}/events`), each on its own
//!    TCP connection, 500 at a time, each counted open once its first bytes (`retry:`)
//!    arrived; then reads the memory again;
//! 3. reads the public news feed over 32 keep-alive connections for 10 s while the
//!    streams stay open;
//! 4. publishes one danger alert with a text of its own and times, from just before the
//!    POST is sent, when each stream receives it (giving up after 30 s).
//!
//! The figures go to JSON (the script turns them into `target/bench-spike.md`) and are
//! printed. It speaks plain HTTP/1.1 over Tokio's TCP streams, like `bench_sign`.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use hromada_server::domain::clock;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;
use tokio::sync::{Notify, oneshot};

type Error = Box<dyn std::error::Error + Send + Sync>;

/// Streams opened at once.
const BATCH: usize = 500;
/// Attempts to open one stream (a browser's EventSource tries again too); the retries
/// are reported.
const ATTEMPTS: u32 = 3;
/// How long one batch may take to open.
const BATCH_TIMEOUT: Duration = Duration::from_secs(60);
/// How long after the POST a stream may take to receive the alert.
const ALERT_TIMEOUT: Duration = Duration::from_secs(30);
/// The goal: 99 % of the streams have the alert within this.
const GOAL: Duration = Duration::from_secs(2);
/// The feed read while the streams are open.
const FEED_CONNECTIONS: usize = 32;
const FEED_TIME: Duration = Duration::from_secs(10);

#[tokio::main]
async fn main() -> Result<(), Error> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["run", addr, katottg, n, servers, nginx, json] => {
            let servers = servers
                .split(',')
                .map(str::parse)
                .collect::<Result<Vec<u32>, _>>()?;
            run(addr, katottg, n.parse()?, &servers, nginx.parse()?, json).await
        }
        _ => Err("usage: bench_spike run ADDR KATOTTG N SERVER_PIDS NGINX_PID JSON".into()),
    }
}

/// A response's status line and headers.
struct Head {
    status: u16,
    headers: Vec<(String, String)>,
}

impl Head {
    fn header(&self, name: &str) -> impl Iterator<Item = &str> {
        self.headers
            .iter()
            .filter(move |(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn chunked(&self) -> bool {
        self.header("transfer-encoding")
            .any(|v| v.contains("chunked"))
    }

    /// Whether the server closes the connection after this response.
    fn closes(&self) -> bool {
        self.header("connection")
            .any(|v| v.eq_ignore_ascii_case("close"))
    }
}

async fn head(r: &mut BufReader<TcpStream>) -> Result<Head, Error> {
    let mut line = String::new();
    if r.read_line(&mut line).await? == 0 {
        return Err("connection closed".into());
    }
    let status: u16 = line.split_whitespace().nth(1).ok_or("no status")?.parse()?;
    let mut headers = Vec::new();
    loop {
        line.clear();
        if r.read_line(&mut line).await? == 0 {
            return Err("connection closed in the headers".into());
        }
        let h = line.trim_end();
        if h.is_empty() {
            break;
        }
        let (name, value) = h.split_once(':').unwrap_or((h, ""));
        headers.push((name.trim().to_owned(), value.trim().to_owned()));
    }
    Ok(Head { status, headers })
}

/// The next chunk of a chunked body; `None` after the last.
async fn chunk(r: &mut BufReader<TcpStream>) -> Result<Option<Vec<u8>>, Error> {
    let mut line = String::new();
    if r.read_line(&mut line).await? == 0 {
        return Err("connection closed".into());
    }
    let size = line.split(';').next().unwrap_or("").trim();
    let size = usize::from_str_radix(size, 16)?;
    if size == 0 {
        // Trailers, up to the empty line.
        loop {
            line.clear();
            if r.read_line(&mut line).await? == 0 || line.trim_end().is_empty() {
                return Ok(None);
            }
        }
    }
    let mut buf = vec![0; size + 2];
    r.read_exact(&mut buf).await?;
    buf.truncate(size);
    Ok(Some(buf))
}

/// A whole response: its head and body.
async fn response(r: &mut BufReader<TcpStream>) -> Result<(Head, Vec<u8>), Error> {
    let h = head(r).await?;
    let mut body = Vec::new();
    if h.chunked() {
        while let Some(c) = chunk(r).await? {
            body.extend_from_slice(&c);
        }
    } else {
        let length: usize = h.header("content-length").next().unwrap_or("0").parse()?;
        body.resize(length, 0);
        r.read_exact(&mut body).await?;
    }
    Ok((h, body))
}

async fn connect(addr: &str) -> Result<BufReader<TcpStream>, Error> {
    let s = TcpStream::connect(addr).await?;
    s.set_nodelay(true)?;
    Ok(BufReader::with_capacity(4096, s))
}

/// One JSON request on a connection of its own: the response's head and body.
async fn json_request(
    addr: &str,
    method: &str,
    path: &str,
    cookie: Option<&str>,
    body: &serde_json::Value,
) -> Result<(Head, Vec<u8>), Error> {
    let mut r = connect(addr).await?;
    let body = serde_json::to_string(body)?;
    let cookie = cookie.map_or(String::new(), |c| {
        format!("Cookie: hromada_session={c}\r\n")
    });
    let req = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\n{cookie}Content-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    r.get_mut().write_all(req.as_bytes()).await?;
    response(&mut r).await
}

/// Signs the demo staff in; their session token.
async fn sign_in(addr: &str) -> Result<String, Error> {
    let (h, body) = json_request(
        addr,
        "POST",
        "/api/v1/auth/login",
        None,
        &serde_json::json!({"email": "staff@demo.example", "password": "demo-password"}),
    )
    .await?;
    if h.status != 200 {
        return Err(format!(
            "sign-in answered {}: {}",
            h.status,
            String::from_utf8_lossy(&body)
        )
        .into());
    }
    h.header("set-cookie")
        .find_map(|c| c.strip_prefix("hromada_session="))
        .and_then(|c| c.split(';').next())
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
        .ok_or_else(|| "no hromada_session cookie in the sign-in's response".into())
}

/// What the streams share.
struct Streams {
    /// When each stream received the alert, in nanoseconds since `base` (0: not yet).
    arrived: Vec<AtomicU64>,
    base: Instant,
    received: AtomicUsize,
    /// Streams that ended (closed or failed) after they were open, before the alert.
    dropped: AtomicUsize,
    drop_reasons: Mutex<BTreeMap<String, usize>>,
    /// Woken whenever a stream receives the alert or ends.
    changed: Notify,
    /// The alert's text, as its event carries it.
    text: Vec<u8>,
}

impl Streams {
    fn dropped(&self, reason: String) {
        self.dropped.fetch_add(1, Ordering::Relaxed);
        if let Ok(mut m) = self.drop_reasons.lock() {
            *m.entry(reason).or_default() += 1;
        }
        self.changed.notify_one();
    }
}

/// Opens one stream: the request sent, a 200 read and its first chunk (`retry:`).
async fn open_stream(addr: &str, katottg: &str) -> Result<BufReader<TcpStream>, Error> {
    let mut r = connect(addr).await?;
    let req = format!(
        "GET /api/v1/hromadas/{katottg}/events HTTP/1.1\r\nHost: {addr}\r\n\
         Accept: text/event-stream\r\nCache-Control: no-cache\r\n\r\n"
    );
    r.get_mut().write_all(req.as_bytes()).await?;
    let h = head(&mut r).await?;
    if h.status != 200 {
        return Err(format!("status {}", h.status).into());
    }
    if !h.chunked() {
        return Err("the stream is not chunked".into());
    }
    match chunk(&mut r).await? {
        Some(first) if first.starts_with(b"retry:") => Ok(r),
        Some(_) => Err("the stream does not start with retry:".into()),
        None => Err("the stream ended at once".into()),
    }
}

/// A stream: opened (reporting to `ready` how many attempts it took), then read until
/// it ends, noting when the alert's text arrives.
async fn stream(
    i: usize,
    addr: Arc<str>,
    katottg: Arc<str>,
    streams: Arc<Streams>,
    ready: oneshot::Sender<Result<u32, String>>,
) {
    let mut attempt = 0;
    let mut r = loop {
        attempt += 1;
        match open_stream(&addr, &katottg).await {
            Ok(r) => break r,
            Err(e) if attempt >= ATTEMPTS => {
                let _ = ready.send(Err(e.to_string()));
                return;
            }
            Err(_) => tokio::time::sleep(Duration::from_millis(200 * u64::from(attempt))).await,
        }
    };
    let _ = ready.send(Ok(attempt));
    let text = &streams.text;
    // The end of what came so far, long enough to find the text across chunks.
    let mut window: Vec<u8> = Vec::new();
    let mut seen = false;
    loop {
        match chunk(&mut r).await {
            Ok(Some(data)) if !seen => {
                window.extend_from_slice(&data);
                if window.windows(text.len()).any(|w| w == text.as_slice()) {
                    let at = streams.base.elapsed().as_nanos().max(1);
                    streams.arrived[i]
                        .store(u64::try_from(at).unwrap_or(u64::MAX), Ordering::Relaxed);
                    streams.received.fetch_add(1, Ordering::Relaxed);
                    streams.changed.notify_one();
                    seen = true;
                    window = Vec::new();
                } else if window.len() > text.len() {
                    window.drain(..window.len() - text.len());
                }
            }
            Ok(Some(_)) => {}
            // Ended once the alert came: the run is over.
            _ if seen => return,
            Ok(None) => return streams.dropped("the server ended the stream".into()),
            Err(e) => return streams.dropped(e.to_string()),
        }
    }
}

/// The resident memory of a process in KiB (0 once it is gone).
fn rss_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmRSS:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .unwrap_or(0)
}

/// How many files a process has open.
fn open_fds(pid: u32) -> usize {
    std::fs::read_dir(format!("/proc/{pid}/fd")).map_or(0, Iterator::count)
}

/// The processes whose parent is `parent` (nginx's workers).
fn children(parent: u32) -> Vec<u32> {
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return vec![];
    };
    let mut out: Vec<u32> = dir
        .filter_map(|e| e.ok()?.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            std::fs::read_to_string(format!("/proc/{pid}/stat"))
                .ok()
                .and_then(|s| {
                    // `pid (name) state ppid …`: the name may hold spaces.
                    let rest = &s[s.rfind(')')? + 1..];
                    rest.split_whitespace().nth(1)?.parse::<u32>().ok()
                })
                == Some(parent)
        })
        .collect();
    out.sort_unstable();
    out
}

/// What the processes hold at one moment.
#[derive(Debug, Clone)]
struct Memory {
    servers_kib: u64,
    nginx_kib: u64,
    client_kib: u64,
    server_fds: Vec<usize>,
    nginx_worker_fds: Vec<usize>,
}

fn memory(servers: &[u32], nginx: u32) -> Memory {
    let workers = children(nginx);
    Memory {
        servers_kib: servers.iter().map(|&p| rss_kib(p)).sum(),
        nginx_kib: rss_kib(nginx) + workers.iter().map(|&p| rss_kib(p)).sum::<u64>(),
        client_kib: rss_kib(std::process::id()),
        server_fds: servers.iter().map(|&p| open_fds(p)).collect(),
        nginx_worker_fds: workers.iter().map(|&p| open_fds(p)).collect(),
    }
}

/// What reading the feed measured.
#[derive(Default)]
struct Feed {
    /// Every answered request's latency, sorted.
    latencies: Vec<Duration>,
    /// The statuses other than 200, with their counts.
    others: BTreeMap<u16, usize>,
    /// Connections opened again (after nginx's `keepalive_requests`, or an error).
    reconnects: usize,
    errors: usize,
    /// The bodies' bytes, all together.
    bytes: usize,
    elapsed: Duration,
}

/// The public feed read as fast as nginx answers, over `conns` keep-alive connections
/// for `time`.
async fn feed(addr: &str, katottg: &str, conns: usize, time: Duration) -> Feed {
    let started = Instant::now();
    let until = started + time;
    let mut tasks = Vec::new();
    for _ in 0..conns {
        let (addr, katottg) = (addr.to_owned(), katottg.to_owned());
        tasks.push(tokio::spawn(async move {
            let req = format!(
                "GET /api/v1/hromadas/{katottg}/news HTTP/1.1\r\nHost: {addr}\r\n\
                 Accept: application/json\r\n\r\n"
            );
            let (mut lat, mut others) = (Vec::new(), BTreeMap::<u16, usize>::new());
            let (mut reconnects, mut errors, mut bytes) = (0usize, 0usize, 0usize);
            let mut conn: Option<BufReader<TcpStream>> = None;
            while Instant::now() < until {
                let r = match conn.as_mut() {
                    Some(r) => r,
                    None => match connect(&addr).await {
                        Ok(r) => {
                            reconnects += 1;
                            conn.insert(r)
                        }
                        Err(_) => {
                            errors += 1;
                            tokio::time::sleep(Duration::from_millis(10)).await;
                            continue;
                        }
                    },
                };
                let t = Instant::now();
                let answered = match r.get_mut().write_all(req.as_bytes()).await {
                    Ok(()) => response(r).await,
                    Err(e) => Err(e.into()),
                };
                match answered {
                    Ok((h, body)) => {
                        lat.push(t.elapsed());
                        bytes += body.len();
                        if h.status != 200 {
                            *others.entry(h.status).or_default() += 1;
                        }
                        if h.closes() {
                            conn = None;
                        }
                    }
                    Err(_) => {
                        errors += 1;
                        conn = None;
                    }
                }
            }
            // The first connection is not a reconnect.
            (lat, others, reconnects.saturating_sub(1), errors, bytes)
        }));
    }
    let mut f = Feed::default();
    for t in tasks {
        if let Ok((l, o, r, e, b)) = t.await {
            f.latencies.extend(l);
            for (s, n) in o {
                *f.others.entry(s).or_default() += n;
            }
            f.reconnects += r;
            f.errors += e;
            f.bytes += b;
        }
    }
    f.elapsed = started.elapsed();
    f.latencies.sort_unstable();
    f
}

/// The value at quantile `q` of sorted `v` (1.0: the largest), in milliseconds.
fn quantile_ms(v: &[Duration], q: f64) -> f64 {
    if v.is_empty() {
        return 0.0;
    }
    v[((v.len() as f64 * q) as usize).min(v.len() - 1)].as_secs_f64() * 1e3
}

/// When the first `ceil(q · n)` of `n` streams had the alert, from sorted `arrivals`;
/// `None` when fewer ever had it.
fn reached(arrivals: &[Duration], n: usize, q: f64) -> Option<Duration> {
    let k = ((q * n as f64).ceil() as usize).max(1);
    arrivals.get(k - 1).copied()
}

fn ms(d: Option<Duration>) -> serde_json::Value {
    d.map_or(serde_json::Value::Null, |d| {
        serde_json::json!((d.as_secs_f64() * 1e4).round() / 10.0)
    })
}

async fn run(
    addr: &str,
    katottg: &str,
    n: usize,
    servers: &[u32],
    nginx: u32,
    json: &str,
) -> Result<(), Error> {
    let token = sign_in(addr).await?;
    let unique = format!("{}-{}", clock::now_millis(), std::process::id());
    let text = format!("Повітряна тривога! Негайно пройдіть до укриття. (перевірка {unique})");
    // The event's data is the alert's JSON: the text as serde_json writes it.
    let quoted = serde_json::to_string(&text)?;
    let streams = Arc::new(Streams {
        arrived: (0..n).map(|_| AtomicU64::new(0)).collect(),
        base: Instant::now(),
        received: AtomicUsize::new(0),
        dropped: AtomicUsize::new(0),
        drop_reasons: Mutex::new(BTreeMap::new()),
        changed: Notify::new(),
        text: quoted.trim_matches('"').as_bytes().to_vec(),
    });

    tokio::time::sleep(Duration::from_secs(1)).await;
    let before = memory(servers, nginx);
    println!(
        "bench-spike: before the streams: servers {} MiB, nginx {} MiB",
        before.servers_kib / 1024,
        before.nginx_kib / 1024
    );

    // Open the streams, BATCH at a time, each batch wholly open before the next.
    let (addr_a, k_a): (Arc<str>, Arc<str>) = (addr.into(), katottg.into());
    let opening = Instant::now();
    let (mut opened, mut retried) = (0usize, 0usize);
    let mut open_errors: BTreeMap<String, usize> = BTreeMap::new();
    let mut start = 0;
    while start < n {
        let end = (start + BATCH).min(n);
        let mut readies = Vec::with_capacity(end - start);
        for i in start..end {
            let (tx, rx) = oneshot::channel();
            tokio::spawn(stream(i, addr_a.clone(), k_a.clone(), streams.clone(), tx));
            readies.push(rx);
        }
        let deadline = tokio::time::Instant::now() + BATCH_TIMEOUT;
        for rx in readies {
            match tokio::time::timeout_at(deadline, rx).await {
                Ok(Ok(Ok(attempts))) => {
                    opened += 1;
                    if attempts > 1 {
                        retried += 1;
                    }
                }
                Ok(Ok(Err(e))) => *open_errors.entry(e).or_default() += 1,
                Ok(Err(_)) => *open_errors.entry("the task ended".into()).or_default() += 1,
                Err(_) => {
                    *open_errors
                        .entry(format!("not open within {} s", BATCH_TIMEOUT.as_secs()))
                        .or_default() += 1
                }
            }
        }
        start = end;
    }
    let open_time = opening.elapsed();
    println!(
        "bench-spike: {opened} of {n} streams open in {:.1} s ({retried} needed another attempt; failed: {open_errors:?})",
        open_time.as_secs_f64()
    );

    // Let the processes settle, then the memory with every stream open.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let open = memory(servers, nginx);
    let per_stream = |a: u64, b: u64| (a.saturating_sub(b) * 1024) as f64 / n.max(1) as f64;
    let server_per_stream = per_stream(open.servers_kib, before.servers_kib);
    let nginx_per_stream = per_stream(open.nginx_kib, before.nginx_kib);
    println!(
        "bench-spike: with the streams open: servers {} MiB ({:.1} KiB a stream), nginx {} MiB ({:.1} KiB a stream); \
         open files: servers {:?}, nginx workers {:?}",
        open.servers_kib / 1024,
        server_per_stream / 1024.0,
        open.nginx_kib / 1024,
        nginx_per_stream / 1024.0,
        open.server_fds,
        open.nginx_worker_fds,
    );

    // The public feed, read while the streams are open.
    let fd = feed(addr, katottg, FEED_CONNECTIONS, FEED_TIME).await;
    let lat = &fd.latencies;
    let feed_rps = lat.len() as f64 / fd.elapsed.as_secs_f64();
    let feed_bytes = fd.bytes as f64 / lat.len().max(1) as f64;
    println!(
        "bench-spike: news feed: {} requests ({feed_bytes:.0} bytes each) over {FEED_CONNECTIONS} connections \
         in {:.1} s = {feed_rps:.0}/s, p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms; statuses other than 200: {:?}; \
         errors {}",
        lat.len(),
        fd.elapsed.as_secs_f64(),
        quantile_ms(lat, 0.50),
        quantile_ms(lat, 0.99),
        quantile_ms(lat, 1.0),
        fd.others,
        fd.errors,
    );

    // The alert.
    let alive_before = opened - streams.dropped.load(Ordering::Relaxed);
    let body = serde_json::to_string(&serde_json::json!({
        "severity": "danger",
        "text": text,
        "expires_at": clock::rfc3339(clock::now_millis() + 3_600_000),
    }))?;
    let mut r = connect(addr).await?;
    let req = format!(
        "POST /api/v1/hromadas/{katottg}/alerts HTTP/1.1\r\nHost: {addr}\r\n\
         Cookie: hromada_session={token}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let sent = Instant::now();
    r.get_mut().write_all(req.as_bytes()).await?;
    let (h, answer) = response(&mut r).await?;
    let post_time = sent.elapsed();
    drop(r);
    if h.status != 201 {
        return Err(format!(
            "the alert's POST answered {}: {}",
            h.status,
            String::from_utf8_lossy(&answer)
        )
        .into());
    }
    println!(
        "bench-spike: alert published (201 in {:.1} ms); waiting for {alive_before} streams",
        post_time.as_secs_f64() * 1e3
    );
    let give_up = tokio::time::Instant::from_std(sent + ALERT_TIMEOUT);
    loop {
        let received = streams.received.load(Ordering::Relaxed);
        let dropped = streams.dropped.load(Ordering::Relaxed);
        if received + dropped >= opened {
            break;
        }
        tokio::select! {
            () = streams.changed.notified() => {}
            () = tokio::time::sleep_until(give_up) => break,
        }
    }
    let sent_ns = sent.duration_since(streams.base).as_nanos();
    let mut arrivals: Vec<Duration> = streams
        .arrived
        .iter()
        .map(|a| a.load(Ordering::Relaxed))
        .filter(|&a| a > 0)
        .map(|a| {
            Duration::from_nanos(
                u64::try_from(u128::from(a).saturating_sub(sent_ns)).unwrap_or(u64::MAX),
            )
        })
        .collect();
    arrivals.sort_unstable();
    let received = arrivals.len();
    let (p50, p99, p100) = (
        reached(&arrivals, n, 0.50),
        reached(&arrivals, n, 0.99),
        reached(&arrivals, n, 1.0),
    );
    let met = p99.is_some_and(|d| d <= GOAL);
    let show = |d: Option<Duration>| {
        d.map_or("not reached".to_owned(), |d| {
            format!("{:.0} ms", d.as_secs_f64() * 1e3)
        })
    };
    let drop_reasons = streams
        .drop_reasons
        .lock()
        .map(|m| m.clone())
        .unwrap_or_default();
    println!(
        "bench-spike: {received} of {n} streams have the alert; 50 % in {}, 99 % in {}, 100 % in {} \
         (first {}); streams lost before it: {drop_reasons:?}",
        show(p50),
        show(p99),
        show(p100),
        show(arrivals.first().copied()),
    );
    println!(
        "bench-spike: goal 99 % within {} s: {} ({})",
        GOAL.as_secs(),
        if met { "met" } else { "NOT met" },
        show(p99)
    );

    let out = serde_json::json!({
        "streams": n,
        "opened": opened,
        "open_retried": retried,
        "open_failed": open_errors.values().sum::<usize>(),
        "open_errors": open_errors,
        "open_seconds": open_time.as_secs_f64(),
        "dropped_before_alert": streams.dropped.load(Ordering::Relaxed),
        "drop_reasons": drop_reasons,
        "received": received,
        "missing": n - received,
        "post_status": h.status,
        "post_ms": post_time.as_secs_f64() * 1e3,
        "first_ms": ms(arrivals.first().copied()),
        "p50_ms": ms(p50),
        "p99_ms": ms(p99),
        "p100_ms": ms(p100),
        "goal_ms": GOAL.as_millis() as u64,
        "goal_met": met,
        "timeout_s": ALERT_TIMEOUT.as_secs(),
        "servers": servers.len(),
        "servers_rss_before_kib": before.servers_kib,
        "servers_rss_open_kib": open.servers_kib,
        "server_bytes_per_stream": server_per_stream,
        "nginx_rss_before_kib": before.nginx_kib,
        "nginx_rss_open_kib": open.nginx_kib,
        "nginx_bytes_per_stream": nginx_per_stream,
        "client_rss_open_kib": open.client_kib,
        "server_fds_open": open.server_fds,
        "nginx_worker_fds_open": open.nginx_worker_fds,
        "feed_connections": FEED_CONNECTIONS,
        "feed_seconds": fd.elapsed.as_secs_f64(),
        "feed_requests": lat.len(),
        "feed_bytes_per_response": feed_bytes,
        "feed_per_second": feed_rps,
        "feed_p50_ms": quantile_ms(lat, 0.50),
        "feed_p99_ms": quantile_ms(lat, 0.99),
        "feed_max_ms": quantile_ms(lat, 1.0),
        "feed_other_statuses": fd.others,
        "feed_reconnects": fd.reconnects,
        "feed_errors": fd.errors,
    });
    std::fs::write(json, serde_json::to_string_pretty(&out)?)?;
    Ok(())
}
