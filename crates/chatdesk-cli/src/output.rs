//! Where the JSON Lines go: standard output or a file. Each page is written
//! whole, in one call, so an error between pages leaves only whole items;
//! with a checkpoint the file is synced before the checkpoint names its
//! length, and a resumed run cuts off whatever came after that length.

use std::collections::HashSet;
use std::fs::{File, OpenOptions};
use std::io::{self, BufRead, BufReader, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use chatdesk::RawItem;

use crate::failure::Failure;

/// The destination of the items.
pub struct Output {
    sink: Sink,
    /// Bytes in the destination so far.
    bytes: u64,
}

enum Sink {
    Stdout(io::Stdout),
    File { file: File, path: PathBuf },
}

impl Output {
    /// Standard output.
    pub fn stdout() -> Self {
        Output {
            sink: Sink::Stdout(io::stdout()),
            bytes: 0,
        }
    }

    /// A new file at `path`. A file already there that holds something is
    /// replaced only with `force`: it may be an earlier export, which a
    /// rerun without its checkpoint would silently lose. An empty file
    /// (made by `mktemp`, say) and what is not a regular file (such as
    /// /dev/null) are written to as they are. `checkpointed` says whether
    /// the export has a checkpoint, which changes the advice.
    pub fn create(path: &Path, force: bool, checkpointed: bool) -> Result<Self, Failure> {
        let holds_something = std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.len() > 0);
        if holds_something && !force {
            let resume = if checkpointed {
                "; this --checkpoint is new, so it cannot continue that file: give the \
                 checkpoint the interrupted run used to resume it"
            } else {
                "; to continue an interrupted export, rerun it with the --checkpoint it was \
                 started with"
            };
            return Err(Failure::usage(format!(
                "the output file {} already exists: add --force to replace it, or choose \
                 another --output file{resume}",
                path.display()
            )));
        }
        let file = File::create(path).map_err(|e| {
            Failure::usage(format!(
                "cannot create the output file {}: {e}",
                path.display()
            ))
        })?;
        Ok(Output {
            sink: Sink::File {
                file,
                path: path.to_path_buf(),
            },
            bytes: 0,
        })
    }

    /// The file at `path` of an export being resumed: it is cut back to
    /// `length` (what the checkpoint vouches for), and the ids of the items
    /// it holds are returned, so that none is written twice.
    pub fn resume(path: &Path, length: u64) -> Result<(Self, HashSet<String>), Failure> {
        let shown = path.display();
        let mut file = OpenOptions::new()
            .read(true)
            .write(true)
            .open(path)
            .map_err(|e| {
                Failure::usage(format!(
                    "cannot open the output file {shown} to resume: {e}; give the same --output \
                     as the interrupted run, or delete the checkpoint to start over"
                ))
            })?;
        let actual = file
            .metadata()
            .map_err(|e| Failure::local(format!("cannot read {shown}: {e}")))?
            .len();
        if actual < length {
            return Err(Failure::usage(format!(
                "the output file {shown} has {actual} bytes but the checkpoint vouches for \
                 {length}: it was changed since; delete the checkpoint to start over"
            )));
        }
        let cut = |e: io::Error| Failure::local(format!("cannot cut {shown} back: {e}"));
        file.set_len(length).map_err(cut)?;
        let ids = ids_in(&file, path)?;
        // The reader shared the file's offset: write from the end.
        file.seek(SeekFrom::Start(length)).map_err(cut)?;
        Ok((
            Output {
                sink: Sink::File {
                    file,
                    path: path.to_path_buf(),
                },
                bytes: length,
            },
            ids,
        ))
    }

    /// Writes one page of lines, whole. With `durable`, the file is synced
    /// to disk before returning, so that a checkpoint written next never
    /// names bytes a crash could lose.
    pub fn write_page(&mut self, lines: &[u8], durable: bool) -> io::Result<()> {
        match &mut self.sink {
            Sink::Stdout(stdout) => {
                let mut lock = stdout.lock();
                lock.write_all(lines)?;
                lock.flush()?;
            }
            Sink::File { file, .. } => {
                file.write_all(lines)?;
                if durable {
                    file.sync_data()?;
                }
            }
        }
        self.bytes += lines.len() as u64;
        Ok(())
    }

    /// Bytes in the destination so far.
    pub fn bytes(&self) -> u64 {
        self.bytes
    }

    /// The file's path, or `None` for standard output.
    pub fn path(&self) -> Option<&Path> {
        match &self.sink {
            Sink::Stdout(_) => None,
            Sink::File { path, .. } => Some(path),
        }
    }
}

/// The ids of the items in `file` (read from its start).
fn ids_in(file: &File, path: &Path) -> Result<HashSet<String>, Failure> {
    let mut reader = BufReader::new(
        file.try_clone()
            .map_err(|e| Failure::local(format!("cannot read {}: {e}", path.display())))?,
    );
    reader
        .seek(SeekFrom::Start(0))
        .map_err(|e| Failure::local(format!("cannot read {}: {e}", path.display())))?;
    let mut ids = HashSet::new();
    for (number, line) in reader.lines().enumerate() {
        let line =
            line.map_err(|e| Failure::local(format!("cannot read {}: {e}", path.display())))?;
        let item: RawItem = serde_json::from_str(&line).map_err(|e| {
            Failure::usage(format!(
                "line {} of the output file {} is not an exported item ({e}): the file was \
                 changed since the checkpoint; delete the checkpoint to start over",
                number + 1,
                path.display()
            ))
        })?;
        ids.insert(item.id().to_string());
    }
    Ok(ids)
}
