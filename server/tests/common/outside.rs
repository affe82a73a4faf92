//! Real outside services for the tests that deliver mail and Web Push messages, each a
//! child process on a free loopback port, killed when dropped. Installed by
//! `scripts/ensure-tools.sh test`:
//!
//! - [`SmtpServer`]: aiosmtpd (PyPI, in `.tools/aiosmtpd`) running `scripts/smtp-sink.py`,
//!   which keeps every message it accepts and refuses recipients starting with `bounce`
//!   (550 5.1.1 at RCPT TO) or `defer` (451 4.3.0).
//! - [`PushService`]: web-push-testing (npm, in `scripts/push-service/node_modules`), a
//!   push service that decrypts and keeps the messages sent to its subscriptions.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use base64::Engine;
use mail_parser::{MessageParser, MimeHeaders, PartType};
use serde_json::{Value, json};

/// How long a service may take to start.
const START_TIMEOUT: Duration = Duration::from_secs(30);
/// Starting on a free port races other processes for it: tries that many ports.
const START_ATTEMPTS: usize = 3;

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("the server crate sits in the workspace")
        .to_path_buf()
}

fn not_installed(what: &str, looked_for: &Path) -> ! {
    panic!(
        "{what} is not installed (no {}): run `scripts/ensure-tools.sh test` in {}",
        looked_for.display(),
        workspace_root().display()
    )
}

/// A fresh empty folder under the system's temporary folder.
fn temp_folder(what: &str) -> PathBuf {
    static COUNT: AtomicUsize = AtomicUsize::new(0);
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    let dir = std::env::temp_dir().join(format!(
        "hromada-{what}-{}-{}-{nanos}",
        std::process::id(),
        COUNT.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::create_dir_all(&dir).expect("create a temporary folder");
    dir
}

fn free_port() -> u16 {
    TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .and_then(|l| l.local_addr())
        .expect("a free loopback port")
        .port()
}

fn loopback(port: u16) -> SocketAddr {
    SocketAddr::from((Ipv4Addr::LOCALHOST, port))
}

/// A child process that is killed (and its folder removed) when dropped.
struct Service {
    child: Child,
    port: u16,
    dir: PathBuf,
}

impl Drop for Service {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Starts `command(port)` on a free port, its output into `dir/<name>.log` (shown when it
/// fails), and waits until `ready(port, output so far)` holds. The output must say that
/// this child listens: another one may have taken the port between the two.
fn start_service(
    name: &str,
    mut dir: PathBuf,
    mut command: impl FnMut(u16) -> Command,
    ready: impl Fn(u16, &str) -> bool,
) -> Service {
    let log_path = dir.join(format!("{name}.log"));
    for attempt in 1..=START_ATTEMPTS {
        let port = free_port();
        let log = File::create(&log_path).expect("create the service's log");
        let mut cmd = command(port);
        // A pipe the service reads until it closes, then exits: it closes when this
        // process ends, even killed, so that no service outlives its tests.
        cmd.current_dir(&dir)
            .stdin(Stdio::piped())
            .stdout(log.try_clone().expect("log file"))
            .stderr(log);
        let child = match cmd.spawn() {
            Ok(child) => child,
            Err(e) => panic!(
                "cannot start {name} ({cmd:?}): {e}; run `scripts/ensure-tools.sh test` in {}",
                workspace_root().display()
            ),
        };
        let mut service = Service { child, port, dir };
        let deadline = Instant::now() + START_TIMEOUT;
        loop {
            let output = std::fs::read_to_string(&log_path).unwrap_or_default();
            if ready(port, &output) {
                return service;
            }
            if let Ok(Some(status)) = service.child.try_wait() {
                let log = std::fs::read_to_string(&log_path).unwrap_or_default();
                if attempt == START_ATTEMPTS {
                    panic!("{name} exited ({status}) on port {port}:\n{log}");
                }
                eprintln!("{name} exited ({status}) on port {port}, trying another port:\n{log}");
                break;
            }
            if Instant::now() > deadline {
                let log = std::fs::read_to_string(&log_path).unwrap_or_default();
                panic!("{name} did not start on port {port} within {START_TIMEOUT:?}:\n{log}");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        // Keeps the folder for the next attempt; the child is dead already.
        dir = std::mem::take(&mut service.dir);
        drop(service);
    }
    unreachable!()
}

// ---------------------------------------------------------------------------------------
// SMTP

/// An SMTP server on `127.0.0.1` (no TLS, no authentication) that keeps what it accepts.
/// Recipients whose address starts with `bounce` are refused at RCPT TO with a permanent
/// `550 5.1.1`, those starting with `defer` with a temporary `451 4.3.0`.
pub struct SmtpServer {
    service: Service,
}

/// A message as the SMTP server received it.
#[derive(Debug, Clone)]
pub struct ReceivedMail {
    /// The bytes after DATA, unchanged (CRLF line ends, dots unstuffed).
    pub raw: Vec<u8>,
    /// The envelope's sender (MAIL FROM).
    pub mail_from: String,
    /// The envelope's accepted recipients (RCPT TO).
    pub rcpt_to: Vec<String>,
    /// The top-level header fields by lower-case name, in order: values unfolded and
    /// trimmed, with RFC 2047 encoded words decoded.
    pub headers: BTreeMap<String, Vec<String>>,
    /// The decoded `text/plain` parts that are not attachments, in order, with `\n` line
    /// ends.
    pub text_parts: Vec<String>,
    /// The decoded `text/html` parts that are not attachments, in order, with `\n` line
    /// ends.
    pub html_parts: Vec<String>,
}

impl ReceivedMail {
    /// The first header field of that name (any case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .get(&name.to_ascii_lowercase())
            .and_then(|v| v.first())
            .map(String::as_str)
    }

    /// Every header field of that name (any case), in order.
    pub fn header_all(&self, name: &str) -> &[String] {
        self.headers
            .get(&name.to_ascii_lowercase())
            .map(Vec::as_slice)
            .unwrap_or_default()
    }

    /// The decoded subject.
    pub fn subject(&self) -> Option<&str> {
        self.header("subject")
    }

    /// The first `text/plain` part, decoded (quoted-printable or base64, any charset), with
    /// `\n` line ends.
    pub fn text(&self) -> Option<&str> {
        self.text_parts.first().map(String::as_str)
    }

    /// The first `text/html` part, decoded.
    pub fn html(&self) -> Option<&str> {
        self.html_parts.first().map(String::as_str)
    }

    /// The raw message as text (invalid UTF-8 replaced).
    pub fn raw_str(&self) -> String {
        String::from_utf8_lossy(&self.raw).into_owned()
    }

    fn parse(raw: Vec<u8>, envelope: &Value) -> ReceivedMail {
        let message = MessageParser::default()
            .parse(&raw)
            .unwrap_or_else(|| panic!("unparsable mail:\n{}", String::from_utf8_lossy(&raw)));
        let mut headers: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for header in &message.parts[0].headers {
            let value = raw
                .get(header.offset_start() as usize..header.offset_end() as usize)
                .unwrap_or_default();
            headers
                .entry(header.name().to_ascii_lowercase())
                .or_default()
                .push(decode_encoded_words(&unfold(&String::from_utf8_lossy(
                    value,
                ))));
        }
        let (mut text_parts, mut html_parts) = (Vec::new(), Vec::new());
        for part in &message.parts {
            let attachment = part
                .content_disposition()
                .is_some_and(|d| d.ctype().eq_ignore_ascii_case("attachment"));
            let plain = part.content_type().is_none_or(|t| {
                t.ctype().eq_ignore_ascii_case("text")
                    && t.subtype().is_none_or(|s| s.eq_ignore_ascii_case("plain"))
            });
            match &part.body {
                PartType::Text(text) if plain && !attachment => {
                    text_parts.push(text.replace("\r\n", "\n"))
                }
                PartType::Html(html) if !attachment => html_parts.push(html.replace("\r\n", "\n")),
                _ => {}
            }
        }
        ReceivedMail {
            mail_from: envelope["mail_from"]
                .as_str()
                .unwrap_or_default()
                .to_string(),
            rcpt_to: envelope["rcpt_tos"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .filter_map(|r| r.as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default(),
            headers,
            text_parts,
            html_parts,
            raw,
        }
    }
}

/// A header value with its folding removed (RFC 5322 2.2.3), trimmed.
fn unfold(value: &str) -> String {
    value
        .replace("\r\n", "\n")
        .split('\n')
        .collect::<String>()
        .trim()
        .to_string()
}

/// Decodes the RFC 2047 encoded words of a header value (`=?utf-8?B?…?=`, `=?UTF-8?Q?…?=`;
/// UTF-8, US-ASCII and ISO-8859-1), dropping the white space between adjacent ones.
/// Anything that is not a well-formed encoded word is kept as it is.
fn decode_encoded_words(value: &str) -> String {
    let mut out = String::new();
    // The bytes of the encoded words read since the last text, and their charset: adjacent
    // words are decoded together (some encoders split a character between two).
    let mut pending: Vec<u8> = Vec::new();
    let mut pending_charset = String::new();
    let flush = |out: &mut String, pending: &mut Vec<u8>, charset: &str| {
        if !pending.is_empty() {
            out.push_str(&decode_charset(pending, charset));
            pending.clear();
        }
    };
    let mut rest = value;
    let mut after_word = false;
    while let Some(at) = rest.find("=?") {
        let (before, from) = rest.split_at(at);
        match encoded_word(from) {
            Some((charset, bytes, len)) => {
                let between_words = after_word && before.chars().all(char::is_whitespace);
                if !between_words || charset != pending_charset {
                    flush(&mut out, &mut pending, &pending_charset);
                }
                if !between_words {
                    out.push_str(before);
                }
                pending_charset = charset;
                pending.extend_from_slice(&bytes);
                rest = &from[len..];
                after_word = true;
            }
            None => {
                flush(&mut out, &mut pending, &pending_charset);
                out.push_str(before);
                out.push_str("=?");
                rest = &from[2..];
                after_word = false;
            }
        }
    }
    flush(&mut out, &mut pending, &pending_charset);
    out.push_str(rest);
    out
}

/// One encoded word at the start of `s` (which starts with `=?`): its charset (lower
/// case, language dropped), its bytes and its length in `s`.
fn encoded_word(s: &str) -> Option<(String, Vec<u8>, usize)> {
    let body = s.strip_prefix("=?")?;
    let (charset, rest) = body.split_once('?')?;
    let (encoding, rest) = rest.split_once('?')?;
    let text_end = rest.find("?=")?;
    let text = &rest[..text_end];
    let len = 2 + charset.len() + 1 + encoding.len() + 1 + text_end + 2;
    if text.contains(char::is_whitespace)
        || charset.is_empty()
        || charset.contains(char::is_whitespace)
    {
        return None;
    }
    let bytes = match encoding {
        "B" | "b" => base64::engine::general_purpose::STANDARD_NO_PAD
            .decode(text.trim_end_matches('='))
            .ok()?,
        "Q" | "q" => {
            let mut bytes = Vec::new();
            let mut chars = text.bytes();
            while let Some(b) = chars.next() {
                match b {
                    b'_' => bytes.push(b' '),
                    b'=' => {
                        let hex = [chars.next()?, chars.next()?];
                        bytes.push(u8::from_str_radix(std::str::from_utf8(&hex).ok()?, 16).ok()?);
                    }
                    b => bytes.push(b),
                }
            }
            bytes
        }
        _ => return None,
    };
    let charset = charset
        .split('*')
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    Some((charset, bytes, len))
}

fn decode_charset(bytes: &[u8], charset: &str) -> String {
    match charset {
        "iso-8859-1" | "latin1" => bytes.iter().map(|&b| char::from(b)).collect(),
        _ => String::from_utf8_lossy(bytes).into_owned(),
    }
}

impl SmtpServer {
    /// Starts the server; panics, saying what to install, when aiosmtpd is missing.
    pub fn start() -> SmtpServer {
        let root = workspace_root();
        let python = root.join(".tools/aiosmtpd/bin/python");
        let script = root.join("scripts/smtp-sink.py");
        if !python.exists() {
            not_installed("aiosmtpd", &python);
        }
        let dir = temp_folder("smtp");
        let mail = dir.join("mail");
        let service = start_service(
            "aiosmtpd",
            dir,
            |port| {
                let mut cmd = Command::new(&python);
                cmd.arg(&script)
                    .arg("127.0.0.1")
                    .arg(port.to_string())
                    .arg(&mail)
                    .env("PYTHONUNBUFFERED", "1")
                    .env("PYTHONDONTWRITEBYTECODE", "1");
                cmd
            },
            // smtp-sink.py says "ready" once it listens.
            |port, output| {
                output.lines().any(|l| l == "ready")
                    && TcpStream::connect_timeout(&loopback(port), Duration::from_millis(500))
                        .is_ok()
            },
        );
        SmtpServer { service }
    }

    pub fn port(&self) -> u16 {
        self.service.port
    }

    /// `smtp://127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.service.port)
    }

    /// Every message received so far, in the order received.
    pub fn messages(&self) -> Vec<ReceivedMail> {
        let folder = self.service.dir.join("mail");
        let mut names: Vec<String> = std::fs::read_dir(&folder)
            .map(|entries| {
                entries
                    .filter_map(|e| e.ok()?.file_name().into_string().ok())
                    .filter(|n| n.ends_with(".json") && !n.starts_with('.'))
                    .collect()
            })
            .unwrap_or_default();
        names.sort();
        names
            .iter()
            .map(|name| {
                let stem = name.trim_end_matches(".json");
                let envelope: Value = serde_json::from_slice(
                    &std::fs::read(folder.join(name)).expect("read an envelope"),
                )
                .expect("an envelope is JSON");
                let raw = std::fs::read(folder.join(format!("{stem}.eml"))).expect("read a mail");
                ReceivedMail::parse(raw, &envelope)
            })
            .collect()
    }

    /// Waits (without blocking the runtime) until at least `n` messages arrived; panics
    /// after `timeout`. Returns them all.
    pub async fn wait_for(&self, n: usize, timeout: Duration) -> Vec<ReceivedMail> {
        let deadline = Instant::now() + timeout;
        loop {
            let messages = self.messages();
            if messages.len() >= n {
                return messages;
            }
            if Instant::now() > deadline {
                panic!(
                    "{} mail(s) after {timeout:?}, expected {n}:\n{:#?}",
                    messages.len(),
                    messages
                        .iter()
                        .map(ReceivedMail::raw_str)
                        .collect::<Vec<_>>()
                );
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    }

    /// [`SmtpServer::wait_for`] for tests without a runtime.
    pub fn wait_for_blocking(&self, n: usize, timeout: Duration) -> Vec<ReceivedMail> {
        let deadline = Instant::now() + timeout;
        loop {
            let messages = self.messages();
            if messages.len() >= n || Instant::now() > deadline {
                assert!(
                    messages.len() >= n,
                    "{} mail(s) after {timeout:?}, expected {n}",
                    messages.len()
                );
                return messages;
            }
            std::thread::sleep(Duration::from_millis(25));
        }
    }
}

// ---------------------------------------------------------------------------------------
// Web Push

/// A Web Push service (web-push-testing) on a free port. Its subscriptions' endpoints are
/// `http://localhost:PORT/notify/<client hash>`; it checks the VAPID signature, decrypts
/// what it is sent (aes128gcm or aesgcm) and keeps it; an expired subscription answers 410.
pub struct PushService {
    service: Service,
}

impl PushService {
    /// Starts the service; panics, saying what to install, when it is missing.
    pub fn start() -> PushService {
        let root = workspace_root();
        let server_js =
            root.join("scripts/push-service/node_modules/web-push-testing/src/bin/server.js");
        let serve_js = root.join("scripts/push-service/serve.js");
        if !server_js.exists() {
            not_installed("web-push-testing", &server_js);
        }
        // serve.js runs src/bin/server.js in the foreground (the package's CLI would
        // daemonise it), until killed or until its standard input closes.
        let service = start_service(
            "web-push-testing",
            temp_folder("push"),
            |port| {
                let mut cmd = Command::new("node");
                cmd.arg(&serve_js).arg(port.to_string());
                cmd
            },
            |port, output| {
                output.contains(&format!("Server running on port {port}"))
                    && matches!(http_post(port, "/status", &[], b""), Ok((200, _)))
            },
        );
        PushService { service }
    }

    pub fn port(&self) -> u16 {
        self.service.port
    }

    /// `http://localhost:PORT`, the origin of its endpoints.
    pub fn origin(&self) -> String {
        format!("http://localhost:{}", self.service.port)
    }

    /// A new subscription for that application server key (the VAPID public key, an
    /// uncompressed P-256 point in base64url): the subscription's JSON as a browser gives
    /// it (`endpoint`, `keys.p256dh`, `keys.auth`), and its client hash.
    pub fn subscribe(&self, application_server_key: &str) -> (Value, String) {
        let body =
            json!({ "applicationServerKey": application_server_key, "userVisibleOnly": "true" });
        let mut answer = self.call("/subscribe", &body);
        let data = answer["data"].take();
        let hash = data["clientHash"]
            .as_str()
            .expect("a client hash")
            .to_string();
        let subscription = json!({ "endpoint": data["endpoint"], "keys": data["keys"] });
        (subscription, hash)
    }

    /// The messages its subscription received so far, decrypted, in order.
    pub fn messages(&self, client_hash: &str) -> Vec<String> {
        let answer = self.call("/get-notifications", &json!({ "clientHash": client_hash }));
        answer["data"]["messages"]
            .as_array()
            .expect("a list of messages")
            .iter()
            .map(|m| m.as_str().unwrap_or_default().to_string())
            .collect()
    }

    /// Waits (without blocking the runtime) until the subscription received at least `n`
    /// messages; panics after `timeout`. Returns them all.
    pub async fn wait_for(&self, client_hash: &str, n: usize, timeout: Duration) -> Vec<String> {
        let deadline = Instant::now() + timeout;
        loop {
            let messages = self.messages(client_hash);
            if messages.len() >= n {
                return messages;
            }
            if Instant::now() > deadline {
                panic!(
                    "{} push message(s) after {timeout:?}, expected {n}: {messages:?}",
                    messages.len()
                );
            }
            tokio::time::sleep(Duration::from_millis(25)).await;
        }
    }

    /// Expires the subscription: what is sent to it from now on is answered 410 Gone.
    pub fn expire(&self, client_hash: &str) {
        let (status, body) = self.post(&format!("/expire-subscription/{client_hash}"), &[], b"");
        assert_eq!(status, 200, "expire {client_hash}: {body}");
    }

    /// A POST to the service: its status and body.
    pub fn post(&self, path: &str, headers: &[(&str, &str)], body: &[u8]) -> (u16, String) {
        http_post(self.service.port, path, headers, body)
            .unwrap_or_else(|e| panic!("POST {path} to the push service: {e}"))
    }

    fn call(&self, path: &str, body: &Value) -> Value {
        let (status, answer) = self.post(
            path,
            &[("Content-Type", "application/json")],
            body.to_string().as_bytes(),
        );
        assert_eq!(status, 200, "POST {path} {body}: {answer}");
        serde_json::from_str(&answer).unwrap_or_else(|e| panic!("POST {path}: {e}: {answer}"))
    }
}

/// A minimal HTTP/1.1 POST to `127.0.0.1:port` (one connection per request).
fn http_post(
    port: u16,
    path: &str,
    headers: &[(&str, &str)],
    body: &[u8],
) -> std::io::Result<(u16, String)> {
    let mut stream = TcpStream::connect_timeout(&loopback(port), Duration::from_secs(2))?;
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    stream.set_write_timeout(Some(Duration::from_secs(10)))?;
    let mut request = format!(
        "POST {path} HTTP/1.1\r\nHost: localhost:{port}\r\nContent-Length: {}\r\nConnection: close\r\n",
        body.len()
    );
    for (name, value) in headers {
        request.push_str(&format!("{name}: {value}\r\n"));
    }
    request.push_str("\r\n");
    stream.write_all(request.as_bytes())?;
    stream.write_all(body)?;
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer)?;
    let bad = |what: &str| std::io::Error::new(std::io::ErrorKind::InvalidData, what.to_string());
    let split = answer
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(|| bad("no end of the response's head"))?;
    let head = String::from_utf8_lossy(&answer[..split]).into_owned();
    let mut content = answer[split + 4..].to_vec();
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| bad("no status"))?;
    let chunked = head.lines().any(|l| {
        l.split_once(':').is_some_and(|(n, v)| {
            n.trim().eq_ignore_ascii_case("transfer-encoding")
                && v.to_ascii_lowercase().contains("chunked")
        })
    });
    if chunked {
        content = dechunk(&content).ok_or_else(|| bad("bad chunked body"))?;
    }
    Ok((status, String::from_utf8_lossy(&content).into_owned()))
}

fn dechunk(mut data: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    loop {
        let line_end = data.windows(2).position(|w| w == b"\r\n")?;
        let size_text = std::str::from_utf8(&data[..line_end]).ok()?;
        let size = usize::from_str_radix(size_text.split(';').next()?.trim(), 16).ok()?;
        data = &data[line_end + 2..];
        if size == 0 {
            return Some(out);
        }
        out.extend_from_slice(data.get(..size)?);
        data = data.get(size + 2..)?;
    }
}
