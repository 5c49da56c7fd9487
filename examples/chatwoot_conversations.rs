//! Lists every conversation of a Chatwoot account, streaming all pages.
//!
//! ```text
//! CHATWOOT_BASE_URL=https://chat.example.com \
//! CHATWOOT_API_ACCESS_TOKEN=... \
//! CHATWOOT_ACCOUNT_ID=1 \
//! cargo run --example chatwoot_conversations
//! ```
//!
//! Without `CHATWOOT_BASE_URL`, it starts a local stand-in server on
//! 127.0.0.1 that answers with a recorded-looking page, so the example runs
//! with no account and no network.

use chatdesk::chatwoot::{self, Status};
use futures::TryStreamExt;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let (base_url, token, _stand_in) = match std::env::var("CHATWOOT_BASE_URL") {
        Ok(url) => (url, std::env::var("CHATWOOT_API_ACCESS_TOKEN")?, None),
        Err(_) => {
            let server = stand_in::start(
                include_str!("../tests/fixtures/chatwoot/conversations_page.json"),
                include_str!("../tests/fixtures/chatwoot/conversations_empty_page.json"),
            )
            .await;
            eprintln!(
                "CHATWOOT_BASE_URL is not set: using a local stand-in at {}",
                server.uri()
            );
            (server.uri(), "stand-in-token".to_string(), Some(server))
        }
    };
    let account_id: i64 = std::env::var("CHATWOOT_ACCOUNT_ID").map_or(Ok(1), |v| v.parse())?;

    let client = chatwoot::Client::builder()
        .base_url(base_url)
        .api_access_token(token)
        .build()?;
    let mut conversations = client
        .conversations(account_id)
        .status(Status::All)
        .stream();
    let mut count = 0;
    while let Some(conversation) = conversations.try_next().await? {
        let contact = conversation
            .meta
            .as_ref()
            .and_then(|m| m.sender.as_ref())
            .and_then(|s| s.name.clone())
            .unwrap_or_default();
        println!(
            "#{:<20} {:<10} {contact}",
            conversation.id, conversation.status
        );
        count += 1;
    }
    println!("{count} conversations in account {account_id}");
    Ok(())
}

mod stand_in {
    use wiremock::matchers::{any, query_param};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    /// A local server that answers page 1 with `first` and any other page
    /// with `rest`.
    pub async fn start(first: &str, rest: &str) -> MockServer {
        let server = MockServer::start().await;
        Mock::given(query_param("page", "1"))
            .respond_with(
                ResponseTemplate::new(200).set_body_raw(first.to_string(), "application/json"),
            )
            .mount(&server)
            .await;
        Mock::given(any())
            .respond_with(
                ResponseTemplate::new(200).set_body_raw(rest.to_string(), "application/json"),
            )
            .mount(&server)
            .await;
        server
    }
}
