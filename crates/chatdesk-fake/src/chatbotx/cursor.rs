//! The ChatbotX cursors: what the listings send as `nextCursor` (base64
//! of a small JSON object naming the last item of the page), how the fake
//! reads one back, and which items come after it.

use serde_json::Value;

use crate::text::{base64_decode, base64_encode, iso_millis, parse_iso_millis};

/// Whether a conversation at (`last`, `id`) comes after the cursor
/// position (`cursor_last`, `cursor_id`). Exact: `(lastActivityAt, id) <
/// (X, Y)`. Broken, as on the open-source server: `lastActivityAt < X OR
/// id < Y` (the server means the exact form, but its ORM drops the
/// equality half of the condition).
pub(crate) fn conversation_follows(item: (i64, u64), cursor: (i64, u64), broken: bool) -> bool {
    if broken {
        item.0 < cursor.0 || item.1 < cursor.1
    } else {
        item < cursor
    }
}

/// The conversation listing's cursor: base64 of
/// `{"lastActivityAt":"<ISO time>","id":"<id>"}`, the last item of
/// the page.
pub(crate) fn conversation_cursor(last: i64, id: u64) -> String {
    let text = format!(
        "{{\"lastActivityAt\":\"{}\",\"id\":\"{id}\"}}",
        iso_millis(last)
    );
    base64_encode(text.as_bytes())
}

/// The (last activity, id) of a conversation cursor, if it is one.
pub(crate) fn decode_conversation_cursor(text: &str) -> Option<(i64, u64)> {
    decode(text, "lastActivityAt").map(|(_, position)| position)
}

/// The message listing's cursor: base64 of
/// `{"direction":"prev","createdAt":"<ISO time>","id":"<id>"}`,
/// the last (oldest) message of the page.
pub(crate) fn message_cursor(created: i64, id: u64) -> String {
    let text = format!(
        "{{\"direction\":\"prev\",\"createdAt\":\"{}\",\"id\":\"{id}\"}}",
        iso_millis(created)
    );
    base64_encode(text.as_bytes())
}

/// The (creation time, id) of a message cursor, if it is one.
pub(crate) fn decode_message_cursor(text: &str) -> Option<(i64, u64)> {
    let (value, position) = decode(text, "createdAt")?;
    (value.get("direction").and_then(Value::as_str) == Some("prev")).then_some(position)
}

/// The JSON of a cursor and the position it names: the time under
/// `time_key` (ISO text) and the `id` (decimal text).
fn decode(text: &str, time_key: &str) -> Option<(Value, (i64, u64))> {
    let value: Value = serde_json::from_slice(&base64_decode(text)?).ok()?;
    let time = parse_iso_millis(value.get(time_key)?.as_str()?)?;
    let id = value.get("id")?.as_str()?.parse::<u64>().ok()?;
    Some((value, (time, id)))
}
