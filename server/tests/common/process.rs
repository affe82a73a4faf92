//! The real `hromada-server` binary as a child process on a free loopback port: for the
//! tests that kill it, restart it, or run several of them on one database.

use std::net::{Ipv4Addr, TcpListener};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// How long a server may take to answer `/health` after it starts.
const START_TIMEOUT: Duration = Duration::from_secs(60);
/// Starting on a free port races other processes for it: tries that many ports.
const START_ATTEMPTS: usize = 5;

fn free_port() -> u16 {
    TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .and_then(|l| l.local_addr())
        .expect("a free loopback port")
        .port()
}

/// A running `hromada-server`, killed with SIGKILL when dropped unless it has ended.
pub struct ServerProcess {
    pub child: Child,
    /// `127.0.0.1:<port>`.
    pub addr: String,
    /// Where its output goes.
    pub log: PathBuf,
    /// How it was started, to start it again ([`ServerProcess::restart`]).
    dir: PathBuf,
    database_url: String,
    name: String,
    env: Vec<(String, String)>,
}

impl ServerProcess {
    /// Starts the binary in `dir` with `DATABASE_URL = database_url`, the folders it writes
    /// under `dir`, no demo content, and the environment `env` adds; its output goes to
    /// `dir/<name>.log`. Returns once it says it listens on its own port and `/health`
    /// answers 200; when another process took the port first, it tries another.
    pub fn start(dir: &Path, database_url: &str, name: &str, env: &[(&str, &str)]) -> Self {
        let env: Vec<(String, String)> = env
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        Self::start_at(dir, database_url, name, &env, None)
    }

    /// Starts it again on the same port (after it ended), with the same settings; its
    /// output is added to the same log.
    pub fn restart(&mut self) {
        let _ = self.child.wait();
        let (dir, url, name, env) = (
            self.dir.clone(),
            self.database_url.clone(),
            self.name.clone(),
            std::mem::take(&mut self.env),
        );
        let next = Self::start_at(&dir, &url, &name, &env, Some(self.addr.clone()));
        *self = next;
    }

    /// Sends SIGTERM (a graceful stop) and waits at most `within` for it to end: how long
    /// it took, or `None` if it was still running (it is then left running).
    pub fn terminate(&mut self, within: Duration) -> Option<Duration> {
        let asked = Instant::now();
        let _ = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        while asked.elapsed() < within {
            if let Ok(Some(_)) = self.child.try_wait() {
                return Some(asked.elapsed());
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        None
    }

    fn start_at(
        dir: &Path,
        database_url: &str,
        name: &str,
        env: &[(String, String)],
        at: Option<String>,
    ) -> Self {
        let log_path = dir.join(format!("{name}.log"));
        for attempt in 1..=START_ATTEMPTS {
            let addr = at
                .clone()
                .unwrap_or_else(|| format!("127.0.0.1:{}", free_port()));
            let port = addr.rsplit(':').next().unwrap_or_default().to_owned();
            let log = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(&log_path)
                .expect("open the server's log");
            let mut cmd = Command::new(env!("CARGO_BIN_EXE_hromada-server"));
            cmd.current_dir(dir)
                .env("DATABASE_URL", database_url)
                .env("HROMADA_ADDR", &addr)
                .env("HROMADA_STATIC_DIR", dir.join("no-such-dist"))
                .env("HROMADA_MEDIA_DIR", dir.join("media"))
                .env("HROMADA_MAIL_DIR", dir.join("mail"))
                .env("HROMADA_SECRET_KEY_FILE", dir.join("secret.key"))
                .env("RUST_LOG", "hromada_server=info")
                .env("NO_COLOR", "1")
                .env_remove("HROMADA_DEMO")
                .env_remove("HROMADA_SMTP_URL")
                .env_remove("HROMADA_SECRET_KEY")
                .env_remove("HROMADA_ALLOWED_ORIGINS")
                .stdin(Stdio::null())
                .stdout(log.try_clone().expect("log file"))
                .stderr(log);
            for (k, v) in env {
                cmd.env(k, v);
            }
            let child = cmd.spawn().expect("start hromada-server");
            let mut server = Self {
                child,
                addr,
                log: log_path.clone(),
                dir: dir.to_path_buf(),
                database_url: database_url.to_owned(),
                name: name.to_owned(),
                env: env.to_vec(),
            };
            // A restarted process's log already holds its earlier lines.
            let before = server.output().len();
            let deadline = Instant::now() + START_TIMEOUT;
            loop {
                let output = server.output().get(before..).unwrap_or_default().to_owned();
                if let Ok(Some(status)) = server.child.try_wait() {
                    if at.is_none()
                        && attempt < START_ATTEMPTS
                        && output.contains("Address already in use")
                    {
                        eprintln!("{name}: port {port} was taken meanwhile; trying another");
                        break;
                    }
                    panic!("{name} exited ({status}):\n{output}");
                }
                // Its own line first: another process may answer on a port taken meanwhile.
                if output.contains(&format!("running at http://{}/", server.addr))
                    && health(&server.addr)
                {
                    return server;
                }
                assert!(
                    Instant::now() < deadline,
                    "{name} did not start within {START_TIMEOUT:?}:\n{output}"
                );
                std::thread::sleep(Duration::from_millis(50));
            }
        }
        unreachable!("the last attempt either returns or panics")
    }

    /// `http://127.0.0.1:<port>/api/v1`.
    pub fn api(&self) -> String {
        format!("http://{}/api/v1", self.addr)
    }

    /// Everything it has written so far.
    pub fn output(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// SIGKILL (what `Child::kill` sends on Unix), and reap it.
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        self.kill();
    }
}

/// Whether `GET /api/v1/health` on `addr` answers 200 (a blocking one-shot HTTP/1.1 call).
fn health(addr: &str) -> bool {
    use std::io::{Read, Write};
    let Ok(mut stream) = std::net::TcpStream::connect(addr) else {
        return false;
    };
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let request =
        format!("GET /api/v1/health HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n");
    if stream.write_all(request.as_bytes()).is_err() {
        return false;
    }
    let mut head = [0u8; 12];
    stream.read_exact(&mut head).is_ok() && head.starts_with(b"HTTP/1.1 200")
}

/// Signs in through `api` (`http://…/api/v1`) with a password: the `hromada_session=…`
/// cookie, or `None` when the sign-in is refused.
pub async fn session_cookie(
    client: &reqwest::Client,
    api: &str,
    email: &str,
    password: &str,
) -> Option<String> {
    let r = client
        .post(format!("{api}/auth/login"))
        .json(&serde_json::json!({"email": email, "password": password}))
        .send()
        .await
        .expect("sign in");
    if r.status().as_u16() != 200 {
        return None;
    }
    r.headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("hromada_session="))
        .and_then(|c| c.split(';').next())
        .map(str::to_owned)
}
