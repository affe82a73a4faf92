//! End-to-end tests of local electronic petitions (issue 5): a resident writes a petition
//! and follows it through moderation, signatures and the council's answer, live; a
//! signature is given once, and a guest or an unverified resident is told what to do
//! instead of meeting a dead button; bad input and steps nobody may take are refused
//! clearly; the list's tabs, order and search; the pages fit a phone.
//!
//! Like `appeals.rs`, each scenario has a server, a database, a chromedriver and browsers
//! of its own. Build first (`make test` does it all), then:
//! `cargo test -p hromada-e2e --test petitions -- --test-threads=1`.

use std::time::{Duration, Instant};

use hromada_e2e::{
    ADMIN_EMAIL, Browser, DEMO_PASSWORD, DESKTOP, Element, Failure, GOOD_PASSWORD, KHERSON,
    Locator, OTHER_HROMADA, PHONE, RESIDENT_EMAIL, Reply, Result, STAFF_EMAIL, STAFF_NAME,
    VERIFIED_EMAIL, api, api_get, api_sign_in, api_sign_out, api_with_headers, ensure, ensure_live,
    ensure_not_reloaded, ensure_problem, ensure_problem_json, ensure_refused, error_text,
    field_error, has_class, mark_page, new_resident, register_api, reply_of, scenario, select,
    set_language, settled_unread, sign_in, unique, wait_bell,
};
use serde_json::{Value, json};

/// The demo verified resident's name.
const VERIFIED_NAME: &str = "Андрій Шевчук";

/// The contract's limits (`api/src/petitions.rs`).
const TITLE_MAX: usize = 200;
const SIGNATURES_MIN: u32 = 10;

const CARDS: &str = "main li.petition-card";
const SIGN_BOX: &str = "main section.sign-box";
const SIGN_BUTTON: &str = "main section.sign-box button.button-big";
const SIGNED: &str = "main section.sign-box .signed";
const SIGN_IN_LINK: &str = "main section.sign-box a[href^='/signin?next=']";
const VERIFY_LINK: &str = "main section.sign-box a[href='/account']";
const COUNT: &str = "main .progress-text strong";
const SIGNERS: &str = "main ul.signers li";
const SIGNERS_SECTION: &str = "main section[aria-labelledby=signers-h]";
const STAFF_PANEL: &str = "main section.staff-panel";
const ANSWER: &str = "main section.card-ok:has(#answer-h)";
const SENT: &str = "main section.card-ok";
const PREVIEW: &str = "main .preview-card";
const NOTIFICATIONS: &str = "main li.notification";
const SETTINGS: &str = "main section[aria-labelledby=settings-h]";
const MODERATION_QUEUE: &str = "main section[aria-labelledby=moderation-h]";
const CONSIDERATION_QUEUE: &str = "main section[aria-labelledby=consideration-h]";

/// The notifications' texts, as the app writes them in Ukrainian.
const NOTE_PUBLISHED: &str = "Вашу петицію опубліковано";
const NOTE_REACHED: &str = "Петиція набрала потрібну кількість підписів";
const NOTE_ANSWERED: &str = "На петицію надано відповідь";

/// The statuses of the public tabs, in order.
const TABS: [&str; 5] = [
    "collecting",
    "consideration",
    "answered",
    "not_supported",
    "rejected",
];

/// Residents who sign up to sign, by name.
const SIGNER_NAMES: [&str; 9] = [
    "Марина Гончаренко",
    "Василь Бойко",
    "Наталія Савченко",
    "Ігор Руденко",
    "Людмила Поліщук",
    "Сергій Марченко",
    "Юлія Кравець",
    "Олег Ткачук",
    "Ганна Лисенко",
];

fn list_path() -> String {
    format!("/h/{KHERSON}/petitions")
}

fn tab_path(status: &str) -> String {
    format!("/h/{KHERSON}/petitions?status={status}&sort=newest")
}

fn new_path() -> String {
    format!("/h/{KHERSON}/petitions/new")
}

fn staff_path() -> String {
    format!("/h/{KHERSON}/staff/petitions")
}

fn desk_path() -> String {
    format!("/h/{KHERSON}/staff")
}

fn petition_path(id: &str) -> String {
    format!("/petitions/{id}")
}

/// Where the app keeps the draft of a petition to Херсонська громада.
fn draft_key() -> String {
    format!("hromada.petition-draft.{KHERSON}")
}

/// A petition's text of two paragraphs.
fn petition_text(mark: &str) -> String {
    format!(
        "Біля входу до поліклініки № 3 на вулиці Перекопській немає пандуса, і люди на \
         візках не можуть потрапити до лікаря.\n\n\
         Просимо облаштувати пандус із поручнями до кінця року. ({mark})"
    )
}

// ---------------------------------------------------------------------------------------
// The API, called from inside a browser with its session cookie
// ---------------------------------------------------------------------------------------

/// Two identical requests sent at once, as a double tap sends them: both replies.
const TWICE_JS: &str = r#"
const [path] = arguments;
const one = () => fetch(path, {method: 'POST', credentials: 'same-origin',
    headers: {'X-Hromada-Client': 'web', 'Accept': 'application/json', 'Content-Type': 'application/json'},
    body: '{}'})
  .then(async r => ({status: r.status, type: r.headers.get('content-type') || '', text: await r.text()}))
  .catch(e => ({error: String(e)}));
return Promise.all([one(), one()]);
"#;

/// Records the text of every alert added to the page, in `window.__e2eAlerts`.
const WATCH_ALERTS_JS: &str = r#"
window.__e2eAlerts = [];
new MutationObserver(list => {
  for (const m of list) for (const n of m.addedNodes) {
    if (n.nodeType !== 1) continue;
    const found = n.matches('.alert') ? [n] : [...n.querySelectorAll('.alert')];
    for (const a of found) window.__e2eAlerts.push(a.className + ': ' + a.textContent.trim());
  }
}).observe(document.body, {childList: true, subtree: true});
"#;

/// Submits a petition through the API, as the person signed in to this browser; its id.
async fn submit_api(b: &Browser, title: &str, text: &str) -> Result<String> {
    let r = api_with_headers(
        b,
        "POST",
        &format!("/api/v1/hromadas/{KHERSON}/petitions"),
        Some(json!({"title": title, "text": text})),
        json!({"Idempotency-Key": format!("e2e-{}", unique())}),
    )
    .await?;
    ensure!(
        r.status == 201,
        "submitting the petition “{title}” answered {}: {}",
        r.status,
        r.short()
    );
    let p = r.json();
    ensure!(
        p["status"] == json!("moderation"),
        "a new petition is not in moderation: {}",
        r.short()
    );
    p["id"]
        .as_str()
        .map(str::to_owned)
        .ok_or_else(|| Failure(format!("the new petition has no id: {}", r.short())))
}

/// Staff publish a petition in moderation through the API.
async fn publish_api(staff: &Browser, id: &str) -> Result {
    let r = api(
        staff,
        "POST",
        &format!("/api/v1/petitions/{id}/moderation"),
        Some(json!({"decision": "publish"})),
    )
    .await?;
    ensure!(
        r.status == 200 && r.json()["status"] == json!("collecting"),
        "publishing the petition {id} answered {}: {}",
        r.status,
        r.short()
    );
    Ok(())
}

/// A petition as the server gives it to this browser's person.
async fn petition_json(b: &Browser, id: &str) -> Result<Value> {
    api_get(b, &format!("/api/v1/petitions/{id}")).await
}

/// Signs a petition through the API.
async fn sign_api(b: &Browser, id: &str) -> Result<Reply> {
    api(
        b,
        "POST",
        &format!("/api/v1/petitions/{id}/signatures"),
        Some(json!({})),
    )
    .await
}

/// Every signer of a petition, as the API lists them (all pages), by name.
async fn signers_api(b: &Browser, id: &str) -> Result<Vec<String>> {
    let mut names = vec![];
    let mut cursor: Option<String> = None;
    for _ in 0..100 {
        let path = match &cursor {
            Some(c) => format!("/api/v1/petitions/{id}/signatures?limit=100&cursor={c}"),
            None => format!("/api/v1/petitions/{id}/signatures?limit=100"),
        };
        let page = api_get(b, &path).await?;
        for s in page["items"].as_array().cloned().unwrap_or_default() {
            names.push(s["full_name"].as_str().unwrap_or_default().to_owned());
        }
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_owned()),
            None => return Ok(names),
        }
    }
    Err(Failure(format!("the signers of {id} go on past 100 pages")))
}

/// The hromada's petitions in one tab, as the API lists them (first 100).
async fn tab_api(b: &Browser, status: &str, sort: &str) -> Result<Vec<Value>> {
    let list = api_get(
        b,
        &format!("/api/v1/hromadas/{KHERSON}/petitions?status={status}&sort={sort}&limit=100"),
    )
    .await?;
    Ok(list["items"].as_array().cloned().unwrap_or_default())
}

/// The id of the first demo petition in `status` (as the API lists them).
async fn demo_petition(b: &Browser, status: &str) -> Result<(String, String)> {
    let items = tab_api(b, status, "newest").await?;
    let p = items.first().ok_or_else(|| {
        Failure(format!(
            "the demo has no petition “{status}” in Херсонська громада"
        ))
    })?;
    Ok((
        p["id"].as_str().unwrap_or_default().to_owned(),
        p["title"].as_str().unwrap_or_default().to_owned(),
    ))
}

// ---------------------------------------------------------------------------------------
// Steps shared by the scenarios
// ---------------------------------------------------------------------------------------

/// The number the petition's page shows as its count.
async fn shown_count(b: &Browser) -> Result<u32> {
    let t = b.text(COUNT).await?;
    t.trim()
        .parse()
        .map_err(|_| Failure(format!("the count `{COUNT}` reads “{t}”, not a number")))
}

/// Waits until the petition's page shows the count `n`.
async fn wait_count(b: &Browser, n: u32) -> Result {
    b.poll(&format!("the count to show {n}"), async || {
        let t = b.text(COUNT).await?;
        Ok((t.trim() == n.to_string()).then_some(()))
    })
    .await
}

/// Waits until the page shows the petition's status `code` (its badge).
async fn wait_status(b: &Browser, code: &str) -> Result<Element> {
    b.wait_visible(&format!("main .badge.pstatus-{code}")).await
}

/// Opens a petition's page and waits until its title shows.
async fn open_petition(b: &Browser, id: &str, title: &str) -> Result {
    b.goto(&petition_path(id)).await?;
    b.wait_exact_text("main h1", title).await?;
    // The navigation shows where a petition belongs: its hromada's petitions.
    b.wait_visible(".site-nav a[aria-current=true][href$='/petitions']")
        .await?;
    Ok(())
}

/// The names in the petition page's list of signers, every page of it ("show more" until
/// there is no more).
async fn signer_names(b: &Browser) -> Result<Vec<String>> {
    b.wait(&format!(
        "{SIGNERS_SECTION} ul.signers li, {SIGNERS_SECTION} .state-empty"
    ))
    .await?;
    let more = format!("{SIGNERS_SECTION} button.button-secondary");
    for _ in 0..100 {
        let buttons = b.client.find_all(Locator::Css(&more)).await?;
        let Some(button) = buttons.first() else {
            break;
        };
        let before = b.count(SIGNERS).await?;
        b.click_element(button).await?;
        b.poll("the next page of signers", async || {
            let now = b.count(SIGNERS).await?;
            let gone = b.count(&more).await? == 0;
            Ok((now > before || gone).then_some(()))
        })
        .await?;
    }
    let mut names = vec![];
    for li in b.client.find_all(Locator::Css(SIGNERS)).await? {
        let name = li.find(Locator::Css("span")).await?.text().await?;
        names.push(name.trim().to_owned());
    }
    Ok(names)
}

/// Fails unless the count shown agrees with the list of signers shown (all its pages).
async fn ensure_count_matches_list(b: &Browser, expected: u32) -> Result<Vec<String>> {
    let count = shown_count(b).await?;
    let names = signer_names(b).await?;
    ensure!(
        count == expected,
        "the page shows a count of {count}, expected {expected}"
    );
    ensure!(
        names.len() == count as usize,
        "the page shows a count of {count} but lists {} signers: {names:?}",
        names.len()
    );
    Ok(names)
}

/// The card of the petition titled `title` in a list, loading more of the list when it is
/// not on the first page.
async fn find_card(b: &Browser, within: &str, title: &str) -> Result<Element> {
    let cards = format!("{within} li.petition-card");
    b.poll(
        &format!("a card of the petition “{title}”"),
        async || {
            for el in b.client.find_all(Locator::Css(&cards)).await? {
                if el.find(Locator::Css("h3")).await?.text().await?.trim() == title {
                    return Ok(Some(el));
                }
            }
            for button in b
                .client
                .find_all(Locator::Css(&format!("{within} button.button-secondary")))
                .await?
            {
                let t = button.text().await?;
                if (t.trim() == "Показати ще" || t.trim() == "Show more")
                    && button.is_enabled().await?
                {
                    button.click().await?;
                }
            }
            Ok(None)
        },
    )
    .await
}

/// The cards of the list shown now: (title, status code, count or `None`).
async fn cards(b: &Browser) -> Result<Vec<(String, String, Option<u32>)>> {
    let mut out = vec![];
    for el in b.client.find_all(Locator::Css(CARDS)).await? {
        let title = el.find(Locator::Css("h3")).await?.text().await?;
        let badge = el.find(Locator::Css(".badge[class*='pstatus-']")).await?;
        let class = badge.attr("class").await?.unwrap_or_default();
        let status = class
            .split_whitespace()
            .find_map(|c| c.strip_prefix("pstatus-"))
            .unwrap_or_default()
            .to_owned();
        let count = match el
            .find_all(Locator::Css(".progress-text strong"))
            .await?
            .first()
        {
            Some(s) => s.text().await?.trim().parse().ok(),
            None => None,
        };
        out.push((title.trim().to_owned(), status, count));
    }
    Ok(out)
}

/// Waits until the list shows cards and every one of them is in `status`.
async fn wait_only_status(b: &Browser, status: &str) -> Result<Vec<(String, String, Option<u32>)>> {
    b.poll(
        &format!("only petitions “{status}” in the list"),
        async || {
            let shown = cards(b).await?;
            Ok((!shown.is_empty() && shown.iter().all(|c| c.1 == status)).then_some(shown))
        },
    )
    .await
}

/// The notification about `title` whose text contains `text`, if the list shows one.
async fn find_notification(b: &Browser, text: &str, title: &str) -> Result<Option<Element>> {
    for li in b.client.find_all(Locator::Css(NOTIFICATIONS)).await? {
        let t = li.text().await?;
        if t.contains(text) && t.contains(title) {
            return Ok(Some(li));
        }
    }
    Ok(None)
}

async fn notification(b: &Browser, text: &str, title: &str) -> Result<Element> {
    b.poll(
        &format!("the notification “{text}” about “{title}”"),
        async || find_notification(b, text, title).await,
    )
    .await
}

/// The kinds of this person's notifications about the petition `id` (server's list).
async fn notification_kinds(b: &Browser, id: &str) -> Result<Vec<String>> {
    let list = api_get(b, "/api/v1/me/notifications?limit=100").await?;
    Ok(list["items"]
        .as_array()
        .map(|l| {
            l.iter()
                .filter(|n| n["petition"]["id"] == json!(id))
                .filter_map(|n| n["kind"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default())
}

/// Fails when the page offers a way to sign: the button, the sign-in link or the
/// verification hint.
async fn ensure_no_signing(b: &Browser, what: &str) -> Result {
    for (offer, css) in [
        ("a sign button", SIGN_BUTTON),
        ("a link to sign in and sign", SIGN_IN_LINK),
        ("the verification hint", VERIFY_LINK),
    ] {
        ensure!(
            b.count(css).await? == 0,
            "{what}: the page offers {offer} (`{css}`)"
        );
    }
    Ok(())
}

/// Staff of another hromada: signed up there, then granted the role by the administrator;
/// this browser is then signed in as them. Returns their name.
async fn staff_of_another_hromada(b: &Browser, mark: &str) -> Result<String> {
    let email = format!("staff.chernivska.{mark}@example.com");
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
    let users = api_get(
        b,
        &format!("/api/v1/admin/users?q={}", email.replace('@', "%40")),
    )
    .await?;
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
// Scenarios
// ---------------------------------------------------------------------------------------

/// Staff set the hromada's rule to the smallest number (10) open to every resident. A
/// verified resident writes a petition, the preview following the typing, and sends it:
/// it is "in moderation" in their petitions. Staff find it in the moderation queue with
/// the working days it waited and publish it: the author's open page shows it live, and
/// the author's signature counts. Residents sign until the count is reached: it moves to
/// "under consideration" by itself, live on the author's and a signer's open pages. Staff
/// answer with a decision: both see it live. The author has the notifications of
/// publication, the count and the answer; a signer those of the count and the answer.
/// The count shown always equals the names listed.
#[tokio::test]
async fn a_petition_goes_from_idea_to_answer() {
    scenario("petition-idea-to-answer", async |h| {
        let mut bugs: Vec<String> = vec![];
        let mark = unique();
        let title = format!("Облаштувати пандус біля поліклініки № 3 ({mark})");
        let text = petition_text(&mark);
        let (para1, para2) = text.split_once("\n\n").expect("two paragraphs");

        // Staff make the number small and let every resident sign, from the staff desk.
        let staff = h.browser("staff").await?;
        sign_in(&staff, STAFF_EMAIL, DEMO_PASSWORD).await?;
        staff.goto(&desk_path()).await?;
        staff
            .click(&format!("main a[href='{}']", staff_path()))
            .await?;
        staff.wait_path(&staff_path()).await?;
        staff
            .poll("the settings form to show the hromada's rule", async || {
                Ok((staff.value("#f-signatures").await? == "250").then_some(()))
            })
            .await?;
        ensure!(
            staff.value("#f-days").await? == "60",
            "the settings form shows {} days, the default is 60",
            staff.value("#f-days").await?
        );
        let checked = async || -> Result<bool> {
            Ok(staff
                .wait("#f-verified_only")
                .await?
                .prop("checked")
                .await?
                .as_deref()
                == Some("true"))
        };
        ensure!(
            checked().await?,
            "“verified residents only” is not checked; it is the default"
        );
        staff
            .replace("#f-signatures", &SIGNATURES_MIN.to_string())
            .await?;
        staff.click("label[for=f-verified_only]").await?;
        staff
            .poll(
                "“verified residents only” to be unchecked",
                async || Ok((!checked().await?).then_some(())),
            )
            .await?;
        staff
            .click(&format!("{SETTINGS} button[type=submit]"))
            .await?;
        staff
            .wait_text(&format!("{SETTINGS} .alert-ok"), "Правила збережено")
            .await?;
        let settings =
            api_get(&staff, &format!("/api/v1/hromadas/{KHERSON}")).await?["settings"].clone();
        ensure!(
            settings["petition_signatures"] == json!(SIGNATURES_MIN)
                && settings["petition_days"] == json!(60)
                && settings["petition_verified_only"] == json!(false),
            "the hromada's rule was not saved as set: {settings}"
        );
        staff.screenshot("petition-flow-1-rules-desktop").await?;

        // The author writes it, from the hromada's page; the preview follows the typing.
        let author = h.browser("author").await?;
        sign_in(&author, VERIFIED_EMAIL, DEMO_PASSWORD).await?;
        author.goto(&format!("/h/{KHERSON}")).await?;
        author
            .click(&format!("main a[href='{}']", new_path()))
            .await?;
        author.wait_path(&new_path()).await?;
        let cut = title
            .char_indices()
            .nth(title.chars().count() / 2)
            .map_or(0, |(i, _)| i);
        let (first, rest) = title.split_at(cut);
        author.type_into("#f-title", first).await?;
        author
            .wait_exact_text(&format!("{PREVIEW} h3"), first.trim())
            .await
            .map_err(|e| {
                Failure(format!(
                    "the preview does not follow the title as typed: {e}"
                ))
            })?;
        author
            .wait_text(
                "#f-title-hint",
                &format!("{} з {TITLE_MAX}", first.trim().chars().count()),
            )
            .await?;
        author.type_into("#f-title", rest).await?;
        author
            .wait_exact_text(&format!("{PREVIEW} h3"), &title)
            .await?;
        author
            .wait_text(
                "#f-title-hint",
                &format!("{} з {TITLE_MAX}", title.chars().count()),
            )
            .await?;
        author.type_into("#f-text", para1).await?;
        author
            .wait_exact_text(&format!("{PREVIEW} p.appeal-text"), para1)
            .await?;
        author.type_into("#f-text", &format!("\n\n{para2}")).await?;
        author
            .poll("the preview to show two paragraphs", async || {
                let ps = author
                    .client
                    .find_all(Locator::Css(&format!("{PREVIEW} p.appeal-text")))
                    .await?;
                if ps.len() != 2 {
                    return Ok(None);
                }
                Ok((ps[1].text().await?.trim() == para2).then_some(()))
            })
            .await?;
        author.screenshot("petition-flow-2-new-desktop").await?;
        author.click("main form.form button[type=submit]").await?;
        let link = author
            .wait_visible(&format!("{SENT} a[href^='/petitions/']"))
            .await?;
        let href = link.attr("href").await?.unwrap_or_default();
        let id = href.trim_start_matches("/petitions/").to_owned();
        ensure!(!id.is_empty(), "the confirmation links to “{href}”");
        let draft = author
            .client
            .execute(
                "return localStorage.getItem(arguments[0]);",
                vec![json!(draft_key())],
            )
            .await?;
        ensure!(
            draft.is_null(),
            "the draft is still kept in the browser after the petition was sent: {draft}"
        );
        let p = petition_json(&author, &id).await?;
        ensure!(
            p["status"] == json!("moderation")
                && p["title"] == json!(title)
                && p["author_name"] == json!(VERIFIED_NAME)
                && p["text"] == json!(text),
            "the server keeps something else than what was sent: {p}"
        );
        author.screenshot("petition-flow-3-sent-desktop").await?;

        // "My petitions": in moderation.
        author
            .click(&format!("{SENT} a[href='/petitions']"))
            .await?;
        author.wait_path("/petitions").await?;
        let card = find_card(&author, "main", &title).await?;
        ensure!(
            !card
                .find_all(Locator::Css(".badge.pstatus-moderation"))
                .await?
                .is_empty(),
            "“My petitions” does not show it in moderation: {}",
            card.text().await?
        );
        author.screenshot("petition-flow-4-mine-desktop").await?;
        let open = card.find(Locator::Css("h3 a")).await?;
        author.click_element(&open).await?;
        author.wait_path(&petition_path(&id)).await?;
        author.wait_exact_text("main h1", &title).await?;
        wait_status(&author, "moderation").await?;
        author.wait_text("main .alert-ok", "на модерації").await?;
        ensure_no_signing(&author, "the author's petition in moderation").await?;
        let author_unread = settled_unread(&author).await?;
        mark_page(&author).await?;

        // Staff: the queue shows how long it has waited; they publish it.
        staff.reload().await?;
        let card = find_card(&staff, MODERATION_QUEUE, &title).await?;
        let waited = waited_text(&staff, &card).await?;
        ensure!(
            waited.trim() == "Чекає робочих днів: 0",
            "the moderation queue says “{waited}” for a petition sent a moment ago, expected \
             “Чекає робочих днів: 0”"
        );
        staff
            .screenshot("petition-flow-5-staff-queue-desktop")
            .await?;
        let open = card.find(Locator::Css("h3 a")).await?;
        staff.click_element(&open).await?;
        staff.wait_path(&petition_path(&id)).await?;
        staff.wait_visible(STAFF_PANEL).await?;
        staff.wait_text("main dl.facts", VERIFIED_NAME).await?;
        staff.wait_text("main dl.facts", VERIFIED_EMAIL).await?;
        let at = Instant::now();
        staff
            .click(&format!("{STAFF_PANEL} .actions button"))
            .await?;
        wait_status(&author, "collecting").await?;
        ensure_live(at, "the author's open petition showed its publication")?;
        wait_bell(&author, author_unread + 1).await?;
        ensure_live(at, "the author's bell counted the publication")?;
        wait_status(&staff, "collecting").await?;
        wait_count(&staff, 1).await?;
        staff
            .wait_text(
                "main .progress-text",
                &format!("з {SIGNATURES_MIN} підписів"),
            )
            .await?;
        // The author's signature counts: the author is shown as a signer.
        author.wait_visible(SIGNED).await?;
        wait_count(&author, 1).await?;
        let names = ensure_count_matches_list(&author, 1).await?;
        ensure!(
            names == [VERIFIED_NAME],
            "the first signer is not the author: {names:?}"
        );
        let p = petition_json(&author, &id).await?;
        ensure!(
            p["needed"] == json!(SIGNATURES_MIN) && p["signatures"] == json!(1),
            "the published petition needs {} and has {}, expected {SIGNATURES_MIN} and 1",
            p["needed"],
            p["signatures"]
        );
        ensure!(
            p["published_at"].is_string() && p["ends_at"].is_string(),
            "the published petition has no signing period: {p}"
        );

        // A resident signs it with one action.
        let signer = h.browser("signer").await?;
        let signer_name = SIGNER_NAMES[0];
        new_resident(&signer, &format!("signer.{mark}@example.com"), signer_name).await?;
        open_petition(&signer, &id, &title).await?;
        signer
            .wait_exact_text(".who .who-name", signer_name)
            .await?;
        wait_count(&signer, 1).await?;
        signer.click(SIGN_BUTTON).await?;
        signer.wait_visible(SIGNED).await?;
        wait_count(&signer, 2).await?;
        signer.screenshot("petition-flow-6-signed-desktop").await?;
        let names = ensure_count_matches_list(&signer, 2).await?;
        ensure!(
            names == [VERIFIED_NAME, signer_name],
            "the signers are listed as {names:?}"
        );
        let signer_unread = settled_unread(&signer).await?;
        mark_page(&signer).await?;

        // More residents sign, each once, through the API (as the app does).
        let crowd = h.browser("crowd").await?;
        let needed = SIGNATURES_MIN as usize;
        let mut last_crowd_email = String::new();
        for (i, name) in SIGNER_NAMES[1..needed - 2].iter().enumerate() {
            let email = format!("crowd.{i}.{mark}@example.com");
            if i == 0 {
                crowd.goto("/").await?;
            } else {
                api_sign_out(&crowd).await?;
            }
            register_api(&crowd, &email, name, "м. Херсон, вул. Садова, 3", KHERSON).await?;
            let r = sign_api(&crowd, &id).await?;
            let expected = i as u32 + 3;
            ensure!(
                r.status == 201
                    && r.json()["signatures"] == json!(expected)
                    && r.json()["status"] == json!("collecting"),
                "{name}'s signature answered {}: {} (expected 201, {expected} signatures, \
                 collecting)",
                r.status,
                r.short()
            );
            last_crowd_email = email;
        }

        // The last one needed: it moves to "under consideration" by itself, and the open
        // pages of the author and of a signer show it at once.
        let last = h.browser("last-signer").await?;
        let last_name = SIGNER_NAMES[needed - 2];
        new_resident(&last, &format!("last.{mark}@example.com"), last_name).await?;
        open_petition(&last, &id, &title).await?;
        wait_count(&last, SIGNATURES_MIN - 1).await?;
        let at = Instant::now();
        last.click(SIGN_BUTTON).await?;
        wait_status(&author, "consideration").await?;
        ensure_live(
            at,
            "the author's open petition moved to “under consideration”",
        )?;
        wait_bell(&author, author_unread + 2).await?;
        ensure_live(at, "the author's bell counted the reached number")?;
        wait_status(&signer, "consideration").await?;
        ensure_live(
            at,
            "a signer's open petition moved to “under consideration”",
        )?;
        wait_bell(&signer, signer_unread + 1).await?;
        ensure_not_reloaded(&author, "the author").await?;
        ensure_not_reloaded(&signer, "the signer").await?;
        wait_status(&last, "consideration").await?;
        ensure_signed_shown(&last, "the last signer", &mut bugs).await?;
        wait_count(&author, SIGNATURES_MIN).await?;
        ensure_no_signing(&author, "a petition under consideration").await?;
        author
            .screenshot("petition-flow-7-consideration-desktop")
            .await?;
        let names = ensure_count_matches_list(&author, SIGNATURES_MIN).await?;
        let mut expected: Vec<&str> = vec![VERIFIED_NAME];
        expected.extend(&SIGNER_NAMES[..needed - 1]);
        ensure!(
            names == expected,
            "the signers are listed as {names:?}, expected {expected:?} (oldest first)"
        );
        let p = petition_json(&author, &id).await?;
        ensure!(
            p["status"] == json!("consideration")
                && p["signatures"] == json!(SIGNATURES_MIN)
                && p["due_at"].is_string(),
            "after the last signature the petition is {} with {} signatures, due {}",
            p["status"],
            p["signatures"],
            p["due_at"]
        );
        let api_names = signers_api(&author, &id).await?;
        ensure!(
            api_names.len() == SIGNATURES_MIN as usize,
            "the API lists {} signers, the count is {SIGNATURES_MIN}: {api_names:?}",
            api_names.len()
        );
        // Nobody can sign any more.
        let r = sign_api(&crowd, &id).await?;
        ensure_refused(&r, &[409], "a signature after the number was reached")?;

        // Staff answer it from the consideration queue.
        staff.goto(&staff_path()).await?;
        let card = find_card(&staff, CONSIDERATION_QUEUE, &title).await?;
        let waited = waited_text(&staff, &card).await?;
        ensure!(
            waited.contains("Чекає робочих днів:"),
            "the consideration queue does not say how long it has waited: “{waited}”"
        );
        let open = card.find(Locator::Css("h3 a")).await?;
        staff.click_element(&open).await?;
        staff.wait_path(&petition_path(&id)).await?;
        staff.wait_visible(STAFF_PANEL).await?;
        let answer = format!(
            "Виконавчий комітет включив облаштування пандуса до плану робіт на квітень; \
             поручні встановлять за кошти бюджету участі. ({mark})"
        );
        staff
            .click("label[for=f-decision-partly_supported]")
            .await?;
        staff.type_into("#f-answer-text", &answer).await?;
        staff
            .screenshot("petition-flow-8-staff-answer-desktop")
            .await?;
        let at = Instant::now();
        staff
            .click(&format!("{STAFF_PANEL} button[type=submit]"))
            .await?;
        author.wait_text(ANSWER, &answer).await?;
        ensure_live(at, "the author's open petition showed the answer")?;
        wait_bell(&author, author_unread + 3).await?;
        ensure_live(at, "the author's bell counted the answer")?;
        signer.wait_text(ANSWER, &answer).await?;
        ensure_live(at, "a signer's open petition showed the answer")?;
        wait_bell(&signer, signer_unread + 2).await?;
        ensure_not_reloaded(&author, "the author").await?;
        ensure_not_reloaded(&signer, "the signer").await?;
        wait_status(&author, "answered").await?;
        author
            .wait_text(&format!("{ANSWER} .badge"), "Підтримано частково")
            .await?;
        author.wait_text(ANSWER, STAFF_NAME).await?;
        wait_count(&author, SIGNATURES_MIN).await?;
        author
            .screenshot("petition-flow-9-answered-desktop")
            .await?;
        staff.wait_text(ANSWER, &answer).await?;
        ensure!(
            staff.count(STAFF_PANEL).await? == 0,
            "staff are still offered to answer an answered petition"
        );

        // The author's notifications: published, reached, answered; opening one goes to it.
        author.click("a.bell").await?;
        author.wait_path("/notifications").await?;
        for text in [NOTE_PUBLISHED, NOTE_REACHED, NOTE_ANSWERED] {
            let n = notification(&author, text, &title).await?;
            ensure!(
                has_class(&n, "unread").await?,
                "the author's notification “{text}” is not marked unread"
            );
        }
        author
            .screenshot("petition-flow-10-notifications-desktop")
            .await?;
        let n = notification(&author, NOTE_ANSWERED, &title).await?;
        let a = n.find(Locator::Css("a")).await?;
        author.click_element(&a).await?;
        author.wait_path(&petition_path(&id)).await?;
        if let Err(e) = author.wait_exact_text("main h1", &title).await {
            bugs.push(format!(
                "APP: opening the notification “{NOTE_ANSWERED}” went to {} but the petition \
                 never showed: {e}",
                petition_path(&id)
            ));
            author.reload().await?;
        }
        author.wait_text(ANSWER, &answer).await?;

        // A signer's: the number reached and the answer (not the author's publication).
        signer.click("a.bell").await?;
        signer.wait_path("/notifications").await?;
        notification(&signer, NOTE_REACHED, &title).await?;
        notification(&signer, NOTE_ANSWERED, &title).await?;
        ensure!(
            find_notification(&signer, NOTE_PUBLISHED, &title)
                .await?
                .is_none(),
            "a signer got the author's notification of publication"
        );
        let kinds = notification_kinds(&crowd, &id).await?;
        ensure!(
            kinds.iter().any(|k| k == "petition_reached")
                && kinds.iter().any(|k| k == "petition_answered"),
            "another signer ({last_crowd_email}) has the notifications {kinds:?} about the \
             petition, expected petition_reached and petition_answered"
        );
        let kinds = notification_kinds(&last, &id).await?;
        ensure!(
            kinds.iter().any(|k| k == "petition_reached")
                && kinds.iter().any(|k| k == "petition_answered"),
            "the last signer has the notifications {kinds:?} about the petition"
        );

        // In the public list it is under "answered", with its decision.
        author.go_in_app(&tab_path("answered")).await?;
        let card = find_card(&author, "main", &title).await?;
        let card_text = card.text().await?;
        ensure!(
            has_badge(&card, "pstatus-answered").await?
                && card_text.contains("Підтримано частково"),
            "the answered tab shows the petition as “{card_text}”"
        );
        ensure_no_bugs(&bugs)
    })
    .await;
}

/// Notes a bug unless the page of a petition that has just reached its number with this
/// person's signature tells them that they signed it.
async fn ensure_signed_shown(b: &Browser, who: &str, bugs: &mut Vec<String>) -> Result {
    // The status has changed: the page has been drawn anew; give it a moment to settle.
    tokio::time::sleep(Duration::from_millis(300)).await;
    if b.count(SIGNED).await? == 0 {
        let box_text = b.text(SIGN_BOX).await.unwrap_or_default();
        bugs.push(format!(
            "APP (src/pages/petitions/mod.rs, SignBox): {who} signed the petition that reached \
             its number, but its page no longer says so: `{SIGNED}` is missing once it is \
             “under consideration” (`can_sign` answers NotCollecting before Signed, and the \
             “signed_now” notice is lost when the page is drawn anew); the sign box shows \
             “{}”",
            box_text.trim()
        ));
    }
    Ok(())
}

/// Whether the element matching `css` is drawn as a box with nothing visible in it.
async fn empty_card(b: &Browser, css: &str) -> Result<bool> {
    let v = b
        .client
        .execute(
            r#"
const box = document.querySelector(arguments[0]);
if (!box || box.offsetHeight === 0) return false;
const visible = [...box.querySelectorAll('p, a, button, span, strong')].filter(e =>
  e.offsetHeight > 0 && e.textContent.trim() && !e.closest('.visually-hidden'));
return visible.length === 0;
"#,
            vec![json!(css)],
        )
        .await?;
    Ok(v.as_bool() == Some(true))
}

/// What a card of a staff queue says about how long the petition has waited.
async fn waited_text(b: &Browser, card: &Element) -> Result<String> {
    let v = b
        .client
        .execute(
            "return arguments[0].closest('.waiting')?.querySelector('.waited')?.textContent || '';",
            vec![serde_json::to_value(card)?],
        )
        .await?;
    Ok(v.as_str().unwrap_or_default().trim().to_owned())
}

async fn has_badge(card: &Element, class: &str) -> Result<bool> {
    Ok(!card
        .find_all(Locator::Css(&format!(".badge.{class}")))
        .await?
        .is_empty())
}

/// A guest on a collecting petition is offered to sign in, not a dead button; after
/// signing in they are back on the petition and sign it. A double tap (two requests at
/// once) gives one signature and a 409 problem+json; a sign button left on an old page
/// says "already signed" and shows the signed state. An unverified resident of a
/// hromada that wants verified signers sees how to get verified. The demo petition one
/// signature short moves to "under consideration" when the verified demo resident signs.
#[tokio::test]
async fn signing_is_once_and_guests_are_led_to_sign_in() {
    scenario("petition-signing", async |h| {
        let mut bugs: Vec<String> = vec![];
        let mark = unique();
        let staff = h.browser("staff").await?;
        sign_in(&staff, STAFF_EMAIL, DEMO_PASSWORD).await?;

        // Three petitions, published. (The hromada takes petitions from verified residents
        // only: the demo staff member, a verified resident of Херсонська, writes them.)
        let titles = [
            format!("Встановити лавки в сквері Слави ({mark})"),
            format!("Освітлити пішохідний перехід на Миколаївському шосе ({mark})"),
            format!("Відновити сміттєві баки у дворі на Садовій ({mark})"),
        ];
        let mut ids = vec![];
        for t in &titles {
            let id = submit_api(&staff, t, &petition_text(&mark)).await?;
            publish_api(&staff, &id).await?;
            ids.push(id);
        }
        let (guest_id, tap_id, click_id) = (&ids[0], &ids[1], &ids[2]);

        // A guest is led to sign in, and back.
        let guest = h.browser("guest").await?;
        open_petition(&guest, guest_id, &titles[0]).await?;
        wait_status(&guest, "collecting").await?;
        let before = shown_count(&guest).await?;
        let link = guest.wait_visible(SIGN_IN_LINK).await?;
        ensure!(
            guest.count(SIGN_BUTTON).await? == 0,
            "a guest is shown the sign button"
        );
        let href = link.attr("href").await?.unwrap_or_default();
        let expected_href = format!("/signin?next=%2Fpetitions%2F{guest_id}");
        ensure!(
            href == expected_href,
            "the guest's sign-in link is “{href}”, expected “{expected_href}”"
        );
        guest.screenshot("petition-sign-1-guest-desktop").await?;
        guest.click_element(&link).await?;
        guest.wait_path("/signin").await?;
        guest.replace("#f-email", VERIFIED_EMAIL).await?;
        guest.replace("#f-password", DEMO_PASSWORD).await?;
        guest.click("form.form button[type=submit]").await?;
        guest.wait(".who .who-name").await?;
        guest
            .wait_path(&petition_path(guest_id))
            .await
            .map_err(|e| {
                Failure(format!(
                    "after signing in the guest is not back on the petition: {e}"
                ))
            })?;
        guest.wait_exact_text("main h1", &titles[0]).await?;
        guest.click(SIGN_BUTTON).await?;
        guest.wait_visible(SIGNED).await?;
        wait_count(&guest, before + 1).await?;
        let names = ensure_count_matches_list(&guest, before + 1).await?;
        ensure!(
            names.iter().filter(|n| *n == VERIFIED_NAME).count() == 1,
            "the new signer is not listed once: {names:?}"
        );
        guest.screenshot("petition-sign-2-signed-desktop").await?;

        // A double tap: two requests at once make one signature; the other is a 409.
        let verified = guest;
        open_petition(&verified, tap_id, &titles[1]).await?;
        verified.wait_visible(SIGN_BUTTON).await?;
        let before = petition_json(&verified, tap_id).await?["signatures"]
            .as_u64()
            .unwrap_or(0);
        let both = verified
            .client
            .execute(
                TWICE_JS,
                vec![json!(format!("/api/v1/petitions/{tap_id}/signatures"))],
            )
            .await?;
        let mut replies = vec![];
        for v in both.as_array().cloned().unwrap_or_default() {
            replies.push(reply_of(&v)?);
        }
        replies.sort_by_key(|r| r.status);
        ensure!(
            replies.len() == 2 && replies[0].status == 201 && replies[1].status == 409,
            "two signatures at once answered {:?}, expected one 201 and one 409",
            replies
                .iter()
                .map(|r| (r.status, r.short()))
                .collect::<Vec<_>>()
        );
        ensure_problem_json(&replies[1], "the second of two signatures at once")?;
        let p = petition_json(&verified, tap_id).await?;
        ensure!(
            p["signatures"].as_u64() == Some(before + 1) && p["signed"] == json!(true),
            "after a double tap the petition has {} signatures (was {before}), signed: {}",
            p["signatures"],
            p["signed"]
        );
        let api_names = signers_api(&verified, tap_id).await?;
        ensure!(
            api_names.iter().filter(|n| *n == VERIFIED_NAME).count() == 1
                && api_names.len() as u64 == before + 1,
            "after a double tap the signers are {api_names:?}"
        );
        // The page opened before still offers the button: it says "already signed" and
        // shows the signed state. (Every alert the page ever shows is recorded, to tell a
        // message that never came from one that came and went.)
        verified.js(WATCH_ALERTS_JS).await?;
        verified.click(SIGN_BUTTON).await?;
        verified.wait_visible(SIGNED).await?;
        tokio::time::sleep(Duration::from_millis(500)).await;
        let shown_now = match verified
            .client
            .find_all(Locator::Css(&format!("{SIGN_BOX} .alert-error")))
            .await?
            .first()
        {
            Some(el) => el.text().await?.trim().to_owned(),
            None => String::new(),
        };
        let ever = verified.js("return window.__e2eAlerts || [];").await?;
        if !shown_now.contains("вже підписали") {
            bugs.push(format!(
                "APP (src/pages/petitions/mod.rs, SignBox): a second signature from a page \
                 opened before (the server answered 409) does not say “Ви вже підписали цю \
                 петицію.” beside the signed state: `{SIGN_BOX} .alert-error` reads “{shown_now}”; \
                 alerts the page showed meanwhile: {ever}. On 409 SignBox calls \
                 `form.fail_with(…)` and then `changed.run(())`, which refetches the petition: \
                 PetitionView is drawn anew with a new SignBox and FormState, so the message \
                 goes with the old one"
            ));
        }
        wait_count(&verified, (before + 1) as u32).await?;
        verified
            .screenshot("petition-sign-3-already-signed-desktop")
            .await?;
        verified.reload().await?;
        verified.wait_exact_text("main h1", &titles[1]).await?;
        verified.wait_visible(SIGNED).await?;
        ensure!(
            verified.count(SIGN_BUTTON).await? == 0,
            "the sign button is offered again after signing"
        );
        ensure_count_matches_list(&verified, (before + 1) as u32).await?;

        // Two taps on the button itself (in the same moment) make one signature.
        open_petition(&verified, click_id, &titles[2]).await?;
        let before = shown_count(&verified).await?;
        let button = verified.wait_visible(SIGN_BUTTON).await?;
        verified
            .client
            .execute(
                "const b = arguments[0]; b.click(); b.click();",
                vec![serde_json::to_value(&button)?],
            )
            .await?;
        verified.wait_visible(SIGNED).await?;
        wait_count(&verified, before + 1).await?;
        let p = petition_json(&verified, click_id).await?;
        ensure!(
            p["signatures"] == json!(before + 1),
            "a double tap on the button made {} signatures from {before}",
            p["signatures"]
        );
        ensure_count_matches_list(&verified, before + 1).await?;

        // An unverified resident, while the hromada wants verified signers: told how.
        let resident = h.browser("resident").await?;
        sign_in(&resident, RESIDENT_EMAIL, DEMO_PASSWORD).await?;
        open_petition(&resident, guest_id, &titles[0]).await?;
        let verify = resident.wait_visible(VERIFY_LINK).await?;
        ensure!(
            resident.count(SIGN_BUTTON).await? == 0,
            "an unverified resident is shown the sign button on a verified-only hromada"
        );
        resident
            .wait_text(SIGN_BOX, "підтвердженим проживанням")
            .await?;
        resident
            .screenshot("petition-sign-4-unverified-desktop")
            .await?;
        let r = sign_api(&resident, guest_id).await?;
        ensure_refused(&r, &[403], "an unverified resident's signature")?;
        resident.click_element(&verify).await?;
        resident.wait_path("/account").await?;

        // The demo's promise: the petition one signature short moves on when signed.
        let short = tab_api(&verified, "collecting", "most_signed")
            .await?
            .into_iter()
            .filter(|p| p["signatures"].as_u64().map(|n| n + 1) == p["needed"].as_u64())
            .collect::<Vec<_>>();
        let mut demo = None;
        for p in &short {
            let id = p["id"].as_str().unwrap_or_default();
            if petition_json(&verified, id).await?["signed"] != json!(true) {
                demo = Some((
                    id.to_owned(),
                    p["title"].as_str().unwrap_or_default().to_owned(),
                    p["needed"].as_u64().unwrap_or(0) as u32,
                ));
                break;
            }
        }
        let (demo_id, demo_title, needed) = demo.ok_or_else(|| {
            Failure(format!(
                "the demo has no collecting petition one signature short that {VERIFIED_EMAIL} \
                 has not signed: {short:?}"
            ))
        })?;
        verified.goto(&list_path()).await?;
        let card = find_card(&verified, "main", &demo_title).await?;
        let open = card.find(Locator::Css("h3 a")).await?;
        verified.click_element(&open).await?;
        verified.wait_path(&petition_path(&demo_id)).await?;
        verified.wait_exact_text("main h1", &demo_title).await?;
        wait_count(&verified, needed - 1).await?;
        verified
            .screenshot("petition-sign-5-one-short-desktop")
            .await?;
        verified.click(SIGN_BUTTON).await?;
        wait_status(&verified, "consideration").await?;
        ensure_signed_shown(&verified, "the signer of the demo petition", &mut bugs).await?;
        wait_count(&verified, needed).await?;
        verified
            .screenshot("petition-sign-6-consideration-desktop")
            .await?;
        let names = ensure_count_matches_list(&verified, needed).await?;
        ensure!(
            names.last().map(String::as_str) == Some(VERIFIED_NAME),
            "the newest signer is not listed last: …{:?}",
            names.iter().rev().take(3).collect::<Vec<_>>()
        );
        ensure_no_bugs(&bugs)
    })
    .await;
}

/// Bad input is refused clearly: an empty or a 201-character title is shown beside the
/// title, with what was typed kept; the API answers 422 problem+json naming `title`.
/// Signing a petition in moderation or a closed one is a 409 problem+json and the app
/// offers no way to sign there. Staff of another hromada can neither moderate nor answer
/// Херсонська's petitions, nor change its rules. Staff's own mistakes (a rejection without
/// a reason, a number below the minimum) are shown beside their fields.
#[tokio::test]
async fn bad_input_is_refused_clearly() {
    scenario("petition-bad-input", async |h| {
        let mut bugs: Vec<String> = vec![];
        let mark = unique();
        let text = petition_text(&mark);
        let author = h.browser("author").await?;
        sign_in(&author, VERIFIED_EMAIL, DEMO_PASSWORD).await?;
        let mine_before = api_get(&author, "/api/v1/me/petitions?limit=100").await?["items"]
            .as_array()
            .map_or(0, Vec::len);

        // The form: an empty title.
        author.goto(&new_path()).await?;
        author.type_into("#f-text", &text).await?;
        author.click("main form.form button[type=submit]").await?;
        let empty = field_error(&author, "title", None).await?;
        ensure!(
            author.text("#f-text-error").await?.trim().is_empty(),
            "the text shows an error although only the title is missing"
        );
        ensure!(
            author.value("#f-text").await? == text && author.count(SENT).await? == 0,
            "the text typed was lost, or the petition sent, without a title"
        );
        author.screenshot("petition-bad-1-no-title-desktop").await?;

        // A title of 201 characters: the hint counts them, the error is another one.
        let long: String = format!("Зробити вулицю Соборну пішохідною у вихідні {mark} ")
            .chars()
            .cycle()
            .take(TITLE_MAX + 1)
            .collect();
        ensure!(
            long.chars().count() == TITLE_MAX + 1,
            "the long title is 201 characters"
        );
        author.set_value("#f-title", &long).await?;
        author
            .wait_text("#f-title-hint", &format!("{} з {TITLE_MAX}", TITLE_MAX + 1))
            .await?;
        author.click("main form.form button[type=submit]").await?;
        let too_long = field_error(&author, "title", Some(&empty)).await?;
        eprintln!("title errors: “{empty}”, “{too_long}”");
        ensure!(
            author.value("#f-title").await? == long && author.value("#f-text").await? == text,
            "what was typed was not kept after the 201-character title was refused"
        );
        ensure!(
            author.count(SENT).await? == 0,
            "the petition was sent with 201 characters"
        );
        author
            .screenshot("petition-bad-2-long-title-desktop")
            .await?;

        // The same through the API: 422 problem+json naming the title; nothing is made.
        let path = format!("/api/v1/hromadas/{KHERSON}/petitions");
        for (what, title) in [
            ("an empty title", String::new()),
            ("a title of spaces", "    ".to_owned()),
            ("a 201-character title", long.clone()),
        ] {
            let r = api(
                &author,
                "POST",
                &path,
                Some(json!({"title": title, "text": text})),
            )
            .await?;
            ensure_problem(&r, 422, &["title"], &format!("a petition with {what}"))?;
        }
        let mine_after = api_get(&author, "/api/v1/me/petitions?limit=100").await?["items"]
            .as_array()
            .map_or(0, Vec::len);
        ensure!(
            mine_after == mine_before,
            "refused petitions were kept: the author has {mine_after}, had {mine_before}"
        );

        // Signing one in moderation: its author cannot, nor can anyone else.
        let title = format!("Відкрити укриття в школі № 12 цілодобово ({mark})");
        let moderated = submit_api(&author, &title, &text).await?;
        let r = sign_api(&author, &moderated).await?;
        ensure_refused(&r, &[409], "signing a petition in moderation (its author)")?;
        open_petition(&author, &moderated, &title).await?;
        wait_status(&author, "moderation").await?;
        ensure_no_signing(&author, "a petition in moderation").await?;
        if empty_card(&author, SIGN_BOX).await? {
            bugs.push(format!(
                "APP (src/pages/petitions/mod.rs, SignBox): the author's petition in moderation \
                 shows an empty card (`{SIGN_BOX}` with nothing visible in it)"
            ));
        }
        let other = h.browser("other-resident").await?;
        new_resident(
            &other,
            &format!("other.{mark}@example.com"),
            "Павло Зінченко",
        )
        .await?;
        let r = sign_api(&other, &moderated).await?;
        ensure_refused(&r, &[404, 409], "signing another's petition in moderation")?;
        let r = api(
            &other,
            "GET",
            &format!("/api/v1/petitions/{moderated}"),
            None,
        )
        .await?;
        ensure!(
            r.status == 404,
            "another resident got {} for a petition in moderation, expected 404",
            r.status
        );

        // Signing closed ones: answered, rejected, not supported.
        for status in ["answered", "rejected", "not_supported"] {
            let (id, t) = demo_petition(&author, status).await?;
            let r = sign_api(&author, &id).await?;
            ensure_refused(&r, &[409], &format!("signing a petition “{status}”"))?;
            open_petition(&author, &id, &t).await?;
            wait_status(&author, status).await?;
            ensure_no_signing(&author, &format!("a petition “{status}”")).await?;
            if empty_card(&author, SIGN_BOX).await? {
                bugs.push(format!(
                    "APP (src/pages/petitions/mod.rs, SignBox): a petition “{status}” shows an \
                     empty card (`{SIGN_BOX}` is drawn, with nothing visible in it, when \
                     `can_sign` answers NotCollecting)"
                ));
            }
            if status == "rejected" {
                author
                    .wait_visible("main section[aria-labelledby=rej-h]")
                    .await?;
            }
        }

        // Staff of another hromada.
        let staff = h.browser("staff").await?;
        sign_in(&staff, STAFF_EMAIL, DEMO_PASSWORD).await?;
        let (considered, considered_title) = demo_petition(&staff, "consideration").await?;
        let far = h.browser("other-staff").await?;
        let far_name = staff_of_another_hromada(&far, &mark).await?;
        for (what, method, p, body) in [
            (
                "publishing a petition of another hromada",
                "POST",
                format!("/api/v1/petitions/{moderated}/moderation"),
                json!({"decision": "publish"}),
            ),
            (
                "rejecting a petition of another hromada",
                "POST",
                format!("/api/v1/petitions/{moderated}/moderation"),
                json!({"decision": "reject", "reason": "Не наша громада"}),
            ),
            (
                "answering a petition of another hromada",
                "POST",
                format!("/api/v1/petitions/{considered}/answer"),
                json!({"decision": "supported", "text": "Підтримано."}),
            ),
            (
                "changing another hromada's rule",
                "PUT",
                format!("/api/v1/hromadas/{KHERSON}/petition-settings"),
                json!({"signatures": 10, "days": 7, "verified_only": false}),
            ),
        ] {
            let r = api(&far, method, &p, Some(body)).await?;
            ensure_refused(&r, &[403, 404], &format!("staff of another hromada {what}"))?;
        }
        let p = petition_json(&staff, &moderated).await?;
        ensure!(
            p["status"] == json!("moderation"),
            "the petition is {} after staff of another hromada tried to moderate it",
            p["status"]
        );
        let p = petition_json(&staff, &considered).await?;
        ensure!(
            p["status"] == json!("consideration") && p["answer"].is_null(),
            "the petition is {} after staff of another hromada tried to answer it",
            p["status"]
        );
        let settings =
            api_get(&staff, &format!("/api/v1/hromadas/{KHERSON}")).await?["settings"].clone();
        ensure!(
            settings["petition_signatures"] == json!(250)
                && settings["petition_verified_only"] == json!(true),
            "staff of another hromada changed the rule: {settings}"
        );
        far.goto(&petition_path(&considered)).await?;
        far.wait_exact_text(".who .who-name", &far_name).await?;
        far.wait_exact_text("main h1", &considered_title).await?;
        wait_status(&far, "consideration").await?;
        ensure!(
            far.count(STAFF_PANEL).await? == 0,
            "staff of another hromada are offered to answer a petition of Херсонська"
        );
        far.goto(&petition_path(&moderated)).await?;
        far.wait("main .state-error").await?;
        ensure!(
            !far.text("main").await?.contains(&title),
            "staff of another hromada see a petition in moderation"
        );

        // The hromada's own staff: a rejection needs a reason, the number its minimum.
        open_petition(&staff, &moderated, &title).await?;
        staff.wait_visible(STAFF_PANEL).await?;
        let r = api(
            &staff,
            "POST",
            &format!("/api/v1/petitions/{moderated}/moderation"),
            Some(json!({"decision": "reject", "reason": "  "})),
        )
        .await?;
        ensure_problem(&r, 422, &["reason"], "a rejection without a reason")?;
        staff
            .click(&format!("{STAFF_PANEL} details.step-form > summary"))
            .await?;
        staff
            .click(&format!(
                "{STAFF_PANEL} details.step-form button[type=submit]"
            ))
            .await?;
        error_text(&staff, "reject-reason", None).await?;
        let reason = format!("Питання укриттів вирішує військова адміністрація. ({mark})");
        staff.type_into("#f-reject-reason", &reason).await?;
        staff
            .click(&format!(
                "{STAFF_PANEL} details.step-form button[type=submit]"
            ))
            .await?;
        wait_status(&staff, "rejected").await?;
        staff
            .wait_text("main section[aria-labelledby=rej-h]", &reason)
            .await?;
        let r = sign_api(&other, &moderated).await?;
        ensure_refused(&r, &[409], "signing a rejected petition")?;

        staff.goto(&staff_path()).await?;
        staff
            .poll("the settings form to show the hromada's rule", async || {
                Ok((staff.value("#f-signatures").await? == "250").then_some(()))
            })
            .await?;
        staff
            .replace("#f-signatures", &(SIGNATURES_MIN - 1).to_string())
            .await?;
        staff
            .click(&format!("{SETTINGS} button[type=submit]"))
            .await?;
        field_error(&staff, "signatures", None).await?;
        staff.screenshot("petition-bad-3-rules-desktop").await?;
        let r = api(
            &staff,
            "PUT",
            &format!("/api/v1/hromadas/{KHERSON}/petition-settings"),
            Some(json!({"signatures": SIGNATURES_MIN - 1, "days": 400, "verified_only": true})),
        )
        .await?;
        ensure_problem(
            &r,
            422,
            &["signatures", "days"],
            "a number and a period out of range",
        )?;
        ensure_no_bugs(&bugs)
    })
    .await;
}

/// The list's tabs show one status each, with the current one marked; "most signed"
/// orders by the count, highest first; a word of a demo title finds it, and a word of
/// nothing finds nothing. The tab, order and search are in the address.
#[tokio::test]
async fn the_list_has_tabs_order_and_search() {
    scenario("petition-list", async |h| {
        let b = h.browser("resident").await?;
        sign_in(&b, RESIDENT_EMAIL, DEMO_PASSWORD).await?;
        // From the hromada's page.
        b.goto(&format!("/h/{KHERSON}")).await?;
        b.click(&format!("main a[href='{}']", list_path())).await?;
        b.wait_path(&list_path()).await?;
        // It opens on "collecting".
        wait_only_status(&b, "collecting").await?;
        b.wait_attr(
            "main nav.tabs a.chip[aria-current=page]",
            "href",
            &tab_path("collecting"),
        )
        .await
        .map_err(|e| Failure(format!("the “collecting” tab is not marked current: {e}")))?;
        b.screenshot("petition-list-1-collecting-desktop").await?;
        for status in TABS {
            b.click(&format!(
                "main nav.tabs a.chip[href='{}']",
                tab_path(status)
            ))
            .await?;
            b.poll(
                &format!("the address to hold status={status}"),
                async || {
                    Ok(b.path_and_query()
                        .await?
                        .contains(&format!("status={status}"))
                        .then_some(()))
                },
            )
            .await?;
            let shown = wait_only_status(&b, status).await?;
            let current = b.count("main nav.tabs a.chip[aria-current=page]").await?;
            ensure!(
                current == 1,
                "{current} tabs are marked current on the “{status}” tab"
            );
            b.wait_attr(
                "main nav.tabs a.chip[aria-current=page]",
                "href",
                &tab_path(status),
            )
            .await?;
            let api_titles: Vec<String> = tab_api(&b, status, "newest")
                .await?
                .iter()
                .map(|p| p["title"].as_str().unwrap_or_default().to_owned())
                .collect();
            let titles: Vec<String> = shown.iter().map(|c| c.0.clone()).collect();
            ensure!(
                titles == api_titles[..titles.len().min(api_titles.len())],
                "the “{status}” tab shows {titles:?}, the server's list is {api_titles:?}"
            );
        }
        b.screenshot("petition-list-2-rejected-desktop").await?;

        // Most signed first.
        b.click(&format!(
            "main nav.tabs a.chip[href='{}']",
            tab_path("collecting")
        ))
        .await?;
        wait_only_status(&b, "collecting").await?;
        select(&b, "#f-sort", "most_signed").await?;
        b.poll("the address to hold sort=most_signed", async || {
            Ok(b.path_and_query()
                .await?
                .contains("sort=most_signed")
                .then_some(()))
        })
        .await?;
        let counts = b
            .poll("the collecting petitions, most signed first", async || {
                let shown = cards(&b).await?;
                let counts: Vec<u32> = shown.iter().filter_map(|c| c.2).collect();
                Ok((shown.len() > 1
                    && counts.len() == shown.len()
                    && counts.windows(2).all(|w| w[0] >= w[1]))
                .then_some(counts))
            })
            .await?;
        eprintln!("most signed: {counts:?}");
        let server: Vec<u64> = tab_api(&b, "collecting", "most_signed")
            .await?
            .iter()
            .filter_map(|p| p["signatures"].as_u64())
            .collect();
        ensure!(
            counts.iter().map(|&c| u64::from(c)).collect::<Vec<_>>()
                == server[..counts.len().min(server.len())],
            "the list shows the counts {counts:?}, the server's order is {server:?}"
        );
        ensure!(
            b.value("#f-sort").await? == "most_signed",
            "the order select does not show “most signed” after choosing it"
        );
        b.screenshot("petition-list-3-most-signed-desktop").await?;

        // Search: a word of a demo title.
        let all = tab_api(&b, "collecting", "newest").await?;
        let target = all
            .iter()
            .filter_map(|p| p["title"].as_str())
            .next_back()
            .ok_or_else(|| Failure("the demo has no collecting petitions".into()))?
            .to_owned();
        let word = target
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| w.chars().count() >= 6)
            .max_by_key(|w| w.chars().count())
            .unwrap_or(&target)
            .to_owned();
        b.replace("#f-q", &word).await?;
        b.click("main form[role=search] button[type=submit]")
            .await?;
        b.poll("the address to hold the search", async || {
            Ok(b.path_and_query().await?.contains("q=").then_some(()))
        })
        .await?;
        let found = b
            .poll(
                &format!("the search for “{word}” to find “{target}”"),
                async || {
                    let shown = cards(&b).await?;
                    Ok(shown.iter().any(|c| c.0 == target).then_some(shown))
                },
            )
            .await?;
        ensure!(
            found.len() < all.len() || all.len() == 1,
            "the search for “{word}” shows every collecting petition ({})",
            found.len()
        );
        ensure!(
            b.value("#f-q").await? == word,
            "the search field does not keep “{word}”"
        );
        b.screenshot("petition-list-4-search-desktop").await?;
        // The address can be shared: opened afresh it shows the same.
        let address = b.path_and_query().await?;
        b.goto(&address).await?;
        b.poll("the shared search to show the petition", async || {
            Ok(cards(&b).await?.iter().any(|c| c.0 == target).then_some(()))
        })
        .await?;
        ensure!(
            b.value("#f-q").await? == word,
            "a shared search loses its word"
        );
        b.replace("#f-q", "щосьтакенеіснуюче").await?;
        b.click("main form[role=search] button[type=submit]")
            .await?;
        b.wait_visible("main .state-empty").await?;
        ensure!(
            b.count(CARDS).await? == 0,
            "a search for nothing shows petitions"
        );
        Ok(())
    })
    .await;
}

/// On a 360×640 phone, in both languages, no page of petitions is wider than the screen:
/// the list with its tabs, a collecting petition with its progress and signers, an
/// answered one, the form with its preview and errors, "my petitions", and for staff their
/// page and a petition with the staff's panel.
#[tokio::test]
async fn petition_pages_fit_a_phone() {
    scenario("petition-phone-width", async |h| {
        let resident = h.browser("resident").await?;
        sign_in(&resident, VERIFIED_EMAIL, DEMO_PASSWORD).await?;
        let staff = h.browser("staff").await?;
        sign_in(&staff, STAFF_EMAIL, DEMO_PASSWORD).await?;
        let (collecting, _) = demo_petition(&resident, "collecting").await?;
        let (answered, _) = demo_petition(&resident, "answered").await?;
        let (considered, _) = demo_petition(&staff, "consideration").await?;
        resident.phone().await?;
        staff.phone().await?;
        let mut too_wide = vec![];
        for lang in ["uk", "en"] {
            set_language(&resident, lang).await?;
            set_language(&staff, lang).await?;
            let pages: [(&Browser, String, &str); 8] = [
                (&resident, list_path(), "main nav.tabs a.chip"),
                (
                    &resident,
                    petition_path(&collecting),
                    "main ul.signers li, main section[aria-labelledby=signers-h] .state-empty",
                ),
                (&resident, new_path(), "#f-title"),
                (&resident, petition_path(&answered), ANSWER),
                (
                    &resident,
                    "/petitions".into(),
                    "main li.petition-card, main .state-empty",
                ),
                (&staff, staff_path(), "#f-signatures"),
                (&staff, petition_path(&considered), STAFF_PANEL),
                (&staff, tab_path("rejected"), CARDS),
            ];
            for (b, path, ready) in &pages {
                b.go_in_app(path).await?;
                b.wait_visible(ready).await?;
                let wide = b.too_wide().await?;
                if !wide.is_empty() {
                    too_wide.push(format!("{path} ({lang}): {}", wide.join("; ")));
                }
                if *path == new_path() {
                    // With a preview and the errors shown.
                    b.click("main form.form button[type=submit]").await?;
                    error_text(b, "title", None).await?;
                    b.type_into(
                        "#f-title",
                        "Облаштувати безпечний пішохідний перехід біля ліцею",
                    )
                    .await?;
                    b.type_into("#f-text", &petition_text("phone")).await?;
                    b.wait(&format!("{PREVIEW} p.appeal-text")).await?;
                    let wide = b.too_wide().await?;
                    if !wide.is_empty() {
                        too_wide.push(format!(
                            "{path} with errors and preview ({lang}): {}",
                            wide.join("; ")
                        ));
                    }
                    b.set_value("#f-title", "").await?;
                    b.set_value("#f-text", "").await?;
                }
            }
        }
        ensure!(
            too_wide.is_empty(),
            "petition pages wider than a 360 px phone screen:\n  {}",
            too_wide.join("\n  ")
        );
        Ok(())
    })
    .await;
}

/// Screenshots of the petition pages at 360×640 and 1280×800 in both languages, for a
/// person to look at; runs only with `HROMADA_SCREENSHOTS=1`.
#[tokio::test]
async fn screenshots_of_the_petition_pages() {
    if !hromada_e2e::screenshots_wanted() {
        eprintln!("skipped: set HROMADA_SCREENSHOTS=1 to take the screenshots");
        return;
    }
    scenario("petition-screenshots", async |h| {
        let resident = h.browser("tour-resident").await?;
        sign_in(&resident, VERIFIED_EMAIL, DEMO_PASSWORD).await?;
        let staff = h.browser("tour-staff").await?;
        sign_in(&staff, STAFF_EMAIL, DEMO_PASSWORD).await?;
        let collecting = tab_api(&resident, "collecting", "most_signed")
            .await?
            .first()
            .and_then(|p| p["id"].as_str().map(str::to_owned))
            .ok_or_else(|| Failure("the demo has no collecting petitions".into()))?;
        let (answered, _) = demo_petition(&resident, "answered").await?;
        let (considered, _) = demo_petition(&staff, "consideration").await?;
        for lang in ["uk", "en"] {
            set_language(&resident, lang).await?;
            set_language(&staff, lang).await?;
            for (size, dims) in [("desktop", DESKTOP), ("phone", PHONE)] {
                resident.set_viewport(dims).await?;
                staff.set_viewport(dims).await?;
                let shot = |page: &str| format!("tour-{lang}-{size}-{page}");
                resident.go_in_app(&list_path()).await?;
                resident.wait_visible(CARDS).await?;
                resident.screenshot(&shot("petitions")).await?;
                resident.go_in_app(&petition_path(&collecting)).await?;
                resident.wait_visible(SIGNERS).await?;
                resident.screenshot(&shot("petition-collecting")).await?;
                // (Another page between two petitions: `go_in_app` waits for a new heading.)
                resident.go_in_app(&new_path()).await?;
                resident.wait_visible("#f-title").await?;
                resident.go_in_app(&petition_path(&answered)).await?;
                resident.wait_visible(ANSWER).await?;
                resident.screenshot(&shot("petition-answered")).await?;
                resident.go_in_app(&new_path()).await?;
                resident.wait_visible("#f-title").await?;
                resident
                    .set_value("#f-title", "Облаштувати пандус біля поліклініки № 3")
                    .await?;
                resident
                    .set_value("#f-text", &petition_text("demo"))
                    .await?;
                resident.wait(&format!("{PREVIEW} p.appeal-text")).await?;
                resident.screenshot(&shot("petition-new")).await?;
                resident.set_value("#f-title", "").await?;
                resident.set_value("#f-text", "").await?;
                staff.go_in_app(&staff_path()).await?;
                staff.wait_visible("#f-signatures").await?;
                staff.screenshot(&shot("staff-petitions")).await?;
                staff.go_in_app(&petition_path(&considered)).await?;
                staff.wait_visible(STAFF_PANEL).await?;
                staff.screenshot(&shot("staff-petition-answer")).await?;
            }
        }
        Ok(())
    })
    .await;
}
