//! Bad input to every endpoint gives the documented 4xx as problem+json, never a 500.

mod common;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use common::*;

struct Endpoint {
    method: Method,
    path: String,
    session: Option<String>,
    /// A body of the right shape but wrong types.
    wrong_types: Option<&'static str>,
}

async fn raw(app: &TestApp, e: &Endpoint, content_type: Option<&str>, body: Vec<u8>) -> Resp {
    let mut b = Request::builder()
        .method(e.method.clone())
        .uri(&e.path)
        .header(header::HOST, "localhost")
        .header("x-hromada-client", "test")
        .header(header::CONTENT_LENGTH, body.len());
    if let Some(ct) = content_type {
        b = b.header(header::CONTENT_TYPE, ct);
    }
    if let Some(s) = &e.session {
        b = b.header(header::COOKIE, format!("hromada_session={s}"));
    }
    app.send(b.body(Body::from(body)).unwrap()).await
}

#[tokio::test]
async fn bad_bodies_to_every_endpoint() {
    let app = demo_app().await;
    let admin = app.demo_session("admin@demo.example").await;
    let staff = app.demo_session("staff@demo.example").await;
    let resident = app.demo_session("resident@demo.example").await;
    let me_id = app.get("/api/v1/me", Some(&resident)).await.json()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let mine = app
        .get("/api/v1/me/appeals?status=registered", Some(&resident))
        .await
        .json();
    let appeal = mine["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["status"] == "registered")
        .unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let category = app
        .get(
            &format!("/api/v1/hromadas/{KHERSON}/appeal-categories"),
            None,
        )
        .await
        .json()[0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let verified = app.demo_session("verified@demo.example").await;
    let petition = app
        .get(&format!("/api/v1/hromadas/{KHERSON}/petitions"), None)
        .await
        .json()["items"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let cycle = app
        .get(&format!("/api/v1/hromadas/{KHERSON}/budget-cycles"), None)
        .await
        .json()[0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let project = app
        .get(&format!("/api/v1/budget-cycles/{cycle}/projects"), None)
        .await
        .json()[0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let ep = |m: Method, p: String, s: Option<&String>, w: Option<&'static str>| Endpoint {
        method: m,
        path: p,
        session: s.cloned(),
        wrong_types: w,
    };
    let json_endpoints = [
        ep(
            Method::POST,
            "/api/v1/auth/register".into(),
            None,
            Some(r#"{"email":5,"password":"x","full_name":"x","hromada":"x","address":"x"}"#),
        ),
        ep(
            Method::POST,
            "/api/v1/auth/login".into(),
            None,
            Some(r#"{"email":5,"password":"x"}"#),
        ),
        ep(
            Method::PATCH,
            "/api/v1/me".into(),
            Some(&resident),
            Some(r#"{"full_name":5}"#),
        ),
        ep(
            Method::POST,
            "/api/v1/me/password".into(),
            Some(&resident),
            Some(r#"{"current_password":5,"new_password":[]}"#),
        ),
        ep(
            Method::PATCH,
            format!("/api/v1/hromadas/{KHERSON}"),
            Some(&admin),
            Some(r#"{"petition_signatures":"many","petition_days":-1}"#),
        ),
        ep(
            Method::POST,
            format!("/api/v1/hromadas/{KHERSON}/verifications/{me_id}"),
            Some(&staff),
            Some(r#"{"verify":"yes"}"#),
        ),
        ep(
            Method::POST,
            format!("/api/v1/hromadas/{KHERSON}/appeal-categories"),
            Some(&staff),
            Some(r#"{"name":5}"#),
        ),
        ep(
            Method::PUT,
            format!("/api/v1/appeal-categories/{category}"),
            Some(&staff),
            Some(r#"{"name":[]}"#),
        ),
        ep(
            Method::POST,
            format!("/api/v1/hromadas/{KHERSON}/appeals"),
            Some(&resident),
            Some(
                r#"{"kind":5,"category_id":"x","subject":"x","text":"x","full_name":"x","address":"x","email":"x"}"#,
            ),
        ),
        ep(
            Method::PATCH,
            format!("/api/v1/appeals/{appeal}"),
            Some(&resident),
            Some(r#"{"public":"yes"}"#),
        ),
        ep(
            Method::POST,
            format!("/api/v1/appeals/{appeal}/actions"),
            Some(&staff),
            Some(r#"{"action":"assign","assignee":5}"#),
        ),
        ep(
            Method::POST,
            format!("/api/v1/appeals/{appeal}/answer"),
            Some(&staff),
            Some(r#"{"text":5}"#),
        ),
        ep(
            Method::PUT,
            format!("/api/v1/appeals/{appeal}/rating"),
            Some(&resident),
            Some(r#"{"stars":"five"}"#),
        ),
        ep(
            Method::POST,
            format!("/api/v1/hromadas/{KHERSON}/petitions"),
            Some(&verified),
            Some(r#"{"title":5,"text":[]}"#),
        ),
        ep(
            Method::PUT,
            format!("/api/v1/hromadas/{KHERSON}/petition-settings"),
            Some(&staff),
            Some(r#"{"signatures":"many","days":-1,"verified_only":"yes"}"#),
        ),
        ep(
            Method::POST,
            format!("/api/v1/petitions/{petition}/moderation"),
            Some(&staff),
            Some(r#"{"decision":5}"#),
        ),
        ep(
            Method::POST,
            format!("/api/v1/petitions/{petition}/answer"),
            Some(&staff),
            Some(r#"{"decision":"maybe","text":5}"#),
        ),
        ep(
            Method::POST,
            format!("/api/v1/hromadas/{KHERSON}/budget-cycles"),
            Some(&staff),
            Some(r#"{"year":"this","title":5,"total":-1,"dates":[],"rule":{"kind":"lottery"}}"#),
        ),
        ep(
            Method::PUT,
            format!("/api/v1/budget-cycles/{cycle}"),
            Some(&staff),
            Some(r#"{"year":2026,"title":"x","total":"much","dates":{},"rule":{}}"#),
        ),
        ep(
            Method::POST,
            format!("/api/v1/budget-cycles/{cycle}/projects"),
            Some(&resident),
            Some(
                r#"{"title":"x","description":"x","category":"x","address":"x","cost_lines":[{"item":"x","amount":"-5"}],"total":1}"#,
            ),
        ),
        ep(
            Method::PUT,
            format!("/api/v1/budget-projects/{project}"),
            Some(&resident),
            Some(
                r#"{"title":[],"description":"x","category":"x","address":"x","cost_lines":5,"total":1}"#,
            ),
        ),
        ep(
            Method::POST,
            format!("/api/v1/budget-projects/{project}/review"),
            Some(&staff),
            Some(r#"{"decision":"reject","reason":5}"#),
        ),
        ep(
            Method::POST,
            format!("/api/v1/budget-projects/{project}/cost"),
            Some(&staff),
            Some(r#"{"cost":"much","note":5}"#),
        ),
        ep(
            Method::PUT,
            format!("/api/v1/budget-projects/{project}/implementation"),
            Some(&staff),
            Some(r#"{"progress":300,"milestones":5}"#),
        ),
        ep(
            Method::PUT,
            format!("/api/v1/budget-cycles/{cycle}/ballot"),
            Some(&verified),
            Some(r#"{"project_ids":"all"}"#),
        ),
    ];
    for e in &json_endpoints {
        let what = format!("{} {}", e.method, e.path);
        let json = Some("application/json");
        raw(&app, e, json, vec![]).await.assert_problem(400);
        raw(&app, e, json, b"{".to_vec()).await.assert_problem(400);
        raw(&app, e, json, b"not json".to_vec())
            .await
            .assert_problem(400);
        raw(&app, e, json, vec![b' '; 1024 * 1024])
            .await
            .assert_problem(413);
        let mut big = b"{\"email\":\"".to_vec();
        big.extend(vec![b'a'; 70 * 1024]);
        big.extend(b"\"}");
        raw(&app, e, json, big).await.assert_problem(413);
        raw(&app, e, Some("text/plain"), b"{}".to_vec())
            .await
            .assert_problem(415);
        raw(&app, e, None, b"{}".to_vec()).await.assert_problem(415);
        for shape in ["[]", "null", "\"x\"", "5"] {
            let r = raw(&app, e, json, shape.as_bytes().to_vec()).await;
            assert!(
                r.status == StatusCode::UNPROCESSABLE_ENTITY || r.status == StatusCode::BAD_REQUEST,
                "{what} {shape}"
            );
            r.assert_problem(r.status.as_u16());
        }
        let r = raw(&app, e, json, e.wrong_types.unwrap().as_bytes().to_vec()).await;
        let p = r.assert_problem(422);
        assert!(!p["errors"].as_array().unwrap().is_empty(), "{what}: {p}");
        // An empty object is valid for PATCH /me (nothing changes), a 4xx elsewhere.
        let r = raw(&app, e, json, b"{}".to_vec()).await;
        assert!(r.status.as_u16() < 500, "{what} {{}}");
        if r.status.is_client_error() {
            r.assert_problem(r.status.as_u16());
        }
    }
    // Endpoints without a body refuse oversized ones too.
    let bodiless = [
        ep(Method::POST, "/api/v1/auth/logout".into(), None, None),
        ep(
            Method::POST,
            "/api/v1/me/verification".into(),
            Some(&resident),
            None,
        ),
        ep(
            Method::PUT,
            format!("/api/v1/admin/users/{me_id}/staff/{KHERSON}"),
            Some(&admin),
            None,
        ),
        ep(
            Method::DELETE,
            format!("/api/v1/admin/users/{me_id}/staff/{KHERSON}"),
            Some(&admin),
            None,
        ),
        ep(
            Method::DELETE,
            format!("/api/v1/appeal-categories/{category}"),
            Some(&staff),
            None,
        ),
        ep(
            Method::POST,
            "/api/v1/me/notifications/read-all".into(),
            Some(&resident),
            None,
        ),
        ep(
            Method::POST,
            format!("/api/v1/me/notifications/{appeal}/read"),
            Some(&resident),
            None,
        ),
        ep(
            Method::POST,
            format!("/api/v1/petitions/{petition}/signatures"),
            Some(&verified),
            None,
        ),
    ];
    for e in &bodiless {
        raw(&app, e, Some("application/json"), vec![b' '; 1024 * 1024])
            .await
            .assert_problem(413);
    }
}

#[tokio::test]
async fn bad_paths_and_parameters() {
    let app = demo_app().await;
    let admin = app.demo_session("admin@demo.example").await;
    let staff = app.demo_session("staff@demo.example").await;
    let a = Some(admin.as_str());
    let s = Some(staff.as_str());
    let cases: Vec<(Method, String, Option<&str>, u16)> = vec![
        (Method::GET, "/api/v1/hromadas?cursor=%%%".into(), None, 400),
        (Method::GET, "/api/v1/hromadas?cursor=".into(), None, 400),
        (
            Method::GET,
            "/api/v1/hromadas?cursor=AAAA".into(),
            None,
            400,
        ),
        (
            Method::GET,
            format!("/api/v1/hromadas?cursor={}", "A".repeat(5000)),
            None,
            400,
        ),
        (Method::GET, "/api/v1/hromadas?limit=abc".into(), None, 400),
        (Method::GET, "/api/v1/hromadas?limit=-5".into(), None, 400),
        (
            Method::GET,
            format!("/api/v1/hromadas?q={}", "я".repeat(300)),
            None,
            400,
        ),
        (Method::GET, "/api/v1/hromadas?oblast=1".into(), None, 400),
        (
            Method::GET,
            "/api/v1/hromadas/UA00000000000000000".into(),
            None,
            404,
        ),
        (
            Method::GET,
            "/api/v1/hromadas/..%2F..%2Fetc".into(),
            None,
            404,
        ),
        (
            Method::GET,
            format!("/api/v1/hromadas/{}", "9".repeat(3000)),
            None,
            404,
        ),
        (
            Method::GET,
            "/api/v1/hromadas/UA00000000000000000/verifications".into(),
            s,
            404,
        ),
        (
            Method::GET,
            "/api/v1/hromadas/nonsense/verifications".into(),
            a,
            404,
        ),
        (
            Method::GET,
            format!("/api/v1/hromadas/{KHERSON}/verifications?cursor=garbage"),
            s,
            400,
        ),
        (
            Method::GET,
            format!("/api/v1/hromadas/{KHERSON}/verifications?limit=0"),
            s,
            400,
        ),
        (Method::GET, "/api/v1/admin/users?cursor=!!".into(), a, 400),
        (Method::GET, "/api/v1/admin/users?limit=101".into(), a, 400),
        (
            Method::PUT,
            "/api/v1/admin/users/nobody/staff/nowhere".into(),
            a,
            404,
        ),
        (
            Method::DELETE,
            format!("/api/v1/admin/users/x/staff/{KHERSON}"),
            a,
            404,
        ),
        (Method::GET, "/api/v1/appeals/nope".into(), None, 404),
        (
            Method::GET,
            "/api/v1/appeals/00000000000000000000000000000000".into(),
            a,
            404,
        ),
        (
            Method::GET,
            "/api/v1/appeals/00000000000000000000000000000000/files/nope/thumbnail".into(),
            a,
            404,
        ),
        (
            Method::GET,
            format!("/api/v1/hromadas/{KHERSON}/appeals?cursor=garbage"),
            None,
            400,
        ),
        (
            Method::GET,
            format!("/api/v1/hromadas/{KHERSON}/appeals?status=lost"),
            None,
            400,
        ),
        (
            Method::GET,
            format!("/api/v1/hromadas/{KHERSON}/appeals?category=..%2F"),
            None,
            400,
        ),
        (
            Method::GET,
            format!("/api/v1/hromadas/{KHERSON}/appeals/inbox?kind=petition"),
            s,
            400,
        ),
        (
            Method::GET,
            format!(
                "/api/v1/hromadas/{KHERSON}/appeals/inbox?assignee={}",
                "я".repeat(201)
            ),
            s,
            400,
        ),
        (
            Method::GET,
            "/api/v1/hromadas/UA00000000000000000/appeals".into(),
            None,
            404,
        ),
        (
            Method::GET,
            "/api/v1/hromadas/nonsense/appeal-categories".into(),
            None,
            404,
        ),
        (Method::GET, "/api/v1/me/appeals?cursor=!!".into(), a, 400),
        (
            Method::GET,
            "/api/v1/me/notifications?limit=0".into(),
            a,
            400,
        ),
        (Method::DELETE, "/api/v1/appeals/x".into(), a, 405),
        (Method::GET, "/api/v1/petitions/nope".into(), None, 404),
        (
            Method::GET,
            "/api/v1/petitions/00000000000000000000000000000000".into(),
            a,
            404,
        ),
        (
            Method::GET,
            "/api/v1/petitions/..%2F..%2Fetc/signatures".into(),
            None,
            404,
        ),
        (
            Method::POST,
            "/api/v1/petitions/00000000000000000000000000000000/signatures".into(),
            a,
            404,
        ),
        (
            Method::POST,
            "/api/v1/petitions/nope/signatures".into(),
            s,
            404,
        ),
        (
            Method::GET,
            format!("/api/v1/hromadas/{KHERSON}/petitions?cursor=garbage"),
            None,
            400,
        ),
        (
            Method::GET,
            format!("/api/v1/hromadas/{KHERSON}/petitions?sort=oldest"),
            None,
            400,
        ),
        (
            Method::GET,
            format!("/api/v1/hromadas/{KHERSON}/petitions?status=lost"),
            None,
            400,
        ),
        (
            Method::GET,
            format!("/api/v1/hromadas/{KHERSON}/petitions?sort=most_signed&cursor=AAAA"),
            None,
            400,
        ),
        (
            Method::GET,
            format!("/api/v1/hromadas/{KHERSON}/petitions?limit=0"),
            None,
            400,
        ),
        (
            Method::GET,
            format!("/api/v1/hromadas/{KHERSON}/petitions?q={}", "я".repeat(300)),
            None,
            400,
        ),
        (
            Method::GET,
            format!("/api/v1/hromadas/{KHERSON}/petitions?status=moderation"),
            None,
            401,
        ),
        (
            Method::GET,
            "/api/v1/hromadas/UA00000000000000000/petitions".into(),
            None,
            404,
        ),
        (
            Method::GET,
            "/api/v1/hromadas/nonsense/petitions?sort=newest".into(),
            None,
            404,
        ),
        (Method::GET, "/api/v1/me/petitions?cursor=!!".into(), a, 400),
        (Method::GET, "/api/v1/me/petitions?limit=101".into(), a, 400),
        (Method::DELETE, "/api/v1/petitions/x".into(), a, 405),
        (
            Method::GET,
            "/api/v1/hromadas/UA00000000000000000/petition-settings".into(),
            a,
            405,
        ),
        (Method::GET, "/api/v1/budget-cycles/nope".into(), None, 404),
        (
            Method::GET,
            "/api/v1/budget-cycles/00000000000000000000000000000000/projects".into(),
            None,
            404,
        ),
        (
            Method::GET,
            "/api/v1/budget-cycles/00000000000000000000000000000000/results".into(),
            None,
            404,
        ),
        (
            Method::GET,
            "/api/v1/hromadas/UA00000000000000000/budget-cycles".into(),
            None,
            404,
        ),
        (Method::GET, "/api/v1/budget-projects/nope".into(), None, 404),
        (
            Method::GET,
            "/api/v1/budget-projects/..%2F..%2Fetc/images/x/thumbnail".into(),
            None,
            404,
        ),
        (
            Method::GET,
            "/api/v1/budget-projects/00000000000000000000000000000000/images/00000000000000000000000000000000".into(),
            a,
            404,
        ),
        (Method::DELETE, "/api/v1/budget-cycles/x".into(), a, 405),
        (Method::DELETE, "/api/v1/budget-projects/x".into(), a, 405),
        (Method::GET, "/api/v1/nothing-here".into(), None, 404),
        (Method::GET, "/api/v2/health".into(), None, 404),
        (Method::GET, "/api".into(), None, 404),
        (Method::DELETE, "/api/v1/health".into(), None, 405),
        (Method::PUT, "/api/v1/me".into(), a, 405),
        (Method::GET, "/api/v1/auth/login".into(), None, 405),
    ];
    for (m, path, session, status) in cases {
        let r = app.call(m.clone(), &path, None, session).await;
        assert_eq!(
            r.status.as_u16(),
            status,
            "{m} {path}: {}",
            String::from_utf8_lossy(&r.body)
        );
        r.assert_problem(status);
        if status == 405 {
            assert!(r.headers.get(header::ALLOW).is_some(), "{m} {path}");
        }
    }
    // Bad cursors of a petition's signers: garbage, a negative number ("-1" encoded).
    let petition = app
        .get(&format!("/api/v1/hromadas/{KHERSON}/petitions"), None)
        .await
        .json()["items"][0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    for c in ["garbage", "LTE", "", "QQ"] {
        app.get(
            &format!("/api/v1/petitions/{petition}/signatures?cursor={c}"),
            None,
        )
        .await
        .assert_problem(400);
    }
    app.get(
        &format!("/api/v1/petitions/{petition}/signatures?limit=1000"),
        None,
    )
    .await
    .assert_problem(400);
    // Bad filters of a cycle's projects.
    let cycle = app
        .get(&format!("/api/v1/hromadas/{KHERSON}/budget-cycles"), None)
        .await
        .json()[0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    for q in [
        "sort=oldest",
        "status=lost",
        "category=rockets",
        "mine=perhaps",
        "category=..%2F",
    ] {
        app.get(&format!("/api/v1/budget-cycles/{cycle}/projects?{q}"), None)
            .await
            .assert_problem(400);
    }
    app.get(
        &format!("/api/v1/budget-cycles/{cycle}/projects?mine=true"),
        None,
    )
    .await
    .assert_problem(401);
    // Refusal note too long; unknown user ids.
    let r = app
        .call(
            Method::POST,
            &format!("/api/v1/hromadas/{KHERSON}/verifications/00000000000000000000000000000000"),
            Some(serde_json::json!({"verify": false, "note": "x".repeat(1001)})),
            s,
        )
        .await;
    r.assert_problem(422);
    let r = app
        .call(
            Method::POST,
            &format!("/api/v1/hromadas/{KHERSON}/verifications/00000000000000000000000000000000"),
            Some(serde_json::json!({"verify": true})),
            s,
        )
        .await;
    r.assert_problem(404);
    // Unauthenticated calls to protected endpoints: 401.
    for (m, p) in [
        (Method::GET, "/api/v1/me".to_owned()),
        (Method::PATCH, "/api/v1/me".to_owned()),
        (Method::POST, "/api/v1/me/password".to_owned()),
        (Method::POST, "/api/v1/me/verification".to_owned()),
        (
            Method::GET,
            format!("/api/v1/hromadas/{KHERSON}/verifications"),
        ),
        (Method::GET, "/api/v1/admin/users".to_owned()),
        (Method::PATCH, format!("/api/v1/hromadas/{KHERSON}")),
        (Method::GET, "/api/v1/me/appeals".to_owned()),
        (Method::GET, "/api/v1/me/notifications".to_owned()),
        (Method::POST, "/api/v1/me/notifications/read-all".to_owned()),
        (
            Method::GET,
            format!("/api/v1/hromadas/{KHERSON}/appeals/inbox"),
        ),
        (Method::POST, format!("/api/v1/hromadas/{KHERSON}/appeals")),
        (
            Method::POST,
            format!("/api/v1/hromadas/{KHERSON}/appeal-categories"),
        ),
        (Method::PATCH, "/api/v1/appeals/x".to_owned()),
        (Method::POST, "/api/v1/appeals/x/actions".to_owned()),
        (Method::PUT, "/api/v1/appeals/x/rating".to_owned()),
        (
            Method::POST,
            format!("/api/v1/hromadas/{KHERSON}/petitions"),
        ),
        (
            Method::PUT,
            format!("/api/v1/hromadas/{KHERSON}/petition-settings"),
        ),
        (Method::GET, "/api/v1/me/petitions".to_owned()),
        (Method::POST, "/api/v1/petitions/x/signatures".to_owned()),
        (Method::POST, "/api/v1/petitions/x/moderation".to_owned()),
        (Method::POST, "/api/v1/petitions/x/answer".to_owned()),
        (
            Method::POST,
            format!("/api/v1/hromadas/{KHERSON}/budget-cycles"),
        ),
        (Method::PUT, "/api/v1/budget-cycles/x".to_owned()),
        (Method::POST, "/api/v1/budget-cycles/x/projects".to_owned()),
        (Method::GET, "/api/v1/budget-cycles/x/ballot".to_owned()),
        (Method::PUT, "/api/v1/budget-cycles/x/ballot".to_owned()),
        (
            Method::GET,
            "/api/v1/budget-cycles/x/results.csv".to_owned(),
        ),
        (Method::PUT, "/api/v1/budget-projects/x".to_owned()),
        (Method::POST, "/api/v1/budget-projects/x/review".to_owned()),
        (Method::POST, "/api/v1/budget-projects/x/cost".to_owned()),
        (
            Method::PUT,
            "/api/v1/budget-projects/x/implementation".to_owned(),
        ),
    ] {
        app.call(m, &p, Some(serde_json::json!({})), None)
            .await
            .assert_problem(401);
    }
}
