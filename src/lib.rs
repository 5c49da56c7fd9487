//! Typed, async clients for the ChatbotX and Chatwoot customer-messaging APIs.
//!
//! Each platform is a module behind a cargo feature of the same name (both on
//! by default):
//!
//! - [`chatwoot`]: Chatwoot, cloud or self-hosted.
//! - [`chatbotx`]: ChatbotX, the omnichannel inbox (Zalo, Messenger,
//!   WhatsApp, Telegram, TikTok, webchat, ...).
//!
//! The low-level client of each platform (`api`) is generated at build time
//! from the OpenAPI spec under `openapi/`; the handwritten layer adds auth,
//! clear errors and tolerance for what real servers send.
//!
//! ```no_run
//! # #[cfg(feature = "chatwoot")]
//! # async fn run() -> Result<(), chatdesk::Error> {
//! use chatdesk::{chatwoot, Error, Platform};
//!
//! let client = chatwoot::Client::builder()
//!     .base_url("https://chat.example.com")
//!     .api_access_token("a-user-access-token")
//!     .build()?;
//! let request = client
//!     .api()
//!     .list_conversations()
//!     .account_id(7)
//!     .status(chatwoot::types::StatusFilter::All);
//! let page = match request.send().await {
//!     Ok(page) => page.into_inner(),
//!     Err(e) => return Err(Error::from_generated(Platform::Chatwoot, "listConversations", e).await),
//! };
//! println!("{} conversations", page.data.meta.all_count);
//! # Ok(())
//! # }
//! ```
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
