//! The Chatwoot client and its builder.

use std::fmt;

use crate::config::{self, BuilderCore, TokenPlacement};
use crate::error::{Error, Platform};
use crate::request::Http;

use super::ConversationsRequest;
use super::api;

const PLATFORM: Platform = Platform::Chatwoot;

/// A Chatwoot client for one server and one user's access token.
///
/// Cheap to clone: clones share the connection pool.
///
/// ```
/// # fn run() -> Result<(), chatdesk::Error> {
/// let client = chatdesk::chatwoot::Client::builder()
///     .base_url("https://app.chatwoot.com")
///     .api_access_token("a-user-access-token")
///     .build()?;
/// assert!(!format!("{client:?}").contains("a-user-access-token"));
/// # Ok(())
/// # }
/// ```
#[derive(Clone)]
pub struct Client {
    api: api::Client,
    http: Http,
}

impl Client {
    /// Starts a builder; [`ClientBuilder::base_url`] and
    /// [`ClientBuilder::api_access_token`] are required.
    ///
    /// ```
    /// let builder = chatdesk::chatwoot::Client::builder();
    /// assert!(builder.build().is_err()); // no base URL, no token
    /// ```
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// Every conversation of the account `account_id`, as a stream; set
    /// filters on the returned [`ConversationsRequest`] first. The same as
    /// [`list_conversations`](Self::list_conversations), the name the spec
    /// gives it.
    ///
    /// ```no_run
    /// # async fn run(client: chatdesk::chatwoot::Client) -> Result<(), chatdesk::Error> {
    /// use futures::TryStreamExt;
    /// let mut all = client.conversations(7).status(chatdesk::chatwoot::Status::All).stream();
    /// while let Some(conversation) = all.try_next().await? {
    ///     println!("#{}", conversation.id);
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn conversations(&self, account_id: i64) -> ConversationsRequest {
        self.list_conversations(account_id)
    }

    /// The request pipeline, for the generated listings.
    pub(crate) fn http(&self) -> &Http {
        &self.http
    }

    config::shared_client_methods!("chatwoot");
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let token = "***";
        f.debug_struct("chatwoot::Client")
            .field("base_url", &self.base_url())
            .field("token", &token)
            .finish()
    }
}

/// Builds a [`Client`]; every check happens in [`ClientBuilder::build`].
///
/// ```
/// # fn run() -> Result<(), chatdesk::Error> {
/// use std::time::Duration;
/// let client = chatdesk::chatwoot::Client::builder()
///     .base_url("https://chat.example.com")
///     .api_access_token("a-user-access-token")
///     .request_timeout(Duration::from_secs(30))
///     .build()?;
/// # Ok(())
/// # }
/// ```
#[derive(Clone, Default)]
pub struct ClientBuilder {
    core: BuilderCore,
}

impl ClientBuilder {
    /// The server's origin, such as `https://app.chatwoot.com` or a
    /// self-hosted `https://chat.example.com`; a trailing `/` is fine.
    /// Required: Chatwoot is often self-hosted, so there is no default.
    ///
    /// ```
    /// let builder = chatdesk::chatwoot::Client::builder().base_url("https://app.chatwoot.com");
    /// ```
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.core.base_url = Some(url.into());
        self
    }

    /// A user's access token (profile settings → access token), sent in the
    /// `api_access_token` header. An agent-bot token is refused by the
    /// conversation endpoints.
    ///
    /// ```
    /// let builder = chatdesk::chatwoot::Client::builder().api_access_token("token");
    /// ```
    pub fn api_access_token(mut self, token: impl Into<String>) -> Self {
        self.core.token = Some(token.into());
        self
    }

    config::shared_builder_setters!("chatwoot");

    /// Checks the settings and builds the client.
    ///
    /// Fails with [`Error::Config`] when the base URL is missing or
    /// malformed, uses plain `http` to a host that is not loopback (see
    /// [`ClientBuilder::allow_insecure_http`]), or the token is missing or
    /// empty.
    ///
    /// ```
    /// let error = chatdesk::chatwoot::Client::builder()
    ///     .api_access_token("token")
    ///     .build()
    ///     .unwrap_err();
    /// assert!(error.to_string().contains("base URL"));
    /// ```
    pub fn build(self) -> Result<Client, Error> {
        let parts = self.core.build(
            PLATFORM,
            None,
            "the chatwoot base URL is missing: call .base_url(\"https://your-chatwoot\") \
             (https://app.chatwoot.com for Chatwoot Cloud)",
            TokenPlacement::Header("api_access_token"),
        )?;
        let operations = crate::request::Operations {
            ids: super::operations::OPERATION_IDS,
            safe_to_repeat: super::operations::SAFE_TO_REPEAT,
        };
        let http = Http::new(PLATFORM, &parts, operations);
        let api = api::Client::new_with_client(&http.base_url, parts.http, http.clone());
        Ok(Client { api, http })
    }
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "chatwoot::{:?}", self.core)
    }
}

config::request_hook!(api::Client);
