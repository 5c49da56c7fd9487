//! How long the fake servers take to generate their data sets and start,
//! through the public `chatdesk-fake` API: the figure the unit tests used
//! to assert (a wall-clock limit that failed on busy hosts), measured here
//! instead.
//!
//! - ChatbotX: 100,000 conversations over 20,000 contacts (5 messages
//!   each), and the 10,000 / 10,000 set the tests use.
//! - Chatwoot: 100,000 conversations, and 10,000.
//!
//! Each size is generated [`RUNS`] times on a current-thread tokio
//! runtime (`builder().start()`: generation, sorting, binding the port);
//! the figures are the median and the fastest run, with the items per
//! second of the median. Each run checks what it got (the counts of the
//! listings), so a fast but wrong generator shows.
//!
//! `cargo test --benches` (which does not pass `--bench`) generates one
//! small set of each kind as a smoke test and prints no figures.
//!
//! ```text
//! cargo bench -p chatdesk-fake --bench fake_generation
//! ```
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::time::{Duration, Instant};

use chatdesk_fake::{FakeChatbotx, FakeChatwoot, RunningFake};

/// Generations per size.
const RUNS: usize = 5;

/// One data set to generate.
#[derive(Clone, Copy)]
enum Set {
    Chatbotx {
        conversations: usize,
        contacts: usize,
    },
    Chatwoot {
        conversations: usize,
    },
}

impl Set {
    fn label(self) -> String {
        match self {
            Set::Chatbotx {
                conversations,
                contacts,
            } => format!("chatbotx {conversations} conversations / {contacts} contacts"),
            Set::Chatwoot { conversations } => format!("chatwoot {conversations} conversations"),
        }
    }

    /// Conversations plus contacts: what "items per second" counts.
    fn items(self) -> usize {
        match self {
            Set::Chatbotx {
                conversations,
                contacts,
            } => conversations + contacts,
            Set::Chatwoot { conversations } => conversations,
        }
    }

    async fn start(self) -> RunningFake {
        match self {
            Set::Chatbotx {
                conversations,
                contacts,
            } => FakeChatbotx::builder()
                .conversations(conversations)
                .contacts(contacts)
                .start()
                .await
                .unwrap(),
            Set::Chatwoot { conversations } => FakeChatwoot::builder()
                .conversations(conversations)
                .start()
                .await
                .unwrap(),
        }
    }

    /// Checks the generated set against what was asked for.
    fn check(self, fake: &RunningFake) {
        match self {
            Set::Chatbotx {
                conversations,
                contacts,
            } => {
                assert_eq!(fake.conversation_ids().len(), conversations);
                assert_eq!(fake.contact_ids().len(), contacts);
                assert!(fake.all_conversation_ids().len() > conversations);
            }
            Set::Chatwoot { conversations } => {
                assert_eq!(fake.conversation_ids().len(), conversations);
            }
        }
    }
}

/// Generates `set` `runs` times: the wall time of each `start()`.
fn time(runtime: &tokio::runtime::Runtime, set: Set, runs: usize) -> Vec<Duration> {
    (0..runs)
        .map(|_| {
            let started = Instant::now();
            let fake = runtime.block_on(set.start());
            let elapsed = started.elapsed();
            set.check(&fake);
            drop(fake);
            // Let the stopped server's task run to its end and free its
            // data set: a current-thread runtime only runs it inside
            // `block_on`, and the next `start()` may finish without
            // yielding, which kept every earlier set alive.
            runtime.block_on(async { tokio::time::sleep(Duration::from_millis(20)).await });
            elapsed
        })
        .collect()
}

fn main() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    if !std::env::args().any(|a| a == "--bench") {
        for set in [
            Set::Chatbotx {
                conversations: 1_000,
                contacts: 200,
            },
            Set::Chatwoot {
                conversations: 1_000,
            },
        ] {
            time(&runtime, set, 1);
        }
        println!(
            "smoke test only: run with `cargo bench -p chatdesk-fake --bench fake_generation`"
        );
        return;
    }
    println!(
        "machine: {} cores; {RUNS} runs per size, current-thread runtime; median (fastest)",
        std::thread::available_parallelism().map_or(0, usize::from)
    );
    for set in [
        Set::Chatbotx {
            conversations: 100_000,
            contacts: 20_000,
        },
        Set::Chatbotx {
            conversations: 10_000,
            contacts: 10_000,
        },
        Set::Chatwoot {
            conversations: 100_000,
        },
        Set::Chatwoot {
            conversations: 10_000,
        },
    ] {
        let mut times = time(&runtime, set, RUNS);
        times.sort();
        let median = times[times.len() / 2];
        let per_second = set.items() as f64 / median.as_secs_f64();
        println!(
            "{:<52} {:>9.1} ms ({:>7.1} ms)  {:>10.0} items/s",
            set.label(),
            median.as_secs_f64() * 1e3,
            times[0].as_secs_f64() * 1e3,
            per_second
        );
    }
}
