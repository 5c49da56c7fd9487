#![cfg(feature = "chatbotx")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

//! The ChatbotX list helpers against a local server: conversations and a
//! contact's messages by cursor, contacts by page number; the exact query
//! strings, positions and resumption, loops and faults in the middle of a
//! walk, stale counts, bounded concurrency and bad input.

mod common;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chatdesk::Error;
use chatdesk::chatbotx::types::{Contact, ContactInclude, Conversation, Message, SortField};
use chatdesk::chatbotx::{
    self, BotCategory, Channel, Condition, ContactFilter, FilterEncoding, Identifier, Status,
};
use chatdesk::paginate::{ItemStream, Page, PageStream, Position};
use common::*;
use futures::{StreamExt, TryStreamExt};
use serde_json::{Value, json};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const TOKEN: &str = "cbx_ws_stream_secret_42";

/// Cursors as opaque as the server may send: `+`, `/` and `=` padding.
const CURSOR_2: &str = "eyJpZCI6IjEwMDMifQ+/=";
const CURSOR_2_ENCODED: &str = "eyJpZCI6IjEwMDMifQ%2B%2F%3D";
const CURSOR_3: &str = "+/+/eyJpZCI6IjEwMDYifQ==";
const CURSOR_3_ENCODED: &str = "%2B%2F%2B%2FeyJpZCI6IjEwMDYifQ%3D%3D";

/// The ChatbotX body of an unexpected server failure.
const ERROR_500: &str = r#"{"defined":false,"code":"INTERNAL_SERVER_ERROR","status":500,"message":"Internal server error"}"#;

fn client(server: &MockServer) -> chatbotx::Client {
    chatbotx::Client::builder()
        .base_url(server.uri())
        .token(TOKEN)
        .build()
        .unwrap()
}

/// Ids as the server sends them: strings of digits.
fn ids(from: u64, count: u64) -> Vec<String> {
    (from..from + count).map(|n| n.to_string()).collect()
}

fn items(ids: &[String]) -> Vec<Value> {
    ids.iter().map(|id| json!({ "id": id })).collect()
}

/// A cursor page (conversations or messages).
fn cursor_page(ids: &[String], next: Option<&str>) -> ResponseTemplate {
    ResponseTemplate::new(200)
        .set_body_json(json!({"data": items(ids), "nextCursor": next, "prevCursor": null}))
}

/// A contact page with its `pageCount`.
fn contact_page(ids: &[String], page_count: u64) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({"data": items(ids), "pageCount": page_count}))
}

/// Serves the response routed by the `cursor` parameter (`None`: no cursor);
/// an unknown cursor gets a 418 so that a wrong request cannot go unnoticed.
async fn cursor_server(routes: Vec<(Option<&str>, ResponseTemplate)>) -> MockServer {
    let routes: HashMap<Option<String>, ResponseTemplate> = routes
        .into_iter()
        .map(|(cursor, response)| (cursor.map(str::to_string), response))
        .collect();
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(move |request: &Request| {
            routes
                .get(&param(request, "cursor"))
                .cloned()
                .unwrap_or_else(|| ResponseTemplate::new(418))
        })
        .mount(&server)
        .await;
    server
}

/// The three-page conversation walk: 1001-1003, then 1004-1006, then 1007.
async fn three_page_server() -> MockServer {
    cursor_server(vec![
        (None, cursor_page(&ids(1001, 3), Some(CURSOR_2))),
        (Some(CURSOR_2), cursor_page(&ids(1004, 3), Some(CURSOR_3))),
        (Some(CURSOR_3), cursor_page(&ids(1007, 1), None)),
    ])
    .await
}

/// Serves contact pages from `respond(page number)`.
async fn numbered_server(
    respond: impl Fn(u64) -> ResponseTemplate + Send + Sync + 'static,
) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(move |request: &Request| {
            let page = param(request, "page")
                .and_then(|p| p.parse().ok())
                .unwrap_or(0);
            respond(page)
        })
        .mount(&server)
        .await;
    server
}

/// Serves `pages[n - 1]` for `page=n`, empty past the end, each with
/// `page_count`.
async fn contact_pages_server(pages: Vec<Vec<String>>, page_count: u64) -> MockServer {
    numbered_server(move |page| {
        let ids = usize::try_from(page)
            .ok()
            .and_then(|p| p.checked_sub(1))
            .and_then(|i| pages.get(i))
            .cloned()
            .unwrap_or_default();
        contact_page(&ids, page_count)
    })
    .await
}

/// The ids a stream yields, and the error that ended it, if any; checks that
/// nothing follows an error.
async fn drain<T>(mut stream: ItemStream<T>, id: fn(&T) -> String) -> (Vec<String>, Option<Error>) {
    let mut got = Vec::new();
    while let Some(item) = stream.next().await {
        match item {
            Ok(item) => got.push(id(&item)),
            Err(error) => {
                assert!(
                    stream.next().await.is_none(),
                    "the stream ends after an error"
                );
                return (got, Some(error));
            }
        }
    }
    (got, None)
}

fn conversation_id(c: &Conversation) -> String {
    c.id.clone()
}

fn contact_id(c: &Contact) -> String {
    c.id.clone()
}

fn message_id(m: &Message) -> String {
    m.id.clone()
}

/// The `page` parameter of each request, in arrival order.
fn pages_requested(requests: &[Request]) -> Vec<u64> {
    requests
        .iter()
        .map(|r| param(r, "page").unwrap().parse().unwrap())
        .collect()
}

fn sorted(mut pages: Vec<u64>) -> Vec<u64> {
    pages.sort_unstable();
    pages
}

/// The bracket-notation query of `ContactFilter::all().condition(tags in [42])`:
/// keys in the alphabetical order of the JSON object.
const TAGS_42_BRACKETS: &str = "contactFilter%5Bconditions%5D%5B0%5D%5Bfield%5D=tags\
     &contactFilter%5Bconditions%5D%5B0%5D%5Boperator%5D=in\
     &contactFilter%5Bconditions%5D%5B0%5D%5Bvalue%5D%5B0%5D=42\
     &contactFilter%5Boperator%5D=and";

/// The same filter as one JSON text value, form-encoded.
const TAGS_42_JSON: &str = "contactFilter=%7B%22conditions%22%3A%5B%7B%22field%22%3A%22tags%22\
     %2C%22operator%22%3A%22in%22%2C%22value%22%3A%5B%2242%22%5D%7D%5D%2C%22operator%22%3A%22and%22%7D";

fn tags_42() -> ContactFilter {
    ContactFilter::all().condition(Condition::new("tags", "in").values(["42"]))
}

// ---------------------------------------------------------------------------
// Conversations: the cursor walk
// ---------------------------------------------------------------------------

#[tokio::test]
async fn conversations_follow_cursors_to_the_end_each_id_once_in_order() {
    let server = three_page_server().await;
    let (got, error) = drain(client(&server).conversations().stream(), conversation_id).await;
    assert!(error.is_none(), "{error:?}");
    assert_eq!(got, ids(1001, 7));

    let received = requests(&server).await;
    let queries: Vec<&str> = received.iter().map(query).collect();
    assert_eq!(
        queries,
        [
            "perPage=500".to_string(),
            format!("perPage=500&cursor={CURSOR_2_ENCODED}"),
            format!("perPage=500&cursor={CURSOR_3_ENCODED}"),
        ],
        "the default page size, then the cursor exactly as the server sent it"
    );
    for request in &received {
        assert_eq!(request.method.as_str(), "GET");
        assert_eq!(request.url.path(), "/v1/conversations");
        assert_eq!(
            header(request, "authorization"),
            Some(format!("Bearer {TOKEN}"))
        );
        assert_eq!(
            header(request, "accept").as_deref(),
            Some("application/json")
        );
    }
}

#[tokio::test]
async fn conversation_filters_go_on_the_wire_as_the_server_reads_them() {
    let server = cursor_server(vec![(None, cursor_page(&[], None))]).await;
    let (got, error) = drain(
        client(&server)
            .conversations()
            .bot_category(BotCategory::Human)
            .assigned_id("u_72057594037927936")
            .channel(Channel::Zalo)
            .status([Status::Unread, Status::FollowUp])
            .keyword("Nguyễn")
            .bot_enabled(false)
            .tags([Status::Archived])
            .contact_filter(tags_42())
            .sort([SortField {
                id: "lastActivityAt".into(),
                desc: true,
            }])
            .per_page(20)
            .stream(),
        conversation_id,
    )
    .await;
    assert!(got.is_empty() && error.is_none(), "{error:?}");

    let received = requests(&server).await;
    assert_eq!(received.len(), 1);
    assert_eq!(
        query(&received[0]),
        "botCategory=human\
         &assignedId=u_72057594037927936\
         &channel=zalo\
         &status=%5B%22unread%22%2C%22followUp%22%5D\
         &keyword=Nguy%E1%BB%85n\
         &botEnabled=false\
         &tags=%5B%22archived%22%5D\
         &contactFilter=%7B%22conditions%22%3A%5B%7B%22field%22%3A%22tags%22%2C%22operator%22\
         %3A%22in%22%2C%22value%22%3A%5B%2242%22%5D%7D%5D%2C%22operator%22%3A%22and%22%7D\
         &sort=%5B%7B%22desc%22%3Atrue%2C%22id%22%3A%22lastActivityAt%22%7D%5D\
         &perPage=20"
    );
    // Decoded, the JSON parameters are the JSON the server parses.
    let json_param = |name: &str| -> Value {
        serde_json::from_str(&param(&received[0], name).unwrap()).unwrap()
    };
    assert_eq!(json_param("status"), json!(["unread", "followUp"]));
    assert_eq!(json_param("tags"), json!(["archived"]));
    assert_eq!(
        json_param("contactFilter"),
        json!({"operator": "and", "conditions": [{"field": "tags", "operator": "in", "value": ["42"]}]})
    );
    assert_eq!(
        json_param("sort"),
        json!([{"id": "lastActivityAt", "desc": true}])
    );
}

#[tokio::test]
async fn pages_carry_their_position_and_the_next_one() {
    let server = three_page_server().await;
    let pages: Vec<Page<Conversation>> = client(&server)
        .conversations()
        .pages()
        .try_collect()
        .await
        .unwrap();
    let summary: Vec<(Vec<String>, Position, Option<Position>)> = pages
        .into_iter()
        .map(|page| {
            (
                page.items.iter().map(conversation_id).collect(),
                page.position,
                page.next,
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            (
                ids(1001, 3),
                Position::Start,
                Some(Position::Cursor(CURSOR_2.into()))
            ),
            (
                ids(1004, 3),
                Position::Cursor(CURSOR_2.into()),
                Some(Position::Cursor(CURSOR_3.into()))
            ),
            (ids(1007, 1), Position::Cursor(CURSOR_3.into()), None),
        ]
    );
}

#[tokio::test]
async fn a_saved_cursor_resumes_the_walk_there() {
    // start_cursor: the first request carries the cursor.
    let server = three_page_server().await;
    let (got, error) = drain(
        client(&server)
            .conversations()
            .start_cursor(CURSOR_2)
            .stream(),
        conversation_id,
    )
    .await;
    assert!(error.is_none(), "{error:?}");
    assert_eq!(got, ids(1004, 4));
    let queries: Vec<String> = requests(&server)
        .await
        .iter()
        .map(|r| query(r).to_string())
        .collect();
    assert_eq!(
        queries,
        [
            format!("perPage=500&cursor={CURSOR_2_ENCODED}"),
            format!("perPage=500&cursor={CURSOR_3_ENCODED}"),
        ]
    );

    // resume with a Position saved from Page::next, as it round-trips
    // through JSON.
    let server = three_page_server().await;
    let saved = serde_json::to_string(&Position::Cursor(CURSOR_3.into())).unwrap();
    let position: Position = serde_json::from_str(&saved).unwrap();
    let pages: Vec<Page<Conversation>> = client(&server)
        .conversations()
        .resume(&position)
        .pages()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(pages.len(), 1);
    assert_eq!(pages[0].position, Position::Cursor(CURSOR_3.into()));
    assert_eq!(pages[0].next, None);
    let received = requests(&server).await;
    assert_eq!(received.len(), 1);
    assert_eq!(
        query(&received[0]),
        format!("perPage=500&cursor={CURSOR_3_ENCODED}")
    );

    // resume(Start) starts over.
    let server = three_page_server().await;
    let (got, _) = drain(
        client(&server)
            .conversations()
            .start_cursor(CURSOR_3)
            .resume(&Position::Start)
            .stream(),
        conversation_id,
    )
    .await;
    assert_eq!(got, ids(1001, 7));
    assert_eq!(query(&requests(&server).await[0]), "perPage=500");
}

#[tokio::test]
async fn max_items_stops_the_item_stream_without_another_request() {
    for (limit, expected, requests_expected) in [
        (2, ids(1001, 2), 1),
        (3, ids(1001, 3), 1),
        (5, ids(1001, 5), 2),
        (100, ids(1001, 7), 3),
    ] {
        let server = three_page_server().await;
        let (got, error) = drain(
            client(&server).conversations().max_items(limit).stream(),
            conversation_id,
        )
        .await;
        assert!(error.is_none(), "max_items({limit}): {error:?}");
        assert_eq!(got, expected, "max_items({limit})");
        assert_eq!(
            requests(&server).await.len(),
            requests_expected,
            "max_items({limit}): requests"
        );
    }
}

#[tokio::test]
async fn max_items_cuts_the_last_page_of_the_page_stream() {
    let server = three_page_server().await;
    let pages: Vec<Page<Conversation>> = client(&server)
        .conversations()
        .max_items(5)
        .pages()
        .try_collect()
        .await
        .unwrap();
    let sizes: Vec<usize> = pages.iter().map(|p| p.items.len()).collect();
    assert_eq!(sizes, [3, 2], "the second page is cut to the limit");
    assert_eq!(
        pages[1]
            .items
            .iter()
            .map(conversation_id)
            .collect::<Vec<_>>(),
        ids(1004, 2)
    );
}

#[tokio::test]
async fn max_items_stops_the_contact_stream_without_fetching_ahead() {
    let pages: Vec<Vec<String>> = (0..4).map(|p| ids(1 + p * 50, 50)).collect();
    let server = contact_pages_server(pages, 4).await;
    let (got, error) = drain(
        client(&server).contacts().max_items(30).stream(),
        contact_id,
    )
    .await;
    assert!(error.is_none(), "{error:?}");
    assert_eq!(got, ids(1, 30));
    assert_eq!(pages_requested(&requests(&server).await), [1]);
}

#[tokio::test]
async fn max_items_stops_the_page_stream_without_another_request() {
    let server = three_page_server().await;
    let pages: Vec<Page<Conversation>> = client(&server)
        .conversations()
        .max_items(3)
        .pages()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(pages.len(), 1);
    assert_eq!(pages[0].items.len(), 3);
    let conversation_requests = requests(&server).await.len();

    let contact_server =
        contact_pages_server((0..4).map(|p| ids(1 + p * 50, 50)).collect(), 4).await;
    let pages: Vec<Page<Contact>> = client(&contact_server)
        .contacts()
        .max_items(50)
        .pages()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(pages.len(), 1);
    let contact_requests = requests(&contact_server).await.len();
    assert_eq!(
        (conversation_requests, contact_requests),
        (1, 1),
        "the first page already held max_items items: (conversation, contact) requests"
    );
}

#[tokio::test]
async fn resuming_after_a_page_cut_by_max_items_loses_nothing() {
    let server = three_page_server().await;
    let pages: Vec<Page<Conversation>> = client(&server)
        .conversations()
        .max_items(5)
        .pages()
        .try_collect()
        .await
        .unwrap();
    let mut delivered: Vec<String> = pages
        .iter()
        .flat_map(|p| p.items.iter().map(conversation_id))
        .collect();
    let checkpoint = pages.last().unwrap().next.clone().unwrap();
    let (rest, error) = drain(
        client(&server).conversations().resume(&checkpoint).stream(),
        conversation_id,
    )
    .await;
    assert!(error.is_none(), "{error:?}");
    delivered.extend(rest);
    delivered.sort();
    delivered.dedup();
    assert_eq!(
        delivered,
        ids(1001, 7),
        "every conversation, either before the checkpoint or after it"
    );
}

// ---------------------------------------------------------------------------
// Conversations: loops and faults in the middle of a walk
// ---------------------------------------------------------------------------

#[tokio::test]
async fn a_repeated_cursor_stops_the_walk_with_a_pagination_error() {
    let server = cursor_server(vec![
        (None, cursor_page(&ids(1001, 3), Some(CURSOR_2))),
        // Page 2 sends back the cursor that produced it.
        (Some(CURSOR_2), cursor_page(&ids(1004, 3), Some(CURSOR_2))),
    ])
    .await;
    let (got, error) = drain(client(&server).conversations().stream(), conversation_id).await;
    assert_eq!(got, ids(1001, 6), "every item of pages 1 and 2 first");
    let Some(Error::Pagination { platform, message }) = &error else {
        panic!("expected a pagination error, got {error:?}");
    };
    assert_eq!(*platform, chatdesk::Platform::Chatbotx);
    assert!(message.contains("sent before"), "{message}");
    assert!(message.contains("loop"), "{message}");
    assert_eq!(requests(&server).await.len(), 2, "no third request");
}

#[tokio::test]
async fn a_cursor_that_repeats_the_start_cursor_is_caught_too() {
    let server = cursor_server(vec![(
        Some(CURSOR_2),
        cursor_page(&ids(1004, 3), Some(CURSOR_2)),
    )])
    .await;
    let (got, error) = drain(
        client(&server)
            .conversations()
            .start_cursor(CURSOR_2)
            .stream(),
        conversation_id,
    )
    .await;
    assert_eq!(got, ids(1004, 3));
    assert!(matches!(error, Some(Error::Pagination { .. })), "{error:?}");
    assert_eq!(requests(&server).await.len(), 1);
}

#[tokio::test]
async fn an_empty_page_with_a_cursor_stops_the_walk_with_a_pagination_error() {
    let server = cursor_server(vec![
        (None, cursor_page(&ids(1001, 3), Some(CURSOR_2))),
        (Some(CURSOR_2), cursor_page(&[], Some(CURSOR_3))),
        (Some(CURSOR_3), cursor_page(&ids(1007, 1), None)),
    ])
    .await;
    let (got, error) = drain(client(&server).conversations().stream(), conversation_id).await;
    assert_eq!(got, ids(1001, 3));
    let Some(Error::Pagination { message, .. }) = &error else {
        panic!("expected a pagination error, got {error:?}");
    };
    assert!(message.contains("empty"), "{message}");
    assert_eq!(
        requests(&server).await.len(),
        2,
        "no guess past the empty page"
    );
}

#[tokio::test]
async fn an_empty_next_cursor_ends_the_walk_like_null() {
    let server = cursor_server(vec![
        (None, cursor_page(&ids(1001, 3), Some(CURSOR_2))),
        (Some(CURSOR_2), cursor_page(&ids(1004, 2), Some(""))),
    ])
    .await;
    let (got, error) = drain(client(&server).conversations().stream(), conversation_id).await;
    assert!(error.is_none(), "{error:?}");
    assert_eq!(got, ids(1001, 5));
    assert_eq!(requests(&server).await.len(), 2);
}

#[tokio::test]
async fn a_page_that_does_not_decode_ends_the_walk_with_the_json_path() {
    let server = cursor_server(vec![
        (None, cursor_page(&ids(1001, 3), Some(CURSOR_2))),
        (
            Some(CURSOR_2),
            ResponseTemplate::new(200).set_body_raw(
                r#"{"data": [{"id": 5}], "nextCursor": null}"#,
                "application/json",
            ),
        ),
    ])
    .await;
    let (got, error) = drain(client(&server).conversations().stream(), conversation_id).await;
    assert_eq!(got, ids(1001, 3));
    let Some(Error::Decode(decode)) = &error else {
        panic!("expected a decode error, got {error:?}");
    };
    assert_eq!(decode.path, "data[0].id");
    assert_eq!(decode.operation, "listConversations");
    assert_eq!(decode.status.map(|s| s.as_u16()), Some(200));
    assert!(!decode.body_excerpt.is_empty());
    assert!(decode.body_excerpt.contains(r#""id": 5"#), "{decode:?}");
    let text = error.as_ref().unwrap().to_string();
    assert!(text.contains("data[0].id"), "{text}");
    assert!(!text.contains(TOKEN));
}

#[tokio::test]
async fn a_truncated_page_ends_the_walk_with_a_decode_error() {
    let truncated = r#"{"data": [{"id": "1004"}, {"id": "10"#;
    let server = cursor_server(vec![
        (None, cursor_page(&ids(1001, 3), Some(CURSOR_2))),
        (
            Some(CURSOR_2),
            ResponseTemplate::new(200).set_body_raw(truncated, "application/json"),
        ),
    ])
    .await;
    let (got, error) = drain(client(&server).conversations().stream(), conversation_id).await;
    assert_eq!(got, ids(1001, 3), "no item of the broken page");
    let Some(Error::Decode(decode)) = &error else {
        panic!("expected a decode error, got {error:?}");
    };
    assert!(decode.message.contains("ends early"), "{decode:?}");
    assert_eq!(decode.body_excerpt, truncated);
}

#[tokio::test]
async fn a_server_error_in_the_middle_ends_the_walk_with_an_api_error() {
    let server = cursor_server(vec![
        (None, cursor_page(&ids(1001, 3), Some(CURSOR_2))),
        (
            Some(CURSOR_2),
            ResponseTemplate::new(500).set_body_raw(ERROR_500, "application/json"),
        ),
    ])
    .await;
    let (got, error) = drain(client(&server).conversations().stream(), conversation_id).await;
    assert_eq!(got, ids(1001, 3));
    let Some(Error::Api(api)) = &error else {
        panic!("expected an API error, got {error:?}");
    };
    assert_eq!(api.status.as_u16(), 500);
    assert_eq!(api.platform, chatdesk::Platform::Chatbotx);
    assert_eq!(api.code.as_deref(), Some("INTERNAL_SERVER_ERROR"));
    assert_eq!(api.message.as_deref(), Some("Internal server error"));
    let error = error.unwrap();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(500));
    assert_eq!(error.code(), Some("INTERNAL_SERVER_ERROR"));
    assert_eq!(requests(&server).await.len(), 2, "no retry loop");
}

// ---------------------------------------------------------------------------
// Contacts: the page-number walk
// ---------------------------------------------------------------------------

#[tokio::test]
async fn contacts_walk_every_page_once_in_order() {
    let pages: Vec<Vec<String>> = (0..4).map(|p| ids(1 + p * 50, 50)).collect();
    let server = contact_pages_server(pages, 4).await;
    let (got, error) = drain(client(&server).contacts().stream(), contact_id).await;
    assert!(error.is_none(), "{error:?}");
    assert_eq!(got, ids(1, 200));

    let received = requests(&server).await;
    assert_eq!(
        sorted(pages_requested(&received)),
        [1, 2, 3, 4, 5],
        "the 4 counted pages, then an empty page 5 confirms the end"
    );
    assert_eq!(pages_requested(&received)[0], 1, "page 1 comes first");
    for request in &received {
        let page = param(request, "page").unwrap();
        assert_eq!(query(request), format!("perPage=50&page={page}"));
        assert_eq!(request.url.path(), "/v1/contacts");
        assert_eq!(
            header(request, "authorization"),
            Some(format!("Bearer {TOKEN}"))
        );
    }
}

#[tokio::test]
async fn contact_pages_carry_page_numbers_and_resume_at_one() {
    let pages: Vec<Vec<String>> = (0..4).map(|p| ids(1 + p * 50, 50)).collect();
    let server = contact_pages_server(pages.clone(), 4).await;
    let got: Vec<Page<Contact>> = client(&server)
        .contacts()
        .pages()
        .try_collect()
        .await
        .unwrap();
    let positions: Vec<(Position, Option<Position>)> = got
        .iter()
        .map(|p| (p.position.clone(), p.next.clone()))
        .collect();
    assert_eq!(
        positions,
        (1..=4)
            .map(|n| (Position::Number(n), Some(Position::Number(n + 1))))
            .collect::<Vec<_>>()
    );

    // Resuming at a saved page number starts there.
    let server = contact_pages_server(pages, 4).await;
    let (got, error) = drain(
        client(&server)
            .contacts()
            .resume(&Position::Number(3))
            .stream(),
        contact_id,
    )
    .await;
    assert!(error.is_none(), "{error:?}");
    assert_eq!(got, ids(101, 100));
    let received = requests(&server).await;
    assert_eq!(query(&received[0]), "perPage=50&page=3");
    assert_eq!(sorted(pages_requested(&received)), [3, 4, 5]);
}

#[tokio::test]
async fn contact_pages_are_fetched_concurrently_within_the_bound() {
    const DELAY: Duration = Duration::from_millis(200);
    let arrivals: Arrivals = Arc::new(Mutex::new(Vec::new()));
    let recorded = arrivals.clone();
    let server = numbered_server(move |page| {
        let ids = if (1..=20).contains(&page) {
            ids(page * 1000, 50)
        } else {
            Vec::new()
        };
        let response = contact_page(&ids, 20);
        if page >= 2 {
            recorded.lock().unwrap().push(Instant::now());
            response.set_delay(DELAY)
        } else {
            response
        }
    })
    .await;
    let (got, error) = drain(
        client(&server).contacts().concurrency(5).stream(),
        contact_id,
    )
    .await;
    assert!(error.is_none(), "{error:?}");
    let expected: Vec<String> = (1..=20).flat_map(|p| ids(p * 1000, 50)).collect();
    assert_eq!(got, expected, "in page order despite concurrency");
    assert_eq!(
        sorted(pages_requested(&requests(&server).await)),
        (1..=21).collect::<Vec<_>>()
    );

    let overlap = max_overlap(&arrivals, DELAY);
    assert!(overlap > 1, "pages were fetched one at a time");
    assert!(
        overlap <= 5,
        "{overlap} requests in flight at once, above concurrency(5)"
    );
}

#[tokio::test]
async fn without_a_count_contact_pages_are_fetched_one_at_a_time() {
    const DELAY: Duration = Duration::from_millis(40);
    let arrivals: Arrivals = Arc::new(Mutex::new(Vec::new()));
    let recorded = arrivals.clone();
    let server = numbered_server(move |page| {
        recorded.lock().unwrap().push(Instant::now());
        let ids = if (1..=4).contains(&page) {
            ids(page * 100, 50)
        } else {
            Vec::new()
        };
        // `withCount=false`: the server answers pageCount 0.
        contact_page(&ids, 0).set_delay(DELAY)
    })
    .await;
    let (got, error) = drain(
        client(&server)
            .contacts()
            .with_count(false)
            .concurrency(8)
            .stream(),
        contact_id,
    )
    .await;
    assert!(error.is_none(), "{error:?}");
    let expected: Vec<String> = (1..=4).flat_map(|p| ids(p * 100, 50)).collect();
    assert_eq!(got, expected);
    let received = requests(&server).await;
    assert_eq!(pages_requested(&received), [1, 2, 3, 4, 5]);
    assert_eq!(query(&received[0]), "withCount=false&perPage=50&page=1");
    assert_eq!(
        max_overlap(&arrivals, DELAY),
        1,
        "no page is requested before the previous one answered"
    );
}

#[tokio::test]
async fn a_stale_low_count_still_reaches_every_page() {
    // pageCount says 2; there are 3 pages, then an empty one.
    let pages: Vec<Vec<String>> = (0..3).map(|p| ids(1 + p * 50, 50)).collect();
    let server = contact_pages_server(pages, 2).await;
    let (got, error) = drain(client(&server).contacts().stream(), contact_id).await;
    assert!(error.is_none(), "{error:?}");
    assert_eq!(got, ids(1, 150));
    assert_eq!(
        sorted(pages_requested(&requests(&server).await)),
        [1, 2, 3, 4]
    );
}

#[tokio::test]
async fn a_stale_high_count_stops_at_the_first_empty_page_without_error() {
    // pageCount says 5; page 3 is empty.
    let pages: Vec<Vec<String>> = (0..2).map(|p| ids(1 + p * 50, 50)).collect();
    let server = contact_pages_server(pages, 5).await;
    let (got, error) = drain(client(&server).contacts().stream(), contact_id).await;
    assert!(error.is_none(), "{error:?}");
    assert_eq!(got, ids(1, 100));
    let requested = sorted(pages_requested(&requests(&server).await));
    assert!(
        requested.starts_with(&[1, 2, 3]) && requested.iter().all(|p| *p <= 5),
        "announced pages only, nothing past the count: {requested:?}"
    );

    // With one page at a time, nothing is requested past the empty page.
    let pages: Vec<Vec<String>> = (0..2).map(|p| ids(1 + p * 50, 50)).collect();
    let server = contact_pages_server(pages, 5).await;
    let (got, error) = drain(
        client(&server).contacts().concurrency(1).stream(),
        contact_id,
    )
    .await;
    assert!(error.is_none(), "{error:?}");
    assert_eq!(got, ids(1, 100));
    assert_eq!(pages_requested(&requests(&server).await), [1, 2, 3]);
}

#[tokio::test]
async fn a_contact_that_moves_to_the_next_page_is_yielded_once() {
    // A new contact pushes contact 50 from page 1 onto page 2 between requests.
    let pages = vec![ids(1, 50), ids(50, 50), ids(100, 10)];
    let server = contact_pages_server(pages, 3).await;
    let (got, error) = drain(client(&server).contacts().stream(), contact_id).await;
    assert!(error.is_none(), "{error:?}");
    assert_eq!(got, ids(1, 109), "50 once, nothing lost");
}

#[tokio::test]
async fn a_server_that_ignores_the_page_number_stops_with_a_pagination_error() {
    let server = numbered_server(|_| contact_page(&ids(1, 50), 1)).await;
    let (got, error) = drain(client(&server).contacts().stream(), contact_id).await;
    assert_eq!(got, ids(1, 50), "the page once");
    let Some(Error::Pagination { platform, message }) = &error else {
        panic!("expected a pagination error, got {error:?}");
    };
    assert_eq!(*platform, chatdesk::Platform::Chatbotx);
    assert!(message.contains("already delivered"), "{message}");
    assert_eq!(pages_requested(&requests(&server).await), [1, 2]);
}

#[tokio::test]
async fn a_failing_contact_page_ends_the_walk_after_the_pages_before_it() {
    let server = numbered_server(|page| match page {
        3 => ResponseTemplate::new(500).set_body_raw(ERROR_500, "application/json"),
        1..=4 => contact_page(&ids(page * 100, 50), 4),
        _ => contact_page(&[], 4),
    })
    .await;
    let (got, error) = drain(client(&server).contacts().stream(), contact_id).await;
    let expected: Vec<String> = [1, 2].into_iter().flat_map(|p| ids(p * 100, 50)).collect();
    assert_eq!(got, expected, "pages 1 and 2, nothing of page 4");
    let Some(Error::Api(api)) = &error else {
        panic!("expected an API error, got {error:?}");
    };
    assert_eq!(api.status.as_u16(), 500);
}

#[tokio::test]
async fn an_empty_first_contact_page_ends_the_walk_at_once() {
    let server = contact_pages_server(Vec::new(), 0).await;
    let (got, error) = drain(client(&server).contacts().stream(), contact_id).await;
    assert!(got.is_empty() && error.is_none(), "{error:?}");
    assert_eq!(pages_requested(&requests(&server).await), [1]);
}

// ---------------------------------------------------------------------------
// Contacts: the parameters on the wire
// ---------------------------------------------------------------------------

type ContactsSetter = fn(chatbotx::ContactsRequest) -> chatbotx::ContactsRequest;

fn contact_cases() -> Vec<(&'static str, ContactsSetter, String)> {
    vec![
        ("no setting", |c| c, "perPage=50&page=1".into()),
        (
            "contact filter in bracket notation by default",
            |c| c.contact_filter(tags_42()),
            format!("perPage=50&{TAGS_42_BRACKETS}&page=1"),
        ),
        (
            "contact filter as JSON text",
            |c| {
                c.contact_filter(tags_42())
                    .filter_encoding(FilterEncoding::Json)
            },
            format!("perPage=50&{TAGS_42_JSON}&page=1"),
        ),
        (
            "channels[] even for one channel",
            |c| c.channels([Channel::Zalo]),
            "perPage=50&channels%5B%5D=zalo&page=1".into(),
        ),
        (
            "include[]",
            |c| c.include([ContactInclude::Tags]),
            "perPage=50&include%5B%5D=tags&page=1".into(),
        ),
        (
            "start page",
            |c| c.start_page(7),
            "perPage=50&page=7".into(),
        ),
        (
            "everything at once",
            |c| {
                c.keyword("Thảo +84")
                    .integration_whatsapp_id("11")
                    .integration_messenger_id("12")
                    .sort([SortField {
                        id: "createdAt".into(),
                        desc: false,
                    }])
                    .with_count(true)
                    .per_page(20)
                    .channel(Channel::Zalo)
                    .channels([Channel::Telegram])
                    .inbox_ids(["72057594037927936", "9"])
                    .include([ContactInclude::Tags, ContactInclude::CustomFields])
                    .contact_filter(tags_42().timezone("Asia/Ho_Chi_Minh"))
            },
            format!(
                "keyword=Th%E1%BA%A3o+%2B84\
                 &integrationWhatsappId=11\
                 &integrationMessengerId=12\
                 &sort=%5B%7B%22desc%22%3Afalse%2C%22id%22%3A%22createdAt%22%7D%5D\
                 &withCount=true\
                 &perPage=20\
                 &channels%5B%5D=zalo&channels%5B%5D=telegram\
                 &inboxIds%5B%5D=72057594037927936&inboxIds%5B%5D=9\
                 &include%5B%5D=tags&include%5B%5D=customFields\
                 &{TAGS_42_BRACKETS}\
                 &contactFilter%5Btimezone%5D=Asia%2FHo_Chi_Minh\
                 &page=1"
            ),
        ),
    ]
}

#[tokio::test]
async fn contact_parameters_are_encoded_as_the_server_reads_them() {
    let server = contact_pages_server(Vec::new(), 0).await;
    let client = client(&server);
    let cases = contact_cases();
    for (what, setter, _) in &cases {
        let (got, error) = drain(setter(client.contacts()).stream(), contact_id).await;
        assert!(got.is_empty() && error.is_none(), "{what}: {error:?}");
    }
    let received = requests(&server).await;
    assert_eq!(received.len(), cases.len(), "one request per case");
    for ((what, _, expected), request) in cases.iter().zip(&received) {
        assert_eq!(query(request), expected, "{what}");
        assert_eq!(request.url.path(), "/v1/contacts", "{what}");
    }
    // The JSON form decodes to the filter's JSON.
    let json_filter: Value =
        serde_json::from_str(&param(&received[2], "contactFilter").unwrap()).unwrap();
    assert_eq!(
        json_filter,
        json!({"operator": "and", "conditions": [{"field": "tags", "operator": "in", "value": ["42"]}]})
    );
}

// ---------------------------------------------------------------------------
// A contact's messages
// ---------------------------------------------------------------------------

#[tokio::test]
async fn contact_identifiers_become_one_encoded_path_segment() {
    let server = cursor_server(vec![(None, cursor_page(&[], None))]).await;
    let client = client(&server);
    let cases = [
        (
            Identifier::email("an@example.com"),
            "/v1/contacts/email:an%40example.com/messages",
        ),
        (
            Identifier::phone("+84 912"),
            "/v1/contacts/phone:%2B84%20912/messages",
        ),
        (
            Identifier::id(72057594037927936u64),
            "/v1/contacts/id:72057594037927936/messages",
        ),
        (
            "email:a/../b@example.com".parse().unwrap(),
            "/v1/contacts/email:a%2F..%2Fb%40example.com/messages",
        ),
    ];
    for (identifier, _) in &cases {
        let (got, error) = drain(
            client.contact_messages(identifier.clone()).stream(),
            message_id,
        )
        .await;
        assert!(got.is_empty() && error.is_none(), "{identifier}: {error:?}");
    }
    let received = requests(&server).await;
    assert_eq!(received.len(), cases.len());
    for ((identifier, path), request) in cases.iter().zip(&received) {
        assert_eq!(request.url.path(), *path, "{identifier}");
        assert_eq!(query(request), "perPage=500", "{identifier}");
        assert_eq!(
            header(request, "authorization"),
            Some(format!("Bearer {TOKEN}"))
        );
    }
}

#[tokio::test]
async fn contact_messages_follow_the_cursor_to_the_last_page() {
    let first = fixture("chatbotx/messages_page.json");
    let last = fixture("chatbotx/messages_last_page.json");
    let first_json: Value = serde_json::from_slice(&first).unwrap();
    let cursor = first_json["nextCursor"].as_str().unwrap().to_string();
    assert!(cursor.ends_with("=="), "the fixture's cursor has padding");
    let server = cursor_server(vec![
        (
            None,
            ResponseTemplate::new(200).set_body_raw(first, "application/json"),
        ),
        (
            Some(cursor.as_str()),
            ResponseTemplate::new(200).set_body_raw(last, "application/json"),
        ),
    ])
    .await;
    let (got, error) = drain(
        client(&server)
            .contact_messages(Identifier::id("72057594071112449"))
            .stream(),
        message_id,
    )
    .await;
    assert!(error.is_none(), "{error:?}");
    assert_eq!(
        got,
        [
            "72057594090124033",
            "72057594090110977",
            "720575940900986881",
            "72057594090087425"
        ]
    );
    let received = requests(&server).await;
    assert_eq!(received.len(), 2);
    assert_eq!(query(&received[0]), "perPage=500");
    assert_eq!(
        query(&received[1]),
        format!(
            "perPage=500&cursor={}",
            cursor
                .replace('=', "%3D")
                .replace('+', "%2B")
                .replace('/', "%2F")
        )
    );
    for request in &received {
        assert_eq!(
            request.url.path(),
            "/v1/contacts/id:72057594071112449/messages"
        );
    }
}

#[tokio::test]
async fn contact_message_pages_carry_cursors_and_honour_per_page() {
    let server = cursor_server(vec![
        (None, cursor_page(&ids(1, 2), Some(CURSOR_2))),
        (Some(CURSOR_2), cursor_page(&ids(3, 1), None)),
    ])
    .await;
    let pages: Vec<Page<Message>> = client(&server)
        .contact_messages(Identifier::phone("+84912345678"))
        .per_page(2)
        .pages()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(pages.len(), 2);
    assert_eq!(pages[0].position, Position::Start);
    assert_eq!(pages[0].next, Some(Position::Cursor(CURSOR_2.into())));
    assert_eq!(pages[1].position, Position::Cursor(CURSOR_2.into()));
    assert_eq!(pages[1].next, None);
    let received = requests(&server).await;
    assert_eq!(query(&received[0]), "perPage=2");
    assert_eq!(
        query(&received[1]),
        format!("perPage=2&cursor={CURSOR_2_ENCODED}")
    );
    assert_eq!(
        received[0].url.path(),
        "/v1/contacts/phone:%2B84912345678/messages"
    );
}

// ---------------------------------------------------------------------------
// Bad input: one clear error, no request, no panic
// ---------------------------------------------------------------------------

/// Checks that `stream` yields one `InvalidInput` mentioning `needle`, then
/// ends.
async fn assert_refused<T>(mut stream: ItemStream<T>, what: &str, needle: &str) {
    match stream.next().await {
        Some(Err(Error::InvalidInput(message))) => {
            assert!(
                message.contains(needle),
                "{what}: {message:?} does not mention {needle:?}"
            );
        }
        Some(Err(other)) => panic!("{what}: expected InvalidInput, got {other:?}"),
        Some(Ok(_)) => panic!("{what}: expected InvalidInput, got an item"),
        None => panic!("{what}: expected InvalidInput, got an empty stream"),
    }
    assert!(stream.next().await.is_none(), "{what}: the stream ends");
}

async fn assert_pages_refused<T>(mut pages: PageStream<T>, what: &str, needle: &str) {
    match pages.next().await {
        Some(Err(Error::InvalidInput(message))) => {
            assert!(message.contains(needle), "{what}: {message:?}");
        }
        _ => panic!("{what}: expected InvalidInput"),
    }
    assert!(pages.next().await.is_none(), "{what}: the stream ends");
}

#[tokio::test]
async fn bad_settings_are_one_invalid_input_error_and_no_request() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(cursor_page(&ids(1, 1), None))
        .mount(&server)
        .await;
    let c = client(&server);

    let conversations = c.conversations();
    assert_refused(
        conversations.clone().per_page(0).stream(),
        "conversations per_page(0)",
        "per_page",
    )
    .await;
    assert_refused(
        conversations.clone().keyword("  ").stream(),
        "conversations keyword(\"  \")",
        "keyword",
    )
    .await;
    assert_refused(
        conversations
            .clone()
            .contact_filter(ContactFilter::all())
            .stream(),
        "conversations empty contact filter",
        "contact_filter",
    )
    .await;
    assert_refused(
        conversations.clone().resume(&Position::Number(3)).stream(),
        "conversations resume(Number)",
        "cursor",
    )
    .await;
    assert_refused(
        conversations.clone().start_cursor("").stream(),
        "conversations start_cursor(\"\")",
        "cursor",
    )
    .await;
    assert_refused(
        conversations.clone().assigned_id("").stream(),
        "conversations assigned_id(\"\")",
        "assigned_id",
    )
    .await;
    assert_pages_refused(
        conversations.clone().per_page(0).pages(),
        "conversations pages per_page(0)",
        "per_page",
    )
    .await;
    // The first bad setting is the one reported, even after good ones.
    assert_refused(
        conversations
            .keyword(" ")
            .per_page(10)
            .max_items(3)
            .stream(),
        "conversations bad then good",
        "keyword",
    )
    .await;

    let contacts = c.contacts();
    assert_refused(
        contacts.clone().per_page(51).stream(),
        "contacts per_page(51)",
        "at most 50",
    )
    .await;
    assert_refused(
        contacts.clone().per_page(0).stream(),
        "contacts per_page(0)",
        "per_page",
    )
    .await;
    assert_refused(
        contacts.clone().concurrency(0).stream(),
        "contacts concurrency(0)",
        "concurrency",
    )
    .await;
    assert_refused(
        contacts.clone().start_page(0).stream(),
        "contacts start_page(0)",
        "start_page",
    )
    .await;
    assert_refused(
        contacts.clone().resume(&Position::Number(0)).stream(),
        "contacts resume(Number(0))",
        "start_page",
    )
    .await;
    assert_refused(
        contacts
            .clone()
            .resume(&Position::Cursor("abc".into()))
            .stream(),
        "contacts resume(Cursor)",
        "page number",
    )
    .await;
    assert_refused(
        contacts.clone().keyword("\t ").stream(),
        "contacts keyword",
        "keyword",
    )
    .await;
    assert_refused(
        contacts
            .clone()
            .contact_filter(ContactFilter::any())
            .stream(),
        "contacts empty contact filter",
        "contact_filter",
    )
    .await;
    assert_refused(
        contacts.clone().inbox_ids(["12a"]).stream(),
        "contacts inbox id",
        "12a",
    )
    .await;
    assert_pages_refused(
        contacts.concurrency(0).pages(),
        "contacts pages concurrency(0)",
        "concurrency",
    )
    .await;

    for (identifier, needle) in [
        (Identifier::id("4x2"), "id:4x2"),
        (Identifier::id(""), "id:"),
        (Identifier::email("nope"), "email:nope"),
        (Identifier::email("@example.com"), "email:"),
        (Identifier::phone(""), "phone:"),
        (Identifier::phone("+84 abc"), "phone:"),
    ] {
        let what = format!("contact_messages({identifier})");
        assert_refused(
            c.contact_messages(identifier.clone()).stream(),
            &what,
            needle,
        )
        .await;
        assert_pages_refused(c.contact_messages(identifier).pages(), &what, needle).await;
    }
    assert_refused(
        c.contact_messages(Identifier::id(42))
            .resume(&Position::Number(2))
            .stream(),
        "contact_messages resume(Number)",
        "cursor",
    )
    .await;
    assert_refused(
        c.contact_messages(Identifier::id(42)).per_page(0).stream(),
        "contact_messages per_page(0)",
        "per_page",
    )
    .await;

    assert!(
        requests(&server).await.is_empty(),
        "no bad setting reaches the server"
    );
}

#[test]
fn identifiers_parse_only_the_three_forms() {
    for text in [
        "bogus:1",
        "42",
        "",
        "ID:42",
        "id:",
        "id:4x2",
        "email:nope",
        "phone:",
    ] {
        match text.parse::<Identifier>() {
            Err(Error::InvalidInput(message)) => assert!(!message.is_empty(), "{text}"),
            other => panic!("{text:?} parsed as {other:?}"),
        }
    }
    assert_eq!(
        "id:72057594037927936".parse::<Identifier>().unwrap(),
        Identifier::id(72057594037927936u64)
    );
    assert_eq!(
        "email:an@example.com".parse::<Identifier>().unwrap(),
        Identifier::email("an@example.com")
    );
    assert_eq!(
        "phone:+84 912".parse::<Identifier>().unwrap(),
        Identifier::phone("+84 912")
    );
}
