//! Property tests: arbitrary and mutated real-looking bodies, fed to every
//! response type and to the error parser, never panic, and every error they
//! give stays bounded in size.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use chatdesk::error::{BODY_EXCERPT_LIMIT, decode, from_response};
use chatdesk::{Error, Platform};
use common::fixture;
use proptest::prelude::*;
use reqwest::StatusCode;
use reqwest::header::{HeaderMap, HeaderValue, RETRY_AFTER};
use serde_json::Value;

/// The longest `Display` an error may have: message parts are bounded by
/// the excerpt limit, and paths by the decoder's nesting limit.
const DISPLAY_LIMIT: usize = 8 * BODY_EXCERPT_LIMIT;

/// Every response body the specs describe, from the fixtures.
fn real_bodies() -> Vec<(&'static str, Vec<u8>)> {
    [
        "chatwoot/conversations_page.json",
        "chatwoot/conversations_reference_a.json",
        "chatwoot/conversations_reference_b.json",
        "chatbotx/conversations_page.json",
        "chatbotx/contacts_page.json",
        "chatbotx/messages_page.json",
        "chatbotx/error_422.json",
        "chatwoot/error_401_missing_token.json",
    ]
    .into_iter()
    .map(|name| (name, fixture(name)))
    .collect()
}

/// Decodes `body` as every response type; checks no panic happened and any
/// error is bounded.
fn decode_everything(body: &[u8]) {
    #[cfg(feature = "chatwoot")]
    check(decode::<chatdesk::chatwoot::types::ConversationList>(
        Platform::Chatwoot,
        "listConversations",
        body,
    ));
    #[cfg(feature = "chatbotx")]
    {
        use chatdesk::chatbotx::types::{ContactList, ConversationList, MessageList};
        check(decode::<ConversationList>(
            Platform::Chatbotx,
            "listConversations",
            body,
        ));
        check(decode::<ContactList>(
            Platform::Chatbotx,
            "listContacts",
            body,
        ));
        check(decode::<MessageList>(
            Platform::Chatbotx,
            "listContactMessages",
            body,
        ));
    }
}

fn check<T>(outcome: Result<T, Error>) {
    if let Err(error) = outcome {
        if let Error::Decode(details) = &error {
            assert!(details.body_excerpt.len() <= BODY_EXCERPT_LIMIT + 4);
        }
        let text = error.to_string();
        assert!(text.len() <= DISPLAY_LIMIT, "{} bytes: {text}", text.len());
    }
}

fn parse_error(status: u16, body: &[u8], retry_after: Option<&str>) {
    let mut headers = HeaderMap::new();
    if let Some(value) = retry_after.and_then(|v| HeaderValue::from_str(v).ok()) {
        headers.insert(RETRY_AFTER, value);
    }
    let status = StatusCode::from_u16(status).unwrap();
    for platform in [Platform::Chatwoot, Platform::Chatbotx] {
        let error = from_response(platform, status, &headers, body);
        let Error::Api(details) = &error else {
            panic!("an error response must give Error::Api, got {error:?}");
        };
        assert_eq!(details.status, status);
        assert!(details.body_excerpt.len() <= BODY_EXCERPT_LIMIT + 4);
        assert!(
            details
                .message
                .as_ref()
                .is_none_or(|m| m.len() <= BODY_EXCERPT_LIMIT + 4)
        );
        assert!(error.to_string().len() <= DISPLAY_LIMIT);
    }
}

/// A byte-level change to a body.
#[derive(Clone, Debug)]
enum Mutation {
    Truncate(usize),
    Flip(usize, u8),
    Insert(usize, Vec<u8>),
    Remove(usize, usize),
    Repeat(usize, usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        any::<usize>().prop_map(Mutation::Truncate),
        (any::<usize>(), any::<u8>()).prop_map(|(at, byte)| Mutation::Flip(at, byte)),
        (
            any::<usize>(),
            proptest::collection::vec(any::<u8>(), 1..16)
        )
            .prop_map(|(at, bytes)| Mutation::Insert(at, bytes)),
        (any::<usize>(), 1usize..64).prop_map(|(at, len)| Mutation::Remove(at, len)),
        (any::<usize>(), 1usize..64).prop_map(|(at, len)| Mutation::Repeat(at, len)),
    ]
}

fn apply(body: &mut Vec<u8>, mutation: &Mutation) {
    if body.is_empty() {
        return;
    }
    let at = |i: usize| i % body.len();
    match mutation {
        Mutation::Truncate(i) => body.truncate(at(*i)),
        Mutation::Flip(i, b) => {
            let i = at(*i);
            body[i] = *b;
        }
        Mutation::Insert(i, bytes) => {
            let i = at(*i);
            body.splice(i..i, bytes.iter().copied());
        }
        Mutation::Remove(i, len) => {
            let i = at(*i);
            let end = (i + len).min(body.len());
            body.drain(i..end);
        }
        Mutation::Repeat(i, len) => {
            let i = at(*i);
            let end = (i + len).min(body.len());
            let copy = body[i..end].to_vec();
            body.splice(end..end, copy);
        }
    }
}

/// Any JSON value, a few levels deep, with extreme numbers and non-ASCII text.
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>()
            .prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        "\\PC{0,20}".prop_map(Value::String),
        Just(Value::String("2026-01-14T10:28:27.762Z".into())),
        Just(Value::from(9_007_199_254_740_993_u64)),
    ];
    leaf.prop_recursive(3, 24, 4, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            proptest::collection::btree_map("[a-z_]{1,12}", inner, 0..4)
                .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Replaces the `index`-th node (in a depth-first walk) of `value` by `new`.
fn replace_node(value: &mut Value, index: &mut usize, new: &Value) -> bool {
    if *index == 0 {
        *value = new.clone();
        return true;
    }
    *index -= 1;
    match value {
        Value::Array(items) => items.iter_mut().any(|item| replace_node(item, index, new)),
        Value::Object(map) => map.values_mut().any(|item| replace_node(item, index, new)),
        _ => false,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn arbitrary_bytes_never_panic(body in proptest::collection::vec(any::<u8>(), 0..2048)) {
        decode_everything(&body);
    }

    #[test]
    fn mutated_real_bodies_never_panic(
        which in 0usize..8,
        mutations in proptest::collection::vec(mutation(), 1..6),
    ) {
        let bodies = real_bodies();
        let mut body = bodies[which % bodies.len()].1.clone();
        for m in &mutations {
            apply(&mut body, m);
        }
        decode_everything(&body);
    }

    #[test]
    fn any_field_replaced_by_any_value_never_panics(
        which in 0usize..8,
        node in any::<usize>(),
        new in json_value(),
    ) {
        let bodies = real_bodies();
        let mut value: Value = serde_json::from_slice(&bodies[which % bodies.len()].1).unwrap();
        let mut index = node % 400;
        replace_node(&mut value, &mut index, &new);
        decode_everything(&serde_json::to_vec(&value).unwrap());
    }

    #[test]
    fn the_error_parser_never_panics(
        status in 400u16..600,
        body in proptest::collection::vec(any::<u8>(), 0..4096),
        retry_after in proptest::option::of("[0-9A-Za-z ,:]{0,40}"),
    ) {
        parse_error(status, &body, retry_after.as_deref());
    }

    #[test]
    fn error_bodies_of_any_json_shape_never_panic(status in 400u16..600, value in json_value()) {
        parse_error(status, &serde_json::to_vec(&value).unwrap(), None);
    }
}

#[test]
fn deeply_nested_bodies_end_in_an_error_not_a_stack_overflow() {
    let depth = 100_000;
    let mut body = "[".repeat(depth).into_bytes();
    body.extend("]".repeat(depth).into_bytes());
    decode_everything(&body);
    let mut object = r#"{"data":"#.repeat(depth).into_bytes();
    object.extend("}".repeat(depth).into_bytes());
    decode_everything(&object);
    parse_error(500, &body, None);
}

#[test]
fn a_huge_body_gives_a_bounded_error() {
    let mut body = br#"{"data": ["#.to_vec();
    body.extend(std::iter::repeat_n(b'9', 5_000_000));
    decode_everything(&body);
    parse_error(502, &vec![b'<'; 5_000_000], None);
}
