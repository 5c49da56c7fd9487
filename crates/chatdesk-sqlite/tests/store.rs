//! The store's guarantees on real files: upserts, extracted columns,
//! whole-or-nothing commits, states, runs, reopening and migrations.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use chatdesk::backup::{
    Column, Row, RunSummary, StateKey, Store, SyncState, Table, tables, tables::chatbotx,
    tables::chatwoot,
};
use chatdesk_sqlite::{MIGRATIONS, Migration, SqliteStore, What, add_column, rusqlite};

fn fresh() -> (tempfile::TempDir, std::path::PathBuf, SqliteStore) {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("backup.db");
    let mut store = SqliteStore::open(&path).unwrap();
    store.prepare(tables::CHATWOOT).unwrap();
    (dir, path, store)
}

fn at(position: &str) -> SyncState {
    SyncState {
        position: Some(position.to_owned()),
        watermark: None,
        complete: false,
    }
}

fn one<T: rusqlite::types::FromSql>(store: &SqliteStore, sql: &str) -> T {
    store.connection().query_row(sql, [], |r| r.get(0)).unwrap()
}

#[test]
fn upsert_replaces_and_never_duplicates() {
    let (_dir, _, mut store) = fresh();
    let t = &chatwoot::MESSAGES;
    store
        .commit(
            t,
            &[
                Row {
                    id: "1",
                    json: r#"{"content":"a"}"#,
                },
                Row {
                    id: "2",
                    json: "{}",
                },
            ],
            None,
        )
        .unwrap();
    store
        .commit(
            t,
            &[Row {
                id: "1",
                json: r#"{"content":"b"}"#,
            }],
            None,
        )
        .unwrap();
    store
        .commit(
            t,
            &[Row { id: "3", json: "1" }, Row { id: "3", json: "2" }],
            None,
        )
        .unwrap();
    assert_eq!(store.count(t).unwrap(), 3);
    let json: String = one(&store, "SELECT json FROM messages WHERE id = '1'");
    assert_eq!(json, r#"{"content":"b"}"#);
    let json: String = one(&store, "SELECT json FROM messages WHERE id = '3'");
    assert_eq!(json, "2");
}

#[test]
fn json_is_kept_exactly_as_sent() {
    let (_dir, _, mut store) = fresh();
    let sent = "{ \"id\" : 1,\n \"z\": 1e3, \"a\": [ ], \"unknown\": {\"x\": null} }";
    store
        .commit(
            &chatwoot::LABELS,
            &[Row {
                id: "1",
                json: sent,
            }],
            None,
        )
        .unwrap();
    let kept: String = one(&store, "SELECT json FROM labels");
    assert_eq!(kept, sent);
}

#[test]
fn generated_columns_extract_and_follow_updates() {
    let (_dir, _, mut store) = fresh();
    let t = &chatwoot::CONVERSATIONS;
    let json = r#"{"id":7,"inbox_id":3,"status":"open","created_at":1718000000,
        "meta":{"sender":{"id":42},"assignee":{"id":5},"team":null}}"#;
    store.commit(t, &[Row { id: "7", json }], None).unwrap();
    let (inbox, contact, assignee, team, status, created): (
        i64,
        i64,
        i64,
        Option<i64>,
        String,
        i64,
    ) = store
        .connection()
        .query_row(
            "SELECT inbox_id, contact_id, assignee_id, team_id, status, created_at
             FROM conversations WHERE id = '7'",
            [],
            |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                ))
            },
        )
        .unwrap();
    assert_eq!(
        (inbox, contact, assignee, team, status.as_str(), created),
        (3, 42, 5, None, "open", 1718000000)
    );
    // The column follows the JSON: it can never disagree.
    store
        .commit(
            t,
            &[Row {
                id: "7",
                json: r#"{"id":7,"inbox_id":3,"status":"resolved"}"#,
            }],
            None,
        )
        .unwrap();
    let status: String = one(&store, "SELECT status FROM conversations WHERE id = '7'");
    assert_eq!(status, "resolved");
    // The index serves filters on it.
    let mut plan = store
        .connection()
        .prepare("EXPLAIN QUERY PLAN SELECT id FROM conversations WHERE status = 'open'")
        .unwrap();
    let details: Vec<String> = plan
        .query_map([], |r| r.get::<_, String>(3))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert!(
        details.iter().any(|d| d.contains("conversations_status")),
        "{details:?}"
    );
}

#[test]
fn parent_column_comes_from_the_row_id() {
    let (_dir, _, mut store) = fresh();
    let t = &chatwoot::TEAM_MEMBERS;
    store
        .commit(
            t,
            &[
                Row {
                    id: "4:9",
                    json: r#"{"id":9}"#,
                },
                Row {
                    id: "5:9",
                    json: r#"{"id":9}"#,
                },
            ],
            None,
        )
        .unwrap();
    let teams: String = one(
        &store,
        "SELECT group_concat(team_id, ',') FROM (SELECT team_id FROM team_members WHERE agent_id = 9 ORDER BY team_id)",
    );
    assert_eq!(teams, "4,5");
}

#[test]
fn a_failed_commit_leaves_neither_rows_nor_state() {
    let (_dir, _, mut store) = fresh();
    let t = &chatwoot::CONTACTS;
    let key = StateKey::whole("contacts");
    store
        .commit(
            t,
            &[Row {
                id: "1",
                json: "{}",
            }],
            Some((&key, &at("1"))),
        )
        .unwrap();
    let error = store
        .commit(
            t,
            &[
                Row {
                    id: "1",
                    json: r#"{"changed":true}"#,
                },
                Row {
                    id: "2",
                    json: "{}",
                },
                Row {
                    id: "3",
                    json: "{not json",
                },
            ],
            Some((&key, &at("2"))),
        )
        .unwrap_err();
    assert!(
        matches!(error.what(), What::Row { id, .. } if id == "3"),
        "{error}"
    );
    assert!(error.to_string().contains("backup.db"), "{error}");
    assert!(
        error
            .to_string()
            .contains("nothing of this commit was kept"),
        "{error}"
    );
    assert_eq!(store.count(t).unwrap(), 1);
    let json: String = one(&store, "SELECT json FROM contacts WHERE id = '1'");
    assert_eq!(json, "{}");
    assert_eq!(store.state(&key).unwrap(), Some(at("1")));
    // The store is usable after the failure.
    store
        .commit(
            t,
            &[Row {
                id: "2",
                json: "{}",
            }],
            Some((&key, &at("2"))),
        )
        .unwrap();
    assert_eq!(store.count(t).unwrap(), 2);
}

#[test]
fn a_commit_into_a_missing_table_fails_whole() {
    let (_dir, _, mut store) = fresh();
    let key = StateKey::whole("channels");
    let error = store
        .commit(
            &chatbotx::CHANNELS,
            &[Row {
                id: "1",
                json: "{}",
            }],
            Some((&key, &at("1"))),
        )
        .unwrap_err();
    // What SQLite said is the cause, under the store's own message.
    let shown = chatdesk::error::Report(&error).to_string();
    assert!(shown.contains("no such table"), "{shown}");
    assert_eq!(store.state(&key).unwrap(), None);
}

#[test]
fn states_round_trip() {
    let (_dir, _, mut store) = fresh();
    let t = &chatwoot::MESSAGES;
    let done = SyncState {
        position: None,
        watermark: Some("1718000000".into()),
        complete: true,
    };
    store
        .commit(t, &[], Some((&StateKey::new("messages", "9"), &at("p3"))))
        .unwrap();
    store
        .commit(t, &[], Some((&StateKey::new("messages", "10"), &at("p1"))))
        .unwrap();
    store
        .commit(t, &[], Some((&StateKey::new("messages", "10"), &done)))
        .unwrap();
    store
        .commit(t, &[], Some((&StateKey::whole("contacts"), &at("x"))))
        .unwrap();
    assert_eq!(
        store.state(&StateKey::new("messages", "10")).unwrap(),
        Some(done.clone())
    );
    assert_eq!(store.state(&StateKey::whole("messages")).unwrap(), None);
    assert_eq!(
        store.states("messages").unwrap(),
        vec![("10".to_owned(), done), ("9".to_owned(), at("p3"))]
    );
    let updated: String = one(
        &store,
        "SELECT updated_at FROM sync_state WHERE scope = '9'",
    );
    assert!(updated.ends_with('Z') && updated.contains('T'), "{updated}");
}

#[test]
fn runs_are_recorded() {
    let (_dir, _, mut store) = fresh();
    let first = store.start_run("chatwoot", "backup").unwrap();
    let second = store.start_run("chatwoot", "sync").unwrap();
    assert!(second > first);
    let mut summary = RunSummary {
        ok: true,
        requests: 12,
        retries: 3,
        ..Default::default()
    };
    summary.items.insert("messages".into(), 40);
    summary.items.insert("contacts".into(), 2);
    store.finish_run(second, &summary).unwrap();
    let (platform, kind, ok, items, requests, retries, finished): (String, String, bool, String, i64, i64, String) = store
        .connection()
        .query_row(
            "SELECT platform, kind, ok, items, requests, retries, finished_at FROM runs WHERE id = ?1",
            [second.get()],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?)),
        )
        .unwrap();
    assert_eq!(
        (platform.as_str(), kind.as_str(), ok, requests, retries),
        ("chatwoot", "sync", true, 12, 3)
    );
    assert_eq!(items, r#"{"contacts":2,"messages":40}"#);
    assert!(finished.ends_with('Z'));
    let unfinished: Option<String> = one(
        &store,
        &format!("SELECT finished_at FROM runs WHERE id = {}", first.get()),
    );
    assert_eq!(unfinished, None);
    let error = store
        .finish_run(chatdesk::backup::RunId::new(999), &summary)
        .unwrap_err();
    assert!(matches!(error.what(), What::UnknownRun(_)));
}

#[test]
fn reopening_keeps_everything() {
    let (_dir, path, mut store) = fresh();
    let key = StateKey::new("messages", "7");
    store
        .commit(
            &chatwoot::MESSAGES,
            &[Row {
                id: "1",
                json: r#"{"conversation_id":7}"#,
            }],
            Some((&key, &at("2"))),
        )
        .unwrap();
    let run = store.start_run("chatwoot", "backup").unwrap();
    drop(store);
    let mut store = SqliteStore::open(&path).unwrap();
    assert_eq!(store.count(&chatwoot::MESSAGES).unwrap(), 1);
    assert_eq!(store.state(&key).unwrap(), Some(at("2")));
    // Preparing again changes nothing.
    store.prepare(tables::CHATWOOT).unwrap();
    assert_eq!(store.count(&chatwoot::MESSAGES).unwrap(), 1);
    store.finish_run(run, &RunSummary::default()).unwrap();
    let mode: String = one(&store, "PRAGMA journal_mode");
    assert_eq!(mode, "wal");
    assert_eq!(store.schema_version().unwrap(), 1);
}

#[test]
fn bad_declarations_are_refused() {
    let (_dir, _, mut store) = fresh();
    let bad = Table {
        name: "x; DROP TABLE runs",
        parent: None,
        columns: &[],
    };
    let error = store.prepare(&[bad]).unwrap_err();
    assert!(matches!(error.what(), What::Table(_)), "{error}");
}

/// The fake version 2: a column added to `messages`.
const CONTENT: Column = Column {
    name: "content",
    path: "$.content",
};

fn v2(tx: &rusqlite::Transaction<'_>) -> rusqlite::Result<()> {
    add_column(tx, &chatwoot::MESSAGES, &CONTENT)
}

const MESSAGES_V2: Table = Table {
    name: "messages",
    parent: None,
    columns: &[
        Column {
            name: "conversation_id",
            path: "$.conversation_id",
        },
        Column {
            name: "inbox_id",
            path: "$.inbox_id",
        },
        Column {
            name: "message_type",
            path: "$.message_type",
        },
        Column {
            name: "sender_id",
            path: "$.sender.id",
        },
        Column {
            name: "created_at",
            path: "$.created_at",
        },
        CONTENT,
    ],
};

fn with_v2() -> Vec<Migration> {
    let mut steps = MIGRATIONS.to_vec();
    steps.push(Migration {
        version: 2,
        what: "messages.content",
        apply: v2,
    });
    steps
}

#[test]
fn a_new_column_without_its_migration_is_refused() {
    let (_dir, _, mut store) = fresh();
    let error = store.prepare(&[MESSAGES_V2]).unwrap_err();
    assert!(
        matches!(error.what(), What::MissingColumn { column, .. } if column == "content"),
        "{error}"
    );
}

#[test]
fn migration_from_version_1_to_2() {
    let (_dir, path, mut store) = fresh();
    store
        .commit(
            &chatwoot::MESSAGES,
            &[Row {
                id: "1",
                json: r#"{"content":"hello"}"#,
            }],
            None,
        )
        .unwrap();
    drop(store);

    let steps = with_v2();
    let mut store = SqliteStore::open_with(&path, &steps).unwrap();
    assert_eq!(store.schema_version().unwrap(), 2);
    store.prepare(&[MESSAGES_V2]).unwrap();
    // The rows already there have the new column at once.
    let content: String = one(&store, "SELECT content FROM messages WHERE id = '1'");
    assert_eq!(content, "hello");
    let index: i64 = one(
        &store,
        "SELECT count(*) FROM sqlite_schema WHERE name = 'messages_content'",
    );
    assert_eq!(index, 1);
    drop(store);

    // Opening again runs no step twice.
    let store = SqliteStore::open_with(&path, &steps).unwrap();
    assert_eq!(store.schema_version().unwrap(), 2);
    drop(store);

    // A file made at version 2 from scratch gets the same table.
    let dir = tempfile::tempdir().unwrap();
    let mut fresh2 = SqliteStore::open_with(dir.path().join("b.db"), &steps).unwrap();
    fresh2.prepare(&[MESSAGES_V2]).unwrap();
    fresh2
        .commit(
            &MESSAGES_V2,
            &[Row {
                id: "1",
                json: r#"{"content":"x"}"#,
            }],
            None,
        )
        .unwrap();

    // And this version (1) refuses the version-2 file, untouched.
    let error = SqliteStore::open(&path).unwrap_err();
    assert!(
        matches!(error.what(), What::Newer { found: 2, known: 1 }),
        "{error}"
    );
}

#[test]
fn a_failed_migration_step_leaves_the_previous_version() {
    let (_dir, path, store) = fresh();
    drop(store);
    fn broken(tx: &rusqlite::Transaction<'_>) -> rusqlite::Result<()> {
        tx.execute_batch("CREATE TABLE half (x); SELECT * FROM no_such_table;")
    }
    let mut steps = MIGRATIONS.to_vec();
    steps.push(Migration {
        version: 2,
        what: "broken",
        apply: broken,
    });
    let error = SqliteStore::open_with(&path, &steps).unwrap_err();
    assert!(
        matches!(error.what(), What::Migrate { to: 2, .. }),
        "{error}"
    );
    let store = SqliteStore::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), 1);
    let half: i64 = one(
        &store,
        "SELECT count(*) FROM sqlite_schema WHERE name = 'half'",
    );
    assert_eq!(half, 0);
}

#[test]
fn a_newer_file_is_refused_with_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("newer.db");
    let conn = rusqlite::Connection::open(&path).unwrap();
    conn.pragma_update(None, "user_version", 3).unwrap();
    drop(conn);
    let error = SqliteStore::open(&path).unwrap_err();
    let message = error.to_string();
    assert!(message.contains("newer.db"), "{message}");
    assert!(
        message.contains("the database was written by a newer chatdesk (schema version 3"),
        "{message}"
    );
    assert!(message.contains("upgrade chatdesk"), "{message}");
}

#[test]
fn an_unopenable_path_names_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("no/such/dir/b.db");
    let error = SqliteStore::open(&path).unwrap_err();
    assert!(matches!(error.what(), What::Open(_)));
    assert!(error.to_string().contains("b.db"), "{error}");
}

#[test]
fn both_platforms_tables_are_created() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = SqliteStore::open(dir.path().join("cbx.db")).unwrap();
    store.prepare(tables::CHATBOTX).unwrap();
    for table in tables::CHATBOTX {
        assert_eq!(store.count(table).unwrap(), 0, "{}", table.name);
    }
    store
        .commit(
            &chatbotx::CONTACT_TAGS,
            &[Row {
                id: "12:3",
                json: r#"{"id":3,"name":"vip"}"#,
            }],
            None,
        )
        .unwrap();
    let (contact, tag): (String, i64) = store
        .connection()
        .query_row("SELECT contact_id, tag_id FROM contact_tags", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert_eq!((contact.as_str(), tag), ("12", 3));
}
