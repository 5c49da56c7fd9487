//! A conversation's messages, as the server's message finder picks them:
//! no bound gives the newest 20; `before` the 20 just below that id;
//! `after` up to 100 above it; both `after <= id < before`, up to 1000
//! (the only inclusive bound); `before_timestamp` the 20 before that Unix
//! time. Every page is oldest first. A bound counts only when present
//! (not empty) and is read with Ruby's `to_i` (`abc` is 0).
//! `filter_internal_messages` with any value leaves out private notes and
//! activity lines. `meta` describes the conversation: its labels and
//! additional attributes, its contact, its assignee (only when a person
//! is assigned) and when an agent and the assignee last read it (ISO text
//! or null).

use axum::http::StatusCode;
use serde_json::{Value, json};

use super::super::generate::catalog::agent_sender;
use super::super::generate::{self, contact, message};
use super::super::model::{Contact, Conversation, Message};
use super::super::params::{self, to_i};
use super::super::{Fake, errors};
use crate::server::{Reply, read};
use crate::text;

/// Which messages a request picks.
fn pick<'a>(pool: &[&'a Message], query: &[(String, String)]) -> Vec<&'a Message> {
    let bound = |name| params::present(query, name).map(to_i);
    let (after, before) = (bound("after"), bound("before"));
    let last = |n: usize, keep: &dyn Fn(&Message) -> bool| {
        let kept: Vec<&Message> = pool.iter().copied().filter(|m| keep(m)).collect();
        kept[kept.len().saturating_sub(n)..].to_vec()
    };
    let first = |n: usize, keep: &dyn Fn(&Message) -> bool| {
        pool.iter().copied().filter(|m| keep(m)).take(n).collect()
    };
    match (after, before) {
        (Some(after), Some(before)) => first(1000, &|m| m.id >= after && m.id < before),
        (None, Some(before)) => last(20, &|m| m.id < before),
        (Some(after), None) => first(100, &|m| m.id > after),
        (None, None) => match bound("before_timestamp") {
            Some(at) => last(20, &|m| m.created_at < at),
            None => last(20, &|_| true),
        },
    }
}

impl Fake {
    /// The messages of conversation `id` (read with `to_i`); 404 for an
    /// unknown one.
    pub(super) fn messages(&self, id: &str, query: &[(String, String)]) -> Reply {
        let data = read(&self.data);
        let Some(c) = data.conversation(to_i(id)) else {
            return errors::not_found();
        };
        let Some(contact) = data.contact(c.contact_id) else {
            return errors::not_found();
        };
        let internal_out = params::present(query, "filter_internal_messages").is_some();
        let pool: Vec<&Message> = c
            .messages
            .iter()
            .filter(|m| !(internal_out && m.internal()))
            .collect();
        let push = contact::push(contact);
        let payload = items(c, &push, pick(&pool, query), self.config.account_id);
        let seen = |millis: Option<i64>| millis.map(text::iso_millis);
        let mut meta = json!({
            "labels": c.labels,
            "additional_attributes": c.json["additional_attributes"],
            "contact": push,
            "agent_last_seen_at": seen(c.agent_seen_millis),
            "assignee_last_seen_at": seen(c.assignee_seen_millis),
        });
        if c.assignee_id().is_some() {
            text::put(&mut meta, "assignee", agent_sender(c.reply_agent).1);
        }
        Reply::json(StatusCode::OK, &json!({"meta": meta, "payload": payload}))
    }
}

/// `picked`, messages of conversation `c` whose contact shows as `push`
/// ([`contact::push`]), as the listing's items.
fn items<'a>(
    c: &Conversation,
    push: &Value,
    picked: impl IntoIterator<Item = &'a Message>,
    account_id: i64,
) -> Vec<Value> {
    let ctx = generate::message_context(c, push, account_id);
    picked
        .into_iter()
        .map(|m| message::index_json(m, &ctx))
        .collect()
}

/// Every message of conversation `c` of `contact`, oldest first, as the
/// listing shows it without `filter_internal_messages` (private notes and
/// activity lines included).
pub(in super::super) fn all_items(
    c: &Conversation,
    contact: &Contact,
    account_id: i64,
) -> Vec<Value> {
    items(c, &contact::push(contact), &c.messages, account_id)
}
