//! Lists every ChatbotX conversation, streaming all pages.
//!
//! ```text
//! CHATBOTX_TOKEN=cbx_ws_... cargo run --example chatbotx_conversations
//! CHATBOTX_BASE_URL=https://inbox.example.com/api CHATBOTX_TOKEN=... cargo run --example chatbotx_conversations
//! ```
//!
//! Without `CHATBOTX_TOKEN`, it starts the fake ChatbotX server of
//! `chatdesk-fake` on 127.0.0.1 with a seeded data set, so the example runs
//! with no account and no network.

use chatdesk::chatbotx;
use chatdesk_fake::FakeChatbotx;
use futures::TryStreamExt;

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut builder = chatbotx::Client::builder();
    let _fake = match std::env::var("CHATBOTX_TOKEN") {
        Ok(token) => {
            builder = builder.token(token);
            if let Ok(url) = std::env::var("CHATBOTX_BASE_URL") {
                builder = builder.base_url(url);
            }
            None
        }
        Err(_) => {
            let fake = FakeChatbotx::builder()
                .conversations(60)
                .seed(7)
                .start()
                .await?;
            eprintln!(
                "CHATBOTX_TOKEN is not set: using a fake server at {}",
                fake.base_url()
            );
            builder = builder.base_url(fake.base_url()).token(fake.token());
            Some(fake)
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
