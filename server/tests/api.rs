//! The API's behaviour, end to end through the router, on a fresh database per test.

mod common;

use std::collections::HashSet;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use common::*;
use serde_json::{Value, json};
use sqlx::Row;

#[tokio::test]
async fn health_reports_the_database() {
    let app = app().await;
    let r = app.get("/api/v1/health", None).await;
    assert_eq!(r.status, StatusCode::OK);
    let h = r.json();
    assert_eq!(h["status"], "ok");
    let expected = match std::env::var("HROMADA_TEST_DATABASE_URL") {
        Ok(url) if !url.is_empty() => "postgres",
        _ => "sqlite",
    };
    assert_eq!(h["database"], expected);
}

#[tokio::test]
async fn communities_are_loaded_once() {
    let app = app().await;
    assert_eq!(app.db.hromada_count().await.unwrap(), 1774);
    assert_eq!(app.db.load_hromadas().await.unwrap(), 0);
    assert_eq!(app.db.hromada_count().await.unwrap(), 1774);
}

fn names(r: &common::Resp) -> Vec<String> {
    r.json()["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["name"].as_str().unwrap().to_owned())
        .collect()
}

#[tokio::test]
async fn search_finds_ukrainian_names_in_any_case() {
    let app = app().await;
    for q in [
        "херсон",
        "херс",
        "ХЕРСОН",
        "Херсонська",
        "%D1%85%D0%B5%D1%80%D1%81",
        "kherson",
        "Khersonska",
    ] {
        let r = app.get(&format!("/api/v1/hromadas?q={q}"), None).await;
        assert_eq!(r.status, StatusCode::OK, "{q}");
        assert!(
            names(&r).contains(&"Херсонська".to_owned()),
            "{q}: {:?}",
            names(&r)
        );
    }
    // Apostrophes in any of their forms.
    for q in ["мар'ївська", "МАРʼЇВСЬКА", "мар’ївська"] {
        let r = app
            .get(&format!("/api/v1/hromadas?q={}", urlencode(q)), None)
            .await;
        assert!(
            names(&r).contains(&"Мар’ївська".to_owned()),
            "{q}: {:?}",
            names(&r)
        );
    }
    // LIKE wildcards are plain characters.
    let r = app.get("/api/v1/hromadas?q=%25", None).await;
    assert_eq!(names(&r), Vec::<String>::new());
    let r = app.get("/api/v1/hromadas?q=_", None).await;
    assert_eq!(names(&r), Vec::<String>::new());
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
async fn paging_returns_every_community_once_in_ukrainian_order() {
    let app = app().await;
    let mut seen = HashSet::new();
    let mut all = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(c) => format!("/api/v1/hromadas?limit=100&cursor={c}"),
            None => "/api/v1/hromadas?limit=100".to_owned(),
        };
        let r = app.get(&path, None).await;
        assert_eq!(r.status, StatusCode::OK);
        let page = r.json();
        for h in page["items"].as_array().unwrap() {
            assert!(seen.insert(h["katottg"].as_str().unwrap().to_owned()));
            all.push(h["name"].as_str().unwrap().to_owned());
        }
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_owned()),
            None => break,
        }
    }
    assert_eq!(seen.len(), 1774);
    // Alphabetical in Ukrainian: А… first, Я… last; І after И, not before А.
    assert!(all[0].starts_with('А'), "{}", all[0]);
    assert!(all.last().unwrap().starts_with('Я'));
    let first_i = all.iter().position(|n| n.starts_with('І')).unwrap();
    let first_y = all.iter().position(|n| n.starts_with('И')).unwrap_or(0);
    assert!(first_i > first_y);
    // The default page is 20.
    let r = app.get("/api/v1/hromadas", None).await;
    assert_eq!(r.json()["items"].as_array().unwrap().len(), 20);
}

#[tokio::test]
async fn oblast_filter_and_details() {
    let app = app().await;
    let r = app
        .get(
            "/api/v1/hromadas?oblast=UA65000000000030969&limit=100",
            None,
        )
        .await;
    let page = r.json();
    let items = page["items"].as_array().unwrap();
    assert!(!items.is_empty());
    assert!(items.iter().all(|h| h["oblast"] == "Херсонська"));
    let r = app
        .get(
            "/api/v1/hromadas?oblast=UA65000000000030969&q=херсонська",
            None,
        )
        .await;
    assert_eq!(names(&r), vec!["Херсонська"]);

    let r = app.get(&format!("/api/v1/hromadas/{KHERSON}"), None).await;
    assert_eq!(r.status, StatusCode::OK);
    let h = r.json();
    assert_eq!(h["name"], "Херсонська");
    assert_eq!(h["raion"], "Херсонський");
    assert_eq!(h["oblast_katottg"], "UA65000000000030969");
    assert_eq!(
        h["settings"],
        json!({"petition_signatures": 250, "petition_days": 60, "petition_verified_only": true})
    );
    assert!(h["settlements"].as_u64().unwrap() > 0);

    app.get("/api/v1/hromadas/UA99999999999999999", None)
        .await
        .assert_problem(404);
    app.get("/api/v1/hromadas/garbage", None)
        .await
        .assert_problem(404);
    app.get("/api/v1/hromadas/%FF%FE", None).await;
    app.get("/api/v1/hromadas?cursor=garbage!", None)
        .await
        .assert_problem(400);
    app.get("/api/v1/hromadas?limit=0", None)
        .await
        .assert_problem(400);
    app.get("/api/v1/hromadas?limit=1000", None)
        .await
        .assert_problem(400);
    app.get("/api/v1/hromadas?oblast=Херсонська", None)
        .await
        .assert_problem(400);
}

#[tokio::test]
async fn register_signs_in_and_validates() {
    let app = app().await;
    let r = app
        .call(
            Method::POST,
            "/api/v1/auth/register",
            Some(json!({
                "email": " Olena@Example.COM ",
                "password": GOOD_PASSWORD,
                "full_name": "Олена Петренко",
                "hromada": KHERSON,
                "address": "вул. Соборна, 1, м. Херсон",
            })),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::CREATED);
    let cookie = r
        .headers
        .get(header::SET_COOKIE)
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax") && cookie.contains("Path=/")
    );
    assert!(!cookie.contains("Secure"));
    let me = r.json();
    assert_eq!(me["email"], "olena@example.com");
    assert_eq!(
        me["hromada"],
        json!({"katottg": KHERSON, "name": "Херсонська"})
    );
    assert_eq!(me["verification"], "none");
    assert_eq!(me["admin"], false);
    assert_eq!(me["staff_of"], json!([]));
    assert!(me["created_at"].as_str().unwrap().ends_with('Z'));
    let session = r.session().unwrap();
    let r = app.get("/api/v1/me", Some(&session)).await;
    assert_eq!(r.json()["id"], me["id"]);

    let base = json!({
        "email": "taras@example.com",
        "password": GOOD_PASSWORD,
        "full_name": "Тарас Мельник",
        "hromada": KHERSON,
        "address": "вул. Соборна, 1, м. Херсон",
    });
    let with = |k: &str, v: Value| {
        let mut b = base.clone();
        b[k] = v;
        b
    };
    let cases = [
        (
            with("password", json!("пароль1")),
            ("password", "too_short"),
        ),
        (
            with("password", json!("Password123")),
            ("password", "common_password"),
        ),
        (
            with("email", json!("OLENA@example.com")),
            ("email", "taken"),
        ),
        (
            with("hromada", json!("UA99999999999999999")),
            ("hromada", "unknown_hromada"),
        ),
        (
            with("hromada", json!("Херсон")),
            ("hromada", "unknown_hromada"),
        ),
        (with("email", json!("not-an-email")), ("email", "invalid")),
        (
            with("full_name", json!("Тарас")),
            ("full_name", "too_short"),
        ),
        (with("address", json!("")), ("address", "required")),
    ];
    for (body, (field, code)) in cases {
        let r = app
            .call(Method::POST, "/api/v1/auth/register", Some(body), None)
            .await;
        r.assert_problem(422);
        assert_eq!(r.field_errors(), vec![(field.to_owned(), code.to_owned())]);
        assert!(r.session().is_none());
    }
    assert_eq!(app.db.user_count().await.unwrap(), 1);
}

#[tokio::test]
async fn register_with_idempotency_key_creates_one_account() {
    let app = app().await;
    let body = json!({
        "email": "olena@example.com",
        "password": GOOD_PASSWORD,
        "full_name": "Олена Петренко",
        "hromada": KHERSON,
        "address": "вул. Соборна, 1, м. Херсон",
    });
    let send = |body: Value, key: &'static str| {
        Request::builder()
            .method(Method::POST)
            .uri("/api/v1/auth/register")
            .header(header::CONTENT_TYPE, "application/json")
            .header("idempotency-key", key)
            .body(Body::from(body.to_string()))
            .unwrap()
    };
    let a = app.send(send(body.clone(), "k-1")).await;
    assert_eq!(a.status, StatusCode::CREATED);
    let b = app.send(send(body.clone(), "k-1")).await;
    assert_eq!(b.status, StatusCode::CREATED);
    assert_eq!(a.json()["id"], b.json()["id"]);
    assert!(b.session().is_some());
    assert_ne!(a.session(), b.session());
    assert_eq!(app.db.user_count().await.unwrap(), 1);
    // The same key for a different request is refused; another key is a new request.
    let mut other = body.clone();
    other["password"] = json!("інший довгий пароль");
    app.send(send(other, "k-1")).await.assert_problem(422);
    let c = app.send(send(body, "k-2")).await;
    assert_eq!(
        c.field_errors(),
        vec![("email".to_owned(), "taken".to_owned())]
    );
    // A malformed key is a 400.
    let bad = Request::builder()
        .method(Method::POST)
        .uri("/api/v1/auth/register")
        .header(header::CONTENT_TYPE, "application/json")
        .header("idempotency-key", "має пробіл")
        .body(Body::from("{}"))
        .unwrap();
    app.send(bad).await.assert_problem(400);
}

#[tokio::test]
async fn login_logout_and_sessions() {
    let app = app().await;
    let (_, first) = app.register("olena@example.com", KHERSON).await;
    let wrong = app.login("olena@example.com", "wrong password").await;
    let p = wrong.assert_problem(401);
    let unknown = app.login("nobody@example.com", "wrong password").await;
    let q = unknown.assert_problem(401);
    assert_eq!(p["detail"], q["detail"]);

    let a = app.login("OLENA@example.com", GOOD_PASSWORD).await;
    assert_eq!(a.status, StatusCode::OK);
    assert_eq!(a.json()["email"], "olena@example.com");
    let s1 = a.session().unwrap();
    let s2 = app
        .login("olena@example.com", GOOD_PASSWORD)
        .await
        .session()
        .unwrap();
    assert_ne!(s1, s2);
    assert_ne!(first, s1);

    // Logout deletes the session on the server: the old cookie no longer works.
    let out = app
        .call(Method::POST, "/api/v1/auth/logout", None, Some(&s1))
        .await;
    assert_eq!(out.status, StatusCode::NO_CONTENT);
    let cleared = out
        .headers
        .get(header::SET_COOKIE)
        .unwrap()
        .to_str()
        .unwrap();
    assert!(cleared.contains("Max-Age=0"));
    app.get("/api/v1/me", Some(&s1)).await.assert_problem(401);
    assert_eq!(
        app.get("/api/v1/me", Some(&s2)).await.status,
        StatusCode::OK
    );
    app.get("/api/v1/me", None).await.assert_problem(401);
    app.get("/api/v1/me", Some("forged"))
        .await
        .assert_problem(401);
    // Logging out without a session is fine.
    assert_eq!(
        app.call(Method::POST, "/api/v1/auth/logout", None, None)
            .await
            .status,
        StatusCode::NO_CONTENT
    );

    // Signing in with an old session cookie ends that session.
    let req = Request::builder()
        .method(Method::POST)
        .uri("/api/v1/auth/login")
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::COOKIE, format!("hromada_session={s2}"))
        .body(Body::from(
            json!({"email": "olena@example.com", "password": GOOD_PASSWORD}).to_string(),
        ))
        .unwrap();
    let s3 = app.send(req).await.session().unwrap();
    app.get("/api/v1/me", Some(&s2)).await.assert_problem(401);
    assert_eq!(
        app.get("/api/v1/me", Some(&s3)).await.status,
        StatusCode::OK
    );

    // Only a hash of the token is stored.
    let n: i64 = sqlx::query("SELECT COUNT(*) AS n FROM sessions WHERE token_hash = $1")
        .bind(s3.clone())
        .fetch_one(app.db.pool())
        .await
        .unwrap()
        .get("n");
    assert_eq!(n, 0);
}

#[tokio::test]
async fn login_is_throttled_after_five_failures() {
    let app = app().await;
    app.register("olena@example.com", KHERSON).await;
    for _ in 0..5 {
        app.login("olena@example.com", "wrong password")
            .await
            .assert_problem(401);
    }
    let r = app.login("olena@example.com", GOOD_PASSWORD).await;
    r.assert_problem(429);
    let retry: u64 = r
        .headers
        .get(header::RETRY_AFTER)
        .unwrap()
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=900).contains(&retry));
    // Other accounts are not affected.
    app.register("taras@example.com", KHERSON).await;
    assert_eq!(
        app.login("taras@example.com", GOOD_PASSWORD).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn profile_and_password() {
    let app = app().await;
    let (_, s) = app.register("olena@example.com", KHERSON).await;
    let r = app
        .call(
            Method::PATCH,
            "/api/v1/me",
            Some(json!({"full_name": "Олена Іваненко"})),
            Some(&s),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.json()["full_name"], "Олена Іваненко");
    assert_eq!(r.json()["address"], "вул. Соборна, 1, м. Херсон");

    // Ask for verification, then move: verification resets.
    let r = app
        .call(Method::POST, "/api/v1/me/verification", None, Some(&s))
        .await;
    assert_eq!(r.json()["verification"], "pending");
    let r = app
        .call(
            Method::PATCH,
            "/api/v1/me",
            Some(json!({"hromada": BERYSLAV})),
            Some(&s),
        )
        .await;
    assert_eq!(r.json()["hromada"]["katottg"], BERYSLAV);
    assert_eq!(r.json()["verification"], "none");
    let r = app
        .call(
            Method::PATCH,
            "/api/v1/me",
            Some(json!({"hromada": "UA00000000000000000"})),
            Some(&s),
        )
        .await;
    r.assert_problem(422);
    assert_eq!(
        r.field_errors(),
        vec![("hromada".to_owned(), "unknown_hromada".to_owned())]
    );

    // Password change: wrong current, common new, then right; other sessions end.
    let other = app
        .login("olena@example.com", GOOD_PASSWORD)
        .await
        .session()
        .unwrap();
    let change = |cur: &str, new: &str| json!({"current_password": cur, "new_password": new});
    let r = app
        .call(
            Method::POST,
            "/api/v1/me/password",
            Some(change("wrong one!", "a brand new secret")),
            Some(&s),
        )
        .await;
    r.assert_problem(422);
    assert_eq!(
        r.field_errors(),
        vec![("current_password".to_owned(), "wrong_password".to_owned())]
    );
    let r = app
        .call(
            Method::POST,
            "/api/v1/me/password",
            Some(change(GOOD_PASSWORD, "iloveyou")),
            Some(&s),
        )
        .await;
    assert_eq!(
        r.field_errors(),
        vec![("new_password".to_owned(), "common_password".to_owned())]
    );
    let r = app
        .call(
            Method::POST,
            "/api/v1/me/password",
            Some(change(GOOD_PASSWORD, "a brand new secret")),
            Some(&s),
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    app.get("/api/v1/me", Some(&other))
        .await
        .assert_problem(401);
    assert_eq!(app.get("/api/v1/me", Some(&s)).await.status, StatusCode::OK);
    app.login("olena@example.com", GOOD_PASSWORD)
        .await
        .assert_problem(401);
    assert_eq!(
        app.login("olena@example.com", "a brand new secret")
            .await
            .status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn staff_verify_residents_of_their_own_hromada_only() {
    let app = demo_app().await;
    let staff = app.demo_session("staff@demo.example").await;
    let resident = app.demo_session("resident@demo.example").await;
    let verified = app.demo_session("verified@demo.example").await;

    // The demo queue: three pending requests, oldest first.
    let r = app
        .get(
            &format!("/api/v1/hromadas/{KHERSON}/verifications"),
            Some(&staff),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let queue = r.json();
    let items = queue["items"].as_array().unwrap();
    assert_eq!(items.len(), 3);
    assert!(items[0]["requested_at"].as_str() < items[1]["requested_at"].as_str());

    // Paging the queue one by one returns each once.
    let mut seen = vec![];
    let mut cursor = String::new();
    loop {
        let path = format!("/api/v1/hromadas/{KHERSON}/verifications?limit=1{cursor}");
        let page = app.get(&path, Some(&staff)).await.json();
        for i in page["items"].as_array().unwrap() {
            seen.push(i["user_id"].as_str().unwrap().to_owned());
        }
        match page["next_cursor"].as_str() {
            Some(c) => cursor = format!("&cursor={c}"),
            None => break,
        }
    }
    assert_eq!(seen.len(), 3);

    // The resident asks; staff see and verify; the resident is verified.
    let r = app
        .call(
            Method::POST,
            "/api/v1/me/verification",
            None,
            Some(&resident),
        )
        .await;
    assert_eq!(r.json()["verification"], "pending");
    let again = app
        .call(
            Method::POST,
            "/api/v1/me/verification",
            None,
            Some(&resident),
        )
        .await;
    assert_eq!(again.status, StatusCode::OK);
    assert_eq!(again.json()["verification"], "pending");
    let resident_id = r.json()["id"].as_str().unwrap().to_owned();
    let queue = app
        .get(
            &format!("/api/v1/hromadas/{KHERSON}/verifications?limit=100"),
            Some(&staff),
        )
        .await
        .json();
    let ids: Vec<&str> = queue["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["user_id"].as_str().unwrap())
        .collect();
    assert_eq!(ids.last(), Some(&resident_id.as_str()));

    // Not staff, or staff elsewhere: 403.
    let path = format!("/api/v1/hromadas/{KHERSON}/verifications/{resident_id}");
    app.call(
        Method::POST,
        &path,
        Some(json!({"verify": true})),
        Some(&resident),
    )
    .await
    .assert_problem(403);
    app.call(
        Method::POST,
        &path,
        Some(json!({"verify": true})),
        Some(&verified),
    )
    .await
    .assert_problem(403);
    app.get(
        &format!("/api/v1/hromadas/{KHERSON}/verifications"),
        Some(&resident),
    )
    .await
    .assert_problem(403);
    let (_, other_staff) = app.register("staff2@example.com", BERYSLAV).await;
    let other_id = app.get("/api/v1/me", Some(&other_staff)).await.json()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    app.db
        .grant_staff(&other_id, BERYSLAV, "2026-01-01T00:00:00.000Z")
        .await
        .unwrap();
    app.call(
        Method::POST,
        &path,
        Some(json!({"verify": true})),
        Some(&other_staff),
    )
    .await
    .assert_problem(403);
    app.get(
        &format!("/api/v1/hromadas/{KHERSON}/verifications"),
        Some(&other_staff),
    )
    .await
    .assert_problem(403);
    assert_eq!(
        app.get(
            &format!("/api/v1/hromadas/{BERYSLAV}/verifications"),
            Some(&other_staff)
        )
        .await
        .json()["items"],
        json!([])
    );
    // Not a pending resident of this hromada: 404.
    app.call(
        Method::POST,
        &format!("/api/v1/hromadas/{BERYSLAV}/verifications/{resident_id}"),
        Some(json!({"verify": true})),
        Some(&other_staff),
    )
    .await
    .assert_problem(404);

    let r = app
        .call(
            Method::POST,
            &path,
            Some(json!({"verify": true})),
            Some(&staff),
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    assert_eq!(
        app.get("/api/v1/me", Some(&resident)).await.json()["verification"],
        "verified"
    );
    app.call(
        Method::POST,
        &path,
        Some(json!({"verify": true})),
        Some(&staff),
    )
    .await
    .assert_problem(404);
    app.call(
        Method::POST,
        "/api/v1/me/verification",
        None,
        Some(&resident),
    )
    .await
    .assert_problem(409);

    // Refusal stores the note, shown to the person.
    let first = items[0]["user_id"].as_str().unwrap();
    let r = app
        .call(
            Method::POST,
            &format!("/api/v1/hromadas/{KHERSON}/verifications/{first}"),
            Some(json!({"verify": false, "note": "Адреса поза межами громади."})),
            Some(&staff),
        )
        .await;
    assert_eq!(r.status, StatusCode::NO_CONTENT);
    let row = app.db.user_by_id(first).await.unwrap().unwrap();
    assert_eq!(row.verification, "refused");
    assert_eq!(
        row.verification_note.as_deref(),
        Some("Адреса поза межами громади.")
    );
}

#[tokio::test]
async fn admin_grants_and_revokes_staff_and_settings() {
    let app = demo_app().await;
    let admin = app.demo_session("admin@demo.example").await;
    let staff = app.demo_session("staff@demo.example").await;
    let (id, resident) = app.register("olena@example.com", KHERSON).await;

    let r = app.get("/api/v1/admin/users?q=OLENA", Some(&admin)).await;
    assert_eq!(r.status, StatusCode::OK);
    let page = r.json();
    assert_eq!(page["items"].as_array().unwrap().len(), 1);
    assert_eq!(page["items"][0]["id"], id.as_str());
    let r = app
        .get(
            &format!("/api/v1/admin/users?q={}", urlencode("ірина бондаренко")),
            Some(&admin),
        )
        .await;
    assert_eq!(r.json()["items"][0]["email"], "staff@demo.example");
    // Paging through every account.
    let mut n = 0;
    let mut cursor = String::new();
    loop {
        let page = app
            .get(
                &format!("/api/v1/admin/users?limit=2{cursor}"),
                Some(&admin),
            )
            .await
            .json();
        n += page["items"].as_array().unwrap().len();
        match page["next_cursor"].as_str() {
            Some(c) => cursor = format!("&cursor={c}"),
            None => break,
        }
    }
    assert_eq!(n as i64, app.db.user_count().await.unwrap());

    let path = format!("/api/v1/admin/users/{id}/staff/{BERYSLAV}");
    app.call(Method::PUT, &path, None, Some(&staff))
        .await
        .assert_problem(403);
    app.call(Method::PUT, &path, None, Some(&resident))
        .await
        .assert_problem(403);
    app.call(Method::PUT, &path, None, None)
        .await
        .assert_problem(401);
    app.get("/api/v1/admin/users", Some(&staff))
        .await
        .assert_problem(403);
    app.get("/api/v1/admin/users", None)
        .await
        .assert_problem(401);

    let r = app.call(Method::PUT, &path, None, Some(&admin)).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(
        r.json()["staff_of"],
        json!([{"katottg": BERYSLAV, "name": "Бериславська"}])
    );
    assert_eq!(
        app.call(Method::PUT, &path, None, Some(&admin))
            .await
            .status,
        StatusCode::OK
    );
    let me = app.get("/api/v1/me", Some(&resident)).await.json();
    assert_eq!(me["staff_of"][0]["katottg"], BERYSLAV);
    assert_eq!(
        app.get(
            &format!("/api/v1/hromadas/{BERYSLAV}/verifications"),
            Some(&resident)
        )
        .await
        .status,
        StatusCode::OK
    );
    let r = app.call(Method::DELETE, &path, None, Some(&admin)).await;
    assert_eq!(r.json()["staff_of"], json!([]));
    app.get(
        &format!("/api/v1/hromadas/{BERYSLAV}/verifications"),
        Some(&resident),
    )
    .await
    .assert_problem(403);
    app.call(
        Method::PUT,
        &format!("/api/v1/admin/users/{id}/staff/UA00000000000000000"),
        None,
        Some(&admin),
    )
    .await
    .assert_problem(404);
    app.call(
        Method::PUT,
        &format!("/api/v1/admin/users/00000000000000000000000000000000/staff/{KHERSON}"),
        None,
        Some(&admin),
    )
    .await
    .assert_problem(404);

    // Settings: administrators only, within range.
    let settings = |s: u64, d: u64| json!({"petition_signatures": s, "petition_days": d, "petition_verified_only": true});
    let hp = format!("/api/v1/hromadas/{KHERSON}");
    app.call(Method::PATCH, &hp, Some(settings(100, 45)), Some(&staff))
        .await
        .assert_problem(403);
    let r = app
        .call(Method::PATCH, &hp, Some(settings(100, 45)), Some(&admin))
        .await;
    assert_eq!(r.json()["settings"], settings(100, 45));
    let r = app
        .call(Method::PATCH, &hp, Some(settings(0, 366)), Some(&admin))
        .await;
    r.assert_problem(422);
    assert_eq!(
        r.field_errors(),
        vec![
            ("petition_signatures".to_owned(), "invalid".to_owned()),
            ("petition_days".to_owned(), "invalid".to_owned())
        ]
    );
    app.call(
        Method::PATCH,
        "/api/v1/hromadas/UA00000000000000000",
        Some(settings(1, 1)),
        Some(&admin),
    )
    .await
    .assert_problem(404);
}

#[tokio::test]
async fn csrf_defence() {
    let app = app().await;
    let body = json!({"email": "a@b.example", "password": "whatever!"}).to_string();
    // No JSON content type and no client header: 403.
    let req = Request::builder()
        .method(Method::POST)
        .uri("/api/v1/auth/login")
        .header(header::CONTENT_TYPE, "text/plain")
        .body(Body::from(body.clone()))
        .unwrap();
    app.send(req).await.assert_problem(403);
    // With the client header but a wrong media type: 415.
    let req = Request::builder()
        .method(Method::POST)
        .uri("/api/v1/auth/login")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header("x-hromada-client", "web")
        .body(Body::from("email=a"))
        .unwrap();
    app.send(req).await.assert_problem(415);
    // A foreign Origin: 403; our own: fine.
    for (origin, status) in [
        ("https://evil.example", 403),
        ("http://localhost", 401),
        ("null", 403),
    ] {
        let req = Request::builder()
            .method(Method::POST)
            .uri("/api/v1/auth/login")
            .header(header::HOST, "localhost")
            .header(header::ORIGIN, origin)
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(body.clone()))
            .unwrap();
        app.send(req).await.assert_problem(status);
    }
    // GET is never blocked.
    let req = Request::builder()
        .uri("/api/v1/health")
        .header(header::ORIGIN, "https://evil.example")
        .body(Body::empty())
        .unwrap();
    assert_eq!(app.send(req).await.status, StatusCode::OK);
}

#[tokio::test]
async fn allowed_origins_get_cors() {
    let app = app_with(|c| c.allowed_origins = vec!["https://app.example".into()]).await;
    let req = Request::builder()
        .method(Method::POST)
        .uri("/api/v1/auth/login")
        .header(header::HOST, "api.example")
        .header(header::ORIGIN, "https://app.example")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(
            json!({"email": "a@b.example", "password": "whatever!"}).to_string(),
        ))
        .unwrap();
    let r = app.send(req).await;
    r.assert_problem(401);
    assert_eq!(
        r.headers.get("access-control-allow-origin").unwrap(),
        "https://app.example"
    );
    assert_eq!(
        r.headers.get("access-control-allow-credentials").unwrap(),
        "true"
    );
    let csp = r
        .headers
        .get(header::CONTENT_SECURITY_POLICY)
        .unwrap()
        .to_str()
        .unwrap();
    assert!(csp.contains("connect-src 'self' https://app.example"));
}

#[tokio::test]
async fn secure_cookies_behind_tls() {
    let app = app().await;
    let req = Request::builder()
        .method(Method::POST)
        .uri("/api/v1/auth/register")
        .header(header::CONTENT_TYPE, "application/json")
        .header("x-forwarded-proto", "https")
        .body(Body::from(
            json!({
                "email": "olena@example.com", "password": GOOD_PASSWORD, "full_name": "Олена Петренко",
                "hromada": KHERSON, "address": "вул. Соборна, 1, м. Херсон"
            })
            .to_string(),
        ))
        .unwrap();
    let r = app.send(req).await;
    assert!(
        r.headers
            .get(header::SET_COOKIE)
            .unwrap()
            .to_str()
            .unwrap()
            .contains("; Secure")
    );
}

const INDEX: &str = r#"<!DOCTYPE html><html lang="uk"><head><meta charset="utf-8"><title>Громада</title>
<link rel="stylesheet" href="/style-0011223344556677.css">
<script type="module">import init, * as bindings from '/hromada-web-0011223344556677.js';
const wasm = await init({ module_or_path: '/hromada-web-0011223344556677_bg.wasm' });
window.wasmBindings = bindings;</script></head><body></body></html>"#;

#[tokio::test]
async fn static_site_security_headers_and_spa_fallback() {
    let dist = std::env::temp_dir().join(format!(
        "hromada-dist-{}",
        hromada_server::domain::ids::new_id()
    ));
    std::fs::create_dir_all(&dist).unwrap();
    std::fs::write(dist.join("index.html"), INDEX).unwrap();
    std::fs::write(
        dist.join("hromada-web-0011223344556677.js"),
        "export default 1;".repeat(100),
    )
    .unwrap();
    std::fs::write(dist.join("config.json"), r#"{"api_base":""}"#).unwrap();
    let d = dist.clone();
    let app = app_with(move |c| c.static_dir = d).await;

    let r = app.get("/", None).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.headers.get(header::CACHE_CONTROL).unwrap(), "no-cache");
    let csp = r
        .headers
        .get(header::CONTENT_SECURITY_POLICY)
        .unwrap()
        .to_str()
        .unwrap()
        .to_owned();
    let expected = hromada_server::domain::csp::inline_script_hashes(INDEX);
    assert_eq!(expected.len(), 1);
    assert!(
        csp.contains(&format!(
            "script-src 'self' 'wasm-unsafe-eval' {}",
            expected[0]
        )),
        "{csp}"
    );
    for part in [
        "default-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "frame-ancestors 'none'",
        "style-src 'self'",
    ] {
        assert!(csp.contains(part), "{part}");
    }
    assert!(!csp.contains("unsafe-inline"));
    assert_eq!(
        r.headers.get(header::X_CONTENT_TYPE_OPTIONS).unwrap(),
        "nosniff"
    );
    assert_eq!(r.headers.get(header::X_FRAME_OPTIONS).unwrap(), "DENY");
    assert!(r.headers.get(header::REFERRER_POLICY).is_some());
    assert!(r.headers.get("permissions-policy").is_some());

    // The app's own routes fall back to index.html; missing files do not.
    let r = app
        .get(&format!("/hromada/{KHERSON}/petitions"), None)
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(String::from_utf8_lossy(&r.body).contains("Громада"));
    assert_eq!(
        app.get("/missing-0011223344556677.js", None).await.status,
        StatusCode::NOT_FOUND
    );
    // Hashed assets are immutable; config.json is revalidated.
    let r = app.get("/hromada-web-0011223344556677.js", None).await;
    assert_eq!(
        r.headers.get(header::CACHE_CONTROL).unwrap(),
        "public, max-age=31536000, immutable"
    );
    let r = app.get("/config.json", None).await;
    assert_eq!(r.headers.get(header::CACHE_CONTROL).unwrap(), "no-cache");
    // Compression when asked.
    let req = Request::builder()
        .uri("/hromada-web-0011223344556677.js")
        .header(header::ACCEPT_ENCODING, "br")
        .body(Body::empty())
        .unwrap();
    assert_eq!(
        app.send(req)
            .await
            .headers
            .get(header::CONTENT_ENCODING)
            .unwrap(),
        "br"
    );
    // API responses carry the headers too, and are not cached.
    let r = app.get("/api/v1/health", None).await;
    assert!(r.headers.get(header::CONTENT_SECURITY_POLICY).is_some());
    assert_eq!(r.headers.get(header::CACHE_CONTROL).unwrap(), "no-store");
    let _ = std::fs::remove_dir_all(&dist);
}

#[tokio::test]
async fn without_a_built_app_the_api_still_works() {
    let app = app().await;
    let r = app.get("/", None).await;
    assert_eq!(r.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(String::from_utf8_lossy(&r.body).contains("not built"));
    assert_eq!(app.get("/api/v1/health", None).await.status, StatusCode::OK);
}

#[tokio::test]
async fn any_driver_decodes_the_same_on_both_backends() {
    let app = app().await;
    let row = sqlx::query(
        "SELECT CAST(42 AS BIGINT) AS n, CAST(NULL AS TEXT) AS t, 'Херсон' AS s, \
         (SELECT COUNT(*) FROM hromadas) AS c, (SELECT MIN(settlements) FROM hromadas) AS m",
    )
    .fetch_one(app.db.pool())
    .await
    .unwrap();
    assert_eq!(row.get::<i64, _>("n"), 42);
    assert_eq!(row.get::<Option<String>, _>("t"), None);
    assert_eq!(row.get::<String, _>("s"), "Херсон");
    assert_eq!(row.get::<i64, _>("c"), 1774);
    assert!(row.get::<i64, _>("m") >= 1);
    // Database constraints hold even if the code did not check.
    let bad = sqlx::query("UPDATE hromadas SET petition_days = 0 WHERE katottg = $1")
        .bind(KHERSON)
        .execute(app.db.pool())
        .await;
    assert!(bad.is_err());
    let (id, _) = app.register("olena@example.com", KHERSON).await;
    let bad = sqlx::query("UPDATE users SET verification = 'maybe' WHERE id = $1")
        .bind(id.clone())
        .execute(app.db.pool())
        .await;
    assert!(bad.is_err());
    let bad = sqlx::query("UPDATE users SET hromada = 'UA00000000000000000' WHERE id = $1")
        .bind(id)
        .execute(app.db.pool())
        .await;
    assert!(bad.is_err(), "foreign keys are enforced");
}

/// A key whose first request never answered (its process died, or its client went away
/// and the request was dropped) is not held forever: after the lease, a retry of the same
/// request takes it over; another request still may not.
#[tokio::test]
async fn an_abandoned_idempotency_key_is_taken_over_after_its_lease() {
    use hromada_server::db::Claim;
    use hromada_server::domain::idempotency::CLAIM_LEASE_MS;
    let app = common::app().await;
    let t = hromada_server::domain::clock::now_millis();
    let at = hromada_server::domain::clock::rfc3339;
    let claim = |now: i64, fp: &'static str| {
        let db = app.db.clone();
        async move {
            db.claim_idempotency_key("scope", "k1", fp, &at(now), &at(now - CLAIM_LEASE_MS))
                .await
                .unwrap()
        }
    };
    assert!(matches!(claim(t, "fp").await, Claim::Claimed));
    // Within the lease the first request is taken to be running.
    assert!(matches!(
        claim(t + 1_000, "fp").await,
        Claim::Existing { response: None, .. }
    ));
    // After it, another request with that key is still refused…
    assert!(matches!(
        claim(t + CLAIM_LEASE_MS + 1_000, "other").await,
        Claim::Existing { ref fingerprint, .. } if fingerprint == "fp"
    ));
    // …and the same request takes it over, once.
    assert!(matches!(
        claim(t + CLAIM_LEASE_MS + 1_000, "fp").await,
        Claim::Claimed
    ));
    assert!(matches!(
        claim(t + CLAIM_LEASE_MS + 2_000, "fp").await,
        Claim::Existing { response: None, .. }
    ));
}
