//! Bar charts drawn in SVG, each with the same figures as a table for screen readers and
//! for anyone who prefers numbers.

use crate::i18n::*;
use hromada_api::polls::per_mille;
use leptos::prelude::*;

/// A share in tenths of a per cent as a person reads it: `33.3 %` (`33,3 %` in Ukrainian).
pub fn percent_text(per_mille: u32, decimal_comma: bool) -> String {
    let text = format!("{}.{}", per_mille / 10, per_mille % 10);
    let text = if decimal_comma {
        text.replace('.', ",")
    } else {
        text
    };
    format!("{text}\u{a0}%")
}

/// One bar per label: its count and its share of `total`.
#[component]
pub fn BarChart(
    /// What the chart shows, for the table's caption.
    caption: String,
    labels: Vec<String>,
    counts: Vec<u32>,
    /// What the shares are of (the people who answered the question).
    total: u32,
) -> impl IntoView {
    let i18n = use_i18n();
    let comma = move || i18n.get_locale() == Locale::uk;
    let rows: Vec<(String, u32, u32)> = labels
        .into_iter()
        .zip(counts)
        .map(|(l, c)| (l, c, per_mille(c, total)))
        .collect();
    let top = rows.iter().map(|r| r.2).max().unwrap_or(0);
    let table_rows = rows.clone();
    view! {
        <figure class="chart">
            <ul class="bars" aria-hidden="true">
                {rows.into_iter().map(|(label, count, share)| {
                    // Bars are drawn against the whole (100 %), so they compare across questions.
                    let width = format!("{}.{}", share / 10, share % 10);
                    let is_top = share == top && share > 0;
                    view! {
                        <li class="bar-row" class:bar-top=is_top>
                            <span class="bar-label">{label}</span>
                            <svg class="bar" viewBox="0 0 100 10" preserveAspectRatio="none" focusable="false">
                                <rect class="bar-track" x="0" y="0" width="100" height="10" />
                                <rect class="bar-fill" x="0" y="0" width=width height="10" />
                            </svg>
                            <span class="bar-figure">{move || percent_text(share, comma())}" · "{count}</span>
                        </li>
                    }
                }).collect_view()}
            </ul>
            <details class="chart-table">
                <summary>{t!(i18n, polls.table)}</summary>
                <table>
                    <caption>{caption}</caption>
                    <thead><tr>
                        <th scope="col">{t!(i18n, polls.option)}</th>
                        <th scope="col" class="num">{t!(i18n, polls.count)}</th>
                        <th scope="col" class="num">{t!(i18n, polls.share)}</th>
                    </tr></thead>
                    <tbody>
                        {table_rows.into_iter().map(|(label, count, share)| view! {
                            <tr><th scope="row">{label}</th><td class="num">{count}</td><td class="num">{move || percent_text(share, comma())}</td></tr>
                        }).collect_view()}
                    </tbody>
                </table>
            </details>
        </figure>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_read_with_the_local_decimal_mark() {
        assert_eq!(percent_text(333, true), "33,3\u{a0}%");
        assert_eq!(percent_text(1000, false), "100.0\u{a0}%");
        assert_eq!(percent_text(5, false), "0.5\u{a0}%");
    }
}
