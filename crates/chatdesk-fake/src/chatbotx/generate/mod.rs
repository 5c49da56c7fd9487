//! The seeded ChatbotX data set: contacts (a few old rows with short ids,
//! one in twenty blocked) with their messages, and conversations dealt
//! out to them over the four views the listing has. Ids are 17-digit
//! snowflakes of their creation time. The same seed always gives the same
//! data; the parts are in [`contact`], [`conversation`], [`message`] and
//! [`catalog`] (the fixed inboxes, users, teams and tags).

use std::collections::HashSet;

use super::model::{Contact, Conversation, sort_conversations};
use super::{CLOCK_BASE_MILLIS, Data, Sizes};

pub(crate) mod catalog;
mod contact;
mod conversation;
mod message;

pub(crate) use contact::{ContactPlan, make_contact};
pub(crate) use conversation::make_conversation;
pub(crate) use message::incoming_message;

/// Snowflakes start here (2^56): every new id has 17 digits, above 2^53.
const SNOWFLAKE_BASE: u64 = 72_057_594_037_927_936;
/// The snowflake epoch, 2025-01-01T00:00:00Z.
const SNOWFLAKE_EPOCH_MILLIS: i64 = 1_735_689_600_000;
/// One generated contact in this many is blocked ...
const BLOCKED_EVERY: usize = 20;
/// ... the one at this index in each run of [`BLOCKED_EVERY`] (the newest
/// contact is never blocked).
const BLOCKED_OFFSET: usize = 7;

/// Where the generator is: its random source and the ids it gave out.
pub(crate) struct Generator {
    rng: fastrand::Rng,
    sequence: u64,
    used: HashSet<u64>,
    messages_per_contact: usize,
}

impl Generator {
    /// A fresh 17-digit snowflake for time `millis`. Times before the
    /// epoch (large data sets reach back years) count down from the base,
    /// so every millisecond keeps its own 4,096 ids.
    pub(crate) fn snowflake(&mut self, millis: i64) -> u64 {
        let offset = (millis - SNOWFLAKE_EPOCH_MILLIS).saturating_mul(4096);
        let start = SNOWFLAKE_BASE.saturating_add_signed(offset);
        loop {
            self.sequence += 1;
            let id = start + (self.sequence % 4096);
            if self.used.insert(id) {
                return id;
            }
        }
    }

    /// A fresh snowflake for time `millis` that is larger than `floor`
    /// (ids of one millisecond are not ordered among themselves).
    pub(crate) fn snowflake_above(&mut self, millis: i64, floor: u64) -> u64 {
        let id = self.snowflake(millis);
        if id > floor {
            return id;
        }
        let mut id = floor + 1;
        while !self.used.insert(id) {
            id += 1;
        }
        id
    }

    /// A short id of an old row, or a fresh snowflake if it is taken.
    pub(crate) fn short_or_snowflake(&mut self, short: u64, millis: i64) -> u64 {
        if self.used.insert(short) {
            short
        } else {
            self.snowflake(millis)
        }
    }
}

/// The data set of `sizes`.
pub(crate) fn data_set(sizes: &Sizes) -> Data {
    let mut generator = Generator {
        rng: fastrand::Rng::with_seed(sizes.seed),
        sequence: 0,
        used: HashSet::new(),
        messages_per_contact: sizes.messages_per_contact,
    };
    let visible = sizes.conversations;
    let archived = visible.div_ceil(20);
    let total = visible + archived;
    let archived_blocked = visible.div_ceil(50);
    let listed = sizes.contacts;
    let unlisted = if listed == 0 { total } else { 0 };
    let old = if listed >= 10 { listed.div_ceil(30) } else { 0 };
    let mut short = 10 + 8 * old as u64;

    let mut contacts = Vec::with_capacity(listed + unlisted);
    let mut created = CLOCK_BASE_MILLIS - generator.rng.i64(1_000..600_000);
    for index in 0..listed + unlisted {
        let is_old = index < listed && index >= listed - old;
        if is_old && index == listed - old {
            // Old rows date from the year before.
            created -= 400 * 86_400_000;
        }
        let short_id = is_old.then(|| {
            let id = short;
            short = short.saturating_sub(generator.rng.u64(1..=7)).max(1);
            id
        });
        let newest = created + generator.rng.i64(0..=(CLOCK_BASE_MILLIS - created).max(0));
        contacts.push(make_contact(
            &mut generator,
            ContactPlan {
                created,
                newest,
                short_id,
                listed: index < listed,
                blocked: blocked_at(index),
                with_messages: true,
            },
        ));
        created -= generator.rng.i64(60_000..4_000_000);
    }

    let conversations = deal_conversations(
        &mut generator,
        &mut contacts,
        &Deal {
            visible,
            archived,
            archived_blocked,
        },
    );
    // Messages belong to a conversation: contacts left without one (more
    // contacts than conversations) have none, as on the server.
    for contact in &mut contacts {
        if !contact.has_conversation() {
            contact.messages = Vec::new();
        }
    }
    Data {
        contacts,
        conversations,
        generator,
        list_new_contacts: listed > 0,
    }
}

/// How many conversations of each view to deal out.
struct Deal {
    /// Default view: not archived, contact not blocked.
    visible: usize,
    /// `tags=["archived"]`: archived, contact not blocked.
    archived: usize,
    /// `tags=["archived","blocked"]`: archived, contact blocked (none if no
    /// contact is blocked).
    archived_blocked: usize,
}

/// Deals conversations out to `contacts`, in turn: first until the default
/// view holds `deal.visible` (blocked contacts met on the way get one
/// each, which `tags=["blocked"]` lists), then the archived ones of
/// contacts not blocked, then those of blocked contacts. Each contact's
/// first conversation carries its messages. Sorted as the listing is.
fn deal_conversations(
    g: &mut Generator,
    contacts: &mut [Contact],
    deal: &Deal,
) -> Vec<Conversation> {
    let mut conversations = Vec::with_capacity(deal.visible + deal.archived * 2);
    let count = contacts.len();
    let blocked: Vec<bool> = contacts.iter().map(|c| c.person.blocked).collect();
    if blocked.iter().all(|b| *b) {
        // Also when there is no contact: no conversation can be listed.
        return conversations;
    }
    let mut has_conversation = vec![false; count];
    let mut add = |g: &mut Generator, owner: usize, archived: bool| {
        let primary = !has_conversation[owner];
        has_conversation[owner] = true;
        make_conversation(g, &mut contacts[owner], primary, archived, None)
    };
    let mut turn = 0;
    let mut visible = 0;
    while visible < deal.visible {
        let conversation = add(g, turn % count, false);
        turn += 1;
        if conversation.in_default_view() {
            visible += 1;
        }
        conversations.push(conversation);
    }
    let mut archived = 0;
    while archived < deal.archived {
        let owner = turn % count;
        turn += 1;
        if !blocked[owner] {
            conversations.push(add(g, owner, true));
            archived += 1;
        }
    }
    let blocked_owners: Vec<usize> = (0..count).filter(|i| blocked[*i]).collect();
    if !blocked_owners.is_empty() {
        for k in 0..deal.archived_blocked {
            let owner = blocked_owners[k % blocked_owners.len()];
            conversations.push(add(g, owner, true));
        }
    }
    sort_conversations(&mut conversations);
    conversations
}

/// Whether the generated contact at `index` is blocked: one in
/// [`BLOCKED_EVERY`], from the [`BLOCKED_OFFSET`]-th on.
fn blocked_at(index: usize) -> bool {
    index % BLOCKED_EVERY == BLOCKED_OFFSET
}

#[cfg(test)]
mod snowflake_tests {
    use super::*;

    /// Large data sets reach back before the snowflake epoch: ids there
    /// stay unique, 17 digits, and ordered by time.
    #[test]
    fn snowflakes_before_the_epoch_stay_unique_and_ordered() {
        let mut generator = Generator {
            rng: fastrand::Rng::with_seed(1),
            sequence: 0,
            used: HashSet::new(),
            messages_per_contact: 0,
        };
        let times = (0..20_000).map(|i| SNOWFLAKE_EPOCH_MILLIS + 86_400_000 - i * 3_600_000);
        let ids: Vec<u64> = times.map(|t| generator.snowflake(t)).collect();
        assert!(
            ids.windows(2).all(|w| w[0] > w[1]),
            "newer times, larger ids"
        );
        assert!(ids.iter().all(|id| id.to_string().len() == 17));
    }
}
