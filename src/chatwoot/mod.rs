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

#[doc = include_str!(concat!(env!("OUT_DIR"), "/chatwoot_notes.md"))]
#[allow(
    missing_docs,
    unused_imports,
    clippy::all,
    clippy::pedantic,
    clippy::unwrap_used,
    clippy::expect_used
)]
pub mod api {
    include!(concat!(env!("OUT_DIR"), "/chatwoot.rs"));
}

/// Open enums generated from the spec's enum schemas: a value the spec does
/// not list is kept in the `Unknown` variant instead of failing the page.
#[allow(clippy::all)]
pub mod enums {
    include!(concat!(env!("OUT_DIR"), "/chatwoot_enums.rs"));
}

/// Every type of the Chatwoot API: the generated structs and the open enums.
pub mod types {
    pub use super::api::types::*;
    pub use super::enums::*;
}
