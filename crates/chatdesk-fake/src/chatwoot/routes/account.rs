//! The account's settings: inboxes (`{"payload": [...]}`, by lower-cased
//! name, with an administrator's view of credentials), agents (a bare
//! list by lower-cased name), teams (a bare list) and a team's members,
//! labels (`{"payload": [...]}` by title) and custom attribute
//! definitions (a bare list, of one model or both).

use axum::http::StatusCode;
use serde_json::{Value, json};

use super::super::generate::catalog::{AGENTS, TEAMS, agent_json, team_json, team_members};
use super::super::generate::settings;
use super::super::params::{self, to_i};
use super::super::{Fake, errors};
use crate::server::Reply;

impl Fake {
    pub(super) fn inboxes(&self) -> Reply {
        Reply::json(
            StatusCode::OK,
            &json!({"payload": settings::inboxes_json(self.config.account_id)}),
        )
    }

    pub(super) fn agents(&self) -> Reply {
        Reply::json(StatusCode::OK, &agents_json(self.config.account_id))
    }

    pub(super) fn teams(&self) -> Reply {
        Reply::json(StatusCode::OK, &teams_json(self.config.account_id))
    }

    /// The agents of team `id` (read with `to_i`), in the order they
    /// joined; 404 for an unknown team.
    pub(super) fn team_members(&self, id: &str) -> Reply {
        let id = to_i(id);
        if !TEAMS.iter().any(|t| t.0 == id) {
            return errors::not_found();
        }
        Reply::json(
            StatusCode::OK,
            &team_members_json(id, self.config.account_id),
        )
    }
}

/// The agent listing: every agent, by lower-cased name.
pub(in super::super) fn agents_json(account_id: i64) -> Vec<Value> {
    let mut agents: Vec<_> = AGENTS.to_vec();
    agents.sort_by_key(|a| a.1.to_lowercase());
    agents
        .into_iter()
        .map(|a| agent_json(a, account_id))
        .collect()
}

/// The team listing.
pub(in super::super) fn teams_json(account_id: i64) -> Vec<Value> {
    TEAMS.iter().map(|t| team_json(*t, account_id)).collect()
}

/// The team ids, in the team listing's order.
pub(in super::super) fn team_ids() -> impl Iterator<Item = i64> {
    TEAMS.iter().map(|t| t.0)
}

/// The members of team `id`, as its member listing shows them.
pub(in super::super) fn team_members_json(id: i64, account_id: i64) -> Vec<Value> {
    team_members(id)
        .iter()
        .filter_map(|member| AGENTS.iter().find(|a| a.0 == *member))
        .map(|a| agent_json(*a, account_id))
        .collect()
}

pub(super) fn labels() -> Reply {
    Reply::json(StatusCode::OK, &json!({"payload": settings::labels_json()}))
}

/// The definitions of `attribute_model`: blank gives both models; the
/// server reads the value as its enum, so a model's name or number
/// (`0`, `1`, or text starting with one) picks it and anything else
/// matches none.
pub(super) fn custom_attribute_definitions(query: &[(String, String)]) -> Reply {
    let list = match params::present(query, "attribute_model") {
        None => settings::definitions_json(None),
        Some(model) => {
            let numeric = model
                .trim_start()
                .trim_start_matches(['+', '-'])
                .starts_with(|c: char| c.is_ascii_digit());
            let name = match model {
                "conversation_attribute" | "contact_attribute" => Some(model),
                _ if numeric => match to_i(model) {
                    0 => Some("conversation_attribute"),
                    1 => Some("contact_attribute"),
                    _ => None,
                },
                _ => None,
            };
            match name {
                Some(name) => settings::definitions_json(Some(name)),
                None => Vec::new(),
            }
        }
    };
    Reply::json(StatusCode::OK, &list)
}
