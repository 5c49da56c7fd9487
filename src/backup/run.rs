//! What a backup run is told ([`Options`]), what it reports while it works
//! ([`Progress`], [`Status`]) and when it ends ([`Report`]), and how it fails
//! ([`BackupError`]).

use std::collections::BTreeMap;
use std::time::Duration;

/// How a backup run behaves. The defaults suit a scheduled job: continue
/// what is unfinished, otherwise sync what changed since the last run with
/// five minutes of overlap, credentials redacted.
///
/// ```
/// use std::time::Duration;
/// use chatdesk::backup::Options;
///
/// let options = Options::default().with_overlap(Duration::from_secs(600));
/// assert!(!options.full && !options.keep_secrets);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Options {
    /// Read everything again even after a complete backup: the only way
    /// to see what the servers cannot report as changed (edited contacts
    /// on Chatwoot, deleted items, edited old messages). Rows are upserted;
    /// a row deleted on the server stays in the store.
    pub full: bool,
    /// How far before the last run's watermark a sync starts reading, so
    /// that clock skew between this machine and the server, and changes
    /// written while the last run was reading, are not missed.
    pub overlap: Duration,
    /// Keep the credentials that an administrator's token sees in inbox
    /// objects (the platform's `CREDENTIAL_KEYS`). By default their values
    /// are replaced by `"[redacted]"` before anything is stored.
    pub keep_secrets: bool,
    /// How many listings (a conversation's messages, a contact's messages)
    /// are walked at once, and how many pages of a whole-account listing
    /// numbered by page are fetched at once (at most 32). Requests beyond
    /// the client's rate limit wait in the client, so this can be
    /// generous; 1 makes the backup sequential.
    pub concurrency: usize,
    /// Chatwoot: a sync whose gap (now minus the watermark, plus the
    /// overlap) is at most this asks `updated_within`, which the server
    /// answers in one response; a longer gap pages through the
    /// conversation filter on `last_activity_at` instead.
    pub updated_within_max: Duration,
    /// Download every message attachment into this directory, each file
    /// once, named by its content's SHA-256; `None` (the default) stores
    /// only the attachments' URLs, inside the messages. The token is
    /// never sent with these downloads: attachment URLs point at storage
    /// hosts.
    pub attachments: Option<std::path::PathBuf>,
    /// The largest attachment downloaded, in bytes: a bigger file is
    /// recorded as failed, and nothing of it stays on disk.
    pub attachment_max_bytes: u64,
}

/// The default [`Options::attachment_max_bytes`]: 100 MiB.
///
/// ```
/// assert_eq!(chatdesk::backup::MAX_ATTACHMENT_BYTES, 100 * 1024 * 1024);
/// ```
pub const MAX_ATTACHMENT_BYTES: u64 = 100 * 1024 * 1024;

/// How many attachments download at once. Storage hosts are not the API:
/// these downloads are outside the client's rate limit.
///
/// ```
/// assert!(chatdesk::backup::ATTACHMENT_DOWNLOADS >= 1);
/// ```
pub const ATTACHMENT_DOWNLOADS: usize = 8;

impl Default for Options {
    fn default() -> Self {
        Options {
            full: false,
            overlap: Duration::from_secs(5 * 60),
            keep_secrets: false,
            concurrency: 32,
            updated_within_max: Duration::from_secs(24 * 3600),
            attachments: None,
            attachment_max_bytes: MAX_ATTACHMENT_BYTES,
        }
    }
}

impl Options {
    /// The pages of a numbered listing fetched at once: the concurrency,
    /// at most 32 (each page in flight is held in memory).
    pub(crate) fn page_concurrency(&self) -> usize {
        self.concurrency.clamp(1, 32)
    }

    /// The defaults, then [`full`](Self::full) as given.
    ///
    /// ```
    /// assert!(chatdesk::backup::Options::default().with_full(true).full);
    /// ```
    #[must_use]
    pub fn with_full(mut self, full: bool) -> Self {
        self.full = full;
        self
    }

    /// [`keep_secrets`](Self::keep_secrets) as given.
    ///
    /// ```
    /// assert!(chatdesk::backup::Options::default().with_keep_secrets(true).keep_secrets);
    /// ```
    #[must_use]
    pub fn with_keep_secrets(mut self, keep: bool) -> Self {
        self.keep_secrets = keep;
        self
    }

    /// [`overlap`](Self::overlap) as given.
    ///
    /// ```
    /// let o = chatdesk::backup::Options::default().with_overlap(std::time::Duration::ZERO);
    /// assert!(o.overlap.is_zero());
    /// ```
    #[must_use]
    pub fn with_overlap(mut self, overlap: Duration) -> Self {
        self.overlap = overlap;
        self
    }

    /// [`attachments`](Self::attachments) as given.
    ///
    /// ```
    /// let o = chatdesk::backup::Options::default().with_attachments(Some("files".into()));
    /// assert!(o.attachments.is_some());
    /// ```
    #[must_use]
    pub fn with_attachments(mut self, dir: Option<std::path::PathBuf>) -> Self {
        self.attachments = dir;
        self
    }

    /// [`attachment_max_bytes`](Self::attachment_max_bytes) as given.
    ///
    /// ```
    /// let o = chatdesk::backup::Options::default().with_attachment_max_bytes(1 << 20);
    /// assert_eq!(o.attachment_max_bytes, 1_048_576);
    /// ```
    #[must_use]
    pub fn with_attachment_max_bytes(mut self, bytes: u64) -> Self {
        self.attachment_max_bytes = bytes;
        self
    }

    /// [`concurrency`](Self::concurrency) as given (at least 1).
    ///
    /// ```
    /// assert_eq!(chatdesk::backup::Options::default().with_concurrency(0).concurrency, 1);
    /// ```
    #[must_use]
    pub fn with_concurrency(mut self, concurrency: usize) -> Self {
        self.concurrency = concurrency.max(1);
        self
    }
}

/// What a run did: the first backup, the continuation of an interrupted
/// one, a sync after a complete one, or a full refresh asked for with
/// [`Options::full`].
///
/// ```
/// assert_eq!(chatdesk::backup::RunKind::Sync.as_str(), "sync");
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RunKind {
    /// Nothing was stored yet.
    Backup,
    /// An earlier backup was interrupted; it continues where it stopped.
    Resume,
    /// The backup was complete; only what changed is read.
    Sync,
    /// Everything is read again.
    Full,
}

impl RunKind {
    /// The kind as a word, as the `runs` table records it.
    ///
    /// ```
    /// assert_eq!(chatdesk::backup::RunKind::Resume.as_str(), "resume");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            RunKind::Backup => "backup",
            RunKind::Resume => "resume",
            RunKind::Sync => "sync",
            RunKind::Full => "full",
        }
    }
}

impl std::fmt::Display for RunKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One resource's counts so far.
///
/// ```
/// let r = chatdesk::backup::ResourceStatus::default();
/// assert_eq!((r.items, r.pages), (0, 0));
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ResourceStatus {
    /// The table's name.
    pub name: &'static str,
    /// Items stored by this run.
    pub items: u64,
    /// Pages (answers) read by this run, one request each before retries.
    pub pages: u64,
    /// Listings (a conversation's messages, for one) still to walk, when
    /// the resource is many listings.
    pub listings_left: u64,
    /// Listings walked to their end by this run.
    pub listings_done: u64,
    /// Whether the resource is done for this run.
    pub done: bool,
}

/// What a run did with message attachments ([`Options::attachments`]).
///
/// ```
/// let a = chatdesk::backup::AttachmentCounts::default();
/// assert_eq!((a.downloaded, a.failed, a.bytes), (0, 0, 0));
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct AttachmentCounts {
    /// Messages looked at for attachment URLs.
    pub messages: u64,
    /// Files downloaded (each URL once; two URLs with the same content
    /// make one file).
    pub downloaded: u64,
    /// Bytes downloaded.
    pub bytes: u64,
    /// Downloads that failed (recorded with their status; tried again when
    /// their message is looked at again).
    pub failed: u64,
    /// URLs found already downloaded, by an earlier run or this one.
    pub skipped: u64,
    /// Whether the attachments are done for this run.
    pub done: bool,
}

/// The state of a running backup, given to [`Progress::update`] after every
/// committed page.
///
/// ```
/// let status = chatdesk::backup::Status::default();
/// assert_eq!(status.requests, 0);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Status {
    /// The resources in the order the run reads them.
    pub resources: Vec<ResourceStatus>,
    /// Requests sent by the run's client so far, retries included.
    pub requests: u64,
    /// Of those, retries.
    pub retries: u64,
    /// Time since the run started.
    pub elapsed: Duration,
    /// An estimate of the requests still to send, when one can be made
    /// (from the listings left and the requests they took so far).
    pub requests_left: Option<u64>,
    /// Attachment downloads so far (not counted in `requests`: they go to
    /// storage hosts, not the API).
    pub attachments: AttachmentCounts,
}

impl Status {
    /// Requests per second so far.
    ///
    /// ```
    /// let s = chatdesk::backup::Status::default();
    /// assert_eq!(s.rate(), 0.0, "nothing sent yet");
    /// ```
    pub fn rate(&self) -> f64 {
        let secs = self.elapsed.as_secs_f64();
        if secs > 0.0 {
            self.requests as f64 / secs
        } else {
            0.0
        }
    }

    /// The time left at the current rate, when the requests left are known.
    ///
    /// ```
    /// let s = chatdesk::backup::Status::default();
    /// assert_eq!(s.eta(), None, "no rate yet");
    /// ```
    pub fn eta(&self) -> Option<Duration> {
        let rate = self.rate();
        let left = self.requests_left?;
        (rate > 0.0).then(|| Duration::from_secs_f64(left as f64 / rate))
    }
}

/// Receives a run's [`Status`] after every committed page: print it, log
/// it, or ignore it with `()`.
///
/// ```
/// struct Log;
/// impl chatdesk::backup::Progress for Log {
///     fn update(&mut self, status: &chatdesk::backup::Status) {
///         eprintln!("{} requests", status.requests);
///     }
/// }
/// let mut quiet = ();
/// chatdesk::backup::Progress::update(&mut quiet, &chatdesk::backup::Status::default());
/// ```
pub trait Progress: Send {
    /// Called after each committed page, and once at the end.
    fn update(&mut self, status: &Status);
}

impl Progress for () {
    fn update(&mut self, _status: &Status) {}
}

/// How a run ended, as returned by the run and recorded in the store's
/// run history.
///
/// ```
/// let report = chatdesk::backup::Report::default();
/// assert_eq!(report.items.values().sum::<u64>(), 0);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct Report {
    /// What the run was.
    pub kind: Option<RunKind>,
    /// Items stored by this run, by table.
    pub items: BTreeMap<String, u64>,
    /// Requests sent, retries included.
    pub requests: u64,
    /// Of those, retries.
    pub retries: u64,
    /// Credential values replaced by `"[redacted]"` (0 with
    /// [`Options::keep_secrets`]).
    pub redacted: u64,
    /// Whether credentials were kept.
    pub kept_secrets: bool,
    /// How long the run took.
    pub elapsed: Duration,
    /// Attachment downloads (all zero without [`Options::attachments`]).
    pub attachments: AttachmentCounts,
}

/// Why a backup run stopped. Everything committed before it stays, and the
/// same run started again continues from there.
///
/// ```
/// use chatdesk::backup::{BackupError, MemoryError};
///
/// let e: BackupError<MemoryError> = BackupError::Mismatch("a ChatbotX backup".into());
/// assert!(e.to_string().contains("another"));
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BackupError<E: std::error::Error + 'static> {
    /// A request failed (after the client's retries).
    #[error("the backup stopped; what was stored is kept, and running it again continues")]
    Api(#[source] crate::Error),
    /// The store failed.
    #[error("the backup stopped: the store failed; what was committed is kept")]
    Store(#[source] E),
    /// The store holds another account's backup.
    #[error("this store holds {0}; back up another account into another store (another --db file)")]
    Mismatch(String),
    /// The server sent something the backup cannot use.
    #[error("the backup stopped: {0}")]
    Data(String),
    /// The attachment directory cannot be written.
    #[error(
        "the backup stopped: cannot write attachments into {path}; check that it is a writable directory"
    )]
    Attachments {
        /// The directory (or the file in it).
        path: std::path::PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rate_and_time_left() {
        let status = Status {
            requests: 10,
            requests_left: Some(20),
            elapsed: Duration::from_secs(5),
            ..Status::default()
        };
        assert_eq!(status.rate(), 2.0);
        assert_eq!(status.eta(), Some(Duration::from_secs(10)));
    }
}
