//! How the views write times and names.

use crate::i18n::*;
use hromada_api::appeals::deadline::{self, TimeLeft};
use hromada_api::time::parse_rfc3339;
use leptos_i18n::I18nContext;

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

/// The date of an RFC 3339 time as `DD.MM.YYYY`; the input unchanged if it is not one.
pub fn date(rfc3339: &str) -> String {
    let d = rfc3339.get(..10).unwrap_or(rfc3339);
    let mut parts = d.split('-');
    match (parts.next(), parts.next(), parts.next()) {
        (Some(y), Some(m), Some(day)) if y.len() == 4 && m.len() == 2 && day.len() == 2 => {
            format!("{day}.{m}.{y}")
        }
        _ => rfc3339.to_owned(),
    }
}

/// Now, in milliseconds since the epoch.
#[cfg(feature = "csr")]
pub fn now_ms() -> i64 {
    js_sys::Date::now() as i64
}

/// Now, in milliseconds since the epoch.
#[cfg(not(feature = "csr"))]
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or(0)
}

/// The time left until `due_at` (RFC 3339) at `now`, as a short phrase; `None` if the
/// time cannot be read.
pub fn time_left_text(i18n: I18nContext<Locale>, due_at: &str, now: i64) -> Option<String> {
    let due = parse_rfc3339(due_at)?;
    Some(match deadline::time_left(due, now) {
        TimeLeft::Days(count) => t_string!(i18n, appeals.days_left, count).to_string(),
        TimeLeft::Hours(count) => t_string!(i18n, appeals.hours_left, count).to_string(),
        TimeLeft::Overdue(count) => t_string!(i18n, appeals.overdue_by, count).to_string(),
    })
}

/// A fee in kopiyky as hryvnias: `₴ 85`, or `₴ 84,50` with the kopiyky (`decimal` is the
/// language's decimal mark).
pub fn fee(kopiyky: u64, decimal: char) -> String {
    let whole = hromada_api::text::hryvnias(i64::try_from(kopiyky / 100).unwrap_or(i64::MAX));
    match kopiyky % 100 {
        0 => whole,
        k => format!("{whole}{decimal}{k:02}"),
    }
}

/// `x` with exactly `places` decimals (at most 9), rounded half away from zero: `50.45010`.
///
/// Integer arithmetic rather than `{:.N}`, which brings the standard library's float
/// formatting (about 12 KB of wasm) into the app for four numbers.
pub fn fixed(x: f64, places: u32) -> String {
    let places = places.min(9);
    let scale = 10u64.pow(places);
    let n = (x.abs() * scale as f64).round() as u64;
    let sign = if x < 0.0 && n > 0 { "-" } else { "" };
    let whole = n / scale;
    if places == 0 {
        return format!("{sign}{whole}");
    }
    let frac = n % scale;
    format!("{sign}{whole}.{frac:0width$}", width = places as usize)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(date("2026-11-23T10:00:00Z"), "23.11.2026");
        assert_eq!(date("garbage"), "garbage");
    }
}
