//! Message attachments downloaded into a directory ([`Options::attachments`]):
//! the same step for both platforms, which differ only in where a message
//! carries its attachments' URLs ([`UrlPaths`]).
//!
//! The step reads the `messages` table back a slice at a time and downloads
//! every URL not yet recorded in the `attachments` table, several at once,
//! each file streamed into a temporary file of the directory while it is
//! hashed, then renamed to its SHA-256 (hex) and the URL's extension: a
//! killed run never leaves half a file under a final name, and two URLs
//! with the same content make one file. Each file's row commits when the
//! file is in place; the scan's position commits after each slice.
//!
//! The downloads go through a client of their own: no token, no cookies,
//! no default headers, redirects followed only to `http`/`https` URLs
//! without credentials. Storage hosts are not the API, so the downloads
//! are outside the API client's rate limit.
//!
//! Positions: the store reads ids in byte order, which is not the order
//! messages arrive in (Chatwoot's ids are numbers: `"1000"` sorts before
//! `"999"`). So the scan's position only resumes a scan that started after
//! every message it must cover was stored; the messages a later run stores
//! are given to this step as that run stores them ([`Attachments::note`]).
//! While such a run has not finished, the state says so (`rescan`), and a
//! run after a killed one scans the whole table again, downloading only
//! what is not recorded.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::time::Duration;

use futures::stream::{self, StreamExt};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use tokio::io::AsyncWriteExt;

use super::copy::{Engine, Rows, plain_id};
use super::run::{ATTACHMENT_DOWNLOADS, BackupError, Options};
use super::store::{StateKey, Store, SyncState, Table};
use crate::raw::RawItem;

/// The resource's name in `sync_state`.
const RESOURCE: &str = "attachments";
/// The state's watermark while messages may be stored that the saved
/// position would not reach: the next run scans from the start.
const RESCAN: &str = "rescan";
/// Messages read from the store at a time.
const SLICE: usize = 500;
/// Temporary files: `.chatdesk-<random>.part`.
const PART_PREFIX: &str = ".chatdesk-";
const PART_SUFFIX: &str = ".part";
/// A temporary file left by a killed run is removed once it is this old.
const STALE_PART: Duration = Duration::from_secs(10 * 60);
/// Redirects followed per download.
const MAX_REDIRECTS: usize = 10;

/// Where a platform's messages carry attachment URLs: JSON paths, each a
/// list of keys where `*` stands for every element of an array.
pub(crate) type UrlPaths = &'static [&'static [&'static str]];

/// The URLs at `paths` in a message's JSON, in order, each once.
pub(crate) fn urls(message: &Value, paths: UrlPaths) -> Vec<String> {
    fn walk<'v>(value: &'v Value, path: &[&str], out: &mut Vec<&'v str>) {
        let Some((first, rest)) = path.split_first() else {
            if let Value::String(s) = value {
                out.push(s);
            }
            return;
        };
        if *first == "*" {
            for item in value.as_array().into_iter().flatten() {
                walk(item, rest, out);
            }
        } else if let Some(next) = value.get(*first) {
            walk(next, rest, out);
        }
    }
    let mut found = Vec::new();
    for path in paths {
        walk(message, path, &mut found);
    }
    let mut urls: Vec<String> = Vec::new();
    for url in found {
        if !url.is_empty() && !urls.iter().any(|u| u == url) {
            urls.push(url.to_owned());
        }
    }
    urls
}

/// The attachment step of one run, made before the messages step (which
/// gives it the messages it stores) and run after it.
pub(crate) struct Attachments {
    dir: PathBuf,
    paths: UrlPaths,
    messages: Table,
    table: Table,
    max_bytes: u64,
    /// Scan the messages table from this position (`Some(None)`: from the
    /// start); `None`: look only at the messages this run stores.
    scan: Option<Option<String>>,
    /// The saved position before the run.
    position: Option<String>,
    /// The watermark the scan's positions are saved with.
    flag: Option<&'static str>,
    /// Messages stored by this run that carry URLs, with their URLs, when
    /// the scan does not cover them.
    noted: Option<Vec<(String, Vec<String>)>>,
}

impl Attachments {
    /// The step, if [`Options::attachments`] asks for it: where to start,
    /// saved before any message of this run is stored.
    pub(crate) fn begin<S: Store>(
        engine: &mut Engine<'_, S>,
        messages: &Table,
        table: &Table,
        paths: UrlPaths,
        options: &Options,
    ) -> Result<Option<Self>, BackupError<S::Error>> {
        let Some(dir) = &options.attachments else {
            return Ok(None);
        };
        let key = StateKey::whole(RESOURCE);
        let state = engine.store.state(&key).map_err(BackupError::Store)?;
        let position = state.as_ref().and_then(|s| s.position.clone());
        // (scan from, flag of the scan's positions)
        let (scan, flag) = match &state {
            None => (Some(None), None),
            Some(_) if options.full => (Some(None), None),
            Some(s) if s.complete => (None, Some(RESCAN)),
            Some(s) if s.watermark.as_deref() == Some(RESCAN) => (Some(None), None),
            Some(s) => (Some(s.position.clone()), Some(RESCAN)),
        };
        if state.is_some() {
            let marker = SyncState {
                position: scan.clone().flatten().or_else(|| position.clone()),
                watermark: Some(RESCAN.to_owned()),
                complete: false,
            };
            engine.save_state(table, &key, &marker)?;
        }
        let whole_scan = matches!(scan, Some(None));
        Ok(Some(Attachments {
            dir: dir.clone(),
            paths,
            messages: *messages,
            table: *table,
            max_bytes: options.attachment_max_bytes,
            scan,
            position,
            flag,
            noted: (!whole_scan).then(Vec::new),
        }))
    }

    /// Notes a message this run stores, for a step whose scan does not
    /// cover it.
    pub(crate) fn note(&mut self, item: &RawItem) {
        let Some(noted) = &mut self.noted else {
            return;
        };
        let Ok(value) = serde_json::from_str::<Value>(item.json()) else {
            return;
        };
        let found = urls(&value, self.paths);
        if !found.is_empty() {
            noted.push((plain_id(item), found));
        }
    }

    /// Downloads what the scan and the noted messages carry.
    pub(crate) async fn run<S: Store>(
        mut self,
        engine: &mut Engine<'_, S>,
    ) -> Result<(), BackupError<S::Error>> {
        let dir_error = |source| BackupError::Attachments {
            path: self.dir.clone(),
            source,
        };
        tokio::fs::create_dir_all(&self.dir)
            .await
            .map_err(dir_error)?;
        remove_stale_parts(&self.dir).await;
        let client = plain_client()
            .map_err(|e| BackupError::Data(format!("cannot make the download client: {e}")))?;
        let mut tried = self.recorded(engine)?;
        let key = StateKey::whole(RESOURCE);
        let mut position = self.position.clone();
        if let Some(mut after) = self.scan.take() {
            loop {
                let rows = engine
                    .store
                    .scan(&self.messages, after.as_deref(), SLICE)
                    .map_err(BackupError::Store)?;
                let Some((last, _)) = rows.last() else {
                    break;
                };
                let last = last.clone();
                engine.attachments().messages += rows.len() as u64;
                let jobs = rows
                    .iter()
                    .filter_map(|(id, json)| {
                        let value = serde_json::from_str::<Value>(json).ok()?;
                        Some((id.clone(), urls(&value, self.paths)))
                    })
                    .collect();
                self.download(engine, &client, jobs, &mut tried).await?;
                let state = SyncState {
                    position: Some(last.clone()),
                    watermark: self.flag.map(str::to_owned),
                    complete: false,
                };
                engine.save_state(&self.table, &key, &state)?;
                position = Some(last.clone());
                if rows.len() < SLICE {
                    break;
                }
                after = Some(last);
            }
        }
        let noted = self.noted.take().unwrap_or_default();
        engine.attachments().messages += noted.len() as u64;
        for chunk in noted.chunks(SLICE) {
            self.download(engine, &client, chunk.to_vec(), &mut tried)
                .await?;
        }
        let state = SyncState {
            position,
            watermark: None,
            complete: true,
        };
        engine.save_state(&self.table, &key, &state)?;
        engine.attachments().done = true;
        engine.report();
        Ok(())
    }

    /// The URLs already downloaded (failed ones are tried again).
    fn recorded<S: Store>(
        &self,
        engine: &mut Engine<'_, S>,
    ) -> Result<HashSet<String>, BackupError<S::Error>> {
        let mut recorded = HashSet::new();
        let mut after: Option<String> = None;
        loop {
            let rows = engine
                .store
                .scan(&self.table, after.as_deref(), 1_000)
                .map_err(BackupError::Store)?;
            for (id, json) in &rows {
                let done = serde_json::from_str::<Value>(json)
                    .is_ok_and(|v| v.get("sha256").is_some_and(Value::is_string));
                if done {
                    recorded.insert(id.clone());
                }
            }
            match rows.last() {
                Some((id, _)) if rows.len() == 1_000 => after = Some(id.clone()),
                _ => return Ok(recorded),
            }
        }
    }

    /// Downloads the URLs of `messages` not in `tried`, several at once,
    /// committing each file's row when it is done.
    async fn download<S: Store>(
        &self,
        engine: &mut Engine<'_, S>,
        client: &reqwest::Client,
        messages: Vec<(String, Vec<String>)>,
        tried: &mut HashSet<String>,
    ) -> Result<(), BackupError<S::Error>> {
        let mut jobs = Vec::new();
        for (message, found) in messages {
            for url in found {
                if tried.insert(url.clone()) {
                    jobs.push((message.clone(), url));
                } else {
                    engine.attachments().skipped += 1;
                }
            }
        }
        let dir = self.dir.as_path();
        let max = self.max_bytes;
        let mut done = stream::iter(jobs.into_iter().map(|(message, url)| async move {
            let outcome = fetch(client, dir, &url, max).await;
            (message, url, outcome)
        }))
        .buffer_unordered(ATTACHMENT_DOWNLOADS);
        while let Some((message, url, outcome)) = done.next().await {
            let row = match outcome {
                Ok(Ok(file)) => {
                    let counts = engine.attachments();
                    counts.downloaded += 1;
                    counts.bytes += file.bytes;
                    json!({
                        "url": url,
                        "sha256": file.sha256,
                        "file": file.name,
                        "bytes": file.bytes,
                        "message_id": message,
                        "content_type": file.content_type,
                    })
                }
                Ok(Err(failed)) => {
                    tracing::warn!(url = %url, status = ?failed.status, error = %failed.error, "attachment not downloaded");
                    engine.attachments().failed += 1;
                    json!({
                        "url": url,
                        "message_id": message,
                        "status": failed.status,
                        "error": failed.error,
                    })
                }
                Err((path, source)) => return Err(BackupError::Attachments { path, source }),
            };
            let mut rows = Rows::default();
            rows.main(url, row.to_string());
            engine.commit(&self.table, rows, None)?;
            engine.report();
        }
        Ok(())
    }
}

/// A file in place.
struct Downloaded {
    sha256: String,
    name: String,
    bytes: u64,
    content_type: Option<String>,
}

/// A download that failed, recorded in its row.
struct Failed {
    /// The HTTP status, when an answer came.
    status: Option<u16>,
    error: String,
}

impl Failed {
    fn new(status: Option<u16>, error: impl Into<String>) -> Self {
        Failed {
            status,
            error: error.into(),
        }
    }
}

/// A disk error: the file and why. It stops the backup.
type DiskError = (PathBuf, std::io::Error);

/// The client of the downloads: nothing of the API client's (no token, no
/// cookies, no default headers), redirects only to `http`/`https` URLs
/// that carry no credentials, no `Referer`.
fn plain_client() -> reqwest::Result<reqwest::Client> {
    let redirects = reqwest::redirect::Policy::custom(|attempt| {
        if attempt.previous().len() >= MAX_REDIRECTS {
            attempt.error("too many redirects")
        } else if acceptable(attempt.url()).is_ok() {
            attempt.follow()
        } else {
            attempt.stop()
        }
    });
    reqwest::Client::builder()
        .redirect(redirects)
        .referer(false)
        .connect_timeout(Duration::from_secs(30))
        .read_timeout(Duration::from_secs(60))
        .build()
}

/// Whether a URL may be downloaded: `http` or `https`, without a user or
/// password (which the client would send as credentials).
fn acceptable(url: &url::Url) -> Result<(), &'static str> {
    if !matches!(url.scheme(), "http" | "https") {
        return Err("only http and https URLs are downloaded");
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err("a URL with credentials is not downloaded");
    }
    Ok(())
}

/// The URL's extension (its last path segment's, after the last `.`),
/// lowercase, when it is 1 to 8 ASCII letters and digits.
fn extension(url: &url::Url) -> Option<String> {
    let last = url.path_segments()?.next_back()?;
    let (_, ext) = last.rsplit_once('.')?;
    ((1..=8).contains(&ext.len()) && ext.bytes().all(|b| b.is_ascii_alphanumeric()))
        .then(|| ext.to_ascii_lowercase())
}

/// An error and its sources, as one line.
fn describe(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        let cause_text = cause.to_string();
        if !text.contains(&cause_text) {
            text.push_str(": ");
            text.push_str(&cause_text);
        }
        source = cause.source();
    }
    text
}

/// Removes a temporary file when dropped, unless it was put in place: a
/// run stopped mid-download leaves nothing behind.
struct Part {
    path: PathBuf,
    keep: bool,
}

impl Drop for Part {
    fn drop(&mut self) {
        if !self.keep {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

/// Downloads `url` into `dir`: the outer error stops the backup (the disk
/// failed), the inner one is the download's.
async fn fetch(
    client: &reqwest::Client,
    dir: &Path,
    url: &str,
    max: u64,
) -> Result<Result<Downloaded, Failed>, DiskError> {
    let parsed = match url::Url::parse(url) {
        Ok(parsed) => parsed,
        Err(e) => return Ok(Err(Failed::new(None, format!("not a URL: {e}")))),
    };
    if let Err(why) = acceptable(&parsed) {
        return Ok(Err(Failed::new(None, why)));
    }
    let mut response = match client.get(parsed.clone()).send().await {
        Ok(response) => response,
        Err(e) => return Ok(Err(Failed::new(None, describe(&e)))),
    };
    let status = response.status();
    if !status.is_success() {
        return Ok(Err(Failed::new(
            Some(status.as_u16()),
            format!("the storage host answered {status}"),
        )));
    }
    let too_big = |bytes: u64| {
        Failed::new(
            Some(status.as_u16()),
            format!(
                "the file is larger than {max} bytes ({bytes} bytes or more), the limit of \
                 Options::attachment_max_bytes; it was not kept"
            ),
        )
    };
    if let Some(length) = response.content_length().filter(|&n| n > max) {
        return Ok(Err(too_big(length)));
    }
    let content_type = response
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let mut part = Part {
        path: dir.join(format!(
            "{PART_PREFIX}{:016x}{PART_SUFFIX}",
            fastrand::u64(..)
        )),
        keep: false,
    };
    let disk = |path: &Path| {
        let path = path.to_owned();
        move |e| (path, e)
    };
    let mut file = tokio::fs::File::create(&part.path)
        .await
        .map_err(disk(&part.path))?;
    let mut hasher = Sha256::new();
    let mut bytes = 0u64;
    loop {
        let chunk = match response.chunk().await {
            Ok(Some(chunk)) => chunk,
            Ok(None) => break,
            Err(e) => return Ok(Err(Failed::new(Some(status.as_u16()), describe(&e)))),
        };
        bytes += chunk.len() as u64;
        if bytes > max {
            return Ok(Err(too_big(bytes)));
        }
        hasher.update(&chunk);
        file.write_all(&chunk).await.map_err(disk(&part.path))?;
    }
    file.flush().await.map_err(disk(&part.path))?;
    file.sync_all().await.map_err(disk(&part.path))?;
    drop(file);
    let sha256: String = hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    let name = match extension(&parsed) {
        Some(ext) => format!("{sha256}.{ext}"),
        None => sha256.clone(),
    };
    let target = dir.join(&name);
    if tokio::fs::try_exists(&target).await.unwrap_or(false) {
        // The same content under another URL: the file is there already
        // (the part is removed on drop).
    } else {
        tokio::fs::rename(&part.path, &target)
            .await
            .map_err(disk(&target))?;
        part.keep = true;
    }
    Ok(Ok(Downloaded {
        sha256,
        name,
        bytes,
        content_type,
    }))
}

/// Removes temporary files that killed runs left, once they are old
/// enough not to be another run's download in progress.
async fn remove_stale_parts(dir: &Path) {
    let Ok(mut entries) = tokio::fs::read_dir(dir).await else {
        return;
    };
    while let Ok(Some(entry)) = entries.next_entry().await {
        let name = entry.file_name();
        let Some(name) = name.to_str() else {
            continue;
        };
        if !(name.starts_with(PART_PREFIX) && name.ends_with(PART_SUFFIX)) {
            continue;
        }
        let stale = entry
            .metadata()
            .await
            .ok()
            .and_then(|m| m.modified().ok())
            .and_then(|t| t.elapsed().ok())
            .is_some_and(|age| age >= STALE_PART);
        if stale {
            let _ = tokio::fs::remove_file(entry.path()).await;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_at_paths() {
        let message = json!({
            "attachments": [
                {"data_url": "https://a.example/x.jpg"},
                {"data_url": null},
                {"data_url": "https://a.example/x.jpg"},
                {"data_url": "https://a.example/y"}
            ]
        });
        let paths: UrlPaths = &[
            &["attachments", "*", "data_url"],
            &["attachment", "data_url"],
        ];
        assert_eq!(
            urls(&message, paths),
            ["https://a.example/x.jpg", "https://a.example/y"]
        );
        assert!(urls(&json!({"attachments": {}}), paths).is_empty());
    }

    #[test]
    fn extensions_and_schemes() {
        let ext = |u: &str| url::Url::parse(u).ok().and_then(|u| extension(&u));
        assert_eq!(ext("https://h/a/b.JPG?x=1").as_deref(), Some("jpg"));
        assert_eq!(ext("https://h/a/%E3%83%93.mp4").as_deref(), Some("mp4"));
        assert_eq!(ext("https://h/a/b"), None);
        assert_eq!(ext("https://h/a.b/c"), None);
        assert_eq!(ext("https://h/a/b.tar gz"), None);
        let ok = |u: &str| url::Url::parse(u).is_ok_and(|u| acceptable(&u).is_ok());
        assert!(ok("http://h/a") && ok("https://h/a"));
        assert!(!ok("file:///etc/passwd") && !ok("ftp://h/a") && !ok("https://u:p@h/a"));
    }
}
