//! Push devices, a hromada's urgent-alert subscriptions, what each kind of notification
//! is sent by, the one-click unsubscribe, and the record of what was sent about an
//! appeal.

use hromada_api::delivery::{
    Channel, Delivery, DeliveryState, EmailFrequency, NotificationSettings, PushDevice,
    PushSubscriptionJson, Topic, Unsubscribe,
};
use hromada_api::{ErrorCode, FieldError, HromadaRef, Page};

use crate::db::{Db, DeviceRow, DeviceWrite, SettingRow};
use crate::domain::accounts::Account;
use crate::domain::delivery::{mask_email, read_unsubscribe_token};
use crate::domain::{appeals, clock, ids, notifications, push_endpoint};
use crate::error::{ApiError, ApiResult};
use crate::outbound::{Outbound, frequency_from, settings_from_rows};

/// Alert subscriptions one client address may register within an hour (a family, an
/// office or a school behind one address subscribes in turn; a script is stopped).
pub const REGISTRATIONS_PER_HOUR: i64 = 60;

fn refuse(field: &str, message: &str) -> ApiError {
    let mut e = FieldError::new(field, ErrorCode::Invalid);
    e.message = message.to_owned();
    ApiError::Validation(vec![e])
}

/// Checks a browser's subscription; returns the endpoint's origin.
fn check(s: &PushSubscriptionJson, extra: &[String]) -> ApiResult<String> {
    let origin =
        push_endpoint::check(&s.endpoint, extra).map_err(|r| refuse("endpoint", r.message()))?;
    let mut errors = Vec::new();
    let decoded = |v: &str| {
        use base64::Engine;
        base64::engine::general_purpose::URL_SAFE_NO_PAD
            .decode(v.trim_end_matches('='))
            .ok()
    };
    match decoded(&s.keys.p256dh) {
        Some(b) if b.len() == 65 && b[0] == 4 => {}
        _ => errors.push(FieldError::new("keys.p256dh", ErrorCode::Invalid)),
    }
    match decoded(&s.keys.auth) {
        Some(b) if b.len() == 16 => {}
        _ => errors.push(FieldError::new("keys.auth", ErrorCode::Invalid)),
    }
    if let Some(l) = &s.language
        && !matches!(l.as_str(), "uk" | "en")
    {
        errors.push(FieldError::new("language", ErrorCode::Invalid));
    }
    if errors.is_empty() {
        Ok(origin)
    } else {
        Err(ApiError::Validation(errors))
    }
}

async fn view(db: &Db, d: &DeviceRow) -> ApiResult<PushDevice> {
    let alerts = db
        .device_alerts(&d.id)
        .await?
        .into_iter()
        .map(|(katottg, name)| HromadaRef { katottg, name })
        .collect();
    let service = url::Url::parse(&d.origin)
        .ok()
        .and_then(|u| u.host_str().map(str::to_owned))
        .unwrap_or_else(|| d.origin.clone());
    Ok(PushDevice {
        id: d.id.clone(),
        service,
        created_at: d.created_at.clone(),
        alerts,
    })
}

async fn register(
    db: &Db,
    extra: &[String],
    s: &PushSubscriptionJson,
    user: Option<&Account>,
) -> ApiResult<DeviceRow> {
    let origin = check(s, extra)?;
    let now = clock::now_rfc3339();
    let language = match user {
        Some(a) => a.user.language.clone(),
        None => s.language.clone().unwrap_or_else(|| "uk".to_owned()),
    };
    let expires = s.expiration_time.filter(|t| *t > 0).map(clock::rfc3339);
    let id = db
        .upsert_device(&DeviceWrite {
            id: &ids::new_id(),
            endpoint: &s.endpoint,
            origin: &origin,
            p256dh: s.keys.p256dh.trim_end_matches('='),
            auth: s.keys.auth.trim_end_matches('='),
            expires_at: expires.as_deref(),
            user_id: user.map(|a| a.user.id.as_str()),
            language: &language,
            now: &now,
        })
        .await?;
    db.device(&id)
        .await?
        .ok_or_else(|| ApiError::Internal("a device vanished".into()))
}

/// `POST /me/push-subscriptions`: this device gets the person's notifications.
pub async fn add_mine(
    db: &Db,
    extra: &[String],
    me: &Account,
    s: &PushSubscriptionJson,
) -> ApiResult<PushDevice> {
    let d = register(db, extra, s, Some(me)).await?;
    view(db, &d).await
}

/// `GET /me/push-subscriptions`.
pub async fn mine(db: &Db, me: &Account) -> ApiResult<Page<PushDevice>> {
    let mut items = Vec::new();
    for d in db.user_devices(&me.user.id).await? {
        items.push(view(db, &d).await?);
    }
    Ok(Page {
        items,
        next_cursor: None,
    })
}

/// `DELETE /me/push-subscriptions/{id}`: 404 unless it is the person's.
pub async fn remove_mine(db: &Db, me: &Account, id: &str) -> ApiResult<()> {
    if ids::is_id(id) && db.delete_user_device(&me.user.id, id).await? {
        Ok(())
    } else {
        Err(ApiError::NotFound)
    }
}

/// `POST /hromadas/{katottg}/alert-subscriptions`: anyone's device gets the hromada's
/// urgent alerts. Rate-limited per client address.
pub async fn subscribe_alerts(
    db: &Db,
    extra: &[String],
    me: Option<&Account>,
    katottg: &str,
    s: &PushSubscriptionJson,
    ip: &str,
) -> ApiResult<PushDevice> {
    if db.hromada_name(katottg).await?.is_none() {
        return Err(ApiError::NotFound);
    }
    check(s, extra)?;
    let now_ms = clock::now_millis();
    let n = db
        .count_push_registration(
            &ids::new_id(),
            ip,
            &clock::rfc3339(now_ms),
            &clock::rfc3339(now_ms - 3_600_000),
        )
        .await?;
    if n >= REGISTRATIONS_PER_HOUR {
        return Err(ApiError::TooManyRequests { retry_after: 3600 });
    }
    let d = register(db, extra, s, me).await?;
    db.subscribe_alerts(
        &d.id,
        katottg,
        s.info.unwrap_or(false),
        &clock::now_rfc3339(),
    )
    .await?;
    view(db, &d).await
}

/// `DELETE /hromadas/{katottg}/alert-subscriptions`: knowing the endpoint is the proof.
pub async fn unsubscribe_alerts(db: &Db, katottg: &str, endpoint: &str) -> ApiResult<()> {
    if endpoint.is_empty() || endpoint.len() > push_endpoint::MAX_LEN {
        return Err(refuse("endpoint", "The endpoint is not valid."));
    }
    if db.unsubscribe_alerts(endpoint, katottg).await? {
        Ok(())
    } else {
        Err(ApiError::NotFound)
    }
}

/// The topics a person has: staff topics for staff only.
fn topics_of(me: &Account) -> impl Iterator<Item = Topic> + '_ {
    Topic::ALL
        .into_iter()
        .filter(move |t| !t.is_staff() || !me.staff_of.is_empty())
}

fn frequency_code(f: EmailFrequency) -> &'static str {
    match f {
        EmailFrequency::Immediately => "immediately",
        EmailFrequency::Daily => "daily",
        EmailFrequency::Never => "never",
    }
}

/// `GET /me/notification-settings`.
pub async fn settings(db: &Db, me: &Account) -> ApiResult<NotificationSettings> {
    let (rows, freq) = db.notification_settings(&me.user.id).await?;
    let stored = settings_from_rows(&rows);
    Ok(NotificationSettings {
        topics: topics_of(me)
            .map(|t| crate::domain::delivery::setting_of(t, &stored))
            .collect(),
        email_frequency: frequency_from(&freq),
    })
}

/// `PUT /me/notification-settings`: topics left out keep their setting; staff topics
/// are refused for others.
pub async fn put_settings(
    db: &Db,
    me: &Account,
    s: &NotificationSettings,
) -> ApiResult<NotificationSettings> {
    let allowed: Vec<Topic> = topics_of(me).collect();
    let mut rows = Vec::new();
    for (i, t) in s.topics.iter().enumerate() {
        if !allowed.contains(&t.topic) {
            return Err(ApiError::Validation(vec![FieldError::new(
                &format!("topics[{i}].topic"),
                ErrorCode::Invalid,
            )]));
        }
        rows.push(SettingRow {
            topic: t.topic.code().to_owned(),
            in_app: t.in_app,
            push: t.push,
            email: t.email,
        });
    }
    db.put_notification_settings(&me.user.id, &rows, frequency_code(s.email_frequency))
        .await?;
    settings(db, me).await
}

/// `GET /unsubscribe/{token}`: what the link switches off; changes nothing.
pub async fn unsubscribe_info(db: &Db, out: &Outbound, token: &str) -> ApiResult<Unsubscribe> {
    let (user_id, topic) =
        read_unsubscribe_token(out.key().mac_key(), token).ok_or(ApiError::NotFound)?;
    let user = db.user_by_id(&user_id).await?.ok_or(ApiError::NotFound)?;
    let (rows, freq) = db.notification_settings(&user_id).await?;
    let done = match topic {
        Some(t) => !crate::domain::delivery::setting_of(t, &settings_from_rows(&rows)).email,
        None => frequency_from(&freq) != EmailFrequency::Daily,
    };
    Ok(Unsubscribe {
        topic,
        email: mask_email(&user.email),
        done,
    })
}

/// `POST /unsubscribe/{token}` (and the one-click POST of RFC 8058, which comes from
/// the mail provider without a session): switches that email off.
pub async fn unsubscribe(db: &Db, out: &Outbound, token: &str) -> ApiResult<Unsubscribe> {
    let (user_id, topic) =
        read_unsubscribe_token(out.key().mac_key(), token).ok_or(ApiError::NotFound)?;
    if db.user_by_id(&user_id).await?.is_none() {
        return Err(ApiError::NotFound);
    }
    match topic {
        Some(t) => {
            let d = t.default_setting();
            let row = SettingRow {
                topic: t.code().to_owned(),
                in_app: d.in_app,
                push: d.push,
                email: false,
            };
            db.email_off(&user_id, t.code(), &row).await?;
        }
        None => {
            let (rows, _) = db.notification_settings(&user_id).await?;
            db.put_notification_settings(&user_id, &rows, "never")
                .await?;
        }
    }
    unsubscribe_info(db, out, token).await
}

/// `GET /appeals/{id}/deliveries`: what was sent about an appeal, for its author and
/// its hromada's staff (404 for anyone else).
pub async fn appeal_log(db: &Db, me: &Account, id: &str) -> ApiResult<Page<Delivery>> {
    appeals::require_reader(db, me, id).await?;
    let items = db
        .appeal_deliveries(id)
        .await?
        .into_iter()
        .filter_map(|r| {
            Some(Delivery {
                channel: if r.job == "email" {
                    Channel::Email
                } else {
                    Channel::Push
                },
                kind: notifications::kind(&r.kind)?,
                to: r.recipient.unwrap_or_default(),
                state: match r.state.as_str() {
                    "sent" => DeliveryState::Sent,
                    "failed" => DeliveryState::Failed,
                    _ => DeliveryState::Pending,
                },
                created_at: r.created_at,
                sent_at: r.sent_at,
                error: r.error,
            })
        })
        .collect();
    Ok(Page {
        items,
        next_cursor: None,
    })
}
