//! The messages of a generated Chatwoot conversation: its whole history,
//! oldest first (a contact's questions, agents' replies, bot menus,
//! private notes, calls and activity lines), and the two JSON shapes a
//! message is served in: the one a conversation embeds and the one of
//! the message listing. The random parts of a message's JSON come from
//! its own seed, so both shapes show the same attachments and ids.

use serde_json::{Value, json};

use super::super::model::{ACTIVITY, INCOMING, Message, OUTGOING, Sender, TEMPLATE};
use super::attributes::message_content_attributes;
use super::catalog::{agent_sender, assistant_sender, bot_sender};
use crate::text::{self, pick, put};

/// What the messages of one conversation share.
pub(crate) struct MessageContext<'a> {
    pub(crate) account_id: i64,
    pub(crate) inbox_id: i64,
    pub(crate) conversation_id: i64,
    /// The assignee's id: a user's or a bot's.
    pub(crate) assignee_id: Option<i64>,
    pub(crate) unread_count: i64,
    pub(crate) last_activity_at: i64,
    pub(crate) source_id: &'a str,
    /// The contact as a message's sender.
    pub(crate) contact: &'a Value,
    pub(crate) contact_id: i64,
}

/// A message with everything but its id and seed.
#[allow(clippy::too_many_arguments)]
fn message(
    content: Option<&'static str>,
    message_type: i64,
    content_type: &'static str,
    private: bool,
    status: &'static str,
    created_at: i64,
    sender: Sender,
    attachments: bool,
) -> Message {
    Message {
        id: 0,
        content,
        message_type,
        content_type,
        private,
        status,
        created_at,
        sender,
        attachments,
        seed: 0,
    }
}

/// The history of a conversation created at `created_at` whose newest
/// message is at `last_activity_at`: `count` messages (at least the one
/// or two of the newest shape), oldest first, ids from `next_id` on.
/// Replies come from the agent at `agent`, menus from the bot at `bot`.
#[allow(clippy::too_many_arguments)]
pub(crate) fn history(
    rng: &mut fastrand::Rng,
    next_id: &mut i64,
    created_at: i64,
    last_activity_at: i64,
    count: usize,
    agent: usize,
    bot: usize,
) -> Vec<Message> {
    if count == 0 {
        return Vec::new();
    }
    let mut tail = newest(rng, last_activity_at, agent, bot);
    for m in &mut tail {
        m.created_at = m.created_at.max(created_at);
    }
    let first_tail = tail
        .iter()
        .map(|m| m.created_at)
        .min()
        .unwrap_or(last_activity_at);
    let older = count.saturating_sub(tail.len());
    let mut times: Vec<i64> = (0..older)
        .map(|_| created_at + rng.i64(0..=(first_tail - created_at).max(0)))
        .collect();
    times.sort_unstable();
    let mut messages: Vec<Message> = Vec::with_capacity(older + tail.len());
    messages.extend(
        times
            .into_iter()
            .enumerate()
            .map(|(index, at)| earlier(rng, index, at, agent, bot)),
    );
    messages.extend(tail);
    messages.sort_by_key(|m| m.created_at);
    for m in &mut messages {
        *next_id += rng.i64(1..=12);
        m.id = *next_id;
        m.seed = rng.u64(..);
    }
    messages
}

/// A message before the newest ones: the contact opens, then questions,
/// replies, notes, menus and activity lines.
fn earlier(rng: &mut fastrand::Rng, index: usize, at: i64, agent: usize, bot: usize) -> Message {
    let roll = if index == 0 { 0 } else { rng.u8(..20) };
    match roll {
        0..=7 => message(
            Some(pick(rng, text::INCOMING)),
            INCOMING,
            "text",
            false,
            "sent",
            at,
            Sender::Contact,
            rng.u8(..6) == 0,
        ),
        8..=14 => message(
            Some(pick(rng, text::OUTGOING)),
            OUTGOING,
            "text",
            false,
            pick(rng, &["sent", "delivered", "read"]),
            at,
            Sender::Agent(agent),
            rng.u8(..4) == 0,
        ),
        15..=16 => message(
            Some(pick(rng, text::ACTIVITY)),
            ACTIVITY,
            "text",
            false,
            "sent",
            at,
            Sender::Nobody,
            false,
        ),
        17..=18 => message(
            Some(pick(rng, text::NOTES)),
            OUTGOING,
            "text",
            true,
            "sent",
            at,
            Sender::Agent(agent),
            false,
        ),
        _ => message(
            Some(pick(rng, text::BOT)),
            TEMPLATE,
            "input_select",
            false,
            "sent",
            at,
            Sender::Bot(bot),
            false,
        ),
    }
}

/// The newest message and, when that one is an activity or a private
/// note, the one before it, of a shape drawn at random.
fn newest(rng: &mut fastrand::Rng, at: i64, agent: usize, bot: usize) -> Vec<Message> {
    match rng.u8(..9) {
        0..=3 => vec![message(
            Some(pick(rng, text::INCOMING)),
            INCOMING,
            "text",
            false,
            "sent",
            at,
            Sender::Contact,
            rng.u8(..5) == 0,
        )],
        4 => {
            let call = message(
                None,
                INCOMING,
                "voice_call",
                false,
                "delivered",
                at - rng.i64(1..=600),
                Sender::Contact,
                false,
            );
            let activity = message(
                Some(pick(rng, text::ACTIVITY)),
                ACTIVITY,
                "text",
                false,
                "sent",
                at,
                Sender::Nobody,
                false,
            );
            vec![call, activity]
        }
        5..=6 => vec![message(
            Some(pick(rng, text::OUTGOING)),
            OUTGOING,
            "text",
            false,
            pick(rng, &["sent", "delivered", "read"]),
            at,
            Sender::Agent(agent),
            rng.bool(),
        )],
        7 => {
            let status = if rng.u8(..3) == 0 { "failed" } else { "sent" };
            vec![message(
                Some(pick(rng, text::BOT)),
                TEMPLATE,
                "input_select",
                false,
                status,
                at,
                Sender::Bot(bot),
                false,
            )]
        }
        _ => {
            let reply = message(
                Some(pick(rng, text::OUTGOING)),
                OUTGOING,
                "text",
                false,
                "read",
                at - rng.i64(1..=900),
                Sender::Agent(agent),
                true,
            );
            let note = message(
                Some(pick(rng, text::NOTES)),
                OUTGOING,
                "text",
                true,
                "sent",
                at,
                Sender::Assistant,
                false,
            );
            vec![reply, note]
        }
    }
}

/// A message arriving now: from the contact, or an activity line.
pub(crate) fn arriving(
    rng: &mut fastrand::Rng,
    id: i64,
    at: i64,
    incoming: bool,
    activity: &'static str,
) -> Message {
    let mut m = if incoming {
        message(
            Some(pick(rng, text::INCOMING)),
            INCOMING,
            "text",
            false,
            "sent",
            at,
            Sender::Contact,
            false,
        )
    } else {
        message(
            Some(activity),
            ACTIVITY,
            "text",
            false,
            "sent",
            at,
            Sender::Nobody,
            false,
        )
    };
    m.id = id;
    m.seed = rng.u64(..);
    m
}

/// Who sent a message, as its `sender_type`, `sender_id` and `sender`.
fn sender_parts(
    sender: Sender,
    ctx: &MessageContext<'_>,
) -> (Option<&'static str>, Option<i64>, Option<Value>) {
    let (kind, (id, json)) = match sender {
        Sender::Contact => ("Contact", (ctx.contact_id, ctx.contact.clone())),
        Sender::Agent(index) => ("User", agent_sender(index)),
        Sender::Bot(index) => ("AgentBot", bot_sender(index)),
        Sender::Assistant => ("Captain::Assistant", assistant_sender()),
        Sender::Nobody => return (None, None, None),
    };
    (Some(kind), Some(id), Some(json))
}

/// The random parts of a message's JSON, from its seed.
struct Details {
    source_id: Option<String>,
    content_attributes: Value,
    updated_millis: i64,
    attachments: Option<Value>,
}

fn details(m: &Message, account_id: i64) -> Details {
    let mut rng = fastrand::Rng::with_seed(m.seed);
    let content_attributes = message_content_attributes(&mut rng, m);
    let source_id = match m.sender {
        Sender::Contact if rng.bool() => Some(format!("wamid.{}", text::token_chars(&mut rng, 28))),
        _ => None,
    };
    let updated_millis = m.created_at * 1000 + i64::from(rng.u16(0..2_000));
    let attachments = m.attachments.then(|| {
        let count = rng.usize(1..=3);
        Value::Array(
            (0..count)
                .map(|i| attachment_json(&mut rng, m.id, account_id, m.id * 10 + i as i64))
                .collect(),
        )
    });
    Details {
        source_id,
        content_attributes,
        updated_millis,
        attachments,
    }
}

/// A message as a conversation embeds it (`messages`,
/// `last_non_activity_message`).
pub(crate) fn embedded_json(m: &Message, ctx: &MessageContext<'_>) -> Value {
    let (sender_type, sender_id, sender) = sender_parts(m.sender, ctx);
    let details = details(m, ctx.account_id);
    let processed = m.content.filter(|_| m.message_type != ACTIVITY);
    let mut json = json!({
        "id": m.id,
        "content": m.content,
        "account_id": ctx.account_id,
        "inbox_id": ctx.inbox_id,
        "conversation_id": ctx.conversation_id,
        "message_type": m.message_type,
        "created_at": m.created_at,
        "updated_at": text::iso_millis(details.updated_millis),
        "private": m.private,
        "status": m.status,
        "source_id": details.source_id,
        "content_type": m.content_type,
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
    put(&mut json, "content_attributes", details.content_attributes);
    if let Some(attachments) = details.attachments {
        put(&mut json, "attachments", attachments);
    }
    if let Some(sender) = sender {
        put(&mut json, "sender", sender);
    }
    json
}

/// A message as the message listing shows it: no account, sender type or
/// update time; `sender` and `attachments` only when there are some.
pub(crate) fn index_json(m: &Message, ctx: &MessageContext<'_>) -> Value {
    let (_, _, sender) = sender_parts(m.sender, ctx);
    let details = details(m, ctx.account_id);
    let mut json = json!({
        "id": m.id,
        "content": m.content,
        "inbox_id": ctx.inbox_id,
        "conversation_id": ctx.conversation_id,
        "message_type": m.message_type,
        "content_type": m.content_type,
        "status": m.status,
        "created_at": m.created_at,
        "private": m.private,
        "source_id": details.source_id,
    });
    put(&mut json, "content_attributes", details.content_attributes);
    if let Some(sender) = sender {
        put(&mut json, "sender", sender);
    }
    if let Some(attachments) = details.attachments {
        put(&mut json, "attachments", attachments);
    }
    json
}

/// One attachment of message `message_id`.
fn attachment_json(rng: &mut fastrand::Rng, message_id: i64, account_id: i64, id: i64) -> Value {
    let blob = text::token_chars(rng, 20);
    let base = crate::chatwoot::STORAGE_BASE;
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
