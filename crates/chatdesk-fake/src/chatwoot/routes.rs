//! Which request the Chatwoot fake answers and how: the one listing,
//! behind the token and the account id, with the counts Chatwoot computes
//! before the `assignee_type` filter and pages of the configured size.

use axum::http::{Method, StatusCode};
use serde::Serialize;
use serde_json::Value;

use super::model::{Assignee, Conversation, ME};
use super::validation::Query;
use super::{Fake, errors};
use crate::server::{Incoming, Reply, read};

#[derive(Serialize)]
struct ListBody<'a> {
    data: ListData<'a>,
}

#[derive(Serialize)]
struct ListData<'a> {
    meta: Counts,
    payload: Vec<&'a Value>,
}

/// The listing's `meta`: counts over every filter but `assignee_type`.
#[derive(Default, Serialize)]
struct Counts {
    mine_count: u64,
    assigned_count: u64,
    unassigned_count: u64,
    all_count: u64,
}

impl Counts {
    fn add(&mut self, assignee: Assignee) {
        self.all_count += 1;
        match assignee {
            Assignee::User(user) => {
                self.assigned_count += 1;
                if user == ME {
                    self.mine_count += 1;
                }
            }
            Assignee::Nobody | Assignee::Bot => self.unassigned_count += 1,
        }
    }
}

impl Fake {
    /// Answers one request: the path and method, then the token, the
    /// account and the query string, in the server's order.
    pub(crate) fn handle(&self, request: &Incoming<'_>, now_millis: i64) -> Reply {
        let segments: Vec<&str> = request.path.trim_matches('/').split('/').collect();
        let account = match segments.as_slice() {
            ["api", "v1", "accounts", account, "conversations"]
                if *request.method == Method::GET =>
            {
                *account
            }
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
        let query = match Query::parse(&request.query) {
            Ok(query) => query,
            Err(message) => return errors::bad_request(&message),
        };
        self.list(&query, now_millis)
    }

    /// One page of the listing (every match with `updated_within`).
    fn list(&self, query: &Query, now_millis: i64) -> Reply {
        let data = read(&self.data);
        let now = now_millis as f64 / 1000.0;
        let mut counts = Counts::default();
        let mut matching: Vec<&Conversation> = Vec::new();
        for conversation in &data.conversations {
            if !query.matches(conversation, now) {
                continue;
            }
            counts.add(conversation.assignee);
            if query.keeps_assignee(conversation) {
                matching.push(conversation);
            }
        }
        query.order(&mut matching);
        let payload: Vec<&Value> = if query.updated_within.is_some() {
            matching.iter().map(|c| &c.json).collect()
        } else {
            let size = usize::try_from(self.config.page_size.max(1)).unwrap_or(usize::MAX);
            let start = usize::try_from(query.page - 1)
                .unwrap_or(usize::MAX)
                .saturating_mul(size);
            matching
                .iter()
                .skip(start)
                .take(size)
                .map(|c| &c.json)
                .collect()
        };
        let body = ListBody {
            data: ListData {
                meta: counts,
                payload,
            },
        };
        Reply::json(StatusCode::OK, &body)
    }
}
