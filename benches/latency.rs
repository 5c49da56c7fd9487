//! How well the library's streams hide server latency: walks of 10,000
//! conversations from fake servers that wait 20 ms before every answer.
//!
//! (a) Chatwoot (pages of 25, 401 requests): the defaults (12 pages at
//!     once) against `.concurrency(1)`, plus `.concurrency(8/16/32)` to show
//!     how the time follows the setting, and a hand-written walk of 12 tasks
//!     that fetch and decode (with `chatdesk::error::decode`) pages of their
//!     own, unordered. Target: the defaults under 1.5 s.
//! (b) ChatbotX (cursor, one request at a time): the defaults (500 per
//!     page) against `.per_page(20)`. Target: at least 4x fewer round
//!     trips (`client.stats().requests()`) and at least 4x less time.
//!
//! Then, to show where the time of (a) goes, the same fake with no latency:
//! the defaults' walk (the CPU floor), and a plain sequential loop that
//! fetches the 401 bodies without decoding them (the fake server and HTTP),
//! then decodes them apart (the client's decoding).
//!
//! The fake servers run on their own 2-worker tokio runtime in their own
//! thread; the client on another 2-worker runtime. Each walk runs
//! [`RUNS`] times (the rows alternate run by run); the figures are
//! medians. Each row also gives the CPU time of the client's threads and
//! of the fake server's (from `/proc/self/task/*/schedstat`). Plain timing:
//! criterion is too slow for multi-second walks.
//!
//! ```text
//! cargo bench --bench latency
//! ```
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use chatdesk::{chatbotx, chatwoot};
use chatdesk_fake::{FakeChatbotx, FakeChatwoot, Faults};
use common::{ITEMS, Served, chatwoot_page, count, cpu_times};
use futures::future::LocalBoxFuture;

/// The fakes' latency per request.
const LATENCY: Duration = Duration::from_millis(20);
/// Runs of each walk.
const RUNS: usize = 3;
/// Target of (a): the defaults' walk under this.
const CHATWOOT_TARGET: Duration = Duration::from_millis(1500);
/// Target of (b): at least this factor fewer requests and less time.
const CHATBOTX_FACTOR: f64 = 4.0;

/// One row: a name, the client whose requests it counts, and its walk.
struct Row<'a> {
    name: String,
    /// Requests sent so far by the row's client.
    requests: Box<dyn Fn() -> u64 + 'a>,
    walk: Box<dyn Fn() -> LocalBoxFuture<'a, usize> + 'a>,
}

/// What the runs of one row gave.
struct Measured {
    name: String,
    seconds: Vec<f64>,
    /// CPU seconds of each run: (client threads, fake server threads).
    cpu: Vec<(f64, f64)>,
    requests: u64,
}

impl Measured {
    fn median(&self) -> f64 {
        median(&self.seconds)
    }
}

fn median(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    sorted[sorted.len() / 2]
}

/// Runs every row [`RUNS`] times, row after row, and prints each row.
fn measure(runtime: &tokio::runtime::Runtime, listing: &str, rows: &[Row<'_>]) -> Vec<Measured> {
    let mut measured: Vec<Measured> = rows
        .iter()
        .map(|row| Measured {
            name: row.name.clone(),
            seconds: Vec::new(),
            cpu: Vec::new(),
            requests: 0,
        })
        .collect();
    for _ in 0..RUNS {
        for (row, m) in rows.iter().zip(&mut measured) {
            let before = (row.requests)();
            let (client, server) = cpu_times();
            let started = Instant::now();
            let items = runtime.block_on((row.walk)());
            m.seconds.push(started.elapsed().as_secs_f64());
            let (client_after, server_after) = cpu_times();
            m.cpu.push((client_after - client, server_after - server));
            m.requests = (row.requests)() - before;
            assert_eq!(items, ITEMS, "{} walked {items} items", row.name);
        }
    }
    for m in &measured {
        let runs: Vec<String> = m.seconds.iter().map(|s| format!("{s:.2}")).collect();
        println!(
            "{listing} {}: median {:.3} s (runs {} s), {} requests, {ITEMS} items; CPU median: client {:.3} s, fake server {:.3} s",
            m.name,
            m.median(),
            runs.join(" "),
            m.requests,
            median(&m.cpu.iter().map(|c| c.0).collect::<Vec<_>>()),
            median(&m.cpu.iter().map(|c| c.1).collect::<Vec<_>>()),
        );
    }
    measured
}

fn pass(ok: bool) -> &'static str {
    if ok { "PASS" } else { "FAIL" }
}

fn main() {
    let Some(runtime) = common::client_runtime() else {
        return;
    };
    let faults = Faults {
        latency: LATENCY,
        ..Faults::default()
    };
    println!(
        "machine: {} cores; fake servers on their own 2-worker runtime; {ITEMS} items, {} ms per request",
        std::thread::available_parallelism().map_or(0, usize::from),
        LATENCY.as_millis()
    );
    let mut figures = Vec::new();

    // (a) Chatwoot: concurrency.
    {
        let served = Served::start({
            let faults = faults.clone();
            move || {
                FakeChatwoot::builder()
                    .conversations(ITEMS)
                    .faults(faults)
                    .start()
            }
        });
        let (base_url, token) = (served.fake().base_url(), served.fake().token().to_string());
        let client = chatwoot::Client::builder()
            .base_url(&base_url)
            .api_access_token(&token)
            .build()
            .unwrap();
        let listing = || client.conversations(1).status(chatwoot::Status::All);
        let lanes = Lanes {
            http: reqwest::Client::new(),
            base_url: base_url.clone(),
            token: token.clone(),
            requests: Arc::new(AtomicU64::new(0)),
        };
        // Warm the connections (and the fake's data) before timing.
        runtime.block_on(count(listing().max_items(200).stream()));
        let mut rows = vec![Row {
            name: format!("defaults (concurrency {})", chatwoot::DEFAULT_CONCURRENCY),
            requests: Box::new(|| client.stats().requests()),
            walk: Box::new(|| Box::pin(count(listing().stream()))),
        }];
        for concurrency in [1, 8, 16, 32] {
            rows.push(Row {
                name: format!(".concurrency({concurrency})"),
                requests: Box::new(|| client.stats().requests()),
                walk: Box::new(move || {
                    Box::pin(count(listing().concurrency(concurrency).stream()))
                }),
            });
        }
        rows.push(Row {
            name: format!(
                "{} plain lanes (spawned, unordered, chatdesk::error::decode)",
                chatwoot::DEFAULT_CONCURRENCY
            ),
            requests: Box::new(|| lanes.requests.load(Ordering::Relaxed)),
            walk: Box::new(|| Box::pin(lanes.walk(chatwoot::DEFAULT_CONCURRENCY as u64))),
        });
        let measured = measure(&runtime, "chatwoot", &rows);
        let defaults = measured[0].median();
        let sequential = measured[1].median();
        let rounds = 2 + (measured[0].requests - 2).div_ceil(chatwoot::DEFAULT_CONCURRENCY as u64);
        figures.push(format!(
            "FIGURE latency chatwoot 10,000 conversations, defaults: {defaults:.3} s ({} requests; {sequential:.2} s at .concurrency(1), {:.1}x faster), target < {:.1} s: {}",
            measured[0].requests,
            sequential / defaults,
            CHATWOOT_TARGET.as_secs_f64(),
            pass(defaults < CHATWOOT_TARGET.as_secs_f64())
        ));
        figures.push(format!(
            "INFO latency chatwoot: latency alone bounds the defaults' walk at about {rounds} rounds x {} ms = {:.2} s",
            LATENCY.as_millis(),
            rounds as f64 * LATENCY.as_secs_f64()
        ));
        for m in &measured[2..measured.len() - 1] {
            figures.push(format!(
                "INFO latency chatwoot {}: {:.3} s, {}",
                m.name,
                m.median(),
                if m.median() < CHATWOOT_TARGET.as_secs_f64() {
                    "under the target"
                } else {
                    "over the target"
                }
            ));
        }

        let lanes_row = &measured[measured.len() - 1];
        figures.push(format!(
            "INFO latency chatwoot {}: {:.3} s, {} requests (the same decoding as the library, pages decoded on the runtime's workers as they come)",
            lanes_row.name,
            lanes_row.median(),
            lanes_row.requests
        ));

        // Where the defaults' time goes: the same walk with no latency,
        // then the server and HTTP alone, then the decoding alone.
        served.fake().set_faults(Faults::default());
        let floor = measure(&runtime, "chatwoot, no latency,", &rows[..1]);
        let http = reqwest::Client::new();
        let mut fetch_runs = Vec::new();
        let mut decode_runs = Vec::new();
        for _ in 0..RUNS {
            let started = Instant::now();
            let bodies = runtime.block_on(fetch_chatwoot_bodies(&http, &base_url, &token));
            fetch_runs.push(started.elapsed().as_secs_f64());
            let started = Instant::now();
            let mut items = 0;
            for body in &bodies {
                let list: chatwoot::types::ConversationList = chatdesk::error::decode(
                    chatdesk::Platform::Chatwoot,
                    "listConversations",
                    body,
                )
                .unwrap();
                items += list.data.payload.len();
            }
            decode_runs.push(started.elapsed().as_secs_f64());
            assert_eq!(items, ITEMS);
        }
        figures.push(format!(
            "INFO latency chatwoot, no latency: defaults' walk {:.3} s = CPU floor; plain sequential fetch of the 401 bodies, not decoded (fake server + HTTP) {:.3} s; decoding them with chatdesk::error::decode {:.3} s",
            floor[0].median(),
            median(&fetch_runs),
            median(&decode_runs)
        ));
    }

    // (b) ChatbotX: page size.
    {
        let served = Served::start(move || {
            FakeChatbotx::builder()
                .conversations(ITEMS)
                .contacts(ITEMS)
                .messages_per_contact(1)
                .faults(faults)
                .start()
        });
        let client = chatbotx::Client::builder()
            .base_url(served.fake().base_url())
            .token(served.fake().token())
            .build()
            .unwrap();
        runtime.block_on(count(
            client.conversations().max_items(20).per_page(20).stream(),
        ));
        let rows = vec![
            Row {
                name: format!("defaults ({} per page)", chatbotx::DEFAULT_CURSOR_PAGE_SIZE),
                requests: Box::new(|| client.stats().requests()),
                walk: Box::new(|| Box::pin(count(client.conversations().stream()))),
            },
            Row {
                name: ".per_page(20)".to_string(),
                requests: Box::new(|| client.stats().requests()),
                walk: Box::new(|| Box::pin(count(client.conversations().per_page(20).stream()))),
            },
        ];
        let measured = measure(&runtime, "chatbotx", &rows);
        let (defaults, small) = (&measured[0], &measured[1]);
        let fewer = small.requests as f64 / defaults.requests.max(1) as f64;
        let faster = small.median() / defaults.median();
        figures.push(format!(
            "FIGURE latency chatbotx 10,000 conversations, round trips: defaults {} vs .per_page(20) {} = {fewer:.1}x fewer, target >= {CHATBOTX_FACTOR:.0}x: {}",
            defaults.requests,
            small.requests,
            pass(fewer >= CHATBOTX_FACTOR)
        ));
        figures.push(format!(
            "FIGURE latency chatbotx 10,000 conversations, time: defaults {:.3} s vs .per_page(20) {:.3} s = {faster:.1}x less, target >= {CHATBOTX_FACTOR:.0}x: {}",
            defaults.median(),
            small.median(),
            pass(faster >= CHATBOTX_FACTOR)
        ));
    }

    println!();
    for line in figures {
        println!("{line}");
    }
}

/// A hand-written concurrent walk of the Chatwoot listing: `n` tasks, lane
/// `i` fetching pages `i + 1`, `i + 1 + n`, ... until an empty page, each
/// decoding its pages itself as they come (no ordering between lanes).
struct Lanes {
    http: reqwest::Client,
    base_url: String,
    token: String,
    requests: Arc<AtomicU64>,
}

impl Lanes {
    async fn walk(&self, n: u64) -> usize {
        let tasks: Vec<_> = (0..n)
            .map(|lane| {
                let (http, base_url, token) =
                    (self.http.clone(), self.base_url.clone(), self.token.clone());
                let requests = Arc::clone(&self.requests);
                tokio::spawn(async move {
                    let mut items = 0;
                    let mut page = lane + 1;
                    loop {
                        requests.fetch_add(1, Ordering::Relaxed);
                        let body = chatwoot_page(&http, &base_url, &token, page).await;
                        let list: chatwoot::types::ConversationList = chatdesk::error::decode(
                            chatdesk::Platform::Chatwoot,
                            "listConversations",
                            &body,
                        )
                        .unwrap();
                        if list.data.payload.is_empty() {
                            return items;
                        }
                        items += list.data.payload.len();
                        page += n;
                    }
                })
            })
            .collect();
        let mut items = 0;
        for task in tasks {
            items += task.await.unwrap();
        }
        items
    }
}

/// Fetches pages 1, 2, ... of the Chatwoot listing until an empty page,
/// one at a time, without decoding them.
async fn fetch_chatwoot_bodies(
    http: &reqwest::Client,
    base_url: &str,
    token: &str,
) -> Vec<bytes::Bytes> {
    let mut bodies = Vec::new();
    for page in 1.. {
        let body = chatwoot_page(http, base_url, token, page).await;
        // An empty page is `"payload":[]`; every other page has items.
        if empty_payload(&body) {
            break;
        }
        bodies.push(body);
    }
    bodies
}

/// Whether a Chatwoot page's payload is empty, without decoding the page.
fn empty_payload(body: &[u8]) -> bool {
    body.windows(12).any(|w| w == b"\"payload\":[]")
}
