//! The HTTP core: every request of every operation, generated call or
//! listing page, goes through it. One folder, one job per file:
//!
//! - [`client`]: the generic client and builder every platform's are;
//! - [`builder`]: the settings a client is built from (base URL rules,
//!   timeouts, extra headers, the `reqwest` client and its redirect policy);
//! - [`auth`]: the token, where it goes, and the secrets scrubbed from
//!   everything the crate shows;
//! - [`pipeline`]: the one request pipeline (rate limit, retries by
//!   idempotency, size-limited body reads, tracing, stats);
//! - [`decode`]: success bodies decoded, with the JSON path on failure;
//! - [`error_body`]: error responses read into [`Error`](crate::Error)s
//!   that say what happened and what to do;
//! - [`retry`] and [`rate_limit`]: the retry policy and the client-side
//!   rate limiter, public as `chatdesk::retry` and `chatdesk::rate_limit`.

pub(crate) mod auth;
pub(crate) mod builder;
pub mod client;
pub(crate) mod decode;
pub(crate) mod error_body;
pub(crate) mod pipeline;
pub mod rate_limit;
pub mod retry;

pub(crate) use auth::TokenPlacement;

pub use builder::DEFAULT_MAX_RESPONSE_BYTES;
pub use pipeline::Stats;
pub(crate) use pipeline::{Get, Http, Operations};
