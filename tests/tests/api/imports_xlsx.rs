//! Registry files as XLSX workbooks over HTTP: exports that carry the same data as CSV and
//! import back unchanged, workbooks typed as a person types in Excel (an ИНН as a number that
//! lost its leading zero, a price as a number, dates, booleans), bad cells reported by row and
//! column with nothing written, and bodies that are no workbook refused with a clean 4xx.

use std::io::{Cursor, Write};

use chrono::NaiveDate;
use navigator_api_types::{
    read_groups, read_programs, read_providers, ImportProblem, ImportReport, Money, Page, Program,
    ProgramSummary, Provider, RegistryKind, Role, GROUP_COLUMNS, PROGRAM_COLUMNS, PROVIDER_COLUMNS,
};
use navigator_domain::import::{Cell, Table};
use navigator_domain::provider::inn_with_check_digits;
use navigator_tests::world::TownSpec;
use navigator_tests::{StatusCode, TestApp};
use navigator_xlsx::{Limits, MEDIA_TYPE as XLSX};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, Worksheet};
use uuid::Uuid;

navigator_tests::on_both_backends!(
    workbooks_carry_the_csv_data_and_import_back_unchanged,
    a_workbook_typed_in_excel_imports,
    a_bad_cell_of_a_workbook_writes_nothing,
    what_is_no_workbook_is_refused_cleanly,
);

async fn export_xlsx(app: &TestApp, token: &str, kind: RegistryKind, by_accept: bool) -> Table {
    let request = if by_accept {
        app.get(&format!("/exports/{}", kind.as_str()))
            .header("Accept", format!("{XLSX}, text/csv;q=0.5"))
    } else {
        app.get(&format!("/exports/{}?format=xlsx", kind.as_str()))
    };
    let response = request.token(token).send().await;
    response.assert_status(StatusCode::OK);
    let header = |name: &str| {
        response
            .headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string()
    };
    assert_eq!(header("content-type"), XLSX);
    assert_eq!(
        header("content-disposition"),
        format!("attachment; filename=\"{}.xlsx\"", kind.as_str())
    );
    navigator_xlsx::read(&response.bytes, Limits::default()).expect("an XLSX workbook")
}

async fn export_csv(app: &TestApp, token: &str, kind: RegistryKind) -> Table {
    let response = app
        .get(&format!("/exports/{}", kind.as_str()))
        .token(token)
        .send()
        .await;
    response.assert_status(StatusCode::OK);
    let text = String::from_utf8(response.bytes).expect("CSV is UTF-8");
    Table::from_csv(&text).expect("valid CSV")
}

fn post<'a>(
    app: &'a TestApp,
    token: &str,
    kind: RegistryKind,
    media_type: &str,
    body: Vec<u8>,
) -> navigator_tests::ApiRequest<'a> {
    app.post(&format!("/imports/{}", kind.as_str()))
        .token(token)
        .raw(media_type, body)
}

async fn import(app: &TestApp, token: &str, kind: RegistryKind, body: Vec<u8>) -> ImportReport {
    post(app, token, kind, XLSX, body)
        .send()
        .await
        .ok(StatusCode::OK)
}

async fn rejected(app: &TestApp, token: &str, kind: RegistryKind, body: Vec<u8>) -> ImportProblem {
    let response = post(app, token, kind, XLSX, body).send().await;
    response.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    serde_json::from_value(response.body).expect("an import problem")
}

/// What the table says, read by the same rules as an import: equal for equal data whatever
/// the cells' types.
fn data(kind: RegistryKind, table: &Table) -> String {
    let (records, errors) = match kind {
        RegistryKind::Providers => {
            let p = read_providers(table);
            (format!("{:?}", p.records), p.errors)
        }
        RegistryKind::Programs => {
            let p = read_programs(table);
            (format!("{:?}", p.records), p.errors)
        }
        RegistryKind::Groups => {
            let p = read_groups(table);
            (format!("{:?}", p.records), p.errors)
        }
    };
    assert_eq!(errors, [], "{kind:?}");
    records
}

/// The first data row's cell under `column`.
fn first_cell<'a>(table: &'a Table, column: &str) -> &'a Cell {
    let index = table.rows[0]
        .1
        .iter()
        .position(|c| c.text() == column)
        .unwrap_or_else(|| panic!("no column {column}"));
    &table.rows[1].1[index]
}

async fn workbooks_carry_the_csv_data_and_import_back_unchanged(app: &TestApp) {
    let regional = app.demo_login(Role::RegionalOperator).await;
    for kind in RegistryKind::ALL {
        let by_accept = kind == RegistryKind::Programs;
        let workbook = export_xlsx(app, &regional, kind, by_accept).await;
        let csv = export_csv(app, &regional, kind).await;
        let rows = workbook.data_rows() as u64;
        assert!(rows >= 12, "{kind:?}: {rows} rows");
        assert_eq!(data(kind, &workbook), data(kind, &csv), "{kind:?}");
        let bytes = navigator_xlsx::write(&workbook, kind.as_str()).expect("a workbook");
        let report = import(app, &regional, kind, bytes).await;
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
        assert_eq!(
            export_xlsx(app, &regional, kind, !by_accept).await,
            workbook,
            "{kind:?}"
        );
    }
    // Cells are typed: codes and ИНН text, money and seats numbers, dates dates.
    let programs = export_xlsx(app, &regional, RegistryKind::Programs, false).await;
    assert!(matches!(
        first_cell(&programs, "ИНН поставщика"),
        Cell::Text(_)
    ));
    assert!(matches!(
        first_cell(&programs, "цена в месяц"),
        Cell::Number(_)
    ));
    let groups = export_xlsx(app, &regional, RegistryKind::Groups, false).await;
    assert!(matches!(first_cell(&groups, "начало"), Cell::Date(_)));
    assert!(matches!(first_cell(&groups, "мест"), Cell::Number(_)));
    assert!(matches!(first_cell(&groups, "код группы"), Cell::Text(_)));

    // CSV stays the default; `format` wins over `Accept`; an unknown format is malformed.
    let csv = app
        .get("/exports/groups?format=csv")
        .header("Accept", XLSX)
        .token(&regional)
        .send()
        .await;
    csv.assert_status(StatusCode::OK);
    assert!(csv.bytes.starts_with("\u{feff}".as_bytes()));
    let refused = app
        .get("/exports/groups")
        .header("Accept", format!("{XLSX};q=0, text/csv"))
        .token(&regional)
        .send()
        .await;
    assert!(refused.bytes.starts_with("\u{feff}".as_bytes()));
    app.get("/exports/groups?format=pdf")
        .token(&regional)
        .send()
        .await
        .problem(StatusCode::BAD_REQUEST, "malformed_request");
    app.get("/exports/groups?format=xlsx")
        .token(&app.demo_login(Role::ProviderStaff).await)
        .send()
        .await
        .problem(StatusCode::FORBIDDEN, "forbidden");
}

/// A workbook whose first row is `columns` in bold; `rows` writes the data rows.
fn workbook(columns: &[&str], rows: impl FnOnce(&mut Worksheet)) -> Vec<u8> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet();
    for (column, name) in columns.iter().enumerate() {
        sheet
            .write_string(0, column as u16, *name)
            .expect("a header cell");
    }
    rows(sheet);
    workbook.save_to_buffer().expect("a workbook")
}

fn column(columns: &[&str], name: &str) -> u16 {
    columns
        .iter()
        .position(|c| *c == name)
        .unwrap_or_else(|| panic!("no column {name}")) as u16
}

/// A row of text cells, with `typed` writing the cells that Excel would type.
fn text_row(sheet: &mut Worksheet, row: u32, columns: &[&str], cells: &[(&str, &str)]) {
    for (name, value) in cells {
        sheet
            .write_string(row, column(columns, name), *value)
            .expect("a cell");
    }
}

fn excel_date(sheet: &mut Worksheet, row: u32, col: u16, (y, m, d): (u16, u8, u8)) {
    let date = ExcelDateTime::from_ymd(y, m, d).expect("a date");
    let format = Format::new().set_num_format("dd.mm.yyyy");
    sheet
        .write_datetime_with_format(row, col, &date, &format)
        .expect("a date cell");
}

/// An ИНН of a region with a code below 10: it starts with a zero.
fn inn_with_a_leading_zero() -> String {
    let stem = format!("02{:07}", Uuid::new_v4().as_u128() % 10_000_000);
    inn_with_check_digits(&stem).expect("nine digits make an ИНН")
}

async fn a_workbook_typed_in_excel_imports(app: &TestApp) {
    let town = app.arrange_town(TownSpec::default()).await;
    let operator = &town.operator.token;
    let inn = inn_with_a_leading_zero();
    let inn_number: f64 = inn.parse().expect("digits");
    let c = PROVIDER_COLUMNS;
    let providers = workbook(c, |sheet| {
        text_row(
            sheet,
            1,
            c,
            &[
                ("муниципалитет", &town.municipality.name),
                ("наименование", "Клуб «Ладья»"),
                ("ОПФ", "ООО"),
                ("адрес", "г. Тест, ул. Мира, 3"),
                ("телефон", "8 913 111-22-33"),
                ("email", "ladya@club.example"),
                ("лицензия", "Л035-01298-55/00400001"),
            ],
        );
        // Excel takes the ИНН for a number and drops its zero.
        sheet
            .write_number(1, column(c, "ИНН"), inn_number)
            .expect("a number");
        excel_date(sheet, 1, column(c, "дата лицензии"), (2020, 2, 1));
        sheet
            .write_number(1, column(c, "широта"), 54.9)
            .expect("a number");
        sheet
            .write_number(1, column(c, "долгота"), 73.3)
            .expect("a number");
    });
    let report = import(app, operator, RegistryKind::Providers, providers).await;
    assert_eq!((report.rows_read, report.created), (1, 1), "{report:?}");
    let listed: Vec<Provider> = app
        .get(&format!(
            "/providers?municipality_id={}",
            town.municipality.id
        ))
        .send()
        .await
        .ok(StatusCode::OK);
    let ladya = listed
        .iter()
        .find(|p| p.inn == inn)
        .expect("the leading zero is back");
    assert_eq!(ladya.licence_issued_on, NaiveDate::from_ymd_opt(2020, 2, 1));
    assert_eq!((ladya.latitude, ladya.longitude), (Some(54.9), Some(73.3)));

    let c = PROGRAM_COLUMNS;
    let programs = workbook(c, |sheet| {
        text_row(
            sheet,
            1,
            c,
            &[
                ("название", "Шахматы для начинающих"),
                ("описание", "Правила, дебюты и простые комбинации"),
                ("направленность", "social_humanitarian"),
                ("уровень", "starting"),
                ("форма обучения", "in_person"),
                ("финансирование", "certificate"),
                ("адрес", "г. Тест, ул. Мира, 3"),
                ("статус", "draft"),
            ],
        );
        let numbers = [
            ("ИНН поставщика", inn_number),
            ("код программы", 101.0),
            ("возраст от", 7.0),
            ("возраст до", 12.0),
            ("цена в месяц", 2200.5),
            ("часов в неделю", 2.0),
            ("месяцев", 9.0),
        ];
        for (name, value) in numbers {
            sheet
                .write_number(1, column(c, name), value)
                .expect("a number");
        }
        sheet
            .write_boolean(1, column(c, "медицинская справка"), false)
            .expect("a boolean");
        sheet
            .write_boolean(1, column(c, "адаптирована для ОВЗ"), true)
            .expect("a boolean");
    });
    let report = import(app, operator, RegistryKind::Programs, programs).await;
    assert_eq!((report.rows_read, report.created), (1, 1), "{report:?}");

    let c = GROUP_COLUMNS;
    let groups = workbook(c, |sheet| {
        text_row(
            sheet,
            1,
            c,
            &[
                ("код группы", "Г-1"),
                ("название", "Группа 1"),
                ("расписание", "Пн, Ср 16:00–17:30"),
                ("педагог", "Смирнов И. П."),
            ],
        );
        sheet
            .write_number(1, column(c, "ИНН поставщика"), inn_number)
            .expect("a number");
        sheet
            .write_number(1, column(c, "код программы"), 101)
            .expect("a number");
        excel_date(sheet, 1, column(c, "начало"), (2026, 9, 1));
        excel_date(sheet, 1, column(c, "окончание"), (2027, 5, 31));
        sheet
            .write_number(1, column(c, "мест"), 12)
            .expect("a number");
        sheet
            .write_boolean(1, column(c, "набор открыт"), true)
            .expect("a boolean");
    });
    let report = import(app, operator, RegistryKind::Groups, groups).await;
    assert_eq!((report.rows_read, report.created), (1, 1), "{report:?}");

    let page: Page<ProgramSummary> = app
        .get(&format!("/providers/{}/programs", ladya.id))
        .token(operator)
        .send()
        .await
        .ok(StatusCode::OK);
    assert_eq!(page.items.len(), 1);
    let program: Program = app
        .get(&format!("/programs/{}", page.items[0].id))
        .token(operator)
        .send()
        .await
        .ok(StatusCode::OK);
    assert_eq!(program.price_per_month, Money::from_kopecks(220_050));
    assert_eq!(
        (
            program.medical_certificate_required,
            program.adapted_for_disabilities
        ),
        (false, true)
    );
    assert_eq!(program.groups.len(), 1);
    let group = &program.groups[0];
    assert_eq!(
        (group.start_date, group.end_date, group.capacity, group.open),
        (
            NaiveDate::from_ymd_opt(2026, 9, 1).expect("a date"),
            NaiveDate::from_ymd_opt(2027, 5, 31).expect("a date"),
            12,
            true
        )
    );
}

async fn a_bad_cell_of_a_workbook_writes_nothing(app: &TestApp) {
    let town = app.arrange_town(TownSpec::default()).await;
    let operator = &town.operator.token;
    let inn = town.provider.inn.clone();
    let c = PROGRAM_COLUMNS;
    let row = |sheet: &mut Worksheet, row: u32, key: &str, price: f64, age_from: f64| {
        text_row(
            sheet,
            row,
            c,
            &[
                ("ИНН поставщика", &inn),
                ("код программы", key),
                ("название", "Рисование для малышей"),
                ("описание", "Гуашь, акварель и пастель"),
                ("направленность", "arts"),
                ("уровень", "starting"),
                ("форма обучения", "in_person"),
                ("финансирование", "certificate"),
                ("медицинская справка", "нет"),
                ("адаптирована для ОВЗ", "да"),
                ("адрес", "г. Тест, ул. Мира, 3"),
                ("статус", "draft"),
            ],
        );
        for (name, value) in [
            ("возраст от", age_from),
            ("возраст до", 8.0),
            ("цена в месяц", price),
            ("часов в неделю", 2.0),
            ("месяцев", 9.0),
        ] {
            sheet
                .write_number(row, column(c, name), value)
                .expect("a number");
        }
    };
    let file = workbook(c, |sheet| {
        row(sheet, 1, "Р-1", 1500.0, 5.0);
        // Half a kopeck and half a year: ambiguous, refused.
        row(sheet, 2, "Р-2", 22.005, 5.5);
        // A blank row, then a row whose yes/no is neither.
        row(sheet, 4, "Р-3", 1500.0, 5.0);
        sheet
            .write_string(4, column(c, "медицинская справка"), "может быть")
            .expect("a cell");
    });
    let programs_before = app
        .get(&format!("/providers/{}/programs", town.provider.id))
        .token(operator)
        .send()
        .await
        .ok::<Page<ProgramSummary>>(StatusCode::OK)
        .items
        .len();
    let problem = rejected(app, operator, RegistryKind::Programs, file).await;
    assert_eq!(problem.code, "import_rejected");
    assert_eq!(problem.report.rows_read, 3);
    let cells: Vec<(u32, &str, &str)> = problem
        .report
        .errors
        .iter()
        .map(|e| (e.row, e.column.as_str(), e.code.as_str()))
        .collect();
    // Rows as the spreadsheet numbers them: the header is 1, the blank row 4 is skipped.
    assert_eq!(
        cells,
        [
            (3, "возраст от", "integer"),
            (3, "цена в месяц", "money"),
            (5, "медицинская справка", "yes_no"),
        ]
    );
    let programs_after = app
        .get(&format!("/providers/{}/programs", town.provider.id))
        .token(operator)
        .send()
        .await
        .ok::<Page<ProgramSummary>>(StatusCode::OK)
        .items
        .len();
    assert_eq!(programs_before, programs_after, "nothing was written");

    // A date typed as a plain number (its date format lost) is ambiguous too.
    let c = GROUP_COLUMNS;
    let file = workbook(c, |sheet| {
        text_row(
            sheet,
            1,
            c,
            &[
                ("ИНН поставщика", &inn),
                ("код программы", &town.program.id.to_string()),
                ("код группы", "Г-9"),
                ("название", "Группа 9"),
                ("расписание", "Пн 16:00"),
                ("педагог", "Смирнов И. П."),
                ("набор открыт", "да"),
            ],
        );
        sheet
            .write_number(1, column(c, "начало"), 46266)
            .expect("a number");
        excel_date(sheet, 1, column(c, "окончание"), (2027, 5, 31));
        sheet
            .write_number(1, column(c, "мест"), 12)
            .expect("a number");
    });
    let problem = rejected(app, operator, RegistryKind::Groups, file).await;
    let cells: Vec<(u32, &str, &str)> = problem
        .report
        .errors
        .iter()
        .map(|e| (e.row, e.column.as_str(), e.code.as_str()))
        .collect();
    assert_eq!(cells, [(2, "начало", "date")]);
    assert!(problem.report.errors[0].message.contains("формат"));
}

async fn what_is_no_workbook_is_refused_cleanly(app: &TestApp) {
    let town = app.arrange_town(TownSpec::default()).await;
    let operator = &town.operator.token;
    let kind = RegistryKind::Providers;
    for garbage in [
        b"\x00\x01garbage".to_vec(),
        b"PK\x03\x04 a torn zip".to_vec(),
        "муниципалитет;наименование\n".as_bytes().to_vec(),
    ] {
        post(app, operator, kind, XLSX, garbage)
            .send()
            .await
            .problem(StatusCode::BAD_REQUEST, "xlsx_unreadable");
    }
    // A zip that is not a workbook.
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    zip.start_file("hello.txt", zip::write::SimpleFileOptions::default())
        .expect("an entry");
    zip.write_all(b"hello").expect("written");
    let not_a_workbook = zip.finish().expect("a zip").into_inner();
    post(app, operator, kind, XLSX, not_a_workbook)
        .send()
        .await
        .problem(StatusCode::BAD_REQUEST, "xlsx_unreadable");
    // A workbook sent as CSV is not UTF-8 text.
    let providers = workbook(PROVIDER_COLUMNS, |_| {});
    post(app, operator, kind, "text/csv", providers)
        .send()
        .await
        .problem(StatusCode::BAD_REQUEST, "malformed_request");
    // An empty file and an empty workbook are reported like an empty CSV file.
    for empty in [Vec::new(), workbook(&[], |_| {})] {
        let problem = rejected(app, operator, kind, empty).await;
        let codes: Vec<_> = problem
            .report
            .errors
            .iter()
            .map(|e| e.code.as_str())
            .collect();
        assert_eq!(codes, ["file_empty"]);
    }
    // A zip bomb: 300 MiB of zeros in well under 8 MiB, refused before it is parsed.
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("xl/worksheets/sheet1.xml", options)
        .expect("an entry");
    let block = vec![0u8; 1024 * 1024];
    for _ in 0..300 {
        zip.write_all(&block).expect("written");
    }
    let bomb = zip.finish().expect("a zip").into_inner();
    assert!(bomb.len() < 2 * 1024 * 1024, "{} bytes", bomb.len());
    post(app, operator, kind, XLSX, bomb)
        .send()
        .await
        .problem(StatusCode::PAYLOAD_TOO_LARGE, "xlsx_too_large");
    // Other media types.
    post(
        app,
        operator,
        kind,
        "application/vnd.ms-excel",
        b"\xd0\xcf\x11\xe0".to_vec(),
    )
    .send()
    .await
    .problem(StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported_media_type");
    // Nothing of it was written.
    let listed: Vec<Provider> = app
        .get(&format!(
            "/providers?municipality_id={}",
            town.municipality.id
        ))
        .send()
        .await
        .ok(StatusCode::OK);
    assert_eq!(listed.len(), 2);
}
