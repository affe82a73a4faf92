//! End-to-end tests of reaching people when the app is closed (issue 24), app side: a push
//! delivered to the service worker through the DevTools protocol shows its notification
//! and a tap opens its page; the "Get alerts on this device" button says plainly what the
//! browser refused (headless Chromium cannot reach a real push service), and, with the
//! browser's push API stood in for, subscribes this device, shows it among the person's
//! devices and turns it off again; notification settings; getting an account back by the
//! emailed link; confirming an address (the banner, "Send again", a change of address); the
//! unsubscribe link that changes nothing until its button is pressed; and the record of
//! what was sent about an appeal.
//!
//! The server writes its messages to `data/mail/` in its folder (no SMTP is set), where
//! the tests read the links. Build first (`make test` does it all), then:
//! `cargo test -p hromada-e2e --test push -- --test-threads=1`.

use std::time::{Duration, Instant};

use hromada_e2e::{
    Browser, DEMO_PASSWORD, Failure, GOOD_PASSWORD, Harness, KHERSON, Result, STAFF_EMAIL, api,
    api_get, api_sign_out, api_with_headers, ensure, ensure_problem, field_error, mails,
    new_resident, scenario, screenshots_wanted, set_language, sign_in, unique, wait_mail,
};
use serde_json::{Value, json};

/// What the app says, in Ukrainian.
const BLOCKED: &str = "Сповіщення для цього сайту заблоковано";
const NO_ANSWER: &str = "Служба сповіщень браузера не відповіла";
const ON_WITH_INFO: &str = "та її повідомлення «до відома»";
const TURNED_OFF: &str = "Тривоги на цьому пристрої вимкнено.";
const LINK_SENT: &str = "Якщо обліковий запис із цією адресою існує";
const PASSWORDS_DIFFER: &str = "Паролі не збігаються.";
const PASSWORD_SET: &str = "Пароль встановлено";
const LINK_DEAD: &str = "Це посилання вже не діє";
const UNCONFIRMED: &str = "Підтвердьте адресу електронної пошти";
const SENT_AGAIN: &str = "Надіслано.";
const CONFIRMED: &str = "Адресу електронної пошти підтверджено";
const SAVED: &str = "Збережено.";

/// A second password, long enough and not a common one.
const NEW_PASSWORD: &str = "another-long-pass-2027";

fn text_of(v: &Value) -> String {
    v.as_str().unwrap_or_default().to_owned()
}

/// A new resident of Херсонська громада, signed in in `b`; returns the address.
async fn resident(b: &Browser, name: &str) -> Result<String> {
    let email = format!("push-{}@example.com", unique());
    new_resident(b, &email, name).await?;
    Ok(email)
}

/// Waits up to `limit` (longer than the usual wait) until `css` shows `text`.
async fn wait_text_long(b: &Browser, css: &str, text: &str, limit: Duration) -> Result {
    let started = Instant::now();
    loop {
        let shown = b.text(css).await.unwrap_or_default();
        if shown.contains(text) {
            return Ok(());
        }
        if started.elapsed() > limit {
            return Err(Failure(format!(
                "waited {limit:?} for “{text}” in {css}; it shows “{shown}”"
            )));
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
}

/// Stands in for the browser's push API in this page (until it is loaded again): a
/// subscription to a known push service, as a phone would have. The server accepts it
/// without sending anything to it.
const STUB_PUSH_JS: &str = r#"
const [endpoint, p256dh, auth] = arguments;
let current = null;
const make = () => {
  const s = Object.create(PushSubscription.prototype);
  Object.defineProperty(s, 'endpoint', {value: endpoint});
  Object.defineProperty(s, 'options', {value: {applicationServerKey: null, userVisibleOnly: true}});
  Object.defineProperty(s, 'toJSON', {value: () => ({endpoint, expirationTime: null, keys: {p256dh, auth}})});
  Object.defineProperty(s, 'unsubscribe', {value: () => { current = null; return Promise.resolve(true); }});
  return s;
};
PushManager.prototype.subscribe = function () { current = make(); return Promise.resolve(current); };
PushManager.prototype.getSubscription = function () { return Promise.resolve(current); };
return true;
"#;

/// A P-256 public key (an uncompressed point) and a 16-byte secret, base64url.
const P256DH: &str =
    "BNcRdreALRFXTkOOUHK1EtK2wtaz5Ry4YfYCA_0QTpQtUbVlUls0VJXg7A8u-Ts1XbjhazAkj7I99e8QcYP7DkM";
const AUTH: &str = "AAECAwQFBgcICQoLDA0ODw";

async fn stub_push(b: &Browser, endpoint: &str) -> Result {
    b.client
        .execute(
            STUB_PUSH_JS,
            vec![json!(endpoint), json!(P256DH), json!(AUTH)],
        )
        .await?;
    Ok(())
}

/// What the service worker keeps of what this device gets by push.
async fn worker_push_state(b: &Browser) -> Result<Value> {
    Ok(b.client
        .execute_async(
            "const done = arguments[0]; caches.open('hromada-push')\
             .then(c => c.match('/__hromada/push-state'))\
             .then(r => r ? r.json() : null).then(done).catch(e => done({error: String(e)}));",
            vec![],
        )
        .await?)
}

#[tokio::test]
async fn a_pushed_alert_shows_and_a_tap_opens_its_page() {
    scenario("push_delivered", async |h: &Harness| {
        let b = h.browser("guest").await?;
        b.goto(&format!("/h/{KHERSON}")).await?;
        b.wait_service_worker().await?;
        b.grant_notifications().await?;
        let list = api_get(&b, &format!("/api/v1/hromadas/{KHERSON}/petitions")).await?;
        let petition = &list["items"][0];
        let (id, title) = (text_of(&petition["id"]), text_of(&petition["title"]));
        ensure!(!id.is_empty(), "the demo has a petition: {list}");

        // The server's payload: {title, body, url, tag}.
        let payload = json!({
            "title": "Повітряна тривога",
            "body": "Пройдіть до найближчого укриття.",
            "url": format!("/petitions/{id}"),
            "tag": "alert-e2e",
        });
        let n = b
            .push_until_shown(&payload.to_string(), "Повітряна тривога")
            .await?;
        ensure!(
            n["body"] == json!("Пройдіть до найближчого укриття."),
            "the notification's body: {n}"
        );
        ensure!(n["tag"] == json!("alert-e2e"), "its tag: {n}");
        ensure!(n["url"] == json!(format!("/petitions/{id}")), "its page: {n}");
        ensure!(
            text_of(&n["icon"]).ends_with("/icons/icon-192.png"),
            "its icon: {n}"
        );

        // The same tag again replaces it: a retry never shows twice.
        b.deliver_push(&payload.to_string()).await?;
        tokio::time::sleep(Duration::from_millis(500)).await;
        let same = b
            .notifications()
            .await?
            .into_iter()
            .filter(|n| n["tag"] == json!("alert-e2e"))
            .count();
        ensure!(same == 1, "{same} notifications with one tag");

        // A payload that cannot be read still shows a notification.
        let n = b.push_until_shown("not json at all", "Громада").await?;
        ensure!(
            n["body"] == json!("not json at all"),
            "the unreadable push's body: {n}"
        );
        // A link to another site opens the app's start instead.
        let n = b
            .push_until_shown(
                &json!({"title": "Чужий", "body": "x", "url": "https://evil.example/steal", "tag": "evil"})
                    .to_string(),
                "Чужий",
            )
            .await?;
        ensure!(n["url"] == json!("/"), "another site's link became {n}");

        // A tap (the service worker's own handler, as the person's tap runs it) opens the
        // page it names.
        b.js("navigator.serviceWorker.controller.postMessage({type: 'notification-click', tag: 'alert-e2e'}); return true;")
            .await?;
        b.wait_path(&format!("/petitions/{id}")).await?;
        b.wait_app().await?;
        b.wait_text("main h1", &title).await?;
        let left = b.notifications().await?;
        ensure!(
            !left.iter().any(|n| n["tag"] == json!("alert-e2e")),
            "the tapped notification is closed: {left:?}"
        );
        Ok(())
    })
    .await;
}

#[tokio::test]
async fn the_subscribe_button_says_what_the_browser_refused() {
    scenario("push_refused", async |h: &Harness| {
        // Headless Chromium refuses the permission by itself.
        let b = h.browser("refused").await?;
        b.goto(&format!("/h/{KHERSON}")).await?;
        b.wait_visible("#push-on").await?;
        let asked = b.js("return Notification.permission;").await?;
        ensure!(
            asked == json!("default"),
            "permission was asked before the button was pressed: {asked}"
        );
        b.click("#push-on").await?;
        b.wait_text("#push-error", BLOCKED).await?;
        ensure!(
            b.attr("#push-error", "role").await?.as_deref() == Some("alert"),
            "the refusal is announced"
        );
        set_language(&b, "en").await?;
        b.wait_text("#push-error", "Notifications are blocked for this site")
            .await?;

        // Allowed, but no push service answers here: the browser never subscribes.
        let b2 = h.browser("no-service").await?;
        b2.goto(&format!("/h/{KHERSON}")).await?;
        b2.wait_service_worker().await?;
        b2.grant_notifications().await?;
        b2.wait_visible("#push-on").await?;
        b2.click("#push-on").await?;
        wait_text_long(&b2, "#push-error", NO_ANSWER, Duration::from_secs(40)).await?;
        ensure!(
            b2.count("#push-on").await? == 1,
            "the button stays, to try again"
        );

        // On an iPhone, outside the installed app, push needs the Home Screen: said so,
        // and no button that could not work.
        let phone = h.browser("iphone").await?;
        phone
            .cdp(
                "Emulation.setUserAgentOverride",
                json!({"userAgent": "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) \
                    AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"}),
            )
            .await?;
        phone.goto(&format!("/h/{KHERSON}")).await?;
        phone
            .wait_text("#push-cannot", "На iPhone та iPad тривоги надходять лише у встановлений застосунок")
            .await?;
        ensure!(
            phone.count("#push-on").await? == 0,
            "an iPhone outside the installed app is offered the button"
        );

        // The server refuses an endpoint that is not a known push service's.
        for endpoint in [
            "http://fcm.googleapis.com/fcm/send/x",
            "https://127.0.0.1/push",
            "file:///etc/passwd",
            "https://push.evil.example/x",
        ] {
            let r = api(
                &b2,
                "POST",
                &format!("/api/v1/hromadas/{KHERSON}/alert-subscriptions"),
                Some(json!({"endpoint": endpoint, "keys": {"p256dh": P256DH, "auth": AUTH}})),
            )
            .await?;
            ensure_problem(&r, 422, &["endpoint"], endpoint)?;
        }
        Ok(())
    })
    .await;
}

#[tokio::test]
async fn alerts_on_this_device_devices_and_settings() {
    scenario("push_device", async |h: &Harness| {
        let b = h.browser("resident").await?;
        let email = resident(&b, "Марія Ковальчук").await?;
        b.goto(&format!("/h/{KHERSON}")).await?;
        b.wait_service_worker().await?;
        b.grant_notifications().await?;
        b.wait_visible("#push-on").await?;
        let endpoint = format!("https://fcm.googleapis.com/fcm/send/e2e-{}", unique());
        stub_push(&b, &endpoint).await?;
        b.click("#push-info").await?;
        b.click("#push-on").await?;
        b.wait_text("#push-state", ON_WITH_INFO).await?;

        // The app and the service worker both know what this device gets.
        let kept = b
            .js("return JSON.parse(localStorage.getItem('hromada.push'));")
            .await?;
        ensure!(kept["endpoint"] == json!(endpoint), "kept: {kept}");
        ensure!(
            kept["alerts"] == json!([{"katottg": KHERSON, "info": true}]),
            "kept: {kept}"
        );
        ensure!(
            kept["device_id"].is_string(),
            "registered as the person's: {kept}"
        );
        let sw = b
            .poll("the service worker to keep the push state", async || {
                let v = worker_push_state(&b).await?;
                Ok((v["alerts"][0]["katottg"] == json!(KHERSON)).then_some(v))
            })
            .await?;
        ensure!(sw["personal"] == json!(true), "the worker's state: {sw}");
        ensure!(sw["language"] == json!("uk"), "the worker's state: {sw}");

        // The person's devices, this one marked; the settings.
        b.go_in_app("/account").await?;
        b.wait_text("#devices", "fcm.googleapis.com").await?;
        b.wait_text("#devices", "цей пристрій").await?;
        b.wait_text("#push-state", ON_WITH_INFO).await?;
        let devices = api_get(&b, "/api/v1/me/push-subscriptions").await?;
        ensure!(
            devices["items"].as_array().is_some_and(|d| d.len() == 1),
            "one device: {devices}"
        );

        b.wait_visible("#n-appeals-email").await?;
        b.wait_text("#by-law", "За законом").await?;
        ensure!(
            b.js("return document.querySelector('#n-appeals-email').checked;")
                .await?
                == json!(true),
            "the person's own appeals go by email by default"
        );
        b.click("#n-appeals-email").await?;
        b.click("#n-petitions-push").await?;
        b.click("label[for=freq-daily]").await?;
        b.click("#notify-form button[type=submit]").await?;
        b.wait_text("#notify-form .alert-ok", SAVED).await?;
        let s = api_get(&b, "/api/v1/me/notification-settings").await?;
        ensure!(s["email_frequency"] == json!("daily"), "settings: {s}");
        let topic = |name: &str| {
            s["topics"]
                .as_array()
                .and_then(|t| t.iter().find(|t| t["topic"] == json!(name)).cloned())
                .unwrap_or_default()
        };
        ensure!(topic("appeals")["email"] == json!(false), "settings: {s}");
        ensure!(topic("petitions")["push"] == json!(false), "settings: {s}");
        ensure!(
            b.count("#n-staff_appeals-email").await? == 0,
            "a resident is not offered the staff's topics"
        );

        // The language switch keeps the profile's language (emails, pushes).
        set_language(&b, "en").await?;
        b.poll("the profile to be in English", async || {
            let me = api_get(&b, "/api/v1/me").await?;
            Ok((me["language"] == json!("en")).then_some(()))
        })
        .await?;
        set_language(&b, "uk").await?;

        // Removing the device.
        let gone_id = text_of(&devices["items"][0]["id"]);
        b.click("#devices li button").await?;
        b.wait_text("#devices-notice", "Пристрій прибрано.").await?;
        b.poll("the device to be gone", async || {
            let d = api_get(&b, "/api/v1/me/push-subscriptions").await?;
            Ok(d["items"]
                .as_array()
                .is_none_or(|i| i.iter().all(|x| x["id"] != json!(gone_id)))
                .then_some(()))
        })
        .await?;

        // Removing this very device: it gets nothing any more.
        b.wait_visible("#push-on").await?;
        let kept = b.js("return localStorage.getItem('hromada.push');").await?;
        ensure!(
            kept.is_null(),
            "nothing is kept once the device gets nothing: {kept} ({email})"
        );

        // On again, and off again, on the hromada's page.
        b.go_in_app(&format!("/h/{KHERSON}")).await?;
        b.wait_visible("#push-on").await?;
        b.click("#push-on").await?;
        b.wait_text("#push-state", "Цей пристрій отримує").await?;
        b.poll("this device to be the person's again", async || {
            let d = api_get(&b, "/api/v1/me/push-subscriptions").await?;
            Ok(d["items"]
                .as_array()
                .is_some_and(|i| i.len() == 1)
                .then_some(()))
        })
        .await?;

        // Signing out: the person's notifications stop coming here, the alerts stay.
        b.go_in_app("/account").await?;
        b.click("#sign-out").await?;
        b.wait_path("/signin").await?;
        let kept = b
            .js("return JSON.parse(localStorage.getItem('hromada.push'));")
            .await?;
        ensure!(kept["device_id"].is_null(), "still the person's: {kept}");
        ensure!(
            kept["alerts"][0]["katottg"] == json!(KHERSON),
            "the alerts went with the person: {kept}"
        );
        b.go_in_app(&format!("/h/{KHERSON}")).await?;
        b.wait_text("#push-state", "Цей пристрій отримує").await?;
        b.click("#push-off").await?;
        b.wait_text(".push-card .alert-ok", TURNED_OFF).await?;
        b.wait_visible("#push-on").await?;
        let kept = b
            .js("return JSON.parse(localStorage.getItem('hromada.push'));")
            .await?;
        ensure!(
            kept.is_null() || kept["alerts"] == json!([]),
            "the alerts are forgotten: {kept}"
        );
        Ok(())
    })
    .await;
}

#[tokio::test]
async fn getting_an_account_back() {
    scenario("password_reset", async |h: &Harness| {
        let b = h.browser("forgetful").await?;
        let email = resident(&b, "Петро Забудько").await?;
        api_sign_out(&b).await?;
        b.goto("/signin").await?;
        b.replace("#f-email", &email).await?;
        b.click("#forgot-password").await?;
        b.wait_visible("#forgot-form").await?;
        ensure!(
            b.value("#f-email").await? == email,
            "the address typed at sign-in is kept"
        );
        b.click("#forgot-form button[type=submit]").await?;
        b.wait_text("#forgot-form .alert-ok", LINK_SENT).await?;

        // An address without an account gets the same answer, and no message.
        let nobody = format!("nobody-{}@example.com", unique());
        b.replace("#f-email", &nobody).await?;
        b.click("#forgot-form button[type=submit]").await?;
        b.wait_text("#forgot-form .alert-ok", LINK_SENT).await?;

        let (_, link) = wait_mail(&h.server, &email, "/reset-password?token=").await?;
        b.goto(&link).await?;
        b.wait_visible("#reset-form").await?;
        b.type_into("#f-password", NEW_PASSWORD).await?;
        b.type_into("#f-password_again", "something-else-entirely")
            .await?;
        b.click("#reset-form button[type=submit]").await?;
        let err = field_error(&b, "password_again", None).await?;
        ensure!(err.contains(PASSWORDS_DIFFER), "the mismatch says: {err}");
        ensure!(
            b.value("#f-password").await? == NEW_PASSWORD,
            "what was typed is kept"
        );
        b.replace("#f-password_again", NEW_PASSWORD).await?;
        b.click("#reset-form button[type=submit]").await?;
        b.wait_text("main .alert-ok", PASSWORD_SET).await?;
        b.click("#reset-sign-in").await?;
        b.wait_visible("#f-password").await?;
        ensure!(
            mails(&h.server).iter().all(|m| !m.is_to(&nobody)),
            "a message went to an address without an account"
        );
        let r = api(
            &b,
            "POST",
            "/api/v1/auth/login",
            Some(json!({"email": email, "password": GOOD_PASSWORD})),
        )
        .await?;
        ensure!(
            r.status == 401,
            "the old password still works: {}",
            r.status
        );
        sign_in(&b, &email, NEW_PASSWORD).await?;

        // The link works once.
        b.goto(&link).await?;
        b.wait_visible("#reset-form").await?;
        b.type_into("#f-password", "a-third-long-password-9")
            .await?;
        b.type_into("#f-password_again", "a-third-long-password-9")
            .await?;
        b.click("#reset-form button[type=submit]").await?;
        b.wait_text("main .alert-error", LINK_DEAD).await?;
        b.wait_visible("#reset-ask-again").await?;

        // Without a token, the page says where it comes from.
        b.goto("/reset-password").await?;
        b.wait_visible("#reset-no-token").await?;
        Ok(())
    })
    .await;
}

#[tokio::test]
async fn confirming_an_email_address() {
    scenario("email_confirmation", async |h: &Harness| {
        let b = h.browser("new").await?;
        let email = resident(&b, "Олег Новенький").await?;
        b.goto(&format!("/h/{KHERSON}")).await?;
        b.wait_text("#email-banner", UNCONFIRMED).await?;
        b.wait_text("#email-banner", &email).await?;
        b.click("#email-send-again").await?;
        b.wait_text("#email-banner", SENT_AGAIN).await?;

        let (_, link) = wait_mail(&h.server, &email, "/confirm-email?token=").await?;
        b.goto(&link).await?;
        // Opening the link confirms nothing by itself.
        b.wait_visible("#confirm-email").await?;
        let me = api_get(&b, "/api/v1/me").await?;
        ensure!(
            me["email_confirmed"] == json!(false),
            "confirmed on opening: {me}"
        );
        b.click("#confirm-email").await?;
        b.wait_text("main .alert-ok", CONFIRMED).await?;
        b.wait_gone("#email-banner").await?;
        let me = api_get(&b, "/api/v1/me").await?;
        ensure!(me["email_confirmed"] == json!(true), "not confirmed: {me}");

        // A new address waits for its own link before it replaces the old one.
        let new_email = format!("moved-{}@example.com", unique());
        b.go_in_app("/account").await?;
        b.wait_text("#email-state", "Підтверджено").await?;
        b.type_into("#email-form #f-email", "not an address")
            .await?;
        b.click("#email-form button[type=submit]").await?;
        let err = field_error(&b, "email", None).await?;
        ensure!(
            !err.is_empty(),
            "a wrong address is refused beside its field"
        );
        b.replace("#email-form #f-email", &new_email).await?;
        b.click("#email-form button[type=submit]").await?;
        b.wait_text("#email-pending", &new_email).await?;
        let me = api_get(&b, "/api/v1/me").await?;
        ensure!(
            me["email"] == json!(email),
            "replaced before confirmation: {me}"
        );
        let (_, link) = wait_mail(&h.server, &new_email, "/confirm-email?token=").await?;
        b.goto(&link).await?;
        b.click("#confirm-email").await?;
        b.wait_text("main .alert-ok", CONFIRMED).await?;
        let me = api_get(&b, "/api/v1/me").await?;
        ensure!(me["email"] == json!(new_email), "not replaced: {me}");

        // The link works once.
        b.goto(&link).await?;
        b.click("#confirm-email").await?;
        b.wait_text("main .alert-error", LINK_DEAD).await?;
        Ok(())
    })
    .await;
}

/// Confirms the address by the link the server emailed to it, through the API (until
/// then only the confirmation and reset emails go to it).
async fn confirm_by_mail(h: &Harness, b: &Browser, email: &str) -> Result {
    let (_, link) = wait_mail(&h.server, email, "/confirm-email?token=").await?;
    let token = link.split("token=").nth(1).unwrap_or_default();
    let r = api(
        b,
        "POST",
        "/api/v1/auth/email-confirmation",
        Some(json!({"token": token})),
    )
    .await?;
    ensure!(
        r.status == 204,
        "confirming {email} answered {}: {}",
        r.status,
        r.short()
    );
    Ok(())
}

/// Sends a new appeal through the API as the person signed in to `b`; returns its id.
async fn post_appeal(b: &Browser, email: &str) -> Result<String> {
    let cats = api_get(b, &format!("/api/v1/hromadas/{KHERSON}/appeal-categories")).await?;
    let category = cats
        .as_array()
        .and_then(|c| c.first())
        .map(|c| text_of(&c["id"]))
        .ok_or_else(|| Failure(format!("no appeal categories: {cats}")))?;
    let me = api_get(b, "/api/v1/me").await?;
    let r = api_with_headers(
        b,
        "POST",
        &format!("/api/v1/hromadas/{KHERSON}/appeals"),
        Some(json!({
            "kind": "proposal", "category_id": category,
            "subject": "Лавки в сквері біля школи",
            "text": "Пропоную поставити дві лавки в сквері біля школи № 5, бо там ніде сісти.",
            "full_name": me["full_name"], "address": me["address"], "email": email, "public": false,
        })),
        json!({"Idempotency-Key": unique()}),
    )
    .await?;
    ensure!(
        r.status == 201,
        "the appeal answered {}: {}",
        r.status,
        r.short()
    );
    Ok(text_of(&r.json()["id"]))
}

#[tokio::test]
async fn unsubscribing_takes_a_press_and_the_appeal_keeps_a_record() {
    scenario("unsubscribe", async |h: &Harness| {
        let b = h.browser("resident").await?;
        let email = resident(&b, "Ганна Листова").await?;
        confirm_by_mail(h, &b, &email).await?;
        let id = post_appeal(&b, &email).await?;

        // The appeal's page shows what was sent about it, and where.
        b.goto(&format!("/appeals/{id}")).await?;
        b.wait_visible("#deliveries").await?;
        b.poll("the registration's email in the record", async || {
            let log = api_get(&b, &format!("/api/v1/appeals/{id}/deliveries")).await?;
            Ok(log["items"]
                .as_array()
                .is_some_and(|i| i.iter().any(|d| d["channel"] == json!("email")))
                .then_some(()))
        })
        .await?;
        b.reload().await?;
        b.wait_text("#deliveries table", &email).await?;
        // The hromada's staff see it too; another resident does not see the appeal at all.
        let staff = h.browser("staff").await?;
        sign_in(&staff, STAFF_EMAIL, DEMO_PASSWORD).await?;
        staff.goto(&format!("/appeals/{id}")).await?;
        staff.wait_text("#deliveries table", &email).await?;
        let other = h.browser("other").await?;
        resident(&other, "Інша Людина").await?;
        let r = api(
            &other,
            "GET",
            &format!("/api/v1/appeals/{id}/deliveries"),
            None,
        )
        .await?;
        ensure!(
            r.status == 404,
            "another resident reads the record: {}",
            r.status
        );

        let (_, link) = wait_mail(&h.server, &email, "/unsubscribe/").await?;
        let before = api_get(&b, "/api/v1/me/notification-settings").await?;
        // Signed out, as from a mail app.
        api_sign_out(&b).await?;
        b.goto(&link).await?;
        b.wait_visible("#unsubscribe").await?;
        b.wait_text("#unsubscribe-what", "@").await?;
        api(
            &b,
            "POST",
            "/api/v1/auth/login",
            Some(json!({"email": email, "password": GOOD_PASSWORD})),
        )
        .await?;
        let after_open = api_get(&b, "/api/v1/me/notification-settings").await?;
        ensure!(
            after_open == before,
            "opening the link changed the settings: {before} → {after_open}"
        );
        api_sign_out(&b).await?;
        b.goto(&link).await?;
        b.click("#unsubscribe").await?;
        b.wait_visible("#unsubscribe-done").await?;
        api(
            &b,
            "POST",
            "/api/v1/auth/login",
            Some(json!({"email": email, "password": GOOD_PASSWORD})),
        )
        .await?;
        let after = api_get(&b, "/api/v1/me/notification-settings").await?;
        ensure!(after != before, "the press changed nothing: {after}");

        b.goto("/unsubscribe/not-a-real-token").await?;
        b.wait_visible("#unsubscribe-invalid").await?;
        Ok(())
    })
    .await;
}

/// Screenshots of the new pages at 360×640 and 1280×800 in both languages, for a person to
/// look at; runs only with `HROMADA_SCREENSHOTS=1`.
#[tokio::test]
async fn screenshots_of_the_reach_pages() {
    if !screenshots_wanted() {
        return;
    }
    scenario("push_screenshots", async |h: &Harness| {
        let b = h.browser("shots").await?;
        let email = resident(&b, "Ірина Знімкова").await?;
        let (_, confirm) = wait_mail(&h.server, &email, "/confirm-email?token=").await?;
        confirm_by_mail(h, &b, &email).await?;
        let id = post_appeal(&b, &email).await?;
        let (_, unsubscribe) = wait_mail(&h.server, &email, "/unsubscribe/").await?;
        let pages: Vec<(&str, String, &str)> = vec![
            ("hromada", format!("/h/{KHERSON}"), "#push-on"),
            ("account", "/account".into(), "#n-appeals-email"),
            ("appeal", format!("/appeals/{id}"), "#deliveries"),
            ("confirm", confirm, "#confirm-email"),
            ("unsubscribe", unsubscribe, "#unsubscribe"),
            ("forgot", "/forgot-password".into(), "#forgot-form"),
            ("reset", "/reset-password?token=x".into(), "#reset-form"),
        ];
        for lang in ["uk", "en"] {
            b.goto("/").await?;
            set_language(&b, lang).await?;
            for (name, path, ready) in &pages {
                for (size, dims) in [("phone", hromada_e2e::PHONE), ("desktop", hromada_e2e::DESKTOP)] {
                    b.set_viewport(dims).await?;
                    b.goto(path).await?;
                    b.wait_visible(ready).await?;
                    if *name == "hromada" || *name == "account" || *name == "appeal" {
                        b.js(&format!(
                            "document.querySelector('{ready}').scrollIntoView({{block: 'center'}}); return 1;"
                        ))
                        .await?;
                    }
                    let wide = b.too_wide().await?;
                    ensure!(wide.is_empty(), "{name} ({size}, {lang}) is too wide: {wide:?}");
                    b.screenshot(&format!("reach-{name}-{size}-{lang}")).await?;
                }
            }
        }
        // The banner of an address not confirmed yet.
        let n = h.browser("unconfirmed").await?;
        resident(&n, "Олесь Непідтверджений").await?;
        for lang in ["uk", "en"] {
            n.goto("/").await?;
            set_language(&n, lang).await?;
            for (size, dims) in [("phone", hromada_e2e::PHONE), ("desktop", hromada_e2e::DESKTOP)] {
                n.set_viewport(dims).await?;
                n.goto(&format!("/h/{KHERSON}")).await?;
                n.wait_visible("#email-banner").await?;
                let wide = n.too_wide().await?;
                ensure!(wide.is_empty(), "the banner ({size}, {lang}) is too wide: {wide:?}");
                n.screenshot(&format!("reach-banner-{size}-{lang}")).await?;
            }
        }
        Ok(())
    })
    .await;
}
