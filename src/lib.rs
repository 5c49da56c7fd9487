//! Typed, async clients for the Chatwoot and ChatbotX customer-messaging APIs.
//!
//! Use it to pull conversations, contacts and messages out of either
//! platform into your own systems: a CRM, analytics, a backup, a migration.
//! Every list operation of the platforms is a *listing*: one stream that
//! walks every page, fetches numbered pages concurrently, retries what is
//! safe to retry, stays under a rate limit if you set one, yields each item
//! once, and stops with a clear [`Error`] rather than loop or drop a page.
//!
//! # Getting started
//!
//! The streams are read with [`futures::TryStreamExt`], and the client
//! needs a Tokio runtime:
//!
//! ```toml
//! [dependencies]
//! chatdesk = "0.1"
//! futures = "0.3"
//! tokio = { version = "1", features = ["macros", "rt-multi-thread"] }
//! ```
//!
//! Every conversation of a Chatwoot account, whatever its status (the
//! server's default is open ones only):
//!
//! ```no_run
//! use chatdesk::chatwoot;
//! use futures::TryStreamExt;
//!
//! #[tokio::main]
//! async fn main() -> Result<(), Box<dyn std::error::Error>> {
//!     let client = chatwoot::Client::builder()
//!         .base_url("https://app.chatwoot.com") // or your self-hosted server
//!         .api_access_token(std::env::var("CHATWOOT_API_ACCESS_TOKEN")?)
//!         .build()?;
//!     let account_id = 7; // the number after /app/accounts/ in the browser's address bar
//!     let mut conversations = client
//!         .conversations(account_id)
//!         .status(chatwoot::Status::All)
//!         .stream();
//!     while let Some(conversation) = conversations.try_next().await? {
//!         println!("#{} {}", conversation.id, conversation.status);
//!     }
//!     Ok(())
//! }
//! ```
//!
//! Every contact of a ChatbotX workspace (the base URL defaults to
//! `https://app.chatbotx.io/api`):
//!
//! ```no_run
//! use chatdesk::chatbotx;
//! use futures::TryStreamExt;
//!
//! #[tokio::main]
//! async fn main() -> Result<(), Box<dyn std::error::Error>> {
//!     let cbx = chatbotx::Client::builder()
//!         .token(std::env::var("CHATBOTX_TOKEN")?) // cbx_ws_...
//!         .build()?;
//!     let mut contacts = cbx.contacts().stream();
//!     while let Some(contact) = contacts.try_next().await? {
//!         println!("{} {:?}", contact.id, contact.full_name);
//!     }
//!     Ok(())
//! }
//! ```
//!
//! A listing's setters are its operation's query parameters, typed and
//! checked as the spec says; the platform modules list the listings
//! ([`chatwoot`](crate::chatwoot#listings), [`chatbotx`](crate::chatbotx#listings)).
//!
//! # Pages, for checkpoints
//!
//! `.pages()` yields whole pages, each with the [`Position`](paginate::Position)
//! of the next one. Save it after handling a page, and a long export that is
//! killed goes on from there with `.resume(..)` instead of starting over:
//!
//! ```no_run
//! use chatdesk::chatbotx;
//! use chatdesk::paginate::Position;
//! use futures::TryStreamExt;
//!
//! async fn export(cbx: &chatbotx::Client, saved: Option<Position>) -> Result<(), chatdesk::Error> {
//!     let listing = cbx.contacts();
//!     let listing = match &saved {
//!         Some(position) => listing.resume(position),
//!         None => listing,
//!     };
//!     let mut pages = listing.pages();
//!     while let Some(page) = pages.try_next().await? {
//!         for contact in &page.items {
//!             println!("{}", contact.id);
//!         }
//!         // Store page.next (a Position is serde-serializable); None: the end.
//!         println!("next: {:?}", page.next);
//!     }
//!     Ok(())
//! }
//! ```
//!
//! # Items exactly as sent
//!
//! The typed streams keep the fields the specs name. `.stream_raw()` and
//! `.pages_raw()` yield each item as the server sent it ([`RawItem`]: its
//! JSON text and its id), unknown fields included, for backups and
//! migrations that must not lose any:
//!
//! ```no_run
//! use chatdesk::chatwoot;
//! use futures::TryStreamExt;
//!
//! async fn dump(client: &chatwoot::Client) -> Result<(), chatdesk::Error> {
//!     let mut raw = client.conversations(7).status(chatwoot::Status::All).stream_raw();
//!     while let Some(item) = raw.try_next().await? {
//!         println!("{}", item.json()); // one line of JSON
//!     }
//!     Ok(())
//! }
//! ```
//!
//! # Without an account
//!
//! The `chatdesk-fake` package serves fake Chatwoot and ChatbotX accounts on
//! `127.0.0.1`, with the real servers' pagination, errors and quirks, and
//! faults on demand. As a dev-dependency it tests your code with no account
//! and no network; this example runs as it is:
//!
//! ```
//! use chatdesk::chatwoot;
//! use chatdesk_fake::FakeChatwoot;
//! use futures::TryStreamExt;
//!
//! #[tokio::main]
//! async fn main() -> Result<(), Box<dyn std::error::Error>> {
//!     let fake = FakeChatwoot::builder().conversations(60).start().await?;
//!     let client = chatwoot::Client::builder()
//!         .base_url(fake.base_url()) // http://127.0.0.1:<port>, allowed: loopback
//!         .api_access_token(fake.token())
//!         .build()?;
//!     let all: Vec<_> = client
//!         .conversations(1)
//!         .status(chatwoot::Status::All)
//!         .stream()
//!         .try_collect()
//!         .await?;
//!     assert_eq!(all.len(), 60);
//!     Ok(())
//! }
//! ```
//!
//! # The generated request builders
//!
//! Each platform's `api` module is generated at build time from its OpenAPI
//! spec (under `openapi/`): one request builder per operation, reached
//! through `client.api()`, for what the listings do not cover (a single
//! conversation, one page of a listing as the server sends it). Its calls
//! go through the same pipeline as the listings (token, retries, rate
//! limit); [`Error::from_generated`] turns their errors into this crate's
//! [`Error`], with the server's message:
//!
//! ```no_run
//! use chatdesk::{chatwoot, Error, Platform};
//!
//! async fn one_conversation(client: &chatwoot::Client) -> Result<(), Error> {
//!     let request = client.api().get_conversation().account_id(7).conversation_id(42);
//!     let conversation = match request.send().await {
//!         Ok(response) => response.into_inner(),
//!         Err(e) => return Err(Error::from_generated(Platform::Chatwoot, "getConversation", e).await),
//!     };
//!     println!("#{} {}", conversation.id, conversation.status);
//!     Ok(())
//! }
//! ```
//!
//! # Modules
//!
//! - [`chatwoot`], [`chatbotx`]: each platform's `Client`, its listings,
//!   the generated `api`, `types` and open `enums`.
//! - [`backup`]: a whole account copied into a [`Store`](backup::Store) and
//!   kept in sync, resumable at any moment; [`MemoryStore`](backup::MemoryStore)
//!   built in, SQLite in `chatdesk-sqlite`.
//! - [`paginate`]: the walks' rules, [`Page`](paginate::Page) and
//!   [`Position`](paginate::Position) for checkpoints.
//! - [`retry`]: when a failed request is sent again, and how long to wait
//!   ([`RetryPolicy`](retry::RetryPolicy)).
//! - [`rate_limit`]: a client-side limit, so that large exports never meet
//!   a 429 ([`RateLimit`](rate_limit::RateLimit)).
//! - [`error`]: the one [`Error`] type, whose message says what to do.
//! - [`time`]: [`Timestamp`](time::Timestamp), which reads every form of
//!   time the servers send.
//! - [`secret`]: credentials found in response data, which never print.
//! - [`raw`]: [`RawItem`], an item exactly as the server sent it.
//! - [`client`], [`listing`], [`platform`]: what both platforms share: the
//!   generic client and builder, the listing type, each platform's facts.
//!
//! # Features
//!
//! | feature | default | what |
//! | --- | --- | --- |
//! | `chatwoot` | on | the [`chatwoot`] module |
//! | `chatbotx` | on | the [`chatbotx`] module |
//! | `rustls` | on | HTTPS through rustls, with no system library |
//! | `native-tls` | off | HTTPS through the system's TLS library; on Linux it needs OpenSSL's headers and `pkg-config` to build |
//!
//! Without a TLS feature only plain `http://` works: to a loopback address,
//! or to another host after the builder's `.allow_insecure_http()`.
//! One platform alone: `chatdesk = { version = "0.1", default-features = false,
//! features = ["chatwoot", "rustls"] }`.
//!
//! # Companion packages
//!
//! - `chatdesk-fake`: the fake servers above, a dev-dependency for tests.
//! - `chatdesk-sqlite`: a SQLite [`Store`](backup::Store) for backups, one
//!   file per account, queryable with `sqlite3`.
//! - `chatdesk-cli`: the `chatdesk` command, backups and JSON Lines exports
//!   without writing code (`cargo install chatdesk-cli`).
#![cfg_attr(docsrs, feature(doc_cfg))]
// With no platform compiled, the shared machinery has no user.
#![cfg_attr(
    not(any(feature = "chatbotx", feature = "chatwoot")),
    allow(dead_code, unused_macros, unused_imports)
)]

pub mod backup;
mod envelope;
pub mod error;
#[cfg(test)]
mod example;
mod http;
pub mod platform;
// The listing runtime serves every form a spec can declare; with one
// platform compiled, some of them have no operation.
#[cfg_attr(not(all(feature = "chatbotx", feature = "chatwoot")), allow(dead_code))]
pub mod listing;
pub mod paginate;
mod query;
pub mod raw;
pub mod secret;
pub mod time;

#[cfg(feature = "chatbotx")]
pub mod chatbotx;
#[cfg(feature = "chatwoot")]
pub mod chatwoot;

pub use error::Error;
pub use http::DEFAULT_MAX_RESPONSE_BYTES;
pub use http::Stats;
pub use http::{client, rate_limit, retry};
pub use platform::Platform;
pub use raw::RawItem;
/// The HTTP client the crate is built on, for its types in the API
/// (`StatusCode`, `HeaderMap`).
pub use reqwest;

/// The README's Rust examples, compiled as doctests so they stay true.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
