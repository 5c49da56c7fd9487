//! Made-up names and texts for the fake data sets: Vietnamese, Thai,
//! Japanese and a little English, with emoji, so that decoders meet
//! multi-byte text everywhere.

use chrono::DateTime;

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
    // Written out by hand: it runs for every time of every generated row.
    let secs = millis.div_euclid(1000);
    let ms = millis.rem_euclid(1000);
    let (year, month, day) = civil_from_days(secs.div_euclid(86_400));
    let of_day = secs.rem_euclid(86_400);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{ms:03}Z",
        of_day / 3_600,
        of_day / 60 % 60,
        of_day % 60
    )
}

/// The proleptic Gregorian date of a day number (days since 1970-01-01).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let day_of_era = z.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1_460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_index + 2) / 5 + 1;
    let month = if month_index < 10 {
        month_index + 3
    } else {
        month_index - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
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
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = match chunk {
            [a, b, c] => (u32::from(*a) << 16) | (u32::from(*b) << 8) | u32::from(*c),
            [a, b] => (u32::from(*a) << 16) | (u32::from(*b) << 8),
            [a] => u32::from(*a) << 16,
            _ => 0,
        };
        let sextet = |shift: u32| ALPHABET[((n >> shift) & 63) as usize] as char;
        out.push(sextet(18));
        out.push(sextet(12));
        out.push(if chunk.len() > 1 { sextet(6) } else { '=' });
        out.push(if chunk.len() > 2 { sextet(0) } else { '=' });
    }
    out
}

/// Decodes standard base64 with padding; `None` for anything else.
pub(crate) fn base64_decode(text: &str) -> Option<Vec<u8>> {
    let bytes = text.as_bytes();
    if bytes.is_empty() || !bytes.len().is_multiple_of(4) {
        return None;
    }
    let value = |c: u8| -> Option<u32> {
        match c {
            b'A'..=b'Z' => Some(u32::from(c - b'A')),
            b'a'..=b'z' => Some(u32::from(c - b'a') + 26),
            b'0'..=b'9' => Some(u32::from(c - b'0') + 52),
            b'+' => Some(62),
            b'/' => Some(63),
            _ => None,
        }
    };
    let mut out = Vec::with_capacity(bytes.len() / 4 * 3);
    let last = bytes.len() / 4 - 1;
    for (index, chunk) in bytes.chunks(4).enumerate() {
        let padding = chunk.iter().rev().take_while(|c| **c == b'=').count();
        if padding > 2 || (padding > 0 && index != last) {
            return None;
        }
        let mut n = 0u32;
        for (i, c) in chunk.iter().enumerate() {
            let v = if i >= 4 - padding { 0 } else { value(*c)? };
            n = (n << 6) | v;
        }
        out.push((n >> 16) as u8);
        if padding < 2 {
            out.push((n >> 8) as u8);
        }
        if padding < 1 {
            out.push(n as u8);
        }
    }
    Some(out)
}
