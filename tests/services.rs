//! End-to-end tests of public services and consultations (issue 8): the demo hromada has a
//! catalogue of services grouped by life situation, with frequent questions and its
//! centre's address and hours; the catalogue's search understands Ukrainian endings,
//! colloquial words and typos, and says why each hit matched; a resident asks a question,
//! sees the assistant's suggestions while typing, sends it anyway, and the staff's queue
//! shows it live; staff answer with a link to a service, which shows live on the
//! resident's open page; a consultation becomes a formal appeal in one step; bad messages
//! are refused beside the field and by the server, and strangers (staff of another
//! hromada too) are not let in; staff write, find and delete a service and describe their
//! centre; every page fits a phone in both languages.
//!
//! Like the other suites, each scenario has a server, a database, a chromedriver and
//! browsers of its own. Build first (`make test` does it all), then:
//! `cargo test -p hromada-e2e --test services -- --test-threads=1`.

use std::time::{Duration, Instant};

use hromada_e2e::{
    ADMIN_EMAIL, Browser, DEMO_PASSWORD, DESKTOP, Failure, GOOD_PASSWORD, Harness, KHERSON,
    Locator, OTHER_HROMADA, PHONE, Reply, Result, STAFF_EMAIL, api, api_get, api_sign_in,
    api_sign_out, api_with_headers, ensure, ensure_field_code, ensure_live, ensure_not_reloaded,
    ensure_problem, ensure_problem_json, field_error, mark_page, new_resident, register_api,
    scenario, select, set_language, settled_unread, sign_in, unique, wait_bell,
};
use serde_json::{Value, json};

// ---------------------------------------------------------------------------------------
// Where things are
// ---------------------------------------------------------------------------------------

/// A service in the catalogue, under its life situation.
const CATALOGUE_CARDS: &str = "main section.situation li.service-card";
const SECTIONS: &str = "main section.situation";
const FAQ_ITEMS: &str = "main .faq details.faq-item";
const CENTRE: &str = "main section.centre";
const SERVICE_Q: &str = "main #service-q";
const SERVICE_HITS: &str = "main #service-hits";
const NO_HITS: &str = "main #no-hits";
const DOCUMENTS: &str = "main ol.documents li";
const ASK_TEXT: &str = "main #f-text";
const SUGGESTIONS: &str = "main #suggestions";
/// What the assistant says when the catalogue has nothing like the question.
const NO_SUGGESTIONS: &str = "main p#suggest-h";
const ASK_SEND: &str = "main #ask-send";
const WAITING_NOTE: &str = "main #waiting-note";
const STATUS: &str = "main #consult-status";
const REPLY: &str = "main #f-reply";
const REPLY_SEND: &str = "main #reply-send";
const LINK_Q: &str = "main #f-link-q";
const LINK_HITS: &str = "main #link-hits";
const ATTACHED: &str = "main #attached li.chip";
const STAFF_BUBBLES: &str = "main li.bubble-staff";
const RESIDENT_BUBBLES: &str = "main li.bubble-resident";
const TO_APPEAL: &str = "main #to-appeal";
const QUEUE_CARDS: &str = "main li.consultation-card";
const EDITOR: &str = "main form.service-editor";
const EDITOR_SAVE: &str = "main form.service-editor button[type=submit]";
const CENTRE_FORM: &str = "main #centre-form";
const CENTRE_SAVE: &str = "main #centre-form button[type=submit]";
const STAFF_TABLE_ROWS: &str = "main table.staff-services tbody tr";

/// What the app says, in Ukrainian.
const WAITING: &str = "Очікує відповіді";
const ANSWERED: &str = "Є відповідь";
const NOT_FOUND: &str = "Нічого не знайдено";
const SAVED: &str = "Збережено.";
const HOW_TYPO: &str = "з помилкою";
const WHY: &str = "Збіг:";

/// The question of the issue's own scenario, as the resident types it.
const QUESTION: &str = "як отримати довідку про склад сім'ї";
/// The words the service it must find has in its name.
const FAMILY: &str = "склад сім";

fn services_path() -> String {
    format!("/h/{KHERSON}/services")
}

fn ask_path() -> String {
    format!("/h/{KHERSON}/ask")
}

fn queue_path() -> String {
    format!("/h/{KHERSON}/staff/consultations")
}

fn staff_services_path() -> String {
    format!("/h/{KHERSON}/staff/services")
}

fn new_service_path() -> String {
    format!("/h/{KHERSON}/staff/services/new")
}

fn service_path(id: &str) -> String {
    format!("/services/{id}")
}

fn service_edit_path(id: &str) -> String {
    format!("/services/{id}/edit")
}

fn answer_path(id: &str) -> String {
    format!("/answers/{id}")
}

fn consultation_path(id: &str) -> String {
    format!("/consultations/{id}")
}

/// The JSON string of a value (`""` when it is not a string).
fn text_of(v: &Value) -> String {
    v.as_str().unwrap_or_default().to_owned()
}

/// `text` with every byte but letters and digits of ASCII percent-encoded, for a query.
fn enc(text: &str) -> String {
    text.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// A text of words that is exactly `n` characters long once trimmed.
fn text_of_len(n: usize) -> String {
    let words = "Прошу пояснити які документи потрібні для реєстрації місця проживання дитини ";
    let mut s: String = words.chars().cycle().take(n).collect();
    while s.trim().chars().count() < n || s.ends_with(char::is_whitespace) {
        s = s.trim_end().to_owned();
        s.push('а');
    }
    s
}

/// A fee in kopiyky as the app shows it in Ukrainian and WebDriver reads it: `₴ 84,50`
/// (the app writes a no-break space after the sign, which WebDriver's text gives as a
/// space; thousands are set apart by a narrow no-break space, which it keeps).
fn fee_uk(kopiyky: u64) -> String {
    let digits = (kopiyky / 100).to_string();
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push('\u{202f}');
        }
        grouped.push(c);
    }
    match kopiyky % 100 {
        0 => format!("₴ {grouped}"),
        k => format!("₴ {grouped},{k:02}"),
    }
}

// ---------------------------------------------------------------------------------------
// People
// ---------------------------------------------------------------------------------------

/// A new browser signed in as a demo account through the sign-in page.
async fn demo(h: &Harness, label: &str, email: &str) -> Result<Browser> {
    let b = h.browser(label).await?;
    sign_in(&b, email, DEMO_PASSWORD).await?;
    Ok(b)
}

/// A new browser with a new resident of Херсонська громада signed up in it, the app loaded
/// again at `path` so that it knows who they are.
async fn resident(h: &Harness, label: &str, name: &str, path: &str) -> Result<Browser> {
    let b = h.browser(label).await?;
    let email = format!("{label}.{}@example.com", unique());
    new_resident(&b, &email, name).await?;
    b.goto(path).await?;
    b.wait_exact_text(".who .who-name", name).await?;
    Ok(b)
}

/// Staff of another hromada: signed up there, then granted the role by the administrator;
/// this browser is then signed in as them. Returns their name.
async fn staff_of_another_hromada(b: &Browser) -> Result<String> {
    let email = format!("staff.chernivska.{}@example.com", unique());
    let name = "Оксана Мороз";
    b.goto("/").await?;
    register_api(
        b,
        &email,
        name,
        "с. Чернове, вул. Центральна, 1",
        OTHER_HROMADA,
    )
    .await?;
    api_sign_out(b).await?;
    api_sign_in(b, ADMIN_EMAIL, DEMO_PASSWORD).await?;
    let users = api_get(b, &format!("/api/v1/admin/users?q={}", enc(&email))).await?;
    let id = users["items"]
        .as_array()
        .and_then(|l| l.iter().find(|u| u["email"] == json!(email)))
        .and_then(|u| u["id"].as_str())
        .ok_or_else(|| Failure(format!("the administrator does not find {email}: {users}")))?
        .to_owned();
    let r = api(
        b,
        "PUT",
        &format!("/api/v1/admin/users/{id}/staff/{OTHER_HROMADA}"),
        None,
    )
    .await?;
    ensure!(
        r.status == 200,
        "granting the staff role answered {}: {}",
        r.status,
        r.short()
    );
    api_sign_out(b).await?;
    api_sign_in(b, &email, GOOD_PASSWORD).await?;
    let me = api_get(b, "/api/v1/me").await?;
    ensure!(
        me["staff_of"].to_string().contains(OTHER_HROMADA),
        "the other hromada's staff member is not staff of {OTHER_HROMADA}: {me}"
    );
    Ok(name.to_owned())
}

// ---------------------------------------------------------------------------------------
// The catalogue through the API
// ---------------------------------------------------------------------------------------

/// Every service of Херсонська громада, in the catalogue's order, page after page.
async fn all_services(b: &Browser) -> Result<Vec<Value>> {
    let mut out = vec![];
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(c) => format!("/api/v1/hromadas/{KHERSON}/services?cursor={}", enc(c)),
            None => format!("/api/v1/hromadas/{KHERSON}/services"),
        };
        let page = api_get(b, &path).await?;
        out.extend(page["items"].as_array().cloned().unwrap_or_default());
        match page["next_cursor"].as_str() {
            Some(c) if !c.is_empty() => cursor = Some(c.to_owned()),
            _ => return Ok(out),
        }
    }
}

/// Every frequent question of Херсонська громада, page after page.
async fn all_answers(b: &Browser) -> Result<Vec<Value>> {
    let mut out = vec![];
    let mut cursor: Option<String> = None;
    loop {
        let path = match &cursor {
            Some(c) => format!("/api/v1/hromadas/{KHERSON}/answers?cursor={}", enc(c)),
            None => format!("/api/v1/hromadas/{KHERSON}/answers"),
        };
        let page = api_get(b, &path).await?;
        out.extend(page["items"].as_array().cloned().unwrap_or_default());
        match page["next_cursor"].as_str() {
            Some(c) if !c.is_empty() => cursor = Some(c.to_owned()),
            _ => return Ok(out),
        }
    }
}

/// The first service whose name contains `words` (any case): (id, title).
async fn find_service(b: &Browser, words: &str) -> Result<(String, String)> {
    let all = all_services(b).await?;
    let words = words.to_lowercase();
    all.iter()
        .find(|s| text_of(&s["title"]).to_lowercase().contains(&words))
        .map(|s| (text_of(&s["id"]), text_of(&s["title"])))
        .ok_or_else(|| {
            Failure(format!(
                "the demo catalogue has no service whose name contains “{words}”; it has: {}",
                all.iter()
                    .map(|s| text_of(&s["title"]))
                    .collect::<Vec<_>>()
                    .join(" | ")
            ))
        })
}

/// The hits the server's search gives for `q`, best first: each title with the line
/// saying why it matched, as the app writes it in Ukrainian.
async fn api_hits(b: &Browser, q: &str) -> Result<Vec<(String, String)>> {
    let r = api_get(
        b,
        &format!("/api/v1/hromadas/{KHERSON}/services/search?q={}", enc(q)),
    )
    .await?;
    let how = |h: &Value| match h.as_str() {
        Some("ending") => "інше закінчення",
        Some("prefix") => "початок слова",
        Some("typo") => HOW_TYPO,
        _ => "",
    };
    Ok(r["items"]
        .as_array()
        .map(|l| {
            l.iter()
                .map(|h| {
                    let why: Vec<String> = h["matched"]
                        .as_array()
                        .map(|m| {
                            m.iter()
                                .map(|m| match m["how"].as_str() {
                                    Some("exact") => text_of(&m["found"]),
                                    _ => format!(
                                        "{} → {} ({})",
                                        text_of(&m["query"]),
                                        text_of(&m["found"]),
                                        how(&m["how"])
                                    ),
                                })
                                .collect()
                        })
                        .unwrap_or_default();
                    (text_of(&h["title"]), format!("{WHY} {}", why.join(", ")))
                })
                .collect()
        })
        .unwrap_or_default())
}

/// The titles the server's search gives for `q`, best first.
async fn api_search(b: &Browser, q: &str) -> Result<Vec<String>> {
    let r = api_get(
        b,
        &format!("/api/v1/hromadas/{KHERSON}/services/search?q={}", enc(q)),
    )
    .await?;
    Ok(r["items"]
        .as_array()
        .map(|l| l.iter().map(|h| text_of(&h["title"])).collect())
        .unwrap_or_default())
}

// ---------------------------------------------------------------------------------------
// Consultations through the API
// ---------------------------------------------------------------------------------------

/// `POST /hromadas/{KHERSON}/consultations` with a key of its own.
async fn ask_api(b: &Browser, text: &str) -> Result<Reply> {
    api_with_headers(
        b,
        "POST",
        &format!("/api/v1/hromadas/{KHERSON}/consultations"),
        Some(json!({"text": text})),
        json!({"Idempotency-Key": format!("e2e-ask-{}", unique())}),
    )
    .await
}

/// Asks through the API, which must create the consultation; its id.
async fn ask_ok(b: &Browser, text: &str) -> Result<String> {
    let r = ask_api(b, text).await?;
    ensure!(
        r.status == 201,
        "asking “{text}” through the API answered {}: {}",
        r.status,
        r.short()
    );
    Ok(text_of(&r.json()["id"]))
}

/// `POST /consultations/{id}/messages` with a key of its own.
async fn write_api(b: &Browser, id: &str, text: &str, links: Value) -> Result<Reply> {
    api_with_headers(
        b,
        "POST",
        &format!("/api/v1/consultations/{id}/messages"),
        Some(json!({"text": text, "links": links})),
        json!({"Idempotency-Key": format!("e2e-msg-{}", unique())}),
    )
    .await
}

// ---------------------------------------------------------------------------------------
// Reading the pages
// ---------------------------------------------------------------------------------------

/// A hit or a suggestion as a list shows it.
#[derive(Debug, Clone)]
struct Shown {
    title: String,
    href: String,
    why: String,
}

/// The hits the list `list` shows now.
async fn shown_hits(b: &Browser, list: &str) -> Result<Vec<Shown>> {
    let v = b
        .client
        .execute(
            r#"
return [...document.querySelectorAll(arguments[0] + ' li.hit')].map(li => {
  const a = li.querySelector('a.hit-title') || li.querySelector('span');
  const why = li.querySelector('.hit-why');
  return {title: a ? a.textContent.trim() : '', href: a && a.getAttribute('href') || '',
          why: why ? why.textContent.trim() : ''};
});
"#,
            vec![json!(list)],
        )
        .await?;
    Ok(v.as_array()
        .map(|l| {
            l.iter()
                .map(|h| Shown {
                    title: text_of(&h["title"]),
                    href: text_of(&h["href"]),
                    why: text_of(&h["why"]),
                })
                .collect()
        })
        .unwrap_or_default())
}

/// Types `q` into `input` and waits until `list` shows what the server's search finds for
/// it, in its order (or, when it finds nothing, until `empty` shows); returns the hits.
async fn search_ui(
    b: &Browser,
    input: &str,
    list: &str,
    empty: &str,
    q: &str,
) -> Result<Vec<Shown>> {
    b.replace(input, q).await?;
    let want = api_hits(b, q).await?;
    b.poll(
        &format!("`{list}` to show what the search finds for “{q}”: {want:?}"),
        async || {
            if want.is_empty() {
                return Ok(
                    (b.count(empty).await? > 0 && b.count(list).await? == 0).then_some(vec![])
                );
            }
            let shown = shown_hits(b, list).await?;
            // The same hits, and (where the list says why, in Ukrainian) for the same
            // words: the hits of an earlier query may have the same titles.
            let same = shown.len() == want.len()
                && shown.iter().zip(&want).all(|(s, (title, why))| {
                    s.title == *title && (!s.why.starts_with(WHY) || s.why == *why)
                });
            Ok(same.then_some(shown))
        },
    )
    .await
}

/// The hit among the first three whose title contains `words` (any case).
fn among_top3<'a>(hits: &'a [Shown], words: &str, q: &str) -> Result<&'a Shown> {
    hits.iter()
        .take(3)
        .find(|h| h.title.to_lowercase().contains(&words.to_lowercase()))
        .ok_or_else(|| {
            Failure(format!(
                "searching “{q}” does not give a service with “{words}” among the first three: {:?}",
                hits.iter().take(3).map(|h| &h.title).collect::<Vec<_>>()
            ))
        })
}

/// The ids on the page that are not unique.
async fn duplicate_ids(b: &Browser) -> Result<Vec<String>> {
    let v = b
        .js(r#"
const seen = new Map();
for (const el of document.querySelectorAll('[id]')) seen.set(el.id, (seen.get(el.id) || 0) + 1);
return [...seen].filter(([, n]) => n > 1).map(([id, n]) => `#${id} ×${n}`);
"#)
        .await?;
    Ok(v.as_array()
        .map(|l| l.iter().map(text_of).collect())
        .unwrap_or_default())
}

/// The id of the consultation whose page the browser shows, once it shows one.
async fn consultation_id_of_page(b: &Browser) -> Result<String> {
    b.poll("the address to become /consultations/{id}", async || {
        let path = b.path().await?;
        Ok(path
            .strip_prefix("/consultations/")
            .filter(|id| !id.is_empty() && !id.contains('/'))
            .map(str::to_owned))
    })
    .await
}

/// Waits until the input matching `css` holds exactly `want`.
async fn wait_value(b: &Browser, css: &str, want: &str) -> Result {
    b.poll(&format!("`{css}` to hold {want:?}"), async || {
        Ok((b.value(css).await? == want).then_some(()))
    })
    .await
}

/// Fails unless the input matching `css` still holds `want` (what was typed is kept).
async fn ensure_kept(b: &Browser, css: &str, want: &str, when: &str) -> Result {
    let got = b.value(css).await?;
    ensure!(
        got == want,
        "{when}: `{css}` holds {:?} instead of what was typed, {:?}",
        got.chars().take(80).collect::<String>(),
        want.chars().take(80).collect::<String>()
    );
    Ok(())
}

/// Fails (with everything found) when `bugs` is not empty.
fn ensure_no_bugs(bugs: &[String]) -> Result {
    ensure!(
        bugs.is_empty(),
        "the scenario went through, but found:\n  {}",
        bugs.join("\n  ")
    );
    Ok(())
}

// ---------------------------------------------------------------------------------------
// 1. The demo's catalogue
// ---------------------------------------------------------------------------------------

/// The demo hromada has a catalogue to try: at least 40 services in life-situation
/// sections and at least 30 frequent questions, the centre's address and hours; a
/// service's page shows its documents, fee, term and where and when to apply.
#[tokio::test]
async fn the_demo_has_a_catalogue_of_services() {
    scenario("services-demo-catalogue", async |h| {
        let guest = h.browser("guest").await?;
        guest.goto(&services_path()).await?;
        guest.wait_visible(CATALOGUE_CARDS).await?;
        let services = all_services(&guest).await?;
        let answers = all_answers(&guest).await?;
        ensure!(
            services.len() >= 40,
            "the demo catalogue has {} services; the issue asks for at least 40",
            services.len()
        );
        ensure!(
            answers.len() >= 30,
            "the demo has {} frequent questions; the issue asks for at least 30",
            answers.len()
        );
        // Every service is on the page, under its situation's heading.
        guest
            .poll("every service of the catalogue on the page", async || {
                Ok((guest.count(CATALOGUE_CARDS).await? == services.len()).then_some(()))
            })
            .await?;
        let sections = guest
            .client
            .execute(
                r#"
return [...document.querySelectorAll(arguments[0])].map(s => ({
  id: (s.querySelector('h2') || {}).id || '',
  heading: ((s.querySelector('h2') || {}).textContent || '').trim(),
  titles: [...s.querySelectorAll('li.service-card h3 a')].map(a => a.textContent.trim()),
}));
"#,
                vec![json!(SECTIONS)],
            )
            .await?;
        let sections = sections.as_array().cloned().unwrap_or_default();
        ensure!(
            sections.len() >= 4,
            "the catalogue is in {} life-situation sections: {sections:?}",
            sections.len()
        );
        for s in &services {
            let want = format!("sit-{}", text_of(&s["situation"]));
            let title = text_of(&s["title"]);
            let section = sections.iter().find(|x| {
                x["titles"]
                    .as_array()
                    .is_some_and(|t| t.contains(&json!(title)))
            });
            ensure!(
                section.is_some_and(|x| text_of(&x["id"]) == want),
                "the service “{title}” ({}) is not in the section {want}: {section:?}",
                s["situation"]
            );
        }
        for s in &sections {
            ensure!(
                !text_of(&s["heading"]).is_empty(),
                "a life-situation section has no heading: {s}"
            );
        }
        let chips = guest.count("main nav.chips a.chip").await?;
        ensure!(
            chips > sections.len(),
            "the page offers {chips} chips to jump to {} sections and the questions",
            sections.len()
        );
        ensure!(
            guest.count(FAQ_ITEMS).await? == answers.len(),
            "the page shows {} frequent questions of {}",
            guest.count(FAQ_ITEMS).await?,
            answers.len()
        );
        // A question opens to its answer.
        let first_q = text_of(&answers[0]["question"]);
        guest.click_text("main .faq summary", &first_q).await?;
        let snippet: String = text_of(&answers[0]["answer"])
            .lines()
            .next()
            .unwrap_or_default()
            .chars()
            .take(40)
            .collect();
        guest.wait_text("main .faq details[open]", &snippet).await?;
        // The centre: its address and hours.
        let centre = api_get(&guest, &format!("/api/v1/hromadas/{KHERSON}/centre")).await?;
        let address = text_of(&centre["address"]);
        ensure!(
            !address.is_empty() && !text_of(&centre["hours"]).is_empty(),
            "the demo centre has no address or hours: {centre}"
        );
        guest.wait_text(CENTRE, &address).await?;
        for line in text_of(&centre["hours"]).lines() {
            guest.wait_text(CENTRE, line.trim()).await?;
        }
        guest.js("window.scrollTo(0, 0);").await?;
        guest
            .screenshot("services-demo-1-catalogue-desktop")
            .await?;

        // A service's page, opened from the catalogue: the one with the most documents.
        let mut best: Option<Value> = None;
        for s in &services {
            let full = api_get(&guest, &format!("/api/v1/services/{}", text_of(&s["id"]))).await?;
            let n = full["documents"].as_array().map_or(0, Vec::len);
            if best
                .as_ref()
                .is_none_or(|b| n > b["documents"].as_array().map_or(0, Vec::len))
            {
                best = Some(full);
            }
        }
        let s = best.ok_or_else(|| Failure("no service to open".into()))?;
        let (id, title) = (text_of(&s["id"]), text_of(&s["title"]));
        let documents: Vec<String> = s["documents"]
            .as_array()
            .map(|l| l.iter().map(text_of).collect())
            .unwrap_or_default();
        ensure!(
            !documents.is_empty(),
            "no service of the demo lists any documents"
        );
        let link = guest
            .wait_exact_text("main section.situation li.service-card h3 a", &title)
            .await?;
        guest.click_element(&link).await?;
        guest.wait_path(&service_path(&id)).await?;
        guest.wait_exact_text("main h1", &title).await?;
        guest
            .poll("the service's documents", async || {
                Ok((guest.count(DOCUMENTS).await? == documents.len()).then_some(()))
            })
            .await?;
        for d in &documents {
            guest.wait_exact_text(DOCUMENTS, d).await?;
        }
        let fee = guest.text("main #service-fee").await?;
        let want_fee = match s["fee"].as_u64() {
            Some(k) => fee_uk(k),
            None => "Безоплатно".to_owned(),
        };
        ensure!(
            fee.contains(&want_fee),
            "the service's fee reads “{fee}”, not “{want_fee}” ({})",
            s["fee"]
        );
        let term = guest.text("main #service-term").await?;
        let days = s["term"]["days"].as_u64().unwrap_or(0);
        ensure!(
            if days == 0 {
                term.contains("У день звернення")
            } else {
                term.contains(&days.to_string())
            },
            "the service's term reads “{term}”, not {}",
            s["term"]
        );
        guest.wait_text(CENTRE, &address).await?;
        for line in text_of(&centre["hours"]).lines() {
            guest.wait_text(CENTRE, line.trim()).await?;
        }
        if let Some(list) = s["answers"].as_array().filter(|l| !l.is_empty()) {
            ensure!(
                guest.count(FAQ_ITEMS).await? == list.len(),
                "the service's page shows {} of its {} frequent questions",
                guest.count(FAQ_ITEMS).await?,
                list.len()
            );
        }
        guest
            .wait(&format!("main a[href^=\"{}?about=\"]", ask_path()))
            .await?;
        guest.screenshot("services-demo-2-service-desktop").await?;

        // A service with a fee shows it in hryvnias.
        if let Some(paid) = services.iter().find(|s| s["fee"].is_u64()) {
            guest
                .go_in_app(&service_path(&text_of(&paid["id"])))
                .await?;
            guest
                .wait_text(
                    "main #service-fee",
                    &fee_uk(paid["fee"].as_u64().unwrap_or(0)),
                )
                .await?;
        }
        // The catalogue of a hromada that does not exist: not found, not a blank page.
        let r = api(
            &guest,
            "GET",
            "/api/v1/hromadas/UA00000000000000000/services",
            None,
        )
        .await?;
        ensure!(
            r.status == 404,
            "the catalogue of a hromada that does not exist answered {}: {}",
            r.status,
            r.short()
        );
        ensure_problem_json(&r, "an unknown hromada's catalogue")?;
        Ok(())
    })
    .await;
}

// ---------------------------------------------------------------------------------------
// 2. The issue's scenario: ask, suggestions, staff answer live
// ---------------------------------------------------------------------------------------

/// The issue's own scenario: a resident asks how to get a family composition certificate;
/// the assistant suggests the service and says why; the resident sends the question
/// anyway; staff, whose queue is open, see it arrive without reloading, attach the service
/// and answer; the answer with its link shows on the resident's open page without
/// reloading, and the consultation is answered.
#[tokio::test]
async fn a_resident_asks_and_staff_answer_live() {
    scenario("services-ask-answer", async |h| {
        let mut bugs = vec![];
        let name = "Марта Гнатюк";
        let staff = demo(h, "staff", STAFF_EMAIL).await?;
        // Staff have their queue open before the question is sent.
        staff.goto(&queue_path()).await?;
        staff
            .wait("main ul.cards, main .state-empty")
            .await?;
        let queue_before = staff.count(QUEUE_CARDS).await?;
        mark_page(&staff).await?;

        let resident = resident(h, "resident", name, &ask_path()).await?;
        let unread = settled_unread(&resident).await?;
        resident.wait_visible(ASK_TEXT).await?;
        resident.wait_visible(ASK_SEND).await?;
        let hits = search_ui(&resident, ASK_TEXT, SUGGESTIONS, NO_SUGGESTIONS, QUESTION).await?;
        let hit = among_top3(&hits, FAMILY, QUESTION)?.clone();
        ensure!(
            hit.why.starts_with(WHY) && hit.why.chars().count() > WHY.chars().count() + 2,
            "the suggestion “{}” does not say why it matched: “{}”",
            hit.title,
            hit.why
        );
        ensure!(
            hit.href.starts_with("/services/"),
            "the suggestion “{}” leads to {:?}, not a service's page",
            hit.title,
            hit.href
        );
        let service_id = hit.href.trim_start_matches("/services/").to_owned();
        let dups = duplicate_ids(&resident).await?;
        if !dups.is_empty() {
            bugs.push(format!(
                "ACCESSIBILITY: the ask page has ids that are not unique: {}",
                dups.join(", ")
            ));
        }
        resident.screenshot("services-ask-1-suggestions-desktop").await?;

        // Sends it anyway; the staff's queue, open all along, shows it live. (Give the
        // staff's live stream, opened with their page, a moment to be connected.)
        tokio::time::sleep(Duration::from_secs(1)).await;
        let at = Instant::now();
        resident.click(ASK_SEND).await?;
        let id = consultation_id_of_page(&resident).await?;
        resident.wait_visible(WAITING_NOTE).await?;
        resident.wait_exact_text(STATUS, WAITING).await?;
        resident.wait_text(RESIDENT_BUBBLES, QUESTION).await?;
        ensure!(
            resident.count(STAFF_BUBBLES).await? == 0,
            "a new question already has a staff's reply"
        );
        mark_page(&resident).await?;
        resident.screenshot("services-ask-2-waiting-desktop").await?;
        let card = staff.wait_text(QUEUE_CARDS, name).await?;
        ensure_live(at, "the staff's open queue showed the new question")?;
        ensure_not_reloaded(&staff, "the staff member").await?;
        let card_text = card.text().await?;
        ensure!(
            card_text.contains(QUESTION) || card_text.contains("Як отримати довідку"),
            "the queue's card of the new question does not show its subject: “{card_text}”"
        );
        ensure!(
            staff.count(QUEUE_CARDS).await? == queue_before + 1,
            "the queue had {queue_before} questions and now has {}",
            staff.count(QUEUE_CARDS).await?
        );
        // Waiting ones come oldest first: the new one is the last.
        let last = staff
            .js("const c = document.querySelectorAll('main li.consultation-card'); return c.length ? c[c.length - 1].textContent : '';")
            .await?;
        ensure!(
            text_of(&last).contains(name),
            "the queue is not oldest first: the new question is not the last card (the last is “{}”)",
            text_of(&last)
        );
        staff.screenshot("services-ask-3-queue-desktop").await?;

        // Staff open it, attach the service found by the link search, and answer.
        let link = card
            .find(Locator::Css("h3 a"))
            .await?;
        staff.click_element(&link).await?;
        staff.wait_path(&consultation_path(&id)).await?;
        staff.wait_text(RESIDENT_BUBBLES, QUESTION).await?;
        staff.wait_exact_text(STATUS, WAITING).await?;
        ensure!(
            staff.count(TO_APPEAL).await? == 0 && staff.count(WAITING_NOTE).await? == 0,
            "staff are offered the resident's own actions (the waiting note or “make it an appeal”)"
        );
        let picked = search_ui(&staff, LINK_Q, LINK_HITS, "main #no-link-hits", "склад сім'ї")
            .await?;
        let row = picked
            .iter()
            .position(|h| h.title == hit.title)
            .ok_or_else(|| {
                Failure(format!(
                    "the link search does not offer “{}”: {picked:?}",
                    hit.title
                ))
            })?;
        staff
            .click(&format!(
                "{LINK_HITS} li.hit:nth-child({}) button",
                row + 1
            ))
            .await?;
        staff.wait_text(ATTACHED, &hit.title).await?;
        let answer = format!(
            "Добрий день! Довідку про склад сім'ї видають у ЦНАП у день звернення, безоплатно. \
             Візьміть паспорт. Усе про послугу — за посиланням нижче. {}",
            unique()
        );
        staff.replace(REPLY, &answer).await?;
        staff.screenshot("services-ask-4-staff-reply-desktop").await?;
        // Meanwhile the resident starts writing more, without sending it.
        let unsent = "І ще: чи потрібна довідка, якщо ми оформлюємо субсидію?";
        resident.replace(REPLY, unsent).await?;
        let at = Instant::now();
        staff.click(REPLY_SEND).await?;
        resident.wait_text(STAFF_BUBBLES, &answer).await?;
        ensure_live(at, "the resident's open page showed the staff's answer")?;
        let kept = resident.value(REPLY).await?;
        if kept != unsent {
            bugs.push(format!(
                "APP: the resident was writing more in the reply box (“{unsent}”) when the \
                 staff's answer arrived live; the page re-rendered and the box now holds \
                 {kept:?}: what they typed is lost"
            ));
            resident
                .screenshot("BUG-services-ask-reply-box-emptied-by-live-answer")
                .await?;
        }
        resident
            .wait_text(&format!("{STAFF_BUBBLES} ul.links a"), &hit.title)
            .await?;
        resident.wait_exact_text(STATUS, ANSWERED).await?;
        ensure_live(at, "the resident's open page showed the consultation answered")?;
        resident.wait_gone(WAITING_NOTE).await?;
        wait_bell(&resident, unread + 1).await?;
        ensure_live(at, "the resident's bell counted the answer")?;
        ensure_not_reloaded(&resident, "the resident").await?;
        resident.screenshot("services-ask-5-answered-desktop").await?;
        // Staff see their reply and an empty reply box.
        staff.wait_text(STAFF_BUBBLES, &answer).await?;
        staff.wait_exact_text(STATUS, ANSWERED).await?;
        wait_value(&staff, REPLY, "").await?;
        ensure!(
            staff.count(ATTACHED).await? == 0,
            "after sending, the reply still has links attached"
        );
        // What the server keeps.
        let c = api_get(&resident, &format!("/api/v1/consultations/{id}")).await?;
        ensure!(
            c["status"] == json!("answered")
                && c["mine"] == json!(true)
                && c["messages"].as_array().map(Vec::len) == Some(2)
                && c["messages"][1]["sender"] == json!("staff")
                && c["messages"][1]["links"][0]["id"] == json!(service_id),
            "the answered consultation is not as the pages showed: {c}"
        );
        // The link in the answer leads to the service.
        let a = resident
            .wait_text(&format!("{STAFF_BUBBLES} ul.links a"), &hit.title)
            .await?;
        resident.click_element(&a).await?;
        resident.wait_path(&service_path(&service_id)).await?;
        resident.wait_exact_text("main h1", &hit.title).await?;
        // It left the staff's waiting queue.
        staff.go_in_app(&queue_path()).await?;
        staff.wait("main ul.cards, main .state-empty").await?;
        staff
            .poll("the answered question to leave the waiting queue", async || {
                for c in staff
                    .client
                    .find_all(Locator::Css(QUEUE_CARDS))
                    .await?
                {
                    if c.text().await?.contains(name) {
                        return Ok(None);
                    }
                }
                Ok(Some(()))
            })
            .await?;
        ensure_no_bugs(&bugs)
    })
    .await;
}

// ---------------------------------------------------------------------------------------
// 3. The catalogue's search
// ---------------------------------------------------------------------------------------

/// The catalogue's search finds services by other endings, colloquial words and typos,
/// and says why; nonsense finds nothing and offers to ask a person.
#[tokio::test]
async fn the_catalogue_search_understands_endings_and_typos() {
    scenario("services-search", async |h| {
        let guest = h.browser("guest").await?;
        guest.goto(&services_path()).await?;
        guest.wait_visible(CATALOGUE_CARDS).await?;
        let mut missed = vec![];
        // (query, words of the service it must find, what its "why" line must say)
        let cases: [(&str, &str, Option<&str>); 6] = [
            ("довідку про склад сім'ї", FAMILY, None),
            ("довидку про склад сімї", FAMILY, Some(HOW_TYPO)),
            ("прописка", "проживання", None),
            ("субсидя", "субсиді", Some(HOW_TYPO)),
            ("реєстрацію народження", "народження", None),
            ("паспорта", "паспорт", None),
        ];
        for (q, words, how) in cases {
            let hits = search_ui(&guest, SERVICE_Q, SERVICE_HITS, NO_HITS, q).await?;
            match among_top3(&hits, words, q) {
                Err(e) => missed.push(e.0),
                Ok(hit) => {
                    eprintln!("“{q}” → “{}” ({})", hit.title, hit.why);
                    if !hit.why.starts_with(WHY) {
                        missed.push(format!(
                            "the hit “{}” for “{q}” does not say why: “{}”",
                            hit.title, hit.why
                        ));
                    }
                    if let Some(how) = how
                        && !hit.why.contains(how)
                    {
                        missed.push(format!(
                            "the hit “{}” for “{q}” does not say it matched {how}: “{}”",
                            hit.title, hit.why
                        ));
                    }
                }
            }
            if q == "довидку про склад сімї" {
                guest.screenshot("services-search-1-typo-desktop").await?;
            }
        }
        ensure!(
            missed.is_empty(),
            "the catalogue search falls short:\n  {}",
            missed.join("\n  ")
        );
        // A hit leads to its service.
        let hits = search_ui(&guest, SERVICE_Q, SERVICE_HITS, NO_HITS, "прописка").await?;
        let hit = among_top3(&hits, "проживання", "прописка")?.clone();
        guest
            .click_text(&format!("{SERVICE_HITS} a.hit-title"), &hit.title)
            .await?;
        guest.wait_path(&hit.href).await?;
        guest.wait_exact_text("main h1", &hit.title).await?;
        // Nonsense finds nothing, and the page offers to ask a person.
        guest.go_in_app(&services_path()).await?;
        guest.wait_visible(CATALOGUE_CARDS).await?;
        let none = search_ui(&guest, SERVICE_Q, SERVICE_HITS, NO_HITS, "ґзщфх кпрстлмн").await?;
        ensure!(none.is_empty(), "nonsense found {none:?}");
        guest
            .screenshot("services-search-2-nothing-desktop")
            .await?;
        guest
            .click(&format!("{NO_HITS} a[href=\"{}\"]", ask_path()))
            .await?;
        guest.wait_path(&ask_path()).await?;
        // A guest may type and see suggestions, but is asked to sign in to send.
        guest.wait_visible(ASK_TEXT).await?;
        guest
            .wait(&format!(
                "main a[href=\"/signin?next={}\"]",
                enc(&ask_path())
            ))
            .await?;
        ensure!(
            guest.count(ASK_SEND).await? == 0,
            "a guest is offered to send a question"
        );
        // An empty or stop-word-only query finds nothing, and is no error.
        let r = api(
            &guest,
            "GET",
            &format!(
                "/api/v1/hromadas/{KHERSON}/services/search?q={}",
                enc("як мені ")
            ),
            None,
        )
        .await?;
        ensure!(
            r.status == 200 && r.json()["items"] == json!([]),
            "searching only stop words answered {}: {}",
            r.status,
            r.short()
        );
        Ok(())
    })
    .await;
}

// ---------------------------------------------------------------------------------------
// 4. Bad input and strangers
// ---------------------------------------------------------------------------------------

/// Empty and too long messages are refused beside the field with the text kept, and by the
/// server with a problem naming the field; staff of another hromada cannot reply to or see
/// a consultation, and are shown the not-found state rather than a blank page.
#[tokio::test]
async fn bad_messages_and_strangers_are_refused() {
    scenario("services-bad-input", async |h| {
        let name = "Леся Кравчук";
        let resident = resident(h, "resident", name, &ask_path()).await?;
        resident.wait_visible(ASK_SEND).await?;
        let too_long = text_of_len(2_001);
        let longest = text_of_len(2_000);
        ensure!(
            too_long.chars().count() == 2_001 && longest.chars().count() == 2_000,
            "the test's texts are not 2 001 and 2 000 characters long"
        );

        // The ask page: empty, then too long.
        resident.set_value(ASK_TEXT, "").await?;
        resident.click(ASK_SEND).await?;
        let empty_error = field_error(&resident, "text", None).await?;
        ensure_kept(&resident, ASK_TEXT, "", "after sending nothing").await?;
        resident.set_value(ASK_TEXT, &too_long).await?;
        resident.click(ASK_SEND).await?;
        let long_error = field_error(&resident, "text", Some(&empty_error)).await?;
        ensure_kept(&resident, ASK_TEXT, &too_long, "after sending 2 001 characters").await?;
        eprintln!("errors: empty “{empty_error}”, too long “{long_error}”");
        ensure!(
            resident.path().await? == ask_path(),
            "a refused question left the ask page for {}",
            resident.path().await?
        );
        resident.screenshot("services-bad-1-ask-too-long-desktop").await?;
        let mine = api_get(&resident, "/api/v1/me/consultations").await?;
        ensure!(
            mine["items"] == json!([]),
            "refused questions were sent anyway: {mine}"
        );

        // The same through the API.
        for (text, code) in [("", "required"), ("  \n ", "required"), (too_long.as_str(), "too_long")] {
            let r = ask_api(&resident, text).await?;
            let what = format!("asking {} characters through the API", text.chars().count());
            ensure_field_code(&r, "text", code, &what)?;
            ensure!(
                r.field_errors().first().map(|(f, _)| f.as_str()) == Some("text"),
                "{what}: the first error is not about “text”: {}",
                r.short()
            );
        }
        // 2 000 characters are fine.
        let id = ask_ok(&resident, &longest).await?;
        let id2 = ask_ok(&resident, "Як змінити адресу реєстрації, якщо переїхав у межах громади?").await?;

        // The reply box: empty, then too long.
        resident.go_in_app(&consultation_path(&id2)).await?;
        resident.wait_visible(REPLY).await?;
        resident.click(REPLY_SEND).await?;
        let reply_empty = field_error(&resident, "reply", None).await?;
        resident.set_value(REPLY, &too_long).await?;
        resident.click(REPLY_SEND).await?;
        field_error(&resident, "reply", Some(&reply_empty)).await?;
        ensure_kept(&resident, REPLY, &too_long, "after replying 2 001 characters").await?;
        resident.screenshot("services-bad-2-reply-too-long-desktop").await?;
        for (text, code) in [("", "required"), (too_long.as_str(), "too_long")] {
            let r = write_api(&resident, &id2, text, json!([])).await?;
            ensure_field_code(
                &r,
                "text",
                code,
                &format!("writing {} characters through the API", text.chars().count()),
            )?;
        }
        let c = api_get(&resident, &format!("/api/v1/consultations/{id2}")).await?;
        ensure!(
            c["messages"].as_array().map(Vec::len) == Some(1),
            "refused messages were added: {c}"
        );

        // Staff: the same refusals, and a link to something that is not in the catalogue.
        let staff = demo(h, "staff", STAFF_EMAIL).await?;
        staff.goto(&consultation_path(&id2)).await?;
        staff.wait_visible(REPLY).await?;
        staff.set_value(REPLY, &too_long).await?;
        staff.click(REPLY_SEND).await?;
        field_error(&staff, "reply", None).await?;
        ensure_kept(&staff, REPLY, &too_long, "after staff replied 2 001 characters").await?;
        let r = write_api(&staff, &id2, "", json!([])).await?;
        ensure_field_code(&r, "text", "required", "staff writing nothing")?;
        let r = write_api(
            &staff,
            &id2,
            "Ось послуга.",
            json!([{"kind": "service", "id": "no-such-service"}]),
        )
        .await?;
        ensure_field_code(&r, "links[0]", "invalid", "staff linking a service that does not exist")?;

        // Staff of another hromada.
        let far = h.browser("other-staff").await?;
        let far_name = staff_of_another_hromada(&far).await?;
        let r = write_api(&far, &id, "Відповідь з іншої громади.", json!([])).await?;
        ensure!(
            r.status == 404,
            "staff of another hromada replying answered {}, not 404: {}",
            r.status,
            r.short()
        );
        ensure_problem_json(&r, "staff of another hromada replying")?;
        let r = api(&far, "GET", &format!("/api/v1/consultations/{id}"), None).await?;
        ensure!(
            r.status == 404,
            "staff of another hromada reading the consultation answered {}: {}",
            r.status,
            r.short()
        );
        let r = api(&far, "POST", &format!("/api/v1/consultations/{id}/close"), Some(json!({}))).await?;
        ensure!(
            r.status == 404,
            "staff of another hromada closing answered {}: {}",
            r.status,
            r.short()
        );
        let r = api(
            &far,
            "GET",
            &format!("/api/v1/hromadas/{KHERSON}/consultations"),
            None,
        )
        .await?;
        ensure!(
            r.status == 403,
            "staff of another hromada reading Херсонська's queue answered {}: {}",
            r.status,
            r.short()
        );
        far.goto(&consultation_path(&id)).await?;
        far.wait_exact_text(".who .who-name", &far_name).await?;
        far.wait_text("main .state-error", NOT_FOUND).await.map_err(|e| {
            Failure(format!(
                "staff of another hromada opening the consultation are not shown the not-found state: {e}"
            ))
        })?;
        let main = far.text("main").await?;
        ensure!(
            !main.contains("Прошу пояснити"),
            "staff of another hromada see the question: {main}"
        );
        far.screenshot("services-bad-3-other-staff-desktop").await?;
        // A guest.
        let guest = h.browser("guest").await?;
        guest.goto(&consultation_path(&id)).await?;
        guest.wait("main .state-error").await?;
        let r = api(&guest, "GET", &format!("/api/v1/consultations/{id}"), None).await?;
        ensure!(
            r.status == 401 || r.status == 404,
            "a guest reading a consultation answered {}: {}",
            r.status,
            r.short()
        );
        let r = ask_api(&guest, "Питання без входу").await?;
        ensure!(
            r.status == 401,
            "a guest asking answered {}: {}",
            r.status,
            r.short()
        );
        ensure_problem_json(&r, "a guest asking")?;
        // Nothing of it reached the conversation.
        let c = api_get(&resident, &format!("/api/v1/consultations/{id}")).await?;
        ensure!(
            c["messages"].as_array().map(Vec::len) == Some(1) && c["status"] == json!("waiting"),
            "the consultation changed: {c}"
        );
        Ok(())
    })
    .await;
}

// ---------------------------------------------------------------------------------------
// 5. A consultation becomes an appeal
// ---------------------------------------------------------------------------------------

/// "Make it a formal appeal" opens the appeal form with the consultation's subject and
/// the resident's words carried over.
#[tokio::test]
async fn a_consultation_becomes_a_formal_appeal() {
    scenario("services-to-appeal", async |h| {
        let name = "Олег Савчук";
        let resident = resident(h, "resident", name, &ask_path()).await?;
        let first = "Як оформити допомогу при народженні дитини?";
        let more = "Дитині два тижні, ми зареєстровані в Херсоні.";
        resident.wait_visible(ASK_SEND).await?;
        resident
            .replace(ASK_TEXT, &format!("{first}\n{more}"))
            .await?;
        resident.click(ASK_SEND).await?;
        let id = consultation_id_of_page(&resident).await?;
        resident.wait_visible(WAITING_NOTE).await?;
        resident.wait_exact_text("main h1", first).await?;
        // A second message, then the appeal.
        let second = "Чи можна подати заяву онлайн?";
        resident.replace(REPLY, second).await?;
        resident.click(REPLY_SEND).await?;
        resident.wait_text(RESIDENT_BUBBLES, second).await?;
        wait_value(&resident, REPLY, "").await?;
        resident.click(TO_APPEAL).await?;
        resident
            .wait_path(&format!("/h/{KHERSON}/appeals/new"))
            .await?;
        resident.wait_visible("main #f-subject").await?;
        wait_value(&resident, "main #f-subject", first).await?;
        wait_value(
            &resident,
            "main #f-text",
            &format!("{first}\n{more}\n\n{second}"),
        )
        .await?;
        let application = resident
            .wait("main #f-kind-application")
            .await?
            .prop("checked")
            .await?;
        ensure!(
            application.as_deref() == Some("true"),
            "the appeal form is not set to an application"
        );
        resident
            .screenshot("services-appeal-1-form-desktop")
            .await?;
        // The consultation is still there, unchanged.
        let c = api_get(&resident, &format!("/api/v1/consultations/{id}")).await?;
        ensure!(
            c["messages"].as_array().map(Vec::len) == Some(2),
            "the consultation changed: {c}"
        );
        Ok(())
    })
    .await;
}

// ---------------------------------------------------------------------------------------
// 6. Staff edit the catalogue
// ---------------------------------------------------------------------------------------

/// Staff write a service: bad input is shown beside its fields with everything typed
/// kept; fixed, it saves, shows its page and is found by the search; deleted, it is gone.
/// The centre's form saves too (and refuses an empty name beside the field).
#[tokio::test]
async fn staff_write_find_and_delete_a_service() {
    scenario("services-staff-editor", async |h| {
        let staff = demo(h, "staff", STAFF_EMAIL).await?;
        let before = all_services(&staff).await?.len();
        staff.goto(&new_service_path()).await?;
        staff.wait_visible(EDITOR).await?;
        let purpose = "Дозвіл тримати пасіку з вуликами на землях громади, поруч із житлом.";
        let documents = "Паспорт громадянина України\nВетеринарно-санітарний паспорт пасіки";
        let keywords = "пасіка, бджоли, вулики";
        select(&staff, "main #f-situation", "other").await?;
        staff.replace("main #f-purpose", purpose).await?;
        staff.replace("main #f-documents", documents).await?;
        staff.replace("main #f-fee", "abc").await?;
        staff.replace("main #f-term", "10").await?;
        staff.replace("main #f-online_url", "diia.gov.ua").await?;
        staff.replace("main #f-keywords", keywords).await?;
        staff.click(EDITOR_SAVE).await?;
        for field in ["title", "fee", "online_url"] {
            field_error(&staff, field, None).await?;
        }
        for field in ["purpose", "documents", "keywords"] {
            let t = staff.text(&format!("main #f-{field}-error")).await?;
            ensure!(
                t.trim().is_empty(),
                "the good field {field} shows the error “{t}”"
            );
        }
        for (css, want) in [
            ("main #f-title", ""),
            ("main #f-purpose", purpose),
            ("main #f-documents", documents),
            ("main #f-fee", "abc"),
            ("main #f-term", "10"),
            ("main #f-online_url", "diia.gov.ua"),
            ("main #f-keywords", keywords),
            ("main #f-situation", "other"),
        ] {
            ensure_kept(&staff, css, want, "after the refused service").await?;
        }
        ensure!(
            staff.path().await? == new_service_path(),
            "the refused service left the editor for {}",
            staff.path().await?
        );
        staff.js("window.scrollTo(0, 0);").await?;
        staff.screenshot("services-editor-1-errors-desktop").await?;

        // The server refuses the same.
        let r = api_with_headers(
            &staff,
            "POST",
            &format!("/api/v1/hromadas/{KHERSON}/services"),
            Some(json!({
                "situation": "other", "title": "", "purpose": purpose,
                "documents": ["Паспорт"], "fee": 0, "term": {"days": 10, "working": true},
                "online_url": "diia.gov.ua",
            })),
            json!({"Idempotency-Key": format!("e2e-svc-{}", unique())}),
        )
        .await?;
        ensure_problem(
            &r,
            422,
            &["title", "fee", "online_url"],
            "a bad service through the API",
        )?;
        for field in ["fee", "online_url"] {
            ensure_field_code(&r, field, "invalid", "a bad service through the API")?;
        }
        ensure!(
            all_services(&staff).await?.len() == before,
            "a refused service was saved"
        );

        // Fixed: saved, and its page shows.
        let title = "Дозвіл на розміщення пасіки";
        staff.replace("main #f-title", title).await?;
        staff.replace("main #f-fee", "84,50").await?;
        staff
            .replace("main #f-online_url", "https://diia.gov.ua/services/pasika")
            .await?;
        staff.click(EDITOR_SAVE).await?;
        staff
            .poll("the saved service's page", async || {
                let p = staff.path().await?;
                Ok(p.strip_prefix("/services/")
                    .filter(|id| !id.contains('/'))
                    .map(str::to_owned))
            })
            .await?;
        let id = staff
            .path()
            .await?
            .trim_start_matches("/services/")
            .to_owned();
        staff.wait_exact_text("main h1", title).await?;
        staff.wait_text("main #service-fee", &fee_uk(8_450)).await?;
        staff.wait_text("main #service-term", "10").await?;
        for d in documents.lines() {
            staff.wait_exact_text(DOCUMENTS, d).await?;
        }
        staff
            .wait("main a[href=\"https://diia.gov.ua/services/pasika\"]")
            .await?;
        staff
            .wait(&format!("main a[href=\"{}\"]", service_edit_path(&id)))
            .await?;
        staff.screenshot("services-editor-2-saved-desktop").await?;
        let s = api_get(&staff, &format!("/api/v1/services/{id}")).await?;
        ensure!(
            s["fee"] == json!(8450)
                && s["situation"] == json!("other")
                && s["term"] == json!({"days": 10, "working": true})
                && s["keywords"] == json!(["пасіка", "бджоли", "вулики"])
                && s["documents"].as_array().map(Vec::len) == Some(2),
            "the saved service is not what was typed: {s}"
        );

        // The catalogue lists it under "Other", and the search finds it.
        staff.go_in_app(&services_path()).await?;
        staff
            .wait_text("main section.situation li.service-card", title)
            .await?;
        staff
            .wait_text(
                "main section.situation:has(h2#sit-other) li.service-card",
                title,
            )
            .await?;
        for q in ["пасіку", "вулики з бджолами", "пасiка"] {
            let hits = search_ui(&staff, SERVICE_Q, SERVICE_HITS, NO_HITS, q).await?;
            ensure!(
                hits.first().is_some_and(|h| h.title == title),
                "searching “{q}” does not give the new service first: {:?}",
                hits.iter().map(|h| &h.title).collect::<Vec<_>>()
            );
        }

        // Deleted: gone from the staff's list, the catalogue and the search.
        staff.go_in_app(&service_edit_path(&id)).await?;
        staff.wait_visible(EDITOR).await?;
        wait_value(&staff, "main #f-title", title).await?;
        staff.click("main #service-delete").await?;
        staff
            .poll("the confirmation to accept", async || {
                Ok(staff.client.accept_alert().await.is_ok().then_some(()))
            })
            .await?;
        staff.wait_path(&staff_services_path()).await?;
        staff.wait_visible(STAFF_TABLE_ROWS).await?;
        let table = staff.text("main table.staff-services").await?;
        ensure!(
            !table.contains(title),
            "the deleted service is still in the staff's list"
        );
        let r = api(&staff, "GET", &format!("/api/v1/services/{id}"), None).await?;
        ensure!(
            r.status == 404,
            "the deleted service answered {}: {}",
            r.status,
            r.short()
        );
        ensure!(
            !api_search(&staff, "пасіка")
                .await?
                .iter()
                .any(|t| t == title),
            "the search still finds the deleted service"
        );
        ensure!(
            all_services(&staff).await?.len() == before,
            "the catalogue does not have as many services as before"
        );

        // The centre's form: an empty name is refused beside it; a change saves.
        staff.wait_visible(CENTRE_FORM).await?;
        let name = staff.value("main #f-centre-name").await?;
        let hours = format!("Пн–Пт: 8:00–17:00\nСб: 9:00–13:00 (тест {})", unique());
        staff.set_value("main #f-centre-name", "").await?;
        staff.click(CENTRE_SAVE).await?;
        field_error(&staff, "centre-name", None).await?;
        staff.replace("main #f-centre-name", &name).await?;
        staff.set_value("main #f-centre-hours", &hours).await?;
        staff.click(CENTRE_SAVE).await?;
        staff
            .wait_text(&format!("{CENTRE_FORM} .alert-ok"), SAVED)
            .await?;
        let c = api_get(&staff, &format!("/api/v1/hromadas/{KHERSON}/centre")).await?;
        ensure!(
            c["hours"] == json!(hours) && c["name"] == json!(name),
            "the saved centre is not what was typed: {c}"
        );
        staff.go_in_app(&services_path()).await?;
        for line in hours.lines() {
            staff.wait_text(CENTRE, line).await?;
        }
        Ok(())
    })
    .await;
}

// ---------------------------------------------------------------------------------------
// 7. Phone width and screenshots
// ---------------------------------------------------------------------------------------

/// What the tour visits: a resident with an answered consultation, staff, and the ids of
/// a service and an answer of the demo.
struct Tour {
    resident: Browser,
    staff: Browser,
    consultation: String,
    service: String,
    answer: String,
}

async fn tour_setup(h: &Harness) -> Result<Tour> {
    let staff = demo(h, "tour-staff", STAFF_EMAIL).await?;
    let resident = resident(h, "tour-resident", "Марта Гнатюк", &services_path()).await?;
    let (service, _) = find_service(&resident, FAMILY).await?;
    let consultation = ask_ok(
        &resident,
        "Як отримати довідку про склад сім'ї для субсидії? Живемо втрьох.",
    )
    .await?;
    let r = write_api(
        &staff,
        &consultation,
        "Добрий день! Довідку про склад сім'ї видають у ЦНАП у день звернення, безоплатно. \
         Для субсидії вона не потрібна: ЦНАП отримає дані сам. Деталі — за посиланням.",
        json!([{"kind": "service", "id": service}]),
    )
    .await?;
    ensure!(
        r.status == 201,
        "staff answering through the API answered {}: {}",
        r.status,
        r.short()
    );
    let answer = all_answers(&resident)
        .await?
        .iter()
        .find(|a| a["service"].is_object())
        .map(|a| text_of(&a["id"]))
        .ok_or_else(|| Failure("the demo has no answer about a service".into()))?;
    Ok(Tour {
        resident,
        staff,
        consultation,
        service,
        answer,
    })
}

/// Notes what of the page is wider than the screen, and saves its screenshot (when
/// screenshots are wanted).
async fn look(b: &Browser, lang: &str, size: &str, page: &str, wide: &mut Vec<String>) -> Result {
    let w = b.too_wide().await?;
    if !w.is_empty() {
        wide.push(format!("{page} ({lang}, {size}): {}", w.join("; ")));
    }
    b.screenshot(&format!("services-{lang}-{size}-{page}"))
        .await
}

/// Scrolls the first element matching `css` into the middle of the screen.
async fn show(b: &Browser, css: &str) -> Result {
    let arg = serde_json::to_value(&b.wait_visible(css).await?)?;
    b.client
        .execute("arguments[0].scrollIntoView({block: 'center'});", vec![arg])
        .await?;
    Ok(())
}

/// Visits every page of services and consultations in the language the browsers use now,
/// at their current size: collects what is wider than the screen, and saves a screenshot
/// of each page named `services-{lang}-{size}-{page}` (when screenshots are wanted).
async fn tour(t: &Tour, lang: &str, size: &str) -> Result<Vec<String>> {
    let mut wide = vec![];
    let (r, s) = (&t.resident, &t.staff);
    // The catalogue, its questions, and the search.
    r.go_in_app(&services_path()).await?;
    r.wait_visible(CATALOGUE_CARDS).await?;
    r.js("window.scrollTo(0, 0);").await?;
    look(r, lang, size, "catalogue", &mut wide).await?;
    show(r, "main #faq").await?;
    look(r, lang, size, "catalogue-faq", &mut wide).await?;
    search_ui(
        r,
        SERVICE_Q,
        SERVICE_HITS,
        NO_HITS,
        "довидку про склад сімї",
    )
    .await?;
    show(r, SERVICE_Q).await?;
    look(r, lang, size, "search", &mut wide).await?;
    search_ui(r, SERVICE_Q, SERVICE_HITS, NO_HITS, "ґзщфх кпрстлмн").await?;
    look(r, lang, size, "search-nothing", &mut wide).await?;
    // A service, and an answer.
    r.go_in_app(&service_path(&t.service)).await?;
    r.wait_visible(DOCUMENTS).await?;
    r.js("window.scrollTo(0, 0);").await?;
    look(r, lang, size, "service", &mut wide).await?;
    show(r, CENTRE).await?;
    look(r, lang, size, "service-centre", &mut wide).await?;
    r.go_in_app(&answer_path(&t.answer)).await?;
    r.wait_visible("main .card a[href^=\"/services/\"]").await?;
    look(r, lang, size, "answer", &mut wide).await?;
    // Asking, with suggestions.
    r.go_in_app(&ask_path()).await?;
    r.wait_visible(ASK_SEND).await?;
    search_ui(r, ASK_TEXT, SUGGESTIONS, NO_SUGGESTIONS, QUESTION).await?;
    show(r, SUGGESTIONS).await?;
    look(r, lang, size, "ask", &mut wide).await?;
    r.set_value(ASK_TEXT, "").await?;
    // The conversation, as the resident sees it, and their list.
    r.go_in_app(&consultation_path(&t.consultation)).await?;
    r.wait_visible(STAFF_BUBBLES).await?;
    r.js("window.scrollTo(0, 0);").await?;
    look(r, lang, size, "conversation", &mut wide).await?;
    show(r, TO_APPEAL).await?;
    look(r, lang, size, "conversation-end", &mut wide).await?;
    r.go_in_app("/consultations").await?;
    r.wait_visible(QUEUE_CARDS).await?;
    look(r, lang, size, "mine", &mut wide).await?;
    // Staff: the conversation with the link search, the queue, the catalogue, the editor.
    s.go_in_app(&consultation_path(&t.consultation)).await?;
    s.wait_visible(LINK_Q).await?;
    search_ui(s, LINK_Q, LINK_HITS, "main #no-link-hits", "склад сім'ї").await?;
    show(s, LINK_Q).await?;
    look(s, lang, size, "conversation-staff", &mut wide).await?;
    s.go_in_app(&queue_path()).await?;
    s.wait_visible(QUEUE_CARDS).await?;
    look(s, lang, size, "queue", &mut wide).await?;
    s.go_in_app(&staff_services_path()).await?;
    s.wait_visible(STAFF_TABLE_ROWS).await?;
    s.js("window.scrollTo(0, 0);").await?;
    look(s, lang, size, "staff-catalogue", &mut wide).await?;
    show(s, STAFF_TABLE_ROWS).await?;
    look(s, lang, size, "staff-catalogue-table", &mut wide).await?;
    s.go_in_app(&new_service_path()).await?;
    s.wait_visible(EDITOR).await?;
    s.replace(
        "main #f-purpose",
        "Дозвіл тримати пасіку на землях громади.",
    )
    .await?;
    s.replace("main #f-fee", "abc").await?;
    s.replace("main #f-online_url", "diia.gov.ua").await?;
    s.click(EDITOR_SAVE).await?;
    field_error(s, "online_url", None).await?;
    s.js("window.scrollTo(0, 0);").await?;
    look(s, lang, size, "editor-errors", &mut wide).await?;
    show(s, "main #f-fee").await?;
    look(s, lang, size, "editor-errors-fee", &mut wide).await?;
    Ok(wide)
}

/// On a 360×640 phone, in Ukrainian and in English, no page of services and
/// consultations is wider than the screen.
#[tokio::test]
async fn services_pages_fit_a_phone_screen() {
    scenario("services-phone-width", async |h| {
        let t = tour_setup(h).await?;
        let mut wide = vec![];
        for lang in ["uk", "en"] {
            for b in [&t.resident, &t.staff] {
                b.phone().await?;
                set_language(b, lang).await?;
            }
            wide.extend(tour(&t, lang, "phone").await?);
        }
        ensure!(
            wide.is_empty(),
            "pages that do not fit a 360 px phone screen:\n  {}",
            wide.join("\n  ")
        );
        Ok(())
    })
    .await;
}

/// Screenshots of the pages at 360×640 and 1280×800 in both languages, for a person to
/// look at; runs only with `HROMADA_SCREENSHOTS=1`.
#[tokio::test]
async fn screenshots_of_the_services_pages() {
    if !hromada_e2e::screenshots_wanted() {
        eprintln!("skipped: set HROMADA_SCREENSHOTS=1 to take the screenshots");
        return;
    }
    scenario("services-screenshots", async |h| {
        let t = tour_setup(h).await?;
        for lang in ["uk", "en"] {
            for (size, dims) in [("desktop", DESKTOP), ("phone", PHONE)] {
                for b in [&t.resident, &t.staff] {
                    b.set_viewport(dims).await?;
                    set_language(b, lang).await?;
                }
                tour(&t, lang, size).await?;
            }
        }
        Ok(())
    })
    .await;
}

#[test]
fn helpers_make_what_they_say() {
    assert_eq!(text_of_len(2_001).chars().count(), 2_001);
    assert_eq!(text_of_len(2_000).trim().chars().count(), 2_000);
    assert_eq!(fee_uk(8_450), "₴ 84,50");
    assert_eq!(fee_uk(125_000), "₴ 1\u{202f}250");
    assert_eq!(enc("a b/ї"), "a%20b%2F%D1%97");
}
