//! Faults: the database going away, and the server killed in the middle of a load.
//!
//! - `postgres_down_gives_503_and_recovers`: on a throwaway PostgreSQL cluster of its own
//!   (only under `scripts/with-postgres.sh`, i.e. when `HROMADA_TEST_DATABASE_URL` is set;
//!   skipped with a note otherwise), the cluster is stopped while the app runs: reads,
//!   writes and `/health` answer 503 (problem+json with `Retry-After`) within seconds,
//!   and once the cluster is back the same app answers again, without a restart.
//! - `sigkill_loses_no_acknowledged_write`: the real server binary on a SQLite file takes
//!   a concurrent load of signatures and appeals over HTTP and is killed with SIGKILL in
//!   the middle of it; restarted on the same file, every signature and appeal it had
//!   acknowledged (201) is there, and the petition's counter equals its signature rows.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::http::{Method, StatusCode};
use common::KHERSON;
use common::process::ServerProcess;
use hromada_api::HromadaSettings;
use hromada_api::petitions::{Moderation, NewPetition};
use hromada_server::db::{Db, NewUser};
use hromada_server::domain::accounts::{self, Account};
use hromada_server::domain::{clock, ids, petitions::seed};
use hromada_server::{Config, start};
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

type Error = Box<dyn std::error::Error + Send + Sync>;

// ---------------------------------------------------------------------------------------
// Helpers: a free port, a temporary folder, a tiny HTTP/1.1 client.

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

fn temp_dir(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("hromada-{tag}-{}", ids::new_id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

/// One HTTP response: status, headers (lower-case names) and body.
#[derive(Debug)]
struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }
}

/// Writes one request on a keep-alive connection and reads its response.
async fn exchange(
    r: &mut BufReader<TcpStream>,
    method: &str,
    path: &str,
    session: Option<&str>,
    body: Option<&Value>,
) -> Result<Reply, Error> {
    let body = body.map(Value::to_string).unwrap_or_default();
    let mut req = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Hromada-Client: faults\r\nContent-Length: {}\r\n",
        body.len()
    );
    if let Some(s) = session {
        req.push_str(&format!("Cookie: hromada_session={s}\r\n"));
    }
    if !body.is_empty() {
        req.push_str("Content-Type: application/json\r\n");
    }
    req.push_str("\r\n");
    req.push_str(&body);
    r.get_mut().write_all(req.as_bytes()).await?;
    read_reply(r).await
}

/// Reads one response (body by Content-Length or chunked).
async fn read_reply(r: &mut BufReader<TcpStream>) -> Result<Reply, Error> {
    let mut line = String::new();
    if r.read_line(&mut line).await? == 0 {
        return Err("connection closed".into());
    }
    let status: u16 = line.split_whitespace().nth(1).ok_or("no status")?.parse()?;
    let mut headers = Vec::new();
    let (mut length, mut chunked) = (0usize, false);
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
        let (name, value) = (name.trim().to_ascii_lowercase(), value.trim().to_owned());
        if name == "content-length" {
            length = value.parse()?;
        } else if name == "transfer-encoding" && value.contains("chunked") {
            chunked = true;
        }
        headers.push((name, value));
    }
    let mut body = Vec::new();
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
            body.extend_from_slice(&buf[..size]);
        }
    } else {
        body = vec![0; length];
        r.read_exact(&mut body).await?;
    }
    Ok(Reply {
        status,
        headers,
        body,
    })
}

async fn connect(addr: &str) -> Result<BufReader<TcpStream>, Error> {
    let stream = TcpStream::connect(addr).await?;
    stream.set_nodelay(true)?;
    Ok(BufReader::new(stream))
}

/// One request on a fresh connection.
async fn request(
    addr: &str,
    method: &str,
    path: &str,
    session: Option<&str>,
    body: Option<&Value>,
) -> Result<Reply, Error> {
    let mut c = connect(addr).await?;
    exchange(&mut c, method, path, session, body).await
}

// ---------------------------------------------------------------------------------------
// 1. PostgreSQL unavailable → 503, then recovery.

/// A throwaway PostgreSQL cluster in a temporary folder, on a free port, as
/// `scripts/with-postgres.sh` makes one (run as the `postgres` user when we are root,
/// since `initdb` refuses root). Stopped and removed on drop.
struct Cluster {
    bin: PathBuf,
    dir: PathBuf,
    port: u16,
    as_postgres: bool,
}

impl Cluster {
    fn pg(&self, tool: &str) -> Command {
        let exe = self.bin.join(tool);
        if self.as_postgres {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(exe);
            c
        } else {
            Command::new(exe)
        }
    }

    fn run(&self, mut c: Command, what: &str) {
        let out = c.output().unwrap_or_else(|e| panic!("{what}: {e}"));
        assert!(
            out.status.success(),
            "{what} failed: {}{}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr),
            std::fs::read_to_string(self.dir.join("postgres.log")).unwrap_or_default()
        );
    }

    fn init() -> Self {
        let bin = PathBuf::from(
            std::env::var("PG_BIN").unwrap_or_else(|_| "/usr/lib/postgresql/15/bin".into()),
        );
        let dir = temp_dir("faults-pg");
        // initdb refuses to run as root: then the cluster runs as `postgres`.
        let root = Command::new("id")
            .arg("-u")
            .output()
            .map(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
            .unwrap_or(false);
        if root {
            let _ = Command::new("chown").args(["postgres"]).arg(&dir).status();
        }
        let c = Self {
            bin,
            dir,
            port: free_port(),
            as_postgres: root,
        };
        let mut initdb = c.pg("initdb");
        initdb
            .arg("-D")
            .arg(c.dir.join("data"))
            .args([
                "--auth=trust",
                "--username=postgres",
                "--encoding=UTF8",
                "--locale=C.UTF-8",
            ])
            .stdout(Stdio::null());
        c.run(initdb, "initdb");
        c.start();
        c
    }

    fn start(&self) {
        let mut start = self.pg("pg_ctl");
        start
            .arg("-D")
            .arg(self.dir.join("data"))
            .arg("-l")
            .arg(self.dir.join("postgres.log"))
            .args(["-w", "-t", "60", "-o"])
            .arg(format!(
                "-c listen_addresses=127.0.0.1 -p {} -k {} -c fsync=off -c synchronous_commit=off -c full_page_writes=off",
                self.port,
                self.dir.display()
            ))
            .arg("start")
            .stdout(Stdio::null());
        self.run(start, "pg_ctl start");
    }

    /// A fast shutdown: sessions are ended (57P01), new connections refused.
    fn stop(&self) {
        let mut stop = self.pg("pg_ctl");
        stop.arg("-D")
            .arg(self.dir.join("data"))
            .args(["-m", "fast", "-w", "stop"])
            .stdout(Stdio::null());
        self.run(stop, "pg_ctl stop");
    }

    fn url(&self) -> String {
        format!("postgres://postgres@127.0.0.1:{}/postgres", self.port)
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = self
            .pg("pg_ctl")
            .arg("-D")
            .arg(self.dir.join("data"))
            .args(["-m", "immediate", "stop"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn assert_unavailable(r: &common::Resp, what: &str) {
    assert_eq!(
        r.status,
        StatusCode::SERVICE_UNAVAILABLE,
        "{what}: {}",
        r.text()
    );
    assert_eq!(r.content_type(), "application/problem+json", "{what}");
    assert_eq!(r.json()["status"], 503, "{what}");
    let retry: u64 = r
        .headers
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("{what}: no Retry-After"));
    assert!((1..=30).contains(&retry), "{what}: Retry-After {retry}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_down_gives_503_and_recovers() {
    if std::env::var("HROMADA_TEST_DATABASE_URL").map_or(true, |u| u.is_empty()) {
        println!(
            "faults: skipping the PostgreSQL fault test: HROMADA_TEST_DATABASE_URL is not set \
             (run it with `scripts/with-postgres.sh cargo test -p hromada-server --test faults`)"
        );
        return;
    }
    let cluster = Cluster::init();
    let url = cluster.url();
    let app = common::app_with(|c| c.database_url = url).await;
    let people = common::people(&app, 1, KHERSON, "fault").await;
    let session = people[0].1.clone();
    let hromada = format!("/api/v1/hromadas/{KHERSON}");
    let read = || app.get(&hromada, None);
    let write = |name: &'static str| {
        app.call(
            Method::PATCH,
            "/api/v1/me",
            Some(json!({ "full_name": name })),
            Some(&session),
        )
    };
    read().await.assert_status(StatusCode::OK);
    write("Олена Коваль").await.assert_status(StatusCode::OK);
    app.get("/api/v1/health", None)
        .await
        .assert_status(StatusCode::OK);

    // A connection ended by the server (pg_terminate_backend: SQLSTATE 57P01) is an
    // "unavailable" error, and the pool replaces such connections by itself.
    {
        use sqlx::Connection;
        let mut victim = sqlx::AnyConnection::connect(&cluster.url()).await.unwrap();
        let pid: i32 = sqlx::query_scalar("SELECT pg_backend_pid()")
            .fetch_one(&mut victim)
            .await
            .unwrap();
        sqlx::query("SELECT pg_terminate_backend($1)")
            .bind(pid)
            .execute(app.db.pool())
            .await
            .unwrap();
        let e = sqlx::query("SELECT 1")
            .execute(&mut victim)
            .await
            .expect_err("a terminated connection fails");
        assert!(
            hromada_server::error::is_unavailable(&e),
            "not classified as unavailable: {e:?}"
        );
        // End every pooled connection too: the next requests still succeed.
        sqlx::query(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity \
             WHERE datname = current_database() AND pid <> pg_backend_pid()",
        )
        .execute(app.db.pool())
        .await
        .unwrap();
        read().await.assert_status(StatusCode::OK);
        write("Олена Ковальчук").await.assert_status(StatusCode::OK);
    }

    cluster.stop();
    let t = Instant::now();
    let (r, w, h) = tokio::join!(
        read(),
        write("Олена Шевчук"),
        app.get("/api/v1/health", None)
    );
    let waited = t.elapsed();
    assert_unavailable(&r, "a read");
    assert_unavailable(&w, "a write");
    h.assert_status(StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(h.content_type(), "application/json");
    assert_eq!(h.json()["status"], "unavailable");
    assert_eq!(h.json()["database"], "postgres");
    assert!(h.headers.contains_key("retry-after"));
    // Fails fast: the pool's acquire timeout (5 s), not sqlx's default 30 s.
    assert!(
        waited < Duration::from_secs(12),
        "503s took {waited:?} with the database down"
    );
    println!("faults: 503s with PostgreSQL down after {waited:?}");

    cluster.start();
    let t = Instant::now();
    read().await.assert_status(StatusCode::OK);
    let me = write("Олена Шевченко").await.expect(StatusCode::OK);
    assert_eq!(me["full_name"], "Олена Шевченко");
    let h = app.get("/api/v1/health", None).await;
    assert_eq!(h.expect(StatusCode::OK)["status"], "ok");
    println!(
        "faults: answering again {:?} after PostgreSQL came back",
        t.elapsed()
    );
    drop(app);
    drop(cluster);
}

// ---------------------------------------------------------------------------------------
// 2. SIGKILL in the middle of a load loses no acknowledged write.

/// What the seeding made: the petition, and the residents who will sign and write.
struct Seeded {
    petition: String,
    /// `(user id, session token)` of each resident of the load.
    people: Vec<(String, String)>,
}

/// How many residents take part: each signs once and sends one appeal.
const PEOPLE: usize = 1_500;

/// Seeds through the library (no password hashing): a collecting petition that cannot
/// reach its number, and [`PEOPLE`] verified residents of Kherson with sessions.
async fn seed_load(database_url: &str, dir: &Path) -> Result<Seeded, Error> {
    let started = start(Config {
        database_url: database_url.to_owned(),
        static_dir: dir.join("no-such-dist"),
        media_dir: dir.join("media"),
        mail_dir: dir.join("mail"),
        secret_key_file: dir.join("secret.key"),
        ..Config::default()
    })
    .await?;
    let db: Db = started.db.clone();
    db.update_hromada_settings(
        KHERSON,
        &HromadaSettings {
            petition_signatures: 100_000,
            petition_days: 60,
            petition_verified_only: true,
        },
    )
    .await?;
    let now = clock::now_rfc3339();
    let users: Vec<NewUser> = (0..=PEOPLE)
        .map(|i| NewUser {
            id: ids::new_id(),
            email: format!("load{i}@faults.example"),
            password_hash: "!".into(),
            full_name: format!("Мешканка Навантаження {i}"),
            address: "вул. Соборна, 1, м. Херсон".into(),
            hromada: KHERSON.into(),
            created_at: now.clone(),
        })
        .collect();
    db.insert_verified_users(&users).await?;
    let author = db.user_by_id(&users[0].id).await?.ok_or("no author")?;
    let author = Account::load(&db, author).await?;
    let now_ms = clock::now_millis();
    let petition = seed::submit(
        &db,
        KHERSON,
        &author,
        &NewPetition {
            title: "Петиція, яку підписують під час аварії".into(),
            text: "Кожен учасник підписує її один раз.".into(),
        },
        now_ms - 60_000,
    )
    .await?;
    seed::moderate(
        &db,
        &petition,
        &Moderation::Publish,
        now_ms - 30_000,
        100_000,
        60,
    )
    .await?;
    let mut people = Vec::new();
    for u in &users[1..] {
        people.push((u.id.clone(), accounts::start_session(&db, &u.id).await?));
    }
    Ok(Seeded { petition, people })
}

/// What the server acknowledged (201) before it was killed.
#[derive(Default)]
struct Acked {
    /// User ids whose signature was acknowledged.
    signers: BTreeSet<String>,
    /// Ids of the acknowledged appeals, with their author's session.
    appeals: Vec<(String, String)>,
    /// Requests sent, answered or not.
    sent: usize,
}

/// Runs the load against `addr` until it is done or the server dies; kills the server
/// through `kill` once `kill_after` writes are acknowledged.
async fn load(
    addr: &str,
    seeded: &Seeded,
    category: &str,
    kill_after: usize,
    kill: impl FnOnce() + Send + 'static,
) -> Acked {
    const CONNECTIONS: usize = 16;
    // Task i: resident i / 2 signs (even i) or sends an appeal (odd i), so both kinds of
    // write are in flight together.
    let tasks = seeded.people.len() * 2;
    let next = Arc::new(AtomicUsize::new(0));
    let acked = Arc::new(Mutex::new(Acked::default()));
    let n_acked = Arc::new(AtomicUsize::new(0));
    let killed = Arc::new(AtomicBool::new(false));
    let kill = Arc::new(Mutex::new(Some(kill)));
    let people = Arc::new(seeded.people.clone());
    let mut handles = Vec::new();
    for _ in 0..CONNECTIONS {
        let (next, acked, n_acked, killed, kill, people) = (
            next.clone(),
            acked.clone(),
            n_acked.clone(),
            killed.clone(),
            kill.clone(),
            people.clone(),
        );
        let (addr, petition, category) = (
            addr.to_owned(),
            seeded.petition.clone(),
            category.to_owned(),
        );
        handles.push(tokio::spawn(async move {
            let Ok(mut c) = connect(&addr).await else {
                return;
            };
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                // Done, or killed: stop handing out work (connections die anyway).
                if i >= tasks || killed.load(Ordering::Relaxed) {
                    return;
                }
                let (user, session) = &people[i / 2];
                let sign = i % 2 == 0;
                acked.lock().unwrap().sent += 1;
                let reply = if sign {
                    exchange(
                        &mut c,
                        "POST",
                        &format!("/api/v1/petitions/{petition}/signatures"),
                        Some(session),
                        None,
                    )
                    .await
                } else {
                    let body = json!({
                        "kind": "proposal",
                        "category_id": category,
                        "subject": format!("Звернення під навантаженням {i}"),
                        "text": "Прошу відремонтувати тротуар біля зупинки.",
                        "full_name": format!("Мешканка Навантаження {}", i / 2 + 1),
                        "address": "вул. Соборна, 1, м. Херсон",
                        "email": format!("load{}@faults.example", i / 2 + 1),
                    });
                    exchange(
                        &mut c,
                        "POST",
                        &format!("/api/v1/hromadas/{KHERSON}/appeals"),
                        Some(session),
                        Some(&body),
                    )
                    .await
                };
                let Ok(reply) = reply else {
                    // The server was killed: this request is not acknowledged.
                    return;
                };
                assert_eq!(
                    reply.status,
                    201,
                    "{}",
                    String::from_utf8_lossy(&reply.body)
                );
                assert_eq!(reply.header("content-type"), Some("application/json"));
                {
                    let mut a = acked.lock().unwrap();
                    if sign {
                        a.signers.insert(user.clone());
                    } else {
                        let id = reply.json()["id"].as_str().expect("appeal id").to_owned();
                        a.appeals.push((id, session.clone()));
                    }
                }
                if n_acked.fetch_add(1, Ordering::SeqCst) + 1 == kill_after {
                    killed.store(true, Ordering::SeqCst);
                    if let Some(k) = kill.lock().unwrap().take() {
                        k();
                    }
                }
            }
        }));
    }
    for h in handles {
        h.await.expect("a load task panicked");
    }
    Arc::try_unwrap(acked)
        .ok()
        .expect("tasks done")
        .into_inner()
        .unwrap()
}

/// Every signature, and every appeal, on the petition and in the database.
async fn stored(
    database_url: &str,
    petition: &str,
) -> (u32, i64, BTreeSet<String>, BTreeSet<String>) {
    use sqlx::Connection;
    let mut conn = sqlx::AnyConnection::connect(database_url).await.unwrap();
    let counter: i64 = sqlx::query_scalar("SELECT signatures FROM petitions WHERE id = $1")
        .bind(petition)
        .fetch_one(&mut conn)
        .await
        .unwrap();
    let rows: i64 =
        sqlx::query_scalar("SELECT COUNT(*) FROM petition_signatures WHERE petition_id = $1")
            .bind(petition)
            .fetch_one(&mut conn)
            .await
            .unwrap();
    let signers: Vec<String> =
        sqlx::query_scalar("SELECT user_id FROM petition_signatures WHERE petition_id = $1")
            .bind(petition)
            .fetch_all(&mut conn)
            .await
            .unwrap();
    let appeals: Vec<String> = sqlx::query_scalar("SELECT id FROM appeals")
        .fetch_all(&mut conn)
        .await
        .unwrap();
    let check: String = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(&mut conn)
        .await
        .unwrap();
    assert_eq!(check, "ok", "the database is damaged");
    conn.close().await.unwrap();
    (
        u32::try_from(counter).unwrap(),
        rows,
        signers.into_iter().collect(),
        appeals.into_iter().collect(),
    )
}

/// SQLite in WAL with `synchronous = NORMAL` (the server's pragmas, `db/mod.rs`): a
/// commit appends to the WAL with write(2) before COMMIT returns, and the WAL is synced
/// only at checkpoints. Whatever write(2) has handed to the OS survives the death of the
/// process, SIGKILL included; only a power loss or an OS crash could lose the last
/// commits (never corrupt the file). So an acknowledged write must survive SIGKILL.
#[test]
fn sigkill_loses_no_acknowledged_write() {
    let t0 = Instant::now();
    let dir = temp_dir("faults-kill");
    let url = format!("sqlite://{}?mode=rwc", dir.join("hromada.db").display());
    // Seeded in a runtime of its own, dropped afterwards, so this process holds no
    // connection to the file while the server runs and is killed.
    let seeded = tokio::runtime::Runtime::new()
        .unwrap()
        .block_on(seed_load(&url, &dir))
        .expect("seeding");
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let mut server = ServerProcess::start(&dir, &url, "server-1", &[]);
        let addr = server.addr.clone();
        let categories = request(
            &addr,
            "GET",
            &format!("/api/v1/hromadas/{KHERSON}/appeal-categories"),
            None,
            None,
        )
        .await
        .unwrap();
        assert_eq!(categories.status, 200);
        let category = categories.json()[0]["id"]
            .as_str()
            .expect("a category")
            .to_owned();
        println!("faults: seeded and started in {:?}", t0.elapsed());

        // Kill after a third of the writes are acknowledged, in the middle of the load.
        let total = seeded.people.len() * 2;
        let pid = server.child.id();
        let t = Instant::now();
        let acked = load(&addr, &seeded, &category, total / 3, move || {
            // SIGKILL by pid: the process cannot flush or clean anything up.
            let _ = Command::new("kill").args(["-KILL", &pid.to_string()]).status();
        })
        .await;
        server.kill();
        println!(
            "faults: killed after {:?}: {} requests sent, {} signatures and {} appeals acknowledged",
            t.elapsed(),
            acked.sent,
            acked.signers.len(),
            acked.appeals.len()
        );
        assert!(!acked.signers.is_empty() && !acked.appeals.is_empty());
        assert!(
            acked.sent < total,
            "the load finished before the kill: nothing was in flight"
        );
        drop(server);

        // Restarted on the same file.
        let server = ServerProcess::start(&dir, &url, "server-2", &[]);
        let (counter, rows, signers, appeals) = stored(&url, &seeded.petition).await;
        let author = 1;
        assert_eq!(i64::from(counter), rows, "the counter and the rows disagree");
        assert!(
            rows as usize >= acked.signers.len() + author,
            "{rows} signature rows for {} acknowledged",
            acked.signers.len()
        );
        let lost: Vec<_> = acked.signers.difference(&signers).collect();
        assert!(lost.is_empty(), "acknowledged signatures lost: {lost:?}");
        let lost: Vec<_> = acked
            .appeals
            .iter()
            .filter(|(id, _)| !appeals.contains(id))
            .collect();
        assert!(lost.is_empty(), "acknowledged appeals lost: {lost:?}");
        // Unacknowledged writes may have landed too, but none that was never sent.
        assert!(rows as usize + appeals.len() <= acked.sent + author);
        println!(
            "faults: after the restart: {rows} signature rows (the author's and {} unacknowledged \
             included), {} appeals ({} unacknowledged)",
            rows as usize - author - acked.signers.len(),
            appeals.len(),
            appeals.len() - acked.appeals.len()
        );

        // And through the API of the restarted server.
        let p = request(
            &server.addr,
            "GET",
            &format!("/api/v1/petitions/{}", seeded.petition),
            None,
            None,
        )
        .await
        .unwrap();
        assert_eq!(p.status, 200);
        assert_eq!(p.json()["signatures"], counter);
        let mut c = connect(&server.addr).await.unwrap();
        for (id, session) in &acked.appeals {
            let r = exchange(&mut c, "GET", &format!("/api/v1/appeals/{id}"), Some(session), None)
                .await
                .unwrap();
            assert_eq!(r.status, 200, "appeal {id}");
        }
        // It takes writes again: one more signature counts.
        let (user, session) = seeded
            .people
            .iter()
            .find(|(u, _)| !signers.contains(u))
            .expect("someone who has not signed");
        let r = request(
            &server.addr,
            "POST",
            &format!("/api/v1/petitions/{}/signatures", seeded.petition),
            Some(session),
            None,
        )
        .await
        .unwrap();
        assert_eq!(r.status, 201, "{user}: {}", String::from_utf8_lossy(&r.body));
        assert_eq!(r.json()["signatures"], counter + 1);
        drop(server);
    });
    let _ = std::fs::remove_dir_all(&dir);
    println!("faults: SIGKILL test took {:?}", t0.elapsed());
}
