//! `hromada-server migrate --from sqlite://… --to postgres://…` (issue 26): the demo
//! database, used through the API as residents and staff would, moved into a fresh
//! PostgreSQL database by the real binary; then a server on the target answers every API
//! check exactly as a server on the source does, with the same sessions, and a retried
//! Idempotency-Key returns the first result. A target that is not empty is refused. Runs
//! under `scripts/with-postgres.sh` (`make pg-test`); skipped on SQLite alone.

mod common;

use std::collections::BTreeSet;
use std::process::Command;

use common::KHERSON;
use common::process::ServerProcess;
use hromada_server::domain::ids;
use serde_json::{Value, json};

/// A guest and every demo account that can sign in on `api`: `(who, cookie)`.
async fn people(client: &reqwest::Client, api: &str) -> Vec<(&'static str, String)> {
    let mut out = vec![("guest", String::new())];
    for (email, _) in hromada_server::demo::DEMO_ACCOUNTS {
        if let Some(c) = common::process::session_cookie(client, api, email, "demo-password").await
        {
            out.push((email, c));
        }
    }
    out
}

/// `GET api+path` as `cookie` (a guest when empty): the status and the body.
async fn get(client: &reqwest::Client, api: &str, path: &str, cookie: &str) -> (u16, Vec<u8>) {
    let mut req = client.get(format!("{api}{path}"));
    if !cookie.is_empty() {
        req = req.header("cookie", cookie);
    }
    let r = req.send().await.expect("a GET");
    let status = r.status().as_u16();
    (status, r.bytes().await.expect("a body").to_vec())
}

/// The `id`s of a list response (an array, or a page's `items`).
fn ids_of(body: &[u8]) -> Vec<String> {
    let v: Value = serde_json::from_slice(body).unwrap_or(Value::Null);
    let items = v.get("items").unwrap_or(&v);
    items
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|i| i["id"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

/// Every path the checks read, as a guest, a resident and staff, found by following the
/// lists of the source.
async fn checks(
    client: &reqwest::Client,
    api: &str,
    people: &[(&str, String)],
) -> Vec<(String, String)> {
    let k = KHERSON;
    let mut out: BTreeSet<(String, String)> = BTreeSet::new();
    // A list and the detail paths of its items.
    let lists: &[(&str, &[&str])] = &[
        (&format!("/hromadas/{k}/news"), &["/news/{}"]),
        (
            &format!("/hromadas/{k}/petitions"),
            &["/petitions/{}", "/petitions/{}/signatures"],
        ),
        (
            &format!("/hromadas/{k}/petitions?status=consideration"),
            &["/petitions/{}"],
        ),
        (
            &format!("/hromadas/{k}/budget-cycles"),
            &[
                "/budget-cycles/{}",
                "/budget-cycles/{}/projects",
                "/budget-cycles/{}/results",
            ],
        ),
        (
            &format!("/hromadas/{k}/polls"),
            &["/polls/{}", "/polls/{}/results"],
        ),
        (&format!("/hromadas/{k}/appeals"), &["/appeals/{}"]),
        (&format!("/hromadas/{k}/appeals/inbox"), &["/appeals/{}"]),
        (
            &format!("/hromadas/{k}/consultations"),
            &["/consultations/{}"],
        ),
        ("/me/appeals", &["/appeals/{}"]),
        ("/me/consultations", &["/consultations/{}"]),
    ];
    let plain = [
        "/hromadas?limit=50".to_owned(),
        format!("/hromadas/{k}"),
        format!("/hromadas/{k}/alerts"),
        format!("/hromadas/{k}/services"),
        format!("/hromadas/{k}/answers"),
        format!("/hromadas/{k}/appeal-categories"),
        format!("/hromadas/{k}/centre"),
        format!("/hromadas/{k}/verifications"),
        format!("/hromadas/{k}/petition-settings"),
        "/me".to_owned(),
        "/me/notifications".to_owned(),
        "/me/notification-settings".to_owned(),
        "/me/petitions".to_owned(),
        "/me/push-subscriptions".to_owned(),
        "/admin/users".to_owned(),
    ];
    for (_, cookie) in people {
        for p in &plain {
            out.insert((p.clone(), cookie.clone()));
        }
        for (list, details) in lists {
            out.insert(((*list).to_owned(), cookie.clone()));
            let (status, body) = get(client, api, list, cookie).await;
            if status != 200 {
                continue;
            }
            for id in ids_of(&body) {
                for d in *details {
                    out.insert((d.replace("{}", &id), cookie.clone()));
                }
            }
        }
    }
    // The projects of every cycle.
    let more: Vec<(String, String)> = out
        .iter()
        .filter(|(p, _)| p.ends_with("/projects"))
        .cloned()
        .collect();
    for (p, cookie) in more {
        let (_, body) = get(client, api, &p, &cookie).await;
        for id in ids_of(&body) {
            out.insert((format!("/budget-projects/{id}"), cookie.clone()));
        }
    }
    // Every file and image the answers link to (the media references).
    let read: Vec<(String, String)> = out.iter().cloned().collect();
    for (p, cookie) in read {
        let (_, body) = get(client, api, &p, &cookie).await;
        let mut links = Vec::new();
        links_in(
            &serde_json::from_slice(&body).unwrap_or(Value::Null),
            &mut links,
        );
        for l in links {
            out.insert((l, cookie.clone()));
        }
    }
    out.into_iter().collect()
}

/// The API paths (without `/api/v1`) a JSON value links to.
fn links_in(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::String(s) => {
            if let Some(p) = s.strip_prefix("/api/v1/") {
                out.push(format!("/{p}"));
            }
        }
        Value::Array(a) => a.iter().for_each(|x| links_in(x, out)),
        Value::Object(o) => o.values().for_each(|x| links_in(x, out)),
        _ => {}
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_database_used_through_the_api_moves_to_postgres_without_losing_a_row() {
    if !common::on_postgres("migrate") {
        return;
    }
    let dir = std::env::temp_dir().join(format!("hromada-migrate-{}", ids::new_id()));
    std::fs::create_dir_all(&dir).expect("a folder");
    move_and_compare(&dir, true).await;
    let _ = std::fs::remove_dir_all(&dir);
}

/// `HROMADA_MOVE_DATABASES`: the folder where `make e2e` kept the databases its scenarios
/// filled (`tests/support.rs`); `make e2e-move` runs this test with it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn databases_the_e2e_scenarios_filled_move_to_postgres_too() {
    if !common::on_postgres("migrate") {
        return;
    }
    let Some(kept) = std::env::var_os("HROMADA_MOVE_DATABASES").filter(|v| !v.is_empty()) else {
        eprintln!(
            "migrate: the e2e databases: skipped: HROMADA_MOVE_DATABASES is not set (`make \
             e2e-move` sets it after `make e2e`)"
        );
        return;
    };
    // The fullest ones: the scenarios that wrote the most.
    let mut found: Vec<(u64, std::path::PathBuf)> = std::fs::read_dir(&kept)
        .expect("the kept databases")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.join("hromada.db").exists())
        .map(|p| {
            let size = ["hromada.db", "hromada.db-wal"]
                .iter()
                .filter_map(|f| std::fs::metadata(p.join(f)).ok())
                .map(|m| m.len())
                .sum();
            (size, p)
        })
        .collect();
    assert!(
        !found.is_empty(),
        "no databases kept in {}",
        std::path::Path::new(&kept).display()
    );
    // The fullest of each suite: the scenario of each section that wrote the most.
    found.sort_by(|a, b| b.cmp(a));
    let mut suites = BTreeSet::new();
    found.retain(|(_, p)| {
        let name = p.file_name().map(|n| n.to_string_lossy().into_owned());
        let suite = name
            .as_deref()
            .and_then(|n| n.split('-').next())
            .map(str::to_owned);
        suites.insert(suite.unwrap_or_default())
    });
    for (size, from) in &found {
        eprintln!("migrate: moving {} ({size} bytes)", from.display());
        let dir = std::env::temp_dir().join(format!("hromada-migrate-e2e-{}", ids::new_id()));
        copy_tree(from, &dir);
        move_and_compare(&dir, false).await;
        let _ = std::fs::remove_dir_all(&dir);
    }
}

fn copy_tree(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).expect("a folder");
    for e in std::fs::read_dir(from)
        .expect("a kept folder")
        .filter_map(Result::ok)
    {
        let target = to.join(e.file_name());
        if e.path().is_dir() {
            copy_tree(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), &target).expect("a copy");
        }
    }
}

/// Moves `dir/hromada.db` (the demo, made now and used through the API when `use_it`) into
/// a fresh PostgreSQL database with the real binary, and checks that a server on it
/// answers every API check as a server on the source does.
async fn move_and_compare(dir: &std::path::Path, use_it: bool) {
    let sqlite = format!("sqlite://{}/hromada.db?mode=rwc", dir.display());
    let target = common::fresh_database(dir).await;
    let client = reqwest::Client::new();

    // Before the move: people sign in (sessions); on the demo, a verified resident signs a
    // petition with an Idempotency-Key, and someone asks for a new password.
    let mut source = ServerProcess::start(dir, &sqlite, "source", &[("HROMADA_DEMO", "1")]);
    let api = source.api();
    let people = people(&client, &api).await;
    let mut signed = None;
    if use_it {
        assert_eq!(people.len(), 5, "every demo account signs in");
        let (_, list) = get(&client, &api, &format!("/hromadas/{KHERSON}/petitions"), "").await;
        for id in &ids_of(&list) {
            let r = client
                .post(format!("{api}/petitions/{id}/signatures"))
                .header("cookie", &people[2].1)
                .header("x-hromada-client", "test")
                .header("idempotency-key", "moved-key-1")
                .send()
                .await
                .expect("sign");
            if r.status().as_u16() == 201 {
                signed = Some((id.clone(), r.bytes().await.expect("body").to_vec()));
                break;
            }
        }
        assert!(
            signed.is_some(),
            "the verified resident signs a collecting petition"
        );
        let reset = client
            .post(format!("{api}/auth/password-reset"))
            .json(&json!({"email": "resident@demo.example"}))
            .send()
            .await
            .expect("password reset");
        assert!(reset.status().is_success(), "{}", reset.status());
    }
    let paths = checks(&client, &api, &people).await;
    assert!(
        paths.len() > 100,
        "the checks cover the data: {}",
        paths.len()
    );
    source
        .terminate(std::time::Duration::from_secs(12))
        .expect("the source server stops");

    // The move, by the real binary.
    let moved = Command::new(env!("CARGO_BIN_EXE_hromada-server"))
        .args(["migrate", "--from", &sqlite, "--to", &target])
        .env("RUST_LOG", "warn")
        .output()
        .expect("run migrate");
    let said = String::from_utf8_lossy(&moved.stdout).into_owned();
    assert!(
        moved.status.success(),
        "{said}\n{}",
        String::from_utf8_lossy(&moved.stderr)
    );
    assert!(said.contains("every count matches"), "{said}");
    for table in [
        "users",
        "sessions",
        "idempotency_keys",
        "media",
        "appeal_files",
        "petition_signatures",
        "budget_ballots",
        "poll_responses",
        "consultation_messages",
        "deliveries",
        "reset_requests",
    ] {
        if !use_it && matches!(table, "idempotency_keys" | "reset_requests") {
            continue;
        }
        let line = said
            .lines()
            .find(|l| l.split_whitespace().next() == Some(table))
            .unwrap_or_else(|| panic!("{table} is not in the report:\n{said}"));
        let n: Vec<i64> = line
            .split_whitespace()
            .skip(1)
            .filter_map(|n| n.parse().ok())
            .collect();
        assert!(n.len() == 2 && n[0] == n[1] && n[0] > 0, "{table}: {line}");
    }

    // A target that is not empty is refused, and left as it was.
    let again = Command::new(env!("CARGO_BIN_EXE_hromada-server"))
        .args(["migrate", "--from", &sqlite, "--to", &target])
        .env("RUST_LOG", "warn")
        .output()
        .expect("run migrate again");
    assert!(!again.status.success());
    assert!(
        String::from_utf8_lossy(&again.stderr).contains("not empty"),
        "{}",
        String::from_utf8_lossy(&again.stderr)
    );

    // The API checks: a server on the target answers as the server on the source, to the
    // same people with the same sessions.
    source.restart();
    let on_pg = ServerProcess::start(dir, &target, "target", &[]);
    let mut differ = Vec::new();
    for (path, cookie) in &paths {
        let a = get(&client, &source.api(), path, cookie).await;
        let b = get(&client, &on_pg.api(), path, cookie).await;
        if a != b {
            differ.push(format!(
                "{path} ({}): {} {}\n  vs {} {}",
                people
                    .iter()
                    .find(|(_, c)| c == cookie)
                    .map_or("?", |(n, _)| *n),
                a.0,
                String::from_utf8_lossy(&a.1)
                    .chars()
                    .take(300)
                    .collect::<String>(),
                b.0,
                String::from_utf8_lossy(&b.1)
                    .chars()
                    .take(300)
                    .collect::<String>(),
            ));
        }
    }
    assert!(
        differ.is_empty(),
        "{} of {} answers differ:\n{}",
        differ.len(),
        paths.len(),
        differ.join("\n")
    );
    let files = paths
        .iter()
        .filter(|(p, _)| {
            p.contains("/files/") || p.contains("/images/") || p.starts_with("/media/")
        })
        .count();
    assert!(files > 10, "the checks read the media: {files}");
    eprintln!(
        "migrate: {} API answers ({files} of them files and images) are the same on both",
        paths.len()
    );
    // The key used before the move returns its first result after it.
    let Some((petition, first)) = signed else {
        return;
    };
    let retried = client
        .post(format!("{}/petitions/{petition}/signatures", on_pg.api()))
        .header("cookie", &people[2].1)
        .header("x-hromada-client", "test")
        .header("idempotency-key", "moved-key-1")
        .send()
        .await
        .expect("retry");
    assert_eq!(retried.status().as_u16(), 201);
    assert_eq!(retried.bytes().await.expect("body").to_vec(), first);
    let health: Value = client
        .get(format!("{}/health", on_pg.api()))
        .send()
        .await
        .expect("health")
        .json()
        .await
        .expect("json");
    assert_eq!(health["database"], "postgres");
    drop((source, on_pg));
}

/// Bad arguments are refused with a sentence that says what is wrong, before anything is
/// opened or written (no database needed).
#[test]
fn migrate_refuses_bad_arguments_in_plain_words() {
    let run = |args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_hromada-server"))
            .args(args)
            .env("RUST_LOG", "warn")
            .output()
            .expect("run hromada-server");
        assert!(!out.status.success(), "{args:?} was accepted");
        String::from_utf8_lossy(&out.stderr).into_owned()
    };
    assert!(run(&["migrate", "--from", "sqlite://x.db"]).contains("needs --from and --to"));
    assert!(
        run(&[
            "migrate",
            "--from",
            "sqlite://x.db",
            "--to",
            "sqlite://y.db"
        ])
        .contains("--to must be a PostgreSQL database")
    );
    let missing = std::env::temp_dir().join(format!("no-such-{}.db", ids::new_id()));
    let said = run(&[
        "migrate",
        "--from",
        &format!("sqlite://{}", missing.display()),
        "--to",
        "postgres://someone:secret@127.0.0.1:1/x",
    ]);
    assert!(said.contains("there is no database file"), "{said}");
    assert!(!missing.exists(), "nothing is created");
    assert!(run(&["migrate", "--to"]).contains("unexpected"));
    assert!(run(&["frobnicate"]).contains("unknown command"));
}
