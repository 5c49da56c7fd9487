#![allow(clippy::unwrap_used, clippy::expect_used)]

//! `chatdesk chatwoot backup`, `chatdesk chatbotx backup` and `chatdesk
//! export`: the demo fills every table and a rerun syncs with far fewer
//! requests; the JSON Lines files hold every row; the token is nowhere in
//! the database or the output; a backup SIGKILLed at random moments and
//! run again holds the same rows as one run straight through.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use chatdesk::backup::{Store, tables};
use chatdesk_fake::{FakeChatwoot, Faults, RunningFake};
use chatdesk_sqlite::SqliteStore;

const TOKEN: &str = "cw-backup-secret-token-51c2";

/// The command with no platform variable from the machine running the tests.
fn chatdesk() -> assert_cmd::Command {
    let mut command = assert_cmd::Command::cargo_bin("chatdesk").unwrap();
    for variable in [
        "CHATWOOT_BASE_URL",
        "CHATWOOT_API_ACCESS_TOKEN",
        "CHATBOTX_BASE_URL",
        "CHATBOTX_TOKEN",
    ] {
        command.env_remove(variable);
    }
    command
}

/// Every table's rows as (id, json), read through the store.
fn rows(
    db: &Path,
    tables: &[chatdesk::backup::Table],
) -> BTreeMap<&'static str, BTreeSet<(String, String)>> {
    let store = SqliteStore::open(db).unwrap();
    tables
        .iter()
        .map(|table| {
            let mut all = BTreeSet::new();
            let mut after: Option<String> = None;
            loop {
                let slice = store.scan(table, after.as_deref(), 500).unwrap();
                let last = slice.last().map(|(id, _)| id.clone());
                let full = slice.len() == 500;
                all.extend(slice);
                match last {
                    Some(id) if full => after = Some(id),
                    _ => break,
                }
            }
            (table.name, all)
        })
        .collect()
}

/// The requests a run's summary reports.
fn requests(stderr: &str) -> u64 {
    stderr
        .lines()
        .find_map(|line| {
            line.trim()
                .strip_suffix(" req/s")
                .and(line.trim().split(' ').next())
        })
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("no request count in: {stderr}"))
}

#[test]
fn the_demo_backs_up_every_table_and_a_rerun_syncs_with_far_fewer_requests() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("demo.db");
    let first = chatdesk()
        .args(["--demo", "chatwoot", "backup", "--account-id", "1", "--db"])
        .arg(&db)
        .output()
        .unwrap();
    let stderr = String::from_utf8(first.stderr).unwrap();
    assert!(first.status.success(), "{stderr}");
    assert!(stderr.contains("backup (the first run"), "{stderr}");
    assert!(stderr.contains("values redacted"), "{stderr}");
    let first_requests = requests(&stderr);
    for (table, rows) in rows(&db, tables::CHATWOOT) {
        // Attachments are downloaded only with --attachments.
        assert!(
            table == "attachments" || !rows.is_empty(),
            "{table} is empty"
        );
    }

    let dir_jsonl = dir.path().join("jsonl");
    let second = chatdesk()
        .args(["--demo", "chatwoot", "backup", "--account-id", "1", "--db"])
        .arg(&db)
        .arg("--jsonl")
        .arg(&dir_jsonl)
        .output()
        .unwrap();
    let stderr = String::from_utf8(second.stderr).unwrap();
    assert!(second.status.success(), "{stderr}");
    assert!(stderr.contains("sync (only what changed"), "{stderr}");
    let second_requests = requests(&stderr);
    assert!(
        second_requests * 10 < first_requests,
        "{second_requests} requests to sync, {first_requests} to back up"
    );
    for (table, rows) in rows(&db, tables::CHATWOOT) {
        let text = std::fs::read_to_string(dir_jsonl.join(format!("{table}.jsonl"))).unwrap();
        assert_eq!(text.lines().count(), rows.len(), "{table}");
    }
}

#[test]
fn export_writes_one_file_per_table_with_a_line_per_row() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cbx.db");
    chatdesk()
        .args(["--demo", "--quiet", "chatbotx", "backup", "--db"])
        .arg(&db)
        .assert()
        .success()
        .stderr("");
    let out = dir.path().join("out");
    chatdesk()
        .args(["export", "--db"])
        .arg(&db)
        .arg("--jsonl")
        .arg(&out)
        .assert()
        .success();
    let stored = rows(&db, tables::CHATBOTX);
    let mut files: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    let mut expected: Vec<String> = stored.keys().map(|t| format!("{t}.jsonl")).collect();
    expected.sort();
    assert_eq!(files, expected);
    for (table, rows) in stored {
        assert!(
            table == "attachments" || !rows.is_empty(),
            "{table} is empty"
        );
        let text = std::fs::read_to_string(out.join(format!("{table}.jsonl"))).unwrap();
        let lines: BTreeSet<String> = text.lines().map(str::to_owned).collect();
        let jsons: BTreeSet<String> = rows.into_iter().map(|(_, json)| json).collect();
        assert_eq!(lines, jsons, "{table}");
    }

    // No database: a message that says how to make one, exit 2.
    let missing = chatdesk()
        .args(["export", "--db"])
        .arg(dir.path().join("missing.db"))
        .arg("--jsonl")
        .arg(&out)
        .assert()
        .code(2);
    let stderr = String::from_utf8_lossy(&missing.get_output().stderr).into_owned();
    assert!(stderr.contains("make a backup first"), "{stderr}");
}

async fn fake(faults: Faults) -> RunningFake {
    FakeChatwoot::builder()
        .conversations(60)
        .contacts(10)
        .token(TOKEN)
        .seed(9)
        .faults(faults)
        .start()
        .await
        .unwrap()
}

fn backup(fake: &RunningFake, db: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_chatdesk"));
    command
        .env_remove("CHATWOOT_BASE_URL")
        .env("CHATWOOT_API_ACCESS_TOKEN", TOKEN)
        .args(["--base-url", &fake.base_url()])
        .args([
            "chatwoot",
            "backup",
            "--account-id",
            "1",
            "--concurrency",
            "4",
            "--db",
        ])
        .arg(db)
        .stdin(Stdio::null());
    command
}

/// Runs `command` off the runtime that serves the fake.
async fn output(mut command: Command) -> std::process::Output {
    tokio::task::spawn_blocking(move || command.output().unwrap())
        .await
        .unwrap()
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_token_is_nowhere_in_the_database_or_the_output() {
    let fake = fake(Faults::default()).await;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("backup.db");
    for _ in 0..2 {
        let out = output(backup(&fake, &db)).await;
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(!contains(&out.stdout, TOKEN.as_bytes()));
        assert!(!contains(&out.stderr, TOKEN.as_bytes()));
    }
    // The database and its WAL, as the disk has them.
    for entry in std::fs::read_dir(dir.path()).unwrap() {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap();
        assert!(!contains(&bytes, TOKEN.as_bytes()));
    }
    // The same file for another account is refused before any request.
    let mut other = Command::new(env!("CARGO_BIN_EXE_chatdesk"));
    other
        .env("CHATWOOT_API_ACCESS_TOKEN", TOKEN)
        .args(["--base-url", &fake.base_url()])
        .args(["chatwoot", "backup", "--account-id", "2", "--db"])
        .arg(&db);
    let out = output(other).await;
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("another --db file"), "{stderr}");

    // No token: which variable to set.
    let mut none = Command::new(env!("CARGO_BIN_EXE_chatdesk"));
    none.env_remove("CHATWOOT_API_ACCESS_TOKEN")
        .args(["--base-url", &fake.base_url()])
        .args(["chatwoot", "backup", "--account-id", "1", "--db"])
        .arg(dir.path().join("x.db"));
    let out = output(none).await;
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("CHATWOOT_API_ACCESS_TOKEN"), "{stderr}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_killed_at_random_moments_ends_with_the_rows_of_one_whole_run() {
    let fake = fake(Faults {
        latency: Duration::from_millis(15),
        ..Faults::default()
    })
    .await;
    let dir = tempfile::tempdir().unwrap();

    let straight = dir.path().join("straight.db");
    let started = Instant::now();
    let out = output(backup(&fake, &straight)).await;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let whole = started.elapsed();

    let killed = dir.path().join("killed.db");
    let mut rng = fastrand::Rng::with_seed(u64::from(std::process::id()));
    for _ in 0..3 {
        let mut command = backup(&fake, &killed);
        command.stdout(Stdio::null()).stderr(Stdio::null());
        let mut child = command.spawn().unwrap();
        let at = whole.mul_f64(rng.f64() * 0.8);
        tokio::time::sleep(at).await;
        child.kill().unwrap();
        child.wait().unwrap();
    }
    let out = output(backup(&fake, &killed)).await;
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let expected = rows(&straight, tables::CHATWOOT);
    let got = rows(&killed, tables::CHATWOOT);
    for (table, rows) in &expected {
        assert!(*table == "attachments" || !rows.is_empty(), "{table}");
        assert_eq!(rows, &got[table], "{table}");
    }
}
