//! The checkpoint file: where an export stands after its last whole page,
//! written atomically (a temporary file, synced, then renamed over the old
//! one), so that a kill at any moment leaves either the old or the new one.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use chatdesk::paginate::Position;
use serde::{Deserialize, Serialize};

use crate::failure::Failure;

/// The format of the file; a different one is refused, not guessed at.
/// Format 2 added the credentials' fingerprint; format 3 describes the
/// export in words ("chatwoot conversations of account 1 with status=all on
/// https://chat.example.com"), which messages can show as they are.
const FORMAT: u32 = 3;

/// What the checkpoint file holds. No token: only the command's listing,
/// filters and server, and counts.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Checkpoint {
    /// [`FORMAT`].
    pub format: u32,
    /// The listing, filters and server the export is of, in words: a rerun
    /// must be the same export to resume it.
    pub export: String,
    /// A fingerprint of the token (a SHA-256 prefix, never the token): a
    /// rerun with another token would append another workspace's items.
    pub credentials: String,
    /// Where the next page starts; `None` once the export is complete.
    pub next: Option<Position>,
    /// Items written so far.
    pub items: u64,
    /// Pages written so far.
    pub pages: u64,
    /// The length of the output file after the last whole page: anything
    /// after it is cut off on resume.
    pub output_bytes: u64,
}

impl Checkpoint {
    /// The checkpoint of an export that has not written anything yet.
    pub fn start(export: String, credentials: String) -> Self {
        Checkpoint {
            format: FORMAT,
            export,
            credentials,
            next: Some(Position::Start),
            items: 0,
            pages: 0,
            output_bytes: 0,
        }
    }

    /// Whether the export it describes is complete.
    pub fn is_done(&self) -> bool {
        self.next.is_none()
    }
}

/// Where checkpoints are kept, and the writing of them.
#[derive(Debug)]
pub struct CheckpointFile {
    path: PathBuf,
    temporary: PathBuf,
}

impl CheckpointFile {
    /// A checkpoint file at `path`; its temporary sits beside it, on the
    /// same file system, so that the rename is atomic.
    pub fn new(path: PathBuf) -> Self {
        let mut name = path.file_name().unwrap_or_default().to_os_string();
        name.push(".tmp");
        let temporary = path.with_file_name(name);
        CheckpointFile { path, temporary }
    }

    /// The checkpoint saved by an earlier run of `export` with the
    /// credentials of fingerprint `credentials`, if any.
    pub fn load(&self, export: &str, credentials: &str) -> Result<Option<Checkpoint>, Failure> {
        let text = match fs::read(&self.path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(Failure::usage(format!("cannot read {}: {e}", self.shown()))),
        };
        let checkpoint: Checkpoint = serde_json::from_slice(&text).map_err(|e| {
            Failure::usage(format!(
                "{} is not a chatdesk checkpoint ({e}); give another --checkpoint file, or \
                 delete this one to start over",
                self.shown()
            ))
        })?;
        if checkpoint.format != FORMAT {
            return Err(Failure::usage(format!(
                "{} was written by another version of chatdesk (checkpoint format {}, this \
                 one reads format {FORMAT}); delete it and rerun with --force to start over",
                self.shown(),
                checkpoint.format
            )));
        }
        if checkpoint.export != export {
            return Err(Failure::usage(format!(
                "{} belongs to another export: {}, not {export}; rerun that command to resume \
                 it, or give this export another --checkpoint file",
                self.shown(),
                checkpoint.export
            )));
        }
        if checkpoint.credentials != credentials {
            return Err(Failure::usage(format!(
                "{} was made with another token (fingerprint {}, this one is {credentials}); \
                 resuming would append another workspace's items to the output, so nothing \
                 was written. Rerun with the token it was made with, or give another \
                 --checkpoint and --output to start a new export",
                self.shown(),
                checkpoint.credentials
            )));
        }
        Ok(Some(checkpoint))
    }

    /// Replaces the saved checkpoint with `checkpoint`, atomically.
    pub fn save(&self, checkpoint: &Checkpoint) -> Result<(), Failure> {
        let write = || -> std::io::Result<()> {
            let mut file = fs::File::create(&self.temporary)?;
            serde_json::to_writer_pretty(&mut file, checkpoint)?;
            file.write_all(b"\n")?;
            file.sync_all()?;
            fs::rename(&self.temporary, &self.path)
        };
        write().map_err(|e| {
            Failure::local(format!(
                "cannot save the checkpoint {}: {e}; the output holds every item up to the last \
                 saved checkpoint",
                self.shown()
            ))
        })
    }

    fn shown(&self) -> String {
        shown(&self.path)
    }
}

/// A path as messages show it.
pub fn shown(path: &Path) -> String {
    format!("the checkpoint {}", path.display())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn saves_atomically_and_loads_only_its_own_export() {
        let dir = std::env::temp_dir().join(format!("chatdesk-ckpt-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let file = CheckpointFile::new(dir.join("export.ckpt"));
        assert_eq!(file.load("a", "f1").unwrap(), None);

        let mut checkpoint = Checkpoint::start("a".into(), "f1".into());
        checkpoint.next = Some(Position::Cursor("c+/=".into()));
        checkpoint.items = 500;
        file.save(&checkpoint).unwrap();
        assert!(!dir.join("export.ckpt.tmp").exists());
        assert_eq!(file.load("a", "f1").unwrap(), Some(checkpoint));

        let other = file.load("b", "f1").unwrap_err().to_string();
        assert!(
            other.contains("belongs to another export: a, not b"),
            "{other}"
        );

        let other_token = file.load("a", "f2").unwrap_err().to_string();
        assert!(other_token.contains("another token"), "{other_token}");

        fs::write(dir.join("export.ckpt"), "{not json").unwrap();
        let broken = file.load("a", "f1").unwrap_err().to_string();
        assert!(broken.contains("is not a chatdesk checkpoint"), "{broken}");
        fs::remove_dir_all(&dir).unwrap();
    }
}
