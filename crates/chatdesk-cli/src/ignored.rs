//! Filters some server versions accept but do not apply: ChatbotX's
//! `status` on conversations and `channels` on contacts. The server's
//! answer looks the same either way, so the items themselves are checked,
//! and one warning goes to stderr at the first item that shows the filter
//! was ignored.

use chatdesk::{RawItem, chatbotx};
use serde_json::Value;

use crate::args::{ChatbotxListing, Platform};

/// What to check each item against, and whether the warning was given.
pub struct IgnoredFilters {
    check: Option<Check>,
    warned: bool,
}

/// A filter whose effect the items show.
enum Check {
    /// Contacts of this channel: each has an inbox of that channel.
    ContactChannel(String),
    /// Conversations followed up (`followed: true`).
    FollowedUp,
    /// Archived conversations (`archivedAt` set).
    Archived,
}

impl IgnoredFilters {
    /// The checks the command's filters call for.
    pub fn of(platform: &Platform) -> Self {
        let check = match platform {
            Platform::Chatbotx(ChatbotxListing::Contacts(filters)) => filters
                .channel
                .as_ref()
                .map(|c| Check::ContactChannel(c.as_str().to_string())),
            // With `--tag` the server applies the states itself.
            Platform::Chatbotx(ChatbotxListing::Conversations(filters))
                if filters.tags.is_empty() && filters.status.len() == 1 =>
            {
                match filters.status[0] {
                    chatbotx::Status::FollowUp => Some(Check::FollowedUp),
                    chatbotx::Status::Archived => Some(Check::Archived),
                    _ => None,
                }
            }
            _ => None,
        };
        IgnoredFilters {
            check,
            warned: false,
        }
    }

    /// Checks `item`, warning once if it shows a filter was ignored.
    pub fn check(&mut self, item: &RawItem) {
        let Some(check) = &self.check else {
            return;
        };
        if self.warned {
            return;
        }
        let Ok(value) = serde_json::from_str::<Value>(item.json()) else {
            return;
        };
        if let Some(warning) = check.warning(&value, item.id()) {
            self.warned = true;
            eprintln!("chatdesk: warning: {warning}");
        }
    }
}

impl Check {
    /// The warning `item` calls for, if it is outside the filter.
    fn warning(&self, item: &Value, id: &str) -> Option<String> {
        let unapplied = "some ChatbotX versions accept this filter without applying it";
        match self {
            Check::ContactChannel(channel) => {
                let inboxes = item.get("contactInboxes")?.as_array()?;
                let matches = inboxes
                    .iter()
                    .any(|i| i.get("channel").and_then(Value::as_str) == Some(channel));
                (!inboxes.is_empty() && !matches).then(|| {
                    format!(
                        "the server seems to ignore --channel {channel}: contact {id} has no \
                         {channel} inbox ({unapplied}); the output holds every contact, so \
                         filter it on contactInboxes[].channel"
                    )
                })
            }
            Check::FollowedUp => (item.get("followed")? == &Value::Bool(false)).then(|| {
                format!(
                    "the server seems to ignore --status followUp: conversation {id} is not \
                     followed up ({unapplied}); use --tag followUp, which every version applies"
                )
            }),
            Check::Archived => item.get("archivedAt")?.is_null().then(|| {
                format!(
                    "the server seems to ignore --status archived: conversation {id} is not \
                     archived ({unapplied}); use --tag archived, which every version applies"
                )
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn items_outside_the_filter_are_noticed() {
        let zalo = Check::ContactChannel("zalo".into());
        let on_zalo = json!({"contactInboxes": [{"channel": "zalo"}]});
        let on_line = json!({"contactInboxes": [{"channel": "line"}]});
        assert_eq!(zalo.warning(&on_zalo, "1"), None);
        let warning = zalo.warning(&on_line, "2").unwrap();
        assert!(warning.contains("contact 2 has no zalo inbox"), "{warning}");
        // Without the relation loaded, nothing can be told.
        assert_eq!(zalo.warning(&json!({}), "3"), None);

        assert_eq!(
            Check::FollowedUp.warning(&json!({"followed": true}), "4"),
            None
        );
        assert!(
            Check::FollowedUp
                .warning(&json!({"followed": false}), "5")
                .is_some()
        );
        assert_eq!(
            Check::Archived.warning(&json!({"archivedAt": "2026-01-01T00:00:00.000Z"}), "6"),
            None
        );
        assert!(
            Check::Archived
                .warning(&json!({"archivedAt": null}), "7")
                .is_some()
        );
    }
}
