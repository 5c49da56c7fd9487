#![allow(clippy::unwrap_used, clippy::expect_used)]

//! A server that is slow or refuses for a while: without a terminal, the
//! `chatdesk` command prints one line per retry on standard error (the
//! request, the attempt of how many, the wait, the status), nothing while
//! requests succeed at once, and nothing under `--quiet`.

use std::process::{Output, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const TOKEN: &str = "cw-waiting-secret-token-2d7e";

/// A Chatwoot server whose first `refusals` answers are 503, then a first
/// page of two conversations (and empty pages after it).
async fn busy_then_fine(refusals: usize) -> MockServer {
    let server = MockServer::start().await;
    let count = Arc::new(AtomicUsize::new(0));
    Mock::given(any())
        .respond_with(move |request: &Request| {
            if count.fetch_add(1, Ordering::SeqCst) < refusals {
                return ResponseTemplate::new(503).set_body_string("Service Unavailable");
            }
            let first = request
                .url
                .query_pairs()
                .all(|(name, value)| name != "page" || value == "1");
            let payload = if first { r#"{"id":2},{"id":1}"# } else { "" };
            ResponseTemplate::new(200).set_body_string(format!(
                r#"{{"data":{{"meta":{{"mine_count":0,"assigned_count":0,"unassigned_count":2,"all_count":2}},"payload":[{payload}]}}}}"#
            ))
        })
        .mount(&server)
        .await;
    server
}

/// Exports the conversations of account 1 from `server`, standard error a
/// pipe (not a terminal), with `extra` arguments first.
async fn export(server: &MockServer, extra: &[&str]) -> (i32, String, String) {
    let mut command = std::process::Command::new(env!("CARGO_BIN_EXE_chatdesk"));
    for variable in ["CHATWOOT_BASE_URL", "CHATBOTX_BASE_URL", "CHATBOTX_TOKEN"] {
        command.env_remove(variable);
    }
    command
        .env("CHATWOOT_API_ACCESS_TOKEN", TOKEN)
        .args(["--base-url", &server.uri()])
        .args(extra)
        .args(["chatwoot", "conversations", "--account-id", "1"])
        .stdin(Stdio::null());
    let output: Output = tokio::task::spawn_blocking(move || command.output().unwrap())
        .await
        .unwrap();
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(!stderr.contains(TOKEN), "{stderr}");
    (
        output.status.code().expect("exited"),
        String::from_utf8(output.stdout).unwrap(),
        stderr,
    )
}

fn retry_lines(stderr: &str) -> Vec<&str> {
    stderr
        .lines()
        .filter(|line| line.starts_with("chatdesk: retrying "))
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_a_terminal_each_retry_is_one_line() {
    let server = busy_then_fine(2).await;
    let (code, stdout, stderr) = export(&server, &[]).await;
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout.lines().count(), 2, "{stdout}");
    let lines = retry_lines(&stderr);
    assert_eq!(lines.len(), 2, "{stderr}");
    for (line, attempt) in lines.iter().zip(2..) {
        assert!(
            line.starts_with(
                "chatdesk: retrying GET /api/v1/accounts/1/conversations (listConversations) in "
            ),
            "{line}"
        );
        assert!(
            line.ends_with(&format!(
                " s, attempt {attempt} of 5: 503 Service Unavailable: Service Unavailable"
            )),
            "{line}"
        );
    }
    assert!(
        stderr.contains("2 retries"),
        "the summary counts them: {stderr}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_retry_line_while_all_is_well_nor_under_quiet() {
    let fine = busy_then_fine(0).await;
    let (code, _, stderr) = export(&fine, &[]).await;
    assert_eq!(code, 0, "{stderr}");
    assert!(retry_lines(&stderr).is_empty(), "{stderr}");

    let busy = busy_then_fine(2).await;
    let (code, stdout, stderr) = export(&busy, &["--quiet"]).await;
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout.lines().count(), 2, "{stdout}");
    assert_eq!(stderr, "", "--quiet prints nothing on success");
}

/// On a terminal, a request the server holds shows on the live line once
/// it has been out a few seconds: the request, the attempt, the seconds.
/// `script` (util-linux) gives the command a terminal; without it the
/// test says so and passes.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_terminal_shows_what_the_command_waits_for() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_string(r#"{"data":{"meta":{"all_count":0},"payload":[]}}"#)
                .set_delay(std::time::Duration::from_millis(4500)),
        )
        .mount(&server)
        .await;
    let line = format!(
        "{} --base-url {} chatwoot conversations --account-id 1 --output /dev/null",
        env!("CARGO_BIN_EXE_chatdesk"),
        server.uri()
    );
    let mut command = std::process::Command::new("script");
    command
        .args(["-qec", &line, "/dev/null"])
        .env("CHATWOOT_API_ACCESS_TOKEN", TOKEN)
        .stdin(Stdio::null());
    let output = match tokio::task::spawn_blocking(move || command.output())
        .await
        .unwrap()
    {
        Ok(output) => output,
        // A machine without util-linux cannot lend the command a terminal.
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            eprintln!("skipped: no `script` command to run chatdesk on a terminal");
            return;
        }
        Err(e) => panic!("script: {e}"),
    };
    let terminal = String::from_utf8_lossy(&output.stdout);
    assert!(output.status.success(), "{terminal}");
    assert!(!terminal.contains(TOKEN));
    assert!(
        terminal.contains(
            "waiting for GET /api/v1/accounts/1/conversations (listConversations), attempt 1 of \
             5, 3 s"
        ),
        "{terminal:?}"
    );
    assert!(
        !terminal.contains("retrying"),
        "no retry lines on a terminal"
    );
}
