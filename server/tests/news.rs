//! News, alerts, images and live events of a hromada (issue 3).

mod common;

use std::time::Duration;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use common::*;
use hromada_server::domain::clock;
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tower::ServiceExt;

struct World {
    app: TestApp,
    /// Staff of Херсонська.
    staff: String,
    /// Staff of Бериславська.
    other_staff: String,
    resident: String,
}

async fn world() -> World {
    let app = app().await;
    let (staff, other_staff) = staff_of_both(&app).await;
    let (_, resident) = app.register("resident@k.example", KHERSON).await;
    World {
        app,
        staff,
        other_staff,
        resident,
    }
}

fn draft(title: &str, category: &str, publish: &str) -> Value {
    json!({
        "title": title,
        "summary": "",
        "category": category,
        "body": format!("Перший абзац новини «{title}».\n\n## Деталі\n\n- пункт один\n- пункт два\n"),
        "publish": publish,
    })
}

fn news_path() -> String {
    format!("/api/v1/hromadas/{KHERSON}/news")
}

async fn post(app: &TestApp, path: &str, body: Value, session: &str) -> Resp {
    app.call(Method::POST, path, Some(body), Some(session))
        .await
}

async fn create(app: &TestApp, body: Value, session: &str) -> Value {
    let r = post(app, &news_path(), body, session).await;
    assert_eq!(
        r.status,
        StatusCode::CREATED,
        "{}",
        String::from_utf8_lossy(&r.body)
    );
    r.json()
}

fn ids(r: &Resp) -> Vec<String> {
    r.json()["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap().to_owned())
        .collect()
}

fn in_future(ms: i64) -> String {
    clock::rfc3339(clock::now_millis() + ms)
}

#[tokio::test]
async fn feed_pages_newest_first_with_filters_and_search() {
    let w = world().await;
    let app = &w.app;
    let mut made = vec![];
    for i in 0..25 {
        let cat = if i % 5 == 0 { "transport" } else { "official" };
        let title = if i == 7 {
            "Ремонт ТРОЛЕЙБУСНОЇ лінії на Перекопській".to_owned()
        } else {
            format!("Новина номер {i}")
        };
        made.push(
            create(app, draft(&title, cat, "now"), &w.staff).await["id"]
                .as_str()
                .unwrap()
                .to_owned(),
        );
    }
    // Newest first, through cursor pages, each item once.
    let mut seen = vec![];
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(c) => format!("{}?limit=10&cursor={c}", news_path()),
            None => format!("{}?limit=10", news_path()),
        };
        let r = app.get(&path, None).await;
        assert_eq!(r.status, StatusCode::OK);
        for i in r.json()["items"].as_array().unwrap() {
            seen.push((
                i["published_at"].as_str().unwrap().to_owned(),
                i["id"].as_str().unwrap().to_owned(),
            ));
        }
        match r.json()["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_owned()),
            None => break,
        }
    }
    assert!(seen.windows(2).all(|p| p[0] > p[1]), "{seen:?}");
    let mut got: Vec<String> = seen.into_iter().map(|(_, id)| id).collect();
    got.sort();
    made.sort();
    assert_eq!(got, made);
    // Category filter.
    let r = app
        .get(&format!("{}?category=transport", news_path()), None)
        .await;
    let items = r.json()["items"].as_array().unwrap().clone();
    assert_eq!(items.len(), 5);
    assert!(items.iter().all(|i| i["category"] == "transport"));
    // Search in title and text, any case, Cyrillic included.
    for q in ["тролейбусної", "ПЕРЕКОПСЬК", "%D1%82%D1%80%D0%BE%D0%BB"] {
        let r = app.get(&format!("{}?q={q}", news_path()), None).await;
        assert_eq!(ids(&r).len(), 1, "{q}");
    }
    let r = app
        .get(&format!("{}?q=пункт%20два", news_path()), None)
        .await;
    assert_eq!(ids(&r).len(), 20);
    // Summary derived from the first paragraph; cover absent.
    let first = &app.get(&news_path(), None).await.json()["items"][0];
    assert!(
        first["summary"]
            .as_str()
            .unwrap()
            .starts_with("Перший абзац")
    );
    assert!(first["cover"].is_null());
    assert_eq!(first["status"], "published");
    // Bad parameters.
    for bad in ["category=gossip", "limit=0", "cursor=zzz", "status=secret"] {
        let r = app.get(&format!("{}?{bad}", news_path()), None).await;
        let p = r.assert_problem(400);
        assert!(!p["errors"].as_array().unwrap().is_empty(), "{bad}");
    }
    let r = app
        .get(&format!("{}?category=gossip", news_path()), None)
        .await;
    assert_eq!(
        r.field_errors(),
        vec![("category".into(), "invalid".into())]
    );
    app.get("/api/v1/hromadas/UA00000000000000000/news", None)
        .await
        .assert_problem(404);
}

#[tokio::test]
async fn drafts_and_scheduled_items_are_for_own_staff_only() {
    let w = world().await;
    let app = &w.app;
    let d = create(app, draft("Чернетка", "official", "draft"), &w.staff).await;
    assert_eq!(d["status"], "draft");
    assert!(d["published_at"].is_null());
    assert!(d["body_source"].as_str().unwrap().contains("## Деталі"));
    let mut sched = draft("Заплановано", "culture", "at");
    sched["publish_at"] = json!(in_future(1500));
    let s = create(app, sched, &w.staff).await;
    assert_eq!(s["status"], "scheduled");
    let pubd = create(app, draft("Опубліковано", "culture", "now"), &w.staff).await;
    let (did, sid, pid) = (
        d["id"].as_str().unwrap(),
        s["id"].as_str().unwrap(),
        pubd["id"].as_str().unwrap(),
    );
    // The public and other staff see only the published one.
    for who in [
        None,
        Some(w.resident.as_str()),
        Some(w.other_staff.as_str()),
    ] {
        let r = app.get(&news_path(), who).await;
        assert_eq!(ids(&r), vec![pid.to_owned()]);
        for id in [did, sid] {
            app.get(&format!("/api/v1/news/{id}"), who)
                .await
                .assert_problem(404);
        }
        let item = app.get(&format!("/api/v1/news/{pid}"), who).await.json();
        assert!(item.get("body_source").is_none(), "{item}");
        assert_eq!(item["body"][1]["type"], "heading");
    }
    // status=all: own staff see all three; others are refused.
    let r = app
        .get(&format!("{}?status=all", news_path()), Some(&w.staff))
        .await;
    assert_eq!(ids(&r).len(), 3);
    app.get(&format!("{}?status=all", news_path()), Some(&w.other_staff))
        .await
        .assert_problem(403);
    app.get(&format!("{}?status=all", news_path()), Some(&w.resident))
        .await
        .assert_problem(403);
    app.get(&format!("{}?status=all", news_path()), None)
        .await
        .assert_problem(401);
    let own = app
        .get(&format!("/api/v1/news/{did}"), Some(&w.staff))
        .await;
    assert_eq!(own.status, StatusCode::OK);
    // The scheduled item becomes public when its time comes.
    tokio::time::sleep(Duration::from_millis(1700)).await;
    let r = app.get(&news_path(), None).await;
    assert_eq!(ids(&r), vec![sid.to_owned(), pid.to_owned()]);
    assert_eq!(r.json()["items"][0]["status"], "published");
}

#[tokio::test]
async fn staff_edit_unpublish_and_delete_in_their_own_hromada() {
    let w = world().await;
    let app = &w.app;
    let item = create(app, draft("Перша версія", "utilities", "now"), &w.staff).await;
    let id = item["id"].as_str().unwrap();
    let path = format!("/api/v1/news/{id}");
    let published_at = item["published_at"].as_str().unwrap().to_owned();
    // Edit keeps the publication date.
    let mut d = draft("Друга версія", "utilities", "now");
    d["summary"] = json!("Короткий зміст");
    let r = app
        .call(Method::PUT, &path, Some(d.clone()), Some(&w.staff))
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.json()["title"], "Друга версія");
    assert_eq!(r.json()["summary"], "Короткий зміст");
    assert_eq!(r.json()["published_at"], published_at.as_str());
    // Others may not edit or delete: 403 (it is public); residents too; guests 401.
    for s in [&w.other_staff, &w.resident] {
        app.call(Method::PUT, &path, Some(d.clone()), Some(s))
            .await
            .assert_problem(403);
        app.call(Method::DELETE, &path, None, Some(s))
            .await
            .assert_problem(403);
    }
    app.call(Method::PUT, &path, Some(d.clone()), None)
        .await
        .assert_problem(401);
    // Other staff may not create in this hromada.
    post(
        app,
        &news_path(),
        draft("x", "official", "now"),
        &w.other_staff,
    )
    .await
    .assert_problem(403);
    post(
        app,
        &news_path(),
        draft("x", "official", "now"),
        &w.resident,
    )
    .await
    .assert_problem(403);
    // Unpublish: gone from the feed and from the public; other staff now get 404.
    let r = app
        .call(
            Method::PUT,
            &path,
            Some(draft("Друга версія", "utilities", "draft")),
            Some(&w.staff),
        )
        .await;
    assert_eq!(r.json()["status"], "draft");
    assert!(ids(&app.get(&news_path(), None).await).is_empty());
    app.get(&path, None).await.assert_problem(404);
    app.call(Method::DELETE, &path, None, Some(&w.other_staff))
        .await
        .assert_problem(404);
    // Delete.
    let r = app.call(Method::DELETE, &path, None, Some(&w.staff)).await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    app.get(&path, Some(&w.staff)).await.assert_problem(404);
    app.call(Method::DELETE, &path, None, Some(&w.staff))
        .await
        .assert_problem(404);
    for bad in ["nope", "00000000000000000000000000000000", "..%2F..%2Fetc"] {
        app.get(&format!("/api/v1/news/{bad}"), None)
            .await
            .assert_problem(404);
    }
}

#[tokio::test]
async fn idempotent_creation() {
    let w = world().await;
    let app = &w.app;
    let send = |body: Value| {
        let req = Request::builder()
            .method(Method::POST)
            .uri(news_path())
            .header(header::HOST, "localhost")
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::COOKIE, format!("hromada_session={}", w.staff))
            .header("idempotency-key", "news-1")
            .body(Body::from(body.to_string()))
            .unwrap();
        app.send(req)
    };
    let a = send(draft("Один раз", "official", "now")).await;
    let b = send(draft("Один раз", "official", "now")).await;
    assert_eq!(a.status, StatusCode::CREATED);
    assert_eq!(b.status, StatusCode::CREATED);
    assert_eq!(a.json()["id"], b.json()["id"]);
    send(draft("Інше", "official", "now"))
        .await
        .assert_problem(422);
    assert_eq!(ids(&app.get(&news_path(), None).await).len(), 1);
}

#[tokio::test]
async fn bad_news_input_names_the_field() {
    let w = world().await;
    let app = &w.app;
    let cases: Vec<(Value, &str, &str)> = vec![
        (draft("", "official", "now"), "title", "required"),
        (draft("   ", "official", "now"), "title", "required"),
        (
            draft(&"я".repeat(201), "official", "now"),
            "title",
            "too_long",
        ),
        (draft("Гаразд", "gossip", "now"), "category", "invalid"),
        (draft("Гаразд", "", "now"), "category", "required"),
        (draft("Гаразд", "official", "at"), "publish_at", "required"),
        (
            {
                let mut d = draft("Гаразд", "official", "at");
                d["publish_at"] = json!("завтра");
                d
            },
            "publish_at",
            "invalid",
        ),
        (
            {
                let mut d = draft("Гаразд", "official", "now");
                d["summary"] = json!("с".repeat(501));
                d
            },
            "summary",
            "too_long",
        ),
        (
            {
                let mut d = draft("Гаразд", "official", "now");
                d["body"] = json!("б".repeat(50_001));
                d
            },
            "body",
            "too_long",
        ),
        (
            {
                let mut d = draft("Гаразд", "official", "now");
                d["cover_id"] = json!("00000000000000000000000000000000");
                d
            },
            "cover_id",
            "invalid",
        ),
        (
            json!({"title": 5, "summary": "", "category": "official", "body": "", "publish": "now"}),
            "title",
            "invalid",
        ),
        (
            json!({"title": "x", "summary": "", "category": "official", "body": "", "publish": "later"}),
            "publish",
            "invalid",
        ),
        (
            json!({"title": "x", "summary": "", "category": "official", "publish": "now"}),
            "body",
            "required",
        ),
    ];
    for (body, field, code) in cases {
        let r = post(app, &news_path(), body, &w.staff).await;
        r.assert_problem(422);
        assert!(
            r.field_errors()
                .contains(&(field.to_owned(), code.to_owned())),
            "{field} {code}: {:?}",
            r.field_errors()
        );
    }
    // A title of exactly 200 characters is fine; so is a long Cyrillic body.
    let mut d = draft(&"я".repeat(200), "official", "draft");
    d["body"] = json!("б".repeat(50_000));
    create(app, d, &w.staff).await;
    // Malformed JSON: 400.
    let req = Request::builder()
        .method(Method::POST)
        .uri(news_path())
        .header(header::HOST, "localhost")
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::COOKIE, format!("hromada_session={}", w.staff))
        .body(Body::from("{\"title\": "))
        .unwrap();
    app.send(req).await.assert_problem(400);
}

fn crc32(data: &[u8]) -> u32 {
    let mut crc = 0xffff_ffffu32;
    for b in data {
        crc ^= u32::from(*b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xedb8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

fn png_with_text(secret: &str) -> Vec<u8> {
    let img = image::RgbImage::from_fn(1600, 900, |x, y| {
        image::Rgb([(x % 256) as u8, (y % 256) as u8, 120])
    });
    let mut png = Vec::new();
    img.write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .unwrap();
    // A tEXt chunk right after IHDR (8 bytes signature + 25 bytes IHDR chunk).
    let data = format!("Comment\0{secret}");
    let mut chunk = (data.len() as u32).to_be_bytes().to_vec();
    let mut typed = b"tEXt".to_vec();
    typed.extend(data.as_bytes());
    chunk.extend(&typed);
    chunk.extend(crc32(&typed).to_be_bytes());
    let mut out = png[..33].to_vec();
    out.extend(chunk);
    out.extend(&png[33..]);
    out
}

fn jpeg_with_exif(secret: &str) -> Vec<u8> {
    let img = image::RgbImage::from_fn(640, 480, |x, y| {
        image::Rgb([(x / 3) as u8, (y / 2) as u8, 60])
    });
    let mut jpg = Vec::new();
    img.write_to(
        &mut std::io::Cursor::new(&mut jpg),
        image::ImageFormat::Jpeg,
    )
    .unwrap();
    let mut payload = b"Exif\0\0MM\0*\0\0\0\x08".to_vec();
    payload.extend(format!("GPS 46.6354N 32.6169E {secret}").as_bytes());
    let mut out = vec![0xff, 0xd8, 0xff, 0xe1];
    out.extend(((payload.len() + 2) as u16).to_be_bytes());
    out.extend(payload);
    out.extend(&jpg[2..]);
    out
}

async fn upload(
    app: &TestApp,
    katottg: &str,
    session: &str,
    ct: Option<&str>,
    bytes: Vec<u8>,
    length: bool,
) -> Resp {
    let mut b = Request::builder()
        .method(Method::POST)
        .uri(format!("/api/v1/hromadas/{katottg}/media"))
        .header(header::HOST, "localhost")
        .header("x-hromada-client", "test")
        .header(header::COOKIE, format!("hromada_session={session}"));
    if let Some(ct) = ct {
        b = b.header(header::CONTENT_TYPE, ct);
    }
    if length {
        b = b.header(header::CONTENT_LENGTH, bytes.len());
    }
    app.send(b.body(Body::from(bytes)).unwrap()).await
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

#[tokio::test]
async fn images_lose_their_metadata_and_get_sizes() {
    let w = world().await;
    let app = &w.app;
    for (ct, bytes, secret) in [
        ("image/png", png_with_text("SECRET-PNG-42"), "SECRET-PNG-42"),
        (
            "image/jpeg",
            jpeg_with_exif("SECRET-EXIF-42"),
            "SECRET-EXIF-42",
        ),
    ] {
        assert!(contains(&bytes, secret.as_bytes()));
        let r = upload(app, KHERSON, &w.staff, Some(ct), bytes, true).await;
        assert_eq!(
            r.status,
            StatusCode::CREATED,
            "{}",
            String::from_utf8_lossy(&r.body)
        );
        let img = r.json();
        let sizes = img["sizes"].as_array().unwrap();
        for s in sizes {
            let f = app.get(s["url"].as_str().unwrap(), None).await;
            assert_eq!(f.status, StatusCode::OK);
            assert_eq!(f.content_type(), "image/jpeg");
            assert!(
                f.headers[header::CACHE_CONTROL]
                    .to_str()
                    .unwrap()
                    .contains("immutable")
            );
            assert_eq!(f.headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
            assert!(!contains(&f.body, secret.as_bytes()), "{ct}");
            assert!(!contains(&f.body, b"Exif"), "{ct}");
            assert!(!contains(&f.body, b"GPS"), "{ct}");
            let decoded = image::load_from_memory(&f.body).unwrap();
            assert_eq!(decoded.width(), s["width"].as_u64().unwrap() as u32);
        }
        if ct == "image/png" {
            let dims: Vec<(u64, u64)> = sizes
                .iter()
                .map(|s| (s["width"].as_u64().unwrap(), s["height"].as_u64().unwrap()))
                .collect();
            assert_eq!(dims, vec![(480, 270), (1024, 576)]);
            // As a cover.
            let mut d = draft("З обкладинкою", "culture", "now");
            d["cover_id"] = img["id"].clone();
            let item = create(app, d, &w.staff).await;
            assert_eq!(item["cover"]["id"], img["id"]);
            let feed = app.get(&news_path(), None).await.json();
            assert_eq!(feed["items"][0]["cover"]["sizes"][1]["width"], 1024);
            // Not as a cover in another hromada.
            let mut d = draft("Чуже", "culture", "now");
            d["cover_id"] = img["id"].clone();
            let r = post(
                app,
                &format!("/api/v1/hromadas/{BERYSLAV}/news"),
                d,
                &w.other_staff,
            )
            .await;
            r.assert_problem(422);
            assert_eq!(
                r.field_errors(),
                vec![("cover_id".into(), "invalid".into())]
            );
        } else {
            assert_eq!(sizes[0]["width"], 480);
            assert_eq!(sizes[1]["width"], 640);
        }
    }
    // Not an image: 415 by type (naming the field), 422 by content.
    let p = upload(
        app,
        KHERSON,
        &w.staff,
        Some("text/plain"),
        b"hello".to_vec(),
        true,
    )
    .await
    .assert_problem(415);
    assert_eq!(p["errors"][0]["field"], "file");
    assert_eq!(p["errors"][0]["code"], "not_an_image");
    upload(app, KHERSON, &w.staff, None, b"hello".to_vec(), true)
        .await
        .assert_problem(415);
    let r = upload(
        app,
        KHERSON,
        &w.staff,
        Some("image/png"),
        b"just some text, honest".to_vec(),
        true,
    )
    .await;
    r.assert_problem(422);
    assert_eq!(
        r.field_errors(),
        vec![("file".into(), "not_an_image".into())]
    );
    // Over 10 MiB: 413 naming the file, declared or streamed.
    let big = vec![0u8; 11 * 1024 * 1024];
    for length in [true, false] {
        let r = upload(
            app,
            KHERSON,
            &w.staff,
            Some("image/jpeg"),
            big.clone(),
            length,
        )
        .await;
        r.assert_problem(413);
        assert_eq!(r.field_errors(), vec![("file".into(), "too_large".into())]);
    }
    // Only own staff.
    upload(
        app,
        KHERSON,
        &w.other_staff,
        Some("image/png"),
        png_with_text("x"),
        true,
    )
    .await
    .assert_problem(403);
    upload(
        app,
        KHERSON,
        &w.resident,
        Some("image/png"),
        png_with_text("x"),
        true,
    )
    .await
    .assert_problem(403);
    // Missing files.
    for p in [
        "/api/v1/media/00000000000000000000000000000000/480.jpg",
        "/api/v1/media/nope/480.jpg",
        "/api/v1/media/00000000000000000000000000000000/..%2F..%2Fetc",
    ] {
        app.get(p, None).await.assert_problem(404);
    }
}

fn alert_draft(severity: &str, text: &str, expires_in_ms: i64) -> Value {
    json!({"severity": severity, "text": text, "area": "Корабельний район", "expires_at": in_future(expires_in_ms)})
}

fn alerts_path() -> String {
    format!("/api/v1/hromadas/{KHERSON}/alerts")
}

#[tokio::test]
async fn alerts_issue_edit_end_and_order() {
    let w = world().await;
    let app = &w.app;
    let info = post(
        app,
        &alerts_path(),
        alert_draft("info", "Інформація", 3_600_000),
        &w.staff,
    )
    .await;
    assert_eq!(info.status, StatusCode::CREATED);
    let danger = post(
        app,
        &alerts_path(),
        alert_draft("danger", "Повітряна тривога", 3_600_000),
        &w.staff,
    )
    .await
    .json();
    let warning = post(
        app,
        &alerts_path(),
        alert_draft("warning", "Відключення води", 3_600_000),
        &w.staff,
    )
    .await
    .json();
    let mut future = alert_draft("warning", "Завтра", 7_200_000);
    future["starts_at"] = json!(in_future(3_600_000));
    post(app, &alerts_path(), future, &w.staff).await;
    let r = app.get(&alerts_path(), None).await;
    let sev: Vec<String> = r.json()["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["severity"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(sev, vec!["danger", "warning", "info"]);
    // Paging with a cursor.
    let p1 = app
        .get(&format!("{}?limit=2", alerts_path()), None)
        .await
        .json();
    let c = p1["next_cursor"].as_str().unwrap();
    let p2 = app
        .get(&format!("{}?limit=2&cursor={c}", alerts_path()), None)
        .await
        .json();
    assert_eq!(p2["items"][0]["severity"], "info");
    assert!(p2["next_cursor"].is_null());
    // all=1 for own staff only.
    let all = app
        .get(&format!("{}?all=1", alerts_path()), Some(&w.staff))
        .await;
    assert_eq!(all.json()["items"].as_array().unwrap().len(), 4);
    app.get(&format!("{}?all=1", alerts_path()), Some(&w.other_staff))
        .await
        .assert_problem(403);
    app.get(&format!("{}?all=1", alerts_path()), Some(&w.resident))
        .await
        .assert_problem(403);
    // Edit and end.
    let id = warning["id"].as_str().unwrap();
    let r = app
        .call(
            Method::PUT,
            &format!("/api/v1/alerts/{id}"),
            Some(alert_draft(
                "danger",
                "Відключення води і світла",
                3_600_000,
            )),
            Some(&w.staff),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.json()["severity"], "danger");
    app.call(
        Method::PUT,
        &format!("/api/v1/alerts/{id}"),
        Some(alert_draft("info", "x", 3_600_000)),
        Some(&w.other_staff),
    )
    .await
    .assert_problem(403);
    app.call(
        Method::POST,
        &format!("/api/v1/alerts/{id}/end"),
        None,
        Some(&w.other_staff),
    )
    .await
    .assert_problem(403);
    let did = danger["id"].as_str().unwrap();
    let r = app
        .call(
            Method::POST,
            &format!("/api/v1/alerts/{did}/end"),
            None,
            Some(&w.staff),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.json()["ended_at"].is_string());
    assert_eq!(
        app.get(&alerts_path(), None).await.json()["items"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    app.call(
        Method::PUT,
        &format!("/api/v1/alerts/{did}"),
        Some(alert_draft("info", "x", 3_600_000)),
        Some(&w.staff),
    )
    .await
    .assert_problem(409);
    app.call(
        Method::POST,
        "/api/v1/alerts/00000000000000000000000000000000/end",
        None,
        Some(&w.staff),
    )
    .await
    .assert_problem(404);
    // Staff of another hromada may not issue here.
    post(
        app,
        &alerts_path(),
        alert_draft("info", "x", 3_600_000),
        &w.other_staff,
    )
    .await
    .assert_problem(403);
    // Bad input names the field.
    let now = clock::now_millis();
    let cases: Vec<(Value, &str, &str)> = vec![
        (alert_draft("loud", "x", 3_600_000), "severity", "invalid"),
        (alert_draft("info", "", 3_600_000), "text", "required"),
        (
            alert_draft("info", &"я".repeat(1001), 3_600_000),
            "text",
            "too_long",
        ),
        (
            json!({"severity": "info", "text": "x", "area": "р".repeat(201), "expires_at": in_future(3_600_000)}),
            "area",
            "too_long",
        ),
        (
            json!({"severity": "info", "text": "x", "starts_at": clock::rfc3339(now + 7_200_000), "expires_at": clock::rfc3339(now + 3_600_000)}),
            "expires_at",
            "before_start",
        ),
        (
            json!({"severity": "info", "text": "x", "starts_at": clock::rfc3339(now - 7_200_000), "expires_at": clock::rfc3339(now - 1000)}),
            "expires_at",
            "invalid",
        ),
        (
            json!({"severity": "info", "text": "x", "expires_at": "скоро"}),
            "expires_at",
            "invalid",
        ),
        (
            json!({"severity": "info", "text": "x"}),
            "expires_at",
            "required",
        ),
        (
            json!({"severity": 3, "text": "x", "expires_at": in_future(1000)}),
            "severity",
            "invalid",
        ),
    ];
    for (body, field, code) in cases {
        let r = post(app, &alerts_path(), body, &w.staff).await;
        r.assert_problem(422);
        assert!(
            r.field_errors()
                .contains(&(field.to_owned(), code.to_owned())),
            "{field} {code}: {:?}",
            r.field_errors()
        );
    }
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

#[tokio::test]
async fn live_events_reach_open_streams_within_two_seconds() {
    let w = world().await;
    let app = &w.app;
    let req = Request::builder()
        .uri(format!("/api/v1/hromadas/{KHERSON}/events"))
        .header(header::HOST, "localhost")
        .header(header::ACCEPT_ENCODING, "gzip, br")
        .body(Body::empty())
        .unwrap();
    let res = app.router.clone().oneshot(req).await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()[header::CONTENT_TYPE], "text/event-stream");
    assert_eq!(res.headers()[header::CACHE_CONTROL], "no-cache");
    assert!(res.headers().get(header::CONTENT_ENCODING).is_none());
    let mut body = res.into_body();
    read_until(&mut body, "retry: 2000", Duration::from_secs(2)).await;
    // Another hromada's stream gets nothing of this one.
    let other = Request::builder()
        .uri(format!("/api/v1/hromadas/{BERYSLAV}/events"))
        .header(header::HOST, "localhost")
        .body(Body::empty())
        .unwrap();
    let mut other = app.router.clone().oneshot(other).await.unwrap().into_body();
    read_until(&mut other, "retry", Duration::from_secs(2)).await;

    let item = create(app, draft("Жива новина", "safety", "now"), &w.staff).await;
    let got = read_until(&mut body, "event: news", Duration::from_secs(2)).await;
    assert!(got.contains(item["id"].as_str().unwrap()), "{got}");
    assert!(got.contains("Жива новина"));

    let alert = post(
        app,
        &alerts_path(),
        alert_draft("danger", "Повітряна тривога", 60_000),
        &w.staff,
    )
    .await
    .json();
    let got = read_until(&mut body, "event: alert", Duration::from_secs(2)).await;
    assert!(got.contains(alert["id"].as_str().unwrap()));

    let aid = alert["id"].as_str().unwrap();
    app.call(
        Method::POST,
        &format!("/api/v1/alerts/{aid}/end"),
        None,
        Some(&w.staff),
    )
    .await;
    read_until(&mut body, "event: alert_ended", Duration::from_secs(2)).await;

    let id = item["id"].as_str().unwrap();
    app.call(
        Method::DELETE,
        &format!("/api/v1/news/{id}"),
        None,
        Some(&w.staff),
    )
    .await;
    read_until(&mut body, "event: news_removed", Duration::from_secs(2)).await;

    // A scheduled item is announced when its time comes (by the ticker).
    let mut sched = draft("Заплановано на зараз", "official", "at");
    sched["publish_at"] = json!(in_future(1000));
    let s = create(app, sched, &w.staff).await;
    let got = read_until(&mut body, s["id"].as_str().unwrap(), Duration::from_secs(4)).await;
    assert!(got.contains("event: news"));
    // An alert that expires is announced as ended.
    let short = post(
        app,
        &alerts_path(),
        alert_draft("info", "Коротко", 1200),
        &w.staff,
    )
    .await
    .json();
    let sid = short["id"].as_str().unwrap().to_owned();
    let got = read_until(
        &mut body,
        &format!("alert_ended\ndata: {{\"id\":\"{sid}\"}}"),
        Duration::from_secs(4),
    )
    .await;
    assert!(got.contains(&sid));

    // Nothing of Херсонська reached Бериславська.
    let nothing = tokio::time::timeout(Duration::from_millis(300), other.frame()).await;
    assert!(nothing.is_err(), "{nothing:?}");

    // At shutdown every stream ends (graceful shutdown does not wait for them).
    app.live.close();
    let end = tokio::time::timeout(Duration::from_secs(2), async {
        while let Some(f) = body.frame().await {
            f.expect("frame");
        }
    })
    .await;
    assert!(end.is_ok(), "the stream did not end");

    app.get("/api/v1/hromadas/UA00000000000000000/events", None)
        .await
        .assert_problem(404);
}

#[tokio::test]
async fn demo_hromada_has_a_living_feed() {
    let app = demo_app().await;
    let r = app.get(&format!("{}?limit=100", news_path()), None).await;
    let items = r.json()["items"].as_array().unwrap().clone();
    assert!(items.len() >= 30, "{}", items.len());
    let cats: std::collections::HashSet<&str> = items
        .iter()
        .map(|i| i["category"].as_str().unwrap())
        .collect();
    assert!(cats.len() >= 5, "{cats:?}");
    let months: std::collections::HashSet<&str> = items
        .iter()
        .map(|i| &i["published_at"].as_str().unwrap()[..7])
        .collect();
    assert!(months.len() >= 4, "{months:?}");
    let with_cover: Vec<&Value> = items.iter().filter(|i| i["cover"].is_object()).collect();
    assert!(with_cover.len() >= 30);
    let url = with_cover[0]["cover"]["sizes"][0]["url"].as_str().unwrap();
    let img = app.get(url, None).await;
    assert_eq!(img.status, StatusCode::OK);
    assert!(image::load_from_memory(&img.body).is_ok());
    let id = items[0]["id"].as_str().unwrap();
    let item = app.get(&format!("/api/v1/news/{id}"), None).await.json();
    assert!(item["body"].as_array().unwrap().len() >= 3, "{item}");
    let alerts = app.get(&alerts_path(), None).await.json();
    assert_eq!(alerts["items"].as_array().unwrap().len(), 1);
}
