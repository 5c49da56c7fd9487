//! A generated ChatbotX contact: a made-up person in one or two inboxes,
//! with tags and custom fields, its relations as the contact listing
//! shows them, and its messages (ids and times only: their JSON is made
//! when they are served).

use std::sync::Arc;

use serde_json::{Value, json};

use super::super::model::{Contact, Message, Person};
use super::Generator;
use super::catalog::{ADDRESS_FIELD, AGE_FIELD, INBOXES, TAGS, WORKSPACE, inbox_json, tag_json};
use crate::text::{self, iso_millis, pick, put};

/// What to make a contact from.
pub(crate) struct ContactPlan {
    pub(crate) created: i64,
    /// When its newest message was sent.
    pub(crate) newest: i64,
    /// A short id of an old row, if it is one.
    pub(crate) short_id: Option<u64>,
    /// Whether the contact listing shows it.
    pub(crate) listed: bool,
    pub(crate) blocked: bool,
    /// Whether it has messages yet (a contact just created has none).
    pub(crate) with_messages: bool,
}

/// A contact with its messages (newest message at `plan.newest`).
pub(crate) fn make_contact(g: &mut Generator, plan: ContactPlan) -> Contact {
    let ContactPlan {
        created,
        newest,
        short_id,
        listed,
        blocked,
        with_messages,
    } = plan;
    let numeric_id = match short_id {
        Some(short) => g.short_or_snowflake(short, created),
        None => g.snowflake(created),
    };
    let id = numeric_id.to_string();
    let rng = &mut g.rng;
    let (first, last) = pick(rng, text::PEOPLE);
    let first_name = (!first.is_empty()).then(|| first.to_string());
    let full_name = format!("{first} {last}");
    let (country, state, city, locale, timezone) = pick(rng, text::PLACES);
    let email =
        (rng.u8(..3) != 0).then(|| format!("khach.{}@example.{}", id, country.to_lowercase()));
    let phone = match rng.u8(..6) {
        0 => Some(String::new()),
        1 => None,
        2 | 3 => Some(format!("+84{:09}", rng.u32(300_000_000..999_999_999))),
        _ => Some(format!("09{:08}", rng.u32(..100_000_000))),
    };
    let gender = match rng.u8(..10) {
        0..=3 => Some("female"),
        4..=6 => Some("male"),
        7..=8 => Some("unknown"),
        _ => None,
    };
    // Blocked contacts used to be drawn at random; the draw stays so that a
    // seed gives the same data as before, but which contacts are blocked is
    // now decided by the caller (so that every data set has some).
    let _ = rng.u8(..20);
    let mut tags = Vec::new();
    for _ in 0..rng.usize(..=2) {
        let (tag_id, name, _) = pick(rng, TAGS);
        if !tags.iter().any(|(t, _)| *t == tag_id) {
            tags.push((tag_id, name));
        }
    }
    let mut inboxes = vec![pick(rng, INBOXES)];
    if rng.u8(..5) == 0 {
        let second = pick(rng, INBOXES);
        if second.0 != inboxes[0].0 {
            inboxes.push(second);
        }
    }
    let avatar = match rng.u8(..4) {
        0 => Value::Null,
        1 => json!(format!(
            "https://platform-lookaside.fbsbx.example/platform/profilepic/?psid={}",
            rng.u64(1_000_000..9_999_999_999)
        )),
        _ => json!(format!(
            "workspaces/7/avatars/{}-{}.jpg",
            inboxes[0].2,
            text::token_chars(rng, 8)
        )),
    };
    let updated = newest.max(created);
    let subscribed = (rng.u8(..3) != 0).then(|| iso_millis(created));
    let last_read = (rng.bool()).then(|| iso_millis(updated + rng.i64(0..60_000)));
    let location = (rng.u8(..4) == 0).then(|| {
        json!({"latitude": 10.8494, "longitude": 106.7537, "address": "Đường Võ Văn Ngân, Thủ Đức"})
    });
    let json_base = json!({
        "id": id,
        "createdAt": iso_millis(created),
        "updatedAt": iso_millis(updated),
        "avatar": avatar,
        "phoneNumber": phone,
        "email": email,
        "emailVerified": email.is_some() && rng.bool(),
        "emailOptIn": email.is_some() && rng.bool(),
        "firstName": first_name,
        "lastName": last,
        "fullName": full_name,
        "lastReadAt": last_read,
        "ref": (rng.u8(..4) == 0).then_some("zalo-oa-tet"),
        "country": country,
        "state": state,
        "city": city,
        "location": location,
        "locale": locale,
        "timezone": timezone,
        "subscribedAt": subscribed,
        "broadcastSubscribedAt": if rng.bool() { subscribed.clone() } else { None },
        "blockedAt": blocked.then(|| iso_millis(updated)),
        "workspaceId": WORKSPACE,
        "gender": gender,
    });

    let person = Arc::new(Person {
        id: id.clone(),
        first_name,
        last_name: Some(last.to_string()),
        full_name,
        email,
        phone,
        gender,
        tags: tags.clone(),
        country,
        state,
        city,
        locale,
        timezone,
        blocked,
        inboxes: inboxes.iter().map(|i| (i.2, i.0)).collect(),
    });

    // Relations shown by the contact listing.
    let mut contact_inboxes = Vec::new();
    let mut contact_inbox_ids = Vec::new();
    let mut contact_inboxes_plain = Vec::new();
    for inbox in &inboxes {
        let contact_inbox_id = match short_id {
            Some(short) => g.short_or_snowflake(short + 19, created),
            None => g.snowflake(created),
        }
        .to_string();
        contact_inbox_ids.push(contact_inbox_id.clone());
        let plain = json!({
            "id": contact_inbox_id,
            "contactId": id,
            "inboxId": inbox.0,
            "channel": inbox.2,
        });
        let mut with_inbox = plain.clone();
        put(&mut with_inbox, "inbox", inbox_json(inbox));
        contact_inboxes_plain.push(plain);
        contact_inboxes.push(with_inbox);
    }
    let rng = &mut g.rng;
    let tag_values: Vec<Value> = tags
        .iter()
        .map(|(tag_id, name)| tag_json(tag_id, name))
        .collect();
    let mut custom_fields = Vec::new();
    let field_count = rng.usize(..=2);
    for (index, (field_id, value)) in [
        (ADDRESS_FIELD, format!("{city}, {state}")),
        (AGE_FIELD, rng.u8(18..70).to_string()),
    ]
    .into_iter()
    .take(field_count)
    .enumerate()
    {
        custom_fields.push(json!({
            "id": format!("{}", 72_057_594_046_000_129u64 + numeric_id % 1_000_000 * 4 + index as u64),
            "createdAt": iso_millis(created + 1_000),
            "updatedAt": iso_millis(created + 1_000),
            "value": value,
            "contactId": id,
            "customFieldId": field_id,
        }));
    }

    // Messages, newest first, between `created` and `newest`.
    let count = if with_messages {
        g.messages_per_contact
    } else {
        0
    };
    let span = (newest - created).max(count as i64 * 1_000);
    let step = span / (count as i64).max(1);
    let conversation_hint = g.snowflake(created + 500);
    let mut messages = Vec::with_capacity(count);
    for k in 0..count {
        let at = newest - step * k as i64 - g.rng.i64(0..=(step / 4).max(0));
        let message_id = match short_id {
            Some(short) if k < 1000 => g.short_or_snowflake(short * 1000 + k as u64, at),
            _ => g.snowflake(at),
        };
        let at = if k == 0 { newest } else { at };
        messages.push(Message {
            id: message_id,
            created: at,
            seed: g.rng.u64(..),
            incoming: false,
        });
    }
    Contact {
        person,
        numeric_id,
        created,
        updated,
        listed,
        json: json_base,
        custom_fields: Value::Array(custom_fields),
        tags: Value::Array(tag_values),
        inboxes: Value::Array(contact_inboxes),
        inboxes_plain: Value::Array(contact_inboxes_plain),
        conversation: Value::Null,
        conversation_id: conversation_hint,
        contact_inbox_id: contact_inbox_ids.swap_remove(0),
        messages,
    }
}
