//! A listing page's envelope, read by the paths its spec declares
//! (`x-chatdesk-pagination`): the items, the next cursor and the page count
//! are found where [`Declared`] says, every other field is skipped without
//! being built. One decoder serves every listing, typed or raw, so that
//! renaming a field in the spec is all it takes when a server renames it.

use std::marker::PhantomData;

use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde_json::value::RawValue;

use crate::error::{Error, Platform};
use crate::paginate::Declared;

/// What a page's envelope holds, by the declared paths.
pub(crate) struct Envelope<T> {
    /// The items.
    pub(crate) items: Vec<T>,
    /// The next cursor (cursor listings); `None` when null or absent.
    #[cfg_attr(not(feature = "chatbotx"), allow(dead_code))] // only ChatbotX has cursors
    pub(crate) next_cursor: Option<String>,
    /// The value at `page-count` (page-number listings), as sent: a number,
    /// or what a hook reads one from.
    pub(crate) page_count: Option<Box<RawValue>>,
}

/// What the decoder found at the declared paths; the items may be missing.
pub(crate) struct Found<T> {
    items: Option<Vec<T>>,
    next_cursor: Option<String>,
    page_count: Option<Box<RawValue>>,
}

impl<T> Found<T> {
    /// The envelope, or a decode error naming the items' path when they
    /// were not there.
    pub(crate) fn into_envelope(
        self,
        platform: Platform,
        operation: &'static str,
        declared: &Declared,
    ) -> Result<Envelope<T>, Error> {
        let Some(items) = self.items else {
            return Err(crate::http::error_body::decode_error(
                platform,
                operation,
                None,
                &declared.items.join("."),
                "missing field: the page has no items where the spec says they are",
                &[],
                &[],
                false,
            ));
        };
        Ok(Envelope {
            items,
            next_cursor: self.next_cursor,
            page_count: self.page_count,
        })
    }
}

impl<T> Envelope<T> {
    /// The page count, when the value at `page-count` is a number above 0
    /// (0 means the server did not count).
    #[cfg_attr(not(feature = "chatbotx"), allow(dead_code))] // Chatwoot counts by a hook
    pub(crate) fn count(value: Option<&RawValue>) -> Option<u64> {
        value
            .and_then(|raw| {
                serde_json::from_str::<Option<i64>>(raw.get())
                    .ok()
                    .flatten()
            })
            .and_then(|n| u64::try_from(n).ok())
            .filter(|n| *n > 0)
    }
}

/// Decodes an [`Envelope`] of `T` by `declared`'s paths.
pub(crate) struct Seed<'d, T> {
    pub(crate) declared: &'d Declared,
    pub(crate) item: PhantomData<fn() -> T>,
}

impl<'de, T: de::Deserialize<'de>> DeserializeSeed<'de> for Seed<'_, T> {
    type Value = Found<T>;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        let mut found = Found {
            items: None,
            next_cursor: None,
            page_count: None,
        };
        // `items: $`: the body is the item array.
        if self.declared.items.is_empty() {
            found.items = Some(<Vec<T> as de::Deserialize>::deserialize(deserializer)?);
            return Ok(found);
        }
        Level {
            declared: self.declared,
            depth: 0,
            found: &mut found,
        }
        .deserialize(deserializer)?;
        Ok(found)
    }
}

/// One object level of the envelope: `depth` keys down every path.
struct Level<'a, 'd, T> {
    declared: &'d Declared,
    depth: usize,
    found: &'a mut Found<T>,
}

impl<'de, T: de::Deserialize<'de>> DeserializeSeed<'de> for Level<'_, '_, T> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de, T: de::Deserialize<'de>> Visitor<'de> for Level<'_, '_, T> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("a listing page (a JSON object)")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let depth = self.depth;
        let declared = self.declared;
        // Whether `path` goes through `key` at this depth, and ends there.
        let step = |path: &[&str], key: &str| -> Option<bool> {
            (path.get(depth) == Some(&key)).then_some(path.len() == depth + 1)
        };
        while let Some(key) = map.next_key::<String>()? {
            let key = key.as_str();
            if step(declared.items, key) == Some(true) {
                self.found.items = Some(map.next_value()?);
            } else if step(declared.next_cursor, key) == Some(true) {
                self.found.next_cursor = map.next_value::<Option<String>>()?;
            } else if step(declared.page_count, key) == Some(true) {
                self.found.page_count = Some(map.next_value::<Box<RawValue>>()?);
            } else if [declared.items, declared.next_cursor, declared.page_count]
                .iter()
                .any(|path| step(path, key) == Some(false))
            {
                map.next_value_seed(Level {
                    declared,
                    depth: depth + 1,
                    found: &mut *self.found,
                })?;
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::paginate::Style;

    const NESTED: Declared = Declared {
        style: Style::PageNumber,
        items: &["data", "payload"],
        cursor: None,
        next_cursor: &["next"],
        start: None,
        window: None,
        page: Some("page"),
        page_count: &["data", "meta"],
        page_size_default: None,
        page_size_max: None,
    };

    fn read(body: &str) -> Result<Found<u32>, Error> {
        crate::http::decode::decode_with(
            Platform::Chatwoot,
            "op",
            reqwest::StatusCode::OK,
            body.as_bytes(),
            &[],
            &crate::http::decode::PageDecoder::<u32>::new(&NESTED),
        )
    }

    #[test]
    fn the_declared_paths_are_read_and_the_rest_skipped() {
        let page = read(
            r#"{"skip": {"payload": [9]}, "data": {"meta": {"all_count": 3}, "extra": [1,
            {"deep": null}], "payload": [1, 2, 3]}, "next": "c2"}"#,
        )
        .unwrap();
        assert_eq!(page.items, Some(vec![1, 2, 3]));
        assert_eq!(page.next_cursor.as_deref(), Some("c2"));
        assert_eq!(page.page_count.unwrap().get(), r#"{"all_count": 3}"#);
    }

    #[test]
    fn a_missing_path_is_none_and_a_wrong_item_names_its_place() {
        let page = read(r#"{"data": {}}"#).unwrap();
        assert!(page.items.is_none() && page.next_cursor.is_none());
        let Err(missing) = page.into_envelope(Platform::Chatwoot, "op", &NESTED) else {
            panic!("no items must be an error");
        };
        assert!(missing.to_string().contains("data.payload"), "{missing}");

        let Err(Error::Decode(wrong)) = read(r#"{"data": {"payload": [1, "two"]}}"#) else {
            panic!("a string item must not decode as a number");
        };
        assert_eq!(wrong.path, "data.payload[1]");
    }

    #[test]
    fn counts_are_positive_numbers_only() {
        let raw = |text: &str| RawValue::from_string(text.to_string()).unwrap();
        assert_eq!(Envelope::<u32>::count(Some(&raw("7"))), Some(7));
        assert_eq!(Envelope::<u32>::count(Some(&raw("0"))), None);
        assert_eq!(Envelope::<u32>::count(Some(&raw("null"))), None);
        assert_eq!(Envelope::<u32>::count(Some(&raw("-3"))), None);
        assert_eq!(Envelope::<u32>::count(None), None);
    }

    #[test]
    fn items_at_dollar_are_the_whole_body() {
        const WHOLE: Declared = Declared {
            style: Style::Whole,
            items: &[],
            cursor: None,
            next_cursor: &[],
            start: None,
            window: None,
            page: None,
            page_count: &[],
            page_size_default: None,
            page_size_max: None,
        };
        let decode = |body: &str| {
            crate::http::decode::decode_with(
                Platform::Chatwoot,
                "op",
                reqwest::StatusCode::OK,
                body.as_bytes(),
                &[],
                &crate::http::decode::PageDecoder::<u32>::new(&WHOLE),
            )
            .and_then(|found| found.into_envelope(Platform::Chatwoot, "op", &WHOLE))
        };
        assert_eq!(decode("[1, 2, 3]").unwrap().items, [1, 2, 3]);
        assert!(decode(r#"{"payload": [1]}"#).is_err());
    }
}
