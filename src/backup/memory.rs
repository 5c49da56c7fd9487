//! [`MemoryStore`]: the [`Store`] contract kept in memory, for tests and for
//! applications that hold a backup themselves.

use std::collections::BTreeMap;

use super::{Row, RunId, RunSummary, StateKey, Store, SyncState, Table, TableError};

/// A [`Store`] in `BTreeMap`s, with the same semantics as a database:
/// rows upserted by id, a commit kept whole or not at all, JSON checked.
///
/// ```
/// use chatdesk::backup::{tables::chatwoot, MemoryStore, Row, Store};
///
/// let mut store = MemoryStore::new();
/// store.prepare(&[chatwoot::LABELS])?;
/// store.commit(&chatwoot::LABELS, &[Row { id: "1", json: r#"{"id":1,"title":"vip"}"# }], None)?;
/// assert_eq!(store.row("labels", "1"), Some(r#"{"id":1,"title":"vip"}"#));
/// # Ok::<(), chatdesk::backup::MemoryError>(())
/// ```
#[derive(Debug, Default, Clone)]
pub struct MemoryStore {
    tables: BTreeMap<&'static str, BTreeMap<String, String>>,
    states: BTreeMap<StateKey, SyncState>,
    runs: Vec<Run>,
}

/// One run as recorded by a [`MemoryStore`].
///
/// ```
/// use chatdesk::backup::{MemoryStore, Store};
///
/// let mut store = MemoryStore::new();
/// store.start_run("chatwoot", "backup")?;
/// assert_eq!(store.runs()[0].kind, "backup");
/// assert!(store.runs()[0].summary.is_none()); // not finished
/// # Ok::<(), chatdesk::backup::MemoryError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Run {
    /// Its id.
    pub id: RunId,
    /// The platform given to [`Store::start_run`].
    pub platform: String,
    /// The kind given to [`Store::start_run`].
    pub kind: String,
    /// How it ended; `None` while running or if it was killed.
    pub summary: Option<RunSummary>,
}

/// What a [`MemoryStore`] refuses.
///
/// ```
/// use chatdesk::backup::{tables::chatwoot, MemoryError, MemoryStore, Store};
///
/// let mut store = MemoryStore::new(); // not prepared
/// let error = store.commit(&chatwoot::LABELS, &[], None).unwrap_err();
/// assert!(matches!(error, MemoryError::UnknownTable(_)));
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum MemoryError {
    /// A table was declared wrongly.
    #[error(transparent)]
    Table(#[from] TableError),
    /// A commit or count named a table that [`Store::prepare`] was not given.
    #[error("table `{0}` was not prepared; pass it to `prepare` first")]
    UnknownTable(String),
    /// A row's text is not JSON; nothing of its commit was kept.
    #[error(
        "table `{table}`, row `{id}`: the item is not JSON ({source}); nothing of this commit was kept"
    )]
    NotJson {
        /// The table.
        table: String,
        /// The row's id.
        id: String,
        /// What the parser said.
        source: serde_json::Error,
    },
    /// [`Store::finish_run`] was given an id that [`Store::start_run`] did not make.
    #[error("run {0} was never started in this store")]
    UnknownRun(RunId),
}

impl MemoryStore {
    /// An empty store.
    ///
    /// ```
    /// let store = chatdesk::backup::MemoryStore::new();
    /// assert!(store.runs().is_empty());
    /// ```
    pub fn new() -> Self {
        Self::default()
    }

    /// One row's JSON, if the table has it.
    ///
    /// ```
    /// let store = chatdesk::backup::MemoryStore::new();
    /// assert_eq!(store.row("contacts", "1"), None);
    /// ```
    pub fn row(&self, table: &str, id: &str) -> Option<&str> {
        self.tables.get(table)?.get(id).map(String::as_str)
    }

    /// A table's rows by id (ascending), if it was prepared.
    ///
    /// ```
    /// use chatdesk::backup::{tables::chatwoot, MemoryStore, Store};
    ///
    /// let mut store = MemoryStore::new();
    /// store.prepare(&[chatwoot::TEAMS])?;
    /// assert_eq!(store.rows("teams").map(|rows| rows.count()), Some(0));
    /// # Ok::<(), chatdesk::backup::MemoryError>(())
    /// ```
    pub fn rows(&self, table: &str) -> Option<impl Iterator<Item = (&str, &str)>> {
        let rows = self.tables.get(table)?;
        Some(rows.iter().map(|(id, json)| (id.as_str(), json.as_str())))
    }

    /// Every run, oldest first.
    ///
    /// ```
    /// use chatdesk::backup::{MemoryStore, Store};
    ///
    /// let mut store = MemoryStore::new();
    /// let run = store.start_run("chatbotx", "sync")?;
    /// assert_eq!(store.runs()[0].id, run);
    /// # Ok::<(), chatdesk::backup::MemoryError>(())
    /// ```
    pub fn runs(&self) -> &[Run] {
        &self.runs
    }
}

impl Store for MemoryStore {
    type Error = MemoryError;

    fn prepare(&mut self, tables: &[Table]) -> Result<(), MemoryError> {
        for table in tables {
            table.check()?;
        }
        for table in tables {
            self.tables.entry(table.name).or_default();
        }
        Ok(())
    }

    fn state(&self, key: &StateKey) -> Result<Option<SyncState>, MemoryError> {
        Ok(self.states.get(key).cloned())
    }

    fn states(&self, resource: &str) -> Result<Vec<(String, SyncState)>, MemoryError> {
        Ok(self
            .states
            .iter()
            .filter(|(key, _)| key.resource == resource)
            .map(|(key, state)| (key.scope.clone(), state.clone()))
            .collect())
    }

    fn commit(
        &mut self,
        table: &Table,
        rows: &[Row<'_>],
        state: Option<(&StateKey, &SyncState)>,
    ) -> Result<(), MemoryError> {
        // Every check before the first change: that is this store's
        // transaction.
        let Some(stored) = self.tables.get_mut(table.name) else {
            return Err(MemoryError::UnknownTable(table.name.to_owned()));
        };
        for row in rows {
            if let Err(source) = serde_json::from_str::<serde::de::IgnoredAny>(row.json) {
                return Err(MemoryError::NotJson {
                    table: table.name.to_owned(),
                    id: row.id.to_owned(),
                    source,
                });
            }
        }
        for row in rows {
            stored.insert(row.id.to_owned(), row.json.to_owned());
        }
        if let Some((key, state)) = state {
            self.states.insert(key.clone(), state.clone());
        }
        Ok(())
    }

    fn start_run(&mut self, platform: &str, kind: &str) -> Result<RunId, MemoryError> {
        let id = RunId::new(i64::try_from(self.runs.len()).unwrap_or(i64::MAX - 1) + 1);
        self.runs.push(Run {
            id,
            platform: platform.to_owned(),
            kind: kind.to_owned(),
            summary: None,
        });
        Ok(id)
    }

    fn finish_run(&mut self, run: RunId, summary: &RunSummary) -> Result<(), MemoryError> {
        let Some(found) = self.runs.iter_mut().find(|r| r.id == run) else {
            return Err(MemoryError::UnknownRun(run));
        };
        found.summary = Some(summary.clone());
        Ok(())
    }

    fn count(&self, table: &Table) -> Result<u64, MemoryError> {
        match self.tables.get(table.name) {
            Some(rows) => Ok(rows.len() as u64),
            None => Err(MemoryError::UnknownTable(table.name.to_owned())),
        }
    }

    fn scan(
        &self,
        table: &Table,
        after: Option<&str>,
        limit: usize,
    ) -> Result<Vec<(String, String)>, MemoryError> {
        use std::ops::Bound;
        let Some(rows) = self.tables.get(table.name) else {
            return Err(MemoryError::UnknownTable(table.name.to_owned()));
        };
        let start = match after {
            Some(after) => Bound::Excluded(after),
            None => Bound::Unbounded,
        };
        Ok(rows
            .range::<str, _>((start, Bound::Unbounded))
            .take(limit)
            .map(|(id, json)| (id.clone(), json.clone()))
            .collect())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;
    use crate::backup::tables::{self, chatwoot};

    fn page(n: u32) -> SyncState {
        SyncState {
            position: Some(n.to_string()),
            watermark: None,
            complete: false,
        }
    }

    #[test]
    fn upsert_replaces_and_never_duplicates() {
        let mut store = MemoryStore::new();
        store.prepare(tables::CHATWOOT).unwrap();
        let t = &chatwoot::MESSAGES;
        store
            .commit(
                t,
                &[
                    Row {
                        id: "1",
                        json: r#"{"v":1}"#,
                    },
                    Row {
                        id: "2",
                        json: "{}",
                    },
                ],
                None,
            )
            .unwrap();
        store
            .commit(
                t,
                &[Row {
                    id: "1",
                    json: r#"{"v":2}"#,
                }],
                None,
            )
            .unwrap();
        assert_eq!(store.count(t).unwrap(), 2);
        assert_eq!(store.row("messages", "1"), Some(r#"{"v":2}"#));
        // The same id twice in one commit: the last one wins.
        store
            .commit(
                t,
                &[Row { id: "3", json: "1" }, Row { id: "3", json: "2" }],
                None,
            )
            .unwrap();
        assert_eq!(store.row("messages", "3"), Some("2"));
        assert_eq!(store.count(t).unwrap(), 3);
    }

    #[test]
    fn failed_commit_keeps_nothing() {
        let mut store = MemoryStore::new();
        store.prepare(tables::CHATWOOT).unwrap();
        let t = &chatwoot::CONTACTS;
        let key = StateKey::whole("contacts");
        store
            .commit(
                t,
                &[Row {
                    id: "1",
                    json: "{}",
                }],
                Some((&key, &page(1))),
            )
            .unwrap();
        let error = store
            .commit(
                t,
                &[
                    Row {
                        id: "2",
                        json: "{}",
                    },
                    Row {
                        id: "3",
                        json: "{oops",
                    },
                ],
                Some((&key, &page(2))),
            )
            .unwrap_err();
        assert!(error.to_string().contains("row `3`"), "{error}");
        assert_eq!(store.count(t).unwrap(), 1);
        assert_eq!(store.state(&key).unwrap(), Some(page(1)));
    }

    #[test]
    fn states_round_trip_by_scope() {
        let mut store = MemoryStore::new();
        store.prepare(tables::CHATWOOT).unwrap();
        let t = &chatwoot::MESSAGES;
        let done = SyncState {
            position: None,
            watermark: Some("1718000000".into()),
            complete: true,
        };
        store
            .commit(t, &[], Some((&StateKey::new("messages", "9"), &page(3))))
            .unwrap();
        store
            .commit(t, &[], Some((&StateKey::new("messages", "10"), &done)))
            .unwrap();
        store
            .commit(t, &[], Some((&StateKey::whole("contacts"), &page(1))))
            .unwrap();
        assert_eq!(
            store.state(&StateKey::new("messages", "10")).unwrap(),
            Some(done.clone())
        );
        assert_eq!(
            store.states("messages").unwrap(),
            vec![("10".to_owned(), done), ("9".to_owned(), page(3))]
        );
        assert_eq!(store.state(&StateKey::whole("messages")).unwrap(), None);
    }

    #[test]
    fn runs_are_recorded() {
        let mut store = MemoryStore::new();
        let a = store.start_run("chatwoot", "backup").unwrap();
        let b = store.start_run("chatwoot", "sync").unwrap();
        let mut summary = RunSummary {
            ok: false,
            requests: 7,
            retries: 2,
            ..Default::default()
        };
        summary.items.insert("messages".into(), 5);
        store.finish_run(b, &summary).unwrap();
        assert_eq!(store.runs()[0].summary, None);
        assert_eq!(store.runs()[1].summary.as_ref(), Some(&summary));
        assert!(a < b);
        assert!(matches!(
            store.finish_run(RunId::new(99), &summary),
            Err(MemoryError::UnknownRun(_))
        ));
    }

    #[test]
    fn unprepared_and_invalid_tables_are_refused() {
        let mut store = MemoryStore::new();
        assert!(matches!(
            store.count(&chatwoot::LABELS),
            Err(MemoryError::UnknownTable(_))
        ));
        let bad = Table {
            name: "sync_state",
            parent: None,
            columns: &[],
        };
        assert!(matches!(store.prepare(&[bad]), Err(MemoryError::Table(_))));
    }
}
