#![allow(clippy::unwrap_used, clippy::expect_used)]

//! The `chatdesk` command-line tool against fake servers on 127.0.0.1: each
//! subcommand's output is the data set, item for item as the server sent
//! it; filters reach the wire; `--max-items`; kill-and-resume with
//! `--checkpoint` loses and repeats nothing; every failure has its exit code
//! and a message that says what to do, and leaves only whole items; the
//! token never shows.

// The library's test helpers: the same local servers and request views.
#[path = "../../../tests/common/mod.rs"]
mod common;

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::{Child, Output, Stdio};
use std::time::{Duration, Instant};

use chatdesk_fake::{FakeChatbotx, FakeChatwoot, Faults, RunningFake};
use common::*;
use serde_json::Value;
use wiremock::matchers::{any, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

const CHATWOOT_TOKEN: &str = "cw-cli-secret-token-6b1f";
const CHATBOTX_TOKEN: &str = "cbx_ws_cli_secret_token_93ad";
/// The export of every conversation of the fake Chatwoot's account.
const EVERY_CHATWOOT_CONVERSATION: [&str; 6] = [
    "chatwoot",
    "conversations",
    "--account-id",
    "1",
    "--status",
    "all",
];

/// The `chatdesk` command with a clean environment: no platform variable
/// leaks in from the machine running the tests.
fn chatdesk() -> std::process::Command {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_chatdesk"));
    for variable in [
        "CHATWOOT_BASE_URL",
        "CHATWOOT_API_ACCESS_TOKEN",
        "CHATBOTX_BASE_URL",
        "CHATBOTX_TOKEN",
    ] {
        command.env_remove(variable);
    }
    command.stdin(Stdio::null());
    command
}

/// What a finished run printed, and how it ended.
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Run {
    fn lines(&self) -> Vec<Value> {
        parse_lines(&self.stdout)
    }
}

/// Runs `command` to the end, off the async runtime (the fake servers run
/// on it meanwhile). Also checks that no argument holds a token.
async fn run(mut command: std::process::Command) -> Run {
    let args: Vec<String> = command
        .get_args()
        .map(|a| a.to_string_lossy().into_owned())
        .collect();
    for token in [CHATWOOT_TOKEN, CHATBOTX_TOKEN] {
        assert!(!args.iter().any(|a| a.contains(token)), "token in {args:?}");
    }
    let output: Output = tokio::task::spawn_blocking(move || command.output().unwrap())
        .await
        .unwrap();
    let run = Run {
        code: output.status.code().expect("exited, not killed"),
        stdout: String::from_utf8(output.stdout).unwrap(),
        stderr: String::from_utf8(output.stderr).unwrap(),
    };
    for token in [CHATWOOT_TOKEN, CHATBOTX_TOKEN] {
        assert!(!run.stdout.contains(token), "token on stdout");
        assert!(
            !run.stderr.contains(token),
            "token on stderr: {}",
            run.stderr
        );
    }
    run
}

/// Each line of JSON Lines output as a value; fails on a line that is not
/// a whole JSON object.
fn parse_lines(text: &str) -> Vec<Value> {
    assert!(
        text.is_empty() || text.ends_with('\n'),
        "a cut line: {text:?}"
    );
    text.lines()
        .map(|line| {
            let value: Value = serde_json::from_str(line)
                .unwrap_or_else(|e| panic!("not a whole item ({e}): {line}"));
            assert!(value.is_object(), "{line}");
            value
        })
        .collect()
}

fn ids(items: &[Value]) -> Vec<String> {
    items
        .iter()
        .map(|item| match &item["id"] {
            Value::String(id) => id.clone(),
            other => other.to_string(),
        })
        .collect()
}

/// A temporary directory of one test, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Self {
        let dir = std::env::temp_dir().join(format!("chatdesk-cli-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Scratch(dir)
    }

    fn path(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_default()
}

async fn chatwoot_fake(conversations: usize, faults: Faults) -> RunningFake {
    FakeChatwoot::builder()
        .conversations(conversations)
        .token(CHATWOOT_TOKEN)
        .faults(faults)
        .start()
        .await
        .unwrap()
}

async fn chatbotx_fake(items: usize, faults: Faults) -> RunningFake {
    FakeChatbotx::builder()
        .conversations(items)
        .contacts(items)
        .messages_per_contact(3)
        .token(CHATBOTX_TOKEN)
        .faults(faults)
        .start()
        .await
        .unwrap()
}

fn chatwoot_command(fake: &RunningFake) -> std::process::Command {
    let mut command = chatdesk();
    command
        .env("CHATWOOT_BASE_URL", fake.base_url())
        .env("CHATWOOT_API_ACCESS_TOKEN", CHATWOOT_TOKEN);
    command
}

fn chatbotx_command(fake: &RunningFake) -> std::process::Command {
    let mut command = chatdesk();
    command
        .env("CHATBOTX_BASE_URL", fake.base_url())
        .env("CHATBOTX_TOKEN", CHATBOTX_TOKEN);
    command
}

/// Every item of a listing as the server sends it, page after page, with
/// plain HTTP: the data set the output must equal.
async fn served_items(url: &str, header: (&str, &str), pages: &[(&str, &str)]) -> Vec<Value> {
    let client = chatdesk::reqwest::Client::new();
    let mut items = Vec::new();
    let query: Vec<(String, String)> = pages
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let mut page = 1;
    loop {
        let mut this = query.clone();
        this.push(("page".into(), page.to_string()));
        let body: Value = client
            .get(url)
            .header(header.0, header.1)
            .query(&this)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let list = body["data"]["payload"]
            .as_array()
            .or(body["data"].as_array());
        let list = list.cloned().unwrap_or_default();
        if list.is_empty() {
            return items;
        }
        items.extend(list);
        page += 1;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn chatwoot_conversations_are_the_data_set_as_served() {
    let fake = chatwoot_fake(130, Faults::default()).await;
    let mut command = chatwoot_command(&fake);
    command.args(EVERY_CHATWOOT_CONVERSATION);
    let run = run(command).await;
    assert_eq!(run.code, 0, "{}", run.stderr);

    let served = served_items(
        &format!("{}/api/v1/accounts/1/conversations", fake.base_url()),
        ("api_access_token", CHATWOOT_TOKEN),
        &[("status", "all")],
    )
    .await;
    let lines = run.lines();
    assert_eq!(lines.len(), 130);
    assert_eq!(
        lines, served,
        "every conversation exactly as served, in order"
    );
    assert_eq!(ids(&lines), fake.conversation_ids());
    // A summary line, not a progress display, when stderr is not a terminal.
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("chatwoot conversations: 130 items in 6 pages"),
        "{}",
        run.stderr
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn chatbotx_listings_are_the_data_set_as_served() {
    let fake = chatbotx_fake(70, Faults::default()).await;

    let mut command = chatbotx_command(&fake);
    command.args(["chatbotx", "conversations"]);
    let conversations = run(command).await;
    assert_eq!(conversations.code, 0, "{}", conversations.stderr);
    assert_eq!(ids(&conversations.lines()), fake.conversation_ids());

    let mut command = chatbotx_command(&fake);
    command.args(["chatbotx", "contacts", "--per-page", "20"]);
    let contacts = run(command).await;
    assert_eq!(contacts.code, 0, "{}", contacts.stderr);
    let served = served_items(
        &format!("{}/v1/contacts", fake.base_url()),
        ("authorization", &format!("Bearer {CHATBOTX_TOKEN}")),
        &[("perPage", "20")],
    )
    .await;
    assert_eq!(contacts.lines(), served);
    assert_eq!(ids(&contacts.lines()), fake.contact_ids());
    assert!(
        contacts.stderr.contains("70 items in 4 pages"),
        "{}",
        contacts.stderr
    );

    let contact = fake.contact_ids()[5].clone();
    let mut command = chatbotx_command(&fake);
    command.args([
        "chatbotx",
        "messages",
        "--contact",
        &format!("id:{contact}"),
    ]);
    let messages = run(command).await;
    assert_eq!(messages.code, 0, "{}", messages.stderr);
    assert_eq!(ids(&messages.lines()), fake.message_ids(&contact));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_exports_without_account_token_or_network() {
    let mut command = chatdesk();
    command.args(["--demo", "chatwoot", "conversations", "--account-id", "1"]);
    let run = run(command).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    let lines = run.lines();
    assert!(!lines.is_empty());
    assert!(
        lines.iter().all(|c| c["status"] == "open"),
        "the server's default filter"
    );
}

/// The filters of each subcommand, as the query string the server gets.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn filters_reach_the_wire() {
    let server = MockServer::start().await;
    Mock::given(path("/api/v1/accounts/3/conversations"))
        .respond_with(ResponseTemplate::new(200).set_body_string(
            r#"{"data":{"meta":{"mine_count":0,"assigned_count":0,"unassigned_count":0,"all_count":0},"payload":[]}}"#,
        ))
        .mount(&server)
        .await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(200).set_body_string(r#"{"data":[],"nextCursor":null}"#),
        )
        .mount(&server)
        .await;

    let mut command = chatdesk();
    command
        .env("CHATWOOT_API_ACCESS_TOKEN", CHATWOOT_TOKEN)
        .args(["--base-url", &server.uri(), "chatwoot", "conversations"])
        .args([
            "--account-id",
            "3",
            "--status",
            "resolved",
            "--assignee-type",
            "unassigned",
        ])
        .args([
            "--label",
            "vip",
            "--label",
            "hoàn tiền",
            "--inbox-id",
            "4",
            "--team-id",
            "5",
        ])
        .args(["--query", "a&b=c"]);
    assert_eq!(run(command).await.code, 0);

    let mut command = chatdesk();
    command
        .env("CHATBOTX_TOKEN", CHATBOTX_TOKEN)
        .args(["--base-url", &server.uri(), "chatbotx", "conversations"])
        .args([
            "--channel",
            "zalo",
            "--status",
            "unread",
            "--tag",
            "archived",
        ])
        .args([
            "--keyword",
            "Nguyễn",
            "--bot-enabled",
            "false",
            "--assigned-id",
            "12",
        ]);
    assert_eq!(run(command).await.code, 0);

    let mut command = chatdesk();
    command
        .env("CHATBOTX_TOKEN", CHATBOTX_TOKEN)
        .args(["--base-url", &server.uri(), "chatbotx", "contacts"])
        .args(["--channel", "telegram", "--per-page", "10"]);
    assert_eq!(run(command).await.code, 0);

    let mut command = chatdesk();
    command
        .env("CHATBOTX_TOKEN", CHATBOTX_TOKEN)
        .args(["--base-url", &server.uri(), "chatbotx", "messages"])
        .args(["--contact", "email:lan+shop@example.vn"]);
    assert_eq!(run(command).await.code, 0);

    let sent: Vec<String> = requests(&server)
        .await
        .iter()
        .map(|r| format!("{}?{}", r.url.path(), query(r)))
        .collect();
    assert_eq!(
        sent,
        [
            "/api/v1/accounts/3/conversations?assignee_type=unassigned&status=resolved&q=a%26b%3Dc&inbox_id=4&team_id=5&labels%5B%5D=vip&labels%5B%5D=ho%C3%A0n+ti%E1%BB%81n&page=1",
            "/v1/conversations?assignedId=u_12&channel=zalo&status=%5B%22unread%22%5D&keyword=Nguy%E1%BB%85n&botEnabled=false&tags=%5B%22archived%22%5D&perPage=500",
            "/v1/contacts?perPage=10&channels%5B%5D=telegram&page=1",
            "/v1/contacts/email:lan%2Bshop%40example.vn/messages?perPage=500",
        ]
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn max_items_stops_after_that_many() {
    let fake = chatwoot_fake(100, Faults::default()).await;
    let scratch = Scratch::new("max-items");
    let out = scratch.path("out.jsonl");
    let mut command = chatwoot_command(&fake);
    command
        .args(EVERY_CHATWOOT_CONVERSATION)
        .args(["--max-items", "30", "--output"])
        .arg(&out);
    let run = run(command).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.is_empty());
    let lines = parse_lines(&read(&out));
    assert_eq!(ids(&lines), fake.conversation_ids()[..30]);
}

/// Starts `command`, waits until its checkpoint has `pages` pages, and
/// kills it (SIGKILL: no chance to tidy up).
async fn kill_after_pages(mut command: std::process::Command, checkpoint: &Path, pages: u64) {
    command.stdout(Stdio::null()).stderr(Stdio::null());
    let mut child: Child = command.spawn().unwrap();
    let started = Instant::now();
    loop {
        let saved: Option<Value> = serde_json::from_str(&read(checkpoint)).ok();
        if saved.is_some_and(|c| c["pages"].as_u64().unwrap_or(0) >= pages) {
            break;
        }
        assert!(
            child.try_wait().unwrap().is_none(),
            "the export ended before the kill"
        );
        assert!(started.elapsed() < Duration::from_secs(60), "no progress");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    child.kill().unwrap();
    child.wait().unwrap();
}

/// Kill, resume, and check that the file holds the data set exactly once.
async fn kill_and_resume(
    name: &str,
    command: impl Fn() -> std::process::Command,
    expected: Vec<String>,
    kill_after: u64,
) {
    let scratch = Scratch::new(name);
    let out = scratch.path("out.jsonl");
    let checkpoint = scratch.path("export.ckpt");
    let with_files = || {
        let mut c = command();
        c.arg("--output")
            .arg(&out)
            .arg("--checkpoint")
            .arg(&checkpoint);
        c
    };
    kill_after_pages(with_files(), &checkpoint, kill_after).await;
    let partial = read(&out);
    assert!(partial.lines().count() < expected.len(), "killed too late");
    // A torn write after the last checkpoint: cut off on resume.
    std::fs::write(&out, format!("{partial}{{\"id\":\"torn")).unwrap();

    let resumed = run(with_files()).await;
    assert_eq!(resumed.code, 0, "{}", resumed.stderr);
    let lines = parse_lines(&read(&out));
    assert_eq!(ids(&lines), expected, "every item once, in order");
    let unique: HashSet<String> = ids(&lines).into_iter().collect();
    assert_eq!(unique.len(), expected.len());
    let saved = read(&checkpoint);
    assert!(saved.contains("\"next\": null"), "{saved}");
    for token in [CHATWOOT_TOKEN, CHATBOTX_TOKEN] {
        assert!(!saved.contains(token));
    }

    // Once complete, a rerun says so and leaves the file alone.
    let again = run(with_files()).await;
    assert_eq!(again.code, 0);
    assert!(again.stderr.contains("complete"), "{}", again.stderr);
    assert_eq!(parse_lines(&read(&out)).len(), expected.len());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_chatwoot_export_resumes_without_loss_or_duplicate() {
    let slow = Faults {
        latency: Duration::from_millis(40),
        ..Faults::default()
    };
    let fake = chatwoot_fake(500, slow).await;
    let expected = fake.conversation_ids();
    let command = || {
        let mut c = chatwoot_command(&fake);
        c.args(EVERY_CHATWOOT_CONVERSATION)
            .args(["--concurrency", "2"]);
        c
    };
    kill_and_resume("resume-chatwoot", command, expected, 5).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_chatbotx_cursor_export_resumes_without_loss_or_duplicate() {
    let slow = Faults {
        latency: Duration::from_millis(150),
        ..Faults::default()
    };
    let fake = FakeChatbotx::builder()
        .contacts(2)
        .messages_per_contact(2600)
        .token(CHATBOTX_TOKEN)
        .faults(slow)
        .start()
        .await
        .unwrap();
    let contact = fake.contact_ids()[0].clone();
    let expected = fake.message_ids(&contact);
    let command = || {
        let mut c = chatbotx_command(&fake);
        c.args([
            "chatbotx",
            "messages",
            "--contact",
            &format!("id:{contact}"),
        ]);
        c
    };
    kill_and_resume("resume-chatbotx", command, expected, 2).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_checkpoint_of_another_export_is_refused() {
    let fake = chatwoot_fake(30, Faults::default()).await;
    let scratch = Scratch::new("other-export");
    let out = scratch.path("out.jsonl");
    let checkpoint = scratch.path("export.ckpt");
    let export = |status: &str| {
        let mut c = chatwoot_command(&fake);
        c.args([
            "chatwoot",
            "conversations",
            "--account-id",
            "1",
            "--status",
            status,
        ]);
        c.arg("--output")
            .arg(&out)
            .arg("--checkpoint")
            .arg(&checkpoint);
        c
    };
    assert_eq!(run(export("all")).await.code, 0);
    let other = run(export("open")).await;
    assert_eq!(other.code, 2);
    let server = fake.base_url();
    let expected = format!(
        "the checkpoint {} belongs to another export: chatwoot conversations of account 1 \
         with status=all on {server}, not chatwoot conversations of account 1 with \
         status=open on {server}",
        checkpoint.display()
    );
    assert!(other.stderr.contains(&expected), "{}", other.stderr);
    assert!(
        !other.stderr.contains("Chatwoot("),
        "no Rust text: {}",
        other.stderr
    );
}

/// Exit code, message, and what the output holds, for a failed run.
async fn fails(command: std::process::Command, code: i32, message: &str) -> Run {
    let run = run(command).await;
    assert_eq!(run.code, code, "{}", run.stderr);
    assert!(
        run.stderr.contains(message),
        "{message:?} not in: {}",
        run.stderr
    );
    parse_lines(&run.stdout);
    run
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_tokens_and_servers_exit_with_a_message_that_says_what_to_do() {
    let chatwoot = chatwoot_fake(10, Faults::default()).await;
    let chatbotx = chatbotx_fake(10, Faults::default()).await;

    let mut command = chatdesk();
    command
        .env("CHATWOOT_BASE_URL", chatwoot.base_url())
        .env("CHATWOOT_API_ACCESS_TOKEN", "not-the-token")
        .args(["chatwoot", "conversations", "--account-id", "1"]);
    let run = fails(command, 2, "401 Unauthorized").await;
    assert!(
        run.stderr.contains("check CHATWOOT_API_ACCESS_TOKEN"),
        "{}",
        run.stderr
    );
    assert!(run.stdout.is_empty());

    let scratch = Scratch::new("bad-token-file");
    let token_file = scratch.path("token");
    std::fs::write(&token_file, "wrong-token\n").unwrap();
    let mut command = chatdesk();
    command
        .env("CHATBOTX_BASE_URL", chatbotx.base_url())
        .arg("--token-file")
        .arg(&token_file)
        .args(["chatbotx", "contacts"]);
    let run = fails(
        command,
        2,
        &format!("check the token in {}", token_file.display()),
    )
    .await;
    assert!(!run.stderr.contains("CHATBOTX_TOKEN"), "{}", run.stderr);

    // The base URL without ChatbotX's `/api` prefix.
    let mut command = chatdesk();
    command
        .env("CHATBOTX_TOKEN", CHATBOTX_TOKEN)
        .args(["--base-url", chatbotx.base_url().trim_end_matches("/api")])
        .args(["chatbotx", "conversations"]);
    fails(command, 2, "check the base URL").await;

    let mut command = chatdesk();
    command
        .env("CHATBOTX_TOKEN", CHATBOTX_TOKEN)
        .args(["--base-url", &format!("http://{}", closed_address())])
        .args(["chatbotx", "contacts"]);
    fails(command, 1, "could not connect").await;

    let mut command = chatdesk();
    command
        .env("CHATBOTX_TOKEN", CHATBOTX_TOKEN)
        .args(["chatbotx", "contacts"]);
    command.args(["--base-url", "ftp://files.example.com"]);
    fails(command, 2, "base URL").await;

    let mut command = chatdesk();
    command.args(["chatwoot", "conversations", "--account-id", "1"]);
    fails(command, 2, "pass --base-url URL or set CHATWOOT_BASE_URL").await;

    let mut command = chatdesk();
    command.env("CHATWOOT_BASE_URL", chatwoot.base_url());
    command.args(["chatwoot", "conversations", "--account-id", "1"]);
    fails(
        command,
        2,
        "no token: set CHATWOOT_API_ACCESS_TOKEN or pass --token-file",
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_usage_exits_2_before_any_request() {
    let fake = chatbotx_fake(5, Faults::default()).await;
    let usage = |args: &[&str]| {
        let mut command = chatbotx_command(&fake);
        command.args(args);
        command
    };
    for (args, message) in [
        (
            &["chatbotx", "contacts", "--concurrency", "0"][..],
            "--concurrency",
        ),
        (
            &["chatbotx", "messages", "--contact", "name:Lan"],
            "must be id:<digits>, email:<address> or phone:<number>",
        ),
        (&["chatbotx", "contacts", "--per-page", "51"], "--per-page"),
        (
            &["chatbotx", "conversations", "--channel", "zaloo"],
            "did you mean \"zalo\"?",
        ),
        (
            &["chatbotx", "contacts", "--checkpoint", "x.ckpt"],
            "needs --output",
        ),
        (&["chatwoot", "conversations"], "--account-id"),
    ] {
        fails(usage(args), 2, message).await;
    }
    let refused = fails(
        usage(&[
            "--token",
            "cbx_typed_on_the_command_line",
            "chatbotx",
            "contacts",
        ]),
        2,
        "--token is not accepted",
    )
    .await;
    assert!(!refused.stderr.contains("cbx_typed_on_the_command_line"));
    assert_eq!(fake.stats().requests, 0, "no request for bad usage");
}

/// A server failure in the middle of an export: exit 1, the pages before it
/// in the output, whole.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failure_mid_export_leaves_whole_items_and_says_how_to_resume() {
    let server = MockServer::start().await;
    let meta = r#""meta":{"mine_count":0,"assigned_count":0,"unassigned_count":50,"all_count":50}"#;
    let page: Vec<String> = (0..25)
        .map(|i| format!(r#"{{"id":{}}}"#, 100 - i))
        .collect();
    Mock::given(query_param("page", "1"))
        .respond_with(ResponseTemplate::new(200).set_body_string(format!(
            r#"{{"data":{{{meta},"payload":[{}]}}}}"#,
            page.join(",")
        )))
        .mount(&server)
        .await;
    Mock::given(query_param("page", "2"))
        .respond_with(ResponseTemplate::new(500).set_body_string(
            "<html><head><title>We're sorry, but something went wrong (500)</title></head></html>",
        ))
        .mount(&server)
        .await;
    let scratch = Scratch::new("mid-export");
    let out = scratch.path("out.jsonl");
    let checkpoint = scratch.path("export.ckpt");
    let mut command = chatdesk();
    command
        .env("CHATWOOT_API_ACCESS_TOKEN", CHATWOOT_TOKEN)
        .args(["--base-url", &server.uri()])
        .args(["chatwoot", "conversations", "--account-id", "1", "--output"])
        .arg(&out)
        .arg("--checkpoint")
        .arg(&checkpoint);
    let run = fails(command, 1, "500 Internal Server Error").await;
    assert!(
        run.stderr.contains("something went wrong"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("rerun the same command to resume"),
        "{}",
        run.stderr
    );
    assert_eq!(parse_lines(&read(&out)).len(), 25);
    assert!(
        read(&checkpoint).contains("\"number\": 2"),
        "{}",
        read(&checkpoint)
    );
}

/// On a terminal, a live progress line (redrawn in place) on stderr, ending
/// with the summary. `script` (util-linux) gives the command a terminal.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_terminal_gets_live_progress() {
    let scratch = Scratch::new("terminal");
    let out = scratch.path("out.jsonl");
    let line = format!(
        "{} --demo chatbotx contacts --per-page 5 --output {}",
        env!("CARGO_BIN_EXE_chatdesk"),
        out.display()
    );
    let mut command = std::process::Command::new("script");
    command.args(["-qec", &line, "/dev/null"]);
    let run = run(command).await;
    assert_eq!(run.code, 0, "{}", run.stderr);
    // The terminal's output (stdout of `script`) holds the redrawn line.
    assert!(
        run.stdout.contains("\u{1b}["),
        "no redrawing: {:?}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("chatdesk: chatbotx contacts: 120 items in 24 pages"),
        "{:?}",
        run.stdout
    );
    assert!(run.stdout.contains("retries"), "{:?}", run.stdout);
    assert_eq!(parse_lines(&read(&out)).len(), 120);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_older_server_refusing_the_token_with_500_exits_2() {
    let fake = FakeChatbotx::builder()
        .conversations(5)
        .contacts(5)
        .token(CHATBOTX_TOKEN)
        .version(chatdesk_fake::ChatbotxVersion::OpenSource)
        .start()
        .await
        .unwrap();
    let mut command = chatdesk();
    command
        .env("CHATBOTX_BASE_URL", fake.base_url())
        .env("CHATBOTX_TOKEN", "cbx_ws_not_the_token")
        .args(["chatbotx", "contacts"]);
    let run = fails(command, 2, "check CHATBOTX_TOKEN").await;
    assert!(!run.stderr.contains("retry later"), "{}", run.stderr);
    assert_eq!(fake.stats().requests, 1, "not retried");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_base_url_answering_html_exits_2_showing_the_requested_path() {
    let server = server_answering(
        404,
        "text/html",
        "<!DOCTYPE html><html><body><h1>Not here</h1><p>The web app</p></body></html>",
    )
    .await;
    let mut command = chatdesk();
    command
        .env("CHATBOTX_TOKEN", CHATBOTX_TOKEN)
        .args(["--base-url", &format!("{}/api/api", server.uri())])
        .args(["chatbotx", "conversations"]);
    let run = fails(command, 2, "/api/api/v1/conversations").await;
    assert!(
        run.stderr.contains("give it with a single /api"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("<h1>"), "{}", run.stderr);
    assert_eq!(requests(&server).await.len(), 1, "not retried");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_server_that_wants_a_session_gets_it_from_the_header_file() {
    let cookie = "sid=cli-session-secret-51";
    let fake = FakeChatbotx::builder()
        .conversations(40)
        .contacts(20)
        .token(CHATBOTX_TOKEN)
        .require_session(cookie)
        .start()
        .await
        .unwrap();
    let scratch = Scratch::new("header-file");
    let headers = scratch.path("headers");

    let mut command = chatbotx_command(&fake);
    command.args(["chatbotx", "conversations"]);
    let refused = fails(command, 2, "User is not associated with this workspace").await;
    assert!(
        refused.stderr.contains("--header-file"),
        "{}",
        refused.stderr
    );

    std::fs::write(
        &headers,
        format!("# the browser's session\nCookie: {cookie}\n"),
    )
    .unwrap();
    let mut command = chatbotx_command(&fake);
    command
        .arg("--header-file")
        .arg(&headers)
        .args(["chatbotx", "conversations"]);
    let done = run(command).await;
    assert_eq!(done.code, 0, "{}", done.stderr);
    assert!(!done.lines().is_empty());
    assert!(!done.stderr.contains("cli-session-secret"));

    std::fs::write(&headers, "Cookie\n").unwrap();
    let mut command = chatbotx_command(&fake);
    command
        .arg("--header-file")
        .arg(&headers)
        .args(["chatbotx", "conversations"]);
    fails(command, 2, "is not `Name: value`").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn all_states_exports_every_conversation_once() {
    let fake = chatbotx_fake(120, Faults::default()).await;
    let mut command = chatbotx_command(&fake);
    command.args(["chatbotx", "conversations"]);
    let default = run(command).await;
    assert_eq!(default.code, 0, "{}", default.stderr);

    let mut command = chatbotx_command(&fake);
    command.args(["chatbotx", "conversations", "--all-states"]);
    let every = run(command).await;
    assert_eq!(every.code, 0, "{}", every.stderr);
    let got = ids(&every.lines());
    let distinct: HashSet<&String> = got.iter().collect();
    assert_eq!(distinct.len(), got.len(), "each once");
    let all: HashSet<String> = fake.all_conversation_ids().into_iter().collect();
    assert_eq!(got.into_iter().collect::<HashSet<_>>(), all);
    assert!(default.lines().len() < all.len());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_checkpoint_resumed_with_another_token_is_refused_writing_nothing() {
    let fake = chatwoot_fake(30, Faults::default()).await;
    let scratch = Scratch::new("other-token");
    let out = scratch.path("out.jsonl");
    let checkpoint = scratch.path("export.ckpt");
    let export = |token: &str| {
        let mut c = chatdesk();
        c.env("CHATWOOT_BASE_URL", fake.base_url())
            .env("CHATWOOT_API_ACCESS_TOKEN", token)
            .args(EVERY_CHATWOOT_CONVERSATION)
            .arg("--output")
            .arg(&out)
            .arg("--checkpoint")
            .arg(&checkpoint)
            .args(["--max-items", "10"]);
        c
    };
    assert_eq!(run(export(CHATWOOT_TOKEN)).await.code, 0);
    let saved = read(&checkpoint);
    assert!(!saved.contains(CHATWOOT_TOKEN), "{saved}");
    assert!(saved.contains("\"credentials\""), "{saved}");
    let written = read(&out);
    let other = run(export("cw-another-workspace-token")).await;
    assert_eq!(other.code, 2, "{}", other.stderr);
    assert!(other.stderr.contains("another token"), "{}", other.stderr);
    assert!(!other.stderr.contains("cw-another-workspace-token"));
    assert_eq!(read(&out), written, "nothing written");
    assert_eq!(read(&checkpoint), saved, "checkpoint untouched");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn max_items_0_says_nothing_was_requested() {
    let fake = chatwoot_fake(10, Faults::default()).await;
    let mut command = chatwoot_command(&fake);
    command
        .args(EVERY_CHATWOOT_CONVERSATION)
        .args(["--max-items", "0"]);
    let done = run(command).await;
    assert_eq!(done.code, 0);
    assert!(done.stdout.is_empty());
    assert!(
        done.stderr.contains("nothing was requested"),
        "{}",
        done.stderr
    );
    assert!(!done.stderr.contains("checkpoint"), "{}", done.stderr);
    assert_eq!(fake.stats().requests, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_filter_the_server_ignores_is_warned_about_once() {
    let fake = FakeChatbotx::builder()
        .conversations(60)
        .contacts(60)
        .token(CHATBOTX_TOKEN)
        .ignored_filters(true)
        .start()
        .await
        .unwrap();
    let mut command = chatbotx_command(&fake);
    command.args(["chatbotx", "contacts", "--channel", "zalo"]);
    let warned = run(command).await;
    assert_eq!(warned.code, 0, "{}", warned.stderr);
    assert_eq!(
        warned
            .stderr
            .matches("warning: the server seems to ignore --channel zalo")
            .count(),
        1,
        "{}",
        warned.stderr
    );

    let honest = chatbotx_fake(60, Faults::default()).await;
    let mut command = chatbotx_command(&honest);
    command.args(["chatbotx", "contacts", "--channel", "zalo"]);
    let quiet = run(command).await;
    assert_eq!(quiet.code, 0, "{}", quiet.stderr);
    assert!(!quiet.stderr.contains("warning"), "{}", quiet.stderr);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn chatwoot_contacts_and_messages_are_the_data_set_as_served() {
    let fake = FakeChatwoot::builder()
        .conversations(12)
        .messages_per_conversation(160)
        .contacts(40)
        .token(CHATWOOT_TOKEN)
        .start()
        .await
        .unwrap();

    let mut command = chatwoot_command(&fake);
    command.args(["chatwoot", "contacts", "--account-id", "1"]);
    let contacts = run(command).await;
    assert_eq!(contacts.code, 0, "{}", contacts.stderr);
    let expected: HashSet<String> = fake.contact_ids().into_iter().collect();
    let got = ids(&contacts.lines());
    assert_eq!(got.len(), expected.len(), "each contact once");
    assert_eq!(got.into_iter().collect::<HashSet<_>>(), expected);
    assert!(
        contacts
            .lines()
            .iter()
            .all(|c| c.get("contact_inboxes").is_some()),
        "contact_inboxes by default"
    );
    assert!(
        contacts.stderr.contains("chatwoot contacts:"),
        "{}",
        contacts.stderr
    );

    // The busiest conversation: its messages span several windows of 100.
    let conversation = fake
        .conversation_ids()
        .into_iter()
        .max_by_key(|id| fake.message_ids(id).len())
        .unwrap();
    let expected = fake.message_ids(&conversation);
    assert!(expected.len() > 100, "{}", expected.len());
    let mut command = chatwoot_command(&fake);
    command.args([
        "chatwoot",
        "messages",
        "--account-id",
        "1",
        "--conversation-id",
        &conversation,
    ]);
    let messages = run(command).await;
    assert_eq!(messages.code, 0, "{}", messages.stderr);
    assert_eq!(
        ids(&messages.lines()),
        expected,
        "every message once, oldest first"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_exports_chatwoot_contacts_and_messages() {
    let mut command = chatdesk();
    command.args(["--demo", "chatwoot", "contacts", "--account-id", "1"]);
    let contacts = run(command).await;
    assert_eq!(contacts.code, 0, "{}", contacts.stderr);
    assert!(contacts.lines().len() > 15, "more than one page");

    let mut command = chatdesk();
    command.args([
        "--demo",
        "chatwoot",
        "messages",
        "--account-id",
        "1",
        "--conversation-id",
        "3",
    ]);
    let messages = run(command).await;
    assert_eq!(messages.code, 0, "{}", messages.stderr);
    let lines = messages.lines();
    assert!(!lines.is_empty());
    assert!(lines.iter().all(|m| m["conversation_id"] == 3), "{lines:?}");

    let mut command = chatdesk();
    command.args(["--demo", "chatwoot", "messages", "--account-id", "1"]);
    command.args(["--conversation-id", "99999"]);
    let missing = fails(command, 2, "404 Not Found").await;
    assert!(
        missing.stderr.contains("Check also --conversation-id"),
        "{}",
        missing.stderr
    );
    assert!(
        missing.stderr.contains("whose conversations include"),
        "{}",
        missing.stderr
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_chatwoot_message_export_resumes_without_loss_or_duplicate() {
    let slow = Faults {
        latency: Duration::from_millis(150),
        ..Faults::default()
    };
    let fake = FakeChatwoot::builder()
        .conversations(3)
        .messages_per_conversation(1000)
        .token(CHATWOOT_TOKEN)
        .faults(slow)
        .start()
        .await
        .unwrap();
    let conversation = fake
        .conversation_ids()
        .into_iter()
        .max_by_key(|id| fake.message_ids(id).len())
        .unwrap();
    let expected = fake.message_ids(&conversation);
    assert!(expected.len() > 400, "{}", expected.len());
    let command = || {
        let mut c = chatwoot_command(&fake);
        c.args([
            "chatwoot",
            "messages",
            "--account-id",
            "1",
            "--conversation-id",
            &conversation,
        ]);
        c
    };
    kill_and_resume("resume-chatwoot-messages", command, expected, 2).await;
}

/// The filters of the Chatwoot contact and message listings, as the query
/// string the server gets.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn chatwoot_contact_and_message_filters_reach_the_wire() {
    let server = MockServer::start().await;
    Mock::given(path("/api/v1/accounts/3/contacts"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_string(r#"{"meta":{"count":0,"current_page":1},"payload":[]}"#),
        )
        .mount(&server)
        .await;
    Mock::given(path("/api/v1/accounts/3/conversations/8/messages"))
        .respond_with(ResponseTemplate::new(200).set_body_string(r#"{"meta":{},"payload":[]}"#))
        .mount(&server)
        .await;
    let mut command = chatdesk();
    command
        .env("CHATWOOT_API_ACCESS_TOKEN", CHATWOOT_TOKEN)
        .args(["--base-url", &server.uri(), "chatwoot", "contacts"])
        .args(["--account-id", "3", "--sort", "-last_activity_at"])
        .args(["--label", "vip", "--no-contact-inboxes"]);
    let done = run(command).await;
    assert_eq!(done.code, 0, "{}", done.stderr);
    let mut command = chatdesk();
    command
        .env("CHATWOOT_API_ACCESS_TOKEN", CHATWOOT_TOKEN)
        .args(["--base-url", &server.uri(), "chatwoot", "messages"])
        .args(["--account-id", "3", "--conversation-id", "8"])
        .arg("--filter-internal-messages");
    let done = run(command).await;
    assert_eq!(done.code, 0, "{}", done.stderr);
    let sent: Vec<String> = requests(&server)
        .await
        .iter()
        .map(|r| format!("{}?{}", r.url.path(), query(r)))
        .collect();
    assert_eq!(
        sent,
        [
            "/api/v1/accounts/3/contacts?page=1&sort=-last_activity_at&include_contact_inboxes=false&labels%5B%5D=vip",
            "/api/v1/accounts/3/conversations/8/messages?after=0&filter_internal_messages=true",
        ]
    );
}

/// A value the spec does not list goes to the server as it is, with a
/// note; a likely typo of a listed one is refused before any request.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_filter_value_the_spec_does_not_list_is_sent_with_a_note() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(200).set_body_string(r#"{"data":[],"nextCursor":null}"#),
        )
        .mount(&server)
        .await;
    let mut command = chatdesk();
    command
        .env("CHATBOTX_TOKEN", CHATBOTX_TOKEN)
        .args(["--base-url", &server.uri(), "chatbotx", "conversations"])
        .args(["--channel", "line"]);
    let sent = run(command).await;
    assert_eq!(sent.code, 0, "{}", sent.stderr);
    assert!(
        sent.stderr.contains(
            "note: channel \"line\" is not one the spec lists (omnichannel, webchat, messenger"
        ),
        "{}",
        sent.stderr
    );
    assert!(sent.stderr.contains("sending it as is"), "{}", sent.stderr);
    let wire = requests(&server).await;
    assert_eq!(wire.len(), 1);
    assert!(
        query(&wire[0]).contains("channel=line"),
        "{}",
        query(&wire[0])
    );

    let mut command = chatdesk();
    command
        .env("CHATBOTX_TOKEN", CHATBOTX_TOKEN)
        .args(["--base-url", &server.uri(), "chatbotx", "conversations"])
        .args(["--channel", "zaloo"]);
    let refused = fails(command, 2, "did you mean \"zalo\"?").await;
    assert!(!refused.stderr.contains("sending it as is"));
    assert_eq!(requests(&server).await.len(), 1, "no request for a typo");
}

/// Plain http to a host that is not loopback is refused with the option
/// that allows it, and works with it. 0.0.0.0 is not loopback to the
/// library, but Linux connects it to this machine, where the fake listens.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn plain_http_to_another_host_needs_allow_insecure_http() {
    let fake = chatwoot_fake(10, Faults::default()).await;
    let port = fake
        .base_url()
        .rsplit(':')
        .next()
        .unwrap()
        .trim_end_matches('/')
        .to_string();
    let insecure = format!("http://0.0.0.0:{port}");
    let command = |allow: bool| {
        let mut c = chatdesk();
        c.env("CHATWOOT_API_ACCESS_TOKEN", CHATWOOT_TOKEN)
            .args(["--base-url", &insecure])
            .args(EVERY_CHATWOOT_CONVERSATION);
        if allow {
            c.arg("--allow-insecure-http");
        }
        c
    };
    let refused = fails(command(false), 2, "add --allow-insecure-http").await;
    assert!(
        !refused.stderr.contains(".allow_insecure_http()"),
        "{}",
        refused.stderr
    );
    assert_eq!(fake.stats().requests, 0);

    let allowed = run(command(true)).await;
    assert_eq!(allowed.code, 0, "{}", allowed.stderr);
    assert_eq!(ids(&allowed.lines()), fake.conversation_ids());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_existing_output_file_is_replaced_only_with_force() {
    let fake = chatwoot_fake(30, Faults::default()).await;
    let scratch = Scratch::new("force");
    let out = scratch.path("out.jsonl");
    std::fs::write(&out, "{\"id\":\"an earlier export\"}\n").unwrap();
    let export = |extra: &[&str]| {
        let mut c = chatwoot_command(&fake);
        c.args(EVERY_CHATWOOT_CONVERSATION)
            .arg("--output")
            .arg(&out)
            .args(extra);
        c
    };
    let refused = fails(export(&[]), 2, "already exists: add --force to replace it").await;
    assert!(
        refused.stderr.contains("--checkpoint"),
        "{}",
        refused.stderr
    );
    assert_eq!(read(&out), "{\"id\":\"an earlier export\"}\n", "untouched");
    assert_eq!(fake.stats().requests, 0);

    // A new checkpoint cannot continue a file it did not write.
    let checkpoint = scratch.path("new.ckpt");
    let with_new_checkpoint = export(&["--checkpoint", checkpoint.to_str().unwrap()]);
    fails(with_new_checkpoint, 2, "this --checkpoint is new").await;

    let replaced = run(export(&["--force"])).await;
    assert_eq!(replaced.code, 0, "{}", replaced.stderr);
    assert_eq!(ids(&parse_lines(&read(&out))), fake.conversation_ids());

    // An empty file is no earlier export.
    std::fs::write(&out, "").unwrap();
    assert_eq!(run(export(&[])).await.code, 0);
}

/// The token of --token-file is used even with the variable set (here to
/// the right token), so a refusal must send the user to the file.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_token_from_a_file_is_named_by_its_path_in_a_backup_too() {
    let chatwoot = chatwoot_fake(5, Faults::default()).await;
    let scratch = Scratch::new("token-file-401");
    let token_file = scratch.path(".cw-token");
    std::fs::write(&token_file, "cw-not-the-token\n").unwrap();
    let mut command = chatdesk();
    command
        .env("CHATWOOT_BASE_URL", chatwoot.base_url())
        .env("CHATWOOT_API_ACCESS_TOKEN", CHATWOOT_TOKEN)
        .arg("--token-file")
        .arg(&token_file)
        .args(["chatwoot", "backup", "--account-id", "1", "--db"])
        .arg(scratch.path("b.db"));
    let run = fails(
        command,
        2,
        &format!("check the token in {}", token_file.display()),
    )
    .await;
    assert!(
        !run.stderr.contains("CHATWOOT_API_ACCESS_TOKEN"),
        "the file, not the variable: {}",
        run.stderr
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_help_screens_show_connection_filters_and_output() {
    let mut command = chatdesk();
    command.arg("--help");
    let top = run(command).await;
    assert_eq!(top.code, 0);
    for needle in [
        "CHATWOOT_API_ACCESS_TOKEN",
        "CHATBOTX_TOKEN",
        "Profile settings",
        "/app/accounts/",
        "Settings -> API",
        "Connection:",
        "--allow-insecure-http",
    ] {
        assert!(
            top.stdout.contains(needle),
            "{needle:?} not in {}",
            top.stdout
        );
    }
    assert!(!top.stdout.contains("--output <FILE>"), "{}", top.stdout);

    let mut command = chatdesk();
    command.args(["chatwoot", "conversations", "--help"]);
    let help = run(command).await;
    assert_eq!(help.code, 0);
    // The help is wrapped to the terminal's width: compare words.
    let words = help.stdout.split_whitespace().collect::<Vec<_>>().join(" ");
    for needle in [
        "Filters:",
        "Output:",
        "Connection:",
        "--base-url",
        "--force",
        "[possible values: all, open, resolved, pending, snoozed]",
        "--concurrency",
    ] {
        assert!(words.contains(needle), "{needle:?} not in {}", help.stdout);
    }
}

/// A value the spec does not list goes to the server with a note; the
/// demo's ChatbotX, like the server, refuses `line` with 422, and the
/// message is the server's, without the demo's ids (which help only when an
/// id was not found).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_demo_reports_the_servers_refusal_of_an_unlisted_channel() {
    let mut command = chatdesk();
    command.args(["--demo", "chatbotx", "conversations", "--channel", "line"]);
    let refused = fails(command, 2, "422 Unprocessable Entity").await;
    assert!(
        refused
            .stderr
            .contains("note: channel \"line\" is not one the spec lists"),
        "{}",
        refused.stderr
    );
    assert!(
        refused.stderr.contains("channel: Invalid option"),
        "{}",
        refused.stderr
    );
    assert!(
        !refused.stderr.contains("The demo's contacts include"),
        "{}",
        refused.stderr
    );
}
