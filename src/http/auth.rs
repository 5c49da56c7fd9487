//! The token and the other secrets a client sends: where the token goes,
//! the sensitive headers, and the list every error and trace is scrubbed
//! of.

use std::fmt;

use reqwest::header::{HeaderName, HeaderValue};
use secrecy::{ExposeSecret, SecretString};

use super::error_body::bounded;
use crate::error::{BODY_EXCERPT_LIMIT, Error};
use crate::platform::Platform;

/// A token held so that it never shows in `Debug` output.
#[derive(Clone)]
pub(crate) struct Token(pub(crate) SecretString);

impl Token {
    pub(crate) fn new(platform: Platform, value: String) -> Result<Self, Error> {
        let trimmed = value.trim();
        if trimmed.is_empty() {
            return Err(Error::config(format!(
                "the {platform} token is empty; set it from {}",
                platform.token_variable()
            )));
        }
        if trimmed.chars().any(|c| c.is_control()) {
            return Err(Error::config(format!(
                "the {platform} token contains a control character (a stray newline?); \
                 check {}",
                platform.token_variable()
            )));
        }
        Ok(Token(SecretString::from(trimmed.to_string())))
    }

    pub(crate) fn expose(&self) -> &str {
        self.0.expose_secret()
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

/// Every secret a client sends: its token and the values of its extra
/// sensitive headers. Errors and traces are scrubbed of each of them.
#[derive(Clone, Default)]
pub(crate) struct Secrets(Vec<SecretString>);

impl Secrets {
    /// The secrets, empty ones dropped and the longest first (sorted once
    /// here rather than on every answer), so that a secret containing
    /// another is replaced whole.
    pub(crate) fn new(mut secrets: Vec<SecretString>) -> Self {
        secrets.retain(|s| !s.expose_secret().is_empty());
        secrets.sort_by_key(|s| std::cmp::Reverse(s.expose_secret().len()));
        Secrets(secrets)
    }

    /// The secrets as text, longest first.
    pub(crate) fn exposed(&self) -> Vec<&str> {
        self.0.iter().map(|s| s.expose_secret()).collect()
    }
}

impl fmt::Debug for Secrets {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "[{} secrets]", self.0.len())
    }
}

/// Where a platform's token goes on each request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
// With one platform compiled, the other platform's placement is unused.
#[cfg_attr(not(all(feature = "chatbotx", feature = "chatwoot")), allow(dead_code))]
pub(crate) enum TokenPlacement {
    /// `Authorization: Bearer <token>`.
    Bearer,
    /// A header holding the token itself.
    Header(&'static str),
    /// The query parameter `token=<token>`.
    Query,
}

/// A header value marked sensitive, so that `reqwest` and `http` never
/// show it in `Debug` output.
pub(crate) fn sensitive_value(text: &str) -> Result<HeaderValue, ()> {
    let mut value = HeaderValue::from_str(text).map_err(|_| ())?;
    value.set_sensitive(true);
    Ok(value)
}

/// Checks the name of an extra header: a valid name that does not replace
/// the token's own header.
pub(crate) fn extra_header_name(
    platform: Platform,
    name: &str,
    placement: TokenPlacement,
) -> Result<HeaderName, Error> {
    let header = HeaderName::from_bytes(name.trim().as_bytes()).map_err(|_| {
        Error::config(format!(
            "{name:?} is not a valid HTTP header name (give the name alone, such as Cookie, \
             and the value separately)"
        ))
    })?;
    let token_header = match placement {
        TokenPlacement::Bearer => Some(reqwest::header::AUTHORIZATION),
        TokenPlacement::Header(own) => Some(HeaderName::from_static(own)),
        TokenPlacement::Query => None,
    };
    if token_header.as_ref() == Some(&header) {
        return Err(Error::config(format!(
            "the extra header {header} would replace the {platform} token's own header; give \
             the token to the builder instead"
        )));
    }
    Ok(header)
}

/// `text` with every occurrence of each secret replaced by `***`.
pub(crate) fn scrub(text: &str, secrets: &[&str]) -> String {
    let mut text = text.to_string();
    for secret in secrets.iter().filter(|s| !s.is_empty()) {
        if text.contains(secret) {
            text = text.replace(secret, "***");
        }
    }
    text
}

/// The start of a body for an error message, scrubbed of `secrets`. The
/// secrets are replaced before the cut, so a token straddling the limit
/// cannot leave a readable prefix.
pub(crate) fn excerpt(body: &[u8], secrets: &[&str]) -> String {
    let longest = secrets.iter().map(|s| s.len()).max().unwrap_or(0);
    let head = &body[..body.len().min(BODY_EXCERPT_LIMIT + 4 + longest)];
    bounded(&scrub(&String::from_utf8_lossy(head), secrets))
}
