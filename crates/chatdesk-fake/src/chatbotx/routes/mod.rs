//! Which request the ChatbotX fake answers and how: the path picks one of
//! the three listings (one module each), then come the method, the token
//! (answered as the server version does) and the listing's own checks.

use axum::http::Method;
use serde::Serialize;

use super::validation::Checker;
use super::{Fake, errors};
use crate::server::{Incoming, Reply};

mod contacts;
mod conversations;
mod messages;

/// The listings, by path.
enum Endpoint<'a> {
    Conversations,
    Contacts,
    /// The messages of the contact with this identifier (still
    /// percent-encoded).
    Messages(&'a str),
}

/// A page of a cursor listing.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct CursorBody<T> {
    data: Vec<T>,
    next_cursor: Option<String>,
    prev_cursor: Option<String>,
}

impl Fake {
    /// Answers one request.
    pub(crate) fn handle(&self, request: &Incoming<'_>) -> Reply {
        let path = request.path.trim_end_matches('/');
        let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
        let endpoint = match segments.as_slice() {
            ["api", "v1", "conversations"] => Endpoint::Conversations,
            ["api", "v1", "contacts"] => Endpoint::Contacts,
            ["api", "v1", "contacts", identifier, "messages"] => Endpoint::Messages(identifier),
            _ => return errors::not_found("Not found"),
        };
        if *request.method != Method::GET {
            return errors::not_found("Not found");
        }
        if !self.authorized(request) {
            return errors::invalid_token(self.config.version);
        }
        let checker = Checker::new(self.config.version);
        match endpoint {
            Endpoint::Conversations => self.conversations(request, checker),
            Endpoint::Contacts => self.contacts(&request.query, checker),
            Endpoint::Messages(identifier) => self.messages(identifier, &request.query, checker),
        }
    }

    /// Whether `request` carries the workspace token, as
    /// `Authorization: Bearer` or in the `token` query parameter.
    fn authorized(&self, request: &Incoming<'_>) -> bool {
        let token = match request.header("authorization") {
            Some(value) => {
                let (scheme, token) = value.split_once(' ').unwrap_or((value, ""));
                if !scheme.eq_ignore_ascii_case("bearer") {
                    return false;
                }
                token.trim().to_string()
            }
            None => match request.query.iter().find(|(k, _)| k == "token") {
                Some((_, token)) => token.clone(),
                None => return false,
            },
        };
        !token.is_empty() && token == self.config.token
    }

    /// Whether `request` carries the session cookie the fake wants, if it
    /// wants one: the exact `name=value` pair among the `Cookie` pairs.
    fn has_session(&self, request: &Incoming<'_>) -> bool {
        let Some(wanted) = self.config.session_cookie.as_deref() else {
            return true;
        };
        request
            .headers
            .get_all("cookie")
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(|value| value.split(';'))
            .any(|pair| pair.trim() == wanted)
    }
}
