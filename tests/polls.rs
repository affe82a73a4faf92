//! End-to-end tests of polls and surveys (issue 7): staff write a poll in the editor, see
//! it as residents will (the preview) and publish it; residents answer once through the
//! form and the results show as bar charts with tables whose counts and shares are those
//! of the answers given; a second answer is refused; bad answers (a closed poll, an option
//! that does not exist, too many choices, a required question left empty) are refused by
//! the server as problems and shown beside the question in the app; who may answer
//! (verified residents only, guests) and when results show (after answering, after
//! closing) follow the poll's settings; the pages fit a phone in both languages.
//!
//! Every poll a scenario asserts figures of it makes itself through the API, with times
//! relative to now, and closes it by moving its closing time, as staff may. The demo's
//! closed poll with many answers is visited in the tour of the pages only.
//!
//! Like `budget.rs`, each scenario has a server, a database, a chromedriver and browsers
//! of its own. Build first (`make test` does it all), then:
//! `cargo test -p hromada-e2e --test polls -- --test-threads=1`.

use hromada_e2e::{
    Browser, DEMO_PASSWORD, DESKTOP, Failure, GOOD_PASSWORD, Harness, KHERSON, OTHER_HROMADA,
    PHONE, RESIDENT_EMAIL, Reply, Result, STAFF_EMAIL, VERIFIED_EMAIL, api, api_get, api_sign_in,
    api_with_headers, ensure, ensure_field_code, ensure_refused, fetch_bytes, field_error,
    new_resident, register_api, scenario, select, set_language, sign_in, unique,
    verify_through_api,
};
use serde_json::{Value, json};

const FORM: &str = "main form.poll-form";
const SEND: &str = "main form.poll-form button[type=submit]";
const ANSWERED: &str = "main #answered";
const NOT_OPEN: &str = "main #not-open";
const VERIFY_HINT: &str = "main #verify-hint";
const RESULTS_LATER: &str = "main #results-later";
const RESULT_CARDS: &str = "main section.result-card";
const PREVIEW_BANNER: &str = "main #preview-banner";
const PUBLISH: &str = "main #publish";
const EDITOR: &str = "main form.poll-editor";
const EDITOR_SAVE: &str = "main form.poll-editor button[type=submit]";
const CARDS: &str = "main ul.cards li.card";

/// Residents who sign up to answer, by name.
const NAMES: [&str; 6] = [
    "Оксана Мельник",
    "Тарас Ковальчук",
    "Галина Шевчук",
    "Богдан Кравець",
    "Юлія Ткаченко",
    "Андрій Лисенко",
];

fn polls_path(state: &str) -> String {
    format!("/h/{KHERSON}/polls?state={state}")
}

fn staff_polls_path() -> String {
    format!("/h/{KHERSON}/staff/polls")
}

fn new_poll_path() -> String {
    format!("/h/{KHERSON}/staff/polls/new")
}

fn poll_path(id: &str) -> String {
    format!("/polls/{id}")
}

/// The JSON string of a value (`""` when it is not a string).
fn text_of(v: &Value) -> String {
    v.as_str().unwrap_or_default().to_owned()
}

/// A share and a count as the bars show them: `33,3 % · 1` (a no-break space before `%`),
/// with a decimal comma in Ukrainian and a point in English.
fn fig(share: &str, count: u32, lang: &str) -> String {
    let share = if lang == "uk" {
        share.replace('.', ",")
    } else {
        share.to_owned()
    };
    format!("{share}\u{a0}% · {count}")
}

// ---------------------------------------------------------------------------------------
// Polls through the API
// ---------------------------------------------------------------------------------------

fn single(title: &str, required: bool, options: &[&str]) -> Value {
    json!({"title": title, "required": required, "kind": "single", "options": options})
}

fn multiple(title: &str, required: bool, options: &[&str], max: u32) -> Value {
    json!({"title": title, "required": required, "kind": "multiple", "options": options, "max": max})
}

fn scale(title: &str, required: bool) -> Value {
    json!({"title": title, "required": required, "kind": "scale"})
}

fn text_question(title: &str, required: bool) -> Value {
    json!({"title": title, "required": required, "kind": "text"})
}

/// A poll for anyone signed in, its results shown at once; change the fields to taste.
fn draft(title: &str, questions: Vec<Value>) -> Value {
    json!({
        "kind": if questions.len() > 2 { "survey" } else { "poll" },
        "title": title,
        "intro": "Громада питає вашої думки: відповідь займе хвилину.",
        "questions": questions,
        "audience": "signed_in",
        "results_shown": "always",
    })
}

/// The time `secs` seconds from now, in RFC 3339 (UTC, whole seconds), by the browser's
/// clock (the server's: both run on this machine).
async fn iso_in(b: &Browser, secs: i64) -> Result<String> {
    let v = b
        .client
        .execute(
            "return new Date(Date.now() + arguments[0] * 1000).toISOString().slice(0, 19) + 'Z';",
            vec![json!(secs)],
        )
        .await?;
    Ok(text_of(&v))
}

/// Milliseconds since the epoch of an RFC 3339 time, read by the browser.
async fn ms_of(b: &Browser, iso: &str) -> Result<i64> {
    let v = b
        .client
        .execute("return Date.parse(arguments[0]);", vec![json!(iso)])
        .await?;
    v.as_i64()
        .ok_or_else(|| Failure(format!("not a time: {iso:?}")))
}

/// Staff create a draft through the API; it opened an hour ago and closes in two weeks
/// unless the draft says otherwise. Returns the poll.
async fn create_poll(staff: &Browser, mut d: Value) -> Result<Value> {
    if d.get("opens_at").is_none() {
        d["opens_at"] = json!(iso_in(staff, -3600).await?);
    }
    if d.get("closes_at").is_none() {
        d["closes_at"] = json!(iso_in(staff, 14 * 24 * 3600).await?);
    }
    let r = api_with_headers(
        staff,
        "POST",
        &format!("/api/v1/hromadas/{KHERSON}/polls"),
        Some(d.clone()),
        json!({"Idempotency-Key": format!("e2e-poll-{}", unique())}),
    )
    .await?;
    ensure!(
        r.status == 201,
        "creating the poll “{}” answered {}: {}",
        d["title"],
        r.status,
        r.short()
    );
    let p = r.json();
    ensure!(
        p["status"] == json!("draft") && p["questions"] == d["questions"],
        "the new poll is not a draft with the questions sent: {}",
        r.short()
    );
    Ok(p)
}

/// Staff publish a draft through the API; it must be open then.
async fn publish(staff: &Browser, id: &str) -> Result<Value> {
    let r = api(staff, "POST", &format!("/api/v1/polls/{id}/publish"), None).await?;
    ensure!(
        r.status == 200 && r.json()["status"] == json!("open"),
        "publishing the poll {id} answered {}: {}",
        r.status,
        r.short()
    );
    Ok(r.json())
}

/// Staff create and publish a poll through the API; its id.
async fn open_poll(staff: &Browser, d: Value) -> Result<String> {
    let p = create_poll(staff, d).await?;
    let id = text_of(&p["id"]);
    publish(staff, &id).await?;
    Ok(id)
}

/// Staff close a poll by moving its closing time to a second ago (everything else stays).
async fn close_poll(staff: &Browser, id: &str) -> Result {
    let p = api_get(staff, &format!("/api/v1/polls/{id}")).await?;
    let d = json!({
        "kind": p["kind"], "title": p["title"], "intro": p["intro"],
        "questions": p["questions"], "audience": p["audience"],
        "results_shown": p["results_shown"], "opens_at": p["opens_at"],
        "closes_at": iso_in(staff, -1).await?,
    });
    let r = api(staff, "PUT", &format!("/api/v1/polls/{id}"), Some(d)).await?;
    ensure!(
        r.status == 200 && r.json()["status"] == json!("closed"),
        "closing the poll {id} (closes_at a second ago) answered {}: {}",
        r.status,
        r.short()
    );
    Ok(())
}

/// Sends answers through the API as the person signed in to `b`.
async fn post_answers(b: &Browser, id: &str, answers: Value) -> Result<Reply> {
    api_with_headers(
        b,
        "POST",
        &format!("/api/v1/polls/{id}/responses"),
        Some(json!({ "answers": answers })),
        json!({"Idempotency-Key": format!("e2e-answer-{}", unique())}),
    )
    .await
}

/// Answers through the API; the answer must be taken.
async fn answer_api(b: &Browser, id: &str, answers: Value) -> Result {
    let r = post_answers(b, id, answers.clone()).await?;
    ensure!(
        r.status == 201,
        "answering {answers} answered {}: {}",
        r.status,
        r.short()
    );
    Ok(())
}

/// How many people answered, as the server has it.
async fn responses(staff: &Browser, id: &str) -> Result<u64> {
    let p = api_get(staff, &format!("/api/v1/polls/{id}")).await?;
    p["responses"]
        .as_u64()
        .ok_or_else(|| Failure(format!("the poll has no count of responses: {p}")))
}

// ---------------------------------------------------------------------------------------
// People
// ---------------------------------------------------------------------------------------

/// A new browser with a new resident of Херсонська громада signed up in it; their email.
async fn resident(h: &Harness, label: &str, name: &str, mark: &str) -> Result<(Browser, String)> {
    let b = h.browser(label).await?;
    let email = format!("{label}.{mark}@example.com");
    new_resident(&b, &email, name).await?;
    Ok((b, email))
}

/// A new browser signed in as a demo account through the sign-in page.
async fn demo(h: &Harness, label: &str, email: &str) -> Result<Browser> {
    let b = h.browser(label).await?;
    sign_in(&b, email, DEMO_PASSWORD).await?;
    Ok(b)
}

// ---------------------------------------------------------------------------------------
// The answer form
// ---------------------------------------------------------------------------------------

/// Opens a poll's page (loading the app again, so that it knows who is signed in) and
/// waits for its form.
async fn open_form(b: &Browser, id: &str) -> Result {
    b.goto(&poll_path(id)).await?;
    b.wait_visible(FORM).await?;
    Ok(())
}

/// Whether the input matching `css` is ticked.
async fn checked(b: &Browser, css: &str) -> Result<bool> {
    Ok(b.wait(css).await?.prop("checked").await?.as_deref() == Some("true"))
}

/// Ticks (or unticks) the option input `#q-{q}-{j}`, and waits until it shows so.
async fn tick(b: &Browser, q: usize, j: usize, on: bool) -> Result {
    let css = format!("main #q-{q}-{j}");
    if checked(b, &css).await? != on {
        b.click(&css).await?;
    }
    b.poll(&format!("{css} to be ticked={on}"), async || {
        Ok((checked(b, &css).await? == on).then_some(()))
    })
    .await
}

/// An answer as a person gives it in the form: the inputs to tick and the texts to write.
#[derive(Debug, Clone, Default)]
struct Given<'a> {
    /// `(question, option)`; for a scale the option is the value (1 to 5).
    ticks: Vec<(usize, usize)>,
    texts: Vec<(usize, &'a str)>,
}

/// Fills in the open form.
async fn fill(b: &Browser, g: &Given<'_>) -> Result {
    for (q, j) in &g.ticks {
        tick(b, *q, *j, true).await?;
    }
    for (q, text) in &g.texts {
        b.replace(&format!("main #q-{q}-text"), text).await?;
    }
    Ok(())
}

/// Opens the poll, answers it through the form and waits for the thanks.
async fn answer_ui(b: &Browser, id: &str, g: &Given<'_>) -> Result {
    open_form(b, id).await?;
    fill(b, g).await?;
    b.click(SEND).await?;
    b.wait_visible(ANSWERED).await?;
    ensure!(
        b.count(FORM).await? == 0,
        "after answering, the form is still on the page"
    );
    Ok(())
}

/// The error beside question `q` (`#q-{q}-error`), once it shows a text.
async fn question_error(b: &Browser, q: usize) -> Result<String> {
    let css = format!("main #q-{q}-error");
    b.poll(&format!("an error in `{css}`"), async || {
        let t = b.text(&css).await?;
        let t = t.trim().to_owned();
        Ok((!t.is_empty()).then_some(t))
    })
    .await
}

/// Fails unless question `q` has no error beside it and is not marked invalid.
async fn ensure_no_question_error(b: &Browser, q: usize, when: &str) -> Result {
    let t = b.text(&format!("main #q-{q}-error")).await?;
    ensure!(
        t.trim().is_empty(),
        "{when}: question {q} shows the error “{}”",
        t.trim()
    );
    let class = b
        .attr(&format!("main fieldset#q-{q}"), "class")
        .await?
        .unwrap_or_default();
    ensure!(
        !class.split_whitespace().any(|c| c == "field-invalid"),
        "{when}: question {q} is marked invalid ({class})"
    );
    Ok(())
}

/// Fails unless question `q` shows `text` beside it, is marked invalid, and its inputs
/// point at the error.
async fn ensure_question_error(b: &Browser, q: usize, text: &str, when: &str) -> Result {
    let shown = question_error(b, q).await?;
    ensure!(
        shown == text,
        "{when}: question {q} shows the error “{shown}”, expected “{text}”"
    );
    b.poll(
        &format!("fieldset#q-{q} to be marked invalid ({when})"),
        async || {
            let class = b
                .attr(&format!("main fieldset#q-{q}"), "class")
                .await?
                .unwrap_or_default();
            Ok(class
                .split_whitespace()
                .any(|c| c == "field-invalid")
                .then_some(()))
        },
    )
    .await?;
    let described = b
        .client
        .execute(
            "return [...document.querySelectorAll(`main fieldset#q-${arguments[0]} input, \
             main fieldset#q-${arguments[0]} textarea`)]\
             .every(i => (i.getAttribute('aria-describedby') || '').split(' ')\
             .includes(`q-${arguments[0]}-error`));",
            vec![json!(q)],
        )
        .await?;
    ensure!(
        described.as_bool() == Some(true),
        "{when}: the inputs of question {q} do not point at its error (aria-describedby)"
    );
    Ok(())
}

// ---------------------------------------------------------------------------------------
// Results
// ---------------------------------------------------------------------------------------

/// What the results card of question `q` shows, read from the page: its bars
/// (`[label, figure, bar width, top]`), its table's rows (`[label, count, share]`), the
/// scale's average, the count of those who answered and the free texts.
const CARD_JS: &str = r#"
const q = arguments[0];
const card = document.querySelector(`main section.result-card[aria-labelledby="r-${q}-h"]`);
if (!card) return null;
const t = el => (el ? el.textContent : '').trim();
return {
  title: t(card.querySelector('h3')),
  bars: [...card.querySelectorAll('.bar-row')].map(r => [
    t(r.querySelector('.bar-label')), t(r.querySelector('.bar-figure')),
    (r.querySelector('.bar-fill') || {getAttribute: () => ''}).getAttribute('width'),
    r.classList.contains('bar-top')]),
  table: [...card.querySelectorAll('details.chart-table tbody tr')].map(r => [...r.children].map(t)),
  average: t(card.querySelector('.scale-average')),
  meta: [...card.querySelectorAll('p.meta')].map(t).join(' | '),
  texts: [...card.querySelectorAll('ul.texts li')].map(t),
};
"#;

async fn card(b: &Browser, q: usize) -> Result<Value> {
    Ok(b.client.execute(CARD_JS, vec![json!(q)]).await?)
}

/// The `(label, figure)` of each bar of a card.
fn bars_of(card: &Value) -> Vec<(String, String)> {
    card["bars"]
        .as_array()
        .map(|l| l.iter().map(|r| (text_of(&r[0]), text_of(&r[1]))).collect())
        .unwrap_or_default()
}

/// One bar as expected: its label, its share in per cent with a point (`"33.3"`) and its
/// count.
type Bar<'a> = (&'a str, &'a str, u32);

/// Waits until the chart of question `q` shows exactly these bars, then checks the rest of
/// the card: the bar widths follow the shares, the tallest bars are marked, and the table
/// (opened by its summary) has the same figures.
async fn ensure_chart(b: &Browser, q: usize, want: &[Bar<'_>], lang: &str, who: &str) -> Result {
    let expected: Vec<(String, String)> = want
        .iter()
        .map(|(l, s, c)| ((*l).to_owned(), fig(s, *c, lang)))
        .collect();
    let shown = b
        .poll(
            &format!("the chart of question {q} to show {expected:?} ({who})"),
            async || {
                let c = card(b, q).await?;
                Ok((bars_of(&c) == expected).then_some(()))
            },
        )
        .await;
    if shown.is_err() {
        let c = card(b, q).await?;
        return Err(Failure(format!(
            "[{who}] the chart of question {q} shows {:?}, expected {expected:?} (card: {c})",
            bars_of(&c)
        )));
    }
    let c = card(b, q).await?;
    let top = want
        .iter()
        .map(|(_, s, _)| s.parse::<f64>().unwrap_or(0.0))
        .fold(0.0, f64::max);
    for (row, (label, share, _)) in c["bars"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .zip(want)
    {
        ensure!(
            row[2] == json!(share),
            "[{who}] the bar of “{label}” in question {q} is {} wide, expected {share} (of 100)",
            row[2]
        );
        let is_top = share.parse::<f64>().unwrap_or(0.0) == top && top > 0.0;
        ensure!(
            row[3] == json!(is_top),
            "[{who}] the bar of “{label}” in question {q} is{} marked as the top one",
            if is_top { " not" } else { "" }
        );
    }
    // The table with the same figures, shown when its summary is clicked.
    let summary = format!(
        "main section.result-card[aria-labelledby=\"r-{q}-h\"] details.chart-table summary"
    );
    let table =
        format!("main section.result-card[aria-labelledby=\"r-{q}-h\"] details.chart-table table");
    if !b.wait(&table).await?.is_displayed().await? {
        b.click(&summary).await?;
    }
    b.wait_visible(&table).await?;
    let rows: Vec<Vec<String>> = c["table"]
        .as_array()
        .map(|l| {
            l.iter()
                .map(|r| {
                    r.as_array()
                        .map(|cells| cells.iter().map(text_of).collect())
                        .unwrap_or_default()
                })
                .collect()
        })
        .unwrap_or_default();
    let expected_rows: Vec<Vec<String>> = want
        .iter()
        .map(|(l, s, c)| {
            let share = if lang == "uk" {
                s.replace('.', ",")
            } else {
                (*s).to_owned()
            };
            vec![(*l).to_owned(), c.to_string(), format!("{share}\u{a0}%")]
        })
        .collect();
    ensure!(
        rows == expected_rows,
        "[{who}] the table of question {q} reads {rows:?}, expected {expected_rows:?}"
    );
    Ok(())
}

/// Fails unless the card of question `q` says that `n` people answered it.
async fn ensure_answered_count(b: &Browser, q: usize, n: u32, lang: &str, who: &str) -> Result {
    let want = if lang == "uk" {
        format!("Відповіли на питання: {n}")
    } else {
        format!("Answered this question: {n}")
    };
    let c = card(b, q).await?;
    ensure!(
        text_of(&c["meta"]).contains(&want),
        "[{who}] the card of question {q} says “{}”, expected “{want}”",
        text_of(&c["meta"])
    );
    Ok(())
}

/// Waits until the page says how many people answered (`Відповідей: n`) above the results.
async fn wait_responses_shown(b: &Browser, n: u32, lang: &str) -> Result {
    let want = if lang == "uk" {
        format!("Відповідей: {n}")
    } else {
        format!("Answers: {n}")
    };
    b.wait_exact_text("main section[aria-labelledby=results-h] > p.meta", &want)
        .await?;
    Ok(())
}

/// Fails unless the results are hidden with the note `#results-later` saying `note`.
async fn ensure_results_later(b: &Browser, note: &str, who: &str) -> Result {
    b.wait_text(RESULTS_LATER, note).await?;
    ensure!(
        b.count(RESULT_CARDS).await? == 0,
        "[{who}] the results are hidden (“{note}”) and yet shown"
    );
    Ok(())
}

// ---------------------------------------------------------------------------------------
// Scenarios
// ---------------------------------------------------------------------------------------

/// Staff write a survey in the editor (a required question is checked before saving),
/// save it, see the preview (a draft no resident sees), and publish it from there; the
/// poll then lists as active and takes answers.
#[tokio::test]
async fn staff_write_a_survey_in_the_editor_preview_it_and_publish_it() {
    scenario("polls-editor", async |h| {
        let mark = unique();
        let staff = demo(h, "staff", STAFF_EMAIL).await?;
        let (res, _) = resident(h, "editor-res", NAMES[0], &mark).await?;
        staff.go_in_app(&staff_polls_path()).await?;
        staff.click_text("main a.button", "Нове опитування").await?;
        staff.wait_path(&new_poll_path()).await?;
        staff.wait_visible(EDITOR).await?;

        // Nothing written: the title and the question are refused beside them.
        staff.click(EDITOR_SAVE).await?;
        field_error(&staff, "title", None).await?;
        ensure!(
            staff.path().await? == new_poll_path(),
            "an empty poll was saved: the editor went to {}",
            staff.path().await?
        );

        let title = format!("Облаштування скверу на Таврійському {mark}");
        // What the editor lost while someone typed; the scenario goes on without it and
        // fails at the end.
        let mut lost = vec![];
        staff.click("main #f-kind-survey").await?;
        type_field(&staff, "main #f-title", &title, &mut lost).await?;
        type_field(
            &staff,
            "main #f-intro",
            "Розкажіть, яким ви бачите новий сквер.",
            &mut lost,
        )
        .await?;
        // Question 1: one of three options (a third added).
        type_field(
            &staff,
            "main #f-q-0-title",
            "Де облаштувати новий сквер?",
            &mut lost,
        )
        .await?;
        type_field(&staff, "main #f-q-0-o-0", "У центрі", &mut lost).await?;
        type_field(&staff, "main #f-q-0-o-1", "На Таврійському", &mut lost).await?;
        staff
            .click_text(
                "main ol.question-editors > li:nth-child(1) button",
                "Додати варіант",
            )
            .await?;
        type_field(&staff, "main #f-q-0-o-2", "На Острові", &mut lost).await?;
        // Question 2: up to two of four, not required.
        staff
            .click_text("main form.poll-editor button", "Додати питання")
            .await?;
        type_field(
            &staff,
            "main #f-q-1-title",
            "Що має бути в сквері?",
            &mut lost,
        )
        .await?;
        select(&staff, "main #f-q-1-kind", "multiple").await?;
        staff.click("main #f-q-1-required").await?;
        for (j, o) in ["Лавки", "Освітлення", "Дитячий майданчик", "Wi-Fi"]
            .iter()
            .enumerate()
        {
            if j >= 2 {
                staff
                    .click_text(
                        "main ol.question-editors > li:nth-child(2) button",
                        "Додати варіант",
                    )
                    .await?;
            }
            type_field(&staff, &format!("main #f-q-1-o-{j}"), o, &mut lost).await?;
        }
        type_field(&staff, "main #f-q-1-max", "2", &mut lost).await?;
        // Question 3: a scale; question 4: a short text, not required.
        staff
            .click_text("main form.poll-editor button", "Додати питання")
            .await?;
        type_field(
            &staff,
            "main #f-q-2-title",
            "Як ви оцінюєте благоустрій району?",
            &mut lost,
        )
        .await?;
        select(&staff, "main #f-q-2-kind", "scale").await?;
        staff
            .click_text("main form.poll-editor button", "Додати питання")
            .await?;
        type_field(&staff, "main #f-q-3-title", "Ваша пропозиція", &mut lost).await?;
        select(&staff, "main #f-q-3-kind", "text").await?;
        staff.click("main #f-q-3-required").await?;
        staff.click("main #f-audience-signed-in").await?;
        staff.click("main #f-shown-after-answer").await?;
        // Closing in ten days at 18:00 local time (datetime-local is set with JS).
        let when = staff
            .js(
                "const d = new Date(Date.now() + 10 * 864e5); d.setHours(18, 0, 0, 0);\n\
                 const p = n => String(n).padStart(2, '0');\n\
                 return [`${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T18:00`, d.getTime()];",
            )
            .await?;
        staff.set_value("main #f-closes_at", &text_of(&when[0])).await?;

        // Every field still holds what was written.
        for (css, want) in [
            ("main #f-title", title.as_str()),
            ("main #f-q-0-title", "Де облаштувати новий сквер?"),
            ("main #f-q-0-o-0", "У центрі"),
            ("main #f-q-0-o-2", "На Острові"),
            ("main #f-q-1-o-3", "Wi-Fi"),
            ("main #f-q-1-max", "2"),
            ("main #f-q-2-title", "Як ви оцінюєте благоустрій району?"),
            ("main #f-q-3-title", "Ваша пропозиція"),
        ] {
            let v = staff.value(css).await?;
            ensure!(
                v == want,
                "the editor's {css} holds “{v}” after the other fields were filled, not “{want}”"
            );
        }
        staff.click(EDITOR_SAVE).await?;

        // The preview: the draft's own page, as residents will see it, with the banner.
        let id = staff
            .poll("the editor to go to the new poll's preview", async || {
                let path = staff.path().await?;
                Ok(path
                    .strip_prefix("/polls/")
                    .filter(|rest| !rest.is_empty() && !rest.contains('/'))
                    .map(str::to_owned))
            })
            .await?;
        staff.wait_visible(PREVIEW_BANNER).await?;
        staff.wait_exact_text("main h1", &title).await?;
        staff.wait_visible(PUBLISH).await?;
        staff.wait_visible("main .badge.poll-draft").await?;
        let read = staff.count("main ol.questions-read > li").await?;
        ensure!(
            read == 4,
            "the preview shows {read} questions, not the 4 written"
        );
        for q in [
            "Де облаштувати новий сквер?",
            "Що має бути в сквері?",
            "Як ви оцінюєте благоустрій району?",
            "Ваша пропозиція",
        ] {
            staff.wait_text("main ol.questions-read", q).await?;
        }
        let p = api_get(&staff, &format!("/api/v1/polls/{id}")).await?;
        let want = json!([
            single(
                "Де облаштувати новий сквер?",
                true,
                &["У центрі", "На Таврійському", "На Острові"]
            ),
            multiple(
                "Що має бути в сквері?",
                false,
                &["Лавки", "Освітлення", "Дитячий майданчик", "Wi-Fi"],
                2
            ),
            scale("Як ви оцінюєте благоустрій району?", true),
            text_question("Ваша пропозиція", false),
        ]);
        ensure!(
            p["questions"] == want,
            "the saved questions differ from those written:\n  saved: {}\n  written: {want}",
            p["questions"]
        );
        ensure!(
            p["kind"] == json!("survey")
                && p["title"] == json!(title)
                && p["status"] == json!("draft")
                && p["audience"] == json!("signed_in")
                && p["results_shown"] == json!("after_answer"),
            "the saved poll is not the survey written: {p}"
        );
        let closes = ms_of(&staff, &text_of(&p["closes_at"])).await?;
        ensure!(
            Some(closes) == when[1].as_i64(),
            "the poll closes at {} ({closes}), not at {} chosen in the editor ({})",
            p["closes_at"],
            text_of(&when[0]),
            when[1]
        );
        // A draft is the staff's alone: a resident neither finds nor answers it.
        let r = api(&res, "GET", &format!("/api/v1/polls/{id}"), None).await?;
        ensure_refused(&r, &[404], "a resident reading a draft")?;
        let r = post_answers(
            &res,
            &id,
            json!([{"question": 0, "kind": "choice", "options": [0]},
                   {"question": 2, "kind": "scale", "value": 3}]),
        )
        .await?;
        ensure_refused(&r, &[404, 409], "a resident answering a draft")?;
        let drafts = api_get(
            &staff,
            &format!("/api/v1/hromadas/{KHERSON}/polls?state=draft"),
        )
        .await?;
        ensure!(
            drafts["items"]
                .as_array()
                .is_some_and(|l| l.iter().any(|x| x["id"] == json!(id))),
            "the staff's drafts do not list the new poll: {drafts}"
        );
        staff.go_in_app(&staff_polls_path()).await?;
        staff
            .wait_text("main section[aria-labelledby=polls-draft-h] li.card", &title)
            .await?;
        staff.go_in_app(&poll_path(&id)).await?;

        // Publish from the preview.
        staff.wait_visible(PREVIEW_BANNER).await?;
        staff.click(PUBLISH).await?;
        staff.wait_visible("main .badge.poll-open").await?;
        staff.wait_gone(PREVIEW_BANNER).await?;
        ensure!(
            staff.count(PUBLISH).await? == 0,
            "the published poll still offers to publish"
        );
        let p = api_get(&staff, &format!("/api/v1/polls/{id}")).await?;
        ensure!(
            p["status"] == json!("open"),
            "after publishing, the poll is {}",
            p["status"]
        );

        // Residents find it among the active polls and can answer it.
        res.goto(&polls_path("active")).await?;
        res.wait_text(CARDS, &title).await?;
        res.click_text("main li.card h3 a", &title).await?;
        res.wait_path(&poll_path(&id)).await?;
        res.wait_visible(FORM).await?;
        ensure!(
            res.count(PREVIEW_BANNER).await? == 0 && res.count(PUBLISH).await? == 0,
            "a resident sees the staff's preview banner or the publish button"
        );
        res.goto(&polls_path("past")).await?;
        res.wait_visible("main nav.tabs a[aria-current=page]").await?;
        ensure_not_listed(&res, &title).await?;
        ensure!(
            lost.is_empty(),
            "the editor loses what staff type (the rest of the scenario passed with the \
             text put in at once):\n  {}",
            lost.join("\n  ")
        );
        Ok(())
    })
    .await;
}

/// Types into an editor's field as a person does, key by key. When the field does not end
/// up holding the text (the editor lost it while typing), notes that in `lost` and puts the
/// text in with a single input event, so that the scenario can go on.
async fn type_field(b: &Browser, css: &str, text: &str, lost: &mut Vec<String>) -> Result {
    b.replace(css, text).await?;
    let v = b.value(css).await?;
    if v != text {
        lost.push(format!("typing “{text}” into {css} leaves “{v}”"));
        b.set_value(css, text).await?;
        let v = b.value(css).await?;
        ensure!(
            v == text,
            "{css} holds “{v}” even when “{text}” is put in at once"
        );
    }
    Ok(())
}

/// Fails if a card of the list on the page shows `title` (once the list has loaded).
async fn ensure_not_listed(b: &Browser, title: &str) -> Result {
    b.wait("main ul.cards, main p.state-empty").await?;
    let texts = b
        .js("return [...document.querySelectorAll('main li.card')].map(c => c.textContent).join('\\n');")
        .await?;
    ensure!(
        !text_of(&texts).contains(title),
        "the list {} shows “{title}”",
        b.path_and_query().await?
    );
    Ok(())
}

/// The survey of the figures scenarios: a required choice of three, an optional choice of
/// up to two of four, a required scale, an optional text.
fn square_survey(title: &str) -> Value {
    draft(
        title,
        vec![
            single(
                "Де облаштувати новий сквер?",
                true,
                &["У центрі", "На Таврійському", "На Острові"],
            ),
            multiple(
                "Що має бути в сквері?",
                false,
                &["Лавки", "Освітлення", "Дитячий майданчик", "Wi-Fi"],
                2,
            ),
            scale("Як ви оцінюєте благоустрій району?", true),
            text_question("Ваша пропозиція", false),
        ],
    )
}

/// Three residents answer a survey through the form; the results show, to each of them
/// and to staff, in both languages, the counts and shares of what they answered as bars
/// and as a table, the scale's average and the free text; a second answer of one of them
/// (from a second window opened before the first answer) is refused and the page says they
/// answered; the API refuses it with 409; the staff's CSV has the figures.
#[tokio::test]
async fn residents_answer_once_and_the_results_show_their_figures() {
    scenario("polls-answer-results", async |h| {
        let mark = unique();
        let staff = demo(h, "staff", STAFF_EMAIL).await?;
        let mut d = square_survey(&format!("Новий сквер {mark}"));
        d["results_shown"] = json!("after_answer");
        let id = open_poll(&staff, d).await?;
        let (r1, r1_email) = resident(h, "res1", NAMES[0], &mark).await?;
        let (r2, _) = resident(h, "res2", NAMES[1], &mark).await?;
        let (r3, _) = resident(h, "res3", NAMES[2], &mark).await?;

        // The first resident keeps a second window with the form open.
        let r1b = h.browser("res1-second-window").await?;
        r1b.goto("/").await?;
        api_sign_in(&r1b, &r1_email, GOOD_PASSWORD).await?;
        open_form(&r1b, &id).await?;

        // The scale's 1…5 are radio buttons; the multiple choice counts what is ticked.
        open_form(&r1, &id).await?;
        ensure!(
            r1.count("main fieldset#q-2 input[type=radio]").await? == 5
                && r1.count("main fieldset#q-1 input[type=checkbox]").await? == 4
                && r1.count("main fieldset#q-0 input[type=radio]").await? == 3
                && r1.count("main #q-3-text").await? == 1,
            "the form does not offer three options, four boxes, a scale of five and a text"
        );
        tick(&r1, 1, 0, true).await?;
        r1.wait_text("main fieldset#q-1", "обрано 1 з 2").await?;
        answer_ui(
            &r1,
            &id,
            &Given {
                ticks: vec![(0, 0), (1, 0), (1, 1), (2, 4)],
                texts: vec![(3, "Фонтан і більше тіні")],
            },
        )
        .await?;
        answer_ui(
            &r2,
            &id,
            &Given {
                ticks: vec![(0, 1), (1, 1), (2, 5)],
                texts: vec![],
            },
        )
        .await?;
        answer_ui(
            &r3,
            &id,
            &Given {
                ticks: vec![(0, 1), (1, 1), (1, 3), (2, 3)],
                texts: vec![],
            },
        )
        .await?;

        // The second window sends another answer: refused, and the page says why.
        fill(
            &r1b,
            &Given {
                ticks: vec![(0, 2), (2, 1)],
                texts: vec![],
            },
        )
        .await?;
        r1b.click(SEND).await?;
        r1b.wait_visible(ANSWERED).await?;
        ensure!(
            r1b.count(FORM).await? == 0,
            "after the refused second answer, the form is still offered"
        );
        let r = post_answers(
            &r1,
            &id,
            json!([{"question": 0, "kind": "choice", "options": [2]},
                   {"question": 2, "kind": "scale", "value": 1}]),
        )
        .await?;
        ensure_refused(&r, &[409], "a second answer through the API")?;
        ensure!(
            responses(&staff, &id).await? == 3,
            "the server counts {} answers, not the 3 given",
            responses(&staff, &id).await?
        );
        // Coming back, they see the thanks, not the form.
        r1.goto(&poll_path(&id)).await?;
        r1.wait_visible(ANSWERED).await?;
        ensure!(
            r1.count(FORM).await? == 0,
            "coming back, the form is offered again"
        );

        // The figures, as the last resident and as staff see them.
        let q0 = [
            ("У центрі", "33.3", 1),
            ("На Таврійському", "66.7", 2),
            ("На Острові", "0.0", 0),
        ];
        let q1 = [
            ("Лавки", "33.3", 1),
            ("Освітлення", "100.0", 3),
            ("Дитячий майданчик", "0.0", 0),
            ("Wi-Fi", "33.3", 1),
        ];
        let q2 = [
            ("1", "0.0", 0),
            ("2", "0.0", 0),
            ("3", "33.3", 1),
            ("4", "33.3", 1),
            ("5", "33.3", 1),
        ];
        staff.goto(&poll_path(&id)).await?;
        r3.goto(&poll_path(&id)).await?;
        // What does not follow a change of language; the scenario goes on and fails at
        // the end.
        let mut stale = vec![];
        for (b, who) in [(&r3, "resident"), (&staff, "staff")] {
            for lang in ["uk", "en"] {
                set_language(b, lang).await?;
                wait_responses_shown(b, 3, lang).await?;
                ensure_chart(b, 0, &q0, lang, who).await?;
                ensure_chart(b, 1, &q1, lang, who).await?;
                ensure_chart(b, 2, &q2, lang, who).await?;
                ensure_answered_count(b, 0, 3, lang, who).await?;
                ensure_answered_count(b, 1, 3, lang, who).await?;
                ensure_answered_count(b, 3, 1, lang, who).await?;
                let average = if lang == "uk" {
                    "Середня оцінка: 4,00 з 5"
                } else {
                    "Average: 4.00 of 5"
                };
                let c = card(b, 2).await?;
                if c["average"] != json!(average) {
                    stale.push(format!(
                        "[{who}] after switching to {lang}, the scale's average still reads {}, \
                         not “{average}”",
                        c["average"]
                    ));
                    // Drawn afresh in this language (away and back, without loading the
                    // app again), it must read right.
                    b.go_in_app(&polls_path("active")).await?;
                    b.go_in_app(&poll_path(&id)).await?;
                    wait_responses_shown(b, 3, lang).await?;
                    let c = b
                        .poll("the scale's average", async || {
                            let c = card(b, 2).await?;
                            Ok((!text_of(&c["average"]).is_empty()).then_some(c))
                        })
                        .await?;
                    ensure!(
                        c["average"] == json!(average),
                        "[{who}] the scale's average reads {}, expected “{average}”",
                        c["average"]
                    );
                }
                let texts = b
                    .poll("the free-text answers", async || {
                        let c = card(b, 3).await?;
                        Ok(c["texts"].as_array().filter(|l| !l.is_empty()).cloned())
                    })
                    .await?;
                ensure!(
                    texts == vec![json!("Фонтан і більше тіні")],
                    "[{who}] the free-text answers read {texts:?}"
                );
            }
            set_language(b, "uk").await?;
        }

        // The API agrees, and staff download the figures.
        let res = api_get(&r2, &format!("/api/v1/polls/{id}/results")).await?;
        ensure!(
            res["responses"] == json!(3)
                && res["questions"][0]["counts"] == json!([1, 2, 0])
                && res["questions"][1]["counts"] == json!([1, 3, 0, 1])
                && res["questions"][2]["counts"] == json!([0, 0, 1, 1, 1])
                && res["questions"][2]["average_x100"] == json!(400)
                && res["questions"][3]["answered"] == json!(1),
            "the results through the API are not those of the answers: {res}"
        );
        let (status, media_type, bytes) =
            fetch_bytes(&staff, &format!("/api/v1/polls/{id}/results.csv")).await?;
        let csv = String::from_utf8_lossy(&bytes);
        ensure!(
            status == 200
                && media_type.starts_with("text/csv")
                && [
                    "Де облаштувати новий сквер?",
                    "На Таврійському",
                    "Освітлення"
                ]
                .iter()
                .all(|s| csv.contains(s)),
            "the staff's CSV answered {status} {media_type}: {}",
            csv.chars().take(400).collect::<String>()
        );
        let r = api(&r2, "GET", &format!("/api/v1/polls/{id}/results.csv"), None).await?;
        ensure_refused(&r, &[403], "a resident downloading the CSV")?;

        // The list marks the poll as answered, with the count.
        r2.goto(&polls_path("active")).await?;
        let card = r2.wait_text(CARDS, &format!("Новий сквер {mark}")).await?;
        let text = card.text().await?;
        ensure!(
            text.contains("Ви відповіли") && text.contains("Відповідей: 3"),
            "the poll's card in the list reads “{text}”"
        );
        ensure!(
            stale.is_empty(),
            "the results do not follow a change of language (the rest of the scenario \
             passed):\n  {}",
            stale.join("\n  ")
        );
        Ok(())
    })
    .await;
}

/// Bad answers: a required question left empty and too many choices are caught in the
/// form beside their question before anything is sent; a text too long likewise; the
/// server refuses each bad answer sent past the form (an option or a question that does
/// not exist, too many choices, a required question empty, a scale out of range, a text
/// too long) as a 422 naming the question; a closed poll takes no answer (409) and its
/// page says it is closed without a form, also when it closed while the form was open.
#[tokio::test]
async fn bad_answers_are_refused_and_shown_beside_the_question() {
    scenario("polls-bad-answers", async |h| {
        let mark = unique();
        let staff = demo(h, "staff", STAFF_EMAIL).await?;
        let mut d = square_survey(&format!("Сквер: перевірки {mark}"));
        d["questions"][3]["required"] = json!(true);
        let id = open_poll(&staff, d).await?;
        let (a, _) = resident(h, "res-a", NAMES[3], &mark).await?;

        // Nothing given: every required question says so; nothing reaches the server.
        open_form(&a, &id).await?;
        a.click(SEND).await?;
        let required = "Дайте відповідь на це питання.";
        for q in [0, 2, 3] {
            ensure_question_error(&a, q, required, "sending an empty form").await?;
        }
        ensure_no_question_error(&a, 1, "sending an empty form (question 1 is optional)").await?;
        ensure!(
            responses(&staff, &id).await? == 0,
            "an empty form reached the server"
        );

        // Three of “up to two”, and a text over 1000 characters.
        fill(
            &a,
            &Given {
                ticks: vec![(0, 0), (1, 0), (1, 1), (1, 2), (2, 3)],
                texts: vec![],
            },
        )
        .await?;
        a.wait_text("main fieldset#q-1", "обрано 3 з 2").await?;
        a.set_value("main #q-3-text", &"я".repeat(1001)).await?;
        a.click(SEND).await?;
        ensure_question_error(&a, 1, "Обрано забагато варіантів.", "ticking three of two").await?;
        let too_long = question_error(&a, 3).await?;
        ensure!(
            too_long != required,
            "a text of 1001 characters is called empty: “{too_long}”"
        );
        for q in [0, 2] {
            ensure_no_question_error(&a, q, "after answering the question").await?;
        }
        ensure!(
            responses(&staff, &id).await? == 0,
            "an answer with too many choices reached the server"
        );

        // Put right, it is taken.
        tick(&a, 1, 1, false).await?;
        a.replace("main #q-3-text", "Більше лавок у тіні").await?;
        a.click(SEND).await?;
        a.wait_visible(ANSWERED).await?;
        let res = api_get(&a, &format!("/api/v1/polls/{id}/results")).await?;
        ensure!(
            res["questions"][1]["counts"] == json!([1, 0, 1, 0]),
            "the answer taken is not the one put right: {res}"
        );

        // Past the form: each bad answer is a 422 naming the question.
        let (b, _) = resident(h, "res-b", NAMES[4], &mark).await?;
        let good = |q0: Value, q1: Option<Value>, q2: Value, q3: Value| {
            let mut l = vec![q0, q2, q3];
            if let Some(x) = q1 {
                l.push(x);
            }
            Value::Array(l)
        };
        let ok0 = json!({"question": 0, "kind": "choice", "options": [1]});
        let ok2 = json!({"question": 2, "kind": "scale", "value": 4});
        let ok3 = json!({"question": 3, "kind": "text", "text": "Лавки"});
        let cases: Vec<(&str, Value, &str, &str)> = vec![
            (
                "an option that does not exist",
                good(
                    json!({"question": 0, "kind": "choice", "options": [3]}),
                    None,
                    ok2.clone(),
                    ok3.clone(),
                ),
                "answers[0]",
                "invalid",
            ),
            (
                "three choices of up to two",
                good(
                    ok0.clone(),
                    Some(json!({"question": 1, "kind": "choice", "options": [0, 1, 2]})),
                    ok2.clone(),
                    ok3.clone(),
                ),
                "answers[1]",
                "too_many",
            ),
            (
                "two choices in a single-choice question",
                good(
                    json!({"question": 0, "kind": "choice", "options": [0, 1]}),
                    None,
                    ok2.clone(),
                    ok3.clone(),
                ),
                "answers[0]",
                "too_many",
            ),
            (
                "a required question left out",
                json!([ok2.clone(), ok3.clone()]),
                "answers[0]",
                "required",
            ),
            (
                "a required text left blank",
                good(
                    ok0.clone(),
                    None,
                    ok2.clone(),
                    json!({"question": 3, "kind": "text", "text": "   "}),
                ),
                "answers[3]",
                "required",
            ),
            (
                "a scale of 6",
                good(
                    ok0.clone(),
                    None,
                    json!({"question": 2, "kind": "scale", "value": 6}),
                    ok3.clone(),
                ),
                "answers[2]",
                "invalid",
            ),
            (
                "a text of 1001 characters",
                good(
                    ok0.clone(),
                    None,
                    ok2.clone(),
                    json!({"question": 3, "kind": "text", "text": "я".repeat(1001)}),
                ),
                "answers[3]",
                "too_long",
            ),
            (
                "a question that does not exist",
                good(
                    ok0.clone(),
                    Some(json!({"question": 9, "kind": "scale", "value": 1})),
                    ok2.clone(),
                    ok3.clone(),
                ),
                "answers[9]",
                "invalid",
            ),
        ];
        for (what, answers, field, code) in cases {
            let r = post_answers(&b, &id, answers).await?;
            ensure_field_code(&r, field, code, what)?;
        }
        ensure!(
            responses(&staff, &id).await? == 1,
            "refused answers were counted: the server has {} answers, not 1",
            responses(&staff, &id).await?
        );
        answer_api(&b, &id, json!([ok0, ok2, ok3])).await?;

        // C has the form open when staff close the poll; sending then is refused and the
        // page says the poll has closed.
        let (c, _) = resident(h, "res-c", NAMES[5], &mark).await?;
        open_form(&c, &id).await?;
        fill(
            &c,
            &Given {
                ticks: vec![(0, 2), (2, 2)],
                texts: vec![(3, "Пізно")],
            },
        )
        .await?;
        close_poll(&staff, &id).await?;
        c.click(SEND).await?;
        let closed_note = "Опитування завершено: відповіді більше не приймаються.";
        c.wait_text(NOT_OPEN, closed_note).await?;
        ensure!(
            c.count(FORM).await? == 0 && c.count(ANSWERED).await? == 0,
            "after sending to a closed poll, the page offers the form or thanks for an answer"
        );
        ensure!(
            responses(&staff, &id).await? == 2,
            "an answer to the closed poll was counted"
        );
        // Anyone coming later: the page says it is closed, shows no form; the API says 409.
        let (d2, _) = resident(h, "res-d", NAMES[2], &mark).await?;
        d2.goto(&poll_path(&id)).await?;
        d2.wait_text(NOT_OPEN, closed_note).await?;
        d2.wait_visible("main .badge.poll-closed").await?;
        ensure!(
            d2.count(FORM).await? == 0 && d2.count(SEND).await? == 0,
            "the closed poll's page offers the form"
        );
        let r = post_answers(
            &d2,
            &id,
            json!([{"question": 0, "kind": "choice", "options": [1]},
                   {"question": 2, "kind": "scale", "value": 4},
                   {"question": 3, "kind": "text", "text": "Лавки"}]),
        )
        .await?;
        ensure_refused(&r, &[409], "answering a closed poll")?;
        // It lists among the past polls, not the active ones.
        d2.goto(&polls_path("past")).await?;
        d2.wait_text(CARDS, &format!("Сквер: перевірки {mark}"))
            .await?;
        d2.goto(&polls_path("active")).await?;
        d2.wait_visible("main nav.tabs a[aria-current=page]")
            .await?;
        ensure_not_listed(&d2, &format!("Сквер: перевірки {mark}")).await?;
        Ok(())
    })
    .await;
}

/// Who may answer: on a poll for verified residents an unverified resident gets the hint
/// to get verified (no form; the API says 403) and, once staff verified them, the form; a
/// resident of another hromada gets no form (403); a guest gets a sign-in link that comes
/// back to the poll (401 from the API); a verified resident answers. On a poll for anyone
/// signed in, the unverified resident answers.
#[tokio::test]
async fn only_those_the_poll_is_for_may_answer() {
    scenario("polls-audience", async |h| {
        let mark = unique();
        let staff = demo(h, "staff", STAFF_EMAIL).await?;
        let title = format!("Лише для підтверджених {mark}");
        let mut d = draft(
            &title,
            vec![single(
                "Чи підтримуєте ви перейменування вулиці?",
                true,
                &["Так", "Ні"],
            )],
        );
        d["audience"] = json!("verified");
        let id = open_poll(&staff, d).await?;
        let one = json!([{"question": 0, "kind": "choice", "options": [0]}]);

        // The demo's unverified resident.
        let unverified = demo(h, "unverified", RESIDENT_EMAIL).await?;
        unverified.goto(&poll_path(&id)).await?;
        unverified.wait_visible(VERIFY_HINT).await?;
        unverified
            .wait_visible("main #verify-hint a[href='/account']")
            .await?;
        ensure!(
            unverified.count(FORM).await? == 0,
            "an unverified resident is offered the form of a poll for verified residents"
        );
        let r = post_answers(&unverified, &id, one.clone()).await?;
        ensure_refused(&r, &[403], "an unverified resident answering")?;

        // A new resident, verified by staff meanwhile, gets the form.
        let (newbie, _) = resident(h, "newbie", NAMES[0], &mark).await?;
        newbie.goto(&poll_path(&id)).await?;
        newbie.wait_visible(VERIFY_HINT).await?;
        verify_through_api(&newbie, &staff).await?;
        answer_ui(
            &newbie,
            &id,
            &Given {
                ticks: vec![(0, 1)],
                texts: vec![],
            },
        )
        .await?;

        // A resident of another hromada.
        let other = h.browser("other-hromada").await?;
        other.goto("/").await?;
        register_api(
            &other,
            &format!("other.{mark}@example.com"),
            NAMES[1],
            "м. Чорноморськ, вул. Морська, 1",
            OTHER_HROMADA,
        )
        .await?;
        other.goto(&poll_path(&id)).await?;
        other
            .wait_text("main", "Відповідати можуть лише мешканці цієї громади.")
            .await?;
        ensure!(
            other.count(FORM).await? == 0 && other.count(VERIFY_HINT).await? == 0,
            "a resident of another hromada is offered the form or the verification hint"
        );
        let r = post_answers(&other, &id, one.clone()).await?;
        ensure_refused(&r, &[403], "a resident of another hromada answering")?;

        // A guest: a sign-in link that leads back here.
        let guest = h.browser("guest").await?;
        guest.goto(&poll_path(&id)).await?;
        let link = guest.wait_visible("main a[href^='/signin']").await?;
        let href = link.attr("href").await?.unwrap_or_default();
        ensure!(
            href.contains(&format!("next=%2Fpolls%2F{id}")),
            "the guest's sign-in link {href} does not lead back to the poll"
        );
        ensure!(guest.count(FORM).await? == 0, "a guest is offered the form");
        let r = post_answers(&guest, &id, one.clone()).await?;
        ensure_refused(&r, &[401], "a guest answering")?;
        guest.click_element(&link).await?;
        guest.wait_path("/signin").await?;
        guest.replace("#f-email", VERIFIED_EMAIL).await?;
        guest.replace("#f-password", DEMO_PASSWORD).await?;
        guest.click("form.form button[type=submit]").await?;
        guest.wait_path(&poll_path(&id)).await?;
        guest.wait_visible(FORM).await?;
        guest.click("main #q-0-0").await?;
        guest.click(SEND).await?;
        guest.wait_visible(ANSWERED).await?;

        // On a poll for anyone signed in, the unverified resident answers.
        let open_id = open_poll(
            &staff,
            draft(
                &format!("Для всіх {mark}"),
                vec![single(
                    "Чи зручний вам графік прийому?",
                    true,
                    &["Так", "Ні"],
                )],
            ),
        )
        .await?;
        answer_ui(
            &unverified,
            &open_id,
            &Given {
                ticks: vec![(0, 0)],
                texts: vec![],
            },
        )
        .await?;
        ensure!(
            responses(&staff, &id).await? == 2 && responses(&staff, &open_id).await? == 1,
            "the answers counted are not those allowed"
        );
        Ok(())
    })
    .await;
}

/// When results show: “after answering” hides them (a note instead; 403 from the API)
/// until the reader answered, and only from them; “after closing” hides them even from
/// those who answered until the poll closes, then shows everyone the right figures;
/// “always” shows them to a guest at once. Staff always see them.
#[tokio::test]
async fn results_show_as_the_poll_says() {
    scenario("polls-results-shown", async |h| {
        let mark = unique();
        let staff = demo(h, "staff", STAFF_EMAIL).await?;
        let question = || {
            vec![single(
                "Який день прибирання вам зручніший?",
                true,
                &["Субота", "Неділя"],
            )]
        };
        let mut after_answer = draft(&format!("Після відповіді {mark}"), question());
        after_answer["results_shown"] = json!("after_answer");
        let aa = open_poll(&staff, after_answer).await?;
        let mut after_close = draft(&format!("Після завершення {mark}"), question());
        after_close["results_shown"] = json!("after_close");
        let ac = open_poll(&staff, after_close).await?;
        let always = open_poll(&staff, draft(&format!("Одразу {mark}"), question())).await?;
        let (r1, _) = resident(h, "res1", NAMES[0], &mark).await?;
        let (r2, _) = resident(h, "res2", NAMES[1], &mark).await?;
        let guest = h.browser("guest").await?;

        // After answering.
        open_form(&r1, &aa).await?;
        ensure_results_later(&r1, "Результати з’являться після вашої відповіді.", "r1").await?;
        let r = api(&r1, "GET", &format!("/api/v1/polls/{aa}/results"), None).await?;
        ensure_refused(&r, &[403], "results before answering")?;
        fill(
            &r1,
            &Given {
                ticks: vec![(0, 1)],
                texts: vec![],
            },
        )
        .await?;
        r1.click(SEND).await?;
        r1.wait_visible(ANSWERED).await?;
        r1.wait_gone(RESULTS_LATER).await?;
        ensure_chart(
            &r1,
            0,
            &[("Субота", "0.0", 0), ("Неділя", "100.0", 1)],
            "uk",
            "r1",
        )
        .await?;
        open_form(&r2, &aa).await?;
        ensure_results_later(&r2, "після вашої відповіді", "r2").await?;
        guest.goto(&poll_path(&aa)).await?;
        ensure_results_later(&guest, "після вашої відповіді", "guest").await?;
        staff.goto(&poll_path(&aa)).await?;
        ensure_chart(
            &staff,
            0,
            &[("Субота", "0.0", 0), ("Неділя", "100.0", 1)],
            "uk",
            "staff",
        )
        .await?;

        // After closing: answering is not enough.
        open_form(&r1, &ac).await?;
        ensure_results_later(&r1, "Результати з’являться після завершення", "r1").await?;
        fill(
            &r1,
            &Given {
                ticks: vec![(0, 0)],
                texts: vec![],
            },
        )
        .await?;
        r1.click(SEND).await?;
        r1.wait_visible(ANSWERED).await?;
        ensure_results_later(&r1, "Результати з’являться після завершення", "r1 answered").await?;
        let r = api(&r1, "GET", &format!("/api/v1/polls/{ac}/results"), None).await?;
        ensure_refused(
            &r,
            &[403],
            "results of a poll still open, shown after closing",
        )?;
        answer_api(
            &r2,
            &ac,
            json!([{"question": 0, "kind": "choice", "options": [0]}]),
        )
        .await?;
        let res = api_get(&staff, &format!("/api/v1/polls/{ac}/results")).await?;
        ensure!(
            res["questions"][0]["counts"] == json!([2, 0]),
            "staff see {res} before closing"
        );
        close_poll(&staff, &ac).await?;
        let want = [("Субота", "100.0", 2), ("Неділя", "0.0", 0)];
        r1.goto(&poll_path(&ac)).await?;
        r1.wait_visible(ANSWERED).await?;
        ensure_chart(&r1, 0, &want, "uk", "r1 after closing").await?;
        ensure!(
            r1.count(RESULTS_LATER).await? == 0,
            "after closing, the results and the note that they come later both show"
        );
        guest.goto(&poll_path(&ac)).await?;
        guest.wait_visible(NOT_OPEN).await?;
        ensure_chart(&guest, 0, &want, "uk", "guest after closing").await?;

        // Always: a guest sees them at once, with nobody having answered.
        guest.goto(&poll_path(&always)).await?;
        ensure_chart(
            &guest,
            0,
            &[("Субота", "0.0", 0), ("Неділя", "0.0", 0)],
            "uk",
            "guest",
        )
        .await?;
        ensure!(
            guest.count(RESULTS_LATER).await? == 0,
            "results shown always, and yet a note that they come later"
        );
        Ok(())
    })
    .await;
}

/// The polls of Херсонська громада in a state, as the person signed in to `b` sees them.
async fn list_polls(b: &Browser, state: &str) -> Result<Vec<Value>> {
    let page = api_get(
        b,
        &format!("/api/v1/hromadas/{KHERSON}/polls?state={state}"),
    )
    .await?;
    page["items"]
        .as_array()
        .cloned()
        .ok_or_else(|| Failure(format!("the {state} polls are not a page: {page}")))
}

/// The demo's closed poll with the most answers, if it has at least 500.
async fn demo_closed_poll(b: &Browser) -> Result<Option<Value>> {
    Ok(list_polls(b, "past")
        .await?
        .into_iter()
        .max_by_key(|p| p["responses"].as_u64().unwrap_or(0))
        .filter(|p| p["responses"].as_u64().unwrap_or(0) >= 500))
}

/// A share of `total` in per cent with one decimal, rounded half up (`"33.3"`).
fn share(count: u64, total: u64) -> String {
    let per_mille = if total == 0 {
        0
    } else {
        (count * 2000 + total) / (total * 2)
    };
    format!("{}.{}", per_mille / 10, per_mille % 10)
}

/// What the demo offers in Херсонська громада: an open poll, an open survey with all four
/// kinds of question, a closed poll with at least 500 answers whose results page shows the
/// server's figures, and a draft that only staff see.
#[tokio::test]
async fn the_demo_has_polls_to_try() {
    scenario("polls-demo", async |h| {
        let staff = demo(h, "staff", STAFF_EMAIL).await?;
        let res = demo(h, "resident", RESIDENT_EMAIL).await?;
        let active = list_polls(&res, "active").await?;
        let open_poll = active
            .iter()
            .find(|p| p["kind"] == json!("poll") && p["status"] == json!("open"))
            .ok_or_else(|| Failure(format!("the demo has no open poll: {active:?}")))?;
        let kinds = |p: &Value| -> Vec<String> {
            let mut k: Vec<String> = p["questions"]
                .as_array()
                .map(|l| l.iter().map(|q| text_of(&q["kind"])).collect())
                .unwrap_or_default();
            k.sort();
            k.dedup();
            k
        };
        let survey = active
            .iter()
            .find(|p| {
                p["kind"] == json!("survey")
                    && p["status"] == json!("open")
                    && kinds(p) == ["multiple", "scale", "single", "text"]
            })
            .ok_or_else(|| {
                Failure(format!(
                    "the demo has no open survey with all four kinds of question: {active:?}"
                ))
            })?;
        let drafts = list_polls(&staff, "draft").await?;
        let the_draft = drafts
            .first()
            .ok_or_else(|| Failure("the demo has no draft poll".into()))?;
        let r = api(
            &res,
            "GET",
            &format!("/api/v1/hromadas/{KHERSON}/polls?state=draft"),
            None,
        )
        .await?;
        ensure_refused(&r, &[403], "a resident listing the drafts")?;
        let r = api(
            &res,
            "GET",
            &format!("/api/v1/polls/{}", text_of(&the_draft["id"])),
            None,
        )
        .await?;
        ensure_refused(&r, &[404], "a resident reading the demo's draft")?;
        res.goto(&polls_path("active")).await?;
        for p in [open_poll, survey] {
            res.wait_text(CARDS, &text_of(&p["title"])).await?;
        }
        ensure_not_listed(&res, &text_of(&the_draft["title"])).await?;

        // The closed poll's results page shows the server's figures.
        let closed = demo_closed_poll(&res).await?.ok_or_else(|| {
            Failure("the demo has no closed poll with at least 500 answers".into())
        })?;
        let id = text_of(&closed["id"]);
        let results = api_get(&res, &format!("/api/v1/polls/{id}/results")).await?;
        let total = closed["responses"].as_u64().unwrap_or(0);
        ensure!(
            results["responses"] == json!(total),
            "the closed poll has {total} answers, its results {}",
            results["responses"]
        );
        res.goto(&poll_path(&id)).await?;
        res.wait_visible(NOT_OPEN).await?;
        wait_responses_shown(&res, u32::try_from(total).unwrap_or(0), "uk").await?;
        let questions = closed["questions"].as_array().cloned().unwrap_or_default();
        let mut charts = 0;
        for (q, question) in questions.iter().enumerate() {
            let figures = &results["questions"][q];
            let Some(counts) = figures["counts"].as_array() else {
                continue;
            };
            let answered = figures["answered"].as_u64().unwrap_or(0);
            let labels: Vec<String> = match question["options"].as_array() {
                Some(o) => o.iter().map(text_of).collect(),
                None => (1..=counts.len()).map(|v| v.to_string()).collect(),
            };
            let bars: Vec<(String, String, u32)> = labels
                .into_iter()
                .zip(counts)
                .map(|(l, c)| {
                    let c = c.as_u64().unwrap_or(0);
                    (l, share(c, answered), u32::try_from(c).unwrap_or(0))
                })
                .collect();
            let bars: Vec<Bar<'_>> = bars
                .iter()
                .map(|(l, s, c)| (l.as_str(), s.as_str(), *c))
                .collect();
            ensure_chart(&res, q, &bars, "uk", "resident").await?;
            charts += 1;
        }
        ensure!(
            charts > 0,
            "the closed poll has no chart to show: {results}"
        );
        Ok(())
    })
    .await;
}

// ---------------------------------------------------------------------------------------
// The pages on a phone, and screenshots
// ---------------------------------------------------------------------------------------

/// What the tour of the pages visits.
struct Tour {
    /// A resident who has not answered `survey`.
    fresh: Browser,
    /// A resident who answered `survey`.
    answered: Browser,
    staff: Browser,
    /// An open survey of all four kinds of question, with a few answers.
    survey: String,
    /// A staff's draft.
    draft: String,
    /// A closed poll of its own, with a few answers.
    closed: String,
    /// The demo's closed poll with the most answers, when the demo has one.
    demo_closed: Option<String>,
}

async fn tour_setup(h: &Harness) -> Result<Tour> {
    let mark = unique();
    let staff = demo(h, "tour-staff", STAFF_EMAIL).await?;
    let survey = open_poll(
        &staff,
        square_survey(
            "Опитування мешканців щодо облаштування нового скверу в мікрорайоні Таврійський",
        ),
    )
    .await?;
    let (answered, _) = resident(h, "tour-answered", NAMES[0], &mark).await?;
    let (other, _) = resident(h, "tour-other", NAMES[1], &mark).await?;
    answer_api(
        &other,
        &survey,
        json!([{"question": 0, "kind": "choice", "options": [1]},
               {"question": 1, "kind": "choice", "options": [1, 2]},
               {"question": 2, "kind": "scale", "value": 5},
               {"question": 3, "kind": "text", "text": "Більше дерев і лавок у тіні, фонтан для дітей"}]),
    )
    .await?;
    answer_api(
        &answered,
        &survey,
        json!([{"question": 0, "kind": "choice", "options": [0]},
               {"question": 1, "kind": "choice", "options": [1]},
               {"question": 2, "kind": "scale", "value": 3}]),
    )
    .await?;
    let (fresh, _) = resident(h, "tour-fresh", NAMES[2], &mark).await?;
    // The app learns who signed up through the API when it loads again.
    for b in [&fresh, &answered] {
        b.goto(&polls_path("active")).await?;
        b.wait(".who .who-name").await?;
    }
    let draft_poll = create_poll(
        &staff,
        draft(
            "Чернетка: графік вивезення сміття",
            vec![
                single("Який день вам зручніший?", true, &["Понеділок", "Четвер"]),
                scale("Як ви оцінюєте вивезення зараз?", false),
            ],
        ),
    )
    .await?;
    let closed = open_poll(
        &staff,
        draft(
            "Який вигляд матиме оновлена набережна біля річкового вокзалу?",
            vec![multiple(
                "Що додати на набережну в першу чергу?",
                true,
                &[
                    "Велодоріжку",
                    "Освітлення",
                    "Лавки й тінь",
                    "Пандуси та поручні",
                ],
                2,
            )],
        ),
    )
    .await?;
    for (b, options) in [(&other, json!([0, 1])), (&answered, json!([1]))] {
        answer_api(
            b,
            &closed,
            json!([{"question": 0, "kind": "choice", "options": options}]),
        )
        .await?;
    }
    close_poll(&staff, &closed).await?;
    let demo_closed = demo_closed_poll(&staff).await?.map(|p| text_of(&p["id"]));
    Ok(Tour {
        fresh,
        answered,
        staff,
        survey,
        draft: text_of(&draft_poll["id"]),
        closed,
        demo_closed,
    })
}

/// Notes what of the page is wider than the screen, and saves its screenshot (when
/// screenshots are wanted).
async fn look(b: &Browser, lang: &str, size: &str, page: &str, wide: &mut Vec<String>) -> Result {
    let w = b.too_wide().await?;
    if !w.is_empty() {
        wide.push(format!("{page} ({lang}, {size}): {}", w.join("; ")));
    }
    b.screenshot(&format!("polls-{lang}-{size}-{page}")).await
}

/// Scrolls the first element matching `css` into the middle of the screen.
async fn show(b: &Browser, css: &str) -> Result {
    let arg = serde_json::to_value(&b.wait_visible(css).await?)?;
    b.client
        .execute("arguments[0].scrollIntoView({block: 'center'});", vec![arg])
        .await?;
    Ok(())
}

/// Visits every polls page in the language the browsers use now, at their current size:
/// collects what is wider than the screen, and saves a screenshot of each page named
/// `polls-{lang}-{size}-{page}` (when screenshots are wanted).
async fn tour(t: &Tour, lang: &str, size: &str) -> Result<Vec<String>> {
    let mut wide = vec![];
    // The lists.
    t.fresh.go_in_app(&polls_path("active")).await?;
    t.fresh.wait_visible(CARDS).await?;
    t.fresh.js("window.scrollTo(0, 0);").await?;
    look(&t.fresh, lang, size, "list", &mut wide).await?;
    t.fresh
        .click("main nav.tabs a:not([aria-current=page])")
        .await?;
    t.fresh
        .wait_attr(
            "main nav.tabs a[aria-current=page]",
            "href",
            &polls_path("past"),
        )
        .await?;
    t.fresh.wait_text(CARDS, "набережна").await?;
    look(&t.fresh, lang, size, "list-past", &mut wide).await?;
    // The form, empty and with its errors.
    t.fresh.go_in_app(&poll_path(&t.survey)).await?;
    t.fresh.wait_visible(FORM).await?;
    t.fresh.js("window.scrollTo(0, 0);").await?;
    look(&t.fresh, lang, size, "form", &mut wide).await?;
    t.fresh.click(SEND).await?;
    question_error(&t.fresh, 0).await?;
    show(&t.fresh, "main fieldset#q-2").await?;
    look(&t.fresh, lang, size, "form-errors", &mut wide).await?;
    // The results with their charts, one table open.
    t.answered.go_in_app(&poll_path(&t.survey)).await?;
    t.answered.wait_visible(ANSWERED).await?;
    t.answered
        .wait_visible("main section.result-card .bar-row")
        .await?;
    let summary = "main section.result-card[aria-labelledby=\"r-1-h\"] details.chart-table summary";
    let open = t
        .answered
        .js("return document.querySelector('main section.result-card[aria-labelledby=\"r-1-h\"] details.chart-table').open;")
        .await?;
    if open.as_bool() != Some(true) {
        t.answered.click(summary).await?;
    }
    show(
        &t.answered,
        "main section.result-card[aria-labelledby=\"r-0-h\"]",
    )
    .await?;
    look(&t.answered, lang, size, "results", &mut wide).await?;
    show(
        &t.answered,
        "main section.result-card[aria-labelledby=\"r-1-h\"] details.chart-table table",
    )
    .await?;
    look(&t.answered, lang, size, "results-table", &mut wide).await?;
    // A closed poll, and the demo's with hundreds of answers.
    let closed = [
        Some(("results-closed", &t.closed)),
        t.demo_closed.as_ref().map(|id| ("results-demo", id)),
    ];
    for (page, id) in closed.into_iter().flatten() {
        // Through the list, as people go from poll to poll.
        t.fresh.go_in_app(&polls_path("past")).await?;
        t.fresh.wait_visible(CARDS).await?;
        t.fresh.go_in_app(&poll_path(id)).await?;
        t.fresh.wait_visible(NOT_OPEN).await?;
        t.fresh
            .wait_visible("main section.result-card .bar-row")
            .await?;
        show(&t.fresh, "main section.result-card").await?;
        look(&t.fresh, lang, size, page, &mut wide).await?;
    }
    // Staff: their list, the editor with a choice of several, and the preview.
    t.staff.go_in_app(&staff_polls_path()).await?;
    t.staff.wait_visible(CARDS).await?;
    look(&t.staff, lang, size, "staff", &mut wide).await?;
    t.staff.go_in_app(&new_poll_path()).await?;
    t.staff.wait_visible(EDITOR).await?;
    t.staff
        .replace("main #f-title", "Облаштування скверу на Таврійському")
        .await?;
    t.staff
        .replace("main #f-q-0-title", "Що має бути в сквері?")
        .await?;
    select(&t.staff, "main #f-q-0-kind", "multiple").await?;
    for (j, o) in ["Лавки", "Освітлення"].iter().enumerate() {
        t.staff.replace(&format!("main #f-q-0-o-{j}"), o).await?;
    }
    t.staff.js("window.scrollTo(0, 0);").await?;
    look(&t.staff, lang, size, "editor", &mut wide).await?;
    show(&t.staff, "main #f-q-0-max").await?;
    look(&t.staff, lang, size, "editor-question", &mut wide).await?;
    t.staff.go_in_app(&poll_path(&t.draft)).await?;
    t.staff.wait_visible(PREVIEW_BANNER).await?;
    t.staff.js("window.scrollTo(0, 0);").await?;
    look(&t.staff, lang, size, "preview", &mut wide).await?;
    Ok(wide)
}

/// On a 360×640 phone, in Ukrainian and in English, no polls page is wider than the
/// screen: the lists, a survey's form (also with its errors), the results with charts and
/// a table (also of the demo's poll with hundreds of answers), the staff's list, the
/// editor and the preview.
#[tokio::test]
async fn polls_pages_fit_a_phone_screen() {
    scenario("polls-phone-width", async |h| {
        let t = tour_setup(h).await?;
        let mut wide = vec![];
        for lang in ["uk", "en"] {
            for b in [&t.fresh, &t.answered, &t.staff] {
                b.phone().await?;
                set_language(b, lang).await?;
            }
            wide.extend(tour(&t, lang, "phone").await?);
        }
        ensure!(
            wide.is_empty(),
            "polls pages that do not fit a 360 px phone screen:\n  {}",
            wide.join("\n  ")
        );
        Ok(())
    })
    .await;
}

/// Screenshots of the polls pages at 360×640 and 1280×800 in both languages, for a person
/// to look at; runs only with `HROMADA_SCREENSHOTS=1` (see `scripts/screenshots.sh`).
#[tokio::test]
async fn screenshots_of_the_polls_pages() {
    if !hromada_e2e::screenshots_wanted() {
        eprintln!("skipped: set HROMADA_SCREENSHOTS=1 to take the screenshots");
        return;
    }
    scenario("polls-screenshots", async |h| {
        let t = tour_setup(h).await?;
        for lang in ["uk", "en"] {
            for (size, dims) in [("desktop", DESKTOP), ("phone", PHONE)] {
                for b in [&t.fresh, &t.answered, &t.staff] {
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
fn figures_read_with_the_local_decimal_mark() {
    assert_eq!(fig("33.3", 1, "uk"), "33,3\u{a0}% · 1");
    assert_eq!(fig("100.0", 3, "en"), "100.0\u{a0}% · 3");
    assert_eq!(share(1, 3), "33.3");
    assert_eq!(share(2, 3), "66.7");
    assert_eq!(share(1, 8), "12.5");
    assert_eq!(share(0, 0), "0.0");
}
