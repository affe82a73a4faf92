//! Appeals, their categories, files, staff steps, ratings and notifications (issue 4).

mod common;

use std::time::Duration;

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
    resident: String,
    other_resident: String,
}

async fn world() -> World {
    let app = app().await;
    let (staff, other_staff) = staff_of_both(&app).await;
    let (_, resident) = app.register("resident@k.example", KHERSON).await;
    let (_, other_resident) = app.register("neighbour@k.example", KHERSON).await;
    World {
        app,
        staff,
        other_staff,
        resident,
        other_resident,
    }
}

fn categories_path(k: &str) -> String {
    format!("/api/v1/hromadas/{k}/appeal-categories")
}

fn appeals_path() -> String {
    format!("/api/v1/hromadas/{KHERSON}/appeals")
}

async fn category_id(app: &TestApp, k: &str, name: &str) -> String {
    let r = app.get(&categories_path(k), None).await;
    assert_eq!(r.status, StatusCode::OK);
    r.json()
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == name)
        .unwrap_or_else(|| panic!("no category {name}"))["id"]
        .as_str()
        .unwrap()
        .to_owned()
}

fn new_appeal(category: &str) -> Value {
    json!({
        "kind": "complaint",
        "category_id": category,
        "subject": "Яма на вулиці Соборній",
        "text": "На вулиці Соборній біля будинку 3 яма глибиною 20 см.\nПрошу відремонтувати.",
        "location": "вул. Соборна, 3",
        "latitude": 46.6354,
        "longitude": 32.6169,
        "full_name": "Марія Іваненко",
        "address": "вул. Соборна, 3, кв. 7, м. Херсон",
        "email": "maria@example.com",
    })
}

async fn post(app: &TestApp, path: &str, body: Value, session: &str) -> Resp {
    app.call(Method::POST, path, Some(body), Some(session))
        .await
}

async fn create(app: &TestApp, body: Value, session: &str) -> Value {
    let r = post(app, &appeals_path(), body, session).await;
    assert_eq!(
        r.status,
        StatusCode::CREATED,
        "{}",
        String::from_utf8_lossy(&r.body)
    );
    r.json()
}

async fn act(app: &TestApp, id: &str, action: Value, session: &str) -> Resp {
    post(
        app,
        &format!("/api/v1/appeals/{id}/actions"),
        action,
        session,
    )
    .await
}

async fn appeal_count(app: &TestApp) -> i64 {
    sqlx::query("SELECT COUNT(*) AS n FROM appeals")
        .fetch_one(app.db.pool())
        .await
        .unwrap()
        .try_get("n")
        .unwrap()
}

fn media_files(dir: &std::path::Path) -> Vec<String> {
    std::fs::read_dir(dir.join("appeals"))
        .map(|d| {
            d.filter_map(|e| e.ok())
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default()
}

/// Moves an appeal's registration (and deadline) `days` into the past.
async fn age(app: &TestApp, id: &str, days: i64) {
    let row = sqlx::query("SELECT registered_at, term_days FROM appeals WHERE id = $1")
        .bind(id)
        .fetch_one(app.db.pool())
        .await
        .unwrap();
    let reg: String = row.try_get("registered_at").unwrap();
    let term: i64 = row.try_get("term_days").unwrap();
    let new_reg = clock::parse_rfc3339(&reg).unwrap() - days * DAY;
    sqlx::query("UPDATE appeals SET registered_at = $1, due_at = $2 WHERE id = $3")
        .bind(clock::rfc3339(new_reg))
        .bind(clock::rfc3339(new_reg + term * DAY))
        .bind(id)
        .execute(app.db.pool())
        .await
        .unwrap();
}

#[tokio::test]
async fn categories_start_with_the_default_list_and_staff_manage_them() {
    let w = world().await;
    let app = &w.app;
    let r = app.get(&categories_path(KHERSON), None).await;
    assert_eq!(r.status, StatusCode::OK);
    let names: Vec<String> = r
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        names,
        [
            "Дороги",
            "Освітлення",
            "Водопостачання",
            "Вивіз сміття",
            "Транспорт",
            "Парки і сквери",
            "Соціальна підтримка",
            "Інше"
        ]
    );
    // Read twice: still eight.
    assert_eq!(
        app.get(&categories_path(KHERSON), None)
            .await
            .json()
            .as_array()
            .unwrap()
            .len(),
        8
    );
    // Create (idempotent), duplicates refused whatever the case.
    let send = |key: &'static str, name: &'static str| {
        let req = Request::builder()
            .method(Method::POST)
            .uri(categories_path(KHERSON))
            .header(header::HOST, "localhost")
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::COOKIE, format!("hromada_session={}", w.staff))
            .header("idempotency-key", key)
            .body(Body::from(json!({ "name": name }).to_string()))
            .unwrap();
        app.send(req)
    };
    let a = send("c-1", "Тротуари").await;
    assert_eq!(a.status, StatusCode::CREATED);
    let b = send("c-1", "Тротуари").await;
    assert_eq!(a.json()["id"], b.json()["id"]);
    let sidewalks = id_of(&a.json());
    for dup in ["тротуари", "  ТРОТУАРИ ", "дороги"] {
        post(
            app,
            &categories_path(KHERSON),
            json!({ "name": dup }),
            &w.staff,
        )
        .await
        .assert_problem(409);
    }
    let r = post(
        app,
        &categories_path(KHERSON),
        json!({ "name": "x" }),
        &w.staff,
    )
    .await;
    r.assert_problem(422);
    assert_eq!(r.field_errors(), vec![("name".into(), "too_short".into())]);
    // Only its own staff.
    for s in [&w.resident, &w.other_staff] {
        post(app, &categories_path(KHERSON), json!({ "name": "Чуже" }), s)
            .await
            .assert_problem(403);
    }
    app.call(
        Method::POST,
        &categories_path(KHERSON),
        Some(json!({ "name": "Чуже" })),
        None,
    )
    .await
    .assert_problem(401);
    // Rename.
    let path = format!("/api/v1/appeal-categories/{sidewalks}");
    let r = app
        .call(
            Method::PUT,
            &path,
            Some(json!({ "name": "Тротуари і двори" })),
            Some(&w.staff),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.json()["name"], "Тротуари і двори");
    app.call(
        Method::PUT,
        &path,
        Some(json!({ "name": "Транспорт" })),
        Some(&w.staff),
    )
    .await
    .assert_problem(409);
    app.call(
        Method::PUT,
        &path,
        Some(json!({ "name": "Чуже" })),
        Some(&w.other_staff),
    )
    .await
    .assert_problem(403);
    // Archive: no longer offered, refused for new appeals; staff still see it.
    app.call(Method::DELETE, &path, None, Some(&w.resident))
        .await
        .assert_problem(403);
    let r = app.call(Method::DELETE, &path, None, Some(&w.staff)).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    let list = app.get(&categories_path(KHERSON), None).await.json();
    assert!(
        list.as_array()
            .unwrap()
            .iter()
            .all(|c| c["id"] != sidewalks.as_str())
    );
    let all = app
        .get(
            &format!("{}?archived=true", categories_path(KHERSON)),
            Some(&w.staff),
        )
        .await
        .json();
    let archived = all
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == sidewalks.as_str())
        .unwrap();
    assert_eq!(archived["archived"], true);
    app.get(
        &format!("{}?archived=true", categories_path(KHERSON)),
        Some(&w.resident),
    )
    .await
    .assert_problem(403);
    app.get(&format!("{}?archived=true", categories_path(KHERSON)), None)
        .await
        .assert_problem(401);
    app.get(
        &format!("{}?archived=maybe", categories_path(KHERSON)),
        None,
    )
    .await
    .assert_problem(400);
    let r = post(app, &appeals_path(), new_appeal(&sidewalks), &w.resident).await;
    r.assert_problem(422);
    assert_eq!(
        r.field_errors(),
        vec![("category_id".into(), "invalid".into())]
    );
    // Creating it again brings it back.
    let r = post(
        app,
        &categories_path(KHERSON),
        json!({ "name": "тротуари і двори" }),
        &w.staff,
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED);
    assert_eq!(r.json()["id"], sidewalks.as_str());
    assert_eq!(r.json()["archived"], false);
    // Unknown ids and hromadas.
    for p in [
        "/api/v1/appeal-categories/00000000000000000000000000000000",
        "/api/v1/appeal-categories/nope",
    ] {
        app.call(Method::DELETE, p, None, Some(&w.staff))
            .await
            .assert_problem(404);
    }
    app.get(&categories_path("UA00000000000000000"), None)
        .await
        .assert_problem(404);
}

#[tokio::test]
async fn appeals_are_registered_and_photos_lose_their_metadata() {
    let w = world().await;
    let app = &w.app;
    let roads = category_id(app, KHERSON, "Дороги").await;
    // JSON.
    let a = create(app, new_appeal(&roads), &w.resident).await;
    let year = &clock::now_rfc3339()[..4];
    assert_eq!(a["number"], format!("ЗВ-{year}-000001"));
    assert_eq!(a["status"], "registered");
    assert_eq!(a["kind"], "complaint");
    assert_eq!(a["category"]["name"], "Дороги");
    assert_eq!(a["term_days"], 30);
    assert_eq!(a["mine"], true);
    assert_eq!(a["public"], false);
    assert_eq!(a["author"]["full_name"], "Марія Іваненко");
    assert_eq!(a["author"]["email"], "maria@example.com");
    assert_eq!(a["latitude"], 46.6354);
    let reg = clock::parse_rfc3339(a["registered_at"].as_str().unwrap()).unwrap();
    assert_eq!(
        clock::parse_rfc3339(a["due_at"].as_str().unwrap()).unwrap(),
        reg + 30 * DAY
    );
    assert_eq!(a["timeline"].as_array().unwrap().len(), 1);
    assert_eq!(a["timeline"][0]["step"]["type"], "registered");
    assert!(a["timeline"][0]["by"].is_null());
    assert!(a["photos"].as_array().unwrap().is_empty());
    // Multipart with a JPEG carrying EXIF (GPS, orientation) and a large PNG.
    let exif = jpeg_with_exif_gps();
    assert!(contains(&exif, b"Exif") && contains(&exif, b"SECRET-GPS"));
    let r = post_multipart(
        app,
        &appeals_path(),
        &w.resident,
        &[
            json_part("appeal", &new_appeal(&roads)),
            file_part("photos", "IMG_0001.JPG", "image/jpeg", exif),
            file_part("photos", "схема.png", "image/png", png(2000, 1000)),
        ],
        None,
    )
    .await;
    assert_eq!(
        r.status,
        StatusCode::CREATED,
        "{}",
        String::from_utf8_lossy(&r.body)
    );
    let b = r.json();
    assert_eq!(b["number"], format!("ЗВ-{year}-000002"));
    let photos = b["photos"].as_array().unwrap();
    assert_eq!(photos.len(), 2);
    assert_eq!(photos[0]["name"], "IMG_0001.jpg");
    assert_eq!(photos[1]["name"], "схема.jpg");
    let bid = id_of(&b);
    for (i, p) in photos.iter().enumerate() {
        assert_eq!(p["media_type"], "image/jpeg");
        let url = p["url"].as_str().unwrap();
        assert!(
            url.starts_with(&format!("/api/v1/appeals/{bid}/files/")),
            "{url}"
        );
        let thumb_url = p["thumbnail_url"].as_str().unwrap();
        assert_eq!(thumb_url, format!("{url}/thumbnail"));
        for (u, max) in [(url, 1600), (thumb_url, 320)] {
            let f = app.get(u, Some(&w.resident)).await;
            assert_eq!(f.status, StatusCode::OK, "{u}");
            assert_eq!(f.content_type(), "image/jpeg");
            assert_eq!(f.headers[header::CACHE_CONTROL], "private, max-age=86400");
            assert_eq!(f.headers[header::CONTENT_DISPOSITION], "inline");
            assert!(!contains(&f.body, b"Exif"), "{u}");
            assert!(!contains(&f.body, b"SECRET-GPS"), "{u}");
            let img = image::load_from_memory(&f.body).unwrap();
            assert!(img.width().max(img.height()) <= max);
            if i == 0 {
                // Turned upright by its EXIF orientation: 640×480 becomes portrait.
                assert!(img.height() > img.width(), "{u}");
                if max == 1600 {
                    assert_eq!((img.width(), img.height()), (480, 640));
                }
            } else if max == 1600 {
                assert_eq!((img.width(), img.height()), (1600, 800));
            } else {
                assert_eq!((img.width(), img.height()), (320, 160));
            }
            if max == 1600 {
                assert_eq!(p["bytes"].as_u64().unwrap(), f.body.len() as u64);
            }
        }
    }
    // Staff see both, with the author; they are not "mine".
    let s = app
        .get(&format!("/api/v1/appeals/{bid}"), Some(&w.staff))
        .await
        .json();
    assert_eq!(s["mine"], false);
    assert_eq!(s["author"]["address"], "вул. Соборна, 3, кв. 7, м. Херсон");
    // My appeals, newest first.
    let mine = app
        .get("/api/v1/me/appeals", Some(&w.resident))
        .await
        .json();
    let ids: Vec<&str> = mine["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, vec![bid.as_str(), a["id"].as_str().unwrap()]);
    assert!(
        app.get("/api/v1/me/appeals", Some(&w.other_resident))
            .await
            .json()["items"]
            .as_array()
            .unwrap()
            .is_empty()
    );
    app.get("/api/v1/me/appeals", None)
        .await
        .assert_problem(401);
    // Guests may not write.
    app.call(
        Method::POST,
        &appeals_path(),
        Some(new_appeal(&roads)),
        None,
    )
    .await
    .assert_problem(401);
}

#[tokio::test]
async fn a_retry_with_the_same_key_registers_one_appeal() {
    let w = world().await;
    let app = &w.app;
    let roads = category_id(app, KHERSON, "Дороги").await;
    let parts = || {
        [
            json_part("appeal", &new_appeal(&roads)),
            file_part("photos", "a.jpg", "image/jpeg", jpeg(800, 600)),
        ]
    };
    let a = post_multipart(app, &appeals_path(), &w.resident, &parts(), Some("k-1")).await;
    let b = post_multipart(app, &appeals_path(), &w.resident, &parts(), Some("k-1")).await;
    assert_eq!(a.status, StatusCode::CREATED);
    assert_eq!(b.status, StatusCode::CREATED);
    assert_eq!(a.json()["number"], b.json()["number"]);
    assert_eq!(a.json()["id"], b.json()["id"]);
    assert_eq!(appeal_count(app).await, 1);
    assert_eq!(media_files(&app.media_dir()).len(), 2);
    // The same key for another request is refused.
    let other = [
        json_part("appeal", &new_appeal(&roads)),
        file_part("photos", "a.jpg", "image/jpeg", jpeg(801, 600)),
    ];
    post_multipart(app, &appeals_path(), &w.resident, &other, Some("k-1"))
        .await
        .assert_problem(422);
    // The same key from another person is another request.
    let c = post_multipart(
        app,
        &appeals_path(),
        &w.other_resident,
        &parts(),
        Some("k-1"),
    )
    .await;
    assert_eq!(c.status, StatusCode::CREATED);
    assert_ne!(c.json()["number"], a.json()["number"]);
    assert_eq!(appeal_count(app).await, 2);
}

#[tokio::test]
async fn private_appeals_are_404_to_everyone_else_and_public_ones_show_no_person() {
    let w = world().await;
    let app = &w.app;
    let roads = category_id(app, KHERSON, "Дороги").await;
    let r = post_multipart(
        app,
        &appeals_path(),
        &w.resident,
        &[
            json_part("appeal", &new_appeal(&roads)),
            file_part("photos", "a.jpg", "image/jpeg", jpeg(400, 300)),
        ],
        None,
    )
    .await;
    let a = r.json();
    let id = id_of(&a);
    let page = format!("/api/v1/appeals/{id}");
    let photo = a["photos"][0]["url"].as_str().unwrap().to_owned();
    let thumb = a["photos"][0]["thumbnail_url"].as_str().unwrap().to_owned();
    let nobody = [
        None,
        Some(w.other_resident.as_str()),
        Some(w.other_staff.as_str()),
    ];
    for who in nobody {
        app.get(&page, who).await.assert_problem(404);
        app.get(&photo, who).await.assert_problem(404);
        app.get(&thumb, who).await.assert_problem(404);
    }
    for s in [&w.other_resident, &w.other_staff] {
        app.call(Method::PATCH, &page, Some(json!({"public": true})), Some(s))
            .await
            .assert_problem(404);
        act(app, &id, json!({"action": "close"}), s)
            .await
            .assert_problem(404);
        app.call(
            Method::PUT,
            &format!("{page}/rating"),
            Some(json!({"stars": 5})),
            Some(s),
        )
        .await
        .assert_problem(404);
    }
    // Not in the public list.
    let list = app.get(&appeals_path(), None).await.json();
    assert!(list["items"].as_array().unwrap().is_empty());
    // The author makes it public; the staff assign it.
    let r = app
        .call(
            Method::PATCH,
            &page,
            Some(json!({"public": true})),
            Some(&w.resident),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.json()["public"], true);
    let r = act(
        app,
        &id,
        json!({"action": "assign", "assignee": "Відділ благоустрою"}),
        &w.staff,
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    let list = app.get(&appeals_path(), None).await;
    assert_eq!(list.status, StatusCode::OK);
    let text = String::from_utf8_lossy(&list.body).into_owned();
    let items = list.json()["items"].as_array().unwrap().clone();
    assert_eq!(items.len(), 1);
    assert_eq!(items[0]["id"], id.as_str());
    assert!(items[0]["assignee"].is_null());
    for secret in ["Марія", "maria@example.com", "кв. 7", "Відділ благоустрою"]
    {
        assert!(!text.contains(secret), "{secret} in {text}");
    }
    // Anyone sees the public view: no author, no coordinates, no assignee, no staff names.
    for who in nobody {
        let r = app.get(&page, who).await;
        assert_eq!(r.status, StatusCode::OK);
        let v = r.json();
        assert!(v["author"].is_null());
        assert!(v["latitude"].is_null() && v["longitude"].is_null());
        assert!(v["assignee"].is_null());
        assert_eq!(v["mine"], false);
        assert_eq!(v["location"], "вул. Соборна, 3");
        let body = String::from_utf8_lossy(&r.body).into_owned();
        for secret in [
            "Марія",
            "maria@example.com",
            "кв. 7",
            "Відділ благоустрою",
            "Петренко",
        ] {
            assert!(!body.contains(secret), "{secret} in {body}");
        }
        assert!(
            v["timeline"]
                .as_array()
                .unwrap()
                .iter()
                .all(|e| e["by"].is_null())
        );
        assert_eq!(app.get(&photo, who).await.status, StatusCode::OK);
    }
    // Seeing it is not being its staff or its author: 403 now.
    act(app, &id, json!({"action": "close"}), &w.other_staff)
        .await
        .assert_problem(403);
    act(app, &id, json!({"action": "close"}), &w.resident)
        .await
        .assert_problem(403);
    app.call(
        Method::PATCH,
        &page,
        Some(json!({"public": false})),
        Some(&w.other_resident),
    )
    .await
    .assert_problem(403);
    // The author and staff still see everything.
    let full = app.get(&page, Some(&w.staff)).await.json();
    assert_eq!(full["assignee"], "Відділ благоустрою");
    assert_eq!(full["timeline"][1]["by"], "Олена Петренко");
    // Hidden again: 404 again.
    app.call(
        Method::PATCH,
        &page,
        Some(json!({"public": false})),
        Some(&w.resident),
    )
    .await;
    app.get(&page, Some(&w.other_resident))
        .await
        .assert_problem(404);
    // Unknown ids and files.
    for p in [
        "/api/v1/appeals/00000000000000000000000000000000".to_owned(),
        "/api/v1/appeals/nope".to_owned(),
        format!("{page}/files/00000000000000000000000000000000"),
        format!("{page}/files/..%2F..%2Fetc"),
    ] {
        app.get(&p, Some(&w.staff)).await.assert_problem(404);
    }
}

#[tokio::test]
async fn bad_appeals_name_their_field() {
    let w = world().await;
    let app = &w.app;
    let roads = category_id(app, KHERSON, "Дороги").await;
    let beryslav_roads = category_id(app, BERYSLAV, "Дороги").await;
    let with = |f: &dyn Fn(&mut Value)| {
        let mut v = new_appeal(&roads);
        f(&mut v);
        v
    };
    let cases: Vec<(Value, &str, &str)> = vec![
        (
            with(&|v| {
                v.as_object_mut().unwrap().remove("full_name");
            }),
            "full_name",
            "required",
        ),
        (
            with(&|v| v["full_name"] = json!("  ")),
            "full_name",
            "required",
        ),
        (
            with(&|v| {
                v.as_object_mut().unwrap().remove("address");
            }),
            "address",
            "required",
        ),
        (with(&|v| v["address"] = json!("")), "address", "required"),
        (with(&|v| v["email"] = json!("nope")), "email", "invalid"),
        (
            with(&|v| v["text"] = json!("я".repeat(4001))),
            "text",
            "too_long",
        ),
        (with(&|v| v["kind"] = json!("petition")), "kind", "invalid"),
        (
            with(&|v| v["category_id"] = json!("00000000000000000000000000000000")),
            "category_id",
            "invalid",
        ),
        (
            with(&|v| v["category_id"] = json!("дороги")),
            "category_id",
            "invalid",
        ),
        (
            with(&|v| v["category_id"] = json!(beryslav_roads)),
            "category_id",
            "invalid",
        ),
        (
            with(&|v| v["latitude"] = json!(200.0)),
            "location",
            "invalid",
        ),
        (with(&|v| v["subject"] = json!(5)), "subject", "invalid"),
    ];
    for (body, field, code) in cases {
        let r = post(app, &appeals_path(), body.clone(), &w.resident).await;
        r.assert_problem(422);
        assert!(
            r.field_errors()
                .contains(&(field.to_owned(), code.to_owned())),
            "{field} {code}: {:?}",
            r.field_errors()
        );
        // The same inside a multipart body.
        let r = post_multipart(
            app,
            &appeals_path(),
            &w.resident,
            &[json_part("appeal", &body)],
            None,
        )
        .await;
        r.assert_problem(422);
        assert!(
            r.field_errors()
                .contains(&(field.to_owned(), code.to_owned()))
        );
    }
    // Text of exactly 4,000 characters is fine.
    create(
        app,
        with(&|v| v["text"] = json!("я".repeat(4000))),
        &w.resident,
    )
    .await;
    let good = new_appeal(&roads);
    // A sixth photo.
    let mut parts = vec![json_part("appeal", &good)];
    for _ in 0..6 {
        parts.push(file_part("photos", "p.jpg", "image/jpeg", jpeg(64, 48)));
    }
    let r = post_multipart(app, &appeals_path(), &w.resident, &parts, None).await;
    r.assert_problem(422);
    assert_eq!(r.field_errors(), vec![("photos".into(), "too_many".into())]);
    // A PDF renamed .jpg, sent as image/jpeg.
    let r = post_multipart(
        app,
        &appeals_path(),
        &w.resident,
        &[
            json_part("appeal", &good),
            file_part(
                "photos",
                "photo.jpg",
                "image/jpeg",
                b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer\n%%EOF".to_vec(),
            ),
        ],
        None,
    )
    .await;
    r.assert_problem(415);
    assert_eq!(
        r.field_errors(),
        vec![("photos".into(), "not_an_image".into())]
    );
    // A broken image with the right magic bytes.
    let r = post_multipart(
        app,
        &appeals_path(),
        &w.resident,
        &[
            json_part("appeal", &good),
            file_part(
                "photos",
                "p.png",
                "image/png",
                b"\x89PNG\r\n\x1a\nbroken".to_vec(),
            ),
        ],
        None,
    )
    .await;
    r.assert_problem(422);
    assert_eq!(
        r.field_errors(),
        vec![("photos".into(), "not_an_image".into())]
    );
    // A 20 MB image: 413 naming the photos, streamed or declared.
    let mut big = jpeg(64, 48);
    big.resize(20 * 1024 * 1024, 0);
    let body = multipart(&[
        json_part("appeal", &good),
        file_part("photos", "big.jpg", "image/jpeg", big),
    ]);
    let ct = format!("multipart/form-data; boundary={BOUNDARY}");
    for length in [Some(body.len()), None] {
        let r = send_body(
            app,
            &appeals_path(),
            &w.resident,
            &ct,
            Body::from(body.clone()),
            length,
            None,
        )
        .await;
        r.assert_problem(413);
        assert_eq!(
            r.field_errors(),
            vec![("photos".into(), "too_large".into())]
        );
    }
    // Over the whole body limit, declared: 413 naming the photos too.
    let r = send_body(
        app,
        &appeals_path(),
        &w.resident,
        &ct,
        Body::from(vec![0u8; 16]),
        Some(60 * 1024 * 1024),
        None,
    )
    .await;
    r.assert_problem(413);
    assert_eq!(
        r.field_errors(),
        vec![("photos".into(), "too_large".into())]
    );
    // No appeal part; wrong media type; malformed JSON.
    let r = post_multipart(
        app,
        &appeals_path(),
        &w.resident,
        &[file_part("photos", "p.jpg", "image/jpeg", jpeg(64, 48))],
        None,
    )
    .await;
    r.assert_problem(422);
    assert_eq!(r.field_errors(), vec![("appeal".into(), "required".into())]);
    send_body(
        app,
        &appeals_path(),
        &w.resident,
        "text/plain",
        Body::from("hello"),
        Some(5),
        None,
    )
    .await
    .assert_problem(415);
    send_body(
        app,
        &appeals_path(),
        &w.resident,
        "application/json",
        Body::from("{\"kind\": "),
        Some(9),
        None,
    )
    .await
    .assert_problem(400);
    // Another hromada's code that does not exist.
    post(
        app,
        "/api/v1/hromadas/UA00000000000000000/appeals",
        good.clone(),
        &w.resident,
    )
    .await
    .assert_problem(404);
    // Nothing was registered but the one good appeal, and no file is left.
    assert_eq!(appeal_count(app).await, 1);
    assert!(media_files(&app.media_dir()).is_empty());
}

#[tokio::test]
async fn an_upload_that_breaks_off_leaves_nothing() {
    let w = world().await;
    let app = &w.app;
    let roads = category_id(app, KHERSON, "Дороги").await;
    let body = multipart(&[
        json_part("appeal", &new_appeal(&roads)),
        file_part("photos", "a.jpg", "image/jpeg", jpeg(800, 600)),
        file_part("photos", "b.jpg", "image/jpeg", jpeg(800, 600)),
    ]);
    let ct = format!("multipart/form-data; boundary={BOUNDARY}");
    // Cut in the middle of the second photo.
    let cut = body.len() - 20_000;
    let r = send_body(
        app,
        &appeals_path(),
        &w.resident,
        &ct,
        Body::from(body[..cut].to_vec()),
        Some(cut),
        None,
    )
    .await;
    assert!(r.status.is_client_error(), "{}", r.status);
    r.assert_problem(r.status.as_u16());
    // A stream that fails halfway (the connection dropped).
    let first = body[..cut].to_vec();
    let stream = futures_util_stream(first);
    let r = send_body(
        app,
        &appeals_path(),
        &w.resident,
        &ct,
        Body::from_stream(stream),
        None,
        None,
    )
    .await;
    assert!(r.status.is_client_error(), "{}", r.status);
    assert_eq!(appeal_count(app).await, 0);
    assert!(media_files(&app.media_dir()).is_empty());
    // The full body works.
    let n = body.len();
    let r = send_body(
        app,
        &appeals_path(),
        &w.resident,
        &ct,
        Body::from(body),
        Some(n),
        None,
    )
    .await;
    assert_eq!(r.status, StatusCode::CREATED);
    assert_eq!(media_files(&app.media_dir()).len(), 4);
}

/// A body stream that yields `data` and then fails.
fn futures_util_stream(
    data: Vec<u8>,
) -> impl tokio_stream::Stream<Item = Result<Vec<u8>, std::io::Error>> + Send + 'static {
    tokio_stream::iter(vec![
        Ok(data),
        Err(std::io::Error::new(
            std::io::ErrorKind::ConnectionReset,
            "client went away",
        )),
    ])
}

async fn pdf_and_image_answer(app: &TestApp, id: &str, session: &str) -> Resp {
    post_multipart(
        app,
        &format!("/api/v1/appeals/{id}/answer"),
        session,
        &[
            json_part(
                "answer",
                &json!({"text": "Яму відремонтовано 12 червня.\nДякуємо за звернення."}),
            ),
            file_part(
                "files",
                "Відповідь № 15.pdf",
                "application/pdf",
                b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n".to_vec(),
            ),
            file_part("files", "after.png", "image/png", png(900, 600)),
        ],
        Some("answer-1"),
    )
    .await
}

#[tokio::test]
async fn staff_steps_follow_the_law_and_the_timeline_records_them() {
    let w = world().await;
    let app = &w.app;
    let roads = category_id(app, KHERSON, "Дороги").await;
    let a = create(app, new_appeal(&roads), &w.resident).await;
    let id = id_of(&a);
    let reg = clock::parse_rfc3339(a["registered_at"].as_str().unwrap()).unwrap();
    // Assign.
    let r = act(
        app,
        &id,
        json!({"action": "assign", "assignee": "Служба автомобільних доріг"}),
        &w.staff,
    )
    .await;
    assert_eq!(
        r.status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&r.body)
    );
    assert_eq!(r.json()["status"], "in_progress");
    assert_eq!(r.json()["assignee"], "Служба автомобільних доріг");
    // Extend: to 46 refused, to 45 fine, then nothing longer and not back.
    let r = act(
        app,
        &id,
        json!({"action": "extend", "term_days": 46, "reason": "Потрібне обстеження"}),
        &w.staff,
    )
    .await;
    r.assert_problem(422);
    assert!(
        r.field_errors()
            .contains(&("term_days".into(), "invalid".into()))
    );
    let r = act(
        app,
        &id,
        json!({"action": "extend", "term_days": 45, "reason": "Потрібне обстеження дороги"}),
        &w.staff,
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    let v = r.json();
    assert_eq!(v["term_days"], 45);
    assert_eq!(
        clock::parse_rfc3339(v["due_at"].as_str().unwrap()).unwrap(),
        reg + 45 * DAY
    );
    let r = act(
        app,
        &id,
        json!({"action": "extend", "term_days": 40, "reason": "Ще раз"}),
        &w.staff,
    )
    .await;
    r.assert_problem(422);
    assert_eq!(r.field_errors()[0].0, "term_days");
    // No further study only from the ordinary term.
    let r = act(app, &id, json!({"action": "no_further_study"}), &w.staff).await;
    let p = r.assert_problem(409);
    assert!(p["detail"].as_str().unwrap().contains("30-day"));
    // Close before the answer: refused.
    act(app, &id, json!({"action": "close"}), &w.staff)
        .await
        .assert_problem(409);
    // Bad steps.
    for bad in [
        json!({"action": "assign", "assignee": ""}),
        json!({"action": "return", "reason": ""}),
        json!({"action": "fly"}),
        json!({"assignee": "x"}),
    ] {
        act(app, &id, bad, &w.staff).await.assert_problem(422);
    }
    // Answer with a PDF and an image (idempotent), then close.
    let r = pdf_and_image_answer(app, &id, &w.staff).await;
    assert_eq!(
        r.status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&r.body)
    );
    let again = pdf_and_image_answer(app, &id, &w.staff).await;
    assert_eq!(again.status, StatusCode::OK);
    let v = r.json();
    assert_eq!(v["status"], "answered");
    let answered = v["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["step"]["type"] == "answered")
        .unwrap()
        .clone();
    assert_eq!(
        answered["step"]["text"],
        "Яму відремонтовано 12 червня.\nДякуємо за звернення."
    );
    let files = answered["step"]["files"].as_array().unwrap();
    assert_eq!(files.len(), 2);
    assert_eq!(files[0]["media_type"], "application/pdf");
    assert_eq!(files[0]["name"], "Відповідь № 15.pdf");
    assert!(files[0]["thumbnail_url"].is_null());
    assert_eq!(files[1]["media_type"], "image/jpeg");
    let pdf = app
        .get(files[0]["url"].as_str().unwrap(), Some(&w.resident))
        .await;
    assert_eq!(pdf.status, StatusCode::OK);
    assert_eq!(pdf.content_type(), "application/pdf");
    assert!(pdf.body.starts_with(b"%PDF-"));
    let cd = pdf.headers[header::CONTENT_DISPOSITION].to_str().unwrap();
    assert!(cd.starts_with("attachment; filename*=UTF-8''"), "{cd}");
    assert!(cd.contains("%D0%92%D1%96%D0%B4"), "{cd}");
    app.get(
        &format!("{}/thumbnail", files[0]["url"].as_str().unwrap()),
        Some(&w.resident),
    )
    .await
    .assert_problem(404);
    let img = app
        .get(
            files[1]["thumbnail_url"].as_str().unwrap(),
            Some(&w.resident),
        )
        .await;
    assert_eq!(img.status, StatusCode::OK);
    assert_eq!(image::load_from_memory(&img.body).unwrap().width(), 320);
    app.get(files[0]["url"].as_str().unwrap(), Some(&w.other_resident))
        .await
        .assert_problem(404);
    // Answered: no more steps but closing.
    act(
        app,
        &id,
        json!({"action": "assign", "assignee": "Інший відділ"}),
        &w.staff,
    )
    .await
    .assert_problem(409);
    let r = act(app, &id, json!({"action": "close"}), &w.staff).await;
    assert_eq!(r.status, StatusCode::OK);
    let v = r.json();
    assert_eq!(v["status"], "closed");
    let types: Vec<&str> = v["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["step"]["type"].as_str().unwrap())
        .collect();
    assert_eq!(
        types,
        ["registered", "assigned", "extended", "answered", "closed"]
    );
    let tl = v["timeline"].as_array().unwrap();
    assert!(tl[0]["by"].is_null());
    assert!(tl[1..].iter().all(|e| e["by"] == "Олена Петренко"));
    assert!(
        tl.windows(2)
            .all(|p| p[0]["at"].as_str().unwrap() < p[1]["at"].as_str().unwrap())
    );
    assert_eq!(tl[2]["step"]["reason"], "Потрібне обстеження дороги");
    assert_eq!(tl[2]["step"]["due_at"], v["due_at"]);
    act(app, &id, json!({"action": "close"}), &w.staff)
        .await
        .assert_problem(409);

    // No further study, on a fresh appeal: the term becomes 15 days.
    let b = create(app, new_appeal(&roads), &w.resident).await;
    let bid = id_of(&b);
    let r = act(app, &bid, json!({"action": "no_further_study"}), &w.staff).await;
    assert_eq!(r.status, StatusCode::OK);
    let breg = clock::parse_rfc3339(b["registered_at"].as_str().unwrap()).unwrap();
    assert_eq!(r.json()["term_days"], 15);
    assert_eq!(
        clock::parse_rfc3339(r.json()["due_at"].as_str().unwrap()).unwrap(),
        breg + 15 * DAY
    );
    assert_eq!(r.json()["timeline"][1]["step"]["type"], "no_further_study");

    // Return within 10 days, forward within 5.
    let c = create(app, new_appeal(&roads), &w.resident).await;
    let cid = id_of(&c);
    age(app, &cid, 6).await;
    let p = act(
        app,
        &cid,
        json!({"action": "forward", "to": "Держгеокадастр", "reason": "Земельне питання"}),
        &w.staff,
    )
    .await
    .assert_problem(409);
    assert!(p["detail"].as_str().unwrap().contains("5 days"));
    age(app, &cid, 5).await;
    let p = act(
        app,
        &cid,
        json!({"action": "return", "reason": "Не вказано адресу"}),
        &w.staff,
    )
    .await
    .assert_problem(409);
    assert!(p["detail"].as_str().unwrap().contains("10 days"));
    let d = create(app, new_appeal(&roads), &w.resident).await;
    let did = id_of(&d);
    age(app, &did, 4).await;
    let r = act(
        app,
        &did,
        json!({"action": "forward", "to": "Держгеокадастр", "reason": "Земельне питання"}),
        &w.staff,
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.json()["status"], "forwarded");
    assert_eq!(r.json()["timeline"][1]["step"]["to"], "Держгеокадастр");
    let e = create(app, new_appeal(&roads), &w.resident).await;
    let eid = id_of(&e);
    age(app, &eid, 9).await;
    let r = act(
        app,
        &eid,
        json!({"action": "return", "reason": "Не вказано адресу"}),
        &w.staff,
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.json()["status"], "returned");
    // Final statuses take no more steps.
    act(
        app,
        &eid,
        json!({"action": "extend", "term_days": 40, "reason": "x"}),
        &w.staff,
    )
    .await
    .assert_problem(409);
    post(
        app,
        &format!("/api/v1/appeals/{eid}/answer"),
        json!({"text": "Відповідь"}),
        &w.staff,
    )
    .await
    .assert_problem(409);
    // Bad answer files.
    let f = create(app, new_appeal(&roads), &w.resident).await;
    let fid = id_of(&f);
    let answer_path = format!("/api/v1/appeals/{fid}/answer");
    let r = post_multipart(
        app,
        &answer_path,
        &w.staff,
        &[
            json_part("answer", &json!({"text": "Відповідь"})),
            file_part(
                "files",
                "a.docx",
                "application/pdf",
                b"PK\x03\x04 zip".to_vec(),
            ),
        ],
        None,
    )
    .await;
    r.assert_problem(415);
    assert_eq!(
        r.field_errors(),
        vec![("files".into(), "not_a_file".into())]
    );
    let mut parts = vec![json_part("answer", &json!({"text": "Відповідь"}))];
    for _ in 0..6 {
        parts.push(file_part(
            "files",
            "a.pdf",
            "application/pdf",
            b"%PDF-1.4".to_vec(),
        ));
    }
    let r = post_multipart(app, &answer_path, &w.staff, &parts, None).await;
    r.assert_problem(422);
    assert_eq!(r.field_errors(), vec![("files".into(), "too_many".into())]);
    let mut big = b"%PDF-1.4\n".to_vec();
    big.resize(11 * 1024 * 1024, b' ');
    let r = post_multipart(
        app,
        &answer_path,
        &w.staff,
        &[
            json_part("answer", &json!({"text": "Відповідь"})),
            file_part("files", "big.pdf", "application/pdf", big),
        ],
        None,
    )
    .await;
    r.assert_problem(413);
    assert_eq!(r.field_errors(), vec![("files".into(), "too_large".into())]);
    let r = post(app, &answer_path, json!({"text": ""}), &w.staff).await;
    r.assert_problem(422);
    assert_eq!(r.field_errors(), vec![("text".into(), "required".into())]);
    // Residents and other staff may not answer.
    post(app, &answer_path, json!({"text": "Відповідь"}), &w.resident)
        .await
        .assert_problem(403);
    post(
        app,
        &answer_path,
        json!({"text": "Відповідь"}),
        &w.other_staff,
    )
    .await
    .assert_problem(404);
}

#[tokio::test]
async fn the_author_rates_the_answer() {
    let w = world().await;
    let app = &w.app;
    let roads = category_id(app, KHERSON, "Дороги").await;
    let a = create(app, new_appeal(&roads), &w.resident).await;
    let id = id_of(&a);
    let path = format!("/api/v1/appeals/{id}/rating");
    let rate = |body: Value, s: &str| {
        let s = s.to_owned();
        let path = path.clone();
        async move { app.call(Method::PUT, &path, Some(body), Some(&s)).await }
    };
    rate(json!({"stars": 5}), &w.resident)
        .await
        .assert_problem(409);
    let r = post(
        app,
        &format!("/api/v1/appeals/{id}/answer"),
        json!({"text": "Питання вирішено."}),
        &w.staff,
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    for stars in [0, 6] {
        let r = rate(json!({"stars": stars}), &w.resident).await;
        r.assert_problem(422);
        assert_eq!(r.field_errors(), vec![("stars".into(), "invalid".into())]);
    }
    rate(json!({"stars": 5}), &w.staff)
        .await
        .assert_problem(403);
    rate(json!({"stars": 5}), &w.other_resident)
        .await
        .assert_problem(404);
    let r = rate(json!({"stars": 5, "comment": "Дякую!"}), &w.resident).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.json()["rating"]["stars"], 5);
    assert_eq!(r.json()["rating"]["comment"], "Дякую!");
    let r = rate(json!({"stars": 3}), &w.resident).await;
    assert_eq!(r.json()["rating"]["stars"], 3);
    assert!(r.json()["rating"]["comment"].is_null());
    let n: i64 = sqlx::query("SELECT COUNT(*) AS n FROM appeal_ratings")
        .fetch_one(app.db.pool())
        .await
        .unwrap()
        .try_get("n")
        .unwrap();
    assert_eq!(n, 1);
    // Still after closing.
    act(app, &id, json!({"action": "close"}), &w.staff).await;
    let r = rate(json!({"stars": 4}), &w.resident).await;
    assert_eq!(r.status, StatusCode::OK);
    // Staff see the rating.
    let s = app
        .get(&format!("/api/v1/appeals/{id}"), Some(&w.staff))
        .await;
    assert_eq!(s.json()["rating"]["stars"], 4);
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
async fn every_step_notifies_the_author_live_and_in_the_list() {
    let w = world().await;
    let app = &w.app;
    let roads = category_id(app, KHERSON, "Дороги").await;
    let a = create(app, new_appeal(&roads), &w.resident).await;
    let id = id_of(&a);
    // The author's stream (of any hromada) and an anonymous stream of this one.
    let mut mine = stream(app, BERYSLAV, Some(&w.resident)).await;
    let mut anon = stream(app, KHERSON, None).await;
    let mut neighbour = stream(app, KHERSON, Some(&w.other_resident)).await;
    let started = std::time::Instant::now();
    let r = act(
        app,
        &id,
        json!({"action": "assign", "assignee": "Відділ благоустрою"}),
        &w.staff,
    )
    .await;
    assert_eq!(r.status, StatusCode::OK);
    // Events reach streams through the database (every process's), so the notification of
    // the registration, published just before the stream opened, may come first.
    let got = read_until(&mut mine, "appeal_assigned", Duration::from_secs(1)).await;
    assert!(started.elapsed() < Duration::from_secs(1));
    assert!(got.contains(&id), "{got}");
    assert!(got.contains("appeal_assigned"), "{got}");
    assert!(got.contains("Яма на вулиці Соборній"), "{got}");
    for s in [&mut anon, &mut neighbour] {
        let nothing = tokio::time::timeout(Duration::from_millis(300), s.frame()).await;
        assert!(nothing.is_err(), "{nothing:?}");
    }
    // The list: newest first, with the unread count.
    let n = app
        .get("/api/v1/me/notifications", Some(&w.resident))
        .await
        .json();
    assert_eq!(n["unread"], 2);
    let items = n["items"].as_array().unwrap();
    let kinds: Vec<&str> = items.iter().map(|i| i["kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["appeal_assigned", "appeal_registered"]);
    assert_eq!(items[0]["appeal"]["id"], id.as_str());
    assert_eq!(items[0]["appeal"]["number"], a["number"]);
    assert_eq!(items[0]["read"], false);
    // More steps, more notifications.
    act(
        app,
        &id,
        json!({"action": "extend", "term_days": 40, "reason": "Потрібен час"}),
        &w.staff,
    )
    .await;
    read_until(&mut mine, "appeal_extended", Duration::from_secs(1)).await;
    post(
        app,
        &format!("/api/v1/appeals/{id}/answer"),
        json!({"text": "Відповідь"}),
        &w.staff,
    )
    .await;
    read_until(&mut mine, "appeal_answered", Duration::from_secs(1)).await;
    act(app, &id, json!({"action": "close"}), &w.staff).await;
    read_until(&mut mine, "appeal_closed", Duration::from_secs(1)).await;
    let n = app
        .get("/api/v1/me/notifications?limit=2", Some(&w.resident))
        .await
        .json();
    assert_eq!(n["unread"], 5);
    assert_eq!(n["items"].as_array().unwrap().len(), 2);
    let c = n["next_cursor"].as_str().unwrap();
    let rest = app
        .get(
            &format!("/api/v1/me/notifications?limit=10&cursor={c}"),
            Some(&w.resident),
        )
        .await
        .json();
    assert_eq!(rest["items"].as_array().unwrap().len(), 3);
    assert!(rest["next_cursor"].is_null());
    // Mark one read: own only.
    let first = n["items"][0]["id"].as_str().unwrap();
    let path = format!("/api/v1/me/notifications/{first}/read");
    app.call(Method::POST, &path, None, Some(&w.other_resident))
        .await
        .assert_problem(404);
    app.call(Method::POST, &path, None, Some(&w.staff))
        .await
        .assert_problem(404);
    let r = app.call(Method::POST, &path, None, Some(&w.resident)).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    let r = app.call(Method::POST, &path, None, Some(&w.resident)).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    let n = app
        .get("/api/v1/me/notifications", Some(&w.resident))
        .await
        .json();
    assert_eq!(n["unread"], 4);
    assert_eq!(n["items"][0]["read"], true);
    // Read all.
    let r = app
        .call(
            Method::POST,
            "/api/v1/me/notifications/read-all",
            None,
            Some(&w.resident),
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    let n = app
        .get("/api/v1/me/notifications", Some(&w.resident))
        .await
        .json();
    assert_eq!(n["unread"], 0);
    // Others have none; bad ids and cursors.
    let other = app
        .get("/api/v1/me/notifications", Some(&w.other_resident))
        .await
        .json();
    assert_eq!(other["unread"], 0);
    assert!(other["items"].as_array().unwrap().is_empty());
    for p in [
        "/api/v1/me/notifications/nope/read",
        "/api/v1/me/notifications/00000000000000000000000000000000/read",
    ] {
        app.call(Method::POST, p, None, Some(&w.resident))
            .await
            .assert_problem(404);
    }
    app.get("/api/v1/me/notifications?cursor=zzz", Some(&w.resident))
        .await
        .assert_problem(400);
    app.get("/api/v1/me/notifications", None)
        .await
        .assert_problem(401);
}

#[tokio::test]
async fn the_inbox_puts_the_nearest_deadline_first_and_counts() {
    let w = world().await;
    let app = &w.app;
    let roads = category_id(app, KHERSON, "Дороги").await;
    let water = category_id(app, KHERSON, "Водопостачання").await;
    let mk = |cat: &str, kind: &str, subject: &str| {
        let mut v = new_appeal(cat);
        v["kind"] = json!(kind);
        v["subject"] = json!(subject);
        v
    };
    let fresh = id_of(&create(app, mk(&roads, "complaint", "Свіже"), &w.resident).await);
    let overdue = id_of(&create(app, mk(&water, "application", "Прострочене"), &w.resident).await);
    let soon = id_of(&create(app, mk(&roads, "proposal", "Скоро строк"), &w.resident).await);
    let done = id_of(&create(app, mk(&roads, "complaint", "Відповіли"), &w.resident).await);
    let middle = id_of(&create(app, mk(&water, "complaint", "Посередині"), &w.resident).await);
    age(app, &overdue, 35).await;
    age(app, &soon, 28).await;
    age(app, &middle, 10).await;
    act(
        app,
        &overdue,
        json!({"action": "assign", "assignee": "КП «Херсонводоканал»"}),
        &w.staff,
    )
    .await;
    act(
        app,
        &middle,
        json!({"action": "assign", "assignee": "Відділ благоустрою"}),
        &w.staff,
    )
    .await;
    post(
        app,
        &format!("/api/v1/appeals/{done}/answer"),
        json!({"text": "Відповідь"}),
        &w.staff,
    )
    .await;
    let inbox = |q: &str| {
        let path = format!("{}/inbox{q}", appeals_path());
        let s = w.staff.clone();
        async move { app.get(&path, Some(&s)).await }
    };
    let ids = |v: &Value| -> Vec<String> {
        v["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["id"].as_str().unwrap().to_owned())
            .collect()
    };
    let r = inbox("").await;
    assert_eq!(
        r.status,
        StatusCode::OK,
        "{}",
        String::from_utf8_lossy(&r.body)
    );
    let v = r.json();
    assert_eq!(
        ids(&v),
        vec![
            overdue.clone(),
            soon.clone(),
            middle.clone(),
            fresh.clone(),
            done.clone()
        ]
    );
    assert_eq!(v["overdue"], 1);
    assert_eq!(v["due_soon"], 1);
    assert_eq!(
        v["assignees"],
        json!(["Відділ благоустрою", "КП «Херсонводоканал»"])
    );
    assert_eq!(v["items"][0]["assignee"], "КП «Херсонводоканал»");
    // Pages of two walk the same order.
    let mut seen = vec![];
    let mut cursor: Option<String> = None;
    loop {
        let q = match &cursor {
            Some(c) => format!("?limit=2&cursor={c}"),
            None => "?limit=2".to_owned(),
        };
        let v = inbox(&q).await.json();
        seen.extend(ids(&v));
        match v["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_owned()),
            None => break,
        }
    }
    assert_eq!(seen, ids(&inbox("").await.json()));
    // Filters; the counts stay those of the whole hromada.
    let v = inbox("?status=open").await.json();
    assert_eq!(ids(&v).len(), 4);
    assert!(!ids(&v).contains(&done));
    let v = inbox("?status=answered").await.json();
    assert_eq!(ids(&v), vec![done.clone()]);
    assert_eq!(v["overdue"], 1);
    let v = inbox(&format!("?category={water}")).await.json();
    assert_eq!(ids(&v), vec![overdue.clone(), middle.clone()]);
    let v = inbox("?kind=proposal").await.json();
    assert_eq!(ids(&v), vec![soon.clone()]);
    let v = inbox("?assignee=%D0%92%D1%96%D0%B4%D0%B4%D1%96%D0%BB%20%D0%B1%D0%BB%D0%B0%D0%B3%D0%BE%D1%83%D1%81%D1%82%D1%80%D0%BE%D1%8E").await.json();
    assert_eq!(ids(&v), vec![middle.clone()]);
    let v = inbox("?status=in_progress&category=".to_owned().as_str())
        .await
        .json();
    assert_eq!(ids(&v), vec![overdue.clone(), middle.clone()]);
    for bad in [
        "?status=lost",
        "?kind=petition",
        "?category=x",
        "?cursor=zzz",
        "?limit=0",
    ] {
        inbox(bad).await.assert_problem(400);
    }
    // Only its staff.
    let path = format!("{}/inbox", appeals_path());
    app.get(&path, Some(&w.resident)).await.assert_problem(403);
    app.get(&path, Some(&w.other_staff))
        .await
        .assert_problem(403);
    app.get(&path, None).await.assert_problem(401);
    app.get(
        "/api/v1/hromadas/UA00000000000000000/appeals/inbox",
        Some(&w.staff),
    )
    .await
    .assert_problem(404);
    // The public list filters too.
    app.call(
        Method::PATCH,
        &format!("/api/v1/appeals/{middle}"),
        Some(json!({"public": true})),
        Some(&w.resident),
    )
    .await;
    let v = app
        .get(
            &format!("{}?category={water}&status=in_progress", appeals_path()),
            None,
        )
        .await
        .json();
    assert_eq!(ids(&v), vec![middle.clone()]);
    let v = app
        .get(&format!("{}?category={roads}", appeals_path()), None)
        .await
        .json();
    assert!(ids(&v).is_empty());
    app.get(&format!("{}?status=lost", appeals_path()), None)
        .await
        .assert_problem(400);
}

#[tokio::test]
async fn the_demo_resident_has_appeals_in_every_status() {
    let app = demo_app().await;
    let resident = app.demo_session("resident@demo.example").await;
    let mine = app
        .get("/api/v1/me/appeals?limit=100", Some(&resident))
        .await
        .json();
    let items = mine["items"].as_array().unwrap();
    let statuses: std::collections::HashSet<&str> = items
        .iter()
        .map(|i| i["status"].as_str().unwrap())
        .collect();
    for s in [
        "registered",
        "in_progress",
        "forwarded",
        "returned",
        "answered",
        "closed",
    ] {
        assert!(statuses.contains(s), "{s}: {statuses:?}");
    }
    assert!(items.iter().any(|i| i["term_days"] == 15));
    assert!(items.iter().any(|i| i["term_days"] == 45));
    let now = clock::now_rfc3339();
    assert!(
        items
            .iter()
            .any(|i| i["status"] == "in_progress" && i["due_at"].as_str().unwrap() < now.as_str())
    );
    assert_eq!(items.iter().filter(|i| i["public"] == true).count(), 2);
    // Numbers follow registration order.
    let mut by_time: Vec<(String, String)> = items
        .iter()
        .map(|i| {
            (
                i["registered_at"].as_str().unwrap().to_owned(),
                i["number"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    by_time.sort();
    assert!(by_time.windows(2).all(|p| p[0].1 < p[1].1), "{by_time:?}");
    // The closed one is rated 4 with a comment; the answered one is not rated yet.
    let closed = items.iter().find(|i| i["status"] == "closed").unwrap();
    let full = app
        .get(
            &format!("/api/v1/appeals/{}", closed["id"].as_str().unwrap()),
            Some(&resident),
        )
        .await
        .json();
    assert_eq!(full["rating"]["stars"], 4);
    assert!(full["rating"]["comment"].is_string());
    assert_eq!(full["timeline"].as_array().unwrap().len(), 4);
    assert_eq!(full["timeline"][1]["by"], "Ірина Бондаренко");
    // Notifications, some read and some not.
    let n = app
        .get("/api/v1/me/notifications?limit=100", Some(&resident))
        .await
        .json();
    let all = n["items"].as_array().unwrap();
    assert!(n["unread"].as_u64().unwrap() > 0);
    assert!((n["unread"].as_u64().unwrap() as usize) < all.len());
    // The public list has content; the demo photo is served.
    let public = app
        .get(&format!("{}?limit=100", appeals_path()), None)
        .await
        .json();
    assert!(public["items"].as_array().unwrap().len() >= 4);
    let with_photo = items
        .iter()
        .find(|i| i["public"] == true && i["status"] == "in_progress");
    assert!(with_photo.is_some());
    let staff = app.demo_session("staff@demo.example").await;
    let inbox = app
        .get(&format!("{}/inbox?limit=100", appeals_path()), Some(&staff))
        .await
        .json();
    assert!(inbox["overdue"].as_u64().unwrap() >= 1);
    // Loading the demo again adds nothing.
    let before = appeal_count(&app).await;
    hromada_server::demo::load(&app.db, &app.media_dir())
        .await
        .unwrap();
    assert_eq!(appeal_count(&app).await, before);
}

#[tokio::test]
async fn a_person_may_send_twenty_appeals_a_day() {
    let w = world().await;
    let app = &w.app;
    let roads = category_id(app, KHERSON, "Дороги").await;
    for _ in 0..20 {
        create(app, new_appeal(&roads), &w.resident).await;
    }
    let r = post(app, &appeals_path(), new_appeal(&roads), &w.resident).await;
    r.assert_problem(429);
    let wait: u64 = r.headers[header::RETRY_AFTER]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=86_400).contains(&wait), "{wait}");
    // Others are not held back.
    create(app, new_appeal(&roads), &w.other_resident).await;
}
