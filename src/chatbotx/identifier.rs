//! How a ChatbotX contact is named in a path: `id:`, `email:` or `phone:`.

use std::fmt;
use std::str::FromStr;

use percent_encoding::{AsciiSet, utf8_percent_encode};

use crate::error::Error;

/// Characters left as they are in a path segment: the unreserved ones of
/// every listing's path parameters, and the `:` of the prefix. Everything
/// else (`@`, `+`, `/`, spaces, non-ASCII) is percent-encoded.
const SEGMENT: &AsciiSet = &crate::listing::values::SEGMENT.remove(b':');

/// A contact, by id, email address or phone number, as the messages
/// endpoint takes it.
///
/// ```
/// use chatdesk::chatbotx::Identifier;
///
/// assert_eq!(Identifier::id(72057594037927936u64).to_string(), "id:72057594037927936");
/// assert_eq!(Identifier::email("an@example.com").to_string(), "email:an@example.com");
/// let parsed: Identifier = "phone:+84912345678".parse().unwrap();
/// assert_eq!(parsed, Identifier::phone("+84912345678"));
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Identifier {
    kind: Kind,
    value: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
enum Kind {
    Id,
    Email,
    Phone,
}

impl Kind {
    fn prefix(self) -> &'static str {
        match self {
            Kind::Id => "id",
            Kind::Email => "email",
            Kind::Phone => "phone",
        }
    }
}

impl Identifier {
    /// A contact by id (digits; ids above 2^53 are fine as text or `u64`).
    ///
    /// ```
    /// let by_id = chatdesk::chatbotx::Identifier::id("42");
    /// ```
    pub fn id(id: impl ToString) -> Self {
        Identifier {
            kind: Kind::Id,
            value: id.to_string(),
        }
    }

    /// A contact by exact email address.
    ///
    /// ```
    /// let by_email = chatdesk::chatbotx::Identifier::email("an@example.com");
    /// ```
    pub fn email(address: impl Into<String>) -> Self {
        Identifier {
            kind: Kind::Email,
            value: address.into(),
        }
    }

    /// A contact by exact phone number, as stored (often with `+`).
    ///
    /// ```
    /// let by_phone = chatdesk::chatbotx::Identifier::phone("+84912345678");
    /// ```
    pub fn phone(number: impl Into<String>) -> Self {
        Identifier {
            kind: Kind::Phone,
            value: number.into(),
        }
    }

    /// Checks the value: the server answers 404 for anything malformed,
    /// which would read as "no such contact".
    ///
    /// ```
    /// use chatdesk::chatbotx::Identifier;
    /// assert!(Identifier::id("42").check().is_ok());
    /// assert!(Identifier::id("4x2").check().is_err());
    /// assert!(Identifier::email("not-an-address").check().is_err());
    /// ```
    pub fn check(&self) -> Result<(), Error> {
        let value = &self.value;
        let fine = match self.kind {
            Kind::Id => !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()),
            Kind::Email => value
                .split_once('@')
                .is_some_and(|(local, domain)| !local.is_empty() && !domain.is_empty()),
            Kind::Phone => {
                value.chars().any(|c| c.is_ascii_digit())
                    && value
                        .chars()
                        .all(|c| c.is_ascii_digit() || "+-() .".contains(c))
            }
        };
        if fine {
            Ok(())
        } else {
            let expected = match self.kind {
                Kind::Id => "digits only",
                Kind::Email => "an address with an @",
                Kind::Phone => "digits, with + - ( ) . or spaces",
            };
            Err(Error::invalid_input(format!(
                "contact identifier `{}:{value}` is malformed: expected {expected}",
                self.kind.prefix()
            )))
        }
    }

    /// The identifier as one percent-encoded path segment.
    ///
    /// ```
    /// use chatdesk::chatbotx::Identifier;
    /// assert_eq!(Identifier::phone("+84 912").path_segment(), "phone:%2B84%20912");
    /// assert_eq!(Identifier::email("an@example.com").path_segment(), "email:an%40example.com");
    /// ```
    pub fn path_segment(&self) -> String {
        utf8_percent_encode(&self.to_string(), SEGMENT).to_string()
    }
}

impl fmt::Display for Identifier {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.kind.prefix(), self.value)
    }
}

impl FromStr for Identifier {
    type Err = Error;

    /// Parses `id:N`, `email:X` or `phone:X`, and checks the value.
    fn from_str(text: &str) -> Result<Self, Error> {
        let parsed = match text.split_once(':') {
            Some(("id", value)) => Identifier::id(value),
            Some(("email", value)) => Identifier::email(value),
            Some(("phone", value)) => Identifier::phone(value),
            _ => {
                return Err(Error::invalid_input(format!(
                    "contact identifier {text:?} must be id:<digits>, email:<address> or \
                     phone:<number>"
                )));
            }
        };
        parsed.check()?;
        Ok(parsed)
    }
}

/// A listing's path takes the identifier checked and percent-encoded (the
/// `:` of its prefix kept).
impl crate::listing::values::PathValue for Identifier {
    fn segment(&self, _param: &crate::listing::spec::PathParam) -> Result<String, String> {
        self.check().map_err(|e| e.detail())?;
        Ok(self.path_segment())
    }
}
