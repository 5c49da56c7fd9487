//! The messages of a generated ChatbotX contact. A message is stored as
//! its id, time and seed only; its JSON is made from the seed each time it
//! is served, which keeps large data sets small and the answers the same.

use serde_json::{Value, json};

use super::super::model::{Contact, Message, Person};
use super::Generator;
use super::catalog::{USERS, WORKSPACE};
use crate::text::{self, iso_millis, pick, put};

impl Contact {
    /// The JSON of one of the contact's messages.
    pub(crate) fn message_json(&self, message: &Message) -> Value {
        let mut rng = fastrand::Rng::with_seed(message.seed);
        let channel = self.person.inboxes.first().map_or("webchat", |i| i.0);
        message_json(
            &mut rng,
            MessageParts {
                id: message.id,
                at: message.created,
                conversation_id: &self.conversation_id.to_string(),
                contact_inbox_id: &self.contact_inbox_id,
                person: &self.person,
                channel,
                incoming: message.incoming,
            },
        )
    }
}

/// A message from the contact that arrives at `at`, with an id larger
/// than `floor` (every message id so far).
pub(crate) fn incoming_message(g: &mut Generator, at: i64, floor: u64) -> Message {
    Message {
        id: g.snowflake_above(at, floor),
        created: at,
        seed: g.rng.u64(..),
        incoming: true,
    }
}

/// What a message's JSON is built from.
struct MessageParts<'a> {
    id: u64,
    at: i64,
    conversation_id: &'a str,
    contact_inbox_id: &'a str,
    person: &'a Person,
    channel: &'a str,
    /// Forces an incoming text from the contact.
    incoming: bool,
}

/// A message of one of the shapes the server sends: a contact's text,
/// an agent's reply, a bot's buttons or link, an activity line, a
/// location; some with attachments.
fn message_json(rng: &mut fastrand::Rng, parts: MessageParts<'_>) -> Value {
    let MessageParts {
        id,
        at,
        conversation_id,
        contact_inbox_id,
        person,
        channel,
        incoming,
    } = parts;
    let id_text = id.to_string();
    let (message_type, content_type, sender_type, sender_id, text, attributes): (
        &str,
        &str,
        &str,
        Option<String>,
        Option<String>,
        Value,
    ) = match rng.u8(..20) {
        _ if incoming => (
            "incoming",
            "text",
            "contact",
            Some(person.id.clone()),
            Some(pick(rng, text::INCOMING).to_string()),
            Value::Null,
        ),
        0..=7 => (
            "incoming",
            "text",
            "contact",
            Some(person.id.clone()),
            Some(pick(rng, text::INCOMING).to_string()),
            Value::Null,
        ),
        8..=12 => (
            "outgoing",
            "text",
            "user",
            Some(pick(rng, USERS).0.to_string()),
            Some(pick(rng, text::OUTGOING).to_string()),
            json!({"quickReplies": [], "internal": false}),
        ),
        13..=15 => (
            "outgoing",
            "text",
            "bot",
            None,
            Some(pick(rng, text::BOT).to_string()),
            json!({"buttons": [{"type": "postback", "title": "Xem áo dài", "payload": "CAT_AO_DAI"}]}),
        ),
        16 => (
            "outgoing",
            "refLink",
            "bot",
            None,
            Some("ดูโปรโมชั่นเพิ่มเติมได้ที่นี่ 👉".to_string()),
            json!({"refLink": {"ref": "promo-jan", "url": "https://m.me/vietmart.th?ref=promo-jan"}}),
        ),
        17..=18 => (
            "activity",
            "text",
            "system",
            None,
            Some(pick(rng, text::ACTIVITY).to_string()),
            Value::Null,
        ),
        _ => (
            "outgoing",
            "location",
            "api",
            None,
            None,
            json!({"latitude": 13.7563, "longitude": 100.5018, "name": "สยามพารากอน"}),
        ),
    };
    let source_id = match sender_type {
        "contact" | "user" => Some(format!("{channel}:{}", text::token_chars(rng, 24))),
        _ => None,
    };
    let created = iso_millis(at);
    let updated = iso_millis(at + i64::from(rng.u16(0..2_000)));
    let with_attachments = matches!(sender_type, "contact" | "user") && rng.u8(..4) == 0;
    let mut attachments = Vec::new();
    if with_attachments {
        for index in 0..rng.usize(1..=2) {
            attachments.push(attachment_json(rng, id, index, at, conversation_id));
        }
    }
    let mut json = json!({
        "id": id_text,
        "createdAt": created,
        "updatedAt": updated,
        "conversationId": conversation_id,
        "contactInboxId": contact_inbox_id,
        "workspaceId": WORKSPACE,
        "text": text,
        "sourceId": source_id,
        "senderId": sender_id,
        "messageType": message_type,
        "contentType": content_type,
        "senderType": sender_type,
        "messageCreatedAt": if rng.u8(..5) == 0 { Value::Null } else { json!(iso_millis(at - i64::from(rng.u16(0..1_500)))) },
    });
    put(&mut json, "contentAttributes", attributes);
    put(&mut json, "attachments", Value::Array(attachments));
    json
}

/// Attachment `index` of message `message_id`.
fn attachment_json(
    rng: &mut fastrand::Rng,
    message_id: u64,
    index: usize,
    at: i64,
    conversation_id: &str,
) -> Value {
    let (file_type, mime, name, size, dimensions) = pick(
        rng,
        &[
            (
                "image",
                "image/jpeg",
                "áo-dài-đỏ.jpg",
                218_734u64,
                Some((1080, 1350)),
            ),
            ("audio", "audio/aac", "ghi âm 0:07.aac", 31_877, None),
            (
                "file",
                "application/pdf",
                "Bảng size áo dài 2026.pdf",
                0,
                None,
            ),
            (
                "video",
                "video/mp4",
                "thử đồ.mp4",
                5_242_880,
                Some((720, 1280)),
            ),
            (
                "gif",
                "image/gif",
                "chào-mừng.gif",
                734_003,
                Some((480, 270)),
            ),
        ],
    );
    let key = text::token_chars(rng, 10);
    let origin = format!("workspaces/7/attachments/2026/01/{key}/{name}");
    json!({
        "id": (message_id + 256 + index as u64).to_string(),
        "createdAt": iso_millis(at - 100),
        "updatedAt": iso_millis(at),
        "sourceId": if file_type == "file" { Value::Null } else { json!(format!("src-{key}")) },
        "mimeType": mime,
        "width": dimensions.map(|d| d.0),
        "height": dimensions.map(|d| d.1),
        "size": size,
        "thumbnailPath": dimensions.map(|_| format!("workspaces/7/attachments/2026/01/{key}/thumb.jpg")),
        "originPath": origin,
        "name": name,
        "workspaceId": WORKSPACE,
        "conversationId": conversation_id,
        "messageId": message_id.to_string(),
        "url": format!("{}/{origin}", crate::chatbotx::STORAGE_BASE),
        "fileType": file_type,
    })
}
