//! A SQLite [`Store`](chatdesk::backup::Store) for chatdesk backups.
//!
//! The `chatdesk` library backs up a whole Chatwoot account or ChatbotX
//! workspace into any [`Store`](chatdesk::backup::Store), and depends on no
//! database itself; this package is the store most applications want: one
//! file, queryable with `sqlite3` or any SQLite client while a backup
//! writes to it. SQLite is compiled in: no system library is needed.
//!
//! One file holds one account of one platform: a table per resource (each
//! row the item's id and its JSON exactly as the server sent it, with a few
//! columns computed from the JSON for filtering), `sync_state` (where each
//! walk stands) and `runs` (what each run did). Each commit writes a page's
//! rows and the position that follows them in one transaction, so a run
//! killed at any moment loses nothing and duplicates nothing: the same run
//! started again continues, and once a backup is complete, it syncs what
//! changed. No token is ever written. The schema is in this package's
//! `README.md`.
//!
//! ```toml
//! [dependencies]
//! chatdesk = "0.1"
//! chatdesk-sqlite = "0.1"
//! tokio = { version = "1", features = ["macros", "rt-multi-thread"] }
//! ```
//!
//! A backup of a Chatwoot account (here a fake one, from `chatdesk-fake`)
//! into a SQLite file, then a query of the file:
//!
//! ```
//! use chatdesk::backup::ChatwootBackup;
//! use chatdesk_fake::FakeChatwoot;
//! use chatdesk_sqlite::SqliteStore;
//!
//! #[tokio::main]
//! async fn main() -> Result<(), Box<dyn std::error::Error>> {
//!     // A real account: the server's URL and a user's access token instead.
//!     let fake = FakeChatwoot::builder().conversations(40).seed(7).start().await?;
//!     let client = chatdesk::chatwoot::Client::builder()
//!         .base_url(fake.base_url())
//!         .api_access_token(fake.token())
//!         .build()?;
//!
//!     let dir = tempfile::tempdir()?;
//!     let mut store = SqliteStore::open(dir.path().join("support.db"))?;
//!     // Account 1. Run the same line again later: it reads what changed.
//!     let report = ChatwootBackup::new(client, 1).run(&mut store, &mut ()).await?;
//!     assert_eq!(report.items.get("conversations"), Some(&40));
//!
//!     // Conversations by status, from the column computed from the JSON.
//!     let mut by_status = store.connection().prepare(
//!         "SELECT status, count(*) FROM conversations GROUP BY status ORDER BY status",
//!     )?;
//!     let counts = by_status.query_map([], |row| {
//!         Ok((row.get::<_, String>(0)?, row.get::<_, i64>(1)?))
//!     })?;
//!     let mut total = 0;
//!     for count in counts {
//!         let (status, n) = count?;
//!         println!("{status}: {n}");
//!         total += n;
//!     }
//!     assert_eq!(total, 40);
//!     Ok(())
//! }
//! ```
//!
//! A store can also be written directly, a page of rows and the position
//! after it in one commit, for a walk of your own:
//!
//! ```
//! use chatdesk::backup::{tables, Row, StateKey, Store, SyncState};
//! use chatdesk_sqlite::SqliteStore;
//!
//! fn main() -> Result<(), Box<dyn std::error::Error>> {
//!     let dir = tempfile::tempdir()?;
//!     let mut store = SqliteStore::open(dir.path().join("backup.db"))?;
//!     store.prepare(tables::CHATWOOT)?;
//!     let next = SyncState { position: Some("2".into()), ..Default::default() };
//!     store.commit(
//!         &tables::chatwoot::MESSAGES,
//!         &[Row { id: "1", json: r#"{"id":1,"conversation_id":7}"# }],
//!         Some((&StateKey::new("messages", "7"), &next)),
//!     )?;
//!     let conversation: i64 = store.connection().query_row(
//!         "SELECT conversation_id FROM messages WHERE id = '1'",
//!         [],
//!         |row| row.get(0),
//!     )?;
//!     assert_eq!(conversation, 7);
//!     Ok(())
//! }
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
