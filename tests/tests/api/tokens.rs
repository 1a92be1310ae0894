//! Hostile tokens and credentials: every forged, tampered, foreign-algorithm, expired or spent
//! token is refused with `401` problem+json; sign-in is throttled per account and per address;
//! passwords meet a minimum policy.

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::Utc;
use jsonwebtoken::{Algorithm, EncodingKey};
use serde_json::{json, Value};
use uuid::Uuid;

use navigator_api_types::{Role, Tokens};
use navigator_server::settings::Settings;
use navigator_tests::{StatusCode, TestApp};

navigator_tests::on_both_backends!(
    forged_and_tampered_access_tokens_are_refused,
    spent_refresh_tokens_are_refused,
    sign_in_is_throttled_per_account,
    sign_in_is_throttled_per_address,
    passwords_meet_the_policy,
);

/// The key the test servers sign with.
fn server_key() -> Vec<u8> {
    Settings::for_tests("")
        .jwt_secret
        .expose()
        .as_bytes()
        .to_vec()
}

fn encode_part(value: &Value) -> String {
    URL_SAFE_NO_PAD.encode(value.to_string())
}

/// `header.payload.signature`, the signature made with `algorithm` and `key` over the first two.
fn signed(header: &Value, claims: &Value, algorithm: Algorithm, key: &[u8]) -> String {
    let message = format!("{}.{}", encode_part(header), encode_part(claims));
    let signature = jsonwebtoken::crypto::sign(
        message.as_bytes(),
        &EncodingKey::from_secret(key),
        algorithm,
    )
    .unwrap_or_else(|e| panic!("signing failed: {e}"));
    format!("{message}.{signature}")
}

/// The claims of a valid token of `user`, as the server writes them.
fn claims_of(token: &str) -> Value {
    let payload = token.split('.').nth(1).unwrap_or_default();
    let bytes = URL_SAFE_NO_PAD
        .decode(payload)
        .unwrap_or_else(|e| panic!("the payload is not base64url: {e}"));
    serde_json::from_slice(&bytes).unwrap_or_else(|e| panic!("the payload is not JSON: {e}"))
}

async fn forged_and_tampered_access_tokens_are_refused(app: &TestApp) {
    let family = app.register_family().await;
    let genuine = claims_of(&family.token);
    let now = Utc::now().timestamp();
    let key = server_key();
    let hs256 = json!({"alg": "HS256", "typ": "JWT"});
    let as_regional = {
        let mut claims = genuine.clone();
        claims["role"] = json!("regional_operator");
        claims
    };
    let expired = {
        let mut claims = genuine.clone();
        claims["iat"] = json!(now - 3600);
        claims["exp"] = json!(now - 60);
        claims
    };
    let unknown_user = {
        let mut claims = genuine.clone();
        claims["sub"] = json!(Uuid::new_v4());
        claims
    };
    // The genuine signature over a payload with the role changed.
    let tampered = {
        let parts: Vec<&str> = family.token.split('.').collect();
        format!("{}.{}.{}", parts[0], encode_part(&as_regional), parts[2])
    };
    let unsigned = |alg: &str| {
        format!(
            "{}.{}.",
            encode_part(&json!({"alg": alg, "typ": "JWT"})),
            encode_part(&as_regional)
        )
    };

    let hostile = [
        ("alg none", unsigned("none")),
        ("alg None", unsigned("None")),
        ("alg NONE", unsigned("NONE")),
        (
            "HS256 with another key",
            signed(
                &hs256,
                &as_regional,
                Algorithm::HS256,
                b"an-attackers-key-of-enough-length-0123456789",
            ),
        ),
        (
            "HS384 with the server's key",
            signed(
                &json!({"alg": "HS384", "typ": "JWT"}),
                &as_regional,
                Algorithm::HS384,
                &key,
            ),
        ),
        (
            "HS512 with the server's key",
            signed(
                &json!({"alg": "HS512", "typ": "JWT"}),
                &as_regional,
                Algorithm::HS512,
                &key,
            ),
        ),
        (
            "RS256 header, HMAC signature with the server's key",
            signed(
                &json!({"alg": "RS256", "typ": "JWT"}),
                &as_regional,
                Algorithm::HS256,
                &key,
            ),
        ),
        ("tampered role, old signature", tampered),
        ("expired", signed(&hs256, &expired, Algorithm::HS256, &key)),
        (
            "no expiry",
            signed(
                &hs256,
                &json!({"sub": genuine["sub"], "role": "family", "iat": now, "jti": Uuid::new_v4()}),
                Algorithm::HS256,
                &key,
            ),
        ),
        ("garbage", "not.a.token".to_string()),
        ("empty signature", {
            let parts: Vec<&str> = family.token.split('.').collect();
            format!("{}.{}.", parts[0], parts[1])
        }),
    ];
    for (what, token) in &hostile {
        for path in ["/me", "/children", "/certificates"] {
            let response = app.get(path).token(token).send().await;
            assert_eq!(
                response.status,
                StatusCode::UNAUTHORIZED,
                "{what} on {path}: {:#}",
                response.body
            );
            response.problem(StatusCode::UNAUTHORIZED, "unauthorized");
        }
    }

    // A well-signed token of a user that does not exist acts for no one: it sees nothing and
    // changes nothing.
    let ghost = signed(&hs256, &unknown_user, Algorithm::HS256, &key);
    let children: Value = app
        .get("/children")
        .token(&ghost)
        .send()
        .await
        .ok(StatusCode::OK);
    assert_eq!(children, json!([]), "{children:#}");
    let me = app.get("/me").token(&ghost).send().await;
    assert!(
        matches!(me.status.as_u16(), 401 | 404),
        "a token of no user answers {}",
        me.status
    );

    // The genuine token still works: the refusals above were about the tokens.
    app.get("/me")
        .token(&family.token)
        .send()
        .await
        .assert_status(StatusCode::OK);
    // A scheme other than Bearer is refused too.
    app.get("/me")
        .header("Authorization", format!("Basic {}", family.token))
        .send()
        .await
        .problem(StatusCode::UNAUTHORIZED, "unauthorized");
}

async fn refresh(app: &TestApp, refresh_token: &str) -> navigator_tests::ApiResponse {
    app.post("/auth/refresh")
        .json(&json!({"refresh_token": refresh_token}))
        .send()
        .await
}

async fn spent_refresh_tokens_are_refused(app: &TestApp) {
    let family = app.register_family().await;

    // Reused after rotation: the whole session is revoked, the rotated token included.
    let first = family.tokens.refresh_token.clone();
    let second: Tokens = refresh(app, &first).await.ok(StatusCode::OK);
    refresh(app, &first)
        .await
        .problem(StatusCode::UNAUTHORIZED, "refresh_token_reused");
    refresh(app, &second.refresh_token)
        .await
        .problem(StatusCode::UNAUTHORIZED, "invalid_refresh_token");

    // After sign-out.
    let session = app.sign_in(&family.email, &family.password).await;
    app.post("/auth/logout")
        .json(&json!({"refresh_token": session.refresh_token}))
        .send()
        .await
        .assert_status(StatusCode::NO_CONTENT);
    refresh(app, &session.refresh_token)
        .await
        .problem(StatusCode::UNAUTHORIZED, "invalid_refresh_token");

    // Never issued.
    refresh(app, &URL_SAFE_NO_PAD.encode([7u8; 32]))
        .await
        .problem(StatusCode::UNAUTHORIZED, "invalid_refresh_token");
}

async fn sign_in_attempt(
    app: &TestApp,
    email: &str,
    password: &str,
) -> navigator_tests::ApiResponse {
    app.post("/auth/login")
        .json(&json!({"email": email, "password": password}))
        .send()
        .await
}

/// The throttle's limits, as the sign-in operation documents them.
const PER_ACCOUNT: usize = 10;
const PER_ADDRESS: usize = 50;

fn retry_after(response: &navigator_tests::ApiResponse) -> u64 {
    response
        .headers
        .get("retry-after")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| panic!("429 without a numeric Retry-After: {:?}", response.headers))
}

async fn sign_in_is_throttled_per_account(app: &TestApp) {
    let family = app.register_family().await;
    for _ in 0..PER_ACCOUNT {
        sign_in_attempt(app, &family.email, "a wrong password, guessed")
            .await
            .problem(StatusCode::UNAUTHORIZED, "invalid_credentials");
    }
    // Now even the right password waits, whatever the email's case.
    let blocked = sign_in_attempt(app, &family.email.to_uppercase(), &family.password).await;
    let wait = retry_after(&blocked);
    assert!((1..=15 * 60).contains(&wait), "Retry-After {wait}");
    blocked.problem(StatusCode::TOO_MANY_REQUESTS, "too_many_attempts");
    // Another account from the same address is not blocked by this one's failures.
    let other = app.register_family().await;
    sign_in_attempt(app, &other.email, &other.password)
        .await
        .assert_status(StatusCode::OK);
}

async fn sign_in_is_throttled_per_address(app: &TestApp) {
    let family = app.register_family().await;
    // Many accounts guessed from one address, each fewer times than its own limit.
    for i in 0..PER_ADDRESS {
        sign_in_attempt(app, &format!("guess-{i}@tests.example"), "a wrong password")
            .await
            .problem(StatusCode::UNAUTHORIZED, "invalid_credentials");
    }
    let blocked = sign_in_attempt(app, &family.email, &family.password).await;
    retry_after(&blocked);
    blocked.problem(StatusCode::TOO_MANY_REQUESTS, "too_many_attempts");
    // Registration is not sign-in: a new family still gets its tokens.
    app.register_family().await;
}

async fn passwords_meet_the_policy(app: &TestApp) {
    let register = |email: &str, password: &str| {
        app.post("/auth/register").json(&json!({
            "email": email, "password": password, "full_name": "Петрова Анна"
        }))
    };
    let email = format!("anna-{}@tests.example", Uuid::new_v4().simple());
    let refused = [
        ("short", "password_too_weak"),
        (email.as_str(), "password_same_as_email"),
        (
            email.split('@').next().unwrap_or_default(),
            "password_same_as_email",
        ),
        ("qwertyuiop", "password_too_common"),
        ("1234567890", "password_too_common"),
        ("Password123", "password_too_common"),
        ("aaaaaaaaaaaa", "password_too_common"),
        ("йцукенгшщз", "password_too_common"),
    ];
    for (password, code) in refused {
        let problem = register(&email, password)
            .send()
            .await
            .problem(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
        let fields: Vec<(&str, &str)> = problem
            .errors
            .iter()
            .map(|e| (e.field.as_str(), e.code.as_str()))
            .collect();
        assert_eq!(fields, [("password", code)], "{password}");
    }
    // Nothing was created: the email is still free.
    register(&email, "correct horse battery staple")
        .send()
        .await
        .assert_status(StatusCode::CREATED);

    // Staff accounts follow the same policy.
    let regional = app.demo_login(Role::RegionalOperator).await;
    let municipality: Value = app.get("/municipalities").send().await.ok(StatusCode::OK);
    let municipality_id = municipality[0]["id"].clone();
    let staff_email = format!("operator-{}@tests.example", Uuid::new_v4().simple());
    let problem = app
        .post("/users")
        .token(&regional)
        .json(&json!({
            "email": staff_email, "password": "qwerty123456", "full_name": "Орлова Нина",
            "role": "municipal_operator", "municipality_id": municipality_id
        }))
        .send()
        .await
        .problem(StatusCode::UNPROCESSABLE_ENTITY, "validation_failed");
    assert_eq!(problem.errors[0].code, "password_too_common");
}
