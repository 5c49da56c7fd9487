//! The exact requests the generated Chatwoot client sends: path, query
//! string bytes and headers, one case per parameter.

#![cfg(feature = "chatwoot")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use chatdesk::chatwoot::api::builder::ListConversations;
use chatdesk::chatwoot::{self, types};
use common::*;

const TOKEN: &str = "cw-user-token-9f8e7d";
const EMPTY_PAGE: &str = r#"{"data":{"meta":{"mine_count":0,"assigned_count":0,"unassigned_count":0,"all_count":0},"payload":[]}}"#;

fn client(base_url: &str) -> chatwoot::Client {
    chatwoot::Client::builder()
        .base_url(base_url)
        .api_access_token(TOKEN)
        .build()
        .unwrap()
}

type Setter = for<'a> fn(ListConversations<'a>) -> ListConversations<'a>;

/// `(what, setter, expected query string)`, one per parameter and encoding.
fn cases() -> Vec<(&'static str, Setter, &'static str)> {
    vec![
        ("no parameter", |b| b, ""),
        (
            "assignee_type",
            |b| b.assignee_type(types::AssigneeTypeFilter::Unassigned),
            "assignee_type=unassigned",
        ),
        (
            "status",
            |b| b.status(types::StatusFilter::All),
            "status=all",
        ),
        (
            "status not in the spec passes through",
            |b| b.status(types::StatusFilter::from("archived")),
            "status=archived",
        ),
        (
            "q with non-ASCII text and reserved characters",
            |b| b.q("xin chào & 100% ✓"),
            "q=xin+ch%C3%A0o+%26+100%25+%E2%9C%93",
        ),
        ("inbox_id", |b| b.inbox_id(3), "inbox_id=3"),
        ("team_id", |b| b.team_id(12), "team_id=12"),
        (
            "labels go as labels[] for Rails",
            |b| b.labels(vec!["vip".to_string(), "tầng 2".to_string()]),
            "labels%5B%5D=vip&labels%5B%5D=t%E1%BA%A7ng+2",
        ),
        ("page", |b| b.page(2u64), "page=2"),
        (
            "sort_by",
            |b| b.sort_by(types::ConversationSortBy::CreatedAtDesc),
            "sort_by=created_at_desc",
        ),
        (
            "conversation_type",
            |b| b.conversation_type(types::ConversationTypeFilter::Mention),
            "conversation_type=mention",
        ),
        (
            "source_id with + / =",
            |b| b.source_id("a+b/c=="),
            "source_id=a%2Bb%2Fc%3D%3D",
        ),
        (
            "updated_within",
            |b| b.updated_within(3600u64),
            "updated_within=3600",
        ),
        (
            "every parameter at once",
            |b| {
                b.assignee_type(types::AssigneeTypeFilter::Me)
                    .status(types::StatusFilter::Snoozed)
                    .q("hi")
                    .inbox_id(1)
                    .team_id(2)
                    .labels(vec!["a".to_string()])
                    .page(3u64)
                    .sort_by(types::ConversationSortBy::Latest)
                    .conversation_type(types::ConversationTypeFilter::Unattended)
                    .source_id("s")
                    .updated_within(60u64)
            },
            "assignee_type=me&conversation_type=unattended&inbox_id=1&labels%5B%5D=a&page=3&q=hi\
             &sort_by=latest&source_id=s&status=snoozed&team_id=2&updated_within=60",
        ),
    ]
}

#[tokio::test]
async fn each_parameter_is_encoded_as_rails_reads_it() {
    let server = json_server(EMPTY_PAGE).await;
    let client = client(&server.uri());
    let cases = cases();
    for (what, setter, _) in &cases {
        let request = setter(client.api().list_conversations().account_id(7));
        request
            .send()
            .await
            .unwrap_or_else(|e| panic!("{what}: {e}"));
    }
    let received = requests(&server).await;
    assert_eq!(received.len(), cases.len());
    for ((what, _, expected), request) in cases.iter().zip(&received) {
        assert_eq!(query(request), *expected, "{what}");
        assert_eq!(request.method.as_str(), "GET", "{what}");
        assert_eq!(
            request.url.path(),
            "/api/v1/accounts/7/conversations",
            "{what}"
        );
    }
}

#[tokio::test]
async fn headers_carry_the_token_and_nothing_else_of_ours() {
    let server = json_server(EMPTY_PAGE).await;
    client(&server.uri())
        .api()
        .list_conversations()
        .account_id(7)
        .send()
        .await
        .unwrap();
    let request = &requests(&server).await[0];
    assert_eq!(header(request, "api_access_token").as_deref(), Some(TOKEN));
    assert_eq!(
        header(request, "accept").as_deref(),
        Some("application/json")
    );
    assert_eq!(header(request, "user-agent").as_deref(), Some(USER_AGENT));
    assert_eq!(header(request, "authorization"), None);
    assert!(!query(request).contains(TOKEN));
}

#[tokio::test]
async fn base_url_with_trailing_slash_or_path_prefix() {
    let server = json_server(EMPTY_PAGE).await;
    for base in [
        format!("{}/", server.uri()),
        format!("{}/support/", server.uri()),
    ] {
        client(&base)
            .api()
            .list_conversations()
            .account_id(1)
            .send()
            .await
            .unwrap();
    }
    let paths: Vec<_> = requests(&server)
        .await
        .iter()
        .map(|r| r.url.path().to_string())
        .collect();
    assert_eq!(
        paths,
        [
            "/api/v1/accounts/1/conversations",
            "/support/api/v1/accounts/1/conversations"
        ]
    );
}

#[tokio::test]
async fn a_missing_account_id_is_an_error_before_sending() {
    let server = json_server(EMPTY_PAGE).await;
    let error = client(&server.uri())
        .api()
        .list_conversations()
        .send()
        .await
        .unwrap_err();
    let error =
        chatdesk::Error::from_generated(chatdesk::Platform::Chatwoot, "listConversations", error)
            .await;
    assert!(matches!(error, chatdesk::Error::InvalidInput(_)), "{error}");
    assert!(error.to_string().contains("account_id"), "{error}");
    assert!(requests(&server).await.is_empty());
}

#[tokio::test]
async fn page_zero_is_refused_by_the_type() {
    let server = json_server(EMPTY_PAGE).await;
    let error = client(&server.uri())
        .api()
        .list_conversations()
        .account_id(1)
        .page(0u64)
        .send()
        .await
        .unwrap_err();
    assert!(error.to_string().contains("page"), "{error}");
    assert!(requests(&server).await.is_empty());
}
