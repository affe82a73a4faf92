//! Formatting rules, kept out of the views so they can be tested.

/// A Ukrainian place name, in Latin letters (official transliteration) when `latin`.
pub fn place_name(name: &str, latin: bool) -> String {
    if latin {
        hromada_api::translit::latin(name)
    } else {
        name.to_owned()
    }
}

/// Where a hromada is: "Херсонський район, Херсонська область". Kyiv and Sevastopol have
/// no raion and are not oblasts; Crimea is an autonomous republic, not an oblast.
/// `words` are the words for raion and oblast in the current language.
pub fn location(raion: &str, oblast: &str, words: (&str, &str), latin: bool) -> String {
    let (raion_word, oblast_word) = words;
    let is_oblast =
        oblast.ends_with("ська") || oblast.ends_with("цька") || oblast.ends_with("зька");
    let (raion, oblast) = (place_name(raion, latin), place_name(oblast, latin));
    let oblast = if is_oblast {
        format!("{oblast} {oblast_word}")
    } else {
        oblast
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
    fn dates() {
        assert_eq!(date("2026-11-23T10:00:00Z"), "23.11.2026");
        assert_eq!(date("garbage"), "garbage");
    }
}
