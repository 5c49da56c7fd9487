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

    /// What a person can do about a 404 answer to a request for `path`
    /// (the URL path, base URL's included): the base URL's mistake when
    /// the path shows one, otherwise the ids in the path this token cannot
    /// see.
    pub(crate) fn not_found_advice(self, path: Option<&str>) -> String {
        if let Some(path) = path {
            if let Some(mistake) = self.base_path_mistake(path) {
                return mistake;
            }
            if self.lacks_api_prefix(path) {
                return "check the base URL, which for ChatbotX must end in /api, such as \
                        https://app.chatbotx.io/api"
                    .to_string();
            }
        }
        let things = path.map(|p| self.ids_in(p)).unwrap_or_default();
        match (self, things.is_empty()) {
            (Platform::Chatwoot, true) => "no such account, conversation or contact for this \
                                           token, or the base URL is wrong"
                .to_string(),
            (Platform::Chatwoot, false) => format!(
                "no {} that this token can see, or the base URL is wrong",
                things.join(" or ")
            ),
            (Platform::Chatbotx, true) => "no such item in this token's workspace, or the \
                                           base URL is wrong"
                .to_string(),
            (Platform::Chatbotx, false) => format!(
                "no {} in this token's workspace (a contact is identified as id:N, email:X or \
                 phone:X), or the base URL is wrong",
                things.join(" or ")
            ),
        }
    }

    /// The base URL's mistake that the requested `path` shows, and what to
    /// give instead, if any: for Chatwoot, a path of its own before
    /// `/api/v1` (a browser's address; a trailing `/api` is refused when
    /// the client is built); for ChatbotX, a doubled `/api`. A ChatbotX path
    /// with no `/api` at all is [`lacks_api_prefix`](Self::lacks_api_prefix),
    /// which the general form of its base URL already explains.
    pub(crate) fn base_path_mistake(self, path: &str) -> Option<String> {
        let lower = path.to_ascii_lowercase();
        match self {
            Platform::Chatwoot => {
                let prefix = &path[..lower.rfind("/api/v1/")?];
                (!prefix.is_empty()).then(|| {
                    format!(
                        "the base URL has the path {prefix} before /api/v1; unless Chatwoot is \
                         served under {prefix}, give the server's root address, such as \
                         https://chat.example.com (the address of a page of the web app, such \
                         as https://chat.example.com/app/accounts/1/dashboard, is not the base \
                         URL)"
                    )
                })
            }
            Platform::Chatbotx => lower[..lower.rfind("/v1/")?]
                .ends_with("/api/api")
                .then(|| {
                    "the base URL ends in /api/api; give it with a single /api, such as \
                     https://app.chatbotx.io/api"
                        .to_string()
                }),
        }
    }

    /// Whether a ChatbotX request `path` lacks the `/api` its base URL must
    /// end in.
    fn lacks_api_prefix(self, path: &str) -> bool {
        let lower = path.to_ascii_lowercase();
        self == Platform::Chatbotx
            && lower
                .rfind("/v1/")
                .is_some_and(|at| !lower[..at].ends_with("/api"))
    }

    /// The items a request `path` names by id, such as `account 1` and
    /// `conversation 5`, for a 404's message.
    fn ids_in(self, path: &str) -> Vec<String> {
        let api = match self {
            Platform::Chatwoot => "/api/v1/",
            Platform::Chatbotx => "/v1/",
        };
        let Some(start) = path.rfind(api) else {
            return Vec::new();
        };
        let segments: Vec<&str> = path[start + api.len()..].split('/').collect();
        segments
            .windows(2)
            .filter_map(|pair| {
                let (collection, id) = (pair[0], pair[1]);
                let thing = match collection {
                    "accounts" => "account",
                    "conversations" => "conversation",
                    "contacts" => "contact",
                    "messages" => "message",
                    "inboxes" => "inbox",
                    "teams" => "team",
                    _ => return None,
                };
                let id = percent_encoding::percent_decode_str(id).decode_utf8_lossy();
                let is_id = match self {
                    // Chatwoot's ids are numbers; a word is a sub-resource.
                    Platform::Chatwoot => !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()),
                    Platform::Chatbotx => !id.is_empty(),
                };
                is_id.then(|| format!("{thing} {id}"))
            })
            .collect()
    }

    /// Refuses a base URL that cannot be right: a Chatwoot one ending in
    /// `/api` or `/api/v1`, which every request path already starts with.
    pub(crate) fn check_base_url(self, url: &url::Url) -> Result<(), String> {
        let path = url.path().trim_end_matches('/').to_ascii_lowercase();
        if self == Platform::Chatwoot {
            for suffix in ["/api/v1", "/api"] {
                if let Some(root) = path.strip_suffix(suffix) {
                    let mut fixed = url.clone();
                    fixed.set_path(&url.path()[..root.len()]);
                    return Err(format!(
                        "the chatwoot base URL {url} ends in {suffix}, which every request \
                         path already starts with (/api/v1/...), so it would be doubled: the \
                         base URL should not end in /api; give {}",
                        fixed.as_str().trim_end_matches('/')
                    ));
                }
            }
        }
        Ok(())
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
