//! An invoice of the old period rejected after the rollover: the share it held in the ended
//! enrollment's reservation is the old period's money, so it expires to the old period's fund
//! instead of landing on the certificate, which the new period now finances.

mod common;

use chrono::{Duration, Utc};
use navigator_api_types as api;
use navigator_domain::{Money, Snils};
use navigator_store::*;

#[tokio::test]
async fn an_old_invoice_rejected_after_the_rollover_expires_its_share_to_the_old_fund() {
    let dir = std::env::temp_dir().join(format!("navigator-late-reject-{}", uuid::Uuid::new_v4()));
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
        (new_start, new_end, 12_000, 1),
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
    let family = actor(
        store
            .create_user(user(format!("f{tag}@x.ru"), api::Role::Family, None, None))
            .await
            .unwrap(),
    );
    let child = store
        .create_child(
            &family,
            NewChild {
                first_name: "Даниил".into(),
                last_name: "Смирнов".into(),
                middle_name: None,
                birth_date: today - Duration::days(365 * 10),
                snils: Snils::from_number(common::rand_digits() + 300_000_000),
                municipality_id: m.id,
            },
        )
        .await
        .unwrap();
    let cert = store
        .issue_certificate(&family, child.id, then)
        .await
        .unwrap();
    store
        .activate_certificate(&operator, cert.id, "документы проверены", then)
        .await
        .unwrap();
    let app = store
        .apply(&family, child.id, group.id, then)
        .await
        .unwrap();
    store
        .accept_application(&staff, app.id, then)
        .await
        .unwrap();
    // A month of the old period, invoiced while it ran and still undecided at its end.
    let month = navigator_domain::Month::of((then + Duration::days(31)).date_naive());
    let invoice = store
        .create_invoice(
            &staff,
            &api::CreateInvoiceRequest {
                application_id: app.id,
                month,
                no_attendance_reason: Some("занятия прошли на выезде".into()),
            },
            then + Duration::days(62),
        )
        .await
        .unwrap();
    assert!(invoice.certificate_amount.is_positive());

    let rollover = store
        .rollover_batch(&operator, m.id, None, 100, now)
        .await
        .unwrap();
    assert_eq!((rollover.credited, rollover.enrollments_completed), (1, 1));
    let rolled = store.get_certificate(&family, cert.id).await.unwrap();
    assert_eq!(rolled.status, api::CertificateStatus::Financing);
    assert_eq!(rolled.balance, rollover.credited_total);
    // The ended enrollment's reservation still holds the issued invoice's share.
    assert_eq!(rolled.reserved, invoice.certificate_amount);
    assert_eq!(store.verify_ledger().await.unwrap(), vec![]);

    let rejected = store
        .reject_invoice(&operator, invoice.id, "услуга не оказана", now)
        .await
        .unwrap();
    assert_eq!(rejected.status, api::InvoiceStatus::Rejected);
    let after = store.get_certificate(&family, cert.id).await.unwrap();
    assert_eq!(after.reserved, Money::ZERO);
    // The new period's nominal only: the old period's money did not follow the certificate.
    assert_eq!(after.balance, rollover.credited_total);
    assert_eq!(store.verify_ledger().await.unwrap(), vec![]);
    std::fs::remove_dir_all(&dir).ok();
}
