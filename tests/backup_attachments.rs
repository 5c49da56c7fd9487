//! Attachment downloads of a backup, against the fakes, whose attachment
//! URLs point at a storage host served here on 127.0.0.1.

#![cfg(all(feature = "chatwoot", feature = "chatbotx"))]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chatdesk::backup::{
    ChatbotxBackup, ChatwootBackup, MemoryStore, Options, Row, Store, Table, tables,
};
use chatdesk_fake::{FakeChatbotx, FakeChatwoot};
use sha2::{Digest, Sha256};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// One request the storage host received.
#[derive(Clone, Debug)]
struct Seen {
    target: String,
    headers: Vec<(String, String)>,
}

/// How the storage host answers paths ending with a given text.
#[derive(Clone, Debug, Default)]
struct Rules {
    /// 404.
    missing: Vec<String>,
    /// The full length announced, half the body sent, then closed.
    cut: Vec<String>,
    /// Half the body sent, then nothing for a minute.
    stall: Vec<String>,
}

#[derive(Clone)]
struct Storage {
    base: String,
    seen: Arc<Mutex<Vec<Seen>>>,
    rules: Arc<Mutex<Rules>>,
}

impl Storage {
    async fn start() -> Storage {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let storage = Storage {
            base: base.clone(),
            seen: Arc::default(),
            rules: Arc::default(),
        };
        let server = storage.clone();
        tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                let server = server.clone();
                tokio::spawn(async move { server.answer(socket).await });
            }
        });
        storage
    }

    async fn answer(&self, mut socket: tokio::net::TcpStream) {
        let mut buffer = Vec::new();
        let mut chunk = [0u8; 4096];
        while !buffer.windows(4).any(|w| w == b"\r\n\r\n") {
            match socket.read(&mut chunk).await {
                Ok(0) | Err(_) => return,
                Ok(n) => buffer.extend_from_slice(&chunk[..n]),
            }
        }
        let text = String::from_utf8_lossy(&buffer).into_owned();
        let mut lines = text.split("\r\n");
        let target = lines
            .next()
            .and_then(|l| l.split(' ').nth(1))
            .unwrap_or_default()
            .to_owned();
        let headers = lines
            .take_while(|l| !l.is_empty())
            .filter_map(|l| l.split_once(':'))
            .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_owned()))
            .collect();
        self.seen.lock().unwrap().push(Seen {
            target: target.clone(),
            headers,
        });
        let path = target.split('?').next().unwrap_or_default().to_owned();
        let rules = self.rules.lock().unwrap().clone();
        let ends = |list: &[String]| list.iter().any(|s| path.ends_with(s.as_str()));
        if path.starts_with("/redirect-away/") {
            let reply = "HTTP/1.1 302 Found\r\nLocation: file:///etc/passwd\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
            let _ = socket.write_all(reply.as_bytes()).await;
            return;
        }
        if let Some(rest) = path.strip_prefix("/redirect-here/") {
            let reply = format!(
                "HTTP/1.1 302 Found\r\nLocation: {}/files/{rest}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                self.base
            );
            let _ = socket.write_all(reply.as_bytes()).await;
            return;
        }
        if ends(&rules.missing) {
            let reply =
                "HTTP/1.1 404 Not Found\r\nContent-Length: 9\r\nConnection: close\r\n\r\nnot found";
            let _ = socket.write_all(reply.as_bytes()).await;
            return;
        }
        let body = content(&path);
        let head = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            body.len()
        );
        let _ = socket.write_all(head.as_bytes()).await;
        if ends(&rules.cut) || ends(&rules.stall) {
            let _ = socket.write_all(&body[..body.len() / 2]).await;
            let _ = socket.flush().await;
            if ends(&rules.stall) {
                tokio::time::sleep(Duration::from_secs(60)).await;
            }
            return;
        }
        let _ = socket.write_all(&body).await;
    }

    fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }

    /// How many times each path was asked for.
    fn hits(&self) -> BTreeMap<String, usize> {
        let mut hits = BTreeMap::new();
        for seen in self.seen() {
            *hits.entry(seen.target).or_default() += 1;
        }
        hits
    }
}

/// A file's content, from its name only: the same name under two URLs is
/// the same file. Videos are larger.
fn content(path: &str) -> Vec<u8> {
    let name = path.rsplit('/').next().unwrap_or_default();
    let name = percent_encoding::percent_decode_str(name).decode_utf8_lossy();
    let size = if name.ends_with(".mp4") {
        40_000
    } else {
        3_000
    };
    format!("content of {name}\n")
        .into_bytes()
        .into_iter()
        .cycle()
        .take(size)
        .collect()
}

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "chatdesk-attachments-{}-{name}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

/// The directory's files by name; each final name must be its content's
/// SHA-256 and an extension, and no temporary file may be left.
fn check_files(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name().into_string().unwrap();
        assert!(!name.starts_with('.'), "a temporary file is left: {name}");
        let bytes = std::fs::read(entry.path()).unwrap();
        let stem = name.split('.').next().unwrap();
        assert_eq!(
            stem,
            sha256_hex(&bytes),
            "{name} is not named by its content"
        );
        files.insert(name, bytes);
    }
    files
}

/// Every row of a table, as JSON by id.
fn rows(store: &MemoryStore, table: &Table) -> BTreeMap<String, serde_json::Value> {
    store
        .scan(table, None, usize::MAX)
        .unwrap()
        .into_iter()
        .map(|(id, json)| (id, serde_json::from_str(&json).unwrap()))
        .collect()
}

/// The attachment URLs of the stored messages, at `key` under each
/// `attachments[]` item.
fn message_urls(store: &MemoryStore, table: &Table, key: &str) -> BTreeSet<String> {
    rows(store, table)
        .values()
        .flat_map(|m| {
            m["attachments"]
                .as_array()
                .cloned()
                .unwrap_or_default()
                .into_iter()
                .filter_map(|a| a[key].as_str().map(str::to_owned))
        })
        .collect()
}

/// No credential of any kind reached the storage host.
fn assert_no_credentials(storage: &Storage, token: &str) {
    let seen = storage.seen();
    assert!(!seen.is_empty());
    for request in seen {
        for (name, value) in &request.headers {
            assert!(
                !matches!(
                    name.as_str(),
                    "authorization" | "api_access_token" | "cookie" | "proxy-authorization"
                ),
                "{name} sent to the storage host"
            );
            assert!(!value.contains(token), "the token in header {name}");
        }
        assert!(
            !request.target.contains(token),
            "the token in {}",
            request.target
        );
    }
}

fn chatwoot_client(fake: &chatdesk_fake::RunningFake) -> chatdesk::chatwoot::Client {
    chatdesk::chatwoot::Client::builder()
        .base_url(fake.base_url())
        .api_access_token(fake.token())
        .build()
        .unwrap()
}

fn chatbotx_client(fake: &chatdesk_fake::RunningFake) -> chatdesk::chatbotx::Client {
    chatdesk::chatbotx::Client::builder()
        .base_url(fake.base_url())
        .token(fake.token())
        .build()
        .unwrap()
}

/// Two messages of the store's own carrying the same URL, and one more
/// with the same file under another URL.
fn seed_duplicates(
    store: &mut MemoryStore,
    tables: &[Table],
    messages: &Table,
    key: &str,
    base: &str,
) {
    store.prepare(tables).unwrap();
    let one = format!(r#"{{"id":"zz-1","attachments":[{{"{key}":"{base}/files/shared.bin"}}]}}"#);
    let two = format!(r#"{{"id":"zz-2","attachments":[{{"{key}":"{base}/files/shared.bin"}}]}}"#);
    let three = format!(r#"{{"id":"zz-3","attachments":[{{"{key}":"{base}/other/shared.bin"}}]}}"#);
    let rows = [
        Row {
            id: "zz-1",
            json: &one,
        },
        Row {
            id: "zz-2",
            json: &two,
        },
        Row {
            id: "zz-3",
            json: &three,
        },
    ];
    store.commit(messages, &rows, None).unwrap();
}

#[tokio::test]
async fn chatwoot_attachments_downloaded_once_by_content_hash_and_rerun_downloads_nothing() {
    let storage = Storage::start().await;
    let fake = FakeChatwoot::builder()
        .conversations(30)
        .storage_base(&storage.base)
        .start()
        .await
        .unwrap();
    let dir = temp_dir("chatwoot");
    let mut store = MemoryStore::new();
    let messages = tables::chatwoot::MESSAGES;
    seed_duplicates(
        &mut store,
        tables::CHATWOOT,
        &messages,
        "data_url",
        &storage.base,
    );
    let options = Options::default().with_attachments(Some(dir.clone()));
    let backup = ChatwootBackup::new(chatwoot_client(&fake), 1).options(options);
    let report = backup.run(&mut store, &mut ()).await.unwrap();

    let urls = message_urls(&store, &messages, "data_url");
    assert!(
        urls.len() > 10,
        "the fake's messages carry attachments: {urls:?}"
    );
    assert!(urls.iter().all(|u| u.starts_with(&storage.base)));
    // Every URL once, the shared one included.
    let hits = storage.hits();
    assert_eq!(hits.len(), urls.len());
    assert!(hits.values().all(|&n| n == 1), "{hits:?}");
    let recorded = rows(&store, &tables::chatwoot::ATTACHMENTS);
    assert_eq!(recorded.keys().cloned().collect::<BTreeSet<_>>(), urls);
    let files = check_files(&dir);
    for (url, row) in &recorded {
        let file = row["file"].as_str().unwrap();
        assert_eq!(row["url"], url.as_str());
        assert_eq!(row["bytes"], files[file].len() as u64);
        assert_eq!(file.split('.').next(), row["sha256"].as_str());
        assert_eq!(files[file], content(url));
        assert!(row["message_id"].is_string());
        assert_eq!(row["content_type"], "application/octet-stream");
    }
    // Same content, same file: one file per name (the shared name under
    // two URLs makes one file).
    let names: BTreeSet<_> = urls.iter().map(|u| u.rsplit('/').next().unwrap()).collect();
    assert_eq!(files.len(), names.len());
    assert_eq!(report.attachments.downloaded, urls.len() as u64);
    assert_eq!(report.attachments.failed, 0);
    assert_eq!(report.items["attachments"], urls.len() as u64);
    assert!(report.attachments.done);
    assert_no_credentials(&storage, fake.token());

    // A rerun (a sync) looks at the new messages only, and downloads nothing.
    let before = storage.seen().len();
    let again = backup.run(&mut store, &mut ()).await.unwrap();
    assert_eq!(storage.seen().len(), before);
    assert_eq!(again.attachments.downloaded, 0);
    assert!(again.attachments.messages < 10, "{:?}", again.attachments);
    // New conversations: a sync downloads their attachments only, from
    // the messages it stores.
    fake.add_conversations_at_top(15);
    let synced = backup.run(&mut store, &mut ()).await.unwrap();
    let all = message_urls(&store, &messages, "data_url");
    let new = all.len() - urls.len();
    assert!(new > 0, "the new conversations carry attachments");
    assert_eq!(synced.attachments.downloaded, new as u64);
    assert_eq!(storage.seen().len(), before + new);
    let stored = rows(&store, &messages).len() as u64;
    assert!(
        synced.attachments.messages < stored / 2,
        "{:?}",
        synced.attachments
    );
    assert_eq!(
        rows(&store, &tables::chatwoot::ATTACHMENTS).len(),
        all.len()
    );
    assert!(storage.hits().values().all(|&n| n == 1));
    let urls = all;
    let before = storage.seen().len();
    // A full run looks at every message, and downloads nothing either.
    let full = ChatwootBackup::new(chatwoot_client(&fake), 1).options(
        Options::default()
            .with_attachments(Some(dir.clone()))
            .with_full(true),
    );
    let report = full.run(&mut store, &mut ()).await.unwrap();
    assert_eq!(storage.seen().len(), before);
    assert_eq!(report.attachments.skipped, urls.len() as u64 + 1);
    check_files(&dir);
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn chatbotx_attachments_downloaded_once_by_content_hash() {
    let storage = Storage::start().await;
    let fake = FakeChatbotx::builder()
        .contacts(20)
        .conversations(20)
        .storage_base(&storage.base)
        .start()
        .await
        .unwrap();
    let dir = temp_dir("chatbotx");
    let mut store = MemoryStore::new();
    let messages = tables::chatbotx::MESSAGES;
    seed_duplicates(
        &mut store,
        tables::CHATBOTX,
        &messages,
        "url",
        &storage.base,
    );
    let options = Options::default().with_attachments(Some(dir.clone()));
    let backup = ChatbotxBackup::new(chatbotx_client(&fake)).options(options);
    let report = backup.run(&mut store, &mut ()).await.unwrap();

    let urls = message_urls(&store, &messages, "url");
    assert!(
        urls.len() > 5,
        "the fake's messages carry attachments: {urls:?}"
    );
    let hits = storage.hits();
    assert_eq!(hits.len(), urls.len());
    assert!(hits.values().all(|&n| n == 1), "{hits:?}");
    let recorded = rows(&store, &tables::chatbotx::ATTACHMENTS);
    assert_eq!(recorded.keys().cloned().collect::<BTreeSet<_>>(), urls);
    let files = check_files(&dir);
    for (url, row) in &recorded {
        assert_eq!(files[row["file"].as_str().unwrap()], content(url));
    }
    let names: BTreeSet<_> = urls.iter().map(|u| u.rsplit('/').next().unwrap()).collect();
    assert_eq!(files.len(), names.len());
    assert_eq!(report.attachments.downloaded, urls.len() as u64);
    assert_no_credentials(&storage, fake.token());

    let before = storage.seen().len();
    let again = backup.run(&mut store, &mut ()).await.unwrap();
    assert_eq!(storage.seen().len(), before);
    assert_eq!(again.attachments.downloaded, 0);
    fake.add_conversations_at_top(10);
    let synced = backup.run(&mut store, &mut ()).await.unwrap();
    let all = message_urls(&store, &messages, "url");
    assert!(
        all.len() > urls.len(),
        "the new contacts' messages carry attachments"
    );
    assert_eq!(
        synced.attachments.downloaded,
        (all.len() - urls.len()) as u64
    );
    assert_eq!(
        rows(&store, &tables::chatbotx::ATTACHMENTS).len(),
        all.len()
    );
    assert!(storage.hits().values().all(|&n| n == 1));
    check_files(&dir);
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn failed_downloads_are_recorded_and_leave_no_file() {
    let storage = Storage::start().await;
    *storage.rules.lock().unwrap() = Rules {
        missing: vec![".ogg".into()],
        cut: vec![".pdf".into()],
        stall: Vec::new(),
    };
    let fake = FakeChatwoot::builder()
        .conversations(30)
        .storage_base(&storage.base)
        .start()
        .await
        .unwrap();
    let dir = temp_dir("failures");
    let mut store = MemoryStore::new();
    let messages = tables::chatwoot::MESSAGES;
    store.prepare(tables::CHATWOOT).unwrap();
    let base = &storage.base;
    let odd = [
        ("zz-away", format!("{base}/redirect-away/x.jpg")),
        ("zz-here", format!("{base}/redirect-here/moved.txt")),
        ("zz-ftp", "ftp://127.0.0.1/x.jpg".to_owned()),
        (
            "zz-user",
            format!("http://user:pw@{}/files/u.jpg", &base[7..]),
        ),
    ];
    let jsons: Vec<String> = odd
        .iter()
        .map(|(id, url)| format!(r#"{{"id":"{id}","attachments":[{{"data_url":"{url}"}}]}}"#))
        .collect();
    let seeded: Vec<Row<'_>> = odd
        .iter()
        .zip(&jsons)
        .map(|((id, _), json)| Row { id, json })
        .collect();
    store.commit(&messages, &seeded, None).unwrap();
    // Videos (40,000 bytes) are over the limit.
    let options = Options::default()
        .with_attachments(Some(dir.clone()))
        .with_attachment_max_bytes(10_000);
    let backup = ChatwootBackup::new(chatwoot_client(&fake), 1).options(options);
    let report = backup.run(&mut store, &mut ()).await.unwrap();

    let recorded = rows(&store, &tables::chatwoot::ATTACHMENTS);
    let files = check_files(&dir);
    let mut failed = 0;
    for (url, row) in &recorded {
        let ok = row["sha256"].is_string();
        let expect_ok =
            url.ends_with(".jpg") && url.contains("/blobs/") || url.ends_with("moved.txt");
        assert_eq!(ok, expect_ok, "{url}: {row}");
        if ok {
            assert_eq!(
                files[row["file"].as_str().unwrap()].len() as u64,
                row["bytes"]
            );
            continue;
        }
        failed += 1;
        let error = row["error"].as_str().unwrap();
        if url.ends_with(".ogg") {
            assert_eq!(row["status"], 404, "{row}");
        } else if url.ends_with(".mp4") {
            assert!(error.contains("10000 bytes"), "{error}");
        } else if url.contains("redirect-away") {
            assert_eq!(row["status"], 302, "{row}");
        } else if url.starts_with("ftp:") {
            assert!(error.contains("http"), "{error}");
            assert!(row["status"].is_null());
        } else if url.contains("user:pw") {
            assert!(error.contains("credentials"), "{error}");
        } else {
            assert!(url.ends_with(".pdf"), "{url}: {row}");
        }
    }
    assert!(failed >= 4);
    assert_eq!(report.attachments.failed, failed);
    // Neither the refused URLs nor the files behind them were asked for.
    assert!(
        storage
            .seen()
            .iter()
            .all(|s| !s.target.contains("/files/u.jpg"))
    );
    for file in files.values() {
        let text = String::from_utf8_lossy(file);
        assert!(!text.contains(".pdf") && !text.contains(".ogg") && !text.contains(".mp4"));
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test]
async fn a_killed_run_leaves_no_partial_file_and_the_next_run_finishes() {
    let storage = Storage::start().await;
    storage.rules.lock().unwrap().stall = vec![".mp4".into()];
    let fake = FakeChatwoot::builder()
        .conversations(40)
        .storage_base(&storage.base)
        .start()
        .await
        .unwrap();
    let dir = temp_dir("killed");
    let mut store = MemoryStore::new();
    let options = Options::default().with_attachments(Some(dir.clone()));
    let backup = ChatwootBackup::new(chatwoot_client(&fake), 1).options(options);
    // The run is stopped while videos are half downloaded.
    let stopped =
        tokio::time::timeout(Duration::from_secs(3), backup.run(&mut store, &mut ())).await;
    assert!(
        stopped.is_err(),
        "the run should still be waiting for the videos"
    );
    let files = check_files(&dir);
    assert!(
        files
            .values()
            .all(|f| f.len() != 40_000 && f.len() != 20_000)
    );
    let urls = message_urls(&store, &tables::chatwoot::MESSAGES, "data_url");
    assert!(urls.iter().any(|u| u.ends_with(".mp4")));

    storage.rules.lock().unwrap().stall.clear();
    let report = backup.run(&mut store, &mut ()).await.unwrap();
    assert_eq!(report.attachments.failed, 0);
    let recorded = rows(&store, &tables::chatwoot::ATTACHMENTS);
    assert_eq!(recorded.keys().cloned().collect::<BTreeSet<_>>(), urls);
    assert!(recorded.values().all(|r| r["sha256"].is_string()));
    let files = check_files(&dir);
    assert!(files.values().any(|f| f.len() == 40_000));
    // What the first run finished is not downloaded again.
    let hits = storage.hits();
    assert!(
        hits.iter()
            .all(|(path, &n)| n == 1 || path.ends_with(".mp4")),
        "{hits:?}"
    );

    // A sync stopped while the new messages' files download: the next run
    // does not lose them, though the store already holds the messages.
    fake.add_conversations_at_top(15);
    storage.rules.lock().unwrap().stall = vec![String::new()];
    let stopped =
        tokio::time::timeout(Duration::from_secs(2), backup.run(&mut store, &mut ())).await;
    assert!(
        stopped.is_err(),
        "the sync should still be waiting for the files"
    );
    check_files(&dir);
    storage.rules.lock().unwrap().stall.clear();
    let report = backup.run(&mut store, &mut ()).await.unwrap();
    let all = message_urls(&store, &tables::chatwoot::MESSAGES, "data_url");
    assert!(all.len() > urls.len());
    assert_eq!(
        report.attachments.downloaded,
        (all.len() - urls.len()) as u64
    );
    let recorded = rows(&store, &tables::chatwoot::ATTACHMENTS);
    assert_eq!(recorded.keys().cloned().collect::<BTreeSet<_>>(), all);
    assert!(recorded.values().all(|r| r["sha256"].is_string()));
    check_files(&dir);
    let _ = std::fs::remove_dir_all(&dir);
}
