//! The storage contract of a backup: tables declared as data, rows as sent,
//! positions committed with the rows they follow.

use std::collections::BTreeMap;
use std::fmt;

/// One resource's table: the item's id and JSON, plus a few columns
/// extracted from the JSON for filtering.
///
/// Declared as data so that every store builds the same tables from one
/// declaration, and so that an extracted column can never disagree with the
/// JSON it comes from (the SQLite store computes it from the JSON).
///
/// ```
/// use chatdesk::backup::{Column, Table};
///
/// const MESSAGES: Table = Table {
///     name: "messages",
///     parent: None,
///     columns: &[Column { name: "conversation_id", path: "$.conversation_id" }],
/// };
/// assert!(MESSAGES.check().is_ok());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Table {
    /// The table's name: lowercase ASCII letters, digits and `_`, starting
    /// with a letter (it is written into SQL).
    pub name: &'static str,
    /// For a relationship whose items do not name their parent (a team's
    /// members, a contact's tags): the name of a column holding the part
    /// of the row id before its first `:`. Such rows are keyed
    /// `"<parent id>:<item id>"`, since the same item belongs to many
    /// parents.
    pub parent: Option<&'static str>,
    /// The extracted columns, in order.
    pub columns: &'static [Column],
}

/// A column extracted from each item's JSON.
///
/// ```
/// use chatdesk::backup::Column;
///
/// let sender = Column { name: "contact_id", path: "$.meta.sender.id" };
/// assert_eq!(sender.path, "$.meta.sender.id");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Column {
    /// The column's name, an identifier like [`Table::name`].
    pub name: &'static str,
    /// A JSON path into the item, SQLite's `json_extract` form: `$`, then
    /// `.key` or `[index]` steps, e.g. `"$.meta.sender.id"`. A missing
    /// value is NULL.
    pub path: &'static str,
}

/// Names a store uses for its own tables, refused for resource tables.
pub const RESERVED_TABLES: &[&str] = &["sync_state", "runs", "schema_version"];

/// Why a [`Table`] declaration cannot be used.
///
/// ```
/// use chatdesk::backup::{Table, TableError};
///
/// let bad = Table { name: "runs", parent: None, columns: &[] };
/// assert!(matches!(bad.check(), Err(TableError::Reserved { .. })));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TableError {
    /// A table or column name is not a plain identifier.
    #[error(
        "table `{table}`: `{name}` is not a valid name (lowercase ASCII letters, digits and `_`, starting with a letter)"
    )]
    Name {
        /// The table.
        table: String,
        /// The offending name.
        name: String,
    },
    /// The table's name is one a store uses for itself.
    #[error("table `{table}`: the name is reserved for the store's own tables")]
    Reserved {
        /// The table.
        table: String,
    },
    /// Two columns share a name, or a column is named `id` or `json`.
    #[error("table `{table}`: column `{column}` is declared twice or clashes with `id`/`json`")]
    Duplicate {
        /// The table.
        table: String,
        /// The column.
        column: String,
    },
    /// A column's path is not a JSON path of the accepted form.
    #[error(
        "table `{table}`, column `{column}`: `{path}` is not a JSON path like `$.a.b` or `$.a[0]`"
    )]
    Path {
        /// The table.
        table: String,
        /// The column.
        column: String,
        /// The path.
        path: String,
    },
}

impl Table {
    /// Checks the names and paths, which stores write into SQL: an
    /// identifier or a path that could break out of its place is refused
    /// here, once, rather than escaped everywhere.
    ///
    /// ```
    /// use chatdesk::backup::{Column, Table};
    ///
    /// let bad = Table {
    ///     name: "messages",
    ///     parent: None,
    ///     columns: &[Column { name: "x", path: "$.a'; DROP TABLE runs; --" }],
    /// };
    /// assert!(bad.check().is_err());
    /// ```
    pub fn check(&self) -> Result<(), TableError> {
        let table = || self.name.to_owned();
        if !is_identifier(self.name) {
            return Err(TableError::Name {
                table: table(),
                name: self.name.to_owned(),
            });
        }
        if RESERVED_TABLES.contains(&self.name) || self.name.starts_with("sqlite_") {
            return Err(TableError::Reserved { table: table() });
        }
        let mut seen: Vec<&str> = vec!["id", "json"];
        for name in self
            .parent
            .iter()
            .copied()
            .chain(self.columns.iter().map(|c| c.name))
        {
            if !is_identifier(name) {
                return Err(TableError::Name {
                    table: table(),
                    name: name.to_owned(),
                });
            }
            if seen.contains(&name) {
                return Err(TableError::Duplicate {
                    table: table(),
                    column: name.to_owned(),
                });
            }
            seen.push(name);
        }
        for column in self.columns {
            if !is_json_path(column.path) {
                return Err(TableError::Path {
                    table: table(),
                    column: column.name.to_owned(),
                    path: column.path.to_owned(),
                });
            }
        }
        Ok(())
    }
}

fn is_identifier(name: &str) -> bool {
    let mut chars = name.chars();
    matches!(chars.next(), Some('a'..='z'))
        && chars.all(|c| matches!(c, 'a'..='z' | '0'..='9' | '_'))
}

/// `$` followed by `.key` (ASCII letters, digits, `_`) or `[digits]` steps.
fn is_json_path(path: &str) -> bool {
    let Some(mut rest) = path.strip_prefix('$') else {
        return false;
    };
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix('.') {
            let end = after
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(after.len());
            if end == 0 {
                return false;
            }
            rest = &after[end..];
        } else if let Some(after) = rest.strip_prefix('[') {
            let Some(end) = after.find(']') else {
                return false;
            };
            if end == 0 || !after[..end].bytes().all(|b| b.is_ascii_digit()) {
                return false;
            }
            rest = &after[end + 1..];
        } else {
            return false;
        }
    }
    true
}

/// One item to store: its id as text and its JSON exactly as the server
/// sent it (unknown fields included, so a backup loses nothing the specs
/// do not know).
///
/// ```
/// use chatdesk::backup::Row;
///
/// let row = Row { id: "42", json: r#"{"id":42,"conversation_id":7}"# };
/// assert_eq!(row.id, "42");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Row<'a> {
    /// The item's id (for a [`Table::parent`] table, `"<parent id>:<item id>"`).
    pub id: &'a str,
    /// The item's JSON; a store refuses text that is not JSON.
    pub json: &'a str,
}

/// Which position a [`SyncState`] belongs to.
///
/// ```
/// use chatdesk::backup::StateKey;
///
/// let whole = StateKey::whole("conversations");
/// let one = StateKey::new("messages", "1234"); // one conversation's messages
/// assert_eq!(whole.scope, "");
/// assert_eq!(one.scope, "1234");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct StateKey {
    /// The resource, usually a [`Table::name`].
    pub resource: String,
    /// What part of the resource: a parent's id for per-parent positions
    /// (messages of one conversation), `""` for the whole resource.
    pub scope: String,
}

impl StateKey {
    /// A key for one scope of a resource.
    ///
    /// ```
    /// let key = chatdesk::backup::StateKey::new("messages", "7");
    /// assert_eq!(key.resource, "messages");
    /// ```
    pub fn new(resource: impl Into<String>, scope: impl Into<String>) -> Self {
        Self {
            resource: resource.into(),
            scope: scope.into(),
        }
    }

    /// A key for a whole resource (scope `""`).
    ///
    /// ```
    /// let key = chatdesk::backup::StateKey::whole("contacts");
    /// assert_eq!(key, chatdesk::backup::StateKey::new("contacts", ""));
    /// ```
    pub fn whole(resource: impl Into<String>) -> Self {
        Self::new(resource, "")
    }
}

/// Where a resource's walk stands. The texts are the engine's own (a
/// cursor, a page number, a time); stores keep them opaque.
///
/// ```
/// use chatdesk::backup::SyncState;
///
/// let state = SyncState {
///     position: Some("page=12".into()),
///     watermark: Some("1718000000".into()),
///     complete: false,
/// };
/// assert!(!state.complete);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SyncState {
    /// Where to resume the current walk; `None` before the first page.
    pub position: Option<String>,
    /// How far changes have been seen, for the next incremental sync.
    pub watermark: Option<String>,
    /// Whether the last walk reached the end.
    pub complete: bool,
}

/// A run's id, given by [`Store::start_run`].
///
/// ```
/// let run = chatdesk::backup::RunId::new(3);
/// assert_eq!(run.get(), 3);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RunId(i64);

impl RunId {
    /// Wraps a store's id (stores make these).
    ///
    /// ```
    /// assert_eq!(chatdesk::backup::RunId::new(1).to_string(), "1");
    /// ```
    pub fn new(id: i64) -> Self {
        Self(id)
    }

    /// The number.
    ///
    /// ```
    /// assert_eq!(chatdesk::backup::RunId::new(9).get(), 9);
    /// ```
    pub fn get(self) -> i64 {
        self.0
    }
}

impl fmt::Display for RunId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// How a run ended, saved by [`Store::finish_run`] so that a user can see
/// what each run did.
///
/// ```
/// use chatdesk::backup::RunSummary;
///
/// let mut summary = RunSummary { ok: true, requests: 40, retries: 1, ..Default::default() };
/// summary.items.insert("messages".into(), 1_200);
/// assert_eq!(summary.items["messages"], 1_200);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RunSummary {
    /// Whether the run ended without error.
    pub ok: bool,
    /// Items written, per table.
    pub items: BTreeMap<String, u64>,
    /// HTTP requests sent.
    pub requests: u64,
    /// Requests retried.
    pub retries: u64,
}

/// Where a backup is kept. Each method is one small transaction, so that
/// a run killed at any moment leaves a store that agrees with itself.
///
/// The methods are synchronous: a store is local, and a backup engine
/// calls it between pages (from `spawn_blocking` if it must not block).
///
/// ```
/// use chatdesk::backup::{MemoryStore, Row, StateKey, Store, SyncState, Table};
///
/// const TAGS: Table = Table { name: "tags", parent: None, columns: &[] };
/// let mut store = MemoryStore::new();
/// store.prepare(&[TAGS])?;
/// let state = SyncState { position: Some("2".into()), ..Default::default() };
/// store.commit(&TAGS, &[Row { id: "1", json: r#"{"id":1}"# }], Some((&StateKey::whole("tags"), &state)))?;
/// assert_eq!(store.count(&TAGS)?, 1);
/// assert_eq!(store.state(&StateKey::whole("tags"))?, Some(state));
/// # Ok::<(), chatdesk::backup::MemoryError>(())
/// ```
pub trait Store {
    /// The store's error; it says which file and what to do.
    type Error: std::error::Error + Send + Sync + 'static;

    /// Creates the tables that do not exist yet and brings older ones up to
    /// date. Called once before a run, with every table it will write.
    ///
    /// ```
    /// use chatdesk::backup::{tables, MemoryStore, Store};
    ///
    /// let mut store = MemoryStore::new();
    /// store.prepare(tables::CHATWOOT)?;
    /// # Ok::<(), chatdesk::backup::MemoryError>(())
    /// ```
    fn prepare(&mut self, tables: &[Table]) -> Result<(), Self::Error>;

    /// The saved state of one key, if any.
    ///
    /// ```
    /// use chatdesk::backup::{MemoryStore, StateKey, Store};
    ///
    /// let store = MemoryStore::new();
    /// assert_eq!(store.state(&StateKey::whole("contacts"))?, None);
    /// # Ok::<(), chatdesk::backup::MemoryError>(())
    /// ```
    fn state(&self, key: &StateKey) -> Result<Option<SyncState>, Self::Error>;

    /// Every saved state of a resource, by scope (ascending), for example
    /// each conversation's message position.
    ///
    /// ```
    /// use chatdesk::backup::{MemoryStore, Store};
    ///
    /// let store = MemoryStore::new();
    /// assert!(store.states("messages")?.is_empty());
    /// # Ok::<(), chatdesk::backup::MemoryError>(())
    /// ```
    fn states(&self, resource: &str) -> Result<Vec<(String, SyncState)>, Self::Error>;

    /// Upserts `rows` by id into `table` and saves `state`, in one
    /// transaction: either all of it is kept or none of it, so that a
    /// saved position always follows rows that are there.
    ///
    /// ```
    /// use chatdesk::backup::{MemoryStore, Row, Store, Table};
    ///
    /// const TAGS: Table = Table { name: "tags", parent: None, columns: &[] };
    /// let mut store = MemoryStore::new();
    /// store.prepare(&[TAGS])?;
    /// store.commit(&TAGS, &[Row { id: "1", json: r#"{"id":1,"name":"a"}"# }], None)?;
    /// store.commit(&TAGS, &[Row { id: "1", json: r#"{"id":1,"name":"b"}"# }], None)?;
    /// assert_eq!(store.count(&TAGS)?, 1); // replaced, not duplicated
    /// assert!(store.commit(&TAGS, &[Row { id: "2", json: "not json" }], None).is_err());
    /// # Ok::<(), chatdesk::backup::MemoryError>(())
    /// ```
    fn commit(
        &mut self,
        table: &Table,
        rows: &[Row<'_>],
        state: Option<(&StateKey, &SyncState)>,
    ) -> Result<(), Self::Error>;

    /// Records the start of a run (`platform`: `"chatwoot"` or
    /// `"chatbotx"`; `kind`: `"backup"`, `"sync"`, ...).
    ///
    /// ```
    /// use chatdesk::backup::{MemoryStore, Store};
    ///
    /// let mut store = MemoryStore::new();
    /// let first = store.start_run("chatwoot", "backup")?;
    /// let second = store.start_run("chatwoot", "sync")?;
    /// assert!(second > first);
    /// # Ok::<(), chatdesk::backup::MemoryError>(())
    /// ```
    fn start_run(&mut self, platform: &str, kind: &str) -> Result<RunId, Self::Error>;

    /// Records how a run ended.
    ///
    /// ```
    /// use chatdesk::backup::{MemoryStore, RunSummary, Store};
    ///
    /// let mut store = MemoryStore::new();
    /// let run = store.start_run("chatbotx", "backup")?;
    /// store.finish_run(run, &RunSummary { ok: true, ..Default::default() })?;
    /// assert_eq!(store.runs()[0].summary.as_ref().map(|s| s.ok), Some(true));
    /// # Ok::<(), chatdesk::backup::MemoryError>(())
    /// ```
    fn finish_run(&mut self, run: RunId, summary: &RunSummary) -> Result<(), Self::Error>;

    /// How many rows `table` holds.
    ///
    /// ```
    /// use chatdesk::backup::{tables, MemoryStore, Store};
    ///
    /// let mut store = MemoryStore::new();
    /// store.prepare(tables::CHATBOTX)?;
    /// assert_eq!(store.count(&tables::chatbotx::CONTACTS)?, 0);
    /// # Ok::<(), chatdesk::backup::MemoryError>(())
    /// ```
    fn count(&self, table: &Table) -> Result<u64, Self::Error>;

    /// Up to `limit` rows of `table` whose id sorts after `after` (byte
    /// order of the id text), in that order, as `(id, json)`: reading a
    /// table back a slice at a time, so that memory stays bounded whatever
    /// the table's size. Start with `None`, then pass the last id read.
    ///
    /// ```
    /// use chatdesk::backup::{tables::chatwoot, MemoryStore, Row, Store};
    ///
    /// let mut store = MemoryStore::new();
    /// store.prepare(&[chatwoot::LABELS])?;
    /// let rows = [Row { id: "1", json: "{}" }, Row { id: "2", json: "{}" }, Row { id: "3", json: "{}" }];
    /// store.commit(&chatwoot::LABELS, &rows, None)?;
    /// let first = store.scan(&chatwoot::LABELS, None, 2)?;
    /// assert_eq!(first.len(), 2);
    /// let rest = store.scan(&chatwoot::LABELS, Some(&first[1].0), 2)?;
    /// assert_eq!(rest, vec![("3".to_owned(), "{}".to_owned())]);
    /// # Ok::<(), chatdesk::backup::MemoryError>(())
    /// ```
    fn scan(
        &self,
        table: &Table,
        after: Option<&str>,
        limit: usize,
    ) -> Result<Vec<(String, String)>, Self::Error>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths() {
        for good in ["$", "$.a", "$.meta.sender.id", "$.a[0].b", "$.createdAt"] {
            assert!(is_json_path(good), "{good}");
        }
        for bad in [
            "", "a", "$.", "$..a", "$.a[]", "$.a[x]", "$.a'", "$.a b", "$[0",
        ] {
            assert!(!is_json_path(bad), "{bad}");
        }
    }

    #[test]
    fn names() {
        let dup = Table {
            name: "t",
            parent: Some("x"),
            columns: &[Column {
                name: "x",
                path: "$.x",
            }],
        };
        assert!(matches!(dup.check(), Err(TableError::Duplicate { .. })));
        let id = Table {
            name: "t",
            parent: None,
            columns: &[Column {
                name: "id",
                path: "$.id",
            }],
        };
        assert!(matches!(id.check(), Err(TableError::Duplicate { .. })));
        let upper = Table {
            name: "Tags",
            parent: None,
            columns: &[],
        };
        assert!(matches!(upper.check(), Err(TableError::Name { .. })));
    }
}
