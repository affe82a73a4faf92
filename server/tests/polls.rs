//! Polls and surveys: drafts and who sees them, publication, edits locked by the first
//! answer, answering (every refusal, once per person also under concurrent load),
//! results by visibility setting, aggregates against hand counts, texts in pages, the
//! CSV export and the demo content (issue 7).

mod common;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use common::*;
use hromada_server::domain::clock;
use http_body_util::BodyExt;
use serde_json::{Value, json};
use sqlx::Row;
use tower::ServiceExt;

const DAY: i64 = 86_400_000;

struct World {
    app: TestApp,
    staff: String,
    other_staff: String,
    /// A resident of Kherson who is not verified.
    resident: String,
    /// A verified resident of Kherson.
    verified: String,
    /// A verified resident of Beryslav.
    outsider: String,
}

async fn world() -> World {
    let app = app().await;
    let (staff_id, staff) = app.register("staff@k.example", KHERSON).await;
    let (other_id, other_staff) = app.register("staff@b.example", BERYSLAV).await;
    let (_, resident) = app.register("resident@k.example", KHERSON).await;
    let (verified_id, verified) = app.register("verified@k.example", KHERSON).await;
    let (outsider_id, outsider) = app.register("outsider@b.example", BERYSLAV).await;
    let now = clock::now_rfc3339();
    app.db.grant_staff(&staff_id, KHERSON, &now).await.unwrap();
    app.db.grant_staff(&other_id, BERYSLAV, &now).await.unwrap();
    verify(&app, &verified_id, KHERSON).await;
    verify(&app, &outsider_id, BERYSLAV).await;
    World {
        app,
        staff,
        other_staff,
        resident,
        verified,
        outsider,
    }
}

fn text(r: &Resp) -> String {
    String::from_utf8_lossy(&r.body).into_owned()
}

fn id_of(v: &Value) -> String {
    v["id"].as_str().unwrap().to_owned()
}

fn at(offset_ms: i64) -> String {
    clock::rfc3339(clock::now_millis() + offset_ms)
}

fn single(title: &str, options: &[&str]) -> Value {
    json!({"title": title, "required": true, "kind": "single", "options": options})
}

fn draft(title: &str, questions: Value, audience: &str, shown: &str) -> Value {
    json!({
        "kind": "poll",
        "title": title,
        "intro": "",
        "questions": questions,
        "audience": audience,
        "results_shown": shown,
        "opens_at": at(-DAY),
        "closes_at": at(10 * DAY),
    })
}

fn simple(title: &str) -> Value {
    draft(
        title,
        json!([single(
            "Де облаштувати сквер?",
            &["Центр", "Таврійський", "Острів"]
        )]),
        "signed_in",
        "always",
    )
}

fn polls_path() -> String {
    format!("/api/v1/hromadas/{KHERSON}/polls")
}

async fn create(app: &TestApp, staff: &str, body: Value) -> Value {
    let r = app
        .call(Method::POST, &polls_path(), Some(body), Some(staff))
        .await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", text(&r));
    r.json()
}

async fn publish(app: &TestApp, staff: &str, id: &str) -> Value {
    let r = app
        .call(
            Method::POST,
            &format!("/api/v1/polls/{id}/publish"),
            None,
            Some(staff),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", text(&r));
    r.json()
}

/// A published poll of `body`.
async fn published(app: &TestApp, staff: &str, body: Value) -> String {
    let id = id_of(&create(app, staff, body).await);
    publish(app, staff, &id).await;
    id
}

async fn respond(app: &TestApp, session: &str, id: &str, answers: Value) -> Resp {
    app.call(
        Method::POST,
        &format!("/api/v1/polls/{id}/responses"),
        Some(json!({ "answers": answers })),
        Some(session),
    )
    .await
}

fn choice(q: u32, options: &[u32]) -> Value {
    json!({"question": q, "kind": "choice", "options": options})
}

fn scale(q: u32, value: u8) -> Value {
    json!({"question": q, "kind": "scale", "value": value})
}

fn free(q: u32, t: &str) -> Value {
    json!({"question": q, "kind": "text", "text": t})
}

async fn put(app: &TestApp, staff: &str, id: &str, body: Value) -> Resp {
    app.call(
        Method::PUT,
        &format!("/api/v1/polls/{id}"),
        Some(body),
        Some(staff),
    )
    .await
}

async fn list(app: &TestApp, state: &str, session: Option<&str>) -> Resp {
    app.get(&format!("{}?state={state}", polls_path()), session)
        .await
}

fn ids_of(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(id_of)
        .collect()
}

#[tokio::test]
async fn drafts_are_checked_and_seen_only_by_staff_until_published() {
    let w = world().await;
    let app = &w.app;
    // Checks.
    let mut bad = simple("Ой");
    bad["questions"] = json!([
        {"title": "Один варіант", "required": true, "kind": "single", "options": ["Так"]},
        {"title": "Забагато", "required": false, "kind": "multiple", "options": ["a", "b"], "max": 3},
    ]);
    bad["closes_at"] = bad["opens_at"].clone();
    let r = app
        .call(Method::POST, &polls_path(), Some(bad), Some(&w.staff))
        .await;
    r.assert_problem(422);
    assert_eq!(
        r.field_errors(),
        [
            ("title".to_owned(), "too_short".to_owned()),
            ("questions[0].options".to_owned(), "too_short".to_owned()),
            ("questions[1].max".to_owned(), "invalid".to_owned()),
            ("closes_at".to_owned(), "before_start".to_owned()),
        ]
    );
    let mut no_questions = simple("Без питань взагалі");
    no_questions["questions"] = json!([]);
    let r = app
        .call(
            Method::POST,
            &polls_path(),
            Some(no_questions),
            Some(&w.staff),
        )
        .await;
    assert_eq!(
        r.field_errors(),
        [("questions".to_owned(), "required".to_owned())]
    );
    // Only staff of the hromada create.
    app.call(
        Method::POST,
        &polls_path(),
        Some(simple("Опитування мешканця")),
        Some(&w.verified),
    )
    .await
    .assert_problem(403);
    app.call(
        Method::POST,
        &polls_path(),
        Some(simple("Опитування чужого штату")),
        Some(&w.other_staff),
    )
    .await
    .assert_problem(403);
    app.call(Method::POST, &polls_path(), Some(simple("Гість")), None)
        .await
        .assert_problem(401);

    // A draft, made once for one Idempotency-Key.
    let body = simple("  Новий   сквер у центрі  ");
    let send = |key: &'static str| {
        let body = body.clone();
        let staff = w.staff.clone();
        async move {
            let req = Request::builder()
                .method(Method::POST)
                .uri(polls_path())
                .header(header::HOST, "localhost")
                .header(header::CONTENT_TYPE, "application/json")
                .header(header::COOKIE, format!("hromada_session={staff}"))
                .header("idempotency-key", key)
                .body(Body::from(body.to_string()))
                .unwrap();
            app.send(req).await
        }
    };
    let first = send("poll-key-1").await;
    assert_eq!(first.status, StatusCode::CREATED, "{}", text(&first));
    let again = send("poll-key-1").await;
    assert_eq!(again.status, StatusCode::CREATED);
    let p = first.json();
    assert_eq!(again.json()["id"], p["id"]);
    assert_eq!(p["status"], "draft");
    assert_eq!(p["title"], "Новий сквер у центрі");
    assert_eq!(p["responses"], 0);
    assert_eq!(p["answered"], false);
    assert_eq!(p["results_visible"], true, "staff always see results");
    let id = id_of(&p);
    let path = format!("/api/v1/polls/{id}");

    // Nobody but staff sees it.
    for s in [
        None,
        Some(&w.resident),
        Some(&w.verified),
        Some(&w.other_staff),
    ] {
        app.get(&path, s.map(|s| s.as_str()))
            .await
            .assert_problem(404);
    }
    assert_eq!(app.get(&path, Some(&w.staff)).await.status, StatusCode::OK);
    list(app, "draft", Some(&w.resident))
        .await
        .assert_problem(403);
    list(app, "draft", None).await.assert_problem(401);
    list(app, "bogus", None).await.assert_problem(400);
    let drafts = list(app, "draft", Some(&w.staff)).await;
    assert_eq!(drafts.status, StatusCode::OK);
    assert_eq!(ids_of(&drafts.json()), vec![id.clone()]);
    assert!(ids_of(&list(app, "active", None).await.json()).is_empty());
    respond(app, &w.verified, &id, json!([choice(0, &[0])]))
        .await
        .assert_problem(404);

    // Published: public, open, and publishing again changes nothing.
    let p = publish(app, &w.staff, &id).await;
    assert_eq!(p["status"], "open");
    assert_eq!(publish(app, &w.staff, &id).await, p);
    app.call(
        Method::POST,
        &format!("/api/v1/polls/{id}/publish"),
        None,
        Some(&w.verified),
    )
    .await
    .assert_problem(403);
    let seen = app.get(&path, None).await.json();
    assert_eq!(seen["status"], "open");
    assert_eq!(seen["results_visible"], true);
    assert_eq!(
        ids_of(&list(app, "active", None).await.json()),
        vec![id.clone()]
    );
    assert!(ids_of(&list(app, "draft", Some(&w.staff)).await.json()).is_empty());
    // Published polls are not deleted; drafts are.
    app.call(Method::DELETE, &path, None, Some(&w.staff))
        .await
        .assert_problem(409);
    let other = id_of(&create(app, &w.staff, simple("Чернетка на видалення")).await);
    app.call(
        Method::DELETE,
        &format!("/api/v1/polls/{other}"),
        None,
        Some(&w.verified),
    )
    .await
    .assert_problem(404);
    let r = app
        .call(
            Method::DELETE,
            &format!("/api/v1/polls/{other}"),
            None,
            Some(&w.staff),
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    app.get(&format!("/api/v1/polls/{other}"), Some(&w.staff))
        .await
        .assert_problem(404);
    // A draft whose closing time passed is not published.
    let mut late = simple("Запізніла чернетка");
    late["opens_at"] = json!(at(-3 * DAY));
    late["closes_at"] = json!(at(-DAY));
    let late = id_of(&create(app, &w.staff, late).await);
    app.call(
        Method::POST,
        &format!("/api/v1/polls/{late}/publish"),
        None,
        Some(&w.staff),
    )
    .await
    .assert_problem(409);
}

#[tokio::test]
async fn lists_page_soonest_closing_first_and_latest_closed_first() {
    let w = world().await;
    let app = &w.app;
    let mut active = Vec::new();
    for i in 0..5 {
        let mut b = simple(&format!("Активне опитування {i}"));
        b["closes_at"] = json!(at((10 - i) * DAY));
        active.push(published(app, &w.staff, b).await);
    }
    let mut scheduled = simple("Заплановане опитування");
    scheduled["opens_at"] = json!(at(DAY));
    scheduled["closes_at"] = json!(at(20 * DAY));
    let scheduled = published(app, &w.staff, scheduled).await;
    // Two closed ones: published open, closed early by staff.
    let mut closed = Vec::new();
    for i in 0..2 {
        let b = simple(&format!("Завершене опитування {i}"));
        let id = published(app, &w.staff, b.clone()).await;
        let mut b = b;
        b["closes_at"] = json!(at(-(i + 1) * 3_600_000));
        let r = put(app, &w.staff, &id, b).await;
        assert_eq!(r.status, StatusCode::OK, "{}", text(&r));
        assert_eq!(r.json()["status"], "closed");
        closed.push(id);
    }
    let mut want: Vec<String> = active.iter().rev().cloned().collect();
    want.push(scheduled.clone());
    let mut got = Vec::new();
    let mut cursor = String::new();
    loop {
        let page = app
            .get(
                &format!("{}?state=active&limit=2{cursor}", polls_path()),
                None,
            )
            .await
            .json();
        got.extend(ids_of(&page));
        match page["next_cursor"].as_str() {
            Some(c) => cursor = format!("&cursor={c}"),
            None => break,
        }
    }
    assert_eq!(got, want);
    let page = app
        .get(&format!("{}?state=active", polls_path()), None)
        .await
        .json();
    assert_eq!(page["items"][5]["status"], "scheduled");
    assert_eq!(ids_of(&list(app, "past", None).await.json()), closed);
    app.get(&format!("{}?cursor=nonsense", polls_path()), None)
        .await
        .assert_problem(400);
}

#[tokio::test]
async fn edits_lock_after_the_first_answer_except_the_closing_time() {
    let w = world().await;
    let app = &w.app;
    let body = simple("Опитування для редагування");
    let id = published(app, &w.staff, body.clone()).await;
    // Before any answer anything may change.
    let mut changed = body.clone();
    changed["title"] = json!("Опитування після правки");
    changed["questions"] = json!([single("Де облаштувати сквер?", &["Центр", "Острів"])]);
    let r = put(app, &w.staff, &id, changed.clone()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", text(&r));
    assert_eq!(r.json()["title"], "Опитування після правки");
    put(app, &w.verified, &id, changed.clone())
        .await
        .assert_problem(403);
    put(app, &w.other_staff, &id, changed.clone())
        .await
        .assert_problem(403);
    // The first answer locks it.
    assert_eq!(
        respond(app, &w.verified, &id, json!([choice(0, &[1])]))
            .await
            .status,
        StatusCode::CREATED
    );
    for (field, value) in [
        ("title", json!("Опитування після другої правки")),
        ("intro", json!("Нове пояснення")),
        ("questions", json!([single("Інше питання", &["Так", "Ні"])])),
        ("audience", json!("verified")),
        ("results_shown", json!("after_close")),
        ("kind", json!("survey")),
        ("opens_at", json!(at(-2 * DAY))),
    ] {
        let mut b = changed.clone();
        b[field] = value;
        let p = put(app, &w.staff, &id, b).await.assert_problem(409);
        assert!(
            p["detail"]
                .as_str()
                .unwrap()
                .contains("only its closing time"),
            "{field}: {p}"
        );
    }
    // The closing time may move, but not before the opening.
    let mut later = changed.clone();
    later["closes_at"] = json!(at(20 * DAY));
    let r = put(app, &w.staff, &id, later.clone()).await;
    assert_eq!(r.status, StatusCode::OK, "{}", text(&r));
    assert_eq!(r.json()["closes_at"], later["closes_at"]);
    assert_eq!(r.json()["responses"], 1);
    let mut before = changed.clone();
    before["closes_at"] = json!(at(-3 * DAY));
    assert_eq!(
        put(app, &w.staff, &id, before).await.field_errors(),
        [("closes_at".to_owned(), "before_start".to_owned())]
    );
    // Closing early; a closed poll with answers no longer changes.
    let mut now = changed.clone();
    now["closes_at"] = json!(at(-1000));
    let r = put(app, &w.staff, &id, now.clone()).await;
    assert_eq!(r.json()["status"], "closed");
    now["closes_at"] = json!(at(5 * DAY));
    put(app, &w.staff, &id, now).await.assert_problem(409);
}

#[tokio::test]
async fn answering_is_refused_for_every_reason_with_a_clear_answer() {
    let w = world().await;
    let app = &w.app;
    let questions = json!([
        single("Де облаштувати сквер?", &["Центр", "Таврійський", "Острів"]),
        {"title": "Що має бути в сквері?", "required": false, "kind": "multiple",
         "options": ["Лавки", "Освітлення", "Майданчик", "Wi-Fi"], "max": 2},
        {"title": "Оцінка благоустрою", "required": true, "kind": "scale"},
        {"title": "Ваша пропозиція", "required": false, "kind": "text"},
    ]);
    let id = published(
        app,
        &w.staff,
        draft(
            "Опитування про сквер",
            questions.clone(),
            "verified",
            "always",
        ),
    )
    .await;
    let good = json!([
        choice(0, &[1]),
        choice(1, &[0, 3]),
        scale(2, 4),
        free(3, "Фонтан")
    ]);
    // Guests sign in first; who may not answer is told why.
    app.call(
        Method::POST,
        &format!("/api/v1/polls/{id}/responses"),
        Some(json!({"answers": good})),
        None,
    )
    .await
    .assert_problem(401);
    let p = respond(app, &w.resident, &id, good.clone())
        .await
        .assert_problem(403);
    assert!(p["detail"].as_str().unwrap().contains("verify"), "{p}");
    let p = respond(app, &w.outsider, &id, good.clone())
        .await
        .assert_problem(403);
    assert!(
        p["detail"].as_str().unwrap().contains("another hromada"),
        "{p}"
    );
    // Bad answers name their question.
    let r = respond(app, &w.verified, &id, json!([choice(0, &[7]), scale(2, 3)])).await;
    r.assert_problem(422);
    assert_eq!(
        r.field_errors(),
        [("answers[0]".to_owned(), "invalid".to_owned())]
    );
    let r = respond(
        app,
        &w.verified,
        &id,
        json!([choice(0, &[0]), choice(1, &[0, 1, 2]), scale(2, 3)]),
    )
    .await;
    assert_eq!(
        r.field_errors(),
        [("answers[1]".to_owned(), "too_many".to_owned())]
    );
    let r = respond(app, &w.verified, &id, json!([choice(0, &[]), scale(2, 3)])).await;
    assert_eq!(
        r.field_errors(),
        [("answers[0]".to_owned(), "required".to_owned())]
    );
    let r = respond(app, &w.verified, &id, json!([choice(0, &[0])])).await;
    assert_eq!(
        r.field_errors(),
        [("answers[2]".to_owned(), "required".to_owned())]
    );
    let r = respond(app, &w.verified, &id, json!([choice(0, &[0]), scale(2, 6)])).await;
    assert_eq!(
        r.field_errors(),
        [("answers[2]".to_owned(), "invalid".to_owned())]
    );
    let r = app
        .call(
            Method::POST,
            &format!("/api/v1/polls/{id}/responses"),
            Some(json!({"answers": [{"question": 0, "kind": "choice", "options": [-1]}]})),
            Some(&w.verified),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", text(&r));
    // Answered, once.
    let r = respond(app, &w.verified, &id, good.clone()).await;
    assert_eq!(r.status, StatusCode::CREATED, "{}", text(&r));
    let p = r.json();
    assert_eq!(p["answered"], true);
    assert_eq!(p["responses"], 1);
    let p = respond(app, &w.verified, &id, good.clone())
        .await
        .assert_problem(409);
    assert!(
        p["detail"].as_str().unwrap().contains("already answered"),
        "{p}"
    );
    assert_eq!(
        app.get(&format!("/api/v1/polls/{id}"), Some(&w.verified))
            .await
            .json()["answered"],
        true
    );

    // Not open: scheduled, then closed.
    let mut later = simple("Опитування наступного тижня");
    later["opens_at"] = json!(at(7 * DAY));
    later["closes_at"] = json!(at(14 * DAY));
    let later = published(app, &w.staff, later).await;
    let p = respond(app, &w.verified, &later, json!([choice(0, &[0])]))
        .await
        .assert_problem(409);
    assert!(p["detail"].as_str().unwrap().contains("not open"), "{p}");
    let body = simple("Опитування, що закінчилося");
    let closed = published(app, &w.staff, body.clone()).await;
    let mut b = body;
    b["closes_at"] = json!(at(-1000));
    assert_eq!(put(app, &w.staff, &closed, b).await.status, StatusCode::OK);
    let p = respond(app, &w.resident, &closed, json!([choice(0, &[0])]))
        .await
        .assert_problem(409);
    assert!(p["detail"].as_str().unwrap().contains("not open"), "{p}");
    // An open poll for anyone signed in takes residents of other hromadas too.
    let open = published(app, &w.staff, simple("Опитування для всіх")).await;
    for s in [&w.resident, &w.outsider] {
        assert_eq!(
            respond(app, s, &open, json!([choice(0, &[2])]))
                .await
                .status,
            StatusCode::CREATED
        );
    }
}

async fn response_rows(app: &TestApp, id: &str) -> (i64, i64) {
    let rows: i64 = sqlx::query("SELECT COUNT(*) AS n FROM poll_responses WHERE poll_id = $1")
        .bind(id.to_owned())
        .fetch_one(app.db.pool())
        .await
        .unwrap()
        .get("n");
    let count: i64 = sqlx::query("SELECT responses FROM polls WHERE id = $1")
        .bind(id.to_owned())
        .fetch_one(app.db.pool())
        .await
        .unwrap()
        .get("responses");
    (rows, count)
}

/// 100 concurrent answers from one person leave exactly one response; the others are
/// 409, none a 500.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_hundred_concurrent_answers_from_one_person_leave_one() {
    let w = world().await;
    let app = &w.app;
    let id = published(app, &w.staff, simple("Опитування під навантаженням")).await;
    let mut tasks = Vec::new();
    for i in 0..100u32 {
        let router = app.router.clone();
        let body = json!({"answers": [choice(0, &[i % 3])]});
        let req = Request::builder()
            .method(Method::POST)
            .uri(format!("/api/v1/polls/{id}/responses"))
            .header(header::HOST, "localhost")
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::COOKIE, format!("hromada_session={}", w.verified))
            .body(Body::from(body.to_string()))
            .unwrap();
        tasks.push(tokio::spawn(async move {
            let res = router.oneshot(req).await.unwrap();
            let status = res.status();
            let body = res.into_body().collect().await.unwrap().to_bytes();
            (status, body)
        }));
    }
    let (mut created, mut conflicts) = (0, 0);
    for t in tasks {
        let (status, body) = t.await.unwrap();
        match status {
            StatusCode::CREATED => created += 1,
            StatusCode::CONFLICT => {
                conflicts += 1;
                assert!(String::from_utf8_lossy(&body).contains("already answered"));
            }
            other => panic!("{other}: {}", String::from_utf8_lossy(&body)),
        }
    }
    assert_eq!((created, conflicts), (1, 99));
    assert_eq!(response_rows(app, &id).await, (1, 1));
    let choices: i64 =
        sqlx::query("SELECT COUNT(*) AS n FROM poll_answer_choices WHERE poll_id = $1")
            .bind(id.clone())
            .fetch_one(app.db.pool())
            .await
            .unwrap()
            .get("n");
    assert_eq!(choices, 1);
    // The database itself refuses a second response of one person.
    let user: String = sqlx::query("SELECT user_id FROM poll_responses WHERE poll_id = $1")
        .bind(id.clone())
        .fetch_one(app.db.pool())
        .await
        .unwrap()
        .get("user_id");
    let r = sqlx::query(
        "INSERT INTO poll_responses (id, poll_id, user_id, answered_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(hromada_server::domain::ids::new_id())
    .bind(id.clone())
    .bind(user)
    .bind(clock::now_rfc3339())
    .execute(app.db.pool())
    .await;
    assert!(r.is_err());
}

#[tokio::test]
async fn results_show_as_the_poll_says() {
    let w = world().await;
    let app = &w.app;
    let q = json!([
        single("Питання", &["Так", "Ні"]),
        {"title": "Коментар", "required": false, "kind": "text"},
    ]);
    let always = published(
        app,
        &w.staff,
        draft("Результати одразу", q.clone(), "signed_in", "always"),
    )
    .await;
    let after_answer = published(
        app,
        &w.staff,
        draft(
            "Результати після відповіді",
            q.clone(),
            "signed_in",
            "after_answer",
        ),
    )
    .await;
    let close_body = draft(
        "Результати після завершення",
        q.clone(),
        "signed_in",
        "after_close",
    );
    let after_close = published(app, &w.staff, close_body.clone()).await;
    let results = |id: &str| format!("/api/v1/polls/{id}/results");
    let texts = |id: &str| format!("/api/v1/polls/{id}/questions/1/texts");
    // Always: anyone, guests too.
    for s in [None, Some(w.resident.as_str())] {
        assert_eq!(app.get(&results(&always), s).await.status, StatusCode::OK);
        assert_eq!(app.get(&texts(&always), s).await.status, StatusCode::OK);
    }
    // After answering: those who answered, and staff.
    app.get(&results(&after_answer), None)
        .await
        .assert_problem(403);
    app.get(&results(&after_answer), Some(&w.resident))
        .await
        .assert_problem(403);
    app.get(&texts(&after_answer), Some(&w.resident))
        .await
        .assert_problem(403);
    assert_eq!(
        app.get(&format!("/api/v1/polls/{after_answer}"), Some(&w.resident))
            .await
            .json()["results_visible"],
        false
    );
    assert_eq!(
        app.get(&results(&after_answer), Some(&w.staff))
            .await
            .status,
        StatusCode::OK
    );
    let r = respond(
        app,
        &w.resident,
        &after_answer,
        json!([choice(0, &[0]), free(1, "Добре")]),
    )
    .await;
    assert_eq!(r.json()["results_visible"], true);
    let r = app.get(&results(&after_answer), Some(&w.resident)).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.json()["responses"], 1);
    assert_eq!(
        app.get(&texts(&after_answer), Some(&w.resident))
            .await
            .json()["items"][0]["text"],
        "Добре"
    );
    app.get(&results(&after_answer), Some(&w.verified))
        .await
        .assert_problem(403);
    // After closing: not even those who answered, until it closes; then everyone.
    respond(app, &w.resident, &after_close, json!([choice(0, &[1])])).await;
    app.get(&results(&after_close), Some(&w.resident))
        .await
        .assert_problem(403);
    assert_eq!(
        app.get(&results(&after_close), Some(&w.staff)).await.status,
        StatusCode::OK
    );
    let mut b = close_body;
    b["closes_at"] = json!(at(-1000));
    assert_eq!(
        put(app, &w.staff, &after_close, b).await.status,
        StatusCode::OK
    );
    for s in [None, Some(w.verified.as_str()), Some(w.outsider.as_str())] {
        let r = app.get(&results(&after_close), s).await;
        assert_eq!(r.status, StatusCode::OK);
        assert_eq!(r.json()["questions"][0]["counts"], json!([0, 1]));
    }
    // A draft's results are nobody's but staff's.
    let d = id_of(&create(app, &w.staff, simple("Чернетка з результатами")).await);
    app.get(&results(&d), Some(&w.resident))
        .await
        .assert_problem(404);
    assert_eq!(
        app.get(&results(&d), Some(&w.staff)).await.status,
        StatusCode::OK
    );
}

/// Eight hand-counted responses to a survey of every kind of question.
#[tokio::test]
async fn aggregates_match_hand_counts() {
    let w = world().await;
    let app = &w.app;
    let questions = json!([
        single("Як часто ви звертаєтеся?", &["Часто", "Іноді", "Рідко"]),
        {"title": "Які послуги?", "required": false, "kind": "multiple",
         "options": ["Паспорт", "Субсидії", "Бізнес", "Земля"], "max": 2},
        {"title": "Оцінка", "required": true, "kind": "scale"},
        {"title": "Що змінити?", "required": false, "kind": "text"},
        {"title": "Оцінка без відповідей", "required": false, "kind": "scale"},
    ]);
    let mut body = draft("Опитування про ЦНАП", questions, "signed_in", "always");
    body["kind"] = json!("survey");
    let id = published(app, &w.staff, body).await;
    let crowd = people(app, 8, KHERSON, "agg").await;
    let singles = [0, 1, 1, 2, 1, 0, 1, 1];
    let multiples: [&[u32]; 8] = [&[0, 1], &[1], &[1, 3], &[2], &[0, 1], &[3], &[], &[]];
    let scales = [5, 4, 4, 3, 3, 3, 2, 1];
    for (i, (_, s)) in crowd.iter().enumerate() {
        let mut answers = vec![choice(0, &[singles[i]]), scale(2, scales[i])];
        if !multiples[i].is_empty() {
            answers.push(choice(1, multiples[i]));
        }
        if i % 3 == 0 {
            answers.push(free(3, &format!("Пропозиція {i}")));
        }
        let r = respond(app, s, &id, json!(answers)).await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", text(&r));
    }
    let r = app
        .get(&format!("/api/v1/polls/{id}/results"), None)
        .await
        .json();
    assert_eq!(
        r,
        json!({
            "responses": 8,
            "questions": [
                {"kind": "choice", "counts": [2, 5, 1], "answered": 8},
                {"kind": "choice", "counts": [2, 4, 1, 2], "answered": 6},
                // 25 / 8 = 3.125: 312.5 hundredths, rounded half up.
                {"kind": "scale", "counts": [1, 1, 3, 2, 1], "answered": 8, "average_x100": 313},
                {"kind": "text", "answered": 3},
                {"kind": "scale", "counts": [0, 0, 0, 0, 0], "answered": 0, "average_x100": null},
            ]
        })
    );
    // Two more averages: 2/3 → 66.67 → 67 per cent of the way; (1+1+2)/3 = 1.333… → 133.
    let id2 = published(
        app,
        &w.staff,
        draft(
            "Ще одна оцінка",
            json!([{"title": "Оцінка", "required": true, "kind": "scale"}]),
            "signed_in",
            "always",
        ),
    )
    .await;
    for (i, v) in [1, 1, 2].into_iter().enumerate() {
        respond(app, &crowd[i].1, &id2, json!([scale(0, v)])).await;
    }
    let r = app
        .get(&format!("/api/v1/polls/{id2}/results"), None)
        .await
        .json();
    assert_eq!(r["questions"][0]["average_x100"], 133);
    respond(app, &crowd[3].1, &id2, json!([scale(0, 5)])).await;
    // (1+1+2+5)/4 = 2.25.
    let r = app
        .get(&format!("/api/v1/polls/{id2}/results"), None)
        .await
        .json();
    assert_eq!(r["questions"][0]["average_x100"], 225);
    assert_eq!(r["questions"][0]["counts"], json!([2, 1, 0, 0, 1]));
}

#[tokio::test]
async fn texts_are_paged_newest_first() {
    let w = world().await;
    let app = &w.app;
    let q = json!([
        {"title": "Оцінка", "required": false, "kind": "scale"},
        {"title": "Ваша пропозиція", "required": true, "kind": "text"},
    ]);
    let id = published(
        app,
        &w.staff,
        draft("Пропозиції мешканців", q, "signed_in", "always"),
    )
    .await;
    let crowd = people(app, 25, KHERSON, "txt").await;
    for (i, (_, s)) in crowd.iter().enumerate() {
        let r = respond(
            app,
            s,
            &id,
            json!([free(1, &format!("  Пропозиція номер {i}  "))]),
        )
        .await;
        assert_eq!(r.status, StatusCode::CREATED, "{}", text(&r));
    }
    let path = format!("/api/v1/polls/{id}/questions/1/texts");
    let first = app.get(&path, None).await.json();
    let items = first["items"].as_array().unwrap();
    assert_eq!(items.len(), 20);
    assert_eq!(
        items[0]["text"], "Пропозиція номер 24",
        "trimmed, newest first"
    );
    let c = first["next_cursor"].as_str().unwrap();
    let second = app.get(&format!("{path}?cursor={c}"), None).await.json();
    assert_eq!(second["items"].as_array().unwrap().len(), 5);
    assert!(second["next_cursor"].is_null());
    let all: Vec<&Value> = items
        .iter()
        .chain(second["items"].as_array().unwrap())
        .collect();
    let mut texts: Vec<String> = all
        .iter()
        .map(|v| v["text"].as_str().unwrap().to_owned())
        .collect();
    let times: Vec<&str> = all.iter().map(|v| v["at"].as_str().unwrap()).collect();
    assert!(times.windows(2).all(|w| w[0] >= w[1]));
    texts.sort();
    texts.dedup();
    assert_eq!(texts.len(), 25);
    // Only text questions have texts.
    for q in ["0", "2", "x", "-1"] {
        app.get(&format!("/api/v1/polls/{id}/questions/{q}/texts"), None)
            .await
            .assert_problem(404);
    }
    app.get(&format!("{path}?cursor=bad"), None)
        .await
        .assert_problem(400);
}

#[tokio::test]
async fn results_csv_is_for_staff_quoted_and_defused() {
    let w = world().await;
    let app = &w.app;
    let q = json!([
        single("=SUM(A1)", &["Лавки, урни", "+380", "Сквер «Надія» \"2\""]),
        {"title": "Оцінка", "required": true, "kind": "scale"},
        {"title": "Коментар", "required": false, "kind": "text"},
    ]);
    let id = published(
        app,
        &w.staff,
        draft("Експорт результатів", q, "signed_in", "after_close"),
    )
    .await;
    let crowd = people(app, 3, KHERSON, "csv").await;
    for (i, (_, s)) in crowd.iter().enumerate() {
        let mut a = vec![choice(0, &[(i as u32).min(1)]), scale(1, [5, 4, 2][i])];
        if i == 0 {
            a.push(free(2, "-так"));
        }
        respond(app, s, &id, json!(a)).await;
    }
    let path = format!("/api/v1/polls/{id}/results.csv");
    app.get(&path, None).await.assert_problem(401);
    app.get(&path, Some(&w.resident)).await.assert_problem(403);
    app.get(&path, Some(&crowd[0].1)).await.assert_problem(403);
    app.get(&path, Some(&w.other_staff))
        .await
        .assert_problem(403);
    let r = app.get(&path, Some(&w.staff)).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.content_type(), "text/csv; charset=utf-8");
    assert_eq!(
        r.headers[header::CONTENT_DISPOSITION],
        "attachment; filename=\"poll-results.csv\""
    );
    let body = String::from_utf8(r.body.clone()).unwrap();
    assert_eq!(
        body,
        "\u{feff}question,option,count,share_percent\r\n\
         '=SUM(A1),\"Лавки, урни\",1,33.3\r\n\
         '=SUM(A1),'+380,2,66.7\r\n\
         '=SUM(A1),\"Сквер «Надія» \"\"2\"\"\",0,0.0\r\n\
         Оцінка,1,0,0.0\r\nОцінка,2,1,33.3\r\nОцінка,3,0,0.0\r\nОцінка,4,1,33.3\r\n\
         Оцінка,5,1,33.3\r\nОцінка,average,3.67,\r\n\
         Коментар,text answers,1,\r\n"
    );
    // An administrator may too.
    let (admin_id, admin) = app.register("admin@k.example", BERYSLAV).await;
    app.db.set_admin(&admin_id, true).await.unwrap();
    assert_eq!(app.get(&path, Some(&admin)).await.status, StatusCode::OK);
}

#[tokio::test]
async fn the_demo_has_open_closed_and_draft_polls() {
    let app = demo_app().await;
    let active = app
        .get(&format!("{}?state=active", polls_path()), None)
        .await
        .json();
    let active = active["items"].as_array().unwrap().clone();
    assert_eq!(active.len(), 2);
    assert!(active.iter().all(|p| p["status"] == "open"));
    let past = app
        .get(&format!("{}?state=past", polls_path()), None)
        .await
        .json();
    let past = past["items"].as_array().unwrap().clone();
    assert_eq!(past.len(), 1);
    let closed = &past[0];
    assert!(closed["responses"].as_u64().unwrap() >= 500, "{closed}");
    assert_eq!(closed["results_visible"], true);
    assert_eq!(closed["questions"][0]["kind"], "multiple");
    let r = app
        .get(&format!("/api/v1/polls/{}/results", id_of(closed)), None)
        .await
        .json();
    let q = &r["questions"][0];
    assert_eq!(q["answered"], closed["responses"]);
    let chosen: u64 = q["counts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_u64().unwrap())
        .sum();
    let answered = q["answered"].as_u64().unwrap();
    assert!(chosen > answered && chosen <= 2 * answered, "{q}");
    // The open poll shows results after answering; the survey has every kind of question.
    let poll = active.iter().find(|p| p["kind"] == "poll").unwrap();
    assert_eq!(poll["results_shown"], "after_answer");
    assert!(poll["responses"].as_u64().unwrap() > 0);
    let survey = active.iter().find(|p| p["kind"] == "survey").unwrap();
    let kinds: Vec<&str> = survey["questions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["single", "multiple", "scale", "text"]);
    let staff = app.demo_session("staff@demo.example").await;
    let texts = app
        .get(
            &format!("/api/v1/polls/{}/questions/3/texts", id_of(survey)),
            Some(&staff),
        )
        .await
        .json();
    assert!(!texts["items"].as_array().unwrap().is_empty());
    // The demo residents can still answer.
    for email in ["resident@demo.example", "verified@demo.example"] {
        let s = app.demo_session(email).await;
        for p in &active {
            let seen = app
                .get(&format!("/api/v1/polls/{}", id_of(p)), Some(&s))
                .await
                .json();
            assert_eq!(seen["answered"], false, "{email}");
        }
        list(&app, "draft", Some(&s)).await.assert_problem(403);
    }
    let drafts = list(&app, "draft", Some(&staff)).await.json();
    assert_eq!(drafts["items"].as_array().unwrap().len(), 1);
    assert_eq!(drafts["items"][0]["status"], "draft");
    // Loading again adds nothing.
    hromada_server::demo_polls::load(&app.db).await.unwrap();
    assert_eq!(app.db.poll_count(KHERSON).await.unwrap(), 4);
}
