//! The exact requests the generated ChatbotX client sends for the read
//! operations of contacts, tags, fields, channels, members, teams and the
//! workspace: path, query string bytes and headers, one case per operation
//! and per parameter, and the page-number walks of the paged ones.

#![cfg(feature = "chatbotx")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use chatdesk::chatbotx;
use chatdesk::chatbotx::api::ClientInfo as _;
use common::*;
use futures::TryStreamExt;
use serde_json::json;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const TOKEN: &str = "cbx_ws_test_0123456789";
/// Decodes as every response type of these operations: the listings need
/// only `data`, the single objects only `id`.
const ANY_BODY: &str = r#"{"id":"1","data":[],"pageCount":0}"#;

fn client(base_url: &str) -> chatbotx::Client {
    chatbotx::Client::builder()
        .base_url(base_url)
        .token(TOKEN)
        .build()
        .unwrap()
}

/// Asserts what every request of these tests carries.
fn assert_headers(request: &Request, what: &str) {
    assert_eq!(request.method.as_str(), "GET", "{what}");
    assert_eq!(
        header(request, "authorization"),
        Some(format!("Bearer {TOKEN}")),
        "{what}"
    );
    assert_eq!(
        header(request, "accept").as_deref(),
        Some("application/json"),
        "{what}"
    );
    assert_eq!(
        header(request, "user-agent").as_deref(),
        Some(USER_AGENT),
        "{what}"
    );
}

/// Sends each case in turn and checks the path and query that arrived.
macro_rules! cases {
    ($server:expr, [$(($what:expr, $call:expr, $path:expr, $query:expr)),+ $(,)?]) => {{
        let expected: Vec<(&str, &str, &str)> = vec![$(($what, $path, $query)),+];
        $(
            $call.await.unwrap_or_else(|e| panic!("{}: {e}", $what));
        )+
        let received = requests(&$server).await;
        assert_eq!(received.len(), expected.len());
        for ((what, path, query_text), request) in expected.iter().zip(&received) {
            assert_eq!(request.url.path(), *path, "{what}");
            assert_eq!(query(request), *query_text, "{what}");
            assert_headers(request, what);
        }
    }};
}

#[tokio::test]
async fn contact_reads_put_the_identifier_in_the_path() {
    let server = json_server(ANY_BODY).await;
    let c = client(&server.uri());
    cases!(
        server,
        [
            (
                "getContact, id form with a snowflake",
                c.api()
                    .get_contact()
                    .identifier("id:72057594071112449")
                    .send(),
                "/v1/contacts/id:72057594071112449",
                ""
            ),
            (
                "getContact, email form",
                c.api()
                    .get_contact()
                    .identifier("email:an@example.com")
                    .send(),
                "/v1/contacts/email:an@example.com",
                ""
            ),
            (
                "getContact, phone form with + and a space",
                c.api()
                    .get_contact()
                    .identifier("phone:+84 912345678")
                    .send(),
                "/v1/contacts/phone:+84%20912345678",
                ""
            ),
            (
                "getContact, non-ASCII address",
                c.api()
                    .get_contact()
                    .identifier("email:thảo@ví-dụ.vn")
                    .send(),
                "/v1/contacts/email:th%E1%BA%A3o@v%C3%AD-d%E1%BB%A5.vn",
                ""
            ),
            (
                "getContact, a slash cannot escape the path segment",
                c.api().get_contact().identifier("email:a/../b").send(),
                "/v1/contacts/email:a%2F..%2Fb",
                ""
            ),
            (
                "listContactTags",
                c.api()
                    .list_contact_tags()
                    .identifier("phone:+84912345678")
                    .send(),
                "/v1/contacts/phone:+84912345678/tags",
                ""
            ),
            (
                "listContactTags, email form",
                c.api()
                    .list_contact_tags()
                    .identifier("email:an@example.com")
                    .send(),
                "/v1/contacts/email:an@example.com/tags",
                ""
            ),
            (
                "listContactCustomFields",
                c.api()
                    .list_contact_custom_fields()
                    .identifier("id:42")
                    .send(),
                "/v1/contacts/id:42/custom-fields",
                ""
            ),
            (
                "listContactCustomFields, phone form",
                c.api()
                    .list_contact_custom_fields()
                    .identifier("phone:+66812345678")
                    .send(),
                "/v1/contacts/phone:+66812345678/custom-fields",
                ""
            ),
            (
                "getContactMessage",
                c.api()
                    .get_contact_message()
                    .identifier("email:an@example.com")
                    .message_id("72057594090002049")
                    .send(),
                "/v1/contacts/email:an@example.com/messages/72057594090002049",
                ""
            ),
            (
                "getContactMessage, phone form",
                c.api()
                    .get_contact_message()
                    .identifier("phone:+84912345678")
                    .message_id("7")
                    .send(),
                "/v1/contacts/phone:+84912345678/messages/7",
                ""
            ),
        ]
    );
}

#[tokio::test]
async fn workspace_reads_take_no_parameters() {
    let server = json_server(ANY_BODY).await;
    let c = client(&server.uri());
    cases!(
        server,
        [
            ("listTags", c.api().list_tags().send(), "/v1/tags", ""),
            (
                "listCustomFields",
                c.api().list_custom_fields().send(),
                "/v1/custom-fields",
                ""
            ),
            (
                "listBotFields",
                c.api().list_bot_fields().send(),
                "/v1/bot-fields",
                ""
            ),
            ("listTeams", c.api().list_teams().send(), "/v1/teams", ""),
            (
                "listWorkspaces",
                c.api().list_workspaces().send(),
                "/v1/workspaces",
                ""
            ),
        ]
    );
}

#[tokio::test]
async fn channel_parameters_are_encoded() {
    let server = json_server(ANY_BODY).await;
    let c = client(&server.uri());
    cases!(
        server,
        [
            (
                "no parameter",
                c.api().list_channels().send(),
                "/v1/channels",
                ""
            ),
            (
                "page",
                c.api().list_channels().page(2u64).send(),
                "/v1/channels",
                "page=2"
            ),
            (
                "perPage",
                c.api().list_channels().per_page(50u64).send(),
                "/v1/channels",
                "perPage=50"
            ),
            (
                "both",
                c.api().list_channels().per_page(20u64).page(3u64).send(),
                "/v1/channels",
                "page=3&perPage=20"
            ),
        ]
    );
}

#[tokio::test]
async fn member_parameters_are_encoded() {
    let server = json_server(ANY_BODY).await;
    let c = client(&server.uri());
    cases!(
        server,
        [
            (
                "no parameter",
                c.api().list_members().send(),
                "/v1/members",
                ""
            ),
            (
                "keyword with non-ASCII text",
                c.api().list_members().keyword("Trần Khoa 🙂").send(),
                "/v1/members",
                "keyword=Tr%E1%BA%A7n+Khoa+%F0%9F%99%82"
            ),
            (
                "page",
                c.api().list_members().page(2u64).send(),
                "/v1/members",
                "page=2"
            ),
            (
                "perPage",
                c.api().list_members().per_page(50u64).send(),
                "/v1/members",
                "perPage=50"
            ),
            (
                "all three",
                c.api()
                    .list_members()
                    .per_page(10u64)
                    .page(4u64)
                    .keyword("an")
                    .send(),
                "/v1/members",
                "keyword=an&page=4&perPage=10"
            ),
        ]
    );
}

#[tokio::test]
async fn empty_path_values_are_refused_before_sending() {
    let server = json_server(ANY_BODY).await;
    let client = client(&server.uri());
    let errors = [
        client
            .api()
            .get_contact()
            .identifier("")
            .send()
            .await
            .map(|_| ()),
        client
            .api()
            .list_contact_tags()
            .identifier("")
            .send()
            .await
            .map(|_| ()),
        client
            .api()
            .list_contact_custom_fields()
            .identifier("")
            .send()
            .await
            .map(|_| ()),
        client
            .api()
            .get_contact_message()
            .identifier("id:1")
            .message_id("")
            .send()
            .await
            .map(|_| ()),
    ];
    for (n, result) in errors.into_iter().enumerate() {
        let error = chatdesk::Error::from_generated(
            chatdesk::Platform::Chatbotx,
            "getContact",
            result.unwrap_err(),
        )
        .await;
        assert!(
            matches!(error, chatdesk::Error::InvalidInput(_)),
            "{n}: {error}"
        );
    }
    assert!(requests(&server).await.is_empty());
}

#[tokio::test]
async fn token_in_query_replaces_the_header() {
    let server = json_server(ANY_BODY).await;
    let client = chatbotx::Client::builder()
        .base_url(server.uri())
        .token_in_query("cbx_ws_a+b/c=")
        .build()
        .unwrap();
    client
        .api()
        .get_contact()
        .identifier("phone:+84912345678")
        .send()
        .await
        .unwrap();
    client.api().list_tags().send().await.unwrap();
    client.api().list_members().page(2u64).send().await.unwrap();
    let received = requests(&server).await;
    assert_eq!(received[0].url.path(), "/v1/contacts/phone:+84912345678");
    assert_eq!(query(&received[0]), "token=cbx_ws_a%2Bb%2Fc%3D");
    assert_eq!(query(&received[1]), "token=cbx_ws_a%2Bb%2Fc%3D");
    assert_eq!(query(&received[2]), "page=2&token=cbx_ws_a%2Bb%2Fc%3D");
    for request in &received {
        assert_eq!(header(request, "authorization"), None);
    }
}

/// A server that answers `page=n` with `pages[n - 1]` (empty past the end),
/// each with `pageCount` 2.
async fn two_page_server(pages: [serde_json::Value; 2]) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(move |request: &Request| {
            let page: usize = param(request, "page").unwrap().parse().unwrap();
            let data = pages.get(page - 1).cloned().unwrap_or(json!([]));
            ResponseTemplate::new(200).set_body_json(json!({ "data": data, "pageCount": 2 }))
        })
        .mount(&server)
        .await;
    server
}

/// The queries that arrived, sorted (pages may be fetched concurrently).
async fn sorted_queries(server: &MockServer, path: &str) -> Vec<String> {
    let received = requests(server).await;
    for request in &received {
        assert_eq!(request.url.path(), path);
        assert_headers(request, path);
    }
    let mut queries: Vec<String> = received.iter().map(|r| query(r).to_string()).collect();
    queries.sort();
    queries
}

#[tokio::test]
async fn members_walk_two_pages() {
    let server = two_page_server([
        json!([{ "id": "72057594039000001", "role": "owner" }, { "id": "72057594039000044", "role": "agent" }]),
        json!([{ "id": "31", "role": "agent" }]),
    ])
    .await;
    let members: Vec<_> = client(&server.uri())
        .list_members()
        .stream()
        .try_collect()
        .await
        .unwrap();
    let ids: Vec<&str> = members.iter().map(|m| m.id.as_str()).collect();
    assert_eq!(ids, ["72057594039000001", "72057594039000044", "31"]);
    assert_eq!(
        sorted_queries(&server, "/v1/members").await,
        [
            "page=1&perPage=50",
            "page=2&perPage=50",
            // An empty page past the count confirms the end.
            "page=3&perPage=50",
        ]
    );
}

#[tokio::test]
async fn members_walk_keeps_the_keyword_on_every_page() {
    let server = two_page_server([json!([{ "id": "1" }]), json!([{ "id": "2" }])]).await;
    let members: Vec<_> = client(&server.uri())
        .list_members()
        .keyword("Khoa")
        .per_page(2)
        .stream()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(members.len(), 2);
    assert_eq!(
        sorted_queries(&server, "/v1/members").await,
        [
            "keyword=Khoa&page=1&perPage=2",
            "keyword=Khoa&page=2&perPage=2",
            "keyword=Khoa&page=3&perPage=2",
        ]
    );
}

#[tokio::test]
async fn channels_walk_two_pages_always_sending_per_page() {
    let server = two_page_server([
        json!([
            { "id": "4318807062113927463", "name": "Zalo OA", "channel": "zalo", "status": "connected" },
            { "id": "104857392018475", "name": "Messenger", "channel": "messenger", "status": "connected" }
        ]),
        json!([{ "id": "72057594040000777", "name": "Webchat", "channel": "webchat", "status": "connected" }]),
    ])
    .await;
    let channels: Vec<_> = client(&server.uri())
        .list_channels()
        .stream()
        .try_collect()
        .await
        .unwrap();
    let ids: Vec<&str> = channels.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "4318807062113927463",
            "104857392018475",
            "72057594040000777"
        ]
    );
    assert_eq!(
        sorted_queries(&server, "/v1/channels").await,
        [
            "page=1&perPage=50",
            "page=2&perPage=50",
            "page=3&perPage=50",
        ]
    );
}

#[tokio::test]
async fn page_sizes_above_the_server_ceiling_are_refused() {
    let server = json_server(ANY_BODY).await;
    let client = client(&server.uri());
    for result in [
        client
            .list_members()
            .per_page(51)
            .stream()
            .try_collect::<Vec<_>>()
            .await
            .map(|_| ()),
        client
            .list_channels()
            .per_page(51)
            .stream()
            .try_collect::<Vec<_>>()
            .await
            .map(|_| ()),
    ] {
        let error = result.unwrap_err();
        assert!(matches!(error, chatdesk::Error::InvalidInput(_)), "{error}");
    }
    assert!(requests(&server).await.is_empty());
}

#[test]
fn the_base_url_ends_in_api() {
    let client = chatbotx::Client::builder().token(TOKEN).build().unwrap();
    assert_eq!(client.api().baseurl(), "https://app.chatbotx.io/api");
}
