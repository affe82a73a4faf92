//! Notifications: each change of an appeal tells its author, each step of a petition
//! its author (and, for reaching the number and the answer, every signer), and each
//! review or change of cost of a budget project its author, and each staff reply in a
//! consultation the person who asked, in the app (a list with the unread count) and live
//! on the person's open event streams.

use hromada_api::notifications::{
    AppealRef, ConsultationRef, Notification, NotificationKind, Notifications, PetitionRef,
    ProjectRef,
};

use crate::db::{About, Db, NotificationRow};
use crate::domain::accounts::Account;
use crate::domain::{clock, cursor, ids, paging};
use crate::error::{ApiError, ApiResult};

/// The stored code of a kind.
pub fn code(kind: NotificationKind) -> &'static str {
    match kind {
        NotificationKind::AppealRegistered => "appeal_registered",
        NotificationKind::AppealAssigned => "appeal_assigned",
        NotificationKind::AppealNoFurtherStudy => "appeal_no_further_study",
        NotificationKind::AppealExtended => "appeal_extended",
        NotificationKind::AppealReturned => "appeal_returned",
        NotificationKind::AppealForwarded => "appeal_forwarded",
        NotificationKind::AppealAnswered => "appeal_answered",
        NotificationKind::AppealClosed => "appeal_closed",
        NotificationKind::PetitionPublished => "petition_published",
        NotificationKind::PetitionRejected => "petition_rejected",
        NotificationKind::PetitionReached => "petition_reached",
        NotificationKind::PetitionAnswered => "petition_answered",
        NotificationKind::PetitionNotSupported => "petition_not_supported",
        NotificationKind::ProjectAccepted => "project_accepted",
        NotificationKind::ProjectChangesRequested => "project_changes_requested",
        NotificationKind::ProjectRejected => "project_rejected",
        NotificationKind::ProjectCostChanged => "project_cost_changed",
        NotificationKind::ConsultationAnswered => "consultation_answered",
    }
}

/// The kind with this stored code.
pub fn kind(code: &str) -> Option<NotificationKind> {
    serde_json::from_value(serde_json::Value::String(code.to_owned())).ok()
}

/// What a notification is about, as the API says it: exactly one of the four.
#[derive(Default)]
struct Refs {
    appeal: Option<AppealRef>,
    petition: Option<PetitionRef>,
    project: Option<ProjectRef>,
    consultation: Option<ConsultationRef>,
}

fn refs(about: &About) -> Refs {
    match about {
        About::Appeal {
            id,
            number,
            subject,
        } => Refs {
            appeal: Some(AppealRef {
                id: id.clone(),
                number: number.clone(),
                subject: subject.clone(),
            }),
            ..Refs::default()
        },
        About::Petition { id, title } => Refs {
            petition: Some(PetitionRef {
                id: id.clone(),
                title: title.clone(),
            }),
            ..Refs::default()
        },
        About::Project { id, title } => Refs {
            project: Some(ProjectRef {
                id: id.clone(),
                title: title.clone(),
            }),
            ..Refs::default()
        },
        About::Consultation { id, subject } => Refs {
            consultation: Some(ConsultationRef {
                id: id.clone(),
                subject: subject.clone(),
            }),
            ..Refs::default()
        },
    }
}

/// A stored notification as the API shows it.
pub fn to_api(r: &NotificationRow) -> ApiResult<Notification> {
    let refs = refs(&r.about);
    Ok(Notification {
        id: r.id.clone(),
        kind: kind(&r.kind)
            .ok_or_else(|| ApiError::Internal(format!("notification kind {}", r.kind)))?,
        at: r.at.clone(),
        read: r.read,
        appeal: refs.appeal,
        petition: refs.petition,
        project: refs.project,
        consultation: refs.consultation,
    })
}

/// A notification just made, as it goes live (unread).
pub fn made(id: &str, kind: NotificationKind, at: &str, about: About) -> Notification {
    let refs = refs(&about);
    Notification {
        id: id.to_owned(),
        kind,
        at: at.to_owned(),
        read: false,
        appeal: refs.appeal,
        petition: refs.petition,
        project: refs.project,
        consultation: refs.consultation,
    }
}

/// `GET /me/notifications?cursor=&limit=`: newest first, with the unread count.
pub async fn list(
    db: &Db,
    actor: &Account,
    cursor_raw: Option<&str>,
    limit_raw: Option<&str>,
) -> ApiResult<Notifications> {
    let limit = paging::limit(limit_raw)?;
    let after = match cursor_raw {
        Some(c) => {
            let p = cursor::decode(c, 2).ok_or_else(paging::bad_cursor)?;
            if clock::parse_rfc3339(&p[0]).is_none() || !ids::is_id(&p[1]) {
                return Err(paging::bad_cursor());
            }
            Some(p)
        }
        None => None,
    };
    let mut rows = db
        .notifications(
            &actor.user.id,
            after.as_ref().map(|p| (p[0].as_str(), p[1].as_str())),
            limit + 1,
        )
        .await?;
    let next_cursor = if rows.len() as i64 > limit {
        rows.truncate(limit as usize);
        rows.last().map(|r| cursor::encode(&[&r.at, &r.id]))
    } else {
        None
    };
    Ok(Notifications {
        items: rows.iter().map(to_api).collect::<ApiResult<_>>()?,
        next_cursor,
        unread: unread(db, actor).await?,
    })
}

/// How many of the person's notifications are unread (the bell's count).
pub async fn unread(db: &Db, actor: &Account) -> ApiResult<u32> {
    let n = db.unread_notifications(&actor.user.id).await?;
    Ok(u32::try_from(n).unwrap_or(u32::MAX))
}

/// `POST /me/notifications/{id}/read`: 404 unless it is the person's own.
pub async fn mark_read(db: &Db, actor: &Account, id: &str) -> ApiResult<()> {
    if !ids::is_id(id) {
        return Err(ApiError::NotFound);
    }
    if db
        .mark_notification_read(&actor.user.id, id, &clock::now_rfc3339())
        .await?
    {
        Ok(())
    } else {
        Err(ApiError::NotFound)
    }
}

/// `POST /me/notifications/read-all`.
pub async fn mark_all_read(db: &Db, actor: &Account) -> ApiResult<()> {
    db.mark_all_notifications_read(&actor.user.id, &clock::now_rfc3339())
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_the_contract_names() {
        for k in [
            NotificationKind::AppealRegistered,
            NotificationKind::AppealAssigned,
            NotificationKind::AppealNoFurtherStudy,
            NotificationKind::AppealExtended,
            NotificationKind::AppealReturned,
            NotificationKind::AppealForwarded,
            NotificationKind::AppealAnswered,
            NotificationKind::AppealClosed,
            NotificationKind::PetitionPublished,
            NotificationKind::PetitionRejected,
            NotificationKind::PetitionReached,
            NotificationKind::PetitionAnswered,
            NotificationKind::PetitionNotSupported,
            NotificationKind::ProjectAccepted,
            NotificationKind::ProjectChangesRequested,
            NotificationKind::ProjectRejected,
            NotificationKind::ProjectCostChanged,
        ] {
            assert_eq!(
                serde_json::to_value(k).unwrap(),
                serde_json::Value::String(code(k).into())
            );
            assert_eq!(kind(code(k)), Some(k));
        }
        assert_eq!(kind("nonsense"), None);
    }
}
