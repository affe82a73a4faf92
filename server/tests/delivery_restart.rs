//! A server killed with SIGKILL between an urgent alert and its pushes sends them after
//! it starts again, once. The real binary, a SQLite file, and the real local push
//! service (web-push-testing): the first process commits the alert (and with it the
//! delivery) and dies before any push; the next one sends every push exactly once.

mod common;

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::outside::PushService;
use common::{GOOD_PASSWORD, KHERSON};
use serde_json::{Value, json};

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

struct Server {
    child: Child,
    base: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn spawn(dir: &Path, db_url: &str, push_origin: &str, worker: bool, run: u32) -> Server {
    let port = free_port();
    let log = std::fs::File::create(dir.join(format!("server-{run}.log"))).expect("log");
    let child = Command::new(env!("CARGO_BIN_EXE_hromada-server"))
        .current_dir(dir)
        .env("DATABASE_URL", db_url)
        .env("HROMADA_ADDR", format!("127.0.0.1:{port}"))
        .env("HROMADA_STATIC_DIR", dir.join("no-such-dist"))
        .env("HROMADA_MEDIA_DIR", dir.join("media"))
        .env("HROMADA_MAIL_DIR", dir.join("mail"))
        .env("HROMADA_SECRET_KEY_FILE", dir.join("secret.key"))
        .env("HROMADA_PUSH_ORIGINS", push_origin)
        .env("HROMADA_DELIVERY_WORKER", if worker { "1" } else { "0" })
        .env("RUST_LOG", "hromada_server=info")
        .env_remove("HROMADA_DEMO")
        .env_remove("HROMADA_SMTP_URL")
        .env_remove("HROMADA_SECRET_KEY")
        .stdin(Stdio::null())
        .stdout(log.try_clone().expect("log"))
        .stderr(log)
        .spawn()
        .expect("start hromada-server");
    let base = format!("http://127.0.0.1:{port}/api/v1");
    let client = reqwest::Client::new();
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        if let Ok(r) = client.get(format!("{base}/health")).send().await
            && r.status().is_success()
        {
            break;
        }
        assert!(Instant::now() < deadline, "the server did not start");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    Server { child, base }
}

async fn post(
    client: &reqwest::Client,
    url: &str,
    body: Value,
    cookie: Option<&str>,
) -> (u16, Value, Option<String>) {
    let mut req = client.post(url).json(&body);
    if let Some(c) = cookie {
        req = req.header("cookie", c);
    }
    let r = req.send().await.expect("request");
    let status = r.status().as_u16();
    let cookie = r
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|c| c.starts_with("hromada_session="))
        .map(|c| c.split(';').next().unwrap_or_default().to_owned());
    let v = r.json().await.unwrap_or(Value::Null);
    (status, v, cookie)
}

#[tokio::test]
async fn pushes_of_an_alert_go_once_after_a_sigkill() {
    let push = PushService::start();
    let dir = std::env::temp_dir().join(format!(
        "hromada-restart-{}",
        hromada_server::domain::ids::new_id()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let db_url = format!("sqlite://{}?mode=rwc", dir.join("h.db").display());
    let client = reqwest::Client::new();

    // The first process takes requests but sends nothing.
    let mut first = spawn(&dir, &db_url, &push.origin(), false, 1).await;
    let key = client
        .get(format!("{}/push/key", first.base))
        .send()
        .await
        .unwrap()
        .json::<Value>()
        .await
        .unwrap()["public_key"]
        .as_str()
        .unwrap()
        .to_owned();
    let mut hashes = Vec::new();
    for _ in 0..3 {
        let (sub, hash) = push.subscribe(&key);
        let (status, _, _) = post(
            &client,
            &format!("{}/hromadas/{KHERSON}/alert-subscriptions", first.base),
            sub,
            None,
        )
        .await;
        assert_eq!(status, 201);
        hashes.push(hash);
    }
    let (status, me, cookie) = post(
        &client,
        &format!("{}/auth/register", first.base),
        json!({"email": "staff@k.example", "password": GOOD_PASSWORD, "full_name": "Ірина Коваль",
               "hromada": KHERSON, "address": "вул. Соборна, 1, м. Херсон"}),
        None,
    )
    .await;
    assert_eq!(status, 201);
    let db = hromada_server::db::Db::connect(&db_url).await.unwrap();
    db.grant_staff(
        me["id"].as_str().unwrap(),
        KHERSON,
        &hromada_server::domain::clock::now_rfc3339(),
    )
    .await
    .unwrap();
    let expires = hromada_server::domain::clock::rfc3339(
        hromada_server::domain::clock::now_millis() + 3_600_000,
    );
    let (status, _, _) = post(
        &client,
        &format!("{}/hromadas/{KHERSON}/alerts", first.base),
        json!({"severity": "danger", "text": "Повітряна тривога!", "expires_at": expires}),
        cookie.as_deref(),
    )
    .await;
    assert_eq!(status, 201);
    // Killed with the alert committed and nothing pushed.
    first.child.kill().unwrap();
    first.child.wait().unwrap();
    for h in &hashes {
        assert!(push.messages(h).is_empty());
    }

    // The next process sends each push once.
    let _second = spawn(&dir, &db_url, &push.origin(), true, 2).await;
    for h in &hashes {
        push.wait_for(h, 1, Duration::from_secs(30)).await;
    }
    tokio::time::sleep(Duration::from_secs(2)).await;
    for h in &hashes {
        assert_eq!(push.messages(h).len(), 1, "exactly once");
    }
    drop(db);
    let _ = std::fs::remove_dir_all(&dir);
}
