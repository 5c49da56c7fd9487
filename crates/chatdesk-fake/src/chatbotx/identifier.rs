//! The `{identifier}` of the `/v1/contacts/{identifier}/...` routes:
//! `id:<digits>`, `email:<address>` or `phone:<number>`, percent-encoded
//! in the path. Every route that names a contact resolves it here, so
//! that they all find the same contact and refuse the same text.

use super::errors;
use super::model::Contact;
use crate::server::Reply;

/// The contact `raw` (still percent-encoded) names, or the 404 the server
/// sends when it names none: a form other than the three, an `id:` that
/// is not all digits, or no such contact. The fake answers all of them
/// with `Contact not found`.
pub(crate) fn resolve<'a>(contacts: &'a [Contact], raw: &str) -> Result<&'a Contact, Reply> {
    let identifier = percent_encoding::percent_decode_str(raw).decode_utf8_lossy();
    position(contacts, &identifier)
        .map(|index| &contacts[index])
        .ok_or_else(|| errors::not_found("Contact not found"))
}

/// Where in `contacts` the contact `identifier` (decoded) names is:
/// `id:<digits>`, `email:<address>` (any case) or `phone:<number>` (as
/// stored).
pub(crate) fn position(contacts: &[Contact], identifier: &str) -> Option<usize> {
    match identifier.split_once(':') {
        Some(("id", id)) if !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()) => {
            contacts.iter().position(|c| c.person.id == id)
        }
        Some(("email", email)) if !email.is_empty() => contacts.iter().position(|c| {
            c.person
                .email
                .as_deref()
                .is_some_and(|e| e.eq_ignore_ascii_case(email))
        }),
        Some(("phone", phone)) if !phone.is_empty() => contacts
            .iter()
            .position(|c| c.person.phone.as_deref() == Some(phone)),
        _ => None,
    }
}
