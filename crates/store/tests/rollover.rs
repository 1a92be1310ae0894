//! Period rollover: what is left expires to the old period's fund, the new nominal is credited,
//! the old period's contracts end, and a second run changes nothing. The store takes "now" from
//! its caller, so the test lives the old period first and the new one after.

mod common;

use chrono::{Duration, Utc};
use navigator_api_types as api;
use navigator_domain::{Money, Snils};
use navigator_store::*;

#[tokio::test]
async fn rollover_expires_the_old_balance_and_credits_the_new_nominal_once() {
    let dir = std::env::temp_dir().join(format!("navigator-rollover-{}", uuid::Uuid::new_v4()));
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
    let mut certificates = Vec::new();
    let mut families = Vec::new();
    for i in 0..2 {
        let family = actor(
            store
                .create_user(user(
                    format!("f{i}{tag}@x.ru"),
                    api::Role::Family,
                    None,
                    None,
                ))
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
        // Applying now, before the rollover, would spend the old period's money: refused.
        let refused = store.apply(&family, child.id, group.id, now).await;
        assert!(matches!(refused, Err(StoreError::Refused(_))));
        certificates.push(cert.id);
        families.push(family);
    }
    let before = store
        .get_certificate(&families[0], certificates[0])
        .await
        .unwrap();
    assert!(before.balance.is_positive() && before.reserved.is_positive());

    let first = store
        .rollover_batch(&operator, m.id, None, 100, now)
        .await
        .unwrap();
    assert_eq!(first.examined, 2);
    assert_eq!(first.enrollments_completed, 2);
    // The new period's quota is 1: one certificate is credited, the other goes back to accounting.
    assert_eq!((first.credited, first.without_room), (1, 1));
    let second = store
        .rollover_batch(&operator, m.id, None, 100, now)
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
    std::fs::remove_dir_all(&dir).ok();
}
