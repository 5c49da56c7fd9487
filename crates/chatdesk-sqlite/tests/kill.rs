//! A writer killed with SIGKILL in the middle of its commits leaves a
//! database whose rows and positions agree: every saved position follows
//! exactly the rows committed with it, and the next run resumes from it.
//!
//! The test spawns this test binary again, running only `writer` with
//! `CHATDESK_SQLITE_WRITER` set to the database path; without the variable,
//! `writer` does nothing.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use chatdesk::backup::{Row, StateKey, Store, SyncState, tables, tables::chatwoot};
use chatdesk_sqlite::SqliteStore;

const WRITER: &str = "CHATDESK_SQLITE_WRITER";
const PER_PAGE: u64 = 25;
/// Conversations whose messages the writer walks, one position each.
const SCOPES: [&str; 3] = ["1", "2", "3"];

/// The page a scope's position names (`None`: nothing committed yet).
fn page_of(state: Option<SyncState>) -> u64 {
    state
        .and_then(|s| s.position)
        .map_or(0, |p| p.parse().unwrap())
}

/// The writer: commits pages forever, each page's rows with the position
/// after them, resuming from the saved positions.
#[test]
fn writer() {
    let Some(path) = std::env::var_os(WRITER) else {
        return;
    };
    let mut store = SqliteStore::open(&path).unwrap();
    store.prepare(tables::CHATWOOT).unwrap();
    store.start_run("chatwoot", "backup").unwrap();
    let mut pages: Vec<u64> = SCOPES
        .iter()
        .map(|s| page_of(store.state(&StateKey::new("messages", *s)).unwrap()))
        .collect();
    loop {
        for (scope, page) in SCOPES.iter().zip(pages.iter_mut()) {
            let jsons: Vec<(String, String)> = (0..PER_PAGE)
                .map(|i| {
                    let n = *page * PER_PAGE + i;
                    (
                        format!("{scope}-{n}"),
                        format!(r#"{{"id":"{scope}-{n}","conversation_id":{scope},"page":{page},"content":"{}"}}"#, "x".repeat(200)),
                    )
                })
                .collect();
            let rows: Vec<Row<'_>> = jsons.iter().map(|(id, json)| Row { id, json }).collect();
            *page += 1;
            let state = SyncState {
                position: Some(page.to_string()),
                watermark: None,
                complete: false,
            };
            store
                .commit(
                    &chatwoot::MESSAGES,
                    &rows,
                    Some((&StateKey::new("messages", *scope), &state)),
                )
                .unwrap();
        }
    }
}

/// Every scope's rows are exactly its pages before its position.
fn check(path: &std::path::Path) -> u64 {
    let store = SqliteStore::open(path).unwrap();
    let mut total = 0;
    for scope in SCOPES {
        let position = page_of(store.state(&StateKey::new("messages", scope)).unwrap());
        let (rows, max_page): (i64, Option<i64>) = store
            .connection()
            .query_row(
                "SELECT count(*), max(json_extract(json, '$.page')) FROM messages
                 WHERE conversation_id = ?1",
                [scope.parse::<i64>().unwrap()],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        let rows = u64::try_from(rows).unwrap();
        let max_page = max_page.map(|p| u64::try_from(p).unwrap());
        assert_eq!(
            rows,
            position * PER_PAGE,
            "scope {scope}: rows vs position {position}"
        );
        assert_eq!(max_page.map_or(0, |p| p + 1), position, "scope {scope}");
        total += rows;
    }
    assert_eq!(store.count(&chatwoot::MESSAGES).unwrap(), total);
    total
}

#[test]
fn killed_writer_leaves_rows_and_positions_agreeing() {
    if std::env::var_os(WRITER).is_some() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("killed.db");
    let mut last = 0;
    for round in 0..4 {
        let mut child = Command::new(std::env::current_exe().unwrap())
            .args(["--exact", "writer", "--nocapture", "--test-threads=1"])
            .env(WRITER, &path)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // Wait until this round has committed something, then kill it at a
        // random moment of its loop.
        let started = Instant::now();
        loop {
            assert!(
                started.elapsed() < Duration::from_secs(60),
                "the writer never committed"
            );
            assert!(
                child.try_wait().unwrap().is_none(),
                "the writer ended by itself"
            );
            // Opening before the writer creates the file would create it.
            if path.exists()
                && let Ok(store) = SqliteStore::open(&path)
            {
                let rows = store
                    .connection()
                    .query_row("SELECT count(*) FROM messages", [], |r| r.get::<_, i64>(0))
                    .unwrap_or(0);
                if u64::try_from(rows).unwrap() > last {
                    break;
                }
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        std::thread::sleep(Duration::from_millis(fastrand::u64(1..150)));
        child.kill().unwrap(); // SIGKILL on Unix
        child.wait().unwrap();
        let total = check(&path);
        assert!(total > last, "round {round}: no progress ({total} rows)");
        last = total;
    }
    // Every run started; none finished (each was killed).
    let store = SqliteStore::open(&path).unwrap();
    let (runs, finished): (i64, i64) = store
        .connection()
        .query_row("SELECT count(*), count(finished_at) FROM runs", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert_eq!((runs, finished), (4, 0));
}
