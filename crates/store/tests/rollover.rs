//! Period rollover: what is left expires to the old period's fund, the new nominal is credited,
//! the old period's contracts end, and a second run changes nothing; an invoice of the old period
//! rejected after the rollover expires its share to the old period's fund too. The store takes
//! "now" from its caller, so the tests live the old period first and the new one after.

// Test set-up: a failure here is a failed test.
#![allow(clippy::unwrap_used)]

mod common;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use navigator_api_types as api;
use navigator_domain::{Money, Snils};
use navigator_store::*;

/// A municipality whose old period ended a month ago and whose new one runs from then, with a
/// published certified program whose group spans both.
struct TwoPeriods {
    store: std::sync::Arc<dyn Store>,
    dir: std::path::PathBuf,
    m: api::Municipality,
    group: api::Group,
    operator: Actor,
    staff: Actor,
    tag: String,
    today: NaiveDate,
    now: DateTime<Utc>,
    /// A day of the old period, when the families applied.
    then: DateTime<Utc>,
}

async fn two_periods(label: &str, new_quota: i64) -> TwoPeriods {
    let dir = std::env::temp_dir().join(format!("navigator-{label}-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();
    let url = std::env::var("NAVIGATOR_TEST_DATABASE_URL")
        .unwrap_or_else(|_| format!("sqlite:{}/t.db", dir.display()));
    let store = connect(&url).await.unwrap();
    store.migrate().await.unwrap();
    let system = Actor::system();
    let now = Utc::now();
    let today = now.date_naive();
    // The old period ended a month ago; the new one runs from then for a year.
    let old_start = today - Duration::days(400);
    let old_end = today - Duration::days(31);
    let new_start = old_end + Duration::days(1);
    let new_end = new_start + Duration::days(364);
    let then = now - Duration::days(200);

    let m = store
        .create_municipality(NewMunicipality {
            name: format!("Осинники {}", uuid::Uuid::new_v4().simple()),
            region_code: "42".into(),
        })
        .await
        .unwrap();
    for (start, end, nominal, quota) in [
        (old_start, old_end, 10_000, 10),
        (new_start, new_end, 12_000, new_quota),
    ] {
        store
            .create_period(
                &system,
                NewPeriod {
                    municipality_id: m.id,
                    start,
                    end,
                    nominal: Money::from_roubles(nominal),
                    quota,
                    budget: Money::from_roubles(nominal * quota),
                    enrollment_opens: start,
                    enrollment_closes: end,
                    test_mode: false,
                },
            )
            .await
            .unwrap();
    }
    let provider = store
        .create_provider(
            &system,
            api::ProviderDraft {
                municipality_id: m.id,
                name: "МБУ ДО «ДДТ»".into(),
                legal_form: "МБУ ДО".into(),
                inn: common::inn(),
                address: "г. Осинники, ул. Ленина, 1".into(),
                phone: "+7 38471 0-00-00".into(),
                email: "ddt@example.ru".into(),
                licence: "Л035-01229-42/00186743".into(),
                licence_issued_on: None,
                latitude: None,
                longitude: None,
            },
            Utc::now(),
        )
        .await
        .unwrap();
    let program = store
        .create_program(
            &system,
            NewProgram {
                provider_id: provider.id,
                title: "Туристический клуб «Азимут»".into(),
                description: "Походы".into(),
                direction: api::Direction::Tourism,
                age_from: 7,
                age_to: 17,
                level: api::Level::Basic,
                form: api::StudyForm::InPerson,
                funding: api::Funding::Certificate,
                price_per_month: Money::from_roubles(500),
                hours_per_week: 4,
                duration_months: 24,
                medical_certificate_required: true,
                adapted_for_disabilities: false,
                address: "г. Осинники".into(),
                location: None,
                status: api::ProgramStatus::Published,
            },
        )
        .await
        .unwrap();
    let group = store
        .create_group(
            &system,
            NewGroup {
                program_id: program.id,
                name: "Группа 1".into(),
                start_date: old_start,
                end_date: new_end,
                schedule: "Сб 10:00–14:00".into(),
                teacher: "Сидоров С. С.".into(),
                capacity: 10,
                open: true,
            },
        )
        .await
        .unwrap();
    let tag = uuid::Uuid::new_v4().simple().to_string();
    let user = |email: String, role, provider_id, municipality_id| NewUser {
        email,
        password_hash: "x".into(),
        full_name: "Тест".into(),
        role,
        provider_id,
        municipality_id,
    };
    let actor = |u: api::User| Actor {
        user_id: u.id,
        role: u.role,
        provider_id: u.provider_id,
        municipality_id: u.municipality_id,
    };
    let operator = actor(
        store
            .create_user(user(
                format!("m{tag}@x.ru"),
                api::Role::MunicipalOperator,
                None,
                Some(m.id),
            ))
            .await
            .unwrap(),
    );
    let staff = actor(
        store
            .create_user(user(
                format!("p{tag}@x.ru"),
                api::Role::ProviderStaff,
                Some(provider.id),
                Some(m.id),
            ))
            .await
            .unwrap(),
    );
    TwoPeriods {
        store,
        dir,
        m,
        group,
        operator,
        staff,
        tag,
        today,
        now,
        then,
    }
}

/// A family of the municipality whose child got a financing certificate and was accepted into
/// the group in the old period: (family, child id, certificate id, application id).
async fn enrolled_child(t: &TwoPeriods, i: usize) -> (Actor, uuid::Uuid, uuid::Uuid, uuid::Uuid) {
    let store = &t.store;
    let family = store
        .create_user(NewUser {
            email: format!("f{i}{}@x.ru", t.tag),
            password_hash: "x".into(),
            full_name: "Тест".into(),
            role: api::Role::Family,
            provider_id: None,
            municipality_id: None,
        })
        .await
        .unwrap();
    let family = Actor {
        user_id: family.id,
        role: family.role,
        provider_id: family.provider_id,
        municipality_id: family.municipality_id,
    };
    let child = store
        .create_child(
            &family,
            NewChild {
                first_name: "Даниил".into(),
                last_name: "Смирнов".into(),
                middle_name: None,
                birth_date: t.today - Duration::days(365 * 10),
                snils: Snils::from_number(common::rand_digits() + 300_000_000),
                municipality_id: t.m.id,
            },
        )
        .await
        .unwrap();
    let cert = store
        .issue_certificate(&family, child.id, t.then)
        .await
        .unwrap();
    store
        .activate_certificate(&t.operator, cert.id, "документы проверены", t.then)
        .await
        .unwrap();
    let app = store
        .apply(&family, child.id, t.group.id, t.then)
        .await
        .unwrap();
    store
        .accept_application(&t.staff, app.id, t.then)
        .await
        .unwrap();
    (family, child.id, cert.id, app.id)
}

#[tokio::test]
async fn rollover_expires_the_old_balance_and_credits_the_new_nominal_once() {
    let t = two_periods("rollover", 1).await;
    let (store, m, group, operator, now) = (&t.store, &t.m, &t.group, &t.operator, t.now);
    let mut certificates = Vec::new();
    let mut families = Vec::new();
    for i in 0..2 {
        let (family, child, cert, _) = enrolled_child(&t, i).await;
        // Applying now, before the rollover, would spend the old period's money: refused.
        let refused = store.apply(&family, child, group.id, now).await;
        assert!(matches!(refused, Err(StoreError::Refused(_))));
        certificates.push(cert);
        families.push(family);
    }
    let before = store
        .get_certificate(&families[0], certificates[0])
        .await
        .unwrap();
    assert!(before.balance.is_positive() && before.reserved.is_positive());

    let first = store
        .rollover_batch(operator, m.id, None, 100, now)
        .await
        .unwrap();
    assert_eq!(first.examined, 2);
    assert_eq!(first.enrollments_completed, 2);
    // The new period's quota is 1: one certificate is credited, the other goes back to accounting.
    assert_eq!((first.credited, first.without_room), (1, 1));
    let second = store
        .rollover_batch(operator, m.id, None, 100, now)
        .await
        .unwrap();
    assert_eq!(
        (second.examined, second.credited, second.without_room),
        (0, 0, 0)
    );

    let mut statuses = Vec::new();
    for (family, id) in families.iter().zip(&certificates) {
        let c = store.get_certificate(family, *id).await.unwrap();
        assert_eq!(c.reserved, Money::ZERO);
        statuses.push((c.status, c.balance));
    }
    statuses.sort_by_key(|(s, _)| s.as_str());
    assert_eq!(
        statuses[0],
        (api::CertificateStatus::Accounting, Money::ZERO)
    );
    assert_eq!(statuses[1].0, api::CertificateStatus::Financing);
    assert_eq!(statuses[1].1, first.credited_total);
    let periods = store.list_periods(m.id).await.unwrap();
    assert_eq!(periods[1].certificates_financed, 1);
    assert_eq!(store.verify_ledger().await.unwrap(), vec![]);
    std::fs::remove_dir_all(&t.dir).ok();
}

/// An invoice of the old period rejected after the rollover: the share it held in the ended
/// enrollment's reservation is the old period's money, so it expires to the old period's fund
/// instead of landing on the certificate, which the new period now finances.
#[tokio::test]
async fn an_old_invoice_rejected_after_the_rollover_expires_its_share_to_the_old_fund() {
    let t = two_periods("late-reject", 1).await;
    let (store, m, operator, staff, now, then) =
        (&t.store, &t.m, &t.operator, &t.staff, t.now, t.then);
    let (family, _, cert, app) = enrolled_child(&t, 0).await;
    // A month of the old period, invoiced while it ran and still undecided at its end.
    let month = navigator_domain::Month::of((then + Duration::days(31)).date_naive());
    let invoice = store
        .create_invoice(
            staff,
            &api::CreateInvoiceRequest {
                application_id: app,
                month,
                no_attendance_reason: Some("занятия прошли на выезде".into()),
            },
            then + Duration::days(62),
        )
        .await
        .unwrap();
    assert!(invoice.certificate_amount.is_positive());

    let rollover = store
        .rollover_batch(operator, m.id, None, 100, now)
        .await
        .unwrap();
    assert_eq!((rollover.credited, rollover.enrollments_completed), (1, 1));
    let rolled = store.get_certificate(&family, cert).await.unwrap();
    assert_eq!(rolled.status, api::CertificateStatus::Financing);
    assert_eq!(rolled.balance, rollover.credited_total);
    // The ended enrollment's reservation still holds the issued invoice's share.
    assert_eq!(rolled.reserved, invoice.certificate_amount);
    assert_eq!(store.verify_ledger().await.unwrap(), vec![]);

    let rejected = store
        .reject_invoice(operator, invoice.id, "услуга не оказана", now)
        .await
        .unwrap();
    assert_eq!(rejected.status, api::InvoiceStatus::Rejected);
    let after = store.get_certificate(&family, cert).await.unwrap();
    assert_eq!(after.reserved, Money::ZERO);
    // The new period's nominal only: the old period's money did not follow the certificate.
    assert_eq!(after.balance, rollover.credited_total);
    assert_eq!(store.verify_ledger().await.unwrap(), vec![]);
    std::fs::remove_dir_all(&t.dir).ok();
}
