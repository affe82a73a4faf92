//! End-to-end tests of a hromada's news and urgent alerts: staff publish, residents' open
//! pages show it live, bodies are formatted safely, bad input is shown beside its field, the
//! feed filters and searches, and the pages fit a phone.
//!
//! Like `e2e.rs`, each scenario has a server, a database, a chromedriver and browsers of its
//! own. Build first (`make test` does it all), then:
//! `cargo test -p hromada-e2e -- --test-threads=1`.

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use hromada_e2e::{
    Browser, DESKTOP, Element, Failure, KHERSON, KHERSON_NAME, Locator, PHONE, Result, TempDir,
    ensure, scenario,
};

/// The demo staff member of Херсонська громада.
const STAFF_EMAIL: &str = "staff@demo.example";
/// A demo resident of Херсонська громада.
const RESIDENT_EMAIL: &str = "resident@demo.example";
const DEMO_PASSWORD: &str = "demo-password";

/// How soon a new news item or alert must show in another open app. The issue asks for
/// 2 s; one more second covers WebDriver's round trips and the waits' polling.
const LIVE: Duration = Duration::from_secs(3);

/// A demo news item, and a word of its title as a person would type it into the search.
const DEMO_TITLE: &str = "Тролейбус № 9 повертається на маршрут";
const DEMO_WORD: &str = "тролейбус";

/// How long opening a page of the app, with its news, may take on this machine.
const PAGE_LOAD: Duration = Duration::from_secs(5);

/// The largest cover image the staff may upload (10 MiB).
const IMAGE_MAX_BYTES: usize = 10 * 1024 * 1024;

const CARDS: &str = "main ul.news-list li.news-card";
const BANNERS: &str = "section.alerts .alert-banner";

fn hromada_path() -> String {
    format!("/h/{KHERSON}")
}

fn feed_path() -> String {
    format!("/h/{KHERSON}/news")
}

fn staff_path() -> String {
    format!("/h/{KHERSON}/staff")
}

fn staff_news_path() -> String {
    format!("/h/{KHERSON}/staff/news")
}

fn new_news_path() -> String {
    format!("/h/{KHERSON}/staff/news/new")
}

fn staff_alerts_path() -> String {
    format!("/h/{KHERSON}/staff/alerts")
}

/// A short mark that makes a title or a text this run's own.
fn unique() -> String {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    format!("{:x}", nanos % 0xff_ffff)
}

// ---------------------------------------------------------------------------------------
// Steps shared by the scenarios
// ---------------------------------------------------------------------------------------

/// Signs in from /signin and waits until the header shows who is signed in.
async fn sign_in(b: &Browser, email: &str, password: &str) -> Result {
    b.goto("/signin").await?;
    b.replace("#f-email", email).await?;
    b.replace("#f-password", password).await?;
    submit(b).await?;
    b.wait(".who .who-name").await?;
    Ok(())
}

/// Opens Херсонська громада's home page, which makes it the remembered one (its alerts show
/// on every page, its live stream is open).
async fn choose_kherson(b: &Browser) -> Result {
    b.goto(&hromada_path()).await?;
    b.wait_text("main h1", KHERSON_NAME).await?;
    Ok(())
}

/// Submits the form the page shows.
async fn submit(b: &Browser) -> Result {
    b.click("form.form button[type=submit]").await
}

/// Chooses the option with the value `value` of the select matching `css`, and returns the
/// option's text.
async fn select(b: &Browser, css: &str, value: &str) -> Result<String> {
    let el = b.wait_visible(css).await?;
    el.select_by_value(value).await?;
    let option = el
        .find(Locator::Css(&format!("option[value='{value}']")))
        .await?;
    let chosen = b.value(css).await?;
    ensure!(
        chosen == value,
        "{css} holds {chosen:?} after choosing {value:?}"
    );
    Ok(option.text().await?.trim().to_owned())
}

/// Marks the page, so that [`ensure_not_reloaded`] can tell that it was not reloaded since.
async fn mark_page(b: &Browser) -> Result {
    b.js("window.__e2eNotReloaded = true;").await?;
    Ok(())
}

async fn ensure_not_reloaded(b: &Browser, who: &str) -> Result {
    let same = b.js("return window.__e2eNotReloaded === true;").await?;
    ensure!(
        same.as_bool() == Some(true),
        "{who}'s page was reloaded: live updates must arrive without a reload"
    );
    Ok(())
}

/// Fails when something that must arrive live took longer than [`LIVE`] since `since`.
fn ensure_live(since: Instant, what: &str) -> Result {
    let took = since.elapsed();
    eprintln!("live: {what} after {took:.2?}");
    ensure!(
        took <= LIVE,
        "{what} only after {took:.1?}; live updates must arrive within {LIVE:?}"
    );
    Ok(())
}

/// The news card whose title contains `title`.
async fn card(b: &Browser, title: &str) -> Result<Element> {
    b.poll(&format!("a news card titled “{title}”"), async || {
        for el in b.client.find_all(Locator::Css(CARDS)).await? {
            let h = el.find(Locator::Css("h3")).await?.text().await?;
            if h.contains(title) {
                return Ok(Some(el));
            }
        }
        Ok(None)
    })
    .await
}

/// The titles of the news cards shown now.
async fn card_titles(b: &Browser) -> Result<Vec<String>> {
    let mut out = vec![];
    for el in b.client.find_all(Locator::Css(CARDS)).await? {
        out.push(
            el.find(Locator::Css("h3"))
                .await?
                .text()
                .await?
                .trim()
                .to_owned(),
        );
    }
    Ok(out)
}

/// The alert banner whose text contains `text`.
async fn banner(b: &Browser, text: &str) -> Result<Element> {
    b.wait_text(BANNERS, text).await
}

/// Waits until no banner with `text` is shown.
async fn wait_no_banner(b: &Browser, text: &str) -> Result {
    b.poll(&format!("no alert banner with “{text}”"), async || {
        for el in b.client.find_all(Locator::Css(BANNERS)).await? {
            if el.is_displayed().await? && el.text().await?.contains(text) {
                return Ok(None);
            }
        }
        Ok(Some(()))
    })
    .await
}

/// Waits until the error beside a field is shown (and differs from `other`, an earlier
/// error of the same field) and the field is marked invalid; returns the error.
async fn field_error(b: &Browser, field: &str, other: Option<&str>) -> Result<String> {
    let css = format!("#f-{field}-error");
    let what = match other {
        Some(o) => format!("an error in `{css}` other than “{o}”"),
        None => format!("an error in `{css}`"),
    };
    let text = b
        .poll(&what, async || {
            let t = b.client.find(Locator::Css(&css)).await?.text().await?;
            let t = t.trim().to_owned();
            Ok((!t.is_empty() && Some(t.as_str()) != other).then_some(t))
        })
        .await?;
    b.wait_attr(&format!("#f-{field}"), "aria-invalid", "true")
        .await?;
    Ok(text)
}

/// Fails unless each input holds what was typed into it.
async fn ensure_kept(b: &Browser, fields: &[(&str, &str)]) -> Result {
    for (css, typed) in fields {
        let value = b.value(css).await?;
        ensure!(
            value == *typed,
            "{css} holds {value:?} after the error, expected what was typed: {typed:?}"
        );
    }
    Ok(())
}

/// A time `hours` from now as a `datetime-local` input takes it, in the browser's time zone.
async fn local_time_in(b: &Browser, hours: i32) -> Result<String> {
    let v = b
        .client
        .execute(
            "const d = new Date(Date.now() + arguments[0] * 3600e3);\n\
             const p = n => String(n).padStart(2, '0');\n\
             return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;",
            vec![serde_json::json!(hours)],
        )
        .await?;
    v.as_str()
        .map(str::to_owned)
        .ok_or_else(|| Failure(format!("the browser gave no time: {v}")))
}

/// From the staff desk, through its links, to the form of a new news item.
async fn open_news_editor(staff: &Browser) -> Result {
    staff.go_in_app(&staff_path()).await?;
    staff
        .click(&format!("main a[href='{}']", staff_news_path()))
        .await?;
    staff.wait_path(&staff_news_path()).await?;
    staff
        .click(&format!("main a[href='{}']", new_news_path()))
        .await?;
    staff.wait_path(&new_news_path()).await?;
    staff.wait_visible("form.form #f-title").await?;
    Ok(())
}

/// The path of the first item in the feed (`/news/{id}`).
async fn first_item_path(b: &Browser) -> Result<String> {
    b.goto(&feed_path()).await?;
    let href = b.attr(&format!("{CARDS} h3 a"), "href").await?;
    let href = href.ok_or_else(|| Failure("the first news card's link has no href".into()))?;
    ensure!(
        href.starts_with("/news/"),
        "the first news card links to {href}, expected /news/{{id}}"
    );
    Ok(href)
}

/// Switches the app's language with the footer's switch.
async fn set_language(b: &Browser, lang: &str) -> Result {
    b.click(&format!(".lang-switch button[lang={lang}]"))
        .await?;
    b.wait_attr("html", "lang", lang).await
}

// ---------------------------------------------------------------------------------------
// Scenarios
// ---------------------------------------------------------------------------------------

/// Staff publish a news item with a formatted body, and a script and an event handler in
/// it; a resident's open feed shows it within seconds without a reload; its page shows the
/// formatting, and nothing the author wrote runs.
#[tokio::test]
async fn published_news_appears_live_and_its_body_is_formatted_safely() {
    scenario("news-live", async |h| {
        let resident = h.browser("resident").await?;
        sign_in(&resident, RESIDENT_EMAIL, DEMO_PASSWORD).await?;
        choose_kherson(&resident).await?;
        resident.goto(&feed_path()).await?;
        resident.wait_visible(CARDS).await?;
        mark_page(&resident).await?;

        let staff = h.browser("staff").await?;
        sign_in(&staff, STAFF_EMAIL, DEMO_PASSWORD).await?;
        open_news_editor(&staff).await?;
        let mark = unique();
        let title = format!("Вода за новим графіком {mark}");
        let heading = format!("Підзаголовок {mark}");
        let item = format!("пункт списку {mark}");
        let bold = format!("жирний текст {mark}");
        let body = format!(
            "Вступ до новини.\n\n## {heading}\n\n- {item}\n- другий пункт\n\n\
             Тут **{bold}** і посилання на [сайт](https://example.org), \
             а ще [небезпечне](javascript:window.__pwned=3).\n\n\
             <script>window.__pwned = 1</script>\n\n\
             <img src=x onerror=\"window.__pwned=2\">\n\nКінець."
        );
        staff.type_into("#f-title", &title).await?;
        staff
            .type_into("#f-summary", "Подача води змінюється з понеділка.")
            .await?;
        let category = select(&staff, "#f-category", "utilities").await?;
        staff.type_into("#f-body", &body).await?;
        staff.click("#publish-now").await?;
        staff.screenshot("news-live-1-editor-desktop").await?;
        let sent = Instant::now();
        submit(&staff).await?;

        let new_card = card(&resident, &title).await?;
        ensure_live(sent, "the resident's open feed showed the new item")?;
        ensure_not_reloaded(&resident, "the resident").await?;
        let shown = new_card
            .find(Locator::Css(".news-category"))
            .await?
            .text()
            .await?;
        ensure!(
            shown.trim() == category,
            "the new card's category is “{shown}”, expected “{category}”"
        );
        let first = card_titles(&resident).await?;
        ensure!(
            first.first().is_some_and(|t| t.contains(&title)),
            "the new item is not first in the feed (newest first): {first:?}"
        );
        resident.screenshot("news-live-2-feed-desktop").await?;

        // The staff member lands on the list of all items, the new one among them.
        staff.wait_path(&staff_news_path()).await?;
        card(&staff, &title).await?;

        // The item's page: the formatting is there, the script and the handler are not.
        resident
            .click_text(&format!("{CARDS} h3 a"), &title)
            .await?;
        resident.wait_exact_text("main h1", &title).await?;
        let item_path = resident.path().await?;
        ensure!(
            item_path.starts_with("/news/"),
            "the item opened at {item_path}, expected /news/{{id}}"
        );
        for step in ["after following the link", "after a reload"] {
            if step == "after a reload" {
                // The address can be shared: opened afresh, it shows the same item.
                resident.reload().await?;
                resident.wait_exact_text("main h1", &title).await?;
            }
            resident.wait_text(".news-body h2", &heading).await?;
            resident.wait_text(".news-body li", &item).await?;
            resident.wait_text(".news-body strong", &bold).await?;
            resident
                .wait(".news-body a[href='https://example.org']")
                .await?;
            // Give an image's error handler, had one been made, the time to fire.
            tokio::time::sleep(Duration::from_millis(300)).await;
            let found = resident.js(UNSAFE_JS).await?;
            let found: Vec<&str> = found
                .as_array()
                .map(|l| l.iter().filter_map(|v| v.as_str()).collect())
                .unwrap_or_default();
            ensure!(
                found.is_empty(),
                "the news page ({step}) let the author's markup through: {}",
                found.join("; ")
            );
        }
        resident.screenshot("news-live-3-item-desktop").await?;
        Ok(())
    })
    .await;
}

/// What an author must never get into a reader's page: lists each thing found.
const UNSAFE_JS: &str = r#"
const out = [];
const body = document.querySelector('.news-body');
if (!body) return ['no .news-body on the page'];
for (const el of body.querySelectorAll('script, iframe, object, embed, style')) out.push(`a <${el.tagName.toLowerCase()}> element in the body`);
for (const el of document.querySelectorAll('*')) {
  for (const a of el.attributes) {
    if (a.name.toLowerCase().startsWith('on')) out.push(`<${el.tagName.toLowerCase()} ${a.name}="${a.value}">`);
  }
}
for (const a of body.querySelectorAll('a[href]')) {
  if (/^\s*javascript:/i.test(a.getAttribute('href'))) out.push(`a link to ${a.getAttribute('href')}`);
}
if (typeof window.__pwned !== 'undefined') out.push(`window.__pwned is ${window.__pwned}: the author's script ran`);
return out;
"#;

/// Staff issue a danger alert; open pages of the hromada show it within seconds, above the
/// less severe one; a resident hides it for good; when staff end it, it leaves the other
/// open pages by itself.
#[tokio::test]
async fn alerts_appear_and_end_live_and_stay_hidden() {
    scenario("alert-live", async |h| {
        let resident = h.browser("resident").await?;
        sign_in(&resident, RESIDENT_EMAIL, DEMO_PASSWORD).await?;
        choose_kherson(&resident).await?;
        // The demo's active alert is there already.
        resident.wait_visible(BANNERS).await?;
        mark_page(&resident).await?;

        // A guest who chose the hromada, reading its news.
        let guest = h.browser("guest").await?;
        choose_kherson(&guest).await?;
        guest.go_in_app(&feed_path()).await?;
        guest.wait_visible(CARDS).await?;
        guest.wait_visible(BANNERS).await?;
        mark_page(&guest).await?;

        let staff = h.browser("staff").await?;
        sign_in(&staff, STAFF_EMAIL, DEMO_PASSWORD).await?;
        staff.go_in_app(&staff_path()).await?;
        staff
            .click(&format!("main a[href='{}']", staff_alerts_path()))
            .await?;
        staff.wait_path(&staff_alerts_path()).await?;
        let text = format!("Повітряна тривога {}: пройдіть до укриття", unique());
        select(&staff, "#f-severity", "danger").await?;
        staff.type_into("#f-text", &text).await?;
        staff.type_into("#f-area", "Уся громада").await?;
        staff.screenshot("alert-live-1-form-desktop").await?;
        let sent = Instant::now();
        submit(&staff).await?;

        let shown = banner(&resident, &text).await?;
        ensure_live(sent, "the resident's open home page showed the new alert")?;
        banner(&guest, &text).await?;
        ensure_live(sent, "the guest's open feed showed the new alert")?;
        ensure_not_reloaded(&resident, "the resident").await?;
        ensure_not_reloaded(&guest, "the guest").await?;
        let class = shown.attr("class").await?.unwrap_or_default();
        ensure!(
            class.split_whitespace().any(|c| c == "alert-danger"),
            "the danger alert's banner has the classes “{class}”, expected alert-danger"
        );
        let first = resident.text(BANNERS).await?;
        ensure!(
            first.contains(&text),
            "the danger alert is not the first banner (most severe first); the first is “{first}”"
        );
        ensure!(
            shown.text().await?.contains("Уся громада"),
            "the banner does not show the alert's area"
        );
        resident.screenshot("alert-live-2-resident-desktop").await?;

        // Staff see it in their list, with the form emptied for the next one.
        staff.wait_text("main ul.cards li.card", &text).await?;
        ensure!(
            staff.value("#f-text").await?.is_empty(),
            "the alert form still holds the text after it was issued"
        );

        // The resident hides it: only that one goes, and for good.
        let hide = shown.find(Locator::Css(".alert-hide")).await?;
        resident.click_element(&hide).await?;
        wait_no_banner(&resident, &text).await?;
        resident.wait_visible(BANNERS).await?;
        resident.reload().await?;
        // The demo's alert shows again: the alerts have loaded, and the hidden one is not
        // among them.
        resident.wait_visible(BANNERS).await?;
        wait_no_banner(&resident, &text).await?;
        let banners = resident.text("section.alerts").await?;
        ensure!(
            !banners.contains(&text),
            "the hidden alert is back after a reload: {banners}"
        );

        // Staff end it: it leaves the guest's open page by itself.
        let staff_card = staff.wait_text("main ul.cards li.card", &text).await?;
        let end = staff_card
            .find(Locator::Css("button.button-danger"))
            .await?;
        let ended = Instant::now();
        staff.click_element(&end).await?;
        wait_no_banner(&guest, &text).await?;
        ensure_live(ended, "the ended alert left the guest's open feed")?;
        ensure_not_reloaded(&guest, "the guest").await?;
        guest.wait_visible(BANNERS).await?;
        guest.screenshot("alert-live-3-ended-desktop").await?;
        Ok(())
    })
    .await;
}

/// Bad input in the staff forms is shown beside its field, with what was typed kept: an
/// empty title, a title over 200 characters, an image over 10 MB, a file that is not an
/// image, an alert that expires before it starts.
#[tokio::test]
async fn staff_forms_show_bad_input_beside_the_field() {
    scenario("news-bad-input", async |h| {
        let staff = h.browser("staff").await?;
        sign_in(&staff, STAFF_EMAIL, DEMO_PASSWORD).await?;
        staff.go_in_app(&new_news_path()).await?;
        staff.wait_visible("form.form #f-title").await?;
        let summary = "Короткий опис, який не має загубитися.";
        let body = "## Деталі\n\n- перший пункт\n- другий пункт";
        staff.type_into("#f-summary", summary).await?;
        select(&staff, "#f-category", "utilities").await?;
        staff.type_into("#f-body", body).await?;
        staff.click("#publish-now").await?;

        // No title.
        submit(&staff).await?;
        let required = field_error(&staff, "title", None).await?;
        ensure_kept(
            &staff,
            &[
                ("#f-title", ""),
                ("#f-summary", summary),
                ("#f-category", "utilities"),
                ("#f-body", body),
            ],
        )
        .await?;
        for other in ["summary", "category", "body", "cover_id"] {
            let text = staff.text(&format!("#f-{other}-error")).await?;
            ensure!(
                text.trim().is_empty(),
                "#f-{other}-error shows “{text}” although only the title is wrong"
            );
        }
        staff
            .screenshot("news-bad-input-1-no-title-desktop")
            .await?;

        // A title of 201 characters.
        let long = "Т".repeat(201);
        staff.replace("#f-title", &long).await?;
        submit(&staff).await?;
        field_error(&staff, "title", Some(&required)).await?;
        let kept = staff.value("#f-title").await?;
        ensure!(
            kept.chars().count() == 201,
            "the 201-character title was not kept: it holds {} characters",
            kept.chars().count()
        );
        ensure_kept(
            &staff,
            &[
                ("#f-summary", summary),
                ("#f-category", "utilities"),
                ("#f-body", body),
            ],
        )
        .await?;
        ensure!(
            staff.path().await? == new_news_path(),
            "the editor left {} after a field error",
            new_news_path()
        );

        // An image over the limit, then a cover that is not an image.
        let dir = TempDir::new("hromada-e2e-files");
        let big_file = dir.path().join("too-large.jpg");
        let mut big = vec![0u8; IMAGE_MAX_BYTES + 1];
        big[..4].copy_from_slice(&[0xFF, 0xD8, 0xFF, 0xE0]);
        std::fs::write(&big_file, big)?;
        let text_file = dir.path().join("not-an-image.txt");
        std::fs::write(&text_file, "Це текст, а не зображення.\n")?;

        let input = staff.wait("#f-cover_id").await?;
        input.send_keys(&big_file.display().to_string()).await?;
        let too_large = field_error(&staff, "cover_id", None).await?;
        staff.set_value("#f-cover_id", "").await?;
        let input = staff.wait("#f-cover_id").await?;
        input.send_keys(&text_file.display().to_string()).await?;
        field_error(&staff, "cover_id", Some(&too_large)).await?;
        staff
            .screenshot("news-bad-input-2-not-an-image-desktop")
            .await?;
        ensure_kept(
            &staff,
            &[
                ("#f-summary", summary),
                ("#f-category", "utilities"),
                ("#f-body", body),
            ],
        )
        .await?;
        ensure!(
            staff.value("#f-title").await?.chars().count() == 201,
            "the title was lost after the cover's error"
        );

        // An alert that expires before it starts.
        staff.go_in_app(&staff_alerts_path()).await?;
        staff.wait_visible("form.form #f-text").await?;
        let text = "Відключення води на вулиці Соборній.";
        staff.type_into("#f-text", text).await?;
        let starts = local_time_in(&staff, 2).await?;
        let expires = local_time_in(&staff, 1).await?;
        staff.set_value("#f-starts_at", &starts).await?;
        staff.set_value("#f-expires_at", &expires).await?;
        submit(&staff).await?;
        field_error(&staff, "expires_at", None).await?;
        ensure_kept(
            &staff,
            &[
                ("#f-text", text),
                ("#f-starts_at", &starts),
                ("#f-expires_at", &expires),
            ],
        )
        .await?;
        // The list (the demo's alert in it) has no such alert.
        staff.wait_visible("main ul.cards li.card").await?;
        let list = staff.text("main ul.cards").await?;
        ensure!(
            !list.contains(text),
            "the alert that expires before it starts was issued anyway: {list}"
        );
        staff.screenshot("news-bad-input-3-alert-desktop").await?;
        Ok(())
    })
    .await;
}

/// The feed: a category chip shows only that category; "more" loads the next page without
/// repeating any item; the search finds a demo item by a word of its title, and a word
/// found nowhere shows the empty state.
#[tokio::test]
async fn feed_filters_by_category_pages_and_searches() {
    scenario("news-feed", async |h| {
        let b = h.browser("guest").await?;
        choose_kherson(&b).await?;
        // The home page shows the latest news and links to the whole feed.
        b.wait_visible(CARDS).await?;
        b.click(&format!("main a[href='{}']", feed_path())).await?;
        b.wait_path(&feed_path()).await?;
        b.wait_visible(CARDS).await?;
        let first_page = b.count(CARDS).await?;

        // More, through the cursor.
        b.click_text("main button", "Показати ще").await?;
        let all = b
            .poll(
                "more news cards after “Показати ще”",
                async || {
                    let n = b.count(CARDS).await?;
                    Ok((n > first_page).then_some(n))
                },
            )
            .await?;
        let titles = card_titles(&b).await?;
        let mut hrefs = vec![];
        for el in b
            .client
            .find_all(Locator::Css(&format!("{CARDS} h3 a")))
            .await?
        {
            hrefs.push(el.attr("href").await?.unwrap_or_default());
        }
        let mut unique_hrefs = hrefs.clone();
        unique_hrefs.sort();
        unique_hrefs.dedup();
        ensure!(
            unique_hrefs.len() == hrefs.len(),
            "the feed repeats items after “Показати ще”: {titles:?}"
        );
        ensure!(
            all >= 30,
            "the demo feed has {all} items after two pages, expected at least 30"
        );

        // A category.
        let chip = "main a.chip[href$='category=health']";
        let label = b.text(chip).await?.trim().to_owned();
        b.click(chip).await?;
        b.wait_attr(chip, "aria-current", "true").await?;
        let shown = b
            .poll(
                &format!("only cards of the category “{label}”"),
                async || {
                    let mut n = 0;
                    for el in b
                        .client
                        .find_all(Locator::Css(&format!("{CARDS} .news-category")))
                        .await?
                    {
                        if el.text().await?.trim() != label {
                            return Ok(None);
                        }
                        n += 1;
                    }
                    Ok((n > 0).then_some(n))
                },
            )
            .await?;
        ensure!(
            shown < all,
            "the category “{label}” shows {shown} of {all} items: the filter does nothing"
        );
        let query = b
            .client
            .current_url()
            .await?
            .query()
            .unwrap_or("")
            .to_owned();
        ensure!(
            query.contains("category=health"),
            "the filtered feed's address has no category: ?{query}"
        );
        b.screenshot("news-feed-1-category-desktop").await?;

        // Back to all, then a search.
        b.click(&format!("main a.chip[href='{}']", feed_path()))
            .await?;
        b.poll("the whole feed again", async || {
            Ok((b.count(CARDS).await? >= first_page).then_some(()))
        })
        .await?;
        b.type_into("#news-q", DEMO_WORD).await?;
        b.click("form.search-row button[type=submit]").await?;
        let found = b
            .poll(
                &format!("the search for “{DEMO_WORD}” to find “{DEMO_TITLE}” and fewer items"),
                async || {
                    let titles = card_titles(&b).await?;
                    Ok(
                        (titles.iter().any(|t| t == DEMO_TITLE) && titles.len() < first_page)
                            .then_some(titles),
                    )
                },
            )
            .await?;
        ensure!(
            b.value("#news-q").await? == DEMO_WORD,
            "the search box lost the words searched for"
        );
        b.screenshot("news-feed-2-search-desktop").await?;
        eprintln!("search for “{DEMO_WORD}” found {found:?}");

        b.replace("#news-q", "жодноготакогослованемає").await?;
        b.click("form.search-row button[type=submit]").await?;
        b.wait_visible("main .state-empty").await?;
        ensure!(
            b.count(CARDS).await? == 0,
            "a search for a word found nowhere still shows cards"
        );
        Ok(())
    })
    .await;
}

/// On a 360×640 phone, in both languages, no news page is wider than the screen: the feed,
/// an item, the hromada's home with the latest news, the staff's list, the editor (new and
/// existing item) and the alerts desk.
#[tokio::test]
async fn news_pages_fit_a_phone_screen() {
    scenario("news-phone-width", async |h| {
        let b = h.browser("staff").await?;
        sign_in(&b, STAFF_EMAIL, DEMO_PASSWORD).await?;
        choose_kherson(&b).await?;
        let item = first_item_path(&b).await?;
        let edit = format!("{item}/edit");
        b.phone().await?;
        let pages = [
            (feed_path(), "main ul.news-list li.news-card"),
            (item.clone(), "main article.article .news-body"),
            (hromada_path(), "main ul.news-list li.news-card"),
            (staff_news_path(), "main ul.news-list li.news-card"),
            (new_news_path(), "main form.form #f-body"),
            (edit, "main form.form #f-title"),
            (staff_alerts_path(), "main ul.cards li.card"),
        ];
        let mut too_wide = vec![];
        for lang in ["uk", "en"] {
            set_language(&b, lang).await?;
            for (path, ready) in &pages {
                // Within the app, as a person following its links: loading every page
                // afresh would trip over the stall `many_pages_opened_in_one_tab_load_promptly`
                // looks for, which is not what this scenario is about.
                b.go_in_app(path).await?;
                b.wait_visible(ready).await?;
                b.wait_visible(BANNERS).await?;
                let wide = b.too_wide().await?;
                if !wide.is_empty() {
                    too_wide.push(format!("{path} ({lang}): {}", wide.join("; ")));
                }
            }
        }
        ensure!(
            too_wide.is_empty(),
            "news pages wider than a 360 px phone screen:\n  {}",
            too_wide.join("\n  ")
        );
        Ok(())
    })
    .await;
}

/// A person who opens one page of the hromada after another in the same tab (shared links,
/// typed addresses) is not kept waiting: each loads within a few seconds, however many came
/// before. Every page holds a live stream; if the pages the browser keeps for "back" keep
/// theirs open, the browser soon runs out of its six connections to the server and the next
/// page hangs until one is let go.
#[tokio::test]
async fn many_pages_opened_in_one_tab_load_promptly() {
    scenario("many-pages", async |h| {
        let b = h.browser("guest").await?;
        choose_kherson(&b).await?;
        b.wait_visible(CARDS).await?;
        for n in 2..=9 {
            let path = if n % 2 == 0 {
                feed_path()
            } else {
                hromada_path()
            };
            let started = Instant::now();
            b.goto(&path).await?;
            b.wait_visible(CARDS).await.map_err(|e| {
                Failure(format!(
                    "page load {n} in one tab ({path}) did not show its news: {e}\n  {STALL}"
                ))
            })?;
            let took = started.elapsed();
            ensure!(
                took <= PAGE_LOAD,
                "page load {n} in one tab ({path}) took {took:.1?}, more than {PAGE_LOAD:?}.\n  {STALL}"
            );
        }
        Ok(())
    })
    .await;
}

/// The likely cause of a page that will not load after others in the same tab.
const STALL: &str = "Are the live streams of the earlier pages (kept by the browser's back/forward \
    cache) still open, using up its six connections to the server?";

/// Screenshots of the news pages at 360×640 and 1280×800 in both languages, for a person to
/// look at; runs only with `HROMADA_SCREENSHOTS=1` (see `scripts/screenshots.sh`).
#[tokio::test]
async fn screenshots_of_the_news_pages() {
    if !hromada_e2e::screenshots_wanted() {
        eprintln!("skipped: set HROMADA_SCREENSHOTS=1 to take the screenshots");
        return;
    }
    scenario("news-screenshots", async |h| {
        let staff = h.browser("tour-staff").await?;
        sign_in(&staff, STAFF_EMAIL, DEMO_PASSWORD).await?;
        choose_kherson(&staff).await?;
        let guest = h.browser("tour-guest").await?;
        choose_kherson(&guest).await?;
        let item = first_item_path(&guest).await?;
        for lang in ["uk", "en"] {
            set_language(&staff, lang).await?;
            set_language(&guest, lang).await?;
            for (size, dims) in [("desktop", DESKTOP), ("phone", PHONE)] {
                staff.set_viewport(dims).await?;
                guest.set_viewport(dims).await?;
                let shot = |page: &str| format!("tour-{lang}-{size}-{page}");
                guest.go_in_app(&hromada_path()).await?;
                guest.wait_visible(CARDS).await?;
                guest.screenshot(&shot("hromada-news")).await?;
                guest.go_in_app(&feed_path()).await?;
                guest.wait_visible(CARDS).await?;
                guest.screenshot(&shot("news-feed")).await?;
                guest.go_in_app(&item).await?;
                guest
                    .wait_visible("main article.article .news-body")
                    .await?;
                guest.screenshot(&shot("news-item")).await?;
                staff.go_in_app(&staff_news_path()).await?;
                staff.wait_visible(CARDS).await?;
                staff.screenshot(&shot("staff-news")).await?;
                staff.go_in_app(&new_news_path()).await?;
                staff.wait_visible("main form.form #f-title").await?;
                submit(&staff).await?;
                field_error(&staff, "title", None).await?;
                staff.screenshot(&shot("staff-news-editor-errors")).await?;
                staff.go_in_app(&format!("{item}/edit")).await?;
                staff.wait_visible("main form.form #f-title").await?;
                staff.screenshot(&shot("staff-news-edit")).await?;
                staff.go_in_app(&staff_alerts_path()).await?;
                staff.wait_visible("main ul.cards li.card").await?;
                staff.screenshot(&shot("staff-alerts")).await?;
            }
        }
        Ok(())
    })
    .await;
}
