//! Each platform's facts in one place: its name, where its token comes
//! from and goes, its default base URL, what a base URL of it looks like,
//! and its published rate limit.

use std::fmt;
use std::time::Duration;

use crate::http::TokenPlacement;

/// The platform a request went to.
///
/// ```
/// assert_eq!(chatdesk::Platform::Chatwoot.to_string(), "chatwoot");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Platform {
    /// ChatbotX.
    Chatbotx,
    /// Chatwoot.
    Chatwoot,
}

impl Platform {
    /// The environment variable that the examples and the docs read the
    /// platform's token from, named in error messages about the token.
    ///
    /// ```
    /// use chatdesk::Platform;
    /// assert_eq!(Platform::Chatbotx.token_variable(), "CHATBOTX_TOKEN");
    /// ```
    pub fn token_variable(self) -> &'static str {
        match self {
            Platform::Chatbotx => "CHATBOTX_TOKEN",
            Platform::Chatwoot => "CHATWOOT_API_ACCESS_TOKEN",
        }
    }

    /// What a base URL of the platform looks like, for messages about a
    /// wrong one.
    ///
    /// ```
    /// use chatdesk::Platform;
    /// assert!(Platform::Chatbotx.base_url_form().contains("/api"));
    /// ```
    pub fn base_url_form(self) -> &'static str {
        match self {
            Platform::Chatbotx => {
                "the API's address, ending in /api, such as https://app.chatbotx.io/api"
            }
            Platform::Chatwoot => {
                "the server's root address, without /api or /app, such as \
                 https://app.chatwoot.com or https://chat.example.com"
            }
        }
    }

    /// The base URL used when none is given: ChatbotX's public API;
    /// Chatwoot has none, because it is often self-hosted.
    ///
    /// ```
    /// use chatdesk::Platform;
    /// assert_eq!(Platform::Chatbotx.default_base_url(), Some("https://app.chatbotx.io/api"));
    /// assert_eq!(Platform::Chatwoot.default_base_url(), None);
    /// ```
    pub const fn default_base_url(self) -> Option<&'static str> {
        match self {
            Platform::Chatbotx => Some("https://app.chatbotx.io/api"),
            Platform::Chatwoot => None,
        }
    }

    /// What to do when no base URL was given and there is no default.
    pub(crate) fn missing_base_url(self) -> &'static str {
        match self {
            Platform::Chatbotx => "unreachable: the chatbotx base URL has a default",
            Platform::Chatwoot => {
                "the chatwoot base URL is missing: call .base_url(\"https://your-chatwoot\") \
                 (https://app.chatwoot.com for Chatwoot Cloud)"
            }
        }
    }

    /// Where the token goes, unless the caller asks for the query string.
    pub(crate) fn token_placement(self) -> TokenPlacement {
        match self {
            Platform::Chatbotx => TokenPlacement::Bearer,
            Platform::Chatwoot => TokenPlacement::Header("api_access_token"),
        }
    }

    /// The platform's published rate limit: requests per window.
    pub(crate) fn rate_limit(self) -> (u32, Duration) {
        match self {
            // Per workspace.
            Platform::Chatbotx => (120, Duration::from_secs(10)),
            // Per IP address, a server setting (Rack::Attack's default).
            Platform::Chatwoot => (3000, Duration::from_secs(60)),
        }
    }

    pub(crate) fn name(self) -> &'static str {
        match self {
            Platform::Chatbotx => "chatbotx",
            Platform::Chatwoot => "chatwoot",
        }
    }
}

impl fmt::Display for Platform {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}
