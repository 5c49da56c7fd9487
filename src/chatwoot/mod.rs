//! Chatwoot, the open-source support desk (cloud and self-hosted).
//!
//! # Building a client
//!
//! A [`Client`] needs two things, both from Chatwoot's web interface:
//!
//! - the **base URL**: the address of the server, `https://app.chatwoot.com`
//!   for Chatwoot's cloud, or your own server's root address (without
//!   `/api` or `/app`);
//! - a user's **access token**: *Profile settings → Access Token* (an agent
//!   bot's token is refused by the conversation endpoints).
//!
//! Every listing also takes the **account id**: the number after
//! `/app/accounts/` in the browser's address bar
//! (`https://app.chatwoot.com/app/accounts/7/dashboard` is account 7).
//!
//! ```no_run
//! use chatdesk::chatwoot;
//!
//! fn client() -> Result<chatwoot::Client, Box<dyn std::error::Error>> {
//!     let client = chatwoot::Client::builder()
//!         .base_url(std::env::var("CHATWOOT_BASE_URL")?) // https://chat.example.com
//!         .api_access_token(std::env::var("CHATWOOT_API_ACCESS_TOKEN")?)
//!         .build()?; // checks the URL and the token; sends nothing
//!     Ok(client)
//! }
//! ```
//!
//! A client is cheap to clone (clones share the connection pool and the
//! rate limit). The builder also takes a retry policy, timeouts, extra
//! headers and a rate limit, which is off by default: for long exports set
//! [`RateLimit::chatwoot`](crate::rate_limit::RateLimit::chatwoot), the
//! published 3,000 requests a minute.
//!
//! # Listings
//!
//! Every list operation of the spec is a method of [`Client`] named after
//! its `operationId`, returning a listing: set its filters, then read it as
//! a stream of items (`.stream()`), of pages with the position that follows
//! each (`.pages()`, for checkpoints with `.resume(..)`), or of items exactly
//! as sent (`.stream_raw()`, `.pages_raw()`).
//!
//! | listing | what | pages |
//! | --- | --- | --- |
//! | [`conversations(account_id)`](Client::conversations) (= `list_conversations`) | conversations; filters [`Status`], [`AssigneeType`], labels, inbox, team, text, `updated_within` | numbers, 25 a page, [`DEFAULT_CONCURRENCY`] at once |
//! | [`list_messages(account_id, conversation_id)`](Client::list_messages) | a conversation's messages, oldest first | by id (`after`), 100 a window |
//! | [`list_contacts(account_id)`](Client::list_contacts) | contacts with an email, phone or identifier | numbers, 15 a page |
//! | [`filter_conversations(account_id)`](Client::filter_conversations) | conversations matching [`types::ConversationFilter`] conditions (POST) | numbers, 25 a page |
//! | [`list_contact_conversations(account_id, id)`](Client::list_contact_conversations) | a contact's newest 20 conversations | one response |
//! | `list_inboxes`, `list_agents`, `list_teams`, `list_team_members`, `list_labels`, `list_custom_attribute_definitions` | an account's settings | one response |
//!
//! ```no_run
//! use chatdesk::chatwoot;
//! use futures::TryStreamExt;
//!
//! async fn open_vip(client: &chatwoot::Client) -> Result<(), chatdesk::Error> {
//!     let mut open = client
//!         .conversations(7)
//!         .status(chatwoot::Status::Open)
//!         .label("vip")
//!         .stream();
//!     while let Some(conversation) = open.try_next().await? {
//!         let mut messages = client.list_messages(7, conversation.id).stream();
//!         while let Some(message) = messages.try_next().await? {
//!             println!("#{} {:?}", conversation.id, message.content);
//!         }
//!     }
//!     Ok(())
//! }
//! ```
//!
//! A value a setter refuses (a blank label, say) sends nothing: the stream
//! yields one [`Error::InvalidInput`](crate::Error::InvalidInput) naming the
//! setter.
//!
//! # The generated request builders
//!
//! [`api`] is generated from `openapi/chatwoot.yaml`: one request builder
//! per operation, reached through [`Client::api`], for what the listings do
//! not cover (a single conversation or contact, one page as the server
//! sends it). The calls go through the client's pipeline (token, retries,
//! rate limit); [`Error::from_generated`](crate::Error::from_generated)
//! turns their errors into the crate's error. [`types`] holds the response
//! types, generated from the spec's schemas, and [`enums`] the open enums
//! (a value the spec does not list is kept in `Unknown`).
//!
//! ```no_run
//! use chatdesk::{chatwoot, Error, Platform};
//!
//! async fn counts(client: &chatwoot::Client) -> Result<(), Error> {
//!     let request = client
//!         .api()
//!         .list_conversations()
//!         .account_id(7)
//!         .status(chatwoot::types::StatusFilter::All);
//!     let page = match request.send().await {
//!         Ok(page) => page.into_inner(),
//!         Err(e) => return Err(Error::from_generated(Platform::Chatwoot, "listConversations", e).await),
//!     };
//!     println!("{} conversations in all", page.data.meta.all_count);
//!     Ok(())
//! }
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
