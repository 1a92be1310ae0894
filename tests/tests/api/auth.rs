//! Accounts and sessions: registration, sign-in, refresh-token rotation, sign-out, `/me`.

use serde_json::json;

use navigator_api_types::{RefreshRequest, RegisterRequest, Role, Tokens, User};
use navigator_server::seed::DEMO_ACCOUNTS;
use navigator_tests::{StatusCode, TestApp};

navigator_tests::on_both_backends!(
    registration_signs_the_family_in,
    registration_refuses_a_bad_email_and_a_short_password,
    an_email_registers_once_whatever_its_case,
    sign_in_refuses_a_wrong_password,
    every_demo_account_signs_in_with_its_role,
    refresh_rotates_and_a_reused_token_revokes_the_whole_family,
    sign_out_revokes_the_refresh_token,
    me_needs_a_valid_access_token,
);

fn register_request(email: &str, password: &str) -> RegisterRequest {
    RegisterRequest {
        email: email.into(),
        password: password.into(),
        full_name: "Иванова Мария Петровна".into(),
        municipality_id: None,
    }
}

async fn registration_signs_the_family_in(app: &TestApp) {
    let family = app.register_family().await;
    assert_eq!(family.tokens.token_type, "Bearer");
    assert!(family.tokens.expires_in > 0);
    assert!(!family.tokens.refresh_token.is_empty());
    assert_eq!(family.user.role, Role::Family);
    assert_eq!(family.user.email, family.email);
    assert_eq!(family.user.provider_id, None);

    let me: User = app
        .get("/me")
        .token(&family.token)
        .send()
        .await
        .ok(StatusCode::OK);
    assert_eq!(me, family.user);

    // The password works for signing in again.
    let again = app.sign_in(&family.email, &family.password).await;
    assert_eq!(again.user.id, family.user.id);
}

async fn registration_refuses_a_bad_email_and_a_short_password(app: &TestApp) {
    let fields_of = |problem: navigator_api_types::Problem| {
        problem
            .errors
            .iter()
            .map(|e| (e.field.clone(), e.code.clone()))
            .collect::<Vec<_>>()
    };

    let problem = app
        .post("/auth/register")
        .json(&register_request("not-an-email", "long enough password"))
        .send()
        .await
        .problem(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    assert_eq!(
        fields_of(problem),
        vec![("email".to_string(), "email_invalid".to_string())]
    );

    let problem = app
        .post("/auth/register")
        .json(&register_request("parent@tests.example", "short"))
        .send()
        .await
        .problem(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    assert_eq!(
        fields_of(problem),
        vec![("password".to_string(), "password_too_weak".to_string())]
    );

    let problem = app
        .post("/auth/register")
        .json(&register_request("nope", "short"))
        .send()
        .await
        .problem(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    let mut fields: Vec<String> = problem.errors.into_iter().map(|e| e.field).collect();
    fields.sort();
    assert_eq!(fields, ["email", "password"]);

    // Nothing was created: the address is still free.
    app.post("/auth/register")
        .json(&register_request(
            "parent@tests.example",
            "long enough password",
        ))
        .send()
        .await
        .assert_status(StatusCode::CREATED);
}

async fn an_email_registers_once_whatever_its_case(app: &TestApp) {
    let family = app.register_family().await;
    app.post("/auth/register")
        .json(&register_request(&family.email, "another long password"))
        .send()
        .await
        .problem(StatusCode::CONFLICT, "email_taken");
    app.post("/auth/register")
        .json(&register_request(
            &family.email.to_uppercase(),
            "another long password",
        ))
        .send()
        .await
        .problem(StatusCode::CONFLICT, "email_taken");
}

async fn sign_in_refuses_a_wrong_password(app: &TestApp) {
    let family = app.register_family().await;
    let wrong = app
        .post("/auth/login")
        .json(&json!({"email": family.email, "password": "not the password"}))
        .send()
        .await
        .problem(StatusCode::UNAUTHORIZED, "invalid_credentials");
    // An unknown email gets the very same answer, so that accounts cannot be discovered.
    let unknown = app
        .post("/auth/login")
        .json(&json!({"email": "nobody@tests.example", "password": "not the password"}))
        .send()
        .await
        .problem(StatusCode::UNAUTHORIZED, "invalid_credentials");
    assert_eq!(wrong.detail, unknown.detail);

    let tokens = app.sign_in(&family.email, &family.password).await;
    assert_eq!(tokens.user.id, family.user.id);
}

async fn every_demo_account_signs_in_with_its_role(app: &TestApp) {
    let mut roles = Vec::new();
    for account in DEMO_ACCOUNTS {
        let token = app.login(account.email, account.password).await;
        let me: User = app.get("/me").token(&token).send().await.ok(StatusCode::OK);
        assert_eq!(me.role.as_str(), account.role, "{}", account.email);
        roles.push(me.role);
    }
    for role in Role::ALL {
        assert!(roles.contains(&role), "no demo account of {role:?}");
    }
}

async fn refresh(app: &TestApp, refresh_token: &str) -> navigator_tests::ApiResponse {
    app.post("/auth/refresh")
        .json(&RefreshRequest {
            refresh_token: refresh_token.into(),
        })
        .send()
        .await
}

async fn refresh_rotates_and_a_reused_token_revokes_the_whole_family(app: &TestApp) {
    let family = app.register_family().await;
    let first = family.tokens.refresh_token.clone();

    let rotated: Tokens = refresh(app, &first).await.ok(StatusCode::OK);
    assert_ne!(rotated.refresh_token, first);
    assert_eq!(rotated.user.id, family.user.id);
    let me: User = app
        .get("/me")
        .token(&rotated.access_token)
        .send()
        .await
        .ok(StatusCode::OK);
    assert_eq!(me.id, family.user.id);

    // The first token again: someone kept a copy. It is refused, and so is every token of its
    // sign-in, the legitimate newest one included.
    refresh(app, &first)
        .await
        .problem(StatusCode::UNAUTHORIZED, "refresh_token_reused");
    refresh(app, &rotated.refresh_token)
        .await
        .problem(StatusCode::UNAUTHORIZED, "invalid_refresh_token");

    // Signing in again starts a new family of tokens that works.
    let fresh = app.sign_in(&family.email, &family.password).await;
    let _: Tokens = refresh(app, &fresh.refresh_token).await.ok(StatusCode::OK);
}

async fn sign_out_revokes_the_refresh_token(app: &TestApp) {
    let family = app.register_family().await;
    let response = app
        .post("/auth/logout")
        .json(&RefreshRequest {
            refresh_token: family.tokens.refresh_token.clone(),
        })
        .send()
        .await;
    response.assert_status(StatusCode::NO_CONTENT);
    refresh(app, &family.tokens.refresh_token)
        .await
        .problem(StatusCode::UNAUTHORIZED, "invalid_refresh_token");
    // An unknown token signs out quietly too.
    app.post("/auth/logout")
        .json(&RefreshRequest {
            refresh_token: "never-issued".into(),
        })
        .send()
        .await
        .assert_status(StatusCode::NO_CONTENT);
}

async fn me_needs_a_valid_access_token(app: &TestApp) {
    let response = app.get("/me").send().await;
    response.assert_status(StatusCode::UNAUTHORIZED);
    let challenge = response
        .headers
        .get("www-authenticate")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    assert!(
        challenge.starts_with("Bearer"),
        "WWW-Authenticate: {challenge:?}"
    );

    app.get("/me")
        .token("not-a-jwt")
        .send()
        .await
        .problem(StatusCode::UNAUTHORIZED, "unauthorized");

    // A real token with one character of its signature changed.
    let family = app.register_family().await;
    let forged = forge_signature(&family.token);
    app.get("/me")
        .token(&forged)
        .send()
        .await
        .problem(StatusCode::UNAUTHORIZED, "unauthorized");
    // A refresh token is not an access token.
    app.get("/me")
        .token(&family.tokens.refresh_token)
        .send()
        .await
        .problem(StatusCode::UNAUTHORIZED, "unauthorized");
}

/// The token with the sixth character of its signature replaced: a full six bits of the
/// signature change (the last character would only touch padding bits).
fn forge_signature(token: &str) -> String {
    let signature_start = token.rfind('.').expect("a JWT has three parts") + 1;
    let mut forged: Vec<char> = token.chars().collect();
    let i = signature_start + 5;
    forged[i] = if forged[i] == 'A' { 'B' } else { 'A' };
    forged.into_iter().collect()
}
