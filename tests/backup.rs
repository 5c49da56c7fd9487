//! The backup engine against the fakes, into the in-memory store: a full
//! backup equals the fake's data set row for row; an interrupted run,
//! continued, gives the same; a sync after changes catches up with far
//! fewer requests; a rate-limited fake never answers 429; credentials and
//! the token stay out of the store.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use chatdesk::backup::{
    ChatbotxBackup, ChatwootBackup, MemoryStore, Options, Progress, RunKind, Status, Store, tables,
};
use chatdesk::rate_limit::RateLimit;
use chatdesk_fake::{FakeChatbotx, FakeChatwoot, Faults, RateLimitFault, RunningFake};
use serde_json::Value;

type Tables = BTreeMap<String, BTreeMap<String, Value>>;

/// Every table of `store`, parsed, as the fake's `dataset()` shapes it.
fn stored(store: &MemoryStore, names: &[chatdesk::backup::Table]) -> Tables {
    names
        .iter()
        .map(|t| {
            let rows = store
                .rows(t.name)
                .unwrap()
                .map(|(id, json)| (id.to_owned(), serde_json::from_str(json).unwrap()))
                .collect();
            (t.name.to_owned(), rows)
        })
        .collect()
}

/// Asserts equal tables, naming the first difference.
fn assert_same(ours: &Tables, theirs: &Tables) {
    for (table, rows) in theirs {
        let mine = &ours[table];
        for (id, row) in rows {
            assert_eq!(mine.get(id), Some(row), "table {table}, row {id}");
        }
        let extra: Vec<&String> = mine.keys().filter(|id| !rows.contains_key(*id)).collect();
        assert!(
            extra.is_empty(),
            "table {table}: rows the fake lacks: {extra:?}"
        );
    }
}

async fn chatwoot(fake: &RunningFake, limit: Option<RateLimit>) -> chatdesk::chatwoot::Client {
    let mut builder = chatdesk::chatwoot::Client::builder()
        .base_url(fake.base_url())
        .api_access_token(fake.token());
    if let Some(limit) = limit {
        builder = builder.rate_limit(limit);
    }
    builder.build().unwrap()
}

async fn chatbotx(fake: &RunningFake, limit: Option<RateLimit>) -> chatdesk::chatbotx::Client {
    let mut builder = chatdesk::chatbotx::Client::builder()
        .base_url(fake.base_url())
        .token(fake.token());
    if let Some(limit) = limit {
        builder = builder.rate_limit(limit);
    }
    builder.build().unwrap()
}

fn keep() -> Options {
    Options::default().with_keep_secrets(true)
}

#[tokio::test]
async fn a_chatwoot_backup_equals_the_fake_row_for_row() {
    let fake = FakeChatwoot::builder()
        .conversations(70)
        .messages_per_conversation(130)
        .contacts(40)
        .start()
        .await
        .unwrap();
    let client = chatwoot(&fake, None).await;
    let mut store = MemoryStore::new();
    let report = ChatwootBackup::new(client, 1)
        .options(keep())
        .run(&mut store, &mut ())
        .await
        .unwrap();
    assert_eq!(report.kind, Some(RunKind::Backup));
    let dataset = fake.dataset();
    assert!(
        dataset["messages"].len() > 70 * 100,
        "every message, more than one window each"
    );
    assert_same(&stored(&store, tables::CHATWOOT), &dataset);
    assert_eq!(report.requests, fake.stats().requests);
}

#[tokio::test]
async fn a_chatbotx_backup_equals_the_fake_row_for_row() {
    let fake = FakeChatbotx::builder()
        .contacts(120)
        .conversations(90)
        .messages_per_contact(12)
        .start()
        .await
        .unwrap();
    let client = chatbotx(&fake, None).await;
    let mut store = MemoryStore::new();
    let report = ChatbotxBackup::new(client)
        .options(keep())
        .run(&mut store, &mut ())
        .await
        .unwrap();
    assert_same(&stored(&store, tables::CHATBOTX), &fake.dataset());
    // The tags and fields came with the contacts: no request per contact
    // but its messages.
    let contacts_and_conversations = store.count(&tables::chatbotx::MESSAGES).unwrap();
    assert!(contacts_and_conversations > 0);
    assert!(report.requests < 120 + 40, "{} requests", report.requests);
}

/// Counts pages, and cancels the run after `stop_after` of them.
struct StopAfter {
    pages: Arc<AtomicU64>,
}

impl Progress for StopAfter {
    fn update(&mut self, status: &Status) {
        let pages = status.resources.iter().map(|r| r.pages).sum();
        self.pages.store(pages, Ordering::SeqCst);
    }
}

/// Runs `run` until `progress` has seen `pages` pages, then drops it: a
/// kill between two awaits, as a `SIGKILL` leaves the store.
async fn interrupted<F: std::future::Future>(pages: u64, seen: Arc<AtomicU64>, run: F) {
    tokio::select! {
        _ = run => {}
        _ = async {
            while seen.load(Ordering::SeqCst) < pages {
                tokio::time::sleep(Duration::from_millis(1)).await;
            }
        } => {}
    }
}

#[tokio::test]
async fn interrupted_runs_continued_give_the_same_rows() {
    let fake = FakeChatwoot::builder()
        .conversations(60)
        .messages_per_conversation(150)
        .contacts(50)
        .start()
        .await
        .unwrap();
    let client = chatwoot(&fake, None).await;
    let backup = ChatwootBackup::new(client, 1).options(keep());
    let mut store = MemoryStore::new();
    let mut kinds = Vec::new();
    for stop in [5, 20, 30, 40] {
        let seen = Arc::new(AtomicU64::new(0));
        let mut progress = StopAfter {
            pages: seen.clone(),
        };
        interrupted(stop, seen, backup.run(&mut store, &mut progress)).await;
        kinds.push(store.runs().last().map(|r| r.kind.clone()));
    }
    let report = backup.run(&mut store, &mut ()).await.unwrap();
    assert_eq!(kinds[0].as_deref(), Some("backup"));
    assert_eq!(
        kinds.last().unwrap().as_deref(),
        Some("resume"),
        "{kinds:?}"
    );
    assert_eq!(report.kind, Some(RunKind::Resume));
    assert_same(&stored(&store, tables::CHATWOOT), &fake.dataset());
}

#[tokio::test]
async fn a_chatwoot_sync_catches_up_with_far_fewer_requests() {
    let fake = FakeChatwoot::builder()
        .conversations(200)
        .messages_per_conversation(20)
        .contacts(150)
        .start()
        .await
        .unwrap();
    let client = chatwoot(&fake, None).await;
    let backup = ChatwootBackup::new(client, 1).options(keep());
    let mut store = MemoryStore::new();
    let full = backup.run(&mut store, &mut ()).await.unwrap();

    let ids = fake.conversation_ids();
    for id in ids.iter().take(3) {
        fake.add_message(id).unwrap();
    }
    assert!(fake.set_conversation_status(&ids[5], "snoozed"));
    fake.add_conversations_at_top(2);
    fake.add_contacts(3);

    let sync = backup.run(&mut store, &mut ()).await.unwrap();
    assert_eq!(sync.kind, Some(RunKind::Sync));
    assert_same(&stored(&store, tables::CHATWOOT), &fake.dataset());
    assert!(
        sync.requests * 10 < full.requests,
        "sync {} vs full {}",
        sync.requests,
        full.requests
    );
}

#[tokio::test]
async fn a_chatbotx_sync_catches_up_with_far_fewer_requests() {
    let fake = FakeChatbotx::builder()
        .contacts(150)
        .conversations(150)
        .messages_per_contact(8)
        .start()
        .await
        .unwrap();
    let client = chatbotx(&fake, None).await;
    let backup = ChatbotxBackup::new(client).options(keep());
    let mut store = MemoryStore::new();
    let full = backup.run(&mut store, &mut ()).await.unwrap();

    let ids = fake.contact_ids();
    for id in ids.iter().skip(40).take(3) {
        fake.add_message(id).unwrap();
    }
    fake.add_conversations_at_top(2);
    fake.add_contacts(2);

    let sync = backup.run(&mut store, &mut ()).await.unwrap();
    assert_eq!(sync.kind, Some(RunKind::Sync));
    assert_same(&stored(&store, tables::CHATBOTX), &fake.dataset());

    // Archiving does not move a conversation's activity, so a sync may
    // not see it; a full read does.
    let old = fake.conversation_ids().pop().unwrap();
    assert!(fake.set_conversation_status(&old, "archived"));
    let refresh_all = backup.clone().options(keep().with_full(true));
    let refresh = refresh_all.run(&mut store, &mut ()).await.unwrap();
    assert_eq!(refresh.kind, Some(RunKind::Full));
    assert_same(&stored(&store, tables::CHATBOTX), &fake.dataset());
    assert!(
        sync.requests * 5 < full.requests,
        "sync {} vs full {}",
        sync.requests,
        full.requests
    );
}

#[tokio::test]
async fn a_rate_limited_fake_never_answers_429() {
    let limit = RateLimitFault {
        requests: 25,
        window: Duration::from_millis(500),
    };
    let fake = FakeChatwoot::builder()
        .conversations(60)
        .messages_per_conversation(5)
        .contacts(20)
        .faults(Faults {
            rate_limit: Some(limit),
            ..Faults::default()
        })
        .start()
        .await
        .unwrap();
    let client = chatwoot(
        &fake,
        Some(RateLimit::new(25, Duration::from_millis(500)).unwrap()),
    )
    .await;
    let mut store = MemoryStore::new();
    let report = ChatwootBackup::new(client, 1)
        .run(&mut store, &mut ())
        .await
        .unwrap();
    assert!(
        report.requests > 25 * 2,
        "the limit was reached more than once"
    );
    assert_eq!(fake.stats().rate_limited, 0);
    assert_eq!(report.retries, 0);
}

#[tokio::test]
async fn credentials_and_the_token_stay_out_of_the_store() {
    let fake = FakeChatwoot::builder()
        .conversations(10)
        .token("tok-9f8e7d6c5b4a")
        .start()
        .await
        .unwrap();
    let client = chatwoot(&fake, None).await;
    let mut store = MemoryStore::new();
    let report = ChatwootBackup::new(client, 1)
        .run(&mut store, &mut ())
        .await
        .unwrap();
    assert!(report.redacted > 0 && !report.kept_secrets);
    let dataset = fake.dataset();
    let mut secrets = Vec::new();
    for inbox in dataset["inboxes"].values() {
        collect_secrets(inbox, &mut secrets);
    }
    assert!(!secrets.is_empty(), "the fake's inboxes carry credentials");
    for table in tables::CHATWOOT {
        for (id, json) in store.rows(table.name).unwrap() {
            assert!(!json.contains("tok-9f8e7d6c5b4a"), "{}/{id}", table.name);
            for secret in &secrets {
                assert!(
                    !json.contains(secret.as_str()),
                    "{}/{id} holds {secret}",
                    table.name
                );
            }
        }
    }
    for resource in ["conversations", "messages", "contacts", "account"] {
        for (_, state) in store.states(resource).unwrap() {
            let text = format!("{state:?}");
            assert!(!text.contains("tok-9f8e7d6c5b4a"));
        }
    }
}

/// The string values under the credential keys, at any depth.
fn collect_secrets(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (key, inner) in map {
                if chatdesk::chatwoot::CREDENTIAL_KEYS.contains(&key.as_str()) {
                    match inner {
                        Value::String(s) if s.len() > 3 => out.push(s.clone()),
                        Value::Object(_) | Value::Array(_) => {
                            let text = inner.to_string();
                            for part in text.split('"').filter(|p| p.len() > 8) {
                                out.push(part.to_owned());
                            }
                        }
                        _ => {}
                    }
                } else {
                    collect_secrets(inner, out);
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| collect_secrets(v, out)),
        _ => {}
    }
}

#[tokio::test]
async fn a_store_of_another_account_is_refused() {
    let fake = FakeChatwoot::builder()
        .conversations(3)
        .start()
        .await
        .unwrap();
    let client = chatwoot(&fake, None).await;
    let mut store = MemoryStore::new();
    ChatwootBackup::new(client.clone(), 1)
        .run(&mut store, &mut ())
        .await
        .unwrap();
    let error = ChatwootBackup::new(client, 2)
        .run(&mut store, &mut ())
        .await
        .unwrap_err();
    assert!(error.to_string().contains("Chatwoot account 1"), "{error}");
}
