//! The alert-spike benchmark (`scripts/bench-push.sh`): an urgent alert to N devices
//! subscribed to one hromada, delivered by a running server to a real local push
//! service (web-push-testing, which checks each VAPID signature and decrypts each
//! message) on loopback.
//!
//! ```text
//! DATABASE_URL=… bench_push ADDR PUSH_ORIGINS N SERVER_PID PUSH_PIDS JSON
//! ```
//!
//! `PUSH_ORIGINS` and `PUSH_PIDS` are comma-separated: the devices are spread over the
//! push services round-robin (a real push service is many machines; one single-threaded
//! web-push-testing would measure itself, not the server).
//!
//! Subscribes N devices at the push service, registers them in the server's database
//! (through the library: the API's per-address limit would take hours), makes a staff
//! session, then publishes a danger alert through the API and waits until every push is
//! settled. Reports the time from the alert's creation to the last delivery, pushes per
//! second, and the server process's CPU time per push (from `/proc/PID/stat`), and
//! checks a sample of devices got the message exactly once.

use std::time::{Duration, Instant};

use futures::StreamExt;
use hromada_server::db::{Db, DeviceWrite, NewUser};
use hromada_server::domain::{accounts, clock, ids};
use serde_json::{Value, json};
use sqlx::Row;

type Error = Box<dyn std::error::Error + Send + Sync>;

const KHERSON: &str = "UA65100150000057191";

/// The server's user and system CPU time so far, in milliseconds.
fn cpu_ms(pid: u32) -> Result<f64, Error> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat"))?;
    // Fields after the command name (which may hold spaces) in parentheses.
    let rest = stat.rsplit_once(')').ok_or("bad /proc stat")?.1;
    let f: Vec<&str> = rest.split_whitespace().collect();
    let ticks: f64 = f[11].parse::<f64>()? + f[12].parse::<f64>()?;
    // USER_HZ is 100 on Linux.
    Ok(ticks * 10.0)
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [addr, push_origins, n, pid, push_pids, out] = args.as_slice() else {
        return Err("usage: bench_push ADDR PUSH_ORIGINS N SERVER_PID PUSH_PIDS JSON".into());
    };
    let n: usize = n.parse()?;
    let pid: u32 = pid.parse()?;
    let origins: Vec<String> = push_origins.split(',').map(str::to_owned).collect();
    let push_pids: Vec<u32> = push_pids
        .split(',')
        .map(str::parse)
        .collect::<Result<_, _>>()?;
    let push_cpu = || -> Result<f64, Error> { push_pids.iter().map(|p| cpu_ms(*p)).sum() };
    let url = std::env::var("DATABASE_URL")?;
    let db = Db::connect(&url).await?;
    let http = reqwest::Client::new();
    let api = format!("http://{addr}/api/v1");
    let key: Value = http
        .get(format!("{api}/push/key"))
        .send()
        .await?
        .json()
        .await?;
    let key = key["public_key"].as_str().ok_or("no push key")?.to_owned();

    // N devices at the push service.
    let t = Instant::now();
    let subs: Vec<Result<(String, Value), reqwest::Error>> = futures::stream::iter(0..n)
        .map(|i| {
            let http = http.clone();
            let key = key.clone();
            let origin = origins[i % origins.len()].clone();
            async move {
                let v = http
                    .post(format!("{origin}/subscribe"))
                    .json(&json!({"applicationServerKey": key, "userVisibleOnly": "true"}))
                    .send()
                    .await?
                    .json::<Value>()
                    .await?;
                Ok((origin, v))
            }
        })
        .buffer_unordered(16)
        .collect()
        .await;
    let mut hashes = Vec::with_capacity(n);
    let now = clock::now_rfc3339();
    for s in subs {
        let (origin, v) = s?;
        let d = &v["data"];
        let endpoint = d["endpoint"].as_str().ok_or("no endpoint")?;
        let id = db
            .upsert_device(&DeviceWrite {
                id: &ids::new_id(),
                endpoint,
                origin: &origin,
                p256dh: d["keys"]["p256dh"].as_str().ok_or("no key")?,
                auth: d["keys"]["auth"].as_str().ok_or("no auth")?,
                expires_at: None,
                user_id: None,
                language: "uk",
                now: &now,
            })
            .await?;
        db.subscribe_alerts(&id, KHERSON, false, &now).await?;
        hashes.push((
            origin,
            d["clientHash"].as_str().ok_or("no hash")?.to_owned(),
        ));
    }
    eprintln!(
        "bench_push: {n} devices subscribed in {:.1} s",
        t.elapsed().as_secs_f64()
    );

    // A member of staff, signed in.
    let staff = ids::new_id();
    db.insert_user(&NewUser {
        id: staff.clone(),
        email: format!("bench-staff-{staff}@k.example"),
        password_hash: "not-a-hash".into(),
        full_name: "Черговий громади".into(),
        address: "вул. Соборна, 1, м. Херсон".into(),
        hromada: KHERSON.into(),
        created_at: now.clone(),
    })
    .await?;
    db.grant_staff(&staff, KHERSON, &now).await?;
    let token = accounts::start_session(&db, &staff).await?;

    let cpu0 = cpu_ms(pid)?;
    let push_cpu0 = push_cpu()?;
    let t0 = Instant::now();
    let r = http
        .post(format!("{api}/hromadas/{KHERSON}/alerts"))
        .header("cookie", format!("hromada_session={token}"))
        .json(&json!({
            "severity": "danger",
            "text": "Повітряна тривога! Негайно пройдіть в укриття.",
            "expires_at": clock::rfc3339(clock::now_millis() + 3_600_000),
        }))
        .send()
        .await?;
    if r.status().as_u16() != 201 {
        return Err(format!("alert: {} {}", r.status(), r.text().await?).into());
    }
    let alert: Value = r.json().await?;
    let alert_id = alert["id"].as_str().ok_or("no alert id")?.to_owned();
    let (sent, failed) = loop {
        let row = sqlx::query(
            "SELECT SUM(CASE WHEN state = 'sent' THEN 1 ELSE 0 END) AS sent, \
             SUM(CASE WHEN state = 'failed' THEN 1 ELSE 0 END) AS failed \
             FROM deliveries WHERE job = 'push' AND alert_id = $1",
        )
        .bind(&alert_id)
        .fetch_one(db.pool())
        .await?;
        let sent: i64 = row.try_get::<Option<i64>, _>("sent")?.unwrap_or(0);
        let failed: i64 = row.try_get::<Option<i64>, _>("failed")?.unwrap_or(0);
        if (sent + failed) as usize >= n {
            break (sent, failed);
        }
        if t0.elapsed() > Duration::from_secs(600) {
            return Err(format!("after 600 s only {sent} sent and {failed} failed").into());
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    let wall = t0.elapsed().as_secs_f64();
    let cpu = cpu_ms(pid)? - cpu0;
    let push_cpu = push_cpu()? - push_cpu0;
    let last: String = sqlx::query(
        "SELECT MAX(sent_at) AS last FROM deliveries WHERE job = 'push' AND alert_id = $1",
    )
    .bind(&alert_id)
    .fetch_one(db.pool())
    .await?
    .try_get::<Option<String>, _>("last")?
    .unwrap_or_default();
    let created = alert["starts_at"].as_str().unwrap_or_default();
    let server_secs = match (clock::parse_rfc3339(&last), clock::parse_rfc3339(created)) {
        (Some(l), Some(c)) => (l - c) as f64 / 1000.0,
        _ => wall,
    };

    // A sample of devices: exactly one message each, the alert's.
    let step = (n / 200).max(1);
    let mut sample_ok = 0;
    let mut sampled = 0;
    for (origin, h) in hashes.iter().step_by(step) {
        sampled += 1;
        let got: Value = http
            .post(format!("{origin}/get-notifications"))
            .json(&json!({"clientHash": h}))
            .send()
            .await?
            .json()
            .await?;
        let msgs = got["data"]["messages"]
            .as_array()
            .cloned()
            .unwrap_or_default();
        if msgs.len() == 1 && msgs[0].as_str().unwrap_or_default().contains(&alert_id) {
            sample_ok += 1;
        }
    }

    let report = json!({
        "devices": n,
        "push_services": origins.len(),
        "sent": sent,
        "failed": failed,
        "seconds_to_last_delivery": server_secs,
        "seconds_waited": wall,
        "pushes_per_second": sent as f64 / server_secs.max(0.001),
        "server_cpu_ms": cpu,
        "server_cpu_us_per_push": cpu * 1000.0 / (sent.max(1) as f64),
        "push_service_cpu_ms": push_cpu,
        "push_service_cpu_us_per_push": push_cpu * 1000.0 / (sent.max(1) as f64),
        "sampled": sampled,
        "sample_exactly_once": sample_ok,
        "goal_seconds": 10,
        "pass": failed == 0 && sent as usize == n && sample_ok == sampled,
    });
    std::fs::write(out, serde_json::to_string_pretty(&report)?)?;
    println!("{report}");
    Ok(())
}
