//! `chatwoot::Client::conversations`: a page-number walk with pages of 25,
//! the page count from the count that matches the filter, concurrent pages
//! in order, stale counts, moving data, faults and bad input.

#![cfg(feature = "chatwoot")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use chatdesk::Error;
use chatdesk::chatwoot::{self, AssigneeType, ConversationType, SortBy, Status};
use chatdesk::paginate::Position;
use common::*;
use futures::{StreamExt, TryStreamExt};
use serde_json::{Value, json};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const TOKEN: &str = "cw-stream-secret";

fn conversation(id: i64) -> Value {
    json!({"id": id, "inbox_id": 1, "status": "open", "messages": [], "meta": {}})
}

fn page_body(ids: &[i64], all_count: i64, unassigned_count: i64) -> Value {
    json!({"data": {
        "meta": {"mine_count": 0, "assigned_count": all_count - unassigned_count,
                 "unassigned_count": unassigned_count, "all_count": all_count},
        "payload": ids.iter().map(|id| conversation(*id)).collect::<Vec<_>>()
    }})
}

/// Serves `pages[n - 1]` for `page=n` (empty past the end) with `all_count`.
async fn paged_server(pages: Vec<Vec<i64>>, all_count: i64) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(move |request: &Request| {
            let page: usize = param(request, "page")
                .and_then(|p| p.parse().ok())
                .unwrap_or(1);
            let ids = pages.get(page - 1).cloned().unwrap_or_default();
            ResponseTemplate::new(200).set_body_json(page_body(&ids, all_count, all_count))
        })
        .mount(&server)
        .await;
    server
}

fn ids(from: i64, count: i64) -> Vec<i64> {
    (from..from + count).collect()
}

fn client(server: &MockServer) -> chatwoot::Client {
    chatwoot::Client::builder()
        .base_url(server.uri())
        .api_access_token(TOKEN)
        .build()
        .unwrap()
}

async fn collect_ids(
    stream: chatdesk::paginate::ItemStream<chatwoot::types::Conversation>,
) -> (Vec<i64>, Option<Error>) {
    let mut ids = Vec::new();
    let mut stream = stream;
    while let Some(item) = stream.next().await {
        match item {
            Ok(conversation) => ids.push(conversation.id),
            Err(error) => {
                assert!(
                    stream.next().await.is_none(),
                    "the stream ends after an error"
                );
                return (ids, Some(error));
            }
        }
    }
    (ids, None)
}

fn pages_requested(requests: &[Request]) -> Vec<u64> {
    let mut pages: Vec<u64> = requests
        .iter()
        .map(|r| param(r, "page").unwrap().parse().unwrap())
        .collect();
    pages.sort();
    pages
}

#[tokio::test]
async fn walks_every_page_once_in_order_then_stops_at_an_empty_page() {
    let server = paged_server(vec![ids(1, 25), ids(26, 25), ids(51, 10)], 60).await;
    let (got, error) = collect_ids(
        client(&server)
            .conversations(7)
            .status(Status::All)
            .stream(),
    )
    .await;
    assert!(error.is_none());
    assert_eq!(got, ids(1, 60));
    let received = requests(&server).await;
    assert_eq!(
        pages_requested(&received),
        [1, 2, 3, 4],
        "page 4 confirms the end"
    );
    assert_eq!(query(&received[0]), "status=all&page=1");
    for request in &received {
        assert_eq!(request.url.path(), "/api/v1/accounts/7/conversations");
        assert_eq!(header(request, "api_access_token").as_deref(), Some(TOKEN));
    }
}

#[tokio::test]
async fn every_filter_goes_on_the_wire_as_rails_reads_it() {
    let server = paged_server(vec![], 0).await;
    let stream = client(&server)
        .conversations(3)
        .assignee_type(AssigneeType::Assigned)
        .status(Status::Pending)
        .query("hoàn tiền & đổi")
        .inbox_id(4)
        .team_id(5)
        .labels(["vip", "tầng 2"])
        .sort_by(SortBy::WaitingSinceAsc)
        .conversation_type(ConversationType::Participating)
        .source_id("a+b/c=")
        .stream();
    let (got, error) = collect_ids(stream).await;
    assert!(got.is_empty() && error.is_none());
    assert_eq!(
        query(&requests(&server).await[0]),
        "assignee_type=assigned&status=pending&q=ho%C3%A0n+ti%E1%BB%81n+%26+%C4%91%E1%BB%95i\
         &inbox_id=4&team_id=5&sort_by=waiting_since_asc&conversation_type=participating\
         &source_id=a%2Bb%2Fc%3D&labels%5B%5D=vip&labels%5B%5D=t%E1%BA%A7ng+2&page=1"
    );
}

#[tokio::test]
async fn page_count_comes_from_the_count_that_matches_the_assignee_filter() {
    // 100 conversations in all, 30 unassigned: two pages of unassigned ones.
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(|request: &Request| {
            let page: i64 = param(request, "page").unwrap().parse().unwrap();
            let ids = match page {
                1 => ids(1, 25),
                2 => ids(26, 5),
                _ => vec![],
            };
            ResponseTemplate::new(200).set_body_json(page_body(&ids, 100, 30))
        })
        .mount(&server)
        .await;
    let (got, _) = collect_ids(
        client(&server)
            .conversations(1)
            .assignee_type(AssigneeType::Unassigned)
            .stream(),
    )
    .await;
    assert_eq!(got, ids(1, 30));
    // With all_count (100) it would have asked for pages 3 and 4 at once.
    assert_eq!(pages_requested(&requests(&server).await), [1, 2, 3]);
}

#[tokio::test]
async fn stale_counts_in_either_direction_lose_nothing() {
    // The count says 2 pages; there are 3.
    let server = paged_server(vec![ids(1, 25), ids(26, 25), ids(51, 3)], 40).await;
    let (got, error) = collect_ids(client(&server).conversations(1).stream()).await;
    assert_eq!((got, error.is_none()), (ids(1, 53), true));

    // The count says 4 pages; there are 2.
    let server = paged_server(vec![ids(1, 25), ids(26, 25)], 100).await;
    let (got, error) = collect_ids(client(&server).conversations(1).concurrency(1).stream()).await;
    assert_eq!((got, error.is_none()), (ids(1, 50), true));
    assert_eq!(
        pages_requested(&requests(&server).await),
        [1, 2, 3],
        "stops at the first empty page"
    );
}

#[tokio::test]
async fn a_conversation_that_moves_to_the_next_page_is_yielded_once() {
    // Conversation 25 gets pushed from page 1 onto page 2 between requests.
    let mut second = vec![25];
    second.extend(ids(26, 24));
    let server = paged_server(vec![ids(1, 25), second, ids(50, 5)], 55).await;
    let (got, error) = collect_ids(client(&server).conversations(1).stream()).await;
    assert!(error.is_none());
    assert_eq!(got, ids(1, 54), "25 once, nothing lost that stayed put");
}

#[tokio::test]
async fn a_server_that_ignores_the_page_number_ends_with_an_error_not_a_loop() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(page_body(&ids(1, 25), 25, 25)))
        .mount(&server)
        .await;
    let (got, error) = collect_ids(client(&server).conversations(1).stream()).await;
    assert_eq!(got, ids(1, 25));
    assert!(matches!(error, Some(Error::Pagination { .. })), "{error:?}");
    assert_eq!(requests(&server).await.len(), 2);
}

#[tokio::test]
async fn a_500_in_the_middle_yields_the_good_pages_then_the_error() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            |request: &Request| match param(request, "page").as_deref() {
                Some("3") => ResponseTemplate::new(500)
                    .set_body_raw(fixture("chatwoot/error_500.html"), "text/html"),
                Some(n) => {
                    let n: i64 = n.parse().unwrap();
                    ResponseTemplate::new(200).set_body_json(page_body(
                        &ids((n - 1) * 25 + 1, 25),
                        100,
                        100,
                    ))
                }
                None => ResponseTemplate::new(400),
            },
        )
        .mount(&server)
        .await;
    let (got, error) = collect_ids(client(&server).conversations(1).stream()).await;
    assert_eq!(got, ids(1, 50));
    let error = error.unwrap();
    assert_eq!(error.status().map(|s| s.as_u16()), Some(500));
}

#[tokio::test]
async fn a_page_that_does_not_decode_names_the_field() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(|request: &Request| {
            if param(request, "page").as_deref() == Some("2") {
                let mut body = page_body(&ids(26, 25), 60, 60);
                body["data"]["payload"][3]["status"] = json!(7);
                ResponseTemplate::new(200).set_body_json(body)
            } else {
                ResponseTemplate::new(200).set_body_json(page_body(&ids(1, 25), 60, 60))
            }
        })
        .mount(&server)
        .await;
    let (got, error) = collect_ids(client(&server).conversations(1).stream()).await;
    assert_eq!(got, ids(1, 25));
    match error {
        Some(Error::Decode(details)) => {
            assert_eq!(details.path, "data.payload[3].status");
            assert!(!details.body_excerpt.is_empty());
        }
        other => panic!("expected a decode error, got {other:?}"),
    }
}

#[tokio::test]
async fn announced_pages_are_fetched_concurrently_within_the_bound() {
    let arrivals: Arrivals = Arc::default();
    let server = MockServer::start().await;
    let seen = arrivals.clone();
    let delay = Duration::from_millis(200);
    Mock::given(any())
        .respond_with(move |request: &Request| {
            seen.lock().unwrap().push(Instant::now());
            let page: i64 = param(request, "page").unwrap().parse().unwrap();
            let ids = if page <= 20 {
                ids((page - 1) * 25 + 1, 25)
            } else {
                vec![]
            };
            ResponseTemplate::new(200)
                .set_body_json(page_body(&ids, 500, 500))
                .set_delay(delay)
        })
        .mount(&server)
        .await;
    let (got, error) = collect_ids(client(&server).conversations(1).concurrency(5).stream()).await;
    assert!(error.is_none());
    assert_eq!(got, ids(1, 500));
    let overlap = max_overlap(&arrivals, delay);
    assert!(overlap > 1, "pages were fetched one at a time");
    assert!(overlap <= 5, "more than 5 requests in flight: {overlap}");
    assert_eq!(requests(&server).await.len(), 21);
}

#[tokio::test]
async fn updated_within_is_one_request_without_a_page() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(page_body(&ids(1, 40), 40, 40)))
        .mount(&server)
        .await;
    let (got, error) = collect_ids(
        client(&server)
            .conversations(1)
            .updated_within(Duration::from_secs(3600))
            .stream(),
    )
    .await;
    assert_eq!((got, error.is_none()), (ids(1, 40), true));
    let received = requests(&server).await;
    assert_eq!(received.len(), 1);
    assert_eq!(query(&received[0]), "updated_within=3600");
}

#[tokio::test]
async fn pages_carry_positions_and_resume_where_told() {
    let server = paged_server(vec![ids(1, 25), ids(26, 25), ids(51, 25)], 75).await;
    let pages: Vec<_> = client(&server)
        .conversations(1)
        .pages()
        .try_collect()
        .await
        .unwrap();
    let positions: Vec<_> = pages
        .iter()
        .map(|p| (p.position.clone(), p.next.clone()))
        .collect();
    assert_eq!(
        positions,
        [
            (Position::Number(1), Some(Position::Number(2))),
            (Position::Number(2), Some(Position::Number(3))),
            (Position::Number(3), Some(Position::Number(4))),
        ]
    );
    let (got, _) = collect_ids(
        client(&server)
            .conversations(1)
            .resume(&Position::Number(3))
            .stream(),
    )
    .await;
    assert_eq!(got, ids(51, 25));
    let (got, _) = collect_ids(client(&server).conversations(1).max_items(30).stream()).await;
    assert_eq!(got, ids(1, 30));
    let limited: Vec<_> = client(&server)
        .conversations(1)
        .max_items(30)
        .pages()
        .try_collect()
        .await
        .unwrap();
    let sizes: Vec<_> = limited.iter().map(|p| p.items.len()).collect();
    assert_eq!(sizes, [25, 5]);
}

#[tokio::test]
async fn bad_settings_are_one_clear_error_and_no_request() {
    let server = paged_server(vec![ids(1, 3)], 3).await;
    let client = client(&server);
    let cases: Vec<(&str, chatwoot::ConversationsRequest)> = vec![
        ("account id", client.conversations(0)),
        ("concurrency", client.conversations(1).concurrency(0)),
        ("start_page", client.conversations(1).start_page(0)),
        ("label", client.conversations(1).label(" ")),
        ("query", client.conversations(1).query("")),
        ("inbox_id", client.conversations(1).inbox_id(-2)),
        ("team_id", client.conversations(1).team_id(0)),
        (
            "updated_within",
            client
                .conversations(1)
                .updated_within(Duration::from_millis(10)),
        ),
        (
            "cursor",
            client
                .conversations(1)
                .resume(&Position::Cursor("x".into())),
        ),
    ];
    for (what, request) in cases {
        let items: Vec<_> = request.stream().collect().await;
        assert_eq!(items.len(), 1, "{what}");
        match &items[0] {
            Err(Error::InvalidInput(message)) => {
                assert!(message.contains(what), "{what}: {message}")
            }
            other => panic!("{what}: {other:?}"),
        }
    }
    assert!(requests(&server).await.is_empty());
}

#[tokio::test]
async fn the_fixture_page_streams_with_every_quirk() {
    let page: Value = serde_json::from_slice(&fixture("chatwoot/conversations_page.json")).unwrap();
    let empty: Value =
        serde_json::from_slice(&fixture("chatwoot/conversations_empty_page.json")).unwrap();
    let bodies: HashMap<&str, Value> = HashMap::from([("1", page.clone())]);
    let server = MockServer::start().await;
    let bodies = Mutex::new(bodies);
    Mock::given(any())
        .respond_with(move |request: &Request| {
            let page = param(request, "page").unwrap();
            let body = bodies
                .lock()
                .unwrap()
                .get(page.as_str())
                .cloned()
                .unwrap_or(empty.clone());
            ResponseTemplate::new(200).set_body_json(body)
        })
        .mount(&server)
        .await;
    let all: Vec<_> = client(&server)
        .conversations(1)
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(all.len(), page["data"]["payload"].as_array().unwrap().len());
}
