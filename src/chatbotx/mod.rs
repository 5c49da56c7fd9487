//! ChatbotX, the omnichannel inbox (Zalo, Messenger, WhatsApp, Telegram, TikTok,
//! webchat, ...).
//!
//! - [`Client`]: the handwritten client; build it with [`Client::builder`].
//! - [`api`]: the client generated from `openapi/chatbotx.yaml`, one request
//!   builder per operation, reached through [`Client::api`].
//! - [`types`]: the response types, generated from the spec's schemas, and
//!   the open enums of [`enums`].
//!
//! ```no_run
//! # async fn run() -> Result<(), chatdesk::Error> {
//! use chatdesk::{chatbotx, Error, Platform};
//!
//! let client = chatbotx::Client::builder() // https://app.chatbotx.io/api by default
//!     .token(std::env::var("CHATBOTX_TOKEN").unwrap_or_default())
//!     .build()?;
//! let page = match client.api().list_conversations().per_page(100).send().await {
//!     Ok(page) => page.into_inner(),
//!     Err(e) => return Err(Error::from_generated(Platform::Chatbotx, "listConversations", e).await),
//! };
//! for conversation in &page.data {
//!     println!("{} last active {:?}", conversation.id, conversation.last_activity_at);
//! }
//! # Ok(())
//! # }
//! ```

mod client;
mod filter;
mod identifier;
mod listing;

pub use client::{Client, ClientBuilder, DEFAULT_BASE_URL};
pub use filter::{Condition, ContactFilter};
pub use identifier::Identifier;
pub use listing::{
    ContactMessagesRequest, ContactsRequest, ConversationsRequest, DEFAULT_CONCURRENCY,
    DEFAULT_CURSOR_PAGE_SIZE, FilterEncoding, MAX_CONTACTS_PER_PAGE,
};

/// Short names for the filter values of the listings.
pub use enums::{BotCategory, Channel, ConversationStatusFilter as Status};

crate::generated::generated_modules!("chatbotx", "ChatbotX");
