//! Notifications (уведомления) of families and providers: what happened, to which object, with the
//! few parameters the text needs, rendered in Russian for the account page and the letter.
//!
//! A notification carries nothing the recipient does not already know: the child's first name
//! (the family's own child, or one who applied to the provider), the program and the group, the
//! reason given, the certificate's number to its family.

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NotificationKind {
    ApplicationSubmitted,
    ApplicationAccepted,
    ApplicationRejected,
    ApplicationWithdrawn,
    /// The contract ran to its end.
    EnrollmentCompleted,
    /// The enrollment ended early.
    EnrollmentExpelled,
    OfferMade,
    OfferExpired,
    CertificateStatusChanged,
}

impl NotificationKind {
    pub const ALL: [NotificationKind; 9] = [
        NotificationKind::ApplicationSubmitted,
        NotificationKind::ApplicationAccepted,
        NotificationKind::ApplicationRejected,
        NotificationKind::ApplicationWithdrawn,
        NotificationKind::EnrollmentCompleted,
        NotificationKind::EnrollmentExpelled,
        NotificationKind::OfferMade,
        NotificationKind::OfferExpired,
        NotificationKind::CertificateStatusChanged,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            NotificationKind::ApplicationSubmitted => "application_submitted",
            NotificationKind::ApplicationAccepted => "application_accepted",
            NotificationKind::ApplicationRejected => "application_rejected",
            NotificationKind::ApplicationWithdrawn => "application_withdrawn",
            NotificationKind::EnrollmentCompleted => "enrollment_completed",
            NotificationKind::EnrollmentExpelled => "enrollment_expelled",
            NotificationKind::OfferMade => "offer_made",
            NotificationKind::OfferExpired => "offer_expired",
            NotificationKind::CertificateStatusChanged => "certificate_status_changed",
        }
    }
}

impl fmt::Display for NotificationKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for NotificationKind {
    type Err = ();
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        NotificationKind::ALL
            .into_iter()
            .find(|c| c.as_str() == s)
            .ok_or(())
    }
}

/// What a notification's text is rendered from; each kind uses some of them.
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotificationParams {
    /// The child's first name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub child: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub program: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// The reason given by whoever decided.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// When an offer stops holding its seat.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<DateTime<Utc>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub certificate_number: Option<String>,
    /// The certificate's new status (its API code).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// Filed by staff for the family, with its consent.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub on_behalf: bool,
}

/// Who reads it: the text differs for the family and the provider.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    Family,
    Provider,
}

/// A notification's subject and text, in Russian.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub subject: String,
    pub text: String,
}

fn or_dash(value: &Option<String>) -> &str {
    value.as_deref().unwrap_or("—")
}

/// The certificate statuses as families read them.
fn certificate_status_ru(status: &str) -> &str {
    match status {
        "pending" => "ожидает подтверждения документов",
        "accounting" => "сертификат учёта",
        "financing" => "сертификат финансирования",
        "suspended" => "приостановлен",
        "closed" => "закрыт",
        other => other,
    }
}

/// `2026-11-26T10:00:00Z` as «26.11.2026 10:00 (UTC)».
fn instant_ru(at: &Option<DateTime<Utc>>) -> String {
    at.map(|at| at.format("%d.%m.%Y %H:%M (UTC)").to_string())
        .unwrap_or_else(|| "—".into())
}

/// Renders a notification for its audience.
pub fn render(kind: NotificationKind, p: &NotificationParams, audience: Audience) -> Rendered {
    let child = or_dash(&p.child);
    let program = or_dash(&p.program);
    let group = or_dash(&p.group);
    let what = format!("«{program}», группа «{group}»");
    let (subject, text) = match (kind, audience) {
        (NotificationKind::ApplicationSubmitted, Audience::Family) => (
            "Заявка подана".to_string(),
            if p.on_behalf {
                format!("С вашего согласия организация подала заявку: {child}, {what}. Ждём решения поставщика.")
            } else {
                format!("Заявка подана: {child}, {what}. Ждём решения поставщика.")
            },
        ),
        (NotificationKind::ApplicationSubmitted, Audience::Provider) => (
            "Новая заявка".to_string(),
            format!("Новая заявка: {child}, {what}. Примите или отклоните её."),
        ),
        (NotificationKind::ApplicationAccepted, _) => (
            "Заявка принята".to_string(),
            format!("Заявка принята, договор сформирован: {child}, {what}."),
        ),
        (NotificationKind::ApplicationRejected, _) => (
            "Заявка отклонена".to_string(),
            format!("Заявка отклонена: {child}, {what}. Причина: {}.", or_dash(&p.reason)),
        ),
        (NotificationKind::ApplicationWithdrawn, _) => (
            "Заявка отозвана".to_string(),
            format!("Заявка отозвана: {child}, {what}."),
        ),
        (NotificationKind::EnrollmentCompleted, _) => (
            "Обучение завершено".to_string(),
            format!("Обучение по договору завершено: {child}, {what}."),
        ),
        (NotificationKind::EnrollmentExpelled, _) => (
            "Обучение прекращено".to_string(),
            match &p.reason {
                Some(reason) => format!("Обучение прекращено досрочно: {child}, {what}. Причина: {reason}."),
                None => format!("Обучение прекращено досрочно: {child}, {what}."),
            },
        ),
        (NotificationKind::OfferMade, Audience::Family) => (
            "Освободилось место".to_string(),
            format!(
                "Освободилось место: {child}, {what}. Место закреплено за вами до {}; подайте заявку \
                 или откажитесь от места в личном кабинете.",
                instant_ru(&p.expires_at)
            ),
        ),
        (NotificationKind::OfferMade, Audience::Provider) => (
            "Место предложено из листа ожидания".to_string(),
            format!(
                "Место в {what} предложено следующему в листе ожидания ({child}) до {}.",
                instant_ru(&p.expires_at)
            ),
        ),
        (NotificationKind::OfferExpired, Audience::Family) => (
            "Срок предложения истёк".to_string(),
            format!("Срок, на который было закреплено место, истёк: {child}, {what}. Место передано следующему в листе ожидания."),
        ),
        (NotificationKind::OfferExpired, Audience::Provider) => (
            "Срок предложения истёк".to_string(),
            format!("Предложение места ({child}, {what}) истекло; место передано следующему в листе ожидания."),
        ),
        (NotificationKind::CertificateStatusChanged, _) => (
            "Статус сертификата изменён".to_string(),
            match &p.reason {
                Some(reason) => format!(
                    "Сертификат № {} ({child}): {}. Основание: {reason}.",
                    or_dash(&p.certificate_number),
                    certificate_status_ru(or_dash(&p.status))
                ),
                None => format!(
                    "Сертификат № {} ({child}): {}.",
                    or_dash(&p.certificate_number),
                    certificate_status_ru(or_dash(&p.status))
                ),
            },
        ),
    };
    Rendered { subject, text }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn params() -> NotificationParams {
        NotificationParams {
            child: Some("Мария".into()),
            program: Some("Шахматный клуб".into()),
            group: Some("Группа 1".into()),
            ..NotificationParams::default()
        }
    }

    #[test]
    fn kinds_round_trip_through_their_codes() {
        for kind in NotificationKind::ALL {
            assert_eq!(kind.as_str().parse(), Ok(kind));
        }
    }

    #[test]
    fn every_kind_renders_for_both_audiences() {
        for kind in NotificationKind::ALL {
            for audience in [Audience::Family, Audience::Provider] {
                let r = render(kind, &params(), audience);
                assert!(!r.subject.is_empty() && !r.text.is_empty(), "{kind}");
            }
        }
    }

    #[test]
    fn a_rejection_tells_the_reason_and_an_offer_its_deadline() {
        let rejected = NotificationParams {
            reason: Some("группа укомплектована".into()),
            ..params()
        };
        let text = render(
            NotificationKind::ApplicationRejected,
            &rejected,
            Audience::Family,
        )
        .text;
        assert!(
            text.contains("Мария") && text.contains("группа укомплектована"),
            "{text}"
        );
        let offer = NotificationParams {
            expires_at: Some(Utc.with_ymd_and_hms(2026, 11, 26, 10, 0, 0).unwrap()),
            ..params()
        };
        let text = render(NotificationKind::OfferMade, &offer, Audience::Family).text;
        assert!(text.contains("26.11.2026 10:00"), "{text}");
    }

    #[test]
    fn params_serialise_only_what_is_set() {
        let json = serde_json::to_string(&params()).unwrap();
        assert_eq!(
            json,
            r#"{"child":"Мария","program":"Шахматный клуб","group":"Группа 1"}"#
        );
        let back: NotificationParams = serde_json::from_str(&json).unwrap();
        assert_eq!(back, params());
    }
}
