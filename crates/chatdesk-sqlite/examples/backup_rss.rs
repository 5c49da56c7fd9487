//! Peak memory of a Chatwoot backup into SQLite, for `BENCHMARKS.md` (see
//! `benches/backup.sh`). The fake server runs in a child process (this
//! program's `serve` mode), so that its data set does not count; the
//! backup runs here and prints its own peak resident memory (`VmHWM` of
//! `/proc/self/status`) at the end, with its counts and time.
//!
//! ```text
//! # backs up 2,000 conversations of about 56 messages (about 100,000
//! # messages) and 5,000 contacts into a temporary SQLite file:
//! cargo run --release -p chatdesk-sqlite --example backup_rss -- [CONVERSATIONS] [MESSAGES_PER_CONVERSATION] [CONTACTS]
//! # the child it starts, which serves the account until killed:
//! cargo run --release -p chatdesk-sqlite --example backup_rss -- serve CONVERSATIONS MESSAGES_PER_CONVERSATION CONTACTS
//! ```
//!
//! One line of output: messages, items, requests, wall seconds, the
//! backup's peak RSS in MB, and PASS/FAIL against 64 MB.

use std::process::Stdio;
use std::time::Instant;

use chatdesk::backup::{ChatwootBackup, Options};
use chatdesk_fake::FakeChatwoot;
use chatdesk_sqlite::SqliteStore;
use tokio::io::{AsyncBufReadExt, BufReader};

/// The target: peak RSS under this many MB.
const TARGET_MB: f64 = 64.0;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let serving = args.first().is_some_and(|a| a == "serve");
    let sizes = if serving { &args[1..] } else { &args[..] };
    let size = |i: usize, default: usize| -> Result<usize, std::num::ParseIntError> {
        sizes.get(i).map_or(Ok(default), |s| s.parse())
    };
    // A conversation has between half and 1.5 times this many messages,
    // except one in ten, which has none: 56 gives about 100,000.
    let (conversations, per_conversation, contacts) =
        (size(0, 2_000)?, size(1, 56)?, size(2, 5_000)?);
    if serving {
        let fake = FakeChatwoot::builder()
            .conversations(conversations)
            .messages_per_conversation(per_conversation)
            .contacts(contacts)
            .start()
            .await?;
        println!("{} {}", fake.base_url(), fake.token());
        std::future::pending::<()>().await;
        return Ok(());
    }

    let mut server = tokio::process::Command::new(std::env::current_exe()?)
        .args([
            "serve",
            &conversations.to_string(),
            &per_conversation.to_string(),
            &contacts.to_string(),
        ])
        .stdout(Stdio::piped())
        .kill_on_drop(true)
        .spawn()?;
    let stdout = server
        .stdout
        .take()
        .ok_or("the server's output is not piped")?;
    let line = BufReader::new(stdout)
        .lines()
        .next_line()
        .await?
        .ok_or("the fake server ended before it started")?;
    let (url, token) = line
        .split_once(' ')
        .ok_or("the fake server printed no URL and token")?;
    let client = chatdesk::chatwoot::Client::builder()
        .base_url(url)
        .api_access_token(token)
        .build()?;

    let dir = tempfile::tempdir()?;
    let mut store = SqliteStore::open(dir.path().join("backup.db"))?;
    let started = Instant::now();
    let report = ChatwootBackup::new(client, 1)
        .options(Options::default())
        .run(&mut store, &mut ())
        .await?;
    let seconds = started.elapsed().as_secs_f64();
    let peak_kb = peak_rss_kb()?;
    server.kill().await?;
    drop(store);
    let db_mb = std::fs::metadata(dir.path().join("backup.db"))?.len() as f64 / 1e6;

    let messages = report.items.get("messages").copied().unwrap_or(0);
    let items: u64 = report.items.values().sum();
    let peak_mb = peak_kb as f64 / 1024.0;
    println!(
        "messages={messages} items={items} requests={} wall_s={seconds:.2} db_mb={db_mb:.1} peak_rss_mb={peak_mb:.1} {}",
        report.requests,
        if peak_mb < TARGET_MB {
            "PASS"
        } else {
            "FAIL (over 64 MB)"
        }
    );
    Ok(())
}

/// This process's peak resident set size in kB (`VmHWM`).
fn peak_rss_kb() -> Result<u64, Box<dyn std::error::Error>> {
    let status = std::fs::read_to_string("/proc/self/status")?;
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmHWM:"))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        .ok_or_else(|| "no VmHWM in /proc/self/status".into())
}
