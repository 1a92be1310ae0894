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

#[tokio::test]
async fn operators_list_the_registry_longest_waiting_first_within_their_reach() {
    let world = World::new(
        Money::from_roubles(12_000),
        10,
        Money::from_roubles(120_000),
    )
    .await;
    let store = &world.store;
    let now = Utc::now();
    let (staff, operator) = (world.staff, world.operator);
    let mut ids = Vec::new();
    for title in ["Акварель", "Бисероплетение", "Вокал"] {
        let program = store
            .create_program(&staff, draft(world.provider.id, title))
            .await
            .unwrap();
        ids.push(program.id);
    }
    let (a, b, c) = (ids[0], ids[1], ids[2]);
    // Submitted in the order b, a: the queue is in the order of submission, not of titles.
    for id in [b, a] {
        store
            .change_program_status(&staff, id, ProgramAction::Submit, None, "на проверку", now)
            .await
            .unwrap();
    }
    let queued = Some(api::ProgramStatus::OnModeration);
    let first = PageRequest {
        limit: 1,
        cursor: None,
    };
    let page = store
        .list_registry_programs(&operator, queued, None, &first)
        .await
        .unwrap();
    assert_eq!(page.items.iter().map(|p| p.id).collect::<Vec<_>>(), [b]);
    let next = PageRequest {
        limit: 1,
        cursor: page.next_cursor.clone(),
    };
    assert!(next.cursor.is_some());
    let page = store
        .list_registry_programs(&operator, queued, None, &next)
        .await
        .unwrap();
    assert_eq!(page.items.iter().map(|p| p.id).collect::<Vec<_>>(), [a]);
    assert_eq!(page.next_cursor, None);

    // Every status without the filter: the draft c has waited longest (its creation).
    let all = PageRequest {
        limit: 20,
        cursor: None,
    };
    let everything = store
        .list_registry_programs(&operator, None, None, &all)
        .await
        .unwrap();
    assert_eq!(
        everything.items.iter().map(|p| p.id).collect::<Vec<_>>(),
        [c, b, a]
    );

    // The regional operator sees the same queue of this municipality (other tests' programs
    // may share a PostgreSQL database, hence the filter).
    let regional = Actor {
        user_id: uuid::Uuid::new_v4(),
        role: api::Role::RegionalOperator,
        provider_id: None,
        municipality_id: None,
    };
    let region = store
        .list_registry_programs(&regional, queued, Some(world.municipality.id), &all)
        .await
        .unwrap();
    assert_eq!(
        region.items.iter().map(|p| p.id).collect::<Vec<_>>(),
        [b, a]
    );

    // Another municipality's operator sees none of them, even when asking for this one.
    let elsewhere = store
        .create_municipality(NewMunicipality {
            name: format!("Осинники {}", uuid::Uuid::new_v4().simple()),
            region_code: "42".into(),
        })
        .await
        .unwrap();
    let other_operator = Actor {
        user_id: uuid::Uuid::new_v4(),
        role: api::Role::MunicipalOperator,
        provider_id: None,
        municipality_id: Some(elsewhere.id),
    };
    for asked in [None, Some(world.municipality.id)] {
        let page = store
            .list_registry_programs(&other_operator, queued, asked, &all)
            .await
            .unwrap();
        assert!(page.items.is_empty());
    }
    // Staff and families are not operators; a cursor the store did not give out is refused.
    assert!(matches!(
        store
            .list_registry_programs(&staff, queued, None, &all)
            .await,
        Err(StoreError::Forbidden(_))
    ));
    let forged = PageRequest {
        limit: 20,
        cursor: Some(format!("7a7a.{}", uuid::Uuid::new_v4().simple())),
    };
    assert!(matches!(
        store
            .list_registry_programs(&operator, queued, None, &forged)
            .await,
        Err(StoreError::Invalid {
            field: "cursor",
            ..
        })
    ));
}
