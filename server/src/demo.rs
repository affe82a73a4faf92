//! Demo content for `HROMADA_DEMO=1`: accounts in Херсонська громада, loaded only into
//! an empty database.

use crate::db::{Db, NewUser};
use crate::domain::{clock, ids, password};
use crate::error::{ApiError, ApiResult};

/// The demo hromada: Херсонська міська громада.
pub const DEMO_HROMADA: &str = "UA65100150000057191";
/// Every demo account's password.
pub const DEMO_PASSWORD: &str = "demo-password";

/// The demo accounts people sign in with, and what each is.
pub const DEMO_ACCOUNTS: &[(&str, &str)] = &[
    ("resident@demo.example", "resident"),
    ("verified@demo.example", "verified resident"),
    (
        "staff@demo.example",
        "staff of Херсонська (UA65100150000057191)",
    ),
    ("admin@demo.example", "administrator"),
];

struct Person {
    email: &'static str,
    name: &'static str,
    address: &'static str,
    verification: &'static str,
    staff: bool,
    admin: bool,
}

const PEOPLE: &[Person] = &[
    Person {
        email: "resident@demo.example",
        name: "Олена Коваленко",
        address: "вул. Соборна, 12, кв. 5, м. Херсон",
        verification: "none",
        staff: false,
        admin: false,
    },
    Person {
        email: "verified@demo.example",
        name: "Андрій Шевчук",
        address: "просп. Ушакова, 45, кв. 18, м. Херсон",
        verification: "verified",
        staff: false,
        admin: false,
    },
    Person {
        email: "staff@demo.example",
        name: "Ірина Бондаренко",
        address: "вул. Перекопська, 8, м. Херсон",
        verification: "verified",
        staff: true,
        admin: false,
    },
    Person {
        email: "admin@demo.example",
        name: "Тарас Мельник",
        address: "вул. Університетська, 27, м. Херсон",
        verification: "none",
        staff: false,
        admin: true,
    },
    Person {
        email: "maria.tkachenko@demo.example",
        name: "Марія Ткаченко",
        address: "вул. Воронцовська, 3, кв. 41, м. Херсон",
        verification: "pending",
        staff: false,
        admin: false,
    },
    Person {
        email: "bohdan.kravchenko@demo.example",
        name: "Богдан Кравченко",
        address: "вул. Миколаївське шосе, 16, м. Херсон",
        verification: "pending",
        staff: false,
        admin: false,
    },
    Person {
        email: "oksana.lytvynenko@demo.example",
        name: "Оксана Литвиненко",
        address: "вул. Бериславське шосе, 9, кв. 2, м. Херсон",
        verification: "pending",
        staff: false,
        admin: false,
    },
];

/// Whether the demo accounts exist in this database.
pub async fn present(db: &Db) -> ApiResult<bool> {
    Ok(db.user_by_email(DEMO_ACCOUNTS[0].0).await?.is_some())
}

/// Loads the demo content if the database has no accounts. Returns whether it did.
/// A database made with the demo content of an earlier version gets what it lacks
/// (the demo appeals, petitions, budget, polls and services), once.
pub async fn load(db: &Db, media_dir: &std::path::Path) -> ApiResult<bool> {
    if db.user_count().await? > 0 {
        if present(db).await? {
            crate::demo_appeals::load(db, media_dir).await?;
            crate::demo_petitions::load(db).await?;
            crate::demo_budget::load(db, media_dir).await?;
            crate::demo_polls::load(db).await?;
            crate::demo_services::load(db).await?;
        }
        return Ok(false);
    }
    let hash = password::hash(DEMO_PASSWORD.to_owned()).await?;
    let start = clock::now_millis() - 3 * 24 * 3600 * 1000;
    for (i, p) in PEOPLE.iter().enumerate() {
        let id = ids::new_id();
        let at = clock::rfc3339(start + i as i64 * 3_600_000);
        db.insert_user(&NewUser {
            id: id.clone(),
            email: p.email.to_owned(),
            password_hash: hash.clone(),
            full_name: p.name.to_owned(),
            address: p.address.to_owned(),
            hromada: DEMO_HROMADA.to_owned(),
            created_at: at.clone(),
        })
        .await?;
        if p.verification != "none" {
            db.request_verification(&id, &at).await?;
            if p.verification == "verified"
                && !db
                    .decide_verification(DEMO_HROMADA, &id, true, None)
                    .await?
            {
                return Err(ApiError::Internal("demo verification failed".into()));
            }
        }
        if p.staff {
            db.grant_staff(&id, DEMO_HROMADA, &at).await?;
        }
        if p.admin {
            db.set_admin(&id, true).await?;
        }
    }
    crate::demo_news::load(db, media_dir).await?;
    crate::demo_appeals::load(db, media_dir).await?;
    crate::demo_petitions::load(db).await?;
    crate::demo_budget::load(db, media_dir).await?;
    crate::demo_polls::load(db).await?;
    crate::demo_services::load(db).await?;
    Ok(true)
}
