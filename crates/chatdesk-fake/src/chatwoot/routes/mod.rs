//! Which request the Chatwoot fake answers and how. Every route is under
//! `/api/v1/accounts/{account_id}` and is checked in the server's order:
//! an unknown path or method is 404 before anything else, then the token
//! (401), then the account (404). The handlers are by resource:
//! [`conversations`] (listing, one conversation, filter), [`messages`],
//! [`contacts`] and [`account`] (inboxes, agents, teams, labels, custom
//! attribute definitions).
//!
//! A query key a route does not read is refused with 400 `unknown
//! parameter` (the real server ignores it): the fake checks that its
//! clients send only what the spec declares, and
//! `tests/fake_agrees_with_spec.rs` that it reads all of that.

use axum::http::Method;

use super::{Fake, errors};
use crate::server::{Incoming, Reply};

pub(super) mod account;
pub(super) mod contacts;
mod conversations;
pub(super) mod messages;

/// A route the fake serves, with the ids in its path (as sent).
enum Route<'a> {
    Conversations,
    Filter,
    Conversation(&'a str),
    Messages(&'a str),
    Contacts,
    Contact(&'a str),
    ContactConversations(&'a str),
    Inboxes,
    Agents,
    Teams,
    TeamMembers(&'a str),
    Labels,
    CustomAttributeDefinitions,
}

impl Route<'_> {
    /// The query keys the route reads; `None` for the conversation
    /// listing, whose own validation knows them.
    fn known(&self) -> Option<&'static [&'static str]> {
        Some(match self {
            Route::Conversations => return None,
            Route::Filter => &["page"],
            Route::Messages(_) => &[
                "before",
                "after",
                "before_timestamp",
                "filter_internal_messages",
            ],
            Route::Contacts => &["page", "sort", "include_contact_inboxes", "labels[]"],
            Route::Contact(_) => &["include_contact_inboxes"],
            Route::CustomAttributeDefinitions => &["attribute_model"],
            Route::Conversation(_)
            | Route::ContactConversations(_)
            | Route::Inboxes
            | Route::Agents
            | Route::Teams
            | Route::TeamMembers(_)
            | Route::Labels => &[],
        })
    }
}

/// The route of `method` and the path after the account, if served.
fn route<'a>(method: &Method, rest: &[&'a str]) -> Option<Route<'a>> {
    let get = *method == Method::GET;
    let route = match rest {
        ["conversations"] if get => Route::Conversations,
        ["conversations", "filter"] if *method == Method::POST => Route::Filter,
        ["conversations", id] if get => Route::Conversation(id),
        ["conversations", id, "messages"] if get => Route::Messages(id),
        ["contacts"] if get => Route::Contacts,
        ["contacts", id] if get => Route::Contact(id),
        ["contacts", id, "conversations"] if get => Route::ContactConversations(id),
        ["inboxes"] if get => Route::Inboxes,
        ["agents"] if get => Route::Agents,
        ["teams"] if get => Route::Teams,
        ["teams", id, "team_members"] if get => Route::TeamMembers(id),
        ["labels"] if get => Route::Labels,
        ["custom_attribute_definitions"] if get => Route::CustomAttributeDefinitions,
        _ => return None,
    };
    Some(route)
}

impl Fake {
    /// Answers one request: the path and method, then the token, the
    /// account, then the route's own rules.
    pub(crate) fn handle(&self, request: &Incoming<'_>, now_millis: i64) -> Reply {
        let segments: Vec<&str> = request.path.trim_matches('/').split('/').collect();
        let (account, route) = match segments.as_slice() {
            ["api", "v1", "accounts", account, rest @ ..] => match route(request.method, rest) {
                Some(route) => (*account, route),
                None => return errors::not_found(),
            },
            _ => return errors::not_found(),
        };
        match request.header("api_access_token") {
            None | Some("") => return errors::no_token(),
            Some(token) if token != self.config.token => return errors::invalid_token(),
            Some(_) => {}
        }
        if account.parse::<i64>().ok() != Some(self.config.account_id) {
            return errors::not_found();
        }
        let query = &request.query;
        if let Some(known) = route.known()
            && let Some((name, _)) = query.iter().find(|(k, _)| !known.contains(&k.as_str()))
        {
            return errors::bad_request(&format!("unknown parameter: {name}"));
        }
        match route {
            Route::Conversations => self.list(query, now_millis),
            Route::Filter => self.filter(query, request.body, now_millis / 1000),
            Route::Conversation(id) => self.conversation(id),
            Route::Messages(id) => self.messages(id, query),
            Route::Contacts => self.contacts(query),
            Route::Contact(id) => self.contact(id, query),
            Route::ContactConversations(id) => self.contact_conversations(id),
            Route::Inboxes => self.inboxes(),
            Route::Agents => self.agents(),
            Route::Teams => self.teams(),
            Route::TeamMembers(id) => self.team_members(id),
            Route::Labels => account::labels(),
            Route::CustomAttributeDefinitions => account::custom_attribute_definitions(query),
        }
    }
}
