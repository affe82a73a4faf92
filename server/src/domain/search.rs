//! Text search and ordering that behave the same on SQLite and PostgreSQL.
//!
//! SQLite's `lower()` knows only ASCII, and collations differ between databases, so the
//! server computes in Rust a lower-case search text and an `a`–`z` sort key that orders
//! names as the Ukrainian alphabet does, and stores both beside the name.

/// Lower case (all of Unicode), one apostrophe form, single spaces, trimmed.
pub fn normalize(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.trim().chars() {
        let c = match c {
            '\'' | 'ʼ' | '’' | '‘' | '`' | 'ˈ' | '′' => '\'',
            c if c.is_whitespace() => ' ',
            c => c,
        };
        if c == ' ' {
            if !space {
                out.push(' ');
            }
            space = true;
            continue;
        }
        space = false;
        out.extend(c.to_lowercase());
    }
    out
}

/// What a community's name is searched by: the name as written and its official Latin
/// transliteration, so "херс" and "kherson" both find Херсонська.
pub fn search_text(name: &str) -> String {
    format!(
        "{} | {}",
        normalize(name),
        normalize(&hromada_api::translit::latin(name))
    )
}

/// A `LIKE` pattern matching any text that contains `needle`, with `\` as the escape.
pub fn contains_pattern(needle: &str) -> String {
    let mut p = String::with_capacity(needle.len() + 2);
    p.push('%');
    for c in needle.chars() {
        if matches!(c, '%' | '_' | '\\') {
            p.push('\\');
        }
        p.push(c);
    }
    p.push('%');
    p
}

const UKRAINIAN: &str = "абвгґдеєжзиіїйклмнопрстуфхцчшщьюя";

/// A key of letters `a`–`z` (two per character) whose byte order, and the order of any
/// collation, is the Ukrainian alphabetical order of `name`.
pub fn sort_key(name: &str) -> String {
    let mut key = String::new();
    for c in normalize(name).chars() {
        let rank: u32 = match c {
            ' ' => 1,
            '-' | '–' | '—' => 2,
            '\'' => 3,
            '0'..='9' => 10 + (c as u32 - '0' as u32),
            'a'..='z' => 20 + (c as u32 - 'a' as u32),
            'ё' => 50 + 7,
            'ы' => 50 + 24,
            'э' => 50 + 30,
            'ъ' => 50 + 30,
            c => match UKRAINIAN.chars().position(|u| u == c) {
                Some(i) => 50 + i as u32,
                None => 600 + (c as u32 % 75),
            },
        };
        key.push(char::from(b'a' + (rank / 26) as u8));
        key.push(char::from(b'a' + (rank % 26) as u8));
    }
    key
}

/// Whether `s` could be a key made by [`sort_key`].
pub fn is_sort_key(s: &str) -> bool {
    s.len().is_multiple_of(2) && s.bytes().all(|b| b.is_ascii_lowercase())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_case_and_apostrophes() {
        assert_eq!(normalize("  ХЕРСОН "), "херсон");
        assert_eq!(normalize("Мар’ївська"), "мар'ївська");
        assert_eq!(normalize("МАРʼЇВСЬКА"), "мар'ївська");
        assert_eq!(normalize("Нова   Каховка"), "нова каховка");
        assert_eq!(normalize("ҐАНОК Є І Ї"), "ґанок є і ї");
    }

    #[test]
    fn searches_by_latin_spelling_too() {
        let t = search_text("Херсонська");
        assert!(t.contains("херсон") && t.contains("kherson"), "{t}");
    }

    #[test]
    fn escapes_like_wildcards() {
        assert_eq!(contains_pattern("a%b_c\\"), "%a\\%b\\_c\\\\%");
    }

    #[test]
    fn sorts_in_ukrainian_order() {
        let mut names = vec![
            "Ярмолинецька",
            "Іванівська",
            "Андріївська",
            "Єнакіївська",
            "Ґалаганівська",
            "Гадяцька",
            "Ірпінська",
            "Їжакевичівська",
            "Йосипівська",
            "Андріїівська",
        ];
        names.sort_by_key(|n| sort_key(n));
        assert_eq!(
            names,
            vec![
                "Андріївська",
                "Андріїівська",
                "Гадяцька",
                "Ґалаганівська",
                "Єнакіївська",
                "Іванівська",
                "Ірпінська",
                "Їжакевичівська",
                "Йосипівська",
                "Ярмолинецька"
            ]
        );
        assert!(sort_key("Нова") < sort_key("Нова Каховка"));
        assert!(is_sort_key(&sort_key("Мар’ївська")));
        assert!(!is_sort_key("abc"));
    }
}
