//! Error answers of both platforms, as the real servers send them, become a
//! typed `chatdesk::Error` with the status and the server's own message;
//! bodies that are not what the spec says become a decode error, never a
//! panic.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::time::Duration;

use chatdesk::{Error, Platform};
use common::*;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

#[cfg(feature = "chatwoot")]
async fn chatwoot_error(server: &MockServer) -> Error {
    // Generated calls go through the retrying pipeline; these tests read
    // the first answer's error (retries: tests/pipeline.rs).
    let client = chatdesk::chatwoot::Client::builder()
        .base_url(server.uri())
        .api_access_token("cw-secret-token")
        .retry_policy(chatdesk::retry::RetryPolicy::none())
        .build()
        .unwrap();
    let error = client
        .api()
        .list_conversations()
        .account_id(1)
        .send()
        .await
        .unwrap_err();
    Error::from_generated(Platform::Chatwoot, "listConversations", error).await
}

#[cfg(feature = "chatbotx")]
async fn chatbotx_error(server: &MockServer) -> Error {
    let client = chatdesk::chatbotx::Client::builder()
        .base_url(server.uri())
        .token("cbx_ws_secret_token")
        .retry_policy(chatdesk::retry::RetryPolicy::none())
        .build()
        .unwrap();
    let error = client.api().list_conversations().send().await.unwrap_err();
    Error::from_generated(Platform::Chatbotx, "listConversations", error).await
}

fn api(error: &Error) -> &chatdesk::error::ApiError {
    match error {
        Error::Api(api) => api,
        other => panic!("expected an API error, got {other:?}"),
    }
}

#[cfg(feature = "chatwoot")]
#[tokio::test]
async fn chatwoot_error_bodies() {
    let cases = [
        (
            401,
            "application/json",
            "chatwoot/error_401_invalid_token.json",
            "Invalid Access Token",
            false,
        ),
        (
            401,
            "application/json",
            "chatwoot/error_401_missing_token.json",
            "sign in",
            false,
        ),
        (
            404,
            "application/json",
            "chatwoot/error_404.json",
            "Resource could not be found",
            false,
        ),
        (
            422,
            "application/json",
            "chatwoot/error_422.json",
            "attributes",
            false,
        ),
        (
            429,
            "text/plain",
            "chatwoot/error_429.txt",
            "Retry later",
            true,
        ),
        (500, "text/html", "chatwoot/error_500.html", "", false),
    ];
    for (status, content_type, file, message, retryable) in cases {
        let server = server_answering(status, content_type, fixture(file)).await;
        let error = chatwoot_error(&server).await;
        let details = api(&error);
        assert_eq!(details.status.as_u16(), status, "{file}");
        assert_eq!(error.status().map(|s| s.as_u16()), Some(status), "{file}");
        assert!(
            details.message.as_deref().unwrap_or("").contains(message),
            "{file}: {:?}",
            details.message
        );
        assert_eq!(error.is_retryable(), retryable, "{file}");
        assert!(!details.body_excerpt.is_empty(), "{file}");
    }
}

#[cfg(feature = "chatwoot")]
#[tokio::test]
async fn chatwoot_401_tells_what_to_do() {
    let server = server_answering(
        401,
        "application/json",
        fixture("chatwoot/error_401_invalid_token.json"),
    )
    .await;
    let error = chatwoot_error(&server).await;
    assert_eq!(
        error.to_string(),
        "401 Unauthorized from chatwoot for /api/v1/accounts/1/conversations: Invalid Access \
         Token — check CHATWOOT_API_ACCESS_TOKEN: \
         the token is missing, wrong or revoked"
    );
}

#[cfg(feature = "chatbotx")]
#[tokio::test]
async fn chatbotx_error_bodies_old_and_new() {
    let cases = [
        (
            401,
            "application/json",
            "chatbotx/error_401.json",
            Some("INVALID_CHATBOT_TOKEN"),
            false,
        ),
        (
            403,
            "application/json",
            "chatbotx/error_403.json",
            None,
            false,
        ),
        (
            404,
            "application/json",
            "chatbotx/error_404.json",
            None,
            false,
        ),
        (
            422,
            "application/json",
            "chatbotx/error_422.json",
            None,
            false,
        ),
        (
            429,
            "application/json",
            "chatbotx/error_429.json",
            None,
            true,
        ),
        (
            500,
            "application/json",
            "chatbotx/error_500_old_bad_token.json",
            None,
            false,
        ),
        (
            400,
            "application/json",
            "chatbotx/error_400_old_validation.json",
            None,
            false,
        ),
        (502, "text/html", "chatbotx/error_502.html", None, true),
    ];
    for (status, content_type, file, code, retryable) in cases {
        let server = server_answering(status, content_type, fixture(file)).await;
        let error = chatbotx_error(&server).await;
        let details = api(&error);
        assert_eq!(details.status.as_u16(), status, "{file}");
        assert!(details.message.is_some(), "{file}: a message for a person");
        if let Some(code) = code {
            assert_eq!(error.code(), Some(code), "{file}");
        }
        if content_type == "application/json" {
            let body: serde_json::Value = serde_json::from_slice(&fixture(file)).unwrap();
            assert_eq!(error.code(), body["code"].as_str(), "{file}");
        }
        assert_eq!(error.is_retryable(), retryable, "{file}");
    }
}

#[cfg(feature = "chatbotx")]
#[tokio::test]
async fn chatbotx_validation_issues_are_in_the_message() {
    let server = server_answering(
        400,
        "application/json",
        fixture("chatbotx/error_400_old_validation.json"),
    )
    .await;
    let error = chatbotx_error(&server).await;
    let text = error.to_string();
    assert!(text.contains("contactFilter"), "{text}");
    assert!(text.starts_with("400 Bad Request from chatbotx"), "{text}");
}

#[cfg(feature = "chatbotx")]
#[tokio::test]
async fn retry_after_is_read_in_seconds_and_as_a_date() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(429)
                .insert_header("retry-after", "7")
                .set_body_raw(fixture("chatbotx/error_429.json"), "application/json"),
        )
        .mount(&server)
        .await;
    let error = chatbotx_error(&server).await;
    assert_eq!(api(&error).retry_after, Some(Duration::from_secs(7)));

    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(503)
                .insert_header("retry-after", "Wed, 21 Oct 2015 07:28:00 GMT"),
        )
        .mount(&server)
        .await;
    let error = chatbotx_error(&server).await;
    assert_eq!(
        api(&error).retry_after,
        Some(Duration::ZERO),
        "a date in the past: no wait"
    );
    assert!(error.is_retryable());
}

#[cfg(feature = "chatwoot")]
#[tokio::test]
async fn success_bodies_that_are_not_the_spec_are_decode_errors() {
    let full = fixture_text("chatwoot/conversations_page.json");
    let truncated = full[..full.len() / 2].to_string();
    // An HTML page with 200 is a wrong base URL: see
    // `a_base_url_answering_html_is_a_configuration_error_naming_the_path`
    // in tests/fidelity.rs.
    // Only a body cut short may come whole on a retry.
    let cases: [(&str, &str, String, bool); 3] = [
        ("empty body", "application/json", String::new(), false),
        ("truncated JSON", "application/json", truncated, true),
        (
            "wrong shape",
            "application/json",
            r#"{"data":[]}"#.into(),
            false,
        ),
    ];
    for (what, content_type, body, retryable) in cases {
        let server = server_answering(200, content_type, body.clone()).await;
        let error = chatwoot_error(&server).await;
        match &error {
            Error::Decode(details) => {
                assert_eq!(details.operation, "listConversations", "{what}");
                assert!(
                    details.body_excerpt.len() <= chatdesk::error::BODY_EXCERPT_LIMIT + 3,
                    "{what}"
                );
                assert!(
                    body.starts_with(details.body_excerpt.trim_end_matches('…')),
                    "{what}"
                );
            }
            other => panic!("{what}: expected a decode error, got {other:?}"),
        }
        assert_eq!(error.is_retryable(), retryable, "{what}");
        assert!(
            error.to_string().contains("did not decode"),
            "{what}: {error}"
        );
    }
}

#[cfg(feature = "chatbotx")]
#[tokio::test]
async fn an_unreachable_server_is_a_transport_error_without_the_token() {
    let address = closed_address();
    let client = chatdesk::chatbotx::Client::builder()
        .base_url(format!("http://{address}"))
        .token_in_query("cbx_ws_never_shown")
        .build()
        .unwrap();
    let error = client.api().list_conversations().send().await.unwrap_err();
    let error = Error::from_generated(Platform::Chatbotx, "listConversations", error).await;
    assert!(matches!(error, Error::Transport(_)), "{error:?}");
    assert!(error.is_retryable());
    assert!(!format!("{error}").contains("cbx_ws_never_shown"));
    assert!(!format!("{error:?}").contains("cbx_ws_never_shown"));
}

#[tokio::test]
async fn a_transport_error_leads_to_the_reqwest_error_and_says_its_advice_once() {
    let address = closed_address();
    let client = chatdesk::chatbotx::Client::builder()
        .base_url(format!("http://{address}"))
        .token("cbx_ws_never_shown")
        .build()
        .unwrap();
    let error = client.api().list_contacts().send().await.unwrap_err();
    let error = Error::from_generated(Platform::Chatbotx, "listContacts", error).await;
    let source = std::error::Error::source(&error).expect("a transport error has a cause");
    assert!(
        source.downcast_ref::<chatdesk::reqwest::Error>().is_some(),
        "{source:?}"
    );
    let report = chatdesk::error::Report(&error).to_string();
    assert_eq!(report.matches("check the network").count(), 1, "{report}");
    assert!(report.len() > error.to_string().len(), "{report}");
    assert!(!report.contains("cbx_ws_never_shown"), "{report}");
}
