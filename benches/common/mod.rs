//! What the timed benches share: a fake server on its own runtime and
//! thread, the item count of a stream, and CPU time per thread group.
#![allow(dead_code)]

use std::future::Future;

use chatdesk_fake::RunningFake;
use futures::StreamExt;

/// The name of the fake servers' threads.
pub const SERVER_THREAD: &str = "fake-server";
/// Items in each fake listing.
pub const ITEMS: usize = 10_000;

/// A fake server running on its own runtime in its own thread; stops when
/// dropped.
pub struct Served {
    fake: Option<RunningFake>,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl Served {
    /// Starts the fake that `start` builds, on a 2-worker runtime in a new
    /// thread.
    pub fn start<F, Fut>(start: F) -> Served
    where
        F: FnOnce() -> Fut + Send + 'static,
        Fut: Future<Output = std::io::Result<RunningFake>>,
    {
        let (ready, started) = std::sync::mpsc::channel();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let thread = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .thread_name(SERVER_THREAD)
                .enable_all()
                .build()
                .unwrap();
            runtime.block_on(async move {
                ready.send(start().await.unwrap()).unwrap();
                // Serve until told to stop (or the sender is dropped).
                let _ = stopped.await;
            });
        });
        Served {
            fake: Some(started.recv().unwrap()),
            stop: Some(stop),
            thread: Some(thread),
        }
    }

    pub fn fake(&self) -> &RunningFake {
        self.fake.as_ref().unwrap()
    }
}

impl Drop for Served {
    fn drop(&mut self) {
        drop(self.fake.take());
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// Counts the items of a library stream; any error fails the benchmark.
pub async fn count<T>(mut stream: chatdesk::paginate::ItemStream<T>) -> usize {
    let mut items = 0;
    while let Some(item) = stream.next().await {
        std::hint::black_box(item.unwrap());
        items += 1;
    }
    items
}

/// CPU time so far of this process's threads, in seconds: (client, fake
/// server), from `/proc/self/task/*/schedstat` (zeros where there is none).
pub fn cpu_times() -> (f64, f64) {
    let (mut client, mut server) = (0u64, 0u64);
    let Ok(tasks) = std::fs::read_dir("/proc/self/task") else {
        return (0.0, 0.0);
    };
    for task in tasks.flatten() {
        let path = task.path();
        let name = std::fs::read_to_string(path.join("comm")).unwrap_or_default();
        let nanos = std::fs::read_to_string(path.join("schedstat"))
            .ok()
            .and_then(|s| s.split_whitespace().next()?.parse::<u64>().ok())
            .unwrap_or(0);
        if name.trim() == SERVER_THREAD {
            server += nanos;
        } else {
            client += nanos;
        }
    }
    (client as f64 / 1e9, server as f64 / 1e9)
}

/// The clients' runtime (2 workers, threads named `client`), or `None` when
/// run by `cargo test --benches`, which does not pass `--bench`: the walks
/// take too long for a test run.
pub fn client_runtime() -> Option<tokio::runtime::Runtime> {
    if !std::env::args().any(|a| a == "--bench") {
        println!("skipped: run with `cargo bench --bench NAME`");
        return None;
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_name("client")
        .enable_all()
        .build()
        .unwrap();
    Some(runtime)
}

/// One page of the Chatwoot conversation listing (every status) fetched
/// with plain reqwest, as a hand-written client would: the body, after
/// checking the status.
pub async fn chatwoot_page(
    http: &reqwest::Client,
    base_url: &str,
    token: &str,
    page: u64,
) -> bytes::Bytes {
    let response = http
        .get(format!("{base_url}/api/v1/accounts/1/conversations"))
        .header("api_access_token", token)
        .query(&[("status", "all"), ("page", &page.to_string())])
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    response.bytes().await.unwrap()
}
