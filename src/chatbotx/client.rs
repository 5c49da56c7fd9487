//! The ChatbotX client and its builder: the generic ones of
//! [`crate::client`], with the workspace token and the listings' short
//! names.

use crate::client;
use crate::error::{Error, Platform};

use super::identifier::Identifier;
use super::{Chatbotx, ContactMessagesRequest, ContactsRequest, ConversationsRequest};

/// The public ChatbotX API, used when no base URL is given.
///
/// ```
/// assert_eq!(chatdesk::chatbotx::DEFAULT_BASE_URL, "https://app.chatbotx.io/api");
/// ```
pub const DEFAULT_BASE_URL: &str = match Platform::Chatbotx.default_base_url() {
    Some(url) => url,
    None => "",
};

/// A ChatbotX client for one workspace token. Cheap to clone: clones share
/// the connection pool.
///
/// ```
/// # fn run() -> Result<(), chatdesk::Error> {
/// let client = chatdesk::chatbotx::Client::builder().token("cbx_ws_example").build()?;
/// assert_eq!(client.base_url(), "https://app.chatbotx.io/api");
/// assert!(!format!("{client:?}").contains("cbx_ws_example"));
/// # Ok(())
/// # }
/// ```
pub type Client = client::Client<Chatbotx>;

/// Builds a [`Client`]; every check happens in [`ClientBuilder::build`].
///
/// ```
/// # fn run() -> Result<(), chatdesk::Error> {
/// let client = chatdesk::chatbotx::Client::builder()
///     .token("cbx_ws_example")
///     .connect_timeout(std::time::Duration::from_secs(5))
///     .build()?;
/// # Ok(())
/// # }
/// ```
pub type ClientBuilder = client::ClientBuilder<Chatbotx>;

impl client::Client<Chatbotx> {
    /// Starts a builder; a token is required ([`ClientBuilder::token`] or
    /// [`ClientBuilder::token_in_query`]).
    ///
    /// ```
    /// assert!(chatdesk::chatbotx::Client::builder().build().is_err()); // no token
    /// ```
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// Every conversation, newest activity first, as a stream; set filters
    /// on the returned [`ConversationsRequest`] first. The same as
    /// [`list_conversations`](Self::list_conversations), the name the spec
    /// gives it.
    ///
    /// ```no_run
    /// # async fn run(client: chatdesk::chatbotx::Client) -> Result<(), chatdesk::Error> {
    /// use chatdesk::chatbotx::{Channel, Status};
    /// use futures::TryStreamExt;
    /// let unread: Vec<_> = client
    ///     .conversations()
    ///     .channel(Channel::Zalo)
    ///     .status([Status::Unread])
    ///     .stream()
    ///     .try_collect()
    ///     .await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn conversations(&self) -> ConversationsRequest {
        self.list_conversations()
    }

    /// Every contact, as a stream of pages fetched concurrently; set
    /// filters on the returned [`ContactsRequest`] first. The same as
    /// [`list_contacts`](Self::list_contacts).
    ///
    /// ```no_run
    /// # async fn run(client: chatdesk::chatbotx::Client) -> Result<(), chatdesk::Error> {
    /// use futures::TryStreamExt;
    /// let contacts: Vec<_> = client.contacts().keyword("Thảo").stream().try_collect().await?;
    /// # Ok(())
    /// # }
    /// ```
    pub fn contacts(&self) -> ContactsRequest {
        self.list_contacts()
    }

    /// Every message of one contact, newest first, as a stream. The same
    /// as [`list_contact_messages`](Self::list_contact_messages).
    ///
    /// ```no_run
    /// # async fn run(client: chatdesk::chatbotx::Client) -> Result<(), chatdesk::Error> {
    /// use chatdesk::chatbotx::Identifier;
    /// use futures::TryStreamExt;
    /// let mut messages = client.contact_messages(Identifier::email("an@example.com")).stream();
    /// while let Some(message) = messages.try_next().await? {
    ///     println!("{:?}", message.text);
    /// }
    /// # Ok(())
    /// # }
    /// ```
    pub fn contact_messages(&self, contact: Identifier) -> ContactMessagesRequest {
        self.list_contact_messages(contact)
    }
}

impl client::ClientBuilder<Chatbotx> {
    /// The workspace token (`cbx_ws_...`), sent as `Authorization: Bearer`.
    ///
    /// ```
    /// let builder = chatdesk::chatbotx::Client::builder().token("cbx_ws_example");
    /// ```
    pub fn token(mut self, token: impl Into<String>) -> Self {
        self.core.token = Some(token.into());
        self.core.token_in_query = false;
        self
    }

    /// The workspace token, sent as the query parameter `token` instead of
    /// a header, for servers that want it there. The platform deprecates
    /// this form; prefer [`ClientBuilder::token`]. The token never appears
    /// in this crate's errors or logs either way.
    ///
    /// ```
    /// let builder = chatdesk::chatbotx::Client::builder().token_in_query("cbx_ws_example");
    /// ```
    pub fn token_in_query(mut self, token: impl Into<String>) -> Self {
        self.core.token = Some(token.into());
        self.core.token_in_query = true;
        self
    }

    /// Checks the settings and builds the client.
    ///
    /// Fails with [`Error::Config`] when the base URL is malformed or uses
    /// plain `http` to a host that is not loopback (see
    /// [`ClientBuilder::allow_insecure_http`]), or the token is missing or
    /// empty.
    ///
    /// ```
    /// let error = chatdesk::chatbotx::Client::builder().token("").build().unwrap_err();
    /// assert!(error.to_string().contains("CHATBOTX_TOKEN"));
    /// ```
    pub fn build(self) -> Result<Client, Error> {
        self.build_client()
    }
}
