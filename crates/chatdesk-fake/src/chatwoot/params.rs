//! How the server reads a parameter: Rails keeps the last of a repeated
//! name, `present?` counts an empty value as missing, and numbers go
//! through Ruby's `to_i` (leading digits after optional blanks and sign;
//! anything else is 0), so `12abc` is 12 and `abc` is 0.

/// Ruby's `String#to_i`: the leading integer of `text`, 0 if none;
/// saturates instead of growing a bignum.
pub(crate) fn to_i(text: &str) -> i64 {
    let rest = text.trim_start();
    let (negative, digits) = match rest.as_bytes().first() {
        Some(b'-') => (true, &rest[1..]),
        Some(b'+') => (false, &rest[1..]),
        _ => (false, rest),
    };
    let mut value: i64 = 0;
    // Ruby also takes underscores between digits (`1_000`).
    let mut previous_digit = false;
    for byte in digits.bytes() {
        match byte {
            b'0'..=b'9' => {
                value = value
                    .saturating_mul(10)
                    .saturating_add(i64::from(byte - b'0'));
                previous_digit = true;
            }
            b'_' if previous_digit => previous_digit = false,
            _ => break,
        }
    }
    if negative { -value } else { value }
}

/// The last value of `name` in `pairs`, as Rails keeps it.
pub(crate) fn last<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs
        .iter()
        .rev()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// The last value of `name` if it is `present?`: not empty or blank.
pub(crate) fn present<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    last(pairs, name).filter(|v| !v.trim().is_empty())
}

/// Every value of the array parameter `name[]`, in order.
pub(crate) fn all<'a>(pairs: &'a [(String, String)], name: &str) -> Vec<&'a str> {
    let key = format!("{name}[]");
    pairs
        .iter()
        .filter(|(k, _)| *k == key)
        .map(|(_, v)| v.as_str())
        .collect()
}

/// A Kaminari page number: `to_i`, below 1 the first page.
pub(crate) fn page(value: Option<&str>) -> i64 {
    value.map_or(1, to_i).max(1)
}

#[cfg(test)]
mod tests {
    use super::to_i;

    #[test]
    fn to_i_reads_like_ruby() {
        for (text, expected) in [
            ("12", 12),
            ("12abc", 12),
            ("abc", 0),
            ("", 0),
            ("  -7x", -7),
            ("+3", 3),
            ("1_000", 1000),
            ("1__0", 1),
            ("_1", 0),
            ("4.9", 4),
            ("99999999999999999999999", i64::MAX),
        ] {
            assert_eq!(to_i(text), expected, "{text:?}");
        }
    }
}
