//! A group edited by its keepers with `If-Match`: its capacity never goes below the seats taken
//! (waitlist offers count), seats it frees go to the waitlist at once, and its dates stay while
//! accepted enrollments' contracts were made from them.

use uuid::Uuid;

use navigator_api_types::{
    Application, Group, GroupDraft, ImportProblem, ImportReport, JoinWaitlistRequest, Page,
    WaitlistEntry, WaitlistStatus,
};
use navigator_tests::world::{Town, TownSpec};
use navigator_tests::{ApiResponse, Family, StatusCode, TestApp};

use super::enrollment::{apply, decide};

navigator_tests::on_both_backends!(
    a_group_is_edited_by_its_keepers_with_its_etag,
    a_group_keeps_its_taken_seats_and_gives_new_ones_to_the_waitlist,
    a_group_keeps_its_dates_once_an_enrollment_was_accepted,
    a_registry_file_edits_a_group_by_the_same_rules,
);

fn draft_of(group: &Group) -> GroupDraft {
    GroupDraft {
        name: group.name.clone(),
        start_date: group.start_date,
        end_date: group.end_date,
        schedule: group.schedule.clone(),
        teacher: group.teacher.clone(),
        capacity: group.capacity,
        open: group.open,
    }
}

fn etag_of(response: &ApiResponse) -> String {
    response
        .headers
        .get("etag")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
        .unwrap_or_else(|| panic!("{}: no ETag", response.operation))
}

async fn put(
    app: &TestApp,
    token: &str,
    id: Uuid,
    etag: Option<&str>,
    d: &GroupDraft,
) -> ApiResponse {
    let request = app
        .request(reqwest::Method::PUT, &format!("/groups/{id}"))
        .token(token)
        .json(d);
    match etag {
        Some(etag) => request.header("If-Match", etag.to_string()).send().await,
        None => request.send().await,
    }
}

async fn read(app: &TestApp, token: &str, id: Uuid) -> (Group, String) {
    let response = app.get(&format!("/groups/{id}")).token(token).send().await;
    let etag = etag_of(&response);
    let group: Group = response.ok(StatusCode::OK);
    assert_eq!(etag, format!("\"v{}\"", group.version));
    (group, etag)
}

/// A town whose certified group of `capacity` seats is full of accepted enrollments, and a
/// family whose child waits in its line.
async fn full_group_with_a_waiting_family(
    app: &TestApp,
    capacity: i64,
) -> (Town, Family, WaitlistEntry) {
    let town = app
        .arrange_town(TownSpec {
            capacity,
            ..TownSpec::default()
        })
        .await;
    let id = town.group.id;
    for _ in 0..capacity {
        let family = app.register_family().await;
        let (child, _) = app.certified_child(&family, &town).await;
        let application: Application = apply(app, &family, child.id, id)
            .await
            .ok(StatusCode::CREATED);
        decide(app, &town.staff.token, application.id, "accept")
            .await
            .assert_status(StatusCode::OK);
    }
    let waiting = app.register_family().await;
    let (child, _) = app.certified_child(&waiting, &town).await;
    let entry: WaitlistEntry = app
        .post(&format!("/groups/{id}/waitlist"))
        .token(&waiting.token)
        .json(&JoinWaitlistRequest { child_id: child.id })
        .send()
        .await
        .ok(StatusCode::CREATED);
    (town, waiting, entry)
}

async fn a_group_is_edited_by_its_keepers_with_its_etag(app: &TestApp) {
    let town = app.arrange_town(TownSpec::default()).await;
    let other = app.arrange_town(TownSpec::default()).await;
    let id = town.group.id;
    let (group, etag) = read(app, &town.staff.token, id).await;
    assert_eq!(group, town.group);

    let mut change = draft_of(&group);
    change.name = "Группа выходного дня".into();
    change.teacher = "Орлова Нина Петровна".into();
    change.schedule = "Сб, Вс 11:00–12:30".into();
    put(app, &town.staff.token, id, None, &change)
        .await
        .problem(StatusCode::PRECONDITION_REQUIRED, "precondition_required");
    // Others' staff and operators do not see the group; a family may not edit.
    for token in [&town.rival_staff.token, &other.operator.token] {
        put(app, token, id, Some(&etag), &change)
            .await
            .problem(StatusCode::NOT_FOUND, "not_found");
        app.get(&format!("/groups/{id}"))
            .token(token)
            .send()
            .await
            .problem(StatusCode::NOT_FOUND, "not_found");
    }
    let family = app.register_family().await;
    put(app, &family.token, id, Some(&etag), &change)
        .await
        .problem(StatusCode::FORBIDDEN, "forbidden");
    put(app, &town.staff.token, Uuid::new_v4(), Some(&etag), &change)
        .await
        .problem(StatusCode::NOT_FOUND, "not_found");

    let response = put(app, &town.staff.token, id, Some(&etag), &change).await;
    let new_etag = etag_of(&response);
    let edited: Group = response.ok(StatusCode::OK);
    assert_eq!(edited.name, "Группа выходного дня");
    assert_eq!(edited.teacher, "Орлова Нина Петровна");
    assert_eq!(edited.version, group.version + 1);
    assert_eq!(new_etag, format!("\"v{}\"", edited.version));
    // The old ETag is stale: nothing changes.
    let mut overwrite = change.clone();
    overwrite.name = "Перезапись".into();
    put(app, &town.staff.token, id, Some(&etag), &overwrite)
        .await
        .problem(StatusCode::PRECONDITION_FAILED, "precondition_failed");
    // The municipality's operator keeps it too, and the catalog shows the change.
    let (seen, etag) = read(app, &town.operator.token, id).await;
    assert_eq!(seen, edited);
    let mut closed = draft_of(&seen);
    closed.open = false;
    let closed: Group = put(app, &town.operator.token, id, Some(&etag), &closed)
        .await
        .ok(StatusCode::OK);
    assert!(!closed.open);
    let program: navigator_api_types::Program = app
        .get(&format!("/programs/{}", town.program.id))
        .send()
        .await
        .ok(StatusCode::OK);
    let listed = program
        .groups
        .iter()
        .find(|g| g.id == id)
        .expect("the group in its program");
    assert_eq!(listed, &closed);
}

async fn a_group_keeps_its_taken_seats_and_gives_new_ones_to_the_waitlist(app: &TestApp) {
    let (town, waiting, entry) = full_group_with_a_waiting_family(app, 2).await;
    let id = town.group.id;
    assert_eq!(entry.status, WaitlistStatus::Waiting);

    let (group, etag) = read(app, &town.staff.token, id).await;
    assert_eq!(group.seats_left, 0);
    let mut fewer = draft_of(&group);
    fewer.capacity = 1;
    let problem = put(app, &town.staff.token, id, Some(&etag), &fewer)
        .await
        .problem(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    assert_eq!(problem.errors.len(), 1);
    assert_eq!(problem.errors[0].field, "capacity");
    assert_eq!(problem.errors[0].code, "capacity_below_seats_taken");

    // Two more seats: the first goes to the waiting child at once, held by the offer.
    let mut more = draft_of(&group);
    more.capacity = 4;
    let grown: Group = put(app, &town.staff.token, id, Some(&etag), &more)
        .await
        .ok(StatusCode::OK);
    assert_eq!((grown.capacity, grown.seats_left), (4, 1));
    let page: Page<WaitlistEntry> = app
        .get("/waitlist")
        .token(&waiting.token)
        .send()
        .await
        .ok(StatusCode::OK);
    let offered = page
        .items
        .iter()
        .find(|e| e.id == entry.id)
        .expect("the waiting family's entry");
    assert_eq!(offered.status, WaitlistStatus::Offered);
    // The held seat counts: the capacity may not drop below three now.
    let (group, etag) = read(app, &town.staff.token, id).await;
    let mut back = draft_of(&group);
    back.capacity = 2;
    put(app, &town.staff.token, id, Some(&etag), &back)
        .await
        .problem(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    back.capacity = 3;
    let exact: Group = put(app, &town.staff.token, id, Some(&etag), &back)
        .await
        .ok(StatusCode::OK);
    assert_eq!(exact.seats_left, 0);
}

async fn a_group_keeps_its_dates_once_an_enrollment_was_accepted(app: &TestApp) {
    let town = app.arrange_town(TownSpec::default()).await;
    let id = town.group.id;
    let family = app.register_family().await;
    let (child, _) = app.certified_child(&family, &town).await;
    let application: Application = apply(app, &family, child.id, id)
        .await
        .ok(StatusCode::CREATED);
    // A submitted application has no contract yet: the dates may still change.
    let (group, etag) = read(app, &town.staff.token, id).await;
    let mut shorter = draft_of(&group);
    shorter.end_date = group.end_date.pred_opt().expect("a day before");
    let moved: Group = put(app, &town.staff.token, id, Some(&etag), &shorter)
        .await
        .ok(StatusCode::OK);
    assert_eq!(moved.end_date, shorter.end_date);
    decide(app, &town.staff.token, application.id, "accept")
        .await
        .assert_status(StatusCode::OK);

    let (group, etag) = read(app, &town.staff.token, id).await;
    let mut longer = draft_of(&group);
    longer.end_date = group.end_date.succ_opt().expect("a day after");
    put(app, &town.staff.token, id, Some(&etag), &longer)
        .await
        .problem(StatusCode::CONFLICT, "group_dates_locked");
    let mut backwards = draft_of(&group);
    backwards.end_date = group.start_date.pred_opt().expect("a day before");
    let problem = put(app, &town.staff.token, id, Some(&etag), &backwards)
        .await
        .problem(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    assert_eq!(problem.errors[0].code, "invalid_group");
    // Everything but the dates still changes.
    let mut teacher = draft_of(&group);
    teacher.teacher = "Петров Пётр Петрович".into();
    let changed: Group = put(app, &town.staff.token, id, Some(&etag), &teacher)
        .await
        .ok(StatusCode::OK);
    assert_eq!(
        (changed.start_date, changed.end_date),
        (group.start_date, group.end_date)
    );
}

/// The groups file as the operator exports it, with the row of group `id` changed by `edit`
/// (the cells in the file's column order).
async fn groups_file_with(
    app: &TestApp,
    token: &str,
    id: Uuid,
    edit: impl Fn(&mut Vec<String>),
) -> String {
    let response = app.get("/exports/groups").token(token).send().await;
    response.assert_status(StatusCode::OK);
    let file = response.body.as_str().expect("a CSV file").to_string();
    let key = id.to_string();
    let mut found = false;
    let lines: Vec<String> = file
        .split("\r\n")
        .map(|line| {
            let mut cells: Vec<String> = line.split(';').map(str::to_string).collect();
            if cells.get(2) == Some(&key) {
                found = true;
                edit(&mut cells);
            }
            cells.join(";")
        })
        .collect();
    assert!(found, "the group's row in the export: {file}");
    lines.join("\r\n")
}

async fn import_groups(app: &TestApp, token: &str, file: String) -> ApiResponse {
    app.post("/imports/groups")
        .token(token)
        .raw("text/csv", file)
        .send()
        .await
}

/// A registry file changes a group under the rules of `PUT /groups/{id}`: the dates stay once
/// a contract was made from them, the capacity stays above the seats taken, and the seats a
/// larger capacity frees are offered to the waitlist in the import's transaction.
async fn a_registry_file_edits_a_group_by_the_same_rules(app: &TestApp) {
    let (town, waiting, entry) = full_group_with_a_waiting_family(app, 1).await;
    let id = town.group.id;
    let operator = &town.operator.token;
    let (before, _) = read(app, operator, id).await;

    // Columns: ИНН, program, group, name, start (4), end (5), schedule, teacher, seats (8), open.
    let later = before.end_date.succ_opt().expect("a day after").to_string();
    let later_end = groups_file_with(app, operator, id, |cells| cells[5] = later.clone()).await;
    let problem: ImportProblem = import_groups(app, operator, later_end)
        .await
        .ok(StatusCode::UNPROCESSABLE_ENTITY);
    let cells: Vec<_> = problem
        .report
        .errors
        .iter()
        .map(|e| (e.column.as_str(), e.code.as_str()))
        .collect();
    assert_eq!(cells, [("начало", "group_dates_locked")]);

    let more = groups_file_with(app, operator, id, |cells| cells[8] = "3".into()).await;
    let report: ImportReport = import_groups(app, operator, more).await.ok(StatusCode::OK);
    assert_eq!(report.updated, 1);
    let (grown, _) = read(app, operator, id).await;
    // One seat taken, one held by the offer to the waiting child, one left.
    assert_eq!((grown.capacity, grown.seats_left), (3, 1));
    assert_eq!(
        (grown.start_date, grown.end_date),
        (before.start_date, before.end_date)
    );
    let page: Page<WaitlistEntry> = app
        .get("/waitlist")
        .token(&waiting.token)
        .send()
        .await
        .ok(StatusCode::OK);
    let offered = page
        .items
        .iter()
        .find(|e| e.id == entry.id)
        .expect("listed");
    assert_eq!(offered.status, WaitlistStatus::Offered);

    // Two seats are taken now (an enrollment and an offer): a file may not leave one.
    let fewer = groups_file_with(app, operator, id, |cells| cells[8] = "1".into()).await;
    let problem: ImportProblem = import_groups(app, operator, fewer)
        .await
        .ok(StatusCode::UNPROCESSABLE_ENTITY);
    let cells: Vec<_> = problem
        .report
        .errors
        .iter()
        .map(|e| (e.column.as_str(), e.code.as_str()))
        .collect();
    assert_eq!(cells, [("мест", "capacity_below_seats_taken")]);
    let (after, _) = read(app, operator, id).await;
    assert_eq!(after, grown, "a refused file changes nothing");
}
