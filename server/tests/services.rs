//! Public services and consultations (issue 8): the catalogue and who may change it, the
//! centre, the search's quality on a fixed set of questions, consultations from the first
//! question to the staff's answer (privacy, links, notifications, live events, the queue's
//! order), bad input, idempotency and the daily limits.

mod common;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use common::*;
use hromada_api::news::LiveEvent;
use hromada_api::services::ConsultationStatus;
use serde_json::{Value, json};

/// Sends a JSON body with an `Idempotency-Key`.
async fn post_keyed(app: &TestApp, path: &str, body: Value, session: &str, key: &str) -> Resp {
    let req = Request::builder()
        .method(Method::POST)
        .uri(path)
        .header(header::HOST, "localhost")
        .header(header::COOKIE, format!("hromada_session={session}"))
        .header(header::CONTENT_TYPE, "application/json")
        .header("idempotency-key", key)
        .body(Body::from(body.to_string()))
        .expect("request");
    app.send(req).await
}

fn service_body(title: &str) -> Value {
    json!({
        "situation": "documents",
        "title": title,
        "purpose": "Довідка про тих, хто зареєстрований разом із вами.",
        "who": "Будь-хто з повнолітніх членів сім'ї.",
        "documents": ["Паспорт громадянина України", "  Заява  "],
        "fee": null,
        "term": {"days": 0, "working": true},
        "online_url": "https://diia.gov.ua/services/dovidka",
        "keywords": ["справка", "склад сім'ї"],
    })
}

async fn create_service(app: &TestApp, staff: &str, title: &str) -> Value {
    let r = app
        .call(
            Method::POST,
            &format!("/api/v1/hromadas/{KHERSON}/services"),
            Some(service_body(title)),
            Some(staff),
        )
        .await;
    r.expect(StatusCode::CREATED)
}

async fn all_pages(app: &TestApp, path: &str, limit: usize) -> Vec<Value> {
    let mut out = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let url = match &cursor {
            Some(c) => format!("{path}?limit={limit}&cursor={c}"),
            None => format!("{path}?limit={limit}"),
        };
        let page = app.get(&url, None).await.expect(StatusCode::OK);
        out.extend(page["items"].as_array().cloned().unwrap_or_default());
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_owned()),
            None => return out,
        }
    }
}

#[tokio::test]
async fn staff_keep_the_catalogue_and_others_may_not() {
    let app = app().await;
    let (staff, other_staff) = staff_of_both(&app).await;
    let (_, resident) = app.register("resident@k.example", KHERSON).await;
    let path = format!("/api/v1/hromadas/{KHERSON}/services");

    // Who may write.
    let body = service_body("Видача довідки про склад сім'ї");
    app.call(Method::POST, &path, Some(body.clone()), None)
        .await
        .assert_problem(401);
    app.call(Method::POST, &path, Some(body.clone()), Some(&resident))
        .await
        .assert_problem(403);
    app.call(Method::POST, &path, Some(body.clone()), Some(&other_staff))
        .await
        .assert_problem(403);
    app.call(
        Method::POST,
        "/api/v1/hromadas/UA00000000000000000/services",
        Some(body.clone()),
        Some(&staff),
    )
    .await
    .assert_problem(404);

    // Created, tidied, and read back by anyone.
    let s = create_service(&app, &staff, "Видача  довідки про склад сім'ї").await;
    assert_eq!(s["title"], "Видача довідки про склад сім'ї");
    assert_eq!(
        s["documents"],
        json!(["Паспорт громадянина України", "Заява"])
    );
    assert_eq!(s["fee"], Value::Null);
    assert_eq!(s["online"], true);
    assert_eq!(s["centre"], Value::Null);
    let id = id_of(&s);
    let got = app
        .get(&format!("/api/v1/services/{id}"), None)
        .await
        .expect(StatusCode::OK);
    assert_eq!(got, s);

    // Bad input, each beside its field; nothing is saved.
    let r = app
        .call(
            Method::POST,
            &path,
            Some(json!({
                "situation": "documents", "title": "", "purpose": "коротко",
                "documents": ["Паспорт", ""], "fee": 0, "term": {"days": 400, "working": true},
                "online_url": "javascript:alert(1)", "keywords": ["x".repeat(61)],
            })),
            Some(&staff),
        )
        .await;
    r.assert_invalid(&[
        ("title", "required"),
        ("purpose", "too_short"),
        ("documents[1]", "required"),
        ("fee", "invalid"),
        ("term", "invalid"),
        ("online_url", "invalid"),
        ("keywords[0]", "too_long"),
    ]);
    let r = app
        .call(
            Method::POST,
            &path,
            Some(json!({"situation": "nowhere", "title": "Довідка", "purpose": "x", "term": {"days": 1, "working": true}})),
            Some(&staff),
        )
        .await;
    assert!(r.status.is_client_error(), "{}", r.text());
    assert_eq!(all_pages(&app, &path, 10).await.len(), 1);

    // Changed by its staff only.
    let mut changed = service_body("Видача довідки про склад сім'ї");
    changed["fee"] = json!(8_450);
    changed["situation"] = json!("other");
    let put = format!("/api/v1/services/{id}");
    app.call(Method::PUT, &put, Some(changed.clone()), Some(&other_staff))
        .await
        .assert_problem(403);
    let s = app
        .call(Method::PUT, &put, Some(changed), Some(&staff))
        .await
        .expect(StatusCode::OK);
    assert_eq!(
        (s["fee"].clone(), s["situation"].clone()),
        (json!(8_450), json!("other"))
    );

    // An answer about it, then the service deleted: the answer stays without the link.
    let a = app
        .call(
            Method::POST,
            &format!("/api/v1/hromadas/{KHERSON}/answers"),
            Some(json!({"question": "Скільки коштує довідка?", "answer": "Вона безоплатна для всіх.", "service_id": id})),
            Some(&staff),
        )
        .await
        .expect(StatusCode::CREATED);
    assert_eq!(a["service"]["id"], json!(id));
    let s = app
        .get(&format!("/api/v1/services/{id}"), None)
        .await
        .expect(StatusCode::OK);
    assert_eq!(s["answers"][0]["id"], a["id"]);
    app.call(Method::DELETE, &put, None, Some(&resident))
        .await
        .assert_problem(403);
    app.call(Method::DELETE, &put, None, Some(&staff))
        .await
        .assert_status(StatusCode::NO_CONTENT);
    app.get(&put, None).await.assert_problem(404);
    app.call(Method::DELETE, &put, None, Some(&staff))
        .await
        .assert_problem(404);
    let a = app
        .get(&format!("/api/v1/answers/{}", id_of(&a)), None)
        .await
        .expect(StatusCode::OK);
    assert_eq!(a["service"], Value::Null);
    app.get("/api/v1/services/not-an-id!", None)
        .await
        .assert_problem(404);
}

#[tokio::test]
async fn answers_link_only_to_their_own_hromada() {
    let app = app().await;
    let (staff, other_staff) = staff_of_both(&app).await;
    let theirs = app
        .call(
            Method::POST,
            &format!("/api/v1/hromadas/{BERYSLAV}/services"),
            Some(service_body("Довідка Бериславської громади")),
            Some(&other_staff),
        )
        .await
        .expect(StatusCode::CREATED);
    let path = format!("/api/v1/hromadas/{KHERSON}/answers");
    let r = app
        .call(
            Method::POST,
            &path,
            Some(json!({"question": "Чужа послуга?", "answer": "Посилання на чужу послугу.", "service_id": id_of(&theirs)})),
            Some(&staff),
        )
        .await;
    r.assert_invalid(&[("service_id", "invalid")]);
    let r = app
        .call(
            Method::POST,
            &path,
            Some(json!({"question": "", "answer": "коротко", "service_id": "nope"})),
            Some(&staff),
        )
        .await;
    r.assert_invalid(&[
        ("question", "required"),
        ("answer", "too_short"),
        ("service_id", "invalid"),
    ]);
    let a = app
        .call(
            Method::POST,
            &path,
            Some(json!({"question": "Де ЦНАП?", "answer": "На проспекті Ушакова, 37."})),
            Some(&staff),
        )
        .await
        .expect(StatusCode::CREATED);
    let one = format!("/api/v1/answers/{}", id_of(&a));
    app.call(
        Method::PUT,
        &one,
        Some(json!({"question": "Де ЦНАП?", "answer": "На іншій вулиці тепер."})),
        Some(&other_staff),
    )
    .await
    .assert_problem(403);
    let a = app
        .call(
            Method::PUT,
            &one,
            Some(
                json!({"question": "Де знаходиться ЦНАП?", "answer": "На проспекті Ушакова, 37."}),
            ),
            Some(&staff),
        )
        .await
        .expect(StatusCode::OK);
    assert_eq!(a["question"], "Де знаходиться ЦНАП?");
    app.call(Method::DELETE, &one, None, Some(&staff))
        .await
        .assert_status(StatusCode::NO_CONTENT);
    app.get(&one, None).await.assert_problem(404);
}

#[tokio::test]
async fn the_centre_is_described_by_staff() {
    let app = app().await;
    let (staff, other_staff) = staff_of_both(&app).await;
    let path = format!("/api/v1/hromadas/{KHERSON}/centre");
    app.get(&path, None).await.assert_problem(404);
    let centre = json!({
        "name": "ЦНАП Херсонської міської ради",
        "address": "просп. Ушакова, 37, м. Херсон",
        "hours": "Пн–Пт 8:00–17:00\n  \nСб 8:00–15:00 ",
        "phone": "+380 552 26 37 00",
        "email": "CNAP@khmr.gov.ua",
    });
    app.call(Method::PUT, &path, Some(centre.clone()), Some(&other_staff))
        .await
        .assert_problem(403);
    let c = app
        .call(Method::PUT, &path, Some(centre), Some(&staff))
        .await
        .expect(StatusCode::OK);
    assert_eq!(c["hours"], "Пн–Пт 8:00–17:00\nСб 8:00–15:00");
    assert_eq!(c["email"], "cnap@khmr.gov.ua");
    assert_eq!(app.get(&path, None).await.expect(StatusCode::OK), c);
    let r = app
        .call(
            Method::PUT,
            &path,
            Some(json!({"name": "", "address": "x", "hours": "", "phone": "", "email": "not-an-email"})),
            Some(&staff),
        )
        .await;
    r.assert_invalid(&[
        ("name", "required"),
        ("address", "too_short"),
        ("hours", "required"),
        ("email", "invalid"),
    ]);
    app.get("/api/v1/hromadas/UA00000000000000000/centre", None)
        .await
        .assert_problem(404);
}

/// The demo catalogue, paged, in the order of life situations; and the fixed set of
/// questions of `search_queries.json`, each of which must find its service in the first
/// three hits.
#[tokio::test]
async fn the_demo_catalogue_and_the_search_quality() {
    let app = demo_app().await;
    let (services, answers) = hromada_server::demo_services::counts().unwrap();
    assert!(
        services >= 40 && answers >= 30,
        "{services} services, {answers} answers"
    );
    let list = all_pages(&app, &format!("/api/v1/hromadas/{KHERSON}/services"), 7).await;
    assert_eq!(list.len(), services);
    let order = [
        "child",
        "moving",
        "property",
        "business",
        "social",
        "documents",
        "other",
    ];
    let positions: Vec<usize> = list
        .iter()
        .map(|s| order.iter().position(|o| s["situation"] == *o).unwrap())
        .collect();
    assert!(positions.is_sorted(), "not in the order of life situations");
    let listed = all_pages(&app, &format!("/api/v1/hromadas/{KHERSON}/answers"), 9).await;
    assert_eq!(listed.len(), answers);
    let c = app
        .get(&format!("/api/v1/hromadas/{KHERSON}/centre"), None)
        .await
        .expect(StatusCode::OK);
    assert!(c["hours"].as_str().unwrap().contains('\n'));
    app.get(
        &format!("/api/v1/hromadas/{KHERSON}/services?cursor=garbage"),
        None,
    )
    .await
    .assert_problem(400);
    app.get(
        &format!("/api/v1/hromadas/{KHERSON}/services?limit=0"),
        None,
    )
    .await
    .assert_problem(400);

    let cases: Vec<Value> =
        serde_json::from_str(include_str!("search_queries.json")).expect("search_queries.json");
    assert!(cases.len() >= 20, "{} questions", cases.len());
    let mut missed = Vec::new();
    for case in &cases {
        let q = case["q"].as_str().unwrap();
        let want = case["service"].as_str().unwrap();
        let url = format!(
            "/api/v1/hromadas/{KHERSON}/services/search?q={}",
            urlencode(q)
        );
        let hits = app.get(&url, None).await.expect(StatusCode::OK);
        let items = hits["items"].as_array().unwrap();
        let titles: Vec<&str> = items
            .iter()
            .filter(|h| h["kind"] == "service")
            .take(3)
            .map(|h| h["title"].as_str().unwrap())
            .collect();
        let top3: Vec<&str> = items
            .iter()
            .take(3)
            .map(|h| h["title"].as_str().unwrap())
            .collect();
        if !top3.contains(&want) {
            missed.push(format!(
                "“{q}” → {top3:?} (services: {titles:?}), not “{want}”"
            ));
        }
        for h in items {
            assert!(
                !h["matched"].as_array().unwrap().is_empty(),
                "a hit for “{q}” says nothing of why: {h}"
            );
        }
    }
    assert!(missed.is_empty(), "missed:\n{}", missed.join("\n"));

    // Nothing to search for is an empty list; a huge query is cut, not refused.
    for q in ["", "%20%20", "як%20мені", "ґзщфх%20кпрстлмн"] {
        let r = app
            .get(
                &format!("/api/v1/hromadas/{KHERSON}/services/search?q={q}"),
                None,
            )
            .await
            .expect(StatusCode::OK);
        assert_eq!(r["items"], json!([]), "{q}");
    }
    let long = "довідка%20".repeat(1_000);
    let r = app
        .get(
            &format!("/api/v1/hromadas/{KHERSON}/services/search?q={long}"),
            None,
        )
        .await
        .expect(StatusCode::OK);
    assert!(!r["items"].as_array().unwrap().is_empty());
    app.get(
        "/api/v1/hromadas/UA00000000000000000/services/search?q=x",
        None,
    )
    .await
    .assert_problem(404);
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[tokio::test]
async fn a_consultation_from_question_to_answer() {
    let app = app().await;
    let (staff, other_staff) = staff_of_both(&app).await;
    let (resident_id, resident) = app.register("resident@k.example", KHERSON).await;
    let (_, stranger) = app.register("stranger@k.example", KHERSON).await;
    let service = create_service(&app, &staff, "Видача довідки про склад сім'ї").await;
    let theirs = app
        .call(
            Method::POST,
            &format!("/api/v1/hromadas/{BERYSLAV}/services"),
            Some(service_body("Довідка Бериславської громади")),
            Some(&other_staff),
        )
        .await
        .expect(StatusCode::CREATED);
    let ask = format!("/api/v1/hromadas/{KHERSON}/consultations");
    let mut rx = app.live.subscribe();

    // Guests may not ask; bad questions are refused beside the field.
    app.call(Method::POST, &ask, Some(json!({"text": "Питання"})), None)
        .await
        .assert_problem(401);
    for (text, code) in [
        (String::new(), "required"),
        (" \n ".to_owned(), "required"),
        ("а".repeat(2_001), "too_long"),
    ] {
        app.call(
            Method::POST,
            &ask,
            Some(json!({"text": text})),
            Some(&resident),
        )
        .await
        .assert_invalid(&[("text", code)]);
    }
    app.call(
        Method::POST,
        "/api/v1/hromadas/UA00000000000000000/consultations",
        Some(json!({"text": "Питання"})),
        Some(&resident),
    )
    .await
    .assert_problem(404);

    // Asked: waiting, with the resident's own words; links from a resident are ignored.
    let question = "  Як отримати довідку про склад сім'ї?\nДякую ";
    let c = post_keyed(
        &app,
        &ask,
        json!({"text": question, "links": [{"kind": "service", "id": id_of(&service)}]}),
        &resident,
        "ask-1",
    )
    .await
    .expect(StatusCode::CREATED);
    let id = id_of(&c);
    assert_eq!(c["status"], "waiting");
    assert_eq!(c["subject"], "Як отримати довідку про склад сім'ї?");
    assert_eq!(c["mine"], true);
    assert_eq!(c["message_count"], 1);
    assert_eq!(
        c["messages"][0]["text"],
        "Як отримати довідку про склад сім'ї?\nДякую"
    );
    assert_eq!(c["messages"][0]["links"], json!([]));
    assert_eq!(c["waiting_since"], c["created_at"]);
    // The same key again gives the same consultation, not a second one.
    let again = post_keyed(
        &app,
        &ask,
        json!({"text": question, "links": [{"kind": "service", "id": id_of(&service)}]}),
        &resident,
        "ask-1",
    )
    .await
    .expect(StatusCode::CREATED);
    assert_eq!(again["id"], c["id"]);
    let mine = app
        .get("/api/v1/me/consultations", Some(&resident))
        .await
        .expect(StatusCode::OK);
    assert_eq!(mine["items"].as_array().unwrap().len(), 1);
    // The staff's streams heard of it.
    // Events go through the database to every process's streams: they arrive soon after.
    let e = tokio::time::timeout(std::time::Duration::from_secs(5), rx.recv())
        .await
        .expect("an event in time")
        .expect("an event");
    assert!(e.reaches(KHERSON, None, true) && !e.reaches(KHERSON, None, false));
    assert_eq!(
        e.event,
        Some(LiveEvent::Consultation {
            id: id.clone(),
            status: ConsultationStatus::Waiting
        })
    );

    // Private: another resident and staff of another hromada get 404; guests 401.
    let one = format!("/api/v1/consultations/{id}");
    app.get(&one, Some(&stranger)).await.assert_problem(404);
    app.get(&one, Some(&other_staff)).await.assert_problem(404);
    app.get(&one, None).await.assert_problem(401);
    let write = format!("{one}/messages");
    app.call(
        Method::POST,
        &write,
        Some(json!({"text": "Відповідь"})),
        Some(&other_staff),
    )
    .await
    .assert_problem(404);
    app.call(
        Method::POST,
        &format!("{one}/close"),
        Some(json!({})),
        Some(&stranger),
    )
    .await
    .assert_problem(404);
    app.get(
        &format!("/api/v1/hromadas/{KHERSON}/consultations"),
        Some(&other_staff),
    )
    .await
    .assert_problem(403);
    app.get(
        &format!("/api/v1/hromadas/{KHERSON}/consultations"),
        Some(&resident),
    )
    .await
    .assert_problem(403);
    let seen = app.get(&one, Some(&staff)).await.expect(StatusCode::OK);
    assert_eq!(seen["mine"], false);

    // Staff links must be of this hromada's catalogue, at most five, none twice.
    let link = |id: &Value| json!({"kind": "service", "id": id_of(id)});
    let r = app
        .call(
            Method::POST,
            &write,
            Some(json!({"text": "Ось.", "links": [link(&service), link(&theirs)]})),
            Some(&staff),
        )
        .await;
    r.assert_invalid(&[("links[1]", "invalid")]);
    let r = app
        .call(
            Method::POST,
            &write,
            Some(json!({"text": "Ось.", "links": [link(&service), link(&service)]})),
            Some(&staff),
        )
        .await;
    r.assert_invalid(&[("links", "invalid")]);
    let r = app
        .call(
            Method::POST,
            &write,
            Some(json!({"text": "", "links": [{"kind": "answer", "id": "nope"}]})),
            Some(&staff),
        )
        .await;
    assert_eq!(
        r.field_errors()[0],
        ("text".to_owned(), "required".to_owned())
    );

    // Staff answer with a link: answered, the author notified (live too).
    while rx.try_recv().is_ok() {}
    let c = post_keyed(
        &app,
        &write,
        json!({"text": "Довідку видають у ЦНАП у день звернення.", "links": [link(&service)]}),
        &staff,
        "reply-1",
    )
    .await
    .expect(StatusCode::CREATED);
    assert_eq!(c["status"], "answered");
    assert_eq!(c["waiting_since"], Value::Null);
    assert_eq!(c["messages"][1]["sender"], "staff");
    assert_eq!(
        c["messages"][1]["links"],
        json!([{"kind": "service", "id": id_of(&service), "title": "Видача довідки про склад сім'ї"}])
    );
    let answered = |heard: &[hromada_server::domain::live::Envelope]| {
        heard.iter().any(|e| {
            matches!(
                &e.event,
                Some(LiveEvent::Consultation {
                    status: ConsultationStatus::Answered,
                    ..
                })
            )
        }) && heard
            .iter()
            .any(|e| matches!(&e.event, Some(LiveEvent::Notification(_))))
    };
    let mut heard = Vec::new();
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(5);
    while !answered(&heard) {
        match tokio::time::timeout_at(deadline, rx.recv()).await {
            Ok(Ok(e)) => heard.push(e),
            _ => break,
        }
    }
    assert!(heard.iter().any(|e| matches!(
        &e.event,
        Some(LiveEvent::Consultation {
            status: ConsultationStatus::Answered,
            ..
        })
    )));
    assert!(heard.iter().any(|e| e.reaches("any", Some(&resident_id), false)
        && matches!(&e.event, Some(LiveEvent::Notification(n)) if n.consultation.as_ref().is_some_and(|c| c.id == id))));
    let n = app
        .get("/api/v1/me/notifications", Some(&resident))
        .await
        .expect(StatusCode::OK);
    assert_eq!(n["items"][0]["kind"], "consultation_answered");
    assert_eq!(n["items"][0]["consultation"]["id"], json!(id));
    assert_eq!(n["unread"], 1);

    // The resident writes again: waiting; closed; writing again reopens it.
    let c = app
        .call(
            Method::POST,
            &write,
            Some(json!({"text": "А якщо паспорт втрачено?"})),
            Some(&resident),
        )
        .await
        .expect(StatusCode::CREATED);
    assert_eq!(
        (c["status"].clone(), c["message_count"].clone()),
        (json!("waiting"), json!(3))
    );
    let c = app
        .call(
            Method::POST,
            &format!("{one}/close"),
            Some(json!({})),
            Some(&resident),
        )
        .await
        .expect(StatusCode::OK);
    assert_eq!(
        (c["status"].clone(), c["waiting_since"].clone()),
        (json!("closed"), Value::Null)
    );
    app.call(
        Method::POST,
        &format!("{one}/close"),
        Some(json!({})),
        Some(&staff),
    )
    .await
    .expect(StatusCode::OK);
    let closed = app
        .get(
            &format!("/api/v1/hromadas/{KHERSON}/consultations?status=closed"),
            Some(&staff),
        )
        .await
        .expect(StatusCode::OK);
    assert_eq!(closed["items"][0]["id"], json!(id));
    let c = app
        .call(
            Method::POST,
            &write,
            Some(json!({"text": "Ще одне питання."})),
            Some(&resident),
        )
        .await
        .expect(StatusCode::CREATED);
    assert_eq!(c["status"], "waiting");
    app.get(
        &format!("/api/v1/hromadas/{KHERSON}/consultations?status=nope"),
        Some(&staff),
    )
    .await
    .assert_problem(400);
}

#[tokio::test]
async fn the_queue_is_oldest_first_and_pages() {
    let app = app().await;
    let (staff, _) = staff_of_both(&app).await;
    let people = people(&app, 5, KHERSON, "asker").await;
    let mut ids = Vec::new();
    for (i, (_, session)) in people.iter().enumerate() {
        let c = app
            .call(
                Method::POST,
                &format!("/api/v1/hromadas/{KHERSON}/consultations"),
                Some(json!({"text": format!("Питання номер {i}")})),
                Some(session),
            )
            .await
            .expect(StatusCode::CREATED);
        ids.push(id_of(&c));
        tokio::time::sleep(std::time::Duration::from_millis(3)).await;
    }
    // Staff answer the second one: it leaves the waiting queue.
    app.call(
        Method::POST,
        &format!("/api/v1/consultations/{}/messages", ids[1]),
        Some(json!({"text": "Відповідь."})),
        Some(&staff),
    )
    .await
    .expect(StatusCode::CREATED);
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let url = match &cursor {
            Some(c) => format!("/api/v1/hromadas/{KHERSON}/consultations?limit=2&cursor={c}"),
            None => format!("/api/v1/hromadas/{KHERSON}/consultations?limit=2"),
        };
        let page = app.get(&url, Some(&staff)).await.expect(StatusCode::OK);
        for item in page["items"].as_array().unwrap() {
            seen.push(id_of(item));
        }
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_owned()),
            None => break,
        }
    }
    let want: Vec<String> = ids
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != 1)
        .map(|(_, id)| id.clone())
        .collect();
    assert_eq!(seen, want);
    let answered = app
        .get(
            &format!("/api/v1/hromadas/{KHERSON}/consultations?status=answered"),
            Some(&staff),
        )
        .await
        .expect(StatusCode::OK);
    assert_eq!(answered["items"][0]["id"], json!(ids[1]));
    assert_eq!(answered["items"].as_array().unwrap().len(), 1);
    app.get(
        &format!("/api/v1/hromadas/{KHERSON}/consultations?cursor=bad"),
        Some(&staff),
    )
    .await
    .assert_problem(400);
}

#[tokio::test]
async fn asking_has_a_daily_limit() {
    let app = app().await;
    let (_, resident) = app.register("resident@k.example", KHERSON).await;
    let ask = format!("/api/v1/hromadas/{KHERSON}/consultations");
    for i in 0..hromada_server::domain::services::DAILY_CONSULTATIONS {
        app.call(
            Method::POST,
            &ask,
            Some(json!({"text": format!("Питання {i}")})),
            Some(&resident),
        )
        .await
        .assert_status(StatusCode::CREATED);
    }
    let r = app
        .call(
            Method::POST,
            &ask,
            Some(json!({"text": "Ще одне"})),
            Some(&resident),
        )
        .await;
    r.assert_problem(429);
    assert!(r.headers.contains_key(header::RETRY_AFTER));
}
