//! Local electronic petitions: submission, moderation, signatures (one per person, also
//! under load), consideration, the answer, the hand-over of ended petitions to the
//! appeals inbox, lists, settings and notifications (issue 5).

mod common;

use std::time::Duration;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use common::*;
use hromada_api::workdays;
use hromada_server::domain::{clock, ids, petitions};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use sqlx::Row;
use tower::ServiceExt;

const DAY: i64 = 86_400_000;

struct World {
    app: TestApp,
    staff: String,
    other_staff: String,
    /// A verified resident of Kherson: writes petitions.
    author: String,
    author_id: String,
    /// A verified resident of Kherson: signs.
    signer: String,
    /// A resident of Kherson who is not verified.
    unverified: String,
    /// A verified resident of Beryslav.
    outsider: String,
}

async fn world() -> World {
    let app = app().await;
    let c = cast(&app, "signer").await;
    World {
        app,
        staff: c.staff,
        other_staff: c.other_staff,
        author: c.author,
        author_id: c.author_id,
        signer: c.second,
        unverified: c.unverified,
        outsider: c.outsider,
    }
}

fn list_path(k: &str) -> String {
    format!("/api/v1/hromadas/{k}/petitions")
}

fn new_petition(title: &str) -> Value {
    json!({
        "title": title,
        "text": "Біля поліклініки на вулиці Соборній немає пандуса для візочків.\nПросимо облаштувати.",
    })
}

async fn post(app: &TestApp, path: &str, body: Value, session: &str) -> Resp {
    app.call(Method::POST, path, Some(body), Some(session))
        .await
}

async fn create(app: &TestApp, title: &str, session: &str) -> Value {
    let r = post(app, &list_path(KHERSON), new_petition(title), session).await;
    assert_eq!(
        r.status,
        StatusCode::CREATED,
        "{}",
        String::from_utf8_lossy(&r.body)
    );
    r.json()
}

async fn moderate(app: &TestApp, id: &str, body: Value, session: &str) -> Resp {
    post(
        app,
        &format!("/api/v1/petitions/{id}/moderation"),
        body,
        session,
    )
    .await
}

async fn publish(app: &TestApp, id: &str, staff: &str) -> Value {
    let r = moderate(app, id, json!({"decision": "publish"}), staff).await;
    assert_eq!(
        r.status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&r.body)
    );
    r.json()
}

/// Signs with the X-Hromada-Client header and no body.
async fn sign(app: &TestApp, id: &str, session: Option<&str>) -> Resp {
    app.call(
        Method::POST,
        &format!("/api/v1/petitions/{id}/signatures"),
        None,
        session,
    )
    .await
}

async fn answer(app: &TestApp, id: &str, body: Value, session: &str) -> Resp {
    post(
        app,
        &format!("/api/v1/petitions/{id}/answer"),
        body,
        session,
    )
    .await
}

async fn settings(app: &TestApp, body: Value, session: &str) -> Resp {
    app.call(
        Method::PUT,
        &format!("/api/v1/hromadas/{KHERSON}/petition-settings"),
        Some(body),
        Some(session),
    )
    .await
}

fn ms(t: &Value) -> i64 {
    clock::parse_rfc3339(t.as_str().unwrap()).unwrap()
}

async fn count_and_rows(app: &TestApp, id: &str) -> (i64, i64) {
    let count: i64 = sqlx::query("SELECT signatures FROM petitions WHERE id = $1")
        .bind(id.to_owned())
        .fetch_one(app.db.pool())
        .await
        .unwrap()
        .get("signatures");
    (count, app.db.petition_signature_rows(id).await.unwrap())
}

fn kinds(n: &Value) -> Vec<String> {
    n["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["kind"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn submit_publish_sign_and_the_authors_signature_counts() {
    let w = world().await;
    let app = &w.app;
    let before = clock::now_millis();
    let p = create(app, "Облаштувати пандус біля поліклініки", &w.author).await;
    let id = id_of(&p);
    assert_eq!(p["status"], "moderation");
    assert_eq!(p["mine"], true);
    assert_eq!(p["signed"], false);
    assert_eq!(p["signatures"], 0);
    assert_eq!(p["needed"], 250);
    assert_eq!(p["author_name"], "Олена Петренко");
    assert_eq!(p["author_email"], "author@k.example");
    assert!(p["published_at"].is_null() && p["ends_at"].is_null());
    let submitted = ms(&p["submitted_at"]);
    assert!(submitted >= before);
    assert_eq!(
        ms(&p["due_at"]),
        hromada_api::petitions::terms::moderation_due(submitted)
    );
    // Staff see it in the moderation tab; the public does not.
    let q = app
        .get(
            &format!("{}?status=moderation", list_path(KHERSON)),
            Some(&w.staff),
        )
        .await
        .json();
    assert_eq!(q["items"][0]["id"], id.as_str());
    let public = app.get(&list_path(KHERSON), None).await.json();
    assert!(public["items"].as_array().unwrap().is_empty());

    // Publication freezes the numbers and adds the author's signature.
    let p = publish(app, &id, &w.staff).await;
    assert_eq!(p["status"], "collecting");
    assert_eq!(p["signatures"], 1);
    assert_eq!(p["needed"], 250);
    assert!(p["due_at"].is_null());
    let published = ms(&p["published_at"]);
    assert_eq!(ms(&p["ends_at"]), published + 60 * DAY);
    let mine = app
        .get(&format!("/api/v1/petitions/{id}"), Some(&w.author))
        .await
        .json();
    assert_eq!(mine["signed"], true, "the author's signature counts");
    // The author cannot sign twice.
    let r = sign(app, &id, Some(&w.author)).await;
    let problem = r.assert_problem(409);
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("already signed")
    );

    // Another resident signs: 201 with the count.
    let r = sign(app, &id, Some(&w.signer)).await;
    assert_eq!(
        r.status,
        StatusCode::CREATED,
        "{}",
        String::from_utf8_lossy(&r.body)
    );
    assert_eq!(r.json(), json!({"signatures": 2, "status": "collecting"}));
    // A second signature: a clear 409.
    let r = sign(app, &id, Some(&w.signer)).await;
    let problem = r.assert_problem(409);
    assert_eq!(problem["title"], "Conflict");
    assert!(
        problem["detail"]
            .as_str()
            .unwrap()
            .contains("You have already signed this petition"),
        "{problem}"
    );
    // With a JSON body `{}` it is the same.
    let r = post(
        app,
        &format!("/api/v1/petitions/{id}/signatures"),
        json!({}),
        &w.signer,
    )
    .await;
    r.assert_problem(409);

    // The count agrees with the list, the author first.
    let p = app
        .get(&format!("/api/v1/petitions/{id}"), Some(&w.signer))
        .await
        .json();
    assert_eq!(p["signatures"], 2);
    assert_eq!(p["signed"], true);
    assert_eq!(p["mine"], false);
    let s = app
        .get(&format!("/api/v1/petitions/{id}/signatures"), None)
        .await
        .json();
    let items = s["items"].as_array().unwrap();
    assert_eq!(items.len(), 2);
    assert!(items.iter().all(|i| i["full_name"] == "Олена Петренко"));
    assert!(items[0]["at"].as_str().unwrap() <= items[1]["at"].as_str().unwrap());
    assert_eq!(count_and_rows(app, &id).await, (2, 2));
    // The public list and the guest's view.
    let public = app.get(&list_path(KHERSON), None).await.json();
    assert_eq!(public["items"][0]["id"], id.as_str());
    assert_eq!(public["items"][0]["signatures"], 2);
    let guest = app
        .get(&format!("/api/v1/petitions/{id}"), None)
        .await
        .json();
    assert_eq!(guest["signed"], false);
    assert_eq!(guest["author_email"], "author@k.example");
    // The author was told of the publication.
    let n = app
        .get("/api/v1/me/notifications", Some(&w.author))
        .await
        .json();
    assert_eq!(kinds(&n), ["petition_published"]);
    assert_eq!(n["items"][0]["petition"]["id"], id.as_str());
    assert_eq!(
        n["items"][0]["petition"]["title"],
        "Облаштувати пандус біля поліклініки"
    );
    assert!(n["items"][0]["appeal"].is_null());
}

#[tokio::test]
async fn reaching_the_number_moves_to_consideration_and_staff_answer() {
    let w = world().await;
    let app = &w.app;
    let r = settings(
        app,
        json!({"signatures": 10, "days": 30, "verified_only": true}),
        &w.staff,
    )
    .await;
    assert_eq!(
        r.status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&r.body)
    );
    let id = id_of(&create(app, "Встановити лавки в сквері", &w.author).await);
    let p = publish(app, &id, &w.staff).await;
    assert_eq!(p["needed"], 10);
    assert_eq!(ms(&p["ends_at"]), ms(&p["published_at"]) + 30 * DAY);
    let crowd = people(app, 9, KHERSON, "c").await;
    // Listening on the stream of the last signer (who reaches the number) and the author.
    let mut author_stream = stream(app, KHERSON, Some(&w.author)).await;
    for (i, (_, s)) in crowd.iter().enumerate() {
        let r = sign(app, &id, Some(s)).await;
        assert_eq!(r.status, StatusCode::CREATED);
        let body = r.json();
        assert_eq!(body["signatures"], i + 2);
        let expected = if i == 8 {
            "consideration"
        } else {
            "collecting"
        };
        assert_eq!(body["status"], expected);
    }
    let got = read_until(
        &mut author_stream,
        "petition_reached",
        Duration::from_secs(2),
    )
    .await;
    assert!(got.contains(&id), "{got}");
    let p = app
        .get(&format!("/api/v1/petitions/{id}"), None)
        .await
        .json();
    assert_eq!(p["status"], "consideration");
    assert_eq!(p["signatures"], 10);
    // Due within 10 working days of reaching it.
    let reached: String = sqlx::query("SELECT reached_at FROM petitions WHERE id = $1")
        .bind(id.clone())
        .fetch_one(app.db.pool())
        .await
        .unwrap()
        .get("reached_at");
    let reached = clock::parse_rfc3339(&reached).unwrap();
    assert_eq!(ms(&p["due_at"]), workdays::add_working_days(reached, 10));
    assert!(ms(&p["due_at"]) - reached >= 12 * DAY);
    // Signing is over.
    sign(app, &id, Some(&w.signer)).await.assert_problem(409);
    // The author and every signer were told.
    for s in std::iter::once(&w.author).chain(crowd.iter().map(|(_, s)| s)) {
        let n = app.get("/api/v1/me/notifications", Some(s)).await.json();
        assert!(kinds(&n).contains(&"petition_reached".to_owned()), "{n}");
    }
    let n = app
        .get("/api/v1/me/notifications", Some(&w.signer))
        .await
        .json();
    assert!(kinds(&n).is_empty(), "not a signer: {n}");
    // The consideration tab.
    let tab = app
        .get(
            &format!("{}?status=consideration", list_path(KHERSON)),
            None,
        )
        .await
        .json();
    assert_eq!(tab["items"][0]["id"], id.as_str());

    // Answer: staff of another hromada may not; bad drafts are 422.
    answer(
        app,
        &id,
        json!({"decision": "supported", "text": "Підтримано."}),
        &w.other_staff,
    )
    .await
    .assert_problem(403);
    answer(
        app,
        &id,
        json!({"decision": "supported", "text": "  "}),
        &w.staff,
    )
    .await
    .assert_problem(422);
    let r = answer(
        app,
        &id,
        json!({"decision": "maybe", "text": "x"}),
        &w.staff,
    )
    .await;
    r.assert_problem(422);
    assert_eq!(r.field_errors()[0].0, "decision");
    let r = answer(
        app,
        &id,
        json!({"decision": "partly_supported", "text": "Лавки встановлять навесні."}),
        &w.staff,
    )
    .await;
    assert_eq!(
        r.status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&r.body)
    );
    let p = r.json();
    assert_eq!(p["status"], "answered");
    assert_eq!(p["decision"], "partly_supported");
    assert_eq!(p["answer"]["decision"], "partly_supported");
    assert_eq!(p["answer"]["text"], "Лавки встановлять навесні.");
    assert_eq!(p["answer"]["by"], "Олена Петренко");
    assert!(p["due_at"].is_null());
    // Only once.
    answer(
        app,
        &id,
        json!({"decision": "supported", "text": "Ще раз."}),
        &w.staff,
    )
    .await
    .assert_problem(409);
    for s in std::iter::once(&w.author).chain(crowd.iter().map(|(_, s)| s)) {
        let n = app.get("/api/v1/me/notifications", Some(s)).await.json();
        assert_eq!(kinds(&n)[0], "petition_answered", "{n}");
    }
    let n = app
        .get("/api/v1/me/notifications", Some(&w.author))
        .await
        .json();
    assert_eq!(
        kinds(&n),
        [
            "petition_answered",
            "petition_reached",
            "petition_published"
        ]
    );
    assert_eq!(n["unread"], 3);
    assert_eq!(count_and_rows(app, &id).await, (10, 10));
}

#[tokio::test]
async fn a_petition_in_moderation_is_seen_only_by_its_author_and_staff() {
    let w = world().await;
    let app = &w.app;
    let id = id_of(&create(app, "Відремонтувати дах школи № 5", &w.author).await);
    let path = format!("/api/v1/petitions/{id}");
    for s in [
        None,
        Some(&w.signer),
        Some(&w.other_staff),
        Some(&w.outsider),
    ] {
        app.get(&path, s.map(String::as_str))
            .await
            .assert_problem(404);
        app.get(&format!("{path}/signatures"), s.map(String::as_str))
            .await
            .assert_problem(404);
    }
    for s in [&w.author, &w.staff] {
        assert_eq!(app.get(&path, Some(s)).await.status, StatusCode::OK);
    }
    // Moderation: staff of another hromada and strangers get 404, the author 403.
    for s in [&w.other_staff, &w.signer] {
        moderate(app, &id, json!({"decision": "publish"}), s)
            .await
            .assert_problem(404);
    }
    moderate(app, &id, json!({"decision": "publish"}), &w.author)
        .await
        .assert_problem(403);
    // Signing a petition in moderation: its author gets 409, others 404.
    sign(app, &id, Some(&w.author)).await.assert_problem(409);
    sign(app, &id, Some(&w.signer)).await.assert_problem(404);
    sign(app, &id, None).await.assert_problem(401);
    // Answering one that is not under consideration.
    answer(
        app,
        &id,
        json!({"decision": "supported", "text": "x"}),
        &w.staff,
    )
    .await
    .assert_problem(409);
    // Published: staff of another hromada see it, but may not act (403).
    publish(app, &id, &w.staff).await;
    assert_eq!(app.get(&path, None).await.status, StatusCode::OK);
    moderate(app, &id, json!({"decision": "publish"}), &w.other_staff)
        .await
        .assert_problem(403);
    answer(
        app,
        &id,
        json!({"decision": "supported", "text": "x"}),
        &w.other_staff,
    )
    .await
    .assert_problem(403);
    // Moderated already.
    moderate(app, &id, json!({"decision": "publish"}), &w.staff)
        .await
        .assert_problem(409);
    answer(
        app,
        &id,
        json!({"decision": "supported", "text": "x"}),
        &w.staff,
    )
    .await
    .assert_problem(409);
    // The moderation tab is the staff's.
    let tab = format!("{}?status=moderation", list_path(KHERSON));
    app.get(&tab, None).await.assert_problem(401);
    app.get(&tab, Some(&w.author)).await.assert_problem(403);
    app.get(&tab, Some(&w.other_staff))
        .await
        .assert_problem(403);
    assert_eq!(app.get(&tab, Some(&w.staff)).await.status, StatusCode::OK);
}

#[tokio::test]
async fn rejection_needs_a_reason_and_is_public() {
    let w = world().await;
    let app = &w.app;
    let id = id_of(&create(app, "Заборонити все погане", &w.author).await);
    let r = moderate(app, &id, json!({"decision": "reject"}), &w.staff).await;
    r.assert_problem(422);
    assert_eq!(
        r.field_errors(),
        [("reason".to_owned(), "required".to_owned())]
    );
    let r = moderate(
        app,
        &id,
        json!({"decision": "reject", "reason": " "}),
        &w.staff,
    )
    .await;
    assert_eq!(
        r.field_errors(),
        [("reason".to_owned(), "required".to_owned())]
    );
    let r = moderate(
        app,
        &id,
        json!({"decision": "reject", "reason": "x".repeat(1001)}),
        &w.staff,
    )
    .await;
    assert_eq!(
        r.field_errors(),
        [("reason".to_owned(), "too_long".to_owned())]
    );
    let r = moderate(app, &id, json!({"decision": "later"}), &w.staff).await;
    assert_eq!(
        r.field_errors(),
        [("decision".to_owned(), "invalid".to_owned())]
    );
    let r = moderate(
        app,
        &id,
        json!({"decision": "reject", "reason": "Вимога не належить до повноважень ради."}),
        &w.staff,
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    let p = app
        .get(&format!("/api/v1/petitions/{id}"), None)
        .await
        .json();
    assert_eq!(p["status"], "rejected");
    assert_eq!(
        p["rejection_reason"],
        "Вимога не належить до повноважень ради."
    );
    assert_eq!(p["signatures"], 0);
    assert!(p["due_at"].is_null());
    sign(app, &id, Some(&w.signer)).await.assert_problem(409);
    moderate(app, &id, json!({"decision": "publish"}), &w.staff)
        .await
        .assert_problem(409);
    let tab = app
        .get(&format!("{}?status=rejected", list_path(KHERSON)), None)
        .await
        .json();
    assert_eq!(tab["items"][0]["id"], id.as_str());
    let n = app
        .get("/api/v1/me/notifications", Some(&w.author))
        .await
        .json();
    assert_eq!(kinds(&n), ["petition_rejected"]);
}

#[tokio::test]
async fn who_may_submit_and_sign() {
    let w = world().await;
    let app = &w.app;
    // Guests, residents of other hromadas, unverified residents (verified only).
    let path = list_path(KHERSON);
    app.call(Method::POST, &path, Some(new_petition("Гість пише")), None)
        .await
        .assert_problem(401);
    let p = post(app, &path, new_petition("Сусіди пишуть"), &w.outsider)
        .await
        .assert_problem(403);
    assert!(
        p["detail"]
            .as_str()
            .unwrap()
            .contains("residents of this hromada")
    );
    let p = post(app, &path, new_petition("Без перевірки"), &w.unverified)
        .await
        .assert_problem(403);
    assert!(p["detail"].as_str().unwrap().contains("verif"), "{p}");
    post(
        app,
        &list_path("UA00000000000000000"),
        new_petition("Нікуди"),
        &w.author,
    )
    .await
    .assert_problem(404);

    let id = id_of(&create(app, "Висадити дерева вздовж набережної", &w.author).await);
    publish(app, &id, &w.staff).await;
    sign(app, &id, None).await.assert_problem(401);
    let p = sign(app, &id, Some(&w.unverified))
        .await
        .assert_problem(403);
    assert!(
        p["detail"].as_str().unwrap().contains("verified residents"),
        "{p}"
    );
    let p = sign(app, &id, Some(&w.outsider)).await.assert_problem(403);
    assert!(
        p["detail"]
            .as_str()
            .unwrap()
            .contains("residents of this hromada")
    );
    let p = sign(app, &id, Some(&w.other_staff))
        .await
        .assert_problem(403);
    assert!(
        p["detail"]
            .as_str()
            .unwrap()
            .contains("residents of this hromada")
    );

    // The hromada lets everyone of its residents sign (and submit).
    let r = settings(
        app,
        json!({"signatures": 250, "days": 60, "verified_only": false}),
        &w.staff,
    )
    .await;
    assert_eq!(r.json()["settings"]["petition_verified_only"], false);
    let r = sign(app, &id, Some(&w.unverified)).await;
    assert_eq!(r.status, StatusCode::CREATED);
    assert_eq!(r.json()["signatures"], 2);
    sign(app, &id, Some(&w.outsider)).await.assert_problem(403);
    create(app, "Тепер можна й без перевірки", &w.unverified).await;

    // Signing after the period ended (before the ticker noticed): 409.
    sqlx::query("UPDATE petitions SET ends_at = $1 WHERE id = $2")
        .bind(clock::rfc3339(clock::now_millis() - 1000))
        .bind(id.clone())
        .execute(app.db.pool())
        .await
        .unwrap();
    let p = sign(app, &id, Some(&w.signer)).await.assert_problem(409);
    assert!(p["detail"].as_str().unwrap().contains("not collecting"));
    assert_eq!(count_and_rows(app, &id).await, (2, 2));
}

#[tokio::test]
async fn bad_petitions_name_their_fields() {
    let w = world().await;
    let app = &w.app;
    let path = list_path(KHERSON);
    let cases = [
        (
            json!({"title": "", "text": "Досить довгий текст петиції."}),
            "title",
            "required",
        ),
        (
            json!({"title": "я".repeat(201), "text": "Досить довгий текст петиції."}),
            "title",
            "too_long",
        ),
        (
            json!({"title": "Пан", "text": "Досить довгий текст петиції."}),
            "title",
            "too_short",
        ),
        (
            json!({"title": "Рядок\nдругий", "text": "Досить довгий текст петиції."}),
            "title",
            "invalid",
        ),
        (
            json!({"title": "Нормальна назва", "text": "Коротко"}),
            "text",
            "too_short",
        ),
        (
            json!({"title": "Нормальна назва", "text": "я".repeat(10_001)}),
            "text",
            "too_long",
        ),
        (json!({"title": "Нормальна назва"}), "text", "required"),
        (
            json!({"title": 5, "text": "Досить довгий текст петиції."}),
            "title",
            "invalid",
        ),
    ];
    for (body, field, code) in cases {
        let r = post(app, &path, body.clone(), &w.author).await;
        r.assert_problem(422);
        assert_eq!(
            r.field_errors(),
            [(field.to_owned(), code.to_owned())],
            "{body}"
        );
    }
    // 200 characters are fine; stored trimmed, with single spaces.
    let title = format!("  {}  ", "я".repeat(200));
    let r = post(
        app,
        &path,
        json!({"title": title, "text": "  Досить довгий текст петиції.  "}),
        &w.author,
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED);
    assert_eq!(r.json()["title"], "я".repeat(200));
    assert_eq!(r.json()["text"], "Досить довгий текст петиції.");
}

#[tokio::test]
async fn an_ended_petition_becomes_an_appeal_once() {
    let w = world().await;
    let app = &w.app;
    let title = "Облаштувати майданчик для собак у парку";
    let id = id_of(&create(app, title, &w.author).await);
    publish(app, &id, &w.staff).await;
    assert_eq!(
        sign(app, &id, Some(&w.signer)).await.status,
        StatusCode::CREATED
    );
    let mut author_stream = stream(app, KHERSON, Some(&w.author)).await;
    // Time travel: the period ended a minute ago.
    sqlx::query("UPDATE petitions SET ends_at = $1 WHERE id = $2")
        .bind(clock::rfc3339(clock::now_millis() - 60_000))
        .bind(id.clone())
        .execute(app.db.pool())
        .await
        .unwrap();
    // The ticker of the app may get there first; either way it happens once.
    let now = clock::now_millis();
    let (a, b) = tokio::join!(
        petitions::hand_over_ended(&app.db, Some(&app.live), now),
        petitions::hand_over_ended(&app.db, Some(&app.live), now),
    );
    assert!(a.unwrap() + b.unwrap() <= 1);
    assert_eq!(
        petitions::hand_over_ended(&app.db, None, now)
            .await
            .unwrap(),
        0
    );
    let got = read_until(
        &mut author_stream,
        "petition_not_supported",
        Duration::from_secs(3),
    )
    .await;
    assert!(got.contains(&id));
    let p = app
        .get(&format!("/api/v1/petitions/{id}"), Some(&w.author))
        .await
        .json();
    assert_eq!(p["status"], "not_supported");
    assert_eq!(p["signatures"], 2);
    let appeal_id = p["appeal_id"].as_str().expect("appeal_id").to_owned();
    // Others do not see which (private) appeal it became.
    let public = app
        .get(&format!("/api/v1/petitions/{id}"), None)
        .await
        .json();
    assert!(public["appeal_id"].is_null());
    let count: i64 = sqlx::query("SELECT COUNT(*) AS n FROM appeals")
        .fetch_one(app.db.pool())
        .await
        .unwrap()
        .get("n");
    assert_eq!(count, 1);
    // An ordinary appeal in the staff's inbox, from the author.
    let inbox = app
        .get(
            &format!("/api/v1/hromadas/{KHERSON}/appeals/inbox"),
            Some(&w.staff),
        )
        .await
        .json();
    let item = &inbox["items"][0];
    assert_eq!(item["id"], appeal_id.as_str());
    assert_eq!(item["subject"], title);
    assert_eq!(item["kind"], "application");
    assert_eq!(item["status"], "registered");
    assert_eq!(item["category"]["name"], "Інше");
    assert!(item["number"].as_str().unwrap().starts_with("ЗВ-"));
    let a = app
        .get(&format!("/api/v1/appeals/{appeal_id}"), Some(&w.author))
        .await
        .json();
    assert_eq!(a["mine"], true);
    assert_eq!(a["author"]["full_name"], "Олена Петренко");
    assert_eq!(a["author"]["email"], "author@k.example");
    assert_eq!(a["author"]["address"], "вул. Соборна, 1, м. Херсон");
    let text = a["text"].as_str().unwrap();
    assert!(text.starts_with("Розглядається як звернення"), "{text}");
    assert!(text.contains(&id), "{text}");
    assert!(text.contains("Біля поліклініки"), "{text}");
    let mine = app.get("/api/v1/me/appeals", Some(&w.author)).await.json();
    assert_eq!(mine["items"][0]["id"], appeal_id.as_str());
    // The author was told.
    let n = app
        .get("/api/v1/me/notifications", Some(&w.author))
        .await
        .json();
    assert_eq!(kinds(&n)[0], "petition_not_supported");
    assert_eq!(n["items"][0]["petition"]["id"], id.as_str());
    // No more signing; the tab lists it.
    sign(app, &id, Some(&w.unverified))
        .await
        .assert_problem(409);
    let tab = app
        .get(
            &format!("{}?status=not_supported", list_path(KHERSON)),
            None,
        )
        .await
        .json();
    assert_eq!(tab["items"][0]["id"], id.as_str());
}

#[tokio::test]
async fn an_appeal_from_a_petition_fits_the_appeals_limits() {
    let w = world().await;
    let app = &w.app;
    let long = json!({"title": "Довга петиція про все", "text": "Дуже довгий текст. ".repeat(500)});
    let r = post(app, &list_path(KHERSON), long, &w.author).await;
    let id = id_of(&r.json());
    publish(app, &id, &w.staff).await;
    sqlx::query("UPDATE petitions SET ends_at = $1 WHERE id = $2")
        .bind(clock::rfc3339(clock::now_millis() - 1))
        .bind(id.clone())
        .execute(app.db.pool())
        .await
        .unwrap();
    petitions::hand_over_ended(&app.db, None, clock::now_millis())
        .await
        .unwrap();
    let p = app
        .get(&format!("/api/v1/petitions/{id}"), Some(&w.author))
        .await
        .json();
    let a = app
        .get(
            &format!("/api/v1/appeals/{}", p["appeal_id"].as_str().unwrap()),
            Some(&w.staff),
        )
        .await
        .json();
    assert_eq!(
        a["text"].as_str().unwrap().chars().count(),
        hromada_api::appeals::TEXT_MAX
    );
}

async fn titles(app: &TestApp, query: &str, session: Option<&str>) -> Vec<String> {
    let r = app
        .get(&format!("{}?{query}", list_path(KHERSON)), session)
        .await;
    assert_eq!(
        r.status,
        StatusCode::OK,
        "{query}: {}",
        String::from_utf8_lossy(&r.body)
    );
    r.json()["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["title"].as_str().unwrap().to_owned())
        .collect()
}

/// Every title of a list, paging one item at a time.
async fn paged(app: &TestApp, query: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cursor = String::new();
    loop {
        let r = app
            .get(
                &format!("{}?{query}&limit=1{cursor}", list_path(KHERSON)),
                None,
            )
            .await;
        assert_eq!(
            r.status,
            StatusCode::OK,
            "{}",
            String::from_utf8_lossy(&r.body)
        );
        let page = r.json();
        for i in page["items"].as_array().unwrap() {
            out.push(i["title"].as_str().unwrap().to_owned());
        }
        match page["next_cursor"].as_str() {
            Some(c) => cursor = format!("&cursor={c}"),
            None => return out,
        }
    }
}

#[tokio::test]
async fn lists_sort_page_and_search() {
    let w = world().await;
    let app = &w.app;
    let crowd = people(app, 3, KHERSON, "l").await;
    // A: 1 signature, ends last; B: 4, ends first; C: 2, ends in between; published in
    // this order (C newest).
    let mut ids = Vec::new();
    for (title, extra, ends_in_days) in [
        ("Пандуси до ПОЛІКЛІНІК", 0, 50),
        ("Велодоріжка на проспекті", 3, 5),
        ("Світлофор біля школи", 1, 20),
    ] {
        let id = id_of(&create(app, title, &w.author).await);
        publish(app, &id, &w.staff).await;
        for (_, s) in crowd.iter().take(extra) {
            assert_eq!(sign(app, &id, Some(s)).await.status, StatusCode::CREATED);
        }
        sqlx::query("UPDATE petitions SET ends_at = $1 WHERE id = $2")
            .bind(clock::rfc3339(clock::now_millis() + ends_in_days * DAY))
            .bind(id.clone())
            .execute(app.db.pool())
            .await
            .unwrap();
        ids.push(id);
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let newest = [
        "Світлофор біля школи",
        "Велодоріжка на проспекті",
        "Пандуси до ПОЛІКЛІНІК",
    ];
    let most = [
        "Велодоріжка на проспекті",
        "Світлофор біля школи",
        "Пандуси до ПОЛІКЛІНІК",
    ];
    let ending = [
        "Велодоріжка на проспекті",
        "Світлофор біля школи",
        "Пандуси до ПОЛІКЛІНІК",
    ];
    assert_eq!(titles(app, "", None).await, newest);
    assert_eq!(
        titles(app, "status=collecting&sort=newest", None).await,
        newest
    );
    assert_eq!(titles(app, "sort=most_signed", None).await, most);
    assert_eq!(titles(app, "sort=ending_soon", None).await, ending);
    assert_eq!(paged(app, "sort=newest").await, newest);
    assert_eq!(paged(app, "sort=most_signed").await, most);
    assert_eq!(paged(app, "sort=ending_soon").await, ending);
    // Search: case-insensitive in Cyrillic, in the title and the text.
    assert_eq!(
        titles(app, &format!("q={}", urlencode("пандуси до полік")), None).await,
        ["Пандуси до ПОЛІКЛІНІК"]
    );
    assert_eq!(
        titles(app, &format!("q={}", urlencode("СВІТЛОФОР")), None).await,
        ["Світлофор біля школи"]
    );
    assert_eq!(
        titles(app, &format!("q={}", urlencode("візочків")), None)
            .await
            .len(),
        3
    );
    assert!(titles(app, "q=100%25", None).await.is_empty());
    // Other tabs are empty; bad parameters are 400 naming them.
    for tab in ["consideration", "answered", "not_supported", "rejected"] {
        assert!(titles(app, &format!("status={tab}"), None).await.is_empty());
        assert!(
            titles(app, &format!("status={tab}&sort=ending_soon"), None)
                .await
                .is_empty()
        );
    }
    let r = app
        .get(&format!("{}?sort=oldest", list_path(KHERSON)), None)
        .await;
    r.assert_problem(400);
    assert_eq!(
        r.field_errors(),
        [("sort".to_owned(), "invalid".to_owned())]
    );
    let r = app
        .get(&format!("{}?status=lost", list_path(KHERSON)), None)
        .await;
    assert_eq!(
        r.field_errors(),
        [("status".to_owned(), "invalid".to_owned())]
    );
    // A cursor of one order is refused by another.
    let page = app
        .get(
            &format!("{}?sort=most_signed&limit=1", list_path(KHERSON)),
            None,
        )
        .await
        .json();
    let c = page["next_cursor"].as_str().unwrap();
    let r = app
        .get(
            &format!("{}?sort=newest&cursor={c}", list_path(KHERSON)),
            None,
        )
        .await;
    assert_eq!(
        r.field_errors(),
        [("cursor".to_owned(), "invalid".to_owned())]
    );
    // Staff see the moderation queue, nearest deadline first with ending_soon.
    let q1 = id_of(&create(app, "Перша в черзі", &w.author).await);
    tokio::time::sleep(Duration::from_millis(5)).await;
    create(app, "Друга в черзі", &w.author).await;
    sqlx::query("UPDATE petitions SET due_at = $1 WHERE id = $2")
        .bind(clock::rfc3339(clock::now_millis()))
        .bind(q1.clone())
        .execute(app.db.pool())
        .await
        .unwrap();
    let queue = titles(app, "status=moderation&sort=ending_soon", Some(&w.staff)).await;
    assert_eq!(queue, ["Перша в черзі", "Друга в черзі"]);
    let queue = titles(app, "status=moderation", Some(&w.staff)).await;
    assert_eq!(queue, ["Друга в черзі", "Перша в черзі"]);
    // My petitions: every status, newest first.
    let mine = app
        .get("/api/v1/me/petitions", Some(&w.author))
        .await
        .json();
    let t: Vec<&str> = mine["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["title"].as_str().unwrap())
        .collect();
    assert_eq!(t[0], "Друга в черзі");
    assert_eq!(t.len(), 5);
    let page = app
        .get("/api/v1/me/petitions?limit=2", Some(&w.author))
        .await
        .json();
    let c = page["next_cursor"].as_str().unwrap();
    let rest = app
        .get(
            &format!("/api/v1/me/petitions?limit=10&cursor={c}"),
            Some(&w.author),
        )
        .await
        .json();
    assert_eq!(rest["items"].as_array().unwrap().len(), 3);
    assert!(
        app.get("/api/v1/me/petitions", Some(&w.signer))
            .await
            .json()["items"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    app.get("/api/v1/me/petitions", None)
        .await
        .assert_problem(401);
    // Signers page through in order.
    let b = &ids[1];
    let first = app
        .get(&format!("/api/v1/petitions/{b}/signatures?limit=3"), None)
        .await
        .json();
    assert_eq!(first["items"].as_array().unwrap().len(), 3);
    let c = first["next_cursor"].as_str().unwrap();
    let rest = app
        .get(
            &format!("/api/v1/petitions/{b}/signatures?cursor={c}"),
            None,
        )
        .await
        .json();
    assert_eq!(rest["items"].as_array().unwrap().len(), 1);
    assert!(rest["next_cursor"].is_null());
    assert_eq!(rest["items"][0]["full_name"], "Мешканець l 2");
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

#[tokio::test]
async fn settings_are_the_staffs_and_published_petitions_keep_their_numbers() {
    let w = world().await;
    let app = &w.app;
    let h = app
        .get(&format!("/api/v1/hromadas/{KHERSON}"), None)
        .await
        .json();
    assert_eq!(
        h["settings"],
        json!({"petition_signatures": 250, "petition_days": 60, "petition_verified_only": true})
    );
    let id = id_of(&create(app, "Опублікована до змін", &w.author).await);
    publish(app, &id, &w.staff).await;
    let good = json!({"signatures": 100, "days": 45, "verified_only": false});
    settings(app, good.clone(), &w.author)
        .await
        .assert_problem(403);
    settings(app, good.clone(), &w.other_staff)
        .await
        .assert_problem(403);
    app.call(
        Method::PUT,
        &format!("/api/v1/hromadas/{KHERSON}/petition-settings"),
        Some(good.clone()),
        None,
    )
    .await
    .assert_problem(401);
    app.call(
        Method::PUT,
        "/api/v1/hromadas/UA00000000000000000/petition-settings",
        Some(good.clone()),
        Some(&w.staff),
    )
    .await
    .assert_problem(404);
    let r = settings(
        app,
        json!({"signatures": 9, "days": 366, "verified_only": true}),
        &w.staff,
    )
    .await;
    r.assert_problem(422);
    assert_eq!(
        r.field_errors(),
        [
            ("signatures".to_owned(), "invalid".to_owned()),
            ("days".to_owned(), "invalid".to_owned())
        ]
    );
    let r = settings(app, json!({"signatures": "many", "days": 5}), &w.staff).await;
    r.assert_problem(422);
    assert_eq!(r.field_errors()[0].0, "signatures");
    let r = settings(app, good, &w.staff).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(
        r.json()["settings"],
        json!({"petition_signatures": 100, "petition_days": 45, "petition_verified_only": false})
    );
    let h = app
        .get(&format!("/api/v1/hromadas/{KHERSON}"), None)
        .await
        .json();
    assert_eq!(h["settings"]["petition_signatures"], 100);
    // The published one keeps 250 and its end; a new one gets the new numbers.
    let p = app
        .get(&format!("/api/v1/petitions/{id}"), None)
        .await
        .json();
    assert_eq!(p["needed"], 250);
    assert_eq!(ms(&p["ends_at"]), ms(&p["published_at"]) + 60 * DAY);
    let id2 = id_of(&create(app, "Опублікована після змін", &w.author).await);
    let p2 = publish(app, &id2, &w.staff).await;
    assert_eq!(p2["needed"], 100);
    assert_eq!(ms(&p2["ends_at"]), ms(&p2["published_at"]) + 45 * DAY);
}

#[tokio::test]
async fn retries_with_the_same_key_create_nothing_new() {
    let w = world().await;
    let app = &w.app;
    let send = |path: String, body: Option<Value>, key: &'static str, session: String| {
        let mut b = Request::builder()
            .method(Method::POST)
            .uri(path)
            .header(header::HOST, "localhost")
            .header("x-hromada-client", "test")
            .header("idempotency-key", key)
            .header(header::COOKIE, format!("hromada_session={session}"));
        let body = match body {
            Some(v) => {
                b = b.header(header::CONTENT_TYPE, "application/json");
                Body::from(v.to_string())
            }
            None => Body::empty(),
        };
        b.body(body).unwrap()
    };
    let path = list_path(KHERSON);
    let body = new_petition("Повторна відправка");
    let a = app
        .send(send(
            path.clone(),
            Some(body.clone()),
            "k-1",
            w.author.clone(),
        ))
        .await;
    let b = app
        .send(send(path.clone(), Some(body), "k-1", w.author.clone()))
        .await;
    assert_eq!(a.status, StatusCode::CREATED);
    assert_eq!(b.status, StatusCode::CREATED);
    assert_eq!(a.json()["id"], b.json()["id"]);
    let other = app
        .send(send(
            path,
            Some(new_petition("Інша")),
            "k-1",
            w.author.clone(),
        ))
        .await;
    other.assert_problem(422);
    let id = id_of(&a.json());
    publish(app, &id, &w.staff).await;
    let sp = format!("/api/v1/petitions/{id}/signatures");
    let s1 = app
        .send(send(sp.clone(), None, "s-1", w.signer.clone()))
        .await;
    let s2 = app
        .send(send(sp.clone(), None, "s-1", w.signer.clone()))
        .await;
    assert_eq!(s1.status, StatusCode::CREATED);
    assert_eq!(s2.status, StatusCode::CREATED);
    assert_eq!(s1.json(), s2.json());
    // A new key is a new request: already signed.
    app.send(send(sp, None, "s-2", w.signer.clone()))
        .await
        .assert_problem(409);
    assert_eq!(count_and_rows(app, &id).await, (2, 2));
}

#[tokio::test]
async fn the_database_keeps_one_signature_per_person_and_the_count_sane() {
    let w = world().await;
    let app = &w.app;
    let id = id_of(&create(app, "Перевірка обмежень бази", &w.author).await);
    publish(app, &id, &w.staff).await;
    let twice = sqlx::query(
        "INSERT INTO petition_signatures (petition_id, seq, user_id, full_name, signed_at) \
         VALUES ($1, 2, $2, 'x', '2026-01-01T00:00:00.000Z')",
    )
    .bind(id.clone())
    .bind(w.author_id.clone())
    .execute(app.db.pool())
    .await;
    assert!(twice.is_err(), "one signature per person");
    assert!(
        hromada_server::db::is_unique_violation(&twice.unwrap_err()),
        "a unique violation"
    );
    for bad in [
        "UPDATE petitions SET signatures = -1 WHERE id = $1",
        "UPDATE petitions SET status = 'lost' WHERE id = $1",
        "UPDATE petitions SET decision = 'maybe' WHERE id = $1",
        "UPDATE petitions SET status = 'answered' WHERE id = $1",
    ] {
        let r = sqlx::query(bad)
            .bind(id.clone())
            .execute(app.db.pool())
            .await;
        assert!(r.is_err(), "{bad}");
    }
    let r = sqlx::query(
        "INSERT INTO notifications (id, user_id, kind, notified_at) VALUES ($1, $2, 'petition_reached', '2026-01-01T00:00:00.000Z')",
    )
    .bind(ids::new_id())
    .bind(w.author_id.clone())
    .execute(app.db.pool())
    .await;
    assert!(r.is_err(), "a notification is about something");
}

/// 1,000 concurrent sign requests from 100 people (10 each) leave exactly 100 new
/// signatures and a count equal to the rows; every extra request is a 409, none a 500.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_thousand_concurrent_signatures_count_exactly() {
    let w = world().await;
    let app = &w.app;
    let id = id_of(&create(app, "Петиція під навантаженням", &w.author).await);
    publish(app, &id, &w.staff).await;
    let crowd = people(app, 100, KHERSON, "n").await;
    let mut tasks = Vec::new();
    for _ in 0..10 {
        for (_, session) in &crowd {
            let router = app.router.clone();
            let req = Request::builder()
                .method(Method::POST)
                .uri(format!("/api/v1/petitions/{id}/signatures"))
                .header(header::HOST, "localhost")
                .header("x-hromada-client", "load")
                .header(header::COOKIE, format!("hromada_session={session}"))
                .body(Body::empty())
                .unwrap();
            tasks.push(tokio::spawn(async move {
                let res = router.oneshot(req).await.unwrap();
                let status = res.status();
                let body = res.into_body().collect().await.unwrap().to_bytes();
                (status, body)
            }));
        }
    }
    let (mut created, mut conflicts) = (0, 0);
    for t in tasks {
        let (status, body) = t.await.unwrap();
        match status {
            StatusCode::CREATED => created += 1,
            StatusCode::CONFLICT => {
                conflicts += 1;
                assert!(String::from_utf8_lossy(&body).contains("already signed"));
            }
            other => panic!("{other}: {}", String::from_utf8_lossy(&body)),
        }
    }
    assert_eq!((created, conflicts), (100, 900));
    assert_eq!(count_and_rows(app, &id).await, (101, 101));
    let p = app
        .get(&format!("/api/v1/petitions/{id}"), None)
        .await
        .json();
    assert_eq!(p["signatures"], 101);
    assert_eq!(p["status"], "collecting");
    // The order numbers are 1 to 101 without gaps, each person once.
    let r = sqlx::query(
        "SELECT COUNT(DISTINCT user_id) AS people, MIN(seq) AS lo, MAX(seq) AS hi, \
         COUNT(DISTINCT seq) AS seqs FROM petition_signatures WHERE petition_id = $1",
    )
    .bind(id.clone())
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    assert_eq!(r.get::<i64, _>("people"), 101);
    assert_eq!(r.get::<i64, _>("lo"), 1);
    assert_eq!(r.get::<i64, _>("hi"), 101);
    assert_eq!(r.get::<i64, _>("seqs"), 101);
    // Every signer listed, in pages.
    let mut n = 0;
    let mut cursor = String::new();
    loop {
        let page = app
            .get(
                &format!("/api/v1/petitions/{id}/signatures?limit=100{cursor}"),
                None,
            )
            .await
            .json();
        n += page["items"].as_array().unwrap().len();
        match page["next_cursor"].as_str() {
            Some(c) => cursor = format!("&cursor={c}"),
            None => break,
        }
    }
    assert_eq!(n, 101);
}

/// Concurrent signers racing for the last signature: exactly one reaches the number.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn racing_for_the_last_signature_reaches_the_number_once() {
    let w = world().await;
    let app = &w.app;
    settings(
        app,
        json!({"signatures": 10, "days": 60, "verified_only": true}),
        &w.staff,
    )
    .await;
    let id = id_of(&create(app, "Гонка за останній підпис", &w.author).await);
    publish(app, &id, &w.staff).await;
    let crowd = people(app, 30, KHERSON, "r").await;
    let mut tasks = Vec::new();
    for (_, session) in &crowd {
        let router = app.router.clone();
        let req = Request::builder()
            .method(Method::POST)
            .uri(format!("/api/v1/petitions/{id}/signatures"))
            .header(header::HOST, "localhost")
            .header("x-hromada-client", "load")
            .header(header::COOKIE, format!("hromada_session={session}"))
            .body(Body::empty())
            .unwrap();
        tasks.push(tokio::spawn(async move {
            let res = router.oneshot(req).await.unwrap();
            let status = res.status();
            let body = res.into_body().collect().await.unwrap().to_bytes();
            (status, body)
        }));
    }
    let mut reached = 0;
    let mut created = 0;
    for t in tasks {
        let (status, body) = t.await.unwrap();
        match status {
            StatusCode::CREATED => {
                created += 1;
                let v: Value = serde_json::from_slice(&body).unwrap();
                if v["status"] == "consideration" {
                    reached += 1;
                    assert_eq!(v["signatures"], 10);
                }
            }
            StatusCode::CONFLICT => {}
            other => panic!("{other}: {}", String::from_utf8_lossy(&body)),
        }
    }
    assert_eq!((created, reached), (9, 1));
    assert_eq!(count_and_rows(app, &id).await, (10, 10));
    let notified: i64 = sqlx::query(
        "SELECT COUNT(*) AS n FROM notifications WHERE petition_id = $1 AND kind = 'petition_reached'",
    )
    .bind(id.clone())
    .fetch_one(app.db.pool())
    .await
    .unwrap()
    .get("n");
    assert_eq!(notified, 10, "the author and 9 signers, once each");
}

#[tokio::test]
async fn demo_petitions_are_in_every_state() {
    let app = demo_app().await;
    for (tab, at_least) in [
        ("collecting", 4),
        ("consideration", 1),
        ("answered", 2),
        ("not_supported", 1),
        ("rejected", 1),
    ] {
        let page = app
            .get(&format!("{}?status={tab}", list_path(KHERSON)), None)
            .await
            .json();
        let items = page["items"].as_array().unwrap();
        assert!(items.len() >= at_least, "{tab}: {page}");
        for i in items {
            let id = i["id"].as_str().unwrap();
            let (count, rows) = count_and_rows(&app, id).await;
            assert_eq!(count, rows, "{tab} {id}");
            assert_eq!(i["signatures"], count);
        }
    }
    let staff = app.demo_session("staff@demo.example").await;
    let queue = app
        .get(
            &format!("{}?status=moderation", list_path(KHERSON)),
            Some(&staff),
        )
        .await
        .json();
    assert_eq!(queue["items"].as_array().unwrap().len(), 1);
    let answered = app
        .get(&format!("{}?status=answered", list_path(KHERSON)), None)
        .await
        .json();
    let decisions: Vec<&str> = answered["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["decision"].as_str().unwrap())
        .collect();
    assert!(decisions.contains(&"supported") && decisions.contains(&"partly_supported"));
    // Signers have real names.
    let id = answered["items"][0]["id"].as_str().unwrap();
    let s = app
        .get(&format!("/api/v1/petitions/{id}/signatures?limit=5"), None)
        .await
        .json();
    assert_eq!(s["items"].as_array().unwrap().len(), 5);
    assert!(s["items"][1]["full_name"].as_str().unwrap().contains(' '));
    // One is a single signature short: the verified demo resident's signature moves it
    // to consideration. The unverified demo resident may not sign.
    let collecting = app
        .get(&format!("{}?status=collecting", list_path(KHERSON)), None)
        .await
        .json();
    let short = collecting["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["signatures"].as_u64().unwrap() + 1 == i["needed"].as_u64().unwrap())
        .expect("one short")
        .clone();
    let id = short["id"].as_str().unwrap();
    let resident = app.demo_session("resident@demo.example").await;
    sign(&app, id, Some(&resident)).await.assert_problem(403);
    let verified = app.demo_session("verified@demo.example").await;
    let p = app
        .get(&format!("/api/v1/petitions/{id}"), Some(&verified))
        .await
        .json();
    assert_eq!(p["signed"], false);
    let r = sign(&app, id, Some(&verified)).await;
    assert_eq!(r.status, StatusCode::CREATED);
    assert_eq!(r.json()["status"], "consideration");
    // The verified demo resident wrote the one in moderation and signed others.
    let mine = app
        .get("/api/v1/me/petitions", Some(&verified))
        .await
        .json();
    let statuses: Vec<&str> = mine["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["status"].as_str().unwrap())
        .collect();
    assert!(statuses.contains(&"moderation") && statuses.contains(&"collecting"));
    // The one handed over is an appeal in the inbox.
    let ns = app
        .get(
            &format!("{}?status=not_supported", list_path(KHERSON)),
            Some(&staff),
        )
        .await
        .json();
    let nid = ns["items"][0]["id"].as_str().unwrap();
    let p = app
        .get(&format!("/api/v1/petitions/{nid}"), Some(&staff))
        .await
        .json();
    let appeal = p["appeal_id"].as_str().unwrap();
    assert_eq!(
        app.get(&format!("/api/v1/appeals/{appeal}"), Some(&staff))
            .await
            .status,
        StatusCode::OK
    );
    // Loading again adds nothing.
    let before = app.db.petition_count(KHERSON).await.unwrap();
    hromada_server::demo_petitions::load(&app.db).await.unwrap();
    assert_eq!(app.db.petition_count(KHERSON).await.unwrap(), before);
}

/// Reads SSE frames until one contains `needle`, within `within`.
async fn read_until(body: &mut Body, needle: &str, within: Duration) -> String {
    let mut text = String::new();
    let deadline = tokio::time::Instant::now() + within;
    loop {
        let frame = tokio::time::timeout_at(deadline, body.frame())
            .await
            .unwrap_or_else(|_| panic!("no {needle:?} within {within:?}; got {text:?}"))
            .expect("stream open")
            .expect("frame");
        if let Ok(data) = frame.into_data() {
            text.push_str(&String::from_utf8_lossy(&data));
            if text.contains(needle) {
                return text;
            }
        }
    }
}

async fn stream(app: &TestApp, k: &str, session: Option<&str>) -> Body {
    let mut b = Request::builder()
        .uri(format!("/api/v1/hromadas/{k}/events"))
        .header(header::HOST, "localhost");
    if let Some(s) = session {
        b = b.header(header::COOKIE, format!("hromada_session={s}"));
    }
    let res = app
        .router
        .clone()
        .oneshot(b.body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let mut body = res.into_body();
    read_until(&mut body, "retry", Duration::from_secs(2)).await;
    body
}

#[tokio::test]
async fn publication_is_told_live_to_the_author() {
    let w = world().await;
    let app = &w.app;
    let id = id_of(&create(app, "Живе сповіщення автору", &w.author).await);
    let mut mine = stream(app, BERYSLAV, Some(&w.author)).await;
    let mut other = stream(app, KHERSON, Some(&w.signer)).await;
    publish(app, &id, &w.staff).await;
    let got = read_until(&mut mine, "petition_published", Duration::from_secs(1)).await;
    assert!(
        got.contains(&id) && got.contains("Живе сповіщення автору"),
        "{got}"
    );
    let nothing = tokio::time::timeout(Duration::from_millis(300), other.frame()).await;
    assert!(nothing.is_err(), "{nothing:?}");
}
