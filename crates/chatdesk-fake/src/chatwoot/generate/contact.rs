//! The contact of a generated Chatwoot conversation: a made-up person
//! with an email and a phone now and then, and the source id of the
//! contact inbox the conversation came through (an email address, a phone
//! number or a UUID, by channel).

use serde_json::{Value, json};

use super::super::Data;
use super::attributes::contact_custom_attributes;
use crate::text::{self, pick, put};

/// A conversation's contact.
pub(crate) struct Contact {
    pub(crate) id: i64,
    /// As `meta.sender` shows it.
    pub(crate) json: Value,
    /// The source id of its contact inbox.
    pub(crate) source_id: String,
}

/// A new contact for a conversation on `channel` created at `created_at`,
/// with its last activity up to `last_activity_at`.
pub(crate) fn contact(
    rng: &mut fastrand::Rng,
    data: &mut Data,
    channel: &str,
    created_at: i64,
    last_activity_at: i64,
) -> Contact {
    let (first, last) = pick(rng, text::PEOPLE);
    let contact_name = if rng.u8(..20) == 0 {
        String::new()
    } else if first.is_empty() {
        last.to_string()
    } else {
        format!("{last} {first}")
    };
    data.next_contact_id += rng.i64(1..=40);
    let contact_id = data.next_contact_id;
    let email = (rng.u8(..3) != 0).then(|| format!("khach{contact_id}@example.vn"));
    let phone = (rng.u8(..2) == 0).then(|| format!("+849{:08}", rng.u32(..100_000_000)));
    let source_id = if channel == "Channel::Email" {
        email
            .clone()
            .unwrap_or_else(|| format!("email-{contact_id}@mail.example.jp"))
    } else if let Some(phone) = &phone {
        phone.trim_start_matches('+').to_string()
    } else {
        text::uuid(rng)
    };
    let (country, _, city, _, _) = pick(rng, text::PLACES);
    let thumbnail = if rng.bool() {
        format!(
            "https://chat.vietmart.example/rails/active_storage/representations/redirect/{}/avatar.jpg",
            text::token_chars(rng, 24)
        )
    } else {
        String::new()
    };
    let mut sender = json!({
        "additional_attributes": {"city": city, "country_code": country},
        "availability_status": "offline",
        "email": email,
        "id": contact_id,
        "name": contact_name,
        "phone_number": phone,
        "blocked": rng.u8(..30) == 0,
        "identifier": (rng.u8(..5) == 0).then(|| format!("crm-{contact_id}")),
        "thumbnail": thumbnail,
        "created_at": created_at - rng.i64(0..86_400 * 30),
        "type": "contact",
    });
    put(
        &mut sender,
        "custom_attributes",
        contact_custom_attributes(rng),
    );
    // `last_activity_at` is absent on some contacts.
    if rng.u8(..4) != 0
        && let Value::Object(map) = &mut sender
    {
        map.insert(
            "last_activity_at".into(),
            json!(last_activity_at - rng.i64(0..60)),
        );
    }
    Contact {
        id: contact_id,
        json: sender,
        source_id,
    }
}
