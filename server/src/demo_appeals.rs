//! Demo appeals for Херсонська громада: the default categories, the demo resident's
//! appeals in every status (registered at different dates of the past weeks, with the
//! staff's steps and the notifications they made), and a few public appeals of the
//! verified demo resident, so that the public list has content.

use std::path::Path;

use hromada_api::appeals::{NewAppeal, StaffAction, deadline::DAY_MS};
use image::ImageFormat;

use crate::db::Db;
use crate::demo::DEMO_HROMADA;
use crate::domain::appeals::{self, Actor, Registration, Upload};
use crate::domain::clock;
use crate::error::{ApiError, ApiResult};

const HOUR: i64 = 3_600_000;

/// A staff step.
enum Do {
    Act(StaffAction),
    Answer(&'static str),
}

struct Demo {
    /// `resident` or `verified`.
    who: &'static str,
    /// Registered this many days ago, at this hour of the day (UTC).
    days_ago: i64,
    hour: i64,
    kind: &'static str,
    category: &'static str,
    subject: &'static str,
    text: &'static str,
    location: Option<&'static str>,
    public: bool,
    photo: bool,
    /// `(days after registration, hour offset, step)`.
    steps: Vec<(i64, i64, Do)>,
    rating: Option<(u8, &'static str)>,
}

fn assign(to: &str) -> Do {
    Do::Act(StaffAction::Assign {
        assignee: to.to_owned(),
    })
}

fn demos() -> Vec<Demo> {
    vec![
        Demo {
            who: "resident",
            days_ago: 40,
            hour: 7,
            kind: "complaint",
            category: "Освітлення",
            subject: "Не працює ліхтар біля будинку на вул. Соборній, 12",
            text: "Уже два тижні не світить ліхтар на опорі навпроти під'їзду № 2 будинку \
                   на вул. Соборній, 12. Увечері у дворі зовсім темно, люди похилого віку \
                   бояться виходити. Прошу відремонтувати освітлення.",
            location: Some("вул. Соборна, 12, м. Херсон"),
            public: false,
            photo: false,
            steps: vec![
                (1, 2, assign("Відділ благоустрою")),
                (
                    18,
                    3,
                    Do::Answer(
                        "Шановна Олено Вікторівно! Повідомляємо, що бригада КП «Херсонміськсвітло» \
                         замінила світильник і пошкоджений кабель на опорі біля будинку № 12 \
                         на вул. Соборній. Освітлення відновлено.",
                    ),
                ),
                (19, 1, Do::Act(StaffAction::Close)),
            ],
            rating: Some((
                4,
                "Ліхтар полагодили, дякую. Але чекати довелося майже три тижні.",
            )),
        },
        Demo {
            who: "resident",
            days_ago: 35,
            hour: 9,
            kind: "complaint",
            category: "Дороги",
            subject: "Глибока вибоїна на перехресті Соборної та Гімназичної",
            text: "На перехресті вулиць Соборної та Гімназичної утворилася вибоїна \
                   глибиною близько 15 см і шириною понад метр. Після дощу її не видно, \
                   вчора в ній пошкодив колесо автомобіль. Прошу терміново залатати яму.",
            location: Some("перехрестя вул. Соборної та вул. Гімназичної"),
            public: true,
            photo: true,
            steps: vec![(2, 1, assign("Служба автомобільних доріг"))],
            rating: None,
        },
        Demo {
            who: "verified",
            days_ago: 25,
            hour: 11,
            kind: "proposal",
            category: "Дороги",
            subject: "Відновити пішохідний перехід біля школи № 52",
            text: "Розмітка пішохідного переходу біля школи № 52 на вул. Поповича майже \
                   стерлася, знака немає. Щоранку тут переходять дорогу десятки дітей. \
                   Пропоную відновити розмітку і встановити знаки та «лежачого поліцейського».",
            location: Some("вул. Поповича, 15"),
            public: true,
            photo: false,
            steps: vec![
                (1, 3, assign("Служба автомобільних доріг")),
                (
                    12,
                    2,
                    Do::Answer(
                        "Дякуємо за пропозицію. Розмітку пішохідного переходу відновлено, \
                         встановлено дорожні знаки 5.35.1 і 5.35.2. Штучну нерівність буде \
                         влаштовано під час ремонту дороги у наступному кварталі.",
                    ),
                ),
            ],
            rating: None,
        },
        Demo {
            who: "resident",
            days_ago: 28,
            hour: 6,
            kind: "application",
            category: "Водопостачання",
            subject: "Немає води в будинку на вул. Соборній третю добу",
            text: "З понеділка в будинку № 12 на вул. Соборній немає холодної води. На \
                   гарячій лінії водоканалу відповідають, що аварію усувають, але строків \
                   не називають. Прошу повідомити, коли відновлять водопостачання, і \
                   організувати підвіз питної води.",
            location: Some("вул. Соборна, 12, м. Херсон"),
            public: false,
            photo: false,
            steps: vec![
                (1, 1, assign("КП «Херсонводоканал»")),
                (
                    22,
                    4,
                    Do::Answer(
                        "Повідомляємо, що причиною відсутності води було пошкодження \
                         водогону діаметром 200 мм на вул. Гімназичній. Аварію усунуто, \
                         водопостачання відновлено в повному обсязі. На час ремонту \
                         працював пункт видачі питної води на вул. Соборній, 5.",
                    ),
                ),
            ],
            rating: None,
        },
        Demo {
            who: "resident",
            days_ago: 21,
            hour: 12,
            kind: "application",
            category: "Соціальна підтримка",
            subject: "Допомога на оплату комунальних послуг",
            text: "Прошу надати допомогу на оплату комунальних послуг. Я пенсіонерка, \
                   живу сама, пенсії не вистачає на оплату рахунків за опалення.",
            location: None,
            public: false,
            photo: false,
            steps: vec![(
                4,
                2,
                Do::Act(StaffAction::Return {
                    reason: "У зверненні не зазначено, про яку саме допомогу йдеться \
                             (субсидія чи разова матеріальна допомога), і не додано довідки \
                             про доходи. Будь ласка, подайте звернення повторно, уточнивши \
                             вид допомоги."
                        .to_owned(),
                }),
            )],
            rating: None,
        },
        Demo {
            who: "resident",
            days_ago: 18,
            hour: 8,
            kind: "proposal",
            category: "Транспорт",
            subject: "Змінити розклад автобуса № 12 у вечірні години",
            text: "Останній автобус № 12 від центру до Шуменського відправляється о 18:10, \
                   а багато людей закінчують роботу о 18:00. Пропоную додати ще два рейси \
                   о 18:40 і 19:20 та оприлюднити розклад на зупинках.",
            location: Some("зупинка «Площа Свободи»"),
            public: false,
            photo: false,
            steps: vec![
                (1, 1, assign("Управління транспорту")),
                (
                    10,
                    3,
                    Do::Act(StaffAction::Extend {
                        term_days: 45,
                        reason: "Зміна розкладу потребує обстеження пасажиропотоку та \
                                 погодження з перевізником; строк розгляду продовжено."
                            .to_owned(),
                    }),
                ),
            ],
            rating: None,
        },
        Demo {
            who: "resident",
            days_ago: 14,
            hour: 10,
            kind: "application",
            category: "Соціальна підтримка",
            subject: "Перерахунок пенсії після переїзду",
            text: "Після переїзду з Олешок мені не перерахували пенсію з урахуванням \
                   стажу роботи на підприємстві, документи про який я подала ще в червні. \
                   Прошу допомогти з перерахунком.",
            location: None,
            public: false,
            photo: false,
            steps: vec![(
                2,
                2,
                Do::Act(StaffAction::Forward {
                    to: "Головне управління Пенсійного фонду України в Херсонській області"
                        .to_owned(),
                    reason: "Перерахунок пенсії належить до повноважень органів Пенсійного \
                             фонду України."
                        .to_owned(),
                }),
            )],
            rating: None,
        },
        Demo {
            who: "verified",
            days_ago: 12,
            hour: 14,
            kind: "complaint",
            category: "Дороги",
            subject: "Не працює світлофор на просп. Ушакова",
            text: "Світлофор на перехресті просп. Ушакова та вул. Перекопської не працює \
                   вже п'ятий день. У години пік тут утворюються затори і небезпечно \
                   переходити дорогу. Прошу відновити його роботу.",
            location: Some("просп. Ушакова / вул. Перекопська"),
            public: true,
            photo: false,
            steps: vec![(0, 3, assign("Служба автомобільних доріг"))],
            rating: None,
        },
        Demo {
            who: "resident",
            days_ago: 9,
            hour: 13,
            kind: "complaint",
            category: "Вивіз сміття",
            subject: "Переповнені контейнери у дворі на вул. Соборній",
            text: "Сміття з контейнерного майданчика у дворі будинків № 10–14 на вул. \
                   Соборній не вивозили вже тиждень. Контейнери переповнені, сміття \
                   розносить вітер. Прошу вивезти сміття і дотримуватися графіка.",
            location: Some("вул. Соборна, 10–14, контейнерний майданчик"),
            public: false,
            photo: false,
            steps: vec![(0, 5, Do::Act(StaffAction::NoFurtherStudy))],
            rating: None,
        },
        Demo {
            who: "resident",
            days_ago: 6,
            hour: 15,
            kind: "application",
            category: "Парки і сквери",
            subject: "Зламана лавка у сквері Слави",
            text: "У сквері Слави біля фонтану зламана лавка: бракує двох дощок сидіння, \
                   з каркаса стирчать цвяхи. Діти можуть поранитися. Прошу відремонтувати \
                   або замінити лавку.",
            location: Some("сквер Слави, біля фонтану"),
            public: true,
            photo: false,
            steps: vec![(1, 2, assign("Відділ благоустрою"))],
            rating: None,
        },
        Demo {
            who: "verified",
            days_ago: 3,
            hour: 9,
            kind: "proposal",
            category: "Парки і сквери",
            subject: "Облаштувати велодоріжку на набережній",
            text: "Пропоную облаштувати на набережній велодоріжку, відокремлену від \
                   пішохідної частини, і встановити кілька велопарковок біля річкового \
                   вокзалу. Це зробить прогулянки безпечнішими для всіх.",
            location: Some("набережна ім. Леоніда Посєна"),
            public: true,
            photo: false,
            steps: vec![],
            rating: None,
        },
        Demo {
            who: "resident",
            days_ago: 1,
            hour: 8,
            kind: "proposal",
            category: "Освітлення",
            subject: "Освітити пішохідний перехід біля ринку",
            text: "Пішохідний перехід через вул. Покришева біля Центрального ринку ввечері \
                   зовсім не освітлений. Пропоную встановити над ним окремий світильник, як \
                   це зроблено на просп. Ушакова.",
            location: Some("вул. Покришева, біля Центрального ринку"),
            public: false,
            photo: false,
            steps: vec![],
            rating: None,
        },
    ]
}

/// A photo of a pothole for the demo: grey asphalt with a dark patch, as a JPEG.
fn pothole_photo() -> ApiResult<Vec<u8>> {
    let img = image::RgbImage::from_fn(1200, 900, |x, y| {
        let noise = ((x.wrapping_mul(7919) ^ y.wrapping_mul(104_729)) % 23) as u8;
        let (dx, dy) = (i64::from(x) - 620, (i64::from(y) - 500) * 3 / 2);
        if dx * dx + dy * dy < 230 * 230 {
            image::Rgb([40 + noise, 38 + noise, 36 + noise])
        } else {
            image::Rgb([105 + noise, 104 + noise, 100 + noise])
        }
    });
    let mut out = Vec::new();
    img.write_to(&mut std::io::Cursor::new(&mut out), ImageFormat::Jpeg)
        .map_err(|e| ApiError::Internal(format!("demo photo: {e}")))?;
    Ok(out)
}

/// Loads the demo appeals unless the demo hromada already has appeals.
pub async fn load(db: &Db, media_dir: &Path) -> ApiResult<()> {
    if db.appeal_count(DEMO_HROMADA).await? > 0 {
        return Ok(());
    }
    let user = |email: &'static str| async move {
        db.user_by_email(email)
            .await?
            .ok_or_else(|| ApiError::Internal(format!("demo account {email} missing")))
    };
    let resident = user("resident@demo.example").await?;
    let verified = user("verified@demo.example").await?;
    let staff = user("staff@demo.example").await?;
    appeals::ensure_categories(db, DEMO_HROMADA).await?;
    let categories = db.appeal_categories(DEMO_HROMADA, false).await?;
    let now = clock::now_millis();
    let today = now - now.rem_euclid(DAY_MS);
    let mut list = demos();
    // Numbers follow registration order.
    list.sort_by_key(|d| (-d.days_ago, d.hour));
    for d in list {
        let author = if d.who == "verified" {
            &verified
        } else {
            &resident
        };
        let category = categories
            .iter()
            .find(|c| c.name == d.category)
            .ok_or_else(|| ApiError::Internal(format!("demo category {}", d.category)))?;
        let at_ms = (today - d.days_ago * DAY_MS + d.hour * HOUR + 17 * 60_000).min(now - HOUR);
        let appeal = NewAppeal {
            kind: d.kind.to_owned(),
            category_id: category.id.clone(),
            subject: d.subject.to_owned(),
            text: d.text.split_whitespace().collect::<Vec<_>>().join(" "),
            location: d.location.map(str::to_owned),
            latitude: None,
            longitude: None,
            full_name: author.full_name.clone(),
            address: author.address.clone(),
            email: author.email.clone(),
            public: d.public,
        };
        let photos = if d.photo {
            vec![Upload {
                name: "IMG_20240611_091502.jpg".to_owned(),
                bytes: pothole_photo()?,
            }]
        } else {
            Vec::new()
        };
        let id = appeals::seed(
            db,
            media_dir,
            &Registration {
                katottg: DEMO_HROMADA,
                author_id: Some(&author.id),
                appeal: &appeal,
                at_ms,
            },
            photos,
        )
        .await?;
        for (day, hours, step) in &d.steps {
            let by = Actor {
                user_id: Some(&staff.id),
                name: &staff.full_name,
                at_ms: (at_ms + day * DAY_MS + hours * HOUR).min(now - 60_000),
            };
            match step {
                Do::Act(a) => appeals::seed_step(db, &id, &by, Some(a), None).await?,
                Do::Answer(text) => {
                    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
                    appeals::seed_step(db, &id, &by, None, Some(&text)).await?
                }
            }
        }
        if let Some((stars, comment)) = d.rating {
            let last = d.steps.last().map_or(0, |s| s.0);
            let at = clock::rfc3339((at_ms + (last + 1) * DAY_MS).min(now - 60_000));
            db.upsert_appeal_rating(&id, i64::from(stars), Some(comment), &at)
                .await?;
        }
    }
    // What happened more than a week ago was read; the recent steps are not.
    let week_ago = clock::rfc3339(now - 7 * DAY_MS);
    let now_text = clock::rfc3339(now);
    for u in [&resident, &verified] {
        db.mark_notifications_read_before(&u.id, &week_ago, &now_text)
            .await?;
    }
    Ok(())
}
