//! How the views write times and names.

use crate::i18n::Locale;

/// "23.11.2026, 15:04": an RFC 3339 time in the reader's time zone in the browser, in Kyiv
/// time on the server (the hromada's own); the input unchanged when it is not one.
#[cfg(feature = "csr")]
pub fn date_time(rfc3339: &str) -> String {
    let d = js_sys::Date::new(&wasm_bindgen::JsValue::from_str(rfc3339));
    if d.get_time().is_nan() {
        return rfc3339.to_owned();
    }
    format!(
        "{:02}.{:02}.{}, {:02}:{:02}",
        d.get_date(),
        d.get_month() + 1,
        d.get_full_year(),
        d.get_hours(),
        d.get_minutes()
    )
}

/// "23.11.2026, 15:04": an RFC 3339 time in the reader's time zone in the browser, in Kyiv
/// time on the server (the hromada's own); the input unchanged when it is not one.
#[cfg(not(feature = "csr"))]
pub fn date_time(rfc3339: &str) -> String {
    hromada_api::time::kyiv_date_time(rfc3339)
}

/// Whether names are written in Latin letters in `locale`.
pub fn latin(locale: Locale) -> bool {
    locale == Locale::en
}
