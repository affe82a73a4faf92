//! Demo public services for Херсонська громада: its ЦНАП with address and hours, the
//! services of its catalogue with documents, fees and terms, answers to frequent questions
//! (`demo_services.json`), and consultations: one the staff answered with a link to the
//! service, and two still waiting.

use hromada_api::services::{AnswerDraft, Centre, LinkRef, RefKind, ServiceDraft};
use serde::Deserialize;

use crate::db::Db;
use crate::demo::DEMO_HROMADA;
use crate::domain::{clock, services};
use crate::error::{ApiError, ApiResult};

const CATALOGUE: &str = include_str!("demo_services.json");
const HOUR: i64 = 3_600_000;

#[derive(Deserialize)]
struct Catalogue {
    centre: Centre,
    services: Vec<ServiceDraft>,
    answers: Vec<DemoAnswer>,
}

#[derive(Deserialize)]
struct DemoAnswer {
    question: String,
    answer: String,
    /// The title of the service it is about.
    service: Option<String>,
}

fn catalogue() -> ApiResult<Catalogue> {
    serde_json::from_str(CATALOGUE)
        .map_err(|e| ApiError::Internal(format!("demo_services.json: {e}")))
}

/// How many services and answers the demo catalogue has.
pub fn counts() -> ApiResult<(usize, usize)> {
    let c = catalogue()?;
    Ok((c.services.len(), c.answers.len()))
}

async fn user(db: &Db, email: &str) -> ApiResult<String> {
    Ok(db
        .user_by_email(email)
        .await?
        .ok_or_else(|| ApiError::Internal(format!("demo account {email} missing")))?
        .id)
}

/// Loads the demo catalogue and consultations, once (nothing if the demo hromada has a
/// catalogue already).
pub async fn load(db: &Db) -> ApiResult<()> {
    if !db.services_page(DEMO_HROMADA, None, 1).await?.is_empty() {
        return Ok(());
    }
    let c = catalogue()?;
    services::seed_centre(db, DEMO_HROMADA, &c.centre).await?;
    let mut ids = Vec::with_capacity(c.services.len());
    for s in &c.services {
        ids.push((
            s.title.clone(),
            services::seed_service(db, DEMO_HROMADA, s).await?,
        ));
    }
    let id_of = |title: &str| {
        ids.iter()
            .find(|(t, _)| t == title)
            .map(|(_, id)| id.clone())
            .ok_or_else(|| ApiError::Internal(format!("demo service {title} missing")))
    };
    for a in &c.answers {
        let service_id = a.service.as_deref().map(id_of).transpose()?;
        services::seed_answer(
            db,
            DEMO_HROMADA,
            &AnswerDraft {
                question: a.question.clone(),
                answer: a.answer.clone(),
                service_id,
            },
        )
        .await?;
    }
    consultations(db, &id_of).await
}

async fn consultations(db: &Db, id_of: &impl Fn(&str) -> ApiResult<String>) -> ApiResult<()> {
    let now = clock::now_millis();
    let resident = user(db, "resident@demo.example").await?;
    let verified = user(db, "verified@demo.example").await?;
    let staff = user(db, "staff@demo.example").await?;
    let pending = user(db, "maria.tkachenko@demo.example").await?;

    // Answered by staff with a link to the service.
    let family =
        id_of("Видача довідки про склад сім'ї (зареєстрованих у житловому приміщенні осіб)")?;
    let id = services::seed_consultation(
        db,
        DEMO_HROMADA,
        &resident,
        "Добрий день! Потрібна довідка про склад сім'ї для школи. Чи можна взяти її за \
         чоловіка, якщо він на роботі?",
        now - 50 * HOUR,
    )
    .await?;
    let row = services::row(db, &id).await?;
    let links = services::links(
        db,
        DEMO_HROMADA,
        &[LinkRef {
            kind: RefKind::Service,
            id: family,
        }],
    )
    .await?;
    services::record_message(
        db,
        &row,
        &staff,
        false,
        "Добрий день! Так, довідку видають будь-кому з повнолітніх членів сім'ї, \
         зареєстрованих за адресою: візьміть свій паспорт. Видаємо в день звернення, \
         безоплатно. Усе про послугу — за посиланням.",
        &links,
        now - 47 * HOUR,
    )
    .await?;

    // Waiting: the oldest first in the staff's queue.
    services::seed_consultation(
        db,
        DEMO_HROMADA,
        &verified,
        "Переїхав до Херсона з Олешок, житло орендую. Чи можу я зареєструвати місце \
         проживання без власника квартири?",
        now - 26 * HOUR,
    )
    .await?;
    services::seed_consultation(
        db,
        DEMO_HROMADA,
        &pending,
        "Скільки чекати на ID-картку, якщо оформлювати вперше в 14 років, і чи потрібна \
         присутність батьків?",
        now - 3 * HOUR,
    )
    .await?;
    Ok(())
}
