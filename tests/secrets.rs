//! Tokens never leak: not in `Debug` or `Display` of builders, clients and
//! errors, not in traces, not to another host on a redirect, not over plain
//! http to a remote host; and bad settings are clear errors, not panics.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use chatdesk::Error;
use common::*;
use futures::StreamExt;
use wiremock::matchers::{any, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const CW_TOKEN: &str = "cw-very-secret-4242";
const CBX_TOKEN: &str = "cbx_ws_very_secret_4242";

fn assert_hidden(what: &str, text: &str) {
    assert!(
        !text.contains(CW_TOKEN),
        "{what} shows the Chatwoot token: {text}"
    );
    assert!(
        !text.contains(CBX_TOKEN),
        "{what} shows the ChatbotX token: {text}"
    );
}

fn assert_error_hidden(what: &str, error: &Error) {
    assert_hidden(&format!("{what} (Display)"), &error.to_string());
    assert_hidden(&format!("{what} (Debug)"), &format!("{error:?}"));
    assert_hidden(&format!("{what} (alternate Debug)"), &format!("{error:#?}"));
}

#[cfg(all(feature = "chatwoot", feature = "chatbotx"))]
#[test]
fn builders_and_clients_print_no_token() {
    let cw = chatdesk::chatwoot::Client::builder()
        .base_url("https://chat.example.com")
        .api_access_token(CW_TOKEN);
    assert_hidden("chatwoot builder", &format!("{cw:?}"));
    let cw = cw.build().unwrap();
    assert_hidden("chatwoot client", &format!("{cw:?}"));
    assert_hidden("chatwoot api client", &format!("{:?}", cw.api()));
    assert_hidden("chatwoot listing", &format!("{:?}", cw.conversations(1)));

    for builder in [
        chatdesk::chatbotx::Client::builder().token(CBX_TOKEN),
        chatdesk::chatbotx::Client::builder().token_in_query(CBX_TOKEN),
    ] {
        assert_hidden("chatbotx builder", &format!("{builder:?}"));
        let client = builder.build().unwrap();
        assert_hidden("chatbotx client", &format!("{client:?}"));
        assert_hidden("chatbotx api client", &format!("{:#?}", client.api()));
        assert_hidden("chatbotx listing", &format!("{:?}", client.contacts()));
    }
}

/// A ChatbotX client that sends the token in the query string, where a
/// careless error message would show it.
#[cfg(feature = "chatbotx")]
fn query_token_client(base_url: &str) -> chatdesk::chatbotx::Client {
    chatdesk::chatbotx::Client::builder()
        .base_url(base_url)
        .token_in_query(CBX_TOKEN)
        .build()
        .unwrap()
}

/// The error a stream starts with.
#[cfg(any(feature = "chatbotx", feature = "chatwoot"))]
async fn first_error<T>(mut stream: chatdesk::paginate::ItemStream<T>) -> Error {
    match stream.next().await {
        Some(Err(error)) => error,
        Some(Ok(_)) => panic!("expected an error, got an item"),
        None => panic!("expected an error, got an empty stream"),
    }
}

#[cfg(feature = "chatbotx")]
#[tokio::test]
async fn no_error_kind_shows_the_token() {
    // An API error whose body echoes the token, fetched with the token in
    // the query string.
    let server = server_answering(
        401,
        "application/json",
        format!(r#"{{"defined":true,"code":"INVALID_CHATBOT_TOKEN","status":401,"message":"bad token {CBX_TOKEN}"}}"#),
    )
    .await;
    let client = query_token_client(&server.uri());
    let error = first_error(client.conversations().stream()).await;
    assert!(matches!(error, Error::Api(_)));
    assert_error_hidden("api error", &error);

    // A decode error whose body echoes the token.
    let server = server_answering(
        200,
        "application/json",
        format!(r#"{{"data": "{CBX_TOKEN}"}}"#),
    )
    .await;
    let client = query_token_client(&server.uri());
    let error = first_error(client.conversations().stream()).await;
    assert!(matches!(error, Error::Decode(_)));
    assert_error_hidden("decode error", &error);

    let address = closed_address();
    let client = query_token_client(&format!("http://{address}"));
    let error = first_error(client.contacts().stream()).await;
    assert!(matches!(error, Error::Transport(_)));
    assert_error_hidden("transport error", &error);

    // Config and input errors.
    let config = chatdesk::chatbotx::Client::builder()
        .base_url(format!("ftp://{CBX_TOKEN}@example.com"))
        .token(CBX_TOKEN)
        .build()
        .unwrap_err();
    assert_error_hidden("config error", &config);
    let input = first_error(client.contacts().per_page(0).stream()).await;
    assert_error_hidden("input error", &input);
}

#[cfg(feature = "chatwoot")]
#[tokio::test]
async fn a_redirect_to_another_host_is_not_followed() {
    let elsewhere = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_string("{}"))
        .mount(&elsewhere)
        .await;
    // Same address, other port: another origin.
    let other_port = format!("{}/api/v1/accounts/1/conversations", elsewhere.uri());
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(302).insert_header("location", other_port.as_str()))
        .mount(&server)
        .await;
    let client = chatdesk::chatwoot::Client::builder()
        .base_url(server.uri())
        .api_access_token(CW_TOKEN)
        .build()
        .unwrap();
    let error = first_error(client.conversations(1).stream()).await;
    assert_eq!(error.status().map(|s| s.as_u16()), Some(302), "{error}");
    assert!(
        requests(&elsewhere).await.is_empty(),
        "the other host saw a request"
    );
}

#[cfg(feature = "chatwoot")]
#[tokio::test]
async fn a_redirect_on_the_same_origin_is_followed_with_the_token() {
    let server = MockServer::start().await;
    Mock::given(path("/old/api/v1/accounts/1/conversations"))
        .respond_with(
            ResponseTemplate::new(301)
                .insert_header("location", "/new/api/v1/accounts/1/conversations?page=1"),
        )
        .mount(&server)
        .await;
    Mock::given(path("/new/api/v1/accounts/1/conversations"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(
            fixture("chatwoot/conversations_empty_page.json"),
            "application/json",
        ))
        .mount(&server)
        .await;
    let client = chatdesk::chatwoot::Client::builder()
        .base_url(format!("{}/old", server.uri()))
        .api_access_token(CW_TOKEN)
        .build()
        .unwrap();
    let items: Vec<_> = client.conversations(1).stream().collect().await;
    assert!(items.is_empty(), "{items:?}");
    let received = requests(&server).await;
    assert_eq!(received.len(), 2);
    assert_eq!(
        header(&received[1], "api_access_token").as_deref(),
        Some(CW_TOKEN)
    );
}

#[cfg(feature = "chatbotx")]
#[tokio::test]
async fn a_query_token_does_not_follow_a_cross_host_redirect() {
    let elsewhere = MockServer::start().await;
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(307).insert_header("location", elsewhere.uri().as_str()),
        )
        .mount(&server)
        .await;
    let client = query_token_client(&server.uri());
    let error = first_error(client.conversations().stream()).await;
    assert_eq!(error.status().map(|s| s.as_u16()), Some(307));
    assert!(requests(&elsewhere).await.is_empty());
    assert_error_hidden("redirect error", &error);
}

#[cfg(all(feature = "chatwoot", feature = "chatbotx"))]
#[test]
fn plain_http_is_refused_unless_loopback_or_allowed() {
    let remote = chatdesk::chatwoot::Client::builder()
        .base_url("http://chat.example.com")
        .api_access_token(CW_TOKEN)
        .build()
        .unwrap_err();
    assert!(
        remote.to_string().contains("allow_insecure_http"),
        "{remote}"
    );
    assert_error_hidden("http refusal", &remote);
    assert!(
        chatdesk::chatwoot::Client::builder()
            .base_url("http://chat.example.com")
            .api_access_token(CW_TOKEN)
            .allow_insecure_http()
            .build()
            .is_ok()
    );
    for loopback in [
        "http://127.0.0.1:3000",
        "http://localhost",
        "http://[::1]:8080",
    ] {
        assert!(
            chatdesk::chatbotx::Client::builder()
                .base_url(loopback)
                .token(CBX_TOKEN)
                .build()
                .is_ok(),
            "{loopback}"
        );
    }
    assert!(
        chatdesk::chatbotx::Client::builder()
            .base_url("http://10.0.0.8/api")
            .token(CBX_TOKEN)
            .build()
            .is_err()
    );
}

#[cfg(all(feature = "chatwoot", feature = "chatbotx"))]
#[test]
fn bad_builder_settings_are_clear_errors() {
    let chatwoot_cases = [
        (
            "missing base URL",
            None,
            Some(CW_TOKEN),
            "base URL is missing",
        ),
        (
            "missing token",
            Some("https://chat.example.com"),
            None,
            "token is missing",
        ),
        (
            "empty token",
            Some("https://chat.example.com"),
            Some("   "),
            "token is empty",
        ),
        (
            "token with a newline",
            Some("https://chat.example.com"),
            Some("a\nb"),
            "control character",
        ),
        (
            "not a URL",
            Some("chat.example.com"),
            Some(CW_TOKEN),
            "is not a URL",
        ),
        (
            "wrong scheme",
            Some("ftp://chat.example.com"),
            Some(CW_TOKEN),
            "http or https",
        ),
        (
            "query in base URL",
            Some("https://chat.example.com/?a=1"),
            Some(CW_TOKEN),
            "query",
        ),
        (
            "credentials in base URL",
            Some("https://u:p@chat.example.com"),
            Some(CW_TOKEN),
            "credentials",
        ),
    ];
    for (what, base, token, expected) in chatwoot_cases {
        let mut builder = chatdesk::chatwoot::Client::builder();
        if let Some(base) = base {
            builder = builder.base_url(base);
        }
        if let Some(token) = token {
            builder = builder.api_access_token(token);
        }
        let error = builder.build().unwrap_err();
        assert!(matches!(error, Error::Config(_)), "{what}: {error:?}");
        assert!(error.to_string().contains(expected), "{what}: {error}");
    }
    let error = chatdesk::chatbotx::Client::builder().build().unwrap_err();
    assert!(error.to_string().contains("CHATBOTX_TOKEN"), "{error}");
}
