//! Text read as the ChatbotX server's JavaScript reads it: `Number()`
//! for page sizes, `BigInt()` for ids in filters. Both take surrounding
//! white space, radix prefixes and signs that Rust's parsers do not.

/// The digits and radix of a JavaScript `0x`/`0o`/`0b` literal (either
/// case), as `Number()` and `BigInt()` read them.
fn radix_prefixed(text: &str) -> Option<(&str, u32)> {
    [
        ("0x", 16),
        ("0X", 16),
        ("0o", 8),
        ("0O", 8),
        ("0b", 2),
        ("0B", 2),
    ]
    .into_iter()
    .find_map(|(prefix, radix)| text.strip_prefix(prefix).map(|digits| (digits, radix)))
}

/// A number as JavaScript's `Number(text)` reads it: surrounding white
/// space dropped, empty text is 0, `0x`/`0o`/`0b` prefixes, `Infinity`;
/// NaN for anything else that is not a decimal number.
pub(crate) fn js_number(text: &str) -> f64 {
    let text = text.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
    if text.is_empty() {
        return 0.0;
    }
    match text {
        "Infinity" | "+Infinity" => return f64::INFINITY,
        "-Infinity" => return f64::NEG_INFINITY,
        _ => {}
    }
    let prefixed = radix_prefixed(text);
    if let Some((digits, radix)) = prefixed {
        if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
            return f64::NAN;
        }
        return digits.chars().fold(0.0, |n, c| {
            n * f64::from(radix) + f64::from(c.to_digit(radix).unwrap_or(0))
        });
    }
    // Rust also reads `inf` and `nan`, which JavaScript does not.
    if text
        .bytes()
        .any(|b| b.is_ascii_alphabetic() && b != b'e' && b != b'E')
    {
        return f64::NAN;
    }
    text.parse().unwrap_or(f64::NAN)
}

/// An id as the server's `parseBigIntId` reads it (JavaScript `BigInt` on
/// the text, then back to decimal text): `None` for empty text or text
/// `BigInt` refuses. Surrounding white space is dropped, white space alone
/// is 0, `0x`/`0o`/`0b` prefixes and a sign (decimal only) are read.
/// Values too large for the fake to convert come back as the text itself,
/// which matches no id.
pub(crate) fn parse_bigint_id(text: &str) -> Option<String> {
    if text.is_empty() {
        return None;
    }
    let text = text.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
    if text.is_empty() {
        return Some("0".to_string());
    }
    let prefixed = radix_prefixed(text);
    if let Some((digits, radix)) = prefixed {
        if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
            return None;
        }
        return Some(
            u128::from_str_radix(digits, radix)
                .map_or_else(|_| text.to_string(), |n| n.to_string()),
        );
    }
    let (negative, digits) = match text.as_bytes().first() {
        Some(b'-') => (true, &text[1..]),
        Some(b'+') => (false, &text[1..]),
        _ => (false, text),
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let digits = digits.trim_start_matches('0');
    Some(match (digits.is_empty(), negative) {
        (true, _) => "0".to_string(),
        (false, true) => format!("-{digits}"),
        (false, false) => digits.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_read_as_bigint_reads_them() {
        for (text, read) in [
            ("12", Some("12")),
            ("0012", Some("12")),
            (" 12\n", Some("12")),
            ("+12", Some("12")),
            ("-12", Some("-12")),
            ("-0", Some("0")),
            ("0xC", Some("12")),
            ("0b1100", Some("12")),
            ("0o14", Some("12")),
            (" ", Some("0")),
            ("72057594055802881", Some("72057594055802881")),
            ("", None),
            ("abc", None),
            ("1.0", None),
            ("1e3", None),
            ("-0x1", None),
            ("0x", None),
            ("1 2", None),
        ] {
            assert_eq!(parse_bigint_id(text).as_deref(), read, "{text:?}");
        }
    }

    #[test]
    fn numbers_are_read_as_javascript_reads_them() {
        for (text, number) in [
            ("", 0.0),
            (" 2 ", 2.0),
            ("2.5", 2.5),
            ("-1", -1.0),
            ("+3", 3.0),
            ("1e2", 100.0),
            (".5", 0.5),
            ("0x10", 16.0),
            ("0b11", 3.0),
        ] {
            assert_eq!(js_number(text), number, "{text:?}");
        }
        assert_eq!(js_number("Infinity"), f64::INFINITY);
        for text in ["abc", "inf", "nan", "NaN", "1,5", "0x", "0xG", "2px"] {
            assert!(js_number(text).is_nan(), "{text:?}");
        }
    }
}
