//! The workspace's people: `GET /v1/members` (numbered pages, a
//! `keyword` on the user's name) and `/v1/teams` (every team with its
//! members). Both ask for the login session's user, as
//! `/v1/conversations` does.

use axum::http::StatusCode;
use serde_json::Value;

use super::super::filters::ilike_contains;
use super::super::generate::catalog::{MEMBERS, TEAMS, member_json, team_with_members_json};
use super::super::params::Kind;
use super::super::validation::Checker;
use super::super::{Fake, errors};
use super::{DataBody, PagedBody, numbered_page};
use crate::server::{Incoming, Reply};

impl Fake {
    /// The member listing: `page`, `perPage` (whole numbers of at least 1;
    /// at most 50 rows a page, 20 by default), `sort` (JSON text, read
    /// and not applied) and `keyword` (`ILIKE` on the user's name; empty
    /// text filters nothing). `pageCount` counts pages of the rows sent.
    /// Members come in the database's order (the server sets none).
    pub(super) fn members(&self, request: &Incoming<'_>, mut checker: Checker) -> Reply {
        let params = checker.collect(
            &request.query,
            &[
                ("page", Kind::Scalar),
                ("perPage", Kind::Scalar),
                ("sort", Kind::JsonText),
                ("keyword", Kind::Scalar),
            ],
        );
        let page = numbered_page(&params, &mut checker);
        if let Some(reply) = checker.failure() {
            return reply;
        }
        if !self.has_session(request) {
            return errors::no_session();
        }
        let keyword = params.scalar("keyword").filter(|k| !k.is_empty());
        let matching: Vec<Value> = members_json()
            .into_iter()
            .filter(|m| {
                keyword.is_none_or(|k| {
                    m["user"]["name"]
                        .as_str()
                        .is_some_and(|name| ilike_contains(name, k))
                })
            })
            .collect();
        let page_count = (matching.len() as u64).div_ceil(page.limit as u64);
        let body = PagedBody {
            data: matching
                .into_iter()
                .skip(page.skip)
                .take(page.limit)
                .collect(),
            page_count,
        };
        Reply::json(StatusCode::OK, &body)
    }

    /// The team listing: every team, oldest first, each with its members
    /// and their users. The route declares no input, so the query string
    /// is not looked at.
    pub(super) fn teams(&self, request: &Incoming<'_>) -> Reply {
        if !self.has_session(request) {
            return errors::no_session();
        }
        Reply::json(StatusCode::OK, &DataBody { data: teams_json() })
    }
}

/// Every member, as the member listing sends them with no `keyword`, in
/// its order.
pub(in super::super) fn members_json() -> Vec<Value> {
    MEMBERS.iter().filter_map(member_json).collect()
}

/// Every team with its members, as the team listing sends them.
pub(in super::super) fn teams_json() -> Vec<Value> {
    TEAMS.iter().copied().map(team_with_members_json).collect()
}
