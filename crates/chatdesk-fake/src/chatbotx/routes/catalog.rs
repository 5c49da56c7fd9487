//! The workspace's fixed lists: `GET /v1/tags`, `/v1/custom-fields`,
//! `/v1/bot-fields` (each `{"data": [...]}`, no query parameter, no
//! paging) and `/v1/workspaces` (the one workspace, as an object). They
//! serve the catalog the contacts and conversations are made from.

use axum::http::StatusCode;
use serde_json::Value;

use super::super::Fake;
use super::super::generate::catalog::{
    BOT_FIELDS, CUSTOM_FIELDS, TAGS, bot_field_json, custom_field_json, public_tag_json,
    workspace_json,
};
use super::super::validation::{Checker, MAX_CONTACTS_PER_PAGE};
use super::DataBody;
use crate::server::Reply;

/// The most rows a list holds: the server asks for "all" with a page size
/// its pagination helper cuts to 50, and sends only that first page.
const MAX_ROWS: usize = MAX_CONTACTS_PER_PAGE as usize;

/// The fixed lists, by path.
#[derive(Clone, Copy)]
pub(in super::super) enum Catalog {
    /// Tags, newest first; only `id` and `name`.
    Tags,
    /// Custom fields, in the database's order (the server sets none);
    /// `id`, `name`, `type`, `description`.
    CustomFields,
    /// Bot fields, newest first; `id`, `name`, `type`, `value`.
    BotFields,
}

/// The items of one of the fixed lists, as its route sends them.
pub(in super::super) fn catalog_items(list: Catalog) -> Vec<Value> {
    let data: Vec<Value> = match list {
        // All tags were created at the same time: ties keep the
        // catalog's order.
        Catalog::Tags => TAGS
            .iter()
            .map(|(id, name, _)| public_tag_json(id, name))
            .collect(),
        Catalog::CustomFields => CUSTOM_FIELDS.iter().map(custom_field_json).collect(),
        Catalog::BotFields => {
            let mut fields: Vec<_> = BOT_FIELDS.iter().collect();
            // ISO times of one format order as text.
            fields.sort_by(|a, b| b.4.cmp(a.4));
            fields.into_iter().map(bot_field_json).collect()
        }
    };
    data.into_iter().take(MAX_ROWS).collect()
}

impl Fake {
    /// One of the fixed lists. The server's input is an empty object, so
    /// any query key but the token is refused.
    pub(super) fn catalog(
        &self,
        list: Catalog,
        pairs: &[(String, String)],
        mut checker: Checker,
    ) -> Reply {
        checker.collect(pairs, &[]);
        if let Some(reply) = checker.failure() {
            return reply;
        }
        Reply::json(
            StatusCode::OK,
            &DataBody {
                data: catalog_items(list),
            },
        )
    }

    /// The workspace the token belongs to. The route declares no input,
    /// so the query string is not looked at.
    pub(super) fn workspace(&self) -> Reply {
        Reply::json(StatusCode::OK, &workspace_json())
    }
}
