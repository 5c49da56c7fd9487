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
    let thumbnail = if rng.bool() {
        format!(
            "https://chat.vietmart.example/rails/active_storage/representations/redirect/{}/avatar.jpg",
            text::token_chars(rng, 24)
        )
    } else {
        String::new()
    };
    let mut labels = Vec::new();
    if rng.u8(..3) == 0 {
        labels.push(pick(rng, text::LABELS));
    }
    let mut additional =
        json!({"city": city, "country": country_name(country_code), "country_code": country_code});
    if let Some(company) = company {
        put(&mut additional, "company_name", json!(company));
    }
    let blocked = rng.u8(..30) == 0;
    let custom = contact_custom_attributes(rng);
    let mut push = json!({
        "email": email,
        "id": id,
        "identifier": identifier,
        "name": name,
        "phone_number": phone_number,
        "thumbnail": thumbnail,
        "blocked": blocked,
        "type": "contact",
    });
    put(&mut push, "additional_attributes", additional.clone());
    put(&mut push, "custom_attributes", custom.clone());
    let mut partial = json!({
        "availability_status": "offline",
        "email": email,
        "id": id,
        "name": name,
        "phone_number": phone_number,
        "blocked": blocked,
        "identifier": identifier,
        "thumbnail": thumbnail,
        "created_at": created_at,
    });
    put(&mut partial, "additional_attributes", additional);
    put(&mut partial, "custom_attributes", custom);
    Contact {
        id,
        name,
        email,
        phone_number,
        identifier,
        created_at,
        last_activity_at: None,
        city,
        country: country_name(country_code),
        company,
        labels,
        inboxes: Vec::new(),
        partial,
        push,
    }
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
    let mut json = contact.json();
    put(&mut json, "type", json!("contact"));
    json
}

/// The contact with its contact inboxes, as the contact routes show it.
pub(crate) fn with_inboxes(contact: &Contact, channel_of: impl Fn(i64) -> &'static str) -> Value {
    let mut json = contact.json();
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
