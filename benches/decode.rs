//! Decoding a listing page into the generated types, against decoding the
//! same bytes into `serde_json::Value`.
//!
//! The pages come from the fake servers of `chatdesk-fake` (started once,
//! fetched with plain reqwest), so they carry the real servers' shapes and
//! quirks: a 25-conversation Chatwoot page, a 100-conversation ChatbotX page
//! and a 50-contact ChatbotX page (the most the server serves per page).
//! Each page is decoded these ways:
//!
//! - `value`: `serde_json::from_slice::<serde_json::Value>`, the baseline;
//! - `typed`: `serde_json::from_slice` into the generated list type;
//! - `library`: `chatdesk::error::decode` into the same type, the path the
//!   streams take (plain serde first; `serde_path_to_error`, for the JSON
//!   path, only when that fails);
//! - `path_value`: `Value` through `serde_path_to_error`, which shows what
//!   the path tracking alone costs;
//! - `ignored`: `serde::de::IgnoredAny`, the cost of parsing alone.
//!
//! A fourth group decodes the ISO-8601 times of the ChatbotX page as a JSON
//! array, into `String` and into `chatdesk::time::Timestamp` (which checks
//! the text is a time), to show what `Timestamp` costs.
//!
//! Target: typed decoding at least as fast as `Value` (time ratio
//! typed/value ≤ 1.00x), for the plain and the library paths.
//!
//! ```text
//! cargo bench --bench decode
//! ```
//!
//! Criterion measures each decoder in turn; the summary at the end comes
//! from a separate pass that alternates the decoders round by round (so
//! that drift of a shared machine hits every decoder alike) and gives the
//! median time per page and the median of the per-round ratios.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::hint::black_box;
use std::time::{Duration, Instant};

use chatdesk::Platform;
use chatdesk::time::Timestamp;
use chatdesk::{chatbotx, chatwoot};
use chatdesk_fake::{FakeChatbotx, FakeChatwoot};
use criterion::{Criterion, Throughput};
use serde::de::{DeserializeOwned, IgnoredAny};

/// Rounds of the alternating pass behind the summary.
const ROUNDS: usize = 30;
/// About how long one decoder runs in one round of that pass.
const BATCH: Duration = Duration::from_millis(10);

/// The pages to decode, as the fakes send them.
struct Pages {
    chatwoot_conversations: Vec<u8>,
    chatbotx_conversations: Vec<u8>,
    chatbotx_contacts: Vec<u8>,
}

/// Starts both fakes, fetches one page of each listing with plain reqwest,
/// and stops them.
fn fetch_pages() -> Pages {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let http = reqwest::Client::new();
        let chatwoot = FakeChatwoot::builder()
            .conversations(100)
            .start()
            .await
            .unwrap();
        let chatbotx = FakeChatbotx::builder()
            .conversations(200)
            .contacts(100)
            .start()
            .await
            .unwrap();
        let get = |url: String, (name, value): (&'static str, String)| {
            let request = http.get(url).header(name, value);
            async move {
                let response = request.send().await.unwrap();
                assert_eq!(response.status(), 200);
                response.bytes().await.unwrap().to_vec()
            }
        };
        let bearer = ("authorization", format!("Bearer {}", chatbotx.token()));
        Pages {
            chatwoot_conversations: get(
                format!(
                    "{}/api/v1/accounts/1/conversations?status=all&page=1",
                    chatwoot.base_url()
                ),
                ("api_access_token", chatwoot.token().to_string()),
            )
            .await,
            chatbotx_conversations: get(
                format!("{}/v1/conversations?perPage=100", chatbotx.base_url()),
                bearer.clone(),
            )
            .await,
            chatbotx_contacts: get(
                format!("{}/v1/contacts?perPage=50&page=1", chatbotx.base_url()),
                bearer,
            )
            .await,
        }
    })
}

/// Checks that each page holds what it should, so that a change in the
/// fakes cannot quietly shrink the benchmark.
fn check(pages: &Pages) {
    let cw: chatwoot::types::ConversationList = typed(&pages.chatwoot_conversations);
    assert_eq!(cw.data.payload.len(), 25);
    let cbx: chatbotx::types::ConversationList = typed(&pages.chatbotx_conversations);
    assert_eq!(cbx.data.len(), 100);
    let contacts: chatbotx::types::ContactList = typed(&pages.chatbotx_contacts);
    assert_eq!(contacts.data.len(), 50);
}

/// The ISO-8601 times of `page` (string values of keys ending in `At`), as
/// a JSON array.
fn iso_times(page: &[u8]) -> Vec<u8> {
    fn walk(value: &serde_json::Value, out: &mut Vec<String>) {
        match value {
            serde_json::Value::Object(map) => {
                for (key, v) in map {
                    if let (true, Some(text)) = (key.ends_with("At"), v.as_str()) {
                        out.push(text.to_string());
                    }
                    walk(v, out);
                }
            }
            serde_json::Value::Array(items) => items.iter().for_each(|v| walk(v, out)),
            _ => {}
        }
    }
    let mut times = Vec::new();
    walk(&serde_json::from_slice(page).unwrap(), &mut times);
    assert!(times.len() > 100, "only {} times", times.len());
    serde_json::to_vec(&times).unwrap()
}

fn typed<T: DeserializeOwned>(body: &[u8]) -> T {
    serde_json::from_slice(body).unwrap()
}

fn library<T: DeserializeOwned>(platform: Platform, body: &[u8]) -> T {
    chatdesk::error::decode(platform, "listing", body).unwrap()
}

fn path_tracked<T: DeserializeOwned>(body: &[u8]) -> T {
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    serde_path_to_error::deserialize(&mut deserializer).unwrap()
}

/// A decoder: decodes the body and drops the result (both inside the
/// timing, as in a real walk).
type Decoder = fn(&[u8]);

fn value(body: &[u8]) {
    drop(black_box(typed::<serde_json::Value>(body)));
}

fn path_value(body: &[u8]) {
    drop(black_box(path_tracked::<serde_json::Value>(body)));
}

fn ignored(body: &[u8]) {
    black_box(typed::<IgnoredAny>(body));
}

/// One page and the ways to decode it; the first decoder is the baseline
/// of the ratios.
struct Case {
    group: &'static str,
    body: Vec<u8>,
    decoders: Vec<(&'static str, Decoder)>,
    /// Whether the typed/value and library/value targets apply.
    targets: bool,
}

fn cases(pages: Pages) -> Vec<Case> {
    let times = iso_times(&pages.chatbotx_conversations);
    vec![
        Case {
            group: "chatwoot_25_conversations",
            body: pages.chatwoot_conversations,
            decoders: vec![
                ("value", value),
                ("typed", |b| {
                    drop(black_box(typed::<chatwoot::types::ConversationList>(b)));
                }),
                ("library", |b| {
                    let list: chatwoot::types::ConversationList = library(Platform::Chatwoot, b);
                    drop(black_box(list));
                }),
                ("path_value", path_value),
                ("ignored", ignored),
            ],
            targets: true,
        },
        Case {
            group: "chatbotx_100_conversations",
            body: pages.chatbotx_conversations,
            decoders: vec![
                ("value", value),
                ("typed", |b| {
                    drop(black_box(typed::<chatbotx::types::ConversationList>(b)));
                }),
                ("library", |b| {
                    let list: chatbotx::types::ConversationList = library(Platform::Chatbotx, b);
                    drop(black_box(list));
                }),
                ("path_value", path_value),
                ("ignored", ignored),
            ],
            targets: true,
        },
        Case {
            group: "chatbotx_50_contacts",
            body: pages.chatbotx_contacts,
            decoders: vec![
                ("value", value),
                ("typed", |b| {
                    drop(black_box(typed::<chatbotx::types::ContactList>(b)));
                }),
                ("library", |b| {
                    let list: chatbotx::types::ContactList = library(Platform::Chatbotx, b);
                    drop(black_box(list));
                }),
                ("path_value", path_value),
                ("ignored", ignored),
            ],
            targets: true,
        },
        Case {
            group: "chatbotx_page_iso_times",
            body: times,
            decoders: vec![
                ("string", |b| drop(black_box(typed::<Vec<String>>(b)))),
                ("timestamp", |b| drop(black_box(typed::<Vec<Timestamp>>(b)))),
            ],
            targets: false,
        },
    ]
}

fn main() {
    let pages = fetch_pages();
    check(&pages);
    let cases = cases(pages);

    let mut criterion = Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
        .configure_from_args();
    for case in &cases {
        let mut group = criterion.benchmark_group(format!("decode/{}", case.group));
        group.throughput(Throughput::Bytes(case.body.len() as u64));
        for &(name, decode) in &case.decoders {
            let body = case.body.as_slice();
            group.bench_function(name, |b| b.iter(|| decode(black_box(body))));
        }
        group.finish();
    }
    criterion.final_summary();

    // As criterion decides: `cargo bench` passes `--bench`; `cargo test
    // --benches` does not, and runs each benchmark once, with no figures.
    let args: Vec<String> = std::env::args().collect();
    let has = |flag: &str| {
        args.iter()
            .any(|a| a == flag || a.starts_with(&format!("{flag}=")))
    };
    if !has("--bench") || has("--test") || has("--list") || has("--profile-time") {
        return;
    }
    println!();
    println!(
        "== decode summary: {ROUNDS} alternating rounds; median µs per page, and median of the per-round ratios to the first decoder =="
    );
    let mut figures = Vec::new();
    for case in &cases {
        let result = alternate(case);
        let rows: Vec<String> = case
            .decoders
            .iter()
            .zip(&result)
            .map(|((name, _), (time, ratio))| format!("{name} {:.0} µs ({ratio:.2}x)", time * 1e6))
            .collect();
        println!(
            "{} ({} bytes): {}",
            case.group,
            case.body.len(),
            rows.join(", ")
        );
        if case.targets {
            for (i, (name, _)) in case.decoders.iter().enumerate() {
                if matches!(*name, "typed" | "library") {
                    figures.push(format!(
                        "FIGURE decode {} {name}/value: {:.2}x ({:.0} µs vs {:.0} µs), target <= 1.00x: {}",
                        case.group,
                        result[i].1,
                        result[i].0 * 1e6,
                        result[0].0 * 1e6,
                        if result[i].1 <= 1.0 { "PASS" } else { "FAIL" }
                    ));
                }
            }
        }
    }
    for line in figures {
        println!("{line}");
    }
}

/// Runs the decoders of `case` in turn, [`ROUNDS`] times, each for about
/// [`BATCH`] per round; gives each decoder's median time per call (s) and
/// median ratio to the first decoder's time in the same round.
fn alternate(case: &Case) -> Vec<(f64, f64)> {
    let body = case.body.as_slice();
    let calls: Vec<u32> = case
        .decoders
        .iter()
        .map(|&(_, decode)| {
            let started = Instant::now();
            decode(black_box(body));
            let once = started.elapsed().max(Duration::from_micros(1));
            (BATCH.as_secs_f64() / once.as_secs_f64()).clamp(1.0, 100_000.0) as u32
        })
        .collect();
    let mut times = vec![Vec::with_capacity(ROUNDS); case.decoders.len()];
    for _ in 0..ROUNDS {
        for (i, &(_, decode)) in case.decoders.iter().enumerate() {
            let started = Instant::now();
            for _ in 0..calls[i] {
                decode(black_box(body));
            }
            times[i].push(started.elapsed().as_secs_f64() / f64::from(calls[i]));
        }
    }
    let base = times[0].clone();
    times
        .iter()
        .map(|t| {
            let ratios: Vec<f64> = t.iter().zip(&base).map(|(a, b)| a / b).collect();
            (median(t.clone()), median(ratios))
        })
        .collect()
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values[values.len() / 2]
}
