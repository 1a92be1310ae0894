//! Acting for a family with its consent: staff register a family that came in person (the parent
//! sets a password from the invitation letter), issue the certificate at the desk and file an
//! application for it, with the consent recorded and the family notified.

use chrono::Days;
use uuid::Uuid;

use navigator_api_types::{
    ActivateFamilyRequest, Application, Certificate, CertificateStatus, Consent, ConsentMethod,
    CreateApplicationRequest, CreateChildRequest, NotificationKind, NotificationPage, OnBehalf,
    RegisterFamilyRequest, RegisteredFamily, Role, User,
};
use navigator_tests::world::{first_of_month, random_snils, Town, TownSpec};
use navigator_tests::{ApiResponse, StatusCode, TestApp};

navigator_tests::on_both_backends!(
    staff_register_a_family_at_the_desk_and_file_for_it,
    filing_for_a_family_is_refused_outside_the_rules,
);

fn consent(app: &TestApp) -> Consent {
    Consent {
        method: ConsentMethod::Written,
        document: "Заявление № 17".into(),
        given_at: app.today,
    }
}

fn registration(app: &TestApp, town: &Town, email: &str) -> RegisterFamilyRequest {
    RegisterFamilyRequest {
        email: email.into(),
        full_name: "Сидорова Елена Викторовна".into(),
        child: CreateChildRequest {
            first_name: "Пётр".into(),
            last_name: "Сидоров".into(),
            middle_name: None,
            birth_date: first_of_month(app.today, -(9 * 12 + 2)),
            snils: random_snils().to_string(),
            municipality_id: town.municipality.id,
        },
        consent: consent(app),
    }
}

async fn file_for(
    app: &TestApp,
    token: &str,
    child_id: Uuid,
    group_id: Uuid,
    consent: Consent,
) -> ApiResponse {
    app.post("/applications")
        .token(token)
        .json(&CreateApplicationRequest {
            child_id,
            group_id,
            on_behalf: Some(OnBehalf { consent }),
        })
        .send()
        .await
}

/// The token of the invitation letter sent to `email`.
/// The token of the link in the letter: in the fragment, which no server log sees.
fn invitation_token(app: &TestApp, email: &str) -> String {
    let letter = app
        .letters()
        .into_iter()
        .find(|l| l.to == email)
        .unwrap_or_else(|| panic!("an invitation letter to {email}"));
    letter
        .body
        .split("/activate#")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .unwrap_or_else(|| panic!("a token in the letter: {}", letter.body))
        .to_owned()
}

async fn staff_register_a_family_at_the_desk_and_file_for_it(app: &TestApp) {
    let town = app.arrange_town(TownSpec::default()).await;
    let email = format!("desk-{}@tests.example", Uuid::new_v4().simple());
    let registered: RegisteredFamily = app
        .post("/families")
        .token(&town.staff.token)
        .json(&registration(app, &town, &email))
        .send()
        .await
        .ok(StatusCode::CREATED);
    assert_eq!(registered.user.role, Role::Family);
    assert_eq!(registered.child.first_name, "Пётр");
    let token = invitation_token(app, &email);
    // No password opens the account before the invitation is followed.
    app.post("/auth/login")
        .json(&serde_json::json!({"email": email, "password": "any password at all"}))
        .send()
        .await
        .problem(StatusCode::UNAUTHORIZED, "invalid_credentials");

    // The desk issues the certificate at once (documents checked in person) and files for the
    // family with its written consent.
    let certificate: Certificate = app
        .post(&format!("/children/{}/certificate", registered.child.id))
        .token(&town.staff.token)
        .send()
        .await
        .ok(StatusCode::CREATED);
    assert_eq!(certificate.status, CertificateStatus::Accounting);
    let application: Application = file_for(
        app,
        &town.staff.token,
        registered.child.id,
        town.group.id,
        consent(app),
    )
    .await
    .ok(StatusCode::CREATED);
    let on_behalf = application
        .on_behalf
        .clone()
        .expect("the consent is recorded");
    assert_eq!(on_behalf.filed_by, town.staff.user.id);
    assert_eq!(on_behalf.filed_by_role, Role::ProviderStaff);
    assert_eq!(on_behalf.consent, consent(app));

    // The parent sets a password from the letter, once.
    let password = "a new password for the parent";
    let user: User = app
        .post("/families/activate")
        .json(&ActivateFamilyRequest {
            token: token.clone(),
            password: password.into(),
        })
        .send()
        .await
        .ok(StatusCode::OK);
    assert_eq!(user.id, registered.user.id);
    app.post("/families/activate")
        .json(&ActivateFamilyRequest {
            token,
            password: "yet another password".into(),
        })
        .send()
        .await
        .problem(StatusCode::NOT_FOUND, "not_found");
    let family_token = app.login(&email, password).await;

    // The family sees the application with the consent, and was told it was filed for it.
    let seen: Application = app
        .get(&format!("/applications/{}", application.id))
        .token(&family_token)
        .send()
        .await
        .ok(StatusCode::OK);
    assert_eq!(seen.on_behalf, application.on_behalf);
    let page: NotificationPage = app
        .get("/notifications")
        .token(&family_token)
        .send()
        .await
        .ok(StatusCode::OK);
    let filed = page
        .items
        .iter()
        .find(|n| n.kind == NotificationKind::ApplicationSubmitted)
        .expect("the family is told of the application");
    assert!(filed.parameters.on_behalf);
    assert!(filed.text.contains("С вашего согласия"), "{}", filed.text);
}

async fn filing_for_a_family_is_refused_outside_the_rules(app: &TestApp) {
    let town = app.arrange_town(TownSpec::default()).await;
    let family = app.register_family().await;
    let (child, _) = app.certified_child(&family, &town).await;

    // A family does not file "for itself" with a consent; staff do not file without one.
    file_for(app, &family.token, child.id, town.group.id, consent(app))
        .await
        .problem(StatusCode::FORBIDDEN, "forbidden");
    app.post("/applications")
        .token(&town.staff.token)
        .json(&CreateApplicationRequest {
            child_id: child.id,
            group_id: town.group.id,
            on_behalf: None,
        })
        .send()
        .await
        .problem(StatusCode::FORBIDDEN, "forbidden");
    // Another provider's group is not this staff's to file for.
    file_for(
        app,
        &town.rival_staff.token,
        child.id,
        town.group.id,
        consent(app),
    )
    .await
    .problem(StatusCode::NOT_FOUND, "not_found");
    // A consent from the future, or with no document, is no consent.
    let tomorrow = Consent {
        given_at: app.today.checked_add_days(Days::new(1)).expect("tomorrow"),
        ..consent(app)
    };
    file_for(app, &town.staff.token, child.id, town.group.id, tomorrow)
        .await
        .problem(StatusCode::UNPROCESSABLE_ENTITY, "consent_invalid");
    let blank = Consent {
        document: String::new(),
        ..consent(app)
    };
    file_for(app, &town.staff.token, child.id, town.group.id, blank)
        .await
        .problem(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    // The operator of another municipality does not act here.
    let other = app.arrange_town(TownSpec::default()).await;
    file_for(
        app,
        &other.operator.token,
        child.id,
        town.group.id,
        consent(app),
    )
    .await
    .problem(StatusCode::NOT_FOUND, "not_found");
    // None of this filed anything.
    let page: navigator_api_types::Page<Application> = app
        .get("/applications")
        .token(&family.token)
        .send()
        .await
        .ok(StatusCode::OK);
    assert!(page.items.is_empty());
    // The operator of the town files for its family.
    let filed: Application = file_for(
        app,
        &town.operator.token,
        child.id,
        town.group.id,
        consent(app),
    )
    .await
    .ok(StatusCode::CREATED);
    assert_eq!(
        filed.on_behalf.map(|o| o.filed_by_role),
        Some(Role::MunicipalOperator)
    );

    // Registering at the desk: the address must be free, the role staff, the consent given.
    let taken = registration(app, &town, &family.email);
    app.post("/families")
        .token(&town.staff.token)
        .json(&taken)
        .send()
        .await
        .problem(StatusCode::CONFLICT, "email_taken");
    app.post("/families")
        .token(&family.token)
        .json(&registration(app, &town, "someone@tests.example"))
        .send()
        .await
        .problem(StatusCode::FORBIDDEN, "forbidden");
    let mut future = registration(app, &town, "future@tests.example");
    future.consent.given_at = app.today.checked_add_days(Days::new(1)).expect("tomorrow");
    app.post("/families")
        .token(&town.staff.token)
        .json(&future)
        .send()
        .await
        .problem(StatusCode::UNPROCESSABLE_ENTITY, "consent_invalid");
    app.post("/families")
        .token(&other.operator.token)
        .json(&registration(app, &town, "elsewhere@tests.example"))
        .send()
        .await
        .problem(StatusCode::UNPROCESSABLE_ENTITY, "other_municipality");
    app.post("/families/activate")
        .json(&ActivateFamilyRequest {
            token: "not a token we gave".into(),
            password: "whatever password".into(),
        })
        .send()
        .await
        .problem(StatusCode::NOT_FOUND, "not_found");
    // No letter went out for any refused registration.
    assert!(app.letters().is_empty());
}
