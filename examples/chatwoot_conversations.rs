//! Lists every conversation of a Chatwoot account, streaming all pages.
//!
//! ```text
//! CHATWOOT_BASE_URL=https://chat.example.com \
//! CHATWOOT_API_ACCESS_TOKEN=... \
//! CHATWOOT_ACCOUNT_ID=1 \
//! cargo run --example chatwoot_conversations
//! ```
//!
//! Without `CHATWOOT_BASE_URL`, it starts the fake Chatwoot server of
//! `chatdesk-fake` on 127.0.0.1 with a seeded data set, so the example runs
//! with no account and no network.

use chatdesk::chatwoot::{self, Status};
use chatdesk_fake::FakeChatwoot;
use futures::TryStreamExt;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let (base_url, token, _fake) = match std::env::var("CHATWOOT_BASE_URL") {
        Ok(url) => (url, std::env::var("CHATWOOT_API_ACCESS_TOKEN")?, None),
        Err(_) => {
            let fake = FakeChatwoot::builder()
                .conversations(60)
                .seed(7)
                .start()
                .await?;
            eprintln!(
                "CHATWOOT_BASE_URL is not set: using a fake server at {}",
                fake.base_url()
            );
            (fake.base_url(), fake.token().to_string(), Some(fake))
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
