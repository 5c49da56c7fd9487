//! Contacts: the listing (15 a page; only contacts with an email, a phone
//! number or an identifier, anonymous visitors being reachable through
//! their conversations only; `labels` keeps those with any of the
//! labels; `sort` as [`sorting`](super::super::sorting) says; `meta.count`
//! counts every listed match and `meta.current_page` echoes the `page`
//! parameter as sent, text even when it is not a number, or is the
//! number 1 without one), one contact (any contact, listed or not) and a
//! contact's newest 20 conversations. `include_contact_inboxes` keeps the
//! contact inboxes unless it is present and not `true`.

use axum::http::StatusCode;
use serde_json::{Value, json};

use super::super::generate::catalog::INBOXES;
use super::super::generate::contact;
use super::super::model::{Contact, Conversation};
use super::super::params::{self, to_i};
use super::super::{Fake, errors, sorting};
use crate::server::{Reply, read};

/// Contacts a page, fixed in the server.
const PAGE_SIZE: usize = 15;
/// The conversations a contact's listing shows at most.
const CONTACT_CONVERSATIONS: usize = 20;

/// The channel of inbox `id`.
fn channel_of(id: i64) -> &'static str {
    INBOXES
        .iter()
        .find(|(i, _)| *i == id)
        .map_or("Channel::Api", |(_, channel)| channel)
}

/// Whether the contact inboxes are shown.
fn with_inboxes(query: &[(String, String)]) -> bool {
    params::present(query, "include_contact_inboxes").is_none_or(|v| v == "true")
}

/// A contact as the contact routes show it.
fn contact_json(c: &Contact, inboxes: bool) -> Value {
    if inboxes {
        contact::with_inboxes(c, channel_of)
    } else {
        contact::partial(c)
    }
}

/// A listed contact as the contact listing shows it with its default
/// parameters (contact inboxes included).
pub(in super::super) fn listing_item(c: &Contact) -> Value {
    contact_json(c, true)
}

impl Fake {
    pub(super) fn contacts(&self, query: &[(String, String)]) -> Reply {
        let mut labels: Vec<String> = params::all(query, "labels")
            .into_iter()
            .map(str::to_string)
            .collect();
        if let Some(list) = params::last(query, "labels") {
            labels.extend(list.split(',').map(|l| l.trim().to_string()));
        }
        labels.retain(|l| !l.is_empty());
        let data = read(&self.data);
        let mut listed: Vec<&Contact> = data
            .contacts
            .iter()
            .filter(|c| c.listed())
            .filter(|c| {
                labels.is_empty()
                    || c.labels
                        .iter()
                        .any(|l| labels.iter().any(|w| w.to_lowercase() == l.to_lowercase()))
            })
            .collect();
        sorting::order(&mut listed, params::last(query, "sort"));
        let raw_page = params::last(query, "page");
        let page = params::page(raw_page);
        let start = usize::try_from(page - 1)
            .unwrap_or(usize::MAX)
            .saturating_mul(PAGE_SIZE);
        let inboxes = with_inboxes(query);
        let payload: Vec<Value> = listed
            .iter()
            .skip(start)
            .take(PAGE_SIZE)
            .map(|c| contact_json(c, inboxes))
            .collect();
        let current_page = raw_page.map_or(json!(1), |p| json!(p));
        Reply::json(
            StatusCode::OK,
            &json!({"meta": {"count": listed.len(), "current_page": current_page}, "payload": payload}),
        )
    }

    /// Contact `id` (read with `to_i`), listed or not; 404 for an unknown
    /// one.
    pub(super) fn contact(&self, id: &str, query: &[(String, String)]) -> Reply {
        let data = read(&self.data);
        match data.contact(to_i(id)) {
            Some(c) => Reply::json(
                StatusCode::OK,
                &json!({"payload": contact_json(c, with_inboxes(query))}),
            ),
            None => errors::not_found(),
        }
    }

    /// The newest 20 conversations of contact `id`, with no `meta`.
    pub(super) fn contact_conversations(&self, id: &str) -> Reply {
        let data = read(&self.data);
        let Some(contact) = data.contact(to_i(id)) else {
            return errors::not_found();
        };
        let payload: Vec<&Value> = data
            .conversations
            .iter()
            .filter(|c: &&Conversation| c.contact_id == contact.id)
            .take(CONTACT_CONVERSATIONS)
            .map(|c| &c.json)
            .collect();
        Reply::json(StatusCode::OK, &json!({"payload": payload}))
    }
}
