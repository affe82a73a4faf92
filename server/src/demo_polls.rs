//! Demo polls and surveys for Херсонська громада:
//!
//! - an open poll (one question, single choice) closing in about 10 days, results after
//!   answering, with some answers;
//! - a closed poll (multiple choice, at most 2) with [`CLOSED_RESPONSES`] answers of
//!   generated respondents, results public;
//! - an open survey mixing all four kinds of question (single, multiple with a maximum,
//!   scale, text), for verified residents, with some answers including texts;
//! - a draft only staff see.
//!
//! The demo resident and the verified demo resident have not answered the open ones, so
//! they can. Generated respondents (`respondent001@demo.example` …) are verified
//! residents who cannot sign in.

use hromada_api::polls::{
    Answer, AnswerValue, Audience, PollDraft, PollKind, Question, QuestionKind, ResponseDraft,
    ResultsShown,
};

use crate::db::{Db, NewUser, UserRow};
use crate::demo::DEMO_HROMADA;
use crate::domain::accounts::Account;
use crate::domain::polls::seed;
use crate::domain::{clock, ids};
use crate::error::{ApiError, ApiResult};

const DAY: i64 = 86_400_000;
const HOUR: i64 = 3_600_000;
/// How many generated respondents there are.
pub const RESPONDENTS: usize = 540;
/// How many answered the closed poll.
pub const CLOSED_RESPONSES: usize = 527;
/// How many answered the open poll so far.
pub const OPEN_RESPONSES: usize = 64;
/// How many answered the open survey so far.
pub const SURVEY_RESPONSES: usize = 38;
/// A password hash no password matches: generated respondents cannot sign in.
const UNUSABLE: &str = "!demo-respondent-cannot-sign-in";

fn respondent_email(i: usize) -> String {
    format!("respondent{:03}@demo.example", i + 1)
}

/// Makes the generated respondents that are missing; returns all of them.
async fn respondents(db: &Db, since_ms: i64) -> ApiResult<Vec<UserRow>> {
    let streets = [
        "вул. Соборна",
        "просп. Ушакова",
        "вул. Перекопська",
        "вул. Поповича",
        "вул. Бериславське шосе",
        "вул. Лютеранська",
        "вул. Миколаївське шосе",
    ];
    let offset = crate::demo_petitions::SIGNERS + crate::demo_budget::VOTERS;
    let users: Vec<NewUser> = (0..RESPONDENTS)
        .map(|i| NewUser {
            id: ids::new_id(),
            email: respondent_email(i),
            password_hash: UNUSABLE.to_owned(),
            full_name: crate::demo_petitions::signer_name(offset + i),
            address: format!(
                "{}, {}, кв. {}, м. Херсон",
                streets[i % streets.len()],
                1 + (i * 13) % 150,
                1 + (i * 19) % 90
            ),
            hromada: DEMO_HROMADA.to_owned(),
            created_at: clock::rfc3339(since_ms + i as i64 * 60_000),
        })
        .collect();
    db.insert_verified_users(&users).await?;
    let mut out = Vec::with_capacity(RESPONDENTS);
    for i in 0..RESPONDENTS {
        out.push(
            db.user_by_email(&respondent_email(i))
                .await?
                .ok_or_else(|| ApiError::Internal(format!("demo respondent {i} missing")))?,
        );
    }
    Ok(out)
}

/// A small deterministic generator (xorshift), so that the demo is the same every time.
struct Dice(u32);

impl Dice {
    fn next(&mut self, m: u32) -> u32 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 17;
        self.0 ^= self.0 << 5;
        self.0 % m.max(1)
    }

    /// An index drawn by `weights`, among those not in `taken`.
    fn pick(&mut self, weights: &[u32], taken: &[u32]) -> u32 {
        let free: u32 = weights
            .iter()
            .enumerate()
            .filter(|(i, _)| !taken.contains(&(*i as u32)))
            .map(|(_, w)| *w)
            .sum();
        let mut r = self.next(free);
        for (i, w) in weights.iter().enumerate() {
            if taken.contains(&(i as u32)) {
                continue;
            }
            if r < *w {
                return i as u32;
            }
            r -= w;
        }
        0
    }
}

fn options(o: &[&str]) -> Vec<String> {
    o.iter().map(|s| (*s).to_owned()).collect()
}

fn open_poll(now: i64) -> PollDraft {
    PollDraft {
        kind: PollKind::Poll,
        title: "Де облаштувати новий сквер у 2027 році?".into(),
        intro: "Міська рада планує облаштувати ще один сквер наступного року. Оберіть район, \
                де він потрібен найбільше; результати побачите одразу після відповіді."
            .into(),
        questions: vec![Question {
            title: "Який район ви обираєте?".into(),
            required: true,
            kind: QuestionKind::Single {
                options: options(&[
                    "Центральний (біля Театральної площі)",
                    "Таврійський мікрорайон",
                    "Шуменський мікрорайон",
                    "Корабельний район",
                    "Острів (Карантинний)",
                ]),
            },
        }],
        audience: Audience::SignedIn,
        results_shown: ResultsShown::AfterAnswer,
        opens_at: clock::rfc3339(now - 4 * DAY),
        closes_at: clock::rfc3339(now + 10 * DAY),
    }
}

const PRIORITIES: &[&str] = &[
    "Укриття в школах і дитсадках",
    "Ремонт доріг і тротуарів",
    "Вуличне освітлення",
    "Громадський транспорт",
    "Водопостачання",
    "Озеленення та сквери",
];

fn closed_poll(now: i64) -> PollDraft {
    PollDraft {
        kind: PollKind::Poll,
        title: "Пріоритети відновлення громади на 2026 рік".into(),
        intro: "Оберіть не більше двох напрямів, які, на вашу думку, потрібно фінансувати \
                першочергово. Результати враховано під час ухвалення бюджету."
            .into(),
        questions: vec![Question {
            title: "Що відновлювати насамперед? (до двох варіантів)".into(),
            required: true,
            kind: QuestionKind::Multiple {
                options: options(PRIORITIES),
                max: 2,
            },
        }],
        audience: Audience::Verified,
        results_shown: ResultsShown::Always,
        opens_at: clock::rfc3339(now - 45 * DAY),
        closes_at: clock::rfc3339(now - 15 * DAY),
    }
}

fn survey(now: i64) -> PollDraft {
    PollDraft {
        kind: PollKind::Survey,
        title: "Опитування про роботу ЦНАП".into(),
        intro: "Допоможіть нам покращити Центр надання адміністративних послуг: опитування \
                займе близько трьох хвилин. Результати опублікуємо після його завершення."
            .into(),
        questions: vec![
            Question {
                title: "Як часто ви звертаєтеся до ЦНАП?".into(),
                required: true,
                kind: QuestionKind::Single {
                    options: options(&[
                        "Раз на місяць або частіше",
                        "Кілька разів на рік",
                        "Раз на рік або рідше",
                    ]),
                },
            },
            Question {
                title: "Які послуги ви отримували? (до трьох)".into(),
                required: false,
                kind: QuestionKind::Multiple {
                    options: options(&[
                        "Реєстрація місця проживання",
                        "Паспорт або ID-картка",
                        "Субсидії та соціальна допомога",
                        "Реєстрація бізнесу",
                        "Земельні питання",
                    ]),
                    max: 3,
                },
            },
            Question {
                title: "Як ви оцінюєте обслуговування (1 — погано, 5 — чудово)?".into(),
                required: true,
                kind: QuestionKind::Scale,
            },
            Question {
                title: "Що нам варто змінити?".into(),
                required: false,
                kind: QuestionKind::Text,
            },
        ],
        audience: Audience::Verified,
        results_shown: ResultsShown::AfterClose,
        opens_at: clock::rfc3339(now - 6 * DAY),
        closes_at: clock::rfc3339(now + 21 * DAY),
    }
}

fn draft(now: i64) -> PollDraft {
    PollDraft {
        kind: PollKind::Poll,
        title: "Графік роботи міських басейнів улітку".into(),
        intro: "Чернетка: уточнити години з управлінням спорту перед публікацією.".into(),
        questions: vec![Question {
            title: "Коли вам зручніше відвідувати басейн?".into(),
            required: true,
            kind: QuestionKind::Single {
                options: options(&["Зранку (7:00–10:00)", "Удень", "Увечері (18:00–21:00)"]),
            },
        }],
        audience: Audience::SignedIn,
        results_shown: ResultsShown::AfterClose,
        opens_at: clock::rfc3339(now + 7 * DAY),
        closes_at: clock::rfc3339(now + 30 * DAY),
    }
}

const SUGGESTIONS: &[&str] = &[
    "Електронна черга, щоб не чекати на вулиці.",
    "Подовжити години роботи хоча б до 19:00 у четвер.",
    "Більше місць для очікування і генератор на випадок відключень.",
    "Пандус біля входу з боку вулиці — зараз незручно з візочком.",
    "Виїзний ЦНАП для Корабельного району.",
    "Дякую, все швидко і ввічливо!",
    "Пояснювати заздалегідь, які документи потрібні, на сайті.",
    "Запис онлайн на конкретну годину.",
    "Окреме вікно для людей похилого віку.",
    "Працювати в суботу.",
];

fn choice(question: u32, options: Vec<u32>) -> Answer {
    Answer {
        question,
        value: AnswerValue::Choice { options },
    }
}

/// Responses `(user id, time, answers)` of `people`, spread from `from_ms` on, every
/// `step_ms`.
fn spread(
    people: &[UserRow],
    from_ms: i64,
    step_ms: i64,
    answers: impl Fn(usize) -> ResponseDraft,
) -> Vec<(String, String, ResponseDraft)> {
    people
        .iter()
        .enumerate()
        .map(|(i, u)| {
            (
                u.id.clone(),
                clock::rfc3339(from_ms + i as i64 * step_ms),
                answers(i),
            )
        })
        .collect()
}

/// Loads the demo polls unless the demo hromada already has polls. Runs after the demo
/// budget (it names its respondents like its voters, after them).
pub async fn load(db: &Db) -> ApiResult<()> {
    if db.poll_count(DEMO_HROMADA).await? > 0 {
        return Ok(());
    }
    let now = clock::now_millis();
    let staff = db
        .user_by_email("staff@demo.example")
        .await?
        .ok_or_else(|| ApiError::Internal("demo staff missing".into()))?;
    let staff = Account::load(db, staff).await?;
    let people = respondents(db, now - 400 * DAY).await?;

    // The closed poll: most people choose two, some one; weights make a clear order.
    let d = closed_poll(now);
    let opens = now - 45 * DAY;
    let id = seed::poll(
        db,
        &staff,
        DEMO_HROMADA,
        &d,
        Some(&clock::rfc3339(opens - DAY)),
    )
    .await?;
    let weights = [34, 27, 16, 10, 8, 5];
    let dice = std::cell::RefCell::new(Dice(2_891_336_453));
    let closed = spread(
        &people[..CLOSED_RESPONSES],
        opens + HOUR,
        (30 * DAY - 2 * HOUR) / CLOSED_RESPONSES as i64,
        |_| {
            let mut d = dice.borrow_mut();
            let k = if d.next(4) == 0 { 1 } else { 2 };
            let mut picked = Vec::new();
            while picked.len() < k {
                let p = d.pick(&weights, &picked);
                picked.push(p);
            }
            ResponseDraft {
                answers: vec![choice(0, picked)],
            }
        },
    );
    seed::responses(db, &id, &d.questions, &closed).await?;

    // The open poll, answered by some.
    let d = open_poll(now);
    let opens = now - 4 * DAY;
    let id = seed::poll(db, &staff, DEMO_HROMADA, &d, Some(&clock::rfc3339(opens))).await?;
    let weights = [22, 30, 12, 18, 9];
    let dice = std::cell::RefCell::new(Dice(1_103_515_245));
    let open = spread(
        &people[100..100 + OPEN_RESPONSES],
        opens + HOUR,
        (4 * DAY - 3 * HOUR) / OPEN_RESPONSES as i64,
        |_| ResponseDraft {
            answers: vec![choice(0, vec![dice.borrow_mut().pick(&weights, &[])])],
        },
    );
    seed::responses(db, &id, &d.questions, &open).await?;

    // The survey, answered by some, a few with texts.
    let d = survey(now);
    let opens = now - 6 * DAY;
    let id = seed::poll(db, &staff, DEMO_HROMADA, &d, Some(&clock::rfc3339(opens))).await?;
    let dice = std::cell::RefCell::new(Dice(362_436_069));
    let answers = spread(
        &people[200..200 + SURVEY_RESPONSES],
        opens + 2 * HOUR,
        (6 * DAY - 5 * HOUR) / SURVEY_RESPONSES as i64,
        |i| {
            let mut d = dice.borrow_mut();
            let mut answers = vec![choice(0, vec![d.pick(&[3, 6, 4], &[])])];
            if i % 4 != 3 {
                let k = 1 + d.next(3) as usize;
                let mut picked = Vec::new();
                while picked.len() < k {
                    let p = d.pick(&[5, 4, 3, 1, 2], &picked);
                    picked.push(p);
                }
                answers.push(choice(1, picked));
            }
            answers.push(Answer {
                question: 2,
                value: AnswerValue::Scale {
                    value: [4, 5, 3, 4, 2, 5, 4, 3, 1, 4][i % 10],
                },
            });
            if i % 3 == 0 {
                answers.push(Answer {
                    question: 3,
                    value: AnswerValue::Text {
                        text: SUGGESTIONS[(i / 3) % SUGGESTIONS.len()].to_owned(),
                    },
                });
            }
            ResponseDraft { answers }
        },
    );
    seed::responses(db, &id, &d.questions, &answers).await?;

    // A draft, for staff only.
    seed::poll(db, &staff, DEMO_HROMADA, &draft(now), None).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use hromada_api::polls::validate_draft;

    #[test]
    fn every_demo_poll_is_valid() {
        let now = 1_790_000_000_000;
        for d in [open_poll(now), closed_poll(now), survey(now), draft(now)] {
            assert!(validate_draft(&d).is_empty(), "{}", d.title);
        }
        const { assert!(CLOSED_RESPONSES >= 500 && CLOSED_RESPONSES <= RESPONDENTS) };
        const { assert!(200 + SURVEY_RESPONSES <= RESPONDENTS) };
    }
}
