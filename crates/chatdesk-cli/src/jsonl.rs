//! A backup's tables as JSON Lines files, one per table, and `chatdesk
//! export`, which writes them from an existing database.
//!
//! Any [`Store`] can be written: its rows are read a slice at a time
//! ([`Store::scan`]), so memory stays bounded whatever the table's size.
//! Each file is written to a temporary name in the same directory, synced,
//! then renamed into place: a kill leaves the old file or the new one,
//! never half of one.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use chatdesk::backup::{StateKey, Store, Table, tables};
use chatdesk_sqlite::SqliteStore;

use crate::args::ExportArgs;
use crate::failure::Failure;
use crate::progress::plural;

/// Rows read from the store at once.
const SLICE: usize = 1_000;

/// One file written.
#[derive(Debug)]
pub struct Written {
    /// The table.
    pub table: &'static str,
    /// Its rows, one line each.
    pub rows: u64,
}

/// Writes `dir/<table>.jsonl` for each of `tables` from `store`: each line
/// a row's JSON as stored.
pub fn write_tables<S: Store>(
    store: &S,
    tables: &[Table],
    dir: &Path,
) -> Result<Vec<Written>, Failure> {
    std::fs::create_dir_all(dir).map_err(|e| {
        Failure::usage(format!(
            "cannot create the directory {} for the JSON Lines files: {e}",
            dir.display()
        ))
    })?;
    tables
        .iter()
        .map(|table| write_table(store, table, dir))
        .collect()
}

fn write_table<S: Store>(store: &S, table: &Table, dir: &Path) -> Result<Written, Failure> {
    let path = dir.join(format!("{}.jsonl", table.name));
    let temporary = dir.join(format!(".{}.jsonl.{}.tmp", table.name, std::process::id()));
    let written = write_file(store, table, &temporary).and_then(|rows| {
        std::fs::rename(&temporary, &path)
            .map_err(|e| write_failure(&path, &e))
            .map(|()| rows)
    });
    match written {
        Ok(rows) => Ok(Written {
            table: table.name,
            rows,
        }),
        Err(failure) => {
            let _ = std::fs::remove_file(&temporary);
            Err(failure)
        }
    }
}

/// Writes the rows of `table` to `path` and syncs it; returns the count.
fn write_file<S: Store>(store: &S, table: &Table, path: &Path) -> Result<u64, Failure> {
    let file = File::create(path).map_err(|e| write_failure(path, &e))?;
    let mut out = BufWriter::new(file);
    let mut after: Option<String> = None;
    let mut rows = 0;
    loop {
        let slice = store.scan(table, after.as_deref(), SLICE).map_err(|e| {
            Failure::local(format!(
                "cannot read the table `{}` of the database: {e}",
                table.name
            ))
        })?;
        for (_, json) in &slice {
            write_line(&mut out, json).map_err(|e| write_failure(path, &e))?;
            rows += 1;
        }
        match slice.last() {
            Some((id, _)) if slice.len() == SLICE => after = Some(id.clone()),
            _ => break,
        }
    }
    let file = out
        .into_inner()
        .map_err(|e| write_failure(path, e.error()))?;
    file.sync_all().map_err(|e| write_failure(path, &e))?;
    Ok(rows)
}

/// One line: the JSON with any line break between its tokens made a
/// space (inside JSON strings line breaks are always escaped, so a raw one
/// can only be whitespace), then `\n`.
fn write_line(out: &mut impl Write, json: &str) -> std::io::Result<()> {
    if json.contains(['\n', '\r']) {
        out.write_all(json.replace(['\n', '\r'], " ").as_bytes())?;
    } else {
        out.write_all(json.as_bytes())?;
    }
    out.write_all(b"\n")
}

fn write_failure(path: &Path, error: &std::io::Error) -> Failure {
    Failure::local(format!("cannot write {}: {error}", path.display()))
}

/// The platform a backup database holds, by the account it names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Holds {
    /// A Chatwoot account.
    Chatwoot,
    /// A ChatbotX workspace.
    Chatbotx,
}

impl Holds {
    /// The tables of that platform.
    pub fn tables(self) -> &'static [Table] {
        match self {
            Holds::Chatwoot => tables::CHATWOOT,
            Holds::Chatbotx => tables::CHATBOTX,
        }
    }
}

/// What `store` holds: the account its backups recorded (the engine's
/// `account` state), or `None` for a database no backup has written to.
pub fn account<S: Store>(store: &S) -> Result<Option<(Holds, String)>, S::Error> {
    let state = store.state(&StateKey::whole("account"))?;
    Ok(state.and_then(|s| s.position).map(|account| {
        let holds = if account.contains("ChatbotX") {
            Holds::Chatbotx
        } else {
            Holds::Chatwoot
        };
        (holds, account)
    }))
}

/// `chatdesk export --db FILE --jsonl DIR`.
pub fn export(args: &ExportArgs, quiet: bool) -> Result<(), Failure> {
    if !args.db.is_file() {
        return Err(Failure::usage(format!(
            "{} is not a file; make a backup first with `chatdesk chatwoot backup --account-id N \
             --db {0}` or `chatdesk chatbotx backup --db {0}`",
            args.db.display()
        )));
    }
    let store = SqliteStore::open(&args.db).map_err(crate::backup::store_failure)?;
    let Some((holds, account)) = account(&store).map_err(crate::backup::store_failure)? else {
        return Err(Failure::usage(format!(
            "{} holds no backup yet; run `chatdesk chatwoot backup` or `chatdesk chatbotx \
             backup` with --db {0} first",
            args.db.display()
        )));
    };
    let written = write_tables(&store, holds.tables(), &args.jsonl)?;
    if !quiet {
        print_written(&written, &args.jsonl, &account);
    }
    Ok(())
}

/// The summary of the files written, on standard error.
pub fn print_written(written: &[Written], dir: &Path, account: &str) {
    let rows: u64 = written.iter().map(|w| w.rows).sum();
    eprintln!(
        "chatdesk: {} of {account} → {} ({}):",
        plural(rows, "row"),
        dir.display(),
        plural(written.len() as u64, "file")
    );
    for w in written {
        let file: PathBuf = format!("{}.jsonl", w.table).into();
        eprintln!("  {:<34} {:>9}", file.display(), w.rows);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chatdesk::backup::{MemoryStore, Row};

    #[test]
    fn every_row_is_one_line_and_no_temporary_file_stays() {
        let dir = std::env::temp_dir().join(format!("chatdesk-jsonl-unit-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let mut store = MemoryStore::new();
        store.prepare(tables::CHATWOOT).unwrap();
        let rows: Vec<(String, String)> = (0..2_500)
            .map(|i| (i.to_string(), format!("{{\"id\":{i},\n\"x\":\"a\\nb\"}}")))
            .collect();
        let rows: Vec<Row<'_>> = rows.iter().map(|(id, json)| Row { id, json }).collect();
        store
            .commit(&tables::chatwoot::LABELS, &rows, None)
            .unwrap();
        let written = write_tables(&store, tables::CHATWOOT, &dir).unwrap();
        assert_eq!(written.len(), tables::CHATWOOT.len());
        let text = std::fs::read_to_string(dir.join("labels.jsonl")).unwrap();
        assert_eq!(text.lines().count(), 2_500);
        for line in text.lines() {
            let value: serde_json::Value = serde_json::from_str(line).unwrap();
            assert_eq!(value["x"], "a\nb");
        }
        assert_eq!(
            std::fs::read_to_string(dir.join("messages.jsonl")).unwrap(),
            ""
        );
        let names: Vec<String> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        assert!(
            names
                .iter()
                .all(|n| n.ends_with(".jsonl") && !n.starts_with('.')),
            "{names:?}"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}
