//! The dataset of `make bench` (`scripts/bench.sh`), written straight through the library
//! into the database of `DATABASE_URL`, and the check of it afterwards:
//!
//! ```text
//! bench_seed seed DIR NEWS PETITIONS SIGNATURES SIGNERS
//!     # NEWS published news items, PETITIONS collecting petitions holding SIGNATURES
//!     # signatures in all (each author's own, at publication, included; the rest inserted
//!     # in bulk, one transaction a petition), all in the demo hromada; and SIGNERS more
//!     # verified residents, signed in, who have signed nothing. Writes into DIR:
//!     #   petitions.txt  the petitions' ids, one a line
//!     #   plan.txt       "PETITION_ID SESSION_TOKEN" a line: resident i signs petition
//!     #                  i mod PETITIONS (the write benchmark, `bench_sign plan`)
//!     #   seed.json      what was made and how long each step took
//! bench_seed check EXPECTED JSON
//!     # every petition's count equals its signature rows, and the rows are EXPECTED in
//!     # all (the seeded plus the accepted ones); writes the figures to JSON, and fails
//!     # if either does not hold
//! ```

use std::fmt::Write as _;
use std::time::Instant;

use hromada_api::HromadaSettings;
use hromada_api::news::{NewsCategory, NewsDraft, PublishMode};
use hromada_api::petitions::{Moderation, NewPetition};
use hromada_server::db::{Db, NewUser};
use hromada_server::demo::DEMO_HROMADA;
use hromada_server::domain::accounts::{self, Account};
use hromada_server::domain::{clock, ids, news, petitions::seed};
use hromada_server::{Config, start};
use sqlx::Row;

type Error = Box<dyn std::error::Error + Send + Sync>;

/// The most signatures a hromada may ask for: the petitions keep collecting.
const NEEDED: u32 = 100_000;

#[tokio::main]
async fn main() -> Result<(), Error> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    match args.as_slice() {
        ["seed", dir, news, petitions, signatures, signers] => {
            seed_all(
                dir,
                news.parse()?,
                petitions.parse()?,
                signatures.parse()?,
                signers.parse()?,
            )
            .await
        }
        ["check", expected, json] => check(expected.parse()?, json).await,
        _ => Err(
            "usage: bench_seed seed DIR NEWS PETITIONS SIGNATURES SIGNERS | \
                  check EXPECTED JSON"
                .into(),
        ),
    }
}

async fn db() -> Result<Db, Error> {
    Ok(start(Config::from_env()?).await?.db)
}

fn resident(group: &str, i: usize, now: &str) -> NewUser {
    NewUser {
        id: ids::new_id(),
        email: format!("{group}{i}@bench.example"),
        password_hash: "!".into(),
        full_name: format!("Учасник Навантаження {group} {i}"),
        address: "вул. Соборна, 1, м. Херсон".into(),
        hromada: DEMO_HROMADA.into(),
        created_at: now.to_owned(),
    }
}

async fn insert_residents(db: &Db, people: &[NewUser]) -> Result<(), Error> {
    for chunk in people.chunks(5_000) {
        let made = db.insert_verified_users(chunk).await?;
        if made != chunk.len() as u64 {
            return Err(format!(
                "{made} of {} residents made: is the database fresh?",
                chunk.len()
            )
            .into());
        }
    }
    Ok(())
}

async fn seed_all(
    dir: &str,
    n_news: usize,
    n_petitions: usize,
    n_signatures: usize,
    n_signers: usize,
) -> Result<(), Error> {
    if n_petitions == 0 || n_signatures < n_petitions {
        return Err("need at least one petition and one signature (its author's) each".into());
    }
    let db = db().await?;
    let now_ms = clock::now_millis();
    let now = clock::rfc3339(now_ms);
    let mut timings = Vec::new();

    // News, newest first, ten minutes apart, in every category.
    let t = Instant::now();
    for i in 0..n_news {
        let category = NewsCategory::ALL[i % NewsCategory::ALL.len()];
        let draft = NewsDraft {
            title: format!("Новина громади № {i}: засідання, ремонт і графіки"),
            summary: format!(
                "Короткий зміст новини № {i} про життя громади, роботу служб і важливі зміни."
            ),
            category: category.code().to_owned(),
            body: format!(
                "Перший абзац новини № {i}.\n\n## Деталі\n\n- перший пункт;\n- другий пункт.\n\n\
                 Докладніше на [сайті](https://khersonrada.gov.ua)."
            ),
            cover_id: None,
            publish: PublishMode::Now,
            publish_at: None,
        };
        let at = clock::rfc3339(now_ms - (i as i64) * 600_000 - 1000);
        news::seed(&db, DEMO_HROMADA, &draft, &at).await?;
    }
    timings.push(("news", t.elapsed().as_secs_f64()));

    // The people: one author a petition, the signers of the seeded signatures, and the
    // residents of the write benchmark.
    let t = Instant::now();
    db.update_hromada_settings(
        DEMO_HROMADA,
        &HromadaSettings {
            petition_signatures: NEEDED,
            petition_days: 60,
            petition_verified_only: true,
        },
    )
    .await?;
    let per_max = n_signatures.div_ceil(n_petitions) - 1;
    let pool = per_max.max(10_000);
    let authors: Vec<NewUser> = (0..n_petitions)
        .map(|i| resident("author", i, &now))
        .collect();
    let signers: Vec<NewUser> = (0..pool).map(|i| resident("seeded", i, &now)).collect();
    let writers: Vec<NewUser> = (0..n_signers)
        .map(|i| resident("writer", i, &now))
        .collect();
    insert_residents(&db, &authors).await?;
    insert_residents(&db, &signers).await?;
    insert_residents(&db, &writers).await?;
    timings.push(("residents", t.elapsed().as_secs_f64()));

    // The petitions, published a minute apart (the newest first), each with its share of
    // the signatures: the author's at publication, the others in one bulk insert.
    let t = Instant::now();
    let mut petition_ids = Vec::with_capacity(n_petitions);
    let mut next_signer = 0usize;
    for (k, a) in authors.iter().enumerate() {
        let row = db.user_by_id(&a.id).await?.ok_or("an author is missing")?;
        let author = Account::load(&db, row).await?;
        let published = now_ms - 3_600_000 - (k as i64) * 60_000;
        let id = seed::submit(
            &db,
            DEMO_HROMADA,
            &author,
            &NewPetition {
                title: format!("Петиція № {k}: освітлення, тротуари й зупинки"),
                text: format!(
                    "Просимо громаду розглянути петицію № {k}.\n\nОбґрунтування: \
                     мешканці щодня ходять цією вулицею, а вночі там темно."
                ),
            },
            published - 3_600_000,
        )
        .await?;
        seed::moderate(&db, &id, &Moderation::Publish, published, NEEDED, 60).await?;
        let share = n_signatures / n_petitions + usize::from(k < n_signatures % n_petitions);
        let batch: Vec<(String, String, String)> = (0..share - 1)
            .map(|j| {
                let s = &signers[(next_signer + j) % pool];
                let at = clock::rfc3339(published + 1000 + (j as i64) * 1000);
                (s.id.clone(), s.full_name.clone(), at)
            })
            .collect();
        next_signer = (next_signer + share - 1) % pool;
        seed::sign_many(&db, &id, &batch).await?;
        petition_ids.push(id);
    }
    timings.push(("petitions and signatures", t.elapsed().as_secs_f64()));

    // The write benchmark's residents sign in; resident i will sign petition i mod P.
    let t = Instant::now();
    let mut plan = String::new();
    for (i, w) in writers.iter().enumerate() {
        let token = accounts::start_session(&db, &w.id).await?;
        writeln!(plan, "{} {token}", petition_ids[i % n_petitions])?;
    }
    timings.push(("sessions", t.elapsed().as_secs_f64()));

    std::fs::write(
        format!("{dir}/petitions.txt"),
        petition_ids.join("\n") + "\n",
    )?;
    std::fs::write(format!("{dir}/plan.txt"), plan)?;
    let json = serde_json::json!({
        "news": n_news,
        "petitions": n_petitions,
        "signatures": n_signatures,
        "residents": n_petitions + pool + n_signers,
        "signers_signed_in": n_signers,
        "seconds": timings.iter().map(|(k, v)| (k.to_string(), serde_json::json!((v * 100.0).round() / 100.0)))
            .collect::<serde_json::Map<_, _>>(),
    });
    std::fs::write(
        format!("{dir}/seed.json"),
        serde_json::to_string_pretty(&json)?,
    )?;
    for (step, secs) in &timings {
        println!("bench-seed: {step}: {secs:.1} s");
    }
    println!(
        "bench-seed: {n_news} news items, {n_petitions} petitions with {n_signatures} signatures, \
         {} residents ({n_signers} signed in to sign)",
        n_petitions + pool + n_signers
    );
    Ok(())
}

async fn check(expected: i64, json: &str) -> Result<(), Error> {
    let db = db().await?;
    let pool = db.pool();
    let totals = sqlx::query(
        "SELECT COUNT(*) AS petitions, CAST(COALESCE(SUM(signatures), 0) AS BIGINT) AS counted \
         FROM petitions",
    )
    .fetch_one(pool)
    .await?;
    let petitions: i64 = totals.try_get("petitions")?;
    let counted: i64 = totals.try_get("counted")?;
    let rows: i64 = sqlx::query("SELECT COUNT(*) AS n FROM petition_signatures")
        .fetch_one(pool)
        .await?
        .try_get("n")?;
    let mismatched = sqlx::query(
        "SELECT p.id, p.signatures, COUNT(s.seq) AS n_rows FROM petitions p \
         LEFT JOIN petition_signatures s ON s.petition_id = p.id \
         GROUP BY p.id, p.signatures HAVING p.signatures <> COUNT(s.seq)",
    )
    .fetch_all(pool)
    .await?;
    // The numbers of each petition run 1, 2, … without a gap or a repeat.
    let gaps: i64 = sqlx::query(
        "SELECT COUNT(*) AS n FROM (SELECT petition_id FROM petition_signatures \
         GROUP BY petition_id HAVING MIN(seq) <> 1 OR MAX(seq) <> COUNT(*)) AS g",
    )
    .fetch_one(pool)
    .await?
    .try_get("n")?;
    let ok = mismatched.is_empty() && gaps == 0 && rows == expected && counted == rows;
    println!(
        "bench-check: {petitions} petitions; {} whose count differs from its rows; {gaps} with \
         gaps in their numbering; counts sum to {counted}, {rows} signature rows, expected \
         {expected} (seeded + accepted): {}",
        mismatched.len(),
        if ok { "PASS" } else { "FAIL" }
    );
    for r in mismatched.iter().take(5) {
        let id: String = r.try_get("id")?;
        let count: i64 = r.try_get("signatures")?;
        let n: i64 = r.try_get("n_rows")?;
        println!("bench-check:   petition {id}: count {count}, rows {n}");
    }
    let out = serde_json::json!({
        "petitions": petitions,
        "mismatched_petitions": mismatched.len(),
        "petitions_with_gaps": gaps,
        "counts_sum": counted,
        "signature_rows": rows,
        "expected_rows": expected,
        "pass": ok,
    });
    std::fs::write(json, serde_json::to_string_pretty(&out)?)?;
    if ok {
        Ok(())
    } else {
        Err("the petitions' counts and their signature rows disagree".into())
    }
}
