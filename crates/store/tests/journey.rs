//! The money journey through the store on SQLite: every use case once, then the ledger's
//! invariants. (The HTTP tests in `tests/` run the same on both backends; this one pins the store.)

use chrono::{Datelike, Duration, NaiveDate, Utc};
use navigator_api_types as api;
use navigator_domain::{Money, Month, Snils};
use navigator_store::*;

fn academic_year(today: NaiveDate) -> (NaiveDate, NaiveDate) {
    let y = if today.month() >= 9 { today.year() } else { today.year() - 1 };
    (
        NaiveDate::from_ymd_opt(y, 9, 1).unwrap(),
        NaiveDate::from_ymd_opt(y + 1, 8, 31).unwrap(),
    )
}

#[tokio::test]
async fn money_journey_keeps_the_ledger() {
    let dir = std::env::temp_dir().join(format!("navigator-store-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();
    let url = format!("sqlite:{}/t.db", dir.display());
    let store = connect(&url).await.unwrap();
    store.migrate().await.unwrap();
    let system = Actor::system();
    let now = Utc::now();
    let today = now.date_naive();
    let (start, end) = academic_year(today);

    let m = store
        .create_municipality(NewMunicipality { name: "г. Омск".into(), region_code: "55".into() })
        .await
        .unwrap();
    let period = store
        .create_period(
            &system,
            NewPeriod {
                municipality_id: m.id,
                start,
                end,
                nominal: Money::from_roubles(12_000),
                quota: 10,
                budget: Money::from_roubles(120_000),
                enrollment_opens: start - Duration::days(15),
                enrollment_closes: end,
                test_mode: false,
            },
        )
        .await
        .unwrap();
    assert_eq!(period.budget_committed, Money::ZERO);
    let provider = store
        .create_provider(
            &system,
            NewProvider {
                municipality_id: m.id,
                name: "МБУ ДО «Дом детского творчества»".into(),
                legal_form: "МБУ ДО".into(),
                inn: "5501000001".into(),
                address: "г. Омск, ул. Ленина, 1".into(),
                phone: "+7 3812 00-00-00".into(),
                email: "ddt@example.ru".into(),
                licence: "Л035-01".into(),
            },
        )
        .await
        .unwrap();
    let program = store
        .create_program(
            &system,
            NewProgram {
                provider_id: provider.id,
                title: "Шахматный клуб «Ладья»".into(),
                description: "Шахматы для начинающих".into(),
                direction: api::Direction::SocialHumanitarian,
                age_from: 6,
                age_to: 14,
                level: api::Level::Starting,
                form: api::StudyForm::InPerson,
                funding: api::Funding::Certificate,
                price_per_month: Money::from_roubles(3_000),
                hours_per_week: 4,
                duration_months: 9,
                medical_certificate_required: false,
                adapted_for_disabilities: true,
                address: "г. Омск, ул. Ленина, 1".into(),
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
                start_date: start,
                end_date: end,
                schedule: "Пн, Ср 16:00–17:30".into(),
                teacher: "Петров П. П.".into(),
                capacity: 1,
                open: true,
            },
        )
        .await
        .unwrap();
    let found = store
        .search_programs(
            &ProgramFilter { q: Some("шахматы".into()), ..ProgramFilter::default() },
            &PageRequest::default(),
        )
        .await
        .unwrap();
    assert_eq!(found.items.len(), 1);

    let user = |email: &str, role, provider_id, municipality_id| NewUser {
        email: email.into(),
        password_hash: "x".into(),
        full_name: "Тест".into(),
        role,
        provider_id,
        municipality_id,
    };
    let family = store.create_user(user("f@x.ru", api::Role::Family, None, None)).await.unwrap();
    let staff = store
        .create_user(user("p@x.ru", api::Role::ProviderStaff, Some(provider.id), Some(m.id)))
        .await
        .unwrap();
    let operator = store
        .create_user(user("m@x.ru", api::Role::MunicipalOperator, None, Some(m.id)))
        .await
        .unwrap();
    let as_actor = |u: &api::User| Actor {
        user_id: u.id,
        role: u.role,
        provider_id: u.provider_id,
        municipality_id: u.municipality_id,
    };
    let (family, staff, operator) = (as_actor(&family), as_actor(&staff), as_actor(&operator));

    let child = store
        .create_child(
            &family,
            NewChild {
                first_name: "Анна".into(),
                last_name: "Иванова".into(),
                middle_name: None,
                birth_date: today - Duration::days(365 * 9),
                snils: Snils::from_number(123_456_789),
                municipality_id: m.id,
            },
        )
        .await
        .unwrap();
    let cert = store.issue_certificate(&family, child.id, now).await.unwrap();
    assert_eq!(cert.status, api::CertificateStatus::Pending);
    assert!(store.apply(&family, child.id, group.id, now).await.is_err());
    let cert = store.activate_certificate(&operator, cert.id, "документы проверены", now).await.unwrap();
    assert_eq!(cert.status, api::CertificateStatus::Accounting);

    let quote = store.quote(&family, child.id, group.id, today).await.unwrap();
    assert!(quote.switches_to_financing);
    let app = store.apply(&family, child.id, group.id, now).await.unwrap();
    assert_eq!(app.status, api::ApplicationStatus::Submitted);
    let cert = store.get_certificate(&family, cert.id).await.unwrap();
    assert_eq!(cert.status, api::CertificateStatus::Financing);
    assert_eq!(cert.balance, quote.balance_before);

    let app = store.accept_application(&staff, app.id, now).await.unwrap();
    assert_eq!(app.status, api::ApplicationStatus::Accepted);
    assert_eq!(app.certificate_amount, quote.certificate);
    assert_eq!(app.family_amount, quote.family);
    let cert = store.get_certificate(&family, cert.id).await.unwrap();
    assert_eq!(cert.balance, quote.balance_after);
    assert_eq!(cert.reserved, quote.certificate);

    store
        .mark_attendance(&staff, app.id, &api::AttendanceMark { date: today, present: true }, now)
        .await
        .unwrap();
    let month = Month::of(today);
    let invoice = store
        .create_invoice(
            &staff,
            &api::CreateInvoiceRequest { application_id: app.id, month, no_attendance_reason: None },
            now,
        )
        .await
        .unwrap();
    assert!(store
        .create_invoice(
            &staff,
            &api::CreateInvoiceRequest { application_id: app.id, month, no_attendance_reason: None },
            now,
        )
        .await
        .is_err());
    let invoice = store.approve_invoice(&operator, invoice.id, now).await.unwrap();
    assert_eq!(invoice.status, api::InvoiceStatus::Approved);
    let cert = store.get_certificate(&family, cert.id).await.unwrap();
    assert_eq!(cert.spent, invoice.certificate_amount);

    let ended = store
        .end_enrollment(&family, app.id, api::EndReason::FamilyRequest, None, now)
        .await
        .unwrap();
    assert_eq!(ended.reserved, Money::ZERO);
    let cert = store.get_certificate(&family, cert.id).await.unwrap();
    assert_eq!(cert.reserved, Money::ZERO);
    assert_eq!(
        cert.balance.checked_add(cert.spent),
        Some(quote.balance_before),
        "nothing lost: what was not spent is back"
    );
    let history = store.certificate_history(&family, cert.id).await.unwrap();
    assert_eq!(history.entries.len(), 4, "credit, reservation, write-off, release");
    assert_eq!(store.verify_ledger().await.unwrap(), vec![]);
    std::fs::remove_dir_all(&dir).ok();
}
