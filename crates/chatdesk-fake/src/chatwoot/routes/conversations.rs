//! Conversations: the listing (counts taken before the `assignee_type`
//! filter, pages of the configured size, under `data`), one conversation
//! by its number (the listing's JSON, bare), and the filter (a JSON
//! payload of conditions; counts over the filtered set, no
//! `assigned_count`, no `data` wrapper, 25 a page whatever the listing's
//! page size, newest activity first, no default status).

use axum::http::StatusCode;
use serde::Serialize;
use serde_json::Value;

use super::super::conditions::{self, Refusal};
use super::super::model::{Assignee, Conversation, ME};
use super::super::params::{self, to_i};
use super::super::validation::Query;
use super::super::{Fake, errors};
use crate::server::{Reply, read};

/// The filter's page size, fixed in the server.
const FILTER_PAGE_SIZE: usize = 25;

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

/// The filter's `meta`.
#[derive(Serialize)]
struct FilterCounts {
    mine_count: u64,
    unassigned_count: u64,
    all_count: u64,
}

#[derive(Serialize)]
struct FilterBody<'a> {
    meta: FilterCounts,
    payload: Vec<&'a Value>,
}

/// Items `page` (from 1) of `items`, `size` a page.
fn page_of<T: Copy>(items: &[T], page: i64, size: usize) -> Vec<T> {
    let start = usize::try_from(page - 1)
        .unwrap_or(usize::MAX)
        .saturating_mul(size);
    items.iter().skip(start).take(size).copied().collect()
}

impl Fake {
    /// One page of the listing (every match with `updated_within`).
    pub(super) fn list(&self, pairs: &[(String, String)], now_millis: i64) -> Reply {
        let query = match Query::parse(pairs) {
            Ok(query) => query,
            Err(message) => return errors::bad_request(&message),
        };
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
            page_of(&matching, query.page, size)
                .into_iter()
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

    /// Conversation `id` (its number, read with `to_i`), bare; 404 for an
    /// unknown one.
    pub(super) fn conversation(&self, id: &str) -> Reply {
        let data = read(&self.data);
        match data.conversation(to_i(id)) {
            Some(c) => Reply::json(StatusCode::OK, &c.json),
            None => errors::not_found(),
        }
    }

    /// The filter: `body` holds the payload; `page` is read from the body,
    /// else the query string (the body wins in Rails' parameters).
    pub(super) fn filter(&self, pairs: &[(String, String)], body: &[u8], now_secs: i64) -> Reply {
        let body: Value = if body.iter().all(u8::is_ascii_whitespace) {
            Value::Null
        } else {
            match serde_json::from_slice(body) {
                Ok(value) => value,
                Err(_) => return errors::unparsable_body(),
            }
        };
        let conditions = match conditions::parse(&body) {
            Ok(conditions) => conditions,
            Err(Refusal::Unprocessable(message)) => return errors::unprocessable(&message),
            Err(Refusal::Fails) => return errors::server_error(StatusCode::INTERNAL_SERVER_ERROR),
        };
        let page = match body.get("page") {
            Some(Value::Number(n)) => n.as_i64().unwrap_or(1).max(1),
            Some(Value::String(s)) => params::page(Some(s)),
            _ => params::page(params::last(pairs, "page")),
        };
        let data = read(&self.data);
        let mut matching: Vec<&Conversation> = Vec::new();
        for c in &data.conversations {
            match conditions::keeps(&conditions, c, now_secs) {
                Ok(true) => matching.push(c),
                Ok(false) => {}
                Err(_) => return errors::server_error(StatusCode::INTERNAL_SERVER_ERROR),
            }
        }
        let count =
            |f: &dyn Fn(&Conversation) -> bool| matching.iter().filter(|c| f(c)).count() as u64;
        let meta = FilterCounts {
            mine_count: count(&|c| c.assignee == Assignee::User(ME)),
            unassigned_count: count(&|c| c.assignee_id().is_none()),
            all_count: matching.len() as u64,
        };
        let payload = page_of(&matching, page, FILTER_PAGE_SIZE)
            .into_iter()
            .map(|c| &c.json)
            .collect();
        Reply::json(StatusCode::OK, &FilterBody { meta, payload })
    }
}
