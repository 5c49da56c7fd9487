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
pub mod hooks;
mod identifier;

pub use client::{Client, ClientBuilder, DEFAULT_BASE_URL};
pub use filter::{Condition, ContactFilter};
pub use identifier::Identifier;
pub use operations::CREDENTIAL_KEYS;

use crate::listing::ListOperation;
use operations::pagination;

/// How a contact filter goes on the wire of the contact listing
/// ([`ContactsRequest::filter_encoding`]).
pub use crate::listing::ObjectEncoding as FilterEncoding;

/// The conversation listing, from [`Client::conversations`] or
/// [`Client::list_conversations`].
pub type ConversationsRequest = listings::ListConversationsRequest;
/// The contact listing, from [`Client::contacts`] or
/// [`Client::list_contacts`].
pub type ContactsRequest = listings::ListContactsRequest;
/// A contact's messages, from [`Client::contact_messages`] or
/// [`Client::list_contact_messages`].
pub type ContactMessagesRequest = listings::ListContactMessagesRequest;

/// Conversations or messages per request when streaming (the spec's
/// `page-size-default`; the server's own default, 20, without one). The
/// server sets no maximum, so a large page means few round trips; 500
/// conversations are about 1.5 MB of JSON.
///
/// ```
/// assert_eq!(chatdesk::chatbotx::DEFAULT_CURSOR_PAGE_SIZE, 500);
/// ```
pub const DEFAULT_CURSOR_PAGE_SIZE: u64 = pagination::LIST_CONVERSATIONS.default_page_size(20);
/// The most contacts the server serves per page (the spec's
/// `page-size-max`; it clamps larger values).
///
/// ```
/// assert_eq!(chatdesk::chatbotx::MAX_CONTACTS_PER_PAGE, 50);
/// ```
pub const MAX_CONTACTS_PER_PAGE: u64 = match pagination::LIST_CONTACTS.page_size_max {
    Some(max) => max,
    None => u64::MAX,
};
/// Contact pages fetched at once by default (the spec's
/// `concurrency-default`).
///
/// ```
/// assert_eq!(chatdesk::chatbotx::DEFAULT_CONCURRENCY, 4);
/// ```
pub const DEFAULT_CONCURRENCY: usize = listings::ListContacts::SPEC.default_concurrency();

/// Short names for the filter values of the listings.
pub use enums::{BotCategory, Channel, ConversationStatusFilter as Status};

// The generated modules (`api`, `enums`, `types`, `listings`, `operations`),
// written by the build step from `openapi/chatbotx.yaml`.
include!(concat!(env!("OUT_DIR"), "/chatbotx_modules.rs"));
