//! A generated ChatbotX conversation of a contact: its state (bot,
//! assignee, team, read and reply times, archived or not) and its JSON as
//! the conversation listing shows it, with the contact's newest message
//! on the contact's own conversation, which the contact listing shows
//! too.

use std::sync::Arc;

use serde_json::{Value, json};

use super::super::CLOCK_BASE_MILLIS;
use super::super::model::{Contact, Conversation};
use super::Generator;
use super::catalog::{INBOXES, TEAMS, USERS, WORKSPACE, inbox_json, team_json, user_json};
use crate::text::{iso_millis, pick, put};

/// A conversation of `contact`; the primary one carries the contact's
/// messages and is shown on the contact listing.
pub(crate) fn make_conversation(
    g: &mut Generator,
    contact: &mut Contact,
    primary: bool,
    archived: bool,
    last: Option<i64>,
) -> Conversation {
    let created = contact.created + g.rng.i64(100..2_000);
    let id = if !primary {
        g.snowflake(created)
    } else if contact.person.id.len() < 10 {
        // Old rows: a short conversation id too (if still free).
        let short = contact.person.id.parse::<u64>().unwrap_or(0) + 15;
        let short = g.short_or_snowflake(short, created);
        contact.conversation_id = short;
        short
    } else {
        contact.conversation_id
    };
    // The newest message, on the contact's own conversation only.
    let newest_message: Option<(u64, i64, Value)> = contact
        .messages
        .first()
        .filter(|_| primary)
        .map(|m| (m.id, m.created, contact.message_json(m)));
    let last = last.unwrap_or_else(|| match &newest_message {
        Some((_, at, _)) => *at,
        None => created + g.rng.i64(0..=(CLOCK_BASE_MILLIS - created).max(0)),
    });
    let rng = &mut g.rng;
    let person = Arc::clone(&contact.person);
    let channel = person.inboxes.first().map_or("webchat", |i| i.0);
    let bot_enabled = rng.u8(..20) < 7;
    let followed = rng.u8(..5) == 0;
    let assigned_user = (rng.u8(..10) < 6).then(|| pick(rng, USERS).0);
    let team = (rng.u8(..10) < 4).then(|| pick(rng, TEAMS));
    let contact_replied = last - rng.i64(0..120_000);
    let admin_replied = match rng.u8(..3) {
        0 => None,
        1 => Some(contact_replied - rng.i64(1..600_000)),
        _ => Some(last.max(contact_replied + 1)),
    };
    let no_admin_reply = admin_replied.is_none_or(|a| a < contact_replied);
    let agent_read = match rng.u8(..5) {
        0 => None,
        1 | 2 => Some(last - rng.i64(1..3_600_000)),
        _ => Some(last + rng.i64(0..60_000)),
    };
    let unread = agent_read.is_none_or(|r| r < last);
    let archived_at = archived.then(|| iso_millis(last + rng.i64(60_000..86_400_000)));
    let additional = match rng.u8(..3) {
        0 => Value::Null,
        1 => json!({}),
        _ => {
            json!({"entryPoint": format!("{channel}_oa"), "utm": {"source": channel, "campaign": "tet-2026"}, "firstOrder": rng.bool(), "cartValue": rng.u32(50_000..2_000_000)})
        }
    };
    let user = assigned_user.and_then(user_json);
    let team_value = team.map(team_json);
    let id_text = id.to_string();
    let mut base = json!({
        "id": id_text,
        "createdAt": iso_millis(created),
        "updatedAt": iso_millis(last),
        "botEnabled": bot_enabled,
        "botResumeAt": (!bot_enabled && rng.bool()).then(|| iso_millis(last + 3_600_000)),
        "archivedAt": archived_at,
        "contactLastReadAt": (rng.u8(..4) != 0).then(|| iso_millis(last + rng.i64(0..10_000))),
        "agentLastReadAt": agent_read.map(iso_millis),
        "lastActivityAt": iso_millis(last),
        "followed": followed,
        "workspaceId": WORKSPACE,
        "contactId": person.id,
        "adminRepliedAt": admin_replied.map(iso_millis),
        "contactRepliedAt": iso_millis(contact_replied),
        "aiContextLastMessageId": newest_message.as_ref().filter(|_| rng.bool()).map(|m| m.0.to_string()),
        "assignedUserId": assigned_user,
        "assignedInboxTeamId": team.map(|t| t.0),
    });
    put(&mut base, "additionalAttributes", additional);
    put(&mut base, "assignedUser", user.unwrap_or(Value::Null));
    put(
        &mut base,
        "assignedInboxTeam",
        team_value.unwrap_or(Value::Null),
    );
    let on_contact = primary.then(|| base.clone());
    let mut listing = base;
    put(
        &mut listing,
        "contactInboxes",
        contact.inboxes_plain.clone(),
    );
    let messages: Vec<Value> = newest_message.map(|m| m.2).into_iter().collect();
    put(&mut listing, "messages", Value::Array(messages));
    put(&mut listing, "contact", contact.json.clone());
    if let Some(mut on_contact) = on_contact {
        if let Some(inbox) = INBOXES.iter().find(|i| i.2 == channel) {
            put(&mut on_contact, "inbox", inbox_json(inbox));
        }
        contact.conversation = on_contact;
    }
    Conversation {
        id,
        last,
        person,
        channel,
        bot_enabled,
        assigned_user,
        assigned_team: team.map(|t| t.0),
        archived,
        followed,
        unread,
        no_admin_reply,
        json: listing,
    }
}
