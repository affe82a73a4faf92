//! Reaching people when the app is closed, against real outside parts started here: a
//! real SMTP server (aiosmtpd) and a real local push service (web-push-testing, which
//! checks the VAPID signature and decrypts each message). Urgent alerts to subscribed
//! devices, a person's notifications by push and by email as their settings and the law
//! say, the one-click unsubscribe, getting an account back, confirming an address, and
//! the refusal of push endpoints the server must never call.

mod common;

use std::time::Duration;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use common::outside::{PushService, SmtpServer};
use common::*;
use serde_json::{Value, json};
use sqlx::Row;

const WAIT: Duration = Duration::from_secs(20);
const PUBLIC: &str = "https://hromada.example";

async fn reach_app(smtp: &SmtpServer, push: &PushService) -> TestApp {
    let smtp_url = smtp.url();
    let origin = push.origin();
    app_with(move |c| {
        c.smtp_url = Some(smtp_url);
        c.push_origins = vec![origin];
        c.public_url = PUBLIC.to_owned();
        c.mail_from = "Громада <noreply@hromada.example>".to_owned();
    })
    .await
}

async fn push_key(app: &TestApp) -> String {
    let r = app.get("/api/v1/push/key", None).await;
    r.expect(StatusCode::OK)["public_key"]
        .as_str()
        .unwrap()
        .to_owned()
}

fn in_future(ms: i64) -> String {
    hromada_server::domain::clock::rfc3339(hromada_server::domain::clock::now_millis() + ms)
}

async fn alert(app: &TestApp, staff: &str, severity: &str, text: &str) -> Value {
    let r = app
        .call(
            Method::POST,
            &format!("/api/v1/hromadas/{KHERSON}/alerts"),
            Some(json!({"severity": severity, "text": text, "expires_at": in_future(3_600_000)})),
            Some(staff),
        )
        .await;
    r.expect(StatusCode::CREATED)
}

async fn subscribe_alerts(app: &TestApp, katottg: &str, sub: &Value, extra: Value) -> Resp {
    let mut body = sub.clone();
    if let (Some(b), Some(e)) = (body.as_object_mut(), extra.as_object()) {
        for (k, v) in e {
            b.insert(k.clone(), v.clone());
        }
    }
    app.call(
        Method::POST,
        &format!("/api/v1/hromadas/{katottg}/alert-subscriptions"),
        Some(body),
        None,
    )
    .await
}

#[tokio::test]
async fn urgent_alerts_reach_every_subscribed_device_signed_in_or_not() {
    let smtp = SmtpServer::start();
    let push = PushService::start();
    let app = reach_app(&smtp, &push).await;
    let key = push_key(&app).await;
    let raw = {
        use base64::Engine;
        base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(&key)
            .unwrap()
    };
    assert_eq!((raw.len(), raw[0]), (65, 4), "an uncompressed P-256 point");
    // The same key on every call (and in every process: it is in the database).
    assert_eq!(push_key(&app).await, key);

    let (staff, _) = staff_of_both(&app).await;
    let (urgent, urgent_hash) = push.subscribe(&key);
    let (everything, everything_hash) = push.subscribe(&key);
    let (elsewhere, elsewhere_hash) = push.subscribe(&key);
    let r = subscribe_alerts(&app, KHERSON, &urgent, json!({})).await;
    let d = r.expect(StatusCode::CREATED);
    assert_eq!(d["alerts"][0]["katottg"], KHERSON);
    assert_eq!(d["service"], "localhost");
    subscribe_alerts(
        &app,
        KHERSON,
        &everything,
        json!({"info": true, "language": "en"}),
    )
    .await
    .assert_status(StatusCode::CREATED);
    subscribe_alerts(&app, BERYSLAV, &elsewhere, json!({}))
        .await
        .assert_status(StatusCode::CREATED);
    // Registering again updates the row, never doubles it.
    subscribe_alerts(&app, KHERSON, &urgent, json!({}))
        .await
        .assert_status(StatusCode::CREATED);

    let a = alert(
        &app,
        &staff,
        "danger",
        "Повітряна тривога! Пройдіть в укриття.",
    )
    .await;
    let got = push.wait_for(&urgent_hash, 1, WAIT).await;
    let p: Value = serde_json::from_str(&got[0]).unwrap();
    assert!(
        p["title"].as_str().unwrap().starts_with("Небезпека: "),
        "{p}"
    );
    assert!(p["body"].as_str().unwrap().contains("Пройдіть в укриття"));
    assert_eq!(p["url"], format!("/h/{KHERSON}"));
    assert_eq!(p["tag"], format!("alert-{}", a["id"].as_str().unwrap()));
    // The English device reads it in English.
    let got = push.wait_for(&everything_hash, 1, WAIT).await;
    let p: Value = serde_json::from_str(&got[0]).unwrap();
    assert!(p["title"].as_str().unwrap().starts_with("Danger: "), "{p}");

    // Information only to those that asked for it.
    alert(
        &app,
        &staff,
        "info",
        "Планове відключення води завтра з 9:00.",
    )
    .await;
    push.wait_for(&everything_hash, 2, WAIT).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(push.messages(&urgent_hash).len(), 1);
    assert!(push.messages(&elsewhere_hash).is_empty());

    // Sent with high urgency and a TTL no longer than the alert's life, marked sent.
    let rows = sqlx::query(
        "SELECT urgency, state, expires_at FROM deliveries WHERE job = 'push' AND alert_id = $1",
    )
    .bind(a["id"].as_str().unwrap())
    .fetch_all(app.db.pool())
    .await
    .unwrap();
    assert_eq!(rows.len(), 2);
    for r in rows {
        assert_eq!(r.get::<String, _>("urgency"), "high");
        assert_eq!(r.get::<String, _>("state"), "sent");
        assert_eq!(
            r.get::<String, _>("expires_at"),
            a["expires_at"].as_str().unwrap()
        );
    }

    // A device its push service says is gone (410) is forgotten.
    push.expire(&urgent_hash);
    alert(&app, &staff, "warning", "Перекрито вулицю Соборну.").await;
    push.wait_for(&everything_hash, 3, WAIT).await;
    let deadline = std::time::Instant::now() + WAIT;
    loop {
        let n: i64 =
            sqlx::query("SELECT COUNT(*) AS n FROM push_subscriptions WHERE endpoint = $1")
                .bind(urgent["endpoint"].as_str().unwrap())
                .fetch_one(app.db.pool())
                .await
                .unwrap()
                .get("n");
        if n == 0 {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the gone device is still kept"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    // Unsubscribing: the device gets no more.
    app.call(
        Method::DELETE,
        &format!("/api/v1/hromadas/{KHERSON}/alert-subscriptions"),
        Some(json!({"endpoint": everything["endpoint"]})),
        None,
    )
    .await
    .assert_status(StatusCode::NO_CONTENT);
    alert(&app, &staff, "danger", "Ще одна тривога.").await;
    tokio::time::sleep(Duration::from_secs(1)).await;
    assert_eq!(push.messages(&everything_hash).len(), 3);
    // Alerts go by push only: the mail went to the staff's new addresses, nothing else.
    for m in smtp.messages() {
        assert_eq!(
            m.subject(),
            Some("Підтвердьте адресу електронної пошти в Громаді")
        );
    }
}

#[tokio::test]
async fn endpoints_the_server_must_never_call_are_refused() {
    let smtp = SmtpServer::start();
    let push = PushService::start();
    let app = reach_app(&smtp, &push).await;
    let keys = json!({"p256dh": "BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM", "auth": "tBHItJI5svbpez7KI4CCXg"});
    for endpoint in [
        "http://fcm.googleapis.com/fcm/send/abc",
        "https://127.0.0.1/push",
        "https://10.0.0.7/push",
        "https://169.254.169.254/latest/meta-data/",
        "https://[::1]/push",
        "https://localhost/push",
        "file:///etc/passwd",
        "https://push.example.org/wpush/abc",
        "http://localhost:1/notify/abc",
        "https://user:secret@fcm.googleapis.com/fcm/send/abc",
    ] {
        let r = subscribe_alerts(
            &app,
            KHERSON,
            &json!({"endpoint": endpoint, "keys": keys}),
            json!({}),
        )
        .await;
        r.assert_invalid(&[("endpoint", "invalid")]);
    }
    // A known service is taken (nothing is sent until an alert).
    subscribe_alerts(
        &app,
        KHERSON,
        &json!({"endpoint": "https://fcm.googleapis.com/fcm/send/abc:APA91b", "keys": keys}),
        json!({}),
    )
    .await
    .assert_status(StatusCode::CREATED);
    // Bad keys are named.
    let r = subscribe_alerts(
        &app,
        KHERSON,
        &json!({"endpoint": "https://fcm.googleapis.com/fcm/send/x", "keys": {"p256dh": "AAAA", "auth": "!"}}),
        json!({}),
    )
    .await;
    r.assert_invalid(&[("keys.p256dh", "invalid"), ("keys.auth", "invalid")]);
    // An unknown hromada is 404; a signed-in list needs a session.
    subscribe_alerts(
        &app,
        "UA00000000000000000",
        &json!({"endpoint": "https://fcm.googleapis.com/fcm/send/y", "keys": keys}),
        json!({}),
    )
    .await
    .assert_status(StatusCode::NOT_FOUND);
    app.get("/api/v1/me/push-subscriptions", None)
        .await
        .assert_status(StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn a_push_service_that_redirects_is_not_followed() {
    // A listed origin that answers every push with a redirect to somewhere else.
    let redirector = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let target = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let r_port = redirector.local_addr().unwrap().port();
    let t_port = target.local_addr().unwrap().port();
    tokio::spawn(async move {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        while let Ok((mut s, _)) = redirector.accept().await {
            let mut buf = vec![0u8; 65536];
            let _ = s.read(&mut buf).await;
            let reply = format!(
                "HTTP/1.1 307 Temporary Redirect\r\nLocation: http://127.0.0.1:{t_port}/internal\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            );
            let _ = s.write_all(reply.as_bytes()).await;
        }
    });
    let reached = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let hits = reached.clone();
    tokio::spawn(async move {
        while let Ok((_s, _)) = target.accept().await {
            hits.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        }
    });
    let origin = format!("http://127.0.0.1:{r_port}");
    let app = app_with(move |c| c.push_origins = vec![origin]).await;
    let (staff, _) = staff_of_both(&app).await;
    let keys = json!({"p256dh": "BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM", "auth": "tBHItJI5svbpez7KI4CCXg"});
    subscribe_alerts(
        &app,
        KHERSON,
        &json!({"endpoint": format!("http://127.0.0.1:{r_port}/notify/x"), "keys": keys}),
        json!({}),
    )
    .await
    .assert_status(StatusCode::CREATED);
    alert(&app, &staff, "danger", "Тривога").await;
    let deadline = std::time::Instant::now() + WAIT;
    let error: String = loop {
        let r = sqlx::query("SELECT state, last_error FROM deliveries WHERE job = 'push'")
            .fetch_optional(app.db.pool())
            .await
            .unwrap();
        if let Some(r) = r
            && r.get::<String, _>("state") == "failed"
        {
            break r.get("last_error");
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the push was not given up"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert!(error.contains("redirects are not followed"), "{error}");
    assert_eq!(reached.load(std::sync::atomic::Ordering::SeqCst), 0);
}

/// A person's notification settings, and the setting of one topic.
async fn topic_setting(app: &TestApp, session: &str, topic: &str) -> (Value, Value) {
    let s = app
        .get("/api/v1/me/notification-settings", Some(session))
        .await
        .expect(StatusCode::OK);
    let one = s["topics"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["topic"] == topic)
        .unwrap_or_else(|| panic!("no topic {topic} in {s}"))
        .clone();
    (s, one)
}

/// Marks an account's address confirmed (as its link would).
async fn confirm(app: &TestApp, user_id: &str) {
    sqlx::query("UPDATE users SET email_confirmed_at = created_at WHERE id = $1")
        .bind(user_id)
        .execute(app.db.pool())
        .await
        .unwrap();
}

async fn appeal_for(app: &TestApp, session: &str) -> Value {
    let cats = app
        .get(
            &format!("/api/v1/hromadas/{KHERSON}/appeal-categories"),
            None,
        )
        .await
        .expect(StatusCode::OK);
    let cat = cats[0]["id"].as_str().unwrap().to_owned();
    app.call(
        Method::POST,
        &format!("/api/v1/hromadas/{KHERSON}/appeals"),
        Some(json!({
            "kind": "complaint",
            "category_id": cat,
            "subject": "Яма на вулиці Соборній",
            "text": "На вулиці Соборній біля будинку 3 яма глибиною 20 см.",
            "full_name": "Марія Іваненко",
            "address": "вул. Соборна, 3, кв. 7, м. Херсон",
            "email": "maria@example.com",
        })),
        Some(session),
    )
    .await
    .expect(StatusCode::CREATED)
}

#[tokio::test]
async fn notifications_go_by_push_and_email_as_settings_and_the_law_say() {
    let smtp = SmtpServer::start();
    let push = PushService::start();
    let app = reach_app(&smtp, &push).await;
    let key = push_key(&app).await;
    let (staff, _) = staff_of_both(&app).await;
    let (uid, resident) = app.register("resident@k.example", KHERSON).await;
    // The confirmation link went out at sign-up; the rest waits for the address.
    let mails = smtp.wait_for(3, WAIT).await;
    let to_resident: Vec<_> = mails
        .iter()
        .filter(|m| m.rcpt_to.iter().any(|r| r == "resident@k.example"))
        .collect();
    assert_eq!(to_resident.len(), 1);
    assert!(
        to_resident[0]
            .text()
            .unwrap()
            .contains("/confirm-email?token=")
    );
    confirm(&app, &uid).await;
    let before = smtp.messages().len();

    let (device, hash) = push.subscribe(&key);
    let r = app
        .call(
            Method::POST,
            "/api/v1/me/push-subscriptions",
            Some(device),
            Some(&resident),
        )
        .await;
    let dev = r.expect(StatusCode::CREATED);
    let list = app
        .get("/api/v1/me/push-subscriptions", Some(&resident))
        .await
        .expect(StatusCode::OK);
    assert_eq!(list["items"][0]["id"], dev["id"]);

    let a = appeal_for(&app, &resident).await;
    let id = a["id"].as_str().unwrap().to_owned();
    let number = a["number"].as_str().unwrap().to_owned();
    // Registered: pushed and emailed (own appeals go by email at once by default).
    let got = push.wait_for(&hash, 1, WAIT).await;
    let p: Value = serde_json::from_str(&got[0]).unwrap();
    assert_eq!(p["title"], format!("Звернення {number} зареєстровано"));
    assert_eq!(p["url"], format!("/appeals/{id}"));
    let mails = smtp.wait_for(before + 1, WAIT).await;
    let m = mails.last().unwrap();
    assert_eq!(m.rcpt_to, vec!["resident@k.example".to_owned()]);
    assert_eq!(
        m.subject(),
        Some(format!("Звернення {number} зареєстровано").as_str())
    );
    assert!(
        m.header("from")
            .unwrap()
            .contains("noreply@hromada.example")
    );
    assert!(
        m.header("message-id")
            .unwrap()
            .ends_with("@hromada.example>")
    );
    let unsub = m.header("list-unsubscribe").expect("List-Unsubscribe");
    assert!(
        unsub.starts_with(&format!("<{PUBLIC}/unsubscribe/")),
        "{unsub}"
    );
    assert_eq!(
        m.header("list-unsubscribe-post"),
        Some("List-Unsubscribe=One-Click")
    );
    let text = m.text().unwrap();
    assert!(text.contains(&format!("{PUBLIC}/appeals/{id}")), "{text}");
    let html = m.html().unwrap();
    assert!(html.contains(&format!("href=\"{PUBLIC}/appeals/{id}\"")));
    assert!(!html.contains("<img"), "no remote images");

    // The one-click POST comes from the mail provider as a form: no session, no header
    // of the app, no Origin. A GET changes nothing.
    let path = unsub
        .trim_matches(|c| c == '<' || c == '>')
        .strip_prefix(PUBLIC)
        .unwrap()
        .to_owned();
    let token = path.strip_prefix("/unsubscribe/").unwrap().to_owned();
    let info = app
        .get(&format!("/api/v1/unsubscribe/{token}"), None)
        .await
        .expect(StatusCode::OK);
    assert_eq!(info["topic"], "appeals");
    assert_eq!(info["done"], false);
    assert_eq!(info["email"], "r***@k.example");
    let r = app
        .send(
            Request::builder()
                .method(Method::POST)
                .uri(&path)
                .header(header::HOST, "hromada.example")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from("List-Unsubscribe=One-Click"))
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.text());
    let (s, appeals) = topic_setting(&app, &resident, "appeals").await;
    assert_eq!(
        appeals,
        json!({"topic": "appeals", "in_app": true, "push": true, "email": false})
    );
    assert!(
        !s["topics"]
            .as_array()
            .unwrap()
            .iter()
            .any(|t| t["topic"] == "staff_appeals"),
        "staff topics are for staff"
    );
    // A forged token changes nothing.
    app.call(
        Method::POST,
        "/api/v1/unsubscribe/abc.appeals.AAAA",
        None,
        None,
    )
    .await
    .assert_status(StatusCode::NOT_FOUND);

    // Now an ordinary step is pushed but not emailed.
    let emails = smtp.messages().len();
    app.call(
        Method::POST,
        &format!("/api/v1/appeals/{id}/actions"),
        Some(json!({"action": "assign", "assignee": "Відділ благоустрою"})),
        Some(&staff),
    )
    .await
    .assert_status(StatusCode::OK);
    push.wait_for(&hash, 2, WAIT).await;

    // The answer is the law's: emailed with its text whatever is set, to the address
    // the appeal gives, in English now that the person chose English.
    app.call(
        Method::PATCH,
        "/api/v1/me",
        Some(json!({"language": "en"})),
        Some(&resident),
    )
    .await
    .assert_status(StatusCode::OK);
    app.call(
        Method::POST,
        &format!("/api/v1/appeals/{id}/answer"),
        Some(json!({"text": "The pothole was repaired on 12 June.\nThank you."})),
        Some(&staff),
    )
    .await
    .assert_status(StatusCode::OK);
    let got = push.wait_for(&hash, 3, WAIT).await;
    let p: Value = serde_json::from_str(&got[2]).unwrap();
    assert_eq!(p["title"], format!("Appeal {number} answered"));
    let mails = smtp.wait_for(emails + 1, WAIT).await;
    assert_eq!(mails.len(), emails + 1, "only the answer was emailed");
    let m = mails.last().unwrap();
    assert_eq!(m.rcpt_to, vec!["maria@example.com".to_owned()]);
    assert_eq!(
        m.subject(),
        Some(format!("Appeal {number} answered").as_str())
    );
    let text = m.text().unwrap();
    assert!(
        text.contains("> The pothole was repaired on 12 June."),
        "{text}"
    );
    assert!(text.contains("cannot be switched off"));
    assert!(
        m.header("list-unsubscribe").is_none(),
        "the law's mail cannot be switched off"
    );

    // The record, for the author and the staff; not for others.
    let log = app
        .get(&format!("/api/v1/appeals/{id}/deliveries"), Some(&staff))
        .await
        .expect(StatusCode::OK);
    let answered_mail = log["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["channel"] == "email" && d["kind"] == "appeal_answered")
        .expect("the answer's email is recorded")
        .clone();
    assert_eq!(answered_mail["to"], "maria@example.com");
    assert_eq!(answered_mail["state"], "sent");
    assert!(answered_mail["sent_at"].is_string());
    app.get(&format!("/api/v1/appeals/{id}/deliveries"), Some(&resident))
        .await
        .assert_status(StatusCode::OK);
    let (_, stranger) = app.register("stranger@k.example", KHERSON).await;
    app.get(&format!("/api/v1/appeals/{id}/deliveries"), Some(&stranger))
        .await
        .assert_status(StatusCode::NOT_FOUND);
    // Removing the device: no more pushes there.
    let dev_id = dev["id"].as_str().unwrap();
    app.call(
        Method::DELETE,
        &format!("/api/v1/me/push-subscriptions/{dev_id}"),
        None,
        Some(&resident),
    )
    .await
    .assert_status(StatusCode::NO_CONTENT);
    app.call(
        Method::DELETE,
        &format!("/api/v1/me/push-subscriptions/{dev_id}"),
        None,
        Some(&resident),
    )
    .await
    .assert_status(StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn mail_that_bounces_marks_the_address_failing() {
    let smtp = SmtpServer::start();
    let push = PushService::start();
    let app = reach_app(&smtp, &push).await;
    let (uid, s) = app.register("bounce@k.example", KHERSON).await;
    let deadline = std::time::Instant::now() + WAIT;
    loop {
        let me = app.get("/api/v1/me", Some(&s)).await.expect(StatusCode::OK);
        if me["email_failing"] == true {
            assert_eq!(me["email_confirmed"], false);
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the bounce was not noticed"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let r = sqlx::query("SELECT state FROM deliveries WHERE user_id = $1 AND job = 'email'")
        .bind(&uid)
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    assert_eq!(r.get::<String, _>("state"), "failed");
}

fn token_in(text: &str, marker: &str) -> String {
    let at = text
        .find(marker)
        .unwrap_or_else(|| panic!("no {marker} in {text}"))
        + marker.len();
    text[at..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
        .collect()
}

#[tokio::test]
async fn a_forgotten_password_is_reset_once_by_the_emailed_link() {
    let smtp = SmtpServer::start();
    let push = PushService::start();
    let app = reach_app(&smtp, &push).await;
    let (uid, old_session) = app.register("olena@k.example", KHERSON).await;
    smtp.wait_for(1, WAIT).await; // the confirmation
    let reset = |email: &str| {
        let app = &app;
        let email = email.to_owned();
        async move {
            app.call(
                Method::POST,
                "/api/v1/auth/password-reset",
                Some(json!({"email": email})),
                None,
            )
            .await
        }
    };
    // An unknown address gets the very same answer, and nothing is sent.
    let unknown = reset("nobody@k.example").await;
    let known = reset("Olena@K.example ").await;
    assert_eq!(unknown.status, StatusCode::ACCEPTED);
    assert_eq!(known.status, StatusCode::ACCEPTED);
    assert_eq!(unknown.body, known.body);
    let mails = smtp.wait_for(2, WAIT).await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(smtp.messages().len(), 2, "nothing to an unknown address");
    let m = &mails[1];
    assert_eq!(m.subject(), Some("Відновлення пароля в Громаді"));
    let text = m.text().unwrap();
    let token = token_in(text, "/reset-password?token=");
    assert_eq!(token.len(), 43, "32 random bytes");
    assert!(text.contains(&format!("{PUBLIC}/reset-password?token={token}")));
    // Only its hash is kept.
    let stored: i64 = sqlx::query("SELECT COUNT(*) AS n FROM account_tokens WHERE token_hash = $1")
        .bind(hromada_server::domain::ids::sha256_hex(token.as_bytes()))
        .fetch_one(app.db.pool())
        .await
        .unwrap()
        .get("n");
    assert_eq!(stored, 1);
    let raw: i64 = sqlx::query("SELECT COUNT(*) AS n FROM deliveries WHERE payload LIKE $1")
        .bind(format!("%{token}%"))
        .fetch_one(app.db.pool())
        .await
        .unwrap()
        .get("n");
    assert_eq!(raw, 0, "the link is never stored in the clear");

    let confirm = |token: String, password: &str| {
        let app = &app;
        let password = password.to_owned();
        async move {
            app.call(
                Method::POST,
                "/api/v1/auth/password-reset/confirm",
                Some(json!({"token": token, "password": password})),
                None,
            )
            .await
        }
    };
    // The rules of sign-up.
    confirm(token.clone(), "short")
        .await
        .assert_invalid(&[("password", "too_short")]);
    confirm(token.clone(), "новий пароль до громади")
        .await
        .assert_status(StatusCode::NO_CONTENT);
    // Used once only.
    confirm(token.clone(), "ще один новий пароль")
        .await
        .assert_invalid(&[("token", "invalid")]);
    confirm("made-up".into(), "ще один новий пароль")
        .await
        .assert_invalid(&[("token", "invalid")]);
    // Every old session ended; the new password works; a "changed" email went.
    app.get("/api/v1/me", Some(&old_session))
        .await
        .assert_status(StatusCode::UNAUTHORIZED);
    app.login("olena@k.example", "новий пароль до громади")
        .await
        .assert_status(StatusCode::OK);
    let mails = smtp.wait_for(3, WAIT).await;
    assert_eq!(mails[2].subject(), Some("Пароль до Громади змінено"));

    // A link older than an hour is refused.
    reset("olena@k.example")
        .await
        .assert_status(StatusCode::ACCEPTED);
    let mails = smtp.wait_for(4, WAIT).await;
    let expired = token_in(mails[3].text().unwrap(), "/reset-password?token=");
    sqlx::query(
        "UPDATE account_tokens SET expires_at = '2020-01-01T00:00:00.000Z' WHERE user_id = $1",
    )
    .bind(&uid)
    .execute(app.db.pool())
    .await
    .unwrap();
    confirm(expired, "ще один новий пароль")
        .await
        .assert_invalid(&[("token", "invalid")]);

    // A link sent before the password changed in the profile is void.
    reset("olena@k.example")
        .await
        .assert_status(StatusCode::ACCEPTED);
    let mails = smtp.wait_for(5, WAIT).await;
    let before_change = token_in(mails[4].text().unwrap(), "/reset-password?token=");
    let s = app
        .login("olena@k.example", "новий пароль до громади")
        .await
        .session()
        .unwrap();
    app.call(
        Method::POST,
        "/api/v1/me/password",
        Some(json!({"current_password": "новий пароль до громади", "new_password": "змінений у профілі пароль"})),
        Some(&s),
    )
    .await
    .assert_status(StatusCode::NO_CONTENT);
    confirm(before_change, "ще один новий пароль")
        .await
        .assert_invalid(&[("token", "invalid")]);

    // Per email, a few an hour: then the same answer and nothing more sent.
    let sent = smtp.messages().len();
    for _ in 0..3 {
        reset("olena@k.example")
            .await
            .assert_status(StatusCode::ACCEPTED);
    }
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert_eq!(smtp.messages().len(), sent);
}

#[tokio::test]
async fn an_address_is_confirmed_by_its_link_and_a_new_one_before_it_replaces_the_old() {
    let smtp = SmtpServer::start();
    let push = PushService::start();
    let app = reach_app(&smtp, &push).await;
    let (_, s) = app.register("taras@k.example", KHERSON).await;
    let me = app.get("/api/v1/me", Some(&s)).await.expect(StatusCode::OK);
    assert_eq!(me["email_confirmed"], false);
    let mails = smtp.wait_for(1, WAIT).await;
    assert_eq!(
        mails[0].subject(),
        Some("Підтвердьте адресу електронної пошти в Громаді")
    );
    // "Send again".
    app.call(
        Method::POST,
        "/api/v1/me/email-confirmation",
        None,
        Some(&s),
    )
    .await
    .assert_status(StatusCode::ACCEPTED);
    let mails = smtp.wait_for(2, WAIT).await;
    let token = token_in(mails[1].text().unwrap(), "/confirm-email?token=");
    app.call(
        Method::POST,
        "/api/v1/auth/email-confirmation",
        Some(json!({"token": token})),
        None,
    )
    .await
    .assert_status(StatusCode::NO_CONTENT);
    let me = app.get("/api/v1/me", Some(&s)).await.expect(StatusCode::OK);
    assert_eq!(me["email_confirmed"], true);

    // A new address waits for its own link; the old one stays until then.
    let r = app
        .call(
            Method::PATCH,
            "/api/v1/me",
            Some(json!({"email": "taras.new@k.example"})),
            Some(&s),
        )
        .await;
    let me = r.expect(StatusCode::OK);
    assert_eq!(me["email"], "taras@k.example");
    assert_eq!(me["pending_email"], "taras.new@k.example");
    let mails = smtp.wait_for(3, WAIT).await;
    assert_eq!(mails[2].rcpt_to, vec!["taras.new@k.example".to_owned()]);
    let token = token_in(mails[2].text().unwrap(), "/confirm-email?token=");
    app.call(
        Method::POST,
        "/api/v1/auth/email-confirmation",
        Some(json!({"token": token})),
        None,
    )
    .await
    .assert_status(StatusCode::NO_CONTENT);
    let me = app.get("/api/v1/me", Some(&s)).await.expect(StatusCode::OK);
    assert_eq!(me["email"], "taras.new@k.example");
    assert_eq!(me["pending_email"], Value::Null);
    app.login("taras.new@k.example", GOOD_PASSWORD)
        .await
        .assert_status(StatusCode::OK);
    // Taken addresses and bad ones are named.
    app.register("other@k.example", KHERSON).await;
    app.call(
        Method::PATCH,
        "/api/v1/me",
        Some(json!({"email": "other@k.example"})),
        Some(&s),
    )
    .await
    .assert_invalid(&[("email", "taken")]);
    app.call(
        Method::PATCH,
        "/api/v1/me",
        Some(json!({"language": "de"})),
        Some(&s),
    )
    .await
    .assert_invalid(&[("language", "invalid")]);
}

#[tokio::test]
async fn staff_who_ask_are_emailed_of_new_work_and_a_daily_digest_gathers_the_day() {
    let smtp = SmtpServer::start();
    let push = PushService::start();
    let app = reach_app(&smtp, &push).await;
    let (staff, _) = staff_of_both(&app).await;
    let (uid, resident) = app.register("resident@k.example", KHERSON).await;
    smtp.wait_for(3, WAIT).await; // three confirmations
    sqlx::query("UPDATE users SET email_confirmed_at = created_at")
        .execute(app.db.pool())
        .await
        .unwrap();
    // Staff topics are off by default: a new appeal emails no one on staff.
    let (_, staff_appeals) = topic_setting(&app, &staff, "staff_appeals").await;
    assert_eq!(staff_appeals["email"], false);
    // The resident wants a daily digest instead of an email each time.
    app.call(
        Method::PUT,
        "/api/v1/me/notification-settings",
        Some(json!({"topics": [], "email_frequency": "daily"})),
        Some(&resident),
    )
    .await
    .assert_status(StatusCode::OK);
    // A resident may not take a staff topic.
    app.call(
        Method::PUT,
        "/api/v1/me/notification-settings",
        Some(json!({"topics": [{"topic": "staff_appeals", "in_app": false, "push": false, "email": true}], "email_frequency": "daily"})),
        Some(&resident),
    )
    .await
    .assert_invalid(&[("topics[0].topic", "invalid")]);
    appeal_for(&app, &resident).await;
    tokio::time::sleep(Duration::from_millis(800)).await;
    assert_eq!(
        smtp.messages().len(),
        3,
        "nothing at once: staff off, resident daily"
    );

    // Staff switch it on: the next appeal is emailed to them at once.
    app.call(
        Method::PUT,
        "/api/v1/me/notification-settings",
        Some(json!({"topics": [{"topic": "staff_appeals", "in_app": false, "push": false, "email": true}], "email_frequency": "immediately"})),
        Some(&staff),
    )
    .await
    .assert_status(StatusCode::OK);
    let second = appeal_for(&app, &resident).await;
    let mails = smtp.wait_for(4, WAIT).await;
    let m = &mails[3];
    assert_eq!(m.rcpt_to, vec!["staff@k.example".to_owned()]);
    let number = second["number"].as_str().unwrap();
    assert!(m.subject().unwrap().contains(number), "{:?}", m.subject());
    assert!(
        m.text()
            .unwrap()
            .contains(&format!("{PUBLIC}/h/{KHERSON}/staff/appeals"))
    );
    assert!(m.header("list-unsubscribe").is_some());

    // The resident's two "registered" wait for the digest at 08:00 Kyiv time.
    let due: Vec<String> =
        sqlx::query("SELECT due_at FROM deliveries WHERE job = 'digest' AND user_id = $1")
            .bind(&uid)
            .fetch_all(app.db.pool())
            .await
            .unwrap()
            .iter()
            .map(|r| r.get("due_at"))
            .collect();
    assert_eq!(due.len(), 1, "one digest a day");
    let at = hromada_server::domain::clock::parse_rfc3339(&due[0]).unwrap();
    let local = at + hromada_api::workdays::kyiv_offset(at);
    assert_eq!(local.rem_euclid(86_400_000), 8 * 3_600_000, "{}", due[0]);
    // Its time comes: one email with both.
    sqlx::query("UPDATE deliveries SET due_at = '2020-01-01T00:00:00.000Z' WHERE job IN ('digest', 'digest_item')")
        .execute(app.db.pool())
        .await
        .unwrap();
    let mails = smtp.wait_for(5, WAIT).await;
    let d = &mails[4];
    assert_eq!(d.rcpt_to, vec!["resident@k.example".to_owned()]);
    assert_eq!(d.subject(), Some("Громада: новини за день (2)"));
    let text = d.text().unwrap();
    assert_eq!(text.matches("зареєстровано").count(), 2, "{text}");
    assert!(d.header("list-unsubscribe").is_some());
    tokio::time::sleep(Duration::from_millis(800)).await;
    assert_eq!(smtp.messages().len(), 5, "the digest went once");
}

#[tokio::test]
async fn who_signs_up_in_english_is_written_to_in_english() {
    let smtp = SmtpServer::start();
    let push = PushService::start();
    let app = reach_app(&smtp, &push).await;
    let r = app
        .send(
            Request::builder()
                .method(Method::POST)
                .uri("/api/v1/auth/register")
                .header(header::HOST, "localhost")
                .header(header::CONTENT_TYPE, "application/json")
                .header(header::COOKIE, "i18n_pref_locale=en")
                .body(Body::from(
                    json!({"email": "john@k.example", "password": GOOD_PASSWORD,
                           "full_name": "John Smith", "hromada": KHERSON,
                           "address": "1 Soborna St, Kherson"})
                    .to_string(),
                ))
                .unwrap(),
        )
        .await;
    let me = r.expect(StatusCode::CREATED);
    assert_eq!(me["language"], "en");
    let mails = smtp.wait_for(1, WAIT).await;
    assert_eq!(
        mails[0].subject(),
        Some("Confirm your email address for Hromada")
    );
    assert!(mails[0].text().unwrap().starts_with("Hello, John Smith!"));
    assert!(mails[0].html().unwrap().contains("<html lang=\"en\">"));
}
