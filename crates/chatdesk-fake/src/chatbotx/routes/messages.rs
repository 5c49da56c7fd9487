//! `GET /v1/contacts/{identifier}/messages`: one contact's messages,
//! newest first, a cursor walk. The contact is named by id, email or
//! phone; what `perPage` takes depends on the server version.

use axum::http::StatusCode;

use super::super::cursor::{decode_message_cursor, message_cursor};
use super::super::model::{Contact, Message};
use super::super::params::Kind;
use super::super::validation::{Checker, MessageLimit};
use super::super::{Fake, errors};
use super::CursorBody;
use crate::server::{Reply, read};

impl Fake {
    /// The message listing of the contact `identifier` names.
    pub(super) fn messages(
        &self,
        identifier: &str,
        pairs: &[(String, String)],
        mut checker: Checker,
    ) -> Reply {
        let params = checker.collect(
            pairs,
            &[("perPage", Kind::Scalar), ("cursor", Kind::Scalar)],
        );
        let per_page = checker.message_limit(&params);
        if let Some(reply) = checker.failure() {
            return reply;
        }
        let identifier = percent_encoding::percent_decode_str(identifier)
            .decode_utf8_lossy()
            .into_owned();
        let data = read(&self.data);
        let Some(contact) = find_contact(&data.contacts, &identifier) else {
            return errors::not_found("Contact not found");
        };
        let cursor = match params.scalar("cursor") {
            None => None,
            Some(text) => match decode_message_cursor(text) {
                Some(cursor) => Some(cursor),
                // The server fails on a cursor it cannot read.
                None => return errors::internal_error(),
            },
        };
        let per_page = match per_page {
            MessageLimit::Rows(rows) => usize::try_from(rows).unwrap_or(usize::MAX),
            MessageLimit::Nothing => 0,
            MessageLimit::Fails => return errors::internal_error(),
        };
        let mut rest = contact
            .messages
            .iter()
            .filter(|m| cursor.is_none_or(|position| (m.created, m.id) < position));
        let page: Vec<&Message> = rest.by_ref().take(per_page).collect();
        let more = rest.next().is_some();
        let next_cursor = if more {
            page.last().map(|m| message_cursor(m.created, m.id))
        } else {
            None
        };
        let body = CursorBody {
            data: page.iter().map(|m| contact.message_json(m)).collect(),
            next_cursor,
            prev_cursor: None,
        };
        Reply::json(StatusCode::OK, &body)
    }
}

/// The contact an identifier names: `id:<digits>`, `email:<address>`
/// (any case) or `phone:<number>` (as stored).
fn find_contact<'a>(contacts: &'a [Contact], identifier: &str) -> Option<&'a Contact> {
    match identifier.split_once(':') {
        Some(("id", id)) if !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()) => {
            contacts.iter().find(|c| c.person.id == id)
        }
        Some(("email", email)) if !email.is_empty() => contacts.iter().find(|c| {
            c.person
                .email
                .as_deref()
                .is_some_and(|e| e.eq_ignore_ascii_case(email))
        }),
        Some(("phone", phone)) if !phone.is_empty() => contacts
            .iter()
            .find(|c| c.person.phone.as_deref() == Some(phone)),
        _ => None,
    }
}
