//! [`SqliteStore`]: the backup contract on one SQLite file.

use std::path::{Path, PathBuf};
use std::time::Duration;

use chatdesk::backup::{Row, RunId, RunSummary, StateKey, Store, SyncState, Table};
use rusqlite::{Connection, OptionalExtension, TransactionBehavior, params};

use crate::error::{Error, What};
use crate::schema::{self, EnsureError, MIGRATIONS, MigrateError, Migration};

/// How long a statement waits for another connection's lock before it
/// fails: long enough for a reader's query, short enough to report a
/// second writer.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// SQLite's current time, ISO 8601 in UTC with milliseconds.
const NOW: &str = "strftime('%Y-%m-%dT%H:%M:%fZ', 'now')";

/// A backup in one SQLite file.
///
/// ```
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use chatdesk::backup::{tables, Store};
///
/// let dir = tempfile::tempdir()?;
/// let mut store = chatdesk_sqlite::SqliteStore::open(dir.path().join("b.db"))?;
/// store.prepare(tables::CHATBOTX)?;
/// assert_eq!(store.count(&tables::chatbotx::CONTACTS)?, 0);
/// # Ok(())
/// # }
/// ```
#[derive(Debug)]
pub struct SqliteStore {
    conn: Connection,
    path: PathBuf,
}

impl SqliteStore {
    /// Opens (or creates) the file and brings its schema to
    /// [`SCHEMA_VERSION`](crate::SCHEMA_VERSION); a file written by a newer
    /// version is refused, untouched.
    ///
    /// The file is in WAL mode with `synchronous=NORMAL`: a killed process
    /// loses no commit, and a power cut may lose the last few but never
    /// splits a page's rows from its position.
    ///
    /// ```
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let dir = tempfile::tempdir()?;
    /// let store = chatdesk_sqlite::SqliteStore::open(dir.path().join("b.db"))?;
    /// assert!(store.path().ends_with("b.db"));
    /// # Ok(())
    /// # }
    /// ```
    pub fn open(path: impl AsRef<Path>) -> Result<Self, Error> {
        Self::open_with(path, MIGRATIONS)
    }

    /// [`open`](Self::open) with other migration steps: for testing a step
    /// before it ships (the steps must start with [`MIGRATIONS`]).
    ///
    /// ```
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let dir = tempfile::tempdir()?;
    /// let path = dir.path().join("b.db");
    /// let store = chatdesk_sqlite::SqliteStore::open_with(&path, chatdesk_sqlite::MIGRATIONS)?;
    /// assert_eq!(store.schema_version()?, chatdesk_sqlite::SCHEMA_VERSION);
    /// # Ok(())
    /// # }
    /// ```
    pub fn open_with(path: impl AsRef<Path>, migrations: &[Migration]) -> Result<Self, Error> {
        let path = path.as_ref();
        let open_error = |e| Error::new(path, What::Open(e));
        let mut conn = Connection::open(path).map_err(open_error)?;
        conn.busy_timeout(BUSY_TIMEOUT).map_err(open_error)?;
        // `journal_mode` answers with the mode it set.
        let mode: String = conn
            .query_row("PRAGMA journal_mode = WAL", [], |row| row.get(0))
            .map_err(open_error)?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(open_error(rusqlite::Error::InvalidParameterName(format!(
                "journal_mode is {mode}, not wal"
            ))));
        }
        conn.pragma_update(None, "synchronous", "NORMAL")
            .map_err(open_error)?;
        schema::migrate(&mut conn, migrations).map_err(|e| match e {
            MigrateError::Newer { found, known } => Error::new(path, What::Newer { found, known }),
            MigrateError::Step { to, source } => Error::new(path, What::Migrate { to, source }),
        })?;
        Ok(Self {
            conn,
            path: path.to_owned(),
        })
    }

    /// The file.
    ///
    /// ```
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let dir = tempfile::tempdir()?;
    /// let store = chatdesk_sqlite::SqliteStore::open(dir.path().join("b.db"))?;
    /// println!("backing up into {}", store.path().display());
    /// # Ok(())
    /// # }
    /// ```
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The file's schema version (`PRAGMA user_version`).
    ///
    /// ```
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let dir = tempfile::tempdir()?;
    /// let store = chatdesk_sqlite::SqliteStore::open(dir.path().join("b.db"))?;
    /// assert_eq!(store.schema_version()?, 1);
    /// # Ok(())
    /// # }
    /// ```
    pub fn schema_version(&self) -> Result<u32, Error> {
        self.conn
            .query_row("PRAGMA user_version", [], |row| row.get(0))
            .map_err(|e| self.sql("reading the schema version", e))
    }

    /// The connection, for read queries (the schema is in the README).
    /// Writing through it bypasses the store's guarantees.
    ///
    /// ```
    /// # fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// # let dir = tempfile::tempdir()?;
    /// let store = chatdesk_sqlite::SqliteStore::open(dir.path().join("b.db"))?;
    /// let runs: i64 = store.connection().query_row("SELECT count(*) FROM runs", [], |r| r.get(0))?;
    /// assert_eq!(runs, 0);
    /// # Ok(())
    /// # }
    /// ```
    pub fn connection(&self) -> &Connection {
        &self.conn
    }

    fn sql(&self, doing: impl Into<String>, source: rusqlite::Error) -> Error {
        Error::new(
            &self.path,
            What::Sql {
                doing: doing.into(),
                source,
            },
        )
    }
}

fn state_from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<SyncState> {
    Ok(SyncState {
        position: row.get(0)?,
        watermark: row.get(1)?,
        complete: row.get(2)?,
    })
}

impl Store for SqliteStore {
    type Error = Error;

    fn prepare(&mut self, tables: &[Table]) -> Result<(), Error> {
        for table in tables {
            table
                .check()
                .map_err(|e| Error::new(&self.path, What::Table(e)))?;
        }
        let path = self.path.clone();
        let sql = |doing: &str, e| {
            Error::new(
                &path,
                What::Sql {
                    doing: doing.to_owned(),
                    source: e,
                },
            )
        };
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(|e| sql("preparing the tables", e))?;
        for table in tables {
            schema::ensure_table(&tx, table).map_err(|e| match e {
                EnsureError::Sql(e) => sql(&format!("creating table `{}`", table.name), e),
                EnsureError::MissingColumn(column) => Error::new(
                    &path,
                    What::MissingColumn {
                        table: table.name.to_owned(),
                        column,
                    },
                ),
            })?;
        }
        tx.commit().map_err(|e| sql("preparing the tables", e))
    }

    fn state(&self, key: &StateKey) -> Result<Option<SyncState>, Error> {
        self.conn
            .query_row(
                "SELECT position, watermark, complete FROM sync_state
                 WHERE resource = ?1 AND scope = ?2",
                params![key.resource, key.scope],
                state_from_row,
            )
            .optional()
            .map_err(|e| self.sql(format!("reading the state of `{}`", key.resource), e))
    }

    fn states(&self, resource: &str) -> Result<Vec<(String, SyncState)>, Error> {
        let read = || -> rusqlite::Result<Vec<(String, SyncState)>> {
            let mut statement = self.conn.prepare_cached(
                "SELECT position, watermark, complete, scope FROM sync_state
                 WHERE resource = ?1 ORDER BY scope",
            )?;
            let rows = statement.query_map([resource], |row| {
                Ok((row.get::<_, String>(3)?, state_from_row(row)?))
            })?;
            rows.collect()
        };
        read().map_err(|e| self.sql(format!("reading the states of `{resource}`"), e))
    }

    fn commit(
        &mut self,
        table: &Table,
        rows: &[Row<'_>],
        state: Option<(&StateKey, &SyncState)>,
    ) -> Result<(), Error> {
        let path = self.path.clone();
        let doing = |e| {
            Error::new(
                &path,
                What::Sql {
                    doing: format!("committing {} rows into `{}`", rows.len(), table.name),
                    source: e,
                },
            )
        };
        table
            .check()
            .map_err(|e| Error::new(&path, What::Table(e)))?;
        // Dropped without `commit` on any error below: rolled back whole.
        // `IMMEDIATE`: the write lock is taken first, so a second writer
        // waits (busy timeout) instead of failing midway.
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(doing)?;
        {
            let mut upsert = tx
                .prepare_cached(&format!(
                    "INSERT INTO {} (id, json) VALUES (?1, ?2)
                     ON CONFLICT (id) DO UPDATE SET json = excluded.json",
                    table.name
                ))
                .map_err(doing)?;
            for row in rows {
                upsert
                    .execute(params![row.id, row.json])
                    .map_err(|source| {
                        Error::new(
                            &path,
                            What::Row {
                                table: table.name.to_owned(),
                                id: row.id.to_owned(),
                                source,
                            },
                        )
                    })?;
            }
        }
        if let Some((key, state)) = state {
            tx.prepare_cached(&format!(
                "INSERT INTO sync_state (resource, scope, position, watermark, complete, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, {NOW})
                 ON CONFLICT (resource, scope) DO UPDATE SET
                     position = excluded.position, watermark = excluded.watermark,
                     complete = excluded.complete, updated_at = excluded.updated_at"
            ))
            .and_then(|mut save| {
                save.execute(params![
                    key.resource,
                    key.scope,
                    state.position,
                    state.watermark,
                    state.complete
                ])
            })
            .map_err(doing)?;
        }
        tx.commit().map_err(doing)
    }

    fn start_run(&mut self, platform: &str, kind: &str) -> Result<RunId, Error> {
        self.conn
            .execute(
                &format!("INSERT INTO runs (platform, kind, started_at) VALUES (?1, ?2, {NOW})"),
                params![platform, kind],
            )
            .map_err(|e| self.sql("recording the run's start", e))?;
        Ok(RunId::new(self.conn.last_insert_rowid()))
    }

    fn finish_run(&mut self, run: RunId, summary: &RunSummary) -> Result<(), Error> {
        // A map of strings to integers always serializes.
        let items = serde_json::to_string(&summary.items).unwrap_or_else(|_| "{}".to_owned());
        let changed = self
            .conn
            .execute(
                &format!(
                    "UPDATE runs SET finished_at = {NOW}, ok = ?2, items = ?3,
                     requests = ?4, retries = ?5 WHERE id = ?1"
                ),
                params![
                    run.get(),
                    summary.ok,
                    items,
                    i64::try_from(summary.requests).unwrap_or(i64::MAX),
                    i64::try_from(summary.retries).unwrap_or(i64::MAX)
                ],
            )
            .map_err(|e| self.sql("recording the run's end", e))?;
        if changed == 0 {
            return Err(Error::new(&self.path, What::UnknownRun(run)));
        }
        Ok(())
    }

    fn count(&self, table: &Table) -> Result<u64, Error> {
        table
            .check()
            .map_err(|e| Error::new(&self.path, What::Table(e)))?;
        let count: i64 = self
            .conn
            .query_row(&format!("SELECT count(*) FROM {}", table.name), [], |row| {
                row.get(0)
            })
            .map_err(|e| self.sql(format!("counting the rows of `{}`", table.name), e))?;
        Ok(u64::try_from(count).unwrap_or(0))
    }

    fn scan(
        &self,
        table: &Table,
        after: Option<&str>,
        limit: usize,
    ) -> Result<Vec<(String, String)>, Error> {
        table
            .check()
            .map_err(|e| Error::new(&self.path, What::Table(e)))?;
        let doing = |e| self.sql(format!("reading the rows of `{}`", table.name), e);
        // `id` is the primary key: this is a range scan of its index. Text
        // compares by bytes (the BINARY collation), as the trait says.
        let mut select = self
            .conn
            .prepare_cached(&format!(
                "SELECT id, json FROM {} WHERE ?1 IS NULL OR id > ?1 ORDER BY id LIMIT ?2",
                table.name
            ))
            .map_err(doing)?;
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let rows = select
            .query_map(params![after, limit], |row| Ok((row.get(0)?, row.get(1)?)))
            .map_err(doing)?;
        rows.collect::<Result<Vec<_>, _>>().map_err(doing)
    }
}
