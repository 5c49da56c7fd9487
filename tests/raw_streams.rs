#![cfg(all(feature = "chatwoot", feature = "chatbotx"))]
#![allow(clippy::unwrap_used, clippy::expect_used)]

//! The raw streams (`.stream_raw()`, `.pages_raw()`): every item exactly as
//! the server sent it, fields the specs do not know included, walked,
//! resumed and de-duplicated like the typed streams; an item without a
//! usable `id` is a decode error that names its place.

mod common;

use chatdesk::paginate::Position;
use chatdesk::{Error, RawItem, chatbotx, chatwoot};
use common::*;
use futures::TryStreamExt;
use wiremock::matchers::{path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn chatwoot_client(server: &MockServer) -> chatwoot::Client {
    chatwoot::Client::builder()
        .base_url(server.uri())
        .api_access_token("cw_raw_secret")
        .build()
        .unwrap()
}

fn chatbotx_client(server: &MockServer) -> chatbotx::Client {
    chatbotx::Client::builder()
        .base_url(server.uri())
        .token("cbx_raw_secret")
        .build()
        .unwrap()
}

fn body(text: &str) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_raw(text.as_bytes().to_vec(), "application/json")
}

fn texts(items: &[RawItem]) -> Vec<&str> {
    items.iter().map(RawItem::json).collect()
}

/// Two pages of two, the second repeating the last item of the first (as
/// when a conversation moves during a walk), then an empty page.
#[tokio::test]
async fn chatwoot_raw_items_keep_unknown_fields_and_are_deduplicated() {
    let server = MockServer::start().await;
    let meta = r#""meta":{"mine_count":0,"assigned_count":0,"unassigned_count":4,"all_count":4}"#;
    let page1 = format!(
        r#"{{"data":{{{meta},"payload":[{{"id":9,"x_new":{{"a":[1.50,null]}},"status":"snoozed_forever"}},
        {{
          "id": 8,
          "labels": ["vip"]
        }}]}}}}"#
    );
    let page2 = format!(
        r#"{{"data":{{{meta},"payload":[{{"id":8,"labels":["vip"]}},{{"id":7,"é":"ü"}}]}}}}"#
    );
    let page3 = format!(r#"{{"data":{{{meta},"payload":[]}}}}"#);
    for (page, text) in [("1", page1), ("2", page2), ("3", page3)] {
        Mock::given(path("/api/v1/accounts/1/conversations"))
            .and(query_param("page", page))
            .respond_with(body(&text))
            .mount(&server)
            .await;
    }

    let items: Vec<RawItem> = chatwoot_client(&server)
        .conversations(1)
        .concurrency(1)
        .stream_raw()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(
        texts(&items),
        [
            r#"{"id":9,"x_new":{"a":[1.50,null]},"status":"snoozed_forever"}"#,
            r#"{"id":8,"labels":["vip"]}"#,
            r#"{"id":7,"é":"ü"}"#,
        ]
    );
    assert_eq!(items[0].id(), "9");

    let queries: Vec<String> = requests(&server)
        .await
        .iter()
        .map(|r| query(r).to_string())
        .collect();
    assert_eq!(queries, ["page=1", "page=2", "page=3"]);
}

#[tokio::test]
async fn chatwoot_raw_pages_resume_like_typed_pages() {
    let server = MockServer::start().await;
    let meta = r#""meta":{"mine_count":0,"assigned_count":0,"unassigned_count":3,"all_count":3}"#;
    Mock::given(path("/api/v1/accounts/1/conversations"))
        .and(query_param("page", "2"))
        .respond_with(body(&format!(
            r#"{{"data":{{{meta},"payload":[{{"id":3}}]}}}}"#
        )))
        .mount(&server)
        .await;
    Mock::given(path("/api/v1/accounts/1/conversations"))
        .and(query_param("page", "3"))
        .respond_with(body(&format!(r#"{{"data":{{{meta},"payload":[]}}}}"#)))
        .mount(&server)
        .await;
    let pages: Vec<_> = chatwoot_client(&server)
        .conversations(1)
        .resume(&Position::Number(2))
        .pages_raw()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(pages.len(), 1);
    assert_eq!(pages[0].position, Position::Number(2));
    assert_eq!(pages[0].next, Some(Position::Number(3)));
    assert_eq!(texts(&pages[0].items), [r#"{"id":3}"#]);
}

#[tokio::test]
async fn chatbotx_raw_cursor_walk_keeps_the_server_text() {
    let server = MockServer::start().await;
    Mock::given(path("/v1/conversations"))
        .and(query_param("cursor", "c2"))
        .respond_with(body(
            r#"{"data":[{"id":"3","lastMessage":{"text":"a\nb"},"zaloOnly":true}],"nextCursor":null}"#,
        ))
        .mount(&server)
        .await;
    Mock::given(path("/v1/conversations"))
        .respond_with(body(
            r#"{"data":[{"id":"1","score":1e2},{"id":"2","tags":[]}],"nextCursor":"c2","prevCursor":null}"#,
        ))
        .mount(&server)
        .await;

    let pages: Vec<_> = chatbotx_client(&server)
        .conversations()
        .pages_raw()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(pages.len(), 2);
    assert_eq!(
        texts(&pages[0].items),
        [r#"{"id":"1","score":1e2}"#, r#"{"id":"2","tags":[]}"#]
    );
    assert_eq!(pages[0].next, Some(Position::Cursor("c2".into())));
    assert_eq!(
        texts(&pages[1].items),
        [r#"{"id":"3","lastMessage":{"text":"a\nb"},"zaloOnly":true}"#]
    );
    assert_eq!(pages[1].items[0].id(), r#""3""#);
    assert_eq!(pages[1].next, None);
    let queries: Vec<String> = requests(&server)
        .await
        .iter()
        .map(|r| query(r).to_string())
        .collect();
    assert_eq!(queries, ["perPage=500", "perPage=500&cursor=c2"]);
}

#[tokio::test]
async fn chatbotx_raw_contacts_and_messages_walk_like_the_typed_ones() {
    let server = MockServer::start().await;
    Mock::given(path("/v1/contacts"))
        .and(query_param("page", "1"))
        .respond_with(body(
            r#"{"data":[{"id":"5","custom":{"k":"v"}},{"id":"4"}],"pageCount":2}"#,
        ))
        .mount(&server)
        .await;
    Mock::given(path("/v1/contacts"))
        .and(query_param("page", "2"))
        .respond_with(body(r#"{"data":[{"id":"4"},{"id":"3"}],"pageCount":2}"#))
        .mount(&server)
        .await;
    Mock::given(path("/v1/contacts"))
        .and(query_param("page", "3"))
        .respond_with(body(r#"{"data":[],"pageCount":2}"#))
        .mount(&server)
        .await;
    Mock::given(path("/v1/contacts/phone:%2B84912345678/messages"))
        .respond_with(body(r#"{"data":[{"id":"m1","attachments":[{"t":1}]}]}"#))
        .mount(&server)
        .await;
    let client = chatbotx_client(&server);

    let contacts: Vec<RawItem> = client
        .contacts()
        .per_page(2)
        .stream_raw()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(
        texts(&contacts),
        [
            r#"{"id":"5","custom":{"k":"v"}}"#,
            r#"{"id":"4"}"#,
            r#"{"id":"3"}"#
        ]
    );

    let messages: Vec<RawItem> = client
        .contact_messages(chatbotx::Identifier::phone("+84912345678"))
        .stream_raw()
        .try_collect()
        .await
        .unwrap();
    assert_eq!(texts(&messages), [r#"{"id":"m1","attachments":[{"t":1}]}"#]);
}

#[tokio::test]
async fn an_item_without_a_usable_id_is_an_error_that_names_its_place() {
    for (item, expected) in [
        (r#"{"name":"no id"}"#, "has no `id`"),
        (r#"{"id":null}"#, "not `null`"),
        (r#"[1]"#, "must be a JSON object"),
    ] {
        let server = json_server(format!(
            r#"{{"data":[{{"id":"1"}},{item}],"nextCursor":null}}"#
        ))
        .await;
        let mut stream = chatbotx_client(&server).conversations().stream_raw();
        // The page fails as a whole: none of its items comes out.
        let error = stream.try_next().await.unwrap_err();
        let Error::Decode(decode) = &error else {
            panic!("{item}: expected a decode error, got {error:?}");
        };
        assert_eq!(decode.path, "data[1]", "{item}");
        assert!(
            decode.message.contains(expected),
            "{item}: {}",
            decode.message
        );
        assert!(stream.try_next().await.unwrap().is_none());
    }
}

#[tokio::test]
async fn a_page_that_is_not_a_listing_is_still_a_decode_error() {
    let server = json_server(r#"{"data":{"meta":{},"payload":"oops"}}"#).await;
    let error = chatwoot_client(&server)
        .conversations(1)
        .stream_raw()
        .try_collect::<Vec<_>>()
        .await
        .unwrap_err();
    let Error::Decode(decode) = &error else {
        panic!("expected a decode error, got {error:?}");
    };
    assert!(decode.path.starts_with("data."), "{}", decode.path);
}
