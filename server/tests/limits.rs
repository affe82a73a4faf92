//! Rate limits: sign-in (per email and per client address), sign-up (per client
//! address), appeals (per person and day) and signatures (per person and hour). Each
//! limit lets the last request under it through, then answers 429 as problem+json with a
//! `Retry-After` that says when the oldest counted request leaves the window.

mod common;

use std::net::SocketAddr;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{Method, Request, StatusCode, header};
use common::*;
use hromada_api::petitions::{Moderation, NewPetition};
use hromada_server::domain::accounts::Account;
use hromada_server::domain::{appeals, clock, petitions, throttle};
use serde_json::{Value, json};

/// A request from client address `ip` (as the server sees the TCP peer).
async fn from(
    app: &TestApp,
    ip: [u8; 4],
    path: &str,
    body: Option<Value>,
    session: Option<&str>,
    key: Option<&str>,
) -> Resp {
    let mut b = Request::builder()
        .method(Method::POST)
        .uri(path)
        .header(header::HOST, "localhost");
    if let Some(s) = session {
        b = b.header(header::COOKIE, format!("hromada_session={s}"));
    }
    if let Some(k) = key {
        b = b.header("idempotency-key", k);
    }
    let mut req = match body {
        Some(v) => b
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(v.to_string())),
        None => b.header("x-hromada-client", "test").body(Body::empty()),
    }
    .unwrap();
    req.extensions_mut()
        .insert(ConnectInfo(SocketAddr::from((ip, 40_000))));
    app.send(req).await
}

async fn login_from(app: &TestApp, ip: [u8; 4], email: &str, password: &str) -> Resp {
    let body = json!({"email": email, "password": password});
    from(app, ip, "/api/v1/auth/login", Some(body), None, None).await
}

fn sign_up_body(email: &str) -> Value {
    json!({
        "email": email,
        "password": GOOD_PASSWORD,
        "full_name": "Олена Петренко",
        "hromada": KHERSON,
        "address": "вул. Соборна, 1, м. Херсон",
    })
}

async fn sign_up_from(app: &TestApp, ip: [u8; 4], email: &str, key: Option<&str>) -> Resp {
    let path = "/api/v1/auth/register";
    from(app, ip, path, Some(sign_up_body(email)), None, key).await
}

/// Asserts a 429 problem whose `Retry-After` (seconds) is within `range`; returns it.
fn assert_throttled(r: &Resp, range: std::ops::RangeInclusive<u64>) -> u64 {
    let p = r.assert_problem(429);
    assert_eq!(p["title"], "Too Many Requests");
    let wait: u64 = r
        .headers
        .get(header::RETRY_AFTER)
        .expect("Retry-After")
        .to_str()
        .unwrap()
        .parse()
        .expect("Retry-After in seconds");
    assert!(
        range.contains(&wait),
        "Retry-After {wait}, expected {range:?}"
    );
    let detail = p["detail"].as_str().unwrap();
    assert!(detail.contains(&format!("{wait} s")), "{detail}");
    wait
}

const A: [u8; 4] = [203, 0, 113, 7];
const B: [u8; 4] = [198, 51, 100, 20];

#[tokio::test]
async fn sign_in_pauses_after_five_wrong_passwords_for_one_email() {
    let app = app().await;
    app.register("olena@k.example", KHERSON).await;
    app.register("taras@k.example", KHERSON).await;
    // Four wrong passwords, then the right one: just under the limit, it passes (and the
    // count starts again).
    for _ in 0..4 {
        login_from(&app, A, "taras@k.example", "не той пароль")
            .await
            .assert_problem(401);
    }
    login_from(&app, A, "taras@k.example", GOOD_PASSWORD)
        .await
        .assert_status(StatusCode::OK);
    // Five wrong passwords: then even the right one waits, from any address.
    for _ in 0..throttle::EMAIL_LIMIT {
        login_from(&app, A, "olena@k.example", "не той пароль")
            .await
            .assert_problem(401);
    }
    let window = throttle::WINDOW_SECS as u64;
    for ip in [A, B] {
        let r = login_from(&app, ip, "Olena@K.example", GOOD_PASSWORD).await;
        assert_throttled(&r, window - 5..=window);
        assert!(r.session().is_none());
    }
    // Other people sign in as usual.
    login_from(&app, A, "taras@k.example", GOOD_PASSWORD)
        .await
        .assert_status(StatusCode::OK);
}

#[tokio::test]
async fn sign_in_pauses_after_thirty_failures_from_one_address() {
    let app = app().await;
    app.register("olena@k.example", KHERSON).await;
    // Failures for many emails (none of them reaching its own limit), from one address.
    for i in 0..throttle::IP_LIMIT - 1 {
        login_from(&app, A, &format!("guess{i}@k.example"), "qwerty12345")
            .await
            .assert_problem(401);
    }
    // The 29th failure is under the limit: a right password still passes from there.
    login_from(&app, A, "olena@k.example", GOOD_PASSWORD)
        .await
        .assert_status(StatusCode::OK);
    login_from(&app, A, "guess-last@k.example", "qwerty12345")
        .await
        .assert_problem(401);
    let window = throttle::WINDOW_SECS as u64;
    let r = login_from(&app, A, "olena@k.example", GOOD_PASSWORD).await;
    assert_throttled(&r, window - 5..=window);
    // Another address is not affected.
    login_from(&app, B, "olena@k.example", GOOD_PASSWORD)
        .await
        .assert_status(StatusCode::OK);
}

#[tokio::test]
async fn sign_up_allows_twenty_accounts_an_hour_from_one_address() {
    let app = app().await;
    assert_eq!(throttle::SIGNUP_IP_LIMIT, 20);
    let key = "sign-up-twenty";
    for i in 1..=throttle::SIGNUP_IP_LIMIT {
        // The last one under the limit passes too.
        let k = (i == throttle::SIGNUP_IP_LIMIT).then_some(key);
        let r = sign_up_from(&app, A, &format!("person{i}@k.example"), k).await;
        r.assert_status(StatusCode::CREATED);
        assert!(r.session().is_some());
    }
    let r = sign_up_from(&app, A, "one-too-many@k.example", None).await;
    let window = (throttle::SIGNUP_WINDOW_MS / 1000) as u64;
    assert_throttled(&r, window - 60..=window);
    assert!(r.session().is_none());
    // Nothing was made: the email is free and cannot sign in.
    login_from(&app, B, "one-too-many@k.example", GOOD_PASSWORD)
        .await
        .assert_problem(401);
    // A retry of a sign-up already made (same Idempotency-Key) is not a new account: it
    // still answers as the first time.
    let r = sign_up_from(&app, A, "person20@k.example", Some(key)).await;
    r.assert_status(StatusCode::CREATED);
    // The limit answers first, before the form is looked at.
    let r = from(
        &app,
        A,
        "/api/v1/auth/register",
        Some(sign_up_body("not an email")),
        None,
        None,
    )
    .await;
    r.assert_problem(429);
    // Another address signs up as usual.
    sign_up_from(&app, B, "one-too-many@k.example", None)
        .await
        .assert_status(StatusCode::CREATED);
    // Signing in from the throttled address is not affected.
    login_from(&app, A, "person1@k.example", GOOD_PASSWORD)
        .await
        .assert_status(StatusCode::OK);
}

#[tokio::test]
async fn a_person_may_send_twenty_appeals_a_day() {
    let app = app().await;
    let (_, resident) = app.register("resident@k.example", KHERSON).await;
    let cats = app
        .get(
            &format!("/api/v1/hromadas/{KHERSON}/appeal-categories"),
            None,
        )
        .await
        .json();
    let appeal = json!({
        "kind": "proposal",
        "category_id": cats[0]["id"],
        "subject": "Лавки в сквері",
        "text": "Пропоную встановити лавки в сквері на Соборній.",
        "full_name": "Олена Петренко",
        "address": "вул. Соборна, 1, м. Херсон",
        "email": "resident@k.example",
    });
    let path = format!("/api/v1/hromadas/{KHERSON}/appeals");
    for _ in 0..appeals::DAILY_LIMIT {
        from(&app, A, &path, Some(appeal.clone()), Some(&resident), None)
            .await
            .assert_status(StatusCode::CREATED);
    }
    let r = from(&app, A, &path, Some(appeal.clone()), Some(&resident), None).await;
    let day = (appeals::DAILY_WINDOW_MS / 1000) as u64;
    assert_throttled(&r, day - 60..=day);
    let mine = app
        .get("/api/v1/me/appeals?limit=100", Some(&resident))
        .await;
    assert_eq!(
        mine.json()["items"].as_array().unwrap().len(),
        appeals::DAILY_LIMIT as usize
    );
    // It is the person's limit: another person sends from the same address.
    let (_, other) = app.register("other@k.example", KHERSON).await;
    from(&app, A, &path, Some(appeal), Some(&other), None)
        .await
        .assert_status(StatusCode::CREATED);
}

#[tokio::test]
async fn a_person_may_give_sixty_signatures_an_hour() {
    let app = app().await;
    assert_eq!(petitions::SIGNING_LIMIT, 60);
    let authors = people(&app, 1, KHERSON, "author").await;
    let author = Account::by_id(&app.db, &authors[0].0)
        .await
        .unwrap()
        .unwrap();
    let now = clock::now_millis();
    let mut ids = Vec::new();
    for i in 0..=petitions::SIGNING_LIMIT {
        let p = NewPetition {
            title: format!("Петиція номер {i}"),
            text: "Просимо облаштувати зупинку громадського транспорту з навісом.".into(),
        };
        let id = petitions::seed::submit(&app.db, KHERSON, &author, &p, now - 2 * 86_400_000)
            .await
            .unwrap();
        petitions::seed::moderate(
            &app.db,
            &id,
            &Moderation::Publish,
            now - 86_400_000,
            250,
            30,
        )
        .await
        .unwrap();
        ids.push(id);
    }
    let signers = people(&app, 2, KHERSON, "signer").await;
    let (signer, other) = (&signers[0].1, &signers[1].1);
    let sign = |id: &str, session: &str| {
        let path = format!("/api/v1/petitions/{id}/signatures");
        let session = session.to_owned();
        let app = &app;
        async move { from(app, A, &path, None, Some(&session), None).await }
    };
    // The sixtieth signature within the hour passes.
    for id in &ids[..petitions::SIGNING_LIMIT as usize] {
        sign(id, signer).await.assert_status(StatusCode::CREATED);
    }
    let last = ids.last().unwrap();
    let r = sign(last, signer).await;
    let hour = (petitions::SIGNING_WINDOW_MS / 1000) as u64;
    assert_throttled(&r, hour - 60..=hour);
    let p = app.get(&format!("/api/v1/petitions/{last}"), None).await;
    assert_eq!(p.json()["signatures"], 1, "only the author's");
    // A second signature of a petition already signed is still a 409 before the limit:
    // the person learns they signed.
    sign(&ids[0], signer).await.assert_problem(409);
    // Another person signs it (the limit is per person, not per address or petition).
    sign(last, other).await.assert_status(StatusCode::CREATED);
}
