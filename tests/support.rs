//! Support for the end-to-end tests: the reference server on a fresh database, chromedriver,
//! headless Chromium sessions, and the waiting and screenshot helpers the scenarios use;
//! and what the suites share beyond that: the demo's accounts, the API called from inside a
//! browser with its session ([`api`], [`Reply`], [`ensure_problem`]…), signing people up
//! and in, and the common steps ([`sign_in`], [`set_language`], [`select`], the bell, field
//! errors).
//!
//! Every process started here is put in its own process group and killed with that group
//! when its handle is dropped, so a failing or panicking test leaves nothing running.
//!
//! Configuration, all optional (relative paths are taken from the workspace's root):
//!
//! | variable | default |
//! | --- | --- |
//! | `HROMADA_SERVER_BIN` | `<workspace>/target/debug/hromada-server` |
//! | `HROMADA_DIST` | `<workspace>/dist` (the app built by `trunk build --release --offline`) |
//! | `CHROMEDRIVER` | `/usr/bin/chromedriver` |
//! | `CHROME` | `/usr/bin/chromium` |
//! | `HROMADA_SCREENSHOTS=1` | save screenshots of the scenarios to `tests/screenshots/` |
//!
//! The browsers run in Kyiv time (`TZ=Europe/Kyiv`), as residents' phones do.
//!
//! Screenshots of a failed scenario are saved to `tests/screenshots/` whatever the setting.

use std::fmt;
use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

pub use fantoccini::elements::Element;
pub use fantoccini::{Client, Locator};
use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::process::{Child, Command};

/// The demo hromada: Херсонська громада.
pub const KHERSON: &str = "UA65100150000057191";
/// Its name, as the app shows it.
pub const KHERSON_NAME: &str = "Херсонська";

/// How long a scenario waits for something to appear in the browser.
pub const WAIT: Duration = Duration::from_secs(15);
/// How long the server may take to migrate, load the communities and the demo content.
const SERVER_START: Duration = Duration::from_secs(60);
/// How long chromedriver may take to start listening.
const DRIVER_START: Duration = Duration::from_secs(20);
/// How often the waits look again.
const POLL: Duration = Duration::from_millis(100);

/// The desktop window size the browsers start with.
pub const DESKTOP: (u32, u32) = (1280, 800);
/// A small phone.
pub const PHONE: (u32, u32) = (360, 640);

// ---------------------------------------------------------------------------------------
// Failures
// ---------------------------------------------------------------------------------------

/// Why a scenario failed: a sentence for the person reading the test output.
#[derive(Debug)]
pub struct Failure(pub String);

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl<E: std::error::Error> From<E> for Failure {
    fn from(e: E) -> Self {
        Self(e.to_string())
    }
}

/// The result of a step of a scenario.
pub type Result<T = ()> = std::result::Result<T, Failure>;

/// Fails the scenario with a message unless the condition holds.
#[macro_export]
macro_rules! ensure {
    ($cond:expr, $($msg:tt)+) => {
        if !$cond {
            return Err($crate::Failure(format!($($msg)+)));
        }
    };
}

// ---------------------------------------------------------------------------------------
// Paths and configuration
// ---------------------------------------------------------------------------------------

/// The workspace's root folder.
pub fn workspace_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ lies inside the workspace")
        .to_path_buf()
}

/// A path from the environment; a relative one is taken from the workspace's root (the
/// tests themselves run in `tests/`, and `make` runs in the root).
fn env_path(var: &str) -> Option<PathBuf> {
    std::env::var_os(var)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .map(|p| {
            if p.is_absolute() {
                p
            } else {
                workspace_dir().join(p)
            }
        })
}

/// The reference server's binary: `HROMADA_SERVER_BIN`, or the debug build in the
/// workspace's target folder.
pub fn server_bin() -> PathBuf {
    env_path("HROMADA_SERVER_BIN").unwrap_or_else(|| {
        let target = env_path("CARGO_TARGET_DIR").unwrap_or_else(|| workspace_dir().join("target"));
        target.join("debug").join("hromada-server")
    })
}

/// The built web app: `HROMADA_DIST`, or `<workspace>/dist`.
pub fn dist_dir() -> PathBuf {
    env_path("HROMADA_DIST").unwrap_or_else(|| workspace_dir().join("dist"))
}

/// Where screenshots go: `tests/screenshots/` (ignored by git).
pub fn screenshots_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("screenshots")
}

/// Whether the scenarios save screenshots as they go (`HROMADA_SCREENSHOTS=1`).
pub fn screenshots_wanted() -> bool {
    std::env::var("HROMADA_SCREENSHOTS").is_ok_and(|v| v == "1" || v == "true")
}

/// Stops the test with a clear message when the app or the server has not been built.
pub fn check_built() {
    const HOW: &str = "Run `make test`, which builds everything the end-to-end tests need, \
        or build the pieces yourself: `trunk build --release --offline` (the app, into dist/) \
        and `cargo build -p hromada-server` (the server).";
    let index = dist_dir().join("index.html");
    assert!(
        index.is_file(),
        "The built web app is missing: {} does not exist (HROMADA_DIST overrides the folder). {HOW}",
        index.display()
    );
    let bin = server_bin();
    assert!(
        bin.is_file(),
        "The server binary is missing: {} does not exist (HROMADA_SERVER_BIN overrides the path). {HOW}",
        bin.display()
    );
}

// ---------------------------------------------------------------------------------------
// Small system helpers
// ---------------------------------------------------------------------------------------

/// A port on 127.0.0.1 that nothing listens on right now.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("could not bind a local port to find a free one")
        .port()
}

/// A folder of its own under the system's temporary folder, removed when dropped.
#[derive(Debug)]
pub struct TempDir(PathBuf);

impl TempDir {
    /// Creates a new, empty folder whose name starts with `prefix`.
    pub fn new(prefix: &str) -> Self {
        static COUNTER: AtomicU32 = AtomicU32::new(0);
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let path =
            std::env::temp_dir().join(format!("{prefix}-{}-{nanos:x}-{n}", std::process::id()));
        std::fs::create_dir_all(&path).unwrap_or_else(|e| {
            panic!(
                "could not create the temporary folder {}: {e}",
                path.display()
            )
        });
        Self(path)
    }

    /// The folder.
    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// The status code of `GET path` on 127.0.0.1:`port`, or `None` when nothing answers.
pub async fn http_status(port: u16, path: &str) -> Option<u16> {
    let ask = async {
        let mut stream = TcpStream::connect(("127.0.0.1", port)).await.ok()?;
        let request =
            format!("GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n");
        stream.write_all(request.as_bytes()).await.ok()?;
        let mut head = Vec::new();
        let mut buf = [0u8; 256];
        while !head.windows(2).any(|w| w == b"\r\n") {
            let n = stream.read(&mut buf).await.ok()?;
            if n == 0 {
                break;
            }
            head.extend_from_slice(&buf[..n]);
        }
        let line = String::from_utf8_lossy(&head);
        line.split_whitespace().nth(1)?.parse().ok()
    };
    tokio::time::timeout(Duration::from_secs(5), ask)
        .await
        .ok()
        .flatten()
}

/// The last `max` characters of a log file, for failure messages.
fn log_tail(path: &Path, max: usize) -> String {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let chars: Vec<char> = text.chars().collect();
    let start = chars.len().saturating_sub(max);
    chars[start..].iter().collect()
}

/// A child process in a process group of its own; the whole group is killed on drop
/// (chromedriver's browsers included).
#[derive(Debug)]
struct Proc {
    child: Child,
    pgid: i32,
    name: &'static str,
    log: PathBuf,
}

impl Proc {
    /// Starts `cmd` with its output going to `log`.
    fn spawn(name: &'static str, mut cmd: Command, log: PathBuf) -> Self {
        let out = File::create(&log)
            .unwrap_or_else(|e| panic!("could not create the log file {}: {e}", log.display()));
        let err = out
            .try_clone()
            .unwrap_or_else(|e| panic!("could not reopen the log file {}: {e}", log.display()));
        cmd.stdin(Stdio::null())
            .stdout(out)
            .stderr(err)
            .process_group(0)
            .kill_on_drop(true);
        let child = cmd.spawn().unwrap_or_else(|e| {
            panic!(
                "could not start {name} ({:?}): {e}",
                cmd.as_std().get_program()
            )
        });
        let pgid = child
            .id()
            .and_then(|id| i32::try_from(id).ok())
            .expect("a child that was just started has an id");
        Self {
            child,
            pgid,
            name,
            log,
        }
    }

    /// Fails when the process has ended.
    fn check_running(&mut self) -> std::result::Result<(), String> {
        match self.child.try_wait() {
            Ok(None) => Ok(()),
            Ok(Some(status)) => Err(format!(
                "{} exited early ({status}). Its output:\n{}",
                self.name,
                log_tail(&self.log, 4000)
            )),
            Err(e) => Err(format!("could not check on {}: {e}", self.name)),
        }
    }
}

impl Drop for Proc {
    fn drop(&mut self) {
        if std::thread::panicking() {
            eprintln!(
                "--- the last output of {} ---\n{}\n--- end of {} output ---",
                self.name,
                log_tail(&self.log, 3000),
                self.name
            );
        }
        self.stop();
    }
}

impl Proc {
    /// Kills the process and its group with SIGKILL, and reaps it.
    fn stop(&mut self) {
        // SAFETY: killpg only sends a signal; the group is the one created for this child.
        unsafe {
            libc::killpg(self.pgid, libc::SIGKILL);
        }
        let _ = self.child.start_kill();
        // Reap it, so that no zombie is left behind either (briefly: SIGKILL is quick).
        let deadline = Instant::now() + Duration::from_secs(2);
        while matches!(self.child.try_wait(), Ok(None)) && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(10));
        }
    }
}

/// How many ports a process is tried on before its start counts as failed.
const START_ATTEMPTS: u32 = 5;

/// Starts the process `command(port)` makes (with its log file) on a free port, and waits
/// until its log says `listening(port, log)` and `GET ready_path` answers 200. When the
/// process exits first, because another one took the port between choosing and binding
/// it, it is started again on another port.
async fn start_on_free_port(
    name: &'static str,
    timeout: Duration,
    mut command: impl FnMut(u16) -> (Command, PathBuf),
    listening: impl Fn(u16, &str) -> bool,
    ready_path: &str,
) -> (Proc, u16) {
    for attempt in 1..=START_ATTEMPTS {
        let port = free_port();
        let (cmd, log) = command(port);
        let mut proc = Proc::spawn(name, cmd, log);
        let started = Instant::now();
        loop {
            if let Err(e) = proc.check_running() {
                if attempt < START_ATTEMPTS && e.contains("Address already in use") {
                    eprintln!("{name}: port {port} was taken meanwhile; trying another one");
                    break;
                }
                panic!("{e}");
            }
            let log = std::fs::read_to_string(&proc.log).unwrap_or_default();
            if listening(port, &log) && http_status(port, ready_path).await == Some(200) {
                return (proc, port);
            }
            if started.elapsed() > timeout {
                panic!(
                    "{name} did not answer GET {ready_path} with 200 on port {port} within \
                     {timeout:?}. Its output:\n{}",
                    log_tail(&proc.log, 4000)
                );
            }
            tokio::time::sleep(POLL).await;
        }
    }
    unreachable!("the last attempt either returns or panics")
}

// ---------------------------------------------------------------------------------------
// The server
// ---------------------------------------------------------------------------------------

/// The reference server with the demo content, on a fresh SQLite database in a temporary
/// folder, serving the built app. Killed, and its folder removed, when dropped.
#[derive(Debug)]
pub struct Server {
    proc: Proc,
    /// `http://127.0.0.1:<port>`.
    pub base: String,
    /// The port it listens on.
    pub port: u16,
    _dir: TempDir,
}

impl Server {
    /// Starts the server and waits until `GET /api/v1/health` answers 200. Pages come
    /// without their first view (`HROMADA_FIRST_VIEW=0`), so that a scenario never holds an
    /// element the app is about to replace; `first_view.rs` tests the first views.
    pub async fn start() -> Self {
        Self::start_serving(&dist_dir()).await
    }

    /// Starts the server as it is deployed: pages that have a first view carry it.
    pub async fn start_with_first_view() -> Self {
        Self::launch(&dist_dir(), true).await
    }

    /// Starts the server serving the app built in `site` (a copy of the build a scenario
    /// may change), without first views.
    pub async fn start_serving(site: &Path) -> Self {
        Self::launch(site, false).await
    }

    async fn launch(site: &Path, first_view: bool) -> Self {
        check_built();
        let dir = TempDir::new("hromada-e2e-server");
        let db = dir.path().join("e2e.db");
        let (proc, port) = start_on_free_port(
            "hromada-server",
            SERVER_START,
            |port| {
                let mut cmd = Command::new(server_bin());
                cmd.current_dir(dir.path())
                    .env("HROMADA_ADDR", format!("127.0.0.1:{port}"))
                    .env(
                        "DATABASE_URL",
                        format!("sqlite://{}?mode=rwc", db.display()),
                    )
                    .env("HROMADA_DEMO", "1")
                    .env("HROMADA_STATIC_DIR", site)
                    .env("HROMADA_FIRST_VIEW", if first_view { "1" } else { "0" })
                    .env_remove("HROMADA_ALLOWED_ORIGINS")
                    .env_remove("HROMADA_SECURE_COOKIES")
                    .env("NO_COLOR", "1");
                if std::env::var_os("RUST_LOG").is_none() {
                    // Every request and its status, to explain a failure.
                    cmd.env("RUST_LOG", "hromada_server=info,tower_http=debug");
                }
                (cmd, dir.path().join("server.log"))
            },
            |port, log| {
                // Its own line, not just an answer on the port: another process may have taken
                // the port between choosing and binding it.
                log.contains(&format!("running at http://127.0.0.1:{port}/"))
            },
            "/api/v1/health",
        )
        .await;
        Self {
            proc,
            base: format!("http://127.0.0.1:{port}"),
            port,
            _dir: dir,
        }
    }

    /// The absolute URL of a path of the app.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// The server's working folder: its database, and `data/mail/` where it writes the
    /// messages it sends (no SMTP is set in the tests).
    pub fn dir(&self) -> &Path {
        self._dir.path()
    }

    /// Everything the server has written so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.proc.log).unwrap_or_default()
    }
}

/// `HROMADA_E2E_KEEP_DATABASES`: a folder where each server's database is kept once its
/// scenario is over (`make e2e` sets it), for the test that moves databases the scenarios
/// filled to PostgreSQL (`server/tests/migrate.rs`, `make e2e-move`).
const KEEP_DATABASES: &str = "HROMADA_E2E_KEEP_DATABASES";

impl Drop for Server {
    fn drop(&mut self) {
        let Some(keep) = env_path(KEEP_DATABASES) else {
            return;
        };
        // Killed first: a SIGKILL loses no commit (they are in the WAL, copied with it).
        self.proc.stop();
        static KEPT: AtomicU32 = AtomicU32::new(0);
        let suite = std::env::current_exe()
            .ok()
            .and_then(|p| p.file_stem().map(|s| s.to_string_lossy().into_owned()))
            .unwrap_or_else(|| "e2e".into());
        let to = keep.join(format!(
            "{suite}-{}-{}",
            std::process::id(),
            KEPT.fetch_add(1, Ordering::Relaxed)
        ));
        // The layout `server/tests/common/process.rs` starts a server on.
        let from = self.dir();
        let copies = [
            (from.join("e2e.db"), to.join("hromada.db")),
            (from.join("e2e.db-wal"), to.join("hromada.db-wal")),
            (from.join("data/secret.key"), to.join("secret.key")),
        ];
        let kept = std::fs::create_dir_all(&to).and_then(|()| {
            for (a, b) in &copies {
                if a.exists() {
                    std::fs::copy(a, b)?;
                }
            }
            copy_tree(&from.join("data/media"), &to.join("media"))
        });
        if let Err(e) = kept {
            eprintln!("could not keep the database in {}: {e}", to.display());
        }
    }
}

/// Copies the folder `from` (if it exists) into `to`, recursively.
fn copy_tree(from: &Path, to: &Path) -> std::io::Result<()> {
    if !from.is_dir() {
        return Ok(());
    }
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_tree(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), &target)?;
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------
// chromedriver and Chromium
// ---------------------------------------------------------------------------------------

/// A chromedriver process (and the browsers it starts). Killed when dropped.
#[derive(Debug)]
pub struct Driver {
    _proc: Proc,
    /// `http://127.0.0.1:<port>`, the WebDriver endpoint.
    pub url: String,
    _dir: TempDir,
}

impl Driver {
    /// Starts chromedriver (`CHROMEDRIVER`, default `/usr/bin/chromedriver`) and waits until
    /// it answers.
    pub async fn start() -> Self {
        let bin = env_path("CHROMEDRIVER").unwrap_or_else(|| "/usr/bin/chromedriver".into());
        assert!(
            bin.is_file(),
            "chromedriver is missing: {} does not exist. Install it (Debian: `apt-get install \
             chromium chromium-driver`; `make test` does it) or set CHROMEDRIVER to its path.",
            bin.display()
        );
        let dir = TempDir::new("hromada-e2e-driver");
        let (proc, port) = start_on_free_port(
            "chromedriver",
            DRIVER_START,
            |port| {
                let mut cmd = Command::new(&bin);
                cmd.arg(format!("--port={port}"));
                // Chromium leaves a scoped folder (about 65 MB) in TMPDIR for each browser it
                // was killed in: keep them in this folder, which goes with the driver.
                cmd.env("TMPDIR", dir.path());
                // The browsers keep Kyiv time, as residents' phones do; the server writes a
                // first view's times in Kyiv time (the hromada's own).
                cmd.env("TZ", "Europe/Kyiv");
                (cmd, dir.path().join("chromedriver.log"))
            },
            |port, log| {
                log.contains(&format!("on port {port}")) && log.contains("started successfully")
            },
            "/status",
        )
        .await;
        Self {
            _proc: proc,
            url: format!("http://127.0.0.1:{port}"),
            _dir: dir,
        }
    }
}

/// The WebDriver capabilities of a fresh headless Chromium with its own profile folder.
fn chrome_capabilities(profile: &Path) -> serde_json::Map<String, Value> {
    let binary = env_path("CHROME").unwrap_or_else(|| "/usr/bin/chromium".into());
    assert!(
        binary.is_file(),
        "Chromium is missing: {} does not exist. Install it (Debian: `apt-get install chromium`; \
         `make test` does it) or set CHROME to its path.",
        binary.display()
    );
    let (w, h) = DESKTOP;
    let caps = json!({
        "browserName": "chrome",
        "goog:chromeOptions": {
            "binary": binary,
            "args": [
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-quic",
                "--disable-extensions",
                "--mute-audio",
                // As on phones: scrollbars take no room from the page.
                "--hide-scrollbars",
                "--lang=en-US",
                format!("--window-size={w},{h}"),
                format!("--user-data-dir={}", profile.display()),
            ],
            // The browser prefers English: the app must still start in Ukrainian.
            "prefs": { "intl.accept_languages": "en-US,en" },
        },
    });
    match caps {
        Value::Object(map) => map,
        _ => unreachable!("the capabilities are a JSON object"),
    }
}

// ---------------------------------------------------------------------------------------
// The harness: one server, one chromedriver, any number of browsers
// ---------------------------------------------------------------------------------------

/// Everything one scenario needs: its own server on a fresh database, its own chromedriver,
/// and the browsers it opened. Fields drop in order: the server, then chromedriver and its
/// browsers, then the browsers' profile folders.
#[derive(Debug)]
pub struct Harness {
    /// The server under test.
    pub server: Server,
    driver: Driver,
    browsers: Mutex<Vec<(String, Client)>>,
    profiles: Mutex<Vec<TempDir>>,
}

impl Harness {
    /// Starts a server and chromedriver, side by side.
    pub async fn start() -> Self {
        Self::start_serving(&dist_dir()).await
    }

    /// Starts a server serving the app built in `site`, and chromedriver.
    pub async fn start_serving(site: &Path) -> Self {
        Self::launch(Server::start_serving(site)).await
    }

    /// Starts a server as deployed, with first views (see [`Server::start_with_first_view`]).
    pub async fn start_with_first_view() -> Self {
        Self::launch(Server::start_with_first_view()).await
    }

    async fn launch(server: impl Future<Output = Server>) -> Self {
        check_built();
        let (server, driver) = tokio::join!(server, Driver::start());
        Self {
            server,
            driver,
            browsers: Mutex::new(vec![]),
            profiles: Mutex::new(vec![]),
        }
    }

    /// Opens a new browser with a fresh profile (no cookies, no storage): another person.
    /// `label` names it in screenshots.
    pub async fn browser(&self, label: &str) -> Result<Browser> {
        self.browser_at(label, &self.server.base).await
    }

    /// A new browser that reaches the app at `base` (through a [`NetLink`], say).
    pub async fn browser_at(&self, label: &str, base: &str) -> Result<Browser> {
        let profile = TempDir::new("hromada-e2e-chrome");
        let caps = chrome_capabilities(profile.path());
        self.profiles
            .lock()
            .expect("the profiles list is not poisoned")
            .push(profile);
        let client = fantoccini::ClientBuilder::new(
            hyper_util::client::legacy::connect::HttpConnector::new(),
        )
        .capabilities(caps)
        .connect(&self.driver.url)
        .await
        .map_err(|e| {
            Failure(format!(
                "could not start Chromium through chromedriver: {e}"
            ))
        })?;
        self.browsers
            .lock()
            .expect("the browsers list is not poisoned")
            .push((label.to_owned(), client.clone()));
        let browser = Browser {
            client,
            base: base.to_owned(),
            label: label.to_owned(),
        };
        browser.set_viewport(DESKTOP).await?;
        Ok(browser)
    }

    /// Ends the scenario: on failure saves a screenshot of every browser and fails the test
    /// with the reason; closes the browsers either way.
    pub async fn finish(self, name: &str, outcome: Result) {
        let browsers = std::mem::take(
            &mut *self
                .browsers
                .lock()
                .expect("the browsers list is not poisoned"),
        );
        let mut shots = vec![];
        if outcome.is_err() {
            for (label, client) in &browsers {
                let file = format!("FAILED-{name}-{label}");
                if let Some(path) = save_screenshot(client, &file).await {
                    shots.push(path.display().to_string());
                }
            }
        }
        for (_, client) in browsers {
            let _ = tokio::time::timeout(Duration::from_secs(10), client.close()).await;
        }
        // (The server's and chromedriver's last output follow, printed as they are killed.)
        if let Err(Failure(reason)) = outcome {
            panic!(
                "scenario `{name}` failed: {reason}\nscreenshots: {}",
                if shots.is_empty() {
                    "none".to_owned()
                } else {
                    shots.join(", ")
                }
            );
        }
    }
}

/// Runs one scenario on its own server, chromedriver and browsers, and tears it all down.
pub async fn scenario<F>(name: &str, body: F)
where
    F: AsyncFnOnce(&Harness) -> Result,
{
    let started = Instant::now();
    let harness = Harness::start().await;
    let ready = started.elapsed();
    let outcome = body(&harness).await;
    harness.finish(name, outcome).await;
    eprintln!(
        "scenario `{name}`: {:.1?} ({ready:.1?} to start the server and chromedriver)",
        started.elapsed()
    );
}

/// [`scenario`], with the server as deployed: pages carry their first view.
pub async fn scenario_with_first_view<F>(name: &str, body: F)
where
    F: AsyncFnOnce(&Harness) -> Result,
{
    let started = Instant::now();
    let harness = Harness::start_with_first_view().await;
    let outcome = body(&harness).await;
    harness.finish(name, outcome).await;
    eprintln!("scenario `{name}`: {:.1?}", started.elapsed());
}

/// [`scenario`], with the server serving the app built in `site` (a copy a scenario may
/// change).
pub async fn scenario_serving<F>(name: &str, site: &Path, body: F)
where
    F: AsyncFnOnce(&Harness) -> Result,
{
    let started = Instant::now();
    let harness = Harness::start_serving(site).await;
    let outcome = body(&harness).await;
    harness.finish(name, outcome).await;
    eprintln!("scenario `{name}`: {:.1?}", started.elapsed());
}

async fn save_screenshot(client: &Client, name: &str) -> Option<PathBuf> {
    let png = client.screenshot().await.ok()?;
    let dir = screenshots_dir();
    std::fs::create_dir_all(&dir).ok()?;
    let path = dir.join(format!("{name}.png"));
    std::fs::write(&path, png).ok()?;
    Some(path)
}

// ---------------------------------------------------------------------------------------
// A browser: navigation, waiting, reading, typing, clicking
// ---------------------------------------------------------------------------------------

/// One person's browser, on the app of the harness's server.
#[derive(Debug, Clone)]
pub struct Browser {
    /// The WebDriver client, for anything the helpers do not cover.
    pub client: Client,
    base: String,
    label: String,
}

impl Browser {
    /// Opens a path of the app (`/signup`) and waits until the app has started.
    pub async fn goto(&self, path: &str) -> Result {
        self.client.goto(&format!("{}{path}", self.base)).await?;
        self.wait_app().await
    }

    /// Goes to a path of the app from within the running app, as following one of its links
    /// does: the page is not loaded again. Waits until the address is `path` (query and all)
    /// and the new page's heading has replaced the old one (or its text has changed).
    pub async fn go_in_app(&self, path: &str) -> Result {
        if self.path_and_query().await? == path {
            return Ok(());
        }
        // The heading element and its text: a page of the same kind (another service)
        // may keep the element and change its text.
        let heading = async || -> Result<Option<(Value, String)>> {
            Ok(
                match self.client.find_all(Locator::Css("main h1")).await?.first() {
                    Some(h1) => Some((serde_json::to_value(h1)?, h1.text().await?)),
                    None => None,
                },
            )
        };
        let before = heading().await?;
        self.client
            .execute(
                "history.pushState(null, '', arguments[0]);\n\
                 window.dispatchEvent(new PopStateEvent('popstate', {state: null}));",
                vec![json!(path)],
            )
            .await?;
        self.poll(&format!("the app to go to {path}"), async || {
            if self.path_and_query().await? != path {
                return Ok(None);
            }
            let now = heading().await?;
            Ok((now.is_some() && now != before).then_some(()))
        })
        .await
    }

    /// Reloads the page and waits until the app has started again.
    pub async fn reload(&self) -> Result {
        self.client.refresh().await?;
        self.wait_app().await
    }

    /// Waits until the app has replaced the boot message with its layout.
    pub async fn wait_app(&self) -> Result {
        self.poll(
            "the app to start (#boot gone, main#main present)",
            async || {
                let booting = !self
                    .client
                    .find_all(Locator::Css("#boot"))
                    .await?
                    .is_empty();
                let main = !self
                    .client
                    .find_all(Locator::Css("main#main"))
                    .await?
                    .is_empty();
                Ok((!booting && main).then_some(()))
            },
        )
        .await
    }

    /// The path of the current URL (`/h/UA…`).
    pub async fn path(&self) -> Result<String> {
        Ok(self.client.current_url().await?.path().to_owned())
    }

    /// The path and the query of the current URL (`/h/UA…/news?category=health`).
    pub async fn path_and_query(&self) -> Result<String> {
        let url = self.client.current_url().await?;
        Ok(match url.query() {
            Some(q) => format!("{}?{q}", url.path()),
            None => url.path().to_owned(),
        })
    }

    /// Waits until the current URL's path is `path`.
    pub async fn wait_path(&self, path: &str) -> Result {
        self.poll(&format!("the address to become {path}"), async || {
            Ok((self.path().await? == path).then_some(()))
        })
        .await
    }

    /// Waits until an element matches `css` and returns the first one.
    pub async fn wait(&self, css: &str) -> Result<Element> {
        self.poll(&format!("an element matching `{css}`"), async || {
            Ok(self
                .client
                .find_all(Locator::Css(css))
                .await?
                .into_iter()
                .next())
        })
        .await
    }

    /// Waits until an element matching `css` is displayed and returns it.
    pub async fn wait_visible(&self, css: &str) -> Result<Element> {
        self.poll(&format!("a visible element matching `{css}`"), async || {
            for el in self.client.find_all(Locator::Css(css)).await? {
                if el.is_displayed().await? {
                    return Ok(Some(el));
                }
            }
            Ok(None)
        })
        .await
    }

    /// Waits until no displayed element matches `css`.
    pub async fn wait_gone(&self, css: &str) -> Result {
        self.poll(
            &format!("no visible element matching `{css}`"),
            async || {
                for el in self.client.find_all(Locator::Css(css)).await? {
                    if el.is_displayed().await? {
                        return Ok(None);
                    }
                }
                Ok(Some(()))
            },
        )
        .await
    }

    /// Waits until an element matching `css` has a text that contains `text`, and returns it.
    pub async fn wait_text(&self, css: &str, text: &str) -> Result<Element> {
        self.poll(
            &format!("an element matching `{css}` with the text “{text}”"),
            async || {
                for el in self.client.find_all(Locator::Css(css)).await? {
                    if el.text().await?.contains(text) {
                        return Ok(Some(el));
                    }
                }
                Ok(None)
            },
        )
        .await
    }

    /// Waits until an element matching `css` has exactly the text `text` (trimmed), and
    /// returns it.
    pub async fn wait_exact_text(&self, css: &str, text: &str) -> Result<Element> {
        self.poll(
            &format!("an element matching `{css}` with exactly the text “{text}”"),
            async || {
                for el in self.client.find_all(Locator::Css(css)).await? {
                    if el.text().await?.trim() == text {
                        return Ok(Some(el));
                    }
                }
                Ok(None)
            },
        )
        .await
    }

    /// The text of the first element matching `css`, once there is one.
    pub async fn text(&self, css: &str) -> Result<String> {
        Ok(self.wait(css).await?.text().await?)
    }

    /// The current value of the input matching `css`.
    pub async fn value(&self, css: &str) -> Result<String> {
        Ok(self
            .wait(css)
            .await?
            .prop("value")
            .await?
            .unwrap_or_default())
    }

    /// An attribute of the first element matching `css`.
    pub async fn attr(&self, css: &str, name: &str) -> Result<Option<String>> {
        Ok(self.wait(css).await?.attr(name).await?)
    }

    /// Waits until the first element matching `css` has the attribute `name` set to `value`.
    pub async fn wait_attr(&self, css: &str, name: &str, value: &str) -> Result {
        self.poll(&format!("`{css}` to have {name}=\"{value}\""), async || {
            let els = self.client.find_all(Locator::Css(css)).await?;
            match els.first() {
                Some(el) => Ok((el.attr(name).await?.as_deref() == Some(value)).then_some(())),
                None => Ok(None),
            }
        })
        .await
    }

    /// Types into the input matching `css` (after what it holds already).
    pub async fn type_into(&self, css: &str, text: &str) -> Result {
        let el = self.wait_visible(css).await?;
        el.send_keys(text).await?;
        Ok(())
    }

    /// Empties the input matching `css` and types `text` into it.
    pub async fn replace(&self, css: &str, text: &str) -> Result {
        let el = self.wait_visible(css).await?;
        el.clear().await?;
        el.send_keys(text).await?;
        Ok(())
    }

    /// Clicks the first visible element matching `css`, retrying while it is covered or
    /// re-rendered.
    pub async fn click(&self, css: &str) -> Result {
        self.poll(&format!("to click `{css}`"), async || {
            for el in self.client.find_all(Locator::Css(css)).await? {
                if el.is_displayed().await? {
                    self.scroll_into_view(&el).await?;
                    el.click().await?;
                    return Ok(Some(()));
                }
            }
            Ok(None)
        })
        .await
    }

    /// Clicks the first visible element matching `css` whose text (trimmed) is `text`.
    pub async fn click_text(&self, css: &str, text: &str) -> Result {
        self.poll(
            &format!("to click `{css}` with the text “{text}”"),
            async || {
                for el in self.client.find_all(Locator::Css(css)).await? {
                    if el.is_displayed().await? && el.text().await?.trim() == text {
                        self.scroll_into_view(&el).await?;
                        el.click().await?;
                        return Ok(Some(()));
                    }
                }
                Ok(None)
            },
        )
        .await
    }

    /// Clicks an element found by other means, retrying while it is covered.
    pub async fn click_element(&self, el: &Element) -> Result {
        self.poll("to click an element", async || {
            self.scroll_into_view(el).await?;
            el.click().await?;
            Ok(Some(()))
        })
        .await
    }

    async fn scroll_into_view(&self, el: &Element) -> Result {
        let arg = serde_json::to_value(el)?;
        self.client
            .execute(
                "arguments[0].scrollIntoView({block: 'center', inline: 'nearest'});",
                vec![arg],
            )
            .await?;
        Ok(())
    }

    /// Sets the value of the input matching `css` as if a person had entered it (the
    /// `input` and `change` events follow): for the inputs whose typing depends on the
    /// browser's locale, such as `datetime-local`.
    pub async fn set_value(&self, css: &str, value: &str) -> Result {
        let el = self.wait_visible(css).await?;
        let arg = serde_json::to_value(&el)?;
        self.client
            .execute(
                "const el = arguments[0]; el.value = arguments[1];\n\
                 el.dispatchEvent(new Event('input', {bubbles: true}));\n\
                 el.dispatchEvent(new Event('change', {bubbles: true}));",
                vec![arg, json!(value)],
            )
            .await?;
        Ok(())
    }

    /// How many elements match `css` right now.
    pub async fn count(&self, css: &str) -> Result<usize> {
        Ok(self.client.find_all(Locator::Css(css)).await?.len())
    }

    /// The innermost elements that stick out past the right edge of the viewport, each
    /// described in a line (empty when the page fits the screen's width).
    pub async fn too_wide(&self) -> Result<Vec<String>> {
        let wide = self.js(OVERFLOW_JS).await?;
        Ok(wide
            .as_array()
            .map(|l| {
                l.iter()
                    .filter_map(|v| v.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default())
    }

    /// Runs JavaScript in the page and returns its result.
    pub async fn js(&self, script: &str) -> Result<Value> {
        Ok(self.client.execute(script, vec![]).await?)
    }

    /// Resizes the window so that the page's viewport is `width`×`height` CSS pixels.
    pub async fn set_viewport(&self, (width, height): (u32, u32)) -> Result {
        self.client.set_window_size(width, height).await?;
        // The window may be larger than its viewport; make up the difference once.
        let inner = self
            .js("return [window.innerWidth, window.innerHeight];")
            .await?;
        let got = |i: usize| inner.get(i).and_then(Value::as_u64).unwrap_or(0);
        let (iw, ih) = (got(0), got(1));
        if iw > 0 && ih > 0 && (iw != u64::from(width) || ih != u64::from(height)) {
            let fix = |want: u32, have: u64| {
                let extra = u64::from(want).saturating_sub(have);
                u32::try_from(u64::from(want) + extra).unwrap_or(want)
            };
            self.client
                .set_window_size(fix(width, iw), fix(height, ih))
                .await?;
        }
        Ok(())
    }

    /// A phone's viewport: 360×640.
    pub async fn phone(&self) -> Result {
        self.set_viewport(PHONE).await
    }

    /// A desktop viewport: 1280×800.
    pub async fn desktop(&self) -> Result {
        self.set_viewport(DESKTOP).await
    }

    /// Saves a screenshot as `tests/screenshots/<name>.png` when `HROMADA_SCREENSHOTS=1`.
    pub async fn screenshot(&self, name: &str) -> Result {
        if screenshots_wanted() {
            let dir = screenshots_dir();
            std::fs::create_dir_all(&dir)?;
            let png = self.client.screenshot().await?;
            std::fs::write(dir.join(format!("{name}.png")), png)?;
        }
        Ok(())
    }

    /// The visible text of `<main>`, shortened, to explain a failure.
    async fn main_text(&self) -> String {
        let text = match self.client.find(Locator::Css("main")).await {
            Ok(main) => main.text().await.unwrap_or_default(),
            Err(_) => match self.client.find(Locator::Css("body")).await {
                Ok(body) => body.text().await.unwrap_or_default(),
                Err(e) => format!("(no page: {e})"),
            },
        };
        let short: String = text.chars().take(600).collect();
        short.replace('\n', " | ")
    }

    /// Calls `probe` until it gives a value, or fails after [`WAIT`] explaining what was
    /// awaited, the last error, where the browser was and what it showed. WebDriver errors
    /// (an element re-rendered or covered meanwhile) count as "not yet".
    pub async fn poll<T>(
        &self,
        what: &str,
        mut probe: impl AsyncFnMut() -> Result<Option<T>>,
    ) -> Result<T> {
        let started = Instant::now();
        let mut last_error = None;
        loop {
            match probe().await {
                Ok(Some(v)) => return Ok(v),
                Ok(None) => {}
                Err(e) => last_error = Some(e.0),
            }
            if started.elapsed() > WAIT {
                let url = self
                    .client
                    .current_url()
                    .await
                    .map_or_else(|e| format!("(unknown: {e})"), |u| u.to_string());
                return Err(Failure(format!(
                    "[{}] waited {WAIT:?} for {what}, in vain.\n  at: {url}\n  last error: {}\n  main shows: {}",
                    self.label,
                    last_error.as_deref().unwrap_or("none"),
                    self.main_text().await,
                )));
            }
            tokio::time::sleep(POLL).await;
        }
    }
}

/// Lists the innermost elements that stick out past the right edge of the viewport (empty
/// when the page fits).
const OVERFLOW_JS: &str = r#"
const width = document.documentElement.clientWidth;
if (document.documentElement.scrollWidth <= width) return [];
const out = [];
for (const el of document.querySelectorAll('body *')) {
  const r = el.getBoundingClientRect();
  if (r.width > 0 && r.right > width + 1 && ![...el.children].some(c => c.getBoundingClientRect().right > width + 1)) {
    const cls = typeof el.className === 'string' && el.className ? '.' + el.className.trim().split(/\s+/).join('.') : '';
    out.push(`${el.tagName.toLowerCase()}${cls} “${(el.textContent || '').trim().slice(0, 40)}” reaches ${Math.round(r.right)} px`);
    if (out.length >= 8) break;
  }
}
return out.length ? out : [`the page is ${document.documentElement.scrollWidth} px wide`];
"#;

// ---------------------------------------------------------------------------------------
// The demo's people, and what the suites share about them
// ---------------------------------------------------------------------------------------

/// The password of every demo account.
pub const DEMO_PASSWORD: &str = "demo-password";
/// The demo resident of Херсонська громада whose residence is not verified.
pub const RESIDENT_EMAIL: &str = "resident@demo.example";
/// The demo resident of Херсонська громада whose residence is verified.
pub const VERIFIED_EMAIL: &str = "verified@demo.example";
/// The demo staff member of Херсонська громада, and their name as the app shows it.
pub const STAFF_EMAIL: &str = "staff@demo.example";
pub const STAFF_NAME: &str = "Ірина Бондаренко";
/// The demo administrator: grants the staff role.
pub const ADMIN_EMAIL: &str = "admin@demo.example";
/// The password the suites give the people they sign up: long enough and not among the
/// common ones.
pub const GOOD_PASSWORD: &str = "a-long-enough-pass-2026";
/// Another hromada: Чернівська громада of Odesa oblast.
pub const OTHER_HROMADA: &str = "UA51020010000012094";

/// How soon a step must show on another person's open page. The issues ask for 2 s; one
/// second more covers WebDriver's round trips and the waits' polling.
pub const LIVE: Duration = Duration::from_secs(3);

/// A short mark that makes a title, a subject or an email this run's own.
pub fn unique() -> String {
    static COUNTER: AtomicU32 = AtomicU32::new(0);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    // Two marks asked for within the same clock tick still differ.
    let n = u128::from(COUNTER.fetch_add(1, Ordering::Relaxed));
    format!("{:x}", (nanos + n * 7919) % 0xff_ffff)
}

// ---------------------------------------------------------------------------------------
// The API, called from inside a browser with its session cookie
// ---------------------------------------------------------------------------------------

/// What the server answered a request made from a browser.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    /// The `Content-Type` (`application/problem+json`…).
    pub media_type: String,
    /// The body as text.
    pub text: String,
}

impl Reply {
    /// The body as JSON (`Null` when it is not JSON).
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or(Value::Null)
    }

    /// The beginning of the body, for failure messages.
    pub fn short(&self) -> String {
        self.text.chars().take(400).collect()
    }

    /// The `(field, code)` pairs of a problem's `errors`.
    pub fn field_errors(&self) -> Vec<(String, String)> {
        self.json()["errors"]
            .as_array()
            .map(|l| {
                l.iter()
                    .map(|e| {
                        (
                            e["field"].as_str().unwrap_or_default().to_owned(),
                            e["code"].as_str().unwrap_or_default().to_owned(),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// The [`Reply`] of what a fetch in the browser returned (`{status, type, text}` or
/// `{error}`).
pub fn reply_of(v: &Value) -> Result<Reply> {
    if let Some(e) = v.get("error").and_then(Value::as_str) {
        return Err(Failure(format!("the browser's fetch failed: {e}")));
    }
    Ok(Reply {
        status: v["status"]
            .as_u64()
            .and_then(|s| u16::try_from(s).ok())
            .ok_or_else(|| Failure(format!("the browser's fetch gave no status: {v}")))?,
        media_type: v["type"].as_str().unwrap_or_default().to_owned(),
        text: v["text"].as_str().unwrap_or_default().to_owned(),
    })
}

/// A request as the app makes it: same origin, with the session cookie and the
/// `X-Hromada-Client` header; `body` as JSON when given.
const API_JS: &str = r#"
const [method, path, body, extra] = arguments;
const headers = Object.assign({'X-Hromada-Client': 'web', 'Accept': 'application/json'}, extra || {});
const init = {method, headers, credentials: 'same-origin'};
if (body !== null) { headers['Content-Type'] = 'application/json'; init.body = JSON.stringify(body); }
return fetch(path, init)
  .then(async r => ({status: r.status, type: r.headers.get('content-type') || '', text: await r.text()}))
  .catch(e => ({error: String(e)}));
"#;

/// `method path` with `body` as JSON, from inside the browser as the person signed in to
/// it (the page must be one of the app's).
pub async fn api(b: &Browser, method: &str, path: &str, body: Option<Value>) -> Result<Reply> {
    api_with_headers(b, method, path, body, json!({})).await
}

/// [`api`] with more headers (`{"Idempotency-Key": "…"}`).
pub async fn api_with_headers(
    b: &Browser,
    method: &str,
    path: &str,
    body: Option<Value>,
    headers: Value,
) -> Result<Reply> {
    let v = b
        .client
        .execute(
            API_JS,
            vec![
                json!(method),
                json!(path),
                body.unwrap_or(Value::Null),
                headers,
            ],
        )
        .await?;
    reply_of(&v)
}

/// `GET path`, which must answer 200 with JSON.
pub async fn api_get(b: &Browser, path: &str) -> Result<Value> {
    let r = api(b, "GET", path, None).await?;
    ensure!(
        r.status == 200,
        "GET {path} answered {}: {}",
        r.status,
        r.short()
    );
    Ok(r.json())
}

/// A file of a multipart request: `hex` is its beginning, zeros fill it up to `size`.
#[derive(Debug, Clone)]
pub struct Part<'a> {
    pub name: &'a str,
    pub media_type: &'a str,
    pub hex: String,
    pub size: usize,
}

const MULTIPART_JS: &str = r#"
const [path, jsonPart, value, filesPart, files] = arguments;
const fd = new FormData();
fd.append(jsonPart, JSON.stringify(value));
for (const f of files) {
  const n = f.hex.length / 2;
  const bytes = new Uint8Array(Math.max(n, f.size));
  for (let i = 0; i < n; i++) bytes[i] = parseInt(f.hex.substr(i * 2, 2), 16);
  fd.append(filesPart, new File([bytes], f.name, {type: f.type}));
}
return fetch(path, {method: 'POST', body: fd, credentials: 'same-origin',
    headers: {'X-Hromada-Client': 'web', 'Accept': 'application/json'}})
  .then(async r => ({status: r.status, type: r.headers.get('content-type') || '', text: await r.text()}))
  .catch(e => ({error: String(e)}));
"#;

/// `POST path` as `multipart/form-data`, the way the app sends a form with files: `value`
/// as JSON in the part `json_part`, and each file in a part `files_part`.
pub async fn api_multipart(
    b: &Browser,
    path: &str,
    json_part: &str,
    value: &Value,
    files_part: &str,
    files: &[Part<'_>],
) -> Result<Reply> {
    let files: Vec<Value> = files
        .iter()
        .map(|p| json!({"name": p.name, "type": p.media_type, "hex": p.hex, "size": p.size}))
        .collect();
    let v = b
        .client
        .execute(
            MULTIPART_JS,
            vec![
                json!(path),
                json!(json_part),
                value.clone(),
                json!(files_part),
                json!(files),
            ],
        )
        .await?;
    reply_of(&v)
}

/// The bytes at `url`, fetched by the browser with its session: (status, media type, bytes).
pub async fn fetch_bytes(b: &Browser, url: &str) -> Result<(u16, String, Vec<u8>)> {
    let v = b
        .client
        .execute(
            r#"
const url = arguments[0];
return fetch(url, {credentials: 'same-origin'}).then(async r => {
  const bytes = new Uint8Array(await r.arrayBuffer());
  const hex = Array.from(bytes, x => x.toString(16).padStart(2, '0')).join('');
  return {status: r.status, type: r.headers.get('content-type') || '', hex};
}).catch(e => ({error: String(e)}));
"#,
            vec![json!(url)],
        )
        .await?;
    if let Some(e) = v.get("error").and_then(Value::as_str) {
        return Err(Failure(format!(
            "fetching {url} failed in the browser: {e}"
        )));
    }
    let status = v["status"]
        .as_u64()
        .and_then(|s| u16::try_from(s).ok())
        .unwrap_or(0);
    let media_type = v["type"].as_str().unwrap_or_default().to_owned();
    Ok((
        status,
        media_type,
        from_hex(v["hex"].as_str().unwrap_or_default()),
    ))
}

/// Fails unless the reply is a problem+json with `status` naming every one of `fields`.
pub fn ensure_problem(r: &Reply, status: u16, fields: &[&str], what: &str) -> Result {
    ensure!(
        r.status == status,
        "{what}: the server answered {} instead of {status}: {}",
        r.status,
        r.short()
    );
    ensure_problem_json(r, what)?;
    let named: Vec<String> = r.field_errors().into_iter().map(|(f, _)| f).collect();
    for field in fields {
        ensure!(
            named.iter().any(|n| n == field),
            "{what}: the problem names the fields {named:?}, not “{field}”: {}",
            r.short()
        );
    }
    Ok(())
}

/// Fails unless the reply is a 422 problem+json naming `field` with the error `code`.
pub fn ensure_field_code(r: &Reply, field: &str, code: &str, what: &str) -> Result {
    ensure_problem(r, 422, &[field], what)?;
    let errors = r.field_errors();
    ensure!(
        errors.iter().any(|(f, c)| f == field && c == code),
        "{what}: the problem says {errors:?}, not “{field}” with the code “{code}”: {}",
        r.short()
    );
    Ok(())
}

/// Fails unless the reply is an application/problem+json that says what is wrong.
pub fn ensure_problem_json(r: &Reply, what: &str) -> Result {
    ensure!(
        r.media_type.starts_with("application/problem+json"),
        "{what}: the {} is {:?}, not application/problem+json: {}",
        r.status,
        r.media_type,
        r.short()
    );
    let p = r.json();
    let said = ["title", "detail"]
        .iter()
        .any(|k| p[k].as_str().is_some_and(|s| !s.trim().is_empty()));
    ensure!(
        said && p["status"] == json!(r.status),
        "{what}: the problem does not say what is wrong (title/detail) or its status: {}",
        r.short()
    );
    Ok(())
}

/// Fails unless the reply is one of `statuses`, as a problem+json.
pub fn ensure_refused(r: &Reply, statuses: &[u16], what: &str) -> Result {
    ensure!(
        statuses.contains(&r.status),
        "{what}: the server answered {}, expected one of {statuses:?}: {}",
        r.status,
        r.short()
    );
    ensure_problem_json(r, what)
}

// ---------------------------------------------------------------------------------------
// Accounts
// ---------------------------------------------------------------------------------------

/// Signs up a new person (password [`GOOD_PASSWORD`]) through the API, in this browser,
/// which is then signed in as them; the app in this browser learns of it on its next
/// load. The browser must be on a page of the app. Returns their id.
pub async fn register_api(
    b: &Browser,
    email: &str,
    full_name: &str,
    address: &str,
    hromada: &str,
) -> Result<String> {
    let r = api(
        b,
        "POST",
        "/api/v1/auth/register",
        Some(json!({
            "email": email, "password": GOOD_PASSWORD, "full_name": full_name,
            "hromada": hromada, "address": address,
        })),
    )
    .await?;
    ensure!(
        r.status == 201 || r.status == 200,
        "signing up {email} answered {}: {}",
        r.status,
        r.short()
    );
    Ok(r.json()["id"].as_str().unwrap_or_default().to_owned())
}

/// Signs up a new resident of Херсонська громада in this browser (signing out whoever was
/// signed in), which is then signed in as them. Returns their id.
pub async fn new_resident(b: &Browser, email: &str, full_name: &str) -> Result<String> {
    b.goto("/").await?;
    let _ = api(b, "POST", "/api/v1/auth/logout", None).await?;
    register_api(b, email, full_name, "м. Херсон, вул. Садова, 3", KHERSON).await
}

/// Signs in through the API; the app in this browser learns of it on its next load.
pub async fn api_sign_in(b: &Browser, email: &str, password: &str) -> Result {
    let r = api(
        b,
        "POST",
        "/api/v1/auth/login",
        Some(json!({"email": email, "password": password})),
    )
    .await?;
    ensure!(
        r.status == 200 || r.status == 204,
        "signing in {email} through the API answered {}: {}",
        r.status,
        r.short()
    );
    Ok(())
}

/// Signs out through the API.
pub async fn api_sign_out(b: &Browser) -> Result {
    let r = api(b, "POST", "/api/v1/auth/logout", None).await?;
    ensure!(
        r.status < 300,
        "signing out through the API answered {}: {}",
        r.status,
        r.short()
    );
    Ok(())
}

/// The person signed in to `resident` asks for verification and the staff member signed
/// in to `staff` verifies them, both through the API.
pub async fn verify_through_api(resident: &Browser, staff: &Browser) -> Result {
    let r = api(resident, "POST", "/api/v1/me/verification", None).await?;
    ensure!(
        r.status == 200,
        "asking for verification answered {}: {}",
        r.status,
        r.short()
    );
    let me = r.json();
    let (id, hromada) = (
        me["id"].as_str().unwrap_or_default(),
        me["hromada"]["katottg"].as_str().unwrap_or_default(),
    );
    let r = api(
        staff,
        "POST",
        &format!("/api/v1/hromadas/{hromada}/verifications/{id}"),
        Some(json!({"verify": true})),
    )
    .await?;
    ensure!(
        r.status < 300,
        "verifying {id} answered {}: {}",
        r.status,
        r.short()
    );
    let me = api_get(resident, "/api/v1/me").await?;
    ensure!(
        me["verification"] == json!("verified"),
        "after staff verified them, the resident is {}",
        me["verification"]
    );
    Ok(())
}

// ---------------------------------------------------------------------------------------
// Steps the suites share
// ---------------------------------------------------------------------------------------

/// Signs in from /signin and waits until the header shows who is signed in.
pub async fn sign_in(b: &Browser, email: &str, password: &str) -> Result {
    b.goto("/signin").await?;
    b.replace("#f-email", email).await?;
    b.replace("#f-password", password).await?;
    b.click("form.form button[type=submit]").await?;
    b.wait(".who .who-name").await?;
    Ok(())
}

/// Switches the app's language with the footer's switch.
pub async fn set_language(b: &Browser, lang: &str) -> Result {
    b.click(&format!(".lang-switch button[lang={lang}]"))
        .await?;
    b.wait_attr("html", "lang", lang).await
}

/// Chooses the option with the value `value` of the select matching `css`, and returns the
/// option's text.
pub async fn select(b: &Browser, css: &str, value: &str) -> Result<String> {
    let el = b.wait_visible(css).await?;
    el.select_by_value(value).await?;
    let option = el
        .find(Locator::Css(&format!("option[value='{value}']")))
        .await?;
    let chosen = b.value(css).await?;
    ensure!(
        chosen == value,
        "{css} holds {chosen:?} after choosing {value:?}"
    );
    Ok(option.text().await?.trim().to_owned())
}

/// Marks the page, so that [`ensure_not_reloaded`] can tell that it was not reloaded since.
pub async fn mark_page(b: &Browser) -> Result {
    b.js("window.__e2eNotReloaded = true;").await?;
    Ok(())
}

/// Fails when the page was loaded again since [`mark_page`].
pub async fn ensure_not_reloaded(b: &Browser, who: &str) -> Result {
    let same = b.js("return window.__e2eNotReloaded === true;").await?;
    ensure!(
        same.as_bool() == Some(true),
        "{who}'s page was reloaded: live updates must arrive without a reload"
    );
    Ok(())
}

/// Fails when something that must arrive live took longer than [`LIVE`] since `since`.
pub fn ensure_live(since: Instant, what: &str) -> Result {
    let took = since.elapsed();
    eprintln!("live: {what} after {took:.2?}");
    ensure!(
        took <= LIVE,
        "{what} only after {took:.1?}; live updates must arrive within {LIVE:?}"
    );
    Ok(())
}

/// The number the bell shows (0 when it shows none), or `None` when there is no bell.
pub async fn bell_count(b: &Browser) -> Result<Option<u32>> {
    if b.client.find_all(Locator::Css("a.bell")).await?.is_empty() {
        return Ok(None);
    }
    let counts = b
        .client
        .find_all(Locator::Css("a.bell .bell-count"))
        .await?;
    match counts.first() {
        None => Ok(Some(0)),
        Some(c) => {
            let t = c.text().await?;
            Ok(Some(t.trim().parse().map_err(|_| {
                Failure(format!("the bell's count reads “{t}”, not a number"))
            })?))
        }
    }
}

/// Waits until the bell shows `n` unread notifications.
pub async fn wait_bell(b: &Browser, n: u32) -> Result {
    b.poll(&format!("the bell to show {n} unread"), async || {
        Ok((bell_count(b).await? == Some(n)).then_some(()))
    })
    .await
}

/// Waits until the bell agrees with the server's unread count, and returns it.
pub async fn settled_unread(b: &Browser) -> Result<u32> {
    b.poll("the bell to show the server's unread count", async || {
        let server = api_get(b, "/api/v1/me/notifications").await?["unread"]
            .as_u64()
            .and_then(|n| u32::try_from(n).ok());
        let shown = bell_count(b).await?;
        Ok(match (server, shown) {
            (Some(s), Some(c)) if s == c => Some(s),
            _ => None,
        })
    })
    .await
}

/// Waits until `#f-{field}-error` shows a text other than `other`, and returns it.
pub async fn error_text(b: &Browser, field: &str, other: Option<&str>) -> Result<String> {
    let css = format!("#f-{field}-error");
    let what = match other {
        Some(o) => format!("an error in `{css}` other than “{o}”"),
        None => format!("an error in `{css}`"),
    };
    b.poll(&what, async || {
        let t = b.client.find(Locator::Css(&css)).await?.text().await?;
        let t = t.trim().to_owned();
        Ok((!t.is_empty() && Some(t.as_str()) != other).then_some(t))
    })
    .await
}

/// Waits until the error beside a field (`#f-{field}-error`) is shown (and differs from
/// `other`, an earlier error of the same field) and the field is marked invalid; returns
/// the error.
pub async fn field_error(b: &Browser, field: &str, other: Option<&str>) -> Result<String> {
    let text = error_text(b, field, other).await?;
    b.wait_attr(&format!("#f-{field}"), "aria-invalid", "true")
        .await?;
    Ok(text)
}

/// Whether the element has the class `class`.
pub async fn has_class(el: &Element, class: &str) -> Result<bool> {
    Ok(el
        .attr("class")
        .await?
        .unwrap_or_default()
        .split_whitespace()
        .any(|c| c == class))
}

// ---------------------------------------------------------------------------------------
// Test files
// ---------------------------------------------------------------------------------------

/// A valid baseline JPEG of 32×24 pixels (a colour gradient) without any metadata, made
/// once with the `image` crate's encoder.
pub const TINY_JPEG_HEX: &str = concat!(
    "ffd8ffe000104a46494600010200000100010000ffc00011080018002003011100021101031101ffdb004300100b0c0e",
    "0c0a100e0d0e1211101318281a181616183123251d283a333d3c3933383740485c4e404457453738506d51575f626768",
    "673e4d71797064785c656763ffdb0043011112121815182f1a1a2f634238426363636363636363636363636363636363",
    "636363636363636363636363636363636363636363636363636363636363636363ffc4001f0000010501010101010100",
    "000000000000000102030405060708090a0bffc400b5100002010303020403050504040000017d010203000411051221",
    "31410613516107227114328191a1082342b1c11552d1f02433627282090a161718191a25262728292a3435363738393a",
    "434445464748494a535455565758595a636465666768696a737475767778797a838485868788898a9293949596979899",
    "9aa2a3a4a5a6a7a8a9aab2b3b4b5b6b7b8b9bac2c3c4c5c6c7c8c9cad2d3d4d5d6d7d8d9dae1e2e3e4e5e6e7e8e9eaf1",
    "f2f3f4f5f6f7f8f9faffc4001f0100030101010101010101010000000000000102030405060708090a0bffc400b51100",
    "020102040403040705040400010277000102031104052131061241510761711322328108144291a1b1c109233352f015",
    "6272d10a162434e125f11718191a262728292a35363738393a434445464748494a535455565758595a63646566676869",
    "6a737475767778797a82838485868788898a92939495969798999aa2a3a4a5a6a7a8a9aab2b3b4b5b6b7b8b9bac2c3c4",
    "c5c6c7c8c9cad2d3d4d5d6d7d8d9dae2e3e4e5e6e7e8e9eaf2f3f4f5f6f7f8f9faffda000c03010002110311003f00aa",
    "91d64d9e7c244e91d436764244e91d66d9d70913a4759b675c245348eb76cf978489d23acdb3ae122748eb36cec8489d",
    "23acdb3ae1229a475b367cbc245848ea1b3ae122748eb36cec8489d23acdb3ae123fffd9",
);

/// The bytes a string of hex digits stands for.
pub fn from_hex(hex: &str) -> Vec<u8> {
    (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).expect("valid hex"))
        .collect()
}

/// Writes a file for a browser to pick and returns its path.
pub fn write_file(dir: &TempDir, name: &str, bytes: &[u8]) -> Result<PathBuf> {
    let path = dir.path().join(name);
    std::fs::write(&path, bytes)?;
    Ok(path)
}

// ---------------------------------------------------------------------------------------
// The network between the browser and the server
// ---------------------------------------------------------------------------------------

/// A link between the browser and the server that a scenario can cut, like a phone's
/// network in a blackout, and that can lose the answer to one chosen request after the
/// server has done it. Each request goes over a connection of its own (`Connection:
/// close`), so every request is seen. Stopped when dropped.
#[derive(Debug)]
pub struct NetLink {
    /// `http://127.0.0.1:<port>`: where the browser reaches the app through the link.
    pub base: String,
    state: std::sync::Arc<LinkState>,
    accept: tokio::task::JoinHandle<()>,
}

#[derive(Debug, Default)]
struct LinkState {
    cut: std::sync::atomic::AtomicBool,
    /// The server's database is away: API requests get the server's 503 (see
    /// [`NetLink::database_away`]).
    away: std::sync::atomic::AtomicBool,
    /// How many API requests were answered 503 so far.
    unavailable: AtomicU32,
    /// `(method, path prefix, path suffix)` of the request whose answer is to be lost.
    lose: Mutex<Option<(String, String, String)>>,
    lost: AtomicU32,
    open: Mutex<Vec<tokio::task::AbortHandle>>,
}

impl NetLink {
    /// A link to the server listening on 127.0.0.1:`upstream`.
    pub async fn start(upstream: u16) -> Self {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0))
            .await
            .expect("the link binds a local port");
        let port = listener.local_addr().expect("the link's address").port();
        let state = std::sync::Arc::new(LinkState::default());
        let st = state.clone();
        let accept = tokio::spawn(async move {
            while let Ok((client, _)) = listener.accept().await {
                if st.cut.load(Ordering::SeqCst) {
                    drop(client);
                    continue;
                }
                let st2 = st.clone();
                let task = tokio::spawn(async move {
                    let _ = carry(client, upstream, &st2).await;
                });
                let mut open = st.open.lock().expect("the link's list is not poisoned");
                open.retain(|t| !t.is_finished());
                open.push(task.abort_handle());
            }
        });
        Self {
            base: format!("http://127.0.0.1:{port}"),
            state,
            accept,
        }
    }

    /// Cuts the network: open connections (live event streams too) break, new ones are
    /// refused.
    pub fn cut(&self) {
        self.state.cut.store(true, Ordering::SeqCst);
        for t in self
            .state
            .open
            .lock()
            .expect("the link's list is not poisoned")
            .drain(..)
        {
            t.abort();
        }
    }

    /// Gives the network back.
    pub fn restore(&self) {
        self.state.cut.store(false, Ordering::SeqCst);
    }

    /// The next request `method` to a path starting with `prefix` and ending with `suffix`
    /// reaches the server, which does it; its answer is then lost on the way back.
    pub fn lose_answer_to(&self, method: &str, prefix: &str, suffix: &str) {
        *self
            .state
            .lose
            .lock()
            .expect("the link's rule is not poisoned") =
            Some((method.to_owned(), prefix.to_owned(), suffix.to_owned()));
    }

    /// How many answers were lost so far.
    pub fn lost(&self) -> u32 {
        self.state.lost.load(Ordering::SeqCst)
    }

    /// Plays the server whose database is away (`true`) or back (`false`): every API
    /// request is answered as the server answers then, `503` problem+json with
    /// `Retry-After` (what `server/tests/faults.rs` proves of the real server on a stopped
    /// PostgreSQL), without reaching the server; the app's files still come through.
    pub fn database_away(&self, away: bool) {
        self.state.away.store(away, Ordering::SeqCst);
    }

    /// How many API requests were answered 503 so far.
    pub fn unavailable(&self) -> u32 {
        self.state.unavailable.load(Ordering::SeqCst)
    }
}

/// The server's answer while its database is away (`hromada_server::error`).
const UNAVAILABLE_ANSWER: &str = r#"{"type":"about:blank","title":"Service Unavailable","status":503,"detail":"The database cannot be reached just now; try again in 5 s.","errors":[]}"#;

impl Drop for NetLink {
    fn drop(&mut self) {
        self.accept.abort();
        self.cut();
    }
}

/// Reads one request from `client`, passes it on with `Connection: close`, and carries the
/// answer back (or loses it, when the link says so).
async fn carry(mut client: TcpStream, upstream: u16, st: &LinkState) -> std::io::Result<()> {
    let mut buf = Vec::with_capacity(8192);
    let head_end = loop {
        let mut chunk = [0u8; 8192];
        let n = client.read(&mut chunk).await?;
        if n == 0 {
            return Ok(());
        }
        buf.extend_from_slice(&chunk[..n]);
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        if buf.len() > 256 * 1024 {
            return Ok(());
        }
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let request_line = lines.next().unwrap_or_default().to_owned();
    let mut parts = request_line.split(' ');
    let (method, target) = (
        parts.next().unwrap_or_default().to_owned(),
        parts.next().unwrap_or_default().to_owned(),
    );
    let mut length = 0usize;
    let mut out = format!("{request_line}\r\n");
    for line in lines.filter(|l| !l.is_empty()) {
        let name = line
            .split(':')
            .next()
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase();
        if name == "content-length" {
            length = line
                .split_once(':')
                .and_then(|(_, v)| v.trim().parse().ok())
                .unwrap_or(0);
        }
        if name == "connection" || name == "keep-alive" {
            continue;
        }
        out.push_str(line);
        out.push_str("\r\n");
    }
    out.push_str("Connection: close\r\n\r\n");
    let mut body = buf[head_end..].to_vec();
    while body.len() < length {
        let mut chunk = vec![0u8; (length - body.len()).min(64 * 1024)];
        let n = client.read(&mut chunk).await?;
        if n == 0 {
            return Ok(());
        }
        body.extend_from_slice(&chunk[..n]);
    }
    if st.cut.load(Ordering::SeqCst) {
        return Ok(());
    }
    let path = target.split('?').next().unwrap_or_default().to_owned();
    if path.starts_with("/api/v1/") && st.away.load(Ordering::SeqCst) {
        st.unavailable.fetch_add(1, Ordering::SeqCst);
        let answer = format!(
            "HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/problem+json\r\n\
             Retry-After: 5\r\nCache-Control: no-store\r\nContent-Length: {}\r\n\
             Connection: close\r\n\r\n{UNAVAILABLE_ANSWER}",
            UNAVAILABLE_ANSWER.len()
        );
        client.write_all(answer.as_bytes()).await?;
        return client.shutdown().await;
    }
    let lose = {
        let mut rule = st.lose.lock().expect("the link's rule is not poisoned");
        let hit = rule.as_ref().is_some_and(|(m, p, s)| {
            *m == method && path.starts_with(p.as_str()) && path.ends_with(s.as_str())
        });
        if hit {
            *rule = None;
        }
        hit
    };
    let mut server = TcpStream::connect(("127.0.0.1", upstream)).await?;
    server.write_all(out.as_bytes()).await?;
    server.write_all(&body).await?;
    if lose {
        // The server does it and answers; the answer never reaches the browser.
        let mut sink = Vec::new();
        server.read_to_end(&mut sink).await?;
        st.lost.fetch_add(1, Ordering::SeqCst);
        return Ok(());
    }
    let (mut from_server, _) = server.split();
    tokio::io::copy(&mut from_server, &mut client).await?;
    client.shutdown().await
}

/// A DevTools protocol command, sent through chromedriver to the browser's page.
#[derive(Debug)]
struct Cdp {
    cmd: &'static str,
    params: Value,
}

impl fantoccini::wd::WebDriverCompatibleCommand for Cdp {
    fn endpoint(
        &self,
        base_url: &url::Url,
        session_id: Option<&str>,
    ) -> std::result::Result<url::Url, url::ParseError> {
        base_url.join(&format!(
            "session/{}/goog/cdp/execute",
            session_id.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        (
            http::Method::POST,
            Some(json!({"cmd": self.cmd, "params": self.params}).to_string()),
        )
    }
}

impl Browser {
    /// Runs a DevTools protocol command on the page; returns its result.
    pub async fn cdp(&self, cmd: &'static str, params: Value) -> Result<Value> {
        self.client
            .issue_cmd(Cdp { cmd, params })
            .await
            .map_err(|e| Failure(format!("DevTools {cmd}: {e}")))
    }

    /// Turns the DevTools protocol's offline emulation on or off for the page.
    pub async fn emulate_offline(&self, offline: bool) -> Result {
        self.cdp("Network.enable", json!({})).await?;
        self.cdp(
            "Network.emulateNetworkConditions",
            json!({
                "offline": offline,
                "latency": 0,
                "downloadThroughput": -1,
                "uploadThroughput": -1,
            }),
        )
        .await?;
        Ok(())
    }

    /// Waits until a service worker controls the page (its caches are filled by then).
    pub async fn wait_service_worker(&self) -> Result {
        self.poll("a service worker to control the page", async || {
            let v = self
                .js("return !!(navigator.serviceWorker && navigator.serviceWorker.controller);")
                .await?;
            Ok((v == json!(true)).then_some(()))
        })
        .await
    }
}

// ---------------------------------------------------------------------------------------
// Mail the server wrote (no SMTP set: `.eml` files under its `data/mail/`)
// ---------------------------------------------------------------------------------------

/// A message the server wrote to `data/mail/`.
#[derive(Debug, Clone)]
pub struct Mail {
    pub path: PathBuf,
    /// The message as written.
    pub raw: String,
    /// Every text part, decoded (base64 and quoted-printable), one after the other.
    pub text: String,
    /// When it was written.
    pub modified: SystemTime,
}

impl Mail {
    /// The first header of this name (unfolded), if any.
    pub fn header(&self, name: &str) -> Option<String> {
        let head = self.raw.split("\r\n\r\n").next().unwrap_or_default();
        let unfolded = head.replace("\r\n ", " ").replace("\r\n\t", " ");
        unfolded.lines().find_map(|l| {
            let (n, v) = l.split_once(':')?;
            n.trim()
                .eq_ignore_ascii_case(name)
                .then(|| v.trim().to_owned())
        })
    }

    /// Whether it is addressed to `email`.
    pub fn is_to(&self, email: &str) -> bool {
        self.header("To")
            .is_some_and(|t| t.to_lowercase().contains(&email.to_lowercase()))
    }

    /// The first link in its text whose path starts with `prefix` (`/reset-password?`),
    /// from the path on (the host is the server's `HROMADA_PUBLIC_URL`).
    pub fn link(&self, prefix: &str) -> Option<String> {
        let at = self.text.find(prefix)?;
        let rest = &self.text[at..];
        let end = rest
            .find(|c: char| c.is_whitespace() || "\"'<>)".contains(c))
            .unwrap_or(rest.len());
        Some(rest[..end].replace("&amp;", "&"))
    }
}

/// Decodes base64 (standard alphabet; whitespace ignored).
pub fn from_base64(s: &str) -> Vec<u8> {
    let mut out = Vec::new();
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in s.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            _ => continue,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    out
}

/// Decodes quoted-printable.
fn from_quoted_printable(s: &str) -> Vec<u8> {
    let s = s.replace("=\r\n", "").replace("=\n", "");
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let hex = |c: u8| (c as char).to_digit(16);
        if b[i] == b'='
            && i + 2 < b.len()
            && let (Some(h), Some(l)) = (hex(b[i + 1]), hex(b[i + 2]))
        {
            let v = (h * 16 + l) as u8;
            out.push(v);
            i += 3;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    out
}

/// The decoded text of every part of a MIME message (a rough reader: enough for what the
/// server writes).
fn mime_text(raw: &str) -> String {
    let mut out = String::new();
    for part in raw.split("\r\n--").chain(std::iter::once(raw)) {
        let Some((head, body)) = part.split_once("\r\n\r\n") else {
            continue;
        };
        let head = head.to_lowercase();
        if !head.contains("content-type: text/") && !head.contains("content-transfer-encoding") {
            continue;
        }
        let body = body.split("\r\n--").next().unwrap_or_default();
        let bytes = if head.contains("content-transfer-encoding: base64") {
            from_base64(body)
        } else if head.contains("content-transfer-encoding: quoted-printable") {
            from_quoted_printable(body)
        } else {
            body.as_bytes().to_vec()
        };
        out.push_str(&String::from_utf8_lossy(&bytes));
        out.push('\n');
    }
    out
}

/// Every message the server has written so far, oldest first.
pub fn mails(server: &Server) -> Vec<Mail> {
    let dir = server.dir().join("data").join("mail");
    let mut out: Vec<Mail> = std::fs::read_dir(&dir)
        .into_iter()
        .flatten()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "eml"))
        .filter_map(|e| {
            let raw = std::fs::read_to_string(e.path()).ok()?;
            let modified = e
                .metadata()
                .and_then(|m| m.modified())
                .unwrap_or(UNIX_EPOCH);
            Some(Mail {
                path: e.path(),
                text: mime_text(&raw),
                raw,
                modified,
            })
        })
        .collect();
    out.sort_by_key(|m| (m.modified, m.path.clone()));
    out
}

/// Waits until the server has written a message to `to` that has a link starting with
/// `prefix`; returns the newest such message and that link.
pub async fn wait_mail(server: &Server, to: &str, prefix: &str) -> Result<(Mail, String)> {
    let started = Instant::now();
    loop {
        if let Some(found) = mails(server)
            .into_iter()
            .rev()
            .filter(|m| m.is_to(to))
            .find_map(|m| m.link(prefix).map(|l| (m, l)))
        {
            return Ok(found);
        }
        if started.elapsed() > WAIT {
            let seen: Vec<String> = mails(server)
                .iter()
                .map(|m| format!("{} to {:?}", m.path.display(), m.header("To")))
                .collect();
            return Err(Failure(format!(
                "waited {WAIT:?} for a message to {to} with a link {prefix}…, in vain; the server wrote: {seen:?}"
            )));
        }
        tokio::time::sleep(POLL).await;
    }
}

// ---------------------------------------------------------------------------------------
// Push: notifications granted through the DevTools protocol, and pushes delivered to the
// service worker the same way (headless Chromium cannot reach a real push service)
// ---------------------------------------------------------------------------------------

impl Browser {
    /// The app's origin in this browser (`http://127.0.0.1:<port>`).
    pub fn origin(&self) -> &str {
        &self.base
    }

    /// Lets the app show notifications, as a person who pressed "Allow" would.
    pub async fn grant_notifications(&self) -> Result {
        self.cdp(
            "Browser.grantPermissions",
            json!({"origin": self.base, "permissions": ["notifications"]}),
        )
        .await?;
        Ok(())
    }

    /// Delivers a push message with this payload to the app's service worker (the only
    /// registration of a fresh profile; a few first ids are tried, pushes to none are
    /// dropped by the browser).
    pub async fn deliver_push(&self, data: &str) -> Result {
        self.cdp("ServiceWorker.enable", json!({})).await?;
        for id in 0..3 {
            self.cdp(
                "ServiceWorker.deliverPushMessage",
                json!({"origin": self.base, "registrationId": id.to_string(), "data": data}),
            )
            .await?;
        }
        Ok(())
    }

    /// Delivers a push (see [`Browser::deliver_push`]) until a notification titled `title`
    /// shows, and returns it. The DevTools protocol's service worker domain learns of the
    /// registrations a moment after it is enabled, and drops pushes meanwhile: the push is
    /// delivered again (a notification with a tag replaces its earlier self).
    pub async fn push_until_shown(&self, data: &str, title: &str) -> Result<Value> {
        for _ in 0..8 {
            self.deliver_push(data).await?;
            let started = Instant::now();
            while started.elapsed() < Duration::from_secs(2) {
                if let Some(n) = self
                    .notifications()
                    .await?
                    .into_iter()
                    .find(|n| n["title"] == json!(title))
                {
                    return Ok(n);
                }
                tokio::time::sleep(POLL).await;
            }
        }
        Err(Failure(format!(
            "[{}] a push titled “{title}” never showed; shown: {:?}",
            self.label,
            self.notifications().await
        )))
    }

    /// The notifications the service worker shows now: `[{title, body, tag, url}]`.
    pub async fn notifications(&self) -> Result<Vec<Value>> {
        let v = self
            .client
            .execute_async(
                "const done = arguments[0]; navigator.serviceWorker.ready\
                 .then(r => r.getNotifications())\
                 .then(ns => done(ns.map(n => ({title: n.title, body: n.body, tag: n.tag, \
                   url: n.data && n.data.url, icon: n.icon}))))\
                 .catch(e => done({error: String(e)}));",
                vec![],
            )
            .await?;
        match v {
            Value::Array(items) => Ok(items),
            other => Err(Failure(format!(
                "reading the notifications failed: {other}"
            ))),
        }
    }

    /// Waits until a notification titled `title` shows; returns it.
    pub async fn wait_notification(&self, title: &str) -> Result<Value> {
        let found = self
            .poll(
                &format!("a notification titled “{title}”"),
                async || {
                    Ok(self
                        .notifications()
                        .await?
                        .into_iter()
                        .find(|n| n["title"] == json!(title)))
                },
            )
            .await;
        match found {
            Ok(n) => Ok(n),
            Err(Failure(e)) => Err(Failure(format!(
                "{e}\n  notifications shown: {:?}",
                self.notifications().await
            ))),
        }
    }
}
