//! The messages of a generated Chatwoot conversation: which it shows (the
//! newest of any type in `messages`, the newest that is not an activity
//! in `last_non_activity_message`), of one of a few shapes (a contact's
//! question, an agent's reply, a bot menu, an AI note, a call and an
//! activity line), and their JSON with senders and attachments.

use serde_json::{Value, json};

use super::super::Data;
use super::attributes::message_content_attributes;
use super::catalog::{agent_sender, assistant_sender, bot_sender};
use crate::text::{self, pick, put};

/// Who sent a message.
#[derive(Clone, Copy)]
pub(crate) enum Sender {
    Contact,
    Agent(usize),
    Bot(usize),
    Assistant,
    Nobody,
}

/// What a message is: everything but the conversation it belongs to.
pub(crate) struct MessageSpec<'a> {
    pub(crate) id: i64,
    pub(crate) content: Option<&'a str>,
    pub(crate) message_type: i64,
    pub(crate) content_type: &'static str,
    pub(crate) private: bool,
    pub(crate) status: &'static str,
    pub(crate) created_at: i64,
    pub(crate) sender: Sender,
    pub(crate) attachments: bool,
}

/// What the messages of one conversation share.
pub(crate) struct MessageContext<'a> {
    pub(crate) account_id: i64,
    pub(crate) inbox_id: i64,
    pub(crate) conversation_id: i64,
    pub(crate) assignee_id: Option<i64>,
    pub(crate) unread_count: i64,
    pub(crate) last_activity_at: i64,
    pub(crate) source_id: &'a str,
    pub(crate) contact: &'a Value,
    pub(crate) contact_id: i64,
}

/// What a conversation shows of its messages.
pub(crate) struct Shown {
    /// `messages`: the newest message of any type, or none.
    pub(crate) messages: Vec<Value>,
    /// `last_non_activity_message`: the newest that is not an activity,
    /// or null.
    pub(crate) last_non_activity: Value,
    /// The contents of both, lowercased, for `q`.
    pub(crate) contents: Vec<String>,
}

/// The messages a conversation shows; replies come from the agent at
/// `assignee_agent`, menus from the bot at `bot_index`.
pub(crate) fn shown(
    rng: &mut fastrand::Rng,
    data: &mut Data,
    ctx: &MessageContext<'_>,
    assignee_agent: usize,
    bot_index: usize,
) -> Shown {
    let (newest, last_non_activity) =
        latest(rng, data, ctx.last_activity_at, assignee_agent, bot_index);
    let mut contents = Vec::new();
    let mut messages = Vec::new();
    let mut last_non_activity_json = Value::Null;
    if let Some(spec) = &newest {
        if let Some(content) = spec.content {
            contents.push(content.to_lowercase());
        }
        let message = message_json(rng, spec, ctx);
        if spec.message_type != 2 && last_non_activity.is_none() {
            last_non_activity_json = message.clone();
        }
        messages.push(message);
    }
    if let Some(spec) = &last_non_activity {
        if let Some(content) = spec.content {
            contents.push(content.to_lowercase());
        }
        last_non_activity_json = message_json(rng, spec, ctx);
    }
    Shown {
        messages,
        last_non_activity: last_non_activity_json,
        contents,
    }
}

/// The newest message and, when that one is an activity or a private
/// note, the one before it, of a shape drawn at random.
fn latest(
    rng: &mut fastrand::Rng,
    data: &mut Data,
    last_activity_at: i64,
    assignee_agent: usize,
    bot_index: usize,
) -> (Option<MessageSpec<'static>>, Option<MessageSpec<'static>>) {
    fn next_message(data: &mut Data, rng: &mut fastrand::Rng) -> i64 {
        data.next_message_id += rng.i64(10..=40);
        data.next_message_id
    }
    let shape = rng.u8(..10);
    match shape {
        0..=3 => {
            let spec = MessageSpec {
                id: next_message(data, rng),
                content: Some(pick(rng, text::INCOMING)),
                message_type: 0,
                content_type: "text",
                private: false,
                status: "sent",
                created_at: last_activity_at,
                sender: Sender::Contact,
                attachments: rng.u8(..5) == 0,
            };
            (Some(spec), None)
        }
        4 => {
            let activity = MessageSpec {
                id: next_message(data, rng) + 5,
                content: Some(pick(rng, text::ACTIVITY)),
                message_type: 2,
                content_type: "text",
                private: false,
                status: "sent",
                created_at: last_activity_at,
                sender: Sender::Nobody,
                attachments: false,
            };
            let call = MessageSpec {
                id: activity.id - 4,
                content: None,
                message_type: 0,
                content_type: "voice_call",
                private: false,
                status: "delivered",
                created_at: last_activity_at - rng.i64(1..=600),
                sender: Sender::Contact,
                attachments: false,
            };
            (Some(activity), Some(call))
        }
        5..=6 => {
            let spec = MessageSpec {
                id: next_message(data, rng),
                content: Some(pick(rng, text::OUTGOING)),
                message_type: 1,
                content_type: "text",
                private: false,
                status: pick(rng, &["sent", "delivered", "read"]),
                created_at: last_activity_at,
                sender: Sender::Agent(assignee_agent),
                attachments: rng.bool(),
            };
            (Some(spec), None)
        }
        7 => {
            let spec = MessageSpec {
                id: next_message(data, rng),
                content: Some(pick(rng, text::BOT)),
                message_type: 3,
                content_type: "input_select",
                private: false,
                status: if rng.u8(..3) == 0 { "failed" } else { "sent" },
                created_at: last_activity_at,
                sender: Sender::Bot(bot_index),
                attachments: false,
            };
            (Some(spec), None)
        }
        8 => {
            let note = MessageSpec {
                id: next_message(data, rng) + 9,
                content: Some(pick(rng, text::NOTES)),
                message_type: 1,
                content_type: "text",
                private: true,
                status: "sent",
                created_at: last_activity_at,
                sender: Sender::Assistant,
                attachments: false,
            };
            let reply = MessageSpec {
                id: note.id - 9,
                content: Some(pick(rng, text::OUTGOING)),
                message_type: 1,
                content_type: "text",
                private: false,
                status: "read",
                created_at: last_activity_at - rng.i64(1..=900),
                sender: Sender::Agent(assignee_agent),
                attachments: true,
            };
            (Some(note), Some(reply))
        }
        _ => (None, None),
    }
}

/// Who sent a message, as its `sender_type`, `sender_id` and `sender`.
fn sender_parts(
    sender: Sender,
    ctx: &MessageContext<'_>,
) -> (Option<&'static str>, Option<i64>, Option<Value>) {
    let (kind, (id, json)) = match sender {
        Sender::Contact => {
            let mut json = ctx.contact.clone();
            if let Value::Object(map) = &mut json {
                map.remove("created_at");
                map.remove("last_activity_at");
                map.remove("availability_status");
            }
            ("Contact", (ctx.contact_id, json))
        }
        Sender::Agent(index) => ("User", agent_sender(index)),
        Sender::Bot(index) => ("AgentBot", bot_sender(index)),
        Sender::Assistant => ("Captain::Assistant", assistant_sender()),
        Sender::Nobody => return (None, None, None),
    };
    (Some(kind), Some(id), Some(json))
}

/// The JSON of the message `spec` describes.
fn message_json(
    rng: &mut fastrand::Rng,
    spec: &MessageSpec<'_>,
    ctx: &MessageContext<'_>,
) -> Value {
    let (sender_type, sender_id, sender) = sender_parts(spec.sender, ctx);
    let content_attributes = message_content_attributes(rng, spec);
    let source_id = match spec.sender {
        Sender::Contact if rng.bool() => Some(format!("wamid.{}", text::token_chars(rng, 28))),
        _ => None,
    };
    let processed = spec.content.filter(|_| spec.message_type != 2);
    let updated_millis = spec.created_at * 1000 + i64::from(rng.u16(0..2_000));
    let mut json = json!({
        "id": spec.id,
        "content": spec.content,
        "account_id": ctx.account_id,
        "inbox_id": ctx.inbox_id,
        "conversation_id": ctx.conversation_id,
        "message_type": spec.message_type,
        "created_at": spec.created_at,
        "updated_at": text::iso_millis(updated_millis),
        "private": spec.private,
        "status": spec.status,
        "source_id": source_id,
        "content_type": spec.content_type,
        "sender_type": sender_type,
        "sender_id": sender_id,
        "external_source_ids": {},
        "additional_attributes": {},
        "processed_message_content": processed,
        "sentiment": {},
        "conversation": {
            "assignee_id": ctx.assignee_id,
            "unread_count": ctx.unread_count,
            "last_activity_at": ctx.last_activity_at,
            "contact_inbox": {"source_id": ctx.source_id},
        },
    });
    put(&mut json, "content_attributes", content_attributes);
    if let Value::Object(map) = &mut json {
        if spec.attachments {
            let count = rng.usize(1..=3);
            let attachments: Vec<Value> = (0..count)
                .map(|i| attachment_json(rng, spec.id, ctx.account_id, spec.id * 10 + i as i64))
                .collect();
            map.insert("attachments".into(), Value::Array(attachments));
        }
        if let Some(sender) = sender {
            map.insert("sender".into(), sender);
        }
    }
    json
}

/// One attachment of message `message_id`.
fn attachment_json(rng: &mut fastrand::Rng, message_id: i64, account_id: i64, id: i64) -> Value {
    let blob = text::token_chars(rng, 20);
    let base = "https://chat.vietmart.example/rails/active_storage";
    let (file_type, extension, name, size) = pick(
        rng,
        &[
            ("image", None, "don-hang.jpg", 284_113),
            ("file", Some("pdf"), "hoa-don-dien-tu.pdf", 96_530),
            ("audio", Some("ogg"), "ghi-am.ogg", 40_211),
            ("video", Some("mp4"), "ビデオ.mp4", 5_242_880),
        ],
    );
    let image = file_type == "image";
    json!({
        "id": id,
        "message_id": message_id,
        "file_type": file_type,
        "account_id": account_id,
        "extension": extension,
        "data_url": format!("{base}/blobs/redirect/{blob}/{name}"),
        "thumb_url": if image { format!("{base}/representations/redirect/{blob}/{name}") } else { String::new() },
        "file_size": size,
        "width": image.then_some(1080),
        "height": image.then_some(1440),
    })
}
