//! How amounts and texts are written for people, the same in the app and in the server's
//! first views.

/// An amount of hryvnias with grouped thousands: `₴ 1 250 000` (narrow no-break spaces,
/// so it never wraps inside).
pub fn hryvnias(amount: i64) -> String {
    let digits = amount.unsigned_abs().to_string();
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push('\u{202f}');
        }
        grouped.push(c);
    }
    let sign = if amount < 0 { "−" } else { "" };
    format!("{sign}₴\u{a0}{grouped}")
}

/// The paragraphs of a text as its readers will see them: split at blank lines.
pub fn paragraphs(text: &str) -> Vec<String> {
    text.split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money() {
        assert_eq!(hryvnias(1_250_000), "₴\u{a0}1\u{202f}250\u{202f}000");
        assert_eq!(hryvnias(999), "₴\u{a0}999");
        assert_eq!(hryvnias(0), "₴\u{a0}0");
        assert_eq!(hryvnias(-1_000), "−₴\u{a0}1\u{202f}000");
    }

    #[test]
    fn paragraphs_split_at_blank_lines() {
        assert_eq!(
            paragraphs("Перший абзац.\nТой самий.\n\n\n  Другий.  \n\n"),
            vec!["Перший абзац.\nТой самий.".to_owned(), "Другий.".to_owned()]
        );
        assert!(paragraphs("  \n\n ").is_empty());
    }
}
