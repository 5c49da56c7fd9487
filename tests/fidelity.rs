//! What a real or a hostile server showed: bounded memory, walks that end,
//! each item once, and errors that tell the truth (a refused token on an
//! older ChatbotX server, a redirect to another origin, a base URL that
//! answers HTML, messages that say each thing once).

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::HashSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use chatdesk::chatbotx::Identifier;
use chatdesk::paginate::{ItemStream, MAX_PAGES_WITHOUT_NEW_ITEMS};
use chatdesk::{Error, RawItem, chatbotx, chatwoot};
use common::*;
use futures::{StreamExt, TryStreamExt};
use serde_json::{Value, json};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const TOKEN: &str = "cbx_ws_fidelity_secret_7";
const COOKIE: &str = "session=fidelity-cookie-secret-9";

fn chatbotx_client(base_url: &str) -> chatbotx::Client {
    chatbotx::Client::builder()
        .base_url(base_url)
        .token(TOKEN)
        .build()
        .unwrap()
}

/// A client of a running fake ChatbotX.
fn fake_chatbotx_client(fake: &chatdesk_fake::RunningFake) -> chatbotx::Client {
    chatbotx::Client::builder()
        .base_url(fake.base_url())
        .token(fake.token())
        .build()
        .unwrap()
}

fn chatwoot_client(base_url: &str) -> chatwoot::Client {
    chatwoot::Client::builder()
        .base_url(base_url)
        .api_access_token(TOKEN)
        .build()
        .unwrap()
}

/// A cursor page of items with these ids.
fn cursor_page(ids: &[u64], next: Option<&str>) -> ResponseTemplate {
    let data: Vec<Value> = ids.iter().map(|id| json!({"id": id.to_string()})).collect();
    ResponseTemplate::new(200)
        .set_body_json(json!({"data": data, "nextCursor": next, "prevCursor": null}))
}

/// An item's id without the quotes of a JSON string.
fn id_of(item: &RawItem) -> String {
    item.id().trim_matches('"').to_string()
}

/// The ids a raw stream yields, and the error that ended it.
async fn drain(mut stream: ItemStream<RawItem>) -> (Vec<String>, Option<Error>) {
    let mut ids = Vec::new();
    while let Some(item) = stream.next().await {
        match item {
            Ok(item) => ids.push(id_of(&item)),
            Err(error) => {
                assert!(stream.next().await.is_none(), "nothing after an error");
                return (ids, Some(error));
            }
        }
    }
    (ids, None)
}

fn strings(ids: impl IntoIterator<Item = u64>) -> Vec<String> {
    ids.into_iter().map(|n| n.to_string()).collect()
}

// ---------------------------------------------------------------------------
// Memory: a body is read against a limit
// ---------------------------------------------------------------------------

#[tokio::test]
async fn an_endless_body_stops_at_the_limit_with_a_clear_error_and_no_retry() {
    let (url, connections) = endless_server(None).await;
    let client = chatbotx::Client::builder()
        .base_url(&url)
        .token(TOKEN)
        .max_response_bytes(1024 * 1024)
        .build()
        .unwrap();
    let (ids, error) = drain(client.conversations().stream_raw()).await;
    assert!(ids.is_empty());
    let Some(Error::ResponseTooLarge {
        limit, operation, ..
    }) = &error
    else {
        panic!("expected ResponseTooLarge, got {error:?}");
    };
    assert_eq!(*limit, 1024 * 1024);
    assert_eq!(*operation, "listConversations");
    let message = error.as_ref().unwrap().to_string();
    assert!(message.contains("1048576 bytes"), "{message}");
    assert!(message.contains(".max_response_bytes("), "{message}");
    assert!(!error.as_ref().unwrap().is_retryable());
    assert_eq!(connections.load(Ordering::SeqCst), 1, "not retried");
    assert_eq!(client.stats().requests(), 1);
}

#[tokio::test]
async fn the_default_limit_is_64_mib() {
    assert_eq!(chatdesk::DEFAULT_MAX_RESPONSE_BYTES, 64 * 1024 * 1024);
    let (url, _) = endless_server(None).await;
    let client = chatwoot_client(&url);
    let (_, error) = drain(client.conversations(1).stream_raw()).await;
    assert!(
        matches!(error, Some(Error::ResponseTooLarge { limit, .. }) if limit == chatdesk::DEFAULT_MAX_RESPONSE_BYTES),
        "{error:?}"
    );
}

#[tokio::test]
async fn a_body_announced_over_the_limit_is_refused_before_reading() {
    let (url, connections) = endless_server(Some(10 * 1024 * 1024 * 1024)).await;
    let client = chatbotx::Client::builder()
        .base_url(&url)
        .token(TOKEN)
        .max_response_bytes(1024)
        .build()
        .unwrap();
    let (_, error) = drain(client.contacts().stream_raw()).await;
    assert!(
        matches!(error, Some(Error::ResponseTooLarge { limit: 1024, .. })),
        "{error:?}"
    );
    assert_eq!(connections.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn a_body_at_the_limit_is_read_whole() {
    let body = br#"{"data":[{"id":"1"}],"nextCursor":null,"prevCursor":null}"#;
    let server = json_server(body.to_vec()).await;
    let client = chatbotx::Client::builder()
        .base_url(server.uri())
        .token(TOKEN)
        .max_response_bytes(body.len() as u64)
        .build()
        .unwrap();
    let (ids, error) = drain(client.conversations().stream_raw()).await;
    assert_eq!((ids, error.map(|e| e.to_string())), (strings([1]), None));
}

// ---------------------------------------------------------------------------
// Cursor walks end, and yield each item once
// ---------------------------------------------------------------------------

/// A server that answers every cursor request with the same items and a
/// new cursor: `c1`, `c2`, ... forever.
async fn new_cursor_same_items_server() -> MockServer {
    let server = MockServer::start().await;
    let counter = Arc::new(AtomicU64::new(0));
    Mock::given(any())
        .respond_with(move |_: &Request| {
            let n = counter.fetch_add(1, Ordering::SeqCst) + 1;
            cursor_page(&[1, 2, 3], Some(&format!("c{n}")))
        })
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn pages_that_bring_nothing_new_end_the_walk_naming_the_cursor() {
    let server = new_cursor_same_items_server().await;
    let (ids, error) = drain(chatbotx_client(&server.uri()).conversations().stream_raw()).await;
    assert_eq!(ids, strings([1, 2, 3]), "each item once");
    let Some(Error::Pagination { message, .. }) = &error else {
        panic!("expected a pagination error, got {error:?}");
    };
    let requests = requests(&server).await.len() as u32;
    assert_eq!(requests, 1 + MAX_PAGES_WITHOUT_NEW_ITEMS);
    // The cursor the last page sent back is named.
    assert!(message.contains(&format!("c{requests}")), "{message}");
    assert!(
        message.contains("only items already delivered"),
        "{message}"
    );
}

#[tokio::test]
async fn one_page_of_repeats_is_tolerated() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            |request: &Request| match param(request, "cursor").as_deref() {
                None => cursor_page(&[1, 2, 3], Some("a")),
                Some("a") => cursor_page(&[2, 3], Some("b")),
                Some("b") => cursor_page(&[3, 4], None),
                _ => ResponseTemplate::new(418),
            },
        )
        .mount(&server)
        .await;
    let (ids, error) = drain(chatbotx_client(&server.uri()).conversations().stream_raw()).await;
    assert!(error.is_none(), "{error:?}");
    assert_eq!(ids, strings([1, 2, 3, 4]));
}

#[tokio::test]
async fn a_repeated_cursor_error_names_the_cursor_that_came_back() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            |request: &Request| match param(request, "cursor").as_deref() {
                None => cursor_page(&[1], Some("first")),
                Some("first") => cursor_page(&[2], Some("second")),
                Some("second") => cursor_page(&[3], Some("first")),
                _ => ResponseTemplate::new(418),
            },
        )
        .mount(&server)
        .await;
    let (ids, error) = drain(chatbotx_client(&server.uri()).conversations().stream_raw()).await;
    assert_eq!(ids, strings([1, 2, 3]));
    let Some(Error::Pagination { message, .. }) = &error else {
        panic!("{error:?}");
    };
    assert!(
        message.contains("after cursor second the server sent back cursor first"),
        "{message}"
    );
}

/// Pages as the real server's broken cursor sends them: page 2 repeats
/// the end of page 1.
async fn overlapping_pages_server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            |request: &Request| match param(request, "cursor").as_deref() {
                None => cursor_page(&[1, 2, 3, 4, 5], Some("p2")),
                Some("p2") => cursor_page(&[4, 5, 6, 7], Some("p3")),
                Some("p3") => cursor_page(&[7, 8], None),
                _ => ResponseTemplate::new(418),
            },
        )
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn cursor_walks_yield_each_item_once_and_max_items_counts_distinct_ones() {
    let server = overlapping_pages_server().await;
    let client = chatbotx_client(&server.uri());
    let (ids, error) = drain(client.conversations().stream_raw()).await;
    assert!(error.is_none(), "{error:?}");
    assert_eq!(ids, strings(1..=8));

    let typed: Vec<String> = client
        .contact_messages(Identifier::id(42))
        .stream()
        .map_ok(|m| m.id)
        .try_collect()
        .await
        .unwrap();
    assert_eq!(typed, strings(1..=8), "typed streams too");

    let (ids, _) = drain(client.conversations().max_items(6).stream_raw()).await;
    assert_eq!(ids, strings(1..=6), "six distinct items");

    let pages: Vec<_> = client
        .conversations()
        .max_items(6)
        .pages_raw()
        .try_collect()
        .await
        .unwrap();
    let counts: Vec<usize> = pages.iter().map(|p| p.items.len()).collect();
    assert_eq!(counts, [5, 1], "page 2 brings 6 only");
}

/// A fake ChatbotX whose activity order differs from its id order, with
/// a broken cursor or not, and a client for it.
async fn touched_fake(broken_cursor: bool) -> (chatdesk_fake::RunningFake, chatbotx::Client) {
    let fake = chatdesk_fake::FakeChatbotx::builder()
        .conversations(300)
        .contacts(60)
        .seed(11)
        .broken_cursor(broken_cursor)
        .start()
        .await
        .unwrap();
    for id in fake.conversation_ids().iter().rev().step_by(7) {
        fake.touch_conversation(id);
    }
    let client = fake_chatbotx_client(&fake);
    (fake, client)
}

#[tokio::test]
async fn the_broken_cursor_of_the_open_source_server_yields_every_conversation_once() {
    let (_sound, client) = touched_fake(false).await;
    let expected: HashSet<String> = client
        .conversations()
        .stream()
        .map_ok(|c| c.id)
        .try_collect()
        .await
        .unwrap();
    let (_broken, client) = touched_fake(true).await;
    let walked: Vec<String> = client
        .conversations()
        .per_page(100)
        .stream()
        .map_ok(|c| c.id)
        .try_collect()
        .await
        .unwrap();
    let distinct: HashSet<String> = walked.iter().cloned().collect();
    assert_eq!(distinct.len(), walked.len(), "no duplicate");
    assert_eq!(distinct, expected, "every conversation of the view");
}

// ---------------------------------------------------------------------------
// Errors that tell the truth
// ---------------------------------------------------------------------------

#[tokio::test]
async fn a_500_invalid_token_from_an_older_server_is_an_auth_failure_not_retried() {
    let server = server_answering(
        500,
        "application/json",
        r#"{"defined":true,"code":"INVALID_CHATBOT_TOKEN","status":500,"message":"Invalid chatbot token"}"#,
    )
    .await;
    let (_, error) = drain(chatbotx_client(&server.uri()).contacts().stream_raw()).await;
    let error = error.unwrap();
    assert!(error.is_auth_failure());
    assert!(!error.is_retryable());
    let message = error.to_string();
    assert!(message.contains("CHATBOTX_TOKEN"), "{message}");
    assert!(!message.contains("retry later"), "{message}");
    assert_eq!(requests(&server).await.len(), 1, "not retried");
}

#[tokio::test]
async fn a_redirect_to_another_origin_is_refused_and_says_why() {
    let elsewhere = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"data": []})))
        .mount(&elsewhere)
        .await;
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(302).insert_header(
            "location",
            format!("{}/api/v1/conversations", elsewhere.uri()),
        ))
        .mount(&server)
        .await;
    let (_, error) = drain(chatbotx_client(&server.uri()).conversations().stream_raw()).await;
    let error = error.unwrap();
    assert!(matches!(error, Error::Redirect(_)), "{error:?}");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(302));
    assert!(!error.is_retryable());
    let message = error.to_string();
    assert!(
        message.contains(&format!("redirect to {}", elsewhere.uri())),
        "{message}"
    );
    assert!(message.contains("would not leave"), "{message}");
    assert!(message.contains("set the base URL"), "{message}");
    assert!(!message.contains(TOKEN));
    assert!(
        requests(&elsewhere).await.is_empty(),
        "the token never went there"
    );
}

const HTML_PAGE: &str = "<!DOCTYPE html><html><head><title>Inbox</title></head><body><div id=\"root\">Loading the web app…</div><script src=\"/app.js\"></script></body></html>";

#[tokio::test]
async fn a_base_url_answering_html_is_a_configuration_error_naming_the_path() {
    for status in [404, 200] {
        let server = server_answering(status, "text/html; charset=utf-8", HTML_PAGE).await;
        let (_, error) = drain(chatbotx_client(&server.uri()).conversations().stream_raw()).await;
        let error = error.unwrap();
        assert!(matches!(error, Error::Config(_)), "{status}: {error:?}");
        let message = error.to_string();
        assert!(
            message.contains(&format!("{}/v1/conversations", server.uri())),
            "{message}"
        );
        assert!(message.contains("ending in /api"), "{message}");
        assert!(
            !message.contains("<html"),
            "no HTML in the message: {message}"
        );
        assert!(
            !message.contains("root"),
            "no HTML in the message: {message}"
        );
        assert_eq!(requests(&server).await.len(), 1, "not retried");
    }
    let server = server_answering(404, "text/html", HTML_PAGE).await;
    let (_, error) = drain(chatwoot_client(&server.uri()).conversations(1).stream_raw()).await;
    let message = error.unwrap().to_string();
    assert!(
        message.contains("/api/v1/accounts/1/conversations"),
        "{message}"
    );
    assert!(message.contains("without /api"), "{message}");
}

#[tokio::test]
async fn a_json_404_stays_an_api_error() {
    let server = server_answering(
        404,
        "application/json",
        r#"{"error":"Resource could not be found"}"#,
    )
    .await;
    let (_, error) = drain(chatwoot_client(&server.uri()).conversations(9).stream_raw()).await;
    let error = error.unwrap();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(404));
    let message = error.to_string();
    assert!(
        message.contains("for /api/v1/accounts/9/conversations:"),
        "the path requested: {message}"
    );
    assert!(
        message.contains("no account 9 that this token can see, or the base URL is wrong"),
        "{message}"
    );
    assert!(!message.contains("contact"), "{message}");
}

#[tokio::test]
async fn argument_errors_say_each_thing_once() {
    let client = chatbotx_client("http://127.0.0.1:9");
    let (_, error) = drain(client.contact_messages(Identifier::id("12a")).stream_raw()).await;
    let message = error.unwrap().to_string();
    assert_eq!(
        message.matches("invalid request argument").count(),
        1,
        "{message}"
    );
    assert!(message.contains("chatbotx contact messages"), "{message}");
    assert!(message.contains("id:12a"), "{message}");
}

#[test]
fn a_very_deep_json_path_is_shortened_in_the_message() {
    #[derive(serde::Deserialize, Debug)]
    #[allow(dead_code)]
    struct Node {
        child: Option<Box<Node>>,
        leaf: Option<u8>,
    }
    let depth = 100;
    let body = format!(
        "{}{{\"leaf\":\"x\"}}{}",
        "{\"child\":".repeat(depth),
        "}".repeat(depth)
    );
    let error =
        chatdesk::error::decode::<Node>(chatdesk::Platform::Chatwoot, "op", body.as_bytes())
            .unwrap_err();
    let Error::Decode(details) = &error else {
        panic!("{error:?}");
    };
    assert!(details.path.len() > 500, "the full path stays in the field");
    let message = error.to_string();
    assert!(!message.contains(&details.path), "{message}");
    let shown = message.split('`').nth(1).expect("the path is quoted");
    assert!(shown.len() < 130, "{} bytes: {shown}", shown.len());
    assert!(shown.contains("…"), "{message}");
    assert!(
        message.contains(".leaf`"),
        "the end of the path shows: {message}"
    );
}

// ---------------------------------------------------------------------------
// Servers that want more than the token
// ---------------------------------------------------------------------------

#[tokio::test]
async fn extra_headers_are_sent_and_kept_secret() {
    let server = server_answering(
        400,
        "application/json",
        format!(
            r#"{{"defined":false,"code":"systemError","status":400,"message":"User is not associated with this workspace (cookie {COOKIE})"}}"#
        ),
    )
    .await;
    let builder = chatbotx::Client::builder()
        .base_url(server.uri())
        .token(TOKEN)
        .header("Cookie", COOKIE);
    assert!(!format!("{builder:?}").contains("fidelity-cookie-secret"));
    let client = builder.build().unwrap();
    assert!(!format!("{client:?}").contains("fidelity-cookie-secret"));
    let (_, error) = drain(client.conversations().stream_raw()).await;
    let error = error.unwrap();
    let text = format!("{error} {error:?}");
    assert!(!text.contains("fidelity-cookie-secret"), "{text}");
    assert!(text.contains("session"), "{text}");
    assert!(text.contains("Cookie"), "{text}");
    let sent = requests(&server).await;
    assert_eq!(header(&sent[0], "cookie").as_deref(), Some(COOKIE));
    assert_eq!(
        header(&sent[0], "authorization"),
        Some(format!("Bearer {TOKEN}"))
    );
}

#[tokio::test]
async fn bad_extra_headers_are_refused_at_build() {
    let bad = [
        ("Bad Name", "x"),
        ("Cookie", "a\nb"),
        ("Authorization", "Bearer other"),
    ];
    for (name, value) in bad {
        let error = chatbotx::Client::builder()
            .token(TOKEN)
            .header(name, value)
            .build()
            .unwrap_err();
        assert!(matches!(error, Error::Config(_)), "{name}: {error:?}");
        assert!(!error.to_string().contains("Bearer other"), "{error}");
    }
    let error = chatwoot::Client::builder()
        .base_url("https://chat.example.com")
        .api_access_token(TOKEN)
        .header("api_access_token", "other")
        .build()
        .unwrap_err();
    assert!(error.to_string().contains("token"), "{error}");
}

#[tokio::test]
async fn the_fake_wants_a_session_and_the_header_gives_it() {
    let fake = chatdesk_fake::FakeChatbotx::builder()
        .conversations(20)
        .contacts(10)
        .require_session(COOKIE)
        .start()
        .await
        .unwrap();
    let without = chatbotx::Client::builder()
        .base_url(fake.base_url())
        .token(fake.token())
        .build()
        .unwrap();
    let (_, error) = drain(without.conversations().stream_raw()).await;
    let error = error.unwrap();
    assert_eq!(error.code(), Some("systemError"));
    assert!(error.to_string().contains("session"), "{error}");

    let with = chatbotx::Client::builder()
        .base_url(fake.base_url())
        .token(fake.token())
        .header("Cookie", COOKIE)
        .build()
        .unwrap();
    let (ids, error) = drain(with.conversations().stream_raw()).await;
    assert!(error.is_none(), "{error:?}");
    assert!(!ids.is_empty());
}

// ---------------------------------------------------------------------------
// Filters as the server reads them
// ---------------------------------------------------------------------------

#[tokio::test]
async fn a_bare_assignee_id_is_sent_in_the_user_form() {
    let server = cursor_server_empty().await;
    let client = chatbotx_client(&server.uri());
    for (given, sent) in [
        ("72057594037927936", "u_72057594037927936"),
        ("u_5", "u_5"),
        ("t_12", "t_12"),
        ("unassigned", "unassigned"),
    ] {
        let _ = drain(client.conversations().assigned_id(given).stream_raw()).await;
        let last = requests(&server).await.pop().unwrap();
        assert_eq!(param(&last, "assignedId").as_deref(), Some(sent), "{given}");
    }
}

async fn cursor_server_empty() -> MockServer {
    json_server(br#"{"data":[],"nextCursor":null,"prevCursor":null}"#.to_vec()).await
}

#[tokio::test]
async fn all_states_walks_the_four_views_as_one_listing() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(|request: &Request| {
            let tags = param(request, "tags");
            let cursor = param(request, "cursor");
            match (tags.as_deref(), cursor.as_deref()) {
                (Some(r#"["unread"]"#), None) => cursor_page(&[1, 2], Some("v0")),
                (Some(r#"["unread"]"#), Some("v0")) => cursor_page(&[3], None),
                (Some(r#"["unread","archived"]"#), None) => cursor_page(&[4, 3], None),
                (Some(r#"["unread","blocked"]"#), None) => cursor_page(&[], None),
                (Some(r#"["unread","archived","blocked"]"#), None) => cursor_page(&[5], None),
                _ => ResponseTemplate::new(418),
            }
        })
        .mount(&server)
        .await;
    let client = chatbotx_client(&server.uri());
    let request = || {
        client
            .conversations()
            .tags([chatbotx::Status::Unread, chatbotx::Status::Archived])
            .all_states()
    };
    let (ids, error) = drain(request().stream_raw()).await;
    assert!(error.is_none(), "{error:?}");
    assert_eq!(ids, strings(1..=5), "each conversation once, in view order");
    let queries: Vec<String> = requests(&server)
        .await
        .iter()
        .map(|r| query(r).to_string())
        .collect();
    assert_eq!(
        queries,
        [
            "tags=%5B%22unread%22%5D&perPage=500",
            "tags=%5B%22unread%22%5D&perPage=500&cursor=v0",
            "tags=%5B%22unread%22%2C%22archived%22%5D&perPage=500",
            "tags=%5B%22unread%22%2C%22blocked%22%5D&perPage=500",
            "tags=%5B%22unread%22%2C%22archived%22%2C%22blocked%22%5D&perPage=500",
        ],
    );

    // Every page's `next` resumes the walk right after it.
    let pages: Vec<_> = request().pages_raw().try_collect().await.unwrap();
    assert_eq!(pages.len(), 5);
    for (index, page) in pages.iter().enumerate() {
        let Some(next) = &page.next else {
            assert_eq!(index, 4, "only the last page ends the walk");
            continue;
        };
        let rest: Vec<String> = request()
            .resume(next)
            .stream_raw()
            .map_ok(|item| id_of(&item))
            .try_collect()
            .await
            .unwrap();
        let expected: Vec<String> = pages[index + 1..]
            .iter()
            .flat_map(|p| p.items.iter().map(id_of))
            .collect();
        // A resumed walk has no memory of the views before it.
        let rest_distinct: Vec<String> = rest
            .into_iter()
            .filter(|id| {
                !pages[..=index]
                    .iter()
                    .any(|p| p.items.iter().any(|i| id_of(i) == *id))
            })
            .collect();
        assert_eq!(rest_distinct, expected, "resumed after page {index}");
    }
    let error = client
        .conversations()
        .resume(&pages[2].position)
        .stream_raw()
        .next()
        .await
        .unwrap()
        .unwrap_err();
    assert!(error.to_string().contains(".all_states()"), "{error}");
}

#[tokio::test]
async fn all_states_reaches_archived_and_blocked_conversations_of_the_fake() {
    let fake = chatdesk_fake::FakeChatbotx::builder()
        .conversations(200)
        .contacts(50)
        .seed(5)
        .start()
        .await
        .unwrap();
    let client = fake_chatbotx_client(&fake);
    let default: Vec<String> = client
        .conversations()
        .per_page(30)
        .stream()
        .map_ok(|c| c.id)
        .try_collect()
        .await
        .unwrap();
    let every: Vec<String> = client
        .conversations()
        .per_page(30)
        .all_states()
        .stream()
        .map_ok(|c| c.id)
        .try_collect()
        .await
        .unwrap();
    let all: HashSet<String> = fake.all_conversation_ids().into_iter().collect();
    assert!(default.len() < all.len(), "the default view hides some");
    assert_eq!(every.len(), all.len());
    assert_eq!(every.into_iter().collect::<HashSet<_>>(), all);
}

// ---------------------------------------------------------------------------
// Page-number walks fetch only what max_items needs
// ---------------------------------------------------------------------------

#[tokio::test]
async fn max_items_fetches_only_the_pages_it_needs() {
    let fake = chatdesk_fake::FakeChatwoot::builder()
        .conversations(250)
        .start()
        .await
        .unwrap();
    let client = chatwoot::Client::builder()
        .base_url(fake.base_url())
        .api_access_token(fake.token())
        .build()
        .unwrap();
    for (max, requests) in [(30, 2), (25, 1), (60, 3), (1, 1)] {
        let before = client.stats().requests();
        let got: Vec<_> = client
            .conversations(1)
            .status(chatwoot::Status::All)
            .max_items(max)
            .stream_raw()
            .try_collect()
            .await
            .unwrap();
        assert_eq!(got.len() as u64, max);
        assert_eq!(
            client.stats().requests() - before,
            requests,
            "max_items {max}"
        );
    }

    let fake = chatdesk_fake::FakeChatbotx::builder()
        .contacts(400)
        .conversations(10)
        .start()
        .await
        .unwrap();
    let client = fake_chatbotx_client(&fake);
    let got: Vec<_> = client
        .contacts()
        .max_items(120)
        .stream_raw()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(got.len(), 120);
    assert_eq!(client.stats().requests(), 3, "50 + 50 + 20");
}

#[tokio::test]
async fn a_chatbotx_404_speaks_of_the_contact_and_names_the_path() {
    let server = server_answering(
        404,
        "application/json",
        r#"{"defined":true,"code":"NOT_FOUND","status":404,"message":"Contact not found"}"#,
    )
    .await;
    let client = chatbotx_client(&format!("{}/api", server.uri()));
    let contact = Identifier::email("lan@example.com");
    let (_, error) = drain(client.contact_messages(contact.clone()).stream_raw()).await;
    let message = error.unwrap().to_string();
    assert!(
        message.contains(&format!(
            "for /api/v1/contacts/{}/messages:",
            contact.path_segment()
        )),
        "{message}"
    );
    assert!(
        message.contains("no contact email:lan@example.com in this token's workspace"),
        "{message}"
    );
    assert!(message.contains("id:N, email:X or phone:X"), "{message}");
    assert!(!message.contains("account"), "{message}");

    // Without /api, the 404 says what the base URL lacks.
    let (_, error) = drain(chatbotx_client(&server.uri()).conversations().stream_raw()).await;
    let message = error.unwrap().to_string();
    assert!(message.contains("for /v1/conversations:"), "{message}");
    assert!(message.contains("must end in /api"), "{message}");
}

/// A base URL with a path of its own, as pasted from a browser: every kind
/// of wrong answer (a web page of any status, a JSON or text 404, a
/// redirect) shows the path that was requested, through the listings and
/// the generated client alike.
#[tokio::test]
async fn a_wrong_base_url_shows_the_path_requested_whatever_the_answer() {
    const PASTED: &str = "/app/accounts/1/dashboard";
    const REQUESTED: &str = "/app/accounts/1/dashboard/api/v1/accounts/1/conversations";
    let elsewhere = MockServer::start().await;
    let answers: Vec<(&str, ResponseTemplate)> = vec![
        (
            "html 200",
            ResponseTemplate::new(200).set_body_raw(HTML_PAGE, "text/html"),
        ),
        (
            "html 404",
            ResponseTemplate::new(404).set_body_raw(HTML_PAGE, "text/html"),
        ),
        (
            "html 403",
            ResponseTemplate::new(403).set_body_raw(HTML_PAGE, "text/html"),
        ),
        (
            "json 404",
            ResponseTemplate::new(404).set_body_json(json!({"error": "Not Found"})),
        ),
        (
            "text 404",
            ResponseTemplate::new(404).set_body_raw("Not Found", "text/plain"),
        ),
        (
            "redirect",
            ResponseTemplate::new(302)
                .insert_header("location", format!("{}/login", elsewhere.uri())),
        ),
    ];
    for (kind, answer) in answers {
        let server = MockServer::start().await;
        Mock::given(any()).respond_with(answer).mount(&server).await;
        let client = chatwoot_client(&format!("{}{PASTED}", server.uri()));
        let (_, error) = drain(client.conversations(1).stream_raw()).await;
        let message = error.unwrap().to_string();
        assert!(message.contains(REQUESTED), "{kind}: {message}");
        assert!(!message.contains(TOKEN), "{kind}: {message}");
        if kind.contains("404") || kind == "html 200" {
            assert!(
                message.contains("the base URL has the path /app/accounts/1/dashboard"),
                "{kind}: {message}"
            );
        }
        if kind == "html 200" || kind == "html 404" {
            assert_eq!(
                message.matches("root address").count(),
                1,
                "{kind}: says what to do once: {message}"
            );
        }

        let sent = client.api().list_conversations().account_id(1).send().await;
        let error = Error::from_generated(
            chatdesk::Platform::Chatwoot,
            "listConversations",
            sent.err().unwrap_or_else(|| panic!("{kind}: a success")),
        )
        .await;
        let message = error.to_string();
        assert!(message.contains(REQUESTED), "generated, {kind}: {message}");
    }
    assert!(requests(&elsewhere).await.is_empty());
}

#[test]
fn a_chatwoot_base_url_ending_in_api_is_refused_at_build() {
    for pasted in [
        "https://chat.example.com/api",
        "https://chat.example.com/api/",
        "https://chat.example.com/api/v1",
        "https://chat.example.com/API/v1/",
    ] {
        let error = chatwoot::Client::builder()
            .base_url(pasted)
            .api_access_token(TOKEN)
            .build()
            .unwrap_err();
        let message = error.to_string();
        assert!(
            message.contains("the base URL should not end in /api; give https://chat.example.com"),
            "{pasted}: {message}"
        );
        assert!(!message.contains(TOKEN));
    }
    let served_under = chatwoot::Client::builder()
        .base_url("https://example.com/chatwoot/")
        .api_access_token(TOKEN)
        .build()
        .unwrap();
    assert_eq!(served_under.base_url(), "https://example.com/chatwoot");
    assert!(
        chatbotx::Client::builder()
            .base_url("https://app.chatbotx.io/api")
            .token(TOKEN)
            .build()
            .is_ok(),
        "ChatbotX's base URL ends in /api"
    );
}

#[test]
fn a_404_without_a_known_request_is_platform_appropriate() {
    use chatdesk::reqwest::{StatusCode, header::HeaderMap};
    let chatwoot = chatdesk::error::from_response(
        chatdesk::Platform::Chatwoot,
        StatusCode::NOT_FOUND,
        &HeaderMap::new(),
        b"",
    )
    .to_string();
    assert!(
        chatwoot.contains(
            "no such account, conversation or contact for this token, or the base URL is wrong"
        ),
        "{chatwoot}"
    );
    assert!(!chatwoot.contains("identif"), "{chatwoot}");
    let chatbotx = chatdesk::error::from_response(
        chatdesk::Platform::Chatbotx,
        StatusCode::NOT_FOUND,
        &HeaderMap::new(),
        b"",
    )
    .to_string();
    assert!(
        chatbotx.contains("no such item in this token's workspace"),
        "{chatbotx}"
    );
    assert!(!chatbotx.contains("account"), "{chatbotx}");
}
