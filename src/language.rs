//! The language of the app: Ukrainian unless the person chose English with the language
//! switch. The choice is kept for the whole site and for a year in the `i18n_pref_locale`
//! cookie, which the server's first view reads too.
//!
//! leptos_i18n can keep the choice itself (its `cookie` feature), but that brings in
//! leptos-use's cookie jar and the `time` crate: about 65 KB of wasm for one cookie.
//! Without that feature its main provider starts from the browser's languages and would
//! need an effect to switch to the kept one; the app uses the library's sub-context
//! instead, which starts from the language given to it, and writes the cookie and
//! `<html lang>` itself.

use crate::i18n::{I18nLocaleTrait, I18nSubContextProvider, Locale, use_i18n};
use crate::state::{cookie_value, document_cookies, html_document, set_document_cookie};
use leptos::prelude::*;

/// The cookie that keeps the chosen language.
pub const COOKIE: &str = "i18n_pref_locale";

/// The language the cookies (as `document.cookie` gives them) keep; Ukrainian otherwise,
/// whatever the browser prefers.
pub fn chosen(cookies: &str) -> Locale {
    cookie_value(cookies, COOKIE)
        .and_then(|v| v.parse().ok())
        .unwrap_or(Locale::uk)
}

/// The code (`uk`, `en`) of the language the app is in now, as the cookie keeps it.
pub fn current_code() -> &'static str {
    chosen(&document_cookies()).as_str()
}

/// The `document.cookie` assignment that keeps `locale` for the whole site for a year.
pub fn cookie(locale: Locale) -> String {
    format!(
        "{COOKIE}={}; path=/; max-age=31536000; SameSite=Lax",
        locale.as_str()
    )
}

/// The translations for `children`, in the language kept in the cookie.
#[component]
pub fn LanguageProvider(children: Children) -> impl IntoView {
    let kept = chosen(&document_cookies());
    view! {
        <I18nSubContextProvider initial_locale=kept>
            <KeepLanguage kept />
            {children()}
        </I18nSubContextProvider>
    }
}

/// Keeps `<html lang>` in step with the language, and the cookie with every choice.
#[component]
fn KeepLanguage(kept: Locale) -> impl IntoView {
    let i18n = use_i18n();
    set_html_lang(kept);
    Effect::new(move |before: Option<Locale>| {
        let now = i18n.get_locale();
        if before.is_some_and(|b| b != now) {
            set_html_lang(now);
            set_document_cookie(&cookie(now));
        }
        now
    });
}

fn set_html_lang(locale: Locale) {
    if let Some(html) = html_document().and_then(|d| d.document_element()) {
        let _ = html.set_attribute("lang", locale.as_str());
    }
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
