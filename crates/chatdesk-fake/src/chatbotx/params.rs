//! The query pairs of one ChatbotX request sorted out by the form each
//! parameter takes: one plain value, an array (`name[]=`, `name[0]=` or a
//! repeated `name`), JSON text, or an object in bracket notation. A key
//! the listing does not know, or a parameter of the wrong form, is noted
//! as an issue.

use serde_json::{Value, json};

use super::issues;
use super::validation::Checker;
use crate::ChatbotxVersion;
use crate::server::query::{base_name, bracket_object, bracket_segments};

/// How a parameter is read.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// One plain value.
    Scalar,
    /// `name[]=a&name[]=b`, `name[0]=a` or a repeated `name`.
    Array,
    /// JSON text in one plain value; every other form is silently ignored.
    JsonText,
    /// Bracket notation; JSON text only on the current server.
    Object,
}

/// The parameters of one request, sorted out.
#[derive(Default)]
pub(crate) struct Params {
    scalars: Vec<(&'static str, String)>,
    arrays: Vec<(&'static str, Vec<String>)>,
    json_text: Vec<(&'static str, String)>,
    /// `contactFilter` as an object (from bracket notation, or JSON text
    /// on the current server).
    pub(crate) filter: Option<Value>,
}

impl Params {
    /// The value of scalar `name`, if it was sent.
    pub(crate) fn scalar(&self, name: &str) -> Option<&str> {
        self.scalars
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The values of array `name`, if it was sent.
    pub(crate) fn array(&self, name: &str) -> Option<&[String]> {
        self.arrays
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, values)| values.as_slice())
    }

    /// The text of JSON-text parameter `name`, as sent, if it was.
    pub(crate) fn text(&self, name: &str) -> Option<&str> {
        self.json_text
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, text)| text.as_str())
    }

    /// The JSON of JSON-text parameter `name`, if it was sent and is JSON.
    pub(crate) fn json(&self, name: &str) -> Option<Value> {
        self.json_text
            .iter()
            .find(|(n, _)| *n == name)
            .and_then(|(_, text)| serde_json::from_str(text).ok())
    }
}

impl Checker {
    /// Sorts the query pairs out by `spec`, noting unknown keys.
    pub(crate) fn collect(
        &mut self,
        pairs: &[(String, String)],
        spec: &[(&'static str, Kind)],
    ) -> Params {
        let mut params = Params::default();
        let mut seen: Vec<&str> = Vec::new();
        for (key, _) in pairs {
            let base = base_name(key);
            if base == "token" || seen.contains(&base) {
                continue;
            }
            seen.push(base);
            let Some((name, kind)) = spec.iter().find(|(n, _)| *n == base).copied() else {
                self.push(issues::unrecognized_key(base));
                continue;
            };
            let same: Vec<(&str, &str)> = pairs
                .iter()
                .filter(|(k, _)| base_name(k) == base)
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect();
            let plain: Vec<&str> = same
                .iter()
                .filter(|(k, _)| *k == base)
                .map(|(_, v)| *v)
                .collect();
            let bracketed = same.len() > plain.len();
            match kind {
                Kind::Scalar => {
                    if plain.len() == 1 && !bracketed {
                        params.scalars.push((name, plain[0].to_string()));
                    } else {
                        self.push(issues::wrong_type(
                            self.version,
                            json!([name]),
                            "string",
                            "array",
                        ));
                    }
                }
                Kind::Array => {
                    if plain.len() == 1 && !bracketed {
                        self.push(issues::wrong_type(
                            self.version,
                            json!([name]),
                            "array",
                            "string",
                        ));
                    } else {
                        let mut values: Vec<(usize, String)> = same
                            .iter()
                            .enumerate()
                            .map(|(order, (k, v))| {
                                let index = bracket_segments(k)
                                    .and_then(|s| s.first().and_then(|i| i.parse::<usize>().ok()))
                                    .unwrap_or(usize::MAX / 2 + order);
                                (index, (*v).to_string())
                            })
                            .collect();
                        values.sort_by_key(|(i, _)| *i);
                        params
                            .arrays
                            .push((name, values.into_iter().map(|(_, v)| v).collect()));
                    }
                }
                Kind::JsonText => {
                    if plain.len() == 1 && !bracketed {
                        params.json_text.push((name, plain[0].to_string()));
                    }
                }
                Kind::Object => {
                    if bracketed {
                        let segments: Vec<(Vec<&str>, &str)> = same
                            .iter()
                            .filter(|(k, _)| *k != base)
                            .filter_map(|(k, v)| bracket_segments(k).map(|s| (s, *v)))
                            .collect();
                        let object =
                            bracket_object(segments.iter().map(|(s, v)| (s.as_slice(), *v)));
                        params.filter = Some(object);
                    } else if self.version != ChatbotxVersion::Current {
                        self.push(issues::wrong_type(
                            self.version,
                            json!([name]),
                            "object",
                            "string",
                        ));
                    } else if plain.len() == 1 {
                        match serde_json::from_str::<Value>(plain[0]) {
                            Ok(value @ Value::Object(_)) => params.filter = Some(value),
                            _ => {
                                self.push(issues::wrong_type(
                                    self.version,
                                    json!([name]),
                                    "object",
                                    "string",
                                ));
                            }
                        }
                    } else {
                        self.push(issues::wrong_type(
                            self.version,
                            json!([name]),
                            "object",
                            "array",
                        ));
                    }
                }
            }
        }
        params
    }
}
