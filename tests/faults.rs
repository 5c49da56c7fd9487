//! The fault suite: walks of 10,000 Chatwoot conversations and 10,000
//! ChatbotX conversations and contacts from the fake servers, through each
//! fault alone and all of them together. Every walk either yields every item
//! exactly once, in order, or ends with an error after yielding only a
//! correct prefix; never a duplicate, never a silent gap. Data that moves
//! during a Chatwoot walk is never duplicated, and what a walk can miss is
//! exactly what the docs say.

#![cfg(all(feature = "chatwoot", feature = "chatbotx"))]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashSet;
use std::time::Duration;

use chatdesk::Error;
use chatdesk::paginate::{Page, PageStream, Position};
use chatdesk::retry::RetryPolicy;
use chatdesk::{chatbotx, chatwoot};
use chatdesk_fake::{FakeChatbotx, FakeChatwoot, Faults, RateLimitFault, RunningFake};
use futures::StreamExt;

const ITEMS: usize = 10_000;

/// Retries that do not slow the suite: many quick attempts.
fn patient() -> RetryPolicy {
    RetryPolicy::default()
        .max_attempts(12)
        .initial_backoff(Duration::from_millis(1))
        .max_backoff(Duration::from_millis(20))
        .max_retry_after(Duration::from_millis(50))
}

/// The client's request timeout in the suite: below the slow-body delay.
const TIMEOUT: Duration = Duration::from_millis(400);

fn faults(kind: &str, rate: f64, seed: u64) -> Faults {
    let mut f = Faults {
        seed,
        ..Faults::default()
    };
    match kind {
        "latency" => f.latency = Duration::from_millis(2),
        "5xx" => f.error_rate = rate,
        "429 burst" => f.burst_429_rate = rate,
        "429 window" => {
            f.rate_limit = Some(RateLimitFault {
                requests: 40,
                window: Duration::from_millis(200),
            })
        }
        "dropped connection" => f.drop_rate = rate,
        "truncated JSON" => f.truncate_rate = rate,
        "slow body" => {
            f.slow_body_rate = rate;
            f.slow_body_delay = Duration::from_millis(1500);
        }
        "all" => {
            f.latency = Duration::from_millis(1);
            f.error_rate = rate;
            f.burst_429_rate = rate;
            f.drop_rate = rate;
            f.truncate_rate = rate;
            f.slow_body_rate = rate / 5.0;
            f.slow_body_delay = Duration::from_millis(1500);
        }
        other => panic!("unknown fault {other}"),
    }
    f
}

const KINDS: [&str; 8] = [
    "latency",
    "5xx",
    "429 burst",
    "429 window",
    "dropped connection",
    "truncated JSON",
    "slow body",
    "all",
];

/// The outcome of one walk: the ids yielded, in order, and the error that
/// ended it, if any.
struct Walk {
    ids: Vec<String>,
    error: Option<Error>,
    next: Option<Position>,
}

async fn walk<T: Send + 'static>(mut pages: PageStream<T>, id: fn(&T) -> String) -> Walk {
    let mut walk = Walk {
        ids: Vec::new(),
        error: None,
        next: None,
    };
    while let Some(page) = pages.next().await {
        match page {
            Ok(Page { items, next, .. }) => {
                walk.ids.extend(items.iter().map(id));
                walk.next = next;
            }
            Err(error) => {
                assert!(
                    pages.next().await.is_none(),
                    "the stream ends after an error"
                );
                walk.error = Some(error);
                break;
            }
        }
    }
    walk
}

/// Checks a walk against the data set: no duplicate, only known ids in the
/// data set's order, and all of them unless the walk ended with an error.
fn check(what: &str, expected: &[String], walk: &Walk) {
    let unique: HashSet<&String> = walk.ids.iter().collect();
    assert_eq!(unique.len(), walk.ids.len(), "{what}: a duplicate");
    assert!(
        expected.starts_with(&walk.ids),
        "{what}: the items yielded are not a prefix of the data set"
    );
    if walk.error.is_none() {
        assert_eq!(walk.ids.len(), expected.len(), "{what}: a silent gap");
    }
}

/// Walks to the end, resuming after each error from the last page's `next`
/// as a checkpointing program would; returns every id yielded.
async fn walk_resuming<T: Send + 'static>(
    what: &str,
    expected: &[String],
    pages_from: &impl Fn(&Position) -> PageStream<T>,
    id: fn(&T) -> String,
) -> Vec<String> {
    let mut all: Vec<String> = Vec::new();
    let mut position = Position::Start;
    for _ in 0..100 {
        let part = walk(pages_from(&position), id).await;
        all.extend(part.ids);
        match part.error {
            None => {
                check(
                    &format!("{what} (resumed)"),
                    expected,
                    &Walk {
                        ids: all.clone(),
                        error: None,
                        next: None,
                    },
                );
                return all;
            }
            Some(error) => {
                assert!(
                    !matches!(
                        error,
                        Error::Pagination { .. } | Error::InvalidInput(_) | Error::Config(_)
                    ),
                    "{what}: {error}"
                );
                if let Some(next) = part.next {
                    position = next;
                }
            }
        }
    }
    panic!("{what}: no end after 100 resumes");
}

/// Walks the listing `pages_from` gives through each fault alone at 10%,
/// checking each walk, then through all of them at once, resuming after
/// errors until every item came once.
async fn through_every_fault<T: Send + 'static>(
    what: &str,
    fake: &RunningFake,
    expected: &[String],
    pages_from: impl Fn(&Position) -> PageStream<T>,
    id: fn(&T) -> String,
) {
    assert_eq!(expected.len(), ITEMS);
    for (i, kind) in KINDS.into_iter().enumerate() {
        fake.set_faults(faults(kind, 0.1, i as u64));
        let outcome = walk(pages_from(&Position::Start), id).await;
        check(&format!("{what}, {kind}"), expected, &outcome);
    }
    fake.set_faults(faults("all", 0.1, 99));
    walk_resuming(&format!("{what}, all faults"), expected, &pages_from, id).await;
}

fn chatwoot_client(fake: &RunningFake) -> chatwoot::Client {
    chatwoot::Client::builder()
        .base_url(fake.base_url())
        .api_access_token(fake.token())
        .retry_policy(patient())
        .request_timeout(TIMEOUT)
        .build()
        .unwrap()
}

fn chatbotx_client(fake: &RunningFake) -> chatbotx::Client {
    chatbotx::Client::builder()
        .base_url(fake.base_url())
        .token(fake.token())
        .retry_policy(patient())
        .request_timeout(TIMEOUT)
        .build()
        .unwrap()
}

fn chatwoot_id(c: &chatwoot::types::Conversation) -> String {
    c.id.to_string()
}

fn chatbotx_conversation_id(c: &chatbotx::types::Conversation) -> String {
    c.id.clone()
}

fn chatbotx_contact_id(c: &chatbotx::types::Contact) -> String {
    c.id.clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn chatwoot_conversations_through_each_fault() {
    let fake = FakeChatwoot::builder()
        .conversations(ITEMS)
        .seed(7)
        .start()
        .await
        .unwrap();
    let client = chatwoot_client(&fake);
    let pages_from = |from: &Position| {
        client
            .conversations(1)
            .status(chatwoot::Status::All)
            .resume(from)
            .pages()
    };
    through_every_fault(
        "chatwoot",
        &fake,
        &fake.conversation_ids(),
        pages_from,
        chatwoot_id,
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn chatbotx_conversations_through_each_fault() {
    let fake = FakeChatbotx::builder()
        .conversations(ITEMS)
        .contacts(10)
        .seed(7)
        .start()
        .await
        .unwrap();
    let client = chatbotx_client(&fake);
    let pages_from = |from: &Position| client.conversations().per_page(100).resume(from).pages();
    let expected = fake.conversation_ids();
    through_every_fault(
        "chatbotx conversations",
        &fake,
        &expected,
        pages_from,
        chatbotx_conversation_id,
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn chatbotx_contacts_through_each_fault() {
    let fake = FakeChatbotx::builder()
        .conversations(10)
        .contacts(ITEMS)
        .seed(7)
        .start()
        .await
        .unwrap();
    let client = chatbotx_client(&fake);
    let pages_from = |from: &Position| client.contacts().resume(from).pages();
    through_every_fault(
        "chatbotx contacts",
        &fake,
        &fake.contact_ids(),
        pages_from,
        chatbotx_contact_id,
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_fault_at_full_rate_ends_in_a_clear_error_not_a_hang() {
    let fake = FakeChatwoot::builder()
        .conversations(100)
        .start()
        .await
        .unwrap();
    let client = chatwoot::Client::builder()
        .base_url(fake.base_url())
        .api_access_token(fake.token())
        .retry_policy(patient().max_attempts(3))
        .request_timeout(TIMEOUT)
        .build()
        .unwrap();
    for kind in [
        "5xx",
        "429 burst",
        "dropped connection",
        "truncated JSON",
        "slow body",
    ] {
        fake.set_faults(faults(kind, 1.0, 1));
        let outcome = walk(
            client
                .conversations(1)
                .status(chatwoot::Status::All)
                .pages(),
            chatwoot_id,
        )
        .await;
        assert!(outcome.ids.is_empty(), "{kind}");
        let error = outcome.error.unwrap_or_else(|| panic!("{kind}: no error"));
        assert!(!error.to_string().is_empty());
    }
}

/// Walks `fake` page by page (concurrency 1), calling `change` after the
/// first page; returns the ids yielded.
async fn walk_while_changing(
    fake: &RunningFake,
    concurrency: usize,
    change: impl Fn(&RunningFake),
) -> Vec<String> {
    let client = chatwoot_client(fake);
    let mut pages = client
        .conversations(1)
        .status(chatwoot::Status::All)
        .concurrency(concurrency)
        .pages();
    let mut ids = Vec::new();
    let mut first = true;
    while let Some(page) = pages.next().await {
        ids.extend(page.unwrap().items.iter().map(chatwoot_id));
        if first {
            change(fake);
            first = false;
        }
    }
    ids
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn data_moving_during_a_chatwoot_walk_is_never_duplicated_and_only_moved_items_are_missed() {
    let fake = FakeChatwoot::builder()
        .conversations(2_000)
        .seed(11)
        .start()
        .await
        .unwrap();
    let before = fake.conversation_ids();
    // A conversation far down the listing gets activity: it jumps to the
    // front, onto a page already fetched.
    let touched = before[1_500].clone();
    let ids = walk_while_changing(&fake, 1, |fake| {
        fake.add_conversations_at_top(30);
        fake.touch_conversation(&touched);
    })
    .await;
    let unique: HashSet<&String> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len(), "a duplicate");
    let after: HashSet<String> = fake.conversation_ids().into_iter().collect();
    assert!(
        ids.iter().all(|id| after.contains(id)),
        "an id the data set does not have"
    );
    // The documented guarantee: with one page at a time, every conversation
    // that was there all along and did not move is yielded.
    let yielded: HashSet<&String> = ids.iter().collect();
    for id in before.iter().filter(|id| **id != touched) {
        assert!(yielded.contains(id), "{id} stayed put but was missed");
    }

    // With pages in flight the walk still never duplicates.
    let fake = FakeChatwoot::builder()
        .conversations(2_000)
        .seed(12)
        .start()
        .await
        .unwrap();
    let ids = walk_while_changing(&fake, 8, |fake| fake.add_conversations_at_top(30)).await;
    let unique: HashSet<&String> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len(), "a duplicate with concurrency");
}
