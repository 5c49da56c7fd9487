//! [`Error`]: which database file, what failed, and what to do about it.

use std::fmt;
use std::path::{Path, PathBuf};

use chatdesk::backup::{RunId, TableError};

/// A failure of a [`SqliteStore`](crate::SqliteStore), naming its file.
///
/// ```no_run
/// use chatdesk_sqlite::SqliteStore;
///
/// match SqliteStore::open("/no/such/dir/backup.db") {
///     Ok(_) => {}
///     Err(error) => eprintln!("{error}"), // "/no/such/dir/backup.db: cannot open ..."
/// }
/// ```
#[derive(Debug)]
pub struct Error(Box<Inner>);

/// Boxed: an error is rare, and a small `Result` keeps every call cheap.
#[derive(Debug)]
struct Inner {
    path: PathBuf,
    what: What,
}

/// What failed, for callers that act on it.
///
/// ```
/// use chatdesk_sqlite::What;
///
/// let what = What::Newer { found: 3, known: 1 };
/// assert!(what.to_string().contains("upgrade chatdesk"));
/// ```
#[derive(Debug)]
#[non_exhaustive]
pub enum What {
    /// The file could not be opened or set up.
    Open(rusqlite::Error),
    /// The file's schema is newer than this code knows.
    Newer {
        /// The file's schema version.
        found: u32,
        /// The newest version this code knows.
        known: u32,
    },
    /// A migration step failed; the file stays at the version before it.
    Migrate {
        /// The version the step leads to.
        to: u32,
        /// SQLite's error.
        source: rusqlite::Error,
    },
    /// A table was declared wrongly.
    Table(TableError),
    /// A table in the file lacks a column its declaration has: the
    /// declaration changed without a migration step.
    MissingColumn {
        /// The table.
        table: String,
        /// The column.
        column: String,
    },
    /// A row was refused (its text is not JSON); nothing of its commit was kept.
    Row {
        /// The table.
        table: String,
        /// The row's id.
        id: String,
        /// SQLite's error.
        source: rusqlite::Error,
    },
    /// [`Store::finish_run`](chatdesk::backup::Store::finish_run) was
    /// given an id this file has no run for.
    UnknownRun(RunId),
    /// Another statement failed.
    Sql {
        /// What was being done.
        doing: String,
        /// SQLite's error.
        source: rusqlite::Error,
    },
}

impl Error {
    pub(crate) fn new(path: &Path, what: What) -> Self {
        Self(Box::new(Inner {
            path: path.to_owned(),
            what,
        }))
    }

    /// The database file.
    ///
    /// ```no_run
    /// # let error: chatdesk_sqlite::Error = todo!();
    /// eprintln!("failed on {}", error.path().display());
    /// ```
    pub fn path(&self) -> &Path {
        &self.0.path
    }

    /// What failed.
    ///
    /// ```no_run
    /// # let error: chatdesk_sqlite::Error = todo!();
    /// if let chatdesk_sqlite::What::Newer { found, .. } = error.what() {
    ///     eprintln!("written by a newer version: {found}");
    /// }
    /// ```
    pub fn what(&self) -> &What {
        &self.0.what
    }
}

/// SQLite's answer when another connection holds the lock too long.
fn is_busy(error: &rusqlite::Error) -> bool {
    matches!(
        error.sqlite_error_code(),
        Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
    )
}

fn hint(error: &rusqlite::Error) -> &'static str {
    if is_busy(error) {
        ": another program is writing to this database: wait for it to finish, then run again"
    } else if matches!(
        error.sqlite_error_code(),
        Some(rusqlite::ErrorCode::DiskFull)
    ) {
        ": the disk is full: free space, then run again (what was committed is kept)"
    } else {
        ""
    }
}

impl fmt::Display for What {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            What::Open(e) => write!(
                f,
                "cannot open the database{}; check the path, its directory and permissions",
                hint(e)
            ),
            What::Newer { found, known } => write!(
                f,
                "the database was written by a newer chatdesk (schema version {found}; this one knows up to {known}); upgrade chatdesk"
            ),
            What::Migrate { to, source } => write!(
                f,
                "upgrading the schema to version {to} failed{}; the file was left as it was",
                hint(source)
            ),
            What::Table(e) => write!(f, "{e}"),
            What::MissingColumn { table, column } => write!(
                f,
                "table `{table}` has no column `{column}`: the table's declaration changed without a migration step (a bug in chatdesk; please report it)"
            ),
            What::Row { table, id, .. } => write!(
                f,
                "table `{table}`, row `{id}` was refused; nothing of this commit was kept"
            ),
            What::UnknownRun(run) => write!(f, "run {run} was never started in this database"),
            What::Sql { doing, source } => write!(f, "{doing} failed{}", hint(source)),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.0.path.display(), self.0.what)
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match &self.0.what {
            What::Open(e)
            | What::Migrate { source: e, .. }
            | What::Row { source: e, .. }
            | What::Sql { source: e, .. } => Some(e),
            // Its message is the whole of this error's.
            What::Table(_)
            | What::Newer { .. }
            | What::MissingColumn { .. }
            | What::UnknownRun(_) => None,
        }
    }
}
