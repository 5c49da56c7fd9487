//! `GET /v1/contacts/{identifier}/messages`: one contact's messages,
//! newest first, a cursor walk; and `.../messages/{messageId}`: one of
//! them. The contact is named by id, email or phone (see
//! [`super::super::identifier`]) and must have a conversation, which the
//! messages belong to; what `perPage` takes depends on the server
//! version.

use axum::http::StatusCode;
use serde_json::json;

use super::super::cursor::{decode_message_cursor, message_cursor};
use super::super::model::{Contact, Message};
use super::super::params::Kind;
use super::super::validation::{Checker, MessageLimit};
use super::super::{Fake, errors, identifier, issues};
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
        let data = read(&self.data);
        let contact = match conversing_contact(&data.contacts, identifier) {
            Ok(contact) => contact,
            Err(reply) => return reply,
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

    /// One message of the contact `identifier` names, as the listing shows
    /// it. `messageId` must be digits (a validation failure otherwise); a
    /// message of another conversation is not found.
    pub(super) fn message(
        &self,
        identifier: &str,
        message_id: &str,
        pairs: &[(String, String)],
        mut checker: Checker,
    ) -> Reply {
        checker.collect(pairs, &[]);
        let message_id = percent_encoding::percent_decode_str(message_id).decode_utf8_lossy();
        if message_id.is_empty() || !message_id.bytes().all(|b| b.is_ascii_digit()) {
            checker.push(issues::not_digits(json!(["messageId"])));
        }
        if let Some(reply) = checker.failure() {
            return reply;
        }
        let data = read(&self.data);
        let contact = match conversing_contact(&data.contacts, identifier) {
            Ok(contact) => contact,
            Err(reply) => return reply,
        };
        // Leading zeros name the same row; too many digits name none.
        let wanted = message_id.parse::<u64>().ok();
        match contact.messages.iter().find(|m| Some(m.id) == wanted) {
            Some(message) => Reply::json(StatusCode::OK, &contact.message_json(message)),
            None => errors::not_found("Message not found"),
        }
    }
}

/// The contact `identifier` names, if it has a conversation: the server
/// looks the messages up through it, and answers 404 `Conversation not
/// found` for a contact without one.
fn conversing_contact<'a>(contacts: &'a [Contact], identifier: &str) -> Result<&'a Contact, Reply> {
    let contact = identifier::resolve(contacts, identifier)?;
    if contact.has_conversation() {
        Ok(contact)
    } else {
        Err(errors::not_found("Conversation not found"))
    }
}
