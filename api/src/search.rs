//! The catalogue search: deterministic, explainable matching of a resident's words against
//! services and answers. It tolerates Ukrainian word endings ("довідку" finds "довідка"),
//! apostrophe variants, and one typo in a word (two in a long one). It invents nothing: a
//! document ranks only by the words it shares with the query, and every hit says which.
//!
//! Ranking: each query word scores its best match in a document, weighted by the field it
//! matched in ([`Weight`]), by how it matched ([`How`]), and by how rare that word is across
//! the catalogue (IDF). A document that matches more of the query's words ranks higher.
//! Equal scores keep the catalogue's order.

use serde::{Deserialize, Serialize};

/// How much a match in a field counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Weight {
    /// A service's name or an answer's question.
    Title,
    /// Words staff added for the search (colloquial names).
    Keywords,
    /// What a service is for.
    Summary,
    /// Everything else: documents, who may apply, an answer's text.
    Body,
}

impl Weight {
    fn factor(self) -> f64 {
        match self {
            Self::Title => 3.0,
            Self::Keywords => 2.5,
            Self::Summary => 1.5,
            Self::Body => 1.0,
        }
    }
}

/// How a query word matched a word of the document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum How {
    /// The same word.
    Exact,
    /// The same word with another ending ("довідку" and "довідка").
    Ending,
    /// The start of a longer word (a word still being typed).
    Prefix,
    /// The same word with a typo.
    Typo,
}

impl How {
    fn factor(self) -> f64 {
        match self {
            Self::Exact => 1.0,
            Self::Ending => 0.9,
            Self::Prefix => 0.7,
            Self::Typo => 0.6,
        }
    }
}

/// Why a document matched: a word of the query and the document's word it matched.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Matched {
    /// The word as the person typed it (lower case).
    pub query: String,
    /// The document's word it matched, as written there (lower case).
    pub found: String,
    pub how: How,
}

/// One searchable text of a document with its weight.
#[derive(Debug, Clone)]
pub struct Field {
    pub text: String,
    pub weight: Weight,
}

/// A ranked document: its position in the list given to [`Index::new`], its score (higher
/// is better; comparable within one search only) and why it matched.
#[derive(Debug, Clone, PartialEq)]
pub struct Ranked {
    pub doc: usize,
    pub score: f64,
    pub matched: Vec<Matched>,
}

struct Term {
    /// The word as written (lower case, apostrophes removed).
    word: String,
    stem: String,
    weight: Weight,
}

/// The documents prepared for searching.
pub struct Index {
    docs: Vec<Vec<Term>>,
}

/// Words that carry no meaning for finding a service ("як", "мені", "будь ласка").
const STOP_WORDS: &[&str] = &[
    "а",
    "або",
    "але",
    "би",
    "б",
    "бо",
    "будь",
    "в",
    "вам",
    "ви",
    "від",
    "він",
    "вона",
    "вони",
    "все",
    "де",
    "для",
    "до",
    "добрий",
    "дякую",
    "є",
    "ж",
    "з",
    "за",
    "зі",
    "і",
    "із",
    "й",
    "його",
    "її",
    "їх",
    "коли",
    "куди",
    "ласка",
    "мене",
    "мені",
    "ми",
    "мій",
    "мог",
    "може",
    "можна",
    "мої",
    "моє",
    "моя",
    "на",
    "над",
    "не",
    "ні",
    "но",
    "нам",
    "нас",
    "о",
    "об",
    "от",
    "пані",
    "пане",
    "по",
    "під",
    "підкажіть",
    "при",
    "про",
    "скажіть",
    "та",
    "так",
    "там",
    "те",
    "теж",
    "то",
    "той",
    "треба",
    "потрібно",
    "у",
    "хочу",
    "це",
    "цей",
    "ця",
    "ці",
    "чи",
    "що",
    "щоб",
    "як",
    "який",
    "яка",
    "які",
    "яке",
    "я",
    "вже",
    "ще",
    "хто",
    "чому",
    "якщо",
];

/// Endings stripped to find a word's stem, longest first. Ukrainian nouns, adjectives and
/// verbs; the stem keeps at least [`STEM_MIN`] letters.
const ENDINGS: &[&str] = &[
    "ування",
    "ювання",
    "ання",
    "яння",
    "ення",
    "іння",
    "ості",
    "істю",
    "ість",
    "ями",
    "ами",
    "ові",
    "еві",
    "єві",
    "ого",
    "ому",
    "ими",
    "іми",
    "ених",
    "ати",
    "ити",
    "іти",
    "ній",
    "ний",
    "ною",
    "них",
    "ним",
    "ні",
    "ий",
    "ій",
    "ої",
    "ою",
    "ею",
    "єю",
    "их",
    "іх",
    "ів",
    "їв",
    "ам",
    "ям",
    "ах",
    "ях",
    "ом",
    "ем",
    "єм",
    "им",
    "ім",
    "ти",
    "а",
    "я",
    "у",
    "ю",
    "і",
    "ї",
    "и",
    "о",
    "е",
    "є",
    "ь",
    "й",
];

/// The fewest letters a stem keeps.
const STEM_MIN: usize = 3;

/// Lower-cases `text` and splits it into words: letters and digits, with apostrophes
/// (' ’ ʼ `) dropped inside words ("сім'ї" is "сімї"), and "ґ" read as "г".
pub fn words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    for c in text.chars().flat_map(char::to_lowercase) {
        match c {
            '\'' | '’' | 'ʼ' | '`' | '‘' => {}
            'ґ' => cur.push('г'),
            'ё' => cur.push('е'),
            'ы' => cur.push('и'),
            'э' => cur.push('е'),
            c if c.is_alphanumeric() => cur.push(c),
            _ => {
                if !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
            }
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// The stem of a (lower-case) word: its longest known ending stripped while at least
/// [`STEM_MIN`] letters remain. Numbers and short words stay as they are.
pub fn stem(word: &str) -> String {
    let n = word.chars().count();
    if n <= STEM_MIN || word.chars().all(|c| c.is_ascii_digit()) {
        return word.to_owned();
    }
    for ending in ENDINGS {
        if let Some(rest) = word.strip_suffix(ending)
            && rest.chars().count() >= STEM_MIN
        {
            return rest.to_owned();
        }
    }
    word.to_owned()
}

/// Whether `word` is a stop word.
pub fn is_stop_word(word: &str) -> bool {
    STOP_WORDS.contains(&word)
}

/// The edit distance (insertions, deletions, substitutions, swaps of neighbours) between
/// two words, or `None` when it is over `max`.
pub fn distance(a: &str, b: &str, max: usize) -> Option<usize> {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len().abs_diff(b.len()) > max {
        return None;
    }
    let w = b.len() + 1;
    let mut d = vec![0usize; (a.len() + 1) * w];
    for i in 0..=a.len() {
        d[i * w] = i;
    }
    for (j, cell) in d.iter_mut().enumerate().take(w) {
        *cell = j;
    }
    for i in 1..=a.len() {
        let mut row_min = usize::MAX;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut v = (d[(i - 1) * w + j] + 1)
                .min(d[i * w + j - 1] + 1)
                .min(d[(i - 1) * w + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                v = v.min(d[(i - 2) * w + j - 2] + 1);
            }
            d[i * w + j] = v;
            row_min = row_min.min(v);
        }
        if row_min > max {
            return None;
        }
    }
    let v = d[a.len() * w + b.len()];
    (v <= max).then_some(v)
}

/// How many typos a word of `len` letters may carry and still match.
fn typos_allowed(len: usize) -> usize {
    match len {
        0..=3 => 0,
        4..=7 => 1,
        _ => 2,
    }
}

/// How the query word (`word`, `stem`) matches the document's term, if at all. `last` marks
/// the query's last word, which may still be being typed.
fn match_term(word: &str, stem: &str, t: &Term, last: bool) -> Option<How> {
    if word == t.word {
        return Some(How::Exact);
    }
    if stem == t.stem {
        return Some(How::Ending);
    }
    let (qn, tn) = (stem.chars().count(), t.stem.chars().count());
    // A word being typed.
    if last && word.chars().count() >= 3 && t.word.starts_with(word) {
        return Some(How::Prefix);
    }
    // A typo is told before a longer stem: "субсидя" is "субсидія" mistyped, not the
    // start of "субсидії".
    let allowed = typos_allowed(qn.min(tn));
    if allowed > 0 && distance(stem, &t.stem, allowed).is_some() {
        return Some(How::Typo);
    }
    // A stem the document's word extends ("реєстраці" and "реєстраційн").
    if qn >= 5 && tn > qn && t.stem.starts_with(stem) {
        return Some(How::Prefix);
    }
    None
}

impl Index {
    /// Prepares documents, each a list of weighted fields.
    pub fn new(docs: impl IntoIterator<Item = Vec<Field>>) -> Self {
        let docs = docs
            .into_iter()
            .map(|fields| {
                let mut terms: Vec<Term> = Vec::new();
                for f in fields {
                    for word in words(&f.text) {
                        if is_stop_word(&word) {
                            continue;
                        }
                        let stem = stem(&word);
                        // Keep each word once, at its strongest weight.
                        match terms.iter_mut().find(|t| t.word == word) {
                            Some(t) if t.weight.factor() < f.weight.factor() => t.weight = f.weight,
                            Some(_) => {}
                            None => terms.push(Term {
                                word,
                                stem,
                                weight: f.weight,
                            }),
                        }
                    }
                }
                terms
            })
            .collect();
        Self { docs }
    }

    /// How many documents there are.
    pub fn len(&self) -> usize {
        self.docs.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.docs.is_empty()
    }

    /// The documents matching `query`, best first, at most `limit`. A query of stop words
    /// only finds nothing.
    pub fn search(&self, query: &str, limit: usize) -> Vec<Ranked> {
        let mut q: Vec<(String, String)> = Vec::new();
        let all = words(query);
        let ends_in_space = query.ends_with(|c: char| c.is_whitespace());
        let last_index = all.len().saturating_sub(1);
        let mut last_kept = false;
        for (i, w) in all.into_iter().enumerate() {
            if is_stop_word(&w) || q.iter().any(|(x, _)| *x == w) {
                continue;
            }
            last_kept = i == last_index && !ends_in_space;
            let s = stem(&w);
            q.push((w, s));
        }
        if q.is_empty() || self.docs.is_empty() {
            return Vec::new();
        }
        // Per query word: its best match in each document.
        let n = self.docs.len() as f64;
        let mut per_doc: Vec<(f64, Vec<Matched>)> = vec![(0.0, Vec::new()); self.docs.len()];
        for (qi, (word, stem)) in q.iter().enumerate() {
            let last = last_kept && qi + 1 == q.len();
            let best: Vec<Option<(f64, Matched)>> = self
                .docs
                .iter()
                .map(|terms| {
                    terms
                        .iter()
                        .filter_map(|t| {
                            match_term(word, stem, t, last).map(|how| {
                                (
                                    t.weight.factor() * how.factor(),
                                    Matched {
                                        query: word.clone(),
                                        found: t.word.clone(),
                                        how,
                                    },
                                )
                            })
                        })
                        .fold(None, |acc: Option<(f64, Matched)>, x| match acc {
                            Some(a) if a.0 >= x.0 => Some(a),
                            _ => Some(x),
                        })
                })
                .collect();
            let df = best.iter().filter(|b| b.is_some()).count() as f64;
            if df == 0.0 {
                continue;
            }
            let idf = (1.0 + n / df).ln();
            for (d, b) in best.into_iter().enumerate() {
                if let Some((s, m)) = b {
                    per_doc[d].0 += s * idf;
                    per_doc[d].1.push(m);
                }
            }
        }
        let words_in_query = q.len() as f64;
        let mut ranked: Vec<Ranked> = per_doc
            .into_iter()
            .enumerate()
            .filter(|(_, (s, _))| *s > 0.0)
            .map(|(doc, (s, matched))| {
                let coverage = matched.len() as f64 / words_in_query;
                Ranked {
                    doc,
                    score: s * (0.5 + 0.5 * coverage),
                    matched,
                }
            })
            .collect();
        ranked.sort_by(|a, b| b.score.total_cmp(&a.score).then(a.doc.cmp(&b.doc)));
        ranked.truncate(limit);
        ranked
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(title: &str, body: &str) -> Vec<Field> {
        vec![
            Field {
                text: title.into(),
                weight: Weight::Title,
            },
            Field {
                text: body.into(),
                weight: Weight::Body,
            },
        ]
    }

    fn index() -> Index {
        Index::new([
            doc(
                "Видача довідки про склад сім'ї",
                "Довідка потрібна для субсидії чи пільг.",
            ),
            doc(
                "Реєстрація місця проживання",
                "Прописка за новою адресою. Паспорт, заява.",
            ),
            doc(
                "Оформлення паспорта громадянина України у формі ID-картки",
                "Вперше у 14 років, обмін, втрата.",
            ),
            doc(
                "Призначення житлової субсидії",
                "Допомога на оплату житлово-комунальних послуг.",
            ),
            doc(
                "Державна реєстрація фізичної особи — підприємця",
                "ФОП: заява, паспорт, РНОКПП.",
            ),
        ])
    }

    fn titles(q: &str) -> Vec<usize> {
        index().search(q, 3).into_iter().map(|r| r.doc).collect()
    }

    #[test]
    fn words_are_lower_case_without_apostrophes() {
        assert_eq!(words("Склад СІМ’Ї, ґанок!"), ["склад", "сімї", "ганок"]);
        assert_eq!(words("сім'я сімʼя"), ["сімя", "сімя"]);
        assert_eq!(words("  "), Vec::<String>::new());
        assert_eq!(words("ID-картка 2026"), ["id", "картка", "2026"]);
    }

    #[test]
    fn endings_share_a_stem() {
        for (a, b) in [
            ("довідку", "довідка"),
            ("довідки", "довідка"),
            ("сімї", "сімя"),
            ("паспорта", "паспорт"),
            ("субсидію", "субсидія"),
            ("реєстрації", "реєстрація"),
            ("проживання", "проживати"),
        ] {
            assert_eq!(stem(a), stem(b), "{a} / {b}");
        }
        assert_eq!(stem("фоп"), "фоп");
        assert_eq!(stem("2026"), "2026");
        assert!(stem("сімї").chars().count() >= STEM_MIN);
    }

    #[test]
    fn distance_counts_edits_and_swaps() {
        assert_eq!(distance("довідк", "довідк", 1), Some(0));
        assert_eq!(distance("довидк", "довідк", 1), Some(1));
        assert_eq!(distance("субсид", "субсидя", 1), Some(1));
        assert_eq!(distance("дoвідк", "довідк", 1), Some(1));
        assert_eq!(distance("ab", "ba", 1), Some(1));
        assert_eq!(distance("abc", "xyz", 2), None);
        assert_eq!(distance("a", "abcd", 2), None);
    }

    #[test]
    fn endings_and_typos_find_the_service() {
        assert_eq!(titles("як отримати довідку про склад сім'ї")[0], 0);
        assert_eq!(titles("довидка склад симї")[0], 0);
        assert_eq!(titles("прописка")[0], 1);
        assert_eq!(titles("паспорта")[0], 2);
        assert_eq!(titles("субсидя")[0], 3);
        assert_eq!(titles("реєстраця фоп")[0], 4);
    }

    #[test]
    fn a_mistyped_word_is_told_as_a_typo() {
        let r = index().search("субсидя ", 3);
        assert_eq!(r[0].doc, 3);
        assert_eq!(r[0].matched[0].how, How::Typo);
        let r = index().search("довидку ", 3);
        assert_eq!(r[0].matched[0].how, How::Typo);
    }

    #[test]
    fn a_word_being_typed_matches_as_a_prefix() {
        let r = index().search("субс", 3);
        assert_eq!(r[0].doc, 3);
        assert_eq!(r[0].matched[0].how, How::Prefix);
        // Not once the word is finished.
        assert!(index().search("субс ", 3).is_empty());
    }

    #[test]
    fn each_hit_says_why() {
        let r = index().search("довідку про склад", 1);
        let m = &r[0].matched;
        assert!(m.contains(&Matched {
            query: "довідку".into(),
            found: "довідки".into(),
            how: How::Ending
        }));
        assert!(m.contains(&Matched {
            query: "склад".into(),
            found: "склад".into(),
            how: How::Exact
        }));
    }

    #[test]
    fn stop_words_and_nonsense_find_nothing() {
        assert!(index().search("як де що", 5).is_empty());
        assert!(index().search("", 5).is_empty());
        assert!(index().search("кракозябра", 5).is_empty());
        assert!(
            Index::new(Vec::<Vec<Field>>::new())
                .search("довідка", 5)
                .is_empty()
        );
    }

    #[test]
    fn more_words_matched_rank_higher_and_ties_keep_order() {
        // Both mention "паспорт"; only the first has "картки" too.
        let r = index().search("паспорт картки", 5);
        assert_eq!(r[0].doc, 2);
        let s = Index::new([doc("Один", "спільне"), doc("Два", "спільне")]).search("спільне", 5);
        assert_eq!(s.iter().map(|r| r.doc).collect::<Vec<_>>(), [0, 1]);
    }

    #[test]
    fn the_title_outweighs_the_body() {
        let idx = Index::new([doc("Інше", "субсидія"), doc("Субсидія", "інше")]);
        assert_eq!(idx.search("субсидія", 2)[0].doc, 1);
    }
}
