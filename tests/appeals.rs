//! End-to-end tests of appeals to the hromada's authority (issue 4): a resident sends an
//! appeal with a photo and follows it, live, to the official answer and rates it; an appeal
//! is private until its author makes it public; bad input is shown beside its field with
//! nothing typed and no photo lost; the staff's inbox sorts and counts; the pages fit a
//! phone.
//!
//! Like `e2e.rs` and `news.rs`, each scenario has a server, a database, a chromedriver and
//! browsers of its own. Build first (`make test` does it all), then:
//! `cargo test -p hromada-e2e --test appeals -- --test-threads=1`.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use hromada_e2e::{
    ADMIN_EMAIL, Browser, DEMO_PASSWORD, DESKTOP, Element, Failure, GOOD_PASSWORD, KHERSON,
    Locator, OTHER_HROMADA, PHONE, Part, RESIDENT_EMAIL, Reply, Result, STAFF_EMAIL, STAFF_NAME,
    TINY_JPEG_HEX, TempDir, api, api_get, api_multipart, api_sign_in, api_sign_out,
    api_with_headers, ensure, ensure_live, ensure_not_reloaded, ensure_problem, error_text,
    fetch_bytes, field_error, from_hex, has_class, mark_page, register_api, scenario, select,
    set_language, settled_unread, sign_in, unique, wait_bell, write_file,
};
use serde_json::{Value, json};

/// The contact details of the demo resident's profile.
const RESIDENT_NAME: &str = "Олена Коваленко";
const RESIDENT_ADDRESS: &str = "вул. Соборна, 12, кв. 5, м. Херсон";

/// The limits the law and the contract set.
const TEXT_MAX: usize = 4_000;
const PHOTOS_MAX: usize = 5;
const PHOTO_MAX_BYTES: usize = 10 * 1024 * 1024;
const DAY_MS: i64 = 86_400_000;

const ROWS: &str = "main li.appeal-row";
const TIMELINE: &str = "main ol.timeline li.step";
const PREVIEWS: &str = "form.appeal-form ul.previews li.preview";
const STAFF_PANEL: &str = "main section.staff-panel";
const SENT: &str = "main section.card-ok";
const NOTIFICATIONS: &str = "main li.notification";

fn new_appeal_path() -> String {
    format!("/h/{KHERSON}/appeals/new")
}

fn public_path() -> String {
    format!("/h/{KHERSON}/appeals")
}

fn inbox_path() -> String {
    format!("/h/{KHERSON}/staff/appeals")
}

fn categories_path() -> String {
    format!("/h/{KHERSON}/staff/appeals/categories")
}

fn appeal_path(id: &str) -> String {
    format!("/appeals/{id}")
}

/// Where the app keeps the draft of an appeal to Херсонська громада.
fn draft_key() -> String {
    format!("hromada.appeal-draft.{KHERSON}")
}

// ---------------------------------------------------------------------------------------
// Test files: a small JPEG that carries the place it was taken, and others
// ---------------------------------------------------------------------------------------

/// What the photo's EXIF says about where the person lives: the server must drop it.
const EXIF_SECRET: &str = "E2E home of the author: 46.6354N 32.6164E";

/// A PDF, as little of one as the server recognises.
const PDF: &[u8] = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n\
    2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n";

fn to_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// An EXIF APP1 segment as a phone's camera writes one: a description and a GPS position
/// (46°38′7.4″ N, 32°36′59″ E, in Kherson), big-endian TIFF.
fn exif_segment() -> Vec<u8> {
    fn entry(t: &mut Vec<u8>, tag: u16, kind: u16, count: u32, value: [u8; 4]) {
        t.extend(tag.to_be_bytes());
        t.extend(kind.to_be_bytes());
        t.extend(count.to_be_bytes());
        t.extend(value);
    }
    const ASCII: u16 = 2;
    const BYTE: u16 = 1;
    const LONG: u16 = 4;
    const RATIONAL: u16 = 5;
    let mut desc = EXIF_SECRET.as_bytes().to_vec();
    desc.push(0);
    if desc.len() % 2 == 1 {
        desc.push(0);
    }
    // IFD0 at 8: two entries; then the description; then the GPS IFD and its rationals.
    let ifd0_len = 2 + 2 * 12 + 4;
    let desc_at = 8 + ifd0_len;
    let gps_at = desc_at + desc.len() as u32;
    let gps_len = 2 + 5 * 12 + 4;
    let lat_at = gps_at + gps_len;
    let lon_at = lat_at + 24;
    let mut t = Vec::new();
    t.extend(b"MM\0\x2a");
    t.extend(8u32.to_be_bytes());
    t.extend(2u16.to_be_bytes());
    entry(
        &mut t,
        0x010e,
        ASCII,
        EXIF_SECRET.len() as u32 + 1,
        desc_at.to_be_bytes(),
    );
    entry(&mut t, 0x8825, LONG, 1, gps_at.to_be_bytes());
    t.extend(0u32.to_be_bytes());
    t.extend(&desc);
    t.extend(5u16.to_be_bytes());
    entry(&mut t, 0x0000, BYTE, 4, [2, 3, 0, 0]);
    entry(&mut t, 0x0001, ASCII, 2, *b"N\0\0\0");
    entry(&mut t, 0x0002, RATIONAL, 3, lat_at.to_be_bytes());
    entry(&mut t, 0x0003, ASCII, 2, *b"E\0\0\0");
    entry(&mut t, 0x0004, RATIONAL, 3, lon_at.to_be_bytes());
    t.extend(0u32.to_be_bytes());
    for (num, den) in [
        (46u32, 1u32),
        (38, 1),
        (740, 100),
        (32, 1),
        (36, 1),
        (5900, 100),
    ] {
        t.extend(num.to_be_bytes());
        t.extend(den.to_be_bytes());
    }
    let len = u16::try_from(2 + 6 + t.len()).expect("a small segment");
    let mut seg = vec![0xff, 0xe1];
    seg.extend(len.to_be_bytes());
    seg.extend(b"Exif\0\0");
    seg.extend(t);
    seg
}

/// The small JPEG with the EXIF segment right after its start-of-image marker.
fn jpeg_with_gps() -> Vec<u8> {
    let jpeg = from_hex(TINY_JPEG_HEX);
    let mut out = jpeg[..2].to_vec();
    out.extend(exif_segment());
    out.extend(&jpeg[2..]);
    out
}

/// The markers of the segments before the image data (SOS) of a JPEG.
fn jpeg_segments(bytes: &[u8]) -> Vec<u8> {
    let mut out = vec![];
    let mut i = 2;
    while i + 4 <= bytes.len() && bytes[i] == 0xff {
        let marker = bytes[i + 1];
        out.push(marker);
        if marker == 0xda {
            break;
        }
        let len = usize::from(u16::from_be_bytes([bytes[i + 2], bytes[i + 3]]));
        i += 2 + len;
    }
    out
}

/// A file of `size` bytes that starts like a JPEG.
fn write_big_jpeg(dir: &TempDir, name: &str, size: usize) -> Result<PathBuf> {
    let mut big = vec![0u8; size];
    big[..4].copy_from_slice(&[0xff, 0xd8, 0xff, 0xe0]);
    write_file(dir, name, &big)
}

// ---------------------------------------------------------------------------------------
// Dates
// ---------------------------------------------------------------------------------------

/// Milliseconds since the epoch of an RFC 3339 time in UTC (`2026-11-23T17:05:00.000Z`).
fn epoch_ms(s: &str) -> Option<i64> {
    let (date, time) = s.split_once('T')?;
    let mut d = date.split('-').map(|x| x.parse::<i64>().ok());
    let (y, m, day) = (d.next()??, d.next()??, d.next()??);
    let time = time.strip_suffix('Z')?;
    let (hms, frac) = time.split_once('.').unwrap_or((time, "0"));
    let mut t = hms.split(':').map(|x| x.parse::<i64>().ok());
    let (hh, mm, ss) = (t.next()??, t.next()??, t.next()??);
    let ms: i64 = format!("{frac:0<3}")[..3].parse().ok()?;
    // Days from the civil date (Howard Hinnant's algorithm).
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + day - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    let days = era * 146_097 + doe - 719_468;
    Some(((days * 24 + hh) * 60 + mm) * 60_000 + ss * 1000 + ms)
}

/// The whole term of an appeal in days, from its JSON: `due_at - registered_at`.
fn term_of(appeal: &Value) -> Option<i64> {
    let reg = epoch_ms(appeal["registered_at"].as_str()?)?;
    let due = epoch_ms(appeal["due_at"].as_str()?)?;
    ((due - reg) % DAY_MS == 0).then_some((due - reg) / DAY_MS)
}

/// Whether `s` looks like an official registration number: `ЗВ-2026-000123`.
fn is_registration_number(s: &str) -> bool {
    let Some(rest) = s.strip_prefix("ЗВ-") else {
        return false;
    };
    let parts: Vec<&str> = rest.split('-').collect();
    parts.len() == 2
        && parts[0].len() == 4
        && parts[1].len() == 6
        && parts.iter().all(|p| p.chars().all(|c| c.is_ascii_digit()))
}

// ---------------------------------------------------------------------------------------
// The API, called from inside a browser with its session cookie
// ---------------------------------------------------------------------------------------

/// A new appeal with photos, as multipart, the way the app sends one.
async fn post_appeal_with_photos(
    b: &Browser,
    appeal: &Value,
    photos: &[Part<'_>],
) -> Result<Reply> {
    let path = format!("/api/v1/hromadas/{KHERSON}/appeals");
    api_multipart(b, &path, "appeal", appeal, "photos", photos).await
}

/// Signs up a new person through the API, in this browser (which is then signed in as
/// them), and restarts the app so that it knows.
async fn register(
    b: &Browser,
    email: &str,
    full_name: &str,
    address: &str,
    hromada: &str,
) -> Result {
    b.goto("/").await?;
    register_api(b, email, full_name, address, hromada).await?;
    Ok(())
}

// ---------------------------------------------------------------------------------------
// Steps shared by the scenarios
// ---------------------------------------------------------------------------------------

/// The texts of the options of the select matching `css`, once it has more than `at_least`.
async fn option_texts(b: &Browser, css: &str, at_least: usize) -> Result<Vec<String>> {
    b.poll(
        &format!("`{css}` to offer more than {at_least} options"),
        async || {
            let mut out = vec![];
            for o in b
                .client
                .find_all(Locator::Css(&format!("{css} option")))
                .await?
            {
                out.push(o.text().await?.trim().to_owned());
            }
            Ok((out.len() > at_least).then_some(out))
        },
    )
    .await
}

/// Keeps what the app writes to the console as errors (a Rust panic among them), for
/// [`app_errors`]; until the page is loaded again.
async fn watch_errors(b: &Browser) -> Result {
    b.js("window.__e2eErrors = [];\n\
          const original = console.error;\n\
          console.error = (...a) => { window.__e2eErrors.push(a.map(String).join(' ').slice(0, 300)); original(...a); };\n\
          window.addEventListener('error', ev => window.__e2eErrors.push(`uncaught: ${ev.message}`));")
        .await?;
    Ok(())
}

/// The errors the app wrote to the console since [`watch_errors`].
async fn app_errors(b: &Browser) -> Result<Vec<String>> {
    let v = b.js("return window.__e2eErrors || [];").await?;
    Ok(v.as_array()
        .map(|l| {
            l.iter()
                .filter_map(|x| x.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default())
}

/// The first category of Херсонська громада's list: (id, name).
async fn first_category(b: &Browser) -> Result<(String, String)> {
    let list = api_get(b, &format!("/api/v1/hromadas/{KHERSON}/appeal-categories")).await?;
    let first = list
        .as_array()
        .and_then(|l| l.iter().find(|c| c["archived"] != json!(true)))
        .ok_or_else(|| {
            Failure(format!(
                "Херсонська громада has no appeal categories: {list}"
            ))
        })?;
    Ok((
        first["id"].as_str().unwrap_or_default().to_owned(),
        first["name"].as_str().unwrap_or_default().to_owned(),
    ))
}

/// What a resident writes.
struct AppealInput {
    kind: &'static str,
    subject: String,
    text: String,
    location: String,
}

impl AppealInput {
    fn new(mark: &str) -> Self {
        Self {
            kind: "complaint",
            subject: format!("Яма на вулиці Соборній {mark}"),
            text: format!(
                "Біля будинку № 12 на вулиці Соборній яма глибиною 20 см.\n\
                 Прошу відремонтувати дорогу до зими. ({mark})"
            ),
            location: "вул. Соборна, 12, біля зупинки".into(),
        }
    }

    /// The same appeal as the API takes it, from the demo resident.
    fn json(&self, category_id: &str) -> Value {
        json!({
            "kind": self.kind, "category_id": category_id, "subject": self.subject,
            "text": self.text, "location": self.location, "full_name": RESIDENT_NAME,
            "address": RESIDENT_ADDRESS, "email": RESIDENT_EMAIL, "public": false,
        })
    }
}

/// Opens the form of a new appeal and waits until its categories have loaded.
async fn open_form(b: &Browser) -> Result {
    b.goto(&new_appeal_path()).await?;
    b.wait_visible("form.appeal-form #f-subject").await?;
    option_texts(b, "#f-category_id", 1).await?;
    Ok(())
}

/// Fills in the appeal (not its contact details, which come from the profile).
async fn fill_form(b: &Browser, a: &AppealInput, category_id: &str) -> Result {
    b.click(&format!("label[for=f-kind-{}]", a.kind)).await?;
    select(b, "#f-category_id", category_id).await?;
    b.type_into("#f-subject", &a.subject).await?;
    b.type_into("#f-text", &a.text).await?;
    b.type_into("#f-location", &a.location).await?;
    Ok(())
}

/// Picks files with the form's (visually hidden) photo input, as a person does through
/// its label.
async fn add_photos(b: &Browser, paths: &[&Path]) -> Result {
    let input = b.wait("form.appeal-form #f-photos").await?;
    let list: Vec<String> = paths.iter().map(|p| p.display().to_string()).collect();
    input.send_keys(&list.join("\n")).await?;
    Ok(())
}

/// Waits until the form shows exactly `n` photo previews.
async fn wait_previews(b: &Browser, n: usize) -> Result {
    b.poll(&format!("{n} photo previews"), async || {
        Ok((b.count(PREVIEWS).await? == n).then_some(()))
    })
    .await
}

/// Removes the last photo with its own button.
async fn remove_last_photo(b: &Browser) -> Result {
    let n = b.count(PREVIEWS).await?;
    b.click(&format!("{PREVIEWS}:last-child button")).await?;
    wait_previews(b, n - 1).await
}

async fn submit_appeal(b: &Browser) -> Result {
    b.click("form.appeal-form button[type=submit]").await
}

/// A registered appeal, as the confirmation shows it.
struct Sent {
    id: String,
    number: String,
}

/// Waits for the confirmation of a sent appeal and reads its number and link.
async fn sent(b: &Browser) -> Result<Sent> {
    let number = b
        .text(&format!("{SENT} .appeal-number"))
        .await?
        .trim()
        .to_owned();
    ensure!(
        is_registration_number(&number),
        "the registration number reads “{number}”, expected one like ЗВ-2026-000123"
    );
    let href = b
        .attr(&format!("{SENT} a[href^='/appeals/']"), "href")
        .await?
        .unwrap_or_default();
    let id = href.trim_start_matches("/appeals/").to_owned();
    ensure!(!id.is_empty(), "the confirmation links to “{href}”");
    Ok(Sent { id, number })
}

/// The draft the app keeps in this browser, if any.
async fn draft(b: &Browser) -> Result<Option<Value>> {
    let v = b
        .client
        .execute(
            "return localStorage.getItem(arguments[0]);",
            vec![json!(draft_key())],
        )
        .await?;
    Ok(v.as_str()
        .map(|s| serde_json::from_str(s).unwrap_or(Value::Null)))
}

/// Fails when any of these fields shows an error.
async fn ensure_no_errors(b: &Browser, fields: &[&str], why: &str) -> Result {
    for field in fields {
        let text = b.text(&format!("#f-{field}-error")).await?;
        ensure!(
            text.trim().is_empty(),
            "#f-{field}-error shows “{}” although {why}",
            text.trim()
        );
    }
    Ok(())
}

/// Fails unless each input holds what was typed into it.
async fn ensure_kept(b: &Browser, fields: &[(&str, &str)]) -> Result {
    for (css, typed) in fields {
        let value = b.value(css).await?;
        ensure!(
            value == *typed,
            "{css} holds {value:?}, expected what was typed: {typed:?}"
        );
    }
    Ok(())
}

/// Fails unless the form still holds everything of `a` (kind, category, subject, text,
/// location) and the contact details.
async fn ensure_form_kept(b: &Browser, a: &AppealInput, category_id: &str, when: &str) -> Result {
    ensure_kept(
        b,
        &[
            ("#f-category_id", category_id),
            ("#f-subject", &a.subject),
            ("#f-text", &a.text),
            ("#f-location", &a.location),
            ("#f-full_name", RESIDENT_NAME),
            ("#f-address", RESIDENT_ADDRESS),
            ("#f-email", RESIDENT_EMAIL),
        ],
    )
    .await
    .map_err(|e| Failure(format!("{when}: {e}")))?;
    let checked = b
        .wait(&format!("#f-kind-{}", a.kind))
        .await?
        .prop("checked")
        .await?;
    ensure!(
        checked.as_deref() == Some("true"),
        "{when}: the type “{}” is no longer chosen",
        a.kind
    );
    ensure!(
        b.count(SENT).await? == 0,
        "{when}: the form says the appeal was registered"
    );
    Ok(())
}

/// The staff panel's step form that holds `field` (`#f-assignee`, `#f-term_days`…).
fn step_form(field: &str) -> String {
    format!("{STAFF_PANEL} details.step-form:has({field})")
}

/// Opens a staff step's form (a `<details>`) unless it is open.
async fn open_step(b: &Browser, form: &str) -> Result {
    let is_open = async || -> Result<bool> {
        Ok(b.wait(form).await?.prop("open").await?.as_deref() == Some("true"))
    };
    if !is_open().await? {
        b.click(&format!("{form} > summary")).await?;
    }
    b.poll(&format!("`{form}` to open"), async || {
        Ok(is_open().await?.then_some(()))
    })
    .await
}

/// The elements whose id is not unique on the page, as `#id ×n`.
async fn duplicate_ids(b: &Browser) -> Result<Vec<String>> {
    let v = b
        .js(r#"
const seen = new Map();
for (const el of document.querySelectorAll('[id]')) seen.set(el.id, (seen.get(el.id) || 0) + 1);
return [...seen].filter(([, n]) => n > 1).map(([id, n]) => `#${id} ×${n}`);
"#)
        .await?;
    Ok(v.as_array()
        .map(|l| {
            l.iter()
                .filter_map(|x| x.as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default())
}

/// Fails unless the bytes are a JPEG without EXIF (no APP1 segment, no `Exif` marker) and
/// without anything of the original's metadata.
fn ensure_clean_jpeg(what: &str, media_type: &str, bytes: &[u8]) -> Result {
    ensure!(
        media_type.starts_with("image/jpeg"),
        "the {what} is served as {media_type:?}, not image/jpeg"
    );
    ensure!(
        bytes.starts_with(&[0xff, 0xd8, 0xff]) && bytes.len() > 100,
        "the {what} is not a JPEG ({} bytes)",
        bytes.len()
    );
    ensure!(
        !contains(bytes, b"Exif"),
        "the {what} still carries an Exif segment"
    );
    ensure!(
        !contains(bytes, EXIF_SECRET.as_bytes()),
        "the {what} still carries the original's EXIF description"
    );
    let markers = jpeg_segments(bytes);
    ensure!(
        !markers.contains(&0xe1),
        "the {what} has an APP1 (EXIF/XMP) segment: markers {markers:x?}"
    );
    Ok(())
}

/// The rows of a list of appeals: (number, subject, whether it is marked overdue).
async fn rows(b: &Browser) -> Result<Vec<(String, String, bool)>> {
    let mut out = vec![];
    for el in b.client.find_all(Locator::Css(ROWS)).await? {
        let number = el
            .find(Locator::Css(".appeal-number"))
            .await?
            .text()
            .await?;
        let subject = el.find(Locator::Css("h3")).await?.text().await?;
        let class = el.attr("class").await?.unwrap_or_default();
        out.push((
            number.trim().to_owned(),
            subject.trim().to_owned(),
            class.split_whitespace().any(|c| c == "card-overdue"),
        ));
    }
    Ok(out)
}

/// The row of the appeal titled `subject`, loading more of the list when it is not on
/// the first page.
async fn find_row(b: &Browser, subject: &str) -> Result<Element> {
    b.poll(
        &format!("a row of the appeal “{subject}”"),
        async || {
            for el in b.client.find_all(Locator::Css(ROWS)).await? {
                if el.find(Locator::Css("h3")).await?.text().await?.trim() == subject {
                    return Ok(Some(el));
                }
            }
            for button in b.client.find_all(Locator::Css("main button")).await? {
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

/// The not-found view the app shows for an appeal the person may not see.
async fn ensure_not_found_view(b: &Browser, subject: &str, who: &str) -> Result {
    b.wait_text("main .state-error", "Нічого не знайдено")
        .await
        .map_err(|e| Failure(format!("{who} is not shown the not-found view: {e}")))?;
    let main = b.text("main").await?;
    ensure!(
        !main.contains(subject),
        "{who} sees the subject of an appeal that is not theirs: {main}"
    );
    Ok(())
}

/// Fails unless every one of `paths` answers 404 to this browser's session.
async fn ensure_404s(b: &Browser, paths: &[&str], who: &str) -> Result {
    for path in paths {
        let r = api(b, "GET", path, None).await?;
        ensure!(
            r.status == 404,
            "{who} got {} from GET {path}, expected 404: {}",
            r.status,
            r.short()
        );
    }
    Ok(())
}

/// A notification's text, as the app writes it in Ukrainian.
fn note_assigned(number: &str) -> String {
    format!("Звернення {number} передано на розгляд")
}

fn note_extended(number: &str) -> String {
    format!("Звернення {number}: строк розгляду продовжено")
}

fn note_answered(number: &str) -> String {
    format!("На звернення {number} надано відповідь")
}

/// The notification whose text contains `text`.
async fn notification(b: &Browser, text: &str) -> Result<Element> {
    b.wait_text(NOTIFICATIONS, text).await
}

// ---------------------------------------------------------------------------------------
// Scenarios
// ---------------------------------------------------------------------------------------

/// A resident writes an appeal with a photo that carries its GPS position and sends it:
/// the number, the date and the deadline show, and the draft is gone. Staff open it from
/// the inbox, assign it, extend it to 45 days with a reason and answer it with a file; the
/// resident's open appeal shows each step within seconds without a reload, and the bell
/// counts each one; the notifications list them, and opening one marks it read. The
/// resident rates the answer. The photo and its thumbnail are served as JPEGs without any
/// of the original's metadata.
#[tokio::test]
async fn resident_sends_and_follows_an_appeal() {
    scenario("appeal-follow", async |h| {
        let mut bugs: Vec<String> = vec![];
        let files = TempDir::new("hromada-e2e-appeal");
        let jpeg = jpeg_with_gps();
        ensure!(
            contains(&jpeg, b"Exif") && contains(&jpeg, EXIF_SECRET.as_bytes()),
            "the test photo lacks its EXIF segment"
        );
        let photo = write_file(&files, "yama-na-dorozi.jpg", &jpeg)?;
        let answer_file = write_file(&files, "vidpovid-rada.pdf", PDF)?;

        let resident = h.browser("resident").await?;
        sign_in(&resident, RESIDENT_EMAIL, DEMO_PASSWORD).await?;
        open_form(&resident).await?;
        let mark = unique();
        let input = AppealInput::new(&mark);
        let (category_id, category_name) = first_category(&resident).await?;
        fill_form(&resident, &input, &category_id).await?;
        // The contact details the law requires come from the profile.
        ensure_kept(
            &resident,
            &[
                ("#f-full_name", RESIDENT_NAME),
                ("#f-address", RESIDENT_ADDRESS),
                ("#f-email", RESIDENT_EMAIL),
            ],
        )
        .await?;
        let left = TEXT_MAX - input.text.trim().chars().count();
        resident
            .wait_text("#f-text-hint", &left.to_string())
            .await
            .map_err(|e| {
                Failure(format!(
                    "the text's counter does not say {left} are left: {e}"
                ))
            })?;
        add_photos(&resident, &[&photo]).await?;
        wait_previews(&resident, 1).await?;
        let preview = resident
            .attr(&format!("{PREVIEWS} img"), "src")
            .await?
            .unwrap_or_default();
        ensure!(
            preview.starts_with("blob:"),
            "the photo's preview shows “{preview}”, expected the picked file (blob:)"
        );
        resident.screenshot("appeal-follow-1-form-desktop").await?;

        submit_appeal(&resident).await?;
        let sent = sent(&resident).await?;
        let facts = resident.text(&format!("{SENT} dl.facts")).await?;
        ensure!(
            facts.lines().filter(|l| !l.trim().is_empty()).count() >= 4,
            "the confirmation does not show the registration date and the deadline: {facts}"
        );
        ensure!(
            draft(&resident).await?.is_none(),
            "the draft is still kept in the browser after the appeal was sent"
        );
        let a = api_get(&resident, &format!("/api/v1/appeals/{}", sent.id)).await?;
        ensure!(
            term_of(&a) == Some(30),
            "a new appeal is due {:?} days after registration, expected 30: {} → {}",
            term_of(&a),
            a["registered_at"],
            a["due_at"]
        );
        ensure!(
            a["number"] == json!(sent.number),
            "the confirmation shows {}, the appeal is {}",
            sent.number,
            a["number"]
        );
        resident.screenshot("appeal-follow-2-sent-desktop").await?;

        // Follow it.
        resident
            .click(&format!("{SENT} a[href^='/appeals/']"))
            .await?;
        resident.wait_path(&appeal_path(&sent.id)).await?;
        resident.wait_exact_text("main h1", &input.subject).await?;
        resident.wait("main .badge.status-registered").await?;
        resident
            .wait(&format!("{TIMELINE}.step-registered"))
            .await?;
        let main = resident.text("main").await?;
        for (what, shown) in [
            ("number", sent.number.as_str()),
            ("category", category_name.as_str()),
            ("location", input.location.as_str()),
            ("text's first line", input.text.lines().next().unwrap_or("")),
        ] {
            ensure!(
                main.contains(shown),
                "the appeal's page does not show its {what} “{shown}”"
            );
        }

        // The photo and its thumbnail come back without the original's metadata.
        let full = resident
            .attr("main ul.files li.file-photo a", "href")
            .await?
            .unwrap_or_default();
        let thumb = resident
            .attr("main ul.files li.file-photo img", "src")
            .await?
            .unwrap_or_default();
        ensure!(
            !full.is_empty() && !thumb.is_empty() && full != thumb,
            "the photo's link ({full:?}) and thumbnail ({thumb:?}) are missing or the same"
        );
        for (what, url) in [("photo", &full), ("thumbnail", &thumb)] {
            let (status, media_type, bytes) = fetch_bytes(&resident, url).await?;
            ensure!(status == 200, "GET {url} (the {what}) answered {status}");
            ensure_clean_jpeg(what, &media_type, &bytes)?;
        }

        let unread = settled_unread(&resident).await?;
        mark_page(&resident).await?;
        watch_errors(&resident).await?;

        // Staff open it from the inbox.
        let staff = h.browser("staff").await?;
        sign_in(&staff, STAFF_EMAIL, DEMO_PASSWORD).await?;
        staff.goto(&inbox_path()).await?;
        let row = find_row(&staff, &input.subject).await?;
        let link = row.find(Locator::Css("h3 a")).await?;
        staff.click_element(&link).await?;
        staff.wait_path(&appeal_path(&sent.id)).await?;
        staff.wait_visible(STAFF_PANEL).await?;
        // Staff see who wrote it; the law requires it.
        staff.wait_text("main dl.facts", RESIDENT_NAME).await?;
        staff.wait_text("main dl.facts", RESIDENT_EMAIL).await?;
        let dups = duplicate_ids(&staff).await?;
        if !dups.is_empty() {
            bugs.push(format!(
                "ACCESSIBILITY: the staff's appeal page has ids that are not unique (labels \
                 point at the wrong field): {}",
                dups.join(", ")
            ));
        }

        // 1. Assign.
        let assignee = format!("Відділ благоустрою {mark}");
        let form = step_form("#f-assignee");
        open_step(&staff, &form).await?;
        staff
            .replace(&format!("{form} #f-assignee"), &assignee)
            .await?;
        let at = Instant::now();
        staff.click(&format!("{form} button[type=submit]")).await?;
        let step = resident
            .wait_text(&format!("{TIMELINE}.step-assigned"), &assignee)
            .await?;
        ensure_live(at, "the resident's open appeal showed the assigned step")?;
        wait_bell(&resident, unread + 1).await?;
        ensure_live(at, "the resident's bell counted the assigned step")?;
        let step_text = step.text().await?;
        ensure!(
            step_text.contains(STAFF_NAME),
            "the assigned step does not say who did it ({STAFF_NAME}): {step_text}"
        );
        ensure!(
            step.find_all(Locator::Css("time[datetime]")).await?.len() == 1,
            "the assigned step does not say when it was done: {step_text}"
        );
        resident.wait("main .badge.status-in_progress").await?;
        staff
            .wait_text(&format!("{TIMELINE}.step-assigned"), &assignee)
            .await?;

        // 2. Extend to 45 days, with a reason.
        let deadline_before = resident.text("main .deadline").await?;
        let reason = format!("Потрібне обстеження дороги комісією {mark}");
        let form = step_form("#f-term_days");
        open_step(&staff, &form).await?;
        select(&staff, &format!("{form} #f-term_days"), "45").await?;
        staff
            .type_into(&format!("{form} textarea[name=reason]"), &reason)
            .await?;
        let at = Instant::now();
        staff.click(&format!("{form} button[type=submit]")).await?;
        resident
            .wait_text(&format!("{TIMELINE}.step-extended"), &reason)
            .await?;
        ensure_live(at, "the resident's open appeal showed the extension")?;
        wait_bell(&resident, unread + 2).await?;
        ensure_live(at, "the resident's bell counted the extension")?;
        let deadline_after = resident
            .poll("the deadline to move", async || {
                let t = resident.text("main .deadline").await?;
                Ok((t != deadline_before).then_some(t))
            })
            .await?;
        let a = api_get(&resident, &format!("/api/v1/appeals/{}", sent.id)).await?;
        ensure!(
            term_of(&a) == Some(45) && a["term_days"] == json!(45),
            "after the extension to 45 days the appeal is due {:?} days after registration \
             (term_days {})",
            term_of(&a),
            a["term_days"]
        );
        eprintln!("deadline: “{deadline_before}” → “{deadline_after}”");
        staff.wait(&format!("{TIMELINE}.step-extended")).await?;

        // 3. Answer, with a file.
        let answer =
            format!("Ремонт дороги на вулиці Соборній включено до плану робіт на травень. {mark}");
        let form = step_form("#f-files");
        open_step(&staff, &form).await?;
        staff
            .type_into(&format!("{form} textarea[name=text]"), &answer)
            .await?;
        staff
            .wait(&format!("{form} #f-files"))
            .await?
            .send_keys(&answer_file.display().to_string())
            .await?;
        staff
            .wait_text(&format!("{form} ul.file-names li"), "vidpovid-rada.pdf")
            .await?;
        staff.screenshot("appeal-follow-3-staff-desktop").await?;
        let at = Instant::now();
        staff.click(&format!("{form} button[type=submit]")).await?;
        resident
            .wait_text(&format!("{TIMELINE}.step-answered"), &answer)
            .await?;
        ensure_live(at, "the resident's open appeal showed the answer")?;
        wait_bell(&resident, unread + 3).await?;
        ensure_live(at, "the resident's bell counted the answer")?;
        ensure_not_reloaded(&resident, "the resident").await?;
        resident.wait("main .badge.status-answered").await?;
        let doc = resident
            .wait_text(
                &format!("{TIMELINE}.step-answered li.file-doc a"),
                "vidpovid-rada.pdf",
            )
            .await?;
        let doc_url = doc.attr("href").await?.unwrap_or_default();
        let (status, media_type, bytes) = fetch_bytes(&resident, &doc_url).await?;
        ensure!(
            status == 200
                && media_type.starts_with("application/pdf")
                && bytes.starts_with(b"%PDF-"),
            "the answer's file {doc_url} answered {status} {media_type:?} ({} bytes)",
            bytes.len()
        );
        resident.wait_visible("label[for=f-stars-5]").await?;
        let dups = duplicate_ids(&resident).await?;
        if !dups.is_empty() {
            bugs.push(format!(
                "ACCESSIBILITY: the author's appeal page has ids that are not unique: {}",
                dups.join(", ")
            ));
        }
        resident
            .screenshot("appeal-follow-4-timeline-desktop")
            .await?;

        // The notifications: one per step, unread; opening one marks it read.
        resident.click("a.bell").await?;
        resident.wait_path("/notifications").await?;
        for text in [
            note_assigned(&sent.number),
            note_extended(&sent.number),
            note_answered(&sent.number),
        ] {
            let n = notification(&resident, &text).await?;
            ensure!(
                has_class(&n, "unread").await?,
                "the notification “{text}” is not marked unread"
            );
        }
        resident
            .screenshot("appeal-follow-5-notifications-desktop")
            .await?;
        let answered = notification(&resident, &note_answered(&sent.number)).await?;
        let open = answered.find(Locator::Css("a")).await?;
        resident.click_element(&open).await?;
        resident.wait_path(&appeal_path(&sent.id)).await?;
        if let Err(e) = resident.wait_exact_text("main h1", &input.subject).await {
            // A regression guard: the appeal's page, opened again after a step arrived
            // live on it, once never left "Завантаження…" (the page title read a heading
            // the refetch had disposed, and the app panicked). Noted, then the page is
            // loaded afresh to go on with the rest; the scenario fails at its end.
            bugs.push(format!(
                "APP: opening the notification “{}” went to {} but the appeal never showed \
                 (the app panicked: {}). {e}",
                note_answered(&sent.number),
                appeal_path(&sent.id),
                app_errors(&resident).await?.join(" | ")
            ));
            resident.reload().await?;
            resident.wait_exact_text("main h1", &input.subject).await?;
        }
        wait_bell(&resident, unread + 2).await?;
        resident.go_in_app("/notifications").await?;
        resident
            .poll("the opened notification to be marked read", async || {
                let n = notification(&resident, &note_answered(&sent.number)).await?;
                Ok((!has_class(&n, "unread").await?).then_some(()))
            })
            .await?;
        let still = notification(&resident, &note_extended(&sent.number)).await?;
        ensure!(
            has_class(&still, "unread").await?,
            "opening one notification marked another one read"
        );
        let list = api_get(&resident, "/api/v1/me/notifications").await?;
        let read_on_server = list["items"].as_array().is_some_and(|l| {
            l.iter().any(|n| {
                n["kind"] == json!("appeal_answered")
                    && n["appeal"]["id"] == json!(sent.id)
                    && n["read"] == json!(true)
            })
        });
        ensure!(
            read_on_server,
            "the opened notification is still unread on the server: {list}"
        );
        ensure!(
            settled_unread(&resident).await? == unread + 2,
            "the unread count does not match after opening one notification"
        );

        // The resident rates the answer.
        resident.go_in_app(&appeal_path(&sent.id)).await?;
        let comment = format!("Дякую за швидку відповідь! {mark}");
        resident.click("label[for=f-stars-5]").await?;
        resident.type_into("#f-comment", &comment).await?;
        resident
            .click("form:has(#f-stars-5) button[type=submit]")
            .await?;
        resident
            .wait_text("main section[aria-labelledby=rating-h] .stars", "★★★★★")
            .await?;
        resident
            .wait_text("main section[aria-labelledby=rating-h]", &comment)
            .await?;
        let a = api_get(&resident, &format!("/api/v1/appeals/{}", sent.id)).await?;
        ensure!(
            a["rating"]["stars"] == json!(5),
            "the rating is not kept: {}",
            a["rating"]
        );
        resident.screenshot("appeal-follow-6-rated-desktop").await?;
        // Staff see it too.
        staff.reload().await?;
        staff
            .wait_text("main section[aria-labelledby=rating-h] .stars", "★★★★★")
            .await?;

        // "My appeals" lists it, answered.
        resident.go_in_app("/appeals").await?;
        let row = find_row(&resident, &input.subject).await?;
        ensure!(
            !row.find_all(Locator::Css(".badge.status-answered"))
                .await?
                .is_empty(),
            "“My appeals” does not show the appeal as answered: {}",
            row.text().await?
        );

        ensure!(
            bugs.is_empty(),
            "the scenario went through, but found:\n  {}",
            bugs.join("\n  ")
        );
        Ok(())
    })
    .await;
}

/// An appeal is its author's and the hromada staff's only: another resident gets the
/// not-found view and 404 for the appeal and its photo, and so does staff of another
/// hromada. Once the author makes it public, other residents see its subject, text and
/// status, but never the author's name, address or email, and it is in the hromada's
/// public list.
#[tokio::test]
async fn appeals_are_private() {
    scenario("appeal-private", async |h| {
        let files = TempDir::new("hromada-e2e-private");
        let photo = write_file(&files, "lichtar.jpg", &jpeg_with_gps())?;
        let author = h.browser("author").await?;
        sign_in(&author, RESIDENT_EMAIL, DEMO_PASSWORD).await?;
        open_form(&author).await?;
        let mark = unique();
        let input = AppealInput {
            kind: "application",
            subject: format!("Не світить ліхтар у дворі {mark}"),
            text: format!("У дворі будинку № 12 третій тиждень не світить ліхтар. {mark}"),
            location: "вул. Соборна, 12, двір".into(),
        };
        let (category_id, _) = first_category(&author).await?;
        fill_form(&author, &input, &category_id).await?;
        add_photos(&author, &[&photo]).await?;
        wait_previews(&author, 1).await?;
        submit_appeal(&author).await?;
        let sent = sent(&author).await?;
        author
            .click(&format!("{SENT} a[href^='/appeals/']"))
            .await?;
        author.wait_exact_text("main h1", &input.subject).await?;
        let full = author
            .attr("main ul.files li.file-photo a", "href")
            .await?
            .unwrap_or_default();
        let thumb = author
            .attr("main ul.files li.file-photo img", "src")
            .await?
            .unwrap_or_default();
        let api_path = format!("/api/v1/appeals/{}", sent.id);
        let secret_paths = [api_path.as_str(), full.as_str(), thumb.as_str()];

        // Another resident of the same hromada.
        let neighbour = h.browser("neighbour").await?;
        let neighbour_name = "Петро Сидоренко";
        register(
            &neighbour,
            &format!("petro.{mark}@example.com"),
            neighbour_name,
            "м. Херсон, вул. Перекопська, 7",
            KHERSON,
        )
        .await?;
        neighbour.goto(&appeal_path(&sent.id)).await?;
        neighbour
            .wait_exact_text(".who .who-name", neighbour_name)
            .await?;
        ensure_not_found_view(&neighbour, &input.subject, "another resident").await?;
        neighbour
            .screenshot("appeal-private-1-not-found-desktop")
            .await?;
        ensure_404s(&neighbour, &secret_paths, "another resident").await?;

        // Staff of another hromada: signed up, then granted the role by the administrator.
        let far = h.browser("other-staff").await?;
        let far_email = format!("staff.chernivska.{mark}@example.com");
        let far_name = "Оксана Мороз";
        register(
            &far,
            &far_email,
            far_name,
            "с. Чернове, вул. Центральна, 1",
            OTHER_HROMADA,
        )
        .await?;
        api_sign_out(&far).await?;
        api_sign_in(&far, ADMIN_EMAIL, DEMO_PASSWORD).await?;
        let users = api_get(
            &far,
            &format!("/api/v1/admin/users?q={}", far_email.replace('@', "%40")),
        )
        .await?;
        let far_id = users["items"]
            .as_array()
            .and_then(|l| l.iter().find(|u| u["email"] == json!(far_email)))
            .and_then(|u| u["id"].as_str())
            .ok_or_else(|| {
                Failure(format!(
                    "the administrator does not find {far_email}: {users}"
                ))
            })?
            .to_owned();
        let r = api(
            &far,
            "PUT",
            &format!("/api/v1/admin/users/{far_id}/staff/{OTHER_HROMADA}"),
            None,
        )
        .await?;
        ensure!(
            r.status == 200,
            "granting the staff role answered {}: {}",
            r.status,
            r.short()
        );
        api_sign_out(&far).await?;
        api_sign_in(&far, &far_email, GOOD_PASSWORD).await?;
        let me = api_get(&far, "/api/v1/me").await?;
        ensure!(
            me.to_string().contains(OTHER_HROMADA) && me["full_name"] == json!(far_name),
            "the other hromada's staff member is not staff of {OTHER_HROMADA}: {me}"
        );
        far.goto(&appeal_path(&sent.id)).await?;
        far.wait_exact_text(".who .who-name", far_name).await?;
        ensure_not_found_view(&far, &input.subject, "staff of another hromada").await?;
        ensure_404s(&far, &secret_paths, "staff of another hromada").await?;
        let inbox = api(
            &far,
            "GET",
            &format!("/api/v1/hromadas/{KHERSON}/appeals/inbox"),
            None,
        )
        .await?;
        ensure!(
            inbox.status == 403 || inbox.status == 404,
            "staff of another hromada opened Херсонська's inbox: {} {}",
            inbox.status,
            inbox.short()
        );

        // The author makes it public.
        let visibility = "main section[aria-labelledby=visibility-h]";
        author.wait_text(visibility, "лише ви").await?;
        author.click(&format!("{visibility} button")).await?;
        author.wait_text(visibility, "Звернення публічне").await?;
        author
            .screenshot("appeal-private-2-made-public-desktop")
            .await?;

        // Now another resident sees what the author chose to show, and nothing more.
        neighbour.reload().await?;
        neighbour.wait_exact_text("main h1", &input.subject).await?;
        neighbour
            .wait_text("main .appeal-text", &input.text)
            .await?;
        neighbour.wait("main .badge.status-registered").await?;
        let html = neighbour
            .js("return document.documentElement.outerHTML;")
            .await?
            .as_str()
            .unwrap_or_default()
            .to_owned();
        let body = api_get(&neighbour, &api_path).await?.to_string();
        for (what, secret) in [
            ("name", RESIDENT_NAME),
            ("address", RESIDENT_ADDRESS),
            ("email", RESIDENT_EMAIL),
        ] {
            ensure!(
                !html.contains(secret),
                "the public appeal's page shows the author's {what} ({secret}) to another resident"
            );
            ensure!(
                !body.contains(secret),
                "GET {api_path} gives the author's {what} ({secret}) to another resident"
            );
        }
        for (what, css) in [
            (
                "the visibility switch",
                "main section[aria-labelledby=visibility-h]",
            ),
            ("the rating form", "#f-stars-5"),
            ("the staff's steps", STAFF_PANEL),
        ] {
            ensure!(
                neighbour.count(css).await? == 0,
                "another resident is offered {what} on a public appeal"
            );
        }
        neighbour
            .screenshot("appeal-private-3-public-view-desktop")
            .await?;

        // And it is in the hromada's public list.
        neighbour.go_in_app(&public_path()).await?;
        let row = find_row(&neighbour, &input.subject).await?;
        let row_text = row.text().await?;
        ensure!(
            !row_text.contains(RESIDENT_NAME),
            "the public list shows the author's name: {row_text}"
        );
        Ok(())
    })
    .await;
}

/// Bad input is shown beside its field, with everything typed and every photo kept: no
/// name and no address (the law refuses anonymous appeals), a text over 4,000 characters
/// (the counter says so), a sixth photo, a PDF named `.jpg` (its preview fails; the server answers 415), a
/// 20 MB image. The draft survives a reload and goes once the appeal is sent. Through the
/// API each of these, and an unknown category, is a 4xx problem+json naming the field, and
/// none leaves an appeal behind; a retry with the same `Idempotency-Key` makes no second
/// appeal.
#[tokio::test]
async fn bad_input_is_shown_beside_its_field() {
    scenario("appeal-bad-input", async |h| {
        let files = TempDir::new("hromada-e2e-bad-input");
        let jpeg = from_hex(TINY_JPEG_HEX);
        let mut photos = vec![];
        for n in 1..=PHOTOS_MAX + 1 {
            photos.push(write_file(&files, &format!("foto-{n}.jpg"), &jpeg)?);
        }
        let pdf_as_jpg = write_file(&files, "skan-dovidky.jpg", PDF)?;
        let big = write_big_jpeg(&files, "velyke-foto.jpg", 20 * 1024 * 1024)?;

        let resident = h.browser("resident").await?;
        sign_in(&resident, RESIDENT_EMAIL, DEMO_PASSWORD).await?;
        open_form(&resident).await?;
        let mark = unique();
        let input = AppealInput::new(&mark);
        let (category_id, _) = first_category(&resident).await?;
        fill_form(&resident, &input, &category_id).await?;
        add_photos(&resident, &[&photos[0]]).await?;
        wait_previews(&resident, 1).await?;

        // No name and no address: refused, beside each field; nothing else is lost.
        resident.set_value("#f-full_name", "").await?;
        resident.set_value("#f-address", "").await?;
        submit_appeal(&resident).await?;
        field_error(&resident, "full_name", None).await?;
        field_error(&resident, "address", None).await?;
        ensure_no_errors(
            &resident,
            &[
                "subject",
                "text",
                "location",
                "email",
                "category_id",
                "photos",
            ],
            "only the name and the address are missing",
        )
        .await?;
        ensure_kept(
            &resident,
            &[
                ("#f-full_name", ""),
                ("#f-address", ""),
                ("#f-email", RESIDENT_EMAIL),
                ("#f-subject", &input.subject),
                ("#f-text", &input.text),
                ("#f-location", &input.location),
                ("#f-category_id", &category_id),
            ],
        )
        .await?;
        ensure!(
            resident.count(PREVIEWS).await? == 1 && resident.count(SENT).await? == 0,
            "the photo was lost, or the appeal sent, without a name and an address"
        );
        resident
            .screenshot("appeal-bad-input-1-anonymous-desktop")
            .await?;
        resident.replace("#f-full_name", RESIDENT_NAME).await?;
        resident.replace("#f-address", RESIDENT_ADDRESS).await?;

        // A text of 4,001 characters: the counter says it is over, the error is beside it.
        let long: String = "ї".repeat(TEXT_MAX + 1);
        resident.set_value("#f-text", &long).await?;
        resident
            .wait_text("#f-text-hint", "Забагато на 1 ")
            .await
            .map_err(|e| Failure(format!("the counter does not say the text is 1 over: {e}")))?;
        submit_appeal(&resident).await?;
        field_error(&resident, "text", None).await?;
        ensure_no_errors(
            &resident,
            &["full_name", "address", "subject"],
            "only the text is wrong now",
        )
        .await?;
        let kept = resident.value("#f-text").await?;
        ensure!(
            kept.chars().count() == TEXT_MAX + 1,
            "the over-long text was not kept: it holds {} characters",
            kept.chars().count()
        );
        ensure!(
            resident.count(PREVIEWS).await? == 1 && resident.count(SENT).await? == 0,
            "the photo was lost, or the appeal sent, with a text over {TEXT_MAX} characters"
        );
        resident
            .screenshot("appeal-bad-input-2-text-too-long-desktop")
            .await?;
        resident.set_value("#f-text", &input.text).await?;
        resident
            .wait_text("#f-text-hint", "Залишилось символів")
            .await?;

        // A sixth photo: five stay, the sixth is refused beside the photos.
        for (i, p) in photos[1..PHOTOS_MAX - 1].iter().enumerate() {
            add_photos(&resident, &[p]).await?;
            wait_previews(&resident, i + 2).await?;
        }
        add_photos(&resident, &[&photos[PHOTOS_MAX - 1], &photos[PHOTOS_MAX]]).await?;
        wait_previews(&resident, PHOTOS_MAX).await?;
        let too_many = error_text(&resident, "photos", None).await?;
        tokio::time::sleep(Duration::from_millis(300)).await;
        ensure!(
            resident.count(PREVIEWS).await? == PHOTOS_MAX,
            "more than {PHOTOS_MAX} photos are shown"
        );
        ensure!(
            resident.count("form.appeal-form #f-photos").await? == 0,
            "the form still offers to add photos with {PHOTOS_MAX} of them"
        );
        resident
            .screenshot("appeal-bad-input-3-sixth-photo-desktop")
            .await?;
        ensure_form_kept(&resident, &input, &category_id, "after a sixth photo").await?;

        // A PDF named .jpg passes the type check by name; its preview cannot be drawn, so
        // the app marks it and refuses to send before a long upload. (The server's 415 for
        // the same file is checked through the API below.)
        remove_last_photo(&resident).await?;
        add_photos(&resident, &[&pdf_as_jpg]).await?;
        wait_previews(&resident, PHOTOS_MAX).await?;
        submit_appeal(&resident).await?;
        let not_image = error_text(&resident, "photos", None).await?;
        ensure!(
            not_image != too_many,
            "the PDF named .jpg is refused with the sixth photo's error: “{not_image}”"
        );
        ensure!(
            resident.count("ul.previews li.preview-broken").await? == 1,
            "the PDF named .jpg is not marked among the previews"
        );
        ensure_form_kept(
            &resident,
            &input,
            &category_id,
            "after a PDF named .jpg was refused",
        )
        .await?;
        ensure!(
            resident.count(PREVIEWS).await? == PHOTOS_MAX,
            "photos were lost when the PDF was refused: {} previews",
            resident.count(PREVIEWS).await?
        );
        resident
            .screenshot("appeal-bad-input-4-pdf-desktop")
            .await?;

        // A 20 MB image: refused, and the rest kept.
        remove_last_photo(&resident).await?;
        add_photos(&resident, &[&big]).await?;
        let too_large = error_text(&resident, "photos", None).await?;
        ensure!(
            too_large != not_image && too_large != too_many,
            "the 20 MB image is refused with another problem's error: “{too_large}”"
        );
        ensure!(
            resident.count(PREVIEWS).await? == PHOTOS_MAX - 1,
            "the 20 MB image was added, or photos lost: {} previews",
            resident.count(PREVIEWS).await?
        );
        ensure_form_kept(&resident, &input, &category_id, "after a 20 MB image").await?;
        resident
            .screenshot("appeal-bad-input-5-too-large-desktop")
            .await?;

        // The draft: kept as typed, restored after a reload.
        let kept = draft(&resident).await?.unwrap_or(Value::Null);
        ensure!(
            kept["subject"] == json!(input.subject) && kept["text"] == json!(input.text),
            "the draft in localStorage[{}] is not what was typed: {kept}",
            draft_key()
        );
        resident.reload().await?;
        resident.wait_visible("form.appeal-form #f-subject").await?;
        option_texts(&resident, "#f-category_id", 1).await?;
        resident
            .wait_text("main .alert", "відновили чернетку")
            .await?;
        ensure_form_kept(&resident, &input, &category_id, "after a reload").await?;
        resident
            .screenshot("appeal-bad-input-6-restored-desktop")
            .await?;

        // Sent, the draft is gone, and the form starts empty.
        add_photos(&resident, &[&photos[0]]).await?;
        wait_previews(&resident, 1).await?;
        submit_appeal(&resident).await?;
        let sent = sent(&resident).await?;
        ensure!(
            draft(&resident).await?.is_none(),
            "the draft is still kept after the appeal was sent"
        );
        open_form(&resident).await?;
        ensure_kept(&resident, &[("#f-subject", ""), ("#f-text", "")]).await?;
        ensure!(
            resident.count("main .alert.alert-ok").await? == 0,
            "the form offers a restored draft after the appeal was sent"
        );

        // Through the API: each problem is a 4xx problem+json naming its field.
        let newest = || async {
            Ok::<_, Failure>(
                api_get(&resident, "/api/v1/me/appeals").await?["items"][0]["id"].clone(),
            )
        };
        ensure!(
            newest().await? == json!(sent.id),
            "the appeal just sent is not the newest of “my appeals”"
        );
        let path = format!("/api/v1/hromadas/{KHERSON}/appeals");
        let good = input.json(&category_id);
        let with = |field: &str, value: Value| {
            let mut v = good.clone();
            v[field] = value;
            v
        };
        let mut anonymous = with("full_name", json!(""));
        anonymous["address"] = json!("  ");
        let r = api(&resident, "POST", &path, Some(anonymous)).await?;
        ensure_problem(
            &r,
            422,
            &["full_name", "address"],
            "an appeal without name and address",
        )?;
        let r = api(&resident, "POST", &path, Some(with("text", json!(long)))).await?;
        ensure_problem(&r, 422, &["text"], "a text of 4,001 characters")?;
        let r = api(
            &resident,
            "POST",
            &path,
            Some(with("category_id", json!("no-such-category"))),
        )
        .await?;
        ensure_problem(&r, 422, &["category_id"], "an unknown category")?;
        let photo_part = |name: &'static str| Part {
            name,
            media_type: "image/jpeg",
            hex: TINY_JPEG_HEX.to_owned(),
            size: 0,
        };
        let six: Vec<Part> = ["1.jpg", "2.jpg", "3.jpg", "4.jpg", "5.jpg", "6.jpg"]
            .into_iter()
            .map(photo_part)
            .collect();
        let r = post_appeal_with_photos(&resident, &good, &six).await?;
        ensure_problem(&r, 422, &["photos"], "six photos")?;
        let r = post_appeal_with_photos(
            &resident,
            &good,
            &[Part {
                name: "skan-dovidky.jpg",
                media_type: "image/jpeg",
                hex: to_hex(PDF),
                size: 0,
            }],
        )
        .await?;
        ensure_problem(&r, 415, &["photos"], "a PDF named .jpg")?;
        let r = post_appeal_with_photos(
            &resident,
            &good,
            &[Part {
                name: "velyke-foto.jpg",
                media_type: "image/jpeg",
                hex: "ffd8ffe0".to_owned(),
                size: 20 * 1024 * 1024,
            }],
        )
        .await?;
        ensure_problem(&r, 413, &["photos"], "a 20 MB image")?;
        ensure!(
            PHOTO_MAX_BYTES < 20 * 1024 * 1024,
            "the 20 MB image is within the limit"
        );
        ensure!(
            newest().await? == json!(sent.id),
            "a refused request left an appeal behind"
        );

        // A retry of a good appeal with the same Idempotency-Key (a lost response, a double
        // tap) makes one appeal and gives the same number.
        let key = json!({"Idempotency-Key": format!("e2e-retry-{mark}")});
        let retry = with("subject", json!(format!("Повторне надсилання {mark}")));
        let first =
            api_with_headers(&resident, "POST", &path, Some(retry.clone()), key.clone()).await?;
        let again = api_with_headers(&resident, "POST", &path, Some(retry), key).await?;
        ensure!(
            first.status == 201 && (200..300).contains(&again.status),
            "an appeal and its retry answered {} and {}: {}",
            first.status,
            again.status,
            again.short()
        );
        let (one, two) = (first.json(), again.json());
        ensure!(
            one["id"] == two["id"] && one["number"] == two["number"],
            "the retry made another appeal: {} {} and {} {}",
            one["number"],
            one["id"],
            two["number"],
            two["id"]
        );
        let mine = api_get(&resident, "/api/v1/me/appeals").await?;
        let ids: Vec<&Value> = mine["items"]
            .as_array()
            .map(|l| l.iter().take(2).map(|a| &a["id"]).collect())
            .unwrap_or_default();
        ensure!(
            ids == [&one["id"], &json!(sent.id)],
            "after an appeal and its retry, the newest appeals are {ids:?}, expected {} then {}",
            one["id"],
            sent.id
        );
        Ok(())
    })
    .await;
}

/// The staff's inbox puts the nearest deadline first, counts the overdue appeals (the demo
/// has one) and those due within three days, and makes an overdue row stand out; a status
/// filter shows only that status. Staff add a category, and residents can choose it;
/// removed, it is no longer offered.
#[tokio::test]
async fn staff_inbox_sorts_and_counts() {
    scenario("appeal-inbox", async |h| {
        let staff = h.browser("staff").await?;
        sign_in(&staff, STAFF_EMAIL, DEMO_PASSWORD).await?;
        staff.goto(&inbox_path()).await?;
        staff.wait_visible(ROWS).await?;
        let count = async |css: &str| -> Result<u32> {
            let t = staff.text(css).await?;
            t.trim()
                .parse()
                .map_err(|_| Failure(format!("`{css}` reads “{t}”, not a number")))
        };
        let overdue = count("main .count-overdue strong").await?;
        let soon = count("main .count-soon strong").await?;
        ensure!(
            overdue >= 1,
            "the inbox counts {overdue} overdue appeals; the demo has at least one"
        );
        let shown = rows(&staff).await?;
        let flagged = shown.iter().filter(|r| r.2).count();
        ensure!(
            flagged >= 1,
            "no row of the inbox stands out as overdue: {shown:?}"
        );
        let first_on_time = shown.iter().position(|r| !r.2).unwrap_or(shown.len());
        ensure!(
            shown[first_on_time..].iter().all(|r| !r.2),
            "an overdue appeal comes after one that is not (nearest deadline first): {shown:?}"
        );
        // The order is by deadline: the server's due dates of the same list.
        let inbox = api_get(
            &staff,
            &format!("/api/v1/hromadas/{KHERSON}/appeals/inbox?status=open"),
        )
        .await?;
        let items = inbox["items"].as_array().cloned().unwrap_or_default();
        let due: Vec<i64> = items
            .iter()
            .filter_map(|a| epoch_ms(a["due_at"].as_str()?))
            .collect();
        ensure!(
            due.len() == items.len() && due.windows(2).all(|w| w[0] <= w[1]),
            "the inbox is not sorted by deadline: {:?}",
            items.iter().map(|a| a["due_at"].clone()).collect::<Vec<_>>()
        );
        let numbers: Vec<String> = items
            .iter()
            .map(|a| a["number"].as_str().unwrap_or_default().to_owned())
            .collect();
        let shown_numbers: Vec<String> = shown.iter().map(|r| r.0.clone()).collect();
        ensure!(
            shown_numbers == numbers[..shown_numbers.len().min(numbers.len())],
            "the inbox shows {shown_numbers:?}, the server's order is {numbers:?}"
        );
        ensure!(
            inbox["overdue"] == json!(overdue) && inbox["due_soon"] == json!(soon),
            "the counts shown ({overdue} overdue, {soon} soon) differ from the server's: {} {}",
            inbox["overdue"],
            inbox["due_soon"]
        );
        if inbox["next_cursor"].is_null() {
            ensure!(
                flagged == overdue as usize,
                "{flagged} rows stand out as overdue, the count says {overdue}"
            );
        }
        // An overdue row looks different from the others, not only by its class.
        let looks = staff
            .js(r#"
const style = el => { const s = getComputedStyle(el); return [s.borderLeftColor, s.borderLeftWidth, s.backgroundColor, s.borderColor].join(' '); };
const over = document.querySelector('main li.appeal-row.card-overdue');
const normal = document.querySelector('main li.appeal-row:not(.card-overdue)');
return over && normal ? [style(over), style(normal)] : null;
"#)
            .await?;
        if let Some([a, b]) = looks.as_array().map(|l| [l[0].clone(), l[1].clone()]) {
            ensure!(
                a != b,
                "an overdue row looks just like the others ({a})"
            );
        }
        staff.screenshot("appeal-inbox-1-desktop").await?;

        // Only the answered ones.
        select(&staff, "#f-status", "answered").await?;
        let answered = staff
            .poll("only answered appeals in the inbox", async || {
                let all = staff.count(ROWS).await?;
                let answered = staff
                    .count(&format!("{ROWS} .badge.status-answered"))
                    .await?;
                Ok((all > 0 && all == answered).then_some(all))
            })
            .await?;
        ensure!(
            staff.count(&format!("{ROWS}.card-overdue")).await? == 0,
            "an answered appeal is shown as overdue"
        );
        ensure!(
            count("main .count-overdue strong").await? == overdue,
            "the overdue count changed with the filter"
        );
        staff.screenshot("appeal-inbox-2-answered-desktop").await?;
        select(&staff, "#f-status", "").await?;
        staff
            .poll("every appeal again", async || {
                Ok((staff.count(ROWS).await? > answered).then_some(()))
            })
            .await?;

        // A new category: residents can choose it; removed, it is no longer offered.
        staff
            .click(&format!("main a[href='{}']", categories_path()))
            .await?;
        staff.wait_path(&categories_path()).await?;
        let name = format!("Укриття {}", unique());
        let add = "main section[aria-labelledby=cat-add-h]";
        staff.type_into(&format!("{add} #f-name"), &name).await?;
        staff
            .click(&format!("{add} button[type=submit]"))
            .await?;
        let card = staff
            .poll(&format!("the category “{name}” in the list"), async || {
                for li in staff.client.find_all(Locator::Css("main ul.cards li.card")).await? {
                    for input in li.find_all(Locator::Css("input[id^='cat-']")).await? {
                        if input.prop("value").await?.as_deref() == Some(name.as_str()) {
                            return Ok(Some(li));
                        }
                    }
                }
                Ok(None)
            })
            .await?;
        ensure!(
            staff.value(&format!("{add} #f-name")).await?.is_empty(),
            "the form still holds the name after the category was added"
        );
        staff.screenshot("appeal-inbox-3-categories-desktop").await?;

        let resident = h.browser("resident").await?;
        sign_in(&resident, RESIDENT_EMAIL, DEMO_PASSWORD).await?;
        open_form(&resident).await?;
        let offered = option_texts(&resident, "#f-category_id", 1).await?;
        ensure!(
            offered.contains(&name),
            "the new category “{name}” is not offered to residents: {offered:?}"
        );
        let archived_id = api_get(&resident, &format!("/api/v1/hromadas/{KHERSON}/appeal-categories"))
            .await?
            .as_array()
            .and_then(|l| l.iter().find(|c| c["name"] == json!(name)))
            .and_then(|c| c["id"].as_str().map(str::to_owned))
            .ok_or_else(|| Failure(format!("the API does not list the category “{name}”")))?;

        let remove = card.find(Locator::Css("button.button-danger")).await?;
        staff.click_element(&remove).await?;
        staff
            .wait_text("main ul.cards li.card-muted", &name)
            .await?;
        open_form(&resident).await?;
        let offered = option_texts(&resident, "#f-category_id", 1).await?;
        ensure!(
            !offered.contains(&name),
            "the removed category “{name}” is still offered to residents: {offered:?}"
        );
        // Nor can it be chosen by other means.
        let r = api(
            &resident,
            "POST",
            &format!("/api/v1/hromadas/{KHERSON}/appeals"),
            Some(AppealInput::new("x").json(&archived_id)),
        )
        .await?;
        ensure_problem(&r, 422, &["category_id"], "an appeal in a removed category")?;
        Ok(())
    })
    .await;
}

/// On a 360×640 phone, in both languages, no page of appeals is wider than the screen: the
/// form (also with its errors shown), the person's list, an appeal with its timeline and
/// rating, the notifications, the public list; for staff the inbox, an appeal with the
/// staff's steps, and the categories.
#[tokio::test]
async fn appeal_pages_fit_a_phone_screen() {
    scenario("appeal-phone-width", async |h| {
        let resident = h.browser("resident").await?;
        sign_in(&resident, RESIDENT_EMAIL, DEMO_PASSWORD).await?;
        let staff = h.browser("staff").await?;
        sign_in(&staff, STAFF_EMAIL, DEMO_PASSWORD).await?;
        let (answered, open) = demo_appeals(&resident).await?;
        resident.phone().await?;
        staff.phone().await?;
        let mut too_wide = vec![];
        for lang in ["uk", "en"] {
            set_language(&resident, lang).await?;
            set_language(&staff, lang).await?;
            let pages: [(&Browser, String, &str); 9] = [
                (
                    &resident,
                    new_appeal_path(),
                    "form.appeal-form #f-category_id",
                ),
                (&resident, "/appeals".into(), ROWS),
                (
                    &resident,
                    appeal_path(&answered),
                    "main ol.timeline li.step",
                ),
                (
                    &resident,
                    "/notifications".into(),
                    "main li.notification, main .state-empty",
                ),
                (
                    &resident,
                    public_path(),
                    "main li.appeal-row, main .state-empty",
                ),
                (&staff, inbox_path(), ROWS),
                (&staff, appeal_path(&open), STAFF_PANEL),
                // (Another page between two appeals: `go_in_app` waits for a new heading.)
                (&staff, categories_path(), "main ul.cards li.card"),
                (&staff, appeal_path(&answered), "main ol.timeline li.step"),
            ];
            for (b, path, ready) in &pages {
                // Within the app, as a person following its links.
                b.go_in_app(path).await?;
                b.wait_visible(ready).await?;
                let wide = b.too_wide().await?;
                if !wide.is_empty() {
                    too_wide.push(format!("{path} ({lang}): {}", wide.join("; ")));
                }
                if *path == new_appeal_path() {
                    // With every error shown.
                    submit_appeal(b).await?;
                    error_text(b, "subject", None).await?;
                    let wide = b.too_wide().await?;
                    if !wide.is_empty() {
                        too_wide.push(format!("{path} with errors ({lang}): {}", wide.join("; ")));
                    }
                }
            }
        }
        ensure!(
            too_wide.is_empty(),
            "appeal pages wider than a 360 px phone screen:\n  {}",
            too_wide.join("\n  ")
        );
        Ok(())
    })
    .await;
}

/// Two of the demo resident's appeals: an answered (or closed) one, with a long timeline,
/// and an open one, on which staff may still take steps.
async fn demo_appeals(resident: &Browser) -> Result<(String, String)> {
    let mine = api_get(resident, "/api/v1/me/appeals?limit=100").await?;
    let items = mine["items"].as_array().cloned().unwrap_or_default();
    let pick = |statuses: &[&str]| {
        items
            .iter()
            .find(|a| statuses.iter().any(|s| a["status"] == json!(s)))
            .and_then(|a| a["id"].as_str().map(str::to_owned))
    };
    let answered = pick(&["answered", "closed"])
        .ok_or_else(|| Failure(format!("the demo resident has no answered appeal: {mine}")))?;
    let open = pick(&["in_progress", "registered"])
        .ok_or_else(|| Failure(format!("the demo resident has no open appeal: {mine}")))?;
    Ok((answered, open))
}

/// Screenshots of the appeal pages at 360×640 and 1280×800 in both languages, for a person
/// to look at; runs only with `HROMADA_SCREENSHOTS=1` (see `scripts/screenshots.sh`).
#[tokio::test]
async fn screenshots_of_the_appeal_pages() {
    if !hromada_e2e::screenshots_wanted() {
        eprintln!("skipped: set HROMADA_SCREENSHOTS=1 to take the screenshots");
        return;
    }
    scenario("appeal-screenshots", async |h| {
        let resident = h.browser("tour-resident").await?;
        sign_in(&resident, RESIDENT_EMAIL, DEMO_PASSWORD).await?;
        let staff = h.browser("tour-staff").await?;
        sign_in(&staff, STAFF_EMAIL, DEMO_PASSWORD).await?;
        let (answered, open) = demo_appeals(&resident).await?;
        for lang in ["uk", "en"] {
            set_language(&resident, lang).await?;
            set_language(&staff, lang).await?;
            for (size, dims) in [("desktop", DESKTOP), ("phone", PHONE)] {
                resident.set_viewport(dims).await?;
                staff.set_viewport(dims).await?;
                let shot = |page: &str| format!("tour-{lang}-{size}-{page}");
                resident.go_in_app(&new_appeal_path()).await?;
                resident
                    .wait_visible("form.appeal-form #f-category_id")
                    .await?;
                resident.screenshot(&shot("appeal-new")).await?;
                submit_appeal(&resident).await?;
                error_text(&resident, "subject", None).await?;
                resident.screenshot(&shot("appeal-new-errors")).await?;
                resident.go_in_app("/appeals").await?;
                resident.wait_visible(ROWS).await?;
                resident.screenshot(&shot("appeals-mine")).await?;
                resident.go_in_app(&appeal_path(&answered)).await?;
                resident.wait_visible("main ol.timeline li.step").await?;
                resident.screenshot(&shot("appeal-timeline")).await?;
                resident.go_in_app("/notifications").await?;
                resident
                    .wait_visible("main li.notification, main .state-empty")
                    .await?;
                resident.screenshot(&shot("notifications")).await?;
                staff.go_in_app(&inbox_path()).await?;
                staff.wait_visible(ROWS).await?;
                staff.screenshot(&shot("staff-inbox")).await?;
                staff.go_in_app(&appeal_path(&open)).await?;
                staff.wait_visible(STAFF_PANEL).await?;
                staff.screenshot(&shot("staff-appeal")).await?;
                staff.go_in_app(&categories_path()).await?;
                staff.wait_visible("main ul.cards li.card").await?;
                staff.screenshot(&shot("staff-categories")).await?;
            }
        }
        Ok(())
    })
    .await;
}

#[test]
fn the_test_photo_carries_a_gps_position() {
    let jpeg = jpeg_with_gps();
    assert_eq!(&jpeg[..4], &[0xff, 0xd8, 0xff, 0xe1]);
    let markers = jpeg_segments(&jpeg);
    assert_eq!(markers.first(), Some(&0xe1), "{markers:x?}");
    assert_eq!(markers.last(), Some(&0xda), "{markers:x?}");
    assert!(contains(&jpeg, b"Exif\0\0MM\0\x2a"));
    assert!(
        contains(&jpeg, &[0x88, 0x25, 0, 4, 0, 0, 0, 1]),
        "GPSInfo tag"
    );
    assert_eq!(epoch_ms("1970-01-02T00:00:01.5Z"), Some(DAY_MS + 1500));
    assert_eq!(
        epoch_ms("2026-11-01T10:00:00.000Z"),
        Some(1_793_527_200_000)
    );
    assert_eq!(
        term_of(&json!({
            "registered_at": "2026-11-01T10:00:00.000Z",
            "due_at": "2026-12-01T10:00:00.000Z",
        })),
        Some(30)
    );
    assert!(is_registration_number("ЗВ-2026-000123"));
    assert!(!is_registration_number("ЗВ-2026-123"));
}
