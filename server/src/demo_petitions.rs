//! Demo petitions for Херсонська громада: the hromada's rules (250 signatures in 60 days,
//! verified residents only), generated verified residents who sign (so that the public
//! lists of signers look real), and petitions in every state: in moderation (submitted
//! yesterday by the verified demo resident), collecting at different stages (one a
//! single signature short of its number, which the verified demo resident has not
//! signed: signing it moves it to consideration), under consideration, answered
//! (supported, partly supported), not supported (handed to the appeals inbox), and
//! rejected with a reason.

use hromada_api::HromadaSettings;
use hromada_api::petitions::{AnswerDraft, Decision, Moderation, NewPetition};

use crate::db::{Db, NewUser, UserRow};
use crate::demo::DEMO_HROMADA;
use crate::domain::accounts::Account;
use crate::domain::petitions::seed;
use crate::domain::{clock, ids};
use crate::error::{ApiError, ApiResult};

const DAY: i64 = 86_400_000;
const HOUR: i64 = 3_600_000;
/// How many generated signers there are (`signer001@demo.example` …).
pub const SIGNERS: usize = 240;
/// A password hash no password matches: the generated signers cannot sign in.
const UNUSABLE: &str = "!demo-signer-cannot-sign-in";

const WOMEN: [&str; 24] = [
    "Олена",
    "Ірина",
    "Наталія",
    "Тетяна",
    "Оксана",
    "Світлана",
    "Юлія",
    "Марія",
    "Анна",
    "Людмила",
    "Галина",
    "Катерина",
    "Ольга",
    "Вікторія",
    "Надія",
    "Лариса",
    "Софія",
    "Дарина",
    "Валентина",
    "Алла",
    "Христина",
    "Зоряна",
    "Ганна",
    "Інна",
];
const MEN: [&str; 24] = [
    "Андрій",
    "Олександр",
    "Сергій",
    "Володимир",
    "Микола",
    "Іван",
    "Дмитро",
    "Василь",
    "Петро",
    "Юрій",
    "Богдан",
    "Тарас",
    "Олег",
    "Віктор",
    "Михайло",
    "Роман",
    "Ярослав",
    "Максим",
    "Степан",
    "Григорій",
    "Павло",
    "Артем",
    "Остап",
    "Назар",
];
/// Surnames that are the same for women and men.
const SURNAMES: [&str; 41] = [
    "Коваленко",
    "Бондаренко",
    "Ткаченко",
    "Кравченко",
    "Шевченко",
    "Мельник",
    "Бойко",
    "Коваль",
    "Олійник",
    "Шевчук",
    "Поліщук",
    "Лисенко",
    "Руденко",
    "Савченко",
    "Марченко",
    "Гончаренко",
    "Мороз",
    "Павленко",
    "Кузьменко",
    "Петренко",
    "Клименко",
    "Романюк",
    "Левченко",
    "Гаврилюк",
    "Ковальчук",
    "Дорошенко",
    "Тимошенко",
    "Зінченко",
    "Білоус",
    "Кушнір",
    "Сидоренко",
    "Литвин",
    "Пономаренко",
    "Костенко",
    "Сорока",
    "Ярошенко",
    "Гуменюк",
    "Панченко",
    "Онищенко",
    "Мазур",
    "Кириленко",
];
const STREETS: [&str; 12] = [
    "вул. Соборна",
    "просп. Ушакова",
    "вул. Перекопська",
    "вул. Університетська",
    "вул. Лютеранська",
    "вул. Суворова",
    "вул. Поповича",
    "вул. Бериславське шосе",
    "вул. Миколаївське шосе",
    "вул. Покришева",
    "вул. Гімназична",
    "просп. Незалежності",
];

/// The name of generated signer `i`: women and men in turn, every pair different.
pub fn signer_name(i: usize) -> String {
    let first = if i.is_multiple_of(2) {
        WOMEN[(i / 2) % WOMEN.len()]
    } else {
        MEN[(i / 2) % MEN.len()]
    };
    // 41 is prime to 24: (first, surname) pairs repeat only after 2 × 24 × 41 signers.
    format!("{first} {}", SURNAMES[i % SURNAMES.len()])
}

fn signer_email(i: usize) -> String {
    format!("signer{:03}@demo.example", i + 1)
}

/// What happens to a demo petition after publication.
enum Then {
    Collect,
    /// Reached its number this many days after publication; answered (decision, text,
    /// days after reaching) or not yet.
    Reach(i64, Option<(Decision, &'static str, i64)>),
    /// Its period ended: handed to the appeals inbox.
    HandOver,
}

struct Demo {
    /// `verified` (the demo account) or a generated signer's index.
    author: Option<usize>,
    /// Submitted this many days ago, at this hour (UTC).
    days_ago: i64,
    hour: i64,
    title: &'static str,
    text: &'static str,
    /// Published (days after submission; needed; days of collection), or rejected with
    /// a reason, or left in moderation.
    moderation: Moderated,
    /// Signatures beyond the author's (for `Reach`: all of them, the number minus 1).
    signatures: usize,
    /// Whether the verified demo account signs it.
    verified_signs: bool,
    then: Then,
}

enum Moderated {
    Waiting,
    Published { after: i64, needed: u32, days: u32 },
    Rejected(&'static str),
}

fn published(needed: u32, days: u32) -> Moderated {
    Moderated::Published {
        after: 1,
        needed,
        days,
    }
}

fn demos() -> Vec<Demo> {
    vec![
        Demo {
            author: None,
            days_ago: 1,
            hour: 9,
            title: "Встановити світлофор на перехресті вулиць Перекопської та Суворова",
            text: "На перехресті вулиць Перекопської та Суворова щодня переходять дорогу сотні \
                   людей, серед них діти з гімназії № 20. Автомобілі рухаються швидко, \
                   пішохідний перехід нерегульований, за останній рік тут сталося кілька ДТП.\n\n\
                   Просимо міську раду встановити на перехресті світлофор із кнопкою виклику \
                   для пішоходів і звуковим сигналом для людей з порушенням зору.",
            moderation: Moderated::Waiting,
            signatures: 0,
            verified_signs: false,
            then: Then::Collect,
        },
        Demo {
            author: Some(0),
            days_ago: 21,
            hour: 10,
            title: "Облаштувати пандуси в усіх амбулаторіях міста",
            text: "У більшості амбулаторій загальної практики Херсона немає пандусів або вони \
                   закруті для візка. Люди з інвалідністю, батьки з дитячими візками та літні \
                   люди не можуть самостійно потрапити до лікаря.\n\n\
                   Просимо до кінця року облаштувати пандуси з поручнями відповідно до ДБН \
                   В.2.2-40:2018 в усіх комунальних амбулаторіях громади, а також кнопки виклику \
                   персоналу біля входу.",
            moderation: published(250, 60),
            signatures: 142,
            verified_signs: true,
            then: Then::Collect,
        },
        Demo {
            author: None,
            days_ago: 6,
            hour: 8,
            title: "Облаштувати велодоріжку на проспекті Ушакова",
            text: "Проспект Ушакова — головна вулиця міста, якою щодня їздять велосипедисти, \
                   але велодоріжки на ньому немає, і їм доводиться їхати проїжджою частиною \
                   або тротуаром.\n\n\
                   Пропонуємо виділити велосмугу вздовж проспекту від вулиці Перекопської до \
                   набережної, встановити велопарковки біля зупинок та позначити перехрестя.",
            moderation: published(250, 60),
            signatures: 36,
            verified_signs: false,
            then: Then::Collect,
        },
        Demo {
            author: Some(1),
            days_ago: 31,
            hour: 12,
            title: "Повернути автобусний маршрут № 8 до мікрорайону Шуменський",
            text: "Після зміни схеми руху автобус № 8 більше не заїжджає до мікрорайону \
                   Шуменський. Мешканцям доводиться йти понад кілометр до найближчої зупинки, \
                   що особливо важко для літніх людей і людей з інвалідністю.\n\n\
                   Просимо відновити попередній маршрут № 8 із заїздом до мікрорайону \
                   Шуменський хоча б у ранкові та вечірні години.",
            moderation: published(50, 60),
            // 49 with the author's: one short of 50; the verified demo resident has not
            // signed it, so their signature moves it to consideration.
            signatures: 48,
            verified_signs: false,
            then: Then::Collect,
        },
        Demo {
            author: Some(2),
            days_ago: 58,
            hour: 7,
            title: "Облаштувати укриття на зупинках громадського транспорту",
            text: "Під час повітряної тривоги люди на зупинках громадського транспорту не мають \
                   де сховатися: найближчі укриття часто за кілька сотень метрів.\n\n\
                   Просимо встановити модульні бетонні укриття біля найбільш завантажених \
                   зупинок (Центральний ринок, вокзал, ХБК, Шуменський, Таврійський) і \
                   позначити шлях до найближчих укриттів на всіх інших зупинках.",
            moderation: published(250, 60),
            signatures: 210,
            verified_signs: false,
            then: Then::Collect,
        },
        Demo {
            author: Some(3),
            days_ago: 26,
            hour: 11,
            title: "Створити інклюзивний дитячий майданчик у сквері біля Палацу культури",
            text: "У місті немає жодного дитячого майданчика, де могли б гратися діти з \
                   інвалідністю разом з іншими дітьми.\n\n\
                   Просимо облаштувати у сквері біля Палацу культури інклюзивний майданчик: \
                   гойдалки для візків, сенсорні панелі, безпечне гумове покриття, пандуси та \
                   лавки для батьків у тіні.",
            moderation: published(100, 60),
            signatures: 99,
            verified_signs: false,
            then: Then::Reach(22, None),
        },
        Demo {
            author: Some(4),
            days_ago: 75,
            hour: 9,
            title: "Встановити питні фонтанчики в парках і на набережній",
            text: "Улітку в Херсоні спека сягає 40 градусів, а в парках і на набережній немає \
                   де попити води.\n\n\
                   Просимо встановити питні фонтанчики з підключенням до міського водогону в \
                   парку Слави, Шевченківському парку, сквері Шуменського та на набережній \
                   і забезпечити їхнє щоденне обслуговування з травня по вересень.",
            moderation: published(100, 60),
            signatures: 99,
            verified_signs: true,
            then: Then::Reach(
                20,
                Some((
                    Decision::Supported,
                    "Міська рада розглянула петицію та підтримує її. Управління житлово-\
                     комунального господарства доручено до 1 червня встановити 12 питних \
                     фонтанчиків у парку Слави, Шевченківському парку, сквері Шуменського та \
                     на набережній. Обслуговування фонтанчиків з травня по вересень \
                     покладено на КП «Херсонводоканал»; кошти передбачено в бюджеті громади.",
                    8,
                )),
            ),
        },
        Demo {
            author: Some(5),
            days_ago: 90,
            hour: 14,
            title: "Запровадити електронний квиток у міському транспорті",
            text: "Оплата проїзду готівкою затримує автобуси на зупинках і не дає громаді \
                   бачити, скільки людей користується кожним маршрутом.\n\n\
                   Просимо запровадити електронний квиток: оплату банківською карткою та \
                   смартфоном у кожному автобусі й тролейбусі, проїзні на місяць і пільговий \
                   проїзд за електронним посвідченням.",
            moderation: published(150, 60),
            signatures: 149,
            verified_signs: false,
            then: Then::Reach(
                25,
                Some((
                    Decision::PartlySupported,
                    "Петицію підтримано частково. Оплату проїзду банківською карткою та \
                     смартфоном буде запроваджено в тролейбусах і на автобусних маршрутах \
                     КП «Херсонелектротранс» протягом року. Проїзні на місяць і пільговий \
                     проїзд за електронним посвідченням потребують зміни Порядку надання \
                     пільг; їх буде розглянуто після запуску системи на всіх маршрутах. \
                     Приватні перевізники мають підключитися до системи до кінця дії \
                     чинних договорів.",
                    9,
                )),
            ),
        },
        Demo {
            author: Some(6),
            days_ago: 72,
            hour: 16,
            title: "Облаштувати майданчик для вигулу собак у Шевченківському парку",
            text: "Власникам собак у центрі міста ніде вигулювати тварин: у парках це \
                   заборонено, а спеціальних майданчиків немає.\n\n\
                   Просимо облаштувати в Шевченківському парку огороджений майданчик для вигулу \
                   собак з урнами, освітленням і тренувальними снарядами.",
            moderation: published(250, 60),
            signatures: 63,
            verified_signs: false,
            then: Then::HandOver,
        },
        Demo {
            author: Some(7),
            days_ago: 12,
            hour: 13,
            title: "Відновити маршрут 8 на Шуменський",
            text: "Прошу повернути маршрут автобуса номер 8 на Шуменський, бо зараз людям \
                   далеко ходити до зупинки.",
            moderation: Moderated::Rejected(
                "Петиція з такою самою вимогою («Повернути автобусний маршрут № 8 до \
                 мікрорайону Шуменський») вже збирає підписи. Підпишіть, будь ласка, її — \
                 так ваш голос буде враховано.",
            ),
            signatures: 0,
            verified_signs: false,
            then: Then::Collect,
        },
    ]
}

fn clean(text: &str) -> String {
    text.split("\n\n")
        .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect::<Vec<_>>()
        .join("\n\n")
}

/// Makes the generated signers (verified residents who cannot sign in) that are missing.
async fn signers(db: &Db, since_ms: i64) -> ApiResult<Vec<UserRow>> {
    let users: Vec<NewUser> = (0..SIGNERS)
        .map(|i| NewUser {
            id: ids::new_id(),
            email: signer_email(i),
            password_hash: UNUSABLE.to_owned(),
            full_name: signer_name(i),
            address: format!(
                "{}, {}, кв. {}, м. Херсон",
                STREETS[i % STREETS.len()],
                3 + (i * 7) % 120,
                1 + (i * 13) % 90
            ),
            hromada: DEMO_HROMADA.to_owned(),
            created_at: clock::rfc3339(since_ms + i as i64 * 60_000),
        })
        .collect();
    db.insert_verified_users(&users).await?;
    let mut out = Vec::with_capacity(SIGNERS);
    for i in 0..SIGNERS {
        out.push(
            db.user_by_email(&signer_email(i))
                .await?
                .ok_or_else(|| ApiError::Internal(format!("demo signer {i} missing")))?,
        );
    }
    Ok(out)
}

/// Loads the demo petitions unless the demo hromada already has petitions. Runs after
/// the demo appeals (a petition handed over becomes an appeal).
pub async fn load(db: &Db) -> ApiResult<()> {
    if db.petition_count(DEMO_HROMADA).await? > 0 {
        return Ok(());
    }
    db.update_hromada_settings(
        DEMO_HROMADA,
        &HromadaSettings {
            petition_signatures: 250,
            petition_days: 60,
            petition_verified_only: true,
        },
    )
    .await?;
    let account = |email: &'static str| async move {
        let u = db
            .user_by_email(email)
            .await?
            .ok_or_else(|| ApiError::Internal(format!("demo account {email} missing")))?;
        Account::load(db, u).await
    };
    let verified = account("verified@demo.example").await?;
    let staff = account("staff@demo.example").await?;
    let now = clock::now_millis();
    let today = now - now.rem_euclid(DAY);
    let people = signers(db, now - 120 * DAY).await?;
    let authors = demos().iter().filter(|d| d.author.is_some()).count();
    // Signers are taken in turn after the authors, so nobody signs twice.
    let mut next = authors;
    for d in demos() {
        let author = match d.author {
            Some(i) => Account::load(db, people[i].clone()).await?,
            None => verified.clone(),
        };
        let submitted = (today - d.days_ago * DAY + d.hour * HOUR + 23 * 60_000).min(now - HOUR);
        let p = NewPetition {
            title: d.title.to_owned(),
            text: clean(d.text),
        };
        let id = seed::submit(db, DEMO_HROMADA, &author, &p, submitted).await?;
        let (after, needed, days) = match d.moderation {
            Moderated::Waiting => continue,
            Moderated::Rejected(reason) => {
                let m = Moderation::Reject {
                    reason: clean(reason),
                };
                seed::moderate(db, &id, &m, submitted + 5 * HOUR, 0, 0).await?;
                continue;
            }
            Moderated::Published {
                after,
                needed,
                days,
            } => (after, needed, days),
        };
        let published = submitted + after * DAY;
        seed::moderate(db, &id, &Moderation::Publish, published, needed, days).await?;
        let ends = published + i64::from(days) * DAY;
        // Signatures spread over the time signing ran (up to now, the end or the day the
        // number was reached).
        let until = match d.then {
            Then::Reach(day, _) => published + day * DAY,
            _ => ends.min(now - HOUR),
        };
        let mut who: Vec<(String, String)> = Vec::new();
        if d.verified_signs {
            who.push((verified.user.id.clone(), verified.user.full_name.clone()));
        }
        while who.len() < d.signatures {
            let i = next % SIGNERS;
            next += 1;
            if Some(i) != d.author {
                who.push((people[i].id.clone(), people[i].full_name.clone()));
            }
        }
        let step = (until - published) / (who.len() as i64 + 1);
        let mut rows: Vec<(String, String, String)> = who
            .into_iter()
            .enumerate()
            .map(|(i, (u, n))| (u, n, clock::rfc3339(published + (i as i64 + 1) * step)))
            .collect();
        let last = match d.then {
            Then::Reach(..) => rows.pop(),
            _ => None,
        };
        seed::sign_many(db, &id, &rows).await?;
        match d.then {
            Then::Collect => {}
            Then::Reach(_, answer) => {
                let (u, n, _) = last.ok_or_else(|| ApiError::Internal("no last signer".into()))?;
                seed::sign(db, &id, &u, &n, until).await?;
                if let Some((decision, text, after)) = answer {
                    let d = AnswerDraft {
                        decision,
                        text: clean(text),
                    };
                    let by = (staff.user.id.as_str(), staff.user.full_name.as_str());
                    seed::answer(db, &id, &d, by, until + after * DAY + 3 * HOUR).await?;
                }
            }
            Then::HandOver => seed::hand_over(db, &id, ends + 60_000).await?,
        }
    }
    // What happened more than a week ago was read.
    db.mark_notifications_read_before(
        &verified.user.id,
        &clock::rfc3339(now - 7 * DAY),
        &clock::rfc3339(now),
    )
    .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signer_names_do_not_repeat() {
        let names: std::collections::BTreeSet<String> = (0..SIGNERS).map(signer_name).collect();
        assert_eq!(names.len(), SIGNERS);
        assert_eq!(signer_name(0), "Олена Коваленко");
        assert_eq!(signer_email(0), "signer001@demo.example");
    }

    #[test]
    fn every_state_is_shown() {
        let d = demos();
        assert!(d.iter().any(|d| matches!(d.moderation, Moderated::Waiting)));
        assert!(
            d.iter()
                .any(|d| matches!(d.moderation, Moderated::Rejected(_)))
        );
        assert!(d.iter().any(|d| matches!(d.then, Then::HandOver)));
        assert!(d.iter().any(|d| matches!(d.then, Then::Reach(_, None))));
        let decisions: Vec<Decision> = d
            .iter()
            .filter_map(|d| match d.then {
                Then::Reach(_, Some((x, _, _))) => Some(x),
                _ => None,
            })
            .collect();
        assert!(decisions.contains(&Decision::Supported));
        assert!(decisions.contains(&Decision::PartlySupported));
        // One a single signature short of its number, not signed by the verified demo
        // resident.
        assert!(d.iter().any(|d| matches!(
            (&d.moderation, &d.then),
            (Moderated::Published { needed, .. }, Then::Collect)
                if d.signatures + 2 == *needed as usize && !d.verified_signs && d.author.is_some()
        )));
        for x in &d {
            assert!(
                hromada_api::petitions::validate_new(&NewPetition {
                    title: x.title.to_owned(),
                    text: clean(x.text),
                })
                .is_empty()
            );
        }
    }
}
