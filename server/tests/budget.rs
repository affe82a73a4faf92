//! The participatory budget: cycles and their phases, projects (checks, images, who sees
//! what), review, cost, the author's changes, ballots under both rules (also under
//! concurrent load), results with the funded line, the CSV export, implementation and
//! the demo content (issue 6).

mod common;

use std::collections::{BTreeMap, BTreeSet};

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use common::*;
use hromada_api::budget::funding::{Entry, allocate};
use hromada_api::time::format_date;
use hromada_api::workdays::kyiv_day;
use hromada_server::domain::{clock, ids};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use sqlx::Row;
use tower::ServiceExt;

/// Phase offsets (days from today, Kyiv) of the five dates: the cycle is in the phase
/// named.
const UPCOMING: [i64; 5] = [1, 10, 20, 30, 40];
const SUBMISSION: [i64; 5] = [0, 10, 20, 30, 40];
const REVIEW: [i64; 5] = [-10, 0, 10, 20, 30];
const VOTING: [i64; 5] = [-20, -10, 0, 10, 20];
const RESULTS: [i64; 5] = [-30, -20, -10, 0, 10];
const IMPLEMENTATION: [i64; 5] = [-40, -30, -20, -10, 0];

struct World {
    app: TestApp,
    staff: String,
    other_staff: String,
    /// A verified resident of Kherson: writes projects.
    author: String,
    /// A verified resident of Kherson: votes.
    voter: String,
    /// A resident of Kherson who is not verified.
    unverified: String,
    /// A verified resident of Beryslav.
    outsider: String,
}

async fn world() -> World {
    let app = app().await;
    let c = cast(&app, "voter").await;
    World {
        app,
        staff: c.staff,
        other_staff: c.other_staff,
        author: c.author,
        voter: c.second,
        unverified: c.unverified,
        outsider: c.outsider,
    }
}

fn dates(offsets: [i64; 5]) -> Value {
    let today = kyiv_day(clock::now_millis());
    let d = |i: usize| format_date(today + offsets[i]);
    json!({
        "submission": d(0), "review": d(1), "voting": d(2), "results": d(3),
        "implementation": d(4),
    })
}

fn choose(max: u32, one_per_category: bool) -> Value {
    json!({"kind": "choose", "max": max, "one_per_category": one_per_category})
}

fn fit_budget() -> Value {
    json!({"kind": "fit_budget"})
}

fn cycle_body(year: i32, total: i64, rule: Value, offsets: [i64; 5]) -> Value {
    json!({
        "year": year,
        "title": format!("Громадський бюджет {year}"),
        "total": total,
        "dates": dates(offsets),
        "rule": rule,
    })
}

fn cycles_path() -> String {
    format!("/api/v1/hromadas/{KHERSON}/budget-cycles")
}

async fn create_cycle(app: &TestApp, staff: &str, body: Value) -> Value {
    let r = app
        .call(Method::POST, &cycles_path(), Some(body), Some(staff))
        .await;
    r.expect(StatusCode::CREATED)
}

/// Posts `body` twice with one `Idempotency-Key`: both answers are 201 with the one thing
/// created.
async fn post_twice(app: &TestApp, path: &str, session: &str, body: &Value, key: &str) {
    let send = || {
        let body = Body::from(body.to_string());
        send_body(
            app,
            path,
            session,
            "application/json",
            body,
            None,
            Some(key),
        )
    };
    let a = send().await;
    let b = send().await;
    assert_eq!(a.status, StatusCode::CREATED);
    assert_eq!(id_of(&a.json()), id_of(&b.json()));
}

/// Moves a cycle to other dates (its total and rule as they are).
async fn set_dates(app: &TestApp, staff: &str, cycle: &Value, offsets: [i64; 5]) -> Value {
    let body = json!({
        "year": cycle["year"], "title": cycle["title"], "total": cycle["total"],
        "dates": dates(offsets), "rule": cycle["rule"],
    });
    let r = app
        .call(
            Method::PUT,
            &format!("/api/v1/budget-cycles/{}", id_of(cycle)),
            Some(body),
            Some(staff),
        )
        .await;
    r.expect(StatusCode::OK)
}

fn project_body(title: &str, category: &str, lines: &[(&str, i64)]) -> Value {
    let total: i64 = lines.iter().map(|(_, a)| a).sum();
    json!({
        "title": title,
        "description": "Облаштувати простір для мешканців мікрорайону: лавки, освітлення та доріжки.",
        "category": category,
        "address": "вул. Соборна, 12, м. Херсон",
        "cost_lines": lines.iter().map(|(i, a)| json!({"item": i, "amount": a})).collect::<Vec<_>>(),
        "total": total,
    })
}

/// A cycle of 2026 (3 000 000, three projects to choose) at these dates: (cycle, id).
async fn new_cycle(w: &World, offsets: [i64; 5]) -> (Value, String) {
    let body = cycle_body(2026, 3_000_000, choose(3, false), offsets);
    let c = create_cycle(&w.app, &w.staff, body).await;
    let id = id_of(&c);
    (c, id)
}

/// A project of the author with one cost line, waiting for review in a [`new_cycle`] in
/// submission: (cycle, cycle id, project id).
async fn new_project(
    w: &World,
    title: &str,
    category: &str,
    line: (&str, i64),
) -> (Value, String, String) {
    let (c, cycle) = new_cycle(w, SUBMISSION).await;
    let body = project_body(title, category, &[line]);
    let p = submit(&w.app, &cycle, &w.author, body).await;
    (c, cycle, id_of(&p))
}

fn projects_path(cycle: &str) -> String {
    format!("/api/v1/budget-cycles/{cycle}/projects")
}

async fn submit(app: &TestApp, cycle: &str, session: &str, body: Value) -> Value {
    let r = app
        .call(
            Method::POST,
            &projects_path(cycle),
            Some(body),
            Some(session),
        )
        .await;
    r.expect(StatusCode::CREATED)
}

async fn review(app: &TestApp, project: &str, session: &str, body: Value) -> Resp {
    app.call(
        Method::POST,
        &format!("/api/v1/budget-projects/{project}/review"),
        Some(body),
        Some(session),
    )
    .await
}

/// Submits and accepts projects `(title, category, cost)`, each by a new verified
/// resident; returns their ids in order.
async fn accepted(
    app: &TestApp,
    staff: &str,
    cycle: &str,
    specs: &[(&str, &str, i64)],
) -> Vec<String> {
    let authors = people(app, specs.len(), KHERSON, &ids::new_id()[..8]).await;
    let mut out = Vec::new();
    for ((title, category, cost), (_, session)) in specs.iter().zip(&authors) {
        let p = submit(
            app,
            cycle,
            session,
            project_body(title, category, &[("Роботи і матеріали", *cost)]),
        )
        .await;
        let id = id_of(&p);
        let r = review(app, &id, staff, json!({"decision": "accept"})).await;
        r.assert_status(StatusCode::OK);
        out.push(id);
    }
    out
}

/// A project accepted in another cycle (of 2026, in submission): (cycle id, project id).
async fn accepted_elsewhere(w: &World, title: &str) -> (String, String) {
    let body = cycle_body(2026, 1_000_000, choose(2, false), SUBMISSION);
    let other = id_of(&create_cycle(&w.app, &w.staff, body).await);
    let ids = accepted(&w.app, &w.staff, &other, &[(title, "sport", 100_000)]).await;
    (other, ids[0].clone())
}

fn ballot_path(cycle: &str) -> String {
    format!("/api/v1/budget-cycles/{cycle}/ballot")
}

async fn vote(app: &TestApp, cycle: &str, session: Option<&str>, ids: &[&str]) -> Resp {
    app.call(
        Method::PUT,
        &ballot_path(cycle),
        Some(json!({ "project_ids": ids })),
        session,
    )
    .await
}

async fn notifications(app: &TestApp, session: &str) -> Vec<Value> {
    app.get("/api/v1/me/notifications", Some(session))
        .await
        .json()["items"]
        .as_array()
        .unwrap()
        .clone()
}

#[tokio::test]
async fn cycles_are_created_checked_and_listed() {
    let w = world().await;
    let app = &w.app;
    let c = create_cycle(
        app,
        &w.staff,
        cycle_body(2025, 2_500_000, fit_budget(), IMPLEMENTATION),
    )
    .await;
    assert_eq!(c["katottg"], KHERSON);
    assert_eq!(c["phase"], "implementation");
    assert_eq!(c["voters"], 0);
    assert_eq!(c["projects"], 0);
    assert_eq!(c["rule"], fit_budget());
    let body = cycle_body(2026, 3_000_000, choose(3, false), SUBMISSION);
    let r = app
        .call(
            Method::POST,
            &cycles_path(),
            Some(body.clone()),
            Some(&w.staff),
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED);
    let newer = r.json();
    assert_eq!(newer["phase"], "submission");
    assert!(
        newer["voters"].is_null(),
        "voters are secret until voting closes"
    );
    // Newest year first.
    let list = app.get(&cycles_path(), None).await.json();
    let years: Vec<i64> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["year"].as_i64().unwrap())
        .collect();
    assert_eq!(years, [2026, 2025]);
    let got = app
        .get(&format!("/api/v1/budget-cycles/{}", id_of(&newer)), None)
        .await;
    assert_eq!(got.json(), newer);
    // Who may create.
    app.call(
        Method::POST,
        &cycles_path(),
        Some(body.clone()),
        Some(&w.author),
    )
    .await
    .assert_problem(403);
    app.call(
        Method::POST,
        &cycles_path(),
        Some(body.clone()),
        Some(&w.other_staff),
    )
    .await
    .assert_problem(403);
    app.call(Method::POST, &cycles_path(), Some(body.clone()), None)
        .await
        .assert_problem(401);
    // Dates out of order, a zero total, a bad rule: 422 naming each field.
    let mut bad = body.clone();
    bad["dates"]["voting"] = bad["dates"]["submission"].clone();
    bad["dates"]["implementation"] = json!("2026-02-30");
    bad["total"] = json!(0);
    bad["rule"] = choose(0, false);
    let r = app
        .call(Method::POST, &cycles_path(), Some(bad), Some(&w.staff))
        .await;
    r.assert_problem(422);
    let errors = r.field_errors();
    for e in [
        ("total", "invalid"),
        ("dates.voting", "before_start"),
        ("dates.implementation", "invalid"),
        ("rule.max", "invalid"),
    ] {
        assert!(
            errors.contains(&(e.0.to_owned(), e.1.to_owned())),
            "{e:?} in {errors:?}"
        );
    }
    let mut negative = body.clone();
    negative["total"] = json!(-1);
    let r = app
        .call(Method::POST, &cycles_path(), Some(negative), Some(&w.staff))
        .await;
    r.assert_invalid(&[("total", "invalid")]);
    // A retry with the same key creates nothing new.
    post_twice(app, &cycles_path(), &w.staff, &body, "cycle-1").await;
    assert_eq!(
        app.get(&cycles_path(), None)
            .await
            .json()
            .as_array()
            .unwrap()
            .len(),
        3
    );
    // Unknown hromadas and cycles.
    app.get("/api/v1/hromadas/UA00000000000000000/budget-cycles", None)
        .await
        .assert_problem(404);
    app.get("/api/v1/budget-cycles/nope", None)
        .await
        .assert_problem(404);
    app.get(&format!("/api/v1/budget-cycles/{}", ids::new_id()), None)
        .await
        .assert_problem(404);
}

#[tokio::test]
async fn the_phase_follows_the_dates_and_freezes_the_rule() {
    let w = world().await;
    let app = &w.app;
    let c = create_cycle(
        app,
        &w.staff,
        cycle_body(2026, 1_000_000, choose(3, false), UPCOMING),
    )
    .await;
    assert_eq!(c["phase"], "upcoming");
    for (offsets, phase) in [
        (SUBMISSION, "submission"),
        (REVIEW, "review"),
        (VOTING, "voting"),
        (RESULTS, "results"),
        (IMPLEMENTATION, "implementation"),
    ] {
        let c2 = set_dates(app, &w.staff, &c, offsets).await;
        assert_eq!(c2["phase"], phase);
        assert_eq!(
            c2["voters"].is_null(),
            !matches!(phase, "results" | "implementation")
        );
    }
    // In review the total and the rule may change.
    set_dates(app, &w.staff, &c, REVIEW).await;
    let path = format!("/api/v1/budget-cycles/{}", id_of(&c));
    let changed = cycle_body(2026, 1_200_000, fit_budget(), REVIEW);
    let r = app
        .call(Method::PUT, &path, Some(changed), Some(&w.staff))
        .await;
    r.assert_status(StatusCode::OK);
    assert_eq!(r.json()["total"], 1_200_000);
    // From voting on, they may not (409); the dates still may.
    let c = set_dates(app, &w.staff, &r.json(), VOTING).await;
    for body in [
        cycle_body(2026, 1_300_000, fit_budget(), VOTING),
        cycle_body(2026, 1_200_000, choose(2, false), VOTING),
    ] {
        app.call(Method::PUT, &path, Some(body), Some(&w.staff))
            .await
            .assert_problem(409);
    }
    assert_eq!(
        set_dates(app, &w.staff, &c, RESULTS).await["phase"],
        "results"
    );
    // Only the hromada's staff.
    app.call(
        Method::PUT,
        &path,
        Some(cycle_body(2026, 1_200_000, fit_budget(), RESULTS)),
        Some(&w.other_staff),
    )
    .await
    .assert_problem(403);
}

#[tokio::test]
async fn projects_are_submitted_only_in_submission_and_checked() {
    let w = world().await;
    let app = &w.app;
    let (c, cycle) = new_cycle(&w, REVIEW).await;
    let good = project_body(
        "Сквер біля школи № 3",
        "environment",
        &[("Лавки", 60_000), ("Освітлення", 140_000)],
    );
    app.call(
        Method::POST,
        &projects_path(&cycle),
        Some(good.clone()),
        Some(&w.author),
    )
    .await
    .assert_problem(409);
    set_dates(app, &w.staff, &c, SUBMISSION).await;
    let p = submit(app, &cycle, &w.author, good.clone()).await;
    assert_eq!(p["status"], "submitted");
    assert_eq!(p["cost"], 200_000);
    assert_eq!(p["mine"], true);
    assert_eq!(p["cycle_id"], cycle);
    assert_eq!(p["author_name"], "Олена Петренко");
    assert_eq!(
        p["cost_lines"][1],
        json!({"item": "Освітлення", "amount": 140_000})
    );
    assert!(p["original_cost"].is_null() && p["votes"].is_null() && p["rank"].is_null());
    assert!(p["images"].as_array().unwrap().is_empty());
    // Residents of another hromada may not; guests must sign in.
    app.call(
        Method::POST,
        &projects_path(&cycle),
        Some(good.clone()),
        Some(&w.outsider),
    )
    .await
    .assert_problem(403);
    app.call(
        Method::POST,
        &projects_path(&cycle),
        Some(good.clone()),
        None,
    )
    .await
    .assert_problem(401);
    // Field errors: lines that do not add up, a negative amount, an unknown category.
    let check = |change: &dyn Fn(&mut Value), expected: &[(&str, &str)]| {
        let mut body = good.clone();
        change(&mut body);
        let author = w.author.clone();
        let cycle = cycle.clone();
        let expected: Vec<(String, String)> = expected
            .iter()
            .map(|(f, c)| ((*f).to_owned(), (*c).to_owned()))
            .collect();
        async move {
            let r = app
                .call(
                    Method::POST,
                    &projects_path(&cycle),
                    Some(body),
                    Some(&author),
                )
                .await;
            r.assert_problem(422);
            assert_eq!(r.field_errors(), expected);
        }
    };
    check(&|b| b["total"] = json!(199_999), &[("total", "invalid")]).await;
    check(
        &|b| {
            b["cost_lines"][1]["amount"] = json!(-140_000);
            b["total"] = json!(-80_000);
        },
        &[("cost_lines[1].amount", "invalid"), ("total", "invalid")],
    )
    .await;
    check(
        &|b| {
            b["cost_lines"][0]["amount"] = json!(0);
            b["total"] = json!(140_000);
        },
        &[("cost_lines[0].amount", "invalid")],
    )
    .await;
    check(
        &|b| b["category"] = json!("rockets"),
        &[("category", "invalid")],
    )
    .await;
    check(
        &|b| {
            b["cost_lines"] = json!([]);
            b["total"] = json!(0);
        },
        &[("cost_lines", "required")],
    )
    .await;
    check(&|b| b["title"] = json!("Ой"), &[("title", "too_short")]).await;
    check(
        &|b| b["cost_lines"][0]["amount"] = json!("багато"),
        &[("cost_lines[0].amount", "invalid")],
    )
    .await;
    // A retry with the same key makes one project.
    post_twice(app, &projects_path(&cycle), &w.author, &good, "project-1").await;
    let mine = app
        .get(
            &format!("{}?mine=true", projects_path(&cycle)),
            Some(&w.author),
        )
        .await
        .json();
    assert_eq!(mine.as_array().unwrap().len(), 2);
    // Unknown cycles.
    app.call(
        Method::POST,
        &projects_path(&ids::new_id()),
        Some(good.clone()),
        Some(&w.author),
    )
    .await
    .assert_problem(404);
}

#[tokio::test]
async fn images_are_reencoded_without_metadata() {
    let w = world().await;
    let app = &w.app;
    let (_, cycle) = new_cycle(&w, SUBMISSION).await;
    let body = project_body("Сквер з фото", "environment", &[("Лавки", 90_000)]);
    let exif = jpeg_with_exif_gps();
    assert!(contains(&exif, b"SECRET-GPS"));
    let r = post_multipart(
        app,
        &projects_path(&cycle),
        &w.author,
        &[
            json_part("project", &body),
            file_part("images", "IMG_0001.JPG", "image/jpeg", exif),
            file_part("images", "план.png", "image/png", png(2400, 1200)),
        ],
        None,
    )
    .await;
    let p = r.expect(StatusCode::CREATED);
    let pid = id_of(&p);
    let images = p["images"].as_array().unwrap();
    assert_eq!(images.len(), 2);
    let first = images[0]["url"].as_str().unwrap();
    assert!(first.starts_with(&format!("/api/v1/budget-projects/{pid}/images/")));
    assert_eq!(
        images[0]["thumbnail_url"].as_str().unwrap(),
        format!("{first}/thumbnail")
    );
    for (img, full) in [(&images[0], true), (&images[1], true), (&images[0], false)] {
        let url = if full {
            img["url"].as_str().unwrap().to_owned()
        } else {
            img["thumbnail_url"].as_str().unwrap().to_owned()
        };
        let r = app.get(&url, Some(&w.author)).await;
        assert_eq!(r.status, StatusCode::OK, "{url}");
        assert_eq!(r.content_type(), "image/jpeg");
        assert_eq!(
            r.headers.get(header::CACHE_CONTROL).unwrap(),
            "private, max-age=86400"
        );
        assert_eq!(
            r.headers.get(header::X_CONTENT_TYPE_OPTIONS).unwrap(),
            "nosniff"
        );
        assert!(!contains(&r.body, b"Exif") && !contains(&r.body, b"SECRET-GPS"));
        let decoded = image::load_from_memory(&r.body).unwrap();
        let side = decoded.width().max(decoded.height());
        assert!(side <= if full { 1600 } else { 320 }, "{side}");
    }
    // The EXIF orientation turned the photo upright: 640×480 stored sideways → 480×640.
    let upright = app.get(first, Some(&w.author)).await;
    let decoded = image::load_from_memory(&upright.body).unwrap();
    assert_eq!((decoded.width(), decoded.height()), (480, 640));
    // In review: 404 to anyone but the author and staff, images too.
    app.get(first, None).await.assert_problem(404);
    app.get(first, Some(&w.voter)).await.assert_problem(404);
    assert_eq!(app.get(first, Some(&w.staff)).await.status, StatusCode::OK);
    app.get(
        &format!("/api/v1/budget-projects/{pid}/images/{}", ids::new_id()),
        Some(&w.author),
    )
    .await
    .assert_problem(404);
    // The list shows the first thumbnail.
    let list = app
        .get(&projects_path(&cycle), Some(&w.author))
        .await
        .json();
    assert_eq!(list[0]["thumbnail_url"], images[0]["thumbnail_url"]);
    // Six images: 422; not an image: 415; nothing is kept.
    let mut six = vec![json_part("project", &body)];
    for _ in 0..6 {
        six.push(file_part("images", "a.jpg", "image/jpeg", jpeg(40, 30)));
    }
    let r = post_multipart(app, &projects_path(&cycle), &w.author, &six, None).await;
    r.assert_invalid(&[("images", "too_many")]);
    let r = post_multipart(
        app,
        &projects_path(&cycle),
        &w.author,
        &[
            json_part("project", &body),
            file_part(
                "images",
                "a.jpg",
                "image/jpeg",
                b"%PDF-1.4 not an image".to_vec(),
            ),
        ],
        None,
    )
    .await;
    r.assert_problem(415);
    assert_eq!(r.field_errors(), [("images".into(), "not_an_image".into())]);
    let files = std::fs::read_dir(app.media_dir().join("budget"))
        .unwrap()
        .count();
    assert_eq!(files, 4, "two images and their thumbnails");
}

#[tokio::test]
async fn projects_in_review_are_seen_by_their_author_and_staff_only() {
    let w = world().await;
    let app = &w.app;
    let (_, cycle, id) =
        new_project(&w, "Майданчик у дворі", "sport", ("Тренажери", 120_000)).await;
    let path = format!("/api/v1/budget-projects/{id}");
    for s in [None, Some(w.voter.as_str()), Some(w.other_staff.as_str())] {
        app.get(&path, s).await.assert_problem(404);
    }
    assert_eq!(app.get(&path, Some(&w.author)).await.json()["mine"], true);
    assert_eq!(app.get(&path, Some(&w.staff)).await.json()["mine"], false);
    let count = |s: Option<&str>, q: &str| {
        let path = format!("{}{q}", projects_path(&cycle));
        let s = s.map(str::to_owned);
        async move {
            app.get(&path, s.as_deref())
                .await
                .json()
                .as_array()
                .unwrap()
                .len()
        }
    };
    assert_eq!(count(None, "").await, 0);
    assert_eq!(count(Some(&w.voter), "").await, 0);
    assert_eq!(count(Some(&w.voter), "?status=submitted").await, 0);
    assert_eq!(count(Some(&w.author), "").await, 1);
    assert_eq!(count(Some(&w.author), "?mine=true").await, 1);
    assert_eq!(count(Some(&w.voter), "?mine=true").await, 0);
    assert_eq!(count(Some(&w.staff), "?status=submitted").await, 1);
    assert_eq!(count(Some(&w.staff), "?status=accepted").await, 0);
    assert_eq!(count(Some(&w.staff), "?category=sport").await, 1);
    assert_eq!(count(Some(&w.staff), "?category=health").await, 0);
    app.get(&format!("{}?mine=true", projects_path(&cycle)), None)
        .await
        .assert_problem(401);
    for q in [
        "?status=lost",
        "?category=rockets",
        "?sort=oldest",
        "?mine=maybe",
    ] {
        app.get(&format!("{}{q}", projects_path(&cycle)), None)
            .await
            .assert_problem(400);
    }
    // Accepted: public.
    let r = review(app, &id, &w.staff, json!({"decision": "accept"})).await;
    r.assert_status(StatusCode::OK);
    assert_eq!(app.get(&path, None).await.json()["status"], "accepted");
    assert_eq!(count(None, "").await, 1);
    let c = app
        .get(&format!("/api/v1/budget-cycles/{cycle}"), None)
        .await
        .json();
    assert_eq!(c["projects"], 1);
}

#[tokio::test]
async fn review_notifies_the_author_who_may_change_the_project() {
    let w = world().await;
    let app = &w.app;
    let (c, cycle) = new_cycle(&w, SUBMISSION).await;
    let body = project_body("Пандус до амбулаторії", "health", &[("Пандус", 90_000)]);
    let r = post_multipart(
        app,
        &projects_path(&cycle),
        &w.author,
        &[
            json_part("project", &body),
            file_part("images", "a.jpg", "image/jpeg", jpeg(64, 48)),
        ],
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED);
    let id = id_of(&r.json());
    // Bad reviews: 422 naming the field; a resident: 403.
    for (bad, field, code) in [
        (json!({"decision": "request_changes"}), "note", "required"),
        (
            json!({"decision": "reject", "reason": "  "}),
            "reason",
            "required",
        ),
        (json!({"decision": "maybe"}), "decision", "invalid"),
        (json!({}), "decision", "required"),
    ] {
        let r = review(app, &id, &w.staff, bad).await;
        r.assert_invalid(&[(field, code)]);
    }
    review(app, &id, &w.author, json!({"decision": "accept"}))
        .await
        .assert_problem(403);
    review(app, &id, &w.other_staff, json!({"decision": "accept"}))
        .await
        .assert_problem(404);
    // Changes requested.
    let note = "Додайте, будь ласка, кошторис на поручні.";
    let r = review(
        app,
        &id,
        &w.staff,
        json!({"decision": "request_changes", "note": note}),
    )
    .await;
    let p = r.expect(StatusCode::OK);
    assert_eq!(p["status"], "changes_requested");
    assert_eq!(p["review_note"], note);
    assert!(p["reviewed_at"].is_string());
    let n = notifications(app, &w.author).await;
    assert_eq!(n[0]["kind"], "project_changes_requested");
    assert_eq!(
        n[0]["project"],
        json!({"id": id, "title": "Пандус до амбулаторії"})
    );
    assert!(n[0]["appeal"].is_null() && n[0]["petition"].is_null());
    // The author changes it: back to review, the images kept.
    let path = format!("/api/v1/budget-projects/{id}");
    let new = project_body(
        "Пандус і поручні до амбулаторії",
        "health",
        &[("Пандус", 90_000), ("Поручні", 25_000)],
    );
    app.call(Method::PUT, &path, Some(new.clone()), Some(&w.staff))
        .await
        .assert_problem(403);
    app.call(Method::PUT, &path, Some(new.clone()), Some(&w.voter))
        .await
        .assert_problem(404);
    let mut bad = new.clone();
    bad["total"] = json!(1);
    app.call(Method::PUT, &path, Some(bad), Some(&w.author))
        .await
        .assert_problem(422);
    let r = app
        .call(Method::PUT, &path, Some(new.clone()), Some(&w.author))
        .await;
    let p = r.expect(StatusCode::OK);
    assert_eq!(p["status"], "submitted");
    assert_eq!(p["cost"], 115_000);
    assert_eq!(p["title"], "Пандус і поручні до амбулаторії");
    assert_eq!(p["images"].as_array().unwrap().len(), 1);
    assert_eq!(p["review_note"], note, "what was asked stays visible");
    // Rejected, then (staff change their mind) accepted; each review tells the author.
    let r = review(
        app,
        &id,
        &w.staff,
        json!({"decision": "reject", "reason": "Не в межах повноважень громади."}),
    )
    .await;
    assert_eq!(r.json()["status"], "rejected");
    let public = app.get(&path, None).await.json();
    assert_eq!(public["review_note"], "Не в межах повноважень громади.");
    assert_eq!(public["mine"], false);
    app.call(Method::PUT, &path, Some(new.clone()), Some(&w.author))
        .await
        .assert_problem(409);
    let r = review(app, &id, &w.staff, json!({"decision": "accept"})).await;
    let p = r.json();
    assert_eq!(p["status"], "accepted");
    assert!(p["review_note"].is_null());
    let kinds: Vec<Value> = notifications(app, &w.author)
        .await
        .iter()
        .map(|n| n["kind"].clone())
        .collect();
    assert_eq!(
        kinds,
        [
            "project_accepted",
            "project_rejected",
            "project_changes_requested"
        ]
    );
    // Once voting begins, no more reviews.
    set_dates(app, &w.staff, &c, VOTING).await;
    review(
        app,
        &id,
        &w.staff,
        json!({"decision": "reject", "reason": "x"}),
    )
    .await
    .assert_problem(409);
}

#[tokio::test]
async fn staff_change_the_cost_before_voting() {
    let w = world().await;
    let app = &w.app;
    let (c, _, id) = new_project(&w, "Освітлення двору", "safety", ("Ліхтарі", 200_000)).await;
    let path = format!("/api/v1/budget-projects/{id}/cost");
    let post = |body: Value, s: &str| {
        let s = s.to_owned();
        let path = path.clone();
        async move { app.call(Method::POST, &path, Some(body), Some(&s)).await }
    };
    let r = post(json!({"cost": 0, "note": ""}), &w.staff).await;
    r.assert_invalid(&[("cost", "invalid"), ("note", "required")]);
    post(json!({"cost": 150_000, "note": "x"}), &w.author)
        .await
        .assert_problem(403);
    let r = post(
        json!({"cost": 180_000, "note": "Ліхтарі дешевші в Prozorro."}),
        &w.staff,
    )
    .await;
    let p = r.expect(StatusCode::OK);
    assert_eq!(
        (&p["cost"], &p["original_cost"], &p["cost_note"]),
        (
            &json!(180_000),
            &json!(200_000),
            &json!("Ліхтарі дешевші в Prozorro.")
        )
    );
    let p = post(json!({"cost": 170_000, "note": "Ще дешевше."}), &w.staff)
        .await
        .json();
    assert_eq!(
        p["original_cost"], 200_000,
        "the author's total, not the last change"
    );
    assert_eq!(p["cost"], 170_000);
    let n = notifications(app, &w.author).await;
    assert_eq!(n.len(), 2);
    assert!(
        n.iter()
            .all(|n| n["kind"] == "project_cost_changed" && n["project"]["id"] == id)
    );
    set_dates(app, &w.staff, &c, VOTING).await;
    post(json!({"cost": 160_000, "note": "Пізно."}), &w.staff)
        .await
        .assert_problem(409);
}

/// A cycle in voting with accepted projects `specs`; returns (cycle, its id, project ids).
async fn voting_cycle(
    w: &World,
    rule: Value,
    total: i64,
    specs: &[(&str, &str, i64)],
) -> (Value, String, Vec<String>) {
    let app = &w.app;
    let c = create_cycle(app, &w.staff, cycle_body(2026, total, rule, SUBMISSION)).await;
    let cycle = id_of(&c);
    let ids = accepted(app, &w.staff, &cycle, specs).await;
    let c = set_dates(app, &w.staff, &c, VOTING).await;
    (c, cycle, ids)
}

#[tokio::test]
async fn ballots_follow_the_choose_rule_and_who_may_vote() {
    let w = world().await;
    let app = &w.app;
    let (c, cycle, p) = voting_cycle(
        &w,
        choose(2, true),
        3_000_000,
        &[
            ("Клас робототехніки", "education", 300_000),
            ("Бібліотека в школі", "education", 200_000),
            ("Спортивний майданчик", "sport", 400_000),
            ("Дефібрилятори", "health", 250_000),
        ],
    )
    .await;
    let e = vote(app, &cycle, Some(&w.voter), &[&p[0], &p[2], &p[3]]).await;
    e.assert_invalid(&[("project_ids", "too_many")]);
    let e = vote(app, &cycle, Some(&w.voter), &[&p[0], &p[1]]).await;
    e.assert_invalid(&[("project_ids", "same_category")]);
    let e = vote(app, &cycle, Some(&w.voter), &[&p[0], &p[0]]).await;
    assert_eq!(e.field_errors(), [("project_ids".into(), "invalid".into())]);
    // Not on the ballot: unknown, malformed, in review, rejected, of another cycle.
    let (_, elsewhere) = accepted_elsewhere(&w, "Інший проєкт").await;
    set_dates(app, &w.staff, &c, SUBMISSION).await;
    let waiting = id_of(
        &submit(
            app,
            &cycle,
            &w.author,
            project_body("Ще на розгляді", "culture", &[("Сцена", 100_000)]),
        )
        .await,
    );
    let rejected = id_of(
        &submit(
            app,
            &cycle,
            &w.author,
            project_body("Відхилений проєкт", "culture", &[("Сцена", 100_000)]),
        )
        .await,
    );
    review(
        app,
        &rejected,
        &w.staff,
        json!({"decision": "reject", "reason": "Ні."}),
    )
    .await;
    set_dates(app, &w.staff, &c, VOTING).await;
    for bad in [
        ids::new_id(),
        "../x".to_owned(),
        waiting,
        rejected,
        elsewhere,
    ] {
        let e = vote(app, &cycle, Some(&w.voter), &[&p[0], &bad]).await;
        e.assert_problem(422);
        assert_eq!(
            e.field_errors(),
            [("project_ids".into(), "invalid".into())],
            "{bad}"
        );
    }
    // A good selection, replaced, then withdrawn.
    let ok = vote(app, &cycle, Some(&w.voter), &[&p[0], &p[2]]).await;
    ok.assert_status(StatusCode::OK);
    assert_eq!(ok.json()["project_ids"], json!([p[0], p[2]]));
    let got = app.get(&ballot_path(&cycle), Some(&w.voter)).await.json();
    assert_eq!(got["project_ids"], json!([p[0], p[2]]));
    assert!(got["updated_at"].is_string());
    assert_eq!(
        vote(app, &cycle, Some(&w.voter), &[&p[3]]).await.status,
        StatusCode::OK
    );
    let got = app.get(&ballot_path(&cycle), Some(&w.voter)).await.json();
    assert_eq!(got["project_ids"], json!([p[3]]));
    let none = vote(app, &cycle, Some(&w.voter), &[]).await;
    assert_eq!(none.status, StatusCode::OK);
    assert_eq!(none.json(), json!({"project_ids": [], "updated_at": null}));
    assert_eq!(
        app.get(&ballot_path(&cycle), Some(&w.voter)).await.json(),
        json!({"project_ids": [], "updated_at": null})
    );
    // Who may vote: 401, 403 saying why, 409 outside voting.
    vote(app, &cycle, None, &[&p[0]]).await.assert_problem(401);
    app.get(&ballot_path(&cycle), None)
        .await
        .assert_problem(401);
    let e = vote(app, &cycle, Some(&w.unverified), &[&p[0]])
        .await
        .assert_problem(403);
    assert!(e["detail"].as_str().unwrap().contains("verified"), "{e}");
    let e = vote(app, &cycle, Some(&w.outsider), &[&p[0]])
        .await
        .assert_problem(403);
    assert!(
        e["detail"].as_str().unwrap().contains("another hromada"),
        "{e}"
    );
    for offsets in [REVIEW, RESULTS] {
        set_dates(app, &w.staff, &c, offsets).await;
        vote(app, &cycle, Some(&w.voter), &[&p[0]])
            .await
            .assert_problem(409);
    }
    vote(app, &ids::new_id(), Some(&w.voter), &[&p[0]])
        .await
        .assert_problem(404);
}

#[tokio::test]
async fn ballots_fit_the_budget() {
    let w = world().await;
    let app = &w.app;
    let (_, cycle, p) = voting_cycle(
        &w,
        fit_budget(),
        1_000_000,
        &[
            ("Сквер", "environment", 400_000),
            ("Спортзала", "sport", 600_000),
            ("Зупинка", "transport", 300_000),
        ],
    )
    .await;
    let ok = vote(app, &cycle, Some(&w.voter), &[&p[0], &p[1]]).await;
    ok.assert_status(StatusCode::OK);
    let e = vote(app, &cycle, Some(&w.voter), &[&p[0], &p[1], &p[2]]).await;
    e.assert_invalid(&[("project_ids", "over_budget")]);
    // The refused selection left the stored one as it was.
    let got = app.get(&ballot_path(&cycle), Some(&w.voter)).await.json();
    assert_eq!(got["project_ids"], json!([p[0], p[1]]));
}

async fn put_ballot(
    router: &axum::Router,
    cycle: &str,
    session: &str,
    ids: &[String],
) -> (StatusCode, Vec<u8>) {
    let req = Request::builder()
        .method(Method::PUT)
        .uri(ballot_path(cycle))
        .header(header::HOST, "localhost")
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::COOKIE, format!("hromada_session={session}"))
        .body(Body::from(json!({ "project_ids": ids }).to_string()))
        .unwrap();
    let res = router.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let body = res.into_body().collect().await.unwrap().to_bytes().to_vec();
    (status, body)
}

/// The items stored for a person's ballot, in order, straight from the database.
async fn stored_items(app: &TestApp, cycle: &str, user: &str) -> Vec<String> {
    sqlx::query(
        "SELECT i.project_id FROM budget_ballot_items i JOIN budget_ballots b ON b.id = i.ballot_id \
         WHERE b.cycle_id = $1 AND b.user_id = $2 ORDER BY i.seq",
    )
    .bind(cycle.to_owned())
    .bind(user.to_owned())
    .fetch_all(app.db.pool())
    .await
    .unwrap()
    .iter()
    .map(|r| r.get::<String, _>("project_id"))
    .collect()
}

/// One person's 50 concurrent replacements of their ballot (two tabs, many times over)
/// leave exactly one of the selections sent, whole, within the rule; never a mix.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_replacements_of_a_ballot_leave_one_whole_selection() {
    let w = world().await;
    let app = &w.app;
    let specs: Vec<(String, &str, i64)> = (0..8)
        .map(|i| (format!("Проєкт номер {i}"), "other", 100_000 + i * 1_000))
        .collect();
    let specs: Vec<(&str, &str, i64)> =
        specs.iter().map(|(t, c, a)| (t.as_str(), *c, *a)).collect();
    let (_, cycle, p) = voting_cycle(&w, choose(3, false), 3_000_000, &specs).await;
    let voter = people(app, 1, KHERSON, "tabs").await.remove(0);
    // 50 different selections of three.
    let mut selections: Vec<Vec<String>> = Vec::new();
    'outer: for a in 0..8 {
        for b in 0..8 {
            for d in 0..8 {
                if a != b && b != d && a != d && (a * 7 + b * 3 + d) % 5 == 0 {
                    selections.push(vec![p[a].clone(), p[b].clone(), p[d].clone()]);
                    if selections.len() == 50 {
                        break 'outer;
                    }
                }
            }
        }
    }
    assert_eq!(selections.len(), 50);
    let mut tasks = Vec::new();
    for s in selections.clone() {
        let router = app.router.clone();
        let (cycle, session) = (cycle.clone(), voter.1.clone());
        tasks.push(tokio::spawn(async move {
            put_ballot(&router, &cycle, &session, &s).await
        }));
    }
    for t in tasks {
        let (status, body) = t.await.unwrap();
        assert_eq!(status, StatusCode::OK, "{}", String::from_utf8_lossy(&body));
    }
    let stored = stored_items(app, &cycle, &voter.0).await;
    assert_eq!(stored.len(), 3, "{stored:?}");
    assert!(
        selections.contains(&stored),
        "{stored:?} is one of the selections sent"
    );
    let got = app.get(&ballot_path(&cycle), Some(&voter.1)).await.json();
    assert_eq!(got["project_ids"], json!(stored));
    let ballots: i64 = sqlx::query("SELECT COUNT(*) AS n FROM budget_ballots WHERE user_id = $1")
        .bind(voter.0.clone())
        .fetch_one(app.db.pool())
        .await
        .unwrap()
        .get("n");
    assert_eq!(ballots, 1);
    // The database itself keeps one ballot per person per cycle, and items to projects of
    // the ballot's cycle.
    let twice = sqlx::query(
        "INSERT INTO budget_ballots (id, cycle_id, user_id, updated_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(ids::new_id())
    .bind(cycle.clone())
    .bind(voter.0.clone())
    .bind(clock::now_rfc3339())
    .execute(app.db.pool())
    .await;
    assert!(hromada_server::db::is_unique_violation(&twice.unwrap_err()));
    let (other, foreign) = accepted_elsewhere(&w, "Чужий проєкт").await;
    let ballot_id: String = sqlx::query("SELECT id FROM budget_ballots WHERE user_id = $1")
        .bind(voter.0.clone())
        .fetch_one(app.db.pool())
        .await
        .unwrap()
        .get("id");
    for (cycle_col, project) in [(cycle.clone(), foreign.clone()), (other, foreign)] {
        let r = sqlx::query(
            "INSERT INTO budget_ballot_items (ballot_id, cycle_id, project_id, seq) VALUES ($1, $2, $3, 9)",
        )
        .bind(ballot_id.clone())
        .bind(cycle_col)
        .bind(project)
        .execute(app.db.pool())
        .await;
        assert!(r.is_err(), "an item names a project of its ballot's cycle");
    }
    for bad in [
        "UPDATE budget_projects SET cost = 0 WHERE cycle_id = $1",
        "UPDATE budget_projects SET status = 'lost' WHERE cycle_id = $1",
        "UPDATE budget_projects SET category = 'rockets' WHERE cycle_id = $1",
        "UPDATE budget_projects SET status = 'rejected', review_note = NULL WHERE cycle_id = $1",
        "UPDATE budget_cycles SET voting_on = submission_on WHERE id = $1",
    ] {
        let r = sqlx::query(bad)
            .bind(cycle.clone())
            .execute(app.db.pool())
            .await;
        assert!(r.is_err(), "{bad}");
    }
}

/// 200 voters voting at once: every ballot is stored, and the results count them exactly
/// and draw the funded line as `funding::allocate` does.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_hundred_voters_at_once_are_counted_exactly() {
    let w = world().await;
    let app = &w.app;
    let specs = [
        ("Сквер «Надія»", "environment", 900_000),
        ("Спортивна зала", "sport", 800_000),
        ("Дефібрилятори", "health", 500_000),
        ("Велопарковки", "transport", 150_000),
        ("Кінотеатр просто неба", "culture", 450_000),
        ("Укриття в гімназії", "safety", 600_000),
    ];
    let (c, cycle, p) = voting_cycle(&w, choose(3, false), 2_000_000, &specs).await;
    let crowd = people(app, 200, KHERSON, "crowd").await;
    let selection = |i: usize| -> Vec<String> {
        let k = 1 + i % 3;
        (0..k)
            .map(|j| p[(i * 5 + j * (1 + i % 4)) % p.len()].clone())
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect()
    };
    let mut tasks = Vec::new();
    for (i, (_, session)) in crowd.iter().enumerate() {
        let router = app.router.clone();
        let (cycle, session, s) = (cycle.clone(), session.clone(), selection(i));
        tasks.push(tokio::spawn(async move {
            put_ballot(&router, &cycle, &session, &s).await
        }));
    }
    for t in tasks {
        let (status, body) = t.await.unwrap();
        assert_eq!(status, StatusCode::OK, "{}", String::from_utf8_lossy(&body));
    }
    let mut hand: BTreeMap<String, u32> = BTreeMap::new();
    for i in 0..200 {
        for id in selection(i) {
            *hand.entry(id).or_default() += 1;
        }
    }
    // Before voting closes: 409, and lists show no votes; "votes" falls back to newest.
    let results_path = format!("/api/v1/budget-cycles/{cycle}/results");
    app.get(&results_path, None).await.assert_problem(409);
    let by_votes = app
        .get(&format!("{}?sort=votes", projects_path(&cycle)), None)
        .await
        .json();
    let newest = app.get(&projects_path(&cycle), None).await.json();
    assert_eq!(by_votes, newest);
    assert!(
        by_votes
            .as_array()
            .unwrap()
            .iter()
            .all(|p| p["votes"].is_null() && p["funded"].is_null())
    );
    let c = set_dates(app, &w.staff, &c, RESULTS).await;
    assert_eq!(c["voters"], 200);
    let r = app.get(&results_path, None).await;
    let results = r.expect(StatusCode::OK);
    assert_eq!(results["voters"], 200);
    assert_eq!(results["total"], 2_000_000);
    // What allocate says, from the hand counts.
    let mut submitted: BTreeMap<String, String> = BTreeMap::new();
    for id in &p {
        let v = app
            .get(&format!("/api/v1/budget-projects/{id}"), None)
            .await
            .json();
        submitted.insert(id.clone(), v["submitted_at"].as_str().unwrap().to_owned());
    }
    let expected = allocate(
        2_000_000,
        p.iter()
            .zip(specs)
            .map(|(id, (_, _, cost))| Entry {
                id: id.clone(),
                cost,
                votes: hand.get(id).copied().unwrap_or(0),
                submitted_at: submitted[id].clone(),
            })
            .collect(),
    );
    let rows = results["rows"].as_array().unwrap();
    assert_eq!(rows.len(), expected.len());
    let mut funded_cost = 0;
    for (row, e) in rows.iter().zip(&expected) {
        assert_eq!(row["project"]["id"], e.entry.id);
        assert_eq!(row["rank"], e.rank);
        assert_eq!(row["votes"], e.entry.votes);
        assert_eq!(row["funded"], e.funded);
        assert_eq!(row["project"]["votes"], e.entry.votes);
        assert_eq!(row["project"]["funded"], e.funded);
        if e.funded {
            funded_cost += e.entry.cost;
            assert_eq!(row["project"]["progress"], 0);
        }
    }
    assert_eq!(results["funded_cost"], funded_cost);
    assert!(expected.iter().any(|e| e.funded) && expected.iter().any(|e| !e.funded));
    // The database's count equals the hand count.
    let total_items: i64 =
        sqlx::query("SELECT COUNT(*) AS n FROM budget_ballot_items WHERE cycle_id = $1")
            .bind(cycle.clone())
            .fetch_one(app.db.pool())
            .await
            .unwrap()
            .get("n");
    assert_eq!(total_items as u32, hand.values().sum::<u32>());
    // Lists sort by votes now, and a project shows its rank.
    let by_votes = app
        .get(&format!("{}?sort=votes", projects_path(&cycle)), None)
        .await
        .json();
    let order: Vec<&str> = by_votes
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap())
        .collect();
    let ranked: Vec<&str> = expected.iter().map(|e| e.entry.id.as_str()).collect();
    assert_eq!(order, ranked);
    let top = app
        .get(&format!("/api/v1/budget-projects/{}", ranked[0]), None)
        .await
        .json();
    assert_eq!(top["rank"], 1);
}

#[tokio::test]
async fn results_csv_is_for_staff_quoted_and_defused() {
    let w = world().await;
    let app = &w.app;
    let (c, cycle, p) = voting_cycle(
        &w,
        fit_budget(),
        1_000_000,
        &[
            ("Лавки, урни і \"квіти\"", "environment", 300_000),
            (
                "=HYPERLINK(\"http://evil.example\",\"Сквер\")",
                "culture",
                200_000,
            ),
            ("-Ремонт даху", "education", 900_000),
        ],
    )
    .await;
    let voters = people(app, 3, KHERSON, "csv").await;
    for (i, (_, s)) in voters.iter().enumerate() {
        let pick: Vec<&str> = match i {
            0 => vec![&p[0], &p[1]],
            1 => vec![&p[0]],
            _ => vec![&p[2]],
        };
        assert_eq!(
            vote(app, &cycle, Some(s), &pick).await.status,
            StatusCode::OK
        );
    }
    let csv_path = format!("/api/v1/budget-cycles/{cycle}/results.csv");
    app.get(&csv_path, Some(&w.staff)).await.assert_problem(409);
    set_dates(app, &w.staff, &c, RESULTS).await;
    app.get(&csv_path, None).await.assert_problem(401);
    app.get(&csv_path, Some(&w.voter)).await.assert_problem(403);
    app.get(&csv_path, Some(&w.other_staff))
        .await
        .assert_problem(403);
    let r = app.get(&csv_path, Some(&w.staff)).await;
    r.assert_status(StatusCode::OK);
    assert_eq!(r.content_type(), "text/csv; charset=utf-8");
    assert_eq!(
        r.headers.get(header::CONTENT_DISPOSITION).unwrap(),
        "attachment; filename=\"budget-2026-results.csv\""
    );
    assert!(r.body.starts_with(&[0xef, 0xbb, 0xbf]), "a UTF-8 BOM");
    let body = String::from_utf8(r.body[3..].to_vec()).unwrap();
    let lines: Vec<&str> = body.split("\r\n").collect();
    assert_eq!(lines[0], "rank,title,category,cost,votes,funded");
    assert_eq!(
        lines[1],
        "1,\"Лавки, урни і \"\"квіти\"\"\",environment,300000,2,yes"
    );
    // 1 vote each: the earlier submission first.
    assert_eq!(
        lines[2],
        "2,\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"Сквер\"\")\",culture,200000,1,yes"
    );
    assert_eq!(lines[3], "3,'-Ремонт даху,education,900000,1,no");
    assert_eq!(lines[4], "");
    // An administrator may export too.
    let (admin_id, admin) = app.register("admin@k.example", BERYSLAV).await;
    app.db.set_admin(&admin_id, true).await.unwrap();
    assert_eq!(
        app.get(&csv_path, Some(&admin)).await.status,
        StatusCode::OK
    );
    // JSON results agree.
    let results = app
        .get(&format!("/api/v1/budget-cycles/{cycle}/results"), None)
        .await
        .json();
    assert_eq!(results["voters"], 3);
    assert_eq!(results["funded_cost"], 500_000);
}

#[tokio::test]
async fn staff_report_the_implementation_of_funded_projects() {
    let w = world().await;
    let app = &w.app;
    let (c, cycle, p) = voting_cycle(
        &w,
        fit_budget(),
        1_000_000,
        &[
            ("Сквер", "environment", 700_000),
            ("Спортзала", "sport", 600_000),
        ],
    )
    .await;
    vote(app, &cycle, Some(&w.voter), &[&p[0]]).await;
    let body = json!({
        "progress": 40,
        "milestones": [
            {"title": "Закупівля в Prozorro", "date": "2026-08-01", "done": true},
            {"title": "Монтаж", "date": "2026-10-15", "done": false},
        ],
    });
    let path = |id: &str| format!("/api/v1/budget-projects/{id}/implementation");
    app.call(
        Method::PUT,
        &path(&p[0]),
        Some(body.clone()),
        Some(&w.staff),
    )
    .await
    .assert_problem(409);
    set_dates(app, &w.staff, &c, IMPLEMENTATION).await;
    app.call(
        Method::PUT,
        &path(&p[1]),
        Some(body.clone()),
        Some(&w.staff),
    )
    .await
    .assert_problem(409);
    app.call(
        Method::PUT,
        &path(&p[0]),
        Some(body.clone()),
        Some(&w.voter),
    )
    .await
    .assert_problem(403);
    let r = app
        .call(
            Method::PUT,
            &path(&p[0]),
            Some(json!({"progress": 101, "milestones": [{"title": "Х", "date": "2026-13-01", "done": false}]})),
            Some(&w.staff),
        )
        .await;
    r.assert_invalid(&[
        ("progress", "invalid"),
        ("milestones[0].title", "too_short"),
        ("milestones[0].date", "invalid"),
    ]);
    app.call(
        Method::PUT,
        &path(&p[0]),
        Some(json!({"progress": -1, "milestones": []})),
        Some(&w.staff),
    )
    .await
    .assert_problem(422);
    let r = app
        .call(
            Method::PUT,
            &path(&p[0]),
            Some(body.clone()),
            Some(&w.staff),
        )
        .await;
    let v = r.expect(StatusCode::OK);
    assert_eq!(v["progress"], 40);
    assert_eq!(v["milestones"], body["milestones"]);
    assert_eq!(v["funded"], true);
    let list = app.get(&projects_path(&cycle), None).await.json();
    let funded = list
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["id"] == p[0])
        .unwrap();
    assert_eq!(funded["progress"], 40);
    let other = list
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["id"] == p[1])
        .unwrap();
    assert!(other["progress"].is_null());
    assert_eq!(other["funded"], false);
}

#[tokio::test]
async fn the_demo_budget_has_a_cycle_in_voting_and_last_years_results() {
    let app = demo_app().await;
    let cycles = app.get(&cycles_path(), None).await.json();
    let cycles = cycles.as_array().unwrap();
    assert_eq!(cycles.len(), 2);
    let (current, past) = (&cycles[0], &cycles[1]);
    assert_eq!(current["phase"], "voting");
    assert_eq!(current["total"], 3_000_000);
    assert_eq!(current["rule"], choose(3, false));
    assert_eq!(past["phase"], "implementation");
    assert_eq!(past["rule"], fit_budget());
    assert_eq!(
        past["year"].as_i64().unwrap() + 1,
        current["year"].as_i64().unwrap()
    );
    // The current cycle: accepted projects in many categories, one rejected with a reason.
    let cid = id_of(current);
    let list = app.get(&projects_path(&cid), None).await.json();
    let list = list.as_array().unwrap();
    let accepted: Vec<&Value> = list.iter().filter(|p| p["status"] == "accepted").collect();
    assert!(accepted.len() >= 14);
    let categories: BTreeSet<&str> = accepted
        .iter()
        .map(|p| p["category"].as_str().unwrap())
        .collect();
    assert!(categories.len() >= 7);
    assert!(
        accepted
            .iter()
            .filter(|p| p["thumbnail_url"].is_string())
            .count()
            >= 4
    );
    let rejected: Vec<&Value> = list.iter().filter(|p| p["status"] == "rejected").collect();
    assert_eq!(rejected.len(), 1);
    let r = app
        .get(
            &format!("/api/v1/budget-projects/{}", id_of(rejected[0])),
            None,
        )
        .await
        .json();
    assert!(r["review_note"].as_str().unwrap().len() > 20);
    let thumb = accepted
        .iter()
        .find_map(|p| p["thumbnail_url"].as_str())
        .unwrap();
    assert_eq!(app.get(thumb, None).await.status, StatusCode::OK);
    // The demo resident's project waits for their changes; nobody else sees it.
    let resident = app.demo_session("resident@demo.example").await;
    let mine = app
        .get(
            &format!("{}?mine=true", projects_path(&cid)),
            Some(&resident),
        )
        .await
        .json();
    assert_eq!(mine.as_array().unwrap().len(), 1);
    assert_eq!(mine[0]["status"], "changes_requested");
    app.get(
        &format!("/api/v1/budget-projects/{}", id_of(&mine[0])),
        None,
    )
    .await
    .assert_problem(404);
    assert!(
        notifications(&app, &resident)
            .await
            .iter()
            .any(|n| n["kind"] == "project_changes_requested")
    );
    // The verified demo resident has not voted and may; the resident may not (unverified).
    let verified = app.demo_session("verified@demo.example").await;
    let b = app.get(&ballot_path(&cid), Some(&verified)).await.json();
    assert_eq!(b["project_ids"], json!([]));
    let picks: Vec<&str> = accepted
        .iter()
        .take(3)
        .map(|p| p["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        vote(&app, &cid, Some(&verified), &picks).await.status,
        StatusCode::OK
    );
    vote(&app, &cid, Some(&resident), &picks[..1])
        .await
        .assert_problem(403);
    let staff = app.demo_session("staff@demo.example").await;
    app.get(
        &format!("/api/v1/budget-cycles/{cid}/results.csv"),
        Some(&staff),
    )
    .await
    .assert_problem(409);
    // Last year: a few hundred voters; a project skipped for not fitting, a cheaper one
    // below it funded; funded projects with milestones.
    let pid = id_of(past);
    let results = app
        .get(&format!("/api/v1/budget-cycles/{pid}/results"), None)
        .await
        .json();
    assert!(results["voters"].as_u64().unwrap() >= 200);
    let rows = results["rows"].as_array().unwrap();
    assert!(rows.len() >= 10);
    let skipped = rows.iter().position(|r| r["funded"] == false).unwrap();
    assert!(rows[skipped + 1..].iter().any(|r| r["funded"] == true));
    assert!(results["funded_cost"].as_i64().unwrap() <= 2_500_000);
    let funded: Vec<&Value> = rows.iter().filter(|r| r["funded"] == true).collect();
    for r in &funded {
        let p = app
            .get(
                &format!(
                    "/api/v1/budget-projects/{}",
                    r["project"]["id"].as_str().unwrap()
                ),
                None,
            )
            .await
            .json();
        assert!(!p["milestones"].as_array().unwrap().is_empty());
        assert!(p["progress"].is_u64());
    }
    assert!(rows.iter().any(|r| !r["project"]["cost"].is_null()));
    let csv = app
        .get(
            &format!("/api/v1/budget-cycles/{pid}/results.csv"),
            Some(&staff),
        )
        .await;
    assert_eq!(csv.status, StatusCode::OK);
    // Loading the demo again adds nothing.
    let before = (
        count(&app, "SELECT COUNT(*) AS n FROM budget_projects").await,
        count(&app, "SELECT COUNT(*) AS n FROM budget_ballots").await,
    );
    hromada_server::demo::load(&app.db, &app.media_dir())
        .await
        .unwrap();
    let after = (
        count(&app, "SELECT COUNT(*) AS n FROM budget_projects").await,
        count(&app, "SELECT COUNT(*) AS n FROM budget_ballots").await,
    );
    assert_eq!(before, after);
    assert_eq!(
        app.get(&cycles_path(), None)
            .await
            .json()
            .as_array()
            .unwrap()
            .len(),
        2
    );
}

async fn count(app: &TestApp, sql: &str) -> i64 {
    sqlx::query(sql)
        .fetch_one(app.db.pool())
        .await
        .unwrap()
        .get::<i64, _>("n")
}
