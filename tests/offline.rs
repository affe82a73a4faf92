//! End-to-end tests of the installable app that keeps working offline and loses nothing
//! (issue 9): the manifest and Chromium's installability check, the shortcuts, the
//! precache list against the build, the app opened with the network cut off showing what
//! it had, an appeal (with a photo) written offline delivered exactly once after the
//! network returns even when the page is reloaded in between and the first delivery's
//! answer is lost, a submission the server refuses kept with its reason until dismissed,
//! a new version that waits for the person's agreement, and the server's database away for
//! a moment: reads are tried again by themselves, a signature waits in the outbox and is
//! delivered once.
//!
//! The network is cut twice over: the DevTools protocol's offline emulation for the page,
//! and a [`NetLink`] between the browser and the server that refuses every connection (the
//! service worker's own requests too). Build first (`make test` does it all), then:
//! `cargo test -p hromada-e2e --test offline -- --test-threads=1`.

use std::collections::BTreeSet;
use std::time::Duration;

use hromada_e2e::{
    Browser, DEMO_PASSWORD, Failure, Harness, KHERSON, NetLink, RESIDENT_EMAIL, Result,
    STAFF_EMAIL, TINY_JPEG_HEX, TempDir, VERIFIED_EMAIL, api, api_get, api_with_headers, dist_dir,
    ensure, fetch_bytes, from_hex, mark_page, scenario, scenario_serving, select, set_language,
    sign_in, unique, write_file,
};
use serde_json::{Value, json};

const NEWS_CARDS: &str = "main ul.news-list li.news-card";
const OFFLINE_NOTE: &str = "main #offline-note";
const OUTBOX_LINK: &str = "main #outbox-link";
const OUTBOX_ITEMS: &str = "main li.outbox-item";
const OUTBOX_EMPTY: &str = "main #outbox-empty";
const DELIVERED: &str = "main #delivered-note";
const NOTICE: &str = "main .alert-ok";

/// What the app says, in Ukrainian.
const OFFLINE: &str = "Немає з’єднання з мережею.";
const SAVED: &str = "Показано збережене";
/// Scrolls the petition's sign box to the middle of the window (for screenshots).
const SIGN_BOX_INTO_VIEW: &str =
    "document.querySelector('main section.sign-box').scrollIntoView({block: 'center'})";
const QUEUED: &str = "Збережено в черзі на надсилання";
const WAITING: &str = "Чекає на зв’язок";
const REFUSED: &str = "Не прийнято";
const POLL_CLOSED: &str = "Опитування вже закрите";
const UNAVAILABLE: &str = "Сервер зараз ненадовго недоступний";

fn text_of(v: &Value) -> String {
    v.as_str().unwrap_or_default().to_owned()
}

/// Cuts the network: the page's offline emulation and the link both.
async fn go_offline(b: &Browser, link: &NetLink) -> Result {
    link.cut();
    b.emulate_offline(true).await
}

async fn go_online(b: &Browser, link: &NetLink) -> Result {
    link.restore();
    b.emulate_offline(false).await
}

/// Waits until the service worker has kept an answer of the API whose address contains
/// `part`.
async fn wait_saved(b: &Browser, part: &str) -> Result {
    b.poll(&format!("the service worker to keep {part}"), async || {
        let v = b
            .client
            .execute(
                "return caches.open('hromada-api').then(c => c.keys())\
                 .then(ks => ks.some(k => k.url.includes(arguments[0])));",
                vec![json!(part)],
            )
            .await?;
        Ok((v == json!(true)).then_some(()))
    })
    .await
}

/// The width and height of a PNG.
fn png_size(bytes: &[u8]) -> Option<(u32, u32)> {
    if bytes.len() < 24 || &bytes[..8] != b"\x89PNG\r\n\x1a\n" {
        return None;
    }
    let n = |i: usize| u32::from_be_bytes([bytes[i], bytes[i + 1], bytes[i + 2], bytes[i + 3]]);
    Some((n(16), n(20)))
}

// ---------------------------------------------------------------------------------------
// Install
// ---------------------------------------------------------------------------------------

/// The manifest names the app in Ukrainian, has icons at 192 and 512 px (maskable ones
/// too), colours, standalone display, start URL, scope and the two shortcuts; Chromium's
/// installability check finds nothing missing; the shortcuts open their pages in the
/// remembered hromada; iOS Safari gets the hint of how to install.
#[tokio::test]
async fn the_app_installs_with_its_shortcuts() {
    scenario("offline-install", async |h| {
        let b = h.browser("guest").await?;
        b.goto(&format!("/h/{KHERSON}")).await?;
        b.wait_visible("main h1").await?;
        b.wait_service_worker().await?;
        let (status, media, bytes) = fetch_bytes(&b, "/manifest.webmanifest").await?;
        ensure!(status == 200, "the manifest answered {status}");
        let m: Value = serde_json::from_slice(&bytes)?;
        eprintln!("manifest ({media}): {m}");
        ensure!(
            m["name"] == json!("Громада")
                && m["short_name"] == json!("Громада")
                && m["lang"] == json!("uk")
                && m["display"] == json!("standalone")
                && m["start_url"] == json!("/")
                && m["scope"] == json!("/")
                && m["theme_color"].is_string()
                && m["background_color"].is_string(),
            "the manifest lacks what installing needs: {m}"
        );
        let icons = m["icons"].as_array().cloned().unwrap_or_default();
        for (size, purpose) in [
            (192, "any"),
            (512, "any"),
            (192, "maskable"),
            (512, "maskable"),
        ] {
            let icon = icons
                .iter()
                .find(|i| {
                    i["sizes"] == json!(format!("{size}x{size}"))
                        && text_of(&i["purpose"]).split(' ').any(|p| p == purpose)
                })
                .ok_or_else(|| Failure(format!("no {purpose} icon of {size} px: {icons:?}")))?;
            let (status, media, png) = fetch_bytes(&b, &text_of(&icon["src"])).await?;
            ensure!(
                status == 200 && media == "image/png" && png_size(&png) == Some((size, size)),
                "the {purpose} icon {} is not a {size} px PNG ({status}, {media}, {:?})",
                icon["src"],
                png_size(&png)
            );
        }
        let shortcuts: Vec<String> = m["shortcuts"]
            .as_array()
            .map(|l| l.iter().map(|s| text_of(&s["url"])).collect())
            .unwrap_or_default();
        ensure!(
            shortcuts == ["/go/appeal", "/go/petitions"],
            "the shortcuts are {shortcuts:?}"
        );
        let check = b.cdp("Page.getInstallabilityErrors", json!({})).await?;
        ensure!(
            check["installabilityErrors"] == json!([]),
            "Chromium finds the app not installable: {check}"
        );
        // The shortcuts, in the hromada the app remembers.
        b.goto("/go/appeal").await?;
        b.wait_path(&format!("/h/{KHERSON}/appeals/new")).await?;
        b.goto("/go/petitions").await?;
        b.wait_path(&format!("/h/{KHERSON}/petitions")).await?;
        // iOS Safari: no install prompt there, a hint instead.
        b.cdp(
            "Emulation.setUserAgentOverride",
            json!({"userAgent": "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) \
                AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1"}),
        )
        .await?;
        b.goto(&format!("/h/{KHERSON}")).await?;
        b.wait_visible("footer #ios-install-hint").await?;
        b.phone().await?;
        b.screenshot("offline-install-ios-hint-phone").await?;
        Ok(())
    })
    .await;
}

/// The service worker precaches exactly the files of the build (but itself), under a
/// version made from them.
#[test]
fn the_precache_list_is_the_build() {
    let dist = dist_dir();
    let sw = std::fs::read_to_string(dist.join("sw.js"))
        .unwrap_or_else(|e| panic!("{}/sw.js: {e} (build the app first)", dist.display()));
    let line = |start: &str| {
        sw.lines()
            .find(|l| l.starts_with(start))
            .unwrap_or_else(|| panic!("sw.js has no line starting {start:?}"))
            .to_owned()
    };
    let version = line("const VERSION = ");
    assert!(
        !version.contains("\"dev\"") && version.len() == "const VERSION = \"\";".len() + 16,
        "the build did not give sw.js a version: {version}"
    );
    let list = line("const PRECACHE = ");
    let json = list
        .trim_start_matches("const PRECACHE = ")
        .trim_end_matches(';');
    let listed: BTreeSet<String> = serde_json::from_str::<Vec<String>>(json)
        .expect("the precache list is a JSON array")
        .into_iter()
        .collect();
    let mut files = BTreeSet::new();
    let mut dirs = vec![dist.clone()];
    while let Some(d) = dirs.pop() {
        for e in std::fs::read_dir(&d).expect("dist is readable") {
            let p = e.expect("a dist entry").path();
            if p.is_dir() {
                dirs.push(p);
            } else if p.file_name().is_some_and(|n| n != "sw.js")
                && !p.extension().is_some_and(|e| e == "br" || e == "gz")
            {
                let rel = p.strip_prefix(&dist).expect("inside dist");
                files.insert(format!("/{}", rel.display()));
            }
        }
    }
    assert_eq!(listed, files, "the precache list is not the build's files");
    for must in [
        "/index.html",
        "/manifest.webmanifest",
        "/icons/icon-192.png",
    ] {
        assert!(listed.contains(must), "{must} is not precached");
    }
    assert!(
        listed.iter().any(|f| f.ends_with("_bg.wasm")),
        "no wasm precached"
    );
}

// ---------------------------------------------------------------------------------------
// Offline
// ---------------------------------------------------------------------------------------

/// After one visit, the app opens with the network cut off: the news it had, marked as
/// saved at a time, and the offline indicator; a news item it had opens too; a page it
/// never had says so instead of a blank page or a browser error.
#[tokio::test]
async fn the_app_opens_offline_with_what_it_had() {
    scenario("offline-open", async |h| {
        let link = NetLink::start(h.server.port).await;
        let b = h.browser_at("guest", &link.base).await?;
        b.goto(&format!("/h/{KHERSON}/news")).await?;
        b.wait_visible(NEWS_CARDS).await?;
        b.wait_service_worker().await?;
        // The first visit happened before the worker controlled the page: load again.
        b.reload().await?;
        b.wait_visible(NEWS_CARDS).await?;
        let titles = b.text("main ul.news-list").await?;
        let first = b
            .wait("main ul.news-list li.news-card h2 a, main ul.news-list li.news-card h3 a")
            .await?;
        let first_title = first.text().await?;
        b.click_element(&first).await?;
        b.wait_exact_text("main h1", &first_title).await?;
        wait_saved(&b, "/api/v1/news/").await?;
        b.go_in_app(&format!("/h/{KHERSON}/news")).await?;
        b.wait_visible(NEWS_CARDS).await?;
        wait_saved(&b, &format!("/api/v1/hromadas/{KHERSON}/news")).await?;

        go_offline(&b, &link).await?;
        b.reload().await?;
        b.wait_visible(NEWS_CARDS).await?;
        ensure!(
            b.text("main ul.news-list").await? == titles,
            "offline, the feed does not show the news it had"
        );
        b.wait_text(OFFLINE_NOTE, OFFLINE).await?;
        b.wait_text(OFFLINE_NOTE, SAVED).await?;
        b.screenshot("offline-open-1-feed-desktop").await?;
        b.phone().await?;
        b.screenshot("offline-open-2-feed-phone").await?;
        b.desktop().await?;
        // A news item it had.
        let again = b
            .wait_exact_text("main ul.news-list li.news-card a", &first_title)
            .await?;
        b.click_element(&again).await?;
        b.wait_exact_text("main h1", &first_title).await?;
        // A page it never had: a message and a way to try again, not a blank page.
        b.go_in_app(&format!("/h/{KHERSON}/polls")).await?;
        b.wait_visible("main .state-error button").await?;
        b.screenshot("offline-open-3-never-seen-desktop").await?;

        go_online(&b, &link).await?;
        b.wait_gone(OFFLINE_NOTE).await?;
        Ok(())
    })
    .await;
}

/// The issue's own scenario: a resident writes an appeal with a photo with the network
/// cut off; it waits in the outbox, shown with its state, also after the page is reloaded;
/// when the network returns the first delivery reaches the server but its answer is lost;
/// the outbox tries again with the same key and the server, which has the appeal, answers
/// with it. There is exactly one appeal, with its photo, and the form shows its number.
#[tokio::test]
async fn an_appeal_written_offline_is_delivered_once() {
    scenario("offline-appeal", async |h| {
        let link = NetLink::start(h.server.port).await;
        let b = h.browser_at("resident", &link.base).await?;
        sign_in(&b, RESIDENT_EMAIL, DEMO_PASSWORD).await?;
        let form = format!("/h/{KHERSON}/appeals/new");
        b.goto(&form).await?;
        b.wait_service_worker().await?;
        b.reload().await?;
        b.wait_visible("form.appeal-form #f-subject").await?;
        let categories =
            api_get(&b, &format!("/api/v1/hromadas/{KHERSON}/appeal-categories")).await?;
        let category = categories
            .as_array()
            .and_then(|l| l.first())
            .map(|c| text_of(&c["id"]))
            .ok_or_else(|| Failure(format!("no appeal categories: {categories}")))?;
        b.poll("the categories to load", async || {
            Ok((b.count("#f-category_id option").await? > 1).then_some(()))
        })
        .await?;
        let before = api_get(&b, "/api/v1/me/appeals").await?["items"]
            .as_array()
            .map_or(0, Vec::len);

        go_offline(&b, &link).await?;
        let subject = format!("Не працює вуличне освітлення ({})", unique());
        b.click("label[for=f-kind-complaint]").await?;
        select(&b, "#f-category_id", &category).await?;
        b.replace("#f-subject", &subject).await?;
        b.replace(
            "#f-text",
            "На вулиці Соборній третій тиждень не світять ліхтарі від № 10 до № 24. \
             Увечері темно, діти йдуть зі школи без світла.",
        )
        .await?;
        b.replace("#f-location", "вул. Соборна, 10–24").await?;
        let dir = TempDir::new("hromada-e2e-offline");
        let photo = write_file(&dir, "lamp.jpg", &from_hex(TINY_JPEG_HEX))?;
        b.wait("form.appeal-form #f-photos")
            .await?
            .send_keys(&photo.display().to_string())
            .await?;
        b.poll("the photo's preview", async || {
            Ok((b.count("form.appeal-form ul.previews li.preview").await? == 1).then_some(()))
        })
        .await?;
        b.click("form.appeal-form button[type=submit]").await?;
        b.wait_text(NOTICE, QUEUED).await?;
        b.wait_text(OUTBOX_LINK, "1").await?;
        b.screenshot("offline-appeal-1-queued-desktop").await?;

        // Reloaded, still offline: the outbox shows it and its state.
        b.reload().await?;
        b.wait_visible(OUTBOX_LINK).await?;
        b.click(OUTBOX_LINK).await?;
        b.wait_path("/outbox").await?;
        let item = b.wait_text(OUTBOX_ITEMS, &subject).await?;
        let text = item.text().await?;
        ensure!(
            text.contains("Звернення") && text.contains(WAITING),
            "the outbox's item does not say what it is and that it waits: “{text}”"
        );
        b.screenshot("offline-appeal-2-outbox-desktop").await?;
        b.phone().await?;
        b.screenshot("offline-appeal-3-outbox-phone").await?;
        b.desktop().await?;

        // The network returns; the first delivery's answer is lost on the way back.
        link.lose_answer_to("POST", &format!("/api/v1/hromadas/{KHERSON}"), "/appeals");
        go_online(&b, &link).await?;
        b.poll("the first delivery's answer to be lost", async || {
            Ok((link.lost() == 1).then_some(()))
        })
        .await?;
        // The outbox tries again by itself, and the server answers with the same appeal.
        b.wait_visible(OUTBOX_EMPTY).await?;
        b.wait_text(DELIVERED, &subject).await?;
        b.screenshot("offline-appeal-4-delivered-desktop").await?;
        let mine = api_get(&b, "/api/v1/me/appeals").await?;
        let items = mine["items"].as_array().cloned().unwrap_or_default();
        let same: Vec<&Value> = items
            .iter()
            .filter(|a| a["subject"] == json!(subject))
            .collect();
        ensure!(
            same.len() == 1 && items.len() == before + 1,
            "the appeal was made {} times ({} appeals before, {} now)",
            same.len(),
            before,
            items.len()
        );
        let id = text_of(&same[0]["id"]);
        let a = api_get(&b, &format!("/api/v1/appeals/{id}")).await?;
        ensure!(
            a["photos"].as_array().map(Vec::len) == Some(1),
            "the delivered appeal has not its one photo: {}",
            a["photos"]
        );
        // The form knows it was delivered: its draft is gone, its number shows.
        b.goto(&form).await?;
        b.wait_visible("form.appeal-form #f-subject").await?;
        ensure!(
            b.value("#f-subject").await?.is_empty(),
            "the delivered appeal's draft came back"
        );
        ensure!(
            b.count(OUTBOX_LINK).await? == 0,
            "the outbox link is still shown"
        );
        Ok(())
    })
    .await;
}

/// A poll answered offline, closed by staff before the network returns: the delivery is
/// refused; the outbox keeps it with the reason until the person dismisses it.
#[tokio::test]
async fn a_refused_submission_stays_with_its_reason() {
    scenario("offline-refused", async |h| {
        let staff = h.browser("staff").await?;
        sign_in(&staff, STAFF_EMAIL, DEMO_PASSWORD).await?;
        let opens = staff
            .js("return new Date(Date.now() - 3600e3).toISOString().slice(0, 19) + 'Z';")
            .await?;
        let closes = staff
            .js("return new Date(Date.now() + 14 * 86400e3).toISOString().slice(0, 19) + 'Z';")
            .await?;
        let draft = json!({
            "kind": "poll", "title": format!("Куди поставити нову лавку? ({})", unique()),
            "intro": "Громада питає вашої думки.", "audience": "signed_in",
            "results_shown": "always", "opens_at": opens, "closes_at": closes,
            "questions": [{"title": "Місце", "required": true, "kind": "single",
                "options": ["Біля школи", "У сквері"]}],
        });
        let r = api_with_headers(
            &staff,
            "POST",
            &format!("/api/v1/hromadas/{KHERSON}/polls"),
            Some(draft.clone()),
            json!({"Idempotency-Key": format!("e2e-offline-poll-{}", unique())}),
        )
        .await?;
        ensure!(
            r.status == 201,
            "creating the poll answered {}: {}",
            r.status,
            r.short()
        );
        let id = text_of(&r.json()["id"]);
        let r = api(&staff, "POST", &format!("/api/v1/polls/{id}/publish"), None).await?;
        ensure!(
            r.status == 200,
            "publishing answered {}: {}",
            r.status,
            r.short()
        );

        let link = NetLink::start(h.server.port).await;
        let b = h.browser_at("resident", &link.base).await?;
        sign_in(&b, RESIDENT_EMAIL, DEMO_PASSWORD).await?;
        b.goto(&format!("/polls/{id}")).await?;
        b.wait_service_worker().await?;
        b.reload().await?;
        b.wait_visible("main form.poll-form").await?;
        go_offline(&b, &link).await?;
        b.click("main #q-0-1").await?;
        b.click("main form.poll-form button[type=submit]").await?;
        b.wait_text(NOTICE, QUEUED).await?;

        // Staff close the poll meanwhile.
        let mut closed = draft.clone();
        closed["closes_at"] = staff
            .js("return new Date(Date.now() - 1000).toISOString().slice(0, 19) + 'Z';")
            .await?;
        let r = api(&staff, "PUT", &format!("/api/v1/polls/{id}"), Some(closed)).await?;
        ensure!(
            r.status == 200,
            "closing the poll answered {}: {}",
            r.status,
            r.short()
        );

        go_online(&b, &link).await?;
        b.click(OUTBOX_LINK).await?;
        b.wait_path("/outbox").await?;
        let item = b.wait_text(OUTBOX_ITEMS, REFUSED).await?;
        let text = item.text().await?;
        ensure!(
            text.contains(POLL_CLOSED) && text.contains("Відповідь на опитування"),
            "the refused answer does not say why: “{text}”"
        );
        b.screenshot("offline-refused-1-outbox-desktop").await?;
        // It stays, also after a reload, until dismissed.
        b.reload().await?;
        b.wait_text(OUTBOX_ITEMS, REFUSED).await?;
        b.click("main li.outbox-item button.outbox-cancel").await?;
        b.wait_visible(OUTBOX_EMPTY).await?;
        let results = api_get(&staff, &format!("/api/v1/polls/{id}")).await?;
        ensure!(
            results["responses"] == json!(0),
            "the refused answer was counted: {results}"
        );
        Ok(())
    })
    .await;
}

/// A new build installs beside the running one and waits: the page says a new version is
/// available and reloads only when the person agrees; then the old caches are gone.
#[tokio::test]
async fn a_new_version_waits_for_the_person() {
    let site = TempDir::new("hromada-e2e-site");
    copy_dir(&dist_dir(), site.path()).expect("the build copies");
    let path = site.path().to_path_buf();
    scenario_serving("offline-update", site.path(), async move |h: &Harness| {
        let b = h.browser("guest").await?;
        b.goto(&format!("/h/{KHERSON}")).await?;
        b.wait_service_worker().await?;
        let before = b.js("return caches.keys();").await?;
        mark_page(&b).await?;
        // The next build: another version of the worker.
        let sw = std::fs::read_to_string(path.join("sw.js"))?;
        let next = sw.replacen("const VERSION = \"", "const VERSION = \"e2e", 1);
        std::fs::write(path.join("sw.js"), next)?;
        b.js("return navigator.serviceWorker.getRegistration().then(r => r.update()).then(() => true);")
            .await?;
        b.wait_visible("main #update-ready").await?;
        tokio::time::sleep(Duration::from_millis(500)).await;
        let marked = b.js("return window.__e2eNotReloaded === true;").await?;
        ensure!(marked == json!(true), "the page reloaded before the person agreed");
        b.screenshot("offline-update-1-available-desktop").await?;
        b.click("main #update-reload").await?;
        b.poll("the page to reload into the new version", async || {
            Ok((b.js("return window.__e2eNotReloaded === true;").await? != json!(true)).then_some(()))
        })
        .await?;
        b.wait_app().await?;
        b.poll("the old version's cache to go", async || {
            let keys = b.js("return caches.keys();").await?;
            let shells: Vec<String> = keys
                .as_array()
                .map(|l| l.iter().map(text_of).filter(|k| k.starts_with("hromada-shell-")).collect())
                .unwrap_or_default();
            Ok((shells.len() == 1 && shells[0].starts_with("hromada-shell-e2e")).then_some(()))
        })
        .await
        .map_err(|e| Failure(format!("{} (caches before: {before})", e.0)))?;
        Ok(())
    })
    .await;
}

fn copy_dir(from: &std::path::Path, to: &std::path::Path) -> std::io::Result<()> {
    for e in std::fs::read_dir(from)? {
        let e = e?;
        let target = to.join(e.file_name());
        if e.file_type()?.is_dir() {
            std::fs::create_dir_all(&target)?;
            copy_dir(&e.path(), &target)?;
        } else {
            std::fs::copy(e.path(), target)?;
        }
    }
    Ok(())
}

/// The server's database away for a moment (issue 10): the server answers every API
/// request with 503 problem+json and `Retry-After` (played by the link, see
/// [`NetLink::database_away`]; the real server's answer is `server/tests/faults.rs`'s).
/// A signature given meanwhile waits in the outbox, not lost and not an error; a page
/// never seen shows, after its retries, that the server is briefly unavailable, with a way
/// to try again; a page opened during a short outage fills in by itself once the database
/// is back; and the signature is delivered exactly once.
#[tokio::test]
async fn a_database_outage_loses_nothing() {
    scenario("offline-database", async |h| {
        let link = NetLink::start(h.server.port).await;
        let b = h.browser_at("verified", &link.base).await?;
        sign_in(&b, VERIFIED_EMAIL, DEMO_PASSWORD).await?;
        let list = api_get(
            &b,
            &format!("/api/v1/hromadas/{KHERSON}/petitions?status=collecting"),
        )
        .await?;
        let mut chosen = None;
        for s in list["items"].as_array().cloned().unwrap_or_default() {
            let p = api_get(&b, &format!("/api/v1/petitions/{}", text_of(&s["id"]))).await?;
            let room =
                p["needed"].as_u64().unwrap_or(0) > p["signatures"].as_u64().unwrap_or(0) + 1;
            if p["signed"] == json!(false) && p["mine"] == json!(false) && room {
                chosen = Some(p);
                break;
            }
        }
        let p = chosen.ok_or_else(|| Failure(format!("no petition to sign: {list}")))?;
        let id = text_of(&p["id"]);
        let before = p["signatures"].as_u64().unwrap_or(0);
        b.goto(&format!("/petitions/{id}")).await?;
        b.wait_service_worker().await?;
        b.reload().await?;
        let sign = "main section.sign-box button.button-big";
        b.wait_visible(sign).await?;

        // The database goes away: the signature waits in the outbox.
        link.database_away(true);
        b.click(sign).await?;
        // Nothing to press twice while it waits: the box says where the signature is.
        b.wait_text(
            "main section.sign-box .sign-waiting",
            "Ваш підпис чекає в черзі на надсилання",
        )
        .await?;
        ensure!(
            b.count(sign).await? == 0,
            "the sign button is still offered while the signature waits"
        );
        b.wait_text(OUTBOX_LINK, "1").await?;
        ensure!(
            link.unavailable() >= 1,
            "the signature did not meet the unavailable server"
        );
        b.screenshot("offline-database-1-queued-desktop").await?;
        b.phone().await?;
        b.js(SIGN_BOX_INTO_VIEW).await?;
        b.screenshot("offline-database-1-queued-phone").await?;
        set_language(&b, "en").await?;
        b.wait_text(
            "main section.sign-box .sign-waiting",
            "Your signature waits in the outbox",
        )
        .await?;
        // The time left follows the language too.
        b.wait_text("main h1 + p.meta", " left").await?;
        b.js(SIGN_BOX_INTO_VIEW).await?;
        b.screenshot("offline-database-1-queued-phone-en").await?;
        b.desktop().await?;
        b.js(SIGN_BOX_INTO_VIEW).await?;
        b.screenshot("offline-database-1-queued-desktop-en").await?;
        set_language(&b, "uk").await?;

        // A page never seen: tried again, then told plainly, with a way to try again.
        b.go_in_app(&format!("/h/{KHERSON}/services")).await?;
        b.poll(
            "the services page to say the server is unavailable",
            async || {
                let shown = b.count("main .state-error button").await? > 0
                    && b.text("main .state-error").await?.contains(UNAVAILABLE);
                Ok(shown.then_some(()))
            },
        )
        .await?;
        b.phone().await?;
        b.screenshot("offline-database-2-unavailable-phone").await?;
        b.desktop().await?;

        // A page opened during a short outage fills in once the database is back.
        let answered = link.unavailable();
        b.go_in_app(&format!("/h/{KHERSON}/polls")).await?;
        b.poll("the polls page to ask the unavailable server", async || {
            Ok((link.unavailable() > answered).then_some(()))
        })
        .await?;
        tokio::time::sleep(Duration::from_millis(1500)).await;
        link.database_away(false);
        b.poll("the polls page to fill in by itself", async || {
            let ready = b.count("main .state-loading").await? == 0
                && b.count("main .state-error").await? == 0
                && b.count("main li").await? > 0;
            Ok(ready.then_some(()))
        })
        .await?;

        // The outbox delivers the signature once.
        b.poll("the outbox to empty", async || {
            Ok((b.count(OUTBOX_LINK).await? == 0).then_some(()))
        })
        .await?;
        let after = api_get(&b, &format!("/api/v1/petitions/{id}")).await?;
        ensure!(
            after["signed"] == json!(true) && after["signatures"].as_u64() == Some(before + 1),
            "the petition was not signed exactly once: {before} before, now {after}"
        );
        b.goto(&format!("/petitions/{id}")).await?;
        b.wait_visible("main section.sign-box .signed").await?;
        Ok(())
    })
    .await;
}
