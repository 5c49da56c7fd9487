//! Backups into a store of the application's choice: the storage contract
//! ([`Store`]), the tables of each platform ([`tables`]) and an in-memory
//! store ([`MemoryStore`]).
//!
//! The library itself depends on no database: the SQLite store is the
//! `chatdesk-sqlite` package, and an application can implement [`Store`]
//! for its own. A store keeps one table per resource, each row an item's
//! id and its JSON exactly as the server sent it, and the position of each
//! walk ([`SyncState`]) committed in the same transaction as the rows it
//! follows: a run killed at any moment loses nothing and duplicates
//! nothing when it is run again. One store holds one account of one
//! platform (both platforms have a `conversations` table).
//!
//! ```
//! use chatdesk::backup::{tables::chatwoot, MemoryStore, Row, StateKey, Store, SyncState};
//!
//! let mut store = MemoryStore::new();
//! store.prepare(chatdesk::backup::tables::CHATWOOT)?;
//! let key = StateKey::whole("conversations");
//! let after = SyncState { position: Some("page=2".into()), ..Default::default() };
//! let rows = [Row { id: "7", json: r#"{"id":7,"inbox_id":1,"status":"open"}"# }];
//! store.commit(&chatwoot::CONVERSATIONS, &rows, Some((&key, &after)))?;
//! // Rerun: resume from the saved position.
//! assert_eq!(store.state(&key)?.and_then(|s| s.position).as_deref(), Some("page=2"));
//! # Ok::<(), chatdesk::backup::MemoryError>(())
//! ```

#[cfg(any(feature = "chatwoot", feature = "chatbotx"))]
mod attachments;
#[cfg(feature = "chatbotx")]
mod chatbotx;
#[cfg(feature = "chatwoot")]
mod chatwoot;
// Used by the platform plans only.
#[cfg_attr(not(any(feature = "chatwoot", feature = "chatbotx")), allow(dead_code))]
mod copy;
mod memory;
#[cfg_attr(not(any(feature = "chatwoot", feature = "chatbotx")), allow(dead_code))]
mod plan;
mod redact;
mod run;
mod store;
pub mod tables;

#[cfg(feature = "chatbotx")]
pub use chatbotx::ChatbotxBackup;
#[cfg(feature = "chatwoot")]
pub use chatwoot::ChatwootBackup;
pub use memory::{MemoryError, MemoryStore, Run};
pub use redact::{REDACTED, redact};
pub use run::{
    ATTACHMENT_DOWNLOADS, AttachmentCounts, BackupError, MAX_ATTACHMENT_BYTES, Options, Progress,
    Report, ResourceStatus, RunKind, Status,
};
pub use store::{
    Column, RESERVED_TABLES, Row, RunId, RunSummary, StateKey, Store, SyncState, Table, TableError,
};
