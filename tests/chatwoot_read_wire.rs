//! The exact requests the generated client sends for the Chatwoot read
//! operations: method, path, query bytes, headers and, for the filter, the
//! JSON body; and the filter, a POST that only reads, is retried on 503.

#![cfg(feature = "chatwoot")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use chatdesk::chatwoot::{self, enums, types};
use common::*;
use wiremock::{MockServer, Request, ResponseTemplate};

const TOKEN: &str = "cw-user-token-9f8e7d";

fn client(base_url: &str) -> chatwoot::Client {
    chatwoot::Client::builder()
        .base_url(base_url)
        .api_access_token(TOKEN)
        .build()
        .unwrap()
}

/// The one request the server received.
async fn only_request(server: &MockServer) -> Request {
    let received = requests(server).await;
    assert_eq!(received.len(), 1);
    received.into_iter().next().unwrap()
}

fn assert_get(request: &Request, path: &str, expected_query: &str) {
    assert_eq!(request.method.as_str(), "GET", "{path}");
    assert_eq!(request.url.path(), path);
    assert_eq!(query(request), expected_query, "{path}");
    assert_eq!(header(request, "api_access_token").as_deref(), Some(TOKEN));
    assert_eq!(header(request, "user-agent").as_deref(), Some(USER_AGENT));
    assert_eq!(
        header(request, "accept").as_deref(),
        Some("application/json")
    );
    assert!(request.body.is_empty(), "{path}");
}

use chatwoot::api::builder::{ListContacts, ListCustomAttributeDefinitions, ListMessages};

/// A setter and the query string it must produce.
type MessagesCase = (
    for<'a> fn(ListMessages<'a>) -> ListMessages<'a>,
    &'static str,
);
type ContactsCase = (
    for<'a> fn(ListContacts<'a>) -> ListContacts<'a>,
    &'static str,
);
type DefinitionsCase = (
    for<'a> fn(ListCustomAttributeDefinitions<'a>) -> ListCustomAttributeDefinitions<'a>,
    &'static str,
);

macro_rules! case {
    ($fixture:expr, $c:ident => $build:expr, $path:expr, $query:expr) => {{
        let server = json_server(fixture($fixture)).await;
        let $c = client(&server.uri());
        let response = $build.send().await;
        response.unwrap_or_else(|e| panic!("{}: {e}", $path));
        assert_get(&only_request(&server).await, $path, $query);
    }};
}

#[tokio::test]
async fn get_conversation() {
    case!(
        "chatwoot/conversation_show.json",
        c => c.api().get_conversation().account_id(3).conversation_id(1287),
        "/api/v1/accounts/3/conversations/1287",
        ""
    );
}

#[tokio::test]
async fn list_messages_each_parameter() {
    let cases: Vec<MessagesCase> = vec![
        (|b| b, ""),
        (|b| b.before(551901), "before=551901"),
        (|b| b.after(551800), "after=551800"),
        (|b| b.after(10).before(20), "after=10&before=20"),
        (
            |b| b.before_timestamp(1768380000),
            "before_timestamp=1768380000",
        ),
        (
            |b| b.filter_internal_messages(true),
            "filter_internal_messages=true",
        ),
    ];
    for (setter, expected) in cases {
        case!(
            "chatwoot/messages_page.json",
            c => setter(c.api().list_messages().account_id(3).conversation_id(1287)),
            "/api/v1/accounts/3/conversations/1287/messages",
            expected
        );
    }
}

#[tokio::test]
async fn list_contacts_each_parameter() {
    let cases: Vec<ContactsCase> = vec![
        (|b| b, ""),
        (|b| b.page(2u64), "page=2"),
        (|b| b.sort(enums::ContactSort::NameDesc), "sort=-name"),
        (
            |b| b.sort(enums::ContactSort::LastActivityAtAsc),
            "sort=last_activity_at",
        ),
        (
            |b| b.sort(enums::ContactSort::from("-zodiac")),
            "sort=-zodiac",
        ),
        (
            |b| b.include_contact_inboxes(false),
            "include_contact_inboxes=false",
        ),
        (
            |b| b.labels(vec!["vip".to_string(), "giao-hàng".to_string()]),
            "labels%5B%5D=vip&labels%5B%5D=giao-h%C3%A0ng",
        ),
        (
            |b| {
                b.page(3u64)
                    .sort(enums::ContactSort::CreatedAtDesc)
                    .include_contact_inboxes(true)
            },
            "include_contact_inboxes=true&page=3&sort=-created_at",
        ),
    ];
    for (setter, expected) in cases {
        case!(
            "chatwoot/contacts_page.json",
            c => setter(c.api().list_contacts().account_id(3)),
            "/api/v1/accounts/3/contacts",
            expected
        );
    }
}

#[tokio::test]
async fn get_contact() {
    case!(
        "chatwoot/contact_show.json",
        c => c.api().get_contact().account_id(3).id(40911),
        "/api/v1/accounts/3/contacts/40911",
        ""
    );
    case!(
        "chatwoot/contact_show.json",
        c => c
            .api()
            .get_contact()
            .account_id(3)
            .id(40911)
            .include_contact_inboxes(false),
        "/api/v1/accounts/3/contacts/40911",
        "include_contact_inboxes=false"
    );
}

#[tokio::test]
async fn unparameterised_reads() {
    case!(
        "chatwoot/contact_conversations.json",
        c => c.api().list_contact_conversations().account_id(3).id(40915),
        "/api/v1/accounts/3/contacts/40915/conversations",
        ""
    );
    case!(
        "chatwoot/inboxes_admin.json",
        c => c.api().list_inboxes().account_id(3),
        "/api/v1/accounts/3/inboxes",
        ""
    );
    case!(
        "chatwoot/agents.json",
        c => c.api().list_agents().account_id(3),
        "/api/v1/accounts/3/agents",
        ""
    );
    case!(
        "chatwoot/teams.json",
        c => c.api().list_teams().account_id(3),
        "/api/v1/accounts/3/teams",
        ""
    );
    case!(
        "chatwoot/team_members.json",
        c => c.api().list_team_members().account_id(3).team_id(2),
        "/api/v1/accounts/3/teams/2/team_members",
        ""
    );
    case!(
        "chatwoot/labels.json",
        c => c.api().list_labels().account_id(3),
        "/api/v1/accounts/3/labels",
        ""
    );
}

#[tokio::test]
async fn list_custom_attribute_definitions_each_parameter() {
    let cases: Vec<DefinitionsCase> = vec![
        (|b| b, ""),
        (
            |b| b.attribute_model(enums::CustomAttributeModel::ContactAttribute),
            "attribute_model=contact_attribute",
        ),
        (
            |b| b.attribute_model(enums::CustomAttributeModel::ConversationAttribute),
            "attribute_model=conversation_attribute",
        ),
    ];
    for (setter, expected) in cases {
        case!(
            "chatwoot/custom_attribute_definitions.json",
            c => setter(c.api().list_custom_attribute_definitions().account_id(3)),
            "/api/v1/accounts/3/custom_attribute_definitions",
            expected
        );
    }
}

fn filter_body() -> types::ConversationFilterRequest {
    types::ConversationFilterRequest {
        payload: vec![
            types::ConversationFilter {
                attribute_key: "status".to_string(),
                filter_operator: enums::ConversationFilterOperator::EqualTo,
                values: vec![types::FilterValue::String("open".to_string())],
                query_operator: Some(enums::FilterQueryOperator::And),
                custom_attribute_type: None,
            },
            types::ConversationFilter {
                attribute_key: "inbox_id".to_string(),
                filter_operator: enums::ConversationFilterOperator::EqualTo,
                values: vec![types::FilterValue::Int64(7)],
                query_operator: Some(enums::FilterQueryOperator::Or),
                custom_attribute_type: None,
            },
            types::ConversationFilter {
                attribute_key: "labels".to_string(),
                filter_operator: enums::ConversationFilterOperator::Contains,
                values: vec![types::FilterValue::String("giao-hàng".to_string())],
                query_operator: None,
                custom_attribute_type: None,
            },
        ],
    }
}

const FILTER_JSON: &str = r#"{"payload":[{"attribute_key":"status","filter_operator":"equal_to","query_operator":"AND","values":["open"]},{"attribute_key":"inbox_id","filter_operator":"equal_to","query_operator":"OR","values":[7]},{"attribute_key":"labels","filter_operator":"contains","values":["giao-hàng"]}]}"#;

#[tokio::test]
async fn filter_conversations_sends_the_exact_body() {
    for (page, expected_query) in [(None, ""), (Some(2u64), "page=2")] {
        let server = json_server(fixture("chatwoot/filter_page.json")).await;
        let client = client(&server.uri());
        let mut request = client
            .api()
            .filter_conversations()
            .account_id(3)
            .body(filter_body());
        if let Some(page) = page {
            request = request.page(page);
        }
        let page_answer = request.send().await.unwrap().into_inner();
        assert_eq!(page_answer.meta.all_count, 3);
        let request = only_request(&server).await;
        assert_eq!(request.method.as_str(), "POST");
        assert_eq!(
            request.url.path(),
            "/api/v1/accounts/3/conversations/filter"
        );
        assert_eq!(query(&request), expected_query);
        assert_eq!(header(&request, "api_access_token").as_deref(), Some(TOKEN));
        assert_eq!(header(&request, "user-agent").as_deref(), Some(USER_AGENT));
        assert_eq!(
            header(&request, "content-type").as_deref(),
            Some("application/json")
        );
        assert_eq!(
            String::from_utf8(request.body.clone()).unwrap(),
            FILTER_JSON
        );
    }
}

#[tokio::test]
async fn filter_conversations_is_retried_on_503() {
    let body = String::from_utf8(fixture("chatwoot/filter_page.json")).unwrap();
    let server = failing_then(1, ResponseTemplate::new(503), &body).await;
    let client = chatwoot::Client::builder()
        .base_url(server.uri())
        .api_access_token(TOKEN)
        .retry_policy(quick())
        .build()
        .unwrap();
    let answer = client
        .api()
        .filter_conversations()
        .account_id(3)
        .body(filter_body())
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(answer.payload.len(), 3);
    let received = requests(&server).await;
    assert_eq!(received.len(), 2);
    assert_eq!(received[0].body, received[1].body);
    assert_eq!(client.stats().retries(), 1);
}
