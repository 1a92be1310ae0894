//! The registry's workflow for programs: drafts, optimistic edits, moderation with remarks,
//! publication with the funding decision, archiving; every step recorded.

mod common;

use chrono::Utc;
use common::World;
use navigator_api_types as api;
use navigator_domain::Money;
use navigator_store::*;

fn draft(provider_id: uuid::Uuid, title: &str) -> NewProgram {
    NewProgram {
        provider_id,
        title: title.into(),
        description: "Лепка из глины для младших школьников".into(),
        direction: api::Direction::Arts,
        age_from: 7,
        age_to: 11,
        level: api::Level::Starting,
        form: api::StudyForm::InPerson,
        funding: api::Funding::Certificate,
        price_per_month: Money::from_roubles(2_200),
        hours_per_week: 2,
        duration_months: 9,
        medical_certificate_required: false,
        adapted_for_disabilities: false,
        address: "г. Омск, ул. Ленина, 1".into(),
        location: None,
        status: api::ProgramStatus::Draft,
    }
}

#[tokio::test]
async fn a_program_goes_from_draft_to_the_catalog_and_out() {
    let world = World::new(
        Money::from_roubles(12_000),
        10,
        Money::from_roubles(120_000),
    )
    .await;
    let store = &world.store;
    let now = Utc::now();
    let (staff, operator) = (world.staff, world.operator);
    let program = store
        .create_program(&staff, draft(world.provider.id, "Керамика"))
        .await
        .unwrap();
    assert_eq!(program.status, api::ProgramStatus::Draft);
    // Drafts are not in the catalog and not shown to families.
    assert!(matches!(
        store.get_program(None, program.id).await,
        Err(StoreError::NotFound)
    ));

    let edited = store
        .update_program(
            &staff,
            program.id,
            draft(world.provider.id, "Керамика и лепка"),
            program.version,
            now,
        )
        .await
        .unwrap();
    assert_eq!(edited.title, "Керамика и лепка");
    assert_eq!(edited.version, program.version + 1);
    assert!(matches!(
        store
            .update_program(&staff, program.id, draft(world.provider.id, "x"), program.version, now)
            .await,
        Err(StoreError::Stale { current }) if current == edited.version
    ));

    let submitted = store
        .change_program_status(
            &staff,
            program.id,
            ProgramAction::Submit,
            None,
            "на проверку",
            now,
        )
        .await
        .unwrap();
    assert_eq!(submitted.status, api::ProgramStatus::OnModeration);
    assert!(matches!(
        store
            .change_program_status(
                &staff,
                program.id,
                ProgramAction::Publish,
                None,
                "сам себе",
                now
            )
            .await,
        Err(StoreError::Forbidden(_))
    ));
    let returned = store
        .change_program_status(
            &operator,
            program.id,
            ProgramAction::Return,
            None,
            "уточните адрес",
            now,
        )
        .await
        .unwrap();
    assert_eq!(returned.status, api::ProgramStatus::Draft);
    assert_eq!(returned.remarks.as_deref(), Some("уточните адрес"));
    store
        .change_program_status(
            &staff,
            program.id,
            ProgramAction::Submit,
            None,
            "исправлено",
            now,
        )
        .await
        .unwrap();
    let published = store
        .change_program_status(
            &operator,
            program.id,
            ProgramAction::Publish,
            Some(api::Funding::Budget),
            "бюджетная программа",
            now,
        )
        .await
        .unwrap();
    assert_eq!(published.status, api::ProgramStatus::Published);
    assert_eq!(published.funding, api::Funding::Budget);
    assert_eq!(published.price_per_month, Money::ZERO);
    assert!(store.get_program(None, program.id).await.is_ok());
    assert!(matches!(
        store
            .update_program(&staff, program.id, draft(world.provider.id, "x"), published.version, now)
            .await,
        Err(StoreError::Refused(r)) if r.code() == "program_not_editable"
    ));
    let archived = store
        .change_program_status(
            &staff,
            program.id,
            ProgramAction::Archive,
            None,
            "набор закрыт",
            now,
        )
        .await
        .unwrap();
    assert_eq!(archived.status, api::ProgramStatus::Archived);

    let events = store.program_events(&operator, program.id).await.unwrap();
    let actions: Vec<&str> = events.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(
        actions,
        ["create", "update", "submit", "return", "submit", "publish", "archive"]
    );
    let family = world.family().await;
    assert!(matches!(
        store.program_events(&family, program.id).await,
        Err(StoreError::NotFound)
    ));
}
