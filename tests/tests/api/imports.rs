//! Registry files over HTTP: exports that import back unchanged, imports of new providers,
//! programs and groups in one transaction, and files refused whole with every bad cell named.

use navigator_api_types::{
    ImportProblem, ImportReport, Page, Program, ProgramStatus, ProgramSummary, Provider,
    ProviderEvent, RegistryKind, Role,
};
use navigator_tests::world::{random_inn, TownSpec};
use navigator_tests::{StatusCode, TestApp};

navigator_tests::on_both_backends!(
    exports_import_back_unchanged,
    a_municipality_imports_providers_programs_and_groups,
    a_file_with_bad_rows_is_refused_whole,
);

const CSV: &str = "text/csv";

async fn export(app: &TestApp, token: &str, kind: RegistryKind) -> String {
    let response = app
        .get(&format!("/exports/{}", kind.as_str()))
        .token(token)
        .send()
        .await;
    response.assert_status(StatusCode::OK);
    let disposition = response
        .headers
        .get("content-disposition")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    assert_eq!(
        disposition,
        format!("attachment; filename=\"{}.csv\"", kind.as_str())
    );
    response
        .body
        .as_str()
        .expect("a CSV file is text")
        .to_string()
}

async fn import(app: &TestApp, token: &str, kind: RegistryKind, file: &str) -> ImportReport {
    app.post(&format!("/imports/{}", kind.as_str()))
        .token(token)
        .raw(CSV, file)
        .send()
        .await
        .ok(StatusCode::OK)
}

async fn rejected(app: &TestApp, token: &str, kind: RegistryKind, file: &str) -> ImportProblem {
    let response = app
        .post(&format!("/imports/{}", kind.as_str()))
        .token(token)
        .raw(CSV, file)
        .send()
        .await;
    response.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    serde_json::from_value(response.body).expect("an import problem")
}

async fn exports_import_back_unchanged(app: &TestApp) {
    let regional = app.demo_login(Role::RegionalOperator).await;
    for kind in RegistryKind::ALL {
        let file = export(app, &regional, kind).await;
        assert!(file.starts_with('\u{feff}'), "a byte-order mark for Excel");
        let rows = file.lines().count() as u64 - 1;
        assert!(rows >= 12, "{kind:?}: {rows} rows");
        let report = import(app, &regional, kind, &file).await;
        assert_eq!(
            (
                report.rows_read,
                report.created,
                report.updated,
                report.unchanged
            ),
            (rows, 0, 0, rows),
            "{kind:?}: {report:?}"
        );
        assert_eq!(export(app, &regional, kind).await, file, "{kind:?}");
    }
    // A municipal operator's export is its municipality's.
    let municipal = app.demo_login(Role::MunicipalOperator).await;
    let own = export(app, &municipal, RegistryKind::Providers).await;
    let all = export(app, &regional, RegistryKind::Providers).await;
    assert!(own.lines().count() < all.lines().count());
    app.get("/exports/providers")
        .token(&app.demo_login(Role::ProviderStaff).await)
        .send()
        .await
        .problem(StatusCode::FORBIDDEN, "forbidden");
    app.get("/exports/children")
        .token(&regional)
        .send()
        .await
        .problem(StatusCode::NOT_FOUND, "not_found");
}

async fn a_municipality_imports_providers_programs_and_groups(app: &TestApp) {
    let town = app.arrange_town(TownSpec::default()).await;
    let operator = &town.operator.token;
    let town_name = &town.municipality.name;
    let (inn_a, inn_b) = (random_inn(), random_inn());
    let providers = format!(
        "муниципалитет;наименование;ОПФ;ИНН;адрес;телефон;email;лицензия;дата лицензии;широта;долгота\n\
         {town_name};Клуб «Ладья»;ооо;{inn_a};г. Тест, ул. Мира, 3;8 913 111-22-33;ladya@club.example;Л035-01298-55/00400001;01.02.2020;54,9;73,3\n\
         {town_name};\"Студия «Акварель; и масло»\";АНО ДО;{inn_b};г. Тест, ул. Мира, 5;+7 (3812) 11-22-33;art@studio.example;Л035-01298-55/00400002;;;\n"
    );
    let report = import(app, operator, RegistryKind::Providers, &providers).await;
    assert_eq!(
        (report.rows_read, report.created, report.updated),
        (2, 2, 0)
    );
    let listed: Vec<Provider> = app
        .get(&format!(
            "/providers?municipality_id={}",
            town.municipality.id
        ))
        .send()
        .await
        .ok(StatusCode::OK);
    let ladya = listed.iter().find(|p| p.inn == inn_a).expect("imported");
    assert_eq!(ladya.legal_form, "ООО");
    assert_eq!((ladya.latitude, ladya.longitude), (Some(54.9), Some(73.3)));
    assert!(listed
        .iter()
        .any(|p| p.name == "Студия «Акварель; и масло»" && p.latitude.is_none()));
    let events: Vec<ProviderEvent> = app
        .get(&format!("/providers/{}/events", ladya.id))
        .token(operator)
        .send()
        .await
        .ok(StatusCode::OK);
    assert_eq!(events.len(), 1);
    assert_eq!(events[0].action, "import");

    // The same file with a new phone changes one provider and leaves the other.
    let changed = providers.replace("8 913 111-22-33", "8 913 999-88-77");
    let report = import(app, operator, RegistryKind::Providers, &changed).await;
    assert_eq!(
        (report.created, report.updated, report.unchanged),
        (0, 1, 1)
    );

    let header = "ИНН поставщика;код программы;название;описание;направленность;возраст от;\
                  возраст до;уровень;форма обучения;финансирование;цена в месяц;часов в неделю;\
                  месяцев;медицинская справка;адаптирована для ОВЗ;адрес;широта;долгота;статус";
    let programs = format!(
        "{header}\n\
         {inn_a};Ш-1;Шахматы для начинающих;Правила, дебюты и простые комбинации;social_humanitarian;7;12;starting;in_person;certificate;1 500,00;2;9;нет;да;г. Тест, ул. Мира, 3;54,9885;73,3242;published\n\
         {inn_a};Ш-2;Шахматы: турнирная практика;Партии с разбором и выезды на турниры;social_humanitarian;10;17;advanced;in_person;certificate;2500;3;9;нет;нет;г. Тест, ул. Мира, 3;;;draft\n"
    );
    let report = import(app, operator, RegistryKind::Programs, &programs).await;
    assert_eq!((report.rows_read, report.created), (2, 2));
    let page: Page<ProgramSummary> = app
        .get(&format!("/providers/{}/programs", ladya.id))
        .token(operator)
        .send()
        .await
        .ok(StatusCode::OK);
    // A municipal operator's imports are drafts whatever the file says.
    assert_eq!(page.items.len(), 2);
    for summary in &page.items {
        let program: Program = app
            .get(&format!("/programs/{}", summary.id))
            .token(operator)
            .send()
            .await
            .ok(StatusCode::OK);
        assert_eq!(program.status, ProgramStatus::Draft);
    }

    let groups = format!(
        "ИНН поставщика;код программы;код группы;название;начало;окончание;расписание;педагог;мест;набор открыт\n\
         {inn_a};Ш-1;Г-1;Группа 1;2026-09-01;2027-05-31;Пн, Ср 16:00–17:30;Смирнов И. П.;12;да\n\
         {inn_a};Ш-1;Г-2;Группа 2;2026-09-01;2027-05-31;Вт, Чт 16:00–17:30;Смирнов И. П.;10;нет\n"
    );
    let report = import(app, operator, RegistryKind::Groups, &groups).await;
    assert_eq!((report.rows_read, report.created), (2, 2));
    let beginners = page
        .items
        .iter()
        .find(|p| p.title == "Шахматы для начинающих")
        .expect("imported");
    let program: Program = app
        .get(&format!("/programs/{}", beginners.id))
        .token(operator)
        .send()
        .await
        .ok(StatusCode::OK);
    let mut capacities: Vec<i64> = program.groups.iter().map(|g| g.capacity).collect();
    capacities.sort();
    assert_eq!(capacities, [10, 12]);

    // The regional operator, who certifies programs, imports them published.
    let regional = app.demo_login(Role::RegionalOperator).await;
    let certified = format!(
        "{header}\n\
         {inn_b};А-1;Акварель для малышей;Рисуем по-мокрому и учимся смешивать цвета;arts;5;8;starting;in_person;certificate;1800,00;2;9;нет;да;г. Тест, ул. Мира, 5;;;published\n"
    );
    import(app, &regional, RegistryKind::Programs, &certified).await;
    // The catalog's full-text index follows imports.
    let found: Page<ProgramSummary> = app
        .get("/programs?q=%D0%B0%D0%BA%D0%B2%D0%B0%D1%80%D0%B5%D0%BB%D1%8C")
        .send()
        .await
        .ok(StatusCode::OK);
    assert!(
        found
            .items
            .iter()
            .any(|p| p.title == "Акварель для малышей"),
        "«акварель» does not find the imported program: {:?}",
        found.items
    );
    let studio = listed.iter().find(|p| p.inn == inn_b).expect("imported");
    let page: Page<ProgramSummary> = app
        .get(&format!("/providers/{}/programs", studio.id))
        .token(&regional)
        .send()
        .await
        .ok(StatusCode::OK);
    // Published: in the public catalog.
    let program: Program = app
        .get(&format!("/programs/{}", page.items[0].id))
        .send()
        .await
        .ok(StatusCode::OK);
    assert_eq!(program.status, ProgramStatus::Published);
    // Published programs change through moderation, not by a file.
    let dearer = certified.replace("1800,00", "2100,00");
    let problem = rejected(app, &regional, RegistryKind::Programs, &dearer).await;
    let codes: Vec<_> = problem
        .report
        .errors
        .iter()
        .map(|e| (e.row, e.code.as_str()))
        .collect();
    assert_eq!(codes, [(2, "program_not_editable")]);
    // The draft programs do change; the file's other row is as stored.
    let edited = programs.replace("2500;3;9", "2700;3;9");
    let report = import(app, operator, RegistryKind::Programs, &edited).await;
    assert_eq!(
        (report.created, report.updated, report.unchanged),
        (0, 1, 1)
    );
}

async fn a_file_with_bad_rows_is_refused_whole(app: &TestApp) {
    let town = app.arrange_town(TownSpec::default()).await;
    let operator = &town.operator.token;
    let town_name = &town.municipality.name;
    let good = random_inn();
    let other = random_inn();
    let last = other
        .chars()
        .last()
        .and_then(|c| c.to_digit(10))
        .unwrap_or(0);
    let bad = format!("{}{}", &other[..9], (last + 1) % 10);
    let file = format!(
        "муниципалитет;наименование;ОПФ;ИНН;адрес;телефон;email;лицензия;дата лицензии;широта;долгота\n\
         {town_name};Хороший клуб;ООО;{good};г. Тест, ул. Мира, 3;8 913 111-22-33;a@club.example;Л035-01298-55/00400001;;;\n\
         Нет такого города;Клуб;ООО;{good};г. Тест, ул. Мира, 4;8 913 111-22-34;b@club.example;Л035-01298-55/00400002;;;\n\
         {town_name};Клуб;ЗАО;{bad};г. Тест, ул. Мира, 5;нет телефона;c@club.example;Л035-01298-55/00400003;вчера;;\n\
         {town_name};Повтор;ООО;{good};г. Тест, ул. Мира, 6;8 913 111-22-35;d@club.example;Л035-01298-55/00400004;;;\n"
    );
    let before = app
        .store()
        .list_providers(None)
        .await
        .expect("providers")
        .len();
    let problem = rejected(app, operator, RegistryKind::Providers, &file).await;
    assert_eq!(problem.code, "import_rejected");
    assert_eq!(problem.report.rows_read, 4);
    assert_eq!(problem.report.created, 0);
    let cells: Vec<(u32, &str, &str)> = problem
        .report
        .errors
        .iter()
        .map(|e| (e.row, e.column.as_str(), e.code.as_str()))
        .collect();
    assert_eq!(
        cells,
        [
            (3, "муниципалитет", "unknown_municipality"),
            (4, "дата лицензии", "date"),
            (5, "ИНН", "inn_repeated"),
        ]
    );
    // With the date fixed, the rules of the registry speak for every row.
    let file = file.replace("вчера", "");
    let problem = rejected(app, operator, RegistryKind::Providers, &file).await;
    let cells: Vec<(u32, &str, &str)> = problem
        .report
        .errors
        .iter()
        .map(|e| (e.row, e.column.as_str(), e.code.as_str()))
        .collect();
    assert_eq!(
        cells,
        [
            (3, "муниципалитет", "unknown_municipality"),
            (4, "ОПФ", "legal_form_unknown"),
            (4, "ИНН", "inn_checksum"),
            (4, "телефон", "phone_format"),
            (5, "ИНН", "inn_repeated"),
        ]
    );
    assert!(problem.report.errors.iter().all(|e| !e.message.is_empty()));
    // Nothing was written, not even the good row.
    let after = app
        .store()
        .list_providers(None)
        .await
        .expect("providers")
        .len();
    assert_eq!(before, after);

    // Another municipality's rows, the wrong media type, a family.
    let omsk_file = file
        .lines()
        .take(2)
        .collect::<Vec<_>>()
        .join("\n")
        .replace(town_name.as_str(), "г. Омск");
    let problem = rejected(app, operator, RegistryKind::Providers, &omsk_file).await;
    assert_eq!(problem.report.errors[0].code, "other_municipality");
    app.post("/imports/providers")
        .token(operator)
        .json(&serde_json::json!({"file": "no"}))
        .send()
        .await
        .problem(StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type");
    app.post("/imports/providers")
        .token(&app.register_family().await.token)
        .raw(CSV, file.as_str())
        .send()
        .await
        .problem(StatusCode::FORBIDDEN, "forbidden");
}
