//! Keyboard only (issue 10): a resident signs in, sends an appeal and signs a petition
//! with the keyboard alone. Every control is reached with Tab from the one before, in the
//! order of the page, and used with the keys a person would press (typing, Space on a
//! radio button, arrow keys in a list, Enter on a button); no click, no script setting a
//! value. Build first (`make test` does it all), then:
//! `cargo test -p hromada-e2e --test keyboard -- --test-threads=1`.

use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::key::Key;
use hromada_e2e::{
    Browser, DEMO_PASSWORD, Failure, KHERSON, RESIDENT_EMAIL, Result, VERIFIED_EMAIL, api_get,
    ensure, scenario, unique,
};
use serde_json::json;

/// Most Tab presses from one control to the next before the test gives up.
const MAX_TABS: usize = 60;

/// Presses keys (or types text) as a keyboard does, into whatever has the focus.
async fn press(b: &Browser, keys: &str) -> Result {
    let mut actions = KeyActions::new("keyboard".into());
    for c in keys.chars() {
        actions = actions
            .then(KeyAction::Down { value: c })
            .then(KeyAction::Up { value: c });
    }
    b.client.perform_actions(actions).await?;
    Ok(())
}

async fn focused_is(b: &Browser, css: &str) -> Result<bool> {
    Ok(b.client
        .execute(
            "const a = document.activeElement; return !!a && a.matches(arguments[0]);",
            vec![json!(css)],
        )
        .await?
        == json!(true))
}

/// What has the focus, for messages.
async fn focused(b: &Browser) -> String {
    b.client
        .execute(
            "const a = document.activeElement; if (!a) return 'nothing'; \
             return a.tagName.toLowerCase() + (a.id ? '#' + a.id : '') + \
             ' “' + (a.textContent || a.value || '').trim().slice(0, 30) + '”';",
            vec![],
        )
        .await
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

/// Presses Tab until the element matching `css` has the focus.
async fn tab_to(b: &Browser, css: &str) -> Result {
    for _ in 0..MAX_TABS {
        if focused_is(b, css).await? {
            return Ok(());
        }
        press(b, &Key::Tab.to_string()).await?;
    }
    Err(Failure(format!(
        "{MAX_TABS} presses of Tab did not reach `{css}`; the focus is on {}",
        focused(b).await
    )))
}

/// Whether a focused control shows where the focus is (an outline or a box shadow).
async fn focus_is_visible(b: &Browser) -> Result<bool> {
    Ok(b
        .client
        .execute(
            "const s = getComputedStyle(document.activeElement); \
             return (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== 'none';",
            vec![],
        )
        .await?
        == json!(true))
}

async fn sign_in_by_keyboard(b: &Browser, email: &str) -> Result {
    b.goto("/signin").await?;
    b.wait_visible("#f-email").await?;
    tab_to(b, "#f-email").await?;
    ensure!(
        focus_is_visible(b).await?,
        "the focused email field does not show its focus"
    );
    press(b, email).await?;
    tab_to(b, "#f-password").await?;
    press(b, DEMO_PASSWORD).await?;
    press(b, &Key::Enter.to_string()).await?;
    b.wait(".who .who-name").await?;
    Ok(())
}

#[tokio::test]
async fn an_appeal_and_a_signature_without_the_mouse() {
    scenario("keyboard-only", async |h| {
        // An appeal.
        let b = h.browser("resident").await?;
        sign_in_by_keyboard(&b, RESIDENT_EMAIL).await?;
        b.goto(&format!("/h/{KHERSON}/appeals/new")).await?;
        b.wait_visible("form.appeal-form #f-subject").await?;
        b.poll("the categories to load", async || {
            Ok((b.count("#f-category_id option").await? > 1).then_some(()))
        })
        .await?;
        // The skip link comes first and leads to the page.
        press(&b, &Key::Tab.to_string()).await?;
        ensure!(
            focused_is(&b, "a.skip-link").await?,
            "the first Tab does not reach the skip link but {}",
            focused(&b).await
        );
        tab_to(&b, "#f-kind-proposal").await?;
        // Arrow keys move between the radio buttons of a group, and choose.
        press(&b, &Key::Down.to_string()).await?;
        press(&b, &Key::Down.to_string()).await?;
        ensure!(
            focused_is(&b, "#f-kind-complaint").await?,
            "the arrow keys did not move to “complaint”: the focus is on {}",
            focused(&b).await
        );
        tab_to(&b, "#f-category_id").await?;
        press(&b, &Key::Down.to_string()).await?;
        tab_to(&b, "#f-subject").await?;
        let subject = format!("Зламана лавка в сквері ({})", unique());
        press(&b, &subject).await?;
        tab_to(&b, "#f-text").await?;
        press(
            &b,
            "У сквері біля школи № 5 зламана лавка: бракує двох дощок, стирчать цвяхи.",
        )
        .await?;
        tab_to(&b, "#f-location").await?;
        press(&b, "сквер біля школи № 5").await?;
        tab_to(&b, "form.appeal-form button[type=submit]").await?;
        ensure!(
            focus_is_visible(&b).await?,
            "the focused send button does not show its focus"
        );
        press(&b, &Key::Enter.to_string()).await?;
        b.wait_visible("main section.card-ok").await?;
        let mine = api_get(&b, "/api/v1/me/appeals").await?;
        let a = mine["items"]
            .as_array()
            .and_then(|l| l.iter().find(|a| a["subject"] == json!(subject)))
            .ok_or_else(|| Failure(format!("the appeal was not registered: {mine}")))?;
        ensure!(
            a["kind"] == json!("complaint"),
            "the appeal is not the complaint chosen with the arrow keys: {a}"
        );
        b.screenshot("keyboard-1-appeal-sent-desktop").await?;

        // A signature.
        let v = h.browser("verified").await?;
        sign_in_by_keyboard(&v, VERIFIED_EMAIL).await?;
        let list = api_get(
            &v,
            &format!("/api/v1/hromadas/{KHERSON}/petitions?status=collecting"),
        )
        .await?;
        // One the verified resident has not signed, far from its number.
        let mut chosen = None;
        for s in list["items"].as_array().cloned().unwrap_or_default() {
            let id = s["id"].as_str().unwrap_or_default().to_owned();
            let p = api_get(&v, &format!("/api/v1/petitions/{id}")).await?;
            let left =
                p["needed"].as_u64().unwrap_or(0) > p["signatures"].as_u64().unwrap_or(0) + 1;
            if p["signed"] == json!(false) && p["mine"] == json!(false) && left {
                chosen = Some(p);
                break;
            }
        }
        let p = chosen.ok_or_else(|| Failure(format!("no petition to sign: {list}")))?;
        let id = p["id"].as_str().unwrap_or_default().to_owned();
        let before = p["signatures"].as_u64().unwrap_or(0);
        v.goto(&format!("/petitions/{id}")).await?;
        v.wait_visible("main section.sign-box button.button-big")
            .await?;
        tab_to(&v, "main section.sign-box button.button-big").await?;
        ensure!(
            focus_is_visible(&v).await?,
            "the focused sign button does not show its focus"
        );
        press(&v, &Key::Enter.to_string()).await?;
        v.wait_visible("main section.sign-box .signed").await?;
        let after = api_get(&v, &format!("/api/v1/petitions/{id}")).await?;
        ensure!(
            after["signed"] == json!(true) && after["signatures"].as_u64() == Some(before + 1),
            "the petition was not signed once: {} before, {after}",
            before
        );
        v.screenshot("keyboard-2-signed-desktop").await?;
        Ok(())
    })
    .await;
}
