//! Formatting rules, kept out of the views so they can be tested.

pub use hromada_api::text::{hryvnias, paragraphs};
pub use hromada_api::translit::{location, place_name};

/// Whole minutes to wait, rounded up, from a `Retry-After` in seconds (at least one).
pub fn minutes_to_wait(retry_after_secs: Option<u32>) -> u32 {
    retry_after_secs.map_or(1, |s| s.div_ceil(60).max(1))
}

pub use hromada_views::format::date;

pub use hromada_views::format::fixed;

/// Reads an amount typed by a person: digits with spaces, dots or commas between
/// thousands (`1 250 000`, `1.250.000`), and a leading minus; `None` if there are no digits
/// or anything else. Kopiyky are not part of the budget: `12,50` is not an amount.
pub fn parse_amount(text: &str) -> Option<i64> {
    let t = text.trim();
    let (negative, rest) = match t.strip_prefix(['-', '−']) {
        Some(r) => (true, r),
        None => (false, t),
    };
    let mut value: i64 = 0;
    let mut seen = false;
    let mut group = 0usize;
    let mut grouped = false;
    for c in rest.chars() {
        match c {
            '0'..='9' => {
                value = value
                    .checked_mul(10)?
                    .checked_add(i64::from(c as u8 - b'0'))?;
                seen = true;
                group += 1;
            }
            ' ' | '\u{a0}' | '\u{202f}' | '.' | ',' | '\'' => {
                // A separator stands between groups of three: never first, never after a
                // group that is not complete.
                if !seen || (grouped && group != 3) || (!grouped && group > 3) {
                    return None;
                }
                grouped = true;
                group = 0;
            }
            _ => return None,
        }
    }
    if !seen || (grouped && group != 3) {
        return None;
    }
    Some(if negative { -value } else { value })
}

pub use hromada_views::format::fee;

/// What was typed is not an amount of money above zero.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotAnAmount;

/// Reads a fee typed in hryvnias into kopiyky: `85`, `84,50`, `84.5`, `1 250`. Empty means
/// free (`Ok(None)`); anything else that is not an amount above zero is refused.
pub fn parse_fee(text: &str) -> Result<Option<u64>, NotAnAmount> {
    let t = text.trim();
    if t.is_empty() {
        return Ok(None);
    }
    let (whole, fraction) = match t.rfind([',', '.']) {
        Some(i) if (1..=2).contains(&(t.len() - i - 1)) => (&t[..i], &t[i + 1..]),
        _ => (t, ""),
    };
    let hryvnias = parse_amount(whole).ok_or(NotAnAmount)?;
    if hryvnias < 0 || !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return Err(NotAnAmount);
    }
    let kop: u64 = match fraction.len() {
        0 => 0,
        1 => u64::from(fraction.as_bytes()[0] - b'0') * 10,
        _ => fraction.parse().map_err(|_| NotAnAmount)?,
    };
    let total = u64::try_from(hryvnias)
        .map_err(|_| NotAnAmount)?
        .checked_mul(100)
        .and_then(|h| h.checked_add(kop))
        .ok_or(NotAnAmount)?;
    if total == 0 {
        Err(NotAnAmount)
    } else {
        Ok(Some(total))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn fixed_decimals_round_half_away_from_zero() {
        assert_eq!(fixed(50.4501, 5), "50.45010");
        assert_eq!(fixed(30.123456, 6), "30.123456");
        assert_eq!(fixed(-0.000004, 5), "0.00000");
        assert_eq!(fixed(-12.5, 0), "-13");
        assert_eq!(fixed(-33.86786, 4), "-33.8679");
        assert_eq!(fixed(2.4, 1), "2.4");
        assert_eq!(fixed(0.05, 1), "0.1");
        assert_eq!(fixed(99.96, 1), "100.0");
        assert_eq!(fixed(7.0, 2), "7.00");
    }

    #[wasm_bindgen_test]
    fn fees_read_and_show_with_kopiyky() {
        assert_eq!(parse_fee(""), Ok(None));
        assert_eq!(parse_fee(" 85 "), Ok(Some(8_500)));
        assert_eq!(parse_fee("84,50"), Ok(Some(8_450)));
        assert_eq!(parse_fee("84.5"), Ok(Some(8_450)));
        assert_eq!(parse_fee("1 250"), Ok(Some(125_000)));
        assert_eq!(parse_fee("1.250"), Ok(Some(125_000)));
        assert_eq!(parse_fee("0"), Err(NotAnAmount));
        assert_eq!(parse_fee("-5"), Err(NotAnAmount));
        assert_eq!(parse_fee("abc"), Err(NotAnAmount));
        assert_eq!(parse_fee("12,5x"), Err(NotAnAmount));
        assert_eq!(fee(8_500, ','), "₴\u{a0}85");
        assert_eq!(fee(8_450, ','), "₴\u{a0}84,50");
        assert_eq!(fee(125_005, '.'), "₴\u{a0}1\u{202f}250.05");
    }

    #[wasm_bindgen_test]
    fn locations() {
        let uk = ("район", "область");
        let en = ("raion", "oblast");
        assert_eq!(
            location("Херсонський", "Херсонська", uk, false),
            "Херсонський район, Херсонська область"
        );
        assert_eq!(location("", "Київ", uk, false), "Київ");
        assert_eq!(location("", "Київ", en, true), "Kyiv");
        assert_eq!(
            location("Бахчисарайський", "Автономна Республіка Крим", en, true),
            "Bakhchysaraiskyi raion, Avtonomna Respublika Krym"
        );
        assert_eq!(
            location("Херсонський", "Херсонська", en, true),
            "Khersonskyi raion, Khersonska oblast"
        );
    }

    #[wasm_bindgen_test]
    fn waiting() {
        assert_eq!(minutes_to_wait(None), 1);
        assert_eq!(minutes_to_wait(Some(0)), 1);
        assert_eq!(minutes_to_wait(Some(61)), 2);
        assert_eq!(minutes_to_wait(Some(900)), 15);
    }

    #[wasm_bindgen_test]
    fn money() {
        assert_eq!(parse_amount("1 250 000"), Some(1_250_000));
        assert_eq!(parse_amount(" 1.250.000 "), Some(1_250_000));
        assert_eq!(parse_amount("420000"), Some(420_000));
        assert_eq!(parse_amount("-5 000"), Some(-5_000));
        for bad in [
            "",
            "abc",
            "12,50",
            "1 25",
            "1234 567",
            " ,100",
            "1e6",
            "99999999999999999999",
        ] {
            assert_eq!(parse_amount(bad), None, "{bad}");
        }
    }

    #[wasm_bindgen_test]
    fn dates() {
        assert_eq!(date("2026-11-23T10:00:00Z"), "23.11.2026");
        assert_eq!(date("garbage"), "garbage");
    }
}

/// An RFC 3339 time in the reader's local time zone: `23.11.2026, 15:04`.
pub use hromada_views::format::date_time as local_date_time;

/// The value of a `datetime-local` input (local time) as RFC 3339 UTC; `None` if empty or
/// not a time.
pub fn local_input_to_utc(value: &str) -> Option<String> {
    if value.trim().is_empty() {
        return None;
    }
    let d = js_sys::Date::new(&wasm_bindgen::JsValue::from_str(value.trim()));
    if d.get_time().is_nan() {
        return None;
    }
    let iso = String::from(d.to_iso_string());
    // Whole seconds are enough: "2026-11-23T13:04:00Z".
    Some(format!("{}Z", iso.get(..19).unwrap_or(&iso)))
}

/// An RFC 3339 time as the value of a `datetime-local` input, in local time.
pub fn utc_to_local_input(rfc3339: &str) -> String {
    let d = js_sys::Date::new(&wasm_bindgen::JsValue::from_str(rfc3339));
    if d.get_time().is_nan() {
        return String::new();
    }
    format!(
        "{}-{:02}-{:02}T{:02}:{:02}",
        d.get_full_year(),
        d.get_month() + 1,
        d.get_date(),
        d.get_hours(),
        d.get_minutes()
    )
}

/// Now, plus `hours`, as a `datetime-local` value.
pub fn local_input_in_hours(hours: f64) -> String {
    let ms = js_sys::Date::now() + hours * 3_600_000.0;
    let d = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms));
    utc_to_local_input(&String::from(d.to_iso_string()))
}

/// Whether an RFC 3339 time is in the past.
pub fn is_past(rfc3339: &str) -> bool {
    let t = js_sys::Date::new(&wasm_bindgen::JsValue::from_str(rfc3339)).get_time();
    !t.is_nan() && t <= js_sys::Date::now()
}

#[cfg(test)]
mod time_tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn local_inputs_round_trip_through_utc() {
        let utc = local_input_to_utc("2026-11-23T15:04").unwrap();
        assert!(utc.ends_with(":04:00Z") && utc.len() == 20, "{utc}");
        assert_eq!(utc_to_local_input(&utc), "2026-11-23T15:04");
        assert_eq!(local_input_to_utc(""), None);
        assert_eq!(local_input_to_utc("garbage"), None);
    }

    #[wasm_bindgen_test]
    fn past_and_display() {
        assert!(is_past("2000-01-01T00:00:00Z"));
        assert!(!is_past("2999-01-01T00:00:00Z"));
        assert_eq!(local_date_time("nonsense"), "nonsense");
        let shown = local_date_time(&local_input_to_utc("2026-11-23T15:04").unwrap());
        assert_eq!(shown, "23.11.2026, 15:04");
    }
}
