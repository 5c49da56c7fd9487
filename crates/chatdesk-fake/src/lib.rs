//! In-process fake Chatwoot and ChatbotX servers, for tests and demos.
//!
//! Code that reads Chatwoot or ChatbotX needs an account, a token and a
//! network to run, and a real account cannot be made to fail on demand.
//! Each fake serves a generated, reproducible data set on `127.0.0.1` and
//! follows the rules the real servers follow: page sizes and cursors,
//! filters, counts, error bodies, validation of the query string, and
//! the answers of the current and the open-source ChatbotX servers
//! ([`ChatbotxVersion`]). [`Faults`] add latency, server errors, rate
//! limiting and damaged bodies on demand.
//!
//! Add it as a dev-dependency, next to the `chatdesk` library:
//!
//! ```toml
//! [dev-dependencies]
//! chatdesk-fake = "0.1"
//! futures = "0.3"
//! tokio = { version = "1", features = ["macros", "rt-multi-thread"] }
//! ```
//!
//! A test that walks every contact of a fake ChatbotX workspace through
//! the library, while one request in five is refused with a 429 (too many
//! requests) that the client waits out and retries:
//!
//! ```
//! use chatdesk::chatbotx;
//! use chatdesk_fake::{FakeChatbotx, Faults};
//! use futures::TryStreamExt;
//!
//! // In a test file this is a `#[tokio::test]`; here `main` runs it.
//! async fn every_contact_despite_rate_limiting() -> Result<(), Box<dyn std::error::Error>> {
//!     let fake = FakeChatbotx::builder().contacts(120).seed(7).start().await?;
//!     fake.set_faults(Faults { burst_429_rate: 0.2, seed: 1, ..Faults::default() });
//!     let client = chatbotx::Client::builder()
//!         .base_url(fake.base_url()) // http://127.0.0.1:<port>/api
//!         .token(fake.token())
//!         .build()?;
//!     let contacts: Vec<_> = client.contacts().stream().try_collect().await?;
//!     assert_eq!(contacts.len(), 120);
//!     assert!(fake.stats().rate_limited > 0); // refused, retried, nothing lost
//!     Ok(())
//! }
//!
//! #[tokio::main]
//! async fn main() -> Result<(), Box<dyn std::error::Error>> {
//!     every_contact_despite_rate_limiting().await
//! }
//! ```
//!
//! Any HTTP client can use a fake: it is an ordinary server.
//!
//! ```
//! use chatdesk_fake::FakeChatwoot;
//!
//! #[tokio::main(flavor = "current_thread")]
//! async fn main() -> Result<(), Box<dyn std::error::Error>> {
//!     let fake = FakeChatwoot::builder().conversations(60).start().await?;
//!     let response = reqwest::Client::new()
//!         .get(format!("{}/api/v1/accounts/1/conversations?status=all", fake.base_url()))
//!         .header("api_access_token", fake.token())
//!         .send()
//!         .await?;
//!     assert_eq!(response.status(), 200);
//!     assert_eq!(fake.stats().requests, 1);
//!     Ok(())
//! }
//! ```
//!
//! The data sets are made of invented names and texts (Vietnamese, Thai,
//! Japanese, emoji), shaped like the fixtures under `tests/fixtures/`. Times
//! come from the fake's own clock, which starts on 2026-01-14 and runs at
//! the real rate, so that the same seed always gives the same data.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::watch;

mod chatbotx;
mod chatwoot;
mod dataset;
mod server;
mod text;

use server::{Backend, Shared};

/// Faults to inject into a fake's answers. The default injects none.
///
/// Each rate is the share of requests (0.0 to 1.0) that get the fault,
/// rolled per request from [`Faults::seed`]. A request is first checked
/// for rate limiting, then for a server error; the answer it gets may then
/// be dropped mid-body, truncated (200 answers only) or sent slowly.
///
/// ```
/// use std::time::Duration;
/// use chatdesk_fake::{Faults, RateLimitFault};
///
/// let flaky = Faults {
///     error_rate: 0.1,
///     rate_limit: Some(RateLimitFault { requests: 120, window: Duration::from_secs(10) }),
///     latency: Duration::from_millis(5),
///     seed: 7,
///     ..Faults::default()
/// };
/// assert_eq!(flaky.drop_rate, 0.0);
/// ```
#[derive(Clone, Debug, Default)]
pub struct Faults {
    /// Added before every answer.
    pub latency: Duration,
    /// Share of requests answered 500, 502 or 503 (picked at random):
    /// Chatwoot sends an HTML page; ChatbotX its JSON error body, or the
    /// proxy's HTML page for 502.
    pub error_rate: f64,
    /// More than `requests` requests in a fixed window are answered 429:
    /// Chatwoot with the text `Retry later` and no `Retry-After`, ChatbotX
    /// with its JSON `tooManyRequests` body. The real ChatbotX allows 120
    /// per 10 seconds; Chatwoot 3000 per minute by default.
    pub rate_limit: Option<RateLimitFault>,
    /// Share of requests answered 429 whatever the window says (bursts).
    pub burst_429_rate: f64,
    /// Share of answers whose connection is dropped mid-body: the full
    /// `Content-Length` is announced, half the body is sent, then the
    /// connection is cut.
    pub drop_rate: f64,
    /// Share of 200 answers whose JSON is cut in half, with a
    /// `Content-Length` that matches the cut body.
    pub truncate_rate: f64,
    /// Share of answers that stall for [`Faults::slow_body_delay`] after
    /// the headers and half the body.
    pub slow_body_rate: f64,
    /// How long a slow body stalls; set it beyond the client's timeout to
    /// test timeouts.
    pub slow_body_delay: Duration,
    /// The seed of the fault rolls, separate from the data seed.
    pub seed: u64,
}

/// A fixed-window rate limit: at most `requests` per `window`.
///
/// ```
/// let limit = chatdesk_fake::RateLimitFault { requests: 3, window: std::time::Duration::from_secs(60) };
/// assert_eq!(limit.requests, 3);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RateLimitFault {
    /// Requests allowed per window; the next ones get 429.
    pub requests: u32,
    /// The window's length; it starts with the first request after the
    /// previous window ended.
    pub window: Duration,
}

/// What a running fake has answered so far.
///
/// ```
/// let stats = chatdesk_fake::FakeStats::default();
/// assert_eq!(stats.requests, 0);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FakeStats {
    /// Every request received, faults included.
    pub requests: u64,
    /// Requests answered with an injected 500, 502 or 503.
    pub errors: u64,
    /// Requests answered 429 (window or burst).
    pub rate_limited: u64,
    /// Answers whose connection was dropped mid-body.
    pub dropped: u64,
    /// Answers whose body was cut in half.
    pub truncated: u64,
    /// Answers sent slowly.
    pub slow: u64,
}

/// Which ChatbotX server a fake ChatbotX plays. The versions differ in
/// how they answer a bad token and a query string that fails validation,
/// and in what the contact and message listings accept and send.
///
/// The open-source server also wants a login session on
/// `/v1/conversations`, pages conversations with a broken cursor and
/// validates some filters without applying them. Those are switches of
/// their own ([`FakeChatbotxBuilder::require_session`],
/// [`FakeChatbotxBuilder::broken_cursor`],
/// [`FakeChatbotxBuilder::ignored_filters`]), so that each can be tested
/// alone and with either version.
///
/// ```
/// use chatdesk_fake::ChatbotxVersion;
/// assert_eq!(ChatbotxVersion::default(), ChatbotxVersion::Current);
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ChatbotxVersion {
    /// The current server. A bad or missing token gets 401
    /// `INVALID_CHATBOT_TOKEN`; a validation failure 422
    /// `invalidRequestData`. Contact listings carry `totalCount` and
    /// `totalCountCapped`, hold only the relations a non-empty `include`
    /// names and send 0 for the counts with `withCount=false`; a
    /// JSON-text `contactFilter` is accepted. The message listing's `perPage` is a whole number of
    /// at least 1.
    #[default]
    Current,
    /// The older, open-source server. A bad or missing token gets 500
    /// `{"defined":false,"code":"INVALID_CHATBOT_TOKEN","status":500,"message":"INVALID_CHATBOT_TOKEN"}`
    /// (the server's auth middleware throws an oRPC error with only that
    /// code, which oRPC answers with status 500 and the code as message);
    /// a validation failure 400 `BAD_REQUEST`, its issues worded the
    /// older way. Contact listings carry only `pageCount` (counted even
    /// with `withCount=false`) and every relation whatever `include`
    /// says, and a JSON-text `contactFilter` is refused with 400. The
    /// message listing takes any number as `perPage`: 0 and -1 give an
    /// empty page with no cursor, a fractional one or one below -1 a 500
    /// (the database refuses the limit).
    OpenSource,
}

/// A fake Chatwoot server: the read side of the account API under
/// `/api/v1/accounts/{account_id}`: conversations (listing, one, filter)
/// and their messages, contacts and their conversations, inboxes,
/// agents, teams and their members, labels and custom attribute
/// definitions, all from one data set.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> std::io::Result<()> {
/// let fake = chatdesk_fake::FakeChatwoot::builder().conversations(30).start().await?;
/// assert_eq!(fake.conversation_ids().len(), 30);
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Copy, Debug)]
pub struct FakeChatwoot;

impl FakeChatwoot {
    /// A builder with the defaults: 100 conversations, seed 1, account 1,
    /// token `fake-chatwoot-token`, 25 per page, no faults.
    ///
    /// ```
    /// let builder = chatdesk_fake::FakeChatwoot::builder().account_id(3).seed(42);
    /// ```
    pub fn builder() -> FakeChatwootBuilder {
        FakeChatwootBuilder::default()
    }
}

/// Settings of a [`FakeChatwoot`].
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> std::io::Result<()> {
/// let fake = chatdesk_fake::FakeChatwoot::builder()
///     .conversations(10)
///     .account_id(3)
///     .token("secret")
///     .page_size(5)
///     .start()
///     .await?;
/// assert_eq!(fake.token(), "secret");
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Debug)]
pub struct FakeChatwootBuilder {
    conversations: usize,
    messages_per_conversation: usize,
    contacts: usize,
    seed: u64,
    account_id: i64,
    token: String,
    page_size: u64,
    faults: Faults,
    storage_base: Option<String>,
}

impl Default for FakeChatwootBuilder {
    fn default() -> Self {
        FakeChatwootBuilder {
            conversations: 100,
            messages_per_conversation: 6,
            contacts: 0,
            seed: 1,
            account_id: 1,
            token: "fake-chatwoot-token".to_string(),
            page_size: 25,
            faults: Faults::default(),
            storage_base: None,
        }
    }
}

impl FakeChatwootBuilder {
    /// How many conversations the account has (default 100), of every
    /// status.
    ///
    /// ```
    /// let builder = chatdesk_fake::FakeChatwoot::builder().conversations(10_000);
    /// ```
    pub fn conversations(mut self, count: usize) -> Self {
        self.conversations = count;
        self
    }

    /// About how many messages a conversation has (default 6): each has
    /// between half and one and a half times `count` (at least one, the
    /// newest ones drawn from a few shapes), except one conversation in
    /// ten, which has none. 0 gives no messages at all.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let fake = chatdesk_fake::FakeChatwoot::builder()
    ///     .conversations(20)
    ///     .messages_per_conversation(40)
    ///     .start()
    ///     .await?;
    /// let busiest = fake.conversation_ids().iter().map(|id| fake.message_ids(id).len()).max();
    /// assert!(busiest >= Some(20));
    /// # Ok(())
    /// # }
    /// ```
    pub fn messages_per_conversation(mut self, count: usize) -> Self {
        self.messages_per_conversation = count;
        self
    }

    /// Contacts besides those the conversations bring (default 0): each
    /// with an email, so listed, and no conversation. The conversations
    /// bring one contact each, or share an earlier one now and then;
    /// some of those are anonymous visitors (no email, phone or
    /// identifier), which the contact listing leaves out.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let fake = chatdesk_fake::FakeChatwoot::builder().conversations(0).contacts(40).start().await?;
    /// assert_eq!(fake.contact_ids().len(), 40);
    /// # Ok(())
    /// # }
    /// ```
    pub fn contacts(mut self, count: usize) -> Self {
        self.contacts = count;
        self
    }

    /// The seed of the data set (default 1): the same seed gives the same
    /// conversations.
    ///
    /// ```
    /// let builder = chatdesk_fake::FakeChatwoot::builder().seed(7);
    /// ```
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// The account's id (default 1); other ids get 404.
    ///
    /// ```
    /// let builder = chatdesk_fake::FakeChatwoot::builder().account_id(3);
    /// ```
    pub fn account_id(mut self, account_id: i64) -> Self {
        self.account_id = account_id;
        self
    }

    /// The access token the fake accepts (default `fake-chatwoot-token`).
    ///
    /// ```
    /// let builder = chatdesk_fake::FakeChatwoot::builder().token("my-token");
    /// ```
    pub fn token(mut self, token: impl Into<String>) -> Self {
        self.token = token.into();
        self
    }

    /// Conversations per page (default 25, the server's setting; at least
    /// 1).
    ///
    /// ```
    /// let builder = chatdesk_fake::FakeChatwoot::builder().page_size(10);
    /// ```
    pub fn page_size(mut self, page_size: u64) -> Self {
        self.page_size = page_size.max(1);
        self
    }

    /// Faults to inject from the start (default none).
    ///
    /// ```
    /// use chatdesk_fake::Faults;
    /// let builder = chatdesk_fake::FakeChatwoot::builder()
    ///     .faults(Faults { error_rate: 0.2, ..Faults::default() });
    /// ```
    pub fn faults(mut self, faults: Faults) -> Self {
        self.faults = faults;
        self
    }

    /// Where the attachment and avatar URLs point instead of the data
    /// set's storage host (`https://chat.vietmart.example/rails/active_storage`),
    /// for example a test's own server on 127.0.0.1: a message's
    /// `attachments[].data_url` is then `<base>/blobs/redirect/<key>/<name>`.
    ///
    /// ```
    /// let builder = chatdesk_fake::FakeChatwoot::builder().storage_base("http://127.0.0.1:9000");
    /// ```
    pub fn storage_base(mut self, base: impl Into<String>) -> Self {
        self.storage_base = Some(base.into().trim_end_matches('/').to_owned());
        self
    }

    /// Generates the data and starts serving on a free port of 127.0.0.1.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let fake = chatdesk_fake::FakeChatwoot::builder().start().await?;
    /// assert!(fake.base_url().starts_with("http://127.0.0.1:"));
    /// # Ok(())
    /// # }
    /// ```
    pub async fn start(self) -> std::io::Result<RunningFake> {
        let token = self.token.clone();
        let fake = chatwoot::Fake::generate(
            chatwoot::Config {
                account_id: self.account_id,
                token: self.token,
                page_size: self.page_size,
            },
            &chatwoot::Sizes {
                conversations: self.conversations,
                messages_per_conversation: self.messages_per_conversation,
                contacts: self.contacts,
                seed: self.seed,
            },
        );
        let (shared, address, stop) = server::start(
            Backend::Chatwoot(fake),
            self.faults,
            chatwoot::CLOCK_BASE_SECS * 1000,
            self.storage_base,
        )
        .await?;
        Ok(RunningFake {
            shared,
            base_url: format!("http://{address}"),
            token,
            session_cookie: None,
            stop,
        })
    }
}

/// A fake ChatbotX server: `/api/v1/conversations`, `/api/v1/contacts`,
/// one contact (`/api/v1/contacts/{identifier}`) with its `tags`,
/// `custom-fields`, `messages` and `messages/{messageId}`, and the
/// workspace's `tags`, `custom-fields`, `bot-fields`, `channels`,
/// `members`, `teams` and `workspaces`, all from one data set.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> std::io::Result<()> {
/// let fake = chatdesk_fake::FakeChatbotx::builder().contacts(30).start().await?;
/// assert_eq!(fake.contact_ids().len(), 30);
/// assert!(fake.base_url().ends_with("/api"));
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Copy, Debug)]
pub struct FakeChatbotx;

impl FakeChatbotx {
    /// A builder with the defaults: 100 conversations, 100 contacts, 5
    /// messages per contact, seed 1, token `cbx_ws_fake`,
    /// [`ChatbotxVersion::Current`], no faults.
    ///
    /// ```
    /// let builder = chatdesk_fake::FakeChatbotx::builder().contacts(500);
    /// ```
    pub fn builder() -> FakeChatbotxBuilder {
        FakeChatbotxBuilder::default()
    }
}

/// Settings of a [`FakeChatbotx`].
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> std::io::Result<()> {
/// use chatdesk_fake::{ChatbotxVersion, FakeChatbotx};
/// let fake = FakeChatbotx::builder()
///     .conversations(10)
///     .contacts(10)
///     .messages_per_contact(3)
///     .version(ChatbotxVersion::OpenSource)
///     .start()
///     .await?;
/// let first = &fake.contact_ids()[0];
/// assert_eq!(fake.message_ids(first).len(), 3);
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Debug)]
pub struct FakeChatbotxBuilder {
    conversations: usize,
    contacts: usize,
    messages_per_contact: usize,
    seed: u64,
    token: String,
    version: ChatbotxVersion,
    session_cookie: Option<String>,
    broken_cursor: bool,
    ignored_filters: bool,
    faults: Faults,
    storage_base: Option<String>,
}

impl Default for FakeChatbotxBuilder {
    fn default() -> Self {
        FakeChatbotxBuilder {
            conversations: 100,
            contacts: 100,
            messages_per_contact: 5,
            seed: 1,
            token: "cbx_ws_fake".to_string(),
            version: ChatbotxVersion::Current,
            session_cookie: None,
            broken_cursor: false,
            ignored_filters: false,
            faults: Faults::default(),
            storage_base: None,
        }
    }
}

impl FakeChatbotxBuilder {
    /// How many conversations an unfiltered listing returns (default 100).
    ///
    /// As on the server, the unfiltered listing leaves out archived
    /// conversations and those of blocked contacts; `tags` chooses the
    /// other views, which do not overlap:
    ///
    /// | `tags` | archived | contact blocked | conversations |
    /// |---|---|---|---|
    /// | none | no | no | `count` |
    /// | `["archived"]` | yes | no | `count / 20`, rounded up |
    /// | `["blocked"]` | no | yes | one per blocked contact met |
    /// | `["archived","blocked"]` | yes | yes | `count / 50`, rounded up |
    ///
    /// One contact in 20 is blocked (the 8th, the 28th, ... in listing
    /// order). Conversations are dealt to the contacts in turn until the
    /// unfiltered listing has `count`, blocked contacts getting theirs on
    /// the way; then come the archived ones. Each contact's first
    /// conversation carries its messages. A complete export walks the four
    /// views; [`RunningFake::all_conversation_ids`] lists what it should
    /// find.
    ///
    /// ```
    /// let builder = chatdesk_fake::FakeChatbotx::builder().conversations(10_000);
    /// ```
    pub fn conversations(mut self, count: usize) -> Self {
        self.conversations = count;
        self
    }

    /// How many contacts the contact listing returns (default 100). With
    /// 0, conversations get contacts that are not listed.
    ///
    /// ```
    /// let builder = chatdesk_fake::FakeChatbotx::builder().contacts(10_000);
    /// ```
    pub fn contacts(mut self, count: usize) -> Self {
        self.contacts = count;
        self
    }

    /// Messages of every contact with a conversation (default 5; with
    /// more contacts than conversations, the others have none).
    ///
    /// ```
    /// let builder = chatdesk_fake::FakeChatbotx::builder().messages_per_contact(120);
    /// ```
    pub fn messages_per_contact(mut self, count: usize) -> Self {
        self.messages_per_contact = count;
        self
    }

    /// The seed of the data set (default 1): the same seed gives the same
    /// ids and data.
    ///
    /// ```
    /// let builder = chatdesk_fake::FakeChatbotx::builder().seed(7);
    /// ```
    pub fn seed(mut self, seed: u64) -> Self {
        self.seed = seed;
        self
    }

    /// The workspace token the fake accepts (default `cbx_ws_fake`), as
    /// `Authorization: Bearer` or in the `token` query parameter.
    ///
    /// ```
    /// let builder = chatdesk_fake::FakeChatbotx::builder().token("cbx_ws_mine");
    /// ```
    pub fn token(mut self, token: impl Into<String>) -> Self {
        self.token = token.into();
        self
    }

    /// Which server version to play (default
    /// [`ChatbotxVersion::Current`]); see [`ChatbotxVersion`] for what it
    /// changes.
    ///
    /// ```
    /// use chatdesk_fake::{ChatbotxVersion, FakeChatbotx};
    /// let open_source = FakeChatbotx::builder().version(ChatbotxVersion::OpenSource);
    /// ```
    pub fn version(mut self, version: ChatbotxVersion) -> Self {
        self.version = version;
        self
    }

    /// Makes `/v1/conversations` want a login session besides the token,
    /// as the server does (its conversation query checks the session's
    /// user, and so do those of `/v1/channels`, `/v1/members` and
    /// `/v1/teams`; contacts and messages do not): the `Cookie` header must hold
    /// the `name=value` pair `cookie`, exactly, among its pairs. Without
    /// it, after the token and the query string have been checked, the
    /// answer is 400
    /// `{"defined":false,"code":"systemError","status":400,"message":"User is not associated with this workspace"}`.
    /// Default: no session wanted.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let fake = chatdesk_fake::FakeChatbotx::builder()
    ///     .require_session("better-auth.session_token=s3ss10n")
    ///     .start()
    ///     .await?;
    /// let response = reqwest::Client::new()
    ///     .get(format!("{}/v1/conversations", fake.base_url()))
    ///     .bearer_auth(fake.token())
    ///     .header("cookie", "theme=dark; better-auth.session_token=s3ss10n")
    ///     .send()
    ///     .await
    ///     .map_err(std::io::Error::other)?;
    /// assert_eq!(response.status(), 200);
    /// # Ok(())
    /// # }
    /// ```
    pub fn require_session(mut self, cookie: impl Into<String>) -> Self {
        self.session_cookie = Some(cookie.into());
        self
    }

    /// With `true`, the conversation cursor behaves as on the server: the
    /// next page is taken with `lastActivityAt < X OR id < Y` (X and Y
    /// those of the cursor) instead of `(lastActivityAt, id) < (X, Y)`.
    /// The server means the latter, but its ORM drops the equality half
    /// of the condition. Wherever activity order and id order differ
    /// (activity on an older conversation, [`RunningFake::touch_conversation`]),
    /// later pages repeat items of earlier ones, and with small pages the
    /// same cursor can come back, so that a walk that only follows
    /// `nextCursor` never ends. Default `false`: an exact walk.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let fake = chatdesk_fake::FakeChatbotx::builder().broken_cursor(true).start().await?;
    /// // Activity on the conversation with the smallest id: it lists first,
    /// // and pages after the first bring it back.
    /// let ids = fake.conversation_ids();
    /// if let Some(oldest) = ids.iter().min_by_key(|id| id.parse::<u64>().unwrap_or(0)) {
    ///     fake.touch_conversation(oldest);
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn broken_cursor(mut self, broken: bool) -> Self {
        self.broken_cursor = broken;
        self
    }

    /// With `true`, filters the server validates but does not apply are
    /// not applied: `status` on `/v1/conversations` (checked like `tags`),
    /// `channels` and `inboxIds` on `/v1/contacts`. Default `false`: the
    /// fake applies them (`status` like `tags`), as a client that trusts
    /// them would expect. Either way the fake lists contacts newest
    /// first, where the server pages them with no `ORDER BY` (an order
    /// the database does not promise to keep).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let fake = chatdesk_fake::FakeChatbotx::builder().ignored_filters(true).start().await?;
    /// let response = reqwest::Client::new()
    ///     .get(format!("{}/v1/contacts?channels[]=zalo&perPage=50", fake.base_url()))
    ///     .bearer_auth(fake.token())
    ///     .send()
    ///     .await
    ///     .map_err(std::io::Error::other)?;
    /// let body: serde_json::Value = response.json().await.map_err(std::io::Error::other)?;
    /// assert_eq!(body["totalCount"], 100); // every contact, on Zalo or not
    /// # Ok(())
    /// # }
    /// ```
    pub fn ignored_filters(mut self, ignored: bool) -> Self {
        self.ignored_filters = ignored;
        self
    }

    /// Faults to inject from the start (default none).
    ///
    /// ```
    /// use chatdesk_fake::Faults;
    /// let builder = chatdesk_fake::FakeChatbotx::builder()
    ///     .faults(Faults { truncate_rate: 0.1, seed: 3, ..Faults::default() });
    /// ```
    pub fn faults(mut self, faults: Faults) -> Self {
        self.faults = faults;
        self
    }

    /// Where the attachment URLs point instead of the data set's storage
    /// host (`https://cdn.chatbotx.example`), for example a test's own
    /// server on 127.0.0.1: a message's `attachments[].url` is then
    /// `<base>/<originPath>`.
    ///
    /// ```
    /// let builder = chatdesk_fake::FakeChatbotx::builder().storage_base("http://127.0.0.1:9000");
    /// ```
    pub fn storage_base(mut self, base: impl Into<String>) -> Self {
        self.storage_base = Some(base.into().trim_end_matches('/').to_owned());
        self
    }

    /// Generates the data and starts serving on a free port of 127.0.0.1.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let fake = chatdesk_fake::FakeChatbotx::builder().start().await?;
    /// assert_eq!(fake.conversation_ids().len(), 100);
    /// # Ok(())
    /// # }
    /// ```
    pub async fn start(self) -> std::io::Result<RunningFake> {
        let token = self.token.clone();
        let session_cookie = self.session_cookie.clone();
        let fake = chatbotx::Fake::generate(
            chatbotx::Config {
                token: self.token,
                version: self.version,
                session_cookie: self.session_cookie,
                broken_cursor: self.broken_cursor,
                ignored_filters: self.ignored_filters,
            },
            &chatbotx::Sizes {
                conversations: self.conversations,
                contacts: self.contacts,
                messages_per_contact: self.messages_per_contact,
                seed: self.seed,
            },
        );
        let (shared, address, stop) = server::start(
            Backend::Chatbotx(fake),
            self.faults,
            chatbotx::CLOCK_BASE_MILLIS,
            self.storage_base,
        )
        .await?;
        Ok(RunningFake {
            shared,
            base_url: format!("http://{address}/api"),
            token,
            session_cookie,
            stop,
        })
    }
}

/// A fake server at work; it shuts down when dropped.
///
/// ```
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> std::io::Result<()> {
/// let fake = chatdesk_fake::FakeChatwoot::builder().conversations(5).start().await?;
/// let url = fake.base_url();
/// drop(fake); // the port stops answering
/// # let _ = url;
/// # Ok(())
/// # }
/// ```
pub struct RunningFake {
    shared: Arc<Shared>,
    base_url: String,
    token: String,
    session_cookie: Option<String>,
    stop: watch::Sender<bool>,
}

impl std::fmt::Debug for RunningFake {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RunningFake")
            .field("base_url", &self.base_url)
            .field("stats", &self.stats())
            .finish_non_exhaustive()
    }
}

impl Drop for RunningFake {
    fn drop(&mut self) {
        self.stop.send_replace(true);
    }
}

impl RunningFake {
    /// The base URL to give a client: `http://127.0.0.1:PORT` for
    /// Chatwoot, `http://127.0.0.1:PORT/api` for ChatbotX.
    ///
    /// ```
    /// # #[cfg(feature = "chatbotx")]
    /// # async fn run() -> Result<(), Box<dyn std::error::Error>> {
    /// let fake = chatdesk_fake::FakeChatbotx::builder().start().await?;
    /// assert!(fake.base_url().ends_with("/api"));
    /// let client = chatdesk::chatbotx::Client::builder()
    ///     .base_url(fake.base_url())
    ///     .token(fake.token())
    ///     .build()?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn base_url(&self) -> String {
        self.base_url.clone()
    }

    /// The token the fake accepts.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let fake = chatdesk_fake::FakeChatbotx::builder().start().await?;
    /// assert_eq!(fake.token(), "cbx_ws_fake");
    /// # Ok(())
    /// # }
    /// ```
    pub fn token(&self) -> &str {
        &self.token
    }

    /// The `name=value` cookie pair `/v1/conversations` wants besides the
    /// token (see [`FakeChatbotxBuilder::require_session`]); `None` when
    /// no session is wanted, and always for Chatwoot.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let fake = chatdesk_fake::FakeChatbotx::builder()
    ///     .require_session("better-auth.session_token=abc")
    ///     .start()
    ///     .await?;
    /// assert_eq!(fake.session_cookie(), Some("better-auth.session_token=abc"));
    /// # Ok(())
    /// # }
    /// ```
    pub fn session_cookie(&self) -> Option<&str> {
        self.session_cookie.as_deref()
    }

    /// The conversation ids of the current data set, in listing order
    /// (newest activity first). Chatwoot: every status, as decimal text.
    /// ChatbotX: what an unfiltered listing returns (archived
    /// conversations and those of blocked contacts left out).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let fake = chatdesk_fake::FakeChatwoot::builder().conversations(3).start().await?;
    /// assert_eq!(fake.conversation_ids().len(), 3);
    /// # Ok(())
    /// # }
    /// ```
    pub fn conversation_ids(&self) -> Vec<String> {
        match &self.shared.backend {
            Backend::Chatwoot(fake) => fake.ids(),
            Backend::Chatbotx(fake) => fake.conversation_ids(),
        }
    }

    /// Every conversation id, in listing order (newest activity first).
    /// Chatwoot: the same as [`RunningFake::conversation_ids`]. ChatbotX:
    /// the four views together (unfiltered, `tags=["archived"]`,
    /// `tags=["blocked"]`, `tags=["archived","blocked"]`), which is what
    /// a complete export finds.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let fake = chatdesk_fake::FakeChatbotx::builder().conversations(100).start().await?;
    /// assert_eq!(fake.conversation_ids().len(), 100);
    /// assert!(fake.all_conversation_ids().len() > 100);
    /// # Ok(())
    /// # }
    /// ```
    pub fn all_conversation_ids(&self) -> Vec<String> {
        match &self.shared.backend {
            Backend::Chatwoot(fake) => fake.ids(),
            Backend::Chatbotx(fake) => fake.all_conversation_ids(),
        }
    }

    /// The contact ids, in listing order. ChatbotX: newest first.
    /// Chatwoot: the contacts the contact listing shows (anonymous
    /// visitors left out), in its default order (by id).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let fake = chatdesk_fake::FakeChatbotx::builder().contacts(7).start().await?;
    /// assert_eq!(fake.contact_ids().len(), 7);
    /// # Ok(())
    /// # }
    /// ```
    pub fn contact_ids(&self) -> Vec<String> {
        match &self.shared.backend {
            Backend::Chatwoot(fake) => fake.contact_ids(),
            Backend::Chatbotx(fake) => fake.contact_ids(),
        }
    }

    /// ChatbotX: the message ids of the contact with id `contact_id`
    /// (`id:` prefix optional), newest first. Chatwoot: the message ids
    /// of the conversation with that id, oldest first (as the message
    /// listing pages them). Empty for an unknown contact or conversation.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let fake = chatdesk_fake::FakeChatbotx::builder().messages_per_contact(4).start().await?;
    /// let contact = fake.contact_ids()[0].clone();
    /// assert_eq!(fake.message_ids(&contact).len(), 4);
    /// # Ok(())
    /// # }
    /// ```
    pub fn message_ids(&self, contact_id: &str) -> Vec<String> {
        match &self.shared.backend {
            Backend::Chatwoot(fake) => fake.message_ids(contact_id),
            Backend::Chatbotx(fake) => fake.message_ids(contact_id),
        }
    }

    /// The whole data set as it is now, as a backup of the account would
    /// hold it: table name → row id → the item exactly as the fake's own
    /// listing serves it at this moment (built by the same code as the
    /// routes). The tables are those of `chatdesk::backup::tables`.
    ///
    /// A row id is the item's `id` as text: a number as its decimal
    /// digits, a string as it is. Items that do not name their parent
    /// are keyed `"<parent id>:<item id>"`.
    ///
    /// Chatwoot:
    ///
    /// | table | rows |
    /// |---|---|
    /// | `conversations` | every conversation, as the listing with `status=all` sends it |
    /// | `messages` | every message of every conversation, private notes and activity lines included, as the message listing (`after=`) sends it |
    /// | `contacts` | every contact the contact listing lists (anonymous visitors left out), with its `contact_inboxes` (the default) |
    /// | `inboxes` | the inbox listing's items (an administrator's view, credentials included) |
    /// | `agents`, `teams`, `labels` | their listings' items |
    /// | `team_members` | per team, its member listing's agents, keyed `"<team id>:<agent id>"` |
    /// | `custom_attribute_definitions` | the listing's items with no `attribute_model` (both models) |
    ///
    /// ChatbotX:
    ///
    /// | table | rows |
    /// |---|---|
    /// | `conversations` | every conversation of the four views (archived ones and those of blocked contacts included), as the listing sends it |
    /// | `contacts` | every listed contact, as the contact listing sends it with `include[]=tags&include[]=customFields` (the open-source server sends every relation whatever `include` says) |
    /// | `contact_tags` | per contact, the items of the listing item's `tags` (whole tag rows), keyed `"<contact id>:<tag id>"` |
    /// | `contact_custom_fields` | per contact, the items of the listing item's `contactCustomFields` (value rows, `customFieldId` naming the field), keyed `"<contact id>:<value row id>"` |
    /// | `messages` | every message of every contact with a conversation, as the contact message listing sends it |
    /// | `tags`, `custom_fields`, `bot_fields`, `channels`, `members`, `teams` | their listings' items (channels keyed by the inbox source id the listing sends as `id`) |
    ///
    /// Every table is present, empty or not.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let fake = chatdesk_fake::FakeChatbotx::builder().contacts(10).conversations(10).start().await?;
    /// let dataset = fake.dataset();
    /// assert_eq!(dataset["contacts"].len(), 10);
    /// let contact = &fake.contact_ids()[0];
    /// assert_eq!(dataset["contacts"][contact]["id"], contact.as_str());
    /// # Ok(())
    /// # }
    /// ```
    pub fn dataset(&self) -> BTreeMap<String, BTreeMap<String, serde_json::Value>> {
        match &self.shared.backend {
            Backend::Chatwoot(fake) => fake.dataset(),
            Backend::Chatbotx(fake) => fake.dataset(),
        }
    }

    /// What the fake has answered so far.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let fake = chatdesk_fake::FakeChatwoot::builder().start().await?;
    /// assert_eq!(fake.stats(), chatdesk_fake::FakeStats::default());
    /// # Ok(())
    /// # }
    /// ```
    pub fn stats(&self) -> FakeStats {
        self.shared.stats()
    }

    /// Replaces the faults, effective from the next request; the fault
    /// rolls restart from the new seed and the rate-limit window restarts.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// use chatdesk_fake::Faults;
    /// let fake = chatdesk_fake::FakeChatwoot::builder().start().await?;
    /// fake.set_faults(Faults { burst_429_rate: 1.0, ..Faults::default() });
    /// fake.set_faults(Faults::default());
    /// # Ok(())
    /// # }
    /// ```
    pub fn set_faults(&self, faults: Faults) {
        self.shared.set_faults(faults);
    }

    /// New conversations arrive, with activity newer than any other (so
    /// they list first). Chatwoot: `n` open conversations. ChatbotX: `n`
    /// new contacts, each with its messages and a conversation (the
    /// contacts list first as well).
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let fake = chatdesk_fake::FakeChatwoot::builder().conversations(10).start().await?;
    /// fake.add_conversations_at_top(2);
    /// assert_eq!(fake.conversation_ids().len(), 12);
    /// # Ok(())
    /// # }
    /// ```
    pub fn add_conversations_at_top(&self, n: usize) {
        let now = self.shared.now_millis();
        match &self.shared.backend {
            Backend::Chatwoot(fake) => fake.add_at_top(n, now / 1000),
            Backend::Chatbotx(fake) => fake.add_at_top(n, now),
        }
    }

    /// A new incoming message arrives in conversation `id` (Chatwoot: the
    /// conversation's id; ChatbotX: the contact's id, `id:` prefix
    /// optional, whose conversation gets the message). The conversation
    /// moves to the front of the listing. Chatwoot: the message gets the
    /// next id, touches the conversation (`last_activity_at`,
    /// `updated_at`), reopens it if it was resolved or snoozed, and is its
    /// contact's latest activity. Returns the new message's id, or
    /// `None` for an unknown id.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let fake = chatdesk_fake::FakeChatwoot::builder().conversations(3).start().await?;
    /// let id = fake.conversation_ids()[2].clone();
    /// assert!(fake.add_message(&id).is_some());
    /// assert_eq!(fake.conversation_ids()[0], id);
    /// # Ok(())
    /// # }
    /// ```
    pub fn add_message(&self, id: &str) -> Option<String> {
        let now = self.shared.now_millis();
        match &self.shared.backend {
            Backend::Chatwoot(fake) => fake.add_message(id, now / 1000),
            Backend::Chatbotx(fake) => fake.add_message(id, now),
        }
    }

    /// Conversation `id` gets `status`, as the server's actions set it.
    /// Returns `false` for an unknown id or status.
    ///
    /// - Chatwoot: `open`, `resolved`, `pending` or `snoozed`. A change
    ///   writes the activity line the server writes (a new message, newer
    ///   than any other), which moves `last_activity_at` and `updated_at`
    ///   and the conversation to the front of the listing; the same status
    ///   again changes nothing.
    /// - ChatbotX: the listing's `status` flags that belong to a
    ///   conversation and their opposites, each a field of it: `archived`
    ///   / `unarchived` (`archivedAt`), `followUp` / `unfollowed`
    ///   (`followed`), `unread` / `read` (`agentLastReadAt` before / after
    ///   the last activity) and `noAdminReply` (`adminRepliedAt` null).
    ///   `updatedAt` becomes newer than any other conversation's;
    ///   `lastActivityAt` and the listing order stay, as on the server.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let fake = chatdesk_fake::FakeChatwoot::builder().conversations(3).start().await?;
    /// let id = fake.conversation_ids()[1].clone();
    /// assert!(fake.set_conversation_status(&id, "resolved"));
    /// assert!(!fake.set_conversation_status(&id, "no-such-status"));
    ///
    /// let fake = chatdesk_fake::FakeChatbotx::builder().conversations(3).start().await?;
    /// let id = fake.conversation_ids()[1].clone();
    /// assert!(fake.set_conversation_status(&id, "archived"));
    /// assert!(!fake.conversation_ids().contains(&id));
    /// assert!(fake.set_conversation_status(&id, "unarchived"));
    /// assert_eq!(fake.conversation_ids()[1], id);
    /// # Ok(())
    /// # }
    /// ```
    pub fn set_conversation_status(&self, id: &str, status: &str) -> bool {
        let now = self.shared.now_millis();
        match &self.shared.backend {
            Backend::Chatwoot(fake) => fake.set_status(id, status, now / 1000),
            Backend::Chatbotx(fake) => fake.set_status(id, status, now),
        }
    }

    /// `n` new contacts, created now, with no conversation yet. Returns
    /// their ids.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let fake = chatdesk_fake::FakeChatbotx::builder().contacts(3).start().await?;
    /// let new = fake.add_contacts(2);
    /// assert_eq!(new.len(), 2);
    /// assert_eq!(fake.contact_ids().len(), 5);
    /// # Ok(())
    /// # }
    /// ```
    pub fn add_contacts(&self, n: usize) -> Vec<String> {
        let now = self.shared.now_millis();
        match &self.shared.backend {
            Backend::Chatwoot(fake) => fake.add_contacts(n, now / 1000),
            Backend::Chatbotx(fake) => fake.add_contacts(n, now),
        }
    }

    /// Activity on conversation `id` moves it to the front of the
    /// listing; an unknown id changes nothing. Chatwoot: the activity is
    /// an activity line, a new message like any other.
    ///
    /// ```
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> std::io::Result<()> {
    /// let fake = chatdesk_fake::FakeChatwoot::builder().conversations(10).start().await?;
    /// let last = fake.conversation_ids()[9].clone();
    /// fake.touch_conversation(&last);
    /// assert_eq!(fake.conversation_ids()[0], last);
    /// # Ok(())
    /// # }
    /// ```
    pub fn touch_conversation(&self, id: &str) {
        let now = self.shared.now_millis();
        match &self.shared.backend {
            Backend::Chatwoot(fake) => fake.touch(id, now / 1000),
            Backend::Chatbotx(fake) => fake.touch(id, now),
        }
    }
}
