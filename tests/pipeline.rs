//! One pipeline for every request: a generated `api()` call gets the same
//! guarantees as a listing's page — retries, the rate limit, the response
//! size limit, stats, the query token, and no token in its errors. Each
//! guarantee is checked both ways. (POST idempotency, which no operation of
//! the shipped specs needs yet, is tested inside the crate, in
//! `src/request.rs`.)

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use chatdesk::rate_limit::RateLimit;
use chatdesk::{Error, Platform, chatbotx, chatwoot};
use common::*;
use futures::TryStreamExt;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const TOKEN: &str = "cbx_ws_pipeline_secret_31";
const EMPTY_CURSOR_PAGE: &str = r#"{"data":[],"nextCursor":null,"prevCursor":null}"#;
const EMPTY_CHATWOOT_PAGE: &str = r#"{"data":{"meta":{"mine_count":0,"assigned_count":0,"unassigned_count":0,"all_count":0},"payload":[]}}"#;

fn chatwoot_client(server: &MockServer) -> chatwoot::Client {
    chatwoot::Client::builder()
        .base_url(server.uri())
        .api_access_token(TOKEN)
        .retry_policy(quick())
        .build()
        .unwrap()
}

/// Chatwoot's bare 429: text, no `Retry-After`.
fn bare_429() -> ResponseTemplate {
    ResponseTemplate::new(429).set_body_raw("Retry later", "text/plain")
}

#[tokio::test]
async fn a_bare_429_is_retried_for_a_generated_call() {
    let server = failing_then(2, bare_429(), EMPTY_CHATWOOT_PAGE).await;
    let client = chatwoot_client(&server);
    let page = client
        .api()
        .list_conversations()
        .account_id(1)
        .send()
        .await
        .unwrap()
        .into_inner();
    assert!(page.data.payload.is_empty());
    assert_eq!(requests(&server).await.len(), 3);
    assert_eq!(client.stats().requests(), 3);
    assert_eq!(client.stats().retries(), 2);
}

#[tokio::test]
async fn a_bare_429_is_retried_for_a_listing() {
    let server = failing_then(2, bare_429(), EMPTY_CHATWOOT_PAGE).await;
    let client = chatwoot_client(&server);
    let items: Vec<_> = client
        .conversations(1)
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert!(items.is_empty());
    assert_eq!(client.stats().requests(), 3);
    assert_eq!(client.stats().retries(), 2);
}

#[tokio::test]
async fn a_generated_call_gives_up_with_the_last_answer() {
    let server = server_answering(503, "text/html", "<html><title>Busy</title></html>").await;
    let client = chatwoot::Client::builder()
        .base_url(server.uri())
        .api_access_token(TOKEN)
        .retry_policy(quick().max_attempts(3))
        .build()
        .unwrap();
    let error = client
        .api()
        .list_conversations()
        .account_id(1)
        .send()
        .await
        .unwrap_err();
    let error = Error::from_generated(Platform::Chatwoot, "listConversations", error).await;
    assert_eq!(error.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(error.code(), None);
    assert!(error.to_string().contains("Busy"), "{error}");
    assert_eq!(requests(&server).await.len(), 3);
}

#[tokio::test]
async fn the_rate_limit_spaces_generated_calls_and_listings_alike() {
    let arrivals: Arrivals = Arc::default();
    let seen = arrivals.clone();
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(move |_: &Request| {
            seen.lock().unwrap().push(Instant::now());
            ResponseTemplate::new(200).set_body_raw(EMPTY_CURSOR_PAGE, "application/json")
        })
        .mount(&server)
        .await;
    let window = Duration::from_millis(600);
    let client = chatbotx::Client::builder()
        .base_url(server.uri())
        .token(TOKEN)
        .rate_limit(RateLimit::new(2, window).unwrap())
        .build()
        .unwrap();
    // Two generated calls and two listings share one limiter.
    for _ in 0..2 {
        client.api().list_conversations().send().await.unwrap();
        let _: Vec<_> = client.conversations().stream().try_collect().await.unwrap();
    }
    assert_eq!(requests(&server).await.len(), 4);
    assert_eq!(client.stats().requests(), 4);
    // Arrivals can bunch up by a delivery delay: allow that slack.
    assert!(max_overlap(&arrivals, window - Duration::from_millis(150)) <= 2);
}

#[tokio::test]
async fn the_size_limit_holds_for_a_generated_call() {
    let (url, _) = endless_server(None).await;
    let client = chatbotx::Client::builder()
        .base_url(&url)
        .token(TOKEN)
        .max_response_bytes(256 * 1024)
        .build()
        .unwrap();
    let error = client.api().list_contacts().send().await.unwrap_err();
    // The pipeline's error is the source of progenitor's.
    let mut chain = Vec::new();
    let mut cause: Option<&dyn std::error::Error> = Some(&error);
    while let Some(inner) = cause {
        chain.push(inner.to_string());
        cause = inner.source();
    }
    let chain = chain.join(": ");
    assert!(chain.contains("262144 bytes"), "{chain}");
    assert!(
        chain.contains("/v1/contacts"),
        "the URL path shows: {chain}"
    );
    let error = Error::from_generated(Platform::Chatbotx, "listContacts", error).await;
    assert!(
        matches!(
            error,
            Error::ResponseTooLarge {
                limit: 262_144,
                operation: "listContacts",
                ..
            }
        ),
        "{error:?}"
    );
    assert!(!error.is_retryable());
    assert_eq!(client.stats().requests(), 1, "not retried");
}

#[tokio::test]
async fn the_query_token_is_added_once_to_generated_calls_and_listings() {
    let server = json_server(EMPTY_CURSOR_PAGE).await;
    let client = chatbotx::Client::builder()
        .base_url(server.uri())
        .token_in_query(TOKEN)
        .retry_policy(quick())
        .build()
        .unwrap();
    client
        .api()
        .list_conversations()
        .per_page(7)
        .send()
        .await
        .unwrap();
    let _: Vec<_> = client
        .conversations()
        .per_page(7)
        .stream()
        .try_collect()
        .await
        .unwrap();
    for request in requests(&server).await {
        assert_eq!(query(&request), format!("perPage=7&token={TOKEN}"));
        assert_eq!(header(&request, "authorization"), None);
    }
}

#[tokio::test]
async fn a_query_token_never_shows_in_the_errors_of_a_generated_call() {
    let client = chatbotx::Client::builder()
        .base_url(format!("http://{}", closed_address()))
        .token_in_query(TOKEN)
        .retry_policy(quick().max_attempts(2))
        .build()
        .unwrap();
    let error = client.api().list_conversations().send().await.unwrap_err();
    // Progenitor's own error, before any conversion, has no URL either.
    assert!(!format!("{error} {error:?}").contains(TOKEN), "{error:?}");
    let error = Error::from_generated(Platform::Chatbotx, "listConversations", error).await;
    assert!(matches!(error, Error::Transport(_)), "{error:?}");
    assert!(!format!("{error} {error:?}").contains(TOKEN));
    assert_eq!(
        client.stats().requests(),
        2,
        "a connection failure is retried"
    );

    // A listing's error, the same way.
    let error = client
        .conversations()
        .stream()
        .try_collect::<Vec<_>>()
        .await
        .unwrap_err();
    assert!(!format!("{error} {error:?}").contains(TOKEN));
}

#[tokio::test]
async fn a_generated_call_shares_the_clients_stats() {
    let server = json_server(EMPTY_CURSOR_PAGE).await;
    let client = chatbotx::Client::builder()
        .base_url(server.uri())
        .token(TOKEN)
        .build()
        .unwrap();
    let copy = client.clone();
    client.api().list_conversations().send().await.unwrap();
    let _: Vec<_> = copy.conversations().stream().try_collect().await.unwrap();
    assert_eq!(client.stats().requests(), 2);
    assert_eq!(copy.stats().requests(), 2);
}
