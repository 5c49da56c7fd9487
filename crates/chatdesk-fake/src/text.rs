//! Made-up names and texts for the fake data sets: Vietnamese, Thai,
//! Japanese and a little English, with emoji, so that decoders meet
//! multi-byte text everywhere. Also the text helpers both fakes use: ISO
//! times (from `chrono`), base64 (from `base64`), random picks, UUIDs and
//! tokens, and putting a value into a JSON object.

use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use chrono::{DateTime, SecondsFormat};

/// Contact names: (first name, last name). The first name may be empty,
/// which gives a full name starting with a space on ChatbotX.
pub(crate) const PEOPLE: &[(&str, &str)] = &[
    ("Khoa", "Trần Minh"),
    ("Hương", "Nguyễn Thị"),
    ("Ngọc", "Võ Thị"),
    ("Bảo", "Đặng Quốc"),
    ("Thư", "Hoàng Anh"),
    ("Thắng", "Bùi Đức"),
    ("Duyên", "Đỗ Mỹ"),
    ("Hân", "Huỳnh Gia"),
    ("สมชาย", "ใจดี"),
    ("อนันต์", "วงศ์ใหญ่"),
    ("สุดารัตน์", "แก้วมณี"),
    ("ปิยะพงษ์", "ศรีสุข 🐘"),
    ("由紀 🌸", "田中"),
    ("健", "佐藤"),
    ("美咲", "鈴木"),
    ("さくら", "山本"),
    ("María", "García"),
    ("Chloé", "Dubois"),
    ("", "Hải 🐟"),
    ("", "Bé Na ✨"),
];

/// Where a contact lives: (country code, state, city, locale, time zone).
pub(crate) const PLACES: &[(&str, &str, &str, &str, &str)] = &[
    ("VN", "Hồ Chí Minh", "Thủ Đức", "vi_VN", "Asia/Ho_Chi_Minh"),
    ("VN", "Hà Nội", "Cầu Giấy", "vi_VN", "Asia/Ho_Chi_Minh"),
    ("VN", "Đà Nẵng", "Hải Châu", "vi_VN", "Asia/Ho_Chi_Minh"),
    ("TH", "กรุงเทพมหานคร", "บางรัก", "th_TH", "Asia/Bangkok"),
    ("TH", "เชียงใหม่", "เมืองเชียงใหม่", "th_TH", "Asia/Bangkok"),
    ("JP", "東京都", "渋谷区", "ja_JP", "Asia/Tokyo"),
    ("JP", "大阪府", "大阪市", "ja_JP", "Asia/Tokyo"),
    ("ES", "Madrid", "Madrid", "es_ES", "Europe/Madrid"),
];

/// What contacts write.
pub(crate) const INCOMING: &[&str] = &[
    "Chị ơi, áo dài size M còn màu đỏ không ạ? 🧧",
    "Cho mình hỏi đơn hàng #DH-2026-00871 giao chưa?",
    "Tôi muốn hoàn tiền cho đơn này, hàng bị móp 😢",
    "Mã giảm giá TET2026 không dùng được",
    "สั่งของไปแล้วยังไม่ได้รับเลยค่ะ 📦",
    "ขอเปลี่ยนไซซ์ได้ไหมครับ",
    "注文をキャンセルしたいです",
    "配送状況を教えてください 🙏",
    "Hi, my refund hasn't arrived yet",
    "Is the store open on Sunday? ☀️",
    "Shop ơi tư vấn giúp em bộ quà Tết 🎁",
    "ราคานี้รวมค่าส่งหรือยังคะ",
];

/// What agents write.
pub(crate) const OUTGOING: &[&str] = &[
    "Dạ em gửi anh hoá đơn điện tử và ảnh chụp đơn hàng ạ 🙏",
    "Dạ shop đã hoàn tiền, anh kiểm tra giúp em nhé",
    "ได้เลยค่ะ กำลังตรวจสอบให้นะคะ",
    "ご連絡ありがとうございます。確認いたします。",
    "Thanks for waiting, your refund is on its way 💸",
    "Dạ bên em còn size M màu đỏ ạ, chị đặt luôn nhé 🧧",
];

/// What bots write (menus, greetings).
pub(crate) const BOT: &[&str] = &[
    "กรุณาเลือกหัวข้อที่ต้องการ 👇",
    "Bạn cần hỗ trợ gì ạ? Chọn một mục bên dưới nhé 👇",
    "ご用件を選んでください",
    "Chào mừng bạn đến VietMart! 🎉",
];

/// Private notes of an AI assistant.
pub(crate) const NOTES: &[&str] = &[
    "Tóm tắt: khách báo giao thiếu 1 hộp trà ô long; đề xuất hoàn 185.000 ₫.",
    "สรุป: ลูกค้าต้องการคืนสินค้าและขอเลขพัสดุ",
    "要約: お客様は注文のキャンセルを希望しています。",
];

/// Activity lines (no sender).
pub(crate) const ACTIVITY: &[&str] = &[
    "Conversation was marked resolved by Hương CSKH",
    "Assigned to Hương CSKH by Trợ lý Mây ☁️",
    "Conversation was snoozed until 20 Jan, 9:00 AM",
    "Conversation was reopened",
    "Nhãn vip đã được thêm bởi hệ thống",
];

/// Conversation labels (Chatwoot).
pub(crate) const LABELS: &[&str] = &[
    "vip",
    "hoàn-tiền",
    "quảng-cáo",
    "gọi-lại",
    "billing",
    "khiếu-nại",
    "ติดตาม",
    "至急",
];

/// Moves `value` into the object `target` under `key`. (Putting a
/// `Value` inside `json!` would copy it.)
pub(crate) fn put(target: &mut serde_json::Value, key: &str, value: serde_json::Value) {
    if let serde_json::Value::Object(map) = target {
        map.insert(key.to_string(), value);
    }
}

/// `millis` (Unix milliseconds) as ISO-8601 with milliseconds and `Z`.
pub(crate) fn iso_millis(millis: i64) -> String {
    DateTime::from_timestamp_millis(millis)
        .unwrap_or_default()
        .to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// Milliseconds since the epoch of an RFC 3339 time, if it is one.
pub(crate) fn parse_iso_millis(text: &str) -> Option<i64> {
    DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|t| t.timestamp_millis())
}

/// One element of `items`, picked by `rng`.
pub(crate) fn pick<T: Copy>(rng: &mut fastrand::Rng, items: &[T]) -> T {
    items[rng.usize(..items.len())]
}

/// A random version-4 UUID from `rng`.
pub(crate) fn uuid(rng: &mut fastrand::Rng) -> String {
    let a = rng.u64(..);
    let b = rng.u64(..);
    format!(
        "{:08x}-{:04x}-4{:03x}-{:x}{:03x}-{:012x}",
        a >> 32,
        (a >> 16) & 0xffff,
        a & 0x0fff,
        8 + (b >> 62),
        (b >> 48) & 0x0fff,
        b & 0xffff_ffff_ffff
    )
}

/// ASCII letters and digits for ids in URLs and source ids.
pub(crate) fn token_chars(rng: &mut fastrand::Rng, len: usize) -> String {
    const CHARS: &[u8] = b"abcdefghijklmnopqrstuvwxyz0123456789";
    (0..len)
        .map(|_| CHARS[rng.usize(..CHARS.len())] as char)
        .collect()
}

/// Standard base64 with `=` padding.
pub(crate) fn base64_encode(bytes: &[u8]) -> String {
    BASE64.encode(bytes)
}

/// Decodes standard base64 with padding; `None` for anything else, the
/// empty text included.
pub(crate) fn base64_decode(text: &str) -> Option<Vec<u8>> {
    if text.is_empty() {
        return None;
    }
    BASE64.decode(text).ok()
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn base64_round_trips() {
        for text in ["", "a", "ab", "abc", "{\"id\":\"57\"}", "ünïcödé"] {
            let encoded = base64_encode(text.as_bytes());
            assert_eq!(encoded.len() % 4, 0);
            if !text.is_empty() {
                assert_eq!(base64_decode(&encoded).unwrap(), text.as_bytes());
            }
        }
        assert_eq!(
            base64_encode(b"{\"lastActivityAt\":\"2025-08-02T11:58:41.000Z\",\"id\":\"57\"}"),
            "eyJsYXN0QWN0aXZpdHlBdCI6IjIwMjUtMDgtMDJUMTE6NTg6NDEuMDAwWiIsImlkIjoiNTcifQ=="
        );
        assert!(base64_decode("abc").is_none());
        assert!(base64_decode("ab=c").is_none());
        assert!(base64_decode("a!bc").is_none());
    }

    #[test]
    fn iso_times_match_chrono() {
        for millis in [
            0,
            1_768_388_400_000,
            1_768_385_529_774,
            951_782_400_123,
            4_107_542_399_999,
            -86_400_001,
            1_709_164_800_000,
        ] {
            let expected = DateTime::from_timestamp_millis(millis)
                .unwrap()
                .to_rfc3339_opts(SecondsFormat::Millis, true);
            assert_eq!(super::iso_millis(millis), expected);
            assert_eq!(super::parse_iso_millis(&expected), Some(millis));
        }
    }
}
