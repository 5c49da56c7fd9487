//! The exact requests the generated ChatbotX client sends: path, query
//! string bytes and headers, one case per parameter of each operation.

#![cfg(feature = "chatbotx")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use chatdesk::chatbotx::api::builder::{ListContactMessages, ListContacts, ListConversations};
use chatdesk::chatbotx::{self, types};
use common::*;

const TOKEN: &str = "cbx_ws_test_0123456789";
const EMPTY_CURSOR_PAGE: &str = r#"{"data":[],"nextCursor":null,"prevCursor":null}"#;
const EMPTY_CONTACT_PAGE: &str = r#"{"data":[],"pageCount":0}"#;
/// A real-looking cursor: standard base64 of a JSON object, with `+`, `/`
/// and `=` padding.
const CURSOR: &str = "eyJsYXN0QWN0aXZpdHlBdCI6IjIwMjYtMDEtMTRUMTA6Mjg6MjcuNzYyWiIsImlkIjoiNzIwNTc1OTQwMzc5Mjc5MzYifQ+/=";
const CURSOR_ENCODED: &str = "eyJsYXN0QWN0aXZpdHlBdCI6IjIwMjYtMDEtMTRUMTA6Mjg6MjcuNzYyWiIsImlkIjoiNzIwNTc1OTQwMzc5Mjc5MzYifQ%2B%2F%3D";

fn client(base_url: &str) -> chatbotx::Client {
    chatbotx::Client::builder()
        .base_url(base_url)
        .token(TOKEN)
        .build()
        .unwrap()
}

type ConversationSetter = for<'a> fn(ListConversations<'a>) -> ListConversations<'a>;

fn conversation_cases() -> Vec<(&'static str, ConversationSetter, &'static str)> {
    vec![
        ("no parameter", |b| b, ""),
        (
            "botCategory",
            |b| b.bot_category(types::BotCategory::Human),
            "botCategory=human",
        ),
        (
            "assignedId, a snowflake above 2^53",
            |b| b.assigned_id("72057594037927936"),
            "assignedId=72057594037927936",
        ),
        (
            "channel",
            |b| b.channel(types::Channel::Zalo),
            "channel=zalo",
        ),
        (
            "status as JSON text",
            |b| b.status(r#"["unread","followUp"]"#),
            "status=%5B%22unread%22%2C%22followUp%22%5D",
        ),
        (
            "keyword with non-ASCII text",
            |b| b.keyword("Nguyễn Thị Thảo 🙂"),
            "keyword=Nguy%E1%BB%85n+Th%E1%BB%8B+Th%E1%BA%A3o+%F0%9F%99%82",
        ),
        ("botEnabled", |b| b.bot_enabled(false), "botEnabled=false"),
        (
            "tags as JSON text",
            |b| b.tags(r#"["101","102"]"#),
            "tags=%5B%22101%22%2C%22102%22%5D",
        ),
        (
            "contactFilter as JSON text",
            |b| {
                b.contact_filter(r#"{"operator":"and","conditions":[{"field":"email","operator":"contains","value":"@ví.vn"}]}"#)
            },
            "contactFilter=%7B%22operator%22%3A%22and%22%2C%22conditions%22%3A%5B%7B%22field%22%3A%22email%22%2C%22operator%22%3A%22contains%22%2C%22value%22%3A%22%40v%C3%AD.vn%22%7D%5D%7D",
        ),
        ("cursor with + / =", |b| b.cursor(CURSOR), ""),
        ("perPage", |b| b.per_page(500u64), "perPage=500"),
        (
            "sort as JSON text",
            |b| b.sort(r#"[{"id":"lastActivityAt","desc":true}]"#),
            "sort=%5B%7B%22id%22%3A%22lastActivityAt%22%2C%22desc%22%3Atrue%7D%5D",
        ),
    ]
}

#[tokio::test]
async fn conversation_parameters_are_encoded_as_the_server_reads_them() {
    let server = json_server(EMPTY_CURSOR_PAGE).await;
    let client = client(&server.uri());
    let cases = conversation_cases();
    for (what, setter, _) in &cases {
        setter(client.api().list_conversations())
            .send()
            .await
            .unwrap_or_else(|e| panic!("{what}: {e}"));
    }
    let received = requests(&server).await;
    for ((what, _, expected), request) in cases.iter().zip(&received) {
        let expected = if what.starts_with("cursor") {
            format!("cursor={CURSOR_ENCODED}")
        } else {
            expected.to_string()
        };
        assert_eq!(query(request), expected, "{what}");
        assert_eq!(request.url.path(), "/v1/conversations", "{what}");
    }
    assert_eq!(received.len(), cases.len());
}

type ContactSetter = for<'a> fn(ListContacts<'a>) -> ListContacts<'a>;

fn contact_cases() -> Vec<(&'static str, ContactSetter, &'static str)> {
    vec![
        ("no parameter", |b| b, ""),
        ("page", |b| b.page(3u64), "page=3"),
        ("perPage", |b| b.per_page(50u64), "perPage=50"),
        (
            "channels[] in bracket notation, even for one value",
            |b| b.channels(vec![types::Channel::Tiktok]),
            "channels%5B%5D=tiktok",
        ),
        (
            "channels the spec does not list",
            |b| b.channels(vec![types::Channel::from("line"), types::Channel::Zalo]),
            "channels%5B%5D=line&channels%5B%5D=zalo",
        ),
        (
            "keyword with non-ASCII text",
            |b| b.keyword("Thảo +84"),
            "keyword=Th%E1%BA%A3o+%2B84",
        ),
        (
            "inboxIds[] with snowflake ids",
            |b| b.inbox_ids(vec!["72057594037927936".to_string(), "9".to_string()]),
            "inboxIds%5B%5D=72057594037927936&inboxIds%5B%5D=9",
        ),
        (
            "integration ids",
            |b| {
                b.integration_whatsapp_id("11")
                    .integration_messenger_id("12")
            },
            "integrationMessengerId=12&integrationWhatsappId=11",
        ),
        (
            "include[] in bracket notation",
            |b| {
                b.include(vec![
                    types::ContactInclude::Tags,
                    types::ContactInclude::CustomFields,
                ])
            },
            "include%5B%5D=tags&include%5B%5D=customFields",
        ),
        ("withCount", |b| b.with_count(true), "withCount=true"),
        (
            "sort as JSON text",
            |b| b.sort(r#"[{"id":"createdAt","desc":false}]"#),
            "sort=%5B%7B%22id%22%3A%22createdAt%22%2C%22desc%22%3Afalse%7D%5D",
        ),
        (
            "several at once",
            |b| {
                b.page(2u64)
                    .per_page(20u64)
                    .channels(vec![types::Channel::Zalo])
            },
            "channels%5B%5D=zalo&page=2&perPage=20",
        ),
    ]
}

#[tokio::test]
async fn contact_parameters_are_encoded_as_the_server_reads_them() {
    let server = json_server(EMPTY_CONTACT_PAGE).await;
    let client = client(&server.uri());
    let cases = contact_cases();
    for (what, setter, _) in &cases {
        setter(client.api().list_contacts())
            .send()
            .await
            .unwrap_or_else(|e| panic!("{what}: {e}"));
    }
    let received = requests(&server).await;
    assert_eq!(received.len(), cases.len());
    for ((what, _, expected), request) in cases.iter().zip(&received) {
        assert_eq!(query(request), *expected, "{what}");
        assert_eq!(request.url.path(), "/v1/contacts", "{what}");
    }
}

type MessageSetter = for<'a> fn(ListContactMessages<'a>) -> ListContactMessages<'a>;

fn message_cases() -> Vec<(&'static str, MessageSetter, &'static str, &'static str)> {
    vec![
        (
            "id form",
            |b| b.identifier("id:42"),
            "/v1/contacts/id:42/messages",
            "",
        ),
        (
            "email form",
            |b| b.identifier("email:an@example.com"),
            "/v1/contacts/email:an@example.com/messages",
            "",
        ),
        (
            "phone form with + and a space",
            |b| b.identifier("phone:+84 912"),
            "/v1/contacts/phone:+84%20912/messages",
            "",
        ),
        (
            "non-ASCII address",
            |b| b.identifier("email:thảo@ví-dụ.vn"),
            "/v1/contacts/email:th%E1%BA%A3o@v%C3%AD-d%E1%BB%A5.vn/messages",
            "",
        ),
        (
            "a slash cannot escape the path segment",
            |b| b.identifier("email:a/../b"),
            "/v1/contacts/email:a%2F..%2Fb/messages",
            "",
        ),
        (
            "perPage",
            |b| b.identifier("id:1").per_page(100u64),
            "/v1/contacts/id:1/messages",
            "perPage=100",
        ),
        (
            "cursor",
            |b| b.identifier("id:1").cursor(CURSOR),
            "/v1/contacts/id:1/messages",
            "",
        ),
    ]
}

#[tokio::test]
async fn message_identifiers_and_parameters_are_encoded() {
    let server = json_server(EMPTY_CURSOR_PAGE).await;
    let client = client(&server.uri());
    let cases = message_cases();
    for (what, setter, _, _) in &cases {
        setter(client.api().list_contact_messages())
            .send()
            .await
            .unwrap_or_else(|e| panic!("{what}: {e}"));
    }
    let received = requests(&server).await;
    assert_eq!(received.len(), cases.len());
    for ((what, _, path, expected), request) in cases.iter().zip(&received) {
        assert_eq!(request.url.path(), *path, "{what}");
        let expected = if *what == "cursor" {
            format!("cursor={CURSOR_ENCODED}")
        } else {
            expected.to_string()
        };
        assert_eq!(query(request), expected, "{what}");
    }
}

#[tokio::test]
async fn an_empty_identifier_is_refused_before_sending() {
    let server = json_server(EMPTY_CURSOR_PAGE).await;
    let error = client(&server.uri())
        .api()
        .list_contact_messages()
        .identifier("")
        .send()
        .await
        .unwrap_err();
    let error =
        chatdesk::Error::from_generated(chatdesk::Platform::Chatbotx, "listContactMessages", error)
            .await;
    assert!(matches!(error, chatdesk::Error::InvalidInput(_)), "{error}");
    assert!(requests(&server).await.is_empty());
}

#[tokio::test]
async fn bearer_header_by_default() {
    let server = json_server(EMPTY_CURSOR_PAGE).await;
    client(&server.uri())
        .api()
        .list_conversations()
        .send()
        .await
        .unwrap();
    let request = &requests(&server).await[0];
    assert_eq!(
        header(request, "authorization").as_deref(),
        Some(format!("Bearer {TOKEN}").as_str())
    );
    assert_eq!(
        header(request, "accept").as_deref(),
        Some("application/json")
    );
    assert_eq!(header(request, "user-agent").as_deref(), Some(USER_AGENT));
    assert_eq!(query(request), "");
}

#[tokio::test]
async fn token_in_query_replaces_the_header() {
    let server = json_server(EMPTY_CURSOR_PAGE).await;
    let client = chatbotx::Client::builder()
        .base_url(server.uri())
        .token_in_query("cbx_ws_a+b/c=")
        .build()
        .unwrap();
    client.api().list_conversations().send().await.unwrap();
    client
        .api()
        .list_conversations()
        .per_page(5u64)
        .send()
        .await
        .unwrap();
    let received = requests(&server).await;
    assert_eq!(query(&received[0]), "token=cbx_ws_a%2Bb%2Fc%3D");
    assert_eq!(query(&received[1]), "perPage=5&token=cbx_ws_a%2Bb%2Fc%3D");
    for request in &received {
        assert_eq!(header(request, "authorization"), None);
    }
}

#[tokio::test]
async fn default_base_url_is_the_public_api() {
    let client = chatbotx::Client::builder().token(TOKEN).build().unwrap();
    assert_eq!(client.base_url(), "https://app.chatbotx.io/api");
    assert_eq!(client.api().baseurl(), "https://app.chatbotx.io/api");
}

use chatbotx::api::ClientInfo as _;
