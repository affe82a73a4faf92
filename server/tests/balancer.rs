//! The server as a deployment runs it (issue 26): three real processes on one PostgreSQL
//! database, behind nginx from Debian configured with the project's own proxy settings
//! (`deploy/nginx/`). Run under `scripts/with-postgres.sh` (`make pg-test`); skipped on
//! SQLite, which serves one process.

mod common;

use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::KHERSON;
use common::balancer::Nginx;
use common::process::ServerProcess;
use hromada_api::petitions::{Moderation, NewPetition};
use hromada_server::db::{Db, NewUser};
use hromada_server::domain::accounts::{self, Account};
use hromada_server::domain::{clock, ids, petitions::seed};
use serde_json::{Value, json};
use sqlx::Row;

/// How long an event or a state may take before the test gives up (the goal for events,
/// 2 s, is measured in `make bench`).
const PATIENCE: Duration = Duration::from_secs(15);

/// One cluster at a time: each is three servers and a load.
static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// Three processes with the demo content on a fresh database, and nginx in front.
struct Cluster {
    dir: std::path::PathBuf,
    db: Db,
    procs: Vec<ServerProcess>,
    nginx: Nginx,
    client: reqwest::Client,
}

impl Cluster {
    async fn start(name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("hromada-{name}-{}", ids::new_id()));
        std::fs::create_dir_all(&dir).expect("a folder");
        let url = common::fresh_database(&dir).await;
        let env = [
            ("HROMADA_DEMO", "1"),
            ("HROMADA_TRUSTED_PROXIES", "127.0.0.1"),
        ];
        let procs: Vec<ServerProcess> = ["a", "b", "c"]
            .iter()
            .map(|n| ServerProcess::start(&dir, &url, n, &env))
            .collect();
        let addrs: Vec<&str> = procs.iter().map(|p| p.addr.as_str()).collect();
        let nginx = Nginx::start(&dir, &addrs);
        let db = Db::connect(&url).await.expect("the database");
        Self {
            dir,
            db,
            procs,
            nginx,
            client: reqwest::Client::builder()
                .pool_max_idle_per_host(64)
                .build()
                .expect("a client"),
        }
    }

    /// Which process an address is (`a`, `b`, `c`), from nginx's `X-Upstream`.
    fn which(&self, upstream: &str) -> Option<usize> {
        let last = upstream.rsplit(',').next()?.trim();
        self.procs.iter().position(|p| p.addr == last)
    }

    /// Everything the processes and nginx wrote, for a failing assertion.
    fn logs(&self) -> String {
        let mut s = String::new();
        for p in &self.procs {
            s.push_str(&format!("--- {}\n{}\n", p.addr, p.output()));
        }
        s.push_str(&format!("--- nginx\n{}", self.nginx.errors()));
        s
    }

    /// `n` verified residents of Kherson, signed in: `(id, session token)`.
    async fn residents(&self, n: usize, tag: &str) -> Vec<(String, String)> {
        let now = clock::now_rfc3339();
        let users: Vec<NewUser> = (0..n)
            .map(|i| NewUser {
                id: ids::new_id(),
                email: format!("{tag}{i}@balancer.example"),
                password_hash: "!".into(),
                full_name: format!("Мешканка {tag} {i}"),
                address: "вул. Соборна, 1, м. Херсон".into(),
                hromada: KHERSON.into(),
                created_at: now.clone(),
            })
            .collect();
        for chunk in users.chunks(2_000) {
            self.db
                .insert_verified_users(chunk)
                .await
                .expect("residents");
        }
        let mut out = Vec::with_capacity(n);
        for u in users {
            let token = accounts::start_session(&self.db, &u.id)
                .await
                .expect("a session");
            out.push((u.id, token));
        }
        out
    }

    /// A collecting petition by `author` that needs more signatures than any test gives.
    async fn petition(&self, author: &str, title: &str) -> String {
        let row = self
            .db
            .user_by_id(author)
            .await
            .expect("the author")
            .expect("the author exists");
        let author = Account::load(&self.db, row).await.expect("an account");
        let now = clock::now_millis();
        let id = seed::submit(
            &self.db,
            KHERSON,
            &author,
            &NewPetition {
                title: title.into(),
                text: "Прошу міську раду розглянути це питання на найближчій сесії.".into(),
            },
            now - 60_000,
        )
        .await
        .expect("submitted");
        seed::moderate(
            &self.db,
            &id,
            &Moderation::Publish,
            now - 30_000,
            100_000,
            60,
        )
        .await
        .expect("published");
        id
    }

    async fn signatures(&self, petition: &str) -> (i64, i64) {
        let counted: i64 = sqlx::query("SELECT signatures FROM petitions WHERE id = $1")
            .bind(petition.to_owned())
            .fetch_one(self.db.pool())
            .await
            .expect("the petition")
            .get(0);
        let rows: i64 =
            sqlx::query("SELECT COUNT(*) FROM petition_signatures WHERE petition_id = $1")
                .bind(petition.to_owned())
                .fetch_one(self.db.pool())
                .await
                .expect("its signatures")
                .get(0);
        (counted, rows)
    }

    async fn staff_cookie(&self, api: &str) -> String {
        common::process::session_cookie(&self.client, api, "staff@demo.example", "demo-password")
            .await
            .expect("the demo staff member signs in")
    }

    /// `GET url` as JSON.
    async fn get_json(&self, url: &str) -> Value {
        self.client
            .get(url)
            .send()
            .await
            .expect("a GET")
            .json()
            .await
            .expect("JSON")
    }

    /// Publishes a danger alert through `api`; returns the process that took it.
    async fn alert(&self, api: &str, cookie: &str, text: &str) -> String {
        let r = self
            .client
            .post(format!("{api}/hromadas/{KHERSON}/alerts"))
            .header("cookie", cookie)
            .json(&json!({
                "severity": "danger",
                "text": text,
                "expires_at": clock::rfc3339(clock::now_millis() + 3_600_000),
            }))
            .send()
            .await
            .expect("publish an alert");
        let upstream = header(&r, "x-upstream");
        assert_eq!(
            r.status().as_u16(),
            201,
            "the alert is published (through {upstream}):\n{}",
            self.logs()
        );
        upstream
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        self.procs.clear();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn header(r: &reqwest::Response, name: &str) -> String {
    r.headers()
        .get(name)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

/// A resident's event stream through nginx that, like the browser's `EventSource`,
/// reconnects when it ends, sending the number of the last event it got.
struct Listener {
    /// Every event's `(id, data)`, in order of arrival.
    events: Arc<Mutex<Vec<(i64, String)>>>,
    /// The process (`X-Upstream`) of each connection, in order.
    upstreams: Arc<Mutex<Vec<String>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Listener {
    fn open(client: &reqwest::Client, api: &str) -> Self {
        Self::open_as(client, api, None)
    }

    /// The stream of the resident signed in with `token` (their notifications too).
    fn open_as(client: &reqwest::Client, api: &str, token: Option<&str>) -> Self {
        let cookie = token.map(|t| format!("hromada_session={t}"));
        let events: Arc<Mutex<Vec<(i64, String)>>> = Arc::default();
        let upstreams: Arc<Mutex<Vec<String>>> = Arc::default();
        let (client, url) = (client.clone(), format!("{api}/hromadas/{KHERSON}/events"));
        let (ev, up) = (events.clone(), upstreams.clone());
        let task = tokio::spawn(async move {
            loop {
                let last = ev.lock().unwrap().last().map(|(id, _)| *id);
                let mut req = client.get(&url);
                if let Some(c) = &cookie {
                    req = req.header("cookie", c);
                }
                if let Some(id) = last.filter(|id| *id > 0) {
                    req = req.header("last-event-id", id.to_string());
                }
                if let Ok(mut r) = req.send().await
                    && r.status().is_success()
                {
                    up.lock().unwrap().push(header(&r, "x-upstream"));
                    let mut buf = String::new();
                    while let Ok(Some(chunk)) = r.chunk().await {
                        buf.push_str(&String::from_utf8_lossy(&chunk));
                        while let Some(end) = buf.find("\n\n") {
                            let block: String = buf.drain(..end + 2).collect();
                            let id = block
                                .lines()
                                .find_map(|l| l.strip_prefix("id:"))
                                .and_then(|v| v.trim().parse::<i64>().ok());
                            let data: String = block
                                .lines()
                                .filter_map(|l| l.strip_prefix("data:"))
                                .collect();
                            if let Some(id) = id {
                                ev.lock().unwrap().push((id, data));
                            }
                        }
                    }
                }
                // The server's `retry` is 2 s; a test need not wait that long.
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
        });
        Self {
            events,
            upstreams,
            task,
        }
    }

    /// The process that holds the stream now.
    fn upstream(&self) -> String {
        self.upstreams
            .lock()
            .unwrap()
            .last()
            .cloned()
            .unwrap_or_default()
    }

    async fn connected(&self) {
        let deadline = Instant::now() + PATIENCE;
        while self.upstreams.lock().unwrap().is_empty() {
            assert!(Instant::now() < deadline, "the stream never opened");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// How many events carrying `text` it got (waiting until there is at least one).
    async fn got(&self, text: &str) -> usize {
        let deadline = Instant::now() + PATIENCE;
        loop {
            let n = self
                .events
                .lock()
                .unwrap()
                .iter()
                .filter(|(_, d)| d.contains(text))
                .count();
            if n > 0 || Instant::now() > deadline {
                return n;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }

    /// Whether some event number came twice.
    fn repeated(&self) -> bool {
        let events = self.events.lock().unwrap();
        let ids: HashSet<i64> = events.iter().map(|(id, _)| *id).collect();
        ids.len() != events.len()
    }
}

impl Drop for Listener {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// What a load of signatures came to.
#[derive(Default)]
struct Load {
    /// Residents whose signature the server acknowledged (201, or 200 repeating a 201).
    acknowledged: Mutex<Vec<String>>,
    /// Residents whose first try was stored but not answered (its process died), found
    /// signed on a retry.
    late: Mutex<Vec<String>>,
    /// Residents who gave up (no answer but failures after every try).
    gave_up: Mutex<Vec<String>>,
    /// Tries that failed (no answer, a 5xx, or 409 while the first try ran) and were made
    /// again.
    retried: AtomicUsize,
    /// What the test is doing now (set by the test; see [`Phase`]).
    phase: AtomicUsize,
    /// Failed tries (no answer, or a 5xx) in each phase.
    failed_in: Mutex<HashMap<usize, usize>>,
    /// Answers by status, and by process.
    statuses: Mutex<HashMap<u16, usize>>,
    upstreams: Mutex<HashMap<String, usize>>,
}

/// The phases of the restart test.
#[derive(Debug, Clone, Copy)]
enum Phase {
    Steady = 0,
    Killed = 1,
    RollingRestart = 2,
}

impl Load {
    fn failed(&self) {
        let phase = self.phase.load(Ordering::Relaxed);
        *self.failed_in.lock().unwrap().entry(phase).or_default() += 1;
    }

    fn failed_in(&self, phase: Phase) -> usize {
        self.failed_in
            .lock()
            .unwrap()
            .get(&(phase as usize))
            .copied()
            .unwrap_or(0)
    }
}

/// Every resident in `queue` signs `petition` through `api`, `workers` at a time, each with
/// an `Idempotency-Key` kept across its tries, as the app does; a try that got no answer,
/// a 5xx or a 409 (the key's first try still running) is made again, for up to a minute.
async fn sign_all(
    client: &reqwest::Client,
    api: &str,
    petition: &str,
    queue: VecDeque<(String, String)>,
    workers: usize,
    load: Arc<Load>,
) -> Arc<Load> {
    let queue = Arc::new(Mutex::new(queue));
    let mut tasks = Vec::new();
    for _ in 0..workers {
        let (client, queue, load) = (client.clone(), queue.clone(), load.clone());
        let url = format!("{api}/petitions/{petition}/signatures");
        tasks.push(tokio::spawn(async move {
            loop {
                let Some((user, token)) = queue.lock().unwrap().pop_front() else {
                    return;
                };
                let mut done = false;
                let deadline = Instant::now() + Duration::from_secs(60);
                while Instant::now() < deadline {
                    let sent = client
                        .post(&url)
                        .header("cookie", format!("hromada_session={token}"))
                        .header("x-hromada-client", "test")
                        .header("idempotency-key", format!("sign-{user}"))
                        .timeout(Duration::from_secs(30))
                        .send()
                        .await;
                    if let Ok(r) = sent {
                        let status = r.status().as_u16();
                        *load.statuses.lock().unwrap().entry(status).or_default() += 1;
                        *load
                            .upstreams
                            .lock()
                            .unwrap()
                            .entry(header(&r, "x-upstream"))
                            .or_default() += 1;
                        if status == 201 || status == 200 {
                            load.acknowledged.lock().unwrap().push(user.clone());
                            done = true;
                            break;
                        }
                        let body = r.text().await.unwrap_or_default();
                        // A try whose process died after the signature was stored but
                        // before it answered: the retry finds it signed.
                        if status == 409 && body.contains("already signed") {
                            load.late.lock().unwrap().push(user.clone());
                            done = true;
                            break;
                        }
                        // 409 "still being processed": the first try is running, or
                        // its process died holding the key (taken over after 30 s).
                        let running = status == 409 && body.contains("still being processed");
                        if status < 500 && !running {
                            panic!("signing answered {status}: {body}");
                        }
                        if status >= 500 {
                            load.failed();
                        }
                    } else {
                        load.failed();
                    }
                    load.retried.fetch_add(1, Ordering::Relaxed);
                    tokio::time::sleep(Duration::from_millis(100)).await;
                }
                if !done {
                    load.gave_up.lock().unwrap().push(user);
                }
            }
        }));
    }
    for t in tasks {
        t.await.expect("a signing worker");
    }
    load
}

/// Every acknowledged signature is in the database, and the petition's count equals its
/// rows.
async fn assert_nothing_lost(c: &Cluster, petition: &str, load: &Load) {
    let mut acknowledged = load.acknowledged.lock().unwrap().clone();
    acknowledged.extend(load.late.lock().unwrap().iter().cloned());
    let stored: HashSet<String> =
        sqlx::query("SELECT user_id FROM petition_signatures WHERE petition_id = $1")
            .bind(petition.to_owned())
            .fetch_all(c.db.pool())
            .await
            .expect("the signatures")
            .iter()
            .map(|r| r.get::<String, _>(0))
            .collect();
    let lost: Vec<&String> = acknowledged
        .iter()
        .filter(|u| !stored.contains(*u))
        .collect();
    assert!(
        lost.is_empty(),
        "{} acknowledged signatures are not stored",
        lost.len()
    );
    let (counted, rows) = c.signatures(petition).await;
    assert_eq!(counted, rows, "the petition's count equals its signatures");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn three_processes_behind_nginx_act_as_one_server() {
    if !common::on_postgres("balancer") {
        return;
    }
    let _one = ONE_AT_A_TIME.lock().await;
    let c = Cluster::start("balancer").await;
    let api = c.nginx.api();

    // 1. A resident's stream held by one process gets the alert staff published through
    // another. nginx spreads the streams by open connections: three land on three
    // processes.
    let listeners: Vec<Listener> = (0..3).map(|_| Listener::open(&c.client, &api)).collect();
    for l in &listeners {
        l.connected().await;
    }
    let held: HashSet<Option<usize>> = listeners.iter().map(|l| c.which(&l.upstream())).collect();
    assert_eq!(held.len(), 3, "one stream on each process: {held:?}");
    let cookie = c.staff_cookie(&api).await;
    let published = Instant::now();
    let by = c
        .alert(&api, &cookie, "Повітряна тривога через nginx")
        .await;
    for l in &listeners {
        assert_eq!(
            l.got("Повітряна тривога через nginx").await,
            1,
            "the stream on {} got the alert published through {by} once",
            l.upstream()
        );
    }
    eprintln!(
        "balancer: the alert published through {by} reached the streams on all three processes within {:?}",
        published.elapsed()
    );
    drop(listeners);

    // 2. Sessions, idempotency and rate limits live in the database: a key used on one
    // process and retried on another returns the first result.
    let people = c.residents(1_003, "r").await;
    let petition = c
        .petition(&people[0].0, "Встановити укриття біля школи № 5")
        .await;
    let (user, token) = &people[1];
    let sign_on = |p: &ServerProcess| {
        c.client
            .post(format!("{}/petitions/{petition}/signatures", p.api()))
            .header("cookie", format!("hromada_session={token}"))
            .header("x-hromada-client", "test")
            .header("idempotency-key", format!("retry-{user}"))
            .send()
    };
    let first = sign_on(&c.procs[0]).await.expect("sign on A");
    assert_eq!(first.status().as_u16(), 201);
    let first: Value = first.json().await.expect("the signature");
    let again = sign_on(&c.procs[1]).await.expect("retry on B");
    assert_eq!(
        again.status().as_u16(),
        201,
        "the retry on another process returns the first result"
    );
    assert_eq!(again.json::<Value>().await.expect("the signature"), first);
    let plain = c
        .client
        .post(format!(
            "{}/petitions/{petition}/signatures",
            c.procs[2].api()
        ))
        .header("cookie", format!("hromada_session={token}"))
        .header("x-hromada-client", "test")
        .send()
        .await
        .expect("sign again on C");
    assert_eq!(
        plain.status().as_u16(),
        409,
        "without the key, signing twice is refused on any process"
    );
    // Sign-ups from one address count together whichever process takes them.
    let mut accepted = 0;
    let mut refused_at = None;
    for i in 0..hromada_server::domain::throttle::SIGNUP_IP_LIMIT + 1 {
        let p = &c.procs[i as usize % 3];
        let r = c
            .client
            .post(format!("{}/auth/register", p.api()))
            .json(&json!({
                "email": format!("new{i}@balancer.example"),
                "password": common::GOOD_PASSWORD,
                "full_name": "Олена Петренко",
                "hromada": KHERSON,
                "address": "вул. Соборна, 1, м. Херсон",
            }))
            .send()
            .await
            .expect("sign up");
        match r.status().as_u16() {
            201 => accepted += 1,
            429 => {
                refused_at = Some(i);
                break;
            }
            s => panic!("sign-up answered {s}"),
        }
    }
    assert_eq!(
        (accepted, refused_at),
        (
            hromada_server::domain::throttle::SIGNUP_IP_LIMIT,
            Some(hromada_server::domain::throttle::SIGNUP_IP_LIMIT)
        ),
        "the limit of sign-ups per address holds across the processes"
    );

    // 3. 1,000 concurrent signatures by distinct verified residents, spread over the three
    // processes, count exactly.
    let queue: VecDeque<(String, String)> = people[2..1_002].iter().cloned().collect();
    let started = Instant::now();
    let load = sign_all(&c.client, &api, &petition, queue, 1_000, Arc::default()).await;
    eprintln!(
        "balancer: 1,000 concurrent signatures in {:?}; by process {:?}; statuses {:?}",
        started.elapsed(),
        load.upstreams.lock().unwrap(),
        load.statuses.lock().unwrap()
    );
    assert_eq!(load.acknowledged.lock().unwrap().len(), 1_000);
    assert_eq!(load.retried.load(Ordering::Relaxed), 0, "no try failed");
    let spread: HashSet<Option<usize>> = load
        .upstreams
        .lock()
        .unwrap()
        .keys()
        .map(|u| c.which(u))
        .collect();
    assert_eq!(spread.len(), 3, "every process took signatures: {spread:?}");
    // The author's, the idempotency check's, and the thousand.
    assert_eq!(c.signatures(&petition).await, (1_002, 1_002));
    for p in &c.procs {
        let shown = c
            .get_json(&format!("{}/petitions/{petition}", p.api()))
            .await;
        assert_eq!(shown["signatures"], 1_002, "{} shows the count", p.addr);
    }

    // 4. A petition whose period ends while three processes run becomes "not supported"
    // once and makes one appeal in the inbox, not three.
    let author = &people[1_002];
    let ending = c
        .petition(&author.0, "Відремонтувати дорогу до амбулаторії")
        .await;
    sqlx::query("UPDATE petitions SET ends_at = $1 WHERE id = $2")
        .bind(clock::rfc3339(clock::now_millis() + 2_000))
        .bind(ending.clone())
        .execute(c.db.pool())
        .await
        .expect("the period ends in two seconds");
    let watch = Listener::open_as(&c.client, &api, Some(&author.1));
    watch.connected().await;
    let deadline = Instant::now() + PATIENCE;
    loop {
        let p = c.get_json(&format!("{api}/petitions/{ending}")).await;
        if p["status"] == "not_supported" {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the petition never became not supported: {p}\n{}",
            c.logs()
        );
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    // Three more ticks of every process: nothing is done again.
    tokio::time::sleep(Duration::from_secs(3)).await;
    let appeals: i64 = sqlx::query("SELECT COUNT(*) FROM appeals WHERE author_id = $1")
        .bind(author.0.clone())
        .fetch_one(c.db.pool())
        .await
        .expect("the appeals")
        .get(0);
    assert_eq!(appeals, 1, "one appeal in the inbox, not one per process");
    let ended_events = watch
        .events
        .lock()
        .unwrap()
        .iter()
        .filter(|(_, d)| d.contains("petition_not_supported") && d.contains(&ending))
        .count();
    assert_eq!(ended_events, 1, "the author is told once");
    assert!(!watch.repeated());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn processes_killed_or_restarted_under_load_lose_no_acknowledged_write() {
    if !common::on_postgres("balancer") {
        return;
    }
    let _one = ONE_AT_A_TIME.lock().await;
    let mut c = Cluster::start("restarts").await;
    let api = c.nginx.api();
    let people = c.residents(3_001, "k").await;
    let petition = c
        .petition(&people[0].0, "Облаштувати пункт незламності в бібліотеці")
        .await;
    let listeners: Vec<Listener> = (0..6).map(|_| Listener::open(&c.client, &api)).collect();
    for l in &listeners {
        l.connected().await;
    }

    // The load: every resident signs, 16 at a time, through nginx, for as long as the
    // processes are killed and restarted.
    let queue: VecDeque<(String, String)> = people[1..].iter().cloned().collect();
    let load = Arc::new(Load::default());
    let running = {
        let (client, api, petition, load) = (
            c.client.clone(),
            api.clone(),
            petition.clone(),
            load.clone(),
        );
        tokio::spawn(async move { sign_all(&client, &api, &petition, queue, 16, load).await })
    };
    tokio::time::sleep(Duration::from_secs(1)).await;

    // SIGKILL one process under load; its streams reconnect to the others.
    let on_b = |ls: &[Listener], c: &Cluster| {
        ls.iter()
            .filter(|l| c.which(&l.upstream()) == Some(1))
            .count()
    };
    assert!(on_b(&listeners, &c) > 0, "some streams are held by B");
    load.phase.store(Phase::Killed as usize, Ordering::Relaxed);
    c.procs[1].kill();
    let deadline = Instant::now() + PATIENCE;
    while on_b(&listeners, &c) > 0 {
        assert!(
            Instant::now() < deadline,
            "the streams of the killed process did not reconnect"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let cookie = c.staff_cookie(&api).await;
    c.alert(&api, &cookie, "Тривога після падіння процесу B")
        .await;
    for l in &listeners {
        assert_eq!(l.got("Тривога після падіння процесу B").await, 1);
    }
    c.procs[1].restart();
    // Two seconds for nginx to try B again (fail_timeout).
    tokio::time::sleep(Duration::from_secs(2)).await;

    // A rolling restart: each process in turn gets SIGTERM, ends within 10 s, and starts
    // again; the load goes on.
    load.phase
        .store(Phase::RollingRestart as usize, Ordering::Relaxed);
    for i in 0..3 {
        tokio::time::sleep(Duration::from_millis(700)).await;
        let took = tokio::task::block_in_place(|| c.procs[i].terminate(Duration::from_secs(12)));
        let took = took.unwrap_or_else(|| {
            panic!(
                "process {i} did not end within 12 s of SIGTERM:\n{}",
                c.procs[i].output()
            )
        });
        eprintln!("balancer: process {i} ended {took:?} after SIGTERM");
        assert!(
            took < Duration::from_secs(10) && !c.procs[i].output().contains("stopping anyway"),
            "it finished what it had started, within 10 s ({took:?}):\n{}",
            c.procs[i].output()
        );
        tokio::task::block_in_place(|| c.procs[i].restart());
    }
    load.phase.store(Phase::Steady as usize, Ordering::Relaxed);
    // The streams that were told to reconnect did, and get the next alert once; what was
    // published while they reconnected they got on reconnecting (Last-Event-ID).
    c.alert(&api, &cookie, "Тривога після перезапуску").await;
    for l in &listeners {
        assert_eq!(l.got("Тривога після перезапуску").await, 1);
        assert_eq!(l.got("Тривога після падіння процесу B").await, 1);
        assert!(!l.repeated(), "no event came twice");
        assert!(
            l.upstreams.lock().unwrap().len() >= 2,
            "every stream was told to reconnect at least once"
        );
    }

    let load = running.await.expect("the load");
    eprintln!(
        "balancer: {} tries failed after SIGKILL, {} during the rolling restart",
        load.failed_in(Phase::Killed),
        load.failed_in(Phase::RollingRestart)
    );
    eprintln!(
        "balancer: {} signatures acknowledged, {} found stored on a retry, {} tries made again, {} gave up; statuses {:?}",
        load.acknowledged.lock().unwrap().len(),
        load.late.lock().unwrap().len(),
        load.retried.load(Ordering::Relaxed),
        load.gave_up.lock().unwrap().len(),
        load.statuses.lock().unwrap()
    );
    assert_nothing_lost(&c, &petition, &load).await;
    assert_eq!(
        load.failed_in(Phase::RollingRestart),
        0,
        "a process stopped with SIGTERM fails no request: it leaves nginx first"
    );
    assert!(
        load.gave_up.lock().unwrap().is_empty(),
        "every resident's signature got through in the end"
    );
    assert_eq!(
        load.acknowledged.lock().unwrap().len() + load.late.lock().unwrap().len(),
        3_000
    );
    drop(listeners);
}

#[tokio::test]
async fn the_deployed_example_serves_over_tls_and_http2() {
    if !common::on_postgres("balancer") {
        return;
    }
    let _one = ONE_AT_A_TIME.lock().await;
    let dir = std::env::temp_dir().join(format!("hromada-tls-{}", ids::new_id()));
    let home = dir.join("nginx");
    std::fs::create_dir_all(home.join("temp")).expect("a folder");
    for d in [&home, &home.join("temp")] {
        let _ = std::process::Command::new("chmod")
            .arg("777")
            .arg(d)
            .status();
    }
    let url = common::fresh_database(&dir).await;
    let server = ServerProcess::start(&dir, &url, "a", &[]);
    let (cert, key) = (home.join("cert.pem"), home.join("key.pem"));
    let made = std::process::Command::new("openssl")
        .args([
            "req",
            "-x509",
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
        ])
        .args(["-nodes", "-days", "1", "-subj", "/CN=localhost", "-keyout"])
        .arg(&key)
        .arg("-out")
        .arg(&cert)
        .output()
        .expect("openssl");
    assert!(made.status.success(), "{made:?}");
    let free = || {
        std::net::TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a port")
            .port()
    };
    let (https, http) = (free(), free());
    // The shipped site, pointed at this process, these ports and this certificate.
    let site = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../deploy/nginx/hromada.conf"),
    )
    .expect("deploy/nginx/hromada.conf");
    let mut upstream_done = false;
    let site: String = site
        .lines()
        .filter(|l| !l.contains("listen [::]"))
        .filter_map(|l| {
            let t = l.trim();
            Some(if t.starts_with("server 127.0.0.1:808") {
                if upstream_done {
                    return None;
                }
                upstream_done = true;
                format!("    server {};", server.addr)
            } else if t == "listen 80;" {
                format!("    listen 127.0.0.1:{http};")
            } else if t == "listen 443 ssl http2;" {
                format!("    listen 127.0.0.1:{https} ssl http2;")
            } else if t.starts_with("ssl_certificate ") {
                format!("    ssl_certificate {};", cert.display())
            } else if t.starts_with("ssl_certificate_key ") {
                format!("    ssl_certificate_key {};", key.display())
            } else if t.starts_with("include ") {
                format!("    include {};", common::balancer::proxy_conf().display())
            } else {
                l.to_owned()
            })
        })
        .collect::<Vec<_>>()
        .join("\n");
    assert!(upstream_done, "the example names its processes");
    let temp = home.join("temp");
    let conf = format!(
        "worker_processes 1;\nerror_log {h}/error.log warn;\npid {h}/nginx.pid;\n\
         events {{ worker_connections 256; }}\nhttp {{\n access_log off;\n \
         client_body_temp_path {t}/body;\n proxy_temp_path {t}/proxy;\n \
         fastcgi_temp_path {t}/fastcgi;\n uwsgi_temp_path {t}/uwsgi;\n \
         scgi_temp_path {t}/scgi;\n{site}\n}}\n",
        h = home.display(),
        t = temp.display(),
    );
    std::fs::write(home.join("nginx.conf"), conf).expect("nginx.conf");
    let mut nginx = std::process::Command::new(common::balancer::NGINX)
        .arg("-e")
        .arg(home.join("error.log"))
        .arg("-p")
        .arg(&home)
        .arg("-c")
        .arg(home.join("nginx.conf"))
        .args(["-g", "daemon off;"])
        .spawn()
        .expect("nginx");
    let client = reqwest::Client::builder()
        .danger_accept_invalid_certs(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("a client");
    let deadline = Instant::now() + PATIENCE;
    let health = loop {
        match client
            .get(format!("https://localhost:{https}/api/v1/health"))
            .send()
            .await
        {
            Ok(r) => break r,
            Err(e) => {
                assert!(
                    Instant::now() < deadline,
                    "nginx with the example never answered: {e}\n{}",
                    std::fs::read_to_string(home.join("error.log")).unwrap_or_default()
                );
                tokio::time::sleep(Duration::from_millis(100)).await;
            }
        }
    };
    assert_eq!(health.status().as_u16(), 200);
    assert_eq!(
        health.version(),
        reqwest::Version::HTTP_2,
        "served over HTTP/2"
    );
    let body: Value = health.json().await.expect("json");
    assert_eq!(body["database"], "postgres");
    // Plain HTTP is sent to HTTPS.
    let plain = client
        .get(format!("http://127.0.0.1:{http}/hromadas"))
        .send()
        .await
        .expect("plain http");
    assert_eq!(plain.status().as_u16(), 301);
    // Behind it the server knows it is served over TLS (X-Forwarded-Proto: https).
    let again = client
        .get(format!("https://localhost:{https}/api/v1/health"))
        .send()
        .await
        .expect("health");
    assert!(
        again.headers().contains_key("strict-transport-security"),
        "{:?}",
        again.headers()
    );
    common::balancer::stop(&mut nginx);
    drop(server);
    let _ = std::fs::remove_dir_all(&dir);
}
