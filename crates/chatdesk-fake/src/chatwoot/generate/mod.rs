//! The seeded Chatwoot data set: conversations of every status over
//! ninety days, each with its whole message history, its contact (some
//! contacts have several conversations), its assignee and team, built
//! once as the JSON the routes serve. What derives from the history (the
//! embedded newest message, `last_non_activity_message`, the last
//! activity) is put in by [`refresh`], again whenever the history
//! changes. The same seed always gives the same data; the parts are in
//! [`contact`], [`message`], [`catalog`] (the fixed agents, bots, teams,
//! inboxes), [`settings`] (inbox, label and custom attribute listings)
//! and [`attributes`].

use serde_json::{Value, json};

use super::model::{Assignee, Contact, Conversation, ME, PRIORITIES, STATUSES, sort};
use super::{CLOCK_BASE_SECS, Config, Data};
use crate::text::{self, pick, put};

mod attributes;
pub(crate) mod catalog;
pub(crate) mod contact;
pub(crate) mod message;
pub(crate) mod settings;

use attributes::{conversation_additional_attributes, conversation_custom_attributes};
use catalog::{AGENTS, BOTS, INBOXES, Meta, TEAMS, meta_json};
use message::MessageContext;

/// A conversation number above 2^53, given to one conversation of larger
/// data sets so that clients must not read ids as floating point.
const HUGE_ID: i64 = 9_007_199_254_740_993;

/// How big a data set to make.
pub(crate) struct Sizes {
    pub(crate) conversations: usize,
    pub(crate) messages_per_conversation: usize,
    /// Contacts besides those the conversations bring.
    pub(crate) contacts: usize,
    pub(crate) seed: u64,
}

/// The data set `sizes` describe, sorted as the fake keeps it.
pub(crate) fn data_set(config: &Config, sizes: &Sizes) -> Data {
    let count = sizes.conversations;
    let mut rng = fastrand::Rng::with_seed(sizes.seed);
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
        contacts: Vec::with_capacity(count + sizes.contacts),
        rng: fastrand::Rng::with_seed(sizes.seed ^ 0x5eed_c4a7),
        next_id: 1,
        next_message_id: 550_000,
        next_contact_id: 39_000,
        messages_per_conversation: sizes.messages_per_conversation,
    };
    let mut loners = (0..sizes.contacts)
        .map(|_| CLOCK_BASE_SECS - rng.i64(60..90 * 86_400))
        .collect::<Vec<i64>>();
    loners.sort_unstable();
    let mut loners = loners.into_iter().peekable();
    for (index, (created, last)) in times.into_iter().enumerate() {
        // Contacts without a conversation, created in their turn.
        while let Some(at) = loners.next_if(|at| *at <= created) {
            add_contact(&mut rng, &mut data, at, true);
        }
        let id = if Some(index) == huge {
            HUGE_ID
        } else {
            let id = data.next_id;
            data.next_id += 1;
            id
        };
        let new = NewConversation {
            id,
            created_at: created,
            last_activity_at: last,
            fresh: false,
        };
        let conversation = conversation(&mut rng, &mut data, config, &new);
        data.conversations.push(conversation);
    }
    for at in loners {
        add_contact(&mut rng, &mut data, at, true);
    }
    // A contact's last activity is that of its newest conversation, less
    // a little; a quarter of the contacts have none recorded.
    let mut newest: Vec<Option<i64>> = vec![None; data.contacts.len()];
    for c in &data.conversations {
        if let Some(slot) =
            contact_index(&data.contacts, c.contact_id).and_then(|i| newest.get_mut(i))
        {
            *slot = Some(slot.map_or(c.last_activity_at, |n| n.max(c.last_activity_at)));
        }
    }
    for (contact, newest) in data.contacts.iter_mut().zip(newest) {
        contact.last_activity_at = newest
            .filter(|_| rng.u8(..4) != 0)
            .map(|at| at - rng.i64(0..60));
    }
    let Data {
        conversations,
        contacts,
        ..
    } = &mut data;
    for c in conversations.iter_mut() {
        if let Some(contact) = contact_index(contacts, c.contact_id).and_then(|i| contacts.get(i)) {
            refresh(c, contact, config.account_id);
        }
    }
    sort(&mut data.conversations);
    data
}

/// Where contact `id` is in `contacts` (sorted by id).
pub(crate) fn contact_index(contacts: &[Contact], id: i64) -> Option<usize> {
    contacts.binary_search_by_key(&id, |c| c.id).ok()
}

/// A new contact created at `created_at`, added to `data`; its index.
pub(crate) fn add_contact(
    rng: &mut fastrand::Rng,
    data: &mut Data,
    created_at: i64,
    reachable: bool,
) -> usize {
    data.next_contact_id += rng.i64(1..=40);
    let contact = contact::contact(rng, data.next_contact_id, created_at, reachable);
    data.contacts.push(contact);
    data.contacts.len() - 1
}

/// What a new conversation starts from.
pub(crate) struct NewConversation {
    pub(crate) id: i64,
    pub(crate) created_at: i64,
    /// When its newest message is (when it has messages).
    pub(crate) last_activity_at: i64,
    /// Arriving now: open, with at least one message.
    pub(crate) fresh: bool,
}

/// One conversation, with its JSON built but for what [`refresh`] adds.
pub(crate) fn conversation(
    rng: &mut fastrand::Rng,
    data: &mut Data,
    config: &Config,
    new: &NewConversation,
) -> Conversation {
    let NewConversation {
        id,
        created_at,
        fresh,
        ..
    } = *new;
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

    // The contact: an earlier one now and then, else a new one.
    let index = if !data.contacts.is_empty() && rng.u8(..5) == 0 {
        let recent = data.contacts.len().min(40);
        data.contacts.len() - 1 - rng.usize(..recent)
    } else {
        let contact_created = created_at - rng.i64(0..86_400 * 30);
        add_contact(rng, data, contact_created, false)
    };
    let (contact_id, source_id) = match data.contacts.get_mut(index) {
        Some(contact) => (
            contact.id,
            contact::source_id(rng, contact, inbox_id, channel),
        ),
        None => (0, String::new()),
    };

    let reply_agent = match assignee {
        Assignee::User(user) => AGENTS.iter().position(|a| a.0 == user).unwrap_or(0),
        _ => rng.usize(..AGENTS.len()),
    };
    let bot_index = BOTS.iter().position(|b| b.0 == bot.0).unwrap_or(0);
    let per = data.messages_per_conversation;
    let count = if per == 0 || (!fresh && rng.u8(..10) == 0) {
        0
    } else {
        rng.usize(per / 2..=per + per / 2).max(1)
    };
    let messages = message::history(
        rng,
        &mut data.next_message_id,
        created_at,
        new.last_activity_at,
        count,
        reply_agent,
        bot_index,
    );
    let last_activity_at = messages.last().map_or(created_at, |m| m.created_at);
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
    let meta = meta_json(
        rng,
        Meta {
            channel,
            assignee,
            bot,
            team,
            account_id,
        },
    );
    let snoozed_until = (status == "snoozed").then(|| snooze_time(rng, CLOCK_BASE_SECS));
    let seen = |rng: &mut fastrand::Rng| {
        (rng.u8(..3) != 0).then(|| (last_activity_at - rng.i64(0..3_600)) * 1000 + rng.i64(0..1000))
    };
    let agent_seen_millis = seen(rng);
    let assignee_seen_millis = seen(rng);
    let contact_seen = seen(rng);
    let mut json = json!({
        "id": id,
        "account_id": account_id,
        "uuid": text::uuid(rng),
        "agent_last_seen_at": agent_seen_millis.map_or(0, |m| m / 1000),
        "assignee_last_seen_at": assignee_seen_millis.map_or(0, |m| m / 1000),
        "can_reply": channel != "Channel::Email" || rng.bool(),
        "contact_last_seen_at": contact_seen.map_or(0, |m| m / 1000),
        "inbox_id": inbox_id,
        "labels": labels,
        "muted": rng.u8(..15) == 0,
        "created_at": created_at,
        "first_reply_created_at": first_reply,
        "priority": priority.map(|p| PRIORITIES[p]),
    });
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
    put(&mut json, "meta", meta);
    add_sla(rng, &mut json, id, created_at);
    Conversation {
        id,
        status,
        assignee,
        inbox_id,
        team_id: team.map(|t| t.0),
        labels,
        text: String::new(),
        source_id,
        contact_id,
        mentioned,
        priority,
        created_at,
        last_activity_at,
        waiting_since,
        updated_at,
        unread_count,
        snoozed_until,
        agent_seen_millis,
        assignee_seen_millis,
        reply_agent,
        messages,
        json,
    }
}

/// When a conversation snoozed at `now` wakes up: a whole hour, between
/// an hour and a week later, as ISO text.
pub(crate) fn snooze_time(rng: &mut fastrand::Rng, now: i64) -> String {
    let until = now + rng.i64(3_600..7 * 86_400);
    text::iso_millis((until / 3_600 * 3_600) * 1000)
}

/// What the messages of `c` share, its contact showing as `contact`
/// (rendered by [`contact::push`]).
pub(crate) fn message_context<'a>(
    c: &'a Conversation,
    contact: &'a Value,
    account_id: i64,
) -> MessageContext<'a> {
    MessageContext {
        account_id,
        inbox_id: c.inbox_id,
        conversation_id: c.id,
        assignee_id: match c.assignee {
            Assignee::User(user) => Some(user),
            Assignee::Bot => c.json["meta"]["assignee"]["id"].as_i64(),
            Assignee::Nobody => None,
        },
        unread_count: c.unread_count,
        last_activity_at: c.last_activity_at,
        source_id: &c.source_id,
        contact,
        contact_id: c.contact_id,
    }
}

/// Puts into the JSON of `c` what derives from its history and state:
/// the newest message, the last one that is not an activity, the times,
/// the status and the contact.
pub(crate) fn refresh(c: &mut Conversation, contact: &Contact, account_id: i64) {
    let push = contact::push(contact);
    let ctx = message_context(c, &push, account_id);
    let newest = c.newest().map(|m| message::embedded_json(m, &ctx));
    let last_non_activity = c
        .last_non_activity()
        .map_or(Value::Null, |m| message::embedded_json(m, &ctx));
    let mut contents: Vec<String> = Vec::new();
    for m in [c.newest(), c.last_non_activity()].into_iter().flatten() {
        if let Some(content) = m.content {
            contents.push(content.to_lowercase());
        }
    }
    let sender = contact::sender_json(contact);
    c.text = contents.join("\n");
    let json = &mut c.json;
    put(json, "messages", Value::Array(newest.into_iter().collect()));
    put(json, "last_non_activity_message", last_non_activity);
    put(json, "last_activity_at", json!(c.last_activity_at));
    put(json, "timestamp", json!(c.last_activity_at));
    put(json, "updated_at", json!(c.updated_at));
    put(json, "status", json!(c.status));
    put(json, "snoozed_until", json!(c.snoozed_until));
    put(json, "unread_count", json!(c.unread_count));
    put(json, "waiting_since", json!(c.waiting_since));
    if let Some(meta) = json.get_mut("meta") {
        put(meta, "sender", sender);
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
