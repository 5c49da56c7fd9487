//! The account's settings as their listings show them: inboxes (with the
//! credentials an administrator sees), labels and custom attribute
//! definitions. The labels are the ones conversations and contacts
//! carry, the definitions those of the custom attribute keys they carry.

use serde_json::{Value, json};

use super::catalog::INBOXES;
use crate::text::{self, put};

/// Inbox names, by inbox id.
const INBOX_NAMES: &[(i64, &str)] = &[
    (1, "VietMart Website 🛒"),
    (2, "WhatsApp CSKH"),
    (3, "Telegram @vietmart_bot"),
    (4, "Hộp thư hỗ trợ"),
    (5, "API – ứng dụng di động"),
    (6, "Facebook VietMart"),
    (7, "LINE ไทย"),
    (8, "Instagram @vietmart"),
    (9, "SMS 8x77"),
];

/// (title, description, color, shown on the sidebar).
type LabelDetail = (&'static str, Option<&'static str>, &'static str, bool);

/// The details of each label of [`text::LABELS`].
const LABEL_DETAILS: &[LabelDetail] = &[
    ("vip", Some("Khách hàng thân thiết"), "#F5A623", true),
    ("hoàn-tiền", Some("Yêu cầu hoàn tiền"), "#D0021B", true),
    ("quảng-cáo", None, "#7ED321", false),
    ("gọi-lại", Some("Khách muốn được gọi lại"), "#4A90E2", true),
    ("billing", Some("Invoices and refunds"), "#1f93ff", true),
    ("khiếu-nại", Some(""), "#9013FE", true),
    ("ติดตาม", Some("ติดตามพัสดุ"), "#50E3C2", false),
    ("至急", Some("急ぎの対応"), "#FF0000", true),
];

/// The inbox `id` is the name of.
pub(crate) fn inbox_name(id: i64) -> &'static str {
    INBOX_NAMES
        .iter()
        .find(|(i, _)| *i == id)
        .map_or("Inbox", |(_, name)| name)
}

/// The provider of a channel, where it has one.
fn provider(channel: &str) -> Option<&'static str> {
    match channel {
        "Channel::Whatsapp" => Some("whatsapp_cloud"),
        "Channel::Sms" => Some("default"),
        "Channel::Email" => Some("imap"),
        _ => None,
    }
}

/// An inbox as a contact inbox shows it (the slim inbox).
pub(crate) fn inbox_slim(id: i64, channel: &str) -> Value {
    json!({
        "id": id,
        "avatar_url": "",
        "channel_id": 100 + id,
        "name": inbox_name(id),
        "channel_type": channel,
        "provider": provider(channel),
    })
}

/// A week of working hours: weekdays 8:00–21:00, Sunday closed.
fn working_hours() -> Value {
    Value::Array(
        (0..7)
            .map(|day| {
                let closed = day == 0;
                json!({
                    "day_of_week": day,
                    "closed_all_day": closed,
                    "open_hour": (!closed).then_some(8),
                    "open_minutes": (!closed).then_some(0),
                    "close_hour": (!closed).then_some(21),
                    "close_minutes": (!closed).then_some(0),
                    "open_all_day": false,
                })
            })
            .collect(),
    )
}

/// Every inbox, as the inbox listing shows it to an administrator: the
/// keys every channel has (those of another channel's settings null),
/// then those of its own channel, credentials included.
pub(crate) fn inboxes_json(account_id: i64) -> Vec<Value> {
    let mut inboxes: Vec<Value> = INBOXES
        .iter()
        .map(|&(id, channel)| inbox_json(id, channel, account_id))
        .collect();
    // The server orders them by lower-cased name.
    inboxes.sort_by_key(|i| i["name"].as_str().unwrap_or_default().to_lowercase());
    inboxes
}

fn inbox_json(id: i64, channel: &str, account_id: i64) -> Value {
    let mut rng = fastrand::Rng::with_seed(0x1b0c_u64 + id as u64);
    let widget = channel == "Channel::WebWidget";
    let mut inbox = json!({
        "id": id,
        "avatar_url": "",
        "channel_id": 100 + id,
        "name": inbox_name(id),
        "channel_type": channel,
        "greeting_enabled": widget,
        "greeting_message": widget.then_some("Xin chào 👋 VietMart có thể giúp gì cho bạn?"),
        "working_hours_enabled": id % 2 == 1,
        "enable_email_collect": true,
        "csat_survey_enabled": id == 1,
        "csat_config": {},
        "enable_auto_assignment": true,
        "auto_assignment_config": {},
        "out_of_office_message": (id % 2 == 1).then_some("Ngoài giờ làm việc, chúng tôi sẽ trả lời sớm nhất 🌙"),
        "working_hours": working_hours(),
        "timezone": "Asia/Ho_Chi_Minh",
        "callback_webhook_url": null,
        "allow_messages_after_resolved": true,
        "lock_to_single_conversation": false,
        "sender_name_type": "friendly",
        "business_name": null,
        "widget_color": widget.then_some("#1f93ff"),
        "website_url": widget.then_some("https://shop.vietmart.example"),
        "hmac_mandatory": widget.then_some(false),
        "welcome_title": widget.then_some("Chào bạn! 🧧"),
        "welcome_tagline": widget.then_some("Chúng tôi thường trả lời trong vài phút"),
        "web_widget_script": widget.then(|| format!("<script>window.chatwootSettings={{}};/* {account_id} */</script>")),
        "website_token": widget.then(|| text::token_chars(&mut rng, 24)),
        "selected_feature_flags": widget.then(|| json!(["attachments", "emoji_picker", "end_conversation"])),
        "reply_time": widget.then_some("in_a_few_minutes"),
        "messaging_service_sid": null,
        "phone_number": match channel {
            "Channel::Whatsapp" => Some("+84901234567"),
            "Channel::Sms" => Some("+848877"),
            _ => None,
        },
        "provider": provider(channel),
    });
    let own = match channel {
        "Channel::WebWidget" => json!({
            "hmac_token": text::token_chars(&mut rng, 24),
            "pre_chat_form_enabled": true,
            "pre_chat_form_options": {"pre_chat_message": "Cho chúng tôi biết tên bạn nhé", "pre_chat_fields": []},
            "continuity_via_email": true,
        }),
        "Channel::FacebookPage" => {
            json!({"page_id": "104512345678901", "reauthorization_required": false})
        }
        "Channel::Instagram" => json!({"reauthorization_required": true}),
        "Channel::Email" => json!({
            "email": "hotro@vietmart.example",
            "forwarding_enabled": false,
            "imap_login": "hotro@vietmart.example",
            "imap_password": format!("imap-{}", text::token_chars(&mut rng, 16)),
            "imap_address": "imap.vietmart.example",
            "imap_port": 993,
            "imap_enabled": true,
            "imap_enable_ssl": true,
            "smtp_login": "hotro@vietmart.example",
            "smtp_password": format!("smtp-{}", text::token_chars(&mut rng, 16)),
            "smtp_address": "smtp.vietmart.example",
            "smtp_port": 587,
            "smtp_enabled": true,
            "smtp_domain": "vietmart.example",
            "smtp_enable_ssl_tls": false,
            "smtp_enable_starttls_auto": true,
            "smtp_openssl_verify_mode": "none",
            "smtp_authentication": "login",
        }),
        "Channel::Api" => json!({
            "hmac_token": text::token_chars(&mut rng, 24),
            "webhook_url": "https://app.vietmart.example/chatwoot/webhook",
            "inbox_identifier": text::token_chars(&mut rng, 24),
            "additional_attributes": {},
        }),
        "Channel::Telegram" => json!({"bot_name": "vietmart_bot"}),
        "Channel::Whatsapp" => json!({
            "message_templates": [{"name": "order_update", "language": "vi", "status": "APPROVED", "category": "UTILITY"}],
            "provider_config": {
                "api_key": format!("EAAG{}", text::token_chars(&mut rng, 40)),
                "phone_number_id": "112233445566778",
                "business_account_id": "998877665544332",
                "webhook_verify_token": text::token_chars(&mut rng, 16),
            },
            "reauthorization_required": false,
        }),
        _ => json!({}),
    };
    if let Value::Object(own) = own {
        for (key, value) in own {
            put(&mut inbox, &key, value);
        }
    }
    inbox
}

/// The labels, ordered by title as the listing sends them.
pub(crate) fn labels_json() -> Vec<Value> {
    let mut labels: Vec<(usize, &LabelDetail)> = LABEL_DETAILS.iter().enumerate().collect();
    labels.sort_by_key(|(_, (title, ..))| *title);
    labels
        .into_iter()
        .map(|(index, (title, description, color, sidebar))| {
            json!({
                "id": index + 1,
                "title": title,
                "description": description,
                "color": color,
                "show_on_sidebar": sidebar,
            })
        })
        .collect()
}

/// (key, display name, display type, model, values of a list)
type Definition = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static [&'static str],
);

/// Every custom attribute key a conversation or a contact carries.
const DEFINITIONS: &[Definition] = &[
    (
        "order_id",
        "Mã đơn hàng",
        "text",
        "conversation_attribute",
        &[],
    ),
    (
        "order_total",
        "Tổng tiền (₫)",
        "currency",
        "conversation_attribute",
        &[],
    ),
    (
        "refund_approved",
        "Đã duyệt hoàn tiền",
        "checkbox",
        "conversation_attribute",
        &[],
    ),
    (
        "rating",
        "Đánh giá",
        "number",
        "conversation_attribute",
        &[],
    ),
    (
        "shipping",
        "Vận chuyển",
        "text",
        "conversation_attribute",
        &[],
    ),
    ("skus", "SKU", "text", "conversation_attribute", &[]),
    (
        "coupon",
        "Mã giảm giá",
        "text",
        "conversation_attribute",
        &[],
    ),
    (
        "campaign",
        "Chiến dịch",
        "list",
        "conversation_attribute",
        &["tet-2026", "black-friday"],
    ),
    (
        "budget_vnd",
        "Ngân sách",
        "number",
        "conversation_attribute",
        &[],
    ),
    (
        "callback_requested",
        "Muốn được gọi lại",
        "checkbox",
        "conversation_attribute",
        &[],
    ),
    (
        "loyalty_tier",
        "Hạng thành viên",
        "list",
        "contact_attribute",
        &["silver", "gold", "platinum"],
    ),
    (
        "lifetime_orders",
        "Số đơn đã mua",
        "number",
        "contact_attribute",
        &[],
    ),
    (
        "newsletter",
        "Nhận bản tin",
        "checkbox",
        "contact_attribute",
        &[],
    ),
    ("source", "Nguồn", "text", "contact_attribute", &[]),
    (
        "last_order_value",
        "Giá trị đơn gần nhất",
        "currency",
        "contact_attribute",
        &[],
    ),
    ("interests", "Sở thích", "text", "contact_attribute", &[]),
    (
        "referral_code",
        "Mã giới thiệu",
        "text",
        "contact_attribute",
        &[],
    ),
    ("vip", "VIP", "checkbox", "contact_attribute", &[]),
    ("orders", "Số đơn", "number", "contact_attribute", &[]),
    (
        "preferred_store",
        "Cửa hàng ưa thích",
        "link",
        "contact_attribute",
        &[],
    ),
];

/// The custom attribute keys of conversations.
pub(crate) fn conversation_attribute_keys() -> impl Iterator<Item = &'static str> {
    DEFINITIONS
        .iter()
        .filter(|d| d.3 == "conversation_attribute")
        .map(|d| d.0)
}

/// The definitions of `model` (`None`: both), in id order, times as ISO
/// text.
pub(crate) fn definitions_json(model: Option<&str>) -> Vec<Value> {
    let created = 1_754_000_000_000_i64;
    DEFINITIONS
        .iter()
        .enumerate()
        .filter(|(_, d)| model.is_none_or(|m| m == d.3))
        .map(|(index, (key, name, kind, attribute_model, values))| {
            let at = created + index as i64 * 86_400_123;
            json!({
                "id": index + 1,
                "attribute_display_name": name,
                "attribute_display_type": kind,
                "attribute_description": if index % 3 == 0 { None } else { Some(format!("{name} ({key})")) },
                "attribute_key": key,
                "regex_pattern": null,
                "regex_cue": null,
                "attribute_values": values,
                "attribute_model": attribute_model,
                "default_value": null,
                "created_at": text::iso_millis(at),
                "updated_at": text::iso_millis(at + 3_600_000),
            })
        })
        .collect()
}
