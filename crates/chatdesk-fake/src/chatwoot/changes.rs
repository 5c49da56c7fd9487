//! What the public API does to the Chatwoot data while the fake runs,
//! each change kept consistent the way the server keeps it: a message
//! (incoming, or the activity line a status change or other activity
//! writes) gets the next id and touches its conversation (last activity
//! and update time), an incoming message reopens a resolved or snoozed
//! conversation and is its contact's latest activity, and new
//! conversations and contacts get the next ids.

use super::generate::{self, NewConversation, message};
use super::model::{Conversation, INCOMING, STATUSES, sort};
use super::{Data, Fake};
use crate::server::write;
use crate::text;

/// The activity line a change of status writes.
fn status_line(status: &str) -> &'static str {
    match status {
        "open" => "Conversation was reopened by Hương CSKH",
        "resolved" => "Conversation was marked resolved by Hương CSKH",
        "pending" => "Conversation was marked as pending by Hương CSKH",
        _ => "Conversation was snoozed by Hương CSKH",
    }
}

/// What a new message is.
enum Arrival {
    /// From the contact.
    Incoming,
    /// An activity line.
    Activity(&'static str),
}

impl Data {
    /// The time of the next change: now, or just after the newest
    /// activity if that is later, so that the changed conversation lists
    /// first.
    fn next_time(&self, now_secs: i64) -> i64 {
        let top = self
            .conversations
            .iter()
            .map(|c| c.last_activity_at)
            .max()
            .unwrap_or(0);
        now_secs.max(top + 1)
    }

    /// Adds a message to conversation `id` and touches it; returns the new
    /// message's id.
    fn append(&mut self, id: i64, arrival: Arrival, now_secs: i64, account_id: i64) -> Option<i64> {
        let at = self.next_time(now_secs);
        let index = self.conversations.iter().position(|c| c.id == id)?;
        self.next_message_id += self.rng.i64(1..=12);
        let message_id = self.next_message_id;
        let fraction = f64::from(self.rng.u32(0..1_000_000)) / 1_000_000.0;
        let (incoming, line) = match arrival {
            Arrival::Incoming => (true, ""),
            Arrival::Activity(line) => (false, line),
        };
        let message = message::arriving(&mut self.rng, message_id, at, incoming, line);
        let contact_id = {
            let c = self.conversations.get_mut(index)?;
            if message.message_type == INCOMING {
                if matches!(c.status, "resolved" | "snoozed") {
                    c.status = "open";
                    c.snoozed_until = None;
                }
                if c.waiting_since == 0 {
                    c.waiting_since = at;
                }
                c.unread_count += 1;
            }
            c.messages.push(message);
            c.last_activity_at = at;
            c.updated_at = at as f64 + fraction;
            c.contact_id
        };
        if incoming
            && let Some(i) = generate::contact_index(&self.contacts, contact_id)
            && let Some(contact) = self.contacts.get_mut(i)
        {
            contact.last_activity_at = Some(at);
            // Every conversation of the contact shows it.
            self.refresh_where(|c| c.contact_id == contact_id, account_id);
        } else {
            self.refresh_where(|c| c.id == id, account_id);
        }
        sort(&mut self.conversations);
        Some(message_id)
    }

    /// Rebuilds the derived JSON of the conversations `which` picks.
    fn refresh_where(&mut self, which: impl Fn(&Conversation) -> bool, account_id: i64) {
        let Data {
            conversations,
            contacts,
            ..
        } = self;
        for c in conversations.iter_mut().filter(|c| which(c)) {
            if let Some(contact) =
                generate::contact_index(contacts, c.contact_id).and_then(|i| contacts.get(i))
            {
                generate::refresh(c, contact, account_id);
            }
        }
    }
}

impl Fake {
    /// New open conversations, each with a message newer than any other.
    pub(crate) fn add_at_top(&self, count: usize, now_secs: i64) {
        let mut guard = write(&self.data);
        let data = &mut *guard;
        let mut rng = fastrand::Rng::with_seed(data.rng.u64(..));
        let mut last = data.next_time(now_secs) - 1;
        for _ in 0..count {
            last += 1;
            let id = data.next_id;
            data.next_id += 1;
            let new = NewConversation {
                id,
                created_at: last - 30,
                last_activity_at: last,
                fresh: true,
            };
            let mut conversation = generate::conversation(&mut rng, data, &self.config, &new);
            conversation.last_activity_at = last;
            if let Some(contact) = data.contact(conversation.contact_id) {
                generate::refresh(&mut conversation, contact, self.config.account_id);
            }
            data.conversations.push(conversation);
        }
        sort(&mut data.conversations);
    }

    /// Activity on conversation `id`: an activity line newer than any
    /// other message.
    pub(crate) fn touch(&self, id: &str, now_secs: i64) {
        let Ok(id) = id.trim().parse::<i64>() else {
            return;
        };
        let mut data = write(&self.data);
        let line = text::pick(&mut data.rng, text::ACTIVITY);
        data.append(
            id,
            Arrival::Activity(line),
            now_secs,
            self.config.account_id,
        );
    }

    /// A new incoming message in conversation `id`; its id.
    pub(crate) fn add_message(&self, id: &str, now_secs: i64) -> Option<String> {
        let id = id.trim().parse::<i64>().ok()?;
        let mut data = write(&self.data);
        data.append(id, Arrival::Incoming, now_secs, self.config.account_id)
            .map(|m| m.to_string())
    }

    /// Conversation `id` gets `status`, with the activity line the server
    /// writes; `false` for an unknown conversation or status. The same
    /// status again changes nothing.
    pub(crate) fn set_status(&self, id: &str, status: &str, now_secs: i64) -> bool {
        let Some(status) = STATUSES.iter().copied().find(|s| *s == status) else {
            return false;
        };
        let Ok(id) = id.trim().parse::<i64>() else {
            return false;
        };
        let mut data = write(&self.data);
        let at = data.next_time(now_secs);
        let snooze = generate::snooze_time(&mut data.rng, at);
        let Some(c) = data.conversations.iter_mut().find(|c| c.id == id) else {
            return false;
        };
        if c.status == status {
            return true;
        }
        c.status = status;
        c.snoozed_until = (status == "snoozed").then_some(snooze);
        data.append(
            id,
            Arrival::Activity(status_line(status)),
            now_secs,
            self.config.account_id,
        )
        .is_some()
    }

    /// `count` new contacts created now, each with an email (so listed);
    /// their ids.
    pub(crate) fn add_contacts(&self, count: usize, now_secs: i64) -> Vec<String> {
        let mut guard = write(&self.data);
        let data = &mut *guard;
        let mut rng = fastrand::Rng::with_seed(data.rng.u64(..));
        (0..count)
            .map(|_| {
                let index = generate::add_contact(&mut rng, data, now_secs, true);
                data.contacts
                    .get(index)
                    .map(|c| c.id.to_string())
                    .unwrap_or_default()
            })
            .collect()
    }
}
