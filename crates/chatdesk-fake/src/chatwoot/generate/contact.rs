//! The contacts of the Chatwoot data set: made-up people with an email
//! and a phone now and then (anonymous website visitors with neither),
//! and the contact inbox each conversation comes through, whose source id
//! is an email address, a phone number or a UUID, by channel.

use serde_json::{Value, json};

use super::super::model::Contact;
use super::attributes::contact_custom_attributes;
use crate::text::{self, pick, put};

/// Companies some contacts work for.
const COMPANIES: &[&str] = &[
    "Công ty TNHH Hoa Sen",
    "บริษัท สยามเทรด จำกัด",
    "株式会社さくら商事",
    "Acme Ltd",
];

/// Country names, by country code.
fn country_name(code: &str) -> &'static str {
    match code {
        "VN" => "Vietnam",
        "TH" => "Thailand",
        "JP" => "Japan",
        _ => "Spain",
    }
}

/// A new contact with id `id`, created at `created_at`. A contact made
/// by `add_contacts` (`reachable`) always has an email, so that it is
/// listed.
pub(crate) fn contact(
    rng: &mut fastrand::Rng,
    id: i64,
    created_at: i64,
    reachable: bool,
) -> Contact {
    let (first, last) = pick(rng, text::PEOPLE);
    let name = if rng.u8(..20) == 0 {
        String::new()
    } else if first.is_empty() {
        last.to_string()
    } else {
        format!("{last} {first}")
    };
    let email = (reachable || rng.u8(..3) != 0).then(|| format!("khach{id}@example.vn"));
    let phone_number = (rng.u8(..2) == 0).then(|| format!("+849{:08}", rng.u32(..100_000_000)));
    let identifier = (rng.u8(..5) == 0).then(|| format!("crm-{id}"));
    let (country_code, _, city, _, _) = pick(rng, text::PLACES);
    let company = (rng.u8(..3) == 0).then(|| pick(rng, COMPANIES));
    let mut labels = Vec::new();
    if rng.u8(..3) == 0 {
        labels.push(pick(rng, text::LABELS));
    }
    Contact {
        id,
        name,
        email,
        phone_number,
        identifier,
        blocked: rng.u8(..30) == 0,
        created_at,
        last_activity_at: None,
        city,
        country_code,
        country: country_name(country_code),
        company,
        labels,
        inboxes: Vec::new(),
        seed: rng.u64(..),
    }
}

/// The parts of a contact's JSON every view shows: (avatar, additional
/// attributes, custom attributes).
fn drawn(contact: &Contact) -> (String, Value, Value) {
    let mut rng = fastrand::Rng::with_seed(contact.seed);
    let thumbnail = if rng.bool() {
        format!(
            "https://chat.vietmart.example/rails/active_storage/representations/redirect/{}/avatar.jpg",
            text::token_chars(&mut rng, 24)
        )
    } else {
        String::new()
    };
    let mut additional = json!({"city": contact.city, "country": contact.country, "country_code": contact.country_code});
    if let Some(company) = contact.company {
        put(&mut additional, "company_name", json!(company));
    }
    (thumbnail, additional, contact_custom_attributes(&mut rng))
}

/// The contact as the contact partial shows it (no contact inboxes).
pub(crate) fn partial(contact: &Contact) -> Value {
    let (thumbnail, additional, custom) = drawn(contact);
    let mut json = json!({
        "availability_status": "offline",
        "email": contact.email,
        "id": contact.id,
        "name": contact.name,
        "phone_number": contact.phone_number,
        "blocked": contact.blocked,
        "identifier": contact.identifier,
        "thumbnail": thumbnail,
        "created_at": contact.created_at,
    });
    put(&mut json, "additional_attributes", additional);
    put(&mut json, "custom_attributes", custom);
    if let Some(at) = contact.last_activity_at {
        put(&mut json, "last_activity_at", json!(at));
    }
    json
}

/// The contact as a message's sender and the message listing's `meta`
/// show it.
pub(crate) fn push(contact: &Contact) -> Value {
    let (thumbnail, additional, custom) = drawn(contact);
    let mut json = json!({
        "email": contact.email,
        "id": contact.id,
        "identifier": contact.identifier,
        "name": contact.name,
        "phone_number": contact.phone_number,
        "thumbnail": thumbnail,
        "blocked": contact.blocked,
        "type": "contact",
    });
    put(&mut json, "additional_attributes", additional);
    put(&mut json, "custom_attributes", custom);
    json
}

/// The source id of `contact` in inbox `inbox_id` of `channel`, its
/// contact inbox made on first use.
pub(crate) fn source_id(
    rng: &mut fastrand::Rng,
    contact: &mut Contact,
    inbox_id: i64,
    channel: &str,
) -> String {
    if let Some((_, source)) = contact.inboxes.iter().find(|(id, _)| *id == inbox_id) {
        return source.clone();
    }
    let source = if channel == "Channel::Email" {
        contact
            .email
            .clone()
            .unwrap_or_else(|| format!("email-{}@mail.example.jp", contact.id))
    } else if let Some(phone) = &contact.phone_number {
        phone.trim_start_matches('+').to_string()
    } else {
        text::uuid(rng)
    };
    contact.inboxes.push((inbox_id, source.clone()));
    source
}

/// The contact as a conversation's `meta.sender` shows it: the contact
/// partial with its `type`.
pub(crate) fn sender_json(contact: &Contact) -> Value {
    let mut json = partial(contact);
    put(&mut json, "type", json!("contact"));
    json
}

/// The contact with its contact inboxes, as the contact routes show it.
pub(crate) fn with_inboxes(contact: &Contact, channel_of: impl Fn(i64) -> &'static str) -> Value {
    let mut json = partial(contact);
    let inboxes: Vec<Value> = contact
        .inboxes
        .iter()
        .map(|(id, source)| {
            json!({"source_id": source, "inbox": super::settings::inbox_slim(*id, channel_of(*id))})
        })
        .collect();
    put(&mut json, "contact_inboxes", Value::Array(inboxes));
    json
}
