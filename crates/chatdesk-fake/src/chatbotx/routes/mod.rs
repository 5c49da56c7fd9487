//! Which request the ChatbotX fake answers and how: the path picks a
//! route (one module per family), then come the method, the token
//! (answered as the server version does) and the route's own checks.

use axum::http::Method;
use serde::Serialize;
use serde_json::Value;

use super::params::Params;
use super::validation::{Checker, DEFAULT_PER_PAGE, MAX_CONTACTS_PER_PAGE};
use super::{Fake, errors};
use crate::server::{Incoming, Reply};

pub(super) mod catalog;
pub(super) mod channels;
mod contact;
pub(super) mod contacts;
mod conversations;
mod messages;
pub(super) mod people;

use catalog::Catalog;
use contact::ContactPart;

/// The routes, by path. Identifiers and ids are still percent-encoded.
enum Endpoint<'a> {
    Conversations,
    Contacts,
    /// One contact, or its tags or custom fields.
    Contact(&'a str, ContactPart),
    /// The messages of the contact with this identifier.
    Messages(&'a str),
    /// One message (second) of the contact with this identifier (first).
    Message(&'a str, &'a str),
    Catalog(Catalog),
    Channels,
    Members,
    Teams,
    Workspaces,
}

/// A page of a cursor listing.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct CursorBody<T> {
    data: Vec<T>,
    next_cursor: Option<String>,
    prev_cursor: Option<String>,
}

/// A whole list, unpaged.
#[derive(Serialize)]
struct DataBody {
    data: Vec<Value>,
}

/// A numbered page with the number of pages.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct PagedBody {
    data: Vec<Value>,
    page_count: u64,
}

/// Which rows a numbered page holds, as the server's pagination helper
/// reads `page` and `perPage`.
struct NumberedPage {
    skip: usize,
    /// Rows on the page: `perPage` cut to 50, 20 when not sent.
    limit: usize,
    /// `perPage` as sent (read), uncut.
    per_page: Option<u64>,
}

/// Reads `page` and `perPage` (whole numbers of at least 1, noting an
/// issue otherwise) into the rows of the page; the cut to 50 is the
/// server's for every numbered listing, contacts included.
fn numbered_page(params: &Params, checker: &mut Checker) -> NumberedPage {
    let page = checker.positive(params, "page", 1);
    let per_page = params
        .scalar("perPage")
        .is_some()
        .then(|| checker.positive(params, "perPage", DEFAULT_PER_PAGE));
    let limit = usize::try_from(
        per_page
            .unwrap_or(DEFAULT_PER_PAGE)
            .min(MAX_CONTACTS_PER_PAGE),
    )
    .unwrap_or(usize::MAX);
    let skip = usize::try_from(page - 1)
        .unwrap_or(usize::MAX)
        .saturating_mul(limit);
    NumberedPage {
        skip,
        limit,
        per_page,
    }
}

impl Fake {
    /// Answers one request.
    pub(crate) fn handle(&self, request: &Incoming<'_>) -> Reply {
        let path = request.path.trim_end_matches('/');
        let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
        let endpoint = match segments.as_slice() {
            ["api", "v1", "conversations"] => Endpoint::Conversations,
            ["api", "v1", "contacts"] => Endpoint::Contacts,
            ["api", "v1", "contacts", identifier] => {
                Endpoint::Contact(identifier, ContactPart::Whole)
            }
            ["api", "v1", "contacts", identifier, "tags"] => {
                Endpoint::Contact(identifier, ContactPart::Tags)
            }
            ["api", "v1", "contacts", identifier, "custom-fields"] => {
                Endpoint::Contact(identifier, ContactPart::CustomFields)
            }
            ["api", "v1", "contacts", identifier, "messages"] => Endpoint::Messages(identifier),
            ["api", "v1", "contacts", identifier, "messages", message] => {
                Endpoint::Message(identifier, message)
            }
            ["api", "v1", "tags"] => Endpoint::Catalog(Catalog::Tags),
            ["api", "v1", "custom-fields"] => Endpoint::Catalog(Catalog::CustomFields),
            ["api", "v1", "bot-fields"] => Endpoint::Catalog(Catalog::BotFields),
            ["api", "v1", "channels"] => Endpoint::Channels,
            ["api", "v1", "members"] => Endpoint::Members,
            ["api", "v1", "teams"] => Endpoint::Teams,
            ["api", "v1", "workspaces"] => Endpoint::Workspaces,
            _ => return errors::not_found("Not found"),
        };
        if *request.method != Method::GET {
            return errors::not_found("Not found");
        }
        if !self.authorized(request) {
            return errors::invalid_token(self.config.version);
        }
        let checker = Checker::new(self.config.version);
        let query = &request.query;
        match endpoint {
            Endpoint::Conversations => self.conversations(request, checker),
            Endpoint::Contacts => self.contacts(query, checker),
            Endpoint::Contact(identifier, part) => self.contact(identifier, part, query, checker),
            Endpoint::Messages(identifier) => self.messages(identifier, query, checker),
            Endpoint::Message(identifier, message) => {
                self.message(identifier, message, query, checker)
            }
            Endpoint::Catalog(list) => self.catalog(list, query, checker),
            Endpoint::Channels => self.channels(request, checker),
            Endpoint::Members => self.members(request, checker),
            Endpoint::Teams => self.teams(request),
            Endpoint::Workspaces => self.workspace(),
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
    /// The routes whose queries ask for the session's user check it:
    /// conversations, channels, members and teams.
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
