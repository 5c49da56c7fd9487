//! A SQLite [`Store`](chatdesk::backup::Store) for chatdesk backups.
//!
//! One file holds one account of one platform: a table per resource (each
//! row the item's id and its JSON exactly as the server sent it, with a few
//! columns computed from the JSON for filtering), `sync_state` (where each
//! walk stands) and `runs` (what each run did). Each commit writes a page's
//! rows and the position that follows them in one transaction, so a run
//! killed at any moment loses nothing and duplicates nothing. No token is
//! ever written. The schema is in this package's `README.md`.
//!
//! ```
//! # fn main() -> Result<(), Box<dyn std::error::Error>> {
//! use chatdesk::backup::{tables, Row, StateKey, Store, SyncState};
//! use chatdesk_sqlite::SqliteStore;
//!
//! let dir = tempfile::tempdir()?;
//! let mut store = SqliteStore::open(dir.path().join("backup.db"))?;
//! store.prepare(tables::CHATWOOT)?;
//! let next = SyncState { position: Some("2".into()), ..Default::default() };
//! store.commit(
//!     &tables::chatwoot::MESSAGES,
//!     &[Row { id: "1", json: r#"{"id":1,"conversation_id":7}"# }],
//!     Some((&StateKey::new("messages", "7"), &next)),
//! )?;
//! let conversation: i64 = store.connection().query_row(
//!     "SELECT conversation_id FROM messages WHERE id = '1'", [], |row| row.get(0))?;
//! assert_eq!(conversation, 7);
//! # Ok(())
//! # }
//! ```

mod error;
mod schema;
mod store;

pub use error::{Error, What};
/// The SQLite bindings, for [`Migration`] steps and read queries.
pub use rusqlite;
pub use schema::{MIGRATIONS, Migration, SCHEMA_VERSION, add_column};
pub use store::SqliteStore;

/// The README's Rust example, compiled as a doctest so it stays true.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
