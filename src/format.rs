//! Formatting rules, kept out of the views so they can be tested.

/// Where a hromada is: "Херсонський район, Херсонська область". Kyiv and Sevastopol have
/// no raion and are not oblasts; Crimea is an autonomous republic, not an oblast.
pub fn location(raion: &str, oblast: &str, raion_word: &str, oblast_word: &str) -> String {
    let is_oblast =
        oblast.ends_with("ська") || oblast.ends_with("цька") || oblast.ends_with("зька");
    let oblast = if is_oblast {
        format!("{oblast} {oblast_word}")
    } else {
        oblast.to_owned()
    };
    if raion.is_empty() {
        oblast
    } else {
        format!("{raion} {raion_word}, {oblast}")
    }
}

/// Whole minutes to wait, rounded up, from a `Retry-After` in seconds (at least one).
pub fn minutes_to_wait(retry_after_secs: Option<u32>) -> u32 {
    retry_after_secs.map_or(1, |s| s.div_ceil(60).max(1))
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

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::wasm_bindgen_test;

    #[wasm_bindgen_test]
    fn locations() {
        assert_eq!(
            location("Херсонський", "Херсонська", "район", "область"),
            "Херсонський район, Херсонська область"
        );
        assert_eq!(location("", "Київ", "район", "область"), "Київ");
        assert_eq!(
            location(
                "Бахчисарайський",
                "Автономна Республіка Крим",
                "district",
                "oblast"
            ),
            "Бахчисарайський district, Автономна Республіка Крим"
        );
        assert_eq!(
            location("Донецький", "Донецька", "district", "oblast"),
            "Донецький district, Донецька oblast"
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
    fn dates() {
        assert_eq!(date("2026-11-23T10:00:00Z"), "23.11.2026");
        assert_eq!(date("garbage"), "garbage");
    }
}
