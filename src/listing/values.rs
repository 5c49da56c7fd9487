//! A listing's parameter values: checked by the spec's constraints when a
//! setter is called, and kept as JSON until the walk encodes them.
//!
//! The generated setters are one line each: they call the helpers below with
//! their parameter's index, and a bad value is recorded (the first one wins)
//! and reported by `.stream()` or `.pages()`, which cannot fail themselves.

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde_json::Value;

use super::Listing;
use super::spec::{Check, ListOperation, Param, PathParam};

/// A value type of a setter that the spec names with
/// `x-chatdesk-setter-type`: it checks itself and becomes the JSON the
/// parameter's encoding puts on the wire.
pub(crate) trait SetterValue {
    /// The value as JSON, or why it cannot be sent.
    fn to_value(&self) -> Result<Value, String>;
}

/// Whole seconds, at least one.
impl SetterValue for std::time::Duration {
    fn to_value(&self) -> Result<Value, String> {
        match self.as_secs() {
            0 => Err(format!(
                "must be at least one second (whole seconds), not {self:?}"
            )),
            seconds => Ok(Value::from(seconds)),
        }
    }
}

/// A value of a path parameter.
pub(crate) trait PathValue {
    /// The value as one percent-encoded path segment, or why it cannot be
    /// sent.
    fn segment(&self, param: &PathParam) -> Result<String, String>;
}

/// Characters left as they are in a path segment: the unreserved ones.
pub(crate) const SEGMENT: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

impl PathValue for i64 {
    fn segment(&self, param: &PathParam) -> Result<String, String> {
        match param.minimum {
            Some(minimum) if *self < minimum => Err(format!(
                "the {} must be at least {minimum}, not {self} (path parameter `{}`)",
                param.name.replace('_', " "),
                param.name
            )),
            _ => Ok(self.to_string()),
        }
    }
}

impl PathValue for String {
    fn segment(&self, param: &PathParam) -> Result<String, String> {
        let length = self.trim().chars().count() as u64;
        match param.min_length {
            Some(min) if length < min.max(1) => Err(format!(
                "the {} is blank (path parameter `{}`)",
                param.name.replace('_', " "),
                param.name
            )),
            _ => Ok(utf8_percent_encode(self, SEGMENT).to_string()),
        }
    }
}

impl<Op: ListOperation> Listing<Op> {
    /// Records the first bad setting.
    pub(crate) fn invalid(mut self, message: String) -> Self {
        self.invalid.get_or_insert(message);
        self
    }

    fn param(index: usize) -> &'static Param {
        &Op::SPEC.params[index]
    }

    /// Sets parameter `index` to `value`, replacing an earlier value.
    fn put(mut self, index: usize, value: Value) -> Self {
        if let Some(slot) = self.values.get_mut(index) {
            *slot = Some(value);
        }
        self
    }

    /// Appends `values` to list parameter `index`.
    fn append(mut self, index: usize, values: Vec<Value>) -> Self {
        let param = Self::param(index);
        let Some(slot) = self.values.get_mut(index) else {
            return self;
        };
        let mut list = match slot.take() {
            Some(Value::Array(list)) => list,
            _ => Vec::new(),
        };
        list.extend(values);
        let count = list.len() as u64;
        *slot = Some(Value::Array(list));
        if let Some(max) = param.check.max_items
            && count > max
        {
            return self.invalid(format!(
                "{}: at most {max} values, not {count}",
                param.setter
            ));
        }
        self
    }

    /// Sets a text parameter.
    pub(crate) fn set_text(self, index: usize, text: String) -> Self {
        let param = Self::param(index);
        match check_text(&param.check, &text) {
            Ok(()) => self.put(index, Value::String(text)),
            Err(why) => self.invalid(format!("{}: {why}", param.setter)),
        }
    }

    /// Appends to a list-of-text parameter.
    pub(crate) fn add_texts(self, index: usize, texts: Vec<String>) -> Self {
        let param = Self::param(index);
        if let Some(why) = texts.iter().find_map(|t| check_text(&param.check, t).err()) {
            return self.invalid(format!("{}: {why}", param.setter));
        }
        self.append(index, texts.into_iter().map(Value::String).collect())
    }

    /// Sets an integer parameter.
    pub(crate) fn set_integer(self, index: usize, value: i64) -> Self {
        let param = Self::param(index);
        match check_integer(&param.check, value) {
            Ok(()) => self.put(index, Value::from(value)),
            Err(why) => self.invalid(format!("{} {why}", param.setter)),
        }
    }

    /// Sets a parameter whose value serializes as the spec says (a boolean,
    /// a number, an enum, an object).
    pub(crate) fn set_serialized<T: serde::Serialize>(self, index: usize, value: &T) -> Self {
        match serde_json::to_value(value) {
            Ok(value) => self.put(index, value),
            Err(e) => {
                let setter = Self::param(index).setter;
                self.invalid(format!("{setter}: the value cannot be sent ({e})"))
            }
        }
    }

    /// Appends serializable values to a list parameter.
    pub(crate) fn add_serialized<T: serde::Serialize>(
        self,
        index: usize,
        values: impl IntoIterator<Item = T>,
    ) -> Self {
        let values: Result<Vec<Value>, _> = values
            .into_iter()
            .map(|v| serde_json::to_value(&v))
            .collect();
        match values {
            Ok(values) => self.append(index, values),
            Err(e) => {
                let setter = Self::param(index).setter;
                self.invalid(format!("{setter}: a value cannot be sent ({e})"))
            }
        }
    }

    /// Sets a parameter whose setter takes a handwritten type.
    pub(crate) fn set_custom<T: SetterValue>(self, index: usize, value: &T) -> Self {
        match value.to_value() {
            Ok(value) => self.put(index, value),
            Err(why) => {
                let setter = Self::param(index).setter;
                self.invalid(format!("{setter}: {why}"))
            }
        }
    }
}

fn check_text(check: &Check, text: &str) -> Result<(), String> {
    if let Some(min) = check.min_length {
        let length = text.trim().chars().count() as u64;
        if length == 0 && min > 0 {
            return Err("the text is empty or blank".into());
        }
        if length < min {
            return Err(format!("at least {min} characters, not {length}"));
        }
    }
    if check.digits && (text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit())) {
        return Err(format!("{text:?} is not a string of digits"));
    }
    Ok(())
}

fn check_integer(check: &Check, value: i64) -> Result<(), String> {
    if let Some(min) = check.minimum
        && value < min
    {
        return Err(format!("must be at least {min}, not {value}"));
    }
    if let Some(max) = check.maximum
        && value > max
    {
        return Err(format!("must be at most {max}, not {value}"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_checks_follow_the_constraints() {
        let blank_refused = Check {
            min_length: Some(1),
            ..Check::default()
        };
        assert!(check_text(&blank_refused, "a").is_ok());
        assert!(check_text(&blank_refused, " \t").is_err());
        let digits = Check {
            digits: true,
            ..Check::default()
        };
        assert!(check_text(&digits, "72057594037927936").is_ok());
        assert!(check_text(&digits, "12a").unwrap_err().contains("12a"));
        assert!(check_text(&Check::default(), "").is_ok());
    }

    #[test]
    fn integer_checks_follow_the_constraints() {
        let positive = Check {
            minimum: Some(1),
            maximum: Some(50),
            ..Check::default()
        };
        assert!(check_integer(&positive, 1).is_ok());
        assert!(
            check_integer(&positive, 0)
                .unwrap_err()
                .contains("at least 1")
        );
        assert!(
            check_integer(&positive, 51)
                .unwrap_err()
                .contains("at most 50")
        );
    }

    #[test]
    fn path_values_are_checked_and_encoded() {
        let account = PathParam {
            name: "account_id",
            minimum: Some(1),
            min_length: None,
        };
        assert_eq!(7i64.segment(&account).unwrap(), "7");
        assert!(0i64.segment(&account).unwrap_err().contains("account id"));
        let name = PathParam {
            name: "name",
            minimum: None,
            min_length: Some(1),
        };
        assert_eq!("a/b c".to_string().segment(&name).unwrap(), "a%2Fb%20c");
        assert!(" ".to_string().segment(&name).is_err());
    }
}
