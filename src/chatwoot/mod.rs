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
pub mod hooks;

pub use client::{Client, ClientBuilder};
pub use hooks::SERVER_PAGE_SIZE;
pub use operations::CREDENTIAL_KEYS;

use crate::listing::ListOperation;

/// The conversation listing of an account, from [`Client::conversations`]
/// or [`Client::list_conversations`].
pub type ConversationsRequest = listings::ListConversationsRequest;

/// Pages fetched at once by default (the spec's `concurrency-default`).
/// Pages hold only 25 conversations, so an export is many round trips:
/// with 20 ms each, 12 in flight walk 10,000 conversations in about 1.1 s,
/// against 1.5 s with 8 and 9.8 s with 1 (`BENCHMARKS.md`). Long exports
/// from a busy server should also set
/// [`RateLimit::chatwoot`](crate::rate_limit::RateLimit::chatwoot).
///
/// ```
/// assert_eq!(chatdesk::chatwoot::DEFAULT_CONCURRENCY, 12);
/// ```
pub const DEFAULT_CONCURRENCY: usize = listings::ListConversations::SPEC.default_concurrency();

/// Short names for the filter values of [`Client::conversations`].
pub use enums::{
    AssigneeTypeFilter as AssigneeType, ConversationSortBy as SortBy,
    ConversationTypeFilter as ConversationType, StatusFilter as Status,
};

// The generated modules (`api`, `enums`, `types`, `listings`, `operations`),
// written by the build step from `openapi/chatwoot.yaml`.
include!(concat!(env!("OUT_DIR"), "/chatwoot_modules.rs"));
