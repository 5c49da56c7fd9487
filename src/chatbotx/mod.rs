//! ChatbotX, the omnichannel inbox (Zalo, Messenger, WhatsApp, Telegram, TikTok,
//! webchat, ...).
//!
//! # Building a client
//!
//! A [`Client`] needs a **workspace token**: in ChatbotX, the workspace's
//! *Settings → API*. It starts with `cbx_` (`cbx_ws_...`) and gives access
//! to that one workspace, so no workspace id is needed. The **base URL**
//! defaults to [`DEFAULT_BASE_URL`], `https://app.chatbotx.io/api`; set
//! another for a self-hosted server, with its `/api` (the address of the
//! web app alone answers HTML, which the client reports as a wrong base
//! URL).
//!
//! ```no_run
//! use chatdesk::chatbotx;
//!
//! fn client() -> Result<chatbotx::Client, Box<dyn std::error::Error>> {
//!     let client = chatbotx::Client::builder()
//!         .token(std::env::var("CHATBOTX_TOKEN")?) // sent as Authorization: Bearer
//!         // .base_url("https://chatbotx.example.com/api") // a self-hosted server
//!         .build()?; // checks the URL and the token; sends nothing
//!     Ok(client)
//! }
//! ```
//!
//! A client is cheap to clone (clones share the connection pool and the
//! rate limit). The builder also takes a retry policy, timeouts, extra
//! headers (the open-source server wants a logged-in session's `Cookie` on
//! some routes: [`ClientBuilder::header`]) and a rate limit, which is off
//! by default: for long exports set
//! [`RateLimit::chatbotx`](crate::rate_limit::RateLimit::chatbotx), the
//! published 120 requests per 10 seconds.
//!
//! # Listings
//!
//! Every list operation of the spec is a method of [`Client`] named after
//! its `operationId`, returning a listing: set its filters, then read it as
//! a stream of items (`.stream()`), of pages with the position that follows
//! each (`.pages()`, for checkpoints with `.resume(..)`), or of items exactly
//! as sent (`.stream_raw()`, `.pages_raw()`). Every walk yields each item
//! once, even where the server's cursor repeats items.
//!
//! | listing | what | pages |
//! | --- | --- | --- |
//! | [`conversations()`](Client::conversations) (= `list_conversations`) | conversations, newest activity first; filters [`Channel`], [`Status`], tags, keyword, assignee, [`ContactFilter`]; `.all_states()` for archived and blocked ones too | cursor, [`DEFAULT_CURSOR_PAGE_SIZE`] a page |
//! | [`contacts()`](Client::contacts) (= `list_contacts`) | contacts; filters channel, keyword, [`ContactFilter`] | numbers, [`MAX_CONTACTS_PER_PAGE`] a page, [`DEFAULT_CONCURRENCY`] at once |
//! | [`contact_messages(identifier)`](Client::contact_messages) (= `list_contact_messages`) | one contact's messages, newest first; the contact by id, email or phone ([`Identifier`]) | cursor |
//! | [`list_members()`](Client::list_members), [`list_channels()`](Client::list_channels) | the workspace's members and channels | numbers |
//! | `list_tags`, `list_custom_fields`, `list_bot_fields`, `list_teams`, `list_contact_tags`, `list_contact_custom_fields` | settings, and a contact's tags and field values | one response (50 at most for the first three) |
//!
//! ```no_run
//! use chatdesk::chatbotx::{self, Channel, Identifier, Status};
//! use futures::TryStreamExt;
//!
//! async fn unread_on_zalo(cbx: &chatbotx::Client) -> Result<(), chatdesk::Error> {
//!     let mut unread = cbx
//!         .conversations()
//!         .channel(Channel::Zalo)
//!         .status([Status::Unread])
//!         .max_items(100)
//!         .stream();
//!     while let Some(conversation) = unread.try_next().await? {
//!         println!("{} last active {:?}", conversation.id, conversation.last_activity_at);
//!     }
//!     let mut messages = cbx.contact_messages(Identifier::email("an@example.com")).stream();
//!     while let Some(message) = messages.try_next().await? {
//!         println!("{:?}", message.text);
//!     }
//!     Ok(())
//! }
//! ```
//!
//! A value a setter refuses sends nothing: the stream yields one
//! [`Error::InvalidInput`](crate::Error::InvalidInput) naming the setter.
//!
//! # The generated request builders
//!
//! [`api`] is generated from `openapi/chatbotx.yaml`: one request builder
//! per operation, reached through [`Client::api`], for what the listings do
//! not cover (one contact, one message, the workspace). The calls go
//! through the client's pipeline (token, retries, rate limit);
//! [`Error::from_generated`](crate::Error::from_generated) turns their
//! errors into the crate's error. [`types`] holds the response types,
//! generated from the spec's schemas, and [`enums`] the open enums (a value
//! the spec does not list is kept in `Unknown`).
//!
//! ```no_run
//! use chatdesk::{chatbotx, Error, Platform};
//!
//! async fn first_page(cbx: &chatbotx::Client) -> Result<(), Error> {
//!     let page = match cbx.api().list_conversations().per_page(100).send().await {
//!         Ok(page) => page.into_inner(),
//!         Err(e) => return Err(Error::from_generated(Platform::Chatbotx, "listConversations", e).await),
//!     };
//!     for conversation in &page.data {
//!         println!("{} last active {:?}", conversation.id, conversation.last_activity_at);
//!     }
//!     Ok(())
//! }
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
