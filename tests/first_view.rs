//! First views (issue 10): a visit that starts on a hromada's page, its news feed, a news
//! item, a petition, a budget project or the appeal form gets that page as plain HTML
//! inside `index.html`, readable before the app's module arrives; the app replaces it when
//! it starts. Checked here: what the server sends (the real data of the page, escaped, in
//! the visitor's language, nothing private), which pages go without (a filtered feed,
//! unknown ids, `/index.html` that the service worker keeps), and that the started app
//! leaves exactly one page behind.
//! Build first (`make test` does it all), then:
//! `cargo test -p hromada-e2e --test first_view -- --test-threads=1`.

use hromada_e2e::{
    Browser, DEMO_PASSWORD, KHERSON, KHERSON_NAME, Result, STAFF_EMAIL, api, api_get, ensure,
    scenario_with_first_view, sign_in, unique,
};
use serde_json::{Value, json};

/// The HTML the server sends for `path`, fetched from the page with its cookies.
async fn page_html(b: &Browser, path: &str) -> Result<String> {
    let v = b
        .js(&format!(
            "return fetch({path:?}, {{credentials: 'same-origin'}}).then(r => r.text());"
        ))
        .await?;
    Ok(v.as_str().unwrap_or_default().to_owned())
}

/// Whether the HTML carries a first view (the placeholder replaced by a page).
fn has_first_view(html: &str) -> bool {
    html.split_once("<div id=boot")
        .and_then(|(_, rest)| rest.split_once('>'))
        .and_then(|(_, inner)| inner.strip_prefix("<a "))
        .and_then(|inner| inner.split_once('>'))
        .is_some_and(|(first_tag, _)| first_tag.contains("class=\"skip-link\""))
}

/// Text as the first view writes it into HTML.
fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

/// The text of an attribute value as the first view escaped it.
fn unesc(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

fn text(v: &Value, key: &str) -> String {
    v[key].as_str().unwrap_or_default().to_owned()
}

#[tokio::test(flavor = "multi_thread")]
async fn pages_arrive_readable_before_the_app() {
    scenario_with_first_view("first_view", async |h| {
        let b = h.browser("guest").await?;
        b.goto(&format!("/h/{KHERSON}")).await?;
        // The started app removed the first view and drew the page once.
        ensure!(
            b.count("#boot").await? == 0,
            "the first view is still in the page"
        );
        ensure!(
            b.count("main").await? == 1,
            "more than one main in the page"
        );
        ensure!(
            b.count("main h1").await? == 1,
            "more than one heading in the page"
        );

        // The hromada's page: its heading, alerts in force and latest news.
        let home = page_html(&b, &format!("/h/{KHERSON}")).await?;
        ensure!(
            has_first_view(&home),
            "no first view on the hromada's page: {home}"
        );
        ensure!(home.contains("<html lang=uk>"), "not marked Ukrainian");
        ensure!(
            home.contains(&format!("<h1 tabindex=\"-1\">{KHERSON_NAME} громада</h1>")),
            "no heading with the hromada's name"
        );
        let alerts = api_get(&b, &format!("/api/v1/hromadas/{KHERSON}/alerts")).await?;
        let alert = &alerts["items"][0];
        ensure!(
            home.contains(&esc(&text(alert, "text"))),
            "the alert in force is not in the first view"
        );
        let feed = api_get(&b, &format!("/api/v1/hromadas/{KHERSON}/news")).await?;
        let news = feed["items"].as_array().cloned().unwrap_or_default();
        ensure!(news.len() > 5, "the demo has more than five news items");
        for n in &news[..5] {
            ensure!(
                home.contains(&esc(&text(n, "title"))),
                "latest news {:?} missing",
                n["title"]
            );
        }
        ensure!(
            !home.contains(&esc(&text(&news[5], "title"))),
            "the home page shows five news items, not six"
        );
        ensure!(
            home.contains("href=\"/signin\" class=\"button button-small\""),
            "a guest is offered to sign in"
        );
        // No script is added: the page's only scripts are Trunk's. The wasm module is not
        // preloaded: the page's styles and pictures come first.
        let bare = page_html(&b, "/index.html").await?;
        ensure!(
            home.matches("<script").count() == bare.matches("<script").count(),
            "the first view added a script"
        );
        ensure!(
            bare.contains("application/wasm") && !home.contains("application/wasm"),
            "the first view still preloads the wasm module"
        );

        // The feed: every item of its first page, the first cover loaded at once.
        let feed_html = page_html(&b, &format!("/h/{KHERSON}/news")).await?;
        ensure!(has_first_view(&feed_html), "no first view on the feed");
        for n in &news {
            ensure!(
                feed_html.contains(&esc(&text(n, "title"))),
                "feed item {:?} missing",
                n["title"]
            );
        }
        ensure!(
            feed_html.matches("loading=\"eager\"").count() == 1,
            "one cover (the first) is loaded at once"
        );

        // A category and words in the address: the feed the app would show for them.
        let safety = api_get(
            &b,
            &format!("/api/v1/hromadas/{KHERSON}/news?category=safety"),
        )
        .await?;
        let safety_html = page_html(&b, &format!("/h/{KHERSON}/news?category=safety")).await?;
        ensure!(has_first_view(&safety_html), "no first view on a category");
        for n in safety["items"].as_array().into_iter().flatten() {
            ensure!(
                safety_html.contains(&esc(&text(n, "title"))),
                "safety item {:?} missing",
                n["title"]
            );
        }
        ensure!(
            safety_html.contains(&format!(
                "href=\"/h/{KHERSON}/news?category=safety\" aria-current=\"true\""
            )) || safety_html.contains("class=\"chip\" aria-current=\"true\""),
            "the category is not marked"
        );
        for n in news.iter().filter(|n| n["category"] != "safety") {
            ensure!(
                !safety_html.contains(&format!("href=\"/news/{}\"", text(n, "id"))),
                "{:?} is not about safety",
                n["title"]
            );
        }

        // A petition: title, text and its count of signatures.
        let list = api_get(&b, &format!("/api/v1/hromadas/{KHERSON}/petitions")).await?;
        let id = text(&list["items"][0], "id");
        let p = api_get(&b, &format!("/api/v1/petitions/{id}")).await?;
        let pet = page_html(&b, &format!("/petitions/{id}")).await?;
        ensure!(has_first_view(&pet), "no first view on a petition");
        ensure!(
            pet.contains(&format!(
                "href=\"/h/{KHERSON}/petitions\" aria-current=\"true\""
            )),
            "the petitions link is not marked as the current section"
        );
        ensure!(
            pet.contains(&esc(&text(&p, "title"))),
            "petition title missing"
        );
        ensure!(
            pet.contains(&esc(&text(&p, "text"))),
            "petition text missing"
        );
        ensure!(
            pet.contains(&format!("<strong>{}</strong>", p["signatures"])),
            "petition count missing"
        );

        // A news item: its title, summary and body as text, its section marked, the way
        // back to the feed.
        let item = api_get(&b, &format!("/api/v1/news/{}", text(&news[0], "id"))).await?;
        let article = page_html(&b, &format!("/news/{}", text(&item, "id"))).await?;
        ensure!(has_first_view(&article), "no first view on a news item");
        ensure!(
            article.contains(&format!(
                "<h1 tabindex=\"-1\">{}</h1>",
                esc(&text(&item, "title"))
            )),
            "news title missing"
        );
        ensure!(
            article.contains(&format!("href=\"/h/{KHERSON}/news\" aria-current=\"true\"")),
            "the news link is not marked as the current section"
        );
        let paragraph = item["body"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|b| b["type"] == "paragraph")
            .and_then(|b| b["content"][0]["text"].as_str())
            .unwrap_or_default()
            .to_owned();
        ensure!(!paragraph.is_empty(), "the demo news item has a paragraph");
        ensure!(
            article.contains(&esc(&paragraph)),
            "the body's first paragraph {paragraph:?} is missing"
        );
        ensure!(
            article.contains(&format!(
                "<a href=\"/h/{KHERSON}/news\" class=\"button button-secondary\">"
            )),
            "no way back to the feed"
        );

        // A participatory-budget project in voting: its title, cost, estimate and the
        // way to vote, the budget marked in the navigation.
        let cycles = api_get(&b, &format!("/api/v1/hromadas/{KHERSON}/budget-cycles")).await?;
        let cycle = text(&cycles[0], "id");
        ensure!(
            cycles[0]["phase"] == "voting",
            "the demo's 2026 cycle is voting"
        );
        let projects = api_get(&b, &format!("/api/v1/budget-cycles/{cycle}/projects")).await?;
        let accepted = projects
            .as_array()
            .into_iter()
            .flatten()
            .find(|p| p["status"] == "accepted")
            .cloned()
            .unwrap_or_default();
        let project = api_get(
            &b,
            &format!("/api/v1/budget-projects/{}", text(&accepted, "id")),
        )
        .await?;
        let html = page_html(&b, &format!("/projects/{}", text(&project, "id"))).await?;
        ensure!(has_first_view(&html), "no first view on a budget project");
        ensure!(
            html.contains(&format!(
                "<h1 tabindex=\"-1\">{}</h1>",
                esc(&text(&project, "title"))
            )),
            "project title missing"
        );
        ensure!(
            html.contains(&format!(
                "href=\"/h/{KHERSON}/budget\" aria-current=\"true\""
            )),
            "the budget link is not marked as the current section"
        );
        for line in project["cost_lines"].as_array().into_iter().flatten() {
            ensure!(
                html.contains(&format!("<td>{}</td>", esc(&text(line, "item")))),
                "estimate line {:?} missing",
                line["item"]
            );
        }
        ensure!(
            html.contains(&format!("href=\"/budget/{cycle}/vote\"")),
            "no way to vote for a project in voting"
        );

        // Pages without a first view get the bare index.html.
        for path in [
            "/index.html".to_owned(),
            "/".to_owned(),
            format!("/h/{KHERSON}/appeals/new/x"),
            "/petitions/00000000000000000000000000000000".to_owned(),
            "/news/00000000000000000000000000000000".to_owned(),
            "/projects/00000000000000000000000000000000".to_owned(),
            "/h/UA00000000000000000000/news".to_owned(),
        ] {
            let html = page_html(&b, &path).await?;
            ensure!(!has_first_view(&html), "{path} has a first view");
            ensure!(html.contains("id=boot"), "{path} is not the app: {html}");
        }

        // A guest on the appeal form is asked to sign in (anonymous appeals are not
        // considered), and the appeals link is the hromada's public list.
        let form = page_html(&b, &format!("/h/{KHERSON}/appeals/new")).await?;
        ensure!(has_first_view(&form), "no first view on the appeal form");
        ensure!(
            form.contains("<h1 tabindex=\"-1\">Нове звернення</h1>")
                && form.contains("Анонімні звернення закон не розглядає"),
            "a guest is not asked to sign in before writing an appeal"
        );
        ensure!(
            form.contains(&format!(
                "href=\"/h/{KHERSON}/appeals\" aria-current=\"true\""
            )),
            "the appeals link is not marked as the current section"
        );
        ensure!(!form.contains("<form"), "a guest is shown the form");

        // Started over a news item's first view, the app leaves one article behind. (The
        // service worker, which serves later visits the bare index.html, is let go so that
        // this visit is a first one.)
        b.js("return navigator.serviceWorker.getRegistrations()\
              .then(rs => Promise.all(rs.map(r => r.unregister()))).then(() => 1);")
            .await?;
        b.goto(&format!("/news/{}", text(&item, "id"))).await?;
        b.wait("article.article h1").await?;
        ensure!(
            b.count("#boot").await? == 0
                && b.count("main").await? == 1
                && b.count("article.article").await? == 1,
            "the first view of the news item is left beside the app's"
        );

        b.js("document.cookie = 'i18n_pref_locale=en; path=/'; return 1;")
            .await?;
        let en = page_html(&b, &format!("/h/{KHERSON}")).await?;
        ensure!(en.contains("<html lang=en>"), "not marked English");
        ensure!(
            en.contains("<h1 tabindex=\"-1\">Khersonska hromada</h1>"),
            "no English heading"
        );
        ensure!(en.contains(">News<"), "the navigation is not in English");
        b.js("document.cookie = 'i18n_pref_locale=uk; path=/'; return 1;")
            .await?;

        // Staff publish an alert with markup in it: it arrives as text, never as markup.
        let staff = h.browser("staff").await?;
        sign_in(&staff, STAFF_EMAIL, DEMO_PASSWORD).await?;
        let marker = unique();
        let hostile = format!("<img src=x onerror=alert(1)> {marker} \"quoted\" & 'single'");
        let r = api(
            &staff,
            "POST",
            &format!("/api/v1/hromadas/{KHERSON}/alerts"),
            Some(json!({
                "severity": "danger",
                "text": hostile,
                "expires_at": "2030-01-01T00:00:00.000Z",
            })),
        )
        .await?;
        ensure!(
            r.status == 201,
            "alert not created: {} {}",
            r.status,
            r.text
        );
        let html = page_html(&b, &format!("/h/{KHERSON}")).await?;
        ensure!(html.contains(&esc(&hostile)), "the alert is not escaped");
        ensure!(
            !html.contains("<img src=x"),
            "markup of an alert reached the page"
        );
        ensure!(
            html.contains("alert-danger\" role=\"alert\""),
            "a danger alert is announced at once"
        );
        // Signed in: the person's own header (name, role, bell) and navigation, no
        // invitations; such a page is private to the browser and varies with the cookies.
        let me = api_get(&staff, "/api/v1/me").await?;
        let signed = page_html(&staff, &format!("/h/{KHERSON}")).await?;
        ensure!(has_first_view(&signed), "no first view when signed in");
        ensure!(
            !signed.contains("href=\"/signin\"") && !signed.contains("href=\"/signup\""),
            "a signed-in person is offered to sign in"
        );
        ensure!(
            signed.contains(&format!(
                "<span class=\"who-name\">{}</span>",
                esc(&text(&me, "full_name"))
            )) && signed.contains("class=\"bell\""),
            "the header does not show who is signed in"
        );
        ensure!(
            signed.contains(&format!("href=\"/h/{KHERSON}/staff\"")),
            "staff have no link to their desk"
        );
        // The app is told who it is, so it starts signed in (not "checking") over it.
        let told = signed
            .split_once("data-me=\"")
            .and_then(|(_, rest)| rest.split_once('"'))
            .map(|(v, _)| unesc(v))
            .and_then(|j| serde_json::from_str::<Value>(&j).ok());
        ensure!(
            told.as_ref() == Some(&me),
            "the page does not tell the app who is signed in: {told:?}"
        );
        ensure!(
            !home.contains("data-me"),
            "a guest's page claims someone is signed in"
        );
        let headers = staff
            .js(&format!(
                "return fetch('/h/{KHERSON}', {{credentials: 'same-origin'}}).then(r => \
                 [r.headers.get('cache-control'), r.headers.get('vary')]);"
            ))
            .await?;
        let vary = headers[1].as_str().unwrap_or_default().to_ascii_lowercase();
        ensure!(
            headers[0] == "private, no-cache" && vary.split(", ").any(|v| v == "cookie"),
            "a first view may be kept by shared caches: {headers}"
        );

        // The appeal form, signed in: every control is there, disabled until the app
        // starts, with the person's contacts and the hromada's categories.
        let form = page_html(&staff, &format!("/h/{KHERSON}/appeals/new")).await?;
        ensure!(has_first_view(&form), "no first view of the appeal form");
        let cats = api_get(
            &staff,
            &format!("/api/v1/hromadas/{KHERSON}/appeal-categories"),
        )
        .await?;
        let cats = cats.as_array().cloned().unwrap_or_default();
        ensure!(!cats.is_empty(), "the demo has appeal categories");
        for c in &cats {
            ensure!(
                form.contains(&format!(
                    "<option value=\"{}\">{}</option>",
                    esc(&text(c, "id")),
                    esc(&text(c, "name"))
                )),
                "category {:?} missing",
                c["name"]
            );
        }
        ensure!(
            form.contains(&format!("value=\"{}\" disabled", esc(&text(&me, "email")))),
            "the person's email is not filled in"
        );
        let controls = form.matches("<input").count()
            + form.matches("<select").count()
            + form.matches("<textarea").count()
            + form.matches("<button").count();
        let disabled = form.matches(" disabled>").count();
        ensure!(
            controls > 10 && controls == disabled,
            "{disabled} of {controls} controls disabled before the app starts"
        );
        // Started, the app's form takes its place and works. (The service worker, which
        // serves later visits the bare index.html, is let go so that this visit is a
        // first one.)
        staff
            .js("return navigator.serviceWorker.getRegistrations()\
                 .then(rs => Promise.all(rs.map(r => r.unregister()))).then(() => 1);")
            .await?;
        staff.goto(&format!("/h/{KHERSON}/appeals/new")).await?;
        staff.wait("#f-subject:not([disabled])").await?;
        // Told who it is by the page, the app does not ask the server again.
        let asked = staff
            .js("return performance.getEntriesByType('resource')\
                 .filter(e => new URL(e.name).pathname === '/api/v1/me').length;")
            .await?;
        ensure!(asked == 0, "the app asked GET /me {asked} time(s) again");
        staff.type_into("#f-subject", "Ліхтар").await?;
        ensure!(
            staff.value("#f-subject").await? == "Ліхтар",
            "the started form does not take input"
        );
        ensure!(
            staff.count("#boot").await? == 0 && staff.count("form").await? == 1,
            "the first view's form is left beside the app's"
        );
        Ok(())
    })
    .await;
}
