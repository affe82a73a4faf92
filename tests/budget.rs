//! End-to-end tests of the participatory budget (issue 6): staff open a cycle; a resident
//! submits a project with an image through the form, staff ask for changes and then put
//! it on the ballot from the project's page; verified residents vote under both rules
//! (choose up to N, one per category; fit the budget) with a counter that refuses what the
//! rule forbids before anything is sent; an unverified resident is told how to get
//! verified; the results rank the projects and draw the funding line. Bad input (cost
//! lines, a selection over the limit, a vote outside voting) is refused by the server as a
//! problem and shown clearly in the app; two sessions of one person voting at once never
//! exceed the rule; the cycle page's filters live in the URL; the pages fit a phone.
//!
//! Every cycle a scenario needs it makes itself through the API, with dates relative to
//! today in Kyiv, and moves it from phase to phase by changing its dates, as staff may.
//! The demo content is used only where it is the point: the demo's 2026 cycle in voting
//! and its 2025 cycle with results, for the tour of the pages.
//!
//! Like `petitions.rs`, each scenario has a server, a database, a chromedriver and browsers
//! of its own. Build first (`make test` does it all), then:
//! `cargo test -p hromada-e2e --test budget -- --test-threads=1`.

use std::path::PathBuf;
use std::time::{SystemTime, UNIX_EPOCH};

use hromada_e2e::{
    Browser, DEMO_PASSWORD, DESKTOP, Failure, GOOD_PASSWORD, Harness, KHERSON, Locator,
    OTHER_HROMADA, PHONE, RESIDENT_EMAIL, Reply, Result, STAFF_EMAIL, TINY_JPEG_HEX, TempDir,
    VERIFIED_EMAIL, api, api_get, api_sign_in, api_with_headers, ensure, ensure_field_code,
    ensure_not_reloaded, ensure_refused, error_text, fetch_bytes, field_error, from_hex, mark_page,
    new_resident, register_api, reply_of, scenario, select, set_language, sign_in, unique,
    verify_through_api, write_file,
};
use serde_json::{Value, json};

const CARDS: &str = "main li.project-card";
const CARD_TITLES: &str = "main li.project-card h3";
const SHOWN: &str = "main p.meta[role=status]";
const BALLOT_ITEMS: &str = "main form.ballot li.ballot-item";
const COUNTER: &str = "main .ballot-counter strong";
const COUNTER_REFUSAL: &str = "main .ballot-counter .field-error";
const BALLOT_ALERT: &str = "main form.ballot .ballot-bar .alert-error";
const BALLOT_SAVED: &str = "main form.ballot .ballot-bar .alert-ok";
const BALLOT_SAVE: &str = "main form.ballot button[type=submit]";
const VOTED: &str = "main #voted";
const VERIFY_HINT: &str = "main #verify-hint";
const STAFF_PANEL: &str = "main section.staff-panel";
const REVIEW_SEND: &str = "main section.staff-panel > form > button[type=submit]";
const FORM_SUBMIT: &str = "main form.form button[type=submit]";
const PREVIEWS: &str = "main form.form ul.previews li.preview";
const SUBMITTED: &str = "main section.card-ok";
const RESULT_ROWS: &str = "main ol.results li.result";
const FUNDED_LINE: &str = "main ol.results li.funded-line";

/// Residents who sign up to submit or vote, by name.
const NAMES: [&str; 6] = [
    "Марина Гончаренко",
    "Василь Бойко",
    "Наталія Савченко",
    "Ігор Руденко",
    "Людмила Поліщук",
    "Сергій Марченко",
];

fn budget_path() -> String {
    format!("/h/{KHERSON}/budget")
}

fn staff_budget_path() -> String {
    format!("/h/{KHERSON}/staff/budget")
}

fn cycle_path(id: &str) -> String {
    format!("/budget/{id}")
}

fn new_project_path(cycle: &str) -> String {
    format!("/budget/{cycle}/new")
}

fn vote_path(cycle: &str) -> String {
    format!("/budget/{cycle}/vote")
}

fn results_path(cycle: &str) -> String {
    format!("/budget/{cycle}/results")
}

fn project_path(id: &str) -> String {
    format!("/projects/{id}")
}

fn edit_path(id: &str) -> String {
    format!("/projects/{id}/edit")
}

/// Where the app keeps the draft of a new project in a cycle.
fn draft_key(cycle: &str) -> String {
    format!("hromada.project-draft.{cycle}")
}

/// A text without any whitespace: amounts are written with no-break spaces (`₴ 1 000`),
/// so texts with amounts are compared squashed.
fn squash(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

/// The JSON string of a value (`""` when it is not a string).
fn text_of(v: &Value) -> String {
    v.as_str().unwrap_or_default().to_owned()
}

/// The ids of a list of JSON objects.
fn ids_of(list: &Value) -> Vec<String> {
    list.as_array()
        .map(|l| l.iter().map(|x| text_of(&x["id"])).collect())
        .unwrap_or_default()
}

// ---------------------------------------------------------------------------------------
// Cycles and their phases
// ---------------------------------------------------------------------------------------

/// The phase a scenario puts a cycle in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum At {
    Submission,
    Review,
    Voting,
    Results,
}

impl At {
    fn code(self) -> &'static str {
        match self {
            Self::Submission => "submission",
            Self::Review => "review",
            Self::Voting => "voting",
            Self::Results => "results",
        }
    }

    /// The first day of each phase (submission, review, voting, results, implementation)
    /// in days from today in Kyiv. The current phase began at least a day ago and the next
    /// begins two days from now at the earliest, so that Kyiv's midnight passing during a
    /// scenario changes nothing.
    fn offsets(self) -> [i64; 5] {
        match self {
            Self::Submission => [-1, 2, 3, 4, 5],
            Self::Review => [-2, -1, 2, 3, 4],
            Self::Voting => [-3, -2, -1, 2, 3],
            Self::Results => [-4, -3, -2, -1, 2],
        }
    }
}

/// Today's date in Kyiv plus each of the offsets, as `YYYY-MM-DD`, by the browser's clock
/// (the server's: both run on this machine).
const KYIV_DATES_JS: &str = r#"
const offsets = arguments[0];
let parts = null;
for (const timeZone of ['Europe/Kyiv', 'Europe/Kiev']) {
  try {
    parts = new Intl.DateTimeFormat('en-CA', {timeZone, year: 'numeric', month: '2-digit', day: '2-digit'})
      .formatToParts(new Date());
    break;
  } catch (e) {}
}
const get = t => Number(parts.find(p => p.type === t).value);
const [y, m, d] = [get('year'), get('month'), get('day')];
return offsets.map(o => new Date(Date.UTC(y, m - 1, d + o)).toISOString().slice(0, 10));
"#;

/// The dates that put a cycle in the phase `at`, as the contract has them.
async fn dates_for(b: &Browser, at: At) -> Result<Value> {
    let v = b
        .client
        .execute(KYIV_DATES_JS, vec![json!(at.offsets())])
        .await?;
    let d: Vec<String> = v
        .as_array()
        .map(|l| l.iter().map(text_of).collect())
        .unwrap_or_default();
    ensure!(
        d.len() == 5 && d.iter().all(|x| x.len() == 10),
        "could not work out the dates in Kyiv: {v}"
    );
    Ok(json!({
        "submission": d[0], "review": d[1], "voting": d[2], "results": d[3],
        "implementation": d[4],
    }))
}

/// The year of today's date in Kyiv.
async fn kyiv_year(b: &Browser) -> Result<i64> {
    let dates = dates_for(b, At::Submission).await?;
    let review = text_of(&dates["review"]);
    review[..4]
        .parse()
        .map_err(|_| Failure(format!("not a date: {review}")))
}

/// "Choose up to `max`", optionally one per category.
fn choose(max: u32, one_per_category: bool) -> Value {
    json!({"kind": "choose", "max": max, "one_per_category": one_per_category})
}

/// "Fit the budget".
fn fit_budget() -> Value {
    json!({"kind": "fit_budget"})
}

/// Staff create a cycle of Херсонська громада in the phase `at`, through the API.
async fn create_cycle(
    staff: &Browser,
    title: &str,
    total: i64,
    rule: Value,
    at: At,
) -> Result<Value> {
    let draft = json!({
        "year": kyiv_year(staff).await?, "title": title, "total": total,
        "dates": dates_for(staff, at).await?, "rule": rule,
    });
    let r = api_with_headers(
        staff,
        "POST",
        &format!("/api/v1/hromadas/{KHERSON}/budget-cycles"),
        Some(draft),
        json!({"Idempotency-Key": format!("e2e-cycle-{}", unique())}),
    )
    .await?;
    ensure!(
        r.status == 201,
        "creating the cycle “{title}” answered {}: {}",
        r.status,
        r.short()
    );
    let c = r.json();
    ensure!(
        c["phase"] == json!(at.code()) && c["total"] == json!(total),
        "the new cycle is not in {} with {total}: {}",
        at.code(),
        r.short()
    );
    Ok(c)
}

/// Staff move a cycle to the phase `at` by changing its dates (its total and rule stay).
async fn move_cycle(staff: &Browser, cycle: &Value, at: At) -> Result<Value> {
    let id = text_of(&cycle["id"]);
    let draft = json!({
        "year": cycle["year"], "title": cycle["title"], "total": cycle["total"],
        "dates": dates_for(staff, at).await?, "rule": cycle["rule"],
    });
    let r = api(
        staff,
        "PUT",
        &format!("/api/v1/budget-cycles/{id}"),
        Some(draft),
    )
    .await?;
    ensure!(
        r.status == 200 && r.json()["phase"] == json!(at.code()),
        "moving the cycle {id} to {} answered {}: {}",
        at.code(),
        r.status,
        r.short()
    );
    Ok(r.json())
}

// ---------------------------------------------------------------------------------------
// Projects
// ---------------------------------------------------------------------------------------

/// A project as the API takes it: its cost in two lines that add up.
fn project_json(title: &str, category: &str, cost: i64) -> Value {
    let works = cost / 4;
    json!({
        "title": title,
        "description": format!(
            "{title}: облаштувати місце, яким користуватимуться мешканці щодня, з урахуванням \
             потреб людей з інвалідністю та батьків з дітьми."
        ),
        "category": category,
        "address": "м. Херсон, вул. Перекопська, 10",
        "cost_lines": [
            {"item": "Матеріали та обладнання", "amount": cost - works},
            {"item": "Роботи", "amount": works},
        ],
        "total": cost,
    })
}

/// Submits a project through the API as the person signed in to `author`; its id.
async fn submit_project(
    author: &Browser,
    cycle: &str,
    title: &str,
    category: &str,
    cost: i64,
) -> Result<String> {
    let r = post_project(author, cycle, project_json(title, category, cost)).await?;
    ensure!(
        r.status == 201 && r.json()["status"] == json!("submitted"),
        "submitting the project “{title}” answered {}: {}",
        r.status,
        r.short()
    );
    Ok(text_of(&r.json()["id"]))
}

async fn post_project(author: &Browser, cycle: &str, project: Value) -> Result<Reply> {
    api_with_headers(
        author,
        "POST",
        &format!("/api/v1/budget-cycles/{cycle}/projects"),
        Some(project),
        json!({"Idempotency-Key": format!("e2e-project-{}", unique())}),
    )
    .await
}

/// Staff review a project through the API with `decision` and check its new status.
async fn review(staff: &Browser, id: &str, decision: Value, status: &str) -> Result {
    let r = api(
        staff,
        "POST",
        &format!("/api/v1/budget-projects/{id}/review"),
        Some(decision.clone()),
    )
    .await?;
    ensure!(
        r.status == 200 && r.json()["status"] == json!(status),
        "reviewing {id} with {decision} answered {}: {}",
        r.status,
        r.short()
    );
    Ok(())
}

async fn accept_all(staff: &Browser, ids: &[&str]) -> Result {
    for id in ids {
        review(staff, id, json!({"decision": "accept"}), "accepted").await?;
    }
    Ok(())
}

/// A project as the person signed in to `b` sees it.
async fn project(b: &Browser, id: &str) -> Result<Value> {
    api_get(b, &format!("/api/v1/budget-projects/{id}")).await
}

// ---------------------------------------------------------------------------------------
// People and ballots
// ---------------------------------------------------------------------------------------

/// A new browser with a new resident of Херсонська громада signed up in it.
async fn resident(h: &Harness, label: &str, name: &str, mark: &str) -> Result<Browser> {
    let b = h.browser(label).await?;
    new_resident(&b, &format!("{label}.{mark}@example.com"), name).await?;
    Ok(b)
}

/// A new browser with a new resident whose residence `staff` verified.
async fn verified_voter(
    h: &Harness,
    staff: &Browser,
    label: &str,
    name: &str,
    mark: &str,
) -> Result<Browser> {
    let b = resident(h, label, name, mark).await?;
    verify_through_api(&b, staff).await?;
    Ok(b)
}

/// Sends a selection through the API, as the person signed in to `b`.
async fn put_ballot(b: &Browser, cycle: &str, ids: &[&str]) -> Result<Reply> {
    api(
        b,
        "PUT",
        &format!("/api/v1/budget-cycles/{cycle}/ballot"),
        Some(json!({"project_ids": ids})),
    )
    .await
}

/// Votes through the API; the vote must be saved.
async fn vote(b: &Browser, cycle: &str, ids: &[&str]) -> Result {
    let r = put_ballot(b, cycle, ids).await?;
    ensure!(
        r.status == 200,
        "voting for {ids:?} answered {}: {}",
        r.status,
        r.short()
    );
    Ok(())
}

/// The projects of the ballot of the person signed in to `b`, as the server has it.
async fn ballot_ids(b: &Browser, cycle: &str) -> Result<Vec<String>> {
    let v = api_get(b, &format!("/api/v1/budget-cycles/{cycle}/ballot")).await?;
    Ok(v["project_ids"]
        .as_array()
        .map(|l| l.iter().map(text_of).collect())
        .unwrap_or_default())
}

/// Fails unless the saved ballot holds exactly `ids` (in any order).
async fn ensure_ballot(b: &Browser, cycle: &str, ids: &[&str], when: &str) -> Result {
    let mut saved = ballot_ids(b, cycle).await?;
    saved.sort();
    let mut want: Vec<String> = ids.iter().map(|s| (*s).to_owned()).collect();
    want.sort();
    ensure!(
        saved == want,
        "{when}: the server has the ballot {saved:?}, expected {want:?}"
    );
    Ok(())
}

/// Counts the ballots the app sends from this page (`PUT …/ballot`), in
/// `window.__e2eBallotPuts`, until the page is loaded again.
const WATCH_BALLOT_PUTS_JS: &str = r#"
window.__e2eBallotPuts = 0;
const original = window.fetch;
window.fetch = function (input, init) {
  const method = ((init && init.method) || (input && input.method) || 'GET').toUpperCase();
  const url = typeof input === 'string' ? input : (input && input.url) || '';
  if (method === 'PUT' && url.includes('/ballot')) window.__e2eBallotPuts += 1;
  return original.apply(this, arguments);
};
"#;

async fn watch_ballot_puts(b: &Browser) -> Result {
    b.js(WATCH_BALLOT_PUTS_JS).await?;
    Ok(())
}

async fn ballot_puts(b: &Browser) -> Result<u64> {
    Ok(b.js("return window.__e2eBallotPuts;")
        .await?
        .as_u64()
        .unwrap_or(u64::MAX))
}

/// Opens the ballot of a cycle and waits until it lists the projects.
async fn open_ballot(b: &Browser, cycle: &str) -> Result {
    b.goto(&vote_path(cycle)).await?;
    b.wait_visible(BALLOT_ITEMS).await?;
    Ok(())
}

/// Whether the project's box on the ballot is ticked.
async fn picked(b: &Browser, id: &str) -> Result<bool> {
    Ok(b.wait(&format!("#pick-{id}"))
        .await?
        .prop("checked")
        .await?
        .as_deref()
        == Some("true"))
}

/// Ticks (`on`) or unticks a project on the ballot through its label, as a person does.
async fn set_pick(b: &Browser, id: &str, on: bool) -> Result {
    if picked(b, id).await? != on {
        b.click(&format!("main label[for='pick-{id}']")).await?;
    }
    b.poll(
        &format!(
            "#pick-{id} to be {}",
            if on { "ticked" } else { "unticked" }
        ),
        async || Ok((picked(b, id).await? == on).then_some(())),
    )
    .await
}

/// Waits until the ballot's counter reads `text` (compared without whitespace).
async fn wait_counter(b: &Browser, text: &str) -> Result {
    let want = squash(text);
    let mut last = String::new();
    b.poll(&format!("the counter to read “{text}”"), async || {
        last = b.text(COUNTER).await?;
        Ok((squash(&last) == want).then_some(()))
    })
    .await
    .map_err(|e| Failure(format!("{e}\n  the counter reads: “{last}”")))
}

/// Waits until the counter refuses the selection, and returns the refusal.
async fn counter_refusal(b: &Browser) -> Result<String> {
    b.poll("the counter to refuse the selection", async || {
        for el in b.client.find_all(Locator::Css(COUNTER_REFUSAL)).await? {
            let t = el.text().await?.trim().to_owned();
            if !t.is_empty() && el.is_displayed().await? {
                return Ok(Some(t));
            }
        }
        Ok(None)
    })
    .await
}

/// Fails when the counter refuses the selection.
async fn ensure_no_refusal(b: &Browser, when: &str) -> Result {
    let n = b.count(COUNTER_REFUSAL).await?;
    ensure!(
        n == 0,
        "{when}: the counter refuses the selection: {}",
        b.text(COUNTER_REFUSAL).await?
    );
    Ok(())
}

/// The projects the ballot marks as not fitting any more.
async fn not_fitting(b: &Browser, ids: &[&str]) -> Result<Vec<String>> {
    let mut out = vec![];
    for id in ids {
        let css = format!("main li.ballot-item:has(#pick-{id}) .no-fit");
        if b.count(&css).await? > 0 {
            out.push((*id).to_owned());
        }
    }
    Ok(out)
}

/// Waits until exactly `expected` of `ids` are marked as not fitting.
async fn wait_not_fitting(b: &Browser, ids: &[&str], expected: &[&str]) -> Result {
    let mut want: Vec<String> = expected.iter().map(|s| (*s).to_owned()).collect();
    want.sort();
    let mut last = vec![];
    b.poll(
        &format!("exactly {expected:?} to be marked as not fitting"),
        async || {
            let mut now = not_fitting(b, ids).await?;
            now.sort();
            let done = now == want;
            last = now;
            Ok(done.then_some(()))
        },
    )
    .await
    .map_err(|e| Failure(format!("{e}\n  marked: {last:?}")))
}

/// Presses "save" on a selection the rule forbids: the app must refuse it with an alert
/// and send nothing; the server must still have `saved`.
async fn ensure_save_refused(
    b: &Browser,
    cycle: &str,
    saved: &[&str],
    refusal: &str,
    what: &str,
) -> Result {
    let before = ballot_puts(b).await?;
    b.click(BALLOT_SAVE).await?;
    let alert = b.wait_visible(BALLOT_ALERT).await?.text().await?;
    ensure!(
        alert.trim() == refusal.trim(),
        "{what}: the form's alert says “{}”, the counter said “{refusal}”",
        alert.trim()
    );
    let after = ballot_puts(b).await?;
    ensure!(
        after == before,
        "{what}: the app sent the selection anyway ({} PUT …/ballot) instead of refusing it \
         before sending",
        after.wrapping_sub(before)
    );
    ensure_ballot(b, cycle, saved, what).await
}

/// Presses "save" on an allowed selection: the app says it is saved.
async fn save_ballot(b: &Browser) -> Result {
    let before = ballot_puts(b).await?;
    b.click(BALLOT_SAVE).await?;
    b.wait_visible(BALLOT_SAVED).await?;
    let after = ballot_puts(b).await?;
    ensure!(
        after == before + 1,
        "saving the vote sent {} PUT …/ballot, expected one (is the watch of the app's requests \
         still in place?)",
        after.wrapping_sub(before)
    );
    ensure!(
        b.count(BALLOT_ALERT).await? == 0,
        "the ballot shows an error after saving: {}",
        b.text(BALLOT_ALERT).await?
    );
    Ok(())
}

// ---------------------------------------------------------------------------------------
// Pages
// ---------------------------------------------------------------------------------------

/// The titles of the project cards shown now.
async fn card_titles(b: &Browser) -> Result<Vec<String>> {
    let mut out = vec![];
    for h3 in b.client.find_all(Locator::Css(CARD_TITLES)).await? {
        out.push(h3.text().await?.trim().to_owned());
    }
    Ok(out)
}

/// Waits until the cycle page lists exactly these titles, in this order.
async fn wait_cards(b: &Browser, titles: &[&str]) -> Result {
    let mut last = vec![];
    b.poll(&format!("the cards {titles:?}"), async || {
        let now = card_titles(b).await?;
        let done = now == titles;
        last = now;
        Ok(done.then_some(()))
    })
    .await
    .map_err(|e| Failure(format!("{e}\n  shown: {last:?}")))
}

/// Waits until the address is `path` with exactly the query parameters `params` (`k=v`),
/// in any order.
async fn wait_query(b: &Browser, path: &str, params: &[&str]) -> Result {
    let mut want: Vec<String> = params.iter().map(|s| (*s).to_owned()).collect();
    want.sort();
    b.poll(
        &format!("the address {path}?{}", params.join("&")),
        async || {
            let now = b.path_and_query().await?;
            let (p, q) = now.split_once('?').unwrap_or((now.as_str(), ""));
            let mut got: Vec<String> = q
                .split('&')
                .filter(|x| !x.is_empty())
                .map(str::to_owned)
                .collect();
            got.sort();
            Ok((p == path && got == want).then_some(()))
        },
    )
    .await
}

/// The rows of the results page in order: `F:<project id>` for a funded row, `N:<id>` for
/// one that is not, and `LINE` for the funding line.
const RESULTS_LAYOUT_JS: &str = r#"
return [...document.querySelectorAll('main ol.results > li')].map(li => {
  if (li.classList.contains('funded-line')) return 'LINE';
  const a = li.querySelector('a[href^="/projects/"]');
  const id = a ? a.getAttribute('href').slice('/projects/'.length) : '?';
  return (li.classList.contains('result-funded') ? 'F:' : 'N:') + id;
});
"#;

async fn results_layout(b: &Browser) -> Result<Vec<String>> {
    Ok(b.js(RESULTS_LAYOUT_JS)
        .await?
        .as_array()
        .map(|l| l.iter().map(text_of).collect())
        .unwrap_or_default())
}

/// The text of the results row of a project.
async fn result_row_text(b: &Browser, id: &str) -> Result<String> {
    b.text(&format!(
        "main ol.results li.result:has(a[href='/projects/{id}'])"
    ))
    .await
}

/// Fails unless a displayed image matching `css` has loaded (its pixels arrived).
async fn ensure_image_loaded(b: &Browser, css: &str, what: &str) -> Result {
    let el = b.wait_visible(css).await?;
    let arg = serde_json::to_value(&el)?;
    b.poll(&format!("{what} to load"), async || {
        let v = b
            .client
            .execute(
                "const i = arguments[0]; return i.complete && i.naturalWidth > 0;",
                vec![arg.clone()],
            )
            .await?;
        Ok((v.as_bool() == Some(true)).then_some(()))
    })
    .await
}

/// A small JPEG, written to a file for the browser to pick.
fn photo(dir: &TempDir, name: &str) -> Result<PathBuf> {
    write_file(dir, name, &from_hex(TINY_JPEG_HEX))
}

// ---------------------------------------------------------------------------------------
// Scenarios
// ---------------------------------------------------------------------------------------

/// Staff open a cycle from their budget page (one per category, up to 2). A resident
/// finds it on the budget's home and submits a project through the form: amounts that
/// cannot be read or are negative are refused beside their line and nothing is sent; what
/// was typed survives a reload; the total follows the lines as they are typed (`140.000`
/// reads as 140 000); the image is previewed and uploaded, the draft is gone once it is
/// sent. The server refuses lines that do not add up to the total or are negative with a
/// problem naming the field, and a guest does not see a project in review. Staff find the
/// project in the review queue and ask for changes from its page; the author's open page
/// shows it without a reload; the author changes a line and sends it back; staff put it
/// on the ballot, and the author's page and the public list show it; it can no longer be
/// changed by its author (409). Staff change its cost with a note, which the author's page
/// shows. Voting has not begun: the ballot says so.
#[tokio::test]
async fn a_resident_submits_a_project_and_staff_put_it_on_the_ballot() {
    scenario("budget-submit-review", async |h| {
        let mark = unique();
        let cycle_title = format!("Бюджет участі {mark}");
        let title = format!("Сквер біля школи № 3 ({mark})");
        let description = "Облаштувати сквер біля школи № 3: лавки, освітлення, доріжки та \
                           клумби, щоб діти й батьки мали де відпочити після уроків.";
        let address = "м. Херсон, вул. Шкільна, 3";
        let files = TempDir::new("hromada-e2e-budget");
        let image = photo(&files, "skver.jpg")?;

        // Staff open a cycle from their page, reached from the staff desk (and from the
        // budget's home).
        let staff = h.browser("staff").await?;
        sign_in(&staff, STAFF_EMAIL, DEMO_PASSWORD).await?;
        staff.goto(&budget_path()).await?;
        staff
            .wait_visible(&format!("main a[href='{}']", staff_budget_path()))
            .await?;
        staff.goto(&format!("/h/{KHERSON}/staff")).await?;
        staff
            .click(&format!("main a[href='{}']", staff_budget_path()))
            .await?;
        staff.wait_path(&staff_budget_path()).await?;
        staff.click_text("main button", "Новий конкурс").await?;
        let dates = dates_for(&staff, At::Submission).await?;
        let year = kyiv_year(&staff).await?;
        staff.replace("#f-new-year", &year.to_string()).await?;
        staff.replace("#f-new-title", &cycle_title).await?;
        staff.replace("#f-new-total", "1 000 000").await?;
        for phase in [
            "submission",
            "review",
            "voting",
            "results",
            "implementation",
        ] {
            staff
                .set_value(&format!("#f-new-{phase}"), &text_of(&dates[phase]))
                .await?;
        }
        staff.click("main label[for='f-new-rule-choose']").await?;
        staff.replace("#f-new-max", "2").await?;
        staff.click("main label[for='f-new-per-category']").await?;
        staff
            .click("main section[aria-labelledby=new-cycle-h] button[type=submit]")
            .await?;
        let link = staff.wait_text("main li.card h3 a", &cycle_title).await?;
        let href = link.attr("href").await?.unwrap_or_default();
        let cycle_id = href.trim_start_matches("/budget/").to_owned();
        ensure!(
            href.starts_with("/budget/") && !cycle_id.is_empty(),
            "the new cycle links to “{href}”"
        );
        let cycle = api_get(&staff, &format!("/api/v1/budget-cycles/{cycle_id}")).await?;
        ensure!(
            cycle["phase"] == json!("submission")
                && cycle["total"] == json!(1_000_000)
                && cycle["year"] == json!(year)
                && cycle["rule"] == choose(2, true)
                && cycle["dates"] == dates,
            "the cycle made in the form is not what was typed ({dates}): {cycle}"
        );

        // A resident finds it on the budget's home and opens the form from its page.
        let author = resident(h, "author", NAMES[0], &mark).await?;
        author.goto(&budget_path()).await?;
        author
            .click(&format!("main a[href='{}']", cycle_path(&cycle_id)))
            .await?;
        author.wait_path(&cycle_path(&cycle_id)).await?;
        author
            .click(&format!("main a[href='{}']", new_project_path(&cycle_id)))
            .await?;
        author.wait_path(&new_project_path(&cycle_id)).await?;
        author.type_into("#f-title", &title).await?;
        select(&author, "main form.form #f-category", "environment").await?;
        author.type_into("#f-address", address).await?;
        author.type_into("#f-description", description).await?;
        author.type_into("#f-line-0-item", "Лавки").await?;
        author.type_into("#f-line-0-amount", "шістдесят").await?;
        author.click_text("main button", "Додати рядок").await?;
        author.type_into("#f-line-1-item", "Освітлення").await?;
        author.type_into("#f-line-1-amount", "-140 000").await?;
        author.click(FORM_SUBMIT).await?;
        let unreadable = field_error(&author, "line-0-amount", None).await?;
        let negative = field_error(&author, "line-1-amount", None).await?;
        eprintln!("cost line errors: “{unreadable}”, “{negative}”");
        let mine = api_get(
            &author,
            &format!("/api/v1/budget-cycles/{cycle_id}/projects?mine=true"),
        )
        .await?;
        ensure!(
            mine.as_array().is_some_and(Vec::is_empty),
            "a project with bad cost lines was sent: {mine}"
        );
        ensure!(
            author.value("#f-line-1-amount").await? == "-140 000"
                && author.value("#f-title").await? == title,
            "the form lost what was typed after refusing it"
        );

        // What was typed is kept in the browser through a reload (the image is not).
        author.reload().await?;
        author.wait_visible("main form.form #f-title").await?;
        ensure!(
            author.value("#f-title").await? == title
                && author.value("main form.form #f-category").await? == "environment"
                && author.value("#f-description").await? == description
                && author.value("#f-line-1-item").await? == "Освітлення"
                && author.value("#f-line-1-amount").await? == "-140 000",
            "the draft did not come back after a reload"
        );

        // Corrected, the total follows the lines; `140.000` reads as 140 000.
        author.replace("#f-line-0-amount", "60 000").await?;
        author.replace("#f-line-1-amount", "140.000").await?;
        author
            .poll("the total to read ₴ 200 000", async || {
                let t = squash(&author.text("main .lines-total strong").await?);
                Ok((t == "₴200000").then_some(()))
            })
            .await?;
        let input = author.wait("main form.form #f-images").await?;
        input.send_keys(&image.display().to_string()).await?;
        author
            .poll("one image preview", async || {
                Ok((author.count(PREVIEWS).await? == 1).then_some(()))
            })
            .await?;
        author.click(FORM_SUBMIT).await?;
        author.wait_text(SUBMITTED, "Проєкт подано").await?;
        let href = author
            .attr(&format!("{SUBMITTED} a[href^='/projects/']"), "href")
            .await?
            .unwrap_or_default();
        let pid = href.trim_start_matches("/projects/").to_owned();
        ensure!(!pid.is_empty(), "the confirmation links to “{href}”");
        let draft = author
            .client
            .execute(
                "return localStorage.getItem(arguments[0]);",
                vec![json!(draft_key(&cycle_id))],
            )
            .await?;
        ensure!(
            draft.is_null(),
            "the draft is still kept after the project was sent: {draft}"
        );
        let p = project(&author, &pid).await?;
        let lines: Vec<(String, i64)> = p["cost_lines"]
            .as_array()
            .map(|l| {
                l.iter()
                    .map(|x| (text_of(&x["item"]), x["amount"].as_i64().unwrap_or(0)))
                    .collect()
            })
            .unwrap_or_default();
        ensure!(
            p["status"] == json!("submitted")
                && p["title"] == json!(title)
                && p["category"] == json!("environment")
                && p["address"] == json!(address)
                && p["cost"] == json!(200_000)
                && lines
                    == [
                        ("Лавки".to_owned(), 60_000),
                        ("Освітлення".to_owned(), 140_000)
                    ],
            "the project is not what was typed: {p}"
        );
        let images = p["images"].as_array().cloned().unwrap_or_default();
        ensure!(
            images.len() == 1,
            "the project has {} images, expected 1: {p}",
            images.len()
        );
        let (status, media_type, bytes) =
            fetch_bytes(&author, &text_of(&images[0]["thumbnail_url"])).await?;
        ensure!(
            status == 200
                && media_type.starts_with("image/jpeg")
                && bytes.starts_with(&[0xff, 0xd8]),
            "the image's thumbnail is served with {status} {media_type:?} ({} bytes)",
            bytes.len()
        );

        // The server refuses cost lines that do not add up, or are negative.
        let mut wrong_total = project_json(&title, "environment", 200_000);
        wrong_total["total"] = json!(199_999);
        let r = post_project(&author, &cycle_id, wrong_total).await?;
        ensure_field_code(
            &r,
            "total",
            "invalid",
            "cost lines that do not add up to the total",
        )?;
        let mut negative_line = project_json(&title, "environment", 200_000);
        negative_line["cost_lines"][1]["amount"] = json!(-50_000);
        negative_line["total"] = json!(150_000 - 50_000);
        let r = post_project(&author, &cycle_id, negative_line).await?;
        ensure_field_code(
            &r,
            "cost_lines[1].amount",
            "invalid",
            "a negative cost line",
        )?;

        // The author's page of the project, in review.
        author
            .click(&format!("{SUBMITTED} a[href='{}']", project_path(&pid)))
            .await?;
        author.wait_path(&project_path(&pid)).await?;
        author.wait_visible("main .badge.project-submitted").await?;
        author.wait_visible("main .alert-ok").await?;
        ensure!(
            author.count("main table.cost-table tbody tr").await? == 2,
            "the project's page does not show its two cost lines"
        );
        ensure!(
            squash(&author.text("main table.cost-table tfoot").await?).contains("₴200000"),
            "the cost table's total is not ₴ 200 000: {}",
            author.text("main table.cost-table tfoot").await?
        );
        ensure_image_loaded(&author, "main ul.gallery img", "the project's image").await?;
        mark_page(&author).await?;

        // Anyone else does not see a project in review.
        let guest = h.browser("guest").await?;
        guest.goto(&cycle_path(&cycle_id)).await?;
        let r = api(
            &guest,
            "GET",
            &format!("/api/v1/budget-projects/{pid}"),
            None,
        )
        .await?;
        ensure!(
            r.status == 404,
            "a guest gets {} for a project in review, expected 404",
            r.status
        );

        // Staff find it in the review queue and ask for changes.
        staff.goto(&staff_budget_path()).await?;
        staff
            .click(&format!(
                "main ul.review-queue li.project-card a[href='{}']",
                project_path(&pid)
            ))
            .await?;
        staff.wait_path(&project_path(&pid)).await?;
        staff.wait_visible(STAFF_PANEL).await?;
        staff.click("main label[for='f-review-changes']").await?;
        let note = "Уточніть кошторис освітлення: потрібно чотири ліхтарі, а не три.";
        staff.type_into("#f-review-note", note).await?;
        staff.click(REVIEW_SEND).await?;
        staff
            .wait_visible("main .badge.project-changes_requested")
            .await?;

        // The author's open page shows it; they change a line and send it back.
        author
            .wait_visible("main .badge.project-changes_requested")
            .await?;
        author.wait_text("main section.card-warn", note).await?;
        ensure_not_reloaded(&author, "the author").await?;
        author
            .click(&format!("main a[href='{}']", edit_path(&pid)))
            .await?;
        author.wait_path(&edit_path(&pid)).await?;
        ensure!(
            author.value("#f-line-1-amount").await? == "140000"
                && author.value("#f-title").await? == title,
            "the form of changes does not hold the project"
        );
        author.replace("#f-line-1-amount", "160 000").await?;
        author
            .poll("the total to read ₴ 220 000", async || {
                let t = squash(&author.text("main .lines-total strong").await?);
                Ok((t == "₴220000").then_some(()))
            })
            .await?;
        author.click(FORM_SUBMIT).await?;
        author.wait_path(&project_path(&pid)).await?;
        author.wait_visible("main .badge.project-submitted").await?;
        let p = project(&author, &pid).await?;
        ensure!(
            p["status"] == json!("submitted") && p["cost"] == json!(220_000),
            "the changed project is not back in review at ₴ 220 000: {p}"
        );
        mark_page(&author).await?;

        // Staff put it on the ballot; the author's page shows it.
        staff.reload().await?;
        staff.wait_visible("main .badge.project-submitted").await?;
        staff.click("main label[for='f-review-accept']").await?;
        staff.click(REVIEW_SEND).await?;
        staff.wait_visible("main .badge.project-accepted").await?;
        author.wait_visible("main .badge.project-accepted").await?;
        ensure_not_reloaded(&author, "the author").await?;
        let p = project(&guest, &pid).await?;
        ensure!(
            p["status"] == json!("accepted") && p["cost"] == json!(220_000),
            "the public does not see the accepted project at ₴ 220 000: {p}"
        );
        ensure!(
            author
                .count(&format!("main a[href='{}']", edit_path(&pid)))
                .await?
                == 0,
            "the author is still offered to change a project on the ballot"
        );
        let r = api(
            &author,
            "PUT",
            &format!("/api/v1/budget-projects/{pid}"),
            Some(project_json(&title, "environment", 300_000)),
        )
        .await?;
        ensure_refused(&r, &[409], "changing a project that is on the ballot")?;
        guest.reload().await?;
        wait_cards(&guest, &[&title]).await?;

        // Staff change its cost after review, with a note; the author's page shows both.
        staff
            .click("main section.staff-panel details.step-form > summary")
            .await?;
        staff.replace("#f-adjust-cost", "210 000").await?;
        let why = "Ліхтарі закупить громада за рамковою угодою, дешевше на 10 000 гривень.";
        staff.type_into("#f-adjust-note", why).await?;
        staff
            .click("main section.staff-panel details.step-form form button[type=submit]")
            .await?;
        staff.wait_text("main .card-warn", why).await?;
        author.wait_text("main .card-warn", why).await?;
        ensure!(
            squash(&author.text("main .card-warn").await?).contains("₴210000")
                && squash(&author.text("main dl.facts").await?).contains("₴210000"),
            "the author's page does not show the new cost ₴ 210 000: {}",
            author.text("main").await?
        );
        ensure_not_reloaded(&author, "the author").await?;
        let p = project(&guest, &pid).await?;
        ensure!(
            p["cost"] == json!(210_000)
                && p["original_cost"] == json!(220_000)
                && p["cost_note"] == json!(why),
            "after staff changed the cost the project is {p}"
        );

        // Voting has not begun: the ballot says so.
        author.goto(&vote_path(&cycle_id)).await?;
        author
            .wait_text("main .card", "Голосування триває з")
            .await?;
        Ok(())
    })
    .await;
}

/// "Choose up to 2, one per category". In review, submitting is closed (the form says so,
/// the server answers 409) and a verified resident's ballot says voting is not open yet
/// (409). Once voting opens the total and the rule are locked (409); the counter follows
/// the ticks, marks the projects that no longer fit, and refuses two in one category or a
/// third project, with an alert and nothing sent; the server refuses them too (422 naming
/// `project_ids` with the reason, also for a project twice or one not on the ballot). An
/// unverified resident is told how to get verified (403 from the server), a resident of
/// another hromada that only residents vote (403), a guest to sign in (401); the results
/// and the number of voters are not public yet. When voting has closed, a vote is refused
/// (409) and the page says voting is not open; the results rank the projects, fund down
/// the ranking skipping the one that does not fit in what is left, and draw the funding
/// line after the last funded project; the cycle page orders by votes; the project's page
/// shows its votes and place; staff download the CSV (a resident may not) and report the
/// progress of a funded project, which everyone then sees.
#[tokio::test]
async fn choose_up_to_n_one_per_category_and_the_results_draw_the_funding_line() {
    scenario("budget-choose", async |h| {
        let mark = unique();
        let staff = h.browser("staff").await?;
        sign_in(&staff, STAFF_EMAIL, DEMO_PASSWORD).await?;
        let cycle = create_cycle(
            &staff,
            &format!("Бюджет: до двох проєктів {mark}"),
            1_000_000,
            choose(2, true),
            At::Submission,
        )
        .await?;
        let cid = text_of(&cycle["id"]);
        let author = resident(h, "author", NAMES[0], &mark).await?;
        let titles = [
            format!("Стадіон школи № 5 ({mark})"),
            format!("Тренажери в парку ({mark})"),
            format!("Фестиваль вуличного театру ({mark})"),
            format!("Кабінет реабілітації ({mark})"),
            format!("Клумби на набережній ({mark})"),
        ];
        // A and B are both sport: only one of them may be chosen.
        let a = submit_project(&author, &cid, &titles[0], "sport", 600_000).await?;
        let b = submit_project(&author, &cid, &titles[1], "sport", 200_000).await?;
        let c = submit_project(&author, &cid, &titles[2], "culture", 500_000).await?;
        let d = submit_project(&author, &cid, &titles[3], "health", 300_000).await?;
        let e = submit_project(&author, &cid, &titles[4], "environment", 100_000).await?;
        let all = [a.as_str(), b.as_str(), c.as_str(), d.as_str(), e.as_str()];
        accept_all(&staff, &all).await?;
        let cycle = move_cycle(&staff, &cycle, At::Review).await?;

        // Submission has closed.
        author.goto(&new_project_path(&cid)).await?;
        author
            .wait_text("main .card", "Подання проєктів зараз не триває")
            .await?;
        ensure!(
            author.count("main #f-title").await? == 0,
            "the form of a new project is offered after submission closed"
        );
        let r = post_project(
            &author,
            &cid,
            project_json(&format!("Запізнілий проєкт ({mark})"), "other", 100_000),
        )
        .await?;
        ensure_refused(&r, &[409], "a project submitted during review")?;

        // Voting is not open yet.
        let voter = verified_voter(h, &staff, "voter", NAMES[1], &mark).await?;
        voter.goto(&vote_path(&cid)).await?;
        voter
            .wait_text("main .card", "Голосування триває з")
            .await?;
        ensure!(
            voter.count("main form.ballot").await? == 0,
            "the ballot is offered before voting opens"
        );
        let r = put_ballot(&voter, &cid, &[&a]).await?;
        ensure_refused(&r, &[409], "a vote before voting opens")?;

        let cycle = move_cycle(&staff, &cycle, At::Voting).await?;
        // The total and the rule are locked now; the dates are not.
        let mut changed = cycle.clone();
        changed["total"] = json!(2_000_000);
        let r = api(
            &staff,
            "PUT",
            &format!("/api/v1/budget-cycles/{cid}"),
            Some(json!({
                "year": changed["year"], "title": changed["title"], "total": changed["total"],
                "dates": changed["dates"], "rule": changed["rule"],
            })),
        )
        .await?;
        ensure_refused(&r, &[409], "a new total once voting has begun")?;
        let r = api(
            &staff,
            "PUT",
            &format!("/api/v1/budget-cycles/{cid}"),
            Some(json!({
                "year": cycle["year"], "title": cycle["title"], "total": cycle["total"],
                "dates": cycle["dates"], "rule": choose(3, false),
            })),
        )
        .await?;
        ensure_refused(&r, &[409], "a new rule once voting has begun")?;
        open_ballot(&voter, &cid).await?;
        ensure!(
            voter.count(BALLOT_ITEMS).await? == 5,
            "the ballot lists {} projects, expected the 5 accepted ones",
            voter.count(BALLOT_ITEMS).await?
        );
        ensure!(
            voter.count(VOTED).await? == 0,
            "the ballot says the person voted before they did"
        );
        watch_ballot_puts(&voter).await?;
        wait_counter(&voter, "Обрано 0 з 2").await?;
        set_pick(&voter, &a, true).await?;
        wait_counter(&voter, "Обрано 1 з 2").await?;
        wait_not_fitting(&voter, &all, &[&b]).await?;

        // Two in one category.
        set_pick(&voter, &b, true).await?;
        let refusal = counter_refusal(&voter).await?;
        ensure!(
            refusal.contains("Спорт") && refusal.contains("лише один"),
            "the counter's refusal of two sport projects reads “{refusal}”"
        );
        ensure_save_refused(&voter, &cid, &[], &refusal, "two projects in one category").await?;

        // A third project.
        set_pick(&voter, &b, false).await?;
        set_pick(&voter, &c, true).await?;
        wait_counter(&voter, "Обрано 2 з 2").await?;
        ensure_no_refusal(&voter, "A and C chosen").await?;
        wait_not_fitting(&voter, &all, &[&b, &d, &e]).await?;
        set_pick(&voter, &d, true).await?;
        let refusal = counter_refusal(&voter).await?;
        ensure!(
            refusal.contains("не більше ніж 2"),
            "the counter's refusal of a third project reads “{refusal}”"
        );
        ensure_save_refused(&voter, &cid, &[], &refusal, "three projects of two").await?;

        // An allowed selection is saved.
        set_pick(&voter, &d, false).await?;
        ensure_no_refusal(&voter, "A and C chosen again").await?;
        save_ballot(&voter).await?;
        voter.wait_visible(VOTED).await?;
        ensure_ballot(&voter, &cid, &[&a, &c], "after saving A and C").await?;
        voter.reload().await?;
        voter.wait_visible(BALLOT_ITEMS).await?;
        wait_counter(&voter, "Обрано 2 з 2").await?;
        for (id, on) in [
            (&a, true),
            (&b, false),
            (&c, true),
            (&d, false),
            (&e, false),
        ] {
            ensure!(
                picked(&voter, id).await? == on,
                "after a reload #pick-{id} is {}ticked",
                if on { "not " } else { "" }
            );
        }

        // The server refuses what the rule forbids, naming why.
        let r = put_ballot(&voter, &cid, &[&a, &c, &d]).await?;
        ensure_field_code(&r, "project_ids", "too_many", "three projects of two")?;
        let r = put_ballot(&voter, &cid, &[&a, &b]).await?;
        ensure_field_code(&r, "project_ids", "same_category", "two sport projects")?;
        let r = put_ballot(&voter, &cid, &[&a, &a]).await?;
        ensure_field_code(&r, "project_ids", "invalid", "one project twice")?;
        let r = put_ballot(&voter, &cid, &[&a, "01JZZZZZZZZZZZZZZZZZZZZZZZ"]).await?;
        ensure_field_code(&r, "project_ids", "invalid", "a project not on the ballot")?;
        ensure_ballot(&voter, &cid, &[&a, &c], "after the refused ballots").await?;

        // An unverified resident is told how to get verified; a guest to sign in.
        author.goto(&vote_path(&cid)).await?;
        author.wait_visible(VERIFY_HINT).await?;
        ensure!(
            author.count("main form.ballot").await? == 0,
            "an unverified resident is offered the ballot"
        );
        let r = put_ballot(&author, &cid, &[&a]).await?;
        ensure_refused(&r, &[403], "a vote by an unverified resident")?;
        author
            .click(&format!("{VERIFY_HINT} a[href='/account']"))
            .await?;
        author.wait_path("/account").await?;
        let guest = h.browser("guest").await?;
        guest.goto(&vote_path(&cid)).await?;
        guest
            .wait_visible(&format!("main a[href^='/signin?next='][href*='{}']", cid))
            .await?;
        let r = put_ballot(&guest, &cid, &[&a]).await?;
        ensure_refused(&r, &[401], "a vote by a guest")?;

        // A resident of another hromada may not vote here.
        let far = h.browser("far").await?;
        far.goto("/").await?;
        register_api(
            &far,
            &format!("far.{mark}@example.com"),
            NAMES[4],
            "с. Чернове, вул. Центральна, 1",
            OTHER_HROMADA,
        )
        .await?;
        far.goto(&vote_path(&cid)).await?;
        far.wait_text("main .card", "лише мешканці цієї громади")
            .await?;
        let r = put_ballot(&far, &cid, &[&a]).await?;
        ensure_refused(&r, &[403], "a vote by a resident of another hromada")?;

        // While voting goes on, the results and the number of voters are not public.
        guest.goto(&results_path(&cid)).await?;
        guest
            .wait_text("main .card", "Підсумки з’являться, коли голосування закриється")
            .await?;
        let r = api(
            &guest,
            "GET",
            &format!("/api/v1/budget-cycles/{cid}/results"),
            None,
        )
        .await?;
        ensure_refused(&r, &[409], "the results during voting")?;
        let now = api_get(&guest, &format!("/api/v1/budget-cycles/{cid}")).await?;
        ensure!(
            now["voters"].is_null(),
            "the number of voters is public during voting: {now}"
        );

        // Two more verified residents vote.
        let second = verified_voter(h, &staff, "second", NAMES[2], &mark).await?;
        vote(&second, &cid, &[&a, &c]).await?;
        let third = verified_voter(h, &staff, "third", NAMES[3], &mark).await?;
        vote(&third, &cid, &[&a, &d]).await?;

        // Voting closes.
        move_cycle(&staff, &cycle, At::Results).await?;
        let r = put_ballot(&voter, &cid, &[&a]).await?;
        ensure_refused(&r, &[409], "a vote after voting closed")?;
        voter.goto(&vote_path(&cid)).await?;
        voter
            .wait_text("main .card", "Голосування триває з")
            .await?;
        ensure!(
            voter.count("main form.ballot").await? == 0,
            "the ballot is offered after voting closed"
        );

        // A 3, C 2, D 1, B and E none: A (600 000) is funded, C (500 000) does not fit in
        // the 400 000 left, D (300 000) does; projects without votes are never funded.
        let results = api_get(&guest, &format!("/api/v1/budget-cycles/{cid}/results")).await?;
        let rows: Vec<(String, u64, bool)> = results["rows"]
            .as_array()
            .map(|l| {
                l.iter()
                    .map(|r| {
                        (
                            text_of(&r["project"]["id"]),
                            r["votes"].as_u64().unwrap_or(0),
                            r["funded"] == json!(true),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default();
        ensure!(
            results["voters"] == json!(3) && results["funded_cost"] == json!(900_000),
            "the results count {} voters and fund {}, expected 3 and 900 000",
            results["voters"],
            results["funded_cost"]
        );
        let top: Vec<(String, u64, bool)> = rows.iter().take(3).cloned().collect();
        ensure!(
            top == [
                (a.clone(), 3, true),
                (c.clone(), 2, false),
                (d.clone(), 1, true)
            ] && rows.len() == 5
                && rows[3..].iter().all(|(_, v, f)| *v == 0 && !f),
            "the results rank {rows:?}; expected A 3 funded, C 2 not funded, D 1 funded, then \
             B and E without votes"
        );

        guest.goto(&results_path(&cid)).await?;
        guest.wait_visible(FUNDED_LINE).await?;
        let layout = results_layout(&guest).await?;
        let want = [
            format!("F:{a}"),
            format!("N:{c}"),
            format!("F:{d}"),
            "LINE".to_owned(),
        ];
        ensure!(
            layout.len() == 6
                && layout[..4] == want
                && layout[4..].iter().all(|x| x.starts_with("N:")),
            "the results page shows {layout:?}; expected A funded, C not, D funded, the \
             funding line, then B and E"
        );
        let c_row = squash(&result_row_text(&guest, &c).await?);
        ensure!(
            c_row.contains("₴400000") && c_row.contains("Голосів:2"),
            "C's row does not say it had 2 votes and did not fit in the ₴ 400 000 left: {c_row}"
        );
        let line = squash(&guest.text(FUNDED_LINE).await?);
        ensure!(
            line.contains("₴900000") && line.contains("₴1000000"),
            "the funding line does not say ₴ 900 000 of ₴ 1 000 000: {line}"
        );
        let facts = squash(&guest.text("main dl.facts").await?);
        ensure!(
            facts.contains("Профінансовано₴900000") && facts.contains("Проголосували3"),
            "the results' summary does not show ₴ 900 000 funded: {facts}"
        );
        ensure!(
            guest.count(RESULT_ROWS).await? == 5,
            "the results page lists {} projects, expected 5",
            guest.count(RESULT_ROWS).await?
        );

        // Once voting has closed the cycle page orders by votes and shows them.
        guest.goto(&cycle_path(&cid)).await?;
        select(&guest, "#f-sort", "votes").await?;
        wait_query(&guest, &cycle_path(&cid), &["sort=votes"]).await?;
        let (ta, tc, td) = (titles[0].as_str(), titles[2].as_str(), titles[3].as_str());
        guest
            .poll("the cards ordered by votes: A, C, D first", async || {
                let now = card_titles(&guest).await?;
                Ok((now.len() == 5 && now[..3] == [ta, tc, td]).then_some(()))
            })
            .await?;
        let a_card = squash(
            &guest
                .text(&format!(
                    "main li.project-card:has(a[href='{}'])",
                    project_path(&a)
                ))
                .await?,
        );
        ensure!(
            a_card.contains("Голосів:3") && a_card.contains("Фінансується"),
            "A's card does not show its 3 votes and that it is funded: {a_card}"
        );
        guest.goto(&project_path(&a)).await?;
        let facts = squash(&guest.text("main dl.facts").await?);
        ensure!(
            facts.contains("Голосів3") && facts.contains("Місцеврейтингу1"),
            "A's page does not show 3 votes and the 1st place: {facts}"
        );
        guest.wait_visible("main .badge.badge-ok").await?;

        // Staff download the results as a spreadsheet; a resident may not.
        let (status, media_type, bytes) =
            fetch_bytes(&staff, &format!("/api/v1/budget-cycles/{cid}/results.csv")).await?;
        let csv = String::from_utf8_lossy(&bytes).to_string();
        ensure!(
            status == 200
                && media_type.starts_with("text/csv")
                && bytes.starts_with(&[0xef, 0xbb, 0xbf])
                && csv.lines().filter(|l| !l.trim().is_empty()).count() == 6
                && csv.contains(&titles[0]),
            "the results' CSV is {status} {media_type:?}, {} bytes: {csv}",
            bytes.len()
        );
        let r = api(
            &voter,
            "GET",
            &format!("/api/v1/budget-cycles/{cid}/results.csv"),
            None,
        )
        .await?;
        ensure_refused(&r, &[403], "the CSV for a resident")?;

        // Staff report the progress of a funded project; everyone sees it.
        staff.goto(&project_path(&a)).await?;
        staff.wait_visible(STAFF_PANEL).await?;
        staff.replace("#f-progress", "40").await?;
        staff.click_text("main button", "Додати етап").await?;
        staff
            .type_into("#f-ms-0-title", "Закупівля покриття для стадіону")
            .await?;
        let when = text_of(&dates_for(&staff, At::Voting).await?["results"]);
        staff.set_value("#f-ms-0-date", &when).await?;
        staff.click("main label[for='f-ms-0-done']").await?;
        staff
            .click("main section.staff-panel form button[type=submit]")
            .await?;
        staff
            .wait_text("main section[aria-labelledby=impl-h]", "Закупівля покриття")
            .await?;
        let p = project(&guest, &a).await?;
        ensure!(
            p["progress"] == json!(40)
                && p["milestones"]
                    == json!([{"title": "Закупівля покриття для стадіону", "date": when, "done": true}]),
            "after staff reported progress the project is {p}"
        );
        guest.reload().await?;
        let progress = squash(&guest.text("main section[aria-labelledby=impl-h]").await?);
        ensure!(
            progress.contains("Виконано:40%") && progress.contains("Закупівляпокриттядлястадіону"),
            "the public page of A does not show 40 % and the milestone: {progress}"
        );
        Ok(())
    })
    .await;
}

/// "Fit the budget": the counter shows what is left of the total as projects are ticked,
/// marks the projects that no longer fit, and refuses a selection over the total with an
/// alert and nothing sent; the server refuses it too (422, `over_budget`) and takes one
/// that uses exactly the whole total. The counter speaks English when the app does.
/// Unticking everything and saving withdraws the vote.
#[tokio::test]
async fn fit_the_budget() {
    scenario("budget-fit", async |h| {
        let mark = unique();
        let staff = h.browser("staff").await?;
        sign_in(&staff, STAFF_EMAIL, DEMO_PASSWORD).await?;
        let cycle = create_cycle(
            &staff,
            &format!("Бюджет: вкластися в суму {mark}"),
            1_000_000,
            fit_budget(),
            At::Submission,
        )
        .await?;
        let cid = text_of(&cycle["id"]);
        let author = resident(h, "author", NAMES[0], &mark).await?;
        let p400 = submit_project(
            &author,
            &cid,
            &format!("Інклюзивний клас ({mark})"),
            "education",
            400_000,
        )
        .await?;
        let p500 = submit_project(
            &author,
            &cid,
            &format!("Зупинка з навісом ({mark})"),
            "transport",
            500_000,
        )
        .await?;
        let p300 = submit_project(
            &author,
            &cid,
            &format!("Денний центр для літніх ({mark})"),
            "social",
            300_000,
        )
        .await?;
        let p700 = submit_project(
            &author,
            &cid,
            &format!("Літня сцена ({mark})"),
            "culture",
            700_000,
        )
        .await?;
        let all = [p400.as_str(), p500.as_str(), p300.as_str(), p700.as_str()];
        accept_all(&staff, &all).await?;
        move_cycle(&staff, &cycle, At::Voting).await?;

        let voter = verified_voter(h, &staff, "voter", NAMES[1], &mark).await?;
        open_ballot(&voter, &cid).await?;
        watch_ballot_puts(&voter).await?;
        wait_counter(&voter, "Залишилось ₴ 1 000 000 з ₴ 1 000 000").await?;
        wait_not_fitting(&voter, &all, &[]).await?;
        set_pick(&voter, &p400, true).await?;
        wait_counter(&voter, "Залишилось ₴ 600 000 з ₴ 1 000 000").await?;
        wait_not_fitting(&voter, &all, &[&p700]).await?;
        set_pick(&voter, &p500, true).await?;
        wait_counter(&voter, "Залишилось ₴ 100 000 з ₴ 1 000 000").await?;
        wait_not_fitting(&voter, &all, &[&p300, &p700]).await?;
        ensure_no_refusal(&voter, "₴ 900 000 chosen").await?;

        // Over the total by ₴ 200 000.
        set_pick(&voter, &p300, true).await?;
        wait_counter(&voter, "Перевищено на ₴ 200 000 (бюджет ₴ 1 000 000)").await?;
        let refusal = counter_refusal(&voter).await?;
        ensure!(
            squash(&refusal).contains("₴200000"),
            "the counter's refusal of ₴ 1 200 000 does not say by how much: “{refusal}”"
        );
        ensure_save_refused(&voter, &cid, &[], &refusal, "a selection over the total").await?;
        let r = put_ballot(&voter, &cid, &[&p400, &p500, &p300]).await?;
        ensure_field_code(
            &r,
            "project_ids",
            "over_budget",
            "a selection over the total",
        )?;

        set_pick(&voter, &p300, false).await?;
        wait_counter(&voter, "Залишилось ₴ 100 000 з ₴ 1 000 000").await?;
        save_ballot(&voter).await?;
        ensure_ballot(&voter, &cid, &[&p400, &p500], "after saving").await?;

        // Exactly the whole total fits.
        vote(&voter, &cid, &[&p700, &p300]).await?;
        ensure_ballot(
            &voter,
            &cid,
            &[&p700, &p300],
            "after voting for ₴ 1 000 000",
        )
        .await?;
        voter.reload().await?;
        voter.wait_visible(BALLOT_ITEMS).await?;
        wait_counter(&voter, "Залишилось ₴ 0 з ₴ 1 000 000").await?;
        set_language(&voter, "en").await?;
        wait_counter(&voter, "₴ 0 of ₴ 1 000 000 left").await?;
        set_pick(&voter, &p700, false).await?;
        wait_counter(&voter, "₴ 700 000 of ₴ 1 000 000 left").await?;

        // Unticking everything withdraws the vote.
        watch_ballot_puts(&voter).await?;
        set_pick(&voter, &p300, false).await?;
        voter
            .wait_exact_text(BALLOT_SAVE, "Withdraw my vote")
            .await?;
        save_ballot(&voter).await?;
        voter
            .wait_text(BALLOT_SAVED, "Your vote is withdrawn.")
            .await?;
        voter.wait_gone(VOTED).await?;
        ensure_ballot(&voter, &cid, &[], "after withdrawing").await?;
        Ok(())
    })
    .await;
}

/// Two sessions of one verified resident (two browsers) vote at once, many times, with
/// first ballots racing each other: every request is answered (never a server error), a
/// selection over the rule is refused, and the ballot that stays is one of the selections
/// sent, never more than the rule allows. A tab left open with an old selection replaces
/// the ballot rather than adding to it. When voting closes the person counts once.
#[tokio::test]
async fn two_sessions_of_one_person_never_exceed_the_rule() {
    scenario("budget-two-sessions", async |h| {
        let mark = unique();
        let staff = h.browser("staff").await?;
        sign_in(&staff, STAFF_EMAIL, DEMO_PASSWORD).await?;
        let cycle = create_cycle(
            &staff,
            &format!("Бюджет: дві вкладки {mark}"),
            5_000_000,
            choose(2, false),
            At::Submission,
        )
        .await?;
        let cid = text_of(&cycle["id"]);
        let author = resident(h, "author", NAMES[0], &mark).await?;
        let mut ids = vec![];
        for (i, category) in [
            "sport",
            "culture",
            "health",
            "education",
            "transport",
            "other",
        ]
        .iter()
        .enumerate()
        {
            let title = format!("Проєкт {} ({mark})", i + 1);
            ids.push(
                submit_project(&author, &cid, &title, category, 100_000 * (i as i64 + 1)).await?,
            );
        }
        let id: Vec<&str> = ids.iter().map(String::as_str).collect();
        accept_all(&staff, &id).await?;
        let cycle = move_cycle(&staff, &cycle, At::Voting).await?;

        let email = format!("voter.{mark}@example.com");
        let one = h.browser("session-1").await?;
        new_resident(&one, &email, NAMES[1]).await?;
        verify_through_api(&one, &staff).await?;
        let two = h.browser("session-2").await?;
        two.goto("/").await?;
        api_sign_in(&two, &email, GOOD_PASSWORD).await?;

        // Each session sends seven selections at the same moment as the other.
        let pairs = |offset: usize| -> Vec<Vec<&str>> {
            (0..6)
                .map(|i| vec![id[(i + offset) % 6], id[(i + offset + 1) % 6]])
                .chain(std::iter::once(vec![id[0], id[2], id[4]]))
                .collect()
        };
        let (sent_one, sent_two) = (pairs(0), pairs(3));
        let start = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_millis())
            + 700;
        let path = format!("/api/v1/budget-cycles/{cid}/ballot");
        let (r1, r2) = tokio::join!(
            one.client.execute(
                RACE_JS,
                vec![json!(path), json!(sent_one), json!(start as u64)]
            ),
            two.client.execute(
                RACE_JS,
                vec![json!(path), json!(sent_two), json!(start as u64)]
            ),
        );
        let mut problems = vec![];
        for (session, replies, sent) in [(1, r1?, &sent_one), (2, r2?, &sent_two)] {
            let replies = replies.as_array().cloned().unwrap_or_default();
            ensure!(
                replies.len() == sent.len(),
                "session {session} got {} replies to {} requests",
                replies.len(),
                sent.len()
            );
            for (selection, v) in sent.iter().zip(&replies) {
                let r = reply_of(v)?;
                let ok = if selection.len() > 2 {
                    ensure_field_code(&r, "project_ids", "too_many", "three at once").is_ok()
                } else {
                    r.status == 200
                };
                if !ok {
                    problems.push(format!(
                        "session {session}, {} projects: {} {}",
                        selection.len(),
                        r.status,
                        r.short()
                    ));
                }
            }
        }
        ensure!(
            problems.is_empty(),
            "votes sent at once from two sessions were not all answered as they should be:\n  {}",
            problems.join("\n  ")
        );
        let mut saved = ballot_ids(&one, &cid).await?;
        saved.sort();
        let allowed: Vec<Vec<String>> = sent_one
            .iter()
            .chain(&sent_two)
            .filter(|s| s.len() == 2)
            .map(|s| {
                let mut v: Vec<String> = s.iter().map(|x| (*x).to_owned()).collect();
                v.sort();
                v
            })
            .collect();
        ensure!(
            allowed.contains(&saved),
            "after votes at once from two sessions the ballot is {saved:?}: not one of the \
             selections sent (the rule allows 2)"
        );
        let other_view = ballot_ids(&two, &cid).await?;
        ensure!(
            other_view.len() == 2,
            "the second session sees a ballot of {other_view:?}"
        );

        // A tab left open with an old selection replaces the ballot, never adds to it.
        vote(&one, &cid, &[]).await?;
        ensure_ballot(&one, &cid, &[], "after withdrawing").await?;
        open_ballot(&one, &cid).await?;
        open_ballot(&two, &cid).await?;
        watch_ballot_puts(&one).await?;
        watch_ballot_puts(&two).await?;
        set_pick(&one, id[0], true).await?;
        set_pick(&one, id[1], true).await?;
        save_ballot(&one).await?;
        set_pick(&two, id[2], true).await?;
        set_pick(&two, id[3], true).await?;
        wait_counter(&two, "Обрано 2 з 2").await?;
        save_ballot(&two).await?;
        ensure_ballot(&one, &cid, &[id[2], id[3]], "after the older tab saved").await?;
        one.reload().await?;
        one.wait_visible(BALLOT_ITEMS).await?;
        wait_counter(&one, "Обрано 2 з 2").await?;
        for (i, on) in [(0, false), (1, false), (2, true), (3, true)] {
            ensure!(
                picked(&one, id[i]).await? == on,
                "after a reload the first tab shows project {} {}ticked",
                i + 1,
                if on { "not " } else { "" }
            );
        }

        // The person counts once, with two votes.
        move_cycle(&staff, &cycle, At::Results).await?;
        let results = api_get(&one, &format!("/api/v1/budget-cycles/{cid}/results")).await?;
        let votes: u64 = results["rows"]
            .as_array()
            .map(|l| l.iter().filter_map(|r| r["votes"].as_u64()).sum())
            .unwrap_or(0);
        ensure!(
            results["voters"] == json!(1) && votes == 2,
            "one person voting from two sessions counts as {} voters with {votes} votes, \
             expected 1 with 2",
            results["voters"]
        );
        Ok(())
    })
    .await;
}

/// Many selections sent at once, starting together at a moment (milliseconds since the
/// epoch): every reply.
const RACE_JS: &str = r#"
const [path, selections, at] = arguments;
const put = ids => fetch(path, {method: 'PUT', credentials: 'same-origin',
    headers: {'X-Hromada-Client': 'web', 'Accept': 'application/json', 'Content-Type': 'application/json'},
    body: JSON.stringify({project_ids: ids})})
  .then(async r => ({status: r.status, type: r.headers.get('content-type') || '', text: await r.text()}))
  .catch(e => ({error: String(e)}));
return new Promise(r => setTimeout(r, Math.max(0, at - Date.now())))
  .then(() => Promise.all(selections.map(put)));
"#;

/// The cycle page: the public sees the accepted and rejected projects (and an author also
/// their own in review); the category, state and order filters narrow and order the list
/// and are kept in the URL, which works when shared and survives a reload; "only my
/// projects" shows the reader's own whatever their state; staff may filter by the review
/// states too.
#[tokio::test]
async fn the_cycle_page_filters_and_keeps_the_filters_in_the_url() {
    scenario("budget-filters", async |h| {
        let mark = unique();
        let staff = h.browser("staff").await?;
        sign_in(&staff, STAFF_EMAIL, DEMO_PASSWORD).await?;
        let cycle = create_cycle(
            &staff,
            &format!("Бюджет: фільтри {mark}"),
            2_000_000,
            choose(3, false),
            At::Submission,
        )
        .await?;
        let cid = text_of(&cycle["id"]);
        let author = resident(h, "author", NAMES[0], &mark).await?;
        let [s1, s2, c1, h1] = [
            format!("Баскетбольний майданчик ({mark})"),
            format!("Вуличні тренажери ({mark})"),
            format!("Кіноклуб у бібліотеці ({mark})"),
            format!("Автомобіль для амбулаторії ({mark})"),
        ];
        let s1_id = submit_project(&author, &cid, &s1, "sport", 300_000).await?;
        let s2_id = submit_project(&author, &cid, &s2, "sport", 100_000).await?;
        let c1_id = submit_project(&author, &cid, &c1, "culture", 200_000).await?;
        let h1_id = submit_project(&author, &cid, &h1, "health", 900_000).await?;
        accept_all(&staff, &[&s1_id, &s2_id, &c1_id]).await?;
        review(
            &staff,
            &h1_id,
            json!({"decision": "reject", "reason": "Закупівля автомобілів не належить до громадського бюджету."}),
            "rejected",
        )
        .await?;
        let viewer = resident(h, "viewer", NAMES[1], &mark).await?;
        let m1 = format!("Шахові столи у сквері ({mark})");
        let m1_id = submit_project(&viewer, &cid, &m1, "education", 150_000).await?;
        move_cycle(&staff, &cycle, At::Review).await?;

        // Newest first: the author of one in review sees it among the public ones.
        viewer.goto(&cycle_path(&cid)).await?;
        wait_cards(&viewer, &[&m1, &h1, &c1, &s2, &s1]).await?;
        ensure!(
            squash(&viewer.text(SHOWN).await?) == "Показанопроєктів:5",
            "the list says “{}” with 5 projects shown",
            viewer.text(SHOWN).await?
        );
        viewer
            .wait_visible(&format!(
                "main li.project-card:has(a[href='{}']) .badge.project-submitted",
                project_path(&m1_id)
            ))
            .await?;
        let mine = ids_of(
            &api_get(
                &viewer,
                &format!("/api/v1/budget-cycles/{cid}/projects?mine=true"),
            )
            .await?,
        );
        ensure!(
            mine == [m1_id.clone()],
            "“only mine” of the API lists {mine:?}, expected the viewer's one project"
        );
        let path = cycle_path(&cid);
        select(&viewer, "#f-category", "sport").await?;
        wait_query(&viewer, &path, &["sort=newest", "category=sport"]).await?;
        wait_cards(&viewer, &[&s2, &s1]).await?;
        select(&viewer, "#f-sort", "cost_desc").await?;
        wait_query(&viewer, &path, &["sort=cost_desc", "category=sport"]).await?;
        wait_cards(&viewer, &[&s1, &s2]).await?;
        select(&viewer, "#f-sort", "cost_asc").await?;
        wait_query(&viewer, &path, &["sort=cost_asc", "category=sport"]).await?;
        wait_cards(&viewer, &[&s2, &s1]).await?;
        viewer.reload().await?;
        wait_cards(&viewer, &[&s2, &s1]).await?;
        ensure!(
            viewer.value("#f-category").await? == "sport"
                && viewer.value("#f-sort").await? == "cost_asc",
            "after a reload the filters show {:?} and {:?}",
            viewer.value("#f-category").await?,
            viewer.value("#f-sort").await?
        );
        select(&viewer, "#f-category", "").await?;
        select(&viewer, "#f-status", "rejected").await?;
        wait_query(&viewer, &path, &["sort=cost_asc", "status=rejected"]).await?;
        wait_cards(&viewer, &[&h1]).await?;
        viewer.wait_visible("main li.project-card .badge.project-rejected").await?;
        let options: Vec<String> = {
            let mut out = vec![];
            for o in viewer
                .client
                .find_all(Locator::Css("#f-status option"))
                .await?
            {
                out.push(o.attr("value").await?.unwrap_or_default());
            }
            out
        };
        ensure!(
            options == ["", "accepted", "rejected"],
            "a resident may filter by the states {options:?}, expected only the public ones"
        );
        select(&viewer, "#f-status", "").await?;
        viewer.click("main label[for='f-mine']").await?;
        wait_query(&viewer, &path, &["sort=cost_asc", "mine=true"]).await?;
        wait_cards(&viewer, &[&m1]).await?;

        // A shared address opens with its filters; a guest has no "only mine".
        let guest = h.browser("guest").await?;
        guest
            .goto(&format!("{path}?sort=cost_desc&category=sport"))
            .await?;
        wait_cards(&guest, &[&s1, &s2]).await?;
        ensure!(
            guest.value("#f-category").await? == "sport"
                && guest.value("#f-sort").await? == "cost_desc"
                && guest.count("#f-mine").await? == 0,
            "a shared address does not open with its filters (or offers a guest “only mine”)"
        );

        // Staff filter by the review states too.
        staff.goto(&format!("{path}?sort=newest&status=accepted")).await?;
        wait_cards(&staff, &[&c1, &s2, &s1]).await?;
        let mut staff_options = vec![];
        for o in staff
            .client
            .find_all(Locator::Css("#f-status option"))
            .await?
        {
            staff_options.push(o.attr("value").await?.unwrap_or_default());
        }
        ensure!(
            staff_options == ["", "submitted", "changes_requested", "accepted", "rejected"],
            "staff may filter by the states {staff_options:?}"
        );
        select(&staff, "#f-status", "submitted").await?;
        wait_cards(&staff, &[&m1]).await?;
        Ok(())
    })
    .await;
}

// ---------------------------------------------------------------------------------------
// The pages on a phone, and screenshots
// ---------------------------------------------------------------------------------------

/// What the tour of the pages visits: the demo's cycles and a cycle of its own in
/// submission with a project of the demo resident in review.
struct Tour {
    resident: Browser,
    verified: Browser,
    staff: Browser,
    /// The demo's cycle in voting.
    voting: String,
    /// The demo's cycle with results (in results or implementation).
    closed: String,
    /// A funded project of that cycle.
    funded: String,
    /// A cycle in submission, and the demo resident's project in it.
    open: String,
    mine: String,
}

async fn tour_setup(h: &Harness) -> Result<Tour> {
    let staff = h.browser("tour-staff").await?;
    sign_in(&staff, STAFF_EMAIL, DEMO_PASSWORD).await?;
    let resident = h.browser("tour-resident").await?;
    sign_in(&resident, RESIDENT_EMAIL, DEMO_PASSWORD).await?;
    let verified = h.browser("tour-verified").await?;
    sign_in(&verified, VERIFIED_EMAIL, DEMO_PASSWORD).await?;
    let cycles = api_get(&staff, &format!("/api/v1/hromadas/{KHERSON}/budget-cycles")).await?;
    let list = cycles.as_array().cloned().unwrap_or_default();
    let find = |phases: &[&str]| {
        list.iter()
            .find(|c| phases.iter().any(|p| c["phase"] == json!(p)))
            .map(|c| text_of(&c["id"]))
            .ok_or_else(|| {
                Failure(format!(
                    "the demo has no budget cycle in {phases:?} in Херсонська громада: {cycles}"
                ))
            })
    };
    let voting = find(&["voting"])?;
    let closed = find(&["implementation", "results"])?;
    let results = api_get(&staff, &format!("/api/v1/budget-cycles/{closed}/results")).await?;
    let funded = results["rows"]
        .as_array()
        .and_then(|l| l.iter().find(|r| r["funded"] == json!(true)))
        .map(|r| text_of(&r["project"]["id"]))
        .ok_or_else(|| Failure(format!("the demo's closed cycle funds nothing: {results}")))?;
    // A cycle of an earlier year, so that the demo's stays the current one.
    let draft = json!({
        "year": 2024, "title": "Громадський бюджет: додатковий конкурс",
        "total": 500_000, "dates": dates_for(&staff, At::Submission).await?,
        "rule": choose(3, false),
    });
    let r = api(
        &staff,
        "POST",
        &format!("/api/v1/hromadas/{KHERSON}/budget-cycles"),
        Some(draft),
    )
    .await?;
    ensure!(
        r.status == 201,
        "creating a cycle answered {}: {}",
        r.status,
        r.short()
    );
    let open = text_of(&r.json()["id"]);
    let mine = submit_project(
        &resident,
        &open,
        "Дитячий майданчик на вулиці Соборній",
        "social",
        245_000,
    )
    .await?;
    Ok(Tour {
        resident,
        verified,
        staff,
        voting,
        closed,
        funded,
        open,
        mine,
    })
}

/// Notes what of the page is wider than the screen, and saves its screenshot (when
/// screenshots are wanted).
async fn look(b: &Browser, lang: &str, size: &str, page: &str, wide: &mut Vec<String>) -> Result {
    let w = b.too_wide().await?;
    if !w.is_empty() {
        wide.push(format!("{page} ({lang}, {size}): {}", w.join("; ")));
    }
    b.screenshot(&format!("budget-{lang}-{size}-{page}")).await
}

/// Visits every budget page in the language the browsers use now, at their current size:
/// collects what is wider than the screen, and saves a screenshot of each page named
/// `budget-{lang}-{size}-{page}` (when screenshots are wanted).
async fn tour(t: &Tour, lang: &str, size: &str) -> Result<Vec<String>> {
    let mut wide = vec![];
    // (who, where, ready when, page, what to show in the screenshot)
    let pages: [(&Browser, String, &str, &str); 9] = [
        (&t.resident, budget_path(), "main section.cycle", "home"),
        (&t.resident, cycle_path(&t.voting), CARDS, "cycle-filters"),
        (
            &t.resident,
            project_path(&t.funded),
            "main table.cost-table",
            "project-funded",
        ),
        (
            &t.resident,
            vote_path(&t.voting),
            VERIFY_HINT,
            "vote-unverified",
        ),
        (
            &t.resident,
            edit_path(&t.mine),
            "main form.form #f-line-0-amount",
            "project-edit",
        ),
        (&t.resident, results_path(&t.closed), FUNDED_LINE, "results"),
        (
            &t.resident,
            project_path(&t.mine),
            "main table.cost-table",
            "project-mine",
        ),
        (
            &t.staff,
            staff_budget_path(),
            "main ul.review-queue li.project-card",
            "staff",
        ),
        (
            &t.staff,
            project_path(&t.mine),
            STAFF_PANEL,
            "staff-project",
        ),
    ];
    for (b, path, ready, page) in &pages {
        b.go_in_app(path).await?;
        b.wait_visible(ready).await?;
        // The screenshot shows the part the page is about: the filters, the funding line,
        // the staff's steps; the top of the others.
        let show = match *page {
            "cycle-filters" => Some("main .filters"),
            "results" | "staff-project" => Some(*ready),
            _ => None,
        };
        match show {
            Some(css) => {
                let arg = serde_json::to_value(&b.wait_visible(css).await?)?;
                b.client
                    .execute("arguments[0].scrollIntoView({block: 'center'});", vec![arg])
                    .await?;
            }
            None => {
                b.js("window.scrollTo(0, 0);").await?;
            }
        }
        look(b, lang, size, page, &mut wide).await?;
    }
    // The form of a new project, empty and with every error shown.
    t.resident.go_in_app(&new_project_path(&t.open)).await?;
    t.resident.wait_visible("main form.form #f-title").await?;
    look(&t.resident, lang, size, "new-project", &mut wide).await?;
    t.resident.click(FORM_SUBMIT).await?;
    error_text(&t.resident, "title", None).await?;
    error_text(&t.resident, "line-0-amount", None).await?;
    look(&t.resident, lang, size, "new-project-errors", &mut wide).await?;
    // The ballot with two projects ticked and its counter.
    t.verified.go_in_app(&vote_path(&t.voting)).await?;
    t.verified.wait_visible(BALLOT_ITEMS).await?;
    let boxes = t
        .verified
        .client
        .find_all(Locator::Css("main li.ballot-item input[type=checkbox]"))
        .await?;
    let mut first = vec![];
    for el in boxes.iter().take(2) {
        first.push(el.attr("id").await?.unwrap_or_default());
    }
    for id in &first {
        set_pick(&t.verified, id.trim_start_matches("pick-"), true).await?;
    }
    wait_counter(
        &t.verified,
        if lang == "uk" {
            "Обрано 2 з 3"
        } else {
            "2 of 3 chosen"
        },
    )
    .await?;
    // The counter stays in sight while projects are ticked (the bar sticks to the bottom).
    let in_view = t
        .verified
        .js(
            "const r = document.querySelector('main .ballot-counter').getBoundingClientRect(); \
             return r.top >= 0 && r.bottom <= window.innerHeight;",
        )
        .await?;
    if in_view.as_bool() != Some(true) {
        wide.push(format!(
            "ballot ({lang}, {size}): the counter is out of sight while ticking projects"
        ));
    }
    look(&t.verified, lang, size, "ballot", &mut wide).await?;
    // The staff's form of a new cycle.
    t.staff.go_in_app(&staff_budget_path()).await?;
    t.staff.wait_visible("main ul.review-queue").await?;
    let new_cycle = if lang == "uk" {
        "Новий конкурс"
    } else {
        "New budget"
    };
    t.staff.click_text("main button", new_cycle).await?;
    t.staff.wait_visible("#f-new-title").await?;
    look(&t.staff, lang, size, "staff-new-cycle", &mut wide).await?;
    Ok(wide)
}

/// On a 360×640 phone, in Ukrainian and in English, no budget page is wider than the
/// screen: the budget's home, a cycle with its filters, a funded project, a project in
/// review, its form of changes, the ballot with its counter, the hint to get verified,
/// the form of a new project (also with its errors), the results with the funding line,
/// and for staff their page, a new cycle's form and a project with the staff's steps.
#[tokio::test]
async fn budget_pages_fit_a_phone_screen() {
    scenario("budget-phone-width", async |h| {
        let t = tour_setup(h).await?;
        let mut wide = vec![];
        for lang in ["uk", "en"] {
            for b in [&t.resident, &t.verified, &t.staff] {
                b.phone().await?;
                set_language(b, lang).await?;
            }
            wide.extend(tour(&t, lang, "phone").await?);
        }
        ensure!(
            wide.is_empty(),
            "budget pages that do not fit a 360 px phone screen:\n  {}",
            wide.join("\n  ")
        );
        Ok(())
    })
    .await;
}

/// Screenshots of the budget pages at 360×640 and 1280×800 in both languages, for a person
/// to look at; runs only with `HROMADA_SCREENSHOTS=1` (see `scripts/screenshots.sh`).
#[tokio::test]
async fn screenshots_of_the_budget_pages() {
    if !hromada_e2e::screenshots_wanted() {
        eprintln!("skipped: set HROMADA_SCREENSHOTS=1 to take the screenshots");
        return;
    }
    scenario("budget-screenshots", async |h| {
        let t = tour_setup(h).await?;
        for lang in ["uk", "en"] {
            for (size, dims) in [("desktop", DESKTOP), ("phone", PHONE)] {
                for b in [&t.resident, &t.verified, &t.staff] {
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
fn the_phases_leave_a_day_on_either_side_of_today() {
    for at in [At::Submission, At::Review, At::Voting, At::Results] {
        let o = at.offsets();
        assert!(o.windows(2).all(|w| w[0] < w[1]), "{at:?}: {o:?}");
        let current = o.iter().rposition(|d| *d <= -1).expect("a phase has begun");
        assert!(o[current + 1..].iter().all(|d| *d >= 2), "{at:?}: {o:?}");
        let names = [
            "submission",
            "review",
            "voting",
            "results",
            "implementation",
        ];
        assert_eq!(names[current], at.code());
    }
    assert_eq!(squash("₴\u{a0}1\u{202f}000\u{202f}000"), "₴1000000");
}
