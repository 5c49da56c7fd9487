//! The seeded Chatwoot data set: conversations of every status over
//! ninety days, each with its contact, its latest messages, its assignee
//! and team, built once as the JSON the listing serves. The same seed
//! always gives the same data; the parts are in [`contact`], [`message`],
//! [`catalog`] (the fixed agents, bots, teams, inboxes) and
//! [`attributes`].

use serde_json::{Value, json};

use super::model::{Assignee, Conversation, ME, PRIORITIES, sort};
use super::{CLOCK_BASE_SECS, Config, Data};
use crate::text::{self, pick, put};

mod attributes;
mod catalog;
mod contact;
mod message;

use attributes::{conversation_additional_attributes, conversation_custom_attributes};
use catalog::{AGENTS, BOTS, INBOXES, Meta, TEAMS, meta_json};
use message::MessageContext;

/// A conversation number above 2^53, given to one conversation of larger
/// data sets so that clients must not read ids as floating point.
const HUGE_ID: i64 = 9_007_199_254_740_993;

/// The statuses a conversation can have.
const STATUSES: &[&str] = &["open", "resolved", "pending", "snoozed"];

/// `count` conversations from `seed`, sorted as the fake keeps them.
pub(crate) fn data_set(config: &Config, count: usize, seed: u64) -> Data {
    let mut rng = fastrand::Rng::with_seed(seed);
    // Creation and activity times, then ids in creation order.
    let mut times: Vec<(i64, i64)> = (0..count)
        .map(|_| {
            let age = rng.i64(60..90 * 86_400);
            let created = CLOCK_BASE_SECS - age;
            let last = created + rng.i64(0..=age.min(20 * 86_400));
            (created, last.min(CLOCK_BASE_SECS - 1))
        })
        .collect();
    times.sort_by_key(|(created, _)| *created);
    let huge = (count >= 50).then_some(count / 2);
    let mut data = Data {
        conversations: Vec::with_capacity(count),
        rng: fastrand::Rng::with_seed(seed ^ 0x5eed_c4a7),
        next_id: 1,
        next_message_id: 550_000,
        next_contact_id: 39_000,
    };
    for (index, (created, last)) in times.into_iter().enumerate() {
        let id = if Some(index) == huge {
            HUGE_ID
        } else {
            let id = data.next_id;
            data.next_id += 1;
            id
        };
        let conversation = conversation(&mut rng, &mut data, config, id, created, last, false);
        data.conversations.push(conversation);
    }
    sort(&mut data.conversations);
    data
}

/// One conversation, with its JSON built once.
pub(crate) fn conversation(
    rng: &mut fastrand::Rng,
    data: &mut Data,
    config: &Config,
    id: i64,
    created_at: i64,
    last_activity_at: i64,
    fresh: bool,
) -> Conversation {
    let account_id = config.account_id;
    let (inbox_id, channel) = pick(rng, INBOXES);
    let status = if fresh {
        "open"
    } else {
        // Open most often, as on a real inbox.
        match rng.u8(..10) {
            0..=4 => "open",
            5..=6 => "resolved",
            7..=8 => "pending",
            _ => "snoozed",
        }
    };
    debug_assert!(STATUSES.contains(&status));
    let assignee = match rng.u8(..10) {
        0..=2 => Assignee::User(ME),
        3..=5 => Assignee::User(AGENTS[rng.usize(1..AGENTS.len())].0),
        6 => Assignee::Bot,
        _ => Assignee::Nobody,
    };
    let bot = pick(rng, BOTS);
    let team = (rng.u8(..10) < 4).then(|| pick(rng, TEAMS));
    let mut labels: Vec<&'static str> = Vec::new();
    for _ in 0..rng.usize(..=3) {
        let label = pick(rng, text::LABELS);
        if !labels.contains(&label) {
            labels.push(label);
        }
    }
    let priority = (rng.u8(..10) < 6).then(|| rng.usize(..PRIORITIES.len()));
    let mentioned = rng.u8(..20) == 0;
    let unread_count = if rng.bool() { 0 } else { rng.i64(1..=10) };
    let waiting_since = if rng.u8(..3) == 0 {
        created_at + rng.i64(0..=(last_activity_at - created_at).max(0))
    } else {
        0
    };
    let first_reply = if rng.u8(..4) == 0 {
        0
    } else {
        created_at + rng.i64(1..=300)
    };
    let fraction = f64::from(rng.u32(0..1_000_000)) / 1_000_000.0;
    let updated_at = last_activity_at as f64 + fraction;

    let contact = contact::contact(rng, data, channel, created_at, last_activity_at);
    let assignee_agent = match assignee {
        Assignee::User(user) => AGENTS.iter().position(|a| a.0 == user).unwrap_or(0),
        _ => rng.usize(..AGENTS.len()),
    };
    let bot_index = BOTS.iter().position(|b| b.0 == bot.0).unwrap_or(0);
    let ctx = MessageContext {
        account_id,
        inbox_id,
        conversation_id: id,
        assignee_id: match assignee {
            Assignee::User(user) => Some(user),
            Assignee::Bot => Some(bot.0),
            Assignee::Nobody => None,
        },
        unread_count,
        last_activity_at,
        source_id: &contact.source_id,
        contact: &contact.json,
        contact_id: contact.id,
    };
    let shown = message::shown(rng, data, &ctx, assignee_agent, bot_index);
    let meta = meta_json(
        rng,
        Meta {
            channel,
            sender: contact.json,
            assignee,
            bot,
            team,
            account_id,
        },
    );

    let snoozed_until = (status == "snoozed").then(|| {
        let until = CLOCK_BASE_SECS + rng.i64(3_600..7 * 86_400);
        text::iso_millis((until / 3_600 * 3_600) * 1000)
    });
    let seen = |rng: &mut fastrand::Rng| {
        if rng.u8(..3) == 0 {
            0
        } else {
            last_activity_at - rng.i64(0..3_600)
        }
    };
    let mut json = json!({
        "id": id,
        "account_id": account_id,
        "uuid": text::uuid(rng),
        "agent_last_seen_at": seen(rng),
        "assignee_last_seen_at": seen(rng),
        "can_reply": channel != "Channel::Email" || rng.bool(),
        "contact_last_seen_at": seen(rng),
        "inbox_id": inbox_id,
        "labels": labels,
        "muted": rng.u8(..15) == 0,
        "snoozed_until": snoozed_until,
        "status": status,
        "created_at": created_at,
        "updated_at": updated_at,
        "timestamp": last_activity_at,
        "first_reply_created_at": first_reply,
        "unread_count": unread_count,
        "last_activity_at": last_activity_at,
        "priority": priority.map(|p| PRIORITIES[p]),
        "waiting_since": waiting_since,
    });
    put(&mut json, "messages", Value::Array(shown.messages));
    put(
        &mut json,
        "additional_attributes",
        conversation_additional_attributes(rng, channel),
    );
    put(
        &mut json,
        "custom_attributes",
        conversation_custom_attributes(rng),
    );
    put(
        &mut json,
        "last_non_activity_message",
        shown.last_non_activity,
    );
    put(&mut json, "meta", meta);
    add_sla(rng, &mut json, id, created_at);
    Conversation {
        id,
        status,
        assignee,
        inbox_id,
        team_id: team.map(|t| t.0),
        labels,
        text: shown.contents.join("\n"),
        source_id: contact.source_id,
        mentioned,
        priority,
        created_at,
        last_activity_at,
        waiting_since,
        updated_at,
        json,
    }
}

/// The Enterprise SLA keys, on some conversations only.
fn add_sla(rng: &mut fastrand::Rng, json: &mut Value, id: i64, created_at: i64) {
    if rng.u8(..5) == 0
        && let Value::Object(map) = json
    {
        let sla_id = rng.i64(1..=3);
        map.insert("sla_policy_id".into(), json!(sla_id));
        map.insert(
            "applied_sla".into(),
            json!({
                "id": 300 + id % 1000,
                "sla_id": sla_id,
                "sla_status": pick(rng, &["active", "hit", "missed", "active_with_misses"]),
                "created_at": created_at + 1,
                "updated_at": created_at + 215,
                "sla_name": "VIP – phản hồi trong 15 phút",
                "sla_description": null,
                "sla_first_response_time_threshold": 900.0,
                "sla_next_response_time_threshold": 1800.0,
                "sla_only_during_business_hours": false,
                "sla_resolution_time_threshold": 86400.0,
            }),
        );
        let events: Vec<Value> = ["frt", "nrt", "rt"]
                .iter()
                .take(rng.usize(..=3))
                .enumerate()
                .map(|(i, kind)| {
                    let at = created_at + 900 * (i as i64 + 1);
                    json!({"id": 1400 + id % 1000 * 3 + i as i64, "event_type": kind, "meta": {}, "created_at": at, "updated_at": at})
                })
                .collect();
        map.insert("sla_events".into(), Value::Array(events));
    }
}
