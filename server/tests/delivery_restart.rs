//! A server killed with SIGKILL between an urgent alert and its pushes sends them after
//! it starts again, once. The real binary, a SQLite file, and the real local push
//! service (web-push-testing): the first process commits the alert (and with it the
//! delivery) and dies before any push; the next one sends every push exactly once.

mod common;

use std::path::Path;
use std::time::Duration;

use common::outside::PushService;
use common::process::ServerProcess;
use common::{GOOD_PASSWORD, KHERSON};
use serde_json::{Value, json};

/// The real binary on `db_url`, sending pushes only when `worker` is set.
fn spawn(dir: &Path, db_url: &str, push_origin: &str, worker: bool, run: u32) -> ServerProcess {
    ServerProcess::start(
        dir,
        db_url,
        &format!("server-{run}"),
        &[
            ("HROMADA_PUSH_ORIGINS", push_origin),
            ("HROMADA_DELIVERY_WORKER", if worker { "1" } else { "0" }),
        ],
    )
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
    let mut first = spawn(&dir, &db_url, &push.origin(), false, 1);
    let key = client
        .get(format!("{}/push/key", first.api()))
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
            &format!("{}/hromadas/{KHERSON}/alert-subscriptions", first.api()),
            sub,
            None,
        )
        .await;
        assert_eq!(status, 201);
        hashes.push(hash);
    }
    let (status, me, cookie) = post(
        &client,
        &format!("{}/auth/register", first.api()),
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
        &format!("{}/hromadas/{KHERSON}/alerts", first.api()),
        json!({"severity": "danger", "text": "Повітряна тривога!", "expires_at": expires}),
        cookie.as_deref(),
    )
    .await;
    assert_eq!(status, 201);
    // Killed with the alert committed and nothing pushed.
    first.kill();
    for h in &hashes {
        assert!(push.messages(h).is_empty());
    }

    // The next process sends each push once.
    let _second = spawn(&dir, &db_url, &push.origin(), true, 2);
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
