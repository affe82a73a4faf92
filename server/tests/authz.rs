//! The authorization matrix: every route the server registers, asked by each of six
//! people — a guest, a resident of Kherson (not verified), a verified resident of
//! Kherson, staff of Kherson, staff of another hromada (Beryslav) and an administrator —
//! with the status each must get (a valid body wherever one is needed, so that the status
//! says who may, not what was wrong with the input). And the rule of the contract: no
//! private object (an appeal, a consultation, a notification, a petition in moderation, a
//! project in review, a draft) is readable by anyone it does not belong to: they get
//! exactly what they would get for an object that does not exist.

mod common;

use std::collections::BTreeSet;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use common::*;
use hromada_api::petitions::{Moderation, NewPetition};
use hromada_api::time::format_date;
use hromada_api::workdays::kyiv_day;
use hromada_server::db::NewUser;
use hromada_server::domain::accounts::{self, Account};
use hromada_server::domain::{clock, ids, petitions};
use hromada_server::http::{Verb, api_routes};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tower::ServiceExt;

const DAY: i64 = 24 * 60 * 60 * 1000;

/// Who asks, in the order of the columns of the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Actor {
    Guest,
    /// A resident of Kherson, not verified: the author of the private objects.
    Resident,
    /// A verified resident of Kherson: "another resident" of those objects.
    Verified,
    /// Staff of Kherson.
    Staff,
    /// Staff of Beryslav.
    OtherStaff,
    /// An administrator (a resident of Kherson, not verified, not staff anywhere).
    Admin,
}
use Actor::*;

const ACTORS: [Actor; 6] = [Guest, Resident, Verified, Staff, OtherStaff, Admin];

/// Whom a private object belongs to (besides its hromada's staff and administrators).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Owner {
    /// Its author, the [`Resident`].
    Resident,
    /// Its author, the [`Verified`] resident.
    Verified,
    /// No resident: a draft of the hromada's staff.
    StaffOnly,
}

impl Owner {
    fn is(self, a: Actor) -> bool {
        matches!(
            (self, a),
            (Owner::Resident, Resident) | (Owner::Verified, Verified)
        )
    }

    /// Whether `a` is someone the object does not belong to: the guest, a resident who
    /// is not its author, staff of another hromada.
    fn outsider(self, a: Actor) -> bool {
        matches!(a, Guest | Resident | Verified | OtherStaff) && !self.is(a)
    }
}

/// The body of a request.
#[derive(Clone)]
enum Payload {
    /// None, with `X-Hromada-Client` (as the app sends bodiless POSTs).
    Empty,
    Json(Value),
    /// JSON made for each request, from a number used once (names, years and emails that
    /// must not repeat).
    Each(fn(u32) -> Value),
    /// A JPEG as the raw body.
    Jpeg(Vec<u8>),
}

/// An object made anew for each request, because a successful request changes it (ends
/// its draft state, deletes it, answers it): its id replaces `{new}` in the path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fresh {
    /// An appeal of the [`Resident`], registered.
    Appeal,
    NewsDraft,
    /// An alert in force.
    Alert,
    /// An alert that starts tomorrow.
    FutureAlert,
    PollDraft,
    Service,
    FaqAnswer,
    /// A resident of Kherson waiting for verification (the id is the person's).
    Pending,
    /// A resident of Beryslav waiting for verification.
    PendingElsewhere,
    /// A petition of the [`Verified`] resident in moderation.
    Moderation,
    /// A petition under consideration.
    Consideration,
}

struct Row {
    verb: Verb,
    /// The route as registered (relative to `/api/v1`).
    route: &'static str,
    /// The path asked, with `{new}` for a [`Fresh`] object.
    path: String,
    send: Payload,
    /// Guest, resident, verified, staff, other staff, administrator.
    expect: [u16; 6],
    fresh: Option<Fresh>,
    /// The private object the request is about: whom it belongs to, and its id in the
    /// path (`None`: the fresh one).
    private: Option<(Owner, Option<String>)>,
    /// Each request comes with a session of its own (the request may end it).
    own_session: bool,
}

impl Row {
    fn fresh(mut self, f: Fresh) -> Self {
        self.fresh = Some(f);
        self
    }

    fn private(mut self, owner: Owner, id: &str) -> Self {
        self.private = Some((owner, Some(id.to_owned())));
        self
    }

    fn private_fresh(mut self, owner: Owner) -> Self {
        self.private = Some((owner, None));
        self
    }

    fn own_session(mut self) -> Self {
        self.own_session = true;
        self
    }
}

fn row(verb: Verb, route: &'static str, path: String, send: Payload, expect: [u16; 6]) -> Row {
    Row {
        verb,
        route,
        path: if path.starts_with("/api/v1") {
            path
        } else {
            format!("/api/v1{path}")
        },
        send,
        expect,
        fresh: None,
        private: None,
        own_session: false,
    }
}

/// The ids of the objects the rows are about.
#[derive(Default)]
struct Fx {
    /// An active category of appeals of Kherson (new appeals use it).
    category: String,
    category_rename: String,
    category_archive: String,
    /// The resident's private appeal, with a photo: its id, the photo's and thumbnail's paths.
    appeal: String,
    photo: String,
    thumbnail: String,
    /// The resident's private appeal, answered.
    answered: String,
    /// The resident's appeal made public.
    appeal_public: String,
    /// One of the resident's notifications.
    notification: String,
    /// One of the resident's push devices.
    device: String,
    /// The verified resident's petition in moderation.
    moderation: String,
    /// Another person's petition collecting signatures.
    collecting: String,
    /// Budget cycles in submission (with its draft), voting and implementation.
    cycle_submission: String,
    cycle_body: Value,
    cycle_voting: String,
    cycle_done: String,
    /// The resident's project in review, with an image (its and its thumbnail's paths).
    project: String,
    image: String,
    image_thumbnail: String,
    /// An accepted project on the ballot of the voting cycle.
    on_ballot: String,
    /// A funded project of the cycle in implementation.
    funded: String,
    poll_draft: String,
    poll_draft_body: Value,
    /// An open poll of verified residents whose results show after it closes, with a
    /// text question at position 1.
    poll_open: String,
    news_draft: String,
    news_public: String,
    /// A news item to be published tomorrow.
    news_scheduled: String,
    /// An uploaded image: its path.
    media: String,
    alert: String,
    /// An alert that starts tomorrow.
    alert_future: String,
    service: String,
    faq: String,
    /// The resident's consultation.
    consultation: String,
    /// An account the administrator makes staff and back.
    someone: String,
}

struct Person {
    id: String,
    session: String,
}

struct World {
    app: TestApp,
    /// Indexed as [`ACTORS`]; the guest has none.
    people: Vec<Option<Person>>,
    /// Another verified resident of Kherson: writes the petitions others sign.
    author: Account,
    /// Yet another, who signs them.
    signer: Account,
    fx: Fx,
}

impl World {
    fn person(&self, a: Actor) -> Option<&Person> {
        self.people[a as usize].as_ref()
    }

    async fn account(&self, a: Actor) -> Account {
        let id = &self.person(a).expect("signed in").id;
        Account::by_id(&self.app.db, id).await.unwrap().unwrap()
    }
}

// ---------------------------------------------------------------------------------------
// Bodies

fn settings_body() -> Value {
    json!({"petition_signatures": 250, "petition_days": 60, "petition_verified_only": true})
}

fn new_appeal(category: &str) -> Value {
    json!({
        "kind": "complaint",
        "category_id": category,
        "subject": "Яма на вулиці Соборній",
        "text": "На вулиці Соборній біля будинку 3 яма глибиною 20 см. Прошу відремонтувати.",
        "location": "вул. Соборна, 3",
        "full_name": "Олена Петренко",
        "address": "вул. Соборна, 1, м. Херсон",
        "email": "olena@example.com",
    })
}

fn news_draft(publish: &str) -> Value {
    json!({
        "title": "Відключення води на Таврійському",
        "summary": "",
        "category": "utilities",
        "body": "Перший абзац новини.\n\n- пункт один\n- пункт два\n",
        "publish": publish,
    })
}

fn alert_draft() -> Value {
    json!({
        "severity": "warning",
        "text": "Перекрито рух на мосту",
        "area": "Корабельний район",
        "expires_at": clock::rfc3339(clock::now_millis() + DAY),
    })
}

/// An alert that starts tomorrow.
fn future_alert_draft() -> Value {
    let mut d = alert_draft();
    d["starts_at"] = json!(clock::rfc3339(clock::now_millis() + DAY));
    d["expires_at"] = json!(clock::rfc3339(clock::now_millis() + 2 * DAY));
    d
}

fn scheduled_news() -> Value {
    let mut d = news_draft("at");
    d["publish_at"] = json!(clock::rfc3339(clock::now_millis() + DAY));
    d
}

fn dates(offsets: [i64; 5]) -> Value {
    let today = kyiv_day(clock::now_millis());
    let d = |i: usize| format_date(today + offsets[i]);
    json!({
        "submission": d(0), "review": d(1), "voting": d(2), "results": d(3),
        "implementation": d(4),
    })
}

const SUBMISSION: [i64; 5] = [0, 10, 20, 30, 40];
const VOTING: [i64; 5] = [-20, -10, 0, 10, 20];
const IMPLEMENTATION: [i64; 5] = [-40, -30, -20, -10, 0];

fn cycle_body(year: u32, offsets: [i64; 5]) -> Value {
    json!({
        "year": year,
        "title": format!("Громадський бюджет {year}"),
        "total": 3_000_000,
        "dates": dates(offsets),
        "rule": {"kind": "choose", "max": 3, "one_per_category": false},
    })
}

fn project_body(title: &str) -> Value {
    json!({
        "title": title,
        "description": "Облаштувати простір для мешканців мікрорайону: лавки, освітлення та доріжки.",
        "category": "environment",
        "address": "вул. Соборна, 12, м. Херсон",
        "cost_lines": [{"item": "Роботи і матеріали", "amount": 100_000}],
        "total": 100_000,
    })
}

fn poll_draft() -> Value {
    json!({
        "kind": "poll",
        "title": "Де облаштувати сквер?",
        "intro": "",
        "questions": [
            {"title": "Де?", "required": true, "kind": "single", "options": ["Центр", "Острів"]},
            {"title": "Ваша пропозиція", "required": false, "kind": "text"},
        ],
        "audience": "verified",
        "results_shown": "after_close",
        "opens_at": clock::rfc3339(clock::now_millis() - DAY),
        "closes_at": clock::rfc3339(clock::now_millis() + 10 * DAY),
    })
}

fn service_body() -> Value {
    json!({
        "situation": "documents",
        "title": "Видача довідки про склад сім'ї",
        "purpose": "Довідка про тих, хто зареєстрований разом із вами.",
        "who": "Будь-хто з повнолітніх членів сім'ї.",
        "documents": ["Паспорт громадянина України"],
        "fee": null,
        "term": {"days": 0, "working": true},
        "online_url": null,
        "keywords": ["справка"],
    })
}

fn faq_body() -> Value {
    json!({"question": "Скільки коштує довідка?", "answer": "Вона безоплатна для всіх.", "service_id": null})
}

fn centre_body() -> Value {
    json!({
        "name": "ЦНАП Херсонської міської ради",
        "address": "просп. Ушакова, 37, м. Херсон",
        "hours": "Пн–Пт 8:00–17:00",
        "phone": "+380 552 26 37 00",
        "email": "cnap@khmr.gov.ua",
    })
}

fn password_body() -> Value {
    json!({"current_password": GOOD_PASSWORD, "new_password": GOOD_PASSWORD})
}

fn register_body(n: u32) -> Value {
    json!({
        "email": format!("new{n}@k.example"),
        "password": GOOD_PASSWORD,
        "full_name": "Олена Петренко",
        "hromada": KHERSON,
        "address": "вул. Соборна, 1, м. Херсон",
    })
}

/// A browser's subscription on a known push service, new for each request.
fn device_body(n: u32) -> Value {
    json!({
        "endpoint": format!("https://fcm.googleapis.com/fcm/send/authz-{n}"),
        "keys": {
            "p256dh": "BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM",
            "auth": "tBHItJI5svbpez7KI4CCXg",
        },
    })
}

fn category_body(n: u32) -> Value {
    json!({"name": format!("Категорія {n}")})
}

fn cycle_each(n: u32) -> Value {
    cycle_body(2030 + n % 60, SUBMISSION)
}

// ---------------------------------------------------------------------------------------
// The table

/// Every request, with the status each of [`ACTORS`] must get:
/// guest, resident, verified resident, staff, staff of Beryslav, administrator.
#[rustfmt::skip]
fn rows(f: &Fx) -> Vec<Row> {
    use Payload::{Each, Empty, Json};
    use Verb::*;
    let k = KHERSON;
    let login = json!({"email": "login@k.example", "password": GOOD_PASSWORD});
    let appeal = new_appeal(&f.category);
    vec![
        // System and hromadas.
        row(Get,    "/health",                        "/health".into(),                                Empty, [200, 200, 200, 200, 200, 200]),
        row(Get,    "/hromadas",                      "/hromadas?q=херс".into(),                       Empty, [200, 200, 200, 200, 200, 200]),
        row(Get,    "/hromadas/{katottg}",            format!("/hromadas/{k}"),                        Empty, [200, 200, 200, 200, 200, 200]),
        row(Patch,  "/hromadas/{katottg}",            format!("/hromadas/{k}"),                        Json(settings_body()), [401, 403, 403, 403, 403, 200]),
        row(Get,    "/hromadas/{katottg}/verifications", format!("/hromadas/{k}/verifications"),       Empty, [401, 403, 403, 200, 403, 200]),
        row(Post,   "/hromadas/{katottg}/verifications/{user_id}", format!("/hromadas/{k}/verifications/{{new}}"), Json(json!({"verify": true})), [401, 403, 403, 204, 403, 204]).fresh(Fresh::Pending),
        row(Post,   "/hromadas/{katottg}/verifications/{user_id}", format!("/hromadas/{k}/verifications/{{new}}"), Json(json!({"verify": true})), [401, 403, 403, 404, 403, 404]).fresh(Fresh::PendingElsewhere),
        // Accounts.
        row(Post,   "/auth/register",                 "/auth/register".into(),                         Each(register_body), [201, 201, 201, 201, 201, 201]).own_session(),
        row(Post,   "/auth/login",                    "/auth/login".into(),                            Json(login), [200, 200, 200, 200, 200, 200]).own_session(),
        row(Post,   "/auth/logout",                   "/auth/logout".into(),                           Empty, [204, 204, 204, 204, 204, 204]).own_session(),
        row(Get,    "/me",                            "/me".into(),                                    Empty, [401, 200, 200, 200, 200, 200]),
        row(Patch,  "/me",                            "/me".into(),                                    Json(json!({"address": "вул. Соборна, 1, м. Херсон"})), [401, 200, 200, 200, 200, 200]),
        row(Post,   "/me/password",                   "/me/password".into(),                           Json(password_body()), [401, 204, 204, 204, 204, 204]),
        row(Post,   "/me/verification",               "/me/verification".into(),                       Empty, [401, 200, 409, 200, 200, 200]),
        row(Get,    "/admin/users",                   "/admin/users?q=k.example".into(),               Empty, [401, 403, 403, 403, 403, 200]),
        row(Put,    "/admin/users/{id}/staff/{katottg}", format!("/admin/users/{}/staff/{k}", f.someone), Empty, [401, 403, 403, 403, 403, 200]),
        row(Delete, "/admin/users/{id}/staff/{katottg}", format!("/admin/users/{}/staff/{k}", f.someone), Empty, [401, 403, 403, 403, 403, 200]),
        // News, images, alerts, live events.
        row(Get,    "/hromadas/{katottg}/news",       format!("/hromadas/{k}/news"),                   Empty, [200, 200, 200, 200, 200, 200]),
        row(Get,    "/hromadas/{katottg}/news",       format!("/hromadas/{k}/news?status=all"),        Empty, [401, 403, 403, 200, 403, 200]),
        row(Post,   "/hromadas/{katottg}/news",       format!("/hromadas/{k}/news"),                   Json(news_draft("draft")), [401, 403, 403, 201, 403, 201]),
        row(Get,    "/news/{id}",                     format!("/news/{}", f.news_draft),               Empty, [404, 404, 404, 200, 404, 200]).private(Owner::StaffOnly, &f.news_draft),
        row(Get,    "/news/{id}",                     format!("/news/{}", f.news_scheduled),           Empty, [404, 404, 404, 200, 404, 200]).private(Owner::StaffOnly, &f.news_scheduled),
        row(Get,    "/news/{id}",                     format!("/news/{}", f.news_public),              Empty, [200, 200, 200, 200, 200, 200]),
        row(Put,    "/news/{id}",                     format!("/news/{}", f.news_draft),               Json(news_draft("draft")), [401, 404, 404, 200, 404, 200]).private(Owner::StaffOnly, &f.news_draft),
        row(Put,    "/news/{id}",                     format!("/news/{}", f.news_public),              Json(news_draft("now")), [401, 403, 403, 200, 403, 200]),
        row(Delete, "/news/{id}",                     "/news/{new}".into(),                            Empty, [401, 404, 404, 204, 404, 204]).fresh(Fresh::NewsDraft).private_fresh(Owner::StaffOnly),
        row(Post,   "/hromadas/{katottg}/media",      format!("/hromadas/{k}/media"),                  Payload::Jpeg(jpeg(64, 48)), [401, 403, 403, 201, 403, 201]),
        row(Get,    "/media/{id}/{file}",             f.media.clone(),                                 Empty, [200, 200, 200, 200, 200, 200]),
        row(Get,    "/hromadas/{katottg}/alerts",     format!("/hromadas/{k}/alerts"),                 Empty, [200, 200, 200, 200, 200, 200]),
        row(Get,    "/hromadas/{katottg}/alerts",     format!("/hromadas/{k}/alerts?all=1"),           Empty, [401, 403, 403, 200, 403, 200]),
        row(Post,   "/hromadas/{katottg}/alerts",     format!("/hromadas/{k}/alerts"),                 Json(alert_draft()), [401, 403, 403, 201, 403, 201]),
        row(Put,    "/alerts/{id}",                   format!("/alerts/{}", f.alert),                  Json(alert_draft()), [401, 403, 403, 200, 403, 200]),
        row(Put,    "/alerts/{id}",                   format!("/alerts/{}", f.alert_future),           Json(future_alert_draft()), [401, 404, 404, 200, 404, 200]).private(Owner::StaffOnly, &f.alert_future),
        row(Post,   "/alerts/{id}/end",               "/alerts/{new}/end".into(),                      Empty, [401, 403, 403, 200, 403, 200]).fresh(Fresh::Alert),
        row(Post,   "/alerts/{id}/end",               "/alerts/{new}/end".into(),                      Empty, [401, 404, 404, 200, 404, 200]).fresh(Fresh::FutureAlert).private_fresh(Owner::StaffOnly),
        row(Get,    "/hromadas/{katottg}/events",     format!("/hromadas/{k}/events"),                 Empty, [200, 200, 200, 200, 200, 200]),
        // Appeals and notifications.
        row(Get,    "/hromadas/{katottg}/appeal-categories", format!("/hromadas/{k}/appeal-categories"), Empty, [200, 200, 200, 200, 200, 200]),
        row(Get,    "/hromadas/{katottg}/appeal-categories", format!("/hromadas/{k}/appeal-categories?archived=true"), Empty, [401, 403, 403, 200, 403, 200]),
        row(Post,   "/hromadas/{katottg}/appeal-categories", format!("/hromadas/{k}/appeal-categories"), Each(category_body), [401, 403, 403, 201, 403, 201]),
        row(Put,    "/appeal-categories/{id}",        format!("/appeal-categories/{}", f.category_rename), Each(category_body), [401, 403, 403, 200, 403, 200]),
        row(Delete, "/appeal-categories/{id}",        format!("/appeal-categories/{}", f.category_archive), Empty, [401, 403, 403, 204, 403, 204]),
        row(Get,    "/hromadas/{katottg}/appeals",    format!("/hromadas/{k}/appeals"),                Empty, [200, 200, 200, 200, 200, 200]),
        row(Post,   "/hromadas/{katottg}/appeals",    format!("/hromadas/{k}/appeals"),                Json(appeal), [401, 201, 201, 201, 201, 201]),
        row(Get,    "/hromadas/{katottg}/appeals/inbox", format!("/hromadas/{k}/appeals/inbox"),       Empty, [401, 403, 403, 200, 403, 200]),
        row(Get,    "/me/appeals",                    "/me/appeals".into(),                            Empty, [401, 200, 200, 200, 200, 200]),
        row(Get,    "/appeals/{id}",                  format!("/appeals/{}", f.appeal),                Empty, [404, 200, 404, 200, 404, 200]).private(Owner::Resident, &f.appeal),
        row(Patch,  "/appeals/{id}",                  format!("/appeals/{}", f.appeal),                Json(json!({"public": false})), [401, 200, 404, 403, 404, 403]).private(Owner::Resident, &f.appeal),
        row(Post,   "/appeals/{id}/actions",          format!("/appeals/{}/actions", f.appeal),        Json(json!({"action": "assign", "assignee": "Відділ благоустрою"})), [401, 403, 404, 200, 404, 200]).private(Owner::Resident, &f.appeal),
        row(Post,   "/appeals/{id}/answer",           "/appeals/{new}/answer".into(),                  Json(json!({"text": "Яму відремонтують до кінця місяця."})), [401, 403, 404, 200, 404, 200]).fresh(Fresh::Appeal).private_fresh(Owner::Resident),
        row(Put,    "/appeals/{id}/rating",           format!("/appeals/{}/rating", f.answered),       Json(json!({"stars": 5, "comment": "Дякую"})), [401, 200, 404, 403, 404, 403]).private(Owner::Resident, &f.answered),
        row(Get,    "/appeals/{id}/files/{file_id}",  f.photo.clone(),                                 Empty, [404, 200, 404, 200, 404, 200]).private(Owner::Resident, &f.appeal),
        row(Get,    "/appeals/{id}/files/{file_id}/thumbnail", f.thumbnail.clone(),                    Empty, [404, 200, 404, 200, 404, 200]).private(Owner::Resident, &f.appeal),
        row(Get,    "/appeals/{id}",                  format!("/appeals/{}", f.appeal_public),         Empty, [200, 200, 200, 200, 200, 200]),
        row(Patch,  "/appeals/{id}",                  format!("/appeals/{}", f.appeal_public),         Json(json!({"public": true})), [401, 200, 403, 403, 403, 403]),
        row(Post,   "/appeals/{id}/actions",          format!("/appeals/{}/actions", f.appeal_public), Json(json!({"action": "assign", "assignee": "Відділ благоустрою"})), [401, 403, 403, 200, 403, 200]),
        row(Get,    "/me/notifications",              "/me/notifications".into(),                      Empty, [401, 200, 200, 200, 200, 200]),
        row(Post,   "/me/notifications/{id}/read",    format!("/me/notifications/{}/read", f.notification), Empty, [401, 204, 404, 404, 404, 404]).private(Owner::Resident, &f.notification),
        row(Post,   "/me/notifications/read-all",     "/me/notifications/read-all".into(),             Empty, [401, 204, 204, 204, 204, 204]),
        row(Get,    "/push/key",                      "/push/key".into(),                              Empty, [200, 200, 200, 200, 200, 200]),
        row(Get,    "/me/push-subscriptions",         "/me/push-subscriptions".into(),                 Empty, [401, 200, 200, 200, 200, 200]),
        row(Post,   "/me/push-subscriptions",         "/me/push-subscriptions".into(),                 Each(device_body), [401, 201, 201, 201, 201, 201]),
        row(Delete, "/me/push-subscriptions/{id}",    format!("/me/push-subscriptions/{}", f.device),  Empty, [401, 204, 404, 404, 404, 404]).private(Owner::Resident, &f.device),
        row(Post,   "/hromadas/{katottg}/alert-subscriptions", format!("/hromadas/{k}/alert-subscriptions"), Each(device_body), [201, 201, 201, 201, 201, 201]),
        row(Delete, "/hromadas/{katottg}/alert-subscriptions", format!("/hromadas/{k}/alert-subscriptions"), Json(json!({"endpoint": "https://fcm.googleapis.com/fcm/send/never-registered"})), [404, 404, 404, 404, 404, 404]),
        row(Get,    "/me/notification-settings",      "/me/notification-settings".into(),              Empty, [401, 200, 200, 200, 200, 200]),
        row(Put,    "/me/notification-settings",      "/me/notification-settings".into(),              Json(json!({"topics": [], "email_frequency": "immediately"})), [401, 200, 200, 200, 200, 200]),
        row(Get,    "/unsubscribe/{token}",           "/unsubscribe/not-a-token".into(),               Empty, [404, 404, 404, 404, 404, 404]),
        row(Post,   "/unsubscribe/{token}",           "/unsubscribe/not-a-token".into(),               Empty, [404, 404, 404, 404, 404, 404]),
        row(Post,   "/auth/password-reset",           "/auth/password-reset".into(),                   Json(json!({"email": "nobody@k.example"})), [202, 202, 202, 202, 202, 202]),
        row(Post,   "/auth/password-reset/confirm",   "/auth/password-reset/confirm".into(),           Json(json!({"token": "not-a-token", "password": "новий пароль громади"})), [422, 422, 422, 422, 422, 422]),
        row(Post,   "/auth/email-confirmation",       "/auth/email-confirmation".into(),               Json(json!({"token": "not-a-token"})), [422, 422, 422, 422, 422, 422]),
        row(Post,   "/me/email-confirmation",         "/me/email-confirmation".into(),                 Empty, [401, 202, 202, 202, 202, 202]),
        row(Get,    "/appeals/{id}/deliveries",       format!("/appeals/{}/deliveries", f.appeal),     Empty, [401, 200, 404, 200, 404, 200]).private(Owner::Resident, &f.appeal),
        // Petitions.
        row(Get,    "/hromadas/{katottg}/petitions",  format!("/hromadas/{k}/petitions"),              Empty, [200, 200, 200, 200, 200, 200]),
        row(Get,    "/hromadas/{katottg}/petitions",  format!("/hromadas/{k}/petitions?status=moderation"), Empty, [401, 403, 403, 200, 403, 200]),
        row(Post,   "/hromadas/{katottg}/petitions",  format!("/hromadas/{k}/petitions"),              Json(json!({"title": "Облаштувати пандус", "text": "Біля поліклініки немає пандуса для візочків. Просимо облаштувати."})), [401, 403, 201, 403, 403, 403]),
        row(Put,    "/hromadas/{katottg}/petition-settings", format!("/hromadas/{k}/petition-settings"), Json(json!({"signatures": 250, "days": 60, "verified_only": true})), [401, 403, 403, 200, 403, 200]),
        row(Get,    "/me/petitions",                  "/me/petitions".into(),                          Empty, [401, 200, 200, 200, 200, 200]),
        row(Get,    "/petitions/{id}",                format!("/petitions/{}", f.moderation),          Empty, [404, 404, 200, 200, 404, 200]).private(Owner::Verified, &f.moderation),
        row(Get,    "/petitions/{id}",                format!("/petitions/{}", f.collecting),          Empty, [200, 200, 200, 200, 200, 200]),
        row(Post,   "/petitions/{id}/moderation",     "/petitions/{new}/moderation".into(),            Json(json!({"decision": "publish"})), [401, 404, 403, 200, 404, 200]).fresh(Fresh::Moderation).private_fresh(Owner::Verified),
        row(Post,   "/petitions/{id}/moderation",     format!("/petitions/{}/moderation", f.collecting), Json(json!({"decision": "publish"})), [401, 403, 403, 409, 403, 409]),
        row(Get,    "/petitions/{id}/signatures",     format!("/petitions/{}/signatures", f.moderation), Empty, [404, 404, 200, 200, 404, 200]).private(Owner::Verified, &f.moderation),
        row(Get,    "/petitions/{id}/signatures",     format!("/petitions/{}/signatures", f.collecting), Empty, [200, 200, 200, 200, 200, 200]),
        row(Post,   "/petitions/{id}/signatures",     format!("/petitions/{}/signatures", f.collecting), Empty, [401, 403, 201, 403, 403, 403]),
        row(Post,   "/petitions/{id}/answer",         "/petitions/{new}/answer".into(),                Json(json!({"decision": "supported", "text": "Пандус облаштують."})), [401, 403, 403, 200, 403, 200]).fresh(Fresh::Consideration),
        // The participatory budget.
        row(Get,    "/hromadas/{katottg}/budget-cycles", format!("/hromadas/{k}/budget-cycles"),       Empty, [200, 200, 200, 200, 200, 200]),
        row(Post,   "/hromadas/{katottg}/budget-cycles", format!("/hromadas/{k}/budget-cycles"),       Each(cycle_each), [401, 403, 403, 201, 403, 201]),
        row(Get,    "/budget-cycles/{id}",            format!("/budget-cycles/{}", f.cycle_submission), Empty, [200, 200, 200, 200, 200, 200]),
        row(Put,    "/budget-cycles/{id}",            format!("/budget-cycles/{}", f.cycle_submission), Json(f.cycle_body.clone()), [401, 403, 403, 200, 403, 200]),
        row(Get,    "/budget-cycles/{id}/projects",   format!("/budget-cycles/{}/projects", f.cycle_submission), Empty, [200, 200, 200, 200, 200, 200]),
        row(Get,    "/budget-cycles/{id}/projects",   format!("/budget-cycles/{}/projects?mine=true", f.cycle_submission), Empty, [401, 200, 200, 200, 200, 200]),
        row(Post,   "/budget-cycles/{id}/projects",   format!("/budget-cycles/{}/projects", f.cycle_submission), Json(project_body("Сквер біля школи")), [401, 201, 201, 201, 403, 201]),
        row(Get,    "/budget-cycles/{id}/ballot",     format!("/budget-cycles/{}/ballot", f.cycle_voting), Empty, [401, 200, 200, 200, 200, 200]),
        row(Put,    "/budget-cycles/{id}/ballot",     format!("/budget-cycles/{}/ballot", f.cycle_voting), Json(json!({"project_ids": [f.on_ballot]})), [401, 403, 200, 403, 403, 403]),
        row(Get,    "/budget-cycles/{id}/results",    format!("/budget-cycles/{}/results", f.cycle_done), Empty, [200, 200, 200, 200, 200, 200]),
        row(Get,    "/budget-cycles/{id}/results.csv", format!("/budget-cycles/{}/results.csv", f.cycle_done), Empty, [401, 403, 403, 200, 403, 200]),
        row(Get,    "/budget-projects/{id}",          format!("/budget-projects/{}", f.project),       Empty, [404, 200, 404, 200, 404, 200]).private(Owner::Resident, &f.project),
        row(Put,    "/budget-projects/{id}",          format!("/budget-projects/{}", f.project),       Json(project_body("Сквер біля ліцею")), [401, 200, 404, 403, 404, 403]).private(Owner::Resident, &f.project),
        row(Get,    "/budget-projects/{id}/images/{image}", f.image.clone(),                           Empty, [404, 200, 404, 200, 404, 200]).private(Owner::Resident, &f.project),
        row(Get,    "/budget-projects/{id}/images/{image}/thumbnail", f.image_thumbnail.clone(),       Empty, [404, 200, 404, 200, 404, 200]).private(Owner::Resident, &f.project),
        row(Post,   "/budget-projects/{id}/review",   format!("/budget-projects/{}/review", f.project), Json(json!({"decision": "request_changes", "note": "Додайте кошторис."})), [401, 403, 404, 200, 404, 200]).private(Owner::Resident, &f.project),
        row(Post,   "/budget-projects/{id}/cost",     format!("/budget-projects/{}/cost", f.project),  Json(json!({"cost": 90_000, "note": "Ліхтарі дешевші."})), [401, 403, 404, 200, 404, 200]).private(Owner::Resident, &f.project),
        row(Get,    "/budget-projects/{id}",          format!("/budget-projects/{}", f.on_ballot),     Empty, [200, 200, 200, 200, 200, 200]),
        row(Put,    "/budget-projects/{id}",          format!("/budget-projects/{}", f.on_ballot),     Json(project_body("Ліхтарі у дворі")), [401, 403, 403, 403, 403, 403]),
        row(Post,   "/budget-projects/{id}/review",   format!("/budget-projects/{}/review", f.on_ballot), Json(json!({"decision": "request_changes", "note": "Додайте кошторис."})), [401, 403, 403, 409, 403, 409]),
        row(Put,    "/budget-projects/{id}/implementation", format!("/budget-projects/{}/implementation", f.funded), Json(json!({"progress": 40, "milestones": [{"title": "Монтаж", "date": "2026-10-15", "done": false}]})), [401, 403, 403, 200, 403, 200]),
        // Polls.
        row(Get,    "/hromadas/{katottg}/polls",      format!("/hromadas/{k}/polls"),                  Empty, [200, 200, 200, 200, 200, 200]),
        row(Get,    "/hromadas/{katottg}/polls",      format!("/hromadas/{k}/polls?state=draft"),      Empty, [401, 403, 403, 200, 403, 200]),
        row(Post,   "/hromadas/{katottg}/polls",      format!("/hromadas/{k}/polls"),                  Json(poll_draft()), [401, 403, 403, 201, 403, 201]),
        row(Get,    "/polls/{id}",                    format!("/polls/{}", f.poll_draft),              Empty, [404, 404, 404, 200, 404, 200]).private(Owner::StaffOnly, &f.poll_draft),
        row(Get,    "/polls/{id}",                    format!("/polls/{}", f.poll_open),               Empty, [200, 200, 200, 200, 200, 200]),
        row(Put,    "/polls/{id}",                    format!("/polls/{}", f.poll_draft),              Json(f.poll_draft_body.clone()), [401, 404, 404, 200, 404, 200]).private(Owner::StaffOnly, &f.poll_draft),
        row(Delete, "/polls/{id}",                    "/polls/{new}".into(),                           Empty, [401, 404, 404, 204, 404, 204]).fresh(Fresh::PollDraft).private_fresh(Owner::StaffOnly),
        row(Post,   "/polls/{id}/publish",            "/polls/{new}/publish".into(),                   Empty, [401, 404, 404, 200, 404, 200]).fresh(Fresh::PollDraft).private_fresh(Owner::StaffOnly),
        row(Post,   "/polls/{id}/responses",          format!("/polls/{}/responses", f.poll_open),     Json(json!({"answers": [{"question": 0, "kind": "choice", "options": [0]}]})), [401, 403, 201, 403, 403, 403]),
        row(Get,    "/polls/{id}/results",            format!("/polls/{}/results", f.poll_open),       Empty, [403, 403, 403, 200, 403, 200]),
        row(Get,    "/polls/{id}/results",            format!("/polls/{}/results", f.poll_draft),      Empty, [404, 404, 404, 200, 404, 200]).private(Owner::StaffOnly, &f.poll_draft),
        row(Get,    "/polls/{id}/results.csv",        format!("/polls/{}/results.csv", f.poll_draft),  Empty, [401, 404, 404, 200, 404, 200]).private(Owner::StaffOnly, &f.poll_draft),
        row(Get,    "/polls/{id}/questions/{q}/texts", format!("/polls/{}/questions/1/texts", f.poll_draft), Empty, [404, 404, 404, 200, 404, 200]).private(Owner::StaffOnly, &f.poll_draft),
        row(Get,    "/polls/{id}/results.csv",        format!("/polls/{}/results.csv", f.poll_open),   Empty, [401, 403, 403, 200, 403, 200]),
        row(Get,    "/polls/{id}/questions/{q}/texts", format!("/polls/{}/questions/1/texts", f.poll_open), Empty, [403, 403, 403, 200, 403, 200]),
        // Services and consultations.
        row(Get,    "/hromadas/{katottg}/services",   format!("/hromadas/{k}/services"),               Empty, [200, 200, 200, 200, 200, 200]),
        row(Post,   "/hromadas/{katottg}/services",   format!("/hromadas/{k}/services"),               Json(service_body()), [401, 403, 403, 201, 403, 201]),
        row(Get,    "/hromadas/{katottg}/services/search", format!("/hromadas/{k}/services/search?q=%D0%B4%D0%BE%D0%B2%D1%96%D0%B4%D0%BA%D0%B0"), Empty, [200, 200, 200, 200, 200, 200]),
        row(Get,    "/services/{id}",                 format!("/services/{}", f.service),              Empty, [200, 200, 200, 200, 200, 200]),
        row(Put,    "/services/{id}",                 format!("/services/{}", f.service),              Json(service_body()), [401, 403, 403, 200, 403, 200]),
        row(Delete, "/services/{id}",                 "/services/{new}".into(),                        Empty, [401, 403, 403, 204, 403, 204]).fresh(Fresh::Service),
        row(Get,    "/hromadas/{katottg}/answers",    format!("/hromadas/{k}/answers"),                Empty, [200, 200, 200, 200, 200, 200]),
        row(Post,   "/hromadas/{katottg}/answers",    format!("/hromadas/{k}/answers"),                Json(faq_body()), [401, 403, 403, 201, 403, 201]),
        row(Get,    "/answers/{id}",                  format!("/answers/{}", f.faq),                   Empty, [200, 200, 200, 200, 200, 200]),
        row(Put,    "/answers/{id}",                  format!("/answers/{}", f.faq),                   Json(faq_body()), [401, 403, 403, 200, 403, 200]),
        row(Delete, "/answers/{id}",                  "/answers/{new}".into(),                         Empty, [401, 403, 403, 204, 403, 204]).fresh(Fresh::FaqAnswer),
        row(Get,    "/hromadas/{katottg}/centre",     format!("/hromadas/{k}/centre"),                 Empty, [200, 200, 200, 200, 200, 200]),
        row(Put,    "/hromadas/{katottg}/centre",     format!("/hromadas/{k}/centre"),                 Json(centre_body()), [401, 403, 403, 200, 403, 200]),
        row(Get,    "/hromadas/{katottg}/consultations", format!("/hromadas/{k}/consultations"),       Empty, [401, 403, 403, 200, 403, 200]),
        row(Post,   "/hromadas/{katottg}/consultations", format!("/hromadas/{k}/consultations"),       Json(json!({"text": "Як отримати довідку про склад сім'ї?"})), [401, 201, 201, 201, 201, 201]),
        row(Get,    "/me/consultations",              "/me/consultations".into(),                      Empty, [401, 200, 200, 200, 200, 200]),
        row(Get,    "/consultations/{id}",            format!("/consultations/{}", f.consultation),    Empty, [401, 200, 404, 200, 404, 200]).private(Owner::Resident, &f.consultation),
        row(Post,   "/consultations/{id}/messages",   format!("/consultations/{}/messages", f.consultation), Json(json!({"text": "Дякую, а скільки це триває?", "links": []})), [401, 201, 404, 201, 404, 201]).private(Owner::Resident, &f.consultation),
        row(Post,   "/consultations/{id}/close",      format!("/consultations/{}/close", f.consultation), Json(json!({})), [401, 200, 404, 200, 404, 200]).private(Owner::Resident, &f.consultation),
    ]
}

/// Whether `path` (without its query, under `/api/v1`) is an instance of `route`.
fn matches_route(route: &str, path: &str) -> bool {
    let path = path.split('?').next().unwrap_or("");
    let Some(path) = path.strip_prefix("/api/v1") else {
        return false;
    };
    let r: Vec<&str> = route.split('/').collect();
    let p: Vec<&str> = path.split('/').collect();
    r.len() == p.len()
        && r.iter().zip(&p).all(|(r, p)| {
            if r.starts_with('{') {
                !p.is_empty()
            } else {
                r == p
            }
        })
}

/// The table itself obeys the rule: whoever a private object does not belong to (the
/// guest, the other resident, staff of another hromada) gets 404 (the guest 401 where
/// the route needs a session first).
#[test]
fn every_route_has_a_row_and_the_table_keeps_private_objects_private() {
    let rows = rows(&Fx::default());
    let registered: BTreeSet<(Verb, String)> = api_routes().routes().into_iter().collect();
    let covered: BTreeSet<(Verb, String)> =
        rows.iter().map(|r| (r.verb, r.route.to_owned())).collect();
    let missing: Vec<_> = registered.difference(&covered).collect();
    assert!(
        missing.is_empty(),
        "routes without a row in the matrix: {missing:?}"
    );
    let unknown: Vec<_> = covered.difference(&registered).collect();
    assert!(
        unknown.is_empty(),
        "rows for routes the server does not have: {unknown:?}"
    );
    for r in &rows {
        let Some((owner, _)) = r.private else {
            continue;
        };
        for (i, a) in ACTORS.iter().enumerate() {
            let ok =
                !owner.outsider(*a) || r.expect[i] == 404 || (*a == Guest && r.expect[i] == 401);
            assert!(
                ok,
                "{} {}: {a:?} expected {} for a private object of {owner:?}",
                r.verb.as_str(),
                r.route,
                r.expect[i]
            );
        }
    }
}

// ---------------------------------------------------------------------------------------
// The world the rows are asked in

async fn call(w: &World, method: Method, path: &str, body: Option<Value>, a: Actor) -> Value {
    let session = w.person(a).map(|p| p.session.as_str());
    let r = w.app.call(method, path, body, session).await;
    assert!(r.status.is_success(), "{path}: {} {}", r.status, r.text());
    r.json()
}

/// A person as [`TestApp::register`] makes them.
async fn person(app: &TestApp, email: &str, katottg: &str) -> Person {
    let (id, session) = app.register(email, katottg).await;
    Person { id, session }
}

async fn world() -> World {
    let app = app().await;
    let now = clock::now_rfc3339();
    let resident = person(&app, "resident@k.example", KHERSON).await;
    let verified = person(&app, "verified@k.example", KHERSON).await;
    verify(&app, &verified.id, KHERSON).await;
    let staff = person(&app, "staff@k.example", KHERSON).await;
    app.db.grant_staff(&staff.id, KHERSON, &now).await.unwrap();
    let other = person(&app, "staff@b.example", BERYSLAV).await;
    app.db.grant_staff(&other.id, BERYSLAV, &now).await.unwrap();
    let admin = person(&app, "admin@k.example", KHERSON).await;
    app.db.set_admin(&admin.id, true).await.unwrap();
    app.register("login@k.example", KHERSON).await;
    let extra = people(&app, 3, KHERSON, "extra").await;
    let author = Account::by_id(&app.db, &extra[0].0).await.unwrap().unwrap();
    let signer = Account::by_id(&app.db, &extra[1].0).await.unwrap().unwrap();
    let author_session = extra[0].1.clone();
    let mut w = World {
        app,
        people: vec![
            None,
            Some(resident),
            Some(verified),
            Some(staff),
            Some(other),
            Some(admin),
        ],
        author,
        signer,
        fx: Fx {
            someone: extra[2].0.clone(),
            ..Fx::default()
        },
    };
    let k = KHERSON;

    // Appeals: categories, the resident's private appeal with a photo, an answered one,
    // and the notification of its registration.
    let cats = call(
        &w,
        Method::GET,
        &format!("/api/v1/hromadas/{k}/appeal-categories"),
        None,
        Guest,
    )
    .await;
    w.fx.category = id_of(&cats[0]);
    let path = format!("/api/v1/hromadas/{k}/appeal-categories");
    w.fx.category_rename = id_of(
        &call(
            &w,
            Method::POST,
            &path,
            Some(json!({"name": "Перейменувати"})),
            Staff,
        )
        .await,
    );
    w.fx.category_archive = id_of(
        &call(
            &w,
            Method::POST,
            &path,
            Some(json!({"name": "Архівувати"})),
            Staff,
        )
        .await,
    );
    w.fx.device = id_of(
        &call(
            &w,
            Method::POST,
            "/api/v1/me/push-subscriptions",
            Some(device_body(0)),
            Resident,
        )
        .await,
    );
    let resident_session = w.person(Resident).unwrap().session.clone();
    let r = post_multipart(
        &w.app,
        &format!("/api/v1/hromadas/{k}/appeals"),
        &resident_session,
        &[
            json_part("appeal", &new_appeal(&w.fx.category)),
            file_part("photos", "photo.jpg", "image/jpeg", jpeg(320, 240)),
        ],
        None,
    )
    .await;
    let a = r.expect(StatusCode::CREATED);
    w.fx.appeal = id_of(&a);
    w.fx.photo = a["photos"][0]["url"].as_str().unwrap().to_owned();
    w.fx.thumbnail = a["photos"][0]["thumbnail_url"].as_str().unwrap().to_owned();
    let path = format!("/api/v1/hromadas/{k}/appeals");
    w.fx.answered = id_of(
        &call(
            &w,
            Method::POST,
            &path,
            Some(new_appeal(&w.fx.category)),
            Resident,
        )
        .await,
    );
    let path = format!("/api/v1/appeals/{}/answer", w.fx.answered);
    call(
        &w,
        Method::POST,
        &path,
        Some(json!({"text": "Відремонтовано."})),
        Staff,
    )
    .await;
    let path = format!("/api/v1/hromadas/{k}/appeals");
    w.fx.appeal_public = id_of(
        &call(
            &w,
            Method::POST,
            &path,
            Some(new_appeal(&w.fx.category)),
            Resident,
        )
        .await,
    );
    let path = format!("/api/v1/appeals/{}", w.fx.appeal_public);
    call(
        &w,
        Method::PATCH,
        &path,
        Some(json!({"public": true})),
        Resident,
    )
    .await;
    let n = call(&w, Method::GET, "/api/v1/me/notifications", None, Resident).await;
    w.fx.notification = id_of(&n["items"][0]);

    // Petitions: the verified resident's in moderation, another's collecting.
    let path = format!("/api/v1/hromadas/{k}/petitions");
    let body = json!({"title": "Встановити лавки в сквері", "text": "У сквері на Соборній немає жодної лавки. Просимо встановити."});
    w.fx.moderation = id_of(&call(&w, Method::POST, &path, Some(body), Verified).await);
    w.fx.collecting = seed_petition(&w, &w.author, 250).await;

    // The budget: a cycle in submission with the resident's project (and an image), one
    // in voting with a project on the ballot, one in implementation with a funded one.
    let path = format!("/api/v1/hromadas/{k}/budget-cycles");
    let (voting, done) = (cycle_body(2026, SUBMISSION), cycle_body(2025, SUBMISSION));
    w.fx.cycle_body = cycle_body(2027, SUBMISSION);
    w.fx.cycle_submission = id_of(
        &call(
            &w,
            Method::POST,
            &path,
            Some(w.fx.cycle_body.clone()),
            Staff,
        )
        .await,
    );
    w.fx.cycle_voting = id_of(&call(&w, Method::POST, &path, Some(voting.clone()), Staff).await);
    w.fx.cycle_done = id_of(&call(&w, Method::POST, &path, Some(done.clone()), Staff).await);
    let r = post_multipart(
        &w.app,
        &format!("/api/v1/budget-cycles/{}/projects", w.fx.cycle_submission),
        &resident_session,
        &[
            json_part("project", &project_body("Сквер біля школи")),
            file_part("images", "plan.jpg", "image/jpeg", jpeg(320, 240)),
        ],
        None,
    )
    .await;
    let p = r.expect(StatusCode::CREATED);
    w.fx.project = id_of(&p);
    w.fx.image = p["images"][0]["url"].as_str().unwrap().to_owned();
    w.fx.image_thumbnail = p["images"][0]["thumbnail_url"].as_str().unwrap().to_owned();
    for (cycle, body) in [
        (w.fx.cycle_voting.clone(), voting),
        (w.fx.cycle_done.clone(), done),
    ] {
        let r = w
            .app
            .call(
                Method::POST,
                &format!("/api/v1/budget-cycles/{cycle}/projects"),
                Some(project_body("Ліхтарі у дворі")),
                Some(&author_session),
            )
            .await;
        let id = id_of(&r.expect(StatusCode::CREATED));
        let path = format!("/api/v1/budget-projects/{id}/review");
        call(
            &w,
            Method::POST,
            &path,
            Some(json!({"decision": "accept"})),
            Staff,
        )
        .await;
        let mut moved = body.clone();
        moved["dates"] = dates(VOTING);
        call(
            &w,
            Method::PUT,
            &format!("/api/v1/budget-cycles/{cycle}"),
            Some(moved),
            Staff,
        )
        .await;
        if cycle == w.fx.cycle_voting {
            w.fx.on_ballot = id;
        } else {
            w.app
                .call(
                    Method::PUT,
                    &format!("/api/v1/budget-cycles/{cycle}/ballot"),
                    Some(json!({"project_ids": [id]})),
                    Some(&author_session),
                )
                .await
                .assert_status(StatusCode::OK);
            let mut moved = body;
            moved["dates"] = dates(IMPLEMENTATION);
            call(
                &w,
                Method::PUT,
                &format!("/api/v1/budget-cycles/{cycle}"),
                Some(moved),
                Staff,
            )
            .await;
            w.fx.funded = id;
        }
    }

    // Polls: a draft, and an open poll of verified residents.
    let path = format!("/api/v1/hromadas/{k}/polls");
    w.fx.poll_draft_body = poll_draft();
    w.fx.poll_draft = id_of(
        &call(
            &w,
            Method::POST,
            &path,
            Some(w.fx.poll_draft_body.clone()),
            Staff,
        )
        .await,
    );
    let open = id_of(&call(&w, Method::POST, &path, Some(poll_draft()), Staff).await);
    call(
        &w,
        Method::POST,
        &format!("/api/v1/polls/{open}/publish"),
        None,
        Staff,
    )
    .await;
    w.fx.poll_open = open;

    // News, an image, alerts.
    let path = format!("/api/v1/hromadas/{k}/news");
    w.fx.news_draft = id_of(&call(&w, Method::POST, &path, Some(news_draft("draft")), Staff).await);
    w.fx.news_public = id_of(&call(&w, Method::POST, &path, Some(news_draft("now")), Staff).await);
    w.fx.news_scheduled =
        id_of(&call(&w, Method::POST, &path, Some(scheduled_news()), Staff).await);
    let staff_session = w.person(Staff).unwrap().session.clone();
    let r = send_body(
        &w.app,
        &format!("/api/v1/hromadas/{k}/media"),
        &staff_session,
        "image/jpeg",
        Body::from(jpeg(640, 480)),
        None,
        None,
    )
    .await;
    let img = r.expect(StatusCode::CREATED);
    w.fx.media = img["sizes"][0]["url"].as_str().unwrap().to_owned();
    let path = format!("/api/v1/hromadas/{k}/alerts");
    w.fx.alert = id_of(&call(&w, Method::POST, &path, Some(alert_draft()), Staff).await);
    w.fx.alert_future =
        id_of(&call(&w, Method::POST, &path, Some(future_alert_draft()), Staff).await);

    // Services, an answer, the centre; the resident's consultation.
    let path = format!("/api/v1/hromadas/{k}/services");
    w.fx.service = id_of(&call(&w, Method::POST, &path, Some(service_body()), Staff).await);
    let path = format!("/api/v1/hromadas/{k}/answers");
    w.fx.faq = id_of(&call(&w, Method::POST, &path, Some(faq_body()), Staff).await);
    let path = format!("/api/v1/hromadas/{k}/centre");
    call(&w, Method::PUT, &path, Some(centre_body()), Staff).await;
    let path = format!("/api/v1/hromadas/{k}/consultations");
    let body = json!({"text": "Як отримати довідку про склад сім'ї?"});
    w.fx.consultation = id_of(&call(&w, Method::POST, &path, Some(body), Resident).await);
    w
}

/// A petition of `author`, submitted three days ago (outside the daily limit) and, when
/// `needed` is not zero, published two days ago needing that many signatures.
async fn seed_petition(w: &World, author: &Account, needed: u32) -> String {
    let db = &w.app.db;
    let now = clock::now_millis();
    let p = NewPetition {
        title: "Освітлити сквер на Соборній".into(),
        text: "У сквері на Соборній темно ввечері. Просимо встановити ліхтарі.".into(),
    };
    let id = petitions::seed::submit(db, KHERSON, author, &p, now - 3 * DAY)
        .await
        .unwrap();
    if needed > 0 {
        petitions::seed::moderate(db, &id, &Moderation::Publish, now - 2 * DAY, needed, 30)
            .await
            .unwrap();
    }
    id
}

/// Makes a [`Fresh`] object; returns its id.
async fn fresh(w: &World, f: Fresh) -> String {
    let k = KHERSON;
    let db = &w.app.db;
    match f {
        Fresh::Appeal => {
            let path = format!("/api/v1/hromadas/{k}/appeals");
            id_of(
                &call(
                    w,
                    Method::POST,
                    &path,
                    Some(new_appeal(&w.fx.category)),
                    Resident,
                )
                .await,
            )
        }
        Fresh::NewsDraft => {
            let path = format!("/api/v1/hromadas/{k}/news");
            id_of(&call(w, Method::POST, &path, Some(news_draft("draft")), Staff).await)
        }
        Fresh::Alert | Fresh::FutureAlert => {
            let path = format!("/api/v1/hromadas/{k}/alerts");
            let body = if f == Fresh::Alert {
                alert_draft()
            } else {
                future_alert_draft()
            };
            id_of(&call(w, Method::POST, &path, Some(body), Staff).await)
        }
        Fresh::PollDraft => {
            let path = format!("/api/v1/hromadas/{k}/polls");
            id_of(&call(w, Method::POST, &path, Some(poll_draft()), Staff).await)
        }
        Fresh::Service => {
            let path = format!("/api/v1/hromadas/{k}/services");
            id_of(&call(w, Method::POST, &path, Some(service_body()), Staff).await)
        }
        Fresh::FaqAnswer => {
            let path = format!("/api/v1/hromadas/{k}/answers");
            id_of(&call(w, Method::POST, &path, Some(faq_body()), Staff).await)
        }
        Fresh::Pending | Fresh::PendingElsewhere => {
            let id = ids::new_id();
            let home = if f == Fresh::Pending { k } else { BERYSLAV };
            db.insert_user(&NewUser {
                id: id.clone(),
                email: format!("{id}@pending.example"),
                password_hash: "!".into(),
                full_name: "Петро Коваль".into(),
                address: "вул. Соборна, 5, м. Херсон".into(),
                hromada: home.into(),
                created_at: clock::now_rfc3339(),
            })
            .await
            .unwrap();
            assert!(
                db.request_verification(&id, &clock::now_rfc3339())
                    .await
                    .unwrap()
            );
            id
        }
        Fresh::Moderation => seed_petition(w, &w.account(Verified).await, 0).await,
        Fresh::Consideration => {
            let id = seed_petition(w, &w.author, 2).await;
            let s = &w.signer;
            petitions::seed::sign(db, &id, &s.user.id, &s.user.full_name, clock::now_millis())
                .await
                .unwrap();
            id
        }
    }
}

// ---------------------------------------------------------------------------------------
// Asking

/// Sends one request; an event stream's body is not read (it never ends).
async fn ask(w: &World, r: &Row, path: &str, session: Option<&str>, n: u32) -> Resp {
    let method = match r.verb {
        Verb::Get => Method::GET,
        Verb::Post => Method::POST,
        Verb::Put => Method::PUT,
        Verb::Patch => Method::PATCH,
        Verb::Delete => Method::DELETE,
    };
    let mut b = Request::builder()
        .method(method)
        .uri(path)
        .header(header::HOST, "localhost");
    if let Some(s) = session {
        b = b.header(header::COOKIE, format!("hromada_session={s}"));
    }
    let req = match &r.send {
        Payload::Empty => b.header("x-hromada-client", "test").body(Body::empty()),
        Payload::Json(v) => b
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(v.to_string())),
        Payload::Each(make) => b
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(make(n).to_string())),
        Payload::Jpeg(bytes) => b
            .header(header::CONTENT_TYPE, "image/jpeg")
            .header("x-hromada-client", "test")
            .body(Body::from(bytes.clone())),
    }
    .unwrap();
    let res = w.app.router.clone().oneshot(req).await.unwrap();
    let status = res.status();
    let headers = res.headers().clone();
    let stream = headers
        .get(header::CONTENT_TYPE)
        .is_some_and(|v| v.as_bytes().starts_with(b"text/event-stream"));
    let body = if stream {
        Vec::new()
    } else {
        res.into_body().collect().await.unwrap().to_bytes().to_vec()
    };
    Resp {
        status,
        headers,
        body,
    }
}

#[tokio::test]
async fn every_route_answers_each_person_as_the_table_says() {
    let started = std::time::Instant::now();
    let w = world().await;
    let set_up = started.elapsed();
    let rows = rows(&w.fx);
    // The private objects that stay private whatever the rows do.
    let f = &w.fx;
    let secrets = [
        (&f.appeal, Owner::Resident, "the resident's private appeal"),
        (
            &f.answered,
            Owner::Resident,
            "the resident's answered appeal",
        ),
        (
            &f.notification,
            Owner::Resident,
            "the resident's notification",
        ),
        (
            &f.project,
            Owner::Resident,
            "the resident's project in review",
        ),
        (
            &f.consultation,
            Owner::Resident,
            "the resident's consultation",
        ),
        (&f.moderation, Owner::Verified, "the petition in moderation"),
        (&f.news_draft, Owner::StaffOnly, "the news draft"),
        (
            &f.news_scheduled,
            Owner::StaffOnly,
            "the scheduled news item",
        ),
        (&f.poll_draft, Owner::StaffOnly, "the poll draft"),
        (&f.alert_future, Owner::StaffOnly, "the alert of tomorrow"),
    ];
    let mut wrong = Vec::new();
    let mut cells = 0;
    let mut n = 0;
    for r in &rows {
        assert!(
            matches_route(r.route, &r.path.replace("{new}", "x")),
            "{} {} asks {}",
            r.verb.as_str(),
            r.route,
            r.path
        );
        for (i, a) in ACTORS.iter().enumerate() {
            n += 1;
            let made = match r.fresh {
                Some(f) => Some(fresh(&w, f).await),
                None => None,
            };
            let path = match &made {
                Some(id) => r.path.replace("{new}", id),
                None => r.path.clone(),
            };
            let session = match w.person(*a) {
                None => None,
                Some(p) if r.own_session => {
                    Some(accounts::start_session(&w.app.db, &p.id).await.unwrap())
                }
                Some(p) => Some(p.session.clone()),
            };
            let got = ask(&w, r, &path, session.as_deref(), n).await;
            cells += 1;
            let cell = format!("{} {path} as {a:?}", r.verb.as_str().to_uppercase());
            if got.status.as_u16() != r.expect[i] {
                wrong.push(format!(
                    "{cell}: {} (expected {}): {}",
                    got.status.as_u16(),
                    r.expect[i],
                    got.text().chars().take(300).collect::<String>()
                ));
                continue;
            }
            // No answer to anyone names a private object that is not theirs (lists,
            // searches, notifications, results…).
            for (secret, owner, what) in &secrets {
                if owner.outsider(*a) && contains(&got.body, secret.as_bytes()) {
                    wrong.push(format!("{cell}: the answer names {what} {secret}"));
                }
            }
            if got.status.is_client_error() {
                assert_eq!(
                    got.content_type(),
                    "application/problem+json",
                    "{cell}: {}",
                    got.text()
                );
            }
            // Whoever a private object does not belong to gets exactly what they get for
            // an object that does not exist.
            let Some((owner, id)) = &r.private else {
                continue;
            };
            if !owner.outsider(*a) {
                continue;
            }
            let id = id
                .as_ref()
                .or(made.as_ref())
                .expect("the private object's id");
            let twin = path.replace(id.as_str(), &ids::new_id());
            n += 1;
            let none = ask(&w, r, &twin, session.as_deref(), n).await;
            if (none.status, &none.body) != (got.status, &got.body) {
                wrong.push(format!(
                    "{cell}: {} {} but for an object that does not exist {} {}",
                    got.status,
                    got.text(),
                    none.status,
                    none.text()
                ));
            }
        }
    }
    eprintln!(
        "authorization matrix: {} rows, {cells} cells ({set_up:.1?} to set up, {:.1?} in all)",
        rows.len(),
        started.elapsed()
    );
    assert!(
        wrong.is_empty(),
        "{} of {cells} cells differ from the table:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
}
