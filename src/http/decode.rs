//! Success bodies decoded into the spec's types, or into a page's
//! envelope; a body that fails is decoded again to name the JSON path where
//! it went wrong, with a bounded, scrubbed excerpt.

use std::marker::PhantomData;

use reqwest::StatusCode;
use serde::de::DeserializeOwned;

use crate::error::{Error, Platform};
use crate::paginate::Declared;

/// Something that reads a value from any JSON deserializer: a whole type,
/// or a page's envelope by its declared paths. Decoding goes through it
/// twice when a body fails (the second time tracking the JSON path).
pub(crate) trait Decoder {
    /// What it reads.
    type Output;
    /// Reads it from `deserializer`.
    fn decode<'de, D: serde::Deserializer<'de>>(
        &self,
        deserializer: D,
    ) -> Result<Self::Output, D::Error>;
}

/// Decodes a whole `T`.
pub(crate) struct Whole<T>(pub(crate) PhantomData<fn() -> T>);

impl<T: DeserializeOwned> Decoder for Whole<T> {
    type Output = T;
    fn decode<'de, D: serde::Deserializer<'de>>(&self, deserializer: D) -> Result<T, D::Error> {
        T::deserialize(deserializer)
    }
}

/// Decodes a page's envelope of `T` items by its declared paths.
pub(crate) struct PageDecoder<'d, T> {
    declared: &'d Declared,
    // A function type: the decoder holds no `T`, so it is `Send` and
    // `Sync` whatever `T` is.
    item: PhantomData<fn() -> T>,
}

impl<'d, T> PageDecoder<'d, T> {
    /// The decoder of pages that `declared` describes.
    pub(crate) fn new(declared: &'d Declared) -> Self {
        PageDecoder {
            declared,
            item: PhantomData,
        }
    }
}

impl<T: DeserializeOwned> Decoder for PageDecoder<'_, T> {
    type Output = crate::envelope::Found<T>;
    fn decode<'de, D: serde::Deserializer<'de>>(
        &self,
        deserializer: D,
    ) -> Result<Self::Output, D::Error> {
        use serde::de::DeserializeSeed;
        crate::envelope::Seed {
            declared: self.declared,
            item: PhantomData::<fn() -> T>,
        }
        .deserialize(deserializer)
    }
}

/// Decodes a success body as `T`; a failure names the JSON path and keeps an
/// excerpt of the body.
pub(crate) fn decode_body<T: DeserializeOwned>(
    platform: Platform,
    operation: &'static str,
    status: reqwest::StatusCode,
    body: &[u8],
    secrets: &[&str],
) -> Result<T, Error> {
    decode_with(
        platform,
        operation,
        status,
        body,
        secrets,
        &Whole::<T>(PhantomData),
    )
}

/// Decodes a success body with `decoder`; a failure names the JSON path
/// and keeps an excerpt of the body.
///
/// Tracking the path costs about 40 % of the decoding (a string per key),
/// so a body is first decoded without it, and only a body that fails is
/// decoded again to find where.
pub(crate) fn decode_with<D: Decoder>(
    platform: Platform,
    operation: &'static str,
    status: reqwest::StatusCode,
    body: &[u8],
    secrets: &[&str],
    decoder: &D,
) -> Result<D::Output, Error> {
    let plain_error = {
        let mut deserializer = serde_json::Deserializer::from_slice(body);
        match decoder
            .decode(&mut deserializer)
            .and_then(|value| deserializer.end().map(|()| value))
        {
            Ok(value) => return Ok(value),
            Err(e) => e,
        }
    };
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    let mut track = serde_path_to_error::Track::new();
    let traced = decoder
        .decode(serde_path_to_error::Deserializer::new(
            &mut deserializer,
            &mut track,
        ))
        .map_err(|e| (track.path().to_string(), e))
        .and_then(|_| deserializer.end().map_err(|e| (String::new(), e)));
    // Both read the same grammar; should they disagree, the plain error
    // stands, without a path.
    let (path, inner) = traced.err().unwrap_or((String::new(), plain_error));
    let empty = body.iter().all(u8::is_ascii_whitespace);
    let message = if empty {
        "the body is empty".to_string()
    } else if inner.is_eof() {
        format!("the body ends early ({inner}); the connection may have been cut")
    } else if inner.is_syntax() {
        format!("the body is not JSON ({inner})")
    } else {
        inner.to_string()
    };
    Err(super::error_body::decode_error(
        platform,
        operation,
        Some(status),
        &path,
        &message,
        body,
        secrets,
        inner.is_eof() && !empty,
    ))
}

/// Decodes a response body as `T` the way the list helpers do: a failure
/// is an [`Error::Decode`] naming the JSON path, with a bounded excerpt of
/// the body. Useful for bodies stored earlier, or received another way.
///
/// ```
/// # #[cfg(feature = "chatwoot")] {
/// use chatdesk::{Error, Platform, chatwoot::types::ConversationList};
///
/// let body = br#"{"data": {"meta": {"mine_count": 0, "assigned_count": 0,
///     "unassigned_count": 0, "all_count": 0}, "payload": [{"id": "x"}]}}"#;
/// match chatdesk::error::decode::<ConversationList>(Platform::Chatwoot, "listConversations", body) {
///     Err(Error::Decode(e)) => assert_eq!(e.path, "data.payload[0].id"),
///     other => panic!("{other:?}"),
/// }
/// # }
/// ```
pub fn decode<T: serde::de::DeserializeOwned>(
    platform: Platform,
    operation: &'static str,
    body: &[u8],
) -> Result<T, Error> {
    decode_body(platform, operation, StatusCode::OK, body, &[])
}

/// Re-decodes `body` as JSON to find where decoding into a value failed.
/// Only the position of a JSON syntax error is known without the target
/// type, so this names a line and column for those.
pub(crate) fn json_path_of(body: &[u8]) -> String {
    match serde_json::from_slice::<serde_json::Value>(body) {
        Ok(_) => String::new(),
        Err(e) => format!("line {} column {}", e.line(), e.column()),
    }
}
