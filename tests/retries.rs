//! Retries and rate limiting through the real client, against a local
//! server: which answers are retried, how often, and how they show. The
//! exact waits are tested on tokio's paused clock in `src/retry.rs`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use chatdesk::rate_limit::RateLimit;
use chatdesk::retry::RetryPolicy;
use common::*;
use futures::{StreamExt, TryStreamExt};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const EMPTY: &str = r#"{"data":[],"nextCursor":null,"prevCursor":null}"#;

#[cfg(feature = "chatbotx")]
fn chatbotx(server: &MockServer, policy: RetryPolicy) -> chatdesk::chatbotx::Client {
    chatdesk::chatbotx::Client::builder()
        .base_url(server.uri())
        .token("cbx_ws_retry")
        .retry_policy(policy)
        .build()
        .unwrap()
}

#[cfg(feature = "chatbotx")]
#[tokio::test]
async fn retryable_answers_are_retried_until_they_succeed() {
    let cases = [
        ("503", ResponseTemplate::new(503)),
        (
            "502 HTML",
            ResponseTemplate::new(502)
                .set_body_raw(fixture("chatbotx/error_502.html"), "text/html"),
        ),
        ("504", ResponseTemplate::new(504)),
        (
            "429",
            ResponseTemplate::new(429)
                .set_body_raw(fixture("chatbotx/error_429.json"), "application/json"),
        ),
        (
            "truncated body",
            ResponseTemplate::new(200).set_body_raw(r#"{"data":[{"id":"1"#, "application/json"),
        ),
    ];
    for (what, failure) in cases {
        let server = failing_then(2, failure, EMPTY).await;
        let client = chatbotx(&server, quick());
        let items: Vec<_> = client
            .conversations()
            .stream()
            .try_collect()
            .await
            .unwrap_or_else(|e| panic!("{what}: {e}"));
        assert!(items.is_empty());
        assert_eq!(requests(&server).await.len(), 3, "{what}");
        assert_eq!(
            (client.stats().requests(), client.stats().retries()),
            (3, 2),
            "{what}"
        );
    }
}

#[cfg(feature = "chatwoot")]
#[tokio::test]
async fn chatwoot_retry_later_text_is_retried() {
    let server = MockServer::start().await;
    let count = Arc::new(AtomicUsize::new(0));
    Mock::given(any())
        .respond_with(move |_: &Request| {
            if count.fetch_add(1, Ordering::SeqCst) == 0 {
                ResponseTemplate::new(429).set_body_raw("Retry later", "text/plain")
            } else {
                ResponseTemplate::new(200).set_body_raw(
                    fixture("chatwoot/conversations_empty_page.json"),
                    "application/json",
                )
            }
        })
        .mount(&server)
        .await;
    let client = chatdesk::chatwoot::Client::builder()
        .base_url(server.uri())
        .api_access_token("cw")
        .retry_policy(quick())
        .build()
        .unwrap();
    let items: Vec<_> = client
        .conversations(1)
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert!(items.is_empty());
    assert_eq!(client.stats().retries(), 1);
}

#[cfg(feature = "chatbotx")]
#[tokio::test]
async fn other_answers_are_not_retried() {
    let cases = [
        (
            "401",
            ResponseTemplate::new(401)
                .set_body_raw(fixture("chatbotx/error_401.json"), "application/json"),
        ),
        (
            "404",
            ResponseTemplate::new(404)
                .set_body_raw(fixture("chatbotx/error_404.json"), "application/json"),
        ),
        (
            "422",
            ResponseTemplate::new(422)
                .set_body_raw(fixture("chatbotx/error_422.json"), "application/json"),
        ),
        (
            "500",
            ResponseTemplate::new(500).set_body_raw(
                fixture("chatbotx/error_500_old_bad_token.json"),
                "application/json",
            ),
        ),
        (
            "wrong shape",
            ResponseTemplate::new(200).set_body_raw(r#"{"data":{}}"#, "application/json"),
        ),
    ];
    for (what, failure) in cases {
        let server = failing_then(1, failure, EMPTY).await;
        let client = chatbotx(&server, quick());
        let first = client.conversations().stream().next().await.unwrap();
        assert!(first.is_err(), "{what}");
        assert_eq!(requests(&server).await.len(), 1, "{what}");
        assert_eq!(client.stats().retries(), 0, "{what}");
    }
}

#[cfg(feature = "chatbotx")]
#[tokio::test]
async fn attempts_stop_at_the_policy_and_the_last_error_is_returned() {
    let server = failing_then(usize::MAX, ResponseTemplate::new(503), EMPTY).await;
    let client = chatbotx(&server, quick().max_attempts(3));
    let error = client
        .conversations()
        .stream()
        .next()
        .await
        .unwrap()
        .unwrap_err();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(requests(&server).await.len(), 3);

    let server = failing_then(usize::MAX, ResponseTemplate::new(503), EMPTY).await;
    let client = chatbotx(&server, RetryPolicy::none());
    let _ = client.conversations().stream().next().await;
    assert_eq!(requests(&server).await.len(), 1);
}

#[cfg(feature = "chatbotx")]
#[tokio::test]
async fn a_refused_connection_is_retried() {
    let address = closed_address();
    let client = chatdesk::chatbotx::Client::builder()
        .base_url(format!("http://{address}"))
        .token("cbx_ws_retry")
        .retry_policy(quick().max_attempts(4))
        .build()
        .unwrap();
    let error = client
        .contacts()
        .stream()
        .next()
        .await
        .unwrap()
        .unwrap_err();
    assert!(matches!(error, chatdesk::Error::Transport(_)), "{error:?}");
    assert_eq!(
        (client.stats().requests(), client.stats().retries()),
        (4, 3)
    );
}

#[cfg(feature = "chatbotx")]
#[tokio::test]
async fn a_slow_response_times_out_and_is_retried() {
    let server = failing_then(
        1,
        ResponseTemplate::new(200)
            .set_body_raw(EMPTY, "application/json")
            .set_delay(Duration::from_secs(2)),
        EMPTY,
    )
    .await;
    let client = chatdesk::chatbotx::Client::builder()
        .base_url(server.uri())
        .token("cbx_ws_retry")
        .request_timeout(Duration::from_millis(300))
        .retry_policy(quick())
        .build()
        .unwrap();
    let items: Vec<_> = client.conversations().stream().try_collect().await.unwrap();
    assert!(items.is_empty());
    assert_eq!(client.stats().retries(), 1);
}

#[cfg(feature = "chatbotx")]
#[tokio::test]
async fn the_rate_limit_keeps_every_window_under_the_limit() {
    let arrivals: Arrivals = Arc::default();
    let seen = arrivals.clone();
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(move |request: &Request| {
            seen.lock().unwrap().push(Instant::now());
            let page: usize = param(request, "page").unwrap().parse().unwrap();
            let data: Vec<_> = if page <= 6 {
                vec![serde_json::json!({"id": page.to_string()})]
            } else {
                vec![]
            };
            ResponseTemplate::new(200)
                .set_body_json(serde_json::json!({"data": data, "pageCount": 6}))
        })
        .mount(&server)
        .await;
    let window = Duration::from_millis(600);
    let client = chatdesk::chatbotx::Client::builder()
        .base_url(server.uri())
        .token("cbx_ws_retry")
        .rate_limit(RateLimit::new(2, window).unwrap())
        .build()
        .unwrap();
    let contacts: Vec<_> = client
        .contacts()
        .concurrency(6)
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(contacts.len(), 6);
    assert_eq!(requests(&server).await.len(), 7);
    // The limiter spaces the sends; arrivals can bunch up by a delivery
    // delay, so allow that much slack below the window.
    assert!(max_overlap(&arrivals, window - Duration::from_millis(150)) <= 2);
}
