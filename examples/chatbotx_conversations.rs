//! Lists every ChatbotX conversation, streaming all pages.
//!
//! ```text
//! CHATBOTX_TOKEN=cbx_ws_... cargo run --example chatbotx_conversations
//! CHATBOTX_BASE_URL=https://inbox.example.com/api CHATBOTX_TOKEN=... cargo run --example chatbotx_conversations
//! ```
//!
//! Without `CHATBOTX_TOKEN`, it starts a local stand-in server on 127.0.0.1
//! that answers with two recorded-looking pages, so the example runs with
//! no account and no network.

use chatdesk::chatbotx;
use futures::TryStreamExt;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut builder = chatbotx::Client::builder();
    let _stand_in = match std::env::var("CHATBOTX_TOKEN") {
        Ok(token) => {
            builder = builder.token(token);
            if let Ok(url) = std::env::var("CHATBOTX_BASE_URL") {
                builder = builder.base_url(url);
            }
            None
        }
        Err(_) => {
            let server = stand_in::start(
                include_str!("../tests/fixtures/chatbotx/conversations_page.json"),
                include_str!("../tests/fixtures/chatbotx/conversations_last_page.json"),
            )
            .await;
            eprintln!(
                "CHATBOTX_TOKEN is not set: using a local stand-in at {}",
                server.uri()
            );
            builder = builder.base_url(server.uri()).token("cbx_ws_stand_in");
            Some(server)
        }
    };
    let client = builder.build()?;

    let mut conversations = client.conversations().stream();
    let mut count = 0;
    while let Some(conversation) = conversations.try_next().await? {
        let contact = conversation
            .contact
            .as_ref()
            .and_then(|c| c.full_name.clone())
            .unwrap_or_default();
        let channel = conversation
            .contact_inboxes
            .first()
            .and_then(|i| i.channel.clone())
            .unwrap_or_default();
        println!("{:<20} {channel:<10} {}", conversation.id, contact.trim());
        count += 1;
    }
    println!("{count} conversations");
    Ok(())
}

mod stand_in {
    use wiremock::matchers::{any, query_param_is_missing};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    /// A local server that answers the first page (no cursor) with `first`
    /// and any later page with `last`.
    pub async fn start(first: &str, last: &str) -> MockServer {
        let server = MockServer::start().await;
        Mock::given(query_param_is_missing("cursor"))
            .respond_with(
                ResponseTemplate::new(200).set_body_raw(first.to_string(), "application/json"),
            )
            .mount(&server)
            .await;
        Mock::given(any())
            .respond_with(
                ResponseTemplate::new(200).set_body_raw(last.to_string(), "application/json"),
            )
            .mount(&server)
            .await;
        server
    }
}
