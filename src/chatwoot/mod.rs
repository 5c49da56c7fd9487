//! Chatwoot, the open-source support desk (cloud and self-hosted).
//!
//! - [`Client`]: the handwritten client; build it with [`Client::builder`].
//! - [`api`]: the client generated from `openapi/chatwoot.yaml`, one request
//!   builder per operation, reached through [`Client::api`].
//! - [`types`]: the response types, generated from the spec's schemas, and
//!   the open enums of [`enums`].
//!
//! ```no_run
//! # async fn run() -> Result<(), chatdesk::Error> {
//! use chatdesk::{chatwoot, Error, Platform};
//!
//! let client = chatwoot::Client::builder()
//!     .base_url("https://chat.example.com")
//!     .api_access_token(std::env::var("CHATWOOT_API_ACCESS_TOKEN").unwrap_or_default())
//!     .build()?;
//! let page = match client.api().list_conversations().account_id(7).send().await {
//!     Ok(page) => page.into_inner(),
//!     Err(e) => return Err(Error::from_generated(Platform::Chatwoot, "listConversations", e).await),
//! };
//! for conversation in &page.data.payload {
//!     println!("#{} {}", conversation.id, conversation.status);
//! }
//! # Ok(())
//! # }
//! ```

mod client;
mod listing;

pub use client::{Client, ClientBuilder};
pub use listing::{ConversationsRequest, DEFAULT_CONCURRENCY, SERVER_PAGE_SIZE};

/// Short names for the filter values of [`Client::conversations`].
pub use enums::{
    AssigneeTypeFilter as AssigneeType, ConversationSortBy as SortBy,
    ConversationTypeFilter as ConversationType, StatusFilter as Status,
};

crate::generated::generated_modules!("chatwoot", "Chatwoot");
