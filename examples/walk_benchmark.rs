//! Measures a full walk of a listing against a fake server in another
//! process, for `BENCHMARKS.md` (see `benches/walks.sh`, which runs the
//! walker under `/usr/bin/time -v` for its peak memory).
//!
//! ```text
//! # one process serves 10,000 conversations with 20 ms per request:
//! cargo run --release --example walk_benchmark -- serve chatwoot 10000 20 [share-of-429]
//! # another walks them and prints one JSON line of figures:
//! cargo run --release --example walk_benchmark -- walk chatwoot-conversations URL TOKEN [concurrency] [per-page]
//! ```

use std::time::{Duration, Instant};

use chatdesk::{chatbotx, chatwoot};
use chatdesk_fake::{FakeChatbotx, FakeChatwoot, Faults};
use futures::StreamExt;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let arg = |i: usize| args.get(i).map(String::as_str);
    match (arg(0), arg(1)) {
        (Some("serve"), Some(platform)) => {
            let items: usize = arg(2).unwrap_or("10000").parse()?;
            let latency = Duration::from_millis(arg(3).unwrap_or("20").parse()?);
            // A share of requests answered 429 (retried by the client).
            let burst_429_rate: f64 = arg(4).unwrap_or("0").parse()?;
            let faults = Faults {
                latency,
                burst_429_rate,
                ..Faults::default()
            };
            let fake = match platform {
                "chatwoot" => FakeChatwoot::builder().conversations(items).faults(faults).start().await?,
                _ => {
                    FakeChatbotx::builder()
                        .conversations(items)
                        .contacts(items)
                        .messages_per_contact(1)
                        .faults(faults)
                        .start()
                        .await?
                }
            };
            println!("{} {}", fake.base_url(), fake.token());
            // Serve until killed.
            std::future::pending::<()>().await;
            Ok(())
        }
        (Some("walk"), Some(listing)) => {
            let (Some(url), Some(token)) = (arg(2), arg(3)) else {
                return Err("walk needs LISTING URL TOKEN".into());
            };
            let concurrency: Option<usize> = arg(4).map(str::parse).transpose()?;
            let per_page: Option<i64> = arg(5).map(str::parse).transpose()?;
            let started = Instant::now();
            let (items, errors, stats) = match listing {
                "chatwoot-conversations" => {
                    let client = chatwoot::Client::builder().base_url(url).api_access_token(token).build()?;
                    let mut request = client.conversations(1).status(chatwoot::Status::All);
                    if let Some(c) = concurrency {
                        request = request.concurrency(c);
                    }
                    let (items, errors) = count(request.stream()).await;
                    (items, errors, client.stats().clone())
                }
                "chatbotx-conversations" => {
                    let client = chatbotx::Client::builder().base_url(url).token(token).build()?;
                    let mut request = client.conversations();
                    if let Some(p) = per_page {
                        request = request.per_page(p);
                    }
                    let (items, errors) = count(request.stream()).await;
                    (items, errors, client.stats().clone())
                }
                "chatbotx-contacts" => {
                    let client = chatbotx::Client::builder().base_url(url).token(token).build()?;
                    let mut request = client.contacts();
                    if let Some(c) = concurrency {
                        request = request.concurrency(c);
                    }
                    let (items, errors) = count(request.stream()).await;
                    (items, errors, client.stats().clone())
                }
                other => return Err(format!("unknown listing {other}").into()),
            };
            println!(
                "{{\"listing\":\"{listing}\",\"concurrency\":{},\"per_page\":{},\"items\":{items},\"errors\":{errors},\"seconds\":{:.3},\"requests\":{},\"retries\":{}}}",
                concurrency.map_or("\"default\"".to_string(), |c| c.to_string()),
                per_page.map_or("\"default\"".to_string(), |p| p.to_string()),
                started.elapsed().as_secs_f64(),
                stats.requests(),
                stats.retries()
            );
            Ok(())
        }
        _ => Err("usage: walk_benchmark serve PLATFORM [ITEMS] [LATENCY_MS] [SHARE_OF_429] | walk LISTING URL TOKEN [CONCURRENCY] [PER_PAGE]".into()),
    }
}

async fn count<T>(mut stream: chatdesk::paginate::ItemStream<T>) -> (u64, u64) {
    let (mut items, mut errors) = (0, 0);
    while let Some(item) = stream.next().await {
        match item {
            Ok(_) => items += 1,
            Err(e) => {
                eprintln!("{e}");
                errors += 1;
            }
        }
    }
    (items, errors)
}
