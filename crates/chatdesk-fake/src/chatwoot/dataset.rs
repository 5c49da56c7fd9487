//! The Chatwoot data set as a backup holds it: each table's items as the
//! fake's own listings serve them, from the routes' rendering code.

use super::Fake;
use super::generate::settings;
use super::routes::{account, contacts, messages};
use crate::dataset::{Builder, Tables};
use crate::server::read;

impl Fake {
    /// Every table, as [`crate::RunningFake::dataset`] describes it.
    pub(crate) fn dataset(&self) -> Tables {
        let account_id = self.config.account_id;
        let mut out = Builder::default();
        for table in ["conversations", "messages", "contacts", "team_members"] {
            out.table(table);
        }
        {
            let data = read(&self.data);
            out.rows(
                "conversations",
                None,
                data.conversations.iter().map(|c| c.json.clone()),
            );
            for c in &data.conversations {
                if let Some(contact) = data.contact(c.contact_id) {
                    out.rows(
                        "messages",
                        None,
                        messages::all_items(c, contact, account_id),
                    );
                }
            }
            out.rows(
                "contacts",
                None,
                data.contacts
                    .iter()
                    .filter(|c| c.listed())
                    .map(contacts::listing_item),
            );
        }
        out.rows("inboxes", None, settings::inboxes_json(account_id));
        out.rows("agents", None, account::agents_json(account_id));
        out.rows("teams", None, account::teams_json(account_id));
        for team in account::team_ids() {
            out.rows(
                "team_members",
                Some(&team.to_string()),
                account::team_members_json(team, account_id),
            );
        }
        out.rows("labels", None, settings::labels_json());
        out.rows(
            "custom_attribute_definitions",
            None,
            settings::definitions_json(None),
        );
        out.finish()
    }
}
