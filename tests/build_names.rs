//! The build step's names: an `operationId` in snake case is the method
//! progenitor generates for it, and the name the listings and the
//! pipeline's tables use, so the two must agree.

#![allow(clippy::unwrap_used, clippy::expect_used, dead_code)]

#[path = "../build/names.rs"]
mod names;

use names::snake_case;

#[test]
fn camel_case_words_are_split_at_each_capital() {
    assert_eq!(snake_case("listContactMessages"), "list_contact_messages");
    assert_eq!(snake_case("ListConversations"), "list_conversations");
    assert_eq!(snake_case("get"), "get");
}

#[test]
fn a_run_of_capitals_is_one_word() {
    assert_eq!(snake_case("getContactID"), "get_contact_id");
    assert_eq!(snake_case("getHTTPStatus"), "get_http_status");
    assert_eq!(snake_case("URLForInbox"), "url_for_inbox");
}

#[test]
fn a_capital_after_a_digit_starts_a_word() {
    assert_eq!(snake_case("listV2Contacts"), "list_v2_contacts");
    assert_eq!(snake_case("v2Inboxes"), "v2_inboxes");
}

#[test]
fn separators_become_underscores() {
    assert_eq!(snake_case("list-contacts"), "list_contacts");
    assert_eq!(snake_case("contacts.list all"), "contacts_list_all");
    assert_eq!(snake_case("already_snake"), "already_snake");
}
