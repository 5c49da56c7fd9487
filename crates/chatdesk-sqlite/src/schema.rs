//! The schema: its versioned migrations (`PRAGMA user_version`) and the
//! resource tables built from their declarations.

use chatdesk::backup::{Column, Table};
use rusqlite::{Connection, OptionalExtension, Transaction, TransactionBehavior};

/// One step of the schema, from the version before it to `version`.
///
/// A change to the database's shape is a new step at the end of
/// [`MIGRATIONS`], never an edit of an old one: a file at version N runs
/// exactly the steps after N, each in its own transaction with the new
/// version number, so a kill during a migration leaves the previous
/// version whole.
///
/// ```
/// use chatdesk_sqlite::{Migration, MIGRATIONS};
///
/// // A later version adds a column to a resource table:
/// fn v2(tx: &rusqlite::Transaction<'_>) -> rusqlite::Result<()> {
///     const SENDER_TYPE: chatdesk::backup::Column =
///         chatdesk::backup::Column { name: "sender_type", path: "$.sender_type" };
///     chatdesk_sqlite::add_column(tx, &chatdesk::backup::tables::chatwoot::MESSAGES, &SENDER_TYPE)
/// }
/// let mut steps = MIGRATIONS.to_vec();
/// steps.push(Migration { version: 2, what: "messages.sender_type", apply: v2 });
/// assert_eq!(steps.last().map(|s| s.version), Some(2));
/// ```
#[derive(Debug, Clone, Copy)]
pub struct Migration {
    /// The version the file has after this step.
    pub version: u32,
    /// What the step changes, for the log and for error messages.
    pub what: &'static str,
    /// The step itself, inside the transaction that also sets the version.
    pub apply: fn(&Transaction<'_>) -> rusqlite::Result<()>,
}

/// Every step of the schema, in order. The resource tables themselves are
/// made by [`Store::prepare`](chatdesk::backup::Store::prepare) from their
/// declarations; a column added to a declaration later needs a step here
/// that calls [`add_column`] (a file made before it has the table without
/// the column, and `prepare` refuses such a table).
///
/// ```
/// assert_eq!(chatdesk_sqlite::MIGRATIONS[0].version, 1);
/// ```
pub const MIGRATIONS: &[Migration] = &[Migration {
    version: 1,
    what: "the sync_state and runs tables",
    apply: v1,
}];

/// The version this code writes: the last step's.
///
/// ```
/// assert_eq!(chatdesk_sqlite::SCHEMA_VERSION, 1);
/// ```
pub const SCHEMA_VERSION: u32 = 1;

fn v1(tx: &Transaction<'_>) -> rusqlite::Result<()> {
    tx.execute_batch(
        "CREATE TABLE sync_state (
             resource TEXT NOT NULL,
             scope TEXT NOT NULL,
             position TEXT,
             watermark TEXT,
             complete INTEGER NOT NULL,
             updated_at TEXT NOT NULL,
             PRIMARY KEY (resource, scope)
         );
         CREATE TABLE runs (
             id INTEGER PRIMARY KEY,
             platform TEXT NOT NULL,
             kind TEXT NOT NULL,
             started_at TEXT NOT NULL,
             finished_at TEXT,
             ok INTEGER,
             items TEXT,
             requests INTEGER,
             retries INTEGER
         );",
    )
}

/// Why [`migrate`] stopped.
pub(crate) enum MigrateError {
    Newer { found: u32, known: u32 },
    Step { to: u32, source: rusqlite::Error },
}

/// Brings the file from its `user_version` to the last of `steps`.
///
/// Each step reads the version and applies itself inside one `IMMEDIATE`
/// transaction (the write lock taken first), so two processes opening the
/// same file at once never both run a step.
pub(crate) fn migrate(conn: &mut Connection, steps: &[Migration]) -> Result<(), MigrateError> {
    let known = steps.last().map_or(0, |s| s.version);
    let step_error = |to: u32| move |source| MigrateError::Step { to, source };
    loop {
        let tx = conn
            .transaction_with_behavior(TransactionBehavior::Immediate)
            .map_err(step_error(0))?;
        let found: u32 = tx
            .query_row("PRAGMA user_version", [], |row| row.get(0))
            .map_err(step_error(0))?;
        if found > known {
            return Err(MigrateError::Newer { found, known });
        }
        let Some(step) = steps.iter().find(|s| s.version > found) else {
            return Ok(());
        };
        (step.apply)(&tx).map_err(step_error(step.version))?;
        // `user_version` is in the file's header, written by this
        // transaction: the step and its number commit together.
        tx.pragma_update(None, "user_version", step.version)
            .map_err(step_error(step.version))?;
        tx.commit().map_err(step_error(step.version))?;
    }
}

/// A column's definition: computed from the JSON on every read, so it can
/// never disagree with it, and stored only in its index.
fn column_sql(column: &Column) -> String {
    // `Table::check` allows no quote in a path.
    format!(
        "{} GENERATED ALWAYS AS (json_extract(json, '{}')) VIRTUAL",
        column.name, column.path
    )
}

/// The parent column of a relationship table: the id's part before `:`.
fn parent_sql(name: &str) -> String {
    format!(
        "{name} GENERATED ALWAYS AS \
         (CASE WHEN instr(id, ':') > 0 THEN substr(id, 1, instr(id, ':') - 1) END) VIRTUAL"
    )
}

fn index_sql(table: &Table, column: &str) -> String {
    format!(
        "CREATE INDEX IF NOT EXISTS {t}_{column} ON {t} ({column})",
        t = table.name
    )
}

/// The `CREATE TABLE` of a resource table.
pub(crate) fn create_sql(table: &Table) -> String {
    let mut sql = format!(
        "CREATE TABLE {} (id TEXT PRIMARY KEY, json TEXT NOT NULL CHECK (json_valid(json))",
        table.name
    );
    for definition in table
        .parent
        .map(parent_sql)
        .into_iter()
        .chain(table.columns.iter().map(column_sql))
    {
        sql.push_str(", ");
        sql.push_str(&definition);
    }
    sql.push(')');
    sql
}

/// The columns a table has in the file (generated ones included), or
/// `None` if there is no such table.
fn existing_columns(conn: &Connection, table: &str) -> rusqlite::Result<Option<Vec<String>>> {
    let exists = conn
        .query_row(
            "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?1",
            [table],
            |_| Ok(()),
        )
        .optional()?;
    if exists.is_none() {
        return Ok(None);
    }
    let mut statement = conn.prepare("SELECT name FROM pragma_table_xinfo(?1)")?;
    let names = statement
        .query_map([table], |row| row.get::<_, String>(0))?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(Some(names))
}

/// What [`ensure_table`] found wrong.
pub(crate) enum EnsureError {
    Sql(rusqlite::Error),
    MissingColumn(String),
}

impl From<rusqlite::Error> for EnsureError {
    fn from(e: rusqlite::Error) -> Self {
        Self::Sql(e)
    }
}

/// Creates a resource table and its indexes, or checks that the existing
/// one has every declared column.
pub(crate) fn ensure_table(tx: &Transaction<'_>, table: &Table) -> Result<(), EnsureError> {
    match existing_columns(tx, table.name)? {
        None => {
            tx.execute_batch(&create_sql(table))?;
        }
        Some(existing) => {
            let declared = table
                .parent
                .into_iter()
                .chain(table.columns.iter().map(|c| c.name));
            for name in declared {
                if !existing.iter().any(|e| e == name) {
                    return Err(EnsureError::MissingColumn(name.to_owned()));
                }
            }
        }
    }
    for name in table
        .parent
        .into_iter()
        .chain(table.columns.iter().map(|c| c.name))
    {
        tx.execute_batch(&index_sql(table, name))?;
    }
    Ok(())
}

/// For a migration step: adds `column` (and its index) to `table` if the
/// file has the table and not yet the column. A `VIRTUAL` column is
/// computed on read, so the rows already there have it at once.
///
/// ```
/// # fn main() -> Result<(), Box<dyn std::error::Error>> {
/// use chatdesk::backup::{tables::chatwoot, Column, Store};
///
/// let mut conn = rusqlite::Connection::open_in_memory()?;
/// let tx = conn.transaction()?;
/// // No table yet: nothing to do (`prepare` will create it whole).
/// chatdesk_sqlite::add_column(&tx, &chatwoot::MESSAGES, &Column { name: "x", path: "$.x" })?;
/// # Ok(())
/// # }
/// ```
pub fn add_column(
    tx: &Transaction<'_>,
    table: &Table,
    column: &'static Column,
) -> rusqlite::Result<()> {
    let checked = Table {
        name: table.name,
        parent: None,
        columns: std::slice::from_ref(column),
    };
    if let Err(e) = checked.check() {
        return Err(rusqlite::Error::ToSqlConversionFailure(Box::new(e)));
    }
    match existing_columns(tx, table.name)? {
        Some(existing) if !existing.iter().any(|e| e == column.name) => tx.execute_batch(&format!(
            "ALTER TABLE {} ADD COLUMN {}; {}",
            table.name,
            column_sql(column),
            index_sql(table, column.name)
        )),
        _ => Ok(()),
    }
}
