//! The Chatwoot client and its builder: the generic ones of
//! [`crate::client`], with the access token and the listings' short names.

use crate::client;
use crate::error::Error;

use super::{Chatwoot, ConversationsRequest};

/// A Chatwoot client for one server and one user's access token. Cheap to
/// clone: clones share the connection pool.
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
pub type Client = client::Client<Chatwoot>;

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
pub type ClientBuilder = client::ClientBuilder<Chatwoot>;

impl client::Client<Chatwoot> {
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
}

impl client::ClientBuilder<Chatwoot> {
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

    /// Checks the settings and builds the client.
    ///
    /// Fails with [`Error::Config`] when the base URL is missing or
    /// malformed, uses plain `http` to a host that is not loopback (see
    /// [`allow_insecure_http`](Self::allow_insecure_http)), or the token is
    /// missing or empty.
    ///
    /// ```
    /// let error = chatdesk::chatwoot::Client::builder()
    ///     .api_access_token("token")
    ///     .build()
    ///     .unwrap_err();
    /// assert!(error.to_string().contains("base URL"));
    /// ```
    pub fn build(self) -> Result<Client, Error> {
        self.build_client()
    }
}
