//! Authentication: argon2id password hashes, short-lived JWT access tokens, opaque rotating refresh
//! tokens, and the extractors that turn `Authorization: Bearer …` into a [`navigator_store::Actor`].

use std::future::{ready, Ready};

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{web, FromRequest, HttpRequest};
use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::Argon2;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use chrono::{DateTime, Duration, Utc};
use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use navigator_api_types::{Role, User};
use navigator_store::Actor;
use rand::RngCore;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use crate::error::ApiError;
use crate::settings::Secret;

/// How long an access token is good for. Short, because it cannot be revoked: signing out revokes
/// the refresh token and the access token dies on its own soon after.
pub const ACCESS_TOKEN_TTL: Duration = Duration::minutes(15);

/// How long a refresh token is good for; each refresh issues a new one with a new term.
pub const REFRESH_TOKEN_TTL: Duration = Duration::days(30);

// ---------------------------------------------------------------------------------------------
// Passwords

/// Hashes a password with argon2id (the crate's defaults: 19 MiB, 2 passes, 1 lane, as OWASP
/// recommends) and a random salt, in the PHC string format. Slow on purpose: call it off the async
/// executor (`web::block`) in request handlers.
pub fn hash_password(password: &str) -> String {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        // Fails only for inputs beyond argon2's limits (passwords over 4 GiB); requests cap
        // passwords at 128 characters.
        .expect("argon2id hashes any password under 4 GiB with a generated salt")
        .to_string()
}

/// Whether the password matches a hash made by [`hash_password`]. A malformed hash matches
/// nothing.
pub fn verify_password(password: &str, password_hash: &str) -> bool {
    PasswordHash::new(password_hash)
        .map(|parsed| {
            Argon2::default()
                .verify_password(password.as_bytes(), &parsed)
                .is_ok()
        })
        .unwrap_or(false)
}

/// Passwords everyone tries first: the longest entries of the public lists of most common
/// passwords (shorter ones already fail the length rule of 10 characters), in Latin and Cyrillic
/// keyboard layouts. Compared case-insensitively.
const COMMON_PASSWORDS: &[&str] = &[
    "0000000000",
    "0123456789",
    "0987654321",
    "1111111111",
    "1122334455",
    "1234512345",
    "1234567890",
    "12345678910",
    "1234567890q",
    "123456789a",
    "1234qwerty",
    "1q2w3e4r5t",
    "1q2w3e4r5t6y",
    "1qaz2wsx3edc",
    "5555555555",
    "7777777777",
    "9876543210",
    "a123456789",
    "administrator",
    "iloveyou12",
    "password12",
    "password123",
    "password1234",
    "passw0rd123",
    "q1w2e3r4t5",
    "qazwsxedcrfv",
    "qwerty1234",
    "qwerty12345",
    "qwerty123456",
    "qwertyqwerty",
    "qwertyuiop",
    "zxcvbnm123",
    "йцукенгшщз",
    "пароль1234",
    "парольпароль",
];

/// The password policy beyond its length (checked by the request's `validator` rules): not the
/// account's email (or its name part), not one character repeated, not a most common password.
/// Answers `validation_failed` on the `password` field with a stable code.
pub fn check_password_policy(password: &str, email: &str) -> Result<(), ApiError> {
    let lowered = password.trim().to_lowercase();
    let email = email.trim().to_lowercase();
    let local_part = email.split('@').next().unwrap_or_default();
    if lowered == email || lowered == local_part {
        return Err(ApiError::invalid_field(
            "password",
            "password_same_as_email",
            "пароль не должен совпадать с адресом электронной почты",
        ));
    }
    let mut chars = lowered.chars();
    let one_character = chars.next().is_some_and(|first| chars.all(|c| c == first));
    if one_character || COMMON_PASSWORDS.contains(&lowered.as_str()) {
        return Err(ApiError::invalid_field(
            "password",
            "password_too_common",
            "этот пароль слишком распространён, его подбирают первым; выберите другой",
        ));
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// Access tokens

/// The claims of an access token: who the user is and what they are attached to, so that no
/// request needs a database read to know its actor.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Claims {
    /// The user's id.
    pub sub: Uuid,
    pub role: Role,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider_id: Option<Uuid>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub municipality_id: Option<Uuid>,
    pub exp: i64,
    pub iat: i64,
    pub jti: Uuid,
}

impl Claims {
    pub fn actor(&self) -> Actor {
        Actor {
            user_id: self.sub,
            role: self.role,
            provider_id: self.provider_id,
            municipality_id: self.municipality_id,
        }
    }
}

/// Signs and checks access tokens: HS256 with the server's secret.
pub struct AccessTokens {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
}

impl AccessTokens {
    pub fn new(secret: &Secret) -> AccessTokens {
        // Only HS256 is accepted: a token naming another algorithm (`none`, RS256 with our
        // secret as a public key…) is rejected before its signature is looked at.
        let mut validation = Validation::new(Algorithm::HS256);
        validation.leeway = 0;
        validation.set_required_spec_claims(&["exp", "sub"]);
        AccessTokens {
            encoding: EncodingKey::from_secret(secret.expose().as_bytes()),
            decoding: DecodingKey::from_secret(secret.expose().as_bytes()),
            validation,
        }
    }

    /// A token for the user, valid for [`ACCESS_TOKEN_TTL`] from `now`.
    pub fn issue(&self, user: &User, now: DateTime<Utc>) -> Result<String, ApiError> {
        let claims = Claims {
            sub: user.id,
            role: user.role,
            provider_id: user.provider_id,
            municipality_id: user.municipality_id,
            exp: (now + ACCESS_TOKEN_TTL).timestamp(),
            iat: now.timestamp(),
            jti: Uuid::new_v4(),
        };
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, &self.encoding).map_err(
            |error| {
                tracing::error!(%error, "signing an access token failed");
                ApiError::internal()
            },
        )
    }

    /// The claims of a token whose signature, algorithm and expiry check out.
    pub fn verify(&self, token: &str) -> Result<Claims, ApiError> {
        jsonwebtoken::decode::<Claims>(token, &self.decoding, &self.validation)
            .map(|data| data.claims)
            .map_err(|error| match error.kind() {
                ErrorKind::ExpiredSignature => {
                    ApiError::invalid_token("the access token has expired; refresh it")
                }
                _ => ApiError::invalid_token("the access token is not valid"),
            })
    }
}

// ---------------------------------------------------------------------------------------------
// Refresh tokens

/// A new refresh token: 32 random bytes, base64url. Returns the token for the client and its hash
/// for the store, which never sees the token itself.
pub fn new_refresh_token() -> (String, String) {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let token = URL_SAFE_NO_PAD.encode(bytes);
    let hash = hash_refresh_token(&token);
    (token, hash)
}

/// SHA-256 of the token, lowercase hex. A fast hash is enough: the token has 256 bits of entropy,
/// unlike a password.
pub fn hash_refresh_token(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Extractors

/// The signed-in actor of a request. Extracting it answers `401 unauthorized` when the request has
/// no valid access token.
#[derive(Debug, Clone, Copy)]
pub struct CurrentActor(pub Actor);

/// The actor when the request carries an access token, `None` for guests. A token that is there
/// but invalid still answers 401, so that a client with an expired token learns to refresh it
/// rather than silently seeing the guest view.
#[derive(Debug, Clone, Copy)]
pub struct OptionalActor(pub Option<Actor>);

impl FromRequest for CurrentActor {
    type Error = actix_web::Error;
    type Future = Ready<Result<CurrentActor, actix_web::Error>>;

    fn from_request(req: &HttpRequest, _payload: &mut Payload) -> Self::Future {
        ready(match actor_of(req) {
            Ok(Some(actor)) => Ok(CurrentActor(actor)),
            Ok(None) => Err(ApiError::missing_token().into()),
            Err(error) => Err(error.into()),
        })
    }
}

impl FromRequest for OptionalActor {
    type Error = actix_web::Error;
    type Future = Ready<Result<OptionalActor, actix_web::Error>>;

    fn from_request(req: &HttpRequest, _payload: &mut Payload) -> Self::Future {
        ready(actor_of(req).map(OptionalActor).map_err(Into::into))
    }
}

fn actor_of(req: &HttpRequest) -> Result<Option<Actor>, ApiError> {
    let Some(value) = req.headers().get(header::AUTHORIZATION) else {
        return Ok(None);
    };
    let token = value
        .to_str()
        .ok()
        .and_then(|value| value.split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, token)| token.trim())
        .filter(|token| !token.is_empty())
        .ok_or_else(|| ApiError::invalid_token("expected Authorization: Bearer <access token>"))?;
    let Some(tokens) = req.app_data::<web::Data<AccessTokens>>() else {
        tracing::error!("AccessTokens is not registered as app data");
        return Err(ApiError::internal());
    };
    tokens.verify(token).map(|claims| Some(claims.actor()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens() -> AccessTokens {
        AccessTokens::new(&Secret::new("a-test-secret-that-is-long-enough-for-hs256"))
    }

    fn staff() -> User {
        User {
            id: Uuid::new_v4(),
            email: "staff@example.ru".into(),
            full_name: "Петров Пётр".into(),
            role: Role::ProviderStaff,
            provider_id: Some(Uuid::new_v4()),
            municipality_id: None,
        }
    }

    #[test]
    fn passwords_hash_with_argon2id_and_verify() {
        let hash = hash_password("correct horse battery");
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password("correct horse battery", &hash));
        assert!(!verify_password("correct horse battery!", &hash));
        assert!(!verify_password("anything", "not a phc string"));
        assert_ne!(hash, hash_password("correct horse battery"), "salts differ");
    }

    #[test]
    fn an_access_token_carries_the_actor() {
        let user = staff();
        let now = Utc::now();
        let claims = tokens()
            .verify(&tokens().issue(&user, now).expect("token issued"))
            .expect("token verifies");
        assert_eq!(
            claims.actor(),
            Actor {
                user_id: user.id,
                role: Role::ProviderStaff,
                provider_id: user.provider_id,
                municipality_id: None,
            }
        );
        assert_eq!(claims.exp - claims.iat, ACCESS_TOKEN_TTL.num_seconds());
    }

    #[test]
    fn expired_forged_and_other_algorithm_tokens_are_refused() {
        let user = staff();
        let expired = tokens()
            .issue(&user, Utc::now() - ACCESS_TOKEN_TTL - Duration::seconds(1))
            .expect("token issued");
        assert_eq!(
            tokens().verify(&expired).expect_err("expired").code(),
            "unauthorized"
        );

        let other_secret =
            AccessTokens::new(&Secret::new("another-secret-that-is-long-enough-too"));
        let forged = other_secret.issue(&user, Utc::now()).expect("token issued");
        assert!(tokens().verify(&forged).is_err());

        let claims = Claims {
            sub: user.id,
            role: Role::RegionalOperator,
            provider_id: None,
            municipality_id: None,
            exp: (Utc::now() + ACCESS_TOKEN_TTL).timestamp(),
            iat: Utc::now().timestamp(),
            jti: Uuid::new_v4(),
        };
        let hs512 = jsonwebtoken::encode(
            &Header::new(Algorithm::HS512),
            &claims,
            &EncodingKey::from_secret(b"a-test-secret-that-is-long-enough-for-hs256"),
        )
        .expect("token signed");
        assert!(tokens().verify(&hs512).is_err());
    }

    #[test]
    fn the_password_policy_refuses_the_email_and_common_passwords() {
        let code = |password: &str| {
            check_password_policy(password, "Anna.Petrova@example.ru")
                .err()
                .map(|e| {
                    e.problem()
                        .errors
                        .into_iter()
                        .map(|f| (f.field, f.code))
                        .collect::<Vec<(String, String)>>()
                })
        };
        assert_eq!(code("correct horse battery"), None);
        assert_eq!(
            code("anna.petrova@example.ru"),
            Some(vec![("password".into(), "password_same_as_email".into())])
        );
        assert_eq!(
            code("Anna.Petrova"),
            Some(vec![("password".into(), "password_same_as_email".into())])
        );
        for common in ["QWERTYUIOP", "1234567890", "zzzzzzzzzzzz", "ЙЦУКЕНГШЩЗ"] {
            assert_eq!(
                code(common),
                Some(vec![("password".into(), "password_too_common".into())]),
                "{common}"
            );
        }
    }

    #[test]
    fn refresh_tokens_are_random_and_stored_hashed() {
        let (token, hash) = new_refresh_token();
        let (other, _) = new_refresh_token();
        assert_eq!(token.len(), 43);
        assert_ne!(token, other);
        assert_eq!(hash.len(), 64);
        assert_eq!(hash, hash_refresh_token(&token));
        assert!(!hash.contains(&token));
    }
}
