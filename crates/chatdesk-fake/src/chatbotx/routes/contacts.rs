//! `GET /v1/contacts`: the contact listing, numbered pages of at most 50,
//! with filters, a sort, the relations to include and the counts, which
//! the server versions send differently.

use axum::http::StatusCode;
use serde::Serialize;
use serde_json::{Value, json};

use super::super::filters::ContactFilter;
use super::super::model::Contact;
use super::super::params::Kind;
use super::super::validation::{
    BOOLEANS, CHANNELS, Checker, DEFAULT_PER_PAGE, INCLUDES, MAX_CONTACTS_PER_PAGE,
};
use super::super::{Fake, issues, sorting};
use crate::ChatbotxVersion;
use crate::server::{Reply, read};

/// A page of the contact listing. The open-source server sends only
/// `pageCount`.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ContactsBody {
    data: Vec<Value>,
    page_count: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    total_count: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    total_count_capped: Option<bool>,
}

impl Fake {
    /// `contact` as the contact listing sends it when asked with
    /// `include` (empty: not sent). The current server keeps only the
    /// relations a non-empty `include` names; the open-source one sends
    /// every relation whatever it says.
    pub(in super::super) fn listing_item(&self, contact: &Contact, include: &[&str]) -> Value {
        let open_source = self.config.version == ChatbotxVersion::OpenSource;
        let wanted = (!open_source && !include.is_empty()).then_some(include);
        contact.listing_json(wanted)
    }

    /// The contact listing. The open-source server loads every relation
    /// whatever `include` asks, and counts the pages even with
    /// `withCount=false`.
    pub(super) fn contacts(&self, pairs: &[(String, String)], mut checker: Checker) -> Reply {
        let params = checker.collect(
            pairs,
            &[
                ("page", Kind::Scalar),
                ("perPage", Kind::Scalar),
                ("keyword", Kind::Scalar),
                ("channels", Kind::Array),
                ("inboxIds", Kind::Array),
                ("integrationWhatsappId", Kind::Scalar),
                ("integrationMessengerId", Kind::Scalar),
                ("contactFilter", Kind::Object),
                ("sort", Kind::JsonText),
                ("include", Kind::Array),
                ("withCount", Kind::Scalar),
            ],
        );
        let page = checker.positive(&params, "page", 1);
        let per_page = checker
            .positive(&params, "perPage", DEFAULT_PER_PAGE)
            .min(MAX_CONTACTS_PER_PAGE);
        let with_count = checker.one_of(&params, "withCount", BOOLEANS) != Some("false");
        let keyword = params.scalar("keyword").map(str::to_lowercase);
        let channels = checker.list_of(&params, "channels", Some(CHANNELS));
        let inbox_ids = checker.list_of(&params, "inboxIds", None);
        for (index, id) in inbox_ids.iter().enumerate() {
            if id.is_empty() || !id.bytes().all(|b| b.is_ascii_digit()) {
                checker.push(issues::not_digits(json!(["inboxIds", index])));
            }
        }
        let include = checker.list_of(&params, "include", Some(INCLUDES));
        let contact_filter = params.filter.clone();
        if let Some(filter) = &contact_filter {
            checker.check_filter(filter, json!(["contactFilter"]));
        }
        let sort = params.text("sort").map(sorting::read).unwrap_or_default();
        if let Some(reply) = checker.failure() {
            return reply;
        }
        let filter = ContactFilter {
            keyword,
            channels,
            inbox_ids,
            contact_filter,
            ignored_filters: self.config.ignored_filters,
        };

        let data = read(&self.data);
        let mut matching: Vec<&Contact> =
            data.contacts.iter().filter(|c| filter.matches(c)).collect();
        sorting::order(&mut matching, &sort);
        let total = matching.len() as u64;
        let per_page_size = usize::try_from(per_page).unwrap_or(usize::MAX);
        let skip = usize::try_from(page - 1)
            .unwrap_or(usize::MAX)
            .saturating_mul(per_page_size);
        let open_source = self.config.version == ChatbotxVersion::OpenSource;
        let wanted: Vec<&str> = include.iter().map(String::as_str).collect();
        let items: Vec<Value> = matching
            .iter()
            .skip(skip)
            .take(per_page_size)
            .map(|c| self.listing_item(c, &wanted))
            .collect();
        let page_count = if with_count || open_source {
            total.div_ceil(per_page)
        } else {
            0
        };
        let body = ContactsBody {
            data: items,
            page_count,
            total_count: (!open_source).then_some(if with_count { total } else { 0 }),
            total_count_capped: (!open_source).then_some(false),
        };
        Reply::json(StatusCode::OK, &body)
    }
}
