//! Each request is a tracing span with the operation, page, status and
//! duration, retries are events with the attempt and the wait, and no
//! secret is ever in them.
//!
//! This is the only test of its binary: a thread-local subscriber misses
//! events whose callsites other tests' threads registered first.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::io::Write;
use std::sync::{Arc, Mutex};

use common::*;
use futures::StreamExt;

const CBX_TOKEN: &str = "cbx_ws_very_secret_4242";

#[cfg(feature = "chatbotx")]
#[tokio::test]
async fn traces_name_the_request_but_never_the_token() {
    #[derive(Clone, Default)]
    struct Buffer(Arc<Mutex<Vec<u8>>>);
    impl Write for Buffer {
        fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
            self.0.lock().unwrap().extend_from_slice(bytes);
            Ok(bytes.len())
        }
        fn flush(&mut self) -> std::io::Result<()> {
            Ok(())
        }
    }
    let buffer = Buffer::default();
    let writer = buffer.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let server = json_server(r#"{"data":[],"nextCursor":null,"prevCursor":null}"#).await;
    let client = chatdesk::chatbotx::Client::builder()
        .base_url(server.uri())
        .token_in_query(CBX_TOKEN)
        .build()
        .unwrap();
    let items: Vec<_> = client
        .conversations()
        .keyword("xin chào")
        .stream()
        .collect()
        .await;
    assert!(items.is_empty());
    assert!(
        query(&requests(&server).await[0]).contains("token="),
        "the token went in the query"
    );

    let failing = server_answering(503, "text/plain", "busy").await;
    let client = chatdesk::chatbotx::Client::builder()
        .base_url(failing.uri())
        .token_in_query(CBX_TOKEN)
        .build()
        .unwrap();
    let _ = client.contacts().stream().collect::<Vec<_>>().await;

    // A generated call goes through the same pipeline, span included.
    let client = chatdesk::chatbotx::Client::builder()
        .base_url(server.uri())
        .token_in_query(CBX_TOKEN)
        .build()
        .unwrap();
    let _ = client
        .api()
        .list_contact_messages()
        .identifier("id:7")
        .send()
        .await;

    let text = String::from_utf8(buffer.0.lock().unwrap().clone()).unwrap();
    assert!(text.contains("chatdesk.request"), "{text}");
    assert!(
        text.contains("listConversations") && text.contains("listContacts"),
        "{text}"
    );
    assert!(
        text.contains("status=200") && text.contains("status=503"),
        "{text}"
    );
    assert!(text.contains("duration_ms"), "{text}");
    assert!(
        text.contains("operation=\"listContactMessages\"")
            || text.contains("operation=listContactMessages"),
        "the generated call's span: {text}"
    );
    assert!(
        text.contains("retrying") && text.contains("attempt=1") && text.contains("wait_ms="),
        "{text}"
    );
    assert!(!text.contains(CBX_TOKEN), "{text}");
}
