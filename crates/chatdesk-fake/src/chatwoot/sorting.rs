//! The order of the contact listing. `sort` names a column, `-` in front
//! for descending; several can be given, comma-separated, and unknown
//! names are ignored (as the server's sort library does). Without one the
//! server sends no `ORDER BY`, so the database decides; the fake lists by
//! id, the order a table that was only ever appended to gives.
//!
//! Nulls: `email` and `phone_number` are plain column sorts, so nulls come
//! last ascending and first descending (PostgreSQL's default); the other
//! columns are sorted by scopes that put nulls last either way. `name`
//! sorts on the lower-cased name. Text compares by code point, where the
//! database would use its collation.

use std::cmp::Ordering;

use super::model::Contact;

/// One sort key.
#[derive(Clone, Copy)]
enum Column {
    Name,
    Email,
    Phone,
    LastActivity,
    Created,
    Company,
    City,
    Country,
}

/// The keys `sort` asks for, with their direction (`true`: descending).
fn parse(sort: &str) -> Vec<(Column, bool)> {
    sort.split(',')
        .filter_map(|part| {
            let part = part.trim();
            let (descending, name) = match part.strip_prefix('-') {
                Some(name) => (true, name),
                None => (false, part),
            };
            let column = match name {
                "name" => Column::Name,
                "email" => Column::Email,
                "phone_number" => Column::Phone,
                "last_activity_at" => Column::LastActivity,
                "created_at" => Column::Created,
                "company" => Column::Company,
                "city" => Column::City,
                "country" => Column::Country,
                _ => return None,
            };
            Some((column, descending))
        })
        .collect()
}

/// Compares two optional values; `nulls_last_always` keeps nulls last in
/// both directions, else they are larger than any value.
fn compare<T: Ord>(
    a: Option<T>,
    b: Option<T>,
    descending: bool,
    nulls_last_always: bool,
) -> Ordering {
    match (a, b) {
        (Some(a), Some(b)) => {
            if descending {
                b.cmp(&a)
            } else {
                a.cmp(&b)
            }
        }
        (None, None) => Ordering::Equal,
        (None, Some(_)) => {
            if nulls_last_always || !descending {
                Ordering::Greater
            } else {
                Ordering::Less
            }
        }
        (Some(_), None) => {
            if nulls_last_always || !descending {
                Ordering::Less
            } else {
                Ordering::Greater
            }
        }
    }
}

fn by(column: Column, descending: bool, a: &Contact, b: &Contact) -> Ordering {
    match column {
        Column::Name => compare(
            Some(a.name.to_lowercase()),
            Some(b.name.to_lowercase()),
            descending,
            false,
        ),
        Column::Email => compare(a.email.as_deref(), b.email.as_deref(), descending, false),
        Column::Phone => compare(
            a.phone_number.as_deref(),
            b.phone_number.as_deref(),
            descending,
            false,
        ),
        Column::LastActivity => compare(a.last_activity_at, b.last_activity_at, descending, true),
        Column::Created => compare(Some(a.created_at), Some(b.created_at), descending, true),
        Column::Company => compare(a.company, b.company, descending, true),
        Column::City => compare(Some(a.city), Some(b.city), descending, true),
        Column::Country => compare(Some(a.country), Some(b.country), descending, true),
    }
}

/// Sorts `contacts` (given by id) as `sort` asks; ties keep id order.
pub(crate) fn order(contacts: &mut [&Contact], sort: Option<&str>) {
    let keys = sort.map(parse).unwrap_or_default();
    if keys.is_empty() {
        return;
    }
    contacts.sort_by(|a, b| {
        keys.iter()
            .map(|(column, descending)| by(*column, *descending, a, b))
            .find(|o| o.is_ne())
            .unwrap_or(Ordering::Equal)
    });
}
