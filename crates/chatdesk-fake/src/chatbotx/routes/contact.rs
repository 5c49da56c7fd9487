//! One contact, named by its identifier: `GET /v1/contacts/{identifier}`
//! (the contact with every relation, as the contact listing shows it
//! without `include`), `.../tags` and `.../custom-fields` (the catalog's
//! entries the contact carries, shaped as the catalog routes show them,
//! custom fields with the contact's value). None takes a query
//! parameter, and none pages.

use axum::http::StatusCode;
use serde_json::{Value, json};

use super::super::generate::catalog::{CUSTOM_FIELDS, custom_field_json, public_tag_json};
use super::super::model::Contact;
use super::super::validation::Checker;
use super::super::{Fake, identifier};
use super::DataBody;
use crate::server::{Reply, read};
use crate::text::put;

/// What of the contact a route sends.
#[derive(Clone, Copy)]
pub(super) enum ContactPart {
    /// The contact itself, with its relations.
    Whole,
    /// Its tags.
    Tags,
    /// Its custom field values.
    CustomFields,
}

impl Fake {
    /// `part` of the contact `identifier` names. The server loads the
    /// same relations for one contact as for the listing (tags, custom
    /// field values, contact inboxes with their inbox, the conversation
    /// with its assignees), so the JSON is the listing's.
    pub(super) fn contact(
        &self,
        identifier: &str,
        part: ContactPart,
        pairs: &[(String, String)],
        mut checker: Checker,
    ) -> Reply {
        checker.collect(pairs, &[]);
        if let Some(reply) = checker.failure() {
            return reply;
        }
        let data = read(&self.data);
        let contact = match identifier::resolve(&data.contacts, identifier) {
            Ok(contact) => contact,
            Err(reply) => return reply,
        };
        match part {
            ContactPart::Whole => Reply::json(StatusCode::OK, &contact.listing_json(None)),
            ContactPart::Tags => {
                let data = contact
                    .person
                    .tags
                    .iter()
                    .map(|(id, name)| public_tag_json(id, name))
                    .collect();
                Reply::json(StatusCode::OK, &DataBody { data })
            }
            ContactPart::CustomFields => Reply::json(
                StatusCode::OK,
                &DataBody {
                    data: custom_field_values(contact),
                },
            ),
        }
    }
}

/// The contact's custom field values, each as its custom field with the
/// value added, in the order the contact holds them.
fn custom_field_values(contact: &Contact) -> Vec<Value> {
    let rows = contact
        .custom_fields
        .as_array()
        .map_or(&[][..], Vec::as_slice);
    rows.iter()
        .filter_map(|row| {
            let field_id = row.get("customFieldId")?.as_str()?;
            let field = CUSTOM_FIELDS.iter().find(|f| f.0 == field_id)?;
            let mut json = custom_field_json(field);
            put(
                &mut json,
                "value",
                row.get("value").cloned().unwrap_or(json!("")),
            );
            Some(json)
        })
        .collect()
}
