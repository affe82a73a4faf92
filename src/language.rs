//! The language of the app: Ukrainian unless the person chose English with the language
//! switch. The choice is kept for the whole site and for a year in the `i18n_pref_locale`
//! cookie, which the server's first view reads too.
//!
//! leptos_i18n can keep the choice itself (its `cookie` feature), but that brings in
//! leptos-use's cookie jar and the `time` crate: about 65 KB of wasm for one cookie. The
//! app writes the cookie itself instead.

use crate::i18n::{I18nContextProvider, I18nLocaleTrait, Locale, use_i18n};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// The cookie that keeps the chosen language.
pub const COOKIE: &str = "i18n_pref_locale";

/// The language the cookies (as `document.cookie` gives them) keep; Ukrainian otherwise,
/// whatever the browser prefers.
pub fn chosen(cookies: &str) -> Locale {
    cookies
        .split(';')
        .filter_map(|c| c.trim_start().strip_prefix(COOKIE)?.strip_prefix('='))
        .find_map(|v| v.parse().ok())
        .unwrap_or(Locale::uk)
}

/// The `document.cookie` assignment that keeps `locale` for the whole site for a year.
pub fn cookie(locale: Locale) -> String {
    format!(
        "{COOKIE}={}; path=/; max-age=31536000; SameSite=Lax",
        locale.as_str()
    )
}

fn document() -> Option<web_sys::HtmlDocument> {
    web_sys::window()?.document()?.dyn_into().ok()
}

/// The translations for `children`, in the language kept in the cookie.
#[component]
pub fn LanguageProvider(children: Children) -> impl IntoView {
    view! {
        <I18nContextProvider>
            <KeepLanguage />
            {children()}
        </I18nContextProvider>
    }
}

/// Puts the kept language in place and keeps every later choice.
///
/// Without its cookie feature the provider starts from the browser's languages, and its
/// first effect sets them again. The kept language is set at once (so the first draw uses
/// it) and once more in this effect's first run, which comes after the provider's: effects
/// run in the order they were made.
#[component]
fn KeepLanguage() -> impl IntoView {
    let i18n = use_i18n();
    let kept = chosen(&document().and_then(|d| d.cookie().ok()).unwrap_or_default());
    i18n.set_locale(kept);
    Effect::new(move |first: Option<()>| {
        let now = i18n.get_locale();
        if first.is_none() {
            if now != kept {
                i18n.set_locale(kept);
            }
        } else if let Some(d) = document() {
            let _ = d.set_cookie(&cookie(now));
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn the_kept_language_is_read_from_the_cookies() {
        assert_eq!(chosen(""), Locale::uk);
        assert_eq!(chosen("a=1; i18n_pref_locale=en"), Locale::en);
        assert_eq!(chosen("i18n_pref_locale=uk; a=1"), Locale::uk);
        assert_eq!(chosen("x_i18n_pref_locale=en"), Locale::uk);
        assert_eq!(chosen("i18n_pref_locale_x=en"), Locale::uk);
        assert_eq!(chosen("i18n_pref_locale=fr"), Locale::uk);
    }

    #[wasm_bindgen_test]
    fn the_choice_is_kept_for_the_whole_site_for_a_year() {
        assert_eq!(
            cookie(Locale::en),
            "i18n_pref_locale=en; path=/; max-age=31536000; SameSite=Lax"
        );
    }
}
