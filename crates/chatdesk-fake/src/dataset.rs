//! What [`RunningFake::dataset`](crate::RunningFake::dataset) returns:
//! each table's rows by id, built from the items as the listings serve
//! them.

use std::collections::BTreeMap;

use serde_json::Value;

/// Table name → row id → item.
pub(crate) type Tables = BTreeMap<String, BTreeMap<String, Value>>;

/// An item's `id` as row id text: a number as its digits, a string as it
/// is; `None` without one.
pub(crate) fn row_id(item: &Value) -> Option<String> {
    match item.get("id")? {
        Value::String(text) => Some(text.clone()),
        Value::Number(number) => Some(number.to_string()),
        _ => None,
    }
}

/// Collects tables of items keyed by their ids.
#[derive(Default)]
pub(crate) struct Builder {
    tables: Tables,
}

impl Builder {
    /// Starts `table` empty, so that it is there even with no rows.
    pub(crate) fn table(&mut self, table: &str) {
        self.tables.entry(table.to_string()).or_default();
    }

    /// Puts `items` into `table`, each keyed by its id (after
    /// `parent:` when a parent id is given).
    pub(crate) fn rows(
        &mut self,
        table: &str,
        parent: Option<&str>,
        items: impl IntoIterator<Item = Value>,
    ) {
        let rows = self.tables.entry(table.to_string()).or_default();
        for item in items {
            let Some(id) = row_id(&item) else {
                continue;
            };
            let key = match parent {
                Some(parent) => format!("{parent}:{id}"),
                None => id,
            };
            rows.insert(key, item);
        }
    }

    /// The tables.
    pub(crate) fn finish(self) -> Tables {
        self.tables
    }
}
