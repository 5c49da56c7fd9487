//! `GET /v1/channels`: the workspace's connected inboxes, numbered
//! pages, each sent as `{id, name, channel, status}` with the inbox's
//! source id as its `id`. Like `/v1/conversations`, it asks for the
//! login session's user.

use axum::http::StatusCode;
use serde_json::Value;

use super::super::generate::catalog::{INBOXES, channel_json};
use super::super::params::Kind;
use super::super::validation::Checker;
use super::super::{Fake, errors};
use super::{PagedBody, numbered_page};
use crate::server::{Incoming, Reply};

/// The only value `includes` takes (it loads the inboxes' integrations,
/// which the answer then leaves out).
const INCLUDES: &[&str] = &["integration"];
/// The inbox status the listing keeps: the server keeps its `connected`
/// inboxes, which the data set's inboxes call `active`.
const CONNECTED: &str = "active";
/// The page size `pageCount` is counted with when `perPage` is not sent,
/// although the page itself then holds up to 20.
const COUNTED_PER_PAGE: u64 = 10;

/// Every connected inbox as the channel listing sends it, in its order.
pub(in super::super) fn connected_channels() -> Vec<Value> {
    INBOXES
        .iter()
        .filter(|inbox| inbox.4 == CONNECTED)
        .map(channel_json)
        .collect()
}

impl Fake {
    /// The channel listing: `page`, `perPage` (whole numbers of at least
    /// 1; at most 50 rows a page, 20 by default) and `includes`
    /// (`["integration"]`). As on the server, `pageCount` divides by the
    /// `perPage` sent (not cut to 50), or by 10 when none is, and the
    /// inboxes come in the database's order.
    pub(super) fn channels(&self, request: &Incoming<'_>, mut checker: Checker) -> Reply {
        let params = checker.collect(
            &request.query,
            &[
                ("page", Kind::Scalar),
                ("perPage", Kind::Scalar),
                ("includes", Kind::Array),
            ],
        );
        let page = numbered_page(&params, &mut checker);
        checker.list_of(&params, "includes", Some(INCLUDES));
        if let Some(reply) = checker.failure() {
            return reply;
        }
        if !self.has_session(request) {
            return errors::no_session();
        }
        let connected = connected_channels();
        let counted_per_page = page.per_page.unwrap_or(COUNTED_PER_PAGE);
        let page_count = (connected.len() as u64).div_ceil(counted_per_page);
        let body = PagedBody {
            data: connected
                .into_iter()
                .skip(page.skip)
                .take(page.limit)
                .collect(),
            page_count,
        };
        Reply::json(StatusCode::OK, &body)
    }
}
