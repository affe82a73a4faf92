//! Seeds a database with many published news items of one hromada, for the feed
//! benchmark (`scripts/bench-news.sh`):
//!
//! ```text
//! DATABASE_URL=sqlite:///tmp/bench/h.db?mode=rwc cargo run --profile server -p hromada-server --example seed_news -- 10000
//! ```

use hromada_api::news::{NewsCategory, NewsDraft, PublishMode};
use hromada_server::domain::{clock, news};
use hromada_server::{Config, demo::DEMO_HROMADA};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let n: usize = std::env::args()
        .nth(1)
        .map(|s| s.parse())
        .transpose()?
        .unwrap_or(10_000);
    let config = Config::from_env()?;
    let started = hromada_server::start(config).await?;
    let db = started.db;
    let now = clock::now_millis();
    for i in 0..n {
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
        let at = clock::rfc3339(now - (i as i64) * 600_000 - 1000);
        news::seed(&db, DEMO_HROMADA, &draft, &at).await?;
    }
    println!("seeded {n} news items in {DEMO_HROMADA}");
    Ok(())
}
