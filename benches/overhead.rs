//! What the library's streams cost over a hand-written loop of plain
//! reqwest + serde, walking 10,000 conversations from a fake server with no
//! added latency, one page at a time.
//!
//! - ChatbotX conversations (cursor listing): `client.conversations()
//!   .stream()` (500 per page, 20 pages) against a loop that sends the same
//!   requests (`perPage=500`, following `nextCursor`) and decodes each body
//!   with `serde_json::from_slice::<ConversationList>`.
//! - Chatwoot conversations (page numbers, 25 per page, 400 pages and the
//!   empty page 401 that ends the walk): `client.conversations(1)
//!   .status(All).concurrency(1).stream()` against a loop over pages 1, 2,
//!   ... until an empty page. The library at its default concurrency is
//!   measured too, for information.
//!
//! A third side, the plain loop decoding with `chatdesk::error::decode`
//! (the library's decoding: plain serde, then `serde_path_to_error` only
//! for a body that fails), shows how much of any gap that decoding
//! explains.
//!
//! The fake servers run on their own multi-thread tokio runtime in their own
//! thread, so the client side is measured on its own runtime; every side
//! reuses one HTTP client (warm connections). Each side walks
//! [`REPETITIONS`] times, alternating (A B C, C B A, ...) to cancel drift;
//! the figures are medians of the wall times, with the median of the ratios
//! of walks run next to each other ("paired") and the ratio of the client's
//! CPU time (threads other than the fake server's, from
//! `/proc/self/task/*/schedstat`; the fake server's CPU time is printed
//! too).
//!
//! Target: library/plain ≤ 1.10x for both listings (sequential walks).
//!
//! ```text
//! cargo bench --bench overhead
//! ```
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod common;

use std::time::Instant;

use chatdesk::{chatbotx, chatwoot};
use chatdesk_fake::{FakeChatbotx, FakeChatwoot};
use common::{ITEMS, Served, chatwoot_page, count, cpu_times};

/// Walks per side.
const REPETITIONS: usize = 10;
/// The target: the library at most this much slower than the plain loop.
const TARGET: f64 = 1.10;

/// One GET of the plain loop: the body, after checking the status.
async fn get_body(request: reqwest::RequestBuilder) -> bytes::Bytes {
    let response = request.send().await.unwrap();
    assert_eq!(response.status(), 200);
    response.bytes().await.unwrap()
}

/// How the plain loops decode a body.
#[derive(Clone, Copy)]
enum Decode {
    /// `serde_json::from_slice`.
    Serde,
    /// `chatdesk::error::decode`, as the library does (JSON paths of
    /// failures through `serde_path_to_error`): shows how much of the gap
    /// that decoding explains.
    Library(chatdesk::Platform),
}

impl Decode {
    fn body<T: serde::de::DeserializeOwned>(self, body: &[u8]) -> T {
        match self {
            Decode::Serde => serde_json::from_slice(body).unwrap(),
            Decode::Library(platform) => {
                chatdesk::error::decode(platform, "listConversations", body).unwrap()
            }
        }
    }
}

/// The plain ChatbotX loop: `perPage=500`, following `nextCursor`.
async fn plain_chatbotx(
    http: &reqwest::Client,
    base_url: &str,
    token: &str,
    decode: Decode,
) -> usize {
    let per_page = chatbotx::DEFAULT_CURSOR_PAGE_SIZE.to_string();
    let mut cursor: Option<String> = None;
    let mut items = 0;
    loop {
        let mut query = vec![("perPage", per_page.as_str())];
        if let Some(c) = &cursor {
            query.push(("cursor", c.as_str()));
        }
        let request = http
            .get(format!("{base_url}/v1/conversations"))
            .bearer_auth(token)
            .query(&query);
        let body = get_body(request).await;
        let page: chatbotx::types::ConversationList = decode.body(&body);
        for conversation in page.data {
            std::hint::black_box(conversation);
            items += 1;
        }
        match page.next_cursor.filter(|c| !c.is_empty()) {
            Some(next) => cursor = Some(next),
            None => return items,
        }
    }
}

/// The plain Chatwoot loop: pages 1, 2, ... until an empty page.
async fn plain_chatwoot(
    http: &reqwest::Client,
    base_url: &str,
    token: &str,
    decode: Decode,
) -> usize {
    let mut items = 0;
    for page in 1.. {
        let body = chatwoot_page(http, base_url, token, page).await;
        let list: chatwoot::types::ConversationList = decode.body(&body);
        if list.data.payload.is_empty() {
            break;
        }
        for conversation in list.data.payload {
            std::hint::black_box(conversation);
            items += 1;
        }
    }
    items
}

/// The walks to compare: a name and a walk that returns its item count.
type Walk<'a> = (
    &'a str,
    Box<dyn Fn() -> futures::future::LocalBoxFuture<'a, usize> + 'a>,
);

/// One walk: wall time, and CPU time of the client's threads (everything
/// but the fake server's) and of the fake server's threads, in seconds.
#[derive(Clone, Copy, Debug, Default)]
struct Sample {
    wall: f64,
    client_cpu: f64,
    server_cpu: f64,
}

/// Walks each side [`REPETITIONS`] times, alternating (A B C, C B A, ...),
/// after one warm-up walk each.
fn measure(runtime: &tokio::runtime::Runtime, walks: &[Walk<'_>]) -> Vec<Vec<Sample>> {
    let mut samples = vec![Vec::with_capacity(REPETITIONS); walks.len()];
    for (name, walk) in walks {
        let items = runtime.block_on(walk());
        assert_eq!(items, ITEMS, "{name} walked {items} items");
    }
    for repetition in 0..REPETITIONS {
        let order: Vec<usize> = if repetition % 2 == 0 {
            (0..walks.len()).collect()
        } else {
            (0..walks.len()).rev().collect()
        };
        for i in order {
            let (name, walk) = &walks[i];
            let (client, server) = cpu_times();
            let started = Instant::now();
            let items = runtime.block_on(walk());
            let wall = started.elapsed().as_secs_f64();
            let (client_after, server_after) = cpu_times();
            samples[i].push(Sample {
                wall,
                client_cpu: client_after - client,
                server_cpu: server_after - server,
            });
            assert_eq!(items, ITEMS, "{name} walked {items} items");
        }
    }
    samples
}

fn median(values: impl IntoIterator<Item = f64>) -> f64 {
    let mut sorted: Vec<f64> = values.into_iter().collect();
    sorted.sort_by(f64::total_cmp);
    sorted[sorted.len() / 2]
}

/// Prints every side's median and minimum wall time and median CPU times.
fn report(listing: &str, walks: &[Walk<'_>], samples: &[Vec<Sample>]) {
    for ((name, _), s) in walks.iter().zip(samples) {
        let min = s.iter().map(|s| s.wall).fold(f64::INFINITY, f64::min);
        println!(
            "{listing} {name}: median {:.1} ms, min {:.1} ms; CPU median: client {:.1} ms, fake server {:.1} ms; {ITEMS} items each walk ({} walks)",
            median(s.iter().map(|s| s.wall)) * 1e3,
            min * 1e3,
            median(s.iter().map(|s| s.client_cpu)) * 1e3,
            median(s.iter().map(|s| s.server_cpu)) * 1e3,
            s.len()
        );
    }
}

/// The ratios of `a` to `b`: of the median wall times, the median of the
/// ratios of walks run next to each other, and of the median client CPU
/// times.
fn ratios(a: &[Sample], b: &[Sample]) -> (f64, f64, f64) {
    let wall = median(a.iter().map(|s| s.wall)) / median(b.iter().map(|s| s.wall));
    let paired = median(a.iter().zip(b).map(|(a, b)| a.wall / b.wall));
    let cpu = median(a.iter().map(|s| s.client_cpu)) / median(b.iter().map(|s| s.client_cpu));
    (wall, paired, cpu)
}

fn figure(listing: &str, library: &[Sample], plain: &[Sample]) -> String {
    let (ratio, paired, cpu) = ratios(library, plain);
    format!(
        "FIGURE overhead {listing}: library/plain = {ratio:.3}x ({:.1} ms vs {:.1} ms, medians of {REPETITIONS}; paired {paired:.3}x; client CPU {cpu:.3}x), target <= {TARGET:.2}x: {}",
        median(library.iter().map(|s| s.wall)) * 1e3,
        median(plain.iter().map(|s| s.wall)) * 1e3,
        if ratio <= TARGET { "PASS" } else { "FAIL" }
    )
}

/// Ratios printed for information, with no target.
fn info(listing: &str, what: &str, a: &[Sample], b: &[Sample]) -> String {
    let (ratio, paired, cpu) = ratios(a, b);
    format!(
        "INFO overhead {listing}: {what} = {ratio:.3}x ({:.1} ms vs {:.1} ms; paired {paired:.3}x; client CPU {cpu:.3}x)",
        median(a.iter().map(|s| s.wall)) * 1e3,
        median(b.iter().map(|s| s.wall)) * 1e3,
    )
}

fn main() {
    let Some(runtime) = common::client_runtime() else {
        return;
    };
    let http = reqwest::Client::new();
    let mut figures = Vec::new();
    println!(
        "machine: {} cores; fake servers on their own 2-worker runtime; {ITEMS} items, no latency",
        std::thread::available_parallelism().map_or(0, usize::from)
    );

    {
        let served = Served::start(|| {
            FakeChatbotx::builder()
                .conversations(ITEMS)
                .contacts(ITEMS)
                .messages_per_contact(1)
                .start()
        });
        let (base_url, token) = (served.fake().base_url(), served.fake().token().to_string());
        let client = chatbotx::Client::builder()
            .base_url(&base_url)
            .token(&token)
            .build()
            .unwrap();
        let walks: Vec<Walk<'_>> = vec![
            (
                "library .stream() (500/page)",
                Box::new(|| Box::pin(count(client.conversations().stream()))),
            ),
            (
                "plain reqwest+serde (500/page)",
                Box::new(|| Box::pin(plain_chatbotx(&http, &base_url, &token, Decode::Serde))),
            ),
            (
                "plain reqwest+chatdesk::error::decode (500/page)",
                Box::new(|| {
                    let decode = Decode::Library(chatdesk::Platform::Chatbotx);
                    Box::pin(plain_chatbotx(&http, &base_url, &token, decode))
                }),
            ),
        ];
        let before = client.stats().requests();
        let samples = measure(&runtime, &walks);
        let requests = (client.stats().requests() - before) / (REPETITIONS as u64 + 1);
        report("chatbotx conversations", &walks, &samples);
        println!("chatbotx conversations: {requests} requests per library walk");
        figures.push(figure(
            "chatbotx conversations (cursor, 500/page)",
            &samples[0],
            &samples[1],
        ));
        figures.push(info(
            "chatbotx conversations",
            "plain with the library's decode/plain",
            &samples[2],
            &samples[1],
        ));
    }

    {
        let served = Served::start(|| FakeChatwoot::builder().conversations(ITEMS).start());
        let (base_url, token) = (served.fake().base_url(), served.fake().token().to_string());
        let client = chatwoot::Client::builder()
            .base_url(&base_url)
            .api_access_token(&token)
            .build()
            .unwrap();
        let listing = || client.conversations(1).status(chatwoot::Status::All);
        // The concurrent walk gets a client of its own: its pool of a dozen
        // idle connections would otherwise be the sequential walk's too,
        // unlike the plain loop's single connection.
        let concurrent_client = chatwoot::Client::builder()
            .base_url(&base_url)
            .api_access_token(&token)
            .build()
            .unwrap();
        let walks: Vec<Walk<'_>> = vec![
            (
                "library .concurrency(1)",
                Box::new(|| Box::pin(count(listing().concurrency(1).stream()))),
            ),
            (
                "plain reqwest+serde (sequential)",
                Box::new(|| Box::pin(plain_chatwoot(&http, &base_url, &token, Decode::Serde))),
            ),
            (
                "plain reqwest+chatdesk::error::decode (sequential)",
                Box::new(|| {
                    let decode = Decode::Library(chatdesk::Platform::Chatwoot);
                    Box::pin(plain_chatwoot(&http, &base_url, &token, decode))
                }),
            ),
            (
                "library at its default concurrency",
                Box::new(|| {
                    let listing = concurrent_client
                        .conversations(1)
                        .status(chatwoot::Status::All);
                    Box::pin(count(listing.stream()))
                }),
            ),
        ];
        let before = client.stats().requests();
        let samples = measure(&runtime, &walks);
        let requests = (client.stats().requests() - before) / (REPETITIONS as u64 + 1);
        report("chatwoot conversations", &walks, &samples);
        println!("chatwoot conversations: {requests} requests per library walk");
        figures.push(figure(
            "chatwoot conversations (pages of 25, concurrency 1)",
            &samples[0],
            &samples[1],
        ));
        figures.push(info(
            "chatwoot conversations",
            "plain with the library's decode/plain",
            &samples[2],
            &samples[1],
        ));
        figures.push(info(
            "chatwoot conversations",
            "library defaults/plain sequential",
            &samples[3],
            &samples[1],
        ));
    }

    println!();
    for line in figures {
        println!("{line}");
    }
}
