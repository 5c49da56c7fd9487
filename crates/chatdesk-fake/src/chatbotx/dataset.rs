//! The ChatbotX data set as a backup holds it: each table's items as the
//! fake's own listings serve them, from the routes' rendering code.

use serde_json::Value;

use super::Fake;
use super::routes::catalog::{Catalog, catalog_items};
use super::routes::channels::connected_channels;
use super::routes::people::{members_json, teams_json};
use crate::dataset::{Builder, Tables};
use crate::server::read;

/// The relations a backup asks the contact listing for.
const INCLUDE: &[&str] = &["tags", "customFields"];

/// The items of relation `key` of a contact listing item.
fn relation(item: &Value, key: &str) -> Vec<Value> {
    item.get(key)
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default()
}

impl Fake {
    /// Every table, as [`crate::RunningFake::dataset`] describes it.
    pub(crate) fn dataset(&self) -> Tables {
        let mut out = Builder::default();
        for table in [
            "conversations",
            "contacts",
            "messages",
            "contact_tags",
            "contact_custom_fields",
        ] {
            out.table(table);
        }
        {
            let data = read(&self.data);
            out.rows(
                "conversations",
                None,
                data.conversations.iter().map(|c| c.json.clone()),
            );
            for contact in data.contacts.iter().filter(|c| c.listed) {
                let item = self.listing_item(contact, INCLUDE);
                let id = contact.person.id.as_str();
                out.rows("contact_tags", Some(id), relation(&item, "tags"));
                out.rows(
                    "contact_custom_fields",
                    Some(id),
                    relation(&item, "contactCustomFields"),
                );
                out.rows("contacts", None, [item]);
            }
            // The message listing finds every contact with a conversation,
            // listed or not.
            for contact in data.contacts.iter().filter(|c| c.has_conversation()) {
                out.rows(
                    "messages",
                    None,
                    contact.messages.iter().map(|m| contact.message_json(m)),
                );
            }
        }
        out.rows("tags", None, catalog_items(Catalog::Tags));
        out.rows("custom_fields", None, catalog_items(Catalog::CustomFields));
        out.rows("bot_fields", None, catalog_items(Catalog::BotFields));
        out.rows("channels", None, connected_channels());
        out.rows("members", None, members_json());
        out.rows("teams", None, teams_json());
        out.finish()
    }
}
