//! The free-form attributes of the Chatwoot data set: custom attributes of
//! contacts and conversations, a conversation's additional attributes by
//! channel, and a message's content attributes, each of the shapes the
//! real server sends.

use serde_json::{Value, json};

use super::super::model::Message;

/// A message's `content_attributes`: the menu of an `input_select`, the
/// call of a `voice_call`, the delivery error of a failed message, or a
/// reply-to now and then.
pub(crate) fn message_content_attributes(rng: &mut fastrand::Rng, spec: &Message) -> Value {
    match (spec.content_type, spec.status) {
        ("input_select", status) => {
            let mut attributes = json!({"items": [
                {"title": "ติดตามพัสดุ 📦", "value": "track_parcel"},
                {"title": "Đổi trả", "value": "return"},
                {"title": "担当者と話す", "value": "human"},
            ]});
            if status == "failed"
                && let Value::Object(map) = &mut attributes
            {
                map.insert(
                    "external_error".into(),
                    json!("Forbidden: bot was blocked by the user"),
                );
            }
            attributes
        }
        ("voice_call", _) => json!({"data": {
            "call_direction": "inbound",
            "status": "no-answer",
            "duration_seconds": 0,
            "started_at": spec.created_at,
            "recording_url": null,
        }}),
        (_, "failed") => json!({"external_error": "Message could not be delivered"}),
        _ if rng.u8(..4) == 0 => json!({"in_reply_to": spec.id - rng.i64(1..=20)}),
        _ => json!({}),
    }
}

/// A contact's `custom_attributes`.
pub(crate) fn contact_custom_attributes(rng: &mut fastrand::Rng) -> Value {
    match rng.u8(..4) {
        0 => json!({}),
        1 => json!({"loyalty_tier": "gold", "lifetime_orders": rng.u32(1..60), "newsletter": true}),
        2 => {
            json!({"source": "wa-ads-tet-2026", "last_order_value": 1_250_000.5, "interests": ["trà", "bánh", 3], "referral_code": null})
        }
        _ => {
            json!({"vip": false, "orders": 0, "preferred_store": {"id": 14, "name": "Chi nhánh Cầu Giấy"}})
        }
    }
}

/// A conversation's `custom_attributes`.
pub(crate) fn conversation_custom_attributes(rng: &mut fastrand::Rng) -> Value {
    match rng.u8(..3) {
        0 => json!({}),
        1 => json!({
            "order_id": format!("DH-2026-{:05}", rng.u32(..100_000)),
            "order_total": 1_250_000,
            "refund_approved": false,
            "rating": 4.5,
            "shipping": {"carrier": "GHTK", "city": "Hà Nội", "eta_days": 2, "cod": true},
            "skus": ["OL-500G", 88213, null],
            "coupon": null,
        }),
        _ => json!({"campaign": "tet-2026", "budget_vnd": 5_000_000, "callback_requested": true}),
    }
}

/// A conversation's `additional_attributes`, which depend on its channel.
pub(crate) fn conversation_additional_attributes(rng: &mut fastrand::Rng, channel: &str) -> Value {
    match channel {
        "Channel::WebWidget" => json!({
            "browser": {"device_name": "Unknown", "browser_name": "Chrome", "platform_name": "Android", "browser_version": "131.0.6778.135", "platform_version": "14"},
            "referer": "https://shop.vietmart.example/gio-hang?ref=zalo",
            "initiated_at": {"timestamp": "Wed Jan 14 2026 16:58:02 GMT+0700 (Giờ Đông Dương)"},
            "browser_language": "vi",
        }),
        "Channel::Email" => json!({
            "mail_subject": "注文のキャンセルについて / Huỷ đơn hàng",
            "source": "email",
            "in_reply_to": null,
            "cc_email": ["ops@vietmart.example"],
            "bcc_email": null,
            "auto_reply": false,
        }),
        "Channel::Telegram" => {
            json!({"chat_id": rng.u64(1_000_000_000..7_000_000_000), "language": "th"})
        }
        "Channel::Whatsapp" => {
            json!({"referral": {"source_type": "ad", "headline": "Tết sale – giảm 30% 🧧", "ctwa_clid": null}})
        }
        _ => json!({}),
    }
}
