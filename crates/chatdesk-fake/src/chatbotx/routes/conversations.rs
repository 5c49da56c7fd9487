//! `GET /v1/conversations`: the conversation listing, a cursor walk over
//! four disjoint views (by `tags`), with filters on the conversation and
//! its contact; on servers that want one, only with a login session.

use axum::http::StatusCode;
use serde_json::{Value, json};

use super::super::cursor::{conversation_cursor, conversation_follows, decode_conversation_cursor};
use super::super::filters::{Assignee, ConversationFilter};
use super::super::model::Conversation;
use super::super::params::{Kind, Params};
use super::super::validation::{
    BOOLEANS, BOT_CATEGORIES, CHANNELS, Checker, DEFAULT_PER_PAGE, FLAGS,
};
use super::super::{Fake, errors, issues};
use super::CursorBody;
use crate::server::{Incoming, Reply, read};

impl Fake {
    /// The listing's views, filters and cursor as the server's query
    /// builder has them (apps/builder/src/features/conversations/queries/
    /// list-conversations.query.ts, `buildConversationWhere`):
    ///
    /// - Views: `archivedAt IS NULL` unless `tags` holds `archived`
    ///   (then `IS NOT NULL`), and the contact's `blockedAt IS NULL` unless
    ///   `tags` holds `blocked` (then `IS NOT NULL`). So the four views
    ///   (none, `["archived"]`, `["blocked"]`, `["archived","blocked"]`)
    ///   split the conversations into four disjoint sets: `["archived"]`
    ///   leaves out blocked contacts' archived conversations, and
    ///   `["blocked"]` leaves out their archived ones.
    /// - `assignedId`: `unassigned` (no user and no team), `u_<id>` (that
    ///   user), `t_<id>` (that team); the id is read as JavaScript's
    ///   `BigInt` reads text, and one it cannot read, a bare id or any
    ///   other text filters nothing.
    /// - `keyword`: `firstName` or `lastName` `ILIKE '%keyword%'`, with
    ///   `%` and `_` in the keyword acting as wildcards.
    /// - `status`: validated like `tags`; the server does not apply it
    ///   (the fake does unless `ignored_filters`).
    /// - Cursor: meant as `(lastActivityAt, id) < (X, Y)`, but the
    ///   equality half of the condition hands a `Date` to the ORM, which
    ///   drops it, so the server runs `lastActivityAt < X OR id < Y`
    ///   (`broken_cursor`).
    /// - The session check comes after validation, before any data.
    pub(super) fn conversations(&self, request: &Incoming<'_>, mut checker: Checker) -> Reply {
        let params = checker.collect(
            &request.query,
            &[
                ("botCategory", Kind::Scalar),
                ("assignedId", Kind::Scalar),
                ("channel", Kind::Scalar),
                ("status", Kind::JsonText),
                ("keyword", Kind::Scalar),
                ("botEnabled", Kind::Scalar),
                ("tags", Kind::JsonText),
                ("contactFilter", Kind::JsonText),
                ("cursor", Kind::Scalar),
                ("perPage", Kind::Scalar),
                ("sort", Kind::JsonText),
            ],
        );
        let per_page = checker.positive(&params, "perPage", DEFAULT_PER_PAGE);
        let bot_category = checker.one_of(&params, "botCategory", BOT_CATEGORIES);
        let channel = checker.one_of(&params, "channel", CHANNELS);
        let bot_enabled = checker
            .one_of(&params, "botEnabled", BOOLEANS)
            .map(|b| b == "true");
        let assignee = Assignee::parse(params.scalar("assignedId"));
        let keyword = params
            .scalar("keyword")
            .filter(|k| !k.is_empty())
            .map(str::to_string);
        let flags = self.flags(&params, &mut checker);
        let contact_filter = match params.json("contactFilter") {
            Some(filter @ Value::Object(_)) => {
                checker.check_filter(&filter, json!(["contactFilter"]));
                Some(filter)
            }
            _ => None,
        };
        let cursor = params.scalar("cursor").and_then(decode_conversation_cursor);
        if let Some(reply) = checker.failure() {
            return reply;
        }
        if !self.has_session(request) {
            return errors::no_session();
        }
        let filter = ConversationFilter {
            flags,
            channel,
            bot_category,
            bot_enabled,
            assignee,
            keyword,
            contact_filter,
        };

        let data = read(&self.data);
        let mut page: Vec<&Conversation> = Vec::new();
        let mut more = false;
        let per_page = usize::try_from(per_page).unwrap_or(usize::MAX);
        for conversation in &data.conversations {
            if let Some(position) = cursor
                && !conversation_follows(
                    (conversation.last, conversation.id),
                    position,
                    self.config.broken_cursor,
                )
            {
                continue;
            }
            if !filter.matches(conversation) {
                continue;
            }
            if page.len() == per_page {
                more = true;
                break;
            }
            page.push(conversation);
        }
        let next_cursor = if more {
            page.last().map(|c| conversation_cursor(c.last, c.id))
        } else {
            None
        };
        let body = CursorBody {
            data: page.iter().map(|c| &c.json).collect(),
            next_cursor,
            // Any text when a cursor was sent; null on the first page.
            prev_cursor: params.scalar("cursor").map(str::to_string),
        };
        Reply::json(StatusCode::OK, &body)
    }

    /// The flags of `status` and `tags` (JSON arrays of strings; other
    /// text is ignored), each one of [`FLAGS`]. `status` is left out when
    /// the server ignores it.
    fn flags(&self, params: &Params, checker: &mut Checker) -> Vec<&'static str> {
        let mut flags: Vec<&'static str> = Vec::new();
        for name in ["status", "tags"] {
            // Only a JSON array of strings filters; other text is ignored.
            if let Some(Value::Array(items)) = params.json(name) {
                for (index, item) in items.iter().enumerate() {
                    let text = item.as_str().unwrap_or("");
                    match FLAGS.iter().find(|f| **f == text) {
                        Some(_) if name == "status" && self.config.ignored_filters => {}
                        Some(flag) => flags.push(flag),
                        None => checker.push(issues::not_allowed(
                            checker.version,
                            json!([name, index]),
                            FLAGS,
                            &item.to_string(),
                        )),
                    }
                }
            }
        }
        flags
    }
}
