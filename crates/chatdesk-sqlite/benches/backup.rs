//! The backup engine into SQLite files, against a fake Chatwoot account of
//! 2,000 conversations (about 30 messages each: 60,000 messages in all)
//! and 5,000 contacts besides those of the conversations.
//!
//! (1) Rate limit: the fake answers 429 beyond 3,000 requests per minute
//!     (a fixed window, Chatwoot's default), the client limits itself with
//!     `RateLimit::chatwoot()`. Targets: wall time at most 1.10x the
//!     requests divided by the limit (50 a second), and no 429.
//! (2) Latency: 20 ms per request, no limit on either side (a client's
//!     rate limit is off unless set). The default concurrency (32
//!     listings at once) against `with_concurrency(1)`. Target: at least
//!     10x faster. The concurrency option is the number of listings walked
//!     at once (messages of conversations, members of teams) and the pages
//!     of a numbered listing fetched at once (conversations, contacts): 1
//!     is a sequential backup.
//! (3) Sync: after the full backup of (2), 20 conversations (1 %) change,
//!     10 by a new message and 10 by a status change, and the backup runs
//!     again on the same store. Target: its requests at most 2 % of the
//!     full backup's.
//!
//! The fake server runs on its own 2-worker runtime and thread, the backup
//! on another; each run gets a fresh fake, client and SQLite file in a
//! temporary directory. The rows alternate run by run ([`RUNS`], or
//! `BACKUP_RUNS`). Each row also gives the CPU seconds of the backup's
//! threads and of the fake's (from `/proc/self/task/*/schedstat`). Peak
//! memory is `examples/backup_rss.rs`, in a process of its own.
//!
//! ```text
//! cargo bench -p chatdesk-sqlite --bench backup
//! ```
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::future::Future;
use std::time::{Duration, Instant};

use chatdesk::backup::{ChatwootBackup, MemoryStore, Options, Progress, Report, Status, Store};
use chatdesk::rate_limit::RateLimit;
use chatdesk_fake::{FakeChatwoot, Faults, RateLimitFault, RunningFake};
use chatdesk_sqlite::SqliteStore;

const CONVERSATIONS: usize = 2_000;
const MESSAGES_PER_CONVERSATION: usize = 30;
const CONTACTS: usize = 5_000;
/// Runs of each row, unless `BACKUP_RUNS` says otherwise.
const RUNS: usize = 2;
/// The fake's limit: requests per window (Chatwoot's default). With
/// `BACKUP_WINDOW_SECS=N` both sides count in windows of N seconds at the
/// same rate (`LIMIT * N / 60` per window), which makes the client wait
/// many times in one backup instead of once.
const LIMIT: u32 = 3_000;
const WINDOW: Duration = Duration::from_secs(60);

/// The limit and window of row (1).
fn rate_window() -> (u32, Duration) {
    let secs: u64 = std::env::var("BACKUP_WINDOW_SECS")
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|s| *s > 0)
        .unwrap_or(WINDOW.as_secs());
    let limit = u32::try_from(u64::from(LIMIT) * secs / WINDOW.as_secs()).unwrap_or(LIMIT);
    (limit.max(1), Duration::from_secs(secs))
}
const LATENCY: Duration = Duration::from_millis(20);
/// Conversations changed before the sync.
const CHANGED: usize = 20;
/// The name of the fake server's threads.
const SERVER_THREAD: &str = "fake-server";

/// A fake server on its own runtime in its own thread; stops when dropped.
struct Served {
    fake: Option<RunningFake>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Served {
    fn start<F, Fut>(start: F) -> Served
    where
        F: FnOnce() -> Fut + Send + 'static,
        Fut: Future<Output = std::io::Result<RunningFake>>,
    {
        let (ready, started) = std::sync::mpsc::channel();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let thread = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .thread_name(SERVER_THREAD)
                .enable_all()
                .build()
                .unwrap();
            runtime.block_on(async move {
                ready.send(start().await.unwrap()).unwrap();
                let _ = stopped.await;
            });
        });
        Served {
            fake: Some(started.recv().unwrap()),
            stop: Some(stop),
            thread: Some(thread),
        }
    }

    fn fake(&self) -> &RunningFake {
        self.fake.as_ref().unwrap()
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        drop(self.fake.take());
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// CPU seconds so far of this process's threads: (backup, fake server).
fn cpu_times() -> (f64, f64) {
    let (mut client, mut server) = (0u64, 0u64);
    let Ok(tasks) = std::fs::read_dir("/proc/self/task") else {
        return (0.0, 0.0);
    };
    for task in tasks.flatten() {
        let path = task.path();
        let name = std::fs::read_to_string(path.join("comm")).unwrap_or_default();
        let nanos = std::fs::read_to_string(path.join("schedstat"))
            .ok()
            .and_then(|s| s.split_whitespace().next()?.parse::<u64>().ok())
            .unwrap_or(0);
        if name.trim() == SERVER_THREAD {
            server += nanos;
        } else {
            client += nanos;
        }
    }
    (client as f64 / 1e9, server as f64 / 1e9)
}

/// A fake account of the bench's size with `faults`.
fn serve(faults: Faults) -> Served {
    Served::start(move || {
        FakeChatwoot::builder()
            .conversations(CONVERSATIONS)
            .messages_per_conversation(MESSAGES_PER_CONVERSATION)
            .contacts(CONTACTS)
            .faults(faults)
            .start()
    })
}

fn client(fake: &RunningFake, limit: Option<RateLimit>) -> chatdesk::chatwoot::Client {
    let mut builder = chatdesk::chatwoot::Client::builder()
        .base_url(fake.base_url())
        .api_access_token(fake.token());
    if let Some(limit) = limit {
        builder = builder.rate_limit(limit);
    }
    builder.build().unwrap()
}

/// Keeps the last status a run reported: its pages per resource.
#[derive(Default)]
struct Last(Status);

impl Progress for Last {
    fn update(&mut self, status: &Status) {
        self.0 = status.clone();
    }
}

/// One backup run: its report, last status, wall seconds and CPU seconds
/// (backup, fake).
struct Timed {
    report: Report,
    status: Status,
    seconds: f64,
    cpu: (f64, f64),
}

impl Timed {
    /// Requests (pages) by resource, as `name pages/items`.
    fn pages(&self) -> String {
        self.status
            .resources
            .iter()
            .filter(|r| r.pages > 0)
            .map(|r| format!("{} {}/{}", r.name, r.pages, r.items))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

fn backup<S: Store>(
    runtime: &tokio::runtime::Runtime,
    client: chatdesk::chatwoot::Client,
    store: &mut S,
    options: Options,
) -> Timed {
    let cpu_before = cpu_times();
    let mut last = Last::default();
    let started = Instant::now();
    let report = runtime
        .block_on(
            ChatwootBackup::new(client, 1)
                .options(options)
                .run(store, &mut last),
        )
        .unwrap();
    let seconds = started.elapsed().as_secs_f64();
    let cpu_after = cpu_times();
    Timed {
        report,
        status: last.0,
        seconds,
        cpu: (cpu_after.0 - cpu_before.0, cpu_after.1 - cpu_before.1),
    }
}

fn messages(report: &Report) -> u64 {
    report.items.get("messages").copied().unwrap_or(0)
}

/// The median; of an even count, the mean of the middle two.
fn median(values: &[f64]) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let n = sorted.len();
    if n.is_multiple_of(2) {
        (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0
    } else {
        sorted[n / 2]
    }
}

fn list(values: &[f64], digits: usize) -> String {
    values
        .iter()
        .map(|v| format!("{v:.digits$}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn verdict(pass: bool) -> &'static str {
    if pass { "PASS" } else { "FAIL" }
}

fn main() {
    // `cargo test --benches` runs benches without `--bench`: too long for
    // a test run.
    if !std::env::args().any(|a| a == "--bench") {
        println!("skipped: run with `cargo bench -p chatdesk-sqlite --bench backup`");
        return;
    }
    let runs: usize = std::env::var("BACKUP_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(RUNS)
        .max(1);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("backup")
        .enable_all()
        .build()
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut file = 0;
    let mut store = || {
        file += 1;
        SqliteStore::open(dir.path().join(format!("backup-{file}.db"))).unwrap()
    };
    println!(
        "Chatwoot account: {CONVERSATIONS} conversations, messages_per_conversation({MESSAGES_PER_CONVERSATION}), contacts({CONTACTS}); {runs} runs per row, alternating"
    );
    println!(
        "machine: {} cores, {}",
        std::thread::available_parallelism().map_or(0, |n| n.get()),
        std::fs::read_to_string("/proc/cpuinfo")
            .unwrap_or_default()
            .lines()
            .find_map(|l| l
                .strip_prefix("model name")
                .map(|m| m.trim_start_matches([' ', '\t', ':']).to_owned()))
            .unwrap_or_default()
    );

    let mut limited = Vec::new();
    let mut concurrent = Vec::new();
    let mut sequential = Vec::new();
    let mut syncs = Vec::new();
    // `BACKUP_ONLY=concurrent`: the concurrent rows alone, for quick looks.
    let latency_only = std::env::var("BACKUP_ONLY").is_ok_and(|v| v == "concurrent");
    // `BACKUP_ONLY=limited`: row (1) alone.
    let limited_only = std::env::var("BACKUP_ONLY").is_ok_and(|v| v == "limited");
    let (limit, window) = rate_window();
    let mut in_memory = Vec::new();
    for run in 1..=runs {
        if !latency_only {
            // (1) The fake's fixed window against the client's sliding one.
            let served = serve(Faults {
                rate_limit: Some(RateLimitFault {
                    requests: limit,
                    window,
                }),
                ..Faults::default()
            });
            let timed = backup(
                &runtime,
                client(
                    served.fake(),
                    Some(if window == WINDOW {
                        RateLimit::chatwoot()
                    } else {
                        RateLimit::new(limit, window).unwrap()
                    }),
                ),
                &mut store(),
                Options::default(),
            );
            let stats = served.fake().stats();
            println!(
                "run {run}: rate-limited full backup {:.2} s, {} requests ({} retries), fake: {} requests, {} answered 429; {} messages",
                timed.seconds,
                timed.report.requests,
                timed.report.retries,
                stats.requests,
                stats.rate_limited,
                messages(&timed.report)
            );
            limited.push((timed, stats));
            drop(served);
        }
        if limited_only {
            continue;
        }

        // (2) and (3): latency, concurrent then sequential, and a sync
        // after the concurrent backup.
        let latency = Faults {
            latency: LATENCY,
            ..Faults::default()
        };
        let served = serve(latency.clone());
        let fake = served.fake();
        let mut synced = store();
        let full = backup(
            &runtime,
            client(fake, None),
            &mut synced,
            Options::default(),
        );
        println!(
            "run {run}: concurrent full backup {:.2} s, {} requests; {} messages",
            full.seconds,
            full.report.requests,
            messages(&full.report)
        );
        let ids = fake.all_conversation_ids();
        let step = ids.len() / CHANGED;
        for (n, id) in ids.iter().step_by(step.max(1)).take(CHANGED).enumerate() {
            if n.is_multiple_of(2) {
                fake.add_message(id).unwrap();
            } else {
                // Two changes, so that one is a change whatever the
                // status was.
                assert!(fake.set_conversation_status(id, "pending"));
                assert!(fake.set_conversation_status(id, "resolved"));
            }
        }
        let sync = backup(
            &runtime,
            client(fake, None),
            &mut synced,
            Options::default(),
        );
        println!(
            "run {run}: sync after {CHANGED} changed conversations {:.2} s, {} requests ({:?}); items {:?}",
            sync.seconds, sync.report.requests, sync.report.kind, sync.report.items
        );
        drop(synced);

        // The same backup into the library's in-memory store: what the
        // SQLite commits cost.
        let memory = backup(
            &runtime,
            client(fake, None),
            &mut MemoryStore::new(),
            Options::default(),
        );
        println!(
            "run {run}: concurrent full backup into memory {:.2} s, {} requests",
            memory.seconds, memory.report.requests
        );
        in_memory.push(memory);
        drop(served);
        if latency_only {
            concurrent.push(full);
            continue;
        }

        let served = serve(latency);
        let seq = backup(
            &runtime,
            client(served.fake(), None),
            &mut store(),
            Options::default().with_concurrency(1),
        );
        println!(
            "run {run}: sequential full backup {:.2} s, {} requests; {} messages",
            seq.seconds,
            seq.report.requests,
            messages(&seq.report)
        );
        drop(served);
        syncs.push((sync, full.report.requests));
        concurrent.push(full);
        sequential.push(seq);
    }

    println!();
    if latency_only {
        let conc: Vec<f64> = concurrent.iter().map(|t| t.seconds).collect();
        let mem: Vec<f64> = in_memory.iter().map(|t| t.seconds).collect();
        println!(
            "concurrent into SQLite: {} s; into memory: {} s",
            list(&conc, 2),
            list(&mem, 2)
        );
        for t in concurrent.iter().chain(&in_memory) {
            println!("  CPU (backup, fake): ({:.2}, {:.2})", t.cpu.0, t.cpu.1);
        }
        return;
    }
    println!("| figure | runs | median | target | |");
    println!("| --- | --- | --- | --- | --- |");
    let ideal: Vec<f64> = limited
        .iter()
        .map(|(t, _)| t.report.requests as f64 * window.as_secs_f64() / f64::from(limit))
        .collect();
    let ratios: Vec<f64> = limited
        .iter()
        .zip(&ideal)
        .map(|((t, _), ideal)| t.seconds / ideal)
        .collect();
    let walls: Vec<f64> = limited.iter().map(|(t, _)| t.seconds).collect();
    println!(
        "| (1) wall time, {limit} per {} s both sides (s) | {} | {:.2} | | |",
        window.as_secs(),
        list(&walls, 2),
        median(&walls)
    );
    println!(
        "| (1) requests ÷ limit (s) | {} | {:.2} | | |",
        list(&ideal, 2),
        median(&ideal)
    );
    println!(
        "| (1) wall ÷ (requests ÷ limit) | {} | {:.3}x | ≤ 1.10x | {} |",
        list(&ratios, 3),
        median(&ratios),
        verdict(median(&ratios) <= 1.10)
    );
    let rejected: Vec<f64> = limited.iter().map(|(_, s)| s.rate_limited as f64).collect();
    println!(
        "| (1) 429 answers | {} | {:.0} | 0 | {} |",
        list(&rejected, 0),
        median(&rejected),
        verdict(rejected.iter().all(|r| *r == 0.0))
    );
    if limited_only {
        println!("  (1) {}", limited[0].0.pages());
        return;
    }
    let conc: Vec<f64> = concurrent.iter().map(|t| t.seconds).collect();
    let seq: Vec<f64> = sequential.iter().map(|t| t.seconds).collect();
    let mem: Vec<f64> = in_memory.iter().map(|t| t.seconds).collect();
    println!(
        "| (2) concurrent into `MemoryStore`, 20 ms (s) | {} | {:.2} | | |",
        list(&mem, 2),
        median(&mem)
    );
    println!(
        "| (2) concurrent (32), 20 ms (s) | {} | {:.2} | | |",
        list(&conc, 2),
        median(&conc)
    );
    println!(
        "| (2) sequential (1), 20 ms (s) | {} | {:.2} | | |",
        list(&seq, 2),
        median(&seq)
    );
    let speedups: Vec<f64> = seq.iter().zip(&conc).map(|(s, c)| s / c).collect();
    println!(
        "| (2) sequential ÷ concurrent | {} | {:.1}x | ≥ 10x | {} |",
        list(&speedups, 1),
        median(&speedups),
        verdict(median(&speedups) >= 10.0)
    );
    let shares: Vec<f64> = syncs
        .iter()
        .map(|(s, full)| 100.0 * s.report.requests as f64 / *full as f64)
        .collect();
    let sync_requests: Vec<f64> = syncs
        .iter()
        .map(|(s, _)| s.report.requests as f64)
        .collect();
    println!(
        "| (3) sync requests | {} | {:.0} | | |",
        list(&sync_requests, 0),
        median(&sync_requests)
    );
    println!(
        "| (3) sync ÷ full backup requests (%) | {} | {:.2} % | ≤ 2 % | {} |",
        list(&shares, 2),
        median(&shares),
        verdict(median(&shares) <= 2.0)
    );
    println!();
    println!("pages/items by resource, first run:");
    println!("  (1) {}", limited[0].0.pages());
    println!("  (2) concurrent: {}", concurrent[0].pages());
    println!("  (2) sequential: {}", sequential[0].pages());
    println!("  (3) sync: {}", syncs[0].0.pages());
    println!();
    println!("CPU seconds per run (backup threads, fake threads):");
    for (name, rows) in [
        (
            "(1) rate-limited",
            limited.iter().map(|(t, _)| t).collect::<Vec<_>>(),
        ),
        ("(2) concurrent", concurrent.iter().collect()),
        ("(2) sequential", sequential.iter().collect()),
        ("(2) into memory", in_memory.iter().collect()),
        ("(3) sync", syncs.iter().map(|(s, _)| s).collect()),
    ] {
        let cpu: Vec<String> = rows
            .iter()
            .map(|t| format!("({:.2}, {:.2})", t.cpu.0, t.cpu.1))
            .collect();
        println!("  {name}: {}", cpu.join(", "));
    }
}
